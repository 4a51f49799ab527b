/* Assertions on diffs shared by the differ's tests. */
#ifndef REDLINE_TEST_DIFF_CHECK_H
#define REDLINE_TEST_DIFF_CHECK_H

#include "redline/diff.h"

/* Fails the running test unless x and y are the same diff: operations,
 * changes, stats, texts, class and flags, field by field (the structs'
 * padding is not compared). */
void dc_same_diff(const rl_diff *x, const rl_diff *y);

/* A diff made by hand, for the code that reads one: copies of the two
 * texts and of the operations and changes; the class is the caller's. */
rl_diff *dc_diff_made(const char *a, const char *b, const rl_op *ops, size_t n_ops,
		      const rl_change *changes, size_t n_changes);

#endif
