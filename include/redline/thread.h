/* Starting a second thread for half of a job (the other side of a diff,
 * the other file of a compare). */
#ifndef REDLINE_THREAD_H
#define REDLINE_THREAD_H

#include <pthread.h>

/* pthread_create(tid, NULL, fn, arg), but started on another CPU than
 * the caller's when there is one the caller may use: left to the
 * scheduler, a new thread often waits on the caller's CPU until the
 * caller blocks, up to the whole job (1-3 ms of each 3 ms measured on a
 * 2-CPU virtual machine), and the halves run one after the other. The
 * thread is free to move again once it runs. Returns 0 or an errno,
 * like pthread_create. */
int rl_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg);

/* Texts of this many bytes or more (two together, or one of two files)
 * are worth a second thread for their other half: below it, starting and
 * joining the thread costs about what it saves. */
#define RL_THREAD_MIN_BYTES ((size_t)64 << 10)

#endif
