/* Two texts tokenized on two threads, into one table of words: a on
 * this thread, b on a second in a table of its own, merged after, each
 * thread taking the other's last lines once done with its own; or, when
 * the texts share most of their lines, each line tokenized once. The ids
 * are the ones tokenizing a then b on one thread gives
 * (test-diff-tokens). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redline/thread.h"

#include "diff-tokens.h"

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
	int apart;       /* few lines shared (DIFF_TOKENS_APART): none hashed */
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
	if (g->rc == 0 && !g->apart &&
	    (g->hash = malloc((g->s->nline + 1) * sizeof(*g->hash))) != NULL) {
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

/* The first line of s that starts at or after byte off (s->nline:
 * none). */
static size_t first_line_from(const dside *s, size_t off)
{
	size_t lo = 0, hi = s->nline;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->line[mid].start < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Lines a thread took from the end of the other's text, a block at a
 * time, the last block first, tokenized into arrays of its own. */
typedef struct block {
	size_t l0, l1; /* its lines */
	size_t t0, t1; /* its tokens in the arrays */
} block;

typedef struct stolen {
	dside s; /* the text's lines, these arrays */
	size_t cap;
	dintern *words; /* the table of the thread that took them */
	block *blk;
	size_t n, blk_cap;
} stolen;

enum { PAIR_UNDECIDED, PAIR_SHARED, PAIR_APART, PAIR_STOPPED };

/* Where a block of b's lines puts its tokens when they are shared: its
 * first token in b's arrays, and its first of those the second thread
 * cut (bt). */
typedef struct copy_start {
	size_t tok, own;
} copy_start;

/* The second thread of diff_tokenize_pair. It begins b (its lines and
 * their hashes) while this thread begins a and indexes a's lines; then
 * it looks for b's lines in a. Most found (shared): this thread is told
 * to stop tokenizing a at a line (split: half the bytes left to
 * tokenize, or where it has got to), and the second thread tokenizes
 * a's lines from there on and then b's lines that a lacks, each into
 * arrays of its own (at, bt); b's other lines take a's tokens once both
 * are done, copied by both threads, this one from b's first lines and
 * the second from its last (join_b). Else (apart) it tokenizes b's lines
 * from the first, 256 at a time, as this thread does a's, and each, done
 * with its own, takes the other text's lines from the last until they
 * meet. Either way the
 * second thread's words are in a table of its own, interned in the
 * shared one after, in the order of the texts: the ids of one thread.
 * The second thread waits for a's index; this one, done with a, for the
 * second to say which way it goes. */
typedef struct pair_job {
	begun *ga, *gb;
	dintern *words;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int a_ready;      /* a begun and indexed (under lock) */
	size_t a_claimed; /* a's lines [0, a_claimed) are this thread's (under lock) */
	size_t a_stop;    /* and it claims none from here on (under lock) */
	int mode;         /* how the second thread goes on (under lock) */
	/* Apart: b's lines [0, b_claimed) are the second thread's, and lines
	 * from a_back on of a and from b_back on of b were taken by the
	 * thread not theirs (SIZE_MAX: none yet; under lock). */
	size_t a_back, b_claimed, b_back;
	uint32_t b_words;           /* the second thread's words once its lines of b are done */
	int main_done, second_done; /* (under lock) */
	/* Shared: b's lines are copied a block of COPY_LINES at a time, this
	 * thread taking blocks from the first, the second from the last
	 * (copy_front, copy_back: the blocks not yet taken are [front, back),
	 * under lock) once copy_ready is 1 (-1: nothing to copy, it
	 * returns); copy_done says the second's are copied (under lock). */
	int copy_ready, copy_done;
	size_t copy_front, copy_back;
	const copy_start *copy_at; /* per block, where its tokens go */
	const uint32_t *copy_map;
	const dintern *copy_tokens;
	stolen sa, sb; /* a's lines the second thread took, b's this one took */
	int shared;    /* the second thread took a's lines from split */
	size_t split;
	int32_t *same; /* per line of b, its line in a or -1 */
	dside at, bt;
	size_t at_cap;    /* at's room (its arrays made by the caller) */
	uint32_t a_words; /* its words once a's lines are done */
	/* The arrays diff_side_end makes for a and b (matches, moves,
	 * dirty marks), made and filled by the second thread once its
	 * tokens are done, while this one joins the two threads' tokens:
	 * ends_ready is 1 once this thread has said how many tokens
	 * (ends_n; -1: none are wanted), ends_done once they are made
	 * (under lock). Their pages were a fault each on this thread (the
	 * moves' a third of joining the editions' tokens), and the matches'
	 * on the tokenizers, which wrote them token by token. */
	int ends_ready, ends_done;
	size_t ends_n[2];
	side_ends ends[2];
	rl_error err;
	int rc;
} pair_job;

/* b's lines found in a, in bytes, for this share of b to be tokenized
 * once: most of it (half or more). */
#define SHARED_MIN_PART 2

/* Test hook (test-diff-tokens): 1, this thread starts on a once the
 * second thread is done; 2, the second thread starts on b once this one
 * is done. Either way one thread takes all the other's lines. 3, when
 * the texts share their lines, this thread copies b's once the second
 * thread is done copying, which then has copied them all. */
int diff_pair_stall;

/* Waits, under j's lock, for *flag to be set; its value (-1: nothing to do). */
static int wait_for(pair_job *j, const int *flag)
{
	int value;

	pthread_mutex_lock(&j->lock);
	while (!*flag)
		pthread_cond_wait(&j->cond, &j->lock);
	value = *flag;
	pthread_mutex_unlock(&j->lock);
	return value;
}

static void set_flag(pair_job *j, int *flag, int value)
{
	pthread_mutex_lock(&j->lock);
	*flag = value;
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->lock);
}

/* Lines of a text claimed in blocks: few enough for the lock, small
 * enough that the threads finish together. */
#define CLAIM_LINES 256

/* The next block of s's lines from *front, up to *back (SIZE_MAX: the
 * end) and *stop (NULL: none): its end, or from when there is none
 * left. */
static size_t claim_front(pair_job *j, const dside *s, size_t from, size_t *front,
			  const size_t *back, const size_t *stop)
{
	size_t e = from + CLAIM_LINES < s->nline ? from + CLAIM_LINES : s->nline;

	pthread_mutex_lock(&j->lock);
	if (e > *back)
		e = *back;
	if (stop && e > *stop)
		e = *stop;
	if (e < from)
		e = from;
	*front = e;
	pthread_mutex_unlock(&j->lock);
	return e;
}

/* Takes blocks of s's lines from its end, down to where its own thread
 * has claimed to (*front), into st (words: the taking thread's table),
 * until none is left. */
static int steal_back(pair_job *j, const dside *s, const size_t *front, size_t *back, stolen *st,
		      dintern *words, rl_error *err)
{
	tokenizer tk;
	int rc = 0;

	st->s = (dside){.text = s->text, .len = s->len, .line = s->line, .nline = s->nline};
	st->words = words;
	diff_tokenizer_init(&tk, &st->s, 0, 0, words, err);
	while (rc == 0) {
		size_t end, start, from;
		block *bk;

		pthread_mutex_lock(&j->lock);
		end = *back == SIZE_MAX ? s->nline : *back;
		start = end > CLAIM_LINES ? end - CLAIM_LINES : 0;
		from = *front;
		if (start < from)
			start = from;
		if (start < end)
			*back = start;
		pthread_mutex_unlock(&j->lock);
		if (start >= end)
			break;
		/* Room for half the lines left, as a guess: arrays for the
		 * whole text, on huge pages, were resident 2 MiB at a time. */
		if (!st->s.tok) {
			size_t left = s->line[end - 1].end - s->line[from].start;

			if (diff_side_grow(&st->s, &tk.cap, diff_first_cap(left / 2)) < 0) {
				rc = rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
				break;
			}
		}
		if (st->n == st->blk_cap) {
			size_t cap = st->blk_cap ? 2 * st->blk_cap : 16;
			block *nb = realloc(st->blk, cap * sizeof(*nb));

			if (!nb) {
				rc = rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
				break;
			}
			st->blk = nb;
			st->blk_cap = cap;
		}
		bk = &st->blk[st->n++];
		*bk = (block){start, end, st->s.ntok, 0};
		tk.line = start;
		rc = diff_tokenize_range(&tk, s->line[start].start,
					 end < s->nline ? s->line[end].start : s->len);
		bk->t1 = st->s.ntok;
	}
	st->cap = diff_tokenizer_close(&tk);
	return rc;
}

/* The second thread's part when the texts share little: b's lines from
 * the first, then a's from the last, until they meet the other thread's. */
static int second_apart(pair_job *j)
{
	dside *a = j->ga->s, *b = j->gb->s;
	tokenizer tk;
	size_t l = 0, e;
	int rc = 0;

	if (diff_pair_stall == 2)
		wait_for(j, &j->main_done);
	diff_tokenizer_init(&tk, b, j->gb->cap, 0, j->words, &j->err);
	while (rc == 0 && (e = claim_front(j, b, l, &j->b_claimed, &j->b_back, NULL)) > l) {
		tk.line = l;
		rc = diff_tokenize_range(&tk, b->line[l].start,
					 e < b->nline ? b->line[e].start : b->len);
		l = e;
	}
	j->gb->cap = diff_tokenizer_close(&tk);
	j->b_words = dintern_count(j->words);
	return rc < 0 ? rc : steal_back(j, a, &j->a_claimed, &j->a_back, &j->sa, j->words, &j->err);
}

/* Token t of id `id` in the second thread's table (map: its ids in the
 * shared one; NULL: the shared table's already) put at index at of s's
 * arrays. */
static void put_token_at(dside *s, size_t at, dtok t, uint32_t id, const uint32_t *map,
			 const dintern *tokens)
{
	if (map) {
		id = map[id];
		t.facts = dintern_facts(tokens, id);
	}
	s->tok[at] = t;
	s->ids[at] = id;
}

/* b's tokens of lines l0 to l1, the first at index t of its arrays, and k
 * the first of those the second thread cut (bt): a's tokens of its lines
 * that a has, the second thread's of the others. */
static void copy_b(dside *b, const dside *a, const pair_job *j, const uint32_t *map,
		   const dintern *tokens, size_t l0, size_t l1, size_t t, size_t k)
{
	for (size_t l = l0; l < l1; l++) {
		dline *bl = &b->line[l];
		size_t t0 = t;

		if (j->same[l] >= 0) {
			const dline *al = &a->line[j->same[l]];

			for (uint32_t q = 0; q < al->ntok; q++) {
				dtok tk = a->tok[al->tok0 + q];

				/* the same bytes, where b's line has them */
				tk.start = tk.start - al->start + bl->start;
				tk.end = tk.end - al->start + bl->start;
				tk.line = (uint32_t)l;
				put_token_at(b, t++, tk, a->ids[al->tok0 + q], NULL, tokens);
			}
		} else {
			for (uint32_t q = 0; q < bl->ntok; q++, k++)
				put_token_at(b, t++, j->bt.tok[k], j->bt.ids[k], map, tokens);
		}
		bl->ntok = (uint32_t)(t - t0);
		bl->tok0 = bl->ntok ? (uint32_t)t0 : 0;
	}
}

/* The second thread's arrays for diff_side_end, once told for how many
 * tokens. */
static void make_ends(pair_job *j)
{
	if (wait_for(j, &j->ends_ready) < 0)
		return;
	diff_side_ends_make(&j->ends[0], j->ends_n[0]);
	diff_side_ends_make(&j->ends[1], j->ends_n[1]);
	set_flag(j, &j->ends_done, 1);
}

/* diff_side_end of side k (0: a, 1: b) with the arrays the second
 * thread made, where it did. */
static int side_end(pair_job *j, int k, dside *s, rl_error *err)
{
	wait_for(j, &j->ends_done);
	return diff_side_end_made(s, &j->ends[k], err);
}

/* Lines of b copied at a time when they are shared: few enough for the
 * lock, small enough that the threads finish together. */
#define COPY_LINES 256

/* Copies b's next block of lines, from the first (front) or the last;
 * 0 when none is left. */
static int copy_next(pair_job *j, int front)
{
	const dside *b = j->gb->s;
	size_t q, l0, l1;

	pthread_mutex_lock(&j->lock);
	if (j->copy_front < j->copy_back) {
		q = front ? j->copy_front++ : --j->copy_back;
	} else {
		pthread_mutex_unlock(&j->lock);
		return 0;
	}
	pthread_mutex_unlock(&j->lock);
	l0 = q * COPY_LINES;
	l1 = l0 + COPY_LINES < b->nline ? l0 + COPY_LINES : b->nline;
	copy_b(j->gb->s, j->ga->s, j, j->copy_map, j->copy_tokens, l0, l1, j->copy_at[q].tok,
	       j->copy_at[q].own);
	return 1;
}

/* The second thread's share of b's copy, from its last lines, once told
 * there is one. */
static void copy_second(pair_job *j)
{
	if (wait_for(j, &j->copy_ready) < 0)
		return;
	while (copy_next(j, 0))
		;
	set_flag(j, &j->copy_done, 1);
}

static void *pair_run(void *arg)
{
	pair_job *j = arg;
	begun *ga = j->ga, *gb = j->gb;
	dside *a = ga->s, *b = gb->s;
	tokenizer tk;
	size_t found = 0, cap = 0;
	int rc = 0;

	begin_job(gb);
	if (gb->rc < 0)
		goto out;
	wait_for(j, &j->a_ready);
	if (ga->rc == 0 && ga->lines && gb->hash &&
	    (j->same = malloc((b->nline + 1) * sizeof(*j->same))) != NULL)
		found = find_shared(ga, gb, j->same);
	if (j->same && found * SHARED_MIN_PART >= b->len) {
		size_t from, half, sl;

		/* The bytes left to tokenize split evenly: a's lines from
		 * where the other thread has claimed to (it has been
		 * tokenizing them meanwhile), and b's lines a lacks. Half of
		 * all the bytes, as if the other had not begun, left it
		 * waiting 0.6-1.9 ms for this one on two versions of an
		 * edition. */
		pthread_mutex_lock(&j->lock);
		from = j->a_claimed < a->nline ? a->line[j->a_claimed].start : a->len;
		half = from + (a->len - from + (b->len - found)) / 2;
		sl = first_line_from(a, half);
		j->split = sl > j->a_claimed ? sl : j->a_claimed;
		j->a_stop = j->split;
		j->mode = PAIR_SHARED;
		pthread_cond_broadcast(&j->cond);
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
		/* b's lines that a lacks, a few sentences: arrays for them,
		 * not for the whole text, the first room a tokenizer takes
		 * (megabytes a huge page at a time, cli/heap.c) */
		if (rc == 0 && diff_side_grow(&j->bt, &cap, diff_first_cap(b->len - found)) < 0)
			rc = rl_error_set(&j->err, RL_ENOMEM, "diff: out of memory for tokens");
		diff_tokenizer_init(&tk, &j->bt, cap, 0, j->words, &j->err);
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
		set_flag(j, &j->mode, PAIR_APART);
		rc = second_apart(j);
	}
out:
	j->rc = rc;
	pthread_mutex_lock(&j->lock);
	if (j->mode == PAIR_UNDECIDED)
		j->mode = PAIR_STOPPED;
	j->second_done = 1;
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->lock);
	make_ends(j);
	if (j->shared && rc == 0)
		copy_second(j);
	return NULL;
}

