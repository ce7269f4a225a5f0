/* SPDX-License-Identifier: Apache-2.0 */
/*  ref_server -- the smallest server that speaks telex's producer protocol
    durably: a ROUTER front, envelopes decoded with proto/, each one put into
    an LMDB `inbox` (MDB_APPEND), one group commit (fsync) per turn of at
    most 256 envelopes or 2 ms, then the acks.  No text processing, no
    dedup, no indexes, no dispatch, no metrics.

    It exists only so that `make bench` can print telexd's null pipeline as
    a ratio of what the transport and the durable commit cost by themselves:
    the gap between the two is telexd's own plumbing.  Never used in tests
    or in production.

    usage: ref_server --listen EP --store DIR
    Stops on SIGTERM/SIGINT.
*/
#include <errno.h>
#include <lmdb.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zmq.h>

#include "tlx_clock.h"
#include "tlx_endian.h"
#include "tlx_proto.h"

#define TURN_MAX 256
#define TURN_MS 2

typedef struct {
    uint8_t rid[256];
    size_t rid_len;
    zmq_msg_t msg;
    int delim;
    uint64_t seq;
    int status;
    tlx_reject_t reason;
} in_t;

static volatile sig_atomic_t s_stop;
static void s_on_signal(int sig)
{
    (void)sig;
    s_stop = 1;
}

/* One producer message: [identity][optional empty delimiter][envelope]. */
static int s_read(void *front, in_t *m)
{
    int rc = zmq_recv(front, m->rid, sizeof m->rid, ZMQ_DONTWAIT);
    if (rc < 0)
        return -1;
    m->rid_len = (size_t)rc;
    m->delim = 0;
    zmq_msg_init(&m->msg);
    for (;;) {
        if (zmq_msg_recv(&m->msg, front, 0) < 0)
            return -1;
        if (!zmq_msg_more(&m->msg))
            return 0;
        m->delim = 1; /* an empty delimiter (REQ/DEALER-with-delimiter peers) */
    }
}

static void s_ack(void *front, const in_t *m, const char *id)
{
    tlx_ack_t ack = {.v = TLX_PROTO_VERSION, .seq = m->seq, .status = m->status};
    if (m->status == TLX_ACK_ACCEPTED)
        ack.id = (tlx_bytes_t){id, strlen(id)};
    else {
        const char *r = tlx_reject_name(m->reason);
        ack.error = (tlx_bytes_t){r, strlen(r)};
    }
    tlx_buf_t b = TLX_BUF_INIT;
    if (tlx_ack_encode(&ack, &b) == 0) {
        zmq_send(front, m->rid, m->rid_len, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        if (m->delim)
            zmq_send(front, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        zmq_send(front, b.data, b.len, ZMQ_DONTWAIT);
    }
    tlx_buf_free(&b);
}

int main(int argc, char **argv)
{
    const char *ep = NULL, *dir = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--listen") == 0)
            ep = argv[i + 1];
        else if (strcmp(argv[i], "--store") == 0)
            dir = argv[i + 1];
    }
    if (!ep || !dir) {
        fprintf(stderr, "usage: ref_server --listen EP --store DIR\n");
        return 2;
    }
    signal(SIGTERM, s_on_signal);
    signal(SIGINT, s_on_signal);

    MDB_env *env;
    MDB_dbi inbox;
    MDB_txn *txn;
    mkdir(dir, 0700);
    if (mdb_env_create(&env) || mdb_env_set_mapsize(env, (size_t)4 << 30) || mdb_env_set_maxdbs(env, 4) ||
        mdb_env_open(env, dir, 0, 0600) || mdb_txn_begin(env, NULL, 0, &txn) ||
        mdb_dbi_open(txn, "inbox", MDB_CREATE, &inbox) || mdb_txn_commit(txn)) {
        fprintf(stderr, "ref_server: cannot open store %s\n", dir);
        return 1;
    }

    void *zctx = zmq_ctx_new();
    void *front = zmq_socket(zctx, ZMQ_ROUTER);
    int hwm = 1000;
    zmq_setsockopt(front, ZMQ_RCVHWM, &hwm, sizeof hwm);
    if (zmq_bind(front, ep) != 0) {
        fprintf(stderr, "ref_server: cannot listen on %s: %s\n", ep, zmq_strerror(errno));
        return 1;
    }

    tlx_limits_t lim;
    tlx_limits_default(&lim);
    static in_t turn[TURN_MAX];
    uint64_t next = 1;
    while (!s_stop) {
        zmq_pollitem_t pi = {front, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&pi, 1, 100) <= 0)
            continue;
        int n = 0;
        uint64_t t0 = tlx_mono_ms();
        while (n < TURN_MAX && tlx_mono_ms() - t0 < TURN_MS && s_read(front, &turn[n]) == 0)
            n++;
        if (n == 0)
            continue;
        if (mdb_txn_begin(env, NULL, 0, &txn) != 0)
            return 1;
        for (int i = 0; i < n; i++) {
            in_t *m = &turn[i];
            tlx_envelope_t e;
            char detail[128];
            m->status = TLX_ACK_ACCEPTED;
            if (tlx_envelope_decode(zmq_msg_data(&m->msg), zmq_msg_size(&m->msg), &lim, &e, &m->reason,
                                    detail, sizeof detail) != 0) {
                m->status = TLX_ACK_REJECTED;
                m->seq = 0;
                continue;
            }
            m->seq = e.seq;
            uint8_t key[8];
            tlx_put_be(key, next++, 8);
            MDB_val k = {8, key}, v = {zmq_msg_size(&m->msg), zmq_msg_data(&m->msg)};
            if (mdb_put(txn, inbox, &k, &v, MDB_APPEND) != 0)
                return 1;
        }
        if (mdb_txn_commit(txn) != 0) /* fsync: durable before the acks */
            return 1;
        for (int i = 0; i < n; i++) {
            char id[32];
            snprintf(id, sizeof id, "ref-%llu", (unsigned long long)turn[i].seq);
            s_ack(front, &turn[i], id);
            zmq_msg_close(&turn[i].msg);
        }
    }
    zmq_close(front);
    zmq_ctx_term(zctx);
    mdb_env_close(env);
    return 0;
}
