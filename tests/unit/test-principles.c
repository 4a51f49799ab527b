/* Unit tests of principles across versions: ids follow content (a
 * relabel keeps the id, a small rewording keeps it, a new item gets a
 * fresh one), the optimal assignment, and what rl_principles_compare
 * says for the seed page inserted into, reworded, cut and reordered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "redline/extract.h"
#include "redline/report.h"
#include "redline/structure.h"
#include "redline/util.h"

#define SEED "tests/fixtures/seed/seed-page-085.txt"

/* The seed page's b. to d., and the same with a principle inserted as b. */
static const char b_old[] =
    "b. Respect for sovereignty and independence of all nations;\n"
    "c. Peaceful resolution of disputes in accordance with internationally established laws "
    "and norms; and\n"
    "d. Adherence to";
static const char b_new[] =
    "b. Commitment to the rule of law and to human rights;\n"
    "c. Respect for sovereignty and independence of all nations;\n"
    "d. Peaceful resolution of disputes in accordance with internationally established laws "
    "and norms; and\n"
    "e. Adherence to";

static char *seed_text(void)
{
	rl_buf raw = RL_BUF_INIT;
	rl_raw_page page;
	rl_text t;
	rl_error err;
	char *out;

	memset(&t, 0, sizeof(t));
	memset(&page, 0, sizeof(page));
	assert_int_equal(rl_file_read(SEED, &raw, &err), 0);
	page.data = raw.ptr;
	page.len = raw.len;
	page.content_type = "text/plain";
	assert_int_equal(rl_extract(&t, &page, 1, NULL, &err), 0);
	out = rl_buf_detach(&t.text, NULL);
	rl_text_free(&t);
	rl_buf_free(&raw);
	return out;
}

/* text with its first `from` replaced by `to` (which must be there). */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	rl_buf b = RL_BUF_INIT;

	assert_non_null(at);
	rl_buf_put(&b, text, (size_t)(at - text));
	rl_buf_puts(&b, to);
	rl_buf_puts(&b, at + strlen(from));
	return rl_buf_detach(&b, NULL);
}

static rl_structure *parse(const char *text)
{
	rl_structure *s;
	rl_error err;

	assert_int_equal(rl_structure_parse(&s, text, strlen(text), &err), 0);
	return s;
}

/* The next version's structure, ids carried from prev. */
static rl_structure *next(const rl_structure *prev, const char *text)
{
	rl_structure *s = parse(text);
	rl_error err;

	assert_int_equal(rl_structure_carry_ids(s, prev, &err), 0);
	return s;
}

static rl_principles_diff *compare(const rl_structure *a, const rl_structure *b)
{
	rl_principles_diff *d;
	rl_error err;

	assert_int_equal(rl_principles_compare(&d, a, b, &err), 0);
	return d;
}

static const rl_item *by_text(const rl_structure *s, const char *prefix)
{
	for (size_t i = 0; i < s->n_items; i++)
		if (strncmp(s->items[i].text, prefix, strlen(prefix)) == 0)
			return &s->items[i];
	fail_msg("no item starting '%s'", prefix);
	return NULL;
}

static void insertion_is_one_added_and_relabels(void **state)
{
	char *v1 = seed_text(), *v2 = edit(v1, b_old, b_new);
	rl_structure *s1 = parse(v1), *s2 = next(s1, v2);
	rl_principles_diff *d = compare(s1, s2);

	(void)state;
	assert_int_equal(d->n_added, 1);
	assert_string_equal(d->added[0].label, "b.");
	assert_string_equal(d->added[0].text, "Commitment to the rule of law and to human rights;");
	assert_int_equal(d->n_removed, 0);
	assert_int_equal(d->n_reworded, 0);
	assert_int_equal(d->n_reordered, 0);
	assert_int_equal(d->n_relabelled, 3);
	assert_string_equal(d->relabelled[0].old_label, "b.");
	assert_string_equal(d->relabelled[0].new_label, "c.");
	assert_int_equal(rl_principles_diff_count(d), 1);
	/* "Respect for sovereignty" kept its id through the relabel */
	assert_string_equal(by_text(s1, "Respect")->id, by_text(s2, "Respect")->id);
	assert_string_equal(by_text(s2, "Respect")->label, "c.");
	assert_string_equal(d->relabelled[0].id, by_text(s2, "Respect")->id);
	/* the new item's id is its own */
	for (size_t i = 0; i < s1->n_items; i++)
		assert_string_not_equal(s1->items[i].id, d->added[0].id);
	rl_principles_diff_free(d);
	rl_structure_free(s1);
	rl_structure_free(s2);
	free(v1);
	free(v2);
}

