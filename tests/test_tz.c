/* SPDX-License-Identifier: Apache-2.0 */
/*  test_tz.c -- time zones from TZif files: known transitions (America/
    New_York 2016, Europe/London, Asia/Seoul, Australia/Sydney's southern
    DST), gaps and overlaps, dates past the file's last transition, the
    footer rule on hand-made slim files, bad names and files, and the byline
    wiring through tlx_text_process().  Needs the system's zoneinfo (Debian
    package tzdata). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tlx_error.h"
#include "tlx_text.h"
#include "tlx_tz.h"

#define H 3600

static tlx_tz_t *s_load(const char *name)
{
    tlx_tz_t *z = NULL;
    int rc = tlx_tz_load(NULL, name, &z);
    if (rc)
        fail_msg("cannot load %s from " TLX_TZ_DIR " (%d): is the tzdata package installed?", name, rc);
    assert_string_equal(tlx_tz_name(z), name);
    return z;
}

/* The offset at a local wall-clock time. */
static int32_t s_at(const tlx_tz_t *z, int y, int mo, int d, int h, int mi)
{
    return tlx_tz_offset(z, tlx_tz_civil(y, mo, d, h, mi, 0));
}

static void test_civil_and_format(void **state)
{
    (void)state;
    assert_int_equal(tlx_tz_civil(1970, 1, 1, 0, 0, 0), 0);
    assert_int_equal(tlx_tz_civil(2016, 11, 16, 16, 7, 0), 1479312420);
    assert_int_equal(tlx_tz_civil(1900, 1, 1, 0, 0, 0), -2208988800LL);
    assert_int_equal(tlx_tz_civil(2150, 7, 1, 12, 0, 0), 5695963200LL);
    char o[8];
    tlx_tz_format_offset(-5 * H, o);
    assert_string_equal(o, "-05:00");
    tlx_tz_format_offset(0, o);
    assert_string_equal(o, "+00:00");
    tlx_tz_format_offset(5 * H + 1800, o);
    assert_string_equal(o, "+05:30");
    tlx_tz_format_offset(-(9 * H + 1800), o);
    assert_string_equal(o, "-09:30");
    tlx_tz_format_offset(30472, o); /* Seoul's local mean time, +08:27:52: to the minute */
    assert_string_equal(o, "+08:28");
}

static void test_new_york_2016(void **state)
{
    (void)state;
    tlx_tz_t *z = s_load("America/New_York");
    assert_int_equal(s_at(z, 2016, 11, 16, 16, 7), -5 * H);
    assert_int_equal(s_at(z, 2016, 7, 16, 16, 7), -4 * H);
    /* 2016-03-13 02:00 EST -> 03:00 EDT (07:00 UTC) */
    assert_int_equal(tlx_tz_offset_utc(z, tlx_tz_civil(2016, 3, 13, 6, 59, 59)), -5 * H);
    assert_int_equal(tlx_tz_offset_utc(z, tlx_tz_civil(2016, 3, 13, 7, 0, 0)), -4 * H);
    assert_int_equal(s_at(z, 2016, 3, 13, 1, 59), -5 * H);
    assert_int_equal(s_at(z, 2016, 3, 13, 2, 0), -5 * H); /* the gap: the offset before */
    assert_int_equal(s_at(z, 2016, 3, 13, 2, 30), -5 * H);
    assert_int_equal(s_at(z, 2016, 3, 13, 3, 0), -4 * H);
    /* 2016-11-06 02:00 EDT -> 01:00 EST (06:00 UTC) */
    assert_int_equal(tlx_tz_offset_utc(z, tlx_tz_civil(2016, 11, 6, 5, 59, 59)), -4 * H);
    assert_int_equal(tlx_tz_offset_utc(z, tlx_tz_civil(2016, 11, 6, 6, 0, 0)), -5 * H);
    assert_int_equal(s_at(z, 2016, 11, 6, 0, 59), -4 * H);
    assert_int_equal(s_at(z, 2016, 11, 6, 1, 0), -4 * H); /* the overlap: its first occurrence */
    assert_int_equal(s_at(z, 2016, 11, 6, 1, 59), -4 * H);
    assert_int_equal(s_at(z, 2016, 11, 6, 2, 0), -5 * H);
    /* past the file's transitions (2037): the footer rule; before them: local mean time */
    assert_int_equal(s_at(z, 2150, 7, 1, 12, 0), -4 * H);
    assert_int_equal(s_at(z, 2150, 12, 1, 12, 0), -5 * H);
    assert_int_equal(s_at(z, 1883, 1, 1, 12, 0), -17762);
    tlx_tz_destroy(&z);
    tlx_tz_destroy(&z); /* safe twice */
}

