/* Labels of enumerated items as printed: "a." "b)" "(1)" "1." "iv." "•"
 * "-" "가." "나." "①" "ア". Shared by canonical text (an item starts its
 * own line) and the structure model (principles). */
#ifndef REDLINE_LABEL_H
#define REDLINE_LABEL_H

#include <stddef.h>

typedef enum rl_label_style {
	RL_LABEL_NONE = 0,
	RL_LABEL_LOWER_ALPHA, /* a. b. (a) a) */
	RL_LABEL_UPPER_ALPHA, /* A. B. */
	RL_LABEL_DECIMAL,     /* 1. 2. (1) 1) */
	RL_LABEL_LOWER_ROMAN, /* i. ii. (iv) */
	RL_LABEL_UPPER_ROMAN, /* I. II. */
	RL_LABEL_BULLET,      /* • - * ▪ */
	RL_LABEL_HANGUL,      /* 가. 나. 다. */
	RL_LABEL_CIRCLED,     /* ① ② */
	RL_LABEL_KATAKANA,    /* ア イ ウ */
} rl_label_style;

typedef enum rl_label_form {
	RL_LABEL_DOT = 0,  /* a. */
	RL_LABEL_PAREN,    /* a) */
	RL_LABEL_ENCLOSED, /* (a) */
	RL_LABEL_BARE,     /* • ① ア */
} rl_label_form;

typedef struct rl_label {
	rl_label_style style;
	rl_label_form form;
	int ordinal; /* 1-based position in its sequence (a=1, ii=2, 나=2); 0 for bullets */
	size_t len;  /* bytes of the label itself ("a." is 2) */
	size_t skip; /* bytes of label plus the whitespace after it */
} rl_label;

/* Recognizes a label at the start of line (len bytes). Returns 1 and
 * fills out when the line starts with a label followed by a space and
 * text, 0 otherwise. */
int rl_label_match(const char *line, size_t len, rl_label *out);

/* Like rl_label_match, but settles the letters that are also Roman
 * numerals ("i." after "h." is the ninth letter, "v." after "iv." is
 * five) from the previous label of the same list, which may be NULL. Without
 * one, "i."/"I." are Roman one and other single letters are letters. */
int rl_label_match_next(const char *line, size_t len, const rl_label *prev, rl_label *out);

#endif
