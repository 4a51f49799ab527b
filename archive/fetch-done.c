/* What a finished transfer means: a page, a retry, the end of an
 * `auto` range, or a failure that fails its whole source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch-internal.h"
#include "redline/util.h"

static void finish_source(rl_fetcher *f, source_job *s)
{
	rl_fetch_result *r = s->result;

	if (s->prev)
		s->prev->next = s->next;
	else
		f->sources = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		f->sources_tail = s->prev;
	s->next = s->prev = NULL;
	s->finished = 1;
	r->finished = rl_now();
	/* Pages of a range finish in any order; versions list them in order. */
	for (size_t i = 1; i < r->n_pages; i++)
		for (size_t k = i; k > 0 && r->pages[k - 1].number > r->pages[k].number; k--) {
			rl_fetched_page t = r->pages[k];

			r->pages[k] = r->pages[k - 1];
			r->pages[k - 1] = t;
		}
	if (r->ok) {
		r->not_modified = 1;
		for (size_t i = 0; i < r->n_pages; i++)
			if (!r->pages[i].not_modified)
				r->not_modified = 0;
	}
	f->progress.sources_done++;
	if (!r->ok)
		f->progress.sources_failed++;
	if (f->ready_tail)
		f->ready_tail->next = s;
	else
		f->ready = s;
	f->ready_tail = s;
}

void fetch_fail_source(rl_fetcher *f, source_job *s, const char *msg)
{
	fetch_job *j = f->jobs, *next;

	if (s->finished)
		return;
	for (; j; j = next) {
		next = j->next;
		if (j->src == s)
			fetch_job_release(f, j);
	}
	/* Its pages not yet arrived are settled too, as far as progress goes. */
	f->progress.pages_done += s->pages_queued - s->pages_done;
	s->result->ok = 0;
	free(s->result->error);
	s->result->error = rl_strdup(msg);
	finish_source(f, s);
}

static int add_page(source_job *s, fetch_job *j, long status, const char *final_url)
{
	rl_fetch_result *r = s->result;
	rl_fetched_page *v = realloc(r->pages, (r->n_pages + 1) * sizeof(*v)), *p;

	if (!v)
		return -1;
	r->pages = v;
	p = &v[r->n_pages++];
	memset(p, 0, sizeof(*p));
	p->number = j->page;
	p->url = rl_strdup(j->url);
	p->final_url = rl_strdup(final_url ? final_url : j->url);
	p->status = status;
	p->not_modified = status == 304;
	p->content_type = j->content_type;
	p->etag = j->etag;
	p->last_modified = j->last_modified;
	j->content_type = j->etag = j->last_modified = NULL;
	if (p->not_modified) {
		/* The validators stand as they were when the server says 304. */
		if (!p->etag)
			p->etag = rl_strdup(job_cond_etag(j));
		if (!p->last_modified)
			p->last_modified = rl_strdup(job_cond_last_modified(j));
	}
	p->body = j->body;
	rl_buf_init(&j->body);
	if (p->not_modified && j->cond && j->cond->sha256[0])
		memcpy(p->sha256, j->cond->sha256, sizeof(p->sha256));
	else
		rl_sha256_hex(p->body.ptr ? p->body.ptr : "", p->body.len, p->sha256);
	r->bytes += p->body.len;
	return 0;
}

/* "page 86: " for paged sources, "" otherwise. */
static void page_prefix(const fetch_job *j, char *out, size_t len)
{
	if (j->src->src->paged)
		snprintf(out, len, "page %d: ", j->page);
	else
		out[0] = '\0';
}

static int transient_status(long status)
{
	return status == 408 || status == 429 || status >= 500;
}

static int transient_error(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_COULDNT_RESOLVE_HOST:
		return 1;
	default:
		return 0;
	}
}

/* Schedules another attempt; 0 when one is left, -1 when none. */
static int retry_later(rl_fetcher *f, fetch_job *j)
{
	int64_t wait;

	if (j->attempt > f->settings.retries)
		return -1;
	if (j->retry_after >= 0) {
		if (j->retry_after > RETRY_AFTER_MAX)
			return -1;
		wait = (int64_t)j->retry_after * 1000;
		/* The server asked for a pause: the whole host gets it, not only
		 * this page. */
		if (j->host && j->host->not_before < rl_now_ms() + wait)
			j->host->not_before = rl_now_ms() + wait;
	} else {
		/* Exponential backoff with jitter, so many sources failing at once
		 * do not return to a server in lockstep. */
		wait = (int64_t)BACKOFF_BASE_MS << (j->attempt - 1);
		wait += fetch_random(f, wait / 2 + 1);
	}
	fetch_stop_transfer(f, j);
	j->not_before = rl_now_ms() + wait;
	return 0;
}

