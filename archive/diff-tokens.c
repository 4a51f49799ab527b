/* Tokens for the differ: ICU word boundaries (UAX #29 with dictionaries
 * for Chinese, Japanese and Thai), so "Korea's" stays one word, "2.0" one
 * number, and Chinese text splits into dictionary words. Whitespace is
 * not a token: it lives in the gaps between tokens. Tokens are interned,
 * so comparing two of them is comparing two integers. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "redline/label.h"
#include "redline/util.h"

#include "diff-tokens.h"

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
	/* each word's hash, by id, beside the words rather than in them (a
	 * lookup reads the words): growing the table, forgetting words and
	 * merging one table into another read them instead of hashing each
	 * word again (the merge of the second thread's words was on the one
	 * thread that joins the texts) */
	uint64_t *hashes;
	size_t cap; /* power of two */
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
static inline __attribute__((always_inline)) uint64_t word_hash(const char *key, size_t len,
								uint64_t head)
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
	t->hashes = malloc(t->nwords_cap * sizeof(*t->hashes));
	if (!t->slots || !t->words || !t->hashes) {
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
	free(t->hashes);
	free(t);
}

uint32_t dintern_count(const dintern *t)
{
	return t->n;
}

/* The slots rebuilt for cap (a power of two), every word reinserted. */
static int rehash(dintern *t, size_t cap)
{
	struct slot *s = calloc(cap, sizeof(*s));

	if (!s)
		return RL_ENOMEM;
	for (uint32_t id = 0; id < t->n; id++) {
		uint64_t h = t->hashes[id];
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

static int grow(dintern *t)
{
	return rehash(t, t->cap * 2);
}

static int words_room(dintern *t, size_t cap)
{
	struct word *w = realloc(t->words, cap * sizeof(*w));
	uint64_t *hs;

	if (!w)
		return RL_ENOMEM;
	t->words = w;
	if (!(hs = realloc(t->hashes, cap * sizeof(*hs))))
		return RL_ENOMEM;
	t->hashes = hs;
	t->nwords_cap = (uint32_t)cap;
	return 0;
}

int dintern_reserve(dintern *t, size_t nwords)
{
	size_t cap = t->cap;

	if (nwords >= UINT32_MAX / 2)
		return RL_ENOMEM;
	while ((nwords + 1) * 2 > cap)
		cap *= 2;
	if (cap > t->cap && rehash(t, cap) < 0)
		return RL_ENOMEM;
	return nwords > t->nwords_cap ? words_room(t, nwords) : 0;
}

/* Room for one more word in t. */
static inline int reserve(dintern *t)
{
	if (((size_t)t->n + 1) * 2 > (size_t)t->cap && grow(t) < 0)
		return RL_ENOMEM;
	if (t->n == t->nwords_cap &&
	    words_room(t, t->nwords_cap ? (size_t)t->nwords_cap * 2 : 64) < 0)
		return RL_ENOMEM;
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
	t->hashes[t->n] = h;
	t->slots[j] = (struct slot){(uint32_t)(h >> 32), t->n + 1};
	return t->n++;
}

/* The id and facts of key (len bytes, which must stay alive as long as
 * t, and whose first eight bytes, zero-padded, are head). */
static inline __attribute__((always_inline)) int intern_head(dintern *t, const char *key,
							     uint32_t len, uint64_t head,
							     uint8_t kind, uint32_t *id,
							     uint8_t *facts)
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

/* Forgets the words from id n0 on, the last interned: with linear
 * probing, emptying the slots of the latest words first leaves the table
 * as it was before them (no earlier word's probe passed a slot that was
 * empty when it went in; growing reinserts in the order of ids). */
static void dintern_pop(dintern *t, uint32_t n0)
{
	while (t->n > n0) {
		uint32_t id = --t->n;
		size_t j = t->hashes[id] & (t->cap - 1);

		while (t->slots[j].id1 != id + 1)
			j = (j + 1) & (t->cap - 1);
		t->slots[j].id1 = 0;
	}
}

int dintern_id(dintern *t, const char *key, uint32_t len, uint8_t kind, uint32_t *id,
	       uint8_t *facts)
{
	return intern_head(t, key, len, load_head(key, len), kind, id, facts);
}

int dintern_lookup(const dintern *t, const char *key, uint32_t len, uint32_t *id)
{
	uint64_t head = load_head(key, len);
	size_t j = find(t, key, len, head, word_hash(key, len, head));

	if (!t->slots[j].id1)
		return -1;
	*id = t->slots[j].id1 - 1;
	return 0;
}

/* In from's order of ids, so ids come out as if from's text had been
 * interned into t token by token. */
int diff_intern_merge(dintern *t, const dintern *from, uint32_t lo, uint32_t hi, uint32_t *map)
{
	for (uint32_t i = lo; i < hi; i++) {
		const struct word *w = &from->words[i];
		uint64_t h = from->hashes[i];
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

/* One pass over the text: the lines' room guessed (canonical text runs
 * about forty bytes a sentence) and doubled when short, where counting
 * the lines first read the text twice. */
static int split_lines(dside *s)
{
	size_t cap = s->len / 32 + 16, k = 0;
	uint32_t start = 0;
	const char *p, *end = s->text + s->len, *nl;

	if (!(s->line = malloc(cap * sizeof(*s->line))))
		return RL_ENOMEM;
	for (p = s->text;; p = nl + 1) {
		dline *l;
		rl_label lab;

		if (k == DIFF_MAX_LINES)
			return RL_EINVALID;
		if (k == cap) {
			dline *more = realloc(s->line, 2 * cap * sizeof(*more));

			if (!more)
				return RL_ENOMEM;
			s->line = more;
			cap *= 2;
		}
		l = &s->line[k++];
		memset(l, 0, sizeof(*l));
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

/* English runs about seven bytes a token, CJK about three. */
size_t diff_first_cap(size_t len)
{
	return 1024 + len / 5;
}

int diff_side_grow(dside *s, size_t *cap, size_t n)
{
	dtok *t;
	uint32_t *ids;

	if (!(t = realloc(s->tok, n * sizeof(*t))))
		return RL_ENOMEM;
	s->tok = t;
	if (!(ids = realloc(s->ids, (n + 1) * sizeof(*ids))))
		return RL_ENOMEM;
	s->ids = ids;
	*cap = n;
	return 0;
}

/* Appends a token, interned while its bytes are still in cache. */
static inline __attribute__((always_inline)) int push_tok(tokenizer *tk, size_t start, size_t end,
							  uint8_t kind)
{
	dside *s = tk->s;
	dtok *t;
	uint64_t head;
	uint32_t *id;
	uint8_t facts;

	if (tk->counting) {
		tk->counted += kind != TOK_PUNCT;
		return 0;
	}
	if (s->ntok == tk->cap &&
	    diff_side_grow(s, &tk->cap, tk->cap ? tk->cap * 2 : diff_first_cap(s->len)) < 0)
		return rl_error_set(tk->err, RL_ENOMEM, "diff: out of memory for tokens");
	/* its line: tokens come in text order */
	while (tk->line + 1 < s->nline && s->line[tk->line].end < start)
		tk->line++;
	if (s->line[tk->line].ntok++ == 0)
		s->line[tk->line].tok0 = (uint32_t)s->ntok;
	id = &s->ids[s->ntok];
	t = &s->tok[s->ntok++];
	*t = (dtok){(uint32_t)start, (uint32_t)end, (uint32_t)tk->line, kind, 0};
	/* a word's first bytes in one load, where the text goes on far
	 * enough: the byte loop's exit was mispredicted at every short word */
	if (LITTLE_ENDIAN_WORDS && start + 8 <= s->len) {
		memcpy(&head, s->text + start, 8);
		if (end - start < 8)
			head &= ~0ULL >> (64 - 8 * (end - start));
	} else {
		head = load_head(s->text + start, end - start);
	}
	if (intern_head(tk->words, s->text + start, (uint32_t)(end - start), head, kind, id,
			&facts) < 0)
		return rl_error_set(tk->err, RL_ENOMEM, "diff: out of memory for tokens");
	t->facts = facts;
	return 0;
}

/* ICU word boundaries over text[from..to), which starts and ends at a
 * boundary (a line end, or ASCII whitespace before and after). */
static int run_icu(tokenizer *tk, size_t from, size_t to)
{
	dside *s = tk->s;
	UErrorCode st = U_ZERO_ERROR;
	int32_t p, q;

	tk->icu_runs++;
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

/* The characters beyond ASCII the fast path knows: the punctuation and
 * symbols most English text holds, which sent every chunk with one to
 * ICU (the 2018 edition's tokens 3.8 -> 3.3 ms, its words counted 0.79 ->
 * 0.30 ms), and private use. A text of them and ASCII alone is diffed
 * without loading ICU.
 * Their word-break classes are UAX #29's, and test-diff-tokens holds the
 * tokens to ICU's with each of them between and beside letters, digits
 * and the others. */
enum { W_OTHER = 1, W_MIDNUMLET, W_MIDLETTER, W_HANGUL };

/* A Hangul syllable (rl_hangul_syllable) at t[i], its three bytes read
 * here: their leads are 0xEA to 0xED. */
static inline int hangul_at(const unsigned char *t, size_t i, size_t len)
{
	if (t[i] < 0xEA || t[i] > 0xED || i + 2 >= len || (t[i + 1] & 0xC0) != 0x80 ||
	    (t[i + 2] & 0xC0) != 0x80)
		return 0;
	return rl_hangul_syllable(
	    (int32_t)((t[i] & 0x0Fu) << 12 | (t[i + 1] & 0x3Fu) << 6 | (t[i + 2] & 0x3Fu)));
}

/* The length of the known character at t[i] (a byte >= 0x80), its class
 * in *cls; 0 when it is not one. */
static inline size_t wide_char(const unsigned char *t, size_t i, size_t len, int *cls)
{
	if (t[i] == 0xE2 && i + 2 < len) {
		unsigned key = (unsigned)t[i + 1] << 8 | t[i + 2];

		switch (key) {
		case 0x8098:                /* ‘ */
		case 0x8099:                /* ’ */
			*cls = W_MIDNUMLET; /* joins letters, and digits, as '.' does */
			return 3;
		case 0x8093: /* – */
		case 0x8094: /* — */
		case 0x809C: /* “ */
		case 0x809D: /* ” */
		case 0x80A2: /* • */
		case 0x80A6: /* … */
		case 0x80BB: /* ※ */
		case 0x8483: /* ℃ */
		case 0x8692: /* → */
		case 0x8792: /* ⇒ */
		case 0x8899: /* ∙ */
		case 0x8992: /* ≒ */
		case 0x96B3: /* △ */
		case 0x978B: /* ○ */
		case 0x978F: /* ● */
		case 0x9885: /* ★ */
			*cls = W_OTHER;
			return 3;
		default:
			/* ① to ⑳: symbols to UAX #29, not digits */
			*cls = W_OTHER;
			return key >= 0x91A0 && key <= 0x91B3 ? 3 : 0;
		}
	}
	if (t[i] == 0xC2 && i + 1 < len && t[i + 1] == 0xB7) { /* · */
		*cls = W_MIDLETTER;                            /* joins letters only */
		return 2;
	}
	if (i + 1 < len && ((t[i] == 0xC2 && t[i + 1] == 0xB0) ||
			    (t[i] == 0xC3 && (t[i + 1] == 0x97 || t[i + 1] == 0xB7)))) {
		*cls = W_OTHER; /* ° × ÷ */
		return 2;
	}
	if (hangul_at(t, i, len)) {
		*cls = W_HANGUL;
		return 3;
	}
	if (t[i] == 0xE3 && i + 2 < len && t[i + 1] == 0x80 &&
	    (t[i + 2] == 0x8C || t[i + 2] == 0x8D || t[i + 2] == 0x90 || t[i + 2] == 0x91)) {
		*cls = W_OTHER; /* 「 」 【 】 */
		return 3;
	}
	if (t[i] == 0xE3 && i + 2 < len && t[i + 1] == 0x8E &&
	    (t[i + 2] == 0x9E || t[i + 2] == 0xA1 || t[i + 2] == 0xA2)) {
		*cls = W_OTHER; /* ㎞ ㎡ ㎢ */
		return 3;
	}
	if (t[i] == 0xEF && i + 2 < len && t[i + 1] == 0xBC && t[i + 2] == 0x8A) {
		*cls = W_OTHER; /* ＊ */
		return 3;
	}
	/* Private use, U+E000 to U+F8FF: the report's masks over items'
	 * labels (report-items.c), a character each, one for every item of
	 * both texts, and the odd glyph a PDF's font maps there. */
	if (i + 2 < len && (t[i] == 0xEE || (t[i] == 0xEF && t[i + 1] <= 0xA3)) &&
	    (t[i + 1] & 0xC0) == 0x80 && (t[i + 2] & 0xC0) == 0x80) {
		*cls = W_OTHER;
		return 3;
	}
	return 0;
}

/* Two kinds of character more: a combining mark (U+0300 to U+036F),
 * which belongs to the character before it (UAX #29 WB4), so that a
 * word goes on, or starts, as if the mark were not there (but after a
 * Hangul syllable, where ICU makes the two no word, and after a space,
 * where it goes with the space); and the letters of extraction's
 * rlx_known_letter that are letters as a-z are (Latin-1's but × and ÷,
 * ℓ, Hangul compatibility jamo). t[i + 1] is in the text. */
static inline int is_mark_at(const unsigned char *t, size_t i)
{
	return (t[i] == 0xCC && (t[i + 1] & 0xC0) == 0x80) ||
	       (t[i] == 0xCD && t[i + 1] >= 0x80 && t[i + 1] <= 0xAF);
}

/* Its length when it is one, else 0; t[i + 1] is in the text. */
static inline size_t letter_len_at(const unsigned char *t, size_t i, size_t len)
{
	unsigned c;

	if (t[i] == 0xC3)
		return (t[i + 1] & 0xC0) == 0x80 && t[i + 1] != 0x97 && t[i + 1] != 0xB7 ? 2 : 0;
	if ((t[i] != 0xE2 && t[i] != 0xE3) || i + 2 >= len || (t[i + 2] & 0xC0) != 0x80)
		return 0;
	c = (t[i] & 0x0Fu) << 12 | (t[i + 1] & 0x3Fu) << 6 | (t[i + 2] & 0x3Fu);
	/* ℓ; Hangul compatibility jamo, letters that join ASCII's (a
	 * syllable's do not: run_ascii's W_HANGUL) */
	return (t[i + 1] & 0xC0) == 0x80 && (c == 0x2113 || (c >= 0x3131 && c <= 0x318E)) ? 3 : 0;
}

/* The class of the character at t[i] for run_ascii: byte_classes', the
 * known letters beyond ASCII C_LETTER, the known characters C_OTHER
 * (none joins a letter or digit), the others (marks among them) C_ICU. */
static inline int char_class(const unsigned char *t, size_t i, size_t len)
{
	int c = byte_class(t[i]), w;

	if (c != C_ICU || t[i] < 0x80 || i + 1 >= len)
		return c;
	if (letter_len_at(t, i, len))
		return C_LETTER;
	return wide_char(t, i, len, &w) ? C_OTHER : C_ICU;
}

/* Past the marks at t[i..), which extend the character before them. */
static inline size_t past_marks(const unsigned char *t, size_t i, size_t len)
{
	while (i + 1 < len && is_mark_at(t, i))
		i += 2;
	return i;
}

/* The length of the character at t[i] that joins a run of letters or
 * digits ending in a character of class `last` to one of the same class
 * after it ('.' and '\'' both, ',' and ';' digits, · letters); 0 for
 * any other. */
static inline size_t joiner_len(const unsigned char *t, size_t i, size_t len, int last)
{
	int w;
	size_t n;

	switch (t[i]) {
	case '.':
	case '\'':
		return 1;
	case ',':
	case ';':
		return last == C_DIGIT;
	default:
		if (t[i] < 0x80 || !(n = wide_char(t, i, len, &w)))
			return 0;
		return w == W_MIDNUMLET || (w == W_MIDLETTER && last == C_LETTER) ? n : 0;
	}
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
 * whitespace) of printable ASCII and the characters wide_char knows,
 * with neither '_' nor '@' (ICU gives those rules of its own), the same
 * tokens ICU gives: letters and digits join (WB5, WB8-10); '.', '\'', ‘
 * and ’ join two letters (WB6-7) or two digits (WB11-12), · two letters,
 * ',' and ';' two digits; a token is a number when its last character is
 * a digit, as ICU's rule status says; every other character is a token
 * of its own. Returns the end of the chunk, or 0 when it holds a byte
 * for ICU (and then leaves no token of it). */
static size_t run_ascii(tokenizer *tk, size_t i)
{
	const unsigned char *t = (const unsigned char *)tk->s->text;
	size_t len = tk->s->len, ntok0 = tk->s->ntok, w;
	uint32_t nwords0 = tk->words->n;

	while (i < len) {
		size_t start = i, j;
		int last = byte_class(t[i]), c, wc;
		uint8_t kind = TOK_PUNCT;

		if (last == C_SPACE)
			return i;
		if (last == C_ICU && t[i] >= 0x80 && i + 1 < len && letter_len_at(t, i, len))
			last = C_LETTER;
		if (last == C_ICU) {
			if (t[i] < 0x80 || !(w = wide_char(t, i, len, &wc)))
				goto icu;
			/* known punctuation is a token of its own here; a
			 * run of Hangul syllables, a word (a mark after it
			 * is ICU's) */
			i += w;
			if (wc == W_HANGUL) {
				while (i < len && hangul_at(t, i, len))
					i += 3;
				if (i + 1 < len && is_mark_at(t, i))
					goto icu;
				kind = TOK_WORD;
			}
			i = past_marks(t, i, len);
		} else if (last == C_OTHER) {
			i = past_marks(t, i + 1, len);
		} else {
			/* letters and digits, marks on them, and a joiner
			 * (with its marks) between two of a class */
			i += t[i] < 0x80 ? 1 : letter_len_at(t, i, len);
			for (;;) {
				if ((j = alnum_end(t, i, len)) > i) {
					last = byte_class(t[j - 1]);
					i = j;
				}
				if (i >= len)
					break;
				if (t[i] >= 0x80 && i + 1 < len) {
					if ((w = letter_len_at(t, i, len))) {
						last = C_LETTER;
						i += w;
						continue;
					}
					if (is_mark_at(t, i)) {
						i += 2;
						continue;
					}
				}
				if (!(w = joiner_len(t, i, len, last)) ||
				    (j = past_marks(t, i + w, len)) >= len)
					break;
				c = char_class(t, j, len);
				if (c == C_ICU)
					goto icu;
				if (c != last)
					break;
				/* the joiner, and the character after it */
				i = j + (t[j] < 0x80 ? 1 : letter_len_at(t, j, len));
			}
			kind = last == C_DIGIT ? TOK_NUMBER : TOK_WORD;
		}
		if (push_tok(tk, start, i, kind) < 0)
			return SIZE_MAX;
	}
	return i;
icu:
	/* the chunk's tokens, all on one line, are left to ICU, and the
	 * words they brought are forgotten: ids are given by the tokens
	 * the text has, which is what lets two threads give the ids of one
	 * (diff-pair.c) */
	tk->s->line[tk->line].ntok -= (uint32_t)(tk->s->ntok - ntok0);
	tk->s->ntok = ntok0;
	dintern_pop(tk->words, nwords0);
	return 0;
}

/* Counting (word_counter) reads each character once, through a table,
 * where tokenizing took a few mispredicted branches a token: a megabyte
 * of an edition 2.0 -> 0.9 ms (and sixteen bytes at a time since,
 * count_blocks). A word starts at a letter or digit after neither one
 * nor a character that joins the two around it (run_ascii's rules,
 * looking back instead of ahead): so the table is indexed by the classes
 * of the character and the two before it (an ASCII byte, or a character
 * wide_char knows). diff_tokenize_range counts so, and a chunk with a
 * character for ICU by ICU, as it tokenizes. */
enum {
	K_SPACE = 0,
	K_OTHER,
	K_LETTER,
	K_DIGIT,
	K_MID,
	K_MIDNUM,
	K_ICU,
	K_MIDLETTER,
	K_HANGUL,
	K_CLASSES
};

/* count_classes[byte]: byte_classes' classes, with the characters that
 * join two letters or two digits told apart from the other punctuation
 * (K_MIDLETTER, which joins two letters only, is a wide character's);
 * starts[COUNT_INDEX(a, b, c)]: 1 where a word starts at a character of
 * class c after characters of classes a and b. Both made once, from
 * byte_classes. */
static unsigned char count_classes[256], starts[K_CLASSES << 8];
static pthread_once_t starts_once = PTHREAD_ONCE_INIT;

/* Classes of three characters, the last in the low four bits. */
#define COUNT_INDEX(two_back, one_back, here) (((two_back) << 8) | ((one_back) << 4) | (here))

static int is_alnum_kind(unsigned k)
{
	return k == K_LETTER || k == K_DIGIT;
}

static void make_starts(void)
{
	static const unsigned char kinds[] = {[C_OTHER] = K_OTHER,
					      [C_SPACE] = K_SPACE,
					      [C_ICU] = K_ICU,
					      [C_LETTER] = K_LETTER,
					      [C_DIGIT] = K_DIGIT};

	for (unsigned c = 0; c < 256; c++)
		count_classes[c] = kinds[byte_classes[c]];
	count_classes['.'] = count_classes['\''] = K_MID;
	count_classes[','] = count_classes[';'] = K_MIDNUM;
	for (unsigned a = 0; a < K_CLASSES; a++)
		for (unsigned b = 0; b < K_CLASSES; b++)
			for (unsigned c = 0; c < K_CLASSES; c++) {
				/* '.', '\'' and ’ join two letters or two
				 * digits, ',' and ';' two digits, · two
				 * letters */
				int joined =
				    a == c && (b == K_MID || (b == K_MIDNUM && c == K_DIGIT) ||
					       (b == K_MIDLETTER && c == K_LETTER));

				/* a run of Hangul syllables is a word of
				 * its own */
				starts[COUNT_INDEX(a, b, c)] =
				    (is_alnum_kind(c) && !is_alnum_kind(b) && !joined) ||
				    (c == K_HANGUL && b != K_HANGUL);
			}
}

/* The words starting at t[i..to) after characters of classes *k2 and
 * *k1, a character at a time (a byte, one wide_char knows, a mark or a
 * letter letter_len_at knows), added to *n: returns where it stopped, at `to` or
 * past it by the rest of a known character, or at a byte for ICU (the
 * classes then those of the two characters before it). */
static inline size_t count_chars(const unsigned char *t, size_t i, size_t to, size_t len,
				 unsigned *k1, unsigned *k2, size_t *n)
{
	/* the index made of the three classes anew, not shifted on from
	 * the last character's: a chain through each byte was 3 cycles a
	 * byte */
	for (; i < to; i++) {
		unsigned k = count_classes[t[i]];
		size_t w;
		int wc;

		if (k == K_ICU) {
			if (t[i] < 0x80 || i + 1 >= len)
				break;
			if (is_mark_at(t, i) && *k1 != K_HANGUL) {
				i++; /* it extends the character before it (UAX #29 WB4) */
				continue;
			}
			if ((w = letter_len_at(t, i, len))) {
				k = K_LETTER;
			} else if ((w = wide_char(t, i, len, &wc))) {
				k = wc == W_MIDNUMLET   ? K_MID
				    : wc == W_MIDLETTER ? K_MIDLETTER
				    : wc == W_HANGUL    ? K_HANGUL
							: K_OTHER;
			} else {
				break;
			}
			i += w - 1;
		}
		*n += starts[COUNT_INDEX(*k2, *k1, k)];
		*k2 = *k1;
		*k1 = k;
	}
	return i;
}

#ifdef __SSE2__
/* Bytes of v from lo to lo + span - 1, as 0xFF (unsigned: with the
 * smaller of each byte and the top, a byte is in range when it is the
 * same). */
static inline __m128i in_range(__m128i v, char lo, char span)
{
	__m128i d = _mm_sub_epi8(v, _mm_set1_epi8(lo));

	return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8((char)(span - 1))), d);
}

static inline __m128i letters(__m128i v)
{
	return in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
}

static inline __m128i either(__m128i v, char x, char y)
{
	return _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(x)),
			    _mm_cmpeq_epi8(v, _mm_set1_epi8(y)));
}

/* Does v hold a byte for the other paths: beyond ASCII (its top bit
 * set), '_' or '@' (byte_classes' C_ICU)? */
static inline int holds_other(__m128i v)
{
	return _mm_movemask_epi8(_mm_or_si128(v, either(v, '_', '@'))) != 0;
}

/* The sum of v's sixteen bytes. */
static inline size_t lane_sum(__m128i v)
{
	__m128i s = _mm_sad_epu8(v, _mm_setzero_si128());

	return (size_t)_mm_cvtsi128_si32(s) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(s, 8));
}

/* What count_chars counts, sixteen bytes at a time: the starts table's
 * rule written out on vectors of the byte, the one before and the one
 * two before (so i >= 2): a word starts at a letter or digit after neither, unless '.'
 * or '\'' joins it to a letter or digit before that of its class, or ','
 * or ';' a digit to a digit. Returns where it stopped: fewer than
 * sixteen bytes left, or sixteen holding a byte for ICU. A megabyte of
 * an edition 0.8 -> 0.1 ms. */
static size_t count_blocks(const unsigned char *t, size_t i, size_t to, size_t *n)
{
	/* the starts added up a byte lane at a time (a start's lane is -1),
	 * and the lanes summed every 255 blocks and at the end: a popcount
	 * of each block's mask was a call into libgcc (x86-64 has no
	 * POPCNT by default), 0.8% of the planted pair's compare */
	__m128i sums = _mm_setzero_si128();
	unsigned blocks = 0;

	for (; i + 16 <= to; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(t + i - 1));
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(t + i - 2));
		__m128i xl = letters(x), xd = in_range(x, '0', 10);
		__m128i bl = letters(b), bd = in_range(b, '0', 10), bmid = either(b, '.', '\'');
		__m128i joined, start;

		if (holds_other(x))
			break;
		joined = _mm_or_si128(_mm_and_si128(_mm_and_si128(letters(a), xl), bmid),
				      _mm_and_si128(_mm_and_si128(in_range(a, '0', 10), xd),
						    _mm_or_si128(bmid, either(b, ',', ';'))));
		start = _mm_andnot_si128(_mm_or_si128(_mm_or_si128(bl, bd), joined),
					 _mm_or_si128(xl, xd));
		sums = _mm_sub_epi8(sums, start);
		if (++blocks == 255) {
			*n += lane_sum(sums);
			sums = _mm_setzero_si128();
			blocks = 0;
		}
	}
	*n += lane_sum(sums);
	return i;
}
#endif

