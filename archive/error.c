/* Error values: a code and a message that says what failed and where. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "redline/error.h"

int rl_error_set(rl_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

int rl_error_prefix(rl_error *err, const char *fmt, ...)
{
	char prefix[RL_ERROR_MAX];
	size_t plen, mlen;
	va_list ap;

	if (!err)
		return RL_ERROR;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix) - 2, fmt, ap);
	va_end(ap);
	plen = strlen(prefix);
	memcpy(prefix + plen, ": ", 3);
	plen += 2;
	mlen = strnlen(err->message, sizeof(err->message) - 1);
	/* Keep the prefix whole and cut the old message's tail when too long. */
	if (plen + mlen >= sizeof(err->message))
		mlen = sizeof(err->message) - 1 - plen;
	memmove(err->message + plen, err->message, mlen);
	memcpy(err->message, prefix, plen);
	err->message[plen + mlen] = '\0';
	return err->code ? err->code : RL_ERROR;
}

int rl_error_from_git(rl_error *err, const char *fmt, ...)
{
	const git_error *ge = git_error_last();
	char what[RL_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return rl_error_set(err, RL_EGIT, "%s: %s", what,
			    ge && ge->message ? ge->message : "unknown libgit2 error");
}

void rl_error_clear(rl_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->message[0] = '\0';
}

const char *rl_error_message(const rl_error *err)
{
	return err ? err->message : "";
}
