/* Unit tests: notification pieces a user relies on without seeing them:
 * the exec line split (no shell), the HMAC (RFC 4231 vectors), secret
 * files that others can read, exec hooks that hang or refuse, webhooks
 * whose answers never show a URL's path, and cursors that move only by
 * compare-and-swap and only forward. */
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
#include <curl/curl.h>
#include <git2.h>

#include "redline/cursor.h"
#include "redline/notify.h"
#include "redline/util.h"
#include "scratch-archive.h"

typedef struct split_case {
	const char *line;
	const char *want[12]; /* NULL-terminated */
} split_case;

static void exec_lines_split_like_a_shell_without_one(void **state)
{
	static const split_case cases[] = {
	    {"/bin/prog", {"/bin/prog"}},
	    {"  /bin/prog   a\tb  ", {"/bin/prog", "a", "b"}},
	    {"prog 'two words' \"it's\"", {"prog", "two words", "it's"}},
	    {"prog ; rm -rf / && x | y", {"prog", ";", "rm", "-rf", "/", "&&", "x", "|", "y"}},
	    {"prog $HOME ~ * `id` $(id)", {"prog", "$HOME", "~", "*", "`id`", "$(id)"}},
	    {"prog \"a \\\"b\\\" \\$c \\n\"", {"prog", "a \"b\" $c \\n"}},
	    {"prog a\\ b 'c'd\"e\"", {"prog", "a b", "cde"}},
	    {"prog '' \"\"", {"prog", "", ""}},
	    {"prog 'back\\slash'", {"prog", "back\\slash"}},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rl_strv v = RL_STRV_INIT;
		rl_error err;
		size_t n = 0;

		assert_int_equal(rl_exec_split(cases[i].line, &v, &err), 0);
		while (cases[i].want[n])
			n++;
		assert_int_equal(v.n, n);
		for (size_t k = 0; k < n; k++)
			assert_string_equal(v.v[k], cases[i].want[k]);
		rl_strv_free(&v);
	}
}

static void broken_exec_lines_are_refused(void **state)
{
	static const char *bad[] = {"prog 'open", "prog \"open", "prog trailing\\", "", "   "};
	rl_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rl_strv v = RL_STRV_INIT;

		assert_int_equal(rl_exec_split(bad[i], &v, &err), RL_ECONFIG);
		assert_non_null(strstr(err.message, "exec"));
		rl_strv_free(&v);
	}
}

