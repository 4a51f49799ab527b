/* Unit tests: canonical text of plain text (rl_canon_plain): sentences,
 * abbreviations, joining of wrapped lines, Unicode normalization, and
 * the same bytes whatever the wrapping, on the seed page and on the
 * corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "redline/extract.h"
#include "redline/label.h"
#include "redline/util.h"

#include "extract-fixtures.h"

#define CORPUS "../shared/corpus/rok-dwp-2020.txt"

static void canon(rl_buf *out, const char *in)
{
	rl_error err;

	if (rl_canon_plain(out, in, strlen(in), &err) < 0)
		fail_msg("%s", err.message);
}

static void expect(const char *in, const char *want)
{
	rl_buf out = RL_BUF_INIT;

	canon(&out, in);
	assert_string_equal(rl_buf_cstr(&out), want);
	rl_buf_free(&out);
}

static void abbreviations_do_not_end_sentences(void **state)
{
	(void)state;
	expect("The U.S. Forces Korea (USFK) has 28,500 troops. Resolution No. 2397 was adopted "
	       "unanimously. Allies, e.g. Japan, agreed. Under Art. 5 Paragraph 2 it applies. The "
	       "ROK–US Alliance is strong. He met Gen. Kim and Lt. Col. Park. The unit moved to "
	       "the U.S. The talks ended in Jan. 2020 in Seoul. Why? Because.",
	       "The U.S. Forces Korea (USFK) has 28,500 troops.\n"
	       "Resolution No. 2397 was adopted unanimously.\n"
	       "Allies, e.g. Japan, agreed.\n"
	       "Under Art. 5 Paragraph 2 it applies.\n"
	       "The ROK–US Alliance is strong.\n"
	       "He met Gen. Kim and Lt. Col. Park.\n"
	       "The unit moved to the U.S.\n"
	       "The talks ended in Jan. 2020 in Seoul.\n"
	       "Why?\n"
	       "Because.\n");
}

static void wrapped_words_are_joined(void **state)
{
	(void)state;
	expect("The responsi-\nbility is shared. A system-\nrelated issue raises system-related "
	       "costs. Non-\ntraditional threats grow. COVID-\n19 spread. The ROK–\nUS Alliance "
	       "holds. Co-\noperation and cooperation differ.\n",
	       "The responsibility is shared.\n"
	       "A system-related issue raises system-related costs.\n"
	       "Non-traditional threats grow.\n"
	       "COVID-19 spread.\n"
	       "The ROK–US Alliance holds.\n"
	       "Cooperation and cooperation differ.\n");
	/* a soft hyphen at a line end joins, inside a line it vanishes */
	expect("docu\xC2\xAD\nment and in\xC2\xADvisible.", "document and invisible.\n");
}

static void text_is_normalized(void **state)
{
	(void)state;
	/* NFC, ligatures spelled out, spaces and invisible characters */
	expect("Cafe\xCC\x81 e\xEF\xAC\x80ort\xC2\xA0\xC2\xA0now\xE2\x80\x8B.\r\n",
	       "Caf\xC3\xA9 effort now.\n");
	expect("\xE1\x84\x80\xE1\x85\xA1 \xEB\x82\x98.", "\xEA\xB0\x80 \xEB\x82\x98.\n");
	/* punctuation beyond Latin-1 is left as it is, and does not keep the
	 * rest of its line from being normalized: a decomposed é after it,
	 * a syllable and a final jamo that compose, a singleton (Å, the
	 * Angstrom sign, and Ω, the Ohm sign), marks out of canonical order
	 * (Hebrew hataf segol, class 11, before sheva, class 10) */
	expect("\xE2\x80\x9CIt\xE2\x80\x99s\xE2\x80\x9D \xE2\x80\x93 done \xE2\x80\xA2 now.",
	       "\xE2\x80\x9CIt\xE2\x80\x99s\xE2\x80\x9D \xE2\x80\x93 done \xE2\x80\xA2 now.\n");
	expect("It\xE2\x80\x99s a cafe\xCC\x81.", "It\xE2\x80\x99s a caf\xC3\xA9.\n");
	expect("\xE2\x80\x99\xEA\xB0\x80\xE1\x86\xA8.", "\xE2\x80\x99\xEA\xB0\x81.\n");
	expect("10 \xE2\x84\xAB and 5 \xE2\x84\xA6.", "10 \xC3\x85 and 5 \xCE\xA9.\n");
	expect("\xD7\x90\xD6\xB1\xD6\xB0.", "\xD7\x90\xD6\xB0\xD6\xB1.\n");
	expect("", "");
	expect(" \n\t\n", "");
	/* sentences split after characters beyond the BMP as after any */
	expect("The plan \xF0\x9F\x98\x80 grew. Then \xF0\x9D\x94\xB8 fell. Last one.",
	       "The plan \xF0\x9F\x98\x80 grew.\nThen \xF0\x9D\x94\xB8 fell.\nLast one.\n");
}

