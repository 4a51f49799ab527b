/* Shared by structure*.c (parsing, JSON) and principles*.c (ids,
 * comparing). Not a public header. */
#ifndef REDLINE_STRUCTURE_INTERNAL_H
#define REDLINE_STRUCTURE_INTERNAL_H

#include <stdint.h>

#include <jansson.h>

#include "redline/structure.h"

/* Gives every item an id derived from its content ("p-" and 8 hex). */
int structure_fresh_ids(rl_structure *s);
/* The error of a structure whose items have no ids yet (ids_pending)
 * where ids are read: RL_EINVALID. */
int structure_ids_pending(rl_error *err);
void structure_item_clear(rl_item *it);
/* {"id","label","text","list"} and, when full, "depth", "line", "lines". */
json_t *structure_item_json(const rl_item *it, int full);
/* Lowercase, single spaces, without the list punctuation an item gains
 * or loses when a neighbour comes or goes ("; and", ";", "."). malloc'd. */
char *structure_normalize(const char *text);

/* A structure's items by id (item-ids.c): item_ids_find gives the first
 * item with an id, or -1. The structure (which may be NULL: no items)
 * must outlive the table, its ids unchanged. */
typedef struct item_ids {
	const rl_structure *s;
	uint32_t *slot; /* an item + 1 by its id's hash, 0 empty */
	size_t mask;    /* slots - 1, a power of two less one */
} item_ids;
int item_ids_init(item_ids *t, const rl_structure *s);
long item_ids_find(const item_ids *t, const char *id);
void item_ids_free(item_ids *t);

#endif
