/* SPDX-License-Identifier: Apache-2.0 */
/*  test_store.c -- the LMDB store on real files: accept, records, feed,
    dedup, revisions, map growth from a tiny map, the mapped-pages bound,
    page cache warming ahead of the file's end, schema check, dead letters. */
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
#include <lmdb.h>
#include <msgpack.h>

#include "tlx_index.h"
#include "tlx_mp.h"
#include "tlx_proto.h"
#include "tlx_store.h"
#include "tlx_test_store.h"

typedef struct {
    char dir[256];
    tlx_store_t *st;
} fx_t;

static int s_setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    tlx_test_store_open(fx->dir, sizeof fx->dir, "store", &fx->st);
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    fx_t *fx = *state;
    int rc = tlx_test_store_remove(fx->dir, &fx->st);
    free(fx);
    return rc;
}

/* A minimal record map {"id": id, "body": body}. */
static void s_record(msgpack_sbuffer *sb, const char *id, const char *body)
{
    msgpack_packer pk;
    msgpack_sbuffer_init(sb);
    msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 2);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, id, strlen(id));
    msgpack_pack_str_with_body(&pk, "body", 4);
    msgpack_pack_str_with_body(&pk, body, strlen(body));
}

/* commit_record of `rec`, checked ahead (tlx_store_record_precheck, handed
   over in hints->checked) when `pre`: the writer's two paths. */
static int s_commit_pre(tlx_store_t *st, uint64_t inbox, const void *rec, size_t len, int pre, uint64_t *seq)
{
    tlx_record_checked_t *c = malloc(sizeof *c);
    assert_non_null(c);
    tlx_store_record_precheck(rec, len, c);
    tlx_commit_hints_t h = {.checked = c};
    int rc = tlx_store_commit_record(st, inbox, rec, len, pre ? &h : NULL, seq);
    free(c);
    return rc;
}

/* Reads the "seq" key of a stored record. */
static uint64_t s_rec_seq(const void *rec, size_t len)
{
    tlx_mp_t c;
    tlx_mp_init(&c, rec, len);
    uint64_t v = 0;
    int rc = tlx_mp_map_uint(&c, "seq", 8, &v);
    assert_true(rc == 0 || rc == TLX_ENOTFOUND);
    return v;
}

static void test_accept_commit_get(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t out;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "a-1", "first text", &out), 0);
    assert_false(out.duplicate);
    assert_string_equal(out.id, "a-1");
    assert_int_equal(out.revision, 1);
    uint64_t inbox = out.inbox_seq;
    assert_int_equal(tlx_store_wcommit(fx->st), 0);

    tlx_store_counts_t k;
    tlx_store_counts(fx->st, &k);
    assert_int_equal(k.inbox, 1);
    assert_int_equal(k.articles, 0);
    assert_int_equal(k.schema, TLX_SCHEMA_VERSION);

    /* the inbox entry holds the envelope */
    tlx_inbox_entry_t e;
    void *copy;
    assert_int_equal(tlx_store_inbox_get(fx->st, inbox, &e, &copy), 0);
    assert_int_equal(e.env_len, strlen("first text"));
    assert_memory_equal(e.env, "first text", e.env_len);
    assert_memory_equal(e.id, "a-1", 3);
    free(copy);

    msgpack_sbuffer sb;
    s_record(&sb, "a-1", "clean body");
    uint64_t seq;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_commit_record(fx->st, inbox, sb.data, sb.size, NULL, &seq), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    assert_int_equal(seq, 1);
    /* a second result for the same inbox entry is refused, not stored twice */
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_commit_record(fx->st, inbox, sb.data, sb.size, NULL, &seq), TLX_ENOTFOUND);
    tlx_store_wabort(fx->st);
    msgpack_sbuffer_destroy(&sb);

    tlx_store_counts(fx->st, &k);
    assert_int_equal(k.inbox, 0);
    assert_int_equal(k.articles, 1);
    assert_int_equal(k.feed, 1);

    void *rec;
    size_t len;
    uint64_t got;
    assert_int_equal(tlx_store_get_id(fx->st, "a-1", 3, 0, &got, &rec, &len), 0);
    assert_int_equal(got, 1);
    assert_int_equal(s_rec_seq(rec, len), 1);
    free(rec);
    assert_int_equal(tlx_store_get_seq(fx->st, 1, &rec, &len), 0);
    free(rec);
    assert_int_equal(tlx_store_get_id(fx->st, "nope", 4, 0, &got, &rec, &len), TLX_ENOTFOUND);
    assert_int_equal(tlx_store_get_seq(fx->st, 2, &rec, &len), TLX_ENOTFOUND);
    /* the envelope it was made from, by article seq */
    assert_int_equal(tlx_store_raw_get(fx->st, 1, &rec, &len), 0);
    assert_int_equal(len, strlen("first text"));
    assert_memory_equal(rec, "first text", len);
    free(rec);
    assert_int_equal(tlx_store_raw_get(fx->st, 2, &rec, &len), TLX_ENOTFOUND);
}

/* A record that readers could not use is refused before anything is
   written (results can come from remote peers): the inbox entry stays. */
static void test_record_check(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t a;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "r-1", "text", &a), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    msgpack_sbuffer good;
    s_record(&good, "r-1", "body");
    uint8_t buf[256];
    struct {
        const char *what;
        size_t len;
        const char *why; /* the store's message */
    } bad[8];
    int nbad = 0;
    uint8_t *cases = malloc(8 * 256);
    assert_non_null(cases);
#define CASE(w, ...) CASE_(w, __VA_ARGS__) /* LIT gives two arguments */
#define CASE_(w, p, n, m)                                                                                    \
    do {                                                                                                     \
        memcpy(cases + nbad * 256, (p), (n));                                                                \
        bad[nbad].what = (w);                                                                                \
        bad[nbad].why = (m);                                                                                 \
        bad[nbad++].len = (n);                                                                               \
    } while (0)
    /* a literal's length: sizeof, not a count by hand (several cases were
       a byte or two short, so they only ever tested truncation) */
#define LIT(s) (s), sizeof(s) - 1
    memcpy(buf, good.data, good.size);
    buf[good.size] = 0xc0;
    CASE("trailing bytes", buf, good.size + 1, "bytes follow the record's map");
    CASE("truncated", good.data, good.size - 2, "the record is truncated or nested too deeply");
    CASE("not a map", LIT("\x92\x01\x02"), "the record is not a msgpack map");
    /* {"id": "r-1", "tags": 5} */
    CASE("wrong type", LIT("\x82\xa2id\xa3r-1\xa4tags\x05"), "field 'tags' has the wrong type");
    /* {"id": "other"} */
    CASE("other id", LIT("\x81\xa2id\xa5other"), "the record's id is not its article's");
    /* {"id": "r-1", "seq": 9} */
    CASE("a seq", LIT("\x82\xa2id\xa3r-1\xa3seq\x09"), "the record carries a seq (the store assigns it)");
    /* {"id": "r-1", 1: 2} */
    CASE("integer key", LIT("\x82\xa2id\xa3r-1\x01\x02"), "a key of the record is not a string");
    /* {"id": "r-1", "entities": ["x"]} */
    CASE("entities of strings",
         LIT("\x82\xa2id\xa3r-1\xa8"
             "entities\x91\xa1x"),
         "field 'entities' has the wrong type");
#undef CASE
#undef CASE_
#undef LIT
    uint64_t seq;
    for (int i = 0; i < 2 * nbad; i++) { /* checked in the commit, then ahead of it */
        int b = i % nbad, pre = i >= nbad;
        assert_int_equal(tlx_store_wbegin(fx->st), 0);
        int rc = s_commit_pre(fx->st, a.inbox_seq, cases + b * 256, bad[b].len, pre, &seq);
        if (rc != TLX_EMALFORMED)
            fail_msg("%s (pre %d): commit_record returned %d", bad[b].what, pre, rc);
        if (strcmp(tlx_store_errmsg(fx->st), bad[b].why) != 0)
            fail_msg("%s (pre %d): '%s', expected '%s'", bad[b].what, pre, tlx_store_errmsg(fx->st),
                     bad[b].why);
        assert_int_equal(tlx_store_wcommit(fx->st), 0);
    }
    free(cases);
    tlx_store_counts_t k;
    assert_int_equal(tlx_store_counts(fx->st, &k), 0);
    assert_int_equal(k.articles, 0);
    assert_int_equal(k.inbox, 1);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_commit_record(fx->st, a.inbox_seq, good.data, good.size, NULL, &seq), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    msgpack_sbuffer_destroy(&good);
}

/* A record the check refuses for two reasons gets the structural one,
   wherever the field fault is: the check is one walk, and its reason must
   not depend on the order it meets them in. */
static void test_record_check_reason(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t a;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "r-1", "text", &a), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    static const struct {
        const char *rec;
        size_t len;
        const char *why;
    } cases[] = {
        /* {"tags": 5, "id": "r-1", "x": "ab<cut>"} */
        {"\x83\xa4tags\x05\xa2id\xa3r-1\xa1x\xa2"
         "a",
         18, "truncated"},
        /* {"seq": 1, "id": "r-1"} + a trailing nil */
        {"\x82\xa3seq\x01\xa2id\xa3r-1\xc0", 14, "bytes follow"},
        /* {"id": "r-2", "tags": 5}: the first fault in field order */
        {"\x82\xa2id\xa3r-2\xa4tags\x05", 14, "id is not"},
        /* {"tags": 5, "id": "r-2"} */
        {"\x82\xa4tags\x05\xa2id\xa3r-2", 14, "wrong type"},
        /* {"id": "r-1", 1: 2, "seq": 3} */
        {"\x83\xa2id\xa3r-1\x01\x02\xa3seq\x03", 15, "not a string"},
    };
    for (size_t i = 0; i < 2 * (sizeof cases / sizeof *cases); i++) { /* without and with a precheck */
        size_t k = i % (sizeof cases / sizeof *cases);
        int pre = i >= sizeof cases / sizeof *cases;
        uint64_t seq;
        assert_int_equal(tlx_store_wbegin(fx->st), 0);
        assert_int_equal(s_commit_pre(fx->st, a.inbox_seq, cases[k].rec, cases[k].len, pre, &seq),
                         TLX_EMALFORMED);
        if (!strstr(tlx_store_errmsg(fx->st), cases[k].why))
            fail_msg("case %zu (pre %d): '%s', wanted '%s'", k, pre, tlx_store_errmsg(fx->st), cases[k].why);
        tlx_store_wabort(fx->st);
    }
}

