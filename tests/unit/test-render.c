/* Unit tests of the renderers: what a reader sees in each format, the
 * JSON shape DESIGN.md fixes, and the HTML page drawn by headless
 * Chromium (skipped with a message where chromium is absent). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "diff-check.h"
#include "redline/render.h"
#include "redline/util.h"

static const char old_text[] =
    "# Chapter 2\n\nThe ministry will strengthen its posture.\nNorth Korea is our enemy.\n\n"
    "The first paragraph speaks of deterrence and of the alliance that keeps the peace.\n\n"
    "Reserve forces train every year.\n\nThe budget grew in 2018 by 7.1 percent.\n";
static const char new_text[] =
    "# Chapter 2\n\nThe ministry strengthened its posture.\nNorth Korea is not our enemy.\n\n"
    "Reserve forces train every year.\n\nThe budget grew in 2018 by 7.4 percent.\n\n"
    "The first paragraph speaks of deterrence and of the alliance that keeps the peace.\n";

/* A report as rl_report_build makes it, without principles or terms. */
static rl_report *report(const char *a, const char *b)
{
	rl_report *r = calloc(1, sizeof(*r));
	rl_error err;

	assert_non_null(r);
	r->principles = calloc(1, sizeof(*r->principles));
	assert_int_equal(rl_diff_texts(&r->diff, a, strlen(a), b, strlen(b), NULL, &err), 0);
	r->cls = r->diff->cls;
	return r;
}

static void report_free(rl_report *r)
{
	rl_diff_free(r->diff);
	free(r->principles);
	free(r);
}

static char *render(const rl_report *r, rl_format f, int color)
{
	rl_buf out = RL_BUF_INIT;
	rl_render_opts o = {
	    .color = color, .old_name = "old.txt", .new_name = "new.txt", .context = -1};
	rl_error err;

	assert_int_equal(rl_render(&out, r, f, &o, &err), 0);
	return rl_buf_detach(&out, NULL);
}

static void formats_parse_by_name(void **state)
{
	rl_format f;

	(void)state;
	for (int i = RL_FORMAT_WORD; i <= RL_FORMAT_HTML; i++) {
		assert_int_equal(rl_format_parse(rl_format_name((rl_format)i), &f), 0);
		assert_int_equal(f, i);
	}
	assert_int_equal(rl_format_parse("pdf", &f), RL_EINVALID);
}

static void word_marks_changed_words_only(void **state)
{
	rl_report *r = report(old_text, new_text);
	char *s = render(r, RL_FORMAT_WORD, 0);

	(void)state;
	assert_non_null(strstr(s, "The ministry [-will strengthen-]{+strengthened+} its posture."));
	assert_non_null(strstr(s, "North Korea is {+not+} our enemy."));
	assert_non_null(strstr(s, "[-7.1"));
	assert_non_null(strstr(s, "{+7.4"));
	assert_non_null(strstr(s, "(moved"));
	/* unchanged sentences are not shown */
	assert_null(strstr(s, "# Chapter 2"));
	assert_null(strstr(s, "\033["));
	free(s);
	s = render(r, RL_FORMAT_WORD, 1);
	assert_non_null(strstr(s, "\033[31mwill strengthen\033[m"));
	assert_non_null(strstr(s, "\033[32mstrengthened\033[m"));
	assert_null(strstr(s, "[-"));
	free(s);
	report_free(r);
}

/* A paragraph break moved from after the second sentence to after the
 * first (the next two tests). */
static const char break_went[] =
    "The plan has three parts.\nThe first is new.\n\nThe second is old.\n",
		  break_came[] =
		      "The plan has three parts.\n\nThe first is new.\nThe second is old.\n";

/* A paragraph break that moved from after the second sentence to after
 * the first: a break came after the first ({+¶+}) and one went after the
 * second ([-¶-]). Each showed as "[-¶-]{+¶+}", a break replaced by a
 * break, which reads as nothing changed. */
static void word_shows_the_breaks_that_came_or_went(void **state)
{
	rl_report *r = report(break_went, break_came);
	char *s = render(r, RL_FORMAT_WORD, 0);

	(void)state;
	assert_non_null(strstr(s, "The plan has three parts.{+\xc2\xb6+}\n"));
	assert_non_null(strstr(s, "The first is new.[-\xc2\xb6-]\n"));
	assert_null(strstr(s, "[-\xc2\xb6-]{+"));
	free(s);
	report_free(r);
}

