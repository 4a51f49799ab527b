/* Queries over the history index: where a phrase's count changed, where
 * a principle changed.
 *
 * A phrase's count in a version is its count in the version before plus,
 * for each hunk, the matches on the hunk's new side less those on its old
 * side: a match that touches no changed line is on both sides or on
 * neither, so it cancels. The first version's hunk is its whole text, so
 * the counts start right. A phrase longer than the hunks' context could
 * span past it; such a phrase is counted in each version's text instead,
 * read once per distinct text.md blob. */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "history-internal.h"
#include "redline/util.h"
#include "redline/watch.h"

/* One side of a hunk as text, with where each of its lines starts and
 * whether the line is a change ('-' or '+') or context. */
typedef struct hside {
	rl_buf text;
	size_t *start;
	char *changed;
	size_t n, cap;
} hside;

static int side_add(hside *s, const char *line, size_t len, int changed)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		size_t *st = realloc(s->start, cap * sizeof(*st));
		char *ch = st ? realloc(s->changed, cap) : NULL;

		if (st)
			s->start = st;
		if (!ch)
			return -1;
		s->changed = ch;
		s->cap = cap;
	}
	s->start[s->n] = s->text.len;
	s->changed[s->n++] = (char)changed;
	rl_buf_put(&s->text, line, len);
	rl_buf_putc(&s->text, '\n');
	return s->text.failed ? -1 : 0;
}

static void side_reset(hside *s)
{
	rl_buf_reset(&s->text);
	s->n = 0;
}

static void side_free(hside *s)
{
	rl_buf_free(&s->text);
	free(s->start);
	free(s->changed);
}

