/* Unit tests of the report where principles meet the word diff: an
 * inserted item is one inserted line, relabels are label changes of no
 * words, the subject counts "1 principle added" and not the words of
 * the cascade, and the diff still covers both texts byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diff-check.h"
#include "redline/extract.h"
#include "redline/render.h"
#include "redline/report.h"
#include "redline/thread.h"
#include "redline/util.h"

#include "../../archive/diff-internal.h"
#include "../../archive/report-internal.h"

#define SEED "tests/fixtures/seed/seed-page-085.txt"

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

static char *extract_file(const char *path)
{
	rl_buf raw = RL_BUF_INIT;
	rl_raw_page page;
	rl_text t;
	rl_error err;
	char *out;

	memset(&t, 0, sizeof(t));
	memset(&page, 0, sizeof(page));
	assert_int_equal(rl_file_read(path, &raw, &err), 0);
	page.data = raw.ptr;
	page.len = raw.len;
	page.content_type = "text/plain";
	assert_int_equal(rl_extract(&t, &page, 1, NULL, &err), 0);
	out = rl_buf_detach(&t.text, NULL);
	rl_text_free(&t);
	rl_buf_free(&raw);
	return out;
}

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

/* The operations cover both texts in order, equal spans are equal, and
 * applying them to the old text gives the new one. */
static void assert_ops_cover(const rl_diff *d, const char *a, const char *b)
{
	size_t oa = 0, ob = 0;
	rl_buf applied = RL_BUF_INIT;

	assert_memory_equal(d->old_text.ptr, a, strlen(a));
	assert_memory_equal(d->new_text.ptr, b, strlen(b));
	for (size_t i = 0; i < d->n_ops; i++) {
		const rl_op *o = &d->ops[i];

		assert_int_equal(o->old_start, oa);
		assert_int_equal(o->new_start, ob);
		if (o->kind == RL_OP_EQUAL) {
			assert_int_equal(o->old_end - o->old_start, o->new_end - o->new_start);
			assert_memory_equal(a + o->old_start, b + o->new_start,
					    o->old_end - o->old_start);
			rl_buf_put(&applied, a + o->old_start, o->old_end - o->old_start);
		} else if (o->kind == RL_OP_INSERT) {
			assert_int_equal(o->old_start, o->old_end);
			rl_buf_put(&applied, b + o->new_start, o->new_end - o->new_start);
		} else {
			assert_int_equal(o->new_start, o->new_end);
		}
		if (o->change >= 0)
			assert_true((size_t)o->change < d->n_changes);
		oa = o->old_end;
		ob = o->new_end;
	}
	assert_int_equal(oa, strlen(a));
	assert_int_equal(ob, strlen(b));
	assert_int_equal(applied.len, strlen(b));
	assert_memory_equal(applied.ptr, b, applied.len);
	for (size_t i = 1; i < d->n_changes; i++)
		assert_true(d->changes[i - 1].new_start <= d->changes[i].new_start);
	rl_buf_free(&applied);
}

static rl_report *build(const char *a, const char *b, const rl_strv *terms)
{
	rl_report *r;
	rl_report_opts o = {0};
	rl_error err;

	o.watch_terms = terms;
	assert_int_equal(rl_report_build(&r, a, strlen(a), b, strlen(b), &o, &err), 0);
	assert_ops_cover(r->diff, a, b);
	return r;
}

static char *summary(const rl_report *r)
{
	rl_buf b = RL_BUF_INIT;

	assert_int_equal(rl_report_summary(r, &b), 0);
	return rl_buf_detach(&b, NULL);
}

static char *word(const rl_report *r)
{
	rl_buf out = RL_BUF_INIT;
	rl_render_opts o = {.context = -1};
	rl_error err;

	assert_int_equal(rl_render(&out, r, RL_FORMAT_WORD, &o, &err), 0);
	return rl_buf_detach(&out, NULL);
}

