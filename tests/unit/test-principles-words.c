/* words_similar_pairs finds items to pair from an index of their rarest
 * words instead of comparing every item with every other: it must report
 * exactly the pairs (and in the order) the comparison of all with all
 * reports, checked on random multisets (few and many distinct words,
 * repeated words, empty items, matched items left out) at several bars.
 * The sort it uses (sort.h) must sort what qsort sorts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../archive/principles-words.h"
#include "../../archive/sort.h"

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return (a > b) - (a < b);
}

typedef struct pairs {
	size_t (*v)[2];
	double *sim;
	size_t n, cap;
} pairs;

static int collect(size_t i, size_t j, double sim, void *ctx)
{
	pairs *p = ctx;

	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		p->sim = realloc(p->sim, p->cap * sizeof(*p->sim));
		assert_non_null(p->v);
		assert_non_null(p->sim);
	}
	p->v[p->n][0] = i;
	p->v[p->n][1] = j;
	p->sim[p->n++] = sim;
	return 0;
}

/* n items of 0..maxlen words drawn from vocab distinct words; some
 * derived from the other side's items (so that pairs exist); about a
 * tenth already matched. */
static void make_side(words *w, int *match, size_t n, size_t maxlen, uint32_t vocab,
		      const words *like, size_t nlike, uint64_t *seed)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = rnd(seed) % (maxlen + 1);
		const words *src = like && nlike && rnd(seed) % 2 ? &like[rnd(seed) % nlike] : NULL;

		w[i].h = malloc((len + (src ? src->n : 0) + 1) * sizeof(uint32_t));
		assert_non_null(w[i].h);
		w[i].n = 0;
		if (src) {
			/* a rewording: most words kept, a few replaced */
			for (size_t k = 0; k < src->n; k++)
				w[i].h[w[i].n++] = rnd(seed) % 5 ? src->h[k] : rnd(seed) % vocab;
		} else {
			for (size_t k = 0; k < len; k++)
				w[i].h[w[i].n++] = rnd(seed) % vocab;
		}
		qsort(w[i].h, w[i].n, sizeof(uint32_t), cmp_u32);
		match[i] = rnd(seed) % 10 == 0 ? 0 : -1;
	}
}

/* Each item's words in a random order (Fisher-Yates). */
static void shuffle_side(words *w, size_t n, uint64_t *seed)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = w[i].n; k > 1; k--) {
			size_t r = rnd(seed) % k;
			uint32_t t = w[i].h[k - 1];

			w[i].h[k - 1] = w[i].h[r];
			w[i].h[r] = t;
		}
}

static void all_with_all(const words_side *a, const words_side *b, double min, pairs *out)
{
	for (size_t i = 0; i < a->n; i++) {
		for (size_t j = 0; j < b->n; j++) {
			double sim;

			if (a->match[i] >= 0 || b->match[j] >= 0)
				continue;
			sim = words_dice(&a->w[i], &b->w[j]);
			if (sim >= min)
				collect(i, j, sim, out);
		}
	}
}

static void check(size_t na, size_t nb, size_t maxlen, uint32_t vocab, uint64_t seed)
{
	static const double bars[] = {0.3, 0.5, 0.8, 1.0};
	words *wa = calloc(na + 1, sizeof(*wa)), *wb = calloc(nb + 1, sizeof(*wb));
	int *ma = calloc(na + 1, sizeof(*ma)), *mb = calloc(nb + 1, sizeof(*mb));

	assert_true(wa && wb && ma && mb);
	make_side(wa, ma, na, maxlen, vocab, NULL, 0, &seed);
	make_side(wb, mb, nb, maxlen, vocab, wa, na, &seed);
	for (size_t k = 0; k < sizeof(bars) / sizeof(*bars); k++) {
		words_side a = {wa, ma, na}, b = {wb, mb, nb};
		pairs want = {0};

		all_with_all(&a, &b, bars[k], &want);
		/* the items' words sorted, then in the order of a text
		 * (words_read): the same pairs either way */
		for (int shuffled = 0; shuffled < 2; shuffled++) {
			pairs got = {0};

			if (shuffled) {
				shuffle_side(wa, na, &seed);
				shuffle_side(wb, nb, &seed);
			}
			assert_int_equal(words_similar_pairs(&a, &b, bars[k], collect, &got), 0);
			assert_int_equal(got.n, want.n);
			for (size_t p = 0; p < want.n; p++) {
				assert_int_equal(got.v[p][0], want.v[p][0]);
				assert_int_equal(got.v[p][1], want.v[p][1]);
				assert_true(got.sim[p] == want.sim[p]);
			}
			free(got.v);
			free(got.sim);
		}
		for (size_t i = 0; i < na; i++)
			qsort(wa[i].h, wa[i].n, sizeof(uint32_t), cmp_u32);
		for (size_t j = 0; j < nb; j++)
			qsort(wb[j].h, wb[j].n, sizeof(uint32_t), cmp_u32);
		free(want.v);
		free(want.sim);
	}
	for (size_t i = 0; i < na; i++)
		free(wa[i].h);
	for (size_t j = 0; j < nb; j++)
		free(wb[j].h);
	free(wa);
	free(wb);
	free(ma);
	free(mb);
}

/* Few distinct words: many repeats inside an item, many pairs. */
static void test_small_vocabulary(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 40; seed++)
		check(30, 35, 12, 8, seed);
}

