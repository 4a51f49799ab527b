/* The differ's tokenizer, shared by diff-tokens.c (one text),
 * diff-pair.c (two texts on two threads) and diff-prep.c (their arrays
 * made ahead). Not a public header. */
#ifndef REDLINE_DIFF_TOKENS_H
#define REDLINE_DIFF_TOKENS_H

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "diff-internal.h"

/* One side's arrays: the tokens, then the ids, of cap entries (and one
 * more). */
typedef struct prep_side {
	dtok *tok;
	uint32_t *ids;
	size_t cap;
} prep_side;

struct diff_prep {
	prep_side side[2];
	char *text[2]; /* for the masked texts, text_cap bytes */
	size_t text_cap[2];
	int text_taken[2];
};

/* The tokenizer's state: ICU's iterator, opened on first need. */
typedef struct tokenizer {
	dside *s;
	size_t cap;  /* of s->tok, and (one more) of s->ids */
	size_t line; /* the line of the last token */
	dintern *words;
	UText ut;
	UBreakIterator *bi;
	rl_error *err;
	/* Counting only (word_counter): no token is kept, the words
	 * are counted. */
	int counting;
	size_t counted;
	size_t icu_runs; /* ranges handed to ICU (the tests ask) */
} tokenizer;

/* Tokens a text of len bytes is given room for at first. */
size_t diff_first_cap(size_t len);
/* s's arrays grown to room for n tokens (*cap set to n; the ids have
 * one more). */
int diff_side_grow(dside *s, size_t *cap, size_t n);
/* The arrays of ps (may be NULL), if any, taken over. */
prep_side diff_prep_take(prep_side *ps);

/* A side to tokenize: its text, the arrays of ps where made (taken; *cap
 * their room, 0 without) and its lines. */
int diff_side_begin(dside *s, const char *text, size_t len, prep_side *ps, size_t *cap,
		    rl_error *err);
/* The arrays of the alignment besides the tokens and their ids, once
 * they are all in: the matches (all -1), the moves and dirty marks (0). */
int diff_side_end(dside *s, rl_error *err);
/* Those arrays made and filled ahead, for n tokens, by a thread with
 * nothing else to do (diff-pair.c): their pages written for the first
 * time there, not by the tokenizers. */
typedef struct side_ends {
	int32_t *match;
	int32_t *move;
	uint8_t *dirty;
	size_t n;
} side_ends;
/* diff_side_end with the arrays of made (may be NULL) where they have
 * room for s's tokens (taken; made is left empty). */
int diff_side_end_made(dside *s, side_ends *made, rl_error *err);
/* made's arrays for n tokens, filled; left empty without memory. */
void diff_side_ends_make(side_ends *made, size_t n);
void diff_side_ends_free(side_ends *made);
/* All the tokens of a side begun (cap: the room of its arrays), then
 * diff_side_end. */
int diff_tokenize_begun(dside *s, dintern *tokens, size_t cap, int icu_only, rl_error *err);
/* diff_tokenize with the arrays of ps (may be NULL). */
int diff_tokenize_made(dside *s, const char *text, size_t len, dintern *tokens, prep_side *ps,
		       rl_error *err);

/* A tokenizer of s into its arrays (room cap), from line `line` on, in
 * table words. */
void diff_tokenizer_init(tokenizer *tk, dside *s, size_t cap, size_t line, dintern *words,
			 rl_error *err);
/* The tokens of text[from..to), which starts at a line's start and ends
 * after a line's end or at the text's: 0 or an error. */
int diff_tokenize_range(tokenizer *tk, size_t from, size_t to);
/* ICU's iterator closed; the room of the arrays (they may have grown). */
size_t diff_tokenizer_close(tokenizer *tk);
/* The words (tokens not punctuation) of ranges of one text, each
 * starting at a line's start and ending after a line's end or at the
 * text's: what tokenizing them would count, without a token kept; the
 * tokenizer (and ICU's iterator) kept from one range to the next. */
typedef struct word_counter {
	dline one;
	dside s;
	dintern *none;
	tokenizer tk;
} word_counter;
int diff_word_counter_init(word_counter *wc, const char *text, size_t len, rl_error *err);
int diff_word_counter_count(word_counter *wc, size_t from, size_t to, size_t *words);
void diff_word_counter_close(word_counter *wc);

/* Test hook of diff_tokenize_pair (diff-pair.c): 1 or 2 makes one of
 * its threads wait for the other to finish, so that one takes all the
 * other's lines; 3, the second thread copies all of b's shared lines;
 * 0, as it should run. */
extern int diff_pair_stall;

/* Every item label of s one id (see diff-tokens.c). */
int diff_label_ids(dside *s, dintern *words, rl_error *err);
/* The words lo..hi-1 of from interned into t in from's order of ids;
 * map[i]: the id in t of from's word i. */
int diff_intern_merge(dintern *t, const dintern *from, uint32_t lo, uint32_t hi, uint32_t *map);
/* The facts (tok_fact bits) of word id. */
uint8_t dintern_facts(const dintern *t, uint32_t id);
/* A hash of len bytes, a line (equal bytes, equal hashes). */
uint64_t diff_bytes_hash(const char *p, size_t len);

#endif