static void paragraphs_headings_and_items(void **state)
{
	(void)state;
	expect("Line one of a paragraph\nthat goes on. Another sentence.\n\nA second paragraph.\n",
	       "Line one of a paragraph that goes on.\nAnother sentence.\n\nA second paragraph.\n");
	expect(
	    "Defense Policy Goals\nThe goals are as follows:\n1. Deter war;\n2. Keep peace; and\n"
	    "3. Build trust.\nThis closes the list.\n",
	    "# Defense Policy Goals\n\nThe goals are as follows:\n1. Deter war;\n2. Keep peace; "
	    "and\n3. Build trust.\n\nThis closes the list.\n");
	/* a label inside a sentence starts nothing */
	expect("It rose by\n5. This is not an item.\n", "It rose by 5.\nThis is not an item.\n");
}

/* A line standing alone is taken for a heading when it is shaped like a
 * title: twelve words at most, most of them capitalized, the small
 * words of titles ("of", "the", "and", "between") not counted. */
static void title_shaped_lines_are_headings(void **state)
{
	(void)state;
	expect("Relations between the Two Koreas and the Alliance\n\nA sentence.\n",
	       "# Relations between the Two Koreas and the Alliance\n\nA sentence.\n");
	/* twelve words, then thirteen */
	expect("One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve\n\nA sentence.\n",
	       "# One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve\n\nA "
	       "sentence.\n");
	expect("One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen\n\nA "
	       "sentence.\n",
	       "One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen\n\nA "
	       "sentence.\n");
	/* words that only begin like small words count against it */
	expect("Defense ofthe andes thereby Korea\n\nA sentence.\n",
	       "Defense ofthe andes thereby Korea\n\nA sentence.\n");
	expect("Defense of the and Korea\n\nA sentence.\n",
	       "# Defense of the and Korea\n\nA sentence.\n");
}

/* n long sentence lines, a text of a sentence to a line. */
static void sentence_lines(rl_buf *out, int n)
{
	for (int i = 1; i <= n; i++)
		rl_buf_printf(out,
			      "Review %d found that the daily routine of servicemembers had been "
			      "kept in most units without any loss of readiness.\n",
			      i);
}

/* A line going on in lowercase after one left unfinished (a word edited
 * into a sentence's start) in a text of a sentence to a line is no
 * evidence that its hundreds of long lines were wrapped at that short
 * length: the items after a long line stay items, not joined into it.
 * Found by the differ's scans: the 2020 edition with one such edit read
 * "② Conference hall", "③ Command ..." and "④ Civil affairs ..." as one
 * line, and the diff showed each label replaced by itself. */
