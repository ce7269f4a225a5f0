/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_sources.c -- per-source settings (see tlx_sources.h).

    A handful of entries searched linearly per article; the table is
    shared by reference count so a reload never waits for the enrich
    threads, which keep the old table until their article is done.
*/
#include "tlx_sources.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct tlx_sources {
    int refs;
    pthread_mutex_t lock;
    tlx_sources_entry_t *v;
    int n;
};

/* Built-in per-source defaults, used when no config section names the source. */
static const tlx_sources_entry_t s_builtin[] = {
    {.name = "dailynk", .tz = "Asia/Seoul"},
    {.name = "yonhap", .tz = "Asia/Seoul"},
    {.name = "kcna", .tz = "Asia/Pyongyang"},
};

tlx_sources_t *tlx_sources_new(tlx_sources_entry_t *v, int n)
{
    tlx_sources_t *s = calloc(1, sizeof *s);
    if (!s) {
        for (int i = 0; i < n; i++)
            tlx_boiler_rules_destroy(&v[i].rules);
        free(v);
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    s->refs = 1;
    s->v = v;
    s->n = n;
    return s;
}

static const tlx_sources_entry_t *s_find(const tlx_sources_t *s, const char *name)
{
    for (int i = 0; s && i < s->n; i++)
        if (strcasecmp(s->v[i].name, name) == 0)
            return &s->v[i];
    return NULL;
}

tlx_source_settings_t tlx_sources_get(const tlx_sources_t *s, const char *source)
{
    const tlx_sources_entry_t *e = NULL;
    if (source && *source) {
        e = s_find(s, source);
        for (size_t i = 0; !e && i < sizeof s_builtin / sizeof *s_builtin; i++)
            if (strcasecmp(s_builtin[i].name, source) == 0)
                e = &s_builtin[i];
    }
    if (!e)
        e = s_find(s, "*");
    tlx_source_settings_t r = {0};
    if (e) {
        r.tz = e->tz[0] ? e->tz : NULL;
        r.currency = e->currency[0] ? e->currency : NULL;
        r.day_first = e->day_first;
        r.rules = e->rules;
    }
    return r;
}

tlx_sources_t *tlx_sources_ref(tlx_sources_t *s)
{
    if (s) {
        pthread_mutex_lock(&s->lock);
        s->refs++;
        pthread_mutex_unlock(&s->lock);
    }
    return s;
}

void tlx_sources_unref(tlx_sources_t *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    int left = --s->refs;
    pthread_mutex_unlock(&s->lock);
    if (left)
        return;
    for (int i = 0; i < s->n; i++)
        tlx_boiler_rules_destroy(&s->v[i].rules);
    pthread_mutex_destroy(&s->lock);
    free(s->v);
    free(s);
}

int tlx_sources_count(const tlx_sources_t *s)
{
    return s ? s->n : 0;
}

const tlx_sources_entry_t *tlx_sources_entry(const tlx_sources_t *s, int i)
{
    assert(s && i >= 0 && i < s->n);
    return &s->v[i];
}

void tlx_sources_slot_init(tlx_sources_slot_t *slot, tlx_sources_t *s)
{
    pthread_mutex_init(&slot->lock, NULL);
    slot->cur = tlx_sources_ref(s);
}

void tlx_sources_slot_fini(tlx_sources_slot_t *slot)
{
    tlx_sources_unref(slot->cur);
    slot->cur = NULL;
    pthread_mutex_destroy(&slot->lock);
}

tlx_sources_t *tlx_sources_acquire(tlx_sources_slot_t *slot)
{
    if (!slot)
        return NULL;
    pthread_mutex_lock(&slot->lock);
    tlx_sources_t *s = tlx_sources_ref(slot->cur);
    pthread_mutex_unlock(&slot->lock);
    return s;
}

void tlx_sources_publish(tlx_sources_slot_t *slot, tlx_sources_t *s)
{
    tlx_sources_ref(s);
    pthread_mutex_lock(&slot->lock);
    tlx_sources_t *old = slot->cur;
    slot->cur = s;
    pthread_mutex_unlock(&slot->lock);
    tlx_sources_unref(old);
}