static const rl_change *change_at(const rl_diff *d, const char *new_words)
{
	for (size_t i = 0; i < d->n_changes; i++) {
		const rl_change *c = &d->changes[i];

		if (c->new_end - c->new_start == strlen(new_words) &&
		    memcmp(d->new_text.ptr + c->new_start, new_words, strlen(new_words)) == 0)
			return c;
	}
	fail_msg("no change to '%s'", new_words);
	return NULL;
}

static void inserted_item_is_one_line_and_relabels_are_labels(void **state)
{
	char *v1 = seed_text(), *v2 = edit(v1, b_old, b_new), *s, *w;
	rl_report *r = build(v1, v2, NULL);
	const rl_change *c;

	(void)state;
	s = summary(r);
	assert_string_equal(s, "1 principle added");
	assert_int_equal(r->cls, RL_CLASS_STRUCTURE);
	/* the new item, label and all, is one insertion */
	c = change_at(r->diff, "b. Commitment to the rule of law and to human rights;");
	assert_int_equal(c->kind, RL_CHANGE_INSERT);
	assert_int_equal(c->cls, RL_CLASS_STRUCTURE);
	/* each relabel is its label alone: a structure change of no words */
	c = change_at(r->diff, "c");
	assert_int_equal(c->kind, RL_CHANGE_REPLACE);
	assert_int_equal(c->cls, RL_CLASS_STRUCTURE);
	assert_int_equal(c->old_words + c->new_words, 0);
	assert_memory_equal(r->diff->old_text.ptr + c->old_start, "b", 1);
	assert_int_equal(r->diff->n_changes, 4);
	w = word(r);
	assert_non_null(strstr(w, "\n{+b. Commitment to the rule of law and to human rights;+}\n"));
	assert_non_null(strstr(w, "\n[-b-]{+c+}. Respect for sovereignty"));
	assert_non_null(strstr(w, "\n[-c-]{+d+}. Peaceful resolution"));
	assert_non_null(strstr(w, "\n[-d-]{+e+}. Adherence"));
	free(s);
	free(w);
	rl_report_free(r);
	free(v1);
	free(v2);
}

/* The demo's change: one word and one principle. */
static void word_and_insertion_count_apart(void **state)
{
	char *v1 = seed_text(), *t = edit(v1, "maintaining a steadfast", "maintaining a robust");
	char *v2 = edit(t, b_old, b_new), *s;
	rl_report *r = build(v1, v2, NULL);

	(void)state;
	s = summary(r);
	assert_string_equal(s, "1 word changed, 1 principle added");
	assert_int_equal(r->diff->stats.deleted, 1);
	free(s);
	rl_report_free(r);
	free(v1);
	free(v2);
	free(t);
}

static void rewording_and_removal_summaries(void **state)
{
	char *v1 = seed_text(), *v2 = edit(v1, "c. Peaceful resolution", "c. Peaceful settlement");
	char *v3 = edit(v1, "b. Respect for sovereignty and independence of all nations;\n", "");
	char *s;
	rl_report *r = build(v1, v2, NULL);

	(void)state;
	s = summary(r);
	assert_string_equal(s, "1 word changed, 1 principle reworded");
	assert_int_equal(r->cls, RL_CLASS_WORDING);
	free(s);
	rl_report_free(r);
	r = build(v1, v3, NULL);
	s = summary(r);
	assert_string_equal(s, "1 principle removed");
	assert_int_equal(r->principles->n_removed, 1);
	free(s);
	rl_report_free(r);
	free(v1);
	free(v2);
	free(v3);
}

static void swap_and_relabel_keep_the_diff_whole(void **state)
{
	const char *a = "Principles:\n(1) Peace through strength;\n(2) Respect for all nations;\n"
			"(3) Rule of law.\n\nAfter.\n";
	const char *b = "Principles:\n(1) Respect for all nations;\n(2) Peace through strength;\n"
			"(3) Rule of law.\n\nAfter.\n";
	rl_report *r = build(a, b, NULL);
	char *s = summary(r);

	(void)state;
	assert_int_equal(r->principles->n_reordered, 1);
	assert_non_null(strstr(s, "1 principle reordered"));
	free(s);
	rl_report_free(r);
}

