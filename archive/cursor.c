/* Notification cursors as refs, moved by compare-and-swap; the health a
 * channel was last told, as a small state file. See cursor.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "redline/cursor.h"
#include "redline/state.h"
#include "redline/util.h"
#include "store-internal.h"

#define BRANCH_PREFIX "refs/heads/"

static int ref_name(char *out, size_t len, const char *channel, const char *source)
{
	int n = snprintf(out, len, RL_CURSOR_PREFIX "%s/%s", channel, source);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int rl_cursor_name_check(const char *channel, const char *source, rl_error *err)
{
	char name[512];
	int valid = 0;

	if (!channel || !*channel || strchr(channel, '/'))
		return rl_error_set(
		    err, RL_ECONFIG,
		    "channel name '%s' cannot name a cursor ref (no '/', not empty)",
		    channel ? channel : "");
	if (ref_name(name, sizeof(name), channel, source ? source : "x") < 0 ||
	    git_reference_name_is_valid(&valid, name) < 0 || !valid)
		return rl_error_set(err, RL_ECONFIG,
				    "channel name '%s' cannot name a cursor ref (%s): use letters, "
				    "digits, '-', '_' and '.'",
				    channel, name);
	return 0;
}

int rl_cursor_get(rl_archive *a, const char *channel, const char *source, char out[RL_OID_HEX + 1],
		  rl_error *err)
{
	char name[512];
	git_oid oid;
	int rc;

	out[0] = '\0';
	if (rl_cursor_name_check(channel, source, err) < 0)
		return RL_ECONFIG;
	ref_name(name, sizeof(name), channel, source);
	rc = git_reference_name_to_id(&oid, rl_archive_repo(a), name);
	if (rc == GIT_ENOTFOUND)
		return rl_error_set(err, RL_ENOTFOUND, "%s: no cursor yet", name);
	if (rc < 0)
		return rl_error_from_git(err, "%s", name);
	git_oid_tostr(out, RL_OID_HEX + 1, &oid);
	return 0;
}

int rl_cursor_set(rl_archive *a, const char *channel, const char *source, const char *expected,
		  const char *commit, rl_error *err)
{
	char name[512], log[600];
	int rc;

	if (rl_cursor_name_check(channel, source, err) < 0)
		return RL_ECONFIG;
	ref_name(name, sizeof(name), channel, source);
	snprintf(log, sizeof(log), "redline: delivered on %s", channel);
	/* The store's compare-and-swap: it recovers the lock of a daemon killed
	 * in the middle of moving this cursor. */
	rc = rl_archive_ref_cas(a, name, commit, expected, log, err);
	if (rc == RL_ECONFLICT)
		return rl_error_set(err, RL_ECONFLICT, "%s moved meanwhile", name);
	return rc;
}

/* A version from its commit: subject and the Redline-* trailers. */
int rl_cursor_next(rl_archive *a, const char *channel, const char *source, const char *cursor,
		   rl_version *out, size_t *pending, rl_error *err)
{
	git_repository *repo = rl_archive_repo(a);
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid oid, first, cur;
	char branch[300];
	size_t n = 0;
	int rc;

	if (pending)
		*pending = 0;
	snprintf(branch, sizeof(branch), BRANCH_PREFIX "%s", source);
	if (git_reference_name_to_id(&oid, repo, branch) < 0)
		return 0; /* no versions: nothing owed */
	if (cursor && *cursor) {
		if (git_oid_fromstr(&cur, cursor) < 0)
			return rl_error_set(err, RL_EINVALID, "cursor of %s on %s: bad id '%s'",
					    source, channel, cursor);
		if (git_oid_equal(&cur, &oid))
			return 0;
		/* The cursor must be an ancestor of the tip, or the walk
		 * below would deliver the whole history again. */
		if (git_graph_descendant_of(repo, &oid, &cur) != 1)
			return rl_error_set(
			    err, RL_EINVALID,
			    "the cursor of '%s' on channel '%s' (%.12s) is not on "
			    "the source's branch; move it with 'redline notify skip'",
			    source, channel, cursor);
	}
	if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_push(walk, &oid) < 0 ||
	    (cursor && *cursor && git_revwalk_hide(walk, &cur) < 0)) {
		rc = rl_error_from_git(err, "walking %s", branch);
		git_revwalk_free(walk);
		return rc;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	/* Newest first: the last one seen is the oldest owed. */
	while (git_revwalk_next(&oid, walk) == 0) {
		first = oid;
		n++;
	}
	git_revwalk_free(walk);
	if (pending)
		*pending = n;
	if (n == 0)
		return 0;
	if (git_commit_lookup(&c, repo, &first) < 0)
		return rl_error_from_git(err, "reading a version of %s", source);
	rc = store_version_from_commit(out, source, c);
	git_commit_free(c);
	if (rc < 0) {
		rl_version_clear(out);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	return 1;
}

static char *health_path(rl_archive *a, const char *channel, const char *source)
{
	char *p = NULL;

	if (asprintf(&p, "%s/notified/%s/%s", rl_archive_state_dir(a), channel, source) < 0)
		return NULL;
	return p;
}

int rl_cursor_health_get(rl_archive *a, const char *channel, const char *source)
{
	char *path = health_path(a, channel, source);
	rl_buf b = RL_BUF_INIT;
	int h = RL_HEALTH_NEVER;

	if (path && rl_file_read(path, &b, NULL) == 0) {
		if (strncmp(rl_buf_cstr(&b), "failing", 7) == 0)
			h = RL_HEALTH_FAILING;
		else if (strncmp(rl_buf_cstr(&b), "ok", 2) == 0)
			h = RL_HEALTH_OK;
	}
	rl_buf_free(&b);
	free(path);
	return h;
}

int rl_cursor_health_set(rl_archive *a, const char *channel, const char *source, int health,
			 rl_error *err)
{
	char *path = health_path(a, channel, source), *dir = NULL;
	const char *v = health == RL_HEALTH_FAILING ? "failing\n" : "ok\n";
	int rc;

	if (rl_cursor_name_check(channel, source, err) < 0) {
		free(path);
		return RL_ECONFIG;
	}
	if (!path || asprintf(&dir, "%s/notified/%s", rl_archive_state_dir(a), channel) < 0) {
		free(path);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	rc = rl_mkdir_p(dir, 0755, err);
	if (rc == 0)
		rc = rl_file_write_atomic(path, v, strlen(v), err);
	free(dir);
	free(path);
	return rc;
}
