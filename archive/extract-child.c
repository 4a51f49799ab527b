/* Extraction of PDFs in a child process (redline/extract.h says why):
 * rl_extract itself, which hands a call with a PDF in it to a child when
 * one is set, the parent's side of that, and the child's.
 *
 * The request goes to the child in a memfd, written whole before the
 * child starts: it is the child's standard input, so the parent never
 * blocks on a pipe the child does not read (and never gets SIGPIPE). The
 * reply comes back on a pipe, read with poll against the deadline, and
 * the child's standard error on another, of which the last line is kept
 * for the error message of a child that failed. The program is started
 * with posix_spawn: the daemon has threads (curl's resolver), so nothing
 * may run between fork and exec. Every path reaps the child. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extract-int.h"
#include "extract-wire.h"

extern char **environ;

#define TIMEOUT_S         120                /* at least, by default */
#define TIMEOUT_PER_MIB_S 10                 /* and this much per MiB of input */
#define REPLY_SLACK       ((size_t)64 << 20) /* a reply may be this much more than */
#define REPLY_PER_BYTE    16                 /* ... this many times the input */
#define TICK_MS           1000
#define TAIL_MAX          512 /* of the child's standard error, kept */

static struct {
	rl_strv argv;
	int timeout_s;
	void (*tick)(void *arg);
	void *arg;
} child;

int rl_extract_set_child(const rl_extract_child *c, rl_error *err)
{
	rl_strv_free(&child.argv);
	memset(&child, 0, sizeof(child));
	if (!c || !c->argv)
		return 0;
	if (!c->argv[0] || !c->argv[0][0])
		return rl_error_set(err, RL_EINVALID, "extraction child: no program to run");
	for (size_t i = 0; c->argv[i]; i++)
		if (rl_strv_push(&child.argv, c->argv[i]) < 0) {
			rl_strv_free(&child.argv);
			return rl_error_set(err, RL_ENOMEM, "out of memory");
		}
	child.timeout_s = c->timeout_s;
	child.tick = c->tick;
	child.arg = c->arg;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- the parent's side ------------------------------------------------ */

typedef struct run {
	pid_t pid;
	int out, errfd; /* read ends; -1 once at their end */
	rl_buf reply;
	size_t limit; /* of the reply */
	char tail[TAIL_MAX + 1];
	size_t tail_len;
	int64_t deadline, next_tick;
	int timed_out, too_big, status;
} run;

static void tick(run *r)
{
	int64_t now = now_ms();

	if (now < r->next_tick)
		return;
	r->next_tick = now + TICK_MS;
	if (child.tick)
		child.tick(child.arg);
}

/* Keeps the last TAIL_MAX bytes of what the child says. */
static void keep_tail(run *r, const char *p, size_t n)
{
	if (n >= TAIL_MAX) {
		memcpy(r->tail, p + n - TAIL_MAX, TAIL_MAX);
		r->tail_len = TAIL_MAX;
		return;
	}
	if (r->tail_len + n > TAIL_MAX) {
		size_t drop = r->tail_len + n - TAIL_MAX;

		memmove(r->tail, r->tail + drop, r->tail_len - drop);
		r->tail_len -= drop;
	}
	memcpy(r->tail + r->tail_len, p, n);
	r->tail_len += n;
}

/* One read from a pipe that poll said is ready; closes it at its end. */
static void drain(run *r, int *fd)
{
	char small[4096];
	ssize_t k;

	if (fd == &r->out) {
		if (rl_buf_grow(&r->reply, (size_t)64 * 1024) < 0) {
			r->too_big = 1; /* no memory for it: the same for us */
			return;
		}
		k = read(*fd, r->reply.ptr + r->reply.len, r->reply.cap - r->reply.len - 1);
		if (k > 0) {
			r->reply.len += (size_t)k;
			r->reply.ptr[r->reply.len] = '\0';
			r->too_big = r->reply.len > r->limit;
		}
	} else {
		k = read(*fd, small, sizeof(small));
		if (k > 0)
			keep_tail(r, small, (size_t)k);
	}
	if (k == 0 || (k < 0 && errno != EINTR && errno != EAGAIN)) {
		close(*fd);
		*fd = -1;
	}
}

/* Reads the reply and the child's standard error until both end, the
 * reply grows too big or the deadline passes; then waits for the child
 * to exit until the deadline. Kills it if it must. Always reaps it. */
static void wait_child(run *r)
{
	pid_t w = 0;

	while ((r->out >= 0 || r->errfd >= 0) && !r->too_big) {
		struct pollfd pfd[2];
		int n = 0, *which[2];
		int64_t now = now_ms(), wait;

		if (now >= r->deadline) {
			r->timed_out = 1;
			break;
		}
		wait = r->deadline - now < TICK_MS ? r->deadline - now : TICK_MS;
		if (r->out >= 0) {
			pfd[n] = (struct pollfd){r->out, POLLIN, 0};
			which[n++] = &r->out;
		}
		if (r->errfd >= 0) {
			pfd[n] = (struct pollfd){r->errfd, POLLIN, 0};
			which[n++] = &r->errfd;
		}
		if (poll(pfd, (nfds_t)n, (int)wait) > 0)
			for (int i = 0; i < n; i++)
				if (pfd[i].revents)
					drain(r, which[i]);
		tick(r);
	}
	/* Both pipes at their end: the child is exiting, or should be. */
	while (!r->timed_out && !r->too_big &&
	       ((w = waitpid(r->pid, &r->status, WNOHANG)) == 0 || (w < 0 && errno == EINTR))) {
		if (now_ms() >= r->deadline)
			r->timed_out = 1;
		else
			poll(NULL, 0, 5);
		tick(r);
	}
	if (w != r->pid) {
		kill(r->pid, SIGKILL);
		while (waitpid(r->pid, &r->status, 0) < 0 && errno == EINTR)
			;
	}
	if (r->out >= 0)
		close(r->out);
	if (r->errfd >= 0)
		close(r->errfd);
}

/* The last line the child wrote to its standard error, or "". */
static const char *last_line(run *r)
{
	char *s, *nl;

	r->tail[r->tail_len] = '\0';
	while (r->tail_len &&
	       (r->tail[r->tail_len - 1] == '\n' || r->tail[r->tail_len - 1] == '\r'))
		r->tail[--r->tail_len] = '\0';
	s = r->tail;
	if ((nl = strrchr(s, '\n')))
		s = nl + 1;
	return s;
}

static int outcome(run *r, int timeout_s, rl_text *out, rl_error *err)
{
	const char *said = last_line(r);
	int garbled = 0, rc;

	if (r->timed_out)
		return rl_error_set(err, RL_EEXTRACT,
				    "pdf extraction: timed out after %d s (the child was killed)",
				    timeout_s);
	if (r->too_big)
		return rl_error_set(err, RL_EEXTRACT,
				    "pdf extraction: the child's reply is larger than %zu bytes "
				    "(the child was killed)",
				    r->limit);
	if (WIFSIGNALED(r->status)) {
		const char *abbrev = sigabbrev_np(WTERMSIG(r->status));

		return rl_error_set(
		    err, RL_EEXTRACT, "pdf extraction: child killed by signal %d (SIG%s)%s%s",
		    WTERMSIG(r->status), abbrev ? abbrev : "?", *said ? ": " : "", said);
	}
	if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0)
		return rl_error_set(
		    err, RL_EEXTRACT, "pdf extraction: child exited with status %d%s%s",
		    WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1, *said ? ": " : "", said);
	rc = wire_get_reply(out, r->reply.ptr ? r->reply.ptr : "", r->reply.len, &garbled, err);
	if (rc < 0 && garbled)
		rl_error_prefix(err, "pdf extraction");
	return rc;
}

