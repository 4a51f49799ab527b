/* redline.conf: read with libgit2's config parser, validated key by key.
 * Every problem is collected with FILE:LINE: KEY so `redline config check`
 * can list them all at once. */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>
#include <libxml/xpath.h>

#include "config-lines.h"
#include "redline/config.h"
#include "redline/util.h"

#define PAGE_MAX 100000

typedef struct loader {
	rl_config *cfg;
	rl_strv problems;
	rl_config_lines lines;
	rl_strv seen; /* names seen, for the nth occurrence of multivars */
	char *dir;    /* directory of the file, for relative paths */
} loader;

static void problem(loader *l, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(loader *l, const char *name, const char *fmt, ...)
{
	char msg[768];
	size_t nth = 0;
	int line;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < l->seen.n; i++)
		if (strcmp(l->seen.v[i], name) == 0)
			nth++;
	line = rl_config_lines_find(&l->lines, name, nth ? nth - 1 : 0);
	if (line)
		rl_strv_pushf(&l->problems, "%s:%d: %s: %s", l->cfg->file, line, name, msg);
	else
		rl_strv_pushf(&l->problems, "%s: %s: %s", l->cfg->file, name, msg);
}

static char *resolve_path(loader *l, const char *value)
{
	char *out = NULL;

	if (value[0] == '/' || !l->dir)
		return strdup(value);
	if (asprintf(&out, "%s/%s", l->dir, value) < 0)
		return NULL;
	return out;
}

static void set_str(char **slot, const char *value)
{
	free(*slot);
	*slot = rl_strdup(value);
}

