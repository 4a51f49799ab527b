/* The heap of a command that diffs two texts (compare, diff). */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "redline/util.h"

#include "cli.h"

#define HUGE_PAGE           ((uintptr_t)2 << 20)
#define HUGE_HEAP_MIN_INPUT ((size_t)256 << 10) /* bytes of both texts */
#define HUGE_HEAP_PER_BYTE  16                  /* heap filled a byte of text, and some */
#define HUGE_HEAP_MAX       ((size_t)192 << 20) /* under the mmap threshold below */
#define HUGE_ARENA_MAX      ((size_t)48 << 20)  /* a thread's arena grows to 64 MiB at most */

/* A diff allocates and frees arrays of megabytes in turn (texts, tokens,
 * alignment tables) and the command exits: kept in the heap instead of
 * being handed back to the kernel after each use, they are faulted in
 * once, not once per use (a tenth of a compare was page faults). */
static void keep_freed_memory(void)
{
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 256 << 20);
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
#endif
#ifdef M_ARENA_MAX
	/* An arena for each thread kept for jobs (archive/thread.c; two
	 * for compare and diff) besides the main thread's, and no more: the
	 * jobs that follow each other on one thread reuse what the last
	 * freed, where more arenas were memory written for the first time
	 * (a compare of the editions: 6.7k page faults -> 6.2k-6.4k). With
	 * two in all, the second thread shared the main thread's, and
	 * diff's two parses of structure.json at once took 31 -> 37 ms. */
	mallopt(M_ARENA_MAX, 3);
#endif
}

/* REDLINE_HUGE_PAGES: 1 always, 0 never, -1 auto (unset, empty or
 * "auto"). Another value is said once, for small texts too, and taken
 * as auto. Read once per process. */
static int env_setting = -1;
static pthread_once_t setting_once = PTHREAD_ONCE_INIT;

static void read_setting(void)
{
	const char *v = getenv("REDLINE_HUGE_PAGES");

	if (!v || !*v || strcmp(v, "auto") == 0)
		return;
	if (strcmp(v, "always") == 0 || strcmp(v, "never") == 0)
		env_setting = strcmp(v, "always") == 0;
	else
		fprintf(
		    stderr,
		    "redline: REDLINE_HUGE_PAGES=%s: not auto, always or never; taken as auto\n",
		    v);
}

static int huge_pages_setting(void)
{
	pthread_once(&setting_once, read_setting);
	return env_setting;
}

#ifdef MADV_HUGEPAGE
/* Blocks that keep a heap's next blocks off the small pages before its
 * huge ones (keep_off_small_pages): never written, never freed. Volatile:
 * nothing reads them, and the compiler may not take the malloc away. */
#define FILLERS_MAX 4 /* the main heap, and the arenas of compare's two threads (diff's one) */
static void *volatile fillers[FILLERS_MAX];
static atomic_int n_fillers;

/* The block that advised a heap's huge pages went back to the heap,
 * which gives its bytes first to the next blocks asked for: the first,
 * up to 2 MiB, were on the small pages before the first huge page (the
 * advice starts at a huge page's start), a fault every 4 KiB (a thread's
 * arena starts 2 MiB below its first huge page: 512 faults). A block
 * over them (gap bytes from where the advising block was) is allocated
 * and kept: only its header is written, and the next block starts at the
 * first huge page. */
static void keep_off_small_pages(size_t gap)
{
	/* the next block's header: two words before its bytes */
	const size_t header = 2 * sizeof(size_t);
	int k;

	if (gap <= header || (k = atomic_fetch_add(&n_fillers, 1)) >= FILLERS_MAX)
		return;
	fillers[k] = malloc(gap - header);
}

/* Whether huge pages pay here: REDLINE_HUGE_PAGES says (always, never),
 * or, unset or auto, they do unless the machine hands its free memory
 * back to a hypervisor (rl_free_memory_reported). There a huge page
 * comes from a block the host has taken back, faulted in again 4 KiB at
 * a time on the host: a compare of two 1 MB texts run once took 72 ms
 * with its heap on huge pages and 31 ms without (18.6 and 28.9 ms run
 * again at once, before the blocks freed were taken back). sysfs is
 * read once per process, and only for texts large enough to ask. */
static int reported;
static pthread_once_t reported_once = PTHREAD_ONCE_INIT;

static void read_reported(void)
{
	reported = rl_free_memory_reported(NULL);
}

static int huge_pages_pay(void)
{
	int setting = huge_pages_setting();

	if (setting >= 0)
		return setting;
	pthread_once(&reported_once, read_reported);
	return !reported;
}
#endif

/* Most of what a diff writes for the first time (the token, alignment
 * and report arrays; compare's first file's text) comes from the main
 * heap. Its growth is made at once, about as large as the diff will
 * fill, and advised onto huge pages, which the kernel then gives on first
 * touch where transparent huge pages are on request
 * (/sys/kernel/mm/transparent_hugepage/enabled "madvise"; "always" needs
 * no advice, and "never" ignores it). A 4 KiB page written for the first
 * time costs a fault, about 2.5 us on a virtual machine; a 2 MiB one, one
 * fault and its zeroing. For a compare of the editions: 4.3k page faults
 * -> 1.8k-2.0k, a twentieth of the time, and 2-3 MB more resident
 * (doc/differ.md); with the small pages before the first huge page left
 * alone (keep_off_small_pages), 1.1k-1.5k -> 0.4k-0.8k. What threads of
 * their own allocate (compare's second file's extraction, diff's reading
 * of the older version, the tokenizer's and the aligner's second
 * threads) comes from arenas of their own, grown and advised the same
 * way by cli_heap_for_thread (at most 48 MiB: an arena's heap is 64 MiB
 * at most). Smaller texts are left alone: a huge page zeroed for a few
 * KiB costs more than it saves. */
static void heap_on_huge_pages(size_t bytes, size_t most)
{
#ifdef MADV_HUGEPAGE
	size_t want = bytes < most / HUGE_HEAP_PER_BYTE ? bytes * HUGE_HEAP_PER_BYTE : most;
	char *p, *from, *to;
	size_t gap;

	if (bytes < HUGE_HEAP_MIN_INPUT || !huge_pages_pay() || !(p = malloc(want)))
		return;
	/* the whole huge pages inside the block: the page holding its
	 * header is written already, and stays small */
	from = p + (HUGE_PAGE - ((uintptr_t)p & (HUGE_PAGE - 1)));
	to = p + want - ((uintptr_t)(p + want) & (HUGE_PAGE - 1));
	/* Advice only: where it is refused, the pages are small. The
	 * block goes back to the heap's top, advised and kept. */
	if (to > from)
		(void)madvise(from, (size_t)(to - from), MADV_HUGEPAGE);
	gap = to > from ? (size_t)(from - p) : 0;
	free(p);
	keep_off_small_pages(gap);
#else
	(void)bytes;
	(void)most;
#endif
}

void cli_heap_for_texts(size_t bytes)
{
	keep_freed_memory();
	(void)huge_pages_setting(); /* a value it does not know is said whatever the size */
	heap_on_huge_pages(bytes, HUGE_HEAP_MAX);
}

void cli_heap_for_thread(size_t bytes)
{
	heap_on_huge_pages(bytes, HUGE_ARENA_MAX);
}
