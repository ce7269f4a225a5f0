/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_record.c -- pack a tlx_record_t as the msgpack map of SCHEMA.md.

    Every key of DESIGN.md section 3 is always present (nil or empty when
    unknown), so consumers in any language can index fields without
    existence checks.  `seq` is added by the store at commit.
*/
#include "tlx_record.h"

#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_error.h"

static const char *const s_flag_names[TLX_FLAG__COUNT] = {
    "utf8_repaired",   "mojibake_fixed",  "apostrophes_restored", "truncated",
    "control_removed", "not_english",     "lang_unreliable",      "html",
    "no_article",      "charset_unknown",
};

const char *tlx_record_flag_name(uint32_t flag)
{
    for (int i = 0; i < TLX_FLAG__COUNT; i++)
        if (flag == (1u << i))
            return s_flag_names[i];
    return NULL;
}

static const char *const s_ent_types[] = {"PER", "LOC", "ORG", "MISC"};

static void s_key(msgpack_packer *pk, const char *k)
{
    msgpack_pack_str_with_body(pk, k, strlen(k));
}

static void s_str(msgpack_packer *pk, const char *s)
{
    if (!s)
        msgpack_pack_nil(pk);
    else
        msgpack_pack_str_with_body(pk, s, strlen(s));
}

static void s_strv(msgpack_packer *pk, const tlx_strv_t *v)
{
    msgpack_pack_array(pk, v->n);
    for (uint32_t i = 0; i < v->n; i++)
        s_str(pk, v->v[i]);
}

static void s_span(msgpack_packer *pk, tlx_span_t sp)
{
    msgpack_pack_array(pk, 2);
    msgpack_pack_uint32(pk, sp.start);
    msgpack_pack_uint32(pk, sp.end);
}

static void s_time(msgpack_packer *pk, int64_t ms)
{
    if (ms <= 0)
        msgpack_pack_nil(pk);
    else
        msgpack_pack_int64(pk, ms);
}

/* The top-level map: its keys are counted as they are written (s_tkey),
   and the map16 header patched with the count at the end. */
typedef struct {
    msgpack_packer pk;
    uint32_t nkeys;
} top_t;

static void s_tkey(top_t *t, const char *k)
{
    t->nkeys++;
    s_key(&t->pk, k);
}

/* The article: identity, times, headline, credits, body and its statistics. */
static void s_pack_article(top_t *t, const tlx_record_t *r)
{
    msgpack_packer *pk = &t->pk;
    s_tkey(t, "id"), s_str(pk, r->id);
    s_tkey(t, "revision"), msgpack_pack_uint32(pk, r->revision);
    s_tkey(t, "source"), s_str(pk, r->source);
    s_tkey(t, "url"), s_str(pk, r->url);
    s_tkey(t, "received_at"), s_time(pk, r->received_at_ms);
    s_tkey(t, "processed_at"), s_time(pk, r->processed_at_ms);
    s_tkey(t, "title"), s_str(pk, r->title);
    s_tkey(t, "deck"), s_str(pk, r->deck);
    s_tkey(t, "tags"), s_strv(pk, &r->tags);
    s_tkey(t, "captions");
    msgpack_pack_array(pk, r->ncaptions);
    for (uint32_t i = 0; i < r->ncaptions; i++) {
        msgpack_pack_map(pk, 2);
        s_key(pk, "text"), s_str(pk, r->captions[i].text);
        s_key(pk, "credit"), s_str(pk, r->captions[i].credit);
    }
    s_tkey(t, "authors"), s_strv(pk, &r->authors);
    s_tkey(t, "published_at"), s_str(pk, r->published_at);
    s_tkey(t, "dateline");
    if (!r->dateline.text)
        msgpack_pack_nil(pk);
    else {
        msgpack_pack_map(pk, 3);
        s_key(pk, "text"), s_str(pk, r->dateline.text);
        s_key(pk, "place"), s_str(pk, r->dateline.place);
        s_key(pk, "agency"), s_str(pk, r->dateline.agency);
    }
    s_tkey(t, "modified_at"), s_str(pk, r->modified_at);
    s_tkey(t, "publisher"), s_str(pk, r->publisher);
    s_tkey(t, "from_markup"), s_strv(pk, &r->from_markup);
    s_tkey(t, "subheadings"), s_strv(pk, &r->subheadings);
    s_tkey(t, "credits");
    msgpack_pack_map(pk, 2);
    s_key(pk, "translated_by"), s_strv(pk, &r->translated_by);
    s_key(pk, "edited_by"), s_strv(pk, &r->edited_by);
    s_tkey(t, "boilerplate"), s_strv(pk, &r->boilerplate);
    s_tkey(t, "body");
    msgpack_pack_str_with_body(pk, r->body ? r->body : "", r->body ? r->body_len : 0);
    s_tkey(t, "lang"), s_str(pk, r->lang);
    s_tkey(t, "stats");
    msgpack_pack_map(pk, 5);
    s_key(pk, "chars"), msgpack_pack_uint32(pk, r->stats.chars);
    s_key(pk, "words"), msgpack_pack_uint32(pk, r->stats.words);
    s_key(pk, "sentences"), msgpack_pack_uint32(pk, r->stats.sentences);
    s_key(pk, "reading_time_s"), msgpack_pack_uint32(pk, r->stats.reading_time_s);
    s_key(pk, "flesch"), msgpack_pack_double(pk, r->stats.flesch);
}

