/* Scratch archives for the unit tests (scratch-archive.h). */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scratch-archive.h"

int scratch_archive_init(const char *name, char dir[SCRATCH_DIR_LEN], char *path, rl_archive **a)
{
	char p[SCRATCH_PATH_LEN];
	rl_error err;

	*a = NULL;
	if (snprintf(dir, SCRATCH_DIR_LEN, "/tmp/redline-%s.XXXXXX", name) >= SCRATCH_DIR_LEN ||
	    !mkdtemp(dir))
		return -1;
	snprintf(p, sizeof(p), "%s/archive.git", dir);
	if (path)
		memcpy(path, p, sizeof(p));
	return rl_archive_init(a, p, &err) < 0 ? -1 : 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int scratch_archive_remove(const char *dir, rl_archive *a)
{
	rl_archive_free(a);
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
