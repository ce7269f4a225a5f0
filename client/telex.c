/* SPDX-License-Identifier: Apache-2.0 */
/*  telex -- the command-line client: push articles, read the store, run
    the pipeline offline.  One function per subcommand; each parses its own
    options and answers --help.  Output to a terminal is pretty JSON, to a
    pipe plain JSON / JSON Lines.  Exit codes: 0 ok, 1 the operation failed
    for some input (rejected, not found), 2 usage or environment errors.
*/
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "telex_cli.h"
#include "tlx_json.h"
#include "tlx_keyfile.h"
#include "tlx_ninjs.h"
#include "tlx_producer.h"
#include "tlx_proto.h"
#include "tlx_store.h"

const char *telex_store_dir(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *s = getenv("TELEX_STORE");
    return s && *s ? s : TLX_DEFAULT_STORE;
}

int telex_open_store(const char *dir, tlx_store_t **st)
{
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.read_only = true;
    o.assert_exit = 1;
    telex_guard_store(dir);
    char err[600];
    int rc = tlx_store_open(dir, &o, st, err, sizeof err);
    if (rc)
        fprintf(stderr, "telex: %s\n", err);
    return rc;
}

int telex_print_record(const void *rec, size_t len, int pretty)
{
    tlx_buf_t b = TLX_BUF_INIT;
    int rc = tlx_json_from_msgpack(rec, len, pretty ? 2 : 0, &b);
    if (rc == 0) {
        fwrite(b.data, 1, b.len, stdout);
        fputc('\n', stdout);
    } else
        fprintf(stderr, "telex: a stored record does not decode (%s); run `telex verify`\n",
                tlx_strerror(rc));
    tlx_buf_free(&b);
    return rc;
}

int telex_parse_format(const char *cmd, const char *s)
{
    if (strcmp(s, "json") == 0 || strcmp(s, "jsonl") == 0)
        return TELEX_FMT_JSON;
    if (strcmp(s, "ninjs") == 0)
        return TELEX_FMT_NINJS;
    fprintf(stderr, "telex %s: unknown format '%s' (supported: json, ninjs)\n", cmd, s);
    return -1;
}

int telex_parse_input_format(const char *cmd, const char *s)
{
    if (strcmp(s, "text") == 0)
        return TLX_ENV_FORMAT_TEXT;
    if (strcmp(s, "html") == 0)
        return TLX_ENV_FORMAT_HTML;
    fprintf(stderr, "telex %s: unknown input format '%s' (supported: text, html)\n", cmd, s);
    return -1;
}

int telex_print_record_fmt(const void *rec, size_t len, int pretty, int format)
{
    if (format != TELEX_FMT_NINJS)
        return telex_print_record(rec, len, pretty);
    tlx_buf_t b = TLX_BUF_INIT;
    int rc = tlx_ninjs_from_record(rec, len, pretty ? 2 : 0, &b);
    if (rc == 0) {
        fwrite(b.data, 1, b.len, stdout);
        fputc('\n', stdout);
    } else
        fprintf(stderr, "telex: a stored record cannot be rendered as ninjs (%s); run `telex verify`\n",
                tlx_strerror(rc));
    tlx_buf_free(&b);
    return rc;
}

/* Reads a whole file (or stdin for "-") into a malloc'd buffer. */
int telex_read_file(const char *path, size_t max, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "telex: cannot read %s: %s\n", path, strerror(errno));
        return TLX_EIO;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (n == cap) {
            if (cap > max) {
                rc = TLX_ETOOBIG;
                break;
            }
            char *p = realloc(buf, cap * 2);
            if (!p) {
                rc = TLX_ENOMEM;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) {
            if (ferror(f)) {
                fprintf(stderr, "telex: cannot read %s: %s\n", path, strerror(errno));
                rc = TLX_EIO;
            }
            break;
        }
    }
    if (!buf)
        rc = TLX_ENOMEM;
    if (f != stdin)
        fclose(f);
    if (rc == 0 && n > max)
        rc = TLX_ETOOBIG;
    if (rc) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = n;
    return 0;
}

