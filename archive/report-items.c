/* The word diff with enumerated items aligned as units.
 *
 * A word diff knows nothing of labels: when "b. Commitment ..." is
 * inserted before the old "b. Respect ...", the longest common
 * subsequence keeps the old "b" with the new "b" and reads
 * "b{+. Commitment ...; c+}. Respect". Once items are matched by content
 * (ids), the report knows better: each item's label is replaced, in
 * both texts, by one private-use character standing for the item's id
 * (characters the texts do not use), the masked texts are diffed, and
 * the result is mapped back. An inserted item is then one inserted line,
 * and a kept item whose label changed shows as a change of its label
 * alone ("[-b-]{+c+}. Respect"), a structure change of no words. The
 * masks are punctuation to the differ's tokenizer, so labels count as
 * no words in the stats either. */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "report-internal.h"
#include "structure-internal.h"
#include "diff-internal.h"

#define PUA_BMP_FIRST 0xE000
#define PUA_BMP_N     6400
#define PUA_A_FIRST   0xF0000
#define PUA_A_N       65534
#define MASKS_MAX     (PUA_BMP_N + PUA_A_N)

typedef report_region region;

typedef struct mside {
	const char *text;
	size_t len;
	rl_buf masked;
	region *r;
	size_t n;
} mside;

/* Whether any of the 64 bytes at s is 0xEE or more, the lead bytes of
 * private use (and of little else). */
static inline int any_high_lead(const unsigned char *s)
{
#ifdef __SSE2__
	const __m128i below = _mm_set1_epi8((char)0xED);
	__m128i m =
	    _mm_max_epu8(_mm_max_epu8(_mm_loadu_si128((const __m128i *)(const void *)s),
				      _mm_loadu_si128((const __m128i *)(const void *)(s + 16))),
			 _mm_max_epu8(_mm_loadu_si128((const __m128i *)(const void *)(s + 32)),
				      _mm_loadu_si128((const __m128i *)(const void *)(s + 48))));

	/* the largest byte of each lane is 0xED or less where the lane's
	 * maximum with 0xED is 0xED */
	return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(m, below), below)) != 0xFFFF;
#else
	/* eight bytes at a time: a byte's low seven bits plus 0x12 carry
	 * into its top bit at 0x6E, never into the next byte */
	const uint64_t tops = 0x8080808080808080ULL;
	uint64_t w[8], any = 0;

	memcpy(w, s, sizeof(w));
	for (int k = 0; k < 8; k++)
		any |= w[k] & ((w[k] & ~tops) + 0x1212121212121212ULL) & tops;
	return any != 0;
#endif
}

/* Private-use code points already in either text, which masks avoid.
 * Sixty-four bytes at a time where none leads a private-use character,
 * as nearly all of a text does not: eight at a time, and only where all
 * were ASCII, it was 0.3 ms of the serial part of a compare of two 1 MB
 * texts; thirty-two at a time, 2.4M instructions for the planted pair's
 * two texts, and 0.6M sixty-four at a time on SSE2. */
static void used_pua(const char *t, size_t len, unsigned char *used)
{
	for (size_t i = 0; i + 2 < len; i++) {
		const unsigned char *s = (const unsigned char *)t + i;
		unsigned cp;

		if (i + 64 <= len && !any_high_lead(s)) {
			i += 63;
			continue;
		}
		if (s[0] >= 0xEE && s[0] <= 0xEF && (s[1] & 0xC0) == 0x80 &&
		    (s[2] & 0xC0) == 0x80) {
			cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
			if (cp >= PUA_BMP_FIRST && cp < PUA_BMP_FIRST + PUA_BMP_N)
				used[cp - PUA_BMP_FIRST] = 1;
		} else if (s[0] == 0xF3 && i + 3 < len && s[1] >= 0xB0 && (s[2] & 0xC0) == 0x80 &&
			   (s[3] & 0xC0) == 0x80) {
			cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
			     ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
			if (cp >= PUA_A_FIRST && cp < PUA_A_FIRST + PUA_A_N)
				used[PUA_BMP_N + cp - PUA_A_FIRST] = 1;
		}
	}
}