/* Every field the record check types (store/SCHEMA.md, § Record) is found
   by its name, wherever it sits in the record: true is no field's type, so
   {"id": "r-1", NAME: true} is refused naming NAME.  Names the check does
   not type (and near misses of checked ones) pass with any value. */
static void test_record_check_names(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t a;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "r-1", "text", &a), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    static const char *const typed[] = {"revision",    "body",         "source",
                                        "url",         "title",        "lang",
                                        "summary",     "published_at", "near_duplicate_of",
                                        "received_at", "processed_at", "tags",
                                        "authors",     "subheadings",  "boilerplate",
                                        "keywords",    "flags",        "captions",
                                        "entities",    "dates",        "money",
                                        "quantities",  "quotes",       "sources",
                                        "stats",       "credits",      "fingerprints",
                                        "meta"};
    static const char *const untyped[] = {"deck",        "dateline", "modified_at", "publisher",
                                          "from_markup", "tagz",     "Body",        "bod",
                                          "bodyy",       "x",        "metas",       "lang "};
    for (size_t i = 0; i < sizeof typed / sizeof *typed + sizeof untyped / sizeof *untyped; i++) {
        bool is_typed = i < sizeof typed / sizeof *typed;
        const char *name = is_typed ? typed[i] : untyped[i - sizeof typed / sizeof *typed];
        for (int last = 0; last < 2; last++) { /* NAME before and after the id */
            msgpack_sbuffer sb;
            msgpack_packer pk;
            msgpack_sbuffer_init(&sb);
            msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
            msgpack_pack_map(&pk, 2);
            if (last) {
                msgpack_pack_str_with_body(&pk, "id", 2);
                msgpack_pack_str_with_body(&pk, "r-1", 3);
            }
            msgpack_pack_str_with_body(&pk, name, strlen(name));
            msgpack_pack_true(&pk);
            if (!last) {
                msgpack_pack_str_with_body(&pk, "id", 2);
                msgpack_pack_str_with_body(&pk, "r-1", 3);
            }
            uint64_t seq;
            assert_int_equal(tlx_store_wbegin(fx->st), 0);
            int rc = tlx_store_commit_record(fx->st, a.inbox_seq, sb.data, sb.size, NULL, &seq);
            char want[96];
            snprintf(want, sizeof want, "field '%s' has the wrong type", name);
            if (is_typed && (rc != TLX_EMALFORMED || strcmp(tlx_store_errmsg(fx->st), want) != 0))
                fail_msg("'%s': %d '%s'", name, rc, tlx_store_errmsg(fx->st));
            if (!is_typed && rc != 0)
                fail_msg("'%s' (not typed): %d '%s'", name, rc, tlx_store_errmsg(fx->st));
            tlx_store_wabort(fx->st); /* the entry stays for the next case */
            msgpack_sbuffer_destroy(&sb);
        }
    }
}

/* {"id": id, "revision": 1, "source": "Wire", "published_at": "2024-05-06T07:00:00Z",
   "tags": ["Tag A"], "entities": [{"canonical": "Ada Lovelace"}],
   "meta": <nil, or maps nested `deep` levels below the record>} */
static void s_indexed_record(msgpack_sbuffer *sb, const char *id, int deep)
{
    msgpack_packer pk;
    msgpack_sbuffer_init(sb);
    msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 7);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, id, strlen(id));
    msgpack_pack_str_with_body(&pk, "revision", 8);
    msgpack_pack_uint32(&pk, 1);
    msgpack_pack_str_with_body(&pk, "meta", 4);
    for (int d = 1; d < deep; d++) {
        msgpack_pack_map(&pk, 1);
        msgpack_pack_str_with_body(&pk, "k", 1);
    }
    msgpack_pack_nil(&pk);
    msgpack_pack_str_with_body(&pk, "source", 6);
    msgpack_pack_str_with_body(&pk, "Wire", 4);
    msgpack_pack_str_with_body(&pk, "published_at", 12);
    msgpack_pack_str_with_body(&pk, "2024-05-06T07:00:00Z", 20);
    msgpack_pack_str_with_body(&pk, "tags", 4);
    msgpack_pack_array(&pk, 1);
    msgpack_pack_str_with_body(&pk, "Tag A", 5);
    msgpack_pack_str_with_body(&pk, "entities", 8);
    msgpack_pack_array(&pk, 1);
    msgpack_pack_map(&pk, 1);
    msgpack_pack_str_with_body(&pk, "canonical", 9);
    msgpack_pack_str_with_body(&pk, "Ada Lovelace", 12);
}

/* The index keys the commit takes from its one walk of the record are
   tlx_index_keys' (which `telex verify` recomputes), also for a record
   nested deeper than tlx_index_keys reads but within what the check
   allows: stored, and not indexed. */
static void test_record_index_keys(void **state)
{
    fx_t *fx = *state;
    static const int deep[] = {1, 8, 9, 10};
    static const uint64_t entries[] = {4, 4, 4, 0};
    uint64_t before = 0;
    for (size_t i = 0; i < sizeof deep / sizeof *deep; i++) {
        char id[16];
        snprintf(id, sizeof id, "r-%zu", i);
        tlx_accept_out_t a;
        msgpack_sbuffer rec;
        s_indexed_record(&rec, id, deep[i]);
        int n = 0;
        tlx_index_key_t *keys = malloc(TLX_INDEX_MAX_KEYS * sizeof *keys);
        assert_non_null(keys);
        tlx_index_keys(rec.data, rec.size, keys, &n);
        free(keys);
        assert_int_equal((uint64_t)n, entries[i]);
        uint64_t seq;
        assert_int_equal(tlx_store_wbegin(fx->st), 0);
        assert_int_equal(tlx_test_accept(fx->st, id, id, &a), 0);
        assert_int_equal(tlx_store_commit_record(fx->st, a.inbox_seq, rec.data, rec.size, NULL, &seq), 0);
        assert_int_equal(tlx_store_wcommit(fx->st), 0);
        msgpack_sbuffer_destroy(&rec);
        tlx_verify_stats_t vs;
        assert_int_equal(tlx_store_verify(fx->st, stderr, &vs), 0);
        assert_int_equal(vs.problems, 0);
        assert_int_equal(vs.index_entries - before, entries[i]);
        before = vs.index_entries;
    }
    /* a map ten levels below the record: refused */
    tlx_accept_out_t a;
    msgpack_sbuffer rec;
    s_indexed_record(&rec, "r-9", 11);
    uint64_t seq;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "r-9", "r-9", &a), 0);
    assert_int_equal(tlx_store_commit_record(fx->st, a.inbox_seq, rec.data, rec.size, NULL, &seq),
                     TLX_EMALFORMED);
    tlx_store_wabort(fx->st);
    msgpack_sbuffer_destroy(&rec);
}

static void s_verify_clean(tlx_store_t *st);

/* {id, revision, source "Wire", tags [tag]} */
static void s_tagged_record(msgpack_sbuffer *sb, const char *id, uint32_t rev, const char *tag)
{
    msgpack_packer pk;
    msgpack_sbuffer_init(sb);
    msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 4);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, id, strlen(id));
    msgpack_pack_str_with_body(&pk, "revision", 8);
    msgpack_pack_uint32(&pk, rev);
    msgpack_pack_str_with_body(&pk, "source", 6);
    msgpack_pack_str_with_body(&pk, "Wire", 4);
    msgpack_pack_str_with_body(&pk, "tags", 4);
    msgpack_pack_array(&pk, 1);
    msgpack_pack_str_with_body(&pk, tag, strlen(tag));
}

static int s_collect_seq(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t len)
{
    (void)feed_seq, (void)rec, (void)len;
    uint64_t *acc = ctx;
    acc[++acc[0]] = seq;
    return 0;
}

/* The article seqs tag `tag` finds, in acc[1..acc[0]]. */
static void s_tag_query(tlx_store_t *st, const char *tag, uint64_t acc[8])
{
    tlx_query_t q = {.tag = tag};
    acc[0] = 0;
    assert_int_equal(tlx_store_query(st, &q, s_collect_seq, acc), 0);
}

static void s_commit_tagged(tlx_store_t *st, uint64_t inbox, const char *id, uint32_t rev, const char *tag,
                            uint64_t *seq)
{
    msgpack_sbuffer sb;
    s_tagged_record(&sb, id, rev, tag);
    assert_int_equal(tlx_store_commit_record(st, inbox, sb.data, sb.size, NULL, seq), 0);
    msgpack_sbuffer_destroy(&sb);
}

/* A record checked ahead (tlx_store_record_precheck) is committed as one
   checked in the commit: same index keys (its tag finds it), and the
   inbox entry's id and revision are still compared, with the commit's own
   reasons.  A precheck that cannot hold the record's findings (more index
   keys than it keeps, two ids), or of other bytes, leaves the whole check
   to the commit. */
