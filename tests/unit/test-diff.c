/* Unit tests of the differ: crafted cases (empty, identical, all
 * different, repeated sentences, moved blocks, CJK, classes and flags)
 * and properties on random edits of real text: the operations rebuild
 * both texts, stats add up to each side's words, a move carries the same
 * words at both ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "redline/diff.h"
#include "diff-check.h"
#include "../../archive/diff-internal.h"
#include "redline/util.h"

static rl_diff *diff(const char *a, const char *b)
{
	rl_diff *d = NULL;
	rl_error err;

	assert_int_equal(rl_diff_texts(&d, a, strlen(a), b, strlen(b), NULL, &err), 0);
	assert_non_null(d);
	return d;
}

static size_t words_of(const char *t)
{
	rl_diff *d = diff(t, "");
	size_t n = d->stats.deleted;

	assert_int_equal(d->stats.common + d->stats.moved + d->stats.inserted, 0);
	rl_diff_free(d);
	return n;
}

static void assert_text(const rl_buf *b, size_t s, size_t e, const char *want)
{
	assert_int_equal(e - s, strlen(want));
	assert_memory_equal(b->ptr + s, want, e - s);
}

/* The operations must cover both texts in order and rebuild them. */
static void check_ops(const rl_diff *d, const char *a, size_t al, const char *b, size_t bl)
{
	rl_buf ra = RL_BUF_INIT, rb = RL_BUF_INIT;
	size_t oc = 0, nc = 0, *first, *last;

	for (size_t i = 0; i < d->n_ops; i++) {
		const rl_op *o = &d->ops[i];

		if (o->kind != RL_OP_INSERT) {
			assert_int_equal(o->old_start, oc);
			rl_buf_put(&ra, d->old_text.ptr + o->old_start, o->old_end - o->old_start);
			oc = o->old_end;
		}
		if (o->kind != RL_OP_DELETE) {
			assert_int_equal(o->new_start, nc);
			rl_buf_put(&rb, d->new_text.ptr + o->new_start, o->new_end - o->new_start);
			nc = o->new_end;
		}
		if (o->kind == RL_OP_EQUAL) {
			assert_int_equal(o->old_end - o->old_start, o->new_end - o->new_start);
			assert_memory_equal(d->old_text.ptr + o->old_start,
					    d->new_text.ptr + o->new_start,
					    o->old_end - o->old_start);
			assert_int_equal(o->change, -1);
		} else {
			assert_true(o->change >= 0 && (size_t)o->change < d->n_changes);
		}
	}
	assert_int_equal(ra.len, al);
	assert_int_equal(rb.len, bl);
	assert_memory_equal(rl_buf_cstr(&ra), al ? a : "", al);
	assert_memory_equal(rl_buf_cstr(&rb), bl ? b : "", bl);
	rl_buf_free(&ra);
	rl_buf_free(&rb);
	/* Changes come in the order of the new text, and a move has the same
	 * words at both ends. */
	first = malloc((d->n_changes + 1) * sizeof(*first));
	last = malloc((d->n_changes + 1) * sizeof(*last));
	assert_true(first && last);
	for (size_t i = 0; i < d->n_changes; i++)
		first[i] = SIZE_MAX;
	for (size_t o = 0; o < d->n_ops; o++)
		if (d->ops[o].change >= 0) {
			if (first[d->ops[o].change] == SIZE_MAX)
				first[d->ops[o].change] = o;
			last[d->ops[o].change] = o;
		}
	for (size_t i = 0; i < d->n_changes; i++) {
		const rl_change *c = &d->changes[i];

		if (i)
			assert_true(c->new_start >= d->changes[i - 1].new_start);
		assert_true(c->old_start <= c->old_end && c->old_end <= al);
		assert_true(c->new_start <= c->new_end && c->new_end <= bl);
		if (c->kind == RL_CHANGE_MOVE) {
			/* the same words; line breaks inside may differ */
			rl_buf x = RL_BUF_INIT, y = RL_BUF_INIT;

			for (size_t k = c->old_start; k < c->old_end; k++)
				rl_buf_putc(&x, a[k] == '\n' ? ' ' : a[k]);
			for (size_t k = c->new_start; k < c->new_end; k++)
				rl_buf_putc(&y, b[k] == '\n' ? ' ' : b[k]);
			assert_string_equal(rl_buf_cstr(&x), rl_buf_cstr(&y));
			rl_buf_free(&x);
			rl_buf_free(&y);
		}
		if (c->kind == RL_CHANGE_INSERT)
			assert_int_equal(c->old_start, c->old_end);
		if (c->kind == RL_CHANGE_DELETE)
			assert_int_equal(c->new_start, c->new_end);
		/* a change shows something that differs: its ops, from its first
		 * to its last, do not read the same in both texts */
		if (c->kind == RL_CHANGE_REPLACE && first[i] != SIZE_MAX) {
			const rl_op *f = &d->ops[first[i]], *l = &d->ops[last[i]];

			if (l->old_end - f->old_start == l->new_end - f->new_start)
				assert_memory_not_equal(a + f->old_start, b + f->new_start,
							l->old_end - f->old_start);
		}
	}
	free(first);
	free(last);
}

static void empty_texts_are_equal(void **state)
{
	rl_diff *d = diff("", "");

	(void)state;
	assert_int_equal(d->n_changes, 0);
	assert_int_equal(d->cls, RL_CLASS_NONE);
	assert_int_equal(d->stats.common + d->stats.inserted + d->stats.deleted, 0);
	rl_diff_free(d);
	d = diff("", "One new sentence.\n");
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->changes[0].kind, RL_CHANGE_INSERT);
	assert_int_equal(d->stats.inserted, 3);
	assert_text(&d->new_text, d->changes[0].new_start, d->changes[0].new_end,
		    "One new sentence.");
	rl_diff_free(d);
}

/* A side with lines and no token (blank lines only) has no token array:
 * the line moves' look ahead through its lines must not index one. */
static void text_against_blank_lines(void **state)
{
	rl_buf blank = RL_BUF_INIT;
	rl_diff *d;

	(void)state;
	for (int i = 0; i < 100; i++)
		rl_buf_putc(&blank, '\n');
	d = diff("Words on a line.\nMore words on another line.\n", rl_buf_cstr(&blank));
	assert_int_equal(d->stats.deleted, 9);
	assert_int_equal(d->stats.common + d->stats.inserted, 0);
	rl_diff_free(d);
	d = diff(rl_buf_cstr(&blank), "Words on a line.\n");
	assert_int_equal(d->stats.inserted, 4);
	assert_int_equal(d->stats.common + d->stats.deleted, 0);
	rl_diff_free(d);
	rl_buf_free(&blank);
}