/* ---- push --------------------------------------------------------------- */

/* One input in flight: its label ("FILE" or "FILE:LINE") for the output line.
   Items are allocated one by one (the producer keeps pointers to them while
   the array of pointers grows) and freed at the end. */
typedef struct {
    char *label;
} push_item_t;

typedef struct {
    int rejected, done, total, tty;
    push_item_t **items;
    size_t nitems, cap;
} push_state_t;

static void s_on_ack(void *ctx, const tlx_ack_t *ack, void *user)
{
    push_state_t *ps = ctx;
    push_item_t *it = user;
    const char *status = tlx_ack_status_name(ack->status);
    if (ps->tty)
        fprintf(stderr, "\r\033[K");
    if (ack->status == TLX_ACK_REJECTED) /* the reason stands where the id would */
        printf("%s %.*s %s\n", status, ack->error.len ? (int)ack->error.len : 1,
               ack->error.len ? ack->error.p : "-", it->label);
    else
        printf("%s %.*s %s\n", status, ack->id.len ? (int)ack->id.len : 1, ack->id.len ? ack->id.p : "-",
               it->label);
    if (ack->status == TLX_ACK_REJECTED) {
        ps->rejected++;
        fprintf(stderr, "telex: %s: rejected (%.*s): %.*s\n", it->label, (int)ack->error.len, ack->error.p,
                (int)ack->detail.len, ack->detail.p);
    }
    ps->done++;
    if (ps->tty)
        fprintf(stderr, "pushed %d/%d", ps->done, ps->total);
    fflush(stdout);
}

static push_item_t *s_push_item(push_state_t *ps, const char *file, long line)
{
    if (ps->nitems == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        push_item_t **p = realloc(ps->items, cap * sizeof *p);
        if (!p)
            return NULL;
        ps->items = p;
        ps->cap = cap;
    }
    push_item_t *it = calloc(1, sizeof *it);
    if (!it)
        return NULL;
    if (line > 0 ? asprintf(&it->label, "%s:%ld", file, line) < 0 : !(it->label = strdup(file))) {
        free(it);
        return NULL;
    }
    ps->items[ps->nitems++] = it;
    return it;
}

static void s_push_free(push_state_t *ps)
{
    for (size_t i = 0; i < ps->nitems; i++) {
        free(ps->items[i]->label);
        free(ps->items[i]);
    }
    free(ps->items);
}

/* Envelope fields the command line gives for every input. */
typedef struct {
    const char *id, *source, *url, *lang;
    tlx_env_format_t format; /* --format; NONE: telexd decides by content */
    tlx_meta_kv_t meta[256];
    size_t nmeta;
} push_defaults_t;

/* An input that never reached telexd: reported like a reject, counted. */
static void s_local_reject_r(push_state_t *ps, const char *reason, const char *label, const char *why)
{
    printf("rejected %s %s\n", reason, label);
    fprintf(stderr, "telex: %s: %s\n", label, why);
    ps->rejected++;
    ps->done++;
}

/* Inputs the command itself could not make into an envelope: reason "bad_input". */
static void s_local_reject(push_state_t *ps, const char *label, const char *why)
{
    printf("rejected bad_input %s\n", label);
    fprintf(stderr, "telex: %s: %s\n", label, why);
    ps->rejected++;
    ps->done++;
}

