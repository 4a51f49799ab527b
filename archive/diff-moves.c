/* Moves: a block of words deleted in one place and inserted in another.
 * The alignment keeps one order, so a paragraph that changed places comes
 * out as a deletion and an insertion; this pass pairs them again. Greedy
 * in the order of the new text (Tichy's block moves): deleted positions
 * are indexed by the hash of the K tokens starting there, each inserted
 * position looks its K-gram up and takes the longest equal block. A block
 * counts as a move when it is long enough not to be a phrase that merely
 * recurs: MOVE_MIN_WORDS words, or a whole sentence on both sides.
 *
 * The alignment may have kept a word or two of a moved sentence in place:
 * when paragraphs start alike ("The ..."), the LCS is as long whether the
 * first "The" of the new text pairs with its own paragraph or with the
 * one that moved away, and a reader then sees "The" left behind and the
 * move starting at its second word; or a moved paragraph takes along the
 * "The" that starts the next one on both sides. So a block is grown over
 * equal tokens to the ends of its sentences on both sides, matched or
 * not, or else cut back to the sentences it covers whole; when that gives
 * whole sentences they are taken whole, the matches they take are undone
 * and their partners marked dirty, and diff_realign pairs the dirty
 * tokens again within their gaps. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "redline/thread.h"

#include "diff-internal.h"

#define MOVE_GRAM       3
#define MOVE_MIN_WORDS  8
#define MOVE_MIN_LINE   2 /* words in a whole moved sentence */
#define MOVE_MIN_PART   3 /* words in most of a moved sentence */
#define MOVE_CANDIDATES 16
#define NOT_FREE        UINT32_MAX
/* Positions of b ahead of the probe whose bucket end, then bucket, is
 * fetched into the cache: the probes' time is waiting on those reads. */
#define MOVE_AHEAD ((size_t)8)
/* Fewer than one token in SPARSE_SHARE free on a side (a version a day
 * older): its grams are found a word of bits at a time, on one thread. */
#define SPARSE_SHARE 32
int diff_moves_sparse = 1;

static int freetok(const dside *s, size_t i)
{
	return i < s->ntok && s->match[i] < 0 && s->move[i] == 0;
}

static uint32_t gram(const dside *s, size_t i)
{
	uint64_t h = (uint64_t)s->ids[i] * 0x9e3779b97f4a7c15ULL;

	h = (h ^ s->ids[i + 1]) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ s->ids[i + 2]) * 0x94d049bb133111ebULL;
	return (uint32_t)(h >> 32);
}

/* Are the MOVE_GRAM tokens from i all free, by the free ids of their
 * side (NOT_FREE where taken)? */
static int gram_free_in(const uint32_t *f, size_t i)
{
	for (size_t k = 0; k < MOVE_GRAM; k++)
		if (f[i + k] == NOT_FREE)
			return 0;
	return 1;
}

static int whole_lines(const dside *s, size_t i, size_t len)
{
	const dtok *f = &s->tok[i], *l = &s->tok[i + len - 1];

	return s->line[f->line].tok0 == i &&
	       s->line[l->line].tok0 + s->line[l->line].ntok == i + len;
}

static size_t words(const dside *s, size_t i, size_t len)
{
	size_t w = 0;

	for (size_t k = 0; k < len; k++)
		w += tok_is_word(&s->tok[i + k]);
	return w;
}

static size_t line_end(const dside *s, size_t t)
{
	const dline *l = &s->line[s->tok[t].line];

	return l->tok0 + l->ntok;
}

static size_t line_start(const dside *s, size_t t)
{
	return s->line[s->tok[t].line].tok0;
}

/* Grows the block a[i..i+len) == b[j..j+len) over equal tokens that are
 * not moved (matched or not) within the lines where it starts and ends
 * on both sides; returns 1, with the block grown, when that makes it
 * whole lines on both. */
static int grow_to_lines(const dside *a, const dside *b, size_t *i, size_t *j, size_t *len)
{
	size_t x = *i, y = *j, n = *len;
	uint32_t la = a->tok[x].line, lb = b->tok[y].line;
	const dline *ea = &a->line[a->tok[x + n - 1].line], *eb = &b->line[b->tok[y + n - 1].line];

	/* Growing goes a token on both sides at a time: it can reach both
	 * lines' starts, and both lines' ends, only where the block is as far
	 * from them on both (most blocks found are not, and walking their
	 * lines was a fifth of the search). */
	if (x - a->line[la].tok0 != y - b->line[lb].tok0 ||
	    ea->tok0 + ea->ntok - (x + n) != eb->tok0 + eb->ntok - (y + n))
		return 0;
	while (x > 0 && y > 0 && a->tok[x - 1].line == la && b->tok[y - 1].line == lb &&
	       !a->move[x - 1] && !b->move[y - 1] && a->ids[x - 1] == b->ids[y - 1])
		x--, y--, n++;
	la = a->tok[x + n - 1].line;
	lb = b->tok[y + n - 1].line;
	while (x + n < a->ntok && y + n < b->ntok && a->tok[x + n].line == la &&
	       b->tok[y + n].line == lb && !a->move[x + n] && !b->move[y + n] &&
	       a->ids[x + n] == b->ids[y + n])
		n++;
	if (!whole_lines(a, x, n) || !whole_lines(b, y, n))
		return 0;
	*i = x, *j = y, *len = n;
	return 1;
}