/* Item 3's label gone, its text joins item 2, which the items' pairing
 * takes for item 3 reworded (it shares more of its words) and item 2
 * removed: the two texts' "②" stand for two items, masked apart. The
 * diff shows them as they read, alike: no change "[-②-]{+②+}", only the
 * words that came and went. */
static void a_label_that_reads_the_same_is_no_change(void **state)
{
	const char *a =
	    "The provisions are:\n"
	    "① Guard posts will be withdrawn from the zone.\n"
	    "② Vessels entering the pilot joint fishing zone will use the mutually approved route "
	    "and will be controlled by fishery guidance boats from each side.\n"
	    "③ If, in the future, the joint fishing zone is expanded within the maritime peace "
	    "zone, entry regulations for South and North Korean fishing vessels will be "
	    "implemented through mutual consultations.\n";
	char *b = edit(a, "\n③ If", "\nnew If"), *w;
	rl_report *r = build(a, b, NULL);

	(void)state;
	assert_int_equal(r->principles->n_removed, 1);
	for (size_t i = 0; i < r->diff->n_changes; i++) {
		const rl_change *c = &r->diff->changes[i];

		if (c->old_end - c->old_start == c->new_end - c->new_start &&
		    memcmp(r->diff->old_text.ptr + c->old_start,
			   r->diff->new_text.ptr + c->new_start, c->old_end - c->old_start) == 0)
			fail_msg("change %zu reads the same in both texts", i);
	}
	w = word(r);
	assert_null(strstr(w, "[-②-]"));
	assert_non_null(strstr(w, "\n[-③-]{+new+} If, in the future"));
	free(w);
	rl_report_free(r);
	free(b);
}

/* Private-use characters in the document itself (some PDFs have them)
 * are never taken for the masks that stand for items. */
static void private_use_text_is_left_alone(void **state)
{
	char a[256], b[256];
	rl_report *r;
	char *s;

	(void)state;
	snprintf(a, sizeof(a),
		 "Icons \xee\x80\x80 and \xee\x80\x81 stay.\nList:\na. One;\nb. Two.\n");
	snprintf(b, sizeof(b),
		 "Icons \xee\x80\x80 and \xee\x80\x81 stay.\nList:\na. New;\nb. One;\nc. Two.\n");
	r = build(a, b, NULL);
	s = summary(r);
	assert_string_equal(s, "1 principle added");
	free(s);
	rl_report_free(r);
}

/* A private-use character where an item's label stood is a character,
 * not the label: were it taken for a mask (masks avoid the characters
 * the texts have), it would be counted as the label kept. It is found
 * after curly quotes and Hangul (other bytes of 0x80 and more) at every
 * offset of a 64-byte block, which the search passes whole where no byte
 * leads a private-use character. */
static void private_use_where_a_label_was_is_no_label(void **state)
{
	char a[512], b[512], lead[128];
	rl_report *r;

	(void)state;
	for (int k = 0; k < 64; k++) {
		size_t n = 0;

		/* quotes and Hangul (three bytes each), then an ASCII byte or
		 * two: the character falls at every offset of 32 bytes */
		for (int q = 0; q < k / 3; q++)
			n += (size_t)snprintf(lead + n, sizeof(lead) - n, "%s",
					      q % 2 ? "\xea\xb0\x80" : "\xe2\x80\x99");
		for (int q = 0; q < k % 3; q++)
			lead[n++] = 'x';
		lead[n] = '\0';
		snprintf(a, sizeof(a), "Intro line.\nList:\na. One thing;\nb. Two things.\n");
		snprintf(b, sizeof(b),
			 "Intro line.\nList:\n%s\xee\x80\x80 One thing;\nb. Two things.\n", lead);
		r = build(a, b, NULL);
		/* Intro, line, List, One, thing, Two, things; nothing deleted
		 * but a label, which counts no word */
		assert_int_equal(r->diff->stats.common, 7);
		assert_int_equal(r->diff->stats.deleted, 0);
		assert_int_equal(r->principles->n_removed, 1);
		rl_report_free(r);
	}
}