static void rewording_keeps_the_id_with_its_word_diff(void **state)
{
	char *v1 = seed_text(), *v2 = edit(v1, "c. Peaceful resolution", "c. Peaceful settlement");
	rl_structure *s1 = parse(v1), *s2 = next(s1, v2);
	rl_principles_diff *d = compare(s1, s2);
	rl_diff *wd;
	rl_error err;

	(void)state;
	assert_int_equal(d->n_reworded, 1);
	assert_int_equal(d->n_added + d->n_removed + d->n_relabelled + d->n_reordered, 0);
	assert_string_equal(d->reworded[0].label, "c.");
	assert_string_equal(d->reworded[0].id, by_text(s1, "Peaceful")->id);
	assert_non_null(strstr(d->reworded[0].old_text, "resolution of disputes"));
	assert_non_null(strstr(d->reworded[0].new_text, "settlement of disputes"));
	assert_int_equal(rl_reworded_diff(&wd, &d->reworded[0], &err), 0);
	assert_int_equal(wd->n_changes, 1);
	assert_int_equal(wd->changes[0].kind, RL_CHANGE_REPLACE);
	assert_memory_equal(wd->old_text.ptr + wd->changes[0].old_start, "resolution", 10);
	assert_memory_equal(wd->new_text.ptr + wd->changes[0].new_start, "settlement", 10);
	rl_diff_free(wd);
	rl_principles_diff_free(d);
	rl_structure_free(s1);
	rl_structure_free(s2);
	free(v1);
	free(v2);
}

static void removal_is_one_removed(void **state)
{
	char *v1 = seed_text(),
	     *v2 = edit(v1,
			"b. Respect for sovereignty and independence of all "
			"nations;\n",
			""),
	     *v3;
	rl_structure *s1 = parse(v1), *s2, *s3;
	rl_principles_diff *d;

	(void)state;
	v3 = edit(v2, "c. Peaceful", "b. Peaceful");
	free(v2);
	v2 = edit(v3, "d. Adherence", "c. Adherence");
	s2 = next(s1, v2);
	d = compare(s1, s2);
	assert_int_equal(d->n_removed, 1);
	assert_string_equal(d->removed[0].text,
			    "Respect for sovereignty and independence of all nations;");
	assert_int_equal(d->n_added + d->n_reworded + d->n_reordered, 0);
	assert_int_equal(d->n_relabelled, 2);
	rl_principles_diff_free(d);
	/* the same removal without relabelling the rest */
	s3 = next(s1, v3);
	d = compare(s1, s3);
	assert_int_equal(d->n_removed, 1);
	assert_int_equal(d->n_relabelled, 1);
	rl_principles_diff_free(d);
	rl_structure_free(s1);
	rl_structure_free(s2);
	rl_structure_free(s3);
	free(v1);
	free(v2);
	free(v3);
}

static void swap_is_one_reordered(void **state)
{
	char *v1 = seed_text(), *tmp, *v2;
	rl_structure *s1 = parse(v1), *s2;
	rl_principles_diff *d;

	(void)state;
	/* b. and c. trade places, labels staying in sequence */
	tmp = edit(v1, "b. Respect for sovereignty and independence of all nations;\n",
		   "b. Peaceful resolution of disputes in accordance with internationally "
		   "established laws and norms; and\n");
	v2 = edit(tmp,
		  "c. Peaceful resolution of disputes in accordance with internationally "
		  "established laws and norms; and\n",
		  "c. Respect for sovereignty and independence of all nations;\n");
	s2 = next(s1, v2);
	d = compare(s1, s2);
	assert_int_equal(d->n_reordered, 1);
	assert_int_equal(d->n_added + d->n_removed + d->n_reworded, 0);
	assert_int_equal(d->n_relabelled, 2);
	assert_string_equal(by_text(s1, "Respect")->id, by_text(s2, "Respect")->id);
	assert_string_equal(by_text(s1, "Peaceful")->id, by_text(s2, "Peaceful")->id);
	rl_principles_diff_free(d);
	rl_structure_free(s1);
	rl_structure_free(s2);
	free(v1);
	free(v2);
	free(tmp);
}

/* An item repeated word for word, one copy gone: the copy that kept its
 * place among the items around it is the one kept, the other removed.
 * Paired in order, the first copy was kept (moved after B, B read as
 * reordered) and the second, which had not moved, removed. */
