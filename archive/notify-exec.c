/* The exec hook: `exec = /path/prog args` split into argv (no shell, no
 * expansion), the notice's JSON on stdin, REDLINE_* in the environment,
 * its own process group so a timeout kills everything it started. Exit
 * status 0 is a yes. Nothing here blocks: the daemon's loop polls the
 * child's stdin and output. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "notify-internal.h"
#include "redline/util.h"

extern char **environ;

/* Variables a hook must not inherit: they speak for the daemon to
 * systemd, or are ours to set. */
static int dropped(const char *kv)
{
	static const char *prefixes[] = {"NOTIFY_SOCKET=", "WATCHDOG_", "LISTEN_", "REDLINE_"};

	if (strncmp(kv, "REDLINE_CONFIG=", 15) == 0)
		return 0;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(kv, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

static void setenv_v(rl_strv *env, const char *name, const char *value)
{
	if (value && *value)
		rl_strv_pushf(env, "REDLINE_%s=%s", name, value);
}

static int build_env(rl_strv *env, const rl_channel *ch, const rl_notice *n)
{
	char iso[32];

	for (char **e = environ; e && *e; e++)
		if (!dropped(*e))
			rl_strv_push(env, *e);
	rl_time_iso(n->time, iso);
	setenv_v(env, "EVENT", rl_notice_kind_name(n->kind));
	setenv_v(env, "CHANNEL", ch->name);
	setenv_v(env, "SOURCE", n->source);
	setenv_v(env, "TITLE", n->title);
	setenv_v(env, "URL", n->url);
	setenv_v(env, "COMMIT", n->commit);
	setenv_v(env, "PREVIOUS", n->parent);
	setenv_v(env, "CLASS", n->cls == RL_CLASS_NONE ? NULL : rl_change_class_name(n->cls));
	setenv_v(env, "SUBJECT", n->subject);
	setenv_v(env, "DATE", iso);
	setenv_v(env, "DELIVERY", n->key);
	return env->n ? 0 : -1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int leg_exec_start(rl_notifier *n, nleg *l, const rl_channel *ch, const rl_notice *notice,
		   rl_error *err)
{
	rl_strv argv = RL_STRV_INIT, env = RL_STRV_INIT;
	int in[2] = {-1, -1}, out[2] = {-1, -1};
	int rc;

	l->label = NULL;
	rc = rl_exec_split(ch->exec, &argv, err);
	if (rc == 0 &&
	    (asprintf(&l->label, "exec %s", argv.v[0]) < 0 || build_env(&env, ch, notice) < 0 ||
	     rl_buf_set(&l->payload, notice->json.ptr ? notice->json.ptr : "{}",
			notice->json.ptr ? notice->json.len : 2) < 0))
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	/* stdin is a socket so writing to a hook that does not read gives
	 * EPIPE, not a SIGPIPE that would kill the daemon. */
	if (rc == 0 && (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0 ||
			pipe2(out, O_CLOEXEC) < 0))
		rc = rl_error_set(err, RL_EIO, "exec %s: %s", argv.v[0], strerror(errno));
	if (rc == 0) {
		l->pid = fork();
		if (l->pid < 0)
			rc = rl_error_set(err, RL_EIO, "exec %s: fork: %s", argv.v[0],
					  strerror(errno));
	}
	if (rc == 0 && l->pid == 0) {
		sigset_t none;

		/* The child: only async-signal-safe calls until exec. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		setpgid(0, 0);
		if (dup2(in[1], 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0)
			_exit(126);
		close_range(3, ~0U, 0);
		execvpe(argv.v[0], argv.v, env.v);
		_exit(127);
	}
	if (rc == 0) {
		setpgid(l->pid, l->pid); /* both sides, so kill(-pid) never misses */
		l->in_fd = in[0];
		l->out_fd = out[0];
		in[0] = out[0] = -1;
		fcntl(l->in_fd, F_SETFL, O_NONBLOCK);
		fcntl(l->out_fd, F_SETFL, O_NONBLOCK);
		l->timeout_ms = n->timeout_ms;
		l->deadline = rl_now_ms() + n->timeout_ms;
	}
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&out[0]);
	close_fd(&out[1]);
	rl_strv_free(&argv);
	rl_strv_free(&env);
	return rc;
}

static void pump(nleg *l)
{
	char chunk[4096];
	ssize_t k;

	while (l->in_fd >= 0 && l->sent < l->payload.len) {
		k = send(l->in_fd, l->payload.ptr + l->sent, l->payload.len - l->sent,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (k < 0) { /* the hook does not read its stdin: its choice */
			close_fd(&l->in_fd);
			break;
		}
		l->sent += (size_t)k;
	}
	if (l->in_fd >= 0 && l->sent >= l->payload.len)
		close_fd(&l->in_fd); /* end of input */
	while (l->out_fd >= 0) {
		k = read(l->out_fd, chunk, sizeof(chunk));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (k <= 0) {
			close_fd(&l->out_fd);
			break;
		}
		notify_keep_response(chunk, 1, (size_t)k, &l->response);
	}
}

static void finish(nleg *l)
{
	char first[128];

	close_fd(&l->in_fd);
	pump(l);
	close_fd(&l->out_fd);
	notify_first_line(&l->response, first, sizeof(first));
	if (WIFEXITED(l->status) && WEXITSTATUS(l->status) == 0)
		leg_set_answer(l, 1, "exit 0");
	else if (WIFEXITED(l->status))
		leg_set_answer(l, 0, "exit %d%s%s", WEXITSTATUS(l->status), first[0] ? ": " : "",
			       first);
	else
		leg_set_answer(l, 0, "killed by signal %d", WTERMSIG(l->status));
}

void leg_exec_perform(nleg *l, int abandon)
{
	pid_t r;

	if (l->reaped || l->pid <= 0) {
		if (!l->done)
			leg_set_answer(l, 0, "not started");
		return;
	}
	if (abandon || rl_now_ms() >= l->deadline) {
		kill(-l->pid, SIGKILL);
		kill(l->pid, SIGKILL);
		while (waitpid(l->pid, &l->status, 0) < 0 && errno == EINTR)
			;
		l->reaped = 1;
		close_fd(&l->in_fd);
		close_fd(&l->out_fd);
		if (abandon)
			leg_set_answer(l, 0, "abandoned");
		else
			leg_set_answer(l, 0, "still running after %lld s, killed",
				       (long long)(l->timeout_ms / 1000));
		return;
	}
	pump(l);
	r = waitpid(l->pid, &l->status, WNOHANG);
	if (r == l->pid) {
		l->reaped = 1;
		finish(l);
	}
}
