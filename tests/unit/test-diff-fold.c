/* The cosmetic test (diff_same_folded): two stretches read the same once
 * case, compatibility forms, typographic quotes and dashes, whitespace,
 * hyphens and lost ligatures are folded, and only then. Folding runs a
 * piece at a time, so the cases put the differences at piece edges, in
 * combining sequences and far into long text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "../../archive/diff-internal.h"
#include "redline/buf.h"

static int same(const char *a, const char *b)
{
	return diff_same_folded(a, strlen(a), b, strlen(b));
}

static void short_cases(void **state)
{
	static const struct {
		const char *a, *b;
		int same;
	} cases[] = {
	    {"The government\xe2\x80\x99s plan", "the government's plan", 1},
	    {"ROK\xe2\x80\x93US", "ROK-US", 1},
	    {"ROK\xe2\x80\x93US", "ROKUS", 1},
	    {"\xe2\x80\x9c"
	     "formidable force\xe2\x80\x9d",
	     "\"formidable force\"", 1},
	    {"a f rm commitment", "a firm commitment", 1},
	    {"the \xef\xac\x81rst line", "the first line", 1},  /* U+FB01 ligature */
	    {"\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc", 1}, /* fullwidth */
	    {"caf\xc3\xa9", "cafe\xcc\x81", 1},                 /* NFC vs NFD */
	    {"cafe\xcc\x81s", "caf\xc3\xa9s", 1},
	    {"caf\xc3\xa9", "cafe", 0},
	    {"non\xc2\xadmilitary", "nonmilitary", 1}, /* soft hyphen */
	    {"non-military", "non military", 1},
	    {"one\xc2\xa0two", "one two", 1},
	    {"STRASSE",
	     "stra\xc3\x9f"
	     "e",
	     1}, /* case folding */
	    {"a firm commitment", "a weak commitment", 0},
	    {"a firm", "a firm commitment", 0},
	    {"", "", 1},
	    {"", "-", 1},
	    {"", "x", 0},
	    {"\xff\xfe", "\xff\xfe", 1}, /* broken UTF-8: equal bytes are equal */
	    {"\xff", "x", 0},
	    /* characters folded without ICU (diff_fold_inert), beside
	     * ASCII, each other and a combining mark, which ICU folds */
	    {"\xee\x80\x80 A\xc3\x97"
	     "B\xc2\xb0",
	     "\xee\x80\x80 a\xc3\x97"
	     "b\xc2\xb0",
	     1},
	    {"\xee\x80\x80", "\xee\x80\x81", 0},
	    {"\xea\xb0\x80\xe2\x80\x99\xed\x9e\xa3", "\xea\xb0\x80'\xed\x9e\xa3", 1},
	    {"\xea\xb0\x80\xe1\x86\xa8", "\xea\xb0\x81", 1}, /* + jamo: composed */
	    {"x\xc3\x97\xcc\x81", "x\xc3\x97", 0},
	    /* a mark that stays after ASCII, then one that reorders before
	     * it and composes: a + U+0313 + U+0323 is ạ + U+0313 */
	    {"a\xcc\x93\xcc\xa3x", "\xe1\xba\xa1\xcc\x93x", 1},
	    {"a\xcc\x93\xcc\xa3x", "a\xcc\x93\xcc\xa3x", 1},
	    /* circled numbers, folded by hand beside known characters and
	     * by ICU beside others */
	    {"\xe2\x91\xa0 a\xe2\x91\xa9\xe2\x91\xb3.", "1 a1020.", 1},
	    {"\xe2\x91\xa0\xcc\x81", "1\xcc\x81", 1},
	    {"\xe2\x91\xa8", "10", 0},
	    {"\xe2\x80\x9c"
	     "A\xe2\x80\x9d",
	     "\"a\"", 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		if (same(cases[i].a, cases[i].b) != cases[i].same ||
		    same(cases[i].b, cases[i].a) != cases[i].same)
			fail_msg("'%s' vs '%s': want %s", cases[i].a, cases[i].b,
				 cases[i].same ? "same" : "different");
}

/* Long stretches, non-ASCII throughout so ICU folds them piece by
 * piece: equal when folded, and a difference anywhere is seen. */
