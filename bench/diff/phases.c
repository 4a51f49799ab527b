/* phases: where `redline compare` spends its time, one phase at a time,
 * on the same library calls the command makes:
 *
 *   phases [-n REPEAT] [-d] FILE_A FILE_B
 *
 * extract (rl_extract of each file), diff (rl_diff_texts on the canonical
 * texts), report (rl_report_build: the diff again plus structure,
 * principles and watched terms), render (rl_render_json and word). Each is
 * the best of REPEAT runs (default 3), in milliseconds, then the diff's
 * stats. -d stops after the diff (for profilers). Built and run by
 * bench/diff.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "redline/diff.h"
#include "redline/extract.h"
#include "redline/render.h"
#include "redline/report.h"
#include "redline/util.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int extract(const char *path, rl_buf *canon, rl_error *err)
{
	rl_buf raw = RL_BUF_INIT;
	rl_raw_page page;
	rl_extract_opts xo;
	rl_text text;
	int rc;

	memset(&page, 0, sizeof(page));
	memset(&xo, 0, sizeof(xo));
	memset(&text, 0, sizeof(text));
	if ((rc = rl_file_read(path, &raw, err)) < 0)
		return rc;
	page.data = rl_buf_cstr(&raw);
	page.len = raw.len;
	page.url = path;
	rc = rl_extract(&text, &page, 1, &xo, err);
	if (rc == 0)
		rc = rl_buf_set(canon, rl_buf_cstr(&text.text), text.text.len);
	rl_text_free(&text);
	rl_buf_free(&raw);
	return rc;
}

static void fail(const char *what, const rl_error *err)
{
	fprintf(stderr, "phases: %s: %s\n", what, err->message);
	exit(2);
}

#define KEEP(k, v) best[k] = (v) < best[k] ? (v) : best[k]

int main(int argc, char **argv)
{
	rl_buf ta = RL_BUF_INIT, tb = RL_BUF_INIT;
	rl_error err = {0, ""};
	double best[5] = {1e18, 1e18, 1e18, 1e18, 1e18};
	rl_diff_stats st = {0, 0, 0, 0};
	int repeat = 3, diff_only = 0, c;

	while ((c = getopt(argc, argv, "n:d")) != -1) {
		if (c == 'd') {
			diff_only = 1;
			continue;
		}
		if (c != 'n') {
			fprintf(stderr, "usage: phases [-n REPEAT] [-d] FILE_A FILE_B\n");
			return 2;
		}
		repeat = atoi(optarg) > 0 ? atoi(optarg) : 1;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: phases [-n REPEAT] FILE_A FILE_B\n");
		return 2;
	}
	for (int r = 0; r < repeat; r++) {
		rl_diff *d = NULL;
		rl_report *rep = NULL;
		rl_render_opts ro = {
		    .old_name = argv[optind], .new_name = argv[optind + 1], .context = -1};
		rl_buf out = RL_BUF_INIT;
		double t0 = now_ms(), t1, t2, t3, t4, t5;

		rl_buf_reset(&ta);
		rl_buf_reset(&tb);
		if (extract(argv[optind], &ta, &err) < 0 ||
		    extract(argv[optind + 1], &tb, &err) < 0)
			fail("extract", &err);
		t1 = now_ms();
		if (rl_diff_texts(&d, rl_buf_cstr(&ta), ta.len, rl_buf_cstr(&tb), tb.len, NULL,
				  &err) < 0)
			fail("diff", &err);
		st = d->stats;
		rl_diff_free(d);
		t2 = now_ms();
		if (diff_only) {
			KEEP(0, t1 - t0);
			KEEP(1, t2 - t1);
			continue;
		}
		if (rl_report_build(&rep, rl_buf_cstr(&ta), ta.len, rl_buf_cstr(&tb), tb.len, NULL,
				    &err) < 0)
			fail("report", &err);
		t3 = now_ms();
		if (rl_render_json(&out, rep, &ro, &err) < 0)
			fail("render json", &err);
		t4 = now_ms();
		rl_buf_reset(&out);
		if (rl_render_word(&out, rep, &ro, &err) < 0)
			fail("render word", &err);
		t5 = now_ms();
		rl_report_free(rep);
		rl_buf_free(&out);
		KEEP(0, t1 - t0);
		KEEP(1, t2 - t1);
		KEEP(2, t3 - t2);
		KEEP(3, t4 - t3);
		KEEP(4, t5 - t4);
	}
	printf("extract %.1f ms (both files, %zu + %zu canonical bytes)\n", best[0], ta.len,
	       tb.len);
	printf("diff    %.1f ms\n", best[1]);
	if (diff_only)
		goto stats;
	printf("report  %.1f ms (diff + structure + principles + watch)\n", best[2]);
	printf("  of which outside the diff: %.1f ms\n", best[2] - best[1]);
	printf("render  %.1f ms json, %.1f ms word\n", best[3], best[4]);
stats:
	printf("stats   common %zu moved %zu inserted %zu deleted %zu\n", st.common, st.moved,
	       st.inserted, st.deleted);
	rl_buf_free(&ta);
	rl_buf_free(&tb);
	return 0;
}
