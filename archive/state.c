/* Per-source operational state in <archive>/redline/state/<id>.json:
 * ETags, last fetch, health, last error. Written atomically. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "redline/state.h"
#include "redline/util.h"

const char *rl_health_name(rl_health h)
{
	switch (h) {
	case RL_HEALTH_OK:
		return "ok";
	case RL_HEALTH_FAILING:
		return "failing";
	default:
		return "never";
	}
}

static rl_health health_parse(const char *s)
{
	if (rl_streq(s, "ok"))
		return RL_HEALTH_OK;
	if (rl_streq(s, "failing"))
		return RL_HEALTH_FAILING;
	return RL_HEALTH_NEVER;
}

static char *state_path(rl_archive *a, const char *id)
{
	char *p = NULL;

	if (asprintf(&p, "%s/state/%s.json", rl_archive_state_dir(a), id) < 0)
		return NULL;
	return p;
}

void rl_state_clear(rl_source_state *st)
{
	if (!st)
		return;
	free(st->id);
	free(st->error);
	free(st->url);
	for (size_t i = 0; i < st->n_pages; i++) {
		free(st->pages[i].etag);
		free(st->pages[i].last_modified);
	}
	free(st->pages);
	memset(st, 0, sizeof(*st));
}

const rl_page_state *rl_state_page(const rl_source_state *st, int page)
{
	for (size_t i = 0; st && i < st->n_pages; i++)
		if (st->pages[i].page == page)
			return &st->pages[i];
	return NULL;
}

int rl_state_set_page(rl_source_state *st, int page, const char *etag, const char *last_modified,
		      const char *sha256)
{
	rl_page_state *p = (rl_page_state *)rl_state_page(st, page);

	if (!p) {
		rl_page_state *v = realloc(st->pages, (st->n_pages + 1) * sizeof(*v));

		if (!v)
			return -1;
		st->pages = v;
		p = &v[st->n_pages++];
		memset(p, 0, sizeof(*p));
		p->page = page;
	}
	free(p->etag);
	free(p->last_modified);
	p->etag = rl_strdup(etag);
	p->last_modified = rl_strdup(last_modified);
	snprintf(p->sha256, sizeof(p->sha256), "%s", sha256 ? sha256 : "");
	return 0;
}

int rl_state_set_error(rl_source_state *st, const char *message)
{
	free(st->error);
	st->error = rl_strdup(message);
	return message && !st->error ? -1 : 0;
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t jint(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

int rl_state_load(rl_archive *a, const char *id, rl_source_state *out, rl_error *err)
{
	char *path = state_path(a, id);
	rl_buf b = RL_BUF_INIT;
	json_error_t jerr;
	json_t *root, *pages;
	int rc;

	memset(out, 0, sizeof(*out));
	out->id = strdup(id);
	if (!path || !out->id) {
		free(path);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	rc = rl_file_read(path, &b, err);
	if (rc == RL_ENOTFOUND) {
		/* Never fetched, or the state was lost: both cost a re-fetch only. */
		rl_error_clear(err);
		free(path);
		rl_buf_free(&b);
		return 0;
	}
	if (rc < 0) {
		free(path);
		rl_buf_free(&b);
		return rc;
	}
	root = json_loadb(rl_buf_cstr(&b), b.len, 0, &jerr);
	rl_buf_free(&b);
	if (!json_is_object(root)) {
		/* A damaged state file is state lost, not an error for the pass. */
		json_decref(root);
		free(path);
		return 0;
	}
	free(path);
	out->health = health_parse(jstr(root, "state"));
	out->last_fetch = jint(root, "last_fetch");
	out->last_success = jint(root, "last_success");
	out->last_change = jint(root, "last_change");
	out->next_due = jint(root, "next_due");
	out->failures = (int)jint(root, "failures");
	out->failure_notified = json_is_true(json_object_get(root, "failure_notified"));
	out->error = rl_strdup(jstr(root, "error"));
	out->url = rl_strdup(jstr(root, "url"));
	snprintf(out->digest, sizeof(out->digest), "%s",
		 jstr(root, "config_digest") ? jstr(root, "config_digest") : "");
	pages = json_object_get(root, "pages");
	for (size_t i = 0; json_is_array(pages) && i < json_array_size(pages); i++) {
		json_t *p = json_array_get(pages, i);

		rl_state_set_page(out, (int)jint(p, "page"), jstr(p, "etag"),
				  jstr(p, "last_modified"), jstr(p, "sha256"));
	}
	json_decref(root);
	return 0;
}

static void set_opt_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

/* Keys that move on every fetch: a crash that loses them costs nothing
 * (at worst a source is fetched a little early). */
static const char *const volatile_keys[] = {"last_fetch", "last_success", "next_due"};

