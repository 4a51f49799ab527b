/* Building the history index: for each new version, the lines of text.md
 * that changed since the version before (libgit2's line diff, with
 * HISTORY_CONTEXT lines around each change) and its principle changes
 * (rl_principles_compare on the structure.json of both, ids as
 * archived). A blob that did not change is not read again: an unchanged
 * text.md has no hunks, an unchanged structure.json no principle
 * changes. This is the only place the history reads whole versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "history-internal.h"
#include "redline/label.h"
#include "redline/structure.h"
#include "redline/util.h"

#define BLOCK 4096

typedef struct builder {
	rl_history *h;
	git_repository *repo;
	git_blob *text; /* the version before's text.md */
	char text_id[RL_OID_HEX + 1];
	rl_structure *structure; /* and its structure, ids as archived */
	char struct_id[RL_OID_HEX + 1];
	rl_buf payload, hunk;
	size_t hunk_lines;
	int failed;
} builder;

/* The id of a file of the version's tree ("" when it has none). */
static void entry_id(git_tree *tree, const char *path, char id[RL_OID_HEX + 1])
{
	const git_tree_entry *e = git_tree_entry_byname(tree, path);

	id[0] = '\0';
	if (e && git_tree_entry_type(e) == GIT_OBJECT_BLOB)
		git_oid_tostr(id, RL_OID_HEX + 1, git_tree_entry_id(e));
}

static int load_blob(git_repository *repo, const char *hex, git_blob **out)
{
	git_oid id;

	*out = NULL;
	if (!hex[0])
		return 0;
	if (git_oid_fromstr(&id, hex) < 0)
		return -1;
	return git_blob_lookup(out, repo, &id);
}

/* Can the changed lines of this version's hunks (payload from `from`)
 * have changed an item? Not when every changed line is prose inside a
 * paragraph that holds no item: such an edit leaves every item's label,
 * text and place, so structure.json need not be read. Decided
 * conservatively: an item or heading line, a blank line, or a changed
 * line whose paragraph starts before the hunk does counts as touching. */
static int touches_items(const rl_buf *payload, size_t from)
{
	size_t at = from;
	hrec r;

	while (history_next(payload->ptr, payload->len, &at, &r) > 0) {
		const char *l = r.lines, *end = r.lines + r.lines_len;
		const char *line[2 * HISTORY_CONTEXT + 64];
		size_t n = 0;

		if (r.kind != '@')
			continue;
		for (; l < end; n++) {
			const char *nl = memchr(l, '\n', (size_t)(end - l));
			size_t len = (size_t)(nl - l) - 1;
			rl_label lab;

			if (*l != ' ' &&
			    (len == 0 || l[1] == '#' || rl_label_match(l + 1, len, &lab)))
				return 1;
			if (*l != ' ') {
				/* back through its side of the hunk to a blank line */
				size_t k = n;
				int blank = 0;

				if (n >= sizeof(line) / sizeof(*line))
					return 1;
				while (k-- > 0 && !blank) {
					const char *p = line[k];
					size_t pl = (size_t)((const char *)memchr(
								 p, '\n', (size_t)(end - p)) -
							     p) -
						    1;

					if (*p != ' ' && *p != *l)
						continue;
					if (pl == 0)
						blank = 1;
					else if (rl_label_match(p + 1, pl, &lab))
						return 1;
				}
				if (!blank)
					return 1;
			}
			if (n < sizeof(line) / sizeof(*line))
				line[n] = l;
			l = nl + 1;
		}
	}
	return 0;
}

static void flush_hunk(builder *b)
{
	if (!b->hunk_lines)
		return;
	rl_buf_printf(&b->payload, "@ %zu\n", b->hunk_lines);
	rl_buf_put(&b->payload, b->hunk.ptr, b->hunk.len);
	rl_buf_reset(&b->hunk);
	b->hunk_lines = 0;
}

static int on_hunk(const git_diff_delta *d, const git_diff_hunk *hk, void *ctx)
{
	(void)d;
	(void)hk;
	flush_hunk(ctx);
	return 0;
}

