/* SPDX-License-Identifier: Apache-2.0 */
/*  test_httpapi.c -- the /v1/ read API as a function of a real store and
    the request's parameters: each endpoint, paging, strict parameters
    (400), unknown ids (404), paths outside /v1/ left to the caller.  Over
    HTTP (libmicrohttpd, percent-decoding, headers) in tests/e2e/nats.sh. */
#include <msgpack.h>

#include "tlx_test_store.h"

#include "tlx_httpapi.h"

static uint64_t s_commit(tlx_store_t *st, const char *id, const char *text, const char *source,
                         const char *tag)
{
    assert_int_equal(tlx_store_wbegin(st), 0);
    tlx_accept_out_t out;
    assert_int_equal(tlx_test_accept(st, id, text, &out), 0);
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 5);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, id, strlen(id));
    msgpack_pack_str_with_body(&pk, "revision", 8);
    msgpack_pack_uint32(&pk, out.revision);
    msgpack_pack_str_with_body(&pk, "source", 6);
    msgpack_pack_str_with_body(&pk, source, strlen(source));
    msgpack_pack_str_with_body(&pk, "tags", 4);
    msgpack_pack_array(&pk, 1);
    msgpack_pack_str_with_body(&pk, tag, strlen(tag));
    msgpack_pack_str_with_body(&pk, "body", 4);
    msgpack_pack_str_with_body(&pk, text, strlen(text));
    uint64_t seq;
    assert_int_equal(tlx_store_commit_record(st, out.inbox_seq, sb.data, sb.size, NULL, &seq), 0);
    assert_int_equal(tlx_store_wcommit(st), 0);
    msgpack_sbuffer_destroy(&sb);
    return seq;
}

typedef struct {
    char dir[256];
    tlx_store_t *st;
    tlx_httpapi_resp_t r;
} fx_t;

static int s_setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    tlx_test_store_open(fx->dir, sizeof fx->dir, "httpapi", &fx->st);
    s_commit(fx->st, "a", "first", "wire", "politics");
    s_commit(fx->st, "b/c?d", "an id with a slash", "Daily NK", "economy");
    s_commit(fx->st, "a", "first, corrected", "wire", "sports");
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    fx_t *fx = *state;
    tlx_buf_free(&fx->r.body);
    int rc = tlx_test_store_remove(fx->dir, &fx->st);
    free(fx);
    return rc;
}

/* Serves path with "k=v&k2=v2"-style pairs given as an array. */
static unsigned s_get(fx_t *fx, const char *path, const tlx_httpapi_arg_t *args, int n)
{
    fx->r.status = 0;
    assert_int_equal(tlx_httpapi_serve(fx->st, path, args, n, &fx->r), 1);
    assert_int_equal(tlx_buf_putc(&fx->r.body, '\0'), 0); /* for strstr; len counts it */
    fx->r.body.len--;
    return fx->r.status;
}

static int s_lines(const fx_t *fx)
{
    int n = 0;
    for (size_t i = 0; i < fx->r.body.len; i++)
        n += fx->r.body.data[i] == '\n';
    return n;
}

static void test_article(void **state)
{
    fx_t *fx = *state;
    assert_int_equal(s_get(fx, "/v1/articles/a", NULL, 0), 200);
    assert_non_null(strstr(fx->r.body.data, "\"revision\":2"));
    assert_non_null(strstr(fx->r.body.data, "corrected"));
    tlx_httpapi_arg_t rev1[] = {{"rev", "1"}};
    assert_int_equal(s_get(fx, "/v1/articles/a", rev1, 1), 200);
    assert_non_null(strstr(fx->r.body.data, "\"revision\":1"));
    /* everything after /v1/articles/ is the id, slashes included */
    assert_int_equal(s_get(fx, "/v1/articles/b/c?d", NULL, 0), 200);
    assert_non_null(strstr(fx->r.body.data, "\"id\":\"b/c?d\""));
    tlx_httpapi_arg_t ninjs[] = {{"format", "ninjs"}};
    assert_int_equal(s_get(fx, "/v1/articles/a", ninjs, 1), 200);
    assert_non_null(strstr(fx->r.body.data, "\"uri\":"));
    assert_non_null(strstr(fx->r.body.data, "\"version\":\"2\""));
}

