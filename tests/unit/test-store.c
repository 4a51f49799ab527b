/* Unit tests: the git archive (versions, revisions, compare-and-swap). */
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

#include "redline/archive.h"
#include "redline/util.h"
#include "scratch-archive.h"

typedef struct fixture {
	char dir[SCRATCH_DIR_LEN];
	rl_archive *a;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f || scratch_archive_init("store", f->dir, NULL, &f->a) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	if (scratch_archive_remove(f->dir, f->a) < 0)
		return -1;
	free(f);
	return 0;
}

static int commit(rl_archive *a, const char *source, const char *tip, int64_t t, const char *text,
		  char out[41])
{
	rl_file files[] = {
	    {"text.md", text, strlen(text)},
	    {"pages/0085.md", text, strlen(text)},
	    {"raw/0085.html", "<p>x</p>", 8},
	};
	char msg[256];
	rl_commit_req req = {source, tip, t, msg, files, 3};
	rl_error err;

	snprintf(msg, sizeof(msg),
		 "%s: version at %lld\n\nRedline-Change: wording\nRedline-Url: http://h/x\n",
		 source, (long long)t);
	return rl_archive_commit(a, &req, out, &err);
}

static void versions_chain_and_read_back(void **state)
{
	fixture *f = *state;
	char c1[41], c2[41], blob[41];
	rl_version_list l = {0};
	rl_buf b = RL_BUF_INIT;
	rl_strv names = RL_STRV_INIT;
	rl_error err;
	size_t size = 1;

	assert_int_equal(commit(f->a, "wp", "", 1000, "one\n", c1), 0);
	assert_int_equal(commit(f->a, "wp", c1, 2000, "two\n", c2), 0);
	assert_int_equal(rl_archive_log(f->a, "wp", 0, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].commit, c2);
	assert_string_equal(l.v[0].parent, c1);
	assert_string_equal(l.v[1].parent, "");
	assert_int_equal(l.v[0].time, 2000);
	assert_string_equal(l.v[0].change, "wording");
	assert_string_equal(l.v[0].url, "http://h/x");
	assert_string_equal(l.v[0].subject, "wp: version at 2000");
	rl_version_list_free(&l);
	assert_int_equal(rl_archive_read(f->a, c1, "text.md", &b, &err), 0);
	assert_string_equal(rl_buf_cstr(&b), "one\n");
	assert_int_equal(rl_archive_read(f->a, c1, "nothing.md", &b, &err), RL_ENOTFOUND);
	/* its size without reading it, as a loose object */
	assert_int_equal(rl_archive_read_size(f->a, c1, "text.md", &size, &err), 0);
	assert_int_equal(size, 4);
	assert_int_equal(rl_archive_read_size(f->a, c1, "nothing.md", &size, &err), RL_ENOTFOUND);
	assert_int_equal(size, 0);
	assert_int_equal(rl_archive_list(f->a, c2, "pages", &names, &err), 0);
	assert_int_equal(names.n, 1);
	assert_string_equal(names.v[0], "0085.md");
	assert_int_equal(rl_archive_blob_id(f->a, c2, "raw/0085.html", blob, &err), 0);
	assert_int_equal(strlen(blob), 40);
	rl_strv_free(&names);
	rl_buf_free(&b);
}

static void stale_tip_is_a_conflict(void **state)
{
	fixture *f = *state;
	char c1[41], c2[41], c3[41], tip[41];
	rl_error err;

	assert_int_equal(commit(f->a, "wp", "", 1000, "one\n", c1), 0);
	assert_int_equal(commit(f->a, "wp", c1, 2000, "two\n", c2), 0);
	/* A second writer that still believes c1 is the tip loses. */
	assert_int_equal(commit(f->a, "wp", c1, 3000, "three\n", c3), RL_ECONFLICT);
	/* So does one that believes the branch is new. */
	assert_int_equal(commit(f->a, "wp", "", 3000, "three\n", c3), RL_ECONFLICT);
	assert_int_equal(rl_archive_tip(f->a, "wp", tip, &err), 0);
	assert_string_equal(tip, c2);
}

