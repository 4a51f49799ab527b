/* rl_thread_start: the thread runs its function with its argument and
 * hands back its result; once running it may use every CPU its creator
 * may (it is started away from the creator's CPU, not kept there); and it
 * starts the plain way on a creator held to one CPU, and in a sandbox
 * where sched_setaffinity fails (redlined's unit). */
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
	pthread_t tid;
	void *ret = NULL;

	memset(&s, 0, sizeof(s));
	s.value = 21;
	assert_int_equal(rl_thread_start(&tid, record, &s), 0);
	assert_int_equal(pthread_join(tid, &ret), 0);
	assert_ptr_equal(ret, &s.value);
	assert_int_equal(s.value, 42);
	assert_int_equal(s.cpus_rc, 0);
	assert_true(CPU_EQUAL(&s.cpus, want));
}

static void thread_runs_with_the_creators_cpus(void **state)
{
	cpu_set_t mine;

	(void)state;
	assert_int_equal(pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine), 0);
	for (int k = 0; k < 20; k++)
		start_and_join(&mine);
}

static void thread_starts_on_a_creator_held_to_one_cpu(void **state)
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
	pthread_t tid;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
		return 3; /* no seccomp here */
	if (sched_setaffinity(0, sizeof(one), &one) == 0 || errno != EPERM)
		return 4; /* the filter does not hold */
	memset(&s, 0, sizeof(s));
	s.value = 21;
	if (rl_thread_start(&tid, record, &s) != 0 || pthread_join(tid, NULL) != 0)
		return 1;
	return s.value == 42 ? 0 : 2;
}

static void thread_starts_where_affinity_is_refused(void **state)
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(thread_runs_with_the_creators_cpus),
	    cmocka_unit_test(thread_starts_on_a_creator_held_to_one_cpu),
	    cmocka_unit_test(thread_starts_where_affinity_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
