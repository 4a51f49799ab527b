/* The differ's insides, shared by archive/diff*.c: tokens, lines, the
 * alignment and the passes over it. Not a public header. */
#ifndef REDLINE_DIFF_INTERNAL_H
#define REDLINE_DIFF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "redline/diff.h"

/* The arrays that tokenizing two texts of about la and lb bytes will
 * fill, and (texts) the buffers of their masked texts, made by the caller's
 * thread in its heap (diff-prep.c): the tokenizer's second thread would
 * make b's in an arena of its own, and memory freed in one heap is not
 * reused by another. NULL when out of memory or for a text the differ
 * refuses (DIFF_MAX_TEXT); the differ does without. */
typedef struct diff_prep diff_prep;
diff_prep *diff_prep_start(size_t la, size_t lb, int texts);
/* Hands the buffer made for the masked text of side 0 (old) or 1 (new)
 * to into, an empty buffer, where there is one. */
void diff_prep_take_text(diff_prep *p, int side, rl_buf *into);
/* Frees what the tokenizers and the masking did not take. */
void diff_prep_free(diff_prep *p);

/* rl_diff_texts with the arrays of prep (may be NULL). */
int diff_texts_made(rl_diff **out, const char *old_text, size_t old_len, const char *new_text,
		    size_t new_len, const rl_diff_opts *opts, diff_prep *prep, rl_error *err);
/* Called once both texts are tokenized, before anything is aligned:
 * fn may rewrite bytes of the new text in place inside tokens (never
 * where one starts or ends) and must then give those tokens the ids of
 * their new bytes (dintern_id), as the tokenizer would have. A caller
 * with work of its own still running when the diff starts (report.c
 * carrying ids) waits for it there. */
struct dside;
struct dintern;
typedef struct diff_retoken {
	int (*fn)(void *ctx, char *new_text, struct dside *a, struct dside *b,
		  struct dintern *tokens, rl_error *err);
	void *ctx;
	/* The same rewriting before anything is tokenized (for the lines of
	 * diff_condensed), the text only; NULL: the diff does without. */
	int (*text)(void *ctx, char *new_text, rl_error *err);
} diff_retoken;

/* rl_diff_texts on texts the diff takes over (they become its old_text
 * and new_text; the buffers are left empty), for callers done with them:
 * no copy. prep (may be NULL) holds arrays made ahead for the texts;
 * retoken (may be NULL) is called between tokenizing and aligning. */
int diff_texts_taking(rl_diff **out, rl_buf *old_text, rl_buf *new_text, const rl_diff_opts *opts,
		      diff_prep *prep, const diff_retoken *retoken, rl_error *err);

/* The diff of d's texts, set already (its results empty), in d; left
 * as it is on error. align_how: DIFF_ALIGN_ANCHORED or 0, and
 * DIFF_TOKENS_APART where the texts are known to share few lines. */
int diff_core(rl_diff *d, const rl_diff_opts *opts, diff_prep *prep, const diff_retoken *retoken,
	      unsigned align_how, rl_error *err);
/* The same for texts that share most of their lines, the stretches of
 * lines equal in both left out of the tokens (diff-condense.c): 1 when
 * done; 0 when the texts are too small or share too little, or
 * DIFF_CONDENSE_APART when they were seen to share too few lines for the
 * tokenizer to look for them (DIFF_TOKENS_APART); retoken's text
 * rewriting may have been done then (doing it again is the same). Texts
 * shorter than diff_condense_min are left alone (tests set it). */
#define DIFF_CONDENSE_APART 2
int diff_condensed(rl_diff *d, const rl_diff_opts *opts, diff_prep *prep,
		   const diff_retoken *retoken, rl_error *err);
extern size_t diff_condense_min;
/* Test hook: the next diff_condense_refuse tries refuse a cut as if the
 * diff of what was left had not kept it equal. */
extern int diff_condense_refuse;

/* Changes that read the same in both texts dropped, their ops made one
 * equal stretch (diff-unchanged.c); d->cls and d->flags follow. */
