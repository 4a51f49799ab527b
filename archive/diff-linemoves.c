/* Moved sentences. A sentence (a line of canonical text) that is the
 * same on both sides but that the alignment did not pair with itself
 * changed places: the alignment went another way and may have lent its
 * words, one by one, to other sentences ("The", "of", "the"), so that the
 * move finder, which works on words nobody took, sees only fragments of
 * it. Whole equal sentences are strong evidence, so they are paired
 * first, taking their words back; the partners of the words taken are
 * left for diff_realign. Consecutive sentences that moved together are
 * one move. */
#include <stdlib.h>
#include <string.h>

#include "redline/thread.h"

#include "diff-internal.h"

#define LINE_MIN_WORDS 2 /* shorter sentences ("Yes.") recur by chance */

/* What b's hashes hold besides hashes: a line not hashed, being aligned
 * in place then, and one of too few words (which stays so). */
enum { HASH_NONE, HASH_FEW_WORDS, HASH_FIRST };

static uint64_t line_hash(const dside *s, const dline *l)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ l->ntok;

	for (uint32_t k = 0; k < l->ntok; k++) {
		h ^= s->ids[l->tok0 + k];
		h *= 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	return h < HASH_FIRST ? h + HASH_FIRST : h; /* 0 and 1 say more (hb below) */
}

/* Has the line LINE_MIN_WORDS words? Read up to the one that makes them,
 * not to the end of the line. */
static int enough_words(const dside *s, const dline *l)
{
	size_t w = 0;

	for (uint32_t k = 0; k < l->ntok && w < LINE_MIN_WORDS; k++)
		w += tok_is_word(&s->tok[l->tok0 + k]);
	return w >= LINE_MIN_WORDS;
}

/* The first token of the line `ahead` lines on, asked for now: counting
 * a line's words reads its first tokens, a line apart in the array, and
 * missed the cache at nearly every line. */
#define LINES_AHEAD 32

static inline void prefetch_line(const dside *s, size_t l)
{
	/* a line with tokens: a side of blank lines has no token array */
	if (l + LINES_AHEAD < s->nline && s->line[l + LINES_AHEAD].ntok)
		__builtin_prefetch(&s->tok[s->line[l + LINES_AHEAD].tok0]);
}

/* Aligned in place as a whole: every token matched, to one run. */
static int in_place(const dside *s, const dline *l)
{
	int32_t first = s->match[l->tok0];

	if (first < 0)
		return 0;
	for (uint32_t k = 1; k < l->ntok; k++)
		if (s->match[l->tok0 + k] != first + (int32_t)k)
			return 0;
	return 1;
}

/* Can the line still move: none of its tokens moved already. */
static int unmoved(const dside *s, const dline *l)
{
	for (uint32_t k = 0; k < l->ntok; k++)
		if (s->move[l->tok0 + k])
			return 0;
	return 1;
}

/* Is any token of la matched into lb (partly aligned with each other)? */
static int touches(const dside *a, const dline *la, const dline *lb)
{
	for (uint32_t k = 0; k < la->ntok; k++) {
		int32_t m = a->match[la->tok0 + k];

		if (m >= (int32_t)lb->tok0 && m < (int32_t)(lb->tok0 + lb->ntok))
			return 1;
	}
	return 0;
}

static int same_ids(const dside *a, const dline *la, const dside *b, const dline *lb)
{
	return la->ntok == lb->ntok &&
	       memcmp(a->ids + la->tok0, b->ids + lb->tok0, la->ntok * sizeof(uint32_t)) == 0;
}

/* a's lines that may have moved, by hash: chains of lines through head
 * (cap buckets) and next, each line's hash beside. */
typedef struct line_index {
	const dside *a;
	size_t cap;
	int32_t *head, *next;
	uint64_t *hash;
} line_index;

static void *index_lines(void *arg)
{
	line_index *x = arg;
	const dside *a = x->a;

	memset(x->head, 0xff, x->cap * sizeof(*x->head));
	for (size_t l = a->nline; l-- > 0;) {
		const dline *la = &a->line[l];
		size_t h;

		if (l >= LINES_AHEAD && a->line[l - LINES_AHEAD].ntok) /* see prefetch_line */
			__builtin_prefetch(&a->tok[a->line[l - LINES_AHEAD].tok0]);
		if (!la->ntok || in_place(a, la) || !enough_words(a, la))
			continue;
		x->hash[l] = line_hash(a, la);
		h = x->hash[l] & (x->cap - 1);
		x->next[l] = x->head[h];
		x->head[h] = (int32_t)l;
	}
	return NULL;
}

