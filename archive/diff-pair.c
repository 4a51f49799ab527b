/* Two texts tokenized on two threads, into one table of words: b on a
 * second thread in a table of its own, merged after; or, when the texts
 * share most of their lines, each line tokenized once. The ids are the
 * ones tokenizing a then b on one thread gives (test-diff-tokens). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redline/thread.h"

#include "diff-tokens.h"

/* b's tokens, interned in its own table, as ids of tokens. */
static int adopt(dside *b, dintern *own, dintern *tokens, rl_error *err)
{
	uint32_t *map = malloc(((size_t)dintern_count(own) + 1) * sizeof(*map));

	if (!map || diff_intern_merge(tokens, own, 0, dintern_count(own), map) < 0) {
		free(map);
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	}
	for (size_t i = 0; i < b->ntok; i++) {
		dtok *t = &b->tok[i];

		t->id = b->ids[i] = map[t->id];
		t->facts = dintern_facts(tokens, t->id);
	}
	free(map);
	return 0;
}

/* --- two texts that share most of their lines ------------------------------ */

/* Two versions a day apart share nearly every line, and a line's tokens
 * are the same wherever it is (no rule joins across a line end). Then
 * the lines of b that a has are given the tokens of a's line, and the
 * tokenizing left, a's lines and b's others, is split evenly between the
 * two threads: a's first lines on this one, its last lines and b's
 * others on the second, in its own table. Its words are interned into
 * the shared table after, a's then b's, so the ids are the ones a then
 * b tokenized on one thread get (test-diff-tokens holds them to it). */

static uint64_t line_hash(const dside *s, size_t l)
{
	const char *p = s->text + s->line[l].start;
	uint32_t len = s->line[l].end - s->line[l].start;

	return diff_bytes_hash(p, len);
}

static int same_line(const dside *x, size_t i, const dside *y, size_t j)
{
	uint32_t len = x->line[i].end - x->line[i].start;

	return len == y->line[j].end - y->line[j].start &&
	       memcmp(x->text + x->line[i].start, y->text + y->line[j].start, len) == 0;
}

/* A side begun, the hash of each of its lines, and for a (lines set) a
 * table of its lines by hash (NULL without memory). */
typedef struct begun {
	dside *s;
	const char *text;
	size_t len, cap;
	prep_side *made;
	uint64_t *hash;
	int index;       /* asked for lines (a's) */
	uint32_t *lines; /* a line + 1 by its hash, 0: empty; the first of equal lines */
	size_t nslots;   /* power of two */
	rl_error err;
	int rc;
} begun;

static void index_lines(begun *g)
{
	const dside *a = g->s;

	g->nslots = 2;
	while (g->nslots < 2 * a->nline)
		g->nslots *= 2;
	if (!(g->lines = calloc(g->nslots, sizeof(*g->lines))))
		return;
	for (size_t l = 0; l < a->nline; l++) {
		size_t j = g->hash[l] & (g->nslots - 1);
		uint32_t k;

		while ((k = g->lines[j]) != 0 &&
		       !(g->hash[k - 1] == g->hash[l] && same_line(a, k - 1, a, l)))
			j = (j + 1) & (g->nslots - 1);
		if (!k)
			g->lines[j] = (uint32_t)l + 1;
	}
}

static void *begin_job(void *arg)
{
	begun *g = arg;

	g->rc = diff_side_begin(g->s, g->text, g->len, g->made, &g->cap, &g->err);
	if (g->rc == 0 && (g->hash = malloc((g->s->nline + 1) * sizeof(*g->hash))) != NULL) {
		for (size_t l = 0; l < g->s->nline; l++)
			g->hash[l] = line_hash(g->s, l);
		if (g->index)
			index_lines(g);
	}
	return NULL;
}

/* same[l]: a line of a with the bytes of b's line l, or -1; returns the
 * bytes of b's lines found. */
static size_t find_shared(const begun *ga, const begun *gb, int32_t *same)
{
	const dside *a = ga->s, *b = gb->s;
	size_t found = 0;

	for (size_t l = 0; l < b->nline; l++) {
		size_t j = gb->hash[l] & (ga->nslots - 1);
		uint32_t k;

		same[l] = -1;
		for (; (k = ga->lines[j]) != 0; j = (j + 1) & (ga->nslots - 1)) {
			if (ga->hash[k - 1] == gb->hash[l] && same_line(a, k - 1, b, l)) {
				same[l] = (int32_t)k - 1;
				found += b->line[l].end - b->line[l].start;
				break;
			}
		}
	}
	return found;
}

