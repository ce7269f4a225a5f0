/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_enricher.c -- enrich worker (see tlx_enricher.h).

    One arena per thread, reset per article, so the steady state allocates
    nothing but the packed record.  The envelope travels as the raw frame
    that was stored in the inbox and is decoded again here (cheap, and it
    keeps the job format independent of the envelope's fields).
*/
#include "tlx_enricher.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <zmq.h>

#include "tlx_article.h"
#include "tlx_clock.h"
#include "tlx_deadline.h"
#include "tlx_endian.h"
#include "tlx_log.h"
#include "tlx_mp.h"
#include "tlx_proto.h"
#include "tlx_simhash.h"

/* Envelopes larger than this are processed one at a time per process. */
#define TLX_BIG_ARTICLE ((size_t)1 << 20)
static pthread_mutex_t s_big = PTHREAD_MUTEX_INITIALIZER;

static _Atomic unsigned s_deadline_ms;

void tlx_enricher_set_deadline_ms(unsigned ms)
{
    atomic_store(&s_deadline_ms, ms);
}

/* The writer's hints for a record with a body: fingerprints, candidate
   line keys and, when the job wants them, a sample of its terms. */
static void s_hints(const tlx_enricher_job_t *job, const tlx_record_t *rec, tlx_commit_hints_t *hints)
{
    memcpy(hints->sha256, rec->sha256_bytes, sizeof hints->sha256);
    hints->simhash = rec->simhash;
    /* made with the simhash by the enrich stage, over the same body (the
       stage that set sha256, which these hints require) */
    hints->shingle = rec->shingle;
    for (unsigned b = 0; b < 4; b++)
        tlx_simhash_band_key(rec->simhash, b, hints->bands[b]);
    hints->near_max = TLX_SIMHASH_NEAR;
    hints->verify_max = TLX_SIMHASH_VERIFY;
    hints->has_fp = true;
    hints->line_keys = rec->line_keys; /* learned boilerplate statistics */
    hints->nline_keys = rec->nline_keys;
    if (!job->want_terms || (rec->flags & TLX_FLAG_NOT_ENGLISH))
        return;
    /* made by the keyword stage in its pass over the body (the terms of
       tlx_keywords_terms(), at most TLX_KEYWORDS_DF_TERMS_MAX); NULL when
       the body has none */
    hints->terms = rec->df_terms;
    hints->terms_len = rec->df_terms_len;
}

/* Past the deadline (stopped in stage `cut`, or `took` > limit): fills
   stage and reason and returns 1. */
static int s_timed_out(const char *cut, uint64_t took, unsigned limit, const char **stage,
                       const char **reason)
{
    if (!cut && !(limit && took > limit))
        return 0;
    static __thread char late[160];
    if (cut)
        snprintf(late, sizeof late,
                 "processing was stopped in stage %s after %llu ms; the limit is %u ms (article_timeout_ms)",
                 cut, (unsigned long long)took, limit);
    else
        snprintf(late, sizeof late, "processing took %llu ms; the limit is %u ms (article_timeout_ms)",
                 (unsigned long long)took, limit);
    *stage = "timeout";
    *reason = late;
    return 1;
}

int tlx_enricher_process(const tlx_text_t *text, tlx_arena_t *arena, const tlx_enricher_job_t *job,
                         tlx_enricher_out_t *o)
{
    const void *envbuf = job->env;
    size_t env_len = job->env_len;
    const uint64_t received_at = job->received_at;
    tlx_commit_hints_t *hints = &o->hints;
    const char **stage = &o->stage, **reason = &o->reason;
    char **out = &o->rec;
    size_t *out_len = &o->rec_len;
    memset(hints, 0, sizeof *hints);
    *out = NULL;
    *stage = "decode";
    *reason = "the stored envelope no longer decodes";
    tlx_limits_t lim;
    tlx_limits_default(&lim);
    lim.max_text = (size_t)1 << 40; /* the front enforced the configured limit */
    tlx_envelope_t env;
    tlx_reject_t why;
    char detail[160];
    if (tlx_envelope_decode(envbuf, env_len, &lim, &env, &why, detail, sizeof detail))
        return TLX_EMALFORMED;

#ifdef TLX_TEST_HOOKS
    /* Input-triggered failures for the reliability tests; inert unless the
       process runs with TELEX_TEST_HOOKS=1. */
    static int hooks = -1;
    if (hooks < 0) {
        const char *h = getenv("TELEX_TEST_HOOKS");
        hooks = h && strcmp(h, "1") == 0;
    }
    if (hooks && env.text.len >= 16 && memcmp(env.text.p, "TELEX-TEST-CRASH", 16) == 0)
        abort();
    if (hooks && env.text.len >= 15 && memcmp(env.text.p, "TELEX-TEST-FAIL", 15) == 0) {
        *stage = "test";
        *reason = "failure requested by the TELEX-TEST-FAIL hook";
        return TLX_EINVAL;
    }
    /* a slow article: its pipeline takes 1 s */
    int test_slow = hooks && env.text.len >= 15 && memcmp(env.text.p, "TELEX-TEST-SLOW", 15) == 0;
#endif

    tlx_record_t rec;
    tlx_article_in_t in = {.env = &env,
                           .id = job->id,
                           .id_len = job->id_len,
                           .revision = job->revision,
                           .received_at = received_at,
                           .sources = job->sources,
                           .df = job->df,
                           .learned = job->learned,
                           .scratch = job->scratch,
                           .want_terms = job->want_terms};
    *stage = "pipeline";
    unsigned limit = atomic_load(&s_deadline_ms);
    uint64_t t0 = tlx_mono_ms();
    tlx_deadline_start(limit); /* the long loops of the stages check it (tlx_deadline.h) */
    int rc = tlx_article_record(text, arena, &in, &rec, reason);
#ifdef TLX_TEST_HOOKS
    if (test_slow) {
        struct timespec ts = {1, 0};
        while (nanosleep(&ts, &ts) != 0)
            ;
    }
#endif
    const char *cut = tlx_deadline_stop();
    if (s_timed_out(cut, tlx_mono_ms() - t0, limit, stage, reason))
        return TLX_EAGAIN;
    if (rc)
        return rc;
    if (rec.body_len && rec.sha256[0])
        s_hints(job, &rec, hints);
    *stage = "pack";
    if ((rc = tlx_record_pack(&rec, out, out_len))) {
        *reason = "out of memory";
        return TLX_ENOMEM;
    }
    return 0;
}

_Static_assert(TLX_BOILER_CANDIDATES_MAX == TLX_ELINK_LINES_MAX, "a result carries every candidate line key");

void tlx_enricher_hints_to_wire(const tlx_commit_hints_t *h, tlx_elink_msg_t *m)
{
    m->has_hints = h->has_fp;
    if (!h->has_fp)
        return;
    memcpy(m->hints.sha256, h->sha256, 32);
    m->hints.simhash = h->simhash;
    m->hints.shingle = h->shingle;
    memcpy(m->hints.bands, h->bands, sizeof m->hints.bands);
    m->hints.near_max = (uint8_t)h->near_max;
    m->hints.verify_max = (uint8_t)h->verify_max;
    m->terms = (tlx_bytes_t){h->terms, h->terms ? h->terms_len : 0};
    m->has_lines = h->line_keys != NULL;
    m->nlines = h->nline_keys < TLX_ELINK_LINES_MAX ? h->nline_keys : TLX_ELINK_LINES_MAX;
    if (m->has_lines)
        memcpy(m->lines, h->line_keys, m->nlines * sizeof m->lines[0]);
}

void tlx_enricher_hints_from_wire(const tlx_elink_msg_t *m, tlx_commit_hints_t *h, uint64_t *lines)
{
    memset(h, 0, sizeof *h);
    if (!m->ok || !m->has_hints)
        return;
    memcpy(h->sha256, m->hints.sha256, 32);
    h->simhash = m->hints.simhash;
    h->shingle = m->hints.shingle;
    memcpy(h->bands, m->hints.bands, sizeof h->bands);
    h->near_max = m->hints.near_max;
    h->verify_max = m->hints.verify_max;
    h->has_fp = true;
    if (m->has_lines) {
        memcpy(lines, m->lines, m->nlines * sizeof lines[0]);
        h->line_keys = lines;
        h->nline_keys = m->nlines;
    }
    if (m->terms.len) {
        h->terms = m->terms.p;
        h->terms_len = m->terms.len;
    }
}

/* Encodes m and sends its frames; 0, the codec's code or TLX_ESOCKET. */
static int s_send(void *sock, const tlx_elink_msg_t *m, int flags)
{
    tlx_elink_out_t out;
    int rc = tlx_elink_encode(m, &out);
    if (rc)
        return rc;
    for (int i = 0; i < out.f.n; i++)
        if (zmq_send(sock, out.f.p[i], out.f.len[i], (i + 1 < out.f.n ? ZMQ_SNDMORE : 0) | flags) < 0)
            return TLX_ESOCKET;
    return 0;
}

/* A fresh DEALER with a fresh identity, connected, hello sent. */
static void *s_connect(tlx_enricher_args_t *a)
{
    void *sock = zmq_socket(a->zctx, ZMQ_DEALER);
    if (!sock)
        return NULL;
    int linger = 0;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    if (a->routing_id[0])
        zmq_setsockopt(sock, ZMQ_ROUTING_ID, a->routing_id, strlen(a->routing_id));
    else { /* one identity per socket, so a TCP reconnect (network blip) keeps its jobs */
        uint8_t id[17] = {'r'};
        if (getrandom(id + 1, 16, 0) != 16)
            for (int i = 1; i < 17; i++)
                id[i] = (uint8_t)rand();
        zmq_setsockopt(sock, ZMQ_ROUTING_ID, id, sizeof id);
    }
    if (a->curve_server[0]) { /* the store authenticates us by our public key */
        zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, a->curve_server, 40);
        zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, a->curve_public, 40);
        zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, a->curve_secret, 40);
    }
    if (a->heartbeat_ms) { /* remote: bound what a peer can make us buffer */
        int64_t max = (int64_t)1 << 31;
        zmq_setsockopt(sock, ZMQ_MAXMSGSIZE, &max, sizeof max);
    }
    if (zmq_connect(sock, a->endpoint) != 0) {
        tlx_log(TLX_LOG_ERROR, "enrich worker cannot connect", "endpoint=%s error=\"%s\"", a->endpoint,
                zmq_strerror(zmq_errno()));
        zmq_close(sock);
        return NULL;
    }
    tlx_elink_msg_t hello = {.type = TLX_ELINK_HELLO,
                             .credit = (uint32_t)a->credit,
                             .flags = TLX_ELINK_TOKENS | (a->heartbeat_ms ? TLX_ELINK_HEARTBEATS : 0)};
    s_send(sock, &hello, 0);
    return sock;
}

