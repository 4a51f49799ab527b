/* The differ's exact aligners: diff_lcs (bit-parallel rows, kept whole or
 * split by Hirschberg) and diff_myers in exact mode must find a longest
 * common subsequence, checked against the textbook dynamic programme on
 * random sequences of few and many distinct ids, and give a valid
 * alignment (increasing, equal ids, both match arrays agreeing). The
 * step of its rows on this CPU gives the portable step's bits. And
 * diff_align gives one alignment however it is run (diff_align_how), the
 * moves are the same found with the search's prober on a second thread
 * or without, and the clean-up for display in two parts is the whole
 * clean-up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../archive/diff-internal.h"
#include "redline/util.h"

#define NIDS 64

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

static int32_t dp_lcs(const uint32_t *a, int32_t n, const uint32_t *b, int32_t m)
{
	int32_t *prev = calloc((size_t)m + 1, sizeof(*prev)), *cur = calloc((size_t)m + 1, 4);
	int32_t r;

	assert_non_null(prev);
	assert_non_null(cur);
	for (int32_t i = 1; i <= n; i++) {
		for (int32_t j = 1; j <= m; j++)
			cur[j] = a[i - 1] == b[j - 1]   ? prev[j - 1] + 1
				 : prev[j] > cur[j - 1] ? prev[j]
							: cur[j - 1];
		memcpy(prev, cur, ((size_t)m + 1) * sizeof(*cur));
	}
	r = prev[m];
	free(prev);
	free(cur);
	return r;
}

/* A valid alignment of a and b; returns its length. */
static int32_t check_alignment(const uint32_t *a, int32_t n, const uint32_t *b, int32_t m,
			       const int32_t *ma, const int32_t *mb)
{
	int32_t last = -1, len = 0;

	for (int32_t i = 0; i < n; i++) {
		if (ma[i] < 0)
			continue;
		assert_true(ma[i] > last && ma[i] < m);
		assert_int_equal(a[i], b[ma[i]]);
		assert_int_equal(mb[ma[i]], i);
		last = ma[i];
		len++;
	}
	for (int32_t j = 0; j < m; j++)
		assert_true(mb[j] < 0 || ma[mb[j]] == j);
	return len;
}

/* b is a edited: tokens replaced, dropped and inserted at rate/100. */
static int32_t edited(const uint32_t *a, int32_t n, uint32_t *b, int rate, uint32_t nids,
		      uint64_t *s)
{
	int32_t m = 0;

	for (int32_t i = 0; i < n; i++) {
		uint32_t r = rnd(s) % 100;

		if (r < (uint32_t)rate / 3)
			continue;
		if (r < (uint32_t)rate * 2 / 3)
			b[m++] = rnd(s) % nids;
		else if (r < (uint32_t)rate)
			b[m++] = rnd(s) % nids, b[m++] = a[i];
		else
			b[m++] = a[i];
	}
	return m;
}

static void run_case(int32_t n, int rate, uint32_t nids, size_t table_bytes, uint64_t *s)
{
	uint32_t *a = malloc((size_t)n * sizeof(*a)), *b = malloc((size_t)n * 2 * sizeof(*b) + 4);
	int32_t m, *ma, *mb, *slot, want;

	assert_non_null(a);
	assert_non_null(b);
	for (int32_t i = 0; i < n; i++)
		a[i] = rnd(s) % nids;
	m = edited(a, n, b, rate, nids, s);
	ma = malloc(((size_t)n + 1) * sizeof(*ma));
	mb = malloc(((size_t)m + 1) * sizeof(*mb));
	slot = malloc(NIDS * 16 * sizeof(*slot));
	assert_non_null(ma);
	assert_non_null(mb);
	assert_non_null(slot);
	memset(slot, 0xff, NIDS * 16 * sizeof(*slot));
	want = dp_lcs(a, n, b, m);

	memset(ma, 0xff, ((size_t)n + 1) * sizeof(*ma));
	memset(mb, 0xff, ((size_t)m + 1) * sizeof(*mb));
	assert_int_equal(diff_lcs(a, 0, n, b, 0, m, ma, mb, slot, table_bytes), 0);
	assert_int_equal(check_alignment(a, n, b, m, ma, mb), want);
	for (uint32_t k = 0; k < NIDS * 16; k++)
		assert_int_equal(slot[k], -1); /* scratch left as found */

	memset(ma, 0xff, ((size_t)n + 1) * sizeof(*ma));
	memset(mb, 0xff, ((size_t)m + 1) * sizeof(*mb));
	assert_int_equal(diff_myers(a, (size_t)n, b, (size_t)m, ma, mb, 0, 0, 1), 0);
	assert_int_equal(check_alignment(a, n, b, m, ma, mb), want);
	free(a);
	free(b);
	free(ma);
	free(mb);
	free(slot);
}

