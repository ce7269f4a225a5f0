/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_replica.c -- JetStream stream -> local store (see tlx_replica.h).

    Loop: fetch up to `batch` messages (500 ms wait), apply them in one
    write txn (records + the position cursor), commit, then ack the last
    one (ack-all policy acks everything before it).  The consumer is
    recreated at each (re)start from the committed position, so the
    server's idea of what was acked never decides what the replica has:
    with a consumer that outlived the replica, messages delivered but not
    acked before a crash would come back only after the ack wait, behind
    newer ones, and the replica would have to reorder.

    Rejected: a push consumer (flow control and a bounded buffer are
    easier with pull: the replica asks for what it can commit); an ordered
    ephemeral consumer (no durable state on the server to inspect with
    `nats consumer info`, and no ack, so the server cannot show the lag).
*/
#include "tlx_replica.h"

#include <nats/nats.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tlx_log.h"
#include "tlx_publish.h"

#define FETCH_WAIT_MS 500
#define GROW_TRIES 8

void tlx_replica_cfg_default(tlx_replica_cfg_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->stream, sizeof cfg->stream, "%s", TLX_PUBLISH_STREAM_DEFAULT);
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    char *p = cfg->durable + snprintf(cfg->durable, sizeof cfg->durable, "replica-");
    for (const char *h = host; *h && p < cfg->durable + sizeof cfg->durable - 1; h++)
        *p++ = (*h == '.' || *h == '*' || *h == '>' || (unsigned char)*h <= ' ') ? '_' : *h;
    *p = '\0';
    cfg->batch = 256;
}

typedef struct {
    const tlx_replica_cfg_t *cfg;
    tlx_store_t *store;
    tlx_metrics_t *m;
    volatile sig_atomic_t *stop;
    natsConnection *nc;
    jsCtx *js;
    natsSubscription *sub;
    char poskey[128];
    uint64_t pos; /* last stream seq committed */
} replica_t;

static void s_sleep_ms(replica_t *r, int ms)
{
    for (int i = 0; i < ms / 50 && !*r->stop; i++)
        usleep(50000);
}

/* Binds a pull subscription to a durable consumer delivering from pos + 1.
   0 when bound; TLX_EAGAIN to retry later (why says what). */
static int s_bind(replica_t *r, char *why, size_t whysz)
{
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetStreamInfo(&si, r->js, r->cfg->stream, NULL, &jerr);
    if (s != NATS_OK) {
        snprintf(why, whysz, "stream %s: %s", r->cfg->stream,
                 s == NATS_NOT_FOUND ? "not found yet (the primary creates it)" : natsStatus_GetText(s));
        return TLX_EAGAIN;
    }
    char subject[256] = ">";
    if (si->Config && si->Config->SubjectsLen > 0)
        snprintf(subject, sizeof subject, "%s", si->Config->Subjects[0]);
    jsStreamInfo_Destroy(si);
    js_DeleteConsumer(r->js, r->cfg->stream, r->cfg->durable, NULL, &jerr); /* may not exist */
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = r->cfg->durable;
    cc.AckPolicy = js_AckAll;
    cc.AckWait = 30LL * 1000000000LL;
    cc.MaxAckPending = r->cfg->batch * 4;
    if (r->pos) {
        cc.DeliverPolicy = js_DeliverByStartSequence;
        cc.OptStartSeq = r->pos + 1;
    } else
        cc.DeliverPolicy = js_DeliverAll;
    jsConsumerInfo *ci = NULL;
    if ((s = js_AddConsumer(&ci, r->js, r->cfg->stream, &cc, NULL, &jerr)) != NATS_OK) {
        snprintf(why, whysz, "cannot create consumer %s: %s (%d) %s", r->cfg->durable, natsStatus_GetText(s),
                 (int)jerr, nats_GetLastError(NULL));
        return TLX_EAGAIN;
    }
    jsConsumerInfo_Destroy(ci);
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = r->cfg->stream;
    so.Consumer = r->cfg->durable;
    if ((s = js_PullSubscribe(&r->sub, r->js, subject, r->cfg->durable, NULL, &so, &jerr)) != NATS_OK) {
        snprintf(why, whysz, "cannot subscribe to consumer %s: %s (%d) %s", r->cfg->durable,
                 natsStatus_GetText(s), (int)jerr, nats_GetLastError(NULL));
        r->sub = NULL;
        return TLX_EAGAIN;
    }
    return 0;
}

