/* Principles across versions: items keep their id when their content
 * stays recognisable, whatever their label, so inserting "b." reads as
 * one item added, not as b. becoming c., c. becoming d. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redline/structure.h"
#include "redline/util.h"
#include "structure-internal.h"

/* Below this word overlap (Dice coefficient), two items are different items. */
#define SIMILAR_MIN 0.5

/* Lowercase words without the list punctuation an item gains or loses when
 * a neighbour is added or removed ("; and", ";", "."). */
static char *normalize(const char *text)
{
	size_t len = strlen(text), k = 0;
	char *out = malloc(len + 1);
	int space = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (isspace(c)) {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = 0;
		out[k++] = (char)tolower(c);
	}
	/* Trailing list punctuation: "; and", "; or", ";", ".", ",", ":". */
	for (;;) {
		if (k >= 5 && memcmp(out + k - 5, "; and", 5) == 0)
			k -= 4;
		else if (k >= 4 && memcmp(out + k - 4, "; or", 4) == 0)
			k -= 3;
		else if (k > 0 && (out[k - 1] == ';' || out[k - 1] == '.' || out[k - 1] == ',' ||
				   out[k - 1] == ':'))
			k--;
		else
			break;
	}
	out[k] = '\0';
	return out;
}

int structure_fresh_ids(rl_structure *s)
{
	for (size_t i = 0; i < s->n_items; i++) {
		char *norm = normalize(s->items[i].text), sha[65], id[32];
		int dup = 1;

		if (!norm)
			return -1;
		rl_sha256_hex(norm, strlen(norm), sha);
		free(norm);
		snprintf(id, sizeof(id), "p-%.8s", sha);
		/* The same text twice in one version: number the repeats. */
		for (size_t j = 0; j < i; j++)
			if (strncmp(s->items[j].id, id, 10) == 0)
				dup++;
		if (dup > 1)
			snprintf(id + 10, sizeof(id) - 10, "-%d", dup);
		free(s->items[i].id);
		s->items[i].id = strdup(id);
		if (!s->items[i].id)
			return -1;
	}
	return 0;
}

/* Word-set overlap of two normalized texts, 0..1. */
static double similarity(const char *a, const char *b)
{
	size_t na = 0, nb = 0, common = 0;
	const char *p, *q;

	for (p = a; *p;) {
		size_t l = strcspn(p, " ");
		int found = 0;

		na++;
		for (q = b; *q && !found;) {
			size_t m = strcspn(q, " ");

			found = l == m && strncmp(p, q, l) == 0;
			q += m + (q[m] == ' ');
		}
		common += (size_t)found;
		p += l + (p[l] == ' ');
	}
	for (q = b; *q;) {
		size_t m = strcspn(q, " ");

		nb++;
		q += m + (q[m] == ' ');
	}
	return na + nb ? 2.0 * (double)common / (double)(na + nb) : 1.0;
}

typedef struct pair {
	size_t cur, prev;
	double score;
} pair;

static int by_score(const void *x, const void *y)
{
	const pair *a = x, *b = y;

	if (a->score != b->score)
		return a->score < b->score ? 1 : -1;
	if (a->cur != b->cur)
		return a->cur < b->cur ? -1 : 1;
	return a->prev < b->prev ? -1 : (a->prev > b->prev);
}

/* Greedy assignment by descending similarity: identical texts first, then
 * the closest remaining pairs, each item used once. */
int rl_structure_carry_ids(rl_structure *cur, const rl_structure *prev, rl_error *err)
{
	char **nc = calloc(cur->n_items + 1, sizeof(*nc)),
	     **np = calloc(prev->n_items + 1, sizeof(*np));
	unsigned char *used_c = calloc(cur->n_items + 1, 1), *used_p = calloc(prev->n_items + 1, 1);
	pair *pairs = NULL;
	size_t n = 0;
	int rc = 0;

	if (!nc || !np || !used_c || !used_p)
		goto oom;
	for (size_t i = 0; i < cur->n_items; i++)
		if (!(nc[i] = normalize(cur->items[i].text)))
			goto oom;
	for (size_t j = 0; j < prev->n_items; j++)
		if (!(np[j] = normalize(prev->items[j].text)))
			goto oom;
	pairs = malloc((cur->n_items * prev->n_items + 1) * sizeof(*pairs));
	if (!pairs)
		goto oom;
	for (size_t i = 0; i < cur->n_items; i++)
		for (size_t j = 0; j < prev->n_items; j++) {
			double s = strcmp(nc[i], np[j]) == 0 ? 2.0 : similarity(nc[i], np[j]);

			if (s >= SIMILAR_MIN)
				pairs[n++] = (pair){i, j, s};
		}
	qsort(pairs, n, sizeof(*pairs), by_score);
	for (size_t k = 0; k < n; k++) {
		if (used_c[pairs[k].cur] || used_p[pairs[k].prev])
			continue;
		used_c[pairs[k].cur] = used_p[pairs[k].prev] = 1;
		free(cur->items[pairs[k].cur].id);
		cur->items[pairs[k].cur].id = strdup(prev->items[pairs[k].prev].id);
	}
	/* A new item whose fresh id an old item already had gets another. */
	for (size_t i = 0; i < cur->n_items; i++) {
		if (used_c[i])
			continue;
		for (size_t j = 0; j < prev->n_items; j++)
			if (rl_streq(cur->items[i].id, prev->items[j].id)) {
				char id[40];

				snprintf(id, sizeof(id), "%.10s-n%zu", cur->items[i].id, i + 1);
				free(cur->items[i].id);
				cur->items[i].id = strdup(id);
				break;
			}
	}
	goto out;
oom:
	rc = rl_error_set(err, RL_ENOMEM, "out of memory");
out:
	for (size_t i = 0; nc && i < cur->n_items; i++)
		free(nc[i]);
	for (size_t j = 0; np && j < prev->n_items; j++)
		free(np[j]);
	free(nc);
	free(np);
	free(used_c);
	free(used_p);
	free(pairs);
	return rc;
}

