/* Items and headings align as units: an item inserted into a list is one
 * inserted line and the items after it show their labels changed, and
 * nothing else; the same for an item removed, a heading inserted, and
 * lists of other scripts. The stats count the alignment shown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "redline/diff.h"
#include "redline/util.h"

static rl_diff *diff(const char *a, const char *b)
{
	rl_diff *d = NULL;
	rl_error err;

	assert_int_equal(rl_diff_texts(&d, a, strlen(a), b, strlen(b), NULL, &err), 0);
	return d;
}

/* The changes as "kind old|new" lines, in order. */
static char *changes(const rl_diff *d)
{
	rl_buf b = RL_BUF_INIT;

	for (size_t i = 0; i < d->n_changes; i++) {
		const rl_change *c = &d->changes[i];

		rl_buf_printf(&b, "%s %.*s|%.*s\n", rl_change_kind_name(c->kind),
			      (int)(c->old_end - c->old_start), d->old_text.ptr + c->old_start,
			      (int)(c->new_end - c->new_start), d->new_text.ptr + c->new_start);
	}
	return rl_buf_detach(&b, NULL);
}

static void expect(const char *a, const char *b, const char *want, size_t ins, size_t del)
{
	rl_diff *d = diff(a, b);
	char *got = changes(d);

	if (strcmp(got, want) != 0)
		fail_msg("changes:\n%s\nwant:\n%s", got, want);
	for (size_t i = 0; i < d->n_changes; i++)
		assert_int_equal(d->changes[i].cls, RL_CLASS_STRUCTURE);
	assert_int_equal(d->stats.inserted, ins);
	assert_int_equal(d->stats.deleted, del);
	free(got);
	rl_diff_free(d);
}

static void item_inserted_before_others(void **state)
{
	(void)state;
	expect("The principles are:\n"
	       "a. Peace through strength;\n"
	       "b. Respect for sovereignty of all nations;\n"
	       "c. Peaceful resolution of disputes.\n",
	       "The principles are:\n"
	       "a. Peace through strength;\n"
	       "b. Commitment to the rule of law;\n"
	       "c. Respect for sovereignty of all nations;\n"
	       "d. Peaceful resolution of disputes.\n",
	       "insert |b. Commitment to the rule of law;\n"
	       "replace b|c\n"
	       "replace c|d\n",
	       /* the new item's label and 6 words, two new labels */ 7 + 2, 2);
}

static void item_removed_from_the_middle(void **state)
{
	(void)state;
	expect("Aims:\n(1) Deter war;\n(2) Defend the nation;\n(3) Keep the peace.\n",
	       "Aims:\n(1) Deter war;\n(2) Keep the peace.\n",
	       "delete (2) Defend the nation;|\n"
	       "replace 3|2\n",
	       1, 4 + 1);
}

static void items_of_other_scripts(void **state)
{
	(void)state;
	expect("원칙:\n가. 평화\n나. 협력\n", "원칙:\n가. 억제\n나. 평화\n다. 협력\n",
	       "insert |가. 억제\n"
	       "replace 가|나\n"
	       "replace 나|다\n",
	       2 + 2, 2);
	/* circled numbers are labels, not words */
	expect("Aims:\n\xe2\x91\xa0 Peace and trust\n\xe2\x91\xa1 Strength\n",
	       "Aims:\n\xe2\x91\xa0 Dialogue first\n\xe2\x91\xa1 Peace and trust\n"
	       "\xe2\x91\xa2 Strength\n",
	       "insert |\xe2\x91\xa0 Dialogue first\n"
	       "replace \xe2\x91\xa0|\xe2\x91\xa1\n"
	       "replace \xe2\x91\xa1|\xe2\x91\xa2\n",
	       2, 0);
}

static void heading_inserted_before_another(void **state)
{
	(void)state;
	/* the new heading and its text, not "#" left to the next heading */
	expect("# Deterrence\n\nThe first pillar.\n\n# Alliance\n\nThe second pillar.\n",
	       "# Deterrence\n\nThe first pillar.\n\n# Cyber\n\nThe new pillar.\n\n"
	       "# Alliance\n\nThe second pillar.\n",
	       "insert |# Cyber\n\nThe new pillar.\n", 4, 0);
}

/* A reworded item keeps its label; a relabelled one changes only that. */
static void reworded_and_relabelled_items(void **state)
{
	rl_diff *d = diff("Aims:\n(iv) Peace and trust\n(v) Strength\n",
			  "Aims:\n(v) Peace and trust\n(vi) Strength at sea\n");
	char *got = changes(d);

	(void)state;
	assert_string_equal(got, "replace iv|v\n"
				 "replace v|vi\n"
				 "insert |at sea\n");
	free(got);
	rl_diff_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(item_inserted_before_others),
	    cmocka_unit_test(item_removed_from_the_middle),
	    cmocka_unit_test(items_of_other_scripts),
	    cmocka_unit_test(heading_inserted_before_another),
	    cmocka_unit_test(reworded_and_relabelled_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
