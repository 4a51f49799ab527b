/* Item ids across versions: which item of the new version is which item
 * of the old one, judged by content, never by label.
 *
 * Identical texts (after normalization) pair first, in order. The rest
 * are paired by an optimal assignment: the pairs with at least SIMILAR_MIN
 * word overlap form a bipartite graph, and each connected component of it
 * is solved with the Hungarian method for the largest total similarity
 * (plus a tiny preference for items that kept their place and label, so
 * ties go the natural way). Greedy pairing (best pair first) is not enough:
 * when one rewritten item is close to two new ones, taking its best pair
 * can strand its neighbour, which then reads as removed and added instead
 * of reworded. Components are small (a list rewritten at once); one larger
 * than ASSIGN_MAX items a side falls back to greedy pairing. Last, an
 * item left unpaired whose text starts another's that is left too is
 * paired with it (match_extended): one gained a sentence, or lost it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "redline/structure.h"
#include "redline/util.h"
#include "principles-words.h"
#include "strcount.h"
#include "structure-internal.h"

/* Below this word overlap (Dice coefficient), two items are different items. */
#define SIMILAR_MIN 0.5
/* Tie-breaks, far below any real difference in overlap. */
#define PLACE_BONUS 0.01
#define LABEL_BONUS 0.001
/* Hungarian method is cubic: components up to this size a side. */
#define ASSIGN_MAX 300
/* Pairs compared beyond exact matches; past it only exact matches count. */
#define PAIRS_MAX ((size_t)1 << 24)

#ifdef __SSE2__
/* Sixteen bytes of an item's text as structure_normalize writes them,
 * when they are the common case: plain spaces, none next to another,
 * and none first while one is pending (*space) or nothing is written
 * yet (k == 0). A space that ends them waits, as the byte loop's does,
 * for what follows. 0 when they are not that case; the byte loop then
 * takes them. Parsing the structure of an edition with ten edits spent
 * three tenths of its time in the byte loop, a byte a few cycles. */
static int normalize16(const char *in, char *out, size_t *k, int *space)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)in);
	__m128i blank = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
	/* \t to \r: bytes 9-13, moved to the bottom of the signed range */
	__m128i ctl = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - 9))),
				     _mm_set1_epi8((char)(0x80 + 5)));
	__m128i upper = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - 'A'))),
				       _mm_set1_epi8((char)(0x80 + 26)));
	unsigned b = (unsigned)_mm_movemask_epi8(blank);

	if (_mm_movemask_epi8(ctl) || (b & (b >> 1)) || ((b & 1) && (*space || *k == 0)))
		return 0;
	if (*space)
		out[(*k)++] = ' ';
	v = _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8('a' - 'A')));
	_mm_storeu_si128((__m128i *)(void *)(out + *k), v);
	*space = (int)(b >> 15);
	*k += 16 - (size_t)*space;
	return 1;
}
#endif

char *structure_normalize(const char *text)
{
	size_t len = strlen(text), k = 0, i = 0;
	/* never more bytes written than read, sixteen at once included:
	 * each written stands for one read */
	char *out = malloc(len + 1);
	int space = 0;

	if (!out)
		return NULL;
	while (i < len) {
		size_t stop = len;

#ifdef __SSE2__
		if (i + 16 <= len) {
			if (normalize16(text + i, out, &k, &space)) {
				i += 16;
				continue;
			}
			stop = i + 16;
		}
#endif
		/* ASCII spaces and letters only, spelled out: ids must not
		 * depend on the locale, and ctype's calls per byte were a
		 * tenth of pairing the items of two editions. */
		for (; i < stop; i++) {
			unsigned char c = (unsigned char)text[i];

			if (c == ' ' || (c >= '\t' && c <= '\r')) {
				space = k > 0;
				continue;
			}
			if (space)
				out[k++] = ' ';
			space = 0;
			out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
		}
	}
	/* The list punctuation an item gains or loses when a neighbour comes
	 * or goes: "; and", "; or", ";", ".", ",", ":". */
	for (;;) {
		if (k >= 5 && memcmp(out + k - 5, "; and", 5) == 0)
			k -= 4;
		else if (k >= 4 && memcmp(out + k - 4, "; or", 4) == 0)
			k -= 3;
		else if (k > 0 && strchr(";.,: ", out[k - 1]))
			k--;
		else
			break;
	}
	out[k] = '\0';
	return out;
}

