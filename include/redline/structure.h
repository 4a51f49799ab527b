/* The structure model of a version (structure.json): headings and
 * enumerated lists ("principles"), with ids that follow an item's content
 * across versions rather than its label. */
#ifndef REDLINE_STRUCTURE_H
#define REDLINE_STRUCTURE_H

#include <stddef.h>

#include "redline/buf.h"
#include "redline/error.h"

typedef struct rl_heading {
	int level;
	char *text;
	size_t line; /* 1-based line in text.md */
} rl_heading;

typedef struct rl_item {
	char *id;     /* stable: "p-" + short hex, kept across versions by content */
	char *label;  /* as printed: "a.", "(1)", "가." */
	char *text;   /* the item's text without its label */
	int list;     /* index into lists */
	int depth;    /* 0 top level, 1 nested ... */
	size_t line;  /* 1-based line in text.md where the item starts */
	size_t lines; /* lines it spans (its further sentences follow it) */
	/* the library's own: text as ids and matching read it, once
	 * worked out (for fresh ids), so that carrying ids need not again;
	 * NULL before */
	char *norm;
} rl_item;

typedef struct rl_list {
	char *lead_in; /* the sentence before the list ("These principles include:"), may be NULL */
	size_t first_item;
	size_t n_items;
	int depth;
} rl_list;

typedef struct rl_structure {
	rl_heading *headings;
	size_t n_headings;
	rl_list *lists;
	size_t n_lists;
	rl_item *items;
	size_t n_items;
	/* parsed without its items' ids (rl_structure_parse_lines): each
	 * id NULL until rl_structure_fresh_ids */
	int ids_pending;
} rl_structure;

/* Parses canonical text. Ids are fresh (derived from content) unless
 * rl_structure_carry_ids is applied afterwards.
 *
 * A list is a run of items whose labels continue one sequence (a. b. c.,
 * (1) (2), 가. 나.); an item of another style under an item opens a
 * nested list. Blank lines do not end a list, and prose between two items
 * does not either when the second continues the sequence (a list split
 * by a page break, or an item whose explanation runs to a paragraph). A
 * heading ends every list. */
int rl_structure_parse(rl_structure **out, const char *text, size_t len, rl_error *err);
/* rl_structure_parse but for the items' ids, which are a SHA-256 digest
 * of each item's text: ids_pending set, for the caller to give them
 * where it has the time (rl_structure_fresh_ids). A report gives them to
 * a structure that has none yet before it carries ids (rl_report_build
 * and its kin), on the thread that carries them while the texts are
 * tokenized. */
int rl_structure_parse_lines(rl_structure **out, const char *text, size_t len, rl_error *err);
/* Every item given its fresh id, derived from its content; ids_pending
 * cleared. Nothing for NULL. */
int rl_structure_fresh_ids(rl_structure *s, rl_error *err);
void rl_structure_free(rl_structure *s);

/* Gives items of cur the ids of their matches in prev (by content):
 * identical texts first, then an optimal assignment (Hungarian method)
 * maximizing word overlap among the rest, so an item keeps its id when it
 * is relabelled, moved or reworded, and a new item gets a fresh one.
 * cur may still want its ids (ids_pending): it is given them first;
 * prev may not (RL_EINVALID). */
int rl_structure_carry_ids(rl_structure *cur, const rl_structure *prev, rl_error *err);

int rl_structure_to_json(const rl_structure *s, rl_buf *out, rl_error *err);
int rl_structure_from_json(rl_structure **out, const char *json, size_t len, rl_error *err);

typedef struct rl_reworded {
	char *id;
	char *label;
	char *old_text;
	char *new_text;
} rl_reworded;

typedef struct rl_relabelled {
	char *id;
	char *old_label;
	char *new_label;
} rl_relabelled;

typedef struct rl_principles_diff {
	rl_item *added; /* copies */
	size_t n_added;
	rl_item *removed;
	size_t n_removed;
	rl_reworded *reworded;
	size_t n_reworded;
	rl_relabelled *relabelled;
	size_t n_relabelled;
	rl_item *reordered;
	size_t n_reordered;
} rl_principles_diff;

/* Compares two structures whose ids were carried (b's from a);
 * RL_EINVALID where either still wants its ids (ids_pending). */
int rl_principles_compare(rl_principles_diff **out, const rl_structure *a, const rl_structure *b,
			  rl_error *err);
void rl_principles_diff_free(rl_principles_diff *d);
int rl_principles_diff_empty(const rl_principles_diff *d);

/* Number of changes a reader counts: added, removed, reworded and
 * reordered items (relabels follow from those and are not counted). */
size_t rl_principles_diff_count(const rl_principles_diff *d);

/* Similarity of two item texts, 0..1: word overlap (Dice) after the
 * normalization ids use (case, spacing, trailing "; and"). */
double rl_principles_similarity(const char *a, const char *b);

/* The item with that id, or NULL. */
const rl_item *rl_structure_find(const rl_structure *s, const char *id);

#endif