static void test_london(void **state)
{
    (void)state;
    tlx_tz_t *z = s_load("Europe/London");
    assert_int_equal(s_at(z, 2016, 1, 15, 12, 0), 0);
    assert_int_equal(s_at(z, 2016, 7, 1, 12, 0), H);
    /* 2016-03-27 01:00 GMT -> 02:00 BST; 2016-10-30 02:00 BST -> 01:00 GMT */
    assert_int_equal(s_at(z, 2016, 3, 27, 0, 59), 0);
    assert_int_equal(s_at(z, 2016, 3, 27, 1, 30), 0); /* gap */
    assert_int_equal(s_at(z, 2016, 3, 27, 2, 0), H);
    assert_int_equal(s_at(z, 2016, 10, 30, 1, 30), H); /* overlap */
    assert_int_equal(s_at(z, 2016, 10, 30, 2, 0), 0);
    assert_int_equal(s_at(z, 2150, 7, 1, 12, 0), H);
    tlx_tz_destroy(&z);
}

static void test_seoul(void **state)
{
    (void)state;
    tlx_tz_t *z = s_load("Asia/Seoul");
    assert_int_equal(s_at(z, 2016, 11, 16, 16, 7), 9 * H);
    assert_int_equal(s_at(z, 2016, 7, 16, 16, 7), 9 * H);
    assert_int_equal(s_at(z, 2150, 7, 1, 12, 0), 9 * H);
    assert_int_equal(s_at(z, 1988, 6, 1, 12, 0), 10 * H); /* Korea kept DST in 1987-88 */
    tlx_tz_destroy(&z);
}

static void test_sydney_southern_dst(void **state)
{
    (void)state;
    tlx_tz_t *z = s_load("Australia/Sydney");
    assert_int_equal(s_at(z, 2016, 1, 15, 12, 0), 11 * H); /* summer in January */
    assert_int_equal(s_at(z, 2016, 7, 15, 12, 0), 10 * H);
    /* 2016-04-03 03:00 AEDT -> 02:00 AEST; 2016-10-02 02:00 AEST -> 03:00 AEDT */
    assert_int_equal(s_at(z, 2016, 4, 3, 2, 30), 11 * H); /* overlap: first occurrence */
    assert_int_equal(s_at(z, 2016, 4, 3, 3, 0), 10 * H);
    assert_int_equal(s_at(z, 2016, 10, 2, 2, 30), 10 * H); /* gap */
    assert_int_equal(s_at(z, 2016, 10, 2, 3, 0), 11 * H);
    assert_int_equal(s_at(z, 2150, 1, 15, 12, 0), 11 * H);
    assert_int_equal(s_at(z, 2150, 7, 15, 12, 0), 10 * H);
    tlx_tz_destroy(&z);
}

static void test_bad_names(void **state)
{
    (void)state;
    static const char *const bad[] = {"",
                                      "/etc/passwd",
                                      "../../etc/passwd",
                                      "America/../../../etc/passwd",
                                      "America/./New_York",
                                      "America//New_York",
                                      "America/New_York/",
                                      ".hidden",
                                      "America/New York",
                                      "America/New_York\n",
                                      "1America",
                                      "-rf"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tlx_tz_t *z = (tlx_tz_t *)1;
        if (tlx_tz_load(NULL, bad[i], &z) != TLX_EINVAL)
            fail_msg("name \"%s\" was not rejected", bad[i]);
        assert_null(z);
    }
    tlx_tz_t *z = NULL;
    assert_int_equal(tlx_tz_load(NULL, "Mars/Olympus_Mons", &z), TLX_ENOTFOUND);
    assert_int_equal(tlx_tz_load(NULL, "America", &z), TLX_ENOTFOUND); /* a directory */
    assert_int_equal(tlx_tz_load("/nonexistent", "America/New_York", &z), TLX_ENOTFOUND);
    assert_null(z);
    assert_int_equal(tlx_tz_load(NULL, "Etc/GMT-9", &z), 0); /* '+' and '-' are part of names */
    assert_int_equal(tlx_tz_offset(z, 0), 9 * H);
    tlx_tz_destroy(&z);
}

/* ---- hand-made TZif files ------------------------------------------------------ */

static char s_dir[64];

static void s_put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A TZif file without transitions: one type (utoff) and a footer, like the
   "slim" files that leave everything after a rule's start to the footer. */
