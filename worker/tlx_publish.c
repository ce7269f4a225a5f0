/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_publish.c -- committed records to NATS JetStream (see tlx_publish.h).

    One round: read up to `batch` feed entries after the acknowledged
    position, publish each asynchronously (js_PublishMsgAsync; the library
    pipelines them on one connection), wait for every ack
    (js_PublishAsyncComplete), and only if each one came back positive move
    the position.  Any failure (no connection, an error ack, a timeout)
    throws the round's pending messages away and re-sends the whole round
    after a back-off; JetStream's duplicate window (Nats-Msg-Id) stores each
    record once.  The position is persisted at most every 100 ms and when
    the publisher is idle or stops: after a crash, up to that much acked
    work is re-sent, again dropped by the duplicate window (2 minutes by
    default), so the cost of a crash is bandwidth, not duplicates.

    Rejected: one synchronous publish per record (a round trip each: ~10x
    slower to a local server, far worse across a WAN); persisting the
    position after every round (an fsync per 256 records competing with the
    writer's group commits); a second store handle (LMDB forbids opening
    one environment twice in a process).
*/
#include "tlx_publish.h"

#include <errno.h>
#include <nats/nats.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tlx_json.h"
#include "tlx_log.h"
#include "tlx_mp.h"

#define PERSIST_EVERY_MS 100
#define IDLE_POLL_MS 50
#define ACK_WAIT_MS 5000
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000

struct tlx_publish {
    tlx_publish_cfg_t cfg;
    tlx_store_t *store;
    tlx_metrics_t *m;
    char cursor[128]; /* "publish:" + stream */
    char filter[256]; /* stream subjects */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool kicked, stopping, started;
    natsConnection *nc;
    jsCtx *js;
    bool stream_ok;
    /* round state, written by the library's ack thread */
    atomic_uint_fast64_t ack_ok, ack_err;
    char last_err[256]; /* under mu */
    /* stats */
    atomic_uint_fast64_t acked, head, published, errors;
    atomic_bool connected;
};

void tlx_publish_cfg_default(tlx_publish_cfg_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->subject, sizeof cfg->subject, "%s", TLX_PUBLISH_SUBJECT_DEFAULT);
    snprintf(cfg->stream, sizeof cfg->stream, "%s", TLX_PUBLISH_STREAM_DEFAULT);
    cfg->format = TLX_PUBLISH_JSON;
    cfg->replicas = 1;
    cfg->batch = 256;
}

int tlx_publish_format_parse(const char *s, int *format)
{
    if (strcmp(s, "json") == 0)
        *format = TLX_PUBLISH_JSON;
    else if (strcmp(s, "msgpack") == 0)
        *format = TLX_PUBLISH_MSGPACK;
    else
        return TLX_EINVAL;
    return 0;
}

int tlx_publish_subject(const char *tmpl, const char *source, size_t len, char *out, size_t out_len)
{
    char tok[65];
    size_t n = 0;
    for (size_t i = 0; i < len && n < 64; i++) {
        unsigned char c = (unsigned char)source[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        else if (c <= ' ' || c == '.' || c == '*' || c == '>' || c == 0x7f)
            c = '_';
        tok[n++] = (char)c;
    }
    if (n == 0) {
        memcpy(tok, "_none", 5);
        n = 5;
    }
    tok[n] = '\0';
    const char *ph = strstr(tmpl, "<source>");
    int w = ph ? snprintf(out, out_len, "%.*s%s%s", (int)(ph - tmpl), tmpl, tok, ph + 8)
               : snprintf(out, out_len, "%s", tmpl);
    return w < 0 || (size_t)w >= out_len ? TLX_ETOOBIG : 0;
}

int tlx_publish_stream_subject(const char *tmpl, char *out, size_t out_len)
{
    size_t tl = strlen(tmpl);
    const char *ph = strstr(tmpl, "<source>");
    int w;
    if (ph && ph + 8 == tmpl + tl && (ph == tmpl || ph[-1] == '.'))
        w = snprintf(out, out_len, "%.*s>", (int)(ph - tmpl), tmpl);
    else if (ph)
        w = snprintf(out, out_len, "%.*s*%s", (int)(ph - tmpl), tmpl, ph + 8);
    else
        w = snprintf(out, out_len, "%s", tmpl);
    return w < 0 || (size_t)w >= out_len ? TLX_ETOOBIG : 0;
}

static uint64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Waits up to ms for a kick (when kicks count) or stop; returns true
   when stopping.  A back-off ignores kicks: every commit kicks, and a
   NATS outage must not turn into one failed round per commit. */
static bool s_wait(tlx_publish_t *self, int ms, bool kicks)
{
    struct timespec dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_sec += ms / 1000;
    dl.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (dl.tv_nsec >= 1000000000L) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&self->mu);
    while (!(kicks && self->kicked) && !self->stopping)
        if (pthread_cond_timedwait(&self->cv, &self->mu, &dl) == ETIMEDOUT)
            break;
    self->kicked = false;
    bool stop = self->stopping;
    pthread_mutex_unlock(&self->mu);
    return stop;
}

