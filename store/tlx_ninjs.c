/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_ninjs.c -- record -> ninjs 3.0 (see tlx_ninjs.h).

    The item is built as msgpack with msgpack-c's packer and rendered by
    tlx_json, so escaping, invalid UTF-8 and pretty printing behave exactly
    like `telex get`.  The record is read with the bounded tlx_mp reader:
    one pass records where each top-level value starts and ends, later steps
    read those ranges.  Rejected: a hand-written JSON emitter for ninjs (a
    second escaper to keep right), and a per-field struct of the record (it
    would break each time the record gains a key; the extension copies keys
    it does not know).
*/
#include "tlx_ninjs.h"

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tlx_error.h"
#include "tlx_json.h"
#include "tlx_mp.h"

#define MAX_DEPTH 16
#define MAX_KEYS 64

typedef struct {
    const char *key;
    size_t klen;
    const uint8_t *v, *vend; /* the raw msgpack value */
} field_t;

typedef struct {
    field_t f[MAX_KEYS];
    int n;
} record_t;

static int s_buf_write(void *data, const char *buf, size_t len)
{
    return tlx_buf_append(data, buf, len) ? -1 : 0;
}

static int s_index(const void *rec, size_t len, record_t *r)
{
    tlx_mp_t c;
    tlx_mp_init(&c, rec, len);
    uint32_t n;
    if (tlx_mp_read_map(&c, &n))
        return TLX_EMALFORMED;
    r->n = 0;
    for (uint32_t i = 0; i < n; i++) {
        const char *k;
        size_t kl;
        if (tlx_mp_read_str(&c, &k, &kl))
            return TLX_EMALFORMED;
        const uint8_t *v = c.p;
        if (tlx_mp_skip(&c, MAX_DEPTH))
            return TLX_EMALFORMED;
        if (r->n < MAX_KEYS)
            r->f[r->n++] = (field_t){k, kl, v, c.p};
    }
    return 0;
}

static const field_t *s_get(const record_t *r, const char *key)
{
    for (int i = 0; i < r->n; i++)
        if (tlx_mp_streq(r->f[i].key, r->f[i].klen, key))
            return &r->f[i];
    return NULL;
}

/* A string value (non-empty) of a range, or false. */
static bool s_str_of(const uint8_t *v, const uint8_t *vend, const char **s, size_t *len)
{
    if (!v)
        return false;
    tlx_mp_t c = {v, vend};
    return tlx_mp_read_str(&c, s, len) == 0 && *len > 0;
}

static bool s_str(const record_t *r, const char *key, const char **s, size_t *len)
{
    const field_t *f = s_get(r, key);
    return f && s_str_of(f->v, f->vend, s, len);
}

static bool s_uint(const record_t *r, const char *key, uint64_t *u)
{
    const field_t *f = s_get(r, key);
    if (!f)
        return false;
    tlx_mp_t c = {f->v, f->vend};
    return tlx_mp_read_uint(&c, u) == 0;
}

/* Looks up `key` in the map [v, vend); its value range. */
static bool s_map_get(const uint8_t *v, const uint8_t *vend, const char *key, const uint8_t **out,
                      const uint8_t **out_end)
{
    tlx_mp_t c = {v, vend}, val;
    if (tlx_mp_map_find(&c, key, MAX_DEPTH, &val))
        return false;
    *out = val.p;
    *out_end = val.end;
    return true;
}

/* RFC 3339 date-time (what ninjs' "format": "date-time" means):
   YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM). */
static bool s_is_datetime(const char *s, size_t n)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:dd";
    if (n < 20)
        return false;
    for (size_t i = 0; i < 19; i++)
        if (pat[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pat[i])
            return false;
    size_t i = 19;
    if (s[i] == '.') {
        i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    }
    if (i + 1 == n && s[i] == 'Z')
        return true;
    return i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 1] >= '0' && s[i + 1] <= '9' &&
           s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] == ':' && s[i + 4] >= '0' && s[i + 4] <= '9' &&
           s[i + 5] >= '0' && s[i + 5] <= '9';
}

static int s_key(msgpack_packer *pk, const char *k)
{
    return msgpack_pack_str_with_body(pk, k, strlen(k));
}

