/* Small shared helpers: strings, durations and sizes, files, hashes, time. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* SHA-256 by OpenSSL's own functions for it (below) where it has them */
#include "sha256-api.h"
#include <openssl/evp.h>

#include "redline/util.h"

#define SOURCE_ID_MAX 100

char *rl_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *rl_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *rl_room_for_one(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t want = *cap ? 2 * *cap : first;
	void *more;

	if (n < *cap)
		return v;
	if (!(more = realloc(v, want * size)))
		return NULL;
	*cap = want;
	return more;
}

int rl_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* A number then an optional unit from units[]; the multiplier of the unit found. */
struct unit {
	const char *name;
	int64_t mult;
};

static int parse_with_units(const char *s, const struct unit *units, int64_t *out)
{
	char *end;
	unsigned long long n;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || n > INT64_MAX)
		return -1;
	while (*end == ' ')
		end++;
	if (*end == '\0') {
		*out = (int64_t)n;
		return 0;
	}
	for (const struct unit *u = units; u->name; u++) {
		if (strcmp(end, u->name) == 0) {
			if (n > (unsigned long long)(INT64_MAX / u->mult))
				return -1;
			*out = (int64_t)n * u->mult;
			return 0;
		}
	}
	return -1;
}

int rl_parse_duration(const char *s, int64_t *out)
{
	static const struct unit units[] = {
	    {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}, {NULL, 0},
	};
	return parse_with_units(s, units, out);
}

int rl_parse_size(const char *s, int64_t *out)
{
	static const struct unit units[] = {
	    {"B", 1},  {"KiB", 1024}, {"MiB", (int64_t)1024 * 1024}, {"GiB", 1024LL * 1024 * 1024},
	    {NULL, 0},
	};
	return parse_with_units(s, units, out);
}

void rl_format_duration(int64_t secs, char *out, size_t outlen)
{
	if (secs && secs % 86400 == 0)
		snprintf(out, outlen, "%" PRId64 "d", secs / 86400);
	else if (secs && secs % 3600 == 0)
		snprintf(out, outlen, "%" PRId64 "h", secs / 3600);
	else if (secs && secs % 60 == 0)
		snprintf(out, outlen, "%" PRId64 "m", secs / 60);
	else
		snprintf(out, outlen, "%" PRId64 "s", secs);
}

/* Standard input, through stdio: whoever read it before may have left
 * bytes in its buffer. */
static int read_stdin(rl_buf *out, rl_error *err)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if (rl_buf_put(out, chunk, n) < 0)
			return rl_error_set(err, RL_ENOMEM, "-: out of memory");
	if (ferror(stdin))
		return rl_error_set(err, RL_EIO, "-: %s", strerror(errno ? errno : EIO));
	return 0;
}

/* A file is read straight into the buffer, sized once by its length:
 * through stdio and a buffer grown by doubling, each byte was copied
 * twice and a megabyte text faulted in twice its size. */
int rl_file_read(const char *path, rl_buf *out, rl_error *err)
{
	struct stat st;
	size_t room;
	ssize_t n;
	int fd, fail = 0;

	if (strcmp(path, "-") == 0)
		return read_stdin(out, err);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return rl_error_set(err, errno == ENOENT ? RL_ENOTFOUND : RL_EIO, "%s: %s", path,
				    strerror(errno));
	/* one byte more than the file, to see its end without growing */
	room = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
		       (uintmax_t)st.st_size < SIZE_MAX / 2
		   ? (size_t)st.st_size + 1
		   : 65536;
	for (;;) {
		if (out->len + 1 >= out->cap && rl_buf_grow(out, room) < 0)
			break;
		/* errno from the read that failed: "Is a directory", not a
		 * bare "read error" */
		n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fail = n < 0 ? errno : 0;
			break;
		}
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
		room = 65536;
	}
	close(fd);
	if (out->ptr && !out->failed)
		out->ptr[out->len] = '\0'; /* an empty file still reads as "" */
	if (out->failed)
		return rl_error_set(err, RL_ENOMEM, "%s: out of memory", path);
	if (fail)
		return rl_error_set(err, RL_EIO, "%s: %s", path, strerror(fail));
	return 0;
}

/* Mapped when the file is regular and does not end at a page's end:
 * the page it ends in holds zeros after it, the NUL callers rely on (a
 * file that fills its last page is read instead). Faulted in at once
 * (MAP_POPULATE): the page cache's pages, no copy and no fresh pages.
 * As with git's diff, which maps its files too, a file another process
 * cuts short while it is read ends the reader with SIGBUS: for files
 * read in a few milliseconds by a command (compare), not the daemon. */
int rl_file_bytes_get(const char *path, rl_file_bytes *out, rl_error *err)
{
	struct stat st;
	long page = sysconf(_SC_PAGESIZE);
	void *p = MAP_FAILED;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	if (strcmp(path, "-") != 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && page > 0 &&
		    (uintmax_t)st.st_size < SIZE_MAX / 2 && st.st_size % page != 0)
			p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
				 fd, 0);
		close(fd);
		if (p != MAP_FAILED) {
			out->data = p;
			out->len = out->mapped = (size_t)st.st_size;
			return 0;
		}
	}
	if ((rc = rl_file_read(path, &out->buf, err)) < 0) {
		rl_buf_free(&out->buf); /* a failed get leaves nothing to free */
		return rc;
	}
	out->data = rl_buf_cstr(&out->buf);
	out->len = out->buf.len;
	return 0;
}

