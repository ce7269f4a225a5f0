/* SPDX-License-Identifier: Apache-2.0 */
/*  test_golden.c -- every seed against its golden record (tests/golden/).

    The goldens were written by reading the articles, field by field (see
    tests/golden/README.md), not by copying the pipeline's output.  This test
    runs the text pipeline on each seed the way telexd does and compares the
    structure fields one by one, reporting every mismatch with the field's
    path.  A golden's "known_wrong" object lists fields the pipeline is known
    to get wrong, with the reason: they are reported, not failed, and fail
    once they match (so the entry gets removed).

    The golden files are parsed by the small JSON reader below: no new
    dependency for a test, and the goldens stay plain JSON that any tool reads.
*/
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_text.h"

/* ---- a small JSON reader ----------------------------------------------------- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype_t;

typedef struct jv {
    jtype_t type;
    double num;   /* J_NUM; J_BOOL: 0 or 1 */
    char *str;    /* J_STR: UTF-8, NUL-terminated */
    struct jv *v; /* J_ARR, J_OBJ: the n values */
    char **keys;  /* J_OBJ: the n keys */
    size_t n;
} jv_t;

typedef struct {
    const char *p, *end;
    const char *err; /* first error, NULL while all is well */
} jr_t;

static void s_jfree(jv_t *v)
{
    free(v->str);
    for (size_t i = 0; i < v->n; i++) {
        s_jfree(&v->v[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->v);
    free(v->keys);
    memset(v, 0, sizeof *v);
}

static void s_ws(jr_t *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int s_fail(jr_t *r, const char *why)
{
    if (!r->err)
        r->err = why;
    return -1;
}

static int s_hex4(jr_t *r, unsigned *u)
{
    *u = 0;
    for (int i = 0; i < 4; i++, r->p++) {
        if (r->p >= r->end)
            return s_fail(r, "truncated \\u escape");
        char c = *r->p;
        unsigned d = c >= '0' && c <= '9'                 ? (unsigned)(c - '0')
                     : (c | 32) >= 'a' && (c | 32) <= 'f' ? (unsigned)((c | 32) - 'a' + 10)
                                                          : 16;
        if (d == 16)
            return s_fail(r, "bad \\u escape");
        *u = *u << 4 | d;
    }
    return 0;
}

/* A string at r->p (after the opening quote) into a malloc'd UTF-8 copy. */
static int s_jstr(jr_t *r, char **out)
{
    size_t cap = 64, n = 0;
    char *s = malloc(cap);
    if (!s)
        return s_fail(r, "out of memory");
    for (;;) {
        if (r->p >= r->end) {
            free(s);
            return s_fail(r, "unterminated string");
        }
        if (n + 5 > cap) {
            char *b = realloc(s, cap *= 2);
            if (!b) {
                free(s);
                return s_fail(r, "out of memory");
            }
            s = b;
        }
        char c = *r->p++;
        if (c == '"')
            break;
        if ((unsigned char)c < 0x20) {
            free(s);
            return s_fail(r, "control character in string");
        }
        if (c != '\\') {
            s[n++] = c;
            continue;
        }
        if (r->p >= r->end) {
            free(s);
            return s_fail(r, "truncated escape");
        }
        c = *r->p++;
        const char *simple = strchr("\"\\/bfnrt", c);
        if (simple && c) {
            s[n++] = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
            continue;
        }
        unsigned u, lo;
        if (c != 'u' || s_hex4(r, &u)) {
            free(s);
            return s_fail(r, "bad escape");
        }
        if (u >= 0xd800 && u < 0xdc00) { /* a surrogate pair */
            if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u') {
                free(s);
                return s_fail(r, "lone surrogate");
            }
            r->p += 2;
            if (s_hex4(r, &lo) || lo < 0xdc00 || lo > 0xdfff) {
                free(s);
                return s_fail(r, "bad surrogate pair");
            }
            u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        }
        if (u < 0x80) {
            s[n++] = (char)u;
        } else if (u < 0x800) {
            s[n++] = (char)(0xc0 | u >> 6);
            s[n++] = (char)(0x80 | (u & 0x3f));
        } else if (u < 0x10000) {
            s[n++] = (char)(0xe0 | u >> 12);
            s[n++] = (char)(0x80 | (u >> 6 & 0x3f));
            s[n++] = (char)(0x80 | (u & 0x3f));
        } else {
            s[n++] = (char)(0xf0 | u >> 18);
            s[n++] = (char)(0x80 | (u >> 12 & 0x3f));
            s[n++] = (char)(0x80 | (u >> 6 & 0x3f));
            s[n++] = (char)(0x80 | (u & 0x3f));
        }
    }
    s[n] = '\0';
    *out = s;
    return 0;
}

static int s_jvalue(jr_t *r, jv_t *v, int depth);

/* The members of an array or object, after its opening bracket. */
static int s_jitems(jr_t *r, jv_t *v, char close, int depth)
{
    size_t cap = 0;
    s_ws(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return 0;
    }
    for (;;) {
        if (v->n == cap) {
            cap = cap ? cap * 2 : 8;
            jv_t *nv = realloc(v->v, cap * sizeof *nv);
            char **nk = v->type == J_OBJ ? realloc(v->keys, cap * sizeof *nk) : NULL;
            if (nv)
                v->v = nv;
            if (nk)
                v->keys = nk;
            if (!nv || (v->type == J_OBJ && !nk))
                return s_fail(r, "out of memory");
        }
        memset(&v->v[v->n], 0, sizeof *v->v);
        if (v->type == J_OBJ) {
            s_ws(r);
            if (r->p >= r->end || *r->p != '"')
                return s_fail(r, "object key expected");
            r->p++;
            if (s_jstr(r, &v->keys[v->n]))
                return -1;
            s_ws(r);
            if (r->p >= r->end || *r->p++ != ':') {
                free(v->keys[v->n]);
                return s_fail(r, "':' expected");
            }
        }
        v->n++; /* counted before parsing, so that s_jfree frees a half-read value */
        if (s_jvalue(r, &v->v[v->n - 1], depth + 1))
            return -1;
        s_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return 0;
        }
        return s_fail(r, "',' or closing bracket expected");
    }
}

static int s_jvalue(jr_t *r, jv_t *v, int depth)
{
    if (depth > 32)
        return s_fail(r, "nested too deep");
    s_ws(r);
    if (r->p >= r->end)
        return s_fail(r, "value expected");
    size_t left = (size_t)(r->end - r->p);
    char c = *r->p;
    if (c == '"') {
        r->p++;
        v->type = J_STR;
        return s_jstr(r, &v->str);
    }
    if (c == '[' || c == '{') {
        r->p++;
        v->type = c == '[' ? J_ARR : J_OBJ;
        return s_jitems(r, v, c == '[' ? ']' : '}', depth);
    }
    if (left >= 4 && memcmp(r->p, "null", 4) == 0) {
        r->p += 4;
        v->type = J_NULL;
        return 0;
    }
    if (left >= 4 && memcmp(r->p, "true", 4) == 0) {
        r->p += 4;
        v->type = J_BOOL, v->num = 1;
        return 0;
    }
    if (left >= 5 && memcmp(r->p, "false", 5) == 0) {
        r->p += 5;
        v->type = J_BOOL;
        return 0;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        char buf[64];
        size_t k = 0;
        while (r->p < r->end && k < sizeof buf - 1 && strchr("+-.eE0123456789", *r->p) && *r->p)
            buf[k++] = *r->p++;
        buf[k] = '\0';
        char *e;
        v->type = J_NUM;
        v->num = strtod(buf, &e);
        return *e ? s_fail(r, "bad number") : 0;
    }
    return s_fail(r, "unexpected character");
}

/* Parses a whole document; on error, *err says why and where. */
static int s_jparse(const char *text, size_t len, jv_t *out, char *err, size_t errlen)
{
    jr_t r = {text, text + len, NULL};
    memset(out, 0, sizeof *out);
    if (s_jvalue(&r, out, 0) == 0) {
        s_ws(&r);
        if (r.p != r.end)
            s_fail(&r, "trailing characters");
    }
    if (!r.err)
        return 0;
    snprintf(err, errlen, "%s at byte %zu", r.err, (size_t)(r.p - text));
    s_jfree(out);
    return -1;
}

static const jv_t *s_jget(const jv_t *obj, const char *key)
{
    for (size_t i = 0; obj && obj->type == J_OBJ && i < obj->n; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return &obj->v[i];
    return NULL;
}

static void test_json_reader(void **state)
{
    (void)state;
    jv_t v;
    char err[128];
    const char *doc =
        "{\"a\": [1, -2.5e1, true, false, null], \"s\": \"q\\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00\", \"o\": {}}";
    assert_int_equal(s_jparse(doc, strlen(doc), &v, err, sizeof err), 0);
    assert_int_equal(s_jget(&v, "a")->n, 5);
    assert_true(s_jget(&v, "a")->v[1].num == -25.0);
    assert_int_equal(s_jget(&v, "a")->v[4].type, J_NULL);
    assert_string_equal(s_jget(&v, "s")->str, "q\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
    assert_int_equal(s_jget(&v, "o")->type, J_OBJ);
    s_jfree(&v);
    static const char *const bad[] = {"",      "{",   "[1,]",  "{\"a\" 1}", "\"abc", "\"\\ud800\"",
                                      "[1] x", "nul", "{1: 2}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(s_jparse(bad[i], strlen(bad[i]), &v, err, sizeof err), -1);
}

/* ---- goldens --------------------------------------------------------------------- */

static tlx_text_t *T;
static tlx_arena_t *A;

static char *s_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap), *nb;
    while (b && (n += fread(b + n, 1, cap - n, f)) == cap) {
        if (!(nb = realloc(b, cap *= 2)))
            free(b);
        b = nb;
    }
    fclose(f);
    *len = n;
    return b;
}

/* One seed's comparison: mismatches counted and printed with their path. */
typedef struct {
    const char *seed;
    const jv_t *known; /* the golden's "known_wrong" object, or NULL */
    int failures;
} cmp_t;

static void s_mismatch(cmp_t *c, const char *field, const char *path, const char *want, const char *got)
{
    const jv_t *why = s_jget(c->known, field);
    if (why) {
        print_message("%s: %s: known wrong (%s)\n    expected \"%s\"\n    got      \"%s\"\n", c->seed, path,
                      why->type == J_STR ? why->str : "?", want ? want : "null", got ? got : "null");
        return;
    }
    c->failures++;
    print_error("%s: %s:\n    expected %s%s%s\n    got      %s%s%s\n", c->seed, path, want ? "\"" : "",
                want ? want : "null", want ? "\"" : "", got ? "\"" : "", got ? got : "null", got ? "\"" : "");
}

/* A string or null field; returns 1 when it matches. */
static int s_cmp_str(cmp_t *c, const char *field, const char *path, const jv_t *want, const char *got)
{
    if (!want || (want->type != J_STR && want->type != J_NULL)) {
        c->failures++;
        print_error("%s: golden field %s is missing or not a string/null\n", c->seed, path);
        return 0;
    }
    const char *w = want->type == J_STR ? want->str : NULL;
    if ((!w && !got) || (w && got && strcmp(w, got) == 0))
        return 1;
    s_mismatch(c, field, path, w, got);
    return 0;
}

static void s_cmp_strv(cmp_t *c, const char *field, const jv_t *want, const tlx_strv_t *got)
{
    char path[96];
    if (!want || want->type != J_ARR) {
        c->failures++;
        print_error("%s: golden field %s is missing or not an array\n", c->seed, field);
        return;
    }
    for (size_t i = 0; i < want->n || i < got->n; i++) {
        snprintf(path, sizeof path, "%s[%zu]", field, i);
        if (i >= want->n)
            s_mismatch(c, field, path, NULL, got->v[i]); /* extra element */
        else if (i >= got->n)
            s_mismatch(c, field, path, want->v[i].type == J_STR ? want->v[i].str : "?", NULL); /* missing */
        else
            s_cmp_str(c, field, path, &want->v[i], got->v[i]);
    }
}

/* The n-th paragraph of the body (paragraphs are separated by one blank line). */
static const char *s_paragraph(const tlx_record_t *rec, int last, char *buf, size_t cap, size_t *count)
{
    const char *b = rec->body, *end = b + rec->body_len, *p = b, *start = b;
    *count = rec->body_len ? 1 : 0;
    const char *first_end = end;
    while ((p = strstr(p, "\n\n")) && p < end) {
        if (first_end == end)
            first_end = p;
        (*count)++;
        p += 2;
        start = p;
    }
    const char *s = last ? start : b, *e = last ? end : first_end;
    snprintf(buf, cap, "%.*s", (int)(e - s), s);
    return rec->body_len ? buf : NULL;
}

/* Returns the number of fields that differ (printed), or 1 when the seed
   cannot be checked at all. */
static int s_check_seed(const char *seed)
{
    char path[512], err[160];
    size_t tlen, glen;
    snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, seed);
    char *text = s_slurp(path, &tlen);
    if (!text) {
        print_error("%s: cannot read the seed\n", seed);
        return 1;
    }
    snprintf(path, sizeof path, "%s/tests/golden/%.*s.json", TLX_SOURCE_DIR, (int)(strlen(seed) - 4), seed);
    char *gtext = s_slurp(path, &glen);
    if (!gtext) {
        free(text);
        print_error("%s: no golden record (%s): write one by reading the article\n", seed, path);
        return 1;
    }
    jv_t g;
    if (s_jparse(gtext, glen, &g, err, sizeof err)) {
        free(text);
        free(gtext);
        print_error("%s: %s\n", path, err);
        return 1;
    }
    free(gtext);
    const jv_t *src = s_jget(&g, "source"), *tz = s_jget(&g, "tz");
    tlx_text_opts_t o = {.source = src && src->type == J_STR ? src->str : NULL,
                         .tz = tz && tz->type == J_STR ? tz->str : NULL};
    tlx_record_t r;
    tlx_arena_reset(A);
    int rc = tlx_text_process(T, text, tlen, &o, A, &r);
    free(text);
    if (rc) {
        s_jfree(&g);
        print_error("%s: the pipeline failed: %d\n", seed, rc);
        return 1;
    }

    cmp_t c = {seed, s_jget(&g, "known_wrong"), 0};
    s_cmp_str(&c, "title", "title", s_jget(&g, "title"), r.title);
    s_cmp_strv(&c, "tags", s_jget(&g, "tags"), &r.tags);
    const jv_t *caps = s_jget(&g, "captions");
    if (!caps || caps->type != J_ARR) {
        c.failures++;
        print_error("%s: golden field captions is missing or not an array\n", seed);
    }
    for (size_t i = 0; caps && caps->type == J_ARR && (i < caps->n || i < r.ncaptions); i++) {
        char p[64];
        snprintf(p, sizeof p, "captions[%zu]", i);
        if (i >= caps->n || i >= r.ncaptions) {
            s_mismatch(&c, "captions", p, i < caps->n ? "a caption" : NULL,
                       i < r.ncaptions ? r.captions[i].text : NULL);
            continue;
        }
        snprintf(p, sizeof p, "captions[%zu].text", i);
        s_cmp_str(&c, "captions", p, s_jget(&caps->v[i], "text"), r.captions[i].text);
        snprintf(p, sizeof p, "captions[%zu].credit", i);
        s_cmp_str(&c, "captions", p, s_jget(&caps->v[i], "credit"), r.captions[i].credit);
    }
    s_cmp_strv(&c, "authors", s_jget(&g, "authors"), &r.authors);
    s_cmp_str(&c, "published_at", "published_at", s_jget(&g, "published_at"), r.published_at);
    s_cmp_strv(&c, "subheadings", s_jget(&g, "subheadings"), &r.subheadings);
    const jv_t *credits = s_jget(&g, "credits");
    s_cmp_strv(&c, "credits.translated_by", s_jget(credits, "translated_by"), &r.translated_by);
    s_cmp_strv(&c, "credits.edited_by", s_jget(credits, "edited_by"), &r.edited_by);
    s_cmp_strv(&c, "boilerplate", s_jget(&g, "boilerplate"), &r.boilerplate);

    static char para[1 << 16];
    size_t count;
    int first_ok = s_cmp_str(&c, "first_paragraph", "first_paragraph", s_jget(&g, "first_paragraph"),
                             s_paragraph(&r, 0, para, sizeof para, &count));
    int last_ok = s_cmp_str(&c, "last_paragraph", "last_paragraph", s_jget(&g, "last_paragraph"),
                            s_paragraph(&r, 1, para, sizeof para, &count));
    const jv_t *np = s_jget(&g, "body_paragraphs");
    if (!np || np->type != J_NUM || (size_t)np->num != count) {
        char want[32], got[32];
        snprintf(want, sizeof want, "%.0f", np && np->type == J_NUM ? np->num : -1.0);
        snprintf(got, sizeof got, "%zu", count);
        s_mismatch(&c, "body_paragraphs", "body_paragraphs", want, got);
    }
    /* a known-wrong field that now matches: the golden should say so */
    int ok[] = {first_ok, last_ok};
    const char *names[] = {"first_paragraph", "last_paragraph"};
    for (size_t i = 0; i < 2; i++)
        if (ok[i] && s_jget(c.known, names[i])) {
            c.failures++;
            print_error("%s: %s is listed in known_wrong but now matches: remove the entry\n", seed,
                        names[i]);
        }
    s_jfree(&g);
    return c.failures;
}

static int s_cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_seeds(void **state)
{
    (void)state;
    char *names[64];
    size_t n = 0;
    DIR *d = opendir(TLX_SOURCE_DIR "/seeds");
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) && n < 64;) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".txt") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    assert_int_equal(n, 5);
    qsort(names, n, sizeof *names, s_cmp_names);
    int failures = 0;
    for (size_t i = 0; i < n; i++) { /* every seed, so that one run shows every difference */
        failures += s_check_seed(names[i]);
        free(names[i]);
    }
    if (failures)
        fail_msg("%d field(s) differ from the golden records (listed above)", failures);
}

static int s_setup(void **state)
{
    (void)state;
    const char *err = NULL;
    T = tlx_text_new(TLX_SOURCE_DIR "/data", &err);
    A = tlx_arena_new(1 << 20);
    return T && A ? 0 : -1;
}

static int s_teardown(void **state)
{
    (void)state;
    tlx_text_destroy(&T);
    tlx_arena_destroy(&A);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_reader),
        cmocka_unit_test(test_seeds),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
