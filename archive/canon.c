/* Canonical text (DESIGN.md "Canonical text"): the line model of a
 * document, furniture removed, becomes one sentence per line, a blank
 * line between paragraphs, `#` headings, and each enumerated item on its
 * own line with its label.
 *
 * Three decisions make it independent of the wrapping:
 *  - Lines join into paragraphs. A line break is always a wrap. A block
 *    boundary is a wrap too on a hard-wrapped page (one element per
 *    visual line; see rlx_layout) and a paragraph break elsewhere,
 *    except in mid-sentence (no final stop before it, a lowercase letter
 *    after it): a sentence never spans paragraphs, whatever the markup says.
 *  - A short title-like line between sentences is a heading when the next
 *    line's first word would have fitted after it: a wrapped line is full,
 *    a heading is not, at any width the text was wrapped to.
 *  - A line that starts with a label after a finished sentence (or a
 *    colon, or "; and") starts an item, if the line before had room for
 *    the label or the label follows the open item's ("b." after "a.");
 *    a sentence that starts with a label is an item too. An item the
 *    markup does not delimit holds its first sentence; what follows is a
 *    new paragraph.
 * Sentences then come from the joined paragraph (segment.c), never from
 * the lines, so the same words in the same order give the same bytes.
 * The page width these decisions measure against is layout.c's. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "redline/label.h"

#include "extract-int.h"

struct fl {
	const char *s;
	size_t len;
	const xline *ln;
	const xpage *pg;
	unsigned cps;
	unsigned char kind, soft, heading;
};

struct span {
	size_t off, len;
};

struct rlx_canon {
	rlx_segmenter *seg;
	const xdoc *doc; /* the document vocab was built for */
	rlx_vocab *vocab;
	regex_t *ignore;
	size_t n_ignore;
	struct fl *fl;
	size_t fl_cap;
	struct span *sent;
	size_t n_sent, sent_cap;
	rl_buf para, label;
};

enum { B_NONE, B_PARA, B_HEAD, B_ITEM, B_ROW, B_PRE };
enum { P_NONE, P_TEXT, P_ITEM, P_ITEM_INFERRED };

/* What must fit for the line before to have been full: the first word,
 * or in scripts written without spaces, the first character. */
static unsigned first_word_cps(const struct fl *f)
{
	return rlx_word_cps(f->s, f->len);
}

static int block_kind(int k)
{
	return k == XL_HEADING || k == XL_ROW || k == XL_PRE;
}

/* Whether the first word of f would have fitted after prev: then the
 * break between them was not a wrap. A line a wrap ended is full, so
 * neither a heading nor an item is found inside a sentence, wherever the
 * lines were broken. */
static int room_for(const struct fl *prev, const struct fl *f)
{
	return prev->cps + 1 + first_word_cps(f) <= prev->pg->width;
}

static int inferred_heading(const struct fl *fl, size_t n, size_t i)
{
	const struct fl *f = &fl[i], *p = i ? &fl[i - 1] : NULL, *x = i + 1 < n ? &fl[i + 1] : NULL;

	if (f->kind != XL_TEXT || f->pg->said_headings)
		return 0;
	if (p && f->soft && !p->heading && !block_kind(p->kind) &&
	    !rlx_ends_sentence(p->s, p->len, 1))
		return 0;
	if (!rlx_title_shaped(f->s, f->len, f->cps))
		return 0;
	if (!x || !x->soft || !rlx_flowing(x->ln))
		return 1;
	/* Joined to the next line: only if that line starts anew and its first
	 * word would have fitted here, which no wrapped line allows. */
	return !rlx_starts_lower(x->s, x->len) && room_for(f, x);
}

/* --- the flow ------------------------------------------------------------ */

/* A boundary inside a sentence: no final stop before it, and after it a
 * lowercase letter, or in a script without case, the rest of a line that
 * was full. */
static int mid_sentence(const struct fl *p, const struct fl *f)
{
	int32_t first = rlx_first_cp(f->s, f->len);

	if (rlx_ends_sentence(p->s, p->len, 1))
		return 0;
	if (rlx_is_lower(first))
		return 1;
	return rlx_is_uncased_letter(first) && p->cps >= 20 && p->cps * 2 >= p->pg->width;
}

