/* redline push: the source branches to the configured remotes. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "redline/replicate.h"

static void print_result(const rl_push_result *r, int quiet)
{
	if (!quiet)
		printf("%s (%s): %zu updated, %zu up to date, %zu rejected\n", r->remote, r->url,
		       r->updated, r->uptodate, r->rejected);
	for (size_t i = 0; i < r->n_refs; i++)
		if (r->refs[i].status == RL_PUSH_REJECTED)
			fprintf(stderr, "redline: %s (%s): %s rejected: %s\n", r->remote, r->url,
				r->refs[i].ref, r->refs[i].reason ? r->refs[i].reason : "?");
}

/* A configured name, else a URL or path given on the command line (named
 * by itself, without its credentials, in adhoc: its name is malloc'd). */
static const rl_remote *pick_remote(const rl_config *cfg, const char *arg, rl_remote *adhoc)
{
	for (size_t i = 0; i < cfg->n_remotes; i++)
		if (strcmp(cfg->remotes[i].name, arg) == 0)
			return &cfg->remotes[i];
	if (!strchr(arg, '/') && !strchr(arg, ':'))
		return NULL;
	adhoc->name = rl_url_redact(arg);
	adhoc->url = (char *)arg;
	return adhoc->name ? adhoc : NULL;
}

static int run_push(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"quiet", no_argument, NULL, 'q'},
	    {NULL, 0, NULL, 0},
	};
	rl_remote adhoc = {NULL, NULL};
	const rl_remote *remotes;
	size_t n;
	rl_config *cfg;
	rl_archive *a;
	int opt, quiet = 0, status = 0;

	while ((opt = cli_getopt(ctx, argc, argv, "q", longs)) != -1) {
		if (opt != 'q')
			return EXIT_USAGE;
		quiet = 1;
	}
	if (argc - optind > 1)
		return cli_usage_error(ctx, "one remote at most, not '%s'", argv[optind + 1]);
	cfg = cli_config(ctx, 1);
	if (!cfg)
		return EXIT_USAGE;
	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	if (optind < argc) {
		remotes = pick_remote(cfg, argv[optind], &adhoc);
		if (!remotes)
			return cli_fail(EXIT_USAGE, "no [remote \"%s\"] in %s", argv[optind],
					cfg->file ? cfg->file : "the configuration");
		n = 1;
	} else {
		remotes = cfg->remotes;
		n = cfg->n_remotes;
		if (n == 0)
			return cli_fail(EXIT_USAGE, "%s has no [remote] to push to",
					cfg->file ? cfg->file : "the configuration");
	}
	/* Every remote is tried; one that fails does not stop the others. */
	for (size_t i = 0; i < n; i++) {
		rl_push_result r;
		rl_error err;

		if (rl_push(a, cfg, &remotes[i], &r, &err) < 0) {
			fprintf(stderr, "redline: %s\n", err.message);
			status = EXIT_DIFF;
		} else {
			print_result(&r, quiet);
			if (r.rejected)
				status = EXIT_DIFF;
		}
		rl_push_result_clear(&r);
	}
	free(adhoc.name);
	return status;
}

const cli_command cmd_push = {
    "push",
    "push [-q] [REMOTE]",
    "push every source branch to the configured remotes",
    "Pushes every source branch (and main, unless [daemon] shard is set) to\n"
    "REMOTE, a [remote \"NAME\"] of the configuration or a path or URL, or to\n"
    "every configured remote. Never forced: a branch the remote has moved\n"
    "elsewhere is reported as rejected and left alone.\n"
    "-q, --quiet    only rejections and failures\n"
    "Exit status: 0 when every remote has every branch, 1 when a remote failed\n"
    "or rejected a branch, 2 on a usage or configuration error.\n",
    .run = run_push,
};
