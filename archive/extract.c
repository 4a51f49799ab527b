/* Extraction: dispatch by document kind, the line model the extractors
 * fill, and the whole pass from raw pages to text.md and pages/. */
#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "redline/extract.h"

#include "extract-int.h"

#define SNIFF_BYTES      4096
#define BINARY_PERCENT   10 /* control bytes in a text's first bytes that make it binary */
#define BINARY_MIN_BYTES 256

/* --- the line model ------------------------------------------------------ */

xpage *rlx_page_new(xdoc *d, int number)
{
	xpage *p;

	if (!(p = rl_room_for_one(d->pages, &d->cap, d->n, sizeof(*p), 8)))
		return NULL;
	d->pages = p;
	p = &d->pages[d->n++];
	memset(p, 0, sizeof(*p));
	p->number = number;
	p->source = d->source;
	p->source_len = d->source_len;
	p->pending = XB_BLOCK; /* a page boundary is a block boundary */
	return p;
}

void rlx_page_break(xpage *p, int brk)
{
	if (brk > p->pending)
		p->pending = brk;
}

/* UTF-8 of c into o (room for 4 bytes); returns the bytes written. */
static size_t encode(char *o, int32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

static int printable(unsigned char b)
{
	return b > 0x20 && b < 0x7F;
}

static int invisible(int32_t c)
{
	return c == 0x200B || c == 0xFEFF || c == 0x2060 || c < 0x20 || (c >= 0x7F && c < 0xA0);
}

/* Latin ligatures are presentation forms a PDF keeps and a web page
 * spells out; "ﬁ" and "fi" must give the same bytes. */
static const char *ligature(int32_t c)
{
	static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};

	return c >= 0xFB00 && c <= 0xFB06 ? lig[c - 0xFB00] : NULL;
}

/* Spaces collapsed, invisible characters dropped, trimmed; verbatim
 * keeps the spaces and drops only what cannot be seen. A soft hyphen
 * survives only at the end, where it says the word goes on. The result
 * is at most three times the input (a stray byte becomes U+FFFD), so it
 * is written straight into a buffer grown once; printable ASCII takes a
 * short way. */
static int normalize(rl_buf *out, const char *s, size_t len, int verbatim)
{
	size_t i = 0, n = 0;
	int space = 0, shy = 0;
	const char *lig;
	char *o;

	rl_buf_reset(out);
	if (len > SIZE_MAX / 4 || rl_buf_grow(out, 3 * len + 4) < 0)
		return -1;
	o = out->ptr;
	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		int32_t c;

		if (printable(b)) {
			size_t k = i + 1;

			if (space)
				o[n++] = ' ';
			space = shy = 0;
			/* the run of printable ASCII and single spaces inside
			 * it, which comes out as it is, copied at once */
			k = rlx_run_end(s, k, len);
			memcpy(o + n, s + i, k - i);
			n += k - i;
			i = k;
			continue;
		}
		if (b == ' ') { /* the other common byte, the same as below */
			if (verbatim)
				o[n++] = ' ';
			else
				space = n > 0;
			i++;
			continue;
		}
		c = rl_utf8_next(s, len, &i);
		if (rlx_is_space_cp(c)) {
			if (verbatim)
				o[n++] = c == '\t' ? '\t' : ' ';
			else
				space = n > 0;
			continue;
		}
		if (c == 0xAD) {
			shy = 1;
			continue;
		}
		if (invisible(c))
			continue;
		if (space)
			o[n++] = ' ';
		space = shy = 0;
		if ((lig = ligature(c))) {
			memcpy(o + n, lig, strlen(lig));
			n += strlen(lig);
		} else {
			n += encode(o + n, c);
		}
	}
	if (shy && n)
		o[n++] = '\xC2', o[n++] = '\xAD';
	while (n && (o[n - 1] == ' ' || o[n - 1] == '\t'))
		n--;
	out->len = n;
	o[n] = '\0';
	return 0;
}

/* A line that normalize and NFC give back as it is, read where it lies
 * (its code points in *cps): printable characters with single spaces
 * between them, ASCII and the known ones beyond it. A line with ’ or “
 * was copied, a fifth of an English edition's lines. */
