/* The JSON report, DESIGN.md's shape: stats, changes, principles, watch. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "render-internal.h"

/* Length of the valid UTF-8 sequence at s (at most len bytes), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2
				 : s[0] >= 0xe0 && s[0] < 0xf0   ? 3
				 : s[0] >= 0xf0 && s[0] < 0xf5   ? 4
								 : 0;

	if (!n || n > len)
		return 0;
	for (size_t k = 1; k < n; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

/* A JSON string of len bytes; bytes that are not UTF-8 (texts compared
 * straight from files may hold any) become U+FFFD, never a lost key. */
static json_t *jstr(const char *s, size_t len)
{
	json_t *j = json_stringn(s ? s : "", s ? len : 0);
	rl_buf b = RL_BUF_INIT;

	if (j)
		return j;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq((const unsigned char *)s + i, len - i);

		if (n && s[i]) {
			rl_buf_put(&b, s + i, n);
			i += n;
		} else {
			rl_buf_puts(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	j = json_stringn(rl_buf_cstr(&b), b.len);
	rl_buf_free(&b);
	return j ? j : json_string("");
}

static json_t *cstr(const char *s)
{
	return jstr(s ? s : "", s ? strlen(s) : 0);
}

static json_t *text_of(const rl_buf *b, size_t start, size_t end)
{
	return jstr(b->ptr ? b->ptr + start : "", end - start);
}

static json_t *change_json(const rl_diff *d, const rl_change *c)
{
	json_t *o = json_object(), *flags = json_array();

	if (c->flags & RL_CHANGE_FLAG_NUMBER)
		json_array_append_new(flags, json_string("number"));
	if (c->flags & RL_CHANGE_FLAG_NEGATION)
		json_array_append_new(flags, json_string("negation"));
	json_object_set_new(o, "kind", json_string(rl_change_kind_name(c->kind)));
	json_object_set_new(o, "class", json_string(render_class_name(c->cls)));
	json_object_set_new(o, "old", text_of(&d->old_text, c->old_start, c->old_end));
	json_object_set_new(o, "new", text_of(&d->new_text, c->new_start, c->new_end));
	json_object_set_new(o, "flags", flags);
	json_object_set_new(o, "old_line", json_integer((json_int_t)c->old_line));
	json_object_set_new(o, "new_line", json_integer((json_int_t)c->new_line));
	json_object_set_new(o, "old_words", json_integer((json_int_t)c->old_words));
	json_object_set_new(o, "new_words", json_integer((json_int_t)c->new_words));
	return o;
}

static json_t *item_json(const rl_item *it)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", cstr(it->id));
	json_object_set_new(o, "label", cstr(it->label));
	json_object_set_new(o, "text", cstr(it->text));
	json_object_set_new(o, "list", json_integer(it->list));
	return o;
}

static json_t *items_json(const rl_item *items, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, item_json(&items[i]));
	return a;
}

static json_t *principles_json(const rl_principles_diff *p)
{
	json_t *o = json_object(), *rw = json_array(), *rl = json_array();
	static const rl_principles_diff empty;

	if (!p)
		p = &empty;
	for (size_t i = 0; i < p->n_reworded; i++)
		json_array_append_new(rw, json_pack("{s:o, s:o, s:o, s:o}", "id",
						    cstr(p->reworded[i].id), "label",
						    cstr(p->reworded[i].label), "old",
						    cstr(p->reworded[i].old_text), "new",
						    cstr(p->reworded[i].new_text)));
	for (size_t i = 0; i < p->n_relabelled; i++)
		json_array_append_new(rl, json_pack("{s:o, s:o, s:o}", "id",
						    cstr(p->relabelled[i].id), "old_label",
						    cstr(p->relabelled[i].old_label), "new_label",
						    cstr(p->relabelled[i].new_label)));
	json_object_set_new(o, "added", items_json(p->added, p->n_added));
	json_object_set_new(o, "removed", items_json(p->removed, p->n_removed));
	json_object_set_new(o, "reworded", rw);
	json_object_set_new(o, "relabelled", rl);
	json_object_set_new(o, "reordered", items_json(p->reordered, p->n_reordered));
	return o;
}

static json_t *watch_json(const rl_report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->n_watch; i++) {
		const rl_watch_hit *h = &r->watch[i];
		json_t *ctx = json_array();

		for (size_t k = 0; k < h->contexts.n; k++)
			json_array_append_new(ctx, cstr(h->contexts.v[k]));
		json_array_append_new(a, json_pack("{s:o, s:I, s:I, s:o}", "term",
						   cstr(h->term), "before",
						   (json_int_t)h->before, "after",
						   (json_int_t)h->after, "contexts", ctx));
	}
	return a;
}

int rl_render_json(rl_buf *out, const rl_report *r, const rl_render_opts *opts, rl_error *err)
{
	const rl_diff *d = r->diff;
	json_t *root = json_object(), *changes = json_array();
	char *s;
	int rc = 0;

	(void)opts;
	json_object_set_new(root, "stats",
			    json_pack("{s:I, s:I, s:I, s:I}", "common", (json_int_t)d->stats.common,
				      "inserted", (json_int_t)d->stats.inserted, "deleted",
				      (json_int_t)d->stats.deleted, "moved",
				      (json_int_t)d->stats.moved));
	json_object_set_new(root, "class", json_string(render_class_name(r->cls)));
	for (size_t i = 0; i < d->n_changes; i++)
		json_array_append_new(changes, change_json(d, &d->changes[i]));
	json_object_set_new(root, "changes", changes);
	json_object_set_new(root, "principles", principles_json(r->principles));
	json_object_set_new(root, "watch", watch_json(r));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return rl_error_set(err, RL_ENOMEM, "render: cannot encode the JSON report");
	if (rl_buf_puts(out, s) < 0 || rl_buf_putc(out, '\n') < 0)
		rc = rl_error_set(err, RL_ENOMEM, "render: out of memory");
	free(s);
	return rc;
}
