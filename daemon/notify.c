/* Delivering from the archive: per channel and source a queue whose
 * cursor ref says what was delivered; what lies between the cursor and
 * the branch tip is owed, oldest first, one delivery at a time. The
 * cursor moves only after the receiver said yes, so a receiver that is
 * down, a daemon that is stopped or crashes, only delays: everything is
 * delivered at least once, in order, with its idempotency key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "redlined.h"

#define MAX_IN_FLIGHT  16
#define RETRY_FIRST_MS ((int64_t)1000)
#define RETRY_MAX_MS   ((int64_t)10 * 60 * 1000)
#define SKIPS_PER_TURN 256                  /* versions passed over without sending */
#define RESCAN_MS      2000                 /* look for versions `redline fetch` wrote */
#define HEALTH_SCAN_MS ((int64_t)60 * 1000) /* and for health it changed */

static daemon_queue *find_queue(rl_daemon *d, const char *channel, const char *source)
{
	for (size_t i = 0; i < d->n_queues; i++)
		if (strcmp(d->queues[i].channel, channel) == 0 &&
		    strcmp(d->queues[i].source, source) == 0)
			return &d->queues[i];
	return NULL;
}

static void queues_free(daemon_queue *q, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(q[i].channel);
		free(q[i].source);
	}
	free(q);
}

int notify_setup(rl_daemon *d, rl_error *err)
{
	daemon_queue *v = NULL;
	size_t n = 0, cap = 0;
	rl_error cerr;

	if (!d->notifier) {
		rl_notify_opts opts = {d->cfg->fetch.user_agent, 0};
		int rc = rl_notifier_new(&d->notifier, &opts, err);

		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < d->n_sources; i++) {
		const rl_source *src = d->sources[i].src;

		for (size_t k = 0; k < src->notify.n; k++) {
			const char *ch = src->notify.v[k];
			daemon_queue *old = find_queue(d, ch, src->id), *q;

			if (!rl_config_channel(d->cfg, ch))
				continue;
			if (rl_cursor_name_check(ch, src->id, &cerr) < 0) {
				daemon_log(src->id, "not notified on '%s': %s", ch, cerr.message);
				continue;
			}
			if (n == cap) {
				daemon_queue *nv =
				    realloc(v, (cap = cap ? 2 * cap : 16) * sizeof(*v));

				if (!nv) {
					queues_free(v, n);
					return rl_error_set(err, RL_ENOMEM, "out of memory");
				}
				v = nv;
			}
			q = &v[n];
			if (old)
				*q = *old; /* a reload keeps retries and what is in flight */
			else
				memset(q, 0, sizeof(*q));
			q->channel = strdup(ch);
			q->source = strdup(src->id);
			q->dirty = q->health_dirty = 1;
			q->broken = 0;
			if (!old)
				rl_cursor_get(d->archive, ch, src->id, q->cursor, NULL);
			n++;
		}
	}
	queues_free(d->queues, d->n_queues);
	d->queues = v;
	d->n_queues = n;
	return 0;
}

void notify_source_changed(rl_daemon *d, const char *source)
{
	for (size_t i = 0; i < d->n_queues; i++)
		if (strcmp(d->queues[i].source, source) == 0)
			d->queues[i].dirty = d->queues[i].health_dirty = 1;
}

static size_t in_flight(const rl_daemon *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_queues; i++)
		n += (size_t)d->queues[i].in_flight;
	return n;
}

size_t notify_owed(const rl_daemon *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_queues; i++)
		n += (size_t)(d->queues[i].in_flight || d->queues[i].failures > 0);
	return n;
}

static int send_notice(rl_daemon *d, daemon_queue *q, const rl_channel *ch, rl_notice *notice)
{
	rl_error err;
	log_fields f = {q->source, NULL, NULL, NULL, q->channel, MSGID_UNDELIVER};

	if (rl_notifier_send(d->notifier, ch, notice, q->source, &err) < 0) {
		/* Nothing started (a secret file refused, a bad exec line):
		 * retried like a receiver that said no. */
		q->failures++;
		q->retry_at = rl_now_ms() + RETRY_MAX_MS;
		daemon_logf(LOG_ERR, &f, "cannot notify on '%s': %s", q->channel, err.message);
		return -1;
	}
	q->in_flight = 1;
	return 0;
}

/* The next version owed: passed over when the channel does not want it
 * (reextract, below min-change), else sent. 1 when something was sent
 * or the queue must wait, 0 when no version is owed. */
