/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_proto.c -- envelope and ack codec (see tlx_proto.h, PROTOCOL.md).

    Decoding runs in two passes over the frame: a structural pass
    (tlx_mp_skip with the depth limit) proves the whole frame is well-formed
    msgpack that fits in its bytes, then a field pass picks out the known
    keys.  The structural pass costs little (strings are skipped by length)
    and means the field pass can never read a lie.  Encoding uses msgpack-c's
    packer, written straight into a tlx_buf_t.
*/
#include "tlx_proto.h"

#include <msgpack.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tlx_mp.h"

void tlx_limits_default(tlx_limits_t *lim)
{
    lim->max_text = 8u << 20;
    lim->max_str = 4096;
    lim->max_meta = 256;
    lim->max_meta_value = 64u << 10;
    lim->max_depth = 8;
}

int64_t tlx_limits_max_frame(const tlx_limits_t *lim)
{
    return (int64_t)lim->max_text * 4 + (1 << 20);
}

/* The names are the wire contract (PROTOCOL.md section 3): one per reason,
   bound to its enum value, so reordering the enum cannot shift them. */
static const char *const s_reject_names[] = {
    [TLX_REJ_NONE] = "none",           [TLX_REJ_NOT_MSGPACK] = "not_msgpack",
    [TLX_REJ_NOT_A_MAP] = "not_a_map", [TLX_REJ_MISSING_FIELD] = "missing_field",
    [TLX_REJ_BAD_TYPE] = "bad_type",   [TLX_REJ_BAD_VERSION] = "bad_version",
    [TLX_REJ_TOO_BIG] = "too_big",     [TLX_REJ_EMPTY_TEXT] = "empty_text",
    [TLX_REJ_READ_ONLY] = "read_only",
};
_Static_assert(sizeof s_reject_names / sizeof *s_reject_names == TLX_REJ__COUNT,
               "a name for every reject reason");

const char *tlx_reject_name(tlx_reject_t r)
{
    return (unsigned)r < TLX_REJ__COUNT && s_reject_names[r] ? s_reject_names[r] : "unknown";
}

static int s_reject(tlx_reject_t *reason, tlx_reject_t r, char *detail, size_t dsz, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int s_reject(tlx_reject_t *reason, tlx_reject_t r, char *detail, size_t dsz, const char *fmt, ...)
{
    *reason = r;
    if (detail && dsz) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, dsz, fmt, ap);
        va_end(ap);
    }
    return TLX_EMALFORMED;
}

/* Reads an optional short string field, enforcing max_str. */
static int s_opt_str(tlx_mp_t *c, const tlx_limits_t *lim, const char *key, tlx_bytes_t *out,
                     tlx_reject_t *reason, char *detail, size_t dsz)
{
    tlx_mp_item_t it;
    tlx_mp_next(c, &it); /* cannot fail: the structural pass proved it */
    if (it.type == TLX_MP_NIL)
        return 0;
    if (it.type != TLX_MP_STR)
        return s_reject(reason, TLX_REJ_BAD_TYPE, detail, dsz, "field '%s' must be a string", key);
    if (it.len > lim->max_str)
        return s_reject(reason, TLX_REJ_TOO_BIG, detail, dsz, "field '%s' is %llu bytes; the limit is %zu",
                        key, (unsigned long long)it.len, lim->max_str);
    out->p = (const char *)it.ptr;
    out->len = (size_t)it.len;
    return 0;
}

