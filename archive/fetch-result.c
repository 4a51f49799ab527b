/* Fetch results: what one source's transfers produced. */
#include <stdlib.h>
#include <string.h>

#include "redline/fetch.h"

void rl_fetch_result_free(rl_fetch_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_pages; i++) {
		rl_fetched_page *p = &r->pages[i];

		free(p->url);
		free(p->final_url);
		free(p->etag);
		free(p->last_modified);
		free(p->content_type);
		rl_buf_free(&p->body);
	}
	free(r->pages);
	free(r->source_id);
	free(r->error);
	free(r);
}
