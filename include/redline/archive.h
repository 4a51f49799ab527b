/* The archive: a bare git repository, one branch per source
 * (refs/heads/<source-id>), one commit per version of the canonical text.
 * See DESIGN.md "Archive format". */
#ifndef REDLINE_ARCHIVE_H
#define REDLINE_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "redline/buf.h"
#include "redline/error.h"
#include "redline/strv.h"

#define RL_OID_HEX 40

struct git_repository;
typedef struct rl_archive rl_archive;

/* Creates a bare repository at path (or opens it when it already is one). */
int rl_archive_init(rl_archive **out, const char *path, rl_error *err);
int rl_archive_open(rl_archive **out, const char *path, rl_error *err);
void rl_archive_free(rl_archive *a);

/* Whether reading an object hashes its bytes again to check them against
 * its id (libgit2's strict hash verification): on unless turned off, for
 * the whole process, from the next rl_archive_open or rl_archive_init.
 * Off, an object is still checked by zlib as it is inflated, as git's
 * own commands read it; the hash (SHA-1 with collision detection) took
 * 1.7 of the 6 ms reading an edition's text. A program that only shows
 * what is archived may turn it off; one that writes keeps it. */
void rl_archive_verify_reads(int on);
const char *rl_archive_path(const rl_archive *a);
struct git_repository *rl_archive_repo(rl_archive *a);

/* One version of one source. */
typedef struct rl_version {
	char commit[RL_OID_HEX + 1];
	char parent[RL_OID_HEX + 1]; /* "" for a source's first version */
	char *source;
	int64_t time; /* fetch time = author/committer time, seconds */
	char *subject;
	char *change;  /* Redline-Change trailer: initial|cosmetic|wording|structure|reextract */
	char *url;     /* Redline-Url trailer */
	char *message; /* the whole commit message */
} rl_version;

typedef struct rl_version_list {
	rl_version *v;
	size_t n;
	size_t cap;
} rl_version_list;

void rl_version_clear(rl_version *v);
void rl_version_list_free(rl_version_list *l);

/* Every source branch (refs/heads/ except main), sorted. */
int rl_archive_sources(rl_archive *a, rl_strv *out, rl_error *err);

/* Whether the source has a branch. */
int rl_archive_has_source(rl_archive *a, const char *source);

/* Versions of one source, newest first; max 0 means all. */
int rl_archive_log(rl_archive *a, const char *source, size_t max, rl_version_list *out,
		   rl_error *err);

/* Versions of every source merged by time, newest first; max 0 means all. */
int rl_archive_log_all(rl_archive *a, size_t max, rl_version_list *out, rl_error *err);

/* SOURCE, SOURCE~N, SOURCE@PREFIX, SOURCE@{DATE}: RL_ENOTFOUND with a
 * message naming the revision when it names nothing. */
int rl_archive_resolve(rl_archive *a, const char *rev, rl_version *out, rl_error *err);

/* Reads one file of a version's tree ("text.md", "pages/0085.md").
 * RL_ENOTFOUND when the version has no such file. */
int rl_archive_read(rl_archive *a, const char *commit, const char *path, rl_buf *out,
		    rl_error *err);
/* The size in bytes of the file rl_archive_read would read, found from
 * its object's header without inflating it (so that a caller can make
 * room before reading). RL_ENOTFOUND when the version has no such file. */
int rl_archive_read_size(rl_archive *a, const char *commit, const char *path, size_t *size,
			 rl_error *err);

/* The blob id of a file in a version, for cheap "did it change" checks. */
int rl_archive_blob_id(rl_archive *a, const char *commit, const char *path,
		       char out[RL_OID_HEX + 1], rl_error *err);

/* Names of the entries of a directory of a version's tree, sorted. */
int rl_archive_list(rl_archive *a, const char *commit, const char *dir, rl_strv *out,
		    rl_error *err);

typedef struct rl_file {
	const char *path; /* "text.md", "pages/0085.md", "raw/0085.html" */
	const char *data;
	size_t len;
} rl_file;

typedef struct rl_commit_req {
	const char *source;
	const char *expected_tip; /* the tip the caller diffed against; "" or NULL: none */
	int64_t time;             /* fetch time */
	const char *message;      /* subject, blank line, body and trailers */
	const rl_file *files;
	size_t n_files;
} rl_commit_req;

/* Writes the tree and the commit, then moves refs/heads/<source> from
 * expected_tip to it in one compare-and-swap. RL_ECONFLICT when the
 * branch moved meanwhile (nothing is lost: the objects are simply
 * unreferenced). out receives the new commit id. */
