/* redline: global options, the command table and dispatch. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "redline/curl-loader.h"
#include "redline/git-loader.h"
#include "redline/text-loader.h"

const cli_command *const *cli_commands(void)
{
	return command_table;
}

const cli_command *cli_find_command(const char *name)
{
	for (const cli_command *const *c = command_table; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

void cli_print_overview(FILE *out)
{
	fprintf(out, "usage: redline [-c FILE] [-A DIR] COMMAND [ARGS]\n\n"
		     "redline keeps every version of watched documents in a git archive\n"
		     "and shows how their wording changed.\n\n"
		     "Commands:\n");
	for (const cli_command *const *c = command_table; *c; c++)
		fprintf(out, "  %-12s %s\n", (*c)->name, (*c)->summary);
	fprintf(out,
		"\nGlobal options:\n"
		"  -c FILE      configuration (else $REDLINE_CONFIG, else %s)\n"
		"  -A DIR       archive path (overrides [archive] path)\n"
		"  --version    print the version\n\n"
		"'redline COMMAND --help' tells more about one command.\n",
		RL_DEFAULT_CONFIG);
}

/* libgit2, libcrypto, ICU, libxml2 or libcurl missing: what the dynamic
 * linker would say and do. */
static void library_missing(const char *message)
{
	fprintf(stderr, "redline: %s\n", message);
	exit(127);
}

static int run(int argc, char **argv)
{
	cli_ctx ctx;
	const cli_command *cmd;
	int i = 1, rc;

	memset(&ctx, 0, sizeof(ctx));
	/* Global options come before the command, as in git. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "-A") == 0) && i + 1 < argc) {
			if (argv[i][1] == 'c') {
				ctx.config_path = argv[i + 1];
				ctx.config_explicit = 1;
			} else {
				ctx.archive_path = argv[i + 1];
			}
			i++;
		} else if (strncmp(argv[i], "-c", 2) == 0 && argv[i][2]) {
			ctx.config_path = argv[i] + 2;
			ctx.config_explicit = 1;
		} else if (strncmp(argv[i], "-A", 2) == 0 && argv[i][2]) {
			ctx.archive_path = argv[i] + 2;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("redline %s\n", RL_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_overview(stdout);
			return 0;
		} else {
			fprintf(stderr, "redline: unknown option '%s'\n", argv[i]);
			cli_print_overview(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		cli_print_overview(stderr);
		return EXIT_USAGE;
	}
	cmd = cli_find_command(argv[i]);
	if (!cmd)
		return cli_unknown_command(argv[i]);
	if (!ctx.config_path) {
		const char *env = getenv("REDLINE_CONFIG");

		ctx.config_path = env && *env ? env : RL_DEFAULT_CONFIG;
		ctx.config_explicit = env && *env;
	}
	ctx.cmd = cmd;

	/* libcurl is loaded and set up by the first fetcher (rl_fetcher_new)
	 * or the first notice (redline/curl-loader.h), so that commands that
	 * never fetch do not pay for it. libgit2 is loaded by cli_git, or
	 * for a lazy_git command by its first libgit2 call, if any
	 * (redline/git-loader.h); the frees below load nothing. */
	rl_git_set_fatal(library_missing);
	rl_text_set_fatal(library_missing);
	rl_curl_set_fatal(library_missing);
	if (cmd->shows_only)
		rl_archive_verify_reads(0);
	if (!cmd->lazy_git)
		cli_git(&ctx);

	rc = cmd->run(&ctx, argc - i, argv + i);

	rl_archive_free(ctx.archive);
	rl_config_free(ctx.config);
	/* The libraries' own clean-ups (ICU's and libxml2's caches and
	 * unloading them, libgit2's and libcurl's global state) are left to
	 * the exit, which takes their memory back at once: they were 0.2 to
	 * 0.3 ms of every command (a compare of two editions: 0.6% of it).
	 * What they hold stays reachable from their globals, so valgrind and
	 * LeakSanitizer count no leak. The daemon, which goes on, lets them go
	 * after each pass (daemon/loop.c). */
	return rc;
}

int main(int argc, char **argv)
{
	int rc = run(argc, argv);

	/* What standard output did not take (a full disk) is an error, as in
	 * git: a short report sits in stdio's buffer, and its write fails
	 * only here, where it went unsaid with exit status 0 or 1. A reader
	 * that went away (a pipe to head, SIGPIPE ignored) is not told of. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (rc != EXIT_USAGE && errno != EPIPE)
			fprintf(stderr, "redline: cannot write to standard output: %s\n",
				strerror(errno));
		rc = EXIT_USAGE;
	}
	return rc;
}
