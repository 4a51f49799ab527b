/* redline rm: take a source out of the configuration file. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int run_rm(cli_ctx *ctx, int argc, char **argv)
{
	rl_strv problems = RL_STRV_INIT;
	rl_error err;
	int rc;

	if (cli_getopt(ctx, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (argc - optind != 1)
		return cli_usage_error(ctx, "give one source id");
	rl_error_clear(&err);
	rc = rl_config_remove_source(ctx->config_path, argv[optind], &problems, &err);
	if (rc < 0) {
		for (size_t i = 0; i < problems.n; i++)
			fprintf(stderr, "redline: %s\n", problems.v[i]);
		rl_strv_free(&problems);
		cli_fail(0, "%s", err.message);
		return rc == RL_EIO || rc == RL_ENOMEM || rc == RL_ECONFLICT ? EXIT_DIFF
									     : EXIT_USAGE;
	}
	rl_strv_free(&problems);
	printf("removed source '%s' from %s (its archived versions stay)\n", argv[optind],
	       ctx->config_path);
	return 0;
}

const cli_command cmd_rm = {
    "rm",
    "rm ID",
    "remove a source from the configuration file",
    "Deletes [source \"ID\"] and its keys, keeping the rest of the file as it was.\n"
    "The source's branch in the archive, its versions and its state are kept.\n"
    "Exit status: 0 removed; 2 no such source or a configuration with problems.\n",
    .run = run_rm,
};