static void s_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
    (void)js;
    tlx_publish_t *self = closure;
    if (pa && !pae)
        atomic_fetch_add(&self->ack_ok, 1);
    else {
        atomic_fetch_add(&self->ack_err, 1);
        pthread_mutex_lock(&self->mu);
        snprintf(self->last_err, sizeof self->last_err, "%s",
                 pae && pae->ErrText ? pae->ErrText
                 : pae               ? natsStatus_GetText(pae->Err)
                                     : "no ack");
        pthread_mutex_unlock(&self->mu);
    }
    natsMsg_Destroy(msg);
}

/* The first connect happens in the background (RetryOnFailedConnect needs a
   callback for that).  It takes no closure: libnats may call connection
   callbacks from its own thread after the connection was destroyed, so
   the state is read with natsConnection_Status instead. */
static void s_on_conn(natsConnection *nc, void *closure)
{
    (void)nc, (void)closure;
}

int tlx_publish_nats_options(const char *url, const char *name, const char *creds, const char *tls_ca,
                             natsConnectionHandler on_up, natsConnectionHandler on_down, void *closure,
                             natsOptions **out, char *err, size_t errsz)
{
    natsOptions *o = NULL;
    if (!on_up)
        on_up = s_on_conn; /* without one, the first connect would block until a server answers */
    natsStatus s = natsOptions_Create(&o);
    if (s == NATS_OK)
        s = natsOptions_SetURL(o, url);
    if (s == NATS_OK)
        s = natsOptions_SetName(o, name);
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(o, -1);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectWait(o, 250);
    if (s == NATS_OK)
        s = natsOptions_SetTimeout(o, 2000);
    if (s == NATS_OK)
        s = natsOptions_SetRetryOnFailedConnect(o, true, on_up, closure);
    if (s == NATS_OK && on_down)
        s = natsOptions_SetDisconnectedCB(o, on_down, closure);
    if (s == NATS_OK && on_up)
        s = natsOptions_SetReconnectedCB(o, on_up, closure);
    if (s == NATS_OK && creds && creds[0])
        s = natsOptions_SetUserCredentialsFromFiles(o, creds, NULL);
    if (s == NATS_OK && tls_ca && tls_ca[0]) {
        s = natsOptions_SetSecure(o, true);
        if (s == NATS_OK)
            s = natsOptions_LoadCATrustedCertificates(o, tls_ca);
    }
    if (s != NATS_OK) {
        snprintf(err, errsz, "NATS options for %.200s: %s (%.200s)", url, natsStatus_GetText(s),
                 nats_GetLastError(NULL));
        natsOptions_Destroy(o);
        return TLX_EINVAL;
    }
    *out = o;
    return 0;
}

