/* redline gc: one pack with deltas for everything reachable, a
 * commit-graph, packed refs, and unreachable objects pruned after a grace
 * period. libgit2 has the pieces (packbuilder, commit-graph writer, refdb
 * compress) but no gc; this is the order git gc uses them in. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2/sys/commit_graph.h>

#include "gc-internal.h"
#include "redline/util.h"

#define GC_CACHE_BYTES (16 * 1024 * 1024)

/* --- refs --------------------------------------------------------------- */

static void refs_free(gc_run *g)
{
	for (size_t i = 0; i < g->n_refs; i++)
		free(g->refs[i].name);
	free(g->refs);
	g->refs = NULL;
	g->n_refs = 0;
}

int gc_read_refs(gc_run *g, rl_error *err)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	size_t cap = 0;
	int rc;

	refs_free(g);
	if (git_reference_iterator_new(&it, g->repo) < 0)
		return rl_error_from_git(err, "gc: cannot list the refs of %s",
					 rl_archive_path(g->a));
	while ((rc = git_reference_next(&ref, it)) == 0) {
		git_reference *resolved = NULL;

		if (git_reference_resolve(&resolved, ref) == 0) {
			if (g->n_refs == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				gc_ref *v = realloc(g->refs, ncap * sizeof(*v));

				if (!v) {
					git_reference_free(resolved);
					git_reference_free(ref);
					rc = RL_ENOMEM;
					break;
				}
				g->refs = v;
				cap = ncap;
			}
			g->refs[g->n_refs].name = rl_strdup(git_reference_name(ref));
			git_oid_cpy(&g->refs[g->n_refs].id, git_reference_target(resolved));
			if (g->refs[g->n_refs].name)
				g->n_refs++;
		}
		git_reference_free(resolved);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (rc == RL_ENOMEM)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	if (rc != GIT_ITEROVER)
		return rl_error_from_git(err, "gc: cannot list the refs of %s",
					 rl_archive_path(g->a));
	return 0;
}

/* --- the walk ------------------------------------------------------------- */

/* Whether an object is a loose file. Every gc packs the whole closure of
 * what it walks, so an object that is not loose is packed with everything
 * it reaches: an incremental walk stops there. */
static int is_loose(const gc_run *g, const git_oid *id)
{
	char hex[RL_OID_HEX + 1], path[4200];

	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(path, sizeof(path), "%s/objects/%.2s/%s", rl_archive_path(g->a), hex, hex + 2);
	return access(path, F_OK) == 0;
}

static int skip(const gc_run *g, const git_oid *id)
{
	return g->incremental && !is_loose(g, id);
}

/* libgit2's packbuilder sorts delta candidates by a 32-bit hash of the name
 * given with each object, then by size, and tries each against the 10
 * before it (git gc --aggressive tries 250). That hash is positional: each
 * character adds its value at bit 24 after shifting what came before down
 * by 2 bits. So a name can spell the order we want:
 *  - a group per source and file: FNV-1a of "<branch>/<key>" in the top 16
 *    bits, the key being what the file holds, so that a page's canonical
 *    text and its raw bytes share a group ("0085" for pages/0085.md and
 *    raw/0085.html, "document" for text.md and raw/document.html) and the
 *    text can be a delta of the raw page it came from;
 *  - within it, the versions in history order, four to a step (8 base-3
 *    digits): objects of one step share a name and sort by size, so the
 *    raw pages and texts of neighbouring versions sit side by side.
 * Characters 1 to 3 are digits that never carry into their neighbour.
 * Measured (bench/scale.sh): 100 versions of the 1 MB 2020 edition, 5
 * words edited each, pack 1.01x git gc --aggressive's with steps of four,
 * 1.05x with one version a step (1.71x at 50 words edited), 1.43x with the
 * paths as names; 100 sources x 100 versions: 0.92x. */
#define NAME_SEQ_STEP     4
#define NAME_SEQ_DIGITS   8
#define NAME_GROUP_DIGITS 4

