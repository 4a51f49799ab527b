/* Unit tests: ICU and libxml2 come into the process when the library first
 * needs them, each on its own (ICU's i18n library only for a page whose
 * charset must be guessed), and rl_text_release unmaps them, as the
 * daemon does between passes; the next extraction loads them again and
 * reads the same text. This test calls only the loader's own definitions
 * of ICU and libxml2 functions, so it is not linked with them
 * (--as-needed): what /proc/self/maps shows is what the loader mapped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/xmlwriter.h>

#include "redline/extract.h"
#include "redline/render.h"
#include "redline/report.h"
#include "redline/text-loader.h"

/* Declares UTF-8, so no guessing: the libraries besides ICU's i18n. */
static const char declared[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Notice</title></head>\n"
    "<body><h1>Notice 12</h1>\n<p>The ministry publishes notice 12 on defence "
    "cooperation. It takes effect on the first day of the month.</p>\n"
    "<p>Questions go to the press offi\xc3\xa7\x65.</p></body></html>\n";

/* Declares nothing and is not UTF-8 (windows-1252 bytes): guessed. */
static const char guessed[] =
    "<html><body><p>Le minist\xe8re publie la note 12 sur la coop\xe9ration de "
    "d\xe9\x66\x65nse. Elle entre en vigueur le premier jour du mois, et "
    "reste en vigueur jusqu'\xe0 son retrait par le minist\xe8re.</p></body></html>\n";

/* 1 when a mapping of this process names lib. */
static int mapped(const char *lib)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	int found = 0;

	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, lib) != NULL;
	fclose(f);
	return found;
}

/* The canonical text of a page of type ctype ("text/html", "text/plain"). */
static void extract_as(const char *ctype, const char *body, rl_buf *out)
{
	rl_raw_page page = {0, body, strlen(body), ctype, "http://example.org/n12"};
	rl_text t;
	rl_error err;

	if (rl_extract(&t, &page, 1, NULL, &err) < 0)
		fail_msg("%s", err.message);
	rl_buf_set(out, t.text.ptr, t.text.len);
	rl_text_free(&t);
}

static void loaded_on_first_use_and_let_go(void **state)
{
	rl_buf first = RL_BUF_INIT, again = RL_BUF_INIT;

	(void)state;
	assert_false(rl_text_loaded());
	assert_false(mapped("libicuuc"));
	assert_false(mapped("libxml2"));

	extract_as("text/html", declared, &first);
	assert_true(rl_text_loaded());
	assert_true(mapped("libicuuc"));
	assert_true(mapped("libxml2"));
	assert_false(mapped("libicui18n"));
	assert_non_null(strstr(first.ptr, "Notice 12"));

	for (int round = 0; round < 3; round++) {
		rl_text_release();
		assert_false(rl_text_loaded());
		assert_false(mapped("libicuuc"));
		assert_false(mapped("libicudata"));
		assert_false(mapped("libxml2"));
		extract_as("text/html", declared, &again);
		assert_true(mapped("libicuuc"));
		assert_string_equal(again.ptr, first.ptr);
	}
	rl_text_release();
	rl_text_release(); /* nothing loaded: nothing to do */
	assert_false(mapped("libicuuc"));
	rl_buf_free(&first);
	rl_buf_free(&again);
}

static void guessing_loads_i18n_and_it_goes_too(void **state)
{
	rl_buf first = RL_BUF_INIT, again = RL_BUF_INIT;

	(void)state;
	rl_text_release();
	extract_as("text/html", guessed, &first);
	assert_true(mapped("libicui18n"));
	assert_non_null(strstr(first.ptr, "Le minist\xc3\xa8re publie"));
	rl_text_release();
	assert_false(mapped("libicui18n"));
	assert_false(mapped("libicuuc"));
	extract_as("text/html", guessed, &again);
	assert_string_equal(again.ptr, first.ptr);
	rl_text_release();
	rl_buf_free(&first);
	rl_buf_free(&again);
}

/* The feed writes XML without parsing any: libxml2 sets up its encoding
 * handlers then, without xmlInitParser. Let go, they must be freed, not
 * lost with the library (the ASan build's leak check sees it). */
