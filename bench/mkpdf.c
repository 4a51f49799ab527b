/* mkpdf: typesets a plain text file as a many-page PDF with cairo, the
 * way a white paper is printed: lines wrapped at a fixed width, a running
 * title at the top and the page number at the foot of every page.
 *
 *   mkpdf TEXT-FILE OUT.pdf "Running title"
 *
 * Used by bench/extract.sh to make the PDF both redline and pdftotext read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#define WIDTH 95 /* characters per line */
#define LINES 62 /* body lines per page */

static cairo_t *cr;
static int line, page;
static const char *title;

static void new_page(void)
{
	char num[32];

	if (page)
		cairo_show_page(cr);
	page++;
	line = 0;
	cairo_move_to(cr, 50, 36);
	cairo_show_text(cr, title);
	snprintf(num, sizeof(num), "%d", page);
	cairo_move_to(cr, 290, 815);
	cairo_show_text(cr, num);
}

static void put(const char *s, size_t n)
{
	char buf[4 * WIDTH + 8];

	if (line == LINES)
		new_page();
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	cairo_move_to(cr, 50, 60 + 12 * line++);
	cairo_show_text(cr, buf);
}

/* Greedy wrapping at WIDTH code points. */
static void wrap(const char *s)
{
	size_t start = 0, last_space = 0, cps = 0;

	for (size_t i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (s[i] == ' ')
			last_space = i;
		if (++cps > WIDTH && last_space > start) {
			put(s + start, last_space - start);
			start = last_space + 1;
			cps = 0;
			for (size_t k = start; k <= i; k++)
				cps += ((unsigned char)s[k] & 0xC0) != 0x80;
		}
	}
	if (s[start])
		put(s + start, strlen(s + start));
}

int main(int argc, char **argv)
{
	cairo_surface_t *surface;
	FILE *in;
	char *l = NULL;
	size_t cap = 0;
	ssize_t n;

	if (argc != 4) {
		fprintf(stderr, "usage: mkpdf TEXT-FILE OUT.pdf TITLE\n");
		return 2;
	}
	if (!(in = fopen(argv[1], "r"))) {
		perror(argv[1]);
		return 1;
	}
	title = argv[3];
	surface = cairo_pdf_surface_create(argv[2], 595, 842);
	cr = cairo_create(surface);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 8);
	new_page();
	while ((n = getline(&l, &cap, in)) >= 0) {
		while (n && (l[n - 1] == '\n' || l[n - 1] == '\r'))
			l[--n] = '\0';
		if (n)
			wrap(l);
	}
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "mkpdf: %s\n",
			cairo_status_to_string(cairo_surface_status(surface)));
		return 1;
	}
	cairo_surface_destroy(surface);
	fclose(in);
	free(l);
	printf("%d\n", page);
	return 0;
}
