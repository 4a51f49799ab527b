/* The structure model of canonical text: `#` headings and enumerated
 * lists (each item on its own line, with its label), nested by label
 * style, each list with the sentence that leads into it.
 *
 * Canonical text puts one sentence on a line, so an item's further
 * sentences are the plain lines right after it. A blank line does not
 * end a list (page joins and paragraph breaks fall between items), and
 * neither does prose when the next item continues the sequence: "b." on
 * one page, a leftover line of page furniture, "c." on the next is one
 * list, and so is "(1)", its explanation in two paragraphs, then "(2)". */
#include <stdlib.h>
#include <string.h>

#include "redline/label.h"
#include "redline/structure.h"
#include "redline/util.h"
#include "structure-internal.h"

#define DEPTH_MAX 8

/* The lists being filled and their room (parser). */
typedef struct rooms {
	size_t headings, lists, items;
} rooms;

static int push_heading(rl_structure *s, rooms *r, int level, const char *text, size_t len,
			size_t line)
{
	rl_heading *v = rl_room_for_one(s->headings, &r->headings, s->n_headings, sizeof(*v), 16);

	if (!v)
		return -1;
	s->headings = v;
	v[s->n_headings].level = level;
	v[s->n_headings].text = rl_strndup(text, len);
	v[s->n_headings].line = line;
	return v[s->n_headings++].text ? 0 : -1;
}

static int push_list(rl_structure *s, rooms *r, int depth, const char *lead, size_t lead_len)
{
	rl_list *v = rl_room_for_one(s->lists, &r->lists, s->n_lists, sizeof(*v), 16);

	if (!v)
		return -1;
	s->lists = v;
	memset(&v[s->n_lists], 0, sizeof(v[s->n_lists]));
	v[s->n_lists].depth = depth;
	v[s->n_lists].first_item = s->n_items;
	if (lead && !(v[s->n_lists].lead_in = rl_strndup(lead, lead_len)))
		return -1;
	s->n_lists++;
	return 0;
}

static int push_item(rl_structure *s, rooms *r, int list, int depth, const char *line, size_t len,
		     const rl_label *lab, size_t lineno)
{
	rl_item *v = rl_room_for_one(s->items, &r->items, s->n_items, sizeof(*v), 16), *it;

	if (!v)
		return -1;
	s->items = v;
	it = &v[s->n_items++];
	memset(it, 0, sizeof(*it));
	it->label = rl_strndup(line, lab->len);
	it->text = rl_strndup(line + lab->skip, len - lab->skip);
	it->list = list;
	it->depth = depth;
	it->line = lineno;
	it->lines = 1;
	s->lists[list].n_items++;
	return it->label && it->text ? 0 : -1;
}

/* An item's further sentence joins its text with a space. */
static int append_text(rl_item *it, const char *line, size_t len)
{
	size_t old = strlen(it->text);
	char *t = realloc(it->text, old + len + 2);

	if (!t)
		return -1;
	it->text = t;
	t[old] = ' ';
	memcpy(t + old + 1, line, len);
	t[old + 1 + len] = '\0';
	it->lines++;
	return 0;
}

/* A list still open at some depth: its style and its last label. */
typedef struct open_list {
	int list;
	rl_label last;
} open_list;

typedef struct parser {
	rl_structure *s;
	rooms room;
	open_list open[DEPTH_MAX];
	int n_open;
	int in_item;   /* plain lines continue the last item */
	int suspended; /* prose since the last item: only a continuation resumes */
	const char *lead;
	size_t lead_len;
} parser;

/* Does lab continue the list whose last label is last? After prose, only
 * the very next label does (c. after b.), so a new list starting at "a."
 * or a stray "3." is not taken for a continuation. */
static int continues(const rl_label *last, const rl_label *lab, int suspended)
{
	if (last->style != lab->style || last->form != lab->form)
		return 0;
	if (lab->style == RL_LABEL_BULLET)
		return 1;
	return suspended ? lab->ordinal == last->ordinal + 1 : lab->ordinal > last->ordinal;
}

/* Matches a label at the start of the line, judged against the open
 * lists (innermost first) so "i." after "h." is a letter and "v." after
 * "iv." a numeral. Returns the depth of the list it continues, -1 for a
 * new list, or -2 when the line is no item. */
static int match_item(parser *p, const char *line, size_t len, rl_label *lab)
{
	for (int d = p->n_open - 1; d >= 0; d--) {
		rl_label l;

		if (rl_label_match_next(line, len, &p->open[d].last, &l) &&
		    continues(&p->open[d].last, &l, p->suspended)) {
			*lab = l;
			return d;
		}
	}
	/* A new list: "i." starts Roman numerals, not letters from the ninth. */
	return rl_label_match(line, len, lab) ? -1 : -2;
}

/* A sentence that announces a list. */
static int ends_colon(const char *line, size_t len)
{
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	return len && (line[len - 1] == ':' ||
		       (len >= 3 && memcmp(line + len - 3, "\xef\xbc\x9a", 3) == 0));
}

