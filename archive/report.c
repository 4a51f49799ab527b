/* A report brings together what redline says about one change: the
 * principles (items matched by content), the word diff (with items
 * aligned as units, report-items.c) and the watched terms. */
#include <stdlib.h>
#include <string.h>

#include "redline/report.h"
#include "redline/thread.h"
#include "redline/util.h"
#include "report-internal.h"
#include "diff-internal.h"

/* Texts large enough together for the differ's arrays to be made ready
 * on another thread: below, a thread costs more than it saves. */
#define PREP_MIN_BYTES (4 * RL_THREAD_MIN_BYTES)

/* The new version's parse, on a thread of its own. */
typedef struct parse_job {
	rl_structure *s;
	const char *text;
	size_t len;
	rl_error err;
	int rc;
} parse_job;

static void *parse_new(void *arg)
{
	parse_job *j = arg;

	j->rc = rl_structure_parse(&j->s, j->text, j->len, &j->err);
	return NULL;
}

/* Both versions parsed, the new one on a second thread when the texts
 * are large: parsing is a pass over each whole text, and the two are
 * independent. */
static int parse_both(rl_report *r, const char *old_text, size_t old_len, const char *new_text,
		      size_t new_len, rl_error *err)
{
	parse_job j = {NULL, new_text, new_len, {0, ""}, 0};
	rl_task *task;
	int threaded =
	    old_len + new_len >= RL_THREAD_MIN_BYTES && rl_task_start(&task, parse_new, &j) == 0;
	int rc = rl_structure_parse(&r->old_structure, old_text, old_len, err);

	if (threaded)
		rl_task_join(task);
	else if (rc == 0)
		parse_new(&j);
	r->new_structure = j.s;
	if (rc == 0 && j.rc < 0) {
		rc = j.rc;
		if (err)
			*err = j.err;
	}
	return rc;
}

/* Ids carried on the structures of both versions: the old one's from
 * the archived ids when there are some, so an id means the same item
 * across the whole history; the new one's from its own archived ids
 * when given (two versions far apart), else from the old one by
 * content. */
static int carry_ids(rl_report *r, const rl_report_opts *opts, rl_error *err)
{
	int rc = 0;

	/* the old structure, parsed without its ids, is given them first:
	 * the new one's are carried from it (rl_structure_carry_ids gives a
	 * structure it carries ids to its fresh ones) */
	if (r->old_structure->ids_pending)
		rc = rl_structure_fresh_ids(r->old_structure, err);
	if (rc == 0 && opts && opts->old_structure)
		rc = rl_structure_carry_ids(r->old_structure, opts->old_structure, err);
	if (rc == 0)
		rc = rl_structure_carry_ids(
		    r->new_structure,
		    opts && opts->new_structure ? opts->new_structure : r->old_structure, err);
	if (rc == 0)
		rc = rl_principles_compare(&r->principles, r->old_structure, r->new_structure, err);
	return rc;
}

/* carry_ids on a second thread. */
struct report_carry {
	rl_report *r;
	const rl_report_opts *opts;
	rl_task *task;
	int running;
	int rc;
	rl_error err;
};

static void *carry_run(void *arg)
{
	report_carry *c = arg;

	c->rc = carry_ids(c->r, c->opts, &c->err);
	return NULL;
}

int report_carry_wait(report_carry *c, rl_error *err)
{
	if (!c)
		return 0;
	if (c->running) {
		rl_task_join(c->task);
		c->running = 0;
	}
	if (c->rc < 0 && err)
		*err = c->err;
	return c->rc;
}

/* rl_report_build_parsed, and with take_old and take_new (both or
 * neither; the texts are their bytes) rl_report_build_taking: the diff
 * may take them (report_diff_items), and whatever it leaves is freed. */