static int normal_already(const char *s, size_t len, unsigned *cps)
{
	size_t k = 0, extra = 0, at;

	if (!len || s[0] == ' ')
		return 0;
	/* runs of printable ASCII and single spaces, and between them the
	 * characters beyond ASCII that normalize and NFC keep as they are:
	 * the punctuation, symbols and letters extraction knows (but
	 * spaces), a mark alone between ASCII characters */
	while ((k = rlx_run_end(s, k, len)) < len) {
		int32_t c;
		int keeps;

		if (s[k] == ' ') { /* before a character beyond ASCII, or none */
			if (++k == len || (unsigned char)s[k] < 0x80)
				return 0;
		} else if ((unsigned char)s[k] < 0x80) {
			return 0; /* a control character */
		}
		at = k;
		c = rl_utf8_next(s, len, &k);
		if (rlx_is_mark(c))
			keeps = at > 0 && printable((unsigned char)s[at - 1]) &&
				(k == len || (unsigned char)s[k] < 0x80) &&
				rl_mark_stays_after_ascii(c);
		else
			keeps = !rlx_is_space_cp(c) &&
				(rlx_common_punct(c) >= 0 || rlx_known_letter(c));
		if (!keeps)
			return 0;
		extra += k - at - 1;
	}
	*cps = (unsigned)(len - extra);
	return 1;
}

int rlx_page_line(xdoc *d, xpage *p, int kind, int level, const char *text, size_t len,
		  const char *label, size_t label_len)
{
	xline *l;
	size_t off;
	/* within the source (compared as numbers: text may be another buffer's) */
	uintptr_t at = (uintptr_t)text - (uintptr_t)p->source;
	unsigned cps = 0;
	int own = p->source && len <= p->source_len && at <= p->source_len - len &&
		  normal_already(text, len, &cps);

	if (!own && normalize(&d->scratch, text, len, kind == XL_PRE) < 0)
		return -1;
	if (!own && d->scratch.len == 0)
		return 0;
	if (!(l = rl_room_for_one(p->lines, &p->cap, p->n, sizeof(*l), 64)))
		return -1;
	p->lines = l;
	if (own) {
		/* the source's own bytes */
		l = &p->lines[p->n++];
		memset(l, 0, sizeof(*l));
		l->off = (size_t)at;
		l->len = len;
		l->cps = cps;
		l->flags = XF_SOURCE;
		p->bytes += len + 1;
	} else {
		off = p->arena.len;
		if (rlx_nfc_append(&p->arena, d->scratch.ptr, d->scratch.len) < 0 ||
		    rl_buf_putc(&p->arena, '\0') < 0)
			return -1;
		l = &p->lines[p->n++];
		memset(l, 0, sizeof(*l));
		l->off = off;
		l->len = p->arena.len - 1 - off;
		l->cps = rlx_count_cps(p->arena.ptr + off, l->len);
		p->bytes += l->len + 1;
	}
	l->kind = (unsigned char)kind;
	l->level = (unsigned char)level;
	l->brk = (unsigned char)p->pending;
	p->pending = XB_LINE;
	if (label && label_len) {
		l->label_off = p->arena.len;
		l->label_len = label_len;
		if (rl_buf_put(&p->arena, label, label_len) < 0 || rl_buf_putc(&p->arena, '\0') < 0)
			return -1;
		p->bytes += label_len + 1;
	}
	return 0;
}

void rlx_doc_free(xdoc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		rl_buf_free(&d->pages[i].arena);
		free(d->pages[i].lines);
	}
	free(d->pages);
	rl_buf_free(&d->scratch);
	memset(d, 0, sizeof(*d));
}

/* --- kinds and sniffing -------------------------------------------------- */

const char *rl_doc_kind_name(rl_doc_kind k)
{
	switch (k) {
	case RL_DOC_HTML:
		return "html";
	case RL_DOC_PDF:
		return "pdf";
	case RL_DOC_TEXT:
		return "text";
	case RL_DOC_MARKDOWN:
		return "markdown";
	default:
		return "unknown";
	}
}

