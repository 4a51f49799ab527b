/* The libraries a diff needs, loaded ahead on a thread of their own. */
#include <pthread.h>

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
	p->running = rl_thread_start(&p->tid, preload, p) == 0;
}

void cli_preload_join(cli_preload *p)
{
	if (p->running)
		pthread_join(p->tid, NULL);
	p->running = 0;
}
