/* The one event loop: the fetcher's transfers and the signal descriptor in
 * one curl_multi_poll; short handlers for a finished source, a due time,
 * a signal. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <curl/curl.h>

#include "redlined.h"

#define WAKE_MAX_MS 1000 /* the loop turns at least this often (watchdog, signals) */

static daemon_source *find_source(rl_daemon *d, const char *id)
{
	for (size_t i = 0; i < d->n_sources; i++)
		if (strcmp(d->sources[i].src->id, id) == 0)
			return &d->sources[i];
	return NULL;
}

static void log_update(const rl_source *src, const rl_update *u)
{
	switch (u->outcome) {
	case RL_OUTCOME_CHANGED:
		daemon_log(src->id, "%s %.10s (%s)", u->first ? "first version" : "changed",
			   u->commit, u->subject ? u->subject : "");
		break;
	case RL_OUTCOME_FAILED:
		daemon_log(src->id, "failed: %s", u->error ? u->error : "?");
		break;
	default:
		daemon_log(src->id, "unchanged");
		break;
	}
}

static void handle_result(rl_daemon *d, rl_fetch_result *res)
{
	daemon_source *ds = find_source(d, res->source_id);
	rl_update u;
	rl_error err;

	if (!ds) /* removed by a reload while in flight */
		return;
	d->fetches++;
	if (rl_update_apply(d->archive, d->cfg, ds->src, res, &u, &err) < 0) {
		daemon_log(ds->src->id, "cannot archive: %s", err.message);
		ds->in_flight = 0;
		return;
	}
	log_update(ds->src, &u);
	if (u.outcome == RL_OUTCOME_FAILED)
		d->failures++;
	if (u.outcome == RL_OUTCOME_CHANGED) {
		d->passes_changed++;
		if (rl_landing_update(d->archive, d->cfg, &err) < 0)
			daemon_log(NULL, "landing page: %s", err.message);
	}
	schedule_after_update(d, ds, &u);
	rl_update_clear(&u);
}

static void start_due(rl_daemon *d)
{
	int64_t now = rl_now();

	for (size_t i = 0; i < d->n_sources; i++) {
		daemon_source *ds = &d->sources[i];
		rl_source_state st;
		rl_error err;

		if (ds->in_flight || ds->next_due > now)
			continue;
		if (rl_state_load(d->archive, ds->src->id, &st, NULL) < 0)
			memset(&st, 0, sizeof(st));
		if (!rl_archive_has_source(d->archive, ds->src->id)) {
			rl_state_clear(&st);
			memset(&st, 0, sizeof(st));
		}
		if (rl_fetcher_add(d->fetcher, ds->src, &st, &err) < 0)
			daemon_log(ds->src->id, "cannot queue: %s", err.message);
		else
			ds->in_flight = 1;
		rl_state_clear(&st);
	}
}

static void read_signals(rl_daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			d->stopping = 1;
		else if (si.ssi_signo == SIGHUP)
			d->reload = 1;
	}
}

static size_t in_flight(const rl_daemon *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_sources; i++)
		n += (size_t)d->sources[i].in_flight;
	return n;
}

/* One turn: start what is due, wait for transfers or a signal, handle
 * what finished. */
static int turn(rl_daemon *d)
{
	struct curl_waitfd wfd = {d->sigfd, CURL_WAIT_POLLIN, 0};
	int64_t wake = schedule_next_wakeup(d), wait_ms = WAKE_MAX_MS;
	rl_fetch_result *res;
	rl_error err;
	int ready = 0;

	if (!d->stopping)
		start_due(d);
	if (wake >= 0 && (wake - rl_now()) * 1000 < wait_ms)
		wait_ms = (wake - rl_now()) * 1000;
	if (wait_ms < 0)
		wait_ms = 0;
	if (rl_fetcher_step(d->fetcher, &wfd, 1, (int)wait_ms, &ready, &err) < 0) {
		daemon_log(NULL, "fetcher: %s", err.message);
		return -1;
	}
	if (ready)
		read_signals(d);
	while (rl_fetcher_next(d->fetcher, &res)) {
		handle_result(d, res);
		rl_fetch_result_free(res);
	}
	return 0;
}

int loop_once(rl_daemon *d)
{
	for (size_t i = 0; i < d->n_sources; i++)
		d->sources[i].next_due = 0;
	start_due(d);
	while (!d->stopping && in_flight(d) > 0)
		if (turn(d) < 0)
			return -1;
	return 0;
}

int loop_run(rl_daemon *d)
{
	while (!d->stopping) {
		if (turn(d) < 0)
			return -1;
		if (d->reload) {
			d->reload = 0;
			daemon_log(NULL, "reload requested: restart redlined to apply a new "
					 "configuration");
		}
	}
	return 0;
}

int loop_signals(void);
int loop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}
