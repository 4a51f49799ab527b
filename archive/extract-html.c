/* HTML into the line model, with libxml2's lenient HTML parser.
 *
 * Block elements end lines, <br> ends a line, headings keep their level,
 * list items their printed label (or the one <ol> numbering gives),
 * tables of data become one line per row with cells joined by " | "
 * (tables used for layout are only containers), <pre> is kept verbatim.
 * Scripts, styles, forms, embedded objects, comments and hidden elements
 * are dropped. `remove` rules cut nodes out first, then `select` rules
 * (if any) say which nodes hold the text. The walk is iterative, so a
 * page nested 100,000 deep costs time, not stack. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "extract-int.h"

enum {
	E_INLINE = 0,
	E_BLOCK,
	E_SKIP,
	E_BR,
	E_HEADING,
	E_LIST,
	E_LI,
	E_PRE,
	E_TABLE,
	E_TR,
	E_CELL,
	E_HR
};

/* clang-format off */
static const struct element {
	const char *name;
	unsigned char kind;
} elements[] = {
	/* sorted by name for bsearch */
	{ "address", E_BLOCK }, { "applet", E_SKIP },    { "article", E_BLOCK },
	{ "aside", E_BLOCK },   { "audio", E_SKIP },     { "blockquote", E_BLOCK },
	{ "body", E_BLOCK },    { "br", E_BR },          { "button", E_SKIP },
	{ "canvas", E_SKIP },   { "caption", E_BLOCK },  { "center", E_BLOCK },
	{ "datalist", E_SKIP }, { "dd", E_BLOCK },       { "details", E_BLOCK },
	{ "dialog", E_BLOCK },  { "dir", E_LIST },       { "div", E_BLOCK },
	{ "dl", E_BLOCK },      { "dt", E_BLOCK },       { "embed", E_SKIP },
	{ "fieldset", E_BLOCK }, { "figcaption", E_BLOCK }, { "figure", E_BLOCK },
	{ "footer", E_BLOCK },  { "form", E_BLOCK },     { "frame", E_SKIP },
	{ "frameset", E_BLOCK }, { "h1", E_HEADING },    { "h2", E_HEADING },
	{ "h3", E_HEADING },    { "h4", E_HEADING },     { "h5", E_HEADING },
	{ "h6", E_HEADING },    { "head", E_SKIP },      { "header", E_BLOCK },
	{ "hgroup", E_BLOCK },  { "hr", E_HR },          { "html", E_BLOCK },
	{ "iframe", E_SKIP },   { "input", E_SKIP },     { "legend", E_BLOCK },
	{ "li", E_LI },         { "listing", E_PRE },    { "main", E_BLOCK },
	{ "map", E_SKIP },      { "math", E_SKIP },      { "menu", E_LIST },
	{ "meter", E_SKIP },    { "nav", E_BLOCK },      { "noframes", E_SKIP },
	{ "noscript", E_SKIP }, { "object", E_SKIP },    { "ol", E_LIST },
	{ "option", E_SKIP },   { "p", E_BLOCK },        { "plaintext", E_PRE },
	{ "pre", E_PRE },       { "progress", E_SKIP },  { "script", E_SKIP },
	{ "section", E_BLOCK }, { "select", E_SKIP },    { "style", E_SKIP },
	{ "summary", E_BLOCK }, { "svg", E_SKIP },       { "table", E_TABLE },
	{ "td", E_CELL },       { "template", E_SKIP },  { "textarea", E_SKIP },
	{ "th", E_CELL },       { "title", E_SKIP },     { "tr", E_TR },
	{ "ul", E_LIST },       { "video", E_SKIP },     { "xmp", E_PRE },
};
/* clang-format on */

#define NAME_CACHE 64

struct list {
	int ordered;
	char type; /* '1' 'a' 'A' 'i' 'I' */
	long next, step;
};

struct hx {
	xdoc *d;
	xpage *p;
	rl_buf line, label;
	int heading, level; /* inside h1..h6 */
	int pre;            /* inside pre */
	int row, cells;     /* inside a row of a data table */
	int item;           /* the next line opens a list item */
	int in_item;
	int last_br;
	struct list *lists;
	size_t nl, capl;
	unsigned char *tables; /* per open table: 1 for data, 0 for layout */
	size_t nt, capt;
	int failed;
	const xmlChar *names[NAME_CACHE];
	unsigned char kinds[NAME_CACHE];
};

static int by_name(const void *k, const void *e)
{
	return strcmp(k, ((const struct element *)e)->name);
}

/* Element names come from the parser's dictionary, so one name is one
 * pointer: a small cache keyed by it saves the lookups by string. */
