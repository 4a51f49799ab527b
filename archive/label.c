/* Labels of enumerated items as printed: "a." "(1)" "iv)" "•" "가." "①" "ア".
 *
 * A label is a token, a form around it (a dot, a closing parenthesis, a
 * pair of parentheses, or nothing for bullets and circled numbers), then
 * a space and text. Single letters that are also Roman numerals ("i",
 * "v", "x") are ambiguous: rl_label_match_next settles them from the
 * previous item's label. */
#include <string.h>

#include "redline/label.h"

#include "extract-int.h"

#define DECIMAL_MAX_DIGITS 3

/* Korean lists count 가 나 다 라 마 바 사 아 자 차 카 타 파 하. */
/* clang-format off */
static const int32_t hangul_order[] = {
	0xAC00, 0xB098, 0xB2E4, 0xB77C, 0xB9C8, 0xBC14, 0xC0AC,
	0xC544, 0xC790, 0xCC28, 0xCE74, 0xD0C0, 0xD30C, 0xD558,
};
/* clang-format on */

/* Japanese lists count ア イ ウ エ オ カ キ ... (gojūon order). */
/* clang-format off */
static const int32_t katakana_order[] = {
	0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, 0x30B1, 0x30B3,
	0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, 0x30C1, 0x30C4, 0x30C6, 0x30C8,
	0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB,
	0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9, 0x30EA,
	0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F2, 0x30F3,
};
/* clang-format on */

/* clang-format off */
static const int32_t bullets[] = {
	'-', '*', '+', 0x2022, 0x25E6, 0x25AA, 0x25AB, 0x25A0, 0x25A1, 0x25CF, 0x25CB,
	0x25C6, 0x25C7, 0x25BA, 0x25B6, 0x27A2, 0x2713, 0x00B7, 0x318D, 0x2043, 0x2219,
};
/* clang-format on */

static int index_of(const int32_t *v, size_t n, int32_t c)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == c)
			return (int)i + 1;
	return 0;
}

static int roman_value(int32_t c)
{
	switch (c | 0x20) {
	case 'i':
		return 1;
	case 'v':
		return 5;
	case 'x':
		return 10;
	case 'l':
		return 50;
	case 'c':
		return 100;
	default:
		return 0;
	}
}

/* Value of a Roman numeral written in one case, 0 if it is not one
 * (accepts the usual subtractive forms up to 399). */
static int roman(const char *s, size_t n, int upper)
{
	int total = 0, prev = 0;

	if (n == 0 || n > 9)
		return 0;
	for (size_t i = n; i-- > 0;) {
		int c = (unsigned char)s[i], v = roman_value(c);

		if (!v || (upper ? !(c >= 'A' && c <= 'Z') : !(c >= 'a' && c <= 'z')))
			return 0;
		if (v < prev)
			total -= v;
		else
			total += v;
		if (v > prev)
			prev = v;
	}
	return total > 0 && total < 400 ? total : 0;
}

/* The label's token: s[0..n). Fills style and ordinal; prefer settles the
 * single letters that are both (RL_LABEL_NONE: alpha except "i"/"I"). */
