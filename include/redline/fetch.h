/* The fetcher: one libcurl multi handle for a whole pass, polite to each
 * host, conditional requests, every fault an error and never a version.
 * The CLI drives it to completion; the daemon steps it from its loop. */
#ifndef REDLINE_FETCH_H
#define REDLINE_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "redline/buf.h"
#include "redline/config.h"
#include "redline/error.h"
#include "redline/state.h"

typedef struct rl_fetched_page {
	int number;       /* page number; 0 for a single-URL source */
	char *url;        /* requested */
	char *final_url;  /* after redirects */
	long status;      /* HTTP status of the final response (0 for file://) */
	int not_modified; /* 304: body empty, the archived raw bytes stand */
	char *etag;
	char *last_modified;
	char *content_type;
	rl_buf body;     /* decoded bytes */
	char sha256[65]; /* of body; for a 304, of the bytes it refers to (from state) */
} rl_fetched_page;

typedef struct rl_fetch_result {
	const rl_source *source; /* borrowed from the config given to the fetcher */
	char *source_id;
	int ok;           /* every page arrived complete (200 or 304) */
	int not_modified; /* every page was 304 */
	rl_fetched_page *pages;
	size_t n_pages;
	char *error;     /* when !ok: URL and HTTP status or transfer error */
	int64_t started; /* seconds since the epoch */
	int64_t finished;
	uint64_t bytes; /* body bytes received */
} rl_fetch_result;

void rl_fetch_result_free(rl_fetch_result *r);

typedef struct rl_fetch_progress {
	size_t sources_total, sources_done, sources_failed;
	size_t pages_total, pages_done;
	uint64_t bytes;
} rl_fetch_progress;

typedef struct rl_fetcher rl_fetcher;

int rl_fetcher_new(rl_fetcher **out, const rl_fetch_settings *settings, rl_error *err);
void rl_fetcher_free(rl_fetcher *f);

/* Queues a source. st (may be NULL) gives the ETag and Last-Modified of
 * each page for conditional requests; it is copied. */
int rl_fetcher_add(rl_fetcher *f, const rl_source *src, const rl_source_state *st, rl_error *err);

/* One step: starts what the limits allow, waits up to timeout_ms for
 * network activity or for one of extra_fds (pollable like curl_waitfd:
 * fd + events) to become ready, and moves transfers along. *ready_extra
 * (may be NULL) receives how many extra fds are ready. */
struct curl_waitfd;
int rl_fetcher_step(rl_fetcher *f, struct curl_waitfd *extra_fds, unsigned n_extra, int timeout_ms,
		    int *ready_extra, rl_error *err);

/* Hands over a finished source (caller frees). 0 when none is ready. */
int rl_fetcher_next(rl_fetcher *f, rl_fetch_result **out);

/* Sources queued or in flight and not yet handed over. */
size_t rl_fetcher_pending(const rl_fetcher *f);

void rl_fetcher_progress(const rl_fetcher *f, rl_fetch_progress *out);

/* Wakes a fetcher blocked in rl_fetcher_step (signal-safe). */
void rl_fetcher_wakeup(rl_fetcher *f);

/* Abandons every transfer; sources in flight are handed over failed. */
void rl_fetcher_abort(rl_fetcher *f);

#endif