double rl_principles_similarity(const char *a, const char *b)
{
	char *na = structure_normalize(a ? a : ""), *nb = structure_normalize(b ? b : "");
	words wa = {0}, wb = {0};
	double s = 0;

	if (na && nb && words_of(&wa, na) == 0 && words_of(&wb, nb) == 0)
		s = strcmp(na, nb) == 0 ? 1.0 : words_dice(&wa, &wb);
	free(wa.h);
	free(wb.h);
	free(na);
	free(nb);
	return s;
}

/* --- fresh ids ---------------------------------------------------------------- */

int structure_fresh_ids(rl_structure *s)
{
	strcount *seen = strcount_new(s->n_items);
	int rc = seen ? 0 : -1;

	for (size_t i = 0; i < s->n_items && rc == 0; i++) {
		char *norm = structure_normalize(s->items[i].text), sha[65], id[32];
		int dup;

		if (!norm) {
			rc = -1;
			break;
		}
		rl_sha256_hex(norm, strlen(norm), sha);
		free(s->items[i].norm);
		s->items[i].norm = norm; /* carrying ids reads it again */
		snprintf(id, sizeof(id), "p-%.8s", sha);
		/* The same text twice in one version: number the repeats. */
		dup = strcount_get(seen, id, 10) + 1;
		if (dup > 1)
			snprintf(id + 10, sizeof(id) - 10, "-%d", dup);
		free(s->items[i].id);
		s->items[i].id = strdup(id);
		if (!s->items[i].id || strcount_add(seen, id, 10, 1) < 0)
			rc = -1;
	}
	strcount_free(seen);
	return rc;
}

/* --- assignment --------------------------------------------------------------- */

typedef struct side {
	const rl_structure *s;
	char **norm;
	words *w;
	size_t *order; /* indexes sorted by normalized text */
	int *match;    /* the other side's index, -1 */
} side;

typedef struct edge {
	int c, p; /* cur and prev item */
	double w;
} edge;

static void side_free(side *x, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* the item's own normalized text is the item's to free */
		if (x->norm && x->norm[i] != x->s->items[i].norm)
			free(x->norm[i]);
		free(x->w ? x->w[i].h : NULL);
	}
	free(x->norm);
	free(x->w);
	free(x->order);
	free(x->match);
}

static int by_norm(const void *x, const void *y, void *ctx)
{
	const side *sd = ctx;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = strcmp(sd->norm[a], sd->norm[b]);

	return c ? c : (a > b) - (a < b);
}

static int side_init(side *x, const rl_structure *s)
{
	size_t n = s->n_items;

	x->s = s;
	x->norm = calloc(n + 1, sizeof(*x->norm));
	x->w = calloc(n + 1, sizeof(*x->w));
	x->order = malloc((n + 1) * sizeof(*x->order));
	x->match = malloc((n + 1) * sizeof(*x->match));
	if (!x->norm || !x->w || !x->order || !x->match)
		return -1;
	for (size_t i = 0; i < n; i++) {
		x->norm[i] =
		    s->items[i].norm ? s->items[i].norm : structure_normalize(s->items[i].text);
		if (!x->norm[i])
			return -1;
		x->order[i] = i;
		x->match[i] = -1;
	}
	qsort_r(x->order, n, sizeof(*x->order), by_norm, x);
	return 0;
}

/* The words of the items exact matching left unpaired, the only ones
 * compared by words: between two versions a day apart, nearly none. */
