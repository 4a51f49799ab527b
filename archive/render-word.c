/* The word format: only the sentences that changed, each once, with the
 * words marked in place like `git diff --word-diff`: [-deleted-] and
 * {+inserted+} without color, red and green with color. A move shows on
 * both ends with where the words went or came from. A deleted or added
 * line break shows as a pilcrow so a merged or split sentence is seen. */
#include <stdio.h>
#include <string.h>

#include "render-internal.h"

#define RED     "\033[31m"
#define GREEN   "\033[32m"
#define MAGENTA "\033[35m"
#define CYAN    "\033[36m"
#define BOLD    "\033[1m"
#define DIM     "\033[2m"
#define RESET   "\033[m"

typedef struct wr {
	rl_buf *out;
	const rl_diff *d;
	int color;
	rl_buf line;               /* the display line being built */
	int changed;               /* it holds a mark */
	size_t old_line, new_line; /* 1-based lines at the cursor */
	size_t line_old, line_new; /* where the display line began */
	size_t last_old, last_new; /* of the last line printed, for @@ headers */
} wr;

static void flush(wr *w)
{
	if (w->changed && !render_only_ws(w->line.ptr, w->line.len)) {
		/* A header where the text jumps; deleted lines keep the new
		 * line number and inserted ones the old. */
		if (w->line_old > w->last_old + 1 || w->line_new > w->last_new + 1 || !w->last_old)
			rl_buf_printf(w->out, "%s@@ -%zu +%zu @@%s\n", w->color ? CYAN : "",
				      w->line_old, w->line_new, w->color ? RESET : "");
		rl_buf_put(w->out, w->line.ptr, w->line.len);
		rl_buf_put(w->out, "\n", 1);
		w->last_old = w->line_old;
		w->last_new = w->line_new;
	}
	rl_buf_reset(&w->line);
	w->changed = 0;
	w->line_old = w->old_line;
	w->line_new = w->new_line;
}

/* Marked text with the whitespace at its ends kept outside the marks. */
static void mark(wr *w, const char *s, size_t len, const char *open, const char *close,
		 const char *color, const char *note, int drop_tail)
{
	size_t a = 0, b = len;

	while (a < b && render_is_ws(s[a]))
		a++;
	while (b > a && render_is_ws(s[b - 1]))
		b--;
	rl_buf_put(&w->line, s, a);
	if (a < b) {
		rl_buf_puts(&w->line, w->color ? color : open);
		rl_buf_put(&w->line, s + a, b - a);
		rl_buf_puts(&w->line, w->color ? RESET : close);
		if (note)
			rl_buf_printf(&w->line, " %s(%s)%s", w->color ? DIM : "", note,
				      w->color ? RESET : "");
		w->changed = 1;
	}
	if (!drop_tail)
		rl_buf_put(&w->line, s + b, len - b);
}

/* The text op o covers: the old text's for a deletion, else the new's. */
static const char *op_span(const wr *w, const rl_op *o, size_t *len)
{
	if (o->kind == RL_OP_DELETE) {
		*len = o->old_end - o->old_start;
		return w->d->old_text.ptr + o->old_start;
	}
	*len = o->new_end - o->new_start;
	return w->d->new_text.ptr + o->new_start;
}

/* next_ins: an insertion follows, so a deletion's trailing space (old
 * text only) would double the one the insertion brings. */
static void op_text(wr *w, const rl_op *o, int next_ins)
{
	int del = o->kind == RL_OP_DELETE;
	size_t len;
	const char *t = op_span(w, o, &len);
	char note[64] = "";
	const char *color = del ? RED : GREEN;

	if (o->kind == RL_OP_EQUAL) {
		/* A line that ends here unmarked is never printed, so its text
		 * is not copied: most of a long text is such lines. */
		for (size_t i = 0; i < len;) {
			const char *nl = memchr(t + i, '\n', len - i);
			size_t e = nl ? (size_t)(nl - t) : len;

			if (!nl || w->changed)
				rl_buf_put(&w->line, t + i, e - i);
			if (!nl)
				break;
			w->old_line++;
			w->new_line++;
			flush(w);
			i = e + 1;
		}
		return;
	}
	if (render_only_ws(t, len)) {
		/* A line break that came or went; plain spaces are not shown. */
		if (memchr(t, '\n', len)) {
			mark(w, "\xc2\xb6", 2, del ? "[-" : "{+", del ? "-]" : "+}", color, NULL,
			     0);
			for (size_t i = 0; i < len; i++)
				if (t[i] == '\n') {
					if (del) {
						w->old_line++;
					} else {
						w->new_line++;
						flush(w);
					}
				}
		} else if (!del) {
			rl_buf_put(&w->line, t, len);
		}
		return;
	}
	if (o->move && o->change >= 0) {
		const rl_change *c = &w->d->changes[o->change];

		snprintf(note, sizeof(note), del ? "moved to line %zu" : "moved from line %zu",
			 del ? c->new_line : c->old_line);
		color = del ? DIM MAGENTA : MAGENTA;
	}
	/* Each line of the text is marked on its own display line. */
	for (size_t i = 0; i <= len;) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - t) : len;

		mark(w, t + i, e - i, del ? "[-" : "{+", del ? "-]" : "+}", color,
		     *note ? note : NULL, del && next_ins && e == len);
		if (!nl)
			break;
		if (del)
			w->old_line++;
		else
			w->new_line++;
		flush(w);
		i = e + 1;
	}
}