/* The program to run. "/proc/self/exe" (what the daemon registers) is
 * read as the path it links to, unless that path is gone: under
 * valgrind, exec of /proc/self/exe starts valgrind's launcher, which
 * refuses to run alone, while readlink (which valgrind answers) names
 * the program itself. A program upgraded on disk since it started
 * links to "PATH (deleted)": then /proc/self/exe, still the build that
 * runs, and never the new one, whose replies may differ. */
static const char *program(char *buf, size_t n)
{
	static const char deleted[] = " (deleted)";
	const char *p = child.argv.v[0];
	ssize_t k;

	if (strcmp(p, "/proc/self/exe") != 0 || (k = readlink(p, buf, n - 1)) <= 0)
		return p;
	buf[k] = '\0';
	if (buf[0] != '/' || (size_t)k >= n - 1 ||
	    ((size_t)k >= sizeof(deleted) - 1 &&
	     strcmp(buf + k - (sizeof(deleted) - 1), deleted) == 0) ||
	    access(buf, X_OK) != 0)
		return p;
	return buf;
}

static int spawn(run *r, int in, rl_error *err)
{
	char path[4096];
	const char *prog = program(path, sizeof(path));
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dflt;
	int out[2] = {-1, -1}, errp[2] = {-1, -1}, rc;

	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		rc = rl_error_set(err, RL_EIO, "pdf extraction: pipe: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	/* The program's other descriptors (sockets, its archive lock) are
	 * not the child's business, close-on-exec or not. */
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 34)
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	/* A program that blocks signals for a signalfd, or ignores SIGPIPE,
	 * would pass that on through exec: the child starts clean. */
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&dflt);
	sigdelset(&dflt, SIGKILL);
	sigdelset(&dflt, SIGSTOP);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dflt);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&r->pid, prog, &fa, &attr, child.argv.v, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		rc = rl_error_set(err, RL_EEXTRACT, "pdf extraction: cannot run %s: %s", prog,
				  strerror(rc));
		goto out;
	}
	r->out = out[0];
	r->errfd = errp[0];
	out[0] = errp[0] = -1;
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	return rc;
}

