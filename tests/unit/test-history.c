/* Unit tests of the history index: a phrase counted from the changed
 * lines agrees with counting every version whole (random edits, words and
 * phrases, across lines); principle events; the index extended by new
 * versions, rebuilt when damaged or when the branch no longer holds it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "redline/history.h"
#include "redline/structure.h"
#include "redline/util.h"
#include "scratch-archive.h"
#include "redline/watch.h"

typedef struct fixture {
	char dir[SCRATCH_DIR_LEN];
	char path[SCRATCH_PATH_LEN];
	rl_archive *a;
	char tip[RL_OID_HEX + 1];
	rl_structure *prev;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f || scratch_archive_init("history", f->dir, f->path, &f->a) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	rl_structure_free(f->prev);
	if (scratch_archive_remove(f->dir, f->a) < 0)
		return -1;
	free(f);
	return 0;
}

static const char *next_message; /* the next commit's, when set */

/* A version as the archive has it: text.md and structure.json, ids
 * carried from the version before (with_structure 0: no structure.json). */
static void commit(fixture *f, const char *text, int with_structure)
{
	rl_structure *s;
	rl_buf json = RL_BUF_INIT;
	rl_file files[2] = {{"text.md", text, strlen(text)}, {"structure.json", NULL, 0}};
	rl_commit_req req;
	rl_error err;
	static int64_t t = 1767225600;

	assert_int_equal(rl_structure_parse(&s, text, strlen(text), &err), 0);
	if (f->prev)
		assert_int_equal(rl_structure_carry_ids(s, f->prev, &err), 0);
	assert_int_equal(rl_structure_to_json(s, &json, &err), 0);
	files[1].data = json.ptr;
	files[1].len = json.len;
	memset(&req, 0, sizeof(req));
	req.source = "wp";
	req.expected_tip = f->tip;
	req.time = t += 3600;
	req.message = next_message ? next_message : "wp: a version\n\nRedline-Change: wording\n";
	next_message = NULL;
	req.files = files;
	req.n_files = with_structure ? 2 : 1;
	assert_int_equal(rl_archive_commit(f->a, &req, f->tip, &err), 0);
	rl_structure_free(f->prev);
	f->prev = s;
	rl_buf_free(&json);
}

static rl_history *open_history(fixture *f, rl_history_info *info)
{
	rl_history *h;
	rl_error err;

	assert_int_equal(rl_history_open(&h, f->a, "wp", &err), 0);
	if (info)
		rl_history_info_get(h, info);
	return h;
}

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static size_t rnd(size_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (size_t)(rng % n);
}

static const char *const pieces[] = {
    "our enemy", "Our",     "enemy.", "the enemy",    "denuclearization", "peace",
    "our",       "enemies", "friend", "the alliance", "North Korea",      "is",
};

/* A random sentence of pieces (so phrases come and go, split across
 * words and lines). */
static void sentence(rl_buf *b)
{
	size_t n = 1 + rnd(6);

	for (size_t i = 0; i < n; i++) {
		rl_buf_puts(b, pieces[rnd(sizeof(pieces) / sizeof(*pieces))]);
		rl_buf_putc(b, i + 1 < n ? ' ' : '\n');
	}
}

/* Random edits of a text of lines: replace, insert, delete, or several. */
static char *mutate(const char *text)
{
	rl_buf b = RL_BUF_INIT;
	size_t lines = 0, edits = 1 + rnd(3);
	size_t at[3];
	int kind[3];

	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	for (size_t e = 0; e < edits; e++) {
		at[e] = lines ? rnd(lines) : 0;
		kind[e] = (int)rnd(3);
	}
	for (size_t l = 0; *text || l == 0; l++) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) + 1 : strlen(text);
		int keep = 1;

		for (size_t e = 0; e < edits; e++) {
			if (at[e] != l)
				continue;
			if (kind[e] == 0) /* replace */
				keep = 0, sentence(&b);
			else if (kind[e] == 1) /* insert before */
				sentence(&b);
			else /* delete */
				keep = 0;
		}
		if (keep)
			rl_buf_put(&b, text, len);
		text += len;
		if (!*text)
			break;
	}
	return rl_buf_detach(&b, NULL);
}

