/* Replication: the archive's branches pushed to other git repositories
 * ([remote "NAME"] url: a path, file://, https:// or ssh://), through
 * libgit2. Never forced: a remote branch that has versions this archive
 * lacks is reported as rejected and left alone. See doc/scale.md. */
#ifndef REDLINE_REPLICATE_H
#define REDLINE_REPLICATE_H

#include <stddef.h>

#include "redline/archive.h"
#include "redline/config.h"
#include "redline/error.h"
#include "redline/strv.h"

typedef enum rl_push_status {
	RL_PUSH_UPDATED = 0, /* the remote now has it */
	RL_PUSH_UPTODATE,    /* the remote had it already */
	RL_PUSH_REJECTED,    /* not fast-forward, or refused by the remote */
} rl_push_status;

typedef struct rl_push_ref {
	char *ref; /* refs/heads/<source> or refs/heads/main */
	rl_push_status status;
	char *reason; /* REJECTED: why, in words */
} rl_push_ref;

typedef struct rl_push_result {
	char *remote; /* the remote's name */
	char *url;    /* its URL without credentials */
	rl_push_ref *refs;
	size_t n_refs;
	size_t updated, uptodate, rejected;
} rl_push_result;

void rl_push_result_clear(rl_push_result *r);

/* The refs this instance pushes: every source branch in its shard
 * ([daemon] shard), and refs/heads/main only when it is not sharded
 * (sharded instances would fight over it: doc/scale.md). */
int rl_push_refs(rl_archive *a, const rl_config *cfg, rl_strv *out, rl_error *err);

/* Pushes rl_push_refs to remote in one connection. Returns 0 when the
 * remote was reached (some refs may still be rejected: see out), or an
 * error naming the remote and its URL (never its credentials) when it
 * could not be reached or refused the whole push. */
int rl_push(rl_archive *a, const rl_config *cfg, const rl_remote *remote, rl_push_result *out,
	    rl_error *err);

/* url with any user:password@ removed; malloc'd. */
char *rl_url_redact(const char *url);

#endif