static int item_line(parser *p, const char *line, size_t len, size_t lineno, int depth,
		     const rl_label *lab)
{
	rl_structure *s = p->s;

	if (depth < 0) {
		/* After prose a new list starts afresh. Right after an item,
		 * a label of an open list's style that does not continue it
		 * ("a." again) starts a sibling list there; another style
		 * nests under the item. */
		depth = p->suspended ? 0 : p->n_open;
		for (int d = 0; !p->suspended && d < p->n_open; d++)
			if (p->open[d].last.style == lab->style &&
			    p->open[d].last.form == lab->form)
				depth = d;
		if (depth >= DEPTH_MAX)
			depth = DEPTH_MAX - 1;
		if (push_list(s, &p->room, depth, p->lead, p->lead_len) < 0)
			return -1;
		p->open[depth].list = (int)s->n_lists - 1;
	}
	p->open[depth].last = *lab;
	p->n_open = depth + 1;
	p->in_item = 1;
	p->suspended = 0;
	p->lead = ends_colon(line, len) ? line + lab->skip : NULL;
	p->lead_len = len - lab->skip;
	return push_item(s, &p->room, p->open[depth].list, depth, line, len, lab, lineno);
}

/* "# Title", "## Section": hashes then a space. */
static int heading_level(const char *line, size_t len)
{
	size_t n = 0;

	while (n < len && line[n] == '#')
		n++;
	return n > 0 && n <= 6 && n < len && line[n] == ' ' ? (int)n : 0;
}

static int parse_line(parser *p, const char *line, size_t len, size_t lineno)
{
	rl_label lab;
	int level, depth;

	if (len == 0) {
		p->in_item = 0; /* a blank line ends an item's text, not its list */
		return 0;
	}
	if ((level = heading_level(line, len)) > 0) {
		p->n_open = 0;
		p->in_item = 0;
		p->suspended = 0;
		p->lead = NULL;
		return push_heading(p->s, &p->room, level, line + level + 1, len - level - 1,
				    lineno);
	}
	if ((depth = match_item(p, line, len, &lab)) >= -1)
		return item_line(p, line, len, lineno, depth, &lab);
	if (p->in_item) {
		/* "(5) Management: ... As for it, the following were made:"
		 * leads into the list nested under the item. */
		p->lead = ends_colon(line, len) ? line : NULL;
		p->lead_len = len;
		return append_text(&p->s->items[p->s->n_items - 1], line, len);
	}
	/* Prose: the lists wait for a continuation; the line may lead in. */
	p->suspended = p->n_open > 0;
	p->lead = line;
	p->lead_len = len;
	return 0;
}

int rl_structure_parse_lines(rl_structure **out, const char *text, size_t len, rl_error *err)
{
	parser p;
	const char *at = text, *end = text + len;
	size_t lineno = 0;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.s = calloc(1, sizeof(*p.s));
	if (!p.s)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	while (at < end) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		size_t l = nl ? (size_t)(nl - at) : (size_t)(end - at);

		if (parse_line(&p, at, l, ++lineno) < 0)
			goto oom;
		at = nl ? nl + 1 : end;
	}
	p.s->ids_pending = 1;
	*out = p.s;
	return 0;
oom:
	rl_structure_free(p.s);
	return rl_error_set(err, RL_ENOMEM, "out of memory parsing the structure");
}

int structure_ids_pending(rl_error *err)
{
	return rl_error_set(err, RL_EINVALID, "structure: its items have no ids yet");
}

int rl_structure_fresh_ids(rl_structure *s, rl_error *err)
{
	if (!s)
		return 0;
	if (structure_fresh_ids(s) < 0)
		return rl_error_set(err, RL_ENOMEM, "out of memory giving the items their ids");
	s->ids_pending = 0;
	return 0;
}

int rl_structure_parse(rl_structure **out, const char *text, size_t len, rl_error *err)
{
	int rc = rl_structure_parse_lines(out, text, len, err);

	if (rc == 0 && (rc = rl_structure_fresh_ids(*out, err)) < 0) {
		rl_structure_free(*out);
		*out = NULL;
	}
	return rc;
}

void rl_structure_free(rl_structure *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_headings; i++)
		free(s->headings[i].text);
	for (size_t i = 0; i < s->n_lists; i++)
		free(s->lists[i].lead_in);
	for (size_t i = 0; i < s->n_items; i++)
		structure_item_clear(&s->items[i]);
	free(s->headings);
	free(s->lists);
	free(s->items);
	free(s);
}

void structure_item_clear(rl_item *it)
{
	free(it->id);
	free(it->label);
	free(it->text);
	free(it->norm);
	memset(it, 0, sizeof(*it));
}

const rl_item *rl_structure_find(const rl_structure *s, const char *id)
{
	for (size_t i = 0; s && id && i < s->n_items; i++)
		if (rl_streq(s->items[i].id, id))
			return &s->items[i];
	return NULL;
}
