/* Shared by history*.c: the index of one source's history. Not a public
 * header.
 *
 * The index is one byte string, written to disk as it is kept in memory:
 *
 *   redline-history 2 context=5\n
 *   V <commit> <time> <change|-> <text.md blob|-> <structure.json blob|-> <bytes>\n<payload>
 *   ...
 *
 * one V record per version, oldest first, change being the commit's
 * Redline-Change trailer (initial, wording, reextract, ...). A payload holds the version's
 * hunks against the version before (the first version: one hunk of its
 * whole text),
 *
 *   @ <lines>\n then each line as <origin><text>\n, origin ' ' (context),
 *   '-' (gone) or '+' (new),
 *
 * then its principle changes,
 *
 *   E <kind> <id> <label> <old label> <text> <old text>\n (five byte
 *   lengths) then the five strings back to back and \n; kind is a
 *   (added), w (reworded), l (relabelled), m (moved), r (removed).
 *
 * Lengths make every record self-delimiting, so loading checks each one
 * and a damaged file is rebuilt rather than half read. */
#ifndef REDLINE_HISTORY_INTERNAL_H
#define REDLINE_HISTORY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "redline/buf.h"
#include "redline/history.h"

/* Unchanged lines kept around each change: a phrase of up to
 * HISTORY_CONTEXT + 1 words is counted exactly from the index (a match
 * touching a changed line lies within that many lines of it); longer
 * phrases read the versions themselves. */
#define HISTORY_CONTEXT    5
#define HISTORY_MAGIC      "redline-history 2 context=5\n"
#define HISTORY_CHANGE_MAX 16

typedef struct hver {
	char commit[RL_OID_HEX + 1];
	int64_t time;
	char change[HISTORY_CHANGE_MAX];  /* Redline-Change, "" when none */
	char text_blob[RL_OID_HEX + 1];   /* "" when the version has no text.md */
	char struct_blob[RL_OID_HEX + 1]; /* "" when it has no structure.json */
	size_t payload, payload_len;      /* offset and length in buf */
} hver;

struct rl_history {
	rl_archive *archive;
	char *source;
	char *path; /* the index file */
	rl_buf buf;
	hver *v;
	size_t n, cap;
	rl_history_info info;
};

/* Parses buf into versions; -1 when it is not a whole, valid index. */
int history_parse(rl_history *h);

/* Appends the records of these commits (oldest first) to buf; the last
 * version already indexed, if any, is what the first one is compared
 * with. */
int history_build(rl_history *h, char (*commits)[RL_OID_HEX + 1], size_t n, rl_error *err);

/* A hunk or a principle change in a payload, in order. */
typedef struct hrec {
	char kind; /* '@' hunk, 'E' event */
	/* hunk: its lines */
	const char *lines;
	size_t lines_len, n_lines;
	/* event */
	char ekind;
	const char *f[5]; /* id, label, old label, text, old text */
	size_t fl[5];
} hrec;

/* The next record of a payload at *at (advanced); 0 at the end, -1 when
 * damaged. */
int history_next(const char *p, size_t len, size_t *at, hrec *out);

#endif
