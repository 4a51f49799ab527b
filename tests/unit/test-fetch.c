/* Unit tests: the fetcher's bookkeeping, against an in-process loopback
 * server (libmicrohttpd) and file:// URLs: many hosts, abandoning a pass,
 * results never taken, conditional requests, the end of an `auto` range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include "redline/config.h"
#include "redline/fetch.h"
#include "redline/util.h"

static struct MHD_Daemon *server;
static unsigned port;
static atomic_int hold;     /* answers wait while set (a slow server) */
static atomic_int requests; /* answered or held */
static atomic_int conditional;

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_len, void **con_cls)
{
	static const char body[] = "<html><body><p>A page.</p></body></html>";
	struct MHD_Response *r;
	enum MHD_Result ret;
	const char *inm;
	int status = 200;

	(void)cls;
	(void)method;
	(void)version;
	(void)upload;
	(void)upload_len;
	if (!*con_cls) {
		*con_cls = (void *)1;
		return MHD_YES;
	}
	atomic_fetch_add(&requests, 1);
	for (int i = 0; i < 500 && atomic_load(&hold); i++)
		usleep(10000);
	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	if (inm)
		atomic_fetch_add(&conditional, 1);
	if (strstr(url, "missing"))
		status = 404;
	else if (inm && strcmp(inm, "\"v1\"") == 0)
		status = 304;
	r = MHD_create_response_from_buffer(status == 304 ? 0 : sizeof(body) - 1, (void *)body,
					    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "text/html");
	MHD_add_response_header(r, "ETag", "\"v1\"");
	ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static int server_up(void **state)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(0x7f000001);
	server =
	    MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0,
			     NULL, NULL, answer, NULL, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_END);
	if (!server)
		return -1;
	info = MHD_get_daemon_info(server, MHD_DAEMON_INFO_BIND_PORT);
	port = info->port;
	return 0;
}

static int server_down(void **state)
{
	(void)state;
	atomic_store(&hold, 0);
	MHD_stop_daemon(server);
	return 0;
}

static rl_fetch_settings settings(void)
{
	rl_fetch_settings s = {16, 2, 0, 10000, 0, 1 << 20, (char *)"redline-test"};

	return s;
}

static rl_source source(char *id, char *url)
{
	rl_source s;

	memset(&s, 0, sizeof(s));
	s.id = id;
	s.url = url;
	s.paged = strstr(url, "{page}") != NULL;
	return s;
}

/* Steps the fetcher until every source is handed over; the results in order. */
static size_t run(rl_fetcher *f, rl_fetch_result **out, size_t max)
{
	size_t n = 0;
	rl_error err;

	while (rl_fetcher_pending(f) > 0) {
		assert_int_equal(rl_fetcher_step(f, NULL, 0, 100, NULL, &err), 0);
		while (n < max && rl_fetcher_next(f, &out[n]))
			n++;
	}
	return n;
}

/* More hosts than the first allocation of host slots (16): jobs keep
 * pointing at their host's slot while the table grows. */
static void many_hosts(void **state)
{
	enum { N = 20 };
	char ids[N][8], urls[N][64];
	rl_source src[N];
	rl_fetch_result *res[N];
	rl_fetch_settings s = settings();
	rl_fetcher *f;
	rl_error err;
	size_t n, ok = 0;

	(void)state;
	assert_int_equal(rl_fetcher_new(&f, &s, &err), 0);
	for (int i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "h%d", i);
		/* 127.0.0.1 answers; 127.0.0.2 and up refuse (loopback all the same). */
		snprintf(urls[i], sizeof(urls[i]), "http://127.0.0.%d:%u/p%d.html", i + 1, port, i);
		src[i] = source(ids[i], urls[i]);
		assert_int_equal(rl_fetcher_add(f, &src[i], NULL, &err), 0);
	}
	n = run(f, res, N);
	assert_int_equal(n, N);
	for (size_t i = 0; i < n; i++) {
		if (res[i]->ok) {
			ok++;
			assert_string_equal(res[i]->source_id, "h0");
		} else {
			assert_non_null(strstr(res[i]->error, "http://127.0.0."));
		}
		rl_fetch_result_free(res[i]);
	}
	assert_int_equal(ok, 1);
	rl_fetcher_free(f);
}

/* Abandoning a pass hands over every source in flight or queued, failed. */
static void abort_hands_everything_over(void **state)
{
	enum { N = 6 };
	char ids[N][8], urls[N][64];
	rl_source src[N];
	rl_fetch_settings s = settings();
	rl_fetch_result *r;
	rl_fetcher *f;
	rl_error err;
	size_t n = 0;

	(void)state;
	atomic_store(&hold, 1);
	assert_int_equal(rl_fetcher_new(&f, &s, &err), 0);
	for (int i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "a%d", i);
		snprintf(urls[i], sizeof(urls[i]), "http://127.0.0.1:%u/a%d.html", port, i);
		src[i] = source(ids[i], urls[i]);
		assert_int_equal(rl_fetcher_add(f, &src[i], NULL, &err), 0);
	}
	for (int i = 0; i < 5; i++)
		assert_int_equal(rl_fetcher_step(f, NULL, 0, 20, NULL, &err), 0);
	rl_fetcher_abort(f);
	while (rl_fetcher_next(f, &r)) {
		assert_false(r->ok);
		assert_non_null(strstr(r->error, "abandoned"));
		rl_fetch_result_free(r);
		n++;
	}
	assert_int_equal(n, N);
	assert_int_equal(rl_fetcher_pending(f), 0);
	atomic_store(&hold, 0);
	rl_fetcher_free(f);
}

