/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_zap.c -- ZAP handler for CURVE (see tlx_zap.h).  A thread with a REP
    socket on inproc://zeromq.zap.01; libzmq asks it about every new CURVE
    connection and a socket only admits those answered "200".  The keys
    are a flat table of (domain, key), searched linearly under a mutex: a
    handshake is rare, the lists are short, and a list may be added while
    the thread runs (the enrich link opens after the front).
    Rejected: ZMQ_CURVE_SERVER without ZAP (any client with the server's
    public key could connect). */
#include "tlx_zap.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "tlx_error.h"
#include "tlx_log.h"

typedef struct {
    char domain[32];
    uint8_t key[32];
} entry_t;

struct tlx_zap {
    void *zctx, *rep;
    pthread_t thread;
    pthread_mutex_t mu; /* guards keys */
    entry_t *keys;
    size_t nkeys, cap;
    atomic_uint_fast64_t admitted, refused;
};

static int s_allowed(tlx_zap_t *z, const zmq_msg_t *domain, const zmq_msg_t *key)
{
    int ok = 0;
    size_t dl = zmq_msg_size(domain);
    pthread_mutex_lock(&z->mu);
    for (size_t i = 0; i < z->nkeys && !ok; i++)
        ok = strlen(z->keys[i].domain) == dl &&
             memcmp(z->keys[i].domain, zmq_msg_data((zmq_msg_t *)domain), dl) == 0 &&
             memcmp(z->keys[i].key, zmq_msg_data((zmq_msg_t *)key), 32) == 0;
    pthread_mutex_unlock(&z->mu);
    return ok;
}

static void *s_run(void *arg)
{
    tlx_zap_t *z = arg;
    for (;;) {
        zmq_msg_t f[7];
        int n = 0, more = 1;
        for (int i = 0; i < 7; i++)
            zmq_msg_init(&f[i]);
        while (more) {
            zmq_msg_t *m = &f[n < 7 ? n : 6];
            if (zmq_msg_recv(m, z->rep, 0) < 0) {
                for (int i = 0; i < 7; i++)
                    zmq_msg_close(&f[i]);
                return NULL; /* context terminated or socket closed */
            }
            more = zmq_msg_more(m);
            n++;
        }
        /* version, request id, domain, address, identity, mechanism, credentials */
        int ok = n >= 7 && zmq_msg_size(&f[5]) == 5 && memcmp(zmq_msg_data(&f[5]), "CURVE", 5) == 0 &&
                 zmq_msg_size(&f[6]) == 32 && s_allowed(z, &f[2], &f[6]);
        if (ok)
            atomic_fetch_add(&z->admitted, 1);
        else {
            uint64_t r = atomic_fetch_add(&z->refused, 1) + 1;
            char addr[64], dom[40];
            snprintf(addr, sizeof addr, "%.*s", n > 3 ? (int)zmq_msg_size(&f[3]) : 0,
                     n > 3 ? (const char *)zmq_msg_data(&f[3]) : "");
            snprintf(dom, sizeof dom, "%.*s", n > 2 ? (int)zmq_msg_size(&f[2]) : 0,
                     n > 2 ? (const char *)zmq_msg_data(&f[2]) : "");
            tlx_log(TLX_LOG_WARN, "refused a client: unknown CURVE key",
                    "domain=\"%s\" peer=\"%s\" refused_total=%llu", dom, addr, (unsigned long long)r);
        }
        zmq_send(z->rep, "1.0", 3, ZMQ_SNDMORE);
        zmq_send(z->rep, n > 1 ? zmq_msg_data(&f[1]) : "", n > 1 ? zmq_msg_size(&f[1]) : 0, ZMQ_SNDMORE);
        zmq_send(z->rep, ok ? "200" : "400", 3, ZMQ_SNDMORE);
        zmq_send(z->rep, ok ? "OK" : "unknown key", ok ? 2 : 11, ZMQ_SNDMORE);
        zmq_send(z->rep, "", 0, ZMQ_SNDMORE);
        zmq_send(z->rep, "", 0, 0);
        for (int i = 0; i < 7; i++)
            zmq_msg_close(&f[i]);
    }
}

