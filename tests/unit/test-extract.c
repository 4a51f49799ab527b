/* Unit tests: extraction of web pages, the paged white paper edition
 * first (issue 4's acceptance), then select/remove/ignore rules and the
 * HTML structures canonical text keeps. */
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

static const char first_sentence[] =
    "The ROK–US Alliance has contributed to the deepening political, social, and economic "
    "ties between the United States and the ROK over the past 66 years, while also growing "
    "into a mutually beneficial Alliance based on the common values and robust trust between "
    "the two nations.";

static const char crossing_sentence[] =
    "The Alliance decide to deepen cooperation in traditional areas, such as preventing and "
    "responding to potential chemical, biological, radiological, and nuclear (CBRN) threats, "
    "and preventing the proliferation of CBRN capabilities and delivery system-related "
    "materials.";

static const char *const principles[] = {
    "a. Striving towards peace and prosperity of the Korean Peninsula, Northeast Asia, and the "
    "world;",
    "b. Respect for sovereignty and independence of all nations;",
    "c. Peaceful resolution of disputes in accordance with internationally established laws and "
    "norms; and",
    "d. Adherence to international rules and norms, including those of free access, navigation, "
    "and overflight.",
};

/* The white paper's pages 85 and 86 as a paged web source. */
static void web_edition(rl_text *t, enum fx_markup m, size_t width)
{
	rl_strv p85 = RL_STRV_INIT, p86 = RL_STRV_INIT, w85 = RL_STRV_INIT, w86 = RL_STRV_INIT;
	rl_buf raw[2] = {RL_BUF_INIT, RL_BUF_INIT};
	rl_error err;

	fx_page85(&p85);
	fx_page86(&p86);
	if (width) {
		fx_rewrap(&w85, &p85, 5, 1, width);
		fx_rewrap(&w86, &p86, 2, 1, width);
	}
	fx_html(&raw[0], width ? &w85 : &p85, m, "utf-8");
	fx_html(&raw[1], width ? &w86 : &p86, m, "utf-8");
	if (xc_extract(t, raw, 2, 85, "text/html", NULL, &err) < 0)
		fail_msg("extracting pages 85-86: %s", err.message);
	rl_buf_free(&raw[0]);
	rl_buf_free(&raw[1]);
	rl_strv_free(&p85);
	rl_strv_free(&p86);
	rl_strv_free(&w85);
	rl_strv_free(&w86);
}

static void paged_web_edition_reads_as_the_book(void **state)
{
	rl_text t;

	(void)state;
	web_edition(&t, FX_DIV, 0);
	assert_int_equal(t.kind, RL_DOC_HTML);
	/* no running title, page marker, chapter number or lone footer */
	assert_false(xc_contains(&t.text, "Defence White Paper"));
	assert_false(xc_has_line_prefix(&t.text, "P. 8"));
	assert_false(xc_has_line(&t.text, "Appendix"));
	assert_false(xc_has_line(&t.text, "14"));
	assert_true(xc_has_line(&t.text, "# Future ROK–US Alliance Defense Vision"));
	for (size_t i = 0; i < 4; i++)
		assert_true(xc_has_line(&t.text, principles[i]));
	assert_true(xc_has_line(&t.text, "These principles include:"));
	assert_true(xc_has_line(&t.text, first_sentence));
	assert_true(xc_has_line(&t.text, crossing_sentence));
	assert_true(t.text.ptr[t.text.len - 1] == '\n');
	assert_int_equal(t.warnings.n, 0);
	rl_text_free(&t);
}

static void paged_web_edition_has_a_text_per_page(void **state)
{
	rl_text t;
	const rl_buf *p85, *p86;

	(void)state;
	web_edition(&t, FX_P, 0);
	assert_int_equal(t.n_pages, 2);
	assert_int_equal(t.pages[0].number, 85);
	assert_int_equal(t.pages[1].number, 86);
	p85 = &t.pages[0].text;
	p86 = &t.pages[1].text;
	assert_true(xc_has_line(p85, "# Future ROK–US Alliance Defense Vision"));
	assert_true(xc_has_line_prefix(p85, "The Alliance decide to deepen"));
	assert_false(xc_contains(p85, "CBRN capabilities"));
	assert_true(
	    xc_has_line(p86, "of CBRN capabilities and delivery system-related materials."));
	assert_false(xc_contains(p86, "Page 86"));
	assert_false(xc_has_line(p86, "Appendix"));
	rl_text_free(&t);
}

