/* The differ's tokenizer: its ASCII fast path must give exactly the
 * tokens (bytes and kinds) that ICU's word BreakIterator gives, on every
 * short string over the characters whose rules differ, on mixed ASCII
 * and non-ASCII text, and on whole editions of the corpus. Two texts on
 * two threads give the tokens of one; items' labels are one id while
 * aligning and their own once restored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../archive/diff-tokens.h"
#include "redline/thread.h"
#include "redline/util.h"

/* Tokenizes text both ways and asserts the same tokens. */
static void same_tokens(const char *text, size_t len)
{
	dintern *ids = NULL;
	dside fast, icu;
	word_counter wc;
	rl_error err;

	assert_int_equal(dintern_new(&ids), 0);
	assert_int_equal(diff_tokenize_icu(&fast, text, len, ids, 0, &err), 0);
	assert_int_equal(diff_tokenize_icu(&icu, text, len, ids, 1, &err), 0);
	if (fast.ntok != icu.ntok)
		fprintf(stderr, "tokens differ in \"%.*s\": %zu fast, %zu ICU\n", (int)len, text,
			fast.ntok, icu.ntok);
	for (size_t i = 0; i < fast.ntok && i < icu.ntok; i++) {
		const dtok *f = &fast.tok[i], *c = &icu.tok[i];

		if (f->start != c->start || f->end != c->end || f->kind != c->kind) {
			fprintf(stderr, "in \"%.*s\": fast [%.*s] kind %d, ICU [%.*s] kind %d\n",
				(int)len, text, (int)(f->end - f->start), text + f->start, f->kind,
				(int)(c->end - c->start), text + c->start, c->kind);
			fail();
		}
		assert_int_equal(f->line, c->line);
	}
	assert_int_equal(fast.ntok, icu.ntok);
	/* each line's first token and count, and the arrays the aligners
	 * read */
	assert_int_equal(fast.nline, icu.nline);
	for (size_t l = 0; l < fast.nline; l++) {
		assert_int_equal(fast.line[l].ntok, icu.line[l].ntok);
		if (fast.line[l].ntok)
			assert_int_equal(fast.line[l].tok0, icu.line[l].tok0);
	}
	for (size_t i = 0; i < fast.ntok; i++) {
		assert_int_equal(fast.ids[i], icu.ids[i]); /* labels' ids are all one */
		assert_int_equal(fast.match[i], -1);
	}
	/* counting the words gives as many as there are tokens of words,
	 * from the first line on and from the second */
	assert_int_equal(diff_word_counter_init(&wc, text, len, &err), 0);
	for (size_t l = 0; l < 2 && l < fast.nline; l++) {
		size_t from = fast.line[l].start, words = 0, counted;

		for (size_t i = 0; i < fast.ntok; i++)
			words += fast.tok[i].start >= from && fast.tok[i].kind != TOK_PUNCT;
		assert_int_equal(diff_word_counter_count(&wc, from, len, &counted), 0);
		if (counted != words)
			fail_msg("\"%.*s\" from byte %zu: %zu words counted, %zu tokens of words",
				 (int)len, text, from, counted, words);
	}
	diff_word_counter_close(&wc);
	dside_free(&fast);
	dside_free(&icu);
	dintern_free(ids);
}

/* Every string of one to four pieces over the k pieces given (characters,
 * one or more bytes each), tokenized both ways. */
static void strings_over(const char *const *pieces, size_t k)
{
	char s[32];

	for (size_t n = 1; n <= 4; n++) {
		size_t total = 1;

		for (size_t i = 0; i < n; i++)
			total *= k;
		for (size_t x = 0; x < total; x++) {
			size_t v = x, len = 0;

			for (size_t i = 0; i < n; i++, v /= k) {
				memcpy(s + len, pieces[v % k], strlen(pieces[v % k]));
				len += strlen(pieces[v % k]);
			}
			same_tokens(s, len);
		}
	}
}

static void every_short_string_matches_icu(void **state)
{
	/* one of each class that a word-break rule treats apart, and the
	 * characters ICU handles with rules of its own */
	static const char *const alphabet[] = {"a", "Z", "0", "9", ".",  "'",  ",", ";", ":",
					       "-", "_", "@", " ", "\n", "\"", "(", "/"};

	(void)state;
	strings_over(alphabet, sizeof(alphabet) / sizeof(*alphabet));
}

/* Every ASCII byte, alone and between letters, digits and spaces: the
 * fast path classes bytes by a table, which must agree with ICU on each. */
static void every_ascii_byte_matches_icu(void **state)
{
	static const char *const around[] = {"", "a", "1", " "};
	char s[4];

	(void)state;
	for (int c = 1; c < 128; c++) {
		for (size_t l = 0; l < 4; l++) {
			for (size_t r = 0; r < 4; r++) {
				size_t n = 0;

				if (*around[l])
					s[n++] = *around[l];
				s[n++] = (char)c;
				if (*around[r])
					s[n++] = *around[r];
				same_tokens(s, n);
			}
		}
	}
}

