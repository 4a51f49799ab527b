/* redline init: create the archive. */
#include "cli.h"

static int run_init(cli_ctx *ctx, int argc, char **argv)
{
	const char *path = ctx->archive_path;
	rl_archive *a = NULL;
	rl_error err;
	int existed;

	if (cli_getopt(ctx, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if (!path) {
		rl_config *cfg = cli_config(ctx, 0);

		if (!cfg)
			return EXIT_USAGE;
		path = cfg->archive_path;
		if (!path)
			return cli_fail(EXIT_USAGE, "%s: no [archive] path; give one or use -A DIR",
					ctx->config_path);
	}
	existed = rl_archive_open(&a, path, NULL) == 0;
	rl_archive_free(a);
	a = NULL;
	if (rl_archive_init(&a, path, &err) < 0)
		return cli_fail(EXIT_DIFF, "%s", err.message);
	printf("%s redline archive in %s\n",
	       existed ? "Reinitialized existing" : "Initialized empty", rl_archive_path(a));
	rl_archive_free(a);
	return 0;
}

const cli_command cmd_init = {
    "init",
    "init",
    "create the archive (a bare git repository)",
    "Creates the archive at -A DIR or at [archive] path of the configuration.\n"
    "Running it on an existing archive changes nothing.\n",
    .run = run_init,
};
