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
	/* Ids of the new version as archived, may be NULL: then the new
	 * version's items take the old one's ids by content. Give it when
	 * the two versions are not consecutive, so ids are the archive's. */
	const rl_structure *new_structure;
} rl_report_opts;

/* Builds the report. The word diff aligns enumerated items as units: an
 * inserted item is one inserted line, a relabel a structure change of the
 * label alone (no words), so the diff agrees with the principles. */
int rl_report_build(rl_report **out, const char *old_text, size_t old_len, const char *new_text,
		    size_t new_len, const rl_report_opts *opts, rl_error *err);
/* rl_report_build with either text's structure parsed already
 * (rl_structure_parse of that very text; NULL: parsed here): a caller
 * that has each text on a thread of its own can parse it there. The
 * report owns both from the call on, whether it is built or not. */
int rl_report_build_parsed(rl_report **out, const char *old_text, size_t old_len,
			   rl_structure *old_parsed, const char *new_text, size_t new_len,
			   rl_structure *new_parsed, const rl_report_opts *opts, rl_error *err);
/* rl_report_build_parsed taking the texts' buffers (each left empty,
 * whether the report is built or not): the items' labels are masked in
 * them where they are rather than in copies, and the report's diff holds
 * the same texts after. */
int rl_report_build_taking(rl_report **out, rl_buf *old_text, rl_structure *old_parsed,
			   rl_buf *new_text, rl_structure *new_parsed, const rl_report_opts *opts,
			   rl_error *err);
void rl_report_free(rl_report *r);

/* The word-level diff of one rewording (old and new item text). */
int rl_reworded_diff(rl_diff **out, const rl_reworded *rw, rl_error *err);

/* "12 words changed, 1 principle added, \"enemy\" removed": no source
 * id, no trailing period. "no wording change" when the diff is empty.
 * The words of whole items added or removed are counted as principles,
 * not as words: a pure insertion is "1 principle added". */
int rl_report_summary(const rl_report *r, rl_buf *out);

#endif
