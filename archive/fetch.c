/* The fetcher: one libcurl multi handle for a pass, global and per-host
 * limits, conditional requests, retries with backoff, and every fault an
 * error, never a version. No threads: the caller steps it from its loop. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fetch-internal.h"
#include "redline/fetch.h"
#include "redline/util.h"

void rl_fetcher_progress(const rl_fetcher *f, rl_fetch_progress *out)
{
	*out = f->progress;
}

size_t rl_fetcher_pending(const rl_fetcher *f)
{
	return f->pending_sources;
}

void rl_fetcher_wakeup(rl_fetcher *f)
{
	curl_multi_wakeup(f->multi);
}

/* libcurl is loaded (redline/curl-loader.h) and set up (OpenSSL's with
 * it, about 0.5 MiB) by the first fetcher, not by every program at start:
 * most commands never fetch. The programs call curl_global_cleanup at
 * exit, which does nothing when libcurl was never loaded. */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int rl_fetcher_new(rl_fetcher **out, const rl_fetch_settings *s, rl_error *err)
{
	rl_fetcher *f;

	pthread_once(&curl_once, curl_setup);
	f = calloc(1, sizeof(*f));
	*out = NULL;
	if (!f)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	f->settings = *s;
	f->user_agent = strdup(s->user_agent ? s->user_agent : "redline/" RL_VERSION);
	f->multi = curl_multi_init();
	if (!f->multi || !f->user_agent) {
		rl_fetcher_free(f);
		return rl_error_set(err, RL_ENOMEM, "cannot create a libcurl multi handle");
	}
	if (f->settings.concurrency < 1)
		f->settings.concurrency = 1;
	if (f->settings.per_host < 1)
		f->settings.per_host = 1;
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->settings.per_host);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->settings.concurrency);
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	if (f->settings.timeout_ms <= 0)
		f->settings.timeout_ms = 30000;
	f->stall_ms = f->settings.timeout_ms / 2 < STALL_MS ? f->settings.timeout_ms / 2 : STALL_MS;
	if (f->stall_ms < 1000)
		f->stall_ms = 1000;
	f->rng = (uint64_t)rl_now_ms() * 6364136223846793005ULL ^ (uint64_t)getpid() ^
		 (uint64_t)(uintptr_t)f;
	*out = f;
	return 0;
}

static void job_free(rl_fetcher *f, fetch_job *j)
{
	if (j->easy) {
		curl_multi_remove_handle(f->multi, j->easy);
		curl_easy_cleanup(j->easy);
	}
	curl_slist_free_all(j->headers);
	free(j->url_owned);
	free(j->etag);
	free(j->last_modified);
	free(j->content_type);
	free(j->errbuf);
	rl_buf_free(&j->body);
	free(j);
}

static void source_job_free(source_job *s)
{
	rl_fetch_result_free(s->result);
	rl_state_clear(&s->cond);
	free(s);
}

void rl_fetcher_free(rl_fetcher *f)
{
	if (!f)
		return;
	while (f->jobs) {
		fetch_job *j = f->jobs;

		f->jobs = j->next;
		job_free(f, j);
	}
	while (f->sources) {
		source_job *s = f->sources;

		f->sources = s->next;
		source_job_free(s);
	}
	while (f->ready) {
		source_job *s = f->ready;

		f->ready = s->next;
		source_job_free(s);
	}
	for (size_t i = 0; i < f->n_hosts; i++) {
		free(f->hosts[i]->name);
		free(f->hosts[i]);
	}
	free(f->hosts);
	if (f->multi)
		curl_multi_cleanup(f->multi);
	free(f->user_agent);
	free(f);
}

/* --- hosts ------------------------------------------------------------------ */

