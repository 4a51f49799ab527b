/* Ingest: a fetched source becomes a version (or not). Shared by
 * `redline fetch`, `redlined` and `redline reextract`: extract, compare
 * with the branch tip, report, commit by compare-and-swap, update state. */
#ifndef REDLINE_UPDATE_H
#define REDLINE_UPDATE_H

#include <stddef.h>

#include "redline/archive.h"
#include "redline/config.h"
#include "redline/error.h"
#include "redline/fetch.h"

typedef enum rl_outcome {
	RL_OUTCOME_FAILED = 0, /* fetch or extraction failed; nothing written but state */
	RL_OUTCOME_UNCHANGED,  /* the text is the same as the tip's (304s included) */
	RL_OUTCOME_CHANGED,    /* a new version was committed */
} rl_outcome;

typedef struct rl_update {
	rl_outcome outcome;
	int first;                   /* the source's first version */
	char commit[RL_OID_HEX + 1]; /* the new version (CHANGED) */
	char parent[RL_OID_HEX + 1]; /* the version before it, "" for the first */
	char *subject;
	rl_change_class cls;
	char *error;        /* FAILED: what failed (URL and status, extraction) */
	int health_changed; /* ok<->failing transition happened in this update */
} rl_update;

void rl_update_clear(rl_update *u);

/* Applies a fetch result to the archive and to the source's state. A
 * failed fetch only updates state; RL_OK is returned unless the archive
 * itself could not be written. */
int rl_update_apply(rl_archive *a, const rl_config *cfg, const rl_source *src,
		    const rl_fetch_result *fetch, rl_update *out, rl_error *err);

/* One fetch pass over sources (all of cfg's when n == 0), driving a
 * fetcher to completion. cb (may be NULL) hears each finished source and
 * progress. Returns RL_OK when the pass ran (sources may have failed:
 * see summary). */
typedef struct rl_pass_summary {
	size_t sources;
	size_t fetched; /* complete responses (changed + unchanged) */
	size_t unchanged;
	size_t changed;
	size_t failed;
} rl_pass_summary;

typedef struct rl_pass_event {
	const rl_source *source; /* NULL for a progress-only event */
	const rl_fetch_result *fetch;
	const rl_update *update;
	const rl_fetch_progress *progress;
} rl_pass_event;

typedef void (*rl_pass_cb)(const rl_pass_event *ev, void *ctx);

int rl_pass_run(rl_archive *a, const rl_config *cfg, const rl_source *const *sources, size_t n,
		rl_pass_cb cb, void *ctx, rl_pass_summary *summary, rl_error *err);

/* Rewrites refs/heads/main: README.md and sources.json listing every
 * source with its title, URL and latest version. Derived; idempotent.
 * It reopens the archive as it reads (rl_archive_reopen): the caller
 * holds no libgit2 object of rl_archive_repo(a) across the call. */
int rl_landing_update(rl_archive *a, const rl_config *cfg, rl_error *err);

/* Rebuilds a source's text from its archived raw bytes with today's
 * extractor. Every version is re-extracted to count those whose text would
 * differ; when the latest one does, one commit on top of it carries the new
 * text, marked `Redline-Change: reextract` (never notified). History is
 * evidence: earlier versions are never rewritten. */
typedef struct rl_reextract_result {
	size_t versions;  /* versions re-extracted */
	size_t differing; /* of them, those whose text differs today */
	int committed;    /* a reextract commit was written */
	char commit[RL_OID_HEX + 1];
	char *subject;
} rl_reextract_result;

int rl_reextract(rl_archive *a, const rl_config *cfg, const rl_source *src,
		 rl_reextract_result *out, rl_error *err);
void rl_reextract_result_clear(rl_reextract_result *r);

#endif
