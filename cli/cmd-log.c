/* redline log: versions, newest first; one source or all merged by time. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static void print_json(const rl_version_list *l)
{
	json_t *arr = json_array();
	char *s;

	for (size_t i = 0; i < l->n; i++) {
		const rl_version *v = &l->v[i];
		char iso[32];

		rl_time_iso(v->time, iso);
		json_array_append_new(arr,
				      json_pack("{s:s, s:s, s:o, s:s, s:s, s:s}", "source",
						v->source, "commit", v->commit, "parent",
						v->parent[0] ? json_string(v->parent) : json_null(),
						"date", iso, "change", v->change ? v->change : "",
						"subject", v->subject ? v->subject : ""));
	}
	s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s ? s : "[]");
	free(s);
	json_decref(arr);
}

static void print_text(const rl_version_list *l, int color)
{
	const char *y = color ? "\033[33m" : "", *off = color ? "\033[m" : "";

	for (size_t i = 0; i < l->n; i++) {
		const rl_version *v = &l->v[i];
		char iso[32];

		rl_time_iso(v->time, iso);
		iso[16] = '\0';
		iso[10] = ' ';
		printf("%s%.10s%s %s  %-9s %s\n", y, v->commit, off, iso,
		       v->change && *v->change ? v->change : "-", v->subject ? v->subject : "");
	}
}

static int run_log(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"color", required_argument, NULL, 'C'},
	    {NULL, 0, NULL, 0},
	};
	rl_version_list l = {0};
	const char *source = NULL, *color = "auto";
	long max = 0;
	int opt, json = 0, rc;
	rl_archive *a;
	rl_error err;
	char *end;

	while ((opt = cli_getopt(ctx, argc, argv, "n:", longs)) != -1) {
		switch (opt) {
		case 'n':
			max = strtol(optarg, &end, 10);
			if (*end || max < 1)
				return cli_usage_error(ctx, "-n takes a positive number, not '%s'",
						       optarg);
			break;
		case 'j':
			json = 1;
			break;
		case 'C':
			color = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		source = argv[optind++];
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	if (source) {
		if (rl_source_id_valid(source, &err) < 0)
			return cli_fail(EXIT_USAGE, "%s", err.message);
		if (!rl_archive_has_source(a, source)) {
			rl_config *cfg = cli_config(ctx, 1);

			if (cfg && rl_config_source(cfg, source)) {
				/* Configured but never archived: an empty history. */
				if (json)
					puts("[]");
				return 0;
			}
			return cli_fail(EXIT_DIFF, "source '%s' has no versions in %s", source,
					rl_archive_path(a));
		}
		rc = rl_archive_log(a, source, (size_t)max, &l, &err);
	} else {
		rc = rl_archive_log_all(a, (size_t)max, &l, &err);
	}
	if (rc < 0)
		return cli_fail(EXIT_DIFF, "%s", err.message);
	if (json)
		print_json(&l);
	else
		print_text(&l, cli_color_wanted(color, stdout));
	rl_version_list_free(&l);
	return 0;
}

const cli_command cmd_log = {
    "log",
    "log [SOURCE] [-n N] [--json]",
    "list versions, newest first (all sources merged by time)",
    "-n N           at most N versions\n"
    "--json         a JSON list of {source, commit, parent, date, change, subject}\n"
    "--color WHEN   auto, always or never\n",
    run_log,
};