static int soft_boundary(const struct fl *p, const struct fl *f)
{
	int brk = f->ln->brk, line_mode = f->pg->line_mode;

	if (p->pg != f->pg) { /* a page break */
		line_mode = line_mode || p->pg->line_mode;
		if (brk < XB_BLOCK)
			brk = XB_BLOCK;
	}
	if (f->kind == XL_HEADING || f->kind == XL_ROW || f->kind == XL_PRE || f->kind == XL_ITEM)
		return 0;
	if (block_kind(p->kind))
		return 0;
	if (f->kind == XL_ITEM_CONT)
		return 1;
	switch (brk) {
	case XB_LINE:
		return 1;
	case XB_BLOCK:
		if (line_mode)
			return 1;
		/* fall through */
	case XB_PARA:
		return mid_sentence(p, f);
	default:
		return 0;
	}
}

static int collect(rlx_canon *c, const xdoc *d, size_t first, size_t np, size_t *n)
{
	size_t k = 0;

	for (size_t p = first; p < first + np; p++)
		for (size_t i = 0; i < d->pages[p].n; i++) {
			const xpage *pg = &d->pages[p];
			const xline *l = &pg->lines[i];
			struct fl *f;

			if (l->flags & XF_FURNITURE)
				continue;
			if (k == c->fl_cap) {
				size_t cap = c->fl_cap ? c->fl_cap * 2 : 256;
				struct fl *v = realloc(c->fl, cap * sizeof(*v));

				if (!v)
					return -1;
				c->fl = v;
				c->fl_cap = cap;
			}
			f = &c->fl[k++];
			memset(f, 0, sizeof(*f));
			f->s = rlx_text(pg, l);
			f->len = l->len;
			f->ln = l;
			f->pg = pg;
			f->cps = l->cps;
			f->kind = l->kind;
		}
	*n = k;
	return 0;
}

/* --- output -------------------------------------------------------------- */

struct em {
	rlx_canon *c;
	rl_buf *out;
	int last, kind;
	int newlist; /* the open item starts a list of its own */
	rl_label prev;
	int have_prev;
};

static void sep(struct em *e, int block)
{
	if (e->last == B_NONE)
		return;
	/* Items follow each other, and a list follows the paragraph leading
	 * in to it (whatever the markup put between them). */
	if (block == B_ITEM && ((e->last == B_ITEM && !e->newlist) || e->last == B_PARA))
		return;
	if ((block == B_ROW || block == B_PRE) && e->last == block)
		return;
	rl_buf_putc(e->out, '\n');
}

static int add_sentence(void *arg, const char *s, size_t len)
{
	rlx_canon *c = arg;

	if (c->n_sent == c->sent_cap) {
		size_t cap = c->sent_cap ? c->sent_cap * 2 : 64;
		struct span *v = realloc(c->sent, cap * sizeof(*v));

		if (!v)
			return -1;
		c->sent = v;
		c->sent_cap = cap;
	}
	c->sent[c->n_sent].off = (size_t)(s - c->para.ptr);
	c->sent[c->n_sent++].len = len;
	return 0;
}

static void put_sentences(struct em *e, size_t from)
{
	rlx_canon *c = e->c;

	for (size_t i = from; i < c->n_sent; i++) {
		rl_buf_put(e->out, c->para.ptr + c->sent[i].off, c->sent[i].len);
		rl_buf_putc(e->out, '\n');
	}
}

/* Sentences from..n-1 of a paragraph no markup delimits. One that starts
 * with a label is printed at the start of a line like an item, so it is
 * one: an item holding that sentence, the next sentences a paragraph. */
static void put_running(struct em *e, size_t from)
{
	rlx_canon *c = e->c;
	int open = 0;
	rl_label l;

	for (size_t i = from; i < c->n_sent; i++) {
		const char *s = c->para.ptr + c->sent[i].off;
		size_t n = c->sent[i].len;

		if (rl_label_match_next(s, n, e->have_prev ? &e->prev : NULL, &l) &&
		    l.style != RL_LABEL_BULLET) {
			sep(e, B_ITEM);
			rl_buf_put(e->out, s, l.len);
			rl_buf_putc(e->out, ' ');
			rl_buf_put(e->out, s + l.skip, n - l.skip);
			e->last = B_ITEM;
			e->prev = l;
			e->have_prev = 1;
			open = 0;
		} else {
			if (!open)
				sep(e, B_PARA);
			rl_buf_put(e->out, s, n);
			e->last = B_PARA;
			e->have_prev = 0;
			open = 1;
		}
		rl_buf_putc(e->out, '\n');
	}
}

