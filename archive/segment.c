/* Sentence segmentation: the sentence boundaries of UAX #29 (every
 * script), then redline's rules for what they split too eagerly in
 * official documents: titles and references that never end a sentence
 * ("No. 5", "Art. 5", "e.g.", "Gen. Kim"), initialisms ("U.S. Forces
 * Korea") unless a typical sentence opener follows ("... the U.S. The
 * Alliance ..."), and a list label left alone ("나.").
 *
 * The boundaries are ICU's, found here rather than by ICU's iterator:
 * its rules are few (a terminator, closing punctuation, spaces, and a
 * look at what follows), and ICU's state machine, walking every
 * paragraph in UTF-16, took a fifth of a plain-text extraction. The
 * classes come from ICU (Sentence_Break of each character).
 * rlx_segmenter_icu switches to ICU's own iterator, which the tests
 * compare this one against (tests/unit/test-segment.c). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include "redline/label.h"

#include "extract-int.h"

struct rlx_segmenter {
	uint8_t ascii[128]; /* Sentence_Break of each ASCII character */
	uint8_t plain[256]; /* bytes that are an ASCII character no rule starts at */
	int icu;            /* boundaries from ICU's iterator (the tests' reference) */
	UBreakIterator *bi;
	UText *ut;
	UChar *u16; /* for ICU: the paragraph in UTF-16, which it walks fastest */
	int32_t cap16;
};

/* Abbreviations that never end a sentence. */
/* clang-format off */
static const char *const always[] = {
	"Adm.",  "Amb.",  "Art.",  "Arts.", "Capt.", "Ch.",     "Chap.", "Cmdr.", "Col.",
	"Dr.",   "Eq.",   "Fig.",  "Figs.", "Ft.",   "Gen.",    "Gov.",  "Lt.",   "Maj.",
	"Mr.",   "Mrs.",  "Ms.",   "Mt.",   "No.",   "Nos.",    "Op.",   "Para.", "Pres.",
	"Prof.", "Ref.",  "Rep.",  "Sec.",  "Sen.",  "Sgt.",    "St.",   "Vol.",  "Vols.",
	"al.",   "art.",  "cf.",   "e.g.",  "fig.",  "i.e.",    "no.",   "p.",    "para.",
	"pp.",   "viz.",  "vol.",  "vs.",   "approx.",
};
/* clang-format on */

/* Abbreviations that end a sentence only before a typical opener. */
/* clang-format off */
static const char *const usually[] = {
	"Apr.", "Aug.", "Co.", "Corp.", "Dec.", "Feb.", "Inc.", "Jan.", "Jr.", "Jul.",
	"Jun.", "Ltd.", "Mar.", "Nov.", "Oct.", "Sep.", "Sept.", "Sr.",
};
/* clang-format on */

/* Words that open sentences far more often than they continue a name. */
/* clang-format off */
static const char *const openers[] = {
	"A",         "About",      "Accordingly", "Additionally", "After",   "All",
	"Also",      "Although",   "An",          "And",          "As",      "At",
	"Because",   "Before",     "Both",        "But",          "By",      "Currently",
	"Despite",   "During",     "Each",        "Finally",      "First",   "Following",
	"For",       "From",       "Furthermore", "He",           "Here",    "How",
	"However",   "I",          "If",          "In",           "It",      "Its",
	"Many",      "Meanwhile",  "Moreover",    "Most",         "Nevertheless",
	"On",        "Our",        "Regarding",   "Second",       "She",     "Since",
	"Some",      "Such",       "That",        "The",          "Their",   "Then",
	"There",     "Therefore",  "These",       "They",         "This",    "Those",
	"Through",   "Thus",       "To",          "Today",        "Under",   "We",
	"What",      "When",       "While",       "With",         "You",
};
/* clang-format on */

/* A list's words by their first byte: those starting with byte c are
 * word[at[c]] to word[at[c + 1] - 1]. A sentence's end looks its last
 * word up in two lists, and reading each whole (68 words) was a
 * fifteenth of extracting an edition. */
