/* PDF into the line model, with poppler-glib: each PDF page becomes a
 * page of lines in poppler's reading order (columns and blocks resolved
 * by poppler's text layout, the same as pdftotext's). PDF lines are
 * visual lines, so every page is hard-wrapped: paragraphs and sentences
 * are rebuilt by the canonicalizer exactly as for a web page. */
#include <stdint.h>
#include <string.h>

#include <poppler.h>

#include "extract-int.h"

int rlx_pdf(xdoc *d, const char *data, size_t len, int number, rl_error *err)
{
	GBytes *bytes;
	GError *gerr = NULL;
	PopplerDocument *doc;
	int n, next, rc = 0;

	if (len > INT32_MAX)
		return rl_error_set(err, RL_EEXTRACT, "%zu bytes of PDF is too large", len);
	bytes = g_bytes_new_static(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	if (!doc) {
		if (gerr && g_error_matches(gerr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
			rc = rl_error_set(err, RL_EEXTRACT,
					  "encrypted PDF: it needs a password to be read");
		else
			rc = rl_error_set(err, RL_EEXTRACT, "damaged PDF: %s",
					  gerr && gerr->message ? gerr->message : "cannot be read");
		g_clear_error(&gerr);
		g_bytes_unref(bytes);
		return rc;
	}
	n = poppler_document_get_n_pages(doc);
	/* One page of a paged source keeps its number; a whole document's
	 * pages are numbered from where the pages so far end. */
	next = d->n ? d->pages[d->n - 1].number + 1 : 1;
	for (int i = 0; i < n && rc == 0; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		xpage *p = rlx_page_new(d, number > 0 && n == 1 ? number : next++);
		char *text, *s;

		if (!p) {
			if (page)
				g_object_unref(page);
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
			break;
		}
		p->fixed_mode = 1;
		p->line_mode = 1;
		if (!page)
			continue; /* a page poppler cannot load reads as empty */
		text = poppler_page_get_text(page);
		for (s = text; s && *s && rc == 0;) {
			size_t k = strcspn(s, "\n");

			if (rlx_page_line(d, p, XL_TEXT, 0, s, k, NULL, 0) < 0)
				rc = rl_error_set(err, RL_ENOMEM, "out of memory");
			s += k + (s[k] == '\n');
		}
		g_free(text);
		g_object_unref(page);
	}
	g_object_unref(doc);
	g_bytes_unref(bytes);
	return rc;
}
