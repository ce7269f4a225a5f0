/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_pool.c -- local enrich threads (see tlx_pool.h).

    A fixed array of 64 slots: the option's maximum.  A retiring thread is
    told "X" only when nothing of it is in flight, so no article waits for
    a thread that is gone.
*/
#include "tlx_pool.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tlx_enricher.h"
#include "tlx_link.h"
#include "tlx_log.h"

#define POOL_MAX 64
/* Jobs a local thread holds.  Remote workers ask for 16 (a network round
   trip per batch); an inproc queue costs nothing to keep deep, and the
   deeper it is the more results one commit (one fsync) covers when the
   articles are cheap.  Memory stays bounded by the dispatcher's byte cap
   (TLX_DISPATCH_WORKER_BYTES), not by this count. */
#define POOL_CREDIT 128

typedef struct {
    pthread_t tid;
    tlx_enricher_args_t args;
    int running;
} thread_t;

struct tlx_pool {
    thread_t v[POOL_MAX];
    int n;    /* started (running or retiring) */
    int want; /* target count */
    const tlx_text_t *text;
    tlx_text_t *owned; /* loaded on reload when the daemon started without local threads */
};

int tlx_pool_spawn(pthread_t *tid, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(tid, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int tlx_pool_target(const tlx_daemon_cfg_t *cfg)
{
    int n = cfg->threads;
    if (n <= 0)
        n = cfg->role == TLX_ROLE_STORE ? 0 : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (cfg->threads <= 0 && cfg->role != TLX_ROLE_STORE && n < 1)
        n = 1;
    return n > POOL_MAX ? POOL_MAX : n;
}

tlx_pool_t *tlx_pool_new(const tlx_text_t *text)
{
    tlx_pool_t *self = calloc(1, sizeof *self);
    if (self)
        self->text = text;
    return self;
}

/* Local enrich threads run this much below the process's nice level
   (per thread, Linux; at most 19): the engine thread shares the cores
   with them, and every ack waits for it.  At one level, a woken engine
   thread could queue behind a busy enrich thread's time slice; below it,
   the enrich threads take the cycles it leaves.  Ack latency, bench_e2e
   --rate 1200 on a loaded 2-core machine, same level / this, alternated:
   p50 19/14, 24/7, 31/12 ms; p99 143/87, 76/68, 341/70 ms.  Best effort:
   a thread that cannot lower itself runs at the process's level. */
#define POOL_NICE 10

static void *s_enrich_main(void *arg)
{
    id_t tid = (id_t)syscall(SYS_gettid);
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, tid) + POOL_NICE; /* -1 with errno 0 is a level */
    if (errno == 0 && setpriority(PRIO_PROCESS, tid, nice < 19 ? nice : 19) != 0)
        tlx_log(TLX_LOG_DEBUG, "cannot lower an enrich thread's priority", "error=\"%s\"", strerror(errno));
    return tlx_enricher_main(arg);
}

/* Starts threads up to `want`. */
static int s_grow(tlx_engine_t *e, tlx_pool_t *t)
{
    while (t->n < t->want) {
        thread_t *th = &t->v[t->n];
        memset(th, 0, sizeof *th);
        th->args = (tlx_enricher_args_t){.zctx = e->zctx,
                                         .text = t->text,
                                         .credit = POOL_CREDIT,
                                         .index = t->n,
                                         .df = &e->df,
                                         .sources = &e->sources,
                                         .learned = &e->boil};
        snprintf(th->args.endpoint, sizeof th->args.endpoint, "%s", e->back_ep);
        snprintf(th->args.routing_id, sizeof th->args.routing_id, "local-%d", t->n);
        if (tlx_pool_spawn(&th->tid, s_enrich_main, &th->args) != 0)
            return TLX_ENOMEM;
        th->running = 1;
        t->n++;
    }
    return 0;
}

int tlx_pool_start(tlx_engine_t *e)
{
    e->pool->want = tlx_pool_target(e->cfg);
    return s_grow(e, e->pool);
}

static int s_find(tlx_engine_t *e, const thread_t *th)
{
    return tlx_dispatch_find(e->disp, (const uint8_t *)th->args.routing_id, strlen(th->args.routing_id));
}

void tlx_pool_shrink(tlx_engine_t *e)
{
    tlx_pool_t *t = e->pool;
    while (t->n > t->want) {
        thread_t *th = &t->v[t->n - 1];
        int w = s_find(e, th);
        if (w >= 0) {
            if (!tlx_dispatch_retire(e->disp, w))
                return; /* busy: look again next turn */
            tlx_link_stop_worker(e, w, 1);
            tlx_dispatch_remove(e->disp, w, 1);
        } else if (th->running) {
            return; /* not said hello yet */
        }
        pthread_join(th->tid, NULL);
        th->running = 0;
        t->n--;
    }
}

int tlx_pool_reload(tlx_engine_t *e)
{
    tlx_pool_t *t = e->pool;
    const tlx_daemon_cfg_t *c = e->cfg;
    t->want = tlx_pool_target(c);
    if (t->want > 0 && !t->text && !c->null_pipeline) { /* role store started without local threads */
        const char *terr = NULL;
        if (!(t->text = t->owned = tlx_text_new(c->datadir[0] ? c->datadir : NULL, &terr))) {
            tlx_log(TLX_LOG_ERROR, "cannot load the text pipeline; no local enrich threads", "error=\"%s\"",
                    terr ? terr : "?");
            t->want = 0;
        }
    }
    for (int i = 0; i < t->n && i < t->want; i++) { /* lowered, then raised again before they left */
        int w = s_find(e, &t->v[i]);
        if (w >= 0)
            tlx_dispatch_unretire(e->disp, w);
    }
    if (s_grow(e, t))
        tlx_log(TLX_LOG_ERROR, "cannot start enrich threads", "wanted=%d running=%d", t->want, t->n);
    return t->want;
}

int tlx_pool_join(tlx_pool_t *t, int stuck)
{
    for (int i = 0; t && i < t->n; i++) {
        if (!t->v[i].running)
            continue;
        if (stuck) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            if (pthread_timedjoin_np(t->v[i].tid, NULL, &ts) != 0)
                return TLX_EAGAIN;
        } else
            pthread_join(t->v[i].tid, NULL);
        t->v[i].running = 0;
    }
    return 0;
}

void tlx_pool_destroy(tlx_pool_t **self_p)
{
    tlx_pool_t *self = *self_p;
    if (!self)
        return;
    tlx_text_destroy(&self->owned);
    free(self);
    *self_p = NULL;
}
