/* Sentence boundaries: the segmenter finds UAX #29's boundaries itself;
 * they must be exactly those of ICU's sentence BreakIterator, on every
 * short string over one character of each Sentence_Break class, on
 * longer random strings, on the cases the rules were written for, and on
 * whole editions of the corpus. Then redline's own rules on top. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

#include "../../archive/extract-int.h"
#include "redline/util.h"

/* One character of each class the rules tell apart (as UTF-8), and two
 * byte sequences that are no character. */
static const char *const alphabet[] = {
    "a",            /* Lower */
    "Z",            /* Upper */
    "\xc3\xa9",     /* é: Lower, known without ICU */
    "\xea\xb0\x80", /* 가: OLetter */
    "7",            /* Numeric */
    ".",            /* ATerm */
    "?",            /* STerm */
    "\xe3\x80\x82", /* 。: STerm */
    ",",            /* SContinue */
    "\xe2\x80\x93", /* –: SContinue */
    "\"",           /* Close */
    ")",            /* Close */
    "\xe2\x80\x99", /* ’: Close */
    " ",            /* Sp */
    "\xc2\xa0",     /* no-break space: Sp */
    "\n",           /* LF */
    "\r",           /* CR */
    "\xe2\x80\xa9", /* paragraph separator: Sep */
    "\xcc\x81",     /* combining acute: Extend */
    "\xc2\xad",     /* soft hyphen: Format */
    "#",            /* Other */
    "\xff",         /* not UTF-8: Other, as ICU's U+FFFD */
    "\xe2\x80",     /* a character cut short: Other */
};
#define NALPHA (sizeof(alphabet) / sizeof(*alphabet))

/* Both segmenters, the second on ICU's iterator. */
static rlx_segmenter *fast, *icu;

static int setup(void **state)
{
	rl_error err;

	(void)state;
	if (rlx_segmenter_new(&fast, &err) < 0 || rlx_segmenter_new(&icu, &err) < 0 ||
	    rlx_segmenter_icu(icu, &err) < 0) {
		fprintf(stderr, "segmenter: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rlx_segmenter_free(fast);
	rlx_segmenter_free(icu);
	return 0;
}

static void show(const char *what, const char *text, size_t len, const size_t *b, int n)
{
	fprintf(stderr, "%s:", what);
	for (int i = 0; i < n; i++)
		fprintf(stderr, " %zu", b[i]);
	fprintf(stderr, "  in \"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 || c == '"' || c >= 0x80)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fprintf(stderr, "\"\n");
}

/* Asserts the same boundaries both ways. */
static void same_bounds(const char *text, size_t len)
{
	size_t small_a[64], small_b[64], *a = small_a, *b = small_b;
	int na = rlx_sentence_bounds(fast, text, len, a, 64);
	int nb = rlx_sentence_bounds(icu, text, len, b, 64);

	assert_true(na >= 0 && nb >= 0);
	if (na > 64 || nb > 64) {
		a = malloc((size_t)na * sizeof(*a));
		b = malloc((size_t)nb * sizeof(*b));
		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(rlx_sentence_bounds(fast, text, len, a, (size_t)na), na);
		assert_int_equal(rlx_sentence_bounds(icu, text, len, b, (size_t)nb), nb);
	}
	if (na != nb || memcmp(a, b, (size_t)na * sizeof(*a)) != 0) {
		show("redline", text, len, a, na);
		show("ICU    ", text, len, b, nb);
		fail();
	}
	if (a != small_a) {
		free(a);
		free(b);
	}
}

/* The string of the given letters of the alphabet. */
static size_t spell(char *out, const size_t *pick, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(alphabet[pick[i]]);

		memcpy(out + len, alphabet[pick[i]], k);
		len += k;
	}
	return len;
}

/* The segmenter's own table of ASCII characters is ICU's. */
static void ascii_classes_are_icus(void **state)
{
	(void)state;
	for (int c = 0; c < 128; c++) {
		if (rlx_ascii_sentence_break(c) != u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK))
			fprintf(stderr, "U+%04X: %d here, %d in ICU\n", (unsigned)c,
				rlx_ascii_sentence_break(c),
				u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK));
		assert_int_equal(rlx_ascii_sentence_break(c),
				 u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK));
	}
}

/* rlx_is_cjk as ICU's scripts give it. */
static int icu_cjk(int32_t c)
{
	UErrorCode st = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript(c, &st);

	return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF60) || sc == USCRIPT_HAN ||
	       sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA || sc == USCRIPT_THAI;
}

