/* Assertions on diffs shared by the differ's tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diff-check.h"

void dc_same_diff(const rl_diff *x, const rl_diff *y)
{
	assert_int_equal(x->n_ops, y->n_ops);
	assert_int_equal(x->n_changes, y->n_changes);
	assert_memory_equal(&x->stats, &y->stats, sizeof(x->stats));
	for (size_t i = 0; i < x->n_ops; i++) {
		const rl_op *p = &x->ops[i], *q = &y->ops[i];

		assert_int_equal(p->kind, q->kind);
		assert_int_equal(p->old_start, q->old_start);
		assert_int_equal(p->old_end, q->old_end);
		assert_int_equal(p->new_start, q->new_start);
		assert_int_equal(p->new_end, q->new_end);
		assert_int_equal(p->move, q->move);
		assert_int_equal(p->change, q->change);
	}
	for (size_t i = 0; i < x->n_changes; i++) {
		const rl_change *p = &x->changes[i], *q = &y->changes[i];

		assert_int_equal(p->kind, q->kind);
		assert_int_equal(p->cls, q->cls);
		assert_int_equal(p->flags, q->flags);
		assert_int_equal(p->old_start, q->old_start);
		assert_int_equal(p->old_end, q->old_end);
		assert_int_equal(p->new_start, q->new_start);
		assert_int_equal(p->new_end, q->new_end);
		assert_int_equal(p->old_words, q->old_words);
		assert_int_equal(p->new_words, q->new_words);
		assert_int_equal(p->old_line, q->old_line);
		assert_int_equal(p->new_line, q->new_line);
	}
	assert_string_equal(rl_buf_cstr(&x->old_text), rl_buf_cstr(&y->old_text));
	assert_string_equal(rl_buf_cstr(&x->new_text), rl_buf_cstr(&y->new_text));
	assert_int_equal(x->cls, y->cls);
	assert_int_equal(x->flags, y->flags);
}

rl_diff *dc_diff_made(const char *a, const char *b, const rl_op *ops, size_t n_ops,
		      const rl_change *changes, size_t n_changes)
{
	rl_diff *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	assert_int_equal(rl_buf_set(&d->old_text, a, strlen(a)), 0);
	assert_int_equal(rl_buf_set(&d->new_text, b, strlen(b)), 0);
	d->ops = calloc(n_ops + 1, sizeof(*d->ops));
	d->changes = calloc(n_changes + 1, sizeof(*d->changes));
	assert_true(d->ops && d->changes);
	memcpy(d->ops, ops, n_ops * sizeof(*ops));
	memcpy(d->changes, changes, n_changes * sizeof(*changes));
	d->n_ops = n_ops;
	d->n_changes = n_changes;
	return d;
}