/* ZeroMQ's free function for a record frame (tlx_record_pack's buffer). */
static void s_free_rec(void *data, void *hint)
{
    (void)hint;
    free(data);
}

/* Sends one result: the record with its hints, or the failure; it echoes
   the job's dispatch token.  The record's buffer becomes its frame as it
   is (o->rec is NULL after the call: ZeroMQ frees it once the writer has
   closed the frame), not a copy of it. */
static void s_send_result(void *sock, uint64_t inbox, uint64_t token, int rc, tlx_enricher_out_t *o)
{
    tlx_elink_msg_t m = {.type = TLX_ELINK_RESULT, .inbox = inbox, .token = token, .ok = rc == 0};
    if (m.ok) {
        m.record = (tlx_bytes_t){o->rec, o->rec_len};
        tlx_enricher_hints_to_wire(&o->hints, &m);
    } else {
        m.stage = (tlx_bytes_t){o->stage, strlen(o->stage)};
        m.reason = (tlx_bytes_t){o->reason, strlen(o->reason)};
    }
    tlx_elink_out_t out;
    if (tlx_elink_encode(&m, &out))
        return;
    for (int i = 0; i < out.f.n; i++) {
        int more = i + 1 < out.f.n ? ZMQ_SNDMORE : 0;
        if (m.ok && i == 1 && o->rec && o->rec_len) { /* frame 1 of a record: the record */
            zmq_msg_t f;
            if (zmq_msg_init_data(&f, o->rec, o->rec_len, s_free_rec, NULL) != 0)
                return;
            o->rec = NULL; /* ZeroMQ's now, even when the send fails (the close frees it) */
            if (zmq_msg_send(&f, sock, more) < 0) {
                zmq_msg_close(&f);
                return;
            }
        } else if (zmq_send(sock, out.f.p[i], out.f.len[i], more) < 0)
            return;
    }
}

