/* libgit2 and OpenSSL's libcrypto are loaded on first use
 * (archive/git-loader.c): `redline compare`, `help` and `--version` never
 * map them, nor the libraries Debian builds libgit2 with (mbedTLS,
 * libssh2, Kerberos, PCRE2...). */
#ifndef REDLINE_GIT_LOADER_H
#define REDLINE_GIT_LOADER_H

/* Called with a message naming the library's soname and the reason when
 * libgit2 or libcrypto cannot be loaded; must end the process (the caller
 * of the function that needed it has nothing to continue with). The
 * programs print the message and exit with 127, like the dynamic linker.
 * Without a handler the process aborts. */
typedef void (*rl_git_fatal_fn)(const char *message);
void rl_git_set_fatal(rl_git_fatal_fn handler);

/* Non-zero once libgit2 (rl_git_loaded) or libcrypto (rl_crypto_loaded)
 * is loaded: each stays loaded until the process ends. libgit2 needs
 * libcrypto (through libssh2): loading it loads libcrypto first. */
int rl_git_loaded(void);
int rl_crypto_loaded(void);

/* Loads libcrypto now, if it is not loaded: a program about to need it
 * (the ids of a document's items are SHA-256 digests) can have the
 * loading done on another thread meanwhile. */
void rl_crypto_preload(void);

/* Loads libgit2 now (and libcrypto before it), if it is not loaded,
 * without initializing it. dlopen holds the dynamic linker's lock: a
 * program about to start libgit2 and to load other libraries on a second
 * thread loads libgit2 first, and the second thread's loading then goes
 * on while git_libgit2_init runs (it reads the CA bundle, milliseconds),
 * not before it. */
void rl_git_preload(void);

#endif
