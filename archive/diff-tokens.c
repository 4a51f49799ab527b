/* Tokens for the differ: ICU word boundaries (UAX #29 with dictionaries
 * for Chinese, Japanese and Thai), so "Korea's" stays one word, "2.0" one
 * number, and Chinese text splits into dictionary words. Whitespace is
 * not a token: it lives in the gaps between tokens. Tokens are interned,
 * so comparing two of them is comparing two integers. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include "redline/label.h"
#include "redline/thread.h"

#include "diff-internal.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LITTLE_ENDIAN_WORDS 1 /* a word's first byte is its lowest */
#else
#define LITTLE_ENDIAN_WORDS 0
#endif

/* Open addressing with 8-byte slots (a hash tag and the id), so the
 * table of a whole edition's vocabulary stays in cache. A word keeps its
 * first eight bytes beside it: most words are no longer, and then a
 * lookup decides without reading the word's first occurrence, somewhere
 * in a megabyte of text (the memcmp of those took an eighth of
 * tokenizing). */
struct slot {
	uint32_t tag; /* high bits of the hash */
	uint32_t id1; /* id + 1; 0: empty */
};

struct word {
	const char *key;
	uint64_t head; /* the first eight bytes (fewer: zero-padded) */
	uint32_t len;
	uint8_t facts;
};

struct dintern {
	struct slot *slots;
	struct word *words; /* by id */
	size_t cap;         /* power of two */
	uint32_t n, nwords_cap;
};

/* Up to eight bytes of p as one number, the first in the low byte. */
static inline uint64_t load_head(const char *p, size_t len)
{
	uint64_t v = 0;

	if (len >= 8) {
		memcpy(&v, p, 8);
		return v;
	}
	for (size_t i = 0; i < len; i++)
		v |= (uint64_t)(unsigned char)p[i] << (8 * i);
	return v;
}

/* A word's hash, eight bytes at a time: FNV's byte at a time was a
 * sixth of tokenizing. The table's slot comes from the low bits, its tag
 * from the high ones, so both are mixed. */
static uint64_t word_hash(const char *key, size_t len, uint64_t head)
{
	uint64_t h = (head ^ (len * 0x9e3779b97f4a7c15ULL)) * 0xbf58476d1ce4e5b9ULL;

	for (size_t i = 8; i < len; i += 8)
		h = (h ^ (h >> 31) ^ load_head(key + i, len - i)) * 0x94d049bb133111ebULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

int dintern_new(dintern **out)
{
	dintern *t = calloc(1, sizeof(*t));

	if (!t)
		return RL_ENOMEM;
	t->cap = 1024;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	t->nwords_cap = 512;
	t->words = malloc(t->nwords_cap * sizeof(*t->words));
	if (!t->slots || !t->words) {
		dintern_free(t);
		return RL_ENOMEM;
	}
	*out = t;
	return 0;
}

void dintern_free(dintern *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t->words);
	free(t);
}

uint32_t dintern_count(const dintern *t)
{
	return t->n;
}

static uint64_t key_hash(const struct word *w)
{
	return word_hash(w->key, w->len, w->head);
}

static int grow(dintern *t)
{
	size_t cap = t->cap * 2;
	struct slot *s = calloc(cap, sizeof(*s));

	if (!s)
		return RL_ENOMEM;
	for (uint32_t id = 0; id < t->n; id++) {
		uint64_t h = key_hash(&t->words[id]);
		size_t j;

		for (j = h & (cap - 1); s[j].id1; j = (j + 1) & (cap - 1))
			;
		s[j] = (struct slot){(uint32_t)(h >> 32), id + 1};
	}
	free(t->slots);
	t->slots = s;
	t->cap = cap;
	return 0;
}

