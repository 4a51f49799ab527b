/* redline gc: pack the archive, write its commit-graph, prune what is
 * unreachable. */
#include <string.h>

#include "cli.h"

static void human_size(uint64_t b, char *out, size_t len)
{
	if (b >= (uint64_t)1024 * 1024)
		snprintf(out, len, "%.1f MiB", (double)b / (1024.0 * 1024.0));
	else if (b >= 1024)
		snprintf(out, len, "%.1f KiB", (double)b / 1024.0);
	else
		snprintf(out, len, "%llu B", (unsigned long long)b);
}

static int parse_prune(const char *v, rl_gc_opts *opts)
{
	if (strcmp(v, "now") == 0) {
		opts->prune_now = 1;
		return 0;
	}
	if (strcmp(v, "never") == 0) {
		opts->no_prune = 1;
		return 0;
	}
	return rl_parse_duration(v, &opts->grace) < 0 || opts->grace <= 0 ? -1 : 0;
}

static int run_gc(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"prune", required_argument, NULL, 'p'},
	    {"incremental", no_argument, NULL, 'i'},
	    {"quiet", no_argument, NULL, 'q'},
	    {NULL, 0, NULL, 0},
	};
	rl_gc_opts opts = {0};
	rl_gc_stats st;
	rl_archive *a;
	rl_error err;
	char size[32], grace[32];
	int opt, quiet = 0;

	while ((opt = cli_getopt(ctx, argc, argv, "q", longs)) != -1) {
		if (opt == 'q')
			quiet = 1;
		else if (opt == 'i')
			opts.incremental = 1;
		else if (opt == 'p' && parse_prune(optarg, &opts) == 0)
			continue;
		else if (opt == 'p')
			return cli_usage_error(
			    ctx, "--prune takes now, never or a duration (2h), not '%s'", optarg);
		else
			return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	if (rl_archive_gc(a, &opts, &st, &err) < 0)
		return cli_fail(EXIT_DIFF, "%s", err.message);
	if (quiet)
		return 0;
	human_size(st.pack_bytes, size, sizeof(size));
	rl_format_duration(opts.grace ? opts.grace : RL_GC_GRACE_DEFAULT, grace, sizeof(grace));
	if (st.objects)
		printf("packed %zu %sobjects of %zu refs into pack-%.12s (%s)\n", st.objects,
		       st.full ? "" : "loose ", st.refs, st.pack_name, size);
	else
		printf("nothing to pack\n");
	printf("removed %zu loose objects now packed and %zu redundant pack%s\n", st.loose_removed,
	       st.packs_removed, st.packs_removed == 1 ? "" : "s");
	if (opts.no_prune)
		printf("pruned nothing (--prune=never): %zu unreachable objects kept\n",
		       st.kept_fresh);
	else if (st.kept_fresh && opts.prune_now)
		printf("pruned %zu unreachable objects; kept %zu that a busy writer may need\n",
		       st.pruned, st.kept_fresh);
	else if (st.kept_fresh)
		printf("pruned %zu unreachable objects; kept %zu younger than %s (a writer in "
		       "flight may need them)\n",
		       st.pruned, st.kept_fresh, grace);
	else
		printf("pruned %zu unreachable objects\n", st.pruned);
	if (st.full)
		printf("commit-graph: %zu commits; refs %s\n", st.commits,
		       st.refs_packed ? "packed" : "left loose (a writer held one)");
	else
		printf("incremental: %zu packs (a full repack at %d); refs %s\n", st.packs + 1,
		       RL_GC_PACKS_MAX,
		       st.refs_packed ? "packed" : "left loose (a writer held one)");
	if (st.recovered.ref_locks || st.recovered.temp_files)
		printf("recovered %zu stale ref lock%s and %zu temporary file%s of killed "
		       "processes\n",
		       st.recovered.ref_locks, st.recovered.ref_locks == 1 ? "" : "s",
		       st.recovered.temp_files, st.recovered.temp_files == 1 ? "" : "s");
	return 0;
}

const cli_command cmd_gc = {
    "gc",
    "gc [--incremental] [--prune=now|never|DURATION] [-q]",
    "pack the archive, write its commit-graph, prune unreachable objects",
    "Packs every version into one pack with deltas, removes the loose objects and\n"
    "the packs that made redundant, writes the commit-graph, packs the refs and\n"
    "removes the locks and temporary files that killed processes left.\n"
    "Safe beside a running redlined or redline fetch.\n"
    "--incremental  pack only the loose objects into a new pack, as the daemon\n"
    "               does (a full repack once there are many packs)\n"
    "--prune=WHEN   unreachable objects (a lost race, a killed fetch) older than\n"
    "               WHEN go (default 1h); now: all of them; never: none\n"
    "-q, --quiet    print nothing but errors\n",
    .run = run_gc,
};