static uint32_t fnv1a(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static int blob_name(gc_run *g, const char *entry)
{
	const char *dot = strrchr(entry, '.');
	size_t len = dot && dot != entry ? (size_t)(dot - entry) : strlen(entry);
	char name[NAME_SEQ_DIGITS + NAME_GROUP_DIGITS + 2];
	unsigned seq = g->seq / NAME_SEQ_STEP;
	uint32_t group;
	int k = 0;
	unsigned char top;

	rl_buf_truncate(&g->key, 0);
	rl_buf_put(&g->key, rl_buf_cstr(&g->name), g->branch_len);
	if (len == 4 && strncmp(entry, "text", 4) == 0)
		rl_buf_puts(&g->key, "/document");
	else
		rl_buf_printf(&g->key, "/%.*s", (int)len, entry);
	if (g->key.failed)
		return -1;
	group = fnv1a(g->key.ptr, g->key.len);
	/* Least significant first: the first characters are shifted the most. */
	for (int i = 0; i < NAME_SEQ_DIGITS; i++, seq /= 3)
		name[k++] = (char)(1 + seq % 3);
	for (int i = 0; i < NAME_GROUP_DIGITS; i++, group >>= 2)
		name[k++] = (char)(1 + (group & 3) % 3);
	top = (unsigned char)(group & 0xff);
	/* Never a NUL nor a character the hash skips as white space. */
	if (top == 0 || top == ' ' || (top >= '\t' && top <= '\r'))
		top |= 0x80;
	name[k++] = (char)top;
	name[k] = '\0';
	rl_buf_set(&g->key, name, (size_t)k);
	return g->key.failed ? -1 : 0;
}

static int pack_insert(gc_run *g, const git_oid *id, const char *name)
{
	if (!g->pb)
		return 0;
	return git_packbuilder_insert(g->pb, id, name);
}

static int walk_tree(gc_run *g, const git_oid *tree_id, size_t name_len, rl_error *err)
{
	git_tree *tree = NULL;
	int added = store_oidset_add(&g->reach, tree_id), rc = 0;

	if (added < 0)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	if (added == 0 || skip(g, tree_id))
		return 0;
	if (git_tree_lookup(&tree, g->repo, tree_id) < 0)
		return rl_error_from_git(err, "gc: tree %s is unreadable",
					 git_oid_tostr_s(tree_id));
	if (pack_insert(g, tree_id, rl_buf_cstr(&g->name)) < 0) {
		rc = rl_error_from_git(err, "gc: cannot pack tree %s", git_oid_tostr_s(tree_id));
		goto out;
	}
	for (size_t i = 0; i < git_tree_entrycount(tree) && rc == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const git_oid *id = git_tree_entry_id(e);
		git_object_t type = git_tree_entry_type(e);

		if (type != GIT_OBJECT_TREE && type != GIT_OBJECT_BLOB)
			continue; /* a submodule's commit is not ours */
		rl_buf_truncate(&g->name, name_len);
		rl_buf_printf(&g->name, "/%s", git_tree_entry_name(e));
		if (g->name.failed) {
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		} else if (type == GIT_OBJECT_TREE) {
			rc = walk_tree(g, id, g->name.len, err);
		} else if (!skip(g, id)) {
			added = store_oidset_add(&g->reach, id);
			if (added < 0 || (added && blob_name(g, git_tree_entry_name(e)) < 0))
				rc = rl_error_set(err, RL_ENOMEM, "out of memory");
			else if (added && pack_insert(g, id, rl_buf_cstr(&g->key)) < 0)
				rc = rl_error_from_git(err, "gc: cannot pack %s",
						       rl_buf_cstr(&g->name));
		}
	}
	rl_buf_truncate(&g->name, name_len);
out:
	git_tree_free(tree);
	return rc;
}

typedef struct oid_stack {
	git_oid *v;
	size_t n, cap;
} oid_stack;

static int stack_push(oid_stack *s, const git_oid *id)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		git_oid *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	git_oid_cpy(&s->v[s->n++], id);
	return 0;
}

/* Depth first from one ref, newest first, stopping at what was seen: a
 * branch's history is walked once, and the re-check under the lock only
 * walks what is new since. */
