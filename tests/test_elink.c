/* SPDX-License-Identifier: Apache-2.0 */
/*  test_elink.c -- the enrich link codec (proto/tlx_elink.h): every
    message type round-trips; frame counts, sizes and payload bounds are
    enforced; a result is decoded leniently past its header (PROTOCOL.md
    section 5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_elink.h"

static tlx_elink_frames_t s_frames(int n, const char *const *p, const size_t *len)
{
    tlx_elink_frames_t f = {.n = n};
    for (int i = 0; i < n && i < TLX_ELINK_FRAMES_MAX; i++) {
        f.p[i] = p[i];
        f.len[i] = len[i];
    }
    return f;
}

/* Encodes m, decodes the frames back into *back. */
static void s_roundtrip(const tlx_elink_msg_t *m, tlx_elink_msg_t *back, int frames)
{
    tlx_elink_out_t out;
    assert_int_equal(tlx_elink_encode(m, &out), 0);
    assert_int_equal(out.f.n, frames);
    assert_int_equal(tlx_elink_decode(&out.f, 0, back), 0);
    assert_int_equal(back->type, m->type);
}

static void test_control(void **state)
{
    (void)state;
    tlx_elink_msg_t m = {.type = TLX_ELINK_HELLO, .credit = 16, .flags = TLX_ELINK_HEARTBEATS}, b;
    s_roundtrip(&m, &b, 1);
    assert_int_equal(b.credit, 16);
    assert_int_equal(b.flags, TLX_ELINK_HEARTBEATS);
    const tlx_elink_type_t one[] = {TLX_ELINK_BEAT, TLX_ELINK_LEAVE, TLX_ELINK_WHO, TLX_ELINK_STOP};
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
        m = (tlx_elink_msg_t){.type = one[i]};
        s_roundtrip(&m, &b, 1);
    }
    /* a hello's credit is clamped; the 5-byte hello (no flags) is valid */
    uint8_t h[6] = {'H', 0, 0, 0, 0, 1};
    const char *p[] = {(const char *)h};
    size_t len[] = {5};
    tlx_elink_frames_t f = s_frames(1, p, len);
    assert_int_equal(tlx_elink_decode(&f, 0, &b), 0);
    assert_int_equal(b.credit, 1);
    assert_int_equal(b.flags, 0);
    h[2] = 0x20; /* 8192 */
    len[0] = 6;
    f = s_frames(1, p, len);
    assert_int_equal(tlx_elink_decode(&f, 0, &b), 0);
    assert_int_equal(b.credit, TLX_ELINK_CREDIT_MAX);
    assert_int_equal(b.flags, 1);
}

static void test_job(void **state)
{
    (void)state;
    const char env[] = "\x81\xa1v\x01";
    tlx_elink_msg_t m = {.type = TLX_ELINK_JOB,
                         .inbox = 0x0102030405060708ull,
                         .revision = 7,
                         .received_at = 1700000000000ull,
                         .token = 0xa1b2c3d4e5f60718ull,
                         .id = {"abc", 3},
                         .env = {env, 4}},
                    b;
    tlx_elink_out_t out;
    assert_int_equal(tlx_elink_encode(&m, &out), 0);
    assert_int_equal(out.f.len[0], 29);
    assert_int_equal(((const uint8_t *)out.f.p[0])[1], 0x08); /* little-endian */
    s_roundtrip(&m, &b, 3);
    assert_int_equal(b.inbox, m.inbox);
    assert_int_equal(b.token, m.token);
    assert_int_equal(b.revision, 7);
    assert_int_equal(b.received_at, m.received_at);
    assert_int_equal(b.id.len, 3);
    assert_memory_equal(b.id.p, "abc", 3);
    assert_ptr_equal(b.env.p, env); /* borrowed, not copied */
    /* the envelope is bounded by max_payload */
    assert_int_equal(tlx_elink_decode(&out.f, 4, &b), 0);
    assert_int_equal(tlx_elink_decode(&out.f, 3, &b), TLX_EMALFORMED);
    /* two frames, or a short header, is not a job */
    out.f.n = 2;
    assert_int_equal(tlx_elink_decode(&out.f, 0, &b), TLX_EMALFORMED);
    out.f.n = 3;
    out.f.len[0] = 28;
    assert_int_equal(tlx_elink_decode(&out.f, 0, &b), TLX_EMALFORMED);
    out.f.len[0] = 21; /* the header of the protocol before tokens */
    assert_int_equal(tlx_elink_decode(&out.f, 0, &b), TLX_EMALFORMED);
}

