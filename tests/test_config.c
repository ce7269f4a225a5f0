/* SPDX-License-Identifier: Apache-2.0 */
/*  test_config.c -- the option table's four layers, errors with their
    place, per-source settings, the reference and the reload diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tlx_config.h"
#include "tlx_log.h"
#include "tlx_sources.h"

static char s_dir[64];

static const char *s_file(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", s_dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static int s_has_error(const tlx_config_t *c, const char *needle)
{
    for (int i = 0; i < c->nerrors; i++)
        if (strstr(c->errors[i], needle))
            return 1;
    return 0;
}

static void s_clear_env(void)
{
    unsetenv("TELEX_CONFIG");
    unsetenv("TELEX_THREADS");
    unsetenv("TELEX_STORE");
    unsetenv("TELEX_ENDPOINT");
    unsetenv("TELEX_HTTP");
    unsetenv("TELEX_MAX_TEXT");
}

static void test_defaults(void **state)
{
    (void)state;
    s_clear_env();
    static tlx_config_t c;
    char *argv[] = {"telexd", NULL};
    tlx_config_load(&c, 1, argv);
    assert_int_equal(c.nerrors, 0);
    assert_string_equal(c.cfg.store, "./telex-data");
    assert_int_equal(c.cfg.nlisten, 1);
    assert_string_equal(c.cfg.listen[0], "tcp://127.0.0.1:5555");
    assert_string_equal(c.cfg.http, "127.0.0.1:9464");
    assert_int_equal(c.cfg.max_attempts, 3);
    assert_int_equal(c.cfg.log_level, TLX_LOG_INFO);
    assert_int_equal(c.cfg.role, TLX_ROLE_ALL);
    /* without a config file: the shipped per-source file (data/sources.conf) */
    tlx_source_settings_t s = tlx_sources_get(c.cfg.sources, "DailyNK");
    assert_string_equal(s.tz, "Asia/Seoul");
    s = tlx_sources_get(c.cfg.sources, "unknown-site");
    assert_null(s.tz);
    tlx_config_fini(&c);
}

static void test_layers(void **state)
{
    (void)state;
    s_clear_env();
    const char *f = s_file("layers.conf", "threads = 3\nmax_text = 2M\nlisten = tcp://a:1, tcp://b:2\n"
                                          "[telexd]\nlog_level = debug\nsyslog = yes\n");
    static tlx_config_t c;
    char *argv[] = {"telexd", "--config", (char *)f, NULL};
    tlx_config_load(&c, 3, argv);
    assert_int_equal(c.nerrors, 0);
    assert_int_equal(c.cfg.threads, 3);
    assert_int_equal(c.cfg.limits.max_text, 2 << 20);
    assert_int_equal(c.cfg.nlisten, 2);
    assert_string_equal(c.cfg.listen[1], "tcp://b:2");
    assert_int_equal(c.cfg.log_level, TLX_LOG_DEBUG);
    assert_int_equal(c.cfg.log_syslog, 1);
    tlx_config_fini(&c);

    setenv("TELEX_THREADS", "5", 1);
    setenv("TELEX_ENDPOINT", "ipc:///tmp/x", 1);
    tlx_config_load(&c, 3, argv);
    assert_int_equal(c.cfg.threads, 5); /* environment over file */
    assert_int_equal(c.cfg.nlisten, 1); /* a higher layer replaces the list */
    assert_string_equal(c.cfg.listen[0], "ipc:///tmp/x");
    tlx_config_fini(&c);

    char *argv2[] = {"telexd",    "--config", (char *)f,   "--threads=7", "--listen",
                     "tcp://c:3", "--listen", "tcp://d:4", "--daemon",    NULL};
    tlx_config_load(&c, 9, argv2);
    assert_int_equal(c.nerrors, 0);
    assert_int_equal(c.cfg.threads, 7); /* flag over environment */
    assert_int_equal(c.cfg.nlisten, 2);
    assert_string_equal(c.cfg.listen[0], "tcp://c:3");
    assert_int_equal(c.cfg.daemonize, 1);
    tlx_config_fini(&c);
    s_clear_env();
}