static void identical_texts_have_no_change(void **state)
{
	const char *t = "# Chapter 1\n\nThe ROK–US Alliance has grown.\nIt is robust.\n";
	rl_diff *d = diff(t, t);

	(void)state;
	assert_int_equal(d->n_changes, 0);
	assert_int_equal(d->stats.common, 11); /* ROK–US is two words */
	assert_int_equal(rl_diff_words_changed(d), 0);
	check_ops(d, t, strlen(t), t, strlen(t));
	rl_diff_free(d);
}

static void all_different_is_one_replace(void **state)
{
	const char *a = "Alpha beta gamma.", *b = "Delta epsilon zeta eta.";
	rl_diff *d = diff(a, b);

	(void)state;
	assert_int_equal(d->stats.common, 0);
	assert_int_equal(d->stats.deleted, 3);
	assert_int_equal(d->stats.inserted, 4);
	/* the period is common, and shown inside the change: the sentence
	 * was rewritten but for it */
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->changes[0].kind, RL_CHANGE_REPLACE);
	assert_int_equal(d->changes[0].cls, RL_CLASS_WORDING);
	assert_text(&d->old_text, d->changes[0].old_start, d->changes[0].old_end,
		    "Alpha beta gamma.");
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
}

static void one_word_replaced(void **state)
{
	const char *a = "North Korea is our enemy.\n", *b = "North Korea is our partner.\n";
	rl_diff *d = diff(a, b);

	(void)state;
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->changes[0].kind, RL_CHANGE_REPLACE);
	assert_text(&d->old_text, d->changes[0].old_start, d->changes[0].old_end, "enemy");
	assert_text(&d->new_text, d->changes[0].new_start, d->changes[0].new_end, "partner");
	assert_int_equal(d->changes[0].old_line, 1);
	assert_int_equal(d->stats.common, 4);
	assert_int_equal(rl_diff_words_changed(d), 1);
	rl_diff_free(d);
}

/* A sentence rewritten but for its first word and its full stop is shown
 * rewritten whole, the word and the stop inside the change: it read
 * "In [-2017, the sixth ...-]{+addition, threats ...+}." as confetti.
 * The counts stay the alignment's: "In" is a word kept. */
static void rewritten_sentence_is_shown_whole(void **state)
{
	const char *a = "Intro stays here.\n"
			"In 2017, the sixth nuclear test heightened tensions on the peninsula.\n"
			"Outro stays here.\n",
		   *b = "Intro stays here.\n"
			"In addition, threats such as disasters are emerging as challenges.\n"
			"Outro stays here.\n";
	rl_diff *d = diff(a, b);

	(void)state;
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->changes[0].kind, RL_CHANGE_REPLACE);
	assert_text(&d->old_text, d->changes[0].old_start, d->changes[0].old_end,
		    "In 2017, the sixth nuclear test heightened tensions on the peninsula.");
	assert_text(&d->new_text, d->changes[0].new_start, d->changes[0].new_end,
		    "In addition, threats such as disasters are emerging as challenges.");
	assert_int_equal(d->stats.common, 7);
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
}

/* What stayed of a sentence is shown where it is more than a word, or
 * more than a fifth of the sentence. */
static void sentence_keeps_what_stayed(void **state)
{
	const char *a = "Intro stays here.\n"
			"Political and economic unrest remains unabated across many regions of "
			"the continent owing to persisting problems of weak governance.\n"
			"Seoul grew.\nOutro stays here.\n",
		   *b = "Intro stays here.\n"
			"Political and economic instability continues as power struggles "
			"between factions and violent extremists go on.\n"
			"Seoul shrank.\nOutro stays here.\n";
	rl_diff *d = diff(a, b);

	(void)state;
	assert_int_equal(d->n_changes, 2);
	assert_text(&d->old_text, d->changes[0].old_start, d->changes[0].old_end,
		    "unrest remains unabated across many regions of the continent owing to "
		    "persisting problems of weak governance");
	assert_text(&d->old_text, d->changes[1].old_start, d->changes[1].old_end, "grew");
	assert_text(&d->new_text, d->changes[1].new_start, d->changes[1].new_end, "shrank");
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
}

/* Words that moved away are no change beside the word that stayed: "and"
 * is as long as "Quux", changed after it, but nothing changed before it
 * in place (the eight words before it moved), so it stays. */
static void word_kept_beside_words_moved_away(void **state)
{
	const char *mid = "One middle sentence stays.\nTwo middle sentences stay.\n"
			  "Three middle sentences stay.\nFour middle sentences stay.\n";
	char a[512], b[512];
	rl_diff *d;
	size_t and_at;

	(void)state;
	snprintf(a, sizeof(a),
		 "Intro stays here.\nalpha beta gamma delta epsilon zeta eta theta and Quux.\n%s"
		 "Outro stays here.\n",
		 mid);
	snprintf(b, sizeof(b),
		 "Intro stays here.\nand Rrrr.\n%salpha beta gamma delta epsilon zeta eta theta "
		 "iota.\nOutro stays here.\n",
		 mid);
	d = diff(a, b);
	assert_int_equal(d->stats.moved, 8);
	and_at = (size_t)(strstr(a, "and Quux") - a);
	for (size_t i = 0; i < d->n_ops; i++)
		if (d->ops[i].old_start <= and_at && and_at < d->ops[i].old_end)
			assert_int_equal(d->ops[i].kind, RL_OP_EQUAL);
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
}

static void repeated_sentences_count_once(void **state)
{
	const char *a = "The sea is calm.\nThe sea is calm.\nThe sea is calm.\n";
	const char *b = "The sea is calm.\nThe sea is calm.\n";
	rl_diff *d = diff(a, b);

	(void)state;
	assert_int_equal(d->stats.common, 8);
	assert_int_equal(d->stats.deleted, 4);
	assert_int_equal(d->stats.moved, 0);
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->changes[0].kind, RL_CHANGE_DELETE);
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
}

