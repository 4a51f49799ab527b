/* redlined: the daemon's shared state. One event loop (loop.c) drives the
 * library's fetcher and notifier; schedule.c says when each source is
 * due, notify.c what each channel is owed, systemd.c speaks to the
 * service manager, log.c to the journal or stderr. */
#ifndef REDLINED_H
#define REDLINED_H

#include <stdint.h>

#include "redline.h"
#include "redline/cursor.h"
#include "redline/feed.h"
#include "redline/notify.h"

typedef struct daemon_source {
	const rl_source *src; /* in the current configuration */
	int64_t next_due;     /* seconds since the epoch */
	int in_flight;
	int failing;              /* the last fetch failed */
	char tip[RL_OID_HEX + 1]; /* the branch tip last seen: a move means news */
} daemon_source;

/* What one channel owes one source's readers: versions after the cursor,
 * and the source's health when it changed. One delivery at a time, so
 * they arrive in order. */
typedef struct daemon_queue {
	char *channel; /* names, not pointers: they survive a reload */
	char *source;
	int in_flight;
	int sending_health;           /* the delivery in flight is a health notice */
	char sending[RL_OID_HEX + 1]; /* the version in flight */
	char cursor[RL_OID_HEX + 1];  /* as last read or moved; "" none */
	int dirty;                    /* look for versions owed at the next turn */
	int health_dirty;             /* look at the source's health too */
	int failures;                 /* consecutive failed deliveries */
	int64_t retry_at;             /* rl_now_ms(): not before */
	int broken;                   /* the cursor is unusable; logged once */
} daemon_queue;

typedef struct rl_daemon {
	const char *config_path;
	const char *archive_override; /* -A */
	rl_config *cfg;
	rl_config **retired; /* replaced by a reload, freed once no fetch uses them */
	size_t n_retired;
	rl_archive *archive;
	rl_fetcher *fetcher;
	int fetcher_stale; /* fetch settings changed: a new fetcher when idle */
	rl_notifier *notifier;
	daemon_source *sources;
	size_t n_sources;
	daemon_queue *queues;
	size_t n_queues;
	int sigfd;
	int lockfd;
	volatile int stopping;
	int reload;
	int once;
	int wrote;           /* versions written since the after-write hooks ran */
	int64_t wrote_at;    /* rl_now() of the first one of a pass; 0: others, now */
	int read_versions;   /* this turn read versions: reopen the archive after it */
	int64_t next_rescan; /* rl_now_ms(): look for versions others wrote */
	int64_t next_health; /* rl_now_ms(): look at every source's health */
	size_t versions;     /* versions written since start */
	size_t fetches;
	size_t failures;
	size_t delivered;
	size_t delivery_failures;
} rl_daemon;

/* log.c: to the journal with fields when stderr is the journal, else a
 * readable line on stderr. */
typedef struct log_fields {
	const char *source;
	const char *url;
	const char *change;
	const char *commit;
	const char *channel;
	const char *message_id; /* MESSAGE_ID= for events people search for */
} log_fields;

#define MSGID_CHANGE    "7c5d1b0f3e6a4d2b9f8e1a2c3d4b5e6f"
#define MSGID_FAILING   "a1e2f3b4c5d64e7f8a9b0c1d2e3f4a5b"
#define MSGID_RECOVERED "b2c3d4e5f6a74b8c9d0e1f2a3b4c5d6e"
#define MSGID_DELIVERED "c3d4e5f6a7b84c9d0e1f2a3b4c5d6e7f"
#define MSGID_UNDELIVER "d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a"

void log_init(void);
void log_verbose(int on); /* -v: debug lines too (every unchanged fetch) */
void daemon_logf(int priority, const log_fields *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void daemon_log(const char *source, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* schedule.c */
int schedule_load(rl_daemon *d, rl_error *err);
void schedule_after_update(rl_daemon *d, daemon_source *ds, const rl_update *u);
int64_t schedule_next_wakeup(const rl_daemon *d);

/* notify.c */
int notify_setup(rl_daemon *d, rl_error *err); /* (re)builds the queues */
void notify_source_changed(rl_daemon *d, const char *source);
void notify_turn(rl_daemon *d);          /* start what is owed, hear answers */
long notify_wait_ms(const rl_daemon *d); /* until a retry is due; -1 none */
size_t notify_owed(const rl_daemon *d);  /* queues with something to send */
int notify_idle(const rl_daemon *d);     /* nothing in flight or due now */
void notify_shutdown(rl_daemon *d);
void notify_rescan(rl_daemon *d); /* tips moved by others, health */

/* systemd.c */
void sd_init(rl_daemon *d);
void sd_ready(rl_daemon *d);
void sd_reloading(void);
void sd_stopping(void);
void sd_tick(rl_daemon *d); /* WATCHDOG=1 and STATUS= when due */
long sd_wait_ms(void);      /* longest wait the watchdog allows; -1 none */

/* extract-child.c: PDFs are extracted by `redlined --extract-child`. */
int extract_child_register(rl_daemon *d, rl_error *err);
int extract_child_main(void); /* the hidden mode: one request on stdin */

/* replicate.c: push to the remotes and gc, in child processes; every turn */
void replicate_turn(rl_daemon *d);

/* lock.c */
int lock_archive(rl_daemon *d, rl_error *err);

/* reload.c */
int reload_config(rl_daemon *d);
void reload_release(rl_daemon *d); /* frees retired configurations no fetch uses */

/* loop.c */
int loop_signals(void);
int loop_run(rl_daemon *d);
int loop_once(rl_daemon *d);
size_t loop_in_flight(const rl_daemon *d);

#endif
