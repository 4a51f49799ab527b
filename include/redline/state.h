/* Operational state of a source: not history, so not in any commit.
 * One JSON file per source under <archive>/redline/state/, replaced
 * atomically. Losing it costs a re-fetch, never a version. */
#ifndef REDLINE_STATE_H
#define REDLINE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "redline/archive.h"
#include "redline/error.h"

typedef enum rl_health {
	RL_HEALTH_NEVER = 0,
	RL_HEALTH_OK,
	RL_HEALTH_FAILING,
} rl_health;

typedef struct rl_page_state {
	int page; /* 0 for a single-URL source */
	char *etag;
	char *last_modified;
	char sha256[65];
} rl_page_state;

typedef struct rl_source_state {
	char *id;
	rl_health health;
	int64_t last_fetch;   /* last attempt finished, 0: never */
	int64_t last_success; /* last attempt that got every page */
	int64_t last_change;  /* last new version */
	int64_t next_due;     /* scheduler: when to fetch next, 0: now */
	int failures;         /* consecutive */
	char *error;          /* last error: URL and status or transfer error */
	char *url;            /* the URL of the last fetch (page 1 for paged) */
	int failure_notified; /* the ok->failing transition was announced */
	char digest[65];      /* the source's config digest at the last success: the
				 validators below stand only while it is the same */
	rl_page_state *pages;
	size_t n_pages;
} rl_source_state;

const char *rl_health_name(rl_health h);

/* Loads the state of a source; a source never fetched gives a zeroed
 * state with health NEVER (not an error). */
int rl_state_load(rl_archive *a, const char *id, rl_source_state *out, rl_error *err);
int rl_state_save(rl_archive *a, const rl_source_state *st, rl_error *err);
void rl_state_clear(rl_source_state *st);

const rl_page_state *rl_state_page(const rl_source_state *st, int page);
int rl_state_set_page(rl_source_state *st, int page, const char *etag, const char *last_modified,
		      const char *sha256);
int rl_state_set_error(rl_source_state *st, const char *message);

#endif