static host_slot *host_get(rl_fetcher *f, const char *url)
{
	char name[256] = "";
	const char *p = strstr(url, "://");
	host_slot *h;
	size_t n;

	if (p) {
		const char *at;

		p += 3;
		n = strcspn(p, "/?#");
		/* user:password@ does not make another host. */
		at = memchr(p, '@', n);
		if (at) {
			n -= (size_t)(at + 1 - p);
			p = at + 1;
		}
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, p, n);
		name[n] = '\0';
		for (char *c = name; *c; c++)
			*c = (char)tolower((unsigned char)*c);
	}
	for (size_t i = 0; i < f->n_hosts; i++)
		if (strcmp(f->hosts[i]->name, name) == 0)
			return f->hosts[i];
	if (f->n_hosts == f->cap_hosts) {
		size_t cap = f->cap_hosts ? f->cap_hosts * 2 : 16;
		host_slot **v = realloc(f->hosts, cap * sizeof(host_slot *));

		if (!v)
			return NULL;
		f->hosts = v;
		f->cap_hosts = cap;
	}
	h = calloc(1, sizeof(*h));
	if (!h || !(h->name = strdup(name))) {
		free(h);
		return NULL;
	}
	f->hosts[f->n_hosts++] = h;
	return h;
}

/* --- queueing ----------------------------------------------------------------- */

static int job_queue(rl_fetcher *f, source_job *s, int page, rl_error *err)
{
	fetch_job *j = calloc(1, sizeof(*j));
	const rl_page_state *ps;

	if (!j)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	j->src = s;
	j->page = page;
	if (s->src->paged) {
		j->url = j->url_owned = rl_source_page_url(s->src, page);
		if (!j->url) {
			free(j);
			return rl_error_set(err, RL_ENOMEM, "out of memory");
		}
	} else {
		j->url = s->src->url; /* the source outlives the fetcher */
	}
	/* s->cond is complete before the first job: the pointer stays valid. */
	ps = rl_state_page(&s->cond, s->src->paged ? page : 0);
	j->cond = ps;
	/* FIFO: sources are served in the order they were added. */
	j->prev = f->jobs_tail;
	if (f->jobs_tail)
		f->jobs_tail->next = j;
	else
		f->jobs = j;
	f->jobs_tail = j;
	s->pages_queued++;
	f->progress.pages_total++;
	return 0;
}

int rl_fetcher_add(rl_fetcher *f, const rl_source *src, const rl_source_state *st, rl_error *err)
{
	source_job *s = calloc(1, sizeof(*s));
	int rc = 0;

	if (!s)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	s->src = src;
	s->result = calloc(1, sizeof(*s->result));
	if (!s->result) {
		free(s);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	s->result->source = src;
	s->result->source_id = strdup(src->id);
	s->result->started = rl_now();
	/* A 304 means "the bytes you have"; if select, remove, ignore or the URL
	 * changed since, those bytes must be read again, so no validators. */
	if (st && strcmp(st->digest, src->digest) == 0) {
		for (size_t i = 0; i < st->n_pages; i++)
			rl_state_set_page(&s->cond, st->pages[i].page, st->pages[i].etag,
					  st->pages[i].last_modified, st->pages[i].sha256);
	}
	s->prev = f->sources_tail;
	if (f->sources_tail)
		f->sources_tail->next = s;
	else
		f->sources = s;
	f->sources_tail = s;
	f->pending_sources++;
	f->progress.sources_total++;
	if (!src->paged) {
		rc = job_queue(f, s, 0, err);
	} else if (src->pages_auto) {
		/* Pages one after another until the first 404. */
		s->auto_next = src->page_first;
		rc = job_queue(f, s, s->auto_next++, err);
	} else {
		for (int p = src->page_first; p <= src->page_last && rc == 0; p++)
			rc = job_queue(f, s, p, err);
	}
	return rc;
}

/* --- transfers ----------------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	fetch_job *j = ctx;
	size_t len = size * n;

	if ((int64_t)(j->body.len + len) > j->max_size) {
		j->oversize = 1;
		return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
	}
	if (rl_buf_put(&j->body, data, len) < 0)
		return 0;
	return len;
}

/* A body that started and then stopped is given up long before `timeout`
 * when that is large (a big PDF may take minutes, a dead one should not);
 * the wait for the first byte is bounded by `timeout` alone, since a slow
 * server may take a while to produce a page. */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	fetch_job *j = ctx;
	int64_t now = rl_now_ms();

	(void)dltotal;
	(void)ultotal;
	(void)ulnow;
	if (dlnow != j->last_dlnow) {
		j->last_dlnow = dlnow;
		j->last_data_ms = now;
		return 0;
	}
	if (j->last_data_ms && now - j->last_data_ms >= j->stall_limit_ms) {
		j->stalled = 1;
		return 1; /* CURLE_ABORTED_BY_CALLBACK */
	}
	return 0;
}