static void watched_terms_in_the_report(void **state)
{
	char *v1 = seed_text();
	char *t = edit(v1, "complete denuclearization", "lasting stability");
	char *v2 = edit(t, "as the linchpin for", "as the foundation for"), *s;
	rl_strv terms = RL_STRV_INIT;
	rl_report *r;

	(void)state;
	rl_strv_push(&terms, "denuclearization");
	rl_strv_push(&terms, "linchpin");
	rl_strv_push(&terms, "alliance");
	r = build(v1, v2, &terms);
	assert_int_equal(r->n_watch, 2);
	assert_string_equal(r->watch[0].term, "denuclearization");
	assert_int_equal(r->watch[0].before, 1);
	assert_int_equal(r->watch[0].after, 0);
	assert_int_equal(r->watch[0].contexts.n, 1);
	assert_non_null(
	    strstr(r->watch[0].contexts.v[0], "complete denuclearization in a verifiable"));
	assert_string_equal(r->watch[1].term, "linchpin");
	s = summary(r);
	assert_non_null(strstr(s, "\"denuclearization\" removed, \"linchpin\" removed"));
	free(s);
	rl_report_free(r);
	rl_strv_free(&terms);
	free(v1);
	free(v2);
	free(t);
}

/* No operation of d starts strictly inside the label of an item of s
 * (new_side: in the new text, else the old). */
static void assert_labels_whole(const rl_diff *d, const rl_structure *s, int new_side)
{
	const rl_buf *t = new_side ? &d->new_text : &d->old_text;
	size_t line = 1, at = 0;

	for (size_t i = 0; i < s->n_items; i++) {
		size_t len = strlen(s->items[i].label);

		while (line < s->items[i].line) {
			const char *nl = memchr(t->ptr + at, '\n', t->len - at);

			assert_non_null(nl);
			at = (size_t)(nl - t->ptr) + 1;
			line++;
		}
		assert_memory_equal(t->ptr + at, s->items[i].label, len);
		for (size_t k = 0; k < d->n_ops; k++) {
			size_t b = new_side ? d->ops[k].new_start : d->ops[k].old_start;
			size_t e = new_side ? d->ops[k].new_end : d->ops[k].old_end;

			/* a label change splits a label only at its punctuation */
			if (d->ops[k].kind != RL_OP_EQUAL && d->ops[k].change >= 0 &&
			    d->changes[d->ops[k].change].old_words +
				    d->changes[d->ops[k].change].new_words ==
				0)
				continue;
			/* ...which may also leave the punctuation as its own equal op */
			if (len > 1 && strchr(".)", s->items[i].label[len - 1]) &&
			    (b == at + len - 1 || e == at + len - 1))
				continue;
			assert_false(b > at && b < at + len);
			assert_false(e > at && e < at + len);
		}
	}
}

/* Two whole editions (2018 -> 2020): hundreds of items on each side,
 * and the diff with items aligned still covers both texts exactly and
 * never cuts into a label. */
