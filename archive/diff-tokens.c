/* Tokens for the differ: ICU word boundaries (UAX #29 with dictionaries
 * for Chinese, Japanese and Thai), so "Korea's" stays one word, "2.0" one
 * number, and Chinese text splits into dictionary words. Whitespace is
 * not a token: it lives in the gaps between tokens. Tokens are interned,
 * so comparing two of them is comparing two integers. */
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include "diff-internal.h"

struct dintern {
	struct slot {
		uint64_t hash;
		const void *key;
		uint32_t len;
		uint32_t id;
	} *slots;
	size_t cap; /* power of two */
	uint32_t n;
};

uint64_t diff_hash(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = 1469598103934665603ULL ^ seed;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	/* FNV alone mixes the high bits poorly; the table uses the low ones. */
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

int dintern_new(dintern **out)
{
	dintern *t = calloc(1, sizeof(*t));

	if (!t)
		return RL_ENOMEM;
	t->cap = 1024;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return RL_ENOMEM;
	}
	*out = t;
	return 0;
}

void dintern_free(dintern *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

uint32_t dintern_count(const dintern *t)
{
	return t->n;
}

static int grow(dintern *t)
{
	size_t cap = t->cap * 2;
	struct slot *s = calloc(cap, sizeof(*s));

	if (!s)
		return RL_ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		size_t j;

		if (!t->slots[i].key)
			continue;
		for (j = t->slots[i].hash & (cap - 1); s[j].key; j = (j + 1) & (cap - 1))
			;
		s[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = s;
	t->cap = cap;
	return 0;
}

/* The id of key (len bytes, which must stay alive as long as t). Empty
 * keys are given a non-NULL dummy pointer so slots can tell "used". */
static int intern(dintern *t, const void *key, uint32_t len, uint32_t *id)
{
	static const char empty[1];
	uint64_t h = diff_hash(key, len, len);
	size_t j;

	if (!len)
		key = empty;
	if ((t->n + 1) * 2 > t->cap && grow(t) < 0)
		return RL_ENOMEM;
	for (j = h & (t->cap - 1); t->slots[j].key; j = (j + 1) & (t->cap - 1)) {
		struct slot *s = &t->slots[j];

		if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0) {
			*id = s->id;
			return 0;
		}
	}
	t->slots[j] = (struct slot){ h, key, len, t->n };
	*id = t->n++;
	return 0;
}

static int is_space_run(const char *s, int32_t len)
{
	int32_t i = 0;
	UChar32 c;

	while (i < len) {
		U8_NEXT(s, i, len, c);
		if (c < 0 || !u_isUWhiteSpace(c))
			return 0;
	}
	return 1;
}

static int push_tok(dside *s, size_t *cap, uint32_t start, uint32_t end, uint8_t kind)
{
	if (s->ntok == *cap) {
		size_t ncap = *cap ? *cap * 2 : 1024;
		dtok *t = realloc(s->tok, ncap * sizeof(*t));

		if (!t)
			return RL_ENOMEM;
		s->tok = t;
		*cap = ncap;
	}
	s->tok[s->ntok++] = (dtok){ start, end, 0, 0, kind };
	return 0;
}

static int split_lines(dside *s)
{
	size_t n = 1, k = 0;
	uint32_t start = 0;

	for (size_t i = 0; i < s->len; i++)
		n += s->text[i] == '\n';
	s->line = calloc(n, sizeof(*s->line));
	if (!s->line)
		return RL_ENOMEM;
	for (size_t i = 0; i <= s->len; i++) {
		if (i < s->len && s->text[i] != '\n')
			continue;
		s->line[k].start = start;
		s->line[k].end = (uint32_t)i;
		k++;
		start = (uint32_t)i + 1;
	}
	s->nline = k;
	return 0;
}

static int run_icu(dside *s, rl_error *err)
{
	UErrorCode st = U_ZERO_ERROR;
	UText *ut = NULL;
	UBreakIterator *bi = NULL;
	size_t cap = 0;
	int32_t p, q;
	int rc = 0;

	ut = utext_openUTF8(NULL, s->text, (int64_t)s->len, &st);
	if (U_SUCCESS(st))
		bi = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
	if (U_SUCCESS(st))
		ubrk_setUText(bi, ut, &st);
	if (U_FAILURE(st)) {
		rc = rl_error_set(err, RL_ERROR, "diff: ICU word breaker: %s", u_errorName(st));
		goto out;
	}
	for (p = ubrk_first(bi); (q = ubrk_next(bi)) != UBRK_DONE; p = q) {
		int32_t status = ubrk_getRuleStatus(bi);
		uint8_t kind;

		if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT)
			kind = TOK_NUMBER;
		else if (status >= UBRK_WORD_NONE_LIMIT)
			kind = TOK_WORD;
		else if (is_space_run(s->text + p, q - p))
			continue;
		else
			kind = TOK_PUNCT;
		if (push_tok(s, &cap, (uint32_t)p, (uint32_t)q, kind) < 0) {
			rc = rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
			goto out;
		}
	}
out:
	ubrk_close(bi);
	utext_close(ut);
	return rc;
}

int diff_tokenize(dside *s, const char *text, size_t len, dintern *tokens, rl_error *err)
{
	size_t li = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	s->text = text;
	s->len = len;
	if (len > DIFF_MAX_TEXT)
		return rl_error_set(err, RL_EINVALID, "diff: text of %zu bytes is too large", len);
	if (split_lines(s) < 0)
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory for lines");
	if (len && (rc = run_icu(s, err)) < 0)
		return rc;
	s->ids = malloc((s->ntok + 1) * sizeof(*s->ids));
	s->match = malloc((s->ntok + 1) * sizeof(*s->match));
	s->move = calloc(s->ntok + 1, sizeof(*s->move));
	if (!s->ids || !s->match || !s->move)
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	for (size_t i = 0; i < s->ntok; i++) {
		dtok *t = &s->tok[i];

		if (intern(tokens, text + t->start, t->end - t->start, &t->id) < 0)
			return rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
		s->ids[i] = t->id;
		s->match[i] = -1;
		while (li + 1 < s->nline && s->line[li].end < t->start)
			li++;
		t->line = (uint32_t)li;
		if (s->line[li].ntok++ == 0)
			s->line[li].tok0 = (uint32_t)i;
	}
	return 0;
}

void dside_free(dside *s)
{
	if (!s)
		return;
	free(s->tok);
	free(s->line);
	free(s->ids);
	free(s->match);
	free(s->move);
	memset(s, 0, sizeof(*s));
}
