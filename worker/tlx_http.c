/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_http.c -- /metrics, /health, /ready over libmicrohttpd (see tlx_http.h).

    Slow clients (slowloris: many connections, each sending a byte before
    the idle timeout) must not take every slot, or a liveness probe fails
    and a healthy daemon is restarted.  libmicrohttpd bounds idle time and
    connections in total and per client address, but not a connection's
    age; so the MHD thread keeps a table of open connections (notify
    callback) and, whenever a connection opens or a request arrives,
    shuts down those older than HTTP_AGE_MAX_S, and the oldest while more
    than HTTP_SOFT are open: the hard limit is never reached by slow
    clients, a new connection (a probe) always gets in, and a request
    is answered as soon as its headers are complete.  Rejected: a second
    listener for health (another port to configure and to probe), a
    timer thread (the MHD thread alone touches the table: no locks). */
#include "tlx_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "tlx_httpapi.h"

#define HTTP_HARD 128     /* connections libmicrohttpd admits at all */
#define HTTP_SOFT 64      /* past this many open, the oldest are shut down */
#define HTTP_PER_IP 16    /* connections from one client address */
#define HTTP_AGE_MAX_S 30 /* no connection lives longer (idle: 10 s) */

typedef struct {
    struct MHD_Connection *c; /* NULL: free */
    int fd;
    struct timespec t0;
    int shut;
} conn_t;

struct tlx_http {
    struct MHD_Daemon *mhd;
    const tlx_metrics_t *m;
    _Atomic(tlx_store_t *) api;   /* the read API's store, or NULL (off) */
    conn_t conns[HTTP_HARD + 16]; /* touched only by the MHD thread */
    int nconns;
};

static double s_age(const conn_t *k, const struct timespec *now)
{
    return (double)(now->tv_sec - k->t0.tv_sec) + (double)(now->tv_nsec - k->t0.tv_nsec) / 1e9;
}

/* Shuts down connections past their age, then the oldest while too many
   are open; libmicrohttpd sees the end of the stream and closes them. */
static void s_sweep(tlx_http_t *h, const conn_t *keep)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int open = 0;
    for (size_t i = 0; i < sizeof h->conns / sizeof *h->conns; i++) {
        conn_t *k = &h->conns[i];
        if (!k->c || k->shut)
            continue;
        if (k != keep && s_age(k, &now) > HTTP_AGE_MAX_S) {
            shutdown(k->fd, SHUT_RDWR);
            k->shut = 1;
        } else
            open++;
    }
    while (open > HTTP_SOFT) {
        conn_t *old = NULL;
        for (size_t i = 0; i < sizeof h->conns / sizeof *h->conns; i++) {
            conn_t *k = &h->conns[i];
            if (k->c && !k->shut && k != keep && (!old || s_age(k, &now) > s_age(old, &now)))
                old = k;
        }
        if (!old)
            break;
        shutdown(old->fd, SHUT_RDWR);
        old->shut = 1;
        open--;
    }
}

static void s_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                     enum MHD_ConnectionNotificationCode toe)
{
    tlx_http_t *h = cls;
    if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        conn_t *k = *socket_context;
        if (k) {
            k->c = NULL;
            h->nconns--;
        }
        *socket_context = NULL;
        return;
    }
    conn_t *k = NULL;
    for (size_t i = 0; i < sizeof h->conns / sizeof *h->conns && !k; i++)
        if (!h->conns[i].c)
            k = &h->conns[i];
    *socket_context = k;
    if (!k)
        return; /* cannot happen: the table is larger than HTTP_HARD */
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    k->c = c;
    k->fd = ci ? ci->connect_fd : -1;
    k->shut = k->fd < 0;
    clock_gettime(CLOCK_MONOTONIC, &k->t0);
    h->nconns++;
    s_sweep(h, k);
}

typedef struct {
    tlx_httpapi_arg_t a[TLX_HTTPAPI_ARGS_MAX + 1];
    int n;
} args_t;

static enum MHD_Result s_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    args_t *a = cls;
    if (a->n <= TLX_HTTPAPI_ARGS_MAX) /* one past the maximum: the API answers 400 */
        a->a[a->n++] = (tlx_httpapi_arg_t){key, value};
    return MHD_YES;
}

/* /v1/: the read API when it is on; 0 when not its path. */
static int s_api(tlx_http_t *h, struct MHD_Connection *c, const char *url, enum MHD_Result *out)
{
    tlx_store_t *st = atomic_load(&h->api);
    if (!st)
        return 0;
    args_t a = {.n = 0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, s_arg, &a);
    tlx_httpapi_resp_t r = {.body = TLX_BUF_INIT};
    if (!tlx_httpapi_serve(st, url, a.a, a.n, &r))
        return 0;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r.body.len, r.body.data, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        tlx_buf_free(&r.body);
        *out = MHD_NO;
        return 1;
    }
    MHD_add_response_header(resp, "Content-Type", r.type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r.next_since) {
        char nb[24];
        snprintf(nb, sizeof nb, "%llu", (unsigned long long)r.next_since);
        MHD_add_response_header(resp, "Telex-Next-Since", nb);
    }
    *out = MHD_queue_response(c, r.status, resp);
    MHD_destroy_response(resp);
    return 1;
}

