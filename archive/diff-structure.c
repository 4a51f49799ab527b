/* Labels go with their items. The label of an enumerated item ("b.",
 * "(2)", "가.") and the "#" of a heading are tokens like any other, so
 * the alignment happily pairs the "b" of an item with the "b" of the item
 * inserted before it and the words of that item with the next one: a
 * reader sees `b{+. Commitment ...+}` / `{+c+}. Respect ...` for "an item
 * was inserted as b and the rest relabelled". The LCS is no longer with
 * the labels kept where they belong, but the reading is what counts:
 * each item (or heading) line is paired with the line that holds most of
 * its words (its partner), its label tokens may only be aligned with its
 * partner's label, and those two labels are aligned with each other
 * where they agree. An inserted item then reads as one inserted line and
 * a relabelled one as its label changed, and the stats count that
 * alignment, as they count every other. */
#include <stdlib.h>
#include <string.h>

#include "diff-internal.h"

#define NO_LINE UINT32_MAX

/* Tokens of line l that make its label: those inside the label's bytes,
 * or a heading's leading '#'. */
static uint32_t label_tokens(const dside *s, uint32_t l)
{
	const dline *ln = &s->line[l];
	uint32_t n = 0;

	if (ln->label) {
		while (n < ln->ntok && s->tok[ln->tok0 + n].end <= ln->start + ln->label)
			n++;
	} else if (ln->heading) {
		while (n < ln->ntok && s->text[s->tok[ln->tok0 + n].start] == '#')
			n++;
	}
	return n < ln->ntok ? n : 0; /* a label alone on its line is text */
}

/* The line of the other side that holds most of the matched words of
 * line l after its nlab label tokens, NO_LINE if none is matched. */
static uint32_t partner(const dside *s, const dside *o, uint32_t l, uint32_t nlab)
{
	const dline *ln = &s->line[l];
	uint32_t best = NO_LINE, best_n = 0, cur = NO_LINE, cur_n = 0;

	/* matches are increasing, so each other line's run is contiguous */
	for (uint32_t k = nlab; k < ln->ntok; k++) {
		int32_t m = s->match[ln->tok0 + k];

		if (m < 0)
			continue;
		if (o->tok[m].line != cur) {
			cur = o->tok[m].line;
			cur_n = 0;
		}
		if (++cur_n > best_n) {
			best_n = cur_n;
			best = cur;
		}
	}
	return best;
}

/* May a[i] be matched with b[j] without crossing another match? */
static int fits(const dside *a, uint32_t i, uint32_t j)
{
	int64_t x;

	for (x = (int64_t)i - 1; x >= 0 && a->match[x] < 0; x--)
		;
	if (x >= 0 && a->match[x] >= (int32_t)j)
		return 0;
	for (x = (int64_t)i + 1; x < (int64_t)a->ntok && a->match[x] < 0; x++)
		;
	return x >= (int64_t)a->ntok || a->match[x] > (int32_t)j;
}

typedef struct labels {
	uint32_t *npa, *npb; /* label tokens of each line */
	uint32_t *pa, *pb;   /* partner of each line, or NO_LINE */
} labels;

/* Undoes matches of s's label tokens that lead outside the partner's
 * label, on the lines of s. */
static void free_labels(dside *s, dside *o, const uint32_t *np, const uint32_t *p,
			const uint32_t *onp)
{
	for (uint32_t l = 0; l < s->nline; l++) {
		const dline *ln = &s->line[l];

		for (uint32_t k = 0; k < np[l]; k++) {
			int32_t m = s->match[ln->tok0 + k];
			uint32_t ol;

			if (m < 0)
				continue;
			ol = o->tok[m].line;
			/* kept only into the partner's label: an item none of
			 * whose words survived is replaced whole, label and all */
			if (ol == p[l] && (uint32_t)m < o->line[ol].tok0 + onp[ol])
				continue;
			s->match[ln->tok0 + k] = -1;
			o->match[m] = -1;
		}
	}
}

