/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_verify.c -- `telex verify` and `telex backup` (see tlx_store.h).

    verify walks the store in one read txn (an admin tool may pin pages for
    its duration; telexd keeps writing meanwhile) and checks every
    relation the writer maintains: feed <-> articles, ids <-> articles,
    raw, the four indexes (by recomputing each newest revision's keys and
    comparing counts, so an extra entry anywhere is found without
    re-parsing per entry), the inbox and dead-letter encodings, the
    counters, the schema version, and the learned-boilerplate statistics
    (each source's key count matches its header, no orphan keys).
*/
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store_int.h"
#include "tlx_mp.h"

typedef struct {
    FILE *out;
    uint64_t problems;
} vctx_t;

static void s_problem(vctx_t *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_problem(vctx_t *v, const char *fmt, ...)
{
    v->problems++;
    if (v->out && v->problems <= 100) {
        va_list ap;
        va_start(ap, fmt);
        fputs("verify: ", v->out);
        vfprintf(v->out, fmt, ap);
        fputc('\n', v->out);
        va_end(ap);
    }
}

/* A walk ends at MDB_NOTFOUND; anything else is a page LMDB could not
   read, and the entries past it were not checked. */
static void s_walk_end(vctx_t *v, int rc, const char *what)
{
    if (rc != 0 && rc != MDB_NOTFOUND)
        s_problem(v, "%s: cannot read further: %s (the store is damaged)", what, mdb_strerror(rc));
}

/* Reads "seq", "id", "revision" from a record in one pass; 0 or
   TLX_EMALFORMED (not a map, trailing bytes, or no id). */
int tlx_store__record_head(const void *rec, size_t len, uint64_t *seq, const char **id, size_t *idl,
                           uint64_t *rev)
{
    tlx_mp_t c;
    tlx_mp_init(&c, rec, len);
    uint32_t n;
    *seq = *rev = 0;
    *id = NULL;
    *idl = 0;
    if (tlx_mp_read_map(&c, &n))
        return TLX_EMALFORMED;
    for (uint32_t i = 0; i < n; i++) {
        const char *k;
        size_t kl;
        if (tlx_mp_read_str(&c, &k, &kl))
            return TLX_EMALFORMED;
        if (tlx_mp_streq(k, kl, "seq") && tlx_mp_read_uint(&c, seq) == 0)
            continue;
        if (tlx_mp_streq(k, kl, "revision") && tlx_mp_read_uint(&c, rev) == 0)
            continue;
        if (tlx_mp_streq(k, kl, "id") && tlx_mp_read_str(&c, id, idl) == 0)
            continue;
        if (tlx_mp_skip(&c, 16))
            return TLX_EMALFORMED;
    }
    return tlx_mp_left(&c) == 0 && *id ? 0 : TLX_EMALFORMED;
}

static const int s_idx_dbs[TLX_IDX__COUNT] = {DB_IDX_ENTITY, DB_IDX_TAG, DB_IDX_SOURCE, DB_IDX_DAY};
static const char *const s_idx_names[TLX_IDX__COUNT] = {"idx_entity", "idx_tag", "idx_source", "idx_day"};

int tlx_store_verify(tlx_store_t *self, FILE *report, tlx_verify_stats_t *out)
{
    vctx_t v = {report, 0};
    tlx_verify_stats_t vs = {0};
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_txn *txn = rt ? rt : self->txn;

    /* a read replica (tlx_store_replicate) holds no raw envelopes */
    MDB_val rmk = {7, "replica"}, rmv;
    bool replica = mdb_get(txn, self->dbi[DB_META], &rmk, &rmv) == 0;
    MDB_val k = {6, "schema"}, d;
    uint64_t ver =
        mdb_get(txn, self->dbi[DB_META], &k, &d) == 0 && d.mv_size == 8 ? s_get_be64(d.mv_data) : 0;
    if (ver < TLX_SCHEMA_OLDEST || ver > TLX_SCHEMA_VERSION)
        s_problem(&v, "meta: schema version missing or not %d to %d", TLX_SCHEMA_OLDEST, TLX_SCHEMA_VERSION);
    /* schema 2: every envelope written since is in `envelopes` under its
       inbox seq, named by exactly one of: a `raw` reference, a "TXI2"
       inbox entry, a "TXI2" dead letter (counted here, compared in 5a) */
    uint64_t env_refs = 0;

    MDB_cursor *cur, *c2;
    MDB_val ck, cv;
    /* 1. articles: decode, seq matches key, raw present, ids entry present */
    uint64_t idx_expected[TLX_IDX__COUNT] = {0};
    mdb_cursor_open(txn, self->dbi[DB_ARTICLES], &cur);
    mdb_cursor_open(txn, self->dbi[DB_IDS], &c2);
    int grc = 0;
    for (int op = MDB_FIRST; (grc = mdb_cursor_get(cur, &ck, &cv, op)) == 0; op = MDB_NEXT) {
        vs.articles++;
        if (ck.mv_size != 8) {
            s_problem(&v, "articles: key of %zu bytes", ck.mv_size);
            continue;
        }
        uint64_t key = s_get_be64(ck.mv_data), seq, rev;
        const char *id;
        size_t idl;
        if (tlx_store__record_head(cv.mv_data, cv.mv_size, &seq, &id, &idl, &rev) != 0) {
            s_problem(&v, "articles[%llu]: the record does not decode", (unsigned long long)key);
            continue;
        }
        if (seq != key)
            s_problem(&v, "articles[%llu]: record says seq %llu", (unsigned long long)key,
                      (unsigned long long)seq);
        MDB_val rk = {8, ck.mv_data}, rv;
        uint64_t ref;
        if (!replica && mdb_get(txn, self->dbi[DB_RAW], &rk, &rv) != 0)
            s_problem(&v, "raw[%llu]: missing", (unsigned long long)key);
        else if (!replica && tlx_store__raw_ref(rv.mv_data, rv.mv_size, &ref)) {
            env_refs++;
            MDB_val evv;
            if (tlx_store__envelope(self, txn, ref, &evv) != 0)
                s_problem(&v, "raw[%llu]: envelope %llu missing", (unsigned long long)key,
                          (unsigned long long)ref);
        }
        /* the ids entry for this (id, seq, revision) */
        uint8_t want[12];
        s_be64(want, key);
        want[8] = (uint8_t)(rev >> 24), want[9] = (uint8_t)(rev >> 16), want[10] = (uint8_t)(rev >> 8),
        want[11] = (uint8_t)rev;
        MDB_val ik = {idl, (void *)id}, iv = {12, want};
        if (idl == 0 || idl > 511 || mdb_cursor_get(c2, &ik, &iv, MDB_GET_BOTH) != 0) {
            s_problem(&v, "ids: no entry for article %llu (id '%.*s' revision %llu)", (unsigned long long)key,
                      (int)(idl > 80 ? 80 : idl), id, (unsigned long long)rev);
            continue;
        }
        /* newest revision? then its index keys must be present */
        uint32_t best = 0;
        uint64_t best_seq = 0;
        MDB_val lk = {idl, (void *)id}, lv;
        for (int o2 = MDB_SET_KEY; mdb_cursor_get(c2, &lk, &lv, o2) == 0; o2 = MDB_NEXT_DUP) {
            const uint8_t *p = lv.mv_data;
            uint32_t r = (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 | (uint32_t)p[10] << 8 | p[11];
            if (r >= best) {
                best = r;
                best_seq = s_get_be64(p);
            }
        }
        if (best_seq != key)
            continue;
        int n = 0;
        tlx_index_keys(cv.mv_data, cv.mv_size, self->keys, &n);
        for (int i = 0; i < n; i++) {
            idx_expected[self->keys[i].kind]++;
            MDB_val xk = {self->keys[i].len, self->keys[i].key}, xv = {8, ck.mv_data};
            MDB_cursor *xc;
            mdb_cursor_open(txn, self->dbi[s_idx_dbs[self->keys[i].kind]], &xc);
            if (mdb_cursor_get(xc, &xk, &xv, MDB_GET_BOTH) != 0)
                s_problem(&v, "%s: '%.*s' -> %llu missing", s_idx_names[self->keys[i].kind],
                          self->keys[i].len, self->keys[i].key, (unsigned long long)key);
            mdb_cursor_close(xc);
        }
    }
    s_walk_end(&v, grc, "articles");
    mdb_cursor_close(c2);
    mdb_cursor_close(cur);

    /* 2. every ids entry points to an article with that id */
    mdb_cursor_open(txn, self->dbi[DB_IDS], &cur);
    for (int op = MDB_FIRST; (grc = mdb_cursor_get(cur, &ck, &cv, op)) == 0; op = MDB_NEXT) {
        vs.ids++;
        if (cv.mv_size != 12) {
            s_problem(&v, "ids: value of %zu bytes", cv.mv_size);
            continue;
        }
        MDB_val ak = {8, cv.mv_data}, av;
        if (mdb_get(txn, self->dbi[DB_ARTICLES], &ak, &av) != 0)
            s_problem(&v, "ids: '%.*s' points to missing article %llu",
                      (int)(ck.mv_size > 80 ? 80 : ck.mv_size), (char *)ck.mv_data,
                      (unsigned long long)s_get_be64(cv.mv_data));
    }
    s_walk_end(&v, grc, "ids");
    mdb_cursor_close(cur);

    /* 3. the feed: every entry points to an article, each article once */
    MDB_stat ms;
    mdb_stat(txn, self->dbi[DB_FEED], &ms);
    vs.feed = ms.ms_entries;
    if (ms.ms_entries != vs.articles)
        s_problem(&v, "feed: %llu entries for %llu articles", (unsigned long long)ms.ms_entries,
                  (unsigned long long)vs.articles);
    mdb_cursor_open(txn, self->dbi[DB_FEED], &cur);
    uint64_t prev = 0;
    for (int op = MDB_FIRST; (grc = mdb_cursor_get(cur, &ck, &cv, op)) == 0; op = MDB_NEXT) {
        if (ck.mv_size != 8 || cv.mv_size != 8) {
            s_problem(&v, "feed: malformed entry");
            continue;
        }
        uint64_t aseq = s_get_be64(cv.mv_data);
        MDB_val av;
        if (mdb_get(txn, self->dbi[DB_ARTICLES], &cv, &av) != 0)
            s_problem(&v, "feed[%llu]: article %llu missing", (unsigned long long)s_get_be64(ck.mv_data),
                      (unsigned long long)aseq);
        if (aseq <= prev)
            s_problem(&v, "feed[%llu]: article %llu out of order", (unsigned long long)s_get_be64(ck.mv_data),
                      (unsigned long long)aseq);
        prev = aseq;
    }
    s_walk_end(&v, grc, "feed");
    mdb_cursor_close(cur);
    mdb_stat(txn, self->dbi[DB_RAW], &ms);
    if (ms.ms_entries != (replica ? 0 : vs.articles))
        s_problem(&v, "raw: %llu entries for %llu articles", (unsigned long long)ms.ms_entries,
                  (unsigned long long)vs.articles);

    /* 4. indexes: nothing beyond the expected entries (all of which were found above) */
    for (int i = 0; i < TLX_IDX__COUNT; i++) {
        mdb_stat(txn, self->dbi[s_idx_dbs[i]], &ms);
        vs.index_entries += ms.ms_entries;
        if (ms.ms_entries != idx_expected[i])
            s_problem(&v, "%s: %llu entries, expected %llu from the newest revisions", s_idx_names[i],
                      (unsigned long long)ms.ms_entries, (unsigned long long)idx_expected[i]);
    }

    /* 5. inbox and dead letters decode; counters are ahead of every key */
    uint64_t next_inbox = 0;
    MDB_val nk = {10, "next_inbox"}, nv;
    if (mdb_get(txn, self->dbi[DB_META], &nk, &nv) == 0 && nv.mv_size == 8)
        next_inbox = s_get_be64(nv.mv_data);
    const int qdbs[2] = {DB_INBOX, DB_DEAD};
    for (int q = 0; q < 2; q++) {
        mdb_cursor_open(txn, self->dbi[qdbs[q]], &cur);
        for (int op = MDB_FIRST; (grc = mdb_cursor_get(cur, &ck, &cv, op)) == 0; op = MDB_NEXT) {
            uint64_t s = ck.mv_size == 8 ? s_get_be64(ck.mv_data) : 0;
            tlx_inbox_entry_t e = {0};
            bool v2 = false;
            if (q == 0) {
                vs.inbox++;
                if (tlx_store__parse_inbox(s, cv.mv_data, cv.mv_size, &e) != 0)
                    s_problem(&v, "inbox[%llu]: entry does not decode", (unsigned long long)s);
                else
                    v2 = tlx_store__inbox_v2(cv.mv_data, cv.mv_size);
            } else {
                vs.dead++;
                tlx_mp_t c;
                tlx_dead_t dl;
                tlx_mp_init(&c, cv.mv_data, cv.mv_size);
                if (tlx_mp_skip(&c, 4) || tlx_mp_left(&c) ||
                    tlx_store__parse_dead(cv.mv_data, cv.mv_size, &dl) != 0)
                    s_problem(&v, "dead[%llu]: entry does not decode", (unsigned long long)s);
                else {
                    e = dl.inbox;
                    v2 = tlx_store__inbox_v2(dl.entry, dl.entry_len);
                }
            }
            if (v2) {
                env_refs++;
                e.inbox_seq = s;
                if (tlx_store__inbox_env(self, txn, &e) != 0)
                    s_problem(&v, "%s[%llu]: envelope missing", q ? "dead" : "inbox", (unsigned long long)s);
            }
            if (next_inbox && s >= next_inbox)
                s_problem(&v, "%s[%llu]: at or beyond next_inbox %llu", q ? "dead" : "inbox",
                          (unsigned long long)s, (unsigned long long)next_inbox);
        }
        s_walk_end(&v, grc, q ? "dead" : "inbox");
        mdb_cursor_close(cur);
    }
    /* 5a. no envelope that nothing names (each name was looked up above) */
    if (self->has_envelopes) {
        mdb_stat(txn, self->dbi[DB_ENVELOPES], &ms);
        if (ms.ms_entries != env_refs)
            s_problem(&v, "envelopes: %llu entries, %llu named by raw, inbox and dead letters",
                      (unsigned long long)ms.ms_entries, (unsigned long long)env_refs);
        MDB_val lk, lv;
        mdb_cursor_open(txn, self->dbi[DB_ENVELOPES], &cur);
        if (mdb_cursor_get(cur, &lk, &lv, MDB_LAST) == 0 && next_inbox &&
            (lk.mv_size != 8 || s_get_be64(lk.mv_data) >= next_inbox))
            s_problem(&v, "envelopes: a key at or beyond next_inbox %llu", (unsigned long long)next_inbox);
        mdb_cursor_close(cur);
    }
    /* 5b. raised attempt counters (meta "attempts"): whole records in seq
       order, each naming an inbox entry and above that entry's own counter */
    MDB_val ak = {sizeof ATT_KEY - 1, ATT_KEY}, av;
    if (mdb_get(txn, self->dbi[DB_META], &ak, &av) == 0) {
        if (av.mv_size % ATT_REC)
            s_problem(&v, "meta: attempts is %zu bytes, not a multiple of %d", av.mv_size, ATT_REC);
        const uint8_t *r = av.mv_data;
        for (size_t i = 0; av.mv_size % ATT_REC == 0 && i < av.mv_size / ATT_REC; i++, r += ATT_REC) {
            uint64_t s = s_get_be64(r);
            uint32_t a = (uint32_t)tlx_get_be(r + 8, 4);
            MDB_val ik = {8, (void *)r}, iv;
            tlx_inbox_entry_t e;
            if (i > 0 && s <= s_get_be64(r - ATT_REC))
                s_problem(&v, "meta: attempts not in inbox seq order at %llu", (unsigned long long)s);
            if (mdb_get(txn, self->dbi[DB_INBOX], &ik, &iv) != 0)
                s_problem(&v, "meta: attempts names inbox[%llu], which does not exist",
                          (unsigned long long)s);
            else if (tlx_store__parse_inbox(s, iv.mv_data, iv.mv_size, &e) == 0 && a <= e.attempts)
                s_problem(&v, "meta: attempts of inbox[%llu] is %u, not above the entry's %u",
                          (unsigned long long)s, a, e.attempts);
        }
    }
    /* 6. learned-boilerplate statistics in `stats`: headers and line values
       have their sizes, each header's key count is right, no orphan keys */
    uint64_t lines_owned = 0, lines_all = 0;
    MDB_cursor *lc;
    mdb_cursor_open(txn, self->dbi[DB_STATS], &cur);
    mdb_cursor_open(txn, self->dbi[DB_STATS], &lc);
    ck = (MDB_val){3, "bs:"};
    for (int op = MDB_SET_RANGE; (grc = mdb_cursor_get(cur, &ck, &cv, op)) == 0; op = MDB_NEXT) {
        if (ck.mv_size < 4 || memcmp(ck.mv_data, "bs:", 3) != 0)
            break;
        size_t sl = ck.mv_size - 3;
        if (cv.mv_size != 24 || sl > TLX_LINES_SOURCE_MAX) {
            s_problem(&v, "stats: line-statistics header of %.*s is malformed", (int)(sl > 64 ? 64 : sl),
                      (const char *)ck.mv_data + 3);
            continue;
        }
        uint8_t lk[3 + TLX_LINES_SOURCE_MAX + 1];
        memcpy(lk, "bl:", 3);
        memcpy(lk + 3, (const uint8_t *)ck.mv_data + 3, sl);
        lk[3 + sl] = 0;
        uint64_t n = 0, want = s_get_le32((const uint8_t *)cv.mv_data + 12);
        MDB_val lkv = {sl + 4, lk}, lv;
        for (int lop = MDB_SET_RANGE; mdb_cursor_get(lc, &lkv, &lv, lop) == 0; lop = MDB_NEXT) {
            if (lkv.mv_size != sl + 12 || memcmp(lkv.mv_data, lk, sl + 4) != 0)
                break;
            n++;
        }
        lines_owned += n;
        if (n != want || n > TLX_LINES_CAP)
            s_problem(&v, "stats: source %.*s has %llu line keys, its header says %llu",
                      (int)(sl > 64 ? 64 : sl), (const char *)ck.mv_data + 3, (unsigned long long)n,
                      (unsigned long long)want);
    }
    s_walk_end(&v, grc, "stats");
    ck = (MDB_val){3, "bl:"};
    for (int op = MDB_SET_RANGE; (grc = mdb_cursor_get(cur, &ck, &cv, op)) == 0; op = MDB_NEXT) {
        if (ck.mv_size < 3 || memcmp(ck.mv_data, "bl:", 3) != 0)
            break;
        lines_all++;
        if (cv.mv_size != 8)
            s_problem(&v, "stats: a line-statistics value of %zu bytes (want 8)", cv.mv_size);
    }
    s_walk_end(&v, grc, "stats");
    if (lines_all != lines_owned)
        s_problem(&v, "stats: %llu line keys, %llu of them under a source header",
                  (unsigned long long)lines_all, (unsigned long long)lines_owned);
    mdb_cursor_close(lc);
    mdb_cursor_close(cur);

    tlx_store__rend(self, rt);
    vs.problems = v.problems;
    if (out)
        *out = vs;
    return 0;
}

int tlx_store_backup(tlx_store_t *self, const char *dest, char *err, size_t errsz)
{
    if (mkdir(dest, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errsz, "cannot create %s: %s", dest, strerror(errno));
        return TLX_EIO;
    }
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/data.mdb", dest);
    struct stat st;
    if (stat(probe, &st) == 0) {
        snprintf(err, errsz, "%s already holds a store; give an empty or new directory", dest);
        return TLX_EINVAL;
    }
    /* a hot, compacted copy in one read txn: telexd keeps writing */
    int rc = mdb_env_copy2(self->env, dest, MDB_CP_COMPACT);
    if (rc) {
        snprintf(err, errsz, "cannot back up to %s: %s", dest, rc > 0 ? strerror(rc) : mdb_strerror(rc));
        return rc == ENOSPC ? TLX_EFULL : TLX_EIO;
    }
    return 0;
}

/* What the child of tlx_store_verify_dir sends back. */
typedef struct {
    int rc;
    tlx_verify_stats_t vs;
    char err[600];
} vres_t;

int tlx_store_verify_dir(const char *dir, FILE *report, tlx_verify_stats_t *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(err, errsz, "cannot verify %s: %s", dir, strerror(errno));
        return TLX_EIO;
    }
    if (report)
        fflush(report);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errsz, "cannot verify %s: %s", dir, strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return TLX_EIO;
    }
    if (pid == 0) {
        close(fds[0]);
        if (report)
            setvbuf(report, NULL, _IOLBF, 0); /* lines already found survive a crash */
        vres_t r;
        memset(&r, 0, sizeof r);
        tlx_store_opts_t o;
        tlx_store_opts_default(&o);
        o.read_only = true;
        tlx_store_t *st = NULL;
        r.rc = tlx_store_open(dir, &o, &st, r.err, sizeof r.err);
        if (!r.rc) {
            r.rc = tlx_store_verify(st, report, &r.vs);
            if (r.rc)
                snprintf(r.err, sizeof r.err, "%s", tlx_store_errmsg(st));
            tlx_store_close(&st);
        }
        if (report)
            fflush(report);
        ssize_t w = write(fds[1], &r, sizeof r);
        _exit(w == (ssize_t)sizeof r ? 0 : 3);
    }
    close(fds[1]);
    vres_t r;
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = read(fds[0], (char *)&r + got, sizeof r - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    vctx_t v = {report, 0};
    if (got != sizeof r) {
        if (WIFSIGNALED(status))
            s_problem(&v, "the store is damaged: reading it killed the verifier (signal %d, %s)",
                      WTERMSIG(status), strsignal(WTERMSIG(status)));
        else
            s_problem(&v, "the verifier stopped without a result (exit %d)",
                      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        out->problems = v.problems;
        return 0;
    }
    if (r.rc == TLX_ECORRUPT) {
        s_problem(&v, "%s", r.err);
        out->problems = v.problems;
        return 0;
    }
    if (r.rc) {
        snprintf(err, errsz, "%s", r.err[0] ? r.err : tlx_strerror(r.rc));
        return r.rc;
    }
    *out = r.vs;
    return 0;
}
