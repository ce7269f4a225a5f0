/*  test_ninjs.c -- record -> ninjs: mapping of a hand-made record, the
    dateline's place as `located`, odd ids in the uri, values of unexpected
    types left out (never a failure), malformed input refused, and the
    64-bit fingerprint rendered as hex by tlx_json.  Schema validity of real
    records is checked against IPTC's schema in tests/e2e/ninjs.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <msgpack.h>

#include "tlx_error.h"
#include "tlx_json.h"
#include "tlx_ninjs.h"

static void s_str(msgpack_packer *pk, const char *s)
{
    if (s)
        msgpack_pack_str_with_body(pk, s, strlen(s));
    else
        msgpack_pack_nil(pk);
}

static void s_entity(msgpack_packer *pk, const char *text, const char *type, const char *canonical)
{
    msgpack_pack_map(pk, 3);
    s_str(pk, "text"), s_str(pk, text);
    s_str(pk, "type"), s_str(pk, type);
    s_str(pk, "canonical"), s_str(pk, canonical);
}

/* A small record; `dateline` is a map {text, place, agency} when given (place
   NULL: an agency-only dateline); title may be an int to test odd types. */
static void s_record(msgpack_sbuffer *sb, const char *id, const char *dateline, int title_as_int)
{
    msgpack_packer pk;
    msgpack_sbuffer_init(sb);
    msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 16 + (dateline != NULL));
    s_str(&pk, "seq"), msgpack_pack_uint64(&pk, 42);
    s_str(&pk, "id"), s_str(&pk, id);
    s_str(&pk, "revision"), msgpack_pack_uint32(&pk, 2);
    s_str(&pk, "source"), s_str(&pk, "dailynk");
    s_str(&pk, "url"), s_str(&pk, NULL);
    s_str(&pk, "received_at"), msgpack_pack_uint64(&pk, 1700000000123ull);
    s_str(&pk, "processed_at"), msgpack_pack_uint64(&pk, 1700000000456ull);
    s_str(&pk, "title");
    if (title_as_int)
        msgpack_pack_int(&pk, 7);
    else
        s_str(&pk, "Rice prices rise");
    s_str(&pk, "authors"), msgpack_pack_array(&pk, 2), s_str(&pk, "Kang Mi Jin"), s_str(&pk, "Lee Sang Yong");
    s_str(&pk, "published_at"), s_str(&pk, "2016-11-16T16:07:00+09:00");
    s_str(&pk, "body"), s_str(&pk, "Rice prices rose in Hyesan, traders said.");
    s_str(&pk, "lang"), s_str(&pk, "en");
    s_str(&pk, "entities"), msgpack_pack_array(&pk, 4);
    s_entity(&pk, "Kim Jong Uns", "PER", "Kim Jong Un");
    s_entity(&pk, "Hyesan", "LOC", "Hyesan");
    s_entity(&pk, "the Party", "ORG", "Workers' Party of Korea");
    s_entity(&pk, "Kim", "PER", "Kim Jong Un"); /* same canonical: one person */
    s_str(&pk, "tags"), msgpack_pack_array(&pk, 1), s_str(&pk, "economy");
    s_str(&pk, "keywords"), msgpack_pack_array(&pk, 1), s_str(&pk, "rice");
    s_str(&pk, "fingerprints"), msgpack_pack_map(&pk, 1), s_str(&pk, "simhash64"),
        msgpack_pack_uint64(&pk, 15760233664413728697ull);
    if (dateline) {
        s_str(&pk, "dateline"), msgpack_pack_map(&pk, 3);
        s_str(&pk, "text"), s_str(&pk, "SEOUL, March 4 (Yonhap) --");
        s_str(&pk, "place"), s_str(&pk, *dateline ? dateline : NULL);
        s_str(&pk, "agency"), s_str(&pk, "Yonhap");
    }
}

static char *s_ninjs(msgpack_sbuffer *sb)
{
    tlx_buf_t out = TLX_BUF_INIT;
    assert_int_equal(tlx_ninjs_from_record(sb->data, sb->size, 0, &out), 0);
    char *s = strndup(out.data, out.len);
    tlx_buf_free(&out);
    return s;
}

