/* The archive store: a bare git repository through libgit2, one branch
 * per source, one commit per version, refs moved by compare-and-swap. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "redline/archive.h"
#include "redline/util.h"
#include "store-internal.h"

#define BRANCH_PREFIX  "refs/heads/"
#define LANDING_BRANCH "main"

struct rl_archive {
	git_repository *repo;
	char *path;
	char *state_dir;
	store_wlock wlock; /* redline/write.lock, see lock.c */
};

store_wlock *store_wlock_of(rl_archive *a)
{
	return &a->wlock;
}

/* libgit2's process-wide settings for an archive (set on every open; gc
 * raises the cache while it runs):
 * - a version must survive a power cut once its branch points at it, so
 *   every object, pack, ref and their directories are fsynced before the
 *   rename that publishes them (about 3 ms per version; doc/scale.md);
 * - a daemon reads thousands of tips a pass, for months: libgit2 would
 *   cache up to 256 MiB of them and map up to 8 GiB of packs, so both are
 *   bounded: a pass reads each source's tip once, and a cache larger than
 *   what one command re-reads only keeps objects scattered over the heap
 *   (redlined turns it off; gc raises it while it runs);
 * - whether an object read is hashed again (rl_archive_verify_reads). */
#define OBJECT_CACHE_BYTES ((ssize_t)512 * 1024)
#define PACK_WINDOW_BYTES  ((size_t)4 * 1024 * 1024)
#define PACK_MAPPED_BYTES  ((size_t)64 * 1024 * 1024)

static int verify_reads = 1; /* rl_archive_verify_reads */

void rl_archive_verify_reads(int on)
{
	verify_reads = on != 0;
}

static void library_defaults(void)
{
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, verify_reads);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, OBJECT_CACHE_BYTES);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, PACK_WINDOW_BYTES);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, PACK_MAPPED_BYTES);
}