static tlx_elink_msg_t s_result_ok(void)
{
    tlx_elink_msg_t m = {
        .type = TLX_ELINK_RESULT, .inbox = 42, .token = UINT64_MAX - 1, .ok = true, .record = {"\x80", 1}};
    m.has_hints = true;
    for (int i = 0; i < 32; i++)
        m.hints.sha256[i] = (uint8_t)i;
    m.hints.simhash = 0xfeedull;
    m.hints.shingle = 0xbeefull;
    m.hints.bands[3][2] = 9;
    m.hints.near_max = 3;
    m.hints.verify_max = 12;
    return m;
}

static void test_result(void **state)
{
    (void)state;
    tlx_elink_msg_t m = s_result_ok(), b;
    m.terms = (tlx_bytes_t){"ports\0tariffs", 14};
    m.has_lines = true;
    m.nlines = 2;
    m.lines[0] = 1;
    m.lines[1] = UINT64_MAX;
    s_roundtrip(&m, &b, 5);
    assert_true(b.ok);
    assert_int_equal(b.inbox, 42);
    assert_int_equal(b.token, UINT64_MAX - 1);
    assert_int_equal(b.record.len, 1);
    assert_true(b.has_hints);
    assert_memory_equal(&b.hints, &m.hints, sizeof m.hints);
    assert_int_equal(b.terms.len, 14);
    assert_true(b.has_lines);
    assert_int_equal(b.nlines, 2);
    assert_int_equal(b.lines[1], UINT64_MAX);

    /* lines without sampled terms: an empty terms frame keeps the order */
    m.terms = (tlx_bytes_t){NULL, 0};
    s_roundtrip(&m, &b, 5);
    assert_int_equal(b.terms.len, 0);
    assert_int_equal(b.nlines, 2);
    /* no lines, no terms: record and hints only; no hints: the record only */
    m.has_lines = false;
    s_roundtrip(&m, &b, 3);
    assert_false(b.has_lines);
    m.has_hints = false;
    s_roundtrip(&m, &b, 2);
    assert_true(b.ok);
    assert_false(b.has_hints);

    /* a failure */
    m = (tlx_elink_msg_t){.type = TLX_ELINK_RESULT,
                          .inbox = 5,
                          .token = 77,
                          .stage = {"pipeline", 8},
                          .reason = {"out of memory", 13}};
    s_roundtrip(&m, &b, 3);
    assert_false(b.ok);
    assert_int_equal(b.inbox, 5);
    assert_int_equal(b.token, 77);
    assert_int_equal(b.stage.len, 8);
    assert_memory_equal(b.reason.p, "out of memory", 13);

    m = s_result_ok();
    m.has_lines = true;
    m.nlines = TLX_ELINK_LINES_MAX + 1;
    tlx_elink_out_t out;
    assert_int_equal(tlx_elink_encode(&m, &out), TLX_EINVAL);
}

/* Past a sound header a result is decoded leniently: its article is
   retried (a failure) or stored without the malformed extras. */
