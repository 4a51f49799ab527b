/* ICU and libxml2, loaded on first use, and let go between passes.
 *
 * Linked the usual way, they and the libstdc++ ICU needs cost every
 * process about 3.5 MiB of resident memory before main() runs
 * (relocations, constructors, symbol lookups), and libxml2's
 * initialisation 0.6 MiB more: a third of `redline fetch` over pages that
 * all answer 304, which extracts nothing. So the programs do not link
 * them: this file defines each ICU and libxml2 function the library calls,
 * with the prototype from the library's own header, as a trampoline that loads
 * the function's library (dlopen) the first time one of its functions is
 * called, and calls the real function. The headers' ICU renaming
 * (ubrk_open -> ubrk_open_72) applies to the trampolines too, so they
 * match what the callers were compiled against.
 *
 * Each library comes when one of its functions is first called: ICU's
 * i18n library (1.2 MiB resident) only does charset detection, which a
 * page that declares its charset never needs.
 *
 * rl_text_release lets them all go: their caches freed (u_cleanup,
 * xmlCleanupParser) and the libraries unmapped (dlclose); the next call
 * loads again. The daemon does it after each pass (4 MiB it would
 * otherwise hold between passes for the next one). So no ICU or libxml2
 * object may outlive the call that made it: nothing in the library keeps
 * a break iterator, converter, normalizer, document or compiled XPath in
 * a static (libstdc++ stays: its unique symbols make it unloadable).
 *
 * A call to an ICU or libxml2 function that is not in TEXT_FUNCTIONS
 * fails to link ("undefined reference to `u_foo_72'"): add its line,
 * the prototype copied from the header.
 *
 * A library that cannot be loaded leaves the trampoline nothing to return: the
 * installation is broken, as when the dynamic linker finds a library
 * missing at start. The library does not print or exit; it hands the
 * message to the program's handler (rl_text_set_fatal), which does what
 * the dynamic linker would (the programs print it and exit with 127). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xpath.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uclean.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/uvernum.h>

#include "redline/text-loader.h"

#include "loader-common.h"

#define STR(x)  #x
#define XSTR(x) STR(x)

#ifndef RL_ICUUC_SONAME
#define RL_ICUUC_SONAME "libicuuc.so." XSTR(U_ICU_VERSION_MAJOR_NUM)
#endif
#ifndef RL_ICUI18N_SONAME
#define RL_ICUI18N_SONAME "libicui18n.so." XSTR(U_ICU_VERSION_MAJOR_NUM)
#endif
#ifndef RL_XML2_SONAME
#define RL_XML2_SONAME "libxml2.so.2"
#endif

enum { UC, I18N, XML2, N_LIBS };
static const char *const sonames[N_LIBS] = {RL_ICUUC_SONAME, RL_ICUI18N_SONAME, RL_XML2_SONAME};

/* F(library, return type, name, parameters, arguments); V for void. */
#define TEXT_FUNCTIONS(F, V, FC, VC)                                                               \
	F(UC, const char *, u_errorName, (UErrorCode a), (a))                                      \
	F(UC, UChar32, u_foldCase, (UChar32 a, uint32_t b), (a, b))                                \
	F(UC, int32_t, u_getIntPropertyValue, (UChar32 a, UProperty b), (a, b))                    \
	F(UC, UBool, u_isUWhiteSpace, (UChar32 a), (a))                                            \
	F(UC, UBool, u_isalnum, (UChar32 a), (a))                                                  \
	F(UC, UBool, u_isalpha, (UChar32 a), (a))                                                  \
	F(UC, UBool, u_islower, (UChar32 a), (a))                                                  \
	F(UC, UBool, u_istitle, (UChar32 a), (a))                                                  \
	F(UC, UBool, u_isupper, (UChar32 a), (a))                                                  \
	F(UC, UBlockCode, ublock_getCode, (UChar32 a), (a))                                        \
	F(UC, UScriptCode, uscript_getScript, (UChar32 a, UErrorCode * b), (a, b))                 \
	F(UC, UChar *, u_strFromUTF8,                                                              \
	  (UChar * a, int32_t b, int32_t * c, const char *d, int32_t e, UErrorCode *f),            \
	  (a, b, c, d, e, f))                                                                      \
	F(UC, char *, u_strToUTF8,                                                                 \
	  (char *a, int32_t b, int32_t *c, const UChar *d, int32_t e, UErrorCode *f),              \
	  (a, b, c, d, e, f))                                                                      \
	VC(UC, ubrk_close, (UBreakIterator * a), (a))                                              \
	F(UC, int32_t, ubrk_first, (UBreakIterator * a), (a))                                      \
	F(UC, int32_t, ubrk_getRuleStatus, (UBreakIterator * a), (a))                              \
	F(UC, int32_t, ubrk_next, (UBreakIterator * a), (a))                                       \
	F(UC, UBreakIterator *, ubrk_open,                                                         \
	  (UBreakIteratorType a, const char *b, const UChar *c, int32_t d, UErrorCode *e),         \
	  (a, b, c, d, e))                                                                         \
	V(UC, ubrk_setText, (UBreakIterator * a, const UChar *b, int32_t c, UErrorCode *d),        \
	  (a, b, c, d))                                                                            \
	V(UC, ubrk_setUText, (UBreakIterator * a, UText * b, UErrorCode * c), (a, b, c))           \
	V(UC, ucnv_cbToUWriteUChars,                                                               \
	  (UConverterToUnicodeArgs * a, const UChar *b, int32_t c, int32_t d, UErrorCode *e),      \
	  (a, b, c, d, e))                                                                         \
	VC(UC, ucnv_close, (UConverter * a), (a))                                                  \
	F(UC, const char *, ucnv_getAlias, (const char *a, uint16_t b, UErrorCode *c), (a, b, c))  \
	F(UC, UConverter *, ucnv_open, (const char *a, UErrorCode *b), (a, b))                     \
	V(UC, ucnv_resetToUnicode, (UConverter * a), (a))                                          \
	V(UC, ucnv_setToUCallBack,                                                                 \
	  (UConverter * a, UConverterToUCallback b, const void *c, UConverterToUCallback *d,       \
	   const void **e, UErrorCode *f),                                                         \
	  (a, b, c, d, e, f))                                                                      \
	F(UC, int32_t, ucnv_toAlgorithmic,                                                         \
	  (UConverterType a, UConverter * b, char *c, int32_t d, const char *e, int32_t f,         \
	   UErrorCode *g),                                                                         \
	  (a, b, c, d, e, f, g))                                                                   \
	F(UC, const UNormalizer2 *, unorm2_getNFCInstance, (UErrorCode * a), (a))                  \
	F(UC, const UNormalizer2 *, unorm2_getNFKCCasefoldInstance, (UErrorCode * a), (a))         \
	F(UC, UBool, unorm2_hasBoundaryBefore, (const UNormalizer2 *a, UChar32 b), (a, b))         \
	F(UC, int32_t, unorm2_normalize,                                                           \
	  (const UNormalizer2 *a, const UChar *b, int32_t c, UChar *d, int32_t e, UErrorCode *f),  \
	  (a, b, c, d, e, f))                                                                      \
	F(UC, int32_t, unorm2_spanQuickCheckYes,                                                   \
	  (const UNormalizer2 *a, const UChar *b, int32_t c, UErrorCode *d), (a, b, c, d))         \
	FC(UC, UText *, utext_close, (UText * a), (a), a)                                          \
	F(UC, UText *, utext_openUTF8, (UText * a, const char *b, int64_t c, UErrorCode *d),       \
	  (a, b, c, d))                                                                            \
	VC(I18N, ucsdet_close, (UCharsetDetector * a), (a))                                        \
	F(I18N, const UCharsetMatch *, ucsdet_detect, (UCharsetDetector * a, UErrorCode * b),      \
	  (a, b))                                                                                  \
	F(I18N, UBool, ucsdet_enableInputFilter, (UCharsetDetector * a, UBool b), (a, b))          \
	F(I18N, int32_t, ucsdet_getConfidence, (const UCharsetMatch *a, UErrorCode *b), (a, b))    \
	F(I18N, const char *, ucsdet_getName, (const UCharsetMatch *a, UErrorCode *b), (a, b))     \
	F(I18N, UCharsetDetector *, ucsdet_open, (UErrorCode * a), (a))                            \
	V(I18N, ucsdet_setText, (UCharsetDetector * a, const char *b, int32_t c, UErrorCode *d),   \
	  (a, b, c, d))                                                                            \
	F(XML2, htmlDocPtr, htmlReadMemory,                                                        \
	  (const char *a, int b, const char *c, const char *d, int e), (a, b, c, d, e))            \
	F(XML2, const xmlChar *, xmlBufferContent, (const xmlBuffer *a), (a))                      \
	F(XML2, xmlBufferPtr, xmlBufferCreate, (void), ())                                         \
	V(XML2, xmlBufferFree, (xmlBufferPtr a), (a))                                              \
	F(XML2, int, xmlBufferLength, (const xmlBuffer *a), (a))                                   \
	V(XML2, xmlCleanupParser, (void), ())                                                      \
	V(XML2, xmlFreeDoc, (xmlDocPtr a), (a))                                                    \
	V(XML2, xmlFreeNode, (xmlNodePtr a), (a))                                                  \
	V(XML2, xmlFreeTextWriter, (xmlTextWriterPtr a), (a))                                      \
	F(XML2, xmlAttrPtr, xmlHasProp, (const xmlNode *a, const xmlChar *b), (a, b))              \
	V(XML2, xmlInitParser, (void), ())                                                         \
	F(XML2, xmlTextWriterPtr, xmlNewTextWriterMemory, (xmlBufferPtr a, int b), (a, b))         \
	F(XML2, int, xmlTextWriterEndDocument, (xmlTextWriterPtr a), (a))                          \
	F(XML2, int, xmlTextWriterEndElement, (xmlTextWriterPtr a), (a))                           \
	F(XML2, int, xmlTextWriterSetIndent, (xmlTextWriterPtr a, int b), (a, b))                  \
	F(XML2, int, xmlTextWriterSetIndentString, (xmlTextWriterPtr a, const xmlChar *b), (a, b)) \
	F(XML2, int, xmlTextWriterStartDocument,                                                   \
	  (xmlTextWriterPtr a, const char *b, const char *c, const char *d), (a, b, c, d))         \
	F(XML2, int, xmlTextWriterStartElement, (xmlTextWriterPtr a, const xmlChar *b), (a, b))    \
	F(XML2, int, xmlTextWriterStartElementNS,                                                  \
	  (xmlTextWriterPtr a, const xmlChar *b, const xmlChar *c, const xmlChar *d),              \
	  (a, b, c, d))                                                                            \
	F(XML2, int, xmlTextWriterWriteAttribute,                                                  \
	  (xmlTextWriterPtr a, const xmlChar *b, const xmlChar *c), (a, b, c))                     \
	F(XML2, int, xmlTextWriterWriteElement,                                                    \
	  (xmlTextWriterPtr a, const xmlChar *b, const xmlChar *c), (a, b, c))                     \
	F(XML2, int, xmlTextWriterWriteString, (xmlTextWriterPtr a, const xmlChar *b), (a, b))     \
	V(XML2, xmlUnlinkNode, (xmlNodePtr a), (a))                                                \
	F(XML2, xmlXPathCompExprPtr, xmlXPathCompile, (const xmlChar *a), (a))                     \
	F(XML2, xmlXPathObjectPtr, xmlXPathCompiledEval,                                           \
	  (xmlXPathCompExprPtr a, xmlXPathContextPtr b), (a, b))                                   \
	F(XML2, xmlXPathCompExprPtr, xmlXPathCtxtCompile,                                          \
	  (xmlXPathContextPtr a, const xmlChar *b), (a, b))                                        \
	V(XML2, xmlXPathFreeCompExpr, (xmlXPathCompExprPtr a), (a))                                \
	V(XML2, xmlXPathFreeContext, (xmlXPathContextPtr a), (a))                                  \
	V(XML2, xmlXPathFreeObject, (xmlXPathObjectPtr a), (a))                                    \
	F(XML2, xmlXPathContextPtr, xmlXPathNewContext, (xmlDocPtr a), (a))                        \
	F(XML2, long int, xmlXPathOrderDocElems, (xmlDocPtr a), (a))

