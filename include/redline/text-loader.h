/* ICU and libxml2 are loaded on first use (archive/text-loader.c): a
 * pass where every page answers 304 never maps them. */
#ifndef REDLINE_TEXT_LOADER_H
#define REDLINE_TEXT_LOADER_H

/* Called with a message naming the library and the reason when ICU or
 * libxml2 cannot be loaded; must end the process (the caller of the
 * function that needed it has nothing to continue with). The programs
 * print the message and exit with 127, like the dynamic linker. Without
 * a handler the process aborts. */
typedef void (*rl_text_fatal_fn)(const char *message);
void rl_text_set_fatal(rl_text_fatal_fn handler);

/* Non-zero once the text libraries are loaded in this process. */
int rl_text_loaded(void);
/* At exit: frees libxml2's process-wide state if it was ever loaded
 * (xmlCleanupParser), and loads nothing. */
void rl_text_release(void);

#endif