/* Every byte, at every offset of a run of letters and digits long
 * enough for the fast path's eight-byte scan: the scan must stop at the
 * byte exactly where ICU's rules do. */
static void every_byte_in_a_long_word_matches_icu(void **state)
{
	static const char *const words[] = {"abcdefghijklmnopqrstuvwxyz", "0123456789012345678901",
					    "AzaZ09zA9a0ZZz90aAzZ9", "a1b2c3d4e5f6g7h8i9j0k"};
	char s[40];

	(void)state;
	for (size_t w = 0; w < sizeof(words) / sizeof(*words); w++) {
		size_t n = strlen(words[w]);

		for (int c = 1; c < 256; c++) {
			for (size_t k = 0; k < n; k++) {
				memcpy(s, words[w], n);
				s[k] = (char)c;
				same_tokens(s, n);
			}
		}
	}
}

/* text, tokenized and counted, asks ICU about nothing: the fast path
 * knows every character; `words` of its tokens are words. */
static void no_icu_needed(const char *text, size_t words)
{
	size_t len = strlen(text), cap, counted;
	dintern *ids = NULL;
	word_counter wc;
	tokenizer tk;
	rl_error err;
	dside s;

	same_tokens(text, len);
	assert_int_equal(dintern_new(&ids), 0);
	assert_int_equal(diff_side_begin(&s, text, len, NULL, &cap, &err), 0);
	diff_tokenizer_init(&tk, &s, cap, 0, ids, &err);
	assert_int_equal(diff_tokenize_range(&tk, 0, len), 0);
	assert_int_equal(tk.icu_runs, 0);
	counted = 0;
	for (size_t i = 0; i < s.ntok; i++)
		counted += s.tok[i].kind != TOK_PUNCT;
	assert_int_equal(counted, words);
	(void)diff_tokenizer_close(&tk);
	assert_int_equal(diff_side_end(&s, &err), 0);
	assert_int_equal(diff_word_counter_init(&wc, text, len, &err), 0);
	assert_int_equal(diff_word_counter_count(&wc, 0, len, &counted), 0);
	assert_int_equal(wc.tk.icu_runs, 0);
	assert_int_equal(counted, words);
	diff_word_counter_close(&wc);
	dside_free(&s);
	dintern_free(ids);
	same_tokens(text, len);
}

/* The characters beyond ASCII the fast path knows (punctuation and
 * symbols, private use, Hangul syllables, letters such as é and ㅅ,
 * combining marks after a character), and neighbours it
 * must leave to ICU (‧ and ․, which join as · and ’ do, a compatibility
 * ideograph), in every string of up to four characters over a few of
 * them, letters, digits, the ASCII joiners and a space; and each of
 * them between every pair of a letter, a digit and an ASCII joiner.
 * Text of only those it knows is tokenized and counted without ICU. */
