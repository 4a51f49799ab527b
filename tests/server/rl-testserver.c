/* rl-testserver: a real HTTP server on 127.0.0.1 for the integration tests
 * and the demo, with faults scripted per path (curl's test server is the
 * model). It serves files under --root; a file PATH.fault beside a page
 * scripts how it answers, one directive per line, read on every request:
 *
 *   status N          answer with status N (the page's bytes as the body)
 *   fail-times N      the status above only for the first N requests
 *   retry-after S     add Retry-After: S
 *   delay MS          wait before answering
 *   reset             close the connection without an answer
 *   truncate N        promise the whole length, send N bytes, close
 *   stall MS          send half the body, then wait MS before the rest
 *   gzip              send the page gzip-compressed (Content-Encoding)
 *   gzip-bomb BYTES   send a gzip body that inflates to BYTES zeros
 *   redirect URL      302 to URL (redirect-loop: 302 to itself)
 *   content-type T    override the Content-Type
 *   no-validators     send no ETag and no Last-Modified
 *   header K: V       an extra header
 *
 * GET /_stats gives {"requests", "max_concurrent", "concurrent",
 * "conditional", "paths": {path: count}, "gap_ms": {path: ms between its
 * last two requests}, "min_gap_ms" (smallest gap between two requests,
 * -1 before the second), "user_agent"}; GET /_reset zeroes it. The port is written to --port-file
 * once the server listens. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>
#include <zlib.h>

#include "redline/buf.h"
#include "redline/util.h"

#define PATH_MAX_LEN 1024

typedef struct faults {
	int status;
	int fail_times;
	long retry_after;
	long delay_ms;
	int reset;
	long truncate;
	long stall_ms;
	int gzip;
	long long gzip_bomb;
	char redirect[PATH_MAX_LEN];
	int redirect_loop;
	char content_type[256];
	int no_validators;
	char headers[8][512];
	int n_headers;
} faults;

static const char *root;
static int verbose;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int concurrent, max_concurrent;
static long requests, conditional;
static json_t *path_counts;
static json_t *path_last_ms; /* path: when its last request arrived */
static json_t *path_gaps;    /* path: ms between its last two requests */
static int64_t last_request_ms;
static int64_t min_gap_ms = -1; /* smallest gap between two requests, any paths */
static char last_user_agent[512];

/* "NAME NUMBER": 1 and the number when line is that directive. */
static int directive(const char *line, const char *name, long long *out)
{
	size_t n = strlen(name);
	char *end;

	if (strncmp(line, name, n) != 0 || line[n] != ' ')
		return 0;
	*out = strtoll(line + n + 1, &end, 10);
	return end != line + n + 1 && *end == '\0';
}

static void read_faults(const char *path, faults *f)
{
	char line[1024];
	FILE *fp;

	memset(f, 0, sizeof(*f));
	f->retry_after = -1;
	f->truncate = -1;
	fp = fopen(path, "r");
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\r\n")] = '\0';
		long long v;

		if (directive(line, "status", &v))
			f->status = (int)v;
		else if (directive(line, "fail-times", &v))
			f->fail_times = (int)v;
		else if (directive(line, "retry-after", &v))
			f->retry_after = (long)v;
		else if (directive(line, "delay", &v))
			f->delay_ms = (long)v;
		else if (directive(line, "truncate", &v))
			f->truncate = (long)v;
		else if (directive(line, "stall", &v))
			f->stall_ms = (long)v;
		else if (directive(line, "gzip-bomb", &v))
			f->gzip_bomb = v;
		else if (strcmp(line, "reset") == 0)
			f->reset = 1;
		else if (strcmp(line, "gzip") == 0)
			f->gzip = 1;
		else if (strcmp(line, "redirect-loop") == 0)
			f->redirect_loop = 1;
		else if (strcmp(line, "no-validators") == 0)
			f->no_validators = 1;
		else if (strncmp(line, "redirect ", 9) == 0)
			snprintf(f->redirect, sizeof(f->redirect), "%s", line + 9);
		else if (strncmp(line, "content-type ", 13) == 0)
			snprintf(f->content_type, sizeof(f->content_type), "%s", line + 13);
		else if (strncmp(line, "header ", 7) == 0 && f->n_headers < 8)
			snprintf(f->headers[f->n_headers++], sizeof(f->headers[0]), "%s", line + 7);
	}
	fclose(fp);
}