#ifdef __SSE2__
/* The classes of sixty-four bytes, a bit a byte (bit k: byte k). */
typedef struct block_bits {
	uint64_t space, letter, digit;
	uint64_t mid;     /* '.' and '\'', which join two letters or two digits */
	uint64_t mid_num; /* ',' and ';', which join two digits */
} block_bits;

static inline uint64_t lane_bits(__m128i m, unsigned lane)
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(m) << (16 * lane);
}

/* The classes of t[0..n) (n <= 64), the bytes from n on taken as
 * spaces. */
static void block_classes(const unsigned char *t, size_t n, block_bits *b)
{
	unsigned char pad[64];
	const unsigned char *x = t;

	if (n < 64) {
		memcpy(pad, t, n);
		memset(pad + n, ' ', 64 - n);
		x = pad;
	}
	memset(b, 0, sizeof(*b));
	for (unsigned k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(x + 16 * (size_t)k));

		b->space |= lane_bits(
		    _mm_or_si128(in_range(v, 9, 5), _mm_cmpeq_epi8(v, _mm_set1_epi8(' '))), k);
		b->letter |= lane_bits(letters(v), k);
		b->digit |= lane_bits(in_range(v, '0', 10), k);
		b->mid |= lane_bits(either(v, '.', '\''), k);
		b->mid_num |= lane_bits(either(v, ',', ';'), k);
	}
}

