/* The libraries a diff needs, loaded ahead on a thread of their own. */

#include <string.h>

#include "redline/git-loader.h"
#include "redline/text-loader.h"
#include "redline/thread.h"
#include "redline/util.h"

#include "cli.h"

/* Whether either file may need ICU: standard input, read once by the
 * command, and a file that cannot be read (the command says why) are
 * taken to. */
static int inputs_need_icu(const char *const *paths)
{
	for (int k = 0; k < 2; k++) {
		rl_file_bytes f;
		rl_error err;
		int needs;

		if (strcmp(paths[k], "-") == 0 || rl_file_bytes_get(paths[k], &f, &err) < 0)
			return 1;
		needs = rl_text_needs_icu(f.data, f.len);
		rl_file_bytes_free(&f);
		if (needs)
			return 1;
	}
	return 0;
}

static void *preload(void *arg)
{
	const cli_preload *p = arg;

	cli_heap_for_thread(p->arena_bytes);
	/* texts of characters the library knows never load ICU: loading
	 * it anyway took CPU time the extracting threads wanted. With two
	 * CPUs, the two files' threads have one each, and looking through
	 * the files took CPU time from one of them (0.6 ms of a compare of
	 * 2 MB of text); then an extraction that needs ICU loads it. */
	if (!p->paths || (p->spare_cpu && inputs_need_icu(p->paths)))
		rl_text_preload();
	if (!p->crypto_later)
		rl_crypto_preload();
	return NULL;
}

void cli_preload_plan(cli_preload *p, size_t arena_bytes, const char *const *paths)
{
	p->arena_bytes = arena_bytes;
	p->paths = paths;
	p->spare_cpu = paths && rl_usable_cpus() > 2;
	/* With two CPUs, libcrypto's loading (1.2 ms of relocations) on
	 * this thread while both files were extracted took that time from
	 * them; the file extracted first loads it instead, while the other
	 * is still being extracted, before its items' ids need it. */
	p->crypto_later = paths && !p->spare_cpu;
	atomic_init(&p->crypto_claimed, 0);
	p->running = 0;
}

void cli_preload_run(cli_preload *p)
{
	p->running = rl_task_start(&p->task, preload, p) == 0;
}

void cli_preload_start(cli_preload *p, size_t arena_bytes, const char *const *paths)
{
	cli_preload_plan(p, arena_bytes, paths);
	cli_preload_run(p);
}

void cli_preload_crypto(cli_preload *p)
{
	if (p->crypto_later && atomic_exchange(&p->crypto_claimed, 1) == 0)
		rl_crypto_preload();
}

void cli_preload_join(cli_preload *p)
{
	if (p->running)
		rl_task_join(p->task);
	p->running = 0;
}
