/* A structure's items looked up by id (structure-internal.h): a table of
 * open addressing, an item + 1 by its id's hash. Sorted by id and
 * searched, the items' id strings scattered in memory, comparing two
 * versions' principles and giving the report's masks their codes took
 * half a millisecond each for the 624 items of an edition. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strcount.h"
#include "structure-internal.h"

/* The slot holding id's item, or the empty one where it would go. */
static size_t slot_of(const item_ids *t, const char *id)
{
	/* ids are short, and their hex digits spread the hash */
	size_t j = (size_t)strcount_hash(id, strlen(id)) & t->mask;

	while (t->slot[j] && strcmp(t->s->items[t->slot[j] - 1].id, id) != 0)
		j = (j + 1) & t->mask;
	return j;
}

int item_ids_init(item_ids *t, const rl_structure *s)
{
	size_t n = s ? s->n_items : 0, cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	t->s = s;
	t->mask = cap - 1;
	if (!(t->slot = calloc(cap, sizeof(*t->slot))))
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t j = slot_of(t, s->items[i].id);

		if (!t->slot[j])
			t->slot[j] = (uint32_t)i + 1;
	}
	return 0;
}

long item_ids_find(const item_ids *t, const char *id)
{
	size_t j;

	if (!t->s || !t->s->n_items)
		return -1;
	j = slot_of(t, id);
	return t->slot[j] ? (long)t->slot[j] - 1 : -1;
}

void item_ids_free(item_ids *t)
{
	free(t->slot);
	t->slot = NULL;
}
