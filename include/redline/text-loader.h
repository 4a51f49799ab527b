/* ICU and libxml2 are loaded on first use (archive/text-loader.c): a
 * pass where every page answers 304 never maps them, and a page that
 * declares its charset never maps ICU's i18n library. */
#ifndef REDLINE_TEXT_LOADER_H
#define REDLINE_TEXT_LOADER_H

#include <stddef.h>

/* Called with a message naming the library and the reason when ICU or
 * libxml2 cannot be loaded; must end the process (the caller of the
 * function that needed it has nothing to continue with). The programs
 * print the message and exit with 127, like the dynamic linker. Without
 * a handler the process aborts. */
typedef void (*rl_text_fatal_fn)(const char *message);
void rl_text_set_fatal(rl_text_fatal_fn handler);

/* Loads ICU's common library now, if it is not loaded: every extraction
 * needs it, and a program that is about to extract can have the loading
 * (about a millisecond of relocations) done on another thread while it
 * reads its input. */
void rl_text_preload(void);
/* Whether a text may need ICU: 0 when every character of s (UTF-8) is
 * one the extraction and the differ know without it (ASCII, and beyond
 * it the punctuation, symbols and letters most English and Korean
 * documents hold), 1 when one is not, or a byte is not UTF-8. A program
 * that would preload ICU for texts can skip it for texts of 0, which
 * never load it (a compare of an edition and a copy with ten edits took
 * 19.5 -> 17.0 ms without the load). A guess from the raw bytes: HTML's
 * and PDF's may say 0 or 1 of texts that then do otherwise, and ICU is
 * loaded when needed. */
int rl_text_needs_icu(const char *s, size_t len);

/* Non-zero while any of the text libraries is loaded. */
int rl_text_loaded(void);
/* Lets the text libraries go: their process-wide caches freed
 * (xmlCleanupParser, u_cleanup) and the libraries unmapped (dlclose);
 * loads nothing, and the next call of one of their functions loads it
 * again. Only while no other thread uses them, and so only where no ICU
 * or libxml2 object is alive: nothing in the library keeps one beyond
 * the call that made it (a static break iterator, converter, normalizer,
 * document or compiled XPath would dangle). The daemon calls it when no
 * source is in flight, the programs at exit. */
void rl_text_release(void);

#endif
