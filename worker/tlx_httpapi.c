/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_httpapi.c -- /v1/ read API (see tlx_httpapi.h).

    Strict parameters: an unknown or repeated parameter is a 400, not
    ignored, so a typo (`?tags=`) cannot silently return everything.
    Pages are bounded (limit <= 1000) and built in one buffer, so a request
    costs at most ~1000 records of memory and one read txn per 256 records.

    Rejected: streaming the body with MHD's callback responses (the page
    bound makes a buffer simple and small; a reader holding a txn while the
    socket is slow would pin store pages).
*/
#include "tlx_httpapi.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_json.h"
#include "tlx_ninjs.h"

static const char s_json[] = "application/json; charset=utf-8";
static const char s_jsonl[] = "application/x-ndjson; charset=utf-8";

static int s_error(tlx_httpapi_resp_t *r, unsigned status, const char *error, const char *detail)
{
    r->status = status;
    r->type = s_json;
    r->body.len = 0;
    tlx_buf_append(&r->body, "{\"error\":", 9);
    tlx_json_string(&r->body, error, strlen(error));
    tlx_buf_append(&r->body, ",\"detail\":", 10);
    tlx_json_string(&r->body, detail, strlen(detail));
    tlx_buf_append(&r->body, "}\n", 2);
    return 1;
}

/* Parses a decimal u64 (no sign, no spaces); 0 or TLX_EINVAL. */
static int s_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || strlen(s) > 20)
        return TLX_EINVAL;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return TLX_EINVAL;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno)
        return TLX_EINVAL;
    *out = v;
    return 0;
}

static int s_day(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return TLX_EINVAL;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return TLX_EINVAL;
    int mo = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 ? 0 : TLX_EINVAL;
}

/* Finds the allowed parameters; 400 on anything else or a repeat.
   names: NULL-terminated; vals[i] gets the value of names[i] (or NULL). */
static int s_params(const tlx_httpapi_arg_t *args, int nargs, const char *const *names, const char **vals,
                    tlx_httpapi_resp_t *r)
{
    int n = 0;
    while (names[n])
        vals[n++] = NULL;
    for (int i = 0; i < nargs; i++) {
        int k = 0;
        while (names[k] && strcmp(names[k], args[i].key) != 0)
            k++;
        char why[200];
        if (!names[k]) {
            snprintf(why, sizeof why, "unknown parameter '%.60s'", args[i].key);
            return s_error(r, 400, "bad parameter", why);
        }
        if (vals[k]) {
            snprintf(why, sizeof why, "parameter '%.60s' given twice", args[i].key);
            return s_error(r, 400, "bad parameter", why);
        }
        vals[k] = args[i].value ? args[i].value : "";
    }
    return 0;
}

static int s_limit(const char *v, uint64_t *limit, tlx_httpapi_resp_t *r)
{
    *limit = TLX_HTTPAPI_LIMIT_DEFAULT;
    if (v && (s_u64(v, limit) != 0 || *limit == 0 || *limit > TLX_HTTPAPI_LIMIT_MAX))
        return s_error(r, 400, "bad parameter", "limit must be an integer from 1 to 1000");
    return 0;
}

typedef struct {
    tlx_httpapi_resp_t *r;
    int fail;
} lines_t;

static int s_line(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t len)
{
    (void)feed_seq, (void)seq;
    lines_t *l = ctx;
    if (tlx_json_from_msgpack(rec, len, 0, &l->r->body) != 0 || tlx_buf_putc(&l->r->body, '\n') != 0) {
        l->fail = 1;
        return 1;
    }
    return 0;
}

