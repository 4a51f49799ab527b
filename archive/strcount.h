/* A multiset of strings: how many times each was added, less removed.
 * Keys are copied. Not a public header. */
#ifndef REDLINE_STRCOUNT_H
#define REDLINE_STRCOUNT_H

#include <stddef.h>
#include <stdint.h>

typedef struct strcount strcount;

/* A multiset for about n distinct strings (it grows past them). */
strcount *strcount_new(size_t n);
void strcount_free(strcount *m);
/* Adds delta (negative to remove) to the count of the first len bytes
 * of s; 0, or -1 when out of memory. */
int strcount_add(strcount *m, const char *s, size_t len, int delta);
/* The count of the first len bytes of s (0 when never added). */
int strcount_get(const strcount *m, const char *s, size_t len);
/* The hash the multiset files strings by (FNV-1a, 64 bits), for other
 * tables of short strings (item-ids.c). */
uint64_t strcount_hash(const char *s, size_t len);

#endif