static int classify(struct hx *h, const xmlNode *n)
{
	const struct element *e;
	size_t slot;

	if (!n->name)
		return E_INLINE;
	slot = ((uintptr_t)n->name >> 4) % NAME_CACHE;
	if (h->names[slot] == n->name)
		return h->kinds[slot];
	e = bsearch(n->name, elements, sizeof(elements) / sizeof(elements[0]), sizeof(elements[0]),
		    by_name);
	h->names[slot] = n->name;
	h->kinds[slot] = e ? e->kind : E_INLINE;
	return h->kinds[slot];
}

/* hidden, style="display:none" or "visibility:hidden" */
static int hidden(const xmlNode *n)
{
	const xmlAttr *a;
	char s[128];
	size_t k = 0;

	if (!n->properties)
		return 0;
	if (xmlHasProp((xmlNode *)n, BAD_CAST "hidden"))
		return 1;
	a = xmlHasProp((xmlNode *)n, BAD_CAST "style");
	if (!a || !a->children || !a->children->content)
		return 0;
	for (const xmlChar *c = a->children->content; *c && k + 1 < sizeof(s); c++)
		if (*c != ' ' && *c != '\t' && *c != '\n')
			s[k++] = (char)(*c >= 'A' && *c <= 'Z' ? *c | 0x20 : *c);
	s[k] = '\0';
	return strstr(s, "display:none") || strstr(s, "visibility:hidden");
}

static long attr_long(const xmlNode *n, const char *name, long dflt)
{
	xmlAttr *a = xmlHasProp((xmlNode *)n, BAD_CAST name);
	char *end;
	long v;

	if (!a || !a->children || !a->children->content)
		return dflt;
	v = strtol((const char *)a->children->content, &end, 10);
	return end == (const char *)a->children->content ? dflt : v;
}

static char attr_char(const xmlNode *n, const char *name)
{
	xmlAttr *a = xmlHasProp((xmlNode *)n, BAD_CAST name);

	return a && a->children && a->children->content ? (char)a->children->content[0] : 0;
}

/* --- lines --------------------------------------------------------------- */

static void add(struct hx *h, int kind, int level, const char *label, size_t llen)
{
	if (rlx_page_line(h->d, h->p, kind, level, h->line.ptr ? h->line.ptr : "", h->line.len,
			  label, llen) < 0)
		h->failed = 1;
	rl_buf_reset(&h->line);
}

static int empty(const rl_buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (b->ptr[i] != ' ' && b->ptr[i] != '\t' && b->ptr[i] != '\n' && b->ptr[i] != '\r')
			return 0;
	return 1;
}

/* Ends the current line; the next one is separated from it by brk. */
static void flush(struct hx *h, int brk)
{
	if (empty(&h->line)) {
		rl_buf_reset(&h->line);
		/* <br><br>: an empty line between blocks */
		rlx_page_break(h->p, brk == XB_LINE && h->last_br ? XB_PARA : brk);
		h->last_br = brk == XB_LINE;
		return;
	}
	if (h->item)
		add(h, XL_ITEM, 0, h->label.ptr, h->label.len);
	else
		add(h, h->in_item ? XL_ITEM_CONT : XL_TEXT, 0, NULL, 0);
	h->item = 0;
	h->last_br = brk == XB_LINE;
	rlx_page_break(h->p, brk);
}

/* Inside a heading or a table row, structure inside becomes a space. */
static int inline_context(struct hx *h)
{
	if (h->heading || h->row) {
		rl_buf_putc(&h->line, ' ');
		return 1;
	}
	return 0;
}

static void pre_text(struct hx *h, const char *s, size_t n)
{
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) : n;

		rl_buf_put(&h->line, s, k);
		if (!nl)
			break;
		add(h, XL_PRE, 0, NULL, 0);
		s += k + 1;
		n -= k + 1;
	}
}

/* "1." "c." "IV." for the n-th item of a list of the given type. */
static void make_label(rl_buf *b, char type, long n)
{
	static const char *const ones[] = {"",  "i",  "ii",  "iii",  "iv",
					   "v", "vi", "vii", "viii", "ix"};
	static const char *const tens[] = {"",  "x",  "xx",  "xxx",  "xl",
					   "l", "lx", "lxx", "lxxx", "xc"};
	static const char *const hundreds[] = {"", "c", "cc", "ccc"};
	char tmp[32];
	size_t k = 0;

	rl_buf_reset(b);
	if ((type == 'a' || type == 'A') && n >= 1) {
		for (long v = n; v > 0 && k < sizeof(tmp); v = (v - 1) / 26)
			tmp[k++] = (char)((type == 'a' ? 'a' : 'A') + (v - 1) % 26);
		while (k)
			rl_buf_putc(b, tmp[--k]);
	} else if ((type == 'i' || type == 'I') && n >= 1 && n < 400) {
		rl_buf_printf(b, "%s%s%s", hundreds[n / 100], tens[n / 10 % 10], ones[n % 10]);
		if (type == 'I')
			for (size_t i = 0; i < b->len; i++)
				b->ptr[i] = (char)(b->ptr[i] - 'a' + 'A');
	} else {
		rl_buf_printf(b, "%ld", n);
	}
	rl_buf_putc(b, '.');
}

