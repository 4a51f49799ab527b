/* poppler-glib, loaded on the first PDF. It drags in cairo, glib,
 * fontconfig and freetype: 8.6 MiB of resident memory in every process
 * that links it, a daemon watching web pages included. Loading it only
 * when a PDF arrives keeps that cost where PDFs are. */
#ifndef REDLINE_PDF_LOADER_H
#define REDLINE_PDF_LOADER_H

#include <poppler.h>

#include "redline/error.h"

typedef struct rl_poppler {
	__typeof__(poppler_document_new_from_bytes) *document_new_from_bytes;
	__typeof__(poppler_document_get_n_pages) *document_get_n_pages;
	__typeof__(poppler_document_get_page) *document_get_page;
	__typeof__(poppler_page_get_text) *page_get_text;
	__typeof__(poppler_error_quark) *error_quark;
	__typeof__(g_object_unref) *object_unref;
	__typeof__(g_bytes_new_static) *bytes_new_static;
	__typeof__(g_bytes_unref) *bytes_unref;
	__typeof__(g_clear_error) *clear_error;
	__typeof__(g_free) *free;
} rl_poppler;

/* The functions, loaded once per process; NULL (and err set) when the
 * library cannot be loaded. */
const rl_poppler *rl_poppler_get(rl_error *err);

#endif