static int archive_finish_open(rl_archive **out, git_repository *repo, rl_error *err)
{
	rl_archive *a = calloc(1, sizeof(*a));
	const char *path = git_repository_path(repo);
	size_t len;

	if (!a) {
		git_repository_free(repo);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	a->repo = repo;
	a->wlock.fd = -1;
	a->path = strdup(path);
	len = a->path ? strlen(a->path) : 0;
	if (len > 1 && a->path[len - 1] == '/')
		a->path[len - 1] = '\0';
	if (!a->path || asprintf(&a->state_dir, "%s/redline", a->path) < 0) {
		rl_archive_free(a);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	library_defaults();
	*out = a;
	return 0;
}

int rl_archive_init(rl_archive **out, const char *path, rl_error *err)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;
	rl_archive *a = NULL;
	int rc;

	*out = NULL;
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	if (git_repository_open_bare(&repo, path) == 0) {
		rc = archive_finish_open(&a, repo, err);
	} else {
		opts.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH |
			     GIT_REPOSITORY_INIT_NO_REINIT;
		opts.initial_head = LANDING_BRANCH;
		opts.description = "redline archive: one branch per watched source\n";
		if (git_repository_init_ext(&repo, path, &opts) < 0)
			return rl_error_from_git(err, "cannot create archive %s", path);
		rc = archive_finish_open(&a, repo, err);
	}
	if (rc < 0 || !a)
		return rc < 0 ? rc : RL_ENOMEM;
	if (rl_mkdir_p(a->state_dir, 0755, err) < 0) {
		rl_archive_free(a);
		return RL_EIO;
	}
	*out = a;
	return 0;
}

int rl_archive_open(rl_archive **out, const char *path, rl_error *err)
{
	git_repository *repo = NULL;
	struct stat st;

	*out = NULL;
	if (stat(path, &st) < 0)
		return rl_error_set(err, RL_ENOTFOUND,
				    "no archive at %s (%s); create it with 'redline init'", path,
				    strerror(errno));
	if (git_repository_open_bare(&repo, path) < 0)
		return rl_error_from_git(err, "%s is not a redline archive (a bare git repository)",
					 path);
	return archive_finish_open(out, repo, err);
}

void rl_archive_free(rl_archive *a)
{
	if (!a)
		return;
	git_repository_free(a->repo);
	if (a->wlock.fd >= 0)
		close(a->wlock.fd);
	free(a->path);
	free(a->state_dir);
	free(a);
}

const char *rl_archive_path(const rl_archive *a)
{
	return a->path;
}

const char *rl_archive_state_dir(const rl_archive *a)
{
	return a->state_dir;
}

git_repository *rl_archive_repo(rl_archive *a)
{
	return a->repo;
}

int rl_archive_reopen(rl_archive *a, rl_error *err)
{
	git_repository *repo = NULL;

	if (git_repository_open_bare(&repo, a->path) < 0)
		return rl_error_from_git(err, "cannot reopen the archive %s", a->path);
	git_repository_free(a->repo);
	a->repo = repo;
	return 0;
}

/* --- versions ------------------------------------------------------------- */

void rl_version_clear(rl_version *v)
{
	if (!v)
		return;
	free(v->source);
	free(v->subject);
	free(v->change);
	free(v->url);
	free(v->message);
	memset(v, 0, sizeof(*v));
}

void rl_version_list_free(rl_version_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		rl_version_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int list_push(rl_version_list *l, rl_version *v)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		rl_version *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = *v;
	return 0;
}

int store_version_from_commit(rl_version *v, const char *source, const git_commit *c)
{
	git_message_trailer_array trailers = {0};
	const char *msg = git_commit_message(c);
	const char *summary = git_commit_summary((git_commit *)c);

	memset(v, 0, sizeof(*v));
	git_oid_tostr(v->commit, sizeof(v->commit), git_commit_id(c));
	if (git_commit_parentcount(c) > 0)
		git_oid_tostr(v->parent, sizeof(v->parent), git_commit_parent_id(c, 0));
	v->source = rl_strdup(source);
	v->time = (int64_t)git_commit_time(c);
	v->subject = rl_strdup(summary ? summary : "");
	v->message = rl_strdup(msg ? msg : "");
	if (msg && git_message_trailers(&trailers, msg) == 0) {
		for (size_t i = 0; i < trailers.count; i++) {
			if (strcmp(trailers.trailers[i].key, "Redline-Change") == 0 && !v->change)
				v->change = rl_strdup(trailers.trailers[i].value);
			else if (strcmp(trailers.trailers[i].key, "Redline-Url") == 0 && !v->url)
				v->url = rl_strdup(trailers.trailers[i].value);
		}
		git_message_trailer_array_free(&trailers);
	}
	if (!v->change)
		v->change = rl_strdup("");
	return v->source && v->subject && v->message && v->change ? 0 : -1;
}

int rl_archive_tip(rl_archive *a, const char *source, char out[RL_OID_HEX + 1], rl_error *err)
{
	char ref[256];
	git_oid oid;

	snprintf(ref, sizeof(ref), BRANCH_PREFIX "%s", source);
	if (git_reference_name_to_id(&oid, a->repo, ref) < 0)
		return rl_error_set(err, RL_ENOTFOUND, "source '%s' has no versions in %s", source,
				    a->path);
	git_oid_tostr(out, RL_OID_HEX + 1, &oid);
	return 0;
}

int rl_archive_has_source(rl_archive *a, const char *source)
{
	char tip[RL_OID_HEX + 1];

	return rl_archive_tip(a, source, tip, NULL) == 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every source branch with its tip, read in one pass over the refs (one
 * packed-refs file after gc, else one small file per source). */
static int branch_tips(rl_archive *a, rl_strv *names, git_oid **tips, rl_error *err)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	size_t cap = 0;
	int rc;

	*tips = NULL;
	if (git_reference_iterator_glob_new(&it, a->repo, BRANCH_PREFIX "*") < 0)
		return rl_error_from_git(err, "cannot list the branches of %s", a->path);
	while ((rc = git_reference_next(&ref, it)) == 0) {
		const char *id = git_reference_name(ref) + strlen(BRANCH_PREFIX);
		const git_oid *target = git_reference_target(ref);

		if (target && strcmp(id, LANDING_BRANCH) != 0) {
			if (names->n == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				git_oid *v = realloc(*tips, ncap * sizeof(*v));

				if (!v) {
					git_reference_free(ref);
					rc = RL_ENOMEM;
					break;
				}
				*tips = v;
				cap = ncap;
			}
			if (rl_strv_push(names, id) < 0) {
				git_reference_free(ref);
				rc = RL_ENOMEM;
				break;
			}
			git_oid_cpy(&(*tips)[names->n - 1], target);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (rc == RL_ENOMEM)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	if (rc != GIT_ITEROVER)
		return rl_error_from_git(err, "cannot list the branches of %s", a->path);
	return 0;
}

int rl_archive_sources(rl_archive *a, rl_strv *out, rl_error *err)
{
	rl_strv names = RL_STRV_INIT;
	git_oid *tips = NULL;
	int rc = branch_tips(a, &names, &tips, err);

	free(tips);
	/* Sorted, so every listing reads the same. */
	if (rc == 0 && names.n > 1)
		qsort(names.v, names.n, sizeof(*names.v), cmp_str);
	for (size_t i = 0; rc == 0 && i < names.n; i++)
		if (rl_strv_push(out, names.v[i]) < 0)
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	rl_strv_free(&names);
	return rc;
}

static int lookup_commit(rl_archive *a, const char *hex, git_commit **out, rl_error *err)
{
	git_oid oid;

	if (git_oid_fromstr(&oid, hex) < 0 || git_commit_lookup(out, a->repo, &oid) < 0)
		return rl_error_from_git(err, "no commit %s in %s", hex, a->path);
	return 0;
}

int rl_archive_log(rl_archive *a, const char *source, size_t max, rl_version_list *out,
		   rl_error *err)
{
	char tip[RL_OID_HEX + 1];
	git_commit *c = NULL;
	int rc;

	rc = rl_archive_tip(a, source, tip, err);
	if (rc < 0)
		return rc;
	rc = lookup_commit(a, tip, &c, err);
	if (rc < 0)
		return rc;
	/* A source's history is linear: follow first parents. */
	while (c && (max == 0 || out->n < max)) {
		rl_version v;
		git_commit *parent = NULL;

		if (store_version_from_commit(&v, source, c) < 0 || list_push(out, &v) < 0) {
			rl_version_clear(&v);
			git_commit_free(c);
			return rl_error_set(err, RL_ENOMEM, "out of memory");
		}
		if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) < 0) {
			git_commit_free(c);
			return rl_error_from_git(err, "source '%s': history is damaged", source);
		}
		git_commit_free(c);
		c = parent;
	}
	git_commit_free(c);
	return 0;
}

/* The merged log is a k-way merge over the branches by commit time:
 * it reads one commit per source plus one per version shown. */
typedef struct head {
	git_commit *c;
	const char *source;
} head;

static int head_newer(const head *x, const head *y)
{
	return git_commit_time(x->c) > git_commit_time(y->c);
}

static void heap_down(head *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && head_newer(&h[l], &h[m]))
			m = l;
		if (r < n && head_newer(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		head t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

int rl_archive_log_all(rl_archive *a, size_t max, rl_version_list *out, rl_error *err)
{
	rl_strv sources = RL_STRV_INIT;
	git_oid *tips = NULL;
	head *heap;
	size_t n = 0;
	int rc;

	rc = branch_tips(a, &sources, &tips, err);
	if (rc < 0) {
		free(tips);
		rl_strv_free(&sources);
		return rc;
	}
	heap = calloc(sources.n + 1, sizeof(*heap));
	if (!heap) {
		free(tips);
		rl_strv_free(&sources);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < sources.n; i++) {
		if (git_commit_lookup(&heap[n].c, a->repo, &tips[i]) < 0)
			continue;
		heap[n++].source = sources.v[i];
	}
	free(tips);
	for (size_t i = n / 2; i-- > 0;)
		heap_down(heap, n, i);
	while (n > 0 && (max == 0 || out->n < max)) {
		rl_version v;
		git_commit *parent = NULL;

		if (store_version_from_commit(&v, heap[0].source, heap[0].c) < 0 ||
		    list_push(out, &v) < 0) {
			rl_version_clear(&v);
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
			break;
		}
		if (git_commit_parentcount(heap[0].c) > 0)
			git_commit_parent(&parent, heap[0].c, 0);
		git_commit_free(heap[0].c);
		if (parent) {
			heap[0].c = parent;
		} else {
			heap[0] = heap[--n];
		}
		heap_down(heap, n, 0);
	}
	for (size_t i = 0; i < n; i++)
		git_commit_free(heap[i].c);
	free(heap);
	rl_strv_free(&sources);
	return rc;
}

/* --- reading versions ------------------------------------------------------ */

/* The id of the blob at path in commit's tree. */
static int lookup_entry_id(rl_archive *a, const char *commit, const char *path, git_oid *id,
			   rl_error *err)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int rc = 0;

	rc = lookup_commit(a, commit, &c, err);
	if (rc < 0)
		return rc;
	if (git_commit_tree(&tree, c) < 0) {
		rc = rl_error_from_git(err, "commit %.12s has no tree", commit);
		goto out;
	}
	if (git_tree_entry_bypath(&e, tree, path) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		rc = rl_error_set(err, RL_ENOTFOUND, "version %.12s has no %s", commit, path);
		goto out;
	}
	git_oid_cpy(id, git_tree_entry_id(e));
out:
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

static int lookup_entry_blob(rl_archive *a, const char *commit, const char *path, git_blob **out,
			     rl_error *err)
{
	git_oid id;
	int rc = lookup_entry_id(a, commit, path, &id, err);

	if (rc == 0 && git_blob_lookup(out, a->repo, &id) < 0)
		rc = rl_error_from_git(err, "version %.12s: %s is unreadable", commit, path);
	return rc;
}

int rl_archive_read_size(rl_archive *a, const char *commit, const char *path, size_t *size,
			 rl_error *err)
{
	git_odb *odb = NULL;
	git_object_t type;
	git_oid id;
	int rc = lookup_entry_id(a, commit, path, &id, err);

	*size = 0;
	if (rc < 0)
		return rc;
	if (git_repository_odb(&odb, a->repo) < 0 || git_odb_read_header(size, &type, odb, &id) < 0)
		rc = rl_error_from_git(err, "version %.12s: %s is unreadable", commit, path);
	git_odb_free(odb);
	return rc;
}

int rl_archive_read(rl_archive *a, const char *commit, const char *path, rl_buf *out, rl_error *err)
{
	git_blob *b = NULL;
	int rc = lookup_entry_blob(a, commit, path, &b, err);

	if (rc < 0)
		return rc;
	rc = rl_buf_put(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return rc < 0 ? rl_error_set(err, RL_ENOMEM, "out of memory") : 0;
}

int rl_archive_blob_id(rl_archive *a, const char *commit, const char *path,
		       char out[RL_OID_HEX + 1], rl_error *err)
{
	git_oid id;
	int rc = lookup_entry_id(a, commit, path, &id, err);

	if (rc == 0)
		git_oid_tostr(out, RL_OID_HEX + 1, &id);
	return rc;
}

int rl_archive_list(rl_archive *a, const char *commit, const char *dir, rl_strv *out, rl_error *err)
{
	git_commit *c = NULL;
	git_tree *tree = NULL, *sub = NULL;
	git_tree_entry *e = NULL;
	int rc = lookup_commit(a, commit, &c, err);

	if (rc < 0)
		return rc;
	if (git_commit_tree(&tree, c) < 0) {
		rc = rl_error_from_git(err, "commit %.12s has no tree", commit);
		goto out;
	}
	if (git_tree_entry_bypath(&e, tree, dir) < 0 || git_tree_entry_type(e) != GIT_OBJECT_TREE ||
	    git_tree_lookup(&sub, a->repo, git_tree_entry_id(e)) < 0) {
		rc = rl_error_set(err, RL_ENOTFOUND, "version %.12s has no %s/", commit, dir);
		goto out;
	}
	for (size_t i = 0; i < git_tree_entrycount(sub); i++)
		rl_strv_push(out, git_tree_entry_name(git_tree_entry_byindex(sub, i)));
out:
	git_tree_free(sub);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}
