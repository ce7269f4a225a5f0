/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_text.c -- the pipeline glue: runs the stages of tlx_text.h in order.

    Shared file: each stage's owner adds only the lines that load/free the
    stage's resources and call it.  Keep the stages themselves in their own
    modules.
*/
#include "tlx_text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tlx_boiler.h" /* learned boilerplate: candidate lines for the writer's statistics */
#include "tlx_enrich.h" /* enrichment: dates, money, quotes, keywords, summary, language, fingerprints */
#include "tlx_error.h"
#include "tlx_html.h"     /* web pages: article extraction before the text stages */
#include "tlx_ner_ents.h" /* entities: model + gazetteers */
#include "tlx_norm.h"
#include "tlx_structure.h"
#include "tlx_tz.h" /* structure: byline time zones */

struct tlx_text {
    char datadir[4096];
    tlx_ner_t *ner; /* NULL: no model, gazetteer matches only */
    tlx_gaz_t *gaz;
    tlx_boiler_rules_t *rules; /* site boilerplate (data/boilerplate/NAME.rules) */
    struct zones *zones;       /* time zones named by opts->tz, loaded on first use */
};

struct tlx_text_scratch {
    tlx_ner_scratch_t *ner; /* the tagger's word cache and working arrays */
};

tlx_text_scratch_t *tlx_text_scratch_new(void)
{
    tlx_text_scratch_t *self = calloc(1, sizeof(*self));
    if (self && !(self->ner = tlx_ner_scratch_new()))
        tlx_text_scratch_destroy(&self);
    return self;
}

void tlx_text_scratch_destroy(tlx_text_scratch_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_ner_scratch_destroy(&(*self_p)->ner);
    free(*self_p);
    *self_p = NULL;
}

/* Time zones, loaded the first time an article names one.  The zone names
   come from per-source configuration (a handful), not from article text; the
   table is bounded all the same, and a name that does not load is kept too
   (zone NULL) so that it costs no further I/O.  Loaded zones are immutable
   and live as long as the tlx_text_t: readers use them outside the lock. */
#define S_MAX_ZONES 64
struct zones {
    pthread_mutex_t lock;
    char dir[4096];
    size_t n;
    struct {
        char name[64];
        tlx_tz_t *zone; /* NULL: not loadable, use the fixed-offset table */
    } v[S_MAX_ZONES];
};

/* The zone called `name`, loading it on first use; *out NULL when it cannot
   be loaded.  0 or TLX_ENOMEM. */
static int s_zone(struct zones *zs, const char *name, const tlx_tz_t **out)
{
    *out = NULL;
    if (!name || strlen(name) >= sizeof zs->v[0].name)
        return 0;
    int rc = 0;
    pthread_mutex_lock(&zs->lock);
    size_t i = 0;
    while (i < zs->n && strcmp(zs->v[i].name, name) != 0)
        i++;
    if (i == zs->n && i < S_MAX_ZONES) {
        tlx_tz_t *z = NULL;
        rc = tlx_tz_load(zs->dir, name, &z);
        if (rc != TLX_ENOMEM) { /* any other failure: remembered, and the fixed table is used */
            strcpy(zs->v[i].name, name);
            zs->v[i].zone = z;
            zs->n++;
            rc = 0;
        }
    }
    if (i < zs->n)
        *out = zs->v[i].zone;
    pthread_mutex_unlock(&zs->lock);
    return rc;
}

const char *tlx_text_datadir(const char *datadir)
{
    if (datadir && *datadir)
        return datadir;
    const char *env = getenv("TELEX_DATA");
    if (env && *env)
        return env;
#ifdef TLX_DATADIR_SOURCE
    /* a source checkout (make demo / make test) before an installed copy */
    static const char *const candidates[] = {TLX_DATADIR_SOURCE, TLX_DATADIR_INSTALL, "./data"};
#else
    static const char *const candidates[] = {"./data"};
#endif
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
        if (access(candidates[i], R_OK) == 0)
            return candidates[i];
    }
    return "./data";
}

