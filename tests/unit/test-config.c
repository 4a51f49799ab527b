/* Unit tests: the configuration file, its defaults and its errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "redline/config.h"
#include "redline/util.h"

static char path[64];

static int write_conf(const char *text)
{
	FILE *f;

	strcpy(path, "/tmp/redline-test-conf.XXXXXX");
	close(mkstemp(path));
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static int has_problem(const rl_strv *p, const char *needle)
{
	for (size_t i = 0; i < p->n; i++)
		if (strstr(p->v[i], needle))
			return 1;
	return 0;
}

static void defaults_apply(void **state)
{
	rl_config *cfg;
	rl_error err;
	const rl_source *s;

	(void)state;
	assert_int_equal(write_conf("[archive]\n\tpath = /srv/a.git\n"
				    "[source \"wp\"]\n\turl = https://example.org/p{page}.html\n"
				    "\tpages = 85-86\n\twatch = enemy\n\twatch = linchpin\n"),
			 0);
	assert_int_equal(rl_config_load(&cfg, path, NULL, &err), 0);
	assert_string_equal(cfg->archive_path, "/srv/a.git");
	assert_int_equal(cfg->fetch.concurrency, 16);
	assert_int_equal(cfg->fetch.per_host, 2);
	assert_int_equal(cfg->fetch.timeout_ms, 30000);
	assert_int_equal(cfg->fetch.retries, 2);
	assert_int_equal(cfg->fetch.max_size, 64 * 1024 * 1024);
	assert_non_null(strstr(cfg->fetch.user_agent, "redline/"));
	s = rl_config_source(cfg, "wp");
	assert_non_null(s);
	assert_true(s->paged);
	assert_int_equal(s->page_first, 85);
	assert_int_equal(s->page_last, 86);
	assert_int_equal(s->interval, 6 * 3600);
	assert_int_equal(s->watch.n, 2);
	assert_string_equal(s->watch.v[1], "linchpin");
	{
		char *u = rl_source_page_url(s, 86);

		assert_string_equal(u, "https://example.org/p86.html");
		free(u);
	}
	rl_config_free(cfg);
}

static void relative_paths_follow_the_file(void **state)
{
	rl_config *cfg;
	rl_error err;

	(void)state;
	assert_int_equal(write_conf("[archive]\n\tpath = archive.git\n"), 0);
	assert_int_equal(rl_config_load(&cfg, path, NULL, &err), 0);
	assert_string_equal(cfg->archive_path, "/tmp/archive.git");
	rl_config_free(cfg);
}

static void every_problem_names_line_and_key(void **state)
{
	rl_strv p = RL_STRV_INIT;
	rl_config *cfg = (rl_config *)1;
	rl_error err;

	(void)state;
	assert_int_equal(write_conf("[fetch]\n"
				    "\ttimeout = soon\n"          /* 2 */
				    "\tmax-size = 12MB\n"         /* 3 */
				    "[source \"a\"]\n"            /* 4 */
				    "\turl = ftp://x/y\n"         /* 5 */
				    "\tkeep-raw = sometimes\n"    /* 6 */
				    "\tselect = //div[\n"         /* 7 */
				    "\tignore = ([a-z\n"          /* 8 */
				    "[notify \"n\"]\n"            /* 9 */
				    "\tmin-change = huge\n"       /* 10 */
				    "[daemon]\n\tshard = 3/2\n"   /* 12 */
				    "[source \"b\"]\n"            /* 13 */
				    "\turl = http://x/b\n"        /* 14 */
				    "\ttitle = caf\xe9 paper\n"), /* 15: Latin-1 */
			 0);
	assert_int_equal(rl_config_load(&cfg, path, &p, &err), RL_ECONFIG);
	assert_null(cfg);
	assert_true(has_problem(&p, ":2: fetch.timeout: 'soon' is not a duration"));
	assert_true(has_problem(&p, ":3: fetch.max-size: '12MB' is not a size"));
	assert_true(has_problem(&p, ":5: source.a.url: 'ftp://x/y' is not an http"));
	assert_true(has_problem(&p, ":6: source.a.keep-raw"));
	assert_true(has_problem(&p, ":7: source.a.select: '//div[' is not a valid XPath"));
	assert_true(has_problem(&p, ":8: source.a.ignore"));
	assert_true(has_problem(&p, ":10: notify.n.min-change: 'huge'"));
	assert_true(has_problem(&p, "notify.n.webhook: channel 'n' needs webhook"));
	assert_true(has_problem(&p, ":12: daemon.shard: '3/2'"));
	assert_true(has_problem(&p, ":15: source.b.title: not UTF-8 (byte 0xe9 at offset 3"));
	/* The first problem is the error. */
	assert_non_null(strstr(err.message, "fetch.timeout"));
	rl_strv_free(&p);
}

static void subsection_case_is_kept(void **state)
{
	rl_config *cfg;
	rl_error err;

	(void)state;
	assert_int_equal(write_conf("[source \"ToS-v2\"]\n\tURL = http://127.0.0.1/x\n"), 0);
	assert_int_equal(rl_config_load(&cfg, path, NULL, &err), 0);
	assert_non_null(rl_config_source(cfg, "ToS-v2"));
	rl_config_free(cfg);
}

static void paged_url_needs_pages(void **state)
{
	rl_strv p = RL_STRV_INIT;
	rl_config *cfg;
	rl_error err;

	(void)state;
	assert_int_equal(write_conf("[source \"a\"]\n\turl = http://h/p{page}.html\n"
				    "[source \"b\"]\n\turl = http://h/b.html\n\tpages = 1-3\n"
				    "[source \"c\"]\n\ttitle = no url\n"),
			 0);
	assert_int_equal(rl_config_load(&cfg, path, &p, &err), RL_ECONFIG);
	assert_true(has_problem(&p, "source.a.pages: the url has {page}: pages is required"));
	assert_true(has_problem(&p, "source.b.pages: pages is set but the url has no {page}"));
	assert_true(has_problem(&p, "source 'c' has no url"));
	rl_strv_free(&p);
}

static void shards_split_sources(void **state)
{
	rl_config c;
	int in0 = 0, in1 = 0;
	char id[16];

	(void)state;
	memset(&c, 0, sizeof(c));
	c.shard_n = 2;
	for (int i = 0; i < 200; i++) {
		snprintf(id, sizeof(id), "src-%d", i);
		c.shard_k = 0;
		in0 += rl_config_in_shard(&c, id);
		c.shard_k = 1;
		in1 += rl_config_in_shard(&c, id);
	}
	/* Disjoint and covering, and not all on one side. */
	assert_int_equal(in0 + in1, 200);
	assert_true(in0 > 50 && in1 > 50);
}

static void missing_file_is_not_found(void **state)
{
	rl_config *cfg;
	rl_error err;

	(void)state;
	assert_int_equal(rl_config_load(&cfg, "/nonexistent/redline.conf", NULL, &err),
			 RL_ENOTFOUND);
	assert_non_null(strstr(err.message, "/nonexistent/redline.conf"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(defaults_apply, teardown),
	    cmocka_unit_test_teardown(relative_paths_follow_the_file, teardown),
	    cmocka_unit_test_teardown(every_problem_names_line_and_key, teardown),
	    cmocka_unit_test_teardown(subsection_case_is_kept, teardown),
	    cmocka_unit_test_teardown(paged_url_needs_pages, teardown),
	    cmocka_unit_test(shards_split_sources),
	    cmocka_unit_test(missing_file_is_not_found),
	};
	int rc;

	git_libgit2_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
