/* Two versions a day apart share nearly every line: most of the work of
 * a diff (tokens, their alignment, moves, counts) would go to stretches
 * of lines that are the same in both. git's word diff diffs the lines
 * first and words only inside the lines that changed; so does this, for
 * texts that share most of their lines. Their lines are aligned (on the
 * lines each has once, align_lines), and the middle of each long
 * stretch of equal lines is cut out of both texts, CONDENSE_CONTEXT
 * lines kept at each side of it: the diff of what is left is the diff
 * of the whole (what a change is aligned with, moved to or slid along
 * lies within those lines, or in another change, which is kept), and
 * each stretch cut out is put back into the equal operation around it,
 * its words counted as common. Where the diff of what is left does not
 * keep a cut inside one equal operation, the cut was not as equal as
 * its lines: it goes back into the texts and what is left is diffed
 * again, CONDENSE_TRIES times at most, then the whole texts are
 * (test-diff holds the two to the same result). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "redline/thread.h"

#include "diff-tokens.h"
#include "lis.h"

/* Equal lines kept before and after each change: the move search looks
 * at whole sentences, a short line's twin is looked for within 64 lines
 * (diff-wholelines.c) but only among lines that changed. */
#define CONDENSE_CONTEXT 24
/* Equal lines a stretch needs, besides its context, to be cut out. */
#define CONDENSE_MIN_CUT 16

/* Tries at diffing what is left, a cut it did not keep equal put back
 * in the text each time, before the whole texts are diffed. */
#define CONDENSE_TRIES 4
#define NOT_COUNTED    SIZE_MAX
/* Slots an index lookup goes through at most (line_print). */
#define PROBES_MAX 32
/* b's lines share_guess looks for in a. */
#define GUESS_LINES 256
#define COUNT_PIECE ((size_t)64 << 10) /* bytes of a cut counted at a time */

size_t diff_condense_min = (size_t)256 << 10;
int diff_condense_refuse;

/* A text's lines: line l is [start[l], start[l + 1]), its newline
 * included; id[l] the same for equal lines (of both texts). */
typedef struct text_lines {
	const char *text;
	size_t len;
	uint32_t *start; /* n + 1 */
	uint64_t *print; /* line_print */
	uint32_t *id;
	size_t n;
} text_lines;

/* A stretch of equal lines cut out: where, in the texts left (at) and in
 * the whole ones (from), its bytes, lines and words, and the operation
 * that takes it back. */
typedef struct cut {
	size_t at_a, at_b;
	size_t from_a, from_b;
	size_t bytes, lines, words;
	size_t op;
} cut;

typedef struct condense {
	text_lines a, b;
	uint32_t *slots; /* a's lines by print: line + 1, 0 empty */
	size_t nslots;
	cut *cuts;
	size_t ncuts;
	size_t refused; /* the cut the diff of what was left did not keep equal */
} condense;

static void lines_free(text_lines *t)
{
	free(t->start);
	free(t->print);
	free(t->id);
}

static uint32_t line_len(const text_lines *t, size_t l)
{
	return t->start[l + 1] - t->start[l];
}

/* A line's print: its length and its bytes at both ends and in the
 * middle, not a hash of all its bytes (a pass over the text, 0.3 ms a
 * megabyte). Lines alike there print alike: the guess takes them for
 * the same, the index compares their bytes, and a line whose print has
 * more than PROBES_MAX others before it in the index is taken as one
 * of its own (no cut holds it), however many lines print alike. */
static uint64_t line_print(const char *p, size_t len)
{
	uint64_t w[3] = {0, 0, 0}, h = len * 0x9e3779b97f4a7c15ULL;

	if (len >= 8) {
		memcpy(&w[0], p, 8);
		memcpy(&w[1], p + len / 2 - 4, 8);
		memcpy(&w[2], p + len - 8, 8);
	} else {
		memcpy(&w[0], p, len);
	}
	for (int k = 0; k < 3; k++)
		h = (h ^ (h >> 29) ^ w[k]) * 0xbf58476d1ce4e5b9ULL;
	return (h ^ (h >> 32)) | 1; /* 0: an empty slot */
}