static const char *guess_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return "application/octet-stream";
	if (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0)
		return "text/html; charset=utf-8";
	if (strcmp(dot, ".pdf") == 0)
		return "application/pdf";
	if (strcmp(dot, ".txt") == 0)
		return "text/plain; charset=utf-8";
	if (strcmp(dot, ".md") == 0)
		return "text/markdown; charset=utf-8";
	if (strcmp(dot, ".json") == 0)
		return "application/json";
	return "application/octet-stream";
}

static int gzip_buf(const char *data, size_t len, rl_buf *out, long long zeros)
{
	z_stream z;
	unsigned char chunk[65536], zbuf[65536];
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	memset(zbuf, 0, sizeof(zbuf));
	for (;;) {
		int flush = Z_NO_FLUSH;

		if (zeros >= 0) {
			size_t n = zeros > (long long)sizeof(zbuf) ? sizeof(zbuf) : (size_t)zeros;

			z.next_in = zbuf;
			z.avail_in = (uInt)n;
			zeros -= (long long)n;
			if (zeros == 0)
				flush = Z_FINISH;
		} else {
			z.next_in = (unsigned char *)data;
			z.avail_in = (uInt)len;
			flush = Z_FINISH;
		}
		do {
			z.next_out = chunk;
			z.avail_out = sizeof(chunk);
			rc = deflate(&z, flush);
			rl_buf_put(out, chunk, sizeof(chunk) - z.avail_out);
		} while (z.avail_out == 0);
		if (flush == Z_FINISH)
			break;
	}
	deflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

static int connection_fd(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

	return ci ? ci->connect_fd : -1;
}

/* Waits ms before answering, like a slow server; 0, or -1 when the client
 * hung up meanwhile (a real server stops working on it then, and counting
 * it as in flight would blame the client for a request it abandoned). */
static int wait_or_hangup(int fd, long ms)
{
	int64_t until = rl_now_ms() + ms, left;

	while ((left = until - rl_now_ms()) > 0) {
		struct pollfd p = {fd, POLLRDHUP, 0};
		int n = poll(&p, 1, (int)left);

		if (n < 0 && errno != EINTR)
			return 0;
		if (n > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
			return -1;
	}
	return 0;
}

/* A body sent by a callback, to truncate or stall it. */
typedef struct feed {
	rl_buf body;
	long stop_at; /* -1: send all */
	long stall_ms;
	int stalled;
	int fd; /* the connection, to notice a client that gave up */
} feed;

static ssize_t feed_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	feed *f = cls;
	size_t end = f->body.len;

	if (f->stop_at >= 0 && (size_t)f->stop_at < end)
		end = (size_t)f->stop_at;
	if (f->stall_ms > 0 && !f->stalled && pos >= f->body.len / 2) {
		f->stalled = 1;
		if (wait_or_hangup(f->fd, f->stall_ms) < 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	if (pos >= end)
		return f->stop_at >= 0 ? MHD_CONTENT_READER_END_WITH_ERROR
				       : MHD_CONTENT_READER_END_OF_STREAM;
	if (max > end - pos)
		max = end - pos;
	if (f->stall_ms > 0 && !f->stalled && pos + max > f->body.len / 2)
		max = f->body.len / 2 - pos;
	if (max == 0)
		max = 1;
	memcpy(buf, f->body.ptr + pos, max);
	return (ssize_t)max;
}

static void feed_free(void *cls)
{
	feed *f = cls;

	rl_buf_free(&f->body);
	free(f);
}

static enum MHD_Result send_json(struct MHD_Connection *c, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(1));
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", "application/json");
	ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	json_decref(j);
	return ret;
}

static enum MHD_Result stats(struct MHD_Connection *c, int reset)
{
	json_t *j;

	pthread_mutex_lock(&lock);
	if (reset) {
		requests = conditional = 0;
		atomic_store(&max_concurrent, 0);
		json_object_clear(path_counts);
		json_object_clear(path_last_ms);
		json_object_clear(path_gaps);
		last_request_ms = 0;
		min_gap_ms = -1;
	}
	j = json_pack("{s:I, s:i, s:i, s:I, s:O, s:O, s:I, s:s}", "requests", (json_int_t)requests,
		      "max_concurrent", atomic_load(&max_concurrent), "concurrent",
		      atomic_load(&concurrent), "conditional", (json_int_t)conditional, "paths",
		      path_counts, "gap_ms", path_gaps, "min_gap_ms", (json_int_t)min_gap_ms,
		      "user_agent", last_user_agent);
	pthread_mutex_unlock(&lock);
	return send_json(c, j);
}

static int count_request(const char *url, struct MHD_Connection *c)
{
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Modified-Since");
	const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
	json_t *n;
	int64_t now = rl_now_ms();
	int count;

	pthread_mutex_lock(&lock);
	requests++;
	if (last_request_ms && (min_gap_ms < 0 || now - last_request_ms < min_gap_ms))
		min_gap_ms = now - last_request_ms;
	last_request_ms = now;
	n = json_object_get(path_last_ms, url);
	if (n)
		json_object_set_new(path_gaps, url, json_integer(now - json_integer_value(n)));
	json_object_set_new(path_last_ms, url, json_integer(now));
	if (inm || ims)
		conditional++;
	n = json_object_get(path_counts, url);
	count = n ? (int)json_integer_value(n) + 1 : 1;
	json_object_set_new(path_counts, url, json_integer(count));
	snprintf(last_user_agent, sizeof(last_user_agent), "%s", ua ? ua : "");
	pthread_mutex_unlock(&lock);
	return count;
}

static enum MHD_Result respond(struct MHD_Connection *c, const char *url, const char *method)
{
	char path[PATH_MAX_LEN * 2], fpath[PATH_MAX_LEN * 2 + 8], etag[40], lm[64];
	rl_buf body = RL_BUF_INIT;
	struct MHD_Response *r = NULL;
	const char *inm;
	struct stat st;
	faults f;
	int status = 200, count;
	enum MHD_Result ret;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return MHD_NO;
	count = count_request(url, c);
	if (strstr(url, "..")) {
		r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
		ret = MHD_queue_response(c, 403, r);
		MHD_destroy_response(r);
		return ret;
	}
	snprintf(path, sizeof(path), "%s%s", root, url);
	snprintf(fpath, sizeof(fpath), "%s.fault", path);
	read_faults(fpath, &f);
	if (verbose)
		fprintf(stderr, "rl-testserver: GET %s\n", url);
	if (f.delay_ms > 0 && wait_or_hangup(connection_fd(c), f.delay_ms) < 0)
		return MHD_NO;
	if (f.reset)
		return MHD_NO; /* libmicrohttpd closes the connection unanswered */
	if (f.redirect_loop || f.redirect[0]) {
		r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Location", f.redirect_loop ? url : f.redirect);
		ret = MHD_queue_response(c, 302, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || rl_file_read(path, &body, NULL) < 0) {
		static const char nf[] = "<html><body>404 Not Found</body></html>";

		rl_buf_free(&body);
		r = MHD_create_response_from_buffer(sizeof(nf) - 1, (void *)nf,
						    MHD_RESPMEM_PERSISTENT);
		ret = MHD_queue_response(c, 404, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (f.status && (f.fail_times == 0 || count <= f.fail_times))
		status = f.status;
	{
		char sha[65];

		rl_sha256_hex(rl_buf_cstr(&body), body.len, sha);
		snprintf(etag, sizeof(etag), "\"%.16s\"", sha);
	}
	{
		struct tm tm;
		time_t mt = st.st_mtime;

		gmtime_r(&mt, &tm);
		strftime(lm, sizeof(lm), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	}
	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	if (status == 200 && !f.no_validators && inm && strcmp(inm, etag) == 0) {
		rl_buf_free(&body);
		r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "ETag", etag);
		ret = MHD_queue_response(c, 304, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (f.gzip || f.gzip_bomb > 0) {
		rl_buf z = RL_BUF_INIT;

		gzip_buf(rl_buf_cstr(&body), body.len, &z, f.gzip_bomb > 0 ? f.gzip_bomb : -1);
		rl_buf_free(&body);
		body = z;
	}
	if (f.truncate >= 0 || f.stall_ms > 0) {
		feed *fd = calloc(1, sizeof(*fd));

		fd->body = body;
		fd->stop_at = f.truncate;
		fd->stall_ms = f.stall_ms;
		fd->fd = connection_fd(c);
		r = MHD_create_response_from_callback(body.len, 4096, feed_read, fd, feed_free);
	} else {
		size_t len = body.len;
		char *data = rl_buf_detach(&body, NULL);

		r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	}
	MHD_add_response_header(r, "Content-Type",
				f.content_type[0] ? f.content_type : guess_type(path));
	if (!f.no_validators) {
		MHD_add_response_header(r, "ETag", etag);
		MHD_add_response_header(r, "Last-Modified", lm);
	}
	if (f.gzip || f.gzip_bomb > 0)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	if (f.retry_after >= 0) {
		char ra[32];

		snprintf(ra, sizeof(ra), "%ld", f.retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	for (int i = 0; i < f.n_headers; i++) {
		char *colon = strchr(f.headers[i], ':');

		if (colon) {
			*colon = '\0';
			MHD_add_response_header(r, f.headers[i], colon + 1 + (colon[1] == ' '));
		}
	}
	ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

/* A request counts as in flight from the moment its headers arrived until
 * its answer is queued: a window that lies strictly inside the client's, so
 * max_concurrent never counts more than the client really had open at once
 * (counting until the connection reports completion would overlap the
 * client's next request on another connection). The `delay` fault sleeps
 * inside the window, which is what makes transfers overlap in the tests. */
static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_len, void **con_cls)
{
	enum MHD_Result ret;
	int now, prev;

	(void)cls;
	(void)version;
	(void)upload;
	(void)upload_len;
	if (*con_cls == NULL) {
		*con_cls = (void *)1;
		return MHD_YES;
	}
	if (strcmp(url, "/_stats") == 0 || strcmp(url, "/_reset") == 0)
		return stats(c, url[2] == 'r');
	now = atomic_fetch_add(&concurrent, 1) + 1;
	prev = atomic_load(&max_concurrent);
	while (now > prev && !atomic_compare_exchange_weak(&max_concurrent, &prev, now))
		;
	ret = respond(c, url, method);
	atomic_fetch_sub(&concurrent, 1);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	*con_cls = NULL;
}

int main(int argc, char **argv)
{
	const char *port_file = NULL;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	unsigned port = 0;
	sigset_t set;
	int sig;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
			root = argv[++i];
		else if (strcmp(argv[i], "--port-file") == 0 && i + 1 < argc)
			port_file = argv[++i];
		else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
			port = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else {
			fprintf(stderr, "usage: rl-testserver --root DIR [--port N] "
					"[--port-file FILE] [-v]\n");
			return 2;
		}
	}
	if (!root) {
		fprintf(stderr, "rl-testserver: --root is required\n");
		return 2;
	}
	path_counts = json_object();
	path_last_ms = json_object();
	path_gaps = json_object();
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	{
		struct sockaddr_in sa;

		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_port = htons((uint16_t)port);
		sa.sin_addr.s_addr = htonl(0x7f000001); /* 127.0.0.1 only */
		d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
					 MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
				     0, NULL, NULL, answer, NULL, MHD_OPTION_SOCK_ADDR, &sa,
				     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
	}
	if (!d) {
		fprintf(stderr, "rl-testserver: cannot listen on 127.0.0.1:%u\n", port);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : port;
	if (port_file) {
		char num[16];

		snprintf(num, sizeof(num), "%u\n", port);
		if (rl_file_write_atomic(port_file, num, strlen(num), NULL) < 0) {
			fprintf(stderr, "rl-testserver: cannot write %s\n", port_file);
			return 1;
		}
	}
	if (verbose)
		fprintf(stderr, "rl-testserver: listening on 127.0.0.1:%u\n", port);
	sigdelset(&set, SIGPIPE);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	json_decref(path_counts);
	json_decref(path_last_ms);
	json_decref(path_gaps);
	return 0;
}