static int side_words(side *x)
{
	for (size_t i = 0; i < x->s->n_items; i++)
		if (x->match[i] < 0 && words_read(&x->w[i], x->norm[i]) < 0)
			return -1;
	return 0;
}

/* Per item of x in document order, the other side's index of the
 * nearest item at or before it that is paired (-1: none). */
static int *partners_before(const side *x)
{
	size_t n = x->s->n_items;
	int *before = malloc((n + 1) * sizeof(*before)), last = -1;

	for (size_t i = 0; before && i < n; i++) {
		if (x->match[i] >= 0)
			last = x->match[i];
		before[i] = last;
	}
	return before;
}

/* The first free slot at or after q (nxt) or the last at or before q
 * (prv, slots shifted by one: 0 is none), halving the paths walked. */
static size_t next_free(size_t *nxt, size_t q)
{
	while (nxt[q] != q) {
		nxt[q] = nxt[nxt[q]];
		q = nxt[q];
	}
	return q;
}

/* Copies of one text, fewer on side f (f_idx, nf of them) than on side m
 * (m_idx, nm; both in document order, all free): each of f's pairs with
 * the first of m's still free that comes after the partner of the
 * nearest paired item before it (before[]), else with the last free one
 * before that. Near-linear: a list of thousands of "None." is no
 * quadratic pass. */
static int pair_copies(side *f, const size_t *f_idx, size_t nf, side *m, const size_t *m_idx,
		       size_t nm, const int *before)
{
	size_t *nxt = malloc((nm + 1) * sizeof(*nxt)), *prv = malloc((nm + 1) * sizeof(*prv));

	if (!nxt || !prv) {
		free(nxt);
		free(prv);
		return -1;
	}
	for (size_t q = 0; q <= nm; q++)
		nxt[q] = prv[q] = q;
	for (size_t k = 0; k < nf; k++) {
		size_t i = f_idx[k], lo = 0, hi = nm, q;

		while (lo < hi) { /* the first copy after before[i] */
			size_t mid = lo + (hi - lo) / 2;

			if ((long)m_idx[mid] > (long)before[i])
				hi = mid;
			else
				lo = mid + 1;
		}
		q = next_free(nxt, lo);
		if (q == nm) {
			size_t r = next_free(prv, lo);

			if (r == 0)
				break;
			q = r - 1;
		}
		f->match[i] = (int)m_idx[q];
		m->match[m_idx[q]] = (int)i;
		nxt[q] = q + 1;
		prv[q + 1] = q;
	}
	free(nxt);
	free(prv);
	return 0;
}

/* Identical texts pair in document order (the k-th "None." with the k-th)
 * where both versions hold as many. Where one holds fewer, the copies are
 * paired after the rest, each of the fewer with the copy that keeps the
 * order of the items paired around it: [X, B, X] -> [B, X] keeps the
 * second X, after B, and removes the first (paired in order, the first X
 * was kept, moved after B, and the second removed). */
static int match_exact(side *c, side *p)
{
	size_t i = 0, j = 0, nc = c->s->n_items, np = p->s->n_items, ng = 0;
	size_t(*uneven)[4] = malloc((nc < np ? nc : np) * sizeof(*uneven) + 1);
	int *before_c = NULL, *before_p = NULL, rc = 0;

	if (!uneven)
		return -1;
	while (i < nc && j < np) {
		int cmp = strcmp(c->norm[c->order[i]], p->norm[p->order[j]]);
		size_t i1 = i, j1 = j;

		if (cmp < 0) {
			i++;
			continue;
		}
		if (cmp > 0) {
			j++;
			continue;
		}
		while (i1 < nc && strcmp(c->norm[c->order[i1]], c->norm[c->order[i]]) == 0)
			i1++;
		while (j1 < np && strcmp(p->norm[p->order[j1]], p->norm[p->order[j]]) == 0)
			j1++;
		if (i1 - i == j1 - j) {
			for (size_t k = 0; k < i1 - i; k++) {
				c->match[c->order[i + k]] = (int)p->order[j + k];
				p->match[p->order[j + k]] = (int)c->order[i + k];
			}
		} else {
			uneven[ng][0] = i;
			uneven[ng][1] = i1;
			uneven[ng][2] = j;
			uneven[ng][3] = j1;
			ng++;
		}
		i = i1;
		j = j1;
	}
	if (ng && (!(before_c = partners_before(c)) || !(before_p = partners_before(p)))) {
		free(before_c);
		free(uneven);
		return -1;
	}
	for (size_t g = 0; g < ng && rc == 0; g++) {
		size_t ci = uneven[g][0], cn = uneven[g][1] - ci, pj = uneven[g][2],
		       pn = uneven[g][3] - pj;

		rc = cn < pn ? pair_copies(c, c->order + ci, cn, p, p->order + pj, pn, before_c)
			     : pair_copies(p, p->order + pj, pn, c, c->order + ci, cn, before_p);
	}
	free(before_c);
	free(before_p);
	free(uneven);
	return rc;
}

