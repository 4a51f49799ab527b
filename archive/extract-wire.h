/* The bytes between rl_extract and its child process (extract-child.c):
 * a request (the raw pages and the rules) and a reply (the rl_text or the
 * error). Both sides are the same program, so the format is only ever
 * read by the build that wrote it; it still checks every length against
 * the bytes there are, because a child that crashed or was fed a
 * hostile PDF may have written anything.
 *
 * Every integer is little-endian and unsigned unless said:
 *
 *   request = "RLXQ" u32 version (2) u32 n  page{n}  list select  list remove
 *             list ignore  u32 flags (1: allow_empty)
 *   page    = i32 number  str content_type  str url  bytes data
 *   reply   = "RLXA" u32 version (2) i32 code, then
 *             code 0:  u32 kind  bytes text  u32 n  (i32 number  bytes text){n}
 *                      list warnings
 *             code <0: str message (an RL_E* code, RL_ERROR to RL_EGIT)
 *   str     = u32 length, 0xFFFFFFFF for NULL, then that many bytes
 *   bytes   = u64 length, then that many bytes
 *   list    = u32 count, 0xFFFFFFFF for a NULL list, then count str (none NULL)
 *
 * and nothing after the end. */
#ifndef REDLINE_EXTRACT_WIRE_H
#define REDLINE_EXTRACT_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "redline/buf.h"
#include "redline/error.h"
#include "redline/extract.h"

/* Writes to a file descriptor: small fields gather in a buffer, big
 * ones (page bytes, texts) go straight from where they are. */
typedef struct wire_out {
	int fd;
	rl_buf b;
	int error; /* errno of the first failed write, or ENOMEM */
} wire_out;

int wire_put_request(wire_out *w, const rl_raw_page *pages, size_t n, const rl_extract_opts *opts);
int wire_put_reply(wire_out *w, int code, const rl_text *t, const rl_error *err);
/* Writes what is left in the buffer; returns -1 with w->error set. */
int wire_flush(wire_out *w);

/* A request read back: the pages' strings are copies, their data points
 * into the bytes read (which must outlive it). */
typedef struct wire_request {
	rl_raw_page *pages;
	size_t n;
	rl_strv select, remove, ignore;
	int has_select, has_remove, has_ignore;
	rl_extract_opts opts;
} wire_request;

int wire_get_request(wire_request *q, const char *p, size_t len, rl_error *err);
void wire_request_free(wire_request *q);

/* Reads a reply into *out (0), or the child's error into err (its code),
 * or says what is wrong with the bytes and at which offset (RL_EEXTRACT,
 * "the child's reply ...", and *garbled set). */
int wire_get_reply(rl_text *out, const char *p, size_t len, int *garbled, rl_error *err);

#endif
