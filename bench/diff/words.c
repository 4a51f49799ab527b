/* words: the canonical text of a file (extraction as `redline compare`
 * does it), or of a file already canonical (-c), as the differ's words,
 * one per line: ICU word boundaries, punctuation left out, as
 * rl_diff_stats counts them. bench/diff.sh computes the longest common
 * sequence of these words with git's minimal diff, the bound that
 * stats.common + stats.moved are measured against. With -t, the
 * canonical text itself, which the bench gives every tool.
 *
 *   words [-c | -t] FILE */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../archive/diff-internal.h"
#include "redline/extract.h"
#include "redline/util.h"

int main(int argc, char **argv)
{
	rl_buf raw = RL_BUF_INIT;
	rl_error err = {0, ""};
	rl_text text;
	rl_raw_page page;
	rl_extract_opts xo;
	dintern *ids = NULL;
	dside s;
	const char *t;
	size_t len;
	int canonical = argc == 3 && strcmp(argv[1], "-c") == 0;
	int text_only = argc == 3 && strcmp(argv[1], "-t") == 0;

	if (argc != 2 && !canonical && !text_only) {
		fprintf(stderr, "usage: words [-c | -t] FILE\n");
		return 2;
	}
	memset(&text, 0, sizeof(text));
	memset(&page, 0, sizeof(page));
	memset(&xo, 0, sizeof(xo));
	if (rl_file_read(argv[argc - 1], &raw, &err) < 0)
		goto fail;
	t = rl_buf_cstr(&raw);
	len = raw.len;
	if (!canonical) {
		page.data = t;
		page.len = len;
		page.url = argv[argc - 1];
		if (rl_extract(&text, &page, 1, &xo, &err) < 0)
			goto fail;
		t = rl_buf_cstr(&text.text);
		len = text.text.len;
	}
	if (text_only) {
		fwrite(t, 1, len, stdout);
		goto done;
	}
	if (dintern_new(&ids) < 0 || diff_tokenize(&s, t, len, ids, &err) < 0)
		goto fail;
	for (size_t i = 0; i < s.ntok; i++)
		if (tok_is_word(&s.tok[i]))
			printf("%.*s\n", (int)(s.tok[i].end - s.tok[i].start), t + s.tok[i].start);
	dside_free(&s);
	dintern_free(ids);
done:
	rl_text_free(&text);
	rl_buf_free(&raw);
	return 0;
fail:
	fprintf(stderr, "words: %s: %s\n", argv[argc - 1], err.message);
	return 1;
}
