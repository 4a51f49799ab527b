/* The history index of a source (history-internal.h for its format):
 * loading and checking it, bringing it up to the branch tip, writing it
 * back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "history-internal.h"
#include "redline/util.h"

/* Past this, a record is taken for damage, not data. */
#define RECORD_MAX ((size_t)1 << 30)

static int parse_size(const char **p, const char *end, size_t *out)
{
	size_t v = 0;
	const char *s = *p;

	if (s >= end || *s < '0' || *s > '9')
		return -1;
	while (s < end && *s >= '0' && *s <= '9') {
		v = v * 10 + (size_t)(*s++ - '0');
		if (v > RECORD_MAX)
			return -1;
	}
	*p = s;
	*out = v;
	return 0;
}

static int expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -1;
	(*p)++;
	return 0;
}

/* 40 hex digits, or "-" for none. */
static int parse_oid(const char **p, const char *end, char out[RL_OID_HEX + 1])
{
	const char *s = *p;

	if (s < end && *s == '-') {
		out[0] = '\0';
		*p = s + 1;
		return 0;
	}
	if (end - s < RL_OID_HEX)
		return -1;
	for (int i = 0; i < RL_OID_HEX; i++)
		if (!strchr("0123456789abcdef", s[i]) || !s[i])
			return -1;
	memcpy(out, s, RL_OID_HEX);
	out[RL_OID_HEX] = '\0';
	*p = s + RL_OID_HEX;
	return 0;
}

/* A lowercase word, or "-" for none. */
static int parse_word(const char **p, const char *end, char out[HISTORY_CHANGE_MAX])
{
	size_t n = 0;

	if (*p < end && **p == '-') {
		out[0] = '\0';
		(*p)++;
		return 0;
	}
	while (*p < end && **p >= 'a' && **p <= 'z' && n + 1 < HISTORY_CHANGE_MAX)
		out[n++] = *(*p)++;
	out[n] = '\0';
	return n ? 0 : -1;
}

int history_next(const char *p, size_t len, size_t *at, hrec *out)
{
	const char *s = p + *at, *end = p + len;

	memset(out, 0, sizeof(*out));
	if (s == end)
		return 0;
	out->kind = *s;
	if (*s == '@') {
		size_t n;

		s++;
		if (expect(&s, end, ' ') < 0 || parse_size(&s, end, &n) < 0 ||
		    expect(&s, end, '\n') < 0)
			return -1;
		out->lines = s;
		out->n_lines = n;
		for (size_t i = 0; i < n; i++) {
			const char *nl = s < end ? memchr(s, '\n', (size_t)(end - s)) : NULL;

			if (!nl || (*s != ' ' && *s != '-' && *s != '+'))
				return -1;
			s = nl + 1;
		}
		out->lines_len = (size_t)(s - out->lines);
	} else if (*s == 'E') {
		size_t total = 0;

		s++;
		if (expect(&s, end, ' ') < 0 || s >= end || !strchr("awlmr", *s) || !*s)
			return -1;
		out->ekind = *s++;
		for (int i = 0; i < 5; i++) {
			if (expect(&s, end, ' ') < 0 || parse_size(&s, end, &out->fl[i]) < 0)
				return -1;
			total += out->fl[i];
		}
		if (expect(&s, end, '\n') < 0 || (size_t)(end - s) < total + 1)
			return -1;
		for (int i = 0; i < 5; i++) {
			out->f[i] = s;
			s += out->fl[i];
		}
		if (expect(&s, end, '\n') < 0)
			return -1;
	} else {
		return -1;
	}
	*at = (size_t)(s - p);
	return 1;
}

static int push_version(rl_history *h, const hver *v)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 256;
		hver *nv = realloc(h->v, cap * sizeof(*nv));

		if (!nv)
			return -1;
		h->v = nv;
		h->cap = cap;
	}
	h->v[h->n++] = *v;
	return 0;
}

int history_parse(rl_history *h)
{
	const char *base = h->buf.ptr, *p, *end = h->buf.ptr + h->buf.len;
	size_t ml = strlen(HISTORY_MAGIC);

	h->n = 0;
	if (h->buf.len < ml || memcmp(base, HISTORY_MAGIC, ml) != 0)
		return -1;
	for (p = base + ml; p < end;) {
		hver v;
		long long t = 0;
		int neg = 0;
		size_t at = 0;
		hrec r;
		int rc;

		memset(&v, 0, sizeof(v));
		if (expect(&p, end, 'V') < 0 || expect(&p, end, ' ') < 0 ||
		    parse_oid(&p, end, v.commit) < 0 || !v.commit[0] || expect(&p, end, ' ') < 0)
			return -1;
		if (p < end && *p == '-') {
			neg = 1;
			p++;
		}
		if (p >= end || *p < '0' || *p > '9')
			return -1;
		while (p < end && *p >= '0' && *p <= '9' && t < (1LL << 50))
			t = t * 10 + (*p++ - '0');
		v.time = neg ? -t : t;
		if (expect(&p, end, ' ') < 0 || parse_word(&p, end, v.change) < 0 ||
		    expect(&p, end, ' ') < 0 || parse_oid(&p, end, v.text_blob) < 0 ||
		    expect(&p, end, ' ') < 0 || parse_oid(&p, end, v.struct_blob) < 0 ||
		    expect(&p, end, ' ') < 0 || parse_size(&p, end, &v.payload_len) < 0 ||
		    expect(&p, end, '\n') < 0 || (size_t)(end - p) < v.payload_len)
			return -1;
		v.payload = (size_t)(p - base);
		/* every record of the payload must read */
		while ((rc = history_next(p, v.payload_len, &at, &r)) > 0)
			;
		if (rc < 0 || push_version(h, &v) < 0)
			return -1;
		p += v.payload_len;
	}
	return 0;
}