/* Room for n tokens in s's arrays (of room *cap). */
static int room(dside *s, size_t *cap, size_t n)
{
	return s->tok && n <= *cap ? 0 : diff_side_grow(s, cap, n);
}

/* Appends token t of id `id` in the second thread's table (map: its ids
 * in the shared one) to s. */
static void put_token(dside *s, dtok t, uint32_t id, const uint32_t *map, const dintern *tokens)
{
	put_token_at(s, s->ntok++, t, id, map, tokens);
}

/* a's tokens: its first lines' and the second thread's (from line sl). */
static int join_a(dside *a, size_t *cap, const pair_job *j, const uint32_t *map,
		  const dintern *tokens)
{
	size_t head = a->ntok;

	if (room(a, cap, head + j->at.ntok) < 0)
		return RL_ENOMEM;
	for (size_t k = 0; k < j->at.ntok; k++)
		put_token(a, j->at.tok[k], j->at.ids[k], map, tokens);
	for (size_t l = j->split; l < a->nline; l++)
		if (a->line[l].ntok)
			a->line[l].tok0 += (uint32_t)head;
	return 0;
}

/* How many tokens b has when they are shared: a's of the lines a has,
 * its own of the others. */
static size_t shared_b_tokens(const pair_job *j)
{
	const dside *a = j->ga->s, *b = j->gb->s;
	size_t n = 0;

	for (size_t l = 0; l < b->nline; l++)
		n += j->same[l] >= 0 ? a->line[j->same[l]].ntok : b->line[l].ntok;
	return n;
}

