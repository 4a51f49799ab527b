/* redline help: the commands, or one command's usage and options. */
#include "cli.h"

static int run_help(cli_ctx *ctx, int argc, char **argv)
{
	const cli_command *c;

	if (cli_getopt(ctx, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (optind >= argc) {
		cli_print_overview(stdout);
		return 0;
	}
	c = cli_find_command(argv[optind]);
	if (!c)
		return cli_unknown_command(argv[optind]);
	printf("usage: redline %s\n\n%s\n", c->usage, c->summary);
	if (c->help && *c->help)
		printf("\n%s", c->help);
	return 0;
}

const cli_command cmd_help = {
    "help", "help [COMMAND]", "list the commands, or describe one", "", run_help, .lazy_git = 1,
};
