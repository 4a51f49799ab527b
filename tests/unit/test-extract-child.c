/* Unit tests: extraction of PDFs in a child process (rl_extract_set_child).
 * This program is its own child: run as `test-extract-child
 * --extract-child [FAULT]` it serves one request, or fails the way FAULT
 * says (a crash, an exit status, a hang, a reply cut short or garbled).
 * Every result through the child is compared with the same call in this
 * process: the same rl_text byte for byte, or the same error. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "redline/extract.h"
#include "redline/util.h"

#include "extract-fixtures.h"

/* --- this program as the child -------------------------------------------- */

/* Serves the request into a memfd and returns what was written. */
static void serve_to_buf(rl_buf *reply)
{
	int fd = memfd_create("reply", 0);
	rl_error err;
	off_t n;

	if (fd < 0 || rl_extract_serve(0, fd, &err) < 0)
		exit(90);
	n = lseek(fd, 0, SEEK_END);
	rl_buf_grow(reply, (size_t)n + 1);
	if (pread(fd, reply->ptr, (size_t)n, 0) != n)
		exit(91);
	reply->len = (size_t)n;
	close(fd);
}

static void put(const char *p, size_t n)
{
	if (n && fwrite(p, 1, n, stdout) != n)
		exit(92);
}

static int child_main(const char *fault, const char *arg)
{
	rl_buf reply = RL_BUF_INIT;
	rl_error err;

	if (!fault) {
		if (rl_extract_serve(0, 1, &err) < 0) {
			fprintf(stderr, "%s\n", err.message);
			return 1;
		}
		return 0;
	}
	if (strcmp(fault, "segv") == 0) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
	if (strcmp(fault, "exit") == 0) {
		fprintf(stderr, "poppler said something\nand then gave up\n");
		return 4;
	}
	if (strcmp(fault, "hang") == 0)
		for (;;)
			pause();
	serve_to_buf(&reply);
	if (strcmp(fault, "cut") == 0) {
		size_t at = strtoul(arg, NULL, 10);

		put(reply.ptr, at < reply.len ? at : reply.len);
	} else if (strcmp(fault, "flip") == 0) {
		size_t at = strtoul(arg, NULL, 10);

		if (at < reply.len)
			reply.ptr[at] = (char)~reply.ptr[at];
		put(reply.ptr, reply.len);
	} else if (strcmp(fault, "extra") == 0) {
		put(reply.ptr, reply.len);
		put("xx", 2);
	}
	rl_buf_free(&reply);
	return 0;
}

/* --- helpers ---------------------------------------------------------------- */

static int ticks;

static void count_tick(void *arg)
{
	(void)arg;
	ticks++;
}

static void use_child(const char *fault, const char *arg, int timeout_s)
{
	const char *argv[] = {"/proc/self/exe", "--extract-child", fault, arg, NULL};
	rl_extract_child c = {argv, timeout_s, count_tick, NULL};
	rl_error err;

	assert_int_equal(rl_extract_set_child(&c, &err), 0);
}

static void in_process(void)
{
	assert_int_equal(rl_extract_set_child(NULL, NULL), 0);
}

/* No child is left behind, reaped or not. */
static void no_children(void)
{
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static int poppler_mapped(void)
{
	rl_buf maps = RL_BUF_INIT;
	int mapped;

	assert_int_equal(rl_file_read("/proc/self/maps", &maps, NULL), 0);
	mapped = strstr(rl_buf_cstr(&maps), "libpoppler") != NULL;
	rl_buf_free(&maps);
	return mapped;
}

static void same_text(const rl_text *a, const rl_text *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->text.len, b->text.len);
	assert_memory_equal(rl_buf_cstr(&a->text), rl_buf_cstr(&b->text), a->text.len);
	assert_int_equal(a->n_pages, b->n_pages);
	for (size_t i = 0; i < a->n_pages; i++) {
		assert_int_equal(a->pages[i].number, b->pages[i].number);
		assert_int_equal(a->pages[i].text.len, b->pages[i].text.len);
		assert_memory_equal(rl_buf_cstr(&a->pages[i].text), rl_buf_cstr(&b->pages[i].text),
				    a->pages[i].text.len);
	}
	assert_int_equal(a->warnings.n, b->warnings.n);
	for (size_t i = 0; i < a->warnings.n; i++)
		assert_string_equal(a->warnings.v[i], b->warnings.v[i]);
}

