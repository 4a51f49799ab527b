/* Sentence segmentation: ICU's sentence boundaries (UAX #29, every
 * script), then redline's rules for what ICU splits too eagerly in
 * official documents: titles and references that never end a sentence
 * ("No. 5", "Art. 5", "e.g.", "Gen. Kim"), initialisms ("U.S. Forces
 * Korea") unless a typical sentence opener follows ("... the U.S. The
 * Alliance ..."), and a list label left alone ("나."). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include "redline/label.h"

#include "extract-int.h"

struct rlx_segmenter {
	UBreakIterator *bi;
	UText *ut;
	UChar *u16; /* the paragraph in UTF-16, which ICU walks fastest */
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

static int in_list(const char *const *v, size_t n, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i][0] == s[0] && strlen(v[i]) == len && memcmp(v[i], s, len) == 0)
			return 1;
	return 0;
}

#define IN(list, s, len) in_list((list), sizeof(list) / sizeof((list)[0]), (s), (len))

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
		if (!rlx_is_letter((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80 ||
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

int rlx_segmenter_new(rlx_segmenter **out, rl_error *err)
{
	UErrorCode st = U_ZERO_ERROR;
	rlx_segmenter *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	s->bi = ubrk_open(UBRK_SENTENCE, "en", NULL, 0, &st);
	if (U_FAILURE(st)) {
		free(s);
		return rl_error_set(err, RL_ERROR, "ICU sentence iterator: %s", u_errorName(st));
	}
	*out = s;
	return 0;
}

void rlx_segmenter_free(rlx_segmenter *s)
{
	if (!s)
		return;
	ubrk_close(s->bi);
	utext_close(s->ut);
	free(s->u16);
	free(s);
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

int rlx_segment(rlx_segmenter *s, const char *text, size_t len,
		int (*fn)(void *arg, const char *s, size_t len), void *arg)
{
	UErrorCode st = U_ZERO_ERROR;
	size_t pa = 0, pb = 0, a, b, at8 = 0;
	int32_t end, n16, at16 = 0;
	int have = 0;

	if (len == 0)
		return 0;
	if ((n16 = to_utf16(s, text, len)) >= 0) {
		ubrk_setText(s->bi, s->u16, n16, &st);
	} else {
		s->ut = utext_openUTF8(s->ut, text, (int64_t)len, &st);
		if (U_FAILURE(st))
			return -1;
		ubrk_setUText(s->bi, s->ut, &st);
	}
	if (U_FAILURE(st))
		return -1;
	a = 0;
	ubrk_first(s->bi);
	while ((end = ubrk_next(s->bi)) != UBRK_DONE) {
		size_t ta, tb;

		b = n16 >= 0 ? byte_of(text, len, end, &at16, &at8) : (size_t)end;
		ta = a;
		tb = b;
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