static double weight(const side *c, const side *p, size_t i, size_t j, double sim)
{
	double ri = c->s->n_items > 1 ? (double)i / (double)(c->s->n_items - 1) : 0;
	double rj = p->s->n_items > 1 ? (double)j / (double)(p->s->n_items - 1) : 0;
	double place = 1.0 - (ri > rj ? ri - rj : rj - ri);

	return sim + PLACE_BONUS * place +
	       LABEL_BONUS * rl_streq(c->s->items[i].label, p->s->items[j].label);
}

typedef struct edges {
	const side *c, *p;
	edge *v;
	size_t n, cap;
} edges;

static int add_edge(size_t i, size_t j, double sim, void *ctx)
{
	edges *e = ctx;

	if (e->n == e->cap) {
		edge *v = realloc(e->v, (e->cap = e->cap ? e->cap * 2 : 64) * sizeof(*v));

		if (!v)
			return -1;
		e->v = v;
	}
	e->v[e->n++] = (edge){(int)i, (int)j, weight(e->c, e->p, i, j, sim)};
	return 0;
}

/* Candidate pairs among the unmatched items of both sides. */
static int candidates(const side *c, const side *p, edge **out, size_t *n)
{
	size_t nc = c->s->n_items, np = p->s->n_items, uc = 0, up = 0;
	words_side wc = {c->w, c->match, nc}, wp = {p->w, p->match, np};
	edges e = {c, p, NULL, 0, 0};
	int rc;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < nc; i++)
		uc += c->match[i] < 0;
	for (size_t j = 0; j < np; j++)
		up += p->match[j] < 0;
	if (uc == 0 || up == 0 || uc * up > PAIRS_MAX)
		return 0;
	rc = words_similar_pairs(&wc, &wp, SIMILAR_MIN, add_edge, &e);
	*out = e.v;
	*n = e.n;
	return rc < 0 ? -1 : 0;
}

/* Union-find over cur items (0..nc) and prev items (nc..nc+np). */
static int find(int *up, int x)
{
	while (up[x] != x)
		x = up[x] = up[up[x]];
	return x;
}

static int by_weight(const void *x, const void *y)
{
	const edge *a = x, *b = y;

	if (a->w != b->w)
		return a->w < b->w ? 1 : -1;
	if (a->c != b->c)
		return a->c - b->c;
	return a->p - b->p;
}

static void greedy(side *c, side *p, edge *e, size_t n)
{
	qsort(e, n, sizeof(*e), by_weight);
	for (size_t k = 0; k < n; k++) {
		if (c->match[e[k].c] >= 0 || p->match[e[k].p] >= 0)
			continue;
		c->match[e[k].c] = e[k].p;
		p->match[e[k].p] = e[k].c;
	}
}

/* Hungarian method (potentials, O(rows^2 cols)) for a minimum-cost
 * assignment of every row to a distinct column, rows <= cols; cost is
 * rows x cols, row-major. Fills col_of[row]. */