#define LIST_MAX 80
typedef struct word_index {
	const char *word[LIST_MAX];
	uint8_t at[257];
} word_index;

static word_index always_ix, usually_ix, openers_ix;
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static void index_list(word_index *x, const char *const *v, size_t n)
{
	uint8_t count[256] = {0};

	for (size_t i = 0; i < n; i++)
		count[(unsigned char)v[i][0]]++;
	x->at[0] = 0;
	for (int c = 0; c < 256; c++)
		x->at[c + 1] = (uint8_t)(x->at[c] + count[c]);
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i][0];

		x->word[x->at[c] + count[c]++] = v[i];
	}
}

#define INDEX(x, list)                                                                             \
	do {                                                                                       \
		_Static_assert(sizeof(list) / sizeof((list)[0]) <= LIST_MAX, "list too long");     \
		index_list(&(x), (list), sizeof(list) / sizeof((list)[0]));                        \
	} while (0)

static void index_lists(void)
{
	INDEX(always_ix, always);
	INDEX(usually_ix, usually);
	INDEX(openers_ix, openers);
}

static int in_list(const word_index *x, const char *s, size_t len)
{
	unsigned char c;

	if (len == 0)
		return 0;
	c = (unsigned char)s[0];
	for (size_t i = x->at[c]; i < x->at[c + 1]; i++)
		if (strlen(x->word[i]) == len && memcmp(x->word[i], s, len) == 0)
			return 1;
	return 0;
}

#define IN(list, s, len) in_list(&list##_ix, (s), (len))

/* Text reaching the segmenter has its spaces collapsed to ASCII ones. */
static int sp(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static void trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && sp(s[*a]))
		(*a)++;
	while (*b > *a && sp(s[*b - 1]))
		(*b)--;
}

/* "U.S." "U.N." "p.m.": letters each followed by a dot, at least two. */
static int initialism(const char *s, size_t n)
{
	if (n < 4 || n % 2)
		return 0;
	for (size_t i = 0; i < n; i += 2)
		if ((unsigned char)s[i] >= 0x80 || !rlx_is_letter((unsigned char)s[i]) ||
		    s[i + 1] != '.')
			return 0;
	return 1;
}

/* The whole of s is a label with nothing after it ("나." "(3)" "iv."). */
static int label_only(const char *s, size_t n)
{
	char tmp[48];
	rl_label l;

	if (n == 0 || n + 3 > sizeof(tmp) || memchr(s, ' ', n))
		return 0;
	memcpy(tmp, s, n);
	memcpy(tmp + n, " x", 3);
	return rl_label_match(tmp, n + 2, &l) && l.len == n && l.style != RL_LABEL_BULLET;
}

static int opener(const char *s, size_t a, size_t b)
{
	size_t e = a;

	while (e < b && rlx_is_letter((unsigned char)s[e]) && (unsigned char)s[e] < 0x80)
		e++;
	if (e < b && (unsigned char)s[e] >= 0x80)
		return 0;
	return IN(openers, s + a, e - a);
}

/* Whether the sentence s[a..b) runs on into the one at s[c..d). */
static int runs_on(const char *s, size_t a, size_t b, size_t c, size_t d)
{
	size_t t = b, prev;
	int32_t first;

	if (b == a || c == d)
		return 0;
	if (label_only(s + a, b - a))
		return 1;
	if (s[b - 1] != '.')
		return 0;
	first = rlx_first_cp(s + c, d - c);
	if (rlx_is_lower(first))
		return 1; /* "... etc. and more": ICU splits after a closing quote */
	while (t > a && !sp(s[t - 1]))
		t--;
	if (IN(always, s + t, b - t))
		return 1;
	if (IN(usually, s + t, b - t) || initialism(s + t, b - t))
		return !opener(s, c, d);
	/* A single capital after a capitalized word: "John F. Kennedy". */
	if (b - t == 2 && rlx_is_upper((unsigned char)s[t]) && t > a + 1) {
		prev = t - 1;
		while (prev > a && !sp(s[prev - 1]))
			prev--;
		if (rlx_is_upper((unsigned char)s[prev]))
			return !opener(s, c, d);
	}
	return 0;
}

