/* The arrays of the differ's tokens and the buffers of the masked texts,
 * made ahead by the caller's thread, in its heap, and handed to the
 * tokenizers and to the masking (diff-internal.h says why).
 *
 * Their pages were populated on a thread of their own once
 * (MADV_POPULATE_WRITE) while the labels were masked. It holds the
 * process's memory map while it works, and without huge pages that is
 * thousands of pages: a thread started meanwhile (the tokenizer's
 * second) waited for it, 3 ms whenever the populating thread was
 * descheduled holding it, on two CPUs busy with four threads. Without
 * it the planted pair's compare took 7% less time without huge pages and
 * 2.5% less with them (doc/differ.md); the tokenizers take their own
 * faults. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff-tokens.h"

diff_prep *diff_prep_start(size_t la, size_t lb, int texts)
{
	diff_prep *p;
	size_t len[2] = {la, lb};

	/* the differ refuses such a text: nothing to make for it */
	if (la > DIFF_MAX_TEXT || lb > DIFF_MAX_TEXT || !(p = calloc(1, sizeof(*p))))
		return NULL;
	/* The texts first: every byte of them is written, and the memory an
	 * extraction just freed (faulted in already) goes to them, not to
	 * token arrays of which a diff of versions that share most of their
	 * lines writes a tenth (diff-condense.c): 2.7k -> 2.4k page faults
	 * for the planted pair, 6.3k -> 6.1k for two editions. */
	for (int k = 0; k < 2 && texts; k++) {
		/* room for a few bytes more a label; a text that needs more
		 * grows out of it */
		p->text_cap[k] = len[k] + len[k] / 16 + 4096;
		if (!(p->text[k] = malloc(p->text_cap[k]))) {
			diff_prep_free(p);
			return NULL;
		}
	}
	for (int k = 0; k < 2; k++) {
		prep_side *s = &p->side[k];

		/* a masked label is a byte longer than "a." */
		s->cap = diff_first_cap(len[k] + len[k] / 64);
		s->tok = malloc(s->cap * sizeof(*s->tok));
		s->ids = malloc((s->cap + 1) * sizeof(*s->ids));
		if (!s->tok || !s->ids) {
			diff_prep_free(p);
			return NULL;
		}
	}
	return p;
}

void diff_prep_free(diff_prep *p)
{
	if (!p)
		return;
	for (int k = 0; k < 2; k++) {
		free(p->side[k].tok);
		free(p->side[k].ids);
		if (!p->text_taken[k])
			free(p->text[k]);
	}
	free(p);
}

void diff_prep_take_text(diff_prep *p, int side, rl_buf *into)
{
	if (!p || !p->text[side] || p->text_taken[side] || into->ptr)
		return;
	into->ptr = p->text[side];
	into->cap = p->text_cap[side];
	into->len = 0;
	into->ptr[0] = '\0';
	p->text_taken[side] = 1;
}

prep_side diff_prep_take(prep_side *ps)
{
	prep_side got = {NULL, NULL, 0};

	if (ps) {
		got = *ps;
		memset(ps, 0, sizeof(*ps));
	}
	return got;
}