static int hungarian(const double *cost, int rows, int cols, int *col_of)
{
	double *u = calloc((size_t)rows + 1, sizeof(*u)), *v = calloc((size_t)cols + 1, sizeof(*v));
	double *minv = malloc(((size_t)cols + 1) * sizeof(*minv));
	int *row_of = calloc((size_t)cols + 1, sizeof(*row_of));
	int *way = calloc((size_t)cols + 1, sizeof(*way));
	char *used = malloc((size_t)cols + 1);
	int rc = 0;

	if (!u || !v || !minv || !row_of || !way || !used) {
		rc = -1;
		goto out;
	}
	for (int i = 1; i <= rows; i++) {
		int j0 = 0;

		row_of[0] = i;
		for (int j = 0; j <= cols; j++) {
			minv[j] = 1e300;
			used[j] = 0;
		}
		do {
			int i0 = row_of[j0], j1 = 0;
			double delta = 1e300;

			used[j0] = 1;
			for (int j = 1; j <= cols; j++) {
				double cur;

				if (used[j])
					continue;
				cur = cost[(size_t)(i0 - 1) * (size_t)cols + (size_t)(j - 1)] -
				      u[i0] - v[j];
				if (cur < minv[j]) {
					minv[j] = cur;
					way[j] = j0;
				}
				if (minv[j] < delta) {
					delta = minv[j];
					j1 = j;
				}
			}
			for (int j = 0; j <= cols; j++) {
				if (used[j]) {
					u[row_of[j]] += delta;
					v[j] -= delta;
				} else {
					minv[j] -= delta;
				}
			}
			j0 = j1;
		} while (row_of[j0] != 0);
		do {
			int j1 = way[j0];

			row_of[j0] = row_of[j1];
			j0 = j1;
		} while (j0);
	}
	for (int j = 1; j <= cols; j++)
		if (row_of[j])
			col_of[row_of[j] - 1] = j - 1;
out:
	free(u);
	free(v);
	free(minv);
	free(row_of);
	free(way);
	free(used);
	return rc;
}

/* One component: its cur items are rows, its prev items columns, plus a
 * column per row for "unmatched" at cost 0, so a row takes a real
 * column only for a gain (cost -weight; no edge costs more than nothing). */
static int assign(side *c, side *p, const edge *e, size_t n, const int *cs, int nr, const int *ps,
		  int np)
{
	int cols = np + nr, *col_of = malloc(((size_t)nr + 1) * sizeof(*col_of));
	double *cost = malloc(((size_t)nr * (size_t)cols + 1) * sizeof(*cost));
	int *prow = malloc(((size_t)c->s->n_items + 1) * sizeof(*prow));
	int *pcol = malloc(((size_t)p->s->n_items + 1) * sizeof(*pcol));
	int rc = -1;

	if (!col_of || !cost || !prow || !pcol)
		goto out;
	for (int r = 0; r < nr; r++)
		prow[cs[r]] = r;
	for (int k = 0; k < np; k++)
		pcol[ps[k]] = k;
	for (size_t k = 0; k < (size_t)nr * (size_t)cols; k++)
		cost[k] = (int)(k % (size_t)cols) < np ? 1.0 : 0.0;
	for (size_t k = 0; k < n; k++)
		cost[(size_t)prow[e[k].c] * (size_t)cols + (size_t)pcol[e[k].p]] = -e[k].w;
	if (hungarian(cost, nr, cols, col_of) < 0)
		goto out;
	for (int r = 0; r < nr; r++) {
		int k = col_of[r];

		if (k < np && cost[(size_t)r * (size_t)cols + (size_t)k] < 0) {
			c->match[cs[r]] = ps[k];
			p->match[ps[k]] = cs[r];
		}
	}
	rc = 0;
out:
	free(col_of);
	free(cost);
	free(prow);
	free(pcol);
	return rc;
}

static int by_root(const void *x, const void *y)
{
	const int *a = x, *b = y;

	return a[0] != b[0] ? a[0] - b[0] : a[1] - b[1];
}

