/* E-mail over SMTP(S) through libcurl: one message to every `to`, the
 * commit subject as its Subject, the word diff as a quoted-printable
 * plain-text body. smtps:// is TLS from the start; smtp:// upgrades with
 * STARTTLS when the server offers it, and insists on it when a password
 * would otherwise cross the network in clear. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify-internal.h"
#include "redline/util.h"

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80 || *s == '\r' || *s == '\n')
			return 0;
	return 1;
}

/* RFC 2047: a header word in UTF-8, base64, split so no encoded word is
 * longer than 75 characters and no UTF-8 sequence is cut. */
static void put_encoded_header(rl_buf *b, const char *name, const char *value)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t len = strlen(value), i = 0;

	if (is_ascii(value)) {
		rl_buf_printf(b, "%s: %s\r\n", name, value);
		return;
	}
	rl_buf_printf(b, "%s:", name);
	while (i < len) {
		size_t n = len - i < 45 ? len - i : 45;
		const unsigned char *p = (const unsigned char *)value + i;

		while (n < len - i && n > 0 && (p[n] & 0xc0) == 0x80)
			n--;
		rl_buf_puts(b, " =?UTF-8?B?");
		for (size_t k = 0; k < n; k += 3) {
			unsigned v = (unsigned)p[k] << 16;

			v |= k + 1 < n ? (unsigned)p[k + 1] << 8 : 0;
			v |= k + 2 < n ? p[k + 2] : 0;
			rl_buf_putc(b, b64[(v >> 18) & 63]);
			rl_buf_putc(b, b64[(v >> 12) & 63]);
			rl_buf_putc(b, k + 1 < n ? b64[(v >> 6) & 63] : '=');
			rl_buf_putc(b, k + 2 < n ? b64[v & 63] : '=');
		}
		rl_buf_puts(b, "?=\r\n");
		i += n;
	}
}

/* Quoted-printable (RFC 2045): lines stay short whatever the text, and
 * any UTF-8 passes 7-bit relays. */
static void put_qp(rl_buf *b, const char *s, size_t len)
{
	size_t col = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int last_on_line = i + 1 == len || s[i + 1] == '\n';
		char enc[4];
		size_t w;

		if (c == '\n') {
			rl_buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last_on_line))
			snprintf(enc, sizeof(enc), "%c", c);
		else
			snprintf(enc, sizeof(enc), "=%02X", c);
		w = strlen(enc);
		if (col + w > 75) {
			rl_buf_puts(b, "=\r\n");
			col = 0;
		}
		rl_buf_puts(b, enc);
		col += w;
	}
	if (col)
		rl_buf_puts(b, "\r\n");
}