static void one_short_wrap_is_not_the_page_width(void **state)
{
	static const char items[] =
	    "Visitor controls were set for each unit, and the routine was reviewed with every "
	    "commander at the start of each month (3) ① General (office work, administration, "
	    "etc.)\n"
	    "② Conference hall\n"
	    "③ Command and control, training, and guard activities\n"
	    "④ Civil affairs\n";
	rl_buf prose = RL_BUF_INIT, in = RL_BUF_INIT, want = RL_BUF_INIT, out = RL_BUF_INIT;

	(void)state;
	sentence_lines(&prose, 250);
	rl_buf_printf(&in,
		      "%s\n%s\nPilot withdrawal of guard posts (11 loc\n"
		      "changed 2018 for mutual verification.\n",
		      prose.ptr, items);
	rl_buf_printf(&want,
		      "%s\n%s\nPilot withdrawal of guard posts (11 loc "
		      "changed 2018 for mutual verification.\n",
		      prose.ptr, items);
	canon(&out, in.ptr);
	assert_string_equal(out.ptr, want.ptr);
	rl_buf_free(&prose);
	rl_buf_free(&in);
	rl_buf_free(&want);
	rl_buf_free(&out);
}

/* In text of a sentence to a line, hundreds of lines and no wrap, each
 * line break is meant: a label starting a line starts an item even when
 * the line before is no finished sentence and the label does not follow
 * its item's ("④" gone from the list). Read as wrapped, "⑤" joined "③". */
static void a_label_on_a_line_of_its_own_starts_an_item(void **state)
{
	static const char items[] = "The eight fields are:\n"
				    "① Autonomous and AI based surveillance and reconnaissance\n"
				    "② Super-connected intelligent command and control\n"
				    "③ Super high-speed and high-power precision strike\n"
				    "⑤ Manned and unmanned combined combat performance\n"
				    "⑥ Cutting-edge technology-based individual combat system\n";
	rl_buf in = RL_BUF_INIT, out = RL_BUF_INIT;

	(void)state;
	sentence_lines(&in, 250);
	rl_buf_printf(&in, "\n%s", items);
	canon(&out, in.ptr);
	assert_string_equal(out.ptr, in.ptr);
	rl_buf_free(&in);
	rl_buf_free(&out);
}

/* Canonical text read back is itself. */
static void canonical_text_is_a_fixed_point(void **state)
{
	rl_strv lines = RL_STRV_INIT;
	rl_buf in = RL_BUF_INIT, once = RL_BUF_INIT, twice = RL_BUF_INIT;

	(void)state;
	fx_page85(&lines);
	for (size_t i = 0; i < lines.n; i++)
		rl_buf_printf(&in, "%s\n", lines.v[i]);
	canon(&once, in.ptr);
	canon(&twice, once.ptr);
	assert_string_equal(twice.ptr, once.ptr);
	rl_buf_free(&in);
	rl_buf_free(&once);
	rl_buf_free(&twice);
	rl_strv_free(&lines);
}

static void seed_page_rewrapped_gives_the_same_bytes(void **state)
{
	rl_strv lines = RL_STRV_INIT;
	rl_buf ref = RL_BUF_INIT, in = RL_BUF_INIT, out = RL_BUF_INIT;

	(void)state;
	fx_page85(&lines);
	for (size_t i = 0; i < lines.n; i++)
		rl_buf_printf(&in, "%s\n", lines.v[i]);
	canon(&ref, in.ptr);
	for (size_t width = 45; width <= 200; width += 5) {
		rl_strv w = RL_STRV_INIT;

		fx_rewrap(&w, &lines, 5, 1, width);
		rl_buf_reset(&in);
		for (size_t i = 0; i < w.n; i++)
			rl_buf_printf(&in, "%s\n", w.v[i]);
		canon(&out, in.ptr);
		if (strcmp(out.ptr, ref.ptr) != 0)
			fail_msg("width %zu:\n%s\nwanted\n%s", width, out.ptr, ref.ptr);
		rl_strv_free(&w);
	}
	rl_buf_free(&ref);
	rl_buf_free(&in);
	rl_buf_free(&out);
	rl_strv_free(&lines);
}

/* Greedy wrapping of canonical text: each paragraph (its sentence lines)
 * and each item is re-flowed at width, headings and blank lines stay:
 * the same text typeset at another width. */
