/* Ingest: a fetch result becomes a new version, or not. The text is
 * compared with the branch tip; a commit is written only when it changed,
 * and the branch moves by compare-and-swap. State records the attempt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redline/extract.h"
#include "redline/report.h"
#include "redline/update.h"
#include "redline/util.h"
#include "update-internal.h"

#define COMMIT_ATTEMPTS 3

void rl_update_clear(rl_update *u)
{
	if (!u)
		return;
	free(u->subject);
	free(u->error);
	memset(u, 0, sizeof(*u));
}

static int record_failure(rl_source_state *st, rl_update *out, const char *msg)
{
	out->outcome = RL_OUTCOME_FAILED;
	out->health_changed = st->health == RL_HEALTH_OK;
	if (st->health != RL_HEALTH_FAILING)
		st->failure_notified = 0;
	st->health = RL_HEALTH_FAILING;
	st->failures++;
	free(out->error);
	out->error = rl_strdup(msg);
	return rl_state_set_error(st, msg);
}

static void record_success(rl_source_state *st, rl_update *out, const rl_fetch_result *fetch,
			   const rl_source *src)
{
	out->health_changed = st->health == RL_HEALTH_FAILING;
	st->health = RL_HEALTH_OK;
	st->failures = 0;
	st->failure_notified = 0;
	st->last_success = fetch->finished ? fetch->finished : rl_now();
	/* The validators below describe bytes read under this configuration. */
	snprintf(st->digest, sizeof(st->digest), "%s", src->digest);
	rl_state_set_error(st, NULL);
	for (size_t i = 0; i < fetch->n_pages; i++) {
		const rl_fetched_page *p = &fetch->pages[i];

		rl_state_set_page(st, p->number, p->etag, p->last_modified, p->sha256);
	}
}

/* The page's raw bytes: fetched now, or archived in the tip for a 304. */
static int page_raw(update_ctx *u, const rl_fetched_page *p, rl_buf *out, char **ctype,
		    rl_error *err)
{
	rl_strv names = RL_STRV_INIT;
	char key[32], path[300];
	int rc = RL_ENOTFOUND;

	if (!p->not_modified)
		return rl_buf_set(out, p->body.ptr ? p->body.ptr : "", p->body.len) < 0
			   ? rl_error_set(err, RL_ENOMEM, "out of memory")
			   : 0;
	update_raw_key(u->src, p->number, key, sizeof(key));
	if (u->tip[0] && rl_archive_list(u->archive, u->tip, "raw", &names, NULL) == 0) {
		for (size_t i = 0; i < names.n; i++) {
			size_t klen = strlen(key);

			if (strncmp(names.v[i], key, klen) == 0 && names.v[i][klen] == '.') {
				snprintf(path, sizeof(path), "raw/%s", names.v[i]);
				rc = rl_archive_read(u->archive, u->tip, path, out, err);
				*ctype = update_archived_content_type(u, p->number);
				break;
			}
		}
	}
	rl_strv_free(&names);
	if (rc == RL_ENOTFOUND)
		return rl_error_set(
		    err, RL_ENOTFOUND,
		    "%s: the server answered 304 Not Modified but the archive holds "
		    "no copy; the next fetch asks without validators",
		    p->url);
	return rc;
}

int update_extract(update_ctx *u, const rl_fetch_result *fetch, rl_error *err)
{
	rl_raw_page *raw = calloc(fetch->n_pages + 1, sizeof(*raw));
	rl_extract_opts opts = {&u->src->select, &u->src->remove, &u->src->ignore, 0};
	int rc = 0;

	u->raws = calloc(fetch->n_pages + 1, sizeof(*u->raws));
	u->ctypes = calloc(fetch->n_pages + 1, sizeof(*u->ctypes));
	u->n_raws = fetch->n_pages;
	if (!raw || !u->raws || !u->ctypes) {
		free(raw);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < fetch->n_pages && rc == 0; i++) {
		const rl_fetched_page *p = &fetch->pages[i];

		rl_buf_init(&u->raws[i]);
		rc = page_raw(u, p, &u->raws[i], &u->ctypes[i], err);
		if (rc < 0)
			break;
		if (!u->ctypes[i])
			u->ctypes[i] = rl_strdup(p->content_type);
		raw[i].number = u->src->paged ? p->number : 0;
		raw[i].data = u->raws[i].ptr ? u->raws[i].ptr : "";
		raw[i].len = u->raws[i].len;
		raw[i].content_type = u->ctypes[i];
		raw[i].url = p->final_url ? p->final_url : p->url;
	}
	if (rc == 0) {
		rc = rl_extract(&u->text, raw, fetch->n_pages, &opts, err);
		/* a single document's error names its URL already; a page's
		 * names the page ("page 85: ...") */
		if (rc < 0 && err &&
		    (!raw[0].url || strncmp(err->message, raw[0].url, strlen(raw[0].url)) != 0))
			rl_error_prefix(err, "%s: extraction", fetch->pages[0].url);
	}
	free(raw);
	return rc;
}

