/* Items as word multisets, and which pairs of them are similar.
 *
 * Pairing the unmatched items of two versions compared every item with
 * every other: a rewritten edition has hundreds a side, and the Dice
 * coefficients were most of the time `redline compare` spent outside the
 * diff. Prefix filtering (the all-pairs similarity joins of Bayardo et
 * al. and PPJoin) finds the same pairs from an index: order every word
 * occurrence by how rare its word is; two multisets sharing at least t
 * occurrences share one among the first |x| - t + 1 of each. A pair at
 * Dice >= s shares at least s|x| / (2 - s) of x's words whatever its
 * partner, so each item is indexed and looked up by that prefix only,
 * mostly its rarest words, and the candidates it meets are verified with
 * the full coefficient. The pairs reported are exactly the pairs the
 * comparison of all with all gives. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "principles-words.h"
#include "sort.h"

/* Not isalnum: the same in the C locale, a call per byte, and it would
 * follow the locale. */
int word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* qsort's calls of a comparison function were a third of pairing the
 * items: these arrays (a few thousand per comparison, mostly a few dozen
 * elements each) are sorted by value instead. Equal elements are
 * indistinguishable (postings are never equal), so the arrays come out
 * as qsort left them. */
DEFINE_SORT(sort_u32, uint32_t, NUM_LESS)
DEFINE_SORT(sort_u64, uint64_t, NUM_LESS)
DEFINE_SORT(sort_size, size_t, NUM_LESS)

/* Words are bytes other than ASCII punctuation and space, so Hangul and
 * kana words count. */
int words_of(words *w, const char *norm)
{
	const unsigned char *p = (const unsigned char *)norm;

	w->n = 0;
	w->h = malloc((strlen(norm) / 2 + 1) * sizeof(*w->h));
	if (!w->h)
		return -1;
	/* up to the text's NUL, which is no word byte: no length to check
	 * at every byte besides */
	for (;;) {
		uint32_t h = 2166136261u;

		while (*p && !word_byte(*p))
			p++;
		if (!*p)
			break;
		do
			h = (h ^ *p++) * 16777619u;
		while (word_byte(*p));
		w->h[w->n++] = h;
	}
	sort_u32(w->h, w->n);
	return 0;
}

/* The words a and b share (sorted multisets), by a merge that stops once
 * what is left cannot bring twice the count up to bar (0: it never
 * stops): then the count is short of it. Most candidate pairs fall short
 * early, and long items (tables flattened into one line) made the whole
 * merge most of the pairing. */
static size_t common_words(const words *a, const words *b, double bar)
{
	/* the fewest shared words whose double reaches bar (halving is
	 * exact), so the merge's test is on integers */
	size_t i = 0, j = 0, common = 0, need = (size_t)ceil(bar / 2.0);

	while (i < a->n && j < b->n) {
		size_t left = a->n - i < b->n - j ? a->n - i : b->n - j;

		if (common + left < need)
			break;
		if (a->h[i] == b->h[j]) {
			common++;
			i++;
			j++;
		} else if (a->h[i] < b->h[j]) {
			i++;
		} else {
			j++;
		}
	}
	return common;
}

/* The Dice coefficient of a and b where it is min or more, else some
 * value under min. */
static double dice_at_least(const words *a, const words *b, double min)
{
	size_t n = a->n + b->n;

	if (n == 0)
		return 1.0;
	return 2.0 * (double)common_words(a, b, min * (double)n) / (double)n;
}

double words_dice(const words *a, const words *b)
{
	return dice_at_least(a, b, 0.0);
}

/* --- word frequencies ----------------------------------------------------------- */

/* Open addressing from a word's hash to its rank (rarest first). */
typedef struct freq {
	uint32_t *key;
	uint32_t *val; /* count, then rank */
	uint8_t *used;
	size_t mask;
	size_t n; /* words (ranks) */
} freq;

static size_t slot(const freq *f, uint32_t h)
{
	size_t k = (size_t)(h * 2654435761u) & f->mask;

	while (f->used[k] && f->key[k] != h)
		k = (k + 1) & f->mask;
	return k;
}

