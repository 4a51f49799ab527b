/* Exact longest common subsequence of a mid-sized region, 64 cells at a
 * time: the bit-vector LCS (Allison and Dix; Crochemore et al.; Hyyro)
 * gives a whole row of LCS lengths in O(n * m / 64). Bits run along the
 * shorter side. A region whose rows fit in the table budget keeps every
 * row and walks back from the corner: a 0 bit at column j of row i says
 * the LCS grows there, so the walk needs one bit test per step and the
 * region costs one pass. A larger one is halved first by Hirschberg's
 * split (a forward and a backward pass meeting in the middle), which
 * keeps memory bounded at twice the passes. Where the CPU has AVX-512, a
 * row is advanced eight words at a time, the same bits (step_avx512).
 *
 * Hirschberg all the way down, with Myers on the small leaves, was the
 * first version: on the 2018 -> 2020 editions it spent about two passes
 * over every cell plus 370M instructions in the leaves, where Myers'
 * O(ND) is worse than the area on dissimilar text. */
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RL_LCS_AVX512 1
#include <cpuid.h>
#include <stdatomic.h>
#else
#define RL_LCS_AVX512 0
#endif

#include "diff-internal.h"

#define LCS_TABLE_BYTES ((size_t)16 << 20) /* default for the rows kept for the walk back */

typedef struct lcs {
	const uint32_t *a, *b; /* whole token id arrays of the two sides */
	int32_t *ma, *mb;
	int32_t *slot; /* per token id: mask slot or -1 (scratch, kept -1) */
	size_t table_bytes;
	diff_lcs_step_fn *step;
	int failed;
} lcs;

typedef struct view {
	const uint32_t *h, *v; /* h runs along rows, v carries the bits */
	int32_t h0, h1, v0, v1;
	int swapped; /* h is side b */
} view;

static void set_match(lcs *L, const view *w, int32_t hi, int32_t vi)
{
	int32_t i = w->swapped ? vi : hi, j = w->swapped ? hi : vi;

	L->ma[i] = j;
	L->mb[j] = i;
}

/* Match masks of v[v0..v1) read forward (or backward): bit k of the
 * mask of a token id is set where the k-th token is that id. Slots are
 * numbered in L->slot for the distinct ids; unslot() resets them. */
static uint64_t *masks(lcs *L, const view *w, size_t W, int backward)
{
	int32_t m = w->v1 - w->v0, nslot = 0;
	uint64_t *M;

	for (int32_t k = w->v0; k < w->v1; k++)
		if (L->slot[w->v[k]] < 0)
			L->slot[w->v[k]] = nslot++;
	M = calloc((size_t)nslot * W + 1, sizeof(*M));
	if (!M)
		return NULL;
	for (int32_t k = 0; k < m; k++) {
		int32_t r = backward ? m - 1 - k : k;
		int32_t s = L->slot[w->v[w->v0 + k]];

		M[(size_t)s * W + (size_t)(r >> 6)] |= 1ULL << (r & 63);
	}
	return M;
}

static void unslot(lcs *L, const view *w)
{
	for (int32_t k = w->v0; k < w->v1; k++)
		L->slot[w->v[k]] = -1;
}

/* Advances the row vector by one token of h (Hyyro's step): V from U.
 * The add runs across the words with its carry: on x86-64 one
 * add-with-carry a word, most of the time of a region where the CPU has
 * no AVX-512 (step_avx512 below). */
static void step_words(uint64_t *V, const uint64_t *U, const uint64_t *M, size_t W)
{
#if defined(__x86_64__)
	unsigned char carry = 0;

	for (size_t k = 0; k < W; k++) {
		uint64_t x = U[k], m = M[k];
		unsigned long long s;

		carry = _addcarry_u64(carry, x, x & m, &s);
		V[k] = s | (x & ~m);
	}
#else
	uint64_t carry = 0;

	for (size_t k = 0; k < W; k++) {
		uint64_t u = U[k] & M[k], s = U[k] + u, c = s < u;

		s += carry;
		c |= s < carry;
		carry = c;
		V[k] = s | (U[k] & ~M[k]);
	}
#endif
}

#if RL_LCS_AVX512
/* The same step eight words at a time. Each word's sum is made at once;
 * which words take a carry in is an 8-bit addition of masks: a word
 * whose sum wrapped generates a carry, one whose sum is all ones passes
 * on the carry it takes (never both), so the carries in are
 * (P + (G << 1 | c)) ^ P, and bit 8 of that sum is the carry out of the
 * eight. The scalar step spends a cycle or three a word on its carry
 * chain; this one's chain is three instructions per eight words. The
 * last words of a row are loaded and stored under a mask. */
