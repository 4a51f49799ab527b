/* Extraction: raw bytes (HTML, PDF, plain text, Markdown) to canonical
 * text (DESIGN.md "Canonical text"): UTF-8, NFC, LF, one sentence per
 * line, a blank line between paragraphs, `#` headings, each enumerated
 * item on its own line with its label, page furniture removed. The rules
 * are told to users in doc/extraction.md. */
#ifndef REDLINE_EXTRACT_H
#define REDLINE_EXTRACT_H

#include <stddef.h>

#include "redline/buf.h"
#include "redline/error.h"
#include "redline/strv.h"

/* Bumped whenever the same input could give different text: recorded in
 * source.json and the Redline-Extractor trailer; `redline reextract`
 * rebuilds history with the current one. */
#define RL_EXTRACTOR_VERSION "3"

typedef enum rl_doc_kind {
	RL_DOC_UNKNOWN = 0, /* sniff from content type, URL and bytes */
	RL_DOC_HTML,
	RL_DOC_PDF,
	RL_DOC_TEXT,
	RL_DOC_MARKDOWN,
} rl_doc_kind;

/* One raw input page: a whole document, or one page of a paged source. */
typedef struct rl_raw_page {
	int number; /* page number; 0 for a single document */
	const char *data;
	size_t len;
	const char *content_type; /* HTTP Content-Type, may be NULL */
	const char *url;          /* for sniffing by extension, may be NULL */
} rl_raw_page;

typedef struct rl_extract_opts {
	const rl_strv *select; /* XPath rules: keep only these (HTML), may be NULL */
	const rl_strv *remove; /* XPath rules: drop these (HTML), may be NULL */
	const rl_strv *ignore; /* regexes: drop matching canonical lines, may be NULL */
	/* nonzero: an empty body, or a document without text, is an empty
	 * text (the second with a warning), not an error: what `compare`
	 * wants of /dev/null or an empty draft; a fetch wants the error, as
	 * a page that lost its text is a broken page, not a new version */
	int allow_empty;
} rl_extract_opts;

typedef struct rl_page_text {
	int number;
	rl_buf text; /* canonical text of this page alone */
} rl_page_text;

typedef struct rl_text {
	rl_doc_kind kind;
	rl_buf text;         /* text.md: the whole document */
	rl_page_text *pages; /* pages/NNNN.md: paged sources and PDFs; else none */
	size_t n_pages;
	rl_strv warnings; /* e.g. "page 85: 3 invalid bytes in EUC-KR replaced" */
} rl_text;

/* Extracts n raw pages (in order) into canonical text. A PDF input
 * yields one rl_page_text per PDF page; a paged source (n > 1, or a page
 * with a number) one per raw page; a single document none. Page furniture
 * is recognized across all n pages. Damaged input gives a clear
 * RL_EEXTRACT error or a best-effort text, never a crash: an empty body,
 * binary data, an encrypted or unreadable PDF, or no text at all in any
 * page are RL_EEXTRACT naming the page (or URL), the first and the last
 * not with opts->allow_empty; a select, remove or
 * ignore rule that does not compile is RL_EINVALID naming the rule.
 * Recoverable trouble (invalid bytes, NULs, unknown charsets) goes to
 * out->warnings. On error *out is left empty. Long PDFs are read by up to
 * four threads; the call is otherwise single-threaded and reentrant. */
int rl_extract(rl_text *out, const rl_raw_page *pages, size_t n, const rl_extract_opts *opts,
	       rl_error *err);
void rl_text_free(rl_text *t); /* NULL-safe; leaves *t empty */

/* Extraction in a child process, for a long-lived program (redlined).
 * poppler parses untrusted bytes, and once loaded it can never be
 * unloaded (8.6 MiB with glib, cairo and fontconfig): a crash or a
 * runaway loop on a hostile PDF would take the program down, and one PDF
 * would cost it that memory for life. Once a child is set, rl_extract
 * runs every call in which a page sniffs as PDF in a new process started
 * from argv with posix_spawn (argv[0] a path; the program calls
 * rl_extract_serve(0, 1, err) there and exits 0), and gives back the same
 * rl_text, or the same error, as in process. The child's own failures are
 * RL_EEXTRACT "pdf extraction: ..." (killed by a signal, an exit status,
 * no reply within the timeout: it is then killed with SIGKILL; a reply cut
 * short or garbled, with its byte offset); the child is always reaped.
 * The call blocks until the child is done; tick, when set, is called
 * about once a second meanwhile (a service manager's watchdog). The
 * settings are copied. Set them before any thread extracts; NULL (or a
 * NULL argv) goes back to extraction in process. */
typedef struct rl_extract_child {
	const char *const *argv; /* NULL-terminated */
	int timeout_s;           /* 0: 120 s, or 10 s per MiB of input when that is more */
	void (*tick)(void *arg);
	void *arg;
} rl_extract_child;

int rl_extract_set_child(const rl_extract_child *child, rl_error *err);

/* The child's side: reads one request from fd in (to its end), extracts
 * in process, writes the reply to fd out. An extraction error is part of
 * the reply (0 is returned); a request that cannot be read or a reply
 * that cannot be written is an error (the program exits non-zero). */
int rl_extract_serve(int in, int out, rl_error *err);

/* The kind of a body: the bytes first (%PDF- anywhere in the first KB;
 * images, archives and binary data give RL_DOC_UNKNOWN), then the
 * Content-Type, then the URL's extension, then a look for HTML tags. */
rl_doc_kind rl_doc_sniff(const char *data, size_t len, const char *content_type, const char *url);
const char *rl_doc_kind_name(rl_doc_kind k);
/* File extension for raw/ ("html", "pdf", "txt", "md"). */
const char *rl_doc_kind_ext(rl_doc_kind k);

/* Canonicalizes text that is already plain (UTF-8; invalid bytes become
 * U+FFFD): joins hard-wrapped lines, splits sentences, NFC, LF, headings
 * and items as in rl_extract, but removes no page furniture. Canonical
 * text of well-formed prose reads back as itself. out is replaced. */
int rl_canon_plain(rl_buf *out, const char *text, size_t len, rl_error *err);

#endif
