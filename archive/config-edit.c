/* Editing redline.conf for `redline add` and `redline rm`: through
 * libgit2's config writer (which keeps comments and layout and quotes
 * values as git does), on a copy beside the file that replaces it in one
 * rename once the result reads back as intended. libgit2 1.5 cannot
 * delete a section, so after it deleted a source's keys the emptied header
 * is taken out of the text here, narrowly: only a header whose section
 * holds nothing but blank lines and comments any more. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "redline/config.h"
#include "redline/util.h"

/* --- the file ---------------------------------------------------------------- */

typedef struct edit {
	char path[PATH_MAX]; /* the configuration (symlinks resolved) */
	char tmp[PATH_MAX];  /* the copy being edited, beside it */
	char lock[PATH_MAX + 8];
	struct stat st;
	int exists;
	int locked; /* we hold path.lock */
} edit;

/* sep: a blank line after what is there, so an appended section stands apart. */
static int edit_begin(edit *e, const char *path, int sep, rl_error *err)
{
	rl_buf data = RL_BUF_INIT;
	char *slash;
	int fd, rc = 0;

	memset(e, 0, sizeof(*e));
	if (realpath(path, e->path)) {
		e->exists = 1;
		if (stat(e->path, &e->st) < 0 || !S_ISREG(e->st.st_mode))
			return rl_error_set(err, RL_ECONFIG, "%s: not a regular file", path);
	} else if (errno == ENOENT) {
		snprintf(e->path, sizeof(e->path), "%s", path);
	} else {
		return rl_error_set(err, RL_EIO, "%s: %s", path, strerror(errno));
	}
	/* git's own lock convention, so that two edits (another `redline add`,
	 * `git config -f`) never lose each other's change. */
	snprintf(e->lock, sizeof(e->lock), "%s.lock", e->path);
	fd = open(e->lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rl_buf_free(&data);
		return rl_error_set(err, errno == EEXIST ? RL_ECONFLICT : RL_EIO,
				    "%s: %s (another edit in progress? remove it if not)", e->lock,
				    strerror(errno));
	}
	close(fd);
	e->locked = 1;
	if (e->exists) {
		rl_buf_reset(&data);
		rc = rl_file_read(e->path, &data, err); /* as it is now that we hold the lock */
		if (rc < 0) {
			rl_buf_free(&data);
			return rc;
		}
	}
	slash = strrchr(e->path, '/');
	if (snprintf(e->tmp, sizeof(e->tmp), "%.*s.%s.edit-XXXXXX",
		     slash ? (int)(slash - e->path + 1) : 0, e->path,
		     slash ? slash + 1 : e->path) >= (int)sizeof(e->tmp)) {
		rl_buf_free(&data);
		return rl_error_set(err, RL_EINVALID, "%s: path too long", path);
	}
	fd = mkstemp(e->tmp);
	if (fd < 0) {
		rl_buf_free(&data);
		e->tmp[0] = '\0';
		return rl_error_set(err, RL_EIO, "%s: cannot create a file beside it: %s", path,
				    strerror(errno));
	}
	if (sep && data.len && data.ptr[data.len - 1] != '\n')
		rl_buf_putc(&data, '\n');
	if (sep && data.len && (data.len < 2 || data.ptr[data.len - 2] != '\n'))
		rl_buf_putc(&data, '\n');
	if (data.len && write(fd, data.ptr, data.len) != (ssize_t)data.len)
		rc = rl_error_set(err, RL_EIO, "%s: %s", e->tmp, strerror(errno));
	close(fd);
	rl_buf_free(&data);
	return rc;
}

/* Removes what the edit left: the copy (and libgit2's lock on it) unless
 * it became the file, and our lock. */
static void edit_abandon(edit *e)
{
	char lock[PATH_MAX + 8];

	if (e->tmp[0]) {
		unlink(e->tmp);
		snprintf(lock, sizeof(lock), "%s.lock", e->tmp);
		unlink(lock);
		e->tmp[0] = '\0';
	}
	if (e->locked) {
		unlink(e->lock);
		e->locked = 0;
	}
}