static void moved_block_is_one_move(void **state)
{
	const char *p1 = "The first paragraph speaks of deterrence and of the alliance that "
			 "keeps the peace on the peninsula.\n\n";
	const char *p2 = "The second paragraph tells how the reserve forces are trained every "
			 "year in new ways.\n\n";
	const char *p3 = "The third paragraph closes the chapter with a look at the budget.\n";
	char a[1024], b[1024];
	rl_diff *d;
	rl_diff_opts no = {1};
	rl_error err;

	(void)state;
	snprintf(a, sizeof(a), "%s%s%s", p1, p2, p3);
	snprintf(b, sizeof(b), "%s%s%s", p2, p1, p3);
	d = diff(a, b);
	/* one clean move: the "The" every paragraph starts with goes along */
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->changes[0].kind, RL_CHANGE_MOVE);
	assert_int_equal(d->stats.moved, 15);
	assert_int_equal(d->stats.inserted + d->stats.deleted, 0);
	assert_int_equal(rl_diff_words_changed(d), 0);
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
	/* without moves: a deletion and an insertion */
	assert_int_equal(rl_diff_texts(&d, a, strlen(a), b, strlen(b), &no, &err), 0);
	assert_int_equal(d->stats.moved, 0);
	assert_true(d->n_changes >= 2);
	for (size_t i = 0; i < d->n_changes; i++)
		assert_int_not_equal(d->changes[i].kind, RL_CHANGE_MOVE);
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
}

/* A sentence aligned in place when moved sentences are looked for, and
 * freed by one of them: moving "Korea and in. peace and korea." up takes
 * the words that held b's "Korea and in." (line 7) in place, and that
 * sentence is then a move of its own, from a's line 9, not a word
 * changed in the sentence after it. (Found by fuzzing: moved sentences
 * hash b's lines in place only once they are reached.) */
static void sentence_freed_by_a_move_moves(void **state)
{
	const char *a = "to defense.\nKorea and in.\n\nMilitary a.\nPeace in of korea north.\n"
			"Peace and korea.\n\nKorea and in. peace and korea.\nKorea and in.\n\n"
			"Security peace and korea.\n";
	const char *b = "to defense.\nKorea and in. peace and korea.\n\nMilitary a.\n"
			"Peace and korea.\n\nKorea and in.\nKorea security in.\n\n"
			"Security peace and korea.\n\nPeace in of korea north.\n";
	rl_diff *d;
	int freed = 0;

	(void)state;
	d = diff(a, b);
	for (size_t i = 0; i < d->n_changes; i++) {
		const rl_change *c = &d->changes[i];

		if (c->kind == RL_CHANGE_MOVE && c->old_line == 9 && c->new_line == 7) {
			assert_int_equal(c->old_words, 3);
			freed++;
		}
		/* the sentence after it is new, whole */
		if (c->new_line == 8)
			assert_int_equal(c->kind, RL_CHANGE_INSERT);
	}
	assert_int_equal(freed, 1);
	assert_int_equal(d->stats.moved, 14);
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
}

/* A sentence aligned in place is not a move onto itself: the first two
 * sentences move to the end, after "Allies a alliance forces.", whose
 * first words are aligned in place and whose last ones were left free
 * (a's "alliance" went to the changed sentence before it). Those free
 * words were found as a block and grown to the whole sentence, which
 * was then reported moved from a's line 4 to b's line 3, its own place;
 * now the sentence is aligned in place whole. (Found by fuzzing: 17 of
 * 200 generated pairs had such moves.) */
static void sentence_in_place_is_not_moved(void **state)
{
	const char *a = "3.5 south budgets alliance grew will cooperation yearly 3.5 not.\n"
			"3.5 of defense south the reserves forces security.\n"
			"Security korea defense (1) south alliance.\n"
			"Allies a alliance forces.\n";
	const char *b = "south will 3.5 not end.\n"
			"3.5 security not. korea defense (1) south alliance talks.\n"
			"Allies a alliance forces.\n"
			"3.5 south budgets alliance grew will cooperation yearly 3.5 not.\n"
			"3.5 of defense south the reserves forces security.\n";
	rl_diff *d;
	size_t moves = 0;

	(void)state;
	d = diff(a, b);
	for (size_t i = 0; i < d->n_changes; i++) {
		const rl_change *c = &d->changes[i];

		if (c->kind != RL_CHANGE_MOVE)
			continue;
		moves++;
		/* the first two sentences, and nothing else */
		assert_true(c->old_line <= 2);
		assert_true(c->new_line >= 4);
	}
	assert_true(moves >= 1);
	assert_int_equal(d->stats.moved, 18);
	assert_int_equal(d->stats.common, 9);
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
}

/* A sentence the same on both sides is not shown replaced by itself:
 * the heading and the sentence after it move to the top, and
 * "Alliance 2020 2020 a.." stays where it was, the first of its words
 * aligned in place, one "2020" with the other's and the rest free. Kept
 * from moving onto its own place, it showed "[-2020 2020-]{+2020 2020+}";
 * it is aligned in place whole. (Found by fuzzing.) */
static void sentence_in_place_is_not_replaced_by_itself(void **state)
{
	const char *a = "korea plans cooperation.\n"
			"d. Forces alliance policy a. will strengthen north.\n"
			"Alliance 2020 2020 a..\n"
			"# Budget 2020 3.5 grew a 3.5 won to end long war here.\n"
			"A security a first always.\n";
	const char *b = "# Budget 2020 3.5 grew a 3.5 won to end long war here.\n"
			"A security a first always.\n"
			"# korea plans cooperation.\n"
			"d. Forces alliance policy a. will strengthen north.\n"
			"Alliance 2020 2020 a..\n";
	rl_diff *d;

	(void)state;
	d = diff(a, b);
	for (size_t i = 0; i < d->n_changes; i++) {
		const rl_change *c = &d->changes[i];

		size_t ol = c->old_end - c->old_start, nl = c->new_end - c->new_start;

		if (c->kind != RL_CHANGE_MOVE && ol == nl && ol)
			assert_true(memcmp(d->old_text.ptr + c->old_start,
					   d->new_text.ptr + c->new_start, ol) != 0);
		/* the heading and the sentence after it, and nothing else */
		if (c->kind == RL_CHANGE_MOVE)
			assert_true(c->old_line >= 4);
	}
	assert_int_equal(d->stats.moved, 17);
	assert_int_equal(d->stats.inserted + d->stats.deleted, 0);
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
}

/* A change whose two sides read the same (the same words deleted and
 * inserted in one place, or two items' labels printed alike) is taken
 * out: its ops become equal, the changes after it keep their ops, the
 * class follows what is left, and the counts stay the alignment's. */
