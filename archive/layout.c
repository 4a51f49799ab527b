/* How a page is laid out: how wide its text is, whether its blocks are
 * visual lines (a hard-wrapped page), and which lines are shaped like
 * titles. The canonicalizer decides from these where a line break is a
 * wrap and where it is meant. */
#include <string.h>

#include "redline/label.h"

#include "extract-int.h"

#define HEADING_MAX_WORDS       12
#define HEADING_MAX_CPS         100
#define UNCASED_HEADING_MAX_CPS 40
#define TITLE_CASE_PERCENT      60 /* of a heading's significant words capitalized */
#define LINE_MODE_MIN           2  /* mid-sentence block boundaries that make a page hard-wrapped */
#define LINE_MODE_PERCENT       20
#define WIDTH_BUCKETS           2048
#define WIDTH_BOUND_PERCENTILE  10
#define LINES_PER_WRAP_MAX      200 /* more measured lines than this to a wrap: not wrapped */

/* The words of a title that are not capitalized, with their lengths. */
/* clang-format off */
#define SW(w) {w, sizeof(w) - 1}
/* clang-format on */
static const struct stopword {
	const char *w;
	size_t n;
} stopwords[] = {
    SW("a"),   SW("an"),    SW("and"),  SW("as"),     SW("at"),      SW("between"), SW("but"),
    SW("by"),  SW("for"),   SW("from"), SW("in"),     SW("into"),    SW("its"),     SW("nor"),
    SW("of"),  SW("on"),    SW("or"),   SW("our"),    SW("over"),    SW("per"),     SW("than"),
    SW("the"), SW("their"), SW("to"),   SW("toward"), SW("towards"), SW("under"),   SW("upon"),
    SW("via"), SW("vs"),    SW("with"), SW("within"), SW("without"),
};
#undef SW

int rlx_starts_lower(const char *s, size_t n)
{
	return rlx_is_lower(rlx_first_cp(s, n));
}

int rlx_flowing(const xline *l)
{
	return l->kind == XL_TEXT || l->kind == XL_ITEM_CONT;
}

unsigned rlx_word_cps(const char *s, size_t len)
{
	size_t n = 0;

	if (rlx_is_cjk(rlx_first_cp(s, len)))
		return 1;
	while (n < len && s[n] != ' ')
		n++;
	return rlx_count_cps(s, n);
}

/* The page's text width, from the evidence its wrapped lines give (a line
 * is wrapped when the next one goes on with its sentence). A wrapped line
 * had no room for the next word, so the width is less than its length
 * plus that word: the smallest such bound (the 10th percentile, when
 * there are many) caps the width. Every line no longer than the cap
 * shows the width is at least its length: the longest of them is the
 * width, and longer lines (a title or a table row left unwrapped) cannot
 * stretch it. A page with no wrapped line is not wrapped at all: every
 * break there is meant. Nor is a page of hundreds of lines with one or
 * two such lines: text one sentence to a line (canonical text read back)
 * where a sentence happens to start in lowercase after one left
 * unfinished. Its 10th percentile was that one line, and thousands of
 * lines were taken for wrapped at its length (the items after a long
 * line joined to it). Such a page, or one of as many lines and no wrap,
 * breaks its lines where it means to (breaks_meant: canon.c starts an
 * item at a label there). */
static int measured(const xline *l)
{
	return !(l->flags & XF_FURNITURE) && (rlx_flowing(l) || l->kind == XL_ITEM);
}

static unsigned median_cps(const xpage *p, unsigned *hist)
{
	unsigned n = 0, seen = 0;

	memset(hist, 0, (WIDTH_BUCKETS + 1) * sizeof(*hist));
	for (size_t i = 0; i < p->n; i++)
		if (measured(&p->lines[i])) {
			hist[p->lines[i].cps < WIDTH_BUCKETS ? p->lines[i].cps : WIDTH_BUCKETS]++;
			n++;
		}
	for (unsigned b = 0; b <= WIDTH_BUCKETS && n; b++)
		if ((seen += hist[b]) * 2 >= n)
			return b;
	return 0;
}

