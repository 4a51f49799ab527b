/* libFuzzer target: PDF extraction (poppler-glib, per-page text, page
 * furniture across pages) on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "redline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rl_raw_page page = {0, (const char *)data, size, "application/pdf",
			    "http://fuzz.invalid/d.pdf"};
	rl_text text = {0};
	rl_error err;

	rl_extract(&text, &page, 1, NULL, &err);
	rl_text_free(&text);
	return 0;
}
