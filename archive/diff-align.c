/* Alignment of two token sequences, near the longest common subsequence
 * at a fraction of its cost. Equal ends are taken first. A large region
 * is anchored on exact runs: every word that occurs once in each side of
 * the region is extended into the run of equal tokens around it (so a
 * sentence or paragraph that survived is one run, whatever its words),
 * and the heaviest chain of runs in order on both sides is kept; the gaps
 * between runs are aligned again the same way. Regions small enough are
 * solved exactly (bit-parallel LCS, Myers below that); a region too large
 * to solve and with nothing left to anchor on goes to Myers with a cost
 * bound. Every step is linear, n log n or bounded by the area of small
 * regions, so there is no quadratic cliff on documents that share
 * nothing.
 *
 * Sentence-first anchoring (patience diff on whole lines) was measured
 * and dropped: on the 2018 -> 2020 editions it kept 15% fewer common
 * words, because a chain of identical sentences cannot see the partial
 * matches of rewritten ones and so follows moved blocks. Runs through
 * unique words include every surviving sentence anyway. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "redline/thread.h"
#include "redline/util.h"

#include "diff-internal.h"

#define MAX_DEPTH     48
#define EXACT_PRODUCT ((uint64_t)1 << 22) /* n*m below which Myers runs exact */
#define EXACT_SUM     3000                /* or n+m below this */
#define LCS_AREA      ((uint64_t)1 << 28) /* regions solved exactly, 64 cells a step */
#define LCS_SHORTER   16384               /* bits: masks cost distinct words x this */
#define THREAD_TOKENS 20000               /* tokens of both sides worth a second thread */

typedef struct run {
	int32_t a, b, len; /* a[a..a+len) == b[b..b+len) */
	int64_t w;
} run;

typedef struct aligner {
	dside *a, *b;
	uint32_t *cnt_a, *cnt_b; /* per id, zero between uses */
	int32_t *pos_a, *pos_b;
	int32_t *slot; /* per token id, -1: scratch for diff_lcs */
	size_t nt;     /* entries of each of these */
	unsigned how;  /* DIFF_ALIGN_* */
	int failed;
} aligner;

/* One gap between the runs of a chain, to be aligned. */
typedef struct gap {
	int32_t x0, x1, y0, y1;
	uint64_t area;
} gap;

/* Gaps shared by two threads, each taking the next one not taken. */
typedef struct gapq {
	gap *g;
	size_t n;
	atomic_size_t next;
} gapq;

typedef struct worker {
	aligner al;
	gapq *q;
} worker;

static void match_run(aligner *al, int32_t i, int32_t j, int32_t len)
{
	for (int32_t k = 0; k < len; k++) {
		al->a->match[i + k] = j + k;
		al->b->match[j + k] = i + k;
	}
}

static int cmp_end(const void *x, const void *y, void *ctx)
{
	const run *r = ctx;
	int32_t p = r[*(const int32_t *)x].a + r[*(const int32_t *)x].len;
	int32_t q = r[*(const int32_t *)y].a + r[*(const int32_t *)y].len;

	return (p > q) - (p < q);
}

/* The Fenwick tree of chain(): for each node, the best chain weight
 * inserted under it and the run that ends that chain. Dense, an entry
 * per position of the range; or, when the runs are few for the range,
 * only the nodes written, in a hash table: the top region of two
 * editions has 408 runs over 197k positions, and the dense tree's 2.4 MB
 * of fresh pages, nearly all of them touched by the updates, took a millisecond
 * of page faults. A node never written reads as weight 0, as in the
 * dense tree, so the chain is the same either way. */
typedef struct tree {
	int64_t *val;
	int32_t *idx;
	uint32_t *key; /* sparse: the node of each slot, 0 for none */
	size_t mask;   /* sparse: slots - 1 */
} tree;

static int tree_init(tree *t, int32_t size, int32_t nruns, unsigned how)
{
	size_t levels = 1, slots = 1, need;

	memset(t, 0, sizeof(*t));
	while (((size_t)1 << levels) <= (size_t)size)
		levels++;
	need = 2 * (size_t)nruns * levels; /* an insert writes at most levels nodes */
	if (how & DIFF_ALIGN_SPARSE || (!(how & DIFF_ALIGN_DENSE) && need < (size_t)size / 4)) {
		while (slots < need)
			slots *= 2;
		t->mask = slots - 1;
		t->key = calloc(slots, sizeof(*t->key));
	} else {
		slots = (size_t)size + 1;
	}
	t->val = calloc(slots, sizeof(*t->val));
	t->idx = malloc(slots * sizeof(*t->idx));
	return t->val && t->idx && (t->key || !t->mask) ? 0 : -1;
}

