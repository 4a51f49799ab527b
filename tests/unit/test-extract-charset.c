/* Unit tests: charsets. Pages in EUC-KR, Shift_JIS, GB18030 and
 * windows-1252, declared in the header, in <meta>, by a BOM or not at
 * all, must read as the same text as their UTF-8 originals; invalid bytes
 * become U+FFFD and a warning. The encoded bytes are made with iconv(3),
 * a converter independent of the ICU one the library uses. */
#include <errno.h>
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "redline/extract.h"

#include "../../archive/extract-int.h"

#include "extract-check.h"
#include "extract-fixtures.h"

static const char korean_want[] =
    "# 제3절 협력적 자주국방\n"
    "\n"
    "참여정부의 협력적 자주국방 추진은 이러한 시대적 요구와 국민적 기대에 부응하여 우리가 "
    "한반도 안보에 주체적 당사자가 되겠다는 국가의지의 표현으로서, 노무현 대통령이 2003년 "
    "광복절 경축사와 국군의 날 치사를 통해 이를 공식적으로 표방한 것이다.\n"
    "협력적 자주국방의 기본개념은 한·미동맹을 발전시키고 주변국과의 군사협력과 집단안보체제 "
    "등 대외 안보협력을 능동적으로 활용하는 것이다.\n"
    "국방정책의 기본방향은 다음과 같다.\n"
    "가. 확고한 국방태세 확립\n"
    "나. 협력적 자주국방 추진\n"
    "다. 일관된 국방개혁 추진\n"
    "라. 신뢰받는 국군상 확립\n";

static const char japanese_want[] = "# 第1章 安全保障環境\n"
				    "\n"
				    "我が国を取り巻く安全保障環境は、一層厳しさを増している。\n"
				    "防衛省は、次の方針に基づき、防衛力を強化する。\n"
				    "ア 防衛力の抜本的強化\n"
				    "イ 日米同盟の強化\n"
				    "ウ 安全保障協力の推進\n";

static void encode(rl_buf *out, const rl_buf *in, const char *charset)
{
	iconv_t cd = iconv_open(charset, "UTF-8");
	char *src = in->ptr, *dst;
	size_t left = in->len, room;

	if (cd == (iconv_t)-1)
		fail_msg("iconv cannot write %s", charset);
	rl_buf_reset(out);
	rl_buf_grow(out, in->len * 2 + 16);
	dst = out->ptr;
	room = in->len * 2 + 16;
	if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1)
		fail_msg("iconv to %s: %s", charset, strerror(errno));
	out->len = (size_t)(dst - out->ptr);
	iconv_close(cd);
}

/* A page of the fixture's lines, one <p> per line, in charset. */
static void page(rl_buf *out, const char *fixture, const char *charset, const char *meta)
{
	rl_strv lines = RL_STRV_INIT;
	rl_buf utf8 = RL_BUF_INIT;

	fx_lines(&lines, fixture);
	fx_html(&utf8, &lines, FX_P, meta);
	if (charset)
		encode(out, &utf8, charset);
	else
		rl_buf_set(out, utf8.ptr, utf8.len);
	rl_buf_free(&utf8);
	rl_strv_free(&lines);
}

static void extract(rl_text *t, const rl_buf *raw, const char *ctype)
{
	rl_error err;

	if (xc_extract(t, raw, 1, 0, ctype, NULL, &err) < 0)
		fail_msg("%s", err.message);
}

static void euc_kr_page_reads_as_korean(void **state)
{
	rl_buf raw = RL_BUF_INIT;
	rl_text t;

	(void)state;
	/* declared in <meta> */
	page(&raw, "korean.txt", "EUC-KR", "euc-kr");
	extract(&t, &raw, "text/html");
	assert_string_equal(t.text.ptr, korean_want);
	assert_int_equal(t.warnings.n, 0);
	rl_text_free(&t);
	/* declared in the header only */
	page(&raw, "korean.txt", "EUC-KR", NULL);
	extract(&t, &raw, "text/html; charset=EUC-KR");
	assert_string_equal(t.text.ptr, korean_want);
	rl_text_free(&t);
	/* the header wins over a wrong <meta> */
	page(&raw, "korean.txt", "EUC-KR", "utf-8");
	extract(&t, &raw, "text/html;charset=\"ks_c_5601-1987\"");
	assert_string_equal(t.text.ptr, korean_want);
	rl_text_free(&t);
	/* not declared at all: detected */
	page(&raw, "korean.txt", "EUC-KR", NULL);
	extract(&t, &raw, "text/html");
	assert_string_equal(t.text.ptr, korean_want);
	rl_text_free(&t);
	rl_buf_free(&raw);
}

