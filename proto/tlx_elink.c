/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_elink.c -- the enrich link codec (see tlx_elink.h).

    Each message type has a fixed first frame (a type byte and fixed-size
    integers) and a fixed number of frames, so decoding is a size check
    per frame and a few little-endian loads; nothing is sized from the
    input.  A result is decoded leniently past its header, as the
    dispatcher always did: whatever else is wrong with it, the inbox seq
    it names is retried instead of waiting in flight forever.

    Rejected: msgpack for the link (one more parse per article on the
    writer's thread, for frames that never change shape); one frame per
    message (the record and the envelope would be copied into it).
*/
#include "tlx_elink.h"

#include <string.h>

#include "tlx_endian.h"

#define JOB_HEAD 29    /* 'J' inbox(8) rev(4) received_at(8) token(8) */
#define RESULT_HEAD 18 /* 'R' inbox(8) token(8) status(1) */

static tlx_bytes_t s_frame(const tlx_elink_frames_t *in, int i)
{
    return (tlx_bytes_t){(const char *)in->p[i], in->len[i]};
}

static tlx_bytes_t s_cut(tlx_bytes_t b, size_t max)
{
    if (b.len > max)
        b.len = max;
    return b;
}

static void s_hints_decode(const uint8_t *p, tlx_elink_hints_t *h)
{
    memcpy(h->sha256, p, 32);
    h->simhash = tlx_get_le(p + 32, 8);
    h->shingle = tlx_get_le(p + 40, 8);
    memcpy(h->bands, p + 48, 12);
    h->near_max = p[60];
    h->verify_max = p[61];
}

static void s_hints_encode(const tlx_elink_hints_t *h, uint8_t *out)
{
    memcpy(out, h->sha256, 32);
    tlx_put_le(out + 32, h->simhash, 8);
    tlx_put_le(out + 40, h->shingle, 8);
    memcpy(out + 48, h->bands, 12);
    out[60] = h->near_max;
    out[61] = h->verify_max;
}

static int s_decode_result(const tlx_elink_frames_t *in, size_t max_payload, tlx_elink_msg_t *m)
{
    const uint8_t *t = in->p[0];
    int n = in->n;
    m->inbox = tlx_get_le(t + 1, 8);
    m->token = tlx_get_le(t + 9, 8);
    m->ok = t[17] == 0 && n >= 2 && n <= TLX_ELINK_FRAMES_MAX;
    if (!m->ok) {
        if (n > 1 && n <= TLX_ELINK_FRAMES_MAX)
            m->stage = s_cut(s_frame(in, 1), TLX_ELINK_STAGE_MAX);
        if (n > 2 && n <= TLX_ELINK_FRAMES_MAX)
            m->reason = s_cut(s_frame(in, 2), TLX_ELINK_REASON_MAX);
        return 0;
    }
    m->record = s_frame(in, 1);
    if (max_payload && m->record.len > max_payload)
        return TLX_EMALFORMED;
    if (n < 3 || in->len[2] != TLX_ELINK_HINTS_WIRE)
        return 0;
    m->has_hints = true;
    s_hints_decode(in->p[2], &m->hints);
    if (n >= 4) {
        m->terms = s_frame(in, 3);
        if (max_payload && m->terms.len > max_payload)
            m->terms = (tlx_bytes_t){NULL, 0};
    }
    if (n == 5 && in->len[4] % 8 == 0 && in->len[4] <= TLX_ELINK_LINES_MAX * 8) {
        m->has_lines = true;
        m->nlines = in->len[4] / 8;
        for (size_t i = 0; i < m->nlines; i++)
            m->lines[i] = tlx_get_le((const uint8_t *)in->p[4] + 8 * i, 8);
    }
    return 0;
}

int tlx_elink_decode(const tlx_elink_frames_t *in, size_t max_payload, tlx_elink_msg_t *m)
{
    memset(m, 0, sizeof *m);
    if (in->n < 1 || in->len[0] < 1 || !in->p[0])
        return TLX_EMALFORMED;
    const uint8_t *t = in->p[0];
    size_t tl = in->len[0];
    m->type = (tlx_elink_type_t)t[0];
    switch (t[0]) {
    case TLX_ELINK_HELLO:
        if (in->n != 1 || (tl != 5 && tl != 6))
            return TLX_EMALFORMED;
        m->credit = (uint32_t)tlx_get_le(t + 1, 4);
        m->credit = m->credit < 1 ? 1 : m->credit > TLX_ELINK_CREDIT_MAX ? TLX_ELINK_CREDIT_MAX : m->credit;
        m->flags = tl == 6 ? t[5] : 0;
        return 0;
    case TLX_ELINK_BEAT:
    case TLX_ELINK_LEAVE:
    case TLX_ELINK_WHO:
    case TLX_ELINK_STOP:
        return in->n == 1 && tl == 1 ? 0 : TLX_EMALFORMED;
    case TLX_ELINK_JOB:
        if (in->n != 3 || tl != JOB_HEAD)
            return TLX_EMALFORMED;
        m->inbox = tlx_get_le(t + 1, 8);
        m->revision = (uint32_t)tlx_get_le(t + 9, 4);
        m->received_at = tlx_get_le(t + 13, 8);
        m->token = tlx_get_le(t + 21, 8);
        m->id = s_frame(in, 1);
        m->env = s_frame(in, 2);
        if (max_payload && m->env.len > max_payload)
            return TLX_EMALFORMED;
        return 0;
    case TLX_ELINK_RESULT:
        if (tl != RESULT_HEAD)
            return TLX_EMALFORMED;
        return s_decode_result(in, max_payload, m);
    default:
        return TLX_EMALFORMED;
    }
}

static void s_add(tlx_elink_out_t *out, const void *p, size_t len)
{
    out->f.p[out->f.n] = p;
    out->f.len[out->f.n] = len;
    out->f.n++;
}

static int s_encode_result(const tlx_elink_msg_t *m, tlx_elink_out_t *out)
{
    out->head[0] = 'R';
    tlx_put_le(out->head + 1, m->inbox, 8);
    tlx_put_le(out->head + 9, m->token, 8);
    out->head[17] = m->ok ? 0 : 1;
    s_add(out, out->head, RESULT_HEAD);
    if (!m->ok) {
        s_add(out, m->stage.p, m->stage.len);
        s_add(out, m->reason.p, m->reason.len);
        return 0;
    }
    s_add(out, m->record.p, m->record.len);
    if (!m->has_hints)
        return 0;
    s_hints_encode(&m->hints, out->hints);
    s_add(out, out->hints, TLX_ELINK_HINTS_WIRE);
    if (m->terms.len || m->has_lines) /* terms, empty when not sampled but lines follow */
        s_add(out, m->terms.len ? m->terms.p : "", m->terms.len);
    if (m->has_lines) {
        for (size_t i = 0; i < m->nlines; i++)
            tlx_put_le(out->lines + 8 * i, m->lines[i], 8);
        s_add(out, out->lines, 8 * m->nlines);
    }
    return 0;
}

int tlx_elink_encode(const tlx_elink_msg_t *m, tlx_elink_out_t *out)
{
    out->f.n = 0;
    out->head[0] = (uint8_t)m->type;
    switch (m->type) {
    case TLX_ELINK_HELLO:
        tlx_put_le(out->head + 1, m->credit, 4);
        out->head[5] = m->flags;
        s_add(out, out->head, 6);
        return 0;
    case TLX_ELINK_BEAT:
    case TLX_ELINK_LEAVE:
    case TLX_ELINK_WHO:
    case TLX_ELINK_STOP:
        s_add(out, out->head, 1);
        return 0;
    case TLX_ELINK_JOB:
        tlx_put_le(out->head + 1, m->inbox, 8);
        tlx_put_le(out->head + 9, m->revision, 4);
        tlx_put_le(out->head + 13, m->received_at, 8);
        tlx_put_le(out->head + 21, m->token, 8);
        s_add(out, out->head, JOB_HEAD);
        s_add(out, m->id.p, m->id.len);
        s_add(out, m->env.p, m->env.len);
        return 0;
    case TLX_ELINK_RESULT:
        if (m->has_lines && m->nlines > TLX_ELINK_LINES_MAX)
            return TLX_EINVAL;
        return s_encode_result(m, out);
    }
    return TLX_EINVAL;
}