/* The second thread of diff_tokenize_pair. It begins b (its lines and
 * their hashes) while this thread begins a and indexes a's lines; then
 * it looks for b's lines in a. Most found: this thread is told to stop
 * tokenizing a at a line (split: half the bytes left to tokenize, or
 * where it has got to), and the second thread tokenizes a's lines from
 * there on and then b's lines that a lacks, each into arrays of its own
 * (at, bt); b's other lines take a's tokens once both are done. Else it
 * tokenizes b, as this thread does a. Either way in a table of its own,
 * a's lines' words then b's, interned after this thread's: the ids of
 * one thread. Neither thread waits on the other but for a's index. */
typedef struct pair_job {
	begun *ga, *gb;
	dintern *words;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int a_ready;      /* a begun and indexed (under lock) */
	size_t a_claimed; /* a's lines [0, a_claimed) are this thread's (under lock) */
	size_t a_stop;    /* and it claims none from here on (under lock) */
	int shared;       /* the second thread took a's lines from split */
	size_t split;
	int32_t *same; /* per line of b, its line in a or -1 */
	dside at, bt;
	size_t at_cap;    /* at's room (its arrays made by the caller) */
	uint32_t a_words; /* its words once a's lines are done */
	rl_error err;
	int rc;
} pair_job;

/* Lines of a claimed for this thread in blocks: few enough for the
 * lock, small enough that the split falls near where it should. */
#define CLAIM_LINES 256

/* b's lines found in a, in bytes, for this share of b to be tokenized
 * once: most of it (half or more). */
#define SHARED_MIN_PART 2

static void *pair_run(void *arg)
{
	pair_job *j = arg;
	begun *ga = j->ga, *gb = j->gb;
	dside *a = ga->s, *b = gb->s;
	tokenizer tk;
	size_t found = 0;
	int rc = 0;

	begin_job(gb);
	if (gb->rc < 0)
		return NULL;
	pthread_mutex_lock(&j->lock);
	while (!j->a_ready)
		pthread_cond_wait(&j->cond, &j->lock);
	pthread_mutex_unlock(&j->lock);
	if (ga->rc == 0 && ga->lines && gb->hash &&
	    (j->same = malloc((b->nline + 1) * sizeof(*j->same))) != NULL)
		found = find_shared(ga, gb, j->same);
	if (j->same && found * SHARED_MIN_PART >= b->len) {
		/* a's lines from half the bytes left to tokenize, or from
		 * where this thread has claimed to */
		size_t half = (a->len + (b->len - found)) / 2, sl = 0;

		while (sl < a->nline && a->line[sl].start < half)
			sl++;
		pthread_mutex_lock(&j->lock);
		j->split = sl > j->a_claimed ? sl : j->a_claimed;
		j->a_stop = j->split;
		pthread_mutex_unlock(&j->lock);
		j->shared = 1;
		/* at's arrays are made; its lines are a's, bt's b's */
		j->at.text = a->text;
		j->at.len = a->len;
		j->at.line = a->line;
		j->at.nline = a->nline;
		j->bt = (dside){.text = b->text, .len = b->len, .line = b->line, .nline = b->nline};
		diff_tokenizer_init(&tk, &j->at, j->at_cap, j->split, j->words, &j->err);
		if (j->split < a->nline)
			rc = diff_tokenize_range(&tk, a->line[j->split].start, a->len);
		j->a_words = dintern_count(j->words);
		diff_tokenizer_close(&tk);
		diff_tokenizer_init(&tk, &j->bt, 0, 0, j->words, &j->err);
		for (size_t l = 0, e; rc == 0 && l < b->nline; l = e) {
			if (j->same[l] >= 0) {
				e = l + 1;
				continue;
			}
			for (e = l; e < b->nline && j->same[e] < 0; e++)
				;
			tk.line = l;
			rc = diff_tokenize_range(&tk, b->line[l].start,
						 e < b->nline ? b->line[e].start : b->len);
		}
		diff_tokenizer_close(&tk);
	} else if (ga->rc == 0) {
		rc = diff_tokenize_begun(b, j->words, gb->cap, 0, &j->err);
	}
	j->rc = rc;
	return NULL;
}