/* Solves every component of the candidate graph on its own. */
static int match_similar(side *c, side *p)
{
	size_t nc = c->s->n_items, np = p->s->n_items, n;
	edge *e = NULL, *ce = NULL;
	int *up = NULL, (*member)[2] = NULL, *cs = NULL, *ps = NULL, rc = -1;
	size_t nm = 0;

	if (candidates(c, p, &e, &n) < 0)
		goto out;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	up = malloc((nc + np) * sizeof(*up));
	member = malloc((nc + np) * sizeof(*member));
	cs = malloc((nc + 1) * sizeof(*cs));
	ps = malloc((np + 1) * sizeof(*ps));
	ce = malloc(n * sizeof(*ce));
	if (!up || !member || !cs || !ps || !ce)
		goto out;
	for (size_t k = 0; k < nc + np; k++)
		up[k] = (int)k;
	for (size_t k = 0; k < n; k++)
		up[find(up, e[k].c)] = find(up, (int)nc + e[k].p);
	/* Members (items with an edge) grouped by their root. */
	for (size_t k = 0; k < nc + np; k++) {
		if (k < nc ? c->match[k] >= 0 : p->match[k - nc] >= 0)
			continue;
		member[nm][0] = find(up, (int)k);
		member[nm][1] = (int)k;
		nm++;
	}
	qsort(member, nm, sizeof(*member), by_root);
	for (size_t a = 0, b; a < nm; a = b) {
		int nr = 0, nq = 0;
		size_t ne = 0;

		for (b = a; b < nm && member[b][0] == member[a][0]; b++) {
			if (member[b][1] < (int)nc)
				cs[nr++] = member[b][1];
			else
				ps[nq++] = member[b][1] - (int)nc;
		}
		if (nr == 0 || nq == 0)
			continue;
		for (size_t k = 0; k < n; k++)
			if (find(up, e[k].c) == member[a][0])
				ce[ne++] = e[k];
		if (nr <= ASSIGN_MAX && nq <= ASSIGN_MAX) {
			if (assign(c, p, ce, ne, cs, nr, ps, nq) < 0)
				goto out;
		} else {
			greedy(c, p, ce, ne);
		}
	}
	rc = 0;
out:
	free(e);
	free(ce);
	free(up);
	free(member);
	free(cs);
	free(ps);
	return rc;
}

/* --- items extended ----------------------------------------------------------- */

/* Words an item must have for its text, found at the start of another's,
 * to make it that item extended: fewer ("None", "Security") start too
 * many unrelated items. */
#define EXTENDED_MIN_WORDS 3

/* Is norm, of len bytes, the start of longer, ending where a word does? */
static int starts_item(const char *norm, size_t len, const char *longer)
{
	return strncmp(longer, norm, len) == 0 && longer[len] != '\0' &&
	       !word_byte((unsigned char)longer[len]);
}

/* Each item of `from` left unpaired whose text is the start of an
 * unpaired item's of `to` (the nearest in place of those) is paired with
 * it: an item that gained a sentence at its end, or lost one (from is
 * then the new version). Dice's overlap says they differ when the
 * sentence is longer than the item was (the words of "c. Peaceful
 * resolution of disputes ...; and" and of the same with the next
 * sentence joined to it, 0.43), and the item read as removed and added,
 * its label as replaced by itself. to's norms are sorted (order), so the
 * items that start with a text follow it there. */