/* Does the block a[i..i+n) = b[j..j+n) hold a token aligned in place
 * with its counterpart in the block? Then its sentences are aligned with
 * each other already, and the block is aligned in place whole, not moved
 * to where it is (align_in_place). */
static int aligned_in_place(const dside *a, size_t i, size_t j, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (a->match[i + k] == (int32_t)(j + k))
			return 1;
	return 0;
}

/* Aligns each token of the block a[i..i+n) = b[j..j+n), none of which is
 * aligned any more, with its counterpart. The matches stay in order: one
 * of the block's tokens was aligned with its counterpart, so no match
 * left crosses the block. */
static void align_in_place(dside *a, dside *b, size_t i, size_t j, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		a->match[i + k] = (int32_t)(j + k);
		b->match[j + k] = (int32_t)(i + k);
		a->dirty[i + k] = b->dirty[j + k] = 0;
	}
}

/* Is s[t0..t1), part of one line, a crumb of it: fewer than half its
 * words? */
static int crumb(const dside *s, size_t t0, size_t t1)
{
	const dline *l = &s->line[s->tok[t0].line];

	return 2 * words(s, t0, t1 - t0) < words(s, l->tok0, l->ntok);
}

/* Is the block most of one sentence on each side, from its start or to
 * its end on both: a sentence that moved and changed at one end ("The
 * budget grew in 2018 by 7.1 -> 7.4 percent") still moves with the words
 * it kept. */
static int most_of_line(const dside *a, const dside *b, size_t i, size_t j, size_t n)
{
	if (a->tok[i].line != a->tok[i + n - 1].line || b->tok[j].line != b->tok[j + n - 1].line)
		return 0;
	if (!(i == line_start(a, i) && j == line_start(b, j)) &&
	    !(i + n == line_end(a, i) && j + n == line_end(b, j)))
		return 0;
	return !crumb(a, i, i + n) && !crumb(b, j, j + n);
}

/* Cuts from the block the crumbs of lines it only touches: a paragraph
 * followed on both sides by a paragraph that starts with the same "The"
 * takes that "The" along. A larger part of a line stays: a sentence
 * moved and changed at its end still moves with its first words. */
static void cut_crumbs(const dside *a, const dside *b, size_t *i, size_t *j, size_t *len)
{
	size_t x = *i, y = *j, n = *len, ea, eb, sa, sb, cut;
	int64_t ca, cb;

	if (n < 2)
		return;
	ea = line_end(a, x + n - 1), eb = line_end(b, y + n - 1);
	/* where the last line starts on either side, the later of the two */
	ca = (int64_t)line_start(a, x + n - 1) - (int64_t)x;
	cb = (int64_t)line_start(b, y + n - 1) - (int64_t)y;
	cut = (size_t)(ca > cb ? (ca > 0 ? ca : 0) : (cb > 0 ? cb : 0));
	if ((x + n != ea || y + n != eb) && cut > 0 && crumb(a, x + cut, x + n) &&
	    crumb(b, y + cut, y + n))
		n = cut;
	sa = line_start(a, x), sb = line_start(b, y);
	ea = line_end(a, x), eb = line_end(b, y);
	cut = ea - x < eb - y ? ea - x : eb - y; /* where the first line ends, the earlier */
	if ((x != sa || y != sb) && cut < n && crumb(a, x, x + cut) && crumb(b, y, y + cut))
		x += cut, y += cut, n -= cut;
	*i = x, *j = y, *len = n;
}

/* Per token of s, its id if free, else NOT_FREE (and NOT_FREE after the
 * last); and how many are free. */
typedef struct free_job {
	const dside *s;
	uint32_t *f;
	uint64_t *bits; /* a bit per free token too, or NULL */
	size_t nfree;
} free_job;

/* A bit per free token of f (n tokens): ids are below 2^31 (a text has
 * fewer than DIFF_MAX_TEXT bytes), so NOT_FREE is the only one that
 * reads as negative. */
static void free_bits(const uint32_t *f, size_t n, uint64_t *bits)
{
	diff_sign_bits((const int32_t *)(const void *)f, n, bits);
	for (size_t w = 0; w * 64 < n; w++)
		bits[w] = ~bits[w] & (w * 64 + 64 <= n ? ~0ULL : (1ULL << (n % 64)) - 1);
}

/* Without a branch a token, and the bits a word of them at a time: which
 * tokens are free follows no pattern a branch predictor learns. The
 * token's mask (all ones where free) selects its id by arithmetic, which
 * the compiler makes vector code of, where of a choice of two values it
 * made a branch a token (the old text's free ids 0.65 -> 0.23 ms for the
 * editions). */
