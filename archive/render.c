/* Rendering a report: format names, dispatch, and what the renderers
 * share (the line view of both texts). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render-internal.h"

static const char *const format_names[] = {"word", "unified", "json", "html"};

int rl_format_parse(const char *name, rl_format *out)
{
	for (size_t i = 0; name && i < sizeof(format_names) / sizeof(*format_names); i++)
		if (strcmp(name, format_names[i]) == 0) {
			*out = (rl_format)i;
			return 0;
		}
	return RL_EINVALID;
}

const char *rl_format_name(rl_format f)
{
	return (unsigned)f < sizeof(format_names) / sizeof(*format_names) ? format_names[f] : "?";
}

int render_only_ws(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!render_is_ws(s[i]))
			return 0;
	return 1;
}

/* The length of the run of s (from *i to len) of whitespace (ws) or
 * not; *i goes past it. */
static size_t render_run(const char *s, size_t len, size_t *i, int ws)
{
	size_t from = *i;

	while (*i < len && render_is_ws(s[*i]) == ws)
		(*i)++;
	return *i - from;
}

/* Do x and y hold the same words, one or more, with only the
 * whitespace between them told apart? */
static int render_same_words(const char *x, size_t xl, const char *y, size_t yl)
{
	size_t i = 0, j = 0;

	if (render_only_ws(x, xl))
		return 0;
	while (i < xl || j < yl) {
		size_t a, b;

		render_run(x, xl, &i, 1);
		render_run(y, yl, &j, 1);
		a = render_run(x, xl, &i, 0);
		b = render_run(y, yl, &j, 0);
		if (a != b || memcmp(x + i - a, y + j - b, a) != 0)
			return 0;
	}
	return 1;
}

/* Operations being made (render_line_ops). */
typedef struct opvec {
	rl_op *v;
	size_t n, cap;
	int failed;
} opvec;

/* Appends o to ops, joined with the last where both are equal. */
static void put_op(opvec *ops, rl_op o)
{
	if (o.old_end == o.old_start && o.new_end == o.new_start)
		return;
	if (o.kind == RL_OP_EQUAL && ops->n && ops->v[ops->n - 1].kind == RL_OP_EQUAL) {
		ops->v[ops->n - 1].old_end = o.old_end;
		ops->v[ops->n - 1].new_end = o.new_end;
		return;
	}
	if (ops->n == ops->cap) {
		size_t cap = ops->cap ? ops->cap * 2 : 64;
		rl_op *v = realloc(ops->v, cap * sizeof(*v));

		if (!v) {
			ops->failed = 1;
			return;
		}
		ops->v = v;
		ops->cap = cap;
	}
	ops->v[ops->n++] = o;
}

static rl_op plain_op(rl_op_kind k, size_t os, size_t oe, size_t ns, size_t ne)
{
	return (rl_op){k, os, oe, ns, ne, 0, -1};
}

/* The same words at old[os, oe) and new[ns, ne): the words equal, and
 * each whitespace between them that differs deleted and inserted, as
 * the alignment gives a break that came or went between equal words. */
static void put_same_words(const rl_diff *d, opvec *ops, size_t os, size_t oe, size_t ns, size_t ne)
{
	const char *x = d->old_text.ptr, *y = d->new_text.ptr;

	while (os < oe || ns < ne) {
		size_t o0 = os, n0 = ns, a = render_run(x, oe, &os, 1),
		       b = render_run(y, ne, &ns, 1);
		rl_op_kind ws =
		    a == b && memcmp(x + o0, y + n0, a) == 0 ? RL_OP_EQUAL : RL_OP_DELETE;

		put_op(ops, plain_op(ws, o0, os, n0, ws == RL_OP_EQUAL ? ns : n0));
		if (ws != RL_OP_EQUAL)
			put_op(ops, plain_op(RL_OP_INSERT, os, os, n0, ns));
		o0 = os;
		n0 = ns;
		a = render_run(x, oe, &os, 0);
		render_run(y, ne, &ns, 0);
		put_op(ops, plain_op(RL_OP_EQUAL, o0, os, n0, n0 + a));
	}
}

/* Are d's operations i and i + 1 a deletion and an insertion of the same
 * words? */
static int same_words_at(const rl_diff *d, size_t i)
{
	const rl_op *o = &d->ops[i], *p = &d->ops[i + 1];

	return o->kind == RL_OP_DELETE && p->kind == RL_OP_INSERT && !o->move && !p->move &&
	       render_same_words(d->old_text.ptr + o->old_start, o->old_end - o->old_start,
				 d->new_text.ptr + p->new_start, p->new_end - p->new_start);
}

