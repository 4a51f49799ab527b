/* Unit tests: buffers, string vectors, durations, sizes, ids, time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "redline/buf.h"
#include "redline/error.h"
#include "redline/strv.h"
#include "redline/util.h"

#include "scratch-archive.h"

static void buf_appends_and_keeps_nul_bytes(void **state)
{
	rl_buf b = RL_BUF_INIT;

	(void)state;
	assert_int_equal(rl_buf_put(&b, "a\0b", 3), 0);
	assert_int_equal(rl_buf_printf(&b, "-%d-", 42), 0);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.ptr, "a\0b-42-", 7);
	rl_buf_truncate(&b, 1);
	assert_string_equal(rl_buf_cstr(&b), "a");
	rl_buf_free(&b);
	assert_string_equal(rl_buf_cstr(&b), "");
}

/* A buffer sized once for a whole text takes that much room, not the
 * next power of two (a megabyte text took two); appended to a byte at a
 * time, it still at least doubles, so each byte is copied a bounded
 * number of times. */
static void buf_room_is_what_is_asked_or_double(void **state)
{
	const size_t text = ((size_t)1 << 20) + 12345;
	rl_buf b = RL_BUF_INIT;
	size_t grown = 0, cap;

	(void)state;
	assert_int_equal(rl_buf_grow(&b, text), 0);
	assert_true(b.cap >= text + 1);
	assert_true(b.cap < text + text / 8);
	rl_buf_free(&b);
	for (size_t i = 0; i < 100000; i++) {
		cap = b.cap;
		assert_int_equal(rl_buf_putc(&b, 'x'), 0);
		if (b.cap != cap) {
			assert_true(b.cap >= 2 * cap);
			grown++;
		}
	}
	assert_true(grown <= 12); /* 64 bytes doubled to 128 KiB */
	assert_int_equal(b.len, 100000);
	rl_buf_free(&b);
}

/* A file of n bytes at path, NULs among them; its bytes (n + 1 room). */
static char *sized_file(const char *path, size_t n)
{
	char *data = malloc(n + 1);
	rl_error err;

	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7 % 251);
	assert_int_equal(rl_file_write_atomic(path, data, n, &err), 0);
	return data;
}

/* A file's bytes, NULs included, appended to what the buffer holds,
 * whatever its size against the buffer's; not regular files (read to
 * their end, having no size), directories and missing files. */
/* An array grown an element at a time has room for its first ones, then
 * twice its room each time it is full, and keeps what it held. */
static void arrays_grow_to_twice_their_room(void **state)
{
	int *v = NULL, *w;
	size_t cap = 0;

	(void)state;
	for (size_t n = 0; n < 100; n++) {
		size_t before = cap;

		w = rl_room_for_one(v, &cap, n, sizeof(*v), 8);
		assert_non_null(w);
		assert_true(cap > n);
		assert_int_equal(cap, n < before ? before : before ? 2 * before : 8);
		v = w;
		v[n] = (int)n * 3;
	}
	assert_int_equal(cap, 128);
	for (int n = 0; n < 100; n++)
		assert_int_equal(v[n], n * 3);
	free(v);
}

static void files_are_read_whole(void **state)
{
	static const size_t sizes[] = {0, 1, 63, 64, 65535, 65536, 65537, 300001};
	char dir[] = "/tmp/redline-test-util-XXXXXX", path[64];
	rl_buf b = RL_BUF_INIT;
	rl_error err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		char *data = sized_file(path, sizes[k]);

		rl_buf_reset(&b);
		assert_int_equal(rl_buf_puts(&b, "kept"), 0);
		assert_int_equal(rl_file_read(path, &b, &err), 0);
		assert_int_equal(b.len, 4 + sizes[k]);
		assert_memory_equal(b.ptr, "kept", 4);
		if (sizes[k])
			assert_memory_equal(b.ptr + 4, data, sizes[k]);
		assert_int_equal(b.ptr[b.len], '\0');
		free(data);
	}
	/* an empty file into an empty buffer is the empty string */
	assert_int_equal(rl_file_write_atomic(path, "", 0, &err), 0);
	rl_buf_free(&b);
	assert_int_equal(rl_buf_grow(&b, 100), 0);
	memset(b.ptr, 'x', 100); /* what a fresh allocation may hold */
	assert_int_equal(rl_file_read(path, &b, &err), 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(rl_buf_cstr(&b), "");
	/* no size to go by: read to the end */
	rl_buf_reset(&b);
	assert_int_equal(rl_file_read("/proc/self/status", &b, &err), 0);
	assert_non_null(strstr(rl_buf_cstr(&b), "Name:"));
	assert_int_equal(strlen(rl_buf_cstr(&b)), b.len);
	assert_int_equal(rl_file_read(dir, &b, &err), RL_EIO);
	assert_non_null(strstr(err.message, "Is a directory"));
	assert_non_null(strstr(err.message, dir));
	unlink(path);
	assert_int_equal(rl_file_read(path, &b, &err), RL_ENOTFOUND);
	assert_non_null(strstr(err.message, path));
	rmdir(dir);
	rl_buf_free(&b);
}