static void repeated_item_keeps_the_copy_in_place(void **state)
{
	rl_structure *s1 = parse("Sanctions:\n- Adds dual-use control items\n- Bans exports of "
				 "lead\n- Adds dual-use control items\n");
	rl_structure *s2 = next(s1, "Sanctions:\n- Bans exports of lead\n- Adds dual-use control "
				    "items\n");
	rl_principles_diff *d = compare(s1, s2);

	(void)state;
	assert_int_equal(d->n_removed, 1);
	assert_int_equal(d->n_reordered + d->n_added + d->n_reworded, 0);
	assert_string_equal(d->removed[0].id, s1->items[0].id);
	assert_string_equal(s2->items[1].id, s1->items[2].id);
	rl_principles_diff_free(d);
	/* the other way round: a copy added before B is the one added */
	rl_structure_free(s2);
	s2 = parse("Sanctions:\n- Bans exports of lead\n- Adds dual-use control items\n");
	rl_structure_free(s1);
	s1 = next(s2, "Sanctions:\n- Adds dual-use control items\n- Bans exports of lead\n- "
		      "Adds dual-use control items\n");
	d = compare(s2, s1);
	assert_int_equal(d->n_added, 1);
	assert_int_equal(d->n_reordered + d->n_removed + d->n_reworded, 0);
	assert_string_equal(s1->items[2].id, s2->items[1].id);
	rl_principles_diff_free(d);
	rl_structure_free(s1);
	rl_structure_free(s2);
}

/* Forty "None." among forty other items, the tenth gone: that one is the
 * one removed, and no item reads as reordered. */