/* One input: what the child gives, then what this process gives. */
typedef struct input {
	const char *name;
	rl_raw_page pages[3];
	size_t n;
	rl_extract_opts opts;
} input;

typedef struct result {
	int rc;
	rl_text t;
	rl_error err;
} result;

static void extract(result *r, const input *in)
{
	r->rc = rl_extract(&r->t, in->pages, in->n, &in->opts, &r->err);
}

static void same_result(const input *in, const result *child, const result *here)
{
	if (child->rc != here->rc)
		fail_msg("%s: the child gave %d (%s), in process %d (%s)", in->name, child->rc,
			 child->rc ? child->err.message : "", here->rc,
			 here->rc ? here->err.message : "");
	if (here->rc < 0)
		assert_string_equal(child->err.message, here->err.message);
	else
		same_text(&child->t, &here->t);
}

/* --- the same as in process ------------------------------------------------- */

enum { N_INPUTS = 10 };

static void the_child_gives_what_this_process_gives(void **state)
{
	static const char garbage[] = "%PDF-1.5\n\x01\x02 this is not a PDF body at all \xff\xfe\n";
	rl_strv p85 = RL_STRV_INIT, p86 = RL_STRV_INIT, two[2] = {RL_STRV_INIT, RL_STRV_INIT};
	rl_strv empty[1] = {RL_STRV_INIT}, ignore = RL_STRV_INIT, bad_rule = RL_STRV_INIT;
	rl_buf pdf = RL_BUF_INIT, enc = RL_BUF_INIT, blank = RL_BUF_INIT, html = RL_BUF_INIT;
	input in[N_INPUTS];
	result child[N_INPUTS], here[N_INPUTS];
	const char *latin1 = "<html><body><p>Caf\xe9 au lait, r\xe9sum\xe9.</p></body></html>";
	size_t cut;

	(void)state;
	fx_page85(&p85);
	fx_page86(&p86);
	two[0] = p85;
	two[1] = p86;
	fx_pdf(&pdf, two, 2, 1);
	fx_pdf_encrypted(&enc);
	fx_pdf(&blank, empty, 1, 0);
	fx_html(&html, &p86, FX_DIV, NULL);
	rl_strv_push(&ignore, "^The Alliance decide");
	rl_strv_push(&bad_rule, "([unclosed");
	cut = pdf.len * 2 / 3;
	memset(in, 0, sizeof(in));
	in[0] = (input){"a two-page PDF",
			{{0, pdf.ptr, pdf.len, "application/pdf", "https://x.test/wp.pdf"}},
			1,
			{0}};
	in[1] = (input){"a PDF served as HTML, an ignore rule",
			{{0, pdf.ptr, pdf.len, "text/html; charset=utf-8", NULL}},
			1,
			{NULL, NULL, &ignore, 0}};
	in[2] =
	    (input){"a paged source: a web page with bad bytes, a PDF page, a web page",
		    {{1, latin1, strlen(latin1), "text/html; charset=utf-8", "https://x.test/1"},
		     {2, pdf.ptr, pdf.len, "application/pdf", "https://x.test/2"},
		     {3, html.ptr, html.len, "text/html", "https://x.test/3"}},
		    3,
		    {0}};
	in[3] = (input){
	    "a damaged PDF", {{0, garbage, sizeof(garbage) - 1, "application/pdf", NULL}}, 1, {0}};
	in[4] = (input){"a PDF cut short", {{0, pdf.ptr, cut, "application/pdf", NULL}}, 1, {0}};
	in[5] = (input){
	    "an encrypted PDF", {{0, enc.ptr, enc.len, NULL, "https://x.test/e.pdf"}}, 1, {0}};
	in[6] = (input){
	    "a PDF without text", {{0, blank.ptr, blank.len, "application/pdf", NULL}}, 1, {0}};
	in[7] = (input){"a bad ignore rule",
			{{0, pdf.ptr, pdf.len, "application/pdf", NULL}},
			1,
			{NULL, NULL, &bad_rule, 0}};
	in[8] =
	    (input){"an empty page beside a PDF",
		    {{1, pdf.ptr, pdf.len, "application/pdf", NULL}, {2, "", 0, "text/html", NULL}},
		    2,
		    {0}};
	/* compare's: no text is an empty text, with a warning */
	in[9] = (input){"a PDF without text, taken as empty",
			{{0, blank.ptr, blank.len, "application/pdf", NULL}},
			1,
			{NULL, NULL, NULL, 1}};

	use_child(NULL, NULL, 0);
	for (size_t i = 0; i < N_INPUTS; i++)
		extract(&child[i], &in[i]);
	/* all of it in the child: poppler never came here */
	assert_false(poppler_mapped());
	no_children();
	in_process();
	for (size_t i = 0; i < N_INPUTS; i++) {
		extract(&here[i], &in[i]);
		same_result(&in[i], &child[i], &here[i]);
		rl_text_free(&child[i].t);
		rl_text_free(&here[i].t);
	}
	assert_true(poppler_mapped());
	/* what the inputs are there for */
	assert_int_equal(here[0].rc, 0);
	assert_int_equal(here[2].rc, 0);
	assert_int_equal(here[3].rc, RL_EEXTRACT);
	assert_non_null(strstr(here[5].err.message, "encrypted PDF"));
	assert_int_equal(here[7].rc, RL_EINVALID);
	assert_int_equal(here[6].rc, RL_EEXTRACT);
	assert_int_equal(here[9].rc, 0);
	rl_strv_free(&p85);
	rl_strv_free(&p86);
	rl_strv_free(&ignore);
	rl_strv_free(&bad_rule);
	rl_buf_free(&pdf);
	rl_buf_free(&enc);
	rl_buf_free(&blank);
	rl_buf_free(&html);
}

