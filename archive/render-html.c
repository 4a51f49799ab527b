/* The HTML report: one self-contained page (inline CSS, no script, no
 * external asset), old and new side by side, changed words highlighted,
 * unchanged stretches folded, each move linked both ways by anchors. */
#include <stdlib.h>
#include <string.h>

#include "render-internal.h"

static const char css[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}"
    "h1{font-size:1.3em;margin:0 0 .3em}.meta{color:#555;margin:.2em 0}"
    "table{border-collapse:collapse;width:100%;table-layout:fixed;margin-top:1em}"
    "td{vertical-align:top;padding:2px 6px;white-space:pre-wrap;word-wrap:break-word}"
    "td.n{width:3.5em;color:#888;text-align:right;font-size:.85em;user-select:none}"
    "td.o,td.w{border-left:1px solid #ddd}tr.chg td.o{background:#fff5f5}"
    "tr.chg td.w{background:#f4fff4}del{background:#ffc9c9;text-decoration:line-through}"
    "ins{background:#b8f2c2;text-decoration:none}del.mv,ins.mv{background:#e5d9ff}"
    "del.mv a,ins.mv a{color:inherit;text-decoration:none}"
    "tr.skip td{background:#f1f3f5;color:#666;text-align:center;font-size:.85em}"
    ".cls{display:inline-block;padding:0 .5em;border-radius:.6em;background:#eef;"
    "font-size:.85em}section{margin-top:1em}li{margin:.2em 0}";

/* How many bytes from s need no entity (stopping at len). */
static size_t plain_run(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && s[n] != '<' && s[n] != '>' && s[n] != '&' && s[n] != '"')
		n++;
	return n;
}

static void esc(rl_buf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t run = plain_run(s + i, len - i);

		/* the bytes that need no entity go out in one piece */
		if (run) {
			rl_buf_put(out, s + i, run);
			i += run;
			if (i == len)
				break;
		}
		switch (s[i]) {
		case '<':
			rl_buf_puts(out, "&lt;");
			break;
		case '>':
			rl_buf_puts(out, "&gt;");
			break;
		case '&':
			rl_buf_puts(out, "&amp;");
			break;
		case '"':
			rl_buf_puts(out, "&quot;");
			break;
		default:
			rl_buf_putc(out, s[i]);
		}
	}
}

static void escs(rl_buf *out, const char *s)
{
	if (s)
		esc(out, s, strlen(s));
}

/* One line of one side with its operations highlighted. */
static void line_html(rl_buf *out, const rl_diff *d, const rlines *l, int new_side, long idx)
{
	const rline *ln = new_side ? &l->new[idx] : &l->old[idx];
	const size_t *ops = new_side ? l->new_ops : l->old_ops;
	size_t nops = new_side ? l->n_new_ops : l->n_old_ops;
	const char *text = new_side ? d->new_text.ptr : d->old_text.ptr;
	size_t tail = 0;

	for (size_t k = rlines_first_op(d, ops, nops, ln->start, new_side); k < nops; k++) {
		const rl_op *o = &d->ops[ops[k]];
		size_t s = new_side ? o->new_start : o->old_start;
		size_t e = new_side ? o->new_end : o->old_end;

		if (s >= ln->end && !(s == ln->end && ln->start == ln->end))
			break;
		if (s < ln->start)
			s = ln->start;
		if (e > ln->end)
			e = ln->end;
		if (o->kind == RL_OP_EQUAL || s >= e) {
			esc(out, text + s, e - s);
			continue;
		}
		/* spaces at the end of a change stay outside the highlight */
		while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t'))
			e--, tail++;
		if (o->move) {
			rl_buf_printf(
			    out,
			    "<%s class=\"mv\" id=\"m%d-%s\" title=\"moved\"><a href=\"#m%d-%s\">",
			    new_side ? "ins" : "del", o->move, new_side ? "to" : "from", o->move,
			    new_side ? "from" : "to");
			esc(out, text + s, e - s);
			rl_buf_printf(out, "</a></%s>", new_side ? "ins" : "del");
		} else {
			rl_buf_puts(out, new_side ? "<ins>" : "<del>");
			esc(out, text + s, e - s);
			rl_buf_puts(out, new_side ? "</ins>" : "</del>");
		}
		esc(out, text + e, tail);
		tail = 0;
	}
}

static void cell(rl_buf *out, const rl_diff *d, const rlines *l, int new_side, long idx)
{
	if (idx < 0) {
		rl_buf_printf(out, "<td class=\"n\"></td><td class=\"%s\"></td>",
			      new_side ? "w" : "o");
		return;
	}
	rl_buf_printf(out, "<td class=\"n\">%ld</td><td class=\"%s\">", idx + 1,
		      new_side ? "w" : "o");
	line_html(out, d, l, new_side, idx);
	rl_buf_puts(out, "</td>");
}

static void hunk_rows(rl_buf *out, const rl_diff *d, const rlines *l, const rentry *e,
		      const rhunk *h, long *left, long *right)
{
	for (size_t i = h->start; i < h->end;) {
		size_t j = i, nd = 0, ni = 0;

		if (e[i].kind == ' ') {
			rl_buf_puts(out, "<tr>");
			cell(out, d, l, 0, e[i].old);
			cell(out, d, l, 1, e[i].new);
			rl_buf_puts(out, "</tr>\n");
			i++;
			continue;
		}
		/* A block of changed lines: old ones left, new ones right. */
		for (; j < h->end && e[j].kind != ' '; j++) {
			if (e[j].kind == '-')
				left[nd++] = e[j].old;
			else
				right[ni++] = e[j].new;
		}
		for (size_t r = 0; r < (nd > ni ? nd : ni); r++) {
			rl_buf_puts(out, "<tr class=\"chg\">");
			cell(out, d, l, 0, r < nd ? left[r] : -1);
			cell(out, d, l, 1, r < ni ? right[r] : -1);
			rl_buf_puts(out, "</tr>\n");
		}
		i = j;
	}
}

