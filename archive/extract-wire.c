/* The request and reply of extraction in a child process: the format is
 * described in extract-wire.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract-wire.h"

#define MAGIC_REQUEST "RLXQ"
#define MAGIC_REPLY   "RLXA"
#define VERSION       2
#define FLAG_EMPTY    1u /* opts->allow_empty */
#define NO_STRING     0xFFFFFFFFu
#define FLUSH_AT      ((size_t)64 * 1024)

/* --- writing ------------------------------------------------------------ */

static int write_all(wire_out *w, const char *p, size_t n)
{
	while (n > 0 && !w->error) {
		ssize_t k = write(w->fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->error = k < 0 ? errno : EIO;
			break;
		}
		p += k;
		n -= (size_t)k;
	}
	return w->error ? -1 : 0;
}

int wire_flush(wire_out *w)
{
	if (w->b.failed && !w->error)
		w->error = ENOMEM;
	if (w->error)
		return -1;
	if (write_all(w, w->b.ptr, w->b.len) < 0)
		return -1;
	rl_buf_reset(&w->b);
	return 0;
}

static void put_u32(wire_out *w, uint32_t v)
{
	char b[4] = {(char)v, (char)(v >> 8), (char)(v >> 16), (char)(v >> 24)};

	rl_buf_put(&w->b, b, 4);
}

static void put_u64(wire_out *w, uint64_t v)
{
	put_u32(w, (uint32_t)v);
	put_u32(w, (uint32_t)(v >> 32));
}

/* Big runs of bytes are written where they are, not copied. */
static void put_raw(wire_out *w, const char *p, size_t n)
{
	if (n < FLUSH_AT) {
		rl_buf_put(&w->b, p, n);
		return;
	}
	if (wire_flush(w) == 0)
		write_all(w, p, n);
}

static void put_str(wire_out *w, const char *s)
{
	if (!s) {
		put_u32(w, NO_STRING);
		return;
	}
	put_u32(w, (uint32_t)strlen(s));
	put_raw(w, s, strlen(s));
}

static void put_bytes(wire_out *w, const char *p, size_t n)
{
	put_u64(w, n);
	if (n)
		put_raw(w, p, n);
}

static void put_list(wire_out *w, const rl_strv *l)
{
	if (!l) {
		put_u32(w, NO_STRING);
		return;
	}
	put_u32(w, (uint32_t)l->n);
	for (size_t i = 0; i < l->n; i++)
		put_str(w, l->v[i] ? l->v[i] : "");
}

int wire_put_request(wire_out *w, const rl_raw_page *pages, size_t n, const rl_extract_opts *opts)
{
	rl_buf_put(&w->b, MAGIC_REQUEST, 4);
	put_u32(w, VERSION);
	put_u32(w, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		put_u32(w, (uint32_t)pages[i].number);
		put_str(w, pages[i].content_type);
		put_str(w, pages[i].url);
		put_bytes(w, pages[i].data, pages[i].data ? pages[i].len : 0);
	}
	put_list(w, opts ? opts->select : NULL);
	put_list(w, opts ? opts->remove : NULL);
	put_list(w, opts ? opts->ignore : NULL);
	put_u32(w, opts && opts->allow_empty ? FLAG_EMPTY : 0);
	return wire_flush(w);
}

int wire_put_reply(wire_out *w, int code, const rl_text *t, const rl_error *err)
{
	rl_buf_put(&w->b, MAGIC_REPLY, 4);
	put_u32(w, VERSION);
	put_u32(w, (uint32_t)code);
	if (code < 0) {
		put_str(w, err ? err->message : "extraction failed");
		return wire_flush(w);
	}
	put_u32(w, (uint32_t)t->kind);
	put_bytes(w, t->text.ptr, t->text.len);
	put_u32(w, (uint32_t)t->n_pages);
	for (size_t i = 0; i < t->n_pages; i++) {
		put_u32(w, (uint32_t)t->pages[i].number);
		put_bytes(w, t->pages[i].text.ptr, t->pages[i].text.len);
	}
	put_list(w, &t->warnings);
	return wire_flush(w);
}

/* --- reading ------------------------------------------------------------ */

typedef struct reader {
	const char *p;
	size_t len, off;
	const char *whose; /* "the child's reply", "the request" */
	rl_error *err;
	int failed;
} reader;

