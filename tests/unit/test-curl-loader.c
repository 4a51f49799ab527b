/* Unit tests: libcurl comes into the process on the first call of one of
 * its functions, not before, and not for letting go of nothing (the
 * daemon calls curl_global_cleanup at exit whether it fetched or not).
 * Options reach libcurl with their types through the variadic
 * trampolines. GnuTLS, which libcurl brings, was kept from initialising
 * itself, and initialises when asked, as librtmp and OpenLDAP ask. This
 * test calls only the loader's own definitions of libcurl functions, so
 * it is not linked with libcurl (--as-needed): what /proc/self/maps shows
 * is what the loader mapped. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "redline/buf.h"
#include "redline/curl-loader.h"

static const char body[] = "The ministry publishes notice 12 on defence cooperation.\n";

/* The path of the first mapping of this process that names lib, or "". */
static void mapping(const char *lib, char *path, size_t len)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];

	assert_non_null(f);
	*path = '\0';
	while (!*path && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');

		if (p && strstr(p, lib)) {
			p[strcspn(p, "\n")] = '\0';
			snprintf(path, len, "%s", p);
		}
	}
	fclose(f);
}

static int mapped(const char *lib)
{
	char path[4096];

	mapping(lib, path, sizeof(path));
	return *path != '\0';
}

static size_t keep(char *ptr, size_t size, size_t nmemb, void *ctx)
{
	rl_buf_put(ctx, ptr, size * nmemb);
	return size * nmemb;
}

/* Runs one transfer through a multi handle, as the fetcher does. */
static CURLcode run(CURL *e)
{
	CURLM *m = curl_multi_init();
	CURLMsg *msg;
	CURLcode rc = CURLE_FAILED_INIT;
	int running = 1, left;

	assert_non_null(m);
	assert_int_equal(curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 2L), CURLM_OK);
	assert_int_equal(curl_multi_add_handle(m, e), CURLM_OK);
	while (running) {
		assert_int_equal(curl_multi_perform(m, &running), CURLM_OK);
		if (running)
			assert_int_equal(curl_multi_poll(m, NULL, 0, 100, NULL), CURLM_OK);
	}
	while ((msg = curl_multi_info_read(m, &left)))
		if (msg->msg == CURLMSG_DONE)
			rc = msg->data.result;
	curl_multi_remove_handle(m, e);
	curl_multi_cleanup(m);
	return rc;
}

static void nothing_loaded_to_let_go(void **state)
{
	(void)state;
	assert_false(rl_curl_loaded());
	assert_false(mapped("libcurl"));
	curl_slist_free_all(NULL);
	curl_free(NULL);
	curl_easy_cleanup(NULL);
	curl_url_cleanup(NULL);
	curl_global_cleanup();
	assert_false(rl_curl_loaded());
	assert_false(mapped("libcurl"));
}

static void options_reach_libcurl_with_their_types(void **state)
{
	char dir[] = "/tmp/rl-curl-loader.XXXXXX", path[512], url[600];
	rl_buf got = RL_BUF_INIT;
	char *effective = NULL, *private = NULL;
	CURL *e;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notice.txt", dir);
	snprintf(url, sizeof(url), "file://%s", path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(body, f);
	fclose(f);

	/* The test's environment must not decide what the loader does. */
	unsetenv("GNUTLS_NO_IMPLICIT_INIT");
	assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
	assert_true(rl_curl_loaded());
	assert_true(mapped("libcurl"));
	/* Set around the dlopen only: exec hooks never inherit it. */
	assert_null(getenv("GNUTLS_NO_IMPLICIT_INIT"));

	e = curl_easy_init();
	assert_non_null(e);
	/* A string, a function pointer, an object pointer, a long. */
	assert_int_equal(curl_easy_setopt(e, CURLOPT_URL, url), CURLE_OK);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep), CURLE_OK);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_WRITEDATA, &got), CURLE_OK);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_PRIVATE, url), CURLE_OK);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L), CURLE_OK);
	assert_int_equal(run(e), CURLE_OK);
	assert_int_equal(got.len, strlen(body));
	assert_memory_equal(got.ptr, body, got.len);
	assert_int_equal(curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &effective), CURLE_OK);
	assert_string_equal(effective, url);
	assert_int_equal(curl_easy_getinfo(e, CURLINFO_PRIVATE, &private), CURLE_OK);
	assert_ptr_equal(private, url);

	/* A long that changes what comes: no body. */
	rl_buf_reset(&got);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_NOBODY, 1L), CURLE_OK);
	assert_int_equal(run(e), CURLE_OK);
	assert_int_equal(got.len, 0);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_NOBODY, 0L), CURLE_OK);

	/* A curl_off_t: where to start. */
	rl_buf_reset(&got);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)4), CURLE_OK);
	assert_int_equal(run(e), CURLE_OK);
	assert_int_equal(got.len, strlen(body) - 4);
	assert_memory_equal(got.ptr, body + 4, got.len);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)0), CURLE_OK);

	/* A string that changes what is allowed. */
	assert_int_equal(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https"), CURLE_OK);
	assert_int_equal(run(e), CURLE_UNSUPPORTED_PROTOCOL);
	assert_non_null(strstr(curl_easy_strerror(CURLE_UNSUPPORTED_PROTOCOL), "protocol"));

	curl_easy_cleanup(e);
	curl_global_cleanup();
	assert_true(rl_curl_loaded()); /* it stays */
	rl_buf_free(&got);
	unlink(path);
	rmdir(dir);
}

/* What librtmp and OpenLDAP do before they use GnuTLS. */
static void gnutls_initialises_when_asked(void **state)
{
	char path[4096];
	void *h, *cred = NULL;
	int (*global_init)(void), (*alloc)(void **);
	void (*free_cred)(void *), (*global_deinit)(void);

	(void)state;
	assert_true(rl_curl_loaded());
	mapping("libgnutls", path, sizeof(path));
	if (!*path) {
		print_message("libcurl here does not bring GnuTLS: nothing to check\n");
		skip();
	}
	h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
	assert_non_null(h);
	*(void **)&global_init = dlsym(h, "gnutls_global_init");
	*(void **)&global_deinit = dlsym(h, "gnutls_global_deinit");
	*(void **)&alloc = dlsym(h, "gnutls_certificate_allocate_credentials");
	*(void **)&free_cred = dlsym(h, "gnutls_certificate_free_credentials");
	assert_true(global_init && global_deinit && alloc && free_cred);
	/* Not initialised by its constructor: it refuses. */
	assert_true(alloc(&cred) < 0);
	assert_int_equal(global_init(), 0);
	assert_int_equal(alloc(&cred), 0);
	free_cred(cred);
	global_deinit();
	dlclose(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nothing_loaded_to_let_go),
	    cmocka_unit_test(options_reach_libcurl_with_their_types),
	    cmocka_unit_test(gnutls_initialises_when_asked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