int tlx_envelope_decode(const void *buf, size_t len, const tlx_limits_t *lim, tlx_envelope_t *env,
                        tlx_reject_t *reason, char *detail, size_t dsz)
{
    memset(env, 0, sizeof(*env));
    *reason = TLX_REJ_NONE;
    if (detail && dsz)
        detail[0] = '\0';

    tlx_mp_t c;
    tlx_mp_init(&c, buf, len);
    if (len == 0)
        return s_reject(reason, TLX_REJ_NOT_MSGPACK, detail, dsz, "empty frame");
    tlx_mp_type_t top = tlx_mp_peek(&c);
    int rc = tlx_mp_skip(&c, lim->max_depth);
    if (rc == TLX_ETOOBIG)
        return s_reject(reason, TLX_REJ_TOO_BIG, detail, dsz, "msgpack nested deeper than %d levels",
                        lim->max_depth);
    if (rc)
        return s_reject(reason, TLX_REJ_NOT_MSGPACK, detail, dsz,
                        "frame of %zu bytes is not valid msgpack (truncated, or a header claims more "
                        "elements or bytes than the frame holds)",
                        len);
    if (tlx_mp_left(&c))
        return s_reject(reason, TLX_REJ_NOT_MSGPACK, detail, dsz,
                        "%zu trailing bytes after the msgpack object", tlx_mp_left(&c));
    if (top != TLX_MP_MAP)
        return s_reject(reason, TLX_REJ_NOT_A_MAP, detail, dsz, "the envelope must be a msgpack map");

    /* The seq first, whatever the order of keys: a reject echoes it
       (PROTOCOL.md §3), or the producer could never match the reject to
       its envelope and would re-send it until it gave up.  The frame was
       walked in full above, so this scan stays inside it. */
    uint64_t seq;
    uint32_t n;
    tlx_mp_init(&c, buf, len);
    if (tlx_mp_map_uint(&c, "seq", lim->max_depth, &seq) == 0)
        env->seq = seq;
    tlx_mp_read_map(&c, &n);
    bool have_v = false, have_producer = false, have_seq = false, have_text = false;
    for (uint32_t i = 0; i < n; i++) {
        const char *k;
        size_t klen;
        if (tlx_mp_read_str(&c, &k, &klen)) {
            tlx_mp_skip(&c, lim->max_depth); /* non-string key: ignore the pair */
            tlx_mp_skip(&c, lim->max_depth);
            continue;
        }
        tlx_mp_item_t it;
        if (tlx_mp_streq(k, klen, "v")) {
            tlx_mp_next(&c, &it);
            if (it.type != TLX_MP_UINT)
                return s_reject(reason, TLX_REJ_BAD_TYPE, detail, dsz,
                                "field 'v' must be an unsigned integer");
            if (it.v.u != TLX_PROTO_VERSION)
                return s_reject(reason, TLX_REJ_BAD_VERSION, detail, dsz,
                                "protocol version %llu is not supported; this worker speaks version %d",
                                (unsigned long long)it.v.u, TLX_PROTO_VERSION);
            env->v = (uint32_t)it.v.u;
            have_v = true;
        } else if (tlx_mp_streq(k, klen, "seq")) {
            tlx_mp_next(&c, &it);
            if (it.type != TLX_MP_UINT)
                return s_reject(reason, TLX_REJ_BAD_TYPE, detail, dsz,
                                "field 'seq' must be an unsigned integer");
            env->seq = it.v.u;
            have_seq = true;
        } else if (tlx_mp_streq(k, klen, "text")) {
            tlx_mp_next(&c, &it);
            if (it.type != TLX_MP_STR && it.type != TLX_MP_BIN)
                return s_reject(reason, TLX_REJ_BAD_TYPE, detail, dsz,
                                "field 'text' must be a string or bin");
            if (it.len > lim->max_text)
                return s_reject(reason, TLX_REJ_TOO_BIG, detail, dsz, "text is %llu bytes; the limit is %zu",
                                (unsigned long long)it.len, lim->max_text);
            env->text.p = (const char *)it.ptr;
            env->text.len = (size_t)it.len;
            env->text_is_bin = it.type == TLX_MP_BIN;
            have_text = true;
        } else if (tlx_mp_streq(k, klen, "producer")) {
            if ((rc = s_opt_str(&c, lim, "producer", &env->producer, reason, detail, dsz)))
                return rc;
            have_producer = env->producer.len > 0;
        } else if (tlx_mp_streq(k, klen, "id")) {
            if ((rc = s_opt_str(&c, lim, "id", &env->id, reason, detail, dsz)))
                return rc;
            if (env->id.len > TLX_ENV_ID_MAX)
                return s_reject(reason, TLX_REJ_TOO_BIG, detail, dsz,
                                "field 'id' is %zu bytes; the limit is %d", env->id.len, TLX_ENV_ID_MAX);
        } else if (tlx_mp_streq(k, klen, "source")) {
            if ((rc = s_opt_str(&c, lim, "source", &env->source, reason, detail, dsz)))
                return rc;
        } else if (tlx_mp_streq(k, klen, "url")) {
            if ((rc = s_opt_str(&c, lim, "url", &env->url, reason, detail, dsz)))
                return rc;
        } else if (tlx_mp_streq(k, klen, "lang")) {
            if ((rc = s_opt_str(&c, lim, "lang", &env->lang, reason, detail, dsz)))
                return rc;
        } else if (tlx_mp_streq(k, klen, "format")) {
            tlx_mp_next(&c, &it);
            if (it.type == TLX_MP_STR && tlx_mp_streq((const char *)it.ptr, (size_t)it.len, "text"))
                env->format = TLX_ENV_FORMAT_TEXT;
            else if (it.type == TLX_MP_STR && tlx_mp_streq((const char *)it.ptr, (size_t)it.len, "html"))
                env->format = TLX_ENV_FORMAT_HTML;
            else if (it.type != TLX_MP_NIL)
                return s_reject(reason, TLX_REJ_BAD_TYPE, detail, dsz,
                                "field 'format' must be \"text\" or \"html\"");
        } else if (tlx_mp_streq(k, klen, "received_at")) {
            tlx_mp_next(&c, &it);
            if (it.type == TLX_MP_UINT)
                env->received_at = it.v.u;
            else if (it.type != TLX_MP_NIL)
                return s_reject(reason, TLX_REJ_BAD_TYPE, detail, dsz,
                                "field 'received_at' must be Unix milliseconds (unsigned integer)");
        } else if (tlx_mp_streq(k, klen, "meta")) {
            const uint8_t *start = c.p;
            uint32_t m;
            if (tlx_mp_peek(&c) == TLX_MP_NIL) {
                tlx_mp_next(&c, &it);
                continue;
            }
            if (tlx_mp_read_map(&c, &m))
                return s_reject(reason, TLX_REJ_BAD_TYPE, detail, dsz, "field 'meta' must be a map");
            if (m > lim->max_meta)
                return s_reject(reason, TLX_REJ_TOO_BIG, detail, dsz, "meta has %u entries; the limit is %u",
                                m, lim->max_meta);
            for (uint32_t j = 0; j < 2 * m; j++) {
                tlx_mp_next(&c, &it);
                if (it.type != TLX_MP_STR)
                    return s_reject(reason, TLX_REJ_BAD_TYPE, detail, dsz,
                                    "meta must map strings to strings (entry %u is not a string)", j / 2);
                if (it.len > lim->max_meta_value)
                    return s_reject(reason, TLX_REJ_TOO_BIG, detail, dsz,
                                    "meta entry %u is %llu bytes; the limit is %zu", j / 2,
                                    (unsigned long long)it.len, lim->max_meta_value);
            }
            env->meta.p = (const char *)start;
            env->meta.len = (size_t)(c.p - start);
            env->nmeta = m;
        } else {
            tlx_mp_skip(&c, lim->max_depth);
        }
    }
    if (!have_v)
        return s_reject(reason, TLX_REJ_MISSING_FIELD, detail, dsz, "missing field 'v' (protocol version)");
    if (!have_producer)
        return s_reject(reason, TLX_REJ_MISSING_FIELD, detail, dsz, "missing field 'producer'");
    if (!have_seq)
        return s_reject(reason, TLX_REJ_MISSING_FIELD, detail, dsz, "missing field 'seq'");
    if (!have_text)
        return s_reject(reason, TLX_REJ_MISSING_FIELD, detail, dsz, "missing field 'text'");
    /* Empty means nothing but whitespace: such an article has no content. */
    size_t i = 0;
    while (i < env->text.len && (env->text.p[i] == ' ' || env->text.p[i] == '\n' || env->text.p[i] == '\r' ||
                                 env->text.p[i] == '\t'))
        i++;
    if (i == env->text.len)
        return s_reject(reason, TLX_REJ_EMPTY_TEXT, detail, dsz, "text is empty or only whitespace");
    return 0;
}