static int in_child(rl_text *out, const rl_raw_page *pages, size_t n, const rl_extract_opts *opts,
		    rl_error *err)
{
	wire_out w = {-1, RL_BUF_INIT, 0};
	run r;
	size_t total = 0;
	int timeout_s = child.timeout_s, rc;

	memset(&r, 0, sizeof(r));
	r.out = r.errfd = -1;
	for (size_t i = 0; i < n; i++)
		total += pages[i].data ? pages[i].len : 0;
	if (timeout_s <= 0) {
		size_t mib = total >> 20;

		timeout_s = mib > TIMEOUT_S / TIMEOUT_PER_MIB_S && mib < INT32_MAX / 20
				? (int)mib * TIMEOUT_PER_MIB_S
				: TIMEOUT_S;
	}
	r.limit = total > (SIZE_MAX - REPLY_SLACK) / REPLY_PER_BYTE
		      ? SIZE_MAX - 1
		      : REPLY_SLACK + total * REPLY_PER_BYTE;
	w.fd = memfd_create("redline-extract", MFD_CLOEXEC);
	if (w.fd < 0)
		return rl_error_set(err, RL_EIO, "pdf extraction: memfd_create: %s",
				    strerror(errno));
	if (wire_put_request(&w, pages, n, opts) < 0 || lseek(w.fd, 0, SEEK_SET) < 0) {
		rc = rl_error_set(err, w.error == ENOMEM ? RL_ENOMEM : RL_EIO,
				  "pdf extraction: cannot write the request: %s",
				  strerror(w.error ? w.error : errno));
		goto out;
	}
	rl_buf_free(&w.b);
	if ((rc = spawn(&r, w.fd, err)) < 0)
		goto out;
	close(w.fd);
	w.fd = -1;
	r.deadline = now_ms() + (int64_t)timeout_s * 1000;
	r.next_tick = now_ms() + TICK_MS;
	wait_child(&r);
	rc = outcome(&r, timeout_s, out, err);
out:
	if (w.fd >= 0)
		close(w.fd);
	rl_buf_free(&w.b);
	rl_buf_free(&r.reply);
	return rc;
}

static int has_pdf(const rl_raw_page *pages, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pages[i].data && pages[i].len &&
		    rl_doc_sniff(pages[i].data, pages[i].len, pages[i].content_type,
				 pages[i].url) == RL_DOC_PDF)
			return 1;
	return 0;
}

int rl_extract(rl_text *out, const rl_raw_page *pages, size_t n, const rl_extract_opts *opts,
	       rl_error *err)
{
	if (!child.argv.n || !pages || n == 0 || !has_pdf(pages, n))
		return rlx_extract_here(out, pages, n, opts, err);
	memset(out, 0, sizeof(*out));
	if (err)
		rl_error_clear(err);
	return in_child(out, pages, n, opts, err);
}

/* --- the child's side ------------------------------------------------- */

/* The request: mapped when it is a file (the memfd), else read. */
static int read_request(int in, rl_buf *b, const char **p, size_t *len, size_t *mapped,
			rl_error *err)
{
	struct stat st;

	*mapped = 0;
	if (fstat(in, &st) == 0 && S_ISREG(st.st_mode) && lseek(in, 0, SEEK_CUR) == 0 &&
	    st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, in, 0);

		if (m != MAP_FAILED) {
			*p = m;
			*len = *mapped = (size_t)st.st_size;
			return 0;
		}
	}
	for (;;) {
		ssize_t k;

		if (rl_buf_grow(b, (size_t)64 * 1024) < 0)
			return rl_error_set(err, RL_ENOMEM, "out of memory");
		k = read(in, b->ptr + b->len, b->cap - b->len - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return rl_error_set(err, RL_EIO,
					    "extraction child: reading the request: %s",
					    strerror(errno));
		if (k == 0)
			break;
		b->len += (size_t)k;
	}
	*p = b->ptr ? b->ptr : "";
	*len = b->len;
	return 0;
}

int rl_extract_serve(int in, int out, rl_error *err)
{
	rl_buf b = RL_BUF_INIT;
	const char *p = NULL;
	size_t len = 0, mapped = 0;
	wire_request q;
	wire_out w = {out, RL_BUF_INIT, 0};
	rl_text t;
	rl_error xerr;
	int rc, xrc;

	if ((rc = read_request(in, &b, &p, &len, &mapped, err)) < 0)
		goto done;
	if ((rc = wire_get_request(&q, p, len, err)) < 0) {
		rl_error_prefix(err, "extraction child");
		goto done;
	}
	xrc = rlx_extract_here(&t, q.pages, q.n, &q.opts, &xerr);
	if (wire_put_reply(&w, xrc, &t, &xerr) < 0)
		rc = rl_error_set(err, RL_EIO, "extraction child: writing the reply: %s",
				  strerror(w.error));
	rl_text_free(&t);
	wire_request_free(&q);
done:
	rl_buf_free(&w.b);
	if (mapped)
		munmap((void *)p, mapped);
	rl_buf_free(&b);
	return rc;
}
