/* Do two stretches of text read the same? The test of a cosmetic change:
 * both sides folded (NFKC with case folding, typographic quotes and
 * dashes to ASCII, whitespace and hyphens dropped, and on a second try
 * the letter after an f of a lost ligature, "f rm" for "firm") must be
 * equal. The folded texts are produced a piece at a time and compared as
 * they come, so a wording change stops at its first difference instead
 * of normalizing both sides whole: on the 2018 -> 2020 editions that was
 * 150M instructions for 1,500 changes. ASCII is folded by hand (its NFKC
 * case fold is lower case), and so are the characters diff_fold_inert
 * knows fold to themselves (a diff of such texts never loads ICU: 1 ms of
 * a compare of two small ones); a piece holding anything else goes
 * through ICU, cut where the next character starts a new normalization
 * segment. */
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "redline/util.h"
#include "diff-internal.h"

#define PIECE 128 /* UTF-16 units normalized at a time (plus a segment's tail) */

typedef struct folder {
	const char *s;
	int32_t i, len;
	int lig;
	UChar prev;                /* last character given out, for lig */
	UChar out[4 * PIECE + 64]; /* folded, not yet given out */
	int32_t o, n;
	const UNormalizer2 *nfkc;
	int failed;
} folder;

static int dropped(UChar c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
	       c == 0x205F || c == 0x3000 || c == '-' || c == 0xAD ||
	       (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

static UChar typographic(UChar c)
{
	if (c == 0x2018 || c == 0x2019 || c == 0x201B || c == 0x2032 || c == 0x60)
		return '\'';
	if (c == 0x201C || c == 0x201D || c == 0x201E || c == 0x2033)
		return '"';
	return c;
}

int diff_fold_inert(int32_t c)
{
	switch (c) {
	case 0xB0:   /* ° */
	case 0xB7:   /* · */
	case 0xD7:   /* × */
	case 0x2013: /* – */
	case 0x2014: /* — */
	case 0x2018: /* ‘ */
	case 0x2019: /* ’ */
	case 0x201C: /* “ */
	case 0x201D: /* ” */
	case 0x2022: /* • */
	case 0x2192: /* → */
	case 0x25CF: /* ● */
	case 0x300C: /* 「 */
	case 0x300D: /* 」 */
	case 0x3010: /* 【 */
	case 0x3011: /* 】 */
		return 1;
	default:
		return (c >= 0xE000 && c <= 0xF8FF) || rl_hangul_syllable(c);
	}
}

/* The length of the character at s[i] when it folds to itself alone, as
 * ASCII and diff_fold_inert's characters do (ASCII to lower case), and a
 * mark that stays after the ASCII character before it: 1 to 3; 0 for
 * any other. Its code point in *c. */
static int32_t inert_len(const char *s, int32_t i, int32_t len, int32_t *c)
{
	const unsigned char *u = (const unsigned char *)s + i;

	if (u[0] < 0x80) {
		*c = u[0];
		return 1;
	}
	if (u[0] >= 0xC2 && u[0] < 0xE0 && i + 1 < len && (u[1] & 0xC0) == 0x80)
		*c = (int32_t)((u[0] & 0x1Fu) << 6 | (u[1] & 0x3Fu));
	else if (u[0] >= 0xE1 && u[0] < 0xF0 && i + 2 < len && (u[1] & 0xC0) == 0x80 &&
		 (u[2] & 0xC0) == 0x80 && (u[0] != 0xED || u[1] < 0xA0)) /* no surrogate */
		*c = (int32_t)((u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu));
	else
		return 0;
	/* a mark alone between ASCII characters (or before the end),
	 * unchanged by NFC and by NFKC's case fold (which folds U+0345 to
	 * ι and drops U+034F, an ignorable) */
	if (i > 0 && (unsigned char)s[i - 1] < 0x80 && (i + 2 >= len || u[2] < 0x80) &&
	    *c != 0x345 && *c != 0x34F && rl_mark_stays_after_ascii(*c))
		return 2;
	if (!diff_fold_inert(*c))
		return 0;
	return *c < 0x800 ? 2 : 3;
}

int diff_fold_circled(int32_t c)
{
	return c >= 0x2460 && c <= 0x2473 ? (int)(c - 0x2460 + 1) : 0;
}

/* The length of a circled number at s[i] (① to ⑳, which fold to their
 * digits), its number in *n; 0 for any other character. */
static int32_t circled_len(const char *s, int32_t i, int32_t len, int *n)
{
	const unsigned char *u = (const unsigned char *)s + i;

	if (i + 2 >= len || u[0] != 0xE2 || u[1] != 0x91 || (u[2] & 0xC0) != 0x80)
		return 0; /* not U+2440 to U+247F */
	*n = diff_fold_circled(0x2440 | (u[2] & 0x3F));
	return *n ? 3 : 0;
}

/* Whether a normalization segment starts at s[i] (or the text ends
 * there) that the folder knows: the one before it is complete. */
static int known_start(const char *s, int32_t i, int32_t len)
{
	int32_t c;
	int n;

	return i >= len || inert_len(s, i, len, &c) || circled_len(s, i, len, &n);
}

/* Normalizes the next piece of input into f->out. */
static void refill(folder *f)
{
	UChar in[2 * PIECE + 8];
	int32_t n = 0, m;
	UErrorCode st = U_ZERO_ERROR;

	f->o = f->n = 0;
	/* asked for here, not before: stretches of ASCII never load ICU */
	if (!f->nfkc && (!(f->nfkc = unorm2_getNFKCCasefoldInstance(&st)) || U_FAILURE(st))) {
		f->failed = 1;
		return;
	}
	while (f->i < f->len) {
		int32_t at = f->i;
		UChar32 c;

		U8_NEXT(f->s, f->i, f->len, c);
		if (c < 0)
			c = 0xFFFD;
		/* stop before a character that starts a segment, once the piece
		 * is long enough or the character is plain ASCII */
		if (n > 0 && (n >= PIECE || c < 0x80) && unorm2_hasBoundaryBefore(f->nfkc, c)) {
			f->i = at;
			break;
		}
		if (n >= 2 * PIECE) { /* a run of combining marks: cut anyway */
			f->i = at;
			break;
		}
		U16_APPEND_UNSAFE(in, n, c);
	}
	m = unorm2_normalize(f->nfkc, in, n, f->out, (int32_t)(sizeof(f->out) / sizeof(UChar)),
			     &st);
	if (U_FAILURE(st))
		f->failed = 1;
	else
		f->n = m;
}

/* The next folded character, or -1 at the end. */
static int32_t next(folder *f)
{
	for (;;) {
		UChar c;

		if (f->o == f->n) {
			int32_t w, x;
			int n;

			if (f->i >= f->len || f->failed)
				return -1;
			/* ASCII, a character that folds to itself or a
			 * circled number, followed by one of them (or the
			 * end), is a segment of its own, which ICU need not
			 * see */
			if ((w = inert_len(f->s, f->i, f->len, &x)) &&
			    known_start(f->s, f->i + w, f->len)) {
				f->i += w;
				c = x >= 'A' && x <= 'Z' ? (UChar)(x + 'a' - 'A') : (UChar)x;
			} else if ((w = circled_len(f->s, f->i, f->len, &n)) &&
				   known_start(f->s, f->i + w, f->len)) {
				f->i += w;
				f->o = 0;
				f->n = 0;
				if (n >= 10)
					f->out[f->n++] = (UChar)('0' + n / 10);
				f->out[f->n++] = (UChar)('0' + n % 10);
				continue;
			} else {
				refill(f);
				continue;
			}
		} else {
			c = f->out[f->o++];
		}
		c = typographic(c);
		if (dropped(c))
			continue;
		if (f->lig && f->prev == 'f' && (c == 'i' || c == 'l'))
			continue;
		f->prev = c;
		return c;
	}
}

static int has_lost_ligature(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == 'f' && (s[i + 1] == ' ' || s[i + 1] == '\n'))
			return 1;
	return 0;
}

int diff_same_folded(const char *o, size_t ol, const char *n, size_t nl)
{
	int lig = has_lost_ligature(o, ol) || has_lost_ligature(n, nl);
	folder x, y;

	if (ol > DIFF_MAX_TEXT || nl > DIFF_MAX_TEXT)
		return 0;
	for (int pass = 0; pass <= lig; pass++) {
		int32_t cx, cy;

		x.s = o, x.i = 0, x.len = (int32_t)ol, x.lig = pass, x.prev = 0;
		y.s = n, y.i = 0, y.len = (int32_t)nl, y.lig = pass, y.prev = 0;
		x.o = x.n = y.o = y.n = 0;
		x.nfkc = y.nfkc = NULL;
		x.failed = y.failed = 0;
		do {
			cx = next(&x);
			cy = next(&y);
		} while (cx == cy && cx >= 0);
		if (cx == cy && !x.failed && !y.failed)
			return 1;
	}
	return 0;
}
