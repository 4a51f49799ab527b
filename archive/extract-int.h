/* Internal to extraction (archive/extract*.c, canon.c, segment.c,
 * furniture.c, charset.c): the line model every extractor fills and the
 * canonicalizer reads.
 *
 * An extractor turns one raw input into pages of lines: a line is what a
 * reader sees on one row (a hard-wrapped line of a PDF or of a positioned
 * web page), or a whole paragraph when the markup holds one. Each line
 * records how it is separated from the line before it; the canonicalizer
 * decides from that, and never from the line lengths alone, where
 * paragraphs and sentences begin, so the same words give the same bytes
 * whatever the wrapping. */
#ifndef REDLINE_EXTRACT_INT_H
#define REDLINE_EXTRACT_INT_H

#include <stddef.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "redline/buf.h"
#include "redline/error.h"
#include "redline/extract.h"
#include "redline/strv.h"
#include "redline/util.h"

/* What a line is. */
enum {
	XL_TEXT = 0,  /* running text: joined with its neighbours when they continue it */
	XL_HEADING,   /* an explicit heading (<h2>, "## "), level in `level` */
	XL_ITEM,      /* first line of an explicit list item (<li>, "- ") */
	XL_ITEM_CONT, /* a further line of the same explicit item */
	XL_ROW,       /* a table row, cells already joined with " | " */
	XL_PRE,       /* verbatim (<pre>, fenced code) */
};

/* How a line is separated from the one before it, weakest first. */
enum {
	XB_LINE = 0, /* a line break: always a soft wrap */
	XB_BLOCK,    /* a block boundary or blank line: a wrap on hard-wrapped
		      * pages, a paragraph break elsewhere */
	XB_PARA,     /* an explicit empty line between blocks */
	XB_HARD,     /* structure: heading, list, table, rule; never joined */
};

/* Line flags. */
enum {
	XF_FURNITURE = 1,     /* page furniture: dropped */
	XF_PRINTED_LABEL = 2, /* XL_ITEM: the label is printed in the source (Markdown "3."), so
				 it stays even when the text starts with another ("3. - foo") */
	XF_SOURCE = 4,        /* the text is the page's source's own bytes, not the arena's */
};

typedef struct xline {
	size_t off, len;             /* text in the page's arena (or source): UTF-8, NFC, spaces
					collapsed */
	size_t label_off, label_len; /* XL_ITEM: a label made by the markup (<ol>: "3."), else 0 */
	unsigned cps;                /* length in code points */
	unsigned char kind, brk, level, flags;
} xline;

typedef struct xpage {
	int number;
	rl_buf arena;
	/* The text the page's lines come from, where it stays as long as
	 * the page (a plain text's own bytes; else NULL): a line that is
	 * its own normal form is not copied into the arena. */
	const char *source;
	size_t source_len;
	size_t bytes; /* its lines' text and labels, with a NUL each as in the arena */
	xline *lines;
	size_t n, cap;
	int pending;       /* strongest break asked for since the last line */
	int fixed_mode;    /* the extractor knows the layout: no detection */
	int said_headings; /* the markup marks every heading (Markdown): none is inferred */
	int line_mode;     /* block boundaries are visual lines (hard-wrapped page) */
	int group;         /* the output page (pages/NNNN.md) this page is part of */
	unsigned width;    /* longest text line in code points */
	int breaks_meant;  /* a sentence to a line (layout.c): each line break meant */
} xpage;

typedef struct xdoc {
	xpage *pages;
	size_t n, cap;
	rl_buf scratch; /* reused by line normalization */
	/* the source of the pages made next (xpage), while an extractor
	 * that has one makes them */
	const char *source;
	size_t source_len;
} xdoc;

/* --- the line model (extract.c) --- */
xpage *rlx_page_new(xdoc *d, int number);
/* Asks for at least `brk` before the next line. */
void rlx_page_break(xpage *p, int brk);
/* Adds a line: normalizes spaces (kept in XL_PRE), drops invisible and
 * control characters, NFC. An empty line only raises the pending break
 * (XB_PARA for running text). label may be NULL. */
int rlx_page_line(xdoc *d, xpage *p, int kind, int level, const char *text, size_t len,
		  const char *label, size_t label_len);
void rlx_doc_free(xdoc *d);

static inline const char *rlx_text(const xpage *p, const xline *l)
{
	return (l->flags & XF_SOURCE ? p->source : p->arena.ptr) + l->off;
}