/* Room for one more word in t. */
static inline int reserve(dintern *t)
{
	if (((size_t)t->n + 1) * 2 > (size_t)t->cap && grow(t) < 0)
		return RL_ENOMEM;
	if (t->n == t->nwords_cap) {
		size_t cap = t->nwords_cap ? (size_t)t->nwords_cap * 2 : 64;
		struct word *w = realloc(t->words, cap * sizeof(*w));

		if (!w)
			return RL_ENOMEM;
		t->words = w;
		t->nwords_cap = (uint32_t)cap;
	}
	return 0;
}

/* Bytes 8 to len of x and y are the same (len > 8): one load a side for
 * most longer words, where memcmp's call was a twentieth of tokenizing. */
static inline int same_tail(const char *x, const char *y, uint32_t len)
{
	uint64_t p, q;

	if (len > 16)
		return memcmp(x + 8, y + 8, len - 8) == 0;
	memcpy(&p, x + len - 8, 8);
	memcpy(&q, y + len - 8, 8);
	return p == q;
}

/* The slot of key (hash h, first bytes head) in t: one that holds it,
 * or the empty one where it would go. */
static inline size_t find(const dintern *t, const char *key, uint32_t len, uint64_t head,
			  uint64_t h)
{
	uint32_t tag = (uint32_t)(h >> 32);
	size_t j;

	for (j = h & (t->cap - 1); t->slots[j].id1; j = (j + 1) & (t->cap - 1)) {
		const struct word *w;

		if (t->slots[j].tag != tag)
			continue;
		w = &t->words[t->slots[j].id1 - 1];
		if (w->len == len && w->head == head && (len <= 8 || same_tail(w->key, key, len)))
			break;
	}
	return j;
}

static uint32_t add(dintern *t, size_t j, const char *key, uint32_t len, uint64_t head, uint64_t h,
		    uint8_t facts)
{
	t->words[t->n] = (struct word){key, head, len, facts};
	t->slots[j] = (struct slot){(uint32_t)(h >> 32), t->n + 1};
	return t->n++;
}

/* The id and facts of key (len bytes, which must stay alive as long as
 * t, and whose first eight bytes, zero-padded, are head). */
static inline int intern_head(dintern *t, const char *key, uint32_t len, uint64_t head,
			      uint8_t kind, uint32_t *id, uint8_t *facts)
{
	uint64_t h = word_hash(key, len, head);
	size_t j;

	if (reserve(t) < 0)
		return RL_ENOMEM;
	j = find(t, key, len, head, h);
	if (t->slots[j].id1) {
		*id = t->slots[j].id1 - 1;
		*facts = t->words[*id].facts;
		return 0;
	}
	*facts = diff_tok_facts(key, len, kind);
	*id = add(t, j, key, len, head, h, *facts);
	return 0;
}

int dintern_id(dintern *t, const char *key, uint32_t len, uint8_t kind, uint32_t *id,
	       uint8_t *facts)
{
	return intern_head(t, key, len, load_head(key, len), kind, id, facts);
}

/* Interns the words lo..hi-1 of from into t, in from's order of ids (so
 * ids come out as if from's text had been interned into t token by
 * token); map[i] is the id in t of from's word i. */
static int merge_range(dintern *t, const dintern *from, uint32_t lo, uint32_t hi, uint32_t *map)
{
	for (uint32_t i = lo; i < hi; i++) {
		const struct word *w = &from->words[i];
		uint64_t h = key_hash(w);
		size_t j;

		if (reserve(t) < 0)
			return RL_ENOMEM;
		j = find(t, w->key, w->len, w->head, h);
		map[i] = t->slots[j].id1 ? t->slots[j].id1 - 1
					 : add(t, j, w->key, w->len, w->head, h, w->facts);
	}
	return 0;
}

static int is_space_run(const char *s, int32_t len)
{
	int32_t i = 0;
	UChar32 c;

	while (i < len) {
		U8_NEXT(s, i, len, c);
		if (c < 0 || !u_isUWhiteSpace(c))
			return 0;
	}
	return 1;
}