static int freq_count(freq *f, const words_side *a, const words_side *b)
{
	size_t total = 0, cap = 16;
	const words_side *sd[2] = {a, b};

	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sd[s]->n; i++)
			total += sd[s]->match[i] < 0 ? sd[s]->w[i].n : 0;
	while (cap < 2 * total + 2)
		cap *= 2;
	f->mask = cap - 1;
	f->key = malloc(cap * sizeof(*f->key));
	f->val = malloc(cap * sizeof(*f->val));
	f->used = calloc(cap, 1);
	if (!f->key || !f->val || !f->used)
		return -1;
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < sd[s]->n; i++) {
			if (sd[s]->match[i] >= 0)
				continue;
			for (size_t k = 0; k < sd[s]->w[i].n; k++) {
				uint32_t h = sd[s]->w[i].h[k];
				size_t at = slot(f, h);

				if (!f->used[at]) {
					f->used[at] = 1;
					f->key[at] = h;
					f->val[at] = 0;
				}
				f->val[at]++;
			}
		}
	}
	return 0;
}

/* Replaces the counts by ranks: rarest first, ties by hash. */
static int freq_rank(freq *f)
{
	size_t n = 0;
	uint64_t *v = malloc((f->mask + 1) * sizeof(*v));

	if (!v)
		return -1;
	for (size_t k = 0; k <= f->mask; k++)
		if (f->used[k])
			v[n++] = (uint64_t)f->val[k] << 32 | f->key[k];
	sort_u64(v, n);
	for (size_t r = 0; r < n; r++)
		f->val[slot(f, (uint32_t)v[r])] = (uint32_t)r;
	f->n = n;
	free(v);
	return 0;
}

static void freq_free(freq *f)
{
	free(f->key);
	free(f->val);
	free(f->used);
}

/* --- prefixes ------------------------------------------------------------------- */

/* How many of an item's n word occurrences, rarest first, must be looked
 * at: all but the fewest a similar partner shares with it, less one.
 * floor() errs on the side of a longer prefix. */
static size_t prefix_len(size_t n, double min)
{
	size_t t = (size_t)(min * (double)n / (2.0 - min));

	return t > 0 ? n - t + 1 : n;
}

/* The item's occurrences as (rank << 32 | occurrence), the first plen in
 * order in out[]; returns plen. Equal hashes are adjacent in w. */
static size_t prefix_of(const freq *f, const words *w, double min, uint64_t *out)
{
	size_t plen = prefix_len(w->n, min);
	uint32_t occ = 0;

	for (size_t k = 0; k < w->n; k++) {
		occ = k > 0 && w->h[k] == w->h[k - 1] ? occ + 1 : 0;
		out[k] = (uint64_t)f->val[slot(f, w->h[k])] << 32 | occ;
	}
	sort_u64(out, w->n);
	return plen;
}

/* b's prefixes: (token, item) sorted by token. */
typedef struct posting {
	uint64_t tok;
	size_t item;
	size_t pos; /* the token's place in the item's order */
} posting;

#define POSTING_LESS(x, y) ((x).tok < (y).tok || ((x).tok == (y).tok && (x).item < (y).item))
DEFINE_SORT(sort_postings, posting, POSTING_LESS)

static int verify(const words_side *a, const words_side *b, size_t i, size_t j, double min,
		  words_pair_fn fn, void *ctx)
{
	size_t x = a->w[i].n, y = b->w[j].n;
	double sim;

	/* Dice cannot reach the bar when the lengths differ this much. */
	if (2.0 * (double)(x < y ? x : y) < min * (double)(x + y))
		return 0;
	sim = dice_at_least(&a->w[i], &b->w[j], min);
	return sim < min ? 0 : fn(i, j, sim, ctx);
}

typedef struct prefix_index {
	posting *post;
	size_t n;
	/* the first posting of each rank (and one past the last): a
	 * token's postings found at once, where galloping through them
	 * was most of the probing */
	size_t *rank_at;
	size_t *empty; /* b's unmatched items without words: they pair with a's */
	size_t n_empty;
} prefix_index;