static int s_article(tlx_store_t *st, const char *id, const tlx_httpapi_arg_t *args, int nargs,
                     tlx_httpapi_resp_t *r)
{
    static const char *const names[] = {"format", "rev", NULL};
    const char *v[2];
    if (s_params(args, nargs, names, v, r))
        return 1;
    int ninjs = 0;
    if (v[0] && strcmp(v[0], "ninjs") == 0)
        ninjs = 1;
    else if (v[0] && strcmp(v[0], "json") != 0)
        return s_error(r, 400, "bad parameter", "format must be json or ninjs");
    uint64_t rev = 0;
    if (v[1] && (s_u64(v[1], &rev) != 0 || rev == 0 || rev > UINT32_MAX))
        return s_error(r, 400, "bad parameter", "rev must be a revision number (1, 2, ...)");
    size_t idl = strlen(id);
    if (idl == 0 || idl > TLX_ID_MAX)
        return s_error(r, 400, "bad id", "an id is 1 to 4096 bytes");
    void *rec = NULL;
    size_t len = 0;
    int rc = tlx_store_get_id(st, id, idl, (uint32_t)rev, NULL, &rec, &len);
    if (rc == TLX_ENOTFOUND)
        return s_error(r, 404, "not found", rev ? "no such id or revision" : "no such id");
    if (rc)
        return s_error(r, 500, "store", tlx_strerror(rc));
    r->status = 200;
    r->type = s_json;
    rc = ninjs ? tlx_ninjs_from_record(rec, len, 0, &r->body) : tlx_json_from_msgpack(rec, len, 0, &r->body);
    free(rec);
    if (rc || tlx_buf_putc(&r->body, '\n'))
        return s_error(r, 500, "render", tlx_strerror(rc ? rc : TLX_ENOMEM));
    return 1;
}

static int s_articles(tlx_store_t *st, const tlx_httpapi_arg_t *args, int nargs, tlx_httpapi_resp_t *r)
{
    static const char *const names[] = {"since", "limit", NULL};
    const char *v[2];
    if (s_params(args, nargs, names, v, r))
        return 1;
    uint64_t since = 0, limit;
    if (v[0] && s_u64(v[0], &since) != 0)
        return s_error(r, 400, "bad parameter", "since must be a feed sequence number (0, 1, ...)");
    if (s_limit(v[1], &limit, r))
        return 1;
    r->status = 200;
    r->type = s_jsonl;
    lines_t l = {r, 0};
    uint64_t last = since;
    int rc = tlx_store_feed(st, since, limit, s_line, &l, &last);
    if (l.fail || rc)
        return s_error(r, 500, "store", tlx_strerror(l.fail ? TLX_ENOMEM : rc));
    r->next_since = last;
    return 1;
}

static int s_query(tlx_store_t *st, const tlx_httpapi_arg_t *args, int nargs, tlx_httpapi_resp_t *r)
{
    static const char *const names[] = {"entity", "tag", "source", "from", "to", "limit", NULL};
    const char *v[6];
    if (s_params(args, nargs, names, v, r))
        return 1;
    for (int i = 0; i < 3; i++)
        if (v[i] && !*v[i])
            return s_error(r, 400, "bad parameter", "entity, tag and source must not be empty");
    if ((v[3] && s_day(v[3])) || (v[4] && s_day(v[4])))
        return s_error(r, 400, "bad parameter", "from and to are dates, YYYY-MM-DD");
    if (!v[0] && !v[1] && !v[2] && !v[3] && !v[4])
        return s_error(r, 400, "bad parameter", "give at least one of entity, tag, source, from, to");
    uint64_t limit;
    if (s_limit(v[5], &limit, r))
        return 1;
    tlx_query_t q = {.entity = v[0], .tag = v[1], .source = v[2], .from = v[3], .to = v[4], .limit = limit};
    r->status = 200;
    r->type = s_jsonl;
    lines_t l = {r, 0};
    int rc = tlx_store_query(st, &q, s_line, &l);
    if (l.fail || rc)
        return s_error(r, rc == TLX_EINVAL ? 400 : 500, rc == TLX_EINVAL ? "bad parameter" : "store",
                       tlx_strerror(l.fail ? TLX_ENOMEM : rc));
    return 1;
}

int tlx_httpapi_serve(tlx_store_t *store, const char *path, const tlx_httpapi_arg_t *args, int nargs,
                      tlx_httpapi_resp_t *r)
{
    if (strncmp(path, "/v1/", 4) != 0)
        return 0;
    r->body.len = 0;
    r->next_since = 0;
    if (nargs > TLX_HTTPAPI_ARGS_MAX)
        return s_error(r, 400, "bad parameter", "too many parameters");
    if (strncmp(path, "/v1/articles/", 13) == 0)
        return s_article(store, path + 13, args, nargs, r);
    if (strcmp(path, "/v1/articles") == 0)
        return s_articles(store, args, nargs, r);
    if (strcmp(path, "/v1/query") == 0)
        return s_query(store, args, nargs, r);
    return s_error(r, 404, "not found", "the API has /v1/articles/ID, /v1/articles and /v1/query");
}
