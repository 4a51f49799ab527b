/* redline gc, shared between gc.c (walk, pack, commit-graph, refs) and
 * gc-prune.c (loose objects, old packs, unreachable objects). */
#ifndef REDLINE_GC_INTERNAL_H
#define REDLINE_GC_INTERNAL_H

#include "redline/archive.h"
#include "redline/buf.h"
#include "store-internal.h"

typedef struct gc_ref {
	char *name;
	git_oid id;
} gc_ref;

typedef struct gc_run {
	rl_archive *a;
	git_repository *repo;
	git_packbuilder *pb; /* NULL: walk without packing (the re-check under lock) */
	store_oidset reach;  /* every object reachable from the refs walked */
	gc_ref *refs;
	size_t n_refs;
	rl_buf name;       /* "<branch>/<path>" of the object walked */
	size_t branch_len; /* of "<branch>" in name */
	rl_buf key;        /* the packbuilder's name for a blob: see blob_name */
	unsigned seq;      /* commits walked on this branch, newest first */
	int64_t t0;        /* when gc started */
	int64_t grace;
	int prune_now, no_prune;
	int incremental; /* walk only loose objects: packed ones were packed whole */
	rl_gc_stats *st;
} gc_run;

/* gc.c: the refs now (replacing g->refs) and everything they reach. */
int gc_read_refs(gc_run *g, rl_error *err);
int gc_walk_refs(gc_run *g, rl_error *err);

/* gc-prune.c: deletes loose objects the new pack holds and packs it made
 * redundant; prunes unreachable objects older than the grace period,
 * re-checking reachability with every writer kept out. */
int gc_prune(gc_run *g, const char *new_pack, rl_error *err);

#endif
