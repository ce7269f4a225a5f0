/* SPDX-License-Identifier: Apache-2.0 */
/*  test_log.c -- tlx_log: logfmt lines keep their shape, JSON lines are valid
    JSON for any fragment (bare, quoted, escaped, garbage, control bytes,
    invalid UTF-8, cut lines), level filtering, the rate limiter's
    suppressed=K, syslog formatting (seen through the sink), parse functions,
    and whole lines under concurrent writers.

    Lines are captured with tlx_log_set_sink; the ts field is checked for shape
    and stripped so the rest can be compared exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "tlx_log.h"

/* ---- capture ---------------------------------------------------------- */

#define CAP_LINES 256

typedef struct {
    char *line[CAP_LINES];
    int level[CAP_LINES];
    size_t n;     /* lines stored */
    size_t total; /* lines seen */
    int bad;      /* lines that broke the sink contract (no cmocka asserts under the log mutex) */
} cap_t;

static cap_t s_cap;

static void s_sink(void *ctx, int level, const char *line, size_t len)
{
    cap_t *c = ctx;
    /* the contract: exactly one line, newline-terminated, len is its length */
    if (len == 0 || line[len - 1] != '\n' || memchr(line, '\n', len - 1) || memchr(line, '\0', len) ||
        len > TLX_LOG_LINE_MAX)
        c->bad++;
    if (c->n < CAP_LINES) {
        c->line[c->n] = strndup(line, len);
        c->level[c->n] = level;
        if (c->line[c->n])
            c->n++;
    }
    c->total++;
}

static void s_cap_clear(void)
{
    for (size_t i = 0; i < s_cap.n; i++)
        free(s_cap.line[i]);
    memset(&s_cap, 0, sizeof s_cap);
}

static int s_setup(void **state)
{
    (void)state;
    s_cap_clear();
    tlx_log_set_sink(s_sink, &s_cap);
    tlx_log_set_level(TLX_LOG_INFO);
    tlx_log_set_format(TLX_LOG_FMT_LOGFMT);
    tlx_log_set_syslog(0, NULL);
    tlx_log_set_rate_limit(0, 0);
    return 0;
}

static int s_teardown(void **state)
{
    (void)state;
    tlx_log_set_sink(NULL, NULL);
    assert_int_equal(s_cap.bad, 0);
    tlx_log_set_format(TLX_LOG_FMT_LOGFMT);
    tlx_log_set_rate_limit(20, 10000);
    s_cap_clear();
    return 0;
}

/* YYYY-MM-DDTHH:MM:SS.mmmZ */
static void s_check_ts(const char *t)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        if (shape[i] == 'd')
            assert_true(t[i] >= '0' && t[i] <= '9');
        else
            assert_int_equal(t[i], shape[i]);
    }
}

/* Line i with its ts field checked and removed (logfmt or JSON). */
static const char *s_body(size_t i)
{
    static char out[TLX_LOG_LINE_MAX + 1];
    assert_true(i < s_cap.n);
    assert_int_equal(s_cap.bad, 0);
    const char *l = s_cap.line[i];
    if (strncmp(l, "ts=", 3) == 0) {
        s_check_ts(l + 3);
        assert_int_equal(l[3 + 24], ' ');
        snprintf(out, sizeof out, "%s", l + 3 + 25);
    } else {
        assert_true(strncmp(l, "{\"ts\":\"", 7) == 0);
        s_check_ts(l + 7);
        assert_memory_equal(l + 7 + 24, "\",", 2);
        snprintf(out, sizeof out, "{%s", l + 7 + 26);
    }
    return out;
}

/* ---- a small strict JSON checker ------------------------------------ */

typedef struct {
    const unsigned char *p, *end;
    int depth;
    char keys[64][64]; /* top-level keys, to catch duplicates */
    int nkeys, unique;
} js_t;