static int on_line(const git_diff_delta *d, const git_diff_hunk *hk, const git_diff_line *l,
		   void *ctx)
{
	builder *b = ctx;
	size_t len = l->content_len;

	(void)d;
	(void)hk;
	/* "\ No newline at end of file" markers carry no text */
	if (l->origin != GIT_DIFF_LINE_CONTEXT && l->origin != GIT_DIFF_LINE_ADDITION &&
	    l->origin != GIT_DIFF_LINE_DELETION)
		return 0;
	if (len && l->content[len - 1] == '\n')
		len--;
	rl_buf_putc(&b->hunk, (char)l->origin);
	rl_buf_put(&b->hunk, l->content, len);
	rl_buf_putc(&b->hunk, '\n');
	b->hunk_lines++;
	return 0;
}

/* Start of the line n lines before the one holding t[at]. */
static size_t back_lines(const char *t, size_t at, int n)
{
	while (at > 0 && t[at - 1] != '\n')
		at--;
	while (n-- > 0 && at > 0) {
		at--;
		while (at > 0 && t[at - 1] != '\n')
			at--;
	}
	return at;
}

/* Past the end of the line n lines after the one ending at t[at - 1]. */
static size_t forward_lines(const char *t, size_t len, size_t at, int n)
{
	while (n-- > 0 && at < len) {
		const char *nl = memchr(t + at, '\n', len - at);

		at = nl ? (size_t)(nl - t) + 1 : len;
	}
	return at;
}

/* The line diff of the stretch where two texts differ: their common
 * start and end (whole lines, less the context kept around a change)
 * are skipped before libgit2 hashes any line, so a small edit to a
 * large text costs a few lines, not the text. */
static int text_hunks(builder *b, git_blob *cur, rl_error *err)
{
	const char *x = b->text ? git_blob_rawcontent(b->text) : "";
	const char *y = cur ? git_blob_rawcontent(cur) : "";
	size_t xl = b->text ? (size_t)git_blob_rawsize(b->text) : 0;
	size_t yl = cur ? (size_t)git_blob_rawsize(cur) : 0;
	size_t pre = 0, suf = 0, xe, ye, k;
	git_diff_options o;
	int rc;

	/* block by block first: memcmp runs far faster than a byte loop */
	while (pre + BLOCK <= xl && pre + BLOCK <= yl && memcmp(x + pre, y + pre, BLOCK) == 0)
		pre += BLOCK;
	while (pre < xl && pre < yl && x[pre] == y[pre])
		pre++;
	while (suf + BLOCK <= xl - pre && suf + BLOCK <= yl - pre &&
	       memcmp(x + xl - suf - BLOCK, y + yl - suf - BLOCK, BLOCK) == 0)
		suf += BLOCK;
	while (suf < xl - pre && suf < yl - pre && x[xl - 1 - suf] == y[yl - 1 - suf])
		suf++;
	pre = back_lines(x, pre, HISTORY_CONTEXT);
	/* the common end from a line start on both sides */
	xe = xl - suf;
	ye = yl - suf;
	/* k >= 1: x[xe + k - 1] is common, so a line starts there on both sides */
	for (k = 1; suf && xe + k < xl && x[xe + k - 1] != '\n'; k++)
		;
	xe = suf ? forward_lines(x, xl, xe + k, HISTORY_CONTEXT) : xl;
	ye = suf ? ye + (xe - (xl - suf)) : yl;
	if (ye > yl)
		ye = yl;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = HISTORY_CONTEXT;
	o.interhunk_lines = 0;
	o.flags = GIT_DIFF_FORCE_TEXT;
	rc = git_diff_buffers(x + pre, xe - pre, NULL, y + pre, ye - pre, NULL, &o, NULL, NULL,
			      on_hunk, on_line, b);
	flush_hunk(b);
	return rc < 0 ? rl_error_from_git(err, "history: diffing text.md") : 0;
}