static int split_lines(dside *s)
{
	size_t n = 1, k = 0;
	uint32_t start = 0;
	const char *p = s->text, *end = s->text + s->len, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p = nl + 1;
	}
	if (n > DIFF_MAX_LINES)
		return RL_EINVALID;
	s->line = calloc(n, sizeof(*s->line));
	if (!s->line)
		return RL_ENOMEM;
	for (p = s->text;; p = nl + 1) {
		dline *l = &s->line[k++];
		rl_label lab;

		nl = memchr(p, '\n', (size_t)(end - p));
		l->start = start;
		l->end = (uint32_t)((nl ? nl : end) - s->text);
		/* headings and enumerated items: the units of structure */
		l->heading = l->end > l->start && *p == '#';
		if (!l->heading && rl_label_match(p, l->end - l->start, &lab))
			l->label = (uint32_t)lab.skip;
		if (!nl)
			break;
		start = (uint32_t)(nl + 1 - s->text);
	}
	s->nline = k;
	return 0;
}

/* The tokenizer's state: ICU's iterator, opened on first need. */
typedef struct tokenizer {
	dside *s;
	size_t cap;  /* of s->tok, and (one more) of s->ids and s->match */
	size_t line; /* the line of the last token */
	dintern *words;
	UText ut;
	UBreakIterator *bi;
	rl_error *err;
	const atomic_int *stop; /* set: stop between chunks (NULL: never) */
} tokenizer;

/* Tokens a text of len bytes is given room for at first: English runs
 * about seven bytes a token, CJK about three. */
static size_t first_cap(size_t len)
{
	return 1024 + len / 5;
}

/* Appends a token, interned while its bytes are still in cache. */
static inline int push_tok(tokenizer *tk, size_t start, size_t end, uint8_t kind)
{
	dside *s = tk->s;
	dtok *t;
	uint64_t head;
	uint8_t facts;

	if (s->ntok == tk->cap) {
		size_t ncap = tk->cap ? tk->cap * 2 : first_cap(s->len);
		uint32_t *ids;
		int32_t *match;

		if (!(t = realloc(s->tok, ncap * sizeof(*t))))
			goto oom;
		s->tok = t;
		if (!(ids = realloc(s->ids, (ncap + 1) * sizeof(*ids))))
			goto oom;
		s->ids = ids;
		if (!(match = realloc(s->match, (ncap + 1) * sizeof(*match))))
			goto oom;
		s->match = match;
		tk->cap = ncap;
	}
	/* its line: tokens come in text order */
	while (tk->line + 1 < s->nline && s->line[tk->line].end < start)
		tk->line++;
	if (s->line[tk->line].ntok++ == 0)
		s->line[tk->line].tok0 = (uint32_t)s->ntok;
	s->match[s->ntok] = -1;
	t = &s->tok[s->ntok++];
	*t = (dtok){(uint32_t)start, (uint32_t)end, 0, (uint32_t)tk->line, kind, 0};
	/* a word's first bytes in one load, where the text goes on far
	 * enough: the byte loop's exit was mispredicted at every short word */
	if (LITTLE_ENDIAN_WORDS && start + 8 <= s->len) {
		memcpy(&head, s->text + start, 8);
		if (end - start < 8)
			head &= ~0ULL >> (64 - 8 * (end - start));
	} else {
		head = load_head(s->text + start, end - start);
	}
	if (intern_head(tk->words, s->text + start, (uint32_t)(end - start), head, kind, &t->id,
			&facts) < 0)
		goto oom;
	t->facts = facts;
	s->ids[s->ntok - 1] = t->id;
	return 0;
oom:
	return rl_error_set(tk->err, RL_ENOMEM, "diff: out of memory for tokens");
}

/* ICU word boundaries over text[from..to), which starts and ends at a
 * boundary (a line end, or ASCII whitespace before and after). */