__attribute__((target("avx512f"))) static void step_avx512(uint64_t *V, const uint64_t *U,
							   const uint64_t *M, size_t W)
{
	const __m512i all = _mm512_set1_epi64(-1);
	unsigned carry = 0;

	for (size_t k = 0; k < W; k += 8) {
		__mmask8 live = W - k >= 8 ? (__mmask8)0xff : (__mmask8)((1u << (W - k)) - 1);
		__m512i x = _mm512_maskz_loadu_epi64(live, U + k);
		__m512i m = _mm512_maskz_loadu_epi64(live, M + k);
		__m512i s = _mm512_add_epi64(x, _mm512_and_si512(x, m));
		unsigned g = _mm512_cmplt_epu64_mask(s, x), p = _mm512_cmpeq_epi64_mask(s, all);
		unsigned t = p + ((g << 1) | carry);

		carry = t >> 8;
		/* s + 1 where a carry comes in: s - (-1) */
		s = _mm512_mask_sub_epi64(s, (__mmask8)(t ^ p), s, all);
		/* s | (x & ~m) */
		_mm512_mask_storeu_epi64(V + k, live, _mm512_ternarylogic_epi64(s, x, m, 0xF4));
	}
}
#endif

#if RL_LCS_AVX512
/* Whether the CPU has AVX-512 F and the kernel saves its registers
 * (XCR0: SSE, AVX, the mask and both halves of the ZMM registers).
 * Asked of cpuid once, on first use: __builtin_cpu_supports would link
 * libgcc's constructor that asks at the start of every program. */
static int has_avx512(void)
{
	static atomic_int known = -1;
	int have = atomic_load_explicit(&known, memory_order_relaxed);
	unsigned a, b, c, d, lo, hi;

	if (have >= 0)
		return have;
	have = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE) &&
	       __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_AVX512F);
	if (have) {
		__asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		(void)hi;
		have = (lo & 0xe6) == 0xe6;
	}
	atomic_store_explicit(&known, have, memory_order_relaxed);
	return have;
}
#endif

diff_lcs_step_fn *diff_lcs_step(int fastest)
{
#if RL_LCS_AVX512
	if (fastest && has_avx512())
		return step_avx512;
#else
	(void)fastest;
#endif
	return step_words;
}

/* One row of LCS lengths: F[k] = LCS(h[from..to) in its direction, the
 * first k tokens of v in the same direction), k = 0..m. */
static void row(const lcs *L, const view *w, const uint64_t *M, size_t W, int32_t from, int32_t to,
		int backward, uint64_t *V, int32_t *F)
{
	int32_t m = w->v1 - w->v0;

	memset(V, 0xff, W * sizeof(*V));
	for (int32_t t = 0; t < to - from; t++) {
		uint32_t id = w->h[backward ? to - 1 - t : from + t];

		if (L->slot[id] >= 0)
			L->step(V, V, M + (size_t)L->slot[id] * W, W);
	}
	F[0] = 0;
	for (int32_t k = 0; k < m; k++)
		F[k + 1] = F[k] + !((V[k >> 6] >> (k & 63)) & 1);
}

static void solve(lcs *L, view w);

/* Rows are kept one in CHECKPOINT; the walk back computes the others
 * again, a block of CHECKPOINT rows at a time, and only as many words of
 * them as it still needs (the walk's column only falls, and the add's
 * carry runs from the low words up, so a prefix of a row is exact). Every
 * row kept had been 45 MB written for the 2018 -> 2020 editions, a third
 * of the page faults of a compare; the rows again cost less than that,
 * and they are the same bits, so the same alignment. */
#define CHECKPOINT 8

typedef struct rowset {
	const uint64_t *M;      /* match masks, W words per slot */
	const int32_t *slot_of; /* per row after the first: the slot of its token */
	const uint64_t *kept;   /* row CHECKPOINT * k at kept + k * W */
	uint64_t *block;        /* rows CHECKPOINT * cur .. + CHECKPOINT - 1 */
	size_t W;
	diff_lcs_step_fn *step;
	int32_t cur; /* the block in `block`, -1: none */
} rowset;

