/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_test_nats.h -- a real nats-server with JetStream for unit tests:
    started on a free loopback port with a temporary store directory,
    stopped (SIGTERM, then SIGKILL) and removed at the end.  Header-only. */
#ifndef TLX_TEST_NATS_H
#define TLX_TEST_NATS_H

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    pid_t pid;
    int port;
    char dir[256];
    char url[64];
} tlx_test_nats_t;

/* A port that was free a moment ago (bind to 0, read it, close). */
static inline int tlx_test_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &l) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return ntohs(a.sin_port);
}

/* Waits (at most ~10 s) until the port accepts connections; 0 or -1. */
static inline int tlx_test_nats_wait(const tlx_test_nats_t *n)
{
    for (int i = 0; i < 200; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)n->port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
        close(fd);
        if (ok)
            return 0;
        usleep(50000);
    }
    return -1;
}

/* Starts nats-server -js on a fresh port with store dir n->dir (created
   when empty); 0 or -1. */
static inline int tlx_test_nats_start(tlx_test_nats_t *n)
{
    if (!n->dir[0]) {
        snprintf(n->dir, sizeof n->dir, "/tmp/telex-test-nats-XXXXXX");
        if (!mkdtemp(n->dir))
            return -1;
    }
    if (!n->port && (n->port = tlx_test_free_port()) < 0)
        return -1;
    snprintf(n->url, sizeof n->url, "nats://127.0.0.1:%d", n->port);
    char port[16];
    snprintf(port, sizeof port, "%d", n->port);
    n->pid = fork();
    if (n->pid < 0)
        return -1;
    if (n->pid == 0) {
        /* a test that fails an assertion or crashes leaves no server behind */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execlp("nats-server", "nats-server", "-js", "-a", "127.0.0.1", "-p", port, "-sd", n->dir,
               (char *)NULL);
        _exit(127);
    }
    return tlx_test_nats_wait(n);
}

static inline void tlx_test_nats_stop(tlx_test_nats_t *n)
{
    if (n->pid > 0) {
        kill(n->pid, SIGTERM);
        int st;
        for (int i = 0; i < 100 && waitpid(n->pid, &st, WNOHANG) == 0; i++)
            usleep(50000);
        if (waitpid(n->pid, &st, WNOHANG) == 0) {
            kill(n->pid, SIGKILL);
            waitpid(n->pid, &st, 0);
        }
        n->pid = 0;
    }
}

/* Stops the server and removes its store directory. */
static inline void tlx_test_nats_destroy(tlx_test_nats_t *n)
{
    tlx_test_nats_stop(n);
    if (n->dir[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", n->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", n->dir);
        n->dir[0] = '\0';
    }
}

#endif
