/* Mapping a diff of masked texts (report-items.c) back to the real ones.
 *
 * Outside the masks both texts are byte for byte what was diffed, so an
 * offset maps by the running difference of mask and label lengths. An
 * equal stretch holding a mask is equal in the real texts too unless the
 * item's label changed: that label becomes its own change (replace, class
 * structure, no words), with the label's common punctuation kept equal
 * so "b." -> "c." shows as [-b-]{+c+}. */
#include <stdlib.h>
#include <string.h>

#include "diff-internal.h"
#include "report-internal.h"

typedef struct side {
	const char *text;
	const report_region *r;
	size_t n;
	size_t near[2]; /* the region last found, by label and by mask */
} side;

typedef struct unmasker {
	side a, b;
	rl_op *ops;
	size_t n_ops, cap_ops;
	rl_change *extra; /* the label changes */
	size_t n_extra, cap_extra;
	int failed;
	int inconsistent;
} unmasker;

static size_t region_key(const side *s, size_t k, int by_mask)
{
	return by_mask ? s->r[k].mask : s->r[k].real;
}

/* The last region whose mask (by_mask) or label starts at or before off;
 * -1 when none. The offsets asked for mostly move forward through the
 * text, a region or two at a time: the search starts where the last one
 * ended, and halves the whole range only when that is not near. */
static long region_at(side *s, size_t off, int by_mask)
{
	size_t lo = 0, hi = s->n, k = s->near[by_mask];

	if (k < s->n && region_key(s, k, by_mask) <= off)
		for (size_t steps = 0; steps < 4; steps++, k++)
			if (k + 1 == s->n || region_key(s, k + 1, by_mask) > off) {
				s->near[by_mask] = k;
				return (long)k;
			}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (region_key(s, mid, by_mask) <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0)
		s->near[by_mask] = lo - 1;
	return (long)lo - 1;
}

static size_t unmask(side *s, size_t m)
{
	long k = region_at(s, m, 1);
	const report_region *g;

	if (k < 0)
		return m;
	g = &s->r[k];
	if (m == g->mask)
		return g->real;
	if (m < g->mask + g->mask_len)
		return g->real + g->real_len;
	return g->real + g->real_len + (m - g->mask - g->mask_len);
}

/* Does [start, end) of the real text hold part of a label? */
static int touches_label(side *s, size_t start, size_t end)
{
	long k = region_at(s, end ? end - 1 : 0, 0);

	return start < end && k >= 0 && s->r[k].real + s->r[k].real_len > start;
}

/* change: an index into d->changes, or -2 - k for the k-th label change. */
static void emit(unmasker *u, rl_op_kind kind, size_t os, size_t oe, size_t ns, size_t ne, int move,
		 int change)
{
	rl_op *last = u->n_ops ? &u->ops[u->n_ops - 1] : NULL;

	if (os == oe && ns == ne)
		return;
	if (last && last->kind == kind && last->move == move && last->change == change &&
	    last->old_end == os && last->new_end == ns) {
		last->old_end = oe;
		last->new_end = ne;
		return;
	}
	if (u->n_ops == u->cap_ops || !u->ops) {
		size_t cap = u->cap_ops ? u->cap_ops * 2 : 64;
		rl_op *v = realloc(u->ops, cap * sizeof(*v));

		if (!v) {
			u->failed = 1;
			return;
		}
		u->ops = v;
		u->cap_ops = cap;
	}
	u->ops[u->n_ops++] = (rl_op){kind, os, oe, ns, ne, move, change};
}

static int punct(char c)
{
	return c == '(' || c == ')' || c == '.' || c == ' ' || c == '[' || c == ']';
}

/* A label that changed: its common punctuation equal, the rest a change. */
static void relabel(unmasker *u, const report_region *ga, const report_region *gb)
{
	const char *x = u->a.text + ga->real, *y = u->b.text + gb->real;
	size_t xl = ga->real_len, yl = gb->real_len, pre = 0, suf = 0;
	rl_change *c;

	while (pre < xl && pre < yl && x[pre] == y[pre] && punct(x[pre]))
		pre++;
	while (suf < xl - pre && suf < yl - pre && x[xl - 1 - suf] == y[yl - 1 - suf] &&
	       punct(x[xl - 1 - suf]))
		suf++;
	if (u->n_extra == u->cap_extra) {
		size_t cap = u->cap_extra ? u->cap_extra * 2 : 16;
		rl_change *v = realloc(u->extra, cap * sizeof(*v));

		if (!v) {
			u->failed = 1;
			return;
		}
		u->extra = v;
		u->cap_extra = cap;
	}
	c = &u->extra[u->n_extra];
	memset(c, 0, sizeof(*c));
	c->kind = RL_CHANGE_REPLACE;
	c->cls = RL_CLASS_STRUCTURE;
	c->old_start = ga->real + pre;
	c->old_end = ga->real + xl - suf;
	c->new_start = gb->real + pre;
	c->new_end = gb->real + yl - suf;
	c->old_line = ga->line;
	c->new_line = gb->line;
	emit(u, RL_OP_EQUAL, ga->real, c->old_start, gb->real, c->new_start, 0, -1);
	emit(u, RL_OP_DELETE, c->old_start, c->old_end, c->new_start, c->new_start, 0,
	     -2 - (int)u->n_extra);
	emit(u, RL_OP_INSERT, c->old_end, c->old_end, c->new_start, c->new_end, 0,
	     -2 - (int)u->n_extra);
	emit(u, RL_OP_EQUAL, c->old_end, ga->real + xl, c->new_end, gb->real + yl, 0, -1);
	u->n_extra++;
}

/* An equal stretch of the masked texts: equal in the real ones but for
 * the labels of items that were relabelled. */
