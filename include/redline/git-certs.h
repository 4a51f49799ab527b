/* The CA certificates libgit2 holds for https remotes. Debian builds
 * libgit2 with mbedTLS, whose initialisation (git_libgit2_init) parses
 * the system's whole CA bundle: 0.4 MiB of heap in every process, which
 * only a push to an https remote reads (fetching is libcurl's, with
 * OpenSSL). A long-lived process lets them go after git_libgit2_init and
 * reads them again right before it pushes (rl_push does). */
#ifndef REDLINE_GIT_CERTS_H
#define REDLINE_GIT_CERTS_H

#include "redline/error.h"

/* Has libgit2 drop the CA certificates it read at start. 0, or -1 when
 * it could not (they stay, and nothing else changes). Until
 * rl_git_certs_need, libgit2 trusts no certificate: an https connection
 * fails its certificate check, it never goes unchecked. */
int rl_git_certs_release(void);

/* Before libgit2 connects to url: when rl_git_certs_release let the
 * certificates go and url is https (or http, which may redirect there),
 * libgit2 reads the system's CA bundle again, the file OpenSSL names
 * ($SSL_CERT_FILE, else /usr/lib/ssl/cert.pem on Debian), else its
 * directory ($SSL_CERT_DIR, else /usr/lib/ssl/certs). 0, or RL_EGIT
 * naming the file when an https url would have no certificates to trust. */
int rl_git_certs_need(const char *url, rl_error *err);

#endif
