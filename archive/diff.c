/* rl_diff_texts: tokenize, align, find moves, count, clean up for
 * display, then write the alignment out as byte-exact edit operations and
 * the changes a reader sees. The operations cover both texts completely
 * (applying them to the old text gives the new one), whitespace included:
 * tokens carry no whitespace, so the gaps between tokens are compared on
 * their own and a changed gap (a sentence or paragraph break that came or
 * went) is a cosmetic change of no words. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "redline/thread.h"

#include "diff-internal.h"

typedef struct builder {
	rl_diff *d;
	const dside *a, *b;
	const uint8_t *keep;
	size_t ops_cap;
	uint8_t *cut; /* per op: a change starts here even without equal text before */
	int new_part; /* the next op starts a part of its own */
	int failed;
} builder;

const char *rl_change_kind_name(rl_change_kind k)
{
	switch (k) {
	case RL_CHANGE_INSERT:
		return "insert";
	case RL_CHANGE_DELETE:
		return "delete";
	case RL_CHANGE_REPLACE:
		return "replace";
	case RL_CHANGE_MOVE:
		return "move";
	}
	return "?";
}

static void emit(builder *bd, rl_op_kind kind, size_t os, size_t oe, size_t ns, size_t ne, int move)
{
	rl_diff *d = bd->d;
	rl_op *last = d->n_ops ? &d->ops[d->n_ops - 1] : NULL;

	if (oe == os && ne == ns)
		return;
	if (last && last->kind == kind && last->move == move && last->old_end == os &&
	    last->new_end == ns && !bd->new_part) {
		last->old_end = oe;
		last->new_end = ne;
		return;
	}
	if (d->n_ops == bd->ops_cap) {
		size_t cap = bd->ops_cap ? bd->ops_cap * 2 : 256;
		rl_op *o = realloc(d->ops, cap * sizeof(*o));
		uint8_t *c = realloc(bd->cut, cap);

		if (o)
			d->ops = o;
		if (c)
			bd->cut = c;
		if (!o || !c) {
			bd->failed = 1;
			return;
		}
		bd->ops_cap = cap;
	}
	if (!bd->cut || !d->ops) {
		bd->failed = 1;
		return;
	}
	bd->cut[d->n_ops] = (uint8_t)bd->new_part;
	bd->new_part = 0;
	d->ops[d->n_ops++] = (rl_op){kind, os, oe, ns, ne, move, -1};
}

static size_t tok_start(const dside *s, size_t i)
{
	return i < s->ntok ? s->tok[i].start : s->len;
}

static int kept_a(const builder *bd, size_t i)
{
	return bd->a->match[i] >= 0 && bd->keep[i];
}

static int kept_b(const builder *bd, size_t j)
{
	return bd->b->match[j] >= 0 && bd->keep[bd->b->match[j]];
}

/* Tokens [t0,t1) of one side, from byte `from` to the start of token t1,
 * as operations of `kind`, one per run of equal move number. */
static void emit_side(builder *bd, const dside *s, rl_op_kind kind, size_t from, size_t t0,
		      size_t t1, size_t end, size_t other)
{
	while (t0 < t1) {
		size_t q = t0 + 1, stop;

		while (q < t1 && s->move[q] == s->move[t0])
			q++;
		stop = q < t1 ? s->tok[q].start : end;
		if (kind == RL_OP_DELETE)
			emit(bd, kind, from, stop, other, other, s->move[t0]);
		else
			emit(bd, kind, other, other, from, stop, s->move[t0]);
		from = stop;
		t0 = q;
	}
	if (from < end) { /* a gap with no token: whitespace that changed */
		if (kind == RL_OP_DELETE)
			emit(bd, kind, from, end, other, other, 0);
		else
			emit(bd, kind, other, other, from, end, 0);
	}
}

/* Where a changed run [t0,t1) of one side splits by lines: *head ends
 * the tokens on the line of the kept token before the run, *tail starts
 * those on the line of the kept token after it (t1, unless at the end). */
