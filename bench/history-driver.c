/* history-driver: builds an archive of N versions of a ~1 MB document for
 * bench/history.sh, through the library the daemon uses to write one
 * (canonical text by rl_extract, structure.json with ids carried by
 * rl_structure_carry_ids, rl_archive_commit). The word diff and the
 * subject of each version are left out: the history reads text.md and
 * structure.json only, and building 1000 reports would time the differ.
 *
 *   history-driver ARCHIVE SOURCE N DOCUMENT
 *
 * Adds N versions to SOURCE (continuing its branch when it has one).
 * Version 1 is DOCUMENT's canonical text (the 2020 edition holds the seed
 * page's list of principles, a. to d., made bullets here so an insertion
 * relabels nothing and ids alone tell items apart); each next version makes one small
 * edit, chosen by a fixed pseudo-random sequence: a word replaced, a
 * sentence inserted or deleted, the phrase "our enemy" brought in or
 * taken out (versions 100, 400, 700), a principle inserted, reworded,
 * removed or two swapped (every 50th version). Prints the commit ids of
 * the versions where "our enemy" came or went, one per line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "redline/archive.h"
#include "redline/extract.h"
#include "redline/structure.h"
#include "redline/util.h"

static unsigned long long rng = 88172645463325252ULL;

static size_t rnd(size_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (size_t)(rng % n);
}

static const char *const words[] = {"robust",    "steadfast",  "firm",     "comprehensive",
				    "strategic", "credible",   "enduring", "mutual",
				    "regional",  "substantive"};

/* Lines of the text, as offsets; returns how many. */
static size_t lines(const rl_buf *t, size_t **start)
{
	size_t n = 0, cap = 1024;

	*start = malloc(cap * sizeof(**start));
	(*start)[n++] = 0;
	for (size_t i = 0; i < t->len; i++)
		if (t->ptr[i] == '\n' && i + 1 < t->len) {
			if (n == cap)
				*start = realloc(*start, (cap *= 2) * sizeof(**start));
			(*start)[n++] = i + 1;
		}
	return n;
}

static void splice(rl_buf *t, size_t at, size_t del, const char *ins)
{
	rl_buf b = RL_BUF_INIT;

	rl_buf_put(&b, t->ptr, at);
	rl_buf_puts(&b, ins);
	rl_buf_put(&b, t->ptr + at + del, t->len - at - del);
	rl_buf_free(t);
	*t = b;
}

/* A plain sentence line (no heading, no item), at random. */
static size_t some_sentence(const rl_buf *t, size_t *len)
{
	size_t *ls, n = lines(t, &ls), at;

	for (;;) {
		size_t k = rnd(n), e;
		const char *p;

		at = ls[k];
		p = t->ptr + at;
		e = k + 1 < n ? ls[k + 1] - 1 : t->len;
		if (e - at > 40 && p[0] != '#' && !(p[1] == '.' || p[2] == '.' || p[0] == '(')) {
			*len = e - at;
			break;
		}
	}
	free(ls);
	return at;
}

static void edit_word(rl_buf *t)
{
	size_t len, at = some_sentence(t, &len), w = at + rnd(len / 2), e;

	while (w < at + len && t->ptr[w] != ' ')
		w++;
	w++;
	e = w;
	while (e < at + len && t->ptr[e] != ' ')
		e++;
	if (e < at + len)
		splice(t, w, e - w, words[rnd(sizeof(words) / sizeof(*words))]);
}

static void insert_sentence(rl_buf *t, size_t v)
{
	size_t len, at = some_sentence(t, &len);
	char s[160];

	snprintf(s, sizeof(s),
		 "The ministry issued its review number %zu of the defense posture.\n", v);
	splice(t, at, 0, s);
}

static void delete_sentence(rl_buf *t)
{
	size_t len, at = some_sentence(t, &len);

	splice(t, at, len + 1, "");
}

static const char enemy[] = "North Korea's regime and military are our enemy.\n";

/* Principles: the list led in by "These principles include:". */
static void edit_list(rl_buf *t, size_t v)
{
	char *list = strstr(t->ptr, "These principles include:\n"), *end, *b;
	size_t at;
	char s[200];

	if (!list)
		return;
	list += strlen("These principles include:\n");
	end = strstr(list, "\n\n");
	at = (size_t)(list - t->ptr);
	switch ((v / 50) % 4) {
	case 0: /* a principle inserted as a., the others keep their labels */
		snprintf(s, sizeof(s), "- Commitment number %zu to the rule of law;\n", v);
		splice(t, at, 0, s);
		break;
	case 1: /* reworded */
		b = strstr(list, "resolution");
		if (b && b < end)
			splice(t, (size_t)(b - t->ptr), strlen("resolution"), "settlement");
		else if ((b = strstr(list, "settlement")) && b < end)
			splice(t, (size_t)(b - t->ptr), strlen("settlement"), "resolution");
		break;
	case 2: /* the first item removed */
		b = strchr(list, '\n');
		if (b && b < end && strncmp(list, "- ", 2) == 0)
			splice(t, at, (size_t)(b - list) + 1, "");
		else
			edit_word(t);
		break;
	default: /* the first two swapped */
		b = strchr(list, '\n');
		if (b && b < end) {
			char *c = strchr(b + 1, '\n');

			if (c && c <= end && strncmp(list, "- ", 2) == 0 &&
			    strncmp(b + 1, "- ", 2) == 0) {
				char *one = strndup(list, (size_t)(b - list) + 1);
				char *two = strndup(b + 1, (size_t)(c - b));
				rl_buf both = RL_BUF_INIT;

				rl_buf_puts(&both, two);
				rl_buf_puts(&both, one);
				splice(t, at, (size_t)(c - list) + 1, both.ptr);
				rl_buf_free(&both);
				free(one);
				free(two);
			}
		}
		break;
	}
}

