/* Errors are values: every library call returns 0 or a negative RL_E* code
 * and fills the caller's rl_error with a message that names what failed. */
#ifndef REDLINE_ERROR_H
#define REDLINE_ERROR_H

#include <stddef.h>

enum {
	RL_OK = 0,
	RL_ERROR = -1, /* a failure with no more specific kind */
	RL_ENOMEM = -2,
	RL_ECONFIG = -3,   /* configuration file or value */
	RL_ENOTFOUND = -4, /* revision, source, path or file absent */
	RL_EEXISTS = -5,
	RL_ECONFLICT = -6, /* a compare-and-swap ref update lost a race */
	RL_EINVALID = -7,  /* bad argument or malformed input */
	RL_EFETCH = -8,    /* network transfer or HTTP status */
	RL_EEXTRACT = -9,  /* a document that cannot be turned into text */
	RL_EIO = -10,      /* file system */
	RL_EGIT = -11,     /* libgit2 reported a failure */
};

#define RL_ERROR_MAX 1024

typedef struct rl_error {
	int code;
	char message[RL_ERROR_MAX];
} rl_error;

/* Sets err (which may be NULL) and returns code, so callers can write
 * `return rl_error_set(err, RL_EINVALID, "...", ...);`. */
int rl_error_set(rl_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Puts "context: " in front of the current message; returns err->code. */
int rl_error_prefix(rl_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets err from libgit2's last error, prefixed by what we were doing. */
int rl_error_from_git(rl_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void rl_error_clear(rl_error *err);

/* The message, or "" when err is NULL or clear. */
const char *rl_error_message(const rl_error *err);

#endif