static void change_that_reads_the_same_is_dropped(void **state)
{
	static const char a[] = "The plan. It holds. End.", b[] = "The plan. It holds. End!";
	static const rl_op ops[] = {
	    {RL_OP_EQUAL, 0, 10, 0, 10, 0, -1},   {RL_OP_DELETE, 10, 19, 10, 10, 0, 0},
	    {RL_OP_INSERT, 19, 19, 10, 19, 0, 0}, {RL_OP_EQUAL, 19, 23, 19, 23, 0, -1},
	    {RL_OP_DELETE, 23, 24, 23, 23, 0, 1}, {RL_OP_INSERT, 24, 24, 23, 24, 0, 1},
	};
	static const rl_change changes[] = {
	    {.kind = RL_CHANGE_REPLACE,
	     .cls = RL_CLASS_WORDING,
	     .old_start = 10,
	     .old_end = 19,
	     .new_start = 10,
	     .new_end = 19,
	     .old_words = 2,
	     .new_words = 2},
	    {.kind = RL_CHANGE_REPLACE,
	     .cls = RL_CLASS_COSMETIC,
	     .old_start = 23,
	     .old_end = 24,
	     .new_start = 23,
	     .new_end = 24},
	};
	rl_diff *d = dc_diff_made(a, b, ops, sizeof(ops) / sizeof(*ops), changes,
				  sizeof(changes) / sizeof(*changes));

	(void)state;
	d->stats.common = 3;
	d->stats.deleted = d->stats.inserted = 2;
	assert_int_equal(diff_drop_unchanged(d), 0);
	assert_int_equal(d->n_changes, 1);
	assert_text(&d->old_text, d->changes[0].old_start, d->changes[0].old_end, ".");
	assert_int_equal(d->cls, RL_CLASS_COSMETIC);
	assert_int_equal(d->n_ops, 3);
	assert_int_equal(d->ops[0].kind, RL_OP_EQUAL);
	assert_int_equal(d->ops[0].old_end, 23);
	assert_int_equal(d->ops[1].change, 0);
	assert_int_equal(d->ops[2].change, 0);
	check_ops(d, a, strlen(a), b, strlen(b));
	assert_int_equal(d->stats.deleted, 2);
	rl_diff_free(d);
}

/* A short line aligned with part of a longer one, when the same short
 * line stands unaligned beside it, is aligned with that one: as many
 * words kept, and the longer line reads as what was added or removed,
 * not the short one deleted and inserted again. */
static void short_line_aligns_with_its_twin(void **state)
{
	static const char a1[] = "# North Korea Policy\n\n# Bureau\n\n# Planning Bureau\n\n"
				 "# Military Force Policy\n",
			  b1[] = "# North Korea Policy\n\n# Bureau\n\n# Military Force Policy\n";
	static const char a2[] = "# Command Command Units\n\n# Air\n\n# Support\n",
			  b2[] = "# Air\n\n# Aerial Function Air Defense Air Defense Aerial\n\n"
				 "# Support\n";
	rl_diff *d = diff(a1, b1);

	(void)state;
	check_ops(d, a1, strlen(a1), b1, strlen(b1));
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->changes[0].kind, RL_CHANGE_DELETE);
	assert_text(&d->old_text, d->changes[0].old_start, d->changes[0].old_end,
		    "# Planning Bureau");
	rl_diff_free(d);
	d = diff(a2, b2);
	check_ops(d, a2, strlen(a2), b2, strlen(b2));
	assert_int_equal(d->n_changes, 2);
	assert_text(&d->old_text, d->changes[0].old_start, d->changes[0].old_end,
		    "# Command Command Units");
	assert_text(&d->new_text, d->changes[1].new_start, d->changes[1].new_end,
		    "# Aerial Function Air Defense Air Defense Aerial");
	assert_int_equal(d->stats.common, 2);
	rl_diff_free(d);
}

/* A sentence inserted after one that ends as it does ("... in wartime."
 * and "... operations in wartime and ... operations.") is inserted whole:
 * the first sentence's "in wartime" and "." stay with it. The alignment
 * kept as many tokens taking them from inside the new sentence and its
 * end, and the runs left between could slide onto each other; sliding,
 * they became one run at sentence boundaries. It read "standing troops
 * [-in wartime-]{+in wartime.+}" and the new sentence without its stop. */
static void inserted_sentence_takes_its_own_end(void **state)
{
	static const char mobilization[] =
	    "The Mobilization Force Command ensures the combat readiness posture of mobiliz"
	    "ation divisions and mobilization Army promotional video Navy promotional video"
	    " Marine Corps promotional video support groups during peacetime to provide cor"
	    "ps level units with mobilization divisions and supplement battalions capable o"
	    "f exerting combat power equal to that of standing troops in wartime.";
	static const char special[] =
	    "The Special Warfare Command is responsible for special operations in wartime a"
	    "nd carries out peace support operations during peacetime, while the Army Aviat"
	    "ion Operations Command is in charge of aviation operations.";
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	rl_diff *d;

	(void)state;
	rl_buf_printf(&a, "%s\n", mobilization);
	rl_buf_printf(&b, "# Strengthening the Spiritual and Mental Force\n\n%s\n%s\n",
		      mobilization, special);
	d = diff(a.ptr, b.ptr);
	check_ops(d, a.ptr, a.len, b.ptr, b.len);
	assert_int_equal(d->n_changes, 2);
	assert_int_equal(d->changes[1].kind, RL_CHANGE_INSERT);
	assert_text(&d->new_text, d->changes[1].new_start, d->changes[1].new_end, special);
	rl_diff_free(d);
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* Paragraphs that start alike, in every order: each paragraph that
 * changed places is one move of all its words, none left behind. */
static void reordered_paragraphs_are_clean_moves(void **state)
{
	static const char *const para[] = {
	    "The first paragraph speaks of deterrence and of the alliance that keeps the "
	    "peace on the peninsula.",
	    "The second paragraph tells how the reserve forces are trained every year in "
	    "new ways.",
	    "The third paragraph closes the chapter with a look at the budget.",
	    "The fourth paragraph is about cyber defence and space operations and more.",
	    "The fifth one says little.",
	};
	int perm[5] = {0, 1, 2, 3, 4}, nperm = 0;

	(void)state;
	/* Heap's algorithm: all 120 orders */
	for (int c[5] = {0}, k = 0; k < 5;) {
		if (c[k] < k) {
			int t, x = k % 2 ? c[k] : 0;
			char a[2048] = "", b[2048] = "";
			size_t total = 0, moved = 0;
			rl_diff *d;

			t = perm[x], perm[x] = perm[k], perm[k] = t;
			for (int i = 0; i < 5; i++) {
				strcat(a, para[i]);
				strcat(a, i < 4 ? "\n\n" : "\n");
				strcat(b, para[perm[i]]);
				strcat(b, i < 4 ? "\n\n" : "\n");
			}
			d = diff(a, b);
			for (size_t i = 0; i < d->n_changes; i++) {
				const rl_change *ch = &d->changes[i];

				if (ch->kind == RL_CHANGE_MOVE) {
					moved += ch->new_words;
					/* a move is whole paragraphs */
					assert_true(ch->new_start == 0 ||
						    b[ch->new_start - 1] == '\n');
					assert_true(b[ch->new_end] == '\n');
				} else if (ch->old_words || ch->new_words) {
					fail_msg("order %d%d%d%d%d: words %s outside a move",
						 perm[0], perm[1], perm[2], perm[3], perm[4],
						 rl_change_kind_name(ch->kind));
				}
			}
			total = d->stats.common + d->stats.moved;
			assert_int_equal(d->stats.inserted + d->stats.deleted, 0);
			assert_int_equal(moved, d->stats.moved);
			assert_int_equal(total, words_of(a));
			check_ops(d, a, strlen(a), b, strlen(b));
			rl_diff_free(d);
			nperm++;
			c[k]++;
			k = 0;
		} else {
			c[k++] = 0;
		}
	}
	assert_int_equal(nperm, 119);
}

/* A moved block of headings, some of one word: one move, the one-word
 * headings with it (alone they are too short to move). */
static void moved_headings_move_whole(void **state)
{
	const char *a = "Intro sentence here.\n\n# Alpha\n\n# Province Food\n\n# Beta\n\n"
			"# Distribution Center\n\nMiddle text stays here for a while and then "
			"some more words go on.\n\nEnd text.\n";
	const char *b = "Intro sentence here.\n\nMiddle text stays here for a while and then "
			"some more words go on.\n\n# Alpha\n\n# Province Food\n\n# Beta\n\n"
			"# Distribution Center\n\nEnd text.\n";
	rl_diff *d = diff(a, b);

	(void)state;
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->changes[0].kind, RL_CHANGE_MOVE);
	assert_text(&d->new_text, d->changes[0].new_start, d->changes[0].new_end,
		    "# Alpha\n\n# Province Food\n\n# Beta\n\n# Distribution Center");
	assert_int_equal(d->stats.moved, 6);
	assert_int_equal(d->stats.inserted + d->stats.deleted, 0);
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
}

