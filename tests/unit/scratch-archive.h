/* A scratch archive for unit tests: a fresh directory under /tmp holding
 * archive.git, removed with everything in it afterwards. */
#ifndef REDLINE_TEST_SCRATCH_ARCHIVE_H
#define REDLINE_TEST_SCRATCH_ARCHIVE_H

#include "redline/archive.h"

#define SCRATCH_DIR_LEN  64
#define SCRATCH_PATH_LEN 128

/* Makes /tmp/redline-NAME.XXXXXX (its name into dir) and a bare archive
 * in it (path into path when not NULL); 0 or -1. */
int scratch_archive_init(const char *name, char dir[SCRATCH_DIR_LEN], char *path, rl_archive **a);
/* Frees a and removes dir with everything in it; 0 or -1. */
int scratch_archive_remove(const char *dir, rl_archive *a);

#endif