/* Re-styled and re-wrapped pages make no new version. */
static void markup_and_wrapping_do_not_change_the_bytes(void **state)
{
	static const size_t widths[] = {50, 64, 80, 96, 130, 200};
	rl_text ref, t;

	(void)state;
	web_edition(&ref, FX_DIV, 0);
	for (int m = 0; m < FX_MARKUPS; m++) {
		web_edition(&t, (enum fx_markup)m, 0);
		assert_int_equal(t.text.len, ref.text.len);
		assert_memory_equal(t.text.ptr, ref.text.ptr, ref.text.len);
		rl_text_free(&t);
		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
			web_edition(&t, (enum fx_markup)m, widths[w]);
			if (t.text.len != ref.text.len ||
			    memcmp(t.text.ptr, ref.text.ptr, t.text.len))
				fail_msg("markup %d, width %zu: got\n%s\nwanted\n%s", m, widths[w],
					 t.text.ptr, ref.text.ptr);
			rl_text_free(&t);
		}
	}
	rl_text_free(&ref);
}

/* One page alone: no repetition to go by, so the title and marker are
 * recognized by their shape, and a section name at the foot as a footer. */
static void a_single_page_loses_furniture_by_shape(void **state)
{
	rl_buf raw = RL_BUF_INIT;
	rl_strv p85 = RL_STRV_INIT;
	rl_text t;
	rl_error err;

	(void)state;
	fx_page85(&p85);
	fx_html(&raw, &p85, FX_DIV, NULL);
	assert_int_equal(xc_extract(&t, &raw, 1, 85, "text/html; charset=utf-8", NULL, &err), 0);
	assert_false(xc_contains(&t.text, "Page 85"));
	assert_false(xc_has_line(&t.text, "P. 85"));
	assert_false(xc_has_line(&t.text, "14"));
	assert_true(xc_has_line(&t.text, "# Future ROK–US Alliance Defense Vision"));
	assert_true(xc_has_line_prefix(&t.text, "The Alliance decide to deepen"));
	assert_false(xc_contains(&t.text, "proliferation Appendix"));
	assert_int_equal(t.n_pages, 1);
	rl_text_free(&t);
	rl_buf_free(&raw);
	rl_strv_free(&p85);
}

static const char site[] =
    "<html><body><div class=\"nav\"><a href=\"/\">Home</a> <a href=\"/about\">About</a></div>"
    "<div id=\"main\"><h1>Press release</h1><p>The ministry published its white paper.</p>"
    "<div class=\"ad\">Buy now.</div><p>It has 412 pages.</p></div>"
    "<div id=\"footer\">Copyright 2020.</div></body></html>";

static int run_rules(rl_text *t, const char *sel, const char *rem, const char *ign, rl_error *err)
{
	rl_strv s = RL_STRV_INIT, r = RL_STRV_INIT, i = RL_STRV_INIT;
	rl_extract_opts o = {&s, &r, &i, 0};
	rl_raw_page p = {0, site, sizeof(site) - 1, "text/html", "https://example.org/"};
	int rc;

	if (sel)
		rl_strv_push(&s, sel);
	if (rem)
		rl_strv_push(&r, rem);
	if (ign)
		rl_strv_push(&i, ign);
	rc = rl_extract(t, &p, 1, &o, err);
	rl_strv_free(&s);
	rl_strv_free(&r);
	rl_strv_free(&i);
	return rc;
}

static void select_and_remove_rules_apply_before_extraction(void **state)
{
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(run_rules(&t, "//div[@id='main']", "//div[@class='ad']", NULL, &err), 0);
	assert_string_equal(t.text.ptr,
			    "# Press release\n\nThe ministry published its white paper.\n"
			    "\nIt has 412 pages.\n");
	rl_text_free(&t);
	assert_int_equal(
	    run_rules(&t, NULL, "//div[@class='nav'] | //div[@id='footer']", NULL, &err), 0);
	assert_false(xc_contains(&t.text, "Home"));
	assert_false(xc_contains(&t.text, "Copyright"));
	assert_true(xc_has_line(&t.text, "Buy now."));
	rl_text_free(&t);
}