/* Sends one envelope; returns 0, or TLX_EAGAIN when telexd did not answer. */
static int s_push_one(tlx_producer_t *p, push_state_t *ps, tlx_envelope_t *env, const push_defaults_t *d,
                      const tlx_meta_kv_t *meta, size_t nmeta, push_item_t *it, int wait_s)
{
    if (!env->id.len && d->id)
        env->id = (tlx_bytes_t){d->id, strlen(d->id)};
    if (!env->source.len && d->source)
        env->source = (tlx_bytes_t){d->source, strlen(d->source)};
    if (!env->url.len && d->url)
        env->url = (tlx_bytes_t){d->url, strlen(d->url)};
    if (!env->lang.len && d->lang)
        env->lang = (tlx_bytes_t){d->lang, strlen(d->lang)};
    if (env->format == TLX_ENV_FORMAT_NONE)
        env->format = d->format;
    tlx_buf_t mb = TLX_BUF_INIT;
    if (nmeta) {
        if (tlx_producer_pack_meta(meta, nmeta, &mb)) {
            tlx_buf_free(&mb);
            s_local_reject(ps, it->label, "out of memory packing meta");
            return 0;
        }
        env->meta = (tlx_bytes_t){(const char *)mb.data, mb.len};
        env->nmeta = (uint32_t)nmeta;
    }
    int rc = tlx_producer_send(p, env, it, wait_s * 1000, NULL);
    tlx_buf_free(&mb);
    if (rc == TLX_EAGAIN) {
        fprintf(stderr, "telex push: no answer from telexd for %d s (is it running?)\n", wait_s);
        return rc;
    }
    if (rc)
        s_local_reject(ps, it->label, tlx_strerror(rc));
    return 0;
}

/* Reads one line of at most `max` bytes (without the newline) into *buf.
   Returns the length, -1 at end of input, or -2 for a longer line (skipped
   to its end, so the next call reads the next line). */
static long s_read_line(FILE *f, char **buf, size_t *cap, size_t max)
{
    size_t n = 0;
    int ch, over = 0;
    while ((ch = getc_unlocked(f)) != EOF && ch != '\n') {
        if (over)
            continue;
        if (n >= max) {
            over = 1;
            continue;
        }
        if (n + 1 >= *cap) {
            size_t nc = *cap ? *cap * 2 : 4096;
            char *p = realloc(*buf, nc);
            if (!p)
                return -3;
            *buf = p;
            *cap = nc;
        }
        (*buf)[n++] = (char)ch;
    }
    if (ch == EOF && n == 0 && !over)
        return -1;
    if (over)
        return -2;
    if (n && (*buf)[n - 1] == '\r')
        n--;
    return (long)n;
}

/* Takes an optional string field of a JSON Lines envelope; NULL when fine. */
static const char *s_json_str(json_t *o, const char *key, tlx_bytes_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v))
        return "must be a string";
    *out = (tlx_bytes_t){json_string_value(v), json_string_length(v)};
    return NULL;
}

/* Pushes every JSON Lines envelope of one input ({"text": ..., "id", "source",
   "url", "lang", "meta": {str: str}}; unknown keys are an error so that a
   typo does not silently drop a field).  Returns TLX_EAGAIN when telexd
   stopped answering, else 0. */
