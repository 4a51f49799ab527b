/* Unit tests of the structure model: headings, lists with their lead-in,
 * items with labels, nesting by label style, lists that continue across
 * a page break or an item's explanation, structure.json both ways. The
 * seed page goes through the extractor first, as the archive has it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "redline/extract.h"
#include "redline/structure.h"
#include "redline/util.h"

#define SEED   "tests/fixtures/seed/seed-page-085.txt"
#define CORPUS "../shared/corpus/rok-dwp-2020.txt"

/* Canonical text of raw plain-text pages, as `redline fetch` makes it. */
static char *canonical(const char *const *paths, size_t n)
{
	rl_buf raw[4];
	rl_raw_page pages[4];
	rl_text t;
	rl_error err;
	char *out;

	assert_true(n <= 4);
	memset(&t, 0, sizeof(t));
	memset(pages, 0, sizeof(pages));
	for (size_t i = 0; i < n; i++) {
		rl_buf_init(&raw[i]);
		assert_int_equal(rl_file_read(paths[i], &raw[i], &err), 0);
		pages[i].number = 85 + (int)i;
		pages[i].data = raw[i].ptr;
		pages[i].len = raw[i].len;
		pages[i].content_type = "text/plain";
	}
	assert_int_equal(rl_extract(&t, pages, n, NULL, &err), 0);
	out = rl_buf_detach(&t.text, NULL);
	rl_text_free(&t);
	for (size_t i = 0; i < n; i++)
		rl_buf_free(&raw[i]);
	return out;
}

static char *seed_text(void)
{
	const char *p = SEED;

	return canonical(&p, 1);
}

static rl_structure *parse(const char *text)
{
	rl_structure *s;
	rl_error err;

	assert_int_equal(rl_structure_parse(&s, text, strlen(text), &err), 0);
	return s;
}

static char *read_fixture(const char *path)
{
	rl_buf b = RL_BUF_INIT;
	rl_error err;

	assert_int_equal(rl_file_read(path, &b, &err), 0);
	return rl_buf_detach(&b, NULL);
}

/* The line of text (1-based), without its newline. */
static char *line_of(const char *text, size_t line)
{
	const char *p = text;

	while (--line && (p = strchr(p, '\n')))
		p++;
	assert_non_null(p);
	return strndup(p, strcspn(p, "\n"));
}

static void seed_page_has_one_list_of_four(void **state)
{
	char *text = seed_text();
	rl_structure *s = parse(text);
	static const char *const labels[] = {"a.", "b.", "c.", "d."};

	(void)state;
	assert_int_equal(s->n_headings, 2);
	assert_string_equal(s->headings[1].text, "Future ROK–US Alliance Defense Vision");
	assert_int_equal(s->headings[1].level, 1);
	assert_int_equal(s->n_lists, 1);
	assert_string_equal(s->lists[0].lead_in, "These principles include:");
	assert_int_equal(s->lists[0].n_items, 4);
	assert_int_equal(s->n_items, 4);
	for (size_t i = 0; i < 4; i++) {
		char *line = line_of(text, s->items[i].line);

		assert_string_equal(s->items[i].label, labels[i]);
		assert_int_equal(s->items[i].depth, 0);
		assert_int_equal(s->items[i].lines, 1);
		/* the item is its line: label, a space, its text */
		assert_int_equal(strncmp(line, labels[i], 2), 0);
		assert_string_equal(line + 3, s->items[i].text);
		assert_int_equal(strncmp(s->items[i].id, "p-", 2), 0);
		free(line);
	}
	assert_string_equal(s->items[1].text,
			    "Respect for sovereignty and independence of all nations;");
	rl_structure_free(s);
	free(text);
}

/* Page 85 ends after b.; page 86 starts with its running title, page
 * marker, a page number and the repeated heading, then c. and d. */
