/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_error.h -- error codes shared by every telex module.

    Every fallible telex function returns 0 on success or one of the negative
    codes below; results travel through out-parameters.  Three kinds of
    failure (see STYLE.md): programming errors assert; bad input returns
    TLX_EMALFORMED / TLX_ETOOBIG and is counted and answered; resource errors
    (TLX_ENOMEM, TLX_EFULL, TLX_ESTORE, TLX_EIO) propagate to the one loop
    that decides whether to retry, back off or exit.

    This header has no link-time dependency, so worker/text (which depends on
    nothing) may include it.  tlx_strerror() lives in libtlx_proto.
*/
#ifndef TLX_ERROR_H
#define TLX_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum {
    TLX_OK = 0,
    TLX_EMALFORMED = -1, /* input is not what the contract says       */
    TLX_ETOOBIG = -2,    /* input exceeds a configured limit          */
    TLX_ENOMEM = -3,     /* allocation failed                         */
    TLX_EAGAIN = -4,     /* try again later (busy, timeout)           */
    TLX_ESTORE = -5,     /* LMDB reported an error                    */
    TLX_ENOTFOUND = -6,  /* no such id / seq / key                    */
    TLX_EFULL = -7,      /* disk or map full and cannot grow          */
    TLX_EIO = -8,        /* operating-system I/O error (see errno)    */
    TLX_ESCHEMA = -9,    /* store schema version does not match       */
    TLX_EINVAL = -10,    /* bad argument or configuration             */
    TLX_ESOCKET = -11,   /* ZeroMQ reported an error                  */
    TLX_ECORRUPT = -12,  /* the store is damaged (truncated, bad pages) */
    TLX_EBUSY = -13,     /* the store is in use by another writer     */
};

/*  Returns a static, human-readable sentence for a TLX_E* code. */
const char *tlx_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