static void known_wide_characters_match_icu(void **state)
{
	static const char *const alphabet[] = {
	    "a",
	    "1",
	    ".",
	    ",",
	    " ",
	    "\xe2\x80\x99", /* ’ */
	    "\xc2\xb7",     /* · */
	    "\xe2\x80\x93", /* – */
	    "\xe2\x97\x8f", /* ● */
	    "\xe2\x80\xa7", /* ‧ (ICU's) */
	    "\xe2\x80\xa4", /* ․ (ICU's) */
	    "\xcc\x81",     /* a combining acute accent (ICU's after a space) */
	    "\xee\x80\x80", /* U+E000, private use (a report's mask); U+F8FF below */
	    "\xef\xa4\x80", /* U+F900, after private use (ICU's) */
	    "\xc3\xa9",     /* é, a letter */
	    "\xe3\x85\x85", /* ㅅ, a compatibility jamo, a letter */
	};
	/* Hangul syllables, the first and the last, beside what they do not
	 * join and neighbours ICU must judge (U+ABFF and U+D7A4 around the
	 * syllables, ㆍ, a letter to ICU, a combining accent) */
	static const char *const hangul[] = {
	    "\xea\xb0\x80", /* 가 */
	    "\xed\x9e\xa3", /* 힣 */
	    "a",
	    "1",
	    ".",
	    " ",
	    "\xe2\x80\x99", /* ’ */
	    "\xc2\xb7",     /* · */
	    "\xe3\x80\x8c", /* 「 */
	    "\xea\xaf\xbf", /* U+ABFF (ICU's) */
	    "\xed\x9e\xa4", /* U+D7A4 (ICU's) */
	    "\xe3\x86\x8d", /* ㆍ (ICU's) */
	    "\xcc\x81",     /* a combining acute accent (ICU's) */
	};
	static const char *const wide[] = {
	    "\xe2\x80\x98", "\xe2\x80\x99", "\xc2\xb7", "\xe2\x80\x93", "\xe2\x80\x94",
	    "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\xa2", "\xe2\x80\xa6", "\xe2\x86\x92",
	    "\xe2\x97\x8f", "\xe2\x80\x9a", "\xea\xb0\x80", "\xed\x9e\xa3", "\xe3\x80\x8c",
	    "\xe3\x80\x8d", "\xe3\x80\x90", "\xe3\x80\x91", "\xee\x80\x80", "\xef\xa3\xbf",
	    /* ① ⑳ ⑴ (ICU's) ° × ÷ ○ △ ★ ※ ≒ ⇒ ∙ ℃ ㎞ ㎡ ㎢ ＊ */
	    "\xe2\x91\xa0", "\xe2\x91\xb3", "\xe2\x91\xb4", "\xc2\xb0", "\xc3\x97", "\xc3\xb7",
	    "\xe2\x97\x8b", "\xe2\x96\xb3", "\xe2\x98\x85", "\xe2\x80\xbb", "\xe2\x89\x92",
	    "\xe2\x87\x92", "\xe2\x88\x99", "\xe2\x84\x83", "\xe3\x8e\x9e", "\xe3\x8e\xa1",
	    "\xe3\x8e\xa2", "\xef\xbc\x8a"};
	static const char *const around[] = {"", "a", "Z", "7", ".", "'", ";", "\xe2\x80\x99"};
	char s[32];

	(void)state;
	strings_over(alphabet, sizeof(alphabet) / sizeof(*alphabet));
	strings_over(hangul, sizeof(hangul) / sizeof(*hangul));
	for (size_t w = 0; w < sizeof(wide) / sizeof(*wide); w++)
		for (size_t l = 0; l < sizeof(around) / sizeof(*around); l++)
			for (size_t r = 0; r < sizeof(around) / sizeof(*around); r++) {
				int len = snprintf(s, sizeof(s), "x%s%s%s%s%sy", around[l],
						   around[l], wide[w], around[r], around[r]);

				same_tokens(s, (size_t)len);
				same_tokens(s + 1, (size_t)len - 2);
			}
	no_icu_needed("The ministry\xe2\x80\x99s \xe2\x80\x9cplan\xe2\x80\x9d \xe2\x80\x93 "
		      "l\xc2\xb7l, 1\xe2\x80\x99"
		      "000 \xe2\x80\x98x\xe2\x80\x99 \xe2\x80\xa2 a\xe2\x80\xa6 \xe2\x86\x92 "
		      "\xe2\x97\x8f \xe2\x80\x94 end.\xee\x80\x80\xef\xa3\xbf\n",
		      8);
	/* ①x ⑳ 30° 2×3÷4 ○ △ ★ ※ ≒ ⇒ ∙ 5℃ 3㎡ 4㎞ ㎢ ＊ */
	no_icu_needed("\xe2\x91\xa0x \xe2\x91\xb3 30\xc2\xb0 2\xc3\x97"
		      "3\xc3\xb7"
		      "4 \xe2\x97\x8b \xe2\x96\xb3 \xe2\x98\x85 \xe2\x80\xbb \xe2\x89\x92 "
		      "\xe2\x87\x92 \xe2\x88\x99 5\xe2\x84\x83 3\xe3\x8e\xa1 4\xe3\x8e\x9e "
		      "\xe3\x8e\xa2 \xef\xbc\x8a\n",
		      8);
	/* ℓ and the jamo's ends, a letter each; U+2112, U+3130 and
	 * U+318F beside them, ICU's */
	no_icu_needed("5\xe2\x84\x93 \xe3\x84\xb1.\xe3\x86\x8e \xea\xb0\x80\xe3\x84\xb1\n", 4);
	same_tokens("a\xe2\x84\x92 \xe3\x84\xb0 a\xe3\x86\x8f", 14);
	/* U+037E, the first character after the marks, is none: ICU's */
	same_tokens("a\xcd\xbe"
		    "b",
		    4);
	/* Korea̓s café, ÉTÉ à 1̕2 ö.́x a—̓b ×́ (́x */
	no_icu_needed("Korea\xcc\x93s caf\xc3\xa9, \xc3\x89T\xc3\x89 \xc3\xa0 1\xcc\x95"
		      "2 \xc3\xb6.\xcc\x81x a\xe2\x80\x94\xcc\x93"
		      "b \xc3\x97\xcc\x81 (\xcc\x81x\n",
		      9);
	/* 국방부는 「2020 국방백서」【1】 ROK군 가.나 */
	no_icu_needed("\xea\xb5\xad\xeb\xb0\xa9\xeb\xb6\x80\xeb\x8a\x94 \xe3\x80\x8c"
		      "2020 \xea\xb5\xad\xeb\xb0\xa9\xeb\xb0\xb1\xec\x84\x9c\xe3\x80\x8d"
		      "\xe3\x80\x90"
		      "1\xe3\x80\x91 ROK\xea\xb5\xb0 \xea\xb0\x80.\xeb\x82\x98\n",
		      8);
}

