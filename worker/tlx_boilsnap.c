/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_boilsnap.c -- learned-boilerplate snapshots (see tlx_boilsnap.h).
    The store hands over decayed counts; the threshold is applied here, so
    the store knows nothing of text and the snapshot holds only the few
    lines that are boilerplate (a handful per source), not the counts. */
#include "tlx_boilsnap.h"

#include <stdlib.h>

#include "tlx_log.h"

struct tlx_boilsnap {
    tlx_ref_t ref; /* published in a tlx_slot_t */
    tlx_boiler_learned_t *learned;
    int full; /* TLX_BOILER_LEARNED_MAX reached while building */
};

static void s_free(tlx_ref_t *ref)
{
    tlx_boilsnap_t *s = TLX_REF_CONTAINER(ref, tlx_boilsnap_t, ref);
    tlx_boiler_learned_destroy(&s->learned);
    free(s);
}

static int s_scan_cb(void *ctx, const char *source, size_t source_len, uint32_t docs, uint64_t key,
                     uint32_t count)
{
    tlx_boilsnap_t *s = ctx;
    if (!tlx_boiler_threshold(docs, count))
        return 0;
    int rc = tlx_boiler_learned_add(s->learned, source, source_len, key);
    if (rc == TLX_EFULL) { /* keep what fits (sources in name order); said once per build */
        if (!s->full)
            tlx_log(TLX_LOG_WARN, "learned boilerplate snapshot full; later sources left out", "pairs=%u",
                    (unsigned)TLX_BOILER_LEARNED_MAX);
        s->full = 1;
        return 0;
    }
    return rc ? 1 : 0;
}

tlx_boilsnap_t *tlx_boilsnap_build(tlx_store_t *st)
{
    tlx_boilsnap_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    tlx_ref_init(&s->ref, s_free);
    if (!(s->learned = tlx_boiler_learned_new()) ||
        tlx_store_lines_scan(st, TLX_BOILER_MIN_DOCS, s_scan_cb, s)) {
        tlx_boiler_learned_destroy(&s->learned);
        free(s);
        return NULL;
    }
    return s;
}

const tlx_boiler_learned_t *tlx_boilsnap_learned(const tlx_boilsnap_t *s)
{
    return s ? s->learned : NULL;
}

size_t tlx_boilsnap_count(const tlx_boilsnap_t *s)
{
    return s ? tlx_boiler_learned_count(s->learned) : 0;
}

unsigned tlx_boilsnap_refresh_ms(void)
{
    const char *e = getenv("TELEX_BOILER_REFRESH_MS");
    long v = e ? strtol(e, NULL, 10) : 0;
    return v > 0 && v < 86400000 ? (unsigned)v : 30000;
}

void tlx_boilsnap_release(tlx_boilsnap_t *s)
{
    tlx_ref_release(s ? &s->ref : NULL);
}

void tlx_boilsnap_slot_init(tlx_boilsnap_slot_t *slot)
{
    tlx_slot_init(slot);
}

void tlx_boilsnap_slot_fini(tlx_boilsnap_slot_t *slot)
{
    tlx_slot_fini(slot);
}

tlx_boilsnap_t *tlx_boilsnap_acquire(tlx_boilsnap_slot_t *slot)
{
    tlx_ref_t *ref = tlx_slot_acquire(slot);
    return TLX_REF_CONTAINER(ref, tlx_boilsnap_t, ref);
}

void tlx_boilsnap_publish(tlx_boilsnap_slot_t *slot, tlx_boilsnap_t *s)
{
    tlx_slot_publish(slot, s ? &s->ref : NULL);
}