/* The first byte from k on outside lo..0x7E (or len): the end of a run
 * of ASCII, lo being 0x21 (printable) or 0x20 (spaces too). Eight bytes
 * at a time: a byte below lo sets its top bit in x - lo.. (and not in
 * x); one above 0x7E sets it in x + 0x01.. or has it in x. A borrow or
 * carry only crosses into the bytes after a byte that is flagged itself,
 * so the lowest flag is the first such byte (little-endian; elsewhere a
 * byte at a time). */
static inline size_t rlx_ascii_end(const char *s, size_t k, size_t len, unsigned char lo)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ULL, tops = 0x8080808080808080ULL;

	for (; k + 8 <= len; k += 8) {
		uint64_t x, m;

		__builtin_memcpy(&x, s + k, 8);
		m = ((x - lo * ones) & ~x & tops) | (((x + ones) | x) & tops);
		if (m)
			return k + ((size_t)__builtin_ctzll(m) >> 3);
	}
#endif
	while (k < len && (unsigned char)s[k] >= lo && (unsigned char)s[k] < 0x7F)
		k++;
	return k;
}

/* The first byte from k on that is not printable ASCII, a space, a tab,
 * a line feed or a form feed (or len): the bytes a text read as it is
 * (charset.c) is mostly made of. Thirty-two at a time where there are
 * vectors (signed bytes: those of UTF-8 are below every printable one),
 * else a byte at a time: going on past each line's end, where the end
 * of printable ASCII stopped, the check of an edition (1 MB) read in
 * place 0.33 -> 0.18 ms. */
static inline size_t rlx_plain_text_end(const char *s, size_t k, size_t len)
{
#ifdef __SSE2__
	const __m128i below = _mm_set1_epi8(0x1F), del = _mm_set1_epi8(0x7F);
	const __m128i lf = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t'), ff = _mm_set1_epi8('\f');

	for (; k + 32 <= len; k += 32) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
		__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + k + 16));
		__m128i ox = _mm_and_si128(_mm_cmpgt_epi8(x, below), _mm_cmplt_epi8(x, del));
		__m128i oy = _mm_and_si128(_mm_cmpgt_epi8(y, below), _mm_cmplt_epi8(y, del));
		unsigned m;

		ox = _mm_or_si128(
		    ox, _mm_or_si128(_mm_cmpeq_epi8(x, lf),
				     _mm_or_si128(_mm_cmpeq_epi8(x, tab), _mm_cmpeq_epi8(x, ff))));
		oy = _mm_or_si128(
		    oy, _mm_or_si128(_mm_cmpeq_epi8(y, lf),
				     _mm_or_si128(_mm_cmpeq_epi8(y, tab), _mm_cmpeq_epi8(y, ff))));
		m = ~((unsigned)_mm_movemask_epi8(ox) | (unsigned)_mm_movemask_epi8(oy) << 16);
		if (m)
			return k + (size_t)__builtin_ctz(m);
	}
#endif
	for (; k < len; k++) {
		unsigned char c = (unsigned char)s[k];

		if (!((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t' || c == '\f'))
			break;
	}
	return k;
}

/* The first byte from k on that is not ASCII (or len), sixteen at a
 * time (a byte's top bit in the mask), else eight. */
static inline size_t rlx_past_ascii(const char *s, size_t k, size_t n)
{
	uint64_t x;

#ifdef __SSE2__
	for (; k + 16 <= n; k += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)(s + k)));

		if (m)
			return k + (size_t)__builtin_ctz(m);
	}
#endif
	while (k + 8 <= n && (__builtin_memcpy(&x, s + k, 8), (x & 0x8080808080808080ULL) == 0))
		k += 8;
	while (k < n && (unsigned char)s[k] < 0x80)
		k++;
	return k;
}

/* Printable ASCII (0x21..0x7E) and ASCII spaces, a top bit per byte of x:
 * with the top bits cleared no sum carries out of its byte, so each
 * byte is judged alone (a run's end below is exact). */
static inline uint64_t rlx_printable_bytes(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, tops = 0x8080808080808080ULL;
	uint64_t low = x & ~tops;

	return (low + ones * (0x80 - 0x21)) & ~(low + ones * (0x7F - 0x7E)) & ~x & tops;
}

static inline uint64_t rlx_space_bytes(uint64_t x)
{
	const uint64_t tops = 0x8080808080808080ULL, lows = ~tops;

	return ~((((x & lows) ^ (0x20 * (lows / 0x7F))) + lows) | x) & tops;
}