static void tree_free(tree *t)
{
	free(t->val);
	free(t->idx);
	free(t->key);
}

/* The slot of node p; in a sparse tree, the empty slot where it would
 * go when it was never written. */
static size_t tree_slot(const tree *t, uint32_t p)
{
	size_t k;

	if (!t->key)
		return p;
	for (k = (size_t)(uint32_t)(p * 0x9e3779b1u) & t->mask; t->key[k] && t->key[k] != p;
	     k = (k + 1) & t->mask)
		;
	return k;
}

/* Heaviest chain of runs increasing and non-overlapping on both sides.
 * Runs are sorted by a; a Fenwick tree over b ends gives, for each run,
 * the best chain that ends before it on both sides. Returns the chain
 * length; the chain's indices go into out in order. */
static int32_t chain(run *r, int32_t n, int32_t blo, int32_t bhi, unsigned how, int32_t *out)
{
	int32_t size = bhi - blo + 2, *by_end = NULL, *prev = NULL;
	int64_t *best = NULL, top = 0;
	int32_t topi = -1, done = 0, len = 0;
	tree t;

	by_end = malloc((size_t)n * sizeof(*by_end));
	prev = malloc((size_t)n * sizeof(*prev));
	best = malloc((size_t)n * sizeof(*best));
	if (tree_init(&t, size, n, how) < 0 || !by_end || !prev || !best) {
		len = -1;
		goto out;
	}
	for (int32_t i = 0; i < n; i++)
		by_end[i] = i;
	/* Insertion into the tree waits until a run's a-end is behind the
	 * current run's start: by_end orders runs by a-end. */
	qsort_r(by_end, (size_t)n, sizeof(*by_end), cmp_end, r);
	for (int32_t i = 0; i < n; i++) {
		int64_t bv = 0;
		int32_t bi = -1;

		for (; done < n && r[by_end[done]].a + r[by_end[done]].len <= r[i].a; done++) {
			int32_t q = by_end[done];

			for (int32_t p = r[q].b + r[q].len - blo + 1; p <= size; p += p & -p) {
				size_t k = tree_slot(&t, (uint32_t)p);

				if (best[q] > t.val[k]) {
					if (t.key)
						t.key[k] = (uint32_t)p;
					t.val[k] = best[q];
					t.idx[k] = q;
				}
			}
		}
		for (int32_t p = r[i].b - blo + 1; p > 0; p -= p & -p) {
			size_t k = tree_slot(&t, (uint32_t)p);

			if (t.val[k] > bv) {
				bv = t.val[k];
				bi = t.idx[k];
			}
		}
		best[i] = bv + r[i].w;
		prev[i] = bi;
		if (best[i] > top) {
			top = best[i];
			topi = i;
		}
	}
	for (int32_t i = topi; i >= 0; i = prev[i])
		len++;
	for (int32_t i = topi, k = len; i >= 0; i = prev[i])
		out[--k] = i;
out:
	free(by_end);
	free(prev);
	free(best);
	tree_free(&t);
	return len;
}

