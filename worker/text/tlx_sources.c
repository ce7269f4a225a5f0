/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_sources.c -- per-source settings (see tlx_sources.h).

    A handful of entries searched linearly per article; the table is
    shared by reference count so a reload never waits for the enrich
    threads, which keep the old table until their article is done.
    The per-source file is read here, not with libinih, so that `telex
    enrich` (which must not link inih) reads the same file the same way;
    the config file's [source.NAME] keys go through tlx_sources_entry_set
    too, so both files accept the same values.
    Rejected: per-outlet defaults compiled in (an outlet's time zone is the
    operator's knowledge, not the code's).
*/
#include "tlx_sources.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tlx_buf.h"
#include "tlx_error.h"

struct tlx_sources {
    int refs;
    pthread_mutex_t lock;
    tlx_sources_entry_t *v;
    int n;
};

static int s_tz_ok(const char *tz)
{
    if (!*tz || strcmp(tz, "UTC") == 0)
        return 1;
    if (strstr(tz, "..") || tz[0] == '/' || strlen(tz) > 60)
        return 0;
    for (const char *p = tz; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
            return 0;
    char path[128];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
    return access(path, R_OK) == 0;
}

int tlx_sources_parse_bool(const char *v, int *out)
{
    static const char *const t[] = {"1", "true", "yes", "on"}, *const f[] = {"0", "false", "no", "off"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(v, t[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(v, f[i]) == 0)
            return *out = 0, 0;
    }
    return TLX_EINVAL;
}

int tlx_sources_entry_set(tlx_sources_entry_t *e, const char *key, const char *value, char *err,
                          size_t errlen)
{
    if (strcmp(key, "tz") == 0) {
        if (!s_tz_ok(value) || strlen(value) >= sizeof e->tz) {
            snprintf(err, errlen,
                     "[source.%s] tz: unknown time zone '%s' (an IANA name like Asia/Seoul, from "
                     "/usr/share/zoneinfo)",
                     e->name, value);
            return TLX_EINVAL;
        }
        snprintf(e->tz, sizeof e->tz, "%s", value);
    } else if (strcmp(key, "currency") == 0) {
        int ok = strlen(value) == 3;
        for (int i = 0; ok && i < 3; i++)
            ok = isupper((unsigned char)value[i]);
        if (!ok) {
            snprintf(err, errlen, "[source.%s] currency: must be an ISO 4217 code like KRW or USD, got '%s'",
                     e->name, value);
            return TLX_EINVAL;
        }
        snprintf(e->currency, sizeof e->currency, "%s", value);
    } else if (strcmp(key, "day_first") == 0) {
        if (tlx_sources_parse_bool(value, &e->day_first)) {
            snprintf(err, errlen, "[source.%s] day_first: must be true or false, got '%s'", e->name, value);
            return TLX_EINVAL;
        }
    } else if (strcmp(key, "rules") == 0) {
        if (strlen(value) >= sizeof e->rules_path) {
            snprintf(err, errlen, "[source.%s] rules: path too long", e->name);
            return TLX_EINVAL;
        }
        snprintf(e->rules_path, sizeof e->rules_path, "%s", value);
    } else {
        snprintf(err, errlen, "[source.%s]: unknown key '%s' (tz, currency, day_first, rules)", e->name, key);
        return TLX_EINVAL;
    }
    return 0;
}

tlx_sources_entry_t *tlx_sources_section(tlx_sources_entry_t **v, int *n, int *cap, int from,
                                         const char *name, int *rc)
{
    for (int i = from; i < *n; i++)
        if (strcasecmp((*v)[i].name, name) == 0)
            return &(*v)[i];
    if (*n >= TLX_SOURCES_MAX) {
        *rc = TLX_ETOOBIG;
        return NULL;
    }
    size_t c = (size_t)*cap;
    tlx_sources_entry_t *nv = tlx_buf_grow(*v, (size_t)*n, &c, sizeof *nv, 8);
    if (!nv) {
        *rc = TLX_ENOMEM;
        return NULL;
    }
    *v = nv, *cap = (int)c;
    tlx_sources_entry_t *e = &nv[(*n)++];
    memset(e, 0, sizeof *e);
    snprintf(e->name, sizeof e->name, "%s", name);
    return e;
}

/* Trims blanks at both ends of s in place. */
static char *s_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* One line of a per-source file into *cur (the current section, NULL to
   skip it); a new section appended.  0 or a TLX_E code with err set. */
static int s_line(char *line, tlx_sources_entry_t **v, int *n, int *cap, int keep, int *cur, char *err,
                  size_t errlen)
{
    char *l = s_trim(line);
    if (!*l || *l == ';' || *l == '#')
        return 0;
    if (*l == '[') {
        char *end = strchr(l, ']');
        if (!end || strncmp(l, "[source.", 8) != 0 || end == l + 8 ||
            (size_t)(end - l - 8) >= sizeof(*v)->name) {
            snprintf(err, errlen, "expected a [source.NAME] section, got '%s'", l);
            return TLX_EINVAL;
        }
        *end = '\0';
        const char *name = l + 8;
        *cur = -1;
        for (int i = 0; i < keep; i++)
            if (strcasecmp((*v)[i].name, name) == 0)
                return 0; /* the operator's own section wins whole */
        int rc = 0;
        tlx_sources_entry_t *e = tlx_sources_section(v, n, cap, keep, name, &rc);
        if (!e) {
            if (rc == TLX_ETOOBIG)
                snprintf(err, errlen, "at most %d [source.NAME] sections", TLX_SOURCES_MAX);
            else
                snprintf(err, errlen, "out of memory");
            return rc;
        }
        *cur = (int)(e - *v);
        return 0;
    }
    char *eq = strchr(l, '=');
    if (!eq) {
        snprintf(err, errlen, "expected 'key = value', got '%s'", l);
        return TLX_EINVAL;
    }
    *eq = '\0';
    for (char *c = eq + 1; *c; c++) /* an inline comment, as libinih reads the config file: " ; ..." */
        if (*c == ';' && (c[-1] == ' ' || c[-1] == '\t')) {
            *c = '\0';
            break;
        }
    char *key = s_trim(l), *value = s_trim(eq + 1);
    if (*cur == -2) {
        snprintf(err, errlen, "'%s' outside a [source.NAME] section", key);
        return TLX_EINVAL;
    }
    return *cur < 0 ? 0 : tlx_sources_entry_set(&(*v)[*cur], key, value, err, errlen);
}

int tlx_sources_read_file(const char *path, tlx_sources_entry_t **v, int *n, int *cap, int keep, char *err,
                          size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return TLX_EIO;
    }
    char line[8192], why[512];
    int rc = 0, lineno = 0, cur = -2; /* -2: before any section; -1: a section skipped */
    while (!rc && fgets(line, sizeof line, f)) {
        lineno++;
        if ((rc = s_line(line, v, n, cap, keep, &cur, why, sizeof why)))
            snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
    }
    if (!rc && ferror(f)) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        rc = TLX_EIO;
    }
    fclose(f);
    return rc;
}

