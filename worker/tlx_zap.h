/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_zap.h -- CURVE client authentication for the front socket: a ZAP
    handler (ZeroMQ RFC 27) that admits the client public keys of an
    allow-list file and refuses, and counts, every other key.

    Keys are Z85 text (40 characters), as written by `telex keygen`.  The
    allow-list has one public key per line; lines starting with '#' are
    comments (not '#' elsewhere: it is a Z85 digit).  Keys are
    never logged.
*/
#ifndef TLX_ZAP_H
#define TLX_ZAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct tlx_zap tlx_zap_t;

/*  Loads the allow-list and starts the handler thread on `zctx` (binds
    inproc://zeromq.zap.01).  NULL on failure with a sentence in err. */
tlx_zap_t *tlx_zap_start(void *zctx, const char *allow_file, char *err, size_t errsz);

/*  Stops the thread (before zmq_ctx_term); nulls *self_p; safe twice. */
void tlx_zap_stop(tlx_zap_t **self_p);

/*  Clients admitted / refused so far. */
uint64_t tlx_zap_admitted(const tlx_zap_t *self);
uint64_t tlx_zap_refused(const tlx_zap_t *self);

#endif
