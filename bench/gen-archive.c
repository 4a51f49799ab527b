/* gen-archive: writes a redline archive of many sources and versions
 * through the library (rl_archive_commit), the way redline fetch would:
 * each version a real tree (text.md, raw/document.html, source.json,
 * structure.json) and a commit with redline's trailers, a few words
 * edited from the version before. For bench/scale.sh.
 *
 *   gen-archive ARCHIVE [-s SOURCES] [-v VERSIONS] [-e EDITS] [-d DOC] [-o FIRST] [-f]
 *
 * DOC is the text every source starts from (default: a short page); a
 * source that has versions already goes on from its latest (versions are
 * then dated from day FIRST);
 * -f keeps fsync on (the library's default; off here to generate fast). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "redline.h"

#define T0 1700000000LL

static const char *const words[] = {
    "robust",   "steadfast", "firm",   "enduring", "lasting",  "complete",  "verifiable",
    "peaceful", "combined",  "allied", "regional", "national", "strategic", "joint",
};

static unsigned long long rng = 88172645463325252ULL;

static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char default_doc[] =
    "ROK and US authorities are closely coordinating defense activities to support the\n"
    "establishment of complete denuclearization in a verifiable manner and a permanent\n"
    "peace on the Korean Peninsula, while maintaining a steadfast combined defense posture.\n"
    "a. Deter war on the Korean Peninsula.\n"
    "b. Contribute to regional stability and world peace.\n"
    "c. Support the peaceful unification of the Korean Peninsula.\n"
    "The Ministry of National Defense keeps its readiness and modernises its forces, and\n"
    "the alliance is developed into a comprehensive strategic alliance based on trust.\n";

/* Replaces the n-th word (space separated) of b with w. */
static void replace_word(rl_buf *b, size_t n, const char *w)
{
	size_t i = 0, start, k = 0;
	rl_buf out = RL_BUF_INIT;

	for (;;) {
		while (i < b->len && (b->ptr[i] == ' ' || b->ptr[i] == '\n'))
			i++;
		if (i >= b->len)
			return;
		start = i;
		while (i < b->len && b->ptr[i] != ' ' && b->ptr[i] != '\n')
			i++;
		if (k++ == n)
			break;
	}
	rl_buf_put(&out, b->ptr, start);
	rl_buf_puts(&out, w);
	rl_buf_put(&out, b->ptr + i, b->len - i);
	rl_buf_free(b);
	*b = out;
}

static size_t count_words(const rl_buf *b)
{
	size_t n = 0;
	int in = 0;

	for (size_t i = 0; i < b->len; i++) {
		int sp = b->ptr[i] == ' ' || b->ptr[i] == '\n';

		n += !sp && !in;
		in = !sp;
	}
	return n;
}

static int commit_version(rl_archive *a, const char *id, char tip[RL_OID_HEX + 1], int v, int s,
			  const rl_buf *text, int edits)
{
	rl_buf html = RL_BUF_INIT, sjson = RL_BUF_INIT, msg = RL_BUF_INIT;
	const char *structure = "{\n  \"headings\": [],\n  \"items\": []\n}\n";
	char sha[65], iso[32], out[RL_OID_HEX + 1];
	long long t = T0 + (long long)v * 86400 + (long long)s * 60;
	rl_error err;
	int rc;

	rl_buf_puts(&html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n"
			   "<body>\n<div class=\"page\">\n");
	for (size_t i = 0; i < text->len; i++) {
		if (text->ptr[i] == '\n')
			rl_buf_puts(&html, "<br>");
		rl_buf_putc(&html, text->ptr[i]);
	}
	rl_buf_puts(&html, "</div>\n</body></html>\n");
	rl_sha256_hex(html.ptr, html.len, sha);
	rl_time_iso(t, iso);
	rl_buf_printf(&sjson,
		      "{\n  \"id\": \"%s\",\n  \"url\": \"http://bench.invalid/%s.html\",\n"
		      "  \"fetched_at\": \"%s\",\n  \"pages\": [{\"page\": 0, \"status\": 200, "
		      "\"sha256\": \"%s\", \"size\": %zu}]\n}\n",
		      id, id, iso, sha, html.len);
	if (tip[0])
		rl_buf_printf(&msg,
			      "%s: %d words changed\n\nWords: %zu common, %d inserted, %d "
			      "deleted, 0 moved.\n\n",
			      id, edits, count_words(text) - (size_t)edits, edits, edits);
	else
		rl_buf_printf(&msg, "%s: first version (%zu words)\n\n", id, count_words(text));
	rl_buf_printf(&msg,
		      "Redline-Url: http://bench.invalid/%s.html\nRedline-Fetched-At: %s\n"
		      "Redline-Change: %s\nRedline-Extractor: bench\n",
		      id, iso, tip[0] ? "wording" : "initial");
	{
		rl_file files[] = {
		    {"text.md", text->ptr, text->len},
		    {"source.json", sjson.ptr, sjson.len},
		    {"structure.json", structure, strlen(structure)},
		    {"raw/document.html", html.ptr, html.len},
		};
		rl_commit_req req = {id, tip, t, rl_buf_cstr(&msg), files, 4};

		rc = rl_archive_commit(a, &req, out, &err);
	}
	if (rc < 0)
		fprintf(stderr, "gen-archive: %s\n", err.message);
	else
		memcpy(tip, out, RL_OID_HEX + 1);
	rl_buf_free(&html);
	rl_buf_free(&sjson);
	rl_buf_free(&msg);
	return rc;
}

