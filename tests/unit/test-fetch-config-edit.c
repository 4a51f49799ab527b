/* Unit tests: `redline add` and `redline rm` edit redline.conf in place,
 * keeping every other byte, comment and layout, refusing bad values before
 * touching the file, and leaving nothing behind. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "redline/config.h"
#include "redline/util.h"

static char dir[64], conf[128];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/redline-test-edit.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(conf, sizeof(conf), "%s/redline.conf", dir);
	return 0;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[400];

	(void)state;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' || strlen(e->d_name) > 2) {
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(dir);
	return 0;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *get(const char *path)
{
	rl_buf b = RL_BUF_INIT;

	assert_int_equal(rl_file_read(path, &b, NULL), 0);
	return rl_buf_detach(&b, NULL);
}

/* Files in the directory: the edit leaves no copy or lock behind. */
static int files_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

typedef struct rm_case {
	const char *name;
	const char *id;
	const char *before;
	const char *after;
} rm_case;

static const rm_case rm_cases[] = {
    {"a middle section, its comment, multivars, comments on key lines", "wp",
     "# ministry watch\n"
     "[archive]\n"
     "\tpath = a.git ; beside this file\n"
     "\n"
     "# The white paper, one page per page.\n"
     "[source \"wp\"]\n"
     "\ttitle = White Paper\n"
     "\turl = https://example.org/p{page}.html\n"
     "\tpages = 85-86\n"
     "\twatch = enemy\n"
     "\twatch = denuclearization   # the famous one\n"
     "\n"
     "# the alliance statement\n"
     "[source \"st\"]\n"
     "\turl = https://example.org/st.html\n",
     "# ministry watch\n"
     "[archive]\n"
     "\tpath = a.git ; beside this file\n"
     "\n"
     "# the alliance statement\n"
     "[source \"st\"]\n"
     "\turl = https://example.org/st.html\n"},
    {"the last section and the blank line before it", "st",
     "[source \"wp\"]\n\turl = https://example.org/wp.html\n\n[source \"st\"]\n"
     "\turl = https://example.org/st.html\n",
     "[source \"wp\"]\n\turl = https://example.org/wp.html\n"},
    {"a header with a comment after it, a section name in capitals", "wp",
     "[Source \"wp\"] # to go\n\turl = https://example.org/wp.html\n[source \"st\"]\n"
     "\turl = https://example.org/st.html\n",
     "[source \"st\"]\n\turl = https://example.org/st.html\n"},
    {"two sections of the same source", "wp",
     "[source \"wp\"]\n\turl = https://example.org/wp.html\n[source \"st\"]\n"
     "\turl = https://example.org/st.html\n[source \"wp\"]\n\twatch = enemy\n",
     "[source \"st\"]\n\turl = https://example.org/st.html\n"},
    {"an id that begins another id", "wp",
     "[source \"wp2\"]\n\turl = https://example.org/wp2.html\n[source \"wp\"]\n"
     "\turl = https://example.org/wp.html\n[source \"wp.old\"]\n"
     "\turl = https://example.org/old.html\n",
     "[source \"wp2\"]\n\turl = https://example.org/wp2.html\n[source \"wp.old\"]\n"
     "\turl = https://example.org/old.html\n"},
    {"a continued value whose next line starts with a bracket", "wp",
     "[source \"st\"]\n\turl = https://example.org/st.html\n\tselect = //div\\\n"
     "[@id='main']\n[source \"wp\"]\n\turl = https://example.org/wp.html\n",
     "[source \"st\"]\n\turl = https://example.org/st.html\n\tselect = //div\\\n"
     "[@id='main']\n"},
    {"the only section, a file without a final newline", "wp",
     "[source \"wp\"]\n\turl = https://example.org/wp.html", ""},
};

static void rm_keeps_the_rest(void **state)
{
	rl_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(rm_cases) / sizeof(rm_cases[0]); i++) {
		const rm_case *c = &rm_cases[i];
		char *got;

		put(conf, c->before);
		if (rl_config_remove_source(conf, c->id, NULL, &err) < 0)
			fail_msg("%s: %s", c->name, err.message);
		got = get(conf);
		if (strcmp(got, c->after) != 0)
			fail_msg("%s:\n--- got\n%s--- expected\n%s---", c->name, got, c->after);
		free(got);
		assert_int_equal(files_in_dir(), 1);
	}
}

