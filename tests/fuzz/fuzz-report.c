/* libFuzzer target: what `redline compare` does after reading its two
 * files, on two texts (the input split at its first NUL byte, else in the
 * middle): each made canonical, then the report (structures and their
 * ids, principles, watched terms, the labels masked, the diff, the masks
 * mapped back) and its four formats. Checks that neither the report nor
 * a format fails but for memory (canonical text is all they are given),
 * and that the report's diff holds (diff-ops.h): its operations, in
 * order, are the two canonical texts, unmasked. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redline.h"

#include "diff-ops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render_all(const rl_report *r)
{
	static const rl_format formats[] = {RL_FORMAT_WORD, RL_FORMAT_UNIFIED, RL_FORMAT_JSON,
					    RL_FORMAT_HTML};
	rl_render_opts opts = {.old_name = "old", .new_name = "new", .context = -1};

	for (size_t k = 0; k < sizeof(formats) / sizeof(*formats); k++) {
		rl_buf out = RL_BUF_INIT;
		rl_error err;

		opts.color = k == 0; /* the word format's colors too */
		if (rl_render(&out, r, formats[k], &opts, &err) < 0 && err.code != RL_ENOMEM)
			abort();
		rl_buf_free(&out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nul = memchr(s, '\0', size);
	size_t cut = nul ? (size_t)(nul - s) : size / 2;
	size_t rest = nul ? cut + 1 : cut;
	rl_buf a = RL_BUF_INIT, b = RL_BUF_INIT;
	rl_strv terms = RL_STRV_INIT;
	rl_report_opts ropts = {0};
	rl_report *r = NULL;
	rl_error err;
	int rc;

	if (rl_canon_plain(&a, s, cut, &err) < 0 ||
	    rl_canon_plain(&b, s + rest, size - rest, &err) < 0 ||
	    rl_strv_push(&terms, "peace") < 0 || rl_strv_push(&terms, "a.") < 0)
		goto out;
	ropts.watch_terms = &terms;
	rc = rl_report_build(&r, rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len, &ropts, &err);
	if (rc < 0 && rc != RL_ENOMEM)
		abort();
	if (rc == 0) {
		diff_ops_hold(r->diff, rl_buf_cstr(&a), a.len, rl_buf_cstr(&b), b.len);
		render_all(r);
		rl_report_free(r);
	}
out:
	rl_strv_free(&terms);
	rl_buf_free(&a);
	rl_buf_free(&b);
	return 0;
}
