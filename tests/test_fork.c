/* SPDX-License-Identifier: Apache-2.0 */
/*  test_fork.c -- fork-join with one helper: every item of every batch runs
    exactly once, its writes are visible after the join, the helper really
    takes items, and a missing helper (NULL) runs them on the caller. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_fork.h"

enum { NMAX = 300 };

typedef struct {
    int runs[NMAX];
    uint64_t out[NMAX];
} batch_t;

static void s_item(void *ctx, int i)
{
    batch_t *b = ctx;
    __atomic_fetch_add(&b->runs[i], 1, __ATOMIC_RELAXED);
    uint64_t x = (uint64_t)i * 0x9e3779b97f4a7c15ull;
    for (int k = 0; k < 50; k++)
        x ^= x >> 13, x *= 0xbf58476d1ce4e5b9ull;
    b->out[i] = x; /* a plain write: the join must publish it */
}

static uint64_t s_expect(int i)
{
    batch_t b;
    s_item(&b, i);
    return b.out[i];
}

static void test_every_item_once(void **state)
{
    (void)state;
    tlx_fork_t *f = tlx_fork_new();
    assert_non_null(f);
    batch_t *b = malloc(sizeof *b);
    assert_non_null(b);
    for (int round = 0; round < 2000; round++) {
        int n = (round * 37) % NMAX; /* 0 too */
        memset(b, 0, sizeof *b);
        tlx_fork_start(f, s_item, b, n);
        assert_int_equal(tlx_fork_open(f), 1);
        if (round % 3 == 0)
            for (volatile int k = 0; k < 1000; k++) /* the owner busy elsewhere meanwhile */
                ;
        tlx_fork_join(f);
        assert_int_equal(tlx_fork_open(f), 0);
        tlx_fork_join(f); /* a second join is a no-op */
        for (int i = 0; i < NMAX; i++)
            assert_int_equal(b->runs[i], i < n);
        for (int i = 0; i < n; i++)
            assert_true(b->out[i] == s_expect(i));
    }
    free(b);
    tlx_fork_destroy(&f);
    assert_null(f);
    tlx_fork_destroy(&f); /* safe twice */
}

/* The owner consumes items in order as they finish (tlx_fork_wait): each
   one has run exactly once and its writes are visible when the wait
   returns, whoever ran it; the join after it runs nothing again. */
static void test_wait_in_order(void **state)
{
    (void)state;
    tlx_fork_t *f = tlx_fork_new();
    assert_non_null(f);
    batch_t *b = malloc(sizeof *b);
    assert_non_null(b);
    for (int round = 0; round < 2000; round++) {
        int n = 1 + (round * 53) % (NMAX - 1);
        memset(b, 0, sizeof *b);
        tlx_fork_start(f, s_item, b, n);
        for (int i = 0; i < n; i++) {
            tlx_fork_wait(f, i);
            assert_int_equal(__atomic_load_n(&b->runs[i], __ATOMIC_RELAXED), 1);
            assert_true(b->out[i] == s_expect(i));
            if (round % 5 == 0 && i % 7 == 0)
                for (volatile int k = 0; k < 500; k++) /* applying it: the helper gets ahead */
                    ;
        }
        tlx_fork_join(f);
        for (int i = 0; i < NMAX; i++)
            assert_int_equal(b->runs[i], i < n);
    }
    tlx_fork_wait(f, 0); /* no batch open: a no-op */
    tlx_fork_wait(NULL, 0);
    free(b);
    tlx_fork_destroy(&f);
}

/* Two items that each wait until both have begun: neither thread can run
   both, so one runs on the helper whoever claims first. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int begun;
    pthread_t who[2];
} meet_t;

static void s_meet(void *ctx, int i)
{
    meet_t *m = ctx;
    pthread_mutex_lock(&m->mu);
    m->who[i] = pthread_self();
    m->begun++;
    pthread_cond_broadcast(&m->cv);
    while (m->begun < 2)
        pthread_cond_wait(&m->cv, &m->mu);
    pthread_mutex_unlock(&m->mu);
}

static void test_helper_takes_items(void **state)
{
    (void)state;
    tlx_fork_t *f = tlx_fork_new();
    assert_non_null(f);
    for (int round = 1; round <= 20; round++) {
        meet_t m = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
        tlx_fork_start(f, s_meet, &m, 2);
        tlx_fork_join(f);
        assert_int_equal(m.begun, 2);
        assert_false(pthread_equal(m.who[0], m.who[1]));
        assert_true(pthread_equal(m.who[0], pthread_self()) || pthread_equal(m.who[1], pthread_self()));
        assert_int_equal(tlx_fork_helped(f), (unsigned long long)round);
    }
    tlx_fork_destroy(&f);
}

static void test_no_helper(void **state)
{
    (void)state;
    batch_t *b = calloc(1, sizeof *b);
    assert_non_null(b);
    tlx_fork_start(NULL, s_item, b, 10); /* runs now */
    for (int i = 0; i < 10; i++)
        assert_int_equal(b->runs[i], 1);
    assert_int_equal(tlx_fork_open(NULL), 0);
    tlx_fork_join(NULL);
    assert_int_equal(tlx_fork_helped(NULL), 0);
    free(b);
}

static void test_destroy_joins(void **state)
{
    (void)state;
    tlx_fork_t *f = tlx_fork_new();
    assert_non_null(f);
    batch_t *b = calloc(1, sizeof *b);
    assert_non_null(b);
    tlx_fork_start(f, s_item, b, NMAX);
    tlx_fork_destroy(&f); /* joins the open batch first */
    for (int i = 0; i < NMAX; i++)
        assert_int_equal(b->runs[i], 1);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_item_once), cmocka_unit_test(test_helper_takes_items),
        cmocka_unit_test(test_wait_in_order),   cmocka_unit_test(test_no_helper),
        cmocka_unit_test(test_destroy_joins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
