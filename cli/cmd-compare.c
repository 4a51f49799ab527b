/* redline compare: the whole pipeline (extraction, diff, principles,
 * watched terms, rendering) on two files, no archive needed. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "redline/thread.h"

#include "cli.h"

#define COMPARE_MAX_INPUT ((size_t)256 << 20) /* refuse rather than exhaust memory */

static int read_stream(FILE *f, rl_buf *out)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->len + n > COMPARE_MAX_INPUT) {
			errno = EFBIG;
			return -1;
		}
		if (rl_buf_put(out, chunk, n) < 0) {
			errno = ENOMEM;
			return -1;
		}
	}
	return ferror(f) ? -1 : 0;
}

/* One file to load: its path, and what loading gave (its canonical
 * text, the extractor's warnings, or an error). */
typedef struct loaded {
	const char *path;
	int own_thread;     /* loaded on a thread of its own */
	atomic_int *parsed; /* files parsed, of both */
	cli_preload *libs;  /* what is loaded meanwhile, or NULL */
	size_t bytes;       /* its size, 0 for standard input (input_bytes) */
	rl_buf canon;
	rl_strv warnings;
	rl_structure *structure; /* of canon */
	rl_error err;
	int rc;
} loaded;

/* Reads a file ("-" is standard input, read once), extracts its
 * canonical text, sniffing HTML, PDF, Markdown or plain text, and parses
 * its structure: the file done first is parsed while the other is still
 * being extracted. */
static void *load(void *arg)
{
	loaded *l = arg;
	const char *path = l->path;
	rl_buf raw = RL_BUF_INIT;
	rl_file_bytes file = {0};
	rl_text text;
	rl_raw_page page;
	rl_extract_opts xopts;
	int rc;

	memset(&text, 0, sizeof(text));
	memset(&xopts, 0, sizeof(xopts));
	/* /dev/null, an empty draft: every word of the other file is new
	 * (as diff and git take /dev/null), not an error */
	xopts.allow_empty = 1;
	rl_error_clear(&l->err);
	if (l->own_thread) /* its extraction writes megabytes for the first time */
		cli_heap_for_thread(l->bytes);
	if (strcmp(path, "-") == 0) {
		if (read_stream(stdin, &raw) < 0) {
			rc = rl_error_set(&l->err, RL_EIO, "standard input: %s", strerror(errno));
			goto out;
		}
	} else if ((rc = rl_file_bytes_get(path, &file, &l->err)) < 0) {
		goto out;
	}
	memset(&page, 0, sizeof(page));
	page.data = file.data ? file.data : rl_buf_cstr(&raw);
	page.len = file.data ? file.len : raw.len;
	/* the name the extractor's errors give the file (it sniffs by
	 * the extension too, which standard input has none of) */
	page.url = strcmp(path, "-") == 0 ? "standard input" : path;
	rc = rl_extract(&text, &page, 1, &xopts, &l->err);
	if (rc < 0)
		goto out;
	if (l->libs)
		cli_preload_crypto(l->libs);
	/* the text itself, not a copy of it */
	l->canon = text.text;
	memset(&text.text, 0, sizeof(text.text));
	l->warnings = text.warnings;
	memset(&text.warnings, 0, sizeof(text.warnings));
	rc = rl_structure_parse_lines(&l->structure, rl_buf_cstr(&l->canon), l->canon.len, &l->err);
	/* The file parsed first gives its items their ids (SHA-256
	 * digests) while the other is still being read; the one parsed last
	 * leaves them to the report, which gives them on the thread that
	 * carries ids: they were between the last file and the diff (0.55
	 * ms of the planted pair's compare). */
	if (rc == 0 && atomic_fetch_add(l->parsed, 1) == 0)
		rc = rl_structure_fresh_ids(l->structure, &l->err);
out:
	rl_text_free(&text);
	rl_buf_free(&raw);
	rl_file_bytes_free(&file);
	l->rc = rc;
	return NULL;
}

/* The size of a file to compare; 0 for standard input, or a file that
 * cannot be read (loading it says why). */
static size_t input_bytes(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || st.st_size <= 0)
		return 0;
	return (size_t)st.st_size;
}

/* Loads both files, one on a thread of its own when the files are
 * large enough to pay for it; then the warnings, in file order. The
 * first error (in file order) is the one reported. While the two threads
 * read their files, a third loads ICU, which both need unless they hold
 * only characters the library knows (with two CPUs only, an extraction
 * that needs it loads it), and then libcrypto, which the ids of the
 * texts' items need after (with two CPUs only, the thread whose file is
 * extracted first: cli_preload_crypto). */
