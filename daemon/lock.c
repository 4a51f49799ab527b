/* One daemon per archive (per shard): an flock on a file in the
 * archive's state directory. The kernel drops it when the process dies,
 * so a crashed daemon never leaves it stuck; the pid inside is only for
 * the message. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "redlined.h"

int lock_archive(rl_daemon *d, rl_error *err)
{
	const char *dir = rl_archive_state_dir(d->archive);
	char path[4096], pid[32] = "";
	ssize_t n;
	int fd, rc;

	if (d->cfg->shard_n > 0)
		snprintf(path, sizeof(path), "%s/redlined-%d-of-%d.lock", dir, d->cfg->shard_k,
			 d->cfg->shard_n);
	else
		snprintf(path, sizeof(path), "%s/redlined.lock", dir);
	rc = rl_mkdir_p(dir, 0755, err);
	if (rc < 0)
		return rc;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return rl_error_set(err, RL_EIO, "%s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		close(fd);
		if (e == EWOULDBLOCK)
			return rl_error_set(
			    err, RL_EEXISTS, "another redlined%s%s works on %s (lock %s)",
			    pid[0] ? " with pid " : "", pid, rl_archive_path(d->archive), path);
		return rl_error_set(err, RL_EIO, "%s: flock: %s", path, strerror(e));
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, strlen(pid), 0) < 0) {
		/* The lock holds all the same; the pid is a courtesy. */
	}
	d->lockfd = fd;
	return 0;
}