static void put_event(rl_buf *p, char kind, const char *id, const char *label,
		      const char *old_label, const char *text, const char *old_text)
{
	const char *f[5] = {id, label, old_label, text, old_text};

	rl_buf_printf(p, "E %c", kind);
	for (int i = 0; i < 5; i++)
		rl_buf_printf(p, " %zu", f[i] ? strlen(f[i]) : 0);
	rl_buf_putc(p, '\n');
	for (int i = 0; i < 5; i++)
		if (f[i])
			rl_buf_puts(p, f[i]);
	rl_buf_putc(p, '\n');
}

/* The principle changes, in the order history events take within a version. */
static void put_events(rl_buf *p, const rl_principles_diff *d, const rl_structure *cur)
{
	for (size_t i = 0; i < d->n_added; i++)
		put_event(p, 'a', d->added[i].id, d->added[i].label, NULL, d->added[i].text, NULL);
	for (size_t i = 0; i < d->n_reworded; i++)
		put_event(p, 'w', d->reworded[i].id, d->reworded[i].label, NULL,
			  d->reworded[i].new_text, d->reworded[i].old_text);
	for (size_t i = 0; i < d->n_relabelled; i++) {
		const rl_item *it = rl_structure_find(cur, d->relabelled[i].id);

		put_event(p, 'l', d->relabelled[i].id, d->relabelled[i].new_label,
			  d->relabelled[i].old_label, it ? it->text : "", NULL);
	}
	for (size_t i = 0; i < d->n_reordered; i++)
		put_event(p, 'm', d->reordered[i].id, d->reordered[i].label, NULL,
			  d->reordered[i].text, NULL);
	for (size_t i = 0; i < d->n_removed; i++)
		put_event(p, 'r', d->removed[i].id, d->removed[i].label, NULL, d->removed[i].text,
			  NULL);
}

/* This version's structure: its structure.json, or (a version without
 * one) its text parsed with ids carried from the version before. */
static int structure_of(builder *b, git_blob *sb, git_blob *tb, rl_structure **out, rl_error *err)
{
	int rc;

	*out = NULL;
	if (sb)
		return rl_structure_from_json(out, git_blob_rawcontent(sb),
					      (size_t)git_blob_rawsize(sb), err);
	rc = rl_structure_parse(out, tb ? git_blob_rawcontent(tb) : "",
				tb ? (size_t)git_blob_rawsize(tb) : 0, err);
	if (rc == 0 && b->structure)
		rc = rl_structure_carry_ids(*out, b->structure, err);
	return rc;
}

/* The Redline-Change trailer's value, "" when there is none (or not a
 * plain lowercase word). */
static void trailer_change(const char *msg, char out[HISTORY_CHANGE_MAX])
{
	const char *t = msg ? strstr(msg, "\nRedline-Change: ") : NULL;
	size_t n = 0;

	out[0] = '\0';
	if (!t)
		return;
	t += strlen("\nRedline-Change: ");
	while (t[n] >= 'a' && t[n] <= 'z' && n + 1 < HISTORY_CHANGE_MAX)
		n++;
	if (t[n] == '\n' || t[n] == '\0') {
		memcpy(out, t, n);
		out[n] = '\0';
	}
}

