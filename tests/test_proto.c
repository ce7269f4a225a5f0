/* SPDX-License-Identifier: Apache-2.0 */
/*  test_proto.c -- envelope/ack codec: limits and every reject reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <msgpack.h>

#include "tlx_json.h"
#include "tlx_mp.h"
#include "tlx_proto.h"

static tlx_limits_t s_lim;

static int s_decode(const void *buf, size_t len, tlx_envelope_t *env, tlx_reject_t *why)
{
    char detail[256];
    int rc = tlx_envelope_decode(buf, len, &s_lim, env, why, detail, sizeof detail);
    if (rc)
        assert_true(strlen(detail) > 10); /* every reject explains itself */
    return rc;
}

/* Packs {v, producer, seq, text} plus an optional extra key. */
static void s_pack_env(msgpack_sbuffer *sb, unsigned v, const char *text, size_t tlen, int text_as_int)
{
    msgpack_packer pk;
    msgpack_sbuffer_init(sb);
    msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 4);
    msgpack_pack_str_with_body(&pk, "v", 1);
    msgpack_pack_unsigned_int(&pk, v);
    msgpack_pack_str_with_body(&pk, "producer", 8);
    msgpack_pack_str_with_body(&pk, "p1", 2);
    msgpack_pack_str_with_body(&pk, "seq", 3);
    msgpack_pack_uint64(&pk, 7);
    msgpack_pack_str_with_body(&pk, "text", 4);
    if (text_as_int)
        msgpack_pack_int(&pk, 42);
    else
        msgpack_pack_str_with_body(&pk, text, tlen);
}

static void test_valid_envelope(void **state)
{
    (void)state;
    tlx_envelope_t env = {.v = 1,
                          .producer = {"prod", 4},
                          .seq = 99,
                          .text = {"Hello world", 11},
                          .id = {"ext-1", 5},
                          .source = {"dailynk", 7},
                          .received_at = 1700000000000ull};
    tlx_buf_t b = TLX_BUF_INIT;
    assert_int_equal(tlx_envelope_encode(&env, &b), 0);
    tlx_envelope_t out;
    tlx_reject_t why;
    assert_int_equal(s_decode(b.data, b.len, &out, &why), 0);
    assert_int_equal(out.seq, 99);
    assert_int_equal(out.text.len, 11);
    assert_memory_equal(out.text.p, "Hello world", 11);
    assert_memory_equal(out.id.p, "ext-1", 5);
    assert_memory_equal(out.source.p, "dailynk", 7);
    assert_int_equal(out.received_at, 1700000000000ull);
    tlx_buf_free(&b);
}

