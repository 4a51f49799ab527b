/* Items as word multisets, and the pairs of items similar enough to be
 * one item reworded (principles-words.c). Not a public header. */
#ifndef REDLINE_PRINCIPLES_WORDS_H
#define REDLINE_PRINCIPLES_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* A text as the hashes of its words (sorted by words_of). */
typedef struct words {
	uint32_t *h;
	size_t n;
} words;

/* Does byte c continue a word (an ASCII letter or digit, or any byte of
 * a multi-byte character)? */
int word_byte(unsigned char c);
/* The words of a normalized text (structure_normalize), sorted; 0 or -1
 * (memory). */
int words_of(words *w, const char *norm);
/* The same words in the order of the text, for words_similar_pairs,
 * which ranks and sorts them its own way. */
int words_read(words *w, const char *norm);
/* Dice coefficient of two word multisets: 2 |a ∩ b| / (|a| + |b|). */
double words_dice(const words *a, const words *b);

/* One side of a pairing: n items' words, and which are already matched
 * (match[i] >= 0), which take no part. */
typedef struct words_side {
	const words *w;
	const int *match;
	size_t n;
} words_side;

typedef int (*words_pair_fn)(size_t i, size_t j, double sim, void *ctx);

/* Calls fn for every pair of unmatched items (i of a, j of b) whose Dice
 * coefficient is at least min (0 < min <= 1), in order of i, then j; the
 * items' words in any order (words_read, words_of); stops
 * at fn's first nonzero return and returns it. -1 when out of memory. */
int words_similar_pairs(const words_side *a, const words_side *b, double min, words_pair_fn fn,
			void *ctx);

#endif
