/* libFuzzer target: HTML extraction (libxml2's lenient parser, charset
 * detection, furniture removal, canonical text) on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "redline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rl_raw_page page = {0, (const char *)data, size, "text/html", "http://fuzz.invalid/p.html"};
	rl_text text = {0};
	rl_error err;

	rl_extract(&text, &page, 1, NULL, &err);
	rl_text_free(&text);
	return 0;
}