static void rewrap_canonical(rl_buf *out, const rl_buf *c, size_t width)
{
	rl_buf para = RL_BUF_INIT;
	size_t i = 0;

	rl_buf_reset(out);
	while (i <= c->len) {
		const char *nl = i < c->len ? memchr(c->ptr + i, '\n', c->len - i) : NULL;
		size_t end = nl ? (size_t)(nl - c->ptr) : c->len, n = end - i, col = 0;
		const char *l = c->ptr + i;
		rl_label lab;
		char *save = NULL;

		if (i < c->len && n && l[0] != '#' && !(rl_label_match(l, n, &lab) && para.len)) {
			if (para.len)
				rl_buf_putc(&para, ' ');
			rl_buf_put(&para, l, n);
			i = end + 1;
			continue;
		}
		for (char *w = para.len ? strtok_r(para.ptr, " ", &save) : NULL; w;
		     w = strtok_r(NULL, " ", &save)) {
			size_t wl = strlen(w);

			if (col && col + 1 + wl > width) {
				rl_buf_putc(out, '\n');
				col = 0;
			}
			if (col)
				rl_buf_putc(out, ' '), col++;
			rl_buf_puts(out, w);
			col += wl;
		}
		if (col)
			rl_buf_putc(out, '\n');
		rl_buf_reset(&para);
		if (i >= c->len)
			break;
		if (n && l[0] != '#') {
			rl_buf_put(&para, l, n); /* an item starts the next paragraph */
		} else {
			rl_buf_put(out, l, n);
			rl_buf_putc(out, '\n');
		}
		i = end + 1;
	}
	rl_buf_free(&para);
}

/* On real material: chapters 1 and 2 of the 2020 edition, canonicalized,
 * read back as themselves, and re-wrapped at several widths they give
 * the same bytes. */
static void corpus_rewrapped_gives_the_same_bytes(void **state)
{
	rl_buf raw = RL_BUF_INIT, ref = RL_BUF_INIT, wrapped = RL_BUF_INIT, out = RL_BUF_INIT;
	rl_error err;
	const char *from, *to;

	(void)state;
	if (access(CORPUS, R_OK) != 0) {
		printf("skipped: %s is not there (the shared corpus)\n", CORPUS);
		skip();
	}
	assert_int_equal(rl_file_read(CORPUS, &raw, &err), 0);
	from = strstr(raw.ptr, "## Changes and Challenges in the Security Environment");
	to = strstr(raw.ptr, "## Safeguarding Peace by Establishing a Robust Defense Posture");
	assert_true(from && to && to > from);
	rl_buf_set(&wrapped, from, (size_t)(to - from));
	canon(&ref, wrapped.ptr);
	assert_true(ref.len > 80000);
	canon(&out, ref.ptr);
	assert_string_equal(out.ptr, ref.ptr);
	for (size_t width = 60; width <= 140; width += 20) {
		rewrap_canonical(&wrapped, &ref, width);
		canon(&out, wrapped.ptr);
		if (strcmp(out.ptr, ref.ptr) != 0) {
			size_t k = 0;

			while (out.ptr[k] == ref.ptr[k])
				k++;
			fail_msg("width %zu differs at byte %zu:\n...%.300s\nwanted\n...%.300s",
				 width, k, out.ptr + (k > 150 ? k - 150 : 0),
				 ref.ptr + (k > 150 ? k - 150 : 0));
		}
	}
	rl_buf_free(&raw);
	rl_buf_free(&ref);
	rl_buf_free(&wrapped);
	rl_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(abbreviations_do_not_end_sentences),
	    cmocka_unit_test(wrapped_words_are_joined),
	    cmocka_unit_test(text_is_normalized),
	    cmocka_unit_test(paragraphs_headings_and_items),
	    cmocka_unit_test(title_shaped_lines_are_headings),
	    cmocka_unit_test(one_short_wrap_is_not_the_page_width),
	    cmocka_unit_test(a_label_on_a_line_of_its_own_starts_an_item),
	    cmocka_unit_test(canonical_text_is_a_fixed_point),
	    cmocka_unit_test(seed_page_rewrapped_gives_the_same_bytes),
	    cmocka_unit_test(corpus_rewrapped_gives_the_same_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
