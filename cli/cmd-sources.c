/* redline sources: the configured sources. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static void print_json(const rl_config *cfg)
{
	json_t *arr = json_array();
	char pages[64], interval[32], *s;

	for (size_t i = 0; i < cfg->n_sources; i++) {
		const rl_source *src = &cfg->sources[i];
		json_t *o = json_object();

		rl_source_pages_format(src, pages, sizeof(pages));
		rl_format_duration(src->interval, interval, sizeof(interval));
		json_object_set_new(o, "id", json_string(src->id));
		json_object_set_new(o, "title", json_string(src->title ? src->title : src->id));
		json_object_set_new(o, "url", json_string(src->url));
		json_object_set_new(o, "pages", *pages ? json_string(pages) : json_null());
		json_object_set_new(o, "interval", json_string(interval));
		json_array_append_new(arr, o);
	}
	s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s ? s : "[]");
	free(s);
	json_decref(arr);
}

static void print_text(const rl_config *cfg)
{
	char pages[64], interval[32];

	for (size_t i = 0; i < cfg->n_sources; i++) {
		const rl_source *src = &cfg->sources[i];

		rl_source_pages_format(src, pages, sizeof(pages));
		rl_format_duration(src->interval, interval, sizeof(interval));
		printf("%-24s %-8s %-10s %s\n", src->id, interval, *pages ? pages : "-",
		       src->title ? src->title : src->id);
		printf("  %s\n", src->url);
	}
}

static int run_sources(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	rl_config *cfg;
	int opt, json = 0;

	while ((opt = cli_getopt(ctx, argc, argv, "", longs)) != -1) {
		if (opt != 'j')
			return EXIT_USAGE;
		json = 1;
	}
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	cfg = cli_config(ctx, 0);
	if (!cfg)
		return EXIT_USAGE;
	if (json)
		print_json(cfg);
	else
		print_text(cfg);
	return 0;
}

const cli_command cmd_sources = {
    "sources",
    "sources [--json]",
    "list the configured sources",
    "One source a line: id, interval, pages and title, then its URL.\n"
    "--json         a JSON list of {id, title, url, pages, interval}; pages is null\n"
    "               for a single URL\n",
    .run = run_sources,
};
