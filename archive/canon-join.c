/* Joining a hard-wrapped line to the text before it.
 *
 * Usually with one space. Without one: after a soft hyphen; between two
 * characters of a script written without spaces (Chinese, Japanese);
 * after a dash glued to a word ("ROK–" + "US"); and after a hyphen at a
 * word's end, which is either a typesetter's hyphen (dropped:
 * "responsi-" + "bility") or part of a compound (kept: "system-" +
 * "related"). The document itself decides: if the joined word appears
 * elsewhere in it, the hyphen goes; if the hyphenated compound does, it
 * stays; before a capital or a digit it stays ("COVID-" + "19"); after a
 * common prefix ("non-", "self-", "co-") it stays; before "and" or "or"
 * it hangs ("presentation- and discussion-oriented"); otherwise it goes.
 * Whatever the wrapping, a word that appears unbroken somewhere is
 * spelled the same everywhere. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract-int.h"

#define WORD_MAX 64 /* longer "words" are not asked about */

/* The words the document could be asked about: for each line that ends
 * in a hyphen before a line going on in lowercase, the joined word and
 * the hyphenated one. One pass over the document's words, on the first
 * question, says which of them it spells unbroken somewhere. */
struct rlx_vocab {
	const xdoc *doc;
	int indexed;
	rl_buf words; /* the candidates, lowercased, back to back */
	struct slot {
		uint32_t hash;
		uint32_t len;
		size_t off;
		int seen;
	} * slots;
	size_t cap, n;
	unsigned char lens[WORD_MAX + 1]; /* lengths some candidate has */
	/* the first and last bytes (lowercased) some candidate has, a bit
	 * per pair: most of a document's words are let go on these and
	 * their length, unhashed (hashing them all was a sixth of
	 * extracting a hard-wrapped edition) */
	uint64_t ends[256 * 256 / 64];
};

static const char *const prefixes[] = {
    "all", "anti", "co",  "counter", "cross", "ex",   "half", "mid",  "multi",
    "non", "post", "pre", "quasi",   "self",  "semi", "sub",  "well",
};

static uint32_t fnv(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		h = (h ^ (c >= 'A' && c <= 'Z' ? c | 0x20 : c)) * 16777619u;
	}
	return h;
}

static int same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if ((x >= 'A' && x <= 'Z' ? x | 0x20 : x) != y)
			return 0;
	}
	return 1;
}

static unsigned lower_byte(char c)
{
	unsigned char x = (unsigned char)c;

	return x >= 'A' && x <= 'Z' ? x | 0x20 : x;
}

static size_t ends_bit(const char *s, size_t n)
{
	return lower_byte(s[0]) << 8 | lower_byte(s[n - 1]);
}

static struct slot *find(const rlx_vocab *v, const char *s, size_t n)
{
	uint32_t h;
	size_t e;

	if (!v->cap || n == 0 || n > WORD_MAX || !v->lens[n])
		return NULL;
	e = ends_bit(s, n);
	if (!(v->ends[e / 64] >> (e % 64) & 1))
		return NULL;
	h = fnv(s, n);
	for (size_t i = h & (v->cap - 1);; i = (i + 1) & (v->cap - 1)) {
		struct slot *sl = &v->slots[i];

		if (!sl->len)
			return NULL;
		if (sl->hash == h && sl->len == n && same(s, v->words.ptr + sl->off, n))
			return sl;
	}
}

static int grow(rlx_vocab *v)
{
	size_t cap = v->cap ? v->cap * 2 : 64;
	struct slot *s = calloc(cap, sizeof(*s));

	if (!s)
		return -1;
	for (size_t i = 0; i < v->cap; i++) {
		size_t j;

		if (!v->slots[i].len)
			continue;
		for (j = v->slots[i].hash & (cap - 1); s[j].len; j = (j + 1) & (cap - 1))
			;
		s[j] = v->slots[i];
	}
	free(v->slots);
	v->slots = s;
	v->cap = cap;
	return 0;
}

