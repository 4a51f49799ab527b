/* redlined: fetch every source on its schedule and archive what changed. */
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <git2.h>

#include "redline/curl-loader.h"
#include "redline/git-certs.h"
#include "redline/git-loader.h"
#include "redline/text-loader.h"
#include "redlined.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: redlined [-c FILE] [-A DIR] [-v] [--once]\n"
		"  -c FILE   configuration (else $REDLINE_CONFIG, else %s)\n"
		"  -A DIR    archive path (overrides [archive] path)\n"
		"  -v        log every fetch, unchanged ones too\n"
		"  --once    one pass over every source and its notifications, then exit\n"
		"            (status 1 if any source failed)\n",
		RL_DEFAULT_CONFIG);
}

static int setup(rl_daemon *d, rl_error *err)
{
	rl_strv problems = RL_STRV_INIT;
	const char *path;
	int rc;

	rc = rl_config_load(&d->cfg, d->config_path, &problems, err);
	if (rc < 0) {
		for (size_t i = 1; i < problems.n; i++)
			daemon_log(NULL, "%s", problems.v[i]);
		rl_strv_free(&problems);
		return rc;
	}
	rl_strv_free(&problems);
	path = d->archive_override ? d->archive_override : d->cfg->archive_path;
	if (!path)
		return rl_error_set(err, RL_ECONFIG,
				    "%s: no [archive] path; give one or use -A DIR",
				    d->config_path);
	/* The daemon creates its archive on first start (StateDirectory). */
	rc = rl_archive_init(&d->archive, path, err);
	/* Between passes libgit2's object cache would keep a few hundred KiB
	 * of commits and trees scattered over the heap, which no pass reads
	 * again before they are evicted: the daemon reads without it. And a
	 * pass reads a few objects from all over the packs: mapped in 4 MiB
	 * windows up to 64 MiB, every page it touched would stay resident
	 * until the pass ends, as much as the archive holds; small windows,
	 * 256 KiB at most, bound that. Its gc and push children open the
	 * archive afresh with the store's defaults and the cache on. */
	if (rc == 0) {
		git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
		git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)64 * 1024);
		git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)256 * 1024);
	}
	if (rc == 0)
		rc = lock_archive(d, err);
	if (rc == 0)
		rc = rl_fetcher_new(&d->fetcher, &d->cfg->fetch, err);
	if (rc == 0)
		rc = schedule_load(d, err);
	if (rc == 0)
		rc = notify_setup(d, err);
	return rc;
}

/* libgit2, libcrypto, ICU, libxml2 or libcurl missing: what the dynamic
 * linker would say and do. */
static void library_missing(const char *message)
{
	fprintf(stderr, "redlined: %s\n", message);
	exit(127);
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
	    {"once", no_argument, NULL, 'o'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	rl_daemon d;
	rl_error err;
	int opt, rc;

	/* Internal, not in --help: the child that extracts a PDF. */
	if (argc == 2 && strcmp(argv[1], "--extract-child") == 0)
		return extract_child_main();
	memset(&d, 0, sizeof(d));
	d.lockfd = -1;
	while ((opt = getopt_long(argc, argv, "c:A:hv", longs, NULL)) != -1) {
		switch (opt) {
		case 'c':
			d.config_path = optarg;
			break;
		case 'A':
			d.archive_override = optarg;
			break;
		case 'o':
			d.once = 1;
			break;
		case 'v':
			log_verbose(1);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("redlined %s\n", RL_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "redlined: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!d.config_path) {
		const char *env = getenv("REDLINE_CONFIG");

		d.config_path = env && *env ? env : RL_DEFAULT_CONFIG;
	}
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	/* glibc raises its mmap threshold each time a large block is freed,
	 * up to 32 MiB: after a few big pages and PDFs every body and every
	 * extracted text would come from the heap and leave it fragmented
	 * for months. A fixed threshold gives those back when freed. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	rl_git_set_fatal(library_missing);
	rl_text_set_fatal(library_missing);
	rl_curl_set_fatal(library_missing);
	/* Loads libgit2 (archive/git-loader.c): the daemon always needs it. */
	git_libgit2_init();
	/* 0.4 MiB of CA certificates only a push to https reads, and the
	 * push child reads them again (redline/git-certs.h). */
	rl_git_certs_release();
	/* Loads libcurl while this is the only thread: the loader then keeps
	 * GnuTLS from initialising itself (archive/curl-loader.c). */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	log_init();
	d.sigfd = loop_signals();
	rc = d.sigfd < 0 ? rl_error_set(&err, RL_ERROR, "cannot set up signal handling")
			 : extract_child_register(&d, &err);
	if (rc == 0)
		rc = setup(&d, &err);
	if (rc < 0) {
		daemon_log(NULL, "%s", err.message);
		rc = err.code == RL_ECONFIG ? 2 : 1;
	} else if (d.once) {
		rc = loop_once(&d) < 0 ? 1 : 0;
		if (rc == 0 && d.failures)
			rc = 1;
	} else {
		sd_init(&d);
		daemon_log(NULL, "watching %zu source%s in %s (pid %ld)", d.n_sources,
			   d.n_sources == 1 ? "" : "s", rl_archive_path(d.archive), (long)getpid());
		sd_ready(&d);
		rc = loop_run(&d) < 0 ? 1 : 0;
		daemon_log(NULL, "stopped");
	}
	notify_shutdown(&d);
	rl_fetcher_free(d.fetcher);
	d.fetcher = NULL;
	free(d.sources);
	reload_release(&d);
	rl_archive_free(d.archive);
	rl_config_free(d.cfg);
	if (d.sigfd >= 0)
		close(d.sigfd);
	if (d.lockfd >= 0)
		close(d.lockfd);
	rl_extract_set_child(NULL, NULL);
	rl_text_release();
	curl_global_cleanup();
	git_libgit2_shutdown();
	return rc;
}
