/* Sweeping up after killed processes: ref locks nobody holds, temporary
 * state files whose writer is gone, temporary object and pack files.
 * None of them is history; removing them only lets writes proceed. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "redline/util.h"
#include "store-internal.h"

#define SWEEP_DEPTH_MAX 8
/* A temporary file older than this is dead (even if its pid was reused):
 * writers keep one for the seconds of a single write. Younger ones may be
 * a live writer's, whatever the grace period asked: gc --prune=now too. */
#define TMP_MAX_AGE 3600

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int is_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Ref locks under dir: every one when no writer is inside an update
 * (exclusive), else only those older than any update takes. */
static void sweep_ref_locks(const char *dir, int exclusive, int depth, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		if (is_dir(path)) {
			if (depth < SWEEP_DEPTH_MAX)
				sweep_ref_locks(path, exclusive, depth + 1, n);
		} else if (has_suffix(e->d_name, ".lock") &&
			   (exclusive || store_file_age(path) >= STORE_STALE_LOCK_SECS) &&
			   unlink(path) == 0) {
			(*n)++;
		}
	}
	closedir(d);
}

/* "NAME.tmp.PID" (rl_file_write_atomic): the pid, or 0. */
static long tmp_owner(const char *name)
{
	const char *dot = strstr(name, ".tmp.");
	char *end;
	long pid;

	if (!dot || !isdigit((unsigned char)dot[5]))
		return 0;
	pid = strtol(dot + 5, &end, 10);
	return *end == '\0' ? pid : 0;
}

static void sweep_state_tmp(const char *dir, int depth, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		long pid;

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		if (is_dir(path)) {
			if (depth < 2)
				sweep_state_tmp(path, depth + 1, n);
			continue;
		}
		pid = tmp_owner(e->d_name);
		if (pid <= 0 || pid == (long)getpid())
			continue;
		if ((kill((pid_t)pid, 0) < 0 && errno == ESRCH) ||
		    store_file_age(path) >= TMP_MAX_AGE) {
			if (unlink(path) == 0)
				(*n)++;
		}
	}
	closedir(d);
}

/* libgit2's temporaries: objects/tmp_object_git2_*, objects/pack/pack_git2_*
 * and index locks; git's own tmp_pack_* and tmp_idx_*. */
static void sweep_object_tmp(const char *dir, int64_t grace, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *s = e->d_name;

		if (strncmp(s, "tmp_", 4) != 0 && strncmp(s, "pack_git2_", 10) != 0 &&
		    !has_suffix(s, ".lock"))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, s) >= (int)sizeof(path) ||
		    is_dir(path))
			continue;
		if (store_file_age(path) >= (grace > TMP_MAX_AGE ? grace : TMP_MAX_AGE) &&
		    unlink(path) == 0)
			(*n)++;
	}
	closedir(d);
}

int rl_archive_recover(rl_archive *a, int64_t grace, rl_recover_stats *out, rl_error *err)
{
	char path[4096];
	int exclusive;

	(void)err;
	memset(out, 0, sizeof(*out));
	exclusive = store_exclusive_begin(a);
	snprintf(path, sizeof(path), "%s/refs", rl_archive_path(a));
	sweep_ref_locks(path, exclusive, 0, &out->ref_locks);
	snprintf(path, sizeof(path), "%s/packed-refs.lock", rl_archive_path(a));
	if ((exclusive || store_file_age(path) >= STORE_STALE_LOCK_SECS) && unlink(path) == 0)
		out->ref_locks++;
	if (exclusive)
		store_exclusive_end(a);
	sweep_state_tmp(rl_archive_state_dir(a), 0, &out->temp_files);
	if (grace >= 0) {
		snprintf(path, sizeof(path), "%s/objects", rl_archive_path(a));
		sweep_object_tmp(path, grace, &out->temp_files);
		snprintf(path, sizeof(path), "%s/objects/pack", rl_archive_path(a));
		sweep_object_tmp(path, grace, &out->temp_files);
	}
	return 0;
}