static void hmac_matches_rfc4231(void **state)
{
	char hex[65];
	unsigned char key[131];

	(void)state;
	/* RFC 4231, test cases 2 and 6 (a key longer than the block). */
	assert_int_equal(rl_hmac_sha256_hex("Jefe", 4, "what do ya want for nothing?", 28, hex), 0);
	assert_string_equal(hex,
			    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(key, 0xaa, sizeof(key));
	assert_int_equal(
	    rl_hmac_sha256_hex(key, sizeof(key),
			       "Test Using Larger Than Block-Size Key - Hash Key First", 54, hex),
	    0);
	assert_string_equal(hex,
			    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void secret_files_others_can_read_are_refused(void **state)
{
	char path[] = "/tmp/redline-secret.XXXXXX";
	rl_buf b = RL_BUF_INIT;
	rl_error err;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "s3cret-value \n\n", 0644);
	assert_int_equal(rl_secret_read(path, &b, &err), RL_EINVALID);
	assert_non_null(strstr(err.message, path));
	assert_non_null(strstr(err.message, "mode 0644"));
	assert_null(strstr(err.message, "s3cret"));
	assert_int_equal(b.len, 0);

	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(rl_secret_read(path, &b, &err), RL_EINVALID);
	assert_non_null(strstr(err.message, "mode 0640"));

	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(rl_secret_read(path, &b, &err), 0);
	assert_string_equal(rl_buf_cstr(&b), "s3cret-value"); /* trailing blanks go */

	write_file(path, "\n", 0600);
	assert_int_equal(rl_secret_read(path, &b, &err), RL_EINVALID);
	assert_non_null(strstr(err.message, "empty"));
	unlink(path);
	assert_int_equal(rl_secret_read(path, &b, &err), RL_ENOTFOUND);
	rl_buf_free(&b);
}

static rl_delivery *deliver(rl_channel *ch, int64_t timeout_ms)
{
	rl_notify_opts opts = {NULL, timeout_ms};
	rl_notifier *n = NULL;
	rl_notice *notice = NULL;
	rl_delivery *d = NULL;
	rl_error err;

	assert_int_equal(rl_notice_for_test(&notice, ch->name, &err), 0);
	assert_int_equal(rl_notifier_new(&n, &opts, &err), 0);
	assert_int_equal(rl_notifier_send(n, ch, notice, "tag", &err), 0);
	assert_int_equal(rl_notifier_pending(n), 1);
	assert_int_equal(rl_notifier_wait(n, 10000, &err), 0);
	assert_int_equal(rl_notifier_next(n, &d), 1);
	assert_int_equal(rl_notifier_pending(n), 0);
	rl_notifier_free(n);
	rl_notice_free(notice);
	assert_string_equal(d->tag, "tag");
	assert_string_equal(d->channel, ch->name);
	return d;
}

static void exec_hooks_answer_by_exit_status(void **state)
{
	rl_channel ch;
	rl_delivery *d;
	int64_t t0;

	(void)state;
	memset(&ch, 0, sizeof(ch));
	ch.name = "hook";
	ch.exec = "/bin/sh -c 'cat >/dev/null; echo fine'";
	d = deliver(&ch, 5000);
	assert_true(d->ok);
	assert_string_equal(d->answer, "exec /bin/sh: exit 0");
	rl_delivery_free(d);

	ch.exec = "/bin/sh -c 'echo \"no thanks\"; exit 4'";
	d = deliver(&ch, 5000);
	assert_false(d->ok);
	assert_string_equal(d->answer, "exec /bin/sh: exit 4: no thanks");
	rl_delivery_free(d);

	/* A hook that never reads its stdin nor exits is killed on time,
	 * with what it started. */
	ch.exec = "/bin/sh -c 'sleep 30 & sleep 30'";
	t0 = rl_now_ms();
	d = deliver(&ch, 300);
	assert_false(d->ok);
	assert_non_null(strstr(d->answer, "killed"));
	assert_true(rl_now_ms() - t0 < 5000);
	rl_delivery_free(d);

	ch.exec = "/nonexistent/hook";
	d = deliver(&ch, 5000);
	assert_false(d->ok);
	assert_string_equal(d->answer, "exec /nonexistent/hook: exit 127");
	rl_delivery_free(d);
}

static void webhook_answers_show_no_path(void **state)
{
	rl_channel ch;
	rl_delivery *d;

	(void)state;
	memset(&ch, 0, sizeof(ch));
	ch.name = "web";
	/* Port 9 on loopback: nobody listens in a test machine. */
	ch.webhook = "http://127.0.0.1:9/hooks/T0KEN-in-the-path?key=s3cret";
	d = deliver(&ch, 2000);
	assert_false(d->ok);
	assert_non_null(strstr(d->answer, "http://127.0.0.1:9:"));
	assert_null(strstr(d->answer, "T0KEN"));
	assert_null(strstr(d->answer, "s3cret"));
	rl_delivery_free(d);
}

static void channel_with_unreadable_secret_starts_nothing(void **state)
{
	rl_notify_opts opts = {NULL, 1000};
	rl_notifier *n = NULL;
	rl_notice *notice = NULL;
	rl_channel ch;
	rl_error err;

	(void)state;
	memset(&ch, 0, sizeof(ch));
	ch.name = "web";
	ch.webhook = "http://127.0.0.1:9/x";
	ch.secret_file = "/nonexistent/secret";
	assert_int_equal(rl_notice_for_test(&notice, ch.name, &err), 0);
	assert_int_equal(rl_notifier_new(&n, &opts, &err), 0);
	assert_int_equal(rl_notifier_send(n, &ch, notice, NULL, &err), RL_ENOTFOUND);
	assert_non_null(strstr(err.message, "channel 'web': secret-file: /nonexistent/secret"));
	assert_int_equal(rl_notifier_pending(n), 0);
	rl_notifier_free(n);
	rl_notice_free(notice);
}

static void cursors_move_by_compare_and_swap(void **state)
{
	char dir[SCRATCH_DIR_LEN], c1[41], c2[41], cur[41];
	rl_file files[] = {{"text.md", "one\n", 4}};
	rl_commit_req req = {"wp", "", 1000, "wp: first\n\nRedline-Change: initial\n", files, 1};
	rl_archive *a = NULL;
	rl_version v;
	size_t pending;
	rl_error err;

	(void)state;
	assert_int_equal(scratch_archive_init("cursor", dir, NULL, &a), 0);
	assert_int_equal(rl_archive_commit(a, &req, c1, &err), 0);
	req.expected_tip = c1;
	req.time = 2000;
	req.message = "wp: 1 word changed\n\nRedline-Change: wording\n";
	files[0].data = "two\n";
	assert_int_equal(rl_archive_commit(a, &req, c2, &err), 0);

	/* No cursor: the whole history is owed, oldest first. */
	assert_int_equal(rl_cursor_get(a, "ops", "wp", cur, &err), RL_ENOTFOUND);
	assert_int_equal(rl_cursor_next(a, "ops", "wp", cur, &v, &pending, &err), 1);
	assert_string_equal(v.commit, c1);
	assert_string_equal(v.change, "initial");
	assert_int_equal(pending, 2);
	rl_version_clear(&v);

	assert_int_equal(rl_cursor_set(a, "ops", "wp", "", c1, &err), 0);
	assert_int_equal(rl_cursor_set(a, "ops", "wp", "", c2, &err), RL_ECONFLICT);
	assert_int_equal(rl_cursor_get(a, "ops", "wp", cur, &err), 0);
	assert_string_equal(cur, c1);
	assert_int_equal(rl_cursor_next(a, "ops", "wp", cur, &v, &pending, &err), 1);
	assert_string_equal(v.commit, c2);
	assert_string_equal(v.parent, c1);
	assert_string_equal(v.subject, "wp: 1 word changed");
	assert_int_equal(pending, 1);
	rl_version_clear(&v);
	assert_int_equal(rl_cursor_set(a, "ops", "wp", c2, c2, &err), RL_ECONFLICT);
	assert_int_equal(rl_cursor_set(a, "ops", "wp", c1, c2, &err), 0);
	assert_int_equal(rl_cursor_next(a, "ops", "wp", c2, &v, &pending, &err), 0);
	assert_int_equal(pending, 0);

	/* A cursor off the branch is an error, not a redelivery of all. */
	req.source = "other";
	req.expected_tip = "";
	assert_int_equal(rl_archive_commit(a, &req, c1, &err), 0);
	assert_int_equal(rl_cursor_next(a, "ops", "wp", c1, &v, NULL, &err), RL_EINVALID);
	assert_non_null(strstr(err.message, "not on the source's branch"));

	assert_int_equal(rl_cursor_name_check("a b", "wp", &err), RL_ECONFIG);
	assert_int_equal(rl_cursor_name_check("a/b", "wp", &err), RL_ECONFIG);
	assert_int_equal(rl_cursor_name_check("ops-1.x", "wp", &err), 0);

	assert_int_equal(rl_cursor_health_get(a, "ops", "wp"), RL_HEALTH_NEVER);
	assert_int_equal(rl_cursor_health_set(a, "ops", "wp", RL_HEALTH_FAILING, &err), 0);
	assert_int_equal(rl_cursor_health_get(a, "ops", "wp"), RL_HEALTH_FAILING);
	assert_int_equal(scratch_archive_remove(dir, a), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(exec_lines_split_like_a_shell_without_one),
	    cmocka_unit_test(broken_exec_lines_are_refused),
	    cmocka_unit_test(hmac_matches_rfc4231),
	    cmocka_unit_test(secret_files_others_can_read_are_refused),
	    cmocka_unit_test(exec_hooks_answer_by_exit_status),
	    cmocka_unit_test(webhook_answers_show_no_path),
	    cmocka_unit_test(channel_with_unreadable_secret_starts_nothing),
	    cmocka_unit_test(cursors_move_by_compare_and_swap),
	};
	int rc;

	git_libgit2_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	git_libgit2_shutdown();
	return rc;
}
