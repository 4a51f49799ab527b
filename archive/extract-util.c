/* Small Unicode helpers for extraction: code points, character classes
 * (ICU's properties, so every script is judged alike), NFC. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "redline/text-loader.h"
#include "extract-int.h"

int32_t rlx_prev_cp(const char *s, size_t *i)
{
	size_t j = *i, start = j - 1, k;
	int32_t c;

	while (start > 0 && j - start < 4 && ((unsigned char)s[start] & 0xC0) == 0x80)
		start--;
	k = start;
	c = rl_utf8_next(s, j, &k);
	if (k != j) {
		*i = j - 1;
		return 0xFFFD;
	}
	*i = start;
	return c;
}

unsigned rlx_count_cps(const char *s, size_t len)
{
	const uint64_t tops = 0x8080808080808080ULL;
	size_t n = 0, i = 0;

#ifdef __SSE2__
	/* Continuation bytes are 10xxxxxx: sixteen bytes at a time, each
	 * flagged (-1) and the flags subtracted into sixteen byte counters,
	 * summed (psadbw) every 255 rounds, before a counter could wrap, and
	 * at the end: a popcount of the flags was a call into libgcc on the
	 * baseline x86-64 this is built for. */
	const __m128i top2 = _mm_set1_epi8((char)0xC0), tail = _mm_set1_epi8((char)0x80);
	const __m128i zero = _mm_setzero_si128();
	__m128i acc = zero;
	size_t conts = 0, rounds = 0;

	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));

		acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_and_si128(x, top2), tail));
		if (++rounds == 255 || i + 32 > len) {
			__m128i sum = _mm_sad_epu8(acc, zero);

			conts += (size_t)_mm_cvtsi128_si32(sum) +
				 (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
			acc = zero;
			rounds = 0;
		}
	}
	n = i - conts;
#endif
	/* Eight bytes at a time, the same: a byte's bit 6, shifted up, lands
	 * on its bit 7; the flags, one per byte, are summed by a
	 * multiplication that adds every byte into the top one. */
	for (; i + 8 <= len; i += 8) {
		uint64_t x, cont;

		memcpy(&x, s + i, 8);
		cont = (x & ~(x << 1) & tops) >> 7;
		n += 8 - (size_t)((cont * 0x0101010101010101ULL) >> 56);
	}
	for (; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return (unsigned)n;
}

int rlx_is_space_cp(int32_t c)
{
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
		return 1;
	if (c < 0x80)
		return 0;
	return c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
	       c == 0x3000 || c == 0x1680;
}

int rlx_common_punct(int32_t c)
{
	switch (c) {
	case 0xA0: /* no-break space */
		return U_SB_SP;
	case 0xB0:   /* ° */
	case 0xB7:   /* · */
	case 0xD7:   /* × */
	case 0xF7:   /* ÷ */
	case 0x2022: /* • */
	case 0x2026: /* … */
	case 0x203B: /* ※ */
	case 0x2103: /* ℃ */
	case 0x2192: /* → */
	case 0x21D2: /* ⇒ */
	case 0x2219: /* ∙ */
	case 0x2252: /* ≒ */
	case 0x25B3: /* △ */
	case 0x25CB: /* ○ */
	case 0x25CF: /* ● */
	case 0x2605: /* ★ */
	case 0x339E: /* ㎞ */
	case 0x33A1: /* ㎡ */
	case 0x33A2: /* ㎢ */
	case 0xFF0A: /* ＊ */
		return U_SB_OTHER;
	case 0x2013: /* – */
	case 0x2014: /* — */
		return U_SB_SCONTINUE;
	case 0x2018: /* ‘ */
	case 0x2019: /* ’ */
	case 0x201C: /* “ */
	case 0x201D: /* ” */
	case 0x300C: /* 「 */
	case 0x300D: /* 」 */
	case 0x3010: /* 【 */
	case 0x3011: /* 】 */
		return U_SB_CLOSE;
	default:
		/* ① to ⑳, and private use (a PDF's font maps glyphs there) */
		return (c >= 0x2460 && c <= 0x2473) || (c >= 0xE000 && c <= 0xF8FF) ? U_SB_OTHER
										    : -1;
	}
}

/* A character whose properties are known here, so that ICU need not be
 * asked (nor loaded): the common punctuation, the known letters and the
 * combining marks. */
static int known_here(int32_t c)
{
	return rlx_known_letter(c) || rlx_is_mark(c) || rlx_common_punct(c) >= 0;
}

int rl_text_needs_icu(const char *s, size_t len)
{
	size_t i = 0, at;

	while ((i = rlx_past_ascii(s, i, len)) < len) {
		int32_t c;

		at = i;
		c = rl_utf8_next(s, len, &i);
		if (c == 0xFFFD) /* perhaps bytes that are not UTF-8 */
			return 1;
		/* a mark after a space goes to ICU's word breaker with it */
		if (rlx_is_mark(c) ? !(at > 0 && (unsigned char)s[at - 1] > ' ' &&
				       (unsigned char)s[at - 1] < 0x80)
				   : !known_here(c))
			return 1;
	}
	return 0;
}

int rlx_is_lower(int32_t c)
{
	if (c < 0x80)
		return c >= 'a' && c <= 'z';
	return known_here(c) ? rlx_known_letter(c) == 1 : u_islower(c);
}

int rlx_is_upper(int32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z';
	return known_here(c) ? rlx_known_letter(c) == 2 : u_isupper(c) || u_istitle(c);
}