/* The annotations with spans in the body: entities, dates, money, quantities. */
static void s_pack_annotations(top_t *t, const tlx_record_t *r)
{
    msgpack_packer *pk = &t->pk;
    s_tkey(t, "entities");
    msgpack_pack_array(pk, r->nentities);
    for (uint32_t i = 0; i < r->nentities; i++) {
        const tlx_entity_t *e = &r->entities[i];
        msgpack_pack_map(pk, 5);
        s_key(pk, "text"), s_str(pk, e->text);
        s_key(pk, "type"), s_str(pk, (unsigned)e->type < 4 ? s_ent_types[e->type] : "MISC");
        s_key(pk, "canonical"), s_str(pk, e->canonical ? e->canonical : e->text);
        s_key(pk, "count"), msgpack_pack_uint32(pk, e->count);
        s_key(pk, "spans");
        msgpack_pack_array(pk, e->nspans);
        for (uint32_t j = 0; j < e->nspans; j++)
            s_span(pk, e->spans[j]);
    }
    s_tkey(t, "dates");
    msgpack_pack_array(pk, r->ndates);
    for (uint32_t i = 0; i < r->ndates; i++) {
        msgpack_pack_map(pk, 3);
        s_key(pk, "text"), s_str(pk, r->dates[i].text);
        s_key(pk, "value"), s_str(pk, r->dates[i].value);
        s_key(pk, "span"), s_span(pk, r->dates[i].span);
    }
    s_tkey(t, "money");
    msgpack_pack_array(pk, r->nmoney);
    for (uint32_t i = 0; i < r->nmoney; i++) {
        msgpack_pack_map(pk, 4);
        s_key(pk, "text"), s_str(pk, r->money[i].text);
        s_key(pk, "amount"), msgpack_pack_double(pk, r->money[i].amount);
        s_key(pk, "currency"), s_str(pk, r->money[i].currency[0] ? r->money[i].currency : NULL);
        s_key(pk, "span"), s_span(pk, r->money[i].span);
    }
    s_tkey(t, "quantities");
    msgpack_pack_array(pk, r->nquantities);
    for (uint32_t i = 0; i < r->nquantities; i++) {
        msgpack_pack_map(pk, 4);
        s_key(pk, "text"), s_str(pk, r->quantities[i].text);
        s_key(pk, "amount"), msgpack_pack_double(pk, r->quantities[i].amount);
        s_key(pk, "unit"), s_str(pk, r->quantities[i].unit);
        s_key(pk, "span"), s_span(pk, r->quantities[i].span);
    }
}