tlx_sources_t *tlx_sources_open(const char *path, char *err, size_t errlen)
{
    tlx_sources_entry_t *v = NULL;
    int n = 0, cap = 0, rc = 0;
    if (access(path, F_OK) == 0 || errno != ENOENT)
        rc = tlx_sources_read_file(path, &v, &n, &cap, 0, err, errlen);
    for (int i = 0; !rc && i < n; i++) {
        tlx_sources_entry_t *e = &v[i];
        if (!e->rules_path[0])
            continue;
        int nr = 0;
        e->rules = tlx_boiler_rules_load_file(e->rules_path, strcmp(e->name, "*") == 0 ? "" : e->name, &nr);
        if (!e->rules || nr <= 0) {
            snprintf(err, errlen, "%s: [source.%s] rules: %s", path, e->name,
                     !e->rules ? "out of memory"
                     : nr < 0  ? "cannot read the file"
                               : "no rules in the file");
            rc = TLX_EINVAL;
        }
    }
    if (rc) {
        for (int i = 0; i < n; i++)
            tlx_boiler_rules_destroy(&v[i].rules);
        free(v);
        return NULL;
    }
    tlx_sources_t *s = tlx_sources_new(v, n);
    if (!s)
        snprintf(err, errlen, "out of memory");
    return s;
}

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
    if (source && *source)
        e = s_find(s, source);
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