static size_t s_slim(unsigned char *b, char version, int32_t utoff, const char *footer)
{
    size_t n = 0;
    for (int part = 0; part < 2; part++) { /* the v1 block, then the v2 one: same content, no times */
        memset(b + n, 0, 44);
        memcpy(b + n, "TZif", 4);
        b[n + 4] = (unsigned char)version;
        s_put32(b + n + 36, 1); /* typecnt */
        s_put32(b + n + 40, 4); /* charcnt */
        n += 44;
        s_put32(b + n, (uint32_t)utoff);
        b[n + 4] = 0, b[n + 5] = 0;
        memcpy(b + n + 6, "XYZ", 4);
        n += 10;
        if (version == 0)
            return n;
    }
    n += (size_t)sprintf((char *)b + n, "\n%s\n", footer);
    return n;
}

static void s_write(const char *name, const void *b, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", s_dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

static tlx_tz_t *s_load_dir(const char *name, int want_rc)
{
    tlx_tz_t *z = NULL;
    assert_int_equal(tlx_tz_load(s_dir, name, &z), want_rc);
    return z;
}

static void test_footer_rules(void **state)
{
    (void)state;
    unsigned char b[512];
    s_write("Slim_US", b, s_slim(b, '2', -5 * H, "EST5EDT,M3.2.0,M11.1.0"));
    tlx_tz_t *z = s_load_dir("Slim_US", 0);
    assert_int_equal(s_at(z, 2016, 11, 16, 16, 7), -5 * H);
    assert_int_equal(s_at(z, 2016, 7, 16, 16, 7), -4 * H);
    assert_int_equal(s_at(z, 2016, 3, 13, 2, 30), -5 * H);
    assert_int_equal(s_at(z, 2016, 3, 13, 3, 0), -4 * H);
    assert_int_equal(s_at(z, 2016, 11, 6, 1, 30), -4 * H);
    assert_int_equal(s_at(z, 2016, 11, 6, 2, 0), -5 * H);
    assert_int_equal(tlx_tz_offset_utc(z, tlx_tz_civil(2016, 3, 13, 7, 0, 0)), -4 * H);
    tlx_tz_destroy(&z);

    /* southern hemisphere, an end time of 03:00, version 3 */
    s_write("Slim_AU", b, s_slim(b, '3', 10 * H, "AEST-10AEDT,M10.1.0,M4.1.0/3"));
    z = s_load_dir("Slim_AU", 0);
    assert_int_equal(s_at(z, 2016, 1, 15, 12, 0), 11 * H);
    assert_int_equal(s_at(z, 2016, 4, 3, 2, 30), 11 * H);
    assert_int_equal(s_at(z, 2016, 4, 3, 3, 0), 10 * H);
    assert_int_equal(s_at(z, 2016, 10, 2, 3, 0), 11 * H);
    tlx_tz_destroy(&z);

    /* quoted names, an explicit DST offset, Julian days (J60 is 1 March even in leap years), last week */
    s_write("Slim_J", b, s_slim(b, '2', 3 * H + 1800, "<+0330>-3:30<+0430>-4:30,J60/0,M10.5.0/0"));
    z = s_load_dir("Slim_J", 0);
    assert_int_equal(s_at(z, 2016, 2, 29, 12, 0), 3 * H + 1800);
    assert_int_equal(s_at(z, 2016, 3, 1, 12, 0), 4 * H + 1800);
    assert_int_equal(s_at(z, 2016, 10, 29, 12, 0), 4 * H + 1800); /* 2016-10-30 is the last Sunday */
    assert_int_equal(s_at(z, 2016, 10, 30, 12, 0), 3 * H + 1800);
    tlx_tz_destroy(&z);

    /* no DST at all */
    s_write("Slim_KST", b, s_slim(b, '2', 9 * H, "KST-9"));
    z = s_load_dir("Slim_KST", 0);
    assert_int_equal(s_at(z, 2016, 7, 16, 16, 7), 9 * H);
    tlx_tz_destroy(&z);
}

static void test_malformed_files(void **state)
{
    (void)state;
    unsigned char b[512];
    s_write("Garbage", "not a zone at all, just some text\n", 35);
    assert_null(s_load_dir("Garbage", TLX_EMALFORMED));
    s_write("Empty", "", 0);
    assert_null(s_load_dir("Empty", TLX_EMALFORMED));
    s_write("Version1", b, s_slim(b, 0, 0, "")); /* no 64-bit section */
    assert_null(s_load_dir("Version1", TLX_EMALFORMED));
    size_t n = s_slim(b, '2', 0, "UTC0");
    s_write("Truncated", b, n - 20);
    assert_null(s_load_dir("Truncated", TLX_EMALFORMED));
    s_write("BadFooter", b, s_slim(b, '2', -5 * H, "EST5EDT"));
    assert_null(s_load_dir("BadFooter", TLX_EMALFORMED));
    s_write("HugeOffset", b, s_slim(b, '2', 40 * H, ""));
    assert_null(s_load_dir("HugeOffset", TLX_EMALFORMED));
    s_write("Fine", b, s_slim(b, '2', 0, ""));
    tlx_tz_t *z = s_load_dir("Fine", 0);
    assert_int_equal(tlx_tz_offset(z, 0), 0);
    tlx_tz_destroy(&z);
}

/* ---- the byline's offset through the whole pipeline ------------------------------ */

static const char *s_published(tlx_text_t *t, tlx_arena_t *a, const char *tz, const char *date)
{
    char text[512];
    snprintf(text, sizeof text,
             "Markets reopen in Hyesan\n\nJane Doe | %s\n\n"
             "Traders returned to the main market on Tuesday after a two-week closure, residents said.\n",
             date);
    tlx_text_opts_t o = {.source = "test", .tz = tz};
    tlx_record_t r;
    tlx_arena_reset(a);
    assert_int_equal(tlx_text_process(t, text, strlen(text), &o, a, &r), 0);
    assert_non_null(r.published_at);
    return r.published_at;
}

static void test_pipeline_bylines(void **state)
{
    (void)state;
    const char *err = NULL;
    tlx_text_t *t = tlx_text_new(TLX_SOURCE_DIR "/data", &err);
    tlx_arena_t *a = tlx_arena_new(1 << 16);
    assert_non_null(t);
    assert_string_equal(s_published(t, a, "America/New_York", "2016-11-16 16:07"),
                        "2016-11-16T16:07:00-05:00");
    assert_string_equal(s_published(t, a, "America/New_York", "2016-07-16 16:07"),
                        "2016-07-16T16:07:00-04:00");
    assert_string_equal(s_published(t, a, "Australia/Sydney", "2016-07-16 16:07"),
                        "2016-07-16T16:07:00+10:00");
    assert_string_equal(s_published(t, a, "Asia/Seoul", "2016-11-16 16:07"), "2016-11-16T16:07:00+09:00");
    /* a zone that cannot be loaded: the fixed table (Asia/Kolkata is in it), else UTC as before */
    assert_string_equal(s_published(t, a, "Mars/Olympus_Mons", "2016-11-16 16:07"),
                        "2016-11-16T16:07:00+00:00");
    assert_string_equal(s_published(t, a, "../../etc/passwd", "2016-11-16 16:07"),
                        "2016-11-16T16:07:00+00:00");
    assert_string_equal(s_published(t, a, NULL, "2016-11-16 16:07"), "2016-11-16T16:07:00+00:00");
    /* a date without a time has no offset to give */
    assert_string_equal(s_published(t, a, "America/New_York", "2016-11-16"), "2016-11-16");
    tlx_arena_destroy(&a);
    tlx_text_destroy(&t);
}

static void test_pipeline_fixed_table_fallback(void **state)
{
    (void)state;
    /* no zoneinfo at all (TZDIR pointing nowhere): the fixed-offset table still answers */
    setenv("TZDIR", "/nonexistent", 1);
    const char *err = NULL;
    tlx_text_t *t = tlx_text_new(TLX_SOURCE_DIR "/data", &err);
    unsetenv("TZDIR");
    tlx_arena_t *a = tlx_arena_new(1 << 16);
    assert_non_null(t);
    assert_string_equal(s_published(t, a, "Asia/Seoul", "2016-07-16 16:07"), "2016-07-16T16:07:00+09:00");
    assert_string_equal(s_published(t, a, "Asia/Kolkata", "2016-07-16 16:07"), "2016-07-16T16:07:00+05:30");
    assert_string_equal(s_published(t, a, "America/New_York", "2016-07-16 16:07"),
                        "2016-07-16T16:07:00+00:00");
    tlx_arena_destroy(&a);
    tlx_text_destroy(&t);
}

static int s_setup(void **state)
{
    (void)state;
    snprintf(s_dir, sizeof s_dir, "/tmp/test_tz.XXXXXX");
    return mkdtemp(s_dir) ? 0 : -1;
}

static int s_teardown(void **state)
{
    (void)state;
    static const char *const files[] = {"Slim_US",   "Slim_AU",    "Slim_J",   "Slim_KST",
                                        "Garbage",   "Empty",      "Version1", "Truncated",
                                        "BadFooter", "HugeOffset", "Fine"};
    char path[128];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", s_dir, files[i]);
        unlink(path);
    }
    rmdir(s_dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil_and_format),
        cmocka_unit_test(test_new_york_2016),
        cmocka_unit_test(test_london),
        cmocka_unit_test(test_seoul),
        cmocka_unit_test(test_sydney_southern_dst),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_footer_rules),
        cmocka_unit_test(test_malformed_files),
        cmocka_unit_test(test_pipeline_bylines),
        cmocka_unit_test(test_pipeline_fixed_table_fallback),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
