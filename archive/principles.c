/* Principles across versions: with ids carried by content
 * (principles-match.c), comparing two structures is comparing ids, so
 * inserting "b." reads as one item added, not as b. becoming c., c.
 * becoming d. Relabels are listed apart; they follow from the rest. */
#include <stdlib.h>
#include <string.h>

#include "redline/structure.h"
#include "redline/util.h"
#include "lis.h"
#include "structure-internal.h"

static int copy_item(rl_item **v, size_t *n, const rl_item *it)
{
	rl_item *nv = realloc(*v, (*n + 1) * sizeof(*nv));
	rl_item *c;

	if (!nv)
		return -1;
	*v = nv;
	c = &nv[(*n)++];
	*c = *it;
	c->id = strdup(it->id);
	c->label = strdup(it->label);
	c->text = strdup(it->text);
	c->norm = NULL;
	return c->id && c->label && c->text ? 0 : -1;
}

static int add_reworded(rl_principles_diff *d, const rl_item *old, const rl_item *cur)
{
	rl_reworded *v = realloc(d->reworded, (d->n_reworded + 1) * sizeof(*v));
	rl_reworded *r;

	if (!v)
		return -1;
	d->reworded = v;
	r = &v[d->n_reworded++];
	r->id = strdup(cur->id);
	r->label = strdup(cur->label);
	r->old_text = strdup(old->text);
	r->new_text = strdup(cur->text);
	return r->id && r->label && r->old_text && r->new_text ? 0 : -1;
}

static int add_relabelled(rl_principles_diff *d, const rl_item *old, const rl_item *cur)
{
	rl_relabelled *v = realloc(d->relabelled, (d->n_relabelled + 1) * sizeof(*v));
	rl_relabelled *r;

	if (!v)
		return -1;
	d->relabelled = v;
	r = &v[d->n_relabelled++];
	r->id = strdup(cur->id);
	r->old_label = strdup(old->label);
	r->new_label = strdup(cur->label);
	return r->id && r->old_label && r->new_label ? 0 : -1;
}

/* Items of b kept from a whose order changed: those outside a longest
 * run that kept a's order, so one moved item is one entry, not a
 * cascade, and two swapped items are one. pos[k] is the index in a of
 * b's k-th kept item (idx[k] its index in b). */
static int find_reordered(rl_principles_diff *d, const rl_structure *b, const size_t *pos,
			  const size_t *idx, size_t m)
{
	unsigned char *keep = calloc(m + 1, 1);
	int rc = 0;

	if (!keep || lis_mark(pos, m, keep) < 0) {
		rc = -1;
		goto out;
	}
	for (size_t k = 0; k < m && rc == 0; k++)
		if (!keep[k])
			rc = copy_item(&d->reordered, &d->n_reordered, &b->items[idx[k]]);
out:
	free(keep);
	return rc;
}

static int compare(rl_principles_diff *d, const rl_structure *a, const rl_structure *b)
{
	item_ids ia = {0}, ib = {0};
	size_t *pos = NULL, *idx = NULL, m = 0;
	int rc = -1;

	if (item_ids_init(&ia, a) < 0 || item_ids_init(&ib, b) < 0)
		goto out;
	pos = malloc(((b ? b->n_items : 0) + 1) * sizeof(*pos));
	idx = malloc(((b ? b->n_items : 0) + 1) * sizeof(*idx));
	if (!pos || !idx)
		goto out;
	for (size_t i = 0; b && i < b->n_items; i++) {
		const rl_item *cur = &b->items[i], *old;
		long ai = a ? item_ids_find(&ia, cur->id) : -1;
		char *n1, *n2;
		int differ;

		if (ai < 0) {
			if (copy_item(&d->added, &d->n_added, cur) < 0)
				goto out;
			continue;
		}
		old = &a->items[ai];
		pos[m] = (size_t)ai;
		idx[m++] = i;
		/* the same bytes read the same: most items of a version a day
		 * older are not normalized again */
		if (strcmp(old->text, cur->text) == 0) {
			differ = 0;
		} else {
			n1 = structure_normalize(old->text);
			n2 = structure_normalize(cur->text);
			differ = n1 && n2 ? strcmp(n1, n2) != 0 : -1;
			free(n1);
			free(n2);
		}
		if (differ < 0 || (differ && add_reworded(d, old, cur) < 0))
			goto out;
		if (!rl_streq(old->label, cur->label) && add_relabelled(d, old, cur) < 0)
			goto out;
	}
	for (size_t i = 0; a && i < a->n_items; i++)
		if (item_ids_find(&ib, a->items[i].id) < 0 &&
		    copy_item(&d->removed, &d->n_removed, &a->items[i]) < 0)
			goto out;
	rc = find_reordered(d, b, pos, idx, m);
out:
	item_ids_free(&ia);
	item_ids_free(&ib);
	free(pos);
	free(idx);
	return rc;
}

int rl_principles_compare(rl_principles_diff **out, const rl_structure *a, const rl_structure *b,
			  rl_error *err)
{
	rl_principles_diff *d;

	*out = NULL;
	if ((a && a->ids_pending) || (b && b->ids_pending))
		return structure_ids_pending(err);
	d = calloc(1, sizeof(*d));
	if (!d || compare(d, a, b) < 0) {
		rl_principles_diff_free(d);
		return rl_error_set(err, RL_ENOMEM, "out of memory comparing principles");
	}
	*out = d;
	return 0;
}

static void items_free(rl_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		structure_item_clear(&v[i]);
	free(v);
}

void rl_principles_diff_free(rl_principles_diff *d)
{
	if (!d)
		return;
	items_free(d->added, d->n_added);
	items_free(d->removed, d->n_removed);
	items_free(d->reordered, d->n_reordered);
	for (size_t i = 0; i < d->n_reworded; i++) {
		free(d->reworded[i].id);
		free(d->reworded[i].label);
		free(d->reworded[i].old_text);
		free(d->reworded[i].new_text);
	}
	free(d->reworded);
	for (size_t i = 0; i < d->n_relabelled; i++) {
		free(d->relabelled[i].id);
		free(d->relabelled[i].old_label);
		free(d->relabelled[i].new_label);
	}
	free(d->relabelled);
	free(d);
}

size_t rl_principles_diff_count(const rl_principles_diff *d)
{
	return d ? d->n_added + d->n_removed + d->n_reworded + d->n_reordered : 0;
}

int rl_principles_diff_empty(const rl_principles_diff *d)
{
	return !d || rl_principles_diff_count(d) + d->n_relabelled == 0;
}