static void bad_rules_are_named(void **state)
{
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(run_rules(&t, "//div[", NULL, NULL, &err), RL_EINVALID);
	assert_non_null(strstr(err.message, "select rule '//div['"));
	assert_int_equal(run_rules(&t, NULL, "count(//p)", NULL, &err), RL_EINVALID);
	assert_non_null(strstr(err.message, "remove rule 'count(//p)'"));
	assert_int_equal(run_rules(&t, NULL, NULL, "([a-z]", &err), RL_EINVALID);
	assert_non_null(strstr(err.message, "ignore rule '([a-z]'"));
	assert_int_equal(run_rules(&t, "//article", NULL, NULL, &err), RL_EEXTRACT);
	assert_non_null(strstr(err.message, "//article"));
	assert_null(t.text.ptr);
}

static void ignore_rules_drop_canonical_lines(void **state)
{
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(run_rules(&t, "//div[@id='main']", NULL, "^It has [0-9]+ pages", &err), 0);
	assert_false(xc_contains(&t.text, "412"));
	assert_true(xc_has_line(&t.text, "Buy now."));
	assert_int_equal(t.text.ptr[t.text.len - 1], '\n');
	assert_int_equal(t.text.ptr[t.text.len - 2], '.'); /* no blank line left at the end */
	rl_text_free(&t);
}

/* ignore rules apply to every page's text as well as to text.md */
static void ignore_rules_apply_to_pages(void **state)
{
	rl_strv p85 = RL_STRV_INIT, p86 = RL_STRV_INIT, ign = RL_STRV_INIT;
	rl_buf raw[2] = {RL_BUF_INIT, RL_BUF_INIT};
	rl_extract_opts o = {NULL, NULL, &ign, 0};
	rl_text t;
	rl_error err;

	(void)state;
	fx_page85(&p85);
	fx_page86(&p86);
	fx_html(&raw[0], &p85, FX_DIV, "utf-8");
	fx_html(&raw[1], &p86, FX_DIV, "utf-8");
	rl_strv_push(&ign, "^These principles");
	rl_strv_push(&ign, "^# ");
	assert_int_equal(xc_extract(&t, raw, 2, 85, "text/html", &o, &err), 0);
	assert_false(xc_contains(&t.text, "These principles"));
	assert_false(xc_contains(&t.pages[0].text, "These principles"));
	assert_false(xc_contains(&t.pages[0].text, "Defense Vision"));
	assert_true(xc_has_line(&t.pages[0].text, principles[0]));
	assert_true(t.pages[0].text.ptr[0] != '\n'); /* no blank line left at the top */
	rl_text_free(&t);
	rl_buf_free(&raw[0]);
	rl_buf_free(&raw[1]);
	rl_strv_free(&p85);
	rl_strv_free(&p86);
	rl_strv_free(&ign);
}

static void extract_html(rl_text *t, const char *html)
{
	rl_raw_page p = {0, html, strlen(html), "text/html", NULL};
	rl_error err;

	if (rl_extract(t, &p, 1, NULL, &err) < 0)
		fail_msg("%s", err.message);
}