static void shift_jis_page_reads_as_japanese(void **state)
{
	rl_buf raw = RL_BUF_INIT;
	rl_text t;

	(void)state;
	page(&raw, "japanese.txt", "SHIFT_JIS", "Shift_JIS");
	extract(&t, &raw, "text/html");
	assert_string_equal(t.text.ptr, japanese_want);
	rl_text_free(&t);
	page(&raw, "japanese.txt", "SHIFT_JIS", NULL);
	extract(&t, &raw, NULL);
	assert_string_equal(t.text.ptr, japanese_want);
	rl_text_free(&t);
	rl_buf_free(&raw);
}

static void gb18030_and_windows_1252(void **state)
{
	static const char zh[] = "<p>第一章 总则</p><p>为了维护国家安全，制定本法。</p>";
	static const char latin[] = "<p>Caf\xe9 \x93quoted\x94 costs \x80 5 \x96 or less.</p>";
	rl_buf utf8 = RL_BUF_INIT, raw = RL_BUF_INIT;
	rl_text t;

	(void)state;
	rl_buf_set(&utf8, zh, sizeof(zh) - 1);
	encode(&raw, &utf8, "GB18030");
	extract(&t, &raw, "text/html; charset=gb2312");
	assert_string_equal(t.text.ptr, "# 第一章 总则\n\n为了维护国家安全，制定本法。\n");
	rl_text_free(&t);
	rl_buf_set(&raw, latin, sizeof(latin) - 1);
	extract(&t, &raw, "text/html; charset=iso-8859-1");
	assert_string_equal(t.text.ptr, "Café “quoted” costs € 5 – or less.\n");
	rl_text_free(&t);
	/* undeclared and not UTF-8: the web's default */
	extract(&t, &raw, "text/html");
	assert_string_equal(t.text.ptr, "Café “quoted” costs € 5 – or less.\n");
	rl_text_free(&t);
	rl_buf_free(&utf8);
	rl_buf_free(&raw);
}

static void byte_order_marks_win(void **state)
{
	static const char le[] = "\xFF\xFE<\0p\0>\0A\0\xAC\x00.\0<\0/\0p\0>\0";
	static const char u8[] = "\xEF\xBB\xBFOne. Two.";
	rl_buf raw = RL_BUF_INIT;
	rl_text t;

	(void)state;
	rl_buf_set(&raw, le, sizeof(le) - 1);
	extract(&t, &raw, "text/html; charset=euc-kr");
	assert_string_equal(t.text.ptr, "A\xC2\xAC.\n");
	rl_text_free(&t);
	rl_buf_set(&raw, u8, sizeof(u8) - 1);
	extract(&t, &raw, "text/plain; charset=windows-1252");
	assert_string_equal(t.text.ptr, "One.\nTwo.\n");
	rl_text_free(&t);
	rl_buf_free(&raw);
}