/* Where the chunks at t[i..to) that hold nothing but ASCII without '_'
 * and '@' end: i, or the end of the last before the first chunk with
 * another byte (to when there is none). The whitespace before that
 * chunk is left to the path that takes it: ICU's range starts there, as
 * a mark after whitespace goes with it. */
static size_t plain_chunks_end(const unsigned char *t, size_t i, size_t to)
{
	size_t f = i;

	for (; f + 16 <= to; f += 16)
		if (holds_other(_mm_loadu_si128((const __m128i *)(const void *)(t + f))))
			break;
	while (f < to && byte_class(t[f]) != C_ICU)
		f++;
	if (f == to)
		return to;
	while (f > i && byte_class(t[f - 1]) != C_SPACE)
		f--;
	while (f > i && byte_class(t[f - 1]) == C_SPACE)
		f--;
	return f;
}

/* The tokens of the plain chunks from i (after whitespace or at a line's
 * start), sixty-four bytes at a time: run_ascii's rules on bits, where
 * its branches at every character were mispredicted at most token ends
 * (tokenizing an edition 8.5 -> 7.8 ms, the 2020 one 9.7 -> 8.8; the
 * table of words is most of what is left).
 * A token starts at every byte that is no space, unless it is a letter
 * or digit after one, a joiner between two letters or two digits ('.'
 * and '\'', or ',' and ';' between digits), or the letter or digit
 * after such a joiner; it ends where the next starts or at a space.
 * Returns where it stopped (i: the first chunk is not plain; SIZE_MAX:
 * out of memory). The same tokens as run_ascii, pushed in the same
 * order (test-diff-tokens holds both to ICU). */