static void test_record_precheck(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t x, y;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "X", "x text", &x), 0);
    assert_int_equal(tlx_test_accept(fx->st, "Y", "y text", &y), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    tlx_record_checked_t *c = malloc(sizeof *c);
    assert_non_null(c);
    tlx_commit_hints_t h = {.checked = c};
    msgpack_sbuffer sb;
    uint64_t seq, acc[8];

    /* X's record at revision 2, then X's own (revision 1) */
    s_tagged_record(&sb, "X", 2, "Alpha");
    tlx_store_record_precheck(sb.data, sb.size, c);
    assert_int_equal(c->ok, 1);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_commit_record(fx->st, x.inbox_seq, sb.data, sb.size, &h, &seq),
                     TLX_EMALFORMED);
    assert_string_equal(tlx_store_errmsg(fx->st), "the record's revision is not its article's");
    tlx_store_wabort(fx->st);
    msgpack_sbuffer_destroy(&sb);
    s_tagged_record(&sb, "X", 1, "Alpha");
    tlx_store_record_precheck(sb.data, sb.size, c);
    assert_int_equal(c->ok, 1);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    /* Y's entry: the id differs */
    assert_int_equal(tlx_store_commit_record(fx->st, y.inbox_seq, sb.data, sb.size, &h, &seq),
                     TLX_EMALFORMED);
    assert_string_equal(tlx_store_errmsg(fx->st), "the record's id is not its article's");
    assert_int_equal(tlx_store_commit_record(fx->st, x.inbox_seq, sb.data, sb.size, &h, &seq), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    s_tag_query(fx->st, "alpha", acc);
    assert_int_equal(acc[0], 1);
    assert_int_equal(acc[1], seq);
    void *rec;
    size_t len;
    assert_int_equal(tlx_store_get_seq(fx->st, seq, &rec, &len), 0);
    assert_int_equal(s_rec_seq(rec, len), seq);
    free(rec);

    /* a precheck of other bytes (a copy) is not used: Y's record with "seq" */
    msgpack_sbuffer_destroy(&sb);
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 2);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, "Y", 1);
    msgpack_pack_str_with_body(&pk, "seq", 3);
    msgpack_pack_uint32(&pk, 7);
    tlx_store_record_precheck(sb.data, sb.size, c);
    assert_int_equal(c->ok, 0);
    char *copy = malloc(sb.size);
    assert_non_null(copy);
    memcpy(copy, sb.data, sb.size);
    copy[sb.size - 2] = 'x'; /* "sex": a field the check does not know */
    c->ok = 1;               /* as if the precheck of sb had passed */
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_commit_record(fx->st, y.inbox_seq, copy, sb.size, &h, &seq), 0);
    tlx_store_wabort(fx->st);
    tlx_store_record_precheck(copy, sb.size, c);
    assert_int_equal(c->ok, 1);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_commit_record(fx->st, y.inbox_seq, sb.data, sb.size, &h, &seq),
                     TLX_EMALFORMED);
    assert_string_equal(tlx_store_errmsg(fx->st), "the record carries a seq (the store assigns it)");
    tlx_store_wabort(fx->st);
    free(copy);
    msgpack_sbuffer_destroy(&sb);

    /* two ids: the commit compares both */
    static const char two_ids[] = "\x82\xa2id\xa1Y\xa2id\xa1Z";
    tlx_store_record_precheck(two_ids, sizeof two_ids - 1, c);
    assert_int_equal(c->ok, 0);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_commit_record(fx->st, y.inbox_seq, two_ids, sizeof two_ids - 1, &h, &seq),
                     TLX_EMALFORMED);
    assert_string_equal(tlx_store_errmsg(fx->st), "the record's id is not its article's");
    tlx_store_wabort(fx->st);

    /* more keys than the precheck keeps: 40 tags of 40 bytes */
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 2);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, "Y", 1);
    msgpack_pack_str_with_body(&pk, "tags", 4);
    msgpack_pack_array(&pk, 40);
    for (int i = 0; i < 40; i++) {
        char tag[41];
        snprintf(tag, sizeof tag, "tag%02d-%034d", i, 0);
        msgpack_pack_str_with_body(&pk, tag, 40);
    }
    tlx_store_record_precheck(sb.data, sb.size, c);
    assert_int_equal(c->ok, 0);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_commit_record(fx->st, y.inbox_seq, sb.data, sb.size, &h, &seq), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    char want[41];
    snprintf(want, sizeof want, "tag39-%034d", 0);
    s_tag_query(fx->st, want, acc);
    assert_int_equal(acc[0], 1);
    assert_int_equal(acc[1], seq);
    msgpack_sbuffer_destroy(&sb);
    free(c);
}

/* Index entries are written at the batch's commit, sorted (tlx_store.c,
   "index writes"): the result is that of writing them in order, also when
   a revision the same batch indexed is superseded in that batch, and when
   an older revision is stored after a newer one. */
static void test_index_batch_revisions(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t x1, x2, y, x3, x4;
    uint64_t sx1, sx2, sy, sx3, sx4, acc[8];
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "X", "x one", &x1), 0);
    assert_int_equal(tlx_test_accept(fx->st, "X", "x two", &x2), 0);
    assert_int_equal(tlx_test_accept(fx->st, "Y", "y one", &y), 0);
    assert_int_equal(tlx_test_accept(fx->st, "X", "x three", &x3), 0);
    assert_int_equal(tlx_test_accept(fx->st, "X", "x four", &x4), 0);
    s_commit_tagged(fx->st, x1.inbox_seq, "X", 1, "one", &sx1);
    s_commit_tagged(fx->st, y.inbox_seq, "Y", 1, "one", &sy);
    s_commit_tagged(fx->st, x2.inbox_seq, "X", 2, "two", &sx2); /* supersedes sx1, same batch */
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    s_tag_query(fx->st, "one", acc);
    assert_int_equal(acc[0], 1);
    assert_int_equal(acc[1], sy);
    s_tag_query(fx->st, "two", acc);
    assert_int_equal(acc[0], 1);
    assert_int_equal(acc[1], sx2);
    s_verify_clean(fx->st);

    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    s_commit_tagged(fx->st, x4.inbox_seq, "X", 4, "two", &sx4);   /* same key, a newer seq */
    s_commit_tagged(fx->st, x3.inbox_seq, "X", 3, "three", &sx3); /* older than the stored: not indexed */
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    s_tag_query(fx->st, "two", acc);
    assert_int_equal(acc[0], 1);
    assert_int_equal(acc[1], sx4);
    s_tag_query(fx->st, "three", acc);
    assert_int_equal(acc[0], 0);
    s_verify_clean(fx->st);
    assert_true(sx3 > sx4);

    /* an aborted batch leaves no index write behind for the next */
    tlx_accept_out_t z;
    uint64_t sz;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "Z", "z one", &z), 0);
    s_commit_tagged(fx->st, z.inbox_seq, "Z", 1, "gone", &sz);
    tlx_store_wabort(fx->st);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    s_tag_query(fx->st, "gone", acc);
    assert_int_equal(acc[0], 0);
    s_verify_clean(fx->st);
}

/* An id with many revisions: each text stays a duplicate of its own
   revision however many came after (the R value holds the first texts'
   hashes, T keys take over past them, SCHEMA.md "dedup"), across commits. */
static void test_dedup_many_revisions(void **state)
{
    fx_t *fx = *state;
    enum { N = 40 };
    char text[32];
    tlx_accept_out_t o;
    for (int round = 0; round < 2; round++) {
        assert_int_equal(tlx_store_wbegin(fx->st), 0);
        for (int i = 1; i <= N; i++) {
            snprintf(text, sizeof text, "text of revision %d", i);
            assert_int_equal(tlx_test_accept(fx->st, "many", text, &o), 0);
            assert_int_equal(o.duplicate, round == 1); /* the second round: every one seen */
            if (!round)
                assert_int_equal(o.revision, i);
            for (int j = 1; j <= i; j += 7) { /* every earlier text, within the batch */
                tlx_accept_out_t d;
                snprintf(text, sizeof text, "text of revision %d", j);
                assert_int_equal(tlx_test_accept(fx->st, "many", text, &d), 0);
                assert_true(d.duplicate);
                assert_string_equal(d.id, "many");
            }
        }
        assert_int_equal(tlx_store_wcommit(fx->st), 0);
    }
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "many", "one more", &o), 0);
    assert_false(o.duplicate);
    assert_int_equal(o.revision, N + 1);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    tlx_store_counts_t k;
    tlx_store_counts(fx->st, &k);
    assert_int_equal(k.inbox, N + 1);
}

static void test_dedup_and_revisions(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t a, b, c, d, e;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, NULL, "same text", &a), 0);
    assert_false(a.duplicate);
    assert_int_equal(strlen(a.id), 16); /* hash id */
    /* same producer+seq and text: a re-send, duplicate */
    assert_int_equal(tlx_test_accept(fx->st, NULL, "same text", &b), 0);
    assert_true(b.duplicate);
    assert_string_equal(b.id, a.id);
    /* same producer+seq with other text: not a re-send (two producers
       sharing a name): stored, never dropped as a duplicate */
    assert_int_equal(tlx_test_accept(fx->st, NULL, "other", &b), 0);
    assert_false(b.duplicate);
    assert_true(b.inbox_seq > a.inbox_seq);
    assert_string_not_equal(b.id, a.id);
    /* and its own re-send is a duplicate of it */
    tlx_accept_out_t b2;
    assert_int_equal(tlx_test_accept(fx->st, NULL, "other", &b2), 0);
    assert_true(b2.duplicate);
    assert_string_equal(b2.id, b.id);
    /* other producer, same text, no id: duplicate by content */
    assert_int_equal(tlx_test_accept(fx->st, NULL, "same text", &c), 0);
    assert_true(c.duplicate);
    assert_string_equal(c.id, a.id);
    /* external id with changed text: new revision */
    assert_int_equal(tlx_test_accept(fx->st, "X", "v1", &d), 0);
    assert_int_equal(tlx_test_accept(fx->st, "X", "v2", &e), 0);
    assert_false(e.duplicate);
    assert_int_equal(d.revision, 1);
    assert_int_equal(e.revision, 2);
    /* same id, same text: duplicate */
    tlx_accept_out_t f;
    assert_int_equal(tlx_test_accept(fx->st, "X", "v1", &f), 0);
    assert_true(f.duplicate);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);

    msgpack_sbuffer sb;
    uint64_t seq;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    s_record(&sb, "X", "v2 body");
    assert_int_equal(tlx_store_commit_record(fx->st, e.inbox_seq, sb.data, sb.size, NULL, &seq), 0);
    msgpack_sbuffer_destroy(&sb);
    s_record(&sb, "X", "v1 body");
    assert_int_equal(tlx_store_commit_record(fx->st, d.inbox_seq, sb.data, sb.size, NULL, &seq), 0);
    msgpack_sbuffer_destroy(&sb);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);

    /* newest revision wins even though it was processed first */
    void *rec;
    size_t len;
    uint64_t got;
    assert_int_equal(tlx_store_get_id(fx->st, "X", 1, 0, &got, &rec, &len), 0);
    assert_int_equal(got, 1);
    free(rec);
    assert_int_equal(tlx_store_get_id(fx->st, "X", 1, 1, &got, &rec, &len), 0);
    assert_int_equal(got, 2);
    free(rec);
    assert_int_equal(tlx_store_get_id(fx->st, "X", 1, 3, &got, &rec, &len), TLX_ENOTFOUND);
}