static void html_structure_is_kept(void **state)
{
	static const char html[] =
	    "<html><head><title>T</title><style>p{}</style></head><body>"
	    "<h2>Defense <em>posture</em></h2>"
	    "<p>Lead in:</p><ol type=\"a\" start=\"2\"><li>first item</li><li>second; and</li></ol>"
	    "<ul><li>a bullet</li></ul>"
	    "<ol><li>(1) own label</li></ol>"
	    "<table><tr><th>Year</th><th>Budget</th></tr><tr><td>2020</td><td>50.2</td></tr></"
	    "table>"
	    "<pre>  x = 1;\n  y = 2;</pre>"
	    "<script>document.write('no')</script><p hidden>hidden text</p>"
	    "<p style=\"display: none\">also hidden</p><noscript>enable js</noscript>"
	    "<table><tr><td><p>Layout cell one.</p></td><td><p>Layout cell "
	    "two.</p></td></tr></table>"
	    "</body></html>";
	static const char want[] = "## Defense posture\n"
				   "\n"
				   "Lead in:\n"
				   "b. first item\n"
				   "c. second; and\n"
				   "\n"
				   "• a bullet\n"
				   "\n"
				   "(1) own label\n"
				   "\n"
				   "Year | Budget\n"
				   "2020 | 50.2\n"
				   "\n"
				   "  x = 1;\n"
				   "  y = 2;\n"
				   "\n"
				   "Layout cell one.\n"
				   "\n"
				   "Layout cell two.\n";
	rl_text t;

	(void)state;
	extract_html(&t, html);
	assert_string_equal(t.text.ptr, want);
	assert_int_equal(t.n_pages, 0); /* a single document has no pages/ */
	rl_text_free(&t);
}

static void paragraphs_in_markup_stay_paragraphs(void **state)
{
	rl_text t;

	(void)state;
	extract_html(&t,
		     "<p>One. Two.</p><p>Three\nwrapped.</p><div>Four</div><p>continued here.</p>");
	assert_string_equal(t.text.ptr, "One.\nTwo.\n\nThree wrapped.\n\nFour continued here.\n");
	rl_text_free(&t);
}

static void markdown_and_text_sources(void **state)
{
	static const char md[] = "# Title\n\nSome *text* that is\nwrapped. Second sentence.\n\n"
				 "- one\n- two\n  continued\n\n```\ncode  kept\n```\n";
	rl_raw_page p = {0, md, sizeof(md) - 1, NULL, "https://example.org/README.md"};
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(rl_extract(&t, &p, 1, NULL, &err), 0);
	assert_int_equal(t.kind, RL_DOC_MARKDOWN);
	assert_string_equal(t.text.ptr,
			    "# Title\n\nSome *text* that is wrapped.\nSecond sentence.\n"
			    "- one\n- two continued\n\ncode  kept\n");
	rl_text_free(&t);
}

/* Form feeds separate the pages of plain text (pdftotext writes them):
 * the title and number each page repeats are furniture, and a sentence
 * goes on across a page's end. Without them, the same lines are text. */
static void form_feeds_separate_plain_text_pages(void **state)
{
	static const char paged[] =
	    "Defense White Paper 2020\nThe first page says one thing about\n"
	    "the alliance. It goes on\n85\n\fDefense White Paper 2020\n"
	    "past the page. More words\nhere.\n86\n\fDefense White Paper "
	    "2020\nThe third page ends it. Done.\n87\n";
	char lines[sizeof(paged)];
	rl_raw_page p = {0, paged, sizeof(paged) - 1, NULL, "https://example.org/dwp.txt"};
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(rl_extract(&t, &p, 1, NULL, &err), 0);
	assert_string_equal(t.text.ptr, "The first page says one thing about the alliance.\n"
					"It goes on past the page.\nMore words here.\n\n"
					"The third page ends it.\nDone.\n");
	rl_text_free(&t);
	/* the same lines, the form feeds made line ends */
	memcpy(lines, paged, sizeof(paged));
	for (char *f = lines; (f = strchr(f, '\f')) != NULL;)
		*f = '\n';
	p.data = lines;
	assert_int_equal(rl_extract(&t, &p, 1, NULL, &err), 0);
	assert_non_null(strstr(t.text.ptr, "Defense White Paper 2020"));
	rl_text_free(&t);
}

/* A Markdown number is printed text: "2. (a) ..." keeps its "2." where
 * an <ol>'s generated number gives way to the label printed in the item. */