static void list_split_over_a_page_break_is_one_list(void **state)
{
	char *seed = read_fixture(SEED), *text;
	const char *split = strstr(seed, "c. Peaceful");
	const char *paths[] = {"build/tests/split-85.txt", "build/tests/split-86.txt"};
	FILE *f;
	rl_structure *s;

	(void)state;
	assert_non_null(split);
	f = fopen(paths[0], "w");
	assert_non_null(f);
	fwrite(seed, 1, (size_t)(split - seed), f);
	fputs("Appendix\n", f);
	fclose(f);
	f = fopen(paths[1], "w");
	assert_non_null(f);
	fputs("Page 86 - 2020 Defence White Paper\nP. 86\nAppendix\n15\n"
	      "Future ROK–US Alliance Defense Vision\n",
	      f);
	fputs(split, f);
	fclose(f);
	text = canonical(paths, 2);
	s = parse(text);
	assert_int_equal(s->n_lists, 1);
	assert_int_equal(s->n_items, 4);
	assert_string_equal(s->items[2].label, "c.");
	assert_int_equal(s->items[2].list, 0);
	assert_int_equal(s->items[3].list, 0);
	rl_structure_free(s);
	free(text);
	free(seed);
}

/* Whatever the extractor leaves between two pages (a page number, a
 * blank line), the next item in sequence continues the list; an item out
 * of sequence after prose starts a new one. */
static void prose_between_items_keeps_the_sequence(void **state)
{
	rl_structure *s =
	    parse("These principles include:\na. One;\nb. Two;\n\n15\n\nc. Three; and\n"
		  "d. Four.\n\nLater prose.\na. Another list;\nb. Its second item.\n");

	(void)state;
	assert_int_equal(s->n_lists, 2);
	assert_int_equal(s->lists[0].n_items, 4);
	assert_string_equal(s->lists[0].lead_in, "These principles include:");
	assert_int_equal(s->lists[1].n_items, 2);
	assert_string_equal(s->lists[1].lead_in, "Later prose.");
	assert_int_equal(s->items[4].list, 1);
	rl_structure_free(s);
}

/* 가. 나. 다. with (1) (2) (3) under 다.; the explanation of (1) runs on
 * in paragraphs before (2). From the 2004 Korean edition. */
static void nested_korean_lists_from_the_corpus(void **state)
{
	char *text = read_fixture("tests/fixtures/principles/nested-ko.md");
	rl_structure *s = parse(text);

	(void)state;
	assert_int_equal(s->n_lists, 2);
	assert_int_equal(s->lists[0].depth, 0);
	assert_int_equal(s->lists[0].n_items, 4); /* 가 나 다 라 */
	assert_int_equal(s->lists[1].depth, 1);
	assert_int_equal(s->lists[1].n_items, 3); /* (1) (2) (3) */
	assert_string_equal(s->items[0].label, "가.");
	assert_string_equal(s->items[2].label, "다.");
	assert_string_equal(s->items[3].label, "(1)");
	assert_int_equal(s->items[3].depth, 1);
	assert_int_equal(s->items[3].list, 1);
	/* the item's next sentence is its text too, up to the blank line */
	assert_int_equal(s->items[3].lines, 2);
	assert_non_null(strstr(s->items[3].text, "모든 주권국가는"));
	assert_string_equal(s->items[4].label, "(2)");
	assert_string_equal(s->items[6].label, "라.");
	assert_int_equal(s->items[6].depth, 0);
	assert_int_equal(s->items[6].list, 0);
	rl_structure_free(s);
	free(text);
}

/* (1) .. (7) with (a) .. (f) under (5), led in by (5)'s last sentence. */
static void nested_english_lists_from_the_corpus(void **state)
{
	char *text = read_fixture("tests/fixtures/principles/nested-en.md");
	rl_structure *s = parse(text);

	(void)state;
	assert_int_equal(s->n_lists, 2);
	assert_int_equal(s->lists[0].n_items, 7);
	assert_int_equal(s->lists[1].n_items, 6);
	assert_int_equal(s->lists[1].depth, 1);
	assert_string_equal(s->lists[1].lead_in,
			    "As for the defense management, the following efforts have been made:");
	assert_string_equal(s->items[5].label, "(a)");
	assert_int_equal(s->items[5].list, 1);
	assert_string_equal(s->items[11].label, "(6)");
	assert_int_equal(s->items[11].depth, 0);
	assert_int_equal(s->items[11].list, 0);
	assert_string_equal(s->items[12].text, "Implementing defense policies that are respectful "
					       "of the people.");
	rl_structure_free(s);
	free(text);
}