static void test_errors_name_the_place(void **state)
{
    (void)state;
    s_clear_env();
    const char *f =
        s_file("bad.conf", "threads = 65\nmax_txt = 1\nmax_text = 12Q\n[source.a]\ntz = ../../etc/passwd\n"
                           "day_first = maybe\nrules = /nonexistent/x.rules\nfoo = 1\n[other]\nx = y\n");
    static tlx_config_t c;
    char *argv[] = {"telexd", "--check-config", (char *)f, "--nope", "--role", "enrich", NULL};
    tlx_config_load(&c, 6, argv);
    assert_int_equal(c.check_only, 1);
    assert_true(s_has_error(&c, "bad.conf:1: threads: must be a whole number 0..64, got '65'"));
    assert_true(s_has_error(&c, "bad.conf:2: unknown option 'max_txt' (did you mean 'max_text'?)"));
    assert_true(s_has_error(&c, "bad.conf:3: max_text: must be a size"));
    assert_true(s_has_error(&c, "bad.conf:5: [source.a] tz: unknown time zone '../../etc/passwd'"));
    assert_true(s_has_error(&c, "bad.conf:6: [source.a] day_first: must be true or false"));
    assert_true(s_has_error(&c, "bad.conf:8: [source.a]: unknown key 'foo'"));
    assert_true(s_has_error(&c, "bad.conf:10: unknown section [other]"));
    assert_true(s_has_error(&c, "[source.a] rules: cannot read the file"));
    assert_true(s_has_error(&c, "unknown option '--nope'"));
    assert_true(s_has_error(&c, "role enrich needs connect"));
    tlx_config_fini(&c);

    /* the NATS options: a replica needs --from and does not publish; names are checked */
    char *argv3[] = {"telexd",        "--role",           "replica", "--publish",
                     "nats://x:4222", "--publish-stream", "A.B",     "--publish-format",
                     "xml",           "--replica-name",   "a b",     NULL};
    tlx_config_load(&c, 11, argv3);
    assert_true(s_has_error(&c, "role replica needs from"));
    assert_true(s_has_error(&c, "a replica does not publish"));
    assert_true(s_has_error(&c, "publish-stream: a JetStream stream name"));
    assert_true(s_has_error(&c, "publish-format: must be one of json|msgpack, got 'xml'"));
    assert_true(s_has_error(&c, "replica-name: a consumer name"));
    tlx_config_fini(&c);
    char *argv4[] = {"telexd", "--role", "replica", "--from", "nats://x:4222", "--http-api", NULL};
    tlx_config_load(&c, 6, argv4);
    assert_int_equal(c.nerrors, 0);
    assert_int_equal(c.cfg.role, TLX_ROLE_REPLICA);
    assert_int_equal(c.cfg.http_api, 1);
    assert_string_equal(c.cfg.publish_stream, "TELEX");
    tlx_config_fini(&c);

    /* CURVE on the enrich link: the key options of each side go together */
    char *argv5[] = {"telexd",
                     "--role",
                     "store",
                     "--enrich-listen",
                     "tcp://127.0.0.1:5556",
                     "--enrich-curve-secret",
                     "link.key",
                     "--enrich-curve-server",
                     "link.pub",
                     NULL};
    tlx_config_load(&c, 9, argv5);
    assert_true(s_has_error(&c, "enrich-curve-secret and enrich-curve-allow go together"));
    assert_true(s_has_error(&c, "enrich-curve-server is for role enrich"));
    tlx_config_fini(&c);
    char *argv6[] = {"telexd",       "--role",
                     "enrich",       "--connect",
                     "tcp://a:5556", "--enrich-curve-secret",
                     "w.key",        "--enrich-curve-allow",
                     "x.txt",        NULL};
    tlx_config_load(&c, 9, argv6);
    assert_true(s_has_error(&c, "role enrich: enrich-curve-secret and enrich-curve-server go together"));
    assert_true(s_has_error(&c, "enrich-curve-allow is for the store"));
    tlx_config_fini(&c);
    char *argv7[] = {"telexd", "--enrich-curve-secret", "link.key", "--enrich-curve-allow", "a.txt", NULL};
    tlx_config_load(&c, 5, argv7);
    assert_true(s_has_error(&c, "enrich-curve-secret secures enrich-listen, which is not set"));
    tlx_config_fini(&c);
    char *argv8[] = {"telexd",       "--role",
                     "enrich",       "--connect",
                     "tcp://a:5556", "--enrich-curve-secret",
                     "w.key",        "--enrich-curve-server",
                     "link.pub",     NULL};
    tlx_config_load(&c, 9, argv8);
    assert_int_equal(c.nerrors, 0);
    assert_string_equal(c.cfg.enrich_curve_server, "link.pub");
    tlx_config_fini(&c);

    char *argv2[] = {"telexd", "--config", "/nonexistent/telexd.conf", NULL};
    tlx_config_load(&c, 3, argv2);
    assert_true(
        s_has_error(&c, "cannot read config file /nonexistent/telexd.conf: No such file or directory"));
    tlx_config_fini(&c);
}