static void run_parts(const dside *s, size_t t0, size_t t1, size_t *head, size_t *tail)
{
	size_t h = t0, t = t1;

	if (t0 > 0)
		while (h < t1 && s->tok[h].line == s->tok[t0 - 1].line)
			h++;
	if (t1 < s->ntok)
		while (t > h && s->tok[t - 1].line == s->tok[t1].line)
			t--;
	/* a moved block stays one operation */
	while (h > t0 && h < t1 && s->move[h] && s->move[h] == s->move[h - 1])
		h++;
	if (t < h)
		t = h;
	while (t > h && t < t1 && s->move[t] && s->move[t] == s->move[t - 1])
		t--;
	*head = h;
	*tail = t;
}

/* A changed run is written out in three parts: what changed on the
 * sentence (line) where the run starts, whole sentences, and what changed
 * on the sentence where it ends; each part's deletions before its
 * insertions. So an item inserted before a relabelled one reads as
 * `{+b. Commitment ...+}` then `[-b-]{+c+}. Respect ...`, not as the old
 * label deleted before a new line and the new label after it; and each
 * part is a change of its own. */
static void emit_run(builder *bd, size_t *oc, size_t *nc, size_t i0, size_t i, size_t j0, size_t j,
		     size_t oend, size_t nend)
{
	const dside *a = bd->a, *b = bd->b;
	size_t x[4] = {i0, 0, 0, i}, y[4] = {j0, 0, 0, j};
	int parts = 0;

	run_parts(a, i0, i, &x[1], &x[2]);
	run_parts(b, j0, j, &y[1], &y[2]);
	for (int k = 0; k < 3; k++) {
		/* a part ends where the next part's first token starts */
		size_t oe = x[k + 1] < i ? tok_start(a, x[k + 1]) : oend;
		size_t ne = y[k + 1] < j ? tok_start(b, y[k + 1]) : nend;

		if (x[k] == x[k + 1] && y[k] == y[k + 1] && k < 2)
			continue;
		bd->new_part = parts++ > 0;
		emit_side(bd, a, RL_OP_DELETE, *oc, x[k], x[k + 1], oe, *nc);
		*oc = oe;
		emit_side(bd, b, RL_OP_INSERT, *nc, y[k], y[k + 1], ne, *oc);
		*nc = ne;
	}
	bd->new_part = 0;
}

/* How many kept tokens from a's i and b's j on (up to a's stop) are
 * paired in order with the same spaces before each on both sides: what
 * the loop of build_ops would take one token at a time as equal
 * operations that join into one. */
/* Are the len bytes at x and y the same? Inline for the gaps between
 * tokens, a space or none nearly always: memcmp's call a token was a
 * fortieth of comparing two versions a day apart. */
static inline int same_gap(const char *x, const char *y, size_t len)
{
	if (len == 0)
		return 1;
	if (len == 1)
		return x[0] == y[0];
	return memcmp(x, y, len) == 0;
}

static size_t equal_stretch(const builder *bd, size_t i, size_t j, size_t stop)
{
	const dside *a = bd->a, *b = bd->b;
	size_t n = 0;

	for (; i + n < a->ntok && j + n < b->ntok && i + n < stop; n++) {
		size_t x = i + n, y = j + n, ga = x ? a->tok[x - 1].end : 0,
		       gb = y ? b->tok[y - 1].end : 0;

		if (!kept_a(bd, x) || a->match[x] != (int32_t)y ||
		    a->tok[x].start - ga != b->tok[y].start - gb ||
		    !same_gap(a->text + ga, b->text + gb, a->tok[x].start - ga))
			break;
	}
	return n;
}

/* The operations from a's token i and b's j, which start their gaps at
 * the ends of the tokens before them, to a's token stop (a kept token
 * in an equal stretch) or the end. */
