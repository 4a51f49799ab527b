/* After turns that wrote versions: push to the [remote]s, and gc once
 * enough loose objects piled up. Each runs in a child process (a forked
 * copy of the daemon that opens the archive afresh), so a slow or dead
 * remote and a long gc never hold up the loop: archiving goes on, the
 * child's report is logged when it ends, and a failed push is retried
 * with a growing delay. One child at a time; redlined --once does neither
 * (run `redline push` after it). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <git2.h>

#include "redline/replicate.h"
#include "redlined.h"

#define PUSH_RETRY_FIRST   60   /* seconds after a failed push ($REDLINED_PUSH_RETRY) */
#define PUSH_RETRY_MAX     3600 /* the delay doubles up to this */
#define REMOTES_MAX        32   /* remotes followed one by one; more share the last */
#define GC_CHECK_EVERY     60   /* seconds between looks at the loose objects */
#define GC_LOOSE_THRESHOLD 2000 /* loose objects that call for a gc ($REDLINED_GC_LOOSE) */
#define REPORT_MAX         65536

typedef enum job_kind { JOB_NONE = 0, JOB_PUSH, JOB_GC } job_kind;

/* Each remote on its own: a dead one is retried later and holds up no other. */
typedef struct remote_state {
	char name[128];
	int pushed_once; /* since start: it may lag a previous run */
	size_t pushed;   /* d->versions at its last successful push */
	int failures;    /* in a row */
	int64_t after;   /* rl_now(): not before */
	int in_job;
} remote_state;

static struct replicate {
	job_kind job;
	pid_t pid;
	int fd; /* the child's report */
	rl_buf report;
	size_t job_versions; /* d->versions when the job started */
	remote_state remotes[REMOTES_MAX];
	size_t gc_checked; /* d->versions at the last look at loose objects */
	int64_t gc_after;
} rep = {.job = JOB_NONE, .pid = -1, .fd = -1};

/* A positive number from the environment (test and tuning knobs), else dflt. */
static long env_number(const char *name, long dflt)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return dflt;
	n = strtol(v, &end, 10);
	return *end == '\0' && n > 0 ? n : dflt;
}

static remote_state *remote_of(const char *name)
{
	for (int i = 0; i < REMOTES_MAX; i++)
		if (strcmp(rep.remotes[i].name, name) == 0)
			return &rep.remotes[i];
	for (int i = 0; i < REMOTES_MAX; i++)
		if (!rep.remotes[i].name[0]) {
			snprintf(rep.remotes[i].name, sizeof(rep.remotes[i].name), "%s", name);
			return &rep.remotes[i];
		}
	return &rep.remotes[REMOTES_MAX - 1];
}

static int push_due(const rl_daemon *d, const remote_state *r)
{
	return (!r->pushed_once || d->versions > r->pushed || r->failures) && rl_now() >= r->after;
}

/* One line of the child's report: its syslog priority, a tag ('+N' remote
 * N pushed, '-N' remote N failed, '.' anything else), the text. */
static void say(int fd, int priority, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void say(int fd, int priority, const char *tag, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "%d %s ", priority, tag);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - 1 - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(fd, line, (size_t)n) < 0)
		return;
}

static int child_push(rl_daemon *d, rl_archive *a, int fd)
{
	int status = 0;

	for (size_t i = 0; i < d->cfg->n_remotes; i++) {
		const rl_remote *r = &d->cfg->remotes[i];
		rl_push_result res;
		rl_error err;
		char ok[16], bad[16];

		if (!remote_of(r->name)->in_job)
			continue;
		snprintf(ok, sizeof(ok), "+%zu", i);
		snprintf(bad, sizeof(bad), "-%zu", i);
		if (rl_push(a, d->cfg, r, &res, &err) < 0) {
			say(fd, LOG_WARNING, bad, "push: %s", err.message);
			status = 1;
		} else {
			say(fd, LOG_INFO, ok,
			    "push: remote '%s' (%s): %zu updated, %zu up to date, %zu rejected",
			    res.remote, res.url, res.updated, res.uptodate, res.rejected);
			for (size_t k = 0; k < res.n_refs; k++)
				if (res.refs[k].status == RL_PUSH_REJECTED)
					say(fd, LOG_WARNING, ".",
					    "push: remote '%s' (%s): %s rejected: %s", res.remote,
					    res.url, res.refs[k].ref, res.refs[k].reason);
		}
		rl_push_result_clear(&res);
	}
	return status;
}

static int child_gc(rl_archive *a, int fd)
{
	rl_gc_opts opts = {0};
	rl_gc_stats st;
	rl_error err;

	opts.incremental = 1;
	if (rl_archive_gc(a, &opts, &st, &err) < 0) {
		say(fd, LOG_WARNING, ".", "gc: %s", err.message);
		return 1;
	}
	say(fd, LOG_INFO, ".",
	    "gc: %s: packed %zu objects (%llu bytes), %zu loose removed, %zu pruned, %zu packs",
	    st.full ? "full" : "incremental", st.objects, (unsigned long long)st.pack_bytes,
	    st.loose_removed, st.pruned, st.full ? (size_t)1 : st.packs + 1);
	return 0;
}

