/* The fetcher's insides, shared by fetch.c (queueing, stepping) and
 * fetch-done.c (what a finished transfer means). */
#ifndef REDLINE_FETCH_INTERNAL_H
#define REDLINE_FETCH_INTERNAL_H

#include <stdint.h>

#include <curl/curl.h>

#include "redline/fetch.h"
#include "redline/state.h"

#define REDIRECTS_MAX      5
#define CONNECT_TIMEOUT_MS 10000
#define STALL_MS           15000 /* no body byte for this long: stalled (at most timeout/2) */
#define RETRY_AFTER_MAX    120   /* seconds: a longer wait fails this pass instead */
#define BACKOFF_BASE_MS    500
#define AUTO_PAGES_MAX     10000

typedef struct host_slot {
	char *name;
	int running;
	int64_t not_before; /* ms: `delay` between requests to one host */
} host_slot;

typedef struct source_job source_job;

typedef struct fetch_job {
	struct fetch_job *next, *prev;
	source_job *src;
	host_slot *host;
	int page;
	const char *url; /* the source's, or url_owned for a page of a paged one */
	char *url_owned;
	/* The validators of the last fetch of this page, in the source job's
	 * copy of its state (NULL: none): what If-None-Match and
	 * If-Modified-Since send, and the sha256 of the bytes a 304 means. */
	const rl_page_state *cond;
	CURL *easy;
	struct curl_slist *headers;
	int running;
	int done;
	int attempt;
	int64_t not_before; /* ms: retry backoff */
	int64_t max_size;
	int oversize;
	int stalled;          /* the body started, then stopped for stall_ms */
	int64_t last_data_ms; /* when the last body byte arrived (0: none yet) */
	curl_off_t last_dlnow;
	int64_t stall_limit_ms;
	long retry_after; /* seconds, -1 when absent */
	rl_buf body;
	char *etag;
	char *last_modified;
	char *content_type;
	char *errbuf; /* CURL_ERROR_SIZE, only once the transfer started */
} fetch_job;

/* A thousand queued jobs are only a thousand URLs and pointers: what a
 * transfer needs (its handle, headers, error buffer, body) comes when it
 * starts. */
static inline const char *job_cond_etag(const fetch_job *j)
{
	return j->cond ? j->cond->etag : NULL;
}

static inline const char *job_cond_last_modified(const fetch_job *j)
{
	return j->cond ? j->cond->last_modified : NULL;
}

struct source_job {
	source_job *next, *prev; /* prev: only while in rl_fetcher.sources */
	const rl_source *src;
	rl_source_state cond; /* validators of the last fetch, per page */
	rl_fetch_result *result;
	size_t pages_queued;
	size_t pages_done;
	int auto_next; /* pages = auto: the next page to ask for */
	int finished;
};

struct rl_fetcher {
	rl_fetch_settings settings;
	char *user_agent;
	CURLM *multi;
	fetch_job *jobs, *jobs_tail;        /* queued and running transfers, FIFO */
	source_job *sources, *sources_tail; /* sources with work left */
	source_job *ready, *ready_tail;     /* finished, waiting for rl_fetcher_next */
	host_slot **hosts;                  /* each allocated once: jobs point at them */
	size_t n_hosts, cap_hosts;
	int running;
	int64_t stall_ms;
	uint64_t rng; /* jitter: per fetcher, so two processes do not agree */
	size_t pending_sources;
	rl_fetch_progress progress;
};

/* Reads finished transfers off the multi handle and acts on them. */
void fetch_collect(rl_fetcher *f);
/* Marks a source failed with msg, drops its other transfers, hands it over. */
void fetch_fail_source(rl_fetcher *f, source_job *s, const char *msg);
/* Unlinks and frees a job (stopping its transfer). */
void fetch_job_release(rl_fetcher *f, fetch_job *j);
/* Stops a transfer but keeps the job queued (for a retry). */
void fetch_stop_transfer(rl_fetcher *f, fetch_job *j);
int fetch_requeue(rl_fetcher *f, source_job *s, int page, rl_error *err);
/* A random number in [0, n). */
int64_t fetch_random(rl_fetcher *f, int64_t n);

#endif
