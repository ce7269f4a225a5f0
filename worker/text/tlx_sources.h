/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_sources.h -- per-source settings: what the operator says about one
    feed ([source.NAME] sections), looked up by the enrich threads for every
    article.

    The sections come from two files: the operator's config file
    (tlx_config.h) and the per-source file shipped in the data directory
    (TLX_SOURCES_FILE: the time zones of the outlets of the sample feed),
    which an operator may edit, replace or switch off.  A section of the
    config file replaces the shipped section of the same name whole.  The
    code knows no outlet: an unnamed source uses the [source.*] entry when
    there is one, else nothing (no zone: UTC; currency guessed).

    An immutable, reference-counted table, replaced as a whole on reload
    and published to the enrich threads through a slot.
*/
#ifndef TLX_SOURCES_H
#define TLX_SOURCES_H

#include <pthread.h>
#include <stddef.h>

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

/*  The shipped per-source file, in the data directory. */
#define TLX_SOURCES_FILE "sources.conf"

/*  A boolean as every telex config file spells it: true/false, yes/no,
    on/off, 1/0 (any case) into *out.  0, or TLX_EINVAL (*out untouched). */
int tlx_sources_parse_bool(const char *v, int *out);

/*  Sets `key` of a section from its text: tz (an IANA zone present under
    /usr/share/zoneinfo, or UTC), currency (ISO 4217, three capitals),
    day_first (true/false, yes/no, on/off, 1/0), rules (a path, loaded
    later).  0, or TLX_EINVAL with a sentence naming the key in err. */
int tlx_sources_entry_set(tlx_sources_entry_t *e, const char *key, const char *value, char *err,
                          size_t errlen);

/*  The section `name` (ASCII case-insensitive) among (*v)[from..*n), or
    a new zeroed one of that name appended (*v malloc'd and grown; *cap its
    capacity; at most TLX_SOURCES_MAX sections).  NULL with *rc
    TLX_ETOOBIG or TLX_ENOMEM. */
#define TLX_SOURCES_MAX 256
tlx_sources_entry_t *tlx_sources_section(tlx_sources_entry_t **v, int *n, int *cap, int from,
                                         const char *name, int *rc);

/*  Reads the [source.NAME] sections of the INI file at path (`key = value`
    lines, `;` and `#` comment lines, inline comments after " ;", nothing
    outside a section) and
    appends them to *v (malloc'd, grown; *n entries, *cap its capacity),
    except sections whose name is among the first `keep` entries (those
    win whole).  Rules files are not loaded here.
    Returns 0; TLX_EIO when the file cannot be read (errno says why);
    TLX_EINVAL on a bad line (err: "path:line: reason"); TLX_ETOOBIG past
    256 sections; TLX_ENOMEM.  On error *v keeps what was appended. */
int tlx_sources_read_file(const char *path, tlx_sources_entry_t **v, int *n, int *cap, int keep, char *err,
                          size_t errlen);

/*  The table of one per-source file, rules loaded: what `telex enrich`
    uses (telexd builds its table with tlx_config).  A missing file gives
    an empty table.  NULL with a sentence in err on a bad file or ENOMEM. */
tlx_sources_t *tlx_sources_open(const char *path, char *err, size_t errlen);

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
/*  The settings of `source` (NULL or unknown: the [source.*] entry, else
    none).  s may be NULL (no settings). */
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
