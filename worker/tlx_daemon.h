/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_daemon.h -- telexd's engine: configuration and the one entry point.

    One thread (the caller of tlx_daemon_run) owns the ROUTER front socket
    (tlx_front.h), the LMDB store (it is the one writer, tlx_writer.h) and
    the enrich link's ROUTER (tlx_link.h) that enrich threads (tlx_pool.h)
    connect to over inproc.  Each loop turn it drains what is readable
    (envelopes and enrich results), applies it in one write txn (group
    commit), and only after the commit sends the acks, the `committed`
    notifications and the next jobs (tlx_dispatch.h chooses them).

    Enrich threads run the pure text pipeline; they receive jobs and return
    records over the internal enrich protocol (proto/PROTOCOL.md, section 5),
    with credit-based flow control.
*/
#ifndef TLX_DAEMON_H
#define TLX_DAEMON_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "tlx_config.h"

#ifdef __cplusplus
extern "C" {
#endif

/*  What the caller of tlx_daemon_run plugs in.  Only `stop` is required. */
typedef struct {
    /* Set non-zero (from a signal handler) to stop: the daemon drains, at
       most drain_ms, and returns. */
    volatile sig_atomic_t *stop;
    /* SIGHUP: when *reload is non-zero the daemon clears it and calls
       load(ctx) from its own thread; load returns the new configuration
       (the daemon copies what it uses; options that need a restart are
       left as they are, with a warning) or NULL to keep the running one
       (load logs why).  Both may be NULL: no reload. */
    volatile sig_atomic_t *reload;
    const tlx_daemon_cfg_t *(*load)(void *ctx);
    /* Called once when the sockets are bound and the store is open (ok=1),
       or when start-up failed (ok=0): tells systemd's parent or the
       parent of --daemon.  May be NULL. */
    void (*ready)(void *ctx, int ok);
    void *ctx;
} tlx_daemon_hooks_t;

/*  Runs the role cfg->role asks for until *hooks->stop: all and store run
    the engine (front, writer, dispatch, local enrich threads); enrich runs
    enrich threads connected to cfg->connect (tlx_enricher_role.h).
    Returns 0 after a clean stop, or a negative TLX_E* code when it cannot
    start (store, sockets, text data), after logging why.  Blocks the
    calling thread.  Only one daemon per store. */
int tlx_daemon_run(const tlx_daemon_cfg_t *cfg, const tlx_daemon_hooks_t *hooks);

/*  Sets the logger from cfg: level, format, syslog, rate limit. */
void tlx_daemon_apply_logging(const tlx_daemon_cfg_t *cfg);

#ifdef __cplusplus
}
#endif
#endif