/* The canonical text of the document, its list turned to bullets. */
static int first_text(const char *path, rl_buf *text, rl_error *err)
{
	rl_buf raw = RL_BUF_INIT;
	rl_raw_page page;
	rl_text t;
	int rc;

	memset(&page, 0, sizeof(page));
	memset(&t, 0, sizeof(t));
	rc = rl_file_read(path, &raw, err);
	page.data = raw.ptr;
	page.len = raw.len;
	page.content_type = "text/plain";
	if (rc == 0)
		rc = rl_extract(&t, &page, 1, NULL, err);
	if (rc == 0)
		rl_buf_set(text, t.text.ptr, t.text.len);
	for (char *p = strstr(text->ptr ? text->ptr : "", "These principles include:\n");
	     rc == 0 && p && (p = strchr(p, '\n'));) {
		p++;
		if (p[0] < 'a' || p[0] > 'd' || p[1] != '.')
			break;
		p[0] = '-';
		p[1] = ' ';
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
		text->len--;
	}
	rl_text_free(&t);
	rl_buf_free(&raw);
	return rc;
}

int main(int argc, char **argv)
{
	rl_archive *a;
	rl_buf text = RL_BUF_INIT, json = RL_BUF_INIT;
	rl_error err;
	rl_structure *prev = NULL;
	char tip[RL_OID_HEX + 1] = "";
	size_t n, done = 0;
	int rc;

	if (argc != 5) {
		fprintf(stderr, "usage: history-driver ARCHIVE SOURCE N DOCUMENT\n");
		return 2;
	}
	n = strtoul(argv[3], NULL, 10);
	git_libgit2_init();
	rc = rl_archive_init(&a, argv[1], &err);
	if (rc == 0 && rl_archive_tip(a, argv[2], tip, NULL) == 0) {
		/* continue the branch: its text, its structure, its count */
		rl_version_list l = {0};
		rl_buf sj = RL_BUF_INIT;

		rc = rl_archive_read(a, tip, "text.md", &text, &err);
		if (rc == 0 && rl_archive_read(a, tip, "structure.json", &sj, &err) == 0)
			rc = rl_structure_from_json(&prev, sj.ptr, sj.len, &err);
		if (rc == 0 && (rc = rl_archive_log(a, argv[2], 0, &l, &err)) == 0)
			done = l.n;
		rl_version_list_free(&l);
		rl_buf_free(&sj);
		rng += done * 0x9E3779B97F4A7C15ULL; /* other edits than the first run's */
	} else if (rc == 0) {
		tip[0] = '\0';
		rc = first_text(argv[4], &text, &err);
	}
	if (rc < 0) {
		fprintf(stderr, "history-driver: %s\n", err.message);
		return 1;
	}
	for (size_t v = done + 1; v <= done + n; v++) {
		rl_structure *s;
		rl_file files[2];
		rl_commit_req req;
		char subject[64];
		int toggled = 0;

		if (v > 1) {
			if (v % 300 == 100 && !strstr(text.ptr, enemy)) {
				size_t len, at = some_sentence(&text, &len);

				splice(&text, at, 0, enemy);
				toggled = 1;
			} else if (v % 300 == 100 && strstr(text.ptr, enemy)) {
				char *e = strstr(text.ptr, enemy);

				splice(&text, (size_t)(e - text.ptr), strlen(enemy), "");
				toggled = 1;
			} else if (v % 50 == 25) {
				edit_list(&text, v);
			} else {
				size_t r = rnd(10);

				if (r < 6)
					edit_word(&text);
				else if (r < 8)
					insert_sentence(&text, v);
				else
					delete_sentence(&text);
			}
		}
		if (rl_structure_parse(&s, text.ptr, text.len, &err) < 0 ||
		    (prev && rl_structure_carry_ids(s, prev, &err) < 0)) {
			fprintf(stderr, "history-driver: %s\n", err.message);
			return 1;
		}
		rl_buf_reset(&json);
		rl_structure_to_json(s, &json, &err);
		files[0] = (rl_file){"text.md", text.ptr, text.len};
		files[1] = (rl_file){"structure.json", json.ptr, json.len};
		snprintf(subject, sizeof(subject), "%s: version %zu\n", argv[2], v);
		memset(&req, 0, sizeof(req));
		req.source = argv[2];
		req.expected_tip = tip;
		req.time = 1767225600 + (int64_t)v * 3600;
		req.message = subject;
		req.files = files;
		req.n_files = 2;
		if (rl_archive_commit(a, &req, tip, &err) < 0) {
			fprintf(stderr, "history-driver: version %zu: %s\n", v, err.message);
			return 1;
		}
		if (toggled)
			printf("%s\n", tip);
		rl_structure_free(prev);
		prev = s;
	}
	rl_structure_free(prev);
	rl_buf_free(&text);
	rl_buf_free(&json);
	rl_archive_free(a);
	return 0;
}
