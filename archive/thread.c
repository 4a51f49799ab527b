/* rl_task_start: half of a job run on another thread, kept after for the
 * next job.
 *
 * A thread that has run its job looks for the next one for 50 us, then
 * sleeps until it is given one: the jobs of a diff (the tokenizer's
 * second half, the aligner's gaps, the moves' index and probes, the
 * counts, the operations, the report's halves) follow each other
 * closely, and creating a thread for each cost its creator 35-110 us,
 * 0.4-0.5 ms of a compare of two editions (thirteen threads; two now).
 *
 * Linux places a new thread on its creator's CPU and moves it only when
 * the load balancer next looks, which on an otherwise idle machine can
 * be after the creator has done its own half of the work. A new thread is
 * created with the creator's CPUs less the creator's current one, so it
 * starts on another; each job then runs with its creator's whole set, so
 * that a busy CPU never holds it. Where the CPU set cannot be set (one
 * CPU; a sandbox that makes sched_setaffinity fail, as redlined's unit
 * does with SystemCallFilter=~@resources and SystemCallErrorNumber=EPERM),
 * the thread starts the plain way. A thread woken for a job goes where
 * the scheduler finds an idle CPU. */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "redline/thread.h"

enum { TASK_IDLE, TASK_JOB, TASK_DONE };

/* How long a thread done with a job, and a caller waiting for one to
 * end, look before they sleep: the next job of a diff mostly comes
 * sooner, and looking longer (0.3 ms) took CPU time from the threads
 * at work no faster. */
#define LOOK_NS 50000L

struct rl_task {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* the thread waits for a job, the joiner for its end */
	/* TASK_*: JOB and DONE, which are waited for, set under lock; read
	 * without it while looking */
	atomic_int state;
	int sleeping; /* the thread waits on cond (under lock) */
	int joining;  /* the joiner waits on cond (under lock) */
	void *(*fn)(void *);
	void *arg;
	void *ret;
	cpu_set_t cpus; /* the job's creator's CPUs */
	int have_cpus;
	cpu_set_t now; /* the thread's CPUs */
	int have_now;
	rl_task *next; /* among the threads waiting for a job */
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static rl_task *waiting; /* (under pool_lock) */
static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

/* A child of fork has none of its parent's threads: the ones waiting for
 * a job are forgotten there (their memory left as it is), and a job
 * gets a thread of its own. */
static void before_fork(void)
{
	pthread_mutex_lock(&pool_lock);
}

static void after_fork_parent(void)
{
	pthread_mutex_unlock(&pool_lock);
}

static void after_fork_child(void)
{
	waiting = NULL;
	pthread_mutex_unlock(&pool_lock);
}

static void watch_forks(void)
{
	(void)pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}

static long elapsed_ns(const struct timespec *from)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - from->tv_sec) * 1000000000L + (t.tv_nsec - from->tv_nsec);
}

/* Waits for t's state to become `want`: looking for LOOK_NS, yielding
 * to any other thread that could use the CPU, then asleep on t's cond
 * with *flag set. */
static void await_state(rl_task *t, int want, int *flag)
{
	struct timespec from;

	clock_gettime(CLOCK_MONOTONIC, &from);
	while (atomic_load_explicit(&t->state, memory_order_acquire) != want) {
		if (elapsed_ns(&from) > LOOK_NS) {
			pthread_mutex_lock(&t->lock);
			while (atomic_load_explicit(&t->state, memory_order_relaxed) != want) {
				*flag = 1;
				pthread_cond_wait(&t->cond, &t->lock);
			}
			*flag = 0;
			pthread_mutex_unlock(&t->lock);
			return;
		}
		sched_yield();
	}
}

/* Sets t's state, waking whoever sleeps on it. */
static void set_state(rl_task *t, int state, const int *flag)
{
	pthread_mutex_lock(&t->lock);
	atomic_store_explicit(&t->state, state, memory_order_release);
	if (*flag)
		pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
}

static void *worker(void *p)
{
	rl_task *t = p;

	for (;;) {
		void *ret;

		await_state(t, TASK_JOB, &t->sleeping);
		/* the creator's CPUs; failing leaves the thread where it
		 * is, which is only slower */
		if (t->have_cpus && !(t->have_now && CPU_EQUAL(&t->now, &t->cpus)) &&
		    pthread_setaffinity_np(pthread_self(), sizeof(t->cpus), &t->cpus) == 0) {
			t->now = t->cpus;
			t->have_now = 1;
		}
		ret = t->fn(t->arg);
		t->ret = ret;
		set_state(t, TASK_DONE, &t->joining);
	}
	return NULL;
}

/* A new thread for t's job, on another CPU than the caller's where it
 * may use one; the plain way where that set is refused. */
static int new_thread(rl_task *t)
{
	pthread_attr_t attr;
	pthread_t tid;
	cpu_set_t others;
	int cpu = sched_getcpu(), rc = -1;

	if (t->have_cpus && cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &t->cpus) &&
	    CPU_COUNT(&t->cpus) > 1 && pthread_attr_init(&attr) == 0) {
		others = t->cpus;
		CPU_CLR(cpu, &others);
		rc = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (rc == 0)
			rc = pthread_attr_setaffinity_np(&attr, sizeof(others), &others);
		if (rc == 0)
			rc = pthread_create(&tid, &attr, worker, t);
		pthread_attr_destroy(&attr);
		if (rc == 0 || rc == EAGAIN)
			return rc;
	}
	if (pthread_attr_init(&attr) != 0)
		return EAGAIN;
	rc = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (rc == 0)
		rc = pthread_create(&tid, &attr, worker, t);
	pthread_attr_destroy(&attr);
	return rc;
}

int rl_task_start(rl_task **task, void *(*fn)(void *), void *arg)
{
	rl_task *t;
	cpu_set_t cpus;
	int have = pthread_getaffinity_np(pthread_self(), sizeof(cpus), &cpus) == 0, rc;

	pthread_once(&fork_once, watch_forks);
	pthread_mutex_lock(&pool_lock);
	t = waiting;
	if (t)
		waiting = t->next;
	pthread_mutex_unlock(&pool_lock);
	if (t) {
		pthread_mutex_lock(&t->lock);
		t->fn = fn;
		t->arg = arg;
		t->have_cpus = have;
		if (have)
			t->cpus = cpus;
		atomic_store_explicit(&t->state, TASK_JOB, memory_order_release);
		if (t->sleeping)
			pthread_cond_broadcast(&t->cond);
		pthread_mutex_unlock(&t->lock);
		*task = t;
		return 0;
	}
	if (!(t = calloc(1, sizeof(*t))))
		return EAGAIN;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	t->fn = fn;
	t->arg = arg;
	t->have_cpus = have;
	if (have)
		t->cpus = cpus;
	atomic_init(&t->state, TASK_JOB);
	if ((rc = new_thread(t)) != 0) {
		pthread_mutex_destroy(&t->lock);
		pthread_cond_destroy(&t->cond);
		free(t);
		return rc;
	}
	*task = t;
	return 0;
}

void *rl_task_join(rl_task *t)
{
	void *ret;

	await_state(t, TASK_DONE, &t->joining);
	ret = t->ret;
	atomic_store_explicit(&t->state, TASK_IDLE, memory_order_relaxed);
	pthread_mutex_lock(&pool_lock);
	t->next = waiting;
	waiting = t;
	pthread_mutex_unlock(&pool_lock);
	return ret;
}

long rl_usable_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	return sysconf(_SC_NPROCESSORS_ONLN);
}