static int run_icu(tokenizer *tk, size_t from, size_t to)
{
	dside *s = tk->s;
	UErrorCode st = U_ZERO_ERROR;
	int32_t p, q;

	utext_openUTF8(&tk->ut, s->text + from, (int64_t)(to - from), &st);
	if (U_SUCCESS(st) && !tk->bi)
		tk->bi = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
	if (U_SUCCESS(st))
		ubrk_setUText(tk->bi, &tk->ut, &st);
	if (U_FAILURE(st))
		return rl_error_set(tk->err, RL_ERROR, "diff: ICU word breaker: %s",
				    u_errorName(st));
	for (p = ubrk_first(tk->bi); (q = ubrk_next(tk->bi)) != UBRK_DONE; p = q) {
		int32_t status = ubrk_getRuleStatus(tk->bi);
		uint8_t kind;

		if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT)
			kind = TOK_NUMBER;
		else if (status >= UBRK_WORD_NONE_LIMIT)
			kind = TOK_WORD;
		else if (is_space_run(s->text + from + p, q - p))
			continue;
		else
			kind = TOK_PUNCT;
		if (push_tok(tk, from + (size_t)p, from + (size_t)q, kind) < 0)
			return RL_ENOMEM;
	}
	return 0;
}

/* Byte classes for the fast path: which bytes separate chunks (ASCII
 * whitespace), which send a chunk to ICU (any byte >= 0x80, '_' and
 * '@'), which are letters (A-Z, a-z) and digits, and 0 for the rest. A
 * table: the comparisons it replaces took 1 to 3 of the 24 ms of
 * diffing an edition against itself with ten edits (test-diff-tokens
 * checks every ASCII byte against ICU). */
enum { C_OTHER = 0, C_SPACE, C_ICU, C_LETTER, C_DIGIT };

/* clang-format off */
#define L4 C_LETTER, C_LETTER, C_LETTER, C_LETTER
#define I16 C_ICU, C_ICU, C_ICU, C_ICU, C_ICU, C_ICU, C_ICU, C_ICU, \
	    C_ICU, C_ICU, C_ICU, C_ICU, C_ICU, C_ICU, C_ICU, C_ICU
static const unsigned char byte_classes[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, C_SPACE, C_SPACE, C_SPACE, C_SPACE, C_SPACE, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	C_SPACE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT,
	0, 0, 0, 0, 0, 0,
	C_ICU, C_LETTER, C_LETTER, L4, L4, L4, L4, L4, L4, 0, 0, 0, 0, C_ICU, /* @ A-Z _ */
	0, C_LETTER, C_LETTER, L4, L4, L4, L4, L4, L4, 0, 0, 0, 0, 0,         /* a-z */
	I16, I16, I16, I16, I16, I16, I16, I16,
};
#undef L4
#undef I16
/* clang-format on */

static inline int byte_class(unsigned char c)
{
	return byte_classes[c];
}

static inline int is_alnum_class(int c)
{
	return c == C_LETTER || c == C_DIGIT;
}

/* The ASCII letters and digits at t[i..len), eight bytes at a time, as
 * extract-int.h's rlx_ascii_end scans: with the top bits cleared, a
 * byte's top bit is set in x + (0x80 - lo) when it is lo or more, and in
 * x + (0x7F - hi) when it is above hi, no carry crossing a byte; a
 * letter is a-z once 0x20 is set. A byte with its own top bit set is
 * not ASCII. A word's end took a mispredicted exit of a byte loop. */
static inline size_t alnum_end(const unsigned char *t, size_t i, size_t len)
{
#if LITTLE_ENDIAN_WORDS
	const uint64_t ones = 0x0101010101010101ULL, tops = 0x8080808080808080ULL;

	for (; i + 8 <= len; i += 8) {
		uint64_t x, low, lower, letters, digits, stop;

		memcpy(&x, t + i, 8);
		low = x & ~tops;
		lower = low | (ones * 0x20);
		letters = (lower + ones * (0x80 - 'a')) & ~(lower + ones * (0x7F - 'z'));
		digits = (low + ones * (0x80 - '0')) & ~(low + ones * (0x7F - '9'));
		stop = (~(letters | digits) | x) & tops;
		if (stop)
			return i + ((size_t)__builtin_ctzll(stop) >> 3);
	}
#endif
	while (i < len && is_alnum_class(byte_class(t[i])))
		i++;
	return i;
}