/* Stops reading; the first complaint is the one told. */
static int cut_short(reader *r, const char *what, uint64_t want)
{
	if (!r->failed)
		rl_error_set(r->err, RL_EEXTRACT,
			     "%s is cut short at byte %zu: %s needs %llu bytes, %zu are left",
			     r->whose, r->off, what, (unsigned long long)want, r->len - r->off);
	r->failed = 1;
	return -1;
}

static int garbage(reader *r, size_t at, const char *what)
{
	if (!r->failed)
		rl_error_set(r->err, RL_EEXTRACT, "%s is garbled at byte %zu: %s", r->whose, at,
			     what);
	r->failed = 1;
	return -1;
}

static int need(reader *r, uint64_t n, const char *what)
{
	if (r->failed)
		return -1;
	if (n > r->len - r->off)
		return cut_short(r, what, n);
	return 0;
}

static uint32_t get_u32(reader *r, const char *what)
{
	const unsigned char *b;

	if (need(r, 4, what) < 0)
		return 0;
	b = (const unsigned char *)r->p + r->off;
	r->off += 4;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t get_u64(reader *r, const char *what)
{
	uint64_t lo = get_u32(r, what);

	return lo | (uint64_t)get_u32(r, what) << 32;
}

/* A run of n bytes in place; NULL when they are not all there. */
static const char *get_run(reader *r, uint64_t n, const char *what)
{
	const char *s;

	if (need(r, n, what) < 0)
		return NULL;
	s = r->p + r->off;
	r->off += (size_t)n;
	return s;
}

/* A copy, NUL-terminated; *out NULL for a NULL string. */
static int get_str(reader *r, char **out, const char *what)
{
	uint32_t n = get_u32(r, what);
	const char *s;

	*out = NULL;
	if (r->failed || n == NO_STRING)
		return r->failed ? -1 : 0;
	if (!(s = get_run(r, n, what)))
		return -1;
	if (memchr(s, '\0', n))
		return garbage(r, (size_t)(s - r->p), "a NUL byte inside a string");
	if (!(*out = strndup(s, n))) {
		rl_error_set(r->err, RL_ENOMEM, "out of memory");
		r->failed = 1;
		return -1;
	}
	return 0;
}

static int get_magic(reader *r, const char *magic)
{
	const char *m = get_run(r, 4, "its first bytes");
	uint32_t v;

	if (!m)
		return -1;
	if (memcmp(m, magic, 4) != 0)
		return garbage(r, 0,
			       magic[3] == 'A' ? "it does not start with RLXA"
					       : "it does not start with RLXQ");
	v = get_u32(r, "the version");
	if (!r->failed && v != VERSION)
		return garbage(r, 4, "an unknown version");
	return r->failed ? -1 : 0;
}

/* A list into *l; *has 0 for a NULL list. Each entry takes at least 4
 * bytes, so a count is checked against what is left before anything is
 * allocated. */
static int get_list(reader *r, rl_strv *l, int *has, const char *what)
{
	size_t at = r->off;
	uint32_t n = get_u32(r, what);

	*has = 0;
	if (r->failed)
		return -1;
	if (n == NO_STRING)
		return 0;
	*has = 1;
	if ((uint64_t)n * 4 > r->len - r->off)
		return cut_short(r, what, (uint64_t)n * 4);
	for (uint32_t i = 0; i < n; i++) {
		char *s;

		if (get_str(r, &s, what) < 0)
			return -1;
		if (!s)
			return garbage(r, at, "a NULL string in a list");
		if (rl_strv_push(l, s) < 0) {
			free(s);
			r->failed = 1;
			return rl_error_set(r->err, RL_ENOMEM, "out of memory");
		}
		free(s);
	}
	return 0;
}

static int end(reader *r)
{
	char what[64];

	if (r->failed)
		return -1;
	if (r->off == r->len)
		return 0;
	snprintf(what, sizeof(what), "%zu bytes after its end", r->len - r->off);
	return garbage(r, r->off, what);
}

void wire_request_free(wire_request *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free((char *)q->pages[i].content_type);
		free((char *)q->pages[i].url);
	}
	free(q->pages);
	rl_strv_free(&q->select);
	rl_strv_free(&q->remove);
	rl_strv_free(&q->ignore);
	memset(q, 0, sizeof(*q));
}