/* One job: run the pipeline, answer. */
static void s_job(tlx_enricher_args_t *a, void *sock, tlx_arena_t *arena, tlx_text_scratch_t *scratch,
                  const tlx_elink_msg_t *jm)
{
    uint64_t inbox = jm->inbox;
    tlx_enricher_job_t job = {.env = jm->env.p,
                              .env_len = jm->env.len,
                              .id = jm->id.p,
                              .id_len = jm->id.len,
                              .revision = jm->revision,
                              .received_at = jm->received_at,
                              .scratch = scratch};
    tlx_enricher_out_t out = {.stage = "pipeline", .reason = "out of memory"};
    tlx_dfsnap_t *snap = a->df ? tlx_dfsnap_acquire(a->df) : NULL;
    tlx_sources_t *src = tlx_sources_acquire(a->sources);
    tlx_boilsnap_t *boil = a->learned ? tlx_boilsnap_acquire(a->learned) : NULL;
    job.df = tlx_dfsnap_df(snap);
    job.learned = tlx_boilsnap_learned(boil);
    job.sources = src;
    /* count every article's terms while the corpus is small, then one in 8 */
    job.want_terms = (a->df && tlx_dfsnap_ndocs(snap) < 500) || inbox % 8 == 0;
    /* one large article at a time per process: the pipeline needs ~13x
       an article's size while it runs (~100 MB for 8 MB), so two
       threads on two of them would double telexd's peak */
    int big = job.env_len > TLX_BIG_ARTICLE;
    if (big)
        pthread_mutex_lock(&s_big);
    if (arena)
        tlx_arena_reset(arena);
    int rc = arena ? tlx_enricher_process(a->text, arena, &job, &out) : TLX_ENOMEM;
    tlx_sources_unref(src);
    tlx_dfsnap_release(snap);
    tlx_boilsnap_release(boil);
    s_send_result(sock, inbox, jm->token, rc, &out);
    free(out.rec); /* NULL once sent */
    /* let go of this article now, not when the next one comes: an idle
       thread must not sit on the largest envelope and arena it saw */
    if (arena)
        tlx_arena_reset(arena);
    if (big) /* held until its arena (hints point into it) is let go */
        pthread_mutex_unlock(&s_big);
}