static int walk_from(gc_run *g, const gc_ref *ref, rl_error *err)
{
	const char *branch = ref->name;
	oid_stack todo = {0};
	int rc = 0;

	if (strncmp(branch, "refs/heads/", 11) == 0)
		branch += 11;
	g->seq = 0;
	if (stack_push(&todo, &ref->id) < 0)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	while (todo.n > 0 && rc == 0) {
		git_oid id = todo.v[--todo.n];
		git_object *obj = NULL;
		int added;

		if (store_oidset_has(&g->reach, &id) || skip(g, &id))
			continue;
		if (git_object_lookup(&obj, g->repo, &id, GIT_OBJECT_ANY) < 0) {
			rc = rl_error_from_git(err, "gc: %s points at a missing object", ref->name);
			break;
		}
		rl_buf_reset(&g->name);
		rl_buf_puts(&g->name, branch);
		g->branch_len = g->name.len;
		if (git_object_type(obj) == GIT_OBJECT_TREE) {
			rc = walk_tree(g, &id, g->name.len, err); /* it adds the tree */
			git_object_free(obj);
			continue;
		}
		added = store_oidset_add(&g->reach, &id);
		if (added < 0 || g->name.failed) {
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		} else if (git_object_type(obj) == GIT_OBJECT_COMMIT) {
			git_commit *c = (git_commit *)obj;

			if (g->pb && g->st)
				g->st->commits++;
			g->seq++;
			if (pack_insert(g, &id, NULL) < 0)
				rc = rl_error_from_git(err, "gc: cannot pack commit %s",
						       git_oid_tostr_s(&id));
			else
				rc = walk_tree(g, git_commit_tree_id(c), g->name.len, err);
			for (unsigned i = git_commit_parentcount(c); rc == 0 && i-- > 0;)
				if (stack_push(&todo, git_commit_parent_id(c, i)) < 0)
					rc = rl_error_set(err, RL_ENOMEM, "out of memory");
		} else if (git_object_type(obj) == GIT_OBJECT_TAG) {
			if (pack_insert(g, &id, NULL) < 0 ||
			    stack_push(&todo, git_tag_target_id((git_tag *)obj)) < 0)
				rc = rl_error_from_git(err, "gc: cannot pack tag %s",
						       git_oid_tostr_s(&id));
		} else if (pack_insert(g, &id, branch) < 0) {
			rc = rl_error_from_git(err, "gc: cannot pack %s", git_oid_tostr_s(&id));
		}
		git_object_free(obj);
	}
	free(todo.v);
	return rc;
}

int gc_walk_refs(gc_run *g, rl_error *err)
{
	int rc = 0;

	/* The source branches first, newest history first within each. */
	for (size_t i = 0; i < g->n_refs && rc == 0; i++)
		rc = walk_from(g, &g->refs[i], err);
	return rc;
}

/* --- the steps -------------------------------------------------------------- */

static int write_pack(gc_run *g, const rl_gc_opts *opts, char *name, rl_error *err)
{
	char path[4096];
	struct stat st;
	int rc;

	if (git_packbuilder_new(&g->pb, g->repo) < 0)
		return rl_error_from_git(err, "gc: cannot start a pack");
	git_packbuilder_set_threads(g->pb, opts && opts->threads ? opts->threads : 1);
	rc = gc_walk_refs(g, err);
	if (rc == 0 && git_packbuilder_object_count(g->pb) > 0) {
		if (git_packbuilder_write(g->pb, NULL, 0, NULL, NULL) < 0) {
			rc = rl_error_from_git(err, "gc: cannot write the pack");
		} else {
			snprintf(name, RL_OID_HEX + 1, "%s", git_packbuilder_name(g->pb));
			g->st->objects = git_packbuilder_object_count(g->pb);
			snprintf(path, sizeof(path), "%s/objects/pack/pack-%s.pack",
				 rl_archive_path(g->a), name);
			if (stat(path, &st) == 0)
				g->st->pack_bytes = (uint64_t)st.st_size;
		}
	}
	git_packbuilder_free(g->pb);
	g->pb = NULL;
	if (rc == 0) {
		git_odb *odb = NULL;

		/* Our own handle must see the new pack before loose copies go. */
		if (git_repository_odb(&odb, g->repo) == 0)
			git_odb_refresh(odb);
		git_odb_free(odb);
	}
	return rc;
}

static int write_commit_graph(gc_run *g, rl_error *err)
{
	git_commit_graph_writer_options opts;
	git_commit_graph_writer *w = NULL;
	git_revwalk *walk = NULL;
	char dir[4096], lock[4200];
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s/objects/info", rl_archive_path(g->a));
	/* Only gc writes it, and we hold gc.lock: a lock file here is stale. */
	snprintf(lock, sizeof(lock), "%s/commit-graph.lock", dir);
	unlink(lock);
	git_commit_graph_writer_options_init(&opts, GIT_COMMIT_GRAPH_WRITER_OPTIONS_VERSION);
	if (rl_mkdir_p(dir, 0755, err) < 0)
		return RL_EIO;
	if (git_commit_graph_writer_new(&w, dir) < 0 || git_revwalk_new(&walk, g->repo) < 0) {
		rc = rl_error_from_git(err, "gc: cannot start the commit-graph");
		goto out;
	}
	for (size_t i = 0; i < g->n_refs; i++) {
		git_object *obj = NULL;

		if (git_object_lookup(&obj, g->repo, &g->refs[i].id, GIT_OBJECT_COMMIT) == 0)
			git_revwalk_push(walk, &g->refs[i].id);
		git_object_free(obj);
	}
	if (git_commit_graph_writer_add_revwalk(w, walk) < 0 ||
	    git_commit_graph_writer_commit(w, &opts) < 0)
		rc = rl_error_from_git(err, "gc: cannot write the commit-graph");
out:
	git_revwalk_free(walk);
	git_commit_graph_writer_free(w);
	return rc;
}

