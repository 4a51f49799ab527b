/* Notification cursors: refs/redline/notified/<channel>/<source> points at
 * the last version of <source> delivered on <channel>. They are refs so
 * that they are never lost (they travel with the archive, git gc keeps
 * what they point at) and move by one compare-and-swap after the receiver
 * said yes. A missing cursor means nothing was delivered yet: every
 * version of the source is owed to the channel (`redline notify skip`
 * moves it to the tip for a channel added to an old archive).
 *
 * What a channel was last told about a source's health (failing or ok)
 * is operational state: <archive>/redline/notified/<channel>/<source>. */
#ifndef REDLINE_CURSOR_H
#define REDLINE_CURSOR_H

#include "redline/archive.h"
#include "redline/error.h"

#define RL_CURSOR_PREFIX "refs/redline/notified/"

/* Whether the names make a valid ref (channel names come from the
 * configuration's [notify "NAME"]). */
int rl_cursor_name_check(const char *channel, const char *source, rl_error *err);

/* The cursor; RL_ENOTFOUND (out = "") when there is none. */
int rl_cursor_get(rl_archive *a, const char *channel, const char *source, char out[RL_OID_HEX + 1],
		  rl_error *err);

/* Moves the cursor from expected ("" or NULL: it must not exist) to
 * commit in one compare-and-swap: RL_ECONFLICT when it moved meanwhile. */
int rl_cursor_set(rl_archive *a, const char *channel, const char *source, const char *expected,
		  const char *commit, rl_error *err);

/* The oldest version of source after the cursor (from the source's
 * first version when there is no cursor): 1 and *out filled, 0 when the
 * channel is up to date (or the source has no versions). *pending (may
 * be NULL) receives how many versions are owed. A cursor that is not on
 * the source's branch is an RL_EINVALID error naming it. */
int rl_cursor_next(rl_archive *a, const char *channel, const char *source, const char *cursor,
		   rl_version *out, size_t *pending, rl_error *err);

/* What the channel was last told of the source's health:
 * RL_HEALTH_NEVER (nothing), RL_HEALTH_OK or RL_HEALTH_FAILING. */
int rl_cursor_health_get(rl_archive *a, const char *channel, const char *source);
int rl_cursor_health_set(rl_archive *a, const char *channel, const char *source, int health,
			 rl_error *err);

#endif