/* UAX #29 word boundaries on a chunk (the bytes from i to the next ASCII
 * whitespace) of printable ASCII with neither '_' nor '@' (ICU gives
 * those rules of its own), the same tokens ICU gives: letters and digits
 * join (WB5, WB8-10); '.' and '\'' join two letters (WB6-7), and with
 * ',' ';' two digits (WB11-12); a token is a number when its last
 * character is a digit, as ICU's rule status says; every other character
 * is a token of its own. Returns the end of the chunk, or 0 when it holds
 * a byte for ICU (and then leaves no token of it). */
static size_t run_ascii(tokenizer *tk, size_t i)
{
	const unsigned char *t = (const unsigned char *)tk->s->text;
	size_t len = tk->s->len, ntok0 = tk->s->ntok;

	while (i < len) {
		size_t start = i;
		int last = byte_class(t[i]), c;
		uint8_t kind = TOK_PUNCT;

		if (last == C_SPACE)
			return i;
		if (last == C_ICU)
			goto icu;
		if (last == C_OTHER) {
			i++;
		} else {
			for (i++; (i = alnum_end(t, i, len)) < len; i += 2) {
				last = byte_class(t[i - 1]);
				if (byte_class(t[i]) != C_OTHER || i + 1 >= len)
					break;
				c = byte_class(t[i + 1]);
				if (c == C_ICU)
					goto icu;
				if (c != last ||
				    !(t[i] == '.' || t[i] == '\'' ||
				      (last == C_DIGIT && (t[i] == ',' || t[i] == ';'))))
					break;
				/* the middle character and the one after it */
			}
			kind = byte_class(t[i - 1]) == C_DIGIT ? TOK_NUMBER : TOK_WORD;
		}
		if (push_tok(tk, start, i, kind) < 0)
			return SIZE_MAX;
	}
	return i;
icu:
	/* the chunk's tokens, all on one line, are left to ICU */
	tk->s->line[tk->line].ntok -= (uint32_t)(tk->s->ntok - ntok0);
	tk->s->ntok = ntok0;
	return 0;
}

/* Most of a document is plain ASCII, where ICU's BreakIterator spends
 * most of the differ's tokenizing time for answers a few comparisons
 * give. ASCII whitespace always separates words (no rule joins across
 * it, and a combining mark after it stays with it), so the text splits
 * into chunks between whitespace runs: plain chunks are tokenized here,
 * the others (any byte >= 0x80, '_' or '@') by ICU, consecutive ones in
 * one call, each ICU range starting with the whitespace before it so
 * that marks attach as they would in the whole text. A range to tokenize
 * starts at a line's start and ends after a line's end (or the text's):
 * no rule joins across a line end, so its tokens are the whole text's.
 * icu_only is for the test that compares the two
 * (tests/unit/test-diff-tokens.c). Returns 1 when told to stop (tk->stop)
 * before the range is done. */
static int tokenize_range(tokenizer *tk, size_t from, size_t to)
{
	const unsigned char *t = (const unsigned char *)tk->s->text;
	size_t i = from, icu_from = 0, icu_to = 0, end;
	int rc;

	while (i < to) {
		size_t ws = i;

		if (tk->stop && atomic_load_explicit(tk->stop, memory_order_relaxed))
			return 1;
		while (i < to && byte_class(t[i]) == C_SPACE)
			i++;
		if (i == to)
			break;
		if (byte_class(t[i]) != C_ICU) {
			/* ICU's pending tokens come first */
			if (icu_to && (rc = run_icu(tk, icu_from, icu_to)) < 0)
				return rc;
			icu_to = 0;
			if ((end = run_ascii(tk, i)) == SIZE_MAX)
				return RL_ENOMEM;
			if (end) {
				i = end;
				continue;
			}
		}
		while (i < to && byte_class(t[i]) != C_SPACE)
			i++;
		if (!icu_to)
			icu_from = ws;
		icu_to = i;
	}
	return icu_to ? run_icu(tk, icu_from, icu_to) : 0;
}