static void start(rl_daemon *d, job_kind job)
{
	int p[2];
	pid_t pid, parent = getpid();

	p[0] = p[1] = -1;
	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		daemon_log(NULL, "%s: cannot start: %s", job == JOB_PUSH ? "push" : "gc",
			   strerror(errno));
		if (p[0] >= 0) {
			close(p[0]);
			close(p[1]);
		}
		for (int i = 0; i < REMOTES_MAX; i++)
			rep.remotes[i].in_job = 0;
		return;
	}
	if (pid == 0) {
		sigset_t all;
		rl_archive *a = NULL;
		rl_error err;
		int rc = 1;

		/* The daemon's signals are blocked for its signalfd: a child
		 * must stop on SIGTERM like any process. */
		sigfillset(&all);
		sigprocmask(SIG_UNBLOCK, &all, NULL);
		/* A daemon killed outright takes its child along (both are
		 * crash-safe); a child never outlives it by much. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		close(p[0]);
		git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
		if (rl_archive_open(&a, rl_archive_path(d->archive), &err) < 0)
			say(p[1], LOG_WARNING, ".", "%s: %s", job == JOB_PUSH ? "push" : "gc",
			    err.message);
		else
			rc = job == JOB_PUSH ? child_push(d, a, p[1]) : child_gc(a, p[1]);
		rl_archive_free(a);
		_exit(rc);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	rep.job = job;
	rep.pid = pid;
	rep.fd = p[0];
	rep.job_versions = d->versions;
	rl_buf_reset(&rep.report);
}

static void push_done(const rl_daemon *d, size_t i, int ok)
{
	remote_state *r;
	int64_t wait = env_number("REDLINED_PUSH_RETRY", PUSH_RETRY_FIRST);

	if (i >= d->cfg->n_remotes)
		return; /* a reload removed it meanwhile */
	r = remote_of(d->cfg->remotes[i].name);
	r->in_job = 0;
	if (ok) {
		r->pushed_once = 1;
		r->pushed = rep.job_versions;
		r->failures = 0;
		r->after = 0;
		return;
	}
	for (int k = 0; k < r->failures && wait < PUSH_RETRY_MAX; k++)
		wait *= 2;
	if (wait > PUSH_RETRY_MAX)
		wait = PUSH_RETRY_MAX;
	r->failures++;
	r->after = rl_now() + wait;
	daemon_log(NULL, "push: remote '%s' again in %llds, archiving goes on", r->name,
		   (long long)wait);
}

/* Logs the complete lines of the child's report and notes each remote's
 * outcome. */
static void drain(const rl_daemon *d)
{
	char chunk[4096];
	ssize_t n;
	char *nl;

	while ((n = read(rep.fd, chunk, sizeof(chunk))) > 0)
		if (rep.report.len < REPORT_MAX)
			rl_buf_put(&rep.report, chunk, (size_t)n);
	while (rep.report.len && (nl = memchr(rep.report.ptr, '\n', rep.report.len))) {
		size_t len = (size_t)(nl - rep.report.ptr);
		log_fields f = {NULL, NULL, NULL, NULL, NULL, NULL};
		char *tag, *text;
		long priority = strtol(rep.report.ptr, &tag, 10);

		*nl = '\0';
		while (*tag == ' ')
			tag++;
		text = strchr(tag, ' ');
		text = text ? text + 1 : tag;
		daemon_logf((int)priority, &f, "%s", text);
		if (*tag == '+' || *tag == '-')
			push_done(d, (size_t)strtoul(tag + 1, NULL, 10), *tag == '+');
		memmove(rep.report.ptr, nl + 1, rep.report.len - len - 1);
		rl_buf_truncate(&rep.report, rep.report.len - len - 1);
	}
}

static void finished(rl_daemon *d, int status)
{
	rl_error err;

	drain(d);
	close(rep.fd);
	rep.fd = -1;
	/* A remote the child never reported on (it died) counts as failed. */
	for (size_t i = 0; rep.job == JOB_PUSH && i < d->cfg->n_remotes; i++)
		if (remote_of(d->cfg->remotes[i].name)->in_job)
			push_done(d, i, 0);
	if (rep.job == JOB_GC && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    rl_archive_reopen(d->archive, &err) < 0)
		/* The packs a full gc removed are let go by reopening. */
		daemon_log(NULL, "gc: %s", err.message);
	rep.job = JOB_NONE;
	rep.pid = -1;
}

static int gc_due(rl_daemon *d)
{
	size_t loose = 0, threshold = (size_t)env_number("REDLINED_GC_LOOSE", GC_LOOSE_THRESHOLD);

	if (d->versions == rep.gc_checked || rl_now() < rep.gc_after)
		return 0;
	rep.gc_checked = d->versions;
	rep.gc_after = rl_now() + GC_CHECK_EVERY;
	return rl_archive_loose_estimate(d->archive, &loose, NULL) == 0 && loose >= threshold;
}

void replicate_turn(rl_daemon *d)
{
	int status, todo = 0;

	if (d->once)
		return;
	if (rep.job != JOB_NONE) {
		pid_t w = waitpid(rep.pid, &status, WNOHANG);

		if (w == rep.pid)
			finished(d, status);
		else if (d->stopping) {
			kill(rep.pid, SIGTERM);
			if (waitpid(rep.pid, &status, 0) == rep.pid)
				finished(d, status);
		} else {
			drain(d);
		}
		return;
	}
	if (d->stopping)
		return;
	for (size_t i = 0; i < d->cfg->n_remotes; i++) {
		remote_state *r = remote_of(d->cfg->remotes[i].name);

		r->in_job = push_due(d, r);
		todo += r->in_job;
	}
	if (todo)
		start(d, JOB_PUSH);
	else if (gc_due(d))
		start(d, JOB_GC);
}