static size_t run_plain(tokenizer *tk, size_t i, size_t to)
{
	const unsigned char *t = (const unsigned char *)tk->s->text;
	size_t e = plain_chunks_end(t, i, to), open = SIZE_MAX;
	/* bit 63 of the block before: its last byte's classes */
	uint64_t last_letter = 0, last_digit = 0, last_join = 0;

	for (size_t p = i; p < e; p += 64) {
		size_t n = e - p < 64 ? e - p : 64;
		uint64_t next_letter = 0, next_digit = 0, alnum, before_l, before_d, after_l,
			 after_d, join, glued, begins, events;
		block_bits b;

		block_classes(t + p, n, &b);
		if (p + 64 < e) {
			next_letter = byte_class(t[p + 64]) == C_LETTER;
			next_digit = byte_class(t[p + 64]) == C_DIGIT;
		}
		before_l = b.letter << 1 | last_letter;
		before_d = b.digit << 1 | last_digit;
		after_l = b.letter >> 1 | next_letter << 63;
		after_d = b.digit >> 1 | next_digit << 63;
		alnum = b.letter | b.digit;
		join = (b.mid & ((before_l & after_l) | (before_d & after_d))) |
		       (b.mid_num & before_d & after_d);
		/* bytes joined to the one before them */
		glued = (alnum & (before_l | before_d)) | join | (join << 1 | last_join);
		begins = ~b.space & ~glued;
		events = begins | b.space;
		while (events) {
			unsigned q = (unsigned)__builtin_ctzll(events);

			events &= events - 1;
			if (open != SIZE_MAX) {
				/* its kind by its last byte, which may be the
				 * block before's */
				int digit = q ? (int)(b.digit >> (q - 1)) & 1 : (int)last_digit;
				int letter = q ? (int)(b.letter >> (q - 1)) & 1 : (int)last_letter;

				if (push_tok(tk, open, p + q,
					     digit    ? TOK_NUMBER
					     : letter ? TOK_WORD
						      : TOK_PUNCT) < 0)
					return SIZE_MAX;
				open = SIZE_MAX;
			}
			if ((begins >> q) & 1)
				open = p + q;
		}
		last_letter = b.letter >> 63;
		last_digit = b.digit >> 63;
		last_join = join >> 63;
	}
	if (open != SIZE_MAX) {
		int c = byte_class(t[e - 1]);

		if (push_tok(tk, open, e,
			     c == C_DIGIT    ? TOK_NUMBER
			     : c == C_LETTER ? TOK_WORD
					     : TOK_PUNCT) < 0)
			return SIZE_MAX;
	}
	return e;
}
#endif

