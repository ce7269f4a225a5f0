/* SPDX-License-Identifier: Apache-2.0 */
/*  test_buf.c -- the byte buffer and the growth step of malloc'd arrays
    (proto/tlx_buf.h): appends keep a NUL after the bytes, printf grows,
    an array grows by doubling from its minimum with every element kept,
    and an impossible size leaves the caller's array untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_buf.h"
#include "tlx_error.h"

static void test_bytes(void **state)
{
    (void)state;
    tlx_buf_t b = TLX_BUF_INIT;
    assert_int_equal(tlx_buf_append(&b, "abc", 3), 0);
    assert_int_equal(tlx_buf_putc(&b, '-'), 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(tlx_buf_printf(&b, "%04d", i), 0);
    assert_int_equal(b.len, 4 + 4000);
    assert_int_equal(b.data[b.len], '\0');
    assert_memory_equal(b.data, "abc-0000", 8);
    assert_memory_equal(b.data + b.len - 4, "0999", 4);
    assert_int_equal(tlx_buf_reserve(&b, SIZE_MAX), TLX_ENOMEM);
    assert_int_equal(b.len, 4004); /* unchanged after the failure */
    tlx_buf_free(&b);
}

static void test_grow(void **state)
{
    (void)state;
    uint32_t *v = NULL;
    size_t n = 0, cap = 0;
    for (uint32_t i = 0; i < 5000; i++) {
        uint32_t *nv = tlx_buf_grow(v, n, &cap, sizeof *v, 16);
        assert_non_null(nv);
        if (v && n < 16)
            assert_ptr_equal(nv, v); /* room left: the same array */
        v = nv;
        v[n++] = i * 31u;
        assert_true(cap >= n);
    }
    assert_int_equal(cap, 8192); /* 16, 32, ... */
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(v[i], i * 31u);
    /* too big to allocate: NULL, the array and its capacity untouched */
    size_t c = cap;
    assert_null(tlx_buf_grow(v, cap, &c, SIZE_MAX / 4, 1)); /* full, and 2 * cap elements overflow */
    assert_int_equal(c, cap);
    assert_int_equal(v[n - 1], (n - 1) * 31u);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