static void lcs_is_longest_in_one_table(void **state)
{
	uint64_t s = 1;

	(void)state;
	for (int k = 0; k < 200; k++)
		run_case(1 + (int32_t)(rnd(&s) % 300), (int)(rnd(&s) % 100),
			 2 + rnd(&s) % (NIDS * 16 - 2), 0, &s);
}

static void lcs_is_longest_when_split(void **state)
{
	uint64_t s = 2;

	(void)state;
	/* a table budget of a few rows forces Hirschberg's split at every level */
	for (int k = 0; k < 100; k++)
		run_case(64 + (int32_t)(rnd(&s) % 600), (int)(rnd(&s) % 100), 2 + rnd(&s) % NIDS,
			 64 + rnd(&s) % 2048, &s);
}

/* The walk back of the table, done on the textbook table: a match when
 * the tokens are equal, else left (j-1) when the LCS is as long without
 * b[j-1], else up. ma[i] is a's partner. */
static void dp_walk(const uint32_t *a, int32_t n, const uint32_t *b, int32_t m, int32_t *ma)
{
	int32_t *L = calloc(((size_t)n + 1) * ((size_t)m + 1), sizeof(*L)), i = n, j = m;

	assert_non_null(L);
#define AT(x, y) L[(size_t)(x) * ((size_t)m + 1) + (size_t)(y)]
	for (int32_t x = 1; x <= n; x++)
		for (int32_t y = 1; y <= m; y++)
			AT(x, y) = a[x - 1] == b[y - 1]          ? AT(x - 1, y - 1) + 1
				   : AT(x - 1, y) > AT(x, y - 1) ? AT(x - 1, y)
								 : AT(x, y - 1);
	memset(ma, 0xff, (size_t)n * sizeof(*ma));
	while (i > 0 && j > 0) {
		if (a[i - 1] == b[j - 1])
			i--, j--, ma[i] = j;
		else if (AT(i, j - 1) == AT(i, j))
			j--;
		else
			i--;
	}
#undef AT
	free(L);
}

/* The rows of the table are kept one in a few and worked out again on
 * the walk back: the alignment must be the one every row kept gives,
 * not only as long. Sequences where the LCS takes the whole region as
 * one table: every id on both sides, ends unequal, a no shorter than b. */