static void test_result_lenient(void **state)
{
    (void)state;
    tlx_elink_msg_t m = s_result_ok(), b;
    m.has_lines = true;
    m.nlines = 1;
    tlx_elink_out_t out;
    assert_int_equal(tlx_elink_encode(&m, &out), 0);
    tlx_elink_frames_t f = out.f;

    f.len[4] = 7; /* lines not a multiple of 8 */
    assert_int_equal(tlx_elink_decode(&f, 0, &b), 0);
    assert_true(b.ok && b.has_hints && !b.has_lines);
    static uint8_t many[(TLX_ELINK_LINES_MAX + 1) * 8];
    f.p[4] = many;
    f.len[4] = sizeof many;
    assert_int_equal(tlx_elink_decode(&f, 0, &b), 0);
    assert_false(b.has_lines);

    f = out.f;
    f.len[2] = TLX_ELINK_HINTS_WIRE - 1; /* hints cut short: no fingerprints, no extras */
    assert_int_equal(tlx_elink_decode(&f, 0, &b), 0);
    assert_true(b.ok);
    assert_false(b.has_hints);
    assert_false(b.has_lines);
    assert_int_equal(b.terms.len, 0);

    f = out.f;
    f.n = 6; /* too many frames: a failure, so the article is retried */
    assert_int_equal(tlx_elink_decode(&f, 0, &b), 0);
    assert_false(b.ok);
    assert_int_equal(b.inbox, 42);
    assert_int_equal(b.token, UINT64_MAX - 1); /* and it still names its dispatch */
    assert_int_equal(b.stage.len, 0);
    f.n = 1; /* the header alone */
    assert_int_equal(tlx_elink_decode(&f, 0, &b), 0);
    assert_false(b.ok);
    f = out.f;
    assert_int_equal(tlx_elink_decode(&f, 0, &b), 0); /* the record is bounded by max_payload */
    assert_int_equal(tlx_elink_decode(&f, 1, &b), 0);
    f.len[1] = 2;
    assert_int_equal(tlx_elink_decode(&f, 1, &b), TLX_EMALFORMED);

    /* a long stage and reason are cut */
    static char big[1000];
    memset(big, 'x', sizeof big);
    m = (tlx_elink_msg_t){.type = TLX_ELINK_RESULT, .stage = {big, sizeof big}, .reason = {big, sizeof big}};
    assert_int_equal(tlx_elink_encode(&m, &out), 0);
    assert_int_equal(tlx_elink_decode(&out.f, 0, &b), 0);
    assert_int_equal(b.stage.len, TLX_ELINK_STAGE_MAX);
    assert_int_equal(b.reason.len, TLX_ELINK_REASON_MAX);
}

static void test_malformed(void **state)
{
    (void)state;
    tlx_elink_msg_t b;
    const char *p[] = {"Hxxxx", "B", "?", "R12345678abcdefgh", ""};
    size_t len[] = {5, 1, 1, 17, 0};
    tlx_elink_frames_t f = {.n = 0};
    assert_int_equal(tlx_elink_decode(&f, 0, &b), TLX_EMALFORMED); /* no frames */
    f = s_frames(1, &p[4], &len[4]);
    assert_int_equal(tlx_elink_decode(&f, 0, &b), TLX_EMALFORMED); /* empty frame */
    f = s_frames(1, &p[2], &len[2]);
    assert_int_equal(tlx_elink_decode(&f, 0, &b), TLX_EMALFORMED); /* unknown type */
    f = s_frames(1, &p[3], &len[3]);
    assert_int_equal(tlx_elink_decode(&f, 0, &b), TLX_EMALFORMED); /* result header short */
    size_t l10 = 10;
    f = s_frames(1, &p[3], &l10);
    assert_int_equal(tlx_elink_decode(&f, 0, &b), TLX_EMALFORMED); /* the header before tokens */
    f = s_frames(2, p, len);
    assert_int_equal(tlx_elink_decode(&f, 0, &b), TLX_EMALFORMED); /* hello in two frames */
    size_t l4 = 4, l2 = 2;
    f = s_frames(1, p, &l4);
    assert_int_equal(tlx_elink_decode(&f, 0, &b), TLX_EMALFORMED); /* hello short */
    f = s_frames(1, p, &l2);
    f.p[0] = "BB";
    assert_int_equal(tlx_elink_decode(&f, 0, &b), TLX_EMALFORMED); /* heartbeat with a tail */
    f = s_frames(1, &p[1], &len[1]);
    assert_int_equal(tlx_elink_decode(&f, 0, &b), 0);
    assert_int_equal(b.type, TLX_ELINK_BEAT);
    tlx_elink_msg_t bad = {.type = (tlx_elink_type_t)'?'};
    tlx_elink_out_t out;
    assert_int_equal(tlx_elink_encode(&bad, &out), TLX_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_control),   cmocka_unit_test(test_job),
        cmocka_unit_test(test_result),    cmocka_unit_test(test_result_lenient),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