static void invalid_bytes_become_replacement_characters(void **state)
{
	rl_buf raw = RL_BUF_INIT;
	rl_text t;

	(void)state;
	/* UTF-8 with a stray byte and a cut sequence */
	rl_buf_set(&raw, "<p>Bad \xFF byte and \xE2\x80 cut.</p>", 29);
	extract(&t, &raw, "text/html; charset=utf-8");
	assert_string_equal(t.text.ptr, "Bad \xEF\xBF\xBD byte and \xEF\xBF\xBD cut.\n");
	assert_int_equal(t.warnings.n, 1);
	assert_non_null(strstr(t.warnings.v[0], "3 invalid bytes in UTF-8"));
	rl_text_free(&t);
	/* EUC-KR with a lead byte and no trail byte */
	page(&raw, "korean.txt", "EUC-KR", "euc-kr");
	rl_buf_put(&raw, "<p>\xB0 end.</p>", 13);
	extract(&t, &raw, "text/html");
	assert_true(xc_contains(&t.text, "\xEF\xBF\xBD end."));
	assert_int_equal(t.warnings.n, 1);
	assert_non_null(strstr(t.warnings.v[0], "invalid byte"));
	assert_non_null(strstr(t.warnings.v[0], "windows-949"));
	rl_text_free(&t);
	/* Undeclared, and more broken bytes than UTF-8 sequences: the
	 * charset detector is asked, and takes these for UTF-8, which the
	 * first reading made of them already (kept, not lost) */
	rl_buf_set(&raw, "\xF4\x90\x80\x80\r\n\0", 7);
	extract(&t, &raw, "text/plain");
	assert_string_equal(t.text.ptr, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\n");
	assert_int_equal(t.warnings.n, 2);
	assert_non_null(strstr(t.warnings.v[0], "4 invalid bytes in UTF-8"));
	assert_non_null(strstr(t.warnings.v[1], "1 NUL byte dropped"));
	rl_text_free(&t);
	rl_buf_free(&raw);
}

static void unknown_charsets_are_warned_about(void **state)
{
	rl_buf raw = RL_BUF_INIT;
	rl_text t;

	(void)state;
	rl_buf_set(&raw, "<p>Plain words.</p>", 19);
	extract(&t, &raw, "text/html; charset=x-no-such-thing");
	assert_string_equal(t.text.ptr, "Plain words.\n");
	assert_int_equal(t.warnings.n, 1);
	assert_non_null(strstr(t.warnings.v[0], "unknown charset 'x-no-such-thing'"));
	rl_text_free(&t);
	rl_buf_free(&raw);
}

/* A random string of len bytes for the scans' tests: each a lowercase
 * letter, except one in every `one_in` (on average), which is one of
 * edges; seed goes on from call to call. */
static void random_bytes(char *s, size_t len, uint32_t *seed, unsigned one_in,
			 const unsigned char *edges, size_t n_edges)
{
	for (size_t i = 0; i < len; i++) {
		*seed = *seed * 1103515245u + 12345u;
		s[i] = (char)((*seed >> 16) % one_in ? 'a' + (*seed >> 8) % 26
						     : edges[(*seed >> 20) % n_edges]);
	}
}

/* The end of a run of ASCII, found eight bytes at a time, is where a
 * byte at a time finds it: from every start, in random strings of the
 * bytes at the edges of the ranges (control bytes, space, DEL, bytes of
 * UTF-8 and 0xFF, whose +1 carries into the next byte). */
static void ascii_runs_end_where_a_byte_at_a_time_ends_them(void **state)
{
	static const unsigned char edges[] = {'a',  'Z',  '~',  '!',  ' ',  0x1F, 0x00,
					      '\t', 0x7F, 0x80, 0xC3, 0xE2, 0xBF, 0xFF};
	uint32_t seed = 12345;
	char s[48];

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(round % 41);

		/* mostly letters, so runs are long enough to cross words */
		random_bytes(s, len, &seed, 4, edges, sizeof(edges));
		for (unsigned char lo = 0x20; lo <= 0x21; lo++)
			for (size_t k = 0; k <= len; k++) {
				size_t want = k;

				while (want < len && (unsigned char)s[want] >= lo &&
				       (unsigned char)s[want] < 0x7F)
					want++;
				assert_int_equal(rlx_ascii_end(s, k, len, lo), want);
			}
	}
}

/* The end of the bytes a text is read as it is made of (printable
 * ASCII, space, tab, line feed, form feed), thirty-two at a time, is
 * where a byte at a time finds it: from every start, in random strings
 * of the bytes beside those (the other control bytes, DEL, bytes of
 * UTF-8), long enough for a second block of thirty-two and a tail. */
