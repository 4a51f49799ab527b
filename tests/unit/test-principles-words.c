/* words_similar_pairs finds items to pair from an index of their rarest
 * words instead of comparing every item with every other: it must report
 * exactly the pairs (and in the order) the comparison of all with all
 * reports, checked on random multisets (few and many distinct words,
 * repeated words, empty items, matched items left out) at several bars. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../archive/principles-words.h"

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
		pairs want = {0}, got = {0};

		all_with_all(&a, &b, bars[k], &want);
		assert_int_equal(words_similar_pairs(&a, &b, bars[k], collect, &got), 0);
		assert_int_equal(got.n, want.n);
		for (size_t p = 0; p < want.n; p++) {
			assert_int_equal(got.v[p][0], want.v[p][0]);
			assert_int_equal(got.v[p][1], want.v[p][1]);
			assert_true(got.sim[p] == want.sim[p]);
		}
		free(want.v);
		free(want.sim);
		free(got.v);
		free(got.sim);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_small_vocabulary),
	    cmocka_unit_test(test_large_vocabulary),
	    cmocka_unit_test(test_short_and_empty),
	    cmocka_unit_test(test_finds_rewording),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
