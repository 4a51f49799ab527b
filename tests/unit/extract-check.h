/* Assertions on canonical text shared by the extraction tests. */
#ifndef REDLINE_TEST_EXTRACT_CHECK_H
#define REDLINE_TEST_EXTRACT_CHECK_H

#include <stddef.h>

#include "redline/extract.h"

/* 1 when text has a line equal to line. */
int xc_has_line(const rl_buf *text, const char *line);
/* 1 when some line of text starts with prefix. */
int xc_has_line_prefix(const rl_buf *text, const char *prefix);
/* 1 when text contains s anywhere. */
int xc_contains(const rl_buf *text, const char *s);
/* Extracts n pages of one kind (numbered from first, 0 for a single
 * document) with opts; returns rl_extract's result. */
int xc_extract(rl_text *t, const rl_buf *raw, size_t n, int first, const char *ctype,
	       const rl_extract_opts *opts, rl_error *err);

#endif