static void cjk_words_are_dictionary_words(void **state)
{
	const char *a = "我们的敌人是北韩。\n", *b = "我们的朋友是北韩。\n";
	const char *ka = "북한은 우리의 적이다.\n", *kb = "북한은 우리의 적이 아니다.\n";
	rl_diff *d = diff(a, b);

	(void)state;
	assert_int_equal(d->n_changes, 1);
	assert_text(&d->old_text, d->changes[0].old_start, d->changes[0].old_end, "敌人");
	assert_text(&d->new_text, d->changes[0].new_start, d->changes[0].new_end, "朋友");
	assert_true(d->stats.common >= 3);
	check_ops(d, a, strlen(a), b, strlen(b));
	rl_diff_free(d);
	d = diff(ka, kb);
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->stats.common, 2);
	assert_text(&d->old_text, d->changes[0].old_start, d->changes[0].old_end, "적이다");
	assert_text(&d->new_text, d->changes[0].new_start, d->changes[0].new_end, "적이 아니다");
	rl_diff_free(d);
}

static void typography_and_ligatures_are_cosmetic(void **state)
{
	static const struct {
		const char *a, *b;
		rl_change_class cls;
	} cases[] = {
	    {"The government’s plan.", "The government's plan.", RL_CLASS_COSMETIC},
	    {"The ROK–US Alliance.", "The ROK-US Alliance.", RL_CLASS_COSMETIC},
	    {"A f rm commitment.", "A firm commitment.", RL_CLASS_COSMETIC},
	    {"The ﬁrst line.", "The first line.", RL_CLASS_COSMETIC},
	    {"One sentence.\nTwo sentence.", "One sentence. Two sentence.", RL_CLASS_COSMETIC},
	    {"A firm commitment.", "A weak commitment.", RL_CLASS_WORDING},
	    {"Peace first.", "Peace first!", RL_CLASS_COSMETIC},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		rl_diff *d = diff(cases[i].a, cases[i].b);

		assert_true(d->n_changes >= 1);
		if (d->cls != cases[i].cls)
			fail_msg("'%s' -> '%s': class %d, want %d", cases[i].a, cases[i].b,
				 (int)d->cls, (int)cases[i].cls);
		check_ops(d, cases[i].a, strlen(cases[i].a), cases[i].b, strlen(cases[i].b));
		rl_diff_free(d);
	}
}

static void lists_and_headings_are_structure(void **state)
{
	const char *a = "These principles include:\na. Peace\nb. Strength\n";
	const char *b = "These principles include:\na. Peace\nb. Dialogue\nc. Strength\n";
	const char *h = "# Chapter 1\n\nText.\n", *h2 = "# Chapter 1\n\nText.\n\n# Chapter 2\n";
	rl_diff *d = diff(a, b);

	(void)state;
	assert_int_equal(d->cls, RL_CLASS_STRUCTURE);
	rl_diff_free(d);
	d = diff(h, h2);
	assert_int_equal(d->cls, RL_CLASS_STRUCTURE);
	rl_diff_free(d);
	d = diff("a. Peace is kept.\n", "a. Peace is held.\n");
	assert_int_equal(d->cls, RL_CLASS_WORDING);
	rl_diff_free(d);
	/* labels as label.h knows them: katakana, parenthesized digits,
	 * white bullets; a relabelled item is structure too */
	static const char *const added[][2] = {
	    {"政策:\nア 平和\n", "政策:\nア 平和\nイ 協力\n"},
	    {"Aims:\n\xe2\x91\xb4 Peace\n", "Aims:\n\xe2\x91\xb4 Peace\n\xe2\x91\xb5 Trust\n"},
	    {"Aims:\n\xe2\x97\xa6 Peace\n", "Aims:\n\xe2\x97\xa6 Peace\n\xe2\x97\xa6 Trust\n"},
	    {"Aims:\n(iv) Peace and trust\n", "Aims:\n(v) Peace and trust\n"},
	};
	for (size_t i = 0; i < sizeof(added) / sizeof(*added); i++) {
		d = diff(added[i][0], added[i][1]);
		if (d->cls != RL_CLASS_STRUCTURE)
			fail_msg("'%s' -> '%s': class %d, want structure", added[i][0], added[i][1],
				 (int)d->cls);
		rl_diff_free(d);
	}
}

