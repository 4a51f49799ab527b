/* The unified format: sentence lines in git-style hunks, so a reader
 * used to `git diff` (or `patch`) reads it at once. Lines are sentences
 * in canonical text, so a hunk is the sentences that changed. */
#include <stdlib.h>
#include <string.h>

#include "render-internal.h"

#define RED   "\033[31m"
#define GREEN "\033[32m"
#define CYAN  "\033[36m"
#define BOLD  "\033[1m"
#define RESET "\033[m"

static void put_line(rl_buf *out, int color, char kind, const char *text, const rline *ln)
{
	const char *c = !color ? "" : kind == '-' ? RED : kind == '+' ? GREEN : "";

	rl_buf_puts(out, c);
	rl_buf_putc(out, kind);
	rl_buf_put(out, text + ln->start, ln->end - ln->start);
	rl_buf_puts(out, color && *c ? RESET "\n" : "\n");
}

/* First line number (1-based) of a hunk's side and its count, the way
 * diff(1) writes them: an empty side names the line before it. */
static void range(const rentry *e, const rhunk *h, int new_side, size_t *start, size_t *count)
{
	long first = -1, before = -1;

	*count = 0;
	for (size_t k = h->start; k < h->end; k++) {
		long v = new_side ? e[k].new : e[k].old;

		if (v < 0)
			continue;
		if (first < 0)
			first = v;
		(*count)++;
	}
	if (first >= 0) {
		*start = (size_t)first + 1;
		return;
	}
	for (size_t k = h->start; k-- > 0;) {
		long v = new_side ? e[k].new : e[k].old;

		if (v >= 0) {
			before = v;
			break;
		}
	}
	*start = (size_t)(before + 1);
}

int rl_render_unified(rl_buf *out, const rl_report *r, const rl_render_opts *opts, rl_error *err)
{
	const rl_diff *d = r->diff;
	int color = opts && opts->color;
	rlines l;
	rentry *e = NULL;
	rhunk *h = NULL;
	size_t n = 0, nh = 0;

	if (rlines_build(&l, d) < 0)
		return rl_error_set(err, RL_ENOMEM, "render: out of memory");
	if (rlines_script(&l, &e, &n) < 0 ||
	    rlines_hunks(e, n, render_context(opts), &h, &nh) < 0) {
		free(e);
		rlines_free(&l);
		return rl_error_set(err, RL_ENOMEM, "render: out of memory");
	}
	if (nh)
		rl_buf_printf(out, "%s--- %s\n+++ %s%s\n", color ? BOLD : "",
			      opts && opts->old_name ? opts->old_name : "a",
			      opts && opts->new_name ? opts->new_name : "b", color ? RESET : "");
	for (size_t k = 0; k < nh; k++) {
		size_t os, oc, ns, nc;

		range(e, &h[k], 0, &os, &oc);
		range(e, &h[k], 1, &ns, &nc);
		rl_buf_printf(out, "%s@@ -%zu", color ? CYAN : "", os);
		if (oc != 1)
			rl_buf_printf(out, ",%zu", oc);
		rl_buf_printf(out, " +%zu", ns);
		if (nc != 1)
			rl_buf_printf(out, ",%zu", nc);
		rl_buf_printf(out, " @@%s\n", color ? RESET : "");
		for (size_t i = h[k].start; i < h[k].end; i++) {
			if (e[i].kind == '+')
				put_line(out, color, '+', d->new_text.ptr, &l.new[e[i].new]);
			else
				put_line(out, color, e[i].kind, d->old_text.ptr, &l.old[e[i].old]);
		}
	}
	free(h);
	free(e);
	rlines_free(&l);
	if (out->failed)
		return rl_error_set(err, RL_ENOMEM, "render: out of memory");
	return 0;
}