/* b's tokens, copied a block of lines at a time by this thread from its
 * first lines and by the second from its last (copy_second) until they
 * meet: the copy of nearly every token of a was a third of joining the
 * two threads' work, and the second thread comes to it only once it has
 * made the arrays of diff_side_end (halves fixed ahead left this one
 * waiting 0.8 ms for the second's on the planted pair). */
static int join_b(dside *b, size_t *cap, const dside *a, pair_job *j, const uint32_t *map,
		  const dintern *tokens)
{
	size_t nblk = (b->nline + COPY_LINES - 1) / COPY_LINES, n = 0, k = 0;
	copy_start *starts = malloc((nblk + 1) * sizeof(*starts));

	if (!starts)
		return RL_ENOMEM;
	/* where each block's tokens go, in b's arrays and in bt's */
	for (size_t l = 0; l < b->nline; l++) {
		size_t own = j->same[l] >= 0 ? 0 : b->line[l].ntok;

		if (l % COPY_LINES == 0)
			starts[l / COPY_LINES] = (copy_start){n, k};
		n += j->same[l] >= 0 ? a->line[j->same[l]].ntok : own;
		k += own;
	}
	if (room(b, cap, n) < 0) {
		free(starts);
		return RL_ENOMEM;
	}
	j->copy_map = map;
	j->copy_tokens = tokens;
	j->copy_at = starts;
	pthread_mutex_lock(&j->lock);
	j->copy_front = 0;
	j->copy_back = nblk;
	pthread_mutex_unlock(&j->lock);
	set_flag(j, &j->copy_ready, 1);
	if (diff_pair_stall == 3)
		wait_for(j, &j->copy_done);
	while (copy_next(j, 1))
		;
	wait_for(j, &j->copy_done);
	free(starts);
	b->ntok = n;
	return 0;
}