int diff_drop_unchanged(rl_diff *d);

/* Texts are indexed with 32-bit offsets: 2 GiB is far beyond any document. */
#define DIFF_MAX_TEXT ((size_t)INT32_MAX / 2)

enum tok_kind {
	TOK_PUNCT = 0, /* punctuation and symbols: diffed, not counted as words */
	TOK_NUMBER,
	TOK_WORD, /* letters, kana, ideographs */
};

enum tok_fact {
	FACT_NEGATION = 1 << 0, /* not, never, don't ... */
	FACT_DATE = 1 << 1,     /* a number or a month name */
};

/* Lines a text may have: the line number shares a word with the kind and
 * the facts, so that a token takes 12 bytes (a megabyte of English is
 * 190k tokens, and their pages are faulted in by every compare). */
#define DIFF_MAX_LINES ((size_t)1 << 28)

/* A token; its id is in its side's ids, the one place it is kept. */
typedef struct dtok {
	uint32_t start, end; /* bytes of the token in its text */
	uint32_t line : 28;  /* 0-based line of the token */
	uint32_t kind : 2;   /* tok_kind */
	uint32_t facts : 2;  /* tok_fact bits, the same for every token of an id */
} dtok;

typedef struct dline {
	uint32_t start, end; /* bytes, without the newline */
	uint32_t tok0, ntok; /* its tokens */
	uint32_t label;      /* bytes of an item's label and the space after it (label.h) */
	uint8_t heading;     /* a "#" heading */
} dline;

typedef struct dside {
	const char *text;
	size_t len;
	dtok *tok;
	/* Per token its id: equal ids <=> equal bytes (interned). While
	 * aligning, the labels of items are all one id, label_id
	 * (diff_label_ids, diff_labels_restore). */
	uint32_t *ids;
	uint32_t label_id; /* UINT32_MAX until a label is given it */
	size_t ntok;
	dline *line;
	size_t nline;
	/* Alignment: match[i] is the token of the other side aligned with
	 * token i, or -1; move[i] > 0 when token i is one side of a move. */
	int32_t *match;
	int32_t *move;
	uint8_t *dirty; /* 1: lost its match to a move, to be aligned again */
} dside;

/* Interning table shared by both sides, so ids compare across them. */
typedef struct dintern dintern;

int dintern_new(dintern **out);
/* Room in t for nwords words, made at once: a table that grows rehashes
 * its words and writes a new table, and a copy of its words, twice as
 * large (the editions' words, 16.4k, grew past 16,384 while the two
 * threads' tokens were joined, the other CPU idle: 230 page faults; that
 * part of the join 1.70 -> 1.23 ms at the median of 41 runs). */
int dintern_reserve(dintern *t, size_t nwords);
/* The words a text of len bytes is given room for: 1 in 123 bytes for
 * the editions (16.4k in 2 MB), and room to spare; no more than 256k
 * (4 MiB of table), since a language has only so many words and a table
 * too large is written all over. Beyond, the table grows as it fills. */
#define DIFF_WORDS_MAX        ((size_t)1 << 18)
#define DIFF_WORDS_GUESS(len) ((len) / 96 < DIFF_WORDS_MAX ? (len) / 96 : DIFF_WORDS_MAX)
void dintern_free(dintern *t);
uint32_t dintern_count(const dintern *t);
/* The id (and facts) of the len bytes at key, a token of the given kind,
 * interned now where they are new: key must stay alive as long as t. */
int dintern_id(dintern *t, const char *key, uint32_t len, uint8_t kind, uint32_t *id,
	       uint8_t *facts);
/* The id of the len bytes at key, interned before: 0, or -1 if they never
 * were. */
int dintern_lookup(const dintern *t, const char *key, uint32_t len, uint32_t *id);

/* Tokenizes text with ICU word boundaries; fills s (tok, line, ids). */
int diff_tokenize(dside *s, const char *text, size_t len, dintern *tokens, rl_error *err);
/* The same; icu_only skips the ASCII fast path (for the test that
 * compares the two). */
