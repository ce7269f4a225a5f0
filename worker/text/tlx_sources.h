/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_sources.h -- per-source settings: what the operator says about one
    feed ([source.NAME] in the config file, tlx_config.h), looked up by the
    enrich threads for every article.

    An immutable, reference-counted table, replaced as a whole on reload
    and published to the enrich threads through a slot.  Sources not named
    use the [source.*] entry when there is one, else built-in defaults.
*/
#ifndef TLX_SOURCES_H
#define TLX_SOURCES_H

#include <pthread.h>

#include "tlx_boiler.h"

#ifdef __cplusplus
extern "C" {
#endif

/*  One [source.NAME] section. */
typedef struct {
    char name[64]; /* "*" = defaults for unnamed sources */
    char tz[64];   /* IANA zone, "" = none */
    char currency[8];
    int day_first;
    char rules_path[4096];
    tlx_boiler_rules_t *rules; /* loaded from rules_path; owned by the table */
} tlx_sources_entry_t;

typedef struct tlx_sources tlx_sources_t;

/*  What an article of one source is processed with; pointers borrow from
    the table. */
typedef struct {
    const char *tz;       /* IANA zone or NULL */
    const char *currency; /* ISO 4217 or NULL */
    int day_first;
    const tlx_boiler_rules_t *rules; /* extra rules or NULL */
} tlx_source_settings_t;

/*  A table over v[0..n) (malloc'd; the table takes it over, with the rules
    each entry holds; on failure they are freed).  One reference.  NULL
    when out of memory. */
tlx_sources_t *tlx_sources_new(tlx_sources_entry_t *v, int n);
/*  The settings of `source` (NULL or unknown: the [source.*] entry, then
    built-in defaults).  s may be NULL (built-in defaults only). */
tlx_source_settings_t tlx_sources_get(const tlx_sources_t *s, const char *source);
tlx_sources_t *tlx_sources_ref(tlx_sources_t *s);
void tlx_sources_unref(tlx_sources_t *s);
/*  Number of named entries and entry i (--check-config). */
int tlx_sources_count(const tlx_sources_t *s);
const tlx_sources_entry_t *tlx_sources_entry(const tlx_sources_t *s, int i);

/*  Where the current table is published for the enrich threads. */
typedef struct {
    pthread_mutex_t lock;
    tlx_sources_t *cur;
} tlx_sources_slot_t;
void tlx_sources_slot_init(tlx_sources_slot_t *slot, tlx_sources_t *s); /* takes a reference of its own */
void tlx_sources_slot_fini(tlx_sources_slot_t *slot);
tlx_sources_t *tlx_sources_acquire(tlx_sources_slot_t *slot);         /* a reference; unref when done */
void tlx_sources_publish(tlx_sources_slot_t *slot, tlx_sources_t *s); /* takes a reference of its own */

#ifdef __cplusplus
}
#endif
#endif
