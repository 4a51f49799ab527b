/* libgit2 and OpenSSL's libcrypto, loaded on first use.
 *
 * Debian's libgit2 1.5 needs 15 more shared libraries: mbedTLS (three),
 * libssh2 and through it OpenSSL's libcrypto, Kerberos (five, and keyutils
 * and resolv), PCRE2, http-parser, zlib. Linked the usual way, every
 * process pays for their loading and relocation before main() runs, and
 * libcrypto is the biggest of them: a program that does nothing started
 * in 2.74 ms linked with libgit2, jansson and libcrypto, 1.78 ms without
 * libgit2 and 1.10 ms without either (perf stat -r 100); `redline
 * --version` took 2.5 ms, and takes 1.1 ms without them. `redline compare`
 * (two files, no archive), `redline help` and `--version` never touch
 * git, and compare is measured against `git diff --word-diff`. So the
 * programs link neither: this file defines each libgit2 and libcrypto
 * function the library and the programs call, with the prototype from the
 * library's own header, as a trampoline that loads the function's library
 * (dlopen) on the first call of one of its functions and calls the real
 * function. libgit2 needs libcrypto (libssh2 does): loading libgit2 loads
 * libcrypto first (below, load).
 *
 * git_libgit2_opts is variadic and cannot hand its va_list on: it reads
 * what follows the option by the option, as common.h documents each
 * option of libgit2 1.5, and calls the real function with those
 * arguments and their types. An option it does not know (one newer than
 * 1.5.0, such as the GIT_OPT_*_PACK_MAX_OBJECT_SIZE Debian backported
 * into its 1.5.1) is refused as libgit2 refuses one it does not know: -1,
 * with a GIT_ERROR_INVALID error naming it. Add it to its group here.
 *
 * Functions that let go of what only a loaded libgit2 can have made
 * (git_repository_free, git_tree_free... and git_error_clear) do nothing
 * while it is not loaded; git_error_last answers NULL (no error) and
 * git_libgit2_shutdown 0 (nothing initialised): `redline` frees its
 * archive and configuration at exit whatever the command, and libgit2
 * itself crashes when asked for its last error before it was set up.
 *
 * They stay loaded once loaded, like libcurl: libgit2 keeps thread-local
 * keys and global state that cannot be unloaded safely, and libcrypto is
 * built not to be unloaded (NODELETE).
 *
 * A call to a libgit2 or libcrypto function not in LOADED_FUNCTIONS fails
 * to link ("undefined reference to `git_foo'"): add its line, the
 * prototype copied from the header.
 *
 * A library that cannot be loaded leaves the trampoline nothing to
 * return: the installation is broken, as when the dynamic linker finds a
 * library missing at start. The library hands the message to the
 * program's handler (rl_git_set_fatal), which does what the dynamic
 * linker would (the programs print it and exit with 127). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include <git2.h>
#include <git2/sys/commit_graph.h>
/* the SHA-256 functions rl_sha256_hex calls (util.c), where OpenSSL has them */
#include "sha256-api.h"
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/x509.h>

#include "redline/git-loader.h"

#include "loader-common.h"

#define STR(x)  #x
#define XSTR(x) STR(x)

#ifndef RL_GIT2_SONAME
#define RL_GIT2_SONAME "libgit2.so." LIBGIT2_SOVERSION
#endif
#ifndef RL_CRYPTO_SONAME
#define RL_CRYPTO_SONAME "libcrypto.so." XSTR(OPENSSL_VERSION_MAJOR)
#endif

enum { GIT2, CRYPTO, N_LIBS };
static const char *const sonames[N_LIBS] = {RL_GIT2_SONAME, RL_CRYPTO_SONAME};

/* rl_sha256_hex's functions, where OpenSSL has them (sha256-api.h) */
#ifdef RL_SHA256_EVP
#define SHA256_FUNCTIONS(F)
#else
#define SHA256_FUNCTIONS(F)                                                                        \
	F(CRYPTO, int, SHA256_Init, (SHA256_CTX * a), (a))                                         \
	F(CRYPTO, int, SHA256_Update, (SHA256_CTX * a, const void *b, size_t c), (a, b, c))        \
	F(CRYPTO, int, SHA256_Final, (unsigned char *a, SHA256_CTX *b), (a, b))
#endif