static int add(rlx_vocab *v, const char *s, size_t n)
{
	uint32_t h;
	size_t i;

	if (n == 0 || n > WORD_MAX || find(v, s, n))
		return 0;
	if ((v->n + 1) * 2 > v->cap && grow(v) < 0)
		return -1;
	h = fnv(s, n);
	for (i = h & (v->cap - 1); v->slots[i].len; i = (i + 1) & (v->cap - 1))
		;
	v->slots[i].hash = h;
	v->slots[i].len = (uint32_t)n;
	v->slots[i].off = v->words.len;
	v->slots[i].seen = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];

		rl_buf_putc(&v->words, (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c));
	}
	v->lens[n] = 1;
	v->ends[ends_bit(s, n) / 64] |= (uint64_t)1 << (ends_bit(s, n) % 64);
	v->n++;
	return v->words.failed ? -1 : 0;
}

static int ascii_letter(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Marks the candidates among the words of s: letters, with single
 * hyphens between letters kept inside. */
static void see_words(rlx_vocab *v, const char *s, size_t n)
{
	size_t i = 0, start = 0, end = 0;
	int in = 0;

	while (i <= n) {
		size_t at = i;
		int32_t c;
		struct slot *sl;

		if (i < n && ascii_letter((unsigned char)s[i])) { /* the common case */
			if (!in)
				start = at;
			in = 1;
			end = i = rlx_letters_end(s, i + 1, n);
			continue;
		}
		if (i == n)
			c = 0;
		else if ((unsigned char)s[i] < 0x80)
			c = (unsigned char)s[i++]; /* a space or punctuation, no letter */
		else
			c = rl_utf8_next(s, n, &i);
		if (at < n && c >= 0x80 && rlx_is_letter(c)) {
			if (!in)
				start = at;
			in = 1;
			end = i;
			continue;
		}
		if (in && c == '-' && i < n) {
			size_t j = i;

			if (ascii_letter((unsigned char)s[i]) ||
			    rlx_is_letter(rl_utf8_next(s, n, &j)))
				continue;
		}
		if (in && (sl = find(v, s + start, end - start)))
			sl->seen = 1;
		in = 0;
		if (at >= n)
			break;
	}
}

static void index_words(rlx_vocab *v)
{
	const xdoc *d = v->doc;

	v->indexed = 1;
	for (size_t p = 0; p < d->n; p++) {
		const xpage *pg = &d->pages[p];

		for (size_t l = 0; l < pg->n; l++)
			if (!(pg->lines[l].flags & XF_FURNITURE))
				see_words(v, rlx_text(pg, &pg->lines[l]), pg->lines[l].len);
	}
}

static int vocab_has(rlx_vocab *v, const char *s, size_t n)
{
	struct slot *sl;

	if (!v)
		return 0;
	if (!v->indexed)
		index_words(v);
	sl = find(v, s, n);
	return sl && sl->seen;
}

/* The word before a hyphen ending s, and the word starting t, as rlx_join
 * cuts them: back to a space, and on to a space or punctuation. */
static size_t left_word(const char *s, size_t n)
{
	size_t ls = n;

	while (ls > 0 && s[ls - 1] != ' ')
		ls--;
	return ls;
}

static size_t right_word(const char *t, size_t n)
{
	size_t re = 0;

	while (re < n && t[re] != ' ' && t[re] != ',' && t[re] != '.' && t[re] != ';' &&
	       t[re] != ':' && t[re] != ')')
		re++;
	return re;
}

static int hyphen_at_end(const char *s, size_t n)
{
	size_t i = n;

	if (n < 2 || s[n - 1] != '-')
		return 0;
	i = n - 1;
	return rlx_is_letter(rlx_prev_cp(s, &i));
}

static int add_candidates(rlx_vocab *v, const char *s, size_t n, const char *t, size_t tn)
{
	char w[2 * WORD_MAX + 2];
	size_t ls = left_word(s, n - 1), ln = n - 1 - ls, rn = right_word(t, tn);

	if (!rlx_is_lower(rlx_first_cp(t, tn)) || ln + rn + 1 > (size_t)2 * WORD_MAX)
		return 0;
	memcpy(w, s + ls, ln);
	memcpy(w + ln, t, rn);
	if (add(v, w, ln + rn) < 0)
		return -1;
	w[ln] = '-';
	memcpy(w + ln + 1, t, rn);
	return add(v, w, ln + rn + 1);
}

int rlx_vocab_build(rlx_vocab **out, const xdoc *d)
{
	rlx_vocab *v = NULL;
	const char *ps = NULL;
	size_t pn = 0;

	*out = NULL;
	for (size_t p = 0; p < d->n; p++) {
		const xpage *pg = &d->pages[p];

		for (size_t l = 0; l < pg->n; l++) {
			const xline *ln = &pg->lines[l];
			const char *s = rlx_text(pg, ln);

			if (ln->flags & XF_FURNITURE)
				continue;
			if (ps && hyphen_at_end(ps, pn)) {
				if (!v && !(v = calloc(1, sizeof(*v))))
					return -1;
				if (add_candidates(v, ps, pn, s, ln->len) < 0) {
					rlx_vocab_free(v);
					return -1;
				}
			}
			ps = s;
			pn = ln->len;
		}
	}
	if (v)
		v->doc = d;
	*out = v;
	return 0;
}

void rlx_vocab_free(rlx_vocab *v)
{
	if (!v)
		return;
	rl_buf_free(&v->words);
	free(v->slots);
	free(v);
}

/* Whether "left-" + "right" loses its hyphen. */
static int drop_hyphen(rlx_vocab *v, const char *left, size_t ln, const char *right, size_t rn)
{
	char stack[256];
	size_t n = ln + rn + 1;
	int joined, compound;

	if (n > sizeof(stack))
		return 1;
	memcpy(stack, left, ln);
	memcpy(stack + ln, right, rn);
	joined = vocab_has(v, stack, ln + rn);
	stack[ln] = '-';
	memcpy(stack + ln + 1, right, rn);
	compound = vocab_has(v, stack, n);
	if (joined != compound)
		return joined;
	if (memchr(left, '-', ln))
		return 0; /* "state-of-" + "the-art" */
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strlen(prefixes[i]) == ln && strncasecmp(prefixes[i], left, ln) == 0)
			return 0;
	return 1;
}