/* The index's answer equals counting each version's whole text. */
static void phrase_counts_agree_with_whole_texts(void **state)
{
	fixture *f = *state;
	static const char *const phrases[] = {"our enemy",        "enemy",   "denuclearization",
					      "enemy. the enemy", "our our", "North Korea is"};
	char *texts[80];
	char commits[80][RL_OID_HEX + 1];
	rl_buf base = RL_BUF_INIT;
	size_t n = 80;
	rl_history *h;

	for (int i = 0; i < 200; i++)
		sentence(&base);
	texts[0] = rl_buf_detach(&base, NULL);
	for (size_t v = 0; v < n; v++) {
		if (v)
			texts[v] = v % 17 == 0 ? strdup(texts[v - 1]) : mutate(texts[v - 1]);
		commit(f, texts[v], v % 5 != 3);
		memcpy(commits[v], f->tip, sizeof(f->tip));
	}
	h = open_history(f, NULL);
	for (size_t p = 0; p < sizeof(phrases) / sizeof(*phrases); p++) {
		rl_history_events ev;
		rl_error err;
		size_t k = 0, before = 0;

		assert_int_equal(rl_history_phrase(h, phrases[p], &ev, &err), 0);
		for (size_t v = 0; v < n; v++) {
			size_t c = rl_watch_count(texts[v], strlen(texts[v]), phrases[p]);

			if (c == before)
				continue;
			assert_true(k < ev.n);
			assert_string_equal(ev.v[k].commit, commits[v]);
			assert_int_equal(ev.v[k].before, before);
			assert_int_equal(ev.v[k].after, c);
			assert_non_null(ev.v[k].text);
			k++;
			before = c;
		}
		assert_int_equal(k, ev.n);
		rl_history_events_free(&ev);
	}
	rl_history_free(h);
	for (size_t v = 0; v < n; v++)
		free(texts[v]);
}

static const char *const items[] = {
    "a. Peace and prosperity of the peninsula;",
    "b. Respect for sovereignty;",
    "c. Peaceful resolution of disputes; and",
    "(1) Deterrence against all threats;",
    "- Cooperation with partners.",
    "d. Adherence to international rules.",
};

/* Random edits of a text mixing prose, blank lines and items: the
 * principle events of the index equal comparing each version's
 * structure with the one before, item by item. */
