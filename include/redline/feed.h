/* An Atom 1.0 feed of the archive's changes: one entry per version
 * (reextract commits left out), newest first, each with the commit
 * subject as its title and the word diff as its content. What
 * `redline feed` prints and `[feed] path` holds. */
#ifndef REDLINE_FEED_H
#define REDLINE_FEED_H

#include <stddef.h>

#include "redline/archive.h"
#include "redline/buf.h"
#include "redline/config.h"
#include "redline/error.h"

#define RL_FEED_ENTRIES 50 /* entries in a feed */

/* The feed of one source (source != NULL) or of every source; cfg (may
 * be NULL) gives titles and watched terms. max 0 means RL_FEED_ENTRIES. */
int rl_feed_build(rl_buf *out, rl_archive *a, const rl_config *cfg, const char *source, size_t max,
		  rl_error *err);

/* Builds the feed of every source and replaces path atomically. */
int rl_feed_write(const char *path, rl_archive *a, const rl_config *cfg, rl_error *err);

#endif