static void plain_text_ends_where_a_byte_at_a_time_ends_it(void **state)
{
	static const unsigned char edges[] = {' ',  '~',  '\n', '\t', '\f', '\r', 0x0B,
					      0x1F, 0x00, 0x7F, 0x80, 0xC3, 0xE2, 0xFF};
	uint32_t seed = 4242;
	char s[100];

	(void)state;
	for (int round = 0; round < 6000; round++) {
		size_t len = (size_t)(round % 98);

		/* one edge byte in forty: runs long enough to cross blocks */
		random_bytes(s, len, &seed, round % 2 ? 40 : 4, edges, sizeof(edges));
		for (size_t k = 0; k <= len; k++) {
			size_t want = k;

			while (want < len) {
				unsigned char c = (unsigned char)s[want];

				if ((c < 0x20 || c > 0x7E) && c != '\n' && c != '\t' && c != '\f')
					break;
				want++;
			}
			assert_int_equal(rlx_plain_text_end(s, k, len), want);
		}
	}
}

/* The end of a run of printable ASCII and single spaces before printable
 * bytes, eight bytes at a time, is where a byte at a time finds it: from
 * every start, in random strings where spaces are common, so that
 * single and double spaces and spaces before the edge bytes fall at
 * every place of a word of eight, its last included. */
static void text_runs_end_where_a_byte_at_a_time_ends_them(void **state)
{
	static const unsigned char edges[] = {' ',  ' ',  ' ',  '!',  '~',  0x1F, 0x00,
					      '\t', 0x7F, 0x80, 0xC3, 0xE2, 0xFF, 'A'};
	uint32_t seed = 777;
	char s[48];

	(void)state;
	for (int round = 0; round < 40000; round++) {
		size_t len = (size_t)(round % 41);

		random_bytes(s, len, &seed, 3, edges, sizeof(edges));
		for (size_t k = 0; k <= len; k++) {
			size_t want = k;

			while (want < len) {
				unsigned char c = (unsigned char)s[want];
				int next_printable = want + 1 < len &&
						     (unsigned char)s[want + 1] > 0x20 &&
						     (unsigned char)s[want + 1] < 0x7F;

				if ((c > 0x20 && c < 0x7F) || (c == ' ' && next_printable))
					want++;
				else
					break;
			}
			assert_int_equal(rlx_run_end(s, k, len), want);
		}
	}
}

/* The end of a run of ASCII letters, eight bytes at a time, is where a
 * byte at a time ends it: every byte after every run length from 0 to
 * 20 and every start, and random strings of the bytes next to the
 * letters' ranges ('@' '[' '`' '{', and bytes whose low seven bits are
 * a letter's). */
static void letter_runs_end_where_a_byte_at_a_time_ends_them(void **state)
{
	static const unsigned char edges[] = {'@',  '[',  '`',  '{',  'A', 'Z', 'a',  'z',
					      0xC1, 0xE1, 0xFA, 0x80, ' ', '-', 0x00, 0xFF};
	uint32_t seed = 54321;
	char s[48];

	(void)state;
	for (int c = 0; c < 256; c++)
		for (size_t run = 0; run <= 20; run++) {
			memset(s, 'q', run);
			s[run] = (char)c;
			memset(s + run + 1, 'x', 8);
			for (size_t k = 0; k <= run; k++) {
				int letter = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');

				assert_int_equal(rlx_letters_end(s, k, run + 9),
						 letter ? run + 9 : run);
			}
		}
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(round % 41);

		random_bytes(s, len, &seed, 3, edges, sizeof(edges));
		for (size_t k = 0; k <= len; k++) {
			size_t want = k;

			while (want < len && (((unsigned char)s[want] | 0x20) >= 'a' &&
					      ((unsigned char)s[want] | 0x20) <= 'z'))
				want++;
			assert_int_equal(rlx_letters_end(s, k, len), want);
		}
	}
}

/* What the runs are for: a line's spaces collapse, DEL and control bytes
 * go, and a NUL is dropped and counted, wherever they fall among the
 * eight-byte blocks. */
/* A line's code points, counted sixteen and eight bytes at a time, are
 * what a byte at a time counts (every byte but 10xxxxxx), in random
 * strings of lead, continuation and other bytes up to 72 long, from
 * every start: the wide loops, their tails and their ends are all met;
 * and from the first 80 starts of strings of 9,000 bytes with runs of up
 * to 4,900 continuation bytes, where the sixteen-byte counters must be
 * summed on the way, before they wrap. */
