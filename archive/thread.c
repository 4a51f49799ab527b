/* rl_thread_start: a thread started where it can run at once.
 *
 * Linux places a new thread on its creator's CPU and moves it only when
 * the load balancer next looks, which on an otherwise idle machine can
 * be after the creator has done its own half of the work. The thread is
 * created with the creator's CPUs less the creator's current one, so it
 * starts on another; once running it takes back the creator's whole set,
 * so that a busy CPU never holds it. Where the CPU set cannot be set (one
 * CPU; a sandbox that makes sched_setaffinity fail, as redlined's unit
 * does with SystemCallFilter=~@resources and SystemCallErrorNumber=EPERM),
 * the thread starts the plain way. */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>

#include "redline/thread.h"

typedef struct start {
	void *(*fn)(void *);
	void *arg;
	cpu_set_t cpus; /* the creator's set, taken back once running */
} start;

static void *run(void *p)
{
	start s = *(start *)p;

	free(p);
	/* Failing leaves the thread where it is, which is only slower. */
	(void)pthread_setaffinity_np(pthread_self(), sizeof(s.cpus), &s.cpus);
	return s.fn(s.arg);
}

int rl_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg)
{
	start *s = malloc(sizeof(*s));
	cpu_set_t others;
	pthread_attr_t attr;
	int cpu = sched_getcpu(), rc = -1;

	if (s && cpu >= 0 && cpu < CPU_SETSIZE &&
	    pthread_getaffinity_np(pthread_self(), sizeof(s->cpus), &s->cpus) == 0 &&
	    CPU_ISSET(cpu, &s->cpus) && CPU_COUNT(&s->cpus) > 1 && pthread_attr_init(&attr) == 0) {
		others = s->cpus;
		CPU_CLR(cpu, &others);
		s->fn = fn;
		s->arg = arg;
		rc = pthread_attr_setaffinity_np(&attr, sizeof(others), &others);
		if (rc == 0)
			rc = pthread_create(tid, &attr, run, s);
		pthread_attr_destroy(&attr);
		if (rc == 0)
			return 0;
	}
	free(s);
	if (rc == EAGAIN)
		return rc;
	return pthread_create(tid, NULL, fn, arg);
}
