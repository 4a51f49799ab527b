/* Where a key sits in a config file: libgit2's parser does not say, so
 * errors find the line with a light scan of their own (config-lines.c). */
#ifndef REDLINE_CONFIG_LINES_H
#define REDLINE_CONFIG_LINES_H

#include <stddef.h>

typedef struct rl_config_line {
	char *
	    name; /* normalized like libgit2: section[.subsection].key, section and key lowercase */
	int line;
} rl_config_line;

typedef struct rl_config_lines {
	rl_config_line *v;
	size_t n;
} rl_config_lines;

/* Scans path; failures leave the table empty (lines are only a courtesy). */
void rl_config_lines_scan(rl_config_lines *out, const char *path);
/* The line of the nth (0-based) occurrence of name, 0 when unknown. */
int rl_config_lines_find(const rl_config_lines *t, const char *name, size_t nth);
void rl_config_lines_free(rl_config_lines *t);

#endif