static void principle_events_agree_with_structures(void **state)
{
	fixture *f = *state;
	char commits[60][RL_OID_HEX + 1];
	rl_principles_diff *expect[60];
	rl_structure *prev = NULL;
	rl_buf b = RL_BUF_INIT;
	char *text;
	rl_history *h;
	rl_error err;

	for (int i = 0; i < 60; i++) {
		if (rnd(4) == 0)
			rl_buf_puts(&b, "\n");
		if (rnd(3) == 0) {
			rl_buf_puts(&b, items[rnd(sizeof(items) / sizeof(*items))]);
			rl_buf_putc(&b, '\n');
		} else {
			sentence(&b);
		}
	}
	text = rl_buf_detach(&b, NULL);
	for (int v = 0; v < 60; v++) {
		char *next;

		if (v) {
			/* mostly prose edits, sometimes an item line or a blank */
			next = mutate(text);
			if (rnd(4) == 0) {
				char *nl = strchr(next + rnd(strlen(next) / 2 + 1), '\n');

				if (nl) {
					rl_buf c = RL_BUF_INIT;

					rl_buf_put(&c, next, (size_t)(nl - next) + 1);
					rl_buf_puts(&c, rnd(2) ? "\n" : items[rnd(6)]);
					if (c.ptr[c.len - 1] != '\n')
						rl_buf_putc(&c, '\n');
					rl_buf_puts(&c, nl + 1);
					free(next);
					next = rl_buf_detach(&c, NULL);
				}
			}
			free(text);
			text = next;
		}
		commit(f, text, 1);
		memcpy(commits[v], f->tip, sizeof(f->tip));
		assert_int_equal(rl_principles_compare(&expect[v], prev, f->prev, &err), 0);
		rl_structure_free(prev);
		assert_int_equal(rl_structure_to_json(f->prev, &b, &err), 0);
		assert_int_equal(rl_structure_from_json(&prev, b.ptr, b.len, &err), 0);
		rl_buf_reset(&b);
	}
	h = open_history(f, NULL);
	for (int v = 0; v < 60; v++) {
		const rl_principles_diff *d = expect[v];
		const char *ids[256];
		size_t n = 0;

		for (size_t i = 0; i < d->n_added && n < 256; i++)
			ids[n++] = d->added[i].id;
		for (size_t i = 0; i < d->n_removed && n < 256; i++)
			ids[n++] = d->removed[i].id;
		for (size_t i = 0; i < d->n_reworded && n < 256; i++)
			ids[n++] = d->reworded[i].id;
		for (size_t i = 0; i < d->n_relabelled && n < 256; i++)
			ids[n++] = d->relabelled[i].id;
		for (size_t i = 0; i < d->n_reordered && n < 256; i++)
			ids[n++] = d->reordered[i].id;
		/* every expected change is in the index at this version ... */
		for (size_t i = 0; i < n; i++) {
			rl_history_events ev;
			int found = 0;

			assert_int_equal(rl_history_principle(h, ids[i], &ev, &err), 0);
			for (size_t k = 0; k < ev.n; k++)
				found += strcmp(ev.v[k].commit, commits[v]) == 0;
			assert_true(found > 0);
			rl_history_events_free(&ev);
		}
	}
	/* ... and the index has no change the structures do not */
	for (int v = 0; v < 60; v++) {
		const rl_principles_diff *d = expect[v];

		for (size_t i = 0; i < f->prev->n_items; i++) {
			rl_history_events ev;
			size_t here = 0;

			assert_int_equal(rl_history_principle(h, f->prev->items[i].id, &ev, &err),
					 0);
			for (size_t k = 0; k < ev.n; k++)
				here += strcmp(ev.v[k].commit, commits[v]) == 0;
			if (here)
				assert_false(rl_principles_diff_empty(d));
			rl_history_events_free(&ev);
		}
	}
	for (int v = 0; v < 60; v++)
		rl_principles_diff_free(expect[v]);
	rl_history_free(h);
	rl_structure_free(prev);
	rl_buf_free(&b);
	free(text);
}

static const char *const list_versions[] = {
    "These principles include:\na. Peace and prosperity;\nb. Respect for sovereignty;\n"
    "c. Peaceful resolution of disputes; and\nd. Adherence to international rules.\n",
    /* b. inserted */
    "These principles include:\na. Peace and prosperity;\nb. Commitment to the rule of law;\n"
    "c. Respect for sovereignty;\nd. Peaceful resolution of disputes; and\n"
    "e. Adherence to international rules.\n",
    /* reworded */
    "These principles include:\na. Peace and prosperity;\nb. Commitment to the rule of law;\n"
    "c. Respect for sovereignty;\nd. Peaceful settlement of disputes; and\n"
    "e. Adherence to international rules.\n",
    /* prose only */
    "Preface.\n\nThese principles include:\na. Peace and prosperity;\n"
    "b. Commitment to the rule of law;\nc. Respect for sovereignty;\n"
    "d. Peaceful settlement of disputes; and\ne. Adherence to international rules.\n",
    /* swapped */
    "Preface.\n\nThese principles include:\na. Peace and prosperity;\n"
    "b. Commitment to the rule of law;\nc. Peaceful settlement of disputes; and\n"
    "d. Respect for sovereignty;\ne. Adherence to international rules.\n",
    /* removed */
    "Preface.\n\nThese principles include:\na. Peace and prosperity;\n"
    "b. Commitment to the rule of law;\nc. Respect for sovereignty;\n"
    "d. Adherence to international rules.\n",
};

