/* Helpers every command shares: options, errors, configuration, archive,
 * color and paging. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "cli.h"
#include "redline/git-certs.h"

int cli_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("redline: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

const struct option cli_report_longs[] = {
    {"format", required_argument, NULL, 'f'},
    {"color", required_argument, NULL, 'C'},
    {"context", required_argument, NULL, 'U'},
    {"no-moves", no_argument, NULL, 'M'},
    {NULL, 0, NULL, 0},
};

const cli_report_args cli_report_defaults = {RL_FORMAT_WORD, "auto", -1, 0};

int cli_report_option(cli_ctx *ctx, int opt, cli_report_args *args)
{
	switch (opt) {
	case 'f':
		if (rl_format_parse(optarg, &args->format) < 0) {
			cli_usage_error(ctx, "unknown format '%s' (word, unified, json, html)",
					optarg);
			return -1;
		}
		return 1;
	case 'C':
		if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "always") != 0 &&
		    strcmp(optarg, "never") != 0) {
			cli_usage_error(ctx, "--color takes auto, always or never");
			return -1;
		}
		args->color = optarg;
		return 1;
	case 'U': {
		char *end;
		long n;

		errno = 0;
		n = strtol(optarg, &end, 10);
		if (errno || end == optarg || *end || n < 0 || n > 100000) {
			cli_usage_error(ctx, "--context takes a number of lines, 0 to 100000: '%s'",
					optarg);
			return -1;
		}
		args->context = (int)n;
		return 1;
	}
	case 'M':
		args->no_moves = 1;
		return 1;
	default:
		return 0;
	}
}

int cli_usage_error(cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "redline %s: ", ctx->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: redline %s\n", ctx->cmd->usage);
	return EXIT_USAGE;
}

static void print_command_help(const cli_command *c)
{
	printf("usage: redline %s\n\n%s\n", c->usage, c->summary);
	if (c->help && *c->help)
		printf("\n%s", c->help);
	printf("\nGlobal options: -c FILE (configuration), -A DIR (archive).\n");
}

int cli_getopt(cli_ctx *ctx, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	char shorts[128];
	struct option longs[64];
	size_t n = 0;
	int opt;

	snprintf(shorts, sizeof(shorts), ":%sc:A:h", shortopts ? shortopts : "");
	for (; longopts && longopts[n].name && n < 60; n++)
		longs[n] = longopts[n];
	longs[n++] = (struct option){"help", no_argument, NULL, 'h'};
	longs[n] = (struct option){NULL, 0, NULL, 0};
	for (;;) {
		opt = getopt_long(argc, argv, shorts, longs, NULL);
		switch (opt) {
		case 'c':
			ctx->config_path = optarg;
			ctx->config_explicit = 1;
			continue;
		case 'A':
			ctx->archive_path = optarg;
			continue;
		case 'h':
			print_command_help(ctx->cmd);
			exit(0);
		case ':':
			cli_usage_error(ctx, "option '%s' needs a value", argv[optind - 1]);
			return '?';
		case '?':
			cli_usage_error(ctx, "unknown option '%s'", argv[optind - 1]);
			return '?';
		default:
			return opt;
		}
	}
}

void cli_git(cli_ctx *ctx)
{
	if (!ctx->git_ready) {
		git_libgit2_init();
		/* The CA certificates libgit2 read (0.4 MiB) serve only a push
		 * to https, which reads them again (redline/git-certs.h). */
		rl_git_certs_release();
		ctx->git_ready = 1;
	}
}

rl_config *cli_config(cli_ctx *ctx, int optional)
{
	rl_strv problems = RL_STRV_INIT;
	rl_error err;
	int rc;

	if (ctx->config)
		return ctx->config;
	cli_git(ctx);
	rl_error_clear(&err);
	rc = rl_config_load(&ctx->config, ctx->config_path, &problems, &err);
	if (rc == RL_ENOTFOUND && optional && !ctx->config_explicit) {
		rl_strv_free(&problems);
		if (rl_config_new_default(&ctx->config, &err) < 0) {
			cli_fail(EXIT_USAGE, "%s", err.message);
			return NULL;
		}
		return ctx->config;
	}
	if (rc < 0) {
		if (problems.n == 0)
			fprintf(stderr, "redline: %s\n", err.message);
		for (size_t i = 0; i < problems.n; i++)
			fprintf(stderr, "redline: %s\n", problems.v[i]);
		rl_strv_free(&problems);
		return NULL;
	}
	rl_strv_free(&problems);
	return ctx->config;
}

