/* libgit2's CA certificates, let go and read again (redline/git-certs.h).
 *
 * GIT_OPT_SET_SSL_CERT_LOCATIONS has libgit2's mbedTLS stream free the
 * certificates it holds and read those of the locations given instead.
 * Given a directory with nothing in it, it holds none: a temporary one,
 * removed as soon as libgit2 has looked. Given the system's bundle again,
 * it trusts what it trusted at start (Debian builds it to read
 * /etc/ssl/certs/ca-certificates.crt, which OpenSSL's default file links
 * to). Built with OpenSSL instead, libgit2 adds the locations to its
 * store: the empty directory changes nothing there, the bundle adds what
 * the store already trusts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>
#include <openssl/x509.h>

#include "redline/git-certs.h"

static int released;

int rl_git_certs_release(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	int rc;

	if (released)
		return 0;
	if (snprintf(dir, sizeof(dir), "%s/redline-no-certs.XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
		(int)sizeof(dir) ||
	    !mkdtemp(dir))
		return -1;
	rc = git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, NULL, dir);
	rmdir(dir);
	if (rc < 0) {
		git_error_clear();
		return -1;
	}
	released = 1;
	return 0;
}

static int scheme_is(const char *url, const char *scheme)
{
	return strncasecmp(url, scheme, strlen(scheme)) == 0;
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

int rl_git_certs_need(const char *url, rl_error *err)
{
	const char *file, *dir;
	const git_error *ge;
	struct stat st;
	int https, rc;

	if (!released || !url)
		return 0;
	https = scheme_is(url, "https://");
	if (!https && !scheme_is(url, "http://"))
		return 0;
	file = env_or(X509_get_default_cert_file_env(), X509_get_default_cert_file());
	dir = env_or(X509_get_default_cert_dir_env(), X509_get_default_cert_dir());
	/* As libgit2 does at start: the bundle, else the directory. */
	if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
		dir = NULL;
	} else if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		file = NULL;
	} else {
		if (!https)
			return 0; /* plain http: nothing to check (unless it redirects) */
		return rl_error_set(err, RL_EGIT,
				    "no CA certificates to check the server with: neither %s nor "
				    "%s exists",
				    file, dir);
	}
	rc = git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, dir);
	if (rc == 0) {
		released = 0;
		return 0;
	}
	/* libgit2 trusts nothing now: an https connection still fails. */
	ge = git_error_last();
	if (!https) {
		git_error_clear();
		return 0;
	}
	return rl_error_set(err, RL_EGIT, "cannot read the CA certificates in %s: %s",
			    file ? file : dir,
			    ge && ge->message ? ge->message : "unknown libgit2 error");
}