int diff_tokenize_icu(dside *s, const char *text, size_t len, dintern *tokens, int icu_only,
		      rl_error *err);
/* Both sides at once, b on a second thread when the texts are large
 * enough (RL_THREAD_MIN_BYTES together): the same tokens and ids as
 * diff_tokenize of a then of b. The arrays of prep (may be NULL) are
 * taken where they are large enough. apart: the texts are known to share
 * few lines, which are then not looked for (the same tokens either way). */
int diff_tokenize_pair(dside *a, const char *ta, size_t la, dside *b, const char *tb, size_t lb,
		       dintern *tokens, diff_prep *prep, int apart, rl_error *err);
void dside_free(dside *s);

/* Aligns a and b: fills a->match and b->match (monotone, -1 unmatched).
 * ntokids bounds the token ids (for counting tables). */
int diff_align(dside *a, dside *b, uint32_t ntokids, rl_error *err);
/* The same, told how (diff_align decides by size): the gaps of the top
 * region aligned on a second thread or not, the trees that chain runs
 * kept dense or sparse. The same alignment every way (tests). */
enum {
	DIFF_ALIGN_THREADS = 1, /* a second thread for the gaps */
	DIFF_ALIGN_DENSE = 2,   /* every chain's tree dense */
	DIFF_ALIGN_SPARSE = 4,  /* every chain's tree sparse */
	/* the whole texts anchored on their unique runs first, however
	 * small (diff_condensed's texts, whose alignment is to be the one
	 * of the whole texts they were cut from) */
	DIFF_ALIGN_ANCHORED = 8,
	/* Not a way of aligning but of tokenizing, for diff_core: the texts
	 * share few lines (diff_condensed saw it), so the tokenizer does not
	 * hash and index their lines to find the ones they share. */
	DIFF_TOKENS_APART = 16,
};
int diff_align_how(dside *a, dside *b, uint32_t ntokids, unsigned how, rl_error *err);
/* DIFF_ALIGN_THREADS where a and b are long enough for it, else 0. */
unsigned diff_align_threads(const dside *a, const dside *b);

/* Linear-space Myers on id arrays a[0..n), b[0..m): marks matches into
 * ma (indexed from a's base) and mb. With exact set, the result is a
 * longest common subsequence; else the cost is bounded and the result
 * near-minimal. */
int diff_myers(const uint32_t *a, size_t n, const uint32_t *b, size_t m, int32_t *ma, int32_t *mb,
	       int32_t abase, int32_t bbase, int exact);

/* Exact LCS of a[x0..x1) and b[y0..y1) by bit-parallel rows, kept
 * whole up to table_bytes (0: the default) and split by Hirschberg
 * beyond; slot is scratch of one int32 per token id, all -1 (left so). */
int diff_lcs(const uint32_t *a, int32_t x0, int32_t x1, const uint32_t *b, int32_t y0, int32_t y1,
	     int32_t *ma, int32_t *mb, int32_t *slot, size_t table_bytes);

/* The first token of s that starts at or after off (s->ntok: none),
 * looked for from *near, the last one found (offsets asked in order are
 * mostly a few tokens on), which it sets (diff-classify.c). */
size_t diff_tok_at(const dside *s, size_t off, size_t *near);

/* One row of diff_lcs from the last (Hyyro's step, W words of bits):
 * V = (U + (U & M)) | (U & ~M), the add carried across the words; V may
 * be U. diff_lcs_step(0) is the portable step, diff_lcs_step(1) the one
 * diff_lcs runs on this CPU (AVX-512 where there is, the same bits). */
typedef void diff_lcs_step_fn(uint64_t *V, const uint64_t *U, const uint64_t *M, size_t W);
diff_lcs_step_fn *diff_lcs_step(int fastest);

/* Tokens of both texts for which a pass over them is split with a
 * second thread: the moves, the operations, the counts. */