static size_t line_at(const hside *s, size_t off)
{
	size_t lo = 0, hi = s->n;

	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The sentence(s) of a match: its lines joined by a space. */
static char *sentence(const hside *s, size_t at, size_t end)
{
	size_t a, b = end;
	char *out;

	if (!s->text.ptr || !s->n)
		return strdup("");
	a = s->start[line_at(s, at)];
	while (b < s->text.len && s->text.ptr[b] != '\n')
		b++;
	out = strndup(s->text.ptr + a, b - a);
	for (char *p = out; p && *p; p++)
		if (*p == '\n')
			*p = ' ';
	return out;
}

/* Counts on one side; *first gets the sentence of the first match that
 * starts on a changed line (unless it has one). */
static int count_side(const hside *s, const char *phrase, size_t *count, char **first,
		      rl_error *err)
{
	size_t *at = NULL, *end = NULL, n = 0;
	int rc =
	    rl_watch_find(s->text.ptr ? s->text.ptr : "", s->text.len, phrase, &at, &end, &n, err);

	*count = n;
	for (size_t i = 0; rc == 0 && i < n && !*first; i++)
		if (s->changed[line_at(s, at[i])] && !(*first = sentence(s, at[i], end[i])))
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	free(at);
	free(end);
	return rc;
}

static int push_event(rl_history_events *out, const hver *v, const char *event)
{
	rl_history_event *nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
	rl_history_event *e;

	if (!nv)
		return -1;
	out->v = nv;
	e = &nv[out->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->commit, v->commit, sizeof(e->commit));
	memcpy(e->change, v->change, sizeof(e->change));
	e->time = v->time;
	e->event = event;
	return 0;
}

static const char *phrase_event(size_t before, size_t after)
{
	if (before == 0)
		return "appeared";
	if (after == 0)
		return "disappeared";
	return after > before ? "more" : "fewer";
}

/* The change in count over one version's hunks. */
static int version_delta(const rl_history *h, const hver *v, const char *phrase, hside *o, hside *n,
			 long *delta, char **gained, char **lost, rl_error *err)
{
	const char *p = h->buf.ptr + v->payload;
	size_t at = 0;
	hrec r;
	int rc = 0;

	*delta = 0;
	while (rc == 0 && history_next(p, v->payload_len, &at, &r) > 0) {
		const char *l = r.lines, *end = r.lines + r.lines_len;
		size_t co = 0, cn = 0;

		if (r.kind != '@')
			continue;
		side_reset(o);
		side_reset(n);
		while (rc == 0 && l < end) {
			const char *nl = memchr(l, '\n', (size_t)(end - l));
			size_t len = (size_t)(nl - l) - 1;

			if (*l != '+')
				rc = side_add(o, l + 1, len, *l == '-');
			if (rc == 0 && *l != '-')
				rc = side_add(n, l + 1, len, *l == '+');
			l = nl + 1;
		}
		if (rc < 0)
			return rl_error_set(err, RL_ENOMEM, "out of memory");
		rc = count_side(o, phrase, &co, lost, err);
		if (rc == 0)
			rc = count_side(n, phrase, &cn, gained, err);
		*delta += (long)cn - (long)co;
	}
	return rc;
}

static int phrase_words(const char *phrase)
{
	int n = 0, in = 0;

	for (const char *p = phrase; *p; p++) {
		int space = *p == ' ' || *p == '\t' || *p == '\n';

		n += !space && !in;
		in = !space;
	}
	return n;
}

/* Long phrases: counts of whole texts, one per distinct blob. */
static int slow_counts(rl_history *h, const char *phrase, rl_history_events *out, rl_error *err)
{
	git_repository *repo = rl_archive_repo(h->archive);
	git_blob *prev = NULL;
	char prev_id[RL_OID_HEX + 1] = "";
	int rc = 0;

	for (size_t i = 0; i < h->n && rc == 0; i++) {
		const hver *v = &h->v[i];
		git_blob *cur = NULL;
		git_oid id;
		rl_watch_hit *hit = NULL;
		size_t nh = 0;
		rl_strv terms = RL_STRV_INIT;

		if (strcmp(v->text_blob, prev_id) == 0 && i > 0)
			continue;
		if (v->text_blob[0] && (git_oid_fromstr(&id, v->text_blob) < 0 ||
					git_blob_lookup(&cur, repo, &id) < 0)) {
			rc = rl_error_from_git(err, "history: blob %.12s", v->text_blob);
			break;
		}
		if (rl_strv_push(&terms, phrase) < 0)
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		if (rc == 0)
			rc = rl_watch_compare(&hit, &nh, prev ? git_blob_rawcontent(prev) : "",
					      prev ? (size_t)git_blob_rawsize(prev) : 0,
					      cur ? git_blob_rawcontent(cur) : "",
					      cur ? (size_t)git_blob_rawsize(cur) : 0, &terms, err);
		if (rc == 0 && nh) {
			if (push_event(out, v, phrase_event(hit->before, hit->after)) < 0) {
				rc = rl_error_set(err, RL_ENOMEM, "out of memory");
			} else {
				rl_history_event *e = &out->v[out->n - 1];

				e->before = hit->before;
				e->after = hit->after;
				e->text = strdup(hit->contexts.n ? hit->contexts.v[0] : "");
			}
		}
		rl_watch_hits_free(hit, nh);
		rl_strv_free(&terms);
		git_blob_free(prev);
		prev = cur;
		memcpy(prev_id, v->text_blob, sizeof(prev_id));
	}
	git_blob_free(prev);
	return rc;
}

int rl_history_phrase(rl_history *h, const char *phrase, rl_history_events *out, rl_error *err)
{
	hside o, n;
	size_t count = 0;
	int rc = 0;

	out->v = NULL;
	out->n = 0;
	if (!phrase || !phrase_words(phrase))
		return rl_error_set(err, RL_EINVALID, "history: the phrase is empty");
	if (phrase_words(phrase) > HISTORY_CONTEXT + 1)
		return slow_counts(h, phrase, out, err);
	memset(&o, 0, sizeof(o));
	memset(&n, 0, sizeof(n));
	for (size_t i = 0; i < h->n && rc == 0; i++) {
		char *gained = NULL, *lost = NULL;
		long delta;

		rc = version_delta(h, &h->v[i], phrase, &o, &n, &delta, &gained, &lost, err);
		if (rc == 0 && delta != 0) {
			size_t after = (size_t)((long)count + delta);

			if ((long)count + delta < 0 || push_event(out, &h->v[i], "") < 0) {
				rc = rl_error_set(err, RL_ERROR,
						  "history: the index of '%s' is inconsistent",
						  h->source);
			} else {
				rl_history_event *e = &out->v[out->n - 1];

				e->event = phrase_event(count, after);
				e->before = count;
				e->after = after;
				e->text = delta > 0 ? gained : lost;
				if (delta > 0)
					gained = NULL;
				else
					lost = NULL;
				if (!e->text)
					e->text = strdup("");
				count = after;
			}
		}
		free(gained);
		free(lost);
	}
	side_free(&o);
	side_free(&n);
	if (rc < 0)
		rl_history_events_free(out);
	return rc;
}

static char *dupn(const char *s, size_t n)
{
	return n ? strndup(s, n) : NULL;
}

int rl_history_principle(rl_history *h, const char *id, rl_history_events *out, rl_error *err)
{
	size_t idl = strlen(id);

	out->v = NULL;
	out->n = 0;
	for (size_t i = 0; i < h->n; i++) {
		const hver *v = &h->v[i];
		const char *p = h->buf.ptr + v->payload;
		size_t at = 0;
		hrec r;

		while (history_next(p, v->payload_len, &at, &r) > 0) {
			static const char kinds[] = "awlmr";
			static const char *const names[] = {"added", "reworded", "relabelled",
							    "moved", "removed"};
			rl_history_event *e;

			if (r.kind != 'E' || r.fl[0] != idl || memcmp(r.f[0], id, idl) != 0)
				continue;
			if (push_event(out, v, names[strchr(kinds, r.ekind) - kinds]) < 0)
				goto oom;
			e = &out->v[out->n - 1];
			e->label = dupn(r.f[1], r.fl[1]);
			e->old_label = dupn(r.f[2], r.fl[2]);
			e->text = strndup(r.f[3], r.fl[3]);
			e->old_text = dupn(r.f[4], r.fl[4]);
			if (!e->text)
				goto oom;
		}
	}
	return 0;
oom:
	rl_history_events_free(out);
	return rl_error_set(err, RL_ENOMEM, "out of memory");
}