static unsigned measure(xpage *p)
{
	unsigned hist[WIDTH_BUCKETS + 1], wrapped = 0, seen = 0, cap = 0, width = 0, median;
	size_t lines = 0;
	const xline *prev = NULL;
	rl_label lab;

	median = median_cps(p, hist);
	memset(hist, 0, sizeof(hist));
	for (size_t i = 0; i < p->n; i++) {
		const xline *l = &p->lines[i];
		const char *s = rlx_text(p, l);
		int32_t c;

		if (!measured(l))
			continue;
		lines++;
		c = rlx_first_cp(s, l->len);
		/* Without case, a short line (a title) going on into the next
		 * proves nothing. */
		if (prev && l->brk <= XB_BLOCK &&
		    (rlx_is_lower(c) ||
		     (rlx_is_uncased_letter(c) && prev->cps * 5 >= median * 4)) &&
		    !rlx_ends_sentence(rlx_text(p, prev), prev->len, 1) &&
		    !rl_label_match(s, l->len, &lab)) {
			unsigned bound = prev->cps + 1 + rlx_word_cps(s, l->len);

			hist[bound < WIDTH_BUCKETS ? bound : WIDTH_BUCKETS]++;
			wrapped++;
		}
		prev = l;
	}
	p->breaks_meant =
	    lines >= LINES_PER_WRAP_MAX && (size_t)wrapped * LINES_PER_WRAP_MAX < lines;
	if (!wrapped || p->breaks_meant)
		return UNWRAPPED;
	for (unsigned b = 0; b <= WIDTH_BUCKETS; b++) {
		seen += hist[b];
		if (seen * 100 > wrapped * WIDTH_BOUND_PERCENTILE || seen == wrapped) {
			cap = b - 1;
			break;
		}
	}
	for (size_t i = 0; i < p->n; i++) {
		const xline *l = &p->lines[i];

		if (measured(l) && l->cps <= cap && l->cps > width)
			width = l->cps;
	}
	return width;
}

/* A page is hard-wrapped when enough of its block boundaries fall inside
 * sentences: one element per visual line, as flipbook and PDF-to-HTML
 * pages are made. Its block boundaries are then wraps, like line breaks. */
static void layout_page(xpage *p)
{
	const xline *prev = NULL;
	size_t blocks = 0, mid = 0;

	p->width = measure(p);
	if (p->fixed_mode)
		return;
	p->line_mode = 0;
	for (size_t i = 0; i < p->n; i++) {
		const xline *l = &p->lines[i];
		const char *s = rlx_text(p, l);

		if (l->flags & XF_FURNITURE)
			continue;
		if (prev && rlx_flowing(prev) && rlx_flowing(l) && l->brk == XB_BLOCK) {
			const char *ps = rlx_text(p, prev);
			int32_t first = rlx_first_cp(s, l->len);

			blocks++;
			if (!rlx_ends_sentence(ps, prev->len, 1) &&
			    (rlx_is_lower(first) ||
			     (rlx_is_uncased_letter(first) && prev->cps * 2 >= p->width &&
			      prev->cps >= 20 && p->width != UNWRAPPED)))
				mid++;
		}
		prev = l;
	}
	p->line_mode = mid >= LINE_MODE_MIN && mid * 100 >= blocks * LINE_MODE_PERCENT;
}

void rlx_layout(xdoc *d)
{
	for (size_t i = 0; i < d->n; i++)
		layout_page(&d->pages[i]);
}

/* Asked of every lowercase word of a line shaped like a title so far:
 * the lengths first, where a strlen each was most of the time. */
static int is_stopword(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof(stopwords) / sizeof(stopwords[0]); i++)
		if (stopwords[i].n == n && memcmp(stopwords[i].w, w, n) == 0)
			return 1;
	return 0;
}

static int ends_in_punct(const char *s, size_t n)
{
	size_t i = n;
	int32_t c;

	if (n == 0)
		return 1;
	c = rlx_prev_cp(s, &i);
	return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '-' ||
	       c == 0x2013 || c == 0x2014 || c == 0x2026 || c == 0xAD ||
	       (c >= 0x3001 && c <= 0x3002) || c == 0xFF0C || c == 0xFF1A || c == 0xFF1B ||
	       c == 0xFF01 || c == 0xFF1F || rlx_ends_sentence(s, n, 1);
}

/* Shaped like a title: short, no final punctuation, most significant
 * words capitalized (or, in scripts without case, very short). */
int rlx_title_shaped(const char *s, size_t len, unsigned cps)
{
	size_t i = 0, words = 0, sig = 0, caps = 0, uncased = 0;
	int32_t first = rlx_first_cp(s, len);
	rl_label l;

	if (cps > HEADING_MAX_CPS || ends_in_punct(s, len))
		return 0;
	if (!rlx_is_upper(first) && !rlx_is_uncased_letter(first) &&
	    !(first >= '0' && first <= '9'))
		return 0;
	if (rl_label_match(s, len, &l) || memmem(s, len, "\xE3\x80\x82", 3))
		return 0; /* an item, or a sentence (。) */
	while (i < len) {
		size_t start = i;
		int32_t c;

		while (i < len && s[i] != ' ')
			i++;
		/* no title has more words: the rest need not be read */
		if (++words > HEADING_MAX_WORDS)
			return 0;
		c = rlx_first_cp(s + start, i - start);
		if (rlx_is_upper(c)) {
			sig++, caps++;
		} else if (rlx_is_lower(c)) {
			if (!is_stopword(s + start, i - start))
				sig++;
		} else if (rlx_is_uncased_letter(c)) {
			uncased++;
		}
		while (i < len && s[i] == ' ')
			i++;
	}
	if (sig == 0)
		return uncased > 0 && cps <= UNCASED_HEADING_MAX_CPS;
	return caps * 100 >= sig * TITLE_CASE_PERCENT;
}