/* F(library, return type, name, parameters, arguments); V for a void
 * function; U for a void one that lets go of what only the loaded library
 * can have made, and so has nothing to do before; N(..., none) for one
 * that answers none before. */
#define LOADED_FUNCTIONS(F, V, U, N)                                                               \
	F(GIT2, int, git_blob_create_from_buffer,                                                  \
	  (git_oid * a, git_repository * b, const void *c, size_t d), (a, b, c, d))                \
	U(GIT2, git_blob_free, (git_blob * a), (a))                                                \
	F(GIT2, int, git_blob_lookup, (git_blob * *a, git_repository * b, const git_oid *c),       \
	  (a, b, c))                                                                               \
	F(GIT2, const void *, git_blob_rawcontent, (const git_blob *a), (a))                       \
	F(GIT2, git_object_size_t, git_blob_rawsize, (const git_blob *a), (a))                     \
	F(GIT2, int, git_commit_create,                                                            \
	  (git_oid * a, git_repository * b, const char *c, const git_signature *d,                 \
	   const git_signature *e, const char *f, const char *g, const git_tree *h, size_t i,      \
	   const git_commit *j[]),                                                                 \
	  (a, b, c, d, e, f, g, h, i, j))                                                          \
	U(GIT2, git_commit_free, (git_commit * a), (a))                                            \
	F(GIT2, int, git_commit_graph_writer_add_revwalk,                                          \
	  (git_commit_graph_writer * a, git_revwalk * b), (a, b))                                  \
	F(GIT2, int, git_commit_graph_writer_commit,                                               \
	  (git_commit_graph_writer * a, git_commit_graph_writer_options * b), (a, b))              \
	U(GIT2, git_commit_graph_writer_free, (git_commit_graph_writer * a), (a))                  \
	F(GIT2, int, git_commit_graph_writer_new, (git_commit_graph_writer * *a, const char *b),   \
	  (a, b))                                                                                  \
	F(GIT2, int, git_commit_graph_writer_options_init,                                         \
	  (git_commit_graph_writer_options * a, unsigned int b), (a, b))                           \
	F(GIT2, const git_oid *, git_commit_id, (const git_commit *a), (a))                        \
	F(GIT2, int, git_commit_lookup, (git_commit * *a, git_repository * b, const git_oid *c),   \
	  (a, b, c))                                                                               \
	F(GIT2, const char *, git_commit_message, (const git_commit *a), (a))                      \
	F(GIT2, int, git_commit_parent, (git_commit * *a, const git_commit *b, unsigned int c),    \
	  (a, b, c))                                                                               \
	F(GIT2, const git_oid *, git_commit_parent_id, (const git_commit *a, unsigned int b),      \
	  (a, b))                                                                                  \
	F(GIT2, unsigned int, git_commit_parentcount, (const git_commit *a), (a))                  \
	F(GIT2, const char *, git_commit_summary, (git_commit * a), (a))                           \
	F(GIT2, git_time_t, git_commit_time, (const git_commit *a), (a))                           \
	F(GIT2, int, git_commit_tree, (git_tree * *a, const git_commit *b), (a, b))                \
	F(GIT2, const git_oid *, git_commit_tree_id, (const git_commit *a), (a))                   \
	F(GIT2, int, git_config_delete_multivar, (git_config * a, const char *b, const char *c),   \
	  (a, b, c))                                                                               \
	F(GIT2, int, git_config_foreach, (const git_config *a, git_config_foreach_cb b, void *c),  \
	  (a, b, c))                                                                               \
	U(GIT2, git_config_free, (git_config * a), (a))                                            \
	U(GIT2, git_config_iterator_free, (git_config_iterator * a), (a))                          \
	F(GIT2, int, git_config_iterator_new, (git_config_iterator * *a, const git_config *b),     \
	  (a, b))                                                                                  \
	F(GIT2, int, git_config_next, (git_config_entry * *a, git_config_iterator * b), (a, b))    \
	F(GIT2, int, git_config_open_ondisk, (git_config * *a, const char *b), (a, b))             \
	F(GIT2, int, git_config_set_string, (git_config * a, const char *b, const char *c),        \
	  (a, b, c))                                                                               \
	F(GIT2, int, git_credential_ssh_key_from_agent, (git_credential * *a, const char *b),      \
	  (a, b))                                                                                  \
	F(GIT2, int, git_credential_ssh_key_new,                                                   \
	  (git_credential * *a, const char *b, const char *c, const char *d, const char *e),       \
	  (a, b, c, d, e))                                                                         \
	F(GIT2, int, git_credential_username_new, (git_credential * *a, const char *b), (a, b))    \
	F(GIT2, int, git_diff_buffers,                                                             \
	  (const void *a, size_t b, const char *c, const void *d, size_t e, const char *f,         \
	   const git_diff_options *g, git_diff_file_cb h, git_diff_binary_cb i,                    \
	   git_diff_hunk_cb j, git_diff_line_cb k, void *l),                                       \
	  (a, b, c, d, e, f, g, h, i, j, k, l))                                                    \
	F(GIT2, int, git_diff_options_init, (git_diff_options * a, unsigned int b), (a, b))        \
	U(GIT2, git_error_clear, (void), ())                                                       \
	N(GIT2, const git_error *, git_error_last, (void), (), NULL)                               \
	F(GIT2, int, git_error_set_str, (int a, const char *b), (a, b))                            \
	F(GIT2, int, git_graph_descendant_of,                                                      \
	  (git_repository * a, const git_oid *b, const git_oid *c), (a, b, c))                     \
	F(GIT2, int, git_libgit2_init, (void), ())                                                 \
	N(GIT2, int, git_libgit2_shutdown, (void), (), 0)                                          \
	U(GIT2, git_message_trailer_array_free, (git_message_trailer_array * a), (a))              \
	F(GIT2, int, git_message_trailers, (git_message_trailer_array * a, const char *b), (a, b)) \
	U(GIT2, git_object_free, (git_object * a), (a))                                            \
	F(GIT2, int, git_object_lookup,                                                            \
	  (git_object * *a, git_repository * b, const git_oid *c, git_object_t d), (a, b, c, d))   \
	F(GIT2, git_object_t, git_object_type, (const git_object *a), (a))                         \
	F(GIT2, int, git_odb_exists, (git_odb * a, const git_oid *b), (a, b))                      \
	F(GIT2, int, git_odb_read_header,                                                          \
	  (size_t * a, git_object_t * b, git_odb * c, const git_oid *d), (a, b, c, d))             \
	U(GIT2, git_odb_free, (git_odb * a), (a))                                                  \
	F(GIT2, int, git_odb_refresh, (struct git_odb * a), (a))                                   \
	F(GIT2, int, git_oid_cpy, (git_oid * a, const git_oid *b), (a, b))                         \
	F(GIT2, int, git_oid_equal, (const git_oid *a, const git_oid *b), (a, b))                  \
	F(GIT2, int, git_oid_fromraw, (git_oid * a, const unsigned char *b), (a, b))               \
	F(GIT2, int, git_oid_fromstr, (git_oid * a, const char *b), (a, b))                        \
	F(GIT2, int, git_oid_is_zero, (const git_oid *a), (a))                                     \
	F(GIT2, char *, git_oid_tostr, (char *a, size_t b, const git_oid *c), (a, b, c))           \
	F(GIT2, char *, git_oid_tostr_s, (const git_oid *a), (a))                                  \
	U(GIT2, git_packbuilder_free, (git_packbuilder * a), (a))                                  \
	F(GIT2, int, git_packbuilder_insert,                                                       \
	  (git_packbuilder * a, const git_oid *b, const char *c), (a, b, c))                       \
	F(GIT2, const char *, git_packbuilder_name, (git_packbuilder * a), (a))                    \
	F(GIT2, int, git_packbuilder_new, (git_packbuilder * *a, git_repository * b), (a, b))      \
	F(GIT2, size_t, git_packbuilder_object_count, (git_packbuilder * a), (a))                  \
	F(GIT2, unsigned int, git_packbuilder_set_threads, (git_packbuilder * a, unsigned int b),  \
	  (a, b))                                                                                  \
	F(GIT2, int, git_packbuilder_write,                                                        \
	  (git_packbuilder * a, const char *b, unsigned int c, git_indexer_progress_cb d,          \
	   void *e),                                                                               \
	  (a, b, c, d, e))                                                                         \
	F(GIT2, int, git_push_options_init, (git_push_options * a, unsigned int b), (a, b))        \
	F(GIT2, int, git_refdb_compress, (git_refdb * a), (a))                                     \
	U(GIT2, git_refdb_free, (git_refdb * a), (a))                                              \
	F(GIT2, int, git_reference_create,                                                         \
	  (git_reference * *a, git_repository * b, const char *c, const git_oid *d, int e,         \
	   const char *f),                                                                         \
	  (a, b, c, d, e, f))                                                                      \
	F(GIT2, int, git_reference_create_matching,                                                \
	  (git_reference * *a, git_repository * b, const char *c, const git_oid *d, int e,         \
	   const git_oid *f, const char *g),                                                       \
	  (a, b, c, d, e, f, g))                                                                   \
	U(GIT2, git_reference_free, (git_reference * a), (a))                                      \
	F(GIT2, int, git_reference_is_valid_name, (const char *a), (a))                            \
	U(GIT2, git_reference_iterator_free, (git_reference_iterator * a), (a))                    \
	F(GIT2, int, git_reference_iterator_glob_new,                                              \
	  (git_reference_iterator * *a, git_repository * b, const char *c), (a, b, c))             \
	F(GIT2, int, git_reference_iterator_new,                                                   \
	  (git_reference_iterator * *a, git_repository * b), (a, b))                               \
	F(GIT2, const char *, git_reference_name, (const git_reference *a), (a))                   \
	F(GIT2, int, git_reference_name_is_valid, (int *a, const char *b), (a, b))                 \
	F(GIT2, int, git_reference_name_to_id, (git_oid * a, git_repository * b, const char *c),   \
	  (a, b, c))                                                                               \
	F(GIT2, int, git_reference_next, (git_reference * *a, git_reference_iterator * b), (a, b)) \
	F(GIT2, int, git_reference_resolve, (git_reference * *a, const git_reference *b), (a, b))  \
	F(GIT2, const git_oid *, git_reference_target, (const git_reference *a), (a))              \
	F(GIT2, int, git_remote_connect,                                                           \
	  (git_remote * a, git_direction b, const git_remote_callbacks *c,                         \
	   const git_proxy_options *d, const git_strarray *e),                                     \
	  (a, b, c, d, e))                                                                         \
	F(GIT2, int, git_remote_create_options_init,                                               \
	  (git_remote_create_options * a, unsigned int b), (a, b))                                 \
	F(GIT2, int, git_remote_create_with_opts,                                                  \
	  (git_remote * *a, const char *b, const git_remote_create_options *c), (a, b, c))         \
	F(GIT2, int, git_remote_disconnect, (git_remote * a), (a))                                 \
	U(GIT2, git_remote_free, (git_remote * a), (a))                                            \
	F(GIT2, int, git_remote_init_callbacks, (git_remote_callbacks * a, unsigned int b),        \
	  (a, b))                                                                                  \
	F(GIT2, int, git_remote_ls, (const git_remote_head ***a, size_t *b, git_remote *c),        \
	  (a, b, c))                                                                               \
	F(GIT2, int, git_remote_push,                                                              \
	  (git_remote * a, const git_strarray *b, const git_push_options *c), (a, b, c))           \
	U(GIT2, git_repository_free, (git_repository * a), (a))                                    \
	F(GIT2, int, git_repository_init_ext,                                                      \
	  (git_repository * *a, const char *b, git_repository_init_options *c), (a, b, c))         \
	F(GIT2, int, git_repository_init_options_init,                                             \
	  (git_repository_init_options * a, unsigned int b), (a, b))                               \
	F(GIT2, int, git_repository_odb, (git_odb * *a, git_repository * b), (a, b))               \
	F(GIT2, int, git_repository_open_bare, (git_repository * *a, const char *b), (a, b))       \
	F(GIT2, const char *, git_repository_path, (const git_repository *a), (a))                 \
	F(GIT2, int, git_repository_refdb, (git_refdb * *a, git_repository * b), (a, b))           \
	U(GIT2, git_revwalk_free, (git_revwalk * a), (a))                                          \
	F(GIT2, int, git_revwalk_hide, (git_revwalk * a, const git_oid *b), (a, b))                \
	F(GIT2, int, git_revwalk_new, (git_revwalk * *a, git_repository * b), (a, b))              \
	F(GIT2, int, git_revwalk_next, (git_oid * a, git_revwalk * b), (a, b))                     \
	F(GIT2, int, git_revwalk_push, (git_revwalk * a, const git_oid *b), (a, b))                \
	F(GIT2, int, git_revwalk_sorting, (git_revwalk * a, unsigned int b), (a, b))               \
	U(GIT2, git_signature_free, (git_signature * a), (a))                                      \
	F(GIT2, int, git_signature_new,                                                            \
	  (git_signature * *a, const char *b, const char *c, git_time_t d, int e),                 \
	  (a, b, c, d, e))                                                                         \
	F(GIT2, int, git_signature_now, (git_signature * *a, const char *b, const char *c),        \
	  (a, b, c))                                                                               \
	F(GIT2, const git_oid *, git_tag_target_id, (const git_tag *a), (a))                       \
	F(GIT2, const git_tree_entry *, git_tree_entry_byindex, (const git_tree *a, size_t b),     \
	  (a, b))                                                                                  \
	F(GIT2, const git_tree_entry *, git_tree_entry_byname, (const git_tree *a, const char *b), \
	  (a, b))                                                                                  \
	F(GIT2, int, git_tree_entry_bypath,                                                        \
	  (git_tree_entry * *a, const git_tree *b, const char *c), (a, b, c))                      \
	U(GIT2, git_tree_entry_free, (git_tree_entry * a), (a))                                    \
	F(GIT2, const git_oid *, git_tree_entry_id, (const git_tree_entry *a), (a))                \
	F(GIT2, const char *, git_tree_entry_name, (const git_tree_entry *a), (a))                 \
	F(GIT2, git_object_t, git_tree_entry_type, (const git_tree_entry *a), (a))                 \
	F(GIT2, size_t, git_tree_entrycount, (const git_tree *a), (a))                             \
	U(GIT2, git_tree_free, (git_tree * a), (a))                                                \
	F(GIT2, int, git_tree_lookup, (git_tree * *a, git_repository * b, const git_oid *c),       \
	  (a, b, c))                                                                               \
	U(GIT2, git_treebuilder_free, (git_treebuilder * a), (a))                                  \
	F(GIT2, int, git_treebuilder_insert,                                                       \
	  (const git_tree_entry **a, git_treebuilder *b, const char *c, const git_oid *d,          \
	   git_filemode_t e),                                                                      \
	  (a, b, c, d, e))                                                                         \
	F(GIT2, int, git_treebuilder_new,                                                          \
	  (git_treebuilder * *a, git_repository * b, const git_tree *c), (a, b, c))                \
	F(GIT2, int, git_treebuilder_write, (git_oid * a, git_treebuilder * b), (a, b))            \
	F(CRYPTO, int, EVP_Digest,                                                                 \
	  (const void *a, size_t b, unsigned char *c, unsigned int *d, const EVP_MD *e,            \
	   ENGINE *f),                                                                             \
	  (a, b, c, d, e, f))                                                                      \
	F(CRYPTO, const EVP_MD *, EVP_sha256, (void), ())                                          \
	SHA256_FUNCTIONS(F)                                                                        \
	F(CRYPTO, unsigned char *, HMAC,                                                           \
	  (const EVP_MD *a, const void *b, int c, const unsigned char *d, size_t e,                \
	   unsigned char *f, unsigned int *g),                                                     \
	  (a, b, c, d, e, f, g))                                                                   \
	F(CRYPTO, const char *, X509_get_default_cert_dir, (void), ())                             \
	F(CRYPTO, const char *, X509_get_default_cert_dir_env, (void), ())                         \
	F(CRYPTO, const char *, X509_get_default_cert_file, (void), ())                            \
	F(CRYPTO, const char *, X509_get_default_cert_file_env, (void), ())

