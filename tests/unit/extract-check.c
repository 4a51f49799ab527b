/* Assertions on canonical text shared by the extraction tests. */
#include <stdlib.h>
#include <string.h>

#include "extract-check.h"

int xc_has_line(const rl_buf *text, const char *line)
{
	size_t n = strlen(line), i = 0;

	while (i < text->len) {
		const char *nl = memchr(text->ptr + i, '\n', text->len - i);
		size_t end = nl ? (size_t)(nl - text->ptr) : text->len;

		if (end - i == n && memcmp(text->ptr + i, line, n) == 0)
			return 1;
		i = end + 1;
	}
	return 0;
}

int xc_has_line_prefix(const rl_buf *text, const char *prefix)
{
	size_t n = strlen(prefix), i = 0;

	while (i < text->len) {
		const char *nl = memchr(text->ptr + i, '\n', text->len - i);
		size_t end = nl ? (size_t)(nl - text->ptr) : text->len;

		if (end - i >= n && memcmp(text->ptr + i, prefix, n) == 0)
			return 1;
		i = end + 1;
	}
	return 0;
}

int xc_contains(const rl_buf *text, const char *s)
{
	return text->len && memmem(text->ptr, text->len, s, strlen(s)) != NULL;
}

int xc_extract(rl_text *t, const rl_buf *raw, size_t n, int first, const char *ctype,
	       const rl_extract_opts *opts, rl_error *err)
{
	rl_raw_page *p = calloc(n, sizeof(*p));
	int rc;

	for (size_t i = 0; i < n; i++) {
		p[i].number = first ? first + (int)i : 0;
		p[i].data = raw[i].ptr;
		p[i].len = raw[i].len;
		p[i].content_type = ctype;
	}
	rc = rl_extract(t, p, n, opts, err);
	free(p);
	return rc;
}
