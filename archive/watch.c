/* Watched terms: whole-word, case-insensitive counts of words and
 * phrases, and the sentences where a count changed. */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "redline/watch.h"

/* The text as case-folded code points, each with the byte offset it came from. */
typedef struct folded {
	UChar32 *cp;
	size_t *off;
	size_t n;
} folded;

static int is_space(UChar32 c)
{
	if (c < 0x80)
		return c == ' ' || (c >= 0x09 && c <= 0x0D);
	return u_isUWhiteSpace(c);
}

static int fold(folded *out, const char *s, size_t len, int collapse_space)
{
	int32_t i = 0;

	out->n = 0;
	out->cp = malloc((len + 1) * sizeof(*out->cp));
	out->off = malloc((len + 1) * sizeof(*out->off));
	if (!out->cp || !out->off || len > INT32_MAX) {
		free(out->cp);
		free(out->off);
		out->cp = NULL;
		out->off = NULL;
		return -1;
	}
	while ((size_t)i < len) {
		size_t at = (size_t)i;
		UChar32 c = (unsigned char)s[i];

		/* ASCII, most of most texts, without ICU: the same folding */
		if (c < 0x80) {
			i++;
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
		} else {
			U8_NEXT(s, i, (int32_t)len, c);
			if (c < 0)
				c = 0xFFFD;
		}
		if (is_space(c)) {
			if (collapse_space && (out->n == 0 || out->cp[out->n - 1] == ' '))
				continue;
			c = ' ';
		} else if (c >= 0x80) {
			c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
		}
		out->cp[out->n] = c;
		out->off[out->n++] = at;
	}
	if (collapse_space && out->n && out->cp[out->n - 1] == ' ')
		out->n--;
	out->off[out->n] = len;
	return 0;
}

static void folded_free(folded *f)
{
	free(f->cp);
	free(f->off);
}

/* Scripts written without spaces (Hangul, Han, kana) take no word boundary:
 * Korean particles attach to the word they follow. */
static int needs_boundary(UChar32 c)
{
	UBlockCode b;

	if (!u_isalnum(c))
		return 0;
	b = ublock_getCode(c);
	return !(b == UBLOCK_HANGUL_SYLLABLES || b == UBLOCK_CJK_UNIFIED_IDEOGRAPHS ||
		 b == UBLOCK_HIRAGANA || b == UBLOCK_KATAKANA || b == UBLOCK_HANGUL_JAMO);
}

/* Matches of term in text: where each starts and ends (byte offsets).
 * A space in the term matches any run of whitespace. Returns the count,
 * or -1 when memory ran out. */
static long find_all(const folded *text, const folded *term, size_t **at, size_t **end)
{
	size_t n = 0, cap = 0;

	*at = NULL;
	*end = NULL;
	if (term->n == 0)
		return 0;
	for (size_t i = 0; i < text->n; i++) {
		size_t ti = i, k = 0;

		if (text->cp[i] != term->cp[0])
			continue;
		while (k < term->n && ti < text->n) {
			if (term->cp[k] == ' ') {
				if (text->cp[ti] != ' ')
					break;
				while (ti < text->n && text->cp[ti] == ' ')
					ti++;
				k++;
				continue;
			}
			if (term->cp[k] != text->cp[ti])
				break;
			k++;
			ti++;
		}
		if (k < term->n)
			continue;
		if (needs_boundary(term->cp[0]) && i > 0 && u_isalnum(text->cp[i - 1]))
			continue;
		if (needs_boundary(term->cp[term->n - 1]) && ti < text->n &&
		    u_isalnum(text->cp[ti]))
			continue;
		if (n == cap) {
			size_t *v = realloc(*at, (cap = cap ? cap * 2 : 8) * sizeof(*v));
			size_t *w = v ? realloc(*end, cap * sizeof(*w)) : NULL;

			if (v)
				*at = v;
			if (!w)
				return -1;
			*end = w;
		}
		(*at)[n] = text->off[i];
		(*end)[n++] = text->off[ti];
	}
	return (long)n;
}

static long find_term(const char *text, size_t len, const char *term, size_t **at, size_t **end)
{
	folded ft = {0}, fterm = {0};
	long n = -1;

	*at = NULL;
	*end = NULL;
	if (fold(&fterm, term, strlen(term), 1) == 0 && fold(&ft, text, len, 0) == 0)
		n = find_all(&ft, &fterm, at, end);
	folded_free(&ft);
	folded_free(&fterm);
	if (n < 0) {
		free(*at);
		free(*end);
		*at = *end = NULL;
	}
	return n;
}

size_t rl_watch_count(const char *text, size_t len, const char *term)
{
	size_t *at, *end;
	long n = find_term(text, len, term, &at, &end);

	free(at);
	free(end);
	return n > 0 ? (size_t)n : 0;
}

int rl_watch_find(const char *text, size_t len, const char *term, size_t **at, size_t **end,
		  size_t *n, rl_error *err)
{
	long k = find_term(text, len, term, at, end);

	*n = 0;
	if (k < 0)
		return rl_error_set(err, RL_ENOMEM, "out of memory looking for \"%s\"", term);
	*n = (size_t)k;
	return 0;
}

/* --- where a count changed ------------------------------------------------------ */

