/* The JSON report, DESIGN.md's shape: stats, changes, principles, watch.
 * The changes (thousands, megabytes of text between two editions) are
 * written straight into the buffer, escaped the way jansson escapes, in
 * the layout json_dumps(JSON_INDENT(2)) gives: building them as jansson
 * objects and dumping those took 370M instructions (70 ms) for the
 * 2018 -> 2020 editions, more than the diff. The principles and watched
 * terms are built with jansson and dumped into place. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "redline/thread.h"

#include "render-internal.h"

/* Length of the valid UTF-8 sequence at s (at most len bytes), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	size_t n = s[0] < 0x80                   ? 1
		   : s[0] >= 0xc2 && s[0] < 0xe0 ? 2
		   : s[0] >= 0xe0 && s[0] < 0xf0 ? 3
		   : s[0] >= 0xf0 && s[0] < 0xf5 ? 4
						 : 0;

	if (!n || n > len)
		return 0;
	for (size_t k = 1; k < n; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

/* A JSON string of len bytes; bytes that are not UTF-8 (texts compared
 * straight from files may hold any) become U+FFFD, never a lost key. */
static json_t *jstr(const char *s, size_t len)
{
	json_t *j = json_stringn(s ? s : "", s ? len : 0);
	rl_buf b = RL_BUF_INIT;

	if (j)
		return j;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq((const unsigned char *)s + i, len - i);

		if (n && s[i]) {
			rl_buf_put(&b, s + i, n);
			i += n;
		} else {
			rl_buf_puts(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	j = json_stringn(rl_buf_cstr(&b), b.len);
	rl_buf_free(&b);
	return j ? j : json_string("");
}

static json_t *cstr(const char *s)
{
	return jstr(s ? s : "", s ? strlen(s) : 0);
}

/* The first byte from k on that JSON must escape ('"', '\\', a control
 * character), or len: eight bytes at a time, as the texts run to
 * megabytes. Below 0x20 sets a byte's top bit in x - 0x20.. and not in
 * x; a byte equal to q sets it in (x ^ q..) - 0x01.. and not in x ^ q..
 * Borrows only cross into the bytes after a flagged byte, so the lowest
 * flag is the first such byte (little-endian; elsewhere a byte at a
 * time). */
static size_t plain_end(const unsigned char *p, size_t k, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ULL, tops = 0x8080808080808080ULL;

	for (; k + 8 <= len; k += 8) {
		uint64_t x, q, b, m;

		memcpy(&x, p + k, 8);
		q = x ^ ('"' * ones);
		b = x ^ ('\\' * ones);
		m = ((x - 0x20 * ones) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b);
		if (m & tops)
			return k + ((size_t)__builtin_ctzll(m & tops) >> 3);
	}
#endif
	while (k < len && p[k] >= 0x20 && p[k] != '"' && p[k] != '\\')
		k++;
	return k;
}

/* A JSON string as jansson writes it: '"', '\\' and control characters
 * escaped (\uXXXX in upper case where there is no short form), the rest
 * as is. Text that is not UTF-8 (or holds NUL) gets U+FFFD for each bad
 * byte, as jstr does. */
static void put_str(rl_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	int valid = 1;

	for (size_t i = 0; i < len && valid;) {
		size_t n;
		uint64_t x;

		if (i + 8 <= len && (memcpy(&x, p + i, 8), (x & 0x8080808080808080ULL) == 0)) {
			i += 8;
			continue;
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_seq(p + i, len - i);
		valid = n > 0;
		i += n;
	}
	rl_buf_put(out, "\"", 1);
	for (size_t i = 0, run = 0; i < len; i = run) {
		size_t n = valid ? 1 : utf8_seq(p + i, len - i);
		unsigned char c = p[i];

		/* copy plain bytes in one go */
		run = i;
		if (valid)
			run = plain_end(p, run, len);
		while (!valid && run < len && p[run] >= 0x20 && p[run] != '"' && p[run] != '\\') {
			size_t k = p[run] < 0x80 ? 1 : utf8_seq(p + run, len - run);

			if (!k)
				break;
			run += k;
		}
		if (run > i) {
			rl_buf_put(out, s + i, run - i);
			continue;
		}
		run = i + (n ? n : 1);
		if (!valid && (!n || !c)) {
			rl_buf_puts(out, "\xef\xbf\xbd");
			continue;
		}
		switch (c) {
		case '"':
			rl_buf_puts(out, "\\\"");
			break;
		case '\\':
			rl_buf_puts(out, "\\\\");
			break;
		case '\b':
			rl_buf_puts(out, "\\b");
			break;
		case '\f':
			rl_buf_puts(out, "\\f");
			break;
		case '\n':
			rl_buf_puts(out, "\\n");
			break;
		case '\r':
			rl_buf_puts(out, "\\r");
			break;
		case '\t':
			rl_buf_puts(out, "\\t");
			break;
		default:
			rl_buf_printf(out, "\\u%04X", c);
		}
	}
	rl_buf_put(out, "\"", 1);
}

/* ", \"key\": N" on its own line, at the depth of a change's keys */
static void put_num(rl_buf *out, const char *key, size_t v, int last)
{
	char digits[24], *p = digits + sizeof(digits);

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	rl_buf_puts(out, ",\n      \"");
	rl_buf_puts(out, key);
	rl_buf_puts(out, "\": ");
	rl_buf_put(out, p, (size_t)(digits + sizeof(digits) - p));
	if (last)
		rl_buf_puts(out, "\n    }");
}

/* One change, as json_dumps(JSON_INDENT(2)) lays it out two levels in
 * (printf formats twice into an rl_buf, too slow for thousands). */
static void put_change(rl_buf *out, const rl_diff *d, const rl_change *c)
{
	rl_buf_puts(out, "    {\n      \"kind\": \"");
	rl_buf_puts(out, rl_change_kind_name(c->kind));
	rl_buf_puts(out, "\",\n      \"class\": \"");
	rl_buf_puts(out, rl_change_class_name(c->cls));
	rl_buf_puts(out, "\",\n      \"old\": ");
	put_str(out, d->old_text.ptr ? d->old_text.ptr + c->old_start : "",
		c->old_end - c->old_start);
	rl_buf_puts(out, ",\n      \"new\": ");
	put_str(out, d->new_text.ptr ? d->new_text.ptr + c->new_start : "",
		c->new_end - c->new_start);
	rl_buf_puts(out, ",\n      \"flags\": ");
	if (!(c->flags & (RL_CHANGE_FLAG_NUMBER | RL_CHANGE_FLAG_NEGATION))) {
		rl_buf_puts(out, "[]");
	} else {
		rl_buf_puts(out, "[\n");
		if (c->flags & RL_CHANGE_FLAG_NUMBER)
			rl_buf_puts(out, c->flags & RL_CHANGE_FLAG_NEGATION
					     ? "        \"number\",\n"
					     : "        \"number\"\n");
		if (c->flags & RL_CHANGE_FLAG_NEGATION)
			rl_buf_puts(out, "        \"negation\"\n");
		rl_buf_puts(out, "      ]");
	}
	put_num(out, "old_line", c->old_line, 0);
	put_num(out, "new_line", c->new_line, 0);
	put_num(out, "old_words", c->old_words, 0);
	put_num(out, "new_words", c->new_words, 1);
}

/* "key": "value" of an object three levels in (in an array two in),
 * the string as jansson escapes it; NULL is "". */
static void put_field(rl_buf *out, const char *key, const char *value, int last)
{
	rl_buf_puts(out, "        \"");
	rl_buf_puts(out, key);
	rl_buf_puts(out, "\": ");
	put_str(out, value ? value : "", value ? strlen(value) : 0);
	rl_buf_puts(out, last ? "\n" : ",\n");
}

/* An array of items as the value of a key two levels in, the layout
 * json_dumps(JSON_INDENT(2)) gives. */
static void put_items(rl_buf *out, const char *key, const rl_item *items, size_t n, int last)
{
	rl_buf_puts(out, "    \"");
	rl_buf_puts(out, key);
	rl_buf_puts(out, n ? "\": [\n" : "\": []");
	for (size_t i = 0; i < n; i++) {
		rl_buf_puts(out, "      {\n");
		put_field(out, "id", items[i].id, 0);
		put_field(out, "label", items[i].label, 0);
		put_field(out, "text", items[i].text, 0);
		rl_buf_printf(out, "        \"list\": %d\n      }%s", items[i].list,
			      i + 1 < n ? ",\n" : "\n");
	}
	if (n)
		rl_buf_puts(out, "    ]");
	rl_buf_puts(out, last ? "\n" : ",\n");
}

/* The principles, written like the changes (a rewritten edition has
 * hundreds of items: building them as jansson objects and dumping those
 * took a millisecond, a quarter of the report). */
static void put_principles(rl_buf *out, const rl_principles_diff *p)
{
	static const rl_principles_diff empty;

	if (!p)
		p = &empty;
	rl_buf_puts(out, "{\n");
	put_items(out, "added", p->added, p->n_added, 0);
	put_items(out, "removed", p->removed, p->n_removed, 0);
	rl_buf_puts(out, p->n_reworded ? "    \"reworded\": [\n" : "    \"reworded\": []");
	for (size_t i = 0; i < p->n_reworded; i++) {
		rl_buf_puts(out, "      {\n");
		put_field(out, "id", p->reworded[i].id, 0);
		put_field(out, "label", p->reworded[i].label, 0);
		put_field(out, "old", p->reworded[i].old_text, 0);
		put_field(out, "new", p->reworded[i].new_text, 1);
		rl_buf_puts(out, i + 1 < p->n_reworded ? "      },\n" : "      }\n    ]");
	}
	rl_buf_puts(out,
		    p->n_relabelled ? ",\n    \"relabelled\": [\n" : ",\n    \"relabelled\": []");
	for (size_t i = 0; i < p->n_relabelled; i++) {
		rl_buf_puts(out, "      {\n");
		put_field(out, "id", p->relabelled[i].id, 0);
		put_field(out, "old_label", p->relabelled[i].old_label, 0);
		put_field(out, "new_label", p->relabelled[i].new_label, 1);
		rl_buf_puts(out, i + 1 < p->n_relabelled ? "      },\n" : "      }\n    ]");
	}
	rl_buf_puts(out, ",\n");
	put_items(out, "reordered", p->reordered, p->n_reordered, 1);
	rl_buf_puts(out, "  }");
}

static json_t *watch_json(const rl_report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->n_watch; i++) {
		const rl_watch_hit *h = &r->watch[i];
		json_t *ctx = json_array();

		for (size_t k = 0; k < h->contexts.n; k++)
			json_array_append_new(ctx, cstr(h->contexts.v[k]));
		json_array_append_new(a, json_pack("{s:o, s:I, s:I, s:o}", "term", cstr(h->term),
						   "before", (json_int_t)h->before, "after",
						   (json_int_t)h->after, "contexts", ctx));
	}
	return a;
}

/* A jansson value dumped as the value of a key one level in. */
static int put_json(rl_buf *out, json_t *v)
{
	char *s = v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) : NULL;

	json_decref(v);
	if (!s)
		return -1;
	/* strings hold no raw newline, so each one starts a line */
	for (const char *p = s, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			rl_buf_puts(out, p);
			break;
		}
		rl_buf_put(out, p, (size_t)(nl - p));
		rl_buf_puts(out, "\n  ");
	}
	free(s);
	return 0;
}