static void build_ops_from(builder *bd, size_t i, size_t j, size_t stop)
{
	const dside *a = bd->a, *b = bd->b;
	size_t oc = i ? a->tok[i - 1].end : 0, nc = j ? b->tok[j - 1].end : 0;

	while (i < stop) {
		size_t i0, j0, og, ng, ot, nt, n = equal_stretch(bd, i, j, stop);

		if (n) { /* oc and nc are where tokens i and j start their gaps */
			emit(bd, RL_OP_EQUAL, oc, a->tok[i + n - 1].end, nc, b->tok[j + n - 1].end,
			     0);
			oc = a->tok[i + n - 1].end;
			nc = b->tok[j + n - 1].end;
			i += n, j += n;
			continue;
		}
		i0 = i, j0 = j;

		while (i < a->ntok && !kept_a(bd, i))
			i++;
		while (j < b->ntok && !kept_b(bd, j))
			j++;
		/* Whitespace both sides share before the changed tokens stays
		 * equal, so a change never starts with a space. */
		og = tok_start(a, i0 < i ? i0 : i) - oc;
		ng = tok_start(b, j0 < j ? j0 : j) - nc;
		if (og == ng && memcmp(a->text + oc, b->text + nc, og) == 0) {
			emit(bd, RL_OP_EQUAL, oc, oc + og, nc, nc + ng, 0);
			oc += og;
			nc += ng;
		}
		/* and so does whitespace both share after them */
		ot = i > i0 ? a->tok[i - 1].end : oc;
		nt = j > j0 ? b->tok[j - 1].end : nc;
		if (tok_start(a, i) - ot == tok_start(b, j) - nt &&
		    memcmp(a->text + ot, b->text + nt, tok_start(a, i) - ot) == 0) {
			emit_run(bd, &oc, &nc, i0, i, j0, j, ot, nt);
			emit(bd, RL_OP_EQUAL, ot, tok_start(a, i), nt, tok_start(b, j), 0);
			oc = tok_start(a, i);
			nc = tok_start(b, j);
		} else {
			emit_run(bd, &oc, &nc, i0, i, j0, j, tok_start(a, i), tok_start(b, j));
		}
		if (i == a->ntok || j == b->ntok)
			break;
		emit(bd, RL_OP_EQUAL, oc, a->tok[i].end, nc, b->tok[j].end, 0);
		oc = a->tok[i].end;
		nc = b->tok[j].end;
		i++, j++;
	}
}

/* Can the operations be built in two parts split at a's token i: i and
 * the token before it kept and paired in order, with the same spaces
 * between them on both sides. The operations of one pass then hold an
 * equal one across i, which the two parts end and start (joined after). */
static int splits_at(const builder *bd, size_t i)
{
	const dside *a = bd->a, *b = bd->b;
	size_t j, ga, gb;

	if (i == 0 || i >= a->ntok || !kept_a(bd, i - 1) || !kept_a(bd, i) ||
	    a->match[i] != a->match[i - 1] + 1)
		return 0;
	j = (size_t)a->match[i];
	ga = a->tok[i].start - a->tok[i - 1].end;
	gb = b->tok[j].start - b->tok[j - 1].end;
	return ga == gb &&
	       memcmp(a->text + a->tok[i - 1].end, b->text + b->tok[j - 1].end, ga) == 0;
}

typedef struct ops_half {
	builder bd;
	rl_diff d; /* its operations only */
	size_t i, j;
} ops_half;

static void *build_second_half(void *arg)
{
	ops_half *h = arg;

	build_ops_from(&h->bd, h->i, h->j, SIZE_MAX);
	return NULL;
}

/* Appends the second half's operations to bd's: emitted again, so the
 * two that meet join as they would have in one pass. */