static int s_push_jsonl(tlx_producer_t *p, push_state_t *ps, const char *path, const push_defaults_t *d,
                        int wait_s)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        char why[300];
        snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        push_item_t *it = s_push_item(ps, path, 0);
        s_local_reject_r(ps, "unreadable", it ? it->label : path, why);
        return 0;
    }
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0, n;
    int rc = 0;
    /* a JSON-escaped 32 MiB text can take 6 bytes per byte; past 64 MiB a line is refused */
    while (rc == 0 && (n = s_read_line(f, &line, &cap, (size_t)64 << 20)) != -1) {
        lineno++;
        if (n >= 0) {
            long i = 0;
            while (i < n && (line[i] == ' ' || line[i] == '\t'))
                i++;
            if (i == n)
                continue; /* blank lines separate nothing: skipped */
        }
        ps->total++;
        push_item_t *it = s_push_item(ps, path, lineno);
        if (!it || n == -3) {
            fprintf(stderr, "telex push: out of memory\n");
            rc = TLX_ENOMEM;
            break;
        }
        if (n == -2) {
            s_local_reject(ps, it->label, "line longer than 64 MiB");
            continue;
        }
        json_error_t jerr;
        json_t *o = json_loadb(line, (size_t)n, JSON_ALLOW_NUL, &jerr);
        char why[400];
        const char *bad = NULL, *field = NULL;
        tlx_envelope_t env = {0};
        tlx_meta_kv_t meta[256 + 256];
        size_t nmeta = 0;
        if (!o) {
            snprintf(why, sizeof why, "not JSON: %s (column %d)", jerr.text, jerr.column);
            s_local_reject(ps, it->label, why);
            continue;
        }
        if (!json_is_object(o)) {
            bad = "the line must be a JSON object";
            goto done;
        }
        const char *key;
        json_t *val;
        json_object_foreach(o, key, val)
        {
            if (strcmp(key, "text") && strcmp(key, "id") && strcmp(key, "source") && strcmp(key, "url") &&
                strcmp(key, "lang") && strcmp(key, "meta") && strcmp(key, "format")) {
                snprintf(why, sizeof why,
                         "unknown field '%s' (known: text, id, source, url, lang, format, meta)", key);
                bad = why;
                goto done;
            }
        }
        json_t *text = json_object_get(o, "text");
        if (!text || !json_is_string(text)) {
            bad = text ? "field 'text' must be a string" : "missing field 'text'";
            goto done;
        }
        env.text = (tlx_bytes_t){json_string_value(text), json_string_length(text)};
        if ((bad = s_json_str(o, field = "id", &env.id)) ||
            (bad = s_json_str(o, field = "source", &env.source)) ||
            (bad = s_json_str(o, field = "url", &env.url)) ||
            (bad = s_json_str(o, field = "lang", &env.lang))) {
            snprintf(why, sizeof why, "field '%s' %s", field, bad);
            bad = why;
            goto done;
        }
        json_t *jf = json_object_get(o, "format");
        if (jf && !json_is_null(jf)) {
            const char *fs = json_is_string(jf) ? json_string_value(jf) : "";
            if (strcmp(fs, "text") == 0)
                env.format = TLX_ENV_FORMAT_TEXT;
            else if (strcmp(fs, "html") == 0)
                env.format = TLX_ENV_FORMAT_HTML;
            else {
                bad = "field 'format' must be \"text\" or \"html\"";
                goto done;
            }
        }
        /* meta: the command line's entries, then the line's (a line's key replaces the same command-line key)
         */
        json_t *jm = json_object_get(o, "meta");
        if (jm && !json_is_null(jm) && !json_is_object(jm)) {
            bad = "field 'meta' must be an object of strings";
            goto done;
        }
        for (size_t k = 0; k < d->nmeta; k++)
            if (!jm || !json_object_getn(jm, d->meta[k].key.p, d->meta[k].key.len))
                meta[nmeta++] = d->meta[k];
        if (jm && json_is_object(jm)) {
            if (json_object_size(jm) > 256) {
                bad = "field 'meta' has more than 256 entries";
                goto done;
            }
            size_t klen;
            json_object_keylen_foreach(jm, key, klen, val)
            {
                if (!json_is_string(val)) {
                    snprintf(why, sizeof why, "meta '%s' must be a string", key);
                    bad = why;
                    goto done;
                }
                meta[nmeta++] =
                    (tlx_meta_kv_t){{key, klen}, {json_string_value(val), json_string_length(val)}};
            }
        }
        rc = s_push_one(p, ps, &env, d, meta, nmeta, it, wait_s);
    done:
        if (bad)
            s_local_reject(ps, it->label, bad);
        json_decref(o);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

static int cmd_push(int argc, char **argv)
{
    const char *to = NULL, *producer = NULL, *curve_server = NULL, *curve_key = NULL;
    int timeout_ms = 3000, wait_s = 30, window = 64, jsonl = 0;
    push_defaults_t d = {0};
    static const struct option opts[] = {
        {"to", required_argument, 0, 't'},           {"source", required_argument, 0, 's'},
        {"id", required_argument, 0, 'i'},           {"producer", required_argument, 0, 'p'},
        {"timeout-ms", required_argument, 0, 'T'},   {"wait", required_argument, 0, 'w'},
        {"window", required_argument, 0, 'W'},       {"help", no_argument, 0, 'h'},
        {"curve-server", required_argument, 0, 'C'}, {"curve-key", required_argument, 0, 'K'},
        {"url", required_argument, 0, 'u'},          {"lang", required_argument, 0, 'l'},
        {"meta", required_argument, 0, 'm'},         {"jsonl", no_argument, 0, 'j'},
        {"format", required_argument, 0, 'F'},       {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:s:i:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'F': {
            int f = telex_parse_input_format("push", optarg);
            if (f < 0)
                return 2;
            d.format = (tlx_env_format_t)f;
            break;
        }
        case 't':
            to = optarg;
            break;
        case 's':
            d.source = optarg;
            break;
        case 'i':
            d.id = optarg;
            break;
        case 'p':
            producer = optarg;
            break;
        case 'T':
        case 'w':
        case 'W': {
            unsigned long long v;
            const char *name = c == 'T' ? "timeout-ms" : c == 'w' ? "wait" : "window";
            if (telex_parse_u64("push", name, optarg, 1, c == 'W' ? 65536 : 86400000, &v))
                return 2;
            *(c == 'T' ? &timeout_ms : c == 'w' ? &wait_s : &window) = (int)v;
            break;
        }
        case 'C':
            curve_server = optarg;
            break;
        case 'K':
            curve_key = optarg;
            break;
        case 'u':
            d.url = optarg;
            break;
        case 'l':
            d.lang = optarg;
            break;
        case 'j':
            jsonl = 1;
            break;
        case 'm': {
            const char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg) {
                fprintf(stderr, "telex push: --meta takes KEY=VALUE, got '%s'\n", optarg);
                return 2;
            }
            if (d.nmeta == sizeof d.meta / sizeof *d.meta) {
                fprintf(stderr, "telex push: at most 256 --meta entries\n");
                return 2;
            }
            size_t k = 0; /* a repeated key: the last value wins */
            while (k < d.nmeta && !(d.meta[k].key.len == (size_t)(eq - optarg) &&
                                    memcmp(d.meta[k].key.p, optarg, d.meta[k].key.len) == 0))
                k++;
            d.meta[k] = (tlx_meta_kv_t){{optarg, (size_t)(eq - optarg)}, {eq + 1, strlen(eq + 1)}};
            if (k == d.nmeta)
                d.nmeta++;
            break;
        }
        case 'h':
            printf(
                "usage: telex push [--to EP] [--source S] [--id ID] [--url U] [--lang L] [--format F] "
                "[--meta K=V]...\n"
                "                  [--producer NAME] FILE...|-\n"
                "       telex push --jsonl [options] [FILE...|-]\n"
                "\n"
                "Sends each FILE (or stdin for -) as one article and waits for telexd's acks.\n"
                "Prints one line per input: STATUS ID FILE (STATUS: accepted, duplicate, rejected).\n"
                "With --jsonl every line of the input (default stdin) is one envelope, a JSON object\n"
                "{\"text\": ..., \"id\", \"source\", \"url\", \"lang\", \"format\", \"meta\": {\"k\": "
                "\"v\"}} (all but text\n"
                "optional); the label is FILE:LINE; a line that is not such an object is reported\n"
                "rejected and the rest are still sent.\n"
                "Exit 0 when all were stored, 1 when any was rejected, 2 when telexd did not answer.\n"
                "\n"
                "  --to EP           endpoint (default $TELEX_ENDPOINT or " TLX_DEFAULT_ENDPOINT ")\n"
                "  --source S        feed/site name, e.g. dailynk\n"
                "  --id ID           external id (only with one input); a changed text makes a new revision\n"
                "  --url U           the article's URL (only with one input)\n"
                "  --lang L          language hint, ISO 639-1 (e.g. en)\n"
                "  --format F        text or html: what the inputs are (default: telexd decides by content;\n"
                "                    html pages have their article and metadata extracted)\n"
                "  --meta K=V        passed through to the record's meta; repeatable\n"
                "                    (with --jsonl: defaults under each line's own fields)\n"
                "  --jsonl           read JSON Lines envelopes instead of one article per file\n"
                "  --producer NAME   stable producer id (default: unique per run)\n"
                "  --timeout-ms MS   re-send an unacked article after MS (default 3000)\n"
                "  --wait S          give up after S seconds without any ack (default 30)\n"
                "  --window N        unacked articles in flight (default 64)\n"
                "  --curve-server F  telexd's public key file (telex keygen): encrypt and authenticate\n"
                "  --curve-key F     this producer's secret key file (its .pub must be on telexd's "
                "allow-list)\n");
            return 0;
        default:
            return 2;
        }
    }
    int nfiles = argc - optind;
    char *stdin_only[] = {"-"};
    char **files = argv + optind;
    if (nfiles < 1 && jsonl) {
        files = stdin_only;
        nfiles = 1;
    }
    if (nfiles < 1) {
        fprintf(stderr, "telex push: no input (give FILE... or - for stdin; see --help)\n");
        return 2;
    }
    if (!jsonl && (d.id || d.url) && nfiles > 1) {
        fprintf(stderr, "telex push: --%s names one article, but %d inputs were given\n", d.id ? "id" : "url",
                nfiles);
        return 2;
    }
    if (jsonl && (d.id || d.url)) {
        fprintf(stderr, "telex push: with --jsonl, give %s in each line\n", d.id ? "id" : "url");
        return 2;
    }
    push_state_t ps = {.total = jsonl ? 0 : nfiles, .tty = isatty(2)};
    tlx_producer_opts_t po = {.endpoint = to,
                              .producer = producer,
                              .window = window,
                              .timeout_ms = timeout_ms,
                              .on_ack = s_on_ack,
                              .ctx = &ps};
    char server_pub[41], client_sec[41];
    if (curve_server || curve_key) {
        if (!curve_server || !curve_key) {
            fprintf(stderr, "telex push: --curve-server and --curve-key go together\n");
            return 2;
        }
        if (tlx_keyfile_read(curve_server, server_pub) || tlx_keyfile_read(curve_key, client_sec)) {
            fprintf(stderr, "telex push: cannot read a 40-character Z85 key from %s / %s\n", curve_server,
                    curve_key);
            return 2;
        }
        po.curve_server = server_pub;
        po.curve_secret = client_sec;
    }
    int err;
    tlx_producer_t *p = tlx_producer_new(&po, &err);
    if (!p) {
        fprintf(stderr, "telex push: cannot connect to %s: %s\n", to ? to : "the default endpoint",
                tlx_strerror(err));
        return 2;
    }
    int rc = 0;
    for (int i = 0; rc == 0 && i < nfiles; i++) {
        if (jsonl) {
            rc = s_push_jsonl(p, &ps, files[i], &d, wait_s);
            continue;
        }
        push_item_t *it = s_push_item(&ps, files[i], 0);
        if (!it) {
            fprintf(stderr, "telex push: out of memory\n");
            break;
        }
        char *text;
        size_t len;
        /* the socket cap is 4x telexd's default text limit: beyond it the frame would be dropped */
        int frc = telex_read_file(files[i], (size_t)32 << 20, &text, &len);
        if (frc) { /* telex_read_file said why on stderr */
            printf("rejected %s %s\n", frc == TLX_ETOOBIG ? "too_big" : "unreadable", files[i]);
            if (frc == TLX_ETOOBIG)
                fprintf(stderr, "telex: %s: too big to send (over 32 MiB)\n", files[i]);
            ps.rejected++;
            ps.done++;
            continue;
        }
        tlx_envelope_t env = {.text = {text, len}};
        rc = s_push_one(p, &ps, &env, &d, d.meta, d.nmeta, it, wait_s);
        free(text);
    }
    int frc = tlx_producer_flush(p, wait_s * 1000);
    if (ps.tty)
        fprintf(stderr, "\r\033[K");
    int unacked = tlx_producer_unacked(p);
    tlx_producer_destroy(&p);
    s_push_free(&ps);
    if (frc || unacked) {
        fprintf(
            stderr,
            "telex push: %d article(s) not acknowledged after %d s without an answer (is telexd running?)\n",
            unacked, wait_s);
        return 2;
    }
    return ps.rejected ? 1 : 0;
}

