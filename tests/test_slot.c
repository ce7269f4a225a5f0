/* SPDX-License-Identifier: Apache-2.0 */
/*  test_slot.c -- the refcounted publish slot: a version lives while a
    reader holds it, is freed exactly once with its last reference, and
    concurrent readers and a publisher neither lose nor double-free one. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tlx_slot.h"

static atomic_int s_freed;

typedef struct {
    int version;
    tlx_ref_t ref; /* not the first member: the container conversion must use offsetof */
} thing_t;

static void s_thing_free(tlx_ref_t *ref)
{
    thing_t *t = TLX_REF_CONTAINER(ref, thing_t, ref);
    atomic_fetch_add(&s_freed, 1);
    free(t);
}

static thing_t *s_thing(int version)
{
    thing_t *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->version = version;
    tlx_ref_init(&t->ref, s_thing_free);
    return t;
}

static thing_t *s_acquire(tlx_slot_t *slot)
{
    tlx_ref_t *ref = tlx_slot_acquire(slot);
    return TLX_REF_CONTAINER(ref, thing_t, ref);
}

static void test_empty_slot(void **state)
{
    (void)state;
    tlx_slot_t slot;
    tlx_slot_init(&slot);
    assert_null(tlx_slot_acquire(&slot));
    tlx_ref_release(NULL);
    tlx_slot_fini(&slot);
}

static void test_old_version_lives_while_held(void **state)
{
    (void)state;
    atomic_store(&s_freed, 0);
    tlx_slot_t slot;
    tlx_slot_init(&slot);
    tlx_slot_publish(&slot, &s_thing(1)->ref);
    thing_t *held = s_acquire(&slot);
    assert_non_null(held);
    assert_int_equal(held->version, 1);

    tlx_slot_publish(&slot, &s_thing(2)->ref);
    assert_int_equal(atomic_load(&s_freed), 0); /* the reader still has version 1 */
    assert_int_equal(held->version, 1);
    thing_t *now = s_acquire(&slot);
    assert_int_equal(now->version, 2);
    tlx_ref_release(&held->ref);
    assert_int_equal(atomic_load(&s_freed), 1);

    tlx_slot_publish(&slot, NULL); /* empties the slot; version 2 still held */
    assert_null(tlx_slot_acquire(&slot));
    assert_int_equal(atomic_load(&s_freed), 1);
    tlx_ref_release(&now->ref);
    assert_int_equal(atomic_load(&s_freed), 2);

    tlx_slot_publish(&slot, &s_thing(3)->ref);
    tlx_slot_fini(&slot); /* drops the slot's reference */
    assert_int_equal(atomic_load(&s_freed), 3);
}

#define READERS 4
#define VERSIONS 2000

static void *s_reader(void *arg)
{
    tlx_slot_t *slot = arg;
    int last = 0, bad = 0;
    for (int i = 0; i < VERSIONS * 5; i++) {
        thing_t *t = s_acquire(slot);
        if (t) {
            if (t->version < last) /* versions only move forward */
                bad++;
            last = t->version;
            tlx_ref_release(&t->ref);
        }
    }
    return (void *)(intptr_t)bad;
}

static void test_concurrent_readers(void **state)
{
    (void)state;
    atomic_store(&s_freed, 0);
    tlx_slot_t slot;
    tlx_slot_init(&slot);
    pthread_t th[READERS];
    for (int i = 0; i < READERS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, s_reader, &slot), 0);
    for (int v = 1; v <= VERSIONS; v++)
        tlx_slot_publish(&slot, &s_thing(v)->ref);
    for (int i = 0; i < READERS; i++) {
        void *bad;
        assert_int_equal(pthread_join(th[i], &bad), 0);
        assert_int_equal((intptr_t)bad, 0);
    }
    assert_int_equal(atomic_load(&s_freed), VERSIONS - 1); /* all but the current one */
    tlx_slot_fini(&slot);
    assert_int_equal(atomic_load(&s_freed), VERSIONS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_slot),
        cmocka_unit_test(test_old_version_lives_while_held),
        cmocka_unit_test(test_concurrent_readers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
