/* After the new pack: loose objects it holds go at once; packs it makes
 * redundant go at once. Unreachable objects (a lost compare-and-swap race,
 * a killed fetch) go only when older than the grace period, and only after
 * reachability is checked again with every writer kept out (write.lock
 * held exclusively): a writer may have just made an old object reachable
 * again, and libgit2 then only touches its file instead of writing it. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gc-internal.h"
#include "redline/util.h"

#define IDX_MAGIC         "\377tOc"
#define IDX_HEADER        (8 + 256 * 4)
#define EXCLUSIVE_TRIES   200 /* 10 ms apart: writers hold write.lock for milliseconds */
#define PACK_SUFFIXES_MAX 5

typedef struct old_pack {
	char base[4096];    /* objects/pack/pack-<id> */
	store_oidset extra; /* its objects the new pack lacks */
} old_pack;

typedef struct prune_ctx {
	gc_run *g;
	store_oidset loose; /* unreachable loose objects old enough to prune */
	old_pack *packs;    /* packs holding unreachable objects old enough */
	size_t n_packs;
} prune_ctx;

static int old_enough(const gc_run *g, const char *path)
{
	int64_t age = store_file_age(path);

	if (age < 0)
		return 0;
	return g->prune_now || age >= g->grace;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int loose_id(const char *dir2, const char *name, git_oid *out)
{
	char hex[RL_OID_HEX + 1];

	if (strlen(name) != RL_OID_HEX - 2)
		return -1;
	for (const char *p = name; *p; p++)
		if (hexval(*p) < 0)
			return -1;
	snprintf(hex, sizeof(hex), "%s%s", dir2, name);
	return git_oid_fromstr(out, hex);
}

static int sweep_loose(prune_ctx *p, rl_error *err)
{
	gc_run *g = p->g;
	char dir[4096], path[4200], dir2[3];

	for (int i = 0; i < 256; i++) {
		DIR *d;
		struct dirent *e;

		snprintf(dir2, sizeof(dir2), "%02x", i);
		snprintf(dir, sizeof(dir), "%s/objects/%s", rl_archive_path(g->a), dir2);
		if (!(d = opendir(dir)))
			continue;
		while ((e = readdir(d)) != NULL) {
			git_oid id;

			if (loose_id(dir2, e->d_name, &id) < 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (store_oidset_has(&g->reach, &id)) {
				if (unlink(path) == 0)
					g->st->loose_removed++;
			} else if (!g->no_prune && old_enough(g, path)) {
				if (store_oidset_add(&p->loose, &id) < 0) {
					closedir(d);
					return rl_error_set(err, RL_ENOMEM, "out of memory");
				}
			} else {
				g->st->kept_fresh++;
			}
		}
		closedir(d);
	}
	return 0;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The ids of a version 2 pack index that reach lacks, into extra. -1 when
 * the index cannot be read: such a pack is never deleted. */
static int idx_extra(const gc_run *g, const char *idx_path, store_oidset *extra)
{
	rl_buf b = RL_BUF_INIT;
	const unsigned char *p;
	uint32_t n;
	int rc = -1;

	if (rl_file_read(idx_path, &b, NULL) < 0 || b.len < IDX_HEADER)
		goto out;
	p = (const unsigned char *)b.ptr;
	if (memcmp(p, IDX_MAGIC, 4) != 0 || be32(p + 4) != 2)
		goto out;
	n = be32(p + IDX_HEADER - 4); /* the last fan-out entry: the count */
	if (b.len < IDX_HEADER + (size_t)n * GIT_OID_RAWSZ)
		goto out;
	for (uint32_t i = 0; i < n; i++) {
		git_oid id;

		git_oid_fromraw(&id, p + IDX_HEADER + (size_t)i * GIT_OID_RAWSZ);
		if (!store_oidset_has(&g->reach, &id) && store_oidset_add(extra, &id) < 0)
			goto out;
	}
	rc = 0;
out:
	rl_buf_free(&b);
	return rc;
}

static int remove_pack(const char *base)
{
	static const char *const suffixes[PACK_SUFFIXES_MAX] = {".idx", ".pack", ".rev", ".bitmap",
								".mtimes"};
	char path[4200];
	int rc = 0;

	/* The index first: a reader that does not see it never opens the pack. */
	for (int i = 0; i < PACK_SUFFIXES_MAX; i++) {
		snprintf(path, sizeof(path), "%s%s", base, suffixes[i]);
		if (unlink(path) < 0 && errno != ENOENT)
			rc = -1;
	}
	return rc;
}

static int has_keep(const char *base)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s.keep", base);
	return access(path, F_OK) == 0;
}

static int sweep_packs(prune_ctx *p, const char *new_pack, rl_error *err)
{
	gc_run *g = p->g;
	char dir[4096], path[4200];
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "%s/objects/pack", rl_archive_path(g->a));
	if (!(d = opendir(dir)))
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		old_pack op;

		if (len <= 9 || strncmp(e->d_name, "pack-", 5) != 0 ||
		    strcmp(e->d_name + len - 4, ".idx") != 0)
			continue;
		if (*new_pack && strncmp(e->d_name + 5, new_pack, RL_OID_HEX) == 0)
			continue;
		memset(&op, 0, sizeof(op));
		snprintf(op.base, sizeof(op.base), "%s/%.*s", dir, (int)(len - 4), e->d_name);
		snprintf(path, sizeof(path), "%s.idx", op.base);
		if (has_keep(op.base) || idx_extra(g, path, &op.extra) < 0) {
			store_oidset_free(&op.extra);
			continue;
		}
		snprintf(path, sizeof(path), "%s.pack", op.base);
		if (op.extra.n == 0) {
			if (remove_pack(op.base) == 0)
				g->st->packs_removed++;
			store_oidset_free(&op.extra);
		} else if (!g->no_prune && old_enough(g, path)) {
			old_pack *v = realloc(p->packs, (p->n_packs + 1) * sizeof(*v));

			if (!v) {
				store_oidset_free(&op.extra);
				closedir(d);
				return rl_error_set(err, RL_ENOMEM, "out of memory");
			}
			p->packs = v;
			p->packs[p->n_packs++] = op;
		} else {
			g->st->kept_fresh += op.extra.n;
			store_oidset_free(&op.extra);
		}
	}
	closedir(d);
	return 0;
}