/* With threads, a's lines are indexed on a second thread while b's are
 * hashed. */
int diff_line_moves(dside *a, dside *b, dmoves *mv, int threads, rl_error *err)
{
	line_index x = {a, 16, NULL, NULL, NULL};
	uint64_t *hb = NULL;
	size_t last_a = SIZE_MAX, last_b = SIZE_MAX; /* the token after the last move */
	int nmoves = (int)mv->n, threaded = 0;
	rl_task *task;

	while (x.cap < a->nline * 2)
		x.cap *= 2;
	x.head = malloc(x.cap * sizeof(*x.head));
	x.next = malloc((a->nline + 1) * sizeof(*x.next));
	x.hash = malloc((a->nline + 1) * sizeof(*x.hash));
	hb = malloc((b->nline + 1) * sizeof(*hb));
	if (!x.head || !x.next || !x.hash || !hb) {
		nmoves =
		    rl_error_set(err, RL_ENOMEM, "diff: out of memory finding moved sentences");
		goto out;
	}
	threaded = threads && rl_task_start(&task, index_lines, &x) == 0;
	if (!threaded)
		index_lines(&x);
	/* b's hashes meanwhile: its tokens and their ids do not change here.
	 * A line aligned in place is not hashed (most lines of a text a day
	 * older); the moves below may take its partners, and then it is
	 * hashed when it is reached. Whether a line is in place is asked
	 * first, and its words are counted once: that reads the matches, in
	 * order, where counting words reads each line's first tokens, a cache
	 * miss a line (most of the time of finding moved sentences). */
	for (size_t l = 0; l < b->nline; l++) {
		const dline *lb = &b->line[l];

		prefetch_line(b, l);
		if (!lb->ntok || in_place(b, lb))
			hb[l] = HASH_NONE;
		else
			hb[l] = enough_words(b, lb) ? line_hash(b, lb) : HASH_FEW_WORDS;
	}
	if (threaded)
		rl_task_join(task);
	for (size_t l = 0; l < b->nline; l++) {
		const dline *lb = &b->line[l];
		int32_t k;

		if (!lb->ntok || in_place(b, lb) || hb[l] == HASH_FEW_WORDS)
			continue;
		if (hb[l] == HASH_NONE) /* in place when hashing, no longer */
			hb[l] = enough_words(b, lb) ? line_hash(b, lb) : HASH_FEW_WORDS;
		if (hb[l] == HASH_FEW_WORDS || !unmoved(b, lb))
			continue;
		for (k = x.head[hb[l] & (x.cap - 1)]; k >= 0; k = x.next[k]) {
			const dline *la = &a->line[k];

			if (x.hash[k] == hb[l] && same_ids(a, la, b, lb) && unmoved(a, la) &&
			    !in_place(a, la) && !touches(a, la, lb))
				break;
		}
		if (k < 0)
			continue;
		/* a sentence that follows the last moved one on both sides
		 * moves with it */
		if (last_a == a->line[k].tok0 && last_b == lb->tok0) {
			mv->at[4 * (size_t)nmoves + 1] += lb->ntok;
			mv->at[4 * (size_t)nmoves + 3] += lb->ntok;
		} else if ((nmoves = dmoves_add(mv, a->line[k].tok0, lb->tok0, lb->ntok)) < 0) {
			nmoves = rl_error_set(err, RL_ENOMEM,
					      "diff: out of memory finding moved sentences");
			goto out;
		}
		for (uint32_t t = 0; t < lb->ntok; t++) {
			size_t i = a->line[k].tok0 + t, j = lb->tok0 + t;

			diff_unmatch(a, b, i);
			diff_unmatch(b, a, j);
			a->move[i] = b->move[j] = nmoves;
			a->dirty[i] = b->dirty[j] = 0;
		}
		last_a = a->line[k].tok0 + lb->ntok;
		last_b = lb->tok0 + lb->ntok;
	}
out:
	free(x.head);
	free(x.next);
	free(x.hash);
	free(hb);
	return nmoves;
}