/* Connects (in the background when the server is not there yet). */
static int s_connect(tlx_publish_t *self, char *err, size_t errsz)
{
    natsOptions *o = NULL;
    int rc = tlx_publish_nats_options(self->cfg.url, "telexd publisher", self->cfg.creds, self->cfg.tls_ca,
                                      NULL, NULL, NULL, &o, err, errsz);
    if (rc)
        return rc;
    natsStatus s;
    s = natsConnection_Connect(&self->nc, o);
    natsOptions_Destroy(o);
    if (s != NATS_OK && s != NATS_NOT_YET_CONNECTED) {
        snprintf(err, errsz, "cannot connect to %s: %s", self->cfg.url, natsStatus_GetText(s));
        return TLX_EINVAL;
    }
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.PublishAsync.MaxPending = self->cfg.batch * 2;
    jo.PublishAsync.AckHandler = s_ack;
    jo.PublishAsync.AckHandlerClosure = self;
    jo.Wait = 2000;
    if ((s = natsConnection_JetStream(&self->js, self->nc, &jo)) != NATS_OK) {
        snprintf(err, errsz, "JetStream context: %s", natsStatus_GetText(s));
        return TLX_ENOMEM;
    }
    return 0;
}

/* Creates the stream when it does not exist; true when it is there. */
static bool s_ensure_stream(tlx_publish_t *self, char *why, size_t whysz)
{
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetStreamInfo(&si, self->js, self->cfg.stream, NULL, &jerr);
    if (s == NATS_OK) {
        jsStreamInfo_Destroy(si);
        return true;
    }
    if (s != NATS_NOT_FOUND) {
        snprintf(why, whysz, "stream info: %s (%d)", natsStatus_GetText(s), (int)jerr);
        return false;
    }
    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    const char *subjects[1] = {self->filter};
    sc.Name = self->cfg.stream;
    sc.Subjects = subjects;
    sc.SubjectsLen = 1;
    sc.Storage = js_FileStorage;
    sc.Retention = js_LimitsPolicy;
    sc.MaxAge = self->cfg.max_age_s * 1000000000LL;
    sc.MaxBytes = self->cfg.max_bytes > 0 ? self->cfg.max_bytes : -1;
    sc.Replicas = self->cfg.replicas > 0 ? self->cfg.replicas : 1;
    s = js_AddStream(&si, self->js, &sc, NULL, &jerr);
    if (s != NATS_OK) {
        snprintf(why, whysz, "cannot create stream %s (subjects %s): %s (%d) %s", self->cfg.stream,
                 self->filter, natsStatus_GetText(s), (int)jerr, nats_GetLastError(NULL));
        return false;
    }
    jsStreamInfo_Destroy(si);
    tlx_log(TLX_LOG_INFO, "publish: stream created", "stream=%s subjects=%s", self->cfg.stream, self->filter);
    return true;
}

/* The record's id, revision, source (borrowed from rec). */
static int s_head(const void *rec, size_t len, const char **id, size_t *idl, uint64_t *rev, const char **src,
                  size_t *srcl)
{
    tlx_mp_t c;
    tlx_mp_init(&c, rec, len);
    uint32_t n;
    *id = *src = NULL;
    *idl = *srcl = 0;
    *rev = 0;
    if (tlx_mp_read_map(&c, &n))
        return TLX_EMALFORMED;
    for (uint32_t i = 0; i < n; i++) {
        const char *k;
        size_t kl;
        if (tlx_mp_read_str(&c, &k, &kl))
            return TLX_EMALFORMED;
        if (tlx_mp_streq(k, kl, "id") && tlx_mp_read_str(&c, id, idl) == 0)
            continue;
        if (tlx_mp_streq(k, kl, "revision") && tlx_mp_read_uint(&c, rev) == 0)
            continue;
        if (tlx_mp_streq(k, kl, "source") && tlx_mp_read_str(&c, src, srcl) == 0)
            continue;
        if (tlx_mp_skip(&c, 32))
            return TLX_EMALFORMED;
    }
    return *id ? 0 : TLX_EMALFORMED;
}

typedef struct {
    tlx_publish_t *self;
    uint64_t last; /* last feed seq handed to the library */
    uint64_t sent;
    int fail; /* a publish call failed: the round is void */
    tlx_buf_t json;
} round_t;