/* Frees a side's token arrays (not its lines, which are the text's). */
static void drop_arrays(dside *s)
{
	free(s->tok);
	free(s->ids);
	s->tok = NULL;
	s->ids = NULL;
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
	/* The second thread's arrays, copied, are freed as soon as they
	 * are: the moves' and realigning's arrays (diff_side_end) are then
	 * made of their memory, written already, not of pages written for
	 * the first time (a fault each 4 KiB without huge pages: 430 fewer
	 * for the planted pair). */
	drop_arrays(&j->at);
	if (rc == 0)
		rc = diff_label_ids(ga->s, tokens, err);
	if (rc == 0 &&
	    (diff_intern_merge(tokens, j->words, j->a_words, dintern_count(j->words), map) < 0 ||
	     join_b(gb->s, &gb->cap, ga->s, j, map, tokens) < 0))
		rc = rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	drop_arrays(&j->bt);
	if (rc == 0)
		rc = diff_label_ids(gb->s, tokens, err);
	if (rc == 0)
		rc = side_end(j, 0, ga->s, err);
	if (rc == 0)
		rc = side_end(j, 1, gb->s, err);
	free(map);
	return rc;
}

/* a's lines here, in blocks claimed until told where to stop (shared)
 * or until they meet the second thread's (apart); then, apart, b's from
 * the last until they meet the second thread's. */
