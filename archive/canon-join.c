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
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract-int.h"

struct rlx_vocab {
	rl_buf words; /* the words, lowercased, back to back */
	struct slot {
		uint32_t hash;
		uint32_t len;
		size_t off;
	} *slots;
	size_t cap, n;
};

static const char *const prefixes[] = {
	"all", "anti", "co", "counter", "cross", "ex", "half", "mid", "multi", "non",
	"post", "pre", "quasi", "self", "semi", "sub", "well",
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

/* Case-insensitive (ASCII) lookup of s[0..n). */
static int vocab_has(const rlx_vocab *v, const char *s, size_t n)
{
	uint32_t h;

	if (!v || !v->cap)
		return 0;
	h = fnv(s, n);
	for (size_t i = h & (v->cap - 1);; i = (i + 1) & (v->cap - 1)) {
		const struct slot *sl = &v->slots[i];

		if (!sl->len)
			return 0;
		if (sl->hash == h && sl->len == n && same(s, v->words.ptr + sl->off, n))
			return 1;
	}
}

static int grow(rlx_vocab *v)
{
	size_t cap = v->cap ? v->cap * 2 : 1024;
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

static int vocab_add(rlx_vocab *v, const char *s, size_t n)
{
	uint32_t h;
	size_t i;

	if (n == 0 || n > UINT32_MAX || vocab_has(v, s, n))
		return 0;
	if ((v->n + 1) * 2 > v->cap && grow(v) < 0)
		return -1;
	h = fnv(s, n);
	for (i = h & (v->cap - 1); v->slots[i].len; i = (i + 1) & (v->cap - 1))
		;
	v->slots[i].hash = h;
	v->slots[i].len = (uint32_t)n;
	v->slots[i].off = v->words.len;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];

		rl_buf_putc(&v->words, (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c));
	}
	v->n++;
	return v->words.failed ? -1 : 0;
}

/* Words: letters, with single hyphens between letters kept inside. */
static int add_words(rlx_vocab *v, const char *s, size_t n)
{
	size_t i = 0, start = 0, end = 0;
	int in = 0;

	while (i <= n) {
		size_t at = i;
		int32_t c = i < n ? rlx_next_cp(s, n, &i) : 0;

		if (at < n && rlx_is_letter(c)) {
			if (!in)
				start = at;
			in = 1;
			end = i;
			continue;
		}
		if (in && c == '-' && i < n) {
			size_t j = i;

			if (rlx_is_letter(rlx_next_cp(s, n, &j)))
				continue;
		}
		if (in && vocab_add(v, s + start, end - start) < 0)
			return -1;
		in = 0;
		if (at >= n)
			break;
	}
	return 0;
}

static int hyphen_at_end(const char *s, size_t n)
{
	size_t i = n;

	if (n < 2 || s[n - 1] != '-')
		return 0;
	i = n - 1;
	return rlx_is_letter(rlx_prev_cp(s, &i));
}

int rlx_vocab_build(rlx_vocab **out, const xdoc *d)
{
	rlx_vocab *v;
	int any = 0;

	*out = NULL;
	for (size_t p = 0; p < d->n && !any; p++)
		for (size_t l = 0; l < d->pages[p].n && !any; l++)
			any = hyphen_at_end(rlx_text(&d->pages[p], &d->pages[p].lines[l]),
					    d->pages[p].lines[l].len);
	if (!any)
		return 0; /* nothing to decide */
	if (!(v = calloc(1, sizeof(*v))))
		return -1;
	for (size_t p = 0; p < d->n; p++) {
		const xpage *pg = &d->pages[p];

		for (size_t l = 0; l < pg->n; l++)
			if (!(pg->lines[l].flags & XF_FURNITURE) &&
			    add_words(v, rlx_text(pg, &pg->lines[l]), pg->lines[l].len) < 0) {
				rlx_vocab_free(v);
				return -1;
			}
	}
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
static int drop_hyphen(const rlx_vocab *v, const char *left, size_t ln, const char *right,
		       size_t rn)
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
	static const char *const conj[] = { "and", "or", "nor", "to" };

	for (size_t i = 0; i < sizeof(conj) / sizeof(conj[0]); i++)
		if (strlen(conj[i]) == n && memcmp(conj[i], w, n) == 0)
			return 1;
	return 0;
}

int rlx_join(rl_buf *para, const char *text, size_t len, const rlx_vocab *v)
{
	size_t i = para->len, j = 0, ls, re;
	int32_t last, first, before;

	if (para->len == 0)
		return rl_buf_put(para, text, len);
	last = rlx_prev_cp(para->ptr, &i);
	first = rlx_next_cp(text, len, &j);
	if (last == 0xAD) { /* soft hyphen: the word goes on */
		rl_buf_truncate(para, i);
		return rl_buf_put(para, text, len);
	}
	before = i > 0 ? rlx_prev_cp(para->ptr, &(size_t){ i }) : 0;
	if ((last == '-' || last == 0x2010) && rlx_is_letter(before) && rlx_is_lower(first)) {
		/* the fragments on either side of the hyphen */
		for (ls = i; ls > 0 && para->ptr[ls - 1] != ' '; ls--)
			;
		for (re = 0; re < len && text[re] != ' ' && text[re] != ',' && text[re] != '.' &&
			     text[re] != ';' && text[re] != ':' && text[re] != ')';
		     re++)
			;
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