static void markdown_numbers_are_printed_labels(void **state)
{
	static const char md[] = "1. (a) The parties settle disputes peacefully.\n"
				 "2. (b) The parties respect sovereignty.\n\n"
				 "- a. Striving for peace;\n";
	rl_raw_page p = {0, md, sizeof(md) - 1, NULL, "https://example.org/treaty.md"};
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(rl_extract(&t, &p, 1, NULL, &err), 0);
	assert_true(xc_has_line(&t.text, "1. (a) The parties settle disputes peacefully."));
	assert_true(xc_has_line(&t.text, "2. (b) The parties respect sovereignty."));
	assert_true(xc_has_line(&t.text, "a. Striving for peace;"));
	rl_text_free(&t);
	extract_html(&t, "<ol><li>a. Striving for peace;</li><li>b. Respect;</li></ol>");
	assert_true(xc_has_line(&t.text, "a. Striving for peace;"));
	rl_text_free(&t);
}

/* Canonical text saved as .md (`redline show REV > v1.md`) reads back as
 * itself: Markdown marks its headings, so a short title-shaped sentence
 * line ("ROK–U.S." ended the sentence before it) stays a sentence, where
 * a plain-text reading guesses a heading. */
static void canonical_text_as_markdown_reads_back_as_itself(void **state)
{
	static const char canon[] = "# Defense Cooperation\n\n"
				    "The Alliance was developed with the ROK–U.S.\n"
				    "Alliance Committee\n\n"
				    "It met twice a year.\n";
	rl_raw_page md = {0, canon, sizeof(canon) - 1, NULL, "file:///tmp/v1.md"};
	rl_raw_page txt = {0, canon, sizeof(canon) - 1, NULL, "file:///tmp/v1.txt"};
	rl_text t;
	rl_error err;

	(void)state;
	assert_int_equal(rl_extract(&t, &md, 1, NULL, &err), 0);
	assert_string_equal(t.text.ptr, canon);
	rl_text_free(&t);
	assert_int_equal(rl_extract(&t, &txt, 1, NULL, &err), 0);
	assert_true(xc_has_line(&t.text, "# Alliance Committee"));
	rl_text_free(&t);
}

static void kinds_are_sniffed(void **state)
{
	(void)state;
	assert_int_equal(rl_doc_sniff("%PDF-1.7\n", 9, "text/html", NULL), RL_DOC_PDF);
	assert_int_equal(rl_doc_sniff("<p>x</p>", 8, NULL, NULL), RL_DOC_HTML);
	assert_int_equal(rl_doc_sniff("just text", 9, "text/html", NULL), RL_DOC_TEXT);
	assert_int_equal(rl_doc_sniff("# x", 3, "text/plain", "a.md"), RL_DOC_MARKDOWN);
	assert_int_equal(rl_doc_sniff("x", 1, NULL, "https://e.org/a.txt?x=1"), RL_DOC_TEXT);
	assert_int_equal(rl_doc_sniff("\x89PNG\r\n\x1a\n", 8, "text/html", NULL), RL_DOC_UNKNOWN);
	assert_string_equal(rl_doc_kind_name(RL_DOC_MARKDOWN), "markdown");
	assert_string_equal(rl_doc_kind_ext(RL_DOC_TEXT), "txt");
	assert_string_equal(rl_doc_kind_ext(RL_DOC_PDF), "pdf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(paged_web_edition_reads_as_the_book),
	    cmocka_unit_test(paged_web_edition_has_a_text_per_page),
	    cmocka_unit_test(markup_and_wrapping_do_not_change_the_bytes),
	    cmocka_unit_test(a_single_page_loses_furniture_by_shape),
	    cmocka_unit_test(select_and_remove_rules_apply_before_extraction),
	    cmocka_unit_test(bad_rules_are_named),
	    cmocka_unit_test(ignore_rules_drop_canonical_lines),
	    cmocka_unit_test(ignore_rules_apply_to_pages),
	    cmocka_unit_test(html_structure_is_kept),
	    cmocka_unit_test(paragraphs_in_markup_stay_paragraphs),
	    cmocka_unit_test(markdown_and_text_sources),
	    cmocka_unit_test(form_feeds_separate_plain_text_pages),
	    cmocka_unit_test(canonical_text_as_markdown_reads_back_as_itself),
	    cmocka_unit_test(markdown_numbers_are_printed_labels),
	    cmocka_unit_test(kinds_are_sniffed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