static void revisions_resolve(void **state)
{
	fixture *f = *state;
	char c[3][41];
	rl_version v;
	rl_error err;
	char rev[64];

	assert_int_equal(commit(f->a, "wp", "", 1762000000, "a\n", c[0]), 0); /* 2025-11-01 */
	assert_int_equal(commit(f->a, "wp", c[0], 1763000000, "b\n", c[1]), 0);
	assert_int_equal(commit(f->a, "wp", c[1], 1764000000, "c\n", c[2]), 0);
	assert_int_equal(rl_archive_resolve(f->a, "wp", &v, &err), 0);
	assert_string_equal(v.commit, c[2]);
	rl_version_clear(&v);
	assert_int_equal(rl_archive_resolve(f->a, "wp~2", &v, &err), 0);
	assert_string_equal(v.commit, c[0]);
	rl_version_clear(&v);
	assert_int_equal(rl_archive_resolve(f->a, "wp~", &v, &err), 0);
	assert_string_equal(v.commit, c[1]);
	rl_version_clear(&v);
	snprintf(rev, sizeof(rev), "wp@%.8s", c[1]);
	assert_int_equal(rl_archive_resolve(f->a, rev, &v, &err), 0);
	assert_string_equal(v.commit, c[1]);
	rl_version_clear(&v);
	/* 1763000000 is 2025-11-13T02:13:20Z: in effect at the end of that day. */
	assert_int_equal(rl_archive_resolve(f->a, "wp@{2025-11-13}", &v, &err), 0);
	assert_string_equal(v.commit, c[1]);
	rl_version_clear(&v);
	assert_int_equal(rl_archive_resolve(f->a, "wp@{2025-11-12}", &v, &err), 0);
	assert_string_equal(v.commit, c[0]);
	rl_version_clear(&v);
	assert_int_equal(rl_archive_resolve(f->a, "wp@{2020-01-01}", &v, &err), RL_ENOTFOUND);
	assert_non_null(strstr(err.message, "had no version yet"));
	assert_int_equal(rl_archive_resolve(f->a, "wp~3", &v, &err), RL_ENOTFOUND);
	assert_non_null(strstr(err.message, "has only 3 versions"));
	assert_int_equal(rl_archive_resolve(f->a, "wp@zzzz", &v, &err), RL_EINVALID);
	assert_int_equal(rl_archive_resolve(f->a, "wp@{yesterday}", &v, &err), RL_EINVALID);
	assert_int_equal(rl_archive_resolve(f->a, "other", &v, &err), RL_ENOTFOUND);
	assert_non_null(strstr(err.message, "'other'"));
	assert_int_equal(rl_archive_resolve(f->a, "../x", &v, &err), RL_EINVALID);
}

static void merged_log_is_by_time(void **state)
{
	fixture *f = *state;
	char a1[41], a2[41], b1[41], b2[41];
	rl_version_list l = {0};
	rl_strv s = RL_STRV_INIT;
	rl_error err;

	assert_int_equal(commit(f->a, "a", "", 100, "a1\n", a1), 0);
	assert_int_equal(commit(f->a, "b", "", 200, "b1\n", b1), 0);
	assert_int_equal(commit(f->a, "a", a1, 300, "a2\n", a2), 0);
	assert_int_equal(commit(f->a, "b", b1, 400, "b2\n", b2), 0);
	assert_int_equal(rl_archive_log_all(f->a, 3, &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].commit, b2);
	assert_string_equal(l.v[1].commit, a2);
	assert_string_equal(l.v[2].commit, b1);
	assert_string_equal(l.v[2].source, "b");
	rl_version_list_free(&l);
	assert_int_equal(rl_archive_sources(f->a, &s, &err), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0], "a");
	rl_strv_free(&s);
}

static void bad_paths_are_refused(void **state)
{
	fixture *f = *state;
	rl_file files[] = {{"../escape", "x", 1}};
	rl_commit_req req = {"wp", "", 1, "m\n", files, 1};
	char out[41];
	rl_error err;

	assert_int_equal(rl_archive_commit(f->a, &req, out, &err), RL_EINVALID);
	assert_int_equal(rl_archive_has_source(f->a, "wp"), 0);
}

