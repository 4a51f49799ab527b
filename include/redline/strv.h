/* rl_strv: a growable, NULL-terminated vector of owned strings. */
#ifndef REDLINE_STRV_H
#define REDLINE_STRV_H

#include <stddef.h>

typedef struct rl_strv {
	char **v; /* v[n] == NULL */
	size_t n;
	size_t cap;
} rl_strv;

#define RL_STRV_INIT                                                                               \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

int rl_strv_push(rl_strv *s, const char *str);
int rl_strv_pushf(rl_strv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int rl_strv_contains(const rl_strv *s, const char *str);
int rl_strv_copy(rl_strv *dst, const rl_strv *src);
void rl_strv_free(rl_strv *s);

#endif