/* The same words deleted and inserted with only a line break between
 * them told apart (the alignment left them apart where a paragraph break
 * became a sentence break): the words once, unmarked, and the break that
 * went. It read "[-troops.-]{+troops.+}". The line formats show the line
 * unchanged and the break that went, as a blank line removed. */
static void word_shows_the_same_words_once(void **state)
{
	static const char a[] = "We deploy troops.\n\nAfter that.\n",
			  b[] = "We deploy troops.\nAfter that.\n";
	static const rl_op ops[] = {
	    {RL_OP_EQUAL, 0, 10, 0, 10, 0, -1},
	    {RL_OP_DELETE, 10, 19, 10, 10, 0, 0},
	    {RL_OP_INSERT, 19, 19, 10, 18, 0, 0},
	    {RL_OP_EQUAL, 19, 31, 18, 30, 0, -1},
	};
	static const rl_change change = {.kind = RL_CHANGE_REPLACE,
					 .cls = RL_CLASS_COSMETIC,
					 .old_start = 10,
					 .old_end = 17,
					 .new_start = 10,
					 .new_end = 17,
					 .old_line = 1,
					 .new_line = 1,
					 .old_words = 1,
					 .new_words = 1};
	rl_report *r = calloc(1, sizeof(*r));
	char *s;

	(void)state;
	assert_non_null(r);
	r->principles = calloc(1, sizeof(*r->principles));
	r->diff = dc_diff_made(a, b, ops, sizeof(ops) / sizeof(*ops), &change, 1);
	r->diff->cls = r->cls = RL_CLASS_COSMETIC;
	s = render(r, RL_FORMAT_WORD, 0);
	assert_non_null(strstr(s, "\nWe deploy troops.[-\xc2\xb6-]\n"));
	assert_null(strstr(s, "troops.-]"));
	assert_null(strstr(s, "After that."));
	free(s);
	/* the line formats: the line is unchanged, the blank line after it
	 * removed; it read "-We deploy troops.", "-", "+We deploy troops."
	 * and, side by side, "We deploy <del>troops.</del>" against "We
	 * deploy <ins>troops.</ins>" */
	s = render(r, RL_FORMAT_UNIFIED, 0);
	assert_non_null(strstr(s, "\n We deploy troops.\n-\n After that.\n"));
	assert_null(strstr(s, "+We deploy"));
	free(s);
	s = render(r, RL_FORMAT_HTML, 0);
	assert_non_null(
	    strstr(s, "<tr><td class=\"n\">1</td><td class=\"o\">We deploy troops.</td>"
		      "<td class=\"n\">1</td><td class=\"w\">We deploy troops.</td></tr>"));
	assert_null(strstr(s, "<del>troops."));
	assert_null(strstr(s, "<ins>troops."));
	free(s);
	report_free(r);
}

/* The unified diff of a and b is want. */
static void unified_is(const char *a, const char *b, const char *want)
{
	rl_report *r = report(a, b);
	char *s = render(r, RL_FORMAT_UNIFIED, 0);

	assert_string_equal(s, want);
	free(s);
	report_free(r);
}

static void unified_has_git_style_hunks(void **state)
{
	rl_report *r = report(old_text, new_text);
	char *s = render(r, RL_FORMAT_UNIFIED, 0);

	(void)state;
	assert_true(strncmp(s, "--- old.txt\n+++ new.txt\n@@ -1,", 30) == 0);
	assert_non_null(strstr(s, "\n-The ministry will strengthen its posture.\n"));
	assert_non_null(strstr(s, "\n+The ministry strengthened its posture.\n"));
	assert_non_null(strstr(s, "\n # Chapter 2\n"));
	free(s);
	report_free(r);
	unified_is("same\n", "same\n", "");
	/* an empty text has no line: diff -u's "+0,0" for /dev/null */
	unified_is("One.\nTwo.\n", "", "--- old.txt\n+++ new.txt\n@@ -1,2 +0,0 @@\n-One.\n-Two.\n");
	unified_is("", "One.\n", "--- old.txt\n+++ new.txt\n@@ -0,0 +1 @@\n+One.\n");
}

/* A paragraph break that came is a blank line added after the sentence,
 * as git shows it, not the sentence deleted and inserted again; one
 * that went is a blank line removed. */
static void unified_shows_a_paragraph_break_as_a_blank_line(void **state)
{
	rl_report *r = report(break_went, break_came);
	char *s = render(r, RL_FORMAT_UNIFIED, 0);

	(void)state;
	assert_non_null(strstr(s, "\n The plan has three parts.\n+\n The first is new.\n-\n The "
				  "second is old.\n"));
	assert_null(strstr(s, "-The plan"));
	free(s);
	report_free(r);
}