static int start_version(rl_daemon *d, daemon_queue *q, const rl_channel *ch)
{
	const rl_source *src = rl_config_source(d->cfg, q->source);
	rl_notice *notice = NULL;
	rl_version v;
	rl_error err;
	int rc;

	/* Fresh from the ref: `redline notify skip` may have moved it. */
	rl_cursor_get(d->archive, q->channel, q->source, q->cursor, NULL);
	for (int skips = 0; skips < SKIPS_PER_TURN; skips++) {
		rl_change_class cls;

		memset(&v, 0, sizeof(v));
		rc = rl_cursor_next(d->archive, q->channel, q->source, q->cursor, &v, NULL, &err);
		if (rc <= 0) {
			if (rc < 0 && !q->broken) {
				daemon_log(q->source, "channel '%s': %s", q->channel, err.message);
				q->broken = 1;
			}
			return 0;
		}
		cls = rl_change_class_parse(v.change);
		if (!rl_streq(v.change, "reextract") &&
		    (!v.parent[0] || cls == RL_CLASS_NONE || cls >= ch->min_change))
			break;
		/* Not for this channel: the cursor passes it by. */
		rc = rl_cursor_set(d->archive, q->channel, q->source, q->cursor, v.commit, &err);
		if (rc < 0) {
			daemon_log(q->source, "channel '%s': %s", q->channel, err.message);
			q->retry_at = rl_now_ms() + RETRY_FIRST_MS;
			rl_version_clear(&v);
			return 1;
		}
		snprintf(q->cursor, sizeof(q->cursor), "%s", v.commit);
		rl_version_clear(&v);
	}
	if (!v.commit[0]) /* too many passed over in one turn: more next turn */
		return 1;
	d->read_versions = 1;
	rc = rl_notice_for_version(&notice, d->archive, d->cfg, src, &v, &err);
	if (rc < 0) {
		daemon_log(q->source, "channel '%s': %s", q->channel, err.message);
		q->failures++;
		q->retry_at = rl_now_ms() + RETRY_MAX_MS;
	} else if (send_notice(d, q, ch, notice) == 0) {
		q->sending_health = 0;
		snprintf(q->sending, sizeof(q->sending), "%s", v.commit);
	}
	rl_notice_free(notice);
	rl_version_clear(&v);
	return 1;
}

/* Failing once when the source fails and the channel was not told;
 * recovered once when it works again and the channel was told it failed. */
static void start_health(rl_daemon *d, daemon_queue *q, const rl_channel *ch)
{
	const rl_source *src = rl_config_source(d->cfg, q->source);
	rl_notice *notice = NULL;
	rl_source_state st;
	rl_notice_kind kind;
	rl_error err;
	int told;

	q->health_dirty = 0;
	if (!src || rl_state_load(d->archive, q->source, &st, NULL) < 0)
		return;
	told = rl_cursor_health_get(d->archive, q->channel, q->source);
	if (st.health == RL_HEALTH_FAILING && told != RL_HEALTH_FAILING)
		kind = RL_NOTICE_FAILING;
	else if (st.health == RL_HEALTH_OK && told == RL_HEALTH_FAILING)
		kind = RL_NOTICE_RECOVERED;
	else {
		rl_state_clear(&st);
		return;
	}
	if (rl_notice_for_health(&notice, src, &st, kind, &err) < 0)
		daemon_log(q->source, "channel '%s': %s", q->channel, err.message);
	else if (send_notice(d, q, ch, notice) == 0)
		q->sending_health = kind == RL_NOTICE_FAILING ? RL_HEALTH_FAILING : RL_HEALTH_OK;
	rl_notice_free(notice);
	rl_state_clear(&st);
}

static void start_owed(rl_daemon *d)
{
	int64_t now = rl_now_ms();
	size_t busy = in_flight(d);

	for (size_t i = 0; i < d->n_queues && busy < MAX_IN_FLIGHT; i++) {
		daemon_queue *q = &d->queues[i];
		const rl_channel *ch = rl_config_channel(d->cfg, q->channel);

		if (q->in_flight || (!q->dirty && !q->health_dirty) || q->retry_at > now || !ch)
			continue;
		if (q->dirty && start_version(d, q, ch)) {
			busy += (size_t)q->in_flight;
			continue;
		}
		q->dirty = 0;
		if (q->health_dirty)
			start_health(d, q, ch);
		busy += (size_t)q->in_flight;
	}
}

/* Marks the source's failure as announced, for `redline status`. */
static void mark_failure_notified(rl_daemon *d, const char *source)
{
	rl_source_state st;

	if (rl_state_load(d->archive, source, &st, NULL) == 0 && st.health == RL_HEALTH_FAILING &&
	    !st.failure_notified) {
		st.failure_notified = 1;
		rl_state_save(d->archive, &st, NULL);
	}
	rl_state_clear(&st);
}

static int64_t backoff_ms(int failures)
{
	int64_t ms = RETRY_FIRST_MS;

	for (int i = 1; i < failures && ms < RETRY_MAX_MS; i++)
		ms *= 2;
	return ms < RETRY_MAX_MS ? ms : RETRY_MAX_MS;
}