int rlx_is_letter(int32_t c)
{
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	if (known_here(c))
		return rlx_known_letter(c) != 0;
	return u_isalpha(c);
}

int rlx_is_uncased_letter(int32_t c)
{
	if (c < 0x80)
		return 0;
	if (known_here(c))
		return rlx_known_letter(c) == 3;
	return u_isalpha(c) && !u_islower(c) && !u_isupper(c) && !u_istitle(c);
}

int rlx_is_cjk(int32_t c)
{
	UScriptCode sc;
	UErrorCode st = U_ZERO_ERROR;

	if (c < 0x2E80)
		return 0;
	if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF60))
		return 1; /* CJK punctuation and full-width forms */
	if (known_here(c))
		return 0; /* Hangul, symbols, private use */
	sc = uscript_getScript(c, &st);
	return U_SUCCESS(st) && (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA ||
				 sc == USCRIPT_KATAKANA || sc == USCRIPT_THAI);
}

static int is_closer(int32_t c)
{
	return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x2019 || c == 0x201D ||
	       c == 0xBB || c == 0x300D || c == 0x300F || c == 0xFF09 || c == 0x3011;
}

static int is_opener(int32_t c)
{
	return c == '"' || c == '\'' || c == '(' || c == '[' || c == 0x2018 || c == 0x201C ||
	       c == 0xAB || c == 0x300C || c == 0x300E || c == 0xFF08 || c == 0x3010;
}

int rlx_ends_sentence(const char *s, size_t len, int colon)
{
	size_t i = len;
	int32_t c = 0;

	while (i > 0) {
		c = rlx_prev_cp(s, &i);
		if (!is_closer(c) && !rlx_is_space_cp(c))
			break;
	}
	if (c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x3002 || c == 0xFF01 ||
	    c == 0xFF1F || c == 0xFF0E)
		return 1;
	return colon && (c == ':' || c == ';' || c == 0xFF1A || c == 0xFF1B);
}

int32_t rlx_first_cp(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		int32_t c = rl_utf8_next(s, len, &i);

		if (!is_opener(c))
			return c;
	}
	return 0;
}

/* Is the text NFC by the quick check alone: every character a starter
 * (combining class 0) whose NFC quick check is yes, or a mark that stays
 * as it is between ASCII characters? ASCII and Latin-1 (below U+0300)
 * always are; of the rest, most lines of most documents hold only
 * punctuation such as ’ – “ ” • (or Hangul syllables), which are too,
 * and asking ICU about each of the other characters is cheaper than
 * converting the line to UTF-16 for its normalizer. A U+FFFD
 * (perhaps a byte that is not UTF-8) sends the line to the normalizer,
 * which judges bad bytes. */
static int nfc_by_quick_check(const char *s, size_t len)
{
	size_t i = 0, at;

	while ((i = rlx_past_ascii(s, i, len)) < len) { /* most of a line is ASCII */
		int32_t c;

		if ((unsigned char)s[i] < 0xCC) {
			i++;
			continue;
		}
		at = i;
		c = rl_utf8_next(s, len, &i);
		if (rlx_common_punct(c) >= 0 || rlx_known_letter(c))
			continue;
		/* a mark alone between ASCII characters, as "Korea\u0313s" */
		if (at > 0 && (unsigned char)s[at - 1] < 0x80 &&
		    (i == len || (unsigned char)s[i] < 0x80) && rl_mark_stays_after_ascii(c))
			continue;
		if (c == 0xFFFD || u_getIntPropertyValue(c, UCHAR_CANONICAL_COMBINING_CLASS) != 0 ||
		    u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) != UNORM_YES)
			return 0;
	}
	return 1;
}

int rlx_nfc_append(rl_buf *out, const char *s, size_t len)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	UChar stack[512], *u = stack, *v = NULL;
	int32_t ulen, vlen, span, n8;
	int rc = -1;

	if (len > INT32_MAX / 2 || nfc_by_quick_check(s, len))
		return rl_buf_put(out, s, len);
	nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st))
		return -1;
	u_strFromUTF8(NULL, 0, &ulen, s, (int32_t)len, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		return -1;
	st = U_ZERO_ERROR;
	if (ulen > (int32_t)(sizeof(stack) / sizeof(stack[0])) &&
	    !(u = malloc(ulen * sizeof(UChar))))
		return -1;
	u_strFromUTF8(u, ulen, NULL, s, (int32_t)len, &st);
	if (U_FAILURE(st))
		goto out;
	span = unorm2_spanQuickCheckYes(nfc, u, ulen, &st);
	if (U_FAILURE(st))
		goto out;
	if (span == ulen) {
		rc = rl_buf_put(out, s, len);
		goto out;
	}
	vlen = unorm2_normalize(nfc, u, ulen, NULL, 0, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		goto out;
	st = U_ZERO_ERROR;
	if (!(v = malloc((vlen + 1) * sizeof(UChar))))
		goto out;
	unorm2_normalize(nfc, u, ulen, v, vlen + 1, &st);
	if (U_FAILURE(st))
		goto out;
	u_strToUTF8(NULL, 0, &n8, v, vlen, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		goto out;
	st = U_ZERO_ERROR;
	if (rl_buf_grow(out, (size_t)n8 + 1) < 0)
		goto out;
	u_strToUTF8(out->ptr + out->len, n8 + 1, NULL, v, vlen, &st);
	if (U_FAILURE(st))
		goto out;
	out->len += (size_t)n8;
	out->ptr[out->len] = '\0';
	rc = 0;
out:
	if (u != stack)
		free(u);
	free(v);
	return rc;
}