static void lcs_walks_back_as_every_row_kept(void **state)
{
	uint64_t s = 4;

	(void)state;
	for (int k = 0; k < 40; k++) {
		int32_t n = 200 + (int32_t)(rnd(&s) % 1300),
			m = n / 2 + (int32_t)(rnd(&s) % (n / 2));
		uint32_t nids = 2 + rnd(&s) % 40;
		uint32_t *a = malloc((size_t)n * sizeof(*a)), *b = malloc((size_t)m * sizeof(*b));
		int32_t *ma = malloc((size_t)n * sizeof(*ma)),
			*mb = malloc((size_t)m * sizeof(*mb));
		int32_t *want = malloc((size_t)n * sizeof(*want)),
			*slot = malloc(64 * sizeof(*slot));

		assert_non_null(a);
		assert_non_null(b);
		assert_non_null(ma);
		assert_non_null(mb);
		assert_non_null(want);
		assert_non_null(slot);
		for (int32_t i = 0; i < n; i++)
			a[i] = i < (int32_t)nids ? (uint32_t)i : rnd(&s) % nids;
		for (int32_t j = 0; j < m; j++)
			b[j] = j < (int32_t)nids ? (uint32_t)j : rnd(&s) % nids;
		a[0] = 0, b[0] = 1;         /* unequal starts */
		a[n - 1] = 0, b[m - 1] = 1; /* and ends */
		memset(slot, 0xff, 64 * sizeof(*slot));
		memset(ma, 0xff, (size_t)n * sizeof(*ma));
		memset(mb, 0xff, (size_t)m * sizeof(*mb));
		assert_int_equal(diff_lcs(a, 0, n, b, 0, m, ma, mb, slot, 0), 0);
		dp_walk(a, n, b, m, want);
		assert_memory_equal(ma, want, (size_t)n * sizeof(*ma));
		free(a);
		free(b);
		free(ma);
		free(mb);
		free(want);
		free(slot);
	}
}

static void lcs_of_unrelated_and_equal_sequences(void **state)
{
	uint64_t s = 3;

	(void)state;
	run_case(500, 100, 2, 0, &s);         /* two ids: long LCS through noise */
	run_case(500, 100, NIDS * 16, 0, &s); /* nearly nothing in common */
	run_case(500, 0, NIDS, 0, &s);        /* identical */
	run_case(1, 100, 1, 0, &s);
}

/* diff_align every way (on two threads, the gaps of the top region
 * shared out; with the trees that chain runs dense or sparse) gives the
 * alignment of one thread and the trees its size picks. */
static void same_alignment(const char *ta, size_t la, const char *tb, size_t lb)
{
	static const unsigned ways[] = {DIFF_ALIGN_THREADS, DIFF_ALIGN_DENSE, DIFF_ALIGN_SPARSE,
					DIFF_ALIGN_THREADS | DIFF_ALIGN_SPARSE};
	dintern *ids = NULL;
	dside a, b;
	int32_t *one_a, *one_b;
	rl_error err;

	assert_int_equal(dintern_new(&ids), 0);
	assert_int_equal(diff_tokenize(&a, ta, la, ids, &err), 0);
	assert_int_equal(diff_tokenize(&b, tb, lb, ids, &err), 0);
	assert_int_equal(diff_align_how(&a, &b, dintern_count(ids), 0, &err), 0);
	one_a = malloc((a.ntok + 1) * sizeof(*one_a));
	one_b = malloc((b.ntok + 1) * sizeof(*one_b));
	assert_non_null(one_a);
	assert_non_null(one_b);
	memcpy(one_a, a.match, a.ntok * sizeof(*one_a));
	memcpy(one_b, b.match, b.ntok * sizeof(*one_b));
	for (size_t w = 0; w < sizeof(ways) / sizeof(*ways); w++) {
		memset(a.match, 0xff, a.ntok * sizeof(*a.match));
		memset(b.match, 0xff, b.ntok * sizeof(*b.match));
		assert_int_equal(diff_align_how(&a, &b, dintern_count(ids), ways[w], &err), 0);
		assert_memory_equal(one_a, a.match, a.ntok * sizeof(*one_a));
		assert_memory_equal(one_b, b.match, b.ntok * sizeof(*one_b));
	}
	free(one_a);
	free(one_b);
	dside_free(&a);
	dside_free(&b);
	dintern_free(ids);
}

/* The moves found with the block search's prober on a second thread are
 * the moves found on one; and where few tokens are free, the moves found
 * passing over the others a word of bits at a time are the moves found
 * trying every position (diff_moves_sparse). Returns how many. */
