/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_article.c -- envelope to record (see tlx_article.h).

    Everything the record takes from the envelope is copied into the
    arena, which the caller resets per article.
*/
#include "tlx_article.h"

#include <string.h>

#include "tlx_clock.h"
#include "tlx_mp.h"

static char *s_dup(tlx_arena_t *a, tlx_bytes_t b)
{
    return b.len ? tlx_arena_strndup(a, b.p, b.len) : NULL;
}

/* The envelope's meta map (str -> str, checked by the decoder) into the record. */
static void s_meta(tlx_arena_t *arena, const tlx_envelope_t *env, tlx_record_t *rec)
{
    if (!env->nmeta)
        return;
    rec->meta = tlx_arena_calloc(arena, env->nmeta, sizeof(tlx_kv_t));
    tlx_mp_t c;
    tlx_mp_init(&c, env->meta.p, env->meta.len);
    uint32_t n;
    if (tlx_mp_read_map(&c, &n))
        return;
    for (uint32_t i = 0; rec->meta && i < n && i < env->nmeta; i++) {
        const char *k, *v;
        size_t kl, vl;
        if (tlx_mp_read_str(&c, &k, &kl) || tlx_mp_read_str(&c, &v, &vl))
            break;
        rec->meta[i].key = tlx_arena_strndup(arena, k, kl);
        rec->meta[i].value = tlx_arena_strndup(arena, v, vl);
        rec->nmeta = i + 1;
    }
}

int tlx_article_record(const tlx_text_t *text, tlx_arena_t *arena, const tlx_article_in_t *in,
                       tlx_record_t *rec, const char **reason)
{
    const tlx_envelope_t *env = in->env;
    const int64_t received_at = (int64_t)(env->received_at ? env->received_at : in->received_at);
    char *source = s_dup(arena, env->source);
    tlx_source_settings_t set = tlx_sources_get(in->sources, source);
    tlx_text_opts_t opts = {
        .source = source,
        .lang_hint = s_dup(arena, env->lang),
        .received_at_ms = received_at,
        .tz = set.tz,
        .currency = set.currency,
        .day_first = set.day_first,
        .df = in->df,
        .extra_rules = set.rules,
        .learned = in->learned,
        .scratch = in->scratch,
        .want_terms = in->want_terms,
        /* the producer's word on what text is; absent: decided by content (tlx_html_detect) */
        .format = env->format == TLX_ENV_FORMAT_HTML   ? TLX_FORMAT_HTML
                  : env->format == TLX_ENV_FORMAT_TEXT ? TLX_FORMAT_TEXT
                                                       : TLX_FORMAT_AUTO,
    };
    int rc = 0;
    if (text)
        rc = tlx_text_process(text, env->text.p, env->text.len, &opts, arena, rec);
    else {
        /* The null pipeline of the benchmark: same transport, acks and
           store, no text work.  The text is stored once, as the article's
           raw envelope (the accept wrote it); the record names it and
           carries no body, as the reference server stores the text once.
           A copy as the body was 40 % of the bytes each article wrote. */
        memset(rec, 0, sizeof *rec);
        rec->body = "";
    }
    if (rc == TLX_EMALFORMED) {
        /* nothing usable left after normalization: store an empty record, flagged */
        memset(rec, 0, sizeof *rec);
        rec->body = "";
    } else if (rc) {
        *reason = tlx_strerror(rc);
        return rc;
    }
    rec->id = tlx_arena_strndup(arena, in->id, in->id_len);
    rec->revision = in->revision;
    rec->source = source;
    if (env->url.len || !rec->url) /* an HTML page's canonical URL when the envelope names none */
        rec->url = s_dup(arena, env->url);
    rec->received_at_ms = received_at;
    rec->processed_at_ms = (int64_t)tlx_now_ms();
    s_meta(arena, env, rec);
    if (!rec->id) {
        *reason = "out of memory";
        return TLX_ENOMEM;
    }
    return 0;
}
