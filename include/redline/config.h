/* redline.conf: git-config syntax, read with libgit2's config parser.
 * Every key has a default; every problem names file:line: key. */
#ifndef REDLINE_CONFIG_H
#define REDLINE_CONFIG_H

#include <stdint.h>

#include "redline/error.h"
#include "redline/strv.h"

#define RL_DEFAULT_CONFIG "/etc/redline/redline.conf"

typedef enum rl_change_class {
	RL_CLASS_NONE = -1,
	RL_CLASS_COSMETIC = 0,
	RL_CLASS_WORDING = 1,
	RL_CLASS_STRUCTURE = 2,
} rl_change_class;

typedef struct rl_fetch_settings {
	int concurrency;    /* 16: transfers at once, all hosts */
	int per_host;       /* 2: transfers at once to one host */
	int64_t delay_ms;   /* 0: pause between requests to one host */
	int64_t timeout_ms; /* 30s: one whole request */
	int retries;        /* 2: further attempts after a failure */
	int64_t max_size;   /* 64 MiB: decoded body limit */
	char *user_agent;   /* "redline/VERSION (+https://...)" */
} rl_fetch_settings;

typedef struct rl_source {
	char *id;
	char *title;    /* defaults to the id */
	char *url;      /* may contain {page} */
	int paged;      /* url contains {page} */
	int page_first; /* pages = first-last */
	int page_last;
	int pages_auto;      /* pages = auto: from page_first until the first 404 */
	int64_t interval;    /* seconds, default 6h */
	rl_strv select;      /* XPath, repeatable */
	rl_strv remove;      /* XPath, repeatable */
	rl_strv ignore;      /* POSIX extended regex of lines to drop, repeatable */
	rl_strv watch;       /* watched terms of this source */
	rl_strv notify;      /* channel names */
	int keep_raw_always; /* keep-raw = always */
	char digest[65];     /* sha256 over the settings that shape the text */
	int line;            /* line of the [source "ID"] header, 0 if unknown */
} rl_source;

typedef struct rl_channel {
	char *name;
	char *webhook;
	char *secret_file;
	char *smtp_url;
	char *from;
	rl_strv to;
	char *password_file;
	char *exec;
	rl_change_class min_change; /* default wording */
	int line;
} rl_channel;

typedef struct rl_remote {
	char *name;
	char *url;
} rl_remote;

typedef struct rl_config {
	char *file;         /* the file it was read from, NULL when none */
	char *archive_path; /* NULL: not configured */
	rl_fetch_settings fetch;
	rl_source *sources;
	size_t n_sources;
	rl_channel *channels;
	size_t n_channels;
	rl_remote *remotes;
	size_t n_remotes;
	rl_strv watch_terms; /* [watch] term, every source */
	char *feed_path;     /* [feed] path */
	int shard_k;         /* [daemon] shard = K/N; shard_n == 0: all */
	int shard_n;
} rl_config;

/* Reads path. Every problem found is appended to problems (when not NULL)
 * as "FILE:LINE: KEY: what is wrong"; when there is any, *out is NULL,
 * err holds the first and RL_ECONFIG is returned. A missing file is
 * RL_ENOTFOUND. */
int rl_config_load(rl_config **out, const char *path, rl_strv *problems, rl_error *err);

/* A configuration with every default and no sources (no file). */
int rl_config_new_default(rl_config **out, rl_error *err);

void rl_config_free(rl_config *cfg);

const rl_source *rl_config_source(const rl_config *cfg, const char *id);
const rl_channel *rl_config_channel(const rl_config *cfg, const char *name);

/* Whether this instance handles the source under [daemon] shard. */
int rl_config_in_shard(const rl_config *cfg, const char *id);

/* The URL of page n of a paged source ({page} replaced); malloc'd. */
char *rl_source_page_url(const rl_source *src, int page);

const char *rl_change_class_name(rl_change_class c);
rl_change_class rl_change_class_parse(const char *s); /* RL_CLASS_NONE if unknown */

/* --- editing the file: `redline add`, `redline rm` (archive/config-edit.c) --- */

/* A source to add; pages, interval and title may be NULL (defaults). */
typedef struct rl_source_spec {
	const char *id;
	const char *url;      /* http, https or file; {page} when paged */
	const char *pages;    /* "85-86", "7", "auto", "5-auto" */
	const char *interval; /* "6h", "1d" */
	const char *title;
} rl_source_spec;

/* Checks a spec as the loader would check the file it produces: the id,
 * the URL's scheme, {page} and pages together, the range, the interval.
 * RL_EINVALID (or the id's error) with a message naming the bad value. */
int rl_source_spec_check(const rl_source_spec *spec, rl_error *err);

/* "85-86", "7", "auto", "5-auto": 0 and the range, -1 when malformed. */
int rl_pages_parse(const char *s, int *first, int *last, int *is_auto);

/* A source's pages the way the configuration writes them ("" when the
 * source is a single URL). */
void rl_source_pages_format(const rl_source *src, char *out, size_t len);

/* Appends [source "ID"] to the file at path (created when missing)
 * through libgit2's config writer, keeping the rest byte for byte, on a
 * copy that replaces the file in one rename once it reads back with the
 * new source. The file must load cleanly first (its problems go to
 * problems). RL_EINVALID for a bad spec, RL_EEXISTS when the id is taken,
 * RL_ECONFIG when the file has problems, RL_ECONFLICT when PATH.lock (git's
 * lock convention) says another edit is in progress. */
int rl_config_add_source(const char *path, const rl_source_spec *spec, rl_strv *problems,
			 rl_error *err);

/* Removes source ID from the file: its keys through libgit2, then each
 * [source "ID"] header left with nothing but blank lines and comments
 * (the comments right above the next header stay with it); atomically,
 * after checking that every other entry reads back unchanged.
 * RL_ENOTFOUND when the file has no such source. */
int rl_config_remove_source(const char *path, const char *id, rl_strv *problems, rl_error *err);

#endif