static void build_message(rl_buf *b, const rl_channel *ch, const rl_notice *notice)
{
	char date[64];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	rl_buf_printf(b, "Date: %s\r\n", date);
	rl_buf_printf(b, "From: %s\r\n", ch->from);
	rl_buf_puts(b, "To: ");
	for (size_t i = 0; i < ch->to.n; i++)
		rl_buf_printf(b, "%s%s", i ? ", " : "", ch->to.v[i]);
	rl_buf_puts(b, "\r\n");
	put_encoded_header(b, "Subject", notice->subject ? notice->subject : "redline");
	rl_buf_printf(b, "Message-ID: <%s.%lld@redline.invalid>\r\n",
		      notice->commit[0] ? notice->commit : "notice", (long long)notice->time);
	if (notice->key && is_ascii(notice->key))
		rl_buf_printf(b, "X-Redline-Delivery: %s\r\n", notice->key);
	rl_buf_printf(b, "X-Redline-Event: %s\r\n", rl_notice_kind_name(notice->kind));
	rl_buf_puts(b, "MIME-Version: 1.0\r\n"
		       "Content-Type: text/plain; charset=utf-8\r\n"
		       "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	put_qp(b, notice->text.ptr ? notice->text.ptr : "", notice->text.len);
}

static size_t read_payload(char *ptr, size_t size, size_t nmemb, void *ctx)
{
	nleg *l = ctx;
	size_t room = size * nmemb, left = l->payload.len - l->sent;
	size_t n = left < room ? left : room;

	memcpy(ptr, l->payload.ptr + l->sent, n);
	l->sent += n;
	return n;
}

/* The user name from the URL (smtp://user@host) goes to CURLOPT_USERNAME
 * and out of the URL, so that only the password file holds the secret. */
static char *split_user(const char *url, char **user)
{
	CURLU *u = curl_url();
	char *out = NULL, *name = NULL;

	*user = NULL;
	if (!u || curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		curl_url_cleanup(u);
		return strdup(url);
	}
	if (curl_url_get(u, CURLUPART_USER, &name, CURLU_URLDECODE) == CURLUE_OK && name) {
		*user = strdup(name);
		curl_url_set(u, CURLUPART_USER, NULL, 0);
		curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	}
	curl_free(name);
	if (curl_url_get(u, CURLUPART_URL, &name, 0) == CURLUE_OK) {
		out = strdup(name);
		curl_free(name);
	}
	curl_url_cleanup(u);
	return out;
}

int leg_smtp_start(rl_notifier *n, nleg *l, const rl_channel *ch, const rl_notice *notice,
		   rl_error *err)
{
	char *url = NULL, *user = NULL;
	rl_buf pw = RL_BUF_INIT;
	int rc;

	l->label = notify_url_origin(ch->smtp_url);
	if (!ch->from || ch->to.n == 0)
		return rl_error_set(err, RL_ECONFIG, "e-mail needs from and at least one to");
	if (ch->password_file) {
		rc = rl_secret_read(ch->password_file, &pw, err);
		if (rc < 0)
			return rl_error_prefix(err, "password-file");
		l->password = rl_buf_detach(&pw, NULL);
	}
	for (size_t i = 0; i < ch->to.n; i++) {
		struct curl_slist *s = curl_slist_append(l->rcpt, ch->to.v[i]);

		if (!s)
			return rl_error_set(err, RL_ENOMEM, "out of memory");
		l->rcpt = s;
	}
	build_message(&l->payload, ch, notice);
	url = split_user(ch->smtp_url, &user);
	l->easy = curl_easy_init();
	if (!l->label || !url || l->payload.failed || !l->easy) {
		free(url);
		free(user);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	curl_easy_setopt(l->easy, CURLOPT_URL, url);
	curl_easy_setopt(l->easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(l->easy, CURLOPT_MAIL_FROM, ch->from);
	curl_easy_setopt(l->easy, CURLOPT_MAIL_RCPT, l->rcpt);
	curl_easy_setopt(l->easy, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(l->easy, CURLOPT_READFUNCTION, read_payload);
	curl_easy_setopt(l->easy, CURLOPT_READDATA, l);
	curl_easy_setopt(l->easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t)l->payload.len);
	if (user || l->password) {
		curl_easy_setopt(l->easy, CURLOPT_USERNAME, user ? user : ch->from);
		curl_easy_setopt(l->easy, CURLOPT_PASSWORD, l->password ? l->password : "");
	}
	/* A password never travels in clear; mail without one may. */
	curl_easy_setopt(l->easy, CURLOPT_USE_SSL,
			 l->password ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	curl_easy_setopt(l->easy, CURLOPT_TIMEOUT_MS, (long)n->timeout_ms);
	curl_easy_setopt(l->easy, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(n->timeout_ms < 10000 ? n->timeout_ms : 10000));
	curl_easy_setopt(l->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(l->easy, CURLOPT_ERRORBUFFER, l->errbuf);
	curl_easy_setopt(l->easy, CURLOPT_PRIVATE, (char *)(void *)l);
	free(url);
	free(user);
	if (curl_multi_add_handle(n->multi, l->easy) != CURLM_OK)
		return rl_error_set(err, RL_ERROR, "cannot start the SMTP transfer");
	return 0;
}

void leg_smtp_done(nleg *l, CURLcode code)
{
	long status = 0;
	size_t n = 0;

	curl_easy_getinfo(l->easy, CURLINFO_RESPONSE_CODE, &status);
	for (struct curl_slist *s = l->rcpt; s; s = s->next)
		n++;
	if (code != CURLE_OK)
		leg_set_answer(l, 0, "%s", l->errbuf[0] ? l->errbuf : curl_easy_strerror(code));
	else
		leg_set_answer(l, 1, "%ld, accepted for %zu recipient%s", status, n,
			       n == 1 ? "" : "s");
}