tlx_text_t *tlx_text_new(const char *datadir, const char **err_msg)
{
    if (err_msg)
        *err_msg = NULL;
    tlx_text_t *self = calloc(1, sizeof(*self));
    if (!self) {
        if (err_msg)
            *err_msg = "out of memory";
        return NULL;
    }
    strncpy(self->datadir, tlx_text_datadir(datadir), sizeof self->datadir - 1);
    tlx_html_init(); /* libxml2's one-time set-up, before enrich threads parse pages */
    {                /* time zones: loaded on first use (s_zone) from TZDIR or the system's zoneinfo */
        const char *tzdir = getenv("TZDIR");
        if (!(self->zones = calloc(1, sizeof *self->zones)) || pthread_mutex_init(&self->zones->lock, NULL)) {
            if (err_msg)
                *err_msg = "out of memory";
            free(self->zones);
            free(self);
            return NULL;
        }
        snprintf(self->zones->dir, sizeof self->zones->dir, "%s", tzdir && *tzdir ? tzdir : TLX_TZ_DIR);
    }
    { /* structure: boilerplate rules (a missing directory means no rules) */
        char path[4200];
        snprintf(path, sizeof path, "%s/boilerplate", self->datadir);
        if (!(self->rules = tlx_boiler_rules_load(path))) {
            if (err_msg)
                *err_msg = "out of memory";
            tlx_text_destroy(&self);
            return NULL;
        }
    }
    { /* entities (tlx_ner_ents.h): a missing model disables the tagger, a corrupt one fails */
        char path[4200];
        int nerr = 0;
        snprintf(path, sizeof path, "%s/ner/model.bin", self->datadir);
        self->ner = tlx_ner_load(path, &nerr);
        snprintf(path, sizeof path, "%s/gazetteers", self->datadir);
        self->gaz = tlx_gaz_new();
        if (!self->gaz || (!self->ner && nerr != TLX_EIO) ||
            tlx_gaz_load_dir(self->gaz, path) == TLX_ENOMEM) {
            if (err_msg)
                *err_msg = !self->gaz || nerr == TLX_ENOMEM ? "out of memory" : "NER model is corrupt";
            tlx_text_destroy(&self);
            return NULL;
        }
        if (!self->ner && err_msg)
            *err_msg = "NER model not found: entities from gazetteers only";
    }
    return self;
}

void tlx_text_destroy(tlx_text_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_ner_destroy(&(*self_p)->ner);
    tlx_gaz_destroy(&(*self_p)->gaz);
    tlx_boiler_rules_destroy(&(*self_p)->rules);
    struct zones *zs = (*self_p)->zones;
    if (zs) {
        for (size_t i = 0; i < zs->n; i++)
            tlx_tz_destroy(&zs->v[i].zone);
        pthread_mutex_destroy(&zs->lock);
        free(zs);
    }
    free(*self_p);
    *self_p = NULL;
}

/* Entities named only outside the body -- in the headline, the deck, a
   subheading or a photo caption (people in credits) -- are tagged there
   and added to the record without body spans (spans are offsets into the
   body). */