/* The copy replaces the file: same mode and owner, on disk, in one rename. */
static int edit_commit(edit *e, rl_error *err)
{
	int fd;
	char *dir, *slash;

	if (e->exists) {
		chmod(e->tmp, e->st.st_mode & 07777);
		if (chown(e->tmp, e->st.st_uid, e->st.st_gid) < 0) {
			/* Not ours to give away: the file stays ours, with its mode. */
		}
	}
	fd = open(e->tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0) {
		if (fd >= 0)
			close(fd);
		return rl_error_set(err, RL_EIO, "%s: %s", e->tmp, strerror(errno));
	}
	close(fd);
	if (rename(e->tmp, e->path) < 0)
		return rl_error_set(err, RL_EIO, "%s: %s", e->path, strerror(errno));
	e->tmp[0] = '\0';
	dir = strdup(e->path);
	slash = dir ? strrchr(dir, '/') : NULL;
	if (slash) {
		*slash = '\0';
		fd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	free(dir);
	return 0;
}

static int git_fail(rl_error *err, const char *path, const char *what)
{
	const git_error *ge = git_error_last();

	return rl_error_set(err, RL_ECONFIG, "%s: cannot %s: %s", path, what,
			    ge && ge->message ? ge->message : "libgit2 failed");
}

/* Every entry of the file as "name=value" (depth 0: the file itself, not
 * its includes), in file order: the before and after of an edit. */
static int entries(const char *path, rl_strv *out, rl_strv *included, rl_error *err)
{
	git_config *gc = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	int rc;

	if (git_config_open_ondisk(&gc, path) < 0)
		return git_fail(err, path, "read it");
	rc = git_config_iterator_new(&it, gc);
	while (rc == 0 && (rc = git_config_next(&e, it)) == 0) {
		rl_strv *to = e->include_depth == 0 ? out : included;

		if (to)
			rl_strv_pushf(to, "%s=%s", e->name, e->value ? e->value : "");
	}
	git_config_iterator_free(it);
	git_config_free(gc);
	if (rc != GIT_ITEROVER)
		return git_fail(err, path, "read it");
	return 0;
}

/* "source.ID.KEY=VALUE", the id as git keeps it (subsections keep their
 * case and may hold dots: the key is after the last dot of the name). */
static int is_source_entry(const char *entry, const char *id)
{
	const char *eq = strchr(entry, '='), *dot;
	size_t n = strlen(id);

	if (!eq || strncmp(entry, "source.", 7) != 0)
		return 0;
	for (dot = eq; dot > entry && *dot != '.'; dot--)
		;
	return (size_t)(dot - (entry + 7)) == n && strncmp(entry + 7, id, n) == 0;
}

static int strv_same(const rl_strv *a, const rl_strv *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 0;
	return 1;
}

/* The file must read cleanly before we write to it: an edit must not be
 * the moment an old problem becomes a new one. */
static int load_clean(const char *path, rl_config **out, rl_strv *problems, rl_error *err)
{
	int rc = rl_config_load(out, path, problems, err);

	if (rc < 0 && rc != RL_ENOTFOUND)
		rl_error_prefix(err, "%s has problems (see `redline config check`); not editing it",
				path);
	return rc;
}

int rl_config_add_source(const char *path, const rl_source_spec *sp, rl_strv *problems,
			 rl_error *err)
{
	rl_strv before = RL_STRV_INIT, after = RL_STRV_INIT;
	const char *keys[4][2] = {{"title", sp->title},
				  {"url", sp->url},
				  {"pages", sp->pages},
				  {"interval", sp->interval}};
	rl_config *cfg = NULL;
	git_config *gc = NULL;
	char name[300];
	edit e;
	int rc;

	rc = rl_source_spec_check(sp, err);
	if (rc < 0)
		return rc;
	rc = load_clean(path, &cfg, problems, err);
	if (rc == 0 && rl_config_source(cfg, sp->id))
		rc = rl_error_set(err, RL_EEXISTS, "%s: there is already a source '%s'", path,
				  sp->id);
	rl_config_free(cfg);
	cfg = NULL;
	if (rc < 0 && rc != RL_ENOTFOUND)
		return rc;
	rc = edit_begin(&e, path, 1, err);
	if (rc == 0)
		rc = entries(e.tmp, &before, NULL, err);
	if (rc == 0 && git_config_open_ondisk(&gc, e.tmp) < 0)
		rc = git_fail(err, path, "open it for writing");
	for (size_t i = 0; rc == 0 && i < 4; i++) {
		if (!keys[i][1])
			continue;
		snprintf(name, sizeof(name), "source.%s.%s", sp->id, keys[i][0]);
		if (git_config_set_string(gc, name, keys[i][1]) < 0)
			rc = git_fail(err, path, "write it");
		else
			rl_strv_pushf(&before, "%s=%s", name, keys[i][1]);
	}
	git_config_free(gc);
	/* Read back: the old entries, then exactly the new ones, and a file
	 * redline loads with the new source in it. */
	if (rc == 0)
		rc = entries(e.tmp, &after, NULL, err);
	if (rc == 0 && !strv_same(&before, &after))
		rc = rl_error_set(err, RL_ECONFIG,
				  "%s: the edited file does not read back as "
				  "written; left unchanged",
				  path);
	if (rc == 0) {
		rc = rl_config_load(&cfg, e.tmp, problems, err);
		if (rc == 0 && !rl_config_source(cfg, sp->id))
			rc = rl_error_set(err, RL_ECONFIG, "%s: source '%s' did not read back",
					  path, sp->id);
		rl_config_free(cfg);
	}
	if (rc == 0)
		rc = edit_commit(&e, err);
	edit_abandon(&e);
	rl_strv_free(&before);
	rl_strv_free(&after);
	return rc;
}

/* --- taking out an emptied [source "ID"] header ------------------------------- */

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* A header line: 1 and whether it is [source "ID"] (or [source.id]), and
 * whether anything but a comment follows the ']'. */
static int header_line(const char *p, const char *end, const char *id, int *match, int *tail,
		       const char **close)
{
	const char *name, *q;
	size_t nlen;

	p = skip_ws(p, end);
	*match = *tail = 0;
	if (p >= end || *p != '[')
		return 0;
	name = ++p;
	while (p < end && *p != ']' && *p != '.' && *p != ' ' && *p != '\t' && *p != '"')
		p++;
	nlen = (size_t)(p - name);
	if (p < end && *p == '.') { /* [section.sub]: the old, lowercase form */
		q = ++p;
		while (p < end && *p != ']')
			p++;
		*match = nlen == 6 && strncasecmp(name, "source", 6) == 0 &&
			 (size_t)(p - q) == strlen(id) && strncasecmp(q, id, strlen(id)) == 0;
	} else {
		p = skip_ws(p, end);
		if (p < end && *p == '"') {
			const char *want = id;

			*match = nlen == 6 && strncasecmp(name, "source", 6) == 0;
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < end)
					p++;
				if (*want && *p == *want)
					want++;
				else
					*match = 0;
			}
			if (*want)
				*match = 0;
			if (p < end)
				p++;
			p = skip_ws(p, end);
		}
	}
	if (p >= end || *p != ']')
		return 0; /* not a header we understand: leave it alone */
	*close = p + 1;
	p = skip_ws(p + 1, end);
	*tail = p < end && *p != '#' && *p != ';' && *p != '\n' && *p != '\r';
	return 1;
}