int wire_get_request(wire_request *q, const char *p, size_t len, rl_error *err)
{
	reader r = {p, len, 0, "the request", err, 0};
	uint32_t n;

	memset(q, 0, sizeof(*q));
	if (get_magic(&r, MAGIC_REQUEST) < 0)
		return RL_EEXTRACT;
	n = get_u32(&r, "the number of pages");
	if (!r.failed && (uint64_t)n * 20 > len - r.off)
		cut_short(&r, "the pages", (uint64_t)n * 20);
	if (!r.failed && !(q->pages = calloc(n ? n : 1, sizeof(*q->pages))))
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n && !r.failed; i++) {
		rl_raw_page *pg = &q->pages[q->n++];
		uint64_t dl;

		pg->number = (int)get_u32(&r, "a page number");
		get_str(&r, (char **)&pg->content_type, "a content type");
		get_str(&r, (char **)&pg->url, "a URL");
		dl = get_u64(&r, "the length of a page");
		pg->data = get_run(&r, dl, "the bytes of a page");
		pg->len = (size_t)dl;
	}
	get_list(&r, &q->select, &q->has_select, "the select rules");
	get_list(&r, &q->remove, &q->has_remove, "the remove rules");
	get_list(&r, &q->ignore, &q->has_ignore, "the ignore rules");
	q->opts.allow_empty = (get_u32(&r, "the flags") & FLAG_EMPTY) != 0;
	if (end(&r) < 0) {
		wire_request_free(q);
		return err ? err->code : RL_EEXTRACT;
	}
	q->opts.select = q->has_select ? &q->select : NULL;
	q->opts.remove = q->has_remove ? &q->remove : NULL;
	q->opts.ignore = q->has_ignore ? &q->ignore : NULL;
	return 0;
}

static int get_text(reader *r, rl_buf *b, const char *what)
{
	uint64_t n = get_u64(r, what);
	const char *s = get_run(r, n, what);

	if (!s)
		return -1;
	rl_buf_init(b);
	if (rl_buf_set(b, s, (size_t)n) < 0) {
		r->failed = 1;
		return rl_error_set(r->err, RL_ENOMEM, "out of memory");
	}
	return 0;
}

int wire_get_reply(rl_text *out, const char *p, size_t len, int *garbled, rl_error *err)
{
	reader r = {p, len, 0, "the child's reply", err, 0};
	size_t at;
	int32_t code;
	uint32_t kind, n;
	char *msg = NULL;

	memset(out, 0, sizeof(*out));
	*garbled = 1;
	if (get_magic(&r, MAGIC_REPLY) < 0)
		return RL_EEXTRACT;
	at = r.off;
	code = (int32_t)get_u32(&r, "the result");
	if (r.failed)
		return RL_EEXTRACT;
	if (code > 0 || code < RL_EGIT) {
		garbage(&r, at, "not a result code");
		return RL_EEXTRACT;
	}
	if (code < 0) {
		if (get_str(&r, &msg, "the error message") < 0 || end(&r) < 0) {
			free(msg);
			return err ? err->code : RL_EEXTRACT;
		}
		*garbled = 0;
		rl_error_set(err, code, "%s", msg ? msg : "extraction failed");
		free(msg);
		return code;
	}
	*garbled = 0;
	at = r.off;
	kind = get_u32(&r, "the kind");
	if (!r.failed && kind > RL_DOC_MARKDOWN)
		garbage(&r, at, "not a document kind");
	out->kind = (rl_doc_kind)kind;
	get_text(&r, &out->text, "the text");
	n = get_u32(&r, "the number of pages");
	if (!r.failed && (uint64_t)n * 12 > len - r.off)
		cut_short(&r, "the pages", (uint64_t)n * 12);
	if (!r.failed && n && !(out->pages = calloc(n, sizeof(*out->pages)))) {
		r.failed = 1;
		rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	for (uint32_t i = 0; i < n && !r.failed; i++) {
		rl_page_text *pt = &out->pages[i];

		pt->number = (int)get_u32(&r, "a page number");
		if (get_text(&r, &pt->text, "the text of a page") == 0)
			out->n_pages++;
	}
	if (!r.failed) {
		int has;

		get_list(&r, &out->warnings, &has, "the warnings");
	}
	if (end(&r) < 0) {
		rl_text_free(out);
		*garbled = 1;
		return err ? err->code : RL_EEXTRACT;
	}
	return 0;
}
