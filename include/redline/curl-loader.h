/* libcurl is loaded on first use (archive/curl-loader.c): a command that
 * never fetches or notifies never maps it, nor the twenty-odd libraries
 * Debian builds it with (Kerberos, LDAP, GnuTLS through librtmp...). */
#ifndef REDLINE_CURL_LOADER_H
#define REDLINE_CURL_LOADER_H

/* Called with a message naming libcurl's soname and the reason when it
 * cannot be loaded; must end the process (the caller of the libcurl
 * function has nothing to continue with). The programs print the message
 * and exit with 127, like the dynamic linker. Without a handler the
 * process aborts. */
typedef void (*rl_curl_fatal_fn)(const char *message);
void rl_curl_set_fatal(rl_curl_fatal_fn handler);

/* Non-zero once libcurl is loaded. It stays loaded until the process
 * ends: GnuTLS and others it brings cannot safely be unloaded. */
int rl_curl_loaded(void);

#endif