static int flush(struct em *e)
{
	rlx_canon *c = e->c;

	if (e->kind == P_NONE || c->para.len == 0) {
		e->kind = P_NONE;
		rl_buf_reset(&c->para);
		return 0;
	}
	c->n_sent = 0;
	if (rlx_segment(c->seg, c->para.ptr, c->para.len, add_sentence, c) < 0)
		return -1;
	if (c->n_sent == 0)
		goto done;
	if (e->kind == P_TEXT) {
		put_running(e, 0);
		goto done;
	}
	sep(e, B_ITEM);
	rl_buf_put(e->out, c->label.ptr, c->label.len);
	rl_buf_putc(e->out, ' ');
	rl_buf_put(e->out, c->para.ptr + c->sent[0].off, c->sent[0].len);
	rl_buf_putc(e->out, '\n');
	e->last = B_ITEM;
	if (e->kind == P_ITEM)
		put_sentences(e, 1);
	else /* an item nothing delimits ends with its first sentence */
		put_running(e, 1);
done:
	e->kind = P_NONE;
	rl_buf_reset(&c->para);
	return e->out->failed || c->para.failed ? -1 : 0;
}

static void start(struct em *e, int kind, const char *label, size_t llen, const char *s, size_t n)
{
	rl_buf_set(&e->c->label, label, llen);
	rl_buf_set(&e->c->para, s, n);
	e->kind = kind;
	e->newlist = 0;
}

static void put_block_line(struct em *e, int block, const struct fl *f)
{
	if (block == e->last && f->ln->brk == XB_HARD)
		e->last = B_PARA; /* a new table or verbatim block */
	sep(e, block);
	if (block == B_HEAD) {
		int level = f->ln->level < 1 ? 1 : f->ln->level > 6 ? 6 : f->ln->level;

		for (int i = 0; i < level; i++)
			rl_buf_putc(e->out, '#');
		rl_buf_putc(e->out, ' ');
	}
	rl_buf_put(e->out, f->s, f->len);
	rl_buf_putc(e->out, '\n');
	e->last = block;
	e->have_prev = 0;
}

static int ends_with_word(const rl_buf *b, const char *w)
{
	size_t n = strlen(w);

	return b->len > n && b->ptr[b->len - n - 1] == ' ' &&
	       memcmp(b->ptr + b->len - n, w, n) == 0;
}

/* The label that follows the open item's in its list ("나." after "가."). */
static int next_in_list(const struct em *e, const rl_label *l)
{
	return e->kind == P_ITEM_INFERRED && e->have_prev && l->style == e->prev.style &&
	       l->form == e->prev.form &&
	       (l->ordinal == e->prev.ordinal + 1 || l->style == RL_LABEL_BULLET);
}

/* A first label after a colon, its item starting with a capital: "These
 * principles include:" / "a. Striving ...", but not "made: (a) transition". */
static int opens_list(const struct em *e, const rl_label *l, const struct fl *f)
{
	const rl_buf *p = &e->c->para;
	size_t i = p->len;
	int32_t c;

	if (l->ordinal > 1 || i == 0 ||
	    rlx_is_lower(rlx_first_cp(f->s + l->skip, f->len - l->skip)))
		return 0;
	c = rlx_prev_cp(p->ptr, &i);
	return c == ':' || c == 0xFF1A;
}

/* After what a label at the start of a wrapped line begins an item: a
 * finished sentence, a colon, "; and", or the item before it in the list
 * ("나." after "가.", "•" after "•"). */
static int item_may_start(const struct em *e, const rl_label *l)
{
	const rl_buf *p = &e->c->para;

	if (next_in_list(e, l))
		return 1;
	return rlx_ends_sentence(p->ptr, p->len, 1) ||
	       (e->kind != P_TEXT && (ends_with_word(p, "and") || ends_with_word(p, "or") ||
				      ends_with_word(p, "\xEB\xB0\x8F")));
}

/* A page of a sentence to a line (canonical text read back) breaks its
 * lines where it means to: a label there starts an item, whatever the
 * line before ends with ("③ ... strike" then "⑤ ...", ④ gone). */
