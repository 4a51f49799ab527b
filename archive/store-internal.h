/* Inside the store: what store*.c, lock.c, gc.c, push.c and cursor.c share and the
 * rest of the library does not need. */
#ifndef REDLINE_STORE_INTERNAL_H
#define REDLINE_STORE_INTERNAL_H

#include <stdint.h>

#include <git2.h>

#include "redline/archive.h"

/* A ref lock older than this is stale even while other writers are busy:
 * libgit2 holds one for the milliseconds of a single update. */
#define STORE_STALE_LOCK_SECS 60

/* How long a writer waits for a ref lock that a live writer holds. */
#define STORE_LOCK_WAIT_MS 2000

/* <archive>/redline/write.lock: its descriptor (-1 until first needed)
 * and how deep the current writer is nested in store_writing_begin. */
typedef struct store_wlock {
	int fd;
	int depth;
} store_wlock;

store_wlock *store_wlock_of(rl_archive *a);

/* lock.c: writers hold write.lock shared from their first object to their
 * ref update, so a process that can take it exclusively knows that every
 * ref lock on disk was left by a process that died, and that every object
 * a finished writer needed is reachable from a ref (gc prunes under it).
 * Nested calls are counted. Best effort: an archive whose directory is
 * read-only has no write.lock (and no writers). */
void store_writing_begin(rl_archive *a);
void store_writing_end(rl_archive *a);

/* Called by a writer (inside begin/end) that found lock_path taken.
 * Returns 1 when the lock is gone now (it was stale and was removed, or
 * its owner finished), 0 when a live writer holds it. */
int store_lock_recover(rl_archive *a, const char *lock_path);

/* Whether no other process is inside a ref update right now; when it
 * returns 1 the caller holds write.lock exclusively and must call
 * store_exclusive_end. */
int store_exclusive_begin(rl_archive *a);
void store_exclusive_end(rl_archive *a);

/* Compare-and-swap of refname from old_id (NULL: the ref must not exist)
 * to new_id, recovering stale locks and waiting briefly for live ones.
 * RL_ECONFLICT when the ref moved or stayed locked. */
int store_ref_cas(rl_archive *a, const char *refname, const git_oid *new_id, const git_oid *old_id,
		  const char *log_message, rl_error *err);

/* A version read from its commit: subject, message and the Redline-Change
 * and Redline-Url trailers. -1 when out of memory (v is then partial and
 * is freed with rl_version_clear). */
int store_version_from_commit(rl_version *v, const char *source, const git_commit *c);

/* Age in seconds of a file's last modification; -1 when it is gone. */
int64_t store_file_age(const char *path);

/* store-oidset.c: a set of object ids (open addressing), for gc's walk. */
typedef struct store_oidset {
	git_oid *slots; /* an all-zero id marks a free slot */
	size_t cap;     /* a power of two */
	size_t n;
} store_oidset;

/* 1 added, 0 already there, -1 out of memory. */
int store_oidset_add(store_oidset *s, const git_oid *id);
int store_oidset_has(const store_oidset *s, const git_oid *id);
void store_oidset_free(store_oidset *s);

#endif
