/* The one event loop: the fetcher's transfers, the notifier's deliveries
 * and the signal descriptor in one curl_multi_poll; short handlers for a
 * finished source, a finished delivery, a due time, a signal. */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <syslog.h>
#include <unistd.h>

#include <curl/curl.h>

#include "redline/text-loader.h"
#include "redlined.h"

#define WAKE_MAX_MS   1000 /* the loop turns at least this often */
#define NOTIFY_FDS    64
#define ONCE_DEADLINE (2 * RL_NOTIFY_TIMEOUT_MS + 5000) /* --once: deliveries */
#define AFTER_WRITE_S 60 /* a long pass updates the landing page this often */
#define PASS_GAP_S    5  /* nothing in flight nor due this soon: a pass is over */

static daemon_source *find_source(rl_daemon *d, const char *id)
{
	for (size_t i = 0; i < d->n_sources; i++)
		if (strcmp(d->sources[i].src->id, id) == 0)
			return &d->sources[i];
	return NULL;
}

static void log_update(const rl_source *src, const rl_update *u, const rl_fetch_result *res)
{
	log_fields f = {src->id, NULL, NULL, NULL, NULL, NULL};

	f.url = res->n_pages && res->pages[0].url ? res->pages[0].url : src->url;
	switch (u->outcome) {
	case RL_OUTCOME_CHANGED:
		f.change = u->first ? "initial" : rl_change_class_name(u->cls);
		f.commit = u->commit;
		f.message_id = MSGID_CHANGE;
		daemon_logf(LOG_NOTICE, &f, "%s %.10s (%s)", u->first ? "first version" : "changed",
			    u->commit, u->subject ? u->subject : "");
		break;
	case RL_OUTCOME_FAILED:
		if (u->health_changed)
			f.message_id = MSGID_FAILING;
		daemon_logf(LOG_WARNING, &f, "failed: %s", u->error ? u->error : "?");
		break;
	default:
		if (u->health_changed)
			f.message_id = MSGID_RECOVERED;
		daemon_logf(u->health_changed ? LOG_NOTICE : LOG_DEBUG, &f, "%s",
			    u->health_changed ? "recovered: unchanged" : "unchanged");
		break;
	}
}

static void handle_result(rl_daemon *d, rl_fetch_result *res)
{
	daemon_source *ds = find_source(d, res->source_id);
	const rl_source *src = ds ? ds->src : res->source;
	rl_update u;
	rl_error err;

	if (ds)
		ds->in_flight = 0;
	if (d->stopping && !res->ok)
		return; /* abandoned by the stop: nothing to record */
	d->fetches++;
	/* A source a reload removed finishes with its old definition. */
	if (rl_update_apply(d->archive, d->cfg, src, res, &u, &err) < 0) {
		daemon_log(src->id, "cannot archive: %s", err.message);
		return;
	}
	log_update(src, &u, res);
	if (u.outcome == RL_OUTCOME_FAILED)
		d->failures++;
	if (ds)
		ds->failing = u.outcome == RL_OUTCOME_FAILED;
	if (u.outcome == RL_OUTCOME_CHANGED) {
		d->versions++;
		if (!d->wrote)
			d->wrote_at = rl_now();
		d->wrote = 1;
		if (ds)
			snprintf(ds->tip, sizeof(ds->tip), "%s", u.commit);
	}
	/* A body was compared with the tip: its text read out of the packs
	 * (in a pack redline gc wrote, a chain of deltas whose bases are each
	 * found by a lookup in the pack index), maybe a version written. The
	 * index and pack pages it touched stay resident until the archive is
	 * reopened, and the kernel maps 64 KiB around each: over a pass of
	 * 100 versions, most of an index that grows with the years (5 MiB
	 * for 30 versions of 1000 sources). Reopening (0.1 ms) lets them go
	 * after each; a 304 reads nothing. */
	if (!res->not_modified && rl_archive_reopen(d->archive, &err) < 0)
		daemon_log(NULL, "%s", err.message);
	if (u.outcome == RL_OUTCOME_CHANGED || u.health_changed)
		notify_source_changed(d, src->id);
	if (ds)
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
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			if (!d->stopping) {
				daemon_log(NULL, "stopping (%s)", strsignal((int)si.ssi_signo));
				sd_stopping();
			}
			d->stopping = 1;
		} else if (si.ssi_signo == SIGHUP) {
			d->reload = 1;
		}
	}
}

size_t loop_in_flight(const rl_daemon *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_sources; i++)
		n += (size_t)d->sources[i].in_flight;
	return n;
}

/* After a pass that wrote versions: what is derived from the archive
 * follows it. The landing page (refs/heads/main) and the Atom file are
 * rewritten here, once the pass is over (nothing in flight, nothing due
 * for PASS_GAP_S: sources due together come due a few seconds apart, by
 * their jitter), or a minute after its first new version if it goes on;
 * never per version nor per turn: each reads every source's tip, and
 * while a pass holds its queue and the text libraries, their memory
 * would come on top. Pushing to [remote]s and gc follow in replicate.c. */