static int one_version(builder *b, const char *hex, rl_error *err)
{
	git_oid id;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_blob *tb = NULL, *sb = NULL;
	char tid[RL_OID_HEX + 1], sid[RL_OID_HEX + 1];
	int rc = 0;

	rl_buf_reset(&b->payload);
	if (git_oid_fromstr(&id, hex) < 0 || git_commit_lookup(&c, b->repo, &id) < 0 ||
	    git_commit_tree(&tree, c) < 0) {
		rc = rl_error_from_git(err, "history: version %.12s", hex);
		goto out;
	}
	entry_id(tree, "text.md", tid);
	entry_id(tree, "structure.json", sid);
	if (strcmp(tid, b->text_id) != 0 || !b->h->n) {
		size_t from = b->payload.len;

		if (load_blob(b->repo, tid, &tb) < 0) {
			rc = rl_error_from_git(err, "history: version %.12s: text.md", hex);
			goto out;
		}
		rc = text_hunks(b, tb, err);
		git_blob_free(b->text);
		b->text = tb;
		tb = NULL;
		memcpy(b->text_id, tid, sizeof(tid));
		/* prose edits leave the items as they were: keep the structure */
		if (rc == 0 && b->structure && sid[0] && !touches_items(&b->payload, from))
			memcpy(b->struct_id, sid, sizeof(sid));
	}
	if (rc == 0 && (strcmp(sid, b->struct_id) != 0 || !sid[0] || !b->structure)) {
		rl_structure *s = NULL;
		rl_principles_diff *d = NULL;

		if (load_blob(b->repo, sid, &sb) < 0) {
			rc = rl_error_from_git(err, "history: version %.12s: structure.json", hex);
			goto out;
		}

		/* a damaged structure.json is a version without principles */
		if (structure_of(b, sb, b->text, &s, NULL) < 0)
			rl_structure_parse(&s, "", 0, NULL);
		if (s && rl_principles_compare(&d, b->structure, s, err) == 0)
			put_events(&b->payload, d, s);
		else
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		rl_principles_diff_free(d);
		rl_structure_free(b->structure);
		b->structure = s;
		memcpy(b->struct_id, sid, sizeof(sid));
	}
	if (rc == 0) {
		rl_buf *o = &b->h->buf;

		char change[HISTORY_CHANGE_MAX];

		trailer_change(git_commit_message(c), change);
		rl_buf_printf(o, "V %s %lld %s %s %s %zu\n", hex, (long long)git_commit_time(c),
			      change[0] ? change : "-", tid[0] ? tid : "-", sid[0] ? sid : "-",
			      b->payload.len);
		rl_buf_put(o, b->payload.ptr, b->payload.len);
		b->h->n++; /* counted here; history_parse fills the versions */
		b->h->info.indexed++;
		if (o->failed || b->payload.failed || b->hunk.failed)
			rc = rl_error_set(err, RL_ENOMEM, "history: out of memory");
	}
out:
	git_blob_free(tb);
	git_blob_free(sb);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

/* The state after the last version indexed: its text and structure. */
static int resume(builder *b, rl_error *err)
{
	const hver *last = &b->h->v[b->h->n - 1];
	git_oid id;
	git_blob *sb = NULL;
	int rc = 0;

	if (last->text_blob[0]) {
		if (git_oid_fromstr(&id, last->text_blob) < 0 ||
		    git_blob_lookup(&b->text, b->repo, &id) < 0)
			return rl_error_from_git(err, "history: blob %.12s", last->text_blob);
	}
	memcpy(b->text_id, last->text_blob, sizeof(b->text_id));
	if (last->struct_blob[0]) {
		if (git_oid_fromstr(&id, last->struct_blob) < 0 ||
		    git_blob_lookup(&sb, b->repo, &id) < 0)
			return rl_error_from_git(err, "history: blob %.12s", last->struct_blob);
	}
	if (structure_of(b, sb, b->text, &b->structure, NULL) < 0)
		rc = rl_structure_parse(&b->structure, "", 0, err);
	memcpy(b->struct_id, last->struct_blob, sizeof(b->struct_id));
	git_blob_free(sb);
	return rc;
}

int history_build(rl_history *h, char (*commits)[RL_OID_HEX + 1], size_t n, rl_error *err)
{
	builder b;
	int rc = 0;

	memset(&b, 0, sizeof(b));
	b.h = h;
	b.repo = rl_archive_repo(h->archive);
	rl_buf_init(&b.payload);
	rl_buf_init(&b.hunk);
	if (h->n)
		rc = resume(&b, err);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = one_version(&b, commits[i], err);
	git_blob_free(b.text);
	rl_structure_free(b.structure);
	rl_buf_free(&b.payload);
	rl_buf_free(&b.hunk);
	return rc;
}
