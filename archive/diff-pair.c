/* Two texts tokenized on two threads, into one table of words: b on a
 * second thread in a table of its own, merged after; or, when the texts
 * share most of their lines, each line tokenized once. The ids are the
 * ones tokenizing a then b on one thread gives (test-diff-tokens). */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
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

/* b's lines found in a, in bytes, for this share of b to be tokenized
 * once: most of it (half or more). */
#define SHARED_MIN_PART 2

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
		if (g->nslots) /* asked for */
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

/* The second thread's share: a's lines from sl on, then b's lines that a
 * lacks, each into arrays of its own (at, bt), in its own table. */
typedef struct shared_job {
	dside at, bt;
	const int32_t *same;
	size_t sl, at_cap; /* at's room, made by the caller */
	dintern *words;
	uint32_t a_words; /* its words once a's lines are done */
	rl_error err;
	int rc;
} shared_job;

static void *shared_run(void *arg)
{
	shared_job *j = arg;
	tokenizer tk;
	int rc = 0;

	diff_tokenizer_init(&tk, &j->at, j->at_cap, j->sl, j->words, NULL, &j->err);
	if (j->sl < j->at.nline)
		rc = diff_tokenize_range(&tk, j->at.line[j->sl].start, j->at.len);
	j->a_words = dintern_count(j->words);
	diff_tokenizer_close(&tk);
	diff_tokenizer_init(&tk, &j->bt, 0, 0, j->words, NULL, &j->err);
	for (size_t l = 0, e; rc == 0 && l < j->bt.nline; l = e) {
		if (j->same[l] >= 0) {
			e = l + 1;
			continue;
		}
		for (e = l; e < j->bt.nline && j->same[e] < 0; e++)
			;
		tk.line = l;
		rc = diff_tokenize_range(&tk, j->bt.line[l].start,
					 e < j->bt.nline ? j->bt.line[e].start : j->bt.len);
	}
	diff_tokenizer_close(&tk);
	j->rc = rc;
	return NULL;
}

/* Room for n tokens in s's arrays (of room *cap, and one more in the
 * ids and matches, as push_tok keeps). */
