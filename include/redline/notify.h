/* Notifications: what a change (or a source's health) says to the people
 * who watch it, and its delivery on a channel's transports (webhook with
 * an HMAC-SHA256 signature, e-mail over SMTP(S), an exec hook). Senders
 * return errors, never print. The daemon drives deliveries from its one
 * loop (rl_notifier_fds + rl_notifier_perform); `redline notify test`
 * drives one to completion (rl_notifier_wait). Which commits are owed to
 * a channel is cursor.h's business. */
#ifndef REDLINE_NOTIFY_H
#define REDLINE_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "redline/archive.h"
#include "redline/buf.h"
#include "redline/config.h"
#include "redline/error.h"
#include "redline/state.h"
#include "redline/strv.h"

#define RL_NOTIFY_TIMEOUT_MS  30000 /* one delivery on one transport */
#define RL_NOTIFY_EXCERPT_MAX 4000  /* bytes of word diff in a payload */

typedef enum rl_notice_kind {
	RL_NOTICE_CHANGE = 0, /* a new version with a wording change */
	RL_NOTICE_WATCHING,   /* a source's first version: "now watching" */
	RL_NOTICE_FAILING,    /* a source went from healthy to failing */
	RL_NOTICE_RECOVERED,  /* and back */
	RL_NOTICE_TEST,       /* `redline notify test CHANNEL` */
} rl_notice_kind;

/* One message, rendered once and sent on every transport of a channel. */
typedef struct rl_notice {
	rl_notice_kind kind;
	char *source; /* NULL for a test */
	char *title;
	char *url;
	char commit[RL_OID_HEX + 1]; /* "" for health and test notices */
	char parent[RL_OID_HEX + 1];
	int64_t time;
	rl_change_class cls; /* RL_CLASS_NONE unless kind is CHANGE */
	char *subject;       /* the commit subject; the e-mail subject */
	char *key;           /* idempotency key: "SOURCE/COMMIT" for versions */
	rl_buf json;         /* webhook body, exec stdin */
	rl_buf text;         /* e-mail body: plain text with the word diff */
} rl_notice;

const char *rl_notice_kind_name(rl_notice_kind k); /* change, watching, failing, ... */

/* The notice for one version of a source (v from cursor.h or the archive's
 * log): a report against its parent, watched terms from cfg (global and
 * the source's own; src may be NULL when the source left the
 * configuration). A first version gives WATCHING. */
int rl_notice_for_version(rl_notice **out, rl_archive *a, const rl_config *cfg,
			  const rl_source *src, const rl_version *v, rl_error *err);

/* FAILING (st->health failing, st->error says why) or RECOVERED. */
int rl_notice_for_health(rl_notice **out, const rl_source *src, const rl_source_state *st,
			 rl_notice_kind kind, rl_error *err);

/* A test message for a channel. */
int rl_notice_for_test(rl_notice **out, const char *channel, rl_error *err);

void rl_notice_free(rl_notice *n);

/* The word diff of a version against its parent, plain text, cut near
 * max bytes at a line end ("" for a first version). What the webhook
 * excerpt, the e-mail body and the Atom entries show. */
int rl_notice_excerpt(rl_archive *a, const rl_config *cfg, const rl_version *v, size_t max,
		      rl_buf *out, rl_error *err);

/* A secret or password file: refused when group or others may read it
 * (the error names the file and its mode, never the content). Trailing
 * white space is dropped. */
int rl_secret_read(const char *path, rl_buf *out, rl_error *err);

/* HMAC-SHA256 of data under key as 64 lowercase hex digits. */
int rl_hmac_sha256_hex(const void *key, size_t key_len, const void *data, size_t len, char out[65]);

/* Splits an exec command line into argv like a shell splits words:
 * blanks separate, '...' keeps everything, "..." keeps everything but \"
 * \\ \$ \`, a backslash quotes the next character; nothing is expanded
 * (no variables, globs, ~, ; or pipes: those are ordinary characters). */
int rl_exec_split(const char *cmdline, rl_strv *out, rl_error *err);

/* --- delivery --------------------------------------------------------- */

typedef struct rl_notify_opts {
	const char *user_agent; /* NULL: "redline/VERSION" */
	int64_t timeout_ms;     /* 0: RL_NOTIFY_TIMEOUT_MS */
} rl_notify_opts;

typedef struct rl_delivery {
	char *tag;     /* the caller's, copied */
	char *channel; /* the channel's name */
	char *key;     /* the notice's idempotency key */
	int ok;        /* every transport of the channel said yes */
	char *answer;  /* what the receivers said, one clause per transport:
			  "webhook http://host:port: HTTP 200", never a secret */
} rl_delivery;

void rl_delivery_free(rl_delivery *d);

typedef struct rl_notifier rl_notifier;

int rl_notifier_new(rl_notifier **out, const rl_notify_opts *opts, rl_error *err);
void rl_notifier_free(rl_notifier *n); /* abandons what is in flight */

/* Starts delivering notice on every transport of ch. Secrets are read
 * (and checked) now; an error here means nothing was started. The
 * notice is copied; tag (may be NULL) comes back in the delivery. */
int rl_notifier_send(rl_notifier *n, const rl_channel *ch, const rl_notice *notice, const char *tag,
		     rl_error *err);

/* Deliveries started and not yet handed over by rl_notifier_next. */
size_t rl_notifier_pending(const rl_notifier *n);

struct curl_waitfd;
/* The descriptors to poll for the deliveries in flight (at most max) and
 * the longest the caller may wait before calling rl_notifier_perform
 * (-1: no limit). */
int rl_notifier_fds(rl_notifier *n, struct curl_waitfd *fds, unsigned max, unsigned *n_fds,
		    long *timeout_ms);

/* Moves every delivery along without blocking. */
int rl_notifier_perform(rl_notifier *n, rl_error *err);

/* Hands over a finished delivery (caller frees); 0 when none is ready. */
int rl_notifier_next(rl_notifier *n, rl_delivery **out);

/* Polls and performs for up to timeout_ms (the CLI's way). */
int rl_notifier_wait(rl_notifier *n, int timeout_ms, rl_error *err);

/* Abandons everything in flight: transfers stopped, hooks killed. */
void rl_notifier_abort(rl_notifier *n);

#endif