static int break_meant(const struct fl *f)
{
	return f->pg->breaks_meant && f->ln->brk == XB_LINE;
}

static int text_line(struct em *e, const struct fl *f, const struct fl *prev)
{
	rl_label l;
	int lab = rl_label_match_next(f->s, f->len, e->have_prev ? &e->prev : NULL, &l);

	if (lab && f->soft && prev && !room_for(prev, f) && !next_in_list(e, &l) &&
	    !opens_list(e, &l, f))
		lab = 0;
	if (f->soft && e->kind != P_NONE && !(lab && (item_may_start(e, &l) || break_meant(f))))
		return rlx_join(&e->c->para, f->s, f->len, e->c->vocab);
	if (flush(e) < 0)
		return -1;
	if (lab) {
		start(e, P_ITEM_INFERRED, f->s, l.len, f->s + l.skip, f->len - l.skip);
		e->prev = l;
		e->have_prev = 1;
	} else {
		start(e, P_TEXT, NULL, 0, f->s, f->len);
	}
	return 0;
}

/* An item the markup delimits: its label is the one printed in its text
 * ("a. Striving ..."), else the one the markup gives (<ol>: "3.", <ul>: "•").
 * A label the source prints itself (Markdown "3.") is kept whatever the
 * text starts with. */
static int item_line(struct em *e, const struct fl *f)
{
	rl_label l;

	if (flush(e) < 0)
		return -1;
	if (f->ln->brk == XB_HARD)
		e->have_prev = 0;
	if (!(f->ln->flags & XF_PRINTED_LABEL) &&
	    rl_label_match_next(f->s, f->len, e->have_prev ? &e->prev : NULL, &l)) {
		start(e, P_ITEM, f->s, l.len, f->s + l.skip, f->len - l.skip);
		e->prev = l;
		e->have_prev = 1;
	} else if (f->ln->label_len) {
		start(e, P_ITEM, f->pg->arena.ptr + f->ln->label_off, f->ln->label_len, f->s,
		      f->len);
		e->have_prev = 0;
	} else {
		start(e, P_ITEM, "\xE2\x80\xA2", 3, f->s, f->len); /* • */
		e->have_prev = 0;
	}
	e->newlist = f->ln->brk == XB_HARD;
	return 0;
}

static int emit(struct em *e, const struct fl *fl, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct fl *f = &fl[i];
		int rc = 0;

		if (f->heading || f->kind == XL_HEADING) {
			rc = flush(e);
			put_block_line(e, B_HEAD, f);
		} else if (f->kind == XL_ROW || f->kind == XL_PRE) {
			rc = flush(e);
			put_block_line(e, f->kind == XL_ROW ? B_ROW : B_PRE, f);
		} else if (f->kind == XL_ITEM) {
			rc = item_line(e, f);
		} else if (f->kind == XL_ITEM_CONT && e->kind == P_ITEM) {
			rc = rlx_join(&e->c->para, f->s, f->len, e->c->vocab);
		} else {
			rc = text_line(e, f, i ? &fl[i - 1] : NULL);
		}
		if (rc < 0)
			return -1;
	}
	return flush(e);
}

/* Whether p holds three line feeds in a row (two blank lines together),
 * sixteen places at a time where there are vectors: glibc's memmem took
 * longer over a megabyte than a memchr a line. */
static int blank_lines_together(const char *p, size_t n)
{
	size_t k = 0;

#ifdef __SSE2__
	const __m128i lf = _mm_set1_epi8('\n');

	for (; k + 18 <= n; k += 16) {
		__m128i a =
		    _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + k)), lf);
		__m128i b =
		    _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + k + 1)), lf);
		__m128i c =
		    _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + k + 2)), lf);

		if (_mm_movemask_epi8(_mm_and_si128(a, _mm_and_si128(b, c))))
			return 1;
	}
#endif
	for (; k + 3 <= n; k++)
		if (p[k] == '\n' && p[k + 1] == '\n' && p[k + 2] == '\n')
			return 1;
	return 0;
}

/* Whether tidy would leave out as it is: no ignore rules, no blank line
 * first, none last, and no two together, and a line feed at the end:
 * most texts, checked in one pass where tidy's is a memchr a line (0.15
 * ms a megabyte). The buffer ends in its NUL either way. */