int diff_labels_follow(dside *a, dside *b, rl_error *err)
{
	labels L;
	size_t na = a->nline + 1, nb = b->nline + 1;

	L.npa = calloc(2 * na, sizeof(uint32_t));
	L.npb = calloc(2 * nb, sizeof(uint32_t));
	if (!L.npa || !L.npb) {
		free(L.npa);
		free(L.npb);
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory aligning labels");
	}
	L.pa = L.npa + na;
	L.pb = L.npb + nb;
	for (uint32_t l = 0; l < a->nline; l++) {
		L.npa[l] = label_tokens(a, l);
		L.pa[l] = L.npa[l] ? partner(a, b, l, L.npa[l]) : NO_LINE;
	}
	for (uint32_t l = 0; l < b->nline; l++) {
		L.npb[l] = label_tokens(b, l);
		L.pb[l] = L.npb[l] ? partner(b, a, l, L.npb[l]) : NO_LINE;
	}
	free_labels(a, b, L.npa, L.pa, L.npb);
	free_labels(b, a, L.npb, L.pb, L.npa);
	/* Partners' labels aligned where they agree: "b." and "c." keep the
	 * dot, "(iv)" and "(v)" the parentheses. */
	for (uint32_t l = 0; l < a->nline; l++) {
		uint32_t ol = L.pa[l], x = 0, y = 0;

		if (!L.npa[l] || ol == NO_LINE || !L.npb[ol] || L.pb[ol] != l)
			continue;
		while (x < L.npa[l] && y < L.npb[ol]) {
			uint32_t i = a->line[l].tok0 + x, j = b->line[ol].tok0 + y;

			if (a->ids[i] == b->ids[j] && a->match[i] < 0 && b->match[j] < 0 &&
			    !a->move[i] && !b->move[j] && fits(a, i, j)) {
				a->match[i] = (int32_t)j;
				b->match[j] = (int32_t)i;
				x++, y++;
			} else if (L.npa[l] - x > L.npb[ol] - y) {
				x++;
			} else {
				y++;
			}
		}
	}
	free(L.npa);
	free(L.npb);
	return 0;
}

/* The id of token i of s as its bytes have it: label_id (the labels'
 * one id) is looked up again in words, where the token was interned. */
static uint32_t real_id(const dside *s, size_t i, const dintern *words)
{
	const dtok *t = &s->tok[i];
	uint32_t id = s->ids[i];

	if (id == s->label_id)
		(void)dintern_lookup(words, s->text + t->start, t->end - t->start, &id);
	return id;
}

/* The real ids back on the label tokens of s's item lines (the only
 * tokens label_ids gave another; a token holds no space, so none has
 * label_id of its own bytes); a match between two labels that are not
 * the same label is undone. A label token is only ever matched with
 * another (they shared their id), so one side's pass sees every such
 * match: the other's only restores. */
static void restore_side(dside *s, dside *o, const dintern *words, int unmatch)
{
	if (s->label_id == UINT32_MAX)
		return; /* no label was given the labels' id */
	for (size_t l = 0; l < s->nline; l++) {
		const dline *ln = &s->line[l];

		if (!ln->label)
			continue;
		for (uint32_t k = 0; k < ln->ntok; k++) {
			size_t i = ln->tok0 + k;
			int32_t m = s->match[i];
			uint32_t id;

			if (s->tok[i].start >= ln->start + ln->label)
				break;
			if (s->ids[i] != s->label_id)
				continue;
			id = real_id(s, i, words);
			if (unmatch && m >= 0 && id != real_id(o, (size_t)m, words)) {
				s->match[i] = -1;
				o->match[m] = -1;
			}
			s->ids[i] = id;
		}
	}
}

void diff_labels_restore(dside *a, dside *b, const dintern *words)
{
	restore_side(a, b, words, 1);
	restore_side(b, a, words, 0);
}