static int s_publish_one(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t len)
{
    round_t *r = ctx;
    tlx_publish_t *self = r->self;
    const char *id, *src;
    size_t idl, srcl;
    uint64_t rev;
    if (s_head(rec, len, &id, &idl, &rev, &src, &srcl) != 0) {
        /* `telex verify` reports an undecodable record; publishing cannot fix it */
        tlx_log(TLX_LOG_ERROR, "publish: record does not decode, skipped", "seq=%llu",
                (unsigned long long)seq);
        r->last = feed_seq;
        return 0;
    }
    char subject[512], msgid[TLX_ID_MAX + 32], sbuf[24];
    if (tlx_publish_subject(self->cfg.subject, src, srcl, subject, sizeof subject) != 0 || idl > TLX_ID_MAX) {
        r->fail = 1;
        return 1;
    }
    snprintf(msgid, sizeof msgid, "%.*s:%llu", (int)idl, id, (unsigned long long)rev);
    snprintf(sbuf, sizeof sbuf, "%llu", (unsigned long long)seq);
    const char *data = rec;
    size_t dlen = len;
    if (self->cfg.format == TLX_PUBLISH_JSON) {
        r->json.len = 0;
        if (tlx_json_from_msgpack(rec, len, 0, &r->json) != 0) {
            r->fail = 1;
            return 1;
        }
        data = r->json.data;
        dlen = r->json.len;
    }
    char srcbuf[256];
    snprintf(srcbuf, sizeof srcbuf, "%.*s", (int)(srcl > 255 ? 255 : srcl), src ? src : "");
    for (char *p = srcbuf; *p; p++) /* a header value is one line */
        if ((unsigned char)*p < ' ')
            *p = ' ';
    natsMsg *msg = NULL;
    natsStatus s = natsMsg_Create(&msg, subject, NULL, data, (int)dlen);
    if (s == NATS_OK)
        s = natsMsgHeader_Set(msg, "Nats-Msg-Id", msgid);
    if (s == NATS_OK)
        s = natsMsgHeader_Set(msg, "Telex-Seq", sbuf);
    if (s == NATS_OK)
        s = natsMsgHeader_Set(msg, "Telex-Source", srcbuf);
    if (s == NATS_OK)
        s = natsMsgHeader_Set(msg, "Content-Type",
                              self->cfg.format == TLX_PUBLISH_JSON ? "application/json"
                                                                   : "application/msgpack");
    if (s == NATS_OK)
        s = js_PublishMsgAsync(self->js, &msg, NULL);
    natsMsg_Destroy(msg); /* NULL when the library took it */
    if (s != NATS_OK) {
        pthread_mutex_lock(&self->mu);
        snprintf(self->last_err, sizeof self->last_err, "publish: %s", natsStatus_GetText(s));
        pthread_mutex_unlock(&self->mu);
        r->fail = 1;
        return 1;
    }
    r->sent++;
    r->last = feed_seq;
    return 0;
}

/* Drops the messages still waiting for an ack (a void round). */
static void s_forget_pending(tlx_publish_t *self)
{
    natsMsgList pl = {0};
    if (js_PublishAsyncGetPendingList(&pl, self->js) == NATS_OK)
        natsMsgList_Destroy(&pl);
}

static uint64_t s_feed_head(tlx_publish_t *self)
{
    uint64_t h = 0;
    tlx_store_feed_head(self->store, &h);
    return h;
}

static void s_gauges(tlx_publish_t *self)
{
    if (!self->m)
        return;
    uint64_t h = atomic_load(&self->head), a = atomic_load(&self->acked);
    tlx_metrics_set(self->m, TLX_G_PUBLISH_LAG, h > a ? h - a : 0);
    tlx_metrics_set(self->m, TLX_G_PUBLISH_CONNECTED, atomic_load(&self->connected) ? 1 : 0);
}

static void s_persist(tlx_publish_t *self, uint64_t *persisted, uint64_t *at)
{
    uint64_t a = atomic_load(&self->acked);
    if (a == *persisted)
        return;
    int rc = tlx_store_cursor_set(self->store, self->cursor, a);
    if (rc == 0) {
        *persisted = a;
        *at = s_now_ms();
    } else
        tlx_log(TLX_LOG_WARN, "publish: cannot persist the position (will retry)", "error=\"%s\"",
                tlx_strerror(rc));
}