static void corpus_editions_keep_the_diff_whole(void **state)
{
	const char *a_path = "../shared/corpus/rok-dwp-2018.txt";
	const char *b_path = "../shared/corpus/rok-dwp-2020.txt";
	FILE *probe = fopen(a_path, "r");
	char *a, *b, *s;
	rl_report *r;

	(void)state;
	if (!probe) {
		printf("corpus absent (%s): skipped\n", a_path);
		skip();
	}
	fclose(probe);
	a = extract_file(a_path);
	b = extract_file(b_path);
	r = build(a, b, NULL);
	assert_true(r->old_structure->n_items > 50);
	assert_true(r->new_structure->n_items > 200);
	assert_true(r->principles->n_added > 0);
	/* no operation starts inside a label: labels are units */
	assert_labels_whole(r->diff, r->old_structure, 0);
	assert_labels_whole(r->diff, r->new_structure, 1);
	s = summary(r);
	printf("2018 -> 2020: %zu -> %zu items; %s\n", r->old_structure->n_items,
	       r->new_structure->n_items, s);
	free(s);
	rl_report_free(r);
	free(a);
	free(b);
}

/* The report of a and b, large enough for its ids to be carried on a
 * second thread, and the diff of the same texts masked after carrying
 * (report_diff_items given the report's structures): the same diff. */
static rl_report *report_as_masked_after(const rl_buf *a, const rl_buf *b, rl_diff **plain)
{
	rl_report *r;
	rl_error err;

	assert_true(a->len + b->len >= 4 * RL_THREAD_MIN_BYTES);
	assert_int_equal(
	    rl_report_build(&r, rl_buf_cstr(a), a->len, rl_buf_cstr(b), b->len, NULL, &err), 0);
	assert_int_equal(report_diff_items(plain, rl_buf_cstr(a), a->len, rl_buf_cstr(b), b->len,
					   NULL, NULL, r->old_structure, r->new_structure, NULL,
					   NULL, NULL, &err),
			 0);
	dc_same_diff(r->diff, *plain);
	return r;
}

/* A report of large texts has the differ's arrays and the masked texts
 * made ahead (diff_prep) while it masks labels: its diff is the one made
 * without them, and so is one made with arrays and texts too small for
 * the texts. */