/* Web pages alone never start a child. */
static void web_pages_stay_in_process(void **state)
{
	rl_strv p86 = RL_STRV_INIT;
	rl_buf html = RL_BUF_INIT;
	rl_raw_page p = {0, NULL, 0, "text/html", NULL};
	rl_text t;
	rl_error err;

	(void)state;
	fx_page86(&p86);
	fx_html(&html, &p86, FX_P, "utf-8");
	p.data = html.ptr;
	p.len = html.len;
	use_child("exit", NULL, 0); /* a child would fail */
	assert_int_equal(rl_extract(&t, &p, 1, NULL, &err), 0);
	rl_text_free(&t);
	in_process();
	rl_strv_free(&p86);
	rl_buf_free(&html);
}

/* --- a child that fails ------------------------------------------------------ */

/* Extracts the two pages through a child with the given fault: an
 * RL_EEXTRACT error that says `want`, nothing in *t, no child left. */
static void child_fails(const char *fault, const char *arg, int timeout_s, const char *want)
{
	rl_buf pdf = RL_BUF_INIT;
	rl_raw_page p = {0, NULL, 0, "application/pdf", NULL};
	rl_text t;
	rl_error err;
	int rc;

	fx_pdf_two_pages(&pdf);
	p.data = pdf.ptr;
	p.len = pdf.len;
	use_child(fault, arg, timeout_s);
	rc = rl_extract(&t, &p, 1, NULL, &err);
	in_process();
	if (rc != RL_EEXTRACT || !strstr(err.message, want))
		fail_msg("fault %s %s: got %d '%s', expected '%s'", fault ? fault : "",
			 arg ? arg : "", rc, rc ? err.message : "", want);
	assert_null(t.text.ptr);
	assert_int_equal(t.n_pages, 0);
	no_children();
	rl_buf_free(&pdf);
}

