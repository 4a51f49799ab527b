/* A report brings together what redline says about one change: the word
 * diff, the principles (items matched by content) and the watched terms. */
#include <stdlib.h>
#include <string.h>

#include "redline/report.h"
#include "redline/util.h"

int rl_report_build(rl_report **out, const char *old_text, size_t old_len, const char *new_text,
		    size_t new_len, const rl_report_opts *opts, rl_error *err)
{
	rl_report *r = calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	if (!r)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	rc = rl_diff_texts(&r->diff, old_text, old_len, new_text, new_len, opts ? opts->diff : NULL,
			   err);
	if (rc == 0)
		rc = rl_structure_parse(&r->old_structure, old_text, old_len, err);
	/* The old version's ids are the archived ones when we have them, so an
	 * id means the same item across the whole history. */
	if (rc == 0 && opts && opts->old_structure)
		rc = rl_structure_carry_ids(r->old_structure, opts->old_structure, err);
	if (rc == 0)
		rc = rl_structure_parse(&r->new_structure, new_text, new_len, err);
	if (rc == 0)
		rc = rl_structure_carry_ids(r->new_structure, r->old_structure, err);
	if (rc == 0)
		rc = rl_principles_compare(&r->principles, r->old_structure, r->new_structure, err);
	if (rc == 0 && opts && opts->watch_terms)
		rc = rl_watch_compare(&r->watch, &r->n_watch, old_text, old_len, new_text, new_len,
				      opts->watch_terms, err);
	if (rc < 0) {
		rl_report_free(r);
		return rc;
	}
	r->cls = r->diff->cls;
	if (!rl_principles_diff_empty(r->principles) &&
	    (r->principles->n_added || r->principles->n_removed || r->principles->n_reordered))
		r->cls = RL_CLASS_STRUCTURE;
	*out = r;
	return 0;
}

void rl_report_free(rl_report *r)
{
	if (!r)
		return;
	rl_diff_free(r->diff);
	rl_structure_free(r->old_structure);
	rl_structure_free(r->new_structure);
	rl_principles_diff_free(r->principles);
	rl_watch_hits_free(r->watch, r->n_watch);
	free(r);
}

static void count_part(rl_buf *out, size_t n, const char *one, const char *many, const char *what)
{
	if (n == 0)
		return;
	if (out->len)
		rl_buf_puts(out, ", ");
	rl_buf_printf(out, "%zu %s %s", n, n == 1 ? one : many, what);
}

int rl_report_summary(const rl_report *r, rl_buf *out)
{
	const rl_principles_diff *p = r->principles;
	size_t words = rl_diff_words_changed(r->diff);
	size_t start = out->len;
	rl_buf parts = RL_BUF_INIT;

	if (words)
		rl_buf_printf(&parts, "%zu word%s changed", words, words == 1 ? "" : "s");
	if (r->diff->stats.moved)
		count_part(&parts, r->diff->stats.moved, "word", "words", "moved");
	if (p) {
		count_part(&parts, p->n_added, "principle", "principles", "added");
		count_part(&parts, p->n_removed, "principle", "principles", "removed");
		count_part(&parts, p->n_reworded, "principle", "principles", "reworded");
		count_part(&parts, p->n_reordered, "principle", "principles", "reordered");
	}
	for (size_t i = 0; i < r->n_watch; i++) {
		const rl_watch_hit *h = &r->watch[i];

		if (parts.len)
			rl_buf_puts(&parts, ", ");
		if (h->after == 0)
			rl_buf_printf(&parts, "\"%s\" removed", h->term);
		else if (h->before == 0)
			rl_buf_printf(&parts, "\"%s\" added", h->term);
		else
			rl_buf_printf(&parts, "\"%s\" %zu -> %zu", h->term, h->before, h->after);
	}
	if (parts.len == 0)
		rl_buf_puts(&parts,
			    r->diff->n_changes ? "cosmetic changes only" : "no wording change");
	rl_buf_put(out, parts.ptr, parts.len);
	rl_buf_free(&parts);
	return out->len > start ? 0 : -1;
}
