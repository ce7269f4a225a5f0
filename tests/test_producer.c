/* SPDX-License-Identifier: Apache-2.0 */
/*  test_producer.c -- the producer library's meta packing: what it packs
    is an envelope `meta` that telexd's decoder accepts entry for entry.
    (Delivery itself runs against a real telexd in tests/e2e.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_mp.h"
#include "tlx_producer.h"
#include "tlx_proto.h"

#define KV(k, v)                                                                                             \
    {                                                                                                        \
        {k, sizeof k - 1},                                                                                   \
        {                                                                                                    \
            v, sizeof v - 1                                                                                  \
        }                                                                                                    \
    }

static void test_meta_round_trip(void **state)
{
    (void)state;
    tlx_meta_kv_t kv[] = {KV("desk", "north"), KV("wire", "\xc3\xa9t\xc3\xa9"), KV("empty", "")};
    tlx_buf_t meta = TLX_BUF_INIT, frame = TLX_BUF_INIT;
    assert_int_equal(tlx_producer_pack_meta(kv, 3, &meta), 0);
    tlx_envelope_t env = {.v = 1,
                          .producer = {"p", 1},
                          .seq = 9,
                          .text = {"Body.", 5},
                          .meta = {(const char *)meta.data, meta.len},
                          .nmeta = 3};
    assert_int_equal(tlx_envelope_encode(&env, &frame), 0);
    tlx_limits_t lim;
    tlx_limits_default(&lim);
    tlx_envelope_t got;
    tlx_reject_t why;
    char detail[256];
    assert_int_equal(tlx_envelope_decode(frame.data, frame.len, &lim, &got, &why, detail, sizeof detail), 0);
    assert_int_equal(got.nmeta, 3);
    assert_int_equal(got.meta.len, meta.len);
    assert_memory_equal(got.meta.p, meta.data, meta.len);
    tlx_buf_free(&meta);
    tlx_buf_free(&frame);
}

static void test_meta_over_limit_is_rejected_by_telexd(void **state)
{
    (void)state;
    tlx_meta_kv_t *kv = calloc(257, sizeof *kv);
    assert_non_null(kv);
    for (int i = 0; i < 257; i++)
        kv[i] = (tlx_meta_kv_t){{"k", 1}, {"v", 1}};
    tlx_buf_t meta = TLX_BUF_INIT, frame = TLX_BUF_INIT;
    assert_int_equal(tlx_producer_pack_meta(kv, 257, &meta), 0);
    tlx_envelope_t env = {.v = 1,
                          .producer = {"p", 1},
                          .seq = 1,
                          .text = {"Body.", 5},
                          .meta = {(const char *)meta.data, meta.len},
                          .nmeta = 257};
    assert_int_equal(tlx_envelope_encode(&env, &frame), 0);
    tlx_limits_t lim;
    tlx_limits_default(&lim);
    tlx_envelope_t got;
    tlx_reject_t why;
    char detail[256];
    assert_int_equal(tlx_envelope_decode(frame.data, frame.len, &lim, &got, &why, detail, sizeof detail),
                     TLX_EMALFORMED);
    assert_int_equal(why, TLX_REJ_TOO_BIG);
    free(kv);
    tlx_buf_free(&meta);
    tlx_buf_free(&frame);
}

static void test_meta_empty(void **state)
{
    (void)state;
    tlx_buf_t meta = TLX_BUF_INIT;
    assert_int_equal(tlx_producer_pack_meta(NULL, 0, &meta), 0);
    assert_int_equal(meta.len, 1); /* fixmap of 0 */
    assert_int_equal((unsigned char)meta.data[0], 0x80);
    tlx_buf_free(&meta);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_round_trip),
        cmocka_unit_test(test_meta_over_limit_is_rejected_by_telexd),
        cmocka_unit_test(test_meta_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