static char *header_value(const char *line, size_t len, const char *name)
{
	size_t nlen = strlen(name);
	const char *v, *end = line + len;

	if (len <= nlen || strncasecmp(line, name, nlen) != 0 || line[nlen] != ':')
		return NULL;
	v = line + nlen + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	return rl_strndup(v, (size_t)(end - v));
}

static void replace(char **slot, char *v)
{
	if (!v)
		return;
	free(*slot);
	*slot = v;
}

/* Retry-After as an HTTP date: the seconds from now, or longer than we
 * wait when it cannot be read. */
static long retry_date(const char *v)
{
	time_t t = curl_getdate(v, NULL);
	time_t now = time(NULL);

	if (t < 0)
		return RETRY_AFTER_MAX + 1;
	return t > now ? (long)(t - now) : 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	fetch_job *j = ctx;
	size_t len = size * n;
	char *v;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or a 100): forget the last one's. */
		free(j->etag);
		free(j->last_modified);
		free(j->content_type);
		j->etag = j->last_modified = j->content_type = NULL;
		j->retry_after = -1;
		return len;
	}
	replace(&j->etag, header_value(data, len, "ETag"));
	replace(&j->last_modified, header_value(data, len, "Last-Modified"));
	replace(&j->content_type, header_value(data, len, "Content-Type"));
	v = header_value(data, len, "Retry-After");
	if (v) {
		char *end;
		long secs = strtol(v, &end, 10);

		/* Seconds, the form servers use for 429/503; an HTTP date counts as
		 * the largest wait we accept. */
		j->retry_after = (end != v && *end == '\0' && secs >= 0) ? secs : retry_date(v);
		free(v);
	}
	return len;
}

static int job_start(rl_fetcher *f, fetch_job *j, rl_error *err)
{
	CURL *e = curl_easy_init();
	int is_file = strncmp(j->url, "file://", 7) == 0;
	int64_t timeout = f->settings.timeout_ms;
	char hdr[1024];

	if (!j->errbuf)
		j->errbuf = malloc(CURL_ERROR_SIZE);
	if (!e || !j->errbuf) {
		curl_easy_cleanup(e);
		return rl_error_set(err, RL_ENOMEM, "cannot create a transfer");
	}
	j->easy = e;
	j->max_size = f->settings.max_size > 0 ? f->settings.max_size : INT64_MAX;
	j->oversize = 0;
	j->stalled = 0;
	j->last_data_ms = 0;
	j->last_dlnow = 0;
	j->stall_limit_ms = f->stall_ms;
	j->retry_after = -1;
	j->errbuf[0] = '\0';
	rl_buf_reset(&j->body);
	curl_slist_free_all(j->headers);
	j->headers = NULL;
	if (job_cond_etag(j) && *job_cond_etag(j)) {
		snprintf(hdr, sizeof(hdr), "If-None-Match: %s", job_cond_etag(j));
		j->headers = curl_slist_append(j->headers, hdr);
	}
	if (job_cond_last_modified(j) && *job_cond_last_modified(j)) {
		snprintf(hdr, sizeof(hdr), "If-Modified-Since: %s", job_cond_last_modified(j));
		j->headers = curl_slist_append(j->headers, hdr);
	}
	curl_easy_setopt(e, CURLOPT_URL, j->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->headers);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)REDIRECTS_MAX);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, is_file ? "file" : "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)timeout);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(timeout < CONNECT_TIMEOUT_MS ? timeout : CONNECT_TIMEOUT_MS));
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, j);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->max_size);
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK)
		return rl_error_set(err, RL_EFETCH, "%s: cannot start the transfer", j->url);
	j->running = 1;
	j->attempt++;
	j->host->running++;
	f->running++;
	return 0;
}

/* Starts queued transfers as far as the limits and timers allow. */
static int start_ready(rl_fetcher *f, int64_t now, rl_error *err)
{
	for (fetch_job *j = f->jobs; j && f->running < f->settings.concurrency; j = j->next) {
		if (j->running || j->done || j->not_before > now)
			continue;
		if (!j->host && !(j->host = host_get(f, j->url)))
			return rl_error_set(err, RL_ENOMEM, "out of memory");
		if (j->host->running >= f->settings.per_host || j->host->not_before > now)
			continue;
		if (job_start(f, j, err) < 0)
			return err ? err->code : RL_EFETCH;
		if (f->settings.delay_ms > 0)
			j->host->not_before = now + f->settings.delay_ms;
	}
	return 0;
}