static int token(const char *s, size_t n, rl_label_style prefer, rl_label *out)
{
	size_t i = 0;
	int32_t c;
	int r;

	if (n == 0)
		return 0;
	if (s[0] >= '0' && s[0] <= '9') {
		int v = 0;

		if (n > DECIMAL_MAX_DIGITS)
			return 0;
		for (i = 0; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return 0;
			v = v * 10 + (s[i] - '0');
		}
		out->style = RL_LABEL_DECIMAL;
		out->ordinal = v;
		return 1;
	}
	if (n == 1 && rlx_is_letter((unsigned char)s[0]) && (unsigned char)s[0] < 0x80) {
		int upper = s[0] >= 'A' && s[0] <= 'Z';
		int alpha = (s[0] | 0x20) - 'a' + 1;

		r = roman(s, 1, upper);
		if (r && (prefer == RL_LABEL_LOWER_ROMAN || prefer == RL_LABEL_UPPER_ROMAN ||
			  (prefer == RL_LABEL_NONE && r == 1))) {
			out->style = upper ? RL_LABEL_UPPER_ROMAN : RL_LABEL_LOWER_ROMAN;
			out->ordinal = r;
		} else {
			out->style = upper ? RL_LABEL_UPPER_ALPHA : RL_LABEL_LOWER_ALPHA;
			out->ordinal = alpha;
		}
		return 1;
	}
	if ((r = roman(s, n, 0)) > 0) {
		out->style = RL_LABEL_LOWER_ROMAN;
		out->ordinal = r;
		return 1;
	}
	if ((r = roman(s, n, 1)) > 0) {
		out->style = RL_LABEL_UPPER_ROMAN;
		out->ordinal = r;
		return 1;
	}
	c = rl_utf8_next(s, n, &i);
	if (i != n)
		return 0;
	if ((r = index_of(hangul_order, sizeof(hangul_order) / sizeof(hangul_order[0]), c))) {
		out->style = RL_LABEL_HANGUL;
		out->ordinal = r;
		return 1;
	}
	if ((r = index_of(katakana_order, sizeof(katakana_order) / sizeof(katakana_order[0]), c))) {
		out->style = RL_LABEL_KATAKANA;
		out->ordinal = r;
		return 1;
	}
	return 0;
}

/* Marks that stand alone as labels: bullets and circled or parenthesized
 * numbers and letters. */
static int bare(int32_t c, rl_label *out)
{
	if (index_of(bullets, sizeof(bullets) / sizeof(bullets[0]), c)) {
		out->style = RL_LABEL_BULLET;
		out->ordinal = 0;
		out->form = RL_LABEL_BARE;
		return 1;
	}
	out->form = RL_LABEL_BARE;
	if (c >= 0x2460 && c <= 0x2473) { /* ① .. ⑳ */
		out->style = RL_LABEL_CIRCLED;
		out->ordinal = c - 0x2460 + 1;
	} else if (c >= 0x3251 && c <= 0x325F) { /* ㉑ .. ㉟ */
		out->style = RL_LABEL_CIRCLED;
		out->ordinal = c - 0x3251 + 21;
	} else if (c >= 0x32B1 && c <= 0x32BF) { /* ㊱ .. ㊿ */
		out->style = RL_LABEL_CIRCLED;
		out->ordinal = c - 0x32B1 + 36;
	} else if (c >= 0x2474 && c <= 0x2487) { /* ⑴ .. ⒇ */
		out->style = RL_LABEL_DECIMAL;
		out->form = RL_LABEL_ENCLOSED;
		out->ordinal = c - 0x2474 + 1;
	} else if (c >= 0x326E && c <= 0x327B) { /* ㉮ .. ㉻ */
		out->style = RL_LABEL_HANGUL;
		out->ordinal = c - 0x326E + 1;
	} else if (c >= 0x320E && c <= 0x321B) { /* ㈎ .. ㈛ */
		out->style = RL_LABEL_HANGUL;
		out->form = RL_LABEL_ENCLOSED;
		out->ordinal = c - 0x320E + 1;
	} else if (c >= 0x24D0 && c <= 0x24E9) { /* ⓐ .. ⓩ */
		out->style = RL_LABEL_LOWER_ALPHA;
		out->ordinal = c - 0x24D0 + 1;
	} else {
		return 0;
	}
	return 1;
}

/* After the label: at least one space, then something that is not a space. */
static int text_follows(const char *line, size_t len, size_t at, size_t *skip)
{
	size_t i = at, j;
	int spaces = 0;

	while (i < len) {
		j = i;
		if (!rlx_is_space_cp(rl_utf8_next(line, len, &j)))
			break;
		i = j;
		spaces++;
	}
	if (!spaces || i >= len)
		return 0;
	*skip = i;
	return 1;
}

/* Most lines start with a word: an ASCII letter or digit with no '.' or
 * ')' among the next few bytes, up to a space, cannot be a label. Every
 * line and sentence of an extraction is asked, and most of those a
 * parse reads: where the line is long enough, its first sixteen bytes
 * are looked at at once (a byte at a time, the loop's exits were a
 * third of matching labels). */
