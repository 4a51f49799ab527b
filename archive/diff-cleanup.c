/* Readability: a minimal alignment happily keeps "the" or "," in the
 * middle of a rewritten sentence, which a reader sees as confetti. As in
 * diff-match-patch's semantic clean-up, an equality no longer than the
 * changes on both of its sides is folded into them (shown as deleted and
 * inserted). Only the display changes: stats are counted before this.
 * Equalities are taken a sentence (line) at a time: a whole sentence is
 * kept so a change never swallows an unchanged sentence, and so are the
 * parts of an item's label, so a relabel reads "([-3-]{+2+})".
 *
 * A sentence's first word or full stop has no change on its outer side,
 * so the rule above keeps it: "In [-2018, efforts ...-]{+addition, ...+}."
 * Where that is all a sentence kept on both sides (one word and
 * punctuation, a fifth of the sentence at most, no heading's marks), it
 * is folded too, after the rest, and the sentence reads as rewritten.
 * Such lines were 377 of the 8,618 changed lines of the 2018 -> 2020
 * editions in the word format; 125 are left. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redline/util.h"

#include "diff-internal.h"

#define CLEANUP_PASSES 8
#define CRUMB_WORDS    1 /* what stayed of a rewritten sentence, folded: a word, */
#define CRUMB_SHARE    4 /* and a fifth of the sentence at most, */
#define CRUMB_RUNS     4 /* in a few pieces */
#define CRUMB_PASSES   2

typedef struct eqrun {
	int32_t i, j, len; /* tokens a[i..i+len) == b[j..j+len) */
	size_t bytes;
	size_t del_before, ins_before; /* bytes of changes since the previous kept run */
	int keep;
} eqrun;

static size_t changed_bytes(const dside *s, int32_t from, int32_t to)
{
	size_t n = 0;

	for (int32_t k = from; k < to; k++)
		if (s->move[k] == 0)
			n += s->tok[k].end - s->tok[k].start;
	return n;
}

static size_t max2(size_t x, size_t y)
{
	return x > y ? x : y;
}

static int protected(const dside *a, const dside *b, const eqrun *e)
{
	const dtok *af = &a->tok[e->i], *bf = &b->tok[e->j];

	/* part of an item's label ("(" of "(3)", "." of "c."): structure,
	 * shown as it is */
	if (af->start < a->line[af->line].start + a->line[af->line].label ||
	    bf->start < b->line[bf->line].start + b->line[bf->line].label)
		return 1;
	return (int32_t)a->line[af->line].ntok == e->len ||
	       (int32_t)b->line[bf->line].ntok == e->len;
}

/* Bytes of s's line l, moved text aside. */
static size_t line_bytes(const dside *s, uint32_t l)
{
	int32_t t0 = (int32_t)s->line[l].tok0;

	return changed_bytes(s, t0, t0 + (int32_t)s->line[l].ntok);
}

/* What a sentence (line) of a and one of b keep: the kept runs of r in
 * both, their bytes and words. */
typedef struct crumbs {
	uint32_t la, lb;
	size_t first, last, bytes, words, runs;
} crumbs;

/* Adds r[p] to c when it is kept: 1 if it is in c's sentences, 0 if in
 * neither or not kept, -1 if in only one (a sentence split or joined),
 * a heading's marks or an item's label (structure), or more than crumbs. */
static int crumb_add(const dside *a, const dside *b, const eqrun *r, size_t p, crumbs *c)
{
	int in_a = a->tok[r[p].i].line == c->la, in_b = b->tok[r[p].j].line == c->lb;

	if (!r[p].keep || (!in_a && !in_b))
		return 0;
	if (in_a != in_b || protected(a, b, &r[p]) || ++c->runs > CRUMB_RUNS)
		return -1;
	/* a heading's marks */
	if (a->tok[r[p].i].start == a->line[c->la].start && a->text[a->line[c->la].start] == '#')
		return -1;
	c->bytes += r[p].bytes;
	for (int32_t t = 0; t < r[p].len; t++)
		c->words += tok_is_word(&a->tok[r[p].i + t]);
	return c->words > CRUMB_WORDS ? -1 : 1;
}

/* Adds to c the kept runs of its sentences from r[p] on, a step at a
 * time (1, or SIZE_MAX to go back), up to the first kept run in neither
 * of them; -1 where crumb_add refuses one. */
static int crumbs_from(const dside *a, const dside *b, const eqrun *r, size_t n, size_t p,
		       size_t step, crumbs *c)
{
	for (; p < n; p += step) {
		int got = crumb_add(a, b, r, p, c);

		if (got < 0)
			return -1;
		if (got && step == 1)
			c->last = p;
		else if (got)
			c->first = p;
		else if (r[p].keep)
			break;
	}
	return 0;
}