const char *rl_doc_kind_ext(rl_doc_kind k)
{
	switch (k) {
	case RL_DOC_HTML:
		return "html";
	case RL_DOC_PDF:
		return "pdf";
	case RL_DOC_TEXT:
		return "txt";
	case RL_DOC_MARKDOWN:
		return "md";
	default:
		return "bin";
	}
}

static int ct_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	while (ct && isspace((unsigned char)*ct))
		ct++;
	return ct && strncasecmp(ct, type, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || isspace((unsigned char)ct[n]));
}

static int url_ends(const char *url, const char *ext)
{
	size_t n, e = strlen(ext);

	if (!url)
		return 0;
	n = strcspn(url, "?#");
	return n >= e && strncasecmp(url + n - e, ext, e) == 0;
}

static const char *binary_magic(const char *p, size_t len)
{
	static const struct {
		const char *magic;
		size_t n;
		const char *what;
	} m[] = {
	    {"\x89PNG", 4, "a PNG image"},       {"GIF8", 4, "a GIF image"},
	    {"\xFF\xD8\xFF", 3, "a JPEG image"}, {"PK\x03\x04", 4, "a ZIP archive"},
	    {"\x1F\x8B", 2, "gzip data"},        {"RIFF", 4, "RIFF media"},
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (len >= m[i].n && memcmp(p, m[i].magic, m[i].n) == 0)
			return m[i].what;
	return NULL;
}

/* Control bytes other than whitespace and ESC (ISO-2022) mean binary
 * data; UTF-16 is recognized by its BOM before this is asked. */
static int looks_binary(const char *p, size_t len)
{
	size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES, bad = 0;

	if (len >= 2 && ((p[0] == '\xFF' && p[1] == '\xFE') || (p[0] == '\xFE' && p[1] == '\xFF')))
		return 0;
	if (n < BINARY_MIN_BYTES)
		return 0; /* too little to tell a few stray bytes from binary data */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		bad += c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B;
	}
	return bad * 100 > n * BINARY_PERCENT;
}

static const char *memcasemem(const char *h, size_t hn, const char *n)
{
	size_t nn = strlen(n);

	for (size_t i = 0; i + nn <= hn; i++)
		if (strncasecmp(h + i, n, nn) == 0)
			return h + i;
	return NULL;
}

static int looks_html(const char *p, size_t len)
{
	static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body", "<meta",
					   "<title",         "<p>",   "<div",  "<br",   "<table"};
	size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (memcasemem(p, n, tags[i]))
			return 1;
	return 0;
}

/* A body served as HTML that holds no tag at all is plain text. NUL
 * bytes are skipped, so that UTF-16 markup counts too. */
static int has_tag(const char *p, size_t len)
{
	size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;

	for (size_t i = 0; i + 1 < n; i++) {
		size_t j = i + 1;

		if (p[i] != '<')
			continue;
		if (p[j] == '\0' && j + 1 < n)
			j++;
		if (isalpha((unsigned char)p[j]) || p[j] == '!' || p[j] == '/' || p[j] == '?')
			return 1;
	}
	return 0;
}

rl_doc_kind rl_doc_sniff(const char *data, size_t len, const char *content_type, const char *url)
{
	size_t n = len < 1024 ? len : 1024;

	/* The bytes win over the label: a PDF served as text/html is a PDF. */
	if (data && len >= 5 && memmem(data, n, "%PDF-", 5))
		return RL_DOC_PDF;
	if (!data || binary_magic(data, len) || looks_binary(data, len))
		return ct_is(content_type, "application/pdf") ? RL_DOC_PDF : RL_DOC_UNKNOWN;
	if (ct_is(content_type, "application/pdf") || ct_is(content_type, "application/x-pdf"))
		return RL_DOC_PDF;
	if (ct_is(content_type, "text/html") || ct_is(content_type, "application/xhtml+xml"))
		return has_tag(data, len) ? RL_DOC_HTML : RL_DOC_TEXT;
	if (ct_is(content_type, "text/markdown") || ct_is(content_type, "text/x-markdown"))
		return RL_DOC_MARKDOWN;
	if (url_ends(url, ".md") || url_ends(url, ".markdown"))
		return RL_DOC_MARKDOWN;
	if (ct_is(content_type, "text/plain") || url_ends(url, ".txt"))
		return RL_DOC_TEXT;
	if (url_ends(url, ".pdf"))
		return RL_DOC_PDF;
	if (url_ends(url, ".html") || url_ends(url, ".htm") || url_ends(url, ".xhtml"))
		return has_tag(data, len) ? RL_DOC_HTML : RL_DOC_TEXT;
	return looks_html(data, len) ? RL_DOC_HTML : RL_DOC_TEXT;
}

