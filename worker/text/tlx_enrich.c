/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_enrich.c -- the enrichment stage: calls each module on the record.

    Order matters in two places: dates before money (a number inside a date
    is not a quantity) and sources before quotes ("the source said" resolves
    to the latest source phrase).  Language comes before everything
    English-specific so that a Korean or Chinese article is stored with its
    fingerprints and lead but without English pattern output.
    Rejected: running the modules in parallel threads (each is ~10 us; the
    worker already runs one article per core).
*/
#include "tlx_enrich.h"

#include <string.h>

#include "tlx_dates.h"
#include "tlx_error.h"
#include "tlx_lang.h"
#include "tlx_money.h"
#include "tlx_quotes.h"
#include "tlx_simhash.h"
#include "tlx_summary.h"

int tlx_enrich_run(const tlx_enrich_opts_t *opts, tlx_arena_t *arena, tlx_record_t *rec)
{
    static const tlx_enrich_opts_t none = {0};
    if (!opts)
        opts = &none;
    const char *b = rec->body;
    size_t len = b ? rec->body_len : 0;
    int rc = tlx_simhash_sha256_hex(b ? b : "", len, rec->sha256, rec->sha256_bytes);
    if (rc)
        return rc;
    tlx_simhash_pair(b, len, &rec->simhash, &rec->shingle);
    if (len == 0)
        return 0;

    /* language */
    const char *code = NULL;
    bool reliable = false;
    tlx_lang_detect(b, len, &code, &reliable);
    if (!reliable)
        rec->flags |= TLX_FLAG_LANG_UNRELIABLE;
    if (!code || !reliable) {
        if (opts->lang_hint && *opts->lang_hint)
            code = opts->lang_hint;
    }
    rec->lang = code;
    bool english = !code || strcmp(code, "en") == 0;
    if (!english)
        rec->flags |= TLX_FLAG_NOT_ENGLISH;

    if (!rec->sentences) {
        rc = tlx_summary_sentences(b, len, arena, &rec->sentences, &rec->nsentences);
        if (rc)
            return rc;
        if (!rec->stats.sentences)
            rec->stats.sentences = rec->nsentences;
    }
    double flesch = 0;
    rc = tlx_summary_lead(b, len, rec->sentences, rec->nsentences, rec->captions, rec->ncaptions, arena,
                          &rec->summary, &flesch);
    if (rc)
        return rc;
    if (!english)
        return 0;
    rec->stats.flesch = flesch;

    tlx_dates_anchor_t anchor;
    tlx_dates_anchor(rec->published_at, opts->received_at_ms, &anchor);
    if ((rc = tlx_dates_extract(b, len, &anchor, arena, &rec->dates, &rec->ndates)))
        return rc;

    tlx_span_t *skip = NULL;
    if (rec->ndates) {
        skip = tlx_arena_alloc(arena, rec->ndates * sizeof(*skip));
        if (!skip)
            return TLX_ENOMEM;
        for (uint32_t i = 0; i < rec->ndates; i++)
            skip[i] = rec->dates[i].span;
    }
    if ((rc = tlx_money_extract(b, len, opts->default_currency, skip, rec->ndates, arena, &rec->money,
                                &rec->nmoney, &rec->quantities, &rec->nquantities)))
        return rc;
    if ((rc =
             tlx_quotes_sources(b, len, rec->entities, rec->nentities, arena, &rec->sources, &rec->nsources)))
        return rc;
    if ((rc = tlx_quotes_extract(b, len, rec->sources, rec->nsources, rec->entities, rec->nentities, arena,
                                 &rec->quotes, &rec->nquotes)))
        return rc;
    char *terms = NULL;
    size_t terms_len = 0;
    if ((rc = tlx_keywords_extract_terms(b, len, &rec->tags, rec->entities, rec->nentities, opts->df,
                                         TLX_KEYWORDS_DF_TERMS_MAX, arena, &rec->keywords,
                                         opts->want_terms ? &terms : NULL, &terms_len)))
        return rc;
    rec->df_terms = terms;
    rec->df_terms_len = terms_len;
    return 0;
}