static void *free_ids(void *arg)
{
	free_job *j = arg;
	const dside *s = j->s;
	size_t n = s->ntok, nfree = 0;
	uint32_t *restrict f = j->f;
	const int32_t *restrict match = s->match, *restrict move = s->move;
	const uint32_t *restrict ids = s->ids;

	for (size_t i = 0; i < n; i++) {
		uint32_t is_free = (uint32_t)(match[i] < 0) & (uint32_t)(move[i] == 0);

		f[i] = ids[i] | (is_free - 1); /* NOT_FREE: all ones */
		nfree += is_free;
	}
	f[n] = NOT_FREE;
	j->nfree = nfree;
	if (j->bits)
		free_bits(f, n, j->bits);
	return NULL;
}

static inline int bit(const uint64_t *bits, size_t i)
{
	return (int)(bits[i / 64] >> (i % 64)) & 1;
}

/* The index of the old text's free grams: bucket h is ent[h ? end[h - 1]
 * : 0 .. end[h]), in text order. */
typedef struct gram_entry {
	uint32_t hash;
	uint32_t pos;
} gram_entry;

/* A bit per value of the low bits of a gram's hash, set where a free
 * gram of a has it: most positions of b have no candidate, and a bit in
 * a few hundred KiB says so where a bucket read from anywhere in the
 * index took a cache miss or two (the probing's most of it). With eight
 * bits a free token of a, one position without a candidate in ten or
 * so is looked up in vain. */
#define FILTER_BITS_PER_GRAM 8

typedef struct gram_filter {
	uint64_t *bits; /* NULL: none (every position is looked up) */
	size_t mask;    /* its bits - 1 */
} gram_filter;

static int filter_make(gram_filter *f, size_t grams)
{
	size_t n = 64;

	while (n < grams * FILTER_BITS_PER_GRAM)
		n *= 2;
	f->mask = n - 1;
	f->bits = calloc(n / 64, sizeof(*f->bits));
	return f->bits ? 0 : RL_ENOMEM;
}

static inline void filter_set(gram_filter *f, uint32_t g)
{
	f->bits[(g & f->mask) / 64] |= 1ULL << (g % 64);
}

/* May a free gram of a have hash g? */
static inline int filter_may(const gram_filter *f, uint32_t g)
{
	return !f->bits || ((f->bits[(g & f->mask) / 64] >> (g % 64)) & 1);
}

/* Probing: for each position j of the new text whose gram was free when
 * the search began, the search's work done ahead, on the texts as they
 * were then: the candidates of the gram looked up in the index (a
 * bucket read from anywhere in it) and each one's equal tokens counted
 * (reads from anywhere in the old text), the longest block kept. The
 * positions are probed a block at a time, the blocks taken in order by
 * a second thread and by the search itself while the block it has
 * reached is not done. Those two were most of the search, and most
 * positions have no block at all; the search now goes from one
 * position with a block to the next, and takes the block found.
 *
 * What it finds stays true as long as the search only takes tokens (a
 * block taken as a move): a candidate's block can only shrink then, so
 * the longest one, counted again on the texts as they are and found as
 * long, is still the longest, and the first of that length (those before
 * it were shorter). Counted again shorter, the search looks at the
 * position's candidates itself, as it does once it has given tokens back
 * (a block grown to whole sentences, whose partners it frees): from then
 * on it looks at every position itself. */
#define PROBE_BLOCK 512
#define PROBE_LONG  UINT8_MAX /* a block this long or longer: counted again in full */

typedef struct prober {
	const dside *a, *b;
	const uint64_t *free_a, *free_b; /* the free tokens when the search began */
	const uint32_t *end;
	const gram_entry *ent;
	const gram_filter *filter;
	size_t cap, n, nblocks;
	uint64_t *found;    /* a bit per position of b: a block was found through it */
	uint32_t *pos;      /* where found: the position in a where its gram is */
	uint8_t *length;    /* where found: its tokens, PROBE_LONG at most */
	atomic_size_t next; /* the next block to take */
	atomic_uchar *done; /* per block */
} prober;

/* Was the gram at j free when the search began? */
static inline int gram_free0(const prober *p, size_t j)
{
	return bit(p->free_b, j) && bit(p->free_b, j + 1) && bit(p->free_b, j + 2);
}

/* Were a's token i and b's token j free and equal when the search
 * began? As fa[i] == fb[j] is now. */
static inline int same0(const prober *p, size_t i, size_t j)
{
	return bit(p->free_a, i) && bit(p->free_b, j) && p->a->ids[i] == p->b->ids[j];
}

/* The longest block through position j of b and one of its gram's
 * candidates, as the search would find it then; 0 when none. */