/* Room for n tokens in s's arrays (of room *cap). */
static int room(dside *s, size_t *cap, size_t n)
{
	return s->tok && n <= *cap ? 0 : diff_side_grow(s, cap, n);
}

/* Appends token t of the second thread's table (map: its ids in the
 * shared one) to s. */
static void put_token(dside *s, dtok t, const uint32_t *map, const dintern *tokens)
{
	if (map) {
		t.id = map[t.id];
		t.facts = dintern_facts(tokens, t.id);
	}
	s->tok[s->ntok] = t;
	s->ids[s->ntok] = t.id;
	s->match[s->ntok++] = -1;
}

/* a's tokens: its first lines' and the second thread's (from line sl). */
static int join_a(dside *a, size_t *cap, const pair_job *j, const uint32_t *map,
		  const dintern *tokens)
{
	size_t head = a->ntok;

	if (room(a, cap, head + j->at.ntok) < 0)
		return RL_ENOMEM;
	for (size_t k = 0; k < j->at.ntok; k++)
		put_token(a, j->at.tok[k], map, tokens);
	for (size_t l = j->split; l < a->nline; l++)
		if (a->line[l].ntok)
			a->line[l].tok0 += (uint32_t)head;
	return 0;
}

/* b's tokens: a's tokens of its lines that a has, the second thread's of
 * the others. */
static int join_b(dside *b, size_t *cap, const dside *a, const pair_job *j, const uint32_t *map,
		  const dintern *tokens)
{
	size_t n = 0, k = 0;

	for (size_t l = 0; l < b->nline; l++)
		n += j->same[l] >= 0 ? a->line[j->same[l]].ntok : b->line[l].ntok;
	if (room(b, cap, n) < 0)
		return RL_ENOMEM;
	for (size_t l = 0; l < b->nline; l++) {
		dline *bl = &b->line[l];
		size_t t0 = b->ntok;

		if (j->same[l] >= 0) {
			const dline *al = &a->line[j->same[l]];

			for (uint32_t q = 0; q < al->ntok; q++) {
				dtok t = a->tok[al->tok0 + q];

				/* the same bytes, where b's line has them */
				t.start = t.start - al->start + bl->start;
				t.end = t.end - al->start + bl->start;
				t.line = (uint32_t)l;
				put_token(b, t, NULL, tokens);
			}
		} else {
			for (uint32_t q = 0; q < bl->ntok; q++)
				put_token(b, j->bt.tok[k++], map, tokens);
		}
		bl->ntok = (uint32_t)(b->ntok - t0);
		bl->tok0 = bl->ntok ? (uint32_t)t0 : 0;
	}
	return 0;
}

/* a's tokens, the shared table's, as the second thread took them (its
 * own first, then b's), with the labels' id between. */
static int finish_shared(pair_job *j, dintern *tokens, rl_error *err)
{
	begun *ga = j->ga, *gb = j->gb;
	uint32_t *map = malloc(((size_t)dintern_count(j->words) + 1) * sizeof(*map));
	int rc = 0;

	/* a's words, a's labels, then b's words: the order of one thread */
	if (!map || diff_intern_merge(tokens, j->words, 0, j->a_words, map) < 0 ||
	    join_a(ga->s, &ga->cap, j, map, tokens) < 0)
		rc = rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	if (rc == 0)
		rc = diff_label_ids(ga->s, tokens, err);
	if (rc == 0 &&
	    (diff_intern_merge(tokens, j->words, j->a_words, dintern_count(j->words), map) < 0 ||
	     join_b(gb->s, &gb->cap, ga->s, j, map, tokens) < 0))
		rc = rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	if (rc == 0)
		rc = diff_label_ids(gb->s, tokens, err);
	if (rc == 0)
		rc = diff_side_end(ga->s, err);
	if (rc == 0)
		rc = diff_side_end(gb->s, err);
	free(map);
	return rc;
}

