/* libFuzzer target: canonical text (line joining, hyphenation, sentence
 * segmentation with ICU, NFC) on arbitrary bytes, canonicalized twice.
 * FUZZ_CANON_IDEMPOTENT=1 also asks that canonical text canonicalized
 * again be the same bytes; it does not hold yet (doc/scale.md), so it is
 * not part of the default run. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rl_buf once = RL_BUF_INIT, twice = RL_BUF_INIT;
	rl_error err;

	if (rl_canon_plain(&once, (const char *)data, size, &err) == 0 &&
	    rl_canon_plain(&twice, once.ptr ? once.ptr : "", once.len, &err) == 0 &&
	    getenv("FUZZ_CANON_IDEMPOTENT") &&
	    (once.len != twice.len || memcmp(rl_buf_cstr(&once), rl_buf_cstr(&twice), once.len)))
		abort();
	rl_buf_free(&once);
	rl_buf_free(&twice);
	return 0;
}
