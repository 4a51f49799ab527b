/* redlined: the daemon's shared state. One event loop (loop.c) drives the
 * library's fetcher; schedule.c says when each source is due. */
#ifndef REDLINED_H
#define REDLINED_H

#include <stdint.h>

#include "redline.h"

typedef struct daemon_source {
	const rl_source *src; /* in the current configuration */
	int64_t next_due;     /* seconds since the epoch */
	int in_flight;
} daemon_source;

typedef struct rl_daemon {
	const char *config_path;
	const char *archive_override; /* -A */
	rl_config *cfg;
	rl_archive *archive;
	rl_fetcher *fetcher;
	daemon_source *sources;
	size_t n_sources;
	int sigfd;
	int stopping;
	int reload;
	int once;
	size_t passes_changed; /* versions written since start */
	size_t fetches;
	size_t failures;
} rl_daemon;

/* main.c */
void daemon_log(const char *source, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* schedule.c */
int schedule_load(rl_daemon *d, rl_error *err);
void schedule_after_update(rl_daemon *d, daemon_source *ds, const rl_update *u);
int64_t schedule_next_wakeup(const rl_daemon *d);

/* loop.c */
int loop_run(rl_daemon *d);
int loop_once(rl_daemon *d);

#endif