static size_t probe_at(prober *p, size_t j, uint32_t g, uint32_t *at)
{
	size_t h = g & (p->cap - 1), best = 0, tries = 0;

	for (size_t e = h ? p->end[h - 1] : 0, hi = p->end[h]; e < hi && tries < MOVE_CANDIDATES;
	     e++) {
		size_t i = p->ent[e].pos, len = 0, back = 0;

		if (p->ent[e].hash != g)
			continue;
		tries++;
		while (same0(p, i + len, j + len))
			len++;
		while (i > back && j > back && same0(p, i - back - 1, j - back - 1))
			back++;
		if (len + back > best) {
			best = len + back;
			*at = (uint32_t)i;
		}
	}
	return best;
}

static void probe_block(prober *p, size_t k)
{
	size_t j0 = k * PROBE_BLOCK, j1 = j0 + PROBE_BLOCK < p->n ? j0 + PROBE_BLOCK : p->n, n = 0;
	struct {
		uint32_t j, g;
	} look[PROBE_BLOCK]; /* the positions to look up, with their grams */

	for (size_t j = j0; j < j1; j++) {
		uint32_t g;

		/* Sixty-four tokens none of which was free: most of a text
		 * a day older, passed a word of bits at a time. */
		if (j % 64 == 0 && j + 64 <= j1 && p->free_b[j / 64] == 0) {
			j += 63;
			continue;
		}
		if (gram_free0(p, j) && filter_may(p->filter, g = gram(p->b, j)))
			look[n].j = (uint32_t)(j - j0), look[n++].g = g;
	}
	for (size_t q = 0; q < n; q++) {
		uint32_t at = 0;
		size_t len, j = j0 + look[q].j;

		/* the buckets of the lookups ahead fetched into the cache */
		if (q + 2 * MOVE_AHEAD < n)
			__builtin_prefetch(&p->end[look[q + 2 * MOVE_AHEAD].g & (p->cap - 1)]);
		if (q + MOVE_AHEAD < n) {
			size_t near = look[q + MOVE_AHEAD].g & (p->cap - 1);

			__builtin_prefetch(&p->ent[near ? p->end[near - 1] : 0]);
		}
		if ((len = probe_at(p, j, look[q].g, &at)) == 0)
			continue;
		p->found[j / 64] |= 1ULL << (j % 64);
		p->pos[j] = at;
		p->length[j] = len < PROBE_LONG ? (uint8_t)len : PROBE_LONG;
	}
	atomic_store_explicit(&p->done[k], 1, memory_order_release);
}

/* Takes and probes the next block; 0 when none is left. */
static int probe_next(prober *p)
{
	size_t k = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);

	if (k >= p->nblocks)
		return 0;
	probe_block(p, k);
	return 1;
}

static void *probe_blocks(void *arg)
{
	while (probe_next(arg))
		;
	return NULL;
}

/* Waits for block k, taking blocks meanwhile. */
static void probed(prober *p, size_t k)
{
	while (!atomic_load_explicit(&p->done[k], memory_order_acquire))
		if (!probe_next(p))
			sched_yield(); /* the other thread is on block k */
}

/* The index of a's free grams, built by counting sort: each bucket's
 * size, then its start, moved on to its end as the bucket fills. With
 * threads, the first half of a's positions here and the second on a
 * thread of its own, which fills each bucket after the first half's
 * entries: the same index. */
typedef struct index_half {
	const dside *a;
	const uint32_t *fa;
	size_t cap, from, to;
	uint32_t *at; /* per bucket: the count, then where the half's next entry goes */
	gram_entry *ent;
	gram_filter filter; /* the half's own, joined to the other's after */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int counted, placing; /* (under lock) */
} index_half;

/* The next position from i whose gram may be free: i, or where bits
 * (a's free tokens, NULL: not given) next has one. */
static inline size_t next_candidate(const uint64_t *bits, size_t i, size_t to)
{
	return bits && !bit(bits, i) ? diff_next_bit(bits, i, to, 0) : i;
}

static void count_grams(const dside *a, const uint32_t *fa, const uint64_t *bits, size_t cap,
			size_t from, size_t to, uint32_t *count)
{
	for (size_t i = from; (i = next_candidate(bits, i, to)) < to; i++)
		if (gram_free_in(fa, i))
			count[gram(a, i) & (cap - 1)]++;
}

static void place_grams(const dside *a, const uint32_t *fa, const uint64_t *bits, size_t cap,
			size_t from, size_t to, uint32_t *at, gram_entry *ent, gram_filter *f)
{
	for (size_t i = from; (i = next_candidate(bits, i, to)) < to; i++) {
		uint32_t g;

		if (!gram_free_in(fa, i))
			continue;
		g = gram(a, i);
		ent[at[g & (cap - 1)]++] = (gram_entry){g, (uint32_t)i};
		if (f->bits)
			filter_set(f, g);
	}
}