static int build(rl_report **out, const char *old_text, size_t old_len, rl_structure *old_parsed,
		 const char *new_text, size_t new_len, rl_structure *new_parsed, rl_buf *take_old,
		 rl_buf *take_new, const rl_report_opts *opts, rl_error *err)
{
	rl_report *r = calloc(1, sizeof(*r));
	diff_prep *prep = NULL;
	report_carry carry = {.r = r, .opts = opts};
	int rc = 0, crc, threaded = 0;

	*out = NULL;
	if (!r) {
		rl_structure_free(old_parsed);
		rl_structure_free(new_parsed);
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		goto out;
	}
	r->old_structure = old_parsed;
	r->new_structure = new_parsed;
	if (!old_parsed && !new_parsed)
		rc = parse_both(r, old_text, old_len, new_text, new_len, err);
	if (rc == 0 && !r->old_structure)
		rc = rl_structure_parse(&r->old_structure, old_text, old_len, err);
	if (rc == 0 && !r->new_structure)
		rc = rl_structure_parse(&r->new_structure, new_text, new_len, err);
	/* Large texts: ids are carried on a second thread while the labels
	 * are masked and the texts tokenized (the diff waits for the ids
	 * before it aligns, report-items.c), and the differ's token arrays
	 * are made ready meanwhile (and the masked texts', unless the texts
	 * are taken, and masked where they are). */
	if (rc == 0 && old_len + new_len >= PREP_MIN_BYTES) {
		prep = diff_prep_start(old_len, new_len, !take_old);
		threaded = carry.running = rl_task_start(&carry.task, carry_run, &carry) == 0;
	}
	if (rc == 0 && !threaded)
		rc = carry_ids(r, opts, err);
	if (rc == 0)
		rc = report_diff_items(&r->diff, old_text, old_len, new_text, new_len, take_old,
				       take_new, r->old_structure, r->new_structure,
				       opts ? opts->diff : NULL, prep, threaded ? &carry : NULL,
				       err);
	/* the carrying's error when the diff had none */
	crc = report_carry_wait(threaded ? &carry : NULL, rc == 0 ? err : NULL);
	if (rc == 0)
		rc = crc;
	diff_prep_free(prep);
	/* texts the diff took are its own now (the same bytes) */
	if (rc == 0 && take_old && !take_old->ptr) {
		old_text = rl_buf_cstr(&r->diff->old_text);
		new_text = rl_buf_cstr(&r->diff->new_text);
	}
	if (rc == 0 && opts && opts->watch_terms)
		rc = rl_watch_compare(&r->watch, &r->n_watch, old_text, old_len, new_text, new_len,
				      opts->watch_terms, err);
	if (rc != 0) {
		rl_report_free(r);
		goto out;
	}
	r->cls = r->diff->cls;
	if (r->principles->n_added || r->principles->n_removed || r->principles->n_reordered)
		r->cls = RL_CLASS_STRUCTURE;
	*out = r;
out:
	if (take_old) {
		rl_buf_free(take_old);
		rl_buf_free(take_new);
	}
	return rc;
}

int rl_report_build(rl_report **out, const char *old_text, size_t old_len, const char *new_text,
		    size_t new_len, const rl_report_opts *opts, rl_error *err)
{
	return build(out, old_text, old_len, NULL, new_text, new_len, NULL, NULL, NULL, opts, err);
}

int rl_report_build_parsed(rl_report **out, const char *old_text, size_t old_len,
			   rl_structure *old_parsed, const char *new_text, size_t new_len,
			   rl_structure *new_parsed, const rl_report_opts *opts, rl_error *err)
{
	return build(out, old_text, old_len, old_parsed, new_text, new_len, new_parsed, NULL, NULL,
		     opts, err);
}

int rl_report_build_taking(rl_report **out, rl_buf *old_text, rl_structure *old_parsed,
			   rl_buf *new_text, rl_structure *new_parsed, const rl_report_opts *opts,
			   rl_error *err)
{
	/* both buffers hold a string, even an empty one */
	if (rl_buf_grow(old_text, 0) < 0 || rl_buf_grow(new_text, 0) < 0) {
		rl_buf_free(old_text);
		rl_buf_free(new_text);
		rl_structure_free(old_parsed);
		rl_structure_free(new_parsed);
		*out = NULL;
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	old_text->ptr[old_text->len] = '\0';
	new_text->ptr[new_text->len] = '\0';
	return build(out, old_text->ptr, old_text->len, old_parsed, new_text->ptr, new_text->len,
		     new_parsed, old_text, new_text, opts, err);
}

void rl_report_free(rl_report *r)
{
	if (!r)
		return;
	rl_diff_free(r->diff);
	rl_structure_free(r->old_structure);
	rl_structure_free(r->new_structure);
	rl_principles_diff_free(r->principles);
	rl_watch_hits_free(r->watch, r->n_watch);
	free(r);
}

int rl_reworded_diff(rl_diff **out, const rl_reworded *rw, rl_error *err)
{
	return rl_diff_texts(out, rw->old_text, strlen(rw->old_text), rw->new_text,
			     strlen(rw->new_text), NULL, err);
}

/* --- the summary -------------------------------------------------------------- */

typedef struct span {
	size_t start, end;
} span;

/* Byte spans of the given items' lines in text, merged where they touch. */
static span *item_spans(const char *text, size_t len, const rl_item *items, size_t n, size_t *ns)
{
	span *v = malloc((n + 1) * sizeof(*v));
	size_t line = 1, at = 0, k = 0;

	*ns = 0;
	if (!v)
		return NULL;
	/* items are in text order */
	for (size_t i = 0; i < n; i++) {
		size_t first = items[i].line,
		       last = first + (items[i].lines ? items[i].lines : 1) - 1;
		span s;

		if (first < line)
			continue;
		while (line < first && at < len) {
			const char *nl = memchr(text + at, '\n', len - at);

			at = nl ? (size_t)(nl - text) + 1 : len;
			line++;
		}
		s.start = at;
		while (line <= last && at < len) {
			const char *nl = memchr(text + at, '\n', len - at);

			at = nl ? (size_t)(nl - text) + 1 : len;
			line++;
		}
		s.end = at;
		if (k && v[k - 1].end >= s.start)
			v[k - 1].end = s.end;
		else
			v[k++] = s;
	}
	*ns = k;
	return v;
}

static int is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t';
}