/* --- tables -------------------------------------------------------------- */

/* A table holds data when its cells hold only inline content and some
 * row has two cells or more; otherwise it lays out blocks. The scan
 * stops at the first block, so nested layout tables cost no more than
 * one walk. */
static int data_table(struct hx *h, const xmlNode *t)
{
	const xmlNode *n = t->children;
	int cells = 0, widest = 0, k;

	while (n && n != t) {
		int down = 0;

		if (n->type == XML_ELEMENT_NODE && !hidden(n)) {
			k = classify(h, n);
			if (k == E_BLOCK || k == E_LIST || k == E_LI || k == E_HEADING ||
			    k == E_PRE || k == E_TABLE || k == E_HR)
				return 0;
			if (k == E_TR)
				cells = 0;
			if (k == E_CELL && ++cells > widest)
				widest = cells;
			down = k != E_SKIP;
		}
		if (down && n->children) {
			n = n->children;
			continue;
		}
		while (n != t && !n->next)
			n = n->parent;
		if (n == t)
			break;
		n = n->next;
	}
	return widest >= 2;
}

static int push(void **v, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		void *p = realloc(*v, c * size);

		if (!p)
			return -1;
		*v = p;
		*cap = c;
	}
	(*n)++;
	return 0;
}

/* --- the walk ------------------------------------------------------------ */

/* Returns 1 when the walk goes inside n (and leave() follows), 0 if not. */
static int enter(struct hx *h, xmlNode *n)
{
	int k;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		const char *s = (const char *)n->content;

		if (!s)
			return 0;
		h->last_br = 0;
		if (h->pre)
			pre_text(h, s, strlen(s));
		else
			rl_buf_puts(&h->line, s);
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE || hidden(n))
		return 0;
	k = classify(h, n);
	switch (k) {
	case E_SKIP:
		return 0;
	case E_INLINE:
		return 1;
	case E_BR:
		if (h->pre)
			pre_text(h, "\n", 1);
		else if (!inline_context(h))
			flush(h, XB_LINE);
		return 1;
	case E_HEADING:
		if (h->heading)
			h->heading++; /* a heading inside a heading is part of it */
		if (inline_context(h))
			return 1;
		flush(h, XB_BLOCK);
		rlx_page_break(h->p, XB_HARD);
		h->heading = 1;
		h->level = n->name[1] - '0';
		return 1;
	case E_LIST:
		if (inline_context(h))
			return 1;
		flush(h, XB_BLOCK);
		if (push((void **)&h->lists, &h->nl, &h->capl, sizeof(*h->lists)) < 0) {
			h->failed = 1;
			return 0;
		}
		h->lists[h->nl - 1].ordered = n->name[0] == 'o';
		h->lists[h->nl - 1].type = attr_char(n, "type");
		if (!strchr("1aAiI", h->lists[h->nl - 1].type) || !h->lists[h->nl - 1].type)
			h->lists[h->nl - 1].type = '1';
		h->lists[h->nl - 1].step = xmlHasProp(n, BAD_CAST "reversed") ? -1 : 1;
		h->lists[h->nl - 1].next = attr_long(n, "start", 1);
		return 1;
	case E_LI:
		if (inline_context(h))
			return 1;
		flush(h, XB_BLOCK);
		h->item = 1;
		h->in_item++;
		rl_buf_reset(&h->label);
		if (h->nl && h->lists[h->nl - 1].ordered) {
			struct list *l = &h->lists[h->nl - 1];

			l->next = attr_long(n, "value", l->next);
			make_label(&h->label, l->type, l->next);
			l->next += l->step;
		}
		return 1;
	case E_PRE:
		if (inline_context(h))
			return 1;
		flush(h, XB_BLOCK);
		rlx_page_break(h->p, XB_HARD);
		h->pre++;
		return 1;
	case E_TABLE:
		if (inline_context(h))
			return 1;
		flush(h, XB_BLOCK);
		rlx_page_break(h->p, XB_HARD);
		if (push((void **)&h->tables, &h->nt, &h->capt, 1) < 0) {
			h->failed = 1;
			return 0;
		}
		h->tables[h->nt - 1] = (unsigned char)data_table(h, n);
		return 1;
	case E_TR:
		if (h->row) {
			h->row++;
			rl_buf_putc(&h->line, ' ');
		} else if (h->nt && h->tables[h->nt - 1] && !h->heading) {
			flush(h, XB_BLOCK);
			h->row = 1;
			h->cells = 0;
		} else if (!inline_context(h)) {
			flush(h, XB_BLOCK);
		}
		return 1;
	case E_CELL:
		if (h->row) {
			if (h->cells++)
				rl_buf_puts(&h->line, " | ");
		} else if (!inline_context(h)) {
			flush(h, XB_BLOCK);
		}
		return 1;
	case E_HR:
		if (!inline_context(h)) {
			flush(h, XB_BLOCK);
			rlx_page_break(h->p, XB_HARD);
		}
		return 1;
	default: /* E_BLOCK */
		if (!inline_context(h))
			flush(h, XB_BLOCK);
		return 1;
	}
}

