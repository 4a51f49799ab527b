/* What must hold of any diff's operations, for the fuzz targets: taken
 * in order, the old sides of the operations that are not insertions are
 * the old text, the new sides of those that are not deletions the new
 * text, and an equal operation has the same bytes on both sides. Aborts
 * (a crash to libFuzzer, with the input kept) where it does not. */
#ifndef REDLINE_FUZZ_DIFF_OPS_H
#define REDLINE_FUZZ_DIFF_OPS_H

#include <stdlib.h>
#include <string.h>

#include "redline.h"

static void diff_ops_hold(const rl_diff *d, const char *a, size_t al, const char *b, size_t bl)
{
	size_t oc = 0, nc = 0;

	if (d->old_text.len != al || d->new_text.len != bl ||
	    (al && memcmp(d->old_text.ptr, a, al) != 0) ||
	    (bl && memcmp(d->new_text.ptr, b, bl) != 0))
		abort(); /* the diff's texts are the texts it was given */
	for (size_t i = 0; i < d->n_ops; i++) {
		const rl_op *o = &d->ops[i];

		if (o->old_start > o->old_end || o->new_start > o->new_end)
			abort();
		if (o->kind != RL_OP_INSERT) {
			if (o->old_start != oc || o->old_end > al)
				abort();
			oc = o->old_end;
		}
		if (o->kind != RL_OP_DELETE) {
			if (o->new_start != nc || o->new_end > bl)
				abort();
			nc = o->new_end;
		}
		if (o->kind == RL_OP_EQUAL &&
		    (o->old_end - o->old_start != o->new_end - o->new_start ||
		     memcmp(a + o->old_start, b + o->new_start, o->old_end - o->old_start) != 0))
			abort();
	}
	if (oc != al || nc != bl)
		abort();
}

#endif
