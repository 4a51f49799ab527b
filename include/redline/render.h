/* Renderers of a report: word (changed sentences with words marked),
 * unified (sentence lines, git-style hunks), json (DESIGN.md's shape),
 * html (one self-contained page, old and new side by side). */
#ifndef REDLINE_RENDER_H
#define REDLINE_RENDER_H

#include "redline/buf.h"
#include "redline/error.h"
#include "redline/report.h"

typedef enum rl_format {
	RL_FORMAT_WORD = 0,
	RL_FORMAT_UNIFIED,
	RL_FORMAT_JSON,
	RL_FORMAT_HTML,
} rl_format;

typedef struct rl_render_opts {
	int color;            /* ANSI colors (word, unified) */
	const char *old_name; /* "rok-dwp-2020@1a2b3c4 (2026-11-01)" or a file name */
	const char *new_name;
	int context; /* unchanged sentences around a change; -1: default */
	/* Where the report goes (NULL: all of it into out): what is in out
	 * is handed to sink as it is written, and out is left empty. The
	 * JSON report's second half, written on a second thread, goes to it
	 * as it is, where it was copied after the first. A nonzero return
	 * stops the rendering with an error (RL_EIO, errno's message). */
	int (*sink)(void *ctx, const char *data, size_t len);
	void *sink_ctx;
} rl_render_opts;

int rl_format_parse(const char *name, rl_format *out);
const char *rl_format_name(rl_format f);

int rl_render(rl_buf *out, const rl_report *r, rl_format format, const rl_render_opts *opts,
	      rl_error *err);

int rl_render_word(rl_buf *out, const rl_report *r, const rl_render_opts *opts, rl_error *err);
int rl_render_unified(rl_buf *out, const rl_report *r, const rl_render_opts *opts, rl_error *err);
int rl_render_json(rl_buf *out, const rl_report *r, const rl_render_opts *opts, rl_error *err);
int rl_render_html(rl_buf *out, const rl_report *r, const rl_render_opts *opts, rl_error *err);

#endif
