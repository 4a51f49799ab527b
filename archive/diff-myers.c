/* Myers' O(ND) difference algorithm in linear space (divide and conquer
 * on the middle snake), with a cost bound: when a region needs more than
 * `mxcost` edits before the forward and backward searches meet, it is
 * split at the furthest point either search reached, so a region with no
 * common structure costs O((N) * mxcost) instead of O(N^2). The aligner
 * sends only regions it could not anchor otherwise, so the bound rarely
 * bites on real documents; exact mode is used on small regions. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "diff-internal.h"

#define MYERS_MIN_COST 256
#define UNREACHED_F    (-1L)
#define UNREACHED_B    LONG_MAX

typedef struct myers {
	const uint32_t *a, *b;
	int32_t *ma, *mb;
	int32_t abase, bbase;
	long *fwd, *bwd; /* furthest x per diagonal k = x - y, index k + off */
	long off;
	long mxcost;
} myers;

typedef struct split {
	long x, y;
	int lo_exact, hi_exact;
} split;

static void match(myers *m, long x, long y)
{
	m->ma[x] = m->bbase + (int32_t)y;
	m->mb[y] = m->abase + (int32_t)x;
}

/* Forward step d: every diagonal fmin..fmax (same parity) advances one
 * edit and follows its snake. Returns the diagonal where it met the
 * backward search, or LONG_MIN. */
static long step_fwd(myers *m, long x1, long y1, long fmin, long fmax, long bmin, long bmax,
		     int check)
{
	long *f = m->fwd + m->off, *b = m->bwd + m->off;

	for (long k = fmax; k >= fmin; k -= 2) {
		long right = -1, down = -1, x, y;

		if (f[k - 1] != UNREACHED_F && f[k - 1] < x1)
			right = f[k - 1] + 1;
		if (f[k + 1] != UNREACHED_F && f[k + 1] - (k + 1) < y1)
			down = f[k + 1];
		x = right > down ? right : down;
		if (x < 0) {
			f[k] = UNREACHED_F;
			continue;
		}
		y = x - k;
		while (x < x1 && y < y1 && m->a[x] == m->b[y])
			x++, y++;
		f[k] = x;
		if (check && k >= bmin && k <= bmax && b[k] != UNREACHED_B && b[k] <= x)
			return k;
	}
	return LONG_MIN;
}

static long step_bwd(myers *m, long x0, long y0, long bmin, long bmax, long fmin, long fmax,
		     int check)
{
	long *f = m->fwd + m->off, *b = m->bwd + m->off;

	for (long k = bmax; k >= bmin; k -= 2) {
		long left = UNREACHED_B, up = UNREACHED_B, x, y;

		if (b[k + 1] != UNREACHED_B && b[k + 1] > x0)
			left = b[k + 1] - 1;
		if (b[k - 1] != UNREACHED_B && b[k - 1] - (k - 1) > y0)
			up = b[k - 1];
		x = left < up ? left : up;
		if (x == UNREACHED_B) {
			b[k] = UNREACHED_B;
			continue;
		}
		y = x - k;
		while (x > x0 && y > y0 && m->a[x - 1] == m->b[y - 1])
			x--, y--;
		b[k] = x;
		if (check && k >= fmin && k <= fmax && f[k] != UNREACHED_F && x <= f[k])
			return k;
	}
	return LONG_MIN;
}

/* Gives up after mxcost edits: the point either search pushed furthest
 * from its corner becomes the split; the side it came from has a known
 * path of cost <= mxcost, so it may be solved exactly. */
static void give_up(myers *m, long x0, long y0, long x1, long y1, long fmin, long fmax, long bmin,
		    long bmax, split *s)
{
	long *f = m->fwd + m->off, *b = m->bwd + m->off;
	long fbest = -1, fx = 0, bbest = LONG_MAX, bx = 0;

	for (long k = fmin; k <= fmax; k += 2)
		if (f[k] != UNREACHED_F && f[k] + (f[k] - k) > fbest) {
			fbest = f[k] + (f[k] - k);
			fx = f[k];
		}
	for (long k = bmin; k <= bmax; k += 2)
		if (b[k] != UNREACHED_B && b[k] + (b[k] - k) < bbest) {
			bbest = b[k] + (b[k] - k);
			bx = b[k];
		}
	if (fbest >= 0 && (bbest == LONG_MAX || fbest - (x0 + y0) >= (x1 + y1) - bbest)) {
		*s = (split){fx, fbest - fx, 1, 0};
	} else {
		*s = (split){bx, bbest - bx, 0, 1};
	}
}