static void json_has_the_contract_shape(void **state)
{
	rl_report *r = report(old_text, new_text);
	char *s = render(r, RL_FORMAT_JSON, 0);
	json_error_t jerr;
	json_t *j = json_loads(s, 0, &jerr), *stats, *changes, *p;
	int kinds[4] = {0};

	(void)state;
	assert_non_null(j);
	stats = json_object_get(j, "stats");
	for (const char *const *k =
		 (const char *const[]){"common", "inserted", "deleted", "moved", NULL};
	     *k; k++)
		assert_true(json_is_integer(json_object_get(stats, *k)));
	assert_int_equal(json_integer_value(json_object_get(stats, "common")),
			 (json_int_t)r->diff->stats.common);
	changes = json_object_get(j, "changes");
	assert_true(json_array_size(changes) >= 4);
	for (size_t i = 0; i < json_array_size(changes); i++) {
		json_t *c = json_array_get(changes, i);
		const char *kind = json_string_value(json_object_get(c, "kind"));
		const char *cls = json_string_value(json_object_get(c, "class"));

		assert_non_null(kind);
		assert_non_null(cls);
		assert_true(json_is_string(json_object_get(c, "old")));
		assert_true(json_is_string(json_object_get(c, "new")));
		assert_true(strcmp(cls, "cosmetic") == 0 || strcmp(cls, "wording") == 0 ||
			    strcmp(cls, "structure") == 0);
		if (strcmp(kind, "move") == 0) {
			kinds[3]++;
			assert_string_equal(json_string_value(json_object_get(c, "old")),
					    json_string_value(json_object_get(c, "new")));
		} else if (strcmp(kind, "replace") == 0) {
			kinds[2]++;
		} else {
			assert_true(strcmp(kind, "insert") == 0 || strcmp(kind, "delete") == 0);
			kinds[kind[0] == 'i' ? 0 : 1]++;
		}
	}
	/* "will strengthen" -> "strengthened"; "not" inserted; the budget
	 * sentence moved with its first words, "7.1"/"7.4 percent." left */
	assert_true(kinds[2] >= 1);
	assert_true(kinds[0] >= 2);
	assert_true(kinds[1] >= 1);
	assert_int_equal(kinds[3], 1);
	p = json_object_get(j, "principles");
	for (const char *const *k = (const char *const[]){"added", "removed", "reworded",
							  "relabelled", "reordered", NULL};
	     *k; k++)
		assert_true(json_is_array(json_object_get(p, *k)));
	assert_true(json_is_array(json_object_get(j, "watch")));
	json_decref(j);
	free(s);
	report_free(r);
}

static json_t *item_value(const rl_item *it)
{
	return json_pack("{s:s, s:s, s:s, s:i}", "id", it->id, "label", it->label, "text", it->text,
			 "list", it->list);
}

/* The principles are written by hand, not by jansson: they must read as
 * json_dumps(JSON_INDENT(2)) lays out the same values, one level in,
 * with every kind of entry present (an item added, removed, reworded,
 * relabelled and reordered, a quote to escape) and with none. */
