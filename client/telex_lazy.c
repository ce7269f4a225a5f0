/* SPDX-License-Identifier: Apache-2.0 */
/*  telex_lazy.c -- the `telex` CLI loads libzmq, libxml2 and CLD2 the first
    time a command calls them, not at start-up.

    Why: most commands (ner, get, list, stats, query, export...) call none
    of them, yet the dynamic loader mapped and relocated them, and what they
    pull in (ICU, libstdc++ and its initialisation, Kerberos, PGM, NORM:
    about twenty shared objects), before main on every run: about 3 ms of
    CPU, more than a `telex get` does itself, and a sixth of `telex ner`
    over a 1 MB file.
    How: this file defines the functions of those libraries that the CLI
    calls, with their own prototypes from their headers (so the compiler
    checks the signatures); each one jumps through a pointer that the
    library's first call resolves (dlopen of its SONAME, dlsym of every
    function, once, under pthread_once).  client/CMakeLists.txt links the
    CLI with --as-needed, so these libraries are no longer DT_NEEDED, and
    gives their SONAMEs (TLX_SONAME_*); without them this file is empty and
    the CLI links the libraries as before.  telexd links them normally.
    A library that cannot be loaded ends the process with the loader's
    reason and exit status 127, as the dynamic loader did at start-up.
    Rejected: static linking (libxml2 brings ICU's 30 MB of data and
    libstdc++ with its start-up; Kerberos, which libzmq needs, has no
    static library); one executable per heavy command (another exec, and
    installation changes for every packaging).
*/
#ifdef TLX_CLI_LAZY

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <zmq.h>

/* CLD2's two C++ functions, under their mangled names, for the worker's
   C shim over CLD2 (worker/text/tlx_lang_cld2.cc, which needs nothing else):
   CLD2::DetectLanguage(const char *, int, bool, bool *) and
   CLD2::LanguageCode(CLD2::Language), whose ABI is that of these C
   prototypes (an enum is an int). */
int s_cld2_detect(const char *text, int len, bool is_plain,
                  bool *reliable) __asm__("_ZN4CLD214DetectLanguageEPKcibPb");
const char *s_cld2_code(int lang) __asm__("_ZN4CLD212LanguageCodeENS_8LanguageE");

/* Every function of the libraries that the CLI calls: X(library, symbol,
   return type, name, (parameters), (arguments)).  One missing here would
   bring its library back to start-up (the linker finds it there): the
   build fails then (client/lazy_check.cmake). */