static void test_sources(void **state)
{
    (void)state;
    s_clear_env();
    const char *rules = s_file("x.rules", "# comment\nexact Follow us on the socials.\nprefix Copyright\n");
    char text[512];
    snprintf(
        text, sizeof text,
        "[source.dailynk]\ntz = Asia/Tokyo\n[source.Wire]\ncurrency = USD\nday_first = true\nrules = %s\n"
        "[source.*]\ntz = Europe/London\n",
        rules);
    const char *f = s_file("src.conf", text);
    static tlx_config_t c;
    char *argv[] = {"telexd", "--config", (char *)f, NULL};
    tlx_config_load(&c, 3, argv);
    assert_int_equal(c.nerrors, 0);
    /* dailynk, Wire, * from the file; yonhap, kcna from the shipped data/sources.conf */
    assert_int_equal(tlx_sources_count(c.cfg.sources), 5);
    tlx_source_settings_t s = tlx_sources_get(c.cfg.sources, "dailynk");
    assert_string_equal(s.tz, "Asia/Tokyo"); /* the config file's section replaces the shipped one */
    s = tlx_sources_get(c.cfg.sources, "wire");
    assert_null(s.tz);
    assert_string_equal(s.currency, "USD");
    assert_int_equal(s.day_first, 1);
    assert_non_null(s.rules);
    s = tlx_sources_get(c.cfg.sources, "yonhap"); /* a shipped section beats [source.*] */
    assert_string_equal(s.tz, "Asia/Seoul");
    s = tlx_sources_get(c.cfg.sources, "somewhere");
    assert_string_equal(s.tz, "Europe/London");
    s = tlx_sources_get(c.cfg.sources, NULL);
    assert_string_equal(s.tz, "Europe/London");

    /* the slot hands out references that outlive a publish */
    tlx_sources_slot_t slot;
    tlx_sources_slot_init(&slot, c.cfg.sources);
    tlx_sources_t *held = tlx_sources_acquire(&slot);
    tlx_sources_publish(&slot, NULL);
    tlx_config_fini(&c);
    assert_string_equal(tlx_sources_get(held, "wire").currency, "USD");
    tlx_sources_unref(held);
    assert_null(tlx_sources_acquire(&slot));
    tlx_sources_slot_fini(&slot);
}

/* The per-source file: `sources` names it, 'none' switches it off, its
   errors name file and line, and telex enrich's reader sees the same. */