static size_t utf8_put(char *out, unsigned cp)
{
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Byte offset of each line start (1-based lines: starts[line - 1]). */
static size_t *line_starts(const char *t, size_t len, size_t *n)
{
	size_t cap = 64, k = 0, *v = malloc(cap * sizeof(*v));

	if (!v)
		return NULL;
	v[k++] = 0;
	for (const char *p = t; (p = memchr(p, '\n', (size_t)(t + len - p))) != NULL; p++) {
		if (k == cap) {
			size_t *nv = realloc(v, (cap *= 2) * sizeof(*v));

			if (!nv) {
				free(v);
				return NULL;
			}
			v = nv;
		}
		v[k++] = (size_t)(p - t) + 1;
	}
	*n = k;
	return v;
}

/* The mask code of every item: old items get codes in order; a new item
 * shares the code of the old item with its id (the first, should two
 * have it). codes[] hold indexes into the free codes. Returns -1 when
 * there are too many items. */
static int assign_codes(const rl_structure *so, const rl_structure *sn, size_t *co, size_t *cn)
{
	size_t next = so->n_items;
	item_ids old;

	if (so->n_items + sn->n_items > MASKS_MAX || item_ids_init(&old, so) < 0)
		return -1;
	for (size_t i = 0; i < so->n_items; i++)
		co[i] = i;
	for (size_t k = 0; k < sn->n_items; k++) {
		long i = item_ids_find(&old, sn->items[k].id);

		cn[k] = i >= 0 ? (size_t)i : next++;
	}
	item_ids_free(&old);
	return 0;
}

static int by_line(const void *x, const void *y, void *ctx)
{
	const rl_structure *s = ctx;
	size_t a = s->items[*(const size_t *)x].line, b = s->items[*(const size_t *)y].line;

	return a < b ? -1 : a > b;
}

/* Where side x's labels are, in text order, and where their masks go
 * (x->r, x->n): the labels of s's items that are where the structure
 * says; code[i] is item i's index into the free code points cps. */
static int find_labels(mside *x, const rl_structure *s, const size_t *code, const unsigned *cps)
{
	size_t nl = 0, *ls = line_starts(x->text, x->len, &nl), at = 0, labels = 0, masks = 0;
	size_t *order = calloc(s->n_items + 1, sizeof(*order));
	int rc = -1;

	x->r = s->n_items < MASKS_MAX ? calloc(s->n_items + 1, sizeof(*x->r)) : NULL;
	if (!ls || !x->r || !order)
		goto out;
	/* Labels are masked in text order; the structure lists items list by
	 * list, and a nested or resumed list can come before an earlier line. */
	for (size_t i = 0; i < s->n_items; i++)
		order[i] = i;
	qsort_r(order, s->n_items, sizeof(*order), by_line, (void *)s);
	for (size_t k = 0; k < s->n_items; k++) {
		size_t i = order[k];
		const rl_item *it = &s->items[i];
		size_t ll = strlen(it->label), start;
		region *g = &x->r[x->n];

		if (it->line == 0 || it->line > nl)
			continue;
		start = ls[it->line - 1];
		/* Items are in text order; one whose label is not where the
		 * structure says (a stale structure) is left unmasked. */
		if (start < at || ll == 0 || start + ll > x->len ||
		    memcmp(x->text + start, it->label, ll) != 0)
			continue;
		g->real = start;
		g->real_len = ll;
		g->mask = start - labels + masks;
		g->mask_len = cps[code[i]] < 0x10000 ? 3 : 4;
		g->line = it->line;
		g->item = i;
		labels += ll;
		masks += g->mask_len;
		at = start + ll;
		x->n++;
	}
	rc = 0;
out:
	free(order);
	free(ls);
	return rc;
}

/* Side x's masked text, a copy of its text with each label found
 * (find_labels) written as its mask. */
static int copy_masked(mside *x, const size_t *code, const unsigned *cps)
{
	size_t at = 0;

	/* as long as the text, give or take a few bytes for each label:
	 * one allocation, not a dozen copies */
	if (rl_buf_grow(&x->masked, x->len + 4 * x->n + 1) < 0)
		return -1;
	for (size_t k = 0; k < x->n; k++) {
		const region *g = &x->r[k];
		char enc[4];

		rl_buf_put(&x->masked, x->text + at, g->real - at);
		utf8_put(enc, cps[code[g->item]]);
		rl_buf_put(&x->masked, enc, g->mask_len);
		at = g->real + g->real_len;
	}
	rl_buf_put(&x->masked, x->text + at, x->len - at);
	return x->masked.failed ? -1 : 0;
}

/* Rewriting a text in place, its labels as masks (masking) or its masks
 * as labels again: where each span is and will be. */
static size_t src_at(const region *g, int masking)
{
	return masking ? g->real : g->mask;
}

static size_t src_len(const region *g, int masking)
{
	return masking ? g->real_len : g->mask_len;
}

static size_t dst_at(const region *g, int masking)
{
	return masking ? g->mask : g->real;
}

static size_t dst_len(const region *g, int masking)
{
	return masking ? g->mask_len : g->real_len;
}

/* Which way side x's text can be rewritten in place: 1 from its end,
 * where no byte moves left of where it was (labels longer as masks: "a."
 * is 3 bytes masked), -1 from its start, where none moves right ("가."
 * is 4 bytes); 0 where bytes move each way, which only a copy can take. */
static int rewrite_way(const mside *x, int masking)
{
	size_t was = 0, will = 0;
	int right = 0, left = 0;

	for (size_t k = 0; k < x->n; k++) {
		was += src_len(&x->r[k], masking);
		will += dst_len(&x->r[k], masking);
		right |= will > was;
		left |= will < was;
	}
	return right && left ? 0 : left ? -1 : 1;
}

/* Side x's text in b, rewritten in place the way rewrite_way gave (not
 * 0): each label as its mask (masking; code[i] is item i's index into
 * cps) or each mask as its label (s's). b has the room. */
static void rewrite(rl_buf *b, const mside *x, const rl_structure *s, const size_t *code,
		    const unsigned *cps, int masking, int way)
{
	char *p = b->ptr;
	size_t len = b->len, end = len, from = 0;

	for (size_t i = 0; i < x->n; i++) {
		/* from the end: each span after the stretch that follows it
		 * moved; from the start: after the stretch before it */
		size_t k = way > 0 ? x->n - 1 - i : i;
		const region *g = &x->r[k];

		if (way > 0) {
			size_t after = src_at(g, masking) + src_len(g, masking);

			memmove(p + dst_at(g, masking) + dst_len(g, masking), p + after,
				end - after);
			end = src_at(g, masking);
		} else {
			size_t stretch = src_at(g, masking) - from;

			memmove(p + dst_at(g, masking) - stretch, p + from, stretch);
			from = src_at(g, masking) + src_len(g, masking);
		}
		if (masking)
			utf8_put(p + dst_at(g, masking), cps[code[g->item]]);
		else
			memcpy(p + dst_at(g, masking), s->items[g->item].label, g->real_len);
		len = len - src_len(g, masking) + dst_len(g, masking);
	}
	if (way < 0 && x->n) {
		const region *g = &x->r[x->n - 1];

		memmove(p + dst_at(g, masking) + dst_len(g, masking), p + from, b->len - from);
	}
	b->len = len;
	p[len] = '\0';
}

/* The bytes side x's masks add to its labels' (rewrite_way 1: none
 * fewer): how far its last mask ends past its last label. */
static size_t masks_over_labels(const mside *x)
{
	const region *g = x->n ? &x->r[x->n - 1] : NULL;

	return g ? g->mask + g->mask_len - g->real - g->real_len : 0;
}

/* Both texts masked (a->masked, b->masked), their labels found
 * (find_labels): in place where they are taken (ta, tb; NULL: not), both
 * can be and both have room, and then their buffers are the masked texts
 * (1); else in copies (0); -1 without memory. */
static int mask_texts(rl_buf *ta, mside *a, const rl_structure *so, const size_t *co, rl_buf *tb,
		      mside *b, const rl_structure *sn, const size_t *cn, const unsigned *cps,
		      diff_prep *prep)
{
	int wa = rewrite_way(a, 1), wb = rewrite_way(b, 1);

	/* grown first, both: a rewrite does not fail */
	if (ta && tb && wa && wb && (wa < 0 || rl_buf_grow(ta, masks_over_labels(a)) == 0) &&
	    (wb < 0 || rl_buf_grow(tb, masks_over_labels(b)) == 0)) {
		rewrite(ta, a, so, co, cps, 1, wa);
		rewrite(tb, b, sn, cn, cps, 1, wb);
		a->masked = *ta;
		b->masked = *tb;
		rl_buf_init(ta);
		rl_buf_init(tb);
		return 1;
	}
	diff_prep_take_text(prep, 0, &a->masked);
	diff_prep_take_text(prep, 1, &b->masked);
	return copy_masked(a, co, cps) < 0 || copy_masked(b, cn, cps) < 0 ? -1 : 0;
}

/* Free private-use code points, as many as needed. */
static unsigned *free_codes(const char *a, size_t al, const char *b, size_t bl, size_t need)
{
	unsigned char *used = calloc(MASKS_MAX, 1);
	unsigned *cps = calloc(need + 1, sizeof(*cps));
	size_t k = 0;

	if (!used || !cps)
		goto fail;
	used_pua(a, al, used);
	used_pua(b, bl, used);
	for (size_t c = 0; c < MASKS_MAX && k < need; c++)
		if (!used[c])
			cps[k++] = c < PUA_BMP_N ? PUA_BMP_FIRST + (unsigned)c
						 : PUA_A_FIRST + (unsigned)(c - PUA_BMP_N);
	if (k < need)
		goto fail;
	free(used);
	return cps;
fail:
	free(used);
	free(cps);
	return NULL;
}

/* Codes for a new text masked before its ids are carried: each item
 * its own code after the old items' (cn[j] = old + j), all of three
 * bytes, so that the code it takes once ids are carried (assign_codes)
 * is written over it in place (late_codes). */
typedef struct late {
	report_carry *carry;
	const rl_structure *so, *sn;
	size_t *co, *cn;
	const unsigned *cps;
	const mside *b;
} late;

/* The carried ids awaited, the new items' codes assigned by them and
 * written over the provisional ones: before the texts are tokenized
 * (diff_condensed reads their lines first), or by late_codes. */
static int late_text(void *ctx, char *new_text, rl_error *err)
{
	late *l = ctx;
	int rc = report_carry_wait(l->carry, err);

	if (rc < 0)
		return rc;
	if (assign_codes(l->so, l->sn, l->co, l->cn) < 0)
		return rl_error_set(err, RL_ENOMEM, "out of memory masking labels");
	for (size_t k = 0; k < l->b->n; k++)
		utf8_put(new_text + l->b->r[k].mask, l->cps[l->cn[l->b->r[k].item]]);
	return 0;
}

/* Once the texts are tokenized: the codes written (late_text), and the
 * tokens holding them given their ids. */
static int late_codes(void *ctx, char *new_text, dside *a, dside *b, dintern *tokens, rl_error *err)
{
	late *l = ctx;
	size_t near = 0;
	int rc = late_text(ctx, new_text, err);

	(void)a;
	if (rc < 0)
		return rc;
	for (size_t k = 0; k < l->b->n; k++) {
		const region *g = &l->b->r[k];
		size_t t = diff_tok_at(b, g->mask, &near);
		dtok *tok;
		uint8_t facts;

		if (t == b->ntok || b->tok[t].start != g->mask)
			return rl_error_set(err, RL_EINVALID,
					    "masked label at byte %zu is no token", g->mask);
		tok = &b->tok[t];
		if (dintern_id(tokens, new_text + tok->start, tok->end - tok->start, tok->kind,
			       &b->ids[t], &facts) < 0)
			return rl_error_set(err, RL_ENOMEM, "out of memory masking labels");
		tok->facts = facts;
	}
	return 0;
}

/* The diff's texts, masked in place, made real again: their masks
 * rewritten as their labels (the way back never needs room). */
static void unmask_in_place(rl_diff *d, const mside *a, const rl_structure *so, const mside *b,
			    const rl_structure *sn)
{
	rewrite(&d->old_text, a, so, NULL, NULL, 0, rewrite_way(a, 0));
	rewrite(&d->new_text, b, sn, NULL, NULL, 0, rewrite_way(b, 0));
}

int report_diff_items(rl_diff **out, const char *old_text, size_t old_len, const char *new_text,
		      size_t new_len, rl_buf *take_old, rl_buf *take_new, const rl_structure *so,
		      const rl_structure *sn, const rl_diff_opts *opts, diff_prep *prep,
		      report_carry *carry, rl_error *err)
{
	mside a = {old_text, old_len, RL_BUF_INIT, NULL, 0};
	mside b = {new_text, new_len, RL_BUF_INIT, NULL, 0};
	size_t *co = NULL, *cn = NULL, need;
	unsigned *cps = NULL;
	rl_diff *d = NULL;
	late l = {carry, so, sn, NULL, NULL, NULL, &b};
	diff_retoken retoken = {late_codes, &l, late_text};
	int rc, provisional, in_place = 0;

	*out = NULL;
	if (!so || !sn || so->n_items + sn->n_items == 0)
		return take_old && take_new
			   ? diff_texts_taking(out, take_old, take_new, opts, prep, NULL, err)
			   : diff_texts_made(out, old_text, old_len, new_text, new_len, opts, prep,
					     err);
	need = so->n_items + sn->n_items;
	co = calloc(so->n_items + 1, sizeof(*co));
	cn = calloc(sn->n_items + 1, sizeof(*cn));
	cps = free_codes(old_text, old_len, new_text, new_len, need);
	/* Codes of four bytes cannot be written over codes of three: then
	 * the ids are awaited first. */
	provisional = carry && cps && cps[need - 1] < 0x10000;
	if (!provisional && (rc = report_carry_wait(carry, err)) < 0)
		goto out;
	if (provisional && co && cn) {
		for (size_t i = 0; i < so->n_items; i++)
			co[i] = i;
		for (size_t j = 0; j < sn->n_items; j++)
			cn[j] = so->n_items + j;
	}
	/* Taken texts are masked where they are, and the diff's texts are
	 * they (two megabytes not written for the first time); else, or
	 * where labels grow and shrink both, copies are. */
	if (!co || !cn || !cps || (!provisional && assign_codes(so, sn, co, cn) < 0) ||
	    find_labels(&a, so, co, cps) < 0 || find_labels(&b, sn, cn, cps) < 0 ||
	    (in_place = mask_texts(take_old, &a, so, co, take_new, &b, sn, cn, cps, prep)) < 0) {
		/* Nothing to align on (or no memory to): the plain word diff. */
		if ((rc = report_carry_wait(carry, err)) == 0)
			rc = rl_diff_texts(out, old_text, old_len, new_text, new_len, opts, err);
		goto out;
	}
	l.co = co;
	l.cn = cn;
	l.cps = cps;
	/* the masked texts are not needed after: the diff takes them */
	rc = diff_texts_taking(&d, &a.masked, &b.masked, opts, prep, provisional ? &retoken : NULL,
			       err);
	if (rc == 0 && in_place) {
		unmask_in_place(d, &a, so, &b, sn);
		old_text = d->old_text.ptr;
		new_text = d->new_text.ptr;
	}
	if (rc == 0)
		rc =
		    report_unmask(d, old_text, old_len, new_text, new_len, a.r, a.n, b.r, b.n, err);
	if (rc == RL_EINVALID) {
		/* never seen; should it happen, the plain word diff is still right */
		rc = rl_diff_texts(out, old_text, old_len, new_text, new_len, opts, err);
		goto out;
	}
	if (rc == 0) {
		*out = d;
		d = NULL;
	}
out:
	rl_diff_free(d);
	rl_buf_free(&a.masked);
	rl_buf_free(&b.masked);
	free(a.r);
	free(b.r);
	free(co);
	free(cn);
	free(cps);
	return rc;
}