static int cannot_be(const char *line, size_t len)
{
	unsigned char c = (unsigned char)line[0];

	if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9'))
		return 0;
#ifdef __SSE2__
	if (len >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)line);
		/* bytes 1 to 11; a byte of UTF-8 has its top bit set */
		unsigned stop = (unsigned)_mm_movemask_epi8(
				    _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('.')),
						 _mm_cmpeq_epi8(x, _mm_set1_epi8(')')))) |
				(unsigned)_mm_movemask_epi8(x);
		unsigned space = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')));
		unsigned first = (stop | space) & 0x0FFEu;

		/* the first of them a space, or none */
		return !(first & stop & (0u - first));
	}
#endif
	for (size_t i = 1; i < len && i < 12; i++) {
		if (line[i] == '.' || line[i] == ')' || (unsigned char)line[i] >= 0x80)
			return 0;
		if (line[i] == ' ')
			return 1;
	}
	return 1;
}

static int match(const char *line, size_t len, rl_label_style prefer, rl_label *out)
{
	rl_label l;
	size_t i = 0, start, end;
	int32_t c;

	if (len == 0 || cannot_be(line, len))
		return 0;
	memset(&l, 0, sizeof(l));
	c = rl_utf8_next(line, len, &i);
	if (bare(c, &l)) {
		l.len = i;
		goto tail;
	}
	/* "(a)" or "（ア）" */
	if (c == '(' || c == 0xFF08) {
		start = i;
		while (i < len && line[i] != ')' && i - start <= 12)
			i++;
		end = i;
		if (i < len && line[i] == ')') {
			i++;
		} else {
			/* a full-width closing parenthesis */
			i = start;
			while (i + 3 <= len && memcmp(line + i, "\xEF\xBC\x89", 3) != 0 &&
			       i - start <= 12)
				i++;
			if (i + 3 > len || memcmp(line + i, "\xEF\xBC\x89", 3) != 0)
				return 0;
			end = i;
			i += 3;
		}
		if (!token(line + start, end - start, prefer, &l))
			return 0;
		l.form = RL_LABEL_ENCLOSED;
		l.len = i;
		goto tail;
	}
	/* "a." "12)" "가." "ア．" */
	i = 0;
	while (i < len) {
		size_t j = i;

		c = rl_utf8_next(line, len, &j);
		if (c == '.' || c == ')' || c == 0xFF0E || rlx_is_space_cp(c))
			break;
		i = j;
		if (i > 12)
			return 0;
	}
	if (i == 0 || i >= len || !token(line, i, prefer, &l))
		return 0;
	end = i;
	c = rl_utf8_next(line, len, &i);
	if (c == '.' || c == 0xFF0E)
		l.form = RL_LABEL_DOT;
	else if (c == ')')
		l.form = RL_LABEL_PAREN;
	else if (l.style == RL_LABEL_KATAKANA && rlx_is_space_cp(c)) {
		l.form = RL_LABEL_BARE; /* "ア 国際..." */
		i = end;
	} else
		return 0;
	l.len = i;
tail:
	if (!text_follows(line, len, l.len, &l.skip))
		return 0;
	*out = l;
	return 1;
}

int rl_label_match(const char *line, size_t len, rl_label *out)
{
	return match(line, len, RL_LABEL_NONE, out);
}

int rl_label_match_next(const char *line, size_t len, const rl_label *prev, rl_label *out)
{
	rl_label_style prefer = RL_LABEL_NONE;

	if (prev) {
		/* "i." after "h." is the ninth letter; "v." after "iv." is five. */
		if (prev->style == RL_LABEL_LOWER_ALPHA || prev->style == RL_LABEL_UPPER_ALPHA)
			prefer = RL_LABEL_LOWER_ALPHA;
		else if (prev->style == RL_LABEL_LOWER_ROMAN || prev->style == RL_LABEL_UPPER_ROMAN)
			prefer = RL_LABEL_LOWER_ROMAN;
	}
	return match(line, len, prefer, out);
}