static int tokenize_claimed(pair_job *j, dintern *tokens, rl_error *err)
{
	dside *a = j->ga->s;
	tokenizer tk;
	size_t l = 0, e;
	int rc = 0;

	if (diff_pair_stall == 1)
		wait_for(j, &j->second_done);
	diff_tokenizer_init(&tk, a, j->ga->cap, 0, tokens, err);
	while (rc == 0 && (e = claim_front(j, a, l, &j->a_claimed, &j->a_back, &j->a_stop)) > l) {
		tk.line = l;
		rc = diff_tokenize_range(&tk, a->line[l].start,
					 e < a->nline ? a->line[e].start : a->len);
		l = e;
	}
	j->ga->cap = diff_tokenizer_close(&tk);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&j->lock);
	while (j->mode == PAIR_UNDECIDED)
		pthread_cond_wait(&j->cond, &j->lock);
	pthread_mutex_unlock(&j->lock);
	if (j->mode != PAIR_APART)
		return 0;
	if (dintern_new(&j->sb.words) < 0)
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	return steal_back(j, j->gb->s, &j->b_claimed, &j->b_back, &j->sb, j->sb.words, err);
}

/* The id in tokens of word id of table from (map: from's ids in tokens,
 * UINT32_MAX where not yet), interned there on its first use: tokens met
 * in the order of the texts come out with the ids of one thread. */
