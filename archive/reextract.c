/* Re-extraction: the raw bytes each version archived, run through
 * today's extractor. Fetch results are rebuilt from raw/ and source.json,
 * so the same ingest code decides and writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "redline/update.h"
#include "redline/util.h"
#include "update-internal.h"

void rl_reextract_result_clear(rl_reextract_result *r)
{
	if (!r)
		return;
	free(r->subject);
	memset(r, 0, sizeof(*r));
}

/* "0085.html" -> 85, "document.pdf" -> 0. */
static int raw_page_number(const char *name)
{
	return strncmp(name, "document.", 9) == 0 ? 0 : (int)strtol(name, NULL, 10);
}

static json_t *find_page(json_t *pages, int number)
{
	for (size_t i = 0; i < json_array_size(pages); i++) {
		json_t *p = json_array_get(pages, i);

		if (json_integer_value(json_object_get(p, "page")) == number)
			return p;
	}
	return NULL;
}

static char *jdup(json_t *o, const char *key)
{
	return rl_strdup(json_string_value(json_object_get(o, key)));
}

/* A fetch result holding what a version archived, as if fetched now. */
static int archived_fetch(rl_archive *a, const rl_version *v, const rl_source *src,
			  rl_fetch_result **out, rl_error *err)
{
	rl_strv names = RL_STRV_INIT;
	rl_buf sj = RL_BUF_INIT;
	rl_fetch_result *f = calloc(1, sizeof(*f));
	json_t *meta = NULL, *pages;
	int rc;

	*out = NULL;
	if (!f)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	rc = rl_archive_list(a, v->commit, "raw", &names, err);
	if (rc == 0 && rl_archive_read(a, v->commit, "source.json", &sj, NULL) == 0)
		meta = json_loadb(rl_buf_cstr(&sj), sj.len, 0, NULL);
	pages = json_object_get(meta, "pages");
	f->source = src;
	f->source_id = rl_strdup(src->id);
	f->pages = calloc(names.n + 1, sizeof(*f->pages));
	f->ok = 1;
	f->started = f->finished = rl_now();
	for (size_t i = 0; rc == 0 && i < names.n; i++) {
		rl_fetched_page *p = &f->pages[f->n_pages++];
		json_t *pm = find_page(pages, raw_page_number(names.v[i]));
		char path[300];

		p->number = raw_page_number(names.v[i]);
		p->url = pm ? jdup(pm, "url") : NULL;
		if (!p->url)
			p->url = rl_strdup(v->url ? v->url : src->url);
		p->final_url = pm ? jdup(pm, "final_url") : NULL;
		p->etag = pm ? jdup(pm, "etag") : NULL;
		p->last_modified = pm ? jdup(pm, "last_modified") : NULL;
		p->content_type = pm ? jdup(pm, "content_type") : NULL;
		p->status = pm ? (long)json_integer_value(json_object_get(pm, "status")) : 200;
		snprintf(path, sizeof(path), "raw/%s", names.v[i]);
		rc = rl_archive_read(a, v->commit, path, &p->body, err);
		rl_sha256_hex(rl_buf_cstr(&p->body), p->body.len, p->sha256);
	}
	if (rc == 0 && names.n == 0)
		rc = rl_error_set(err, RL_ENOTFOUND, "%s@%.7s holds no raw bytes to re-extract",
				  src->id, v->commit);
	json_decref(meta);
	rl_buf_free(&sj);
	rl_strv_free(&names);
	if (rc < 0) {
		rl_fetch_result_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

/* Whether today's extractor gives version v another text; when v is the
 * tip and commit is set, writes the reextract commit. */
static int reextract_version(rl_archive *a, const rl_config *cfg, const rl_source *src,
			     const rl_version *v, int commit, rl_reextract_result *out,
			     rl_error *err)
{
	update_ctx u;
	rl_fetch_result *f = NULL;
	rl_update up;
	int rc;

	memset(&u, 0, sizeof(u));
	memset(&up, 0, sizeof(up));
	u.archive = a;
	u.cfg = cfg;
	u.src = src;
	u.reextract = 1;
	snprintf(u.tip, sizeof(u.tip), "%s", v->commit);
	rc = archived_fetch(a, v, src, &f, err);
	if (rc == 0)
		rc = update_extract(&u, f, err);
	if (rc == 0 && !update_same_as_tip(&u, f)) {
		out->differing++;
		if (commit) {
			rc = update_commit(&u, f, &up, err);
			if (rc == 0) {
				out->committed = 1;
				memcpy(out->commit, up.commit, sizeof(out->commit));
				out->subject = up.subject;
				up.subject = NULL;
			}
		}
	}
	out->versions++;
	rl_update_clear(&up);
	update_ctx_clear(&u);
	rl_fetch_result_free(f);
	return rc;
}

int rl_reextract(rl_archive *a, const rl_config *cfg, const rl_source *src,
		 rl_reextract_result *out, rl_error *err)
{
	rl_version_list l = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	rc = rl_archive_log(a, src->id, 0, &l, err);
	/* Oldest first; the latest (l.v[0]) last, where the commit goes. */
	for (size_t i = l.n; rc == 0 && i-- > 0;) {
		if (l.v[i].change && strcmp(l.v[i].change, "reextract") == 0 && i > 0)
			continue; /* an earlier re-extraction holds no bytes of its own */
		rc = reextract_version(a, cfg, src, &l.v[i], i == 0, out, err);
		if (rc < 0)
			rl_error_prefix(err, "%s@%.7s", src->id, l.v[i].commit);
	}
	rl_version_list_free(&l);
	return rc;
}
