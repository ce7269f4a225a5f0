/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_enricher_role.h -- `telexd --role enrich`: enrich threads only,
    connected to a store process's enrich_listen endpoint, no store of
    their own (README "Scale-out").
*/
#ifndef TLX_ENRICHER_ROLE_H
#define TLX_ENRICHER_ROLE_H

#include <signal.h>

#include "tlx_config.h"

/*  Runs `threads` enrich workers (tlx_enricher.h) connected to
    cfg->connect until *stop; each reconnects when the store goes
    silent.  Serves /metrics and /ready (ready while at least one worker
    hears the store); ready(ctx, ok) (may be NULL) tells the start-up result.  0 after a clean stop, or
   TLX_ENOMEM, TLX_ESOCKET (bad endpoint, metrics listener), TLX_EINVAL (text data), logged. */
int tlx_enricher_role_run(const tlx_daemon_cfg_t *cfg, volatile sig_atomic_t *stop,
                          void (*ready)(void *ctx, int ok), void *ctx);

#endif
