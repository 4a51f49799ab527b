/* The longest increasing run of a sequence (patience sorting), shared by
 * the principles' reordered items and the differ's lines. Not a public
 * header. */
#ifndef REDLINE_LIS_H
#define REDLINE_LIS_H

#include <stddef.h>

/* Marks in keep[0..n) (zeroed by the caller) the members of a longest
 * subsequence of v[0..n) that strictly increases, in n log n: the
 * elements outside it are those that moved. 0, or -1 without memory. */
int lis_mark(const size_t *v, size_t n, unsigned char *keep);

#endif
