/* Test fixtures for extraction: see extract-fixtures.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "redline/error.h"
#include "redline/util.h"

#include "extract-fixtures.h"

static void die(const char *what)
{
	fprintf(stderr, "extract fixtures: %s\n", what);
	abort();
}

void fx_lines(rl_strv *out, const char *name)
{
	rl_buf b = RL_BUF_INIT;
	rl_error err;
	char path[256];
	size_t i = 0;

	snprintf(path, sizeof(path), FX_DIR "%s", name);
	if (rl_file_read(path, &b, &err) < 0)
		die(err.message);
	while (i < b.len) {
		char *nl = memchr(b.ptr + i, '\n', b.len - i);
		size_t end = nl ? (size_t)(nl - b.ptr) : b.len;

		b.ptr[end] = '\0';
		rl_strv_push(out, b.ptr + i);
		i = end + 1;
	}
	rl_buf_free(&b);
}

void fx_page85(rl_strv *out)
{
	fx_lines(out, "seed-page-085.txt");
}

void fx_page86(rl_strv *out)
{
	rl_strv_push(out, "Page 86 - 2020 Defence White Paper");
	rl_strv_push(out, "P. 86");
	fx_lines(out, "page-086-body.txt");
}

static void escaped(rl_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			rl_buf_puts(b, "&lt;");
		else if (*s == '&')
			rl_buf_puts(b, "&amp;");
		else if (strncmp(s, "\xE2\x80\x93", 3) == 0) { /* – as an entity */
			rl_buf_puts(b, "&#8211;");
			s += 2;
		} else
			rl_buf_putc(b, *s);
	}
}

