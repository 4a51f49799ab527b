/* The archive: a bare git repository, one branch per source
 * (refs/heads/<source-id>), one commit per version of the canonical text.
 * See DESIGN.md "Archive format". */
#ifndef REDLINE_ARCHIVE_H
#define REDLINE_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "redline/buf.h"
#include "redline/error.h"
#include "redline/strv.h"

#define RL_OID_HEX 40

struct git_repository;
typedef struct rl_archive rl_archive;

/* Creates a bare repository at path (or opens it when it already is one). */
int rl_archive_init(rl_archive **out, const char *path, rl_error *err);
int rl_archive_open(rl_archive **out, const char *path, rl_error *err);
void rl_archive_free(rl_archive *a);
const char *rl_archive_path(const rl_archive *a);
struct git_repository *rl_archive_repo(rl_archive *a);

/* One version of one source. */
typedef struct rl_version {
	char commit[RL_OID_HEX + 1];
	char parent[RL_OID_HEX + 1]; /* "" for a source's first version */
	char *source;
	int64_t time; /* fetch time = author/committer time, seconds */
	char *subject;
	char *change;  /* Redline-Change trailer: initial|cosmetic|wording|structure|reextract */
	char *url;     /* Redline-Url trailer */
	char *message; /* the whole commit message */
} rl_version;

typedef struct rl_version_list {
	rl_version *v;
	size_t n;
	size_t cap;
} rl_version_list;

void rl_version_clear(rl_version *v);
void rl_version_list_free(rl_version_list *l);

/* Every source branch (refs/heads/ except main), sorted. */
int rl_archive_sources(rl_archive *a, rl_strv *out, rl_error *err);

/* Whether the source has a branch. */
int rl_archive_has_source(rl_archive *a, const char *source);

/* Versions of one source, newest first; max 0 means all. */
int rl_archive_log(rl_archive *a, const char *source, size_t max, rl_version_list *out,
		   rl_error *err);

/* Versions of every source merged by time, newest first; max 0 means all. */
int rl_archive_log_all(rl_archive *a, size_t max, rl_version_list *out, rl_error *err);

/* SOURCE, SOURCE~N, SOURCE@PREFIX, SOURCE@{DATE}: RL_ENOTFOUND with a
 * message naming the revision when it names nothing. */
int rl_archive_resolve(rl_archive *a, const char *rev, rl_version *out, rl_error *err);

/* Reads one file of a version's tree ("text.md", "pages/0085.md").
 * RL_ENOTFOUND when the version has no such file. */
int rl_archive_read(rl_archive *a, const char *commit, const char *path, rl_buf *out,
		    rl_error *err);

/* The blob id of a file in a version, for cheap "did it change" checks. */
int rl_archive_blob_id(rl_archive *a, const char *commit, const char *path,
		       char out[RL_OID_HEX + 1], rl_error *err);

/* Names of the entries of a directory of a version's tree, sorted. */
int rl_archive_list(rl_archive *a, const char *commit, const char *dir, rl_strv *out,
		    rl_error *err);

typedef struct rl_file {
	const char *path; /* "text.md", "pages/0085.md", "raw/0085.html" */
	const char *data;
	size_t len;
} rl_file;

typedef struct rl_commit_req {
	const char *source;
	const char *expected_tip; /* the tip the caller diffed against; "" or NULL: none */
	int64_t time;             /* fetch time */
	const char *message;      /* subject, blank line, body and trailers */
	const rl_file *files;
	size_t n_files;
} rl_commit_req;

/* Writes the tree and the commit, then moves refs/heads/<source> from
 * expected_tip to it in one compare-and-swap. RL_ECONFLICT when the
 * branch moved meanwhile (nothing is lost: the objects are simply
 * unreferenced). out receives the new commit id. */
int rl_archive_commit(rl_archive *a, const rl_commit_req *req, char out[RL_OID_HEX + 1],
		      rl_error *err);

/* The tip of a source's branch; RL_ENOTFOUND when it has none. */
int rl_archive_tip(rl_archive *a, const char *source, char out[RL_OID_HEX + 1], rl_error *err);

/* Directory for operational state inside the repository (<path>/redline). */
const char *rl_archive_state_dir(const rl_archive *a);

#endif
