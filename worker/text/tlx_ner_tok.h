/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_ner_tok.h -- word tokenizer for the entity stage (byte offsets).

    Splits UTF-8 text into CoNLL-2003-style tokens: whitespace separates,
    leading/trailing punctuation and quotes (ASCII and curly) become tokens
    of their own, the possessive 's is split off ("Korea 's"), a final period
    is split off unless the word is an abbreviation (U.S., Mr., single
    letters), dashes split words.  Every token is a span of the input, so
    offsets map straight back to rec->body.
*/
#ifndef TLX_NER_TOK_H
#define TLX_NER_TOK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *s; /* first byte (borrowed from the tokenized text) */
    uint32_t len;  /* bytes */
    uint32_t off;  /* byte offset of s in the tokenized text */
} tlx_ner_tok_t;

/*  Tokenizes text[0..len).
    @param[out] toks   up to `cap` tokens (may be NULL when cap is 0)
    @return the number of tokens in the text, which may exceed `cap` (call
            again with a larger array; at most len tokens exist).
    Pure, thread-safe, linear in len; any bytes are accepted. */
size_t tlx_ner_tok_split(const char *text, size_t len, tlx_ner_tok_t *toks, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