static int tokenize(tokenizer *tk, int icu_only)
{
	return icu_only ? run_icu(tk, 0, tk->s->len) : tokenize_range(tk, 0, tk->s->len);
}

static int is_bracket(const char *t, size_t len)
{
	return (len == 1 && (*t == '(' || *t == ')' || *t == '.')) ||
	       (len == 3 && (memcmp(t, "\xef\xbc\x88", 3) == 0 || /* （ */
			     memcmp(t, "\xef\xbc\x89", 3) == 0 || /* ） */
			     memcmp(t, "\xef\xbc\x8e", 3) == 0)); /* ． */
}

/* For the alignment, the label of every item ("b" of "b.", "3" of "(3)",
 * "가", "①") is the same token, so that items pair by their words and
 * never by their labels: "b. Respect" pairs with "c. Respect", not with
 * the "b. Commitment" inserted before it. diff_labels_restore puts the
 * labels back once aligned. */
static int label_ids(dside *s, dintern *words, rl_error *err)
{
	static const char generic[] = " label"; /* no token holds a space */
	uint32_t id = 0;
	uint8_t facts;
	int have = 0;

	if (!s->tok || !s->ntok)
		return 0; /* no token, no label */
	for (size_t l = 0; l < s->nline; l++) {
		const dline *ln = &s->line[l];

		if (!ln->label)
			continue;
		for (uint32_t k = 0; k < ln->ntok; k++) {
			const dtok *t = &s->tok[ln->tok0 + k];

			if (t->start >= ln->start + ln->label)
				break;
			if (is_bracket(s->text + t->start, t->end - t->start))
				continue;
			if (!have &&
			    dintern_id(words, generic, sizeof(generic) - 1, TOK_PUNCT, &id, &facts) < 0)
				return rl_error_set(err, RL_ENOMEM,
						    "diff: out of memory for tokens");
			have = 1;
			s->ids[ln->tok0 + k] = id;
			break;
		}
	}
	return 0;
}

/* --- arrays made ahead ------------------------------------------------------ */

/* One side's arrays: the tokens, then the ids and matches, all of cap
 * entries (and one more). */
typedef struct prep_side {
	dtok *tok;
	uint32_t *ids;
	int32_t *match;
	size_t cap;
} prep_side;

struct diff_prep {
	prep_side side[2];
	char *text[2]; /* for the masked texts, text_cap bytes; set before the
			* thread starts and left alone while it runs */
	size_t text_cap[2];
	int text_taken[2];
	int madv; /* pages populated by MADV_POPULATE_WRITE */
	pthread_t tid;
	int running;
	atomic_int stop;
};

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
		s->cap = first_cap(len[k] + len[k] / 64);
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

/* The arrays of ps (may be NULL), if any, taken over. */
static prep_side take(prep_side *ps)
{
	prep_side got = {NULL, NULL, NULL, 0};

	if (ps) {
		got = *ps;
		memset(ps, 0, sizeof(*ps));
	}
	return got;
}

/* A side to tokenize: its text, the arrays of ps where made (taken; *cap
 * their room, 0 without) and its lines. */
static int side_begin(dside *s, const char *text, size_t len, prep_side *ps, size_t *cap,
		      rl_error *err)
{
	prep_side own = take(ps);
	int rc;

	memset(s, 0, sizeof(*s));
	s->text = text;
	s->len = len;
	/* dside_free frees them, taken or not */
	s->tok = own.tok;
	s->ids = own.ids;
	s->match = own.match;
	*cap = own.tok ? own.cap : 0;
	if (len > DIFF_MAX_TEXT)
		return rl_error_set(err, RL_EINVALID, "diff: text of %zu bytes is too large", len);
	if ((rc = split_lines(s)) < 0)
		return rc == RL_EINVALID
			   ? rl_error_set(err, RL_EINVALID,
					  "diff: text of more than %zu lines is too long",
					  DIFF_MAX_LINES)
			   : rl_error_set(err, RL_ENOMEM, "diff: out of memory for lines");
	return 0;
}