static inline int mapped(dintern *tokens, const dintern *from, uint32_t *map, uint32_t *id)
{
	if (map[*id] == UINT32_MAX && diff_intern_merge(tokens, from, *id, *id + 1, map) < 0)
		return RL_ENOMEM;
	*id = map[*id];
	return 0;
}

/* A table's map into tokens, all unmapped. */
static uint32_t *new_map(const dintern *from)
{
	size_t n = from ? dintern_count(from) : 0;
	uint32_t *map = malloc((n + 1) * sizeof(*map));

	if (map)
		memset(map, 0xff, (n + 1) * sizeof(*map));
	return map;
}

/* The lines st took appended to s's tokens, in the order of the text. */
static int append_stolen(dside *s, size_t *cap, const stolen *st, dintern *tokens, uint32_t *map)
{
	if (!st->n)
		return 0;
	if (room(s, cap, s->ntok + st->s.ntok) < 0)
		return RL_ENOMEM;
	for (size_t k = st->n; k-- > 0;) {
		const block *bk = &st->blk[k];
		size_t base = s->ntok;

		for (size_t t = bk->t0; t < bk->t1; t++) {
			dtok tok = st->s.tok[t];
			uint32_t id = st->s.ids[t];

			if (mapped(tokens, st->words, map, &id) < 0)
				return RL_ENOMEM;
			tok.facts = dintern_facts(tokens, id);
			put_token(s, tok, id, NULL, tokens);
		}
		for (size_t l = bk->l0; l < bk->l1; l++)
			if (s->line[l].ntok)
				s->line[l].tok0 = (uint32_t)(s->line[l].tok0 - bk->t0 + base);
	}
	return 0;
}

/* The texts tokenized apart: a's tokens, this thread's then the lines
 * the second took; a's labels; b's, the second thread's then the lines
 * this one took; b's labels. Each word is interned in the shared table
 * as it is met in that order: the ids of one thread. The second
 * thread's words from its lines of b are in that order in its table
 * already, and go in at once. */
