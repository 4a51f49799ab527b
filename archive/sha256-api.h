/* OpenSSL's SHA-256 as rl_sha256_hex calls it (util.c), and as the
 * loader that defines those calls declares them (git-loader.c): one
 * decision for both, included before any other OpenSSL header. Not a
 * public header.
 *
 * SHA256_Init, _Update and _Final are OpenSSL's 1.1 API, which 3.x keeps
 * but marks deprecated unless that API level is asked for; an OpenSSL
 * built without its deprecated API, or a major version that drops it,
 * has only EVP_Digest (RL_SHA256_EVP). */
#ifndef REDLINE_SHA256_API_H
#define REDLINE_SHA256_API_H

#define OPENSSL_API_COMPAT 10101
#include <openssl/opensslconf.h>
#include <openssl/opensslv.h>

#if defined(OPENSSL_NO_DEPRECATED_3_0) || OPENSSL_VERSION_MAJOR >= 4
#define RL_SHA256_EVP 1
#else
#include <openssl/sha.h>
#endif

#endif
