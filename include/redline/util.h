/* Small helpers shared by the library and the programs. */
#ifndef REDLINE_UTIL_H
#define REDLINE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "redline/buf.h"
#include "redline/error.h"

char *rl_strdup(const char *s); /* NULL for NULL */
char *rl_strndup(const char *s, size_t n);
int rl_streq(const char *a, const char *b); /* NULL-safe */
/* v, an array of n elements of size bytes with room for *cap, with room
 * for one more: v itself, or where realloc moved it, twice as large (first
 * elements when it had none). NULL without memory, v kept as it was. */
void *rl_room_for_one(void *v, size_t *cap, size_t n, size_t size, size_t first);

/* "30s", "6h", "1d", "90" (seconds) -> seconds. -1 on a malformed value. */
int rl_parse_duration(const char *s, int64_t *out);
/* "64MiB", "512KiB", "1GiB", "1000" (bytes) -> bytes. */
int rl_parse_size(const char *s, int64_t *out);
/* Renders seconds the way the config takes them ("6h", "90s"). */
void rl_format_duration(int64_t secs, char *out, size_t outlen);

/* Whole files. rl_file_write_atomic writes a temporary file beside path,
 * fsyncs it, renames it over path and fsyncs the directory. */
int rl_file_read(const char *path, rl_buf *out, rl_error *err);
/* A file's bytes read in place: a regular file mapped (its bytes, a NUL
 * after them, never written), anything else read (rl_file_read). On
 * error nothing is left to free. */
typedef struct rl_file_bytes {
	const char *data;
	size_t len;
	size_t mapped; /* bytes mapped, 0: read into buf */
	rl_buf buf;
} rl_file_bytes;
int rl_file_bytes_get(const char *path, rl_file_bytes *out, rl_error *err);
void rl_file_bytes_free(rl_file_bytes *f);
int rl_file_write_atomic(const char *path, const void *data, size_t len, rl_error *err);
int rl_mkdir_p(const char *path, int mode, rl_error *err);

/* sha256 of bytes as 64 lowercase hex digits plus NUL. */
void rl_sha256_hex(const void *data, size_t len, char out[65]);

/* Time: seconds since the epoch, and ISO 8601 in UTC ("2026-11-28T04:18:00Z"). */
int64_t rl_now(void);
int64_t rl_now_ms(void); /* monotonic milliseconds */
void rl_time_iso(int64_t t, char out[32]);
/* Parses "2026-11-01", "2026-11-01T12:00:00Z", "2026-11-01 12:00"; UTC. */
int rl_time_parse(const char *s, int64_t *out);

/* UTF-8: the code point at s[*i], *i moved past it; a byte that does not
 * start a well-formed sequence (RFC 3629: no overlongs, no surrogates)
 * gives U+FFFD and moves one byte. */
int32_t rl_utf8_next(const char *s, size_t len, size_t *i);
/* The offset of the first byte of s that is not well-formed UTF-8, or len. */
size_t rl_utf8_invalid_at(const char *s, size_t len);
/* A precomposed Hangul syllable (U+AC00 to U+D7A3): a letter, neither
 * lower nor upper case, of Sentence_Break OLetter, a starter NFC as it
 * is, and a run of them one word to ICU's word breaker, joining nothing
 * else. The extraction and the differ's tokens know it without asking
 * ICU about each syllable of a Korean text (the Korean edition's
 * extraction 9.1 -> 6.3 ms, its tokens 13.8 -> 3.1 ms); test-segment
 * and test-diff-tokens hold it to ICU. */
static inline int rl_hangul_syllable(int32_t c)
{
	return c >= 0xAC00 && c <= 0xD7A3;
}

/* 1 when c is a combining mark (U+0300 to U+036F) that NFC leaves as it
 * is alone between two ASCII characters: it neither composes with the
 * one before (as U+0300 to U+0304 do with letters, U+0338 with <, = and
 * >) nor is replaced (as U+0340 and U+0341 are). A PDF's text has such
 * marks where its font drew an apostrophe as an accent ("Korea\u0313s"):
 * extraction's NFC and the differ's cosmetic test pass them without
 * ICU. test-segment holds the set to ICU's NFC. */
static inline int rl_mark_stays_after_ascii(int32_t c)
{
	/* a bit per mark from U+0300 */
	static const uint32_t stays[4] = {0xF7FD6020, 0xFEFC9E07, 0xFFFFFFE4, 0x0000FFFF};

	return c >= 0x300 && c <= 0x36F && (stays[(c - 0x300) >> 5] >> ((c - 0x300) & 31) & 1);
}

/* Non-zero when this machine hands free memory back to a hypervisor (a
 * balloon that reports free pages: virtio's, Hyper-V's), as sysfs (NULL:
 * "/sys") shows it: there a block of 2 MiB freed a few seconds ago costs
 * the host's faults again on its next use, and a transparent huge page
 * is such a block (archive/host-memory.c). */
int rl_free_memory_reported(const char *sysfs);

/* Valid source id: it becomes a branch name and a file name. */
int rl_source_id_valid(const char *id, rl_error *err);

#endif
