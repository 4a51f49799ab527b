/* refs/heads/main: a landing page for people who clone the archive, a
 * README.md and a sources.json. Derived from the source branches, so it
 * can be rebuilt at any time; rewritten after passes that changed something. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <jansson.h>

#include "redline/update.h"
#include "redline/util.h"
#include "store-internal.h"

static int write_landing(rl_archive *a, const char *readme, const char *sources, rl_error *err)
{
	git_repository *repo = rl_archive_repo(a);
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_oid blob, tree_id, commit_id, parent_id;
	const git_commit *parents[1];
	int has_parent, rc = 0;

	/* From the first object to the ref: gc must not prune them between. */
	rl_archive_write_begin(a);
	has_parent = git_reference_name_to_id(&parent_id, repo, "refs/heads/main") == 0 &&
		     git_commit_lookup(&parent, repo, &parent_id) == 0;
	if (git_treebuilder_new(&tb, repo, NULL) < 0 ||
	    git_blob_create_from_buffer(&blob, repo, readme, strlen(readme)) < 0 ||
	    git_treebuilder_insert(NULL, tb, "README.md", &blob, GIT_FILEMODE_BLOB) < 0 ||
	    git_blob_create_from_buffer(&blob, repo, sources, strlen(sources)) < 0 ||
	    git_treebuilder_insert(NULL, tb, "sources.json", &blob, GIT_FILEMODE_BLOB) < 0 ||
	    git_treebuilder_write(&tree_id, tb) < 0 || git_tree_lookup(&tree, repo, &tree_id) < 0) {
		rc = rl_error_from_git(err, "landing page: cannot write its tree");
		goto out;
	}
	if (has_parent && git_oid_equal(git_commit_tree_id(parent), &tree_id))
		goto out; /* nothing new to say */
	parents[0] = parent;
	if (git_signature_now(&sig, "redline", "redline@localhost") < 0 ||
	    git_commit_create(&commit_id, repo, NULL, sig, sig, "UTF-8",
			      "Update the list of sources\n", tree, has_parent ? 1 : 0,
			      has_parent ? parents : NULL) < 0) {
		rc = rl_error_from_git(err, "landing page: cannot commit");
		goto out;
	}
	{
		char new_hex[RL_OID_HEX + 1], old_hex[RL_OID_HEX + 1] = "";

		git_oid_tostr(new_hex, sizeof(new_hex), &commit_id);
		if (has_parent)
			git_oid_tostr(old_hex, sizeof(old_hex), &parent_id);
		/* Through the store's CAS, which recovers a lock a killed pass left. */
		rc = rl_archive_ref_cas(a, "refs/heads/main", new_hex, has_parent ? old_hex : NULL,
					"landing page", err);
		/* Losing a race here is harmless: the winner wrote the same list. */
		if (rc == RL_ECONFLICT) {
			rl_error_clear(err);
			rc = 0;
		}
	}
out:
	rl_archive_write_end(a);
	git_signature_free(sig);
	git_commit_free(parent);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	return rc;
}

/* One source's entry of sources.json, as jansson writes it inside the
 * list (indent 2, keys in order): dumped as a list of one, whose "[\n"
 * and "\n]" are left out. The list is written entry by entry and never
 * held whole as a tree: for 1000 sources that tree took 1 MiB of heap
 * while it lived, a third of the daemon's peak during a pass. */