/* The sentences holding matches: the line where each match starts, up to
 * the line where it ends (a phrase across a line break spans two). */
typedef struct sentence {
	size_t start, end; /* bytes, without the final newline */
	size_t count;      /* matches starting in it */
} sentence;

static size_t sentences(const char *text, size_t len, const size_t *at, const size_t *end, size_t n,
			sentence *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t a = at[i], b = end[i];

		while (a > 0 && text[a - 1] != '\n')
			a--;
		while (b < len && text[b] != '\n')
			b++;
		if (k && out[k - 1].start == a) {
			out[k - 1].count++;
			if (b > out[k - 1].end)
				out[k - 1].end = b;
			continue;
		}
		out[k++] = (sentence){a, b, 1};
	}
	return k;
}

/* Matches in the sentences of u (v, m of them) with the words of
 * sentence s of t. */
static size_t count_same(const char *t, const sentence *s, const char *u, const sentence *v,
			 size_t m)
{
	size_t len = s->end - s->start, c = 0;

	for (size_t j = 0; j < m; j++)
		if (v[j].end - v[j].start == len && memcmp(u + v[j].start, t + s->start, len) == 0)
			c += v[j].count;
	return c;
}

static int push_sentence(rl_strv *out, const char *t, const sentence *s)
{
	char *line = strndup(t + s->start, s->end - s->start);
	int rc;

	for (char *p = line; p && *p; p++)
		if (*p == '\n')
			*p = ' ';
	rc = line ? rl_strv_push(out, line) : -1;
	free(line);
	return rc;
}

/* Sentences of side x holding more matches than the same sentences of
 * side y: where the term appeared (x new) or disappeared (x old). */
static int changed_sentences(rl_strv *out, const char *x, const sentence *sx, size_t nx,
			     const char *y, const sentence *sy, size_t ny)
{
	for (size_t i = 0; i < nx; i++) {
		int seen = 0;

		for (size_t j = 0; j < i && !seen; j++)
			seen =
			    sx[j].end - sx[j].start == sx[i].end - sx[i].start &&
			    memcmp(x + sx[j].start, x + sx[i].start, sx[i].end - sx[i].start) == 0;
		if (seen || count_same(x, &sx[i], x, sx, nx) <= count_same(x, &sx[i], y, sy, ny))
			continue;
		if (push_sentence(out, x, &sx[i]) < 0)
			return -1;
	}
	return 0;
}

static int add_hit(rl_watch_hit **hits, size_t *n, const char *term, size_t before, size_t after)
{
	rl_watch_hit *v = realloc(*hits, (*n + 1) * sizeof(*v));

	if (!v)
		return -1;
	*hits = v;
	memset(&v[*n], 0, sizeof(v[*n]));
	v[*n].term = strdup(term);
	v[*n].before = before;
	v[*n].after = after;
	(*n)++;
	return v[*n - 1].term ? 0 : -1;
}

/* One term: its counts, and when they differ, the sentences that made the
 * difference (those whose matches the other text does not have). */
static int compare_term(rl_watch_hit **out, size_t *n, const char *old_text, size_t old_len,
			const char *new_text, size_t new_len, const char *term)
{
	size_t *ao = NULL, *eo = NULL, *an = NULL, *en = NULL;
	long before = find_term(old_text, old_len, term, &ao, &eo);
	long after = before < 0 ? -1 : find_term(new_text, new_len, term, &an, &en);
	sentence *so = NULL, *sn = NULL;
	int rc = -1;

	if (before < 0 || after < 0)
		goto out;
	if (before == after) {
		rc = 0;
		goto out;
	}
	so = malloc(((size_t)before + 1) * sizeof(*so));
	sn = malloc(((size_t)after + 1) * sizeof(*sn));
	if (!so || !sn || add_hit(out, n, term, (size_t)before, (size_t)after) < 0)
		goto out;
	{
		rl_watch_hit *h = &(*out)[*n - 1];
		size_t no = sentences(old_text, old_len, ao, eo, (size_t)before, so);
		size_t nn = sentences(new_text, new_len, an, en, (size_t)after, sn);

		if (changed_sentences(&h->contexts, new_text, sn, nn, old_text, so, no) < 0 ||
		    changed_sentences(&h->contexts, old_text, so, no, new_text, sn, nn) < 0)
			goto out;
	}
	rc = 0;
out:
	free(ao);
	free(eo);
	free(an);
	free(en);
	free(so);
	free(sn);
	return rc;
}

int rl_watch_compare(rl_watch_hit **out, size_t *n, const char *old_text, size_t old_len,
		     const char *new_text, size_t new_len, const rl_strv *terms, rl_error *err)
{
	*out = NULL;
	*n = 0;
	for (size_t t = 0; terms && t < terms->n; t++)
		if (compare_term(out, n, old_text, old_len, new_text, new_len, terms->v[t]) < 0) {
			rl_watch_hits_free(*out, *n);
			*out = NULL;
			*n = 0;
			return rl_error_set(err, RL_ENOMEM, "out of memory counting \"%s\"",
					    terms->v[t]);
		}
	return 0;
}

void rl_watch_hits_free(rl_watch_hit *hits, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(hits[i].term);
		rl_strv_free(&hits[i].contexts);
	}
	free(hits);
}