static int wait_exclusive(rl_archive *a)
{
	struct timespec ts = {0, 10 * 1000000L};

	for (int i = 0; i < EXCLUSIVE_TRIES; i++) {
		if (store_exclusive_begin(a))
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

static void loose_path(const gc_run *g, const git_oid *id, char *out, size_t len)
{
	char hex[RL_OID_HEX + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(out, len, "%s/objects/%.2s/%s", rl_archive_path(g->a), hex, hex + 2);
}

/* With every writer out: what the refs reach now is safe, the rest goes. */
static int prune_unreachable(prune_ctx *p, rl_error *err)
{
	gc_run *g = p->g;
	char path[4200];
	int rc;

	rc = gc_read_refs(g, err);
	if (rc == 0)
		rc = gc_walk_refs(g, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < p->loose.cap; i++) {
		const git_oid *id = &p->loose.slots[i];

		if (git_oid_is_zero(id))
			continue;
		loose_path(g, id, path, sizeof(path));
		if (!store_oidset_has(&g->reach, id) && old_enough(g, path) && unlink(path) == 0)
			g->st->pruned++;
		else
			g->st->kept_fresh++;
	}
	for (size_t i = 0; i < p->n_packs; i++) {
		old_pack *op = &p->packs[i];
		int revived = 0;

		for (size_t j = 0; j < op->extra.cap && !revived; j++)
			revived = !git_oid_is_zero(&op->extra.slots[j]) &&
				  store_oidset_has(&g->reach, &op->extra.slots[j]);
		if (!revived && remove_pack(op->base) == 0) {
			g->st->packs_removed++;
			g->st->pruned += op->extra.n;
		} else {
			g->st->kept_fresh += op->extra.n;
		}
	}
	return 0;
}

int gc_prune(gc_run *g, const char *new_pack, rl_error *err)
{
	prune_ctx p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.g = g;
	rc = sweep_loose(&p, err);
	/* Old packs are judged against a walk of everything: a full gc only. */
	if (rc == 0 && !g->incremental)
		rc = sweep_packs(&p, new_pack, err);
	if (rc == 0 && (p.loose.n > 0 || p.n_packs > 0)) {
		if (wait_exclusive(g->a)) {
			rc = prune_unreachable(&p, err);
			store_exclusive_end(g->a);
		} else {
			/* Writers never let go: prune next time. */
			g->st->kept_fresh += p.loose.n;
			for (size_t i = 0; i < p.n_packs; i++)
				g->st->kept_fresh += p.packs[i].extra.n;
		}
	}
	store_oidset_free(&p.loose);
	for (size_t i = 0; i < p.n_packs; i++)
		store_oidset_free(&p.packs[i].extra);
	free(p.packs);
	return rc;
}