static void numbers_and_negations_are_flagged(void **state)
{
	rl_diff *d = diff("The budget grew 7.1% in 2018.\n", "The budget grew 7.4% in 2018.\n");

	(void)state;
	assert_true(d->flags & RL_CHANGE_FLAG_NUMBER);
	assert_false(d->flags & RL_CHANGE_FLAG_NEGATION);
	rl_diff_free(d);
	d = diff("North Korea is our enemy.\n", "North Korea is not our enemy.\n");
	assert_true(d->flags & RL_CHANGE_FLAG_NEGATION);
	assert_false(d->flags & RL_CHANGE_FLAG_NUMBER);
	rl_diff_free(d);
	d = diff("It was signed in March.\n", "It was signed in May.\n");
	assert_true(d->flags & RL_CHANGE_FLAG_NUMBER);
	rl_diff_free(d);
	d = diff("We can't accept it.\n", "We accept it.\n");
	assert_true(d->flags & RL_CHANGE_FLAG_NEGATION);
	rl_diff_free(d);
	/* numbers inside a change that did not change them: no flag */
	d = diff("From 2017 – 2018 on.\n", "From 2017 - 2018 on.\n");
	assert_false(d->flags & RL_CHANGE_FLAG_NUMBER);
	rl_diff_free(d);
}

/* xorshift: reproducible random edits */
static uint64_t rnd_state;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* Random edits of text: words deleted, inserted, replaced, sentences
 * moved and duplicated, punctuation and spaces changed. */
static void mutate(const char *t, size_t len, rl_buf *out)
{
	static const char *const words[] = {"enemy", "not",  "2020", "alliance", "peace", "–",
					    "the",   "firm", "’s",   "북한",     "和平"};
	size_t i = 0;

	while (i < len) {
		size_t e = i;
		unsigned r;

		while (e < len && t[e] != ' ' && t[e] != '\n')
			e++;
		r = (unsigned)(rnd() % 100);
		if (r < 4) {
			/* drop the word */
		} else if (r < 8) {
			rl_buf_put(out, t + i, e - i);
			rl_buf_printf(out, " %s", words[rnd() % (sizeof(words) / sizeof(*words))]);
		} else if (r < 10) {
			rl_buf_puts(out, words[rnd() % (sizeof(words) / sizeof(*words))]);
		} else {
			rl_buf_put(out, t + i, e - i);
		}
		if (e < len)
			rl_buf_putc(out, r == 50 ? '\n' : t[e]);
		i = e + 1;
	}
	/* move a stretch of the text elsewhere */
	if (out->len > 200 && rnd() % 2) {
		size_t from = rnd() % (out->len / 2), n = 40 + rnd() % 80, to;
		char *block = rl_strndup(out->ptr + from, n);
		rl_buf rest = RL_BUF_INIT;

		rl_buf_put(&rest, out->ptr, from);
		rl_buf_put(&rest, out->ptr + from + n, out->len - from - n);
		to = rnd() % rest.len;
		rl_buf_reset(out);
		rl_buf_put(out, rest.ptr, to);
		rl_buf_puts(out, block);
		rl_buf_put(out, rest.ptr + to, rest.len - to);
		rl_buf_free(&rest);
		free(block);
	}
}

static void property_ops_rebuild_both_texts(void **state)
{
	rl_buf src = RL_BUF_INIT;
	rl_error err;
	int rounds = 0;

	(void)state;
	if (rl_file_read("../shared/corpus/rok-dwp-2020.txt", &src, &err) < 0) {
		printf("corpus absent: using tests/fixtures/diff/page-085.txt\n");
		assert_int_equal(rl_file_read("tests/fixtures/diff/page-085.txt", &src, &err), 0);
	}
	rnd_state = 0x9e3779b97f4a7c15ULL;
	for (int k = 0; k < 60; k++, rounds++) {
		size_t len = src.len < 6000 ? src.len : 500 + rnd() % 5000;
		size_t off = src.len > len ? rnd() % (src.len - len) : 0;
		rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
		rl_diff *d;

		/* start and end on a space so no UTF-8 sequence is cut */
		while (off > 0 && src.ptr[off - 1] != ' ' && src.ptr[off - 1] != '\n')
			off--;
		while (off + len < src.len && src.ptr[off + len] != ' ')
			len++;
		rl_buf_put(&a, src.ptr + off, len);
		mutate(a.ptr, a.len, &b);
		assert_int_equal(rl_diff_texts(&d, a.ptr, a.len, b.ptr, b.len, NULL, &err), 0);
		check_ops(d, a.ptr, a.len, b.ptr, b.len);
		assert_int_equal(d->stats.common + d->stats.deleted + d->stats.moved,
				 words_of(rl_buf_cstr(&a)));
		assert_int_equal(d->stats.common + d->stats.inserted + d->stats.moved,
				 words_of(rl_buf_cstr(&b)));
		rl_diff_free(d);
		rl_buf_free(&a);
		rl_buf_free(&b);
	}
	assert_int_equal(rounds, 60);
	rl_buf_free(&src);
}

/* The same properties on a whole edition (or the fixture page repeated
 * to 200 KB) with a tenth of its words edited: large enough for the
 * two-thread paths (tokenizing, aligning the gaps, the move search's
 * free tokens, counting while the clean-up runs, finishing thousands of
 * changes). */
static void property_holds_on_a_whole_edition(void **state)
{
	rl_buf src = RL_BUF_INIT, b = RL_BUF_INIT;
	rl_diff *d, *whole;
	rl_error err;
	size_t n = 0;

	(void)state;
	if (rl_file_read("../shared/corpus/rok-dwp-2020.txt", &src, &err) < 0) {
		rl_buf page = RL_BUF_INIT;

		printf("corpus absent: using tests/fixtures/diff/page-085.txt, repeated\n");
		assert_int_equal(rl_file_read("tests/fixtures/diff/page-085.txt", &page, &err), 0);
		while (src.len < 200000)
			rl_buf_put(&src, page.ptr, page.len);
		rl_buf_free(&page);
	}
	rnd_state = 7;
	mutate(src.ptr, src.len, &b);
	/* a dropped word leaves two spaces; a moved block holding them would
	 * differ from its other end in more than line breaks */
	for (size_t i = 0; i < b.len; i++)
		if (!(b.ptr[i] == ' ' && n && b.ptr[n - 1] == ' '))
			b.ptr[n++] = b.ptr[i];
	rl_buf_truncate(&b, n);
	assert_int_equal(rl_diff_texts(&d, src.ptr, src.len, b.ptr, b.len, NULL, &err), 0);
	assert_true(d->n_changes >= 512);
	check_ops(d, src.ptr, src.len, b.ptr, b.len);
	assert_int_equal(d->stats.common + d->stats.deleted + d->stats.moved,
			 words_of(rl_buf_cstr(&src)));
	assert_int_equal(d->stats.common + d->stats.inserted + d->stats.moved,
			 words_of(rl_buf_cstr(&b)));
	/* the operations built in one pass are the ones built in two halves,
	 * and so are the changes */
	diff_ops_whole = 1;
	assert_int_equal(rl_diff_texts(&whole, src.ptr, src.len, b.ptr, b.len, NULL, &err), 0);
	diff_ops_whole = 0;
	dc_same_diff(whole, d);
	rl_diff_free(whole);
	rl_diff_free(d);
	rl_buf_free(&src);
	rl_buf_free(&b);
}