static void code_points_are_counted_as_a_byte_at_a_time_counts_them(void **state)
{
	static const unsigned char edges[] = {0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xEA,
					      0xF0, 0xFF, 0x7F, 0x40, 0x00, ' '};
	uint32_t seed = 4242;
	static char s[9000];

	(void)state;
	for (int round = 0; round < 20040; round++) {
		size_t len = round < 20000 ? (size_t)(round % 73) : sizeof(s) - (size_t)round % 7;

		random_bytes(s, len, &seed, 2, edges, sizeof(edges));
		if (round >= 20000) /* all continuation bytes: the counters' most */
			memset(s + 100, 0x80, (size_t)(round - 19990) * 100);
		for (size_t k = 0; k <= len && (k < 80 || len < 80); k++) {
			unsigned want = 0;

			for (size_t i = k; i < len; i++)
				want += ((unsigned char)s[i] & 0xC0) != 0x80;
			if (rlx_count_cps(s + k, len - k) != want)
				fail_msg("round %d, from %zu of %zu: %u code points, %u wanted",
					 round, k, len, rlx_count_cps(s + k, len - k), want);
		}
	}
}

static void control_bytes_and_spaces_at_every_offset(void **state)
{
	static const char line[] = "Deterrence holds when capability and resolve are credible.";
	rl_buf raw = RL_BUF_INIT, want = RL_BUF_INIT;
	rl_text t;

	(void)state;
	for (size_t at = 1; at + 1 < sizeof(line) - 1; at++) {
		static const char *const inserts[] = {"  ", "\x7F", "\x01", "\t"};

		for (size_t k = 0; k < 4; k++) {
			rl_buf_reset(&raw);
			rl_buf_put(&raw, line, at);
			rl_buf_puts(&raw, inserts[k]);
			rl_buf_puts(&raw, line + at);
			/* a space or tab joins the spaces next to it into
			 * one; the others vanish */
			rl_buf_reset(&want);
			rl_buf_put(&want, line, at);
			if ((k == 0 || k == 3) && line[at - 1] != ' ' && line[at] != ' ')
				rl_buf_putc(&want, ' ');
			rl_buf_puts(&want, line + at);
			rl_buf_putc(&want, '\n');
			extract(&t, &raw, "text/plain; charset=utf-8");
			assert_string_equal(t.text.ptr, want.ptr);
			rl_text_free(&t);
		}
		rl_buf_reset(&raw);
		rl_buf_put(&raw, line, at);
		rl_buf_put(&raw, "\0", 1);
		rl_buf_puts(&raw, line + at);
		extract(&t, &raw, "text/plain; charset=utf-8");
		assert_int_equal(t.text.len, sizeof(line) - 1 + 1);
		assert_int_equal(t.warnings.n, 1);
		assert_non_null(strstr(t.warnings.v[0], "1 NUL byte dropped"));
		rl_text_free(&t);
	}
	rl_buf_free(&raw);
	rl_buf_free(&want);
}

/* The text with a CR before each LF: decoded into a copy (CR LF becomes
 * LF), where the text as it is is read in place and its lines of
 * printable ASCII are not copied. */
static void with_crs(rl_buf *out, const rl_buf *in)
{
	rl_buf_reset(out);
	for (size_t i = 0; i < in->len; i++) {
		if (in->ptr[i] == '\n')
			rl_buf_putc(out, '\r');
		rl_buf_putc(out, in->ptr[i]);
	}
}

/* Both give the same canonical text, pages and warnings. */
static void same_read_both_ways(const rl_buf *raw, const char *ctype)
{
	rl_buf crs = RL_BUF_INIT;
	rl_error e1, e2;
	rl_text t, u;
	int r1, r2;

	with_crs(&crs, raw);
	r1 = xc_extract(&t, raw, 1, 0, ctype, NULL, &e1);
	r2 = xc_extract(&u, &crs, 1, 0, ctype, NULL, &e2);
	assert_int_equal(r1, r2);
	if (r1 < 0) { /* nothing but rules and spaces, read alike */
		assert_string_equal(e1.message, e2.message);
		rl_buf_free(&crs);
		return;
	}
	if (strcmp(t.text.ptr, u.text.ptr) != 0)
		fail_msg("read in place:\n%s\ncopied:\n%s\nfrom:\n%s", t.text.ptr, u.text.ptr,
			 raw->ptr);
	assert_int_equal(t.n_pages, u.n_pages);
	for (size_t i = 0; i < t.n_pages; i++)
		assert_string_equal(t.pages[i].text.ptr, u.pages[i].text.ptr);
	assert_int_equal(t.warnings.n, u.warnings.n);
	rl_text_free(&t);
	rl_text_free(&u);
	rl_buf_free(&crs);
}