#define DIFF_THREAD_TOKENS 50000

/* Test hook (test-diff): nonzero builds the operations of large texts
 * in one pass, not in two halves on two threads (diff.c); the same
 * operations either way. */
extern int diff_ops_whole;

/* Finds what moved: whole sentences the same on both sides but aligned
 * elsewhere (diff_line_moves), then blocks deleted in one place and
 * inserted in another among the unmatched tokens, grown to whole
 * sentences where they fall short by a word or two; moves that follow
 * each other on both sides are joined. Numbers them from 1 in
 * a->move/b->move; matches taken from the alignment leave their partners
 * dirty for diff_realign. Returns the number of moves, or a negative
 * error. */
int diff_find_moves(dside *a, dside *b, rl_error *err);
/* The same, with a second thread for the block search (threads nonzero)
 * or without, whatever the texts' size: the moves are the same
 * (test-diff-lcs holds them to it). */
int diff_find_moves_how(dside *a, dside *b, int threads, rl_error *err);
/* Test hook of the block search (diff-moves.c): 0 searches every
 * position even where few tokens are free; 1, as it should run. */
extern int diff_moves_sparse;

/* Where the moves are while they are found: move m (from 1) is tokens
 * at[4m] to at[4m + 1] (end) of a and at[4m + 2] to at[4m + 3] of b, one
 * run on each side. Kept as the moves are made, so that growing and
 * joining them reads the moves, not every token of both texts. */
typedef struct dmoves {
	size_t *at;
	size_t n, cap; /* moves, and room for moves (0 to cap - 1) */
} dmoves;

/* A new move of a[i..i+len) and b[j..j+len); its number, or a negative
 * error. */
int dmoves_add(dmoves *mv, size_t i, size_t j, size_t len);

/* Sentences (lines) the same on both sides but not aligned with each
 * other: moves whole, numbered on from mv's, taking back the matches
 * their tokens had (partners marked dirty); with a second thread
 * (threads nonzero) or without, the same moves. Returns the new count of
 * moves, or a negative error. Part of diff_find_moves. */
int diff_line_moves(dside *a, dside *b, dmoves *mv, int threads, rl_error *err);

/* Undoes the match of token t of s and of its partner in o, which is
 * marked dirty for diff_realign. */
static inline void diff_unmatch(dside *s, dside *o, size_t t)
{
	int32_t p = s->match[t];

	if (p < 0)
		return;
	s->match[t] = -1;
	o->match[p] = -1;
	o->dirty[p] = 1;
}

/* The labels of items are one token for the alignment (so that items
 * pair by their words); this puts the real tokens back and undoes the
 * matches of labels that differ. */
void diff_labels_restore(dside *a, dside *b, const dintern *words);

/* Labels go with their items: the label tokens of an item line (and the
 * '#' of a heading) are aligned only with the label of the line that
 * holds most of its words, and with it where they agree. */
int diff_labels_follow(dside *a, dside *b, rl_error *err);

/* Aligns again, among the tokens neither matched nor moved, the gaps of
 * the alignment that hold a dirty token (one whose match a move took);
 * clears the marks. */
int diff_realign(dside *a, dside *b, uint32_t ntokids, rl_error *err);

/* Display clean-up: keep[i] (for each token of a) says whether a matched
 * token is shown as equal; small equalities inside changes are not. */
int diff_cleanup(const dside *a, const dside *b, uint8_t *keep, rl_error *err);
/* The clean-up in two parts, on two threads: a's tokens before split
 * (diff_cleanup_front) and from it (diff_cleanup_back) give keep as
 * diff_cleanup does, split being the first token of a line aligned whole
 * within a line of b, the first from token near on (0: none). */
size_t diff_cleanup_split(const dside *a, const dside *b, size_t near);
int diff_cleanup_front(const dside *a, const dside *b, uint8_t *keep, size_t split, rl_error *err);
int diff_cleanup_back(const dside *a, const dside *b, uint8_t *keep, size_t split, rl_error *err);

