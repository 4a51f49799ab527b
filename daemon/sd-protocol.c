/* The two systemd protocols redlined speaks, written out rather than
 * linked: libsystemd and what it pulls in (libgcrypt, libgpg-error, lz4)
 * cost the daemon 0.8 MiB of resident memory for three datagrams. Both
 * are documented stable interfaces that systemd invites programs to
 * implement themselves: sd_notify(3) ("NOTIFY_SOCKET", an AF_UNIX
 * datagram of newline-separated assignments) and the journal's native
 * protocol (systemd.io/JOURNAL_NATIVE_PROTOCOL: one datagram of fields
 * to /run/systemd/journal/socket, a field holding a newline sent as
 * NAME, newline, its 64-bit little-endian length, the bytes, newline). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "redline/buf.h"
#include "redlined.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

/* path: a file system path, or "@name" for the abstract namespace. */
static int unix_address(const char *path, struct sockaddr_un *sa, socklen_t *len)
{
	size_t n = strlen(path);

	if ((path[0] != '/' && path[0] != '@') || n < 2 || n >= sizeof(sa->sun_path))
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, n);
	if (path[0] == '@')
		sa->sun_path[0] = '\0';
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (path[0] == '/'));
	return 0;
}

static int send_datagram(const char *path, const void *data, size_t len)
{
	struct sockaddr_un sa;
	socklen_t salen;
	ssize_t n;
	int fd;

	if (unix_address(path, &sa, &salen) < 0)
		return -EINVAL;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n = sendto(fd, data, len, MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 1;
}

int sdp_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");

	if (!path || !*path)
		return 0;
	return send_datagram(path, state, strlen(state));
}

int sdp_watchdog_usec(uint64_t *usec)
{
	const char *v = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	unsigned long long u;
	char *end;

	*usec = 0;
	if (!v || !*v)
		return 0;
	/* WATCHDOG_PID, when set, names the process systemd watches. */
	if (pid && *pid && strtol(pid, &end, 10) != (long)getpid())
		return 0;
	errno = 0;
	u = strtoull(v, &end, 10);
	if (errno || *end || u == 0)
		return 0;
	*usec = u;
	return 1;
}

int sdp_journal_send(const struct iovec *fields, size_t n)
{
	rl_buf b = RL_BUF_INIT;
	int rc;

	for (size_t i = 0; i < n; i++) {
		const char *f = fields[i].iov_base, *eq = memchr(f, '=', fields[i].iov_len);
		size_t len = fields[i].iov_len;

		if (!eq)
			continue;
		if (!memchr(eq + 1, '\n', len - (size_t)(eq + 1 - f))) {
			rl_buf_put(&b, f, len);
		} else {
			uint64_t vlen = len - (size_t)(eq + 1 - f);
			unsigned char le[8];

			for (int k = 0; k < 8; k++)
				le[k] = (unsigned char)(vlen >> (8 * k));
			rl_buf_put(&b, f, (size_t)(eq - f));
			rl_buf_put(&b, "\n", 1);
			rl_buf_put(&b, le, sizeof(le));
			rl_buf_put(&b, eq + 1, vlen);
		}
		rl_buf_put(&b, "\n", 1);
	}
	/* What libsystemd added by itself: `journalctl -t redlined`. */
	rl_buf_puts(&b, "SYSLOG_IDENTIFIER=redlined\n");
	rc = b.ptr && !b.failed ? send_datagram(JOURNAL_SOCKET, b.ptr, b.len) : -EINVAL;
	rl_buf_free(&b);
	return rc;
}