int update_same_as_tip(update_ctx *u, const rl_fetch_result *fetch)
{
	rl_buf old = RL_BUF_INIT;
	int same;

	if (!u->tip[0])
		return 0;
	if (rl_archive_read(u->archive, u->tip, "text.md", &old, NULL) < 0) {
		rl_buf_free(&old);
		return 0;
	}
	same = old.len == u->text.text.len &&
	       memcmp(rl_buf_cstr(&old), rl_buf_cstr(&u->text.text), old.len) == 0;
	rl_buf_free(&old);
	if (same && u->src->keep_raw_always)
		same = update_raw_same(u, fetch);
	return same;
}

static int write_version(update_ctx *u, const rl_fetch_result *fetch, rl_update *out, rl_error *err)
{
	int rc = RL_ECONFLICT;

	for (int attempt = 0; attempt < COMMIT_ATTEMPTS && rc == RL_ECONFLICT; attempt++) {
		if (attempt > 0) {
			/* Someone else (the daemon, another fetch) moved the branch:
			 * compare again with what is there now. */
			if (rl_archive_tip(u->archive, u->src->id, u->tip, NULL) < 0)
				u->tip[0] = '\0';
			if (update_same_as_tip(u, fetch)) {
				out->outcome = RL_OUTCOME_UNCHANGED;
				return 0;
			}
		}
		rc = update_commit(u, fetch, out, err);
	}
	return rc;
}

int rl_update_apply(rl_archive *a, const rl_config *cfg, const rl_source *src,
		    const rl_fetch_result *fetch, rl_update *out, rl_error *err)
{
	update_ctx u;
	rl_source_state st;
	rl_error xerr;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&u, 0, sizeof(u));
	u.archive = a;
	u.cfg = cfg;
	u.src = src;
	rc = rl_state_load(a, src->id, &st, err);
	if (rc < 0)
		return rc;
	st.last_fetch = fetch->finished ? fetch->finished : rl_now();
	free(st.url);
	st.url = rl_strdup(fetch->n_pages ? fetch->pages[0].url : src->url);
	if (!st.url)
		st.url = rl_strdup(src->url);
	if (rl_archive_tip(a, src->id, u.tip, NULL) < 0)
		u.tip[0] = '\0';

	if (!fetch->ok) {
		record_failure(&st, out, fetch->error ? fetch->error : "fetch failed");
		rc = 0;
	} else if (!(fetch->not_modified && u.tip[0]) && update_extract(&u, fetch, &xerr) < 0) {
		if (xerr.code == RL_ENOTFOUND) /* a 304 we cannot use: ask afresh next time */
			for (size_t i = 0; i < st.n_pages; i++) {
				free(st.pages[i].etag);
				free(st.pages[i].last_modified);
				st.pages[i].etag = st.pages[i].last_modified = NULL;
			}
		record_failure(&st, out, xerr.message);
		rc = 0;
	} else if ((fetch->not_modified && u.tip[0]) || update_same_as_tip(&u, fetch)) {
		/* All 304s cost no extraction; otherwise the text decides. */
		record_success(&st, out, fetch, src);
		out->outcome = RL_OUTCOME_UNCHANGED;
		rc = 0;
	} else {
		rc = write_version(&u, fetch, out, err);
		if (rc == 0) {
			record_success(&st, out, fetch, src);
			if (out->outcome == RL_OUTCOME_CHANGED)
				st.last_change = fetch->finished ? fetch->finished : rl_now();
		}
	}
	if (rc == 0)
		rc = rl_state_save(a, &st, err);
	rl_state_clear(&st);
	update_ctx_clear(&u);
	return rc;
}