/* The real functions, typed by the headers' own declarations. Each
 * macro is written out, the closers' too: passed on to another macro, a
 * name ICU renames (utext_close is utext_close_72) would be expanded
 * before it is pasted into p_##name. */
#define FIELD(lib, ret, name, params, args)        __typeof__(name) *p_##name;
#define VFIELD(lib, name, params, args)            __typeof__(name) *p_##name;
#define CFIELD(lib, ret, name, params, args, none) __typeof__(name) *p_##name;
static struct {
	TEXT_FUNCTIONS(FIELD, VFIELD, CFIELD, VFIELD)
} fn;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *handle[N_LIBS];
static int loaded[N_LIBS]; /* read without the lock: set last, with release */
static rl_text_fatal_fn fatal_handler;

void rl_text_set_fatal(rl_text_fatal_fn handler)
{
	fatal_handler = handler;
}

static void *need_symbol(void *h, const char *lib, const char *symbol)
{
	void *p = dlsym(h, symbol);

	if (!p) {
		pthread_mutex_unlock(&lock);
		loader_fatal(fatal_handler, "%s has no %s", lib, symbol);
	}
	return p;
}

#define LOADF(l, ret, name, params, args)                                                          \
	if (lib == (l))                                                                            \
		*(void **)&fn.p_##name = need_symbol(handle[l], sonames[l], XSTR(name));