static void join_ops(builder *bd, const ops_half *h)
{
	if (h->bd.failed)
		bd->failed = 1;
	for (size_t k = 0; k < h->d.n_ops && !bd->failed; k++) {
		const rl_op *o = &h->d.ops[k];

		bd->new_part = h->bd.cut[k];
		emit(bd, o->kind, o->old_start, o->old_end, o->new_start, o->new_end, o->move);
	}
	bd->new_part = 0;
}

/* Large texts (DIFF_THREAD_TOKENS) have their operations built in two
 * halves on two threads, where a point to split them is found near the
 * middle, among this many tokens. */
#define OPS_SPLIT_SEARCH 4096

int diff_ops_whole;

static void build_ops(builder *bd)
{
	const dside *a = bd->a;
	ops_half h;
	rl_task *task;
	size_t i = a->ntok / 2, end = i + OPS_SPLIT_SEARCH;

	if (a->ntok + bd->b->ntok >= DIFF_THREAD_TOKENS && !diff_ops_whole) {
		while (i < end && i < a->ntok && !splits_at(bd, i))
			i++;
		if (i < end && i < a->ntok) {
			memset(&h, 0, sizeof(h));
			h.bd.d = &h.d;
			h.bd.a = bd->a;
			h.bd.b = bd->b;
			h.bd.keep = bd->keep;
			h.i = i;
			h.j = (size_t)a->match[i];
			if (rl_task_start(&task, build_second_half, &h) == 0) {
				build_ops_from(bd, 0, 0, i);
				rl_task_join(task);
				join_ops(bd, &h);
				free(h.d.ops);
				free(h.bd.cut);
				return;
			}
		}
	}
	build_ops_from(bd, 0, 0, SIZE_MAX);
}