/* ---- get / list / stats --------------------------------------------------- */

static int cmd_get(int argc, char **argv)
{
    const char *store = NULL;
    long rev = 0;
    unsigned long long seq = 0;
    int format = TELEX_FMT_JSON;
    static const struct option opts[] = {
        {"store", required_argument, 0, 's'},  {"rev", required_argument, 0, 'r'},
        {"seq", required_argument, 0, 'q'},    {"help", no_argument, 0, 'h'},
        {"format", required_argument, 0, 'f'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            store = optarg;
            break;
        case 'r': {
            unsigned long long v;
            if (telex_parse_u64("get", "rev", optarg, 1, UINT32_MAX, &v))
                return 2;
            rev = (long)v;
            break;
        }
        case 'q':
            if (telex_parse_u64("get", "seq", optarg, 1, ULLONG_MAX, &seq))
                return 2;
            break;
        case 'f':
            if ((format = telex_parse_format("get", optarg)) < 0)
                return 2;
            break;
        case 'h':
            printf("usage: telex get [--store DIR] [--format json|ninjs] ID [--rev N]\n"
                   "       telex get [--store DIR] [--format json|ninjs] --seq SEQ\n"
                   "\n"
                   "Prints the stored record as JSON (the newest revision unless --rev).\n"
                   "--format ninjs prints it as an IPTC ninjs 3.0 news item instead.\n"
                   "Exit 1 when there is no such article.\n");
            return 0;
        default:
            return 2;
        }
    }
    if (!seq && optind != argc - 1) {
        fprintf(stderr, "telex get: give one ID (or --seq SEQ); see --help\n");
        return 2;
    }
    tlx_store_t *st;
    if (telex_open_store(telex_store_dir(store), &st))
        return 2;
    void *rec = NULL;
    size_t len = 0;
    int rc;
    if (seq)
        rc = tlx_store_get_seq(st, seq, &rec, &len);
    else
        rc = tlx_store_get_id(st, argv[optind], strlen(argv[optind]), (uint32_t)rev, NULL, &rec, &len);
    if (rc == TLX_ENOTFOUND) {
        if (seq)
            fprintf(stderr, "telex: no article with seq %llu\n", seq);
        else if (rev)
            fprintf(stderr, "telex: no revision %ld of article %s\n", rev, argv[optind]);
        else
            fprintf(stderr, "telex: no article with id %s\n", argv[optind]);
    } else if (rc)
        fprintf(stderr, "telex: cannot read the store: %s: %s (run telex verify)\n", tlx_strerror(rc),
                tlx_store_errmsg(st));
    else
        rc = telex_print_record_fmt(rec, len, isatty(1), format);
    free(rec);
    tlx_store_close(&st);
    /* not found, a damaged page, an undecodable record: this input failed */
    return rc == 0 ? 0 : 1;
}