static void long_cases(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;

	(void)state;
	for (int i = 0; i < 3000; i++) {
		rl_buf_printf(&a, "the \xe2\x80\x9cpeace\xe2\x80\x9d caf\xc3\xa9%d ", i);
		rl_buf_printf(&b, "The \"Peace\" cafe\xcc\x81%d\n", i);
	}
	assert_true(diff_same_folded(a.ptr, a.len, b.ptr, b.len));
	for (size_t at = 1; at < b.len; at += b.len / 7) {
		char saved = b.ptr[at];

		if ((unsigned char)saved >= 0x80 || saved == ' ' || saved == '\n' || saved == '"')
			continue;
		b.ptr[at] = saved == 'x' ? 'y' : 'x';
		if (diff_same_folded(a.ptr, a.len, b.ptr, b.len))
			fail_msg("a change at byte %zu of %zu was not seen", at, b.len);
		b.ptr[at] = saved;
	}
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* What diff_fold_inert says folds to itself alone, ICU does: the NFKC
 * case fold of the character is the character, which begins a segment of
 * its own (and so ends the one before it), as ASCII does too. */
static void inert_characters_are_icus(void **state)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&st);
	int n = 0;

	(void)state;
	assert_true(U_SUCCESS(st));
	for (UChar32 c = 0; c < 0x10000; c++) {
		UChar in[1] = {(UChar)c}, out[8];
		int32_t len;
		int ascii = c < 0x80;

		if (!ascii && !diff_fold_inert(c))
			continue;
		n += !ascii;
		st = U_ZERO_ERROR;
		len = unorm2_normalize(nfkc, in, 1, out, 8, &st);
		if (U_FAILURE(st) || len != 1 ||
		    out[0] != (c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c) ||
		    !unorm2_hasBoundaryBefore(nfkc, c))
			fail_msg("U+%04X does not fold to itself alone", (unsigned)c);
	}
	/* the punctuation, private use and Hangul syllables */
	assert_int_equal(n, 16 + 6400 + 11172);
	/* ① to ⑳ fold to their numbers' digits, alone */
	n = 0;
	for (UChar32 c = 0; c < 0x10000; c++) {
		UChar in[1] = {(UChar)c}, out[8];
		char want[8];
		int32_t len;

		if (!diff_fold_circled(c))
			continue;
		n++;
		st = U_ZERO_ERROR;
		len = unorm2_normalize(nfkc, in, 1, out, 8, &st);
		u_strToUTF8(want, sizeof(want), NULL, out, len, &st);
		assert_true(U_SUCCESS(st));
		if (atoi(want) != diff_fold_circled(c) || !unorm2_hasBoundaryBefore(nfkc, c))
			fail_msg("U+%04X does not fold to %d alone", (unsigned)c,
				 diff_fold_circled(c));
	}
	assert_int_equal(n, 20);
}

/* Every combining mark after every printable ASCII character reads the
 * same as ICU's NFKC case fold of the two: whether the folder passes the
 * mark as it is (rl_mark_stays_after_ascii, but U+0345, which folds to
 * ι, and U+034F, which it drops) or ICU composes or replaces it. */
static void marks_after_ascii_fold_as_icus(void **state)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&st);

	(void)state;
	for (UChar m = 0x300; m <= 0x36F; m++)
		for (UChar b = 0x21; b < 0x7F; b++) {
			UChar in[3] = {b, m, 'x'}, out[16];
			char a[8], want[64];
			int32_t n;

			n = unorm2_normalize(nfkc, in, 3, out, 16, &st);
			u_strToUTF8(want, sizeof(want), NULL, out, n, &st);
			u_strToUTF8(a, sizeof(a), NULL, in, 3, &st);
			assert_true(U_SUCCESS(st));
			if (!same(a, want))
				fail_msg("U+%04X after '%c' does not fold as ICU's", (unsigned)m,
					 b);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(short_cases),
	    cmocka_unit_test(long_cases),
	    cmocka_unit_test(inert_characters_are_icus),
	    cmocka_unit_test(marks_after_ascii_fold_as_icus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