/* The arrays of the alignment besides the tokens. */
static int side_end(dside *s, rl_error *err)
{
	/* ids and matches were filled as the tokens came; a text without
	 * any still has the one more */
	if (!s->ids)
		s->ids = malloc(sizeof(*s->ids));
	if (!s->match)
		s->match = malloc(sizeof(*s->match));
	s->move = calloc(s->ntok + 1, sizeof(*s->move));
	s->dirty = calloc(s->ntok + 1, 1);
	if (!s->ids || !s->match || !s->move || !s->dirty)
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	return 0;
}

/* The tokens of a side begun (cap: the room of its arrays). */
static int tokenize_begun(dside *s, dintern *tokens, size_t cap, int icu_only, rl_error *err)
{
	tokenizer tk = {s, cap, 0, tokens, UTEXT_INITIALIZER, NULL, err, NULL};
	int rc = s->len ? tokenize(&tk, icu_only) : 0;

	ubrk_close(tk.bi);
	utext_close(&tk.ut);
	return rc < 0 ? rc : side_end(s, err);
}

/* Tokens, lines and the arrays of the alignment: all but the labels'
 * ids, which come from the table both sides share (label_ids). The
 * arrays of ps (may be NULL) are used where large enough. */
static int tokenize_side(dside *s, const char *text, size_t len, dintern *tokens, int icu_only,
			 prep_side *ps, rl_error *err)
{
	size_t cap;
	int rc = side_begin(s, text, len, ps, &cap, err);

	return rc < 0 ? rc : tokenize_begun(s, tokens, cap, icu_only, err);
}

int diff_tokenize_icu(dside *s, const char *text, size_t len, dintern *tokens, int icu_only,
		      rl_error *err)
{
	int rc = tokenize_side(s, text, len, tokens, icu_only, NULL, err);

	return rc < 0 ? rc : label_ids(s, tokens, err);
}

int diff_tokenize(dside *s, const char *text, size_t len, dintern *tokens, rl_error *err)
{
	return diff_tokenize_icu(s, text, len, tokens, 0, err);
}

