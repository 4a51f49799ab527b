/* PDFs are extracted in a child process: `redlined --extract-child`, run
 * by the library (rl_extract_set_child) for each fetched document with a
 * PDF in it. poppler and what it brings (8.6 MiB) then never load in the
 * daemon, and a crash or a runaway loop on a hostile PDF fails that
 * source, not the daemon. Web pages are still extracted in the daemon. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "redline/text-loader.h"
#include "redlined.h"

/* The watchdog is pinged while the daemon waits for a child. */
static void child_tick(void *arg)
{
	sd_tick(arg);
}

int extract_child_register(rl_daemon *d, rl_error *err)
{
	static const char *const argv[] = {"/proc/self/exe", "--extract-child", NULL};
	rl_extract_child c = {argv, 0, child_tick, d};
	const char *t = getenv("REDLINED_TEST_EXTRACT_TIMEOUT");
	const char *here = getenv("REDLINED_TEST_EXTRACT_IN_PROCESS");

	/* Test-only: PDFs extracted in the daemon as before, for
	 * bench/pdf-child.sh's comparison; and a shorter bound than the
	 * library's, for the tests of a hanging child. */
	if (here && strcmp(here, "1") == 0)
		return 0;
	if (t && *t)
		c.timeout_s = (int)strtol(t, NULL, 10);
	return rl_extract_set_child(&c, err);
}

/* Test-only faults (tests/integration/t-daemon-pdf-fault.sh): what a child
 * that poppler crashed or hung, or that wrote nonsense, looks like to the
 * daemon. Honoured by this mode alone. */
static void fault(const char *f)
{
	if (!f || !*f)
		return;
	if (strcmp(f, "segv") == 0) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	} else if (strcmp(f, "hang") == 0) {
		for (;;)
			pause();
	} else if (strcmp(f, "exit") == 0) {
		fprintf(stderr, "redlined: test fault: exiting with status 3\n");
		exit(3);
	} else if (strcmp(f, "garbage") == 0) {
		/* the magic and the version (archive/extract-wire.c), then
		 * no result code */
		static const char reply[] = "RLXA\2\0\0\0this is not a reply";

		fwrite(reply, 1, sizeof(reply) - 1, stdout);
		exit(0);
	}
}

static void text_libraries_missing(const char *message)
{
	fprintf(stderr, "redlined: %s\n", message);
	exit(127);
}

int extract_child_main(void)
{
	rl_error err;

	/* The daemon kills a child that outlives its bound; a daemon killed
	 * outright (SIGKILL, the OOM killer) cannot, and a child stuck on a
	 * hostile PDF would run on alone: it goes with its parent. (The
	 * signal comes when the thread that started the child ends: the
	 * daemon extracts on its main thread, which lives as long as it.) (Not
	 * getppid() == 1 for a parent gone already: a daemon may be pid 1
	 * in a container.) */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) {
		fprintf(stderr, "redlined --extract-child: prctl: %s\n", strerror(errno));
		return 1;
	}
	fault(getenv("REDLINED_TEST_CHILD_FAULT"));
	rl_text_set_fatal(text_libraries_missing);
	if (rl_extract_serve(0, 1, &err) < 0) {
		fprintf(stderr, "redlined --extract-child: %s\n", err.message);
		return 1;
	}
	return 0;
}
