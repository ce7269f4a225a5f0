/* SPDX-License-Identifier: Apache-2.0 */
/*  test_sha256.c -- SHA-256: the FIPS 180-4 example digests, then both
    compression functions (SHA-NI when the CPU has it, and the portable
    one) against libsodium's on every length around the block and padding
    boundaries and on a large buffer, fed whole and in uneven pieces.  The
    digests are persisted (dedup keys), so the two must never differ. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "tlx_sha256.h"

static void s_hex(const uint8_t d[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void s_check_vectors(void)
{
    static const struct {
        const char *in, *hex;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        uint8_t d[32];
        char hex[65];
        tlx_sha256(v[i].in, strlen(v[i].in), d);
        s_hex(d, hex);
        assert_string_equal(hex, v[i].hex);
    }
    /* one million 'a' (FIPS 180-4 example), fed 1000 bytes at a time */
    char a[1000];
    memset(a, 'a', sizeof a);
    tlx_sha256_t s;
    tlx_sha256_init(&s);
    for (int i = 0; i < 1000; i++)
        tlx_sha256_update(&s, a, sizeof a);
    uint8_t d[32];
    char hex[65];
    tlx_sha256_final(&s, d);
    s_hex(d, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void s_check_against_sodium(void)
{
    enum { BIG = 70000 };
    uint8_t *buf = malloc(BIG);
    assert_non_null(buf);
    uint32_t x = 12345;
    for (size_t i = 0; i < BIG; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    size_t lens[600];
    int nl = 0;
    for (size_t n = 0; n <= 300; n++)
        lens[nl++] = n;
    size_t more[] = {511, 512, 513, 1023, 1024, 1025, 3500, 4096, 65535, 65536, BIG};
    for (size_t i = 0; i < sizeof more / sizeof *more; i++)
        lens[nl++] = more[i];
    for (int i = 0; i < nl; i++) {
        size_t n = lens[i];
        uint8_t want[32], got[32], pieces[32];
        crypto_hash_sha256(want, buf, n);
        tlx_sha256(buf, n, got);
        assert_memory_equal(got, want, 32);
        /* uneven pieces: 1, 2, 3, ... bytes, so every buffer state is crossed */
        tlx_sha256_t s;
        tlx_sha256_init(&s);
        size_t off = 0;
        for (size_t step = 1; off < n; step = step % 97 + 1) {
            size_t take = step < n - off ? step : n - off;
            tlx_sha256_update(&s, buf + off, take);
            off += take;
        }
        tlx_sha256_update(&s, NULL, 0);
        tlx_sha256_final(&s, pieces);
        assert_memory_equal(pieces, want, 32);
    }
    free(buf);
}

static void test_cpu_choice(void **state)
{
    (void)state;
    tlx_sha256_force_portable(0);
    printf("# SHA-256 with the SHA extensions: %s\n", tlx_sha256_accelerated() ? "yes" : "no (portable)");
    s_check_vectors();
    s_check_against_sodium();
}

static void test_portable(void **state)
{
    (void)state;
    tlx_sha256_force_portable(1);
    assert_false(tlx_sha256_accelerated());
    s_check_vectors();
    s_check_against_sodium();
    tlx_sha256_force_portable(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_choice),
        cmocka_unit_test(test_portable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