/* Changes [from, to), each after ",\n" but the very first. */
static void put_changes(rl_buf *out, const rl_diff *d, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		rl_buf_puts(out, i ? ",\n" : "[\n");
		put_change(out, d, &d->changes[i]);
	}
}

/* Reports with this many changes have their second half written on a
 * second thread (the 2018 -> 2020 editions: 3.4 MB in 6 ms on one). */
#define RENDER_THREAD_CHANGES 4096

typedef struct half {
	rl_buf out;
	const rl_diff *d;
	size_t from, to;
} half;

static void *put_half(void *arg)
{
	half *h = arg;

	put_changes(&h->out, h->d, h->from, h->to);
	return NULL;
}

/* With a sink (rl_render_opts), the first half goes to it while the
 * second is written, and the second as it is: copied after the first, it
 * was 1.7 MB for two editions, written to pages the report had not used
 * yet. -1 (errno set) when the sink refuses it. */
static int put_all_changes(rl_buf *out, const rl_diff *d, const rl_render_opts *opts)
{
	half h = {RL_BUF_INIT, d, d->n_changes / 2, d->n_changes};
	rl_task *task;
	int rc;

	if (d->n_changes < RENDER_THREAD_CHANGES || rl_task_start(&task, put_half, &h) != 0) {
		put_changes(out, d, 0, d->n_changes);
		return 0;
	}
	put_changes(out, d, 0, h.from);
	rc = render_flush(out, opts);
	rl_task_join(task);
	if (h.out.failed)
		out->failed = 1;
	if (rc == 0 && opts && opts->sink && !out->failed)
		rc = render_flush(&h.out, opts);
	else
		rl_buf_put(out, h.out.ptr ? h.out.ptr : "", h.out.len);
	rl_buf_free(&h.out);
	return rc;
}

