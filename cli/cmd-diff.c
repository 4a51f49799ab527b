/* redline diff: how the wording changed between two versions. */
#include <stdlib.h>
#include <string.h>

#include "redline/git-loader.h"
#include "redline/thread.h"

#include "cli.h"

static int load_version(rl_archive *a, const rl_version *v, size_t bytes, rl_buf *text,
			rl_structure **structure, rl_error *err)
{
	rl_buf sj = RL_BUF_INIT;
	int rc;

	/* room for the masks the report writes in the text in place, a
	 * byte or so a label (0: not known; the report makes room) */
	(void)rl_buf_grow(text, bytes + bytes / 16);
	rc = rl_archive_read(a, v->commit, "text.md", text, err);

	*structure = NULL;
	if (rc == 0 && rl_archive_read(a, v->commit, "structure.json", &sj, NULL) == 0)
		rl_structure_from_json(structure, rl_buf_cstr(&sj), sj.len, NULL);
	rl_buf_free(&sj);
	return rc;
}

/* The older version, read on a thread of its own with its own handle on
 * the archive (a libgit2 repository is one thread's at a time). */
typedef struct older {
	rl_archive *a;
	const rl_version *v;
	size_t bytes; /* its text's size, for the thread's arena (0: unknown) */
	rl_buf text;
	rl_structure *structure;
	rl_error err;
	int rc;
} older;

static void *load_older(void *arg)
{
	older *o = arg;

	cli_heap_for_thread(o->bytes);
	o->rc = load_version(o->a, o->v, o->bytes, &o->text, &o->structure, &o->err);
	return NULL;
}

/* Both versions' texts and structures: inflating, hashing and parsing a
 * large version takes milliseconds (9 and 15 ms for the editions), so
 * the older one is read on a second thread meanwhile. Its handle is
 * opened here, before the thread starts: opening one sets libgit2's
 * process-wide options, which no other thread may be reading then.
 * Without a second handle or thread, the two are read in turn. The
 * older one's error is the one reported when both fail, as when read in
 * turn. */
static int load_both(rl_archive *a, const rl_version *va, size_t bytes_a, rl_buf *ta,
		     rl_structure **sa, const rl_version *vb, size_t bytes_b, rl_buf *tb,
		     rl_structure **sb, rl_error *err)
{
	older o = {NULL, va, bytes_a, RL_BUF_INIT, NULL, {0, ""}, 0};
	rl_task *task;
	int rc;

	if (rl_archive_open(&o.a, rl_archive_path(a), NULL) < 0 ||
	    rl_task_start(&task, load_older, &o) != 0) {
		rl_archive_free(o.a);
		rc = load_version(a, va, bytes_a, ta, sa, err);
		return rc < 0 ? rc : load_version(a, vb, bytes_b, tb, sb, err);
	}
	rc = load_version(a, vb, bytes_b, tb, sb, err);
	rl_task_join(task);
	rl_archive_free(o.a);
	*ta = o.text;
	*sa = o.structure;
	if (o.rc < 0) {
		*err = o.err;
		return o.rc;
	}
	return rc;
}

/* The report of the change between two revisions (one: the latest
 * change of a source, from its parent), rendered. */