/* The soonest moment a job waiting on a timer (a retry's backoff, a host's
 * `delay`) may start, or -1. A job waiting for a free slot is not on a
 * timer: the transfer that frees the slot wakes the poll; counting it here
 * would turn the wait into a busy loop. */
static int64_t next_timer(rl_fetcher *f)
{
	int64_t t = -1;

	if (f->running >= f->settings.concurrency)
		return -1;
	for (fetch_job *j = f->jobs; j; j = j->next) {
		int64_t at = j->not_before;

		if (j->running || j->done)
			continue;
		if (j->host && j->host->running >= f->settings.per_host)
			continue;
		if (j->host && j->host->not_before > at)
			at = j->host->not_before;
		if (t < 0 || at < t)
			t = at;
	}
	return t;
}

int rl_fetcher_step(rl_fetcher *f, struct curl_waitfd *extra_fds, unsigned n_extra, int timeout_ms,
		    int *ready_extra, rl_error *err)
{
	int64_t now = rl_now_ms(), timer;
	int still, numfds = 0, rc;

	if (ready_extra)
		*ready_extra = 0;
	rc = start_ready(f, now, err);
	if (rc < 0)
		return rc;
	curl_multi_perform(f->multi, &still);
	fetch_collect(f);
	rc = start_ready(f, rl_now_ms(), err);
	if (rc < 0)
		return rc;
	timer = next_timer(f);
	if (timer >= 0) {
		int64_t wait = timer - rl_now_ms();

		if (wait < 0)
			wait = 0;
		if (wait < timeout_ms)
			timeout_ms = (int)wait;
	}
	if (f->ready)
		timeout_ms = 0;
	for (unsigned i = 0; i < n_extra; i++)
		extra_fds[i].revents = 0;
	if (curl_multi_poll(f->multi, extra_fds, n_extra, timeout_ms, &numfds) != CURLM_OK)
		return rl_error_set(err, RL_EFETCH, "curl_multi_poll failed");
	curl_multi_perform(f->multi, &still);
	fetch_collect(f);
	if (ready_extra)
		for (unsigned i = 0; i < n_extra; i++)
			if (extra_fds[i].revents)
				(*ready_extra)++;
	return 0;
}

int rl_fetcher_next(rl_fetcher *f, rl_fetch_result **out)
{
	source_job **pp = &f->ready;
	source_job *s = *pp;

	*out = NULL;
	if (!s)
		return 0;
	f->ready = s->next;
	if (!f->ready)
		f->ready_tail = NULL;
	f->pending_sources--;
	*out = s->result;
	s->result = NULL;
	source_job_free(s);
	return 1;
}

void rl_fetcher_abort(rl_fetcher *f)
{
	/* Failing a source moves it to the ready list: take the head each time. */
	while (f->sources)
		fetch_fail_source(f, f->sources, "the fetch was abandoned (shutting down)");
	fetch_collect(f);
}

void fetch_job_release(rl_fetcher *f, fetch_job *j)
{
	if (j->prev)
		j->prev->next = j->next;
	else
		f->jobs = j->next;
	if (j->next)
		j->next->prev = j->prev;
	else
		f->jobs_tail = j->prev;
	if (j->running) {
		j->host->running--;
		f->running--;
	}
	job_free(f, j);
}

int64_t fetch_random(rl_fetcher *f, int64_t n)
{
	/* xorshift64*: jitter needs spread, not secrecy. */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return n > 0 ? (int64_t)((f->rng * 2685821657736338717ULL) % (uint64_t)n) : 0;
}

int fetch_requeue(rl_fetcher *f, source_job *s, int page, rl_error *err)
{
	return job_queue(f, s, page, err);
}

void fetch_stop_transfer(rl_fetcher *f, fetch_job *j)
{
	if (j->easy) {
		curl_multi_remove_handle(f->multi, j->easy);
		curl_easy_cleanup(j->easy);
		j->easy = NULL;
	}
	if (j->running) {
		j->host->running--;
		f->running--;
		j->running = 0;
	}
}