void rl_file_bytes_free(rl_file_bytes *f)
{
	if (f->mapped)
		munmap((void *)f->data, f->mapped);
	rl_buf_free(&f->buf);
	memset(f, 0, sizeof(*f));
}

/* A rename is durable once the directory holding it is synced. */
static int fsync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	int fd, r;

	if (!dir)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

int rl_file_write_atomic(const char *path, const void *data, size_t len, rl_error *err)
{
	char tmp[PATH_MAX];
	const char *p = data;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return rl_error_set(err, RL_EINVALID, "%s: path too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return rl_error_set(err, RL_EIO, "%s: %s", tmp, strerror(errno));
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		fd = -1;
		goto fail;
	}
	fsync_dir_of(path);
	return 0;
fail:
	rl_error_set(err, RL_EIO, "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return RL_EIO;
}

int rl_mkdir_p(const char *path, int mode, rl_error *err)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return rl_error_set(err, RL_EINVALID, "%s: path too long", path);
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
			return rl_error_set(err, RL_EIO, "%s: %s", buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
		return rl_error_set(err, RL_EIO, "%s: %s", buf, strerror(errno));
	return 0;
}

/* OpenSSL 3's EVP_Digest fetches the digest from a provider: the first
 * call in a process sets the providers up (0.7 ms, 1.4 ms on the thread
 * that parses the first of compare's texts while the other is extracted),
 * and every call after looks the digest up again (0.26 us against 0.05 us
 * for an item's id). SHA256_Init and the rest compute it at once, with
 * the same assembly: nothing to set up. An OpenSSL without them (built
 * without the deprecated API, or a major version that dropped it) takes
 * EVP_Digest. */
#ifdef RL_SHA256_EVP
static void sha256(const void *data, size_t len, unsigned char md[32])
{
	unsigned int mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
}
#else
static void sha256(const void *data, size_t len, unsigned char md[32])
{
	SHA256_CTX c;

	SHA256_Init(&c);
	SHA256_Update(&c, data, len);
	SHA256_Final(md, &c);
}
#endif

void rl_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	static const char hex[] = "0123456789abcdef";

	sha256(data, len, md);
	for (size_t i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

int64_t rl_now(void)
{
	return (int64_t)time(NULL);
}

int64_t rl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void rl_time_iso(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int rl_time_parse(const char *s, int64_t *out)
{
	struct tm tm;
	const char *rest;

	memset(&tm, 0, sizeof(tm));
	rest = strptime(s, "%Y-%m-%d", &tm);
	if (!rest)
		return -1;
	if (*rest == 'T' || *rest == ' ') {
		const char *r2 = strptime(rest + 1, "%H:%M:%S", &tm);

		if (!r2)
			r2 = strptime(rest + 1, "%H:%M", &tm);
		if (!r2)
			return -1;
		rest = r2;
	}
	if (*rest == 'Z')
		rest++;
	if (*rest != '\0')
		return -1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

int rl_source_id_valid(const char *id, rl_error *err)
{
	size_t len = id ? strlen(id) : 0;

	if (len == 0)
		return rl_error_set(err, RL_EINVALID, "source id is empty");
	if (len > SOURCE_ID_MAX)
		return rl_error_set(err, RL_EINVALID,
				    "source id '%.20s...' is longer than %d characters", id,
				    SOURCE_ID_MAX);
	if (!isalnum((unsigned char)id[0]))
		return rl_error_set(err, RL_EINVALID,
				    "source id '%s' must start with a letter or a digit", id);
	for (const char *p = id; *p; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return rl_error_set(err, RL_EINVALID,
					    "source id '%s': '%c' is not allowed (letters, digits, "
					    "'-', '_' and '.' only)",
					    id, *p);
	}
	if (strstr(id, "..") || id[len - 1] == '.' ||
	    (len >= 5 && strcmp(id + len - 5, ".lock") == 0))
		return rl_error_set(err, RL_EINVALID,
				    "source id '%s' is not a valid branch name ('..', a final '.' "
				    "or '.lock')",
				    id);
	if (strcmp(id, "main") == 0 || strcmp(id, "HEAD") == 0)
		return rl_error_set(err, RL_EINVALID,
				    "source id '%s' is reserved (the archive's landing branch)",
				    id);
	return 0;
}

/* --- UTF-8 --------------------------------------------------------------------- */

/* A well-formed sequence per RFC 3629 (no overlongs, no surrogates),
 * else U+FFFD for one byte. */
int32_t rl_utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t left = len - *i, n;
	int32_t c, min;

	if (p[0] < 0x80) {
		*i += 1;
		return p[0];
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2, c = p[0] & 0x1F, min = 0x80;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3, c = p[0] & 0x0F, min = 0x800;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4, c = p[0] & 0x07, min = 0x10000;
	else
		goto bad;
	if (n > left)
		goto bad;
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (p[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*i += n;
	return c;
bad:
	*i += 1;
	return 0xFFFD;
}

size_t rl_utf8_invalid_at(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t at = i;

		/* U+FFFD spelt out takes three bytes; one byte is a bad one */
		if (rl_utf8_next(s, len, &i) == 0xFFFD && i == at + 1)
			return at;
	}
	return len;
}