/* The real functions, typed by the headers' own declarations. */
#define FIELD(lib, ret, name, params, args)        __typeof__(name) *p_##name;
#define VFIELD(lib, name, params, args)            __typeof__(name) *p_##name;
#define NFIELD(lib, ret, name, params, args, none) __typeof__(name) *p_##name;
static struct {
	LOADED_FUNCTIONS(FIELD, VFIELD, VFIELD, NFIELD)
	__typeof__(git_libgit2_opts) *p_git_libgit2_opts;
} fn;

/* One lock each: loading one library never waits for the other. */
static pthread_mutex_t lock[N_LIBS] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
static int loaded[N_LIBS]; /* read without the lock: set last, with release */
static rl_git_fatal_fn fatal_handler;

void rl_git_set_fatal(rl_git_fatal_fn handler)
{
	fatal_handler = handler;
}

static inline int is_loaded(int lib)
{
	return __atomic_load_n(&loaded[lib], __ATOMIC_ACQUIRE);
}

int rl_git_loaded(void)
{
	return is_loaded(GIT2);
}

int rl_crypto_loaded(void)
{
	return is_loaded(CRYPTO);
}

static void *need_symbol(int lib, void *h, const char *symbol)
{
	void *p = dlsym(h, symbol);

	if (!p) {
		pthread_mutex_unlock(&lock[lib]);
		loader_fatal(fatal_handler, "%s has no %s", sonames[lib], symbol);
	}
	return p;
}