static int s_ents_outside_body(const tlx_text_t *self, tlx_ner_scratch_t *scr, tlx_record_t *rec,
                               tlx_arena_t *arena)
{
    size_t total = 0;
    const char *parts[3] = {rec->title, rec->deck, NULL};
    for (int k = 0; k < 2; k++)
        total += parts[k] ? strlen(parts[k]) + 2 : 0;
    for (uint32_t i = 0; i < rec->ncaptions; i++)
        total += (rec->captions[i].text ? strlen(rec->captions[i].text) : 0) +
                 (rec->captions[i].credit ? strlen(rec->captions[i].credit) : 0) + 4;
    for (uint32_t i = 0; i < rec->subheadings.n; i++)
        total += strlen(rec->subheadings.v[i]) + 2;
    if (!total)
        return 0;
    char *t = tlx_arena_alloc(arena, total + 1);
    if (!t)
        return TLX_ENOMEM;
    size_t n = 0;
#define S_ADD(str, sep)                                                                                      \
    do {                                                                                                     \
        size_t l_ = strlen(str);                                                                             \
        memcpy(t + n, str, l_);                                                                              \
        n += l_;                                                                                             \
        memcpy(t + n, sep, 2);                                                                               \
        n += 2;                                                                                              \
    } while (0)
    for (int k = 0; k < 2; k++)
        if (parts[k])
            S_ADD(parts[k], "\n\n");
    for (uint32_t i = 0; i < rec->subheadings.n; i++)
        S_ADD(rec->subheadings.v[i], "\n\n");
    for (uint32_t i = 0; i < rec->ncaptions; i++) {
        if (rec->captions[i].text)
            S_ADD(rec->captions[i].text, ". ");
        if (rec->captions[i].credit)
            S_ADD(rec->captions[i].credit, "\n\n");
    }
#undef S_ADD
    t[n] = '\0';
    tlx_record_t tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.body = t;
    tmp.body_len = n;
    int rc = tlx_ner_ents_fill_with(self->ner, scr, self->gaz, &tmp, arena);
    if (rc || !tmp.nentities)
        return rc;
    tlx_entity_t *all = tlx_arena_alloc(arena, (rec->nentities + tmp.nentities) * sizeof *all);
    if (!all)
        return TLX_ENOMEM;
    if (rec->nentities)
        memcpy(all, rec->entities, rec->nentities * sizeof *all);
    uint32_t m = rec->nentities;
    for (uint32_t i = 0; i < tmp.nentities; i++) {
        const tlx_entity_t *e = &tmp.entities[i];
        int dup = 0;
        for (uint32_t j = 0; j < rec->nentities && !dup; j++)
            dup = strcasecmp(all[j].text, e->text) == 0 ||
                  (all[j].canonical && e->canonical && strcmp(all[j].canonical, e->canonical) == 0);
        if (dup)
            continue;
        all[m] = *e;
        all[m].spans = NULL;
        all[m].nspans = 0;
        m++;
    }
    rec->entities = all;
    rec->nentities = m;
    return 0;
}

/* The page's markup over what the structure stage read from the text: the
   headline it was given first, and the fields only markup states. */
static int s_html_fields(const tlx_html_doc_t *page, tlx_arena_t *arena, tlx_record_t *rec)
{
    const char *names[TLX_MARKUP__COUNT];
    uint32_t n = 0;
    uint32_t used = page->from_markup;
    if (page->title)
        rec->title = page->title;
    if (page->authors.n)
        rec->authors = page->authors;
    if (page->published_at)
        rec->published_at = page->published_at;
    rec->modified_at = page->modified_at;
    rec->publisher = page->publisher;
    if (page->url)
        rec->url = page->url; /* the worker keeps the envelope's url when it has one */
    if (page->ncaptions) {
        rec->captions = page->captions;
        rec->ncaptions = page->ncaptions;
    }
    rec->subheadings = page->subheadings;
    if (page->tags.n && !rec->tags.n)
        rec->tags = page->tags;
    else
        used &= ~(uint32_t)TLX_MARKUP_TAGS;
    used &= ~(uint32_t)TLX_MARKUP_LANG; /* the language stage decides; the page's lang is its hint */
    for (uint32_t i = 0; i < TLX_MARKUP__COUNT; i++)
        if (used & (1u << i))
            names[n++] = tlx_html_markup_name(1u << i);
    if (n) {
        rec->from_markup.v = tlx_arena_memdup(arena, names, n * sizeof *names);
        if (!rec->from_markup.v)
            return TLX_ENOMEM;
        rec->from_markup.n = n;
    }
    return 0;
}

