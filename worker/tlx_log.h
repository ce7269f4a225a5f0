/*  tlx_log.h -- logfmt lines on stderr: `ts=... level=info msg="..." k=v`.

    Never log article text or keys at the default level (info).  Thread-safe
    (one fprintf per line; stdio locks the stream).
*/
#ifndef TLX_LOG_H
#define TLX_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TLX_LOG_ERROR, TLX_LOG_WARN, TLX_LOG_INFO, TLX_LOG_DEBUG } tlx_log_level_t;

void tlx_log_set_level(tlx_log_level_t level);
tlx_log_level_t tlx_log_get_level(void);
/*  Parses "error|warn|info|debug"; -1 if unknown. */
int tlx_log_parse_level(const char *s);

/*  fmt continues the line after msg: pass key=value pairs, e.g.
    tlx_log(TLX_LOG_INFO, "listening", "endpoint=%s", ep). */
void tlx_log(tlx_log_level_t level, const char *msg, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
#endif
