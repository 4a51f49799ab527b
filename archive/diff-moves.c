/* Moves: a block of words deleted in one place and inserted in another.
 * The alignment keeps one order, so a paragraph that changed places comes
 * out as a deletion and an insertion; this pass pairs them again. Greedy
 * in the order of the new text (Tichy's block moves): deleted positions
 * are indexed by the hash of the K tokens starting there, each inserted
 * position looks its K-gram up and takes the longest equal block. A block
 * counts as a move when it is long enough not to be a phrase that merely
 * recurs: MOVE_MIN_WORDS words, or a whole sentence on both sides. */
#include <stdlib.h>
#include <string.h>

#include "diff-internal.h"

#define MOVE_GRAM       3
#define MOVE_MIN_WORDS  8
#define MOVE_MIN_LINE   2 /* words in a whole moved sentence */
#define MOVE_CANDIDATES 16

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

static int gram_free(const dside *s, size_t i)
{
	for (size_t k = 0; k < MOVE_GRAM; k++)
		if (!freetok(s, i + k))
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

int diff_find_moves(dside *a, dside *b, rl_error *err)
{
	size_t cap = 16, nfree = 0;
	int32_t *head = NULL, *next = NULL;
	int nmoves = 0;

	if (a->ntok < MOVE_GRAM || b->ntok < MOVE_GRAM)
		return 0;
	for (size_t i = 0; i + MOVE_GRAM <= a->ntok; i++)
		nfree += gram_free(a, i);
	if (!nfree)
		return 0;
	while (cap < nfree * 2)
		cap *= 2;
	head = malloc(cap * sizeof(*head));
	next = malloc(a->ntok * sizeof(*next));
	if (!head || !next) {
		free(head);
		free(next);
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory finding moves");
	}
	memset(head, 0xff, cap * sizeof(*head));
	/* Index back to front so chains list positions in text order. */
	for (size_t i = a->ntok - MOVE_GRAM + 1; i-- > 0;) {
		uint32_t h;

		if (!gram_free(a, i))
			continue;
		h = gram(a, i) & (uint32_t)(cap - 1);
		next[i] = head[h];
		head[h] = (int32_t)i;
	}
	for (size_t j = 0; j + MOVE_GRAM <= b->ntok;) {
		size_t bi = 0, blen = 0, bback = 0, tries = 0;
		int32_t i;

		if (!gram_free(b, j)) {
			j++;
			continue;
		}
		i = head[gram(b, j) & (uint32_t)(cap - 1)];
		for (; i >= 0 && tries < MOVE_CANDIDATES; i = next[i], tries++) {
			size_t len = 0, back = 0;

			while (freetok(a, (size_t)i + len) && freetok(b, j + len) &&
			       a->ids[(size_t)i + len] == b->ids[j + len])
				len++;
			while ((size_t)i > back && j > back && freetok(a, (size_t)i - back - 1) &&
			       freetok(b, j - back - 1) &&
			       a->ids[(size_t)i - back - 1] == b->ids[j - back - 1])
				back++;
			if (len + back > blen) {
				blen = len + back;
				bi = (size_t)i - back;
				bback = back;
			}
		}
		if (blen) {
			size_t bj = j - bback, w = words(a, bi, blen);

			if (w >= MOVE_MIN_WORDS ||
			    (w >= MOVE_MIN_LINE && whole_lines(a, bi, blen) &&
			     whole_lines(b, bj, blen))) {
				nmoves++;
				for (size_t k = 0; k < blen; k++) {
					a->move[bi + k] = nmoves;
					b->move[bj + k] = nmoves;
				}
				j = bj + blen;
				continue;
			}
		}
		j++;
	}
	free(head);
	free(next);
	return nmoves;
}