static int blank_or_comment(const char *p, const char *end)
{
	p = skip_ws(p, end);
	return p >= end || *p == '\n' || *p == '\r' || *p == '#' || *p == ';';
}

/* An odd number of backslashes at the end continues the value on the
 * next line, which is then no header whatever it starts with. */
static int continues(const char *p, const char *end)
{
	size_t n = 0;

	while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	while (end > p && end[-1] == '\\') {
		end--;
		n++;
	}
	return n % 2 == 1;
}

typedef struct line {
	const char *p, *end; /* end includes the newline */
	const char *close;   /* headers: just past the ']' */
	int header, match, tail, blank, drop;
} line;

static int comment_line(const line *l)
{
	const char *p = skip_ws(l->p, l->end);

	return p < l->end && (*p == '#' || *p == ';');
}

/* Drops each [source "ID"] header whose section holds nothing but blank
 * lines and comments now, with the comments right above it (they are its
 * own); the comments right above the next header are that header's and
 * stay. A blank line left hanging at the end or doubled goes too. */
/* The lines of text, headers recognised; NULL when out of memory. */
static line *scan_lines(const rl_buf *text, const char *id, size_t *count)
{
	const char *p = text->ptr ? text->ptr : "", *end = p + text->len;
	line *ls = NULL;
	size_t n = 0, cap = 0;
	int cont = 0;

	while (p < end || n == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		line *l;

		if (n == cap) {
			line *v = realloc(ls, (cap = cap ? cap * 2 : 64) * sizeof(*v));

			if (!v) {
				free(ls);
				return NULL;
			}
			ls = v;
		}
		l = &ls[n++];
		memset(l, 0, sizeof(*l));
		l->p = p;
		l->end = nl ? nl + 1 : end;
		if (!cont)
			l->header = header_line(p, l->end, id, &l->match, &l->tail, &l->close);
		l->blank = !l->header && blank_or_comment(p, l->end);
		cont = !l->blank && continues(p, l->end);
		p = l->end;
		if (p == end)
			break;
	}
	*count = n;
	return ls;
}