/* "presentation- and discussion-oriented": a hyphen left hanging before
 * a conjunction belongs to the word after it, with a space between. */
static int suspended(const char *w, size_t n)
{
	static const char *const conj[] = {"and", "or", "nor", "to"};

	for (size_t i = 0; i < sizeof(conj) / sizeof(conj[0]); i++)
		if (strlen(conj[i]) == n && memcmp(conj[i], w, n) == 0)
			return 1;
	return 0;
}

int rlx_join(rl_buf *para, const char *text, size_t len, rlx_vocab *v)
{
	size_t i = para->len, j = 0, ls, re;
	int32_t last, first, before;

	if (para->len == 0)
		return rl_buf_put(para, text, len);
	last = rlx_prev_cp(para->ptr, &i);
	first = rl_utf8_next(text, len, &j);
	if (last == 0xAD) { /* soft hyphen: the word goes on */
		rl_buf_truncate(para, i);
		return rl_buf_put(para, text, len);
	}
	before = i > 0 ? rlx_prev_cp(para->ptr, &(size_t){i}) : 0;
	if ((last == '-' || last == 0x2010) && rlx_is_letter(before) && rlx_is_lower(first)) {
		/* the fragments on either side of the hyphen */
		ls = left_word(para->ptr, i);
		re = right_word(text, len);
		if (suspended(text, re))
			return rl_buf_putc(para, ' ') < 0 ? -1 : rl_buf_put(para, text, len);
		if (drop_hyphen(v, para->ptr + ls, i - ls, text, re))
			rl_buf_truncate(para, i);
		return rl_buf_put(para, text, len);
	}
	if ((last == '-' || last == 0x2010 || last == 0x2013 || last == 0x2014) &&
	    (rlx_is_letter(before) || (before >= '0' && before <= '9')) &&
	    (rlx_is_letter(first) || (first >= '0' && first <= '9')))
		return rl_buf_put(para, text, len); /* "ROK–" + "US", "COVID-" + "19" */
	if (rlx_is_cjk(last) && rlx_is_cjk(first))
		return rl_buf_put(para, text, len);
	if (rl_buf_putc(para, ' ') < 0)
		return -1;
	return rl_buf_put(para, text, len);
}