static int diff_revisions(cli_ctx *ctx, int nrev, char **revs, const cli_report_args *args)
{
	rl_version va, vb;
	rl_buf ta = RL_BUF_INIT, tb = RL_BUF_INIT, out = RL_BUF_INIT;
	rl_structure *sa = NULL, *sb = NULL;
	rl_strv terms = RL_STRV_INIT;
	rl_report *r = NULL;
	rl_report_opts ropts = {0};
	rl_diff_opts dopts = {0};
	rl_render_opts opts = {0};
	char name_a[160], name_b[160], rev_a[300];
	rl_archive *a;
	rl_error err;
	size_t bytes_a = 0, bytes_b = 0;
	int rc, one = nrev == 1, differs;

	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	memset(&va, 0, sizeof(va));
	memset(&vb, 0, sizeof(vb));
	rc = rl_archive_resolve(a, revs[nrev - 1], &vb, &err);
	if (rc == 0 && one && !vb.parent[0]) {
		/* A first version: its change is the whole text. */
		va.source = strdup(vb.source);
	} else if (rc == 0) {
		if (one)
			snprintf(rev_a, sizeof(rev_a), "%s@%s", vb.source, vb.parent);
		else
			snprintf(rev_a, sizeof(rev_a), "%s", revs[0]);
		rc = rl_archive_resolve(a, rev_a, &va, &err);
	}
	if (rc < 0) {
		rl_version_clear(&vb);
		return cli_fail(err.code == RL_EINVALID ? EXIT_USAGE : EXIT_DIFF, "%s",
				err.message);
	}
	/* The heap made ready for the texts before they are read: inflating
	 * them and copying them wrote megabytes for the first time, a fault
	 * every 4 KiB (cli/heap.c; 1,700 of the planted pair's 2,800). A
	 * size not found leaves it to the reading to say why. */
	if (va.commit[0])
		(void)rl_archive_read_size(a, va.commit, "text.md", &bytes_a, NULL);
	(void)rl_archive_read_size(a, vb.commit, "text.md", &bytes_b, NULL);
	cli_heap_for_texts(bytes_a + bytes_b);
	if (va.commit[0])
		rc = load_both(a, &va, bytes_a, &ta, &sa, &vb, bytes_b, &tb, &sb, &err);
	else
		rc = load_version(a, &vb, bytes_b, &tb, &sb, &err);
	if (rc == 0 && cli_watch_terms(ctx, vb.source, &terms) < 0)
		rc = rl_error_set(&err, RL_ECONFIG, "cannot read the watched terms");
	ropts.watch_terms = &terms;
	ropts.old_structure = sa;
	ropts.new_structure = sb;
	dopts.no_moves = args->no_moves;
	ropts.diff = &dopts;
	/* the texts are the report's: its labels masked in them in place */
	if (rc == 0)
		rc = rl_report_build_taking(&r, &ta, NULL, &tb, NULL, &ropts, &err);
	if (rc == 0) {
		if (va.commit[0])
			cli_version_name(&va, name_a, sizeof(name_a));
		else
			snprintf(name_a, sizeof(name_a), "%s (nothing before)", vb.source);
		cli_version_name(&vb, name_b, sizeof(name_b));
		opts.old_name = name_a;
		opts.new_name = name_b;
		opts.context = args->context;
		opts.color =
		    (args->format == RL_FORMAT_WORD || args->format == RL_FORMAT_UNIFIED) &&
		    cli_color_wanted(args->color, stdout);
		cli_render_to_stdout(&opts);
		rc = rl_render(&out, r, args->format, &opts, &err);
	}
	if (rc == 0)
		cli_page_output(rl_buf_cstr(&out), out.len);
	differs = r && r->diff->n_changes > 0;
	cli_leave_to_exit(r, sa, sb);
	rl_strv_free(&terms);
	rl_buf_free(&ta);
	rl_buf_free(&tb);
	rl_buf_free(&out);
	rl_version_clear(&va);
	rl_version_clear(&vb);
	if (rc < 0)
		return cli_fail(EXIT_USAGE, "%s", err.message);
	return differs ? EXIT_DIFF : 0;
}

static int run_diff(cli_ctx *ctx, int argc, char **argv)
{
	cli_report_args args = cli_report_defaults;
	cli_preload libs = {0};
	int opt, rc;

	while ((opt = cli_getopt(ctx, argc, argv, CLI_REPORT_SHORTS, cli_report_longs)) != -1)
		if (cli_report_option(ctx, opt, &args) <= 0)
			return EXIT_USAGE;
	if (argc - optind != 1 && argc - optind != 2)
		return cli_usage_error(ctx, "give SOURCE, or two revisions");
	/* ICU loads while libgit2 starts: its CA bundle alone is
	 * milliseconds on this thread. libgit2 (and libcrypto, which it
	 * needs) is loaded first: two threads loading libraries take turns
	 * (the dynamic linker's lock), and ICU loaded first held libgit2
	 * back 2 ms, a CPU idle while git_libgit2_init ran after. */
	rl_git_preload();
	cli_preload_start(&libs, 0, NULL);
	rc = diff_revisions(ctx, argc - optind, argv + optind, &args);
	cli_preload_join(&libs);
	return rc;
}

const cli_command cmd_diff = {
    "diff",
    "diff SOURCE | REV_A REV_B [--format word|unified|json|html] [--color WHEN] [-U N] "
    "[--no-moves]",
    "show how the wording changed",
    "SOURCE alone shows its latest change (SOURCE~1 -> SOURCE); two revisions compare\n"
    "any versions (SOURCE~N, SOURCE@PREFIX, SOURCE@{DATE}).\n" CLI_REPORT_HELP
    "Exit status: 0 when the texts are equal, 1 when they differ, 2 on error.\n",
    .run = run_diff,
    .lazy_git = 1,
    .shows_only = 1,
};
