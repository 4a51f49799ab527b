/* The differ's tokenizer: its ASCII fast path must give exactly the
 * tokens (bytes and kinds) that ICU's word BreakIterator gives, on every
 * short string over the characters whose rules differ, on mixed ASCII
 * and non-ASCII text, and on whole editions of the corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../archive/diff-internal.h"
#include "redline/thread.h"
#include "redline/util.h"

/* Tokenizes text both ways and asserts the same tokens. */
static void same_tokens(const char *text, size_t len)
{
	dintern *ids = NULL;
	dside fast, icu;
	rl_error err;

	assert_int_equal(dintern_new(&ids), 0);
	assert_int_equal(diff_tokenize_icu(&fast, text, len, ids, 0, &err), 0);
	assert_int_equal(diff_tokenize_icu(&icu, text, len, ids, 1, &err), 0);
	if (fast.ntok != icu.ntok)
		fprintf(stderr, "tokens differ in \"%.*s\": %zu fast, %zu ICU\n", (int)len, text,
			fast.ntok, icu.ntok);
	for (size_t i = 0; i < fast.ntok && i < icu.ntok; i++) {
		const dtok *f = &fast.tok[i], *c = &icu.tok[i];

		if (f->start != c->start || f->end != c->end || f->kind != c->kind) {
			fprintf(stderr, "in \"%.*s\": fast [%.*s] kind %d, ICU [%.*s] kind %d\n",
				(int)len, text, (int)(f->end - f->start), text + f->start, f->kind,
				(int)(c->end - c->start), text + c->start, c->kind);
			fail();
		}
		assert_int_equal(f->id, c->id);
		assert_int_equal(f->line, c->line);
	}
	assert_int_equal(fast.ntok, icu.ntok);
	dside_free(&fast);
	dside_free(&icu);
	dintern_free(ids);
}

static void every_short_string_matches_icu(void **state)
{
	/* one of each class that a word-break rule treats apart, and the
	 * characters ICU handles with rules of its own */
	static const char alphabet[] = "aZ09.',;:-_@ \n\"(/";
	const size_t k = sizeof(alphabet) - 1;
	char s[5];

	(void)state;
	for (size_t n = 1; n <= 4; n++) {
		size_t total = 1;

		for (size_t i = 0; i < n; i++)
			total *= k;
		for (size_t x = 0; x < total; x++) {
			size_t v = x;

			for (size_t i = 0; i < n; i++, v /= k)
				s[i] = alphabet[v % k];
			same_tokens(s, n);
		}
	}
}

/* Every ASCII byte, alone and between letters, digits and spaces: the
 * fast path classes bytes by a table, which must agree with ICU on each. */
static void every_ascii_byte_matches_icu(void **state)
{
	static const char *const around[] = {"", "a", "1", " "};
	char s[4];

	(void)state;
	for (int c = 1; c < 128; c++) {
		for (size_t l = 0; l < 4; l++) {
			for (size_t r = 0; r < 4; r++) {
				size_t n = 0;

				if (*around[l])
					s[n++] = *around[l];
				s[n++] = (char)c;
				if (*around[r])
					s[n++] = *around[r];
				same_tokens(s, n);
			}
		}
	}
}

static void mixed_text_matches_icu(void **state)
{
	static const char *const cases[] = {
	    "The ministry\xe2\x80\x99s 2.0 plan, U.S. forces and 1,000 troops.",
	    "\xe2\x80\x9c"
	    "formidable force\xe2\x80\x9d and ROK\xe2\x80\x93"
	    "US Alliance",
	    "caf\xc3\xa9 a\xcc\x81"
	    " x \xcc\x81"
	    "y e.g. rock'n'roll 3:00 a@b.com snake_case",
	    "\xea\xb5\xad\xeb\xb0\xa9\xeb\xb6\x80\xeb\x8a\x94 2020\xeb\x85\x84 "
	    "\xea\xb5\xad\xeb\xb0\xa9\xeb\xb0\xb1\xec\x84\x9c\xeb\xa5\xbc",
	    "\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xae\xe9\x98\xb2\xe8\xa1\x9b\xe7\x99\xbd\xe6\x9b"
	    "\xb8 2020 and text",
	    "a.\xc2\xa0"
	    "b \xe2\x91\xa0 item\n\xe2\x80\xa2 bullet\r\n\tlast\xe2\x80\xa8"
	    "line",
	    "\xff\xfe broken \xc3"
	    " bytes a\xe2\x80",
	    "  leading and trailing  \n\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		same_tokens(cases[i], strlen(cases[i]));
}

static void corpus_matches_icu(void **state)
{
	static const char *const files[] = {"../shared/corpus/rok-dwp-2018.txt",
					    "../shared/corpus/rok-dwp-2020.txt",
					    "../shared/corpus/rok-dwp-2004-ko.txt"};
	int found = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		rl_buf b = RL_BUF_INIT;
		rl_error err;

		if (rl_file_read(files[i], &b, &err) < 0)
			continue;
		found++;
		same_tokens(rl_buf_cstr(&b), b.len);
		rl_buf_free(&b);
	}
	if (!found) {
		printf("corpus absent (../shared/corpus): skipped\n");
		skip();
	}
}