static void leave(struct hx *h, xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE)
		return;
	switch (classify(h, n)) {
	case E_HEADING:
		if (h->heading != 1) { /* nested, or inline in a table row */
			h->heading -= h->heading > 1;
			rl_buf_putc(&h->line, ' ');
			return;
		}
		h->heading = 0;
		if (!empty(&h->line))
			add(h, XL_HEADING, h->level, NULL, 0);
		rl_buf_reset(&h->line);
		rlx_page_break(h->p, XB_HARD);
		return;
	case E_LIST:
		if (inline_context(h))
			return;
		flush(h, XB_BLOCK);
		if (h->nl)
			h->nl--;
		rlx_page_break(h->p, XB_HARD);
		return;
	case E_LI:
		if (inline_context(h))
			return;
		flush(h, XB_BLOCK);
		h->item = 0;
		h->in_item -= h->in_item > 0;
		return;
	case E_PRE:
		if (inline_context(h))
			return;
		if (h->pre > 0 && --h->pre == 0) {
			add(h, XL_PRE, 0, NULL, 0);
			rlx_page_break(h->p, XB_HARD);
		}
		return;
	case E_TABLE:
		if (inline_context(h))
			return;
		flush(h, XB_BLOCK);
		if (h->nt)
			h->nt--;
		rlx_page_break(h->p, XB_HARD);
		return;
	case E_TR:
		if (h->row > 1) {
			h->row--;
			rl_buf_putc(&h->line, ' ');
		} else if (h->row == 1) {
			if (!empty(&h->line))
				add(h, XL_ROW, 0, NULL, 0);
			rl_buf_reset(&h->line);
			h->row = 0;
		} else if (!inline_context(h)) {
			flush(h, XB_BLOCK);
		}
		return;
	case E_BLOCK:
	case E_CELL:
		if (!h->row && !inline_context(h))
			flush(h, XB_BLOCK);
		return;
	default:
		return;
	}
}

static void walk(struct hx *h, xmlNode *root)
{
	xmlNode *n = root;

	while (n && !h->failed) {
		int in = enter(h, n);

		if (in && n->children) {
			n = n->children;
			continue;
		}
		if (in)
			leave(h, n);
		while (n != root && !n->next) {
			n = n->parent;
			leave(h, n);
		}
		if (n == root)
			break;
		n = n->next;
	}
	flush(h, XB_BLOCK);
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

int rlx_html(xdoc *d, const char *utf8, size_t len, int number, const char *where,
	     const rl_extract_opts *opts, rl_error *err)
{
	/* XML_PARSE_HUGE lifts libxml2's depth limit of 256, past which it
	 * drops the rest of the page: the tree is walked without recursion,
	 * and its size is bounded by the input's. */
	const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			    HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC |
			    XML_PARSE_HUGE;
	struct hx h;
	xmlDocPtr doc;
	xmlNode **roots = NULL;
	size_t nroots = 0;
	int rc;

	memset(&h, 0, sizeof(h));
	h.d = d;
	if (!(h.p = rlx_page_new(d, number)))
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	if (len > INT32_MAX)
		return rl_error_set(err, RL_EEXTRACT, "%s: %zu bytes of HTML is too large", where,
				    len);
	/* libxml2 2.9 wants its first initialization done once, before
	 * threads parse (two files are extracted at once by compare) */
	pthread_once(&xml_once, xmlInitParser);
	doc = htmlReadMemory(utf8, (int)len, NULL, "UTF-8", options);
	if (!doc)
		return 0; /* nothing a parser could make a tree of: no text */
	rc = rlx_html_rules(doc, opts, where, &roots, &nroots, err);
	if (rc == 0 && roots)
		for (size_t i = 0; i < nroots && !h.failed; i++)
			walk(&h, roots[i]);
	else if (rc == 0) /* text after </html> becomes a second root: walk them all */
		for (xmlNode *n = doc->children; n && !h.failed; n = n->next)
			walk(&h, n);
	if (rc == 0 && h.failed)
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	free(roots);
	xmlFreeDoc(doc);
	rl_buf_free(&h.line);
	rl_buf_free(&h.label);
	free(h.lists);
	free(h.tables);
	return rc;
}