static int lines_split(text_lines *t, const char *text, size_t len)
{
	size_t cap = len / 32 + 16, n = 0;
	const char *p = text, *end = text + len, *nl;

	t->text = text;
	t->len = len;
	if (!(t->start = malloc(cap * sizeof(*t->start))))
		return -1;
	while (p < end) {
		if (n + 2 > cap) {
			uint32_t *more = realloc(t->start, 2 * cap * sizeof(*more));

			if (!more)
				return -1;
			t->start = more;
			cap *= 2;
		}
		t->start[n++] = (uint32_t)(p - text);
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	t->start[n] = (uint32_t)len;
	t->n = n;
	t->print = malloc((n + 1) * sizeof(*t->print));
	t->id = malloc((n + 1) * sizeof(*t->id));
	if (!t->print || !t->id)
		return -1;
	for (size_t l = 0; l < n; l++)
		t->print[l] = line_print(text + t->start[l], line_len(t, l));
	return 0;
}

/* Is t's line l the len bytes at p, of print v? */
static int line_is(const text_lines *t, size_t l, const char *p, size_t len, uint64_t v)
{
	return t->print[l] == v && line_len(t, l) == len &&
	       memcmp(t->text + t->start[l], p, len) == 0;
}

/* a's lines indexed by their bytes: equal lines the id of the first. */
static int index_a(condense *c)
{
	text_lines *a = &c->a;

	c->nslots = 16;
	while (c->nslots < 2 * a->n)
		c->nslots *= 2;
	if (!(c->slots = calloc(c->nslots, sizeof(*c->slots))))
		return -1;
	for (size_t l = 0; l < a->n; l++) {
		size_t j = a->print[l] & (c->nslots - 1), probes = 0;
		uint32_t k;

		while ((k = c->slots[j]) != 0 &&
		       !line_is(a, k - 1, a->text + a->start[l], line_len(a, l), a->print[l]) &&
		       ++probes < PROBES_MAX)
			j = (j + 1) & (c->nslots - 1);
		if (!k)
			c->slots[j] = (uint32_t)l + 1;
		a->id[l] = k && probes < PROBES_MAX ? a->id[k - 1] : (uint32_t)l;
	}
	return 0;
}

/* a's line with the len bytes at p (print v), or -1. */
static long find_line(const condense *c, const char *p, size_t len, uint64_t v)
{
	const text_lines *a = &c->a;
	size_t j = v & (c->nslots - 1), probes = 0;
	uint32_t k;

	for (; (k = c->slots[j]) != 0 && probes++ < PROBES_MAX; j = (j + 1) & (c->nslots - 1))
		if (line_is(a, k - 1, p, len, v))
			return (long)k - 1;
	return -1;
}

/* b's line l's id: a's for the same bytes, else one of its own. */
static size_t find_b(condense *c, size_t l)
{
	text_lines *b = &c->b;
	long k = find_line(c, b->text + b->start[l], line_len(b, l), b->print[l]);

	b->id[l] = k >= 0 ? c->a.id[k] : (uint32_t)(c->a.n + l);
	return k >= 0 ? line_len(b, l) : 0;
}

/* A masked label's code, private use (report-items.c), rewritten once
 * the items' ids are carried: UTF-8 of U+E000..U+F8FF starts 0xEE or
 * 0xEF. */
static int may_hold_code(const text_lines *t, size_t l)
{
	unsigned char c = (unsigned char)t->text[t->start[l]];

	return line_len(t, l) > 0 && (c == 0xEE || c == 0xEF);
}

/* Whether cutting out bytes spares enough work to be worth it. */
static int enough_cut(const condense *c, size_t bytes)
{
	return c->ncuts > 0 && bytes >= c->a.len / 4;
}

/* The lines aligned (ma[i]: b's line of a's line i, or -1) on the
 * lines each text has once (Heckel's and patience diff's anchors): the
 * longest run of them in the same order in both (patience sorting, n log
 * n), each grown over the equal lines next to it (blank lines, repeated
 * headings). Cheap where lines moved: shuffled blocks, which Myers with
 * a cost bound took 6 ms over on an edition, and half a second on 16 MB
 * of lines shuffled, before finding nothing to cut. */
static int align_lines(const condense *c, int32_t *ma)
{
	const text_lines *a = &c->a, *b = &c->b;
	size_t nid = a->n + b->n, n = 0;
	/* per id, its lines in a and in b: 0, 1 or 2 for more */
	uint8_t *in_a = calloc(nid + 1, 1), *in_b = calloc(nid + 1, 1), *keep = NULL;
	/* the unique pairs in b's order: a's line, b's line */
	size_t *ua = malloc((b->n + 1) * sizeof(*ua)), *ub = malloc((b->n + 1) * sizeof(*ub));
	int rc = -1;

	if (!in_a || !in_b || !ua || !ub)
		goto out;
	for (size_t i = 0; i < a->n; i++)
		in_a[a->id[i]] += in_a[a->id[i]] < 2;
	for (size_t j = 0; j < b->n; j++)
		in_b[b->id[j]] += in_b[b->id[j]] < 2;
	/* once in each: a's line is its id (the first line of its bytes) */
	for (size_t j = 0; j < b->n; j++) {
		if (in_a[b->id[j]] == 1 && in_b[b->id[j]] == 1) {
			ua[n] = b->id[j];
			ub[n++] = j;
		}
	}
	/* the longest run of them in the same order in both, then grown */
	if (!(keep = calloc(n + 1, 1)) || lis_mark(ua, n, keep) < 0)
		goto out;
	for (size_t k = 0; k < n; k++)
		if (keep[k])
			ma[ua[k]] = (int32_t)ub[k];
	{
		size_t pi = 0, pj = 0;

		for (size_t i = 0; i < a->n; i++) {
			size_t j, e;

			if (ma[i] < 0)
				continue;
			j = (size_t)ma[i];
			/* back to where the last anchor's growth ended (the lines
			 * between are taken by none: anchors are in order) */
			for (e = 1; i >= pi + e && j >= pj + e && a->id[i - e] == b->id[j - e]; e++)
				ma[i - e] = (int32_t)(j - e);
			/* on to the next anchor: its line in b is a's once, at
			 * its line in a, which stops the growth there too */
			for (e = 1; i + e < a->n && j + e < b->n && ma[i + e] < 0 &&
				    a->id[i + e] == b->id[j + e];
			     e++)
				ma[i + e] = (int32_t)(j + e);
			i += e - 1;
			pi = i + 1;
			pj = (size_t)ma[i] + 1;
		}
	}
	rc = 0;
out:
	free(in_a);
	free(in_b);
	free(keep);
	free(ua);
	free(ub);
	return rc;
}

/* The stretches of equal lines to cut, from the lines' alignment. */
static int find_cuts(condense *c, const int32_t *ma)
{
	const text_lines *a = &c->a, *b = &c->b;
	size_t cap = 16, i = 0, bytes = 0;

	c->ncuts = 0;
	if (!(c->cuts = malloc(cap * sizeof(*c->cuts))))
		return -1;
	while (i < a->n) {
		size_t i1 = i, l0, l1;

		if (ma[i] < 0) {
			i++;
			continue;
		}
		while (i1 + 1 < a->n && ma[i1 + 1] == ma[i1] + 1)
			i1++;
		i1++; /* lines [i, i1) of a equal [ma[i], ma[i] + (i1 - i)) of b */
		l0 = i + CONDENSE_CONTEXT;
		l1 = i1 - CONDENSE_CONTEXT;
		/* the texts' last lines stay: they may lack a newline */
		if (i1 >= a->n || (size_t)ma[i] + (i1 - i) >= b->n)
			l1 = l1 > 1 ? l1 - 1 : 0;
		if (i1 - i >= 2 * CONDENSE_CONTEXT + CONDENSE_MIN_CUT && l1 > l0) {
			cut *k;

			if (c->ncuts == cap) {
				cut *more = realloc(c->cuts, 2 * cap * sizeof(*more));

				if (!more)
					return -1;
				c->cuts = more;
				cap *= 2;
			}
			k = &c->cuts[c->ncuts++];
			*k = (cut){.from_a = a->start[l0],
				   .from_b = b->start[(size_t)ma[l0]],
				   .bytes = a->start[l1] - a->start[l0],
				   .lines = l1 - l0,
				   .words = NOT_COUNTED};
			bytes += k->bytes;
		}
		i = i1;
	}
	return enough_cut(c, bytes);
}

/* The texts left once the cuts are out, and where each cut was. */
static int cut_out(condense *c, rl_buf *ta, rl_buf *tb)
{
	size_t pa = 0, pb = 0;

	for (size_t k = 0; k < c->ncuts; k++) {
		cut *x = &c->cuts[k];

		rl_buf_put(ta, c->a.text + pa, x->from_a - pa);
		rl_buf_put(tb, c->b.text + pb, x->from_b - pb);
		x->at_a = ta->len;
		x->at_b = tb->len;
		pa = x->from_a + x->bytes;
		pb = x->from_b + x->bytes;
	}
	rl_buf_put(ta, c->a.text + pa, c->a.len - pa);
	rl_buf_put(tb, c->b.text + pb, c->b.len - pb);
	return ta->failed || tb->failed ? -1 : 0;
}

/* The words of the cuts, counted while what is left is diffed (for two
 * versions of an edition, a megabyte of text against a tenth of one): in
 * pieces of whole lines, taken in turn by a thread of their own from the
 * start and by this one once it is done with the diff. */
typedef struct piece {
	size_t from, to, cut, words;
} piece;

typedef struct counting {
	const condense *c;
	piece *p;
	size_t n;
	atomic_size_t next;
} counting;

/* A thread's share: 0 or an error, said in err. */
typedef struct counter_share {
	counting *k;
	rl_error err;
	int rc;
} counter_share;

static void *count_pieces(void *arg)
{
	counter_share *sh = arg;
	counting *k = sh->k;
	word_counter wc;
	size_t i;

	rl_error_clear(&sh->err);
	if ((sh->rc = diff_word_counter_init(&wc, k->c->a.text, k->c->a.len, &sh->err)) < 0)
		return NULL;
	while (sh->rc == 0 && (i = atomic_fetch_add(&k->next, 1)) < k->n)
		sh->rc = diff_word_counter_count(&wc, k->p[i].from, k->p[i].to, &k->p[i].words);
	diff_word_counter_close(&wc);
	return NULL;
}

/* The pieces of the cuts not counted yet (a try before counted some). */
static int cut_pieces(const condense *c, counting *k)
{
	size_t cap = 16;

	k->n = 0;
	atomic_init(&k->next, 0);
	if (!(k->p = malloc(cap * sizeof(*k->p))))
		return -1;
	for (size_t i = 0; i < c->ncuts; i++) {
		const cut *x = &c->cuts[i];
		size_t at = x->from_a, end = x->from_a + x->bytes;

		if (x->words != NOT_COUNTED)
			continue;
		while (at < end) {
			const char *nl = NULL;
			size_t to = end;

			if (end - at > COUNT_PIECE && (nl = memchr(c->a.text + at + COUNT_PIECE,
								   '\n', end - at - COUNT_PIECE)))
				to = (size_t)(nl + 1 - c->a.text);
			if (k->n == cap) {
				piece *more = realloc(k->p, 2 * cap * sizeof(*more));

				if (!more)
					return -1;
				k->p = more;
				cap *= 2;
			}
			k->p[k->n++] = (piece){at, to, i, 0};
			at = to;
		}
	}
	return 0;
}

/* Each cut taken back by the equal operation of d (the diff of what was
 * left) holding its place on both sides, at the same place in both;
 * the operations set over the whole texts. 0, or -1 where a cut is in
 * no such operation (c->refused says which). */
static int put_back_ops(condense *c, rl_diff *d)
{
	size_t k = 0, shift = 0;

	if (diff_condense_refuse > 0 && c->ncuts > 0) {
		c->refused = (size_t)--diff_condense_refuse % c->ncuts;
		return -1;
	}
	for (size_t i = 0; i < d->n_ops; i++) {
		rl_op *op = &d->ops[i];
		size_t os = op->old_start, ns = op->new_start;

		if (k < c->ncuts && (c->cuts[k].at_a < os || c->cuts[k].at_b < ns)) {
			c->refused = k; /* passed, and no operation took it */
			return -1;
		}
		op->old_start += shift;
		op->new_start += shift;
		while (k < c->ncuts && op->kind == RL_OP_EQUAL && c->cuts[k].at_a <= op->old_end &&
		       c->cuts[k].at_b <= op->new_end &&
		       c->cuts[k].at_a - os == c->cuts[k].at_b - ns) {
			c->cuts[k].op = i;
			shift += c->cuts[k++].bytes;
		}
		op->old_end += shift;
		op->new_end += shift;
	}
	c->refused = k;
	return k == c->ncuts ? 0 : -1;
}

/* Where offset x of the text left (side 0: old, 1: new), and the line
 * it is on, are in the whole text: after each cut before it, and after
 * one at x when the operation taking that cut ends at x (an offset
 * after those lines). ops are d's, set over the whole texts already. */
static void put_back(const condense *c, const rl_diff *d, int side, size_t *x, size_t *line)
{
	size_t bytes = 0, lines = 0, at;

	for (size_t k = 0; k < c->ncuts; k++) {
		const cut *u = &c->cuts[k];
		const rl_op *op = &d->ops[u->op];

		at = side ? u->at_b : u->at_a;
		if (at > *x)
			break;
		if (at == *x && (side ? op->new_end : op->old_end) != at + bytes + u->bytes)
			break;
		bytes += u->bytes;
		lines += u->lines;
	}
	*x += bytes;
	if (line)
		*line += lines;
}

static void put_back_changes(const condense *c, rl_diff *d)
{
	for (size_t i = 0; i < d->n_changes; i++) {
		rl_change *ch = &d->changes[i];
		size_t os = ch->old_start, ns = ch->new_start;

		put_back(c, d, 0, &ch->old_start, &ch->old_line);
		put_back(c, d, 1, &ch->new_start, &ch->new_line);
		/* an empty range stays where it starts */
		ch->old_end = ch->old_end == os ? ch->old_start : ch->old_end;
		ch->new_end = ch->new_end == ns ? ch->new_start : ch->new_end;
		if (ch->old_end != ch->old_start)
			put_back(c, d, 0, &ch->old_end, NULL);
		if (ch->new_end != ch->new_start)
			put_back(c, d, 1, &ch->new_end, NULL);
	}
}

/* The cut refused put back in the texts; whether the others still
 * leave out enough to be worth a try. */
static int refuse_cut(condense *c)
{
	size_t bytes = 0;

	if (c->refused >= c->ncuts)
		return 0;
	memmove(&c->cuts[c->refused], &c->cuts[c->refused + 1],
		(c->ncuts - c->refused - 1) * sizeof(*c->cuts));
	c->ncuts--;
	for (size_t k = 0; k < c->ncuts; k++)
		bytes += c->cuts[k].bytes;
	return enough_cut(c, bytes);
}

static void condense_free(condense *c)
{
	lines_free(&c->a);
	lines_free(&c->b);
	free(c->slots);
	free(c->cuts);
}

/* Whether b looks like it shares most of its bytes with a: a's lines
 * split and indexed (what share_most needs of a), and GUESS_LINES of
 * b's, evenly spread, looked for among them. Two editions years apart,
 * which share few lines, are told without b's lines: 0.2 ms where the
 * whole pass was 0.9 ms. -1 without memory. */
static int share_guess(condense *c, const rl_diff *d)
{
	const char *b = d->new_text.ptr, *nl;
	size_t bl = d->new_text.len, found = 0, seen = 0;

	if (lines_split(&c->a, d->old_text.ptr, d->old_text.len) < 0 || index_a(c) < 0)
		return -1;
	for (size_t k = 0; k < GUESS_LINES; k++) {
		const char *p = b + k * bl / GUESS_LINES;
		size_t len;

		/* the line that starts there or next, its newline included */
		if (p > b && p[-1] != '\n' && !(p = memchr(p, '\n', (size_t)(b + bl - p))))
			break;
		p += p > b && *p == '\n';
		nl = memchr(p, '\n', (size_t)(b + bl - p));
		len = nl ? (size_t)(nl + 1 - p) : (size_t)(b + bl - p);
		seen += len;
		if (find_line(c, p, len, line_print(p, len)) >= 0)
			found += len;
	}
	return found * 2 >= seen && seen > 0;
}

/* b's lines split and found in a's (split and indexed by share_guess);
 * whether they share enough to go on (most of b's bytes). */
static int share_most(condense *c, const rl_diff *d)
{
	size_t found = 0;

	if (lines_split(&c->b, d->new_text.ptr, d->new_text.len) < 0)
		return -1;
	for (size_t l = 0; l < c->b.n; l++)
		found += find_b(c, l);
	return found * 2 >= c->b.len;
}

static int no_memory(rl_error *err)
{
	return rl_error_set(err, RL_ENOMEM, "diff: out of memory");
}

/* The diff of what is left, its cuts put back into d: 1; 0 where
 * nothing was done (texts that share too little, a cut no equal
 * operation took), and then the whole texts are diffed. */
static int diff_left(condense *c, rl_diff *d, const rl_diff_opts *opts, diff_prep *prep,
		     rl_error *err)
{
	rl_diff *left = calloc(1, sizeof(*left));
	counting count = {c, NULL, 0, 0};
	counter_share own = {&count, {0}, 0}, second = {&count, {0}, 0};
	rl_task *task;
	int rc, threaded;

	if (!left || cut_out(c, &left->old_text, &left->new_text) < 0 ||
	    cut_pieces(c, &count) < 0) {
		rc = no_memory(err);
		goto out;
	}
	threaded = rl_task_start(&task, count_pieces, &second) == 0;
	rc = diff_core(left, opts, prep, NULL, DIFF_ALIGN_ANCHORED, err);
	count_pieces(&own);
	if (threaded)
		rl_task_join(task);
	for (size_t i = 0; i < count.n; i++) {
		cut *x = &c->cuts[count.p[i].cut];

		x->words = (x->words == NOT_COUNTED ? 0 : x->words) + count.p[i].words;
	}
	if (rc == 0 && (own.rc < 0 || (threaded && second.rc < 0))) {
		*err = own.rc < 0 ? own.err : second.err;
		rc = own.rc < 0 ? own.rc : second.rc;
	}
	if (rc < 0)
		goto out;
	rc = 0;
	if (put_back_ops(c, left) < 0)
		goto out;
	put_back_changes(c, left);
	d->stats = left->stats;
	for (size_t i = 0; i < c->ncuts; i++)
		d->stats.common += c->cuts[i].words;
	d->ops = left->ops;
	d->n_ops = left->n_ops;
	d->changes = left->changes;
	d->n_changes = left->n_changes;
	d->cls = left->cls;
	d->flags = left->flags;
	left->ops = NULL;
	left->changes = NULL;
	rc = 1;
out:
	free(count.p);
	rl_diff_free(left);
	return rc;
}

int diff_condensed(rl_diff *d, const rl_diff_opts *opts, diff_prep *prep,
		   const diff_retoken *retoken, rl_error *err)
{
	condense c;
	int32_t *ma = NULL;
	int rc;

	if (d->old_text.len < diff_condense_min || d->new_text.len < diff_condense_min ||
	    d->old_text.len > DIFF_MAX_TEXT || d->new_text.len > DIFF_MAX_TEXT ||
	    (retoken && !retoken->text))
		return 0;
	memset(&c, 0, sizeof(c));
	if ((rc = share_guess(&c, d)) <= 0 || (rc = share_most(&c, d)) <= 0) {
		rc = rc < 0 ? no_memory(err) : DIFF_CONDENSE_APART;
		goto out;
	}
	/* the new text's codes as they will be, and its lines holding them
	 * found again */
	if (retoken) {
		if ((rc = retoken->text(retoken->ctx, d->new_text.ptr, err)) < 0)
			goto out;
		for (size_t l = 0; l < c.b.n; l++) {
			if (may_hold_code(&c.b, l)) {
				c.b.print[l] =
				    line_print(c.b.text + c.b.start[l], line_len(&c.b, l));
				find_b(&c, l);
			}
		}
	}
	ma = malloc((c.a.n + 1) * sizeof(*ma));
	if (!ma) {
		rc = no_memory(err);
		goto out;
	}
	memset(ma, 0xff, (c.a.n + 1) * sizeof(*ma));
	if (align_lines(&c, ma) < 0 || (rc = find_cuts(&c, ma)) < 0) {
		rc = no_memory(err);
		goto out;
	}
	for (int try = 1; rc > 0; try++) {
		if ((rc = diff_left(&c, d, opts, prep, err)) != 0)
			break;
		/* the stretch goes back in, and what is left is diffed again
		 * while the cuts still spare most of the work */
		rc = try < CONDENSE_TRIES ? refuse_cut(&c) : 0;
	}
out:
	free(ma);
	condense_free(&c);
	return rc;
}
