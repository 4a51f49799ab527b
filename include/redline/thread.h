/* Running half of a job on another thread (the other side of a diff,
 * the other file of a compare), on threads kept for the next job. */
#ifndef REDLINE_THREAD_H
#define REDLINE_THREAD_H

#include <pthread.h>

/* A job running on another thread, until rl_task_join. */
typedef struct rl_task rl_task;

/* Runs fn(arg) on another thread: one that ran an earlier job and is
 * waiting for the next, or a new one. Creating a thread took 35-110 us
 * of its creator's time on a 2-CPU virtual machine, and a compare of two
 * editions started thirteen; a waiting thread starts the job once woken,
 * or at once while it is still looking for work (for 50 us after each
 * job: the jobs of a diff follow each other closely). A new thread
 * starts on another CPU than its creator's: left to the scheduler, it
 * often waited on the creator's CPU until the creator blocked, up to the
 * whole job (1-3 ms of each 3 ms measured), and the halves ran one after
 * the other. Each job runs with its creator's CPUs. Returns 0 or an
 * errno, like pthread_create; then the caller does the job itself. */
int rl_task_start(rl_task **task, void *(*fn)(void *), void *arg);

/* Waits for the job to end and hands its thread back for the next one;
 * fn's result. */
void *rl_task_join(rl_task *task);

/* CPUs this process may run on (taskset, cgroup cpusets), not all the
 * machine has; the machine's online ones where that cannot be told. */
long rl_usable_cpus(void);

/* Texts of this many bytes or more (two together, or one of two files)
 * are worth a second thread for their other half: below it, starting and
 * joining the thread costs about what it saves. */
#define RL_THREAD_MIN_BYTES ((size_t)64 << 10)

#endif