static void opening_a_non_archive_fails_clearly(void **state)
{
	rl_archive *a;
	rl_error err;

	(void)state;
	assert_int_equal(rl_archive_open(&a, "/nonexistent/x.git", &err), RL_ENOTFOUND);
	assert_non_null(strstr(err.message, "redline init"));
	assert_true(rl_archive_open(&a, "/etc", &err) < 0);
	assert_non_null(strstr(err.message, "not a redline archive"));
}

/* The loose object at dir's archive.git for id, its path into out. */
static void loose_path(const char *dir, const git_oid *id, char *out, size_t len)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(out, len, "%s/archive.git/objects/%.2s/%s", dir, hex, hex + 2);
}

/* A blob whose file holds another blob's bytes (bit rot that zlib cannot
 * see, or a hand-edited store): read back, it is refused while reads are
 * verified (the default, which writers keep), and read as it is once
 * turned off (rl_archive_verify_reads(0), as commands that only show). */
static void unverified_reads_trust_the_stored_bytes(void **state)
{
	fixture *f = *state;
	char c1[41], c2[41], one[512], two[512], tmp[600];
	git_oid id_one, id_two;
	rl_archive *b = NULL;
	rl_buf text = RL_BUF_INIT;
	rl_error err;

	assert_int_equal(commit(f->a, "wp", "", 1000, "the first text\n", c1), 0);
	assert_int_equal(commit(f->a, "wp", c1, 2000, "the second text\n", c2), 0);
	assert_int_equal(git_odb_hash(&id_one, "the first text\n", 15, GIT_OBJECT_BLOB), 0);
	assert_int_equal(git_odb_hash(&id_two, "the second text\n", 16, GIT_OBJECT_BLOB), 0);
	loose_path(f->dir, &id_one, one, sizeof(one));
	loose_path(f->dir, &id_two, two, sizeof(two));
	snprintf(tmp, sizeof(tmp), "%s.tmp", one);
	{
		rl_buf bytes = RL_BUF_INIT;
		FILE *out;

		assert_int_equal(rl_file_read(two, &bytes, &err), 0);
		assert_non_null(out = fopen(tmp, "wb"));
		assert_int_equal(fwrite(bytes.ptr, 1, bytes.len, out), bytes.len);
		assert_int_equal(fclose(out), 0);
		assert_int_equal(rename(tmp, one), 0);
		rl_buf_free(&bytes);
	}

	/* a fresh handle: nothing of the first text in its cache */
	assert_int_equal(rl_archive_open(&b, rl_archive_path(f->a), &err), 0);
	assert_true(rl_archive_read(b, c1, "text.md", &text, &err) < 0);
	assert_non_null(strstr(err.message, "text.md is unreadable"));
	assert_non_null(strstr(err.message, "mismatch"));
	rl_archive_free(b);

	rl_archive_verify_reads(0);
	assert_int_equal(rl_archive_open(&b, rl_archive_path(f->a), &err), 0);
	assert_int_equal(rl_archive_read(b, c1, "text.md", &text, &err), 0);
	assert_string_equal(rl_buf_cstr(&text), "the second text\n");
	rl_archive_free(b);
	rl_buf_free(&text);

	/* back on for the next open */
	rl_archive_verify_reads(1);
	assert_int_equal(rl_archive_open(&b, rl_archive_path(f->a), &err), 0);
	assert_true(rl_archive_read(b, c1, "text.md", &text, &err) < 0);
	rl_archive_free(b);
	rl_buf_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(versions_chain_and_read_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(stale_tip_is_a_conflict, setup, teardown),
	    cmocka_unit_test_setup_teardown(revisions_resolve, setup, teardown),
	    cmocka_unit_test_setup_teardown(merged_log_is_by_time, setup, teardown),
	    cmocka_unit_test_setup_teardown(bad_paths_are_refused, setup, teardown),
	    cmocka_unit_test(opening_a_non_archive_fails_clearly),
	    cmocka_unit_test_setup_teardown(unverified_reads_trust_the_stored_bytes, setup,
					    teardown),
	};
	int rc;

	git_libgit2_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
