/* rl_buf: one growable byte buffer for every string (git's strbuf).
 * The content is always NUL-terminated for convenience, but its length is
 * the truth: fetched bytes may hold NULs. An allocation failure sets the
 * sticky `failed` flag, so a long run of appends can be checked once. */
#ifndef REDLINE_BUF_H
#define REDLINE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct rl_buf {
	char *ptr;
	size_t len;
	size_t cap;
	int failed;
} rl_buf;

#define RL_BUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0, 0                                                                      \
	}

void rl_buf_init(rl_buf *b);
void rl_buf_free(rl_buf *b);
void rl_buf_reset(rl_buf *b); /* length 0, memory kept */
/* Room for extra bytes more (and the NUL): twice the room the buffer
 * had, or what is asked if that is more, so that bytes appended one at a
 * time are copied a bounded number of times and a buffer sized once for
 * a whole text takes that text's room. */
int rl_buf_grow(rl_buf *b, size_t extra);
/* rl_buf_put when the buffer must grow first (or has failed). */
int rl_buf_put_grown(rl_buf *b, const void *data, size_t len);

/* Appends len bytes. Inline where there is room already, as there is for
 * nearly every append: extraction appends a text a run or a byte at a
 * time, and the calls were 7% of its time. */
static inline int rl_buf_put(rl_buf *b, const void *data, size_t len)
{
	/* room for len bytes and the NUL; none in a buffer never grown (no
	 * memory: said outright, which the analyzer cannot infer from cap) */
	if (!b->ptr || b->failed || len >= b->cap - b->len)
		return rl_buf_put_grown(b, data, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

static inline int rl_buf_putc(rl_buf *b, char c)
{
	return rl_buf_put(b, &c, 1);
}

static inline int rl_buf_puts(rl_buf *b, const char *s)
{
	return rl_buf_put(b, s, strlen(s));
}

int rl_buf_printf(rl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int rl_buf_vprintf(rl_buf *b, const char *fmt, va_list ap);
int rl_buf_set(rl_buf *b, const void *data, size_t len);
void rl_buf_truncate(rl_buf *b, size_t len);
/* The content as a C string ("" for an empty buffer, never NULL). */
const char *rl_buf_cstr(const rl_buf *b);
/* Hands the memory to the caller (malloc'd, NUL-terminated); b is reset. */
char *rl_buf_detach(rl_buf *b, size_t *len);

#endif