static void many_copies_keep_their_places(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	rl_structure *s1, *s2;
	rl_principles_diff *d;

	(void)state;
	rl_buf_puts(&a, "Findings:\n");
	rl_buf_puts(&b, "Findings:\n");
	for (int i = 0; i < 40; i++) {
		rl_buf_printf(&a, "- None.\n- Finding number %d of the review.\n", i);
		if (i != 9)
			rl_buf_puts(&b, "- None.\n");
		rl_buf_printf(&b, "- Finding number %d of the review.\n", i);
	}
	s1 = parse(a.ptr);
	s2 = next(s1, b.ptr);
	d = compare(s1, s2);
	assert_int_equal(d->n_removed, 1);
	assert_int_equal(d->n_reordered + d->n_added + d->n_reworded, 0);
	assert_string_equal(d->removed[0].id, s1->items[18].id);
	assert_string_equal(s2->items[18].id, s1->items[19].id);
	assert_string_equal(s2->items[19].id, s1->items[20].id);
	rl_principles_diff_free(d);
	rl_structure_free(s1);
	rl_structure_free(s2);
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* Old A is close to both new X and new Y (closest to Y); old B only to
 * Y. Taking A's best pair first (greedy) strands B, which would read as
 * removed and X as added; the optimal assignment pairs A with X and B
 * with Y: two rewordings. */
static void assignment_is_optimal_where_greedy_is_not(void **state)
{
	const char *v1 = "Items:\n"
			 "a. alpha beta gamma delta epsilon zeta eta theta;\n"
			 "b. alpha beta gamma mu nu xi eta kappa.\n";
	const char *v2 = "Items:\n"
			 "a. alpha beta gamma delta epsilon zeta iota lambda;\n"
			 "b. alpha beta gamma delta epsilon zeta eta kappa.\n";
	rl_structure *s1 = parse(v1), *s2 = next(s1, v2);
	rl_principles_diff *d = compare(s1, s2);
	const char *a = s1->items[0].text, *b = s1->items[1].text;
	const char *x = s2->items[0].text, *y = s2->items[1].text;

	(void)state;
	/* the trap: A-Y is the best single pair, B has only Y */
	assert_true(rl_principles_similarity(a, y) > rl_principles_similarity(a, x));
	assert_true(rl_principles_similarity(a, x) >= 0.5);
	assert_true(rl_principles_similarity(b, y) >= 0.5);
	assert_true(rl_principles_similarity(b, x) < 0.5);
	assert_int_equal(d->n_added, 0);
	assert_int_equal(d->n_removed, 0);
	assert_int_equal(d->n_reworded, 2);
	assert_string_equal(s2->items[0].id, s1->items[0].id);
	assert_string_equal(s2->items[1].id, s1->items[1].id);
	rl_principles_diff_free(d);
	rl_structure_free(s1);
	rl_structure_free(s2);
}

/* Through four versions, stored and read back as structure.json each
 * time, the item keeps one id. */
static void ids_are_stable_through_history(void **state)
{
	char *v[4], *t;
	rl_structure *prev = NULL;
	char first_id[64] = "";

	(void)state;
	v[0] = seed_text();
	v[1] = edit(v[0], b_old, b_new);
	t = edit(v[1], "d. Peaceful resolution", "d. Peaceful settlement");
	v[2] = t;
	v[3] = edit(v[2], "complete denuclearization", "lasting peace");
	for (int i = 0; i < 4; i++) {
		rl_structure *s = parse(v[i]), *back;
		rl_buf json = RL_BUF_INIT;
		rl_error err;

		if (prev)
			assert_int_equal(rl_structure_carry_ids(s, prev, &err), 0);
		assert_int_equal(rl_structure_to_json(s, &json, &err), 0);
		assert_int_equal(rl_structure_from_json(&back, json.ptr, json.len, &err), 0);
		if (!first_id[0])
			snprintf(first_id, sizeof(first_id), "%s", by_text(back, "Respect")->id);
		assert_string_equal(by_text(back, "Respect")->id, first_id);
		rl_structure_free(prev);
		rl_structure_free(s);
		rl_buf_free(&json);
		prev = back;
	}
	assert_string_equal(by_text(prev, "Peaceful settlement")->id,
			    by_text(prev, "Peaceful settlement")->id);
	rl_structure_free(prev);
	for (int i = 0; i < 4; i++)
		free(v[i]);
}

/* A new item worded like one that was reworded away must not take the
 * id the reworded one kept. */
static void new_item_never_takes_a_kept_id(void **state)
{
	const char *v1 = "List:\na. Keep the peace on the peninsula;\nb. Respect all nations.\n";
	const char *v2 = "List:\na. Keep the lasting peace on the peninsula;\n"
			 "b. Keep the peace on the peninsula, always;\nc. Respect all nations.\n";
	rl_structure *s1 = parse(v1), *s2 = next(s1, v2);

	(void)state;
	for (size_t i = 0; i < s2->n_items; i++)
		for (size_t j = i + 1; j < s2->n_items; j++)
			assert_string_not_equal(s2->items[i].id, s2->items[j].id);
	rl_structure_free(s1);
	rl_structure_free(s2);
}

static void unrelated_item_is_removed_and_added(void **state)
{
	const char *v1 = "List:\na. Peace through strength;\nb. Respect all nations.\n";
	const char *v2 = "List:\na. Cyber and space are new domains;\nb. Respect all nations.\n";
	rl_structure *s1 = parse(v1), *s2 = next(s1, v2);
	rl_principles_diff *d = compare(s1, s2);

	(void)state;
	assert_int_equal(d->n_added, 1);
	assert_int_equal(d->n_removed, 1);
	assert_int_equal(d->n_reworded, 0);
	rl_principles_diff_free(d);
	d = compare(NULL, s2);
	assert_int_equal(d->n_added, 2);
	rl_principles_diff_free(d);
	d = compare(s2, s2);
	assert_true(rl_principles_diff_empty(d));
	rl_principles_diff_free(d);
	rl_structure_free(s1);
	rl_structure_free(s2);
}

/* An item that gained a sentence at its end is that item reworded, the
 * sentence longer than the item was (the words' overlap 0.43, under the
 * 0.5 that pairs items); and the other way round, one that lost it. An
 * item of one or two words is not taken for the start of a longer one. */
static void extended_item_is_reworded(void **state)
{
	const char *v1 = "List:\na. Keep the peace;\n"
			 "b. Peaceful resolution of disputes by law; and\n";
	const char *v2 = "List:\na. Keep the peace;\n"
			 "b. Peaceful resolution of disputes by law; and to this end the allies "
			 "decide to deepen and expand the degree and scope of their defense "
			 "cooperation against new threats.\n";
	const char *v3 = "List:\na. Keep the peace;\nb. Security;\n";
	const char *v4 = "List:\na. Keep the peace;\nb. Security of the seas, the air and space.\n";
	rl_structure *s1 = parse(v1), *s2 = next(s1, v2), *s3 = next(s2, v1);
	rl_structure *s4 = parse(v3), *s5 = next(s4, v4);
	rl_principles_diff *d = compare(s1, s2);

	(void)state;
	assert_true(rl_principles_similarity(by_text(s1, "Peaceful")->text,
					     by_text(s2, "Peaceful")->text) < 0.5);
	assert_int_equal(d->n_reworded, 1);
	assert_int_equal(d->n_added + d->n_removed, 0);
	assert_string_equal(by_text(s1, "Peaceful")->id, by_text(s2, "Peaceful")->id);
	rl_principles_diff_free(d);
	/* the sentence taken away again */
	d = compare(s2, s3);
	assert_int_equal(d->n_reworded, 1);
	assert_int_equal(d->n_added + d->n_removed, 0);
	assert_string_equal(by_text(s2, "Peaceful")->id, by_text(s3, "Peaceful")->id);
	rl_principles_diff_free(d);
	/* "Security" is one word: the longer item is another */
	d = compare(s4, s5);
	assert_int_equal(d->n_added, 1);
	assert_int_equal(d->n_removed, 1);
	assert_int_equal(d->n_reworded, 0);
	rl_principles_diff_free(d);
	rl_structure_free(s1);
	rl_structure_free(s2);
	rl_structure_free(s3);
	rl_structure_free(s4);
	rl_structure_free(s5);
}

/* The id of the one item of "a. <text>". */
static char *item_id(const char *text)
{
	rl_buf b = RL_BUF_INIT;
	rl_structure *s;
	char *id;

	rl_buf_puts(&b, "a. ");
	rl_buf_puts(&b, text);
	rl_buf_puts(&b, "\n");
	s = parse(rl_buf_cstr(&b));
	assert_int_equal(s->n_items, 1);
	id = strdup(s->items[0].id);
	assert_non_null(id);
	rl_structure_free(s);
	rl_buf_free(&b);
	return id;
}

/* text with byte at replaced by `with`. */
static char *replaced(const char *text, size_t at, const char *with)
{
	rl_buf b = RL_BUF_INIT;

	rl_buf_put(&b, text, at);
	rl_buf_puts(&b, with);
	rl_buf_puts(&b, text + at + 1);
	return rl_buf_detach(&b, NULL);
}

/* text with byte at replaced by `with` has id `id` (same) or another. */
static void id_after_replacing(const char *text, size_t at, const char *with, const char *id,
			       int same)
{
	char *v = replaced(text, at, with), *vid = item_id(v);

	if (same && strcmp(vid, id) != 0)
		fail_msg("'%s' has id %s, not %s", v, vid, id);
	if (!same && strcmp(vid, id) == 0)
		fail_msg("'%s' has the id of '%s'", v, text);
	free(v);
	free(vid);
}

/* An item's id is its words': any space doubled or made a tab, any
 * letter's case changed leave it; any other byte changed does not. Tried at
 * every byte of a text long enough to be read sixteen bytes at a time,
 * and of the same behind words of 1 to 16 letters, so that every space
 * and letter falls at each place of sixteen bytes (the normalization
 * reads them so where it can). */
static void ids_ignore_case_and_spacing_anywhere(void **state)
{
	static const char words[] = "Abcdefghijklmnop";
	static const char *const spaces[] = {"  ", "\t", " \t ", "\v", "   ", " \f", "\r "};

	(void)state;
	for (size_t shift = 0; shift <= 16; shift++) {
		rl_buf b = RL_BUF_INIT;
		const char *text;
		char *id;

		if (shift) {
			rl_buf_put(&b, words, shift);
			rl_buf_puts(&b, " ");
		}
		rl_buf_puts(&b,
			    "Strengthening the combined defense posture of the Republic of "
			    "Korea and the United States [@ Zones A-Z], by land, sea and air; and");
		text = rl_buf_cstr(&b);
		id = item_id(text);
		for (size_t at = 0; text[at]; at++) {
			char c = text[at], other[2] = {(char)(c ^ 0x20), 0};

			for (size_t k = 0; c == ' ' && k < sizeof(spaces) / sizeof(*spaces); k++)
				id_after_replacing(text, at, spaces[k], id, 1);
			if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
				id_after_replacing(text, at, other, id, 1); /* the other case */
				other[0] = (c | 0x20) == 'q' ? 'z' : 'q';
				id_after_replacing(text, at, other, id, 0);
			} else if (c != ' ' && other[0] > ' ' && other[0] <= '~') {
				/* a sign beside the capitals, and its twin beside
				 * the small letters, are not one letter's cases */
				id_after_replacing(text, at, other, id, 0);
			}
		}
		free(id);
		rl_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(insertion_is_one_added_and_relabels),
	    cmocka_unit_test(rewording_keeps_the_id_with_its_word_diff),
	    cmocka_unit_test(removal_is_one_removed),
	    cmocka_unit_test(swap_is_one_reordered),
	    cmocka_unit_test(repeated_item_keeps_the_copy_in_place),
	    cmocka_unit_test(many_copies_keep_their_places),
	    cmocka_unit_test(assignment_is_optimal_where_greedy_is_not),
	    cmocka_unit_test(ids_are_stable_through_history),
	    cmocka_unit_test(new_item_never_takes_a_kept_id),
	    cmocka_unit_test(unrelated_item_is_removed_and_added),
	    cmocka_unit_test(extended_item_is_reworded),
	    cmocka_unit_test(ids_ignore_case_and_spacing_anywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
