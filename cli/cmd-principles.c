/* redline principles: the enumerated items of a version with their
 * stable ids, or how they changed between two versions ("1 principle
 * added: b. ..." rather than b. becoming c.). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

/* A version's structure: its structure.json (ids as archived), or its
 * text parsed when it has none. */
static int load_structure(rl_archive *a, const rl_version *v, rl_structure **out, rl_error *err)
{
	rl_buf b = RL_BUF_INIT;
	int rc;

	*out = NULL;
	if (rl_archive_read(a, v->commit, "structure.json", &b, NULL) == 0 &&
	    rl_structure_from_json(out, b.ptr, b.len, NULL) == 0) {
		rl_buf_free(&b);
		return 0;
	}
	rl_buf_reset(&b);
	rc = rl_archive_read(a, v->commit, "text.md", &b, err);
	if (rc == 0)
		rc = rl_structure_parse(out, b.ptr, b.len, err);
	rl_buf_free(&b);
	return rc;
}

/* "~1", "@abc123" and "@{2026-11-01}" are taken relative to SOURCE. */
static int resolve(rl_archive *a, const char *source, const char *rev, rl_version *out,
		   rl_error *err)
{
	char full[512];

	if (source && (rev[0] == '~' || rev[0] == '@')) {
		snprintf(full, sizeof(full), "%s%s", source, rev);
		rev = full;
	}
	return rl_archive_resolve(a, rev, out, err);
}

static json_t *item_json(const rl_item *it)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(it->id));
	json_object_set_new(o, "label", json_string(it->label));
	json_object_set_new(o, "text", json_string(it->text));
	json_object_set_new(o, "list", json_integer(it->list));
	json_object_set_new(o, "depth", json_integer(it->depth));
	return o;
}

static json_t *items_json(const rl_item *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, item_json(&v[i]));
	return a;
}

static void dump(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	puts(s ? s : "null");
	free(s);
	json_decref(j);
}

static void list_text(const rl_version *v, const rl_structure *s)
{
	char name[160];
	int last_list = -1;

	cli_version_name(v, name, sizeof(name));
	printf("%s: %zu item%s in %zu list%s\n", name, s->n_items, s->n_items == 1 ? "" : "s",
	       s->n_lists, s->n_lists == 1 ? "" : "s");
	for (size_t i = 0; i < s->n_items; i++) {
		const rl_item *it = &s->items[i];

		if (it->list != last_list) {
			const char *lead =
			    (size_t)it->list < s->n_lists ? s->lists[it->list].lead_in : NULL;

			if (it->depth == 0 || lead)
				printf("\n%*s%s\n", it->depth * 2, "", lead ? lead : "");
			last_list = it->list;
		}
		printf("%-12s%*s%s %s\n", it->id, it->depth * 2, "", it->label, it->text);
	}
}

/* Marked text with its whitespace kept outside the marks (like the word
 * renderer); drop_tail: a deletion's trailing space before an insertion,
 * which brings its own. */
static void mark(rl_buf *b, const char *s, size_t len, const char *open, const char *close,
		 int drop_tail)
{
	size_t a = 0, e = len;

	while (a < e && (s[a] == ' ' || s[a] == '\n'))
		a++;
	while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\n'))
		e--;
	rl_buf_put(b, s, a);
	if (a < e)
		rl_buf_printf(b, "%s%.*s%s", open, (int)(e - a), s + a, close);
	if (!drop_tail)
		rl_buf_put(b, s + e, len - e);
}

/* The rewording's words, marked like `redline diff`: [-old-]{+new+}. */
static char *marked(const rl_reworded *rw, int color)
{
	rl_diff *d = NULL;
	rl_buf b = RL_BUF_INIT;

	if (rl_reworded_diff(&d, rw, NULL) < 0)
		return strdup(rw->new_text);
	for (size_t i = 0; i < d->n_ops; i++) {
		const rl_op *o = &d->ops[i];
		int next_ins = i + 1 < d->n_ops && d->ops[i + 1].kind == RL_OP_INSERT;

		if (o->kind == RL_OP_EQUAL)
			rl_buf_put(&b, d->new_text.ptr + o->new_start, o->new_end - o->new_start);
		else if (o->kind == RL_OP_DELETE)
			mark(&b, d->old_text.ptr + o->old_start, o->old_end - o->old_start,
			     color ? "\033[31m" : "[-", color ? "\033[m" : "-]", next_ins);
		else
			mark(&b, d->new_text.ptr + o->new_start, o->new_end - o->new_start,
			     color ? "\033[32m" : "{+", color ? "\033[m" : "+}", 0);
	}
	rl_diff_free(d);
	return rl_buf_detach(&b, NULL);
}