/* Accepts like tlx_test_accept, with the dedup hash given beforehand as
   telexd's helper thread computes it (the text id for id == NULL). */
static int s_accept_hashed(tlx_store_t *st, const char *id, const char *text, tlx_accept_out_t *out)
{
    char tid[17];
    size_t idlen;
    id = tlx_store_article_id(id, id ? strlen(id) : 0, text, strlen(text), tid, &idlen);
    assert_non_null(id);
    uint8_t h[TLX_STORE_DEDUP_HASH_BYTES];
    tlx_store_dedup_hash(id, idlen, text, strlen(text), h);
    tlx_accept_in_t in = {.id = id,
                          .id_len = idlen,
                          .text = text,
                          .text_len = strlen(text),
                          .raw = text,
                          .raw_len = strlen(text),
                          .received_at = 1000,
                          .dedup_hash = h};
    return tlx_store_accept(st, &in, out);
}

/* The id as stored: an external id up to its first NUL, the text id
   without one, nothing past TLX_ID_MAX bytes. */
static void test_article_id(void **state)
{
    (void)state;
    char tid[17], want[17];
    size_t len = 0;
    static const char ext[] = "ext-1";
    const char *id = tlx_store_article_id(ext, 5, "some text", 9, tid, &len);
    assert_ptr_equal(id, ext);
    assert_int_equal(len, 5);
    assert_memory_equal(id, "ext-1", 5);
    id = tlx_store_article_id("a\0b", 3, "some text", 9, tid, &len);
    assert_int_equal(len, 1);
    assert_memory_equal(id, "a", 1);
    tlx_store_text_id("some text", 9, want);
    id = tlx_store_article_id(NULL, 0, "some text", 9, tid, &len);
    assert_ptr_equal(id, tid);
    assert_int_equal(len, 16);
    assert_string_equal(tid, want);
    id = tlx_store_article_id("", 0, "some text", 9, tid, &len);
    assert_ptr_equal(id, tid);
    static char big[TLX_ID_MAX + 1];
    memset(big, 'x', sizeof big);
    assert_null(tlx_store_article_id(big, TLX_ID_MAX + 1, "some text", 9, tid, &len));
    assert_non_null(tlx_store_article_id(big, TLX_ID_MAX, "some text", 9, tid, &len));
    assert_int_equal(len, TLX_ID_MAX);
}

/* A dedup hash computed before the accept gives the answers the accept's
   own hash gives, both ways round, for external and text ids, within a
   batch and across commits (what one stored, the other recognizes). */
static void test_dedup_hash_given(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t a, b, c, d;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(s_accept_hashed(fx->st, NULL, "hashed before", &a), 0);
    assert_false(a.duplicate);
    assert_int_equal(strlen(a.id), 16);
    assert_int_equal(tlx_test_accept(fx->st, NULL, "hashed before", &b), 0);
    assert_true(b.duplicate);
    assert_string_equal(b.id, a.id);
    assert_int_equal(tlx_test_accept(fx->st, "Y", "first", &c), 0);
    assert_false(c.duplicate);
    assert_int_equal(s_accept_hashed(fx->st, "Y", "first", &d), 0);
    assert_true(d.duplicate);
    assert_int_equal(s_accept_hashed(fx->st, "Y", "second", &d), 0);
    assert_false(d.duplicate);
    assert_int_equal(d.revision, 2);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "Y", "second", &d), 0);
    assert_true(d.duplicate);
    assert_int_equal(s_accept_hashed(fx->st, NULL, "hashed before", &d), 0);
    assert_true(d.duplicate);
    assert_int_equal(s_accept_hashed(fx->st, "Y", "third", &d), 0);
    assert_false(d.duplicate);
    assert_int_equal(d.revision, 3);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
}

typedef struct {
    uint64_t seqs[64];
    int n;
} feed_acc_t;

static int s_feed_cb(void *ctx, uint64_t fseq, uint64_t seq, const void *rec, size_t len)
{
    feed_acc_t *acc = ctx;
    assert_int_equal(s_rec_seq(rec, len), seq);
    acc->seqs[acc->n++] = fseq;
    return 0;
}

static void test_feed_and_abort(void **state)
{
    fx_t *fx = *state;
    char text[32];
    for (int i = 0; i < 10; i++) {
        tlx_accept_out_t o;
        assert_int_equal(tlx_store_wbegin(fx->st), 0);
        snprintf(text, sizeof text, "article %d", i);
        assert_int_equal(tlx_test_accept(fx->st, NULL, text, &o), 0);
        msgpack_sbuffer sb;
        s_record(&sb, o.id, text);
        uint64_t seq;
        assert_int_equal(tlx_store_commit_record(fx->st, o.inbox_seq, sb.data, sb.size, NULL, &seq), 0);
        msgpack_sbuffer_destroy(&sb);
        if (i == 5) { /* an aborted batch leaves no trace and no gap */
            tlx_store_wabort(fx->st);
            continue;
        }
        assert_int_equal(tlx_store_wcommit(fx->st), 0);
    }
    feed_acc_t acc = {0};
    uint64_t last;
    assert_int_equal(tlx_store_feed(fx->st, 0, 0, s_feed_cb, &acc, &last), 0);
    assert_int_equal(acc.n, 9);
    for (int i = 0; i < acc.n; i++)
        assert_int_equal(acc.seqs[i], (uint64_t)i + 1);
    assert_int_equal(last, 9);
    memset(&acc, 0, sizeof acc);
    assert_int_equal(tlx_store_feed(fx->st, 4, 3, s_feed_cb, &acc, &last), 0);
    assert_int_equal(acc.n, 3);
    assert_int_equal(acc.seqs[0], 5);
    assert_int_equal(last, 7);
}

/* The "near_duplicate_of" of a stored record ("" when nil or absent). */
static void s_rec_near(const void *rec, size_t len, char *out, size_t outsz)
{
    tlx_mp_t c;
    tlx_mp_init(&c, rec, len);
    const char *v;
    size_t vl;
    out[0] = '\0';
    if (tlx_mp_map_str(&c, "near_duplicate_of", 8, &v, &vl) == 0) /* a str, not nil */
        snprintf(out, outsz, "%.*s", (int)vl, v);
}

/* Stores article `id` with simhash `sim` (bands: its four 16-bit quarters)
   and returns its near_duplicate_of. */
static void s_commit_fp(tlx_store_t *st, int n, uint64_t sim, char *near, size_t nearsz)
{
    char id[32], text[64];
    snprintf(id, sizeof id, "nd-%d", n);
    snprintf(text, sizeof text, "text %d", n);
    tlx_accept_out_t out;
    assert_int_equal(tlx_store_wbegin(st), 0);
    assert_int_equal(tlx_test_accept(st, id, text, &out), 0);
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 2);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, id, strlen(id));
    msgpack_pack_str_with_body(&pk, "near_duplicate_of", 17);
    msgpack_pack_nil(&pk);
    tlx_commit_hints_t h = {.has_fp = true, .simhash = sim, .shingle = sim, .near_max = 3, .verify_max = 3};
    memcpy(h.sha256, &n, sizeof n); /* distinct bodies: no exact duplicates */
    for (int b = 0; b < 4; b++) {
        h.bands[b][0] = (uint8_t)b;
        h.bands[b][1] = (uint8_t)(sim >> (16 * b + 8));
        h.bands[b][2] = (uint8_t)(sim >> (16 * b));
    }
    uint64_t seq;
    assert_int_equal(tlx_store_commit_record(st, out.inbox_seq, sb.data, sb.size, &h, &seq), 0);
    assert_int_equal(tlx_store_wcommit(st), 0);
    msgpack_sbuffer_destroy(&sb);
    void *rec;
    size_t len;
    assert_int_equal(tlx_store_get_seq(st, seq, &rec, &len), 0);
    s_rec_near(rec, len, near, nearsz);
    free(rec);
}

/* Near duplicates link to the earliest match, also when a band is crowded
   with thousands of articles that share it but are not near. */
