/* libcurl, loaded on first use.
 *
 * Debian's libcurl (the OpenSSL flavour) needs 26 more shared libraries:
 * Kerberos, LDAP, SASL, nghttp2, idn2, psl, brotli, zstd, librtmp and,
 * through librtmp and LDAP, GnuTLS with nettle, gmp and p11-kit. Linked
 * the usual way, every process pays for their loading, relocation and
 * constructors before main() runs, which is half of what `redline compare`
 * on two short files costs. So the programs do not link libcurl: this file
 * defines each libcurl function the library calls, with the prototype from
 * curl's header, as a trampoline that loads libcurl (dlopen) on the first
 * call of any of them and calls the real function. Commands that never
 * fetch or notify never map it.
 *
 * The three variadic functions cannot hand their va_list on. Each reads
 * its one argument by the type curl gives the option's number range
 * (CURLOPTTYPE_*: below 10000 a long, then an object pointer, a function
 * pointer, a curl_off_t, a blob pointer; curl_easy_getinfo always takes a
 * pointer) and calls the real function with it. curl's typecheck macros
 * (gcc, clang) would turn those definitions into macro calls, so they are
 * off in this file only: the callers keep them.
 *
 * Functions that let go of what only libcurl can have made
 * (curl_global_cleanup, curl_free, curl_easy_cleanup...) load nothing when
 * libcurl is not loaded: the programs call curl_global_cleanup at exit
 * whether they fetched or not.
 *
 * libcurl stays loaded once loaded: GnuTLS, p11-kit and others it brings
 * register atexit handlers and thread keys that cannot be unloaded safely.
 *
 * GnuTLS initialises itself in a constructor (0.8 MiB resident, with
 * p11-kit's modules) unless GNUTLS_NO_IMPLICIT_INIT=1 is in the
 * environment when it is mapped. Under the OpenSSL libcurl only librtmp
 * (rtmps://) and OpenLDAP (ldaps://, StartTLS) use it, both calling
 * gnutls_global_init themselves before they do, and redline allows libcurl
 * neither protocol (CURLOPT_PROTOCOLS_STR). So the loader sets the
 * variable around its dlopen when it is not set, and takes it away again,
 * so that exec hooks never see it. setenv is not safe while another thread
 * may read the environment: the loader only touches it when the process
 * has a single thread (/proc/self/status says so), which is the case where
 * the programs first call libcurl (redlined's curl_global_init at start,
 * redline's first fetcher or notifier); otherwise GnuTLS initialises
 * itself, as it would have linked.
 *
 * A call to a libcurl function not in CURL_FUNCTIONS fails to link
 * ("undefined reference to `curl_foo'"): add its line, the prototype
 * copied from the header.
 *
 * libcurl missing leaves the trampoline nothing to return: the
 * installation is broken, as when the dynamic linker finds a library
 * missing at start. The library hands the message to the program's
 * handler (rl_curl_set_fatal), which does what the dynamic linker would
 * (the programs print it and exit with 127). */
#define CURL_DISABLE_TYPECHECK 1

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "redline/curl-loader.h"

#ifndef RL_CURL_SONAME
#define RL_CURL_SONAME "libcurl.so.4"
#endif

#define NO_IMPLICIT_INIT "GNUTLS_NO_IMPLICIT_INIT"

#define STR(x)  #x
#define XSTR(x) STR(x)

/* F(return type, name, parameters, arguments); V for a void function; U
 * for a void one that lets go of what only a loaded libcurl can have made,
 * and so has nothing to do before. */