static void heading(size_t n, const char *what)
{
	printf("%zu principle%s %s:", n, n == 1 ? "" : "s", what);
	if (n > 1)
		putchar('\n');
}

/* Bytes of s to show in at most max bytes, not cutting a UTF-8 character. */
static int shown(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return (int)n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return (int)max;
}

static void diff_text(const rl_version *va, const rl_version *vb, const rl_principles_diff *d,
		      const rl_structure *sb, int color)
{
	char na[160], nb[160];

	cli_version_name(va, na, sizeof(na));
	cli_version_name(vb, nb, sizeof(nb));
	printf("%s -> %s\n", na, nb);
	if (rl_principles_diff_empty(d)) {
		printf("no principle changed\n");
		return;
	}
	if (d->n_added)
		heading(d->n_added, "added");
	for (size_t i = 0; i < d->n_added; i++)
		printf("%s%s %s  (%s)\n", d->n_added > 1 ? "  " : " ", d->added[i].label,
		       d->added[i].text, d->added[i].id);
	if (d->n_removed)
		heading(d->n_removed, "removed");
	for (size_t i = 0; i < d->n_removed; i++)
		printf("%s%s %s  (%s)\n", d->n_removed > 1 ? "  " : " ", d->removed[i].label,
		       d->removed[i].text, d->removed[i].id);
	if (d->n_reworded)
		heading(d->n_reworded, "reworded");
	for (size_t i = 0; i < d->n_reworded; i++) {
		char *m = marked(&d->reworded[i], color);

		printf("%s%s %s  (%s)\n", d->n_reworded > 1 ? "  " : " ", d->reworded[i].label,
		       m ? m : "", d->reworded[i].id);
		free(m);
	}
	if (d->n_reordered)
		heading(d->n_reordered, "moved");
	for (size_t i = 0; i < d->n_reordered; i++)
		printf("%s%s %s  (%s)\n", d->n_reordered > 1 ? "  " : " ", d->reordered[i].label,
		       d->reordered[i].text, d->reordered[i].id);
	if (d->n_relabelled)
		printf("%zu relabelled:%s", d->n_relabelled, d->n_relabelled > 1 ? "\n" : "");
	for (size_t i = 0; i < d->n_relabelled; i++) {
		const rl_item *it = rl_structure_find(sb, d->relabelled[i].id);
		const char *t = it ? it->text : "";
		int n = shown(t, 60);

		printf("%s%s -> %s %.*s%s\n", d->n_relabelled > 1 ? "  " : " ",
		       d->relabelled[i].old_label, d->relabelled[i].new_label, n, t,
		       t[n] ? "..." : "");
	}
}

static void diff_json(const rl_principles_diff *d)
{
	json_t *o = json_object(), *rw = json_array(), *rl = json_array();

	for (size_t i = 0; i < d->n_reworded; i++) {
		json_t *w = json_object();
		char *m = marked(&d->reworded[i], 0);

		json_object_set_new(w, "id", json_string(d->reworded[i].id));
		json_object_set_new(w, "label", json_string(d->reworded[i].label));
		json_object_set_new(w, "old", json_string(d->reworded[i].old_text));
		json_object_set_new(w, "new", json_string(d->reworded[i].new_text));
		json_object_set_new(w, "words", json_string(m ? m : ""));
		json_array_append_new(rw, w);
		free(m);
	}
	for (size_t i = 0; i < d->n_relabelled; i++) {
		json_t *l = json_object();

		json_object_set_new(l, "id", json_string(d->relabelled[i].id));
		json_object_set_new(l, "old_label", json_string(d->relabelled[i].old_label));
		json_object_set_new(l, "new_label", json_string(d->relabelled[i].new_label));
		json_array_append_new(rl, l);
	}
	json_object_set_new(o, "added", items_json(d->added, d->n_added));
	json_object_set_new(o, "removed", items_json(d->removed, d->n_removed));
	json_object_set_new(o, "reworded", rw);
	json_object_set_new(o, "relabelled", rl);
	json_object_set_new(o, "reordered", items_json(d->reordered, d->n_reordered));
	dump(o);
}