/* Who said what: quotes and sources. */
static void s_pack_attribution(top_t *t, const tlx_record_t *r)
{
    msgpack_packer *pk = &t->pk;
    s_tkey(t, "quotes");
    msgpack_pack_array(pk, r->nquotes);
    for (uint32_t i = 0; i < r->nquotes; i++) {
        const tlx_quote_t *q = &r->quotes[i];
        msgpack_pack_map(pk, 6);
        s_key(pk, "text"), s_str(pk, q->text);
        s_key(pk, "speaker"), s_str(pk, q->speaker);
        s_key(pk, "speaker_text"), s_str(pk, q->speaker_text);
        s_key(pk, "entity"), s_str(pk, q->entity);
        s_key(pk, "attribution"), s_str(pk, q->attribution == TLX_ATTR_DIRECT     ? "direct"
                                            : q->attribution == TLX_ATTR_INFERRED ? "inferred"
                                                                                  : NULL);
        s_key(pk, "span"), s_span(pk, q->span);
    }
    s_tkey(t, "sources");
    msgpack_pack_array(pk, r->nsources);
    for (uint32_t i = 0; i < r->nsources; i++) {
        msgpack_pack_map(pk, 4);
        s_key(pk, "text"), s_str(pk, r->sources[i].text);
        s_key(pk, "anonymous");
        if (r->sources[i].anonymous)
            msgpack_pack_true(pk);
        else
            msgpack_pack_false(pk);
        s_key(pk, "location"), s_str(pk, r->sources[i].location);
        s_key(pk, "span"), s_span(pk, r->sources[i].span);
    }
}

/* Keywords, summary, fingerprints, flags, the producer's meta, versions. */
static void s_pack_tail(top_t *t, const tlx_record_t *r)
{
    msgpack_packer *pk = &t->pk;
    s_tkey(t, "keywords"), s_strv(pk, &r->keywords);
    s_tkey(t, "summary"), s_str(pk, r->summary);
    s_tkey(t, "fingerprints");
    msgpack_pack_map(pk, 2);
    s_key(pk, "sha256"), s_str(pk, r->sha256[0] ? r->sha256 : NULL);
    s_key(pk, "simhash64"), msgpack_pack_uint64(pk, r->simhash);
    s_tkey(t, "near_duplicate_of"), s_str(pk, r->near_duplicate_of);
    s_tkey(t, "flags");
    uint32_t nflags = 0;
    for (int i = 0; i < TLX_FLAG__COUNT; i++)
        nflags += (r->flags >> i) & 1;
    msgpack_pack_array(pk, nflags);
    for (int i = 0; i < TLX_FLAG__COUNT; i++)
        if ((r->flags >> i) & 1)
            s_str(pk, s_flag_names[i]);
    s_tkey(t, "meta");
    msgpack_pack_map(pk, r->nmeta);
    for (uint32_t i = 0; i < r->nmeta; i++) {
        s_str(pk, r->meta[i].key);
        s_str(pk, r->meta[i].value);
    }
    s_tkey(t, "schema"), msgpack_pack_uint32(pk, 1);
    s_tkey(t, "pipeline"), s_str(pk, TLX_PIPELINE_VERSION);
}

int tlx_record_pack(const tlx_record_t *r, char **out, size_t *out_len)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    /* room for the body and the annotations up front: growing from
       msgpack's 8 KiB copied a news article's record once or twice */
    size_t room = (r->body ? r->body_len : 0) * 3 / 2 + 4096;
    if (!(sb.data = malloc(room)))
        return TLX_ENOMEM;
    sb.alloc = room;
    top_t t = {.nkeys = 0};
    msgpack_packer_init(&t.pk, &sb, msgpack_sbuffer_write);

    /* The top-level key count is not kept by hand: a map16 header now,
       patched with the number of keys written (s_tkey) at the end. */
    static const char map16[3] = {(char)0xde, 0, 0};
    msgpack_sbuffer_write(&sb, map16, sizeof map16);
    s_pack_article(&t, r);
    s_pack_annotations(&t, r);
    s_pack_attribution(&t, r);
    s_pack_tail(&t, r);

    if (t.nkeys > 0xffff) {
        msgpack_sbuffer_destroy(&sb);
        return TLX_ENOMEM;
    }
    sb.data[1] = (char)(t.nkeys >> 8);
    sb.data[2] = (char)(t.nkeys & 0xff);
    *out = sb.data; /* sbuffer memory is malloc'd: caller frees with free() */
    *out_len = sb.size;
    return 0;
}
