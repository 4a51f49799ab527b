/* libFuzzer target: the word differ (tokens, LCS, alignment, moves,
 * classes) on two texts: the input split at its first NUL byte, else in
 * the middle. Checks what must hold of any diff: its operations, in
 * order, are the two texts (diff-ops.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redline.h"

#include "diff-ops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nul = memchr(s, '\0', size);
	size_t cut = nul ? (size_t)(nul - s) : size / 2;
	size_t rest = nul ? cut + 1 : cut;
	rl_diff *d = NULL;
	rl_error err;

	if (rl_diff_texts(&d, s, cut, s + rest, size - rest, NULL, &err) == 0) {
		diff_ops_hold(d, s, cut, s + rest, size - rest);
		rl_diff_words_changed(d);
		rl_diff_free(d);
	}
	return 0;
}
