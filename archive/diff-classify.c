/* Change classes and flags. cosmetic: the two sides read the same once
 * case, compatibility forms (ligatures, widths), typographic quotes and
 * dashes, whitespace and hyphenation are folded away, including the
 * ligature losses of PDF extraction ("f rm" for "firm"); a change of
 * punctuation alone is cosmetic too. structure: a heading or an
 * enumerated item added, removed or moved, or an item's label changed.
 * Everything else is wording. Flags mark changed numbers and dates and
 * negations that came or went. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff-internal.h"

static const char *const negations[] = {"not",    "no",      "never",   "nor",    "neither", "none",
					"nobody", "nothing", "nowhere", "cannot", "without"};
static const char *const months[] = {"january",   "february", "march",    "april",
				     "may",       "june",     "july",     "august",
				     "september", "october",  "november", "december"};

/* Bounded by doubling steps forward, then halved; the whole range is
 * halved only when off is before *near. A halving over the whole token
 * array is eighteen reads megabytes apart. */
size_t diff_tok_at(const dside *s, size_t off, size_t *near)
{
	size_t lo = 0, hi, k = *near < s->ntok ? *near : s->ntok;

	if (k == 0 || s->tok[k - 1].start < off) {
		size_t step = 1;

		lo = k;
		while (lo + step < s->ntok && s->tok[lo + step - 1].start < off) {
			lo += step;
			step *= 2;
		}
		hi = lo + step < s->ntok ? lo + step : s->ntok;
	} else {
		hi = k;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->tok[mid].start < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	*near = lo;
	return lo;
}

static int is_one_of(const char *w, size_t len, const char *const *list, size_t n)
{
	if (!len || len > 9)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((w[0] | 0x20) == list[i][0] && strlen(list[i]) == len &&
		    strncasecmp(w, list[i], len) == 0)
			return 1;
	return 0;
}

static int is_negation(const char *w, size_t len)
{
	if (len > 3 && strncasecmp(w + len - 3, "n't", 3) == 0)
		return 1;
	if (len > 5 && memcmp(w + len - 5, "n\xe2\x80\x99t", 5) == 0)
		return 1;
	return is_one_of(w, len, negations, sizeof(negations) / sizeof(*negations));
}

static int structural_line(const dside *s, uint32_t line, size_t *label)
{
	*label = s->line[line].label;
	return s->line[line].heading || *label > 0;
}

/* Does [start,end) remove or add a whole heading or item line, or touch
 * an item's label? */
static int touches_structure(const dside *s, size_t start, size_t end, size_t t0)
{
	size_t near = t0, t1 = diff_tok_at(s, end, &near);

	if (t0 >= t1)
		return 0;
	for (uint32_t l = s->tok[t0].line; l <= s->tok[t1 - 1].line; l++) {
		const dline *ln = &s->line[l];
		size_t label;

		if (!ln->ntok || !structural_line(s, l, &label))
			continue;
		if (start <= s->tok[ln->tok0].start && end >= s->tok[ln->tok0 + ln->ntok - 1].end)
			return 1;
		if (label && start < ln->start + label)
			return 1;
	}
	return 0;
}

/* splitmix64's finalizer: sums of mixed ids tell multisets apart where
 * sums of the ids would not (1 + 4 == 2 + 3). */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Words, negations and a fingerprint of the numbers and month names of
 * one side: the number flag is for numbers that differ, not for numbers
 * that merely sit inside a change. */
static void side_facts(const dside *s, size_t t0, size_t end, size_t *words, size_t *neg,
		       uint64_t *numbers)
{
	for (size_t t = t0; t < s->ntok && s->tok[t].end <= end; t++) {
		const dtok *k = &s->tok[t];

		*words += tok_is_word(k);
		*neg += (k->facts & FACT_NEGATION) != 0;
		if (k->facts & FACT_DATE)
			*numbers += mix(s->ids[t]) | 1;
	}
}

uint8_t diff_tok_facts(const char *w, size_t len, uint8_t kind)
{
	uint8_t f = 0;

	if (kind == TOK_PUNCT)
		return 0;
	if (is_negation(w, len))
		f |= FACT_NEGATION;
	if (kind == TOK_NUMBER || is_one_of(w, len, months, sizeof(months) / sizeof(*months)))
		f |= FACT_DATE;
	return f;
}

void diff_classify(const dside *a, const dside *b, rl_change *c, size_t near[2])
{
	size_t ow = 0, nw = 0, oneg = 0, nneg = 0;
	size_t ta = diff_tok_at(a, c->old_start, &near[0]),
	       tb = diff_tok_at(b, c->new_start, &near[1]);
	uint64_t onum = 0, nnum = 0;

	side_facts(a, ta, c->old_end, &ow, &oneg, &onum);
	side_facts(b, tb, c->new_end, &nw, &nneg, &nnum);
	c->old_words = ow;
	c->new_words = nw;
	c->flags = 0;
	if (c->kind != RL_CHANGE_MOVE) {
		if (onum != nnum)
			c->flags |= RL_CHANGE_FLAG_NUMBER;
		if (oneg != nneg)
			c->flags |= RL_CHANGE_FLAG_NEGATION;
	}
	if (touches_structure(a, c->old_start, c->old_end, ta) ||
	    touches_structure(b, c->new_start, c->new_end, tb))
		c->cls = RL_CLASS_STRUCTURE;
	else if (c->kind != RL_CHANGE_MOVE &&
		 ((!ow && !nw) ||
		  diff_same_folded(a->text + c->old_start, c->old_end - c->old_start,
				   b->text + c->new_start, c->new_end - c->new_start)))
		c->cls = RL_CLASS_COSMETIC; /* a move is never cosmetic */
	else
		c->cls = RL_CLASS_WORDING;
}
