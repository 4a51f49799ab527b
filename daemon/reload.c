/* SIGHUP: read the configuration again. A file with any problem is
 * reported and the configuration in force stays. Otherwise new sources
 * are scheduled, removed ones dropped (a fetch of theirs in flight
 * finishes with the old definition, which is kept until the fetcher no
 * longer uses it), channels rebuilt; changed fetch settings take a new
 * fetcher once the current one is idle. */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "redlined.h"

static int same_fetch(const rl_fetch_settings *a, const rl_fetch_settings *b)
{
	return a->concurrency == b->concurrency && a->per_host == b->per_host &&
	       a->delay_ms == b->delay_ms && a->timeout_ms == b->timeout_ms &&
	       a->retries == b->retries && a->max_size == b->max_size &&
	       rl_streq(a->user_agent, b->user_agent);
}

static void log_differences(rl_daemon *d, const rl_config *old)
{
	rl_buf added = RL_BUF_INIT, removed = RL_BUF_INIT;

	for (size_t i = 0; i < d->cfg->n_sources; i++)
		if (!rl_config_source(old, d->cfg->sources[i].id))
			rl_buf_printf(&added, " %s", d->cfg->sources[i].id);
	for (size_t i = 0; i < old->n_sources; i++)
		if (!rl_config_source(d->cfg, old->sources[i].id))
			rl_buf_printf(&removed, " %s", old->sources[i].id);
	daemon_log(NULL, "reloaded %s: %zu source%s%s%s%s%s", d->config_path, d->n_sources,
		   d->n_sources == 1 ? "" : "s", added.len ? "; added" : "", rl_buf_cstr(&added),
		   removed.len ? "; removed" : "", rl_buf_cstr(&removed));
	rl_buf_free(&added);
	rl_buf_free(&removed);
}

int reload_config(rl_daemon *d)
{
	rl_strv problems = RL_STRV_INIT;
	rl_config *cfg = NULL, *old = d->cfg, **v;
	log_fields f = {0};
	rl_error err;
	int rc;

	sd_reloading();
	rc = rl_config_load(&cfg, d->config_path, &problems, &err);
	if (rc < 0) {
		if (problems.n == 0)
			daemon_logf(LOG_ERR, &f, "%s", err.message);
		for (size_t i = 0; i < problems.n; i++)
			daemon_logf(LOG_ERR, &f, "%s", problems.v[i]);
		daemon_logf(LOG_ERR, &f, "reload refused: the configuration in force stays");
		rl_strv_free(&problems);
		sd_ready(d);
		return -1;
	}
	rl_strv_free(&problems);
	if (!d->archive_override && !rl_streq(cfg->archive_path, old->archive_path))
		daemon_log(NULL, "[archive] path changed: a restart applies it; still using %s",
			   rl_archive_path(d->archive));
	if (cfg->shard_k != old->shard_k || cfg->shard_n != old->shard_n)
		daemon_log(NULL, "[daemon] shard changed: a restart applies its lock");
	v = realloc(d->retired, (d->n_retired + 1) * sizeof(rl_config *));
	if (!v) {
		rl_config_free(cfg);
		daemon_log(NULL, "reload refused: out of memory");
		sd_ready(d);
		return -1;
	}
	d->retired = v;
	d->retired[d->n_retired++] = old;
	d->cfg = cfg;
	if (!same_fetch(&old->fetch, &cfg->fetch))
		d->fetcher_stale = 1;
	if (schedule_load(d, &err) < 0 || notify_setup(d, &err) < 0)
		daemon_log(NULL, "reload: %s", err.message);
	log_differences(d, old);
	d->wrote = 1; /* titles may have changed: landing page and feed */
	sd_ready(d);
	return 0;
}

void reload_release(rl_daemon *d)
{
	if (!d->n_retired || (d->fetcher && rl_fetcher_pending(d->fetcher) > 0))
		return;
	for (size_t i = 0; i < d->n_retired; i++)
		rl_config_free(d->retired[i]);
	free(d->retired);
	d->retired = NULL;
	d->n_retired = 0;
}
