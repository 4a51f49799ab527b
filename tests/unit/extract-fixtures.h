/* Test fixtures for extraction, made inside the tests: the two white
 * paper pages as web pages in several markups and wrappings, and PDFs
 * drawn with cairo's PDF surface. Shared by tests/unit/test-extract*.c. */
#ifndef REDLINE_TEST_EXTRACT_FIXTURES_H
#define REDLINE_TEST_EXTRACT_FIXTURES_H

#include <stddef.h>

#include "redline/buf.h"
#include "redline/strv.h"

#define FX_DIR "tests/fixtures/extract/"

/* The lines of a fixture file (without line ends); aborts if unreadable. */
void fx_lines(rl_strv *out, const char *name);

/* Page 85 as published: title, marker, "Appendix", "14", heading, body,
 * footer. Page 86: title, marker, body (which ends with its footer). */
void fx_page85(rl_strv *out);
void fx_page86(rl_strv *out);

/* Markups a line-per-element web page can come in. */
enum fx_markup {
	FX_DIV,  /* positioned <div><span> per line, as flipbook pages are */
	FX_P,    /* <p> per line */
	FX_BR,   /* lines separated by <br> in one block */
	FX_SPAN, /* <span> per line with <br>, inline noise and entities */
	FX_MARKUPS,
};

/* An HTML page holding lines in the given markup. */
void fx_html(rl_buf *out, const rl_strv *lines, enum fx_markup m, const char *charset);

/* A PDF with one page per rl_strv, lines drawn top to bottom; the last
 * line of a page goes to its foot when footer is set. */
void fx_pdf(rl_buf *out, const rl_strv *pages, size_t n, int footer);

/* Pages 85 and 86 as a two-page PDF, each with its folio at the foot. */
void fx_pdf_two_pages(rl_buf *out);

/* A one-page PDF whose trailer asks for the standard security handler
 * with a user password nobody gave. */
void fx_pdf_encrypted(rl_buf *out);

/* The page re-typeset at another width: its first `head` and last `tail`
 * lines (title, marker, heading, footer) stay, the body's paragraphs
 * (ending in . : ; or "; and") and items are wrapped greedily at width
 * code points. */
void fx_rewrap(rl_strv *out, const rl_strv *lines, size_t head, size_t tail, size_t width);

/* Releases what cairo keeps for the process (for LeakSanitizer). */
void fx_cleanup(void);

#endif
