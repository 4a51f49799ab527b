/* Unit tests: the archive under faults and at scale: locks that killed
 * processes leave, the sweep that removes them, gc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "redline/archive.h"
#include "redline/util.h"
#include "scratch-archive.h"

typedef struct fixture {
	char dir[SCRATCH_DIR_LEN];
	char path[SCRATCH_PATH_LEN];
	rl_archive *a;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f || scratch_archive_init("scale", f->dir, f->path, &f->a) < 0)
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
	    {"raw/document.html", "<p>x</p>", 8},
	};
	char msg[256];
	rl_commit_req req = {source, tip, t, msg, files, 2};
	rl_error err;

	snprintf(msg, sizeof(msg), "%s: version at %lld\n\nRedline-Change: wording\n", source,
		 (long long)t);
	return rl_archive_commit(a, &req, out, &err);
}

static void touch(const char *path, int64_t age)
{
	struct timespec ts[2];
	int fd = open(path, O_WRONLY | O_CREAT, 0644);

	assert_true(fd >= 0);
	close(fd);
	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - (time_t)age;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Another writer inside an update: it holds write.lock shared. */
static int busy_writer(const fixture *f)
{
	char path[200];
	int fd;

	snprintf(path, sizeof(path), "%s/redline/write.lock", f->path);
	fd = open(path, O_RDWR | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_SH), 0);
	return fd;
}

static size_t count_loose(const fixture *f)
{
	char dir[256];
	size_t n = 0;

	for (int i = 0; i < 256; i++) {
		DIR *d;
		struct dirent *e;

		snprintf(dir, sizeof(dir), "%s/objects/%02x", f->path, i);
		if (!(d = opendir(dir)))
			continue;
		while ((e = readdir(d)) != NULL)
			n += strlen(e->d_name) == 38;
		closedir(d);
	}
	return n;
}

static void age_loose_objects(const fixture *f, int64_t age)
{
	char dir[256], path[400];

	for (int i = 0; i < 256; i++) {
		DIR *d;
		struct dirent *e;

		snprintf(dir, sizeof(dir), "%s/objects/%02x", f->path, i);
		if (!(d = opendir(dir)))
			continue;
		while ((e = readdir(d)) != NULL)
			if (strlen(e->d_name) == 38) {
				snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
				touch(path, age);
			}
		closedir(d);
	}
}

static void killed_writers_ref_lock_is_recovered(void **state)
{
	fixture *f = *state;
	char c1[41], c2[41], tip[41], lock[200];
	rl_error err;

	assert_int_equal(commit(f->a, "wp", "", 1000, "one\n", c1), 0);
	/* A writer killed between libgit2's lock and its rename left this. */
	snprintf(lock, sizeof(lock), "%s/refs/heads/wp.lock", f->path);
	touch(lock, 0);
	assert_int_equal(commit(f->a, "wp", c1, 2000, "two\n", c2), 0);
	assert_false(exists(lock));
	assert_int_equal(rl_archive_tip(f->a, "wp", tip, &err), 0);
	assert_string_equal(tip, c2);
	/* A new branch too. */
	snprintf(lock, sizeof(lock), "%s/refs/heads/fresh.lock", f->path);
	touch(lock, 0);
	assert_int_equal(commit(f->a, "fresh", "", 1000, "one\n", c1), 0);
	assert_false(exists(lock));
}

static void live_writers_lock_is_respected(void **state)
{
	fixture *f = *state;
	char c1[41], c2[41], tip[41], lock[200];
	rl_error err;
	int other;

	assert_int_equal(commit(f->a, "wp", "", 1000, "one\n", c1), 0);
	snprintf(lock, sizeof(lock), "%s/refs/heads/wp.lock", f->path);
	touch(lock, 0);
	other = busy_writer(f);
	/* A fresh lock while another writer is inside an update: its own. */
	assert_int_equal(commit(f->a, "wp", c1, 2000, "two\n", c2), RL_ECONFLICT);
	assert_true(exists(lock));
	assert_int_equal(rl_archive_tip(f->a, "wp", tip, &err), 0);
	assert_string_equal(tip, c1);
	/* Older than any update takes: stale even beside a busy writer. */
	touch(lock, 120);
	assert_int_equal(commit(f->a, "wp", c1, 2000, "two\n", c2), 0);
	assert_false(exists(lock));
	close(other);
}