rl_archive *cli_archive(cli_ctx *ctx)
{
	const char *path = ctx->archive_path;
	rl_error err;

	if (ctx->archive)
		return ctx->archive;
	cli_git(ctx);
	if (!path) {
		rl_config *cfg = cli_config(ctx, 0);

		if (!cfg)
			return NULL;
		path = cfg->archive_path;
		if (!path) {
			cli_fail(EXIT_USAGE, "%s: no [archive] path; give one or use -A DIR",
				 ctx->config_path);
			return NULL;
		}
	}
	if (rl_archive_open(&ctx->archive, path, &err) < 0) {
		cli_fail(EXIT_DIFF, "%s", err.message);
		return NULL;
	}
	return ctx->archive;
}

int cli_watch_terms(cli_ctx *ctx, const char *source, rl_strv *out)
{
	rl_config *cfg = cli_config(ctx, 1);
	const rl_source *src;

	if (!cfg)
		return -1;
	if (rl_strv_copy(out, &cfg->watch_terms) < 0)
		return -1;
	src = source ? rl_config_source(cfg, source) : NULL;
	if (src)
		for (size_t i = 0; i < src->watch.n; i++)
			if (!rl_strv_contains(out, src->watch.v[i]) &&
			    rl_strv_push(out, src->watch.v[i]) < 0)
				return -1;
	return 0;
}

int cli_color_wanted(const char *mode, FILE *stream)
{
	const char *no_color = getenv("NO_COLOR");

	if (mode && strcmp(mode, "always") == 0)
		return 1;
	if (mode && strcmp(mode, "never") == 0)
		return 0;
	if (no_color && *no_color)
		return 0;
	return isatty(fileno(stream)) && !rl_streq(getenv("TERM"), "dumb");
}

static int write_all(FILE *f, const char *data, size_t len)
{
	return fwrite(data, 1, len, f) == len ? 0 : -1;
}

/* Volatile: nothing reads it, and the stores must stay (without,
 * LeakSanitizer saw the report as leaked). */
static struct {
	rl_report *r;
	rl_structure *a, *b;
} *volatile left_to_exit, kept;

void cli_leave_to_exit(rl_report *r, rl_structure *a, rl_structure *b)
{
	kept.r = r;
	kept.a = a;
	kept.b = b;
	left_to_exit = &kept;
}

/* The pager set (REDLINE_PAGER, else PAGER), or NULL when output goes
 * straight to standard output: not a terminal, or no pager ("" or cat). */
static const char *pager_wanted(void)
{
	const char *pager = getenv("REDLINE_PAGER");

	if (!pager)
		pager = getenv("PAGER");
	if (!isatty(STDOUT_FILENO) || (pager && (!*pager || strcmp(pager, "cat") == 0)))
		return NULL;
	return pager ? pager : "less";
}

static int stdout_sink(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	return write_all(stdout, data, len);
}

void cli_render_to_stdout(rl_render_opts *opts)
{
	if (!pager_wanted()) {
		opts->sink = stdout_sink;
		opts->sink_ctx = NULL;
	}
}

int cli_page_output(const char *data, size_t len)
{
	const char *pager = pager_wanted();
	FILE *p;
	int status;

	if (!pager)
		return write_all(stdout, data, len);
	/* less: quit if one screen, keep colors, leave the screen alone. */
	setenv("LESS", "FRX", 0);
	fflush(stdout);
	p = popen(pager, "w");
	if (!p)
		return write_all(stdout, data, len);
	write_all(p, data, len);
	status = pclose(p);
	return status == -1 ? -1 : 0;
}

void cli_version_name(const rl_version *v, char *out, size_t outlen)
{
	char iso[32];

	rl_time_iso(v->time, iso);
	iso[10] = '\0';
	snprintf(out, outlen, "%s@%.7s (%s)", v->source ? v->source : "?", v->commit, iso);
}
