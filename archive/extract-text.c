/* Plain text and Markdown into the line model.
 *
 * Plain text: each line is a line, blank lines separate blocks, a form
 * feed (what pdftotext writes between pages) starts a new page so that
 * running titles can be recognized, and so does a rule of dashes; "# Title"
 * lines are headings, so canonical text reads back as itself. Markdown says what it means: `#`
 * headings, list items, fenced code, and blank lines between paragraphs;
 * nothing is guessed from the layout. */
#include <string.h>

#include "extract-int.h"

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

static size_t indent(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* "```" or "~~~" (three or more), indented at most three spaces. */
static size_t fence(const char *s, size_t n, char *ch)
{
	size_t i = indent(s, n), k = i;

	if (i > 3 || i >= n || (s[i] != '`' && s[i] != '~'))
		return 0;
	while (k < n && s[k] == s[i])
		k++;
	if (k - i < 3)
		return 0;
	*ch = s[i];
	return k - i;
}

static int atx(const char *s, size_t n, size_t *text, size_t *tlen)
{
	size_t i = indent(s, n), h = 0, e;

	if (i > 3)
		return 0;
	while (i + h < n && s[i + h] == '#')
		h++;
	if (h == 0 || h > 6 || (i + h < n && s[i + h] != ' ' && s[i + h] != '\t'))
		return 0;
	*text = i + h;
	e = n;
	while (e > *text && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	while (e > *text && s[e - 1] == '#') /* closing sequence */
		e--;
	*tlen = e - *text;
	return (int)h;
}

static int setext(const char *s, size_t n)
{
	size_t i = indent(s, n), k;

	if (i > 3 || i >= n || (s[i] != '=' && s[i] != '-'))
		return 0;
	for (k = i; k < n && s[k] == s[i]; k++)
		;
	if (!blank(s + k, n - k))
		return 0;
	return s[i] == '=' ? 1 : 2;
}

static int thematic(const char *s, size_t n)
{
	size_t i = indent(s, n), count = 0;
	char c;

	if (i > 3 || i >= n || (s[i] != '-' && s[i] != '*' && s[i] != '_'))
		return 0;
	c = s[i];
	for (; i < n; i++) {
		if (s[i] == c)
			count++;
		else if (s[i] != ' ' && s[i] != '\t')
			return 0;
	}
	return count >= 3;
}

/* "- x", "* x", "+ x", "1. x", "1) x": the marker's length, 0 if none. */
static size_t bullet(const char *s, size_t n, size_t *text)
{
	size_t i = indent(s, n), k = i;

	if (k < n && (s[k] == '-' || s[k] == '*' || s[k] == '+')) {
		k++;
	} else {
		while (k < n && k - i < 9 && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k == i || k >= n || (s[k] != '.' && s[k] != ')'))
			return 0;
		k++;
	}
	if (k >= n || (s[k] != ' ' && s[k] != '\t') || blank(s + k, n - k))
		return 0;
	*text = k;
	return k - i;
}

/* Where the first form feed from `from` on is, or len. */
static size_t next_form_feed(const char *s, size_t from, size_t len)
{
	const char *f = from < len ? memchr(s + from, '\f', len - from) : NULL;

	return f ? (size_t)(f - s) : len;
}

static int plain_lines(xdoc *d, const char *s, size_t len, int number)
{
	xpage *p = rlx_page_new(d, number);
	/* the next form feed, or len: looked for in the rest of the text
	 * once each, not in every line (most texts have none) */
	size_t i = 0, t, tl, ff = next_form_feed(s, 0, len);
	int h;

	/* one page, as a rule: its lines' text grown once, not by doubling */
	if (!p || rl_buf_grow(&p->arena, len + len / 16) < 0)
		return -1;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;

		/* A form feed ends a page wherever it sits in the line. */
		while (ff < end) {
			size_t at = ff;

			ff = next_form_feed(s, at + 1, len);
			if (!blank(s + i, at - i) &&
			    rlx_page_line(d, p, XL_TEXT, 0, s + i, at - i, NULL, 0) < 0)
				return -1;
			if (!(p = rlx_page_new(d, number)))
				return -1;
			i = at + 1;
		}
		if (blank(s + i, end - i)) {
			rlx_page_break(p, XB_BLOCK);
		} else if ((h = atx(s + i, end - i, &t, &tl))) {
			/* "## Title": canonical text read back keeps its headings */
			rlx_page_break(p, XB_HARD);
			if (rlx_page_line(d, p, XL_HEADING, h, s + i + t, tl, NULL, 0) < 0)
				return -1;
			rlx_page_break(p, XB_HARD);
		} else if (thematic(s + i, end - i)) {
			/* A rule of dashes or stars separates pages the way a form
			 * feed does (text extracted from PDFs has them); a sentence
			 * may go on across it. */
			if (p->n && !(p = rlx_page_new(d, number)))
				return -1;
		} else if (rlx_page_line(d, p, XL_TEXT, 0, s + i, end - i, NULL, 0) < 0) {
			return -1;
		}
		i = end + 1;
	}
	return 0;
}

static int markdown_lines(xdoc *d, const char *s, size_t len, int number)
{
	xpage *p = rlx_page_new(d, number);
	size_t i = 0, t, tl, m;
	int item = 0, h, rc = 0;
	char fch = 0, ch;
	size_t flen = 0;

	if (!p)
		return -1;
	p->fixed_mode = 1;
	p->said_headings = 1;
	while (i < len && rc == 0) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len, n = end - i, next = end + 1, nend;
		const char *l = s + i;

		if (flen) { /* inside fenced code */
			if ((m = fence(l, n, &ch)) >= flen && ch == fch &&
			    blank(l + indent(l, n) + m, n - indent(l, n) - m)) {
				flen = 0;
				rlx_page_break(p, XB_HARD);
			} else {
				rc = rlx_page_line(d, p, XL_PRE, 0, l, n, NULL, 0);
			}
		} else if ((m = fence(l, n, &fch))) {
			flen = m;
			item = 0;
			rlx_page_break(p, XB_HARD);
		} else if (blank(l, n)) {
			rlx_page_break(p, XB_PARA);
			item = 0;
		} else if ((h = atx(l, n, &t, &tl))) {
			rlx_page_break(p, XB_HARD);
			rc = rlx_page_line(d, p, XL_HEADING, h, l + t, tl, NULL, 0);
			rlx_page_break(p, XB_HARD);
			item = 0;
		} else if (thematic(l, n)) {
			rlx_page_break(p, XB_HARD);
			item = 0;
		} else if ((m = bullet(l, n, &t))) {
			size_t before = p->n;

			rlx_page_break(p, XB_BLOCK);
			rc = rlx_page_line(d, p, XL_ITEM, 0, l + t, n - t, l + t - m, m);
			/* "3." or "3)" is the source's own text; "-", "*", "+" are not */
			if (rc == 0 && p->n > before && l[t - m] >= '0' && l[t - m] <= '9')
				p->lines[p->n - 1].flags |= XF_PRINTED_LABEL;
			item = 1;
		} else if (l[indent(l, n)] == '|') {
			/* a table row; the |---|---| line under the header says nothing */
			if (strspn(l, "|-: \t") < n)
				rc = rlx_page_line(d, p, XL_ROW, 0, l, n, NULL, 0);
		} else if (item) {
			rc = rlx_page_line(d, p, XL_ITEM_CONT, 0, l, n, NULL, 0);
		} else {
			nl = next < len ? memchr(s + next, '\n', len - next) : NULL;
			nend = nl ? (size_t)(nl - s) : len;
			if (next < len && (h = setext(s + next, nend - next)) &&
			    p->pending >= XB_PARA) {
				rlx_page_break(p, XB_HARD);
				rc = rlx_page_line(d, p, XL_HEADING, h, l, n, NULL, 0);
				rlx_page_break(p, XB_HARD);
				next = nend + 1;
			} else {
				rc = rlx_page_line(d, p, XL_TEXT, 0, l, n, NULL, 0);
			}
		}
		i = next;
	}
	return rc;
}

int rlx_plain(xdoc *d, const char *utf8, size_t len, int number, int markdown, int stays)
{
	int rc;

	d->source = stays ? utf8 : NULL;
	d->source_len = stays ? len : 0;
	rc = markdown ? markdown_lines(d, utf8, len, number) : plain_lines(d, utf8, len, number);
	d->source = NULL;
	d->source_len = 0;
	return rc;
}
