/*  tlx_log.c -- logfmt logger (see tlx_log.h). */
#include "tlx_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static volatile int s_level = TLX_LOG_INFO;
static const char *const s_names[] = {"error", "warn", "info", "debug"};

void tlx_log_set_level(tlx_log_level_t level)
{
    s_level = level;
}

tlx_log_level_t tlx_log_get_level(void)
{
    return (tlx_log_level_t)s_level;
}

int tlx_log_parse_level(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, s_names[i]) == 0)
            return i;
    return -1;
}

void tlx_log(tlx_log_level_t level, const char *msg, const char *fmt, ...)
{
    if ((int)level > s_level)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char line[2048];
    int n = snprintf(line, sizeof line, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s msg=\"%s\"",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, s_names[level], msg);
    if (fmt && *fmt && n > 0 && (size_t)n < sizeof line - 2) {
        line[n++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
        va_end(ap);
        n = m < 0 ? n : n + m;
    }
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    fwrite(line, 1, (size_t)n, stderr);
}