int render_line_ops(const rl_diff *d, rl_op **out, size_t *n)
{
	opvec ops = {NULL, 0, 0, 0};
	int made = 0;

	*out = NULL;
	*n = d->n_ops;
	for (size_t i = 0; i < d->n_ops; i++) {
		if (i + 1 < d->n_ops && same_words_at(d, i)) {
			/* at the first such pair, the operations before it as
			 * they are */
			for (size_t k = 0; k < i && !made; k++)
				put_op(&ops, d->ops[k]);
			made = 1;
			put_same_words(d, &ops, d->ops[i].old_start, d->ops[i].old_end,
				       d->ops[i + 1].new_start, d->ops[i + 1].new_end);
			i++;
		} else if (made) {
			put_op(&ops, d->ops[i]);
		}
	}
	if (ops.failed) {
		free(ops.v);
		return -1;
	}
	if (made) {
		*out = ops.v;
		*n = ops.n;
	}
	return 0;
}

/* The formats that show the texts (word, unified, html), on
 * render_line_ops's operations: the same words deleted and inserted,
 * only a line break apart, are shown once, with the break that came or
 * went, not deleted and inserted again. */
static int render_shown(rl_buf *out, const rl_report *r, rl_format format,
			const rl_render_opts *opts, rl_error *err)
{
	rl_report shown = *r;
	rl_diff d = *r->diff;
	rl_op *ops;
	int rc;

	if (render_line_ops(r->diff, &ops, &d.n_ops) < 0)
		return rl_error_set(err, RL_ENOMEM, "render: out of memory");
	if (ops)
		d.ops = ops;
	shown.diff = &d;
	rc = format == RL_FORMAT_HTML      ? rl_render_html(out, &shown, opts, err)
	     : format == RL_FORMAT_UNIFIED ? rl_render_unified(out, &shown, opts, err)
					   : rl_render_word(out, &shown, opts, err);
	free(ops);
	return rc;
}

int render_flush(rl_buf *out, const rl_render_opts *opts)
{
	int rc = 0;

	if (!opts || !opts->sink || out->failed)
		return 0;
	if (out->len)
		rc = opts->sink(opts->sink_ctx, out->ptr, out->len) ? -1 : 0;
	out->len = 0;
	return rc;
}

int rl_render(rl_buf *out, const rl_report *r, rl_format format, const rl_render_opts *opts,
	      rl_error *err)
{
	int rc;

	if (!r || !r->diff)
		return rl_error_set(err, RL_EINVALID, "render: no report");
	switch (format) {
	case RL_FORMAT_JSON:
		rc = rl_render_json(out, r, opts, err);
		break;
	case RL_FORMAT_WORD:
	case RL_FORMAT_UNIFIED:
	case RL_FORMAT_HTML:
		rc = render_shown(out, r, format, opts, err);
		break;
	default:
		return rl_error_set(err, RL_EINVALID, "render: unknown format %d", (int)format);
	}
	if (rc == 0 && render_flush(out, opts) < 0)
		rc = rl_error_set(err, RL_EIO, "cannot write the report: %s", strerror(errno));
	return rc;
}

int render_context(const rl_render_opts *opts)
{
	return opts && opts->context >= 0 ? opts->context : 3;
}

static void put_count(rl_buf *out, size_t n)
{
	if (n >= 1000) {
		put_count(out, n / 1000);
		rl_buf_printf(out, ",%03zu", n % 1000);
	} else {
		rl_buf_printf(out, "%zu", n);
	}
}

void render_stats_line(rl_buf *out, const rl_diff *d)
{
	put_count(out, d->stats.inserted);
	rl_buf_puts(out, d->stats.inserted == 1 ? " word inserted, " : " words inserted, ");
	put_count(out, d->stats.deleted);
	rl_buf_puts(out, " deleted, ");
	put_count(out, d->stats.moved);
	rl_buf_puts(out, " moved, ");
	put_count(out, d->stats.common);
	rl_buf_puts(out, " unchanged");
}

static int split_lines(const char *t, size_t len, rline **out, size_t *n)
{
	size_t k = len > 0, i, start = 0;
	rline *l;

	/* An empty text has no line (diff's "+0,0" for /dev/null), and a
	 * final newline ends the last line rather than starting an empty
	 * one. */
	for (i = 0; i < len; i++)
		k += t[i] == '\n';
	if (len && t[len - 1] == '\n')
		k--;
	l = calloc(k + 1, sizeof(*l));
	if (!l)
		return -1;
	*n = 0;
	for (i = 0; i <= len && *n < k; i++) {
		if (i < len && t[i] != '\n')
			continue;
		l[*n] = (rline){start, i, -1};
		(*n)++;
		start = i + 1;
	}
	*out = l;
	return 0;
}