static void principle_events(void **state)
{
	fixture *f = *state;
	char commits[6][RL_OID_HEX + 1];
	char respect[64], peaceful[64];
	rl_history *h;
	rl_history_events ev;
	rl_error err;

	for (size_t v = 0; v < 6; v++) {
		commit(f, list_versions[v], 1);
		memcpy(commits[v], f->tip, sizeof(f->tip));
		if (v == 0) {
			snprintf(respect, sizeof(respect), "%s", f->prev->items[1].id);
			snprintf(peaceful, sizeof(peaceful), "%s", f->prev->items[2].id);
		}
	}
	h = open_history(f, NULL);
	assert_int_equal(rl_history_principle(h, peaceful, &ev, &err), 0);
	/* added, relabelled, reworded, relabelled (and maybe moved) in the
	 * swap, removed; nothing in the version that changed prose only */
	assert_true(ev.n == 5 || ev.n == 6);
	assert_string_equal(ev.v[0].event, "added");
	assert_string_equal(ev.v[0].commit, commits[0]);
	assert_string_equal(ev.v[1].event, "relabelled");
	assert_string_equal(ev.v[1].commit, commits[1]);
	assert_string_equal(ev.v[1].old_label, "c.");
	assert_string_equal(ev.v[1].label, "d.");
	assert_string_equal(ev.v[2].event, "reworded");
	assert_string_equal(ev.v[2].commit, commits[2]);
	assert_non_null(strstr(ev.v[2].old_text, "resolution"));
	assert_non_null(strstr(ev.v[2].text, "settlement"));
	assert_string_equal(ev.v[3].event, "relabelled");
	assert_string_equal(ev.v[3].commit, commits[4]);
	if (ev.n == 6) {
		assert_string_equal(ev.v[4].event, "moved");
		assert_string_equal(ev.v[4].commit, commits[4]);
	}
	assert_string_equal(ev.v[ev.n - 1].event, "removed");
	assert_string_equal(ev.v[ev.n - 1].commit, commits[5]);
	assert_string_equal(ev.v[ev.n - 1].label, "c.");
	rl_history_events_free(&ev);
	/* Respect: added, relabelled, then relabelled (and maybe moved) in the
	 * swap; of the two swapped items exactly one moved */
	{
		size_t moved = 0;
		rl_history_events ev2;

		assert_int_equal(rl_history_principle(h, respect, &ev2, &err), 0);
		assert_string_equal(ev2.v[0].event, "added");
		assert_string_equal(ev2.v[1].event, "relabelled");
		for (size_t i = 0; i < ev2.n; i++) {
			assert_string_not_equal(ev2.v[i].event, "removed");
			moved += strcmp(ev2.v[i].event, "moved") == 0;
		}
		assert_int_equal(rl_history_principle(h, peaceful, &ev, &err), 0);
		for (size_t i = 0; i < ev.n; i++)
			moved += strcmp(ev.v[i].event, "moved") == 0;
		assert_int_equal(moved, 1);
		rl_history_events_free(&ev);
		rl_history_events_free(&ev2);
	}
	assert_int_equal(rl_history_principle(h, "p-nothing", &ev, &err), 0);
	assert_int_equal(ev.n, 0);
	rl_history_free(h);
}