/* A text's lines, cut where they end (the last may have no newline). */
typedef struct text_lines {
	char **v;
	size_t n, cap;
} text_lines;

static void lines_add(text_lines *t, size_t at, const char *p, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
		assert_non_null(t->v);
	}
	memmove(&t->v[at + 1], &t->v[at], (t->n - at) * sizeof(*t->v));
	t->v[at] = rl_strndup(p, len);
	t->n++;
}

static void lines_of(text_lines *t, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;

	for (; p < end; p = nl + 1) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		lines_add(t, t->n, p, (size_t)(nl - p));
	}
}

static void lines_free(text_lines *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

/* Edits a reviser makes, n of them, anywhere: a word replaced, a
 * sentence deleted, repeated near by or split in two, a block of up to
 * four sentences moved. */
static void edit_lines(text_lines *t, int n)
{
	static const char *const words[] = {"not", "2024", "strengthened", "a.", "①"};

	for (int k = 0; k < n && t->n > 16; k++) {
		size_t i = rnd() % (t->n - 8), len = strlen(t->v[i]), cut;
		char *line = t->v[i], *sp;

		switch (rnd() % 5) {
		case 0: /* a word replaced */
			if ((sp = strchr(line, ' ')) != NULL) {
				rl_buf w = RL_BUF_INIT;

				rl_buf_put(&w, line, (size_t)(sp - line) + 1);
				rl_buf_puts(&w, words[rnd() % 5]);
				if ((sp = strchr(sp + 1, ' ')) != NULL)
					rl_buf_puts(&w, sp);
				free(t->v[i]);
				t->v[i] = rl_strndup(w.ptr, w.len);
				rl_buf_free(&w);
			}
			break;
		case 1: /* deleted */
			free(line);
			memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(*t->v));
			t->n--;
			break;
		case 2: /* repeated a line or two on */
			lines_add(t, i + 1 + rnd() % 2, line, len);
			break;
		case 3: /* split at a space */
			if ((sp = strchr(line + len / 2, ' ')) != NULL) {
				cut = (size_t)(sp - line);
				lines_add(t, i + 1, sp + 1, len - cut - 1);
				line[cut] = '\0';
			}
			break;
		default: { /* a block moved */
			size_t m = 1 + rnd() % 4, to;
			char *blk[4];

			memcpy(blk, &t->v[i], m * sizeof(*blk));
			memmove(&t->v[i], &t->v[i + m], (t->n - i - m) * sizeof(*t->v));
			t->n -= m;
			to = rnd() % t->n;
			memmove(&t->v[to + m], &t->v[to], (t->n - to) * sizeof(*t->v));
			memcpy(&t->v[to], blk, m * sizeof(*blk));
			t->n += m;
			break;
		}
		}
	}
}

/* An edition (or, without the corpus, the fixture page repeated, each
 * copy's lines numbered apart) and a few of its sentences edited: the
 * stretches of lines both share are left out of the diff
 * (diff-condense.c), and it is the diff of the whole texts. With many
 * edits in a text that repeats itself, it may break a tie otherwise (a
 * sentence kept in place or moved, as many words kept either way): it
 * keeps as many words, and counts the same words inserted and deleted. */