static void any_ref_moves_by_cas(void **state)
{
	fixture *f = *state;
	char c1[41], c2[41], lock[200];
	rl_error err;

	assert_int_equal(commit(f->a, "wp", "", 1000, "one\n", c1), 0);
	assert_int_equal(commit(f->a, "wp", c1, 2000, "two\n", c2), 0);
	assert_int_equal(
	    rl_archive_ref_cas(f->a, "refs/redline/notified/hook/wp", c1, NULL, "n", &err), 0);
	snprintf(lock, sizeof(lock), "%s/refs/redline/notified/hook/wp.lock", f->path);
	touch(lock, 0);
	assert_int_equal(
	    rl_archive_ref_cas(f->a, "refs/redline/notified/hook/wp", c2, c1, "n", &err), 0);
	assert_false(exists(lock));
	/* Moving from a value it no longer has is a conflict. */
	assert_int_equal(
	    rl_archive_ref_cas(f->a, "refs/redline/notified/hook/wp", c1, c1, "n", &err),
	    RL_ECONFLICT);
	assert_int_equal(
	    rl_archive_ref_cas(f->a, "refs/redline/notified/hook/wp", c1, NULL, "n", &err),
	    RL_ECONFLICT);
	assert_int_equal(rl_archive_ref_cas(f->a, "HEAD", c1, NULL, "n", &err), RL_EINVALID);
	assert_int_equal(rl_archive_ref_cas(f->a, "refs/heads/x", "nothex", NULL, "n", &err),
			 RL_EINVALID);
}

static void recover_sweeps_what_killed_processes_left(void **state)
{
	fixture *f = *state;
	char c1[41], path[4][200];
	rl_recover_stats st;
	rl_error err;
	pid_t dead = fork();

	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	assert_int_equal(commit(f->a, "wp", "", 1000, "one\n", c1), 0);
	snprintf(path[0], sizeof(path[0]), "%s/refs/heads/wp.lock", f->path);
	snprintf(path[1], sizeof(path[1]), "%s/packed-refs.lock", f->path);
	snprintf(path[2], sizeof(path[2]), "%s/redline/wp.json.tmp.%ld", f->path, (long)dead);
	snprintf(path[3], sizeof(path[3]), "%s/objects/tmp_object_git2_AbCdEf", f->path);
	for (int i = 0; i < 4; i++)
		touch(path[i], i == 3 ? 7200 : 0);
	assert_int_equal(rl_archive_recover(f->a, 3600, &st, &err), 0);
	assert_int_equal(st.ref_locks, 2);
	assert_int_equal(st.temp_files, 2);
	for (int i = 0; i < 4; i++)
		assert_false(exists(path[i]));
	/* A fresh temporary object file may be a writer's, in flight. */
	touch(path[3], 0);
	assert_int_equal(rl_archive_recover(f->a, 3600, &st, &err), 0);
	assert_true(exists(path[3]));
}

/* A file's size read from its object's header (rl_archive_read_size) is
 * what reading it gives, loose and packed (where gc may store a version
 * as a delta of another, whose header holds the delta's size). */
static void sizes_read_from_headers_packed_or_not(void **state)
{
	fixture *f = *state;
	char v[3][41];
	rl_buf text = RL_BUF_INIT, big = RL_BUF_INIT;
	rl_gc_opts opts = {0};
	rl_gc_stats st;
	rl_error err;

	for (int i = 0; i < 2000; i++)
		rl_buf_printf(&big,
			      "Sentence %d of a version that the next one changes by a word.\n", i);
	assert_int_equal(commit(f->a, "s", "", 100, rl_buf_cstr(&big), v[0]), 0);
	memcpy(big.ptr + big.len / 2, "CHANGED", 7);
	assert_int_equal(commit(f->a, "s", v[0], 200, rl_buf_cstr(&big), v[1]), 0);
	rl_buf_puts(&big, "And a last sentence.\n");
	assert_int_equal(commit(f->a, "s", v[1], 300, rl_buf_cstr(&big), v[2]), 0);
	for (int round = 0; round < 2; round++) {
		for (int k = 0; k < 3; k++) {
			size_t size = 0;

			rl_buf_reset(&text);
			assert_int_equal(rl_archive_read(f->a, v[k], "text.md", &text, &err), 0);
			assert_int_equal(rl_archive_read_size(f->a, v[k], "text.md", &size, &err),
					 0);
			assert_int_equal(size, text.len);
			assert_true(size > 100000);
		}
		if (round == 0) {
			assert_int_equal(rl_archive_gc(f->a, &opts, &st, &err), 0);
			assert_int_equal(count_loose(f), 0); /* all in the pack now */
		}
	}
	rl_buf_free(&text);
	rl_buf_free(&big);
}

