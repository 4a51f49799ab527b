/* Shared by structure.c (parsing, JSON) and principles.c (ids, comparing). */
#ifndef REDLINE_STRUCTURE_INTERNAL_H
#define REDLINE_STRUCTURE_INTERNAL_H

#include <jansson.h>

#include "redline/structure.h"

/* Gives every item an id derived from its content ("p-" and 8 hex). */
int structure_fresh_ids(rl_structure *s);
void structure_item_clear(rl_item *it);
/* {"id","label","text","list"} and, when full, "depth" and "line". */
json_t *structure_item_json(const rl_item *it, int full);

#endif