static void json_principles_as_jansson_lays_them_out(void **state)
{
	static const char *const pairs[][2] = {
	    {"The principles are:\na. Keep \"peace\" firm.\nb. Deter war.\nc. Build trust "
	     "with all.\nd. Plan the budget.\n",
	     "The principles are:\na. Deter war.\nb. Keep \"peace\" firm.\nc. Build trust "
	     "with all our neighbours.\nd. Open a new office.\n"},
	    {"Nothing listed.\n", "Nothing listed here.\n"},
	};

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		rl_report *r = NULL;
		const rl_principles_diff *p;
		json_t *o = json_object(), *a[5];
		rl_buf want = RL_BUF_INIT;
		rl_error err;
		char *s, *dump;

		assert_int_equal(rl_report_build(&r, pairs[k][0], strlen(pairs[k][0]), pairs[k][1],
						 strlen(pairs[k][1]), NULL, &err),
				 0);
		p = r->principles;
		s = render(r, RL_FORMAT_JSON, 0);
		for (int i = 0; i < 5; i++)
			a[i] = json_array();
		for (size_t i = 0; p && i < p->n_added; i++)
			json_array_append_new(a[0], item_value(&p->added[i]));
		for (size_t i = 0; p && i < p->n_removed; i++)
			json_array_append_new(a[1], item_value(&p->removed[i]));
		for (size_t i = 0; p && i < p->n_reworded; i++)
			json_array_append_new(a[2], json_pack("{s:s, s:s, s:s, s:s}", "id",
							      p->reworded[i].id, "label",
							      p->reworded[i].label, "old",
							      p->reworded[i].old_text, "new",
							      p->reworded[i].new_text));
		for (size_t i = 0; p && i < p->n_relabelled; i++)
			json_array_append_new(
			    a[3], json_pack("{s:s, s:s, s:s}", "id", p->relabelled[i].id,
					    "old_label", p->relabelled[i].old_label, "new_label",
					    p->relabelled[i].new_label));
		for (size_t i = 0; p && i < p->n_reordered; i++)
			json_array_append_new(a[4], item_value(&p->reordered[i]));
		if (k == 0)
			for (int i = 0; i < 5; i++)
				assert_true(json_array_size(a[i]) > 0);
		json_object_set_new(o, "added", a[0]);
		json_object_set_new(o, "removed", a[1]);
		json_object_set_new(o, "reworded", a[2]);
		json_object_set_new(o, "relabelled", a[3]);
		json_object_set_new(o, "reordered", a[4]);
		dump = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		assert_non_null(dump);
		/* one level in: every line after the first two spaces deeper */
		rl_buf_puts(&want, "\"principles\": ");
		for (const char *c = dump; *c; c++) {
			rl_buf_putc(&want, *c);
			if (*c == '\n')
				rl_buf_puts(&want, "  ");
		}
		rl_buf_puts(&want, ",\n  \"watch\"");
		if (!strstr(s, rl_buf_cstr(&want)))
			fail_msg("pair %zu: want\n%s\nin\n%s", k, rl_buf_cstr(&want), s);
		free(dump);
		json_decref(o);
		rl_buf_free(&want);
		free(s);
		rl_report_free(r);
	}
}

static void json_survives_invalid_utf8(void **state)
{
	rl_report *r = report("Bad \xff byte here.\n", "Bad \xfe byte there.\n");
	char *s = render(r, RL_FORMAT_JSON, 0);
	json_error_t jerr;
	json_t *j = json_loads(s, 0, &jerr);

	(void)state;
	assert_non_null(j);
	assert_true(json_array_size(json_object_get(j, "changes")) >= 1);
	json_decref(j);
	free(s);
	report_free(r);
}

/* The changes are written by hand: strings must come back as they were,
 * quotes, backslashes and control characters escaped, invalid bytes as
 * U+FFFD, whatever their neighbours. */
