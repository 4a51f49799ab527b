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
int words_read(words *w, const char *norm)
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
	return 0;
}

int words_of(words *w, const char *norm)
{
	if (words_read(w, norm) < 0)
		return -1;
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

/* --- words ranked ---------------------------------------------------------------- */

/* Every word of the unmatched items numbered by how rare it is (rarest
 * first, ties by hash), and each item's words as those ranks, sorted:
 * an item's rarest words come first (its prefix), a word's occurrences
 * are adjacent, and two items' shared words are found by a merge, as by
 * their hashes. Each occurrence's hash is looked up once, where the
 * count, the ranking and every prefix each looked it up again, and an
 * item's words are sorted once, by rank, where they were sorted by hash
 * and then again by rank for the prefix. */
typedef struct ranked {
	words *a, *b;   /* per item of each side: its ranks (unmatched items only) */
	uint32_t *pool; /* all of them, item after item */
	size_t n;       /* distinct words */
} ranked;

/* Open addressing from a word's hash to its number, in order of first
 * sight. */
typedef struct numbering {
	uint32_t *key, *val;
	uint8_t *used;
	size_t mask;
} numbering;

static size_t slot(const numbering *t, uint32_t h)
{
	size_t k = (size_t)(h * 2654435761u) & t->mask;

	while (t->used[k] && t->key[k] != h)
		k = (k + 1) & t->mask;
	return k;
}

static size_t side_total(const words_side *x)
{
	size_t total = 0;

	for (size_t i = 0; i < x->n; i++)
		total += x->match[i] < 0 ? x->w[i].n : 0;
	return total;
}

/* Each unmatched item's words, numbered, into its slice of the pool
 * (out[i]); each number's count and hash kept. Returns the pool's next
 * free place. */
static uint32_t *number_side(numbering *t, const words_side *x, words *out, uint32_t *pool,
			     uint32_t *count, uint32_t *hash, size_t *n)
{
	for (size_t i = 0; i < x->n; i++) {
		if (x->match[i] >= 0)
			continue;
		out[i] = (words){pool, x->w[i].n};
		for (size_t k = 0; k < x->w[i].n; k++) {
			uint32_t h = x->w[i].h[k];
			size_t at = slot(t, h);

			if (!t->used[at]) {
				t->used[at] = 1;
				t->key[at] = h;
				t->val[at] = (uint32_t)*n;
				count[*n] = 0;
				hash[(*n)++] = h;
			}
			count[t->val[at]]++;
			*pool++ = t->val[at];
		}
	}
	return pool;
}

/* The numbers of the pool (up to end) made ranks, and each item's ranks
 * sorted. */
static int rank_pool(ranked *r, const numbering *t, const uint32_t *count, const uint32_t *hash,
		     uint32_t *end, const words_side *a, const words_side *b)
{
	uint64_t *v = malloc((r->n + 1) * sizeof(*v));
	/* zeroed: every number is given its rank below, which clang's
	 * analyzer cannot follow through the table's slots */
	uint32_t *rank = calloc(r->n + 1, sizeof(*rank));

	if (!v || !rank) {
		free(v);
		free(rank);
		return -1;
	}
	for (size_t k = 0; k < r->n; k++)
		v[k] = (uint64_t)count[k] << 32 | hash[k];
	sort_u64(v, r->n);
	for (size_t k = 0; k < r->n; k++)
		rank[t->val[slot(t, (uint32_t)v[k])]] = (uint32_t)k;
	for (uint32_t *p = r->pool; p < end; p++)
		*p = rank[*p];
	for (size_t i = 0; i < a->n; i++)
		sort_u32(r->a[i].h, r->a[i].n);
	for (size_t j = 0; j < b->n; j++)
		sort_u32(r->b[j].h, r->b[j].n);
	free(v);
	free(rank);
	return 0;
}

static int ranked_make(ranked *r, const words_side *a, const words_side *b)
{
	size_t total = side_total(a) + side_total(b), cap = 16;
	numbering t = {0};
	uint32_t *count = malloc((total + 1) * sizeof(*count));
	uint32_t *hash = malloc((total + 1) * sizeof(*hash)), *end;
	int rc = -1;

	while (cap < 2 * total + 2)
		cap *= 2;
	t.mask = cap - 1;
	t.key = malloc(cap * sizeof(*t.key));
	t.val = malloc(cap * sizeof(*t.val));
	t.used = calloc(cap, 1);
	r->pool = malloc((total + 1) * sizeof(*r->pool));
	r->a = calloc(a->n + 1, sizeof(*r->a));
	r->b = calloc(b->n + 1, sizeof(*r->b));
	if (count && hash && t.key && t.val && t.used && r->pool && r->a && r->b) {
		end = number_side(&t, a, r->a, r->pool, count, hash, &r->n);
		end = number_side(&t, b, r->b, end, count, hash, &r->n);
		rc = rank_pool(r, &t, count, hash, end, a, b);
	}
	free(count);
	free(hash);
	free(t.key);
	free(t.val);
	free(t.used);
	return rc;
}

static void ranked_free(ranked *r)
{
	free(r->a);
	free(r->b);
	free(r->pool);
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

/* The item's first plen occurrences (its ranks, sorted) as (rank << 32 |
 * occurrence) in out[]; returns plen. */
static size_t prefix_of(const words *w, double min, uint64_t *out)
{
	size_t plen = prefix_len(w->n, min);
	uint32_t occ = 0;

	for (size_t k = 0; k < plen; k++) {
		occ = k > 0 && w->h[k] == w->h[k - 1] ? occ + 1 : 0;
		out[k] = (uint64_t)w->h[k] << 32 | occ;
	}
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

static int verify(const ranked *r, size_t i, size_t j, double min, words_pair_fn fn, void *ctx)
{
	size_t x = r->a[i].n, y = r->b[j].n;
	double sim;

	/* Dice cannot reach the bar when the lengths differ this much. */
	if (2.0 * (double)(x < y ? x : y) < min * (double)(x + y))
		return 0;
	sim = dice_at_least(&r->a[i], &r->b[j], min);
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

static int index_build(prefix_index *ix, const ranked *r, const words_side *b, double min,
		       uint64_t *tmp)
{
	ix->post = malloc((side_total(b) + 1) * sizeof(*ix->post));
	ix->empty = malloc((b->n + 1) * sizeof(*ix->empty));
	if (!ix->post || !ix->empty)
		return -1;
	for (size_t j = 0; j < b->n; j++) {
		size_t plen;

		if (b->match[j] >= 0)
			continue;
		if (r->b[j].n == 0) {
			ix->empty[ix->n_empty++] = j;
			continue;
		}
		plen = prefix_of(&r->b[j], min, tmp);
		for (size_t k = 0; k < plen; k++)
			ix->post[ix->n++] = (posting){tmp[k], j, k};
	}
	sort_postings(ix->post, ix->n);
	/* zeroed, and one more: every entry is written below, and a rank
	 * probed is below r->n, which clang's analyzer cannot follow from
	 * the ranks into the prefixes */
	if (!(ix->rank_at = calloc(r->n + 2, sizeof(*ix->rank_at))))
		return -1;
	for (size_t q = 0, k = 0; q <= r->n; q++) {
		while (k < ix->n && (ix->post[k].tok >> 32) < q)
			k++;
		ix->rank_at[q] = k;
	}
	return 0;
}

/* The b items whose prefix shares a token with a's item i, ascending.
 * The first token shared is the rarest both have: neither has a shared
 * token before it, so what follows it in each bounds how many they share
 * (PPJoin's positional filter), and a pair that cannot reach min is left
 * out before its words are compared. */
static size_t probe(const prefix_index *ix, const ranked *r, const uint64_t *pre, size_t plen,
		    size_t i, double min, size_t *stamp, size_t *out)
{
	size_t n = 0, x = r->a[i].n;

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
			size_t j = ix->post[lo].item, y = r->b[j].n, rx = x - k,
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
	ranked r = {0};
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
	/* zeroed: each prefix is written before it is read, up to its
	 * length, which clang's analyzer cannot follow into probe() */
	tmp = calloc(longest + 1, sizeof(*tmp));
	stamp = calloc(b->n + 1, sizeof(*stamp));
	cand = malloc((b->n + 1) * sizeof(*cand));
	if (!tmp || !stamp || !cand || ranked_make(&r, a, b) < 0 ||
	    index_build(&ix, &r, b, min, tmp) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < a->n && rc == 0; i++) {
		size_t nc;

		if (a->match[i] >= 0)
			continue;
		if (r.a[i].n == 0) {
			for (size_t k = 0; k < ix.n_empty && rc == 0; k++)
				rc = verify(&r, i, ix.empty[k], min, fn, ctx);
			continue;
		}
		nc = probe(&ix, &r, tmp, prefix_of(&r.a[i], min, tmp), i, min, stamp, cand);
		for (size_t k = 0; k < nc && rc == 0; k++)
			rc = verify(&r, i, cand[k], min, fn, ctx);
	}
out:
	ranked_free(&r);
	free(ix.post);
	free(ix.rank_at);
	free(ix.empty);
	free(tmp);
	free(stamp);
	free(cand);
	return rc;
}