static void test_near_dup_crowded_band(void **state)
{
    fx_t *fx = *state;
    const uint64_t S = 0x1234567890abcdefULL;
    char near[64];
    s_commit_fp(fx->st, 0, S, near, sizeof near);
    assert_string_equal(near, "");
    s_commit_fp(fx->st, 1, S ^ 1, near, sizeof near); /* one bit off: near nd-0 */
    assert_string_equal(near, "nd-0");
    /* 2,000 articles share S's lowest band and nothing else (far from S and each other) */
    uint64_t x = 88172645463325252ULL;
    for (int i = 2; i < 2002; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        s_commit_fp(fx->st, i, (x & ~0xffffULL) | (S & 0xffff) | ((uint64_t)(i & 0xff) << 56), near,
                    sizeof near);
        if (i < 10)
            assert_string_equal(near, "");
    }
    /* near both nd-0 and nd-1, through the crowded band and the others: the earliest */
    s_commit_fp(fx->st, 2002, S ^ 2, near, sizeof near);
    assert_string_equal(near, "nd-0");
    /* near only through the crowded band (the other three differ by one bit each) */
    s_commit_fp(fx->st, 2003, S ^ (1ULL << 20) ^ (1ULL << 36) ^ (1ULL << 52), near, sizeof near);
    assert_string_equal(near, "nd-0");
    /* a new story whose first copy comes after the crowd, in the crowded band only */
    const uint64_t R = (0x5a5a5a5a5a5aULL << 16) | (S & 0xffff);
    s_commit_fp(fx->st, 2004, R, near, sizeof near);
    s_commit_fp(fx->st, 2005, R ^ (1ULL << 20) ^ (1ULL << 36) ^ (1ULL << 52), near, sizeof near);
    assert_string_equal(near, "nd-2004");
}

/* Resident KB of this process's mappings of DIR/data.mdb (from smaps). */
static long s_map_rss_kb(const char *dir)
{
    char want[600], line[1024];
    snprintf(want, sizeof want, "%s/data.mdb", dir);
    FILE *f = fopen("/proc/self/smaps", "r");
    assert_non_null(f);
    long kb = 0;
    int in = 0;
    while (fgets(line, sizeof line, f)) {
        char *path = strchr(line, '/');
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
            in = path && strncmp(path, want, strlen(want)) == 0 && path[strlen(want)] == '\n';
            continue;
        }
        long v;
        if (in && sscanf(line, "Rss: %ld kB", &v) == 1)
            kb += v;
    }
    fclose(f);
    return kb;
}

static int s_sum_env(void *ctx, const tlx_inbox_entry_t *e)
{
    uint64_t *sum = ctx;
    for (size_t i = 0; i < e->env_len; i++)
        *sum += ((const uint8_t *)e->env)[i];
    return 0;
}

/* map_resident_max: reading a 4,000-entry inbox (32 MB of pages) maps all of it without a bound,
   and at most the bound (plus one check interval) with one; what is read is
   the same. */
static void test_map_bound(void **state)
{
    fx_t *fx = *state;
    char *text = malloc(4096);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    for (int i = 0; i < 4000; i++) {
        memset(text, 'a' + i % 26, 4095);
        text[4095] = '\0';
        int n = snprintf(text, 16, "%d", i);
        text[n] = ' ';
        tlx_accept_out_t out;
        assert_int_equal(tlx_test_accept(fx->st, NULL, text, &out), 0);
    }
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    free(text);
    tlx_store_close(&fx->st);

    char err[256];
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    assert_int_equal(tlx_store_open(fx->dir, &o, &fx->st, err, sizeof err), 0);
    uint64_t sum_free = 0, sum_bound = 0;
    assert_int_equal(tlx_store_inbox_scan(fx->st, 0, s_sum_env, &sum_free), 0);
    long free_kb = s_map_rss_kb(fx->dir);
    assert_true(free_kb > 14 * 1024);
    assert_int_equal(tlx_store_map_drops(fx->st), 0);
    assert_int_equal(tlx_store_map_check(fx->st), 0); /* no bound: never */
    tlx_store_close(&fx->st);

    o.map_resident_max = 2 << 20;
    assert_int_equal(tlx_store_open(fx->dir, &o, &fx->st, err, sizeof err), 0);
    assert_int_equal(tlx_store_inbox_scan(fx->st, 0, s_sum_env, &sum_bound), 0);
    long bound_kb = s_map_rss_kb(fx->dir);
    print_message("mapped data.mdb after reading the inbox: %ld KB unbounded, %ld KB with a 2 MB bound (%llu "
                  "let-goes)\n",
                  free_kb, bound_kb, (unsigned long long)tlx_store_map_drops(fx->st));
    assert_true(tlx_store_map_drops(fx->st) >= 4);
    assert_true(bound_kb < 6 * 1024); /* 2 MB + 256 entries between checks (~1 MB) + fault-around */
    assert_int_equal(sum_bound, sum_free);
    /* set live (a reload): it lets go at once, so the floor is what is not the store */
    tlx_store_set_map_resident_max(fx->st, 1);
    assert_true(s_map_rss_kb(fx->dir) < 256);
    assert_int_equal(tlx_store_map_check(fx->st), 0); /* nothing mapped since */
}

static void test_map_growth(void **state)
{
    fx_t *fx = *state;
    tlx_store_close(&fx->st);
    char dir[300];
    snprintf(dir, sizeof dir, "%s-tiny", fx->dir);
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.map_size = 64 << 10; /* 64 KiB: the first batches overflow it */
    char err[256];
    tlx_store_t *st;
    assert_int_equal(tlx_store_open(dir, &o, &st, err, sizeof err), 0);
    char *big = malloc(20000);
    int grows = 0;
    for (int i = 0; i < 200; i++) {
        memset(big, 'a' + i % 26, 19999);
        big[19999] = '\0';
        snprintf(big, 20, "%d", i);
        big[strlen(big)] = ' ';
        for (int tries = 0;; tries++) {
            assert_true(tries < 40);
            tlx_accept_out_t out;
            int rc = tlx_store_wbegin(st);
            if (!rc)
                rc = tlx_test_accept(st, NULL, big, &out);
            if (!rc)
                rc = tlx_store_wcommit(st);
            if (rc == 0)
                break;
            tlx_store_wabort(st);
            assert_int_equal(rc, TLX_EFULL);
            assert_int_equal(tlx_store_grow(st), 0);
            grows++;
        }
    }
    free(big);
    tlx_store_counts_t k;
    tlx_store_counts(st, &k);
    assert_int_equal(k.inbox, 200);
    assert_true(grows > 0);
    assert_true(k.map_size > (size_t)(64 << 10));
    tlx_store_close(&st);
    fx->st = NULL;
    /* it reopens with the grown map and keeps everything */
    assert_int_equal(tlx_store_open(dir, &o, &st, err, sizeof err), 0);
    tlx_store_counts(st, &k);
    assert_int_equal(k.inbox, 200);
    tlx_store_close(&st);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
}

static long long s_file_size(const char *dir)
{
    char path[400];
    struct stat st;
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    assert_int_equal(stat(path, &st), 0);
    return (long long)st.st_size;
}

/* The owner keeps the region past the used pages cached ahead of LMDB's
   writes (the file extended sparsely, never past the map); a clean close
   cuts it back, and what was written reads back the same. */
static void test_warm_ahead(void **state)
{
    fx_t *fx = *state;
    long long before = s_file_size(fx->dir);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    tlx_accept_out_t out;
    assert_int_equal(tlx_test_accept(fx->st, NULL, "a text to warm the store for", &out), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    long long warm = s_file_size(fx->dir);
    tlx_store_counts_t k;
    tlx_store_counts(fx->st, &k);
    print_message("data.mdb: %lld bytes before, %lld warmed ahead (map %zu)\n", before, warm, k.map_size);
    assert_true(warm >= before + (8 << 20));
    assert_true(warm <= (long long)k.map_size);
    tlx_store_close(&fx->st);
    long long closed = s_file_size(fx->dir);
    assert_true(closed < before + (1 << 20)); /* a few pages: what LMDB uses */
    char err[256];
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
    tlx_inbox_entry_t e;
    void *copy = NULL;
    assert_int_equal(tlx_store_inbox_get(fx->st, out.inbox_seq, &e, &copy), 0);
    assert_int_equal(e.env_len, strlen("a text to warm the store for"));
    assert_memory_equal(e.env, "a text to warm the store for", e.env_len);
    free(copy);
    /* a reader never extends the file */
    tlx_store_close(&fx->st);
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.read_only = true;
    assert_int_equal(tlx_store_open(fx->dir, &o, &fx->st, err, sizeof err), 0);
    tlx_store_close(&fx->st);
    assert_int_equal(s_file_size(fx->dir), closed);
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
}

static void test_schema_mismatch(void **state)
{
    fx_t *fx = *state;
    tlx_store_close(&fx->st);
    /* write schema 99 behind telex's back */
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 32);
    assert_int_equal(mdb_env_open(env, fx->dir, 0, 0600), 0);
    mdb_txn_begin(env, NULL, 0, &txn);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
    uint8_t v2[8] = {0, 0, 0, 0, 0, 0, 0, 99};
    MDB_val k = {6, "schema"}, v = {8, v2};
    mdb_put(txn, dbi, &k, &v, 0);
    mdb_txn_commit(txn);
    mdb_env_close(env);
    char err[512];
    tlx_store_t *st = NULL;
    assert_int_equal(tlx_store_open(fx->dir, NULL, &st, err, sizeof err), TLX_ESCHEMA);
    assert_non_null(strstr(err, "schema version 99"));
    assert_null(st);
}

static void test_readonly_missing(void **state)
{
    (void)state;
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.read_only = true;
    char err[512];
    tlx_store_t *st;
    assert_int_equal(tlx_store_open("/tmp/telex-no-such-store-here", &o, &st, err, sizeof err),
                     TLX_ENOTFOUND);
    assert_non_null(strstr(err, "cannot open store /tmp/telex-no-such-store-here"));
}

/* One environment per process: a second open of an open store (a
   reader beside the writer in one process) would corrupt LMDB's lock
   state, so it is refused; after the close it opens again. */
