/* PDF into the line model, with poppler-glib: each PDF page becomes a
 * page of lines in poppler's reading order (columns and blocks resolved
 * by poppler's text layout, the same as pdftotext's). PDF lines are
 * visual lines, so every page is hard-wrapped: paragraphs and sentences
 * are rebuilt by the canonicalizer exactly as for a web page.
 *
 * Laying out the text of a page is most of the cost, and pages are
 * independent: a long PDF is read by a few threads, each with its own
 * PopplerDocument over the same bytes (poppler objects are not shared
 * between threads), each taking a run of pages. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "redline/thread.h"

#include "extract-int.h"
#include "pdf-loader.h"

#define THREADS_MAX          4 /* readers of one PDF at most */
#define PAGES_PER_THREAD_MIN 8 /* fewer pages are not worth a thread */

struct reader {
	const rl_poppler *pp;
	GBytes *bytes;
	PopplerDocument *doc; /* NULL: open one */
	int first, last;      /* pages [first, last) */
	char **text;          /* text[i] for page i, g_malloc'd */
	int failed;
};

static void *read_pages(void *arg)
{
	struct reader *r = arg;
	const rl_poppler *pp = r->pp;
	PopplerDocument *doc = r->doc;

	if (!doc && !(doc = pp->document_new_from_bytes(r->bytes, NULL, NULL))) {
		r->failed = 1;
		return NULL;
	}
	for (int i = r->first; i < r->last; i++) {
		PopplerPage *page = pp->document_get_page(doc, i);

		if (!page)
			continue; /* a page poppler cannot load reads as empty */
		r->text[i] = pp->page_get_text(page);
		pp->object_unref(page);
	}
	if (!r->doc)
		pp->object_unref(doc);
	return NULL;
}

static int threads_for(int pages)
{
	long cpus = rl_usable_cpus();
	int n = pages / PAGES_PER_THREAD_MIN;

	if (cpus < 1)
		cpus = 1;
	if (n > cpus)
		n = (int)cpus;
	if (n > THREADS_MAX)
		n = THREADS_MAX;
	return n < 1 ? 1 : n;
}

/* Every page's text, read by up to THREADS_MAX threads. The first reader
 * runs here with the document already open (which also sets up
 * poppler's global state before any thread starts). */
static int read_all(const rl_poppler *pp, PopplerDocument *doc, GBytes *bytes, int n, char **text)
{
	struct reader r[THREADS_MAX] = {0};
	rl_task *task[THREADS_MAX];
	int nt = threads_for(n), started = 0, failed = 0;

	for (int t = 0; t < nt; t++) {
		r[t].pp = pp;
		r[t].bytes = bytes;
		r[t].doc = t == 0 ? doc : NULL;
		r[t].first = (int)((int64_t)n * t / nt);
		r[t].last = (int)((int64_t)n * (t + 1) / nt);
		r[t].text = text;
		r[t].failed = 0;
	}
	for (int t = 1; t < nt; t++) {
		if (rl_task_start(&task[t], read_pages, &r[t]) != 0) {
			/* no thread: read its pages here */
			read_pages(&r[t]);
			task[t] = NULL;
			continue;
		}
		started |= 1 << t;
	}
	read_pages(&r[0]);
	for (int t = 1; t < nt; t++) {
		if (started & (1 << t))
			rl_task_join(task[t]);
		failed |= r[t].failed;
	}
	return failed ? -1 : 0;
}

static pthread_mutex_t first_open = PTHREAD_MUTEX_INITIALIZER;

int rlx_pdf(xdoc *d, const char *data, size_t len, int number, rl_error *err)
{
	const rl_poppler *pp = rl_poppler_get(err);
	GBytes *bytes;
	GError *gerr = NULL;
	PopplerDocument *doc;
	char **text;
	int n, next, rc = 0;

	if (!pp)
		return RL_EEXTRACT;
	if (len > INT32_MAX)
		return rl_error_set(err, RL_EEXTRACT, "%zu bytes of PDF is too large", len);
	bytes = pp->bytes_new_static(data, len);
	/* The first document sets up poppler's global state: two PDFs
	 * extracted at once (compare) must not both set it up. */
	pthread_mutex_lock(&first_open);
	doc = pp->document_new_from_bytes(bytes, NULL, &gerr);
	pthread_mutex_unlock(&first_open);
	if (!doc) {
		if (gerr && gerr->domain == pp->error_quark() &&
		    gerr->code == POPPLER_ERROR_ENCRYPTED)
			rc = rl_error_set(err, RL_EEXTRACT,
					  "encrypted PDF: it needs a password to be read");
		else
			rc = rl_error_set(err, RL_EEXTRACT, "damaged PDF: %s",
					  gerr && gerr->message ? gerr->message : "cannot be read");
		pp->clear_error(&gerr);
		pp->bytes_unref(bytes);
		return rc;
	}
	n = pp->document_get_n_pages(doc);
	text = calloc(n > 0 ? (size_t)n : 1, sizeof(*text));
	if (!text) {
		pp->object_unref(doc);
		pp->bytes_unref(bytes);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	if (read_all(pp, doc, bytes, n, text) < 0)
		rc = rl_error_set(err, RL_EEXTRACT, "damaged PDF: cannot be read again");
	/* One page of a paged source keeps its number; a whole document's
	 * pages are numbered from where the pages so far end. */
	next = d->n ? d->pages[d->n - 1].number + 1 : 1;
	for (int i = 0; i < n && rc == 0; i++) {
		xpage *p = rlx_page_new(d, number > 0 && n == 1 ? number : next++);

		if (!p) {
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
			break;
		}
		p->fixed_mode = 1;
		p->line_mode = 1;
		for (char *s = text[i]; s && *s && rc == 0;) {
			size_t k = strcspn(s, "\n");

			if (rlx_page_line(d, p, XL_TEXT, 0, s, k, NULL, 0) < 0)
				rc = rl_error_set(err, RL_ENOMEM, "out of memory");
			s += k + (s[k] == '\n');
		}
	}
	for (int i = 0; i < n; i++)
		pp->free(text[i]);
	free(text);
	pp->object_unref(doc);
	pp->bytes_unref(bytes);
	return rc;
}