/* a's lines here, in blocks claimed until told where to stop. */
static int tokenize_claimed(pair_job *j, dintern *tokens, rl_error *err)
{
	dside *a = j->ga->s;
	tokenizer tk;
	int rc = 0;

	diff_tokenizer_init(&tk, a, j->ga->cap, 0, tokens, err);
	for (size_t l = 0, e; rc == 0 && l < a->nline; l = e) {
		pthread_mutex_lock(&j->lock);
		e = l + CLAIM_LINES < a->nline ? l + CLAIM_LINES : a->nline;
		if (e > j->a_stop)
			e = j->a_stop;
		j->a_claimed = e;
		pthread_mutex_unlock(&j->lock);
		if (e <= l)
			break;
		rc = diff_tokenize_range(&tk, a->line[l].start,
					 e < a->nline ? a->line[e].start : a->len);
	}
	j->ga->cap = diff_tokenizer_close(&tk);
	return rc;
}

int diff_tokenize_pair(dside *a, const char *ta, size_t la, dside *b, const char *tb, size_t lb,
		       dintern *tokens, diff_prep *prep, rl_error *err)
{
	prep_side *ma = prep ? &prep->side[0] : NULL, *mb = prep ? &prep->side[1] : NULL;
	begun ga = {.s = a, .text = ta, .len = la, .made = ma, .index = 1},
	      gb = {.s = b, .text = tb, .len = lb, .made = mb};
	pair_job j = {.ga = &ga, .gb = &gb, .a_stop = SIZE_MAX};
	pthread_t tid;
	int rc, threaded = 0;

	/* No page of the arrays is written while a byte a page is written
	 * to populate them; populating that writes nothing goes on, ahead of
	 * the tokenizers and of the joins. */
	if (prep && !prep->madv)
		diff_prep_stop(prep);
	pthread_mutex_init(&j.lock, NULL);
	pthread_cond_init(&j.cond, NULL);
	/* Small texts are not worth a thread; nor is anything without a
	 * second table. */
	if (la + lb >= RL_THREAD_MIN_BYTES) {
		/* The second thread's arrays for a's last lines, should it
		 * take them, made here: this thread's heap may be on huge
		 * pages (cli/heap.c), where the other's took a fault every
		 * page. */
		j.at_cap = diff_first_cap(la / 2 + la / 16);
		j.at.tok = malloc(j.at_cap * sizeof(*j.at.tok));
		j.at.ids = malloc((j.at_cap + 1) * sizeof(*j.at.ids));
		j.at.match = malloc((j.at_cap + 1) * sizeof(*j.at.match));
		if (!j.at.tok || !j.at.ids || !j.at.match)
			j.at_cap = 0;
		threaded = dintern_new(&j.words) == 0 && rl_thread_start(&tid, pair_run, &j) == 0;
	}
	if (!threaded) {
		if ((rc = diff_tokenize_made(a, ta, la, tokens, ma, err)) == 0)
			rc = diff_tokenize_made(b, tb, lb, tokens, mb, err);
		goto out;
	}
	begin_job(&ga);
	pthread_mutex_lock(&j.lock);
	j.a_ready = 1;
	if (ga.rc < 0)
		j.a_stop = 0;
	pthread_cond_signal(&j.cond);
	pthread_mutex_unlock(&j.lock);
	rc = ga.rc < 0 ? ga.rc : tokenize_claimed(&j, tokens, err);
	pthread_join(tid, NULL);
	/* the errors in the order of the sides */
	if (ga.rc < 0 || gb.rc < 0) {
		rc = ga.rc < 0 ? ga.rc : gb.rc;
		if (err)
			*err = ga.rc < 0 ? ga.err : gb.err;
	} else if (rc == 0 && j.rc < 0) {
		rc = j.rc;
		if (err)
			*err = j.err;
	}
	if (rc < 0)
		goto out;
	if (j.shared) {
		rc = finish_shared(&j, tokens, err);
	} else {
		/* b's ids are given as if b had been interned after a, token
		 * by token: the same ids, in the same order, as one thread */
		if ((rc = diff_side_end(a, err)) == 0 &&
		    (rc = diff_label_ids(a, tokens, err)) == 0 &&
		    (rc = adopt(b, j.words, tokens, err)) == 0)
			rc = diff_label_ids(b, tokens, err);
	}
out:
	pthread_mutex_destroy(&j.lock);
	pthread_cond_destroy(&j.cond);
	dintern_free(j.words);
	free(j.same);
	free(j.at.tok);
	free(j.at.ids);
	free(j.at.match);
	free(j.bt.tok);
	free(j.bt.ids);
	free(j.bt.match);
	free(ga.hash);
	free(gb.hash);
	free(ga.lines);
	return rc;
}