static int s_list_cb(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t len)
{
    (void)feed_seq;
    return telex_emit_record(rec, len, seq, TELEX_FMT_JSON, ctx);
}

static int cmd_list(int argc, char **argv)
{
    const char *store = NULL;
    unsigned long long since = 0, limit = 0;
    static const struct option opts[] = {{"store", required_argument, 0, 's'},
                                         {"since", required_argument, 0, 'S'},
                                         {"limit", required_argument, 0, 'l'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            store = optarg;
            break;
        case 'S':
            if (telex_parse_u64("list", "since", optarg, 0, ULLONG_MAX, &since))
                return 2;
            break;
        case 'l':
            if (telex_parse_u64("list", "limit", optarg, 1, ULLONG_MAX, &limit))
                return 2;
            break;
        case 'h':
            printf("usage: telex list [--store DIR] [--since SEQ] [--limit N]\n"
                   "\n"
                   "Prints stored records as JSON Lines in feed (commit) order, starting after\n"
                   "feed position SEQ (default 0: from the beginning).\n");
            return 0;
        default:
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "telex list: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    tlx_store_t *st;
    if (telex_open_store(telex_store_dir(store), &st))
        return 2;
    unsigned long long skipped = 0;
    int rc = tlx_store_feed(st, since, limit, s_list_cb, &skipped, NULL);
    rc = telex_walk_status("list", st, rc, skipped);
    tlx_store_close(&st);
    return rc;
}

static int cmd_stats(int argc, char **argv)
{
    const char *store = NULL;
    static const struct option opts[] = {
        {"store", required_argument, 0, 's'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            store = optarg;
            break;
        case 'h':
            printf("usage: telex stats [--store DIR]\n\nPrints the store's counts as JSON.\n");
            return 0;
        default:
            return 2;
        }
    }
    tlx_store_t *st;
    if (telex_open_store(telex_store_dir(store), &st))
        return 2;
    tlx_store_counts_t k;
    int rc = tlx_store_counts(st, &k);
    tlx_store_close(&st);
    if (rc) {
        fprintf(stderr, "telex: cannot read the store: %s\n", tlx_strerror(rc));
        return 2;
    }
    const char *sep = isatty(1) ? ",\n  " : ",";
    printf(
        "{%s\"articles\":%llu%s\"inbox\":%llu%s\"dead\":%llu%s\"rejects\":%llu%s\"feed\":%llu%s\"ids\":%llu%s"
        "\"last_seq\":%llu%s\"map_size\":%zu%s\"map_used\":%zu%s\"readers_used\":%u%s\"readers_max\":%u%s"
        "\"schema\":%u%s\"df_docs\":%llu%s}\n",
        isatty(1) ? "\n  " : "", (unsigned long long)k.articles, sep, (unsigned long long)k.inbox, sep,
        (unsigned long long)k.dead, sep, (unsigned long long)k.rejects, sep, (unsigned long long)k.feed, sep,
        (unsigned long long)k.ids, sep, (unsigned long long)k.last_seq, sep, k.map_size, sep, k.map_used, sep,
        k.readers_used, sep, k.readers_max, sep, k.schema, sep, (unsigned long long)k.df_docs,
        isatty(1) ? "\n" : "");
    return 0;
}

/* ---- main ------------------------------------------------------------------- */

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} s_cmds[] = {{"push", cmd_push, "send articles to telexd"},
              {"get", cmd_get, "print one stored record as JSON"},
              {"list", cmd_list, "print stored records as JSON Lines, feed order"},
              {"stats", cmd_stats, "print the store's counts"},
              {"enrich", telex_cmd_enrich, "run the pipeline on one article offline (no daemon)"},
              TELEX_EXTRA_COMMANDS};

static void s_usage(FILE *f)
{
    fprintf(f, "usage: telex COMMAND [options]   (telex COMMAND --help for details)\n\n");
    for (size_t i = 0; i < sizeof s_cmds / sizeof *s_cmds; i++)
        fprintf(f, "  %-10s %s\n", s_cmds[i].name, s_cmds[i].help);
    fprintf(f, "\nEnvironment: TELEX_STORE (default " TLX_DEFAULT_STORE
               "), TELEX_ENDPOINT (default " TLX_DEFAULT_ENDPOINT ")\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        s_usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        s_usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("telex %s\n", TLX_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof s_cmds / sizeof *s_cmds; i++)
        if (strcmp(argv[1], s_cmds[i].name) == 0)
            return s_cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "telex: unknown command '%s'\n", argv[1]);
    s_usage(stderr);
    return 2;
}
