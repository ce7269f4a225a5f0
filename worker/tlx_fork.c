/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_fork.c -- fork-join with one helper thread (see tlx_fork.h).

    The helper sleeps on a condition variable between batches.  A batch is
    a counter of claimed items; both threads take items from it until it
    passes n.  The join never waits for the helper to start: a batch the
    helper has not begun is taken back under the lock (state PENDING ->
    IDLE), so the owner waits at most for the one item the helper runs.
    tlx_fork_wait lets the owner consume items in order as they finish
    (a flag per item): it claims the item itself when the helper has not
    got there, and while the helper runs the one it needs it runs the
    next unclaimed ones; it spins only when nothing is left to claim.

    Rejected: spinning on the counter in the join (a helper preempted in
    the middle of an item would cost the owner a whole time slice of
    spinning on a two-core machine); a pool of helpers (telexd's engine
    thread uses one, and there are two cores).
*/
#include "tlx_fork.h"

#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { IDLE, PENDING, RUNNING };

/* tlx_fork_wait's spin on the item the helper runs once nothing is left
   to claim, in pause instructions (~40 ns each on recent x86): ~10 us,
   about one 3 KB envelope's decode and hash.  Longer (a big item, or a
   helper preempted in it) it waits on the join's condition variable:
   spinning would take a core from the other threads of a two-core box. */
#define SPIN_MAX 250
#if defined(__x86_64__) || defined(__i386__)
#define CPU_RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

struct tlx_fork {
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t work_cv; /* the helper waits for a batch */
    pthread_cond_t idle_cv; /* the owner waits for the helper's last item */
    tlx_fork_fn fn;
    void *ctx;
    int n;
    int next;            /* the next item to claim (atomic) */
    unsigned char *done; /* per item of the batch: it has run (atomic) */
    int cap;             /* of done */
    int state;
    bool open, stop;
    unsigned long long helped; /* atomic */
};

/* Claims and runs items until none is left; returns how many it ran. */
static unsigned long long s_run(tlx_fork_t *self)
{
    unsigned long long ran = 0;
    for (;;) {
        int i = __atomic_fetch_add(&self->next, 1, __ATOMIC_RELAXED);
        if (i >= self->n)
            return ran;
        self->fn(self->ctx, i);
        __atomic_store_n(&self->done[i], 1, __ATOMIC_RELEASE);
        ran++;
    }
}

static void *s_main(void *arg)
{
    tlx_fork_t *self = arg;
    pthread_mutex_lock(&self->mu);
    for (;;) {
        while (!self->stop && self->state != PENDING)
            pthread_cond_wait(&self->work_cv, &self->mu);
        if (self->stop)
            break;
        self->state = RUNNING;
        pthread_mutex_unlock(&self->mu);
        unsigned long long ran = s_run(self);
        __atomic_fetch_add(&self->helped, ran, __ATOMIC_RELAXED);
        pthread_mutex_lock(&self->mu);
        self->state = IDLE;
        pthread_cond_signal(&self->idle_cv);
    }
    pthread_mutex_unlock(&self->mu);
    return NULL;
}

tlx_fork_t *tlx_fork_new(void)
{
    tlx_fork_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    pthread_mutex_init(&self->mu, NULL);
    pthread_cond_init(&self->work_cv, NULL);
    pthread_cond_init(&self->idle_cv, NULL);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&self->tid, NULL, s_main, self);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        pthread_cond_destroy(&self->idle_cv);
        pthread_cond_destroy(&self->work_cv);
        pthread_mutex_destroy(&self->mu);
        free(self);
        return NULL;
    }
    return self;
}

void tlx_fork_destroy(tlx_fork_t **self_p)
{
    tlx_fork_t *self = *self_p;
    if (!self)
        return;
    tlx_fork_join(self);
    pthread_mutex_lock(&self->mu);
    self->stop = true;
    pthread_cond_signal(&self->work_cv);
    pthread_mutex_unlock(&self->mu);
    pthread_join(self->tid, NULL);
    pthread_cond_destroy(&self->idle_cv);
    pthread_cond_destroy(&self->work_cv);
    pthread_mutex_destroy(&self->mu);
    free(self->done);
    free(self);
    *self_p = NULL;
}

void tlx_fork_start(tlx_fork_t *self, tlx_fork_fn fn, void *ctx, int n)
{
    if (self && n > self->cap) {
        unsigned char *d = realloc(self->done, (size_t)n);
        if (d) {
            self->done = d;
            self->cap = n;
        }
    }
    if (!self || n > self->cap) { /* no helper (or no memory for the flags): run them now */
        for (int i = 0; i < n; i++)
            fn(ctx, i);
        return;
    }
    if (n > 0) /* done is NULL until the first batch of items */
        memset(self->done, 0, (size_t)n);
    pthread_mutex_lock(&self->mu);
    self->fn = fn;
    self->ctx = ctx;
    self->n = n;
    self->next = 0;
    self->open = true;
    if (n > 0) {
        self->state = PENDING;
        pthread_cond_signal(&self->work_cv);
    }
    pthread_mutex_unlock(&self->mu);
}

void tlx_fork_join(tlx_fork_t *self)
{
    if (!self || !self->open)
        return;
    s_run(self);
    pthread_mutex_lock(&self->mu);
    if (self->state == PENDING) /* the helper has not begun: nothing of it to wait for */
        self->state = IDLE;
    while (self->state == RUNNING)
        pthread_cond_wait(&self->idle_cv, &self->mu);
    self->open = false;
    pthread_mutex_unlock(&self->mu);
}

void tlx_fork_wait(tlx_fork_t *self, int i)
{
    if (!self || !self->open)
        return;
    assert(i >= 0 && i < self->n);
    if (__atomic_load_n(&self->done[i], __ATOMIC_ACQUIRE))
        return;
    int expect = i;
    if (__atomic_compare_exchange_n(&self->next, &expect, i + 1, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
        self->fn(self->ctx, i); /* nobody had claimed it: the helper goes on after it */
        self->done[i] = 1;
        return;
    }
    if (expect < i) { /* items before i unclaimed: the caller is out of order */
        tlx_fork_join(self);
        return;
    }
    /* the helper runs item i: meanwhile run items nobody has claimed yet
       (this thread needs them next), then spin briefly for item i */
    for (;;) {
        if (__atomic_load_n(&self->done[i], __ATOMIC_ACQUIRE))
            return;
        int j = __atomic_fetch_add(&self->next, 1, __ATOMIC_RELAXED);
        if (j >= self->n)
            break;
        self->fn(self->ctx, j);
        __atomic_store_n(&self->done[j], 1, __ATOMIC_RELEASE);
    }
    for (int spin = 0; spin < SPIN_MAX; spin++) {
        if (__atomic_load_n(&self->done[i], __ATOMIC_ACQUIRE))
            return;
        CPU_RELAX();
    }
    tlx_fork_join(self); /* the helper lost its core, or a long item: wait on the condition variable */
}

int tlx_fork_open(const tlx_fork_t *self)
{
    return self && self->open;
}

unsigned long long tlx_fork_helped(const tlx_fork_t *self)
{
    return self ? __atomic_load_n(&self->helped, __ATOMIC_RELAXED) : 0;
}