static int finish_apart(pair_job *j, dintern *tokens, rl_error *err)
{
	dside *a = j->ga->s, *b = j->gb->s;
	uint32_t *map2 = new_map(j->words), *mapb = new_map(j->sb.words);
	int rc = 0;

	if (!map2 || !mapb || append_stolen(a, &j->ga->cap, &j->sa, tokens, map2) < 0)
		rc = RL_ENOMEM;
	if (rc == 0 && (rc = diff_label_ids(a, tokens, err)) < 0)
		goto out;
	if (rc == 0 && diff_intern_merge(tokens, j->words, 0, j->b_words, map2) < 0)
		rc = RL_ENOMEM;
	for (size_t i = 0; rc == 0 && i < b->ntok; i++) {
		b->ids[i] = map2[b->ids[i]];
		b->tok[i].facts = dintern_facts(tokens, b->ids[i]);
	}
	if (rc == 0 && append_stolen(b, &j->gb->cap, &j->sb, tokens, mapb) < 0)
		rc = RL_ENOMEM;
	if (rc == RL_ENOMEM)
		rc = rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	/* the second thread's arrays last: it has made them meanwhile */
	if (rc == 0 && (rc = diff_label_ids(b, tokens, err)) == 0 &&
	    (rc = side_end(j, 0, a, err)) == 0)
		rc = side_end(j, 1, b, err);
out:
	free(map2);
	free(mapb);
	return rc;
}

/* Its arrays; not its table, which is a thread's. */
static void stolen_free(stolen *st)
{
	free(st->s.tok);
	free(st->s.ids);
	free(st->blk);
}

int diff_tokenize_pair(dside *a, const char *ta, size_t la, dside *b, const char *tb, size_t lb,
		       dintern *tokens, diff_prep *prep, int apart, rl_error *err)
{
	prep_side *ma = prep ? &prep->side[0] : NULL, *mb = prep ? &prep->side[1] : NULL;
	begun ga = {.s = a, .text = ta, .len = la, .made = ma, .index = 1, .apart = apart},
	      gb = {.s = b, .text = tb, .len = lb, .made = mb, .apart = apart};
	pair_job j = {
	    .ga = &ga, .gb = &gb, .a_stop = SIZE_MAX, .a_back = SIZE_MAX, .b_back = SIZE_MAX};
	rl_task *task;
	int rc, threaded = 0;

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
		if (!j.at.tok || !j.at.ids)
			j.at_cap = 0;
		threaded = dintern_new(&j.words) == 0 && rl_task_start(&task, pair_run, &j) == 0;
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
	set_flag(&j, &j.main_done, 1);
	wait_for(&j, &j.second_done);
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
	if (rc == 0) {
		/* how many tokens each side will have, for the second
		 * thread's arrays: this thread's and those the other took */
		j.ends_n[0] = a->ntok + (j.shared ? j.at.ntok : j.sa.s.ntok);
		j.ends_n[1] = j.shared ? shared_b_tokens(&j) : b->ntok + j.sb.s.ntok;
		set_flag(&j, &j.ends_ready, 1);
		rc = j.shared ? finish_shared(&j, tokens, err) : finish_apart(&j, tokens, err);
	}
	/* no arrays, or no last lines of b to copy, unless asked for */
	if (!j.ends_ready)
		set_flag(&j, &j.ends_ready, -1);
	if (!j.copy_ready)
		set_flag(&j, &j.copy_ready, -1);
	rl_task_join(task);
	diff_side_ends_free(&j.ends[0]);
	diff_side_ends_free(&j.ends[1]);
out:
	pthread_mutex_destroy(&j.lock);
	pthread_cond_destroy(&j.cond);
	dintern_free(j.words);
	dintern_free(j.sb.words); /* this thread's table for the lines it took */
	stolen_free(&j.sa);
	stolen_free(&j.sb);
	free(j.same);
	drop_arrays(&j.at);
	drop_arrays(&j.bt);
	free(ga.hash);
	free(gb.hash);
	free(ga.lines);
	return rc;
}