static const rl_item *find_id(const rl_structure *s, const char *id, size_t *index)
{
	for (size_t i = 0; i < s->n_items; i++)
		if (rl_streq(s->items[i].id, id)) {
			if (index)
				*index = i;
			return &s->items[i];
		}
	return NULL;
}

static int copy_item(rl_item **v, size_t *n, const rl_item *it)
{
	rl_item *nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -1;
	*v = nv;
	nv[*n] = (rl_item){strdup(it->id), strdup(it->label), strdup(it->text),
			   it->list,       it->depth,         it->line};
	(*n)++;
	return 0;
}

/* Items of b kept from a whose order changed: those outside the longest
 * run that kept a's order (so one moved item is one entry, not a cascade). */
static int find_reordered(rl_principles_diff *d, const rl_structure *a, const rl_structure *b)
{
	size_t *pos = malloc((b->n_items + 1) * sizeof(*pos)),
	       *idx = malloc((b->n_items + 1) * sizeof(*idx));
	size_t *len = calloc(b->n_items + 1, sizeof(*len)),
	       *from = calloc(b->n_items + 1, sizeof(*from));
	unsigned char *keep = calloc(b->n_items + 1, 1);
	size_t m = 0, best = 0, best_at = 0;
	int rc = 0;

	if (!pos || !idx || !len || !from || !keep) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < b->n_items; i++) {
		size_t ai;

		if (find_id(a, b->items[i].id, &ai)) {
			pos[m] = ai;
			idx[m++] = i;
		}
	}
	/* Quadratic LIS: lists hold tens of items, not thousands. */
	for (size_t i = 0; i < m; i++) {
		len[i] = 1;
		from[i] = i;
		for (size_t j = 0; j < i; j++)
			if (pos[j] < pos[i] && len[j] + 1 > len[i]) {
				len[i] = len[j] + 1;
				from[i] = j;
			}
		if (len[i] > best) {
			best = len[i];
			best_at = i;
		}
	}
	if (m) {
		for (size_t i = best_at;; i = from[i]) {
			keep[i] = 1;
			if (from[i] == i)
				break;
		}
	}
	for (size_t i = 0; i < m && rc == 0; i++)
		if (!keep[i])
			rc = copy_item(&d->reordered, &d->n_reordered, &b->items[idx[i]]);
out:
	free(pos);
	free(idx);
	free(len);
	free(from);
	free(keep);
	return rc;
}

int rl_principles_compare(rl_principles_diff **out, const rl_structure *a, const rl_structure *b,
			  rl_error *err)
{
	rl_principles_diff *d = calloc(1, sizeof(*d));
	int rc = 0;

	*out = NULL;
	if (!d)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	for (size_t i = 0; b && i < b->n_items && rc == 0; i++) {
		const rl_item *old = a ? find_id(a, b->items[i].id, NULL) : NULL;
		char *n1, *n2;

		if (!old) {
			rc = copy_item(&d->added, &d->n_added, &b->items[i]);
			continue;
		}
		n1 = normalize(old->text);
		n2 = normalize(b->items[i].text);
		if (n1 && n2 && strcmp(n1, n2) != 0) {
			rl_reworded *v = realloc(d->reworded, (d->n_reworded + 1) * sizeof(*v));

			if (v) {
				d->reworded = v;
				v[d->n_reworded++] =
				    (rl_reworded){strdup(b->items[i].id), strdup(b->items[i].label),
						  strdup(old->text), strdup(b->items[i].text)};
			} else {
				rc = -1;
			}
		}
		free(n1);
		free(n2);
		if (rc == 0 && !rl_streq(old->label, b->items[i].label)) {
			rl_relabelled *v =
			    realloc(d->relabelled, (d->n_relabelled + 1) * sizeof(*v));

			if (v) {
				d->relabelled = v;
				v[d->n_relabelled++] =
				    (rl_relabelled){strdup(b->items[i].id), strdup(old->label),
						    strdup(b->items[i].label)};
			} else {
				rc = -1;
			}
		}
	}
	for (size_t i = 0; a && i < a->n_items && rc == 0; i++)
		if (!b || !find_id(b, a->items[i].id, NULL))
			rc = copy_item(&d->removed, &d->n_removed, &a->items[i]);
	if (rc == 0 && a && b)
		rc = find_reordered(d, a, b);
	if (rc < 0) {
		rl_principles_diff_free(d);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
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

int rl_principles_diff_empty(const rl_principles_diff *d)
{
	return !d ||
	       (d->n_added + d->n_removed + d->n_reworded + d->n_relabelled + d->n_reordered) == 0;
}
