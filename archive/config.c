/* redline.conf: read with libgit2's config parser, validated key by key.
 * Every problem is collected with FILE:LINE: KEY so `redline config check`
 * can list them all at once. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "redline/config.h"
#include "redline/util.h"

#include "config-internal.h"

void config_problem(loader *l, const char *name, const char *fmt, ...)
{
	char msg[768];
	size_t nth;
	int line;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nth = (size_t)strcount_get(l->seen, name, strlen(name));
	line = rl_config_lines_find(&l->lines, name, nth ? nth - 1 : 0);
	if (line)
		rl_strv_pushf(&l->problems, "%s:%d: %s: %s", l->cfg->file, line, name, msg);
	else
		rl_strv_pushf(&l->problems, "%s: %s: %s", l->cfg->file, name, msg);
}

/* Keys of a [source], [notify] or [remote] that take one value. Git's
 * files let a later value win, which for these hides a mistake: a
 * second [source "a"] copied from the first and not renamed would
 * silently take the first one's URL, and one source would be lost. */
static int single_valued(const char *section, const char *key)
{
	static const char *const source[] = {"url", "title", "pages", "interval", "keep-raw", NULL};
	static const char *const notify[] = {"webhook",       "secret-file", "smtp-url",   "from",
					     "password-file", "exec",        "min-change", NULL};
	static const char *const remote[] = {"url", NULL};
	const char *const *keys = strcmp(section, "source") == 0   ? source
				  : strcmp(section, "notify") == 0 ? notify
				  : strcmp(section, "remote") == 0 ? remote
								   : NULL;

	for (size_t i = 0; keys && keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return 1;
	return 0;
}

/* A single-valued key set a second time: a problem, on the line that
 * sets it again, naming the line that set it first. */
static int set_again(loader *l, const char *name, const char *section, const char *sub)
{
	int first;

	if (strcount_get(l->seen, name, strlen(name)) < 2)
		return 0;
	first = rl_config_lines_find(&l->lines, name, 0);
	if (first)
		config_problem(l, name,
			       "set again (line %d sets it first): two [%s \"%s\"] sections? "
			       "Each %s needs a name of its own",
			       first, section, sub, section);
	else
		config_problem(l, name, "set more than once: two [%s \"%s\"] sections?", section,
			       sub);
	return 1;
}

static int entry_cb(const git_config_entry *e, void *payload)
{
	loader *l = payload;
	const char *name = e->name, *v = e->value ? e->value : "";
	const char *dot1 = strchr(name, '.'), *dotn = strrchr(name, '.');
	char *section, *sub = NULL;
	const char *key;
	size_t bad;

	if (strcount_add(l->seen, name, strlen(name), 1) < 0) {
		config_problem(l, name, "out of memory");
		return 0;
	}
	if (!dot1)
		return 0;
	/* Values end up in JSON (sources.json, --json, webhooks), which
	 * cannot carry other bytes: a Latin-1 title would vanish from them. */
	bad = rl_utf8_invalid_at(v, strlen(v));
	if (v[bad]) {
		config_problem(l, name, "not UTF-8 (byte 0x%02x at offset %zu of the value)",
			       (unsigned char)v[bad], bad);
		return 0;
	}
	section = rl_strndup(name, (size_t)(dot1 - name));
	key = dotn + 1;
	if (dotn > dot1)
		sub = rl_strndup(dot1 + 1, (size_t)(dotn - dot1 - 1));
	if (!section || (dotn > dot1 && !sub))
		goto out;
	if (strcmp(section, "source") == 0 || strcmp(section, "notify") == 0 ||
	    strcmp(section, "remote") == 0) {
		if (!sub) {
			config_problem(l, name, "[%s] needs a name: [%s \"NAME\"]", section,
				       section);
		} else if (single_valued(section, key) && set_again(l, name, section, sub)) {
			/* reported; the first value stays */
		} else if (section[0] == 's') {
			config_source_key(l, name, sub, key, v);
		} else if (section[0] == 'n') {
			config_notify_key(l, name, sub, key, v);
		} else if (strcmp(key, "url") == 0) {
			rl_remote *r = config_remote_get(l, sub);

			if (r) {
				free(r->url);
				r->url = rl_strdup(v);
			}
		} else {
			config_problem(l, name, "unknown key '%s' in [remote \"%s\"] (url)", key,
				       sub);
		}
	} else if (sub) {
		config_problem(l, name, "unknown section [%s \"%s\"]", section, sub);
	} else if (strcmp(section, "fetch") == 0) {
		config_fetch_key(l, name, key, v);
	} else if (strcmp(section, "archive") == 0 || strcmp(section, "watch") == 0 ||
		   strcmp(section, "feed") == 0 || strcmp(section, "daemon") == 0 ||
		   strcmp(section, "include") == 0 || strcmp(section, "includeif") == 0) {
		config_simple_key(l, name, section, key, v);
	} else {
		config_problem(l, name,
			       "unknown section [%s] (archive, fetch, source, notify, remote, "
			       "daemon, watch, feed)",
			       section);
	}
out:
	free(section);
	free(sub);
	return 0;
}

/* libgit2 says "failed to parse config file: WHAT (in PATH:LINE, column C)";
 * we say "PATH:LINE: WHAT" like every other problem. */
static void syntax_problem(loader *l, const char *msg)
{
	const char *prefix = "failed to parse config file: ", *in = strstr(msg, " (in ");
	const char *what = strncmp(msg, prefix, strlen(prefix)) == 0 ? msg + strlen(prefix) : msg;
	const char *colon = in ? strrchr(in, ':') : NULL;
	long line = colon ? strtol(colon + 1, NULL, 10) : 0;

	if (in && line > 0)
		rl_strv_pushf(&l->problems, "%s:%ld: %.*s", l->cfg->file, line, (int)(in - what),
			      what);
	else
		rl_strv_pushf(&l->problems, "%s: %s", l->cfg->file, what);
}

/* Checks that need the whole file: required keys, references. */
static void check_whole(loader *l)
{
	rl_config *c = l->cfg;
	char name[256];

	for (size_t i = 0; i < c->n_sources; i++) {
		rl_source *s = &c->sources[i];

		snprintf(name, sizeof(name), "source.%s.url", s->id);
		if (!s->url) {
			config_problem(l, name, "source '%s' has no url", s->id);
			continue;
		}
		snprintf(name, sizeof(name), "source.%s.pages", s->id);
		if (s->paged && !s->pages_auto && s->page_last == 0 && s->page_first == 0)
			config_problem(
			    l, name, "the url has {page}: pages is required (like 1-412 or auto)");
		if (!s->paged && (s->pages_auto || s->page_last))
			config_problem(l, name, "pages is set but the url has no {page}");
		for (size_t j = 0; j < s->notify.n; j++) {
			snprintf(name, sizeof(name), "source.%s.notify", s->id);
			if (!rl_config_channel(c, s->notify.v[j]))
				config_problem(l, name, "no [notify \"%s\"] section",
					       s->notify.v[j]);
		}
	}
	for (size_t i = 0; i < c->n_channels; i++) {
		rl_channel *ch = &c->channels[i];

		snprintf(name, sizeof(name), "notify.%s.webhook", ch->name);
		if (!ch->webhook && !ch->smtp_url && !ch->exec)
			config_problem(l, name, "channel '%s' needs webhook, smtp-url or exec",
				       ch->name);
		if (ch->smtp_url && (!ch->from || ch->to.n == 0)) {
			snprintf(name, sizeof(name), "notify.%s.smtp-url", ch->name);
			config_problem(l, name, "e-mail needs from and at least one to");
		}
	}
	for (size_t i = 0; i < c->n_remotes; i++) {
		snprintf(name, sizeof(name), "remote.%s.url", c->remotes[i].name);
		if (!c->remotes[i].url || !*c->remotes[i].url)
			config_problem(l, name, "remote '%s' has no url", c->remotes[i].name);
	}
}

static void source_digest(rl_source *s)
{
	rl_buf b = RL_BUF_INIT;

	rl_buf_printf(&b, "url=%s\npages=%d-%d%s\n", s->url ? s->url : "", s->page_first,
		      s->page_last, s->pages_auto ? " auto" : "");
	for (size_t i = 0; i < s->select.n; i++)
		rl_buf_printf(&b, "select=%s\n", s->select.v[i]);
	for (size_t i = 0; i < s->remove.n; i++)
		rl_buf_printf(&b, "remove=%s\n", s->remove.v[i]);
	for (size_t i = 0; i < s->ignore.n; i++)
		rl_buf_printf(&b, "ignore=%s\n", s->ignore.v[i]);
	rl_sha256_hex(b.ptr ? b.ptr : "", b.len, s->digest);
	rl_buf_free(&b);
}

int rl_config_new_default(rl_config **out, rl_error *err)
{
	rl_config *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	c->fetch.concurrency = 16;
	c->fetch.per_host = 2;
	c->fetch.delay_ms = 0;
	c->fetch.timeout_ms = 30000;
	c->fetch.retries = 2;
	c->fetch.max_size = 64LL * 1024 * 1024;
	c->fetch.user_agent = strdup("redline/" RL_VERSION " (+https://github.com/redline)");
	*out = c;
	return 0;
}

int rl_config_load(rl_config **out, const char *path, rl_strv *problems, rl_error *err)
{
	loader l;
	git_config *gc = NULL;
	struct stat st;
	int rc;
	char *slash;

	*out = NULL;
	memset(&l, 0, sizeof(l));
	if (stat(path, &st) < 0)
		return rl_error_set(err, errno == ENOENT ? RL_ENOTFOUND : RL_EIO,
				    "%s: cannot read configuration: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return rl_error_set(err, RL_ECONFIG, "%s: not a regular file", path);
	rc = rl_config_new_default(&l.cfg, err);
	if (rc < 0 || !l.cfg)
		return rc < 0 ? rc : RL_ENOMEM;
	l.cfg->file = strdup(path);
	l.dir = strdup(path);
	slash = l.dir ? strrchr(l.dir, '/') : NULL;
	if (slash)
		*slash = '\0';
	else {
		free(l.dir);
		l.dir = NULL;
	}
	rl_config_lines_scan(&l.lines, path);
	l.seen = strcount_new(256);
	if (!l.seen) {
		rl_config_free(l.cfg);
		rl_config_lines_free(&l.lines);
		free(l.dir);
		return rl_error_set(err, RL_ENOMEM, "%s: out of memory", path);
	}
	if (git_config_open_ondisk(&gc, path) < 0) {
		const git_error *ge = git_error_last();

		syntax_problem(&l, ge && ge->message ? ge->message : "cannot parse");
	} else {
		git_config_foreach(gc, entry_cb, &l);
		check_whole(&l);
	}
	git_config_free(gc);
	for (size_t i = 0; i < l.cfg->n_sources; i++)
		source_digest(&l.cfg->sources[i]);

	rc = 0;
	if (l.problems.n) {
		rc = rl_error_set(err, RL_ECONFIG, "%s", l.problems.v[0]);
		rl_config_free(l.cfg);
	} else {
		*out = l.cfg;
	}
	if (problems)
		rl_strv_copy(problems, &l.problems);
	rl_strv_free(&l.problems);
	strcount_free(l.seen);
	rl_config_lines_free(&l.lines);
	free(l.dir);
	return rc;
}

static void source_free(rl_source *s)
{
	free(s->id);
	free(s->title);
	free(s->url);
	rl_strv_free(&s->select);
	rl_strv_free(&s->remove);
	rl_strv_free(&s->ignore);
	rl_strv_free(&s->watch);
	rl_strv_free(&s->notify);
}

void rl_config_free(rl_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_sources; i++)
		source_free(&c->sources[i]);
	free(c->sources);
	for (size_t i = 0; i < c->n_channels; i++) {
		rl_channel *ch = &c->channels[i];

		free(ch->name);
		free(ch->webhook);
		free(ch->secret_file);
		free(ch->smtp_url);
		free(ch->from);
		rl_strv_free(&ch->to);
		free(ch->password_file);
		free(ch->exec);
	}
	free(c->channels);
	for (size_t i = 0; i < c->n_remotes; i++) {
		free(c->remotes[i].name);
		free(c->remotes[i].url);
	}
	free(c->remotes);
	rl_strv_free(&c->watch_terms);
	free(c->fetch.user_agent);
	free(c->archive_path);
	free(c->feed_path);
	free(c->file);
	free(c);
}

const rl_source *rl_config_source(const rl_config *c, const char *id)
{
	for (size_t i = 0; c && i < c->n_sources; i++)
		if (strcmp(c->sources[i].id, id) == 0)
			return &c->sources[i];
	return NULL;
}

const rl_channel *rl_config_channel(const rl_config *c, const char *name)
{
	for (size_t i = 0; c && i < c->n_channels; i++)
		if (strcmp(c->channels[i].name, name) == 0)
			return &c->channels[i];
	return NULL;
}

/* FNV-1a: stable across machines and versions, which sharding needs. */
int rl_config_in_shard(const rl_config *c, const char *id)
{
	uint32_t h = 2166136261u;

	if (!c || c->shard_n <= 1)
		return 1;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return (int)(h % (uint32_t)c->shard_n) == c->shard_k;
}

char *rl_source_page_url(const rl_source *src, int page)
{
	const char *at = strstr(src->url, "{page}");
	char *out = NULL;

	if (!at)
		return strdup(src->url);
	if (asprintf(&out, "%.*s%d%s", (int)(at - src->url), src->url, page, at + 6) < 0)
		return NULL;
	return out;
}

const char *rl_change_class_name(rl_change_class c)
{
	switch (c) {
	case RL_CLASS_COSMETIC:
		return "cosmetic";
	case RL_CLASS_WORDING:
		return "wording";
	case RL_CLASS_STRUCTURE:
		return "structure";
	default:
		return "none";
	}
}

rl_change_class rl_change_class_parse(const char *s)
{
	if (rl_streq(s, "cosmetic"))
		return RL_CLASS_COSMETIC;
	if (rl_streq(s, "wording"))
		return RL_CLASS_WORDING;
	if (rl_streq(s, "structure"))
		return RL_CLASS_STRUCTURE;
	return RL_CLASS_NONE;
}
