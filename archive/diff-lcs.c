/* Exact longest common subsequence of a mid-sized region, 64 cells at a
 * time: the bit-vector LCS (Allison and Dix; Crochemore et al.; Hyyro)
 * gives a whole row of LCS lengths in O(n * m / 64), and Hirschberg's
 * divide and conquer turns rows into an alignment in linear memory.
 * Where Myers' cost grows with the number of differences, this grows
 * with the area only, so a heavily rewritten chapter of a few thousand
 * words still gets its true LCS in milliseconds. Bits run along the
 * shorter side; the longer one is halved. */
#include <stdlib.h>
#include <string.h>

#include "diff-internal.h"

#define SMALL_AREA 4096 /* below this, plain Myers is cheaper than masks */

typedef struct lcs {
	const uint32_t *a, *b; /* whole token id arrays of the two sides */
	int32_t *ma, *mb;
	int32_t *slot;         /* per token id: mask slot or -1 (scratch, kept -1) */
	int failed;
} lcs;

typedef struct view {
	const uint32_t *h, *v; /* h is halved, v carries the bits */
	int32_t h0, h1, v0, v1;
	int swapped;           /* h is side b */
} view;

static void set_match(lcs *L, const view *w, int32_t hi, int32_t vi)
{
	int32_t i = w->swapped ? vi : hi, j = w->swapped ? hi : vi;

	L->ma[i] = j;
	L->mb[j] = i;
}

/* One row of LCS lengths: F[k] = LCS(h-range in direction, first k of v
 * in the same direction), k = 0..m. masks hold one W-word vector per
 * slot. */
static void row(const view *w, const int32_t *slot, const uint64_t *masks, size_t W,
		int32_t from, int32_t to, int backward, uint64_t *V, int32_t *F)
{
	int32_t m = w->v1 - w->v0;

	memset(V, 0xff, W * sizeof(*V));
	for (int32_t t = 0; t < to - from; t++) {
		uint32_t id = w->h[backward ? to - 1 - t : from + t];
		const uint64_t *M;
		uint64_t carry = 0;

		if (slot[id] < 0)
			continue;
		M = masks + (size_t)slot[id] * W;
		for (size_t k = 0; k < W; k++) {
			uint64_t u = V[k] & M[k], s = V[k] + u, c = s < u;

			s += carry;
			c |= s < carry;
			carry = c;
			V[k] = s | (V[k] & ~M[k]);
		}
	}
	F[0] = 0;
	for (int32_t k = 0; k < m; k++)
		F[k + 1] = F[k] + !((V[k >> 6] >> (k & 63)) & 1);
}

static void solve(lcs *L, view w);

static void split(lcs *L, view w)
{
	int32_t m = w.v1 - w.v0, nslot = 0, hm = w.h0 + (w.h1 - w.h0) / 2, best = -1, bj = 0;
	size_t W = ((size_t)m + 63) / 64;
	uint64_t *fm = NULL, *bm = NULL, *V = NULL;
	int32_t *F = NULL, *G = NULL;

	/* Mask slots for the distinct ids of v, forward and reversed. */
	for (int32_t k = w.v0; k < w.v1; k++)
		if (L->slot[w.v[k]] < 0)
			L->slot[w.v[k]] = nslot++;
	fm = calloc((size_t)nslot * W, sizeof(*fm));
	bm = calloc((size_t)nslot * W, sizeof(*bm));
	V = malloc(W * sizeof(*V));
	F = malloc(((size_t)m + 1) * sizeof(*F));
	G = malloc(((size_t)m + 1) * sizeof(*G));
	if (!fm || !bm || !V || !F || !G) {
		L->failed = 1;
		goto out;
	}
	for (int32_t k = 0; k < m; k++) {
		int32_t s = L->slot[w.v[w.v0 + k]], r = m - 1 - k;

		fm[(size_t)s * W + (size_t)(k >> 6)] |= 1ULL << (k & 63);
		bm[(size_t)s * W + (size_t)(r >> 6)] |= 1ULL << (r & 63);
	}
	row(&w, L->slot, fm, W, w.h0, hm, 0, V, F);
	row(&w, L->slot, bm, W, hm, w.h1, 1, V, G);
	for (int32_t j = 0; j <= m; j++)
		if (F[j] + G[m - j] > best) {
			best = F[j] + G[m - j];
			bj = j;
		}
out:
	for (int32_t k = w.v0; k < w.v1; k++)
		L->slot[w.v[k]] = -1;
	free(fm);
	free(bm);
	free(V);
	free(F);
	free(G);
	if (L->failed)
		return;
	solve(L, (view){ w.h, w.v, w.h0, hm, w.v0, w.v0 + bj, w.swapped });
	solve(L, (view){ w.h, w.v, hm, w.h1, w.v0 + bj, w.v1, w.swapped });
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
	if ((int64_t)n * m <= SMALL_AREA) {
		const uint32_t *a = w.swapped ? w.v : w.h, *b = w.swapped ? w.h : w.v;
		int32_t x0 = w.swapped ? w.v0 : w.h0, x1 = w.swapped ? w.v1 : w.h1;
		int32_t y0 = w.swapped ? w.h0 : w.v0, y1 = w.swapped ? w.h1 : w.v1;

		if (diff_myers(a + x0, (size_t)(x1 - x0), b + y0, (size_t)(y1 - y0), L->ma, L->mb,
			       x0, y0, 1) < 0)
			L->failed = 1;
		return;
	}
	if (m > n) { /* bits along the shorter side */
		w = (view){ w.v, w.h, w.v0, w.v1, w.h0, w.h1, !w.swapped };
	}
	split(L, w);
}

int diff_lcs(const uint32_t *a, int32_t x0, int32_t x1, const uint32_t *b, int32_t y0,
	     int32_t y1, int32_t *ma, int32_t *mb, int32_t *slot)
{
	lcs L = { a, b, ma, mb, slot, 0 };

	solve(&L, (view){ a, b, x0, x1, y0, y1, 0 });
	return L.failed ? RL_ENOMEM : 0;
}