int rl_archive_commit(rl_archive *a, const rl_commit_req *req, char out[RL_OID_HEX + 1],
		      rl_error *err);

/* The tip of a source's branch; RL_ENOTFOUND when it has none. */
int rl_archive_tip(rl_archive *a, const char *source, char out[RL_OID_HEX + 1], rl_error *err);

/* Directory for operational state inside the repository (<path>/redline). */
const char *rl_archive_state_dir(const rl_archive *a);

/* --- at scale and under faults (doc/scale.md) ------------------------------ */

/* Compare-and-swap of any ref under refs/ (refs/heads/main, the
 * notification cursors refs/redline/notified/...): from old_hex ("" or
 * NULL: the ref must not exist yet) to new_hex. A lock that a killed
 * process left on the ref is recovered; a live writer's is waited for
 * briefly. RL_ECONFLICT when the ref moved meanwhile. Every ref redline
 * moves goes through here (rl_archive_commit included). */
int rl_archive_ref_cas(rl_archive *a, const char *refname, const char *new_hex, const char *old_hex,
		       const char *log_message, rl_error *err);

/* A writer that creates objects for a ref it then moves with
 * rl_archive_ref_cas holds the archive's write lock across both, so that
 * gc never prunes its objects in between (rl_archive_commit does this by
 * itself). Shared between writers, nestable, released on process death. */
void rl_archive_write_begin(rl_archive *a);
void rl_archive_write_end(rl_archive *a);

/* What killed processes leave: ref locks no live writer holds (any age),
 * temporary state files of processes that are gone, and (when grace >= 0)
 * temporary object and pack files older than grace seconds and than an
 * hour (a younger one may be a live writer's). */
typedef struct rl_recover_stats {
	size_t ref_locks;  /* refs/...lock, packed-refs.lock removed */
	size_t temp_files; /* state *.tmp.PID, objects/tmp_object*, pack temporaries */
} rl_recover_stats;

int rl_archive_recover(rl_archive *a, int64_t grace, rl_recover_stats *out, rl_error *err);

/* redline gc: packs every object reachable from a ref into one pack with
 * deltas, deletes the loose objects and packs it made redundant, writes the
 * commit-graph, packs the refs, and prunes unreachable objects older than
 * the grace period (a concurrent writer's fresh objects are never pruned).
 * Safe to run beside the daemon and `redline fetch`. */
#define RL_GC_GRACE_DEFAULT ((int64_t)3600)
/* An incremental gc repacks everything instead once there are this many packs. */
#define RL_GC_PACKS_MAX 24

typedef struct rl_gc_opts {
	int64_t grace;    /* seconds an unreachable object is kept; 0: RL_GC_GRACE_DEFAULT */
	int prune_now;    /* prune unreachable objects whatever their age */
	int no_prune;     /* prune nothing */
	int incremental;  /* pack only the loose objects into a new pack (what the
			   * daemon runs: seconds, not minutes, on 100k versions) */
	unsigned threads; /* delta search threads; 0: 1 */
} rl_gc_opts;

typedef struct rl_gc_stats {
	size_t refs;          /* refs walked */
	size_t commits;       /* in the commit-graph */
	size_t objects;       /* in the new pack */
	size_t loose_removed; /* loose objects now in the pack */
	size_t pruned;        /* unreachable objects older than the grace period */
	size_t kept_fresh;    /* unreachable but younger than the grace period */
	size_t packs_removed; /* old packs made redundant */
	uint64_t pack_bytes;  /* size of the new .pack */
	int refs_packed;      /* packed-refs written */
	int full;             /* everything repacked (else only loose objects) */
	size_t packs;         /* packs in the archive before */
	rl_recover_stats recovered;
	char pack_name[RL_OID_HEX + 1];
} rl_gc_stats;

int rl_archive_gc(rl_archive *a, const rl_gc_opts *opts, rl_gc_stats *out, rl_error *err);

/* Loose objects in the archive: counted from 1/16 of objects/ and scaled
 * when there are many (over 1000), counted exactly when there are few. */
int rl_archive_loose_estimate(rl_archive *a, size_t *out, rl_error *err);

/* Reopens the repository under a: lets go of what libgit2 holds for it
 * (its caches, the pack windows it maps, old packs another process's gc
 * deleted). For a long-running process, between passes. No libgit2
 * object taken from this archive may be kept across the call. On failure
 * the archive stays as it was. */
int rl_archive_reopen(rl_archive *a, rl_error *err);

#endif