static int para_sep(int c)
{
	return c == U_SB_SEP || c == U_SB_CR || c == U_SB_LF;
}

/* Sentence_Break of an ASCII character, as UAX #29 gives it (and
 * test-segment checks against ICU's): written here, not asked of ICU,
 * so that a segmenter is made before ICU is loaded, which takes a
 * couple of milliseconds on another thread when a compare starts. */
int rlx_ascii_sentence_break(int c)
{
	if (c >= 'a' && c <= 'z')
		return U_SB_LOWER;
	if (c >= 'A' && c <= 'Z')
		return U_SB_UPPER;
	if (c >= '0' && c <= '9')
		return U_SB_NUMERIC;
	switch (c) {
	case '\t':
	case '\v':
	case '\f':
	case ' ':
		return U_SB_SP;
	case '\n':
		return U_SB_LF;
	case '\r':
		return U_SB_CR;
	case '.':
		return U_SB_ATERM;
	case '!':
	case '?':
		return U_SB_STERM;
	case ',':
	case '-':
	case ':':
		return U_SB_SCONTINUE;
	case '"':
	case '\'':
	case '(':
	case ')':
	case '[':
	case ']':
	case '{':
	case '}':
		return U_SB_CLOSE;
	default:
		return U_SB_OTHER;
	}
}

int rlx_segmenter_new(rlx_segmenter **out, rl_error *err)
{
	rlx_segmenter *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	pthread_once(&index_once, index_lists);
	for (int c = 0; c < 128; c++) {
		int k = rlx_ascii_sentence_break(c);

		s->ascii[c] = (uint8_t)k;
		s->plain[c] = k != U_SB_ATERM && k != U_SB_STERM && !para_sep(k) &&
			      k != U_SB_EXTEND && k != U_SB_FORMAT;
	}
	*out = s;
	return 0;
}

int rlx_segmenter_icu(rlx_segmenter *s, rl_error *err)
{
	UErrorCode st = U_ZERO_ERROR;

	if (!s->bi)
		s->bi = ubrk_open(UBRK_SENTENCE, "en", NULL, 0, &st);
	if (U_FAILURE(st))
		return rl_error_set(err, RL_ERROR, "ICU sentence iterator: %s", u_errorName(st));
	s->icu = 1;
	return 0;
}

void rlx_segmenter_free(rlx_segmenter *s)
{
	if (!s)
		return;
	ubrk_close(s->bi); /* NULL, or never opened: the loader's closer does nothing */
	utext_close(s->ut);
	free(s->u16);
	free(s);
}

/* --- boundaries ------------------------------------------------------------ */

/* Sentence_Break of the character at t[i], and where the next starts. A
 * byte that starts no valid character is U+FFFD, of class Other, as in
 * ICU. */
static int sb_class(const rlx_segmenter *s, const char *t, size_t len, size_t i, size_t *next)
{
	unsigned char b = (unsigned char)t[i];
	int32_t c;
	int k;

	*next = i;
	if (b < 0x80) {
		*next = i + 1;
		return s->ascii[b];
	}
	c = rl_utf8_next(t, len, next);
	if ((k = rlx_known_letter(c)))
		return k == 1 ? U_SB_LOWER : k == 2 ? U_SB_UPPER : U_SB_OLETTER;
	if (rlx_is_mark(c))
		return U_SB_EXTEND;
	k = rlx_common_punct(c);
	return k >= 0 ? k : u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK);
}

/* Past the Extend and Format characters at t[i] (UAX #29 SB5: they
 * belong to the character before them). */
static size_t skip_ignored(const rlx_segmenter *s, const char *t, size_t len, size_t i)
{
	size_t next;
	int c;

	while (i < len && ((c = sb_class(s, t, len, i, &next)) == U_SB_EXTEND || c == U_SB_FORMAT))
		i = next;
	return i;
}

