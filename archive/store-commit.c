/* Writing a version: blobs, then trees, then the commit, and only then
 * the branch moves, in one compare-and-swap. A crash before the ref
 * update leaves unreferenced objects, never a damaged history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "redline/archive.h"
#include "redline/util.h"
#include "store-internal.h"

#define SUBDIR_MAX 8

typedef struct subdir {
	char name[64];
	git_treebuilder *tb;
} subdir;

static int valid_path(const char *p)
{
	const char *slash = strchr(p, '/');

	if (!*p || p[0] == '/' || p[0] == '.' || strstr(p, "//"))
		return 0;
	if (slash && (strchr(slash + 1, '/') || !slash[1] || slash[1] == '.' ||
		      (size_t)(slash - p) >= sizeof(((subdir *)0)->name)))
		return 0;
	return 1;
}

static git_treebuilder *subdir_builder(git_repository *repo, subdir *dirs, size_t *n,
				       const char *name, size_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (strlen(dirs[i].name) == len && memcmp(dirs[i].name, name, len) == 0)
			return dirs[i].tb;
	if (*n == SUBDIR_MAX)
		return NULL;
	memcpy(dirs[*n].name, name, len);
	dirs[*n].name[len] = '\0';
	if (git_treebuilder_new(&dirs[*n].tb, repo, NULL) < 0)
		return NULL;
	return dirs[(*n)++].tb;
}

static int build_tree(git_repository *repo, const rl_file *files, size_t n, git_oid *out,
		      rl_error *err)
{
	git_treebuilder *root = NULL;
	subdir dirs[SUBDIR_MAX];
	size_t ndirs = 0;
	int rc = 0;

	if (git_treebuilder_new(&root, repo, NULL) < 0)
		return rl_error_from_git(err, "cannot build a tree");
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *slash = strchr(files[i].path, '/');
		git_treebuilder *tb = root;
		git_oid blob;

		if (!valid_path(files[i].path)) {
			rc = rl_error_set(err, RL_EINVALID, "'%s' is not a path a version can hold",
					  files[i].path);
			break;
		}
		if (slash) {
			tb = subdir_builder(repo, dirs, &ndirs, files[i].path,
					    (size_t)(slash - files[i].path));
			if (!tb) {
				rc = rl_error_from_git(err, "cannot build tree %s", files[i].path);
				break;
			}
		}
		if (git_blob_create_from_buffer(&blob, repo, files[i].data, files[i].len) < 0 ||
		    git_treebuilder_insert(NULL, tb, slash ? slash + 1 : files[i].path, &blob,
					   GIT_FILEMODE_BLOB) < 0)
			rc = rl_error_from_git(err, "cannot store %s", files[i].path);
	}
	for (size_t i = 0; i < ndirs; i++) {
		git_oid sub;

		if (rc == 0 &&
		    (git_treebuilder_write(&sub, dirs[i].tb) < 0 ||
		     git_treebuilder_insert(NULL, root, dirs[i].name, &sub, GIT_FILEMODE_TREE) < 0))
			rc = rl_error_from_git(err, "cannot write tree %s", dirs[i].name);
		git_treebuilder_free(dirs[i].tb);
	}
	if (rc == 0 && git_treebuilder_write(out, root) < 0)
		rc = rl_error_from_git(err, "cannot write the version's tree");
	git_treebuilder_free(root);
	return rc;
}

int rl_archive_commit(rl_archive *a, const rl_commit_req *req, char out[RL_OID_HEX + 1],
		      rl_error *err)
{
	git_repository *repo = rl_archive_repo(a);
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, commit_id, parent_id;
	const git_commit *parents[1];
	char refname[256];
	int have_parent = req->expected_tip && *req->expected_tip;
	int rc;

	rc = rl_source_id_valid(req->source, err);
	if (rc < 0)
		return rc;
	/* Announced from the first object on: see lock.c. */
	store_writing_begin(a);
	rc = build_tree(repo, req->files, req->n_files, &tree_id, err);
	if (rc < 0)
		goto out;
	if (git_tree_lookup(&tree, repo, &tree_id) < 0) {
		rc = rl_error_from_git(err, "cannot read back the new tree");
		goto out;
	}
	if (have_parent) {
		if (git_oid_fromstr(&parent_id, req->expected_tip) < 0 ||
		    git_commit_lookup(&parent, repo, &parent_id) < 0) {
			rc = rl_error_from_git(err, "source '%s': parent %s", req->source,
					       req->expected_tip);
			goto out;
		}
		parents[0] = parent;
	}
	if (git_signature_new(&sig, "redline", "redline@localhost", (git_time_t)req->time, 0) < 0) {
		rc = rl_error_from_git(err, "cannot make a signature");
		goto out;
	}
	if (git_commit_create(&commit_id, repo, NULL, sig, sig, "UTF-8", req->message, tree,
			      have_parent ? 1 : 0, have_parent ? parents : NULL) < 0) {
		rc = rl_error_from_git(err, "source '%s': cannot write the commit", req->source);
		goto out;
	}
	snprintf(refname, sizeof(refname), "refs/heads/%s", req->source);
	/* Compare-and-swap: a new branch must not exist yet; an existing one
	 * must still point where the caller diffed. */
	rc = store_ref_cas(a, refname, &commit_id, have_parent ? &parent_id : NULL, req->message,
			   err);
	if (rc == RL_ECONFLICT) {
		rl_error_prefix(err, "source '%s'", req->source);
		goto out;
	}
	if (rc < 0)
		goto out;
	git_oid_tostr(out, RL_OID_HEX + 1, &commit_id);
	rc = 0;
out:
	store_writing_end(a);
	git_signature_free(sig);
	git_commit_free(parent);
	git_tree_free(tree);
	return rc;
}

int rl_archive_ref_cas(rl_archive *a, const char *refname, const char *new_hex, const char *old_hex,
		       const char *log_message, rl_error *err)
{
	git_oid new_id, old_id;
	int has_old = old_hex && *old_hex;

	if (git_oid_fromstr(&new_id, new_hex) < 0)
		return rl_error_set(err, RL_EINVALID, "%s: '%s' is not a commit id", refname,
				    new_hex);
	if (has_old && git_oid_fromstr(&old_id, old_hex) < 0)
		return rl_error_set(err, RL_EINVALID, "%s: '%s' is not a commit id", refname,
				    old_hex);
	if (!git_reference_is_valid_name(refname) || strncmp(refname, "refs/", 5) != 0)
		return rl_error_set(err, RL_EINVALID, "'%s' is not a ref name", refname);
	return store_ref_cas(a, refname, &new_id, has_old ? &old_id : NULL,
			     log_message ? log_message : "redline", err);
}