/* The punctuation known without ICU has ICU's properties: its class,
 * a starter whose NFC quick check is yes, no letter. Every other
 * character is left to ICU. */
static void common_punctuation_is_icus(void **state)
{
	int known = 0;

	(void)state;
	for (int32_t c = 0; c <= 0x10FFFF; c++) {
		int k = rlx_common_punct(c);

		if (k < 0)
			continue;
		known++;
		if (k != u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK))
			fprintf(stderr, "U+%04X: class %d here, %d in ICU\n", (unsigned)c, k,
				u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK));
		assert_int_equal(k, u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK));
		assert_int_equal(u_getIntPropertyValue(c, UCHAR_CANONICAL_COMBINING_CLASS), 0);
		assert_int_equal(u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK), UNORM_YES);
		assert_false(u_isalpha(c) || u_islower(c) || u_isupper(c) || u_istitle(c));
		assert_int_equal(rlx_is_letter(c), 0);
		assert_int_equal(rlx_is_lower(c), 0);
		assert_int_equal(rlx_is_upper(c), 0);
		assert_int_equal(rlx_is_uncased_letter(c), 0);
		assert_int_equal(rlx_is_cjk(c), icu_cjk(c));
		assert_true(c >= 0x80);
	}
	assert_int_equal(known, 51 + 6400); /* and private use */
}

/* The known letters and the combining marks are what extraction takes
 * them for without ICU: letters of their case (or none), of
 * Sentence_Break Lower, Upper or OLetter, starters NFC as they are; marks
 * of Sentence_Break Extend, no letters. A mark said to stay as it is
 * between ASCII characters does, after every one of them; the others do
 * not after some. */
static void known_letters_and_marks_are_icus(void **state)
{
	static const int breaks[] = {0, U_SB_LOWER, U_SB_UPPER, U_SB_OLETTER};
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
	int letters[4] = {0}, marks = 0, stay = 0;

	(void)state;
	assert_true(U_SUCCESS(st));
	for (int32_t c = 0; c <= 0x10FFFF; c++) {
		int l = rlx_known_letter(c), moved = 0;

		if (l) {
			letters[l]++;
			assert_int_equal(u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK), breaks[l]);
			assert_int_equal(u_getIntPropertyValue(c, UCHAR_CANONICAL_COMBINING_CLASS),
					 0);
			assert_int_equal(u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK),
					 UNORM_YES);
			assert_true(u_isalpha(c));
			assert_int_equal(u_islower(c), l == 1);
			assert_int_equal(u_isupper(c) || u_istitle(c), l == 2);
			assert_int_equal(rlx_is_letter(c), 1);
			assert_int_equal(rlx_is_lower(c), l == 1);
			assert_int_equal(rlx_is_upper(c), l == 2);
			assert_int_equal(rlx_is_uncased_letter(c), l == 3);
			assert_int_equal(rlx_is_cjk(c), icu_cjk(c));
		}
		if (!rlx_is_mark(c))
			continue;
		marks++;
		assert_int_equal(u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK), U_SB_EXTEND);
		assert_false(u_isalpha(c) || u_islower(c) || u_isupper(c) || u_istitle(c));
		assert_int_equal(rlx_is_letter(c) | rlx_is_lower(c) | rlx_is_upper(c), 0);
		assert_int_equal(rlx_is_uncased_letter(c) | rlx_is_cjk(c), 0);
		for (UChar b = 1; b < 0x80; b++) {
			UChar s[3] = {b, (UChar)c, 'x'};

			moved |= !unorm2_isNormalized(nfc, s, 2, &st) ||
				 !unorm2_isNormalized(nfc, s, 3, &st);
		}
		assert_true(U_SUCCESS(st));
		if (rl_mark_stays_after_ascii(c) && moved)
			fail_msg("U+%04X is changed by NFC after some ASCII character",
				 (unsigned)c);
		if (!rl_mark_stays_after_ascii(c) && !moved)
			fail_msg("U+%04X stays after every ASCII character", (unsigned)c);
		stay += !moved;
	}
	assert_int_equal(letters[1], 32 + 1); /* ß to ÿ, ℓ */
	assert_int_equal(letters[2], 30);
	assert_int_equal(letters[3], 11172 + 94); /* syllables, jamo */
	assert_int_equal(marks, 112);
	assert_int_equal(stay, 82);
}

/* NFC of s by ICU's normalizer, in UTF-8. */
static void icu_nfc(const char *s, char *out, size_t cap)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar u[64], v[64];
	int32_t ul, vl;

	u_strFromUTF8(u, 64, &ul, s, -1, &st);
	vl = unorm2_normalize(unorm2_getNFCInstance(&st), u, ul, v, 64, &st);
	u_strToUTF8(out, (int32_t)cap, NULL, v, vl, &st);
	assert_true(U_SUCCESS(st));
}