/* A file's bytes in place: mapped where it can be, read where not (a
 * file that fills its last page, not a regular file); its bytes then a
 * NUL either way, and the errors of rl_file_read. */
static void file_bytes_are_mapped_or_read(void **state)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t sizes[] = {0, 1, 4095, page, page + 1, 3 * page, 300001};
	char dir[] = "/tmp/redline-test-util-XXXXXX", path[64];
	rl_file_bytes f;
	rl_error err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		char *data = sized_file(path, sizes[k]);

		assert_int_equal(rl_file_bytes_get(path, &f, &err), 0);
		assert_int_equal(f.len, sizes[k]);
		assert_memory_equal(f.data, data, sizes[k]);
		assert_int_equal(f.data[f.len], '\0');
		/* mapped unless empty or ending at a page's end */
		assert_int_equal(f.mapped != 0, sizes[k] % page != 0);
		rl_file_bytes_free(&f);
		free(data);
	}
	assert_int_equal(rl_file_bytes_get("/proc/self/status", &f, &err), 0);
	assert_int_equal(f.mapped, 0);
	assert_non_null(strstr(f.data, "Name:"));
	rl_file_bytes_free(&f);
	assert_int_equal(rl_file_bytes_get(dir, &f, &err), RL_EIO);
	assert_non_null(strstr(err.message, "Is a directory"));
	unlink(path);
	assert_int_equal(rl_file_bytes_get(path, &f, &err), RL_ENOTFOUND);
	assert_non_null(strstr(err.message, path));
	rl_file_bytes_free(&f);
	rmdir(dir);
}

static void durations_take_units(void **state)
{
	static const struct {
		const char *in;
		int64_t secs;
	} ok[] = {{"30s", 30}, {"6h", 21600}, {"1d", 86400}, {"90", 90}, {"5m", 300}};
	static const char *bad[] = {"", "h", "-1s", "6x", "1.5h", "99999999999999999999d"};
	int64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(rl_parse_duration(ok[i].in, &v), 0);
		assert_int_equal(v, ok[i].secs);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rl_parse_duration(bad[i], &v), -1);
}

static void sizes_take_binary_units(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(rl_parse_size("64MiB", &v), 0);
	assert_int_equal(v, 64 * 1024 * 1024);
	assert_int_equal(rl_parse_size("512KiB", &v), 0);
	assert_int_equal(v, 512 * 1024);
	assert_int_equal(rl_parse_size("12MB", &v), -1);
}

static void source_ids_must_be_branch_names(void **state)
{
	static const char *good[] = {"rok-dwp-2020", "a", "tos_v2", "x.y"};
	static const char *bad[] = {"", "-x", "a b", "a/b", "a..b", "x.lock", "main", "é", "a."};
	rl_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(rl_source_id_valid(good[i], &err), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(rl_source_id_valid(bad[i], &err), RL_EINVALID);
		assert_non_null(strstr(err.message, "source id"));
	}
}

static void time_round_trips(void **state)
{
	int64_t t;
	char iso[32];

	(void)state;
	assert_int_equal(rl_time_parse("2026-11-01", &t), 0);
	rl_time_iso(t, iso);
	assert_string_equal(iso, "2026-11-01T00:00:00Z");
	assert_int_equal(rl_time_parse("2026-11-01T12:30:05Z", &t), 0);
	rl_time_iso(t, iso);
	assert_string_equal(iso, "2026-11-01T12:30:05Z");
	assert_int_equal(rl_time_parse("yesterday", &t), -1);
}

static void error_prefix_keeps_context(void **state)
{
	rl_error err;

	(void)state;
	rl_error_set(&err, RL_EFETCH, "HTTP %d from %s", 503, "http://x/");
	assert_int_equal(rl_error_prefix(&err, "source '%s'", "wp"), RL_EFETCH);
	assert_string_equal(err.message, "source 'wp': HTTP 503 from http://x/");
}

/* The first byte that is not UTF-8: a spelt-out U+FFFD is text, a lone
 * Latin-1 byte, an overlong form, a surrogate or a cut sequence is not. */