static void arrays_made_ahead_change_nothing(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	rl_report *r;
	rl_diff *plain = NULL;
	rl_error err;

	(void)state;
	for (int i = 0; i < 4000; i++) {
		rl_buf_printf(&a, "%c. Item %d keeps the alliance strong and the peace firm.\n",
			      'a' + i % 26, i);
		if (i % 7 == 3)
			rl_buf_printf(&b, "%c. A new item %d comes first.\n", 'a' + i % 26, i);
		rl_buf_printf(&b, "%c. Item %d keeps the alliance %s and the peace firm.\n",
			      'a' + (i + 1) % 26, i, i % 5 ? "strong" : "robust");
	}
	r = report_as_masked_after(&a, &b, &plain);
	assert_true(r->new_structure->n_items > 4000);
	for (int k = 0; k < 2; k++) {
		diff_prep *prep = k ? diff_prep_start(1, 1, 1) : diff_prep_start(a.len, b.len, 1);
		rl_diff *d = NULL;

		assert_non_null(prep);
		assert_int_equal(report_diff_items(&d, rl_buf_cstr(&a), a.len, rl_buf_cstr(&b),
						   b.len, NULL, NULL, r->old_structure,
						   r->new_structure, NULL, prep, NULL, &err),
				 0);
		dc_same_diff(d, plain);
		rl_diff_free(d);
		diff_prep_free(prep);
	}
	rl_diff_free(plain);
	rl_report_free(r);
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* A report of large texts carries ids on a second thread while it masks
 * and tokenizes the texts, each new item's label masked by a code of its
 * own and given its item's code once the ids are carried: its diff is
 * the one of the texts masked by the carried ids from the start. Items
 * moved, reworded, inserted and removed, fewer than the three-byte codes
 * (with more, the ids are awaited first: the test above). */
static void ids_carried_while_tokenizing_change_nothing(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	rl_report *r;
	rl_diff *plain = NULL;

	(void)state;
	for (int i = 0; i < 1500; i++) {
		const char *tail = "so that the alliance stays strong and the peace on the "
				   "peninsula holds firm for the years to come";

		rl_buf_printf(&a, "%c. Item %d of the plan keeps its word %s.\n", 'a' + i % 26, i,
			      tail);
		if (i % 7 == 3)
			rl_buf_printf(&b, "%c. A new item %d comes first, %s.\n", 'a' + i % 26, i,
				      tail);
		if (i % 11 != 5)
			rl_buf_printf(&b, "%c. Item %d of the plan keeps its %s %s.\n",
				      'a' + (i + 1) % 26, (i * 37) % 1500,
				      i % 5 ? "word" : "promise", tail);
	}
	r = report_as_masked_after(&a, &b, &plain);
	assert_true(r->old_structure->n_items + r->new_structure->n_items < 6400);
	assert_true(plain->n_changes > 0);
	rl_diff_free(plain);
	rl_report_free(r);
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* Versions that share most of their lines: their diff leaves the
 * stretches of equal lines out (diff-condense.c), once the new items'
 * labels have the codes of their carried ids, so that an item relabeled
 * by one inserted before it is an equal line. The report is the one of
 * the whole texts diffed: the same diff, summary and words. */
static void lines_left_out_change_nothing(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	char *s[2], *w[2];
	rl_report *r[2];
	size_t was = diff_condense_min;

	(void)state;
	for (int i = 0; i < 3000; i++) {
		const char *line = "The alliance stays strong and the peace on the peninsula holds";

		rl_buf_printf(&a, "%s %d.\n", line, i);
		if (i == 1500)
			rl_buf_printf(&b, "%s %d, firmly.\n", line, i);
		else if (i != 2200)
			rl_buf_printf(&b, "%s %d.\n", line, i);
		/* a list of 20, and one inserted at its head: the others
		 * relabeled */
		if (i == 1000) {
			rl_buf_puts(&b, "a. A new item comes first.\n");
			for (int n = 0; n < 20; n++) {
				rl_buf_printf(&a, "%c. Item %d keeps its word.\n", 'a' + n, n);
				rl_buf_printf(&b, "%c. Item %d keeps its word.\n", 'b' + n, n);
			}
		}
	}
	for (int k = 0; k < 2; k++) {
		diff_condense_min = k ? 0 : SIZE_MAX;
		r[k] = build(rl_buf_cstr(&a), rl_buf_cstr(&b), NULL);
		s[k] = summary(r[k]);
		w[k] = word(r[k]);
	}
	diff_condense_min = was;
	assert_int_equal(r[0]->principles->n_added, 1);
	dc_same_diff(r[0]->diff, r[1]->diff);
	assert_string_equal(s[0], s[1]);
	assert_string_equal(w[0], w[1]);
	for (int k = 0; k < 2; k++) {
		rl_report_free(r[k]);
		free(s[k]);
		free(w[k]);
	}
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* A report given its texts' structures parsed already (what `compare`
 * does on its loading threads) keeps them and is the report that parses
 * them itself: the same diff, principles, ids and words, whichever side
 * came parsed, with its items' ids or without them (the report gives
 * them: inline for small texts, on the thread that carries ids for
 * large ones). */
static void parsed_ahead_same(const char *v1, const char *v2)
{
	rl_report *r0 = build(v1, v2, NULL);
	char *s0 = summary(r0), *w0 = word(r0);
	rl_error err;

	/* each side: 0 not parsed, 1 parsed, 2 parsed without ids */
	for (int how = 1; how < 9; how++) {
		int ho = how % 3, hn = how / 3;
		rl_structure *so = NULL, *sn = NULL;
		rl_report *r;
		char *s, *w;

		if (ho)
			assert_int_equal((ho == 1 ? rl_structure_parse : rl_structure_parse_lines)(
					     &so, v1, strlen(v1), &err),
					 0);
		if (hn)
			assert_int_equal((hn == 1 ? rl_structure_parse : rl_structure_parse_lines)(
					     &sn, v2, strlen(v2), &err),
					 0);
		if (ho == 2)
			assert_true(so->ids_pending && so->n_items > 0 && !so->items[0].id);
		assert_int_equal(
		    rl_report_build_parsed(&r, v1, strlen(v1), so, v2, strlen(v2), sn, NULL, &err),
		    0);
		if (so)
			assert_ptr_equal(r->old_structure, so);
		if (sn)
			assert_ptr_equal(r->new_structure, sn);
		assert_false(r->old_structure->ids_pending || r->new_structure->ids_pending);
		dc_same_diff(r->diff, r0->diff);
		assert_int_equal(r->old_structure->n_items, r0->old_structure->n_items);
		for (size_t i = 0; i < r0->old_structure->n_items; i++)
			assert_string_equal(r->old_structure->items[i].id,
					    r0->old_structure->items[i].id);
		assert_int_equal(r->new_structure->n_items, r0->new_structure->n_items);
		for (size_t i = 0; i < r0->new_structure->n_items; i++)
			assert_string_equal(r->new_structure->items[i].id,
					    r0->new_structure->items[i].id);
		assert_int_equal(r->principles->n_added, r0->principles->n_added);
		s = summary(r);
		w = word(r);
		assert_string_equal(s, s0);
		assert_string_equal(w, w0);
		free(s);
		free(w);
		rl_report_free(r);
	}
	free(s0);
	free(w0);
	rl_report_free(r0);
}

static void structures_parsed_ahead_change_nothing(void **state)
{
	char *v1 = seed_text(), *v2 = edit(v1, b_old, b_new);
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;

	(void)state;
	parsed_ahead_same(v1, v2);
	/* large enough for the ids to be carried on a thread of their own */
	for (int k = 0; k < 60; k++) {
		rl_buf_puts(&a, v1);
		rl_buf_puts(&b, k == 30 ? v2 : v1);
	}
	assert_true(a.len + b.len >= 4 * RL_THREAD_MIN_BYTES);
	parsed_ahead_same(rl_buf_cstr(&a), rl_buf_cstr(&b));
	rl_buf_free(&a);
	rl_buf_free(&b);
	free(v1);
	free(v2);
}

/* A list item's line, its label of one of five lengths: "a." (masks are
 * longer), "(1)" and "①" (as long), "가." (shorter), "10." (as long, or
 * shorter where the label is two digits more). */
static void item_line(rl_buf *t, int style, int n, const char *text)
{
	static const char *const hangul[] = {"가", "나", "다", "라", "마", "바", "사", "아"};

	switch (style) {
	case 0:
		rl_buf_printf(t, "%c. %s\n", 'a' + n % 26, text);
		break;
	case 1:
		rl_buf_printf(t, "(%d) %s\n", 1 + n % 9, text);
		break;
	case 2:
		rl_buf_printf(t, "\xe2\x91%c %s\n", (char)(0xa0 + n % 20), text);
		break;
	case 3:
		rl_buf_printf(t, "%s. %s\n", hangul[n % 8], text);
		break;
	default:
		rl_buf_printf(t, "%d. %s\n", 10 + n % 90, text);
		break;
	}
}

/* Two versions of a document of lists: items inserted, removed,
 * relabeled and reworded, in the label styles given by the bits of
 * styles, lists times as long as the base. */
static void lists_pair(rl_buf *a, rl_buf *b, unsigned styles, int lists, uint32_t seed)
{
	rl_buf_reset(a);
	rl_buf_reset(b);
	for (int l = 0; l < lists; l++) {
		int style;

		do {
			seed = seed * 1103515245u + 12345u;
			style = (int)((seed >> 16) % 5);
		} while (!(styles & (1u << style)));
		rl_buf_printf(a, "List %d of the plan includes:\n", l);
		rl_buf_printf(b, "List %d of the plan includes:\n", l);
		for (int i = 0, j = 0; i < 6; i++) {
			char text[96];

			seed = seed * 1103515245u + 12345u;
			snprintf(text, sizeof(text),
				 "Item %d of list %d keeps the alliance strong;", i, l);
			item_line(a, style, i, text);
			if ((seed >> 8) % 5 == 0)
				item_line(b, style, j++, "A new item comes before it;");
			if ((seed >> 12) % 7 == 0)
				continue; /* removed */
			if ((seed >> 16) % 4 == 0)
				snprintf(text, sizeof(text), "Item %d of list %d is reworded here;",
					 i, l);
			item_line(b, style, j++, text);
		}
		rl_buf_puts(a, "The plan goes on.\n\n");
		rl_buf_puts(b, "The plan goes on.\n\n");
	}
}

/* Texts whose buffers the report takes have their labels masked where
 * they are (where every label grows, or every one shrinks, as a mask),
 * else in copies: the report is the one of the texts given as they are,
 * its diff holds the same texts, and the buffers are left empty. Lists
 * of each label length and of mixed lengths, small and large enough for
 * the ids carried while the texts are masked (the masks written over). */
static void texts_taken_are_masked_where_they_are(void **state)
{
	static const unsigned styles[] = {1, 2, 4, 8, 16, 1 | 8, 2 | 4, 31};
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT, ta = RL_BUF_INIT, tb = RL_BUF_INIT;
	rl_error err;

	(void)state;
	for (size_t k = 0; k < sizeof(styles) / sizeof(*styles); k++) {
		for (int big = 0; big < 2; big++) {
			rl_report *r, *t;
			char *w1, *w2, *s1, *s2;

			lists_pair(&a, &b, styles[k], big ? 400 : 12, 99 + (uint32_t)k);
			assert_true(!big || a.len + b.len >= 4 * RL_THREAD_MIN_BYTES);
			r = build(rl_buf_cstr(&a), rl_buf_cstr(&b), NULL);
			rl_buf_set(&ta, a.ptr, a.len);
			rl_buf_set(&tb, b.ptr, b.len);
			assert_int_equal(
			    rl_report_build_taking(&t, &ta, NULL, &tb, NULL, NULL, &err), 0);
			assert_null(ta.ptr);
			assert_null(tb.ptr);
			assert_int_equal(t->diff->old_text.len, a.len);
			assert_memory_equal(t->diff->old_text.ptr, a.ptr, a.len);
			assert_int_equal(t->diff->new_text.len, b.len);
			assert_memory_equal(t->diff->new_text.ptr, b.ptr, b.len);
			dc_same_diff(t->diff, r->diff);
			w1 = word(r);
			w2 = word(t);
			assert_string_equal(w1, w2);
			s1 = summary(r);
			s2 = summary(t);
			assert_string_equal(s1, s2);
			free(w1);
			free(w2);
			free(s1);
			free(s2);
			rl_report_free(r);
			rl_report_free(t);
		}
	}
	rl_buf_free(&a);
	rl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(inserted_item_is_one_line_and_relabels_are_labels),
	    cmocka_unit_test(word_and_insertion_count_apart),
	    cmocka_unit_test(rewording_and_removal_summaries),
	    cmocka_unit_test(swap_and_relabel_keep_the_diff_whole),
	    cmocka_unit_test(a_label_that_reads_the_same_is_no_change),
	    cmocka_unit_test(private_use_text_is_left_alone),
	    cmocka_unit_test(private_use_where_a_label_was_is_no_label),
	    cmocka_unit_test(watched_terms_in_the_report),
	    cmocka_unit_test(corpus_editions_keep_the_diff_whole),
	    cmocka_unit_test(arrays_made_ahead_change_nothing),
	    cmocka_unit_test(ids_carried_while_tokenizing_change_nothing),
	    cmocka_unit_test(structures_parsed_ahead_change_nothing),
	    cmocka_unit_test(lines_left_out_change_nothing),
	    cmocka_unit_test(texts_taken_are_masked_where_they_are),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