/* A fetcher freed with results nobody took frees them (LeakSanitizer
 * in the ASan build says so). */
static void free_with_results_waiting(void **state)
{
	char url[64];
	rl_source src;
	rl_fetch_settings s = settings();
	rl_fetcher *f;
	rl_error err;

	(void)state;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/w.html", port);
	src = source((char *)"w", url);
	assert_int_equal(rl_fetcher_new(&f, &s, &err), 0);
	assert_int_equal(rl_fetcher_add(f, &src, NULL, &err), 0);
	for (int i = 0; i < 200; i++) {
		rl_fetch_progress p;

		rl_fetcher_progress(f, &p);
		if (p.sources_done == 1)
			break;
		assert_int_equal(rl_fetcher_step(f, NULL, 0, 50, NULL, &err), 0);
	}
	assert_int_equal(rl_fetcher_pending(f), 1); /* finished, not taken */
	rl_fetcher_free(f);
}

/* Validators from state are sent when the configuration digest is the
 * one they were stored under, and dropped when it changed. */
static void validators_follow_the_digest(void **state)
{
	char url[64];
	rl_source src;
	rl_source_state st;
	rl_fetch_settings s = settings();
	rl_fetch_result *r[1];
	rl_fetcher *f;
	rl_error err;

	(void)state;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/v.html", port);
	src = source((char *)"v", url);
	snprintf(src.digest, sizeof(src.digest), "%s", "d1");
	memset(&st, 0, sizeof(st));
	snprintf(st.digest, sizeof(st.digest), "%s", "d1");
	rl_state_set_page(&st, 0, "\"v1\"", NULL, "ab12");
	atomic_store(&conditional, 0);

	assert_int_equal(rl_fetcher_new(&f, &s, &err), 0);
	assert_int_equal(rl_fetcher_add(f, &src, &st, &err), 0);
	assert_int_equal(run(f, r, 1), 1);
	assert_true(r[0]->ok);
	assert_true(r[0]->not_modified);
	/* A 304 keeps the hash of the bytes it refers to. */
	assert_string_equal(r[0]->pages[0].sha256, "ab12");
	rl_fetch_result_free(r[0]);

	snprintf(src.digest, sizeof(src.digest), "%s", "d2");
	assert_int_equal(rl_fetcher_add(f, &src, &st, &err), 0);
	assert_int_equal(run(f, r, 1), 1);
	assert_true(r[0]->ok);
	assert_false(r[0]->not_modified);
	assert_int_equal(r[0]->pages[0].status, 200);
	rl_fetch_result_free(r[0]);
	assert_int_equal(atomic_load(&conditional), 1);
	rl_fetcher_free(f);
	rl_state_clear(&st);
}

/* pages = auto ends at the first missing page, over HTTP (404) and over
 * file:// (no such file); a missing first page is an error. */
static void auto_range_ends_at_the_first_missing_page(void **state)
{
	char dir[] = "/tmp/redline-test-fetch.XXXXXX", path[128], url[160];
	rl_fetch_settings s = settings();
	rl_fetch_result *r[1];
	rl_source src;
	rl_fetcher *f;
	rl_error err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (int p = 1; p <= 3; p++) {
		snprintf(path, sizeof(path), "%s/p%d.txt", dir, p);
		assert_int_equal(rl_file_write_atomic(path, "Some words.\n", 12, NULL), 0);
	}
	snprintf(url, sizeof(url), "file://%s/p{page}.txt", dir);
	src = source((char *)"f", url);
	src.pages_auto = 1;
	src.page_first = 1;
	assert_int_equal(rl_fetcher_new(&f, &s, &err), 0);
	assert_int_equal(rl_fetcher_add(f, &src, NULL, &err), 0);
	assert_int_equal(run(f, r, 1), 1);
	assert_true(r[0]->ok);
	assert_int_equal(r[0]->n_pages, 3);
	assert_int_equal(r[0]->pages[2].number, 3);
	rl_fetch_result_free(r[0]);

	src.page_first = 4; /* no page 4: not an empty document but an error */
	assert_int_equal(rl_fetcher_add(f, &src, NULL, &err), 0);
	assert_int_equal(run(f, r, 1), 1);
	assert_false(r[0]->ok);
	assert_non_null(strstr(r[0]->error, "page 4: "));
	rl_fetch_result_free(r[0]);

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/{page}missing.html", port);
	src = source((char *)"h", url);
	src.pages_auto = 1;
	src.page_first = 1;
	assert_int_equal(rl_fetcher_add(f, &src, NULL, &err), 0);
	assert_int_equal(run(f, r, 1), 1);
	assert_false(r[0]->ok);
	assert_non_null(strstr(r[0]->error, "page 1: HTTP 404 from http://127.0.0.1:"));
	rl_fetch_result_free(r[0]);
	rl_fetcher_free(f);
	for (int p = 1; p <= 3; p++) {
		snprintf(path, sizeof(path), "%s/p%d.txt", dir, p);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(many_hosts),
	    cmocka_unit_test(abort_hands_everything_over),
	    cmocka_unit_test(free_with_results_waiting),
	    cmocka_unit_test(validators_follow_the_digest),
	    cmocka_unit_test(auto_range_ends_at_the_first_missing_page),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, server_up, server_down);
	curl_global_cleanup();
	return rc;
}