static void utf8_bad_bytes_are_found(void **state)
{
	static const char good[] = "caf\xc3\xa9 \xef\xbf\xbd \xf0\x9f\x93\x84 ok";

	(void)state;
	assert_int_equal(rl_utf8_invalid_at(good, strlen(good)), strlen(good));
	assert_int_equal(rl_utf8_invalid_at("caf\xe9 paper", 10), 3);
	assert_int_equal(rl_utf8_invalid_at("a\xc0\xaf"
					    "b",
					    4),
			 1);                                          /* overlong '/' */
	assert_int_equal(rl_utf8_invalid_at("ab\xed\xa0\x80", 5), 2); /* a surrogate */
	assert_int_equal(rl_utf8_invalid_at("abc\xe2\x82", 5), 3);    /* cut short */
	assert_int_equal(rl_utf8_invalid_at("", 0), 0);
}

static void strv_grows(void **state)
{
	rl_strv s = RL_STRV_INIT;

	(void)state;
	for (int i = 0; i < 100; i++)
		assert_int_equal(rl_strv_pushf(&s, "item %d", i), 0);
	assert_int_equal(s.n, 100);
	assert_null(s.v[100]);
	assert_true(rl_strv_contains(&s, "item 99"));
	assert_false(rl_strv_contains(&s, "item 100"));
	rl_strv_free(&s);
}

/* A file of the fake sysfs root, its directories made first. */
static void sys_file(const char *root, const char *dir, const char *name, const char *text)
{
	char path[512];
	rl_error err;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	assert_int_equal(rl_mkdir_p(path, 0755, &err), 0);
	snprintf(path, sizeof(path), "%s/%s/%s", root, dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The features of this machine's devices as sysfs shows them: bit 0
 * first, 64 of them. */
#define NET_FEATURES    "1100010110111011000000000000010010000000000000000000000000000000\n"
#define BALLOON_REPORTS "0110010100000000000000000000000010000000000000000000000000000000\n"
#define BALLOON_QUIET   "0110000100000000000000000000000010000000000000000000000000000000\n"

static void free_memory_reported_by_a_balloon(void **state)
{
	char root[] = "/tmp/rl-sysfs.XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(root));
	/* no virtio, no Hyper-V: nothing reported */
	assert_int_equal(rl_free_memory_reported(root), 0);
	/* a network card with bit 5 set is not a balloon */
	sys_file(root, "bus/virtio/devices/virtio2", "device", "0x0001\n");
	sys_file(root, "bus/virtio/devices/virtio2", "features", NET_FEATURES);
	assert_int_equal(rl_free_memory_reported(root), 0);
	/* a balloon that does not report, nor one whose features are
	 * unreadable or short */
	sys_file(root, "bus/virtio/devices/virtio0", "device", "0x0005\n");
	assert_int_equal(rl_free_memory_reported(root), 0);
	sys_file(root, "bus/virtio/devices/virtio0", "features", "01100\n");
	assert_int_equal(rl_free_memory_reported(root), 0);
	sys_file(root, "bus/virtio/devices/virtio0", "features", BALLOON_QUIET);
	assert_int_equal(rl_free_memory_reported(root), 0);
	/* one that reports */
	sys_file(root, "bus/virtio/devices/virtio0", "features", BALLOON_REPORTS);
	assert_int_equal(rl_free_memory_reported(root), 1);
	assert_int_equal(scratch_archive_remove(root, NULL), 0);

	/* Hyper-V's balloon driver */
	assert_non_null(mkdtemp(strcpy(root, "/tmp/rl-sysfs.XXXXXX")));
	assert_int_equal(rl_free_memory_reported(root), 0);
	sys_file(root, "bus/vmbus/drivers/hv_balloon", "uevent", "DRIVER=hv_balloon\n");
	assert_int_equal(rl_free_memory_reported(root), 1);
	assert_int_equal(scratch_archive_remove(root, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(buf_appends_and_keeps_nul_bytes),
	    cmocka_unit_test(buf_room_is_what_is_asked_or_double),
	    cmocka_unit_test(arrays_grow_to_twice_their_room),
	    cmocka_unit_test(files_are_read_whole),
	    cmocka_unit_test(file_bytes_are_mapped_or_read),
	    cmocka_unit_test(durations_take_units),
	    cmocka_unit_test(sizes_take_binary_units),
	    cmocka_unit_test(source_ids_must_be_branch_names),
	    cmocka_unit_test(time_round_trips),
	    cmocka_unit_test(error_prefix_keeps_context),
	    cmocka_unit_test(utf8_bad_bytes_are_found),
	    cmocka_unit_test(strv_grows),
	    cmocka_unit_test(free_memory_reported_by_a_balloon),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