static void reset(rl_history *h)
{
	rl_buf_reset(&h->buf);
	rl_buf_puts(&h->buf, HISTORY_MAGIC);
	h->n = 0;
	h->info.rebuilt = 1;
}

/* Commits from the tip back to (not including) stop, or to the root when
 * stop is "" or not met; newest first. *met says whether stop was met. */
static int walk(git_repository *repo, const char *tip, const char *stop,
		char (**out)[RL_OID_HEX + 1], size_t *n, int *met, rl_error *err)
{
	git_oid id;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	*met = 0;
	if (git_oid_fromstr(&id, tip) < 0)
		return rl_error_from_git(err, "history: bad tip %s", tip);
	for (;;) {
		git_commit *c = NULL;
		char hex[RL_OID_HEX + 1];

		git_oid_tostr(hex, sizeof(hex), &id);
		if (stop[0] && strcmp(hex, stop) == 0) {
			*met = 1;
			return 0;
		}
		if (*n == cap) {
			char(*v)[RL_OID_HEX + 1] =
			    realloc(*out, (cap = cap ? cap * 2 : 256) * sizeof(*v));

			if (!v)
				return rl_error_set(err, RL_ENOMEM, "out of memory");
			*out = v;
		}
		memcpy((*out)[(*n)++], hex, sizeof(hex));
		if (git_commit_lookup(&c, repo, &id) < 0)
			return rl_error_from_git(err, "history: commit %s", hex);
		if (git_commit_parentcount(c) == 0) {
			git_commit_free(c);
			return 0;
		}
		id = *git_commit_parent_id(c, 0);
		git_commit_free(c);
	}
}

static int update(rl_history *h, rl_error *err)
{
	char tip[RL_OID_HEX + 1], (*list)[RL_OID_HEX + 1] = NULL;
	size_t n = 0;
	int met = 0, rc;

	rc = rl_archive_tip(h->archive, h->source, tip, err);
	if (rc < 0)
		return rc;
	if (h->n && strcmp(h->v[h->n - 1].commit, tip) == 0)
		return 0;
	rc = walk(rl_archive_repo(h->archive), tip, h->n ? h->v[h->n - 1].commit : "", &list, &n,
		  &met, err);
	if (rc == 0 && h->n && !met)
		reset(h); /* the branch no longer holds what was indexed */
	if (rc == 0) {
		/* oldest first */
		for (size_t i = 0; i < n / 2; i++) {
			char t[RL_OID_HEX + 1];

			memcpy(t, list[i], sizeof(t));
			memcpy(list[i], list[n - 1 - i], sizeof(t));
			memcpy(list[n - 1 - i], t, sizeof(t));
		}
		rc = history_build(h, list, n, err);
	}
	free(list);
	if (rc == 0 && history_parse(h) < 0)
		rc = rl_error_set(err, RL_ERROR, "history: the index of '%s' does not read back",
				  h->source);
	if (rc == 0) {
		/* A cache that cannot be written costs the next query a rebuild,
		 * nothing more. */
		char *dir = strdup(h->path);
		char *slash = dir ? strrchr(dir, '/') : NULL;

		if (slash) {
			*slash = '\0';
			if (rl_mkdir_p(dir, 0755, NULL) == 0)
				rl_file_write_atomic(h->path, h->buf.ptr, h->buf.len, NULL);
		}
		free(dir);
	}
	return rc;
}

int rl_history_open(rl_history **out, rl_archive *a, const char *source, rl_error *err)
{
	rl_history *h = calloc(1, sizeof(*h));
	int rc;

	*out = NULL;
	if (!h)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	h->archive = a;
	h->source = strdup(source);
	if (!h->source ||
	    asprintf(&h->path, "%s/cache/history/%s", rl_archive_state_dir(a), source) < 0) {
		h->path = NULL;
		rl_history_free(h);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	if (rl_file_read(h->path, &h->buf, NULL) < 0 || history_parse(h) < 0)
		reset(h);
	rc = update(h, err);
	if (rc < 0) {
		rl_history_free(h);
		return rc;
	}
	h->info.versions = h->n;
	h->info.index_bytes = h->buf.len;
	*out = h;
	return 0;
}

int rl_history_update(rl_archive *a, const char *source, rl_error *err)
{
	rl_history *h = NULL;
	int rc = rl_history_open(&h, a, source, err);

	rl_history_free(h);
	return rc;
}

void rl_history_free(rl_history *h)
{
	if (!h)
		return;
	free(h->source);
	free(h->path);
	rl_buf_free(&h->buf);
	free(h->v);
	free(h);
}

void rl_history_info_get(const rl_history *h, rl_history_info *out)
{
	*out = h->info;
}

void rl_history_events_free(rl_history_events *e)
{
	for (size_t i = 0; e && i < e->n; i++) {
		free(e->v[i].text);
		free(e->v[i].label);
		free(e->v[i].old_label);
		free(e->v[i].old_text);
	}
	if (e) {
		free(e->v);
		e->v = NULL;
		e->n = 0;
	}
}
