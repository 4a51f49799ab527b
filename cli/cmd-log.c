/* redline log: versions, newest first; one source or all merged by time. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "redline/history.h"

/* A watched term whose count changed in a version. */
typedef struct mark {
	const char *commit; /* the version's, owned by the version list */
	char *term;
	size_t before, after;
} mark;

typedef struct marks {
	mark *v;
	size_t n;
} marks;

static void marks_free(marks *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].term);
	free(m->v);
}

/* For each source listed, the versions where one of its watched terms
 * (its own and the global ones) changed count, from the history index.
 * Best effort: a source whose history cannot be read is left unmarked. */
static void find_marks(cli_ctx *ctx, rl_archive *a, const rl_version_list *l, marks *out)
{
	rl_strv done = RL_STRV_INIT;

	for (size_t i = 0; i < l->n; i++) {
		const char *src = l->v[i].source;
		rl_strv terms = RL_STRV_INIT;
		rl_history *h = NULL;

		if (rl_strv_contains(&done, src))
			continue;
		rl_strv_push(&done, src);
		if (cli_watch_terms(ctx, src, &terms) < 0 || terms.n == 0 ||
		    rl_history_open(&h, a, src, NULL) < 0) {
			rl_strv_free(&terms);
			continue;
		}
		for (size_t t = 0; t < terms.n; t++) {
			rl_history_events ev;

			if (rl_history_phrase(h, terms.v[t], &ev, NULL) < 0)
				continue;
			for (size_t e = 0; e < ev.n; e++)
				for (size_t k = i; k < l->n; k++) {
					mark *nv;

					/* a first version changes nothing */
					if (strcmp(l->v[k].commit, ev.v[e].commit) != 0)
						continue;
					if (!l->v[k].parent[0])
						break;
					nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
					if (!nv)
						break;
					out->v = nv;
					nv[out->n++] = (mark){l->v[k].commit, strdup(terms.v[t]),
							      ev.v[e].before, ev.v[e].after};
					break;
				}
			rl_history_events_free(&ev);
		}
		rl_history_free(h);
		rl_strv_free(&terms);
	}
	rl_strv_free(&done);
}

static json_t *marks_json(const marks *m, const char *commit)
{
	json_t *a = json_array();

	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].commit, commit) == 0)
			json_array_append_new(a, json_pack("{s:s, s:I, s:I}", "term", m->v[i].term,
							   "before", (json_int_t)m->v[i].before,
							   "after", (json_int_t)m->v[i].after));
	return a;
}

/* "  [watch: "enemy" 1->0, "linchpin" 1->0]" */
static void print_marks(const marks *m, const char *commit, int color)
{
	int first = 1;

	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->v[i].commit, commit) != 0)
			continue;
		if (first)
			printf("  %s[watch: ", color ? "\033[1;31m" : "");
		else
			printf(", ");
		printf("\"%s\" %zu->%zu", m->v[i].term, m->v[i].before, m->v[i].after);
		first = 0;
	}
	if (!first)
		printf("]%s", color ? "\033[m" : "");
}

static void print_json(const rl_version_list *l, const marks *m)
{
	json_t *arr = json_array();
	char *s;

	for (size_t i = 0; i < l->n; i++) {
		const rl_version *v = &l->v[i];
		char iso[32];

		rl_time_iso(v->time, iso);
		json_array_append_new(arr,
				      json_pack("{s:s, s:s, s:o, s:s, s:s, s:s}", "source",
						v->source, "commit", v->commit, "parent",
						v->parent[0] ? json_string(v->parent) : json_null(),
						"date", iso, "change", v->change ? v->change : "",
						"subject", v->subject ? v->subject : ""));
		/* added to the contract's keys: the watched terms that changed */
		json_object_set_new(json_array_get(arr, json_array_size(arr) - 1), "watch",
				    marks_json(m, v->commit));
	}
	s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s ? s : "[]");
	free(s);
	json_decref(arr);
}

static void print_text(const rl_version_list *l, const marks *m, int color)
{
	const char *y = color ? "\033[33m" : "", *off = color ? "\033[m" : "";

	for (size_t i = 0; i < l->n; i++) {
		const rl_version *v = &l->v[i];
		char iso[32];

		rl_time_iso(v->time, iso);
		iso[16] = '\0';
		iso[10] = ' ';
		printf("%s%.10s%s %s  %-9s %s", y, v->commit, off, iso,
		       v->change && *v->change ? v->change : "-", v->subject ? v->subject : "");
		print_marks(m, v->commit, color);
		putchar('\n');
	}
}

static int run_log(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"color", required_argument, NULL, 'C'},
	    {NULL, 0, NULL, 0},
	};
	rl_version_list l = {0};
	marks m = {NULL, 0};
	const char *source = NULL, *color = "auto";
	long max = 0;
	int opt, json = 0, rc;
	rl_archive *a;
	rl_error err;
	char *end;

	while ((opt = cli_getopt(ctx, argc, argv, "n:", longs)) != -1) {
		switch (opt) {
		case 'n':
			max = strtol(optarg, &end, 10);
			if (*end || max < 1)
				return cli_usage_error(ctx, "-n takes a positive number, not '%s'",
						       optarg);
			break;
		case 'j':
			json = 1;
			break;
		case 'C':
			color = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		source = argv[optind++];
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	if (source) {
		if (rl_source_id_valid(source, &err) < 0)
			return cli_fail(EXIT_USAGE, "%s", err.message);
		if (!rl_archive_has_source(a, source)) {
			rl_config *cfg = cli_config(ctx, 1);

			if (cfg && rl_config_source(cfg, source)) {
				/* Configured but never archived: an empty history. */
				if (json)
					puts("[]");
				return 0;
			}
			return cli_fail(EXIT_DIFF, "source '%s' has no versions in %s", source,
					rl_archive_path(a));
		}
		rc = rl_archive_log(a, source, (size_t)max, &l, &err);
	} else {
		rc = rl_archive_log_all(a, (size_t)max, &l, &err);
	}
	if (rc < 0)
		return cli_fail(EXIT_DIFF, "%s", err.message);
	find_marks(ctx, a, &l, &m);
	if (json)
		print_json(&l, &m);
	else
		print_text(&l, &m, cli_color_wanted(color, stdout));
	marks_free(&m);
	rl_version_list_free(&l);
	return 0;
}

const cli_command cmd_log = {
    "log",
    "log [SOURCE] [-n N] [--json]",
    "list versions, newest first (all sources merged by time)",
    "-n N           at most N versions\n"
    "--json         a JSON list of {source, commit, parent, date, change, subject,\n"
    "               watch}; watch lists {term, before, after} for each watched term\n"
    "               whose count changed in that version\n"
    "A version where a watched term's count changed ends with [watch: \"term\" 1->0].\n"
    "--color WHEN   auto, always or never\n",
    run_log,
    .shows_only = 1,
};