void fx_html(rl_buf *out, const rl_strv *lines, enum fx_markup m, const char *charset)
{
	rl_buf_reset(out);
	rl_buf_printf(out, "<!DOCTYPE html>\n<html><head>");
	if (charset)
		rl_buf_printf(out, "<meta charset=\"%s\">", charset);
	rl_buf_printf(out,
		      "<title>%s</title>\n<style>.t{font:9pt serif}</style>"
		      "<script>var page = 1 < 2;</script></head>\n<body>\n",
		      lines->n ? lines->v[0] : "");
	if (m == FX_BR)
		rl_buf_puts(out, "<div class=\"page\">\n");
	for (size_t i = 0; i < lines->n; i++) {
		switch (m) {
		case FX_DIV:
			rl_buf_printf(out,
				      "<div style=\"position:absolute;left:48px;top:%zupx\">"
				      "<span class=\"t\">",
				      40 + 14 * i);
			escaped(out, lines->v[i]);
			rl_buf_puts(out, "</span></div>\n");
			break;
		case FX_P:
			rl_buf_puts(out, "<p class=\"line\">");
			escaped(out, lines->v[i]);
			rl_buf_puts(out, "</p>\n");
			break;
		case FX_BR:
			escaped(out, lines->v[i]);
			rl_buf_puts(out, "<br>\n");
			break;
		default: { /* spans, with words split across inline elements */
			const char *s = lines->v[i], *sp = strchr(s, ' ');

			rl_buf_puts(out, "<span class=\"l\"><b>");
			if (sp) {
				rl_buf_put(out, s, (size_t)(sp - s));
				rl_buf_puts(out, "</b>&nbsp;<!-- x --><i>");
				escaped(out, sp + 1);
				rl_buf_puts(out, "</i>");
			} else {
				escaped(out, s);
				rl_buf_puts(out, "</b>");
			}
			rl_buf_puts(out, "</span><br/>\n");
		}
		}
	}
	if (m == FX_BR)
		rl_buf_puts(out, "</div>\n");
	rl_buf_puts(out, "</body></html>\n");
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return rl_buf_put(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

void fx_pdf(rl_buf *out, const rl_strv *pages, size_t n, int footer)
{
	cairo_surface_t *s;
	cairo_t *cr;

	rl_buf_reset(out);
	s = cairo_pdf_surface_create_for_stream(to_buf, out, 595, 842);
	cr = cairo_create(s);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 8);
	for (size_t p = 0; p < n; p++) {
		const rl_strv *l = &pages[p];

		for (size_t i = 0; i < l->n; i++) {
			double y = footer && i + 1 == l->n ? 810 : 40 + 13 * (double)i;

			cairo_move_to(cr, 40, y);
			cairo_show_text(cr, l->v[i]);
		}
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		die("cairo could not write the PDF");
	cairo_surface_destroy(s);
}

void fx_pdf_two_pages(rl_buf *pdf)
{
	rl_strv pages[2] = {RL_STRV_INIT, RL_STRV_INIT};

	fx_page85(&pages[0]);
	fx_page86(&pages[1]);
	fx_pdf(pdf, pages, 2, 1);
	rl_strv_free(&pages[0]);
	rl_strv_free(&pages[1]);
}

void fx_pdf_encrypted(rl_buf *pdf)
{
	static const char *const objs[] = {
	    "<< /Type /Catalog /Pages 2 0 R >>",
	    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
	    "<< /Filter /Standard /V 1 /R 2 /O <0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef> /U <fedcba9876543210fedcba9876543210fedcba9876543210fedcba98765"
	    "43210> /P -4 >>",
	};
	size_t off[4], xref;

	rl_buf_reset(pdf);
	rl_buf_puts(pdf, "%PDF-1.4\n");
	for (size_t i = 0; i < 4; i++) {
		off[i] = pdf->len;
		rl_buf_printf(pdf, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	xref = pdf->len;
	rl_buf_printf(pdf, "xref\n0 5\n0000000000 65535 f \n");
	for (size_t i = 0; i < 4; i++)
		rl_buf_printf(pdf, "%010zu 00000 n \n", off[i]);
	rl_buf_printf(pdf,
		      "trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID "
		      "[<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>] >>\n"
		      "startxref\n%zu\n%%%%EOF\n",
		      xref);
}

static size_t cps(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int para_end(const char *s)
{
	size_t n = strlen(s);

	return n && (strchr(".:;", s[n - 1]) || (n > 5 && strcmp(s + n - 5, "; and") == 0));
}

static void wrap(rl_strv *out, rl_buf *para, size_t width)
{
	rl_buf line = RL_BUF_INIT;
	char *save = NULL;

	for (char *w = strtok_r(para->ptr, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (line.len && cps(line.ptr) + 1 + cps(w) > width) {
			rl_strv_push(out, line.ptr);
			rl_buf_reset(&line);
		}
		if (line.len)
			rl_buf_putc(&line, ' ');
		rl_buf_puts(&line, w);
	}
	if (line.len)
		rl_strv_push(out, line.ptr);
	rl_buf_free(&line);
	rl_buf_reset(para);
}

void fx_rewrap(rl_strv *out, const rl_strv *lines, size_t head, size_t tail, size_t width)
{
	rl_buf para = RL_BUF_INIT;
	size_t i;

	for (i = 0; i < head && i < lines->n; i++)
		rl_strv_push(out, lines->v[i]);
	for (; i + tail < lines->n; i++) {
		const char *s = lines->v[i];

		/* an item starts its own paragraph */
		if (para.len && s[0] >= 'a' && s[0] <= 'd' && s[1] == '.' && s[2] == ' ')
			wrap(out, &para, width);
		if (para.len)
			rl_buf_putc(&para, ' ');
		rl_buf_puts(&para, s);
		if (para_end(s))
			wrap(out, &para, width);
	}
	if (para.len)
		wrap(out, &para, width);
	for (; i < lines->n; i++)
		rl_strv_push(out, lines->v[i]);
	rl_buf_free(&para);
}

void fx_cleanup(void)
{
	cairo_debug_reset_static_data();
}
