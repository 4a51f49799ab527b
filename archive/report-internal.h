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
	size_t item; /* its item's index in the structure */
} report_region;

/* Ids being carried onto the structures on a second thread while the
 * texts are masked and tokenized (report.c). report_carry_wait waits for
 * them: 0, or the carrying's error (in err). NULL: carried already. */
typedef struct report_carry report_carry;
int report_carry_wait(report_carry *c, rl_error *err);

/* rl_diff_texts on the texts with every item's label masked by its id,
 * mapped back to the real texts (report-items.c). so and sn carry ids
 * (sn's from so's), or will once carry is waited for (carry NULL: they
 * do); without items it is rl_diff_texts itself, and carry is left to
 * the caller. prep (may be NULL): token arrays made ahead for the
 * texts. take_old and take_new (both or neither; the texts are their
 * bytes): buffers the diff may take, its labels masked in place; taken
 * ones are left empty, and the texts are then the diff's. */
int report_diff_items(rl_diff **out, const char *old_text, size_t old_len, const char *new_text,
		      size_t new_len, rl_buf *take_old, rl_buf *take_new, const rl_structure *so,
		      const rl_structure *sn, const rl_diff_opts *opts, diff_prep *prep,
		      report_carry *carry, rl_error *err);

/* Rewrites d, a diff of masked texts, into a diff of the real texts:
 * offsets mapped, a kept item whose label changed split out as a
 * structure change of its label alone, changes that add or remove an
 * item raised to structure (report-unmask.c). */
int report_unmask(rl_diff *d, const char *old_text, size_t old_len, const char *new_text,
		  size_t new_len, const report_region *ra, size_t na, const report_region *rb,
		  size_t nb, rl_error *err);

#endif
