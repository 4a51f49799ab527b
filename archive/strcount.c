/* A multiset of strings, by open addressing (linear probing). Item ids
 * are checked for clashes once per item against every id of two
 * versions: with the list scanned each time that was quadratic, a few
 * milliseconds of every compare of two editions. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strcount.h"

typedef struct slot {
	char *key; /* NULL: empty */
	size_t len;
	int count;
} slot;

struct strcount {
	slot *v;
	size_t mask, used;
};

uint64_t strcount_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static size_t find(const slot *v, size_t mask, const char *s, size_t len)
{
	size_t k = (size_t)strcount_hash(s, len) & mask;

	while (v[k].key && (v[k].len != len || memcmp(v[k].key, s, len) != 0))
		k = (k + 1) & mask;
	return k;
}

strcount *strcount_new(size_t n)
{
	strcount *m = calloc(1, sizeof(*m));
	size_t cap = 16;

	while (cap < 2 * n + 2)
		cap *= 2;
	if (!m)
		return NULL;
	m->mask = cap - 1;
	if (!(m->v = calloc(cap, sizeof(*m->v)))) {
		free(m);
		return NULL;
	}
	return m;
}

void strcount_free(strcount *m)
{
	if (!m)
		return;
	for (size_t k = 0; k <= m->mask; k++)
		free(m->v[k].key);
	free(m->v);
	free(m);
}

/* Twice the slots, every key moved over (the keys themselves stay). */
static int grow(strcount *m)
{
	size_t cap = 2 * (m->mask + 1);
	slot *v = calloc(cap, sizeof(*v));

	if (!v)
		return -1;
	for (size_t k = 0; k <= m->mask; k++)
		if (m->v[k].key)
			v[find(v, cap - 1, m->v[k].key, m->v[k].len)] = m->v[k];
	free(m->v);
	m->v = v;
	m->mask = cap - 1;
	return 0;
}

int strcount_add(strcount *m, const char *s, size_t len, int delta)
{
	slot *e;

	if (2 * (m->used + 1) > m->mask + 1 && grow(m) < 0)
		return -1;
	e = &m->v[find(m->v, m->mask, s, len)];
	if (!e->key) {
		if (!(e->key = malloc(len + 1)))
			return -1;
		memcpy(e->key, s, len);
		e->key[len] = '\0';
		e->len = len;
		m->used++;
	}
	e->count += delta;
	return 0;
}

int strcount_get(const strcount *m, const char *s, size_t len)
{
	const slot *e = &m->v[find(m->v, m->mask, s, len)];

	return e->key ? e->count : 0;
}
