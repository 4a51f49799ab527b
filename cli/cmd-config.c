/* redline config check: every configuration problem, with file, line and key. */
#include <string.h>

#include "cli.h"

static int run_config(cli_ctx *ctx, int argc, char **argv)
{
	rl_strv problems = RL_STRV_INIT;
	rl_config *cfg = NULL;
	rl_error err;
	int rc;

	if (cli_getopt(ctx, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (optind >= argc || strcmp(argv[optind], "check") != 0)
		return cli_usage_error(ctx, "the only subcommand is 'check'");
	if (optind + 1 < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'", argv[optind + 1]);
	rl_error_clear(&err);
	rc = rl_config_load(&cfg, ctx->config_path, &problems, &err);
	if (rc < 0) {
		if (problems.n == 0)
			fprintf(stderr, "redline: %s\n", err.message);
		for (size_t i = 0; i < problems.n; i++)
			fprintf(stderr, "%s\n", problems.v[i]);
		fprintf(stderr, "%s: %zu problem%s\n", ctx->config_path,
			problems.n ? problems.n : 1, problems.n == 1 ? "" : "s");
		rl_strv_free(&problems);
		return EXIT_USAGE;
	}
	printf("%s: OK (%zu source%s, %zu notification channel%s)\n", ctx->config_path,
	       cfg->n_sources, cfg->n_sources == 1 ? "" : "s", cfg->n_channels,
	       cfg->n_channels == 1 ? "" : "s");
	rl_config_free(cfg);
	rl_strv_free(&problems);
	return 0;
}

const cli_command cmd_config = {
    "config",
    "config check",
    "check the configuration file",
    "check    read the configuration and list every problem as FILE:LINE: KEY: what is\n"
    "         wrong; exit status 2 when there is any, 0 when it is sound.\n",
    .run = run_config,
};
