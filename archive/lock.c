/* Locks a killed process leaves behind. libgit2 moves a ref by writing
 * refs/heads/X.lock and renaming it over refs/heads/X; a process killed in
 * between leaves the .lock, and every later update of X fails. Such a lock
 * names no owner, so redline writers announce themselves instead: while a
 * writer may hold a ref lock it holds <archive>/redline/write.lock shared
 * (flock, which the kernel drops when the process dies, SIGKILL included).
 * A writer that meets a ref lock and can take write.lock exclusively knows
 * no process is inside an update: the lock is stale and goes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "redline/util.h"
#include "store-internal.h"

static int write_fd(rl_archive *a)
{
	store_wlock *w = store_wlock_of(a);
	char path[4096];

	if (w->fd >= 0)
		return w->fd;
	if (snprintf(path, sizeof(path), "%s/write.lock", rl_archive_state_dir(a)) >=
	    (int)sizeof(path))
		return -1;
	w->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (w->fd < 0 && errno == ENOENT && rl_mkdir_p(rl_archive_state_dir(a), 0755, NULL) == 0)
		w->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	return w->fd;
}

static void flock_retry(int fd, int op)
{
	while (flock(fd, op) < 0 && errno == EINTR)
		;
}

void store_writing_begin(rl_archive *a)
{
	store_wlock *w = store_wlock_of(a);
	int fd = write_fd(a);

	if (w->depth++ == 0 && fd >= 0)
		flock_retry(fd, LOCK_SH);
}

void store_writing_end(rl_archive *a)
{
	store_wlock *w = store_wlock_of(a);

	if (w->depth > 0 && --w->depth == 0 && w->fd >= 0)
		flock_retry(w->fd, LOCK_UN);
}

void rl_archive_write_begin(rl_archive *a)
{
	store_writing_begin(a);
}

void rl_archive_write_end(rl_archive *a)
{
	store_writing_end(a);
}

int store_exclusive_begin(rl_archive *a)
{
	int fd = write_fd(a);

	return fd >= 0 && store_wlock_of(a)->depth == 0 && flock(fd, LOCK_EX | LOCK_NB) == 0;
}

void store_exclusive_end(rl_archive *a)
{
	int fd = store_wlock_of(a)->fd;

	if (fd >= 0)
		flock_retry(fd, LOCK_UN);
}

int64_t store_file_age(const char *path)
{
	struct stat st;
	time_t now = time(NULL);

	if (lstat(path, &st) < 0)
		return -1;
	return st.st_mtime >= now ? 0 : (int64_t)(now - st.st_mtime);
}

int store_lock_recover(rl_archive *a, const char *lock_path)
{
	int64_t age = store_file_age(lock_path);
	int fd = store_wlock_of(a)->fd, gone = 0;

	if (age < 0)
		return 1; /* its owner finished meanwhile */
	if (fd < 0)
		return age >= STORE_STALE_LOCK_SECS && unlink(lock_path) == 0;
	/* Step out of our own shared hold to ask whether anyone else is in. */
	flock_retry(fd, LOCK_UN);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		gone = unlink(lock_path) == 0 || errno == ENOENT;
		flock_retry(fd, LOCK_UN);
	} else if (age >= STORE_STALE_LOCK_SECS) {
		/* Writers are busy, but none holds a ref lock this long. */
		gone = unlink(lock_path) == 0 || errno == ENOENT;
	}
	flock_retry(fd, LOCK_SH);
	return gone;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int store_ref_cas(rl_archive *a, const char *refname, const git_oid *new_id, const git_oid *old_id,
		  const char *log_message, rl_error *err)
{
	git_repository *repo = rl_archive_repo(a);
	char lock_path[4096];
	long waited = 0, step = 1;
	int rc, recovered = 0;

	snprintf(lock_path, sizeof(lock_path), "%s/%s.lock", rl_archive_path(a), refname);
	store_writing_begin(a);
	for (;;) {
		git_reference *ref = NULL;

		if (old_id)
			rc = git_reference_create_matching(&ref, repo, refname, new_id, 1, old_id,
							   log_message);
		else
			rc = git_reference_create(&ref, repo, refname, new_id, 0, log_message);
		git_reference_free(ref);
		if (rc != GIT_ELOCKED)
			break;
		if (recovered < 8 && store_lock_recover(a, lock_path)) {
			recovered++;
			continue;
		}
		/* A live writer is inside an update of this very ref: it takes
		 * milliseconds, so wait a little, then let the caller re-read. */
		if (waited >= STORE_LOCK_WAIT_MS)
			break;
		sleep_ms(step);
		waited += step;
		step = step < 64 ? step * 2 : step;
	}
	store_writing_end(a);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS || rc == GIT_ENOTFOUND)
		return rl_error_set(err, RL_ECONFLICT, "%s moved while this version was written",
				    refname);
	if (rc == GIT_ELOCKED)
		return rl_error_set(err, RL_ECONFLICT,
				    "%s is locked by another writer (%s); it was not moved",
				    refname, lock_path);
	if (rc < 0)
		return rl_error_from_git(err, "cannot move %s", refname);
	return 0;
}
