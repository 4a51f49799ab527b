/* A line aligned with part of another where the same line stands whole,
 * unaligned, beside it: aligned with that one instead.
 *
 * Short lines make such ties: "# Air" beside "# Aerial Function Air
 * Defense", or "# Bureau" beside "# Planning Bureau" with one of them
 * gone. The alignment keeps as many tokens either way and can take the
 * longer line's, and the diff then shows the short line deleted and
 * inserted again. Taking the whole line keeps as many tokens, crosses no
 * other match (the line is between the matches around the one it
 * leaves), and reads as what happened. */
#include "diff-internal.h"

/* How far beside its partner a line's twin is looked for, in lines. */
#define TWIN_LINES 64

/* Are s's line ls and o's line lo the same tokens (ids)? */
static int same_line(const dside *s, size_t ls, const dside *o, size_t lo)
{
	const dline *x = &s->line[ls], *y = &o->line[lo];

	if (x->ntok != y->ntok)
		return 0;
	for (uint32_t k = 0; k < x->ntok; k++)
		if (s->ids[x->tok0 + k] != o->ids[y->tok0 + k])
			return 0;
	return 1;
}

static int unaligned(const dside *s, size_t l)
{
	const dline *x = &s->line[l];

	for (uint32_t k = 0; k < x->ntok; k++)
		if (s->match[x->tok0 + k] >= 0 || s->move[x->tok0 + k])
			return 0;
	return 1;
}

/* How far a line's neighbouring match is looked for, in tokens: past it
 * the line is left as it is (no pass over all of a text per line). */
#define NEAR_TOKENS 4096

/* The match of the nearest matched token of s before t (dir -1) or from
 * t on (dir 1); -1 / o->ntok at the text's ends; none within NEAR_TOKENS:
 * a bound no line is within (INT64_MAX before, -1 after). */
static int64_t nearest(const dside *s, const dside *o, int64_t t, int dir)
{
	for (int k = 0; k < NEAR_TOKENS; k++, t += dir) {
		if (t < 0 || t >= (int64_t)s->ntok)
			return dir < 0 ? -1 : (int64_t)o->ntok;
		if (s->match[t] >= 0)
			return s->match[t];
	}
	return dir < 0 ? INT64_MAX : -1;
}

/* s's line ls, all its tokens matched in o's line lo, which holds more:
 * o's unaligned line identical to ls between the matches around, if
 * any, else SIZE_MAX. */
static size_t twin(const dside *s, size_t ls, const dside *o, size_t lo)
{
	const dline *x = &s->line[ls];
	int64_t before = nearest(s, o, (int64_t)x->tok0 - 1, -1);
	int64_t after = nearest(s, o, (int64_t)x->tok0 + x->ntok, 1);

	for (size_t d = 1; d <= TWIN_LINES; d++)
		for (int side = -1; side <= 1; side += 2) {
			size_t l;
			const dline *y;

			if (side < 0 ? d > lo : lo + d >= o->nline)
				continue;
			l = side < 0 ? lo - d : lo + d;
			y = &o->line[l];
			if (y->ntok == x->ntok && (int64_t)y->tok0 > before &&
			    (int64_t)y->tok0 + y->ntok <= after && same_line(s, ls, o, l) &&
			    unaligned(o, l))
				return l;
		}
	return SIZE_MAX;
}

static void whole_lines(dside *s, dside *o)
{
	for (size_t ls = 0; ls < s->nline; ls++) {
		const dline *x = &s->line[ls];
		size_t lo, l;
		int32_t m;

		if (!x->ntok || (m = s->match[x->tok0]) < 0)
			continue;
		lo = o->tok[m].line;
		if (o->line[lo].ntok <= x->ntok)
			continue;
		for (uint32_t k = 0; k < x->ntok; k++) {
			m = s->match[x->tok0 + k];
			if (m < 0 || o->tok[m].line != lo)
				goto next;
		}
		if ((l = twin(s, ls, o, lo)) == SIZE_MAX)
			continue;
		for (uint32_t k = 0; k < x->ntok; k++) {
			size_t t = x->tok0 + k, u = o->line[l].tok0 + k;

			o->match[s->match[t]] = -1;
			s->match[t] = (int32_t)u;
			o->match[u] = (int32_t)t;
		}
	next:;
	}
}

void diff_whole_lines(dside *a, dside *b)
{
	whole_lines(b, a);
	whole_lines(a, b);
}
