/* A report: everything redline says about the change between two texts,
 * the word diff, the principles and the watched terms. What the renderers
 * show, what the commit subject summarises and what notifications carry. */
#ifndef REDLINE_REPORT_H
#define REDLINE_REPORT_H

#include <stddef.h>

#include "redline/buf.h"
#include "redline/diff.h"
#include "redline/error.h"
#include "redline/strv.h"
#include "redline/structure.h"
#include "redline/watch.h"

typedef struct rl_report {
	rl_diff *diff;
	rl_structure *old_structure;    /* ids as archived, or fresh */
	rl_structure *new_structure;    /* ids carried from old_structure */
	rl_principles_diff *principles; /* never NULL once built */
	rl_watch_hit *watch;
	size_t n_watch;
	rl_change_class cls; /* diff class, raised to structure by principle changes */
} rl_report;

typedef struct rl_report_opts {
	const rl_strv *watch_terms; /* may be NULL */
	const rl_structure
	    *old_structure;       /* ids of the old version (structure.json), may be NULL */
	const rl_diff_opts *diff; /* may be NULL */
} rl_report_opts;

int rl_report_build(rl_report **out, const char *old_text, size_t old_len, const char *new_text,
		    size_t new_len, const rl_report_opts *opts, rl_error *err);
void rl_report_free(rl_report *r);

/* "12 words changed, 1 principle added, \"enemy\" removed": no source
 * id, no trailing period. "no wording change" when the diff is empty. */
int rl_report_summary(const rl_report *r, rl_buf *out);

#endif