/* Random strings of 9 to 40 bytes over the bytes that end or join a
 * run of letters and digits, and those next to a-z, A-Z and 0-9 in
 * ASCII (the eight-byte test's range edges). */
static void random_long_strings_match_icu(void **state)
{
	static const char alphabet[] = "aAzZ09@[`{/:'.,;_ -\n\x7f\xc3\xa9\xe2\x80\x99\xc2\xb7";
	const size_t k = sizeof(alphabet) - 1;
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	char s[41];

	(void)state;
	for (int r = 0; r < 20000; r++) {
		size_t n;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		n = 9 + (size_t)(x % 32);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* mostly letters, so the runs are long */
			s[i] = x % 3 ? "aAzZ09"[(x >> 8) % 6] : alphabet[(x >> 8) % k];
		}
		same_tokens(s, n);
	}
}

/* Random strings of 64 to 320 bytes, mostly the plain ASCII that is
 * tokenized sixty-four bytes at a time: tokens, joiners ('.', '\'', ','
 * and ';') and spaces at every offset of a block and across the edge of
 * two, and now and then a byte that sends its chunk to the other paths
 * (where the plain chunks before it must end). */
static void random_strings_across_blocks_match_icu(void **state)
{
	static const char plain[] = "aZ9aZ9aZ9x0.',;:-() \n\t/\x7f\x01";
	static const char *const other[] = {"_",        "@",        "\xc3\xa9",    "\xe2\x80\x99",
					    "\xcc\x81", "\xc2\xb7", "\xea\xb0\x80"};
	uint64_t x = 0x2545f4914f6cdd1dULL;
	char s[330];

	(void)state;
	for (int r = 0; r < 6000; r++) {
		size_t n, i = 0;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		n = 64 + (size_t)(x % 257);
		while (i < n) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			if (x % 97 == 0) {
				const char *o = other[(x >> 8) % (sizeof(other) / sizeof(*other))];

				memcpy(s + i, o, strlen(o));
				i += strlen(o);
			} else {
				s[i++] = plain[(x >> 8) % (sizeof(plain) - 1)];
			}
		}
		same_tokens(s, i);
	}
}

/* A word has one id wherever it is: its first bytes are read in one load
 * where eight bytes remain, and byte by byte near the end of the text. */
/* Room made in a table, empty or not, keeps the words it has and gives
 * the next their ids in turn, as a table that grows by itself does. */
static void a_table_given_room_keeps_its_words(void **state)
{
	dintern *grown = NULL, *roomy = NULL;
	char words[3000][24];
	uint32_t id, other;
	uint8_t facts;

	(void)state;
	for (int k = 0; k < 3000; k++)
		snprintf(words[k], sizeof(words[k]), k % 3 ? "w%d" : "longer-word-%d", k);
	assert_int_equal(dintern_new(&grown), 0);
	assert_int_equal(dintern_new(&roomy), 0);
	assert_int_equal(dintern_reserve(roomy, 10), 0); /* less than it has: nothing */
	for (int k = 0; k < 3000; k++) {
		if (k == 1000) /* with words in it, room for many more */
			assert_int_equal(dintern_reserve(roomy, 50000), 0);
		assert_int_equal(
		    dintern_id(grown, words[k], (uint32_t)strlen(words[k]), TOK_WORD, &id, &facts),
		    0);
		assert_int_equal(dintern_id(roomy, words[k], (uint32_t)strlen(words[k]), TOK_WORD,
					    &other, &facts),
				 0);
		assert_int_equal(id, (uint32_t)k);
		assert_int_equal(other, (uint32_t)k);
	}
	for (int k = 0; k < 3000; k++) {
		assert_int_equal(dintern_lookup(roomy, words[k], (uint32_t)strlen(words[k]), &id),
				 0);
		assert_int_equal(id, (uint32_t)k);
	}
	assert_int_equal(dintern_count(roomy), 3000);
	assert_int_equal(dintern_lookup(roomy, "w3000", 5, &id), -1);
	dintern_free(grown);
	dintern_free(roomy);
}

/* A word every other byte for thousands of blocks: counting sums its
 * starts a byte lane at a time, each lane adding one a block, and must
 * empty the lanes before one overflows. */
