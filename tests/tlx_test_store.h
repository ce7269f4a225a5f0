/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_test_store.h -- shared by the unit tests that work on a real store:
    a fresh store in a temp dir, its removal, and one accepted article.
    Header-only (static inline): every test is its own executable. */
#ifndef TLX_TEST_STORE_H
#define TLX_TEST_STORE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_store.h"

/* Creates /tmp/telex-test-NAME-XXXXXX/store (the store dir is made by
   open, 0700) into dir and opens it with default options into *st. */
static inline void tlx_test_store_open(char *dir, size_t dirsz, const char *name, tlx_store_t **st)
{
    snprintf(dir, dirsz, "/tmp/telex-test-%s-XXXXXX", name);
    assert_non_null(mkdtemp(dir));
    strncat(dir, "/store", dirsz - strlen(dir) - 1);
    char err[256];
    assert_int_equal(tlx_store_open(dir, NULL, st, err, sizeof err), 0);
}

/* Closes *st (if open) and removes the temp dir around `dir`; 0 or -1. */
static inline int tlx_test_store_remove(char *dir, tlx_store_t **st)
{
    tlx_store_close(st);
    char cmd[600];
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Accepts `text` (also the raw envelope) with id `id` (NULL: the text's
   hash) into the open write batch. */
static inline int tlx_test_accept(tlx_store_t *st, const char *id, const char *text, tlx_accept_out_t *out)
{
    tlx_accept_in_t in = {.id = id,
                          .id_len = id ? strlen(id) : 0,
                          .text = text,
                          .text_len = strlen(text),
                          .raw = text,
                          .raw_len = strlen(text),
                          .received_at = 1000};
    return tlx_store_accept(st, &in, out);
}

#endif
