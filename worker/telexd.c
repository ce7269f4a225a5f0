/* SPDX-License-Identifier: Apache-2.0 */
/*  telexd -- the telex worker daemon.

    Reads the configuration (tlx_config.h: defaults < file < environment <
    flags), installs the signal handlers and runs the engine (tlx_daemon.c)
    in the role asked for.  Foreground by default, as systemd and docker
    want; --daemon detaches only after start-up succeeded, so the exit code
    of `telexd --daemon` tells a script whether the daemon runs.

    Signals: SIGTERM/SIGINT drain and exit 0; SIGHUP reloads the
    configuration (an invalid one is logged and the running one kept).
    Exit codes: 0 clean stop, 1 start-up failure, 2 bad usage or
    configuration; --check-config: 0 valid, 1 invalid.
*/
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tlx_config.h"
#include "tlx_daemon.h"
#include "tlx_log.h"

static volatile sig_atomic_t s_stop = 0, s_hup = 0;

static void s_on_signal(int sig)
{
    if (sig == SIGHUP)
        s_hup = 1;
    else
        s_stop = 1;
}

/* ---- reload ------------------------------------------------------------------ */

typedef struct {
    int argc;
    char **argv;
    tlx_config_t *live[2]; /* the last two loaded; the daemon copies what it uses */
    int turn;
} reload_ctx_t;

static const tlx_daemon_cfg_t *s_reload(void *ctx)
{
    reload_ctx_t *r = ctx;
    tlx_config_t *c = calloc(1, sizeof *c);
    if (!c) {
        tlx_log(TLX_LOG_ERROR, "config reload failed; keeping the running configuration",
                "error=\"out of memory\"");
        return NULL;
    }
    tlx_config_load(c, r->argc, r->argv);
    if (c->nerrors) {
        for (int i = 0; i < c->nerrors; i++)
            tlx_log(TLX_LOG_ERROR, "config reload failed; keeping the running configuration", "error=\"%s\"",
                    c->errors[i]);
        tlx_config_fini(c);
        free(c);
        return NULL;
    }
    int slot = r->turn++ % 2;
    if (r->live[slot]) {
        tlx_config_fini(r->live[slot]);
        free(r->live[slot]);
    }
    r->live[slot] = c;
    return &c->cfg;
}

/* ---- pid file and --daemon ----------------------------------------------------- */

static int s_pidfd = -1;
static char s_pidpath[4096];

static int s_pidfile_lock(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "telexd: cannot open pid file %s: %s\n", path, strerror(errno));
        return TLX_EIO;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = "";
        ssize_t n = read(fd, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        fprintf(stderr, "telexd: another telexd holds the pid file %s (pid %s)\n", path, buf[0] ? buf : "?");
        close(fd);
        return TLX_EBUSY;
    }
    s_pidfd = fd;
    snprintf(s_pidpath, sizeof s_pidpath, "%s", path);
    return 0;
}

static void s_pidfile_write(void)
{
    if (s_pidfd < 0)
        return;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
    if (ftruncate(s_pidfd, 0) != 0 || pwrite(s_pidfd, buf, (size_t)n, 0) != n)
        fprintf(stderr, "telexd: cannot write pid file %s: %s\n", s_pidpath, strerror(errno));
}

static void s_pidfile_remove(void)
{
    if (s_pidfd < 0)
        return;
    unlink(s_pidpath);
    close(s_pidfd);
    s_pidfd = -1;
}

static int s_ready_fd = -1;

/* Start-up result for the parent of --daemon: '1' ready, '0' failed. */
static void s_on_ready(void *ctx, int ok)
{
    (void)ctx;
    if (s_ready_fd < 0)
        return;
    char c = ok ? '1' : '0';
    if (write(s_ready_fd, &c, 1) != 1) {
        /* the parent is gone; nothing to tell */
    }
    close(s_ready_fd);
    s_ready_fd = -1;
    if (ok) { /* detached for good: the terminal is no longer ours */
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, STDIN_FILENO);
            dup2(fd, STDOUT_FILENO);
            if (fd > STDERR_FILENO)
                close(fd);
        }
    }
}

/* Double fork; the original process waits for the daemon's start-up
   result and exits with it.  Returns in the daemon. */
static void s_daemonize(void)
{
    int p[2];
    if (pipe(p) != 0) {
        fprintf(stderr, "telexd: cannot daemonize: %s\n", strerror(errno));
        exit(1);
    }
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "telexd: cannot daemonize: %s\n", strerror(errno));
        exit(1);
    }
    if (pid > 0) {
        close(p[1]);
        char c = '0';
        ssize_t n;
        do
            n = read(p[0], &c, 1);
        while (n < 0 && errno == EINTR);
        if (n == 1 && c == '1')
            _exit(0);
        fprintf(stderr, "telexd: start-up failed (see the log above or syslog)\n");
        _exit(1);
    }
    close(p[0]);
    setsid();
    pid = fork();
    if (pid < 0)
        _exit(1);
    if (pid > 0)
        _exit(0); /* the session leader leaves: the daemon can never get a terminal back */
    umask(077);
    s_ready_fd = p[1];
}

int main(int argc, char **argv)
{
    /* Huge blocks (1 MiB and more: a huge article's arena blocks, its
       envelope copies) are mmap-ed, so they go back to the kernel as soon as
       they are freed.  glibc's default raises that threshold after such a
       free, so the next ones would come from the heap and stay there.
       Fixing it also fixes the trim threshold at its 128 KiB default, which
       hands the top of the heap back after nearly every article and
       refaults it on the next one (~40 page faults and a madvise per
       article): the heap keeps up to 32 MiB of free memory instead. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
    static tlx_config_t c; /* large: keep it off the stack */
    tlx_config_load(&c, argc, argv);
    if (c.help) {
        tlx_config_usage(stdout);
        return 0;
    }
    if (c.help_config) {
        tlx_config_reference(stdout);
        return 0;
    }
    if (c.version) {
        printf("telexd %s\n", TLX_VERSION);
        return 0;
    }
    if (c.nerrors) {
        for (int i = 0; i < c.nerrors; i++)
            fprintf(stderr, "telexd: %s\n", c.errors[i]);
        if (c.check_only) {
            fprintf(stderr, "telexd: %s: not valid (%d problem%s)\n", c.file, c.nerrors,
                    c.nerrors == 1 ? "" : "s");
            return 1;
        }
        fprintf(stderr, "telexd: see telexd --help\n");
        return 2;
    }
    if (c.check_only) {
        printf("telexd: %s: valid\n", c.file);
        tlx_config_explain(&c, stdout);
        return 0;
    }
    tlx_daemon_apply_logging(&c.cfg);

    if (c.cfg.pid_file[0] && s_pidfile_lock(c.cfg.pid_file) != 0)
        return 1;
    if (c.cfg.daemonize)
        s_daemonize();
    s_pidfile_write();

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal; /* no SA_RESTART: zmq_poll returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    reload_ctx_t r = {.argc = argc, .argv = argv};
    tlx_daemon_hooks_t hooks = {
        .stop = &s_stop, .reload = &s_hup, .load = s_reload, .ready = s_on_ready, .ctx = &r};
    int rc = tlx_daemon_run(&c.cfg, &hooks);
    for (int i = 0; i < 2; i++)
        if (r.live[i]) {
            tlx_config_fini(r.live[i]);
            free(r.live[i]);
        }
    s_pidfile_remove();
    tlx_config_fini(&c);
    return rc == 0 ? 0 : 1;
}
