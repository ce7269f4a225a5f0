/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_alloc.h -- the allocation hooks of the NER tagger and the
    gazetteers, for their failing-allocation tests.

    In a build with TLX_TEST_HOOKS the macros count allocations and fail
    the one tlx_ner_test_alloc_fail names (tests/test_ner.c sets it);
    otherwise they are plain malloc, calloc and realloc.  The counter is
    defined in tlx_ner.c.  A leaf header, so tlx_gaz.c need not include the
    tagger's API for it.
*/
#ifndef TLX_ALLOC_H
#define TLX_ALLOC_H

#include <stdlib.h>

#ifdef TLX_TEST_HOOKS
/*  When >= 0, the allocation with this index (counting from when it was
    set, 0 = the next one) made by tlx_ner*, tlx_gaz* fails; -1 (the
    default) never fails.  Not for concurrent use. */
extern long tlx_ner_test_alloc_fail;
int tlx_ner_test_alloc_fails(void);
#define TLX_NER_MALLOC(n) (tlx_ner_test_alloc_fails() ? NULL : malloc(n))
#define TLX_NER_CALLOC(a, b) (tlx_ner_test_alloc_fails() ? NULL : calloc(a, b))
#define TLX_NER_REALLOC(p, n) (tlx_ner_test_alloc_fails() ? NULL : realloc(p, n))
#else
#define TLX_NER_MALLOC(n) malloc(n)
#define TLX_NER_CALLOC(a, b) calloc(a, b)
#define TLX_NER_REALLOC(p, n) realloc(p, n)
#endif

#endif