static void dense_words_are_counted(void **state)
{
	char s[16 * 600 + 2];

	(void)state;
	for (size_t i = 0; i + 1 < sizeof(s) - 1; i += 2)
		memcpy(s + i, "a ", 2);
	memcpy(s + sizeof(s) - 2, "\n", 2);
	same_tokens(s, sizeof(s) - 1);
}

static void a_word_near_the_end_has_its_id(void **state)
{
	static const char *const words[] = {"a",          "Korea", "defence",         "alliance",
					    "Ministry's", "1,000", "interoperability"};
	dintern *ids = NULL;
	rl_buf b = RL_BUF_INIT;
	rl_error err;

	(void)state;
	for (size_t w = 0; w < sizeof(words) / sizeof(*words); w++) {
		for (size_t tail = 0; tail < 10; tail++) {
			dside s;

			rl_buf_reset(&b);
			rl_buf_printf(&b, "%s of the text, then %s%.*s", words[w], words[w],
				      (int)tail, "          ");
			assert_int_equal(dintern_new(&ids), 0);
			assert_int_equal(diff_tokenize(&s, rl_buf_cstr(&b), b.len, ids, &err), 0);
			assert_true(s.ntok >= 2);
			assert_int_equal(s.ids[0], s.ids[s.ntok - 1]);
			assert_int_equal(s.tok[0].end - s.tok[0].start, strlen(words[w]));
			dside_free(&s);
			dintern_free(ids);
		}
	}
	rl_buf_free(&b);
}

static void mixed_text_matches_icu(void **state)
{
	static const char *const cases[] = {
	    "The ministry\xe2\x80\x99s 2.0 plan, U.S. forces and 1,000 troops.",
	    "\xe2\x80\x9c"
	    "formidable force\xe2\x80\x9d and ROK\xe2\x80\x93"
	    "US Alliance",
	    "caf\xc3\xa9 a\xcc\x81"
	    " x \xcc\x81"
	    "y e.g. rock'n'roll 3:00 a@b.com snake_case",
	    "\xea\xb5\xad\xeb\xb0\xa9\xeb\xb6\x80\xeb\x8a\x94 2020\xeb\x85\x84 "
	    "\xea\xb5\xad\xeb\xb0\xa9\xeb\xb0\xb1\xec\x84\x9c\xeb\xa5\xbc",
	    "\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xae\xe9\x98\xb2\xe8\xa1\x9b\xe7\x99\xbd\xe6\x9b"
	    "\xb8 2020 and text",
	    "a.\xc2\xa0"
	    "b \xe2\x91\xa0 item\n\xe2\x80\xa2 bullet\r\n\tlast\xe2\x80\xa8"
	    "line",
	    "\xff\xfe broken \xc3"
	    " bytes a\xe2\x80",
	    "  leading and trailing  \n\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		same_tokens(cases[i], strlen(cases[i]));
}

static void corpus_matches_icu(void **state)
{
	static const char *const files[] = {"../shared/corpus/rok-dwp-2018.txt",
					    "../shared/corpus/rok-dwp-2020.txt",
					    "../shared/corpus/rok-dwp-2004-ko.txt"};
	int found = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		rl_buf b = RL_BUF_INIT;
		rl_error err;

		if (rl_file_read(files[i], &b, &err) < 0)
			continue;
		found++;
		same_tokens(rl_buf_cstr(&b), b.len);
		rl_buf_free(&b);
	}
	if (!found) {
		printf("corpus absent (../shared/corpus): skipped\n");
		skip();
	}
}

static void same_side(const dside *x, const dside *y)
{
	assert_int_equal(x->ntok, y->ntok);
	for (size_t i = 0; i < x->ntok; i++) {
		const dtok *p = &x->tok[i], *q = &y->tok[i];

		assert_int_equal(p->start, q->start);
		assert_int_equal(p->end, q->end);
		assert_int_equal(p->line, q->line);
		assert_int_equal(p->kind, q->kind);
		assert_int_equal(p->facts, q->facts);
		assert_int_equal(x->ids[i], y->ids[i]);
	}
	assert_int_equal(x->nline, y->nline);
	for (size_t l = 0; l < x->nline; l++) {
		assert_int_equal(x->line[l].tok0, y->line[l].tok0);
		assert_int_equal(x->line[l].ntok, y->line[l].ntok);
		assert_int_equal(x->line[l].label, y->line[l].label);
	}
	/* the arrays of the alignment, nothing matched or moved yet, one
	 * past the tokens too (made by the second thread where there is
	 * one) */
	for (size_t i = 0; i <= y->ntok; i++) {
		assert_int_equal(y->match[i], -1);
		assert_int_equal(y->move[i], 0);
		assert_int_equal(y->dirty[i], 0);
	}
}

/* Arrays made ahead for the alignment are filled (no match, no move)
 * whatever the heap held, and taken only when they have room for the
 * side's tokens. */