static void gc_packs_and_prunes_only_old_unreachable(void **state)
{
	fixture *f = *state;
	char a[3][41], b[3][41], lost[41], tip[41];
	rl_version_list l = {0};
	rl_gc_stats st;
	rl_gc_opts opts = {0};
	rl_buf text = RL_BUF_INIT;
	rl_archive *other;
	rl_error err;

	assert_int_equal(commit(f->a, "a", "", 100, "a one\n", a[0]), 0);
	assert_int_equal(commit(f->a, "b", "", 150, "b one\n", b[0]), 0);
	for (int i = 1; i < 3; i++) {
		char t[32];

		snprintf(t, sizeof(t), "a version %d\n", i);
		assert_int_equal(commit(f->a, "a", a[i - 1], 100 + 100 * i, t, a[i]), 0);
		snprintf(t, sizeof(t), "b version %d\n", i);
		assert_int_equal(commit(f->a, "b", b[i - 1], 150 + 100 * i, t, b[i]), 0);
	}
	/* A writer that lost the race leaves unreferenced objects behind. */
	assert_int_equal(commit(f->a, "a", a[0], 900, "lost\n", lost), RL_ECONFLICT);
	assert_true(count_loose(f) > 0);

	assert_int_equal(rl_archive_gc(f->a, &opts, &st, &err), 0);
	assert_int_equal(st.refs, 2);
	assert_int_equal(st.commits, 6);
	assert_true(st.objects >= 6 + 6 + 2);
	assert_true(st.pack_bytes > 0);
	assert_true(st.refs_packed);
	/* The lost version's commit, tree and blob are fresh: kept. */
	assert_int_equal(st.pruned, 0);
	assert_true(st.kept_fresh >= 3);
	assert_int_equal(count_loose(f), st.kept_fresh);

	/* Everything reads back, through this handle and a new one. */
	assert_int_equal(rl_archive_log(f->a, "a", 0, &l, &err), 0);
	assert_int_equal(l.n, 3);
	rl_version_list_free(&l);
	assert_int_equal(rl_archive_open(&other, f->path, &err), 0);
	assert_int_equal(rl_archive_log_all(other, 0, &l, &err), 0);
	assert_int_equal(l.n, 6);
	assert_string_equal(l.v[0].commit, b[2]);
	rl_version_list_free(&l);
	assert_int_equal(rl_archive_read(other, a[1], "text.md", &text, &err), 0);
	assert_string_equal(rl_buf_cstr(&text), "a version 1\n");
	rl_archive_free(other);

	/* Once older than the grace period they go; nothing loose is left. */
	age_loose_objects(f, 2 * RL_GC_GRACE_DEFAULT);
	assert_int_equal(rl_archive_gc(f->a, &opts, &st, &err), 0);
	assert_true(st.pruned >= 3);
	assert_int_equal(st.kept_fresh, 0);
	assert_int_equal(count_loose(f), 0);
	assert_int_equal(rl_archive_tip(f->a, "a", tip, &err), 0);
	assert_string_equal(tip, a[2]);
	rl_buf_free(&text);
}

static void gc_replaces_its_old_pack(void **state)
{
	fixture *f = *state;
	char c[3][41], path[300];
	rl_gc_stats st;
	rl_gc_opts opts = {0};
	rl_version_list l = {0};
	rl_error err;
	DIR *d;
	struct dirent *e;
	int packs = 0;

	assert_int_equal(commit(f->a, "wp", "", 1000, "one\n", c[0]), 0);
	assert_int_equal(rl_archive_gc(f->a, &opts, &st, &err), 0);
	assert_int_equal(commit(f->a, "wp", c[0], 2000, "two\n", c[1]), 0);
	assert_int_equal(commit(f->a, "wp", c[1], 3000, "three\n", c[2]), 0);
	assert_int_equal(rl_archive_gc(f->a, &opts, &st, &err), 0);
	assert_int_equal(st.packs_removed, 1);
	assert_int_equal(st.commits, 3);
	snprintf(path, sizeof(path), "%s/objects/pack", f->path);
	d = opendir(path);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		packs += strstr(e->d_name, ".pack") != NULL;
	closedir(d);
	assert_int_equal(packs, 1);
	snprintf(path, sizeof(path), "%s/objects/info/commit-graph", f->path);
	assert_true(exists(path));
	assert_int_equal(rl_archive_log(f->a, "wp", 0, &l, &err), 0);
	assert_int_equal(l.n, 3);
	rl_version_list_free(&l);
	/* --prune=now with nothing unreachable changes nothing. */
	opts.prune_now = 1;
	assert_int_equal(rl_archive_gc(f->a, &opts, &st, &err), 0);
	assert_int_equal(st.pruned, 0);
	assert_int_equal(count_loose(f), 0);
}

