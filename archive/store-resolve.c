/* Revisions: SOURCE (latest), SOURCE~N (N versions before), SOURCE@PREFIX
 * (a commit id prefix on that source's branch), SOURCE@{DATE} (the version
 * in effect then: a bare date means the end of that day, UTC). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "redline/archive.h"
#include "redline/util.h"

#define PREFIX_MIN 4

static int resolve_nth(rl_archive *a, const char *rev, const char *source, size_t nth,
		       rl_version *out, rl_error *err)
{
	rl_version_list l = {0};
	int rc = rl_archive_log(a, source, nth + 1, &l, err);

	if (rc == 0 && l.n <= nth)
		rc = rl_error_set(err, RL_ENOTFOUND, "%s: source '%s' has only %zu version%s", rev,
				  source, l.n, l.n == 1 ? "" : "s");
	if (rc == 0) {
		*out = l.v[nth];
		memset(&l.v[nth], 0, sizeof(l.v[nth]));
	}
	rl_version_list_free(&l);
	return rc;
}

static int resolve_prefix(rl_archive *a, const char *rev, const char *source, const char *prefix,
			  rl_version *out, rl_error *err)
{
	rl_version_list l = {0};
	size_t plen = strlen(prefix), found = (size_t)-1, matches = 0;
	int rc;

	if (plen < PREFIX_MIN || plen > RL_OID_HEX)
		return rl_error_set(err, RL_EINVALID, "%s: a commit prefix has %d to 40 hex digits",
				    rev, PREFIX_MIN);
	for (size_t i = 0; i < plen; i++)
		if (!isxdigit((unsigned char)prefix[i]))
			return rl_error_set(err, RL_EINVALID, "%s: '%s' is not a commit id prefix",
					    rev, prefix);
	rc = rl_archive_log(a, source, 0, &l, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < l.n; i++)
		if (strncasecmp(l.v[i].commit, prefix, plen) == 0) {
			found = i;
			matches++;
		}
	if (matches == 0)
		rc = rl_error_set(err, RL_ENOTFOUND, "%s: no version of '%s' has an id starting %s",
				  rev, source, prefix);
	else if (matches > 1)
		rc = rl_error_set(err, RL_EINVALID, "%s: prefix %s is ambiguous (%zu versions)",
				  rev, prefix, matches);
	else {
		*out = l.v[found];
		memset(&l.v[found], 0, sizeof(l.v[found]));
	}
	rl_version_list_free(&l);
	return rc;
}

static int resolve_date(rl_archive *a, const char *rev, const char *source, const char *date,
			rl_version *out, rl_error *err)
{
	rl_version_list l = {0};
	int64_t when;
	int rc;

	if (rl_time_parse(date, &when) < 0)
		return rl_error_set(err, RL_EINVALID,
				    "%s: '%s' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)",
				    rev, date);
	if (strlen(date) == 10)
		when += 86400 - 1;
	rc = rl_archive_log(a, source, 0, &l, err);
	if (rc < 0)
		return rc;
	rc = rl_error_set(err, RL_ENOTFOUND, "%s: source '%s' had no version yet on %s", rev,
			  source, date);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].time <= when) {
			*out = l.v[i];
			memset(&l.v[i], 0, sizeof(l.v[i]));
			rc = 0;
			break;
		}
	rl_version_list_free(&l);
	return rc;
}

int rl_archive_resolve(rl_archive *a, const char *rev, rl_version *out, rl_error *err)
{
	size_t idlen = strcspn(rev, "~@");
	char *source = rl_strndup(rev, idlen);
	const char *rest = rev + idlen;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!source)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	rc = rl_source_id_valid(source, err);
	if (rc < 0) {
		rl_error_prefix(err, "revision '%s'", rev);
		goto out;
	}
	if (!rl_archive_has_source(a, source)) {
		rc = rl_error_set(err, RL_ENOTFOUND, "revision '%s': source '%s' has no versions",
				  rev, source);
		goto out;
	}
	if (*rest == '\0') {
		rc = resolve_nth(a, rev, source, 0, out, err);
	} else if (*rest == '~') {
		char *end = NULL;
		unsigned long n = rest[1] ? strtoul(rest + 1, &end, 10) : 1;

		if (rest[1] && (!end || *end || !isdigit((unsigned char)rest[1])))
			rc = rl_error_set(err, RL_EINVALID, "revision '%s': '~%s' is not ~N", rev,
					  rest + 1);
		else
			rc = resolve_nth(a, rev, source, n, out, err);
	} else if (rest[1] == '{') {
		size_t len = strlen(rest);
		char *date = len > 3 && rest[len - 1] == '}' ? rl_strndup(rest + 2, len - 3) : NULL;

		if (!date)
			rc = rl_error_set(err, RL_EINVALID, "revision '%s': expected SOURCE@{DATE}",
					  rev);
		else
			rc = resolve_date(a, rev, source, date, out, err);
		free(date);
	} else {
		rc = resolve_prefix(a, rev, source, rest + 1, out, err);
	}
out:
	free(source);
	return rc;
}
