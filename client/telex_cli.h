/* SPDX-License-Identifier: Apache-2.0 */
/*  telex_cli.h -- shared helpers and the subcommand table of the telex CLI.

    Every subcommand is `int telex_cmd_<name>(int argc, char **argv)` with
    argv[0] the subcommand name; it answers --help, returns the exit code
    (0 ok, 1 failed for some input, 2 usage/environment error).  A module
    adding subcommands declares them here and lists them in
    TELEX_EXTRA_COMMANDS.
*/
#ifndef TELEX_CLI_H
#define TELEX_CLI_H

#include <stddef.h>

#include "tlx_store.h"

/* The store directory: the option, else $TELEX_STORE, else ./telex-data. */
const char *telex_store_dir(const char *opt);
/* Opens the store read-only; prints "telex: cannot open store ..." on failure. */
int telex_open_store(const char *dir, tlx_store_t **st);
/* Prints a msgpack record as JSON (pretty when asked) and a newline. */
int telex_print_record(const void *rec, size_t len, int pretty);

/* Output formats of records: the record's own JSON, or an IPTC ninjs 3.0 item. */
enum { TELEX_FMT_JSON, TELEX_FMT_NINJS };
/* "json"/"jsonl" -> TELEX_FMT_JSON, "ninjs" -> TELEX_FMT_NINJS, else -1 (with a message naming `cmd`). */
int telex_parse_format(const char *cmd, const char *s);
/* Input formats (envelope `format`): "text" -> TLX_ENV_FORMAT_TEXT, "html" -> TLX_ENV_FORMAT_HTML,
   else -1 (with a message naming `cmd`). */
int telex_parse_input_format(const char *cmd, const char *s);
/* Prints a record in the given format and a newline. */
int telex_print_record_fmt(const void *rec, size_t len, int pretty, int format);
/* Readers' record output: prints the record as one line in `format`
   (TELEX_FMT_*); a record that does not decode is reported on stderr with
   its seq, counted in *skipped and skipped (one bad record must not hide
   the rest of the feed).  Returns non-zero only when stdout failed. */
int telex_emit_record(const void *rec, size_t len, unsigned long long seq, int format,
                      unsigned long long *skipped);
/* After a walk: prints why it stopped early (rc < 0: a store error, e.g.
   a damaged page) and the skipped count; returns the exit code (0, or 1
   when the walk failed or skipped records). */
int telex_walk_status(const char *cmd, tlx_store_t *st, int rc, unsigned long long skipped);
/* From here on, a SIGSEGV or SIGBUS (LMDB reading a damaged page of the
   store in dir) prints that the store is damaged and exits 1. */
void telex_guard_store(const char *dir);
/* Option values: a whole decimal number (digits only, no sign, no suffix,
   no overflow) within [min, max]; else prints "telex CMD: --OPT wants ...,
   not 'S'" and returns -1. */
int telex_parse_u64(const char *cmd, const char *opt, const char *s, unsigned long long min,
                    unsigned long long max, unsigned long long *out);
/* A calendar date YYYY-MM-DD that exists (2024-02-30 does not); else a
   message naming cmd and opt, and -1. */
int telex_parse_date(const char *cmd, const char *opt, const char *s);
/* Reads a file ("-" = stdin), at most `max` bytes; prints errors itself. */
int telex_read_file(const char *path, size_t max, char **out, size_t *len);

int telex_cmd_enrich(int argc, char **argv);
int telex_cmd_query(int argc, char **argv);
int telex_cmd_tail(int argc, char **argv);
int telex_cmd_export(int argc, char **argv);
int telex_cmd_verify(int argc, char **argv);
int telex_cmd_backup(int argc, char **argv);
int telex_cmd_dead(int argc, char **argv);
int telex_cmd_keygen(int argc, char **argv);
int telex_cmd_top(int argc, char **argv);

#include "telex_ner.h"

/* Subcommands from other modules: {"name", fn, "help"}, ... */
#define TELEX_EXTRA_COMMANDS                                                                                 \
    {"query", telex_cmd_query, "records matching --entity/--tag/--source/--from/--to, from the indexes"},    \
        {"tail", telex_cmd_tail, "records a consumer group has not seen yet; --follow keeps going"},         \
        {"export", telex_cmd_export, "every record as JSON Lines, for bulk loads"},                          \
        {"verify", telex_cmd_verify, "check the store's indexes, feed, inbox and schema"},                   \
        {"backup", telex_cmd_backup, "hot, compacted, verified copy of the store"},                          \
        {"dead", telex_cmd_dead, "list dead letters, or --replay ID|--all to put them back"},                \
        {"keygen", telex_cmd_keygen, "make a CURVE key pair for telexd or a producer"},                      \
        {"ner", telex_cmd_ner, "tag CoNLL token lines: \"token TAG\" (IOB2 PER/LOC/ORG/MISC)"},              \
        {"train-ner", telex_cmd_train_ner, "train the NER model from CoNLL-2003 files"},                     \
        {"top", telex_cmd_top, "live view of a running telexd from its /metrics; JSON when piped"},

#endif