/* --- the whole pass ------------------------------------------------------ */

void rl_text_free(rl_text *t)
{
	if (!t)
		return;
	rl_buf_free(&t->text);
	for (size_t i = 0; i < t->n_pages; i++)
		rl_buf_free(&t->pages[i].text);
	free(t->pages);
	rl_strv_free(&t->warnings);
	memset(t, 0, sizeof(*t));
}

static void where_of(char *out, size_t n, const rl_raw_page *p)
{
	if (p->number > 0)
		snprintf(out, n, "page %d", p->number);
	else
		snprintf(out, n, "%s", p->url ? p->url : "document");
}

static int fail(rl_error *err, int code, const char *where)
{
	if (!err)
		return code;
	if (err->code == RL_OK)
		return rl_error_set(err, code, "%s: extraction failed", where);
	rl_error_prefix(err, "%s", where);
	return err->code;
}

/* One raw page into the line model. */
static int extract_one(xdoc *d, const rl_raw_page *p, rl_doc_kind kind, const char *where,
		       const rl_extract_opts *opts, rl_buf *utf8, rl_strv *warnings, rl_error *err)
{
	const char *magic, *text;
	size_t len;
	int rc;

	switch (kind) {
	case RL_DOC_PDF:
		rc = rlx_pdf(d, p->data, p->len, p->number, err);
		return rc < 0 ? fail(err, rc, where) : 0;
	case RL_DOC_HTML:
	case RL_DOC_TEXT:
	case RL_DOC_MARKDOWN:
		rc = rlx_decode(utf8, &text, &len, p->data, p->len, p->content_type,
				kind == RL_DOC_HTML, where, warnings, err);
		if (rc < 0)
			return fail(err, rc, where);
		/* the raw page's bytes stay until the extraction is done;
		 * utf8 is the next page's */
		if (kind == RL_DOC_HTML)
			rc = rlx_html(d, text, len, p->number, where, opts, err);
		else
			rc = rlx_plain(d, text, len, p->number, kind == RL_DOC_MARKDOWN, rc == 1);
		if (rc == -1 && (!err || err->code == RL_OK))
			return rl_error_set(err, RL_ENOMEM, "%s: out of memory", where);
		return rc < 0 ? fail(err, rc, where) : 0;
	default:
		magic = binary_magic(p->data, p->len);
		return rl_error_set(err, RL_EEXTRACT, "%s: not a document: %s%s%s", where,
				    magic ? magic : "binary data",
				    p->content_type ? " served as " : "",
				    p->content_type ? p->content_type : "");
	}
}

/* Canonical text of each output page: the pages of the line model that
 * came from one raw page (a PDF gives one per PDF page). */
static int extract_pages(rl_text *out, rlx_canon *c, const xdoc *d, rl_error *err)
{
	size_t n = 0, i, j;
	int rc;

	for (i = 0; i < d->n; i++)
		n += i == 0 || d->pages[i].group != d->pages[i - 1].group;
	out->pages = calloc(n ? n : 1, sizeof(*out->pages));
	if (!out->pages)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	for (i = 0; i < d->n; i = j) {
		rl_page_text *pt = &out->pages[out->n_pages++];

		for (j = i + 1; j < d->n && d->pages[j].group == d->pages[i].group; j++)
			;
		pt->number = d->pages[i].number;
		rl_buf_init(&pt->text);
		if ((rc = rlx_canon_flow(c, d, i, j - i, &pt->text, err)) < 0)
			return rc;
	}
	return 0;
}

