/* redline push: the source branches (and the landing page when unsharded)
 * to a remote in one libgit2 connection. libgit2 fails a whole push when
 * one ref is not a fast-forward, so the remote's refs are listed first and
 * only fast-forwards are sent; the rest are reported, never forced. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "redline/git-certs.h"
#include "redline/replicate.h"
#include "redline/util.h"

#define BRANCH_PREFIX    "refs/heads/"
#define LANDING_REF      "refs/heads/main"
#define CREDENTIAL_TRIES 3

void rl_push_result_clear(rl_push_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_refs; i++) {
		free(r->refs[i].ref);
		free(r->refs[i].reason);
	}
	free(r->refs);
	free(r->remote);
	free(r->url);
	memset(r, 0, sizeof(*r));
}

char *rl_url_redact(const char *url)
{
	const char *scheme = strstr(url, "://"), *host, *at, *slash;
	char *out = NULL;

	if (!scheme)
		return strdup(url); /* a path, or scp-like user@host:path (no secret) */
	host = scheme + 3;
	slash = strchr(host, '/');
	at = memchr(host, '@', slash ? (size_t)(slash - host) : strlen(host));
	if (!at)
		return strdup(url);
	if (asprintf(&out, "%.*s%s", (int)(host - url), url, at + 1) < 0)
		return NULL;
	return out;
}

int rl_push_refs(rl_archive *a, const rl_config *cfg, rl_strv *out, rl_error *err)
{
	rl_strv ids = RL_STRV_INIT;
	int sharded = cfg && cfg->shard_n > 1;
	int rc = rl_archive_sources(a, &ids, err);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < ids.n && rc == 0; i++)
		if (rl_config_in_shard(cfg, ids.v[i]) &&
		    rl_strv_pushf(out, BRANCH_PREFIX "%s", ids.v[i]) < 0)
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	if (rc == 0 && !sharded) {
		git_oid id;

		if (git_reference_name_to_id(&id, rl_archive_repo(a), LANDING_REF) == 0 &&
		    rl_strv_push(out, LANDING_REF) < 0)
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	rl_strv_free(&ids);
	return rc;
}

typedef struct push_ctx {
	rl_push_result *res;
	int tries;
} push_ctx;

/* ssh: the agent, then the usual key files; https: what the URL carries
 * (libgit2 uses it itself). Bounded, so a wrong key cannot loop. */
static int credentials(git_credential **out, const char *url, const char *user_from_url,
		       unsigned int allowed, void *payload)
{
	push_ctx *ctx = payload;
	const char *user = user_from_url && *user_from_url ? user_from_url : "git";
	const char *home = getenv("HOME");
	char pub[4096], key[4096];

	(void)url;
	if (++ctx->tries > CREDENTIAL_TRIES)
		return GIT_EUSER;
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user);
	if (!(allowed & GIT_CREDENTIAL_SSH_KEY))
		return GIT_PASSTHROUGH;
	if (ctx->tries == 1)
		return git_credential_ssh_key_from_agent(out, user);
	snprintf(key, sizeof(key), "%s/.ssh/%s", home ? home : "",
		 ctx->tries == 2 ? "id_ed25519" : "id_rsa");
	snprintf(pub, sizeof(pub), "%s.pub", key);
	if (!home || access(key, R_OK) != 0)
		return GIT_PASSTHROUGH;
	return git_credential_ssh_key_new(out, user, access(pub, R_OK) == 0 ? pub : NULL, key,
					  NULL);
}

static rl_push_ref *result_ref(rl_push_result *r, const char *ref)
{
	for (size_t i = 0; i < r->n_refs; i++)
		if (strcmp(r->refs[i].ref, ref) == 0)
			return &r->refs[i];
	return NULL;
}

static void reject(rl_push_result *r, rl_push_ref *p, const char *why)
{
	if (p->status == RL_PUSH_UPDATED)
		r->updated--;
	p->status = RL_PUSH_REJECTED;
	free(p->reason);
	p->reason = rl_strdup(why);
	r->rejected++;
}

/* The remote's verdict per ref, after it received the pack. */
static int update_reference(const char *refname, const char *status, void *payload)
{
	push_ctx *ctx = payload;
	rl_push_ref *p = result_ref(ctx->res, refname);

	if (p && status && p->status != RL_PUSH_REJECTED) {
		char why[512];

		snprintf(why, sizeof(why), "refused by the remote: %s", status);
		reject(ctx->res, p, why);
	}
	return 0;
}

static const git_oid *remote_tip(const git_remote_head **heads, size_t n, const char *ref)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(heads[i]->name, ref) == 0)
			return &heads[i]->oid;
	return NULL;
}

