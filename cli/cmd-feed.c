/* redline feed: an Atom feed of the archive's changes on stdout. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "redline/feed.h"

static int run_feed(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"max", required_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0},
	};
	const char *source = NULL;
	rl_buf out = RL_BUF_INIT;
	rl_config *cfg;
	rl_archive *a;
	rl_error err;
	long max = 0;
	char *end;
	int opt, rc;

	while ((opt = cli_getopt(ctx, argc, argv, "n:", longs)) != -1) {
		if (opt != 'n')
			return EXIT_USAGE;
		max = strtol(optarg, &end, 10);
		if (*end || max < 1 || max > 10000)
			return cli_usage_error(ctx, "-n takes a number from 1 to 10000");
	}
	if (argc - optind > 1)
		return cli_usage_error(ctx, "give at most one SOURCE");
	if (optind < argc)
		source = argv[optind];
	cfg = cli_config(ctx, 1);
	if (!cfg)
		return EXIT_USAGE;
	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	if (source && !rl_archive_has_source(a, source) && !rl_config_source(cfg, source))
		return cli_fail(EXIT_DIFF, "no source '%s' in the archive or the configuration",
				source);
	rc = rl_feed_build(&out, a, cfg, source, (size_t)max, &err);
	if (rc == 0 && fwrite(out.ptr, 1, out.len, stdout) != out.len)
		rc = rl_error_set(&err, RL_EIO, "cannot write the feed");
	rl_buf_free(&out);
	if (rc < 0)
		return cli_fail(EXIT_DIFF, "%s", err.message);
	return 0;
}

const cli_command cmd_feed = {
    "feed",
    "feed [SOURCE] [-n N]",
    "an Atom feed of the changes on stdout",
    "Every version (reextracts left out), newest first, with the commit subject as\n"
    "title and the word diff as content; one source's, or every source's merged.\n"
    "-n, --max N    at most N entries (default 50)\n"
    "[feed] path in the configuration makes the daemon keep such a file up to date.\n",
    run_feed,
    .shows_only = 1,
};