/* Applies the fetched messages in one txn.  *applied = stored records. */
static int s_apply(replica_t *r, natsMsgList *list, uint64_t *newpos, uint64_t *applied)
{
    *newpos = r->pos;
    *applied = 0;
    int rc = tlx_store_wbegin(r->store);
    if (rc)
        return rc;
    for (int i = 0; i < list->Count && !rc; i++) {
        natsMsg *msg = list->Msgs[i];
        jsMsgMetaData *md = NULL;
        if (natsMsg_GetMetaData(&md, msg) != NATS_OK)
            continue; /* not a JetStream message: nothing to apply */
        uint64_t sseq = md->Sequence.Stream;
        jsMsgMetaData_Destroy(md);
        if (sseq <= *newpos)
            continue; /* re-delivered: applied before */
        const char *ct = NULL;
        if (natsMsgHeader_Get(msg, "Content-Type", &ct) == NATS_OK && ct &&
            strcmp(ct, "application/msgpack") != 0) {
            tlx_log(TLX_LOG_ERROR,
                    "replica: the stream carries JSON; set publish_format = msgpack on the primary",
                    "stream=%s stream_seq=%llu content_type=%s", r->cfg->stream, (unsigned long long)sseq,
                    ct);
            rc = TLX_EINVAL;
            break;
        }
        bool stored = false;
        rc = tlx_store_replicate(r->store, natsMsg_GetData(msg), (size_t)natsMsg_GetDataLength(msg), &stored);
        if (rc == TLX_EMALFORMED)
            tlx_log(TLX_LOG_ERROR, "replica: message is not a telex record", "stream=%s stream_seq=%llu",
                    r->cfg->stream, (unsigned long long)sseq);
        if (rc)
            break;
        *applied += stored;
        *newpos = sseq;
    }
    if (!rc && *newpos != r->pos)
        rc = tlx_store_cursor_put(r->store, r->poskey, *newpos);
    if (!rc)
        rc = tlx_store_wcommit(r->store);
    else
        tlx_store_wabort(r->store);
    return rc;
}

static void s_unbind(replica_t *r)
{
    if (r->sub) {
        natsSubscription_Unsubscribe(r->sub);
        natsSubscription_Destroy(r->sub);
        r->sub = NULL;
    }
}