static void test_open_twice_in_process(void **state)
{
    fx_t *fx = *state;
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.read_only = true;
    char err[512];
    tlx_store_t *st = NULL;
    assert_int_equal(tlx_store_open(fx->dir, &o, &st, err, sizeof err), TLX_EBUSY);
    assert_null(st);
    assert_non_null(strstr(err, "already open in this process"));
    tlx_store_close(&fx->st);
    assert_int_equal(tlx_store_open(fx->dir, &o, &st, err, sizeof err), 0);
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), TLX_EBUSY);
    tlx_store_close(&st);
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
}

/* ---- schema 2: the envelope written once; a schema-1 store upgraded ---- */

/* Envelope bytes of the article `seq` (tlx_store_raw_get) equal `want`. */
static void s_raw_is(tlx_store_t *st, uint64_t seq, const char *want)
{
    void *env;
    size_t len;
    assert_int_equal(tlx_store_raw_get(st, seq, &env, &len), 0);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(env, want, len);
    free(env);
}

static void s_verify_clean(tlx_store_t *st)
{
    tlx_verify_stats_t vs;
    assert_int_equal(tlx_store_verify(st, stderr, &vs), 0);
    assert_int_equal(vs.problems, 0);
}

/* Makes the closed store at `dir` what telex schema 1 wrote: every
   "TXI2" inbox entry and dead letter carries its envelope again ("TXI1"),
   every `raw` reference is the envelope itself, no `envelopes` DB, meta
   schema 1.  Nothing else differed between the versions. */
static void s_to_schema1(const char *dir)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi inbox, raw, envs, meta, dead;
    assert_int_equal(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 32);
    assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "inbox", 0, &inbox), 0);
    assert_int_equal(mdb_dbi_open(txn, "raw", 0, &raw), 0);
    assert_int_equal(mdb_dbi_open(txn, "envelopes", 0, &envs), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    assert_int_equal(mdb_dbi_open(txn, "dead", 0, &dead), 0);
    MDB_cursor *cur;
    MDB_val k, v, ev;
    assert_int_equal(mdb_cursor_open(txn, inbox, &cur), 0);
    for (int op = MDB_FIRST; mdb_cursor_get(cur, &k, &v, op) == 0; op = MDB_NEXT) {
        assert_memory_equal(v.mv_data, "TXI2", 4);
        assert_int_equal(mdb_get(txn, envs, &k, &ev), 0);
        uint8_t *b = malloc(v.mv_size + ev.mv_size);
        memcpy(b, v.mv_data, v.mv_size);
        memcpy(b + v.mv_size, ev.mv_data, ev.mv_size);
        memcpy(b, "TXI1", 4);
        uint8_t kb[8]; /* k points into the page the put rewrites */
        memcpy(kb, k.mv_data, 8);
        MDB_val nk = {8, kb}, nv = {v.mv_size + ev.mv_size, b};
        assert_int_equal(mdb_cursor_put(cur, &nk, &nv, MDB_CURRENT), 0);
        free(b);
    }
    mdb_cursor_close(cur);
    assert_int_equal(mdb_cursor_open(txn, raw, &cur), 0);
    for (int op = MDB_FIRST; mdb_cursor_get(cur, &k, &v, op) == 0; op = MDB_NEXT) {
        assert_int_equal(v.mv_size, 9);
        assert_int_equal(((uint8_t *)v.mv_data)[0], 0xcf);
        MDB_val ek = {8, (uint8_t *)v.mv_data + 1};
        assert_int_equal(mdb_get(txn, envs, &ek, &ev), 0);
        void *b = malloc(ev.mv_size);
        memcpy(b, ev.mv_data, ev.mv_size);
        uint8_t kb[8];
        memcpy(kb, k.mv_data, 8);
        MDB_val nk = {8, kb}, nv = {ev.mv_size, b};
        assert_int_equal(mdb_cursor_put(cur, &nk, &nv, MDB_CURRENT), 0);
        free(b);
    }
    mdb_cursor_close(cur);
    /* dedup: every text a T key (value: the id), R values the revision alone */
    MDB_dbi dedup;
    assert_int_equal(mdb_dbi_open(txn, "dedup", 0, &dedup), 0);
    assert_int_equal(mdb_cursor_open(txn, dedup, &cur), 0);
    k = (MDB_val){1, "R"};
    for (int op = MDB_SET_RANGE; mdb_cursor_get(cur, &k, &v, op) == 0; op = MDB_NEXT) {
        if (((uint8_t *)k.mv_data)[0] != 'R')
            break;
        assert_true(v.mv_size > 4 && (v.mv_size - 4) % 16 == 0);
        uint8_t kb[512], vb[4 + 16 * 16];
        size_t kl = k.mv_size, n = (v.mv_size - 4) / 16;
        memcpy(kb, k.mv_data, kl);
        memcpy(vb, v.mv_data, v.mv_size);
        MDB_val nk = {kl, kb}, nv = {4, vb};
        assert_int_equal(mdb_cursor_put(cur, &nk, &nv, MDB_CURRENT), 0);
        for (size_t i = 0; i < n; i++) {
            uint8_t tk[17] = {'T'};
            memcpy(tk + 1, vb + 4 + 16 * i, 16);
            MDB_val tkv = {17, tk}, idv = {kl - 1, kb + 1};
            assert_int_equal(mdb_put(txn, dedup, &tkv, &idv, 0), 0);
        }
        k = (MDB_val){kl, kb};
        assert_int_equal(mdb_cursor_get(cur, &k, &v, MDB_SET_KEY), 0);
    }
    mdb_cursor_close(cur);
    MDB_stat ms;
    mdb_stat(txn, dead, &ms);
    assert_int_equal(ms.ms_entries, 0); /* (dead letters: test_dead_and_reject) */
    assert_int_equal(mdb_drop(txn, envs, 1), 0);
    uint8_t one[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    MDB_val sk = {6, "schema"}, sv = {8, one};
    assert_int_equal(mdb_put(txn, meta, &sk, &sv, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

static void s_commit_one(tlx_store_t *st, uint64_t inbox, const char *id, uint64_t *seq)
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 3);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, id, strlen(id));
    msgpack_pack_str_with_body(&pk, "revision", 8);
    msgpack_pack_uint32(&pk, 1);
    msgpack_pack_str_with_body(&pk, "body", 4);
    msgpack_pack_str_with_body(&pk, "body", 4);
    assert_int_equal(tlx_store_wbegin(st), 0);
    assert_int_equal(tlx_store_commit_record(st, inbox, sb.data, sb.size, NULL, seq), 0);
    assert_int_equal(tlx_store_wcommit(st), 0);
    msgpack_sbuffer_destroy(&sb);
}

/* A store written by schema 1 (the envelope in the inbox entry and again
   in `raw`): read-only readers read it as it is; the owner's open upgrades
   it to schema 2 and drains its inbox; old and new values then live side
   by side, every relation holding (telex verify). */
static void test_schema1_upgrade(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t a, b, c;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "old-1", "stored before the upgrade", &a), 0);
    assert_int_equal(tlx_test_accept(fx->st, "old-2", "waiting in the inbox", &b), 0);
    assert_int_equal(tlx_test_accept(fx->st, "old-3", "to be dead-lettered", &c), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    uint64_t s1, s2, s3, s4;
    s_commit_one(fx->st, a.inbox_seq, "old-1", &s1);
    tlx_store_close(&fx->st);
    s_to_schema1(fx->dir);

    /* a reader: schema 1 as it is, nothing written */
    tlx_store_opts_t ro;
    tlx_store_opts_default(&ro);
    ro.read_only = true;
    char err[512];
    tlx_store_t *st;
    assert_int_equal(tlx_store_open(fx->dir, &ro, &st, err, sizeof err), 0);
    tlx_store_counts_t k;
    assert_int_equal(tlx_store_counts(st, &k), 0);
    assert_int_equal(k.schema, 1);
    s_verify_clean(st);
    s_raw_is(st, s1, "stored before the upgrade");
    tlx_inbox_entry_t e;
    void *copy;
    assert_int_equal(tlx_store_inbox_get(st, b.inbox_seq, &e, &copy), 0);
    assert_int_equal(e.env_len, strlen("waiting in the inbox"));
    assert_memory_equal(e.env, "waiting in the inbox", e.env_len);
    free(copy);
    tlx_store_close(&st);

    /* the owner: upgraded, the old entries drain */
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
    assert_int_equal(tlx_store_counts(fx->st, &k), 0);
    assert_int_equal(k.schema, 2);
    assert_int_equal(k.inbox, 2);
    s_verify_clean(fx->st);
    assert_int_equal(tlx_store_inbox_get(fx->st, b.inbox_seq, &e, &copy), 0);
    assert_memory_equal(e.id, "old-2", 5);
    assert_memory_equal(e.env, "waiting in the inbox", e.env_len);
    free(copy);
    s_commit_one(fx->st, b.inbox_seq, "old-2", &s2);
    s_raw_is(fx->st, s2, "waiting in the inbox");
    /* an old entry dead-lettered and replayed keeps its envelope */
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_dead(fx->st, c.inbox_seq, "pipeline", "crashed", 5), 0);
    tlx_accept_out_t d;
    assert_int_equal(tlx_test_accept(fx->st, "new-1", "written once", &d), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    assert_true(d.inbox_seq > c.inbox_seq);
    s_verify_clean(fx->st);
    uint64_t n;
    assert_int_equal(tlx_store_dead_replay(fx->st, "old-3", &n), 0);
    assert_int_equal(n, 1);
    s_commit_one(fx->st, c.inbox_seq, "old-3", &s3);
    s_raw_is(fx->st, s3, "to be dead-lettered");
    s_commit_one(fx->st, d.inbox_seq, "new-1", &s4);
    s_raw_is(fx->st, s4, "written once");
    s_raw_is(fx->st, s1, "stored before the upgrade");
    s_verify_clean(fx->st);
    /* dedup of an id first seen by schema 1: its texts are T keys */
    tlx_accept_out_t r;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "old-1", "stored before the upgrade", &r), 0);
    assert_true(r.duplicate);
    assert_int_equal(tlx_test_accept(fx->st, "old-1", "edited after the upgrade", &r), 0);
    assert_false(r.duplicate);
    assert_int_equal(r.revision, 2);
    assert_int_equal(tlx_test_accept(fx->st, "old-1", "edited after the upgrade", &r), 0);
    assert_true(r.duplicate);
    assert_int_equal(tlx_test_accept(fx->st, "new-1", "written once", &r), 0);
    assert_true(r.duplicate);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);

    /* a release that reads only schema 1 refuses the store from now on */
    tlx_store_close(&fx->st);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi meta;
    MDB_val sk = {6, "schema"}, sv;
    assert_int_equal(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 32);
    assert_int_equal(mdb_env_open(env, fx->dir, MDB_RDONLY, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    assert_int_equal(mdb_get(txn, meta, &sk, &sv), 0);
    assert_int_equal(sv.mv_size, 8);
    assert_int_equal(((uint8_t *)sv.mv_data)[7], 2);
    mdb_txn_abort(txn);
    mdb_env_close(env);
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
}

/* The longest id an envelope may carry (TLX_ENV_ID_MAX, a store key) is
   accepted, deduplicated, revised, committed and verified like any. */
static void test_longest_id(void **state)
{
    fx_t *fx = *state;
    char id[TLX_ENV_ID_MAX + 1];
    memset(id, 'i', TLX_ENV_ID_MAX);
    id[TLX_ENV_ID_MAX] = '\0';
    tlx_accept_out_t a, d, b;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, id, "first text", &a), 0);
    assert_int_equal(tlx_test_accept(fx->st, id, "first text", &d), 0);
    assert_true(d.duplicate);
    assert_int_equal(tlx_test_accept(fx->st, id, "second text", &b), 0);
    assert_false(b.duplicate);
    assert_int_equal(b.revision, 2);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    uint64_t s1, s2;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    s_commit_tagged(fx->st, a.inbox_seq, id, 1, "long", &s1);
    s_commit_tagged(fx->st, b.inbox_seq, id, 2, "long", &s2);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    s_verify_clean(fx->st);
}

