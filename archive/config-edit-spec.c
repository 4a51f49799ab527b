/* What `redline add` accepts, checked before the file is touched, the
 * way the loader (config.c) would check the file it produces. */
#include <stdio.h>
#include <string.h>

#include "redline/config.h"
#include "redline/util.h"

#define PAGE_MAX 100000 /* as config.c */

static int page_number(const char *s, size_t len, int *out)
{
	long v = 0;

	if (len == 0 || len > 6)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > PAGE_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

int rl_pages_parse(const char *s, int *first, int *last, int *is_auto)
{
	const char *dash = strchr(s, '-');

	*first = *last = *is_auto = 0;
	if (strcmp(s, "auto") == 0) {
		*first = 1;
		*is_auto = 1;
		return 0;
	}
	if (!dash)
		return page_number(s, strlen(s), first) == 0 ? (*last = *first, 0) : -1;
	if (page_number(s, (size_t)(dash - s), first) < 0)
		return -1;
	if (strcmp(dash + 1, "auto") == 0) {
		*is_auto = 1;
		return 0;
	}
	if (page_number(dash + 1, strlen(dash + 1), last) < 0 || *last < *first)
		return -1;
	return 0;
}

void rl_source_pages_format(const rl_source *src, char *out, size_t len)
{
	if (!src->paged)
		snprintf(out, len, "%s", "");
	else if (src->pages_auto && src->page_first == 1)
		snprintf(out, len, "auto");
	else if (src->pages_auto)
		snprintf(out, len, "%d-auto", src->page_first);
	else if (src->page_first == src->page_last)
		snprintf(out, len, "%d", src->page_first);
	else
		snprintf(out, len, "%d-%d", src->page_first, src->page_last);
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

int rl_source_spec_check(const rl_source_spec *sp, rl_error *err)
{
	int first, last, is_auto, paged;
	int64_t secs;

	if (!sp->id || rl_source_id_valid(sp->id, err) < 0)
		return err ? err->code : RL_EINVALID;
	if (!sp->url || !*sp->url)
		return rl_error_set(err, RL_EINVALID, "a source needs a URL");
	if (strncmp(sp->url, "http://", 7) != 0 && strncmp(sp->url, "https://", 8) != 0 &&
	    strncmp(sp->url, "file://", 7) != 0)
		return rl_error_set(err, RL_EINVALID, "'%s' is not an http, https or file URL",
				    sp->url);
	if (has_control(sp->url) || strchr(sp->url, ' '))
		return rl_error_set(err, RL_EINVALID,
				    "'%s': a URL has no spaces or control "
				    "characters",
				    sp->url);
	paged = strstr(sp->url, "{page}") != NULL;
	if (sp->pages && rl_pages_parse(sp->pages, &first, &last, &is_auto) < 0)
		return rl_error_set(err, RL_EINVALID,
				    "'%s' is not a page range (FIRST-LAST, N, FIRST-auto or "
				    "auto; pages up to %d)",
				    sp->pages, PAGE_MAX);
	if (paged && !sp->pages)
		return rl_error_set(err, RL_EINVALID,
				    "the URL has {page}: give the pages (--pages 1-412 or auto)");
	if (!paged && sp->pages)
		return rl_error_set(err, RL_EINVALID,
				    "--pages needs a URL with {page} where the page number goes");
	if (sp->interval && (rl_parse_duration(sp->interval, &secs) < 0 || secs <= 0))
		return rl_error_set(err, RL_EINVALID, "'%s' is not a duration (like 30m, 6h, 1d)",
				    sp->interval);
	if (sp->title && (!*sp->title || has_control(sp->title)))
		return rl_error_set(err, RL_EINVALID, "a title is one line of text, not empty");
	return 0;
}
