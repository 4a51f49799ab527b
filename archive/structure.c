/* The structure model of canonical text: `#` headings and enumerated
 * lists (each item on its own line, with its label), nested by label
 * style, each list with the sentence that leads into it. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "redline/label.h"
#include "redline/structure.h"
#include "redline/util.h"
#include "structure-internal.h"

#define DEPTH_MAX 8

static int push_heading(rl_structure *s, int level, const char *text, size_t len, size_t line)
{
	rl_heading *v = realloc(s->headings, (s->n_headings + 1) * sizeof(*v));

	if (!v)
		return -1;
	s->headings = v;
	v[s->n_headings].level = level;
	v[s->n_headings].text = rl_strndup(text, len);
	v[s->n_headings].line = line;
	return v[s->n_headings++].text ? 0 : -1;
}

static int push_list(rl_structure *s, int depth, const char *lead, size_t lead_len)
{
	rl_list *v = realloc(s->lists, (s->n_lists + 1) * sizeof(*v));

	if (!v)
		return -1;
	s->lists = v;
	memset(&v[s->n_lists], 0, sizeof(v[s->n_lists]));
	v[s->n_lists].depth = depth;
	v[s->n_lists].first_item = s->n_items;
	if (lead)
		v[s->n_lists].lead_in = rl_strndup(lead, lead_len);
	s->n_lists++;
	return 0;
}

static int push_item(rl_structure *s, int list, int depth, const char *line, size_t len,
		     const rl_label *lab, size_t lineno)
{
	rl_item *v = realloc(s->items, (s->n_items + 1) * sizeof(*v));

	if (!v)
		return -1;
	s->items = v;
	memset(&v[s->n_items], 0, sizeof(v[s->n_items]));
	v[s->n_items].label = rl_strndup(line, lab->len);
	v[s->n_items].text = rl_strndup(line + lab->skip, len - lab->skip);
	v[s->n_items].list = list;
	v[s->n_items].depth = depth;
	v[s->n_items].line = lineno;
	s->lists[list].n_items++;
	s->n_items++;
	return v[s->n_items - 1].label && v[s->n_items - 1].text ? 0 : -1;
}

/* An item's further sentences (lines up to a blank line, item or heading). */
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
	return 0;
}

/* An open list at some depth: its style and the last ordinal seen. */
typedef struct open_list {
	int list;
	rl_label_style style;
	rl_label_form form;
	int last;
} open_list;

/* Where an item with this label belongs: an open list it continues, or a
 * new list nested under the innermost one. Returns the depth. */
static int place_item(open_list *open, int *n_open, const rl_label *lab)
{
	for (int d = *n_open - 1; d >= 0; d--) {
		if (open[d].style == lab->style && open[d].form == lab->form &&
		    (lab->style == RL_LABEL_BULLET || lab->ordinal > open[d].last)) {
			*n_open = d + 1;
			return d;
		}
	}
	return -1;
}

int rl_structure_parse(rl_structure **out, const char *text, size_t len, rl_error *err)
{
	rl_structure *s = calloc(1, sizeof(*s));
	open_list open[DEPTH_MAX];
	int n_open = 0, in_item = 0;
	const char *prev = NULL; /* the last plain line, a lead-in candidate */
	size_t prev_len = 0, lineno = 0;
	const char *p = text, *end = text + len;

	*out = NULL;
	if (!s)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		rl_label lab;
		int rc = 0;

		lineno++;
		if (l == 0) {
			in_item = 0; /* a blank line ends an item's text, not its list */
		} else if (p[0] == '#') {
			size_t lev = 0;

			while (lev < l && p[lev] == '#')
				lev++;
			while (lev < l && p[lev] == ' ')
				lev++;
			rc = push_heading(s, (int)strspn(p, "#"), p + lev, l - lev, lineno);
			n_open = 0;
			in_item = 0;
			prev = NULL;
		} else if (rl_label_match(p, l, &lab)) {
			int depth = place_item(open, &n_open, &lab);

			if (depth < 0) {
				depth = n_open < DEPTH_MAX ? n_open : DEPTH_MAX - 1;
				rc = push_list(s, depth, prev, prev_len);
				open[depth] =
				    (open_list){(int)s->n_lists - 1, lab.style, lab.form, 0};
				n_open = depth + 1;
			}
			open[depth].last = lab.ordinal;
			if (rc == 0)
				rc = push_item(s, open[depth].list, depth, p, l, &lab, lineno);
			in_item = 1;
			prev = NULL;
		} else if (in_item) {
			rc = append_text(&s->items[s->n_items - 1], p, l);
		} else {
			/* Prose closes every open list. */
			n_open = 0;
			prev = p;
			prev_len = l;
		}
		if (rc < 0) {
			rl_structure_free(s);
			return rl_error_set(err, RL_ENOMEM, "out of memory");
		}
		p = nl ? nl + 1 : end;
	}
	if (structure_fresh_ids(s) < 0) {
		rl_structure_free(s);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	*out = s;
	return 0;
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
	memset(it, 0, sizeof(*it));
}