static void index_grows_and_heals(void **state)
{
	fixture *f = *state;
	rl_history_info info;
	rl_history *h;
	rl_history_events ev;
	rl_error err;
	char idx[256];
	FILE *fp;

	commit(f, "One enemy.\n", 1);
	commit(f, "No foe.\n", 1);
	h = open_history(f, &info);
	assert_int_equal(info.versions, 2);
	assert_int_equal(info.indexed, 2);
	assert_true(info.rebuilt);
	rl_history_free(h);
	/* a new version: only it is read */
	commit(f, "Two enemy, enemy.\n", 1);
	h = open_history(f, &info);
	assert_int_equal(info.versions, 3);
	assert_int_equal(info.indexed, 1);
	assert_false(info.rebuilt);
	assert_int_equal(rl_history_phrase(h, "enemy", &ev, &err), 0);
	assert_int_equal(ev.n, 3);
	assert_string_equal(ev.v[2].event, "appeared");
	assert_int_equal(ev.v[2].after, 2);
	rl_history_events_free(&ev);
	rl_history_free(h);
	/* nothing new: nothing read */
	h = open_history(f, &info);
	assert_int_equal(info.indexed, 0);
	rl_history_free(h);
	/* damaged: rebuilt, same answer */
	snprintf(idx, sizeof(idx), "%s/redline/cache/history/wp", f->path);
	fp = fopen(idx, "r+");
	assert_non_null(fp);
	fseek(fp, 40, SEEK_SET);
	fputs("garbage", fp);
	fclose(fp);
	h = open_history(f, &info);
	assert_true(info.rebuilt);
	assert_int_equal(info.indexed, 3);
	assert_int_equal(rl_history_phrase(h, "enemy", &ev, &err), 0);
	assert_int_equal(ev.n, 3);
	rl_history_events_free(&ev);
	rl_history_free(h);
}

static void branch_rewritten_is_rebuilt(void **state)
{
	fixture *f = *state;
	rl_history_info info;
	rl_history *h;
	git_repository *repo = rl_archive_repo(f->a);
	git_reference *ref = NULL;
	git_oid first;
	char first_hex[RL_OID_HEX + 1];

	commit(f, "Alpha.\n", 1);
	memcpy(first_hex, f->tip, sizeof(first_hex));
	commit(f, "Beta.\n", 1);
	rl_history_free(open_history(f, NULL));
	/* the branch goes back to its first version and grows elsewhere */
	assert_int_equal(git_oid_fromstr(&first, first_hex), 0);
	assert_int_equal(git_reference_create(&ref, repo, "refs/heads/wp", &first, 1, "test"), 0);
	git_reference_free(ref);
	memcpy(f->tip, first_hex, sizeof(first_hex));
	commit(f, "Gamma.\n", 1);
	h = open_history(f, &info);
	assert_true(info.rebuilt);
	assert_int_equal(info.versions, 2);
	rl_history_free(h);
}

/* A re-extraction's change is told apart from the publisher's. */
static void reextract_versions_are_marked(void **state)
{
	fixture *f = *state;
	rl_history *h;
	rl_history_events ev;
	rl_error err;

	commit(f, "Our enemy.\n", 1);
	commit(f, "Our enemy and our enemy.\n", 1);
	next_message = "wp: re-extracted\n\nRedline-Change: reextract\nRedline-Extractor: 2\n";
	commit(f, "Our enemy, our enemy and our enemy.\n", 1);
	h = open_history(f, NULL);
	assert_int_equal(rl_history_phrase(h, "our enemy", &ev, &err), 0);
	assert_int_equal(ev.n, 3);
	assert_string_equal(ev.v[1].change, "wording");
	assert_string_equal(ev.v[2].change, "reextract");
	assert_string_equal(ev.v[2].event, "more");
	rl_history_events_free(&ev);
	rl_history_free(h);
}

static void no_versions_no_history(void **state)
{
	fixture *f = *state;
	rl_history *h = NULL;
	rl_error err;

	assert_int_equal(rl_history_open(&h, f->a, "wp", &err), RL_ENOTFOUND);
	assert_null(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(phrase_counts_agree_with_whole_texts, setup, teardown),
	    cmocka_unit_test_setup_teardown(principle_events, setup, teardown),
	    cmocka_unit_test_setup_teardown(principle_events_agree_with_structures, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(index_grows_and_heals, setup, teardown),
	    cmocka_unit_test_setup_teardown(branch_rewritten_is_rebuilt, setup, teardown),
	    cmocka_unit_test_setup_teardown(reextract_versions_are_marked, setup, teardown),
	    cmocka_unit_test_setup_teardown(no_versions_no_history, setup, teardown),
	};

	git_libgit2_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