#define CURL_FUNCTIONS(F, V, U)                                                                    \
	F(CURLcode, curl_global_init, (long a), (a))                                               \
	U(curl_global_cleanup, (void), ())                                                         \
	U(curl_free, (void *a), (a))                                                               \
	F(time_t, curl_getdate, (const char *a, const time_t *b), (a, b))                          \
	F(CURL *, curl_easy_init, (void), ())                                                      \
	U(curl_easy_cleanup, (CURL * a), (a))                                                      \
	F(const char *, curl_easy_strerror, (CURLcode a), (a))                                     \
	F(CURLM *, curl_multi_init, (void), ())                                                    \
	F(CURLMcode, curl_multi_cleanup, (CURLM * a), (a))                                         \
	F(CURLMcode, curl_multi_add_handle, (CURLM * a, CURL * b), (a, b))                         \
	F(CURLMcode, curl_multi_remove_handle, (CURLM * a, CURL * b), (a, b))                      \
	F(CURLMcode, curl_multi_perform, (CURLM * a, int *b), (a, b))                              \
	F(CURLMcode, curl_multi_fdset, (CURLM * a, fd_set * b, fd_set * c, fd_set * d, int *e),    \
	  (a, b, c, d, e))                                                                         \
	F(CURLMcode, curl_multi_poll,                                                              \
	  (CURLM * a, struct curl_waitfd * b, unsigned int c, int d, int *e), (a, b, c, d, e))     \
	F(CURLMcode, curl_multi_wakeup, (CURLM * a), (a))                                          \
	F(CURLMcode, curl_multi_timeout, (CURLM * a, long *b), (a, b))                             \
	F(CURLMsg *, curl_multi_info_read, (CURLM * a, int *b), (a, b))                            \
	F(const char *, curl_multi_strerror, (CURLMcode a), (a))                                   \
	F(struct curl_slist *, curl_slist_append, (struct curl_slist * a, const char *b), (a, b))  \
	U(curl_slist_free_all, (struct curl_slist * a), (a))                                       \
	F(CURLU *, curl_url, (void), ())                                                           \
	U(curl_url_cleanup, (CURLU * a), (a))                                                      \
	F(CURLUcode, curl_url_get, (CURLU * a, CURLUPart b, char **c, unsigned int d),             \
	  (a, b, c, d))                                                                            \
	F(CURLUcode, curl_url_set, (CURLU * a, CURLUPart b, const char *c, unsigned int d),        \
	  (a, b, c, d))

/* The real functions, typed by the header's own declarations. */
#define FIELD(ret, name, params, args) __typeof__(name) *p_##name;
#define VFIELD(name, params, args)     __typeof__(name) *p_##name;
static struct {
	CURL_FUNCTIONS(FIELD, VFIELD, VFIELD)
	__typeof__(curl_easy_setopt) *p_curl_easy_setopt;
	__typeof__(curl_easy_getinfo) *p_curl_easy_getinfo;
	__typeof__(curl_multi_setopt) *p_curl_multi_setopt;
} fn;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded; /* set last by load(), with release */
static char why[512];
static rl_curl_fatal_fn fatal_handler;

void rl_curl_set_fatal(rl_curl_fatal_fn handler)
{
	fatal_handler = handler;
}

int rl_curl_loaded(void)
{
	return __atomic_load_n(&loaded, __ATOMIC_ACQUIRE);
}

/* 1 when this thread is the process's only one, so that nothing can read
 * the environment while it changes; 0 when it cannot tell. */
static int alone(void)
{
	char buf[4096];
	const char *p;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "\nThreads:");
	return p && strtol(p + strlen("\nThreads:"), NULL, 10) == 1;
}