/* The end of a run of printable ASCII and single spaces between printable
 * bytes, from k (or len): the text a line's normalizing copies as it is.
 * Eight bytes at a time, and the eight after each one, so a space is
 * judged by the byte after it: stopping at each space, as the end of
 * printable ASCII does, left the loop at every word. */
static inline size_t rlx_run_end(const char *s, size_t k, size_t len)
{
#ifdef __SSE2__
	/* sixteen at a time where there are vectors: signed bytes, so
	 * those of UTF-8 are below every printable one */
	const __m128i sp = _mm_set1_epi8(' '), del = _mm_set1_epi8(0x7F);

	for (; k + 17 <= len; k += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
		__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + k + 1));
		__m128i px = _mm_and_si128(_mm_cmpgt_epi8(x, sp), _mm_cmplt_epi8(x, del));
		__m128i py = _mm_and_si128(_mm_cmpgt_epi8(y, sp), _mm_cmplt_epi8(y, del));
		__m128i sx = _mm_cmpeq_epi8(x, sp);
		/* not printable nor a space, or a space before such a byte */
		int m = ~_mm_movemask_epi8(_mm_or_si128(px, sx)) & 0xFFFF;

		m |= _mm_movemask_epi8(_mm_andnot_si128(py, sx));
		if (m)
			return k + (size_t)__builtin_ctz((unsigned)m);
	}
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t tops = 0x8080808080808080ULL;

	for (; k + 9 <= len; k += 8) {
		uint64_t x, y, px, sx, m;

		__builtin_memcpy(&x, s + k, 8);
		__builtin_memcpy(&y, s + k + 1, 8);
		px = rlx_printable_bytes(x);
		sx = rlx_space_bytes(x);
		m = (~(px | sx) & tops) | (sx & ~rlx_printable_bytes(y));
		if (m)
			return k + ((size_t)__builtin_ctzll(m) >> 3);
	}
#endif
	while (k < len) {
		unsigned char c = (unsigned char)s[k];

		if (c == ' ' && k + 1 < len && (unsigned char)s[k + 1] > 0x20 &&
		    (unsigned char)s[k + 1] < 0x7F)
			c = 'x'; /* a single space before printable ASCII */
		if (c <= 0x20 || c >= 0x7F)
			break;
		k++;
	}
	return k;
}

/* The first byte from k on where a sentence rule may start (or len): a
 * byte not ASCII, or one of . ! ? LF CR, the only ASCII characters whose
 * Sentence_Break class starts a rule (segment.c's table of plain bytes,
 * which test-segment holds this to). Eight bytes at a time, each byte
 * judged alone with its top bit cleared, so the first flag is exact. */
static inline size_t rlx_plain_end(const char *t, size_t k, size_t len)
{
#ifdef __SSE2__
	for (; k + 16 <= len; k += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(t + k));
		__m128i r = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('.')),
					 _mm_cmpeq_epi8(x, _mm_set1_epi8('!')));
		int m;

		r = _mm_or_si128(r, _mm_cmpeq_epi8(x, _mm_set1_epi8('?')));
		r = _mm_or_si128(r, _mm_cmpeq_epi8(x, _mm_set1_epi8('\n')));
		r = _mm_or_si128(r, _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')));
		/* and the bytes of UTF-8, whose top bit the mask takes too */
		m = _mm_movemask_epi8(_mm_or_si128(r, x));
		if (m)
			return k + (size_t)__builtin_ctz((unsigned)m);
	}
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t tops = 0x8080808080808080ULL, lows = ~tops, ones = lows / 0x7F;

	for (; k + 8 <= len; k += 8) {
		uint64_t x, low, m;

		__builtin_memcpy(&x, t + k, 8);
		low = x & lows;
		/* a byte's top bit stays clear in (low ^ c) + lows only where
		 * it is c */
		m = ((low ^ ('.' * ones)) + lows) & ((low ^ ('!' * ones)) + lows) &
		    ((low ^ ('?' * ones)) + lows) & ((low ^ ('\n' * ones)) + lows) &
		    ((low ^ ('\r' * ones)) + lows);
		m = (~m | x) & tops;
		if (m)
			return k + ((size_t)__builtin_ctzll(m) >> 3);
	}
#endif
	while (k < len) {
		unsigned char c = (unsigned char)t[k];

		if (c >= 0x80 || c == '.' || c == '!' || c == '?' || c == '\n' || c == '\r')
			break;
		k++;
	}
	return k;
}