/* Raw LMDB surgery on the closed store at `dir`: deletes (put == NULL)
   or puts envelopes[seq]. */
static void s_envelope_poke(const char *dir, uint64_t seq, const char *put)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi envs;
    assert_int_equal(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 32);
    assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "envelopes", 0, &envs), 0);
    uint8_t key[8];
    for (int i = 0; i < 8; i++)
        key[i] = (uint8_t)(seq >> (56 - 8 * i));
    MDB_val k = {8, key}, v = {put ? strlen(put) : 0, (void *)put};
    assert_int_equal(put ? mdb_put(txn, envs, &k, &v, 0) : mdb_del(txn, envs, &k, NULL), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

/* telex verify: an envelope named by `raw`, the inbox or a dead letter
   that is gone, and one that nothing names, are each a problem. */
static void test_verify_envelopes(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t a, b, c;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "v-1", "stored", &a), 0);
    assert_int_equal(tlx_test_accept(fx->st, "v-2", "waiting", &b), 0);
    assert_int_equal(tlx_test_accept(fx->st, "v-3", "dead", &c), 0);
    assert_int_equal(tlx_store_dead(fx->st, c.inbox_seq, "pipeline", "crashed", 5), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    uint64_t s1;
    s_commit_one(fx->st, a.inbox_seq, "v-1", &s1);
    s_verify_clean(fx->st);
    char err[512];
    const uint64_t gone[3] = {a.inbox_seq, b.inbox_seq, c.inbox_seq};
    for (int i = 0; i < 3; i++) {
        tlx_store_close(&fx->st);
        s_envelope_poke(fx->dir, gone[i], NULL);
        assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
        tlx_verify_stats_t vs;
        assert_int_equal(tlx_store_verify(fx->st, NULL, &vs), 0);
        assert_int_equal(vs.problems, 2); /* the name without its envelope; the count */
        tlx_store_close(&fx->st);
        s_envelope_poke(fx->dir, gone[i], "back");
        assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
        s_verify_clean(fx->st);
    }
    void *env;
    size_t len;
    tlx_store_close(&fx->st);
    s_envelope_poke(fx->dir, a.inbox_seq, NULL);
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
    assert_int_equal(tlx_store_raw_get(fx->st, s1, &env, &len), TLX_ECORRUPT);
    tlx_inbox_entry_t e;
    tlx_store_close(&fx->st);
    s_envelope_poke(fx->dir, a.inbox_seq, "back");
    s_envelope_poke(fx->dir, b.inbox_seq, NULL);
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
    assert_int_equal(tlx_store_inbox_get(fx->st, b.inbox_seq, &e, &env), TLX_ECORRUPT);
    /* an orphan: the count says it */
    tlx_store_close(&fx->st);
    s_envelope_poke(fx->dir, b.inbox_seq, "back");
    s_envelope_poke(fx->dir, 100, "orphan");
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
    tlx_verify_stats_t vs;
    assert_int_equal(tlx_store_verify(fx->st, NULL, &vs), 0);
    assert_int_equal(vs.problems, 2); /* the count; a key beyond next_inbox */
}

/* tlx_store_inbox_scan hands every entry its own envelope, from any
   start, inside a write batch and out of one, across runs of stored
   entries (gaps in the inbox, short and long) and past entries whose
   envelope is missing (skipped, as telex verify reports them). */
typedef struct {
    int n;
    uint64_t seqs[64];
} scan_seen_t;

static int s_scan_check(void *ctx, const tlx_inbox_entry_t *e)
{
    scan_seen_t *sc = ctx;
    char want[32];
    snprintf(want, sizeof want, "env-%llu", (unsigned long long)e->inbox_seq);
    if (!e->env || e->env_len != strlen(want) || memcmp(e->env, want, e->env_len) != 0)
        fail_msg("inbox %llu: envelope '%.*s'", (unsigned long long)e->inbox_seq, (int)e->env_len,
                 e->env ? (const char *)e->env : "");
    assert_true(sc->n < 64);
    sc->seqs[sc->n++] = e->inbox_seq;
    return 0;
}

static void test_inbox_scan_envelopes(void **state)
{
    fx_t *fx = *state;
    uint64_t seqs[60];
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    for (int i = 0; i < 60; i++) {
        tlx_accept_out_t a;
        char id[16], text[32];
        snprintf(id, sizeof id, "sc-%d", i);
        snprintf(text, sizeof text, "env-%d", i + 1); /* inbox seqs start at 1 */
        assert_int_equal(tlx_test_accept(fx->st, id, text, &a), 0);
        assert_int_equal(a.inbox_seq, (uint64_t)i + 1);
        seqs[i] = a.inbox_seq;
    }
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    /* stored: every 7th, and a run of 20 (a gap longer than the walk's step) */
    bool gone[61] = {false};
    for (int i = 0; i < 60; i++)
        if (i % 7 == 3 || (i >= 30 && i < 50)) {
            char id[16];
            snprintf(id, sizeof id, "sc-%d", i);
            uint64_t seq;
            s_commit_one(fx->st, seqs[i], id, &seq);
            gone[seqs[i]] = true;
        }
    /* envelopes missing: right after a gap, inside a run, the last */
    const uint64_t missing[] = {2, 5, 51, 60};
    char err[512];
    tlx_store_close(&fx->st);
    for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
        s_envelope_poke(fx->dir, missing[i], NULL);
        gone[missing[i]] = true;
    }
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
    const uint64_t afters[] = {0, 1, 4, 30, 50, 59, 60};
    for (int batch = 0; batch < 2; batch++)
        for (size_t a = 0; a < sizeof afters / sizeof *afters; a++) {
            if (batch)
                assert_int_equal(tlx_store_wbegin(fx->st), 0);
            scan_seen_t sc = {0};
            assert_int_equal(tlx_store_inbox_scan(fx->st, afters[a], s_scan_check, &sc), 0);
            if (batch)
                tlx_store_wabort(fx->st);
            int k = 0;
            for (uint64_t q = afters[a] + 1; q <= 60; q++)
                if (!gone[q]) {
                    if (k >= sc.n || sc.seqs[k] != q)
                        fail_msg("after %llu (batch %d): entry %llu not scanned",
                                 (unsigned long long)afters[a], batch, (unsigned long long)q);
                    k++;
                }
            assert_int_equal(k, sc.n);
        }
}

/* A dead letter lists its entry's id and envelope (the envelope stays in
   `envelopes`, SCHEMA.md) */
static int s_dead_env(void *ctx, const tlx_dead_t *d)
{
    int *seen = ctx;
    assert_int_equal(d->inbox.id_len, 1);
    assert_memory_equal(d->inbox.id, "d", 1);
    assert_int_equal(d->inbox.env_len, strlen("poison"));
    assert_memory_equal(d->inbox.env, "poison", d->inbox.env_len);
    assert_int_equal(d->stage_len, strlen("pipeline"));
    (*seen)++;
    return 0;
}

