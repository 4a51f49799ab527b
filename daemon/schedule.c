/* When each source is due: its interval after the last fetch, with ±10%
 * jitter so hundreds of sources do not fire together, and an exponential
 * backoff (up to a day) while a source keeps failing. Due times live in
 * the state files, so a restart does not refetch everything at once. */
#include <stdlib.h>
#include <string.h>

#include "redlined.h"

#define JITTER_PERCENT 10
#define BACKOFF_FIRST  ((int64_t)60) /* seconds after the first failure */
#define BACKOFF_MAX    ((int64_t)24 * 3600)

static int64_t jitter(int64_t interval)
{
	int64_t span = interval * JITTER_PERCENT / 100;

	if (span <= 0)
		return 0;
	return (int64_t)(rand() % (2 * span + 1)) - span;
}

static int64_t due_after(const rl_source *src, int failures, int64_t from)
{
	int64_t wait;

	if (failures <= 0)
		return from + src->interval + jitter(src->interval);
	wait = BACKOFF_FIRST;
	for (int i = 1; i < failures && wait < BACKOFF_MAX; i++)
		wait *= 2;
	if (wait > BACKOFF_MAX)
		wait = BACKOFF_MAX;
	/* Never wait longer for a failing source than for a healthy one. */
	if (wait > src->interval)
		wait = src->interval;
	return from + wait + jitter(wait);
}

static const daemon_source *previous(const rl_daemon *d, const char *id)
{
	for (size_t i = 0; i < d->n_sources; i++)
		if (strcmp(d->sources[i].src->id, id) == 0)
			return &d->sources[i];
	return NULL;
}

/* (Re)builds the source list from the configuration; a reload keeps
 * what it knew of the sources that stay (in flight, tip seen). */
int schedule_load(rl_daemon *d, rl_error *err)
{
	daemon_source *v = calloc(d->cfg->n_sources + 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	for (size_t i = 0; i < d->cfg->n_sources; i++) {
		const rl_source *src = &d->cfg->sources[i];
		const daemon_source *old = previous(d, src->id);
		rl_source_state st;

		if (!rl_config_in_shard(d->cfg, src->id))
			continue;
		v[n].src = src;
		if (old) {
			v[n].in_flight = old->in_flight;
			v[n].failing = old->failing;
			memcpy(v[n].tip, old->tip, sizeof(v[n].tip));
		}
		if (rl_state_load(d->archive, src->id, &st, NULL) == 0) {
			v[n].next_due = st.next_due;
			/* An interval shortened in the configuration takes effect now. */
			if (st.last_fetch && v[n].next_due > st.last_fetch + src->interval)
				v[n].next_due = st.last_fetch + src->interval;
		}
		rl_state_clear(&st);
		n++;
	}
	free(d->sources);
	d->sources = v;
	d->n_sources = n;
	return 0;
}

void schedule_after_update(rl_daemon *d, daemon_source *ds, const rl_update *u)
{
	rl_source_state st;
	rl_error err;

	(void)u;
	ds->in_flight = 0;
	if (rl_state_load(d->archive, ds->src->id, &st, NULL) < 0)
		return;
	ds->next_due =
	    due_after(ds->src, st.health == RL_HEALTH_FAILING ? st.failures : 0, rl_now());
	st.next_due = ds->next_due;
	if (rl_state_save(d->archive, &st, &err) < 0)
		daemon_log(ds->src->id, "cannot save the schedule: %s", err.message);
	rl_state_clear(&st);
}

int64_t schedule_next_wakeup(const rl_daemon *d)
{
	int64_t t = -1;

	for (size_t i = 0; i < d->n_sources; i++)
		if (!d->sources[i].in_flight && (t < 0 || d->sources[i].next_due < t))
			t = d->sources[i].next_due;
	return t;
}
