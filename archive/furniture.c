/* Page furniture: running titles, page markers and section footers.
 *
 * A line is furniture when it sits among the first or last EDGE_LINES
 * lines of a page and either
 *   - the same line, with its numbers ignored, sits at the edge of at
 *     least one other page ("Page 85 - 2020 Defence White Paper" and
 *     "Page 86 - ..."; "Appendix" at the foot of pages 85 and 86), or
 *   - its shape alone says so, which also works on a single page: "Page
 *     85 - <title>", "Page 3 of 10", "P. 85", a lone page number ("85",
 *     "- 85 -", "85 / 412"), and at the foot of a page a lone section
 *     name ("Appendix", "Chapter 2").
 * A heading that opens a page is kept: it is neither repeated nor shaped
 * like a page marker. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract-int.h"

#define EDGE_LINES 5
#define KEY_MAX    160 /* a longer line is not a running title */

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* Digits at s[i]: how many, 0 when none or more than max. */
static size_t count_digits(const char *s, size_t n, size_t i, size_t max)
{
	size_t k = i;

	while (k < n && isdigit((unsigned char)s[k]))
		k++;
	return k - i <= max ? k - i : 0;
}

static size_t dash(const char *s, size_t n, size_t i)
{
	if (i < n && s[i] == '-')
		return 1;
	if (i + 3 <= n && (memcmp(s + i, "\xE2\x80\x93", 3) == 0 || /* – */
			   memcmp(s + i, "\xE2\x80\x94", 3) == 0))  /* — */
		return 3;
	return 0;
}

static int word_at(const char *s, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);

	return i + k <= n && strncasecmp(s + i, w, k) == 0 &&
	       (i + k == n || !isalpha((unsigned char)s[i + k]));
}

/* "Page 85", "Page 85 - 2020 Defence White Paper", "Page 3 of 10". */
static int page_title(const char *s, size_t n)
{
	size_t i, d;

	if (!word_at(s, n, 0, "page"))
		return 0;
	i = skip_spaces(s, n, 4);
	if (i == 4 || !(d = count_digits(s, n, i, 4)))
		return 0;
	i = skip_spaces(s, n, i + d);
	if (i == n)
		return 1;
	if (dash(s, n, i) || s[i] == ':' || s[i] == '|' || word_at(s, n, i, "of") ||
	    (i + 2 <= n && memcmp(s + i, "\xC2\xB7", 2) == 0))
		return 1;
	return 0;
}

/* "P. 85", "p.85", "pp. 3". */
static int page_marker(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && (s[i] == 'p' || s[i] == 'P'))
		i++;
	else
		return 0;
	if (i < n && (s[i] == 'p' || s[i] == 'P'))
		i++;
	if (i >= n || s[i] != '.')
		return 0;
	i = skip_spaces(s, n, i + 1);
	return (d = count_digits(s, n, i, 4)) && i + d == n;
}

/* "85", "- 85 -", "85 / 412", "3 of 10". */
static int page_number(const char *s, size_t n)
{
	size_t i = 0, d;

	i += dash(s, n, i);
	i = skip_spaces(s, n, i);
	if (!(d = count_digits(s, n, i, 4)))
		return 0;
	i = skip_spaces(s, n, i + d);
	if (i == n)
		return 1;
	if (dash(s, n, i))
		return skip_spaces(s, n, i + dash(s, n, i)) == n;
	if (s[i] == '/')
		i = skip_spaces(s, n, i + 1);
	else if (word_at(s, n, i, "of"))
		i = skip_spaces(s, n, i + 2);
	else
		return 0;
	return (d = count_digits(s, n, i, 4)) && i + d == n;
}

/* "Appendix", "Chapter 2", "Part IV" alone on a line. */
static int section_footer(const char *s, size_t n)
{
	static const char *const words[] = {"appendix", "annex", "chapter", "part", "section"};
	size_t i = 0, k;

	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (word_at(s, n, 0, words[k]))
			break;
	if (k == sizeof(words) / sizeof(words[0]))
		return 0;
	i = skip_spaces(s, n, strlen(words[k]));
	if (i == n)
		return 1;
	if (count_digits(s, n, i, 3) && i + count_digits(s, n, i, 3) == n)
		return 1;
	while (i < n && strchr("ivxlcIVXLC", s[i]))
		i++;
	return i == n;
}

int rlx_furniture_shape(const char *s, size_t len, int bottom)
{
	return page_title(s, len) || page_marker(s, len) || page_number(s, len) ||
	       (bottom && section_footer(s, len));
}

struct edge {
	size_t key, klen; /* in the key arena */
	size_t page, line;
};

/* The line with case and numbers ignored: "page # - # defence white paper". */
static int make_key(rl_buf *keys, const char *s, size_t n, size_t *off, size_t *klen)
{
	int letters = 0;

	if (n > KEY_MAX)
		return 0;
	*off = keys->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isdigit(c)) {
			while (i + 1 < n && isdigit((unsigned char)s[i + 1]))
				i++;
			rl_buf_putc(keys, '#');
			continue;
		}
		letters += c >= 0x80 || isalpha(c);
		rl_buf_putc(keys, (char)tolower(c));
	}
	*klen = keys->len - *off;
	return letters > 0;
}

static int by_key(const void *a, const void *b, void *arena)
{
	const struct edge *x = a, *y = b;
	const char *key_arena = arena;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(key_arena + x->key, key_arena + y->key, n);

	if (c)
		return c;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return x->page < y->page ? -1 : x->page > y->page;
}

static int in_edge(size_t i, size_t n)
{
	return i < EDGE_LINES || i + EDGE_LINES >= n;
}

int rlx_furniture_mark(xdoc *d)
{
	struct edge *e = NULL;
	size_t ne = 0, cap = 0, i, j;
	rl_buf keys = RL_BUF_INIT;

	for (size_t p = 0; p < d->n; p++) {
		xpage *pg = &d->pages[p];

		for (size_t l = 0; l < pg->n; l++) {
			xline *ln = &pg->lines[l];
			const char *s = rlx_text(pg, ln);
			struct edge x;

			if (!in_edge(l, pg->n) || ln->kind == XL_PRE)
				continue;
			if (rlx_furniture_shape(s, ln->len, l + EDGE_LINES >= pg->n))
				ln->flags |= XF_FURNITURE;
			if (!make_key(&keys, s, ln->len, &x.key, &x.klen))
				continue;
			x.page = p;
			x.line = l;
			if (ne == cap) {
				struct edge *v =
				    realloc(e, (cap = cap ? cap * 2 : 64) * sizeof(*v));

				if (!v)
					goto fail;
				e = v;
			}
			e[ne++] = x;
		}
	}
	if (keys.failed)
		goto fail;
	if (ne)
		qsort_r(e, ne, sizeof(*e), by_key, keys.ptr);
	/* Runs of one key: furniture when they span two pages or more. */
	for (i = 0; i < ne; i = j) {
		size_t pages = 1;

		for (j = i + 1; j < ne && e[j].klen == e[i].klen &&
				memcmp(keys.ptr + e[j].key, keys.ptr + e[i].key, e[i].klen) == 0;
		     j++)
			pages += e[j].page != e[j - 1].page;
		if (pages < 2)
			continue;
		for (size_t k = i; k < j; k++)
			d->pages[e[k].page].lines[e[k].line].flags |= XF_FURNITURE;
	}
	free(e);
	rl_buf_free(&keys);
	return 0;
fail:
	free(e);
	rl_buf_free(&keys);
	return -1;
}