static size_t count_breaks(const char *t, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n';
	return n;
}

/* The line breaks of op o: whitespace only, with a break in it, not a
 * move's; else 0. */
static size_t only_breaks(const wr *w, const rl_op *o)
{
	const char *t;
	size_t len;

	if (o->move || o->kind == RL_OP_EQUAL)
		return 0;
	t = op_span(w, o, &len);
	return render_only_ws(t, len) ? count_breaks(t, len) : 0;
}

/* Line breaks deleted (nd) where others are inserted (ni): a sentence
 * break that became a paragraph break (a blank line), or the other way
 * round, or as many breaks on both sides of a change. Each op showed as
 * a pilcrow, "[-¶-]{+¶+}", which reads as nothing changed; the
 * difference is shown, a pilcrow a break, and nothing where there are as
 * many. */
static void breaks(wr *w, size_t nd, size_t ni)
{
	size_t n = nd > ni ? nd - ni : ni - nd;
	rl_buf marks = RL_BUF_INIT;

	for (size_t k = 0; k < n; k++)
		rl_buf_put(&marks, "\xc2\xb6", 2);
	if (n)
		mark(w, marks.ptr, marks.len, nd > ni ? "[-" : "{+", nd > ni ? "-]" : "+}",
		     nd > ni ? RED : GREEN, NULL, 0);
	rl_buf_free(&marks);
	w->old_line += nd;
	for (size_t k = 0; k < ni; k++) {
		w->new_line++;
		flush(w);
	}
}

static void principles(wr *w, const rl_principles_diff *p)
{
	if (!p ||
	    (!p->n_added && !p->n_removed && !p->n_reworded && !p->n_relabelled && !p->n_reordered))
		return;
	rl_buf_printf(w->out, "\n%sprinciples%s\n", w->color ? BOLD : "", w->color ? RESET : "");
	for (size_t i = 0; i < p->n_added; i++)
		rl_buf_printf(w->out, "  %sadded%s %s %s\n", w->color ? GREEN : "",
			      w->color ? RESET : "", p->added[i].label, p->added[i].text);
	for (size_t i = 0; i < p->n_removed; i++)
		rl_buf_printf(w->out, "  %sremoved%s %s %s\n", w->color ? RED : "",
			      w->color ? RESET : "", p->removed[i].label, p->removed[i].text);
	for (size_t i = 0; i < p->n_reworded; i++)
		rl_buf_printf(w->out, "  reworded %s %s\n    was: %s\n", p->reworded[i].label,
			      p->reworded[i].new_text, p->reworded[i].old_text);
	for (size_t i = 0; i < p->n_relabelled; i++)
		rl_buf_printf(w->out, "  relabelled %s -> %s\n", p->relabelled[i].old_label,
			      p->relabelled[i].new_label);
	for (size_t i = 0; i < p->n_reordered; i++)
		rl_buf_printf(w->out, "  reordered %s %s\n", p->reordered[i].label,
			      p->reordered[i].text);
}

static void watch(wr *w, const rl_report *r)
{
	if (!r->n_watch)
		return;
	rl_buf_printf(w->out, "\n%swatched terms%s\n", w->color ? BOLD : "", w->color ? RESET : "");
	for (size_t i = 0; i < r->n_watch; i++) {
		const rl_watch_hit *h = &r->watch[i];

		rl_buf_printf(w->out, "  \"%s\": %zu -> %zu\n", h->term, h->before, h->after);
		for (size_t k = 0; k < h->contexts.n; k++)
			rl_buf_printf(w->out, "    %s\n", h->contexts.v[k]);
	}
}

int rl_render_word(rl_buf *out, const rl_report *r, const rl_render_opts *opts, rl_error *err)
{
	const rl_diff *d = r->diff;
	wr w;

	memset(&w, 0, sizeof(w));
	w.out = out;
	w.d = d;
	w.color = opts && opts->color;
	w.old_line = w.new_line = w.line_old = w.line_new = 1;
	rl_buf_init(&w.line);
	if (opts && opts->old_name && opts->new_name)
		rl_buf_printf(out, "%s--- %s\n+++ %s%s\n", w.color ? BOLD : "", opts->old_name,
			      opts->new_name, w.color ? RESET : "");
	rl_buf_printf(out, "# %s: ", rl_change_class_name(r->cls));
	render_stats_line(out, d);
	rl_buf_putc(out, '\n');
	for (size_t i = 0; i < d->n_ops; i++) {
		size_t nd, ni;

		if (d->ops[i].kind == RL_OP_DELETE && i + 1 < d->n_ops &&
		    d->ops[i + 1].kind == RL_OP_INSERT && (nd = only_breaks(&w, &d->ops[i])) &&
		    (ni = only_breaks(&w, &d->ops[i + 1]))) {
			breaks(&w, nd, ni);
			i++;
			continue;
		}
		op_text(&w, &d->ops[i],
			i + 1 < d->n_ops && d->ops[i + 1].kind == RL_OP_INSERT &&
			    !d->ops[i + 1].move);
	}
	flush(&w);
	principles(&w, r->principles);
	watch(&w, r);
	rl_buf_free(&w.line);
	if (out->failed)
		return rl_error_set(err, RL_ENOMEM, "render: out of memory");
	return 0;
}