static void test_not_msgpack(void **state)
{
    (void)state;
    tlx_envelope_t env;
    tlx_reject_t why;
    const char *garbage = "this is not msgpack at all";
    assert_int_equal(s_decode(garbage, strlen(garbage), &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_NOT_MSGPACK);
    const uint8_t c1[] = {0xc1};
    assert_int_equal(s_decode(c1, 1, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_NOT_MSGPACK);
    assert_int_equal(s_decode("", 0, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_NOT_MSGPACK);
}

static void test_huge_headers(void **state)
{
    (void)state;
    tlx_envelope_t env;
    tlx_reject_t why;
    const uint8_t arr32[] = {0xdd, 0xff, 0xff, 0xff, 0xff};
    assert_int_equal(s_decode(arr32, sizeof arr32, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_NOT_MSGPACK);
    const uint8_t map32[] = {0xdf, 0xff, 0xff, 0xff, 0xff};
    assert_int_equal(s_decode(map32, sizeof map32, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_NOT_MSGPACK);
    /* {"text": str32 claiming 1 GiB with 3 bytes present} */
    const uint8_t str32[] = {0x81, 0xa4, 't', 'e', 'x', 't', 0xdb, 0x40, 0x00, 0x00, 0x00, 'a', 'b', 'c'};
    assert_int_equal(s_decode(str32, sizeof str32, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_NOT_MSGPACK);
}

static void test_not_a_map(void **state)
{
    (void)state;
    tlx_envelope_t env;
    tlx_reject_t why;
    const uint8_t arr[] = {0x93, 0x01, 0x02, 0x03};
    assert_int_equal(s_decode(arr, sizeof arr, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_NOT_A_MAP);
}

static void test_missing_and_types(void **state)
{
    (void)state;
    tlx_envelope_t env;
    tlx_reject_t why;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 3);
    msgpack_pack_str_with_body(&pk, "v", 1);
    msgpack_pack_uint8(&pk, 1);
    msgpack_pack_str_with_body(&pk, "producer", 8);
    msgpack_pack_str_with_body(&pk, "p", 1);
    msgpack_pack_str_with_body(&pk, "seq", 3);
    msgpack_pack_uint8(&pk, 1);
    assert_int_equal(s_decode(sb.data, sb.size, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_MISSING_FIELD);
    msgpack_sbuffer_destroy(&sb);

    s_pack_env(&sb, 1, NULL, 0, 1);
    assert_int_equal(s_decode(sb.data, sb.size, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_BAD_TYPE);
    msgpack_sbuffer_destroy(&sb);

    s_pack_env(&sb, 99, "text", 4, 0);
    assert_int_equal(s_decode(sb.data, sb.size, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_BAD_VERSION);
    assert_int_equal(env.seq, 7); /* rejected before `seq` was reached: still echoed */
    msgpack_sbuffer_destroy(&sb);

    s_pack_env(&sb, 1, "", 0, 0);
    assert_int_equal(s_decode(sb.data, sb.size, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_EMPTY_TEXT);
    assert_int_equal(env.seq, 7);
    msgpack_sbuffer_destroy(&sb);

    s_pack_env(&sb, 1, " \n\t \r\n", 6, 0);
    assert_int_equal(s_decode(sb.data, sb.size, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_EMPTY_TEXT);
    msgpack_sbuffer_destroy(&sb);
}

/* A reject echoes the seq wherever it stands in the map, past keys that are
   not strings and nested values; a seq that is not a uint reads as 0. */
static void test_reject_keeps_seq(void **state)
{
    (void)state;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 5);
    msgpack_pack_array(&pk, 1), msgpack_pack_int(&pk, 1), msgpack_pack_int(&pk, 2); /* [1]: 2 */
    msgpack_pack_str_with_body(&pk, "meta", 4), msgpack_pack_map(&pk, 1);
    msgpack_pack_str_with_body(&pk, "k", 1), msgpack_pack_str_with_body(&pk, "v", 1);
    msgpack_pack_str_with_body(&pk, "text", 4), msgpack_pack_int(&pk, 42);
    msgpack_pack_str_with_body(&pk, "seq", 3), msgpack_pack_uint64(&pk, 123456789012ull);
    msgpack_pack_str_with_body(&pk, "v", 1), msgpack_pack_int(&pk, 1);
    tlx_envelope_t env;
    tlx_reject_t why;
    assert_int_equal(s_decode(sb.data, sb.size, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_BAD_TYPE);
    assert_true(env.seq == 123456789012ull);
    msgpack_sbuffer_destroy(&sb);

    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 2);
    msgpack_pack_str_with_body(&pk, "seq", 3), msgpack_pack_str_with_body(&pk, "7", 1);
    msgpack_pack_str_with_body(&pk, "text", 4), msgpack_pack_str_with_body(&pk, "t", 1);
    assert_int_equal(s_decode(sb.data, sb.size, &env, &why), TLX_EMALFORMED);
    assert_int_equal(env.seq, 0);
    msgpack_sbuffer_destroy(&sb);
}

static void test_deep_meta(void **state)
{
    (void)state;
    tlx_envelope_t env;
    tlx_reject_t why;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 5);
    msgpack_pack_str_with_body(&pk, "v", 1);
    msgpack_pack_uint8(&pk, 1);
    msgpack_pack_str_with_body(&pk, "producer", 8);
    msgpack_pack_str_with_body(&pk, "p", 1);
    msgpack_pack_str_with_body(&pk, "seq", 3);
    msgpack_pack_uint8(&pk, 1);
    msgpack_pack_str_with_body(&pk, "text", 4);
    msgpack_pack_str_with_body(&pk, "hi", 2);
    msgpack_pack_str_with_body(&pk, "meta", 4);
    for (int i = 0; i < 200; i++) {
        msgpack_pack_map(&pk, 1);
        msgpack_pack_str_with_body(&pk, "k", 1);
    }
    msgpack_pack_str_with_body(&pk, "leaf", 4);
    assert_int_equal(s_decode(sb.data, sb.size, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_TOO_BIG);
    msgpack_sbuffer_destroy(&sb);
}

static void test_text_too_big(void **state)
{
    (void)state;
    size_t n = 12u << 20;
    char *big = malloc(n);
    memset(big, 'a', n);
    msgpack_sbuffer sb;
    s_pack_env(&sb, 1, big, n, 0);
    tlx_envelope_t env;
    tlx_reject_t why;
    assert_int_equal(s_decode(sb.data, sb.size, &env, &why), TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_TOO_BIG);
    msgpack_sbuffer_destroy(&sb);
    free(big);
}

/* An id is a key of the store (`ids`, and after one prefix byte `dedup`),
   and LMDB keys hold at most 511 bytes: a longer id is rejected too_big
   here, or every write batch it joins would fail and answer its
   neighbours busy at each re-send. */
static void test_id_too_long(void **state)
{
    (void)state;
    char id[TLX_ENV_ID_MAX + 2];
    memset(id, 'i', sizeof id);
    for (size_t n = TLX_ENV_ID_MAX; n <= TLX_ENV_ID_MAX + 1; n++) {
        tlx_envelope_t env = {.v = 1, .producer = {"p", 1}, .seq = 1, .text = {"Hello", 5}, .id = {id, n}};
        tlx_buf_t b = TLX_BUF_INIT;
        assert_int_equal(tlx_envelope_encode(&env, &b), 0);
        tlx_envelope_t out;
        tlx_reject_t why;
        int rc = s_decode(b.data, b.len, &out, &why);
        if (n == TLX_ENV_ID_MAX) {
            assert_int_equal(rc, 0);
            assert_int_equal(out.id.len, n);
        } else {
            assert_int_equal(rc, TLX_EMALFORMED);
            assert_int_equal(why, TLX_REJ_TOO_BIG);
        }
        tlx_buf_free(&b);
    }
}

static void test_invalid_utf8_is_accepted(void **state)
{
    (void)state;
    const char bad[] = "caf\xc3 \xff\xfe nul\0inside";
    msgpack_sbuffer sb;
    s_pack_env(&sb, 1, bad, sizeof bad - 1, 0);
    tlx_envelope_t env;
    tlx_reject_t why;
    assert_int_equal(s_decode(sb.data, sb.size, &env, &why), 0);
    assert_int_equal(env.text.len, sizeof bad - 1);
    msgpack_sbuffer_destroy(&sb);
}

static void test_ack_roundtrip(void **state)
{
    (void)state;
    tlx_ack_t a = {
        .seq = 12345, .status = TLX_ACK_REJECTED, .error = {"too_big", 7}, .detail = {"it is big", 9}};
    tlx_buf_t b = TLX_BUF_INIT;
    assert_int_equal(tlx_ack_encode(&a, &b), 0);
    tlx_ack_t d;
    assert_int_equal(tlx_ack_decode(b.data, b.len, &d), 0);
    assert_int_equal(d.seq, 12345);
    assert_int_equal(d.status, TLX_ACK_REJECTED);
    assert_memory_equal(d.error.p, "too_big", 7);
    assert_memory_equal(d.detail.p, "it is big", 9);
    /* every truncation of a valid ack fails cleanly */
    for (size_t i = 0; i < b.len; i++)
        assert_int_equal(tlx_ack_decode(b.data, i, &d), TLX_EMALFORMED);
    tlx_buf_free(&b);
}

static void test_truncations_never_crash(void **state)
{
    (void)state;
    tlx_envelope_t env = {.v = 1, .producer = {"prod", 4}, .seq = 1, .text = {"Hello", 5}, .id = {"x", 1}};
    tlx_buf_t b = TLX_BUF_INIT;
    tlx_envelope_encode(&env, &b);
    for (size_t i = 0; i < b.len; i++) {
        tlx_envelope_t out;
        tlx_reject_t why;
        assert_int_equal(s_decode(b.data, i, &out, &why), TLX_EMALFORMED);
        assert_int_not_equal(why, TLX_REJ_NONE);
    }
    tlx_buf_free(&b);
}

/* The optional `format` key: "text", "html", nil; anything else is bad_type. */
static void test_format(void **state)
{
    (void)state;
    tlx_envelope_t env = {
        .v = 1, .producer = {"prod", 4}, .seq = 1, .text = {"<p>x</p>", 8}, .format = TLX_ENV_FORMAT_HTML};
    tlx_buf_t b = TLX_BUF_INIT;
    assert_int_equal(tlx_envelope_encode(&env, &b), 0);
    tlx_envelope_t out;
    tlx_reject_t why;
    assert_int_equal(s_decode(b.data, b.len, &out, &why), 0);
    assert_int_equal(out.format, TLX_ENV_FORMAT_HTML);
    b.len = 0;
    env.format = TLX_ENV_FORMAT_TEXT;
    assert_int_equal(tlx_envelope_encode(&env, &b), 0);
    assert_int_equal(s_decode(b.data, b.len, &out, &why), 0);
    assert_int_equal(out.format, TLX_ENV_FORMAT_TEXT);
    b.len = 0;
    env.format = TLX_ENV_FORMAT_NONE; /* absent: not encoded, decoded as none */
    assert_int_equal(tlx_envelope_encode(&env, &b), 0);
    assert_null(memmem(b.data, b.len, "format", 6));
    assert_int_equal(s_decode(b.data, b.len, &out, &why), 0);
    assert_int_equal(out.format, TLX_ENV_FORMAT_NONE);
    tlx_buf_free(&b);

    /* hand-packed values: nil is absent; another string or type is rejected bad_type */
    for (int k = 0; k < 5; k++) {
        msgpack_sbuffer sb;
        msgpack_packer pk;
        msgpack_sbuffer_init(&sb);
        msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
        msgpack_pack_map(&pk, 5);
        msgpack_pack_str_with_body(&pk, "v", 1);
        msgpack_pack_unsigned_int(&pk, 1);
        msgpack_pack_str_with_body(&pk, "producer", 8);
        msgpack_pack_str_with_body(&pk, "p1", 2);
        msgpack_pack_str_with_body(&pk, "seq", 3);
        msgpack_pack_uint64(&pk, 7);
        msgpack_pack_str_with_body(&pk, "text", 4);
        msgpack_pack_str_with_body(&pk, "hello", 5);
        msgpack_pack_str_with_body(&pk, "format", 6);
        switch (k) {
        case 0:
            msgpack_pack_nil(&pk);
            break;
        case 1:
            msgpack_pack_str_with_body(&pk, "xml", 3);
            break;
        case 2:
            msgpack_pack_str_with_body(&pk, "HTML", 4);
            break;
        case 3:
            msgpack_pack_int(&pk, 2);
            break;
        default:
            msgpack_pack_str_with_body(&pk, "htmlx", 5);
            break;
        }
        int rc = s_decode(sb.data, sb.size, &out, &why);
        if (k == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(out.format, TLX_ENV_FORMAT_NONE);
        } else {
            assert_int_equal(rc, TLX_EMALFORMED);
            assert_int_equal(why, TLX_REJ_BAD_TYPE);
        }
        msgpack_sbuffer_destroy(&sb);
    }
}

static void test_json(void **state)
{
    (void)state;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 3);
    msgpack_pack_str_with_body(&pk, "a", 1);
    msgpack_pack_str_with_body(&pk, "q\"\n\x01\xff", 5);
    msgpack_pack_str_with_body(&pk, "b", 1);
    msgpack_pack_array(&pk, 2);
    msgpack_pack_int(&pk, -3);
    msgpack_pack_double(&pk, 0.5);
    msgpack_pack_str_with_body(&pk, "c", 1);
    msgpack_pack_nil(&pk);
    tlx_buf_t b = TLX_BUF_INIT;
    assert_int_equal(tlx_json_from_msgpack(sb.data, sb.size, 0, &b), 0);
    assert_string_equal(b.data, "{\"a\":\"q\\\"\\n\\u0001\xef\xbf\xbd\",\"b\":[-3,0.5],\"c\":null}");
    tlx_buf_free(&b);
    msgpack_sbuffer_destroy(&sb);
}

int main(void)
{
    tlx_limits_default(&s_lim);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_envelope),
        cmocka_unit_test(test_not_msgpack),
        cmocka_unit_test(test_huge_headers),
        cmocka_unit_test(test_not_a_map),
        cmocka_unit_test(test_missing_and_types),
        cmocka_unit_test(test_deep_meta),
        cmocka_unit_test(test_reject_keeps_seq),
        cmocka_unit_test(test_text_too_big),
        cmocka_unit_test(test_id_too_long),
        cmocka_unit_test(test_invalid_utf8_is_accepted),
        cmocka_unit_test(test_ack_roundtrip),
        cmocka_unit_test(test_truncations_never_crash),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