static int s_kv(msgpack_packer *pk, const char *k, const char *v, size_t n)
{
    return s_key(pk, k) | msgpack_pack_str_with_body(pk, v, n);
}

static int s_kvz(msgpack_packer *pk, const char *k, const char *v)
{
    return s_kv(pk, k, v, strlen(v));
}

/* Unix ms -> "YYYY-MM-DDTHH:MM:SS.mmmZ". */
static int s_kv_time(msgpack_packer *pk, const char *k, uint64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char b[40];
    if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999)
        return 0;
    size_t n = strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
    n += (size_t)snprintf(b + n, sizeof b - n, ".%03uZ", (unsigned)(ms % 1000));
    return s_kv(pk, k, b, n);
}

/* The ninjs uri: urn:telex:<id>, id percent-encoded outside RFC 3986's unreserved set. */
static int s_kv_uri(msgpack_packer *pk, const char *id, size_t n, tlx_buf_t *tmp)
{
    static const char hex[] = "0123456789ABCDEF";
    tmp->len = 0;
    int rc = tlx_buf_append(tmp, "urn:telex:", 10);
    for (size_t i = 0; i < n && !rc; i++) {
        unsigned char ch = (unsigned char)id[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
            ch == '.' || ch == '_' || ch == '~')
            rc = tlx_buf_putc(tmp, (char)ch);
        else {
            char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
            rc = tlx_buf_append(tmp, e, 3);
        }
    }
    return rc ? rc : s_kv(pk, "uri", tmp->data, tmp->len);
}

/* Counts the string elements of an array value (non-empty strings). */
static uint32_t s_count_strs(const field_t *f)
{
    if (!f)
        return 0;
    tlx_mp_t c = {f->v, f->vend};
    uint32_t n, k = 0;
    if (tlx_mp_read_array(&c, &n))
        return 0;
    for (uint32_t i = 0; i < n; i++) {
        tlx_mp_item_t it;
        const uint8_t *v = c.p;
        if (tlx_mp_skip(&c, MAX_DEPTH))
            break;
        tlx_mp_t e = {v, c.p};
        if (tlx_mp_next(&e, &it) == 0 && it.type == TLX_MP_STR && it.len)
            k++;
    }
    return k;
}

