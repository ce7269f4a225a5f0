/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_keyfile.h -- reading a CURVE key file (Z85 text, as `telex keygen`
    writes it).  Shared by telexd (its secret key) and the `telex` client
    (the server's public key and its own secret key), so it lives in proto/
    where both may include it.
*/
#ifndef TLX_KEYFILE_H
#define TLX_KEYFILE_H

#ifdef __cplusplus
extern "C" {
#endif

/*  Reads the first 40-character Z85 token of the file at `path` into
    out[41] (NUL-terminated).  Lines starting with '#' (after blanks) are
    comments; '#' elsewhere is a Z85 digit.  Returns 0, or -1 when the
    file cannot be read or holds no such token.  Keys are never logged. */
int tlx_keyfile_read(const char *path, char out[41]);

#ifdef __cplusplus
}
#endif
#endif