static void *index_second_half(void *arg)
{
	index_half *x = arg;

	count_grams(x->a, x->fa, NULL, x->cap, x->from, x->to, x->at);
	pthread_mutex_lock(&x->lock);
	x->counted = 1;
	pthread_cond_broadcast(&x->cond);
	while (!x->placing)
		pthread_cond_wait(&x->cond, &x->lock);
	pthread_mutex_unlock(&x->lock);
	if (x->ent) /* NULL: nothing to place, or no memory */
		place_grams(x->a, x->fa, NULL, x->cap, x->from, x->to, x->at, x->ent, &x->filter);
	return NULL;
}

/* *end: per bucket, where it ends in *ent (bucket h is ent[h ? end[h - 1]
 * : 0 .. end[h])); *nfree, the entries. bits: a's free tokens, to pass
 * over sixty-four that are not at once (then on one thread), or NULL.
 * filter, made empty, is filled (or dropped, its bits NULL, without the
 * memory for the second half's). */
static int index_grams(const dside *a, const uint32_t *fa, const uint64_t *bits, size_t cap,
		       int threads, uint32_t **end, gram_entry **ent, size_t *nfree,
		       gram_filter *filter)
{
	size_t n = a->ntok + 1 - MOVE_GRAM, mid = threads ? n / 2 : n;
	uint32_t *first = calloc(cap + 1, sizeof(*first)), *second = NULL;
	index_half x = {.a = a, .fa = fa, .cap = cap, .from = mid, .to = n};
	rl_task *task;
	int threaded = 0, rc = 0;
	size_t total = 0;

	*end = NULL;
	*ent = NULL;
	*nfree = 0;
	if (!first)
		return RL_ENOMEM;
	if (mid < n && (second = calloc(cap + 1, sizeof(*second))) != NULL) {
		x.at = second;
		x.filter.mask = filter->mask;
		if (filter->bits &&
		    !(x.filter.bits = calloc((filter->mask + 1) / 64, sizeof(*x.filter.bits)))) {
			free(filter->bits);
			filter->bits = NULL;
		}
		pthread_mutex_init(&x.lock, NULL);
		pthread_cond_init(&x.cond, NULL);
		threaded = rl_task_start(&task, index_second_half, &x) == 0;
		if (!threaded) {
			pthread_mutex_destroy(&x.lock);
			pthread_cond_destroy(&x.cond);
		}
	}
	if (!threaded)
		mid = n;
	count_grams(a, fa, bits, cap, 0, mid, first);
	if (threaded) {
		pthread_mutex_lock(&x.lock);
		while (!x.counted)
			pthread_cond_wait(&x.cond, &x.lock);
		pthread_mutex_unlock(&x.lock);
	}
	/* the starts: the first half's entries, then the second's */
	for (size_t h = 0; h < cap; h++) {
		uint32_t c1 = first[h], c2 = threaded ? second[h] : 0;

		first[h] = (uint32_t)total;
		if (threaded)
			second[h] = (uint32_t)(total + c1);
		total += (size_t)c1 + c2;
	}
	if (total && !(*ent = malloc(total * sizeof(**ent))))
		rc = RL_ENOMEM;
	if (threaded) {
		pthread_mutex_lock(&x.lock);
		x.ent = *ent;
		x.placing = 1;
		pthread_cond_broadcast(&x.cond);
		pthread_mutex_unlock(&x.lock);
	}
	if (*ent)
		place_grams(a, fa, bits, cap, 0, mid, first, *ent, filter);
	if (threaded) {
		rl_task_join(task);
		pthread_mutex_destroy(&x.lock);
		pthread_cond_destroy(&x.cond);
		for (size_t w = 0; filter->bits && w < (filter->mask + 1) / 64; w++)
			filter->bits[w] |= x.filter.bits[w];
		/* each bucket ends where the second half's entries end */
		free(first);
		first = second;
		second = NULL;
	}
	free(second);
	free(x.filter.bits);
	if (rc < 0) {
		free(first);
		return rc;
	}
	*end = first;
	*nfree = total;
	return 0;
}

/* The block of equal free tokens through a's token i and b's token j, on
 * the texts as they are (fa, fb): its length, and in *back how many of
 * its tokens come before i and j. */
static size_t block_at(const uint32_t *fa, const uint32_t *fb, size_t i, size_t j, size_t *back)
{
	size_t len = 0, b = 0;

	while (fa[i + len] != NOT_FREE && fa[i + len] == fb[j + len])
		len++;
	while (i > b && j > b && fa[i - b - 1] != NOT_FREE && fa[i - b - 1] == fb[j - b - 1])
		b++;
	*back = b;
	return len + b;
}

/* The longest block through position j of b and one of its gram's
 * candidates, on the texts as they are (fa, fb): its length, 0 when
 * none, and where it starts on both sides (*bi, j - *bback). The first
 * candidates of a gram are those of its full hash; MOVE_CANDIDATES of
 * them at most. */
