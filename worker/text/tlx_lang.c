/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_lang.c -- language detection (see tlx_lang.h for the choice of CLD2).

    The sample is the first TLX_LANG_SAMPLE bytes of the text, shortened to
    the last space so no word is cut, and to the first invalid UTF-8 byte
    (the normalizer repairs UTF-8 first, but this module is also called on
    raw strings in tests).  Rejected: sampling the whole body (4x the cost
    for the same answer on news text) and a hand-written stop-word vote
    (cheap for English but a second detector to maintain).
*/
#include "tlx_lang.h"

#include <stdint.h>

/* Length of the valid UTF-8 prefix of s[0..len). */
static size_t s_valid_prefix(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf)
            n = 2;
        else if (c >= 0xe0 && c <= 0xef)
            n = 3;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 4;
        else
            return i;
        if (i + n > len)
            return i;
        for (size_t k = 1; k < n; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
        i += n;
    }
    return i;
}

int tlx_lang_detect(const char *text, size_t len, const char **code, bool *reliable)
{
    *code = NULL;
    *reliable = false;
    if (!text || len == 0)
        return 0;
    size_t n = len;
    if (n > TLX_LANG_SAMPLE) {
        n = TLX_LANG_SAMPLE;
        size_t sp = n;
        while (sp > TLX_LANG_SAMPLE / 2 && text[sp] != ' ' && text[sp] != '\n')
            sp--;
        if (sp > TLX_LANG_SAMPLE / 2)
            n = sp;
    }
    n = s_valid_prefix((const unsigned char *)text, n);
    if (n == 0)
        return 0;
    *code = tlx_lang_cld2(text, (int)n, reliable);
    return 0;
}
