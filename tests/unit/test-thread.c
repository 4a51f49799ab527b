/* rl_thread_start: the thread runs its function with its argument and
 * hands back its result; once running it may use every CPU its creator
 * may (it is started away from the creator's CPU, not kept there); and it
 * starts the plain way on a creator held to one CPU. */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(thread_runs_with_the_creators_cpus),
	    cmocka_unit_test(thread_starts_on_a_creator_held_to_one_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