/* msgpack-c write callback into a tlx_buf_t. */
static int s_buf_write(void *data, const char *buf, size_t len)
{
    return tlx_buf_append((tlx_buf_t *)data, buf, len) ? -1 : 0;
}

static void s_pack_str(msgpack_packer *pk, const char *s, size_t len)
{
    msgpack_pack_str(pk, len);
    msgpack_pack_str_body(pk, s, len);
}

static void s_pack_kv(msgpack_packer *pk, const char *k, tlx_bytes_t v)
{
    s_pack_str(pk, k, strlen(k));
    s_pack_str(pk, v.p, v.len);
}

int tlx_envelope_encode(const tlx_envelope_t *env, tlx_buf_t *out)
{
    size_t before = out->len;
    msgpack_packer pk;
    msgpack_packer_init(&pk, out, s_buf_write);
    size_t n = 4 + (env->id.len > 0) + (env->source.len > 0) + (env->url.len > 0) + (env->lang.len > 0) +
               (env->received_at > 0) + (env->meta.len > 0) + (env->format != TLX_ENV_FORMAT_NONE);
    int rc = msgpack_pack_map(&pk, n);
    rc |= msgpack_pack_str_with_body(&pk, "v", 1);
    rc |= msgpack_pack_uint32(&pk, env->v ? env->v : TLX_PROTO_VERSION);
    s_pack_kv(&pk, "producer", env->producer);
    rc |= msgpack_pack_str_with_body(&pk, "seq", 3);
    rc |= msgpack_pack_uint64(&pk, env->seq);
    s_pack_kv(&pk, "text", env->text);
    if (env->id.len)
        s_pack_kv(&pk, "id", env->id);
    if (env->source.len)
        s_pack_kv(&pk, "source", env->source);
    if (env->url.len)
        s_pack_kv(&pk, "url", env->url);
    if (env->lang.len)
        s_pack_kv(&pk, "lang", env->lang);
    if (env->format != TLX_ENV_FORMAT_NONE) {
        rc |= msgpack_pack_str_with_body(&pk, "format", 6);
        const char *f = env->format == TLX_ENV_FORMAT_HTML ? "html" : "text";
        rc |= msgpack_pack_str_with_body(&pk, f, 4);
    }
    if (env->received_at) {
        rc |= msgpack_pack_str_with_body(&pk, "received_at", 11);
        rc |= msgpack_pack_uint64(&pk, env->received_at);
    }
    if (env->meta.len) {
        rc |= msgpack_pack_str_with_body(&pk, "meta", 4);
        rc |= tlx_buf_append(out, env->meta.p, env->meta.len);
    }
    if (rc || out->cap == 0) {
        out->len = before;
        return TLX_ENOMEM;
    }
    return 0;
}