/* b's tokens, interned in its own table, as ids of tokens. */
static int adopt(dside *b, dintern *own, dintern *tokens, rl_error *err)
{
	uint32_t *map = malloc(((size_t)own->n + 1) * sizeof(*map));

	if (!map || merge_range(tokens, own, 0, own->n, map) < 0) {
		free(map);
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	}
	for (size_t i = 0; i < b->ntok; i++) {
		dtok *t = &b->tok[i];

		t->id = b->ids[i] = map[t->id];
		t->facts = tokens->words[t->id].facts;
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

	return word_hash(p, len, load_head(p, len));
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

	g->rc = side_begin(g->s, g->text, g->len, g->made, &g->cap, &g->err);
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
	tokenizer tk = {&j->at, j->at_cap, j->sl, j->words, UTEXT_INITIALIZER, NULL, &j->err, NULL};
	int rc = 0;

	if (j->sl < j->at.nline)
		rc = tokenize_range(&tk, j->at.line[j->sl].start, j->at.len);
	j->a_words = dintern_count(j->words);
	ubrk_close(tk.bi);
	utext_close(&tk.ut);
	tk = (tokenizer){&j->bt, 0, 0, j->words, UTEXT_INITIALIZER, NULL, &j->err, NULL};
	for (size_t l = 0, e; rc == 0 && l < j->bt.nline; l = e) {
		if (j->same[l] >= 0) {
			e = l + 1;
			continue;
		}
		for (e = l; e < j->bt.nline && j->same[e] < 0; e++)
			;
		tk.line = l;
		rc = tokenize_range(&tk, j->bt.line[l].start,
				    e < j->bt.nline ? j->bt.line[e].start : j->bt.len);
	}
	ubrk_close(tk.bi);
	utext_close(&tk.ut);
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
		t.facts = tokens->words[t.id].facts;
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
static int tokenize_shared(begun *ga, begun *gb, const int32_t *same, size_t found,
			   dintern *tokens, rl_error *err)
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
	j.at_cap = first_cap(sl < a->nline ? a->len - a->line[sl].start : 0);
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
		tokenizer tk = {a, ga->cap, 0, tokens, UTEXT_INITIALIZER, NULL, err, NULL};

		rc = sl ? tokenize_range(&tk, 0, sl < a->nline ? a->line[sl].start : a->len) : 0;
		ubrk_close(tk.bi);
		utext_close(&tk.ut);
		ga->cap = tk.cap;
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
	if (rc == 0 && !(map = malloc(((size_t)j.words->n + 1) * sizeof(*map))))
		rc = RL_ENOMEM;
	/* a's words, a's labels, then b's words: the order of one thread */
	if (rc == 0 && (merge_range(tokens, j.words, 0, j.a_words, map) < 0 ||
			join_a(a, &ga->cap, &j, map, tokens) < 0))
		rc = RL_ENOMEM;
	if (rc == 0)
		rc = label_ids(a, tokens, err);
	if (rc == 0 && (merge_range(tokens, j.words, j.a_words, j.words->n, map) < 0 ||
			join_b(b, &gb->cap, a, &j, map, tokens) < 0))
		rc = RL_ENOMEM;
	if (rc == RL_ENOMEM)
		rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	if (rc == 0)
		rc = label_ids(b, tokens, err);
	if (rc == 0)
		rc = side_end(a, err);
	if (rc == 0)
		rc = side_end(b, err);
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
	tokenizer tk = {j->g->s, 0, 0, j->words, UTEXT_INITIALIZER, NULL, &j->err, &j->stop};
	int rc;

	begin_job(j->g);
	atomic_store_explicit(&j->ready, 1, memory_order_release);
	if (j->g->rc < 0)
		return NULL;
	tk.cap = j->g->cap;
	rc = j->g->s->len ? tokenize_range(&tk, 0, j->g->s->len) : 0;
	ubrk_close(tk.bi);
	utext_close(&tk.ut);
	j->g->cap = tk.cap;
	if (rc == 0 && (rc = side_end(j->g->s, &j->err)) == 0)
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

/* diff_tokenize with the arrays of ps (may be NULL). */
static int tokenize_made(dside *s, const char *text, size_t len, dintern *tokens, prep_side *ps,
			 rl_error *err)
{
	int rc = tokenize_side(s, text, len, tokens, 0, ps, err);

	return rc < 0 ? rc : label_ids(s, tokens, err);
}

/* a (begun) here while the job tokenizes b, whose words are interned
 * after a's. */
static int tokenize_apart(begun *ga, pair_job *j, pthread_t tid, dintern *tokens, rl_error *err)
{
	int rc = tokenize_begun(ga->s, tokens, ga->cap, 0, err);

	if (rc == 0)
		rc = label_ids(ga->s, tokens, err);
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
		rc = label_ids(j->g->s, tokens, err);
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
		if ((rc = tokenize_made(a, ta, la, tokens, ma, err)) < 0)
			return rc;
		return tokenize_made(b, tb, lb, tokens, mb, err);
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
		rc = tokenize_begun(a, tokens, ga.cap, 0, err);
		if (rc == 0)
			rc = label_ids(a, tokens, err);
		if (rc == 0)
			rc = adopt(b, j.words, tokens, err);
		if (rc == 0)
			rc = label_ids(b, tokens, err);
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

void dside_free(dside *s)
{
	if (!s)
		return;
	free(s->tok);
	free(s->line);
	free(s->ids);
	free(s->match);
	free(s->move);
	free(s->dirty);
	memset(s, 0, sizeof(*s));
}