/* A line aligned with part of a longer line, where an identical line
 * stands unaligned beside it between the same matches, is aligned with
 * that one (diff-wholelines.c): as many tokens kept. */
void diff_whole_lines(dside *a, dside *b);

/* Slides pure insertion and deletion runs to sentence boundaries
 * (same alignment, same counts, better reading). */
void diff_slide(dside *a, dside *b);

/* Class, flags and words of each side of change c (byte ranges set).
 * near[0], near[1]: where the tokens of the last change classified were
 * found in a and b ({0, 0} at first), so changes taken in order are
 * found a few tokens on. */
void diff_classify(const dside *a, const dside *b, rl_change *c, size_t near[2]);

/* Do the two stretches read the same once case, compatibility forms,
 * typographic quotes and dashes, whitespace, hyphens and lost ligatures
 * are folded away? (A cosmetic change.) */
int diff_same_folded(const char *o, size_t ol, const char *n, size_t nl);
/* 1 when c folds to itself, alone, with no ICU to ask (a Hangul
 * syllable, private use, and the punctuation of most English text). */
int diff_fold_inert(int32_t c);
/* n when c is the circled number n (① to ⑳), folded to its digits
 * with no ICU to ask; else 0. */
int diff_fold_circled(int32_t c);

/* tok_fact bits of one token (its bytes and kind): worked out once per
 * interned id, not once per change. */
uint8_t diff_tok_facts(const char *w, size_t len, uint8_t kind);

/* Is the token a word (counted in stats)? */
static inline int tok_is_word(const dtok *t)
{
	return t->kind != TOK_PUNCT;
}

/* Bit sets of tokens, a bit per token. The first bit from i on that is
 * set (flip 0) or clear (flip ~0), or n when none is before n: a word of
 * tokens passed at a time, where a loop over them took a branch
 * mispredicted at the end of every run. */
static inline size_t diff_next_bit(const uint64_t *bits, size_t i, size_t n, uint64_t flip)
{
	size_t w = i / 64;
	uint64_t m;

	if (i >= n)
		return n;
	m = (bits[w] ^ flip) & (~0ULL << (i % 64));
	while (!m) {
		if (++w * 64 >= n)
			return n;
		m = bits[w] ^ flip;
	}
	w = w * 64 + (size_t)__builtin_ctzll(m);
	return w < n ? w : n;
}

/* bits[k / 64] bit k % 64 set where v[k] < 0, for k < n (bits has room
 * for n / 64 + 1 words): four signs at a time where there is SSE2, where
 * a bit at a time was a third of sliding. */
static inline void diff_sign_bits(const int32_t *v, size_t n, uint64_t *bits)
{
	size_t w = 0;

#ifdef __SSE2__
	for (; w * 64 + 64 <= n; w++) {
		const int32_t *x = v + w * 64;
		uint64_t m = 0;

		for (unsigned k = 0; k < 64; k += 4) {
			__m128i q = _mm_loadu_si128((const __m128i *)(const void *)(x + k));

			m |= (uint64_t)_mm_movemask_ps(_mm_castsi128_ps(q)) << k;
		}
		bits[w] = m;
	}
#endif
	for (; w * 64 < n; w++) {
		size_t e = w * 64 + 64 < n ? w * 64 + 64 : n;
		uint64_t m = 0;

		for (size_t i = w * 64; i < e; i++)
			m |= (uint64_t)(v[i] < 0) << (i % 64);
		bits[w] = m;
	}
}

/* A bit per token of s, set where it is unmatched (diff_sign_bits of its
 * matches): sliding and realigning go from one run of unmatched tokens to
 * the next through them. NULL without memory. */
static inline uint64_t *diff_unmatched_bits(const dside *s)
{
	uint64_t *bits = malloc((s->ntok / 64 + 1) * sizeof(*bits));

	if (bits)
		diff_sign_bits(s->match, s->ntok, bits);
	return bits;
}

#endif