/* packed-refs: one file to read instead of one per source. A ref that a
 * writer holds at that moment simply stays loose. */
static int pack_refs(gc_run *g)
{
	git_refdb *refdb = NULL;
	int rc;

	store_writing_begin(g->a);
	rc = git_repository_refdb(&refdb, g->repo) == 0 && git_refdb_compress(refdb) == 0;
	git_refdb_free(refdb);
	store_writing_end(g->a);
	return rc;
}

static int gc_lock(rl_archive *a, int *fd, rl_error *err)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/gc.lock", rl_archive_state_dir(a));
	if (rl_mkdir_p(rl_archive_state_dir(a), 0755, err) < 0)
		return RL_EIO;
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0)
		return rl_error_set(err, RL_EIO, "gc: %s: %s", path, strerror(errno));
	if (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
		close(*fd);
		*fd = -1;
		return rl_error_set(err, RL_ECONFLICT, "gc: another gc is running on %s",
				    rl_archive_path(a));
	}
	return 0;
}

static size_t count_packs(rl_archive *a)
{
	char path[4096];
	size_t n = 0;
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/objects/pack", rl_archive_path(a));
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		n += len > 5 && strcmp(e->d_name + len - 5, ".pack") == 0;
	}
	closedir(d);
	return n;
}

int rl_archive_gc(rl_archive *a, const rl_gc_opts *opts, rl_gc_stats *out, rl_error *err)
{
	ssize_t cache_used = 0, cache_max = 0;
	gc_run g;
	int fd = -1, rc;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	g.a = a;
	g.repo = rl_archive_repo(a);
	g.st = out;
	g.t0 = rl_now();
	g.grace = opts && opts->grace > 0 ? opts->grace : RL_GC_GRACE_DEFAULT;
	g.prune_now = opts && opts->prune_now;
	g.no_prune = opts && opts->no_prune;
	rc = gc_lock(a, &fd, err);
	if (rc < 0)
		return rc;
	out->packs = count_packs(a);
	g.incremental = opts && opts->incremental && out->packs > 0 && out->packs < RL_GC_PACKS_MAX;
	out->full = !g.incremental;
	/* libgit2 caches up to 256 MiB of parsed objects by default; a walk
	 * over every tree would fill it for nothing. */
	git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &cache_used, &cache_max);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)GC_CACHE_BYTES);
	rl_archive_recover(a, g.no_prune ? -1 : g.prune_now ? 0 : g.grace, &out->recovered, NULL);
	rc = gc_read_refs(&g, err);
	out->refs = g.n_refs;
	if (rc == 0)
		rc = write_pack(&g, opts, out->pack_name, err);
	/* The commit-graph covers every commit; an incremental gc leaves the
	 * last one (git reads commits it lacks from the objects). */
	if (rc == 0 && g.n_refs > 0 && !g.incremental)
		rc = write_commit_graph(&g, err);
	if (rc == 0)
		out->refs_packed = pack_refs(&g);
	if (rc == 0)
		rc = gc_prune(&g, out->pack_name, err);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, cache_max);
	refs_free(&g);
	store_oidset_free(&g.reach);
	rl_buf_free(&g.name);
	rl_buf_free(&g.key);
	close(fd);
	return rc;
}

static size_t count_loose_dir(rl_archive *a, int i)
{
	char path[4096];
	size_t n = 0;
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/objects/%02x", rl_archive_path(a), i);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d)) != NULL)
		n += strlen(e->d_name) == RL_OID_HEX - 2;
	closedir(d);
	return n;
}

int rl_archive_loose_estimate(rl_archive *a, size_t *out, rl_error *err)
{
	size_t n = 0;

	(void)err;
	/* Object ids are uniform: 16 of the 256 fan-out directories tell
	 * enough when there are many; when there are few, count them all. */
	for (int i = 0; i < 256; i += 16)
		n += count_loose_dir(a, i);
	if (n >= 64) {
		*out = n * 16;
		return 0;
	}
	n = 0;
	for (int i = 0; i < 256; i++)
		n += count_loose_dir(a, i);
	*out = n;
	return 0;
}
