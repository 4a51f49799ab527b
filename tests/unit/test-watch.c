/* Unit tests: watched terms, whole words, case-insensitive, phrases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "redline/watch.h"

static size_t count(const char *text, const char *term)
{
	return rl_watch_count(text, strlen(text), term);
}

static void whole_words_any_case(void **state)
{
	(void)state;
	assert_int_equal(count("Our enemy, the ENEMY; enemies and frenemy.", "enemy"), 2);
	assert_int_equal(count("denuclearization.\nDenuclearization", "denuclearization"), 2);
	assert_int_equal(count("nothing here", "enemy"), 0);
	assert_int_equal(count("", "enemy"), 0);
}

static void phrases_cross_whitespace_and_lines(void **state)
{
	(void)state;
	assert_int_equal(count("North Korea is our\nenemy. our  enemy", "our enemy"), 2);
	assert_int_equal(count("your enemy", "our enemy"), 0);
	assert_int_equal(count("our enemy's", "our enemy"), 1);
}

static void korean_terms_take_particles(void **state)
{
	(void)state;
	/* 북한군은 / 북한군을: the particle attaches, the term still counts. */
	assert_int_equal(count("북한군은 적이다. 북한군을 억제한다.", "북한군"), 2);
}

static void compare_reports_changed_counts_with_sentences(void **state)
{
	const char *old = "The Alliance is the linchpin.\nComplete denuclearization is the goal.\n";
	const char *new_ = "The Alliance is the cornerstone.\nComplete denuclearization is the goal.\n"
			   "Denuclearization remains.\n";
	rl_strv terms = RL_STRV_INIT;
	rl_watch_hit *hits;
	size_t n;
	rl_error err;

	(void)state;
	rl_strv_push(&terms, "linchpin");
	rl_strv_push(&terms, "denuclearization");
	rl_strv_push(&terms, "alliance");
	assert_int_equal(rl_watch_compare(&hits, &n, old, strlen(old), new_, strlen(new_), &terms,
					  &err),
			 0);
	/* "alliance" did not change count: no entry. */
	assert_int_equal(n, 2);
	assert_string_equal(hits[0].term, "linchpin");
	assert_int_equal(hits[0].before, 1);
	assert_int_equal(hits[0].after, 0);
	assert_int_equal(hits[0].contexts.n, 1);
	assert_string_equal(hits[0].contexts.v[0], "The Alliance is the linchpin.");
	assert_string_equal(hits[1].term, "denuclearization");
	assert_int_equal(hits[1].before, 1);
	assert_int_equal(hits[1].after, 2);
	rl_watch_hits_free(hits, n);
	rl_strv_free(&terms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_words_any_case),
		cmocka_unit_test(phrases_cross_whitespace_and_lines),
		cmocka_unit_test(korean_terms_take_particles),
		cmocka_unit_test(compare_reports_changed_counts_with_sentences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
