/*  tlx_daemon.h -- telexd's engine: front, writer, dispatcher, enrich threads.

    One thread (the caller of tlx_daemon_run) owns the ROUTER front socket,
    the LMDB store (it is the one writer) and the dispatch ROUTER that enrich
    threads connect to over inproc.  Each loop turn it drains what is
    readable (envelopes and enrich results, at most 256 of each), applies it
    in one write txn (group commit), and only after the commit sends the
    acks, the `committed` notifications and the next jobs.  See the design
    comment in tlx_daemon.c for why the front and the writer share a thread.

    Enrich threads run the pure text pipeline; they receive jobs and return
    records over the internal enrich protocol (proto/PROTOCOL.md, section 5),
    with credit-based flow control.
*/
#ifndef TLX_DAEMON_H
#define TLX_DAEMON_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "tlx_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_MAX_LISTEN 8

typedef struct {
    char store[4096];
    char listen[TLX_MAX_LISTEN][512];
    int nlisten;
    char notify[512];   /* PUB endpoint for "committed <seq> <id>"; "" = ipc in the store dir; "none" = off */
    int threads;        /* enrich threads; 0 = number of cores */
    int credit;         /* jobs in flight per enrich thread; default 16 */
    int max_attempts;   /* K: dispatches before an article goes to the dead letters; default 3 */
    int drain_ms;       /* SIGTERM: wait this long for in-flight articles; default 10000 */
    size_t map_size;    /* initial LMDB map size; 0 = default (1 GiB) */
    size_t map_max;     /* 0 = default (1 TiB) */
    int hwm;            /* ZeroMQ high-water marks; default 10000 */
    tlx_limits_t limits;
    char datadir[4096]; /* "" = default search path */
    int null_pipeline;  /* benchmark baseline: store the raw text, skip the text pipeline */
    int reader_check_ms; /* clear reader slots of dead processes this often; default 60000 */
    char curve_secret[4096]; /* server secret key file: enables CURVE on the front ("" = off) */
    char curve_allow[4096];  /* client public keys admitted (required with curve_secret) */
} tlx_daemon_cfg_t;

/*  Fills defaults: store from $TELEX_STORE or ./telex-data, listen from
    $TELEX_ENDPOINT or tcp://127.0.0.1:5555. */
void tlx_daemon_cfg_default(tlx_daemon_cfg_t *cfg);

/*  Runs until *stop becomes non-zero (set it from a signal handler), then
    drains (at most drain_ms) and returns 0; or returns a negative TLX_E*
    code when it cannot start (store, sockets), after logging why.
    Blocks the calling thread.  Only one daemon per store. */
int tlx_daemon_run(const tlx_daemon_cfg_t *cfg, volatile sig_atomic_t *stop);

#ifdef __cplusplus
}
#endif
#endif
