/* redline reextract: rebuild a source's text from its archived raw bytes. */
#include "cli.h"

static int run_reextract(cli_ctx *ctx, int argc, char **argv)
{
	rl_reextract_result res;
	const rl_source *src;
	rl_config *cfg;
	rl_archive *a;
	rl_error err;

	if (cli_getopt(ctx, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (optind + 1 != argc)
		return cli_usage_error(ctx, "give one SOURCE");
	cfg = cli_config(ctx, 0);
	if (!cfg)
		return EXIT_USAGE;
	src = rl_config_source(cfg, argv[optind]);
	if (!src)
		return cli_fail(EXIT_USAGE, "no source '%s' in %s", argv[optind], cfg->file);
	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	if (!rl_archive_has_source(a, src->id))
		return cli_fail(EXIT_DIFF, "source '%s' has no versions to re-extract", src->id);
	if (rl_reextract(a, cfg, src, &res, &err) < 0)
		return cli_fail(EXIT_DIFF, "%s", err.message);
	printf("%s: %zu version%s re-extracted with extractor %s, %zu would read differently\n",
	       src->id, res.versions, res.versions == 1 ? "" : "s", RL_EXTRACTOR_VERSION,
	       res.differing);
	if (res.committed)
		printf("%s: latest text rebuilt in %.10s (%s)\n", src->id, res.commit,
		       res.subject ? res.subject : "");
	else
		printf("%s: the latest text is already today's; nothing written\n", src->id);
	rl_reextract_result_clear(&res);
	return 0;
}

const cli_command cmd_reextract = {
    "reextract",
    "reextract SOURCE",
    "rebuild a source's text from its archived raw bytes with today's extractor",
    "Re-extracts the raw bytes of every version and counts those whose text would read\n"
    "differently today. When the latest does, one commit on top of it carries the new\n"
    "text, marked 'Redline-Change: reextract'; it is never notified. Earlier versions\n"
    "are evidence and are never rewritten.\n",
    .run = run_reextract,
};