static void after_write(rl_daemon *d)
{
	rl_error err;

	d->wrote = 0;
	d->wrote_at = 0;
	d->read_versions = 1;
	if (rl_landing_update(d->archive, d->cfg, &err) < 0)
		daemon_log(NULL, "landing page: %s", err.message);
	if (d->cfg->feed_path && rl_feed_write(d->cfg->feed_path, d->archive, d->cfg, &err) < 0)
		daemon_log(NULL, "%s", err.message);
}

static long min_wait(long a, long b)
{
	return b >= 0 && (a < 0 || b < a) ? b : a;
}

/* One turn: start what is due, wait for transfers, deliveries or a
 * signal, handle what finished. */
static int turn(rl_daemon *d)
{
	struct curl_waitfd fds[1 + NOTIFY_FDS];
	int64_t wake = schedule_next_wakeup(d);
	long wait_ms = WAKE_MAX_MS, nt = -1;
	unsigned nf = 0;
	size_t handled = 0;
	int idle, landing = 0;
	rl_fetch_result *res;
	rl_error err;

	if (d->fetcher_stale && rl_fetcher_pending(d->fetcher) == 0) {
		rl_fetcher *f = NULL;

		if (rl_fetcher_new(&f, &d->cfg->fetch, &err) == 0) {
			rl_fetcher_free(d->fetcher);
			d->fetcher = f;
			d->fetcher_stale = 0;
		}
	}
	reload_release(d);
	if (!d->stopping)
		start_due(d);
	notify_rescan(d);
	notify_turn(d);
	if (wake >= 0 && !d->once)
		wait_ms = min_wait(wait_ms, (long)((wake - rl_now()) * 1000));
	wait_ms = min_wait(wait_ms, notify_wait_ms(d));
	wait_ms = min_wait(wait_ms, sd_wait_ms());
	fds[0] = (struct curl_waitfd){d->sigfd, CURL_WAIT_POLLIN, 0};
	if (d->notifier)
		rl_notifier_fds(d->notifier, fds + 1, NOTIFY_FDS, &nf, &nt);
	wait_ms = min_wait(wait_ms, nt);
	if (wait_ms < 0)
		wait_ms = 0;
	if (rl_fetcher_step(d->fetcher, fds, 1 + nf, (int)wait_ms, NULL, &err) < 0) {
		daemon_log(NULL, "fetcher: %s", err.message);
		return -1;
	}
	read_signals(d);
	if (d->stopping)
		rl_fetcher_abort(d->fetcher);
	while (rl_fetcher_next(d->fetcher, &res)) {
		handle_result(d, res);
		rl_fetch_result_free(res);
		handled++;
	}
	notify_turn(d);
	idle = loop_in_flight(d) == 0;
	/* No page to extract until the next pass: ICU and libxml2 go (4 MiB
	 * they would hold until then; the next extraction loads them again),
	 * before the landing page is built rather than under it. Whatever
	 * loads them again meanwhile (the feed's excerpts, a notification's
	 * diff) lets them go at the end of its turn. */
	if (idle && rl_text_loaded())
		rl_text_release();
	if (d->wrote && !d->stopping &&
	    ((idle && ((wake = schedule_next_wakeup(d)) < 0 || wake - rl_now() > PASS_GAP_S)) ||
	     rl_now() - d->wrote_at >= AFTER_WRITE_S)) {
		after_write(d);
		landing = 1;
	}
	if (idle && rl_text_loaded())
		rl_text_release();
	/* Versions read for notices or the landing page, or a pass over:
	 * libgit2 lets go of the pack pages they touched and of what it
	 * cached (as after each fetched body, in handle_result), and what the
	 * pass allocated and freed (bodies, extracted text, diffs, parsed
	 * state) goes back to the system instead of staying in the heap
	 * until the next one. */
	if (d->read_versions || ((handled || landing) && idle)) {
		d->read_versions = 0;
		if (rl_archive_reopen(d->archive, &err) < 0)
			daemon_log(NULL, "%s", err.message);
		if (idle)
			malloc_trim(0);
	}
	replicate_turn(d);
	sd_tick(d);
	return 0;
}

int loop_once(rl_daemon *d)
{
	int64_t end;

	for (size_t i = 0; i < d->n_sources; i++)
		d->sources[i].next_due = 0;
	start_due(d);
	while (!d->stopping && loop_in_flight(d) > 0)
		if (turn(d) < 0)
			return -1;
	/* Then what the pass owes the channels, one attempt each. */
	end = rl_now_ms() + ONCE_DEADLINE;
	while (!d->stopping && rl_now_ms() < end && !notify_idle(d))
		if (turn(d) < 0)
			return -1;
	if (d->wrote)
		after_write(d);
	return 0;
}

int loop_run(rl_daemon *d)
{
	while (!d->stopping) {
		if (turn(d) < 0)
			return -1;
		if (d->reload && !d->stopping) {
			d->reload = 0;
			reload_config(d);
		}
	}
	/* Stopped mid-pass: the landing page still follows what was written. */
	if (d->wrote)
		after_write(d);
	return 0;
}

int loop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	/* A receiver that hangs up mid-answer must not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}