/* Waits for input on a remote link (heartbeats, silence) or for *stop.
   Returns 1 when a message is readable, 0 to look again, TLX_ESOCKET to
   leave (context terminated, or no new socket). */
static int s_wait(tlx_enricher_args_t *a, void **sock, uint64_t *last_in, uint64_t *last_out)
{
    const int hb = a->heartbeat_ms;
    zmq_pollitem_t it = {*sock, 0, ZMQ_POLLIN, 0};
    long wait = hb ? hb : 200;
    if (a->stop && wait > 200)
        wait = 200;
    if (zmq_poll(&it, 1, wait) < 0 && zmq_errno() == ETERM)
        return TLX_ESOCKET;
    uint64_t now = tlx_mono_ms();
    if (hb && now - *last_out >= (uint64_t)hb) {
        s_send(*sock, &(tlx_elink_msg_t){.type = TLX_ELINK_BEAT}, ZMQ_DONTWAIT);
        *last_out = now;
    }
    if (hb && now - *last_in > 5 * (uint64_t)hb) {
        tlx_log(TLX_LOG_WARN, "store silent; reconnecting", "endpoint=%s silent_ms=%llu", a->endpoint,
                (unsigned long long)(now - *last_in));
        if (a->connected)
            atomic_store(a->connected, 0);
        zmq_close(*sock);
        if (!(*sock = s_connect(a)))
            return TLX_ESOCKET;
        *last_in = *last_out = now;
        return 0;
    }
    return (it.revents & ZMQ_POLLIN) ? 1 : 0;
}