typedef enum how { DURABLE, RENAME, IN_PLACE } how;

/* How to replace old (the file's bytes, NULL when none) with text:
 * something that matters changed (validators, health, the error, the
 * failure notice): a new file, fsync'd before and after its rename, so it
 * survives a crash. Only times changed: no fsync; and when the new text
 * differs from the old only in digits, in place, since any mix of the two
 * that a reader or a crash could see is still the same JSON with other
 * times in it. On a thousand unchanged sources, fsyncs were 90% of the
 * pass and renames half of what was left. */
static how choose(const rl_buf *old, const char *text, json_t *root)
{
	json_t *was, *now;
	size_t len = strlen(text);
	int same = 0;

	if (!old)
		return DURABLE;
	was = json_loadb(rl_buf_cstr(old), old->len, 0, NULL);
	now = json_copy(root);
	if (json_is_object(was) && now) {
		for (size_t i = 0; i < sizeof(volatile_keys) / sizeof(volatile_keys[0]); i++) {
			json_object_del(was, volatile_keys[i]);
			json_object_del(now, volatile_keys[i]);
		}
		same = json_equal(was, now);
	}
	json_decref(was);
	json_decref(now);
	if (!same)
		return DURABLE;
	if (old->len != len)
		return RENAME;
	for (size_t i = 0; i < len; i++)
		if (old->ptr[i] != text[i] &&
		    (!isdigit((unsigned char)old->ptr[i]) || !isdigit((unsigned char)text[i])))
			return RENAME;
	return IN_PLACE;
}

static int write_all(int fd, const char *text, size_t len)
{
	off_t off = 0;

	while (len > 0) {
		ssize_t w = pwrite(fd, text, len, off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		text += w;
		off += w;
		len -= (size_t)w;
	}
	return 0;
}

static int write_state(const char *path, const char *dir, const char *text, how h, rl_error *err)
{
	char tmp[PATH_MAX];
	size_t len = strlen(text);
	int fd, rc;

	if (h == IN_PLACE) {
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0 && write_all(fd, text, len) == 0 && close(fd) == 0)
			return 0;
		if (fd >= 0)
			close(fd);
		h = RENAME;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return rl_error_set(err, RL_EINVALID, "%s: path too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT) {
		rc = rl_mkdir_p(dir, 0755, err);
		if (rc < 0)
			return rc;
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	if (fd < 0)
		return rl_error_set(err, RL_EIO, "%s: %s", tmp, strerror(errno));
	if (write_all(fd, text, len) < 0 || (h == DURABLE && fsync(fd) < 0))
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	if (h == DURABLE) {
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	return 0;
fail:
	rl_error_set(err, RL_EIO, "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return RL_EIO;
}

int rl_state_save(rl_archive *a, const rl_source_state *st, rl_error *err)
{
	char *path = state_path(a, st->id), *dir = NULL, *text;
	json_t *root = json_object(), *pages = json_array();
	int rc;

	json_object_set_new(root, "id", json_string(st->id));
	json_object_set_new(root, "state", json_string(rl_health_name(st->health)));
	json_object_set_new(root, "last_fetch", json_integer(st->last_fetch));
	json_object_set_new(root, "last_success", json_integer(st->last_success));
	json_object_set_new(root, "last_change", json_integer(st->last_change));
	json_object_set_new(root, "next_due", json_integer(st->next_due));
	json_object_set_new(root, "failures", json_integer(st->failures));
	json_object_set_new(root, "failure_notified", json_boolean(st->failure_notified));
	set_opt_str(root, "error", st->error);
	set_opt_str(root, "url", st->url);
	set_opt_str(root, "config_digest", st->digest[0] ? st->digest : NULL);
	for (size_t i = 0; i < st->n_pages; i++) {
		json_t *p = json_object();

		json_object_set_new(p, "page", json_integer(st->pages[i].page));
		set_opt_str(p, "etag", st->pages[i].etag);
		set_opt_str(p, "last_modified", st->pages[i].last_modified);
		set_opt_str(p, "sha256", st->pages[i].sha256[0] ? st->pages[i].sha256 : NULL);
		json_array_append_new(pages, p);
	}
	json_object_set_new(root, "pages", pages);
	text = json_dumps(root, JSON_INDENT(1) | JSON_SORT_KEYS);
	if (!path || !text || asprintf(&dir, "%s/state", rl_archive_state_dir(a)) < 0) {
		json_decref(root);
		free(path);
		free(text);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	{
		rl_buf old = RL_BUF_INIT;
		int have = rl_file_read(path, &old, NULL) == 0;

		rc = write_state(path, dir, text, choose(have ? &old : NULL, text, root), err);
		rl_buf_free(&old);
	}
	json_decref(root);
	free(dir);
	free(path);
	free(text);
	return rc;
}