#define LOADF(ret, name, params, args) LOAD(name)
#define VLOADF(name, params, args)     LOAD(name)
#define LOAD(name)                                                                                 \
	if (!(*(void **)&fn.p_##name = dlsym(h, XSTR(name)))) {                                    \
		snprintf(why, sizeof(why), "%s has no %s", RL_CURL_SONAME, XSTR(name));            \
		return;                                                                            \
	}

static void load(void)
{
	int quiet = 0;
	void *h;

	if (!getenv(NO_IMPLICIT_INIT) && alone())
		quiet = setenv(NO_IMPLICIT_INIT, "1", 0) == 0;
	/* lazy, as git-loader.c says */
	h = dlopen(RL_CURL_SONAME, RTLD_LAZY | RTLD_LOCAL);
	if (quiet)
		unsetenv(NO_IMPLICIT_INIT);
	if (!h) {
		const char *e = dlerror();

		snprintf(why, sizeof(why), "cannot load %s: %s", RL_CURL_SONAME,
			 e ? e : "unknown error");
		return;
	}
	CURL_FUNCTIONS(LOADF, VLOADF, VLOADF)
	LOAD(curl_easy_setopt)
	LOAD(curl_easy_getinfo)
	LOAD(curl_multi_setopt)
	/* The handle stays open for the life of the process, on purpose. */
	__atomic_store_n(&loaded, 1, __ATOMIC_RELEASE);
}

/* Loads libcurl unless it is; if it cannot be, the program's handler ends
 * the process (without one, or if it returns, abort). */
static inline void need(void)
{
	if (__builtin_expect(rl_curl_loaded(), 1))
		return;
	pthread_once(&once, load);
	if (rl_curl_loaded())
		return;
	if (fatal_handler)
		fatal_handler(why);
	abort();
}

#define STUB(ret, name, params, args)                                                              \
	ret name params                                                                            \
	{                                                                                          \
		need();                                                                            \
		return fn.p_##name args;                                                           \
	}
#define VSTUB(name, params, args)                                                                  \
	void name params                                                                           \
	{                                                                                          \
		need();                                                                            \
		fn.p_##name args;                                                                  \
	}
#define USTUB(name, params, args)                                                                  \
	void name params                                                                           \
	{                                                                                          \
		if (rl_curl_loaded())                                                              \
			fn.p_##name args;                                                          \
	}
CURL_FUNCTIONS(STUB, VSTUB, USTUB)

/* Any function pointer: curl reads the argument back as the callback type
 * the option names, and all function pointers are passed alike in the
 * ABIs curl and glibc run on. */
typedef void (*any_fn)(void);

/* curl_easy_setopt and curl_multi_setopt: the one argument, read as the
 * type of the option's range, handed on with that type. */
#define FORWARD_OPTION(call, handle, option, ap)                                                   \
	do {                                                                                       \
		if ((option) < CURLOPTTYPE_OBJECTPOINT)                                            \
			return call(handle, option, va_arg(ap, long));                             \
		if ((option) < CURLOPTTYPE_FUNCTIONPOINT)                                          \
			return call(handle, option, va_arg(ap, void *));                           \
		if ((option) < CURLOPTTYPE_OFF_T)                                                  \
			return call(handle, option, va_arg(ap, any_fn));                           \
		if ((option) < CURLOPTTYPE_BLOB)                                                   \
			return call(handle, option, va_arg(ap, curl_off_t));                       \
		return call(handle, option, va_arg(ap, void *));                                   \
	} while (0)

static CURLcode easy_setopt(CURL *curl, CURLoption option, va_list ap)
{
	FORWARD_OPTION(fn.p_curl_easy_setopt, curl, option, ap);
}

CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	va_list ap;
	CURLcode rc;

	need();
	va_start(ap, option);
	rc = easy_setopt(curl, option, ap);
	va_end(ap);
	return rc;
}

static CURLMcode multi_setopt(CURLM *multi, CURLMoption option, va_list ap)
{
	FORWARD_OPTION(fn.p_curl_multi_setopt, multi, option, ap);
}

CURLMcode curl_multi_setopt(CURLM *multi, CURLMoption option, ...)
{
	va_list ap;
	CURLMcode rc;

	need();
	va_start(ap, option);
	rc = multi_setopt(multi, option, ap);
	va_end(ap);
	return rc;
}

/* Every CURLINFO_* takes a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	va_list ap;
	void *out;

	need();
	va_start(ap, info);
	out = va_arg(ap, void *);
	va_end(ap);
	return fn.p_curl_easy_getinfo(curl, info, out);
}
