/* The Atom feed (RFC 4287), written with libxml2's text writer so every
 * character is escaped as XML wants. Entry ids are stable
 * (urn:redline:SOURCE:COMMIT): a reader sees each version once however
 * often the file is rewritten. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "redline/feed.h"
#include "redline/notify.h"
#include "redline/util.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"

/* Text XML 1.0 can carry: C0 controls other than tab and newline, and
 * bytes that are not UTF-8, become '?'. */
static char *xml_text(const char *s, size_t len)
{
	rl_buf b = RL_BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t n = p[i] < 0x80                   ? 1
			   : p[i] >= 0xc2 && p[i] < 0xe0 ? 2
			   : p[i] >= 0xe0 && p[i] < 0xf0 ? 3
			   : p[i] >= 0xf0 && p[i] < 0xf5 ? 4
							 : 0;
		int ok = n && i + n <= len;

		for (size_t k = 1; ok && k < n; k++)
			ok = (p[i + k] & 0xc0) == 0x80;
		if (ok && n == 1 && p[i] < 0x20 && p[i] != '\t' && p[i] != '\n')
			ok = 0;
		if (ok && n == 3 && p[i] == 0xef && p[i + 1] == 0xbf && p[i + 2] >= 0xbe)
			ok = 0; /* U+FFFE, U+FFFF */
		if (ok) {
			rl_buf_put(&b, s + i, n);
			i += n;
		} else {
			rl_buf_putc(&b, '?');
			i++;
		}
	}
	return rl_buf_detach(&b, NULL);
}

static int put_elem(xmlTextWriterPtr w, const char *name, const char *text)
{
	char *t = xml_text(text ? text : "", text ? strlen(text) : 0);
	int rc = t ? xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST t) : -1;

	free(t);
	return rc < 0 ? -1 : 0;
}

static int put_date(xmlTextWriterPtr w, const char *name, int64_t t)
{
	char iso[32];

	rl_time_iso(t, iso);
	return put_elem(w, name, iso);
}

static int put_link(xmlTextWriterPtr w, const char *rel, const char *href)
{
	int rc = xmlTextWriterStartElement(w, BAD_CAST "link");

	if (rc >= 0)
		rc = xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST rel);
	if (rc >= 0)
		rc = xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST href);
	if (rc >= 0)
		rc = xmlTextWriterEndElement(w);
	return rc < 0 ? -1 : 0;
}

static const char *source_title(const rl_config *cfg, const char *id)
{
	const rl_source *s = cfg ? rl_config_source(cfg, id) : NULL;

	return s && s->title ? s->title : id;
}

/* A version's word diff never changes (for the same watched terms), and
 * a feed shows fifty of them: each is computed once and kept in
 * <archive>/redline/cache/excerpt/, so rewriting the feed after a change
 * costs one diff, not fifty. The cache is disposable. */
static void cache_path(rl_archive *a, const rl_config *cfg, const rl_version *v, char *out,
		       size_t len)
{
	const rl_source *src = cfg ? rl_config_source(cfg, v->source) : NULL;
	rl_buf terms = RL_BUF_INIT;
	char sha[65];

	for (size_t i = 0; cfg && i < cfg->watch_terms.n; i++)
		rl_buf_printf(&terms, "%s\n", cfg->watch_terms.v[i]);
	for (size_t i = 0; src && i < src->watch.n; i++)
		rl_buf_printf(&terms, "%s\n", src->watch.v[i]);
	rl_sha256_hex(terms.ptr ? terms.ptr : "", terms.len, sha);
	snprintf(out, len, "%s/cache/excerpt/%s-%.12s", rl_archive_state_dir(a), v->commit, sha);
	rl_buf_free(&terms);
}

static int cached_excerpt(rl_archive *a, const rl_config *cfg, const rl_version *v, rl_buf *out,
			  rl_error *err)
{
	char path[4096], dir[4096];
	rl_buf b = RL_BUF_INIT;
	int rc;

	cache_path(a, cfg, v, path, sizeof(path));
	if (rl_file_read(path, &b, NULL) == 0) {
		rc = rl_buf_put(out, b.ptr ? b.ptr : "", b.len) < 0
			 ? rl_error_set(err, RL_ENOMEM, "out of memory")
			 : 0;
		rl_buf_free(&b);
		return rc;
	}
	rl_buf_reset(&b);
	rc = rl_notice_excerpt(a, cfg, v, RL_NOTIFY_EXCERPT_MAX, &b, err);
	if (rc == 0) {
		snprintf(dir, sizeof(dir), "%s/cache/excerpt", rl_archive_state_dir(a));
		/* A cache that cannot be written only costs time. */
		if (rl_mkdir_p(dir, 0755, NULL) == 0)
			rl_file_write_atomic(path, b.ptr ? b.ptr : "", b.len, NULL);
		if (rl_buf_put(out, b.ptr ? b.ptr : "", b.len) < 0)
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	rl_buf_free(&b);
	return rc;
}

static int put_entry(xmlTextWriterPtr w, rl_archive *a, const rl_config *cfg, const rl_version *v,
		     rl_error *err)
{
	const rl_source *src = cfg ? rl_config_source(cfg, v->source) : NULL;
	const char *url = v->url && *v->url ? v->url : src ? src->url : NULL;
	rl_buf content = RL_BUF_INIT;
	char id[320], *text;
	int rc;

	if (v->parent[0]) {
		rl_buf_printf(&content, "%s\n\n", v->subject);
		rc = cached_excerpt(a, cfg, v, &content, err);
		if (rc < 0) {
			rl_buf_free(&content);
			return rc;
		}
	} else {
		rl_buf_printf(&content,
			      "%s\n\nredline now watches %s: this is its first archived "
			      "version.\n",
			      v->subject, source_title(cfg, v->source));
	}
	snprintf(id, sizeof(id), "urn:redline:%s:%s", v->source, v->commit);
	text = xml_text(content.ptr ? content.ptr : "", content.len);
	rl_buf_free(&content);
	rc = xmlTextWriterStartElement(w, BAD_CAST "entry") < 0 ? -1 : 0;
	if (rc == 0)
		rc = put_elem(w, "id", id);
	if (rc == 0)
		rc = put_elem(w, "title", v->subject);
	if (rc == 0)
		rc = put_date(w, "updated", v->time);
	if (rc == 0)
		rc = put_date(w, "published", v->time);
	if (rc == 0 && url)
		rc = put_link(w, "alternate", url);
	if (rc == 0 && v->change && *v->change) {
		rc = xmlTextWriterStartElement(w, BAD_CAST "category") < 0 ||
			     xmlTextWriterWriteAttribute(w, BAD_CAST "term", BAD_CAST v->change) <
				 0 ||
			     xmlTextWriterEndElement(w) < 0
			 ? -1
			 : 0;
	}
	if (rc == 0)
		rc = xmlTextWriterStartElement(w, BAD_CAST "content") < 0 ||
			     xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "text") < 0 ||
			     xmlTextWriterWriteString(w, BAD_CAST(text ? text : "")) < 0 ||
			     xmlTextWriterEndElement(w) < 0
			 ? -1
			 : 0;
	if (rc == 0)
		rc = xmlTextWriterEndElement(w) < 0 ? -1 : 0;
	free(text);
	return rc < 0 ? rl_error_set(err, RL_ERROR, "feed: cannot write the entry of %s@%.10s",
				     v->source, v->commit)
		      : 0;
}

