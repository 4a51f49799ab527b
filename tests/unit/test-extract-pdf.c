/* Unit tests: PDF extraction. The PDFs are drawn here with cairo's PDF
 * surface: pages 85-86 of the white paper as the book prints them, and
 * broken or locked PDFs made from them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "redline/extract.h"

#include "extract-check.h"
#include "extract-fixtures.h"

static int extract_pdf(rl_text *t, const rl_buf *pdf, const char *ctype, rl_error *err)
{
	rl_raw_page p = {0, pdf->ptr, pdf->len, ctype, "https://example.org/wp.pdf"};

	return rl_extract(t, &p, 1, NULL, err);
}

/* The same two pages as a paged web source, for comparison. */
static void web_pages(rl_text *t)
{
	rl_strv p85 = RL_STRV_INIT, p86 = RL_STRV_INIT;
	rl_buf raw[2] = {RL_BUF_INIT, RL_BUF_INIT};
	rl_error err;

	fx_page85(&p85);
	fx_page86(&p86);
	fx_html(&raw[0], &p85, FX_DIV, "utf-8");
	fx_html(&raw[1], &p86, FX_DIV, "utf-8");
	assert_int_equal(xc_extract(t, raw, 2, 85, "text/html", NULL, &err), 0);
	rl_buf_free(&raw[0]);
	rl_buf_free(&raw[1]);
	rl_strv_free(&p85);
	rl_strv_free(&p86);
}

static void pdf_edition_reads_as_the_book(void **state)
{
	rl_buf pdf = RL_BUF_INIT;
	rl_text t, web;
	rl_error err;

	(void)state;
	fx_pdf_two_pages(&pdf);
	assert_int_equal(extract_pdf(&t, &pdf, "application/pdf", &err), 0);
	assert_int_equal(t.kind, RL_DOC_PDF);
	assert_int_equal(t.n_pages, 2);
	assert_int_equal(t.pages[0].number, 1);
	assert_int_equal(t.pages[1].number, 2);
	assert_false(xc_contains(&t.text, "Defence White Paper"));
	assert_false(xc_has_line(&t.text, "P. 85"));
	assert_false(xc_has_line(&t.text, "Appendix"));
	assert_true(xc_has_line(&t.text, "# Future ROK–US Alliance Defense Vision"));
	assert_true(xc_has_line_prefix(&t.text, "a. Striving towards peace"));
	assert_true(xc_has_line_prefix(&t.text, "d. Adherence to international rules"));
	assert_false(
	    xc_has_line(&t.text, "of CBRN capabilities and delivery system-related materials."));
	assert_true(xc_has_line_prefix(&t.text, "The Alliance decide to deepen cooperation"));
	assert_true(xc_contains(&t.text, "preventing the proliferation of CBRN capabilities and "
					 "delivery system-related materials.\n"));
	assert_true(xc_has_line_prefix(&t.pages[1].text, "of CBRN capabilities"));
	/* the PDF and the web edition of the same pages say the same */
	web_pages(&web);
	assert_string_equal(t.text.ptr, web.text.ptr);
	rl_text_free(&web);
	rl_text_free(&t);
	rl_buf_free(&pdf);
}

/* A long PDF is read by several threads: every page, in order. */
static void long_pdfs_keep_their_page_order(void **state)
{
	enum { PAGES = 48 };
	rl_strv pages[PAGES];
	rl_buf pdf = RL_BUF_INIT;
	rl_text t;
	rl_error err;
	char want[64];

	(void)state;
	for (int i = 0; i < PAGES; i++) {
		rl_strv *p = &pages[i];

		memset(p, 0, sizeof(*p));
		/* the body differs in its words, not only its numbers, from
		 * page to page: what repeats is furniture */
		rl_strv_pushf(p, "Page %d - A Long Report", i + 1);
		rl_strv_pushf(p, "Sentence %c%c opens page %d with words of its own, which",
			      'a' + i % 26, 'a' + i / 26, i + 1);
		rl_strv_pushf(p, "goes on to a second line. Page %c%c ends mid-sentence and",
			      'a' + i % 26, 'a' + i / 26);
		rl_strv_pushf(p, "%d", i + 1);
	}
	fx_pdf(&pdf, pages, PAGES, 1);
	if (extract_pdf(&t, &pdf, "application/pdf", &err) < 0)
		fail_msg("%s", err.message);
	assert_int_equal(t.n_pages, PAGES);
	for (int i = 0; i < PAGES; i++) {
		assert_int_equal(t.pages[i].number, i + 1);
		snprintf(want, sizeof(want), "Sentence %c%c opens page %d with", 'a' + i % 26,
			 'a' + i / 26, i + 1);
		assert_true(xc_contains(&t.pages[i].text, want));
		assert_false(xc_contains(&t.pages[i].text, "A Long Report"));
		rl_strv_free(&pages[i]);
	}
	/* each page's last sentence runs on into the next page's first */
	assert_true(xc_contains(&t.text, "Page aa ends mid-sentence and Sentence ba opens page 2"));
	rl_text_free(&t);
	rl_buf_free(&pdf);
}