static void js_ws(js_t *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static int js_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Strict: escapes, no raw control bytes, well-formed UTF-8 (no overlong, no surrogates). */
static int js_string(js_t *j, char *copy, size_t cap)
{
    size_t n = 0;
    if (j->p >= j->end || *j->p != '"')
        return 0;
    j->p++;
    while (j->p < j->end) {
        unsigned c = *j->p;
        if (c == '"') {
            j->p++;
            if (copy)
                copy[n < cap ? n : cap - 1] = '\0';
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (copy && n + 1 < cap)
            copy[n++] = (char)c;
        if (c == '\\') {
            j->p++;
            if (j->p >= j->end)
                return 0;
            c = *j->p;
            if (c == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (j->p + k >= j->end || !js_hex(j->p[k]))
                        return 0;
                j->p += 5;
                continue;
            }
            if (!strchr("\"\\/bfnrt", (int)c))
                return 0;
            j->p++;
            continue;
        }
        if (c < 0x80) {
            j->p++;
            continue;
        }
        int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        if (len == 0 || c > 0xF4 || j->end - j->p < len)
            return 0;
        uint32_t cp = c & (0xFF >> (len + 1));
        for (int k = 1; k < len; k++) {
            if ((j->p[k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (j->p[k] & 0x3F);
        }
        static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        j->p += len;
    }
    return 0;
}

static int js_value(js_t *j);

static int js_number(js_t *j)
{
    const unsigned char *s = j->p;
    if (j->p < j->end && *j->p == '-')
        j->p++;
    if (j->p >= j->end)
        return 0;
    if (*j->p == '0')
        j->p++;
    else if (*j->p >= '1' && *j->p <= '9')
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    else
        return 0;
    return j->p > s;
}

static int js_lit(js_t *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
        return 0;
    j->p += n;
    return 1;
}

static int js_container(js_t *j, int object)
{
    int top = j->depth == 0;
    if (++j->depth > 32)
        return 0;
    j->p++;
    js_ws(j);
    if (j->p < j->end && *j->p == (object ? '}' : ']')) {
        j->p++;
        j->depth--;
        return 1;
    }
    for (;;) {
        js_ws(j);
        if (object) {
            char key[64];
            if (!js_string(j, key, sizeof key))
                return 0;
            if (top && j->unique) {
                for (int i = 0; i < j->nkeys; i++)
                    if (strcmp(j->keys[i], key) == 0)
                        return 0; /* duplicate top-level key */
                if (j->nkeys < 64)
                    strcpy(j->keys[j->nkeys++], key);
            }
            js_ws(j);
            if (j->p >= j->end || *j->p != ':')
                return 0;
            j->p++;
        }
        if (!js_value(j))
            return 0;
        js_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == (object ? '}' : ']')) {
            j->p++;
            j->depth--;
            return 1;
        }
        return 0;
    }
}

static int js_value(js_t *j)
{
    js_ws(j);
    if (j->p >= j->end)
        return 0;
    switch (*j->p) {
    case '{':
        return js_container(j, 1);
    case '[':
        return js_container(j, 0);
    case '"':
        return js_string(j, NULL, 0);
    case 't':
        return js_lit(j, "true");
    case 'f':
        return js_lit(j, "false");
    case 'n':
        return js_lit(j, "null");
    default:
        return js_number(j);
    }
}

/*  A log line: one JSON object, then exactly "\n"; unique: no duplicate
    top-level keys (the logger passes a fragment's duplicates through). */
static int s_json_line_check(const char *line, int unique)
{
    size_t n = strlen(line);
    if (n < 3 || line[n - 1] != '\n' || line[0] != '{')
        return 0;
    js_t j = {.p = (const unsigned char *)line, .end = (const unsigned char *)line + n - 1, .unique = unique};
    if (!js_value(&j))
        return 0;
    return j.p == j.end;
}

static int s_json_line_ok(const char *line)
{
    return s_json_line_check(line, 1);
}

static int s_json_line_valid(const char *line)
{
    return s_json_line_check(line, 0);
}

static void test_json_checker_itself(void **state)
{
    (void)state;
    assert_true(s_json_line_ok("{\"a\":1,\"b\":\"x\\u0001\\\"\",\"c\":true}\n"));
    assert_true(s_json_line_ok("{\"a\":\"\xC3\xA9\xEF\xBF\xBD\"}\n"));
    assert_false(s_json_line_ok("{\"a\":1,\"a\":2}\n")); /* duplicate key */
    assert_true(s_json_line_valid("{\"a\":1,\"a\":2}\n"));
    assert_false(s_json_line_ok("{\"a\":\"\x01\"}\n"));     /* raw control byte */
    assert_false(s_json_line_ok("{\"a\":\"\xFF\"}\n"));     /* invalid UTF-8 */
    assert_false(s_json_line_ok("{\"a\":\"\xC0\xAF\"}\n")); /* overlong */
    assert_false(s_json_line_ok("{\"a\":007}\n"));
    assert_false(s_json_line_ok("{\"a\":\"x}\n"));
    assert_false(s_json_line_ok("{\"a\":1}"));
    assert_false(s_json_line_ok("{\"a\":1}\n\n"));
}

/* ---- logfmt ----------------------------------------------------------- */

static void test_logfmt_shape(void **state)
{
    (void)state;
    tlx_log(TLX_LOG_INFO, "listening", "endpoint=%s", "tcp://*:5555");
    tlx_log(TLX_LOG_ERROR, "cannot open store", NULL);
    tlx_log(TLX_LOG_WARN, "dead-lettered", "inbox=%llu stage=%s reason=\"%s\" attempts=%u", 42ull, "enrich",
            "worker died 3 times", 3u);
    assert_int_equal(s_cap.n, 3);
    assert_string_equal(s_body(0), "level=info msg=\"listening\" endpoint=tcp://*:5555\n");
    assert_string_equal(s_body(1), "level=error msg=\"cannot open store\"\n");
    assert_string_equal(s_body(2), "level=warn msg=\"dead-lettered\" inbox=42 stage=enrich "
                                   "reason=\"worker died 3 times\" attempts=3\n");
    assert_int_equal(s_cap.level[0], TLX_LOG_INFO);
    assert_int_equal(s_cap.level[1], TLX_LOG_ERROR);
    assert_int_equal(s_cap.level[2], TLX_LOG_WARN);
}

static void test_logfmt_one_line(void **state)
{
    (void)state;
    /* a msg built at run time and a value with a newline must not forge a line */
    tlx_log(TLX_LOG_ERROR, "open \"/x\\y\"\nts=0 level=info", "detail=\"%s\"", "a\nb\tc\x01");
    assert_int_equal(s_cap.n, 1);
    assert_string_equal(s_body(0), "level=error msg=\"open \\\"/x\\\\y\\\"\\nts=0 level=info\" "
                                   "detail=\"a\\nb\\tc\\u0001\"\n");
}

static void test_logfmt_truncated(void **state)
{
    (void)state;
    /* the fragment is cut by the fragment buffer inside a quoted value */
    char *big = malloc(10000);
    assert_non_null(big);
    memset(big, 'x', 9999);
    big[9999] = '\0';
    tlx_log(TLX_LOG_INFO, "big", "a=1 v=\"%s\"", big);
    /* and a line cut by the line buffer: every control byte becomes 6 bytes */
    memset(big, '\x01', 4000);
    big[4000] = '\0';
    tlx_log(TLX_LOG_INFO, "big", "v=\"%s\" after=1", big);
    /* cut right after a backslash inside quotes (4 + 4091 bytes): the close
       must not be escaped */
    memset(big, '\\', 9999);
    big[9999] = '\0';
    tlx_log(TLX_LOG_INFO, "big", "vv=\"%s\"", big);
    free(big);
    assert_int_equal(s_cap.n, 3);
    for (size_t i = 0; i < 3; i++) {
        const char *b = s_body(i);
        size_t n = strlen(b);
        assert_true(n > 40);
        assert_string_equal(b + n - strlen("\" truncated=true\n"), "\" truncated=true\n");
        /* quotes balance once escapes are skipped */
        int inq = 0;
        for (const char *p = b; *p; p++) {
            if (inq && *p == '\\' && p[1])
                p++;
            else if (*p == '"')
                inq = !inq;
        }
        assert_false(inq);
    }
    assert_int_equal(strlen(s_cap.line[0]), strlen("ts=2024-01-01T00:00:00.000Z level=info msg=\"big\" ") +
                                                TLX_LOG_FRAGMENT_MAX - 1 + strlen("\" truncated=true\n"));
    assert_null(strstr(s_cap.line[1], "after=1"));
}

/* ---- JSON ------------------------------------------------------------- */

/* Logs fragment `frag` (as %s) in JSON mode; returns the line without ts. */
static const char *s_json(const char *frag)
{
    size_t before = s_cap.n;
    tlx_log(TLX_LOG_INFO, "m", "%s", frag);
    assert_int_equal(s_cap.n, before + 1);
    assert_true(s_json_line_ok(s_cap.line[before]));
    return s_body(before);
}

static void test_json_bare(void **state)
{
    (void)state;
    tlx_log_set_format(TLX_LOG_FMT_JSON);
    tlx_log(TLX_LOG_WARN, "listening", NULL);
    assert_true(s_json_line_ok(s_cap.line[0]));
    assert_string_equal(s_body(0), "{\"level\":\"warn\",\"msg\":\"listening\"}\n");
    assert_string_equal(s_json("endpoint=tcp://*:5555 count=42 neg=-7 zero=0 minus0=-0"),
                        "{\"level\":\"info\",\"msg\":\"m\",\"endpoint\":\"tcp://*:5555\",\"count\":42,"
                        "\"neg\":-7,\"zero\":0,\"minus0\":-0}\n");
    /* not plain decimal integers: strings */
    assert_string_equal(s_json("lead=007 f=1.5 e=1e3 plus=+1 hex=0x10 dash=- big=123456789012345678901 "
                               "u64=18446744073709551615"),
                        "{\"level\":\"info\",\"msg\":\"m\",\"lead\":\"007\",\"f\":\"1.5\",\"e\":\"1e3\","
                        "\"plus\":\"+1\",\"hex\":\"0x10\",\"dash\":\"-\",\"big\":\"123456789012345678901\","
                        "\"u64\":18446744073709551615}\n");
    /* empty value, a flag, '=' inside a bare value, tabs and runs of spaces */
    assert_string_equal(s_json("  empty= flag\tkv=a=b   "),
                        "{\"level\":\"info\",\"msg\":\"m\",\"empty\":\"\",\"flag\":true,\"kv\":\"a=b\"}\n");
}

static void test_json_quoted(void **state)
{
    (void)state;
    tlx_log_set_format(TLX_LOG_FMT_JSON);
    assert_string_equal(s_json("reason=\"worker died 3 times\" q=\"42\" e=\"\""),
                        "{\"level\":\"info\",\"msg\":\"m\",\"reason\":\"worker died 3 times\",\"q\":\"42\","
                        "\"e\":\"\"}\n");
    /* logfmt escapes decoded, JSON escapes applied; unknown escapes kept as text */
    assert_string_equal(s_json("d=\"say \\\"hi\\\" \\\\ C:\\new\""),
                        "{\"level\":\"info\",\"msg\":\"m\",\"d\":\"say \\\"hi\\\" \\\\ C:\\\\new\"}\n");
    /* an escaped quote does not end the value; an unterminated one runs to the end */
    assert_string_equal(s_json("a=\"x\\\" y=1\" b=\"open to the end"),
                        "{\"level\":\"info\",\"msg\":\"m\",\"a\":\"x\\\" y=1\",\"b\":\"open to the end\"}\n");
    /* a trailing lone backslash in an unterminated value */
    assert_string_equal(s_json("a=\"x\\"), "{\"level\":\"info\",\"msg\":\"m\",\"a\":\"x\\\\\"}\n");
}

static void test_json_escaping(void **state)
{
    (void)state;
    tlx_log_set_format(TLX_LOG_FMT_JSON);
    /* raw control bytes in quoted and bare values, DEL */
    assert_string_equal(s_json("a=\"t\tn\nx\x01\" b=c\x1b[0m d=\"\x7f\""),
                        "{\"level\":\"info\",\"msg\":\"m\",\"a\":\"t\\u0009n\\u000ax\\u0001\","
                        "\"b\":\"c\",\"[0m\":true,\"d\":\"\\u007f\"}\n");
    /* valid UTF-8 kept; invalid bytes, overlongs, surrogates, > U+10FFFF, cut sequences -> U+FFFD */
    assert_string_equal(s_json("ok=\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x93\xB0\" bad=\xFF\xFEz "
                               "over=\xC0\xAF sur=\xED\xA0\x80 big=\xF4\x90\x80\x80 cut=\xE2\x82"),
                        "{\"level\":\"info\",\"msg\":\"m\",\"ok\":\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x93\xB0\","
                        "\"bad\":\"\xEF\xBF\xBD\xEF\xBF\xBDz\","
                        "\"over\":\"\xEF\xBF\xBD\xEF\xBF\xBD\","
                        "\"sur\":\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\","
                        "\"big\":\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\","
                        "\"cut\":\"\xEF\xBF\xBD\xEF\xBF\xBD\"}\n");
    /* msg is escaped too */
    size_t before = s_cap.n;
    tlx_log(TLX_LOG_ERROR, "bad \"path\" C:\\x\n\xFF", NULL);
    assert_true(s_json_line_ok(s_cap.line[before]));
    assert_string_equal(s_body(before),
                        "{\"level\":\"error\",\"msg\":\"bad \\\"path\\\" C:\\\\x\\u000a\xEF\xBF\xBD\"}\n");
}

static void test_json_garbage(void **state)
{
    (void)state;
    tlx_log_set_format(TLX_LOG_FMT_JSON);
    assert_string_equal(s_json("=oops \"lonely\" flag k=v a\"b\" c=\"q\"tail =\"x y\""),
                        "{\"level\":\"info\",\"msg\":\"m\",\"flag\":true,\"k\":\"v\","
                        "\"_unparsed\":\"=oops \\\"lonely\\\" a\\\"b\\\" c=\\\"q\\\"tail =\\\"x y\\\"\"}\n");
    /* keys that clash with the fixed fields, and duplicates of them */
    assert_string_equal(s_json("msg=x level=3 ts=now suppressed=1 other=2"),
                        "{\"level\":\"info\",\"msg\":\"m\",\"_msg\":\"x\",\"_level\":3,\"_ts\":\"now\","
                        "\"_suppressed\":1,\"other\":2}\n");
    /* only garbage, only separators */
    assert_string_equal(s_json("=="), "{\"level\":\"info\",\"msg\":\"m\",\"_unparsed\":\"==\"}\n");
    assert_string_equal(s_json(" \t "), "{\"level\":\"info\",\"msg\":\"m\"}\n");
}

/* Any bytes at all give one valid JSON line (and one logfmt line). */
static void test_json_random_fragments(void **state)
{
    (void)state;
    static const char alphabet[] = "ab=\" \\\t\n01-\x01\x7f\xC3\xA9\xFF\xE2\x82\xED\xA0\xF0\x9F";
    uint64_t x = 0x9E3779B97F4A7C15ull;
    char frag[200];
    for (int round = 0; round < 3000; round++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t n = (size_t)(x % (sizeof frag - 1));
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            frag[i] = alphabet[x % (sizeof alphabet - 1)];
        }
        frag[n] = '\0';
        s_cap_clear();
        tlx_log_set_format(TLX_LOG_FMT_JSON);
        tlx_log(TLX_LOG_INFO, frag, "%s", frag); /* msg too */
        tlx_log_set_format(TLX_LOG_FMT_LOGFMT);
        tlx_log(TLX_LOG_INFO, frag, "%s", frag); /* the sink checks: one line */
        assert_int_equal(s_cap.n, 2);
        assert_int_equal(s_cap.bad, 0);
        if (!s_json_line_valid(s_cap.line[0]))
            fail_msg("invalid JSON for round %d: %s", round, s_cap.line[0]);
    }
}

static void test_json_truncated(void **state)
{
    (void)state;
    tlx_log_set_format(TLX_LOG_FMT_JSON);
    char *big = malloc(10000);
    assert_non_null(big);
    const char *fills[] = {"x", "\x01", "\xFF", "\\", "\"", "k=1 "};
    for (size_t f = 0; f < sizeof fills / sizeof *fills; f++) {
        size_t fl = strlen(fills[f]), n = 0;
        while (n + fl < 9999) {
            memcpy(big + n, fills[f], fl);
            n += fl;
        }
        big[n] = '\0';
        s_cap_clear();
        tlx_log(TLX_LOG_INFO, "big", "v=\"%s\" after=1", big);
        tlx_log(TLX_LOG_INFO, "big", "%s", big);
        tlx_log(TLX_LOG_INFO, big, "after=1"); /* a huge msg */
        assert_int_equal(s_cap.n, 3);
        for (size_t i = 0; i < 3; i++) {
            const char *l = s_cap.line[i];
            if (!s_json_line_valid(l))
                fail_msg("invalid JSON for fill %zu line %zu", f, i);
            size_t len = strlen(l);
            assert_string_equal(l + len - strlen(",\"truncated\":true}\n"), ",\"truncated\":true}\n");
        }
    }
    free(big);
}

/* ---- levels, sink, syslog, parse -------------------------------------- */

static void test_levels(void **state)
{
    (void)state;
    assert_int_equal(tlx_log_get_level(), TLX_LOG_INFO);
    tlx_log(TLX_LOG_DEBUG, "debug line", NULL);
    assert_int_equal(s_cap.n, 0);
    tlx_log_set_level(TLX_LOG_WARN);
    assert_int_equal(tlx_log_get_level(), TLX_LOG_WARN);
    tlx_log(TLX_LOG_INFO, "info line", NULL);
    tlx_log(TLX_LOG_DEBUG, "debug line", NULL);
    tlx_log(TLX_LOG_WARN, "warn line", NULL);
    tlx_log(TLX_LOG_ERROR, "error line", NULL);
    assert_int_equal(s_cap.n, 2);
    assert_string_equal(s_body(0), "level=warn msg=\"warn line\"\n");
    assert_string_equal(s_body(1), "level=error msg=\"error line\"\n");
    tlx_log_set_level(TLX_LOG_DEBUG);
    tlx_log(TLX_LOG_DEBUG, "debug line", NULL);
    assert_int_equal(s_cap.n, 3);
    assert_string_equal(s_body(2), "level=debug msg=\"debug line\"\n");
    assert_int_equal(s_cap.level[2], TLX_LOG_DEBUG);
    tlx_log_set_level(TLX_LOG_ERROR);
    tlx_log(TLX_LOG_WARN, "warn line", NULL);
    assert_int_equal(s_cap.n, 3);
}

static void test_syslog_format(void **state)
{
    (void)state;
    /* with syslog on the ts field goes (syslog stamps lines); the sink still wins */
    tlx_log_set_syslog(1, "test_log");
    tlx_log(TLX_LOG_INFO, "listening", "endpoint=%s", "ipc://x");
    tlx_log_set_format(TLX_LOG_FMT_JSON);
    tlx_log(TLX_LOG_WARN, "listening", "n=%d", 5);
    tlx_log_set_syslog(0, NULL);
    tlx_log(TLX_LOG_WARN, "back", NULL);
    assert_int_equal(s_cap.n, 3);
    assert_string_equal(s_cap.line[0], "level=info msg=\"listening\" endpoint=ipc://x\n");
    assert_string_equal(s_cap.line[1], "{\"level\":\"warn\",\"msg\":\"listening\",\"n\":5}\n");
    assert_true(s_json_line_ok(s_cap.line[1]));
    assert_string_equal(s_body(2), "{\"level\":\"warn\",\"msg\":\"back\"}\n");
}

static void test_sink_null_restores_stderr(void **state)
{
    (void)state;
    tlx_log(TLX_LOG_INFO, "to sink", NULL);
    /* fd 2 pointed at a temp file for the duration */
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
    tlx_log_set_sink(NULL, NULL);
    tlx_log(TLX_LOG_INFO, "to stderr", "k=\"v w\"");
    tlx_log_set_sink(s_sink, &s_cap);
    tlx_log(TLX_LOG_INFO, "to sink again", NULL);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    char buf[256] = {0};
    rewind(tmp);
    size_t n = fread(buf, 1, sizeof buf - 1, tmp);
    fclose(tmp);
    assert_true(n > 28);
    assert_memory_equal(buf, "ts=", 3);
    s_check_ts(buf + 3);
    assert_string_equal(buf + 3 + 25, "level=info msg=\"to stderr\" k=\"v w\"\n");
    assert_int_equal(s_cap.n, 2);
    assert_string_equal(s_body(1), "level=info msg=\"to sink again\"\n");
}

static void test_errno_preserved(void **state)
{
    (void)state;
    errno = EAGAIN;
    tlx_log(TLX_LOG_INFO, "x", "e=%d", 1);
    assert_int_equal(errno, EAGAIN);
}

static void test_parse(void **state)
{
    (void)state;
    assert_int_equal(tlx_log_parse_level("error"), TLX_LOG_ERROR);
    assert_int_equal(tlx_log_parse_level("warn"), TLX_LOG_WARN);
    assert_int_equal(tlx_log_parse_level("info"), TLX_LOG_INFO);
    assert_int_equal(tlx_log_parse_level("debug"), TLX_LOG_DEBUG);
    assert_int_equal(tlx_log_parse_level("INFO"), -1);
    assert_int_equal(tlx_log_parse_level("warning"), -1);
    assert_int_equal(tlx_log_parse_level(""), -1);
    assert_int_equal(tlx_log_parse_level(NULL), -1);
    assert_int_equal(tlx_log_parse_format("logfmt"), TLX_LOG_FMT_LOGFMT);
    assert_int_equal(tlx_log_parse_format("json"), TLX_LOG_FMT_JSON);
    assert_int_equal(tlx_log_parse_format("JSON"), -1);
    assert_int_equal(tlx_log_parse_format("text"), -1);
    assert_int_equal(tlx_log_parse_format(""), -1);
    assert_int_equal(tlx_log_parse_format(NULL), -1);
}

/* ---- rate limiting ---------------------------------------------------- */

static void s_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void test_rate_limit(void **state)
{
    (void)state;
    tlx_log_set_rate_limit(3, 200);
    uint64_t total0 = tlx_log_suppressed_total();
    for (int i = 0; i < 10; i++)
        tlx_log(TLX_LOG_WARN, "peer refused", "i=%d", i);
    assert_int_equal(s_cap.n, 3);
    assert_string_equal(s_body(2), "level=warn msg=\"peer refused\" i=2\n");
    assert_int_equal(tlx_log_suppressed_total() - total0, 7);

    /* another msg, and the same msg at another level, have their own budget */
    tlx_log(TLX_LOG_WARN, "other", NULL);
    tlx_log(TLX_LOG_ERROR, "peer refused", "i=%d", 99);
    assert_int_equal(s_cap.n, 5);

    /* same text from another buffer (run-time msgs) counts as the same source */
    char dyn[32];
    snprintf(dyn, sizeof dyn, "%s", "peer refused");
    tlx_log(TLX_LOG_WARN, dyn, NULL);
    assert_int_equal(s_cap.n, 5);
    assert_int_equal(tlx_log_suppressed_total() - total0, 8);

    s_sleep_ms(300);
    tlx_log(TLX_LOG_WARN, "peer refused", "i=%d", 10);
    tlx_log(TLX_LOG_WARN, "peer refused", "i=%d", 11);
    tlx_log(TLX_LOG_WARN, "other", NULL); /* nothing was dropped for it */
    assert_int_equal(s_cap.n, 8);
    assert_string_equal(s_body(5), "level=warn msg=\"peer refused\" i=10 suppressed=8\n");
    assert_string_equal(s_body(6), "level=warn msg=\"peer refused\" i=11\n");
    assert_string_equal(s_body(7), "level=warn msg=\"other\"\n");
    assert_int_equal(tlx_log_suppressed_total() - total0, 8);
}

static void test_rate_limit_json(void **state)
{
    (void)state;
    tlx_log_set_format(TLX_LOG_FMT_JSON);
    tlx_log_set_rate_limit(3, 200);
    for (int i = 0; i < 5; i++)
        tlx_log(TLX_LOG_INFO, "rejected", "reason=%s", "too \"big\"");
    assert_int_equal(s_cap.n, 3);
    s_sleep_ms(300);
    tlx_log(TLX_LOG_INFO, "rejected", "reason=\"%s\" suppressed=x", "too big");
    assert_int_equal(s_cap.n, 4);
    assert_true(s_json_line_ok(s_cap.line[3]));
    assert_string_equal(s_body(3), "{\"level\":\"info\",\"msg\":\"rejected\",\"reason\":\"too big\","
                                   "\"_suppressed\":\"x\",\"suppressed\":2}\n");
}

static void test_rate_limit_filtered_not_counted(void **state)
{
    (void)state;
    tlx_log_set_rate_limit(2, 60000);
    for (int i = 0; i < 10; i++)
        tlx_log(TLX_LOG_DEBUG, "noisy", NULL); /* below the level: not counted */
    tlx_log_set_level(TLX_LOG_DEBUG);
    tlx_log(TLX_LOG_DEBUG, "noisy", NULL);
    tlx_log(TLX_LOG_DEBUG, "noisy", NULL);
    tlx_log(TLX_LOG_DEBUG, "noisy", NULL);
    assert_int_equal(s_cap.n, 2);
}

/* A reload applies the same settings again (SIGHUP): the windows stand. */
static void test_rate_limit_survives_reload(void **state)
{
    (void)state;
    tlx_log_set_rate_limit(2, 60000);
    for (int i = 0; i < 4; i++)
        tlx_log(TLX_LOG_WARN, "flood", NULL);
    assert_int_equal(s_cap.n, 2);
    for (int r = 0; r < 5; r++) {
        tlx_log_set_rate_limit(2, 60000);
        tlx_log(TLX_LOG_WARN, "flood", NULL);
    }
    assert_int_equal(s_cap.n, 2);
    tlx_log_set_rate_limit(3, 60000); /* new settings: a fresh window */
    tlx_log(TLX_LOG_WARN, "flood", NULL);
    assert_int_equal(s_cap.n, 3);
}

static void test_rate_limit_disabled_and_table_bounded(void **state)
{
    (void)state;
    uint64_t total0 = tlx_log_suppressed_total();
    tlx_log_set_rate_limit(0, 10000);
    for (int i = 0; i < 100; i++)
        tlx_log(TLX_LOG_INFO, "same", NULL);
    assert_int_equal(s_cap.total, 100);
    tlx_log_set_rate_limit(5, -1); /* invalid window: disabled */
    for (int i = 0; i < 10; i++)
        tlx_log(TLX_LOG_INFO, "same", NULL);
    assert_int_equal(s_cap.total, 110);
    assert_int_equal(tlx_log_suppressed_total(), total0);

    /* far more distinct messages than slots: each is seen once, none dropped;
       evictions never merge two messages */
    tlx_log_set_rate_limit(1, 60000);
    char msg[32];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 1000; i++) {
            snprintf(msg, sizeof msg, "distinct %d", i);
            tlx_log(TLX_LOG_INFO, msg, NULL);
        }
    /* the second round finds most entries evicted (1000 > slots) and passes
       them again; the ones still in the table are dropped -- at most a table */
    assert_true(s_cap.total >= 110 + 2000 - TLX_LOG_RATE_SLOTS);
    assert_true(s_cap.total <= 110 + 2000);
    assert_int_equal(tlx_log_suppressed_total() - total0, 110 + 2000 - s_cap.total);

    /* long messages that share a 48+ byte prefix are still distinct */
    tlx_log_set_rate_limit(1, 60000);
    size_t t0 = s_cap.total;
    tlx_log(TLX_LOG_INFO, "a long message that shares its first fifty-odd bytes ... one", NULL);
    tlx_log(TLX_LOG_INFO, "a long message that shares its first fifty-odd bytes ... two", NULL);
    assert_int_equal(s_cap.total - t0, 2);
}

/* ---- threads ---------------------------------------------------------- */

#define THREADS 4
#define PER_THREAD 500

static void *s_writer(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < PER_THREAD; i++)
        tlx_log(TLX_LOG_INFO, "tick", "thread=%d i=%d pad=\"%s\"", id, i,
                "................................................................");
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    tlx_log_set_format(TLX_LOG_FMT_JSON);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, s_writer, (void *)(intptr_t)i), 0);
    /* reconfigure while they write */
    for (int i = 0; i < 50; i++)
        tlx_log_set_format(i % 2 ? TLX_LOG_FMT_JSON : TLX_LOG_FMT_LOGFMT);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(s_cap.total, THREADS * PER_THREAD);
    for (size_t i = 0; i < s_cap.n; i++)
        if (s_cap.line[i][0] == '{')
            assert_true(s_json_line_ok(s_cap.line[i]));
        else
            assert_non_null(strstr(s_cap.line[i], " msg=\"tick\" thread="));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_checker_itself),
        cmocka_unit_test_setup_teardown(test_logfmt_shape, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_logfmt_one_line, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_logfmt_truncated, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_json_bare, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_json_quoted, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_json_escaping, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_json_garbage, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_json_random_fragments, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_json_truncated, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_levels, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_syslog_format, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_sink_null_restores_stderr, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_errno_preserved, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_parse, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_json, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_filtered_not_counted, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_survives_reload, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_disabled_and_table_bounded, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_threads, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