static void json_strings_round_trip(void **state)
{
	/* no token in common, so the change is each whole line */
	static const struct {
		const char *a, *b, *old, *new;
	} cases[] = {
	    {"say \"yes\" \\ now\n", "no / then\n", "say \"yes\" \\ now", "no / then"},
	    {"tab\there\x01x\n", "\x02y\x1f\n", "tab\there\x01x", "\x02y\x1f"},
	    {"caf\xc3\xa9 \xe2\x80\x99s\n", "cafe\xcc\x81 \xf0\x9f\x98\x80\n",
	     "caf\xc3\xa9 \xe2\x80\x99s", "cafe\xcc\x81 \xf0\x9f\x98\x80"},
	    {"bad \xff\xfe ok\n", "worse \xc3 \xed\xa0\x80 yes\n",
	     "bad \xef\xbf\xbd\xef\xbf\xbd ok",
	     "worse \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd yes"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		rl_report *r = report(cases[i].a, cases[i].b);
		char *s = render(r, RL_FORMAT_JSON, 0);
		json_error_t jerr;
		json_t *j = json_loads(s, 0, &jerr), *c;

		if (!j)
			fail_msg("case %zu: %s in\n%s", i, jerr.text, s);
		c = json_array_get(json_object_get(j, "changes"), 0);
		assert_string_equal(json_string_value(json_object_get(c, "old")), cases[i].old);
		assert_string_equal(json_string_value(json_object_get(c, "new")), cases[i].new);
		json_decref(j);
		free(s);
		report_free(r);
	}
}

/* Text is copied eight bytes at a time up to the next byte to escape:
 * each such byte, at every offset after a long run, and high bytes in
 * the run, come back as they were. */
static void json_strings_round_trip_at_every_offset(void **state)
{
	static const char *const specials[] = {"\"", "\\", "\x01", "\t", "\x1f", "\x7f"};
	static const char run[] = "Deterrence\xc3\xa9holds\xe2\x80\x99when~capability";

	(void)state;
	for (size_t k = 0; k < sizeof(specials) / sizeof(*specials); k++)
		for (size_t at = 1; at < sizeof(run) - 1; at++) {
			rl_buf a = RL_BUF_INIT, want = RL_BUF_INIT;
			rl_report *r;
			json_error_t jerr;
			json_t *j, *c;
			char *s;

			/* inside the line (a change's ends are trimmed), never
			 * splitting a UTF-8 sequence */
			if (((unsigned char)run[at] & 0xC0) == 0x80)
				continue;
			rl_buf_put(&want, run, at);
			rl_buf_puts(&want, specials[k]);
			rl_buf_puts(&want, run + at);
			rl_buf_printf(&a, "%s\n", rl_buf_cstr(&want));
			r = report(rl_buf_cstr(&a), "0\n");
			s = render(r, RL_FORMAT_JSON, 0);
			if (!(j = json_loads(s, 0, &jerr)))
				fail_msg("special %zu at %zu: %s in\n%s", k, at, jerr.text, s);
			c = json_array_get(json_object_get(j, "changes"), 0);
			assert_string_equal(json_string_value(json_object_get(c, "old")),
					    rl_buf_cstr(&want));
			json_decref(j);
			free(s);
			report_free(r);
			rl_buf_free(&a);
			rl_buf_free(&want);
		}
}

/* A change list long enough to be written in two halves (on two
 * threads) reads as one array: every change, in order, each once. */
static void json_long_change_list_in_order(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	json_error_t jerr;
	json_t *j, *changes;
	rl_report *r;
	char *s, want[32];

	(void)state;
	for (int i = 0; i < 6001; i++) {
		rl_buf_printf(&a, "Line %d keeps its words but old%d.\n", i, i);
		rl_buf_printf(&b, "Line %d keeps its words but new%d.\n", i, i);
	}
	r = report(rl_buf_cstr(&a), rl_buf_cstr(&b));
	assert_int_equal(r->diff->n_changes, 6001);
	s = render(r, RL_FORMAT_JSON, 0);
	j = json_loads(s, 0, &jerr);
	if (!j)
		fail_msg("%s at line %d", jerr.text, jerr.line);
	changes = json_object_get(j, "changes");
	assert_int_equal(json_array_size(changes), 6001);
	for (int i = 0; i < 6001; i++) {
		json_t *c = json_array_get(changes, (size_t)i);

		snprintf(want, sizeof(want), "old%d", i);
		assert_string_equal(json_string_value(json_object_get(c, "old")), want);
		snprintf(want, sizeof(want), "new%d", i);
		assert_string_equal(json_string_value(json_object_get(c, "new")), want);
	}
	assert_non_null(json_object_get(j, "principles"));
	json_decref(j);
	free(s);
	report_free(r);
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* A sink that keeps what it is given, and how many pieces; or refuses
 * the second piece (fail). */
typedef struct kept {
	rl_buf all;
	int pieces, fail;
} kept;

static int keep_piece(void *ctx, const char *data, size_t len)
{
	kept *k = ctx;

	if (k->fail && k->pieces == 1) {
		errno = ENOSPC;
		return -1;
	}
	k->pieces++;
	return rl_buf_put(&k->all, data, len);
}

/* Rendered to a sink (rl_render_opts.sink), every format gives the bytes
 * it gives into a buffer, and leaves the buffer empty; a long JSON change
 * list comes in pieces, its halves as they are written. A sink that
 * refuses a piece stops the rendering with its error. */
static void sink_gets_the_bytes_of_the_buffer(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	rl_report *r;

	(void)state;
	for (int i = 0; i < 6001; i++) {
		rl_buf_printf(&a, "Line %d keeps its words but old%d.\n", i, i);
		rl_buf_printf(&b, "Line %d keeps its words but new%d.\n", i, i);
	}
	r = report(rl_buf_cstr(&a), rl_buf_cstr(&b));
	for (int f = RL_FORMAT_WORD; f <= RL_FORMAT_HTML; f++) {
		char *want = render(r, (rl_format)f, 0);
		rl_buf out = RL_BUF_INIT;
		kept k = {RL_BUF_INIT, 0, 0};
		rl_render_opts o = {.old_name = "old.txt",
				    .new_name = "new.txt",
				    .context = -1,
				    .sink = keep_piece,
				    .sink_ctx = &k};
		rl_error err;

		assert_int_equal(rl_render(&out, r, (rl_format)f, &o, &err), 0);
		assert_int_equal(out.len, 0);
		assert_int_equal(k.all.len, strlen(want));
		assert_memory_equal(k.all.ptr, want, k.all.len);
		/* the JSON's halves and its end: three pieces */
		assert_int_equal(k.pieces, f == RL_FORMAT_JSON ? 3 : 1);
		rl_buf_free(&k.all);
		free(want);
		if (f == RL_FORMAT_JSON) {
			k = (kept){RL_BUF_INIT, 0, 1};
			assert_int_equal(rl_render(&out, r, RL_FORMAT_JSON, &o, &err), RL_EIO);
			assert_string_equal(err.message,
					    "cannot write the report: No space left on device");
			assert_int_equal(k.pieces, 1);
			rl_buf_free(&k.all);
		}
		rl_buf_free(&out);
	}
	report_free(r);
	rl_buf_free(&a);
	rl_buf_free(&b);
}

static void html_is_self_contained_with_linked_moves(void **state)
{
	rl_report *r = report(old_text, new_text);
	char *s = render(r, RL_FORMAT_HTML, 0);

	(void)state;
	assert_true(strncmp(s, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(s, "<del>will strengthen</del>"));
	assert_non_null(strstr(s, "<ins>strengthened</ins>"));
	assert_non_null(strstr(s, "id=\"m1-from\""));
	assert_non_null(strstr(s, "href=\"#m1-to\""));
	assert_null(strstr(s, "src="));
	assert_null(strstr(s, "http"));
	assert_null(strstr(s, "<script"));
	free(s);
	report_free(r);
	r = report("a <b> & c\n", "a <i> & c\n");
	s = render(r, RL_FORMAT_HTML, 0);
	assert_non_null(strstr(s, "&lt;<del>b</del>&gt;"));
	assert_null(strstr(s, "<b>"));
	free(s);
	report_free(r);
}

static const char *find_chromium(void)
{
	static const char *const paths[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser",
					    "/usr/bin/google-chrome"};

	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

static void html_renders_in_headless_chromium(void **state)
{
	const char *chromium = find_chromium();
	char dir[] = "/tmp/redline-render-XXXXXX", html[128], png[128], cmd[1024];
	rl_report *r;
	char *s;
	struct stat st;
	rl_error err;

	(void)state;
	if (!chromium) {
		printf(
		    "chromium absent (apt-get install chromium): HTML screenshot test skipped\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	snprintf(html, sizeof(html), "%s/report.html", dir);
	snprintf(png, sizeof(png), "%s/report.png", dir);
	r = report(old_text, new_text);
	s = render(r, RL_FORMAT_HTML, 0);
	assert_int_equal(rl_file_write_atomic(html, s, strlen(s), &err), 0);
	snprintf(cmd, sizeof(cmd),
		 "'%s' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
		 "--disable-background-networking --disable-component-update --disable-sync "
		 "--user-data-dir='%s/profile' --window-size=1200,800 --screenshot='%s' "
		 "'file://%s' >'%s/log' 2>&1",
		 chromium, dir, png, html, dir);
	assert_int_equal(system(cmd), 0);
	/* A drawn page: a PNG of real size (a blank 1200x800 page is ~5 KB). */
	assert_int_equal(stat(png, &st), 0);
	assert_true(st.st_size > 8000);
	printf("HTML report screenshot: %s (%lld bytes)\n", png, (long long)st.st_size);
	free(s);
	report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(formats_parse_by_name),
	    cmocka_unit_test(word_marks_changed_words_only),
	    cmocka_unit_test(word_shows_the_breaks_that_came_or_went),
	    cmocka_unit_test(word_shows_the_same_words_once),
	    cmocka_unit_test(unified_has_git_style_hunks),
	    cmocka_unit_test(unified_shows_a_paragraph_break_as_a_blank_line),
	    cmocka_unit_test(json_has_the_contract_shape),
	    cmocka_unit_test(json_survives_invalid_utf8),
	    cmocka_unit_test(json_strings_round_trip),
	    cmocka_unit_test(json_principles_as_jansson_lays_them_out),
	    cmocka_unit_test(json_strings_round_trip_at_every_offset),
	    cmocka_unit_test(json_long_change_list_in_order),
	    cmocka_unit_test(sink_gets_the_bytes_of_the_buffer),
	    cmocka_unit_test(html_is_self_contained_with_linked_moves),
	    cmocka_unit_test(html_renders_in_headless_chromium),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
