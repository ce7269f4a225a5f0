/*  tlx_enricher_role.h -- `telexd --role enrich`: enrich threads only,
    connected to a store process's enrich_listen endpoint, no store of
    their own (README "Scale-out").
*/
#ifndef TLX_ENRICHER_ROLE_H
#define TLX_ENRICHER_ROLE_H

#include "tlx_daemon.h"

/*  Runs `threads` enrich workers (tlx_enricher.h) connected to
    cfg->connect until *hooks->stop; each reconnects when the store goes
    silent.  Serves /metrics and /ready (ready while at least one worker
    hears the store).  0 after a clean stop, or TLX_ENOMEM, TLX_ESOCKET
    (bad endpoint, metrics listener), TLX_EINVAL (text data), logged. */
int tlx_enricher_role_run(const tlx_daemon_cfg_t *cfg, const tlx_daemon_hooks_t *hooks);

#endif