/* rl_extract in this process (rl_extract itself, in extract-child.c,
 * may hand a PDF to a child process that calls this). */
int rlx_extract_here(rl_text *out, const rl_raw_page *pages, size_t n, const rl_extract_opts *opts,
		     rl_error *err)
{
	xdoc d;
	rlx_canon *c = NULL;
	rl_buf utf8 = RL_BUF_INIT;
	int rc = 0, paged;
	char where[256];

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	if (err)
		rl_error_clear(err);
	if (n == 0 || !pages)
		return rl_error_set(err, RL_EINVALID, "nothing to extract: no pages");
	/* Bad rules fail before any work. */
	if ((rc = rlx_html_check_rules(opts, err)) < 0 ||
	    (rc = rlx_canon_new(&c, opts ? opts->ignore : NULL, err)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const rl_raw_page *p = &pages[i];
		size_t before = d.n;
		rl_doc_kind kind;

		where_of(where, sizeof(where), p);
		if (!p->data || p->len == 0) {
			if (opts && opts->allow_empty)
				continue; /* no text, and nothing to say of it */
			rc = rl_error_set(err, RL_EEXTRACT, "%s: empty body", where);
			goto out;
		}
		kind = rl_doc_sniff(p->data, p->len, p->content_type, p->url);
		if (i == 0)
			out->kind = kind;
		if ((rc = extract_one(&d, p, kind, where, opts, &utf8, &out->warnings, err)) < 0)
			goto out;
		/* A raw page is one output page; each page of a PDF is one. */
		for (size_t k = before; k < d.n; k++)
			d.pages[k].group = kind == RL_DOC_PDF ? (int)k : -1 - (int)i;
	}
	/* The line model holds its own copy of the lines it changed, the
	 * others being the raw pages' bytes (normal_already): a decoded
	 * copy, where one was made, goes now, and the canonical text is
	 * written into its memory, already faulted in, rather than a fresh
	 * megabyte. */
	rl_buf_free(&utf8);
	if (rlx_furniture_mark(&d) < 0) {
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		goto out;
	}
	rlx_layout(&d);
	if ((rc = rlx_canon_flow(c, &d, 0, d.n, &out->text, err)) < 0)
		goto out;
	if (out->text.len == 0) {
		const char *why =
		    out->kind == RL_DOC_PDF ? " (a scanned PDF without a text layer?)" : "";

		if (!opts || !opts->allow_empty) {
			rc = rl_error_set(err, RL_EEXTRACT, "%s: no text found%s",
					  n > 1 ? "all pages" : where, why);
		} else if (d.n > 0 && rl_strv_pushf(&out->warnings,
						    "no text found%s; taken as empty", why) < 0) {
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		}
		goto out;
	}
	paged = n > 1 || pages[0].number > 0 || out->kind == RL_DOC_PDF;
	if (paged && (rc = extract_pages(out, c, &d, err)) < 0)
		goto out;
out:
	rlx_canon_free(c);
	rlx_doc_free(&d);
	rl_buf_free(&utf8);
	if (rc < 0) {
		rl_text_free(out);
		if (rc == -1 && err && err->code == RL_OK)
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	return rc;
}

int rl_canon_plain(rl_buf *out, const char *text, size_t len, rl_error *err)
{
	xdoc d;
	rlx_canon *c = NULL;
	rl_buf utf8 = RL_BUF_INIT;
	const char *plain;
	size_t plain_len;
	int rc;

	memset(&d, 0, sizeof(d));
	rl_buf_reset(out);
	if ((rc = rlx_decode(&utf8, &plain, &plain_len, text ? text : "", text ? len : 0,
			     "text/plain; charset=utf-8", 0, "text", NULL, err)) < 0)
		goto out;
	if (rlx_plain(&d, plain, plain_len, 0, 0, rc == 1) < 0) {
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		goto out;
	}
	rlx_layout(&d);
	if ((rc = rlx_canon_new(&c, NULL, err)) < 0)
		goto out;
	rc = rlx_canon_flow(c, &d, 0, d.n, out, err);
out:
	rlx_canon_free(c);
	rlx_doc_free(&d);
	rl_buf_free(&utf8);
	return rc;
}