/* libgit2 1.5 puts the comment that follows a section header in place of
 * a key it deletes from that section; the header is going anyway, so its
 * comment goes first. */
static int strip_header_comments(rl_buf *text, const char *id)
{
	rl_buf out = RL_BUF_INIT;
	size_t n;
	line *ls = scan_lines(text, id, &n);

	if (!ls)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const line *l = &ls[i];

		if (l->header && l->match && !l->tail && l->close < l->end && l->end[-1] == '\n') {
			rl_buf_put(&out, l->p, (size_t)(l->close - l->p));
			rl_buf_putc(&out, '\n');
		} else {
			rl_buf_put(&out, l->p, (size_t)(l->end - l->p));
		}
	}
	free(ls);
	rl_buf_free(text);
	*text = out;
	return 0;
}

/* Drops each [source "ID"] header whose section holds nothing but blank
 * lines and comments now, with the comments right above it (they are its
 * own); the comments right above the next header are that header's and
 * stay. A blank line left hanging at the end or doubled goes too. */
static int drop_empty_sections(rl_buf *text, const char *id, int *dropped)
{
	rl_buf out = RL_BUF_INIT;
	size_t n;
	line *ls = scan_lines(text, id, &n);

	*dropped = 0;
	if (!ls)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t j = i + 1, first = i, last;
		int empty = 1;

		if (!(ls[i].header && ls[i].match && !ls[i].tail))
			continue;
		for (; j < n && !ls[j].header; j++)
			if (!ls[j].blank)
				empty = 0;
		if (!empty)
			continue;
		last = j; /* one past the lines to drop */
		while (j < n && last > i + 1 && comment_line(&ls[last - 1]))
			last--;
		while (first > 0 && !ls[first - 1].drop && comment_line(&ls[first - 1]))
			first--;
		if (first > 0 && !ls[first - 1].drop && !ls[first - 1].header &&
		    ls[first - 1].blank && !comment_line(&ls[first - 1]) &&
		    (last == n || (ls[last].blank && !comment_line(&ls[last]))))
			first--;
		for (size_t k = first; k < last; k++)
			ls[k].drop = 1;
		(*dropped)++;
	}
	for (size_t i = 0; i < n; i++)
		if (!ls[i].drop && rl_buf_put(&out, ls[i].p, (size_t)(ls[i].end - ls[i].p)) < 0) {
			free(ls);
			rl_buf_free(&out);
			return -1;
		}
	free(ls);
	rl_buf_free(text);
	*text = out;
	return 0;
}