#define VLOADF(l, name, params, args)                                                              \
	if (lib == (l))                                                                            \
		*(void **)&fn.p_##name = need_symbol(handle[l], sonames[l], XSTR(name));
#define CLOADF(l, ret, name, params, args, none)                                                   \
	if (lib == (l))                                                                            \
		*(void **)&fn.p_##name = need_symbol(handle[l], sonames[l], XSTR(name));

static void load(int lib)
{
	pthread_mutex_lock(&lock);
	if (!loaded[lib]) {
		/* Lazy: the library's own calls are bound as they are first
		 * made, not all of them here (what redline uses is looked up
		 * below, and a function missing is said at once all the
		 * same); see git-loader.c. */
		handle[lib] = dlopen(sonames[lib], RTLD_LAZY | RTLD_LOCAL);
		if (!handle[lib]) {
			const char *e = dlerror();

			pthread_mutex_unlock(&lock);
			loader_fatal(fatal_handler, "cannot load %s: %s", sonames[lib],
				     e ? e : "unknown error");
		}
		TEXT_FUNCTIONS(LOADF, VLOADF, CLOADF, VLOADF)
		__atomic_store_n(&loaded[lib], 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&lock);
}

static inline void need(int lib)
{
	if (__builtin_expect(!__atomic_load_n(&loaded[lib], __ATOMIC_ACQUIRE), 0))
		load(lib);
}

/* A closer (FC, VC in the list) loads nothing: with its library not
 * loaded, what it is given was never opened (NULL, or a UText on the
 * stack never used), and there is nothing to close. Callers close
 * whatever they might have opened, and a text that never needed ICU
 * does not load it to close nothing. */
#define CLOSER_STUB(lib, ret, name, params, args, none)                                            \
	ret name params                                                                            \
	{                                                                                          \
		if (!__atomic_load_n(&loaded[lib], __ATOMIC_ACQUIRE))                              \
			return none;                                                               \
		return fn.p_##name args;                                                           \
	}
#define VCLOSER_STUB(lib, name, params, args)                                                      \
	void name params                                                                           \
	{                                                                                          \
		if (__atomic_load_n(&loaded[lib], __ATOMIC_ACQUIRE))                               \
			fn.p_##name args;                                                          \
	}

TEXT_FUNCTIONS(LOADER_STUB, LOADER_VSTUB, CLOSER_STUB, VCLOSER_STUB)

void rl_text_preload(void)
{
	need(UC);
}

int rl_text_loaded(void)
{
	for (int i = 0; i < N_LIBS; i++)
		if (__atomic_load_n(&loaded[i], __ATOMIC_ACQUIRE))
			return 1;
	return 0;
}

void rl_text_release(void)
{
	void (*cleanup)(void) = NULL;

	pthread_mutex_lock(&lock);
	/* xmlCleanupParser frees nothing unless xmlInitParser ran, and the
	 * feed's writer sets up encoding handlers and mutexes without it:
	 * once unmapped, they would be lost for good, 1 KiB each pass. */
	if (loaded[XML2]) {
		fn.p_xmlInitParser();
		fn.p_xmlCleanupParser();
	}
	/* u_cleanup is icuuc's; i18n registers its caches there too. */
	if (loaded[UC] || loaded[I18N])
		*(void **)&cleanup = dlsym(handle[UC] ? handle[UC] : handle[I18N], XSTR(u_cleanup));
	if (cleanup)
		cleanup();
	/* Backwards: i18n before the uc it depends on. */
	for (int lib = N_LIBS - 1; lib >= 0; lib--) {
		void *h = handle[lib];

		__atomic_store_n(&loaded[lib], 0, __ATOMIC_RELEASE);
		handle[lib] = NULL;
		if (h)
			dlclose(h);
	}
	memset(&fn, 0, sizeof(fn));
	pthread_mutex_unlock(&lock);
}
