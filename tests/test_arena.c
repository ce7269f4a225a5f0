/* SPDX-License-Identifier: Apache-2.0 */
/*  test_arena.c -- the bump allocator: alignment, zeroing, copies, and what
    a reset keeps (the largest block, unless it is over 4 MiB). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_arena.h"

static void test_alloc(void **state)
{
    (void)state;
    tlx_arena_t *a = tlx_arena_new(64);
    assert_non_null(a);
    for (int i = 1; i < 2000; i++) {
        unsigned char *p = tlx_arena_alloc(a, (size_t)i);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 0xab, (size_t)i);
    }
    unsigned char *z = tlx_arena_calloc(a, 100, 7);
    for (int i = 0; i < 700; i++)
        assert_int_equal(z[i], 0);
    char *s = tlx_arena_strndup(a, "hello world", 5);
    assert_string_equal(s, "hello");
    assert_null(tlx_arena_alloc(a, SIZE_MAX - 8));
    tlx_arena_destroy(&a);
    assert_null(a);
    tlx_arena_destroy(&a); /* safe twice */
}

static void test_reset_keeps_one_block(void **state)
{
    (void)state;
    tlx_arena_t *a = tlx_arena_new(4096);
    for (int i = 0; i < 1000; i++)
        assert_non_null(tlx_arena_alloc(a, 1000));
    size_t held = tlx_arena_reserved(a);
    assert_true(held >= 1000 * 1000);
    tlx_arena_reset(a);
    assert_int_equal(tlx_arena_used(a), 0);
    size_t kept = tlx_arena_reserved(a);
    assert_true(kept > 0 && kept <= held);
    /* an article of the same size again needs no new block beyond what it had */
    for (int i = 0; i < 200; i++)
        assert_non_null(tlx_arena_alloc(a, 1000));
    assert_int_equal(tlx_arena_reserved(a), kept);
    tlx_arena_destroy(&a);
}

static void test_reset_frees_huge_blocks(void **state)
{
    (void)state;
    tlx_arena_t *a = tlx_arena_new(4096);
    assert_non_null(tlx_arena_alloc(a, 1000));
    assert_non_null(tlx_arena_alloc(a, (size_t)48 << 20)); /* one huge article */
    assert_true(tlx_arena_reserved(a) >= (size_t)48 << 20);
    tlx_arena_reset(a);
    assert_true(tlx_arena_reserved(a) <= (size_t)4 << 20);
    assert_non_null(tlx_arena_alloc(a, 100)); /* and it still works */
    tlx_arena_destroy(&a);
}

/* tlx_arena_grow: same array while there is room, doubling (from `min`)
   with the old elements copied when full; every pushed value survives. */
static void test_grow(void **state)
{
    (void)state;
    tlx_arena_t *a = tlx_arena_new(256);
    uint64_t *v = NULL;
    uint32_t n = 0, cap = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        uint64_t *nv = tlx_arena_grow(a, v, n, &cap, sizeof *v, 4);
        assert_non_null(nv);
        if (n < 4 && v)
            assert_ptr_equal(nv, v); /* room left: no copy */
        v = nv;
        v[n++] = (uint64_t)i * 7919u;
        assert_true(cap >= n);
        assert_true(cap == 4 || (cap & (cap - 1)) == 0); /* 4, 8, 16, ... */
    }
    assert_int_equal(cap, 1024);
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(v[i], (uint64_t)i * 7919u);
    /* a capacity that cannot double is refused, the caller's array kept */
    uint32_t huge = UINT32_MAX / 2 + 1;
    assert_null(tlx_arena_grow(a, v, huge, &huge, 1, 1));
    assert_int_equal(huge, UINT32_MAX / 2 + 1);
    /* an element size that would overflow the byte count is refused */
    uint32_t c8 = 8;
    assert_null(tlx_arena_grow(a, v, 8, &c8, SIZE_MAX / 8, 1));
    assert_int_equal(c8, 8);
    tlx_arena_destroy(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc),
        cmocka_unit_test(test_reset_keeps_one_block),
        cmocka_unit_test(test_reset_frees_huge_blocks),
        cmocka_unit_test(test_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
