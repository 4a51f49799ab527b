/* What the loaders of text-loader.c and git-loader.c share.
 *
 * Their trampolines: a function of the library's, defined
 * with the prototype from the library's header, that loads the library
 * (need(lib), the including file's own) and calls the real function
 * through the file's table of pointers (fn.p_<name>). For the X-macro
 * lists those files keep: F(lib, return type, name, parameters,
 * arguments), V(lib, name, parameters, arguments) for a void one. */
#ifndef REDLINE_LOADER_COMMON_H
#define REDLINE_LOADER_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#define LOADER_STUB(lib, ret, name, params, args)                                                  \
	ret name params                                                                            \
	{                                                                                          \
		need(lib);                                                                         \
		return fn.p_##name args;                                                           \
	}
#define LOADER_VSTUB(lib, name, params, args)                                                      \
	void name params                                                                           \
	{                                                                                          \
		need(lib);                                                                         \
		fn.p_##name args;                                                                  \
	}

/* When a library cannot be loaded, no trampoline can go on: the message
 * (fmt, with two strings) goes to the program's handler, which ends the
 * process; without one, or if it returns, abort. */
static inline _Noreturn void loader_fatal(void (*handler)(const char *), const char *fmt,
					  const char *a, const char *b)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, a, b);
	if (handler)
		handler(msg);
	abort();
}

#endif