/* Past the paragraph separator at t[i] (CR LF is one, SB3). */
static size_t past_sep(const rlx_segmenter *s, const char *t, size_t len, int c, size_t next)
{
	size_t after;

	if (c == U_SB_CR && next < len && sb_class(s, t, len, next, &after) == U_SB_LF)
		return after;
	return next;
}

/* SB8: after ATerm Close* Sp*, is the next letter lower case, with only
 * characters that are neither letters, terminators nor separators before
 * it ("etc. (see below) and")? */
static int lower_follows(const rlx_segmenter *s, const char *t, size_t len, size_t i)
{
	size_t next;

	while (i < len) {
		int c = sb_class(s, t, len, i, &next);

		if (c == U_SB_LOWER)
			return 1;
		if (c == U_SB_OLETTER || c == U_SB_UPPER || para_sep(c) || c == U_SB_ATERM ||
		    c == U_SB_STERM)
			return 0;
		i = next;
	}
	return 0;
}

/* The next sentence boundary after t[at], UAX #29's rules SB3-SB11. A
 * boundary comes only after a paragraph separator (SB4) or after a
 * terminator with the closing punctuation and spaces after it (SB9-11),
 * unless what follows continues the sentence: a digit or a capital right
 * after a full stop between letters (SB6-7: "3.5", "U.S."), a lower-case
 * word ahead (SB8: "etc. and"), or a comma, semicolon or another
 * terminator (SB8a). */
static size_t next_boundary(const rlx_segmenter *s, const char *t, size_t len, size_t at)
{
	size_t i = at, next, j;
	int prev = U_SB_OTHER; /* the last character's class, Extend and Format aside */

	while (i < len) {
		int c, d;

		/* most of a text: letters, digits, spaces, commas */
		if (s->plain[(unsigned char)t[i]]) {
			i = rlx_plain_end(t, i + 1, len);
			prev = s->ascii[(unsigned char)t[i - 1]];
			continue;
		}
		c = sb_class(s, t, len, i, &next);
		if (para_sep(c))
			return past_sep(s, t, len, c, next);
		if (c == U_SB_EXTEND || c == U_SB_FORMAT) {
			i = next;
			continue;
		}
		if (c != U_SB_ATERM && c != U_SB_STERM) {
			prev = c;
			i = next;
			continue;
		}
		j = skip_ignored(s, t, len, next);
		if (c == U_SB_ATERM && j < len) {
			d = sb_class(s, t, len, j, &next);
			if (d == U_SB_NUMERIC ||
			    (d == U_SB_UPPER && (prev == U_SB_UPPER || prev == U_SB_LOWER))) {
				prev = c; /* SB6, SB7 */
				i = j;
				continue;
			}
		}
		prev = c;
		while (j < len && sb_class(s, t, len, j, &next) == U_SB_CLOSE)
			j = skip_ignored(s, t, len, next), prev = U_SB_CLOSE;
		while (j < len && sb_class(s, t, len, j, &next) == U_SB_SP)
			j = skip_ignored(s, t, len, next), prev = U_SB_SP;
		if (j == len)
			return len;
		d = sb_class(s, t, len, j, &next);
		if (para_sep(d))
			return past_sep(s, t, len, d, next); /* SB9, SB10 */
		if (d == U_SB_SCONTINUE || d == U_SB_ATERM || d == U_SB_STERM ||
		    (c == U_SB_ATERM && lower_follows(s, t, len, j))) {
			i = j; /* SB8a, SB8 */
			continue;
		}
		return j; /* SB11 */
	}
	return len;
}

/* The paragraph as UTF-16 in s->u16, for ubrk_setText: ICU's rules run
 * over UTF-16 directly, where a UTF-8 UText converts as it goes. Returns
 * its length, or -1 (then the UTF-8 UText does). */