static int index_build(prefix_index *ix, const freq *f, const words_side *b, double min,
		       uint64_t *tmp)
{
	size_t total = 0;

	for (size_t j = 0; j < b->n; j++)
		total += b->match[j] < 0 ? b->w[j].n : 0;
	ix->post = malloc((total + 1) * sizeof(*ix->post));
	ix->empty = malloc((b->n + 1) * sizeof(*ix->empty));
	if (!ix->post || !ix->empty)
		return -1;
	for (size_t j = 0; j < b->n; j++) {
		size_t plen;

		if (b->match[j] >= 0)
			continue;
		if (b->w[j].n == 0) {
			ix->empty[ix->n_empty++] = j;
			continue;
		}
		plen = prefix_of(f, &b->w[j], min, tmp);
		for (size_t k = 0; k < plen; k++)
			ix->post[ix->n++] = (posting){tmp[k], j, k};
	}
	sort_postings(ix->post, ix->n);
	if (!(ix->rank_at = malloc((f->n + 1) * sizeof(*ix->rank_at))))
		return -1;
	for (size_t r = 0, k = 0; r <= f->n; r++) {
		while (k < ix->n && (ix->post[k].tok >> 32) < r)
			k++;
		ix->rank_at[r] = k;
	}
	return 0;
}

/* The b items whose prefix shares a token with a's item i, ascending.
 * The first token shared is the rarest both have: neither has a shared
 * token before it, so what follows it in each bounds how many they share
 * (PPJoin's positional filter), and a pair that cannot reach min is left
 * out before its words are compared. */
static size_t probe(const prefix_index *ix, const words_side *a, const words_side *b,
		    const uint64_t *pre, size_t plen, size_t i, double min, size_t *stamp,
		    size_t *out)
{
	size_t n = 0, x = a->w[i].n;

	for (size_t k = 0; k < plen; k++) {
		size_t lo, hi;

		/* A word's second occurrence comes after its first in every
		 * prefix (their order is the rank's, then the occurrence's):
		 * an item that has it shared the first, and was met there. */
		if ((uint32_t)pre[k] != 0)
			continue;
		lo = ix->rank_at[pre[k] >> 32];
		hi = ix->rank_at[(pre[k] >> 32) + 1];
		for (; lo < hi && ix->post[lo].tok == pre[k]; lo++) {
			size_t j = ix->post[lo].item, y = b->w[j].n, rx = x - k,
			       ry = y - ix->post[lo].pos;

			if (stamp[j] == i + 1)
				continue;
			stamp[j] = i + 1;
			if (2.0 * (double)(rx < ry ? rx : ry) >= min * (double)(x + y))
				out[n++] = j;
		}
	}
	sort_size(out, n);
	return n;
}

int words_similar_pairs(const words_side *a, const words_side *b, double min, words_pair_fn fn,
			void *ctx)
{
	freq f = {0};
	prefix_index ix = {0};
	size_t longest = 0, *stamp = NULL, *cand = NULL;
	uint64_t *tmp = NULL;
	int rc = -1;

	for (int s = 0; s < 2; s++) {
		const words_side *x = s ? b : a;

		for (size_t i = 0; i < x->n; i++)
			if (x->w[i].n > longest)
				longest = x->w[i].n;
	}
	tmp = malloc((longest + 1) * sizeof(*tmp));
	stamp = calloc(b->n + 1, sizeof(*stamp));
	cand = malloc((b->n + 1) * sizeof(*cand));
	if (!tmp || !stamp || !cand || freq_count(&f, a, b) < 0 || freq_rank(&f) < 0 ||
	    index_build(&ix, &f, b, min, tmp) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < a->n && rc == 0; i++) {
		size_t nc;

		if (a->match[i] >= 0)
			continue;
		if (a->w[i].n == 0) {
			for (size_t k = 0; k < ix.n_empty && rc == 0; k++)
				rc = verify(a, b, i, ix.empty[k], min, fn, ctx);
			continue;
		}
		nc = probe(&ix, a, b, tmp, prefix_of(&f, &a->w[i], min, tmp), i, min, stamp, cand);
		for (size_t k = 0; k < nc && rc == 0; k++)
			rc = verify(a, b, i, cand[k], min, fn, ctx);
	}
out:
	freq_free(&f);
	free(ix.post);
	free(ix.rank_at);
	free(ix.empty);
	free(tmp);
	free(stamp);
	free(cand);
	return rc;
}
