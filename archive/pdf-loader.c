/* Loads poppler-glib on demand (see pdf-loader.h for why). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "pdf-loader.h"

#ifndef RL_POPPLER_SONAME
#define RL_POPPLER_SONAME "libpoppler-glib.so.8"
#endif

static pthread_once_t once = PTHREAD_ONCE_INIT;
static rl_poppler lib;
static int loaded;
static char why[256];

/* dlsym on the handle also finds glib's and gobject's symbols: they are
 * libraries poppler-glib itself needs, loaded with it. */
#define LOAD(field, symbol)                                                                        \
	do {                                                                                       \
		*(void **)&lib.field = dlsym(h, symbol);                                           \
		if (!lib.field) {                                                                  \
			snprintf(why, sizeof(why), "%s has no %s", RL_POPPLER_SONAME, symbol);     \
			return;                                                                    \
		}                                                                                  \
	} while (0)

static void load(void)
{
	/* lazy: poppler's and glib's calls among themselves are bound
	 * when first made (git-loader.c says why) */
	void *h = dlopen(RL_POPPLER_SONAME, RTLD_LAZY | RTLD_LOCAL);

	if (!h) {
		const char *e = dlerror();

		snprintf(why, sizeof(why), "%s", e ? e : RL_POPPLER_SONAME ": cannot be loaded");
		return;
	}
	LOAD(document_new_from_bytes, "poppler_document_new_from_bytes");
	LOAD(document_get_n_pages, "poppler_document_get_n_pages");
	LOAD(document_get_page, "poppler_document_get_page");
	LOAD(page_get_text, "poppler_page_get_text");
	LOAD(error_quark, "poppler_error_quark");
	LOAD(object_unref, "g_object_unref");
	LOAD(bytes_new_static, "g_bytes_new_static");
	LOAD(bytes_unref, "g_bytes_unref");
	LOAD(clear_error, "g_clear_error");
	LOAD(free, "g_free");
	/* The handle stays open for the life of the process, on purpose. */
	loaded = 1;
}

const rl_poppler *rl_poppler_get(rl_error *err)
{
	pthread_once(&once, load);
	if (!loaded) {
		rl_error_set(err, RL_EEXTRACT, "PDF support is unavailable: %s (install %s)", why,
			     "libpoppler-glib8");
		return NULL;
	}
	return &lib;
}