static const char *const s_status_names[] = {"accepted", "duplicate", "rejected", "busy"};

const char *tlx_ack_status_name(tlx_ack_status_t s)
{
    return (unsigned)s < 4 ? s_status_names[s] : "unknown";
}

int tlx_ack_encode(const tlx_ack_t *ack, tlx_buf_t *out)
{
    size_t before = out->len;
    msgpack_packer pk;
    msgpack_packer_init(&pk, out, s_buf_write);
    size_t n = 3 + (ack->id.len > 0) + (ack->error.len > 0) + (ack->detail.len > 0);
    int rc = msgpack_pack_map(&pk, n);
    rc |= msgpack_pack_str_with_body(&pk, "v", 1);
    rc |= msgpack_pack_uint32(&pk, TLX_PROTO_VERSION);
    rc |= msgpack_pack_str_with_body(&pk, "seq", 3);
    rc |= msgpack_pack_uint64(&pk, ack->seq);
    const char *st = tlx_ack_status_name(ack->status);
    rc |= msgpack_pack_str_with_body(&pk, "status", 6);
    rc |= msgpack_pack_str_with_body(&pk, st, strlen(st));
    if (ack->id.len)
        s_pack_kv(&pk, "id", ack->id);
    if (ack->error.len)
        s_pack_kv(&pk, "error", ack->error);
    if (ack->detail.len)
        s_pack_kv(&pk, "detail", ack->detail);
    if (rc) {
        out->len = before;
        return TLX_ENOMEM;
    }
    return 0;
}

int tlx_ack_decode(const void *buf, size_t len, tlx_ack_t *ack)
{
    memset(ack, 0, sizeof(*ack));
    tlx_mp_t c;
    tlx_mp_init(&c, buf, len);
    if (tlx_mp_skip(&c, 4) || tlx_mp_left(&c))
        return TLX_EMALFORMED;
    tlx_mp_init(&c, buf, len);
    uint32_t n;
    if (tlx_mp_read_map(&c, &n))
        return TLX_EMALFORMED;
    bool have_status = false;
    for (uint32_t i = 0; i < n; i++) {
        const char *k;
        size_t klen;
        if (tlx_mp_read_str(&c, &k, &klen)) {
            tlx_mp_skip(&c, 4);
            tlx_mp_skip(&c, 4);
            continue;
        }
        tlx_mp_item_t it;
        if (tlx_mp_next(&c, &it))
            return TLX_EMALFORMED;
        if (it.type == TLX_MP_ARRAY || it.type == TLX_MP_MAP) {
            /* not a field we know: skip the elements too */
            uint64_t m = it.type == TLX_MP_MAP ? it.len * 2 : it.len;
            for (uint64_t j = 0; j < m; j++)
                tlx_mp_skip(&c, 4);
            continue;
        }
        tlx_bytes_t s = {(const char *)it.ptr, (size_t)it.len};
        if (tlx_mp_streq(k, klen, "v") && it.type == TLX_MP_UINT)
            ack->v = (uint32_t)it.v.u;
        else if (tlx_mp_streq(k, klen, "seq") && it.type == TLX_MP_UINT)
            ack->seq = it.v.u;
        else if (tlx_mp_streq(k, klen, "status") && it.type == TLX_MP_STR) {
            for (int j = 0; j < 4; j++)
                if (tlx_mp_streq(s.p, s.len, s_status_names[j])) {
                    ack->status = (tlx_ack_status_t)j;
                    have_status = true;
                }
        } else if (tlx_mp_streq(k, klen, "id") && it.type == TLX_MP_STR)
            ack->id = s;
        else if (tlx_mp_streq(k, klen, "error") && it.type == TLX_MP_STR)
            ack->error = s;
        else if (tlx_mp_streq(k, klen, "detail") && it.type == TLX_MP_STR)
            ack->detail = s;
    }
    return have_status ? 0 : TLX_EMALFORMED;
}
