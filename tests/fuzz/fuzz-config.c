/* libFuzzer target: redline.conf parsing (libgit2's config parser and
 * every key redline checks), through a file as a user gives it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "redline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rl_strv problems = RL_STRV_INIT;
	rl_config *cfg = NULL;
	rl_error err;
	FILE *f;

	if (!path[0]) {
		int fd;

		snprintf(path, sizeof(path), "/tmp/redline-fuzz-config.XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
	}
	f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	if (rl_config_load(&cfg, path, &problems, &err) == 0) {
		for (size_t i = 0; i < cfg->n_sources; i++)
			rl_config_in_shard(cfg, cfg->sources[i].id);
		rl_config_free(cfg);
	}
	rl_strv_free(&problems);
	return 0;
}
