/* The webhook: the notice's JSON POSTed to a URL, signed with
 * X-Redline-Signature: sha256=<hex HMAC-SHA256 of the body> when the
 * channel has a secret-file, carrying its idempotency key in
 * X-Redline-Delivery. Any 2xx answer is a yes; redirects are not
 * followed (a POST must not wander). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify-internal.h"
#include "redline/util.h"

static int add_header(nleg *l, const char *fmt, const char *v)
{
	char line[512];
	struct curl_slist *s;

	snprintf(line, sizeof(line), fmt, v);
	s = curl_slist_append(l->headers, line);
	if (!s)
		return -1;
	l->headers = s;
	return 0;
}

/* A header value must not carry a line break. */
static void header_safe(char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			*s = ' ';
}

int leg_webhook_start(rl_notifier *n, nleg *l, const rl_channel *ch, const rl_notice *notice,
		      rl_error *err)
{
	char sig[65], key[512];
	rl_buf secret = RL_BUF_INIT;
	int rc = 0;

	l->label = notify_url_origin(ch->webhook);
	if (!l->label || rl_buf_set(&l->payload, notice->json.ptr ? notice->json.ptr : "{}",
				    notice->json.ptr ? notice->json.len : 2) < 0)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	if (ch->secret_file) {
		rc = rl_secret_read(ch->secret_file, &secret, err);
		if (rc < 0)
			return rl_error_prefix(err, "secret-file");
		rc =
		    rl_hmac_sha256_hex(secret.ptr, secret.len, l->payload.ptr, l->payload.len, sig);
		explicit_bzero(secret.ptr, secret.cap);
		rl_buf_free(&secret);
		if (rc < 0)
			return rl_error_set(err, RL_ERROR, "cannot compute the HMAC");
	}
	snprintf(key, sizeof(key), "%s", notice->key ? notice->key : "");
	header_safe(key);
	if (add_header(l, "%s", "Content-Type: application/json") < 0 ||
	    add_header(l, "X-Redline-Event: %s", rl_notice_kind_name(notice->kind)) < 0 ||
	    add_header(l, "X-Redline-Delivery: %s", key) < 0 ||
	    (ch->secret_file && add_header(l, "X-Redline-Signature: sha256=%s", sig) < 0) ||
	    add_header(l, "%s", "Expect:") < 0)
		return rl_error_set(err, RL_ENOMEM, "out of memory");

	l->easy = curl_easy_init();
	if (!l->easy)
		return rl_error_set(err, RL_ENOMEM, "cannot make a transfer");
	curl_easy_setopt(l->easy, CURLOPT_URL, ch->webhook);
	curl_easy_setopt(l->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(l->easy, CURLOPT_POST, 1L);
	curl_easy_setopt(l->easy, CURLOPT_POSTFIELDS, l->payload.ptr);
	curl_easy_setopt(l->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)l->payload.len);
	curl_easy_setopt(l->easy, CURLOPT_HTTPHEADER, l->headers);
	curl_easy_setopt(l->easy, CURLOPT_USERAGENT, n->user_agent);
	curl_easy_setopt(l->easy, CURLOPT_TIMEOUT_MS, (long)n->timeout_ms);
	curl_easy_setopt(l->easy, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(n->timeout_ms < 10000 ? n->timeout_ms : 10000));
	curl_easy_setopt(l->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(l->easy, CURLOPT_WRITEFUNCTION, notify_keep_response);
	curl_easy_setopt(l->easy, CURLOPT_WRITEDATA, &l->response);
	curl_easy_setopt(l->easy, CURLOPT_ERRORBUFFER, l->errbuf);
	curl_easy_setopt(l->easy, CURLOPT_PRIVATE, (char *)(void *)l);
	if (curl_multi_add_handle(n->multi, l->easy) != CURLM_OK)
		return rl_error_set(err, RL_ERROR, "cannot start the webhook transfer");
	return 0;
}

void leg_webhook_done(nleg *l, CURLcode code)
{
	char first[128];
	long status = 0;

	if (code != CURLE_OK) {
		leg_set_answer(l, 0, "%s", l->errbuf[0] ? l->errbuf : curl_easy_strerror(code));
		return;
	}
	curl_easy_getinfo(l->easy, CURLINFO_RESPONSE_CODE, &status);
	notify_first_line(&l->response, first, sizeof(first));
	if (status >= 200 && status < 300)
		leg_set_answer(l, 1, "HTTP %ld", status);
	else
		leg_set_answer(l, 0, "HTTP %ld%s%s", status, first[0] ? ": " : "", first);
}
