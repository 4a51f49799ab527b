/* The libraries a diff needs, loaded ahead on a thread of their own. */

#include "redline/git-loader.h"
#include "redline/text-loader.h"
#include "redline/thread.h"
#include "redline/util.h"

#include "cli.h"

static void *preload(void *arg)
{
	const cli_preload *p = arg;

	cli_heap_for_thread(p->arena_bytes);
	rl_text_preload();
	rl_crypto_preload();
	return NULL;
}

void cli_preload_start(cli_preload *p, size_t arena_bytes)
{
	p->arena_bytes = arena_bytes;
	p->running = rl_task_start(&p->task, preload, p) == 0;
}

void cli_preload_join(cli_preload *p)
{
	if (p->running)
		rl_task_join(p->task);
	p->running = 0;
}