/* The first byte from k on that is not an ASCII letter (or len). Eight
 * bytes at a time, as above: with the top bits cleared and 0x20 set, a
 * byte is a-z when its top bit is set in x + (0x80 - 'a') and not in
 * x + (0x7F - 'z'), no carry crossing a byte; one with its own top bit
 * set is no ASCII letter. */
static inline size_t rlx_letters_end(const char *s, size_t k, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ULL, tops = 0x8080808080808080ULL;

	for (; k + 8 <= len; k += 8) {
		uint64_t x, lower, m;

		__builtin_memcpy(&x, s + k, 8);
		lower = (x & ~tops) | (ones * 0x20);
		m = ~((lower + ones * (0x80 - 'a')) & ~(lower + ones * (0x7F - 'z'))) | x;
		if (m & tops)
			return k + ((size_t)__builtin_ctzll(m & tops) >> 3);
	}
#endif
	while (k < len &&
	       (((unsigned char)s[k] | 0x20) >= 'a' && ((unsigned char)s[k] | 0x20) <= 'z'))
		k++;
	return k;
}

/* --- extractors --- */
int rlx_html(xdoc *d, const char *utf8, size_t len, int number, const char *where,
	     const rl_extract_opts *opts, rl_error *err);
/* extract-html-rules.c: compiles every select/remove rule once:
 * RL_EINVALID names a bad one. */
int rlx_html_check_rules(const rl_extract_opts *opts, rl_error *err);
/* Applies the remove rules to doc, then sets *roots (malloc'd) to what
 * the select rules choose; *roots stays NULL without select rules. */
struct _xmlDoc;
struct _xmlNode;
int rlx_html_rules(struct _xmlDoc *doc, const rl_extract_opts *opts, const char *where,
		   struct _xmlNode ***roots, size_t *n, rl_error *err);
int rlx_pdf(xdoc *d, const char *data, size_t len, int number, rl_error *err);

/* --- the whole pass, in this process (extract.c) --- */
int rlx_extract_here(rl_text *out, const rl_raw_page *pages, size_t n, const rl_extract_opts *opts,
		     rl_error *err);
/* Returns -1 when out of memory. stays: utf8 is alive as long as d, and
 * d's lines may be its own bytes. */
int rlx_plain(xdoc *d, const char *utf8, size_t len, int number, int markdown, int stays);

/* --- charset.c --- */
/* Decodes raw bytes to UTF-8 with LF line ends and no NUL or control
 * bytes, in *text (*text_len bytes). The charset comes from the BOM, then
 * the Content-Type header, then (html) a <meta> or XML declaration, then
 * detection. Invalid bytes become U+FFFD, counted in a warning that
 * starts with `where`. Returns 1 when the text is data's own bytes (UTF-8
 * with nothing to change: out is left empty), 0 when it is out's, or an
 * error. */
int rlx_decode(rl_buf *out, const char **text, size_t *text_len, const char *data, size_t len,
	       const char *content_type, int html, const char *where, rl_strv *warnings,
	       rl_error *err);
/* The converter name redline uses for a charset label, NULL if unknown. */
const char *rlx_charset_name(const char *label, size_t len);

/* --- furniture.c --- */
/* Marks running titles, page markers and section footers. */
int rlx_furniture_mark(xdoc *d);
/* A line that is furniture by its shape alone ("Page 85 - Title", "P. 85"). */
int rlx_furniture_shape(const char *s, size_t len, int bottom);

/* --- layout.c --- */
#define UNWRAPPED (UINT32_MAX / 4) /* the width of a page nothing wraps */
/* Measures each page and decides whether its blocks are visual lines. */
void rlx_layout(xdoc *d);
/* Running text: a line that may be joined to its neighbours. */
int rlx_flowing(const xline *l);
int rlx_starts_lower(const char *s, size_t n);
/* What must fit after a line for it not to have been full: the first
 * word, or in scripts written without spaces, the first character. */
unsigned rlx_word_cps(const char *s, size_t len);
/* Short, no final punctuation, most significant words capitalized (or,
 * in scripts without case, very short): shaped like a title. */
int rlx_title_shaped(const char *s, size_t len, unsigned cps);

/* --- canon.c --- */
typedef struct rlx_canon rlx_canon;
/* Compiles the ignore rules: RL_EINVALID names a bad one. */
int rlx_canon_new(rlx_canon **out, const rl_strv *ignore, rl_error *err);
void rlx_canon_free(rlx_canon *c);
/* Canonical text of pages [first, first + n) of d as one flow. d must not
 * change while c is used with it. */