/* Many distinct words: pairs come almost only from rewordings. */
static void test_large_vocabulary(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 10; seed++)
		check(200, 220, 40, 5000, seed);
}

/* Short items and empty ones: an empty item pairs with an empty one. */
static void test_short_and_empty(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 40; seed++)
		check(25, 25, 3, 6, seed);
}

/* The pairs exist at all: a reworded item is found (the checks above
 * would pass on two empty answers). */
static void test_finds_rewording(void **state)
{
	uint32_t x[] = {1, 2, 3, 4, 5, 6, 7, 8}, y[] = {1, 2, 3, 4, 5, 6, 9, 10}, z[] = {11, 12};
	words wa[] = {{x, 8}}, wb[] = {{z, 2}, {y, 8}};
	int ma[] = {-1}, mb[] = {-1, -1};
	words_side a = {wa, ma, 1}, b = {wb, mb, 2};
	pairs got = {0};

	(void)state;
	assert_int_equal(words_similar_pairs(&a, &b, 0.5, collect, &got), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.v[0][0], 0);
	assert_int_equal(got.v[0][1], 1);
	assert_true(got.sim[0] == 0.75);
	free(got.v);
	free(got.sim);
}

/* words_read gives a text's words in its order, words_of the same ones
 * sorted; punctuation and spaces are no words, Hangul is. */
static void test_words_read_and_of(void **state)
{
	const char *text = "pax, lux; pax -- 평화 lux.";
	words r, o;
	uint32_t want[5];

	(void)state;
	assert_int_equal(words_read(&r, text), 0);
	assert_int_equal(words_of(&o, text), 0);
	assert_int_equal(r.n, 5);
	assert_int_equal(o.n, 5);
	/* the same word, the same hash, wherever it is */
	assert_true(r.h[0] == r.h[2]);
	assert_true(r.h[1] == r.h[4]);
	assert_true(r.h[0] != r.h[1] && r.h[3] != r.h[0] && r.h[3] != r.h[1]);
	memcpy(want, r.h, sizeof(want));
	qsort(want, 5, sizeof(*want), cmp_u32);
	assert_memory_equal(o.h, want, sizeof(want));
	free(r.h);
	free(o.h);
}

typedef struct pair {
	uint32_t key, tie;
} pair;

#define PAIR_LESS(x, y) ((x).key < (y).key || ((x).key == (y).key && (x).tie < (y).tie))
DEFINE_SORT(sort_u32, uint32_t, NUM_LESS)
DEFINE_SORT(sort_pairs, pair, PAIR_LESS)

static int cmp_pair(const void *x, const void *y)
{
	const pair *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->tie > b->tie) - (a->tie < b->tie);
}

/* The orders that break quicksorts: sorted, reversed, all equal, few
 * distinct values, organ pipe, sawtooth, random; at sizes around the
 * switch to insertion sort and larger; and the heapsort alone (what the
 * quicksort falls back on when it goes too deep). */
static void test_sort_matches_qsort(void **state)
{
	static const size_t sizes[] = {0, 1, 2, 3, 15, 16, 17, 18, 31, 33, 100, 1000, 4099};
	uint32_t *v = malloc(4099 * sizeof(*v)), *want = malloc(4099 * sizeof(*want));
	pair *p = malloc(4099 * sizeof(*p)), *pwant = malloc(4099 * sizeof(*pwant));
	uint64_t seed = 7;

	(void)state;
	assert_non_null(v);
	assert_non_null(want);
	assert_non_null(p);
	assert_non_null(pwant);
	for (size_t z = 0; z < sizeof(sizes) / sizeof(*sizes); z++) {
		size_t n = sizes[z];

		for (int order = 0; order < 7; order++)
			for (int heap = 0; heap < 2; heap++) {
				for (size_t i = 0; i < n; i++) {
					uint32_t x = order == 0   ? (uint32_t)i
						     : order == 1 ? (uint32_t)(n - i)
						     : order == 2 ? 5u
						     : order == 3 ? rnd(&seed) % 3
						     : order == 4
							 ? (uint32_t)(i < n / 2 ? i : n - i)
						     : order == 5 ? (uint32_t)(i % 7)
								  : rnd(&seed);

					v[i] = want[i] = x;
					p[i] = pwant[i] =
					    (pair){x % 11, rnd(&seed) % 5 + (uint32_t)i};
				}
				qsort(want, n, sizeof(*want), cmp_u32);
				qsort(pwant, n, sizeof(*pwant), cmp_pair);
				if (heap) {
					sort_u32_depth(v, n, 0);
					sort_pairs_depth(p, n, 0);
				} else {
					sort_u32(v, n);
					sort_pairs(p, n);
				}
				for (size_t i = 0; i < n; i++) {
					if (v[i] != want[i])
						fail_msg(
						    "n %zu order %d heap %d: [%zu] %u, want %u", n,
						    order, heap, i, v[i], want[i]);
					if (p[i].key != pwant[i].key || p[i].tie != pwant[i].tie)
						fail_msg("pairs n %zu order %d heap %d: [%zu]", n,
							 order, heap, i);
				}
			}
	}
	free(v);
	free(want);
	free(p);
	free(pwant);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_small_vocabulary),   cmocka_unit_test(test_large_vocabulary),
	    cmocka_unit_test(test_short_and_empty),    cmocka_unit_test(test_finds_rewording),
	    cmocka_unit_test(test_sort_matches_qsort), cmocka_unit_test(test_words_read_and_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