static void items(rl_buf *out, const char *what, const rl_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rl_buf_printf(out, "<li>%s <b>", what);
		escs(out, it[i].label);
		rl_buf_puts(out, "</b> ");
		escs(out, it[i].text);
		rl_buf_puts(out, "</li>\n");
	}
}

static void extras(rl_buf *out, const rl_report *r)
{
	const rl_principles_diff *p = r->principles;

	if (p &&
	    (p->n_added || p->n_removed || p->n_reworded || p->n_relabelled || p->n_reordered)) {
		rl_buf_puts(out, "<section><h2>Principles</h2><ul>\n");
		items(out, "added", p->added, p->n_added);
		items(out, "removed", p->removed, p->n_removed);
		items(out, "reordered", p->reordered, p->n_reordered);
		for (size_t i = 0; i < p->n_reworded; i++) {
			rl_buf_puts(out, "<li>reworded <b>");
			escs(out, p->reworded[i].label);
			rl_buf_puts(out, "</b> <del>");
			escs(out, p->reworded[i].old_text);
			rl_buf_puts(out, "</del> <ins>");
			escs(out, p->reworded[i].new_text);
			rl_buf_puts(out, "</ins></li>\n");
		}
		for (size_t i = 0; i < p->n_relabelled; i++) {
			rl_buf_puts(out, "<li>relabelled <b>");
			escs(out, p->relabelled[i].old_label);
			rl_buf_puts(out, "</b> &rarr; <b>");
			escs(out, p->relabelled[i].new_label);
			rl_buf_puts(out, "</b></li>\n");
		}
		rl_buf_puts(out, "</ul></section>\n");
	}
	if (r->n_watch) {
		rl_buf_puts(out, "<section><h2>Watched terms</h2><ul>\n");
		for (size_t i = 0; i < r->n_watch; i++) {
			rl_buf_puts(out, "<li>&ldquo;");
			escs(out, r->watch[i].term);
			rl_buf_printf(out, "&rdquo;: %zu &rarr; %zu</li>\n", r->watch[i].before,
				      r->watch[i].after);
		}
		rl_buf_puts(out, "</ul></section>\n");
	}
}

int rl_render_html(rl_buf *out, const rl_report *r, const rl_render_opts *opts, rl_error *err)
{
	const rl_diff *d = r->diff;
	const char *on = opts && opts->old_name ? opts->old_name : "old";
	const char *nn = opts && opts->new_name ? opts->new_name : "new";
	rlines l;
	rentry *e = NULL;
	rhunk *h = NULL;
	size_t n = 0, nh = 0, prev = 0;
	long *left = NULL, *right = NULL;

	if (rlines_build(&l, d) < 0)
		return rl_error_set(err, RL_ENOMEM, "render: out of memory");
	if (rlines_script(&l, &e, &n) < 0 ||
	    rlines_hunks(e, n, render_context(opts), &h, &nh) < 0 ||
	    !(left = malloc((n + 1) * sizeof(long))) || !(right = malloc((n + 1) * sizeof(long)))) {
		free(e);
		free(left);
		rlines_free(&l);
		return rl_error_set(err, RL_ENOMEM, "render: out of memory");
	}
	rl_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			 "<meta name=\"viewport\" content=\"width=device-width\"><title>redline: ");
	escs(out, on);
	rl_buf_puts(out, " &rarr; ");
	escs(out, nn);
	rl_buf_printf(out, "</title><style>%s</style></head><body>\n<h1>", css);
	escs(out, on);
	rl_buf_puts(out, " &rarr; ");
	escs(out, nn);
	rl_buf_printf(out, "</h1>\n<p class=\"meta\"><span class=\"cls\">%s</span> ",
		      rl_change_class_name(r->cls));
	render_stats_line(out, d);
	rl_buf_printf(out, "; %zu change%s</p>\n", d->n_changes, d->n_changes == 1 ? "" : "s");
	extras(out, r);
	if (!nh)
		rl_buf_puts(out, "<p>The texts are the same.</p>\n");
	else
		rl_buf_puts(out, "<table><colgroup><col style=\"width:3.5em\"><col>"
				 "<col style=\"width:3.5em\"><col></colgroup>\n");
	for (size_t k = 0; k < nh; k++) {
		if (h[k].start > prev)
			rl_buf_printf(out,
				      "<tr class=\"skip\"><td colspan=\"4\">&#8943; %zu unchanged "
				      "line%s &#8943;</td></tr>\n",
				      h[k].start - prev, h[k].start - prev == 1 ? "" : "s");
		hunk_rows(out, d, &l, e, &h[k], left, right);
		prev = h[k].end;
	}
	if (nh && n > prev)
		rl_buf_printf(out,
			      "<tr class=\"skip\"><td colspan=\"4\">&#8943; %zu unchanged line%s "
			      "&#8943;</td></tr>\n",
			      n - prev, n - prev == 1 ? "" : "s");
	if (nh)
		rl_buf_puts(out, "</table>\n");
	rl_buf_puts(out, "</body></html>\n");
	free(h);
	free(e);
	free(left);
	free(right);
	rlines_free(&l);
	if (out->failed)
		return rl_error_set(err, RL_ENOMEM, "render: out of memory");
	return 0;
}