/* Plain text and Markdown read in place (UTF-8 with nothing to clean)
 * give what a copy gives: random lines of printable ASCII and known
 * characters beyond it, with double, leading and trailing spaces, tabs,
 * no-break spaces, soft hyphens, ligatures, letters and marks to
 * compose, marks to keep, headings, items, rules and form feeds; and the
 * editions of the corpus. */
static void text_read_in_place_reads_as_a_copy(void **state)
{
	static const char *const pieces[] = {
	    "The Ministry of National Defense",
	    "deterrence.",
	    "a.",
	    "1)",
	    "## Chapter 2",
	    "# Defense Policy",
	    "- item",
	    "* * *",
	    "---",
	    "  ",
	    " ",
	    "\t",
	    "Korea\xe2\x80\x99s",
	    "e\xcc\x81t\xc3\xa9",
	    "\xef\xac\x81rst",
	    "co\xc2\xadoperation",
	    "\xea\xb5\xad\xeb\xb0\xa9",
	    "\xe2\x80\x8b",
	    "Korea\xcc\x93s",       /* a mark between ASCII, kept */
	    "\xcc\x93",             /* and after a space, or first */
	    "a\xcc\x81",            /* one that composes */
	    "\xe2\x91\xa0\xc2\xb0", /* ①° */
	    "\xc2\xa0",             /* a no-break space */
	    "\xee\x80\x80\xe3\x85\x85\xc3\x97\xe2\x84\x93",
	    "\xe2\x80\x9c", /* “ */
	    "(continued)",
	    "Page 85",
	    "\f",
	    "\n",
	    "\n\n",
	};
	static const char *const files[] = {"../shared/corpus/rok-dwp-2018.txt",
					    "../shared/corpus/rok-dwp-2004-ko.txt"};
	const size_t k = sizeof(pieces) / sizeof(*pieces);
	uint32_t seed = 777;
	rl_buf raw = RL_BUF_INIT;

	(void)state;
	for (int round = 0; round < 400; round++) {
		size_t n = 5 + round % 60;

		rl_buf_reset(&raw);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			rl_buf_puts(&raw, pieces[(seed >> 16) % k]);
			if ((seed >> 8) % 3)
				rl_buf_putc(&raw, (seed >> 10) % 4 ? ' ' : '\n');
		}
		same_read_both_ways(&raw, "text/plain; charset=utf-8");
		same_read_both_ways(&raw, "text/markdown; charset=utf-8");
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		rl_error err;

		rl_buf_reset(&raw);
		if (rl_file_read(files[i], &raw, &err) < 0) {
			printf("corpus absent (%s): its editions not read\n", files[i]);
			continue;
		}
		same_read_both_ways(&raw, "text/plain");
	}
	rl_buf_free(&raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(euc_kr_page_reads_as_korean),
	    cmocka_unit_test(shift_jis_page_reads_as_japanese),
	    cmocka_unit_test(gb18030_and_windows_1252),
	    cmocka_unit_test(byte_order_marks_win),
	    cmocka_unit_test(invalid_bytes_become_replacement_characters),
	    cmocka_unit_test(unknown_charsets_are_warned_about),
	    cmocka_unit_test(ascii_runs_end_where_a_byte_at_a_time_ends_them),
	    cmocka_unit_test(letter_runs_end_where_a_byte_at_a_time_ends_them),
	    cmocka_unit_test(plain_text_ends_where_a_byte_at_a_time_ends_it),
	    cmocka_unit_test(text_runs_end_where_a_byte_at_a_time_ends_them),
	    cmocka_unit_test(code_points_are_counted_as_a_byte_at_a_time_counts_them),
	    cmocka_unit_test(control_bytes_and_spaces_at_every_offset),
	    cmocka_unit_test(text_read_in_place_reads_as_a_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