static void side_ends_are_filled_and_taken_when_they_fit(void **state)
{
	const char text[] = "one two three four five six seven eight nine ten";
	dintern *words = NULL;
	rl_error err;

	(void)state;
	assert_int_equal(dintern_new(&words), 0);
	for (size_t room = 4; room <= 16; room += 6) {
		dside s;
		side_ends made = {NULL, NULL, NULL, 0};
		void *junk[3];
		int32_t *move, *match;

		/* memory the arrays are likely to be made of, dirtied */
		for (int k = 0; k < 3; k++) {
			junk[k] = malloc((room + 1) * sizeof(int32_t));
			assert_non_null(junk[k]);
			memset(junk[k], 0x5a, (room + 1) * sizeof(int32_t));
		}
		for (int k = 0; k < 3; k++)
			free(junk[k]);
		diff_side_ends_make(&made, room);
		assert_non_null(made.move);
		assert_int_equal(made.n, room);
		for (size_t i = 0; i <= room; i++) {
			assert_int_equal(made.match[i], -1);
			assert_int_equal(made.move[i], 0);
			assert_int_equal(made.dirty[i], 0);
		}
		move = made.move;
		match = made.match;
		memset(&s, 0, sizeof(s));
		assert_int_equal(
		    diff_side_begin(&s, text, sizeof(text) - 1, NULL, &(size_t){0}, &err), 0);
		assert_int_equal(diff_tokenize_begun(&s, words, 0, 0, &err), 0);
		free(s.move);
		free(s.dirty);
		s.move = NULL;
		s.dirty = NULL;
		assert_int_equal(s.ntok, 10);
		assert_int_equal(diff_side_end_made(&s, &made, &err), 0);
		if (room >= s.ntok) { /* taken */
			assert_ptr_equal(s.move, move);
			assert_ptr_equal(s.match, match);
			assert_null(made.move);
			assert_null(made.match);
		} else { /* left to the caller, and the side's own made */
			assert_ptr_not_equal(s.move, move);
			assert_ptr_equal(made.move, move);
			assert_ptr_equal(made.match, match);
		}
		for (size_t i = 0; i <= s.ntok; i++) {
			assert_int_equal(s.match[i], -1);
			assert_int_equal(s.move[i] | s.dirty[i], 0);
		}
		diff_side_ends_free(&made);
		assert_null(made.move);
		dside_free(&s);
	}
	dintern_free(words);
}

/* The token of s whose bytes start at `at` in its text. */
static size_t token_at(const dside *s, const char *text, const char *at)
{
	for (size_t i = 0; i < s->ntok; i++)
		if (text + s->tok[i].start == at)
			return i;
	fail_msg("no token at \"%s\"", at);
	return 0;
}

/* Items' labels are one id while aligning, so "a." pairs with "b." by
 * their items' words; restored, each label has its own bytes' id again,
 * and a pair of labels that differ is undone where equal ones stay. */
static void labels_restored_to_their_own_ids(void **state)
{
	const char ta[] = "The principles:\n\na. Respect for all\n\nb. Trust in all\n",
		   tb[] = "The principles:\n\nb. Respect for all\n\nb. Trust in all\n";
	dintern *words = NULL;
	dside a, b;
	rl_error err;
	size_t la, lb, la2, lb2;
	uint32_t id;

	(void)state;
	assert_int_equal(dintern_new(&words), 0);
	assert_int_equal(diff_tokenize(&a, ta, sizeof(ta) - 1, words, &err), 0);
	assert_int_equal(diff_tokenize(&b, tb, sizeof(tb) - 1, words, &err), 0);
	la = token_at(&a, ta, strstr(ta, "a. Respect"));
	lb = token_at(&b, tb, strstr(tb, "b. Respect"));
	la2 = token_at(&a, ta, strstr(ta, "b. Trust"));
	lb2 = token_at(&b, tb, strstr(tb, "b. Trust"));
	/* one id for every label while aligning */
	assert_int_not_equal(a.label_id, UINT32_MAX);
	assert_int_equal(a.ids[la], a.label_id);
	assert_int_equal(b.ids[lb], a.label_id);
	assert_int_equal(a.ids[la2], b.ids[lb2]);
	assert_int_equal(diff_align(&a, &b, dintern_count(words), &err), 0);
	assert_int_equal(a.match[la], (int32_t)lb);
	assert_int_equal(a.match[la2], (int32_t)lb2);
	diff_labels_restore(&a, &b, words);
	/* "a" and "b" their own ids, and no longer a pair */
	assert_int_equal(dintern_lookup(words, "a", 1, &id), 0);
	assert_int_equal(a.ids[la], id);
	assert_int_equal(dintern_lookup(words, "b", 1, &id), 0);
	assert_int_equal(b.ids[lb], id);
	assert_int_equal(a.ids[la2], id);
	assert_int_equal(b.ids[lb2], id);
	assert_int_equal(a.match[la], -1);
	assert_int_equal(b.match[lb], -1);
	/* "b" and "b" stay a pair */
	assert_int_equal(a.match[la2], (int32_t)lb2);
	assert_int_equal(b.match[lb2], (int32_t)la2);
	assert_int_equal(dintern_lookup(words, "never", 5, &id), -1);
	dside_free(&a);
	dside_free(&b);
	dintern_free(words);
}