static void delivered(rl_daemon *d, daemon_queue *q, const rl_delivery *r)
{
	log_fields f = {q->source, NULL, NULL, q->sending, q->channel, MSGID_DELIVERED};
	rl_error err;

	q->failures = 0;
	q->retry_at = 0;
	d->delivered++;
	if (q->sending_health) {
		f.commit = NULL;
		if (rl_cursor_health_set(d->archive, q->channel, q->source, q->sending_health,
					 &err) < 0)
			daemon_log(q->source, "channel '%s': %s", q->channel, err.message);
		if (q->sending_health == RL_HEALTH_FAILING)
			mark_failure_notified(d, q->source);
		daemon_logf(LOG_INFO, &f, "told '%s' it %s (%s)", q->channel,
			    q->sending_health == RL_HEALTH_FAILING ? "fails" : "recovered",
			    r->answer);
		q->health_dirty = 1;
		return;
	}
	if (rl_cursor_set(d->archive, q->channel, q->source, q->cursor, q->sending, &err) < 0) {
		/* Moved by someone else (notify skip): start from where it is. */
		daemon_log(q->source, "channel '%s': %s", q->channel, err.message);
		rl_cursor_get(d->archive, q->channel, q->source, q->cursor, NULL);
	} else {
		snprintf(q->cursor, sizeof(q->cursor), "%s", q->sending);
	}
	daemon_logf(LOG_INFO, &f, "delivered %.10s on '%s' (%s)", q->sending, q->channel,
		    r->answer);
	q->dirty = 1;
}

static void undelivered(rl_daemon *d, daemon_queue *q, const rl_delivery *r)
{
	log_fields f = {q->source,  NULL,           NULL, q->sending_health ? NULL : q->sending,
			q->channel, MSGID_UNDELIVER};
	int64_t wait;

	q->failures++;
	d->delivery_failures++;
	wait = d->once ? RETRY_MAX_MS : backoff_ms(q->failures);
	q->retry_at = rl_now_ms() + wait;
	daemon_logf(LOG_WARNING, &f, "not delivered on '%s' (attempt %d%s%lld s): %s", q->channel,
		    q->failures, d->once ? "" : ", next in ",
		    d->once ? 0LL : (long long)(wait / 1000), r->answer);
	if (q->sending_health)
		q->health_dirty = 1;
	else
		q->dirty = 1;
}

void notify_turn(rl_daemon *d)
{
	rl_delivery *r;
	rl_error err;

	if (!d->notifier)
		return;
	if (rl_notifier_perform(d->notifier, &err) < 0)
		daemon_log(NULL, "%s", err.message);
	while (rl_notifier_next(d->notifier, &r)) {
		daemon_queue *q = find_queue(d, r->channel, r->tag);

		if (q && q->in_flight) {
			q->in_flight = 0;
			if (r->ok)
				delivered(d, q, r);
			else
				undelivered(d, q, r);
		}
		rl_delivery_free(r);
	}
	if (!d->stopping)
		start_owed(d);
}

/* Versions written by others (`redline fetch`) move a branch tip; the
 * daemon sees it here, delivers them and rewrites the feed. */
void notify_rescan(rl_daemon *d)
{
	int64_t now = rl_now_ms();
	int health = now >= d->next_health;

	if (now < d->next_rescan)
		return;
	d->next_rescan = now + RESCAN_MS;
	if (health)
		d->next_health = now + HEALTH_SCAN_MS;
	for (size_t i = 0; i < d->n_sources; i++) {
		daemon_source *ds = &d->sources[i];
		char tip[RL_OID_HEX + 1];

		if (rl_archive_tip(d->archive, ds->src->id, tip, NULL) < 0)
			tip[0] = '\0';
		if (strcmp(tip, ds->tip) != 0) {
			if (ds->tip[0] || tip[0])
				d->wrote = 1;
			snprintf(ds->tip, sizeof(ds->tip), "%s", tip);
			notify_source_changed(d, ds->src->id);
		}
	}
	for (size_t i = 0; health && i < d->n_queues; i++)
		d->queues[i].health_dirty = 1;
}

long notify_wait_ms(const rl_daemon *d)
{
	int64_t now = rl_now_ms(), t = -1;

	for (size_t i = 0; i < d->n_queues; i++) {
		const daemon_queue *q = &d->queues[i];

		if (q->in_flight || (!q->dirty && !q->health_dirty))
			continue;
		if (t < 0 || q->retry_at - now < t)
			t = q->retry_at > now ? q->retry_at - now : 0;
	}
	return (long)t;
}

void notify_shutdown(rl_daemon *d)
{
	/* Deliveries in flight are abandoned; their cursors did not move,
	 * so the next start delivers them again. */
	rl_notifier_free(d->notifier);
	d->notifier = NULL;
	queues_free(d->queues, d->n_queues);
	d->queues = NULL;
	d->n_queues = 0;
}

int notify_idle(const rl_daemon *d)
{
	long w;

	if (in_flight(d) || (d->notifier && rl_notifier_pending(d->notifier)))
		return 0;
	w = notify_wait_ms(d);
	return w < 0 || w > RETRY_FIRST_MS;
}
