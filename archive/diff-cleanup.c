/* Readability: a minimal alignment happily keeps "the" or "," in the
 * middle of a rewritten sentence, which a reader sees as confetti. As in
 * diff-match-patch's semantic clean-up, an equality no longer than the
 * changes on both of its sides is folded into them (shown as deleted and
 * inserted). Only the display changes: stats are counted before this.
 * Equalities that span sentences, or are a whole sentence, are kept so a
 * change never swallows an unchanged sentence, and so are the parts of an
 * item's label, so a relabel reads "([-3-]{+2+})". */
#include <stdlib.h>

#include "diff-internal.h"

#define CLEANUP_PASSES 8

typedef struct eqrun {
	int32_t i, j, len; /* tokens a[i..i+len) == b[j..j+len) */
	size_t bytes;
	size_t del_before, ins_before; /* bytes of changes since the previous kept run */
	int keep;
} eqrun;

static size_t tok_bytes(const dside *s, int32_t i, int32_t len)
{
	size_t n = 0;

	for (int32_t k = 0; k < len; k++)
		n += s->tok[i + k].end - s->tok[i + k].start;
	return n;
}

static size_t changed_bytes(const dside *s, int32_t from, int32_t to)
{
	size_t n = 0;

	for (int32_t k = from; k < to; k++)
		if (s->move[k] == 0)
			n += s->tok[k].end - s->tok[k].start;
	return n;
}

static int protected(const dside *a, const dside *b, const eqrun *e)
{
	const dtok *af = &a->tok[e->i], *al = &a->tok[e->i + e->len - 1];
	const dtok *bf = &b->tok[e->j], *bl = &b->tok[e->j + e->len - 1];

	if (af->line != al->line || bf->line != bl->line)
		return 1;
	/* part of an item's label ("(" of "(3)", "." of "c."): structure,
	 * shown as it is */
	if (af->start < a->line[af->line].start + a->line[af->line].label ||
	    bf->start < b->line[bf->line].start + b->line[bf->line].label)
		return 1;
	return (int32_t)a->line[af->line].ntok == e->len ||
	       (int32_t)b->line[bf->line].ntok == e->len;
}

static size_t max2(size_t x, size_t y)
{
	return x > y ? x : y;
}

/* Fills keep[i] for every matched token i of a: 1 to show it as equal. */
int diff_cleanup(const dside *a, const dside *b, uint8_t *keep, rl_error *err)
{
	eqrun *r = NULL;
	size_t n = 0, cap = 0;
	int32_t pi = 0, pj = 0;

	for (size_t i = 0; i < a->ntok; i++)
		keep[i] = a->match[i] >= 0;
	/* Maximal runs of matched tokens, with the changes before each. */
	for (int32_t i = 0; i < (int32_t)a->ntok;) {
		int32_t j, len = 1;

		if (a->match[i] < 0) {
			i++;
			continue;
		}
		j = a->match[i];
		while (i + len < (int32_t)a->ntok && a->match[i + len] == j + len)
			len++;
		if (n == cap) {
			eqrun *nr = realloc(r, (cap = cap ? cap * 2 : 256) * sizeof(*r));

			if (!nr) {
				free(r);
				return rl_error_set(err, RL_ENOMEM, "diff: out of memory");
			}
			r = nr;
		}
		r[n++] = (eqrun){.i = i,
				 .j = j,
				 .len = len,
				 .bytes = tok_bytes(a, i, len),
				 .del_before = changed_bytes(a, pi, i),
				 .ins_before = changed_bytes(b, pj, j),
				 .keep = 1};
		pi = i + len;
		pj = j + len;
		i += len;
	}
	for (int pass = 0, changed = 1; changed && pass < CLEANUP_PASSES; pass++) {
		changed = 0;
		for (size_t k = 0; k + 1 < n; k++) {
			eqrun *e = &r[k], *nx;
			size_t db = e->del_before, ib = e->ins_before, da, ia;

			if (!e->keep)
				continue;
			/* Demoted runs handed their bytes on to the next kept
			 * run, so its "before" is all the change after e. */
			for (nx = e + 1; nx < r + n && !nx->keep; nx++)
				;
			if (nx == r + n)
				continue;
			da = nx->del_before;
			ia = nx->ins_before;
			if ((!db && !ib) || (!da && !ia))
				continue;
			if (e->bytes <= max2(db, ib) && e->bytes <= max2(da, ia) &&
			    !protected(a, b, e)) {
				e->keep = 0;
				changed = 1;
				nx->del_before += e->del_before + e->bytes;
				nx->ins_before += e->ins_before + e->bytes;
				e->del_before = e->ins_before = 0;
			}
		}
	}
	for (size_t k = 0; k < n; k++)
		if (!r[k].keep)
			for (int32_t t = 0; t < r[k].len; t++)
				keep[r[k].i + t] = 0;
	free(r);
	return 0;
}

