/* What a notification says: for a version, the report against its parent
 * (stats, principles, watched terms, a short word diff), rendered once as
 * the webhook's JSON and the e-mail's plain text; for a source's health,
 * the URL and the error; for a test, that it is one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "redline/notify.h"
#include "redline/render.h"
#include "redline/report.h"
#include "redline/util.h"

const char *rl_notice_kind_name(rl_notice_kind k)
{
	static const char *names[] = {"change", "watching", "failing", "recovered", "test"};

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "change";
}

void rl_notice_free(rl_notice *n)
{
	if (!n)
		return;
	free(n->source);
	free(n->title);
	free(n->url);
	free(n->subject);
	free(n->key);
	rl_buf_free(&n->json);
	rl_buf_free(&n->text);
	free(n);
}

static rl_notice *notice_new(rl_notice_kind kind)
{
	rl_notice *n = calloc(1, sizeof(*n));

	if (n) {
		n->kind = kind;
		n->cls = RL_CLASS_NONE;
	}
	return n;
}

static int watch_terms(const rl_config *cfg, const rl_source *src, rl_strv *out)
{
	if (cfg && rl_strv_copy(out, &cfg->watch_terms) < 0)
		return -1;
	for (size_t i = 0; src && i < src->watch.n; i++)
		if (!rl_strv_contains(out, src->watch.v[i]) &&
		    rl_strv_push(out, src->watch.v[i]) < 0)
			return -1;
	return 0;
}

/* The report of v against its parent; NULL *out for a first version. */
static int version_report(rl_archive *a, const rl_config *cfg, const rl_version *v, rl_report **out,
			  rl_error *err)
{
	const rl_source *src = cfg && v->source ? rl_config_source(cfg, v->source) : NULL;
	rl_buf old = RL_BUF_INIT, cur = RL_BUF_INIT, sj = RL_BUF_INIT;
	rl_structure *old_structure = NULL;
	rl_strv terms = RL_STRV_INIT;
	rl_report_opts opts = {0};
	int rc;

	*out = NULL;
	if (!v->parent[0])
		return 0;
	rc = rl_archive_read(a, v->parent, "text.md", &old, err);
	if (rc == 0)
		rc = rl_archive_read(a, v->commit, "text.md", &cur, err);
	if (rc == 0 && rl_archive_read(a, v->parent, "structure.json", &sj, NULL) == 0)
		rl_structure_from_json(&old_structure, rl_buf_cstr(&sj), sj.len, NULL);
	if (rc == 0 && watch_terms(cfg, src, &terms) < 0)
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	opts.watch_terms = &terms;
	opts.old_structure = old_structure;
	if (rc == 0)
		rc = rl_report_build(out, rl_buf_cstr(&old), old.len, rl_buf_cstr(&cur), cur.len,
				     &opts, err);
	rl_structure_free(old_structure);
	rl_strv_free(&terms);
	rl_buf_free(&old);
	rl_buf_free(&cur);
	rl_buf_free(&sj);
	return rc;
}

/* Cuts b near max bytes at a line end, saying so. */
static void cut_excerpt(rl_buf *b, size_t max)
{
	size_t at = max;

	if (b->len <= max)
		return;
	while (at > 0 && b->ptr[at - 1] != '\n')
		at--;
	if (at == 0) /* one long line: cut before a UTF-8 continuation byte */
		for (at = max; at > 0 && ((unsigned char)b->ptr[at] & 0xc0) == 0x80; at--)
			;
	rl_buf_truncate(b, at);
	rl_buf_puts(b, at && b->ptr[at - 1] != '\n' ? "\n[...]\n" : "[...]\n");
}

static int render_excerpt(const rl_report *r, size_t max, rl_buf *out, rl_error *err)
{
	rl_render_opts ro = {0};
	rl_buf w = RL_BUF_INIT;
	int rc;

	ro.context = 0;
	rc = rl_render_word(&w, r, &ro, err);
	if (rc == 0) {
		cut_excerpt(&w, max);
		rl_buf_put(out, w.ptr ? w.ptr : "", w.len);
	}
	rl_buf_free(&w);
	return rc;
}