/* Reads allow_file into a fresh array of entries for `domain`. */
static int s_load(const char *domain, const char *allow_file, entry_t **out, size_t *nout, char *err,
                  size_t errsz)
{
    *out = NULL;
    *nout = 0;
    FILE *f = fopen(allow_file, "r");
    if (!f) {
        snprintf(err, errsz, "cannot read the CURVE allow-list %s", allow_file);
        return TLX_EINVAL;
    }
    entry_t *v = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    char line[256];
    while (!rc && fgets(line, sizeof line, f)) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#')
            continue;
        size_t l = strcspn(p, " \t\r\n");
        if (l == 0)
            continue;
        p[l] = '\0';
        if (l != 40) {
            snprintf(err, errsz, "%s: not a 40-character Z85 public key: %.20s...", allow_file, p);
            rc = TLX_EINVAL;
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            entry_t *g = realloc(v, cap * sizeof *v);
            if (!g) {
                snprintf(err, errsz, "out of memory");
                rc = TLX_ENOMEM;
                break;
            }
            v = g;
        }
        snprintf(v[n].domain, sizeof v[n].domain, "%s", domain);
        if (!zmq_z85_decode(v[n].key, p)) {
            snprintf(err, errsz, "%s: invalid Z85 key", allow_file);
            rc = TLX_EINVAL;
            break;
        }
        n++;
    }
    fclose(f);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    *nout = n;
    return 0;
}

static tlx_zap_t *s_start(void *zctx, char *err, size_t errsz)
{
    tlx_zap_t *z = calloc(1, sizeof *z);
    if (!z) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&z->mu, NULL);
    z->zctx = zctx;
    z->rep = zmq_socket(zctx, ZMQ_REP);
    int zero = 0;
    if (z->rep)
        zmq_setsockopt(z->rep, ZMQ_LINGER, &zero, sizeof zero);
    if (!z->rep || zmq_bind(z->rep, "inproc://zeromq.zap.01") != 0 ||
        pthread_create(&z->thread, NULL, s_run, z) != 0) {
        snprintf(err, errsz, "cannot start the ZAP handler: %s", zmq_strerror(zmq_errno()));
        if (z->rep)
            zmq_close(z->rep);
        pthread_mutex_destroy(&z->mu);
        free(z);
        return NULL;
    }
    return z;
}

int tlx_zap_enable(void *zctx, tlx_zap_t **zp, const char *domain, const char *allow_file, char *err,
                   size_t errsz)
{
    if (strlen(domain) >= sizeof((entry_t *)0)->domain) {
        snprintf(err, errsz, "ZAP domain too long: %s", domain);
        return TLX_EINVAL;
    }
    entry_t *v;
    size_t n;
    int rc = s_load(domain, allow_file, &v, &n, err, errsz);
    if (rc)
        return rc;
    tlx_zap_t *z = *zp ? *zp : s_start(zctx, err, errsz);
    if (!z) {
        free(v);
        return TLX_ESOCKET;
    }
    pthread_mutex_lock(&z->mu);
    if (z->nkeys + n > z->cap) {
        size_t cap = z->nkeys + n;
        entry_t *g = realloc(z->keys, (cap ? cap : 1) * sizeof *g);
        if (!g) {
            pthread_mutex_unlock(&z->mu);
            free(v);
            if (!*zp)
                tlx_zap_stop(&z);
            snprintf(err, errsz, "out of memory");
            return TLX_ENOMEM;
        }
        z->keys = g;
        z->cap = cap;
    }
    if (n)
        memcpy(z->keys + z->nkeys, v, n * sizeof *v);
    z->nkeys += n;
    pthread_mutex_unlock(&z->mu);
    free(v);
    *zp = z;
    return 0;
}

void tlx_zap_stop(tlx_zap_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_zap_t *z = *self_p;
    /* A socket may not be closed from another thread: shutting the context
       down makes the handler's blocked recv return ETERM.  The daemon calls
       this last, right before zmq_ctx_term. */
    zmq_ctx_shutdown(z->zctx);
    pthread_join(z->thread, NULL);
    zmq_close(z->rep);
    pthread_mutex_destroy(&z->mu);
    free(z->keys);
    free(z);
    *self_p = NULL;
}

uint64_t tlx_zap_admitted(const tlx_zap_t *self)
{
    return self ? atomic_load(&((tlx_zap_t *)self)->admitted) : 0;
}

uint64_t tlx_zap_refused(const tlx_zap_t *self)
{
    return self ? atomic_load(&((tlx_zap_t *)self)->refused) : 0;
}