static void find_split(myers *m, long x0, long y0, long x1, long y1, int exact, split *s)
{
	long *f = m->fwd + m->off, *b = m->bwd + m->off;
	long kmin = x0 - y1, kmax = x1 - y0;
	long fmid = x0 - y0, bmid = x1 - y1;
	long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	int odd = (int)((bmid - fmid) & 1);
	long k;

	f[fmid] = x0;
	b[bmid] = x1;
	for (long d = 1;; d++) {
		/* Widen each search by one diagonal where the box allows (the new
		 * outer neighbour is marked unreached), else narrow it. */
		if (fmin > kmin)
			f[--fmin - 1] = UNREACHED_F;
		else
			fmin++;
		if (fmax < kmax)
			f[++fmax + 1] = UNREACHED_F;
		else
			fmax--;
		k = step_fwd(m, x1, y1, fmin, fmax, bmin, bmax, odd);
		if (k != LONG_MIN) {
			*s = (split){f[k], f[k] - k, 1, 1};
			return;
		}
		if (bmin > kmin)
			b[--bmin - 1] = UNREACHED_B;
		else
			bmin++;
		if (bmax < kmax)
			b[++bmax + 1] = UNREACHED_B;
		else
			bmax--;
		k = step_bwd(m, x0, y0, bmin, bmax, fmin, fmax, !odd);
		if (k != LONG_MIN) {
			*s = (split){b[k], b[k] - k, 1, 1};
			return;
		}
		if (!exact && d >= m->mxcost) {
			give_up(m, x0, y0, x1, y1, fmin, fmax, bmin, bmax, s);
			return;
		}
	}
}

static void solve(myers *m, long x0, long y0, long x1, long y1, int exact)
{
	split s;

	for (;;) {
		while (x0 < x1 && y0 < y1 && m->a[x0] == m->b[y0]) {
			match(m, x0, y0);
			x0++, y0++;
		}
		while (x0 < x1 && y0 < y1 && m->a[x1 - 1] == m->b[y1 - 1]) {
			match(m, x1 - 1, y1 - 1);
			x1--, y1--;
		}
		if (x0 == x1 || y0 == y1)
			return;
		find_split(m, x0, y0, x1, y1, exact, &s);
		if ((s.x == x0 && s.y == y0) || (s.x == x1 && s.y == y1))
			return; /* cannot happen with no common prefix or suffix */
		/* Recurse into the smaller half, loop on the larger: the stack
		 * stays logarithmic even when splits are lopsided. */
		if ((s.x - x0) + (s.y - y0) < (x1 - s.x) + (y1 - s.y)) {
			solve(m, x0, y0, s.x, s.y, exact || s.lo_exact);
			x0 = s.x, y0 = s.y;
			exact = exact || s.hi_exact;
		} else {
			solve(m, s.x, s.y, x1, y1, exact || s.hi_exact);
			x1 = s.x, y1 = s.y;
			exact = exact || s.lo_exact;
		}
	}
}

int diff_myers(const uint32_t *a, size_t n, const uint32_t *b, size_t m, int32_t *ma, int32_t *mb,
	       int32_t abase, int32_t bbase, int exact)
{
	myers my;
	size_t ndiag = n + m + 5;

	my.a = a;
	my.b = b;
	/* Shift the match arrays so solve() can index with region offsets. */
	my.ma = ma + abase;
	my.mb = mb + bbase;
	my.abase = abase;
	my.bbase = bbase;
	my.fwd = malloc(ndiag * sizeof(long));
	my.bwd = malloc(ndiag * sizeof(long));
	if (!my.fwd || !my.bwd) {
		free(my.fwd);
		free(my.bwd);
		return RL_ENOMEM;
	}
	my.off = (long)m + 2;
	my.mxcost = (long)sqrt((double)(n + m));
	if (my.mxcost < MYERS_MIN_COST)
		my.mxcost = MYERS_MIN_COST;
	solve(&my, 0, 0, (long)n, (long)m, exact);
	free(my.fwd);
	free(my.bwd);
	return 0;
}
