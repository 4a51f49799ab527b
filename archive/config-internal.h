/* Shared by config.c (reading the file, whole-file checks) and
 * config-keys.c (one handler per section, validating each key). */
#ifndef REDLINE_CONFIG_INTERNAL_H
#define REDLINE_CONFIG_INTERNAL_H

#include "config-lines.h"
#include "strcount.h"
#include "redline/config.h"
#include "redline/strv.h"

typedef struct loader {
	rl_config *cfg;
	rl_strv problems;
	rl_config_lines lines;
	strcount *seen; /* how often each name was seen: the nth occurrence of a
			 * repeated key, and keys set twice */
	char *dir;      /* directory of the file, for relative paths */
} loader;

/* Records "FILE:LINE: NAME: message" for the key being read. */
void config_problem(loader *l, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A path from the file, relative to the file's directory (malloc'd). */
char *config_resolve_path(loader *l, const char *value);

rl_remote *config_remote_get(loader *l, const char *name);
void config_source_key(loader *l, const char *name, const char *id, const char *key, const char *v);
void config_notify_key(loader *l, const char *name, const char *chan, const char *key,
		       const char *v);
void config_fetch_key(loader *l, const char *name, const char *key, const char *v);
void config_simple_key(loader *l, const char *name, const char *section, const char *key,
		       const char *v);

#endif