static size_t line_of(const dside *s, size_t off)
{
	size_t lo = 0, hi = s->nline;

	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->line[mid].start <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo + 1;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* A change's ranges without the whitespace at their ends, unless the
 * change is whitespace and nothing else. */
static void trim(const char *text, size_t *s, size_t *e)
{
	size_t a = *s, b = *e;

	while (a < b && is_ws(text[a]))
		a++;
	while (b > a && is_ws(text[b - 1]))
		b--;
	if (a < b) {
		*s = a;
		*e = b;
	}
}

static int push_change(builder *bd, size_t *cap, const rl_change *c)
{
	rl_diff *d = bd->d;

	if (d->n_changes == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		rl_change *n = realloc(d->changes, ncap * sizeof(*n));

		if (!n)
			return bd->failed = 1, -1;
		d->changes = n;
		*cap = ncap;
	}
	d->changes[d->n_changes++] = *c;
	return 0;
}

static void finish_change(builder *bd, rl_change *c, size_t near[2])
{
	trim(bd->d->old_text.ptr, &c->old_start, &c->old_end);
	trim(bd->d->new_text.ptr, &c->new_start, &c->new_end);
	c->old_line = line_of(bd->a, c->old_start);
	c->new_line = line_of(bd->b, c->new_start);
	diff_classify(bd->a, bd->b, c, near);
}

/* Changes are finished (trimmed, counted, classified) each on its own,
 * reading only the texts and tokens: on two threads when there are many,
 * each taking the next chunk left. */
#define FINISH_CHUNK   64
#define FINISH_THREADS 512 /* changes worth a second thread */

typedef struct finisher {
	builder *bd;
	atomic_size_t next;
} finisher;

static void *finish_some(void *arg)
{
	finisher *f = arg;
	rl_diff *d = f->bd->d;
	size_t k, near[2] = {0, 0};

	while ((k = atomic_fetch_add(&f->next, FINISH_CHUNK)) < d->n_changes)
		for (size_t e = k + FINISH_CHUNK < d->n_changes ? k + FINISH_CHUNK : d->n_changes;
		     k < e; k++)
			finish_change(f->bd, &d->changes[k], near);
	return NULL;
}

static void finish_changes(builder *bd)
{
	finisher f;
	rl_task *task;
	int threaded;

	f.bd = bd;
	atomic_init(&f.next, 0);
	threaded = bd->d->n_changes >= FINISH_THREADS && rl_task_start(&task, finish_some, &f) == 0;
	finish_some(&f);
	if (threaded)
		rl_task_join(task);
}

/* Groups the operations into changes, in the order of the new text: a
 * run of deletions and insertions between equal text is one change; each
 * move is one change, placed where its words arrive. */
static void build_changes(builder *bd, int nmoves)
{
	rl_diff *d = bd->d;
	size_t cap = 0, k = 0;
	size_t *mdel = calloc((size_t)nmoves + 1, sizeof(*mdel));

	if (!mdel) {
		bd->failed = 1;
		return;
	}
	for (size_t o = 0; o < d->n_ops; o++)
		if (d->ops[o].move && d->ops[o].kind == RL_OP_DELETE)
			mdel[d->ops[o].move] = o;
	while (k < d->n_ops && !bd->failed) {
		rl_op *op = &d->ops[k];
		rl_change c;
		int has_del = 0, has_ins = 0;

		if (op->kind == RL_OP_EQUAL || (op->move && op->kind == RL_OP_DELETE)) {
			k++;
			continue;
		}
		memset(&c, 0, sizeof(c));
		if (op->move) {
			rl_op *del = &d->ops[mdel[op->move]];

			c.kind = RL_CHANGE_MOVE;
			c.old_start = del->old_start;
			c.old_end = del->old_end;
			c.new_start = op->new_start;
			c.new_end = op->new_end;
			op->change = del->change = (int)d->n_changes;
			k++;
		} else {
			c.old_start = c.old_end = op->old_start;
			c.new_start = c.new_end = op->new_start;
			/* (ops are only ever emitted beside their cut marks; an
			 * operation without one starts no part) */
			for (size_t k0 = k;
			     k < d->n_ops && d->ops[k].kind != RL_OP_EQUAL && !d->ops[k].move &&
			     (k == k0 || !(bd->cut && bd->cut[k]));
			     k++) {
				rl_op *p = &d->ops[k];

				if (p->kind == RL_OP_DELETE) {
					if (!has_del)
						c.old_start = p->old_start;
					c.old_end = p->old_end;
					c.new_start = c.new_end = p->new_start;
					has_del = 1;
				} else {
					if (!has_ins)
						c.new_start = p->new_start;
					c.new_end = p->new_end;
					if (!has_del)
						c.old_start = c.old_end = p->old_start;
					has_ins = 1;
				}
				p->change = (int)d->n_changes;
			}
			c.kind = has_del && has_ins ? RL_CHANGE_REPLACE
				 : has_del          ? RL_CHANGE_DELETE
						    : RL_CHANGE_INSERT;
		}
		push_change(bd, &cap, &c);
	}
	free(mdel);
	if (!bd->failed)
		finish_changes(bd);
	for (size_t i = 0; i < d->n_changes; i++) {
		if ((int)d->changes[i].cls > (int)d->cls)
			d->cls = d->changes[i].cls;
		d->flags |= d->changes[i].flags;
	}
}

typedef struct counter {
	rl_diff *d;
	const dside *a, *b;
} counter;

static void *count(void *arg)
{
	const counter *c = arg;
	const dside *a = c->a, *b = c->b;
	rl_diff *d = c->d;

	size_t common = 0, moved = 0, deleted = 0, inserted = 0;

	/* without a branch a token: whether a word is kept, moved or gone
	 * follows no pattern a branch predictor learns */
	for (size_t i = 0; i < a->ntok; i++) {
		size_t word = (size_t)tok_is_word(&a->tok[i]), kept = (size_t)(a->match[i] >= 0),
		       went = (size_t)(a->move[i] != 0);

		common += word & kept;
		moved += word & !kept & went;
		deleted += word & !kept & !went;
	}
	for (size_t j = 0; j < b->ntok; j++)
		inserted += (size_t)tok_is_word(&b->tok[j]) & (size_t)(b->match[j] < 0) &
			    (size_t)(b->move[j] == 0);
	d->stats.common += common;
	d->stats.moved += moved;
	d->stats.deleted += deleted;
	d->stats.inserted += inserted;
	return NULL;
}

/* The second thread's part of count_and_clean. */
typedef struct clean_back {
	counter c;
	uint8_t *keep;
	size_t split; /* 0: none, the clean-up is the first thread's */
	int rc;
	rl_error err;
} clean_back;

static void *count_and_clean_back(void *arg)
{
	clean_back *k = arg;

	count(&k->c);
	if (k->split)
		k->rc = diff_cleanup_back(k->c.a, k->c.b, k->keep, k->split, &k->err);
	return NULL;
}

/* The counts of the alignment, and the clean-up for display, read the
 * alignment and write nothing the other reads: for long texts, the
 * counts are taken on a second thread meanwhile (a pass over every
 * token, memory-bound), and then the clean-up of a's last tokens, from a
 * line aligned whole on (diff_cleanup_split), while this thread cleans up
 * the first: the clean-up alone was 3.6 ms of the editions' diff with
 * the other CPU idle. The second thread's share, 2 in 5 of a's tokens,
 * evens out the counting. */
static int count_and_clean(rl_diff *d, const dside *a, const dside *b, uint8_t *keep, rl_error *err)
{
	clean_back k = {{d, a, b}, keep, 0, 0, {0}};
	rl_task *task;
	int threaded = a->ntok + b->ntok >= DIFF_THREAD_TOKENS, rc;

	if (threaded)
		k.split = diff_cleanup_split(a, b, a->ntok - a->ntok * 2 / 5);
	threaded = threaded && rl_task_start(&task, count_and_clean_back, &k) == 0;
	if (!threaded) {
		count(&k.c);
		k.split = 0;
	}
	rc = k.split ? diff_cleanup_front(a, b, keep, k.split, err) : diff_cleanup(a, b, keep, err);
	if (threaded)
		rl_task_join(task);
	if (rc == 0 && k.rc < 0) {
		rc = k.rc;
		if (err)
			*err = k.err;
	}
	return rc;
}

int diff_core(rl_diff *d, const rl_diff_opts *opts, diff_prep *prep, const diff_retoken *retoken,
	      unsigned align_how, rl_error *err)
{
	dintern *toks = NULL;
	dside a, b;
	uint8_t *keep = NULL;
	builder bd = {0};
	int rc = 0, nmoves = 0;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	d->cls = RL_CLASS_NONE;
	if (dintern_new(&toks) < 0 ||
	    dintern_reserve(toks, DIFF_WORDS_GUESS(d->old_text.len + d->new_text.len)) < 0) {
		rc = rl_error_set(err, RL_ENOMEM, "diff: out of memory");
		goto out;
	}
	if ((rc = diff_tokenize_pair(&a, d->old_text.ptr, d->old_text.len, &b, d->new_text.ptr,
				     d->new_text.len, toks, prep, align_how & DIFF_TOKENS_APART,
				     err)) < 0 ||
	    (retoken && (rc = retoken->fn(retoken->ctx, d->new_text.ptr, &a, &b, toks, err)) < 0) ||
	    (rc = diff_align_how(&a, &b, dintern_count(toks),
				 diff_align_threads(&a, &b) | (align_how & ~DIFF_TOKENS_APART),
				 err)) < 0)
		goto out;
	diff_slide(&a, &b);
	diff_labels_restore(&a, &b, toks);
	if ((rc = diff_labels_follow(&a, &b, err)) < 0)
		goto out;
	diff_whole_lines(&a, &b);
	if (!(opts && opts->no_moves) &&
	    ((rc = nmoves = diff_find_moves(&a, &b, err)) < 0 ||
	     (rc = diff_realign(&a, &b, dintern_count(toks), err)) < 0 ||
	     (rc = diff_labels_follow(&a, &b, err)) < 0))
		goto out;
	keep = malloc(a.ntok + 1);
	if (!keep) {
		rc = rl_error_set(err, RL_ENOMEM, "diff: out of memory");
		goto out;
	}
	if ((rc = count_and_clean(d, &a, &b, keep, err)) < 0)
		goto out;
	memset(&bd, 0, sizeof(bd));
	bd.d = d;
	bd.a = &a;
	bd.b = &b;
	bd.keep = keep;
	build_ops(&bd);
	if (!bd.failed)
		build_changes(&bd, nmoves);
	if (!bd.failed && diff_drop_unchanged(d) < 0)
		bd.failed = 1;
	rc = bd.failed ? rl_error_set(err, RL_ENOMEM, "diff: out of memory") : 0;
out:
	free(bd.cut);
	free(keep);
	dside_free(&a);
	dside_free(&b);
	dintern_free(toks);
	return rc;
}

/* The diff of d's texts, set already; frees d on error. */
static int diff_run(rl_diff **out, rl_diff *d, const rl_diff_opts *opts, diff_prep *prep,
		    const diff_retoken *retoken, rl_error *err)
{
	int rc = diff_condensed(d, opts, prep, retoken, err);

	if (rc == 0 || rc == DIFF_CONDENSE_APART)
		rc = diff_core(d, opts, prep, retoken, rc ? DIFF_TOKENS_APART : 0, err);
	if (rc < 0) {
		rl_diff_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

int rl_diff_texts(rl_diff **out, const char *old_text, size_t old_len, const char *new_text,
		  size_t new_len, const rl_diff_opts *opts, rl_error *err)
{
	return diff_texts_made(out, old_text, old_len, new_text, new_len, opts, NULL, err);
}

int diff_texts_made(rl_diff **out, const char *old_text, size_t old_len, const char *new_text,
		    size_t new_len, const rl_diff_opts *opts, diff_prep *prep, rl_error *err)
{
	rl_diff *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d)
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory");
	if (rl_buf_set(&d->old_text, old_text ? old_text : "", old_text ? old_len : 0) < 0 ||
	    rl_buf_set(&d->new_text, new_text ? new_text : "", new_text ? new_len : 0) < 0) {
		rl_diff_free(d);
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory");
	}
	return diff_run(out, d, opts, prep, NULL, err);
}

int diff_texts_taking(rl_diff **out, rl_buf *old_text, rl_buf *new_text, const rl_diff_opts *opts,
		      diff_prep *prep, const diff_retoken *retoken, rl_error *err)
{
	rl_diff *d;

	*out = NULL;
	if (old_text->failed || new_text->failed || !(d = calloc(1, sizeof(*d))))
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory");
	d->old_text = *old_text;
	d->new_text = *new_text;
	rl_buf_init(old_text);
	rl_buf_init(new_text);
	/* an empty text is still a string */
	if (rl_buf_grow(&d->old_text, 0) < 0 || rl_buf_grow(&d->new_text, 0) < 0) {
		rl_diff_free(d);
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory");
	}
	d->old_text.ptr[d->old_text.len] = '\0';
	d->new_text.ptr[d->new_text.len] = '\0';
	return diff_run(out, d, opts, prep, retoken, err);
}

void rl_diff_free(rl_diff *d)
{
	if (!d)
		return;
	rl_buf_free(&d->old_text);
	rl_buf_free(&d->new_text);
	free(d->changes);
	free(d->ops);
	free(d);
}

size_t rl_diff_words_changed(const rl_diff *d)
{
	size_t n = 0;

	/* A replacement of three words by four is four words changed, as a
	 * reader counts them, not seven. */
	for (size_t i = 0; d && i < d->n_changes; i++) {
		const rl_change *c = &d->changes[i];

		if (c->kind != RL_CHANGE_MOVE)
			n += c->old_words > c->new_words ? c->old_words : c->new_words;
	}
	return n;
}
