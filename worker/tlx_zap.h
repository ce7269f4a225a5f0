/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_zap.h -- CURVE client authentication: a ZAP handler (ZeroMQ RFC 27)
    that admits the client public keys of an allow-list file per ZAP
    domain and refuses, and counts, every other key.

    One handler serves a ZeroMQ context (libzmq asks inproc://zeromq.zap.01),
    so the sockets of one process that use CURVE tell it who they are by
    their ZMQ_ZAP_DOMAIN: the front ("telex": producers) and the enrich
    link ("telex-enrich": remote enrich workers) each admit their own list.

    Keys are Z85 text (40 characters), as written by `telex keygen`.  An
    allow-list has one public key per line; lines starting with '#' are
    comments (not '#' elsewhere: it is a Z85 digit).  Keys are never
    logged.
*/
#ifndef TLX_ZAP_H
#define TLX_ZAP_H

#include <stddef.h>
#include <stdint.h>

#define TLX_ZAP_FRONT "telex"         /* ZAP domain of the producers' front socket */
#define TLX_ZAP_ENRICH "telex-enrich" /* ZAP domain of the enrich link (role store) */

typedef struct tlx_zap tlx_zap_t;

/*  Admits the keys listed in allow_file on sockets of ZAP domain `domain`
    (at most 31 bytes), starting the handler thread on `zctx` first when
    *zp is NULL (binds inproc://zeromq.zap.01).  Returns 0, or TLX_EINVAL
    (unreadable list, a line that is not a key), TLX_ENOMEM or TLX_ESOCKET
    with a sentence in err; *zp is then unchanged. */
int tlx_zap_enable(void *zctx, tlx_zap_t **zp, const char *domain, const char *allow_file, char *err,
                   size_t errsz);

/*  Stops the thread (before zmq_ctx_term); nulls *self_p; safe twice. */
void tlx_zap_stop(tlx_zap_t **self_p);

/*  Clients admitted / refused so far, all domains (0 for NULL). */
uint64_t tlx_zap_admitted(const tlx_zap_t *self);
uint64_t tlx_zap_refused(const tlx_zap_t *self);

#endif