static void *s_run(void *arg)
{
    tlx_publish_t *self = arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    uint64_t persisted = atomic_load(&self->acked), persisted_at = s_now_ms();
    int backoff = 0;
    bool was_failing = false;
    round_t r = {.self = self};
    for (;;) {
        atomic_store(&self->connected, natsConnection_Status(self->nc) == NATS_CONN_STATUS_CONNECTED);
        atomic_store(&self->head, s_feed_head(self));
        s_gauges(self);
        uint64_t acked = atomic_load(&self->acked);
        if (acked >= atomic_load(&self->head) || backoff) {
            s_persist(self, &persisted, &persisted_at);
            if (s_wait(self, backoff ? backoff : IDLE_POLL_MS, !backoff))
                break;
            if (acked >= atomic_load(&self->head) && !backoff)
                continue;
            atomic_store(&self->head, s_feed_head(self));
            if (acked >= atomic_load(&self->head))
                continue;
        }
        char why[512] = "";
        bool ok = false;
        if (!atomic_load(&self->connected))
            snprintf(why, sizeof why, "not connected to %.200s", self->cfg.url);
        else if (!self->stream_ok && !(self->stream_ok = s_ensure_stream(self, why, sizeof why)))
            ;
        else {
            atomic_store(&self->ack_ok, 0);
            atomic_store(&self->ack_err, 0);
            r.last = acked;
            r.sent = 0;
            r.fail = 0;
            int rc = tlx_store_feed(self->store, acked, (uint64_t)self->cfg.batch, s_publish_one, &r, NULL);
            jsPubOptions po;
            jsPubOptions_Init(&po);
            po.MaxWait = ACK_WAIT_MS;
            natsStatus s = r.sent ? js_PublishAsyncComplete(self->js, &po) : NATS_OK;
            uint64_t okn = atomic_load(&self->ack_ok), errn = atomic_load(&self->ack_err);
            if (rc < 0 && rc != 1)
                snprintf(why, sizeof why, "feed read: %s", tlx_strerror(rc));
            else if (r.fail || s != NATS_OK || errn || okn != r.sent) {
                pthread_mutex_lock(&self->mu);
                snprintf(why, sizeof why, "%s (%llu of %llu acked)",
                         s != NATS_OK        ? natsStatus_GetText(s)
                         : self->last_err[0] ? self->last_err
                                             : "no ack",
                         (unsigned long long)okn, (unsigned long long)r.sent);
                pthread_mutex_unlock(&self->mu);
                if (errn)
                    self->stream_ok = false; /* e.g. the stream was deleted: look again */
            } else {
                ok = true;
                atomic_store(&self->acked, r.last);
                atomic_fetch_add(&self->published, r.sent);
                if (self->m)
                    tlx_metrics_add(self->m, TLX_M_PUBLISHED, r.sent);
            }
            if (!ok)
                s_forget_pending(self);
        }
        if (ok) {
            if (was_failing)
                tlx_log(TLX_LOG_INFO, "publish: resumed", "stream=%s position=%llu", self->cfg.stream,
                        (unsigned long long)atomic_load(&self->acked));
            was_failing = false;
            backoff = 0;
            if (s_now_ms() - persisted_at >= PERSIST_EVERY_MS)
                s_persist(self, &persisted, &persisted_at);
        } else {
            atomic_fetch_add(&self->errors, 1);
            if (self->m)
                tlx_metrics_add(self->m, TLX_M_PUBLISH_ERRORS, 1);
            if (!was_failing)
                tlx_log(TLX_LOG_WARN, "publish: round failed, retrying",
                        "stream=%s position=%llu reason=\"%s\"", self->cfg.stream, (unsigned long long)acked,
                        why);
            was_failing = true;
            backoff = backoff ? backoff * 2 : BACKOFF_MIN_MS;
            if (backoff > BACKOFF_MAX_MS)
                backoff = BACKOFF_MAX_MS;
        }
        pthread_mutex_lock(&self->mu);
        bool stop = self->stopping;
        pthread_mutex_unlock(&self->mu);
        if (stop)
            break;
    }
    s_persist(self, &persisted, &persisted_at);
    s_gauges(self);
    tlx_buf_free(&r.json);
    return NULL;
}