static void a_crash_is_told_by_its_signal(void **state)
{
	(void)state;
	child_fails("segv", NULL, 0, "pdf extraction: child killed by signal 11 (SIGSEGV)");
}

static void an_exit_status_is_told_with_the_last_line(void **state)
{
	(void)state;
	child_fails("exit", NULL, 0,
		    "pdf extraction: child exited with status 4: and then gave up");
}

static void a_child_that_hangs_is_killed(void **state)
{
	(void)state;
	ticks = 0;
	child_fails("hang", NULL, 2, "pdf extraction: timed out after 2 s (the child was killed)");
	/* the program was called back while it waited */
	assert_true(ticks >= 1);
}

static void a_program_that_cannot_run(void **state)
{
	const char *argv[] = {"/nonexistent/redlined", "--extract-child", NULL};
	rl_extract_child c = {argv, 0, NULL, NULL};
	rl_buf pdf = RL_BUF_INIT;
	rl_raw_page p = {0, NULL, 0, "application/pdf", NULL};
	rl_text t;
	rl_error err;

	(void)state;
	fx_pdf_two_pages(&pdf);
	p.data = pdf.ptr;
	p.len = pdf.len;
	assert_int_equal(rl_extract_set_child(&c, &err), 0);
	assert_int_equal(rl_extract(&t, &p, 1, NULL, &err), RL_EEXTRACT);
	in_process();
	assert_string_equal(
	    err.message,
	    "pdf extraction: cannot run /nonexistent/redlined: No such file or directory");
	no_children();
	rl_buf_free(&pdf);
}

/* A reply cut anywhere, a byte changed in its header, bytes after its end:
 * an error that names the byte, never a crash. */
static void a_garbled_reply_is_an_error_at_its_byte(void **state)
{
	static const char *const cuts[] = {"0", "3", "8", "11", "12", "19", "20", "100", "2000"};
	char want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		snprintf(want, sizeof(want),
			 "pdf extraction: the child's reply is cut short at byte ");
		child_fails("cut", cuts[i], 0, want);
	}
	child_fails("cut", "12", 0, "cut short at byte 12: the kind needs 4 bytes, 0 are left");
	child_fails("flip", "0", 0,
		    "pdf extraction: the child's reply is garbled at byte 0: it does not start "
		    "with RLXA");
	child_fails("flip", "4", 0, "garbled at byte 4: an unknown version");
	child_fails("flip", "8", 0, "garbled at byte 8: not a result code");
	child_fails("flip", "12", 0, "garbled at byte 12: not a document kind");
	/* the text's length, 2^56 times what it was */
	child_fails("flip", "23", 0, "cut short at byte 24: the text needs");
	child_fails("extra", NULL, 0, "garbled at byte");
	child_fails("extra", NULL, 0, "2 bytes after its end");
}

/* fontconfig, which cairo draws the test PDFs with, keeps its
 * configuration until exit: not redline's leak. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_child_gives_what_this_process_gives),
	    cmocka_unit_test(web_pages_stay_in_process),
	    cmocka_unit_test(a_crash_is_told_by_its_signal),
	    cmocka_unit_test(an_exit_status_is_told_with_the_last_line),
	    cmocka_unit_test(a_child_that_hangs_is_killed),
	    cmocka_unit_test(a_program_that_cannot_run),
	    cmocka_unit_test(a_garbled_reply_is_an_error_at_its_byte),
	};
	int rc;

	if (argc >= 2 && strcmp(argv[1], "--extract-child") == 0)
		return child_main(argc > 2 ? argv[2] : NULL, argc > 3 ? argv[3] : NULL);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	fx_cleanup();
	return rc;
}
