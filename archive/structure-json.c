/* structure.json: a version's headings, lists and items with their ids.
 * Read back from the archive to carry ids forward, so reading is
 * defensive: a damaged file gives an error or what could be read, and
 * indexes that point nowhere are dropped, never followed. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "redline/structure.h"
#include "redline/util.h"
#include "structure-internal.h"

json_t *structure_item_json(const rl_item *it, int full)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(it->id ? it->id : ""));
	json_object_set_new(o, "label", json_string(it->label ? it->label : ""));
	json_object_set_new(o, "text", json_string(it->text ? it->text : ""));
	json_object_set_new(o, "list", json_integer(it->list));
	if (full) {
		json_object_set_new(o, "depth", json_integer(it->depth));
		json_object_set_new(o, "line", json_integer((json_int_t)it->line));
		json_object_set_new(o, "lines", json_integer((json_int_t)it->lines));
	}
	return o;
}

int rl_structure_to_json(const rl_structure *s, rl_buf *out, rl_error *err)
{
	json_t *root, *h, *l, *it;
	char *text;

	/* an archived structure.json has every item's id */
	if (s && s->ids_pending)
		return structure_ids_pending(err);
	root = json_object();
	h = json_array();
	l = json_array();
	it = json_array();
	for (size_t i = 0; s && i < s->n_headings; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "level", json_integer(s->headings[i].level));
		json_object_set_new(o, "text", json_string(s->headings[i].text));
		json_object_set_new(o, "line", json_integer((json_int_t)s->headings[i].line));
		json_array_append_new(h, o);
	}
	for (size_t i = 0; s && i < s->n_lists; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "depth", json_integer(s->lists[i].depth));
		json_object_set_new(o, "first_item",
				    json_integer((json_int_t)s->lists[i].first_item));
		json_object_set_new(o, "items", json_integer((json_int_t)s->lists[i].n_items));
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

static char *jdup(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return strdup(v ? v : "");
}

static json_int_t jint(json_t *o, const char *key, json_int_t lo, json_int_t hi, json_int_t dflt)
{
	json_t *v = json_object_get(o, key);
	json_int_t n;

	if (!json_is_integer(v))
		return dflt;
	n = json_integer_value(v);
	return n < lo || n > hi ? dflt : n;
}

static int read_headings(rl_structure *s, json_t *a)
{
	s->headings = calloc(json_array_size(a) + 1, sizeof(*s->headings));
	if (!s->headings)
		return -1;
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *o = json_array_get(a, i);
		rl_heading *h = &s->headings[s->n_headings];

		if (!json_is_object(o))
			continue;
		h->level = (int)jint(o, "level", 1, 6, 1);
		h->line = (size_t)jint(o, "line", 0, INT32_MAX, 0);
		if (!(h->text = jdup(o, "text")))
			return -1;
		s->n_headings++;
	}
	return 0;
}

static int read_lists(rl_structure *s, json_t *a)
{
	s->lists = calloc(json_array_size(a) + 1, sizeof(*s->lists));
	if (!s->lists)
		return -1;
	for (size_t i = 0; i < json_array_size(a); i++, s->n_lists++) {
		json_t *o = json_array_get(a, i);
		const char *lead = json_string_value(json_object_get(o, "lead_in"));
		rl_list *l = &s->lists[i];

		l->depth = (int)jint(o, "depth", 0, 64, 0);
		l->first_item = (size_t)jint(o, "first_item", 0, INT32_MAX, 0);
		l->n_items = (size_t)jint(o, "items", 0, INT32_MAX, 0);
		if (lead && !(l->lead_in = strdup(lead)))
			return -1;
	}
	return 0;
}

static int read_items(rl_structure *s, json_t *a)
{
	s->items = calloc(json_array_size(a) + 1, sizeof(*s->items));
	if (!s->items)
		return -1;
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *o = json_array_get(a, i);
		rl_item *it = &s->items[s->n_items];

		if (!json_is_object(o) || !json_is_string(json_object_get(o, "id")))
			continue;
		it->list = (int)jint(o, "list", 0, (json_int_t)s->n_lists - 1, 0);
		it->depth = (int)jint(o, "depth", 0, 64, 0);
		it->line = (size_t)jint(o, "line", 0, INT32_MAX, 0);
		it->lines = (size_t)jint(o, "lines", 1, INT32_MAX, 1);
		it->id = jdup(o, "id");
		it->label = jdup(o, "label");
		it->text = jdup(o, "text");
		s->n_items++;
		if (!it->id || !it->label || !it->text)
			return -1;
	}
	return 0;
}

int rl_structure_from_json(rl_structure **out, const char *json, size_t len, rl_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(json, len, 0, &jerr);
	rl_structure *s;
	int rc;

	*out = NULL;
	if (!json_is_object(root)) {
		json_decref(root);
		return rl_error_set(err, RL_EINVALID, "structure.json:%d: %s", jerr.line,
				    root ? "not a JSON object" : jerr.text);
	}
	s = calloc(1, sizeof(*s));
	rc = s ? 0 : -1;
	if (rc == 0)
		rc = read_headings(s, json_object_get(root, "headings"));
	if (rc == 0)
		rc = read_lists(s, json_object_get(root, "lists"));
	if (rc == 0)
		rc = read_items(s, json_object_get(root, "items"));
	json_decref(root);
	if (rc < 0) {
		rl_structure_free(s);
		return rl_error_set(err, RL_ENOMEM, "structure.json: out of memory");
	}
	*out = s;
	return 0;
}
