/* ICU and libxml2 are loaded on first use (archive/text-loader.c): a
 * pass where every page answers 304 never maps them. */
#ifndef REDLINE_TEXT_LOADER_H
#define REDLINE_TEXT_LOADER_H

/* Non-zero once the text libraries are loaded in this process. */
int rl_text_loaded(void);
/* At exit: frees libxml2's process-wide state if it was ever loaded
 * (xmlCleanupParser), and loads nothing. */
void rl_text_release(void);

#endif
