/* redline add: a new [source "ID"] in the configuration file. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int run_add(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"pages", required_argument, NULL, 'p'},
	    {"interval", required_argument, NULL, 'i'},
	    {"title", required_argument, NULL, 't'},
	    {NULL, 0, NULL, 0},
	};
	rl_source_spec spec = {0};
	rl_strv problems = RL_STRV_INIT;
	rl_error err;
	int opt, rc;

	while ((opt = cli_getopt(ctx, argc, argv, "", longs)) != -1) {
		switch (opt) {
		case 'p':
			spec.pages = optarg;
			break;
		case 'i':
			spec.interval = optarg;
			break;
		case 't':
			spec.title = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(ctx, "give a source id and its URL");
	spec.id = argv[optind];
	spec.url = argv[optind + 1];
	rl_error_clear(&err);
	/* Everything the user typed is checked before the file is touched. */
	if (rl_source_spec_check(&spec, &err) < 0)
		return cli_usage_error(ctx, "%s", err.message);
	rc = rl_config_add_source(ctx->config_path, &spec, &problems, &err);
	if (rc < 0) {
		for (size_t i = 0; i < problems.n; i++)
			fprintf(stderr, "redline: %s\n", problems.v[i]);
		rl_strv_free(&problems);
		cli_fail(0, "%s", err.message);
		return rc == RL_EIO || rc == RL_ENOMEM || rc == RL_ECONFLICT ? EXIT_DIFF
									     : EXIT_USAGE;
	}
	rl_strv_free(&problems);
	printf("added source '%s' to %s\n", spec.id, ctx->config_path);
	return 0;
}

const cli_command cmd_add = {
    "add",
    "add ID URL [--pages P] [--interval I] [--title T]",
    "add a source to the configuration file",
    "Writes [source \"ID\"] at the end of the configuration (created when missing),\n"
    "keeping everything else as it was; `redline fetch ID` archives it.\n"
    "ID             letters, digits, '-', '_', '.'; it names the source's branch\n"
    "URL            http, https or file; {page} where a page number goes\n"
    "--pages P      85-86, 7, auto (from 1 until the first 404) or 5-auto; needed\n"
    "               with {page}\n"
    "--interval I   how often the daemon fetches it (30m, 6h, 1d; default 6h)\n"
    "--title T      shown in listings (default: the id)\n"
    "Exit status: 0 added; 2 a bad value, an id already taken or a configuration\n"
    "with problems (nothing is written then); 1 the file could not be written or\n"
    "another edit holds FILE.lock.\n",
    .run = run_add,
};