/* The tokens of the chunks from i (after whitespace or at a line's
 * start): plain ones sixty-four bytes at a time, else the next chunk's as
 * run_ascii gives them. Returns where it stopped, 0 when the chunk at i
 * is ICU's, SIZE_MAX when out of memory. */
static size_t run_fast(tokenizer *tk, size_t i, size_t to)
{
#ifdef __SSE2__
	size_t end = run_plain(tk, i, to);

	if (end != i)
		return end;
#else
	(void)to;
#endif
	return run_ascii(tk, i);
}

/* The words of text[i..to) added to *words, up to the first chunk that
 * holds a byte for ICU: its start is returned (to when there is none). i
 * follows whitespace or starts a line. */
static size_t count_ascii(const unsigned char *t, size_t i, size_t to, size_t *words)
{
	size_t from = i, n = 0, m = 0, chunk, lim, step = 2;
	unsigned k1 = K_SPACE, k2 = K_SPACE; /* the classes of the two characters before i */

	/* A piece a character at a time (the first two bytes, whatever is
	 * before them counting as spaces; then the sixteen bytes where
	 * count_blocks stopped), and sixteen bytes at a time from where the
	 * two bytes before are ASCII, their classes the characters'. */
	for (;;) {
		lim = to - i > step ? i + step : to;
		if ((i = count_chars(t, i, lim, to, &k1, &k2, &n)) < lim || i >= to)
			break;
#ifdef __SSE2__
		if (t[i - 1] < 0x80 && t[i - 2] < 0x80) {
			i = count_blocks(t, i, to, &n);
			k1 = count_classes[t[i - 1]];
			k2 = count_classes[t[i - 2]];
		}
#endif
		step = 16;
	}
	if (i >= to) {
		*words += n;
		return to;
	}
	/* the words of the chunk so far go back, counted again the same
	 * way (after whitespace, as it is): ICU counts it whole */
	for (chunk = i; chunk > from && count_classes[t[chunk - 1]] != K_SPACE; chunk--)
		;
	k1 = k2 = K_SPACE;
	(void)count_chars(t, chunk, i, to, &k1, &k2, &m);
	*words += n - m;
	return chunk;
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
 * (tests/unit/test-diff-tokens.c). */
int diff_tokenize_range(tokenizer *tk, size_t from, size_t to)
{
	const unsigned char *t = (const unsigned char *)tk->s->text;
	size_t i = from, icu_from = 0, icu_to = 0, end;
	int rc;

	while (i < to) {
		size_t ws = i;

		while (i < to && byte_class(t[i]) == C_SPACE)
			i++;
		if (i == to)
			break;
		if (char_class(t, i, to) != C_ICU) {
			/* ICU's pending tokens come first */
			if (icu_to && (rc = run_icu(tk, icu_from, icu_to)) < 0)
				return rc;
			icu_to = 0;
			if (tk->counting) {
				/* the plain chunks up to one for ICU counted at
				 * once; that chunk's range starts at it, not at
				 * the whitespace before it (a mark after
				 * whitespace is no word, with it or alone) */
				if ((ws = i = count_ascii(t, i, to, &tk->counted)) == to)
					break;
			} else if ((end = run_fast(tk, i, to)) == SIZE_MAX) {
				return RL_ENOMEM;
			} else if (end) {
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
	return icu_only ? run_icu(tk, 0, tk->s->len) : diff_tokenize_range(tk, 0, tk->s->len);
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
int diff_label_ids(dside *s, dintern *words, rl_error *err)
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
			if (!have && dintern_id(words, generic, sizeof(generic) - 1, TOK_PUNCT, &id,
						&facts) < 0)
				return rl_error_set(err, RL_ENOMEM,
						    "diff: out of memory for tokens");
			have = 1;
			s->label_id = id;
			s->ids[ln->tok0 + k] = id;
			break;
		}
	}
	return 0;
}

int diff_side_begin(dside *s, const char *text, size_t len, prep_side *ps, size_t *cap,
		    rl_error *err)
{
	prep_side own = diff_prep_take(ps);
	int rc;

	memset(s, 0, sizeof(*s));
	s->text = text;
	s->len = len;
	s->label_id = UINT32_MAX;
	/* dside_free frees them, taken or not */
	s->tok = own.tok;
	s->ids = own.ids;
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

void diff_side_ends_make(side_ends *made, size_t n)
{
	made->match = malloc((n + 1) * sizeof(*made->match));
	made->move = malloc((n + 1) * sizeof(*made->move));
	made->dirty = malloc(n + 1);
	if (!made->match || !made->move || !made->dirty) {
		diff_side_ends_free(made);
		return;
	}
	/* written here, not left to calloc: memory it takes from the
	 * kernel would be faulted in by whoever writes it first */
	memset(made->match, 0xff, (n + 1) * sizeof(*made->match)); /* -1: none */
	memset(made->move, 0, (n + 1) * sizeof(*made->move));
	memset(made->dirty, 0, n + 1);
	made->n = n;
}

void diff_side_ends_free(side_ends *made)
{
	free(made->match);
	free(made->move);
	free(made->dirty);
	*made = (side_ends){NULL, NULL, NULL, 0};
}

int diff_side_end(dside *s, rl_error *err)
{
	return diff_side_end_made(s, NULL, err);
}

int diff_side_end_made(dside *s, side_ends *made, rl_error *err)
{
	side_ends own = {NULL, NULL, NULL, 0};

	/* the ids were filled as the tokens came; a text without any still
	 * has the one more */
	if (!s->ids)
		s->ids = malloc(sizeof(*s->ids));
	if (!made || !made->move || made->n < s->ntok) {
		diff_side_ends_make(&own, s->ntok);
		made = &own;
	}
	free(s->match);
	s->match = made->match;
	s->move = made->move;
	s->dirty = made->dirty;
	*made = (side_ends){NULL, NULL, NULL, 0};
	if (!s->ids || !s->match || !s->move || !s->dirty)
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory for tokens");
	return 0;
}

void diff_tokenizer_init(tokenizer *tk, dside *s, size_t cap, size_t line, dintern *words,
			 rl_error *err)
{
	*tk = (tokenizer){s, cap, line, words, UTEXT_INITIALIZER, NULL, err, 0, 0, 0};
}

int diff_word_counter_init(word_counter *wc, const char *text, size_t len, rl_error *err)
{
	memset(wc, 0, sizeof(*wc));
	/* a side of one line that no token is added to, and a table no word
	 * goes in: what the tokenizer reads and undoes in passing */
	wc->s.text = text;
	wc->s.len = len;
	wc->s.line = &wc->one;
	wc->s.nline = 1;
	if (dintern_new(&wc->none) < 0)
		return rl_error_set(err, RL_ENOMEM, "diff: out of memory");
	diff_tokenizer_init(&wc->tk, &wc->s, 0, 0, wc->none, err);
	wc->tk.counting = 1;
	pthread_once(&starts_once, make_starts);
	return 0;
}

int diff_word_counter_count(word_counter *wc, size_t from, size_t to, size_t *words)
{
	int rc;

	wc->tk.counted = 0;
	rc = diff_tokenize_range(&wc->tk, from, to);
	*words = wc->tk.counted;
	return rc;
}

void diff_word_counter_close(word_counter *wc)
{
	diff_tokenizer_close(&wc->tk);
	dintern_free(wc->none);
	wc->none = NULL;
}

size_t diff_tokenizer_close(tokenizer *tk)
{
	ubrk_close(tk->bi);
	utext_close(&tk->ut);
	tk->bi = NULL;
	return tk->cap;
}

int diff_tokenize_begun(dside *s, dintern *tokens, size_t cap, int icu_only, rl_error *err)
{
	tokenizer tk;
	int rc;

	diff_tokenizer_init(&tk, s, cap, 0, tokens, err);
	rc = s->len ? tokenize(&tk, icu_only) : 0;
	diff_tokenizer_close(&tk);
	return rc < 0 ? rc : diff_side_end(s, err);
}

/* Tokens, lines and the arrays of the alignment: all but the labels'
 * ids, which come from the table both sides share (label_ids). The
 * arrays of ps (may be NULL) are used where large enough. */
static int tokenize_side(dside *s, const char *text, size_t len, dintern *tokens, int icu_only,
			 prep_side *ps, rl_error *err)
{
	size_t cap;
	int rc = diff_side_begin(s, text, len, ps, &cap, err);

	return rc < 0 ? rc : diff_tokenize_begun(s, tokens, cap, icu_only, err);
}

int diff_tokenize_icu(dside *s, const char *text, size_t len, dintern *tokens, int icu_only,
		      rl_error *err)
{
	int rc = tokenize_side(s, text, len, tokens, icu_only, NULL, err);

	return rc < 0 ? rc : diff_label_ids(s, tokens, err);
}

int diff_tokenize(dside *s, const char *text, size_t len, dintern *tokens, rl_error *err)
{
	return diff_tokenize_icu(s, text, len, tokens, 0, err);
}

int diff_tokenize_made(dside *s, const char *text, size_t len, dintern *tokens, prep_side *ps,
		       rl_error *err)
{
	int rc = tokenize_side(s, text, len, tokens, 0, ps, err);

	return rc < 0 ? rc : diff_label_ids(s, tokens, err);
}

uint8_t dintern_facts(const dintern *t, uint32_t id)
{
	return t->words[id].facts;
}

/* A line's hash: two lanes of eight bytes each, which do not wait on each
 * other's multiply, and the last eight bytes read at once, overlapping
 * the ones before (the word hash's one lane and byte at a time tail were
 * a fortieth of comparing two versions a day apart). */
uint64_t diff_bytes_hash(const char *p, size_t len)
{
	const uint64_t k1 = 0x94d049bb133111ebULL, k2 = 0xbf58476d1ce4e5b9ULL;
	uint64_t h1 = len * 0x9e3779b97f4a7c15ULL, h2 = ~h1, w, v;
	size_t i = 0;

	if (len < 8)
		return word_hash(p, len, load_head(p, len));
	for (; i + 16 <= len; i += 16) {
		memcpy(&w, p + i, 8);
		memcpy(&v, p + i + 8, 8);
		h1 = (h1 ^ (h1 >> 31) ^ w) * k1;
		h2 = (h2 ^ (h2 >> 29) ^ v) * k2;
	}
	if (i + 8 <= len) {
		memcpy(&w, p + i, 8);
		h1 = (h1 ^ (h1 >> 31) ^ w) * k1;
	}
	memcpy(&w, p + len - 8, 8);
	h2 = (h2 ^ (h2 >> 29) ^ w) * k2;
	h1 ^= h2 + (h1 >> 32);
	h1 *= k2;
	return h1 ^ (h1 >> 32);
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