/* diff_tokenize_pair (b on a thread, its words merged after) gives the
 * tokens and ids of diff_tokenize on a then b; and so it does with
 * arrays made ahead, whether they are sized for the texts, too small
 * (the tokens grow out of theirs, the other arrays are made again) or
 * too large; and told the texts share few lines (apart), whether they
 * do or not. */
static void same_pair(const char *ta, size_t la, const char *tb, size_t lb)
{
	const size_t made[][2] = {{0, 0}, {la, lb}, {1, 1}, {lb, la}, {4 * la, 4 * lb}};
	dintern *one = NULL;
	dside a1, b1;
	rl_error err;

	assert_int_equal(dintern_new(&one), 0);
	assert_int_equal(diff_tokenize(&a1, ta, la, one, &err), 0);
	assert_int_equal(diff_tokenize(&b1, tb, lb, one, &err), 0);
	for (size_t k = 0; k < 2 * sizeof(made) / sizeof(*made); k++) {
		size_t m = k % (sizeof(made) / sizeof(*made));
		diff_prep *prep = m ? diff_prep_start(made[m][0], made[m][1], 1) : NULL;
		dintern *two = NULL;
		dside a2, b2;

		assert_true(m == 0 || prep != NULL);
		assert_int_equal(dintern_new(&two), 0);
		assert_int_equal(diff_tokenize_pair(&a2, ta, la, &b2, tb, lb, two, prep,
						    k >= sizeof(made) / sizeof(*made), &err),
				 0);
		assert_int_equal(dintern_count(one), dintern_count(two));
		same_side(&a1, &a2);
		same_side(&b1, &b2);
		dside_free(&a2);
		dside_free(&b2);
		dintern_free(two);
		diff_prep_free(prep);
	}
	dside_free(&a1);
	dside_free(&b1);
	dintern_free(one);
}

