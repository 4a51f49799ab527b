/* Unit tests: libgit2 and libcrypto come into the process on the first
 * call of one of their functions, each on its own, not before, and not for
 * letting go of nothing (redline frees its archive and configuration at
 * exit whatever the command). Options reach libgit2 with their types
 * through the variadic git_libgit2_opts, and one the loader does not know
 * is refused with an error. This test calls only the loader's own
 * definitions of libgit2 and libcrypto functions, so it is not linked with
 * them (--as-needed): what /proc/self/maps shows is what the loader
 * mapped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>
#include <openssl/x509.h>

#include "redline/archive.h"
#include "redline/config.h"
#include "redline/git-loader.h"
#include "redline/notify.h"
#include "redline/util.h"

/* SHA-256 of "abc" (FIPS 180-2); HMAC-SHA256, RFC 4231 test case 2. */
static const char sha256_abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char hmac_jefe[] = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

/* 1 when a mapping of this process names lib. */
static int mapped(const char *lib)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	int found = 0;

	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f)) {
		const char *p = strchr(line, '/');

		found = p && strstr(p, lib);
	}
	fclose(f);
	return found;
}

static void nothing_loaded_to_let_go(void **state)
{
	(void)state;
	assert_false(rl_git_loaded());
	assert_false(rl_crypto_loaded());
	assert_false(mapped("libgit2"));
	assert_false(mapped("libcrypto"));
	/* What redline's exit does after a command that never opened the
	 * archive, and what the library's frees do with NULL. */
	rl_archive_free(NULL);
	rl_config_free(NULL);
	git_repository_free(NULL);
	git_tree_free(NULL);
	git_commit_free(NULL);
	git_reference_free(NULL);
	git_signature_free(NULL);
	git_error_clear();
	assert_null(git_error_last());
	assert_int_equal(git_libgit2_shutdown(), 0);
	assert_false(rl_git_loaded());
	assert_false(mapped("libgit2"));
	assert_false(mapped("libcrypto"));
}

/* FIPS 180-2's other vectors: nothing, two blocks, a million bytes
 * (the digest is OpenSSL's SHA-256 functions, not EVP's: util.c). */
static void sha256_vectors(void)
{
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65], *million = malloc(1000000);

	rl_sha256_hex("", 0, hex);
	assert_string_equal(hex,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	rl_sha256_hex(two_blocks, sizeof(two_blocks) - 1, hex);
	assert_string_equal(hex,
			    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_non_null(million);
	memset(million, 'a', 1000000);
	rl_sha256_hex(million, 1000000, hex);
	assert_string_equal(hex,
			    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* libcrypto alone: a digest and an HMAC bring it, and not libgit2. */
static void crypto_on_first_use(void **state)
{
	char hex[65];

	(void)state;
	rl_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, sha256_abc);
	assert_true(rl_crypto_loaded());
	sha256_vectors();
	assert_true(mapped("libcrypto"));
	assert_int_equal(rl_hmac_sha256_hex("Jefe", 4, "what do ya want for nothing?", 28, hex), 0);
	assert_string_equal(hex, hmac_jefe);
	/* What rl_git_certs_need asks OpenSSL. */
	assert_string_equal(X509_get_default_cert_file_env(), "SSL_CERT_FILE");
	assert_string_equal(X509_get_default_cert_dir_env(), "SSL_CERT_DIR");
	assert_non_null(X509_get_default_cert_file());
	assert_non_null(X509_get_default_cert_dir());
	assert_false(rl_git_loaded());
	assert_false(mapped("libgit2"));
}

/* Loaded ahead (cmd-diff.c, before ICU on another thread): libgit2 is
 * mapped, not started, and its first call finds it loaded. */
static void libgit2_loaded_ahead(void **state)
{
	(void)state;
	assert_false(rl_git_loaded());
	assert_false(mapped("libgit2"));
	rl_git_preload();
	assert_true(rl_git_loaded());
	assert_true(mapped("libgit2"));
	rl_git_preload(); /* once is all it does */
	assert_true(rl_git_loaded());
}

static void options_reach_libgit2_with_their_types(void **state)
{
	char dir[] = "/tmp/rl-git-loader.XXXXXX";
	size_t window = 0, limit = 0;
	ssize_t used = -1, allowed = 0;
	const git_error *ge;
	int owner = -1;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(git_libgit2_init(), 1);
	assert_true(rl_git_loaded());
	assert_true(mapped("libgit2"));

	/* size_t, set and read back through a pointer: more than an int
	 * holds, so a value read as the wrong type would not come back. */
	assert_int_equal(git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)5 << 32), 0);
	assert_int_equal(git_libgit2_opts(GIT_OPT_GET_MWINDOW_MAPPED_LIMIT, &limit), 0);
	assert_true(limit == (size_t)5 << 32);
	assert_int_equal(git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)64 * 1024), 0);
	assert_int_equal(git_libgit2_opts(GIT_OPT_GET_MWINDOW_SIZE, &window), 0);
	assert_true(window == (size_t)64 * 1024);

	/* ssize_t, read back through two pointers. */
	assert_int_equal(git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)3 << 33), 0);
	assert_int_equal(git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &used, &allowed), 0);
	assert_true(allowed == (ssize_t)3 << 33);
	assert_true(used >= 0);

	/* int, set and read back. */
	assert_int_equal(git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0), 0);
	assert_int_equal(git_libgit2_opts(GIT_OPT_GET_OWNER_VALIDATION, &owner), 0);
	assert_int_equal(owner, 0);
	assert_int_equal(git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 1), 0);
	assert_int_equal(git_libgit2_opts(GIT_OPT_GET_OWNER_VALIDATION, &owner), 0);
	assert_int_equal(owner, 1);
	assert_int_equal(git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0), 0);
	assert_int_equal(git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1), 0);
	assert_int_equal(git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1), 0);

	/* An int then a pointer: a config level libgit2 knows, and one it
	 * refuses. An int then a size_t. */
	assert_int_equal(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, dir),
			 0);
	assert_int_equal(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, 99, dir), -1);
	git_error_clear();
	assert_int_equal(
	    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, (size_t)4096), 0);

	/* Two strings: what rl_git_certs_release does. */
	assert_int_equal(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, NULL, dir), 0);

	/* An option the loader does not know: refused, as libgit2 refuses
	 * one it does not know. */
	assert_int_equal(git_libgit2_opts(9999, 1), -1);
	ge = git_error_last();
	assert_non_null(ge);
	assert_int_equal(ge->klass, GIT_ERROR_INVALID);
	assert_non_null(strstr(ge->message, "9999"));
	git_error_clear();

	assert_int_equal(git_libgit2_shutdown(), 0);
	assert_true(rl_git_loaded()); /* it stays */
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nothing_loaded_to_let_go),
	    cmocka_unit_test(crypto_on_first_use),
	    cmocka_unit_test(libgit2_loaded_ahead),
	    cmocka_unit_test(options_reach_libgit2_with_their_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
