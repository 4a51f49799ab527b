/* The arrays of the differ's tokens made ahead, their pages populated
 * on a second thread while the caller goes on (diff-internal.h says
 * why), and handed to the tokenizers. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "redline/thread.h"

#include "diff-tokens.h"

/* Populates n bytes from p a stretch at a time, until told to stop:
 * MADV_POPULATE_WRITE (Linux 5.14) maps the pages without a fault each
 * and writes nothing, so the memory may be in use meanwhile; elsewhere a
 * byte written per page does it, and nothing else is written before
 * diff_prep_stop has joined this thread. */
static void populate(diff_prep *p, char *from, size_t n)
{
	const size_t page = 4096, stretch = (size_t)256 << 10;
	/* the whole pages inside: madvise takes a page's start */
	size_t skip = (page - ((uintptr_t)from & (page - 1))) & (page - 1);
	char *at, *end;

	if (skip >= n)
		return;
	at = from + skip;
	end = at + ((n - skip) & ~(page - 1));
	while (at < end && !atomic_load_explicit(&p->stop, memory_order_relaxed)) {
		size_t len = (size_t)(end - at) < stretch ? (size_t)(end - at) : stretch;

#ifdef MADV_POPULATE_WRITE
		if (p->madv)
			(void)madvise(at, len, MADV_POPULATE_WRITE);
#endif
		if (!p->madv)
			for (size_t k = 0; k < len; k += page)
				((volatile char *)at)[k] = 0;
		at += len;
	}
}

/* In the order they are written: the masked texts, then the tokens of
 * both sides, the larger text's first (its tokenizer runs longest),
 * then the ids and matches. */
static void *populate_job(void *arg)
{
	diff_prep *p = arg;
	int big = p->side[1].cap > p->side[0].cap;

	for (int k = 0; k < 2; k++)
		populate(p, p->text[k], p->text_cap[k]);
	for (int k = 0; k < 2; k++) {
		prep_side *s = &p->side[k ? !big : big];

		populate(p, (char *)s->tok, s->cap * sizeof(*s->tok));
	}
	for (int k = 0; k < 2; k++) {
		prep_side *s = &p->side[k ? !big : big];

		populate(p, (char *)s->ids, (s->cap + 1) * sizeof(*s->ids));
		populate(p, (char *)s->match, (s->cap + 1) * sizeof(*s->match));
	}
	return NULL;
}

/* Can pages be populated without writing them? An empty range at a
 * page's start is refused (EINVAL) only where the advice is unknown. */
static int can_populate(char *at)
{
#ifdef MADV_POPULATE_WRITE
	char *page = at + ((4096 - ((uintptr_t)at & 4095)) & 4095);

	return madvise(page, 0, MADV_POPULATE_WRITE) == 0;
#else
	(void)at;
	return 0;
#endif
}

diff_prep *diff_prep_start(size_t la, size_t lb)
{
	diff_prep *p;
	size_t len[2] = {la, lb};

	/* the differ refuses such a text: nothing to populate for it */
	if (la > DIFF_MAX_TEXT || lb > DIFF_MAX_TEXT || !(p = calloc(1, sizeof(*p))))
		return NULL;
	for (int k = 0; k < 2; k++) {
		prep_side *s = &p->side[k];

		/* a masked label is a byte longer than "a." */
		s->cap = diff_first_cap(len[k] + len[k] / 64);
		s->tok = malloc(s->cap * sizeof(*s->tok));
		s->ids = malloc((s->cap + 1) * sizeof(*s->ids));
		s->match = malloc((s->cap + 1) * sizeof(*s->match));
		if (!s->tok || !s->ids || !s->match) {
			diff_prep_free(p);
			return NULL;
		}
	}
	/* The masked texts are written while the pages are populated:
	 * only where populating writes nothing. Room for a few bytes more
	 * a label; a text that needs more grows out of it. */
	p->madv = can_populate((char *)p->side[0].tok);
	for (int k = 0; k < 2 && p->madv; k++) {
		p->text_cap[k] = len[k] + len[k] / 16 + 4096;
		p->text[k] = malloc(p->text_cap[k]);
		if (!p->text[k]) {
			diff_prep_free(p);
			return NULL;
		}
	}
	atomic_init(&p->stop, 0);
	p->running = rl_thread_start(&p->tid, populate_job, p) == 0;
	if (!p->running) {
		diff_prep_free(p);
		return NULL;
	}
	return p;
}

void diff_prep_stop(diff_prep *p)
{
	if (!p || !p->running)
		return;
	atomic_store(&p->stop, 1);
	pthread_join(p->tid, NULL);
	p->running = 0;
}

void diff_prep_free(diff_prep *p)
{
	if (!p)
		return;
	diff_prep_stop(p);
	for (int k = 0; k < 2; k++) {
		free(p->side[k].tok);
		free(p->side[k].ids);
		free(p->side[k].match);
		if (!p->text_taken[k])
			free(p->text[k]);
	}
	free(p);
}

void diff_prep_take_text(diff_prep *p, int side, rl_buf *into)
{
	if (!p || !p->text[side] || p->text_taken[side] || into->ptr)
		return;
	into->ptr = p->text[side];
	into->cap = p->text_cap[side];
	into->len = 0;
	into->ptr[0] = '\0';
	p->text_taken[side] = 1;
}

prep_side diff_prep_take(prep_side *ps)
{
	prep_side got = {NULL, NULL, NULL, 0};

	if (ps) {
		got = *ps;
		memset(ps, 0, sizeof(*ps));
	}
	return got;
}