/* Lines with marks come out NFC, whether the quick check passes them
 * (a mark alone between ASCII characters) or ICU composes them: every
 * mark after ASCII letters that compose with some marks, ASCII that
 * composes with none, and α, which composes with U+0313; before ASCII,
 * the end, another mark, or a letter beyond ASCII. */
static void marks_come_out_nfc(void **state)
{
	static const char *const before[] = {"a", "e", "<", "x", ".", "Korea", "\xce\xb1"};
	static const char *const after[] = {"s", "", "\xcc\x81", "\xcc\xa3", "\xc3\xa9"};
	char s[32], want[64];
	rl_buf got = RL_BUF_INIT;

	(void)state;
	for (int32_t m = 0x300; m <= 0x36F; m++)
		for (size_t b = 0; b < sizeof(before) / sizeof(*before); b++)
			for (size_t a = 0; a < sizeof(after) / sizeof(*after); a++) {
				snprintf(s, sizeof(s), "%s%c%c%s", before[b], 0xC0 | (m >> 6),
					 0x80 | (m & 0x3F), after[a]);
				icu_nfc(s, want, sizeof(want));
				rl_buf_reset(&got);
				assert_int_equal(rlx_nfc_append(&got, s, strlen(s)), 0);
				assert_string_equal(rl_buf_cstr(&got), want);
			}
	rl_buf_free(&got);
}

/* Every Hangul syllable is what extraction takes it for without ICU: a
 * starter NFC as it is, of Sentence_Break OLetter, a letter of no case;
 * and the code points beside the block are not taken for syllables. */
static void hangul_syllables_are_icus(void **state)
{
	int known = 0;

	(void)state;
	for (int32_t c = 0; c <= 0x10FFFF; c++) {
		if (!rl_hangul_syllable(c))
			continue;
		known++;
		assert_int_equal(u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK), U_SB_OLETTER);
		assert_int_equal(u_getIntPropertyValue(c, UCHAR_CANONICAL_COMBINING_CLASS), 0);
		assert_int_equal(u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK), UNORM_YES);
		assert_true(u_isalpha(c));
		assert_false(u_islower(c) || u_isupper(c) || u_istitle(c));
		assert_int_equal(rlx_is_letter(c), 1);
		assert_int_equal(rlx_is_uncased_letter(c), 1);
		assert_int_equal(rlx_is_lower(c), 0);
		assert_int_equal(rlx_is_upper(c), 0);
		assert_int_equal(rlx_is_cjk(c), icu_cjk(c));
	}
	assert_int_equal(known, 11172);
	assert_false(rl_hangul_syllable(0xABFF) || rl_hangul_syllable(0xD7A4));
}

static void every_short_string_matches_icu(void **state)
{
	size_t pick[4];
	char s[4 * 4 + 1];

	(void)state;
	for (size_t n = 1; n <= 4; n++) {
		size_t total = 1;

		for (size_t i = 0; i < n; i++)
			total *= NALPHA;
		for (size_t v = 0; v < total; v++) {
			size_t x = v;

			for (size_t i = 0; i < n; i++, x /= NALPHA)
				pick[i] = x % NALPHA;
			same_bounds(s, spell(s, pick, n));
		}
	}
}

/* Longer strings, where a look ahead crosses several characters:
 * letters and spaces weighted up so that they read like text. */
static void random_strings_match_icu(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t pick[40];
	char s[40 * 4 + 1];

	(void)state;
	for (int round = 0; round < 200000; round++) {
		size_t n;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		n = 5 + (size_t)(seed >> 59); /* 5 to 36 */
		for (size_t i = 0; i < n; i++) {
			size_t r;

			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			r = (size_t)(seed >> 33) % (NALPHA + 8);
			/* the extra eight: lower, upper, space and stop again */
			pick[i] = r < NALPHA ? r : (size_t[]){0, 0, 0, 1, 12, 12, 4, 4}[r - NALPHA];
		}
		same_bounds(s, spell(s, pick, n));
	}
}

