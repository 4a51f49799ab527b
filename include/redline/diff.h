/* The differ: a near-minimal word diff of two canonical texts, aligned
 * hierarchically (paragraphs, sentences, then words), with moves and
 * change classes. Texts are canonical (one sentence per line). */
#ifndef REDLINE_DIFF_H
#define REDLINE_DIFF_H

#include <stddef.h>

#include "redline/buf.h"
#include "redline/config.h" /* rl_change_class */
#include "redline/error.h"

typedef enum rl_change_kind {
	RL_CHANGE_INSERT = 0,
	RL_CHANGE_DELETE,
	RL_CHANGE_REPLACE,
	RL_CHANGE_MOVE,
} rl_change_kind;

enum {
	RL_CHANGE_FLAG_NUMBER = 1 << 0,   /* a number or date differs */
	RL_CHANGE_FLAG_NEGATION = 1 << 1, /* not / no / never added or removed */
};

/* One change a reader sees, in the order of the new text. Byte ranges
 * index rl_diff.old_text and rl_diff.new_text; an insert has an empty old
 * range placed where the words went in, a delete an empty new range. A
 * move has the same words at old and new. */
typedef struct rl_change {
	rl_change_kind kind;
	rl_change_class cls;
	unsigned flags;
	size_t old_start, old_end;
	size_t new_start, new_end;
	size_t old_words, new_words;
	size_t old_line, new_line; /* 1-based line (sentence) of the start */
} rl_change;

/* The alignment as an edit script over the texts, in document order:
 * what renderers walk. Spans are byte ranges; EQUAL spans have both. */
typedef enum rl_op_kind {
	RL_OP_EQUAL = 0,
	RL_OP_DELETE,
	RL_OP_INSERT,
} rl_op_kind;

typedef struct rl_op {
	rl_op_kind kind;
	size_t old_start, old_end;
	size_t new_start, new_end;
	int move;   /* >0: this delete/insert is one side of move number `move` */
	int change; /* index into changes, -1 for EQUAL */
} rl_op;

/* Counted in words on the alignment itself, before any clean-up for display. */
typedef struct rl_diff_stats {
	size_t common;
	size_t inserted;
	size_t deleted;
	size_t moved;
} rl_diff_stats;

typedef struct rl_diff {
	rl_buf old_text; /* copies of the inputs */
	rl_buf new_text;
	rl_diff_stats stats;
	rl_change *changes;
	size_t n_changes;
	rl_op *ops;
	size_t n_ops;
	rl_change_class cls; /* highest class of any change; RL_CLASS_NONE if equal */
	unsigned flags;      /* union of the changes' flags */
} rl_diff;

typedef struct rl_diff_opts {
	int no_moves; /* report moves as a delete and an insert */
} rl_diff_opts;

int rl_diff_texts(rl_diff **out, const char *old_text, size_t old_len, const char *new_text,
		  size_t new_len, const rl_diff_opts *opts, rl_error *err);
void rl_diff_free(rl_diff *d);

/* Words changed as a reader counts them: per change (moves aside), the
 * larger of its old and new word counts. For subjects. */
size_t rl_diff_words_changed(const rl_diff *d);

const char *rl_change_kind_name(rl_change_kind k);

#endif