static void put_entry(rl_buf *out, json_t *entry)
{
	json_t *one = json_array();
	char *s = NULL;
	size_t n;

	/* An entry jansson refused (text that is not UTF-8) is left out. */
	if (!entry) {
		json_decref(one);
		return;
	}
	/* json_array_append_new takes the entry even when it fails. */
	if (!one || json_array_append_new(one, entry) < 0) {
		if (!one)
			json_decref(entry);
		json_decref(one);
		out->failed = 1;
		return;
	}
	s = json_dumps(one, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(one);
	n = s ? strlen(s) : 0;
	if (n < 4) {
		out->failed = 1;
		free(s);
		return;
	}
	rl_buf_puts(out, out->len > 1 ? ",\n" : "\n");
	rl_buf_put(out, s + 2, n - 4);
	free(s);
}

/* What the landing page says of one source. */
typedef struct row {
	const char *id;
	char tip[RL_OID_HEX + 1];
	char commit[RL_OID_HEX + 1];
	int64_t time;
	char *url; /* from the commit, for a source no longer configured */
	int ok;
} row;

/* Every source's latest version: its tip commit, read alone (a log of
 * one would load its parent too). In a pack redline gc wrote, a commit
 * is mostly a chain of deltas whose bases are found by id, each a binary
 * search of the pack index; the index pages it touches stay resident
 * until the archive is reopened, and the kernel maps 64 KiB around each.
 * Read one after the other, a thousand tips would keep most of an index
 * that grows with the years (3 MiB for 30 versions of 1000 sources);
 * reopening the archive between two (0.05 ms) keeps one chain's worth.
 * The tips are read first, so packed-refs is parsed once. */
static int read_rows(rl_archive *a, const rl_config *cfg, row *rows, size_t n, rl_error *err)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		if (rl_archive_tip(a, rows[i].id, rows[i].tip, NULL) < 0)
			rows[i].tip[0] = '\0';
	for (size_t i = 0; i < n && rc == 0; i++) {
		row *r = &rows[i];
		git_commit *c = NULL;
		git_oid id;
		rl_version v;

		if (!r->tip[0] || git_oid_fromstr(&id, r->tip) < 0)
			continue; /* gone meanwhile: left out */
		if (i && (rc = rl_archive_reopen(a, err)) < 0)
			break;
		if (git_commit_lookup(&c, rl_archive_repo(a), &id) < 0)
			continue;
		if (store_version_from_commit(&v, r->id, c) < 0 ||
		    (v.url && !rl_config_source(cfg, r->id) && !(r->url = strdup(v.url))))
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		memcpy(r->commit, v.commit, sizeof(r->commit));
		r->time = v.time;
		r->ok = 1;
		rl_version_clear(&v);
		git_commit_free(c);
	}
	return rc;
}

int rl_landing_update(rl_archive *a, const rl_config *cfg, rl_error *err)
{
	rl_strv ids = RL_STRV_INIT;
	rl_buf readme = RL_BUF_INIT, sources = RL_BUF_INIT;
	row *rows = NULL;
	int rc;

	rc = rl_archive_sources(a, &ids, err);
	if (rc < 0)
		goto out;
	rows = calloc(ids.n ? ids.n : 1, sizeof(*rows));
	if (!rows) {
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ids.n; i++)
		rows[i].id = ids.v[i];
	rc = read_rows(a, cfg, rows, ids.n, err);
	if (rc < 0)
		goto out;
	rl_buf_puts(&readme,
		    "# redline archive\n\n"
		    "Every watched source has its own branch; each commit is one version of\n"
		    "its text. `git log SOURCE` lists the versions, `git show SOURCE:text.md`\n"
		    "shows the latest text, `git log -p SOURCE -- text.md` the changes.\n\n"
		    "| source | title | latest version | date |\n| --- | --- | --- | --- |\n");
	rl_buf_putc(&sources, '[');
	for (size_t i = 0; i < ids.n; i++) {
		const rl_source *src = rl_config_source(cfg, ids.v[i]);
		const row *r = &rows[i];
		char iso[32];

		if (!r->ok)
			continue;
		rl_time_iso(r->time, iso);
		put_entry(&sources,
			  json_pack("{s:s, s:s, s:s?, s:s, s:s}", "id", ids.v[i], "title",
				    src && src->title ? src->title : ids.v[i], "url",
				    src ? src->url : r->url, "latest", r->commit, "date", iso));
		rl_buf_printf(&readme, "| %s | %s | %.12s | %s |\n", ids.v[i],
			      src && src->title ? src->title : ids.v[i], r->commit, iso);
	}
	rl_buf_puts(&sources, sources.len > 1 ? "\n]" : "]");
	if (sources.failed || readme.failed) {
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		goto out;
	}
	rc = write_landing(a, rl_buf_cstr(&readme), rl_buf_cstr(&sources), err);
out:
	for (size_t i = 0; rows && i < ids.n; i++)
		free(rows[i].url);
	free(rows);
	rl_buf_free(&sources);
	rl_buf_free(&readme);
	rl_strv_free(&ids);
	return rc;
}
