/* One fetch pass over a set of sources, driven to completion: what
 * `redline fetch` and `redlined --once` run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redline/update.h"
#include "redline/util.h"

#define STEP_MS 250

/* Conditional requests only make sense when the archive holds the bytes
 * a 304 refers to. */
static int conditional_state(rl_archive *a, const rl_source *src, rl_source_state *st,
			     rl_error *err)
{
	int rc = rl_state_load(a, src->id, st, err);

	if (rc == 0 && !rl_archive_has_source(a, src->id)) {
		rl_state_clear(st);
		memset(st, 0, sizeof(*st));
	}
	return rc;
}

/* The archive refused one source's version (a damaged ref, a full disk):
 * that source failed this pass, with the reason in its state where it can
 * still be written; the other sources go on. */
static void archive_failure(rl_archive *a, const rl_source *src, rl_update *u, rl_error *xerr)
{
	rl_source_state st;
	char msg[RL_ERROR_MAX + 32];

	rl_update_clear(u);
	snprintf(msg, sizeof(msg), "cannot archive: %s", xerr->message);
	u->outcome = RL_OUTCOME_FAILED;
	u->error = rl_strdup(msg);
	if (rl_state_load(a, src->id, &st, NULL) == 0) {
		st.health = RL_HEALTH_FAILING;
		st.failures++;
		st.last_fetch = rl_now();
		rl_state_set_error(&st, msg);
		rl_state_save(a, &st, NULL);
	}
	rl_state_clear(&st);
}

int rl_pass_run(rl_archive *a, const rl_config *cfg, const rl_source *const *sources, size_t n,
		rl_pass_cb cb, void *ctx, rl_pass_summary *summary, rl_error *err)
{
	rl_fetcher *f = NULL;
	rl_fetch_progress prog;
	rl_error xerr;
	int rc;

	memset(summary, 0, sizeof(*summary));
	rc = rl_fetcher_new(&f, &cfg->fetch, err);
	if (rc < 0)
		return rc;
	if (n == 0)
		n = cfg->n_sources;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const rl_source *src = sources ? sources[i] : &cfg->sources[i];
		rl_source_state st;

		rc = conditional_state(a, src, &st, err);
		if (rc == 0)
			rc = rl_fetcher_add(f, src, &st, err);
		rl_state_clear(&st);
		summary->sources++;
	}
	while (rc == 0 && rl_fetcher_pending(f) > 0) {
		rl_fetch_result *res;

		rc = rl_fetcher_step(f, NULL, 0, STEP_MS, NULL, err);
		while (rc == 0 && rl_fetcher_next(f, &res)) {
			rl_update u;
			rl_pass_event ev;

			if (rl_update_apply(a, cfg, res->source, res, &u, &xerr) < 0)
				archive_failure(a, res->source, &u, &xerr);
			if (u.outcome == RL_OUTCOME_FAILED)
				summary->failed++;
			else
				summary->fetched++;
			if (u.outcome == RL_OUTCOME_CHANGED)
				summary->changed++;
			else if (u.outcome == RL_OUTCOME_UNCHANGED)
				summary->unchanged++;
			rl_fetcher_progress(f, &prog);
			ev = (rl_pass_event){res->source, res, &u, &prog};
			if (cb)
				cb(&ev, ctx);
			rl_update_clear(&u);
			rl_fetch_result_free(res);
		}
		if (rc == 0 && cb) {
			rl_pass_event ev;

			rl_fetcher_progress(f, &prog);
			ev = (rl_pass_event){NULL, NULL, NULL, &prog};
			cb(&ev, ctx);
		}
	}
	rl_fetcher_free(f);
	if (rc == 0 && summary->changed)
		rc = rl_landing_update(a, cfg, err);
	return rc;
}