/* A bit per token of s: does it start its line? Sliding asks it of the
 * tokens around every unmatched run, where reading each token's line and
 * the line's first token were two cache misses a run. NULL without
 * memory. */
static uint64_t *line_starts(const dside *s)
{
	uint64_t *bits = calloc(s->ntok / 64 + 1, sizeof(*bits));

	for (size_t l = 0; bits && l < s->nline; l++)
		if (s->line[l].ntok)
			bits[s->line[l].tok0 / 64] |= (uint64_t)1 << (s->line[l].tok0 % 64);
	return bits;
}

static int at_line_start(const dside *s, const uint64_t *starts, int32_t t)
{
	if (t >= (int32_t)s->ntok)
		return 1;
	if (starts)
		return (int)(starts[t / 64] >> (t % 64)) & 1;
	return s->line[s->tok[t].line].tok0 == (uint32_t)t;
}

/* Does the run [r0, r1), slid by k, meet another run of unmatched tokens
 * (past the tokens it left matched behind)? */
static int touches_run(const dside *s, int32_t r0, int32_t r1, int32_t k)
{
	if (k > 0)
		return r1 < (int32_t)s->ntok && s->match[r1] < 0;
	if (k < 0)
		return r0 > 0 && s->match[r0 - 1] < 0;
	return 0;
}

/* A run of tokens inserted (or deleted) between two aligned tokens can
 * often slide: "enemy{+. Reserve forces+}." is the same alignment as
 * "enemy.{+ Reserve forces.+}". Like diff-match-patch's lossless
 * shift, slide each such run to where it starts and ends a sentence;
 * the counts do not change, the reading does. s is the side holding the
 * run, o the other side. */
static void slide_side(dside *s, dside *o)
{
	uint64_t *starts = line_starts(s);

	for (int32_t j0 = 0; j0 < (int32_t)s->ntok;) {
		int32_t j1 = j0, best = 0, best_score = -1, lo = 0, hi = 0;
		int32_t prev, next;

		if (s->match[j0] >= 0) {
			j0++;
			continue;
		}
		while (j1 < (int32_t)s->ntok && s->match[j1] < 0)
			j1++;
		prev = j0 > 0 ? s->match[j0 - 1] : -1;
		next = j1 < (int32_t)s->ntok ? s->match[j1] : (int32_t)o->ntok;
		/* a pure run: nothing unmatched on the other side here */
		if ((j0 > 0 && next != prev + 1) || (j0 == 0 && next != 0) ||
		    j1 == (int32_t)s->ntok) {
			j0 = j1;
			continue;
		}
		while (j0 - lo - 1 >= 0 && s->match[j0 - lo - 1] >= 0 &&
		       s->ids[j0 - lo - 1] == s->ids[j1 - lo - 1])
			lo++;
		while (j1 + hi < (int32_t)s->ntok && s->match[j1 + hi] >= 0 &&
		       s->ids[j0 + hi] == s->ids[j1 + hi])
			hi++;
		for (int32_t k = -lo; k <= hi; k++) {
			int score = (at_line_start(s, starts, j0 + k) * 2 +
				     at_line_start(s, starts, j1 + k)) *
					2 +
				    touches_run(s, j0 + k, j1 + k, k);

			if (score > best_score) {
				best_score = score;
				best = k;
			}
		}
		if (best < 0) {
			/* tokens j0+best..j0-1 become unmatched;
			 * j1+best..j1-1 take their partners */
			for (int32_t t = j1 - 1; t >= j1 + best; t--) {
				int32_t p = s->match[t - (j1 - j0)];

				s->match[t] = p;
				o->match[p] = t;
				s->match[t - (j1 - j0)] = -1;
			}
		} else if (best > 0) {
			for (int32_t t = j0; t < j0 + best; t++) {
				int32_t p = s->match[t + (j1 - j0)];

				s->match[t] = p;
				o->match[p] = t;
				s->match[t + (j1 - j0)] = -1;
			}
		}
		/* a run slid onto another is one run now: seen again whole */
		j0 = touches_run(s, j0 + best, j1 + best, best) ? j0 + best
								: j1 + (best > 0 ? best : 0);
	}
	free(starts);
}

void diff_slide(dside *a, dside *b)
{
	slide_side(b, a);
	slide_side(a, b);
}