int rl_render_json(rl_buf *out, const rl_report *r, const rl_render_opts *opts, rl_error *err)
{
	const rl_diff *d = r->diff;
	size_t start = out->len;
	int rc = 0;

	rl_buf_printf(out,
		      "{\n  \"stats\": {\n    \"common\": %zu,\n    \"inserted\": %zu,\n"
		      "    \"deleted\": %zu,\n    \"moved\": %zu\n  },\n  \"class\": \"%s\",\n"
		      "  \"changes\": ",
		      d->stats.common, d->stats.inserted, d->stats.deleted, d->stats.moved,
		      rl_change_class_name(r->cls));
	if (put_all_changes(out, d, opts) < 0)
		return rl_error_set(err, RL_EIO, "cannot write the report: %s", strerror(errno));
	/* what was flushed cannot be taken back on an error below */
	if (opts && opts->sink)
		start = 0;
	rl_buf_puts(out, d->n_changes ? "\n  ]" : "[]");
	rl_buf_puts(out, ",\n  \"principles\": ");
	put_principles(out, r->principles);
	rl_buf_puts(out, ",\n  \"watch\": ");
	if (put_json(out, watch_json(r)) < 0)
		rc = -1;
	rl_buf_puts(out, "\n}\n");
	if (rc < 0 || rl_buf_putc(out, 0) < 0) {
		out->len = start;
		return rl_error_set(err, RL_ENOMEM, "render: cannot encode the JSON report");
	}
	out->len--; /* the NUL only checked that the buffer could grow */
	return 0;
}