static void crafted_cases_match_icu(void **state)
{
	static const char *const cases[] = {
	    "The U.S. Forces Korea. The Alliance holds.",
	    "It grew 3.5 percent. It fell.",
	    "See pp. 5-7, etc. and more.",
	    "He said \"Stop.\" Then he left.",
	    "Why?! No. Yes... Maybe.",
	    "Ends with a stop.",
	    "(See Chapter 3.) The next one.",
	    "a.\r\nb. c.\rd.\ne",
	    "Mr. Kim met Gen. Lee. They spoke.",
	    "\xea\xb0\x80. \xeb\x82\x98. \xeb\x8b\xa4.",
	    "\xe6\x88\x91\xe5\x80\x91\xe3\x80\x82\xe4\xbb\x96\xe5\x80\x91\xe3\x80\x82",
	    "The Ministry\xe2\x80\x99s plan. \xe2\x80\x9cNew.\xe2\x80\x9d It works.",
	    "",
	    " ",
	    ". . .",
	    "e.g. this; i.e. that.",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		same_bounds(cases[i], strlen(cases[i]));
}

static void corpus_matches_icu(void **state)
{
	static const char *const files[] = {
	    "../shared/corpus/rok-dwp-2016.txt", "../shared/corpus/rok-dwp-2018.txt",
	    "../shared/corpus/rok-dwp-2020.txt", "../shared/corpus/rok-dwp-2022.txt",
	    "../shared/corpus/rok-dwp-2004-ko.txt"};
	int found = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		rl_buf b = RL_BUF_INIT;
		rl_error err;
		const char *t, *nl;

		if (rl_file_read(files[i], &b, &err) < 0)
			continue;
		found++;
		/* whole, then a line at a time (as paragraphs reach it) */
		same_bounds(rl_buf_cstr(&b), b.len);
		for (t = rl_buf_cstr(&b); (nl = strchr(t, '\n')) != NULL; t = nl + 1)
			same_bounds(t, (size_t)(nl - t));
		rl_buf_free(&b);
	}
	if (!found) {
		printf("corpus absent (../shared/corpus): skipped\n");
		skip();
	}
}

static int collect(void *arg, const char *s, size_t len)
{
	rl_buf *out = arg;

	return rl_buf_put(out, s, len) < 0 || rl_buf_putc(out, '|') < 0 ? -1 : 0;
}

/* redline's rules on top of the boundaries, the same either way. */
/* The plain bytes found eight at a time are the ones whose class starts
 * no rule: every byte value after runs of every length and from every
 * start, against the classes of rlx_ascii_sentence_break. */
static void plain_runs_end_at_the_first_rule(void **state)
{
	char t[40];

	(void)state;
	for (int c = 0; c < 256; c++) {
		int k = c < 0x80 ? rlx_ascii_sentence_break(c) : -1;
		int plain = c < 0x80 && k != U_SB_ATERM && k != U_SB_STERM && k != U_SB_SEP &&
			    k != U_SB_CR && k != U_SB_LF && k != U_SB_EXTEND && k != U_SB_FORMAT;

		for (size_t run = 0; run < 20; run++) {
			memset(t, 'w', sizeof(t));
			t[run] = (char)c;
			t[run + 1] = '.';
			for (size_t from = 0; from <= run; from++) {
				size_t want = plain ? run + 1 : run;

				assert_int_equal(rlx_plain_end(t, from, sizeof(t)), want);
				assert_int_equal(rlx_plain_end(t, from, run + 1),
						 plain ? run + 1 : run);
			}
		}
	}
}

static void abbreviations_join_sentences(void **state)
{
	static const char text[] = "Under Art. 5 the U.S. Forces Korea stay. They train with "
				   "Gen. Kim. The U.S. The Alliance grows.";
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;

	(void)state;
	assert_int_equal(rlx_segment(fast, text, strlen(text), collect, &a), 0);
	assert_int_equal(rlx_segment(icu, text, strlen(text), collect, &b), 0);
	assert_string_equal(rl_buf_cstr(&a),
			    "Under Art. 5 the U.S. Forces Korea stay.|They train with Gen. Kim.|"
			    "The U.S.|The Alliance grows.|");
	assert_string_equal(rl_buf_cstr(&a), rl_buf_cstr(&b));
	rl_buf_free(&a);
	rl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ascii_classes_are_icus),
	    cmocka_unit_test(common_punctuation_is_icus),
	    cmocka_unit_test(hangul_syllables_are_icus),
	    cmocka_unit_test(known_letters_and_marks_are_icus),
	    cmocka_unit_test(marks_come_out_nfc),
	    cmocka_unit_test(every_short_string_matches_icu),
	    cmocka_unit_test(random_strings_match_icu),
	    cmocka_unit_test(crafted_cases_match_icu),
	    cmocka_unit_test(corpus_matches_icu),
	    cmocka_unit_test(abbreviations_join_sentences),
	    cmocka_unit_test(plain_runs_end_at_the_first_rule),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
