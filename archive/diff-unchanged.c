/* Changes that read the same in both texts, taken out of what a reader
 * sees.
 *
 * The alignment can delete words in one place and insert the same bytes
 * right there ("project [-execution.-] {+execution.+}" where sentences
 * around them moved), and masks make more: when item 4 is removed and
 * item 5, joined to the line after it, is taken for 4 reworded, the two
 * texts' "④" stand for two items and the masked diff replaced one with
 * the other, "[-④-]{+④+}". Such a change is none to a reader: it goes,
 * and its ops become one equal stretch. Moves stay what they are. The
 * counts are the alignment's (rl_diff_stats) and stay too. */
#include <stdlib.h>
#include <string.h>

#include "diff-internal.h"

/* The op span of each change: its first and last op, each plus one (0:
 * the change has no op). */
typedef struct span {
	size_t first, last;
} span;

/* Do ops first..last of a change read the same in both texts, with no
 * other change's op and no move among them? */
static int reads_the_same(const rl_diff *d, const span *s, int k)
{
	const rl_op *f, *l;
	size_t len;

	if (!s->first)
		return 0;
	f = &d->ops[s->first - 1];
	l = &d->ops[s->last - 1];
	len = l->old_end - f->old_start;
	if (len == 0 || l->new_end - f->new_start != len ||
	    memcmp(d->old_text.ptr + f->old_start, d->new_text.ptr + f->new_start, len) != 0)
		return 0;
	for (size_t o = s->first - 1; o < s->last; o++)
		if (d->ops[o].move != 0 || (d->ops[o].change != k && d->ops[o].change != -1))
			return 0;
	return 1;
}

/* Appends op to d's first *n ops, joined to an equal one it goes on from. */
static void put_op(rl_diff *d, size_t *n, const rl_op *op)
{
	rl_op *prev = *n ? &d->ops[*n - 1] : NULL;

	if (prev && op->kind == RL_OP_EQUAL && prev->kind == RL_OP_EQUAL && prev->move == 0 &&
	    prev->change == -1 && prev->old_end == op->old_start &&
	    prev->new_end == op->new_start) {
		prev->old_end = op->old_end;
		prev->new_end = op->new_end;
	} else {
		d->ops[(*n)++] = *op;
	}
}

int diff_drop_unchanged(rl_diff *d)
{
	size_t nch = d->n_changes, kept = 0, n = 0;
	span *sp = calloc(nch + 1, sizeof(*sp));
	int *to = malloc((nch + 1) * sizeof(*to));

	if (!sp || !to) {
		free(sp);
		free(to);
		return -1;
	}
	for (size_t k = 0; k < nch; k++)
		to[k] = (int)k;
	for (size_t o = 0; o < d->n_ops; o++) {
		int c = d->ops[o].change;

		if (c >= 0 && (size_t)c < nch) {
			if (!sp[c].first)
				sp[c].first = o + 1;
			sp[c].last = o + 1;
		}
	}
	for (size_t k = 0; k < nch; k++) {
		int same =
		    d->changes[k].kind == RL_CHANGE_REPLACE && reads_the_same(d, &sp[k], (int)k);

		to[k] = same ? -1 : (int)kept;
		if (!same)
			d->changes[kept++] = d->changes[k];
	}
	for (size_t o = 0; o < d->n_ops; o++) {
		rl_op op = d->ops[o];
		int c = op.change;

		if (c >= 0 && (size_t)c < nch && to[c] < 0) {
			size_t e = sp[c].last - 1;

			op = (rl_op){RL_OP_EQUAL,
				     op.old_start,
				     d->ops[e].old_end,
				     op.new_start,
				     d->ops[e].new_end,
				     0,
				     -1};
			o = e;
		} else if (c >= 0 && (size_t)c < nch) {
			op.change = to[c];
		}
		put_op(d, &n, &op);
	}
	d->n_ops = n;
	d->n_changes = kept;
	d->cls = RL_CLASS_NONE;
	d->flags = 0;
	for (size_t k = 0; k < d->n_changes; k++) {
		if (d->changes[k].cls > d->cls)
			d->cls = d->changes[k].cls;
		d->flags |= d->changes[k].flags;
	}
	free(sp);
	free(to);
	return 0;
}
