/* rl_task_start: the job runs its function with its argument and hands
 * back its result; it may use every CPU its creator may (a new thread is
 * started away from the creator's CPU, not kept there), and only those,
 * whatever the thread ran with before; it starts the plain way on a
 * creator held to one CPU, and in a sandbox where sched_setaffinity fails
 * (redlined's unit). Threads are kept for the next job, woken from sleep
 * when they have waited long; jobs that run at once have threads of their
 * own, and a job may start one. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "redline/thread.h"

typedef struct seen {
	int value;
	cpu_set_t cpus; /* the thread's CPUs, as it runs */
	int cpus_rc;
} seen;

static void *record(void *arg)
{
	seen *s = arg;

	s->value *= 2;
	s->cpus_rc = pthread_getaffinity_np(pthread_self(), sizeof(s->cpus), &s->cpus);
	return &s->value;
}

static void start_and_join(const cpu_set_t *want)
{
	seen s;
	rl_task *task;
	void *ret;

	memset(&s, 0, sizeof(s));
	s.value = 21;
	assert_int_equal(rl_task_start(&task, record, &s), 0);
	ret = rl_task_join(task);
	assert_ptr_equal(ret, &s.value);
	assert_int_equal(s.value, 42);
	assert_int_equal(s.cpus_rc, 0);
	assert_true(CPU_EQUAL(&s.cpus, want));
}

static void job_runs_with_the_creators_cpus(void **state)
{
	cpu_set_t mine;

	(void)state;
	assert_int_equal(pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine), 0);
	for (int k = 0; k < 20; k++)
		start_and_join(&mine);
}

static void job_runs_on_a_creator_held_to_one_cpu(void **state)
{
	cpu_set_t mine, one;
	int cpu = sched_getcpu();

	(void)state;
	assert_true(cpu >= 0);
	assert_int_equal(pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine), 0);
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	assert_int_equal(pthread_setaffinity_np(pthread_self(), sizeof(one), &one), 0);
	start_and_join(&one);
	assert_int_equal(pthread_setaffinity_np(pthread_self(), sizeof(mine), &mine), 0);
	/* the thread kept takes its next creator's CPUs again */
	start_and_join(&mine);
}

/* In a child: sched_setaffinity fails with EPERM, as under
 * SystemCallFilter=~@resources with SystemCallErrorNumber=EPERM. */
static int start_in_sandbox(void)
{
	struct sock_filter filter[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sched_setaffinity, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};
	cpu_set_t one;
	seen s;
	rl_task *task;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
		return 3; /* no seccomp here */
	if (sched_setaffinity(0, sizeof(one), &one) == 0 || errno != EPERM)
		return 4; /* the filter does not hold */
	memset(&s, 0, sizeof(s));
	s.value = 21;
	if (rl_task_start(&task, record, &s) != 0)
		return 1;
	rl_task_join(task);
	return s.value == 42 ? 0 : 2;
}

static void job_starts_where_affinity_is_refused(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(start_in_sandbox());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 3) {
		printf("seccomp filters unavailable here: the sandbox case was left out\n");
		return;
	}
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void *whose(void *arg)
{
	*(pid_t *)arg = gettid();
	return NULL;
}

/* One job after another: each on the thread the last one ran on, also
 * once it has slept (waited longer than it looks for work). */
static void threads_are_kept_for_the_next_job(void **state)
{
	pid_t first = 0;

	(void)state;
	for (int k = 0; k < 40; k++) {
		rl_task *task;
		pid_t tid = 0;

		assert_int_equal(rl_task_start(&task, whose, &tid), 0);
		assert_null(rl_task_join(task));
		assert_true(tid != 0 && tid != gettid());
		if (k == 0)
			first = tid;
		assert_int_equal(tid, first);
		if (k % 8 == 7) /* asleep by now */
			nanosleep(&(struct timespec){0, 5000000}, NULL);
	}
}

/* Jobs that wait for each other run at once, each on a thread of its own,
 * the last started from within the one before. */
typedef struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int arrived, need;
} gate;

typedef struct meeting {
	gate *g;               /* NULL: no waiting for the others */
	pid_t tid;             /* the job's thread */
	struct meeting *inner; /* a job this one starts, and joins */
	int inner_rc;
} meeting;

static void *meet(void *arg)
{
	meeting *m = arg;
	rl_task *task;

	m->tid = gettid();
	if (m->g) {
		pthread_mutex_lock(&m->g->lock);
		m->g->arrived++;
		pthread_cond_broadcast(&m->g->cond);
		while (m->g->arrived < m->g->need)
			pthread_cond_wait(&m->g->cond, &m->g->lock);
		pthread_mutex_unlock(&m->g->lock);
	}
	if (m->inner) {
		m->inner_rc = rl_task_start(&task, meet, m->inner);
		if (m->inner_rc == 0)
			rl_task_join(task);
	}
	return NULL;
}

static void jobs_at_once_have_threads_of_their_own(void **state)
{
	gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 3};
	meeting inner = {NULL, 0, NULL, 0}, each[3];
	rl_task *task[3];

	(void)state;
	/* the three wait at one gate: none ends before all have started,
	 * and the last starts another job from inside */
	for (int k = 0; k < 3; k++) {
		each[k] = (meeting){&g, 0, k == 2 ? &inner : NULL, -1};
		assert_int_equal(rl_task_start(&task[k], meet, &each[k]), 0);
	}
	for (int k = 0; k < 3; k++)
		rl_task_join(task[k]);
	assert_int_equal(g.arrived, 3);
	assert_int_equal(each[2].inner_rc, 0);
	for (int k = 0; k < 3; k++)
		assert_true(each[k].tid != 0 && each[k].tid != gettid());
	assert_true(each[0].tid != each[1].tid && each[1].tid != each[2].tid &&
		    each[0].tid != each[2].tid);
	assert_true(inner.tid != 0 && inner.tid != gettid() && inner.tid != each[2].tid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    /* first: its fork's child then has one thread, as a child that
	     * starts threads should (threads kept for jobs are not copied) */
	    cmocka_unit_test(job_starts_where_affinity_is_refused),
	    cmocka_unit_test(job_runs_with_the_creators_cpus),
	    cmocka_unit_test(job_runs_on_a_creator_held_to_one_cpu),
	    cmocka_unit_test(threads_are_kept_for_the_next_job),
	    cmocka_unit_test(jobs_at_once_have_threads_of_their_own),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