int tlx_replica_run(const tlx_replica_cfg_t *cfg, tlx_store_t *store, tlx_metrics_t *m,
                    volatile sig_atomic_t *stop, void (*ready)(void *ctx), void *ctx)
{
    replica_t r = {.cfg = cfg, .store = store, .m = m, .stop = stop};
    char err[512];
    if (!cfg->url[0] || !cfg->stream[0] || !cfg->durable[0] || strpbrk(cfg->durable, " .*>")) {
        tlx_log(TLX_LOG_ERROR,
                "replica: needs a NATS URL, a stream and a consumer name without '.', '*', '>'",
                "url=%s stream=%s durable=%s", cfg->url, cfg->stream, cfg->durable);
        return TLX_EINVAL;
    }
    tlx_replica_cfg_t c = *cfg;
    if (c.batch <= 0 || c.batch > 4096)
        c.batch = 256;
    r.cfg = &c;
    snprintf(r.poskey, sizeof r.poskey, "replica:%s", c.stream);
    int rc = tlx_store_cursor_get(store, r.poskey, &r.pos);
    if (rc) {
        tlx_log(TLX_LOG_ERROR, "replica: cannot read position", "error=\"%s\"", tlx_strerror(rc));
        return rc;
    }
    natsOptions *o = NULL;
    if ((rc = tlx_publish_nats_options(c.url, "telexd replica", c.creds, c.tls_ca, NULL, NULL, NULL, &o, err,
                                       sizeof err))) {
        tlx_log(TLX_LOG_ERROR, "replica: bad NATS options", "reason=\"%s\"", err);
        return rc;
    }
    natsStatus s = natsConnection_Connect(&r.nc, o);
    natsOptions_Destroy(o);
    if (s != NATS_OK && s != NATS_NOT_YET_CONNECTED) {
        tlx_log(TLX_LOG_ERROR, "replica: cannot connect", "url=%s error=\"%s\"", c.url,
                natsStatus_GetText(s));
        return TLX_EINVAL;
    }
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 2000;
    if (natsConnection_JetStream(&r.js, r.nc, &jo) != NATS_OK) {
        natsConnection_Destroy(r.nc);
        return TLX_ENOMEM;
    }
    tlx_log(TLX_LOG_INFO, "replica: started", "url=%s stream=%s consumer=%s position=%llu", c.url, c.stream,
            c.durable, (unsigned long long)r.pos);
    if (m)
        tlx_metrics_set(m, TLX_G_REPLICA_POSITION, r.pos);
    bool told_ready = false, warned = false;
    int errors = 0;
    rc = 0;
    while (!*stop) {
        if (!r.sub) {
            char why[512] = "";
            if (natsConnection_Status(r.nc) != NATS_CONN_STATUS_CONNECTED)
                snprintf(why, sizeof why, "not connected to %.200s", c.url);
            else if (s_bind(&r, why, sizeof why) == 0) {
                tlx_log(TLX_LOG_INFO, "replica: consumer bound", "stream=%s consumer=%s from=%llu", c.stream,
                        c.durable, (unsigned long long)r.pos + 1);
                warned = false;
                errors = 0;
                if (!told_ready && ready)
                    ready(ctx);
                told_ready = true;
                continue;
            }
            if (!warned)
                tlx_log(TLX_LOG_WARN, "replica: waiting", "reason=\"%s\"", why);
            warned = true;
            s_sleep_ms(&r, 500);
            continue;
        }
        natsMsgList list = {0};
        s = natsSubscription_Fetch(&list, r.sub, c.batch, FETCH_WAIT_MS, NULL);
        if (s == NATS_TIMEOUT)
            continue;
        if (s != NATS_OK) {
            natsMsgList_Destroy(&list);
            if (++errors >= 3) { /* consumer gone (server restarted without its store?) or connection lost */
                tlx_log(TLX_LOG_WARN, "replica: fetch failing, binding again", "error=\"%s\"",
                        natsStatus_GetText(s));
                s_unbind(&r);
            }
            s_sleep_ms(&r, 200);
            continue;
        }
        errors = 0;
        uint64_t newpos = r.pos, applied = 0;
        for (int tries = 0; tries < GROW_TRIES; tries++) {
            rc = s_apply(&r, &list, &newpos, &applied);
            if (rc != TLX_EFULL || tlx_store_grow(store) != 0)
                break;
        }
        if (rc == TLX_EIO || rc == TLX_EFULL || rc == TLX_ESTORE) {
            /* disk full or similar: nothing of the batch is stored or acked; retry after a pause */
            tlx_log(TLX_LOG_ERROR, "replica: store not writable, retrying", "error=\"%s\" detail=\"%s\"",
                    tlx_strerror(rc), tlx_store_errmsg(store));
            natsMsgList_Destroy(&list);
            s_unbind(&r); /* re-deliver from the committed position */
            s_sleep_ms(&r, 1000);
            rc = 0;
            continue;
        }
        if (rc) {
            natsMsgList_Destroy(&list);
            break;
        }
        r.pos = newpos;
        if (list.Count > 0)
            natsMsg_Ack(list.Msgs[list.Count - 1], NULL); /* ack-all: everything up to it */
        natsMsgList_Destroy(&list);
        if (m) {
            tlx_metrics_add(m, TLX_M_REPLICATED, applied);
            tlx_metrics_set(m, TLX_G_REPLICA_POSITION, r.pos);
        }
    }
    s_unbind(&r);
    jsCtx_Destroy(r.js);
    natsConnection_Destroy(r.nc);
    return rc;
}