static int same_moves(const char *ta, size_t la, const char *tb, size_t lb)
{
	dintern *ids = NULL;
	dside a[4], b[4];
	rl_error err;
	int n[4];

	assert_int_equal(dintern_new(&ids), 0);
	for (int w = 0; w < 4; w++) {
		assert_int_equal(diff_tokenize(&a[w], ta, la, ids, &err), 0);
		assert_int_equal(diff_tokenize(&b[w], tb, lb, ids, &err), 0);
		assert_int_equal(diff_align(&a[w], &b[w], dintern_count(ids), &err), 0);
		diff_moves_sparse = w < 2;
		n[w] = diff_find_moves_how(&a[w], &b[w], w % 2, &err);
		assert_true(n[w] >= 0);
	}
	diff_moves_sparse = 1;
	for (int w = 1; w < 4; w++) {
		assert_int_equal(n[0], n[w]);
		assert_memory_equal(a[0].move, a[w].move, a[0].ntok * sizeof(*a[0].move));
		assert_memory_equal(b[0].move, b[w].move, b[0].ntok * sizeof(*b[0].move));
		assert_memory_equal(a[0].match, a[w].match, a[0].ntok * sizeof(*a[0].match));
		assert_memory_equal(b[0].match, b[w].match, b[0].ntok * sizeof(*b[0].match));
	}
	for (int w = 0; w < 4; w++) {
		dside_free(&a[w]);
		dside_free(&b[w]);
	}
	dintern_free(ids);
	return n[0];
}

/* The words random sentences are made of. */
static const char *const sentence_words[] = {"the",    "defense",  "of", "Korea", "and",    "a",
					     "strong", "alliance", ",",  "peace", "forces", "The"};

/* The 2018 and 2020 editions, when the corpus is there (the shared
 * directory beside the project's); else 0, and the editions are left
 * out. */
static int editions(rl_buf *a, rl_buf *b)
{
	rl_error err;

	if (rl_file_read("../shared/corpus/rok-dwp-2018.txt", a, &err) == 0 &&
	    rl_file_read("../shared/corpus/rok-dwp-2020.txt", b, &err) == 0)
		return 1;
	printf("corpus absent (../shared/corpus): the editions were left out\n");
	return 0;
}

/* A version a day newer: a few words changed, sentences moved alone and
 * in blocks (some changed too), one repeated; few of its tokens are
 * free, and the block search passes over the rest (the same moves). */
