/* Watched terms: whole-word, case-insensitive words and phrases whose
 * count is followed across versions. */
#ifndef REDLINE_WATCH_H
#define REDLINE_WATCH_H

#include <stddef.h>

#include "redline/error.h"
#include "redline/strv.h"

typedef struct rl_watch_hit {
	char *term;
	size_t before;
	size_t after;
	/* The sentences (lines) that made the difference: those holding more
	 * matches than the same sentence on the other side, new ones (where
	 * the term appeared) first, then old ones (where it disappeared). */
	rl_strv contexts;
} rl_watch_hit;

/* Occurrences of term in text: whole words, case-insensitive; a phrase
 * matches across any run of whitespace, line breaks included. */
size_t rl_watch_count(const char *text, size_t len, const char *term);

/* Where term matches in text: byte offsets of each match's start and
 * end (malloc'd arrays of *n entries, NULL when none). */
int rl_watch_find(const char *text, size_t len, const char *term, size_t **at, size_t **end,
		  size_t *n, rl_error *err);

/* One hit per term whose count differs between old and new. */
int rl_watch_compare(rl_watch_hit **out, size_t *n, const char *old_text, size_t old_len,
		     const char *new_text, size_t new_len, const rl_strv *terms, rl_error *err);
void rl_watch_hits_free(rl_watch_hit *hits, size_t n);

#endif