static void letters_that_look_like_numerals(void **state)
{
	rl_structure *s =
	    parse("Steps:\nh. Eighth;\ni. Ninth;\nj. Tenth.\n\nRoman:\ni. One;\nii. Two;\n"
		  "iii. Three;\niv. Four;\nv. Five.\n");

	(void)state;
	assert_int_equal(s->n_lists, 2);
	assert_int_equal(s->lists[0].n_items, 3);
	assert_int_equal(s->lists[1].n_items, 5);
	assert_string_equal(s->items[7].label, "v.");
	assert_int_equal(s->items[7].list, 1);
	rl_structure_free(s);
}

static void headings_end_lists(void **state)
{
	rl_structure *s =
	    parse("# One\n\na. First;\nb. Second.\n\n## Two\n\nc. Not a continuation.\n"
		  "#hashtag is no heading\n");

	(void)state;
	assert_int_equal(s->n_headings, 2);
	assert_int_equal(s->headings[1].level, 2);
	assert_string_equal(s->headings[1].text, "Two");
	assert_int_equal(s->n_lists, 2);
	assert_null(s->lists[1].lead_in);
	rl_structure_free(s);
}

static void same_text_twice_gets_two_ids(void **state)
{
	rl_structure *s = parse("Rules:\n1. None.\n2. None.\n");

	(void)state;
	assert_int_equal(s->n_items, 2);
	assert_string_not_equal(s->items[0].id, s->items[1].id);
	rl_structure_free(s);
}

static void json_round_trip(void **state)
{
	char *text = read_fixture("tests/fixtures/principles/nested-en.md");
	rl_structure *s = parse(text), *back;
	rl_buf json = RL_BUF_INIT, again = RL_BUF_INIT;
	rl_error err;

	(void)state;
	assert_int_equal(rl_structure_to_json(s, &json, &err), 0);
	assert_int_equal(rl_structure_from_json(&back, json.ptr, json.len, &err), 0);
	assert_int_equal(back->n_items, s->n_items);
	assert_int_equal(back->n_lists, s->n_lists);
	assert_int_equal(back->n_headings, s->n_headings);
	for (size_t i = 0; i < s->n_items; i++) {
		assert_string_equal(back->items[i].id, s->items[i].id);
		assert_string_equal(back->items[i].label, s->items[i].label);
		assert_string_equal(back->items[i].text, s->items[i].text);
		assert_int_equal(back->items[i].list, s->items[i].list);
		assert_int_equal(back->items[i].depth, s->items[i].depth);
		assert_int_equal(back->items[i].line, s->items[i].line);
	}
	assert_string_equal(back->lists[1].lead_in, s->lists[1].lead_in);
	assert_int_equal(rl_structure_to_json(back, &again, &err), 0);
	assert_string_equal(again.ptr, json.ptr);
	rl_buf_free(&json);
	rl_buf_free(&again);
	rl_structure_free(s);
	rl_structure_free(back);
	free(text);
}

/* A structure parsed without its items' ids is the parsed one once it
 * is given them. Before, it is not written as JSON (an archived
 * structure.json has every id), nor compared, nor carried from: an
 * error says why. Ids carried to it are given it first. */
