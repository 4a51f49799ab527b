/* Writing a version: text.md, pages/, raw/, source.json and
 * structure.json, a subject that says what changed in words, and the
 * trailers that carry the machine-readable part. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "redline/history.h"
#include "redline/report.h"
#include "redline/util.h"
#include "update-internal.h"

void update_ctx_clear(update_ctx *u)
{
	for (size_t i = 0; i < u->n_raws; i++) {
		rl_buf_free(&u->raws[i]);
		free(u->ctypes[i]);
	}
	free(u->raws);
	free(u->ctypes);
	rl_text_free(&u->text);
}

void update_raw_key(const rl_source *src, int page, char *out, size_t len)
{
	if (src->paged)
		snprintf(out, len, "%04d", page);
	else
		snprintf(out, len, "document");
}

static json_t *tip_source_json(update_ctx *u)
{
	rl_buf b = RL_BUF_INIT;
	json_t *root = NULL;

	if (u->tip[0] && rl_archive_read(u->archive, u->tip, "source.json", &b, NULL) == 0)
		root = json_loadb(rl_buf_cstr(&b), b.len, 0, NULL);
	rl_buf_free(&b);
	return root;
}

char *update_archived_content_type(update_ctx *u, int page)
{
	json_t *root = tip_source_json(u), *pages;
	char *out = NULL;

	pages = json_object_get(root, "pages");
	for (size_t i = 0; i < json_array_size(pages); i++) {
		json_t *p = json_array_get(pages, i);

		if (json_integer_value(json_object_get(p, "page")) == page) {
			out = rl_strdup(json_string_value(json_object_get(p, "content_type")));
			break;
		}
	}
	json_decref(root);
	return out;
}

int update_raw_same(update_ctx *u, const rl_fetch_result *fetch)
{
	json_t *root = tip_source_json(u), *pages = json_object_get(root, "pages");
	int same = json_array_size(pages) == fetch->n_pages;

	for (size_t i = 0; same && i < fetch->n_pages; i++) {
		const char *sha =
		    json_string_value(json_object_get(json_array_get(pages, i), "sha256"));

		same = fetch->pages[i].not_modified || rl_streq(sha, fetch->pages[i].sha256);
	}
	json_decref(root);
	return same;
}

static char *source_json(update_ctx *u, const rl_fetch_result *fetch)
{
	json_t *root = json_object(), *pages = json_array(), *warn = json_array();
	char iso[32];
	char *out;

	rl_time_iso(fetch->finished ? fetch->finished : rl_now(), iso);
	json_object_set_new(root, "id", json_string(u->src->id));
	json_object_set_new(root, "title", json_string(u->src->title ? u->src->title : u->src->id));
	json_object_set_new(root, "url", json_string(u->src->url));
	json_object_set_new(root, "fetched_at", json_string(iso));
	json_object_set_new(root, "extractor", json_string(RL_EXTRACTOR_VERSION));
	json_object_set_new(root, "kind", json_string(rl_doc_kind_name(u->text.kind)));
	json_object_set_new(root, "config_digest", json_string(u->src->digest));
	for (size_t i = 0; i < fetch->n_pages; i++) {
		const rl_fetched_page *p = &fetch->pages[i];
		json_t *o = json_object();
		char sha[65];

		rl_sha256_hex(rl_buf_cstr(&u->raws[i]), u->raws[i].len, sha);
		json_object_set_new(o, "page", json_integer(p->number));
		json_object_set_new(o, "url", json_string(p->url));
		if (p->final_url && strcmp(p->final_url, p->url) != 0)
			json_object_set_new(o, "final_url", json_string(p->final_url));
		json_object_set_new(o, "status", json_integer(p->status));
		if (p->etag)
			json_object_set_new(o, "etag", json_string(p->etag));
		if (p->last_modified)
			json_object_set_new(o, "last_modified", json_string(p->last_modified));
		if (u->ctypes[i])
			json_object_set_new(o, "content_type", json_string(u->ctypes[i]));
		json_object_set_new(o, "sha256", json_string(sha));
		json_object_set_new(o, "size", json_integer((json_int_t)u->raws[i].len));
		json_array_append_new(pages, o);
	}
	json_object_set_new(root, "pages", pages);
	for (size_t i = 0; i < u->text.warnings.n; i++)
		json_array_append_new(warn, json_string(u->text.warnings.v[i]));
	json_object_set_new(root, "warnings", warn);
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return out;
}

static int watch_terms(const update_ctx *u, rl_strv *out)
{
	if (rl_strv_copy(out, &u->src->watch) < 0)
		return -1;
	for (size_t i = 0; i < u->cfg->watch_terms.n; i++)
		if (!rl_strv_contains(out, u->cfg->watch_terms.v[i]) &&
		    rl_strv_push(out, u->cfg->watch_terms.v[i]) < 0)
			return -1;
	return 0;
}

/* The report against the tip (or against nothing for a first version). */
static int build_report(update_ctx *u, rl_report **out, rl_buf *old, rl_error *err)
{
	rl_structure *old_structure = NULL;
	rl_report_opts opts = {0};
	rl_strv terms = RL_STRV_INIT;
	rl_buf sj = RL_BUF_INIT;
	int rc;

	if (u->tip[0]) {
		rc = rl_archive_read(u->archive, u->tip, "text.md", old, err);
		if (rc < 0)
			return rc;
		if (rl_archive_read(u->archive, u->tip, "structure.json", &sj, NULL) == 0)
			rl_structure_from_json(&old_structure, rl_buf_cstr(&sj), sj.len, NULL);
	}
	if (watch_terms(u, &terms) < 0) {
		rl_buf_free(&sj);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	opts.watch_terms = &terms;
	opts.old_structure = old_structure;
	rc = rl_report_build(out, rl_buf_cstr(old), old->len, rl_buf_cstr(&u->text.text),
			     u->text.text.len, &opts, err);
	rl_structure_free(old_structure);
	rl_strv_free(&terms);
	rl_buf_free(&sj);
	return rc;
}

static size_t count_words(const char *s, size_t len)
{
	size_t n = 0;
	int in = 0;

	for (size_t i = 0; i < len; i++) {
		int space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';

		if (!space && !in)
			n++;
		in = !space;
	}
	return n;
}

static int build_message(update_ctx *u, const rl_fetch_result *fetch, const rl_report *r,
			 rl_buf *msg, rl_update *out)
{
	rl_buf summary = RL_BUF_INIT;
	char iso[32];
	const char *change;

	rl_time_iso(fetch->finished ? fetch->finished : rl_now(), iso);
	if (u->reextract) {
		rl_buf_printf(&summary, "re-extracted with extractor %s, ", RL_EXTRACTOR_VERSION);
		rl_report_summary(r, &summary);
		change = "reextract";
	} else if (!u->tip[0]) {
		rl_buf_printf(&summary, "first version (%zu words)",
			      count_words(rl_buf_cstr(&u->text.text), u->text.text.len));
		change = "initial";
	} else {
		rl_report_summary(r, &summary);
		change = rl_change_class_name(r->cls == RL_CLASS_NONE ? RL_CLASS_COSMETIC : r->cls);
	}
	rl_buf_printf(msg, "%s: %s\n\n", u->src->id, rl_buf_cstr(&summary));
	if (u->tip[0])
		rl_buf_printf(msg, "Words: %zu common, %zu inserted, %zu deleted, %zu moved.\n\n",
			      r->diff->stats.common, r->diff->stats.inserted,
			      r->diff->stats.deleted, r->diff->stats.moved);
	rl_buf_printf(msg, "Redline-Url: %s\n", fetch->n_pages ? fetch->pages[0].url : u->src->url);
	rl_buf_printf(msg, "Redline-Fetched-At: %s\n", iso);
	rl_buf_printf(msg, "Redline-Change: %s\n", change);
	rl_buf_printf(msg, "Redline-Extractor: %s\n", RL_EXTRACTOR_VERSION);
	out->cls = u->tip[0] ? r->cls : RL_CLASS_STRUCTURE;
	out->first = !u->tip[0];
	free(out->subject);
	out->subject = NULL;
	if (asprintf(&out->subject, "%s: %s", u->src->id, rl_buf_cstr(&summary)) < 0)
		out->subject = NULL;
	rl_buf_free(&summary);
	return msg->failed ? -1 : 0;
}

/* Every file of the version, in tree order. Paths point into names. */
static int collect_files(update_ctx *u, const rl_fetch_result *fetch, const char *sjson,
			 const rl_buf *structure, rl_file **out, size_t *n, rl_strv *names)
{
	size_t cap = 3 + u->text.n_pages + fetch->n_pages;
	rl_file *f = calloc(cap, sizeof(*f));
	size_t k = 0;

	if (!f)
		return -1;
	f[k++] = (rl_file){"text.md", rl_buf_cstr(&u->text.text), u->text.text.len};
	f[k++] = (rl_file){"source.json", sjson, strlen(sjson)};
	f[k++] = (rl_file){"structure.json", rl_buf_cstr(structure), structure->len};
	for (size_t i = 0; i < u->text.n_pages; i++) {
		if (rl_strv_pushf(names, "pages/%04d.md", u->text.pages[i].number) < 0)
			goto fail;
		f[k++] =
		    (rl_file){NULL, rl_buf_cstr(&u->text.pages[i].text), u->text.pages[i].text.len};
	}
	for (size_t i = 0; i < fetch->n_pages; i++) {
		char key[32];
		rl_doc_kind kind = rl_doc_sniff(rl_buf_cstr(&u->raws[i]), u->raws[i].len,
						u->ctypes[i], fetch->pages[i].url);

		update_raw_key(u->src, fetch->pages[i].number, key, sizeof(key));
		if (rl_strv_pushf(names, "raw/%s.%s", key, rl_doc_kind_ext(kind)) < 0)
			goto fail;
		f[k++] = (rl_file){NULL, rl_buf_cstr(&u->raws[i]), u->raws[i].len};
	}
	for (size_t i = 0; i < names->n; i++)
		f[3 + i].path = names->v[i];
	*out = f;
	*n = k;
	return 0;
fail:
	free(f);
	return -1;
}

int update_commit(update_ctx *u, const rl_fetch_result *fetch, rl_update *out, rl_error *err)
{
	rl_report *r = NULL;
	rl_buf old = RL_BUF_INIT, msg = RL_BUF_INIT, structure = RL_BUF_INIT;
	rl_strv names = RL_STRV_INIT;
	rl_file *files = NULL;
	size_t n_files = 0;
	char *sjson = NULL;
	rl_commit_req req;
	int rc;

	rc = build_report(u, &r, &old, err);
	if (rc < 0 || !r)
		goto out;
	rc = rl_structure_to_json(r->new_structure, &structure, err);
	if (rc < 0)
		goto out;
	sjson = source_json(u, fetch);
	if (!sjson || build_message(u, fetch, r, &msg, out) < 0 ||
	    collect_files(u, fetch, sjson, &structure, &files, &n_files, &names) < 0) {
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		goto out;
	}
	memset(&req, 0, sizeof(req));
	req.source = u->src->id;
	req.expected_tip = u->tip;
	req.time = fetch->finished ? fetch->finished : rl_now();
	req.message = rl_buf_cstr(&msg);
	req.files = files;
	req.n_files = n_files;
	rc = rl_archive_commit(u->archive, &req, out->commit, err);
	if (rc == 0) {
		out->outcome = RL_OUTCOME_CHANGED;
		snprintf(out->parent, sizeof(out->parent), "%s", u->tip);
		/* Keeping the history index current costs a few ms per version
		 * here and spares the first query a cold build over every version.
		 * It is derived: a failure only means a rebuild later. */
		rl_history_update(u->archive, u->src->id, NULL);
	}
out:
	rl_report_free(r);
	rl_buf_free(&old);
	rl_buf_free(&msg);
	rl_buf_free(&structure);
	rl_strv_free(&names);
	free(files);
	free(sjson);
	return rc;
}