static void writer_alone_is_let_go_whole(void **state)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w;

	(void)state;
	rl_text_release();
	buf = xmlBufferCreate();
	w = xmlNewTextWriterMemory(buf, 0);
	assert_non_null(w);
	assert_true(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) >= 0);
	assert_true(xmlTextWriterWriteElement(w, BAD_CAST "feed", BAD_CAST "x") >= 0);
	assert_true(xmlTextWriterEndDocument(w) >= 0);
	xmlFreeTextWriter(w);
	assert_non_null(strstr((const char *)xmlBufferContent(buf), "<feed>x</feed>"));
	xmlBufferFree(buf);
	assert_true(mapped("libxml2"));
	rl_text_release();
	assert_false(mapped("libxml2"));
}

/* Two versions of a plain text, ASCII but for the punctuation the
 * library knows: a word changed, a sentence moved, a lettered item
 * inserted (so that the report masks labels with private-use
 * characters). */
static const char plain_old[] =
    "# Principles\n\nThe ministry publishes its principles. They guide the forces.\n\n"
    "a. Respect the law.\n\nb. Keep the peace.\n\n"
    "Readiness comes first. The forces train every month, and report to the minister.\n"
    "He said: \xe2\x80\x9c... North Korea is the neighbour\xe2\x80\x9d.\n";
static const char plain_new[] =
    "# Principles\n\nThe ministry publishes its principles. They guide the forces.\n\n"
    "a. Respect the law.\n\nb. Defend the nation.\n\nc. Keep the peace.\n\n"
    "The forces train every week, and report to the minister. Readiness comes first.\n"
    "He said: \xe2\x80\x9c... North Korea is the neighbour\xe2\x80\x9d.\n";

/* Where neither text holds a character beyond what the library knows
 * without ICU, a comparison never loads it: extraction,
 * the report and every format (a compare of two small texts took 1 ms
 * more when it did). */
static void known_characters_load_no_icu(void **state)
{
	static const rl_format formats[] = {RL_FORMAT_WORD, RL_FORMAT_UNIFIED, RL_FORMAT_JSON,
					    RL_FORMAT_HTML};
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT, out = RL_BUF_INIT;
	rl_report *r = NULL;
	rl_error err;

	(void)state;
	rl_text_release();
	extract_as("text/plain", plain_old, &a);
	extract_as("text/plain", plain_new, &b);
	if (rl_report_build(&r, a.ptr, a.len, b.ptr, b.len, NULL, &err) < 0)
		fail_msg("%s", err.message);
	for (size_t f = 0; f < sizeof(formats) / sizeof(*formats); f++) {
		rl_buf_reset(&out);
		if (rl_render(&out, r, formats[f], NULL, &err) < 0)
			fail_msg("%s", err.message);
		assert_non_null(strstr(out.ptr, "week"));
	}
	assert_false(rl_text_loaded());
	assert_false(mapped("libicuuc"));
	rl_report_free(r);
	rl_buf_free(&a);
	rl_buf_free(&b);
	rl_buf_free(&out);
}

/* Which texts may need ICU, as a program that preloads it asks. */
static void texts_that_may_need_icu(void **state)
{
	static const struct {
		const char *text;
		int needs;
	} cases[] = {
	    {"", 0},
	    {"Plain ASCII, with digits 123 and @ signs.\n", 0},
	    /* ’ “ ” – ① é ㎡ private use, a Hangul syllable, a jamo */
	    {"The ministry\xe2\x80\x99s \xe2\x80\x9cplan\xe2\x80\x9d \xe2\x80\x93 \xe2\x91\xa0 "
	     "caf\xc3\xa9 3\xe3\x8e\xa1 \xee\x80\x80 \xea\xb0\x80 \xe3\x85\x85\n",
	     0},
	    {"Korea\xcc\x93s", 0},   /* a mark after ASCII */
	    {" \xcc\x93s", 1},       /* after a space, the word breaker's */
	    {"\xce\xb1\xcc\x93", 1}, /* α, and a mark after it */
	    {"\xe3\x81\x82", 1},     /* あ */
	    {"bad \xff byte", 1},
	    {"\xef\xbf\xbd", 1}, /* U+FFFD itself */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		if (rl_text_needs_icu(cases[i].text, strlen(cases[i].text)) != cases[i].needs)
			fail_msg("\"%s\": want %d", cases[i].text, cases[i].needs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(loaded_on_first_use_and_let_go),
	    cmocka_unit_test(guessing_loads_i18n_and_it_goes_too),
	    cmocka_unit_test(writer_alone_is_let_go_whole),
	    cmocka_unit_test(known_characters_load_no_icu),
	    cmocka_unit_test(texts_that_may_need_icu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