static void test_mapping(void **state)
{
    (void)state;
    msgpack_sbuffer sb;
    s_record(&sb, "a-1", "PYONGYANG", 0);
    char *j = s_ninjs(&sb);
    assert_non_null(strstr(j, "\"uri\":\"urn:telex:a-1\""));
    assert_non_null(strstr(j, "\"version\":\"2\""));
    assert_non_null(strstr(j, "\"firstCreated\":\"2016-11-16T16:07:00+09:00\""));
    assert_non_null(strstr(j, "\"versionCreated\":\"2023-11-14T22:13:20.456Z\""));
    assert_non_null(strstr(j, "\"headlines\":[{\"role\":\"main\",\"value\":\"Rice prices rise\"}]"));
    assert_non_null(strstr(j, "\"by\":\"Kang Mi Jin, Lee Sang Yong\""));
    assert_non_null(strstr(j, "\"located\":\"PYONGYANG\""));
    assert_non_null(strstr(j, "{\"name\":\"Yonhap\",\"role\":\"agency\"}"));
    assert_non_null(strstr(j, "\"people\":[{\"name\":\"Kim Jong Un\",\"rel\":\"mentioned\"}]"));
    assert_non_null(strstr(j, "\"organisations\":[{\"name\":\"Workers' Party of Korea\",\"rel\":\"mentioned\"}]"));
    assert_non_null(strstr(j, "\"places\":[{\"name\":\"Hyesan\",\"rel\":\"mentioned\"}]"));
    assert_non_null(strstr(j, "{\"name\":\"economy\",\"rel\":\"tag\"},{\"name\":\"rice\",\"rel\":\"keyword\"}"));
    assert_non_null(strstr(j, "{\"role\":\"telex-seq\",\"value\":\"42\"}"));
    assert_null(strstr(j, "\"role\":\"url\"")); /* url is nil */
    /* the extension: every key but body, simhash as hex, as a JSON string */
    assert_non_null(strstr(j, "\"role\":\"telex\",\"contentType\":\"application/vnd.telex.record+json\""));
    assert_non_null(strstr(j, "\\\"simhash64\\\":\\\"dab7990438887fb9\\\""));
    assert_null(strstr(j, "\\\"body\\\""));
    free(j);
    msgpack_sbuffer_destroy(&sb);
}

static void test_odd_values(void **state)
{
    (void)state;
    msgpack_sbuffer sb;
    s_record(&sb, "cms/2024 x#1", NULL, 1);
    char *j = s_ninjs(&sb);
    assert_non_null(strstr(j, "\"uri\":\"urn:telex:cms%2F2024%20x%231\""));
    assert_null(strstr(j, "\"headlines\"")); /* a title that is not a string is left out */
    assert_null(strstr(j, "\"located\""));
    free(j);
    msgpack_sbuffer_destroy(&sb);
}

static void test_agency_only_dateline(void **state)
{
    (void)state;
    msgpack_sbuffer sb;
    s_record(&sb, "a-2", "", 0); /* "(Yonhap) --": no place */
    char *j = s_ninjs(&sb);
    assert_null(strstr(j, "\"located\""));
    assert_non_null(strstr(j, "\"infoSources\":[{\"name\":\"dailynk\",\"role\":\"source\"},"
                              "{\"name\":\"Yonhap\",\"role\":\"agency\"}]"));
    free(j);
    msgpack_sbuffer_destroy(&sb);
}

static void test_malformed(void **state)
{
    (void)state;
    tlx_buf_t out = TLX_BUF_INIT;
    assert_int_equal(tlx_ninjs_from_record("\x93\x01", 2, 0, &out), TLX_EMALFORMED); /* not a map */
    assert_int_equal(tlx_ninjs_from_record("\x81\xa2id\xc0", 5, 0, &out), TLX_EMALFORMED); /* id nil */
    assert_int_equal(tlx_ninjs_from_record("\x82\xa2id", 4, 0, &out), TLX_EMALFORMED);       /* truncated */
    assert_int_equal(out.len, 0);
    tlx_buf_free(&out);
}

static void test_json_hex64(void **state)
{
    (void)state;
    /* {"simhash64": 2^64-1, "other": 2^64-1, "simhash64s": [1]} */
    const char mp[] = "\x83\xa9simhash64\xcf\xff\xff\xff\xff\xff\xff\xff\xff"
                      "\xa5other\xcf\xff\xff\xff\xff\xff\xff\xff\xff\xa9simhash64\x91\x01";
    tlx_buf_t out = TLX_BUF_INIT;
    assert_int_equal(tlx_json_from_msgpack(mp, sizeof mp - 1, 0, &out), 0);
    assert_string_equal(out.data,
                        "{\"simhash64\":\"ffffffffffffffff\",\"other\":18446744073709551615,\"simhash64\":[1]}");
    tlx_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mapping),
        cmocka_unit_test(test_odd_values),
        cmocka_unit_test(test_agency_only_dateline),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_json_hex64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