static void test_sources_file(void **state)
{
    (void)state;
    s_clear_env();
    static tlx_config_t c;
    char path[160];
    snprintf(path, sizeof path, "%s",
             s_file("mine.sources",
                    "; an operator's copy\n\n[source.Herald]\ntz = Asia/Tokyo ; its zone\ncurrency = JPY\n"
                    "# the sample feed\n[source.kcna]\nday_first = yes\n"));
    const char *conf = s_file("s.conf", "[source.kcna]\ncurrency = KPW\n[source.*]\ntz = Europe/London\n");
    char *argv[] = {"telexd", "--config", (char *)conf, "--sources", path, NULL};
    tlx_config_load(&c, 5, argv);
    assert_int_equal(c.nerrors, 0);
    assert_int_equal(tlx_sources_count(c.cfg.sources), 3); /* kcna, *, Herald */
    tlx_source_settings_t s = tlx_sources_get(c.cfg.sources, "herald");
    assert_string_equal(s.tz, "Asia/Tokyo");
    assert_string_equal(s.currency, "JPY");
    s = tlx_sources_get(c.cfg.sources, "kcna"); /* the config file's section, whole */
    assert_string_equal(s.currency, "KPW");
    assert_null(s.tz);
    assert_int_equal(s.day_first, 0);
    s = tlx_sources_get(c.cfg.sources, "dailynk"); /* the shipped file is not read */
    assert_string_equal(s.tz, "Europe/London");
    tlx_config_fini(&c);

    char *argv2[] = {"telexd", "--sources", "none", NULL};
    tlx_config_load(&c, 3, argv2);
    assert_int_equal(c.nerrors, 0);
    assert_int_equal(tlx_sources_count(c.cfg.sources), 0);
    assert_null(tlx_sources_get(c.cfg.sources, "dailynk").tz);
    tlx_config_fini(&c);

    char bad[160];
    snprintf(bad, sizeof bad, "%s", s_file("bad.sources", "[source.a]\ntz = Asia/Seoul\nzone = x\n"));
    char *argv3[] = {"telexd", "--sources", bad, NULL};
    tlx_config_load(&c, 3, argv3);
    assert_true(s_has_error(&c, "bad.sources:3: [source.a]: unknown key 'zone'"));
    tlx_config_fini(&c);
    const char *outside = s_file("outside.sources", "tz = UTC\n");
    char *argv4[] = {"telexd", "--sources", (char *)outside, NULL};
    tlx_config_load(&c, 3, argv4);
    assert_true(s_has_error(&c, "outside.sources:1: 'tz' outside a [source.NAME] section"));
    tlx_config_fini(&c);
    char *argv5[] = {"telexd", "--sources", "/nonexistent/x.sources", NULL};
    tlx_config_load(&c, 3, argv5);
    assert_true(s_has_error(&c, "cannot read /nonexistent/x.sources: No such file or directory"));
    tlx_config_fini(&c);

    /* telex enrich's reader: rules loaded; a missing file is an empty table */
    char err[512];
    tlx_sources_t *t = tlx_sources_open(path, err, sizeof err);
    assert_non_null(t);
    assert_int_equal(tlx_sources_count(t), 2);
    assert_int_equal(tlx_sources_get(t, "KCNA").day_first, 1);
    tlx_sources_unref(t);
    t = tlx_sources_open("/nonexistent/x.sources", err, sizeof err);
    assert_non_null(t);
    assert_int_equal(tlx_sources_count(t), 0);
    tlx_sources_unref(t);
    assert_null(tlx_sources_open(bad, err, sizeof err));
    assert_non_null(strstr(err, "bad.sources:3:"));
}

static void test_reference_and_diff(void **state)
{
    (void)state;
    s_clear_env();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    tlx_config_reference(f);
    fclose(f);
    const char *must[] = {"| `max_text` | `--max-text` | `TELEX_MAX_TEXT` | `8388608` | yes |",
                          "| `store` | `--store` | `TELEX_STORE` | `./telex-data` | restart |",
                          "`all` (all/store/enrich/replica)",
                          "| `publish_format` | `--publish-format` |",
                          "| `http_api` | `--http-api` |",
                          "| `tz` |",
                          "| `rules` |"};
    for (size_t i = 0; i < sizeof must / sizeof *must; i++)
        assert_non_null(strstr(buf, must[i]));
    free(buf);

    static tlx_config_t a, b;
    char *argv1[] = {"telexd", "--threads", "2", "--store", "/a", NULL};
    char *argv2[] = {"telexd", "--threads", "4", "--store", "/b", "--http", "none", NULL};
    tlx_config_load(&a, 5, argv1);
    tlx_config_load(&b, 7, argv2);
    char restart[256];
    tlx_config_diff(&a.cfg, &b.cfg, restart, sizeof restart);
    assert_string_equal(restart, "store,http"); /* threads changes live */
    tlx_config_fini(&a);
    tlx_config_fini(&b);
}

int main(void)
{
    snprintf(s_dir, sizeof s_dir, "/tmp/telex-config.XXXXXX");
    if (!mkdtemp(s_dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_layers),
        cmocka_unit_test(test_errors_name_the_place),
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_sources_file),
        cmocka_unit_test(test_reference_and_diff),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", s_dir);
    if (system(cmd) != 0)
        rc = rc ? rc : 1;
    return rc;
}