static void same_side(const dside *x, const dside *y)
{
	assert_int_equal(x->ntok, y->ntok);
	for (size_t i = 0; i < x->ntok; i++) {
		const dtok *p = &x->tok[i], *q = &y->tok[i];

		assert_int_equal(p->start, q->start);
		assert_int_equal(p->end, q->end);
		assert_int_equal(p->id, q->id);
		assert_int_equal(p->line, q->line);
		assert_int_equal(p->kind, q->kind);
		assert_int_equal(p->facts, q->facts);
		assert_int_equal(x->ids[i], y->ids[i]);
	}
	assert_int_equal(x->nline, y->nline);
	for (size_t l = 0; l < x->nline; l++) {
		assert_int_equal(x->line[l].tok0, y->line[l].tok0);
		assert_int_equal(x->line[l].ntok, y->line[l].ntok);
		assert_int_equal(x->line[l].label, y->line[l].label);
	}
}

/* diff_tokenize_pair (b on a thread, its words merged after) gives the
 * tokens and ids of diff_tokenize on a then b. */
static void same_pair(const char *ta, size_t la, const char *tb, size_t lb)
{
	dintern *one = NULL, *two = NULL;
	dside a1, b1, a2, b2;
	rl_error err;

	assert_int_equal(dintern_new(&one), 0);
	assert_int_equal(dintern_new(&two), 0);
	assert_int_equal(diff_tokenize(&a1, ta, la, one, &err), 0);
	assert_int_equal(diff_tokenize(&b1, tb, lb, one, &err), 0);
	assert_int_equal(diff_tokenize_pair(&a2, ta, la, &b2, tb, lb, two, &err), 0);
	assert_int_equal(dintern_count(one), dintern_count(two));
	assert_int_equal(a1.ntok, a2.ntok);
	assert_int_equal(b1.ntok, b2.ntok);
	same_side(&a1, &a2);
	same_side(&b1, &b2);
	dside_free(&a1);
	dside_free(&b1);
	dside_free(&a2);
	dside_free(&b2);
	dintern_free(one);
	dintern_free(two);
}

static void two_threads_give_the_ids_of_one(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	rl_error err;

	(void)state;
	/* large enough for a thread: b has words a lacks, and item labels
	 * only b has (their shared id comes after b's words, as in one pass) */
	for (int i = 0; i < 3000; i++) {
		rl_buf_printf(&a, "Sentence %d of the old text says Korea\xe2\x80\x99s plan.\n", i);
		rl_buf_printf(&b, "%c. Sentence %d of the new text adds word%d here.\n",
			      'a' + i % 26, i, i % 97);
	}
	assert_true(a.len + b.len >= RL_THREAD_MIN_BYTES);
	same_pair(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
	same_pair(rl_buf_cstr(&b), b.len, rl_buf_cstr(&a), a.len);
	same_pair("small", 5, "texts too", 9);
	same_pair("", 0, rl_buf_cstr(&b), b.len);
	rl_buf_reset(&a);
	rl_buf_reset(&b);
	if (rl_file_read("../shared/corpus/rok-dwp-2018.txt", &a, &err) == 0 &&
	    rl_file_read("../shared/corpus/rok-dwp-2020.txt", &b, &err) == 0)
		same_pair(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
	else
		printf("corpus absent (../shared/corpus): the editions were left out\n");
	rl_buf_free(&a);
	rl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_short_string_matches_icu),
	    cmocka_unit_test(every_ascii_byte_matches_icu),
	    cmocka_unit_test(mixed_text_matches_icu),
	    cmocka_unit_test(corpus_matches_icu),
	    cmocka_unit_test(two_threads_give_the_ids_of_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