static int put_file(const char *path, const rl_buf *text, rl_error *err)
{
	FILE *fp = fopen(path, "w");

	if (!fp || (text->len && fwrite(text->ptr, 1, text->len, fp) != text->len) ||
	    fclose(fp) != 0)
		return rl_error_set(err, RL_EIO, "%s: %s", path, strerror(errno));
	return 0;
}

int rl_config_remove_source(const char *path, const char *id, rl_strv *problems, rl_error *err)
{
	rl_strv before = RL_STRV_INIT, after = RL_STRV_INIT, included = RL_STRV_INIT;
	rl_strv names = RL_STRV_INIT;
	rl_config *cfg = NULL;
	git_config *gc = NULL;
	rl_buf text = RL_BUF_INIT;
	edit e;
	int rc, dropped = 0;

	memset(&e, 0, sizeof(e));
	rc = rl_source_id_valid(id, err);
	if (rc < 0)
		return rc;
	rc = load_clean(path, &cfg, problems, err);
	if (rc == 0 && !rl_config_source(cfg, id))
		rc = rl_error_set(err, RL_ENOTFOUND, "%s: no source '%s'", path, id);
	rl_config_free(cfg);
	if (rc < 0)
		return rc;
	rc = edit_begin(&e, path, 0, err);
	if (rc == 0)
		rc = entries(e.tmp, &before, &included, err);
	for (size_t i = 0; rc == 0 && i < included.n; i++)
		if (is_source_entry(included.v[i], id))
			rc = rl_error_set(err, RL_ECONFIG,
					  "%s: source '%s' is set in a file it includes; edit "
					  "that file",
					  path, id);
	/* The names of its keys, each once (multivars go in one call). */
	for (size_t i = 0; rc == 0 && i < before.n; i++) {
		char *eq;
		int seen = 0;

		if (!is_source_entry(before.v[i], id))
			continue;
		eq = strchr(before.v[i], '=');
		*eq = '\0';
		for (size_t k = 0; k < names.n; k++)
			seen |= strcmp(names.v[k], before.v[i]) == 0;
		if (!seen)
			rl_strv_push(&names, before.v[i]);
		*eq = '=';
	}
	if (rc == 0)
		rc = rl_file_read(e.tmp, &text, err);
	if (rc == 0 && strip_header_comments(&text, id) < 0)
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	if (rc == 0)
		rc = put_file(e.tmp, &text, err);
	rl_buf_reset(&text);
	if (rc == 0 && git_config_open_ondisk(&gc, e.tmp) < 0)
		rc = git_fail(err, path, "open it for writing");
	for (size_t i = 0; rc == 0 && i < names.n; i++)
		if (git_config_delete_multivar(gc, names.v[i], ".*") < 0)
			rc = git_fail(err, path, "delete a key");
	git_config_free(gc);
	if (rc == 0)
		rc = rl_file_read(e.tmp, &text, err);
	if (rc == 0 && drop_empty_sections(&text, id, &dropped) < 0)
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	if (rc == 0)
		rc = put_file(e.tmp, &text, err);
	/* Read back: every other entry as it was, in the same order. */
	if (rc == 0)
		rc = entries(e.tmp, &after, NULL, err);
	if (rc == 0) {
		size_t k = 0;

		for (size_t i = 0; i < before.n && rc == 0; i++) {
			if (is_source_entry(before.v[i], id))
				continue;
			if (k >= after.n || strcmp(before.v[i], after.v[k++]) != 0)
				rc = -1;
		}
		if (rc < 0 || k != after.n)
			rc = rl_error_set(err, RL_ECONFIG,
					  "%s: the edited file does not read back "
					  "as intended; left unchanged",
					  path);
	}
	if (rc == 0)
		rc = edit_commit(&e, err);
	edit_abandon(&e);
	rl_buf_free(&text);
	rl_strv_free(&before);
	rl_strv_free(&after);
	rl_strv_free(&included);
	rl_strv_free(&names);
	return rc;
}