/* Calls fn for each non-empty string of an array value; stops on nonzero. */
typedef int (*str_fn)(void *ctx, const char *s, size_t n);
static int s_each_str(const field_t *f, str_fn fn, void *ctx)
{
    if (!f)
        return 0;
    tlx_mp_t c = {f->v, f->vend};
    uint32_t n;
    if (tlx_mp_read_array(&c, &n))
        return 0;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *v = c.p;
        if (tlx_mp_skip(&c, MAX_DEPTH))
            return 0;
        const char *s;
        size_t len;
        if (s_str_of(v, c.p, &s, &len)) {
            int rc = fn(ctx, s, len);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* ---- entities -> people, organisations, places, subjects ---------------- */

#define MAX_NAMES 512

typedef struct {
    const char *s;
    size_t n;
} name_t;

/* Distinct names of one kind, in record order (entities are few: linear dedup). */
typedef struct {
    name_t v[MAX_NAMES];
    uint32_t n;
} names_t;

static void s_names_add(names_t *ns, const char *s, size_t n)
{
    for (uint32_t i = 0; i < ns->n; i++)
        if (ns->v[i].n == n && memcmp(ns->v[i].s, s, n) == 0)
            return;
    if (ns->n < MAX_NAMES)
        ns->v[ns->n++] = (name_t){s, n};
}

/* Collects the canonical names (else the text) of entities of one type. */
static void s_entities(const record_t *r, const char *type, names_t *ns)
{
    ns->n = 0;
    const field_t *f = s_get(r, "entities");
    if (!f)
        return;
    tlx_mp_t c = {f->v, f->vend};
    uint32_t n;
    if (tlx_mp_read_array(&c, &n))
        return;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = c.p, *v, *vend;
        if (tlx_mp_skip(&c, MAX_DEPTH))
            return;
        const char *t, *name;
        size_t tl, nl;
        if (!s_map_get(e, c.p, "type", &v, &vend) || !s_str_of(v, vend, &t, &tl) ||
            !tlx_mp_streq(t, tl, type))
            continue;
        if ((s_map_get(e, c.p, "canonical", &v, &vend) && s_str_of(v, vend, &name, &nl)) ||
            (s_map_get(e, c.p, "text", &v, &vend) && s_str_of(v, vend, &name, &nl)))
            s_names_add(ns, name, nl);
    }
}

static int s_pack_names(msgpack_packer *pk, const char *key, const names_t *ns)
{
    if (!ns->n)
        return 0;
    int rc = s_key(pk, key) | msgpack_pack_array(pk, ns->n);
    for (uint32_t i = 0; i < ns->n && !rc; i++)
        rc |= msgpack_pack_map(pk, 2) | s_kv(pk, "name", ns->v[i].s, ns->v[i].n) |
              s_kvz(pk, "rel", "mentioned");
    return rc;
}

typedef struct {
    msgpack_packer *pk;
    const char *rel;
} subj_ctx_t;

static int s_pack_subject(void *ctx, const char *s, size_t n)
{
    subj_ctx_t *sc = ctx;
    return msgpack_pack_map(sc->pk, 2) | s_kv(sc->pk, "name", s, n) | s_kvz(sc->pk, "rel", sc->rel);
}

/* ---- the extension -------------------------------------------------------- */

/* Every record key but `body`, as a JSON object string. */
static int s_pack_ext(msgpack_packer *pk, const record_t *r, tlx_buf_t *tmp)
{
    tlx_buf_t mp = TLX_BUF_INIT;
    msgpack_packer epk;
    msgpack_packer_init(&epk, &mp, s_buf_write);
    uint32_t n = 0;
    for (int i = 0; i < r->n; i++)
        n += !tlx_mp_streq(r->f[i].key, r->f[i].klen, "body");
    int rc = msgpack_pack_map(&epk, n);
    for (int i = 0; i < r->n && !rc; i++) {
        if (tlx_mp_streq(r->f[i].key, r->f[i].klen, "body"))
            continue;
        rc |= msgpack_pack_str_with_body(&epk, r->f[i].key, r->f[i].klen);
        rc |= tlx_buf_append(&mp, r->f[i].v, (size_t)(r->f[i].vend - r->f[i].v));
    }
    tmp->len = 0;
    if (!rc)
        rc = tlx_json_from_msgpack(mp.data, mp.len, 0, tmp);
    tlx_buf_free(&mp);
    if (rc)
        return rc;
    return msgpack_pack_map(pk, 3) | s_kvz(pk, "role", TLX_NINJS_EXT_ROLE) |
           s_kvz(pk, "contentType", TLX_NINJS_EXT_TYPE) | s_kv(pk, "value", tmp->data, tmp->len);
}

/* A string of the dateline map {text, place, agency} (nil when the article has none). */
static bool s_dateline(const record_t *r, const char *key, const char **s, size_t *n)
{
    const field_t *f = s_get(r, "dateline");
    const uint8_t *v, *vend;
    return f && s_map_get(f->v, f->vend, key, &v, &vend) && s_str_of(v, vend, s, n);
}

/* ---- the item ----------------------------------------------------------------- */

typedef struct {
    msgpack_packer *pk;
    tlx_buf_t *by;
} by_ctx_t;

static int s_by_join(void *ctx, const char *s, size_t n)
{
    by_ctx_t *b = ctx;
    int rc = b->by->len ? tlx_buf_append(b->by, ", ", 2) : 0;
    return rc | tlx_buf_append(b->by, s, n);
}

static int s_item(msgpack_packer *pk, const record_t *r, tlx_buf_t *tmp)
{
    const char *id;
    size_t idl;
    uint64_t rev = 0, seq = 0;
    if (!s_str(r, "id", &id, &idl))
        return TLX_EMALFORMED;
    s_uint(r, "revision", &rev);
    bool has_seq = s_uint(r, "seq", &seq);
    const char *pub = NULL;
    size_t publ = 0;
    bool pub_ok = s_str(r, "published_at", &pub, &publ) && s_is_datetime(pub, publ);
    const char *title, *body, *lang, *summary, *url, *source, *loc, *agency, *deck;
    size_t titlel, bodyl, langl, summaryl, urll, sourcel, locl, agencyl, deckl;
    bool has_title = s_str(r, "title", &title, &titlel), has_body = s_str(r, "body", &body, &bodyl),
         has_lang = s_str(r, "lang", &lang, &langl), has_summary = s_str(r, "summary", &summary, &summaryl),
         has_url = s_str(r, "url", &url, &urll), has_source = s_str(r, "source", &source, &sourcel),
         has_loc = s_dateline(r, "place", &loc, &locl),
         has_agency = s_dateline(r, "agency", &agency, &agencyl), has_deck = s_str(r, "deck", &deck, &deckl);
    uint64_t processed = 0, received = 0;
    bool has_processed = s_uint(r, "processed_at", &processed) && processed,
         has_received = s_uint(r, "received_at", &received) && received;
    tlx_buf_t by = TLX_BUF_INIT;
    by_ctx_t byc = {pk, &by};
    int rc = s_each_str(s_get(r, "authors"), s_by_join, &byc);
    if (rc) {
        tlx_buf_free(&by);
        return TLX_ENOMEM;
    }
    names_t *people = calloc(4, sizeof *people);
    if (!people) {
        tlx_buf_free(&by);
        return TLX_ENOMEM;
    }
    names_t *orgs = people + 1, *places = people + 2, *misc = people + 3;
    s_entities(r, "PER", people);
    s_entities(r, "ORG", orgs);
    s_entities(r, "LOC", places);
    s_entities(r, "MISC", misc);
    const field_t *tags = s_get(r, "tags"), *keywords = s_get(r, "keywords");
    uint32_t nsubj = misc->n + s_count_strs(tags) + s_count_strs(keywords);

    uint32_t nkeys = 8 /* uri type representationType profile version pubStatus descriptions standard */ +
                     (pub_ok || (rev == 1 && has_received)) + (has_processed || has_received) + pub_ok +
                     has_lang + (has_title || has_deck) + (by.len > 0) + has_body + has_loc +
                     (people->n > 0) + (orgs->n > 0) + (places->n > 0) + (nsubj > 0) + 1 /* altIds */ +
                     (has_source || has_agency);
    rc = msgpack_pack_map(pk, nkeys);
    rc |= s_kv_uri(pk, id, idl, tmp);
    rc |= s_kvz(pk, "type", "text") | s_kvz(pk, "representationType", "full") | s_kvz(pk, "profile", "telex");
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)(rev ? rev : 1));
    rc |= s_kvz(pk, "version", num);
    if (pub_ok)
        rc |= s_kv(pk, "firstCreated", pub, publ);
    else if (rev == 1 && has_received)
        rc |= s_kv_time(pk, "firstCreated", received);
    if (has_processed || has_received)
        rc |= s_kv_time(pk, "versionCreated", has_processed ? processed : received);
    if (pub_ok)
        rc |= s_kv(pk, "contentCreated", pub, publ);
    rc |= s_kvz(pk, "pubStatus", "usable");
    if (has_lang)
        rc |= s_kv(pk, "language", lang, langl);
    if (has_title || has_deck)
        rc |= s_key(pk, "headlines") | msgpack_pack_array(pk, (uint32_t)has_title + has_deck);
    if (has_title)
        rc |= msgpack_pack_map(pk, 2) | s_kvz(pk, "role", "main") | s_kv(pk, "value", title, titlel);
    if (has_deck)
        rc |= msgpack_pack_map(pk, 2) | s_kvz(pk, "role", "sub") | s_kv(pk, "value", deck, deckl);
    if (by.len)
        rc |= s_kv(pk, "by", by.data, by.len);
    if (has_body) {
        const field_t *st = s_get(r, "stats");
        const uint8_t *v, *vend;
        uint64_t chars = 0, words = 0;
        bool hc = false, hw = false;
        if (st && s_map_get(st->v, st->vend, "chars", &v, &vend)) {
            tlx_mp_t c = {v, vend};
            hc = tlx_mp_read_uint(&c, &chars) == 0;
        }
        if (st && s_map_get(st->v, st->vend, "words", &v, &vend)) {
            tlx_mp_t c = {v, vend};
            hw = tlx_mp_read_uint(&c, &words) == 0;
        }
        rc |= s_key(pk, "bodies") | msgpack_pack_array(pk, 1) | msgpack_pack_map(pk, 3 + hc + hw) |
              s_kvz(pk, "role", "main") | s_kvz(pk, "contentType", "text/plain") |
              s_kv(pk, "value", body, bodyl);
        if (hc)
            rc |= s_key(pk, "charCount") | msgpack_pack_uint64(pk, chars);
        if (hw)
            rc |= s_key(pk, "wordCount") | msgpack_pack_uint64(pk, words);
    }
    rc |= s_key(pk, "descriptions") | msgpack_pack_array(pk, 1 + has_summary);
    if (has_summary)
        rc |= msgpack_pack_map(pk, 2) | s_kvz(pk, "role", "summary") | s_kv(pk, "value", summary, summaryl);
    if (!rc)
        rc = s_pack_ext(pk, r, tmp);
    if (has_loc)
        rc |= s_kv(pk, "located", loc, locl);
    rc |= s_pack_names(pk, "people", people) | s_pack_names(pk, "organisations", orgs) |
          s_pack_names(pk, "places", places);
    if (nsubj) {
        rc |= s_key(pk, "subjects") | msgpack_pack_array(pk, nsubj);
        for (uint32_t i = 0; i < misc->n && !rc; i++)
            rc |= msgpack_pack_map(pk, 2) | s_kv(pk, "name", misc->v[i].s, misc->v[i].n) |
                  s_kvz(pk, "rel", "mentioned");
        subj_ctx_t tc = {pk, "tag"}, kc = {pk, "keyword"};
        rc |= s_each_str(tags, s_pack_subject, &tc) | s_each_str(keywords, s_pack_subject, &kc);
    }
    rc |= s_key(pk, "altIds") | msgpack_pack_array(pk, 1 + has_seq + has_url);
    rc |= msgpack_pack_map(pk, 2) | s_kvz(pk, "role", "telex-id") | s_kv(pk, "value", id, idl);
    if (has_seq) {
        snprintf(num, sizeof num, "%llu", (unsigned long long)seq);
        rc |= msgpack_pack_map(pk, 2) | s_kvz(pk, "role", "telex-seq") | s_kvz(pk, "value", num);
    }
    if (has_url)
        rc |= msgpack_pack_map(pk, 2) | s_kvz(pk, "role", "url") | s_kv(pk, "value", url, urll);
    if (has_source || has_agency)
        rc |= s_key(pk, "infoSources") | msgpack_pack_array(pk, (uint32_t)has_source + has_agency);
    if (has_source)
        rc |= msgpack_pack_map(pk, 2) | s_kv(pk, "name", source, sourcel) | s_kvz(pk, "role", "source");
    if (has_agency)
        rc |= msgpack_pack_map(pk, 2) | s_kv(pk, "name", agency, agencyl) | s_kvz(pk, "role", "agency");
    rc |= s_key(pk, "standard") | msgpack_pack_map(pk, 3) | s_kvz(pk, "name", "ninjs") |
          s_kvz(pk, "version", "3.0") |
          s_kvz(pk, "schema", "http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json#");
    free(people);
    tlx_buf_free(&by);
    return rc ? TLX_ENOMEM : 0;
}

int tlx_ninjs_from_record(const void *rec, size_t len, int pretty, tlx_buf_t *out)
{
    record_t *r = malloc(sizeof *r);
    if (!r)
        return TLX_ENOMEM;
    int rc = s_index(rec, len, r);
    tlx_buf_t mp = TLX_BUF_INIT, tmp = TLX_BUF_INIT;
    if (rc == 0) {
        msgpack_packer pk;
        msgpack_packer_init(&pk, &mp, s_buf_write);
        rc = s_item(&pk, r, &tmp);
    }
    if (rc == 0)
        rc = tlx_json_from_msgpack(mp.data, mp.len, pretty, out);
    tlx_buf_free(&mp);
    tlx_buf_free(&tmp);
    free(r);
    return rc;
}
