/* The keys of redline.conf, section by section: each value parsed and
 * checked where it is read, so a problem names its own line. */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "config-internal.h"
#include "redline/util.h"

#define PAGE_MAX 100000

char *config_resolve_path(loader *l, const char *value)
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

rl_remote *config_remote_get(loader *l, const char *name)
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
	config_problem(l, name, "'%s' is not a page range (FIRST-LAST, N, FIRST-auto or auto)", v);
}

static void check_xpath(loader *l, const char *name, const char *expr)
{
	xmlXPathCompExprPtr comp = xmlXPathCompile((const xmlChar *)expr);

	if (!comp)
		config_problem(l, name, "'%s' is not a valid XPath expression", expr);
	xmlXPathFreeCompExpr(comp);
}

static void check_regex(loader *l, const char *name, const char *expr)
{
	regex_t re;
	int rc = regcomp(&re, expr, REG_EXTENDED | REG_NOSUB);

	if (rc != 0) {
		char msg[256];

		regerror(rc, &re, msg, sizeof(msg));
		config_problem(l, name, "'%s' is not a valid regular expression: %s", expr, msg);
		return;
	}
	regfree(&re);
}

void config_source_key(loader *l, const char *name, const char *id, const char *key, const char *v)
{
	rl_source *s;
	rl_error err;

	if (rl_source_id_valid(id, &err) < 0) {
		config_problem(l, name, "%s", err.message);
		return;
	}
	s = source_get(l, id);
	if (!s)
		return;
	if (!s->line)
		s->line = rl_config_lines_find(&l->lines, name, 0);
	if (strcmp(key, "url") == 0) {
		if (!url_scheme_ok(v, 1))
			config_problem(l, name, "'%s' is not an http, https or file URL", v);
		set_str(&s->url, v);
		s->paged = strstr(v, "{page}") != NULL;
	} else if (strcmp(key, "title") == 0) {
		set_str(&s->title, v);
	} else if (strcmp(key, "pages") == 0) {
		parse_pages(l, name, s, v);
	} else if (strcmp(key, "interval") == 0) {
		if (rl_parse_duration(v, &s->interval) < 0 || s->interval <= 0)
			config_problem(l, name, "'%s' is not a duration (like 30s, 15m, 6h, 1d)",
				       v);
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
			config_problem(l, name, "a watched term cannot be empty");
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
			config_problem(l, name, "'%s' is not 'changes' or 'always'", v);
	} else {
		config_problem(l, name,
			       "unknown key '%s' in [source \"%s\"] (url, pages, title, interval, "
			       "select, remove, ignore, watch, notify, keep-raw)",
			       key, id);
	}
}

void config_notify_key(loader *l, const char *name, const char *chan, const char *key,
		       const char *v)
{
	rl_channel *c = channel_get(l, chan);

	if (!c)
		return;
	if (!c->line)
		c->line = rl_config_lines_find(&l->lines, name, 0);
	if (strcmp(key, "webhook") == 0) {
		if (!url_scheme_ok(v, 0))
			config_problem(l, name, "'%s' is not an http or https URL", v);
		set_str(&c->webhook, v);
	} else if (strcmp(key, "secret-file") == 0) {
		free(c->secret_file);
		c->secret_file = config_resolve_path(l, v);
	} else if (strcmp(key, "smtp-url") == 0) {
		if (strncmp(v, "smtp://", 7) != 0 && strncmp(v, "smtps://", 8) != 0)
			config_problem(l, name, "'%s' is not an smtp:// or smtps:// URL", v);
		set_str(&c->smtp_url, v);
	} else if (strcmp(key, "from") == 0) {
		set_str(&c->from, v);
	} else if (strcmp(key, "to") == 0) {
		rl_strv_push(&c->to, v);
	} else if (strcmp(key, "password-file") == 0) {
		free(c->password_file);
		c->password_file = config_resolve_path(l, v);
	} else if (strcmp(key, "exec") == 0) {
		if (!*v)
			config_problem(l, name, "exec needs a program");
		set_str(&c->exec, v);
	} else if (strcmp(key, "min-change") == 0) {
		c->min_change = rl_change_class_parse(v);
		if (c->min_change == RL_CLASS_NONE) {
			config_problem(l, name, "'%s' is not cosmetic, wording or structure", v);
			c->min_change = RL_CLASS_WORDING;
		}
	} else {
		config_problem(l, name,
			       "unknown key '%s' in [notify \"%s\"] (webhook, secret-file, "
			       "smtp-url, from, to, password-file, exec, min-change)",
			       key, chan);
	}
}