/* A sentence rewritten but for a word or a full stop, on both sides:
 * "In [-2017, the sixth nuclear test ... peninsula-]{+addition, ... cyber+}."
 * reads as confetti. What is shown unchanged of e's sentences (e =
 * r[k]) is folded into the change when it is at most one word and its
 * punctuation, and at most a fifth of the sentence; 1 when it was. Runs
 * keep the order of the texts on both sides, so those of the same
 * sentences are next to each other in r. */
static int fold_crumbs(const dside *a, const dside *b, eqrun *r, size_t n, size_t k)
{
	crumbs c = {a->tok[r[k].i].line, b->tok[r[k].j].line, k, k, 0, 0, 0};

	/* the runs before r[k] (p from k - 1 down, until it wraps past 0),
	 * then those after */
	if (crumb_add(a, b, r, k, &c) < 0 || crumbs_from(a, b, r, n, k - 1, SIZE_MAX, &c) < 0 ||
	    crumbs_from(a, b, r, n, k + 1, 1, &c) < 0)
		return 0;
	if (c.bytes * CRUMB_SHARE > max2(line_bytes(a, c.la), line_bytes(b, c.lb)) - c.bytes)
		return 0;
	for (size_t p = c.first; p <= c.last; p++)
		r[p].keep = 0;
	return 1;
}

/* Equal runs, as they are made. */
typedef struct runs {
	eqrun *r;
	size_t n, cap;
} runs;

/* Where making runs is: the token of b after the last run, and the bytes
 * of a's changes since. */
typedef struct run_scan {
	int32_t pj;
	size_t deleted;
} run_scan;

/* The runs of a's tokens [from, to), matched tokens each within a line
 * on both sides, with the changes before each, after those of st; keep[i]
 * for each token (keep NULL: not). Runs start at from and at to (or to
 * is a's end). A's tokens are read once, their bytes counted as they are
 * passed; b's between runs. */
static int make_runs(const dside *a, const dside *b, uint8_t *keep, size_t from, size_t to,
		     run_scan *st, runs *v)
{
	for (int32_t i = (int32_t)from; i < (int32_t)to;) {
		const dtok *t = &a->tok[i];
		int32_t j, len = 1;
		uint32_t la, lb;
		size_t bytes;
		eqrun *nr;

		if (a->match[i] < 0) {
			if (keep)
				keep[i] = 0;
			if (a->move[i] == 0)
				st->deleted += t->end - t->start;
			i++;
			continue;
		}
		j = a->match[i];
		la = t->line;
		lb = b->tok[j].line;
		bytes = t->end - t->start;
		while (i + len < (int32_t)to && a->match[i + len] == j + len && t[len].line == la &&
		       b->tok[j + len].line == lb) {
			bytes += t[len].end - t[len].start;
			len++;
		}
		if (keep)
			memset(keep + i, 1, (size_t)len);
		if (!(nr = rl_room_for_one(v->r, &v->cap, v->n, sizeof(*nr), 256)))
			return RL_ENOMEM;
		v->r = nr;
		v->r[v->n++] = (eqrun){.i = i,
				       .j = j,
				       .len = len,
				       .bytes = bytes,
				       .del_before = st->deleted,
				       .ins_before = changed_bytes(b, st->pj, j),
				       .keep = 1};
		st->deleted = 0;
		st->pj = j + len;
		i += len;
	}
	return 0;
}

/* The runs' equalities folded into the changes around them, and keep[i]
 * cleared for the tokens of those folded. */
static void fold_runs(const dside *a, const dside *b, runs *v, uint8_t *keep)
{
	eqrun *r = v->r;
	size_t n = v->n;

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
	/* Then the sentences rewritten but for crumbs; a second pass for
	 * those whose neighbours in one text only were folded in the first.
	 * After the folding above, so that what it folded is not folded
	 * further for them. */
	for (int pass = 0, changed = 1; changed && pass < CRUMB_PASSES; pass++) {
		changed = 0;
		for (size_t k = 0; k < n; k++)
			if (r[k].keep && fold_crumbs(a, b, r, n, k))
				changed = 1;
	}
	for (size_t k = 0; k < n; k++)
		if (!r[k].keep)
			memset(keep + r[k].i, 0, (size_t)r[k].len);
}

/* The clean-up of a's tokens [from, to), with the runs of [to, upto)
 * after them, whose keep is not written (another part's): keep[i] for
 * each token of [from, to). from is 0 or starts a run. */
