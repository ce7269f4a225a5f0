/* SPDX-License-Identifier: Apache-2.0 */
/*  test_mp.c -- the bounded msgpack reader's map lookups (proto/tlx_mp.h):
    a key is found wherever it sits, its value span is exact, absent keys,
    non-string keys, wrong value types, truncation and nesting limits come
    back as distinct codes; skipping agrees with the item reader. */
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

/* tlx_mp_skip as the item reader defines it: one tlx_mp_next per item. */
static int s_ref_skip(tlx_mp_t *c, int depth, int max_depth)
{
    tlx_mp_item_t it;
    int rc = tlx_mp_next(c, &it);
    if (rc)
        return rc;
    if (it.type != TLX_MP_ARRAY && it.type != TLX_MP_MAP)
        return 0;
    if (depth + 1 > max_depth)
        return TLX_ETOOBIG;
    uint64_t n = it.type == TLX_MP_MAP ? it.len * 2 : it.len;
    for (uint64_t i = 0; i < n; i++)
        if ((rc = s_ref_skip(c, depth + 1, max_depth)))
            return rc;
    return 0;
}

static uint32_t s_rand(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* A random item of every msgpack family, nested at most `depth` deep. */
static void s_rand_item(msgpack_packer *pk, uint32_t *x, int depth)
{
    static const char text[] = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789";
    switch (s_rand(x) % (depth > 0 ? 12 : 9)) {
    case 0:
        msgpack_pack_nil(pk);
        break;
    case 1:
        msgpack_pack_uint64(pk, (uint64_t)s_rand(x) << (s_rand(x) % 33));
        break;
    case 2:
        msgpack_pack_int64(pk, -(int64_t)(s_rand(x) >> (s_rand(x) % 32)));
        break;
    case 3:
        msgpack_pack_double(pk, 0.5);
        break;
    case 4:
        msgpack_pack_float(pk, 0.25f);
        break;
    case 5: {
        size_t l = s_rand(x) % 70;
        msgpack_pack_str_with_body(pk, text, l);
        break;
    }
    case 6:
        msgpack_pack_bin_with_body(pk, text, s_rand(x) % 40);
        break;
    case 7: {
        static const size_t ext[] = {1, 2, 4, 8, 16, 3, 20};
        msgpack_pack_ext_with_body(pk, text, ext[s_rand(x) % 7], 5);
        break;
    }
    case 8:
        msgpack_pack_true(pk);
        break;
    case 9:
    case 10: {
        uint32_t n = s_rand(x) % 4 == 0 ? 17 + s_rand(x) % 4 : s_rand(x) % 4;
        msgpack_pack_array(pk, n);
        for (uint32_t i = 0; i < n; i++)
            s_rand_item(pk, x, depth - 1);
        break;
    }
    default: {
        uint32_t n = s_rand(x) % 4 == 0 ? 16 + s_rand(x) % 3 : s_rand(x) % 3;
        msgpack_pack_map(pk, n);
        for (uint32_t i = 0; i < 2 * n; i++)
            s_rand_item(pk, x, depth - 1);
        break;
    }
    }
}

/* tlx_mp_skip decodes items from their tag byte alone: on random items,
   their truncations and single-byte corruptions it stops where the item
   reader stops, with the same code, at every depth limit. */
static void test_skip_like_next(void **state)
{
    (void)state;
    uint32_t x = 2463534242u;
    uint8_t buf[8192];
    for (int round = 0; round < 3000; round++) {
        msgpack_sbuffer sb;
        msgpack_sbuffer_init(&sb);
        msgpack_packer pk;
        msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
        s_rand_item(&pk, &x, 1 + round % 5);
        if (sb.size > sizeof buf) {
            msgpack_sbuffer_destroy(&sb);
            continue;
        }
        for (int variant = 0; variant < 8; variant++) {
            size_t len = sb.size;
            memcpy(buf, sb.data, len);
            if (variant == 1)
                len = s_rand(&x) % len; /* cut short */
            else if (variant >= 2)
                buf[s_rand(&x) % len] = (uint8_t)s_rand(&x); /* one byte changed */
            for (int max = 0; max <= 6; max++) {
                tlx_mp_t a, b;
                tlx_mp_init(&a, buf, len);
                tlx_mp_init(&b, buf, len);
                int ra = tlx_mp_skip(&a, max), rb = s_ref_skip(&b, 0, max);
                if (ra != rb || (ra == 0 && a.p != b.p))
                    fail_msg("round %d variant %d depth %d: skip %d at %td, reader %d at %td", round, variant,
                             max, ra, a.p - buf, rb, b.p - buf);
            }
        }
        msgpack_sbuffer_destroy(&sb);
    }
    /* every tag byte, alone and followed by zeros and by 0xff */
    for (int t = 0; t < 256; t++)
        for (int fill = 0; fill < 3; fill++)
            for (size_t len = 1; len <= 24; len++) {
                memset(buf, fill == 0 ? 0 : fill == 1 ? 0xff : 0x01, len);
                buf[0] = (uint8_t)t;
                tlx_mp_t a, b;
                tlx_mp_init(&a, buf, len);
                tlx_mp_init(&b, buf, len);
                int ra = tlx_mp_skip(&a, 3), rb = s_ref_skip(&b, 0, 3);
                if (ra != rb || (ra == 0 && a.p != b.p))
                    fail_msg("tag 0x%02x fill %d len %zu: skip %d, reader %d", t, fill, len, ra, rb);
            }
}

/* tlx_mp_peek names every tag byte's type as msgpack-c's own unpacker
   decodes it (each tag followed by zeros: a complete item), 0xc1 and an
   empty input as invalid. */
static void test_peek_every_tag(void **state)
{
    (void)state;
    uint8_t buf[64] = {0};
    tlx_mp_t c;
    tlx_mp_init(&c, buf, 0);
    assert_int_equal(tlx_mp_peek(&c), TLX_MP_INVALID);
    for (int t = 0; t < 256; t++) {
        buf[0] = (uint8_t)t;
        tlx_mp_init(&c, buf, sizeof buf);
        tlx_mp_type_t got = tlx_mp_peek(&c), want = TLX_MP_INVALID;
        msgpack_unpacked u;
        msgpack_unpacked_init(&u);
        size_t off = 0;
        if (msgpack_unpack_next(&u, (const char *)buf, sizeof buf, &off) == MSGPACK_UNPACK_SUCCESS) {
            switch (u.data.type) {
            case MSGPACK_OBJECT_NIL:
                want = TLX_MP_NIL;
                break;
            case MSGPACK_OBJECT_BOOLEAN:
                want = TLX_MP_BOOL;
                break;
            case MSGPACK_OBJECT_POSITIVE_INTEGER:
                want = TLX_MP_UINT;
                break;
            case MSGPACK_OBJECT_NEGATIVE_INTEGER:
                /* int8..int64 holding 0 decode as positive; the tag is a signed one */
                want = TLX_MP_INT;
                break;
            case MSGPACK_OBJECT_FLOAT32:
            case MSGPACK_OBJECT_FLOAT64:
                want = TLX_MP_FLOAT;
                break;
            case MSGPACK_OBJECT_STR:
                want = TLX_MP_STR;
                break;
            case MSGPACK_OBJECT_BIN:
                want = TLX_MP_BIN;
                break;
            case MSGPACK_OBJECT_ARRAY:
                want = TLX_MP_ARRAY;
                break;
            case MSGPACK_OBJECT_MAP:
                want = TLX_MP_MAP;
                break;
            case MSGPACK_OBJECT_EXT:
                want = TLX_MP_EXT;
                break;
            }
        }
        msgpack_unpacked_destroy(&u);
        if (t >= 0xd0 && t <= 0xd3)
            want = TLX_MP_INT; /* int 8/16/32/64 */
        if (got != want)
            fail_msg("tag 0x%02x: peek %d, msgpack-c %d", t, (int)got, (int)want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_typed),     cmocka_unit_test(test_find_span),
        cmocka_unit_test(test_find_bad),       cmocka_unit_test(test_skip_like_next),
        cmocka_unit_test(test_peek_every_tag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