/* Every page asked for has arrived: the source is complete. */
static void settle(rl_fetcher *f, source_job *s)
{
	if (s->pages_done == s->pages_queued) {
		s->result->ok = 1;
		finish_source(f, s);
	}
}

static void job_finished(rl_fetcher *f, fetch_job *j, CURLcode res)
{
	source_job *s = j->src;
	const rl_source *src = s->src;
	char where[32], msg[1024];
	long status = 0;
	char *final_url = NULL;

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(j->easy, CURLINFO_EFFECTIVE_URL, &final_url);
	page_prefix(j, where, sizeof(where));
	f->progress.bytes += j->body.len;

	if (src->pages_auto && j->page > src->page_first &&
	    ((res == CURLE_OK && status == 404) || res == CURLE_FILE_COULDNT_READ_FILE)) {
		/* The end of an `auto` range: that page does not exist, so it
		 * neither counts as done nor as queued. */
		fetch_job_release(f, j);
		s->pages_queued--;
		f->progress.pages_total--;
		settle(f, s);
		return;
	}
	if (res == CURLE_OK && ((status >= 200 && status < 300) || status == 304 ||
				(status == 0 && strncmp(j->url, "file://", 7) == 0))) {
		if (status == 200 && j->body.len == 0) {
			/* An empty page is a broken answer, never a version. */
			snprintf(msg, sizeof(msg), "%sHTTP 200 with an empty body from %s", where,
				 j->url);
			fetch_fail_source(f, s, msg);
			return;
		}
		if (status == 304 && !job_cond_etag(j) && !job_cond_last_modified(j)) {
			snprintf(msg, sizeof(msg),
				 "%sHTTP 304 without a conditional request from %s", where, j->url);
			fetch_fail_source(f, s, msg);
			return;
		}
		final_url = rl_strdup(final_url);
		if (add_page(s, j, status, final_url) < 0) {
			free(final_url);
			fetch_fail_source(f, s, "out of memory");
			return;
		}
		free(final_url);
		fetch_job_release(f, j);
		s->pages_done++;
		f->progress.pages_done++;
		if (src->pages_auto && s->auto_next - src->page_first < AUTO_PAGES_MAX) {
			if (fetch_requeue(f, s, s->auto_next++, NULL) < 0) {
				fetch_fail_source(f, s, "out of memory");
				return;
			}
		}
		settle(f, s);
		return;
	}
	if (res == CURLE_OK) {
		if (transient_status(status) && retry_later(f, j) == 0)
			return;
		if (j->retry_after > RETRY_AFTER_MAX)
			snprintf(msg, sizeof(msg),
				 "%sHTTP %ld from %s (Retry-After %ld s is too long)", where,
				 status, j->url, j->retry_after);
		else
			snprintf(msg, sizeof(msg), "%sHTTP %ld from %s", where, status, j->url);
	} else if (j->oversize || res == CURLE_FILESIZE_EXCEEDED) {
		snprintf(msg, sizeof(msg), "%s%s: body larger than max-size (%lld bytes)", where,
			 j->url, (long long)j->max_size);
	} else if (j->stalled) {
		if (retry_later(f, j) == 0)
			return;
		snprintf(msg, sizeof(msg),
			 "%s%s: transfer stalled (nothing received for %g s after %llu bytes)",
			 where, j->url, (double)j->stall_limit_ms / 1000.0,
			 (unsigned long long)j->last_dlnow);
	} else if (res == CURLE_UNSUPPORTED_PROTOCOL && final_url &&
		   strcmp(final_url, j->url) != 0) {
		snprintf(msg, sizeof(msg),
			 "%s%s: redirect to %s refused (only http and https are followed)", where,
			 j->url, final_url);
	} else if (res == CURLE_TOO_MANY_REDIRECTS) {
		snprintf(msg, sizeof(msg), "%s%s: more than %d redirects (a redirect loop?)", where,
			 j->url, REDIRECTS_MAX);
	} else {
		if (transient_error(res) && retry_later(f, j) == 0)
			return;
		snprintf(msg, sizeof(msg), "%s%s: %s (curl error %d)", where, j->url,
			 j->errbuf && j->errbuf[0] ? j->errbuf : curl_easy_strerror(res), (int)res);
	}
	fetch_fail_source(f, s, msg);
}

void fetch_collect(rl_fetcher *f)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(f->multi, &left))) {
		fetch_job *j = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
		if (j)
			job_finished(f, j, m->data.result);
	}
}