static int clean_part(const dside *a, const dside *b, uint8_t *keep, size_t from, size_t to,
		      size_t upto, rl_error *err)
{
	runs v = {NULL, 0, 0};
	run_scan st = {from ? a->match[from] : 0, 0};
	int rc = make_runs(a, b, keep, from, to, &st, &v);

	if (rc == 0 && upto > to)
		rc = make_runs(a, b, NULL, to, upto, &st, &v);
	if (rc == 0)
		fold_runs(a, b, &v, keep);
	free(v.r);
	return rc < 0 ? rl_error_set(err, RL_ENOMEM, "diff: out of memory") : 0;
}

/* Fills keep[i] for every token i of a: 1 to show it as equal. */
int diff_cleanup(const dside *a, const dside *b, uint8_t *keep, rl_error *err)
{
	return clean_part(a, b, keep, 0, a->ntok, a->ntok, err);
}

/* A line of a aligned whole, in order, within one line of b: its run is
 * a whole line, which folding never folds, and nothing folded before it
 * changes what is folded after it. */
static int whole_line_kept(const dside *a, const dside *b, const dline *l)
{
	int32_t m = l->ntok ? a->match[l->tok0] : -1;

	if (m < 0 || b->tok[m].line != b->tok[m + (int32_t)l->ntok - 1].line)
		return 0;
	for (uint32_t k = 1; k < l->ntok; k++)
		if (a->match[l->tok0 + k] != m + (int32_t)k)
			return 0;
	return 1;
}

size_t diff_cleanup_split(const dside *a, const dside *b, size_t near)
{
	for (size_t l = near < a->ntok ? a->tok[near].line : a->nline; l < a->nline; l++)
		if (a->line[l].tok0 >= near && a->line[l].tok0 > 0 &&
		    whole_line_kept(a, b, &a->line[l]))
			return a->line[l].tok0;
	return 0;
}

int diff_cleanup_front(const dside *a, const dside *b, uint8_t *keep, size_t split, rl_error *err)
{
	const dline *l = &a->line[a->tok[split].line];

	/* the line at split ends the runs (its keep is the back's) */
	return clean_part(a, b, keep, 0, split, l->tok0 + l->ntok, err);
}

int diff_cleanup_back(const dside *a, const dside *b, uint8_t *keep, size_t split, rl_error *err)
{
	return clean_part(a, b, keep, split, a->ntok, a->ntok, err);
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

/* Token t's bit in bits (NULL: none kept) set to v, 1: unmatched. */
static void set_unmatched(uint64_t *bits, int32_t t, int v)
{
	if (!bits)
		return;
	if (v)
		bits[t / 64] |= (uint64_t)1 << (t % 64);
	else
		bits[t / 64] &= ~((uint64_t)1 << (t % 64));
}

/* The first token of s from t on that is unmatched (want 1) or matched
 * (want 0), or s->ntok: through bits where there are (NULL: none kept,
 * out of memory), else token by token. */
static int32_t next_with(const dside *s, const uint64_t *bits, int32_t t, int want)
{
	if (bits)
		return (int32_t)diff_next_bit(bits, (size_t)t, s->ntok, want ? 0 : ~0ULL);
	while (t < (int32_t)s->ntok && (s->match[t] < 0) != want)
		t++;
	return t;
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
	uint64_t *starts = line_starts(s), *unmatched = diff_unmatched_bits(s);

	for (int32_t j0 = 0; j0 < (int32_t)s->ntok;) {
		int32_t j1, best = 0, best_score = -1, lo = 0, hi = 0;
		int32_t prev, next;

		if (s->match[j0] >= 0) {
			j0 = next_with(s, unmatched, j0, 1);
			continue;
		}
		j1 = next_with(s, unmatched, j0, 0);
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
				set_unmatched(unmatched, t, 0);
				set_unmatched(unmatched, t - (j1 - j0), 1);
			}
		} else if (best > 0) {
			for (int32_t t = j0; t < j0 + best; t++) {
				int32_t p = s->match[t + (j1 - j0)];

				s->match[t] = p;
				o->match[p] = t;
				s->match[t + (j1 - j0)] = -1;
				set_unmatched(unmatched, t, 0);
				set_unmatched(unmatched, t + (j1 - j0), 1);
			}
		}
		/* a run slid onto another is one run now: seen again whole */
		j0 = touches_run(s, j0 + best, j1 + best, best) ? j0 + best
								: j1 + (best > 0 ? best : 0);
	}
	free(starts);
	free(unmatched);
}

void diff_slide(dside *a, dside *b)
{
	slide_side(b, a);
	slide_side(a, b);
}