void tlx_http_set_api(tlx_http_t *self, tlx_store_t *store)
{
    if (self)
        atomic_store(&self->api, store);
}

static enum MHD_Result s_reply(struct MHD_Connection *c, unsigned status, const char *type, void *body,
                               size_t len, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result s_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                const char *version, const char *upload, size_t *upload_len, void **state)
{
    (void)version;
    (void)upload;
    tlx_http_t *h = cls;
    if (!*state) { /* first call: headers only */
        *state = h;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        s_sweep(h, ci ? ci->socket_context : NULL);
        return MHD_YES;
    }
    if (*upload_len) { /* ignore any body */
        *upload_len = 0;
        return MHD_YES;
    }
    static char text_type[] = "text/plain; charset=utf-8";
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return s_reply(c, 405, text_type, "only GET\n", 9, MHD_RESPMEM_PERSISTENT);
    if (strcmp(url, "/metrics") == 0) {
        tlx_buf_t b = TLX_BUF_INIT;
        if (tlx_metrics_render(h->m, &b) != 0) {
            tlx_buf_free(&b);
            return s_reply(c, 500, text_type, "out of memory\n", 14, MHD_RESPMEM_PERSISTENT);
        }
        /* MHD takes the buffer and free()s it */
        struct MHD_Response *r = MHD_create_response_from_buffer(b.len, b.data, MHD_RESPMEM_MUST_FREE);
        if (!r) {
            tlx_buf_free(&b);
            return MHD_NO;
        }
        MHD_add_response_header(r, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        MHD_add_response_header(r, "Cache-Control", "no-store");
        enum MHD_Result rc = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (strcmp(url, "/health") == 0)
        return s_reply(c, 200, text_type, "ok\n", 3, MHD_RESPMEM_PERSISTENT);
    if (strcmp(url, "/ready") == 0) {
        char why[200], body[240];
        int ok = tlx_metrics_ready(h->m, why, sizeof why);
        int n = snprintf(body, sizeof body, ok ? "ready\n" : "not ready: %s\n", why);
        return s_reply(c, ok ? 200 : 503, text_type, body, (size_t)n, MHD_RESPMEM_MUST_COPY);
    }
    enum MHD_Result api_rc;
    if (s_api(h, c, url, &api_rc))
        return api_rc;
    return s_reply(c, 404, text_type, "not found (try /metrics, /health, /ready)\n", 42,
                   MHD_RESPMEM_PERSISTENT);
}

tlx_http_t *tlx_http_start(const char *addr, const tlx_metrics_t *m, char *bound, size_t bound_len, char *err,
                           size_t err_len)
{
    char host[200];
    const char *colon = strrchr(addr, ':');
    if (!colon || colon == addr || (size_t)(colon - addr) >= sizeof host) {
        snprintf(err, err_len, "'%s' is not HOST:PORT", addr);
        return NULL;
    }
    snprintf(host, sizeof host, "%.*s", (int)(colon - addr), addr);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535) {
        snprintf(err, err_len, "'%s' has no valid port", addr);
        return NULL;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        host[strlen(host) - 1] = '\0';
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1) {
            snprintf(err, err_len, "'%s' is not an IPv6 address", host + 1);
            return NULL;
        }
        flags |= MHD_USE_IPv6;
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        if (strcmp(host, "localhost") == 0)
            snprintf(host, sizeof host, "127.0.0.1");
        if (inet_pton(AF_INET, host, &s4->sin_addr) != 1) {
            snprintf(err, err_len, "'%s' is not an IPv4 address (use 0.0.0.0, 127.0.0.1 or [::1])", host);
            return NULL;
        }
    }
    tlx_http_t *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    h->m = m;
    errno = 0;
    sigset_t all, old; /* its thread must not take the daemon's SIGTERM/SIGHUP */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    h->mhd = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, s_handle, h, MHD_OPTION_SOCK_ADDR,
                              (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_HARD,
                              MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_PER_IP,
                              MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_NOTIFY_CONNECTION,
                              s_notify, h, MHD_OPTION_END);
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    if (!h->mhd) {
        snprintf(err, err_len, "cannot listen on %s: %s", addr,
                 errno ? strerror(errno) : "libmicrohttpd failed");
        free(h);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
    unsigned p = info ? info->port : (unsigned)port;
    if (flags & MHD_USE_IPv6)
        snprintf(bound, bound_len, "[%s]:%u", host + 1, p);
    else
        snprintf(bound, bound_len, "%s:%u", host, p);
    return h;
}

void tlx_http_stop(tlx_http_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    MHD_stop_daemon((*self_p)->mhd);
    free(*self_p);
    *self_p = NULL;
}
