/* An unknown command, and the commands it may have meant: git's "The
 * most similar command is", for a typo ("lgo", "princples") or a
 * prefix ("hist"). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define SUGGEST_NAME_MAX 32 /* longer than any command name */

/* Optimal string alignment distance (Damerau-Levenshtein without
 * repeated edits of a substring): insertions, deletions, substitutions
 * and transpositions of neighbours each cost one, so "lgo" is one edit
 * from "log". Names longer than SUGGEST_NAME_MAX are not compared. */
static int distance(const char *s, const char *t)
{
	size_t n = strlen(s), m = strlen(t);
	int d[SUGGEST_NAME_MAX + 1][SUGGEST_NAME_MAX + 1];

	if (n > SUGGEST_NAME_MAX || m > SUGGEST_NAME_MAX)
		return SUGGEST_NAME_MAX;
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			int best = d[i - 1][j - 1] + (s[i - 1] != t[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m];
}

/* How far name is from command c: a prefix of two letters or more
 * counts as one edit, so "hist" finds "history"; otherwise the edits,
 * which must be fewer than half the name's letters to count at all
 * ("xyz" is not three edits from "log" in any useful sense). */
static int closeness(const char *name, const char *c)
{
	size_t n = strlen(name);
	int d;

	if (n >= 2 && strncmp(c, name, n) == 0)
		return 1;
	d = distance(name, c);
	return 2 * (size_t)d < n || (d == 1 && n >= 2) ? d : -1;
}

int cli_unknown_command(const char *name)
{
	const cli_command *const *cmds = cli_commands();
	int best = -1, n = 0;

	fprintf(stderr, "redline: '%s' is not a redline command; see 'redline help'\n", name);
	for (size_t i = 0; cmds[i]; i++) {
		int d = closeness(name, cmds[i]->name);

		if (d >= 0 && (best < 0 || d < best))
			best = d, n = 0;
		if (d >= 0 && d == best)
			n++;
	}
	if (best < 0)
		return EXIT_USAGE;
	fprintf(stderr, "\n%s\n",
		n == 1 ? "The most similar command is" : "The most similar commands are");
	for (size_t i = 0; cmds[i]; i++)
		if (closeness(name, cmds[i]->name) == best)
			fprintf(stderr, "\t%s\n", cmds[i]->name);
	return EXIT_USAGE;
}
