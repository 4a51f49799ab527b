/* redline notify: test a channel, see what it is owed, or mark the
 * archive's past as delivered (for a channel added to an old archive). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "redline/cursor.h"
#include "redline/notify.h"

#define TEST_WAIT_MS (RL_NOTIFY_TIMEOUT_MS + 5000)

static const rl_channel *channel_arg(cli_ctx *ctx, rl_config *cfg, const char *name)
{
	const rl_channel *ch = rl_config_channel(cfg, name);

	if (!ch) {
		cli_fail(EXIT_USAGE, "no [notify \"%s\"] in %s", name,
			 cfg->file ? cfg->file : ctx->config_path);
		return NULL;
	}
	return ch;
}

static int notify_test(cli_ctx *ctx, rl_config *cfg, int argc, char **argv)
{
	rl_notify_opts opts = {cfg->fetch.user_agent, 0};
	const rl_channel *ch;
	rl_notifier *n = NULL;
	rl_notice *notice = NULL;
	rl_delivery *d = NULL;
	rl_error err;
	int rc;

	if (argc != 1)
		return cli_usage_error(ctx, "notify test takes one CHANNEL");
	ch = channel_arg(ctx, cfg, argv[0]);
	if (!ch)
		return EXIT_USAGE;
	signal(SIGPIPE, SIG_IGN);
	rc = rl_notice_for_test(&notice, ch->name, &err);
	if (rc == 0)
		rc = rl_notifier_new(&n, &opts, &err);
	if (rc == 0)
		rc = rl_notifier_send(n, ch, notice, NULL, &err);
	if (rc == 0)
		rc = rl_notifier_wait(n, TEST_WAIT_MS, &err);
	if (rc == 0 && !rl_notifier_next(n, &d))
		rc = rl_error_set(&err, RL_ERROR, "channel '%s': no answer in time", ch->name);
	if (rc == 0) {
		printf("%s: %s: %s\n", ch->name, d->ok ? "delivered" : "failed", d->answer);
		rc = d->ok ? 0 : EXIT_DIFF;
	} else {
		rc = cli_fail(err.code == RL_ECONFIG ? EXIT_USAGE : EXIT_DIFF, "%s", err.message);
	}
	rl_delivery_free(d);
	rl_notifier_free(n);
	rl_notice_free(notice);
	return rc;
}

/* The sources of a channel: those named, else every source that
 * notifies it. */
static int channel_sources(rl_config *cfg, const rl_channel *ch, int argc, char **argv,
			   rl_strv *out)
{
	for (int i = 0; i < argc; i++) {
		if (!rl_config_source(cfg, argv[i]))
			return cli_fail(EXIT_USAGE, "no source '%s' in %s", argv[i], cfg->file);
		rl_strv_push(out, argv[i]);
	}
	for (size_t i = 0; argc == 0 && i < cfg->n_sources; i++)
		if (rl_strv_contains(&cfg->sources[i].notify, ch->name))
			rl_strv_push(out, cfg->sources[i].id);
	return 0;
}

static int notify_skip(cli_ctx *ctx, rl_config *cfg, int argc, char **argv)
{
	rl_strv ids = RL_STRV_INIT;
	const rl_channel *ch;
	rl_archive *a;
	rl_error err;
	int rc = 0;

	if (argc < 1)
		return cli_usage_error(ctx, "notify skip takes CHANNEL [SOURCE...]");
	ch = channel_arg(ctx, cfg, argv[0]);
	if (!ch || !(a = cli_archive(ctx)))
		return EXIT_USAGE;
	if (channel_sources(cfg, ch, argc - 1, argv + 1, &ids) != 0) {
		rl_strv_free(&ids);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < ids.n; i++) {
		char cur[RL_OID_HEX + 1], tip[RL_OID_HEX + 1];

		if (rl_archive_tip(a, ids.v[i], tip, NULL) < 0)
			continue;
		rl_cursor_get(a, ch->name, ids.v[i], cur, NULL);
		if (strcmp(cur, tip) == 0)
			continue;
		if (rl_cursor_set(a, ch->name, ids.v[i], cur, tip, &err) < 0) {
			rc = cli_fail(EXIT_DIFF, "%s", err.message);
			continue;
		}
		printf("%s: %s: skipped to %.10s\n", ch->name, ids.v[i], tip);
	}
	rl_strv_free(&ids);
	return rc;
}

static int notify_pending(cli_ctx *ctx, rl_config *cfg, int argc, char **argv)
{
	rl_archive *a = cli_archive(ctx);
	int rc = 0;

	if (!a)
		return EXIT_USAGE;
	if (argc > 1)
		return cli_usage_error(ctx, "notify pending takes at most one CHANNEL");
	if (argc == 1 && !channel_arg(ctx, cfg, argv[0]))
		return EXIT_USAGE;
	for (size_t c = 0; c < cfg->n_channels; c++) {
		const rl_channel *ch = &cfg->channels[c];
		rl_strv ids = RL_STRV_INIT;

		if (argc == 1 && strcmp(ch->name, argv[0]) != 0)
			continue;
		channel_sources(cfg, ch, 0, NULL, &ids);
		for (size_t i = 0; i < ids.n; i++) {
			char cur[RL_OID_HEX + 1];
			rl_version v;
			size_t pending = 0;
			rl_error err;
			int h = rl_cursor_health_get(a, ch->name, ids.v[i]);

			memset(&v, 0, sizeof(v));
			rl_cursor_get(a, ch->name, ids.v[i], cur, NULL);
			if (rl_cursor_next(a, ch->name, ids.v[i], cur, &v, &pending, &err) < 0) {
				rc = cli_fail(EXIT_DIFF, "%s", err.message);
				continue;
			}
			printf("%s\t%s\t%.10s\t%zu pending%s\n", ch->name, ids.v[i],
			       cur[0] ? cur : "-", pending,
			       h == RL_HEALTH_FAILING ? "\ttold: failing" : "");
			rl_version_clear(&v);
		}
		rl_strv_free(&ids);
	}
	return rc;
}

static int run_notify(cli_ctx *ctx, int argc, char **argv)
{
	rl_config *cfg;
	const char *sub;

	if (cli_getopt(ctx, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (optind >= argc)
		return cli_usage_error(ctx, "give test, skip or pending");
	sub = argv[optind];
	if (strcmp(sub, "test") != 0 && strcmp(sub, "skip") != 0 && strcmp(sub, "pending") != 0)
		return cli_usage_error(ctx, "unknown subcommand '%s' (test, skip, pending)", sub);
	cfg = cli_config(ctx, 0);
	if (!cfg)
		return EXIT_USAGE;
	argc -= optind + 1;
	argv += optind + 1;
	if (strcmp(sub, "test") == 0)
		return notify_test(ctx, cfg, argc, argv);
	if (strcmp(sub, "skip") == 0)
		return notify_skip(ctx, cfg, argc, argv);
	return notify_pending(ctx, cfg, argc, argv);
}

const cli_command cmd_notify = {
    "notify",
    "notify test CHANNEL | notify skip CHANNEL [SOURCE...] | notify pending [CHANNEL]",
    "test a notification channel, or see and move its cursors",
    "test CHANNEL     send a test message on every transport of the channel and\n"
    "                 print what the receivers answered (exit 0 delivered, 1 not)\n"
    "skip CHANNEL [SOURCE...]\n"
    "                 mark every archived version as delivered on the channel (for a\n"
    "                 channel added to an archive with a history it need not hear)\n"
    "pending [CHANNEL]\n"
    "                 per channel and source: the cursor and how many versions are\n"
    "                 still owed (the daemon delivers them)\n",
    .run = run_notify,
};
