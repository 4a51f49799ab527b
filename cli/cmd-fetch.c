/* redline fetch: one fetch pass now, writing the archive as the daemon does. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct fetch_view {
	int quiet;
	int tty;        /* one updating progress line */
	int line_shown; /* the progress line is on screen */
	int64_t last_draw;
} fetch_view;

static void human_bytes(uint64_t b, char *out, size_t len)
{
	if (b >= (uint64_t)1024 * 1024)
		snprintf(out, len, "%.1f MiB", (double)b / (1024.0 * 1024.0));
	else if (b >= 1024)
		snprintf(out, len, "%.1f KiB", (double)b / 1024.0);
	else
		snprintf(out, len, "%llu B", (unsigned long long)b);
}

static void clear_line(fetch_view *v)
{
	if (v->line_shown) {
		fputs("\r\033[K", stderr);
		v->line_shown = 0;
	}
}

static void draw_progress(fetch_view *v, const rl_fetch_progress *p, int force)
{
	char bytes[32];
	int64_t now = rl_now_ms();

	if (!force && now - v->last_draw < 100)
		return;
	v->last_draw = now;
	human_bytes(p->bytes, bytes, sizeof(bytes));
	fprintf(stderr, "\r\033[Kfetching: %zu/%zu sources, %zu/%zu pages, %zu failed, %s",
		p->sources_done, p->sources_total, p->pages_done, p->pages_total, p->sources_failed,
		bytes);
	v->line_shown = 1;
}

static void on_event(const rl_pass_event *ev, void *ctx)
{
	fetch_view *v = ctx;
	const rl_update *u = ev->update;

	if (ev->source && u && u->outcome == RL_OUTCOME_FAILED) {
		clear_line(v);
		fprintf(stderr, "%s: failed: %s\n", ev->source->id, u->error ? u->error : "?");
	} else if (ev->source && u && !v->quiet && (!v->tty || u->outcome == RL_OUTCOME_CHANGED)) {
		clear_line(v);
		if (u->outcome == RL_OUTCOME_CHANGED)
			printf("%s: %s %.10s %s\n", ev->source->id, u->first ? "new" : "changed",
			       u->commit, u->subject ? strchr(u->subject, ':') + 2 : "");
		else if (ev->fetch && ev->fetch->not_modified)
			printf("%s: unchanged (not modified)\n", ev->source->id);
		else
			printf("%s: unchanged\n", ev->source->id);
		fflush(stdout);
	}
	if (v->tty && !v->quiet && ev->progress)
		draw_progress(v, ev->progress, ev->source != NULL);
}

static int run_fetch(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"quiet", no_argument, NULL, 'q'},
	    {NULL, 0, NULL, 0},
	};
	const rl_source **sources = NULL;
	rl_pass_summary sum;
	fetch_view view = {0};
	size_t n = 0;
	rl_config *cfg;
	rl_archive *a;
	rl_error err;
	int opt, rc;

	while ((opt = cli_getopt(ctx, argc, argv, "q", longs)) != -1) {
		if (opt != 'q')
			return EXIT_USAGE;
		view.quiet = 1;
	}
	cfg = cli_config(ctx, 0);
	if (!cfg)
		return EXIT_USAGE;
	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	if (optind < argc) {
		sources = calloc((size_t)(argc - optind), sizeof(const rl_source *));
		if (!sources)
			return cli_fail(EXIT_DIFF, "out of memory");
		for (int i = optind; i < argc; i++) {
			const rl_source *s = rl_config_source(cfg, argv[i]);

			if (!s) {
				free(sources);
				return cli_fail(EXIT_USAGE, "no source '%s' in %s", argv[i],
						cfg->file ? cfg->file : "the configuration");
			}
			sources[n++] = s;
		}
	} else if (cfg->n_sources == 0) {
		return cli_fail(EXIT_USAGE, "%s has no [source] to fetch", cfg->file);
	}
	view.tty = isatty(STDERR_FILENO);
	rc = rl_pass_run(a, cfg, sources, n, on_event, &view, &sum, &err);
	clear_line(&view);
	free(sources);
	if (rc < 0)
		return cli_fail(EXIT_DIFF, "%s", err.message);
	if (!view.quiet)
		printf("fetched %zu, unchanged %zu, changed %zu, failed %zu\n", sum.fetched,
		       sum.unchanged, sum.changed, sum.failed);
	return sum.failed ? EXIT_DIFF : 0;
}

const cli_command cmd_fetch = {
    "fetch",
    "fetch [-q] [SOURCE...]",
    "fetch every source (or those named) once now",
    "Runs one fetch pass and archives what changed, exactly as the daemon does.\n"
    "-q, --quiet    no progress and no summary; failures are still reported\n"
    "Exit status: 0 when every source was fetched, 1 when any failed (the others\n"
    "are archived all the same), 2 on a usage or configuration error.\n",
    .run = run_fetch,
};