static int feed_versions(rl_archive *a, const char *source, size_t max, rl_version_list *out,
			 rl_error *err)
{
	rl_version_list all = {0};
	int rc;

	/* Reextract commits are not news: ask for more, keep max. */
	rc = source ? rl_archive_log(a, source, max * 2, &all, err)
		    : rl_archive_log_all(a, max * 2, &all, err);
	if (rc == RL_ENOTFOUND && source) {
		rl_error_clear(err);
		rc = 0;
	}
	memset(out, 0, sizeof(*out));
	out->v = calloc(max + 1, sizeof(rl_version));
	if (!out->v) {
		rl_version_list_free(&all);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	for (size_t i = 0; rc == 0 && i < all.n; i++) {
		if (out->n < max && !rl_streq(all.v[i].change, "reextract")) {
			out->v[out->n++] = all.v[i];
			memset(&all.v[i], 0, sizeof(all.v[i]));
		}
	}
	out->cap = max + 1;
	rl_version_list_free(&all);
	return rc;
}

int rl_feed_build(rl_buf *out, rl_archive *a, const rl_config *cfg, const char *source, size_t max,
		  rl_error *err)
{
	rl_version_list l = {0};
	xmlBufferPtr xb = xmlBufferCreate();
	xmlTextWriterPtr w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
	char id[300], title[400];
	int rc;

	if (!w) {
		xmlBufferFree(xb);
		return rl_error_set(err, RL_ENOMEM, "feed: cannot make an XML writer");
	}
	rc = feed_versions(a, source, max ? max : RL_FEED_ENTRIES, &l, err);
	snprintf(id, sizeof(id), "urn:redline:feed%s%s", source ? ":" : "", source ? source : "");
	snprintf(title, sizeof(title), "redline: %s",
		 source ? source_title(cfg, source) : "every watched source");
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	if (rc == 0 &&
	    (xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
	     xmlTextWriterStartElementNS(w, NULL, BAD_CAST "feed", BAD_CAST ATOM_NS) < 0 ||
	     put_elem(w, "id", id) < 0 || put_elem(w, "title", title) < 0 ||
	     put_date(w, "updated", l.n ? l.v[0].time : 0) < 0 ||
	     xmlTextWriterStartElement(w, BAD_CAST "author") < 0 ||
	     put_elem(w, "name", "redline") < 0 || xmlTextWriterEndElement(w) < 0 ||
	     xmlTextWriterStartElement(w, BAD_CAST "generator") < 0 ||
	     xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST RL_VERSION) < 0 ||
	     xmlTextWriterWriteString(w, BAD_CAST "redline") < 0 || xmlTextWriterEndElement(w) < 0))
		rc = rl_error_set(err, RL_ERROR, "feed: cannot write the XML head");
	for (size_t i = 0; rc == 0 && i < l.n; i++)
		rc = put_entry(w, a, cfg, &l.v[i], err);
	if (rc == 0 && (xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndDocument(w) < 0))
		rc = rl_error_set(err, RL_ERROR, "feed: cannot finish the XML");
	xmlFreeTextWriter(w);
	if (rc == 0 && rl_buf_put(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb)) < 0)
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	xmlBufferFree(xb);
	rl_version_list_free(&l);
	return rc;
}

int rl_feed_write(const char *path, rl_archive *a, const rl_config *cfg, rl_error *err)
{
	rl_buf b = RL_BUF_INIT;
	int rc = rl_feed_build(&b, a, cfg, NULL, 0, err);

	if (rc == 0)
		rc = rl_file_write_atomic(path, b.ptr, b.len, err);
	if (rc < 0)
		rl_error_prefix(err, "[feed] path %s", path);
	rl_buf_free(&b);
	return rc;
}
