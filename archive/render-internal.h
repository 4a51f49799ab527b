/* Shared by the renderers (archive/render*.c): lines of both texts,
 * which of them are unchanged and paired, and the operations that fall
 * on a line. Not a public header. */
#ifndef REDLINE_RENDER_INTERNAL_H
#define REDLINE_RENDER_INTERNAL_H

#include <stddef.h>
#include <string.h>

#include "redline/buf.h"
#include "redline/diff.h"
#include "redline/render.h"

typedef struct rline {
	size_t start, end; /* bytes, without the newline */
	long pair;         /* the identical unchanged line of the other side, or -1 */
} rline;

/* Both texts as lines; unchanged lines (wholly inside one equal
 * operation, starting and ending a line on both sides) are paired. */
typedef struct rlines {
	rline *old, *new;
	size_t n_old, n_new;
	/* operations with an old range (equal, delete) and with a new range
	 * (equal, insert), in text order, for per-line walks */
	size_t *old_ops, *new_ops;
	size_t n_old_ops, n_new_ops;
} rlines;

int rlines_build(rlines *l, const rl_diff *d);
void rlines_free(rlines *l);

/* First index into old_ops/new_ops whose operation ends after off. */
size_t rlines_first_op(const rl_diff *d, const size_t *ops, size_t n, size_t off, int new_side);

/* The line-level script: unchanged pairs (' '), old lines ('-') and new
 * lines ('+'), in order. What unified and html walk. */
typedef struct rentry {
	char kind;
	long old, new; /* line indices, -1 where none */
} rentry;

int rlines_script(const rlines *l, rentry **out, size_t *n);

/* Hunks of the script: entries [start, end) holding changes with up to
 * `context` unchanged entries around them. */
typedef struct rhunk {
	size_t start, end;
} rhunk;

int rlines_hunks(const rentry *e, size_t n, int context, rhunk **out, size_t *nh);

int render_context(const rl_render_opts *opts);

/* ASCII whitespace, as the texts separate words with it. */
static inline int render_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int render_only_ws(const char *s, size_t len);

/* d's operations as the formats showing the texts (word, unified, html)
 * show them, in
 * *ops (NULL where they are d's own, else to free): a deletion and an
 * insertion of the same words, only the whitespace between them apart,
 * become their words equal and each whitespace that differs deleted
 * and inserted. -1 without memory. */
int render_line_ops(const rl_diff *d, rl_op **ops, size_t *n);

/* One summary line: "12 words inserted, 3 deleted, 1 moved, 4,567 unchanged". */
void render_stats_line(rl_buf *out, const rl_diff *d);

/* out handed to opts's sink, if there is one, and emptied: -1 (errno
 * set) when the sink refuses it. */
int render_flush(rl_buf *out, const rl_render_opts *opts);

#endif