static int room(dside *s, size_t *cap, size_t n)
{
	dtok *t;
	uint32_t *ids;
	int32_t *match;

	if (s->tok && n <= *cap)
		return 0;
	if (!(t = realloc(s->tok, (n + 1) * sizeof(*t))))
		return RL_ENOMEM;
	s->tok = t;
	if (!(ids = realloc(s->ids, (n + 2) * sizeof(*ids))))
		return RL_ENOMEM;
	s->ids = ids;
	if (!(match = realloc(s->match, (n + 2) * sizeof(*match))))
		return RL_ENOMEM;
	s->match = match;
	*cap = n + 1;
	return 0;
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
static int join_a(dside *a, size_t *cap, const shared_job *j, const uint32_t *map,
		  const dintern *tokens)
{
	size_t head = a->ntok;

	if (room(a, cap, head + j->at.ntok) < 0)
		return RL_ENOMEM;
	for (size_t k = 0; k < j->at.ntok; k++)
		put_token(a, j->at.tok[k], map, tokens);
	for (size_t l = j->sl; l < a->nline; l++)
		if (a->line[l].ntok)
			a->line[l].tok0 += (uint32_t)head;
	return 0;
}

/* b's tokens: a's tokens of its lines that a has, the second thread's of
 * the others. */
static int join_b(dside *b, size_t *cap, const dside *a, const shared_job *j, const uint32_t *map,
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

/* Tokenizes a (begun) and b (begun, same[] its lines found in a) as
 * above. */
static int tokenize_shared(begun *ga, begun *gb, const int32_t *same, size_t found, dintern *tokens,
			   rl_error *err)
{
	dside *a = ga->s, *b = gb->s;
	shared_job j;
	uint32_t *map = NULL;
	pthread_t tid;
	size_t half = (a->len + (b->len - found)) / 2, sl = 0;
	int rc, threaded;

	memset(&j, 0, sizeof(j));
	/* a's first lines here, up to half the bytes to tokenize */
	while (sl < a->nline && a->line[sl].start < half)
		sl++;
	j.at = (dside){.text = a->text, .len = a->len, .line = a->line, .nline = a->nline};
	j.bt = (dside){.text = b->text, .len = b->len, .line = b->line, .nline = b->nline};
	j.same = same;
	j.sl = sl;
	/* The second thread's arrays for a's last lines made here: this
	 * thread's heap may be on huge pages (cli/heap.c), where the other's
	 * took a fault every page. */
	j.at_cap = diff_first_cap(sl < a->nline ? a->len - a->line[sl].start : 0);
	j.at.tok = malloc(j.at_cap * sizeof(*j.at.tok));
	j.at.ids = malloc((j.at_cap + 1) * sizeof(*j.at.ids));
	j.at.match = malloc((j.at_cap + 1) * sizeof(*j.at.match));
	if (!j.at.tok || !j.at.ids || !j.at.match)
		j.at_cap = 0;
	if (dintern_new(&j.words) < 0) {
		rc = rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
		goto out;
	}
	threaded = rl_thread_start(&tid, shared_run, &j) == 0;
	{
		tokenizer tk;

		diff_tokenizer_init(&tk, a, ga->cap, 0, tokens, NULL, err);
		rc = sl ? diff_tokenize_range(&tk, 0, sl < a->nline ? a->line[sl].start : a->len)
			: 0;
		ga->cap = diff_tokenizer_close(&tk);
	}
	if (threaded)
		pthread_join(tid, NULL);
	else
		shared_run(&j);
	if (rc == 0 && j.rc < 0) {
		rc = j.rc;
		if (err)
			*err = j.err;
	}
	if (rc == 0 && !(map = malloc(((size_t)dintern_count(j.words) + 1) * sizeof(*map))))
		rc = RL_ENOMEM;
	/* a's words, a's labels, then b's words: the order of one thread */
	if (rc == 0 && (diff_intern_merge(tokens, j.words, 0, j.a_words, map) < 0 ||
			join_a(a, &ga->cap, &j, map, tokens) < 0))
		rc = RL_ENOMEM;
	if (rc == 0)
		rc = diff_label_ids(a, tokens, err);
	if (rc == 0 &&
	    (diff_intern_merge(tokens, j.words, j.a_words, dintern_count(j.words), map) < 0 ||
	     join_b(b, &gb->cap, a, &j, map, tokens) < 0))
		rc = RL_ENOMEM;
	if (rc == RL_ENOMEM)
		rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	if (rc == 0)
		rc = diff_label_ids(b, tokens, err);
	if (rc == 0)
		rc = diff_side_end(a, err);
	if (rc == 0)
		rc = diff_side_end(b, err);
out:
	free(map);
	dintern_free(j.words);
	free(j.at.tok);
	free(j.at.ids);
	free(j.at.match);
	free(j.bt.tok);
	free(j.bt.ids);
	free(j.bt.match);
	return rc;
}

/* --- two texts, two threads ------------------------------------------------- */

/* The second thread of diff_tokenize_pair: b begun and its lines hashed
 * (then ready), and its tokens in a table of its own unless told to stop
 * first (the texts share most lines: tokenize_shared does better). */
typedef struct pair_job {
	begun *g;
	dintern *words;
	atomic_int ready, stop;
	int done; /* b tokenized whole */
	rl_error err;
	int rc;
} pair_job;

static void *pair_run(void *arg)
{
	pair_job *j = arg;
	tokenizer tk;
	int rc;

	begin_job(j->g);
	atomic_store_explicit(&j->ready, 1, memory_order_release);
	if (j->g->rc < 0)
		return NULL;
	diff_tokenizer_init(&tk, j->g->s, j->g->cap, 0, j->words, &j->stop, &j->err);
	rc = j->g->s->len ? diff_tokenize_range(&tk, 0, j->g->s->len) : 0;
	j->g->cap = diff_tokenizer_close(&tk);
	if (rc == 0 && (rc = diff_side_end(j->g->s, &j->err)) == 0)
		j->done = 1;
	j->rc = rc < 0 ? rc : 0;
	return NULL;
}

/* b as if never tokenized: its arrays kept, its tokens and its lines'
 * counts gone. */
static void untokenize(dside *s)
{
	s->ntok = 0;
	for (size_t l = 0; l < s->nline; l++)
		s->line[l].tok0 = s->line[l].ntok = 0;
	free(s->move);
	free(s->dirty);
	s->move = NULL;
	s->dirty = NULL;
}

/* a (begun) here while the job tokenizes b, whose words are interned
 * after a's. */
static int tokenize_apart(begun *ga, pair_job *j, pthread_t tid, dintern *tokens, rl_error *err)
{
	int rc = diff_tokenize_begun(ga->s, tokens, ga->cap, 0, err);

	if (rc == 0)
		rc = diff_label_ids(ga->s, tokens, err);
	if (rc < 0)
		atomic_store(&j->stop, 1);
	pthread_join(tid, NULL);
	if (rc == 0 && j->rc < 0) {
		rc = j->rc;
		if (err)
			*err = j->err;
	}
	/* b's ids are given as if b had been interned after a, token by
	 * token: the same ids, in the same order, as one thread gives */
	if (rc == 0)
		rc = adopt(j->g->s, j->words, tokens, err);
	if (rc == 0)
		rc = diff_label_ids(j->g->s, tokens, err);
	return rc;
}

int diff_tokenize_pair(dside *a, const char *ta, size_t la, dside *b, const char *tb, size_t lb,
		       dintern *tokens, diff_prep *prep, rl_error *err)
{
	prep_side *ma = prep ? &prep->side[0] : NULL, *mb = prep ? &prep->side[1] : NULL;
	begun ga = {a, ta, la, 0, ma, NULL, NULL, 1, {0, ""}, 0},
	      gb = {b, tb, lb, 0, mb, NULL, NULL, 0, {0, ""}, 0};
	pair_job j = {&gb, NULL, 0, 0, 0, {0, ""}, 0};
	int32_t *same = NULL;
	size_t found = 0;
	pthread_t tid;
	int rc;

	/* no page of the arrays is written while they are being populated */
	diff_prep_stop(prep);
	atomic_init(&j.ready, 0);
	atomic_init(&j.stop, 0);
	/* Small texts are not worth a thread; nor is anything without a
	 * second table. */
	if (la + lb < RL_THREAD_MIN_BYTES || dintern_new(&j.words) < 0 ||
	    rl_thread_start(&tid, pair_run, &j) != 0) {
		dintern_free(j.words);
		if ((rc = diff_tokenize_made(a, ta, la, tokens, ma, err)) < 0)
			return rc;
		return diff_tokenize_made(b, tb, lb, tokens, mb, err);
	}
	/* a's lines, their hashes and their index here, b's on the thread,
	 * which goes on to tokenize b while this one looks for b's lines in
	 * a; the errors in the order of the sides */
	begin_job(&ga);
	while (!atomic_load_explicit(&j.ready, memory_order_acquire))
		sched_yield();
	if (ga.rc < 0 || gb.rc < 0) {
		atomic_store(&j.stop, 1);
		pthread_join(tid, NULL);
		rc = ga.rc < 0 ? ga.rc : gb.rc;
		if (err)
			*err = ga.rc < 0 ? ga.err : gb.err;
		goto out;
	}
	if (ga.lines && gb.hash && (same = malloc((b->nline + 1) * sizeof(*same))) != NULL)
		found = find_shared(&ga, &gb, same);
	if (!same || found * SHARED_MIN_PART < lb) {
		rc = tokenize_apart(&ga, &j, tid, tokens, err);
		goto out;
	}
	atomic_store(&j.stop, 1);
	pthread_join(tid, NULL);
	if (j.rc < 0) {
		rc = j.rc;
		if (err)
			*err = j.err;
		goto out;
	}
	if (j.done) { /* b was done already: a alone, then b's words */
		rc = diff_tokenize_begun(a, tokens, ga.cap, 0, err);
		if (rc == 0)
			rc = diff_label_ids(a, tokens, err);
		if (rc == 0)
			rc = adopt(b, j.words, tokens, err);
		if (rc == 0)
			rc = diff_label_ids(b, tokens, err);
		goto out;
	}
	untokenize(b);
	rc = tokenize_shared(&ga, &gb, same, found, tokens, err);
out:
	dintern_free(j.words);
	free(same);
	free(ga.hash);
	free(gb.hash);
	free(ga.lines);
	return rc;
}