static void shared_lines_are_left_out(void **state)
{
	static const int edits[] = {1, 2, 3, 5, 8, 13, 21, 34};
	rl_buf src = RL_BUF_INIT;
	rl_error err;
	size_t was = diff_condense_min;

	(void)state;
	if (rl_file_read("../shared/corpus/rok-dwp-2020.txt", &src, &err) < 0) {
		rl_buf page = RL_BUF_INIT;
		text_lines pl = {0};

		printf("corpus absent: using tests/fixtures/diff/page-085.txt, repeated\n");
		assert_int_equal(rl_file_read("tests/fixtures/diff/page-085.txt", &page, &err), 0);
		lines_of(&pl, page.ptr, page.len);
		for (int copy = 0; src.len < 300000; copy++)
			for (size_t i = 0; i < pl.n; i++)
				rl_buf_printf(&src, "%s (%d)\n", pl.v[i], copy);
		lines_free(&pl);
		rl_buf_free(&page);
	}
	rnd_state = 99;
	for (size_t r = 0; r < sizeof(edits) / sizeof(*edits); r++) {
		text_lines t = {0};
		rl_buf b = RL_BUF_INIT;
		rl_diff *whole, *left = calloc(1, sizeof(*left));

		lines_of(&t, src.ptr, src.len);
		edit_lines(&t, edits[r]);
		for (size_t i = 0; i < t.n; i++)
			rl_buf_printf(&b, "%s%s", t.v[i], i + 1 < t.n ? "\n" : "");
		lines_free(&t);
		diff_condense_min = SIZE_MAX;
		assert_int_equal(rl_diff_texts(&whole, src.ptr, src.len, b.ptr, b.len, NULL, &err),
				 0);
		diff_condense_min = 0;
		assert_non_null(left);
		assert_int_equal(rl_buf_set(&left->old_text, src.ptr, src.len), 0);
		assert_int_equal(rl_buf_set(&left->new_text, b.ptr, b.len), 0);
		/* 1: done with lines left out */
		assert_int_equal(diff_condensed(left, NULL, NULL, NULL, &err), 1);
		check_ops(left, src.ptr, src.len, b.ptr, b.len);
		assert_int_equal(left->stats.common + left->stats.moved,
				 whole->stats.common + whole->stats.moved);
		assert_int_equal(left->stats.inserted, whole->stats.inserted);
		assert_int_equal(left->stats.deleted, whole->stats.deleted);
		if (edits[r] <= 8)
			dc_same_diff(whole, left);
		rl_diff_free(left);
		/* a cut the diff of what is left does not keep equal (a
		 * sentence the lines' alignment and the words' align apart)
		 * goes back in, and what is left is diffed again: with five
		 * edits, two cuts refused; with eight, one each try, and then
		 * the whole texts are for the caller to diff */
		if (edits[r] == 5 || edits[r] == 8) {
			left = calloc(1, sizeof(*left));
			assert_non_null(left);
			assert_int_equal(rl_buf_set(&left->old_text, src.ptr, src.len), 0);
			assert_int_equal(rl_buf_set(&left->new_text, b.ptr, b.len), 0);
			diff_condense_refuse = edits[r] == 5 ? 2 : 100;
			assert_int_equal(diff_condensed(left, NULL, NULL, NULL, &err),
					 edits[r] == 5);
			diff_condense_refuse = 0;
			if (edits[r] == 5)
				dc_same_diff(whole, left);
			else
				assert_int_equal(left->n_ops, 0);
			rl_diff_free(left);
		}
		rl_diff_free(whole);
		rl_buf_free(&b);
	}
	/* lines alike at both ends and in the middle, the same length,
	 * print alike (diff-condense.c's line_print): their bytes tell them
	 * apart, and the diff is the whole texts' */
	{
		rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
		rl_diff *whole, *d;

		for (int i = 0; i < 3000; i++) {
			rl_buf_printf(&a, "Alliance %06d holds the line of the peninsula firm.\n",
				      i);
			rl_buf_printf(&b, "Alliance %06d holds the line of the peninsula %s.\n",
				      i == 1000 ? i + 1 : i, i == 2000 ? "fast" : "firm");
			/* and lines of their own between, the anchors */
			rl_buf_printf(&a, "Section %d.\n", i);
			rl_buf_printf(&b, "Section %d.\n", i);
		}
		diff_condense_min = SIZE_MAX;
		assert_int_equal(rl_diff_texts(&whole, a.ptr, a.len, b.ptr, b.len, NULL, &err), 0);
		diff_condense_min = 0;
		assert_int_equal(rl_diff_texts(&d, a.ptr, a.len, b.ptr, b.len, NULL, &err), 0);
		check_ops(d, a.ptr, a.len, b.ptr, b.len);
		dc_same_diff(whole, d);
		assert_int_equal(d->stats.deleted, 2);
		rl_diff_free(whole);
		rl_diff_free(d);
		rl_buf_free(&a);
		rl_buf_free(&b);
	}
	/* texts that share few lines, or share them in another order, are
	 * for the whole diff: every line changed, and the lines reversed */
	for (int k = 0; k < 2; k++) {
		text_lines t = {0};
		rl_buf b = RL_BUF_INIT;
		rl_diff *d = calloc(1, sizeof(*d));

		lines_of(&t, src.ptr, src.len);
		for (size_t i = 0; i < t.n; i++)
			rl_buf_printf(&b, "%s%s\n", t.v[k ? t.n - 1 - i : i], k ? "" : " too");
		lines_free(&t);
		assert_non_null(d);
		assert_int_equal(rl_buf_set(&d->old_text, src.ptr, src.len), 0);
		assert_int_equal(rl_buf_set(&d->new_text, b.ptr, b.len), 0);
		/* every line changed: seen to share too few lines for the
		 * tokenizer to look for them; reversed: all shared, out of
		 * order */
		assert_int_equal(diff_condensed(d, NULL, NULL, NULL, &err),
				 k ? 0 : DIFF_CONDENSE_APART);
		assert_int_equal(d->n_ops, 0);
		rl_diff_free(d);
		rl_buf_free(&b);
	}
	diff_condense_min = was;
	rl_buf_free(&src);
}

static void large_unrelated_texts_stay_bounded(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	rl_diff *d;
	rl_error err;

	(void)state;
	/* 40k words with no common word: every region is anchorless */
	rnd_state = 42;
	for (int i = 0; i < 40000; i++) {
		rl_buf_printf(&a, "a%u%s", (unsigned)(rnd() % 5000), i % 12 == 11 ? ".\n" : " ");
		rl_buf_printf(&b, "b%u%s", (unsigned)(rnd() % 5000), i % 15 == 14 ? ".\n" : " ");
	}
	assert_int_equal(rl_diff_texts(&d, a.ptr, a.len, b.ptr, b.len, NULL, &err), 0);
	assert_int_equal(d->stats.common, 0);
	assert_int_equal(d->stats.deleted, 40000);
	check_ops(d, a.ptr, a.len, b.ptr, b.len);
	rl_diff_free(d);
	rl_buf_free(&a);
	rl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(empty_texts_are_equal),
	    cmocka_unit_test(text_against_blank_lines),
	    cmocka_unit_test(identical_texts_have_no_change),
	    cmocka_unit_test(all_different_is_one_replace),
	    cmocka_unit_test(one_word_replaced),
	    cmocka_unit_test(rewritten_sentence_is_shown_whole),
	    cmocka_unit_test(sentence_keeps_what_stayed),
	    cmocka_unit_test(word_kept_beside_words_moved_away),
	    cmocka_unit_test(repeated_sentences_count_once),
	    cmocka_unit_test(moved_block_is_one_move),
	    cmocka_unit_test(change_that_reads_the_same_is_dropped),
	    cmocka_unit_test(short_line_aligns_with_its_twin),
	    cmocka_unit_test(inserted_sentence_takes_its_own_end),
	    cmocka_unit_test(reordered_paragraphs_are_clean_moves),
	    cmocka_unit_test(moved_headings_move_whole),
	    cmocka_unit_test(cjk_words_are_dictionary_words),
	    cmocka_unit_test(typography_and_ligatures_are_cosmetic),
	    cmocka_unit_test(lists_and_headings_are_structure),
	    cmocka_unit_test(numbers_and_negations_are_flagged),
	    cmocka_unit_test(property_ops_rebuild_both_texts),
	    cmocka_unit_test(property_holds_on_a_whole_edition),
	    cmocka_unit_test(large_unrelated_texts_stay_bounded),
	    cmocka_unit_test(shared_lines_are_left_out),
	    cmocka_unit_test(sentence_freed_by_a_move_moves),
	    cmocka_unit_test(sentence_in_place_is_not_moved),
	    cmocka_unit_test(sentence_in_place_is_not_replaced_by_itself),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