int tlx_text_process(const tlx_text_t *self, const char *text, size_t len, const tlx_text_opts_t *opts,
                     tlx_arena_t *arena, tlx_record_t *rec)
{
    memset(rec, 0, sizeof(*rec));
    /* the byline's zone: opts as given, with the loaded zone for opts->tz */
    tlx_text_opts_t o = {0};
    if (opts)
        o = *opts;
    if (o.tz && !o.zone) {
        int zrc = s_zone(self->zones, o.tz, &o.zone);
        if (zrc)
            return zrc;
    }
    opts = &o;
    /* html (tlx_html.h): a web page becomes its article text and metadata */
    tlx_html_doc_t page;
    bool html = o.format == TLX_FORMAT_HTML || (o.format == TLX_FORMAT_AUTO && tlx_html_detect(text, len));
    if (html) {
        int hrc = tlx_html_extract(text, len, arena, &page);
        if (hrc)
            return hrc;
        text = page.text; /* the body alone: the headline is known (layout_known) */
        len = page.text_len;
        rec->flags |= TLX_FLAG_HTML;
        o.layout_known = 1;
        if (page.flags & TLX_HTML_NO_ARTICLE)
            rec->flags |= TLX_FLAG_NO_ARTICLE;
        if (page.flags & TLX_HTML_CHARSET_UNKNOWN)
            rec->flags |= TLX_FLAG_CHARSET_UNKNOWN;
        if (page.flags & TLX_HTML_TRUNCATED)
            rec->flags |= TLX_FLAG_TRUNCATED;
        if (!o.lang_hint && page.lang && strlen(page.lang) >= 2) { /* <html lang="en-US">: "en" */
            char *l = tlx_arena_strndup(arena, page.lang, 2);
            if (!l)
                return TLX_ENOMEM;
            l[0] = (char)(l[0] | 0x20), l[1] = (char)(l[1] | 0x20);
            o.lang_hint = l;
        }
    }
    char *norm;
    size_t nlen;
    uint32_t flags = 0;
    int rc = tlx_norm_text(text, len, arena, &norm, &nlen, &flags);
    if (rc)
        return rc;
    rec->flags |= flags;
    if (nlen == 0 && !html)
        return TLX_EMALFORMED;

    if (opts && opts->source) { /* learned boilerplate (tlx_boiler.h): the lines the writer counts */
        uint64_t *keys = tlx_arena_alloc(arena, TLX_BOILER_CANDIDATES_MAX * sizeof *keys);
        if (!keys)
            return TLX_ENOMEM;
        rec->line_keys = keys;
        rec->nline_keys = (uint32_t)tlx_boiler_candidates(norm, nlen, keys);
    }
    /* structure (tlx_structure.h): title, tags, captions, byline, credits, boilerplate, body, sentences */
    if ((rc = tlx_structure_parse(norm, nlen, opts, self->rules, arena, rec)))
        return rc;
    if (html && (rc = s_html_fields(&page, arena, rec)))
        return rc;
    tlx_ner_scratch_t *scr = o.scratch ? o.scratch->ner : NULL;
    rc = tlx_ner_ents_fill_with(self->ner, scr, self->gaz, rec, arena); /* entities: after structure */
    if (!rc)
        rc = s_ents_outside_body(self, scr, rec, arena); /* ...and in the headline, deck and captions */
    if (rc)
        return rc;
    /* enrichment (tlx_enrich.h): after structure and entities; no resources to load */
    tlx_enrich_opts_t eopts = {.received_at_ms = opts ? opts->received_at_ms : 0,
                               .default_currency = opts ? opts->currency : NULL,
                               .lang_hint = opts ? opts->lang_hint : NULL,
                               .df = opts ? opts->df : NULL,
                               .want_terms = opts ? opts->want_terms : 0};
    rc = tlx_enrich_run(&eopts, arena, rec);
    if (rc)
        return rc;
    return 0;
}