#define S_FUNCS(X)                                                                                           \
    X(S_ZMQ, "zmq_ctx_new", void *, zmq_ctx_new, (void), ())                                                 \
    X(S_ZMQ, "zmq_ctx_term", int, zmq_ctx_term, (void *c), (c))                                              \
    X(S_ZMQ, "zmq_socket", void *, zmq_socket, (void *c, int type), (c, type))                               \
    X(S_ZMQ, "zmq_close", int, zmq_close, (void *s), (s))                                                    \
    X(S_ZMQ, "zmq_connect", int, zmq_connect, (void *s, const char *addr), (s, addr))                        \
    X(S_ZMQ, "zmq_setsockopt", int, zmq_setsockopt, (void *s, int opt, const void *v, size_t n),             \
      (s, opt, v, n))                                                                                        \
    X(S_ZMQ, "zmq_send", int, zmq_send, (void *s, const void *buf, size_t len, int flags),                   \
      (s, buf, len, flags))                                                                                  \
    X(S_ZMQ, "zmq_recv", int, zmq_recv, (void *s, void *buf, size_t len, int flags), (s, buf, len, flags))   \
    X(S_ZMQ, "zmq_poll", int, zmq_poll, (zmq_pollitem_t * items, int n, long timeout), (items, n, timeout))  \
    X(S_ZMQ, "zmq_msg_init", int, zmq_msg_init, (zmq_msg_t * m), (m))                                        \
    X(S_ZMQ, "zmq_msg_recv", int, zmq_msg_recv, (zmq_msg_t * m, void *s, int flags), (m, s, flags))          \
    X(S_ZMQ, "zmq_msg_close", int, zmq_msg_close, (zmq_msg_t * m), (m))                                      \
    X(S_ZMQ, "zmq_msg_data", void *, zmq_msg_data, (zmq_msg_t * m), (m))                                     \
    X(S_ZMQ, "zmq_msg_size", size_t, zmq_msg_size, (const zmq_msg_t *m), (m))                                \
    X(S_ZMQ, "zmq_curve_keypair", int, zmq_curve_keypair, (char *pub, char *sec), (pub, sec))                \
    X(S_ZMQ, "zmq_curve_public", int, zmq_curve_public, (char *pub, const char *sec), (pub, sec))            \
    X(S_XML, "xmlInitParser", void, xmlInitParser, (void), ())                                               \
    X(S_XML, "xmlSetGenericErrorFunc", void, xmlSetGenericErrorFunc, (void *ctx, xmlGenericErrorFunc h),     \
      (ctx, h))                                                                                              \
    X(S_XML, "xmlSetStructuredErrorFunc", void, xmlSetStructuredErrorFunc,                                   \
      (void *ctx, xmlStructuredErrorFunc h), (ctx, h))                                                       \
    X(S_XML, "xmlThrDefSetGenericErrorFunc", void, xmlThrDefSetGenericErrorFunc,                             \
      (void *ctx, xmlGenericErrorFunc h), (ctx, h))                                                          \
    X(S_XML, "htmlNewParserCtxt", htmlParserCtxtPtr, htmlNewParserCtxt, (void), ())                          \
    X(S_XML, "htmlFreeParserCtxt", void, htmlFreeParserCtxt, (htmlParserCtxtPtr c), (c))                     \
    X(S_XML, "htmlCtxtReadMemory", htmlDocPtr, htmlCtxtReadMemory,                                           \
      (htmlParserCtxtPtr c, const char *buf, int size, const char *url, const char *enc, int opts),          \
      (c, buf, size, url, enc, opts))                                                                        \
    X(S_XML, "xmlDocGetRootElement", xmlNodePtr, xmlDocGetRootElement, (const xmlDoc *d), (d))               \
    X(S_XML, "xmlFreeDoc", void, xmlFreeDoc, (xmlDocPtr d), (d))                                             \
    X(S_CLD2, "_ZN4CLD214DetectLanguageEPKcibPb", int, s_cld2_detect,                                        \
      (const char *text, int len, bool is_plain, bool *reliable), (text, len, is_plain, reliable))           \
    X(S_CLD2, "_ZN4CLD212LanguageCodeENS_8LanguageE", const char *, s_cld2_code, (int lang), (lang))

enum { S_ZMQ, S_XML, S_CLD2, S_NLIB };

static const char *const s_soname[S_NLIB] = {TLX_SONAME_ZMQ, TLX_SONAME_XML2, TLX_SONAME_CLD2};

#define S_ENUM(lib, sym, ret, name, params, args) S_F_##name,
enum { S_FUNCS(S_ENUM) S_NFUNC };

static const struct {
    int lib;
    const char *sym;
} s_func[S_NFUNC] = {
#define S_ENTRY(lib, sym, ret, name, params, args) {lib, sym},
    S_FUNCS(S_ENTRY)};

static void *s_ptr[S_NFUNC];
static pthread_once_t s_once[S_NLIB] = {PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT};

static void s_open(int lib)
{
    void *h = dlopen(s_soname[lib], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "telex: cannot load %s: %s\n", s_soname[lib], dlerror());
        exit(127);
    }
    for (int i = 0; i < S_NFUNC; i++) {
        if (s_func[i].lib == lib && !(s_ptr[i] = dlsym(h, s_func[i].sym))) {
            fprintf(stderr, "telex: %s has no %s: %s\n", s_soname[lib], s_func[i].sym, dlerror());
            exit(127);
        }
    }
}

static void s_open_zmq(void)
{
    s_open(S_ZMQ);
}

static void s_open_xml(void)
{
    s_open(S_XML);
}

static void s_open_cld2(void)
{
    s_open(S_CLD2);
}

static void (*const s_opener[S_NLIB])(void) = {s_open_zmq, s_open_xml, s_open_cld2};

static inline void *s_get(int lib, int f)
{
    pthread_once(&s_once[lib], s_opener[lib]);
    return s_ptr[f];
}

#define S_DEFINE(lib, sym, ret, name, params, args)                                                          \
    ret name params                                                                                          \
    {                                                                                                        \
        return ((ret(*) params)s_get(lib, S_F_##name))args;                                                  \
    }
S_FUNCS(S_DEFINE)

#endif /* TLX_CLI_LAZY */