static void incremental_gc_packs_only_what_is_new(void **state)
{
	fixture *f = *state;
	char tip[41] = "", c[41];
	rl_gc_stats st;
	rl_gc_opts opts = {0};
	rl_version_list l = {0};
	rl_error err;
	size_t full_objects;

	for (int i = 0; i < 5; i++) {
		char t[32];

		snprintf(t, sizeof(t), "version %d\n", i);
		assert_int_equal(commit(f->a, "wp", tip, 1000 + i, t, c), 0);
		memcpy(tip, c, sizeof(tip));
	}
	opts.incremental = 1;
	/* No pack yet: the first gc is a full one. */
	assert_int_equal(rl_archive_gc(f->a, &opts, &st, &err), 0);
	assert_true(st.full);
	full_objects = st.objects;
	/* One new version: its commit, root tree and text; raw/ is unchanged. */
	for (int round = 0; round < RL_GC_PACKS_MAX - 1; round++) {
		char t[32];

		snprintf(t, sizeof(t), "round %d\n", round);
		assert_int_equal(commit(f->a, "wp", tip, 2000 + round, t, c), 0);
		memcpy(tip, c, sizeof(tip));
		assert_int_equal(rl_archive_gc(f->a, &opts, &st, &err), 0);
		assert_false(st.full);
		assert_int_equal(st.objects, 3);
		assert_int_equal(st.packs_removed, 0);
		assert_int_equal(count_loose(f), 0);
	}
	assert_int_equal(rl_archive_log(f->a, "wp", 0, &l, &err), 0);
	assert_int_equal(l.n, 5 + RL_GC_PACKS_MAX - 1);
	rl_version_list_free(&l);
	/* At RL_GC_PACKS_MAX packs an incremental gc repacks everything. */
	assert_int_equal(commit(f->a, "wp", tip, 9000, "last\n", c), 0);
	assert_int_equal(rl_archive_gc(f->a, &opts, &st, &err), 0);
	assert_true(st.full);
	assert_int_equal(st.packs, RL_GC_PACKS_MAX);
	assert_int_equal(st.packs_removed, RL_GC_PACKS_MAX);
	assert_true(st.objects > full_objects);
	assert_int_equal(st.commits, 5 + RL_GC_PACKS_MAX);
}

static void one_gc_at_a_time(void **state)
{
	fixture *f = *state;
	char c1[41], path[200];
	rl_gc_stats st;
	rl_error err;
	int fd;

	assert_int_equal(commit(f->a, "wp", "", 1000, "one\n", c1), 0);
	snprintf(path, sizeof(path), "%s/redline/gc.lock", f->path);
	fd = open(path, O_RDWR | O_CREAT, 0644);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	assert_int_equal(rl_archive_gc(f->a, NULL, &st, &err), RL_ECONFLICT);
	assert_non_null(strstr(err.message, "another gc"));
	close(fd);
	assert_int_equal(rl_archive_gc(f->a, NULL, &st, &err), 0);
}

static void loose_estimate_counts(void **state)
{
	fixture *f = *state;
	char tip[41] = "", c[41];
	size_t n = 0;
	rl_error err;

	for (int i = 0; i < 40; i++) {
		char t[32];

		snprintf(t, sizeof(t), "version %d\n", i);
		assert_int_equal(commit(f->a, "wp", tip, 1000 + i, t, c), 0);
		memcpy(tip, c, sizeof(tip));
	}
	assert_int_equal(rl_archive_loose_estimate(f->a, &n, &err), 0);
	/* 40 versions, 3 new objects each: few enough to be counted exactly. */
	assert_int_equal(n, count_loose(f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(killed_writers_ref_lock_is_recovered, setup, teardown),
	    cmocka_unit_test_setup_teardown(live_writers_lock_is_respected, setup, teardown),
	    cmocka_unit_test_setup_teardown(any_ref_moves_by_cas, setup, teardown),
	    cmocka_unit_test_setup_teardown(recover_sweeps_what_killed_processes_left, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(sizes_read_from_headers_packed_or_not, setup, teardown),
	    cmocka_unit_test_setup_teardown(gc_packs_and_prunes_only_old_unreachable, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(gc_replaces_its_old_pack, setup, teardown),
	    cmocka_unit_test_setup_teardown(incremental_gc_packs_only_what_is_new, setup, teardown),
	    cmocka_unit_test_setup_teardown(one_gc_at_a_time, setup, teardown),
	    cmocka_unit_test_setup_teardown(loose_estimate_counts, setup, teardown),
	};
	int rc;

	git_libgit2_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