int main(int argc, char **argv)
{
	int sources = 10, versions = 10, edits = 3, fsync_on = 0, first = 0, opt;
	const char *doc = NULL;
	rl_buf base = RL_BUF_INIT;
	rl_buf *texts;
	char(*tips)[RL_OID_HEX + 1];
	rl_archive *a;
	rl_error err;

	while ((opt = getopt(argc, argv, "s:v:e:d:o:f")) != -1) {
		switch (opt) {
		case 's':
			sources = atoi(optarg);
			break;
		case 'v':
			versions = atoi(optarg);
			break;
		case 'e':
			edits = atoi(optarg);
			break;
		case 'd':
			doc = optarg;
			break;
		case 'f':
			fsync_on = 1;
			break;
		case 'o':
			first = atoi(optarg);
			break;
		default:
			fprintf(stderr,
				"usage: gen-archive ARCHIVE [-s N] [-v N] [-e N] [-d DOC] [-f]\n");
			return 2;
		}
	}
	if (optind + 1 != argc || sources < 1 || versions < 1) {
		fprintf(stderr, "usage: gen-archive ARCHIVE [-s N] [-v N] [-e N] [-d DOC] [-f]\n");
		return 2;
	}
	git_libgit2_init();
	if (doc ? rl_file_read(doc, &base, &err) < 0 : rl_buf_puts(&base, default_doc) < 0) {
		fprintf(stderr, "gen-archive: %s\n", doc ? err.message : "out of memory");
		return 1;
	}
	if (rl_archive_init(&a, argv[optind], &err) < 0) {
		fprintf(stderr, "gen-archive: %s\n", err.message);
		return 1;
	}
	/* The library syncs every version; generating 100k of them need not. */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, fsync_on);
	texts = calloc((size_t)sources, sizeof(*texts));
	tips = calloc((size_t)sources, sizeof(*tips));
	if (!texts || !tips)
		return 1;
	for (int s = 0; s < sources; s++) {
		char id[32];

		snprintf(id, sizeof(id), "s%04d", s);
		if (rl_archive_tip(a, id, tips[s], NULL) == 0 &&
		    rl_archive_read(a, tips[s], "text.md", &texts[s], NULL) == 0)
			continue;
		tips[s][0] = '\0';
		rl_buf_reset(&texts[s]);
		rl_buf_printf(&texts[s], "# Source %d\n\n", s);
		rl_buf_put(&texts[s], base.ptr, base.len);
	}
	/* Versions outer, sources inner: the merged log interleaves them. */
	for (int v = 0; v < versions; v++) {
		for (int s = 0; s < sources; s++) {
			char id[32];
			size_t n = count_words(&texts[s]);

			snprintf(id, sizeof(id), "s%04d", s);
			for (int e = 0; tips[s][0] && e < edits; e++)
				replace_word(&texts[s], (size_t)(next() % n),
					     words[next() % (sizeof(words) / sizeof(words[0]))]);
			if (commit_version(a, id, tips[s], first + v, s, &texts[s], edits) < 0)
				return 1;
		}
		if (sources * versions >= 10000 && (v + 1) % 10 == 0)
			fprintf(stderr, "gen-archive: %d/%d versions of %d sources\n", v + 1,
				versions, sources);
	}
	for (int s = 0; s < sources; s++)
		rl_buf_free(&texts[s]);
	free(texts);
	free(tips);
	rl_buf_free(&base);
	rl_archive_free(a);
	git_libgit2_shutdown();
	return 0;
}
