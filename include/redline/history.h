/* The history of one source: every version where a phrase's count
 * changed, or where one enumerated item (principle) changed.
 *
 * Queries read an index of the source's history instead of its versions:
 * for each version, the lines of text.md that changed since the one
 * before (with a few lines of context) and the principle changes of its
 * structure.json (ids as archived). The index lives beside the archive,
 * in <archive>/redline/cache/history/<source>, in no commit; it is
 * brought up to the branch tip on open, reading only the versions it does
 * not have yet, and rebuilt from the history when it is missing, damaged
 * or no longer matches the branch. Losing it costs one rebuild. */
#ifndef REDLINE_HISTORY_H
#define REDLINE_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "redline/archive.h"
#include "redline/error.h"

typedef struct rl_history rl_history;

typedef struct rl_history_event {
	char commit[RL_OID_HEX + 1];
	int64_t time;
	/* the version's Redline-Change: "reextract" marks a version whose
	 * text changed by re-extraction, not by the publisher; "" if none */
	char change[16];
	/* phrase: "appeared", "disappeared", "more", "fewer";
	 * principle: "added", "reworded", "relabelled", "moved", "removed" */
	const char *event;
	char *text;    /* the sentence; the item's text (as it was, for "removed") */
	size_t before; /* phrase: count in the version before, and in this one */
	size_t after;
	char *label;     /* principle: its label in this version ("removed": the last) */
	char *old_label; /* "relabelled": the label before, else NULL */
	char *old_text;  /* "reworded": the text before, else NULL */
} rl_history_event;

typedef struct rl_history_events {
	rl_history_event *v;
	size_t n;
} rl_history_events;

typedef struct rl_history_info {
	size_t versions;    /* versions in the index (the whole branch) */
	size_t indexed;     /* versions read from the archive by this open */
	int rebuilt;        /* the index was built from scratch */
	size_t index_bytes; /* size of the index */
} rl_history_info;

/* Opens the index of source's history, updating it to the branch tip
 * (and writing it back when it changed; a cache that cannot be written
 * is no error). RL_ENOTFOUND when the source has no versions. */
int rl_history_open(rl_history **out, rl_archive *a, const char *source, rl_error *err);
void rl_history_free(rl_history *h);

/* Brings source's index up to its branch tip, nothing more: for the
 * writer of a version (after its commit) or a daemon pass, so the first
 * query never pays for the whole history. A few milliseconds a version. */
int rl_history_update(rl_archive *a, const char *source, rl_error *err);
void rl_history_info_get(const rl_history *h, rl_history_info *out);

/* Versions, oldest first, where the count of phrase (rl_watch_count's
 * rules: whole words, any case, spaces match any whitespace) changed; a
 * first version holding it is "appeared". text is the sentence where it
 * appeared or disappeared (or came or went once more). */
int rl_history_phrase(rl_history *h, const char *phrase, rl_history_events *out, rl_error *err);

/* Versions, oldest first, where the item with this id was added,
 * reworded, relabelled, moved (reordered) or removed; one event per kind
 * of change, in that order within a version. */
int rl_history_principle(rl_history *h, const char *id, rl_history_events *out, rl_error *err);

void rl_history_events_free(rl_history_events *e);

#endif