int rlx_canon_flow(rlx_canon *c, const xdoc *d, size_t first, size_t n, rl_buf *out, rl_error *err);

/* --- canon-join.c --- */
typedef struct rlx_vocab rlx_vocab;
/* The document's words, for de-hyphenation, indexed when first asked;
 * *out stays NULL when no line ends with a hyphen. The document must
 * outlive it. Returns -1 when out of memory. */
int rlx_vocab_build(rlx_vocab **out, const xdoc *d);
void rlx_vocab_free(rlx_vocab *v);
/* Appends a wrapped line's text to the paragraph it continues. */
int rlx_join(rl_buf *para, const char *text, size_t len, rlx_vocab *v);

/* --- segment.c --- */
typedef struct rlx_segmenter rlx_segmenter;
int rlx_segmenter_new(rlx_segmenter **out, rl_error *err);
/* Sentence_Break (UCharSentenceBreak) of ASCII character c, without ICU. */
int rlx_ascii_sentence_break(int c);
void rlx_segmenter_free(rlx_segmenter *s);
/* From now on, s takes its boundaries from ICU's own iterator: the
 * reference the tests compare the segmenter's against. */
int rlx_segmenter_icu(rlx_segmenter *s, rl_error *err);
/* The sentence boundaries of UAX #29 in text, before redline's rules:
 * the byte offset after each sentence, the first cap of them in out.
 * Returns how many there are (-1 on an ICU error). */
int rlx_sentence_bounds(rlx_segmenter *s, const char *text, size_t len, size_t *out, size_t cap);
/* Splits text into sentences: UAX #29's sentence boundaries, then rules for
 * abbreviations ("U.S.", "No.", "e.g.", "Art. 5"). Calls fn for each
 * sentence with surrounding spaces trimmed; stops when fn returns < 0. */
int rlx_segment(rlx_segmenter *s, const char *text, size_t len,
		int (*fn)(void *arg, const char *s, size_t len), void *arg);

/* --- small Unicode helpers (extract-util.c) --- */
/* Decodes the code point before s[*i] (moving *i back). */
int32_t rlx_prev_cp(const char *s, size_t *i);
unsigned rlx_count_cps(const char *s, size_t len);
/* The Sentence_Break (UCharSentenceBreak) of c when it is one of the
 * characters beyond ASCII that most documents use (’ “ ” – — • ● · ①),
 * each a starter, NFC as it is, and no letter; -1 for any other. Known
 * without ICU: a thread extracting a document goes on while ICU is
 * still being loaded on another, and this is cheaper than a call
 * through the loader into ICU's tables. test-segment checks every
 * property against ICU. */
int rlx_common_punct(int32_t c);
/* The letters beyond ASCII known without ICU, as rlx_common_punct's
 * characters are: 1 for lower case (Latin-1's ß to ÿ, and ℓ), 2 for
 * upper (À to Þ), 3 for letters of no case (Hangul syllables and
 * compatibility jamo); 0 for any other character. */
static inline int rlx_known_letter(int32_t c)
{
	if (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7)
		return c >= 0xDF ? 1 : 2;
	if (c == 0x2113)
		return 1;
	return rl_hangul_syllable(c) || (c >= 0x3131 && c <= 0x318E) ? 3 : 0;
}
/* A combining diacritical mark, U+0300 to U+036F: Sentence_Break Extend,
 * no letter. (A PDF's text has them where the font drew an apostrophe
 * as an accent: "Korea\u0313s".) */
static inline int rlx_is_mark(int32_t c)
{
	return c >= 0x300 && c <= 0x36F;
}
int rlx_is_space_cp(int32_t c);
int rlx_is_lower(int32_t c);
int rlx_is_upper(int32_t c);
int rlx_is_letter(int32_t c);
int rlx_is_uncased_letter(int32_t c);
int rlx_is_cjk(int32_t c); /* scripts written without spaces between words */
/* The text ends a sentence: . ! ? (and CJK forms), possibly followed by
 * closing quotes or brackets. With `colon`, : and ; count too. */
int rlx_ends_sentence(const char *s, size_t len, int colon);
/* First code point that is not an opening quote or bracket. */
int32_t rlx_first_cp(const char *s, size_t len);
/* NFC of UTF-8 text, appended to out. */
int rlx_nfc_append(rl_buf *out, const char *s, size_t len);

#endif