/* Row r, exact in its words below `need`. */
static const uint64_t *row_at(rowset *rs, int32_t r, size_t need)
{
	int32_t k = r / CHECKPOINT, first = k * CHECKPOINT;
	size_t W = rs->W;

	if (k != rs->cur) {
		memcpy(rs->block, rs->kept + (size_t)k * W, need * sizeof(*rs->block));
		for (int32_t q = first + 1; q <= r; q++)
			rs->step(rs->block + (size_t)(q - first) * W,
				 rs->block + (size_t)(q - first - 1) * W,
				 rs->M + (size_t)rs->slot_of[q] * W, need);
		rs->cur = k;
	}
	return rs->block + (size_t)(r - first) * W;
}

/* The whole region in one pass, then the walk back. A token of h that v
 * lacks leaves the row as it was, so only the rows of the others count:
 * rows[t] is the row after h[h0 + t]. */
static void table(lcs *L, const view *w)
{
	int32_t n = w->h1 - w->h0, m = w->v1 - w->v0, i = n, j = m, nrow = 0;
	size_t W = ((size_t)m + 63) / 64;
	uint64_t *M = masks(L, w, W, 0), *kept = NULL, *block = NULL, *V = NULL;
	int32_t *rows = malloc((size_t)n * sizeof(*rows)), *slot_of = NULL;
	rowset rs;

	if (M && rows) {
		for (int32_t t = 0; t < n; t++)
			nrow += L->slot[w->h[w->h0 + t]] >= 0;
		kept = malloc(((size_t)nrow / CHECKPOINT + 1) * W * sizeof(*kept));
		block = malloc(CHECKPOINT * W * sizeof(*block));
		V = malloc(2 * W * sizeof(*V));
		slot_of = malloc(((size_t)nrow + 1) * sizeof(*slot_of));
	}
	if (!M || !rows || !kept || !block || !V || !slot_of) {
		L->failed = 1;
		goto out;
	}
	memset(kept, 0xff, W * sizeof(*kept));
	memset(V, 0xff, W * sizeof(*V));
	nrow = 0;
	for (int32_t t = 0; t < n; t++) {
		int32_t s = L->slot[w->h[w->h0 + t]];

		if (s >= 0) {
			uint64_t *from = V + (size_t)(nrow & 1) * W,
				 *to = V + (size_t)(~nrow & 1) * W;

			nrow++;
			slot_of[nrow] = s;
			L->step(to, from, M + (size_t)s * W, W);
			if (nrow % CHECKPOINT == 0)
				memcpy(kept + (size_t)(nrow / CHECKPOINT) * W, to, W * sizeof(*to));
		}
		rows[t] = nrow;
	}
	rs = (rowset){M, slot_of, kept, block, W, L->step, -1};
	while (i > 0 && j > 0) {
		if (w->h[w->h0 + i - 1] == w->v[w->v0 + j - 1]) {
			i--, j--;
			set_match(L, w, w->h0 + i, w->v0 + j);
		} else if ((row_at(&rs, rows[i - 1], (size_t)(j - 1) / 64 + 1)[(j - 1) >> 6] >>
			    ((j - 1) & 63)) &
			   1) {
			j--; /* the LCS is as long without v[j-1] */
		} else {
			i--;
		}
	}
out:
	unslot(L, w);
	free(M);
	free(kept);
	free(block);
	free(V);
	free(slot_of);
	free(rows);
}

/* Hirschberg's split: LCS lengths of the upper half forward and of the
 * lower half backward; the column where they sum highest cuts v. */
static void split(lcs *L, const view *w)
{
	int32_t m = w->v1 - w->v0, hm = w->h0 + (w->h1 - w->h0) / 2, best = -1, bj = 0;
	size_t W = ((size_t)m + 63) / 64;
	uint64_t *fm = NULL, *bm = NULL, *V = NULL;
	int32_t *F = NULL, *G = NULL;

	/* both mask sets number the slots alike: same ids, same order */
	fm = masks(L, w, W, 0);
	if (fm) {
		unslot(L, w);
		bm = masks(L, w, W, 1);
	}
	V = malloc(W * sizeof(*V));
	F = malloc(((size_t)m + 1) * sizeof(*F));
	G = malloc(((size_t)m + 1) * sizeof(*G));
	if (!fm || !bm || !V || !F || !G) {
		L->failed = 1;
		goto out;
	}
	row(L, w, fm, W, w->h0, hm, 0, V, F);
	row(L, w, bm, W, hm, w->h1, 1, V, G);
	for (int32_t j = 0; j <= m; j++)
		if (F[j] + G[m - j] > best) {
			best = F[j] + G[m - j];
			bj = j;
		}
out:
	unslot(L, w);
	free(fm);
	free(bm);
	free(V);
	free(F);
	free(G);
	if (L->failed)
		return;
	solve(L, (view){w->h, w->v, w->h0, hm, w->v0, w->v0 + bj, w->swapped});
	solve(L, (view){w->h, w->v, hm, w->h1, w->v0 + bj, w->v1, w->swapped});
}