static void equal_op(unmasker *u, const rl_op *o)
{
	long ka = region_at(&u->a, o->old_start, 1), kb = region_at(&u->b, o->new_start, 1);
	size_t co = unmask(&u->a, o->old_start), cn = unmask(&u->b, o->new_start);

	/* the first regions starting inside the stretch */
	ka = ka < 0 || u->a.r[ka].mask < o->old_start ? ka + 1 : ka;
	kb = kb < 0 || u->b.r[kb].mask < o->new_start ? kb + 1 : kb;
	while ((size_t)ka < u->a.n && u->a.r[ka].mask < o->old_end && (size_t)kb < u->b.n &&
	       u->b.r[kb].mask < o->new_end) {
		const report_region *ga = &u->a.r[ka], *gb = &u->b.r[kb];

		/* Masks are tokens the texts do not hold, so the masks of an equal
		 * stretch pair up in order. Their offsets may differ: an equal
		 * stretch can differ in whitespace (a sentence break moved). */
		emit(u, RL_OP_EQUAL, co, ga->real, cn, gb->real, 0, -1);
		if (ga->real_len == gb->real_len &&
		    memcmp(u->a.text + ga->real, u->b.text + gb->real, ga->real_len) == 0)
			emit(u, RL_OP_EQUAL, ga->real, ga->real + ga->real_len, gb->real,
			     gb->real + gb->real_len, 0, -1);
		else
			relabel(u, ga, gb);
		co = ga->real + ga->real_len;
		cn = gb->real + gb->real_len;
		ka++;
		kb++;
	}
	/* A mask left on one side only cannot be (masks are unique to items
	 * and absent from the texts); if it were, this is no diff to show. */
	if (((size_t)ka < u->a.n && u->a.r[ka].mask < o->old_end) ||
	    ((size_t)kb < u->b.n && u->b.r[kb].mask < o->new_end))
		u->inconsistent = 1;
	emit(u, RL_OP_EQUAL, co, unmask(&u->a, o->old_end), cn, unmask(&u->b, o->new_end), 0, -1);
}

/* Label changes join the diff's changes in the order of the new text. */
static int merge_changes(unmasker *u, rl_diff *d)
{
	size_t n = d->n_changes + u->n_extra, i = 0, j = 0, k = 0;
	rl_change *all = malloc((n + 1) * sizeof(*all));
	int *orig = malloc((d->n_changes + 1) * sizeof(*orig));
	int *extra = malloc((u->n_extra + 1) * sizeof(*extra));

	if (!all || !orig || !extra) {
		free(all);
		free(orig);
		free(extra);
		return -1;
	}
	while (i < d->n_changes || j < u->n_extra) {
		int take_extra =
		    i == d->n_changes ||
		    (j < u->n_extra && (u->extra[j].new_start < d->changes[i].new_start ||
					(u->extra[j].new_start == d->changes[i].new_start &&
					 u->extra[j].old_start < d->changes[i].old_start)));

		if (take_extra) {
			extra[j] = (int)k;
			all[k++] = u->extra[j++];
		} else {
			orig[i] = (int)k;
			all[k++] = d->changes[i++];
		}
	}
	for (size_t o = 0; o < u->n_ops; o++) {
		int c = u->ops[o].change;

		if (c >= 0)
			u->ops[o].change = orig[c];
		else if (c <= -2)
			u->ops[o].change = extra[-2 - c];
	}
	free(d->changes);
	d->changes = all;
	d->n_changes = n;
	free(orig);
	free(extra);
	return 0;
}

int report_unmask(rl_diff *d, const char *old_text, size_t old_len, const char *new_text,
		  size_t new_len, const report_region *ra, size_t na, const report_region *rb,
		  size_t nb, rl_error *err)
{
	unmasker u;

	memset(&u, 0, sizeof(u));
	u.a = (side){old_text, ra, na, {0, 0}};
	u.b = (side){new_text, rb, nb, {0, 0}};
	for (size_t k = 0; k < d->n_ops; k++) {
		const rl_op *o = &d->ops[k];

		if (o->kind == RL_OP_EQUAL)
			equal_op(&u, o);
		else
			emit(&u, o->kind, unmask(&u.a, o->old_start), unmask(&u.a, o->old_end),
			     unmask(&u.b, o->new_start), unmask(&u.b, o->new_end), o->move,
			     o->change);
	}
	/* A change that takes a mask in or out adds or removes an item. */
	for (size_t k = 0; k < d->n_changes; k++) {
		rl_change *c = &d->changes[k];

		c->old_start = unmask(&u.a, c->old_start);
		c->old_end = unmask(&u.a, c->old_end);
		c->new_start = unmask(&u.b, c->new_start);
		c->new_end = unmask(&u.b, c->new_end);
		if (touches_label(&u.a, c->old_start, c->old_end) ||
		    touches_label(&u.b, c->new_start, c->new_end))
			c->cls = RL_CLASS_STRUCTURE;
	}
	if (u.inconsistent) {
		free(u.ops);
		free(u.extra);
		return rl_error_set(err, RL_EINVALID, "diff: item masks do not line up");
	}
	/* the real texts are the diff's own where they were masked in place
	 * (report-items.c) */
	if (u.failed || merge_changes(&u, d) < 0 ||
	    (old_text != d->old_text.ptr && rl_buf_set(&d->old_text, old_text, old_len) < 0) ||
	    (new_text != d->new_text.ptr && rl_buf_set(&d->new_text, new_text, new_len) < 0)) {
		free(u.ops);
		free(u.extra);
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory");
	}
	free(d->ops);
	d->ops = u.ops;
	d->n_ops = u.n_ops;
	free(u.extra);
	/* labels that read alike, of two items (diff-unchanged.c); sets d->cls */
	if (diff_drop_unchanged(d) < 0)
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory");
	return 0;
}