#define LOADF(l, ret, name, params, args)                                                          \
	if (lib == (l))                                                                            \
		*(void **)&fn.p_##name = need_symbol(lib, h, XSTR(name));
#define VLOADF(l, name, params, args)                                                              \
	if (lib == (l))                                                                            \
		*(void **)&fn.p_##name = need_symbol(lib, h, XSTR(name));
#define NLOADF(l, ret, name, params, args, none)                                                   \
	if (lib == (l))                                                                            \
		*(void **)&fn.p_##name = need_symbol(lib, h, XSTR(name));

static void load(int lib)
{
	/* libgit2 needs libcrypto (through libssh2). Loaded first, on its
	 * own, libcrypto finds its thousands of own symbols first in its
	 * scope, not behind libgit2's fifteen libraries: dlopen then costs
	 * 0.1-0.2 ms more than linking both did, instead of 0.4. */
	if (lib == GIT2 && !is_loaded(CRYPTO))
		load(CRYPTO);
	pthread_mutex_lock(&lock[lib]);
	if (!loaded[lib]) {
		/* The handle stays open for the life of the process, on
		 * purpose. Lazy: the calls inside libgit2 and the fifteen
		 * libraries it needs are bound when first made, not all at
		 * load (a `redline diff` of the planted pair 22.4 -> 22.1 ms,
		 * 41 alternating runs); the functions redline calls are
		 * looked up below, so one missing is still said at once. */
		void *h = dlopen(sonames[lib], RTLD_LAZY | RTLD_LOCAL);

		if (!h) {
			const char *e = dlerror();

			pthread_mutex_unlock(&lock[lib]);
			loader_fatal(fatal_handler, "cannot load %s: %s", sonames[lib],
				     e ? e : "unknown error");
		}
		LOADED_FUNCTIONS(LOADF, VLOADF, VLOADF, NLOADF)
		if (lib == GIT2)
			*(void **)&fn.p_git_libgit2_opts = need_symbol(lib, h, "git_libgit2_opts");
		__atomic_store_n(&loaded[lib], 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&lock[lib]);
}

/* Loads lib unless it is; if it cannot be, the program's handler ends the
 * process. */
static inline void need(int lib)
{
	if (__builtin_expect(!is_loaded(lib), 0))
		load(lib);
}

void rl_crypto_preload(void)
{
	need(CRYPTO);
}

void rl_git_preload(void)
{
	need(GIT2);
}

#define USTUB(lib, name, params, args)                                                             \
	void name params                                                                           \
	{                                                                                          \
		if (is_loaded(lib))                                                                \
			fn.p_##name args;                                                          \
	}
#define NSTUB(lib, ret, name, params, args, none)                                                  \
	ret name params                                                                            \
	{                                                                                          \
		if (!is_loaded(lib))                                                               \
			return none;                                                               \
		return fn.p_##name args;                                                           \
	}
LOADED_FUNCTIONS(LOADER_STUB, LOADER_VSTUB, USTUB, NSTUB)

/* What follows the option, read with the types common.h gives it, into a
 * variable of that type, and handed on with it. A pointer is read as void *
 * whatever it points to: libgit2 reads it back as the type the option
 * names, and all object pointers are passed alike in the ABIs libgit2 and
 * glibc run on. */
static int forward_opts(int option, va_list ap)
{
	__typeof__(git_libgit2_opts) *opts = fn.p_git_libgit2_opts;
	unsigned long ul;
	ssize_t ssize;
	size_t size;
	void *p, *q;
	char msg[128];
	int i;

	switch (option) {
	case GIT_OPT_SET_MWINDOW_SIZE:
	case GIT_OPT_SET_MWINDOW_MAPPED_LIMIT:
	case GIT_OPT_SET_MWINDOW_FILE_LIMIT:
	case GIT_OPT_SET_PACK_MAX_OBJECTS:
		size = va_arg(ap, size_t);
		return opts(option, size);
	case GIT_OPT_SET_CACHE_MAX_SIZE:
		ssize = va_arg(ap, ssize_t);
		return opts(option, ssize);
	case GIT_OPT_ENABLE_CACHING:
	case GIT_OPT_ENABLE_STRICT_OBJECT_CREATION:
	case GIT_OPT_ENABLE_STRICT_SYMBOLIC_REF_CREATION:
	case GIT_OPT_ENABLE_OFS_DELTA:
	case GIT_OPT_ENABLE_FSYNC_GITDIR:
	case GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION:
	case GIT_OPT_ENABLE_UNSAVED_INDEX_SAFETY:
	case GIT_OPT_DISABLE_PACK_KEEP_FILE_CHECKS:
	case GIT_OPT_ENABLE_HTTP_EXPECT_CONTINUE:
	case GIT_OPT_SET_ODB_PACKED_PRIORITY:
	case GIT_OPT_SET_ODB_LOOSE_PRIORITY:
	case GIT_OPT_SET_OWNER_VALIDATION:
		i = va_arg(ap, int);
		return opts(option, i);
	case GIT_OPT_SET_WINDOWS_SHAREMODE:
		ul = va_arg(ap, unsigned long);
		return opts(option, ul);
	/* One pointer: where the answer goes, a string, an allocator. */
	case GIT_OPT_GET_MWINDOW_SIZE:
	case GIT_OPT_GET_MWINDOW_MAPPED_LIMIT:
	case GIT_OPT_GET_MWINDOW_FILE_LIMIT:
	case GIT_OPT_GET_TEMPLATE_PATH:
	case GIT_OPT_SET_TEMPLATE_PATH:
	case GIT_OPT_SET_USER_AGENT:
	case GIT_OPT_GET_USER_AGENT:
	case GIT_OPT_SET_SSL_CIPHERS:
	case GIT_OPT_GET_WINDOWS_SHAREMODE:
	case GIT_OPT_SET_ALLOCATOR:
	case GIT_OPT_GET_PACK_MAX_OBJECTS:
	case GIT_OPT_GET_EXTENSIONS:
	case GIT_OPT_GET_OWNER_VALIDATION:
		p = va_arg(ap, void *);
		return opts(option, p);
	/* Two pointers: ssize_t *current, *allowed; const char *file, *path. */
	case GIT_OPT_GET_CACHED_MEMORY:
	case GIT_OPT_SET_SSL_CERT_LOCATIONS:
		p = va_arg(ap, void *);
		q = va_arg(ap, void *);
		return opts(option, p, q);
	/* A config level, then git_buf *out or const char *path. */
	case GIT_OPT_GET_SEARCH_PATH:
	case GIT_OPT_SET_SEARCH_PATH:
		i = va_arg(ap, int);
		p = va_arg(ap, void *);
		return opts(option, i, p);
	/* A git_object_t (an int through the ...), a size_t. */
	case GIT_OPT_SET_CACHE_OBJECT_LIMIT:
		i = va_arg(ap, int);
		size = va_arg(ap, size_t);
		return opts(option, i, size);
	/* const char **extensions, size_t len. */
	case GIT_OPT_SET_EXTENSIONS:
		p = va_arg(ap, void *);
		size = va_arg(ap, size_t);
		return opts(option, p, size);
	default:
		snprintf(msg, sizeof(msg),
			 "invalid option key %d (not one the loader knows: archive/git-loader.c)",
			 option);
		git_error_set_str(GIT_ERROR_INVALID, msg);
		return -1;
	}
}

int git_libgit2_opts(int option, ...)
{
	va_list ap;
	int rc;

	need(GIT2);
	va_start(ap, option);
	rc = forward_opts(option, ap);
	va_end(ap);
	return rc;
}