static int tidy_already(const rlx_canon *c, const rl_buf *out)
{
	const char *p = out->ptr;
	size_t n = out->len;

	if (c->n_ignore || n == 0)
		return 0;
	return p[0] != '\n' && p[n - 1] == '\n' && (n < 2 || p[n - 2] != '\n') &&
	       !blank_lines_together(p, n);
}

/* Drops the lines an ignore rule matches, then blank lines that no
 * longer separate anything. In place: what is kept is never ahead of
 * what is read (a blank line written stands for one read), so the text
 * is not copied twice over. */
static int tidy(rlx_canon *c, rl_buf *out)
{
	char *p = out->ptr;
	size_t i = 0, w = 0;
	int blank = 0;

	if (tidy_already(c, out))
		return 0;

	while (i < out->len) {
		char *nl = memchr(p + i, '\n', out->len - i);
		size_t end = nl ? (size_t)(nl - p) : out->len;
		int drop = 0;

		if (end == i) {
			blank = w > 0;
			i = end + 1;
			continue;
		}
		if (c->n_ignore) {
			char keep = p[end]; /* the line as a string for regexec */

			p[end] = '\0';
			for (size_t k = 0; k < c->n_ignore && !drop; k++)
				drop = regexec(&c->ignore[k], p + i, 0, NULL, 0) == 0;
			p[end] = keep;
		}
		if (!drop) {
			if (blank)
				p[w++] = '\n';
			/* in place until a line is dropped or blank lines close up */
			if (w != i)
				memmove(p + w, p + i, end - i);
			w += end - i;
			p[w++] = '\n';
			blank = 0;
		}
		i = end + 1;
	}
	out->len = w;
	if (p)
		p[w] = '\0';
	return 0;
}

int rlx_canon_flow(rlx_canon *c, const xdoc *d, size_t first, size_t np, rl_buf *out, rl_error *err)
{
	struct em e;
	size_t n, i, bytes = 0;

	rl_buf_reset(out);
	/* The words de-hyphenation may ask about, once per document. */
	if (c->doc != d) {
		rlx_vocab_free(c->vocab);
		c->vocab = NULL;
		c->doc = d;
		if (rlx_vocab_build(&c->vocab, d) < 0)
			return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	if (collect(c, d, first, np, &n) < 0)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	for (i = 1; i < n; i++)
		c->fl[i].soft = (unsigned char)soft_boundary(&c->fl[i - 1], &c->fl[i]);
	for (i = 0; i < n; i++)
		c->fl[i].heading = (unsigned char)inferred_heading(c->fl, n, i);
	for (i = 1; i < n; i++)
		if (c->fl[i].heading || c->fl[i - 1].heading)
			c->fl[i].soft = 0;
	memset(&e, 0, sizeof(e));
	e.c = c;
	e.out = out;
	rl_buf_reset(&c->para);
	/* the text is about as long as the lines it is made of: grown once */
	for (i = first; i < first + np; i++)
		bytes += d->pages[i].bytes;
	if (rl_buf_grow(out, bytes + bytes / 8) < 0)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	if (emit(&e, c->fl, n) < 0 || out->failed || tidy(c, out) < 0)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	return 0;
}

int rlx_canon_new(rlx_canon **out, const rl_strv *ignore, rl_error *err)
{
	rlx_canon *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	if (ignore && ignore->n && !(c->ignore = calloc(ignore->n, sizeof(*c->ignore)))) {
		free(c);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	for (size_t i = 0; ignore && i < ignore->n; i++) {
		char msg[256];

		if ((rc = regcomp(&c->ignore[i], ignore->v[i], REG_EXTENDED | REG_NOSUB)) != 0) {
			regerror(rc, &c->ignore[i], msg, sizeof(msg));
			rlx_canon_free(c);
			return rl_error_set(err, RL_EINVALID, "ignore rule '%s': %s", ignore->v[i],
					    msg);
		}
		c->n_ignore++;
	}
	if ((rc = rlx_segmenter_new(&c->seg, err)) < 0) {
		rlx_canon_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void rlx_canon_free(rlx_canon *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_ignore; i++)
		regfree(&c->ignore[i]);
	free(c->ignore);
	rlx_segmenter_free(c->seg);
	rlx_vocab_free(c->vocab);
	free(c->fl);
	free(c->sent);
	rl_buf_free(&c->para);
	rl_buf_free(&c->label);
	free(c);
}
