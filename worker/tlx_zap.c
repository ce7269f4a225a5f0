/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_zap.c -- ZAP handler for CURVE (see tlx_zap.h).  A thread with a REP
    socket on inproc://zeromq.zap.01; libzmq asks it about every new CURVE
    connection and the front socket only admits those answered "200".
    Rejected: ZMQ_CURVE_SERVER without ZAP (any client with the server's
    public key could connect). */
#include "tlx_zap.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "tlx_log.h"

struct tlx_zap {
    void *zctx, *rep;
    pthread_t thread;
    uint8_t (*keys)[32];
    size_t nkeys;
    atomic_uint_fast64_t admitted, refused;
};

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
        int ok = 0;
        if (n >= 7 && zmq_msg_size(&f[5]) == 5 && memcmp(zmq_msg_data(&f[5]), "CURVE", 5) == 0 &&
            zmq_msg_size(&f[6]) == 32)
            for (size_t i = 0; i < z->nkeys && !ok; i++)
                ok = memcmp(z->keys[i], zmq_msg_data(&f[6]), 32) == 0;
        if (ok)
            atomic_fetch_add(&z->admitted, 1);
        else {
            uint64_t r = atomic_fetch_add(&z->refused, 1) + 1;
            char addr[64];
            snprintf(addr, sizeof addr, "%.*s", n > 3 ? (int)zmq_msg_size(&f[3]) : 0,
                     n > 3 ? (const char *)zmq_msg_data(&f[3]) : "");
            tlx_log(TLX_LOG_WARN, "refused a client: unknown CURVE key", "peer=\"%s\" refused_total=%llu",
                    addr, (unsigned long long)r);
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

tlx_zap_t *tlx_zap_start(void *zctx, const char *allow_file, char *err, size_t errsz)
{
    tlx_zap_t *z = calloc(1, sizeof *z);
    FILE *f = fopen(allow_file, "r");
    if (!z || !f) {
        snprintf(err, errsz, "cannot read the CURVE allow-list %s", allow_file);
        free(z);
        if (f)
            fclose(f);
        return NULL;
    }
    char line[256];
    size_t cap = 0;
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#')
            continue;
        size_t n = strcspn(p, " \t\r\n");
        if (n == 0)
            continue;
        p[n] = '\0';
        if (n != 40) {
            snprintf(err, errsz, "%s: not a 40-character Z85 public key: %.20s...", allow_file, p);
            goto fail;
        }
        if (z->nkeys == cap) {
            cap = cap ? cap * 2 : 16;
            void *k = realloc(z->keys, cap * 32);
            if (!k)
                goto fail;
            z->keys = k;
        }
        if (!zmq_z85_decode(z->keys[z->nkeys], p)) {
            snprintf(err, errsz, "%s: invalid Z85 key", allow_file);
            goto fail;
        }
        z->nkeys++;
    }
    fclose(f);
    f = NULL;
    z->zctx = zctx;
    z->rep = zmq_socket(zctx, ZMQ_REP);
    int zero = 0;
    zmq_setsockopt(z->rep, ZMQ_LINGER, &zero, sizeof zero);
    if (zmq_bind(z->rep, "inproc://zeromq.zap.01") != 0 || pthread_create(&z->thread, NULL, s_run, z) != 0) {
        snprintf(err, errsz, "cannot start the ZAP handler: %s", zmq_strerror(zmq_errno()));
        zmq_close(z->rep);
        goto fail;
    }
    return z;
fail:
    if (f)
        fclose(f);
    free(z->keys);
    free(z);
    return NULL;
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
