/* The notifier's insides: a delivery is one notice on one channel, made
 * of one leg per transport (webhook, e-mail, exec). Curl legs run on the
 * notifier's multi handle; exec legs are child processes. */
#ifndef REDLINE_NOTIFY_INTERNAL_H
#define REDLINE_NOTIFY_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>

#include <curl/curl.h>

#include "redline/notify.h"

#define ANSWER_MAX 300 /* bytes of a receiver's answer kept for messages */

typedef enum leg_kind { LEG_WEBHOOK, LEG_SMTP, LEG_EXEC } leg_kind;

typedef struct ndelivery ndelivery;

typedef struct nleg {
	leg_kind kind;
	ndelivery *del;
	int done, ok;
	char *label;  /* "webhook http://127.0.0.1:8080" (no path: it may hold a token) */
	char *answer; /* what the receiver said, or why it failed */
	/* curl legs */
	CURL *easy;
	struct curl_slist *headers, *rcpt;
	rl_buf payload; /* request body or message */
	size_t sent;
	rl_buf response;
	char *password;
	char errbuf[CURL_ERROR_SIZE];
	/* exec legs */
	pid_t pid;
	int in_fd, out_fd;
	int64_t deadline; /* rl_now_ms() */
	int64_t timeout_ms;
	int status; /* wait status once reaped */
	int reaped;
} nleg;

struct ndelivery {
	char *tag, *channel, *key;
	nleg *legs;
	size_t n_legs;
	ndelivery *next;
};

struct rl_notifier {
	CURLM *multi;
	char *user_agent;
	int64_t timeout_ms;
	ndelivery *active;
	ndelivery *done; /* oldest first */
	size_t n_active, n_done;
};

/* Start a leg: 0 when started (the leg may already be done). */
int leg_webhook_start(rl_notifier *n, nleg *l, const rl_channel *ch, const rl_notice *notice,
		      rl_error *err);
int leg_smtp_start(rl_notifier *n, nleg *l, const rl_channel *ch, const rl_notice *notice,
		   rl_error *err);
int leg_exec_start(rl_notifier *n, nleg *l, const rl_channel *ch, const rl_notice *notice,
		   rl_error *err);

/* A curl leg's transfer finished with code. */
void leg_webhook_done(nleg *l, CURLcode code);
void leg_smtp_done(nleg *l, CURLcode code);

/* Moves an exec leg along; kill it when abandon is set. */
void leg_exec_perform(nleg *l, int abandon);

void leg_set_answer(nleg *l, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "scheme://host[:port]" of a URL: what messages show of it. */
char *notify_url_origin(const char *url);

/* Keeps the first ANSWER_MAX bytes of a response body (curl write callback). */
size_t notify_keep_response(char *ptr, size_t size, size_t nmemb, void *ctx);

/* The first line of a response, printable, for an answer. */
void notify_first_line(const rl_buf *b, char *out, size_t len);

#endif