static int within(const span *v, size_t n, const char *text, size_t start, size_t end)
{
	while (start < end && is_space(text[start]))
		start++;
	while (end > start && is_space(text[end - 1]))
		end--;
	if (start == end)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (start >= v[i].start && end <= v[i].end)
			return 1;
	return 0;
}

/* Words changed as a reader counts them, less the words of whole items
 * added or removed: those are "1 principle added", not 14 words more.
 * Relabels are changes of no words already. */
static size_t words_changed(const rl_report *r)
{
	const rl_diff *d = r->diff;
	const rl_principles_diff *p = r->principles;
	size_t na = 0, nr = 0, n = 0;
	span *added = item_spans(d->new_text.ptr, d->new_text.len, p->added, p->n_added, &na);
	span *removed = item_spans(d->old_text.ptr, d->old_text.len, p->removed, p->n_removed, &nr);

	for (size_t i = 0; i < d->n_changes; i++) {
		const rl_change *c = &d->changes[i];
		int in_old = within(removed, nr, d->old_text.ptr, c->old_start, c->old_end);
		int in_new = within(added, na, d->new_text.ptr, c->new_start, c->new_end);

		if (c->kind == RL_CHANGE_MOVE || (added && removed && in_old && in_new))
			continue;
		n += c->old_words > c->new_words ? c->old_words : c->new_words;
	}
	free(added);
	free(removed);
	return n;
}

static void count_part(rl_buf *out, size_t n, const char *one, const char *many, const char *what)
{
	if (n == 0)
		return;
	if (out->len)
		rl_buf_puts(out, ", ");
	rl_buf_printf(out, "%zu %s %s", n, n == 1 ? one : many, what);
}

int rl_report_summary(const rl_report *r, rl_buf *out)
{
	const rl_principles_diff *p = r->principles;
	size_t words = words_changed(r);
	size_t start = out->len;
	rl_buf parts = RL_BUF_INIT;

	if (words)
		rl_buf_printf(&parts, "%zu word%s changed", words, words == 1 ? "" : "s");
	if (r->diff->stats.moved)
		count_part(&parts, r->diff->stats.moved, "word", "words", "moved");
	if (p) {
		count_part(&parts, p->n_added, "principle", "principles", "added");
		count_part(&parts, p->n_removed, "principle", "principles", "removed");
		count_part(&parts, p->n_reworded, "principle", "principles", "reworded");
		count_part(&parts, p->n_reordered, "principle", "principles", "reordered");
	}
	for (size_t i = 0; i < r->n_watch; i++) {
		const rl_watch_hit *h = &r->watch[i];

		if (parts.len)
			rl_buf_puts(&parts, ", ");
		if (h->after == 0)
			rl_buf_printf(&parts, "\"%s\" removed", h->term);
		else if (h->before == 0)
			rl_buf_printf(&parts, "\"%s\" added", h->term);
		else
			rl_buf_printf(&parts, "\"%s\" %zu -> %zu", h->term, h->before, h->after);
	}
	if (parts.len == 0)
		rl_buf_puts(&parts,
			    r->diff->n_changes ? "cosmetic changes only" : "no wording change");
	rl_buf_put(out, parts.ptr, parts.len);
	rl_buf_free(&parts);
	return out->len > start ? 0 : -1;
}