static size_t longest_at(const dside *a, const dside *b, const uint32_t *fa, const uint32_t *fb,
			 const uint32_t *end, const gram_entry *ent, size_t cap, size_t j,
			 size_t *bi, size_t *bback)
{
	uint32_t g = gram(b, j);
	size_t h = g & (cap - 1), blen = 0, tries = 0;

	for (size_t e = h ? end[h - 1] : 0, hi = end[h]; e < hi && tries < MOVE_CANDIDATES; e++) {
		size_t i = ent[e].pos, back, len;

		if (ent[e].hash != g)
			continue;
		tries++;
		__builtin_prefetch(&a->tok[i]);
		if ((len = block_at(fa, fb, i, j, &back)) > blen) {
			blen = len;
			*bi = i - back;
			*bback = back;
		}
	}
	return blen;
}

/* The block the prober found through position j, counted again on the
 * texts as they are: 1, with where it starts and its length, when it is
 * as long as it was (then it is still the block longest_at finds); 0
 * when it is shorter now, or was too long to tell. */
static int still_found(const prober *p, const uint32_t *fa, const uint32_t *fb, size_t j,
		       size_t *bi, size_t *bback, size_t *blen)
{
	size_t i = p->pos[j], want = p->length[j], back;

	if (want == PROBE_LONG)
		return 0;
	__builtin_prefetch(&p->a->tok[i]);
	if (block_at(fa, fb, i, j, &back) != want)
		return 0;
	*bi = i - back;
	*bback = back;
	*blen = want;
	return 1;
}

/* Blocks among the free tokens, numbered on from nmoves; returns the new
 * count. */