static void test_unknown(void **state)
{
    fx_t *fx = *state;
    assert_int_equal(s_get(fx, "/v1/articles/zzz", NULL, 0), 404);
    assert_non_null(strstr(fx->r.body.data, "\"error\":\"not found\""));
    tlx_httpapi_arg_t rev9[] = {{"rev", "9"}};
    assert_int_equal(s_get(fx, "/v1/articles/a", rev9, 1), 404);
    assert_int_equal(s_get(fx, "/v1/other", NULL, 0), 404);
    /* outside /v1/: not the API's */
    assert_int_equal(tlx_httpapi_serve(fx->st, "/metrics", NULL, 0, &fx->r), 0);
    assert_int_equal(tlx_httpapi_serve(fx->st, "/v1", NULL, 0, &fx->r), 0);
}

static void test_feed(void **state)
{
    fx_t *fx = *state;
    assert_int_equal(s_get(fx, "/v1/articles", NULL, 0), 200);
    assert_int_equal(s_lines(fx), 3);
    assert_int_equal(fx->r.next_since, 3);
    tlx_httpapi_arg_t page[] = {{"since", "1"}, {"limit", "1"}};
    assert_int_equal(s_get(fx, "/v1/articles", page, 2), 200);
    assert_int_equal(s_lines(fx), 1);
    assert_non_null(strstr(fx->r.body.data, "\"seq\":2"));
    assert_int_equal(fx->r.next_since, 2);
    tlx_httpapi_arg_t end[] = {{"since", "3"}};
    assert_int_equal(s_get(fx, "/v1/articles", end, 1), 200);
    assert_int_equal(fx->r.body.len, 0);
    assert_int_equal(fx->r.next_since, 3);
}

static void test_query(void **state)
{
    fx_t *fx = *state;
    tlx_httpapi_arg_t src[] = {{"source", "WIRE"}};
    assert_int_equal(s_get(fx, "/v1/query", src, 1), 200);
    assert_int_equal(s_lines(fx), 1); /* the newest revision of "a" only */
    assert_non_null(strstr(fx->r.body.data, "\"revision\":2"));
    tlx_httpapi_arg_t old[] = {{"tag", "politics"}};
    assert_int_equal(s_get(fx, "/v1/query", old, 1), 200);
    assert_int_equal(s_lines(fx), 0); /* revision 1's tag is no longer indexed */
    tlx_httpapi_arg_t both[] = {{"tag", "economy"}, {"source", "daily nk"}, {"limit", "5"}};
    assert_int_equal(s_get(fx, "/v1/query", both, 3), 200);
    assert_int_equal(s_lines(fx), 1);
}

static void test_bad_parameters(void **state)
{
    fx_t *fx = *state;
    static const struct {
        const char *path;
        tlx_httpapi_arg_t a[2];
        int n;
    } bad[] = {
        {"/v1/articles", {{"limit", "0"}}, 1},
        {"/v1/articles", {{"limit", "1001"}}, 1},
        {"/v1/articles", {{"limit", "-1"}}, 1},
        {"/v1/articles", {{"since", "1e3"}}, 1},
        {"/v1/articles", {{"since", "99999999999999999999999"}}, 1},
        {"/v1/articles", {{"since", NULL}}, 1},
        {"/v1/articles", {{"sinc", "1"}}, 1},
        {"/v1/articles", {{"since", "1"}, {"since", "2"}}, 2},
        {"/v1/query", {{"limit", "5"}}, 1},
        {"/v1/query", {{"entity", ""}}, 1},
        {"/v1/query", {{"from", "2024-1-01"}}, 1},
        {"/v1/query", {{"to", "2024-02-30x"}}, 1},
        {"/v1/query", {{"from", "2024-13-01"}}, 1},
        {"/v1/articles/a", {{"format", "xml"}}, 1},
        {"/v1/articles/a", {{"rev", "0"}}, 1},
        {"/v1/articles/a", {{"rev", "4294967296"}}, 1},
        {"/v1/articles/", {{NULL, NULL}}, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned st = s_get(fx, bad[i].path, bad[i].a, bad[i].n);
        if (st != 400)
            fail_msg("%s %s=%s: %u %s", bad[i].path, bad[i].n ? bad[i].a[0].key : "",
                     bad[i].n && bad[i].a[0].value ? bad[i].a[0].value : "", st, fx->r.body.data);
        assert_non_null(strstr(fx->r.body.data, "\"error\":\"bad"));
    }
    tlx_httpapi_arg_t many[TLX_HTTPAPI_ARGS_MAX + 1];
    for (int i = 0; i <= TLX_HTTPAPI_ARGS_MAX; i++)
        many[i] = (tlx_httpapi_arg_t){"tag", "x"};
    assert_int_equal(s_get(fx, "/v1/query", many, TLX_HTTPAPI_ARGS_MAX + 1), 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_article, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_unknown, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_feed, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_query, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_bad_parameters, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
