/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_error.c -- sentences for the TLX_E* codes. */
#include "tlx_error.h"

const char *tlx_strerror(int code)
{
    switch (code) {
    case TLX_OK:
        return "success";
    case TLX_EMALFORMED:
        return "malformed input";
    case TLX_ETOOBIG:
        return "input exceeds a limit";
    case TLX_ENOMEM:
        return "out of memory";
    case TLX_EAGAIN:
        return "busy, try again later";
    case TLX_ESTORE:
        return "store error";
    case TLX_ENOTFOUND:
        return "not found";
    case TLX_EFULL:
        return "store full (disk or map) and cannot grow";
    case TLX_EIO:
        return "I/O error";
    case TLX_ESCHEMA:
        return "store schema version mismatch";
    case TLX_EINVAL:
        return "invalid argument";
    case TLX_ESOCKET:
        return "socket error";
    case TLX_ECORRUPT:
        return "the store is damaged";
    case TLX_EBUSY:
        return "the store is in use by another process";
    default:
        return "unknown error";
    }
}