static int load_both(loaded *l, rl_error *err)
{
	rl_task *task;
	cli_preload libs = {0};
	/* Inputs of RL_THREAD_MIN_BYTES or more are loaded on a thread
	 * each: extraction is a good part of the whole, and the two files
	 * are independent. */
	int threaded = l[0].bytes >= RL_THREAD_MIN_BYTES || l[1].bytes >= RL_THREAD_MIN_BYTES;
	const char *paths[2] = {l[0].path, l[1].path};
	atomic_int parsed = 0;
	/* The larger file here, the other on the thread: this one starts
	 * at once, the thread later and sharing a CPU with the preloading,
	 * and the report waits for both (the 2020 edition on the thread
	 * kept this one waiting for it behind the 2018 one). */
	int big = threaded && l[1].bytes > l[0].bytes;
	loaded *here = &l[big], *there = &l[!big];

	l[0].parsed = l[1].parsed = &parsed;

	there->own_thread = threaded;
	if (threaded) {
		cli_preload_plan(&libs, there->bytes, paths);
		l[0].libs = l[1].libs = &libs;
	}
	if (threaded && rl_task_start(&task, load, there) != 0)
		threaded = there->own_thread = 0;
	/* the libraries both threads need (ICU where the texts may); and
	 * an arena for the diff's threads after, advised like the thread's
	 * file's: the tokenizer's and the ids' threads write megabytes
	 * there for the first time. Started after the file's thread:
	 * loading a library (and mapping the files to look at them) held
	 * that thread's start 2 ms, the memory map's lock taken (the planted
	 * pair's compare 14.17 -> 13.45 ms, the editions' 66.2 -> 63.1 ms,
	 * 41 and 31 rotating runs) */
	if (threaded) {
		cli_preload_run(&libs);
		load(here);
		rl_task_join(task);
	} else {
		load(&l[0]);
		if (l[0].rc == 0)
			load(&l[1]);
	}
	cli_preload_join(&libs);
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < l[k].warnings.n; i++)
			fprintf(stderr, "redline: %s: %s\n", l[k].path, l[k].warnings.v[i]);
		if (l[k].rc < 0) {
			*err = l[k].err;
			return l[k].rc;
		}
	}
	return 0;
}

static int run_compare(cli_ctx *ctx, int argc, char **argv)
{
	cli_report_args args = cli_report_defaults;
	loaded in[2];
	rl_buf out = RL_BUF_INIT;
	rl_report *r = NULL;
	rl_report_opts ropts = {0};
	rl_diff_opts dopts = {0};
	rl_render_opts opts = {0};
	rl_strv terms = RL_STRV_INIT;
	rl_error err;
	int opt, rc, differs;

	while ((opt = cli_getopt(ctx, argc, argv, CLI_REPORT_SHORTS, cli_report_longs)) != -1)
		if (cli_report_option(ctx, opt, &args) <= 0)
			return EXIT_USAGE;
	opts.context = args.context;
	dopts.no_moves = args.no_moves;
	if (argc - optind != 2)
		return cli_usage_error(ctx, "give two files (or - for standard input)");
	if (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0)
		return cli_usage_error(ctx, "standard input can be only one of the two files");
	rl_error_clear(&err);
	memset(in, 0, sizeof(in));
	for (int k = 0; k < 2; k++) {
		in[k].path = argv[optind + k];
		in[k].bytes = input_bytes(in[k].path);
	}
	cli_heap_for_texts(in[0].bytes + in[1].bytes);
	rc = load_both(in, &err);
	/* Watched terms of the configuration, when there is one. */
	if (rc == 0 && (ctx->config_explicit || access(ctx->config_path, R_OK) == 0) &&
	    cli_watch_terms(ctx, NULL, &terms) < 0)
		rc = rl_error_set(&err, RL_ECONFIG, "cannot read the watched terms");
	ropts.watch_terms = terms.n ? &terms : NULL;
	ropts.diff = &dopts;
	/* the texts and their structures are the report's now: its labels
	 * masked in the texts in place */
	if (rc == 0) {
		rc = rl_report_build_taking(&r, &in[0].canon, in[0].structure, &in[1].canon,
					    in[1].structure, &ropts, &err);
		in[0].structure = in[1].structure = NULL;
	}
	if (rc == 0) {
		opts.old_name = argv[optind];
		opts.new_name = argv[optind + 1];
		opts.color = (args.format == RL_FORMAT_WORD || args.format == RL_FORMAT_UNIFIED) &&
			     cli_color_wanted(args.color, stdout);
		cli_render_to_stdout(&opts);
		rc = rl_render(&out, r, args.format, &opts, &err);
	}
	if (rc == 0 && cli_page_output(rl_buf_cstr(&out), out.len) < 0)
		rc = rl_error_set(&err, RL_EIO, "cannot write the report: %s", strerror(errno));
	differs = r && r->diff->n_changes > 0;
	cli_leave_to_exit(r, NULL, NULL); /* its structures are its own */
	rl_strv_free(&terms);
	for (int k = 0; k < 2; k++) {
		rl_buf_free(&in[k].canon);
		rl_strv_free(&in[k].warnings);
		rl_structure_free(in[k].structure);
	}
	rl_buf_free(&out);
	if (rc < 0)
		return cli_fail(EXIT_USAGE, "%s", err.message);
	return differs ? EXIT_DIFF : 0;
}

const cli_command cmd_compare = {
    "compare",
    "compare FILE_A FILE_B [--format word|unified|json|html] [--color WHEN] [-U N] [--no-moves]",
    "compare two files (text, Markdown, HTML or PDF) the way diff compares versions",
    "Each file (or - for standard input) is extracted to canonical text first,\n"
    "so an HTML page and a PDF of the same words compare equal. An empty file\n"
    "(/dev/null) is a text without words; a file without text is taken so, with\n"
    "a warning.\n" CLI_REPORT_HELP
    "Exit status: 0 when the texts are equal, 1 when they differ, 2 on error.\n",
    run_compare,
    .lazy_git = 1,
};