int tlx_publish_start(const tlx_publish_cfg_t *cfg, tlx_store_t *store, tlx_metrics_t *m, tlx_publish_t **out,
                      char *err, size_t errsz)
{
    *out = NULL;
    if (!cfg->url[0]) {
        snprintf(err, errsz, "publish: no NATS URL");
        return TLX_EINVAL;
    }
    if (!cfg->stream[0] || strpbrk(cfg->stream, " .*>\t\r\n")) {
        snprintf(err, errsz, "publish_stream '%s' is not a JetStream stream name (no spaces, '.', '*', '>')",
                 cfg->stream);
        return TLX_EINVAL;
    }
    if (!cfg->subject[0] || strpbrk(cfg->subject, " \t\r\n")) {
        snprintf(err, errsz, "publish_subject '%s' is not a NATS subject", cfg->subject);
        return TLX_EINVAL;
    }
    tlx_publish_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(err, errsz, "out of memory");
        return TLX_ENOMEM;
    }
    self->cfg = *cfg;
    if (self->cfg.batch <= 0 || self->cfg.batch > 4096)
        self->cfg.batch = 256;
    self->store = store;
    self->m = m;
    snprintf(self->cursor, sizeof self->cursor, "publish:%s", cfg->stream);
    if (tlx_publish_stream_subject(cfg->subject, self->filter, sizeof self->filter) != 0) {
        snprintf(err, errsz, "publish_subject '%s' is too long", cfg->subject);
        free(self);
        return TLX_EINVAL;
    }
    pthread_mutex_init(&self->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&self->cv, &ca);
    pthread_condattr_destroy(&ca);
    uint64_t pos = 0;
    int rc = tlx_store_cursor_get(store, self->cursor, &pos);
    if (rc) {
        snprintf(err, errsz, "publish: cannot read position: %s", tlx_strerror(rc));
        goto fail;
    }
    atomic_store(&self->acked, pos);
    if ((rc = s_connect(self, err, errsz)))
        goto fail;
    if (pthread_create(&self->thread, NULL, s_run, self) != 0) {
        snprintf(err, errsz, "publish: cannot start thread: %s", strerror(errno));
        rc = TLX_EIO;
        goto fail;
    }
    self->started = true;
    tlx_log(TLX_LOG_INFO, "publish: started", "url=%s stream=%s subject=%s position=%llu", cfg->url,
            cfg->stream, cfg->subject, (unsigned long long)pos);
    *out = self;
    return 0;
fail:
    jsCtx_Destroy(self->js);
    natsConnection_Destroy(self->nc);
    pthread_cond_destroy(&self->cv);
    pthread_mutex_destroy(&self->mu);
    free(self);
    return rc;
}

void tlx_publish_kick(tlx_publish_t *self)
{
    if (!self)
        return;
    pthread_mutex_lock(&self->mu);
    self->kicked = true;
    pthread_cond_signal(&self->cv);
    pthread_mutex_unlock(&self->mu);
}

void tlx_publish_stats(tlx_publish_t *self, tlx_publish_stats_t *s)
{
    s->acked = atomic_load(&self->acked);
    s->head = atomic_load(&self->head);
    s->published = atomic_load(&self->published);
    s->errors = atomic_load(&self->errors);
    s->connected = atomic_load(&self->connected);
}

void tlx_publish_stop(tlx_publish_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_publish_t *self = *self_p;
    pthread_mutex_lock(&self->mu);
    self->stopping = true;
    pthread_cond_signal(&self->cv);
    pthread_mutex_unlock(&self->mu);
    /* a round waiting for acks gives up after ACK_WAIT_MS; closing the
       connection first makes it return at once */
    natsConnection_Close(self->nc);
    if (self->started)
        pthread_join(self->thread, NULL);
    jsCtx_Destroy(self->js);
    natsConnection_Destroy(self->nc);
    pthread_cond_destroy(&self->cv);
    pthread_mutex_destroy(&self->mu);
    free(self);
    *self_p = NULL;
}
