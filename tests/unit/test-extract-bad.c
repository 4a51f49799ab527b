/* Unit tests: bad input. Malformed HTML, absurd nesting, NUL bytes,
 * binary data, empty bodies: a clear error or best-effort text, never a
 * crash (run these under ASan+UBSan too). PDFs that are damaged or
 * locked are in test-extract-pdf.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "redline/extract.h"

#include "extract-check.h"

#define DEEP 100000

static int run(rl_text *t, const char *data, size_t len, const char *ctype,
	       const rl_extract_opts *o, rl_error *err)
{
	rl_raw_page p = {0, data, len, ctype, NULL};

	return rl_extract(t, &p, 1, o, err);
}

static void unclosed_and_misnested_tags_give_their_text(void **state)
{
	static const char html[] = "<html><body><p>One <b>two <i>three</b> four</i><div>Five "
				   "<table><tr><td>six<li>seven</ul></span></p></p>&bogus; &#0; "
				   "&#xFFFFFFFF; <!-- unclosed comment";
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(run(&t, html, sizeof(html) - 1, "text/html", NULL, &err), 0);
	assert_true(xc_contains(&t.text, "One two three four"));
	assert_true(xc_contains(&t.text, "Five"));
	assert_true(xc_contains(&t.text, "seven"));
	rl_text_free(&t);
}

static void deep_nesting_costs_time_not_stack(void **state)
{
	static const char *const open[] = {"<div>", "<ul><li>", "<table><tr><td>", "<b>", "<h2>"};
	rl_buf b = RL_BUF_INIT;
	rl_strv sel = RL_STRV_INIT;
	rl_extract_opts o = {&sel, NULL, NULL, 0};
	rl_text t;
	rl_error err;

	(void)state;
	rl_strv_push(&sel, "//div");
	for (size_t k = 0; k < sizeof(open) / sizeof(open[0]); k++) {
		rl_buf_reset(&b);
		for (size_t i = 0; i < DEEP; i++)
			rl_buf_puts(&b, open[k]);
		rl_buf_puts(&b, "Deep text.");
		assert_false(b.failed);
		assert_int_equal(run(&t, b.ptr, b.len, "text/html", NULL, &err), 0);
		assert_true(xc_contains(&t.text, "Deep text."));
		rl_text_free(&t);
	}
	/* a select rule matching every level walks the text once */
	rl_buf_reset(&b);
	for (size_t i = 0; i < DEEP; i++)
		rl_buf_puts(&b, "<div>x ");
	assert_int_equal(run(&t, b.ptr, b.len, "text/html", &o, &err), 0);
	assert_int_equal(t.text.len, 2 * DEEP);
	rl_text_free(&t);
	rl_strv_free(&sel);
	rl_buf_free(&b);
}

static void nul_bytes_are_dropped_with_a_warning(void **state)
{
	static const char html[] = "<p>Nul\0ls in\0 the\0\0 text.</p>";
	static const char text[] = "plain\0 text.\n";
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(run(&t, html, sizeof(html) - 1, "text/html", NULL, &err), 0);
	assert_string_equal(t.text.ptr, "Nulls in the text.\n");
	assert_int_equal(t.warnings.n, 1);
	assert_non_null(strstr(t.warnings.v[0], "4 NUL bytes dropped"));
	rl_text_free(&t);
	assert_int_equal(run(&t, text, sizeof(text) - 1, "text/plain", NULL, &err), 0);
	assert_string_equal(t.text.ptr, "plain text.\n");
	rl_text_free(&t);
}

static void empty_bodies_are_errors(void **state)
{
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(run(&t, "", 0, "text/html", NULL, &err), RL_EEXTRACT);
	assert_non_null(strstr(err.message, "empty body"));
	assert_int_equal(run(&t, NULL, 0, NULL, NULL, &err), RL_EEXTRACT);
	assert_int_equal(run(&t, "<html><body> <p></p></body></html>", 34, "text/html", NULL, &err),
			 RL_EEXTRACT);
	assert_non_null(strstr(err.message, "no text"));
	assert_int_equal(run(&t, " \n\n ", 4, "text/plain", NULL, &err), RL_EEXTRACT);
	assert_int_equal(rl_extract(&t, NULL, 0, NULL, &err), RL_EINVALID);
}