static void rm_refuses_what_it_cannot_do(void **state)
{
	static const char text[] = "[include]\n\tpath = more.conf\n[source \"WP\"]\n"
				   "\turl = https://example.org/wp.html\n";
	char more[200], *got;
	rl_error err;

	(void)state;
	put(conf, text);
	snprintf(more, sizeof(more), "%s/more.conf", dir);
	put(more, "[source \"inc\"]\n\turl = https://example.org/inc.html\n");
	/* Ids are case-sensitive: WP is not wp. */
	assert_int_equal(rl_config_remove_source(conf, "wp", NULL, &err), RL_ENOTFOUND);
	assert_non_null(strstr(err.message, "no source 'wp'"));
	/* A source set in an included file is that file's to lose. */
	assert_int_equal(rl_config_remove_source(conf, "inc", NULL, &err), RL_ECONFIG);
	assert_non_null(strstr(err.message, "includes"));
	assert_int_equal(rl_config_remove_source(conf, "no/such", NULL, &err) < 0, 1);
	got = get(conf);
	assert_string_equal(got, text);
	free(got);
	assert_int_equal(files_in_dir(), 2);
	assert_int_equal(rl_config_remove_source(conf, "WP", NULL, &err), 0);
}

static void add_appends_and_keeps_mode(void **state)
{
	static const char text[] = "# watch list\n[archive]\n\tpath = a.git\n"
				   "[source \"wp\"]\n\turl = https://example.org/wp.html";
	rl_source_spec spec = {"paper", "https://example.org/p{page}.html", "1-412", "1d",
			       "A \"quoted\" title; with # marks"};
	rl_config *cfg;
	const rl_source *s;
	struct stat st;
	rl_error err;
	char *got;

	(void)state;
	put(conf, text);
	chmod(conf, 0640);
	assert_int_equal(rl_config_add_source(conf, &spec, NULL, &err), 0);
	got = get(conf);
	/* The old bytes first, untouched; the new section after a blank line. */
	assert_memory_equal(got, text, strlen(text));
	assert_non_null(strstr(got, "\n\n[source \"paper\"]\n"));
	free(got);
	assert_int_equal(stat(conf, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(files_in_dir(), 1);
	assert_int_equal(rl_config_load(&cfg, conf, NULL, &err), 0);
	s = rl_config_source(cfg, "paper");
	assert_non_null(s);
	assert_string_equal(s->title, "A \"quoted\" title; with # marks");
	assert_int_equal(s->page_first, 1);
	assert_int_equal(s->page_last, 412);
	assert_int_equal(s->interval, 86400);
	assert_non_null(rl_config_source(cfg, "wp"));
	rl_config_free(cfg);

	/* The same id again is refused, and the file stays as it is. */
	got = get(conf);
	assert_int_equal(rl_config_add_source(conf, &spec, NULL, &err), RL_EEXISTS);
	assert_non_null(strstr(err.message, "already a source 'paper'"));
	{
		char *again = get(conf);

		assert_string_equal(again, got);
		free(again);
	}
	free(got);
	/* And rm takes it out again, back to the bytes we started from plus the
	 * newline the file lacked. */
	assert_int_equal(rl_config_remove_source(conf, "paper", NULL, &err), 0);
	got = get(conf);
	assert_memory_equal(got, text, strlen(text));
	assert_string_equal(got + strlen(text), "\n");
	free(got);
}

static void add_through_a_symlink_and_to_a_new_file(void **state)
{
	rl_source_spec spec = {"st", "http://127.0.0.1/st.html", NULL, NULL, NULL};
	char real[200], *got;
	struct stat st;
	rl_error err;

	(void)state;
	snprintf(real, sizeof(real), "%s/real.conf", dir);
	put(real, "[archive]\n\tpath = a.git\n");
	assert_int_equal(symlink("real.conf", conf), 0);
	assert_int_equal(rl_config_add_source(conf, &spec, NULL, &err), 0);
	assert_int_equal(lstat(conf, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	got = get(real);
	assert_non_null(strstr(got, "[source \"st\"]\n\turl = http://127.0.0.1/st.html\n"));
	free(got);
	unlink(conf);
	unlink(real);
	/* No file yet: it is created. */
	assert_int_equal(rl_config_add_source(conf, &spec, NULL, &err), 0);
	got = get(conf);
	assert_string_equal(got, "[source \"st\"]\n\turl = http://127.0.0.1/st.html\n");
	free(got);
}

static void add_refuses_a_file_with_problems(void **state)
{
	static const char text[] = "[fetch]\n\tconcurency = 4\n";
	rl_source_spec spec = {"st", "http://127.0.0.1/st.html", NULL, NULL, NULL};
	rl_strv problems = RL_STRV_INIT;
	rl_error err;
	char *got;

	(void)state;
	put(conf, text);
	assert_int_equal(rl_config_add_source(conf, &spec, &problems, &err), RL_ECONFIG);
	assert_int_equal(problems.n, 1);
	assert_non_null(strstr(problems.v[0], ":2: fetch.concurency: unknown key"));
	got = get(conf);
	assert_string_equal(got, text);
	free(got);
	rl_strv_free(&problems);
}

/* Another edit holds the lock (git's convention: FILE.lock): refused,
 * and the other edit's lock is left alone. */
static void a_locked_file_is_left_alone(void **state)
{
	static const char text[] = "[source \"wp\"]\n\turl = https://example.org/wp.html\n";
	rl_source_spec spec = {"st", "http://127.0.0.1/st.html", NULL, NULL, NULL};
	char lock[200], *got;
	rl_error err;

	(void)state;
	put(conf, text);
	snprintf(lock, sizeof(lock), "%s.lock", conf);
	put(lock, "");
	assert_int_equal(rl_config_add_source(conf, &spec, NULL, &err), RL_ECONFLICT);
	assert_non_null(strstr(err.message, "another edit in progress"));
	assert_int_equal(rl_config_remove_source(conf, "wp", NULL, &err), RL_ECONFLICT);
	got = get(conf);
	assert_string_equal(got, text);
	free(got);
	assert_int_equal(access(lock, F_OK), 0);
	assert_int_equal(files_in_dir(), 2);
	unlink(lock);
	assert_int_equal(rl_config_add_source(conf, &spec, NULL, &err), 0);
	assert_int_equal(files_in_dir(), 1);
}

typedef struct spec_case {
	rl_source_spec spec;
	const char *error; /* NULL: valid */
} spec_case;

static void specs_are_checked(void **state)
{
	static const spec_case cases[] = {
	    {{"wp", "https://example.org/wp.html", NULL, NULL, NULL}, NULL},
	    {{"wp", "https://e.org/p{page}.html", "85-86", "30m", "T"}, NULL},
	    {{"wp", "file:///srv/p{page}.html", "auto", NULL, NULL}, NULL},
	    {{"wp", "https://e.org/p{page}.html", "5-auto", "1d", NULL}, NULL},
	    {{"wp", "https://e.org/p{page}.html", "7", NULL, NULL}, NULL},
	    {{"main", "https://e.org/", NULL, NULL, NULL}, "main"},
	    {{"-x", "https://e.org/", NULL, NULL, NULL}, "-x"},
	    {{"a b", "https://e.org/", NULL, NULL, NULL}, "a b"},
	    {{"wp", "ftp://e.org/x", NULL, NULL, NULL}, "not an http, https or file URL"},
	    {{"wp", "e.org/x", NULL, NULL, NULL}, "not an http, https or file URL"},
	    {{"wp", "https://e.org/a b", NULL, NULL, NULL}, "no spaces"},
	    {{"wp", "https://e.org/p{page}.html", NULL, NULL, NULL}, "give the pages"},
	    {{"wp", "https://e.org/p.html", "1-2", NULL, NULL}, "needs a URL with {page}"},
	    {{"wp", "https://e.org/p{page}.html", "9-2", NULL, NULL}, "not a page range"},
	    {{"wp", "https://e.org/p{page}.html", "85-", NULL, NULL}, "not a page range"},
	    {{"wp", "https://e.org/p{page}.html", "x", NULL, NULL}, "not a page range"},
	    {{"wp", "https://e.org/p{page}.html", "1-1000000", NULL, NULL}, "not a page range"},
	    {{"wp", "https://e.org/", NULL, "0", NULL}, "not a duration"},
	    {{"wp", "https://e.org/", NULL, "soon", NULL}, "not a duration"},
	    {{"wp", "https://e.org/", NULL, NULL, ""}, "title"},
	    {{"wp", "https://e.org/", NULL, NULL, "two\nlines"}, "title"},
	};
	rl_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = rl_source_spec_check(&cases[i].spec, &err);

		if (!cases[i].error && rc != 0)
			fail_msg("case %zu: refused: %s", i, err.message);
		if (cases[i].error && (rc == 0 || !strstr(err.message, cases[i].error)))
			fail_msg("case %zu: expected '%s', got %d '%s'", i, cases[i].error, rc,
				 rc ? err.message : "");
	}
}

static void page_ranges_read_and_print_alike(void **state)
{
	static const char *good[] = {"85-86", "7", "auto", "5-auto", "1-412", "0-3"};
	rl_source src;
	char out[32];

	(void)state;
	memset(&src, 0, sizeof(src));
	src.paged = 1;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(
		    rl_pages_parse(good[i], &src.page_first, &src.page_last, &src.pages_auto), 0);
		rl_source_pages_format(&src, out, sizeof(out));
		assert_string_equal(out, good[i]);
	}
	src.paged = 0;
	rl_source_pages_format(&src, out, sizeof(out));
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(rm_keeps_the_rest, setup, teardown),
	    cmocka_unit_test_setup_teardown(rm_refuses_what_it_cannot_do, setup, teardown),
	    cmocka_unit_test_setup_teardown(add_appends_and_keeps_mode, setup, teardown),
	    cmocka_unit_test_setup_teardown(add_through_a_symlink_and_to_a_new_file, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(add_refuses_a_file_with_problems, setup, teardown),
	    cmocka_unit_test_setup_teardown(a_locked_file_is_left_alone, setup, teardown),
	    cmocka_unit_test(specs_are_checked),
	    cmocka_unit_test(page_ranges_read_and_print_alike),
	};
	int rc;

	git_libgit2_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