static int32_t to_utf16(rlx_segmenter *s, const char *text, size_t len)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0;

	if (len > INT32_MAX / 2)
		return -1;
	if ((int32_t)len + 1 > s->cap16) {
		UChar *u = realloc(s->u16, (len + 1) * sizeof(*u));

		if (!u)
			return -1;
		s->u16 = u;
		s->cap16 = (int32_t)len + 1;
	}
	/* UTF-16 never takes more units than UTF-8 takes bytes */
	u_strFromUTF8(s->u16, s->cap16, &n, text, (int32_t)len, &st);
	return U_FAILURE(st) ? -1 : n;
}

/* Byte offset in text of the UTF-16 offset `to`, walking on from the
 * pair (*at16, *at8) (boundaries come in order). */
static size_t byte_of(const char *text, size_t len, int32_t to, int32_t *at16, size_t *at8)
{
	while (*at16 < to && *at8 < len) {
		unsigned char c = (unsigned char)text[*at8];
		size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

		*at8 += n;
		*at16 += n == 4 ? 2 : 1;
	}
	return *at8 < len ? *at8 : len;
}

/* ICU's iterator on text, as UTF-16 when it converts (else UTF-8);
 * *n16 is the UTF-16 length, or -1. */
static int icu_start(rlx_segmenter *s, const char *text, size_t len, int32_t *n16)
{
	UErrorCode st = U_ZERO_ERROR;

	if ((*n16 = to_utf16(s, text, len)) >= 0) {
		ubrk_setText(s->bi, s->u16, *n16, &st);
	} else {
		s->ut = utext_openUTF8(s->ut, text, (int64_t)len, &st);
		if (U_FAILURE(st))
			return -1;
		ubrk_setUText(s->bi, s->ut, &st);
	}
	if (U_FAILURE(st))
		return -1;
	ubrk_first(s->bi);
	return 0;
}

/* Where the segmenter is in a text: the last boundary, and for ICU the
 * offsets of UTF-16 and bytes walked so far. */
typedef struct cursor {
	size_t at, at8;
	int32_t at16, n16;
} cursor;

/* The next boundary, or SIZE_MAX at the end. */
static size_t next_of(rlx_segmenter *s, const char *text, size_t len, cursor *k)
{
	int32_t end;

	if (!s->icu) {
		if (k->at >= len)
			return SIZE_MAX;
		return k->at = next_boundary(s, text, len, k->at);
	}
	if ((end = ubrk_next(s->bi)) == UBRK_DONE)
		return SIZE_MAX;
	return k->n16 >= 0 ? byte_of(text, len, end, &k->at16, &k->at8) : (size_t)end;
}

int rlx_sentence_bounds(rlx_segmenter *s, const char *text, size_t len, size_t *out, size_t cap)
{
	cursor k = {0, 0, 0, -1};
	size_t n = 0, b;

	if (len && s->icu && icu_start(s, text, len, &k.n16) < 0)
		return -1;
	while (len && (b = next_of(s, text, len, &k)) != SIZE_MAX) {
		if (n < cap)
			out[n] = b;
		n++;
	}
	return n > INT32_MAX ? -1 : (int)n;
}

int rlx_segment(rlx_segmenter *s, const char *text, size_t len,
		int (*fn)(void *arg, const char *s, size_t len), void *arg)
{
	cursor k = {0, 0, 0, -1};
	size_t pa = 0, pb = 0, a = 0, b;
	int have = 0;

	if (len == 0)
		return 0;
	if (s->icu && icu_start(s, text, len, &k.n16) < 0)
		return -1;
	while ((b = next_of(s, text, len, &k)) != SIZE_MAX) {
		size_t ta = a, tb = b;

		trim(text, &ta, &tb);
		a = b;
		if (ta == tb)
			continue;
		if (have && runs_on(text, pa, pb, ta, tb)) {
			pb = tb;
			continue;
		}
		if (have && fn(arg, text + pa, pb - pa) < 0)
			return -1;
		pa = ta;
		pb = tb;
		have = 1;
	}
	if (have && fn(arg, text + pa, pb - pa) < 0)
		return -1;
	return 0;
}