/* --- structure.json ---------------------------------------------------------- */

int rl_structure_to_json(const rl_structure *s, rl_buf *out, rl_error *err)
{
	json_t *root = json_object(), *h = json_array(), *l = json_array(), *it = json_array();
	char *text;

	for (size_t i = 0; s && i < s->n_headings; i++)
		json_array_append_new(h, json_pack("{s:i, s:s, s:I}", "level", s->headings[i].level,
						   "text", s->headings[i].text, "line",
						   (json_int_t)s->headings[i].line));
	for (size_t i = 0; s && i < s->n_lists; i++) {
		json_t *o = json_pack("{s:i, s:I, s:I}", "depth", s->lists[i].depth, "first_item",
				      (json_int_t)s->lists[i].first_item, "items",
				      (json_int_t)s->lists[i].n_items);

		json_object_set_new(o, "lead_in",
				    s->lists[i].lead_in ? json_string(s->lists[i].lead_in)
							: json_null());
		json_array_append_new(l, o);
	}
	for (size_t i = 0; s && i < s->n_items; i++)
		json_array_append_new(it, structure_item_json(&s->items[i], 1));
	json_object_set_new(root, "headings", h);
	json_object_set_new(root, "lists", l);
	json_object_set_new(root, "items", it);
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text || rl_buf_puts(out, text) < 0 || rl_buf_putc(out, '\n') < 0) {
		free(text);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	free(text);
	return 0;
}

json_t *structure_item_json(const rl_item *it, int full)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "id", it->id ? it->id : "", "label",
			      it->label ? it->label : "", "text", it->text ? it->text : "", "list",
			      it->list);

	if (full) {
		json_object_set_new(o, "depth", json_integer(it->depth));
		json_object_set_new(o, "line", json_integer((json_int_t)it->line));
	}
	return o;
}

static char *jdup(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return strdup(v ? v : "");
}

int rl_structure_from_json(rl_structure **out, const char *json, size_t len, rl_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(json, len, 0, &jerr), *a;
	rl_structure *s;

	*out = NULL;
	if (!json_is_object(root)) {
		json_decref(root);
		return rl_error_set(err, RL_EINVALID, "structure.json: %s (line %d)", jerr.text,
				    jerr.line);
	}
	s = calloc(1, sizeof(*s));
	a = json_object_get(root, "headings");
	s->headings = calloc(json_array_size(a) + 1, sizeof(*s->headings));
	for (size_t i = 0; i < json_array_size(a); i++, s->n_headings++) {
		json_t *o = json_array_get(a, i);

		s->headings[i].level = (int)json_integer_value(json_object_get(o, "level"));
		s->headings[i].text = jdup(o, "text");
		s->headings[i].line = (size_t)json_integer_value(json_object_get(o, "line"));
	}
	a = json_object_get(root, "lists");
	s->lists = calloc(json_array_size(a) + 1, sizeof(*s->lists));
	for (size_t i = 0; i < json_array_size(a); i++, s->n_lists++) {
		json_t *o = json_array_get(a, i);
		const char *lead = json_string_value(json_object_get(o, "lead_in"));

		s->lists[i].depth = (int)json_integer_value(json_object_get(o, "depth"));
		s->lists[i].first_item =
		    (size_t)json_integer_value(json_object_get(o, "first_item"));
		s->lists[i].n_items = (size_t)json_integer_value(json_object_get(o, "items"));
		s->lists[i].lead_in = lead ? strdup(lead) : NULL;
	}
	a = json_object_get(root, "items");
	s->items = calloc(json_array_size(a) + 1, sizeof(*s->items));
	for (size_t i = 0; i < json_array_size(a); i++, s->n_items++) {
		json_t *o = json_array_get(a, i);

		s->items[i].id = jdup(o, "id");
		s->items[i].label = jdup(o, "label");
		s->items[i].text = jdup(o, "text");
		s->items[i].list = (int)json_integer_value(json_object_get(o, "list"));
		s->items[i].depth = (int)json_integer_value(json_object_get(o, "depth"));
		s->items[i].line = (size_t)json_integer_value(json_object_get(o, "line"));
	}
	json_decref(root);
	*out = s;
	return 0;
}
