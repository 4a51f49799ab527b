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
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || u_isUWhiteSpace(c);
}

static int fold(folded *out, const char *s, size_t len, int collapse_space)
{
	int32_t i = 0;

	out->cp = malloc((len + 1) * sizeof(*out->cp));
	out->off = malloc((len + 1) * sizeof(*out->off));
	out->n = 0;
	if (!out->cp || !out->off) {
		free(out->cp);
		free(out->off);
		out->cp = NULL;
		out->off = NULL;
		return -1;
	}
	while ((size_t)i < len) {
		size_t at = (size_t)i;
		UChar32 c;

		U8_NEXT(s, i, (int32_t)len, c);
		if (c < 0)
			c = 0xFFFD;
		if (is_space(c)) {
			if (collapse_space && (out->n == 0 || out->cp[out->n - 1] == ' '))
				continue;
			c = ' ';
		} else {
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

/* Match positions of term in text (start indexes into text's code points). */
static size_t find_all(const folded *text, const folded *term, size_t **at)
{
	size_t n = 0, cap = 0;

	*at = NULL;
	if (term->n == 0)
		return 0;
	for (size_t i = 0; i < text->n; i++) {
		size_t ti = i, k = 0;

		while (k < term->n && ti < text->n) {
			if (term->cp[k] == ' ') {
				if (!is_space(text->cp[ti]) && text->cp[ti] != ' ')
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

			if (!v)
				break;
			*at = v;
		}
		(*at)[n++] = i;
	}
	return n;
}

static size_t count_in(const char *text, size_t len, const folded *term, size_t **at, folded *ft)
{
	if (fold(ft, text, len, 0) < 0)
		return 0;
	return find_all(ft, term, at);
}

size_t rl_watch_count(const char *text, size_t len, const char *term)
{
	folded ft = {0}, fterm = {0};
	size_t *at = NULL, n = 0;

	if (fold(&fterm, term, strlen(term), 1) == 0)
		n = count_in(text, len, &fterm, &at, &ft);
	free(at);
	folded_free(&ft);
	folded_free(&fterm);
	return n;
}

/* The line (sentence) around byte offset `off`. */
static void push_line(rl_strv *out, const char *text, size_t len, size_t off)
{
	size_t a = off, b = off;

	while (a > 0 && text[a - 1] != '\n')
		a--;
	while (b < len && text[b] != '\n')
		b++;
	for (size_t i = 0; i < out->n; i++)
		if (strlen(out->v[i]) == b - a && memcmp(out->v[i], text + a, b - a) == 0)
			return;
	char *line = strndup(text + a, b - a);

	if (line) {
		rl_strv_push(out, line);
		free(line);
	}
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

int rl_watch_compare(rl_watch_hit **out, size_t *n, const char *old_text, size_t old_len,
		     const char *new_text, size_t new_len, const rl_strv *terms, rl_error *err)
{
	int rc = 0;

	*out = NULL;
	*n = 0;
	for (size_t t = 0; terms && t < terms->n && rc == 0; t++) {
		folded fterm = {0}, fo = {0}, fn = {0};
		size_t *ao = NULL, *an = NULL, before, after;

		if (fold(&fterm, terms->v[t], strlen(terms->v[t]), 1) < 0) {
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
			break;
		}
		before = count_in(old_text, old_len, &fterm, &ao, &fo);
		after = count_in(new_text, new_len, &fterm, &an, &fn);
		if (before != after) {
			if (add_hit(out, n, terms->v[t], before, after) < 0) {
				rc = rl_error_set(err, RL_ENOMEM, "out of memory");
			} else {
				/* The sentences of the side that has more: where the term
				 * appeared, or where it was before it went. */
				rl_watch_hit *h = &(*out)[*n - 1];

				if (after > 0)
					for (size_t i = 0; i < after; i++)
						push_line(&h->contexts, new_text, new_len,
							  fn.off[an[i]]);
				else
					for (size_t i = 0; i < before; i++)
						push_line(&h->contexts, old_text, old_len,
							  fo.off[ao[i]]);
			}
		}
		free(ao);
		free(an);
		folded_free(&fterm);
		folded_free(&fo);
		folded_free(&fn);
	}
	return rc;
}

void rl_watch_hits_free(rl_watch_hit *hits, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(hits[i].term);
		rl_strv_free(&hits[i].contexts);
	}
	free(hits);
}