static void ids_given_later_are_the_ids(void **state)
{
	char *text = read_fixture("tests/fixtures/principles/nested-en.md");
	rl_structure *s = parse(text), *later, *carried;
	rl_principles_diff *d = NULL;
	rl_buf json = RL_BUF_INIT;
	rl_error err;

	(void)state;
	assert_int_equal(rl_structure_parse_lines(&later, text, strlen(text), &err), 0);
	assert_true(later->ids_pending);
	assert_int_equal(later->n_items, s->n_items);
	assert_true(s->n_items > 0);
	for (size_t i = 0; i < later->n_items; i++)
		assert_null(later->items[i].id);
	assert_int_equal(rl_structure_to_json(later, &json, &err), RL_EINVALID);
	assert_non_null(strstr(err.message, "no ids"));
	assert_int_equal(rl_principles_compare(&d, s, later, &err), RL_EINVALID);
	assert_null(d);
	assert_non_null(strstr(err.message, "no ids"));
	assert_int_equal(rl_structure_carry_ids(s, later, &err), RL_EINVALID);
	assert_int_equal(rl_structure_parse_lines(&carried, text, strlen(text), &err), 0);
	assert_int_equal(rl_structure_carry_ids(carried, s, &err), 0);
	assert_false(carried->ids_pending);
	for (size_t i = 0; i < s->n_items; i++)
		assert_string_equal(carried->items[i].id, s->items[i].id);
	rl_structure_free(carried);
	assert_int_equal(rl_structure_fresh_ids(later, &err), 0);
	assert_false(later->ids_pending);
	for (size_t i = 0; i < s->n_items; i++)
		assert_string_equal(later->items[i].id, s->items[i].id);
	assert_int_equal(rl_structure_to_json(later, &json, &err), 0);
	rl_buf_free(&json);
	rl_structure_free(s);
	rl_structure_free(later);
	free(text);
}

static void damaged_json_is_an_error_or_what_could_be_read(void **state)
{
	static const char bad[] = "{\"items\": [";
	static const char odd[] =
	    "{\"lists\": [], \"items\": [{\"id\": \"p-1\", \"list\": 99, \"label\": 5},"
	    " 17, {\"label\": \"b.\"}]}";
	rl_structure *s = NULL;
	rl_error err;

	(void)state;
	assert_int_equal(rl_structure_from_json(&s, bad, strlen(bad), &err), RL_EINVALID);
	assert_null(s);
	assert_non_null(strstr(err.message, "structure.json"));
	assert_int_equal(rl_structure_from_json(&s, odd, strlen(odd), &err), 0);
	assert_int_equal(s->n_items, 1); /* items without an id are dropped */
	assert_int_equal(s->items[0].list, 0);
	assert_string_equal(s->items[0].label, "");
	rl_structure_free(s);
}

/* The whole 2020 edition: every item found sits on its line with its label. */
static void corpus_items_sit_on_their_lines(void **state)
{
	const char *path = CORPUS;
	FILE *probe = fopen(path, "r");
	char *text;
	rl_structure *s;
	size_t nested = 0;

	(void)state;
	if (!probe) {
		printf("corpus absent (%s): skipped\n", path);
		skip();
	}
	fclose(probe);
	text = canonical(&path, 1);
	s = parse(text);
	assert_true(s->n_items > 50);
	assert_true(s->n_headings > 50);
	for (size_t i = 0; i < s->n_items; i++) {
		char *line = line_of(text, s->items[i].line);

		assert_int_equal(strncmp(line, s->items[i].label, strlen(s->items[i].label)), 0);
		assert_true(s->items[i].list >= 0 && (size_t)s->items[i].list < s->n_lists);
		nested += s->items[i].depth > 0;
		free(line);
	}
	printf("2020 edition: %zu items in %zu lists (%zu nested), %zu headings\n", s->n_items,
	       s->n_lists, nested, s->n_headings);
	rl_structure_free(s);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(seed_page_has_one_list_of_four),
	    cmocka_unit_test(list_split_over_a_page_break_is_one_list),
	    cmocka_unit_test(prose_between_items_keeps_the_sequence),
	    cmocka_unit_test(nested_korean_lists_from_the_corpus),
	    cmocka_unit_test(nested_english_lists_from_the_corpus),
	    cmocka_unit_test(letters_that_look_like_numerals),
	    cmocka_unit_test(headings_end_lists),
	    cmocka_unit_test(same_text_twice_gets_two_ids),
	    cmocka_unit_test(json_round_trip),
	    cmocka_unit_test(ids_given_later_are_the_ids),
	    cmocka_unit_test(damaged_json_is_an_error_or_what_could_be_read),
	    cmocka_unit_test(corpus_items_sit_on_their_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
