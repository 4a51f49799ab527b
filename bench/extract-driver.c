/* extract-driver: runs redline's extraction on files, the way the archive
 * does on fetched pages, and writes text.md (or the page texts) to stdout.
 * Used by bench/extract.sh and for trying documents by hand:
 *
 *   extract-driver [-t content-type] [-s first-page] [-p] [-q] [-r N] [-c] FILE...
 *
 * Several files are the pages of one paged source, numbered from -s.
 * -p prints pages/NNNN.md instead of text.md, -q prints nothing, -r
 * extracts N times and reports the time of the fastest on stderr, -c
 * extracts a PDF in a child process as redlined does (this program run
 * again with --extract-child; bench/pdf-child.sh). */
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "redline/extract.h"
#include "redline/util.h"

int main(int argc, char **argv)
{
	const char *type = NULL;
	int first = 0, pages = 0, quiet = 0, repeat = 0, c, rc = 0;
	double best = -1;
	rl_raw_page *raw;
	rl_buf *bufs;
	rl_text text;
	rl_error err = {0, ""};
	struct rusage ru;
	int n;

	if (argc == 2 && strcmp(argv[1], "--extract-child") == 0)
		return rl_extract_serve(0, 1, &err) < 0;
	while ((c = getopt(argc, argv, "t:s:pqr:c")) != -1) {
		switch (c) {
		case 't':
			type = optarg;
			break;
		case 's':
			first = atoi(optarg);
			break;
		case 'p':
			pages = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'r':
			repeat = atoi(optarg);
			break;
		case 'c': {
			static const char *const self[] = {"/proc/self/exe", "--extract-child",
							   NULL};
			rl_extract_child child = {self, 0, NULL, NULL};

			if (rl_extract_set_child(&child, &err) < 0)
				return 1;
			break;
		}
		default:
			fprintf(stderr, "usage: extract-driver [-t type] [-s first] [-p] [-q] [-r "
					"N] [-c] FILE...\n");
			return 2;
		}
	}
	n = argc - optind;
	if (n < 1) {
		fprintf(
		    stderr,
		    "usage: extract-driver [-t type] [-s first] [-p] [-q] [-r N] [-c] FILE...\n");
		return 2;
	}
	raw = calloc((size_t)n, sizeof(*raw));
	bufs = calloc((size_t)n, sizeof(*bufs));
	if (!raw || !bufs)
		return 1;
	for (int i = 0; i < n; i++) {
		if (rl_file_read(argv[optind + i], &bufs[i], &err) < 0) {
			fprintf(stderr, "extract-driver: %s\n", err.message);
			return 1;
		}
		raw[i].number = n > 1 || first ? (first ? first : 1) + i : 0;
		raw[i].data = bufs[i].ptr;
		raw[i].len = bufs[i].len;
		raw[i].content_type = type;
		raw[i].url = argv[optind + i];
	}
	for (int i = 0; i < (repeat > 0 ? repeat : 1); i++) {
		struct timespec t0, t1;
		double ms;

		if (i)
			rl_text_free(&text);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = rl_extract(&text, raw, (size_t)n, NULL, &err);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms =
		    (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (best < 0 || ms < best)
			best = ms;
		if (rc < 0)
			break;
	}
	if (repeat > 0)
		fprintf(stderr, "extract-driver: best of %d: %.1f ms\n", repeat, best);
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0 && ru.ru_maxrss > 0)
		fprintf(stderr, "extract-driver: child peak RSS %ld KiB\n", ru.ru_maxrss);
	if (rc < 0) {
		fprintf(stderr, "extract-driver: %s\n", err.message);
		return 1;
	}
	for (size_t i = 0; i < text.warnings.n; i++)
		fprintf(stderr, "warning: %s\n", text.warnings.v[i]);
	if (!quiet && !pages)
		fwrite(text.text.ptr, 1, text.text.len, stdout);
	for (size_t i = 0; !quiet && pages && i < text.n_pages; i++) {
		printf("==> pages/%04d.md <==\n", text.pages[i].number);
		fwrite(text.pages[i].text.ptr, 1, text.pages[i].text.len, stdout);
	}
	rl_text_free(&text);
	for (int i = 0; i < n; i++)
		rl_buf_free(&bufs[i]);
	free(raw);
	free(bufs);
	return 0;
}