static void two_threads_give_the_ids_of_one(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	rl_error err;

	(void)state;
	/* large enough for a thread: b has words a lacks, and item labels
	 * only b has (their shared id comes after b's words, as in one pass) */
	for (int i = 0; i < 3000; i++) {
		rl_buf_printf(&a, "Sentence %d of the old text says Korea\xe2\x80\x99s plan.\n", i);
		rl_buf_printf(&b, "%c. Sentence %d of the new text adds word%d here.\n",
			      'a' + i % 26, i, i % 97);
	}
	assert_true(a.len + b.len >= RL_THREAD_MIN_BYTES);
	/* nothing is made ahead for a text the differ refuses */
	assert_null(diff_prep_start(DIFF_MAX_TEXT + 1, 10, 1));
	assert_null(diff_prep_start(10, DIFF_MAX_TEXT + 1, 1));
	/* as the threads run, then with each thread taking all the other's
	 * lines (the first waits for the second to finish, or the other way
	 * round) */
	for (diff_pair_stall = 0; diff_pair_stall <= 2; diff_pair_stall++) {
		same_pair(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
		same_pair(rl_buf_cstr(&b), b.len, rl_buf_cstr(&a), a.len);
		same_pair("small", 5, "texts too", 9);
		same_pair("", 0, rl_buf_cstr(&b), b.len);
		same_pair(rl_buf_cstr(&b), b.len, "", 0);
	}
	rl_buf_reset(&a);
	rl_buf_reset(&b);
	if (rl_file_read("../shared/corpus/rok-dwp-2018.txt", &a, &err) == 0 &&
	    rl_file_read("../shared/corpus/rok-dwp-2020.txt", &b, &err) == 0)
		for (diff_pair_stall = 0; diff_pair_stall <= 2; diff_pair_stall++)
			same_pair(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
	else
		printf("corpus absent (../shared/corpus): the editions were left out\n");
	diff_pair_stall = 0;
	rl_buf_free(&a);
	rl_buf_free(&b);
}

/* A line of the texts below: words, numbers, punctuation ICU takes
 * ('’', Hangul, a combining mark), item labels, headings, blank lines. */
static void some_line(rl_buf *t, int i)
{
	switch (i % 9) {
	case 0:
		rl_buf_printf(t, "# Chapter %d\n", i);
		break;
	case 1:
		rl_buf_printf(t, "%c. Korea\xe2\x80\x99s plan %d keeps the peace.\n", 'a' + i % 26,
			      i);
		break;
	case 2:
		rl_buf_printf(t, "\xea\xb5\xad\xeb\xb0\xa9 %d \xeb\xb6\x80 e\xcc\x81t\xc3\xa9.\n",
			      i);
		break;
	case 3:
		rl_buf_puts(t, "\n");
		break;
	default:
		rl_buf_printf(t, "Sentence %d says 3.5%% of the force_%d moved (ROK-US).\n", i,
			      i % 7);
	}
}

/* Texts that share most of their lines are tokenized once per line (the
 * lines of b that a has take a's tokens; the rest is split between the
 * two threads): the tokens and ids are still those of one thread, for
 * b edited from a (lines changed, dropped, added, repeated, moved), b
 * the same as a, b a few of a's lines, b a's lines backwards, b a small
 * a's lines many times over, and an edition with a few lines changed. */
static void shared_lines_give_the_ids_of_one(void **state)
{
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	rl_error err;

	(void)state;
	for (int i = 0; i < 4000; i++)
		some_line(&a, i);
	for (int i = 0; i < 4000; i++) {
		if (i % 17 == 5)
			continue; /* dropped */
		if (i % 13 == 7)
			rl_buf_printf(&b, "A line %d only the new text has, w%d.\n", i, i % 11);
		else
			some_line(&b, i);
		if (i % 101 == 50)
			some_line(&b, i / 2); /* an old line again */
	}
	some_line(&b, 10); /* moved to the end, without a newline */
	b.len--;
	assert_true(a.len + b.len >= RL_THREAD_MIN_BYTES);
	/* 3: the second thread copies all of b's shared lines */
	for (diff_pair_stall = 0; diff_pair_stall <= 3; diff_pair_stall++) {
		same_pair(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
		same_pair(rl_buf_cstr(&b), b.len, rl_buf_cstr(&a), a.len);
		same_pair(rl_buf_cstr(&a), a.len, rl_buf_cstr(&a), a.len);
	}
	diff_pair_stall = 0;
	rl_buf_reset(&b);
	for (int i = 0; i < 4000; i += 97)
		some_line(&b, i);
	same_pair(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
	rl_buf_reset(&b);
	for (int i = 3999; i >= 0; i--)
		some_line(&b, i);
	same_pair(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
	/* a small, b its lines twenty times over: this thread is past the
	 * middle of a before the other has found b's lines in it, and a is
	 * not tokenized twice */
	rl_buf_reset(&a);
	rl_buf_reset(&b);
	for (int i = 0; i < 300; i++)
		rl_buf_printf(
		    &a,
		    "Line %d of a few long ones, which the other thread would take half of "
		    "were this one not past the middle already: %d \xe2\x80\x93 %x.\n",
		    i, i * 7, i * 13);
	for (int k = 0; k < 20; k++)
		rl_buf_put(&b, a.ptr, a.len);
	same_pair(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
	rl_buf_reset(&a);
	rl_buf_reset(&b);
	if (rl_file_read("../shared/corpus/rok-dwp-2018.txt", &a, &err) == 0) {
		const char *p = rl_buf_cstr(&a), *nl;
		int k = 0;

		/* every fortieth line changed */
		for (; (nl = memchr(p, '\n', (size_t)(a.ptr + a.len - p))) != NULL; p = nl + 1)
			if (k++ % 40 == 20)
				rl_buf_printf(&b, "Changed line %d.\n", k);
			else
				rl_buf_put(&b, p, (size_t)(nl + 1 - p));
		same_pair(rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
	} else
		printf("corpus absent (../shared/corpus): the edition was left out\n");
	rl_buf_free(&a);
	rl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_short_string_matches_icu),
	    cmocka_unit_test(every_ascii_byte_matches_icu),
	    cmocka_unit_test(every_byte_in_a_long_word_matches_icu),
	    cmocka_unit_test(known_wide_characters_match_icu),
	    cmocka_unit_test(random_long_strings_match_icu),
	    cmocka_unit_test(random_strings_across_blocks_match_icu),
	    cmocka_unit_test(dense_words_are_counted),
	    cmocka_unit_test(a_word_near_the_end_has_its_id),
	    cmocka_unit_test(mixed_text_matches_icu),
	    cmocka_unit_test(corpus_matches_icu),
	    cmocka_unit_test(two_threads_give_the_ids_of_one),
	    cmocka_unit_test(shared_lines_give_the_ids_of_one),
	    cmocka_unit_test(side_ends_are_filled_and_taken_when_they_fit),
	    cmocka_unit_test(labels_restored_to_their_own_ids),
	    cmocka_unit_test(a_table_given_room_keeps_its_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