static int gram_moves(dside *a, dside *b, dmoves *mv, int threads, rl_error *err)
{
	int nmoves = (int)mv->n;
	size_t cap = 16, nfree = 0;
	/* The free grams of a, bucket by bucket, in text order within each
	 * (bucket h is ent[h ? end[h - 1] : 0 .. end[h])), with their full
	 * hashes, so that a bucket's strangers are passed over unread: one
	 * bucket is one stretch of memory, where chains through a were a
	 * cache miss a link. */
	uint32_t *end = NULL;
	gram_entry *ent = NULL;
	/* per token, its id if free, else NOT_FREE: one array to read where
	 * ids, matches and moves are three (the candidates are all over a) */
	uint32_t *fa = NULL, *fb = NULL;
	/* a bit per free token of a and of b when the search begins (the
	 * prober's, which does not see what the search changes in fa and
	 * fb), or of b as the search goes (live, when b is sparse) */
	uint64_t *abits = NULL, *free0 = NULL, *live = NULL;
	rl_task *task;
	free_job ja, jb = {b, NULL, NULL, 0};
	prober pr = {0};
	gram_filter filter = {NULL, 0};
	size_t have = SIZE_MAX; /* the block probed up to which the search is */
	struct {
		size_t i, j, len;
	} rejected = {SIZE_MAX, 0, 0}; /* the last block found and not taken */
	/* the prober's blocks are taken as found, as long as the search has
	 * only taken tokens */
	int threaded = 0, probed_ahead = 0, sparse;

	if (a->ntok < MOVE_GRAM || b->ntok < MOVE_GRAM)
		return nmoves;
	fa = malloc((a->ntok + 1) * sizeof(*fa));
	fb = malloc((b->ntok + 1) * sizeof(*fb));
	abits = malloc((a->ntok / 64 + 1) * sizeof(*abits));
	free0 = calloc(b->ntok / 64 + 1, sizeof(*free0));
	if (!fa || !fb || !abits || !free0)
		goto oom;
	/* the prober's arrays, before the index's (where they were when
	 * every search probed: the editions took 120 faults more after) */
	if (threads) {
		pr.n = b->ntok - MOVE_GRAM + 1;
		pr.nblocks = (pr.n + PROBE_BLOCK - 1) / PROBE_BLOCK;
		pr.found = calloc(pr.n / 64 + 1, sizeof(*pr.found));
		pr.pos = malloc((pr.n + 1) * sizeof(*pr.pos));
		pr.length = malloc(pr.n + 1);
		pr.done = calloc(pr.nblocks + 1, sizeof(*pr.done));
	}
	/* b's free ids on a second thread while a's index is built */
	ja = (free_job){a, fa, abits, 0};
	jb = (free_job){b, fb, free0, 0};
	threaded = threads && rl_task_start(&task, free_ids, &jb) == 0;
	if (!threaded)
		free_ids(&jb);
	free_ids(&ja);
	/* Buckets by the free tokens, a bound on the free grams: the
	 * candidates of a gram are the entries of its full hash, in text
	 * order, whatever the number of buckets. */
	nfree = ja.nfree;
	while (cap * 2 < nfree)
		cap *= 2;
	sparse = diff_moves_sparse && nfree * SPARSE_SHARE < a->ntok;
	/* for the prober, as memory allows (without it, every position is
	 * looked up) */
	if (threads)
		(void)filter_make(&filter, nfree);
	if (index_grams(a, fa, sparse ? abits : NULL, cap, threads && !sparse, &end, &ent, &nfree,
			&filter) < 0)
		goto oom;
	if (!nfree)
		goto out;
	if (threaded)
		rl_task_join(task);
	threaded = 0;
	/* b sparse: its free tokens found by their bits, as the search
	 * changes them; else each position of b probed ahead on a thread */
	if (diff_moves_sparse && jb.nfree * SPARSE_SHARE < b->ntok) {
		live = free0;
	} else if (pr.found && pr.pos && pr.length && pr.done) {
		pr.a = a;
		pr.b = b;
		pr.free_a = abits;
		pr.free_b = free0;
		pr.end = end;
		pr.ent = ent;
		pr.filter = &filter;
		pr.cap = cap;
		atomic_init(&pr.next, 0);
		for (size_t k = 0; k < pr.nblocks; k++)
			atomic_init(&pr.done[k], 0);
		probed_ahead = 1;
		threaded = rl_task_start(&task, probe_blocks, &pr) == 0;
	}
	for (size_t j = 0; j + MOVE_GRAM <= b->ntok;) {
		size_t bi = 0, blen = 0, bback = 0;

		if (live && !bit(live, j)) {
			j = diff_next_bit(live, j, b->ntok, 0);
			continue;
		}
		if (probed_ahead) {
			size_t to;

			if (j / PROBE_BLOCK != have) {
				have = j / PROBE_BLOCK;
				probed(&pr, have);
			}
			/* the next position of the block with a block found */
			to = (have + 1) * PROBE_BLOCK < pr.n ? (have + 1) * PROBE_BLOCK : pr.n;
			if ((j = diff_next_bit(pr.found, j, to, 0)) >= to) {
				j = to;
				continue;
			}
		} else if (!live && j + 2 * MOVE_AHEAD + MOVE_GRAM <= b->ntok) {
			size_t far = gram(b, j + 2 * MOVE_AHEAD) & (cap - 1),
			       near = gram(b, j + MOVE_AHEAD) & (cap - 1);

			__builtin_prefetch(&end[far]);
			__builtin_prefetch(&ent[near ? end[near - 1] : 0]);
		}
		if (!gram_free_in(fb, j)) {
			j++;
			continue;
		}
		/* the block grown to its lines reads the lines of its tokens:
		 * asked for while it is found */
		__builtin_prefetch(&b->tok[j]);
		if (!probed_ahead || !still_found(&pr, fa, fb, j, &bi, &bback, &blen))
			blen = longest_at(a, b, fa, fb, end, ent, cap, j, &bi, &bback);
		if (blen && bi == rejected.i && j - bback == rejected.j && blen == rejected.len) {
			j++;
			continue;
		}
		if (blen) {
			size_t bj = j - bback, gi = bi, gj = bj, glen = blen, w, fi = bi, fj = bj,
			       flen = blen;

			if (grow_to_lines(a, b, &gi, &gj, &glen) &&
			    words(a, gi, glen) >= MOVE_MIN_LINE) {
				int in_place = aligned_in_place(a, gi, gj, glen);

				/* tokens given back: what was probed may be
				 * longer now */
				probed_ahead = 0;

				/* whole sentences: take them whole, as a move,
				 * or in place where some of their words are
				 * aligned in place (a move onto their own place
				 * was no move) */
				for (size_t k = 0; k < glen; k++) {
					int32_t p = a->match[gi + k], q = b->match[gj + k];

					diff_unmatch(a, b, gi + k);
					diff_unmatch(b, a, gj + k);
					/* partners left free; not indexed, they
					 * may still end a block */
					if (p >= 0) {
						fb[p] = b->ids[p];
						if (live)
							live[p / 64] |= 1ULL << (p % 64);
					}
					if (q >= 0)
						fa[q] = a->ids[q];
				}
				if (in_place) {
					align_in_place(a, b, gi, gj, glen);
					for (size_t k = 0; k < glen; k++) {
						fa[gi + k] = fb[gj + k] = NOT_FREE;
						if (live)
							live[(gj + k) / 64] &=
							    ~(1ULL << ((gj + k) % 64));
					}
					/* past the block, and past j in any case */
					j = gj + glen > j ? gj + glen : j + 1;
					rejected.i = SIZE_MAX; /* the texts changed */
					continue;
				}
				bi = gi, bj = gj, blen = glen;
			} else {
				cut_crumbs(a, b, &bi, &bj, &blen);
			}
			w = words(a, bi, blen);
			if (w >= MOVE_MIN_WORDS ||
			    (w >= MOVE_MIN_LINE && whole_lines(a, bi, blen) &&
			     whole_lines(b, bj, blen)) ||
			    (w >= MOVE_MIN_PART && most_of_line(a, b, bi, bj, blen))) {
				if ((nmoves = dmoves_add(mv, bi, bj, blen)) < 0)
					goto oom;
				for (size_t k = 0; k < blen; k++) {
					a->move[bi + k] = nmoves;
					b->move[bj + k] = nmoves;
					a->dirty[bi + k] = b->dirty[bj + k] = 0;
					fa[bi + k] = fb[bj + k] = NOT_FREE;
					if (live)
						live[(bj + k) / 64] &= ~(1ULL << ((bj + k) % 64));
				}
				j = bj + blen;
				rejected.i = SIZE_MAX; /* the texts changed */
				continue;
			}
			/* Found again from the next positions, the same block
			 * would be judged the same: judging changes nothing (a
			 * block grown to whole sentences is always taken). */
			rejected.i = fi, rejected.j = fj, rejected.len = flen;
		}
		j++;
	}
out:
	if (threaded)
		rl_task_join(task);
	free(end);
	free(ent);
	free(fa);
	free(fb);
	free(abits);
	free(free0);
	free(filter.bits);
	free(pr.found);
	free(pr.pos);
	free(pr.length);
	free(pr.done);
	return nmoves;
oom:
	nmoves = rl_error_set(err, RL_ENOMEM, "diff: out of memory finding moves");
	goto out;
}

