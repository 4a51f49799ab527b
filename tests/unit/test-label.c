/* Unit tests: labels of enumerated items as printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "redline/label.h"

static void labels_are_recognized(void **state)
{
	static const struct {
		const char *line;
		rl_label_style style;
		rl_label_form form;
		int ordinal;
		const char *label;
	} ok[] = {
	    {"a. Striving towards peace", RL_LABEL_LOWER_ALPHA, RL_LABEL_DOT, 1, "a."},
	    {"d. Adherence to rules", RL_LABEL_LOWER_ALPHA, RL_LABEL_DOT, 4, "d."},
	    {"B) second", RL_LABEL_UPPER_ALPHA, RL_LABEL_PAREN, 2, "B)"},
	    {"(c) third", RL_LABEL_LOWER_ALPHA, RL_LABEL_ENCLOSED, 3, "(c)"},
	    {"(1) first", RL_LABEL_DECIMAL, RL_LABEL_ENCLOSED, 1, "(1)"},
	    {"12. twelfth", RL_LABEL_DECIMAL, RL_LABEL_DOT, 12, "12."},
	    {"3) three", RL_LABEL_DECIMAL, RL_LABEL_PAREN, 3, "3)"},
	    {"iv. fourth", RL_LABEL_LOWER_ROMAN, RL_LABEL_DOT, 4, "iv."},
	    {"(ix) ninth", RL_LABEL_LOWER_ROMAN, RL_LABEL_ENCLOSED, 9, "(ix)"},
	    {"XII. Twelve", RL_LABEL_UPPER_ROMAN, RL_LABEL_DOT, 12, "XII."},
	    {"i. one", RL_LABEL_LOWER_ROMAN, RL_LABEL_DOT, 1, "i."},
	    {"I. Introduction", RL_LABEL_UPPER_ROMAN, RL_LABEL_DOT, 1, "I."},
	    {"v. vee", RL_LABEL_LOWER_ALPHA, RL_LABEL_DOT, 22, "v."},
	    {"• bullet", RL_LABEL_BULLET, RL_LABEL_BARE, 0, "•"},
	    {"- dash", RL_LABEL_BULLET, RL_LABEL_BARE, 0, "-"},
	    {"가. 확고한 국방태세 확립", RL_LABEL_HANGUL, RL_LABEL_DOT, 1, "가."},
	    {"다. 일관된 국방개혁", RL_LABEL_HANGUL, RL_LABEL_DOT, 3, "다."},
	    {"(나) 둘째", RL_LABEL_HANGUL, RL_LABEL_ENCLOSED, 2, "(나)"},
	    {"① 첫째", RL_LABEL_CIRCLED, RL_LABEL_BARE, 1, "①"},
	    {"⑳ twenty", RL_LABEL_CIRCLED, RL_LABEL_BARE, 20, "⑳"},
	    {"ア 防衛力の抜本的強化", RL_LABEL_KATAKANA, RL_LABEL_BARE, 1, "ア"},
	    {"ウ． 推進", RL_LABEL_KATAKANA, RL_LABEL_DOT, 3, "ウ．"},
	    {"（イ） 強化", RL_LABEL_KATAKANA, RL_LABEL_ENCLOSED, 2, "（イ）"},
	};
	static const char *const not_labels[] = {
	    "U.S. Forces Korea",
	    "No. 5 of the",
	    "e.g. the ROK",
	    "2019. The year",
	    "1.5 million troops",
	    "a.",
	    "(a)",
	    "ROK–US Alliance",
	    "The ROK and the US",
	    "I think so",
	    "가나다",
	    "다.",
	    "Art. 5 applies",
	    "",
	    "(1)(2) x",
	    "abc. not a label",
	};
	rl_label l;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		size_t n = strlen(ok[i].line);

		if (!rl_label_match(ok[i].line, n, &l))
			fail_msg("'%s' is a label", ok[i].line);
		assert_int_equal(l.style, ok[i].style);
		assert_int_equal(l.form, ok[i].form);
		assert_int_equal(l.ordinal, ok[i].ordinal);
		assert_int_equal(l.len, strlen(ok[i].label));
		assert_memory_equal(ok[i].line, ok[i].label, l.len);
		assert_true(l.skip > l.len && ok[i].line[l.skip] != ' ');
	}
	for (size_t i = 0; i < sizeof(not_labels) / sizeof(not_labels[0]); i++)
		if (rl_label_match(not_labels[i], strlen(not_labels[i]), &l))
			fail_msg("'%s' is no label", not_labels[i]);
}

/* "i." is the ninth letter after "h." and Roman one after nothing; "v."
 * is Roman five after "iv." and the letter v after "u.". */
static void the_previous_label_settles_letters_and_numerals(void **state)
{
	rl_label h, iv, u, l;

	(void)state;
	assert_true(rl_label_match("h. eighth", 9, &h));
	assert_true(rl_label_match_next("i. ninth", 8, &h, &l));
	assert_int_equal(l.style, RL_LABEL_LOWER_ALPHA);
	assert_int_equal(l.ordinal, 9);
	assert_true(rl_label_match_next("i. one", 6, NULL, &l));
	assert_int_equal(l.style, RL_LABEL_LOWER_ROMAN);
	assert_true(rl_label_match("iv. four", 8, &iv));
	assert_true(rl_label_match_next("v. five", 7, &iv, &l));
	assert_int_equal(l.style, RL_LABEL_LOWER_ROMAN);
	assert_int_equal(l.ordinal, 5);
	assert_true(rl_label_match("u. letter", 9, &u));
	assert_true(rl_label_match_next("v. letter", 9, &u, &l));
	assert_int_equal(l.style, RL_LABEL_LOWER_ALPHA);
	assert_int_equal(l.ordinal, 22);
}

/* A line of sixteen bytes or more is first looked at sixteen at a time
 * (is it a word, not a label?), a shorter one a byte at a time: the
 * same first bytes give the same label either way. Random lines of the
 * bytes labels are made of, and of those around them (a space, a '.' or
 * ')' past the twelfth byte, a byte of UTF-8), are matched whole (40
 * bytes) and cut to 15; where either finds a label whose text starts
 * inside the first 14 bytes, both find it. */
static void long_and_short_lines_match_alike(void **state)
{
	static const char alphabet[] = "abivxAB12. .)(  \xC3\xA9wz";
	uint32_t seed = 99;
	char line[41];

	(void)state;
	for (int round = 0; round < 200000; round++) {
		rl_label a, b;
		int ma, mb;

		for (int i = 0; i < 40; i++) {
			seed = seed * 1103515245u + 12345u;
			line[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		line[40] = '\0';
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		ma = rl_label_match(line, 40, &a);
		mb = rl_label_match(line, 15, &b);
		if ((ma && a.skip < 14) || (mb && b.skip < 14)) {
			if (ma != mb || a.len != b.len || a.skip != b.skip || a.style != b.style ||
			    a.ordinal != b.ordinal)
				fail_msg("'%.40s': %d (%zu, %zu) whole, %d (%zu, %zu) cut", line,
					 ma, a.len, a.skip, mb, b.len, b.skip);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(labels_are_recognized),
	    cmocka_unit_test(the_previous_label_settles_letters_and_numerals),
	    cmocka_unit_test(long_and_short_lines_match_alike),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
