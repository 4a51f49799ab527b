/* Shared by report*.c: the word diff with enumerated items aligned as
 * units (labels masked by item identity, then mapped back). Not a public
 * header. */
#ifndef REDLINE_REPORT_INTERNAL_H
#define REDLINE_REPORT_INTERNAL_H

#include <stddef.h>

#include "redline/diff.h"
#include "redline/structure.h"

typedef struct diff_prep diff_prep; /* diff-internal.h */

/* An item's label: where it is in the real text, and where its mask (one
 * private-use character naming the item) is in the masked text. */
typedef struct report_region {
	size_t real, real_len;
	size_t mask, mask_len;
	size_t line; /* 1-based */
} report_region;

/* rl_diff_texts on the texts with every item's label masked by its id,
 * mapped back to the real texts (report-items.c). so and sn carry ids
 * (sn's from so's); without items it is rl_diff_texts itself. prep (may
 * be NULL): token arrays made ahead for the texts. */
int report_diff_items(rl_diff **out, const char *old_text, size_t old_len, const char *new_text,
		      size_t new_len, const rl_structure *so, const rl_structure *sn,
		      const rl_diff_opts *opts, diff_prep *prep, rl_error *err);

/* Rewrites d, a diff of masked texts, into a diff of the real texts:
 * offsets mapped, a kept item whose label changed split out as a
 * structure change of its label alone, changes that add or remove an
 * item raised to structure (report-unmask.c). */
int report_unmask(rl_diff *d, const char *old_text, size_t old_len, const char *new_text,
		  size_t new_len, const report_region *ra, size_t na, const report_region *rb,
		  size_t nb, rl_error *err);

#endif