static int run_diff(cli_ctx *ctx, rl_archive *a, char **revs, int nrev, int json, int color)
{
	const char *source = revs[0];
	rl_version va, vb;
	rl_structure *sa = NULL, *sb = NULL;
	rl_principles_diff *d = NULL;
	char parent[300];
	rl_error err;
	int rc;

	memset(&va, 0, sizeof(va));
	memset(&vb, 0, sizeof(vb));
	if (nrev != 1 && nrev != 3)
		return cli_usage_error(ctx,
				       "--diff takes SOURCE and two revisions, or SOURCE alone");
	rc = resolve(a, source, nrev == 1 ? source : revs[2], &vb, &err);
	if (rc == 0 && nrev == 1 && !vb.parent[0])
		rc = rl_error_set(&err, RL_ENOTFOUND, "%s has only one version", vb.source);
	if (rc == 0) {
		snprintf(parent, sizeof(parent), "%s@%s", vb.source, vb.parent);
		rc = resolve(a, source, nrev == 1 ? parent : revs[1], &va, &err);
	}
	if (rc == 0 && (strcmp(va.source, source) != 0 || strcmp(vb.source, source) != 0))
		rc = rl_error_set(&err, RL_EINVALID, "%s and %s are not both versions of '%s'",
				  nrev == 3 ? revs[1] : parent, nrev == 3 ? revs[2] : source,
				  source);
	if (rc == 0)
		rc = load_structure(a, &va, &sa, &err);
	if (rc == 0)
		rc = load_structure(a, &vb, &sb, &err);
	/* ids are the archive's: an item is the same item whatever lies between */
	if (rc == 0)
		rc = rl_principles_compare(&d, sa, sb, &err);
	if (rc == 0) {
		if (json)
			diff_json(d);
		else
			diff_text(&va, &vb, d, sb, color);
		rc = rl_principles_diff_empty(d) ? 0 : EXIT_DIFF;
	} else {
		rc = cli_fail(err.code == RL_EINVALID ? EXIT_USAGE : EXIT_DIFF, "%s", err.message);
	}
	rl_principles_diff_free(d);
	rl_structure_free(sa);
	rl_structure_free(sb);
	rl_version_clear(&va);
	rl_version_clear(&vb);
	return rc;
}

static int run_principles(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"diff", no_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"color", required_argument, NULL, 'C'},
	    {NULL, 0, NULL, 0},
	};
	const char *color = "auto";
	int opt, json = 0, diff = 0, rc;
	rl_structure *s = NULL;
	rl_version v;
	rl_archive *a;
	rl_error err;

	while ((opt = cli_getopt(ctx, argc, argv, "", longs)) != -1) {
		switch (opt) {
		case 'd':
			diff = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'C':
			color = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error(ctx, "give a revision (or SOURCE --diff REV_A REV_B)");
	if (!diff && argc - optind != 1)
		return cli_usage_error(ctx, "give one revision (two need --diff)");
	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	if (diff)
		return run_diff(ctx, a, argv + optind, argc - optind, json,
				cli_color_wanted(color, stdout));
	memset(&v, 0, sizeof(v));
	rc = resolve(a, NULL, argv[optind], &v, &err);
	if (rc == 0)
		rc = load_structure(a, &v, &s, &err);
	if (rc == 0 && !s)
		rc = rl_error_set(&err, RL_ENOMEM, "out of memory");
	if (rc != 0 || !s) {
		rl_version_clear(&v);
		return cli_fail(err.code == RL_EINVALID ? EXIT_USAGE : EXIT_DIFF, "%s",
				err.message);
	}
	if (json)
		dump(items_json(s->items, s->n_items));
	else
		list_text(&v, s);
	rl_structure_free(s);
	rl_version_clear(&v);
	return 0;
}

const cli_command cmd_principles = {
    "principles",
    "principles REV [--json] | principles SOURCE --diff [REV_A REV_B] [--json]",
    "enumerated items (principles) with their stable ids, or how they changed",
    "REV lists a version's enumerated items: id, label, text, grouped by list with\n"
    "the sentence that leads into each. An id follows the item's content, not its\n"
    "label: inserting b. gives one new id, the old b. keeps its id as c.\n"
    "--diff REV_A REV_B  how the items changed: added, removed, reworded (with the\n"
    "                    words marked), moved, relabelled; SOURCE alone compares its\n"
    "                    latest version with the one before. REV_A and REV_B may be\n"
    "                    written relative to SOURCE: ~2, @1a2b3c4, @{2026-11-01}.\n"
    "--json             a list of {id, label, text, list, depth}; with --diff\n"
    "                   {added, removed, reworded: [{id, label, old, new, words}],\n"
    "                   relabelled: [{id, old_label, new_label}], reordered}\n"
    "--color WHEN       auto, always or never\n"
    "Exit status: 0 (with --diff: when no item changed), 1 with --diff when items\n"
    "changed, or when a revision names nothing; 2 on a usage error.\n",
    run_principles,
    .shows_only = 1,
};
