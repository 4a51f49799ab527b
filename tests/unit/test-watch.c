/* Unit tests: watched terms, whole words, case-insensitive, phrases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
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
	const char *new_ =
	    "The Alliance is the cornerstone.\nComplete denuclearization is the goal.\n"
	    "Denuclearization remains.\n";
	rl_strv terms = RL_STRV_INIT;
	rl_watch_hit *hits;
	size_t n;
	rl_error err;

	(void)state;
	rl_strv_push(&terms, "linchpin");
	rl_strv_push(&terms, "denuclearization");
	rl_strv_push(&terms, "alliance");
	assert_int_equal(
	    rl_watch_compare(&hits, &n, old, strlen(old), new_, strlen(new_), &terms, &err), 0);
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

static rl_watch_hit *compare1(const char *old, const char *new_, const char *term, size_t *n)
{
	rl_strv terms = RL_STRV_INIT;
	rl_watch_hit *hits;
	rl_error err;

	rl_strv_push(&terms, term);
	assert_int_equal(
	    rl_watch_compare(&hits, n, old, strlen(old), new_, strlen(new_), &terms, &err), 0);
	rl_strv_free(&terms);
	return hits;
}

/* 0 -> 1 and 1 -> 0: the sentence where it appeared or disappeared. */
static void appearing_and_disappearing(void **state)
{
	const char *a = "North Korea is a threat.\nPeace is the goal.\n";
	const char *b = "North Korea's regime and military are our enemy.\nPeace is the goal.\n";
	rl_watch_hit *h;
	size_t n;

	(void)state;
	h = compare1(a, b, "our enemy", &n);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].before, 0);
	assert_int_equal(h[0].after, 1);
	assert_int_equal(h[0].contexts.n, 1);
	assert_string_equal(h[0].contexts.v[0], "North Korea's regime and military are our enemy.");
	rl_watch_hits_free(h, n);
	h = compare1(b, a, "Our Enemy", &n);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].before, 1);
	assert_int_equal(h[0].after, 0);
	assert_string_equal(h[0].contexts.v[0], "North Korea's regime and military are our enemy.");
	rl_watch_hits_free(h, n);
	/* the same count, the term moved to another sentence: no entry */
	h = compare1("We deter the enemy.\nPeace.\n", "Peace.\nThe enemy is deterred.\n", "enemy",
		     &n);
	assert_int_equal(n, 0);
	rl_watch_hits_free(h, n);
}

/* 1 -> 2: only the new sentence, not the one that was there already. */
static void changing_count_names_only_the_changed_sentence(void **state)
{
	const char *a = "Complete denuclearization is the goal.\nTalks continue.\n";
	const char *b = "Complete denuclearization is the goal.\nTalks on denuclearization and "
			"DENUCLEARIZATION continue.\n";
	rl_watch_hit *h;
	size_t n;

	(void)state;
	h = compare1(a, b, "denuclearization", &n);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].before, 1);
	assert_int_equal(h[0].after, 3);
	assert_int_equal(h[0].contexts.n, 1);
	assert_string_equal(h[0].contexts.v[0],
			    "Talks on denuclearization and DENUCLEARIZATION continue.");
	rl_watch_hits_free(h, n);
	h = compare1(b, a, "denuclearization", &n);
	assert_int_equal(h[0].after, 1);
	assert_int_equal(h[0].contexts.n, 1);
	rl_watch_hits_free(h, n);
}

/* A phrase split by a sentence break (a line in canonical text) counts,
 * and its context is both sentences. */
static void phrase_across_sentences(void **state)
{
	const char *a = "They called it our\nenemy of old.\n";
	const char *b = "They called it ours.\nAn enemy of old.\n";
	rl_watch_hit *h;
	size_t n, *at, *end;
	rl_error err;

	(void)state;
	assert_int_equal(rl_watch_find(a, strlen(a), "our enemy", &at, &end, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(at[0], 15);
	assert_memory_equal(a + at[0], "our\nenemy", end[0] - at[0]);
	free(at);
	free(end);
	h = compare1(a, b, "our enemy", &n);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].after, 0);
	assert_string_equal(h[0].contexts.v[0], "They called it our enemy of old.");
	rl_watch_hits_free(h, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(whole_words_any_case),
	    cmocka_unit_test(phrases_cross_whitespace_and_lines),
	    cmocka_unit_test(korean_terms_take_particles),
	    cmocka_unit_test(compare_reports_changed_counts_with_sentences),
	    cmocka_unit_test(appearing_and_disappearing),
	    cmocka_unit_test(changing_count_names_only_the_changed_sentence),
	    cmocka_unit_test(phrase_across_sentences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
