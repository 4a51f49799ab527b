/* Unit tests: the Atom feed read back with libxml2 as a feed reader would:
 * entries newest first with stable ids, reextracts left out, subjects and
 * texts with markup characters or control bytes still well-formed XML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "redline/feed.h"
#include "redline/util.h"
#include "scratch-archive.h"

typedef struct fixture {
	char dir[SCRATCH_DIR_LEN];
	rl_archive *a;
	char c[4][41];
} fixture;

static int commit(rl_archive *a, const char *tip, int64_t t, const char *text, const char *msg,
		  char out[41])
{
	rl_file files[] = {{"text.md", text, strlen(text)}};
	rl_commit_req req = {"wp", tip, t, msg, files, 1};
	rl_error err;

	return rl_archive_commit(a, &req, out, &err);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f || scratch_archive_init("feed", f->dir, NULL, &f->a) < 0)
		return -1;
	if (commit(f->a, "", 1000, "The alliance is steadfast.\n",
		   "wp: first version (4 words)\n\nRedline-Url: http://h/x?a=1&b=2\n"
		   "Redline-Change: initial\n",
		   f->c[0]) < 0 ||
	    commit(f->a, f->c[0], 2000, "The alliance is robust \x01<b>&amp;</b>.\n",
		   "wp: 1 word changed, \"<b>&\" added\n\nRedline-Url: http://h/x?a=1&b=2\n"
		   "Redline-Change: wording\n",
		   f->c[1]) < 0 ||
	    commit(f->a, f->c[1], 3000, "The alliance is robust \x01<b>&amp;</b> .\n",
		   "wp: reextracted\n\nRedline-Change: reextract\n", f->c[2]) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	if (scratch_archive_remove(f->dir, f->a) < 0)
		return -1;
	free(f);
	return 0;
}

/* The string value of an XPath expression over the feed. */
static char *xp(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;
	char *out;

	xmlXPathRegisterNs(ctx, BAD_CAST "a", BAD_CAST "http://www.w3.org/2005/Atom");
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	out = (char *)xmlXPathCastToString(o);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return out;
}

static void expect(xmlDocPtr doc, const char *expr, const char *want)
{
	char *got = xp(doc, expr);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got '%s', expected '%s'", expr, got, want);
	xmlFree(got);
}

static xmlDocPtr build(fixture *f, const char *source, size_t max)
{
	rl_buf b = RL_BUF_INIT;
	xmlDocPtr doc;
	rl_error err;

	assert_int_equal(rl_feed_build(&b, f->a, NULL, source, max, &err), 0);
	doc = xmlReadMemory(b.ptr, (int)b.len, "feed.xml", NULL, XML_PARSE_NONET);
	rl_buf_free(&b);
	assert_non_null(doc); /* well-formed whatever the texts held */
	return doc;
}

static void entries_newest_first_without_reextracts(void **state)
{
	fixture *f = *state;
	xmlDocPtr doc = build(f, "wp", 0);
	char id[128];

	expect(doc, "count(/a:feed/a:entry)", "2");
	snprintf(id, sizeof(id), "urn:redline:wp:%s", f->c[1]);
	expect(doc, "string(/a:feed/a:entry[1]/a:id)", id);
	snprintf(id, sizeof(id), "urn:redline:wp:%s", f->c[0]);
	expect(doc, "string(/a:feed/a:entry[2]/a:id)", id);
	expect(doc, "string(/a:feed/a:id)", "urn:redline:feed:wp");
	expect(doc, "string(/a:feed/a:updated)", "1970-01-01T00:33:20Z");
	expect(doc, "string(/a:feed/a:entry[1]/a:title)", "wp: 1 word changed, \"<b>&\" added");
	expect(doc, "string(/a:feed/a:entry[1]/a:link/@href)", "http://h/x?a=1&b=2");
	expect(doc, "string(/a:feed/a:entry[1]/a:category/@term)", "wording");
	expect(doc, "string(/a:feed/a:entry[2]/a:category/@term)", "initial");
	expect(doc, "string(/a:feed/a:author/a:name)", "redline");
	xmlFreeDoc(doc);
}

static void content_carries_the_word_diff(void **state)
{
	fixture *f = *state;
	xmlDocPtr doc = build(f, NULL, 0);
	char *content = xp(doc, "string(/a:feed/a:entry[1]/a:content)");

	/* The control byte became '?', the markup stayed text. */
	assert_non_null(strstr(content, "The alliance is [-steadfast-]{+robust ?<b>&amp;</b>+}."));
	assert_null(strchr(content, '\x01'));
	xmlFree(content);
	expect(doc, "string(/a:feed/a:id)", "urn:redline:feed");
	xmlFreeDoc(doc);
}

static void max_limits_entries_and_empty_feeds_are_valid(void **state)
{
	fixture *f = *state;
	xmlDocPtr doc = build(f, NULL, 1);

	expect(doc, "count(/a:feed/a:entry)", "1");
	xmlFreeDoc(doc);
	doc = build(f, "nosuch", 0);
	expect(doc, "count(/a:feed/a:entry)", "0");
	expect(doc, "string(/a:feed/a:title)", "redline: nosuch");
	xmlFreeDoc(doc);
}

/* Each entry's diff is computed once: the second build reads the cache
 * (shown by planting a marker in the cached file). */
static void excerpts_are_computed_once(void **state)
{
	fixture *f = *state;
	char cmd[512];
	xmlDocPtr doc = build(f, "wp", 0);
	char *content;

	xmlFreeDoc(doc);
	snprintf(
	    cmd, sizeof(cmd),
	    "set -e; n=$(ls %s/archive.git/redline/cache/excerpt | wc -l); test $n = 1; "
	    "for c in %s/archive.git/redline/cache/excerpt/%s-*; do echo 'cached marker' >$c; done",
	    f->dir, f->dir, f->c[1]);
	assert_int_equal(system(cmd), 0);
	doc = build(f, "wp", 0);
	content = xp(doc, "string(/a:feed/a:entry[1]/a:content)");
	assert_non_null(strstr(content, "cached marker"));
	xmlFree(content);
	xmlFreeDoc(doc);
}

static void feed_file_is_replaced_whole(void **state)
{
	fixture *f = *state;
	char path[128];
	rl_buf b = RL_BUF_INIT;
	rl_error err;

	snprintf(path, sizeof(path), "%s/feed.xml", f->dir);
	assert_int_equal(rl_file_write_atomic(path, "old", 3, &err), 0);
	assert_int_equal(rl_feed_write(path, f->a, NULL, &err), 0);
	assert_int_equal(rl_file_read(path, &b, &err), 0);
	assert_non_null(strstr(rl_buf_cstr(&b), "<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
	rl_buf_free(&b);
	snprintf(path, sizeof(path), "%s/no/such/dir/feed.xml", f->dir);
	assert_true(rl_feed_write(path, f->a, NULL, &err) < 0);
	assert_non_null(strstr(err.message, "[feed] path"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(entries_newest_first_without_reextracts, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(content_carries_the_word_diff, setup, teardown),
	    cmocka_unit_test_setup_teardown(max_limits_entries_and_empty_feeds_are_valid, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(excerpts_are_computed_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(feed_file_is_replaced_whole, setup, teardown),
	};
	int rc;

	git_libgit2_init();
	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	git_libgit2_shutdown();
	return rc;
}
