/* SPDX-License-Identifier: Apache-2.0 */
/*  test_mp.c -- the bounded msgpack reader's map lookups (proto/tlx_mp.h):
    a key is found wherever it sits, its value span is exact, absent keys,
    non-string keys, wrong value types, truncation and nesting limits come
    back as distinct codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <msgpack.h>

#include "tlx_error.h"
#include "tlx_mp.h"

static void s_str(msgpack_packer *pk, const char *s)
{
    msgpack_pack_str(pk, strlen(s));
    msgpack_pack_str_body(pk, s, strlen(s));
}

/* {"a": [1, {"x": 2}], 7: "seven", "id": "doc-1", "n": 42} */
static void s_sample(msgpack_sbuffer *sb)
{
    msgpack_sbuffer_init(sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 4);
    s_str(&pk, "a");
    msgpack_pack_array(&pk, 2);
    msgpack_pack_uint8(&pk, 1);
    msgpack_pack_map(&pk, 1);
    s_str(&pk, "x");
    msgpack_pack_uint8(&pk, 2);
    msgpack_pack_uint8(&pk, 7); /* a non-string key */
    s_str(&pk, "seven");
    s_str(&pk, "id");
    s_str(&pk, "doc-1");
    s_str(&pk, "n");
    msgpack_pack_uint64(&pk, 42);
}

static void test_find_typed(void **state)
{
    (void)state;
    msgpack_sbuffer sb;
    s_sample(&sb);
    tlx_mp_t c;
    tlx_mp_init(&c, sb.data, sb.size);
    const char *s;
    size_t len;
    uint64_t u;
    assert_int_equal(tlx_mp_map_str(&c, "id", 8, &s, &len), 0);
    assert_int_equal(len, 5);
    assert_memory_equal(s, "doc-1", 5);
    assert_int_equal(tlx_mp_map_uint(&c, "n", 8, &u), 0);
    assert_int_equal(u, 42);
    /* the cursor did not move: the map can be asked again */
    assert_ptr_equal(c.p, (const uint8_t *)sb.data);
    /* a key inside a nested map is not a top-level key */
    assert_int_equal(tlx_mp_map_find(&c, "x", 8, &(tlx_mp_t){0}), TLX_ENOTFOUND);
    assert_int_equal(tlx_mp_map_find(&c, "missing", 8, &(tlx_mp_t){0}), TLX_ENOTFOUND);
    /* found, but of another type */
    assert_int_equal(tlx_mp_map_uint(&c, "id", 8, &u), TLX_EMALFORMED);
    assert_int_equal(tlx_mp_map_str(&c, "n", 8, &s, &len), TLX_EMALFORMED);
    msgpack_sbuffer_destroy(&sb);
}

static void test_find_span(void **state)
{
    (void)state;
    msgpack_sbuffer sb;
    s_sample(&sb);
    tlx_mp_t c, v;
    tlx_mp_init(&c, sb.data, sb.size);
    assert_int_equal(tlx_mp_map_find(&c, "a", 8, &v), 0);
    /* the value is exactly [1, {"x": 2}]: 0x92 0x01 0x81 0xa1 'x' 0x02 */
    assert_int_equal(tlx_mp_left(&v), 6);
    assert_int_equal(v.p[0], 0x92);
    uint32_t n;
    assert_int_equal(tlx_mp_read_array(&v, &n), 0);
    assert_int_equal(n, 2);
    msgpack_sbuffer_destroy(&sb);
}

static void test_find_bad(void **state)
{
    (void)state;
    msgpack_sbuffer sb;
    s_sample(&sb);
    tlx_mp_t c, v;
    /* every truncation of the map either finds "n" missing or reports it malformed; never reads past */
    for (size_t cut = 0; cut < sb.size; cut++) {
        tlx_mp_init(&c, sb.data, cut);
        int rc = tlx_mp_map_find(&c, "n", 8, &v);
        assert_true(rc == TLX_EMALFORMED || rc == TLX_ENOTFOUND);
    }
    /* nesting deeper than allowed before the key */
    tlx_mp_init(&c, sb.data, sb.size);
    assert_int_equal(tlx_mp_map_find(&c, "n", 1, &v), TLX_ETOOBIG);
    /* not a map */
    const uint8_t arr[] = {0x91, 0x01};
    tlx_mp_init(&c, arr, sizeof arr);
    assert_int_equal(tlx_mp_map_find(&c, "n", 8, &v), TLX_EMALFORMED);
    msgpack_sbuffer_destroy(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_typed),
        cmocka_unit_test(test_find_span),
        cmocka_unit_test(test_find_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
