/* redline show: the text of a version, one page of it, or its raw bytes. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* raw/document.* or raw/NNNN.*: the name in the version's raw/ directory. */
static int raw_path(rl_archive *a, const rl_version *v, long page, char *out, size_t len,
		    rl_error *err)
{
	rl_strv names = RL_STRV_INIT;
	char key[32];
	int rc;

	rc = rl_archive_list(a, v->commit, "raw", &names, err);
	if (rc < 0)
		return rc;
	if (page < 0 && names.n > 1) {
		rc = rl_error_set(err, RL_EINVALID,
				  "%s@%.7s holds %zu raw pages: choose one with --page N",
				  v->source, v->commit, names.n);
		goto out;
	}
	if (page < 0) {
		snprintf(out, len, "raw/%s", names.v[0]);
		goto out;
	}
	snprintf(key, sizeof(key), "%04ld.", page);
	rc = rl_error_set(err, RL_ENOTFOUND, "%s@%.7s has no raw page %ld", v->source, v->commit,
			  page);
	for (size_t i = 0; i < names.n; i++)
		if (strncmp(names.v[i], key, strlen(key)) == 0) {
			snprintf(out, len, "raw/%s", names.v[i]);
			rc = 0;
		}
out:
	rl_strv_free(&names);
	return rc;
}

static int run_show(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"page", required_argument, NULL, 'p'},
	    {"raw", no_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	rl_buf out = RL_BUF_INIT;
	rl_version v;
	long page = -1;
	int opt, raw = 0, rc;
	char path[300], *end;
	rl_archive *a;
	rl_error err;

	while ((opt = cli_getopt(ctx, argc, argv, "", longs)) != -1) {
		switch (opt) {
		case 'p':
			page = strtol(optarg, &end, 10);
			if (*end || page < 0)
				return cli_usage_error(ctx, "--page takes a page number, not '%s'",
						       optarg);
			break;
		case 'r':
			raw = 1;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(ctx, "give one revision (SOURCE, SOURCE~N, SOURCE@ID)");
	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	if (rl_archive_resolve(a, argv[optind], &v, &err) < 0)
		return cli_fail(err.code == RL_EINVALID ? EXIT_USAGE : EXIT_DIFF, "%s",
				err.message);
	if (raw)
		rc = raw_path(a, &v, page, path, sizeof(path), &err);
	else {
		if (page >= 0)
			snprintf(path, sizeof(path), "pages/%04ld.md", page);
		else
			snprintf(path, sizeof(path), "text.md");
		rc = 0;
	}
	if (rc == 0)
		rc = rl_archive_read(a, v.commit, path, &out, &err);
	if (rc == RL_ENOTFOUND && page >= 0 && !raw)
		rl_error_set(&err, RL_ENOTFOUND,
			     "%s@%.7s has no page %ld (see 'redline show %s "
			     "--raw' for what was fetched)",
			     v.source, v.commit, page, argv[optind]);
	if (rc == 0)
		rc = fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout) == out.len ? 0 : RL_EIO;
	rl_buf_free(&out);
	rl_version_clear(&v);
	if (rc < 0)
		return cli_fail(EXIT_DIFF, "%s", err.message);
	return 0;
}

const cli_command cmd_show = {
    "show",
    "show REV [--page N] [--raw]",
    "print the text of a version",
    "REV is SOURCE (the latest), SOURCE~N (N versions before), SOURCE@PREFIX (a\n"
    "commit id prefix) or SOURCE@{DATE} (the version in effect at the end of DATE).\n"
    "--page N       the canonical text of page N alone (paged sources and PDFs)\n"
    "--raw          the exact bytes fetched (with --page N for one page of a paged source)\n",
    run_show,
    .shows_only = 1,
};