int rl_notice_excerpt(rl_archive *a, const rl_config *cfg, const rl_version *v, size_t max,
		      rl_buf *out, rl_error *err)
{
	rl_report *r = NULL;
	int rc = version_report(a, cfg, v, &r, err);

	if (rc == 0 && r)
		rc = render_excerpt(r, max, out, err);
	rl_report_free(r);
	return rc;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static int dump_json(json_t *root, rl_buf *out, rl_error *err)
{
	char *s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int rc = 0;

	json_decref(root);
	if (!s || rl_buf_puts(out, s) < 0)
		rc = rl_error_set(err, RL_ENOMEM, "cannot encode a notification");
	free(s);
	return rc;
}

/* The common head of every payload. */
static json_t *payload_head(const rl_notice *n)
{
	json_t *o = json_object();
	char iso[32];

	rl_time_iso(n->time, iso);
	json_object_set_new(o, "event", json_string(rl_notice_kind_name(n->kind)));
	json_object_set_new(o, "delivery", json_string(n->key));
	json_object_set_new(o, "source", str_or_null(n->source));
	json_object_set_new(o, "title", str_or_null(n->title));
	json_object_set_new(o, "url", str_or_null(n->url));
	json_object_set_new(o, "commit", str_or_null(n->commit));
	json_object_set_new(o, "previous", str_or_null(n->parent));
	json_object_set_new(o, "date", json_string(iso));
	json_object_set_new(o, "class",
			    n->cls == RL_CLASS_NONE ? json_null()
						    : json_string(rl_change_class_name(n->cls)));
	json_object_set_new(o, "subject", str_or_null(n->subject));
	return o;
}

/* stats, principles and watch from the JSON renderer, so the payload and
 * `redline diff --format json` never disagree. */
static int add_report(json_t *o, const rl_report *r, rl_error *err)
{
	rl_buf b = RL_BUF_INIT;
	json_t *rep;
	int rc = rl_render_json(&b, r, NULL, err);

	if (rc < 0) {
		rl_buf_free(&b);
		return rc;
	}
	rep = json_loadb(rl_buf_cstr(&b), b.len, 0, NULL);
	rl_buf_free(&b);
	if (!rep)
		return rl_error_set(err, RL_ERROR, "cannot read the rendered report");
	json_object_set(o, "stats", json_object_get(rep, "stats"));
	json_object_set(o, "principles", json_object_get(rep, "principles"));
	json_object_set(o, "watch", json_object_get(rep, "watch"));
	json_object_set_new(
	    o, "changes",
	    json_integer((json_int_t)json_array_size(json_object_get(rep, "changes"))));
	json_decref(rep);
	return 0;
}

static void text_head(rl_notice *n)
{
	char iso[32];

	rl_time_iso(n->time, iso);
	rl_buf_printf(&n->text, "%s\n\n", n->subject ? n->subject : "");
	if (n->title && !rl_streq(n->title, n->source))
		rl_buf_printf(&n->text, "Source:   %s (%s)\n", n->title, n->source);
	else if (n->source)
		rl_buf_printf(&n->text, "Source:   %s\n", n->source);
	if (n->url)
		rl_buf_printf(&n->text, "URL:      %s\n", n->url);
	if (n->commit[0])
		rl_buf_printf(&n->text, "Version:  %s\n", n->commit);
	if (n->parent[0])
		rl_buf_printf(&n->text, "Previous: %s\n", n->parent);
	rl_buf_printf(&n->text, "Date:     %s\n", iso);
	if (n->cls != RL_CLASS_NONE)
		rl_buf_printf(&n->text, "Change:   %s\n", rl_change_class_name(n->cls));
	rl_buf_putc(&n->text, '\n');
}

static int version_fields(rl_notice *n, const rl_source *src, const rl_version *v)
{
	snprintf(n->commit, sizeof(n->commit), "%s", v->commit);
	snprintf(n->parent, sizeof(n->parent), "%s", v->parent);
	n->time = v->time;
	n->source = rl_strdup(v->source);
	n->title = rl_strdup(src && src->title ? src->title : v->source);
	n->url = rl_strdup(v->url && *v->url ? v->url : src ? src->url : NULL);
	n->subject = rl_strdup(v->subject);
	if (asprintf(&n->key, "%s/%s", v->source, v->commit) < 0)
		n->key = NULL;
	return n->source && n->title && n->subject && n->key ? 0 : -1;
}

int rl_notice_for_version(rl_notice **out, rl_archive *a, const rl_config *cfg,
			  const rl_source *src, const rl_version *v, rl_error *err)
{
	rl_notice *n = notice_new(v->parent[0] ? RL_NOTICE_CHANGE : RL_NOTICE_WATCHING);
	rl_buf excerpt = RL_BUF_INIT;
	rl_report *r = NULL;
	json_t *o;
	int rc;

	*out = NULL;
	if (!n || version_fields(n, src, v) < 0) {
		rl_notice_free(n);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	n->cls = rl_change_class_parse(v->change);
	if (n->kind == RL_NOTICE_WATCHING)
		n->cls = RL_CLASS_NONE;
	else if (n->cls == RL_CLASS_NONE)
		n->cls = RL_CLASS_WORDING; /* a version written by hand: say it */
	rc = version_report(a, cfg, v, &r, err);
	if (rc == 0 && r)
		rc = render_excerpt(r, RL_NOTIFY_EXCERPT_MAX, &excerpt, err);
	if (rc < 0) {
		rl_error_prefix(err, "notification for %s@%.10s", v->source, v->commit);
		goto out;
	}
	o = payload_head(n);
	if (r)
		rc = add_report(o, r, err);
	json_object_set_new(o, "excerpt", json_stringn(rl_buf_cstr(&excerpt), excerpt.len));
	if (rc == 0)
		rc = dump_json(o, &n->json, err);
	else
		json_decref(o);
	text_head(n);
	if (n->kind == RL_NOTICE_WATCHING)
		rl_buf_printf(&n->text, "redline now watches this source; this is its first "
					"archived version.\n");
	else
		rl_buf_put(&n->text, excerpt.ptr ? excerpt.ptr : "", excerpt.len);
	if (rc == 0 && (n->json.failed || n->text.failed))
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
out:
	rl_report_free(r);
	rl_buf_free(&excerpt);
	if (rc < 0)
		rl_notice_free(n);
	else
		*out = n;
	return rc;
}

int rl_notice_for_health(rl_notice **out, const rl_source *src, const rl_source_state *st,
			 rl_notice_kind kind, rl_error *err)
{
	rl_notice *n = notice_new(kind);
	int64_t at = st->last_fetch ? st->last_fetch : rl_now();
	json_t *o;
	int rc;

	*out = NULL;
	if (!n)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	n->time = at;
	n->source = rl_strdup(src->id);
	n->title = rl_strdup(src->title ? src->title : src->id);
	n->url = rl_strdup(st->url ? st->url : src->url);
	if (kind == RL_NOTICE_FAILING) {
		if (asprintf(&n->subject, "%s: failing: %s", src->id,
			     st->error ? st->error : "fetch failed") < 0)
			n->subject = NULL;
	} else if (asprintf(&n->subject, "%s: recovered", src->id) < 0) {
		n->subject = NULL;
	}
	if (asprintf(&n->key, "%s/%s/%lld", src->id, rl_notice_kind_name(kind), (long long)at) < 0)
		n->key = NULL;
	if (!n->source || !n->title || !n->subject || !n->key) {
		rl_notice_free(n);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	o = payload_head(n);
	json_object_set_new(o, "error", str_or_null(kind == RL_NOTICE_FAILING ? st->error : NULL));
	json_object_set_new(o, "failures", json_integer(st->failures));
	rc = dump_json(o, &n->json, err);
	text_head(n);
	if (kind == RL_NOTICE_FAILING)
		rl_buf_printf(&n->text,
			      "Fetching this source fails: %s\nredline keeps trying (with backoff) "
			      "and will say once when it recovers.\n",
			      st->error ? st->error : "fetch failed");
	else
		rl_buf_printf(&n->text, "Fetching this source works again.\n");
	if (rc < 0)
		rl_notice_free(n);
	else
		*out = n;
	return rc;
}

int rl_notice_for_test(rl_notice **out, const char *channel, rl_error *err)
{
	rl_notice *n = notice_new(RL_NOTICE_TEST);
	json_t *o;
	int rc;

	*out = NULL;
	if (!n)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	n->time = rl_now();
	if (asprintf(&n->subject, "redline: test message on channel %s", channel) < 0)
		n->subject = NULL;
	if (asprintf(&n->key, "test/%s/%lld", channel, (long long)n->time) < 0)
		n->key = NULL;
	if (!n->subject || !n->key) {
		rl_notice_free(n);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	o = payload_head(n);
	json_object_set_new(o, "channel", json_string(channel));
	rc = dump_json(o, &n->json, err);
	text_head(n);
	rl_buf_printf(&n->text, "This is a test message from redline on channel %s.\n", channel);
	if (rc < 0)
		rl_notice_free(n);
	else
		*out = n;
	return rc;
}
