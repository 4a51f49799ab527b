/* Small pieces the channel senders share: secret files, HMAC-SHA256,
 * splitting an exec line into argv, and what a message may show of a
 * URL or of a receiver's answer. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "notify-internal.h"
#include "redline/util.h"

#define SECRET_MAX 4096

int rl_secret_read(const char *path, rl_buf *out, rl_error *err)
{
	struct stat st;
	char chunk[512];
	ssize_t got;
	int fd, rc = 0;

	rl_buf_reset(out);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return rl_error_set(err, errno == ENOENT ? RL_ENOTFOUND : RL_EIO, "%s: %s", path,
				    strerror(errno));
	if (fstat(fd, &st) < 0) {
		rc = rl_error_set(err, RL_EIO, "%s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		rc = rl_error_set(err, RL_EINVALID, "%s: not a regular file", path);
	} else if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		/* Like ssh with a private key: a secret others can read is no
		 * secret, and using it would hide the problem. */
		rc = rl_error_set(err, RL_EINVALID,
				  "%s: mode %04o lets other users read or change it; "
				  "chmod 600 it (owned by the user redline runs as)",
				  path, (unsigned)(st.st_mode & 07777));
	}
	while (rc == 0 && (got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			rc = rl_error_set(err, RL_EIO, "%s: %s", path, strerror(errno));
		else if (out->len + (size_t)got > SECRET_MAX)
			rc = rl_error_set(err, RL_EINVALID, "%s: longer than %d bytes", path,
					  SECRET_MAX);
		else
			rl_buf_put(out, chunk, (size_t)got);
	}
	close(fd);
	explicit_bzero(chunk, sizeof(chunk));
	while (rc == 0 && out->len &&
	       (out->ptr[out->len - 1] == '\n' || out->ptr[out->len - 1] == '\r' ||
		out->ptr[out->len - 1] == ' ' || out->ptr[out->len - 1] == '\t'))
		rl_buf_truncate(out, out->len - 1);
	if (rc == 0 && out->len == 0)
		rc = rl_error_set(err, RL_EINVALID, "%s: empty", path);
	if (rc == 0 && out->failed)
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	if (rc < 0 && out->ptr) {
		explicit_bzero(out->ptr, out->cap);
		rl_buf_reset(out);
	}
	return rc;
}

int rl_hmac_sha256_hex(const void *key, size_t key_len, const void *data, size_t len, char out[65])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	static const char hex[] = "0123456789abcdef";

	out[0] = '\0';
	if (!HMAC(EVP_sha256(), key, (int)key_len, data, len, mac, &mac_len) || mac_len != 32)
		return -1;
	for (size_t i = 0; i < mac_len; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

int rl_exec_split(const char *s, rl_strv *out, rl_error *err)
{
	rl_buf word = RL_BUF_INIT;
	int in_word = 0, rc = 0;
	const char *p = s;

	while (*p && rc == 0) {
		if (is_blank(*p)) {
			if (in_word && rl_strv_push(out, rl_buf_cstr(&word)) < 0)
				rc = rl_error_set(err, RL_ENOMEM, "out of memory");
			rl_buf_reset(&word);
			in_word = 0;
			p++;
		} else if (*p == '\'') {
			const char *end = strchr(p + 1, '\'');

			if (!end)
				rc = rl_error_set(err, RL_ECONFIG,
						  "exec '%s': a ' quote is not closed", s);
			else
				rl_buf_put(&word, p + 1, (size_t)(end - p - 1));
			in_word = 1;
			p = end ? end + 1 : p + 1;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
					p++;
				rl_buf_putc(&word, *p);
			}
			if (*p != '"')
				rc = rl_error_set(err, RL_ECONFIG,
						  "exec '%s': a \" quote is not closed", s);
			else
				p++;
			in_word = 1;
		} else if (*p == '\\') {
			if (!p[1]) {
				rc = rl_error_set(err, RL_ECONFIG,
						  "exec '%s': ends with a backslash", s);
			} else {
				if (p[1] != '\n') /* a backslash-newline joins lines */
					rl_buf_putc(&word, p[1]);
				in_word = in_word || p[1] != '\n';
				p += 2;
			}
		} else {
			rl_buf_putc(&word, *p++);
			in_word = 1;
		}
	}
	if (rc == 0 && in_word && rl_strv_push(out, rl_buf_cstr(&word)) < 0)
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	if (rc == 0 && word.failed)
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	if (rc == 0 && out->n == 0)
		rc = rl_error_set(err, RL_ECONFIG, "exec '%s': no program", s);
	rl_buf_free(&word);
	return rc;
}

void leg_set_answer(nleg *l, int ok, const char *fmt, ...)
{
	rl_buf b = RL_BUF_INIT;
	va_list ap;

	rl_buf_printf(&b, "%s: ", l->label ? l->label : "?");
	va_start(ap, fmt);
	rl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(l->answer);
	l->answer = rl_buf_detach(&b, NULL);
	l->ok = ok;
	l->done = 1;
}

char *notify_url_origin(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *out = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port)
			out = asprintf(&out, "%s://%s:%s", scheme, host, port) < 0 ? NULL : out;
		else
			out = asprintf(&out, "%s://%s", scheme, host) < 0 ? NULL : out;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return out ? out : strdup("(unparsable URL)");
}

size_t notify_keep_response(char *ptr, size_t size, size_t nmemb, void *ctx)
{
	rl_buf *b = ctx;
	size_t n = size * nmemb;

	if (b->len < ANSWER_MAX)
		rl_buf_put(b, ptr, n < ANSWER_MAX - b->len ? n : ANSWER_MAX - b->len);
	return n;
}

void notify_first_line(const rl_buf *b, char *out, size_t len)
{
	size_t k = 0;

	for (size_t i = 0; i < b->len && k + 1 < len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];

		if (c == '\n' || c == '\r') {
			if (k)
				break;
			continue;
		}
		out[k++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[k] = '\0';
}