static void moves_among_few_free_tokens(void **state)
{
	char *line[3000];
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	uint64_t s = 29;
	int order[3000], n = 0;
	unsigned char moved[3000] = {0};

	(void)state;
	for (int i = 0; i < 3000; i++) {
		char sent[256];
		size_t len = 0;

		for (int k = 0; k < 6 + (int)(rnd(&s) % 10); k++)
			len += (size_t)snprintf(sent + len, sizeof(sent) - len, "%s%s w%u",
						k ? " " : "", sentence_words[rnd(&s) % 12],
						rnd(&s) % 900);
		line[i] = strdup(sent);
		assert_non_null(line[i]);
		rl_buf_printf(&a, "%s.\n", sent);
	}
	/* b: blocks of 1 to 6 sentences taken from one place to another */
	for (int i = 0; i < 3000; i++)
		order[i] = i;
	for (int m = 0; m < 12; m++) {
		int from = (int)(rnd(&s) % 2900), len = 1 + (int)(rnd(&s) % 6), to, tmp[6];

		to = (int)(rnd(&s) % (3000 - len));
		memcpy(tmp, order + from, (size_t)len * sizeof(*tmp));
		memmove(order + from, order + from + len,
			(size_t)(3000 - from - len) * sizeof(*order));
		memmove(order + to + len, order + to, (size_t)(3000 - len - to) * sizeof(*order));
		memcpy(order + to, tmp, (size_t)len * sizeof(*tmp));
		for (int k = 0; k < len; k++)
			moved[tmp[k]] = 1;
	}
	for (int i = 0; i < 3000; i++) {
		char *l = line[order[i]];

		/* a word changed: at the end of every moved sentence (not
		 * the same line then, for the sentences' moves to find) and
		 * here and there */
		if (moved[order[i]] || i % 250 == 17)
			rl_buf_printf(&b, "%.*s changed%d%s.\n", (int)(strrchr(l, ' ') - l), l, i,
				      strrchr(l, ' '));
		else
			rl_buf_printf(&b, "%s.\n", l);
		if (i == 1500)
			rl_buf_printf(&b, "%s.\n", line[7]); /* an old sentence again */
	}
	n = same_moves(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
	assert_true(n >= 10); /* the blocks moved, a few perhaps joined */
	for (int i = 0; i < 3000; i++)
		free(line[i]);
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* An old sentence of n words (n <= 10) that moved to the new text's end
 * and changed there, whose first `grams` grams some old sentences before
 * it have too ("q3 epsilon zeta eta r3"): with `decoys` of those a gram,
 * the moved sentence is those grams' candidate after them. */
static void sentence_behind_decoys(rl_buf *a, rl_buf *b, int decoys, int n, int grams)
{
	static const char *const x[] = {"delta", "epsilon", "zeta",   "eta", "theta",
					"iota",  "kappa",   "lambda", "mu",  "nu"};

	rl_buf_reset(a);
	rl_buf_reset(b);
	for (int k = 0; k < grams; k++)
		for (int d = 0; d < decoys; d++)
			rl_buf_printf(a, "q%d %s %s %s r%d\n", d, x[k], x[k + 1],
				      k + 2 < n ? x[k + 2] : ".", d);
	for (int k = 0; k < n; k++)
		rl_buf_printf(a, "%s%s", k ? " " : "", x[k]);
	rl_buf_puts(a, ".\n");
	for (int k = 0; k < 100; k++) {
		rl_buf_printf(a, "Kept sentence number %d stays where it is.\n", k);
		rl_buf_printf(b, "Kept sentence number %d stays where it is.\n", k);
	}
	/* changed at its end: the same line would be a line moved */
	for (int k = 0; k < n; k++)
		rl_buf_printf(b, "%s ", x[k]);
	rl_buf_puts(b, "changed.\n");
}

static void moves_among_as_many_candidates_as_looked_at(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;

	(void)state;
	sentence_behind_decoys(&a, &b, 16, 10, 9);
	assert_int_equal(same_moves(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len), 0);
	sentence_behind_decoys(&a, &b, 15, 10, 9);
	assert_int_equal(same_moves(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len), 1);
	/* A sentence of eight words, MOVE_MIN_WORDS, its first gram behind
	 * decoys: found from its second gram, the block reaches back to
	 * its first word, and moves (seven words would not) */
	sentence_behind_decoys(&a, &b, 16, 8, 1);
	assert_int_equal(same_moves(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len), 1);
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* Paragraphs that start alike ("The ..."), moved in blocks among edited
 * ones: the alignment pairs some of their first words with the wrong
 * paragraph, and the search gives those back to find whole sentences
 * moved (the blocks it grows to their lines), after which what its
 * prober found ahead may be longer. The moves found are the moves found
 * without a prober, whatever the seed. */
static void moves_after_tokens_given_back(void **state)
{
	static const char *const words[] = {"budget", "defense",  "of", "Korea", "and",    "a",
					    "strong", "alliance", ",",  "peace", "forces", "The"};
	(void)state;
	for (uint64_t seed = 1; seed <= 6; seed++) {
		rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
		char *line[800];
		int order[800];
		uint64_t s = seed;

		for (int i = 0; i < 800; i++) {
			char sent[256];
			size_t len = (size_t)snprintf(sent, sizeof(sent), "The");

			for (int k = 0; k < 4 + (int)(rnd(&s) % 8); k++)
				len += (size_t)snprintf(sent + len, sizeof(sent) - len, " %s w%u",
							words[rnd(&s) % 12], rnd(&s) % 40);
			line[i] = strdup(sent);
			assert_non_null(line[i]);
			order[i] = i;
			rl_buf_printf(&a, "%s.\n", sent);
		}
		for (int m = 0; m < 40; m++) {
			int from = (int)(rnd(&s) % 790), len = 1 + (int)(rnd(&s) % 4),
			    to = (int)(rnd(&s) % (800 - len)), tmp[4];

			memcpy(tmp, order + from, (size_t)len * sizeof(*tmp));
			memmove(order + from, order + from + len,
				(size_t)(800 - from - len) * sizeof(*order));
			memmove(order + to + len, order + to,
				(size_t)(800 - len - to) * sizeof(*order));
			memcpy(order + to, tmp, (size_t)len * sizeof(*tmp));
		}
		for (int i = 0; i < 800; i++) {
			if (rnd(&s) % 7 == 0) /* a sentence rewritten but for its start */
				rl_buf_printf(&b, "The %s w%u.\n", words[rnd(&s) % 12],
					      rnd(&s) % 40);
			else
				rl_buf_printf(&b, "%s.\n", line[order[i]]);
		}
		(void)same_moves(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
		for (int i = 0; i < 800; i++)
			free(line[i]);
		rl_buf_free(&a);
		rl_buf_free(&b);
	}
}

/* Token k of s is the word w. */
static void token_is(const dside *s, size_t k, const char *w)
{
	assert_true(k < s->ntok);
	assert_int_equal(s->tok[k].end - s->tok[k].start, strlen(w));
	assert_memory_equal(s->text + s->tok[k].start, w, strlen(w));
}

/* A token given back makes a block longer than the one found ahead: the
 * alignment (made here) paired "x" of the old "u v w x y z." with "x" of
 * the new "g1 g2 x ...", which the search aligns with its old twin
 * whole, giving that "x" back. Found ahead, "u v w k!" and "u v w x y
 * z." were as long for the new "u v w x y z and more."; now the second
 * is longer, and it moves (where the first was a crumb of the sentence,
 * no move). So the search, once it gives tokens back, looks at every
 * position itself. */
static void moves_after_a_token_given_back(void **state)
{
	static const char ta[] = "u v w k!\nu v w x y z.\ng1 g2 x g4 g5 g6 g7.\n",
			  tb[] = "g1 g2 x g4 g5 g6 g7.\nu v w x y z and more.\n";
	dintern *ids = NULL;
	dside a[2], b[2];
	rl_error err;

	(void)state;
	assert_int_equal(dintern_new(&ids), 0);
	for (int w = 0; w < 2; w++) {
		assert_int_equal(diff_tokenize(&a[w], ta, strlen(ta), ids, &err), 0);
		assert_int_equal(diff_tokenize(&b[w], tb, strlen(tb), ids, &err), 0);
		assert_int_equal(diff_align(&a[w], &b[w], dintern_count(ids), &err), 0);
		memset(a[w].match, 0xff, a[w].ntok * sizeof(*a[w].match));
		memset(b[w].match, 0xff, b[w].ntok * sizeof(*b[w].match));
		memset(a[w].move, 0, a[w].ntok * sizeof(*a[w].move));
		memset(b[w].move, 0, b[w].ntok * sizeof(*b[w].move));
		token_is(&a[w], 8, "x");
		token_is(&b[w], 2, "x");
		token_is(&a[w], 16, "g5");
		token_is(&b[w], 4, "g5");
		a[w].match[8] = 2, b[w].match[2] = 8;
		a[w].match[16] = 4, b[w].match[4] = 16;
		diff_moves_sparse = 0;
		assert_int_equal(diff_find_moves_how(&a[w], &b[w], w, &err), 1);
		diff_moves_sparse = 1;
	}
	/* "u v w x y z" moved, with and without the prober */
	for (int w = 0; w < 2; w++) {
		for (size_t k = 0; k < a[w].ntok; k++)
			assert_int_equal(a[w].move[k] != 0, k >= 5 && k <= 10);
		assert_int_equal(a[w].match[14], 2); /* "g1 g2 x ..." aligned in place */
	}
	for (int w = 0; w < 2; w++) {
		dside_free(&a[w]);
		dside_free(&b[w]);
	}
	dintern_free(ids);
}

/* The clean-up for display in two parts (diff_cleanup_front and _back,
 * on two threads in a diff) keeps the tokens the whole clean-up keeps,
 * wherever the texts are split: at every line aligned whole from the
 * tenth of a on. Returns at how many places. */
static int same_cleanup(const char *ta, size_t la, const char *tb, size_t lb)
{
	dintern *ids = NULL;
	dside a, b;
	rl_error err;
	uint8_t *whole, *parts;
	int places = 0;

	assert_int_equal(dintern_new(&ids), 0);
	assert_int_equal(diff_tokenize(&a, ta, la, ids, &err), 0);
	assert_int_equal(diff_tokenize(&b, tb, lb, ids, &err), 0);
	assert_int_equal(diff_align(&a, &b, dintern_count(ids), &err), 0);
	assert_true(diff_find_moves(&a, &b, &err) >= 0);
	whole = malloc(a.ntok + 1);
	parts = malloc(a.ntok + 1);
	assert_non_null(whole);
	assert_non_null(parts);
	assert_int_equal(diff_cleanup(&a, &b, whole, &err), 0);
	for (size_t near = a.ntok / 10, split; near < a.ntok; near = split + 1) {
		if ((split = diff_cleanup_split(&a, &b, near)) == 0)
			break;
		assert_true(split >= near);
		memset(parts, 0x55, a.ntok);
		assert_int_equal(diff_cleanup_front(&a, &b, parts, split, &err), 0);
		assert_int_equal(diff_cleanup_back(&a, &b, parts, split, &err), 0);
		assert_memory_equal(whole, parts, a.ntok);
		places++;
	}
	free(whole);
	free(parts);
	dside_free(&a);
	dside_free(&b);
	dintern_free(ids);
	return places;
}

/* Sentences kept, dropped, added, moved and rewritten in part (words
 * replaced here and there, short equalities left between changes, which
 * the clean-up folds): cleaned up in two parts as whole. */
static void cleanup_in_two_parts_is_the_cleanup(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	uint64_t s = 11;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		int fate = (int)(rnd(&s) % 8);

		for (int side = 0; side < 2; side++) {
			rl_buf *t = side ? &b : &a;

			if ((fate == 0 && side == 1) || (fate == 1 && side == 0))
				continue; /* dropped, added */
			for (int k = 0; k < 10; k++) {
				/* rewritten in part: some words differ on each side */
				int own = fate == 2 && rnd(&s) % 3 == 0;

				rl_buf_printf(t, "%s%s%s%u", k ? " " : "",
					      sentence_words[(i + k) % 12],
					      own ? (side ? "-new" : "-old") : "",
					      (unsigned)(i * 7 + k) % 300);
			}
			rl_buf_puts(t, ".\n");
		}
		if (fate == 3) /* a sentence of a moved far down in b */
			rl_buf_printf(&b, "%s moved sentence %d goes a long way down.\n",
				      sentence_words[i % 12], i);
		if (fate == 4)
			rl_buf_printf(&a, "%s moved sentence %d goes a long way down.\n",
				      sentence_words[i % 12], i + 37);
	}
	assert_true(same_cleanup(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len) > 100);
	rl_buf_reset(&a);
	rl_buf_reset(&b);
	if (editions(&a, &b))
		assert_true(same_cleanup(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len) > 100);
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* Every way of aligning gives one alignment, on a synthetic text and on
 * the editions; on the editions, the moves found with the block search's
 * prober on a second thread are the moves found without. */
static void every_way_aligns_as_one(void **state)
{
	static const char *const words[] = {"the",    "defense",  "of", "Korea", "and",    "a",
					    "strong", "alliance", ",",  "peace", "forces", "."};
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	uint64_t s = 7;

	(void)state;
	/* sentences kept, changed, dropped and added: many gaps between runs */
	for (int i = 0; i < 4000; i++) {
		int fate = (int)(rnd(&s) % 10);
		char sent[256];
		size_t n = 0;

		for (int k = 0; k < 8; k++)
			n += (size_t)snprintf(sent + n, sizeof(sent) - n, "%s w%u ",
					      words[rnd(&s) % 12], rnd(&s) % 5000);
		if (fate != 0)
			rl_buf_printf(&a, "%s.\n", sent);
		if (fate == 1)
			sent[n / 2] = 'x';
		if (fate != 2)
			rl_buf_printf(&b, "%s.\n", sent);
	}
	same_alignment(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
	rl_buf_reset(&a);
	rl_buf_reset(&b);
	if (editions(&a, &b)) {
		same_alignment(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
		(void)same_moves(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
	}
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* A word of the row vector as the LCS makes them: all ones (no match
 * yet) most often, which passes a carry on; else random bits or a
 * single 0. */
static uint64_t row_word(uint64_t *s)
{
	uint32_t r = rnd(s) % 8;

	if (r < 3)
		return ~0ULL;
	if (r < 5)
		return ~(1ULL << (rnd(s) % 64));
	if (r == 5)
		return 0;
	return (uint64_t)rnd(s) << 32 | rnd(s);
}

/* The step diff_lcs runs on this CPU gives the portable step's bits, for
 * rows of 1 to 70 words (the eight-word blocks and every tail), carries
 * running through long stretches of all-ones words, in place and not. */
static void lcs_step_is_the_portable_one(void **state)
{
	diff_lcs_step_fn *plain = diff_lcs_step(0), *fast = diff_lcs_step(1);
	uint64_t U[70], M[70], want[70], got[70], s = 11;

	(void)state;
	if (fast == plain)
		printf("no faster step on this CPU: the portable step checked against itself\n");
	for (int round = 0; round < 4000; round++) {
		size_t W = 1 + (size_t)round % 70;

		for (size_t k = 0; k < W; k++) {
			U[k] = row_word(&s);
			/* a token's matches: sparse, sometimes where U is 1 */
			M[k] =
			    round % 3 ? (uint64_t)rnd(&s) << 32 | rnd(&s) : 1ULL << (rnd(&s) % 64);
		}
		plain(want, U, M, W);
		memset(got, 0xa5, sizeof(got));
		fast(got, U, M, W);
		assert_memory_equal(got, want, W * sizeof(*got));
		assert_int_equal(got[W < 70 ? W : 69], W < 70 ? 0xa5a5a5a5a5a5a5a5ULL : want[69]);
		fast(U, U, M, W);
		assert_memory_equal(U, want, W * sizeof(*U));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lcs_step_is_the_portable_one),
	    cmocka_unit_test(lcs_is_longest_in_one_table),
	    cmocka_unit_test(lcs_is_longest_when_split),
	    cmocka_unit_test(lcs_walks_back_as_every_row_kept),
	    cmocka_unit_test(lcs_of_unrelated_and_equal_sequences),
	    cmocka_unit_test(every_way_aligns_as_one),
	    cmocka_unit_test(moves_among_few_free_tokens),
	    cmocka_unit_test(moves_among_as_many_candidates_as_looked_at),
	    cmocka_unit_test(moves_after_tokens_given_back),
	    cmocka_unit_test(moves_after_a_token_given_back),
	    cmocka_unit_test(cleanup_in_two_parts_is_the_cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