size_t rlines_first_op(const rl_diff *d, const size_t *ops, size_t n, size_t off, int new_side)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const rl_op *o = &d->ops[ops[mid]];

		if ((new_side ? o->new_end : o->old_end) <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int rlines_build(rlines *l, const rl_diff *d)
{
	const char *ot = d->old_text.ptr ? d->old_text.ptr : "";
	const char *nt = d->new_text.ptr ? d->new_text.ptr : "";

	memset(l, 0, sizeof(*l));
	if (split_lines(ot, d->old_text.len, &l->old, &l->n_old) < 0 ||
	    split_lines(nt, d->new_text.len, &l->new, &l->n_new) < 0)
		goto fail;
	l->old_ops = calloc(d->n_ops + 1, sizeof(size_t));
	l->new_ops = calloc(d->n_ops + 1, sizeof(size_t));
	if (!l->old_ops || !l->new_ops)
		goto fail;
	for (size_t i = 0; i < d->n_ops; i++) {
		if (d->ops[i].kind != RL_OP_INSERT)
			l->old_ops[l->n_old_ops++] = i;
		if (d->ops[i].kind != RL_OP_DELETE)
			l->new_ops[l->n_new_ops++] = i;
	}
	/* Pair an old line with the new line its bytes map to, when one
	 * equal operation holds the whole line on both sides, a whole line
	 * there too. The break after it may differ: a paragraph break that
	 * came or went is a blank line added or removed, not the sentence
	 * before it deleted and inserted again. */
	for (size_t i = 0; i < l->n_old; i++) {
		rline *ln = &l->old[i];
		size_t k = rlines_first_op(d, l->old_ops, l->n_old_ops, ln->start, 0), ns, ne, j;
		size_t oend = ln->end < d->old_text.len ? ln->end + 1 : ln->end;
		const rl_op *o;

		if (k >= l->n_old_ops)
			continue;
		o = &d->ops[l->old_ops[k]];
		if (o->kind != RL_OP_EQUAL || o->old_start > ln->start || o->old_end < ln->end)
			continue;
		ns = o->new_start + (ln->start - o->old_start);
		ne = ns + (ln->end - ln->start);
		if ((ns && nt[ns - 1] != '\n') || (ne < d->new_text.len && nt[ne] != '\n'))
			continue;
		if (oend == ln->end && ne != d->new_text.len && ne + 1 != d->new_text.len)
			continue;
		/* the new line starting at ns */
		for (size_t lo = 0, hi = l->n_new;;) {
			if (lo >= hi) {
				j = SIZE_MAX;
				break;
			}
			j = (lo + hi) / 2;
			if (l->new[j].start == ns)
				break;
			if (l->new[j].start < ns)
				lo = j + 1;
			else
				hi = j;
		}
		if (j != SIZE_MAX && l->new[j].end == ne) {
			ln->pair = (long)j;
			l->new[j].pair = (long)i;
		}
	}
	return 0;
fail:
	rlines_free(l);
	return -1;
}

void rlines_free(rlines *l)
{
	free(l->old);
	free(l->new);
	free(l->old_ops);
	free(l->new_ops);
	memset(l, 0, sizeof(*l));
}

int rlines_script(const rlines *l, rentry **out, size_t *n)
{
	rentry *e = malloc((l->n_old + l->n_new + 1) * sizeof(*e));
	size_t i = 0, j = 0, k = 0;

	if (!e)
		return -1;
	while (i < l->n_old || j < l->n_new) {
		if (i < l->n_old && j < l->n_new && l->old[i].pair == (long)j)
			e[k++] = (rentry){' ', (long)i++, (long)j++};
		else if (i < l->n_old &&
			 (l->old[i].pair < 0 || j >= l->n_new || l->new[j].pair >= 0))
			/* unpaired, or (never with a monotone script) crossing */
			e[k++] = (rentry){'-', (long)i++, -1};
		else
			e[k++] = (rentry){'+', -1, (long)j++};
	}
	*out = e;
	*n = k;
	return 0;
}

int rlines_hunks(const rentry *e, size_t n, int context, rhunk **out, size_t *nh)
{
	rhunk *h = NULL;
	size_t cap = 0, c = (size_t)context;

	*nh = 0;
	for (size_t i = 0; i < n;) {
		size_t s, end;

		if (e[i].kind == ' ') {
			i++;
			continue;
		}
		s = i > c ? i - c : 0;
		end = i;
		/* extend while the next change is within 2*context unchanged lines */
		for (;;) {
			size_t k = end;

			while (k < n && e[k].kind != ' ')
				k++;
			end = k;
			while (k < n && e[k].kind == ' ' && k - end <= 2 * c)
				k++;
			if (k < n && e[k].kind != ' ' && k - end <= 2 * c) {
				end = k;
				continue;
			}
			break;
		}
		end = end + c < n ? end + c : n;
		if (*nh && h[*nh - 1].end >= s) {
			h[*nh - 1].end = end;
		} else {
			if (*nh == cap) {
				rhunk *nhp = realloc(h, (cap = cap ? cap * 2 : 16) * sizeof(*h));

				if (!nhp) {
					free(h);
					return -1;
				}
				h = nhp;
			}
			h[(*nh)++] = (rhunk){s, end};
		}
		i = end;
	}
	*out = h;
	return 0;
}