int dmoves_add(dmoves *mv, size_t i, size_t j, size_t len)
{
	size_t m = mv->n + 1;

	if (m >= mv->cap) {
		size_t cap = mv->cap ? 2 * mv->cap : 64;
		size_t *at = realloc(mv->at, cap * 4 * sizeof(*at));

		if (!at)
			return RL_ENOMEM;
		mv->at = at;
		mv->cap = cap;
	}
	mv->at[4 * m] = i;
	mv->at[4 * m + 1] = i + len;
	mv->at[4 * m + 2] = j;
	mv->at[4 * m + 3] = j + len;
	mv->n = m;
	return (int)m;
}

/* Grows every move over equal tokens nobody took, before and after it on
 * both sides: a heading of one word ("# Chungcheong") between two moved
 * sentences is too short to move on its own, but moves with them. */
static void extend_moves(dside *a, dside *b, dmoves *mv)
{
	for (size_t m = 1; m <= mv->n; m++) {
		size_t *r = &mv->at[4 * m], x = r[0], xe = r[1], y = r[2], ye = r[3];

		while (x > 0 && y > 0 && freetok(a, x - 1) && freetok(b, y - 1) &&
		       a->ids[x - 1] == b->ids[y - 1]) {
			a->move[--x] = (int)m;
			b->move[--y] = (int)m;
		}
		while (freetok(a, xe) && freetok(b, ye) && a->ids[xe] == b->ids[ye]) {
			a->move[xe++] = (int)m;
			b->move[ye++] = (int)m;
		}
		r[0] = x, r[1] = xe, r[2] = y, r[3] = ye;
	}
}

static int by_old_start(const void *x, const void *y, void *ctx)
{
	const size_t *at = ctx, p = at[4 * *(const size_t *)x], q = at[4 * *(const size_t *)y];

	return (p > q) - (p < q);
}

/* Joins moves that follow each other on both sides (a moved sentence and
 * the moved start of the next) into one, numbered densely from 1 in the
 * order of the old text. */
static int join_moves(dside *a, dside *b, dmoves *mv, rl_error *err)
{
	size_t *order = malloc((mv->n + 1) * sizeof(*order)), prev = 0;
	int *to = calloc(mv->n + 1, sizeof(*to)), n = 0;

	if (!order || !to) {
		free(order);
		free(to);
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory finding moves");
	}
	for (size_t m = 1; m <= mv->n; m++)
		order[m - 1] = m;
	qsort_r(order, mv->n, sizeof(*order), by_old_start, mv->at);
	/* a move whose first token comes right after another's last, on
	 * both sides, joins it */
	for (size_t k = 0; k < mv->n; k++) {
		size_t m = order[k];
		const size_t *r = &mv->at[4 * m];

		if (prev && mv->at[4 * prev + 1] == r[0] && mv->at[4 * prev + 3] == r[2])
			to[m] = to[prev];
		else
			to[m] = ++n;
		prev = m;
	}
	for (size_t m = 1; m <= mv->n; m++) {
		const size_t *r = &mv->at[4 * m];

		for (size_t i = r[0]; i < r[1]; i++)
			a->move[i] = to[m];
		for (size_t j = r[2]; j < r[3]; j++)
			b->move[j] = to[m];
	}
	free(order);
	free(to);
	return n;
}

int diff_find_moves_how(dside *a, dside *b, int threads, rl_error *err)
{
	dmoves mv = {0};
	int n = diff_line_moves(a, b, &mv, threads, err);

	if (n >= 0)
		n = gram_moves(a, b, &mv, threads, err);
	if (n > 0) {
		extend_moves(a, b, &mv);
		n = join_moves(a, b, &mv, err);
	}
	free(mv.at);
	return n;
}

int diff_find_moves(dside *a, dside *b, rl_error *err)
{
	return diff_find_moves_how(a, b, a->ntok + b->ntok >= DIFF_THREAD_TOKENS, err);
}