static void pair_extended(side *from, side *to)
{
	size_t nf = from->s->n_items, nt = to->s->n_items;

	for (size_t i = 0; i < nf; i++) {
		const char *norm = from->norm[i];
		size_t len = strlen(norm), lo = 0, hi = nt, best = SIZE_MAX;
		double ri = nf > 1 ? (double)i / (double)(nf - 1) : 0, gap = 2;

		/* its words were counted for the pairing by overlap */
		if (from->match[i] >= 0 || from->w[i].n < EXTENDED_MIN_WORDS)
			continue;
		while (lo < hi) { /* the first of to's norms not before norm */
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(to->norm[to->order[mid]], norm) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t k = lo; k < nt && strncmp(to->norm[to->order[k]], norm, len) == 0;
		     k++) {
			size_t j = to->order[k];
			double rj = nt > 1 ? (double)j / (double)(nt - 1) : 0;
			double d = ri > rj ? ri - rj : rj - ri;

			if (to->match[j] < 0 && starts_item(norm, len, to->norm[j]) && d < gap) {
				gap = d;
				best = j;
			}
		}
		if (best == SIZE_MAX)
			continue;
		from->match[i] = (int)best;
		to->match[best] = (int)i;
	}
}

/* Items that Dice's overlap left unpaired and one of which is the other
 * with more at its end. */
static void match_extended(side *c, side *p)
{
	pair_extended(p, c); /* an old item that gained text */
	pair_extended(c, p); /* a new item that lost some */
}

/* Every id of both versions, counted. */
static strcount *ids_of(const rl_structure *cur, const rl_structure *prev)
{
	strcount *m = strcount_new(cur->n_items + prev->n_items);
	const rl_structure *v[2] = {cur, prev};

	for (int k = 0; m && k < 2; k++) {
		for (size_t i = 0; i < v[k]->n_items; i++) {
			const char *id = v[k]->items[i].id;

			if (id && strcount_add(m, id, strlen(id), 1) < 0) {
				strcount_free(m);
				return NULL;
			}
		}
	}
	return m;
}

/* Whether an item of either version but `self` has id. */
static int id_taken(const strcount *ids, const char *id, const char *self)
{
	return strcount_get(ids, id, strlen(id)) - (self && strcmp(self, id) == 0) > 0;
}

int rl_structure_carry_ids(rl_structure *cur, const rl_structure *prev, rl_error *err)
{
	side c, p;
	strcount *ids = NULL;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	memset(&p, 0, sizeof(p));
	if (!cur || !prev)
		return 0;
	/* cur's items keep their fresh ids where they match nothing; prev's
	 * are what is carried */
	if (prev->ids_pending)
		return structure_ids_pending(err);
	if (cur->ids_pending && (rc = rl_structure_fresh_ids(cur, err)) < 0)
		return rc;
	if (side_init(&c, cur) < 0 || side_init(&p, prev) < 0)
		goto out;
	if (match_exact(&c, &p) < 0 || side_words(&c) < 0 || side_words(&p) < 0 ||
	    match_similar(&c, &p) < 0)
		goto out;
	match_extended(&c, &p);
	for (size_t i = 0; i < cur->n_items; i++) {
		if (c.match[i] < 0)
			continue;
		free(cur->items[i].id);
		if (!(cur->items[i].id = strdup(prev->items[c.match[i]].id)))
			goto out;
	}
	/* A new item keeps its fresh id unless an item of either version
	 * has it (the same words as an item that was reworded away). */
	if (!(ids = ids_of(cur, prev)))
		goto out;
	for (size_t i = 0; i < cur->n_items; i++) {
		char *self = cur->items[i].id, *fresh, id[48];

		if (c.match[i] >= 0 || !self || !id_taken(ids, self, self))
			continue;
		for (int k = 2;; k++) {
			snprintf(id, sizeof(id), "%.10s-n%d", self, k);
			if (!id_taken(ids, id, self))
				break;
		}
		if (strcount_add(ids, self, strlen(self), -1) < 0 ||
		    strcount_add(ids, id, strlen(id), 1) < 0 || !(fresh = strdup(id)))
			goto out;
		cur->items[i].id = fresh;
		free(self);
	}
	rc = 0;
out:
	strcount_free(ids);
	side_free(&c, cur ? cur->n_items : 0);
	side_free(&p, prev ? prev->n_items : 0);
	return rc < 0 ? rl_error_set(err, RL_ENOMEM, "out of memory matching items") : 0;
}
