/* A light scan of a git-config file that only remembers on which line
 * each key appears, so that errors can say FILE:LINE. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-lines.h"
#include "redline/buf.h"

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* "[source "wp"]" -> "source.wp"; "[fetch]" -> "fetch"; "[a.b]" -> "a.b". */
static void parse_header(const char *p, rl_buf *section)
{
	const char *end = strchr(p, ']');
	const char *q = strchr(p, '"');
	size_t n;

	rl_buf_reset(section);
	if (!end)
		return;
	if (q && q < end) {
		const char *qe = strrchr(p, '"');
		char *name = strndup(p + 1, (size_t)(q - p - 1));

		if (!name)
			return;
		n = strlen(name);
		while (n && isspace((unsigned char)name[n - 1]))
			name[--n] = '\0';
		lower(name);
		rl_buf_printf(section, "%s.", name);
		free(name);
		if (qe > q)
			for (const char *c = q + 1; c < qe; c++) {
				if (*c == '\\' && c + 1 < qe)
					c++;
				rl_buf_putc(section, *c);
			}
	} else {
		char *name = strndup(p + 1, (size_t)(end - p - 1));

		if (!name)
			return;
		lower(name);
		rl_buf_puts(section, name);
		free(name);
	}
}

static int push(rl_config_lines *t, const char *name, int line)
{
	rl_config_line *v = realloc(t->v, (t->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	t->v = v;
	v[t->n].name = strdup(name);
	if (!v[t->n].name)
		return -1;
	v[t->n++].line = line;
	return 0;
}

void rl_config_lines_scan(rl_config_lines *out, const char *path)
{
	rl_buf section = RL_BUF_INIT, name = RL_BUF_INIT;
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	FILE *f;

	out->v = NULL;
	out->n = 0;
	f = fopen(path, "r");
	if (!f)
		return;
	while (getline(&line, &cap, f) >= 0) {
		char *p = line, *k;
		size_t klen;

		lineno++;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '[') {
			parse_header(p, &section);
			/* A header may carry a key after it: "[fetch] delay = 1s". */
			p = strchr(p, ']');
			if (!p)
				continue;
			p++;
			while (isspace((unsigned char)*p))
				p++;
		}
		if (!isalpha((unsigned char)*p))
			continue;
		k = p;
		while (isalnum((unsigned char)*p) || *p == '-')
			p++;
		klen = (size_t)(p - k);
		rl_buf_reset(&name);
		rl_buf_printf(&name, "%s.%.*s", rl_buf_cstr(&section), (int)klen, k);
		/* Only the key part is lowercased: the subsection keeps its case. */
		for (size_t i = name.len - klen; i < name.len; i++)
			name.ptr[i] = (char)tolower((unsigned char)name.ptr[i]);
		if (push(out, rl_buf_cstr(&name), lineno) < 0)
			break;
	}
	free(line);
	fclose(f);
	rl_buf_free(&section);
	rl_buf_free(&name);
}

int rl_config_lines_find(const rl_config_lines *t, const char *name, size_t nth)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0 && nth-- == 0)
			return t->v[i].line;
	return 0;
}

void rl_config_lines_free(rl_config_lines *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