/* Decides each ref against the remote's tips; returns how many to send. */
static int plan(git_repository *repo, const rl_strv *refs, const git_remote_head **heads,
		size_t n_heads, rl_push_result *r, rl_strv *specs)
{
	r->refs = calloc(refs->n + 1, sizeof(*r->refs));
	if (!r->refs)
		return -1;
	for (size_t i = 0; i < refs->n; i++) {
		rl_push_ref *p = &r->refs[r->n_refs];
		const git_oid *theirs = remote_tip(heads, n_heads, refs->v[i]);
		git_odb *odb = NULL;
		git_oid ours;

		if (git_reference_name_to_id(&ours, repo, refs->v[i]) < 0)
			continue; /* removed meanwhile */
		p->ref = rl_strdup(refs->v[i]);
		if (!p->ref)
			return -1;
		r->n_refs++;
		if (theirs && git_oid_equal(theirs, &ours)) {
			p->status = RL_PUSH_UPTODATE;
			r->uptodate++;
			continue;
		}
		if (theirs &&
		    (git_repository_odb(&odb, repo) < 0 || !git_odb_exists(odb, theirs))) {
			git_odb_free(odb);
			p->status = RL_PUSH_REJECTED;
			p->reason =
			    rl_strdup("non-fast-forward: the remote has versions this "
				      "archive does not (another writer pushes this source?)");
			r->rejected++;
			continue;
		}
		git_odb_free(odb);
		if (theirs && git_graph_descendant_of(repo, &ours, theirs) != 1) {
			p->status = RL_PUSH_REJECTED;
			p->reason = rl_strdup("non-fast-forward: the remote's branch and this "
					      "archive's have diverged");
			r->rejected++;
			continue;
		}
		p->status = RL_PUSH_UPDATED;
		r->updated++;
		if (rl_strv_pushf(specs, "%s:%s", refs->v[i], refs->v[i]) < 0)
			return -1;
	}
	return (int)specs->n;
}

/* A path, not a URL (scheme://) nor scp-like (host:path, no slash before ':'). */
static int is_local_path(const char *url)
{
	const char *colon = strchr(url, ':'), *slash = strchr(url, '/');

	if (strstr(url, "://"))
		return 0;
	return !colon || (slash && slash < colon);
}

/* libgit2's messages may quote the URL: never with its credentials. */
static int remote_error(rl_error *err, const rl_remote *remote, const char *shown, const char *what)
{
	const git_error *ge = git_error_last();
	const char *msg = ge && ge->message ? ge->message : "unknown error";
	char clean[RL_ERROR_MAX];

	snprintf(clean, sizeof(clean), "%s", msg);
	if (remote->url && strcmp(remote->url, shown) != 0) {
		char *hit = strstr(clean, remote->url);

		if (hit)
			snprintf(hit, sizeof(clean) - (size_t)(hit - clean), "%s", shown);
	}
	return rl_error_set(err, RL_EGIT, "remote '%s' (%s): %s: %s", remote->name, shown, what,
			    clean);
}

int rl_push(rl_archive *a, const rl_config *cfg, const rl_remote *remote, rl_push_result *out,
	    rl_error *err)
{
	git_repository *repo = rl_archive_repo(a);
	git_remote_callbacks cbs;
	git_push_options opts;
	git_remote_create_options copts;
	const git_remote_head **heads = NULL;
	git_remote *gr = NULL;
	rl_strv refs = RL_STRV_INIT, specs = RL_STRV_INIT;
	push_ctx ctx;
	size_t n_heads = 0;
	int rc, todo;

	memset(out, 0, sizeof(*out));
	ctx.res = out;
	ctx.tries = 0;
	if (!remote->url || !*remote->url)
		return rl_error_set(err, RL_ECONFIG, "remote '%s' has no url", remote->name);
	git_remote_init_callbacks(&cbs, GIT_REMOTE_CALLBACKS_VERSION);
	git_push_options_init(&opts, GIT_PUSH_OPTIONS_VERSION);
	out->remote = rl_strdup(remote->name);
	out->url = rl_url_redact(remote->url);
	if (!out->remote || !out->url)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	rc = rl_push_refs(a, cfg, &refs, err);
	if (rc < 0)
		goto out;
	cbs.credentials = credentials;
	cbs.push_update_reference = update_reference;
	cbs.payload = &ctx;
	if (is_local_path(remote->url) && access(remote->url, F_OK) != 0) {
		rc = rl_error_set(err, RL_ENOTFOUND,
				  "remote '%s' (%s): no repository there (create one with git init "
				  "--bare)",
				  remote->name, out->url);
		goto out;
	}
	/* A long-lived process let libgit2's CA certificates go
	 * (redline/git-certs.h): https needs them back first. */
	rc = rl_git_certs_need(remote->url, err);
	if (rc < 0) {
		rl_error_prefix(err, "remote '%s' (%s)", remote->name, out->url);
		goto out;
	}
	/* No url.*.insteadOf rewriting: the archive's config has none, and
	 * libgit2 1.5 leaks a regex match per config entry it checks. */
	git_remote_create_options_init(&copts, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	copts.repository = repo;
	copts.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&gr, remote->url, &copts) < 0) {
		rc = remote_error(err, remote, out->url, "not a remote URL");
		goto out;
	}
	if (git_remote_connect(gr, GIT_DIRECTION_PUSH, &cbs, NULL, NULL) < 0 ||
	    git_remote_ls(&heads, &n_heads, gr) < 0) {
		rc = remote_error(err, remote, out->url, "cannot connect");
		goto out;
	}
	todo = plan(repo, &refs, heads, n_heads, out, &specs);
	if (todo < 0) {
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		goto out;
	}
	if (todo > 0) {
		git_strarray sa = {specs.v, specs.n};

		opts.callbacks = cbs;
		ctx.tries = 0;
		if (git_remote_push(gr, &sa, &opts) < 0) {
			rc = remote_error(err, remote, out->url, "push failed");
			goto out;
		}
	}
	rc = 0;
out:
	if (gr)
		git_remote_disconnect(gr);
	git_remote_free(gr);
	rl_strv_free(&refs);
	rl_strv_free(&specs);
	return rc;
}
