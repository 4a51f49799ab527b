/* A multiset of strings, by open addressing (linear probing). Item ids
 * are checked for clashes once per item against every id of two
 * versions: with the list scanned each time that was quadratic, a few
 * milliseconds of every compare of two editions. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strcount.h"

struct strcount {
	char **key;
	size_t *klen;
	int *count;
	size_t mask, used;
};

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static size_t find(const strcount *m, const char *s, size_t len)
{
	size_t k = (size_t)hash(s, len) & m->mask;

	while (m->key[k] && (m->klen[k] != len || memcmp(m->key[k], s, len) != 0))
		k = (k + 1) & m->mask;
	return k;
}

static int init(strcount *m, size_t cap)
{
	m->mask = cap - 1;
	m->used = 0;
	m->key = calloc(cap, sizeof(*m->key));
	m->klen = calloc(cap, sizeof(*m->klen));
	m->count = calloc(cap, sizeof(*m->count));
	return m->key && m->klen && m->count ? 0 : -1;
}

static void release(strcount *m)
{
	for (size_t k = 0; m->key && k <= m->mask; k++)
		free(m->key[k]);
	free(m->key);
	free(m->klen);
	free(m->count);
}

strcount *strcount_new(size_t n)
{
	strcount *m = calloc(1, sizeof(*m));
	size_t cap = 16;

	while (cap < 2 * n + 2)
		cap *= 2;
	if (m && init(m, cap) < 0) {
		strcount_free(m);
		return NULL;
	}
	return m;
}

void strcount_free(strcount *m)
{
	if (!m)
		return;
	release(m);
	free(m);
}

/* Twice the slots, every key moved over. */
static int grow(strcount *m)
{
	strcount bigger;

	if (init(&bigger, 2 * (m->mask + 1)) < 0) {
		release(&bigger);
		return -1;
	}
	for (size_t k = 0; k <= m->mask; k++) {
		size_t at;

		if (!m->key[k])
			continue;
		at = find(&bigger, m->key[k], m->klen[k]);
		bigger.key[at] = m->key[k];
		bigger.klen[at] = m->klen[k];
		bigger.count[at] = m->count[k];
		bigger.used++;
		m->key[k] = NULL;
	}
	release(m);
	*m = bigger;
	return 0;
}

int strcount_add(strcount *m, const char *s, size_t len, int delta)
{
	size_t at;

	if (2 * (m->used + 1) > m->mask + 1 && grow(m) < 0)
		return -1;
	at = find(m, s, len);
	if (!m->key[at]) {
		if (!(m->key[at] = malloc(len + 1)))
			return -1;
		memcpy(m->key[at], s, len);
		m->key[at][len] = '\0';
		m->klen[at] = len;
		m->used++;
	}
	m->count[at] += delta;
	return 0;
}

int strcount_get(const strcount *m, const char *s, size_t len)
{
	size_t at = find(m, s, len);

	return m->key[at] ? m->count[at] : 0;
}
