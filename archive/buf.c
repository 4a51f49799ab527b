/* rl_buf: the growable byte buffer every string travels in. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redline/buf.h"

void rl_buf_init(rl_buf *b)
{
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

void rl_buf_free(rl_buf *b)
{
	if (!b)
		return;
	free(b->ptr);
	rl_buf_init(b);
}

void rl_buf_reset(rl_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

int rl_buf_grow(rl_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return -1;
	if (extra > SIZE_MAX - b->len - 1)
		goto fail;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	/* Twice the room it had, or what is asked if that is more: a
	 * buffer sized once for a whole text (a file's length, a page's
	 * lines) gets that much, not the next power of two, which a
	 * megabyte text overshot by half and huge pages (cli/heap.c)
	 * zeroed whole. */
	cap = b->cap <= SIZE_MAX / 2 ? 2 * b->cap : need;
	if (cap < 64)
		cap = 64;
	if (cap < need)
		cap = need;
	p = realloc(b->ptr, cap);
	if (!p)
		goto fail;
	b->ptr = p;
	b->cap = cap;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

int rl_buf_put_grown(rl_buf *b, const void *data, size_t len)
{
	if (rl_buf_grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int rl_buf_vprintf(rl_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || rl_buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int rl_buf_printf(rl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = rl_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

int rl_buf_set(rl_buf *b, const void *data, size_t len)
{
	rl_buf_reset(b);
	return rl_buf_put(b, data, len);
}

void rl_buf_truncate(rl_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

const char *rl_buf_cstr(const rl_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *rl_buf_detach(rl_buf *b, size_t *len)
{
	char *p = b->ptr;

	if (!p)
		p = calloc(1, 1);
	if (len)
		*len = b->len;
	rl_buf_init(b);
	return p;
}