void config_fetch_key(loader *l, const char *name, const char *key, const char *v)
{
	rl_fetch_settings *f = &l->cfg->fetch;
	int64_t d;

	if (strcmp(key, "concurrency") == 0) {
		if (parse_int(v, 1, 1024, &f->concurrency) < 0)
			config_problem(l, name, "'%s' is not a number from 1 to 1024", v);
	} else if (strcmp(key, "per-host") == 0) {
		if (parse_int(v, 1, 256, &f->per_host) < 0)
			config_problem(l, name, "'%s' is not a number from 1 to 256", v);
	} else if (strcmp(key, "delay") == 0) {
		if (rl_parse_duration(v, &d) < 0)
			config_problem(l, name, "'%s' is not a duration (like 0s, 1s, 2m)", v);
		else
			f->delay_ms = d * 1000;
	} else if (strcmp(key, "timeout") == 0) {
		if (rl_parse_duration(v, &d) < 0 || d <= 0)
			config_problem(l, name, "'%s' is not a duration (like 30s, 2m)", v);
		else
			f->timeout_ms = d * 1000;
	} else if (strcmp(key, "retries") == 0) {
		if (parse_int(v, 0, 20, &f->retries) < 0)
			config_problem(l, name, "'%s' is not a number from 0 to 20", v);
	} else if (strcmp(key, "max-size") == 0) {
		if (rl_parse_size(v, &f->max_size) < 0 || f->max_size <= 0)
			config_problem(l, name, "'%s' is not a size (like 512KiB, 64MiB, 1GiB)", v);
	} else if (strcmp(key, "user-agent") == 0) {
		if (!*v)
			config_problem(l, name, "user-agent cannot be empty");
		else
			set_str(&f->user_agent, v);
	} else {
		config_problem(l, name,
			       "unknown key '%s' in [fetch] (concurrency, per-host, delay, "
			       "timeout, retries, max-size, user-agent)",
			       key);
	}
}

void config_simple_key(loader *l, const char *name, const char *section, const char *key,
		       const char *v)
{
	rl_config *c = l->cfg;

	if (strcmp(section, "archive") == 0 && strcmp(key, "path") == 0) {
		free(c->archive_path);
		c->archive_path = config_resolve_path(l, v);
	} else if (strcmp(section, "watch") == 0 && strcmp(key, "term") == 0) {
		if (!*v)
			config_problem(l, name, "a watched term cannot be empty");
		else
			rl_strv_push(&c->watch_terms, v);
	} else if (strcmp(section, "feed") == 0 && strcmp(key, "path") == 0) {
		free(c->feed_path);
		c->feed_path = config_resolve_path(l, v);
	} else if (strcmp(section, "daemon") == 0 && strcmp(key, "shard") == 0) {
		char *slash = strchr(v, '/'),
		     *kstr = slash ? rl_strndup(v, (size_t)(slash - v)) : NULL;
		int k = -1, n = 0;

		if (!kstr || parse_int(kstr, 0, 1 << 20, &k) < 0 ||
		    parse_int(slash + 1, 1, 1 << 20, &n) < 0 || k >= n)
			k = -1;
		free(kstr);
		if (k < 0)
			config_problem(l, name, "'%s' is not a shard K/N with 0 <= K < N", v);
		else {
			c->shard_k = k;
			c->shard_n = n;
		}
	} else if (strcmp(section, "include") == 0 || strcmp(section, "includeif") == 0) {
		/* libgit2 follows includes itself. */
	} else {
		config_problem(l, name, "unknown key '%s' in [%s]", key, section);
	}
}
