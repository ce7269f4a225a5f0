/*  tlx_text.c -- the pipeline glue: runs the stages of tlx_text.h in order.

    Shared file: each stage's owner adds only the lines that load/free the
    stage's resources and call it.  Keep the stages themselves in their own
    modules.
*/
#include "tlx_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "tlx_error.h"
#include "tlx_norm.h"
#include "tlx_ner_ents.h" /* entities: model + gazetteers */
#include "tlx_enrich.h"   /* enrichment: dates, money, quotes, keywords, summary, language, fingerprints */

struct tlx_text {
    char datadir[4096];
    tlx_ner_t *ner; /* NULL: no model, gazetteer matches only */
    tlx_gaz_t *gaz;
};

static const char *s_find_datadir(const char *datadir)
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
    strncpy(self->datadir, s_find_datadir(datadir), sizeof self->datadir - 1);
    {   /* entities (tlx_ner_ents.h): a missing model disables the tagger, a corrupt one fails */
        char path[4200];
        int nerr = 0;
        snprintf(path, sizeof path, "%s/ner/model.bin", self->datadir);
        self->ner = tlx_ner_load(path, &nerr);
        snprintf(path, sizeof path, "%s/gazetteers", self->datadir);
        self->gaz = tlx_gaz_new();
        if (!self->gaz || (!self->ner && nerr != TLX_EIO) || tlx_gaz_load_dir(self->gaz, path) == TLX_ENOMEM) {
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
    free(*self_p);
    *self_p = NULL;
}

/* Counts code points and words (runs of letters/digits) of UTF-8 text. */
static void s_count(const char *s, size_t len, tlx_stats_t *st)
{
    uint32_t chars = 0, words = 0;
    int in_word = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xc0) != 0x80)
            chars++;
        int wordch = c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '\'';
        if (wordch && !in_word)
            words++;
        in_word = wordch;
    }
    st->chars = chars;
    st->words = words;
    st->reading_time_s = (words * 60 + 229) / 230;
}

int tlx_text_process(const tlx_text_t *self, const char *text, size_t len, const tlx_text_opts_t *opts,
                     tlx_arena_t *arena, tlx_record_t *rec)
{
    (void)self;
    (void)opts;
    memset(rec, 0, sizeof(*rec));
    char *norm;
    size_t nlen;
    uint32_t flags = 0;
    int rc = tlx_norm_text(text, len, arena, &norm, &nlen, &flags);
    if (rc)
        return rc;
    rec->flags |= flags;
    if (nlen == 0)
        return TLX_EMALFORMED;

    /* Minimal structure until the structure stage is wired: title = first line. */
    const char *nl = memchr(norm, '\n', nlen);
    size_t tlen = nl ? (size_t)(nl - norm) : nlen;
    rec->title = tlx_arena_strndup(arena, norm, tlen);
    const char *body = nl ? nl + 1 : norm + nlen;
    while (body < norm + nlen && *body == '\n')
        body++;
    rec->body = body;
    rec->body_len = (size_t)(norm + nlen - body);
    if (!rec->title)
        return TLX_ENOMEM;
    s_count(rec->body, rec->body_len, &rec->stats);
    rc = tlx_ner_ents_fill(self->ner, self->gaz, rec, arena); /* entities: after structure */
    if (rc)
        return rc;
    /* enrichment (tlx_enrich.h): after structure and entities; no resources to load */
    tlx_enrich_opts_t eopts = {.received_at_ms = opts ? opts->received_at_ms : 0,
                               .default_currency = opts ? opts->currency : NULL,
                               .lang_hint = opts ? opts->lang_hint : NULL,
                               .df = opts ? opts->df : NULL};
    rc = tlx_enrich_run(&eopts, arena, rec);
    if (rc)
        return rc;
    return 0;
}