static int url_scheme_ok(const char *url, int allow_file)
{
	return strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0 ||
	       (allow_file && strncmp(url, "file://", 7) == 0);
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* --- sections ------------------------------------------------------------- */

static rl_source *source_get(loader *l, const char *id)
{
	rl_config *c = l->cfg;
	rl_source *s;

	for (size_t i = 0; i < c->n_sources; i++)
		if (strcmp(c->sources[i].id, id) == 0)
			return &c->sources[i];
	s = realloc(c->sources, (c->n_sources + 1) * sizeof(*s));
	if (!s)
		return NULL;
	c->sources = s;
	s = &c->sources[c->n_sources++];
	memset(s, 0, sizeof(*s));
	s->id = strdup(id);
	s->interval = (int64_t)6 * 3600;
	s->page_first = s->page_last = 0;
	return s;
}

static rl_channel *channel_get(loader *l, const char *name)
{
	rl_config *c = l->cfg;
	rl_channel *ch;

	for (size_t i = 0; i < c->n_channels; i++)
		if (strcmp(c->channels[i].name, name) == 0)
			return &c->channels[i];
	ch = realloc(c->channels, (c->n_channels + 1) * sizeof(*ch));
	if (!ch)
		return NULL;
	c->channels = ch;
	ch = &c->channels[c->n_channels++];
	memset(ch, 0, sizeof(*ch));
	ch->name = strdup(name);
	ch->min_change = RL_CLASS_WORDING;
	return ch;
}

static rl_remote *remote_get(loader *l, const char *name)
{
	rl_config *c = l->cfg;
	rl_remote *r;

	for (size_t i = 0; i < c->n_remotes; i++)
		if (strcmp(c->remotes[i].name, name) == 0)
			return &c->remotes[i];
	r = realloc(c->remotes, (c->n_remotes + 1) * sizeof(*r));
	if (!r)
		return NULL;
	c->remotes = r;
	r = &c->remotes[c->n_remotes++];
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	return r;
}

static void parse_pages(loader *l, const char *name, rl_source *s, const char *v)
{
	int a, b;
	char *dash;

	if (strcmp(v, "auto") == 0) {
		s->pages_auto = 1;
		s->page_first = 1;
		s->page_last = 0;
		return;
	}
	dash = strchr(v, '-');
	if (!dash) {
		if (parse_int(v, 0, PAGE_MAX, &a) == 0) {
			s->page_first = s->page_last = a;
			return;
		}
	} else {
		char *first = rl_strndup(v, (size_t)(dash - v));
		int ok = first && parse_int(first, 0, PAGE_MAX, &a) == 0;

		free(first);
		if (ok && strcmp(dash + 1, "auto") == 0) {
			s->pages_auto = 1;
			s->page_first = a;
			s->page_last = 0;
			return;
		}
		if (ok && parse_int(dash + 1, 0, PAGE_MAX, &b) == 0 && a <= b) {
			s->page_first = a;
			s->page_last = b;
			return;
		}
	}
	problem(l, name, "'%s' is not a page range (FIRST-LAST, N, FIRST-auto or auto)", v);
}

static void check_xpath(loader *l, const char *name, const char *expr)
{
	xmlXPathCompExprPtr comp = xmlXPathCompile((const xmlChar *)expr);

	if (!comp)
		problem(l, name, "'%s' is not a valid XPath expression", expr);
	xmlXPathFreeCompExpr(comp);
}

static void check_regex(loader *l, const char *name, const char *expr)
{
	regex_t re;
	int rc = regcomp(&re, expr, REG_EXTENDED | REG_NOSUB);

	if (rc != 0) {
		char msg[256];

		regerror(rc, &re, msg, sizeof(msg));
		problem(l, name, "'%s' is not a valid regular expression: %s", expr, msg);
		return;
	}
	regfree(&re);
}

static void source_key(loader *l, const char *name, const char *id, const char *key, const char *v)
{
	rl_source *s;
	rl_error err;

	if (rl_source_id_valid(id, &err) < 0) {
		problem(l, name, "%s", err.message);
		return;
	}
	s = source_get(l, id);
	if (!s)
		return;
	if (!s->line)
		s->line = rl_config_lines_find(&l->lines, name, 0);
	if (strcmp(key, "url") == 0) {
		if (!url_scheme_ok(v, 1))
			problem(l, name, "'%s' is not an http, https or file URL", v);
		set_str(&s->url, v);
		s->paged = strstr(v, "{page}") != NULL;
	} else if (strcmp(key, "title") == 0) {
		set_str(&s->title, v);
	} else if (strcmp(key, "pages") == 0) {
		parse_pages(l, name, s, v);
	} else if (strcmp(key, "interval") == 0) {
		if (rl_parse_duration(v, &s->interval) < 0 || s->interval <= 0)
			problem(l, name, "'%s' is not a duration (like 30s, 15m, 6h, 1d)", v);
	} else if (strcmp(key, "select") == 0) {
		check_xpath(l, name, v);
		rl_strv_push(&s->select, v);
	} else if (strcmp(key, "remove") == 0) {
		check_xpath(l, name, v);
		rl_strv_push(&s->remove, v);
	} else if (strcmp(key, "ignore") == 0) {
		check_regex(l, name, v);
		rl_strv_push(&s->ignore, v);
	} else if (strcmp(key, "watch") == 0) {
		if (!*v)
			problem(l, name, "a watched term cannot be empty");
		else
			rl_strv_push(&s->watch, v);
	} else if (strcmp(key, "notify") == 0) {
		rl_strv_push(&s->notify, v);
	} else if (strcmp(key, "keep-raw") == 0) {
		if (strcmp(v, "always") == 0)
			s->keep_raw_always = 1;
		else if (strcmp(v, "changes") == 0)
			s->keep_raw_always = 0;
		else
			problem(l, name, "'%s' is not 'changes' or 'always'", v);
	} else {
		problem(l, name,
			"unknown key '%s' in [source \"%s\"] (url, pages, title, interval, "
			"select, remove, ignore, watch, notify, keep-raw)",
			key, id);
	}
}

static void notify_key(loader *l, const char *name, const char *chan, const char *key,
		       const char *v)
{
	rl_channel *c = channel_get(l, chan);

	if (!c)
		return;
	if (!c->line)
		c->line = rl_config_lines_find(&l->lines, name, 0);
	if (strcmp(key, "webhook") == 0) {
		if (!url_scheme_ok(v, 0))
			problem(l, name, "'%s' is not an http or https URL", v);
		set_str(&c->webhook, v);
	} else if (strcmp(key, "secret-file") == 0) {
		free(c->secret_file);
		c->secret_file = resolve_path(l, v);
	} else if (strcmp(key, "smtp-url") == 0) {
		if (strncmp(v, "smtp://", 7) != 0 && strncmp(v, "smtps://", 8) != 0)
			problem(l, name, "'%s' is not an smtp:// or smtps:// URL", v);
		set_str(&c->smtp_url, v);
	} else if (strcmp(key, "from") == 0) {
		set_str(&c->from, v);
	} else if (strcmp(key, "to") == 0) {
		rl_strv_push(&c->to, v);
	} else if (strcmp(key, "password-file") == 0) {
		free(c->password_file);
		c->password_file = resolve_path(l, v);
	} else if (strcmp(key, "exec") == 0) {
		if (!*v)
			problem(l, name, "exec needs a program");
		set_str(&c->exec, v);
	} else if (strcmp(key, "min-change") == 0) {
		c->min_change = rl_change_class_parse(v);
		if (c->min_change == RL_CLASS_NONE) {
			problem(l, name, "'%s' is not cosmetic, wording or structure", v);
			c->min_change = RL_CLASS_WORDING;
		}
	} else {
		problem(l, name,
			"unknown key '%s' in [notify \"%s\"] (webhook, secret-file, "
			"smtp-url, from, to, password-file, exec, min-change)",
			key, chan);
	}
}

static void fetch_key(loader *l, const char *name, const char *key, const char *v)
{
	rl_fetch_settings *f = &l->cfg->fetch;
	int64_t d;

	if (strcmp(key, "concurrency") == 0) {
		if (parse_int(v, 1, 1024, &f->concurrency) < 0)
			problem(l, name, "'%s' is not a number from 1 to 1024", v);
	} else if (strcmp(key, "per-host") == 0) {
		if (parse_int(v, 1, 256, &f->per_host) < 0)
			problem(l, name, "'%s' is not a number from 1 to 256", v);
	} else if (strcmp(key, "delay") == 0) {
		if (rl_parse_duration(v, &d) < 0)
			problem(l, name, "'%s' is not a duration (like 0s, 1s, 2m)", v);
		else
			f->delay_ms = d * 1000;
	} else if (strcmp(key, "timeout") == 0) {
		if (rl_parse_duration(v, &d) < 0 || d <= 0)
			problem(l, name, "'%s' is not a duration (like 30s, 2m)", v);
		else
			f->timeout_ms = d * 1000;
	} else if (strcmp(key, "retries") == 0) {
		if (parse_int(v, 0, 20, &f->retries) < 0)
			problem(l, name, "'%s' is not a number from 0 to 20", v);
	} else if (strcmp(key, "max-size") == 0) {
		if (rl_parse_size(v, &f->max_size) < 0 || f->max_size <= 0)
			problem(l, name, "'%s' is not a size (like 512KiB, 64MiB, 1GiB)", v);
	} else if (strcmp(key, "user-agent") == 0) {
		if (!*v)
			problem(l, name, "user-agent cannot be empty");
		else
			set_str(&f->user_agent, v);
	} else {
		problem(l, name,
			"unknown key '%s' in [fetch] (concurrency, per-host, delay, "
			"timeout, retries, max-size, user-agent)",
			key);
	}
}

static void simple_key(loader *l, const char *name, const char *section, const char *key,
		       const char *v)
{
	rl_config *c = l->cfg;

	if (strcmp(section, "archive") == 0 && strcmp(key, "path") == 0) {
		free(c->archive_path);
		c->archive_path = resolve_path(l, v);
	} else if (strcmp(section, "watch") == 0 && strcmp(key, "term") == 0) {
		if (!*v)
			problem(l, name, "a watched term cannot be empty");
		else
			rl_strv_push(&c->watch_terms, v);
	} else if (strcmp(section, "feed") == 0 && strcmp(key, "path") == 0) {
		free(c->feed_path);
		c->feed_path = resolve_path(l, v);
	} else if (strcmp(section, "daemon") == 0 && strcmp(key, "shard") == 0) {
		char *slash = strchr(v, '/'),
		     *kstr = slash ? rl_strndup(v, (size_t)(slash - v)) : NULL;
		int k = -1, n = 0;

		if (!kstr || parse_int(kstr, 0, 1 << 20, &k) < 0 ||
		    parse_int(slash + 1, 1, 1 << 20, &n) < 0 || k >= n)
			k = -1;
		free(kstr);
		if (k < 0)
			problem(l, name, "'%s' is not a shard K/N with 0 <= K < N", v);
		else {
			c->shard_k = k;
			c->shard_n = n;
		}
	} else if (strcmp(section, "include") == 0 || strcmp(section, "includeif") == 0) {
		/* libgit2 follows includes itself. */
	} else {
		problem(l, name, "unknown key '%s' in [%s]", key, section);
	}
}

static int entry_cb(const git_config_entry *e, void *payload)
{
	loader *l = payload;
	const char *name = e->name, *v = e->value ? e->value : "";
	const char *dot1 = strchr(name, '.'), *dotn = strrchr(name, '.');
	char *section, *sub = NULL;
	const char *key;

	rl_strv_push(&l->seen, name);
	if (!dot1)
		return 0;
	section = rl_strndup(name, (size_t)(dot1 - name));
	key = dotn + 1;
	if (dotn > dot1)
		sub = rl_strndup(dot1 + 1, (size_t)(dotn - dot1 - 1));
	if (!section || (dotn > dot1 && !sub))
		goto out;
	if (strcmp(section, "source") == 0 || strcmp(section, "notify") == 0 ||
	    strcmp(section, "remote") == 0) {
		if (!sub) {
			problem(l, name, "[%s] needs a name: [%s \"NAME\"]", section, section);
		} else if (section[0] == 's') {
			source_key(l, name, sub, key, v);
		} else if (section[0] == 'n') {
			notify_key(l, name, sub, key, v);
		} else if (strcmp(key, "url") == 0) {
			rl_remote *r = remote_get(l, sub);

			if (r)
				set_str(&r->url, v);
		} else {
			problem(l, name, "unknown key '%s' in [remote \"%s\"] (url)", key, sub);
		}
	} else if (sub) {
		problem(l, name, "unknown section [%s \"%s\"]", section, sub);
	} else if (strcmp(section, "fetch") == 0) {
		fetch_key(l, name, key, v);
	} else if (strcmp(section, "archive") == 0 || strcmp(section, "watch") == 0 ||
		   strcmp(section, "feed") == 0 || strcmp(section, "daemon") == 0 ||
		   strcmp(section, "include") == 0 || strcmp(section, "includeif") == 0) {
		simple_key(l, name, section, key, v);
	} else {
		problem(l, name,
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
		rl_strv_pushf(&l->problems, "%s:%ld: %.*s", l->cfg->file, line, (int)(in - what), what);
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
			problem(l, name, "source '%s' has no url", s->id);
			continue;
		}
		snprintf(name, sizeof(name), "source.%s.pages", s->id);
		if (s->paged && !s->pages_auto && s->page_last == 0 && s->page_first == 0)
			problem(l, name,
				"the url has {page}: pages is required (like 1-412 or auto)");
		if (!s->paged && (s->pages_auto || s->page_last))
			problem(l, name, "pages is set but the url has no {page}");
		for (size_t j = 0; j < s->notify.n; j++) {
			snprintf(name, sizeof(name), "source.%s.notify", s->id);
			if (!rl_config_channel(c, s->notify.v[j]))
				problem(l, name, "no [notify \"%s\"] section", s->notify.v[j]);
		}
	}
	for (size_t i = 0; i < c->n_channels; i++) {
		rl_channel *ch = &c->channels[i];

		snprintf(name, sizeof(name), "notify.%s.webhook", ch->name);
		if (!ch->webhook && !ch->smtp_url && !ch->exec)
			problem(l, name, "channel '%s' needs webhook, smtp-url or exec", ch->name);
		if (ch->smtp_url && (!ch->from || ch->to.n == 0)) {
			snprintf(name, sizeof(name), "notify.%s.smtp-url", ch->name);
			problem(l, name, "e-mail needs from and at least one to");
		}
	}
	for (size_t i = 0; i < c->n_remotes; i++) {
		snprintf(name, sizeof(name), "remote.%s.url", c->remotes[i].name);
		if (!c->remotes[i].url || !*c->remotes[i].url)
			problem(l, name, "remote '%s' has no url", c->remotes[i].name);
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
	rl_strv_free(&l.seen);
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
