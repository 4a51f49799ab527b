/* A set of object ids: open addressing with linear probing. Object ids
 * are already uniformly distributed, so their first bytes are the hash. */
#include <stdlib.h>
#include <string.h>

#include "store-internal.h"

static size_t slot_of(const store_oidset *s, const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h & (s->cap - 1);
}

static int is_free(const git_oid *id)
{
	return git_oid_is_zero(id);
}

static int grow(store_oidset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024;
	git_oid *old = s->slots, *slots = calloc(cap, sizeof(*slots));
	size_t old_cap = s->cap;

	if (!slots)
		return -1;
	s->slots = slots;
	s->cap = cap;
	s->n = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (!is_free(&old[i]))
			store_oidset_add(s, &old[i]);
	free(old);
	return 0;
}

int store_oidset_add(store_oidset *s, const git_oid *id)
{
	size_t i;

	if (is_free(id))
		return 0; /* the null id is never an object */
	if ((s->n + 1) * 4 >= s->cap * 3 && grow(s) < 0)
		return -1;
	for (i = slot_of(s, id); !is_free(&s->slots[i]); i = (i + 1) & (s->cap - 1))
		if (git_oid_equal(&s->slots[i], id))
			return 0;
	git_oid_cpy(&s->slots[i], id);
	s->n++;
	return 1;
}

int store_oidset_has(const store_oidset *s, const git_oid *id)
{
	if (!s->cap || is_free(id))
		return 0;
	for (size_t i = slot_of(s, id); !is_free(&s->slots[i]); i = (i + 1) & (s->cap - 1))
		if (git_oid_equal(&s->slots[i], id))
			return 1;
	return 0;
}

void store_oidset_free(store_oidset *s)
{
	free(s->slots);
	memset(s, 0, sizeof(*s));
}
