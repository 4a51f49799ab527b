/* redline status: every source's last fetch, last change, health, error. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

typedef struct row {
	const char *id;
	const char *url;
	rl_source_state st;
	int64_t last_change; /* the tip's time: the archive is the truth */
	size_t versions;
} row;

static json_t *time_or_null(int64_t t)
{
	char iso[32];

	if (!t)
		return json_null();
	rl_time_iso(t, iso);
	return json_string(iso);
}

static void print_json(const row *rows, size_t n)
{
	json_t *arr = json_array();
	char *s;

	for (size_t i = 0; i < n; i++) {
		const row *r = &rows[i];
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(r->id));
		json_object_set_new(o, "url", r->url ? json_string(r->url) : json_null());
		json_object_set_new(o, "state", json_string(rl_health_name(r->st.health)));
		json_object_set_new(o, "last_fetch", time_or_null(r->st.last_fetch));
		json_object_set_new(o, "last_change", time_or_null(r->last_change));
		json_object_set_new(o, "error",
				    r->st.health == RL_HEALTH_FAILING && r->st.error
					? json_string(r->st.error)
					: json_null());
		json_object_set_new(o, "failures", json_integer(r->st.failures));
		json_object_set_new(o, "versions", json_integer((json_int_t)r->versions));
		json_array_append_new(arr, o);
	}
	s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s ? s : "[]");
	free(s);
	json_decref(arr);
}

static void short_time(int64_t t, char out[32])
{
	if (!t) {
		snprintf(out, 32, "-");
		return;
	}
	rl_time_iso(t, out);
	out[16] = '\0';
	out[10] = ' ';
}

static void print_text(const row *rows, size_t n, int color)
{
	printf("%-24s %-8s %-16s %-16s %s\n", "SOURCE", "STATE", "LAST FETCH", "LAST CHANGE",
	       "VERSIONS");
	for (size_t i = 0; i < n; i++) {
		const row *r = &rows[i];
		char lf[32], lc[32];
		const char *c = "";

		if (color)
			c = r->st.health == RL_HEALTH_FAILING ? "\033[31m"
			    : r->st.health == RL_HEALTH_OK    ? "\033[32m"
							      : "\033[33m";
		short_time(r->st.last_fetch, lf);
		short_time(r->last_change, lc);
		printf("%-24s %s%-8s%s %-16s %-16s %zu\n", r->id, c, rl_health_name(r->st.health),
		       color ? "\033[m" : "", lf, lc, r->versions);
		if (r->st.health == RL_HEALTH_FAILING && r->st.error)
			printf("  error: %s (%d failure%s in a row)\n", r->st.error, r->st.failures,
			       r->st.failures == 1 ? "" : "s");
	}
}

static int run_status(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	rl_strv archived = RL_STRV_INIT;
	row *rows;
	size_t n = 0;
	int opt, json = 0;
	rl_config *cfg;
	rl_archive *a;
	rl_error err;

	while ((opt = cli_getopt(ctx, argc, argv, "", longs)) != -1) {
		if (opt != 'j')
			return EXIT_USAGE;
		json = 1;
	}
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	cfg = cli_config(ctx, 1);
	if (!cfg)
		return EXIT_USAGE;
	a = cli_archive(ctx);
	if (!a)
		return EXIT_USAGE;
	if (rl_archive_sources(a, &archived, &err) < 0)
		return cli_fail(EXIT_DIFF, "%s", err.message);
	rows = calloc(cfg->n_sources + archived.n + 1, sizeof(*rows));
	if (!rows)
		return cli_fail(EXIT_DIFF, "out of memory");
	/* Configured sources first, in file order; then archived ones no longer configured. */
	for (size_t i = 0; i < cfg->n_sources; i++) {
		rows[n].id = cfg->sources[i].id;
		rows[n++].url = cfg->sources[i].url;
	}
	for (size_t i = 0; i < archived.n; i++)
		if (!rl_config_source(cfg, archived.v[i]))
			rows[n++].id = archived.v[i];
	for (size_t i = 0; i < n; i++) {
		rl_version_list l = {0};

		rl_state_load(a, rows[i].id, &rows[i].st, NULL);
		if (!rows[i].url)
			rows[i].url = rows[i].st.url;
		if (rl_archive_has_source(a, rows[i].id) &&
		    rl_archive_log(a, rows[i].id, 0, &l, NULL) == 0 && l.n) {
			rows[i].last_change = l.v[0].time;
			rows[i].versions = l.n;
		}
		rl_version_list_free(&l);
	}
	if (json)
		print_json(rows, n);
	else
		print_text(rows, n, cli_color_wanted("auto", stdout));
	for (size_t i = 0; i < n; i++)
		rl_state_clear(&rows[i].st);
	free(rows);
	rl_strv_free(&archived);
	return 0;
}

const cli_command cmd_status = {
    "status",
    "status [--json]",
    "show every source's last fetch, last change, state and error",
    "--json         a JSON list of {id, url, state (ok|failing|never), last_fetch,\n"
    "               last_change, error, failures, versions}\n",
    run_status,
    .shows_only = 1,
};
