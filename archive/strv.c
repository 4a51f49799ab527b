/* rl_strv: a vector of owned strings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redline/strv.h"

static int strv_take(rl_strv *s, char *str)
{
	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		char **v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
	return 0;
}

int rl_strv_push(rl_strv *s, const char *str)
{
	char *copy = strdup(str);

	if (!copy || strv_take(s, copy) < 0) {
		free(copy);
		return -1;
	}
	return 0;
}

int rl_strv_pushf(rl_strv *s, const char *fmt, ...)
{
	va_list ap;
	char *str = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&str, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if (strv_take(s, str) < 0) {
		free(str);
		return -1;
	}
	return 0;
}

int rl_strv_contains(const rl_strv *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return 1;
	return 0;
}

int rl_strv_copy(rl_strv *dst, const rl_strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (rl_strv_push(dst, src->v[i]) < 0)
			return -1;
	return 0;
}

void rl_strv_free(rl_strv *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}