/* With allow_empty (compare's), the same inputs are an empty text: an
 * empty body without a word said, a document without text with a
 * warning; what is not a document is still an error. */
static void empty_bodies_are_empty_texts_when_allowed(void **state)
{
	rl_extract_opts o = {NULL, NULL, NULL, 1};
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(run(&t, "", 0, "text/html", &o, &err), 0);
	assert_int_equal(t.text.len, 0);
	assert_int_equal(t.warnings.n, 0);
	assert_int_equal(t.n_pages, 0);
	rl_text_free(&t);
	assert_int_equal(run(&t, NULL, 0, NULL, &o, &err), 0);
	assert_int_equal(t.warnings.n, 0);
	rl_text_free(&t);
	assert_int_equal(run(&t, "<html><body> <p></p></body></html>", 34, "text/html", &o, &err),
			 0);
	assert_int_equal(t.text.len, 0);
	assert_int_equal(t.warnings.n, 1);
	assert_string_equal(t.warnings.v[0], "no text found; taken as empty");
	rl_text_free(&t);
	assert_int_equal(run(&t, " \n\n ", 4, "text/plain", &o, &err), 0);
	assert_int_equal(t.warnings.n, 1);
	rl_text_free(&t);
	assert_int_equal(run(&t, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, NULL, &o, &err), RL_EEXTRACT);
	assert_non_null(strstr(err.message, "not a document"));
}

/* A page with no text among others is an empty page, not a failure. */
static void an_empty_page_among_others_is_kept(void **state)
{
	static const char *const html[] = {
	    "<p>First page.</p>", "<html><body><img src=x></body></html>", "<p>Third page.</p>"};
	rl_raw_page p[3];
	rl_text t;
	rl_error err;

	(void)state;
	for (int i = 0; i < 3; i++) {
		p[i].number = i + 1;
		p[i].data = html[i];
		p[i].len = strlen(html[i]);
		p[i].content_type = "text/html";
		p[i].url = NULL;
	}
	assert_int_equal(rl_extract(&t, p, 3, NULL, &err), 0);
	assert_int_equal(t.n_pages, 3);
	assert_int_equal(t.pages[1].text.len, 0);
	assert_string_equal(t.text.ptr, "First page.\n\nThird page.\n");
	rl_text_free(&t);
}

static void binary_data_is_not_a_document(void **state)
{
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
	char noise[4096];
	uint32_t x = 2463534242u;
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(run(&t, png, sizeof(png) - 1, "text/html", NULL, &err), RL_EEXTRACT);
	assert_non_null(strstr(err.message, "not a document: a PNG image served as text/html"));
	/* random bytes: refused or read as best as can be, but never a crash */
	for (int round = 0; round < 50; round++) {
		int rc;

		for (size_t i = 0; i < sizeof(noise); i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			noise[i] = (char)(round % 2 ? (x & 0x7F) | 0x20 : x);
		}
		rc = run(&t, noise, sizeof(noise), round % 3 ? "text/html" : NULL, NULL, &err);
		assert_true(rc == 0 || rc == RL_EEXTRACT);
		if (rc == 0)
			rl_text_free(&t);
	}
}

static void long_lines_without_spaces(void **state)
{
	rl_buf b = RL_BUF_INIT;
	rl_text t;
	rl_error err;

	(void)state;
	rl_buf_puts(&b, "<p>");
	for (int i = 0; i < 200000; i++)
		rl_buf_puts(&b, "a-");
	rl_buf_puts(&b, "</p>");
	assert_int_equal(run(&t, b.ptr, b.len, "text/html", NULL, &err), 0);
	assert_int_equal(t.text.len, 400001);
	rl_text_free(&t);
	rl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(unclosed_and_misnested_tags_give_their_text),
	    cmocka_unit_test(deep_nesting_costs_time_not_stack),
	    cmocka_unit_test(nul_bytes_are_dropped_with_a_warning),
	    cmocka_unit_test(empty_bodies_are_errors),
	    cmocka_unit_test(empty_bodies_are_empty_texts_when_allowed),
	    cmocka_unit_test(an_empty_page_among_others_is_kept),
	    cmocka_unit_test(binary_data_is_not_a_document),
	    cmocka_unit_test(long_lines_without_spaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