static int cmp_run(const void *x, const void *y)
{
	const run *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

static void tok_align(aligner *al, int32_t x0, int32_t x1, int32_t y0, int32_t y1, int depth);
static void align_gaps(aligner *al, const run *r, const int32_t *ch, int32_t nch, int32_t x0,
		       int32_t x1, int32_t y0, int32_t y1);

static void myers_region(aligner *al, int32_t x0, int32_t x1, int32_t y0, int32_t y1)
{
	uint64_t n = (uint64_t)(x1 - x0), m = (uint64_t)(y1 - y0);
	int exact = n * m <= EXACT_PRODUCT || n + m <= EXACT_SUM;

	if (diff_myers(al->a->ids + x0, (size_t)n, al->b->ids + y0, (size_t)m, al->a->match,
		       al->b->match, x0, y0, exact) < 0)
		al->failed = 1;
}

/* Where unique_runs looks: the region, and how long a run must be. */
typedef struct region {
	int32_t x0, x1, y0, y1, minrun;
} region;

/* Each id's count and last position in x[from..to) (reset: their counts
 * back to zero). */
static void count_ids(const uint32_t *x, int32_t from, int32_t to, uint32_t *cnt, int32_t *pos)
{
	for (int32_t i = from; i < to; i++) {
		cnt[x[i]]++;
		pos[x[i]] = i;
	}
}

static void reset_ids(const uint32_t *x, int32_t from, int32_t to, uint32_t *cnt)
{
	for (int32_t i = from; i < to; i++)
		cnt[x[i]] = 0;
}

/* The runs through the tokens of a[from..to) unique on both sides of the
 * region g, the ids counted, appended to *r (n of cap); -1 without
 * memory. */
static int32_t scan_runs(const aligner *al, const region *g, int32_t from, int32_t to, run **r,
			 int32_t n, size_t *cap)
{
	const uint32_t *a = al->a->ids, *b = al->b->ids;

	for (int32_t i = from; i < to; i++) {
		uint32_t id = a[i];
		int32_t j, s, e;

		if (al->cnt_a[id] != 1 || al->cnt_b[id] != 1)
			continue;
		j = al->pos_b[id];
		/* Inside the previous run on the same diagonal: nothing new. */
		if (n && (*r)[n - 1].a - (*r)[n - 1].b == i - j &&
		    i < (*r)[n - 1].a + (*r)[n - 1].len)
			continue;
		for (s = 0; i - s > g->x0 && j - s > g->y0 && a[i - s - 1] == b[j - s - 1]; s++)
			;
		for (e = 1; i + e < g->x1 && j + e < g->y1 && a[i + e] == b[j + e]; e++)
			;
		run *nr = rl_room_for_one(*r, cap, (size_t)n, sizeof(**r), 64);

		if (!nr)
			return -1;
		*r = nr;
		if (s + e >= g->minrun)
			(*r)[n++] = (run){i - s, j - s, s + e, s + e};
	}
	return n;
}

/* The second thread's share of unique_runs: b's ids counted (phase 0),
 * then the runs through a's last tokens, from `from` (phase 1). */
typedef struct runs_half {
	const aligner *al;
	const region *g;
	int32_t from;
	run *r;
	int32_t n;
	size_t cap;
	int phase; /* 0: count, 1: scan */
} runs_half;

static void *runs_half_run(void *arg)
{
	runs_half *h = arg;
	const aligner *al = h->al;

	if (h->phase == 0) {
		count_ids(al->b->ids, h->g->y0, h->g->y1, al->cnt_b, al->pos_b);
		return NULL;
	}
	h->n = scan_runs(al, h->g, h->from, h->g->x1, &h->r, 0, &h->cap);
	return NULL;
}

/* The runs of the second half joined to the first's: its first ones are
 * the first half's last one found again through a token after the split
 * (a run is the longest through its token on its diagonal, so a token
 * inside a run finds that run), which one thread would have passed. */
static int32_t join_runs(run **r, int32_t n, size_t *cap, const runs_half *h)
{
	int32_t k = 0;
	size_t want;

	while (n && k < h->n && h->r[k].a == (*r)[n - 1].a && h->r[k].b == (*r)[n - 1].b &&
	       h->r[k].len == (*r)[n - 1].len)
		k++;
	want = (size_t)n + (size_t)(h->n - k);
	if (want > *cap) {
		run *nr = realloc(*r, want * sizeof(**r));

		if (!nr)
			return -1;
		*r = nr;
		*cap = want;
	}
	if (h->n > k)
		memcpy(*r + n, h->r + k, (size_t)(h->n - k) * sizeof(**r));
	return n + (h->n - k);
}

/* Runs of equal tokens through tokens unique in both a[x0..x1) and
 * b[y0..y1). With threads (the top region: the whole texts, 1.5 ms of
 * counting and scanning with the other CPU idle), b's ids are counted and
 * a's last half scanned on a second thread, and the runs come out as
 * one thread's. */
static int32_t unique_runs(aligner *al, int32_t x0, int32_t x1, int32_t y0, int32_t y1, int threads,
			   run **out)
{
	const uint32_t *a = al->a->ids, *b = al->b->ids;
	run *r = NULL;
	int64_t size = (int64_t)(x1 - x0) + (y1 - y0);
	int32_t n = 0;
	size_t cap = 0;
	/* The larger the region, the likelier a rare word recurs by chance:
	 * demand longer runs before trusting one as an anchor. */
	region g = {x0, x1, y0, y1, size > 100000 ? 8 : size > 20000 ? 4 : 2};
	runs_half h = {al, &g, x0 + (x1 - x0) / 2, NULL, 0, 0, 0};
	rl_task *task;

	threads = threads && size >= THREAD_TOKENS && rl_task_start(&task, runs_half_run, &h) == 0;
	count_ids(a, x0, x1, al->cnt_a, al->pos_a);
	if (threads) {
		rl_task_join(task);
		h.phase = 1;
		threads = rl_task_start(&task, runs_half_run, &h) == 0;
	} else {
		count_ids(b, y0, y1, al->cnt_b, al->pos_b);
	}
	n = scan_runs(al, &g, x0, threads ? h.from : x1, &r, 0, &cap);
	if (threads) {
		rl_task_join(task);
		if (n >= 0)
			n = h.n < 0 ? -1 : join_runs(&r, n, &cap, &h);
		free(h.r);
	}
	reset_ids(a, x0, x1, al->cnt_a);
	reset_ids(b, y0, y1, al->cnt_b);
	if (n < 0) {
		free(r);
		return -1;
	}
	*out = r;
	return n;
}

static void lcs_region(aligner *al, int32_t x0, int32_t x1, int32_t y0, int32_t y1)
{
	if (diff_lcs(al->a->ids, x0, x1, al->b->ids, y0, y1, al->a->match, al->b->match, al->slot,
		     0) < 0)
		al->failed = 1;
}

static void tok_align(aligner *al, int32_t x0, int32_t x1, int32_t y0, int32_t y1, int depth)
{
	const uint32_t *a = al->a->ids, *b = al->b->ids;
	run *r = NULL;
	int32_t n, *ch = NULL, nch, px, py;
	int small;

	while (x0 < x1 && y0 < y1 && a[x0] == b[y0])
		match_run(al, x0++, y0++, 1);
	while (x0 < x1 && y0 < y1 && a[x1 - 1] == b[y1 - 1])
		match_run(al, --x1, --y1, 1);
	if (x0 >= x1 || y0 >= y1 || al->failed)
		return;
	{
		uint64_t area = (uint64_t)(x1 - x0) * (uint64_t)(y1 - y0);
		int32_t shorter = x1 - x0 < y1 - y0 ? x1 - x0 : y1 - y0;

		small = area <= LCS_AREA && shorter <= LCS_SHORTER;
	}
	if (small && !(depth == 0 && (al->how & DIFF_ALIGN_ANCHORED))) {
		lcs_region(al, x0, x1, y0, y1);
		return;
	}
	if (depth > MAX_DEPTH) {
		myers_region(al, x0, x1, y0, y1);
		return;
	}
	n = unique_runs(al, x0, x1, y0, y1, depth == 0 && (al->how & DIFF_ALIGN_THREADS), &r);
	if (n <= 0) {
		free(r);
		if (n < 0)
			al->failed = 1;
		else if (small)
			lcs_region(al, x0, x1, y0, y1);
		else
			myers_region(al, x0, x1, y0, y1);
		return;
	}
	qsort(r, (size_t)n, sizeof(*r), cmp_run);
	/* zeroed: chain() writes the first nch, which clang's analyzer
	 * cannot follow through its walk back from the chain's end */
	ch = calloc((size_t)n, sizeof(*ch));
	nch = ch ? chain(r, n, y0, y1, al->how, ch) : -1;
	if (nch < 0) {
		al->failed = 1;
		goto out;
	}
	if (depth == 0 && (al->how & DIFF_ALIGN_THREADS)) {
		align_gaps(al, r, ch, nch, x0, x1, y0, y1);
		goto out;
	}
	px = x0, py = y0;
	for (int32_t k = 0; k < nch; k++) {
		run *c = &r[ch[k]];

		tok_align(al, px, c->a, py, c->b, depth + 1);
		match_run(al, c->a, c->b, c->len);
		px = c->a + c->len;
		py = c->b + c->len;
	}
	tok_align(al, px, x1, py, y1, depth + 1);
out:
	free(r);
	free(ch);
}

static void aligner_free(aligner *al)
{
	free(al->cnt_a);
	free(al->cnt_b);
	free(al->pos_a);
	free(al->pos_b);
	free(al->slot);
	al->cnt_a = al->cnt_b = NULL;
	al->pos_a = al->pos_b = al->slot = NULL;
}

/* On failure nothing is left allocated. */
static int aligner_init(aligner *al, dside *a, dside *b, size_t nt)
{
	memset(al, 0, sizeof(*al));
	al->a = a;
	al->b = b;
	al->nt = nt;
	al->cnt_a = calloc(nt, sizeof(uint32_t));
	al->cnt_b = calloc(nt, sizeof(uint32_t));
	al->pos_a = malloc(nt * sizeof(int32_t));
	al->pos_b = malloc(nt * sizeof(int32_t));
	al->slot = malloc(nt * sizeof(int32_t));
	if (!al->cnt_a || !al->cnt_b || !al->pos_a || !al->pos_b || !al->slot) {
		aligner_free(al);
		return -1;
	}
	memset(al->slot, 0xff, nt * sizeof(int32_t));
	return 0;
}

static void run_gaps(aligner *al, gapq *q)
{
	size_t k;

	while ((k = atomic_fetch_add(&q->next, 1)) < q->n && !al->failed)
		tok_align(al, q->g[k].x0, q->g[k].x1, q->g[k].y0, q->g[k].y1, 1);
}

static void *gap_worker(void *arg)
{
	worker *w = arg;

	run_gaps(&w->al, w->q);
	return NULL;
}

static int by_area(const void *x, const void *y)
{
	const gap *p = x, *q = y;

	return (p->area < q->area) - (p->area > q->area);
}

/* The gaps between the chain's runs of the top region, on two threads:
 * each gap is aligned on its own (its tokens, its matches), so the order
 * and the thread do not change the result. The largest go first, so the
 * threads finish together. */
static void align_gaps(aligner *al, const run *r, const int32_t *ch, int32_t nch, int32_t x0,
		       int32_t x1, int32_t y0, int32_t y1)
{
	gapq q;
	worker w;
	rl_task *task;
	int32_t px = x0, py = y0;
	int threaded = 0, helper = 0;

	q.g = malloc(((size_t)nch + 1) * sizeof(*q.g));
	q.n = 0;
	atomic_init(&q.next, 0);
	if (!q.g) {
		al->failed = 1;
		return;
	}
	for (int32_t k = 0; k <= nch; k++) {
		int32_t ex = k < nch ? r[ch[k]].a : x1, ey = k < nch ? r[ch[k]].b : y1;

		if (ex > px || ey > py)
			q.g[q.n++] =
			    (gap){px, ex, py, ey, (uint64_t)(ex - px) * (uint64_t)(ey - py)};
		if (k < nch) {
			match_run(al, r[ch[k]].a, r[ch[k]].b, r[ch[k]].len);
			px = r[ch[k]].a + r[ch[k]].len;
			py = r[ch[k]].b + r[ch[k]].len;
		}
	}
	qsort(q.g, q.n, sizeof(*q.g), by_area);
	w.q = &q;
	if (q.n > 1 && aligner_init(&w.al, al->a, al->b, al->nt) == 0) {
		w.al.how = al->how;
		helper = 1;
		threaded = rl_task_start(&task, gap_worker, &w) == 0;
	}
	run_gaps(al, &q);
	if (threaded) {
		rl_task_join(task);
		al->failed |= w.al.failed;
	}
	if (helper)
		aligner_free(&w.al);
	free(q.g);
}

unsigned diff_align_threads(const dside *a, const dside *b)
{
	return a->ntok + b->ntok >= THREAD_TOKENS ? DIFF_ALIGN_THREADS : 0;
}

int diff_align(dside *a, dside *b, uint32_t ntokids, rl_error *err)
{
	return diff_align_how(a, b, ntokids, diff_align_threads(a, b), err);
}

int diff_align_how(dside *a, dside *b, uint32_t ntokids, unsigned how, rl_error *err)
{
	aligner al;
	int rc = 0;

	if (aligner_init(&al, a, b, (size_t)ntokids + 1) < 0)
		return rl_error_set(err, RL_ENOMEM,
				    "diff: out of memory aligning %zu and %zu words", a->ntok,
				    b->ntok);
	al.how = how;
	tok_align(&al, 0, (int32_t)a->ntok, 0, (int32_t)b->ntok, 0);
	if (al.failed)
		rc = rl_error_set(err, RL_ENOMEM, "diff: out of memory aligning %zu and %zu words",
				  a->ntok, b->ntok);
	aligner_free(&al);
	return rc;
}

/* The free tokens of s[from..to): ids and positions. */
static int32_t free_tokens(const dside *s, int32_t from, int32_t to, uint32_t *ids, int32_t *pos)
{
	int32_t n = 0;

	for (int32_t k = from; k < to; k++)
		if (s->match[k] < 0 && !s->move[k]) {
			ids[n] = s->ids[k];
			pos[n++] = k;
		}
	return n;
}

/* Aligns the free tokens of a[x0..x1) and b[y0..y1) as tok_align does a
 * region: exactly when small enough, else near-minimally. */
static int realign_gap(aligner *al, int32_t x0, int32_t x1, int32_t y0, int32_t y1)
{
	size_t n = (size_t)(x1 - x0), m = (size_t)(y1 - y0);
	uint32_t *ids = malloc((n + m + 1) * sizeof(*ids));
	int32_t *pos = malloc((n + m + 1) * sizeof(*pos)), *mt = malloc((n + m + 1) * sizeof(*mt));
	int32_t na, nb;
	int rc = 0;

	if (!ids || !pos || !mt) {
		rc = RL_ENOMEM;
		goto out;
	}
	na = free_tokens(al->a, x0, x1, ids, pos);
	nb = free_tokens(al->b, y0, y1, ids + na, pos + na);
	memset(mt, 0xff, (n + m + 1) * sizeof(*mt));
	if (na && nb) {
		uint64_t area = (uint64_t)na * (uint64_t)nb;

		if (area <= LCS_AREA)
			rc = diff_lcs(ids, 0, na, ids + na, 0, nb, mt, mt + na, al->slot, 0);
		else
			rc =
			    diff_myers(ids, (size_t)na, ids + na, (size_t)nb, mt, mt + na, 0, 0, 0);
	}
	for (int32_t k = 0; k < na && rc == 0; k++)
		if (mt[k] >= 0) {
			al->a->match[pos[k]] = pos[na + mt[k]];
			al->b->match[pos[na + mt[k]]] = pos[k];
		}
out:
	free(ids);
	free(pos);
	free(mt);
	return rc;
}

/* The first dirty token of s from k on, or s->ntok: eight flags at a
 * time, as most of a text is clean. */
static int32_t next_dirty(const dside *s, int32_t k)
{
	int32_t n = (int32_t)s->ntok;

	for (; k + 8 <= n; k += 8) {
		uint64_t w;

		memcpy(&w, s->dirty + k, 8);
		if (w)
			break;
	}
	while (k < n && !s->dirty[k])
		k++;
	return k < n ? k : n;
}

int diff_realign(dside *a, dside *b, uint32_t ntokids, rl_error *err)
{
	aligner al;
	int32_t px = 0, py = 0, x = 0, da = next_dirty(a, 0), db = next_dirty(b, 0);
	/* a's unmatched tokens, passed a word of them at a time: a gap's
	 * realigning changes only the tokens before its end */
	uint64_t *unmatched = diff_unmatched_bits(a);
	int rc = 0;

	memset(&al, 0, sizeof(al));
	al.a = a;
	al.b = b;
	al.slot = malloc(((size_t)ntokids + 1) * sizeof(int32_t));
	if (!al.slot || !unmatched) {
		free(al.slot);
		free(unmatched);
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory aligning moves");
	}
	memset(al.slot, 0xff, ((size_t)ntokids + 1) * sizeof(int32_t));
	/* every gap between two matched pairs, and after the last */
	for (;; x++) {
		int32_t y;

		x = (int32_t)diff_next_bit(unmatched, (size_t)x, a->ntok, ~0ULL);
		y = x < (int32_t)a->ntok ? a->match[x] : (int32_t)b->ntok;
		/* the next dirty tokens on from the gap: is one inside it */
		if (da < px)
			da = next_dirty(a, px);
		if (db < py)
			db = next_dirty(b, py);
		if ((da < x || db < y) && (rc = realign_gap(&al, px, x, py, y)) < 0)
			break;
		if (x >= (int32_t)a->ntok)
			break;
		px = x + 1;
		py = y + 1;
	}
	memset(a->dirty, 0, a->ntok);
	memset(b->dirty, 0, b->ntok);
	free(al.slot);
	free(unmatched);
	return rc < 0 ? rl_error_set(err, RL_ENOMEM, "diff: out of memory aligning moves") : 0;
}