static void solve(lcs *L, view w)
{
	int32_t n, m;

	while (w.h0 < w.h1 && w.v0 < w.v1 && w.h[w.h0] == w.v[w.v0])
		set_match(L, &w, w.h0++, w.v0++);
	while (w.h0 < w.h1 && w.v0 < w.v1 && w.h[w.h1 - 1] == w.v[w.v1 - 1])
		set_match(L, &w, --w.h1, --w.v1);
	n = w.h1 - w.h0;
	m = w.v1 - w.v0;
	if (!n || !m || L->failed)
		return;
	if (m > n) { /* bits along the shorter side */
		w = (view){w.v, w.h, w.v0, w.v1, w.h0, w.h1, !w.swapped};
		n = w.h1 - w.h0;
		m = w.v1 - w.v0;
	}
	if (((size_t)n + 1) * (((size_t)m + 63) / 64) * sizeof(uint64_t) <= L->table_bytes)
		table(L, &w);
	else
		split(L, &w);
}

/* The tokens of one side whose ids occur on the other: ids and
 * positions. The marks in slot (0: present) are the caller's to undo.
 * Every token is written and only the present ones kept, without a
 * branch: which tokens the other side has follows no pattern. (ids and
 * pos have room for all of x0..x1.) */
static int32_t keep_present(const uint32_t *x, int32_t x0, int32_t x1, const int32_t *slot,
			    uint32_t *ids, int32_t *pos)
{
	int32_t n = 0;

	for (int32_t i = x0; i < x1; i++) {
		ids[n] = x[i];
		pos[n] = i;
		n += slot[x[i]] == 0;
	}
	return n;
}

static void mark(const uint32_t *x, int32_t x0, int32_t x1, int32_t *slot, int32_t v)
{
	for (int32_t i = x0; i < x1; i++)
		slot[x[i]] = v;
}

/* A token that the other side lacks can never be matched, so the LCS of
 * the region is the LCS of what remains once such tokens are dropped:
 * on rewritten text that is a third to a half of each side, and the
 * area shrinks by the product. */
int diff_lcs(const uint32_t *a, int32_t x0, int32_t x1, const uint32_t *b, int32_t y0, int32_t y1,
	     int32_t *ma, int32_t *mb, int32_t *slot, size_t table_bytes)
{
	size_t n = (size_t)(x1 - x0), m = (size_t)(y1 - y0);
	uint32_t *ca = malloc((n + m + 1) * sizeof(*ca)), *cb = ca ? ca + n : NULL;
	/* zeroed: keep_present writes each entry below the count it returns,
	 * which clang's analyzer cannot follow through a count kept without
	 * a branch */
	int32_t *pa = calloc(n + m + 1, sizeof(*pa)), *pb = pa ? pa + n : NULL;
	int32_t *cma = malloc((n + m + 1) * sizeof(*cma)), *cmb = cma ? cma + n : NULL;
	int32_t na, nb;
	lcs L;

	if (!ca || !pa || !cma) {
		free(ca);
		free(pa);
		free(cma);
		return RL_ENOMEM;
	}
	mark(a, x0, x1, slot, 0);
	nb = keep_present(b, y0, y1, slot, cb, pb);
	mark(a, x0, x1, slot, -1);
	mark(b, y0, y1, slot, 0);
	na = keep_present(a, x0, x1, slot, ca, pa);
	mark(b, y0, y1, slot, -1);
	memset(cma, 0xff, (n + m + 1) * sizeof(*cma));
	L = (lcs){.a = ca,
		  .b = cb,
		  .ma = cma,
		  .mb = cmb,
		  .slot = slot,
		  .table_bytes = table_bytes ? table_bytes : LCS_TABLE_BYTES,
		  .step = diff_lcs_step(1)};
	solve(&L, (view){ca, cb, 0, na, 0, nb, 0});
	for (int32_t k = 0; k < na && !L.failed; k++)
		if (cma[k] >= 0) {
			ma[pa[k]] = pb[cma[k]];
			mb[pb[cma[k]]] = pa[k];
		}
	free(ca);
	free(pa);
	free(cma);
	return L.failed ? RL_ENOMEM : 0;
}
