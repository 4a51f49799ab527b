/* redline history: the versions where a phrase came, went, grew or
 * shrank, or where one principle changed, oldest first. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "redline/history.h"

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void print_json(const rl_history_events *ev, int phrase)
{
	json_t *arr = json_array();
	char *s;

	for (size_t i = 0; i < ev->n; i++) {
		const rl_history_event *e = &ev->v[i];
		json_t *o = json_object();
		char iso[32];

		rl_time_iso(e->time, iso);
		json_object_set_new(o, "commit", json_string(e->commit));
		json_object_set_new(o, "date", json_string(iso));
		json_object_set_new(o, "event", json_string(e->event));
		json_object_set_new(o, "text", json_string(e->text ? e->text : ""));
		json_object_set_new(o, "change", json_string(e->change));
		if (phrase) {
			json_object_set_new(o, "before", json_integer((json_int_t)e->before));
			json_object_set_new(o, "after", json_integer((json_int_t)e->after));
		} else {
			json_object_set_new(o, "label", jstr_or_null(e->label));
			if (e->old_label)
				json_object_set_new(o, "old_label", json_string(e->old_label));
			if (e->old_text)
				json_object_set_new(o, "old_text", json_string(e->old_text));
		}
		json_array_append_new(arr, o);
	}
	s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s ? s : "[]");
	free(s);
	json_decref(arr);
}

static void print_text(const rl_history_events *ev, int phrase, int color)
{
	const char *y = color ? "\033[33m" : "", *b = color ? "\033[1m" : "",
		   *off = color ? "\033[m" : "";

	for (size_t i = 0; i < ev->n; i++) {
		const rl_history_event *e = &ev->v[i];
		char iso[32];

		rl_time_iso(e->time, iso);
		iso[16] = '\0';
		iso[10] = ' ';
		printf("%s%.10s%s %s  %s%-11s%s ", y, e->commit, off, iso, b, e->event, off);
		/* re-extraction is the tool's doing, not the publisher's */
		if (strcmp(e->change, "reextract") == 0)
			printf("(reextract) ");
		if (phrase)
			printf("%zu -> %zu  %s\n", e->before, e->after, e->text);
		else if (e->old_label)
			printf("%s -> %s %s\n", e->old_label, e->label ? e->label : "", e->text);
		else
			printf("%s %s\n", e->label ? e->label : "", e->text);
		if (e->old_text)
			printf("%*s was: %s\n", 40, "", e->old_text);
	}
}

static int run_history(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"phrase", required_argument, NULL, 'p'},
	    {"principle", required_argument, NULL, 'i'},
	    {"json", no_argument, NULL, 'j'},
	    {"color", required_argument, NULL, 'C'},
	    {NULL, 0, NULL, 0},
	};
	const char *phrase = NULL, *id = NULL, *source, *color = "auto";
	rl_history_events ev = {NULL, 0};
	rl_history *h = NULL;
	rl_archive *a;
	rl_error err;
	int opt, json = 0, rc;

	while ((opt = cli_getopt(ctx, argc, argv, "", longs)) != -1) {
		switch (opt) {
		case 'p':
			phrase = optarg;
			break;
		case 'i':
			id = optarg;
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
	if (argc - optind != 1)
		return cli_usage_error(ctx, "give one SOURCE");
	if (!phrase == !id)
		return cli_usage_error(ctx, "give either --phrase TEXT or --principle ID");
	if (phrase && strspn(phrase, " \t\n") == strlen(phrase))
		return cli_usage_error(ctx, "--phrase takes a word or words");
	source = argv[optind];
	if (rl_source_id_valid(source, &err) < 0)
		return cli_usage_error(
		    ctx, "'%s' is not a source (history takes SOURCE, not a revision)", source);
	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	if (!rl_archive_has_source(a, source))
		return cli_fail(EXIT_DIFF, "source '%s' has no versions in %s", source,
				rl_archive_path(a));
	rc = rl_history_open(&h, a, source, &err);
	if (rc == 0)
		rc = phrase ? rl_history_phrase(h, phrase, &ev, &err)
			    : rl_history_principle(h, id, &ev, &err);
	rl_history_free(h);
	if (rc < 0)
		return cli_fail(EXIT_DIFF, "%s", err.message);
	if (json)
		print_json(&ev, phrase != NULL);
	else
		print_text(&ev, phrase != NULL, cli_color_wanted(color, stdout));
	if (!ev.n && !json) {
		if (phrase)
			fprintf(stderr, "redline: \"%s\" never appears in %s's history\n", phrase,
				source);
		else
			fprintf(stderr, "redline: no principle %s in %s's history\n", id, source);
	}
	rc = ev.n ? 0 : EXIT_DIFF;
	rl_history_events_free(&ev);
	return rc;
}

const cli_command cmd_history = {
    "history",
    "history SOURCE (--phrase TEXT | --principle ID) [--json]",
    "when a phrase appeared or disappeared, or a principle changed",
    "--phrase TEXT     every version where the count of TEXT changed: appeared,\n"
    "                  disappeared, more or fewer, with the sentence (whole words,\n"
    "                  any case, a space matches any whitespace)\n"
    "--principle ID    every version where the item with this id (redline principles\n"
    "                  REV shows ids) was added, reworded, relabelled, moved or removed\n"
    "--json            a JSON list of {commit, date, event, text, change} (with before\n"
    "                  and after for a phrase; label, old_label, old_text for a\n"
    "                  principle); change is the version's class, \"reextract\" when\n"
    "                  its text changed by `redline reextract`, not by the publisher\n"
    "--color WHEN      auto, always or never\n"
    "Oldest first. The first query builds an index under <archive>/redline/cache/history/;\n"
    "later queries read only the versions added since.\n"
    "Exit status: 0 when something was found, 1 when nothing was (or the source has\n"
    "no versions), 2 on a usage error.\n",
    run_history,
    .shows_only = 1,
};