static void test_dead_and_reject(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t o;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "d", "poison", &o), 0);
    assert_int_equal(tlx_store_inbox_set_attempts(fx->st, o.inbox_seq, 3), 0);
    assert_int_equal(tlx_store_dead(fx->st, o.inbox_seq, "pipeline", "crashed 3 times", 5), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(tlx_store_reject(fx->st, "not_msgpack", "garbage", "\x01\x02", 2, 5), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    tlx_store_counts_t k;
    tlx_store_counts(fx->st, &k);
    assert_int_equal(k.inbox, 0);
    assert_int_equal(k.dead, 1);
    assert_int_equal(k.rejects, 3);
    int seen = 0;
    assert_int_equal(tlx_store_dead_list(fx->st, s_dead_env, &seen), 0);
    assert_int_equal(seen, 1);
}

/* The attempt counter of inbox entry `seq` as its own value holds it
   (first) and as meta "attempts" raises it (second, 0 when not), read with
   LMDB directly: the store is closed around the look and opened again. */
static void s_att_raw(fx_t *fx, uint64_t seq, uint32_t *own, uint32_t *raised, size_t *nraised)
{
    tlx_store_close(&fx->st);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi inbox, meta;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 32);
    assert_int_equal(mdb_env_open(env, fx->dir, MDB_RDONLY, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "inbox", 0, &inbox), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    uint8_t key[8];
    for (int i = 0; i < 8; i++)
        key[i] = (uint8_t)(seq >> (56 - 8 * i));
    MDB_val k = {8, key}, v, ak = {8, "attempts"};
    *own = *raised = 0;
    *nraised = 0;
    if (mdb_get(txn, inbox, &k, &v) == 0) {
        const uint8_t *p = v.mv_data;
        *own = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
    }
    if (mdb_get(txn, meta, &ak, &v) == 0) {
        assert_int_equal(v.mv_size % 12, 0);
        *nraised = v.mv_size / 12;
        for (const uint8_t *r = v.mv_data; r < (const uint8_t *)v.mv_data + v.mv_size; r += 12)
            if (memcmp(r, key, 8) == 0)
                *raised = (uint32_t)r[8] << 24 | (uint32_t)r[9] << 16 | (uint32_t)r[10] << 8 | r[11];
    }
    mdb_txn_abort(txn);
    mdb_env_close(env);
    char err[256];
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
}

static int s_att_scan(void *ctx, const tlx_inbox_entry_t *e)
{
    uint32_t *att = ctx;
    att[e->inbox_seq] = e->attempts;
    return 0;
}

static int s_att_dead(void *ctx, const tlx_dead_t *d)
{
    *(uint32_t *)ctx = d->inbox.attempts;
    return 0;
}

/* A raised attempt counter goes to meta "attempts" (the inbox entry and its
   envelope are not rewritten), is what every reader sees, survives a
   reopen, goes with an abort, and leaves with its entry (record, dead
   letter, replay); a counter given back below the raised value drops it. */
static void test_attempts_raised(void **state)
{
    fx_t *fx = *state;
    tlx_accept_out_t a, b;
    uint32_t own, raised, att[8] = {0};
    size_t n;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_test_accept(fx->st, "r-1", "one", &a), 0);
    assert_int_equal(tlx_test_accept(fx->st, "r-2", "two", &b), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);

    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_inbox_set_attempts(fx->st, a.inbox_seq, 1), 0);
    assert_int_equal(tlx_store_inbox_set_attempts(fx->st, b.inbox_seq, 2), 0);
    tlx_inbox_entry_t e;
    void *copy;
    assert_int_equal(tlx_store_inbox_get(fx->st, b.inbox_seq, &e, &copy), 0); /* in the batch */
    assert_int_equal(e.attempts, 2);
    free(copy);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    s_att_raw(fx, a.inbox_seq, &own, &raised, &n);
    assert_int_equal(own, 0);
    assert_int_equal(raised, 1);
    assert_int_equal(n, 2);
    assert_int_equal(tlx_store_inbox_get(fx->st, a.inbox_seq, &e, &copy), 0);
    assert_int_equal(e.attempts, 1);
    assert_true(e.env_len > 0 && memmem(e.env, e.env_len, "one", 3) != NULL); /* the envelope as written */
    free(copy);
    assert_int_equal(tlx_store_inbox_scan(fx->st, 0, s_att_scan, att), 0);
    assert_int_equal(att[a.inbox_seq], 1);
    assert_int_equal(att[b.inbox_seq], 2);

    /* an aborted raise is gone */
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_inbox_set_attempts(fx->st, a.inbox_seq, 5), 0);
    tlx_store_wabort(fx->st);
    assert_int_equal(tlx_store_inbox_get(fx->st, a.inbox_seq, &e, &copy), 0);
    assert_int_equal(e.attempts, 1);
    free(copy);

    /* given back: to the entry's own value (the record goes), below it (the entry is rewritten) */
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_inbox_set_attempts(fx->st, a.inbox_seq, 0), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    s_att_raw(fx, a.inbox_seq, &own, &raised, &n);
    assert_int_equal(own, 0);
    assert_int_equal(raised, 0);
    assert_int_equal(n, 1);

    /* the dead letter carries the raised counter; the record goes with the entry */
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_dead(fx->st, b.inbox_seq, "pipeline", "failed", 5), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    uint32_t dead_att = 0;
    assert_int_equal(tlx_store_dead_list(fx->st, s_att_dead, &dead_att), 0);
    assert_int_equal(dead_att, 2);
    s_att_raw(fx, b.inbox_seq, &own, &raised, &n);
    assert_int_equal(n, 0);
    uint64_t replayed;
    assert_int_equal(tlx_store_dead_replay(fx->st, NULL, &replayed), 0);
    assert_int_equal(replayed, 1);
    assert_int_equal(tlx_store_inbox_get(fx->st, b.inbox_seq, &e, &copy), 0);
    assert_int_equal(e.attempts, 0);
    free(copy);

    /* a committed record takes its raised counter along */
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_inbox_set_attempts(fx->st, a.inbox_seq, 1), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    msgpack_sbuffer rec; /* {"id": "r-1", "revision": 1, "body": "one"} */
    msgpack_packer pk;
    msgpack_sbuffer_init(&rec);
    msgpack_packer_init(&pk, &rec, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 3);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, "r-1", 3);
    msgpack_pack_str_with_body(&pk, "revision", 8);
    msgpack_pack_uint32(&pk, 1);
    msgpack_pack_str_with_body(&pk, "body", 4);
    msgpack_pack_str_with_body(&pk, "one", 3);
    uint64_t seq;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_commit_record(fx->st, a.inbox_seq, rec.data, rec.size, NULL, &seq), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    msgpack_sbuffer_destroy(&rec);
    s_att_raw(fx, a.inbox_seq, &own, &raised, &n);
    assert_int_equal(n, 0);
    tlx_verify_stats_t vs;
    assert_int_equal(tlx_store_verify(fx->st, NULL, &vs), 0);
    assert_int_equal(vs.problems, 0);

    /* telex verify: a raised counter of an entry that is gone, one not
       above its entry's own, records out of order */
    tlx_store_close(&fx->st);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi meta;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 32);
    assert_int_equal(mdb_env_open(env, fx->dir, 0, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    uint8_t bad[36] = {0};
    bad[7] = 9;                         /* inbox 9: no such entry */
    bad[11] = 1;                        /* attempts 1 */
    bad[12 + 7] = (uint8_t)b.inbox_seq; /* the replayed entry, own counter 0: attempts 0 */
    bad[24 + 7] = 1;                    /* inbox 1 after inbox 2: out of order (and gone) */
    bad[24 + 11] = 1;
    MDB_val ak = {8, "attempts"}, av = {sizeof bad, bad};
    assert_int_equal(mdb_put(txn, meta, &ak, &av, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
    char err[256];
    assert_int_equal(tlx_store_open(fx->dir, NULL, &fx->st, err, sizeof err), 0);
    assert_int_equal(tlx_store_verify(fx->st, stderr, &vs), 0);
    assert_int_equal(vs.problems, 5); /* 9: gone; 2: not above, out of order; 1: out of order, gone */
}

/* Past the table's bound (4,096 raised counters) an entry is rewritten
   with its counter, as before; every reader sees each raised value. */
static void test_attempts_bound(void **state)
{
    fx_t *fx = *state;
    enum { N = 4100 };
    uint64_t *seqs = calloc(N, sizeof *seqs);
    assert_non_null(seqs);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    for (int i = 0; i < N; i++) {
        char id[32], text[32];
        snprintf(id, sizeof id, "b-%d", i);
        snprintf(text, sizeof text, "text %d", i);
        tlx_accept_out_t o;
        assert_int_equal(tlx_test_accept(fx->st, id, text, &o), 0);
        seqs[i] = o.inbox_seq;
    }
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    for (int i = 0; i < N; i++)
        assert_int_equal(tlx_store_inbox_set_attempts(fx->st, seqs[i], 1 + (uint32_t)(i % 3)), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    uint32_t own, raised;
    size_t n;
    s_att_raw(fx, seqs[N - 1], &own, &raised, &n);
    assert_int_equal(n, 4096);
    assert_int_equal(own, 1 + (N - 1) % 3); /* rewritten */
    assert_int_equal(raised, 0);
    for (int i = 0; i < N; i += 97) {
        tlx_inbox_entry_t e;
        void *copy;
        assert_int_equal(tlx_store_inbox_get(fx->st, seqs[i], &e, &copy), 0);
        assert_int_equal(e.attempts, 1 + (uint32_t)(i % 3));
        free(copy);
    }
    tlx_verify_stats_t vs;
    assert_int_equal(tlx_store_verify(fx->st, stderr, &vs), 0);
    assert_int_equal(vs.problems, 0);
    free(seqs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accept_commit_get, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_dedup_and_revisions, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_dedup_many_revisions, s_setup, s_teardown),
        cmocka_unit_test(test_article_id),
        cmocka_unit_test_setup_teardown(test_dedup_hash_given, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_index_batch_revisions, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_record_check, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_record_check_reason, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_record_precheck, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_record_check_names, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_record_index_keys, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_feed_and_abort, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_map_growth, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_warm_ahead, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_map_bound, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_near_dup_crowded_band, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_schema_mismatch, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_dead_and_reject, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_schema1_upgrade, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_verify_envelopes, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_inbox_scan_envelopes, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_longest_id, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_attempts_raised, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_attempts_bound, s_setup, s_teardown),
        cmocka_unit_test(test_readonly_missing),
        cmocka_unit_test_setup_teardown(test_open_twice_in_process, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
