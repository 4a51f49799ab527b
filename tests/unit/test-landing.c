/* Unit tests: the landing page (refs/heads/main) as someone who clones the
 * archive reads it: sources.json lists every source branch with its
 * title, URL and latest version, byte for byte what jansson writes for
 * that list (indent 2, keys in order), README.md a table of the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>
#include <jansson.h>

#include "redline/config.h"
#include "redline/update.h"
#include "redline/util.h"
#include "scratch-archive.h"

typedef struct fixture {
	char dir[SCRATCH_DIR_LEN];
	char path[SCRATCH_PATH_LEN];
	rl_archive *a;
	rl_config *cfg;
} fixture;

static int commit(rl_archive *a, const char *id, int64_t t, const char *msg)
{
	rl_file files[] = {{"text.md", "Some text.\n", 11}};
	rl_commit_req req = {id, "", t, msg, files, 1};
	char out[41];
	rl_error err;

	return rl_archive_commit(a, &req, out, &err);
}

/* cfg: the archive and the sources in the given config text. */
static int load_config(fixture *f, const char *sources)
{
	char conf[SCRATCH_PATH_LEN + 16];
	rl_strv problems = RL_STRV_INIT;
	rl_error err;
	FILE *fp;
	int rc;

	snprintf(conf, sizeof(conf), "%s/redline.conf", f->dir);
	fp = fopen(conf, "w");
	if (!fp)
		return -1;
	fprintf(fp, "[archive]\n\tpath = %s\n%s", f->path, sources);
	fclose(fp);
	rc = rl_config_load(&f->cfg, conf, &problems, &err);
	rl_strv_free(&problems);
	return rc;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f || scratch_archive_init("landing", f->dir, f->path, &f->a) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	rl_config_free(f->cfg);
	if (scratch_archive_remove(f->dir, f->a) < 0)
		return -1;
	free(f);
	return 0;
}

/* The content of main:NAME, NUL-terminated. */
static char *landing_file(rl_archive *a, const char *name)
{
	git_repository *repo = rl_archive_repo(a);
	git_object *obj = NULL;
	char spec[64];
	char *out = NULL;

	snprintf(spec, sizeof(spec), "refs/heads/main:%s", name);
	if (git_revparse_single(&obj, repo, spec) == 0 && git_object_type(obj) == GIT_OBJECT_BLOB) {
		const git_blob *b = (const git_blob *)obj;
		size_t n = (size_t)git_blob_rawsize(b);

		out = malloc(n + 1);
		if (out) {
			memcpy(out, git_blob_rawcontent(b), n);
			out[n] = '\0';
		}
	}
	git_object_free(obj);
	return out;
}

/* What jansson writes for the whole list, built as one tree. */
static char *expected_json(rl_archive *a, const rl_config *cfg, const char *const *ids, size_t n)
{
	json_t *list = json_array();
	char *s;

	for (size_t i = 0; i < n; i++) {
		const rl_source *src = rl_config_source(cfg, ids[i]);
		rl_version v;
		char iso[32];

		assert_int_equal(rl_archive_resolve(a, ids[i], &v, NULL), 0);
		rl_time_iso(v.time, iso);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s?, s:s, s:s}", "id", ids[i], "title",
				    src && src->title ? src->title : ids[i], "url",
				    src ? src->url : v.url, "latest", v.commit, "date", iso));
		rl_version_clear(&v);
	}
	s = json_dumps(list, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(list);
	return s;
}

/* sources.json as the landing page wrote it, checked byte for byte
 * against jansson's; the caller frees it. */
static char *sources_json_checked(fixture *f, const char *const *ids, size_t n)
{
	char *got = landing_file(f->a, "sources.json"), *want = expected_json(f->a, f->cfg, ids, n);

	assert_non_null(got);
	assert_non_null(want);
	assert_string_equal(got, want);
	free(want);
	return got;
}