static void pdf_served_as_html_is_read_as_pdf(void **state)
{
	rl_buf pdf = RL_BUF_INIT;
	rl_text t;
	rl_error err;

	(void)state;
	fx_pdf_two_pages(&pdf);
	assert_int_equal(extract_pdf(&t, &pdf, "text/html; charset=utf-8", &err), 0);
	assert_int_equal(t.kind, RL_DOC_PDF);
	assert_true(xc_has_line(&t.text, "# Future ROK–US Alliance Defense Vision"));
	rl_text_free(&t);
	rl_buf_free(&pdf);
}

static void damaged_pdfs_fail_clearly(void **state)
{
	static const char garbage[] = "%PDF-1.5\n\x01\x02 this is not a PDF body at all \xff\xfe\n";
	rl_buf pdf = RL_BUF_INIT, bad = RL_BUF_INIT;
	rl_text t;
	rl_error err;

	(void)state;
	rl_buf_set(&bad, garbage, sizeof(garbage) - 1);
	assert_int_equal(extract_pdf(&t, &bad, "application/pdf", &err), RL_EEXTRACT);
	assert_non_null(strstr(err.message, "PDF"));
	assert_null(t.text.ptr);

	/* labelled PDF, but not one */
	rl_buf_set(&bad, "<html>moved</html>", 18);
	assert_int_equal(extract_pdf(&t, &bad, "application/pdf", &err), RL_EEXTRACT);
	assert_non_null(strstr(err.message, "damaged PDF"));

	/* cut short: poppler rebuilds what it can, or it is an error */
	fx_pdf_two_pages(&pdf);
	for (size_t cut = 64; cut < pdf.len; cut += pdf.len / 7) {
		int rc;

		rl_buf_set(&bad, pdf.ptr, cut);
		rc = extract_pdf(&t, &bad, "application/pdf", &err);
		if (rc == 0) {
			assert_true(t.text.len > 0);
			rl_text_free(&t);
		} else {
			assert_int_equal(rc, RL_EEXTRACT);
			assert_non_null(strstr(err.message, "PDF"));
		}
	}
	rl_buf_free(&pdf);
	rl_buf_free(&bad);
}

static void encrypted_pdfs_fail_clearly(void **state)
{
	rl_buf pdf = RL_BUF_INIT;
	rl_text t;
	rl_error err;

	(void)state;
	fx_pdf_encrypted(&pdf);
	assert_int_equal(extract_pdf(&t, &pdf, "application/pdf", &err), RL_EEXTRACT);
	assert_non_null(strstr(err.message, "encrypted PDF"));
	rl_buf_free(&pdf);
}

static void a_pdf_without_text_is_an_error(void **state)
{
	rl_strv empty[1] = {RL_STRV_INIT};
	rl_buf pdf = RL_BUF_INIT;
	rl_text t;
	rl_error err;

	(void)state;
	fx_pdf(&pdf, empty, 1, 0);
	assert_int_equal(extract_pdf(&t, &pdf, "application/pdf", &err), RL_EEXTRACT);
	assert_non_null(strstr(err.message, "no text"));
	rl_buf_free(&pdf);
}

/* fontconfig, which cairo draws the test PDFs with, keeps its
 * configuration until exit: not redline's leak. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pdf_edition_reads_as_the_book),
	    cmocka_unit_test(long_pdfs_keep_their_page_order),
	    cmocka_unit_test(pdf_served_as_html_is_read_as_pdf),
	    cmocka_unit_test(damaged_pdfs_fail_clearly),
	    cmocka_unit_test(encrypted_pdfs_fail_clearly),
	    cmocka_unit_test(a_pdf_without_text_is_an_error),
	};

	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	fx_cleanup();
	return rc;
}