void *tlx_enricher_main(void *arg)
{
    tlx_enricher_args_t *a = arg;
    void *sock = s_connect(a);
    if (!sock)
        return NULL;
    tlx_arena_t *arena = tlx_arena_new(1 << 20);
    /* kept across jobs (NULL: each article makes its own) */
    tlx_text_scratch_t *scratch = a->text ? tlx_text_scratch_new() : NULL;
    const int hb = a->heartbeat_ms;
    uint64_t last_in = tlx_mono_ms(), last_out = last_in;

    zmq_msg_t parts[5];
    for (int i = 0; i < 5; i++)
        zmq_msg_init(&parts[i]);
    for (;;) {
        if (a->stop && atomic_load(a->stop)) {
            int linger = 500; /* let "D" leave before the socket closes */
            zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
            /* leaving: the store re-dispatches at once */
            s_send(sock, &(tlx_elink_msg_t){.type = TLX_ELINK_LEAVE}, ZMQ_DONTWAIT);
            break;
        }
        if (hb || a->stop) {
            int w = s_wait(a, &sock, &last_in, &last_out);
            if (w < 0)
                break;
            if (w == 0)
                continue;
        }
        int n = 0, more = 1;
        while (more) {
            zmq_msg_t *m = &parts[n < 5 ? n : 4];
            if (zmq_msg_recv(m, sock, 0) < 0)
                goto done; /* context terminated */
            more = zmq_msg_more(m);
            n++;
        }
        last_in = tlx_mono_ms();
        if (a->connected)
            atomic_store(a->connected, 1);
        tlx_elink_frames_t fr = {.n = n};
        for (int i = 0; i < 5; i++) {
            fr.p[i] = zmq_msg_data(&parts[i]);
            fr.len[i] = zmq_msg_size(&parts[i]);
        }
        tlx_elink_msg_t m;
        int bad = tlx_elink_decode(&fr, 0, &m);
        if (fr.len[0] < 1 || (!bad && m.type == TLX_ELINK_STOP && !hb))
            break;
        if (!bad && (m.type == TLX_ELINK_WHO || m.type == TLX_ELINK_STOP)) {
            /* the store does not know us (it restarted): start over */
            zmq_close(sock);
            if (!(sock = s_connect(a)))
                break;
            continue;
        }
        if (!bad && m.type == TLX_ELINK_JOB) { /* else a heartbeat, or not understood */
            s_job(a, sock, arena, scratch, &m);
            last_out = tlx_mono_ms();
        }
        for (int i = 0; i < 5; i++) {
            zmq_msg_close(&parts[i]);
            zmq_msg_init(&parts[i]);
        }
    }
done:
    if (a->connected)
        atomic_store(a->connected, 0);
    for (int i = 0; i < 5; i++)
        zmq_msg_close(&parts[i]);
    tlx_arena_destroy(&arena);
    tlx_text_scratch_destroy(&scratch);
    if (sock)
        zmq_close(sock);
    return NULL;
}