static void sources_json_is_what_jansson_writes(void **state)
{
	static const char *const ids[] = {"alpha", "beta", "gamma"};
	fixture *f = *state;
	rl_error err;
	char *got;
	json_t *doc;

	/* Titles with what JSON must escape and what it must not; gamma is in
	 * the archive but no longer configured (its URL comes from the
	 * commit's trailer); delta is configured but never fetched. */
	assert_int_equal(load_config(f,
				     "[source \"alpha\"]\n\turl = https://example.org/a?x=1&y=2\n"
				     "\ttitle = \"White paper \\\"2020\\\" \\\\ défense / é\"\n"
				     "[source \"beta\"]\n\turl = http://example.org/b\n"
				     "[source \"delta\"]\n\turl = http://example.org/d\n"),
			 0);
	assert_int_equal(commit(f->a, "alpha", 1000, "alpha: first version\n"), 0);
	assert_int_equal(commit(f->a, "beta", 2000, "beta: first version\n"), 0);
	assert_int_equal(commit(f->a, "gamma", 3000,
				"gamma: first version\n\nRedline-Url: http://old.example/g\n"),
			 0);
	assert_int_equal(rl_landing_update(f->a, f->cfg, &err), 0);

	got = sources_json_checked(f, ids, 3);
	doc = json_loads(got, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(json_array_size(doc), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(doc, 0), "title")),
			    "White paper \"2020\" \\ défense / é");
	assert_string_equal(json_string_value(json_object_get(json_array_get(doc, 1), "title")),
			    "beta");
	assert_string_equal(json_string_value(json_object_get(json_array_get(doc, 2), "url")),
			    "http://old.example/g");
	json_decref(doc);
	free(got);

	got = landing_file(f->a, "README.md");
	assert_non_null(got);
	assert_non_null(strstr(got, "| alpha | White paper \"2020\" \\ défense / é | "));
	assert_non_null(strstr(got, "| gamma | gamma | "));
	assert_null(strstr(got, "delta"));
	free(got);
}

static void one_source_and_none(void **state)
{
	static const char *const ids[] = {"only"};
	fixture *f = *state;
	rl_error err;
	char *got;

	assert_int_equal(load_config(f, "[source \"only\"]\n\turl = http://example.org/o\n"), 0);
	/* No source branch yet: an empty list. */
	assert_int_equal(rl_landing_update(f->a, f->cfg, &err), 0);
	got = landing_file(f->a, "sources.json");
	assert_non_null(got);
	assert_string_equal(got, "[]");
	free(got);

	assert_int_equal(commit(f->a, "only", 1000, "only: first version\n"), 0);
	assert_int_equal(rl_landing_update(f->a, f->cfg, &err), 0);
	got = sources_json_checked(f, ids, 1);
	free(got);
}

/* More sources than the landing page reads between two reopenings of the
 * archive (it reads them in the order of their commit ids): listed all,
 * in the order of their names. */
static void many_sources_keep_their_order(void **state)
{
	enum { N = 75 };
	fixture *f = *state;
	char names[N][16];
	const char *ids[N];
	rl_buf conf = RL_BUF_INIT;
	rl_error err;
	char *got;
	json_t *doc;

	for (int i = 0; i < N; i++) {
		char msg[64];

		snprintf(names[i], sizeof(names[i]), "src%03d", i);
		ids[i] = names[i];
		if (i % 2)
			rl_buf_printf(&conf, "[source \"%s\"]\n\turl = http://example.org/%d\n",
				      names[i], i);
		snprintf(msg, sizeof(msg), "%s: first version\n\nRedline-Url: http://old/%d\n",
			 names[i], i);
		assert_int_equal(commit(f->a, names[i], 1000 + (i * 37) % N, msg), 0);
	}
	assert_int_equal(load_config(f, rl_buf_cstr(&conf)), 0);
	rl_buf_free(&conf);
	assert_int_equal(rl_landing_update(f->a, f->cfg, &err), 0);
	got = sources_json_checked(f, ids, N);
	doc = json_loads(got, 0, NULL);
	assert_int_equal(json_array_size(doc), N);
	assert_string_equal(json_string_value(json_object_get(json_array_get(doc, 74), "id")),
			    "src074");
	assert_string_equal(json_string_value(json_object_get(json_array_get(doc, 74), "url")),
			    "http://old/74");
	json_decref(doc);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(sources_json_is_what_jansson_writes, setup, teardown),
	    cmocka_unit_test_setup_teardown(one_source_and_none, setup, teardown),
	    cmocka_unit_test_setup_teardown(many_sources_keep_their_order, setup, teardown),
	};
	int rc;

	git_libgit2_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
