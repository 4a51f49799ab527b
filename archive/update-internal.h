/* Shared by update.c (deciding) and update-commit.c (writing a version). */
#ifndef REDLINE_UPDATE_INTERNAL_H
#define REDLINE_UPDATE_INTERNAL_H

#include "redline/extract.h"
#include "redline/update.h"

typedef struct update_ctx {
	rl_archive *archive;
	const rl_config *cfg;
	const rl_source *src;
	char tip[RL_OID_HEX + 1]; /* "" when the source has no version yet */
	rl_buf *raws;             /* raw bytes per fetched page */
	char **ctypes;            /* content type per page */
	size_t n_raws;
	rl_text text;
	int reextract; /* rebuilding archived raw bytes, not a fetch */
} update_ctx;

void update_ctx_clear(update_ctx *u);

/* "0085" for page 85 of a paged source, "document" for a single URL. */
void update_raw_key(const rl_source *src, int page, char *out, size_t len);

/* The content type the tip's source.json recorded for a page (malloc'd), or NULL. */
char *update_archived_content_type(update_ctx *u, int page);

/* Whether the fetched raw bytes equal the tip's (keep-raw = always). */
int update_raw_same(update_ctx *u, const rl_fetch_result *fetch);

/* Extracts the fetched pages (the tip's raw bytes stand in for 304s). */
int update_extract(update_ctx *u, const rl_fetch_result *fetch, rl_error *err);

/* Text identical to the tip's (and raw bytes too, for keep-raw = always). */
int update_same_as_tip(update_ctx *u, const rl_fetch_result *fetch);

/* Builds the report, message and tree and commits on u->tip. */
int update_commit(update_ctx *u, const rl_fetch_result *fetch, rl_update *out, rl_error *err);

#endif
