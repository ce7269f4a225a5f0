/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_store.c -- LMDB store (see tlx_store.h and SCHEMA.md).

    Design: one environment, named DBs opened once at start (DBIs are then
    valid for every txn of the process).  The writer keeps at most one write
    txn open (a "batch"); every accept/result/reject of one group commit goes
    into it and becomes durable at once with one fsync.  Sequence counters
    live in memory during a batch and are written to `meta` at commit;
    wabort() rolls them back so a replayed batch assigns the same numbers.
    Readers use MDB_NOTLS short read txns and retry on MDB_MAP_RESIZED.

    Rejected: one env per DB (no atomic record+index+inbox commit), and
    MDB_NOSYNC/MDB_WRITEMAP (an ack must mean "on disk"; WRITEMAP also makes
    the file as large as the map on some filesystems).
*/
#include "tlx_store.h"

#include "store_int.h"
#include "tlx_buf.h"
#include "tlx_clock.h"
#include "tlx_fingerprint.h"
#include "tlx_index.h"
#include "tlx_mp.h"
#include "tlx_sha256.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <lmdb.h>
#include <msgpack.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

static const struct {
    const char *name;
    unsigned flags;
} s_dbs[DB__COUNT] = {
    [DB_ARTICLES] = {"articles", 0},
    [DB_IDS] = {"ids", MDB_DUPSORT | MDB_DUPFIXED},
    [DB_RAW] = {"raw", 0},
    [DB_INBOX] = {"inbox", 0},
    [DB_DEDUP] = {"dedup", 0},
    [DB_FEED] = {"feed", 0},
    [DB_CURSORS] = {"cursors", 0},
    [DB_DEAD] = {"dead", 0},
    [DB_REJECTS] = {"rejects", 0},
    [DB_STATS] = {"stats", 0},
    [DB_SIMHASH] = {"simhash", MDB_DUPSORT | MDB_DUPFIXED},
    [DB_IDX_ENTITY] = {"idx_entity", MDB_DUPSORT | MDB_DUPFIXED},
    [DB_IDX_TAG] = {"idx_tag", MDB_DUPSORT | MDB_DUPFIXED},
    [DB_IDX_SOURCE] = {"idx_source", MDB_DUPSORT | MDB_DUPFIXED},
    [DB_IDX_DAY] = {"idx_day", MDB_DUPSORT | MDB_DUPFIXED},
    [DB_META] = {"meta", 0},
    [DB_ENVELOPES] = {"envelopes", 0},
};

/* ---- helpers ----------------------------------------------------------- */

/* Maps an LMDB return code to a TLX code and remembers the message. */
int tlx_store__mdb(tlx_store_t *self, int rc, const char *what)
{
    if (rc == 0)
        return 0;
    snprintf(self->errmsg, sizeof self->errmsg, "%s: %s", what, mdb_strerror(rc));
    switch (rc) {
    case MDB_NOTFOUND:
        return TLX_ENOTFOUND;
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
        return TLX_ECORRUPT;
    case MDB_MAP_FULL:
    case MDB_TXN_FULL:
        return TLX_EFULL;
    case ENOMEM:
        return TLX_ENOMEM;
    case ENOSPC:
    case EIO:
        errno = rc;
        return TLX_EIO;
    default:
        return TLX_ESTORE;
    }
}

/* The store whose write batch this thread has open (NULL: none).  A
   reader call from the writer's own thread inside its batch reads the
   batch's writes; any other thread (telexd's publisher, the HTTP read
   API) gets a read txn of its own, so self->txn is never shared. */
static __thread tlx_store_t *s_batch_of;

/* Begins a read txn, adopting a map grown by another process.  Holds the
   map lock (shared) until tlx_store__rend, so tlx_store_grow never remaps
   under a reader of this process. */
int tlx_store__rbegin(tlx_store_t *self, MDB_txn **txn)
{
    if (s_batch_of == self) { /* inside our write batch: read our own writes */
        *txn = NULL;
        return 0;
    }
    pthread_rwlock_rdlock(&self->map_lock);
    int rc = mdb_txn_begin(self->env, NULL, MDB_RDONLY, txn);
    if (rc == MDB_MAP_RESIZED) {
        mdb_env_set_mapsize(self->env, 0);
        rc = mdb_txn_begin(self->env, NULL, MDB_RDONLY, txn);
    }
    if (rc) {
        *txn = NULL;
        pthread_rwlock_unlock(&self->map_lock);
    }
    return tlx_store__mdb(self, rc, "begin read");
}

void tlx_store__rend(tlx_store_t *self, MDB_txn *rt)
{
    if (rt) {
        mdb_txn_abort(rt);
        pthread_rwlock_unlock(&self->map_lock);
    }
}

static inline MDB_txn *s_rtxn(tlx_store_t *self, MDB_txn *rt)
{
    return rt ? rt : self->txn;
}

/* The last key of a DB keyed by seq (0 when empty); *rc (may be NULL)
   gets LMDB's error other than "empty". */
static uint64_t s_last_key_rc(MDB_txn *txn, MDB_dbi dbi, int *rc)
{
    MDB_cursor *cur;
    MDB_val k, v;
    uint64_t last = 0;
    int r = mdb_cursor_open(txn, dbi, &cur);
    if (r == 0) {
        r = mdb_cursor_get(cur, &k, &v, MDB_LAST);
        if (r == 0 && k.mv_size == 8)
            last = s_get_be64(k.mv_data);
        mdb_cursor_close(cur);
    }
    if (rc && r != MDB_NOTFOUND && !*rc)
        *rc = r;
    return last;
}

static uint64_t s_last_key(MDB_txn *txn, MDB_dbi dbi)
{
    return s_last_key_rc(txn, dbi, NULL);
}

static uint64_t s_meta_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, int *rc)
{
    MDB_val k = {strlen(key), (void *)key}, v;
    int r = mdb_get(txn, dbi, &k, &v);
    if (r == 0 && v.mv_size == 8)
        return s_get_be64(v.mv_data);
    if (r != 0 && r != MDB_NOTFOUND && !*rc)
        *rc = r;
    return 0;
}

static int s_put_meta_u64(tlx_store_t *self, const char *key, uint64_t val)
{
    uint8_t b[8];
    s_be64(b, val);
    MDB_val k = {strlen(key), (void *)key}, v = {8, b};
    return tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_META], &k, &v, 0), "put meta");
}

/* ---- open / close -------------------------------------------------------- */

void tlx_store_opts_default(tlx_store_opts_t *o)
{
    memset(o, 0, sizeof(*o));
    o->map_size = (size_t)1 << 30;
    o->map_max = (size_t)1 << 40;
    o->max_readers = 126;
}

/* mkdir -p; 0 or TLX_EIO (errno says why). */
static int s_mkdirs(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return TLX_EIO;
        *p = '/';
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return TLX_EIO;
    return 0;
}

/* ---- damage checks, identity, the writer's lock ---------------------------

   A store directory holds, beside LMDB's data.mdb and lock.mdb:
   telex.store, the marker with the store's identity (16 random bytes, also
   in meta "store_id"), written once when the store is created; and
   telexd.lock, flock'ed by the one owner (telexd) and holding its pid.
   The marker lets an owner tell "no store yet" (create one) from "the
   store's file is gone or empty" (refuse: LMDB would silently start an
   empty store over the lost data).  Rejected: a lock on lock.mdb (LMDB's
   own file and locking scheme), an fcntl lock (not kept across the
   --daemon fork, dropped when any descriptor of the file closes). */

#define MARKER_NAME "telex.store"
#define LOCK_NAME "telexd.lock"

static void s_path(char *out, size_t size, const char *dir, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

/* Reads the identity from the marker: 1 found (hex in id), 0 no marker,
   TLX_EIO unreadable, TLX_ECORRUPT not a marker. */
static int s_marker_read(const char *dir, char id[33])
{
    char path[4200], buf[128] = {0};
    s_path(path, sizeof path, dir, MARKER_NAME);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : TLX_EIO;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0)
        return TLX_EIO;
    if (sscanf(buf, "telex store %32[0-9a-f]", id) != 1 || strlen(id) != 32)
        return TLX_ECORRUPT;
    return 1;
}

/* Writes the marker atomically (temp file, fsync, rename); 0 or TLX_EIO. */
static int s_marker_write(const char *dir, const char *id)
{
    char path[4200], tmp[4300], buf[512];
    s_path(path, sizeof path, dir, MARKER_NAME);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int n = snprintf(buf, sizeof buf,
                     "telex store %s\n"
                     "This file marks a telex store.  telexd refuses to start when data.mdb beside it\n"
                     "is missing, empty or another store's, instead of starting an empty store over\n"
                     "lost data.  Remove this file only to start a new, empty store here.\n",
                     id);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return TLX_EIO;
    int ok = write(fd, buf, (size_t)n) == n && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return TLX_EIO;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

/* The owner's exclusive lock (see above).  Held until tlx_store_close. */
static int s_lock(tlx_store_t *self, char *err, size_t errsz)
{
    char path[4200];
    s_path(path, sizeof path, self->dir, LOCK_NAME);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errsz, "cannot lock store %s: %s", self->dir, strerror(errno));
        return TLX_EIO;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        char buf[32] = {0};
        ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
        long pid = n > 0 ? strtol(buf, NULL, 10) : 0;
        close(fd);
        if (e != EWOULDBLOCK) {
            snprintf(err, errsz, "cannot lock store %s: %s", self->dir, strerror(e));
            return TLX_EIO;
        }
        if (pid > 0)
            snprintf(err, errsz, "store %s is in use by pid %ld", self->dir, pid);
        else
            snprintf(err, errsz, "store %s is in use by another process", self->dir);
        return TLX_EBUSY;
    }
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
        /* the lock holds without the pid; a second owner just cannot name us */
    }
    self->lock_fd = fd;
    return 0;
}

/* The stores open in this process, by directory.  LMDB must not have one
   environment open twice in a process (lmdb.h, "Caveats"): fcntl locks
   never conflict within a process, so a second open takes the lock
   file's exclusive lock, re-initialises the reader table, transaction id
   and write mutex under the first one's writer, and closing it drops the
   first one's locks; readers could then see an old state for good.  A
   second open is refused instead. */
#define OPEN_MAX 64
static pthread_mutex_t s_open_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    dev_t dev;
    ino_t ino;
} s_open[OPEN_MAX];
static int s_nopen;

static int s_register(tlx_store_t *self, char *err, size_t errsz)
{
    struct stat st;
    if (stat(self->dir, &st) != 0)
        return 0; /* LMDB reports it */
    int rc = 0;
    pthread_mutex_lock(&s_open_mu);
    for (int i = 0; i < s_nopen && !rc; i++)
        if (s_open[i].dev == st.st_dev && s_open[i].ino == st.st_ino)
            rc = TLX_EBUSY;
    if (rc)
        snprintf(err, errsz,
                 "store %s is already open in this process (LMDB allows one open per process; share the "
                 "handle or use another process)",
                 self->dir);
    else if (s_nopen < OPEN_MAX) {
        s_open[s_nopen].dev = self->dir_dev = st.st_dev;
        s_open[s_nopen].ino = self->dir_ino = st.st_ino;
        s_nopen++;
        self->registered = true;
    }
    pthread_mutex_unlock(&s_open_mu);
    return rc;
}

static void s_unregister(tlx_store_t *self)
{
    if (!self->registered)
        return;
    pthread_mutex_lock(&s_open_mu);
    for (int i = 0; i < s_nopen; i++)
        if (s_open[i].dev == self->dir_dev && s_open[i].ino == self->dir_ino) {
            s_open[i] = s_open[--s_nopen];
            break;
        }
    pthread_mutex_unlock(&s_open_mu);
    self->registered = false;
}

/* Before LMDB sees the directory: an empty data.mdb would be initialised
   as a new store (by any writable open), a missing one beside a marker
   means the store's data went away. */
static int s_precheck(tlx_store_t *self, bool creating, char *err, size_t errsz)
{
    char path[4200], id[33];
    s_path(path, sizeof path, self->dir, "data.mdb");
    struct stat st;
    if (stat(path, &st) == 0) {
        if (st.st_size == 0) {
            snprintf(
                err, errsz,
                "cannot open store %s: data.mdb is empty (0 bytes): the store's data is gone; restore it "
                "from a backup (telex backup), or delete data.mdb and " MARKER_NAME " to start a new, "
                "empty store",
                self->dir);
            return TLX_ECORRUPT;
        }
        return 0;
    }
    if (errno != ENOENT || !creating)
        return 0; /* LMDB reports it */
    if (s_marker_read(self->dir, id) > 0) {
        snprintf(err, errsz,
                 "cannot open store %s: data.mdb is missing, but " MARKER_NAME
                 " says store %s lives here; restore data.mdb from a backup, or delete " MARKER_NAME
                 " to start a new, empty store",
                 self->dir, id);
        return TLX_ECORRUPT;
    }
    return 0;
}

/* After mdb_env_open, before any page is read through the map: every
   page up to the last one the newest meta page uses must be in the file,
   or the first access to it is a SIGBUS.  The file only grows, and LMDB
   writes pages before the meta page that names them, so a reader racing
   the writer never sees a short file here. */
static int s_check_size(tlx_store_t *self, char *err, size_t errsz)
{
    MDB_envinfo info;
    MDB_stat ms;
    mdb_filehandle_t fd;
    struct stat st;
    if (mdb_env_info(self->env, &info) || mdb_env_stat(self->env, &ms) || mdb_env_get_fd(self->env, &fd) ||
        fstat(fd, &st) != 0)
        return 0;
    unsigned long long need = ((unsigned long long)info.me_last_pgno + 1) * ms.ms_psize;
    if ((unsigned long long)st.st_size < need) {
        snprintf(
            err, errsz,
            "cannot open store %s: data.mdb is damaged: it is %lld bytes, but its pages run to byte %llu "
            "(the file was cut short); restore it from a backup",
            self->dir, (long long)st.st_size, need);
        return TLX_ECORRUPT;
    }
    return 0;
}

static bool s_damage(int rc)
{
    return rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND || rc == MDB_INVALID;
}

/* LMDB's assertions fire on pages of the wrong kind: a damaged file. */
static void s_assert(MDB_env *env, const char *msg)
{
    tlx_store_t *self = mdb_env_get_userctx(env);
    fflush(stdout);
    fprintf(stderr, "telex: store %s is damaged (run telex verify)%s%s\n", self ? self->dir : "?",
            self && self->opts.assert_exit ? ": LMDB: " : "", self && self->opts.assert_exit ? msg : "");
    if (self && self->opts.assert_exit)
        exit(self->opts.assert_exit);
    /* LMDB prints msg and aborts when this returns */
}

/* The store's identity: meta "store_id", the same in the marker. */
static int s_identity(tlx_store_t *self, MDB_txn *txn, char *err, size_t errsz)
{
    char hex[33] = {0}, marked[33] = {0};
    MDB_val k = {8, "store_id"}, v;
    int grc = mdb_get(txn, self->dbi[DB_META], &k, &v);
    if (grc != 0 && grc != MDB_NOTFOUND) {
        snprintf(err, errsz, "cannot open store %s: meta: %s%s", self->dir, mdb_strerror(grc),
                 s_damage(grc) ? " (the store is damaged; run telex verify)" : "");
        return s_damage(grc) ? TLX_ECORRUPT : TLX_ESTORE;
    }
    int have = grc == 0 && v.mv_size == 16;
    if (have)
        sodium_bin2hex(hex, sizeof hex, v.mv_data, 16);
    if (self->opts.read_only)
        return 0; /* a reader reads whatever data.mdb holds */
    int m = s_marker_read(self->dir, marked);
    if (m > 0 && (!have || strcmp(hex, marked) != 0)) {
        snprintf(err, errsz,
                 "cannot open store %s: data.mdb is not the store " MARKER_NAME
                 " names (%s, data.mdb has %s); "
                 "put the right data.mdb back, or delete " MARKER_NAME " to adopt this one",
                 self->dir, marked, have ? hex : "no identity");
        return TLX_ECORRUPT;
    }
    if (self->opts.no_create)
        return 0;
    if (!have) {
        uint8_t idb[16];
        randombytes_buf(idb, sizeof idb);
        v.mv_size = 16;
        v.mv_data = idb;
        int rc = mdb_put(txn, self->dbi[DB_META], &k, &v, 0);
        if (rc) {
            snprintf(err, errsz, "cannot initialise store %s: %s", self->dir, mdb_strerror(rc));
            return TLX_ESTORE;
        }
        sodium_bin2hex(hex, sizeof hex, idb, 16);
    }
    snprintf(self->ident, sizeof self->ident, "%s", hex);
    self->write_marker = m == 0;
    return 0;
}

int tlx_store_open(const char *dir, const tlx_store_opts_t *opts, tlx_store_t **out, char *err, size_t errsz)
{
    *out = NULL;
    tlx_store_opts_t o;
    if (opts)
        o = *opts;
    else
        tlx_store_opts_default(&o);
    if (!o.map_size)
        o.map_size = (size_t)1 << 30;
    if (!o.map_max)
        o.map_max = (size_t)1 << 40;
    if (!o.max_readers)
        o.max_readers = 126;
    if (sodium_init() < 0) {
        snprintf(err, errsz, "cannot initialise libsodium");
        return TLX_EIO;
    }

    tlx_store_t *self = calloc(1, sizeof(*self));
    if (!self) {
        snprintf(err, errsz, "cannot open store %s: out of memory", dir);
        return TLX_ENOMEM;
    }
    self->opts = o;
    self->statm_fd = -1;
    pthread_rwlock_init(&self->map_lock, NULL);
    pthread_mutex_init(&self->warm_mu, NULL);
    pthread_cond_init(&self->warm_cv, NULL);
    self->lock_fd = -1;
    snprintf(self->dir, sizeof self->dir, "%s", dir);
    int rc = 0;
    MDB_txn *txn = NULL;
    bool owner = !o.read_only && !o.no_create;

    struct stat st;
    if (o.read_only || o.no_create) {
        if (stat(dir, &st) != 0) {
            snprintf(err, errsz, "cannot open store %s: %s", dir, strerror(errno));
            rc = errno == ENOENT ? TLX_ENOTFOUND : TLX_EIO;
            goto fail;
        }
    } else if (s_mkdirs(dir) != 0) {
        snprintf(err, errsz, "cannot create store %s: %s", dir, strerror(errno));
        rc = TLX_EIO;
        goto fail;
    }
    if ((rc = s_register(self, err, errsz)))
        goto fail;
    if (owner && (rc = s_lock(self, err, errsz)))
        goto fail;
    if ((rc = s_precheck(self, !o.read_only, err, errsz)))
        goto fail;
    if ((rc = mdb_env_create(&self->env))) {
        snprintf(err, errsz, "cannot open store %s: %s", dir, mdb_strerror(rc));
        rc = TLX_ESTORE;
        goto fail;
    }
    mdb_env_set_maxdbs(self->env, DB__COUNT + 4);
    mdb_env_set_maxreaders(self->env, o.max_readers);
    mdb_env_set_userctx(self->env, self);
    mdb_env_set_assert(self->env, s_assert);
    /* Readers and consumers adopt the size in the file (LMDB uses the meta
       page's map size when none is set before open). */
    if (owner)
        mdb_env_set_mapsize(self->env, o.map_size);
    unsigned flags = MDB_NOTLS | MDB_NORDAHEAD | (o.read_only ? MDB_RDONLY : 0);
    if ((rc = mdb_env_open(self->env, dir, flags, 0600))) {
        const char *why = rc > 0 ? strerror(rc) : mdb_strerror(rc);
        if (o.read_only && rc == ENOENT)
            why = "No such file or directory (no store here yet)";
        snprintf(err, errsz, "cannot open store %s: %s", dir, why);
        rc = rc == EACCES        ? TLX_EIO
             : rc == ENOENT      ? TLX_ENOTFOUND
             : rc == MDB_INVALID ? TLX_ECORRUPT
                                 : TLX_ESTORE;
        goto fail;
    }
    if ((rc = s_check_size(self, err, errsz)))
        goto fail;
    if (owner) {
        /* The map may be larger than our default (grown by an earlier run). */
        MDB_envinfo info;
        mdb_env_info(self->env, &info);
        if (info.me_mapsize < o.map_size)
            mdb_env_set_mapsize(self->env, o.map_size);
    }
    int dead;
    mdb_reader_check(self->env, &dead);

    /* Open (and in write mode create) every DB; check the schema. */
    rc = mdb_txn_begin(self->env, NULL, o.read_only ? MDB_RDONLY : 0, &txn);
    if (rc == MDB_MAP_RESIZED) {
        mdb_env_set_mapsize(self->env, 0);
        rc = mdb_txn_begin(self->env, NULL, o.read_only ? MDB_RDONLY : 0, &txn);
    }
    if (rc) {
        snprintf(err, errsz, "cannot open store %s: %s%s", dir, mdb_strerror(rc),
                 s_damage(rc) ? " (the store is damaged; run telex verify)" : "");
        rc = s_damage(rc) ? TLX_ECORRUPT : TLX_ESTORE;
        goto fail;
    }
    /* Where the marker says a store lives, its core databases exist: one
       that seems missing is damage, never a reason to create it empty. */
    char marked[33];
    bool existing = s_marker_read(dir, marked) > 0;
    for (int i = 0; i < DB__COUNT; i++) {
        bool core = i == DB_ARTICLES || i == DB_FEED || i == DB_META || i == DB_INBOX;
        unsigned create = o.read_only || (existing && core) || i == DB_ENVELOPES ? 0 : MDB_CREATE;
        rc = mdb_dbi_open(txn, s_dbs[i].name, s_dbs[i].flags | create, &self->dbi[i]);
        if (i == DB_ENVELOPES && rc == MDB_NOTFOUND) {
            /* a new store or a schema-1 one: made below, once the version
               says it may be missing */
            rc = 0;
            continue;
        }
        if (i == DB_ENVELOPES && rc == 0)
            self->has_envelopes = true;
        if (rc) {
            if (rc == MDB_NOTFOUND && existing) {
                snprintf(err, errsz,
                         "cannot open store %s: the store is damaged: its '%s' database is gone (run telex "
                         "verify)",
                         dir, s_dbs[i].name);
                rc = MDB_CORRUPTED;
            } else if (rc == MDB_NOTFOUND)
                snprintf(err, errsz, "cannot open store %s: not a telex store (no '%s' database)", dir,
                         s_dbs[i].name);
            else
                snprintf(err, errsz, "cannot open store %s: database %s: %s%s", dir, s_dbs[i].name,
                         mdb_strerror(rc), s_damage(rc) ? " (the store is damaged; run telex verify)" : "");
            rc = rc == MDB_NOTFOUND ? TLX_ESCHEMA : s_damage(rc) ? TLX_ECORRUPT : TLX_ESTORE;
            goto fail;
        }
    }
    MDB_val k = {6, "schema"}, v;
    int grc = mdb_get(txn, self->dbi[DB_META], &k, &v);
    if (grc != 0 && grc != MDB_NOTFOUND) {
        snprintf(err, errsz, "cannot open store %s: meta: %s%s", dir, mdb_strerror(grc),
                 s_damage(grc) ? " (the store is damaged; run telex verify)" : "");
        rc = s_damage(grc) ? TLX_ECORRUPT : TLX_ESTORE;
        goto fail;
    }
    if (grc == 0) {
        uint64_t ver = v.mv_size == 8 ? s_get_be64(v.mv_data) : 0;
        if (ver < TLX_SCHEMA_OLDEST || ver > TLX_SCHEMA_VERSION) {
            snprintf(err, errsz,
                     "cannot open store %s: schema version %llu, but this telex reads versions %d to %d "
                     "(use the telex release that wrote it, or export and re-import)",
                     dir, (unsigned long long)ver, TLX_SCHEMA_OLDEST, TLX_SCHEMA_VERSION);
            rc = TLX_ESCHEMA;
            goto fail;
        }
        if (ver >= 2 && !self->has_envelopes) { /* never made empty again: that would hide the loss */
            snprintf(err, errsz,
                     "cannot open store %s: the store is damaged: its 'envelopes' database is gone (run "
                     "telex verify)",
                     dir);
            rc = TLX_ECORRUPT;
            goto fail;
        }
        /* Upgrade (SCHEMA.md, History): version 2 only adds `envelopes` and
           the "TXI2" entries and `raw` references, and reads every version-1
           value as it is; the owner's open made the DB, this commit marks
           the store.  From here, releases reading only version 1 refuse it. */
        if (ver < TLX_SCHEMA_VERSION && owner) {
            uint8_t b[8];
            s_be64(b, TLX_SCHEMA_VERSION);
            MDB_val nv = {8, b};
            if ((rc = mdb_put(txn, self->dbi[DB_META], &k, &nv, 0))) {
                snprintf(err, errsz, "cannot upgrade store %s to schema %d: %s", dir, TLX_SCHEMA_VERSION,
                         mdb_strerror(rc));
                rc = rc == MDB_MAP_FULL ? TLX_EFULL : TLX_ESTORE;
                goto fail;
            }
        }
    } else if (!o.read_only) {
        uint8_t b[8];
        s_be64(b, TLX_SCHEMA_VERSION);
        v.mv_size = 8;
        v.mv_data = b;
        if ((rc = mdb_put(txn, self->dbi[DB_META], &k, &v, 0))) {
            snprintf(err, errsz, "cannot initialise store %s: %s", dir, mdb_strerror(rc));
            rc = TLX_ESTORE;
            goto fail;
        }
    }
    if (!self->has_envelopes && !o.read_only) {
        if ((rc = mdb_dbi_open(txn, s_dbs[DB_ENVELOPES].name, s_dbs[DB_ENVELOPES].flags | MDB_CREATE,
                               &self->dbi[DB_ENVELOPES]))) {
            snprintf(err, errsz, "cannot open store %s: database envelopes: %s", dir, mdb_strerror(rc));
            rc = rc == MDB_MAP_FULL ? TLX_EFULL : TLX_ESTORE;
            goto fail;
        }
        self->has_envelopes = true;
    }
    if ((rc = s_identity(self, txn, err, errsz)))
        goto fail;
    int krc = 0;
    self->next.inbox = s_meta_u64(txn, self->dbi[DB_META], "next_inbox", &krc);
    self->next.reject = s_meta_u64(txn, self->dbi[DB_META], "next_reject", &krc);
    if (!self->next.inbox)
        self->next.inbox = s_last_key_rc(txn, self->dbi[DB_INBOX], &krc) + 1;
    if (self->has_envelopes) { /* an envelope's seq is never given again */
        uint64_t e = s_last_key_rc(txn, self->dbi[DB_ENVELOPES], &krc) + 1;
        if (e > self->next.inbox)
            self->next.inbox = e;
    }
    if (!self->next.reject)
        self->next.reject = s_last_key_rc(txn, self->dbi[DB_REJECTS], &krc) + 1;
    self->next.article = s_last_key_rc(txn, self->dbi[DB_ARTICLES], &krc) + 1;
    self->next.feed = s_last_key_rc(txn, self->dbi[DB_FEED], &krc) + 1;
    if (krc) { /* the writer would number new entries from a wrong place */
        snprintf(err, errsz, "cannot open store %s: %s%s", dir, mdb_strerror(krc),
                 s_damage(krc) ? " (the store is damaged; run telex verify)" : "");
        rc = s_damage(krc) ? TLX_ECORRUPT : TLX_ESTORE;
        goto fail;
    }
    /* commit even when read-only: DBI handles opened in a txn that is
       aborted are closed with it (lmdb.h, mdb_dbi_open) */
    if ((rc = mdb_txn_commit(txn))) {
        txn = NULL;
        /* MDB_BAD_TXN: an earlier call of this txn met an error (LMDB then
           refuses the commit), which in a store that opened is damage */
        bool dmg = s_damage(rc) || rc == MDB_BAD_TXN;
        snprintf(err, errsz, "cannot initialise store %s: %s%s", dir,
                 rc > 0 ? strerror(rc) : mdb_strerror(rc),
                 dmg ? " (the store is damaged; run telex verify)" : "");
        rc = dmg ? TLX_ECORRUPT : TLX_ESTORE;
        goto fail;
    }
    txn = NULL;
    if (self->write_marker && s_marker_write(dir, self->ident) != 0) {
        snprintf(err, errsz, "cannot write %s/" MARKER_NAME ": %s", dir, strerror(errno));
        rc = TLX_EIO;
        goto fail;
    }
    *out = self;
    tlx_store_set_map_resident_max(self, o.map_resident_max);
    return 0;

fail:
    if (txn)
        mdb_txn_abort(txn);
    if (self->env)
        mdb_env_close(self->env);
    pthread_rwlock_destroy(&self->map_lock);
    pthread_mutex_destroy(&self->warm_mu);
    pthread_cond_destroy(&self->warm_cv);
    if (self->lock_fd >= 0)
        close(self->lock_fd);
    s_unregister(self);
    free(self);
    return rc ? rc : TLX_ESTORE;
}

static void s_unwarm(tlx_store_t *self);
static void s_df_close(tlx_store_t *self);

void tlx_store_close(tlx_store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_store_t *self = *self_p;
    if (self->txn)
        tlx_store_wabort(self); /* an open batch's counts go with it */
    if (s_batch_of == self)
        s_batch_of = NULL;
    s_df_close(self);
    s_unwarm(self);
    mdb_env_close(self->env);
    if (self->statm_fd >= 0)
        close(self->statm_fd);
    tlx_dfpend_destroy(&self->df);
    tlx_dfpend_destroy(&self->df_held);
    tlx_dfpend_destroy(&self->df_out);
    pthread_rwlock_destroy(&self->map_lock);
    pthread_mutex_destroy(&self->warm_mu);
    pthread_cond_destroy(&self->warm_cv);
    if (self->lock_fd >= 0) {
        if (ftruncate(self->lock_fd, 0) != 0) {
            /* a stale pid is harmless: the lock, not the pid, decides */
        }
        close(self->lock_fd);
    }
    s_unregister(self);
    free(self->att);
    free(self->iop);
    free(self->ipool);
    free(self);
    *self_p = NULL;
}

const char *tlx_store_errmsg(const tlx_store_t *self)
{
    return self->errmsg;
}

int tlx_store_reader_check(tlx_store_t *self)
{
    int dead = 0;
    mdb_reader_check(self->env, &dead);
    return dead;
}

/* ---- bounded mapped pages (tlx_store.h) ------------------------------------ */

/* File-backed resident bytes of this process ("shared" in statm: RssFile +
   RssShmem), read with one pread on a descriptor kept open. */
static size_t s_rss_file(tlx_store_t *self)
{
    char buf[128];
    ssize_t n = pread(self->statm_fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    unsigned long size, res, shared;
    if (sscanf(buf, "%lu %lu %lu", &size, &res, &shared) != 3)
        return 0;
    return (size_t)shared * (size_t)sysconf(_SC_PAGESIZE);
}

/* LMDB does not expose its map address (me_mapaddr is only set with
   MDB_FIXEDMAP): find the mapping of data.mdb in /proc/self/maps, each time,
   so a stale address after a resize can never hit another mapping. */
static int s_map_drop(tlx_store_t *self)
{
    int done = 0;
    char want[PATH_MAX + 16], real[PATH_MAX];
    if (!realpath(self->dir, real))
        return 0;
    snprintf(want, sizeof want, "%s/data.mdb", real);
    FILE *f = fopen("/proc/self/maps", "re");
    if (!f)
        return 0;
    char line[PATH_MAX + 256];
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char *path = strchr(line, '/');
        if (!path || sscanf(line, "%lx-%lx", &lo, &hi) != 2)
            continue;
        path[strcspn(path, "\n")] = '\0';
        if (strcmp(path, want) == 0)
            done |= madvise((void *)lo, hi - lo, MADV_DONTNEED) == 0;
    }
    fclose(f);
    return done;
}

void tlx_store_set_map_resident_max(tlx_store_t *self, size_t bytes)
{
    self->opts.map_resident_max = bytes;
    if (bytes && self->statm_fd < 0)
        self->statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (bytes && self->statm_fd >= 0) { /* start from a let-go: the floor is then what is not the store */
        s_map_drop(self);
        self->map_floor = s_rss_file(self);
    }
}

int tlx_store_map_check(tlx_store_t *self)
{
    self->map_tick = 0;
    if (!self->opts.map_resident_max || self->statm_fd < 0)
        return 0;
    if (s_rss_file(self) <= self->map_floor + self->opts.map_resident_max)
        return 0;
    if (!s_map_drop(self))
        return 0; /* nothing let go: keep the floor, or the bound would creep up */
    self->map_floor = s_rss_file(self);
    self->map_drops++;
    return 1;
}

void tlx_store__map_tick(tlx_store_t *self, unsigned every)
{
    if (self->has_writer && !pthread_equal(self->wtid, pthread_self()))
        return; /* the bound is kept by the writer's thread (tlx_store.h) */
    if (self->opts.map_resident_max && ++self->map_tick >= every)
        tlx_store_map_check(self);
}

uint64_t tlx_store_map_drops(const tlx_store_t *self)
{
    return self->map_drops;
}

/* Small msgpack values (rejects, dead letters) through msgpack-c's packer. */
static void s_pack_kv_u64(msgpack_packer *pk, const char *k, uint64_t v)
{
    msgpack_pack_str_with_body(pk, k, strlen(k));
    msgpack_pack_uint64(pk, v);
}

static void s_pack_kv_str(msgpack_packer *pk, const char *k, const char *v)
{
    size_t l = strnlen(v, 4096);
    msgpack_pack_str_with_body(pk, k, strlen(k));
    msgpack_pack_str_with_body(pk, v, l);
}

/* ---- writer --------------------------------------------------------------- */

/* ---- raised attempt counters (meta "attempts", SCHEMA.md) -----------------

   Raising an inbox entry's attempt counter before its dispatch rewrote the
   whole entry, envelope included: most articles of a busy telexd wait in
   the queue and take that path, so each one's text was written to the
   inbox twice.  The raised counter goes to one small sorted table in meta
   instead, written once per commit; the entry keeps the counter it was
   written with.  Readers take the larger of the two (the table only holds
   raised values).  Bounded: past ATT_MAX records the entry is rewritten,
   as before. */

#define ATT_MAX 4096
static const MDB_val s_att_key = {sizeof ATT_KEY - 1, ATT_KEY};

/* Binary search of a table of n records: 1 with *at = the record's index,
   or 0 with *at = where it would go. */
static int s_att_find(const uint8_t *tab, size_t n, uint64_t seq, size_t *at)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t s = s_get_be64(tab + mid * ATT_REC);
        if (s == seq) {
            *at = mid;
            return 1;
        }
        if (s < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return 0;
}

/* The open batch's table, read from meta at its first use.  0 or TLX_E*. */
static int s_att_load(tlx_store_t *self)
{
    if (self->att_loaded)
        return 0;
    MDB_val v;
    int rc = mdb_get(self->txn, self->dbi[DB_META], (MDB_val *)&s_att_key, &v);
    self->att_n = 0;
    if (rc == 0 && v.mv_size % ATT_REC == 0) { /* another size: ignored (telex verify reports it) */
        size_t n = v.mv_size / ATT_REC;
        if (n > self->att_cap) {
            uint8_t *p = realloc(self->att, n * ATT_REC);
            if (!p)
                return TLX_ENOMEM;
            self->att = p;
            self->att_cap = n;
        }
        if (n)
            memcpy(self->att, v.mv_data, n * ATT_REC);
        self->att_n = n;
    } else if (rc != 0 && rc != MDB_NOTFOUND)
        return tlx_store__mdb(self, rc, "meta get");
    self->att_loaded = true;
    return 0;
}

/* The table as read txn rt sees it, or the open batch's own when rt is
   NULL (tlx_store__rbegin's convention inside the batch): *n records at
   *tab, valid while the txn is. */
static void s_att_view(tlx_store_t *self, MDB_txn *rt, const uint8_t **tab, size_t *n)
{
    MDB_val v;
    *tab = NULL;
    *n = 0;
    if (!rt) {
        if (s_att_load(self) == 0) {
            *tab = self->att;
            *n = self->att_n;
        }
    } else if (mdb_get(rt, self->dbi[DB_META], (MDB_val *)&s_att_key, &v) == 0 && v.mv_size % ATT_REC == 0) {
        *tab = v.mv_data;
        *n = v.mv_size / ATT_REC;
    }
}

/* An entry's attempt counter: the larger of its own and the raised one. */
static uint32_t s_att_apply(const uint8_t *tab, size_t n, uint64_t seq, uint32_t own)
{
    size_t at;
    uint32_t raised = s_att_find(tab, n, seq, &at) ? (uint32_t)tlx_get_be(tab + at * ATT_REC + 8, 4) : 0;
    return raised > own ? raised : own;
}

static uint32_t s_att_of(tlx_store_t *self, MDB_txn *rt, uint64_t seq, uint32_t own)
{
    const uint8_t *tab;
    size_t n;
    s_att_view(self, rt, &tab, &n);
    return s_att_apply(tab, n, seq, own);
}

int tlx_store__att_set(tlx_store_t *self, uint64_t seq, uint32_t attempts)
{
    int rc = s_att_load(self);
    if (rc)
        return rc;
    size_t at;
    int found = s_att_find(self->att, self->att_n, seq, &at);
    if (!attempts) {
        if (found) {
            uint8_t *r = self->att + at * ATT_REC;
            memmove(r, r + ATT_REC, (self->att_n - at - 1) * ATT_REC);
            self->att_n--;
            self->att_dirty = true;
        }
        return 0;
    }
    if (!found) {
        if (self->att_n >= ATT_MAX)
            return TLX_ETOOBIG;
        if (self->att_n == self->att_cap) {
            size_t cap = self->att_cap ? self->att_cap * 2 : 256;
            uint8_t *p = realloc(self->att, cap * ATT_REC);
            if (!p)
                return TLX_ENOMEM;
            self->att = p;
            self->att_cap = cap;
        }
        uint8_t *r = self->att + at * ATT_REC; /* self->att is allocated now */
        memmove(r + ATT_REC, r, (self->att_n - at) * ATT_REC);
        self->att_n++;
        s_be64(r, seq);
    }
    tlx_put_be(self->att + at * ATT_REC + 8, attempts, 4);
    self->att_dirty = true;
    return 0;
}

/* The batch's table into meta (wcommit). */
static int s_att_write(tlx_store_t *self)
{
    if (self->att_n == 0) {
        int rc = mdb_del(self->txn, self->dbi[DB_META], (MDB_val *)&s_att_key, NULL);
        return rc == MDB_NOTFOUND ? 0 : tlx_store__mdb(self, rc, "meta del");
    }
    MDB_val v = {self->att_n * ATT_REC, self->att};
    return tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_META], (MDB_val *)&s_att_key, &v, 0),
                          "meta put");
}

int tlx_store_wbegin(tlx_store_t *self)
{
    if (self->txn)
        return TLX_EINVAL;
    if (self->opts.read_only)
        return TLX_EINVAL;
    /* one write batch per thread: the read path of s_batch_of trusts it */
    assert(s_batch_of == NULL);
    self->saved = self->next;
    self->att_loaded = self->att_dirty = false;
    int rc = mdb_txn_begin(self->env, NULL, 0, &self->txn);
    if (rc == MDB_MAP_RESIZED) { /* cannot happen with one writer, but be safe */
        mdb_env_set_mapsize(self->env, 0);
        rc = mdb_txn_begin(self->env, NULL, 0, &self->txn);
    }
    if (rc)
        self->txn = NULL;
    else {
        s_batch_of = self;
        self->wtid = pthread_self();
        self->has_writer = true;
    }
    return tlx_store__mdb(self, rc, "begin write");
}

#ifdef TLX_TEST_HOOKS
/* Chaos tests: TELEX_TEST_COMMIT_DELAY_MS holds every commit (and map
   growth) open that long, so a SIGKILL lands inside one. */
static void s_test_delay(void)
{
    static int ms = -1;
    if (ms < 0) {
        const char *e = getenv("TELEX_TEST_COMMIT_DELAY_MS");
        ms = e ? atoi(e) : 0;
    }
    if (ms > 0)
        usleep((useconds_t)ms * 1000);
}
#else
static void s_test_delay(void)
{
}
#endif

/* ---- page cache warming -----------------------------------------------------

   Why: the kernel writes back a dirty page cache folio whole, and on
   filesystems with large folios (ext4 since Linux 6.16) a buffered write
   that extends a file creates folios as large as the write -- LMDB's
   commit writes its new pages in runs of up to 64, so most of data.mdb
   ends up in 64-256 KB folios.  Later LMDB reuses freed pages one at a
   time, and each such page then costs its whole folio at the next fsync:
   measured 785 KB of disk writes per article in the full pipeline for
   75 KB written, an I/O-bound writer.  A page first faulted in through a
   MADV_RANDOM mapping is a single-page folio, so the owner keeps the
   region just past the used pages cached that way (the file extended
   sparsely, the pages read once through a short-lived mapping) before
   LMDB writes there; a clean close cuts the file back to its used size.

   Not on tmpfs (no writeback, and a hole read there takes memory).

   Rejected: MDB_WRITEMAP (same effect, but a full disk becomes SIGBUS);
   evicting written pages (they are read again right away: the inbox). */

#define WARM_CHUNK ((uint64_t)16 << 20)
#define WARM_PIECE ((uint64_t)512 << 10)
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14; older kernels answer EINVAL */
#endif

/* 1 when data.mdb lives in memory (tmpfs, ramfs): nothing is written
   back there, and reading a hole would take a page of the filesystem. */
static bool s_in_memory_fs(int fd)
{
    struct statfs sf;
    return fstatfs(fd, &sf) != 0 || sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC;
}

/* Reads [at, at + len) of data.mdb through a short-lived MADV_RANDOM
   mapping.  0, or -1 when the page cache is not ours to fill (out of memory). */
static int s_warm_piece(int fd, uint64_t at, size_t len)
{
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)at);
    if (p == MAP_FAILED)
        return -1;
    madvise(p, len, MADV_RANDOM);
    int err = madvise(p, len, MADV_POPULATE_READ) != 0 ? errno : 0;
    if (err == EINVAL) /* a kernel before 5.14: fault the pages one by one */
        for (size_t o = 0; o < len; o += page)
            (void)*(volatile const char *)((const char *)p + o);
    munmap(p, len);
    return err && err != EINVAL ? -1 : 0;
}

/* The warming thread: reads what the writer asked for, a piece at a time
   (the mapping counts in this process's RSS while it is populated), off
   the writer's thread -- faulting in and zeroing ~3 pages per article was
   a third of the null pipeline's writer CPU.  When it falls behind, LMDB
   writes some pages first: those get larger folios, nothing worse. */
static void *s_warm_main(void *arg)
{
    tlx_store_t *self = arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals are the main thread's */
    pthread_mutex_lock(&self->warm_mu);
    for (;;) {
        while (!self->warm_stop && self->warm_pos >= self->warm_to)
            pthread_cond_wait(&self->warm_cv, &self->warm_mu);
        if (self->warm_stop)
            break;
        uint64_t at = self->warm_pos;
        size_t len = (size_t)(self->warm_to - at < WARM_PIECE ? self->warm_to - at : WARM_PIECE);
        pthread_mutex_unlock(&self->warm_mu);
        int rc = s_warm_piece(self->warm_fd, at, len);
        pthread_mutex_lock(&self->warm_mu);
        if (rc) {
            __atomic_store_n(&self->warm_off, true, __ATOMIC_RELAXED);
            break;
        }
        if (self->warm_pos < at + len)
            self->warm_pos = at + len;
    }
    pthread_mutex_unlock(&self->warm_mu);
    return NULL;
}

/* After a commit (the writer): keeps WARM_CHUNK/2..WARM_CHUNK bytes past
   the used pages extended and asked for. */
static void s_warm(tlx_store_t *self)
{
    MDB_envinfo info;
    mdb_filehandle_t fd;
    if (self->lock_fd < 0 || __atomic_load_n(&self->warm_off, __ATOMIC_RELAXED) ||
        mdb_env_info(self->env, &info) || mdb_env_get_fd(self->env, &fd))
        return;
    const uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t used = ((uint64_t)info.me_last_pgno + 1) * page;
    if (self->warm_upto >= used + WARM_CHUNK / 2)
        return;
    uint64_t from = self->warm_upto > used ? self->warm_upto : used;
    from -= from % page;
    uint64_t to = from + WARM_CHUNK;
    if (to > info.me_mapsize)
        to = info.me_mapsize - info.me_mapsize % page;
    struct stat st;
    if (to <= from || fstat(fd, &st) != 0)
        return;
    if (!self->warmed) {
        if ((self->warm_off = s_in_memory_fs(fd)))
            return;
        self->size_open = (uint64_t)st.st_size;
        self->warmed = true;
    }
    if ((uint64_t)st.st_size < to && ftruncate(fd, (off_t)to) != 0)
        return; /* LMDB's own writes will say what is wrong */
    if (!self->warm_started) {
        self->warm_fd = fd;
        self->warm_pos = self->warm_to = from;
        if (pthread_create(&self->warm_thread, NULL, s_warm_main, self) != 0) {
            self->warm_off = true;
            return;
        }
        self->warm_started = true;
    }
    pthread_mutex_lock(&self->warm_mu);
    if (self->warm_pos < used)
        self->warm_pos = used - used % page; /* LMDB wrote those already */
    if (self->warm_pos < from && self->warm_pos >= self->warm_to)
        self->warm_pos = from;
    self->warm_to = to;
    pthread_cond_signal(&self->warm_cv);
    pthread_mutex_unlock(&self->warm_mu);
    self->warm_upto = to;
}

/* Stops the warming thread (close). */
static void s_warm_stop(tlx_store_t *self)
{
    if (!self->warm_started)
        return;
    pthread_mutex_lock(&self->warm_mu);
    self->warm_stop = true;
    pthread_cond_signal(&self->warm_cv);
    pthread_mutex_unlock(&self->warm_mu);
    pthread_join(self->warm_thread, NULL);
    self->warm_started = false;
}

/* Close: the file back to the pages LMDB uses (or its size at open). */
static void s_unwarm(tlx_store_t *self)
{
    s_warm_stop(self);
    MDB_envinfo info;
    mdb_filehandle_t fd;
    if (!self->warmed || mdb_env_info(self->env, &info) || mdb_env_get_fd(self->env, &fd))
        return;
    uint64_t used = ((uint64_t)info.me_last_pgno + 1) * (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t keep = used > self->size_open ? used : self->size_open;
    struct stat st;
    if (fstat(fd, &st) == 0 && (uint64_t)st.st_size > keep && ftruncate(fd, (off_t)keep) != 0) {
        /* a longer file than needed is harmless: the next owner uses it */
    }
}

static void s_df_plan(tlx_store_t *self);
static int s_df_flush(tlx_store_t *self);
static int s_index_flush(tlx_store_t *self);
static void s_iop_clear(tlx_store_t *self);
static void s_df_committed(tlx_store_t *self);

/* Closes the batch's inbox cursor (before its txn ends). */
static void s_inbox_cur_close(tlx_store_t *self)
{
    if (self->inbox_cur) {
        mdb_cursor_close(self->inbox_cur);
        self->inbox_cur = NULL;
    }
}

int tlx_store_wcommit(tlx_store_t *self)
{
    if (!self->txn)
        return TLX_EINVAL;
    /* an LMDB write txn ends on the thread that began it */
    assert(pthread_equal(self->wtid, pthread_self()) && s_batch_of == self);
    s_test_delay();
    int rc = s_index_flush(self);
    if (!rc && self->next.inbox != self->saved.inbox)
        rc = s_put_meta_u64(self, "next_inbox", self->next.inbox);
    if (!rc && self->next.reject != self->saved.reject)
        rc = s_put_meta_u64(self, "next_reject", self->next.reject);
    if (!rc && self->att_dirty)
        rc = s_att_write(self);
    s_df_plan(self);
    if (!rc)
        rc = s_df_flush(self);
    if (rc) {
        tlx_store_wabort(self);
        return rc;
    }
    s_inbox_cur_close(self);
    rc = mdb_txn_commit(self->txn);
    self->txn = NULL;
    s_batch_of = NULL;
    if (rc) {
        self->next = self->saved;
        if (self->df)
            tlx_dfpend_clear(self->df);
        return tlx_store__mdb(self, rc, "commit");
    }
    s_df_committed(self);
    s_warm(self);
    return 0;
}

void tlx_store_wabort(tlx_store_t *self)
{
    if (self->df)
        tlx_dfpend_clear(self->df); /* the batch's increments go with it */
    if (self->txn) {
        s_inbox_cur_close(self);
        mdb_txn_abort(self->txn);
        self->txn = NULL;
    }
    s_batch_of = NULL;
    self->next = self->saved;
    self->att_loaded = self->att_dirty = false;
    s_iop_clear(self); /* a replayed batch queues them again */
}

int tlx_store_grow(tlx_store_t *self)
{
    if (self->txn)
        return TLX_EINVAL;
    MDB_envinfo info;
    mdb_env_info(self->env, &info);
    size_t cur = info.me_mapsize;
    if (cur >= self->opts.map_max) {
        snprintf(self->errmsg, sizeof self->errmsg, "map is at its maximum size (%zu bytes)", cur);
        return TLX_EFULL;
    }
    size_t next = cur * 2;
    if (next > self->opts.map_max)
        next = self->opts.map_max;
    s_test_delay();
    /* exclusive: no read txn of this process may span the remap */
    pthread_rwlock_wrlock(&self->map_lock);
    int rc = mdb_env_set_mapsize(self->env, next);
    pthread_rwlock_unlock(&self->map_lock);
    return tlx_store__mdb(self, rc, "grow map");
}

/* id for articles without an external id: 16 hex digits of SHA-256(text). */
void tlx_store_text_id(const char *text, size_t len, char *out)
{
    uint8_t h[TLX_SHA256_BYTES];
    tlx_sha256(text, len, h);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    out[16] = '\0';
}

const char *tlx_store_article_id(const char *id, size_t id_len, const char *text, size_t text_len,
                                 char text_id[17], size_t *len)
{
    if (id_len > TLX_ID_MAX)
        return NULL;
    if (id && id_len) {
        *len = strnlen(id, id_len);
        return id;
    }
    tlx_store_text_id(text, text_len, text_id);
    *len = 16;
    return text_id;
}

void tlx_store_dedup_hash(const char *id, size_t id_len, const char *text, size_t text_len,
                          uint8_t out[TLX_STORE_DEDUP_HASH_BYTES])
{
    static const char nul = '\0';
    tlx_sha256_t st;
    tlx_sha256_init(&st);
    tlx_sha256_update(&st, id, id_len);
    tlx_sha256_update(&st, &nul, 1);
    tlx_sha256_update(&st, text, text_len);
    tlx_sha256_final(&st, out);
}

int tlx_store_accept(tlx_store_t *self, const tlx_accept_in_t *in, tlx_accept_out_t *out)
{
    if (!self->txn)
        return TLX_EINVAL;
    memset(out, 0, offsetof(tlx_accept_out_t, id));
    out->id[0] = '\0';
    MDB_dbi dedup = self->dbi[DB_DEDUP];
    int rc;

    /* 1. The id: external, or derived from the text.  (The producer and
       its seq decide nothing: an envelope that reuses a (producer, seq)
       with another id or text is a new article, proto/PROTOCOL.md,
       "Delivery"; schema 1 wrote them as never-read "P" keys.) */
    char text_id[17];
    size_t idlen;
    const char *id = tlx_store_article_id(in->id, in->id_len, in->text, in->text_len, text_id, &idlen);
    if (!id)
        return TLX_ETOOBIG;
    memcpy(out->id, id, idlen);
    out->id[idlen] = '\0';

    /* 2. Same id with the same text: stored already (or in the inbox).
       The id's R key holds its last revision and the text hashes of its
       revisions (SCHEMA.md, "dedup"), so one leaf answers both "seen?" and
       "which revision?": a T key per text was a second leaf per article,
       at a random place (a hash), so each commit wrote about one page of
       `dedup` per article.  An R value of 4 bytes is an id whose texts are
       T keys (written so before, or past RHASH_MAX revisions). */
    _Static_assert(TLX_STORE_DEDUP_HASH_BYTES == TLX_SHA256_BYTES, "the dedup hash is a SHA-256");
    uint8_t hbuf[TLX_SHA256_BYTES];
    if (!in->dedup_hash)
        tlx_store_dedup_hash(out->id, idlen, in->text, in->text_len, hbuf);
    const uint8_t *h = in->dedup_hash ? in->dedup_hash : hbuf;
    uint8_t rkey[1 + TLX_ID_MAX];
    rkey[0] = 'R';
    memcpy(rkey + 1, out->id, idlen);
    MDB_val rk = {1 + idlen, rkey}, rv;
    MDB_val idv = {idlen, out->id};
    uint8_t rbuf[4 + RHASH_MAX * RHASH];
    size_t nh = 0;
    bool tkeys = false;
    uint32_t rev = 1;
    /* A new id, the common case, is written here (revision 1, its text's
       hash) in one search of `dedup`, where a get and then a put searched
       it twice; for an id seen before MDB_NOOVERWRITE hands back its value. */
    s_le32(rbuf, 1);
    memcpy(rbuf + 4, h, RHASH);
    rv = (MDB_val){4 + RHASH, rbuf};
    rc = mdb_put(self->txn, dedup, &rk, &rv, MDB_NOOVERWRITE);
    bool fresh = rc == 0;
    if (rc == MDB_KEYEXIST) {
        const uint8_t *p = rv.mv_data;
        rc = 0;
        if (rv.mv_size >= 4)
            rev = s_get_le32(p) + 1;
        if (rv.mv_size < 4 + RHASH || (rv.mv_size - 4) % RHASH || rv.mv_size > sizeof rbuf)
            tkeys = true;
        else {
            nh = (rv.mv_size - 4) / RHASH;
            for (size_t i = 0; i < nh; i++)
                if (memcmp(p + 4 + i * RHASH, h, RHASH) == 0) {
                    out->duplicate = true;
                    return 0;
                }
            memcpy(rbuf + 4, p + 4, nh * RHASH); /* rv is the page's: copied before any put */
        }
    } else if (rc)
        return tlx_store__mdb(self, rc, "dedup put");
    if (!fresh) {
        if (!tkeys && nh == RHASH_MAX) { /* full: this id's texts become T keys */
            for (size_t i = 0; i < nh && !rc; i++) {
                uint8_t tkey[1 + RHASH] = {'T'};
                memcpy(tkey + 1, rbuf + 4 + i * RHASH, RHASH);
                MDB_val tk = {sizeof tkey, tkey}, tv = idv;
                if ((rc = tlx_store__mdb(self, mdb_put(self->txn, dedup, &tk, &tv, 0), "dedup put")))
                    return rc;
            }
            tkeys = true;
        }
        if (tkeys) {
            uint8_t tkey[1 + RHASH] = {'T'};
            memcpy(tkey + 1, h, RHASH);
            MDB_val tk = {sizeof tkey, tkey}, tv = idv;
            rc = mdb_put(self->txn, dedup, &tk, &tv, MDB_NOOVERWRITE);
            if (rc == MDB_KEYEXIST) {
                out->duplicate = true;
                return 0;
            }
            if (rc)
                return tlx_store__mdb(self, rc, "dedup put");
            nh = 0;
        } else
            memcpy(rbuf + 4 + nh++ * RHASH, h, RHASH);

        /* 3. New: the id's next revision (1 unless the R key exists), its text. */
        s_le32(rbuf, rev);
        rv = (MDB_val){4 + nh * RHASH, rbuf};
        if ((rc = tlx_store__mdb(self, mdb_put(self->txn, dedup, &rk, &rv, 0), "dedup put")))
            return rc;
    }

    /* The envelope is written once, here, under the inbox seq it keeps for
       good (SCHEMA.md): the entry is a small header, the record's `raw`
       value names the envelope at commit, a dead letter leaves it where it
       is. */
    uint64_t iseq = self->next.inbox;
    uint8_t ikey[8];
    s_be64(ikey, iseq);
    MDB_val ik = {8, ikey}, ev = {in->raw_len, NULL};
    if ((rc = tlx_store__mdb(self,
                             mdb_put(self->txn, self->dbi[DB_ENVELOPES], &ik, &ev, MDB_RESERVE | MDB_APPEND),
                             "envelope put")))
        return rc;
    memcpy(ev.mv_data, in->raw, in->raw_len);
    MDB_val iv = {INBOX_HDR + idlen, NULL};
    if ((rc = tlx_store__mdb(
             self, mdb_put(self->txn, self->dbi[DB_INBOX], &ik, &iv, MDB_RESERVE | MDB_APPEND), "inbox put")))
        return rc;
    uint8_t *p = iv.mv_data;
    memcpy(p, "TXI2", 4);
    s_le32(p + 4, in->attempts);
    s_le32(p + 8, rev);
    s_le32(p + 12, (uint32_t)idlen);
    s_le64(p + 16, in->received_at);
    memcpy(p + INBOX_HDR, out->id, idlen);
    self->next.inbox++;
    out->inbox_seq = iseq;
    out->revision = rev;
    tlx_store__map_tick(self, 8);
    return 0;
}

int tlx_store_reject(tlx_store_t *self, const char *reason, const char *detail, const void *raw,
                     size_t raw_len, uint64_t now_ms)
{
    if (!self->txn)
        return TLX_EINVAL;
    /* value: msgpack {at, reason, detail, size, raw (bin, <= 64 KiB)} */
    size_t keep = raw_len > REJECT_RAW_MAX ? REJECT_RAW_MAX : raw_len;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 5);
    s_pack_kv_u64(&pk, "at", now_ms);
    s_pack_kv_str(&pk, "reason", reason);
    s_pack_kv_str(&pk, "detail", detail);
    s_pack_kv_u64(&pk, "size", raw_len);
    msgpack_pack_str_with_body(&pk, "raw", 3);
    msgpack_pack_bin_with_body(&pk, raw, keep);
    uint8_t key[8];
    s_be64(key, self->next.reject);
    MDB_val k = {8, key}, v = {sb.size, sb.data};
    int rc = sb.data ? tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_REJECTS], &k, &v, MDB_APPEND),
                                      "reject put")
                     : TLX_ENOMEM;
    msgpack_sbuffer_destroy(&sb);
    if (rc)
        return rc;
    self->next.reject++;

    /* Bounded: drop the oldest beyond REJECTS_KEEP. */
    MDB_stat ms;
    mdb_stat(self->txn, self->dbi[DB_REJECTS], &ms);
    if (ms.ms_entries > REJECTS_KEEP) {
        MDB_cursor *cur;
        if (mdb_cursor_open(self->txn, self->dbi[DB_REJECTS], &cur) == 0) {
            MDB_val ck, cv;
            if (mdb_cursor_get(cur, &ck, &cv, MDB_FIRST) == 0)
                rc = tlx_store__mdb(self, mdb_cursor_del(cur, 0), "reject trim");
            mdb_cursor_close(cur);
        }
    }
    return rc;
}

int tlx_store__parse_inbox(uint64_t seq, const void *data, size_t len, tlx_inbox_entry_t *e)
{
    const uint8_t *p = data;
    bool v2 = tlx_store__inbox_v2(data, len);
    if (len < INBOX_HDR || (!v2 && memcmp(p, "TXI1", 4) != 0))
        return TLX_EMALFORMED;
    e->inbox_seq = seq;
    e->attempts = s_get_le32(p + 4);
    e->revision = s_get_le32(p + 8);
    uint32_t idlen = s_get_le32(p + 12);
    e->received_at = s_get_le64(p + 16);
    if (idlen > len - INBOX_HDR)
        return TLX_EMALFORMED;
    e->id = (const char *)p + INBOX_HDR;
    e->id_len = idlen;
    if (v2) { /* the envelope is envelopes[seq]; the value is the header and the id */
        if (idlen != len - INBOX_HDR)
            return TLX_EMALFORMED;
        e->env = NULL;
        e->env_len = 0;
        return 0;
    }
    e->env = p + INBOX_HDR + idlen;
    e->env_len = len - INBOX_HDR - idlen;
    return 0;
}

int tlx_store__envelope(const tlx_store_t *self, MDB_txn *txn, uint64_t iseq, MDB_val *v)
{
    if (!self->has_envelopes)
        return MDB_NOTFOUND;
    uint8_t key[8];
    s_be64(key, iseq);
    MDB_val k = {8, key};
    return mdb_get(txn, self->dbi[DB_ENVELOPES], &k, v);
}

int tlx_store__inbox_env(tlx_store_t *self, MDB_txn *txn, tlx_inbox_entry_t *e)
{
    if (e->env)
        return 0;
    MDB_val v;
    int rc = tlx_store__envelope(self, txn, e->inbox_seq, &v);
    if (rc == MDB_NOTFOUND) {
        snprintf(self->errmsg, sizeof self->errmsg, "inbox %llu: its envelope is missing",
                 (unsigned long long)e->inbox_seq);
        return TLX_ECORRUPT;
    }
    if (rc)
        return tlx_store__mdb(self, rc, "envelope get");
    e->env = v.mv_data;
    e->env_len = v.mv_size;
    return 0;
}

int tlx_store_inbox_set_attempts(tlx_store_t *self, uint64_t inbox_seq, uint32_t attempts)
{
    if (!self->txn)
        return TLX_EINVAL;
    uint8_t key[8];
    s_be64(key, inbox_seq);
    MDB_val k = {8, key}, v;
    int rc = tlx_store__mdb(self, mdb_get(self->txn, self->dbi[DB_INBOX], &k, &v), "inbox get");
    if (rc)
        return rc;
    if (v.mv_size < INBOX_HDR)
        return TLX_EMALFORMED;
    uint32_t own = s_get_le32((uint8_t *)v.mv_data + 4);
    if (s_att_of(self, NULL, inbox_seq, own) == attempts)
        return 0;
    /* Raised: in the table (the entry is not rewritten).  Back to the
       entry's own value or below (telexd giving an attempt back at stop):
       the table forgets it, and only a lower value rewrites the entry. */
    if (attempts > own && (rc = tlx_store__att_set(self, inbox_seq, attempts)) != TLX_ETOOBIG)
        return rc;
    if ((rc = tlx_store__att_set(self, inbox_seq, 0)) || attempts == own)
        return rc;
    /* Rewrite in place: copy (the value lives in a read-only page), patch, put. */
    uint8_t *copy = malloc(v.mv_size);
    if (!copy)
        return TLX_ENOMEM;
    memcpy(copy, v.mv_data, v.mv_size);
    s_le32(copy + 4, attempts);
    MDB_val nv = {v.mv_size, copy};
    rc = tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_INBOX], &k, &nv, 0), "inbox put");
    free(copy);
    return rc;
}

int tlx_store_inbox_get(tlx_store_t *self, uint64_t inbox_seq, tlx_inbox_entry_t *e, void **copy)
{
    *copy = NULL;
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    uint8_t key[8];
    s_be64(key, inbox_seq);
    MDB_val k = {8, key}, v;
    rc = tlx_store__mdb(self, mdb_get(s_rtxn(self, rt), self->dbi[DB_INBOX], &k, &v), "inbox get");
    tlx_inbox_entry_t in;
    if (!rc)
        rc = tlx_store__parse_inbox(inbox_seq, v.mv_data, v.mv_size, &in);
    if (!rc)
        rc = tlx_store__inbox_env(self, s_rtxn(self, rt), &in);
    if (!rc) { /* one buffer: the value (header, id), then the envelope */
        size_t hl = INBOX_HDR + in.id_len;
        uint8_t *c = malloc(hl + in.env_len);
        if (!c)
            rc = TLX_ENOMEM;
        else {
            memcpy(c, v.mv_data, hl);
            memcpy(c + hl, in.env, in.env_len);
            *e = in;
            e->id = (const char *)c + INBOX_HDR;
            e->env = c + hl;
            *copy = c;
            e->attempts = s_att_of(self, rt, inbox_seq, e->attempts);
        }
    }
    tlx_store__rend(self, rt);
    tlx_store__map_tick(self, 8);
    return rc;
}

/* A cursor on `envelopes` that moves forward only, for a scan of the
   inbox in seq order. */
typedef struct {
    MDB_cursor *cur; /* NULL: no envelopes DB (or no cursor) */
    bool started, end;
    uint64_t at; /* the key it is on */
    MDB_val v;
} env_walk_t;

/* Points e->env at envelopes[e->inbox_seq], moving w forward to it:
   0, or 1 when there is no such envelope.  Seqs come in increasing order. */
static int s_env_walk(env_walk_t *w, tlx_inbox_entry_t *e)
{
    if (!w->cur)
        return 1;
    uint8_t key[8];
    MDB_val k = {8, key};
    if (!w->started || (!w->end && w->at < e->inbox_seq && e->inbox_seq - w->at > 16)) {
        s_be64(key, e->inbox_seq); /* first, or far ahead: a search */
        w->started = true;
        w->end = mdb_cursor_get(w->cur, &k, &w->v, MDB_SET_RANGE) != 0;
        w->at = w->end || k.mv_size != 8 ? UINT64_MAX : s_get_be64(k.mv_data);
    }
    while (!w->end && w->at < e->inbox_seq) {
        w->end = mdb_cursor_get(w->cur, &k, &w->v, MDB_NEXT) != 0;
        w->at = w->end || k.mv_size != 8 ? UINT64_MAX : s_get_be64(k.mv_data);
    }
    if (w->end || w->at != e->inbox_seq)
        return 1;
    e->env = w->v.mv_data;
    e->env_len = w->v.mv_size;
    return 0;
}

int tlx_store_inbox_scan(tlx_store_t *self, uint64_t after, int (*fn)(void *ctx, const tlx_inbox_entry_t *e),
                         void *ctx)
{
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_cursor *cur;
    rc = tlx_store__mdb(self, mdb_cursor_open(s_rtxn(self, rt), self->dbi[DB_INBOX], &cur), "cursor");
    if (!rc) {
        uint8_t start[8];
        s_be64(start, after + 1);
        MDB_val k = {8, start}, v;
        int op = MDB_SET_RANGE;
        const uint8_t *att;
        size_t natt;
        s_att_view(self, rt, &att, &natt);
        /* the envelopes are keyed by inbox seq too: one cursor walks them
           beside the inbox, where a lookup per entry searched `envelopes`
           from its root (a refill under overload scans thousands) */
        env_walk_t ew = {0};
        if (self->has_envelopes && mdb_cursor_open(s_rtxn(self, rt), self->dbi[DB_ENVELOPES], &ew.cur) != 0)
            ew.cur = NULL;
        while (mdb_cursor_get(cur, &k, &v, op) == 0) {
            op = MDB_NEXT;
            tlx_inbox_entry_t e;
            if (k.mv_size != 8 || tlx_store__parse_inbox(s_get_be64(k.mv_data), v.mv_data, v.mv_size, &e) ||
                (e.env == NULL && s_env_walk(&ew, &e)))
                continue; /* unreadable entries are reported by `telex verify` */
            e.attempts = s_att_apply(att, natt, e.inbox_seq, e.attempts);
            if ((rc = fn(ctx, &e)))
                break;
            tlx_store__map_tick(self, 256);
        }
        if (ew.cur)
            mdb_cursor_close(ew.cur);
        mdb_cursor_close(cur);
    }
    tlx_store__rend(self, rt);
    return rc;
}

/* Reads a msgpack map header: entry count and header size. */
static int s_map_hdr(const uint8_t *rec, size_t len, uint32_t *n, size_t *hdr)
{
    if (len >= 1 && rec[0] >= 0x80 && rec[0] <= 0x8f) {
        *n = rec[0] & 0x0f;
        *hdr = 1;
    } else if (len >= 3 && rec[0] == 0xde) {
        *n = (uint32_t)rec[1] << 8 | rec[2];
        *hdr = 3;
    } else if (len >= 5 && rec[0] == 0xdf) {
        *n = (uint32_t)rec[1] << 24 | (uint32_t)rec[2] << 16 | (uint32_t)rec[3] << 8 | rec[4];
        *hdr = 5;
    } else
        return TLX_EMALFORMED;
    return *n == UINT32_MAX ? TLX_EMALFORMED : 0;
}

/* The stored record: map32 header (n + 1) | "seq": seq | the entries,
   with the value of "near_duplicate_of" replaced by `near` when given.
   s_record_plan sizes it (exactly) from that value's span [vs, ve), found
   by the record check (has_near: the record has the field); s_record_write
   writes it into `out` (the article's reserved value: no copy in between). */
typedef struct {
    const char *near;
    size_t vs, ve, nl, total;
} record_plan_t;

static void s_record_plan(size_t len, size_t hdr, const char *near, bool has_near, size_t vs, size_t ve,
                          record_plan_t *p)
{
    *p = (record_plan_t){.near = has_near ? near : NULL, .nl = near ? strlen(near) : 0, .vs = vs, .ve = ve};
    assert(hdr <= len && (!p->near || (hdr <= p->vs && p->vs <= p->ve && p->ve <= len)));
    p->total = 5 + 13 + (len - hdr) + (p->near ? 5 + p->nl - (p->ve - p->vs) : 0);
}

static void s_record_write(const uint8_t *rec, size_t len, uint32_t n, size_t hdr, uint64_t seq,
                           const record_plan_t *pl, uint8_t *out)
{
    uint8_t *p = out;
    *p++ = 0xdf;
    n++;
    *p++ = (uint8_t)(n >> 24);
    *p++ = (uint8_t)(n >> 16);
    *p++ = (uint8_t)(n >> 8);
    *p++ = (uint8_t)n;
    memcpy(p, "\xa3seq\xcf", 5);
    p += 5;
    s_be64(p, seq);
    p += 8;
    if (!pl->near) {
        memcpy(p, rec + hdr, len - hdr);
        p += len - hdr;
    } else {
        size_t nl = pl->nl;
        memcpy(p, rec + hdr, pl->vs - hdr);
        p += pl->vs - hdr;
        *p++ = 0xdb; /* str32 */
        *p++ = (uint8_t)(nl >> 24);
        *p++ = (uint8_t)(nl >> 16);
        *p++ = (uint8_t)(nl >> 8);
        *p++ = (uint8_t)nl;
        memcpy(p, pl->near, nl);
        p += nl;
        memcpy(p, rec + pl->ve, len - pl->ve);
        p += len - pl->ve;
    }
    assert((size_t)(p - out) == pl->total);
    (void)p;
}

/* The "id" of the stored article `seq` into buf (NUL-terminated).
   0, TLX_ENOTFOUND (no such article or no id), TLX_EMALFORMED or
   TLX_ETOOBIG (the id does not fit). */
static int s_article_id(tlx_store_t *self, uint64_t seq, char *buf, size_t size)
{
    uint8_t key[8];
    s_be64(key, seq);
    MDB_val k = {8, key}, v;
    if (mdb_get(self->txn, self->dbi[DB_ARTICLES], &k, &v) != 0)
        return TLX_ENOTFOUND;
    tlx_mp_t c;
    tlx_mp_init(&c, v.mv_data, v.mv_size);
    const char *id;
    size_t idl;
    int rc = tlx_mp_map_str(&c, "id", 32, &id, &idl);
    if (rc)
        return rc;
    if (idl >= size)
        return TLX_ETOOBIG;
    memcpy(buf, id, idl);
    buf[idl] = '\0';
    return 0;
}

enum { TLX_SIMHASH_SCAN_MAX = 1024 };

/* A band value (seq, simhash, shingle hash; 24 bytes BE) within the hints' thresholds. */
static bool s_band_near(const MDB_val *v, const tlx_commit_hints_t *h)
{
    const uint8_t *p = v->mv_data;
    return tlx_fingerprint_near(s_get_be64(p + 8), s_get_be64(p + 16), h->simhash, h->shingle, h->near_max,
                                h->verify_max);
}

/* Exact and near duplicates of the new article among earlier ones; then
   remembers its own fingerprints.  near_id[0] = '\0' when none. */
static int s_fingerprints(tlx_store_t *self, uint64_t seq, const char *id, size_t idlen,
                          const tlx_commit_hints_t *h, char *near_id, size_t near_size)
{
    near_id[0] = '\0';
    uint8_t bkey[17] = {'B'};
    memcpy(bkey + 1, h->sha256, 16);
    MDB_val bk = {17, bkey}, bv;
    int rc = mdb_get(self->txn, self->dbi[DB_DEDUP], &bk, &bv);
    if (rc == 0 && bv.mv_size < near_size && (bv.mv_size != idlen || memcmp(bv.mv_data, id, idlen) != 0)) {
        memcpy(near_id, bv.mv_data, bv.mv_size);
        near_id[bv.mv_size] = '\0';
    } else if (rc == MDB_NOTFOUND) {
        MDB_val nv = {idlen, (void *)id};
        if ((rc = tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_DEDUP], &bk, &nv, 0), "dedup put")))
            return rc;
    }
    if (h->simhash == 0)
        return 0;
    uint64_t best = 0;
    MDB_cursor *cur;
    if ((rc = tlx_store__mdb(self, mdb_cursor_open(self->txn, self->dbi[DB_SIMHASH], &cur), "cursor")))
        return rc;
    /* A band's values are dupsorted by their big-endian seq, so its first
       match is its earliest article: stop there, and stop at `best` from an
       earlier band.  A band shared by a large cluster (wire copy taken by
       hundreds of sites) holds thousands of values; reading them all for
       every article cost 1.4 MB of mapped pages per commit in the overload
       bench.  Past TLX_SIMHASH_SCAN_MAX values from the oldest, a band is
       also read from its newest end, as deep again (the articles between
       are not looked at: a link to them may be missed). */
    for (int b = 0; b < 4 && !near_id[0]; b++) {
        MDB_val k = {3, (void *)h->bands[b]}, v;
        int seen = 0;
        for (int op = MDB_SET_KEY; mdb_cursor_get(cur, &k, &v, op) == 0 && seen < TLX_SIMHASH_SCAN_MAX;
             op = MDB_NEXT_DUP, seen++) {
            if (v.mv_size != 24)
                continue;
            uint64_t s = s_get_be64(v.mv_data);
            if (best && s >= best)
                break;
            if (s_band_near(&v, h)) {
                best = s;
                break;
            }
        }
        if (seen < TLX_SIMHASH_SCAN_MAX)
            continue;
        /* a crowded band: also its newest values, where a recent story's
           first copy is (the lowest match among them) */
        seen = 0;
        k = (MDB_val){3, (void *)h->bands[b]};
        if (mdb_cursor_get(cur, &k, &v, MDB_SET_KEY) != 0)
            continue;
        for (int op = MDB_LAST_DUP; mdb_cursor_get(cur, &k, &v, op) == 0 && seen < TLX_SIMHASH_SCAN_MAX;
             op = MDB_PREV_DUP, seen++) {
            uint64_t s = v.mv_size == 24 ? s_get_be64(v.mv_data) : 0;
            if (s && (!best || s < best) && s_band_near(&v, h))
                best = s;
        }
    }
    mdb_cursor_close(cur);
    if (best && !near_id[0])
        s_article_id(self, best, near_id, near_size);
    if (near_id[0] && strlen(near_id) == idlen && memcmp(near_id, id, idlen) == 0)
        near_id[0] = '\0'; /* an earlier revision of the same article is not a duplicate */
    uint8_t val[24];
    s_be64(val, seq);
    s_be64(val + 8, h->simhash);
    s_be64(val + 16, h->shingle);
    for (int b = 0; b < 4 && !rc; b++) {
        MDB_val k = {3, (void *)h->bands[b]}, v = {24, val};
        int r = mdb_put(self->txn, self->dbi[DB_SIMHASH], &k, &v, MDB_NODUPDATA);
        if (r != MDB_KEYEXIST)
            rc = tlx_store__mdb(self, r, "simhash put");
    }
    return rc;
}

/* +1 on each NUL-terminated term and on the empty term (documents), in the
   batch's pending table; written by s_df_flush when the batch commits. */
static int s_df_count(tlx_store_t *self, const char *terms, size_t len)
{
    if (!self->df && !(self->df = tlx_dfpend_new()))
        return TLX_ENOMEM;
    int rc = tlx_dfpend_add(self->df, "", 0, 1);
    for (const char *p = terms, *end = terms + len; !rc && p < end;) {
        size_t tl = strnlen(p, (size_t)(end - p));
        if (tl > 0 && tl <= 255)
            rc = tlx_dfpend_add(self->df, p, tl, 1);
        p += tl + 1;
    }
    return rc;
}

/* What a commit writes of the counted terms (s_df_plan):
   DF_NONE   nothing; the batch's counts join the held ones
   DF_ALL    everything: the rest of df_out, the held and the batch's counts
   DF_OUT    the next df_plan_n terms of df_out (held counts being written)
   DF_FREEZE the first df_plan_n terms of the held counts, which then become
             df_out (the rest goes with the next commits) */
enum { DF_NONE, DF_ALL, DF_OUT, DF_FREEZE };

/* Held counts are written with every commit (df_flush_ms 0), when the
   interval passed, when the table is large, or when asked (close). */
#define DF_HELD_MAX 65536 /* distinct terms held: a few MB */

static size_t s_df_size(const tlx_dfpend_t *t)
{
    return t ? tlx_dfpend_size(t) : 0;
}

static void s_df_plan(tlx_store_t *self)
{
    size_t held = s_df_size(self->df_held), batch = s_df_size(self->df);
    size_t out = s_df_size(self->df_out) - self->df_out_at;
    size_t slice = self->opts.df_flush_terms;
    bool due = self->opts.df_flush_ms == 0 || held + batch >= DF_HELD_MAX ||
               tlx_mono_ms() - self->df_flushed >= self->opts.df_flush_ms;
    self->df_plan = DF_NONE;
    self->df_plan_n = 0;
    if (held + batch + out == 0)
        return;
    if (self->opts.df_flush_ms == 0 || self->df_force || (slice == 0 && due))
        self->df_plan = DF_ALL;
    else if (out) {
        /* still writing the last interval's counts; all of them at once
           when the next interval's pile up past the bound (memory first) */
        self->df_plan = DF_OUT;
        self->df_plan_n = held + batch >= DF_HELD_MAX || out < slice ? out : slice;
    } else if (due && held) {
        self->df_plan = DF_FREEZE;
        self->df_plan_n = held < slice ? held : slice;
    }
}

typedef struct {
    tlx_store_t *self;
    MDB_cursor *cur; /* on stats */
} df_put_t;

/* One cursor for a flush: the terms come in key order, so each MDB_SET_KEY
   finds its key on the page the last one left the cursor on (LMDB looks
   there before it descends), and the count is rewritten where it was
   found (MDB_CURRENT) instead of looked up a second time by mdb_put. */
static int s_df_put(void *ctx, const char *term, size_t len, uint32_t n)
{
    df_put_t *d = ctx;
    tlx_store_t *self = d->self;
    char key[3 + 256] = "df:";
    memcpy(key + 3, term, len);
    MDB_val k = {3 + len, key}, v;
    uint32_t have = 0;
    bool found = mdb_cursor_get(d->cur, &k, &v, MDB_SET_KEY) == 0 && v.mv_size == 4;
    if (found)
        have = s_get_le32(v.mv_data);
    uint8_t b[4];
    s_le32(b, have + n);
    k = (MDB_val){3 + len, key};
    v = (MDB_val){4, b};
    tlx_store__map_tick(self, 64);
    return tlx_store__mdb(self, mdb_cursor_put(d->cur, &k, &v, found ? MDB_CURRENT : 0), "stats put");
}

/* "df:"+term += count for the terms s_df_plan chose, in key order: one put
   per distinct term, on neighbouring leaves.  A term in two tables gets
   two puts (the second reads the first within the txn).  The tables move
   on only once the commit succeeded (s_df_committed): a failed or replayed
   commit must neither lose the held counts nor count any twice. */
static int s_df_flush(tlx_store_t *self)
{
    if (self->df_plan == DF_NONE)
        return 0;
    df_put_t d = {.self = self};
    int rc = tlx_store__mdb(self, mdb_cursor_open(self->txn, self->dbi[DB_STATS], &d.cur), "cursor");
    if (rc)
        return rc;
    switch (self->df_plan) {
    case DF_ALL:
        if (self->df_out)
            rc = tlx_dfpend_each_range(self->df_out, self->df_out_at, SIZE_MAX, s_df_put, &d);
        if (!rc && self->df_held)
            rc = tlx_dfpend_each(self->df_held, s_df_put, &d);
        if (!rc && self->df)
            rc = tlx_dfpend_each(self->df, s_df_put, &d);
        break;
    case DF_OUT:
        rc = tlx_dfpend_each_range(self->df_out, self->df_out_at, self->df_plan_n, s_df_put, &d);
        break;
    case DF_FREEZE:
        rc = tlx_dfpend_each_range(self->df_held, 0, self->df_plan_n, s_df_put, &d);
        break;
    default:
        break;
    }
    mdb_cursor_close(d.cur);
    return rc;
}

/* After a successful commit: written counts are forgotten, the slice
   cursor moves on, and the batch's counts join the held ones (out of
   memory: they are lost, as after a crash). */
static void s_df_committed(tlx_store_t *self)
{
    int plan = self->df_plan;
    self->df_plan = DF_NONE;
    if (plan == DF_ALL) {
        if (self->df_out)
            tlx_dfpend_clear(self->df_out);
        self->df_out_at = 0;
        if (self->df_held)
            tlx_dfpend_clear(self->df_held);
        self->df_flushed = tlx_mono_ms();
    } else if (plan == DF_OUT) {
        self->df_out_at += self->df_plan_n;
    } else if (plan == DF_FREEZE) {
        tlx_dfpend_t *t = self->df_out; /* empty, or not there yet */
        self->df_out = self->df_held;
        self->df_held = t;
        self->df_out_at = self->df_plan_n;
        self->df_flushed = tlx_mono_ms();
    }
    if (self->df_out && self->df_out_at >= tlx_dfpend_size(self->df_out)) {
        tlx_dfpend_clear(self->df_out);
        self->df_out_at = 0;
    }
    if (plan != DF_ALL && self->df && tlx_dfpend_size(self->df)) {
        if (!self->df_held && !(self->df_held = tlx_dfpend_new()))
            return;
        if (tlx_dfpend_merge(self->df_held, self->df) != 0)
            tlx_dfpend_clear(self->df_held);
    }
    if (self->df)
        tlx_dfpend_clear(self->df);
    self->df_force = false; /* asked for this commit only */
}

void tlx_store_df_flush_next(tlx_store_t *self)
{
    self->df_force = true;
}

size_t tlx_store_df_pending(const tlx_store_t *self)
{
    return s_df_size(self->df_held) + s_df_size(self->df_out) - self->df_out_at;
}

/* Close: held counts (and the rest of those being written) go in one last commit. */
static void s_df_close(tlx_store_t *self)
{
    if (tlx_store_df_pending(self) == 0 || tlx_store_wbegin(self) != 0)
        return;
    self->df_force = true;
    if (tlx_store_wcommit(self) != 0)
        tlx_store_wabort(self);
}

int tlx_store_df_scan(tlx_store_t *self, int (*fn)(void *ctx, const char *term, size_t len, uint32_t count),
                      void *ctx)
{
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_cursor *cur;
    mdb_cursor_open(rt ? rt : self->txn, self->dbi[DB_STATS], &cur);
    MDB_val k = {3, "df:"}, v;
    for (int op = MDB_SET_RANGE; !rc && mdb_cursor_get(cur, &k, &v, op) == 0; op = MDB_NEXT) {
        if (k.mv_size < 3 || memcmp(k.mv_data, "df:", 3) != 0)
            break;
        if (v.mv_size == 4)
            rc = fn(ctx, (const char *)k.mv_data + 3, k.mv_size - 3, s_get_le32(v.mv_data));
        tlx_store__map_tick(self, 256);
    }
    mdb_cursor_close(cur);
    tlx_store__rend(self, rt);
    return rc;
}

/* ---- learned boilerplate: per-source line statistics ------------------------
   `stats` keys (SCHEMA.md): "bs:" source -> header (24 bytes LE: epoch u32,
   articles in this epoch u32, decayed count of sampled articles u32, keys
   stored u32, sweep position u64); "bl:" source NUL key(u64 BE) -> count u32 LE, epoch
   u32 LE (the count as of that epoch; halved once per epoch since).
   Rejected: a named DB of its own (a read-only reader of an older store
   would miss it and refuse the store; `stats` exists since version 1 and
   DESIGN.md gives it this job), and eager halving at each epoch (touches
   every key of the source in one commit). */

typedef struct {
    uint32_t epoch, nart, docs, nlines;
    uint64_t sweep;
} lines_hdr_t;

#define LINES_HDR 24
#define LINES_VAL 8

static uint32_t s_decay(uint32_t count, uint32_t from_epoch, uint32_t to_epoch)
{
    uint32_t d = to_epoch - from_epoch;
    return to_epoch < from_epoch ? count : d >= 32 ? 0 : count >> d;
}

/* The source as keyed: ASCII lower-case; 0 when it is not counted. */
static size_t s_lines_source(const char *source, size_t len, char *out)
{
    if (len == 0 || len > TLX_LINES_SOURCE_MAX || memchr(source, 0, len))
        return 0;
    for (size_t i = 0; i < len; i++)
        out[i] = source[i] >= 'A' && source[i] <= 'Z' ? (char)(source[i] + 32) : source[i];
    return len;
}

static void s_lines_hdr_get(const MDB_val *v, lines_hdr_t *h)
{
    memset(h, 0, sizeof *h);
    if (v->mv_size != LINES_HDR)
        return;
    const uint8_t *p = v->mv_data;
    h->epoch = s_get_le32(p);
    h->nart = s_get_le32(p + 4);
    h->docs = s_get_le32(p + 8);
    h->nlines = s_get_le32(p + 12);
    h->sweep = s_get_le64(p + 16);
}

/* Visits the next TLX_LINES_SWEEP keys of the source (wrapping once) and
   deletes the ones decayed to 0.  lk holds the key prefix (plen bytes) and
   room for 8 more. */
static int s_lines_sweep(tlx_store_t *self, lines_hdr_t *h, uint8_t *lk, size_t plen)
{
    MDB_cursor *cur;
    int rc = tlx_store__mdb(self, mdb_cursor_open(self->txn, self->dbi[DB_STATS], &cur), "cursor");
    if (rc)
        return rc;
    int wrapped = h->sweep == 0, visited = 0;
    s_be64(lk + plen, h->sweep);
    MDB_val k = {plen + 8, lk}, v;
    int r = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    while (visited < TLX_LINES_SWEEP) {
        if (r == MDB_NOTFOUND || (r == 0 && (k.mv_size != plen + 8 || memcmp(k.mv_data, lk, plen) != 0))) {
            if (wrapped) { /* the end of the source's keys: next time from the start */
                h->sweep = 0;
                break;
            }
            wrapped = 1;
            s_be64(lk + plen, 0);
            k = (MDB_val){plen + 8, lk};
            r = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
            continue;
        }
        if (r) {
            rc = tlx_store__mdb(self, r, "lines sweep");
            break;
        }
        visited++;
        uint64_t key = s_get_be64((const uint8_t *)k.mv_data + plen);
        h->sweep = key + 1;
        if (v.mv_size != LINES_VAL ||
            s_decay(s_get_le32(v.mv_data), s_get_le32((const uint8_t *)v.mv_data + 4), h->epoch) == 0) {
            if ((rc = tlx_store__mdb(self, mdb_cursor_del(cur, 0), "lines prune")))
                break;
            h->nlines -= h->nlines > 0;
        }
        r = mdb_cursor_get(cur, &k, &v, MDB_NEXT); /* after a delete: the next entry (lmdb C_DEL) */
    }
    mdb_cursor_close(cur);
    return rc;
}

/* Counts one article's candidate lines for its source. */
static int s_lines_count(tlx_store_t *self, const char *source, size_t source_len, const uint64_t *keys,
                         size_t nkeys)
{
    char src[TLX_LINES_SOURCE_MAX];
    size_t sl = s_lines_source(source, source_len, src);
    if (!sl)
        return 0;
    MDB_dbi dbi = self->dbi[DB_STATS];
    uint8_t hk[3 + TLX_LINES_SOURCE_MAX], lk[3 + TLX_LINES_SOURCE_MAX + 1 + 8];
    memcpy(hk, "bs:", 3);
    memcpy(hk + 3, src, sl);
    memcpy(lk, "bl:", 3);
    memcpy(lk + 3, src, sl);
    lk[3 + sl] = 0;
    size_t plen = 3 + sl + 1;
    MDB_val k = {3 + sl, hk}, v;
    lines_hdr_t h;
    int r = mdb_get(self->txn, dbi, &k, &v);
    if (r && r != MDB_NOTFOUND)
        return tlx_store__mdb(self, r, "lines get");
    if (r == 0)
        s_lines_hdr_get(&v, &h);
    else
        memset(&h, 0, sizeof h);
    if (h.nart >= TLX_LINES_EPOCH) { /* a new epoch: every count halves */
        h.epoch++;
        h.nart = 0;
        h.docs >>= 1;
    }
    /* a young source counts every article, then one in TLX_LINES_SAMPLE */
    int sampled = h.epoch == 0 || h.nart % TLX_LINES_SAMPLE == 0;
    h.nart++;
    h.docs += sampled;
    int rc = 0;
    if (!sampled)
        nkeys = 0;
    if (nkeys > TLX_LINES_PER_ARTICLE)
        nkeys = TLX_LINES_PER_ARTICLE;
    for (size_t i = 0; i < nkeys && !rc; i++) {
        int dup = keys[i] == 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = keys[j] == keys[i];
        if (dup)
            continue;
        s_be64(lk + plen, keys[i]);
        MDB_val lkv = {plen + 8, lk}, lv;
        uint32_t count;
        r = mdb_get(self->txn, dbi, &lkv, &lv);
        if (r == 0 && lv.mv_size == LINES_VAL)
            count = s_decay(s_get_le32(lv.mv_data), s_get_le32((const uint8_t *)lv.mv_data + 4), h.epoch) + 1;
        else if (r == 0)
            count = 1; /* unreadable: start over */
        else if (r == MDB_NOTFOUND && h.nlines < TLX_LINES_CAP) {
            count = 1;
            h.nlines++;
        } else if (r == MDB_NOTFOUND)
            continue; /* full: wait for the sweep */
        else
            return tlx_store__mdb(self, r, "lines get");
        uint8_t b[LINES_VAL];
        s_le32(b, count);
        s_le32(b + 4, h.epoch);
        lv = (MDB_val){LINES_VAL, b};
        rc = tlx_store__mdb(self, mdb_put(self->txn, dbi, &lkv, &lv, 0), "lines put");
    }
    if (rc || (rc = s_lines_sweep(self, &h, lk, plen)))
        return rc;
    uint8_t hb[LINES_HDR];
    s_le32(hb, h.epoch);
    s_le32(hb + 4, h.nart);
    s_le32(hb + 8, h.docs);
    s_le32(hb + 12, h.nlines);
    s_le64(hb + 16, h.sweep);
    k = (MDB_val){3 + sl, hk};
    v = (MDB_val){LINES_HDR, hb};
    return tlx_store__mdb(self, mdb_put(self->txn, dbi, &k, &v, 0), "lines put");
}

int tlx_store_lines_scan(tlx_store_t *self, uint32_t min_docs, tlx_lines_fn fn, void *ctx)
{
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_txn *txn = s_rtxn(self, rt);
    MDB_cursor *hc = NULL, *lc = NULL;
    if ((rc = tlx_store__mdb(self, mdb_cursor_open(txn, self->dbi[DB_STATS], &hc), "cursor")) ||
        (rc = tlx_store__mdb(self, mdb_cursor_open(txn, self->dbi[DB_STATS], &lc), "cursor")))
        goto out;
    MDB_val k = {3, "bs:"}, v;
    for (int op = MDB_SET_RANGE; !rc && mdb_cursor_get(hc, &k, &v, op) == 0; op = MDB_NEXT) {
        if (k.mv_size < 4 || memcmp(k.mv_data, "bs:", 3) != 0)
            break;
        size_t sl = k.mv_size - 3;
        if (sl > TLX_LINES_SOURCE_MAX)
            continue;
        lines_hdr_t h;
        s_lines_hdr_get(&v, &h);
        if (h.docs < min_docs || h.docs == 0)
            continue;
        char src[TLX_LINES_SOURCE_MAX];
        memcpy(src, (const uint8_t *)k.mv_data + 3, sl);
        uint8_t lk[3 + TLX_LINES_SOURCE_MAX + 1];
        memcpy(lk, "bl:", 3);
        memcpy(lk + 3, src, sl);
        lk[3 + sl] = 0;
        size_t plen = 3 + sl + 1;
        MDB_val lkv = {plen, lk}, lv;
        for (int lop = MDB_SET_RANGE; !rc && mdb_cursor_get(lc, &lkv, &lv, lop) == 0; lop = MDB_NEXT) {
            if (lkv.mv_size != plen + 8 || memcmp(lkv.mv_data, lk, plen) != 0)
                break;
            if (lv.mv_size != LINES_VAL)
                continue;
            uint32_t count =
                s_decay(s_get_le32(lv.mv_data), s_get_le32((const uint8_t *)lv.mv_data + 4), h.epoch);
            if (count)
                rc = fn(ctx, src, sl, h.docs, s_get_be64((const uint8_t *)lkv.mv_data + plen), count);
            tlx_store__map_tick(self, 256);
        }
    }
out:
    if (lc)
        mdb_cursor_close(lc);
    if (hc)
        mdb_cursor_close(hc);
    tlx_store__rend(self, rt);
    return rc;
}

/* The newest revision (rev == 0) or revision `rev` of an id: its seq and revision. */
int tlx_store__latest(tlx_store_t *self, MDB_txn *txn, const char *id, size_t id_len, uint32_t rev,
                      uint64_t *seq, uint32_t *found_rev)
{
    *seq = 0;
    *found_rev = 0;
    MDB_cursor *cur;
    int rc = tlx_store__mdb(self, mdb_cursor_open(txn, self->dbi[DB_IDS], &cur), "cursor");
    if (rc)
        return rc;
    MDB_val k = {id_len, (void *)id}, v;
    int op = MDB_SET_KEY, grc;
    while ((grc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
        op = MDB_NEXT_DUP;
        if (v.mv_size != 12)
            continue;
        const uint8_t *p = v.mv_data;
        uint32_t r = (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 | (uint32_t)p[10] << 8 | p[11];
        if ((rev == 0 && r >= *found_rev) || (rev != 0 && r == rev)) {
            *found_rev = r;
            *seq = s_get_be64(p);
        }
    }
    mdb_cursor_close(cur);
    if (grc != MDB_NOTFOUND) {
        *seq = 0;
        return tlx_store__mdb(self, grc, "ids");
    }
    return *seq ? 0 : TLX_ENOTFOUND;
}

static const int s_idx_db[TLX_IDX__COUNT] = {DB_IDX_ENTITY, DB_IDX_TAG, DB_IDX_SOURCE, DB_IDX_DAY};

/* ---- index writes ------------------------------------------------------------

   A batch's index entries are written at its commit, sorted by index, key
   and seq, through one cursor per index: each put then finds its key on
   the leaf the last one left the cursor on (LMDB looks there before it
   descends) instead of descending from the root and searching the dirty
   page list at every level -- a commit group puts the same entities, tags,
   sources and days many times.  Equal (index, key, seq) writes keep their
   order, so the result is that of writing them as they came (an add, then
   the delete of a revision the same batch superseded).  Nothing reads the
   indexes inside the writer's batch (queries run in read txns, which see
   commits only). */

static void s_iop_clear(tlx_store_t *self)
{
    self->iop_n = 0;
    self->ipool_n = 0;
}

/* Queues the puts (add = 1) or deletes of index entries keys[0..n) of the
   article `seq`. */
static int s_index_apply(tlx_store_t *self, uint64_t seq, const tlx_index_key_t *keys, int n, int add)
{
    for (int i = 0; i < n; i++) {
        if (self->iop_n == self->iop_cap) {
            size_t cap = self->iop_cap ? self->iop_cap * 2 : 1024;
            idx_op_t *p = realloc(self->iop, cap * sizeof *p);
            if (!p)
                return TLX_ENOMEM;
            self->iop = p;
            self->iop_cap = cap;
        }
        if (self->ipool_n + keys[i].len > self->ipool_cap) {
            size_t cap = self->ipool_cap ? self->ipool_cap * 2 : 65536;
            while (cap < self->ipool_n + keys[i].len)
                cap *= 2;
            char *p = realloc(self->ipool, cap);
            if (!p)
                return TLX_ENOMEM;
            self->ipool = p;
            self->ipool_cap = cap;
        }
        if (self->ipool_n + keys[i].len > UINT32_MAX || self->iop_n >= UINT32_MAX)
            return TLX_ETOOBIG;
        memcpy(self->ipool + self->ipool_n, keys[i].key, keys[i].len);
        self->iop[self->iop_n] = (idx_op_t){.seq = seq,
                                            .off = (uint32_t)self->ipool_n,
                                            .order = (uint32_t)self->iop_n,
                                            .len = keys[i].len,
                                            .kind = (uint8_t)keys[i].kind,
                                            .add = (uint8_t)add};
        self->iop_n++;
        self->ipool_n += keys[i].len;
    }
    return 0;
}

static int s_iop_cmp(const void *a, const void *b, void *ctx)
{
    const char *pool = ctx;
    const idx_op_t *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    size_t m = x->len < y->len ? x->len : y->len;
    int c = memcmp(pool + x->off, pool + y->off, m); /* LMDB's key order */
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The batch's index writes (wcommit). */
static int s_index_flush(tlx_store_t *self)
{
    if (!self->iop_n)
        return 0;
    qsort_r(self->iop, self->iop_n, sizeof *self->iop, s_iop_cmp, self->ipool);
    MDB_cursor *cur[TLX_IDX__COUNT] = {0};
    int rc = 0;
    for (size_t i = 0; i < self->iop_n && !rc; i++) {
        const idx_op_t *o = &self->iop[i];
        MDB_cursor **c = &cur[o->kind];
        if (!*c && (rc = tlx_store__mdb(self, mdb_cursor_open(self->txn, self->dbi[s_idx_db[o->kind]], c),
                                        "cursor")))
            break;
        uint8_t sb[8];
        s_be64(sb, o->seq);
        MDB_val k = {o->len, self->ipool + o->off}, v = {8, sb};
        int r;
        if (o->add)
            r = mdb_cursor_put(*c, &k, &v, MDB_NODUPDATA);
        else if ((r = mdb_cursor_get(*c, &k, &v, MDB_GET_BOTH)) == 0)
            r = mdb_cursor_del(*c, 0);
        if (r != 0 && r != MDB_KEYEXIST && r != MDB_NOTFOUND)
            rc = tlx_store__mdb(self, r, "index");
        tlx_store__map_tick(self, 16);
    }
    for (int i = 0; i < TLX_IDX__COUNT; i++)
        if (cur[i])
            mdb_cursor_close(cur[i]);
    s_iop_clear(self);
    return rc;
}

/* Adds (add = 1) the index entries of `record` stored as `seq`, or removes
   (add = 0) those of the record stored at `seq` (read from articles). */
int tlx_store__index(tlx_store_t *self, uint64_t seq, const void *record, size_t len, int add)
{
    uint8_t sb[8];
    s_be64(sb, seq);
    void *copy = NULL;
    if (!record) {
        MDB_val k = {8, sb}, v;
        if (mdb_get(self->txn, self->dbi[DB_ARTICLES], &k, &v) != 0)
            return 0;
        if (!(copy = malloc(v.mv_size)))
            return TLX_ENOMEM;
        memcpy(copy, v.mv_data, v.mv_size); /* the page may move under our deletes */
        record = copy;
        len = v.mv_size;
    }
    int n = 0;
    if (tlx_index_keys(record, len, self->keys, &n) != 0)
        n = 0; /* an unreadable record is simply not indexed; verify reports it */
    int rc = s_index_apply(self, seq, self->keys, n, add);
    free(copy);
    return rc;
}

/* ---- record check ------------------------------------------------------------

   Every record is checked before it is committed: results can come from
   remote enrich workers, and a record that readers cannot decode would
   stop list/export and hold a tail group forever.  Structure (one
   complete msgpack map, nothing after it, bounded depth), string keys,
   the id and revision of the inbox entry, no "seq" (the store adds it),
   and the type of every field store/SCHEMA.md names. */

enum { K_STR = 1, K_STR_NIL, K_UINT, K_NUM_NIL, K_ARR_STR, K_ARR_MAP, K_ARR, K_MAP, K_MAP_NIL };
enum { TAKE_SOURCE = 1, TAKE_NEAR }; /* the fields the commit keeps (s_record_check's out) */
#define FIELD(key, kind, take)                                                                               \
    {                                                                                                        \
        key, sizeof key - 1, kind, take                                                                      \
    }

static const struct {
    const char *key;
    size_t len;
    int kind;
    int take;
} s_fields[] = {
    FIELD("id", K_STR, 0),
    FIELD("revision", K_UINT, 0),
    FIELD("body", K_STR, 0),
    FIELD("source", K_STR_NIL, TAKE_SOURCE),
    FIELD("url", K_STR_NIL, 0),
    FIELD("title", K_STR_NIL, 0),
    FIELD("lang", K_STR_NIL, 0),
    FIELD("summary", K_STR_NIL, 0),
    FIELD("published_at", K_STR_NIL, 0),
    FIELD("near_duplicate_of", K_STR_NIL, TAKE_NEAR),
    FIELD("received_at", K_NUM_NIL, 0),
    FIELD("processed_at", K_NUM_NIL, 0),
    FIELD("tags", K_ARR_STR, 0),
    FIELD("authors", K_ARR_STR, 0),
    FIELD("subheadings", K_ARR_STR, 0),
    FIELD("boilerplate", K_ARR_STR, 0),
    FIELD("keywords", K_ARR_STR, 0),
    FIELD("flags", K_ARR_STR, 0),
    FIELD("captions", K_ARR_MAP, 0),
    FIELD("entities", K_ARR_MAP, 0),
    FIELD("dates", K_ARR_MAP, 0),
    FIELD("money", K_ARR_MAP, 0),
    FIELD("quantities", K_ARR_MAP, 0),
    FIELD("quotes", K_ARR_MAP, 0),
    FIELD("sources", K_ARR_MAP, 0),
    FIELD("stats", K_MAP, 0),
    FIELD("credits", K_MAP, 0),
    FIELD("fingerprints", K_MAP, 0),
    FIELD("meta", K_MAP_NIL, 0),
};
#undef FIELD
#define NFIELDS (sizeof s_fields / sizeof *s_fields)

/* s_fields by name: an open-addressed table of index + 1 (0: empty),
   filled once.  A record's fields come in tlx_record_pack's order, which
   is not s_fields' and has fields s_fields does not name (deck, dateline,
   ...): a scan of s_fields from the last hit cost up to 29 compares per
   field, ~5 % of telexd's main thread in the null pipeline. */
#define FIELD_SLOTS 64
static uint8_t s_field_slot[FIELD_SLOTS];
static pthread_once_t s_field_once = PTHREAD_ONCE_INIT;

static size_t s_field_hash(const char *k, size_t kl)
{
    return (kl * 31 + (uint8_t)k[0] * 7 + (uint8_t)k[kl - 1]) % FIELD_SLOTS;
}

static void s_field_init(void)
{
    static_assert(NFIELDS < FIELD_SLOTS / 2 && NFIELDS < UINT8_MAX, "s_field_slot stays sparse");
    for (size_t f = 0; f < NFIELDS; f++) {
        size_t h = s_field_hash(s_fields[f].key, s_fields[f].len);
        while (s_field_slot[h])
            h = (h + 1) % FIELD_SLOTS;
        s_field_slot[h] = (uint8_t)(f + 1);
    }
}

/* The index of field k in s_fields (NFIELDS: none); s_field_init has run. */
static size_t s_field_find(const char *k, size_t kl)
{
    if (kl == 0)
        return NFIELDS;
    for (size_t h = s_field_hash(k, kl); s_field_slot[h]; h = (h + 1) % FIELD_SLOTS) {
        size_t f = s_field_slot[h] - 1u;
        if (s_fields[f].len != kl)
            continue;
        size_t i = 0; /* inline: a memcmp call per field was 1.2 % of the main thread */
        while (i < kl && s_fields[f].key[i] == k[i])
            i++;
        if (i == kl)
            return f;
    }
    return NFIELDS;
}

/* What the commit takes from the record besides its check, found in the
   same walk: the first "source" (when a str), the span of the first
   "near_duplicate_of" value, and the index keys (tlx_index_keys'). */
typedef struct {
    const char *source;
    size_t source_len;
    bool has_near;
    size_t near_vs, near_ve;
    int nkeys; /* in the walk's keys; 0 when the record is not indexed */
    /* without an id to compare (the precheck): the "id" and "revision" fields seen */
    int nid, nrev;
    size_t id_vs, id_len;
    uint64_t revision;
} record_scan_t;

/* Consumes one value `depth` levels below a top-level value (0: a field's
   own value), structure first: false when it is truncated or nested deeper
   than the record check allows (9 below the map).  *idx_ok goes false when
   tlx_index_keys could not skip it (8 below the map). */
static bool s_value_skip(tlx_mp_t *c, int depth, bool *idx_ok)
{
    if (c->p < c->end) { /* one-byte scalars and whole fixstrs, most values of a record, inline */
        uint8_t b = *c->p;
        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
            c->p++;
            return true;
        }
        if ((b & 0xe0) == 0xa0 && (size_t)(c->end - c->p) - 1 >= (b & 0x1fu)) {
            c->p += 1 + (b & 0x1fu);
            return true;
        }
    }
    tlx_mp_t at = *c;
    int rc = tlx_mp_skip(c, 8 - depth);
    if (rc == TLX_ETOOBIG) {
        *idx_ok = false;
        *c = at;
        rc = tlx_mp_skip(c, 9 - depth);
    }
    return rc == 0;
}

/* Consumes the value of a field of kind `kind`: false when its structure
   is bad (as s_value_skip); *type_ok false when it is of the wrong type. */
static bool s_kind_walk(tlx_mp_t *c, int kind, bool *type_ok, bool *idx_ok)
{
    tlx_mp_type_t t = tlx_mp_peek(c);
    switch (kind) {
    case K_STR:
        *type_ok = t == TLX_MP_STR;
        break;
    case K_STR_NIL:
        *type_ok = t == TLX_MP_STR || t == TLX_MP_NIL;
        break;
    case K_UINT:
        *type_ok = t == TLX_MP_UINT;
        break;
    case K_NUM_NIL:
        *type_ok = t == TLX_MP_UINT || t == TLX_MP_INT || t == TLX_MP_NIL;
        break;
    case K_MAP:
        *type_ok = t == TLX_MP_MAP;
        break;
    case K_MAP_NIL:
        *type_ok = t == TLX_MP_MAP || t == TLX_MP_NIL;
        break;
    default: {
        uint32_t n;
        *type_ok = false;
        if (t != TLX_MP_ARRAY || tlx_mp_read_array(c, &n))
            break;
        /* an array of these kinds: its elements' types while skipping them
           (one level down) */
        *type_ok = true;
        for (uint32_t i = 0; i < n; i++) {
            tlx_mp_type_t e = tlx_mp_peek(c);
            if ((kind == K_ARR_STR && e != TLX_MP_STR) || (kind == K_ARR_MAP && e != TLX_MP_MAP))
                *type_ok = false;
            if (!s_value_skip(c, 1, idx_ok))
                return false;
        }
        return true;
    }
    }
    return s_value_skip(c, 0, idx_ok);
}

/* The record check in one walk, which also fills `out` (see record_scan_t).
   A structural fault (not a map, truncated, too deep, bytes after it) is
   reported before any fault of a field, whatever their order in the
   record; then the first of: a non-string key, a "seq", a field of the
   wrong type, an id or revision other than the article's.  Returns that
   reason (in `what` or static) or NULL; the index keys go to `keys`.
   With id NULL (the precheck) the id and revision are not compared but
   counted, and the first of each kept in `out`. */
static const char *s_record_walk(const void *record, size_t len, const char *id, size_t idlen,
                                 uint32_t revision, tlx_index_key_t *keys, char what[96], record_scan_t *out)
{
    tlx_mp_t c;
    tlx_mp_init(&c, record, len);
    const char *why = NULL, *field_why = NULL;
    uint32_t n = 0;
    bool have_id = false, idx_ok = true, have_source = false;
    *out = (record_scan_t){0};
    pthread_once(&s_field_once, s_field_init);
    if (tlx_mp_peek(&c) != TLX_MP_MAP)
        why = "the record is not a msgpack map";
    else if (tlx_mp_read_map(&c, &n))
        why = "the record is truncated or nested too deeply";
    for (uint32_t i = 0; !why && i < n; i++) {
        const char *k;
        size_t kl;
        if (tlx_mp_peek(&c) != TLX_MP_STR || tlx_mp_read_str(&c, &k, &kl)) {
            field_why = field_why ? field_why : "a key of the record is not a string";
            if (!s_value_skip(&c, 0, &idx_ok) || !s_value_skip(&c, 0, &idx_ok))
                why = "the record is truncated or nested too deeply";
            continue;
        }
        if (!field_why && tlx_mp_streq(k, kl, "seq"))
            field_why = "the record carries a seq (the store assigns it)";
        /* the index fields are read by tlx_index_field, whose own skips
           decide; any other field makes the record unindexed only when
           tlx_index_keys could not skip it */
        bool wanted = tlx_index_field_wanted(k, kl), ignored = true;
        bool *vidx = wanted ? &ignored : &idx_ok;
        if (wanted && idx_ok) {
            tlx_mp_t at = c;
            if (tlx_index_field(k, kl, &at, keys, &out->nkeys))
                idx_ok = false;
        }
        size_t f = s_field_find(k, kl);
        tlx_mp_t at = c;
        if (f == NFIELDS) {
            if (!s_value_skip(&c, 0, vidx))
                why = "the record is truncated or nested too deeply";
            continue;
        }
        bool type_ok;
        if (!s_kind_walk(&c, s_fields[f].kind, &type_ok, vidx)) {
            why = "the record is truncated or nested too deeply";
            break;
        }
        if (s_fields[f].take == TAKE_SOURCE && !have_source) {
            have_source = true;
            if (tlx_mp_read_str(&at, &out->source, &out->source_len))
                out->source = NULL;
        } else if (s_fields[f].take == TAKE_NEAR && !out->has_near) {
            out->has_near = true;
            out->near_vs = (size_t)(at.p - (const uint8_t *)record);
            out->near_ve = (size_t)(c.p - (const uint8_t *)record);
        }
        if (field_why)
            continue;
        if (!type_ok) {
            snprintf(what, 96, "field '%s' has the wrong type", s_fields[f].key);
            field_why = what;
        } else if (f == 0) {
            const char *v;
            size_t vl;
            tlx_mp_read_str(&at, &v, &vl);
            if (!id) { /* the precheck: the commit compares */
                if (!out->nid++) {
                    out->id_vs = (size_t)(v - (const char *)record);
                    out->id_len = vl;
                }
            } else if (vl != idlen || memcmp(v, id, idlen) != 0)
                field_why = "the record's id is not its article's";
            have_id = true;
        } else if (f == 1) {
            uint64_t r;
            tlx_mp_read_uint(&at, &r);
            if (!id) {
                if (!out->nrev++)
                    out->revision = r;
            } else if (r != revision)
                field_why = "the record's revision is not its article's";
        }
    }
    if (!why && tlx_mp_left(&c))
        why = "bytes follow the record's map";
    if (!why)
        why = field_why;
    if (!why && !have_id)
        why = "the record has no id";
    if (!idx_ok)
        out->nkeys = 0; /* an unreadable record is simply not indexed; verify reports it */
    return why;
}

/* The record check of tlx_store_commit_record: the keys in self->rec_keys. */
static int s_record_check(tlx_store_t *self, const void *record, size_t len, const char *id, size_t idlen,
                          uint32_t revision, record_scan_t *out)
{
    char what[96];
    const char *why = s_record_walk(record, len, id, idlen, revision, self->rec_keys, what, out);
    if (!why)
        return 0;
    snprintf(self->errmsg, sizeof self->errmsg, "%s", why);
    return TLX_EMALFORMED;
}

void tlx_store_record_precheck(const void *record, size_t len, tlx_record_checked_t *out)
{
    tlx_index_key_t keys[TLX_INDEX_MAX_KEYS]; /* on this thread's stack: only the keys found are touched */
    char what[96];
    record_scan_t scan;
    out->ok = 0;
    out->record = record;
    out->len = len;
    if (s_record_walk(record, len, NULL, 0, 0, keys, what, &scan) || scan.nid != 1 || scan.nrev > 1)
        return; /* the commit checks it again, and says why */
    size_t kl = 0;
    for (int i = 0; i < scan.nkeys; i++) {
        if (kl + 3 + keys[i].len > sizeof out->keys)
            return; /* more keys than the result holds: the commit takes them itself */
        out->keys[kl] = (uint8_t)keys[i].kind;
        out->keys[kl + 1] = (uint8_t)(keys[i].len >> 8);
        out->keys[kl + 2] = (uint8_t)keys[i].len;
        memcpy(out->keys + kl + 3, keys[i].key, keys[i].len);
        kl += 3 + keys[i].len;
    }
    out->nkeys = scan.nkeys;
    out->keys_len = kl;
    out->id_vs = scan.id_vs;
    out->id_len = scan.id_len;
    out->has_rev = scan.nrev;
    out->revision = scan.revision;
    out->has_source = scan.source != NULL;
    out->source_vs = scan.source ? (size_t)(scan.source - (const char *)record) : 0;
    out->source_len = scan.source_len;
    out->has_near = scan.has_near;
    out->near_vs = scan.near_vs;
    out->near_ve = scan.near_ve;
    out->ok = 1;
}

/* The record check from a precheck (tlx_store_record_precheck) of these
   bytes: only the id and revision compared.  false when there is none or
   they differ: then s_record_check decides. */
static bool s_record_prechecked(tlx_store_t *self, const tlx_commit_hints_t *hints, const void *record,
                                size_t len, const char *id, size_t idlen, uint32_t revision,
                                record_scan_t *out)
{
    const tlx_record_checked_t *c = hints ? hints->checked : NULL;
    if (!c || !c->ok || c->record != record || c->len != len || c->id_len != idlen ||
        memcmp((const char *)record + c->id_vs, id, idlen) != 0 || (c->has_rev && c->revision != revision))
        return false;
    *out = (record_scan_t){.source = c->has_source ? (const char *)record + c->source_vs : NULL,
                           .source_len = c->source_len,
                           .has_near = c->has_near,
                           .near_vs = c->near_vs,
                           .near_ve = c->near_ve,
                           .nkeys = c->nkeys};
    size_t kl = 0;
    for (int i = 0; i < c->nkeys; i++) {
        tlx_index_key_t *k = &self->rec_keys[i];
        k->kind = (tlx_index_kind_t)c->keys[kl];
        k->len = (uint16_t)(c->keys[kl + 1] << 8 | c->keys[kl + 2]);
        memcpy(k->key, c->keys + kl + 3, k->len);
        kl += 3 + k->len;
    }
    return true;
}

int tlx_store_commit_record(tlx_store_t *self, uint64_t inbox_seq, const void *record, size_t record_len,
                            const tlx_commit_hints_t *hints, uint64_t *seq_out)
{
    if (!self->txn)
        return TLX_EINVAL;
    uint8_t ikey[8];
    s_be64(ikey, inbox_seq);
    MDB_val ik = {8, ikey}, iv;
    /* the entry is found once: the cursor stays on it for its deletion at
       the end (the writes in between go to other DBs), where a get and a
       del each searched the inbox from its root */
    int rc = self->inbox_cur ? 0 : mdb_cursor_open(self->txn, self->dbi[DB_INBOX], &self->inbox_cur);
    if (rc) {
        self->inbox_cur = NULL;
        return tlx_store__mdb(self, rc, "cursor");
    }
    MDB_cursor *icur = self->inbox_cur;
    if ((rc = tlx_store__mdb(self, mdb_cursor_get(icur, &ik, &iv, MDB_SET_KEY), "inbox get")))
        return rc;
    tlx_inbox_entry_t e;
    if (tlx_store__parse_inbox(inbox_seq, iv.mv_data, iv.mv_size, &e))
        return TLX_EMALFORMED;
    /* e points into the inbox page, valid only until the next write: copy the id now */
    char idbuf[TLX_ID_MAX];
    size_t idlen = e.id_len > TLX_ID_MAX ? TLX_ID_MAX : e.id_len;
    memcpy(idbuf, e.id, idlen);
    uint32_t revision = e.revision;
    bool inline_env = e.env != NULL; /* a "TXI1" entry of a store written by schema 1 */
    if (idlen == 0)
        return TLX_EMALFORMED;

    uint64_t seq = self->next.article;
    uint8_t skey[8];
    s_be64(skey, seq);
    MDB_val sk = {8, skey};
    uint32_t nkeys;
    size_t hdr;
    record_scan_t scan;
    if (!s_record_prechecked(self, hints, record, record_len, idbuf, idlen, revision, &scan) &&
        (rc = s_record_check(self, record, record_len, idbuf, idlen, revision, &scan)))
        return rc;
    if (s_map_hdr(record, record_len, &nkeys, &hdr))
        return TLX_EMALFORMED;
    char near[TLX_ID_MAX + 1]; /* not "" as an initializer: that zeroes all 4 KB, per article */
    near[0] = '\0';
    if (hints && hints->has_fp && (rc = s_fingerprints(self, seq, idbuf, idlen, hints, near, sizeof near)))
        return rc;
    if (hints && hints->terms && (rc = s_df_count(self, hints->terms, hints->terms_len)))
        return rc;
    /* learned boilerplate: first revisions only, so an often-edited story
       does not make its own lines look like the site's furniture */
    if (hints && hints->line_keys && revision == 1 && scan.source &&
        (rc = s_lines_count(self, scan.source, scan.source_len, hints->line_keys, hints->nline_keys)))
        return rc;
    record_plan_t plan;
    s_record_plan(record_len, hdr, near[0] ? near : NULL, scan.has_near, scan.near_vs, scan.near_ve, &plan);
    MDB_val av = {plan.total, NULL};
    if ((rc = tlx_store__mdb(self,
                             mdb_put(self->txn, self->dbi[DB_ARTICLES], &sk, &av, MDB_RESERVE | MDB_APPEND),
                             "article put")))
        return rc;
    s_record_write(record, record_len, nkeys, hdr, seq, &plan, av.mv_data);

    /* ids: id -> seq(8 BE) + revision(4 BE), dupsorted, so dups are in seq
       order.  An id's first article (the common case) is put in one search
       of `ids`; for an id stored before, MDB_NOOVERWRITE refuses and its
       newest revision is looked up before this one is added. */
    uint8_t idv[12];
    s_be64(idv, seq);
    idv[8] = (uint8_t)(revision >> 24);
    idv[9] = (uint8_t)(revision >> 16);
    idv[10] = (uint8_t)(revision >> 8);
    idv[11] = (uint8_t)revision;
    MDB_val idk = {idlen, idbuf}, idval = {12, idv};
    uint64_t old_seq = 0;
    uint32_t old_rev = 0;
    rc = mdb_put(self->txn, self->dbi[DB_IDS], &idk, &idval, MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST) {
        tlx_store__latest(self, self->txn, idbuf, idlen, 0, &old_seq, &old_rev);
        idval = (MDB_val){12, idv}; /* the refused put pointed it at the stored value */
        rc = mdb_put(self->txn, self->dbi[DB_IDS], &idk, &idval, 0);
    }
    if ((rc = tlx_store__mdb(self, rc, "ids put")))
        return rc;

    /* indexes: this revision's keys, unless a newer revision is stored already;
       the superseded revision's keys go */
    if (old_rev <= revision) {
        if (old_seq && (rc = tlx_store__index(self, old_seq, NULL, 0, 0)))
            return rc;
        if ((rc = s_index_apply(self, seq, self->rec_keys, scan.nkeys, 1)))
            return rc;
    }

    /* raw: a reference to the envelope the accept wrote (SCHEMA.md); an
       entry from before schema 2 carries its envelope, copied as it was */
    MDB_val rawv = {inline_env ? e.env_len : RAW_REF, NULL};
    if ((rc = tlx_store__mdb(
             self, mdb_put(self->txn, self->dbi[DB_RAW], &sk, &rawv, MDB_RESERVE | MDB_APPEND), "raw put")))
        return rc;
    if (inline_env) {
        /* re-read the inbox value: the puts above may have moved it */
        if ((rc = tlx_store__mdb(self, mdb_get(self->txn, self->dbi[DB_INBOX], &ik, &iv), "inbox get")))
            return rc;
        tlx_store__parse_inbox(inbox_seq, iv.mv_data, iv.mv_size, &e);
        memcpy(rawv.mv_data, e.env, e.env_len);
    } else {
        tlx_store__raw_ref_put(rawv.mv_data, inbox_seq);
    }

    uint8_t fkey[8];
    s_be64(fkey, self->next.feed);
    MDB_val fk = {8, fkey}, fv = {8, skey};
    if ((rc = tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_FEED], &fk, &fv, MDB_APPEND), "feed put")))
        return rc;
    if ((rc = tlx_store__mdb(self, mdb_cursor_del(icur, 0), "inbox del")) ||
        (rc = tlx_store__att_set(self, inbox_seq, 0)))
        return rc;
    self->next.article++;
    self->next.feed++;
    if (seq_out)
        *seq_out = seq;
    tlx_store__map_tick(self, 1);
    return 0;
}

int tlx_store_dead(tlx_store_t *self, uint64_t inbox_seq, const char *stage, const char *reason,
                   uint64_t now_ms)
{
    if (!self->txn)
        return TLX_EINVAL;
    uint8_t ikey[8];
    s_be64(ikey, inbox_seq);
    MDB_val ik = {8, ikey}, iv;
    int rc = tlx_store__mdb(self, mdb_get(self->txn, self->dbi[DB_INBOX], &ik, &iv), "inbox get");
    if (rc)
        return rc;
    /* value: msgpack {at, stage, reason, entry (bin: the inbox value)} */
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 4);
    s_pack_kv_u64(&pk, "at", now_ms);
    s_pack_kv_str(&pk, "stage", stage);
    s_pack_kv_str(&pk, "reason", reason);
    msgpack_pack_str_with_body(&pk, "entry", 5);
    msgpack_pack_bin_with_body(&pk, iv.mv_data, iv.mv_size);
    if (sb.data && iv.mv_size >= INBOX_HDR) { /* the entry with its counter as it stands */
        uint8_t *en = (uint8_t *)sb.data + sb.size - iv.mv_size;
        s_le32(en + 4, s_att_of(self, NULL, inbox_seq, s_get_le32(en + 4)));
    }
    MDB_val dv = {sb.size, sb.data};
    rc = sb.data ? tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_DEAD], &ik, &dv, 0), "dead put")
                 : TLX_ENOMEM;
    msgpack_sbuffer_destroy(&sb);
    if (!rc)
        rc = tlx_store__mdb(self, mdb_del(self->txn, self->dbi[DB_INBOX], &ik, NULL), "inbox del");
    if (!rc)
        rc = tlx_store__att_set(self, inbox_seq, 0);
    return rc;
}

/* ---- readers ---------------------------------------------------------------- */

static int s_copy_out(MDB_val *v, void **out, size_t *len)
{
    *out = malloc(v->mv_size ? v->mv_size : 1);
    if (!*out)
        return TLX_ENOMEM;
    memcpy(*out, v->mv_data, v->mv_size);
    *len = v->mv_size;
    return 0;
}

int tlx_store_get_seq(tlx_store_t *self, uint64_t seq, void **rec, size_t *rec_len)
{
    *rec = NULL;
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    uint8_t key[8];
    s_be64(key, seq);
    MDB_val k = {8, key}, v;
    rc = tlx_store__mdb(self, mdb_get(s_rtxn(self, rt), self->dbi[DB_ARTICLES], &k, &v), "get article");
    if (!rc)
        rc = s_copy_out(&v, rec, rec_len);
    tlx_store__rend(self, rt);
    return rc;
}

int tlx_store_raw_get(tlx_store_t *self, uint64_t seq, void **env, size_t *env_len)
{
    *env = NULL;
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_txn *txn = s_rtxn(self, rt);
    uint8_t key[8];
    s_be64(key, seq);
    MDB_val k = {8, key}, v;
    uint64_t ref;
    rc = tlx_store__mdb(self, mdb_get(txn, self->dbi[DB_RAW], &k, &v), "get raw");
    if (!rc && tlx_store__raw_ref(v.mv_data, v.mv_size, &ref)) {
        int grc = tlx_store__envelope(self, txn, ref, &v);
        if (grc == MDB_NOTFOUND) {
            snprintf(self->errmsg, sizeof self->errmsg, "raw[%llu]: envelope %llu is missing",
                     (unsigned long long)seq, (unsigned long long)ref);
            rc = TLX_ECORRUPT;
        } else
            rc = tlx_store__mdb(self, grc, "get envelope");
    }
    if (!rc)
        rc = s_copy_out(&v, env, env_len);
    tlx_store__rend(self, rt);
    return rc;
}

int tlx_store_get_id(tlx_store_t *self, const char *id, size_t id_len, uint32_t rev, uint64_t *seq,
                     void **rec, size_t *rec_len)
{
    *rec = NULL;
    if (id_len == 0 || id_len > TLX_ID_MAX)
        return TLX_ENOTFOUND;
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_txn *txn = s_rtxn(self, rt);
    uint64_t best_seq = 0;
    uint32_t best_rev = 0;
    int lrc = tlx_store__latest(self, txn, id, id_len, rev, &best_seq, &best_rev);
    MDB_val v;
    if (lrc && lrc != TLX_ENOTFOUND) {
        rc = lrc;
    } else if (!best_seq) {
        snprintf(self->errmsg, sizeof self->errmsg, "no such id");
        rc = TLX_ENOTFOUND;
    } else {
        uint8_t key[8];
        s_be64(key, best_seq);
        MDB_val sk = {8, key};
        rc = tlx_store__mdb(self, mdb_get(txn, self->dbi[DB_ARTICLES], &sk, &v), "get article");
        if (!rc)
            rc = s_copy_out(&v, rec, rec_len);
        if (seq)
            *seq = best_seq;
    }
    tlx_store__rend(self, rt);
    return rc;
}

int tlx_store_feed(tlx_store_t *self, uint64_t after, uint64_t limit, tlx_feed_fn fn, void *ctx,
                   uint64_t *last)
{
    uint64_t done = 0, pos = after;
    int rc = 0;
    for (;;) {
        MDB_txn *rt;
        if ((rc = tlx_store__rbegin(self, &rt)))
            break;
        MDB_txn *txn = s_rtxn(self, rt);
        MDB_cursor *cur;
        if ((rc = tlx_store__mdb(self, mdb_cursor_open(txn, self->dbi[DB_FEED], &cur), "cursor"))) {
            tlx_store__rend(self, rt);
            break;
        }
        uint8_t key[8];
        s_be64(key, pos + 1);
        MDB_val k = {8, key}, v;
        int op = MDB_SET_RANGE, batch = 0, stop = 0, grc = 0;
        /* The end of the feed is MDB_NOTFOUND and nothing else: any other
           error (a damaged page) stops the walk with that error, so a
           reader never mistakes the rest of a damaged store for "no more". */
        while (batch < 256 && (limit == 0 || done < limit) && (grc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
            op = MDB_NEXT;
            if (k.mv_size != 8 || v.mv_size != 8) {
                snprintf(self->errmsg, sizeof self->errmsg,
                         "feed: an entry of %zu/%zu bytes after feed seq %llu", k.mv_size, v.mv_size,
                         (unsigned long long)pos);
                rc = TLX_ECORRUPT;
                stop = 1;
                break;
            }
            uint64_t fseq = s_get_be64(k.mv_data), aseq = s_get_be64(v.mv_data);
            MDB_val ak = {8, v.mv_data}, av;
            int arc = mdb_get(txn, self->dbi[DB_ARTICLES], &ak, &av);
            if (arc != 0) {
                char what[96];
                snprintf(what, sizeof what, "feed %llu: article %llu", (unsigned long long)fseq,
                         (unsigned long long)aseq);
                rc = tlx_store__mdb(self, arc, what);
                if (rc == TLX_ENOTFOUND)
                    rc = TLX_ECORRUPT; /* the feed names it, so it was committed */
                stop = 1;
                break;
            }
            pos = fseq;
            batch++;
            done++;
            if ((rc = fn(ctx, fseq, aseq, av.mv_data, av.mv_size))) {
                stop = 1;
                break;
            }
        }
        if (!stop && grc != 0 && grc != MDB_NOTFOUND) {
            char what[64];
            snprintf(what, sizeof what, "feed: reading after feed seq %llu", (unsigned long long)pos);
            rc = tlx_store__mdb(self, grc, what);
            stop = 1;
        }
        mdb_cursor_close(cur);
        tlx_store__rend(self, rt);
        if (stop || batch < 256 || (limit && done >= limit))
            break;
    }
    if (last)
        *last = pos;
    return rc;
}

/* Map size and use, reader slots: from the environment, no txn needed. */
static void s_env_counts(tlx_store_t *self, tlx_store_counts_t *c)
{
    MDB_envinfo info;
    MDB_stat st;
    mdb_env_info(self->env, &info);
    mdb_env_stat(self->env, &st);
    c->map_size = info.me_mapsize;
    c->map_used = (info.me_last_pgno + 1) * (size_t)st.ms_psize;
    c->readers_used = info.me_numreaders;
    c->readers_max = info.me_maxreaders;
}

int tlx_store_gauges(tlx_store_t *self, tlx_store_counts_t *c)
{
    memset(c, 0, sizeof(*c));
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_txn *txn = s_rtxn(self, rt);
    MDB_stat st;
    if (mdb_stat(txn, self->dbi[DB_INBOX], &st) == 0)
        c->inbox = st.ms_entries;
    if (mdb_stat(txn, self->dbi[DB_DEAD], &st) == 0)
        c->dead = st.ms_entries;
    s_env_counts(self, c);
    tlx_store__rend(self, rt);
    return 0;
}

int tlx_store_counts(tlx_store_t *self, tlx_store_counts_t *c)
{
    memset(c, 0, sizeof(*c));
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_txn *txn = s_rtxn(self, rt);
    MDB_stat st;
#define COUNT(field, db)                                                                                     \
    if (mdb_stat(txn, self->dbi[db], &st) == 0)                                                              \
        c->field = st.ms_entries;
    COUNT(articles, DB_ARTICLES)
    COUNT(inbox, DB_INBOX)
    COUNT(dead, DB_DEAD)
    COUNT(rejects, DB_REJECTS)
    COUNT(feed, DB_FEED)
#undef COUNT
    /* distinct ids: count keys, not dups */
    MDB_cursor *cur;
    if (mdb_cursor_open(txn, self->dbi[DB_IDS], &cur) == 0) {
        MDB_val k, v;
        int op = MDB_FIRST;
        while (mdb_cursor_get(cur, &k, &v, op) == 0) {
            c->ids++;
            op = MDB_NEXT_NODUP;
        }
        mdb_cursor_close(cur);
    }
    c->last_seq = s_last_key(txn, self->dbi[DB_ARTICLES]);
    s_env_counts(self, c);
    MDB_val k = {6, "schema"}, v;
    if (mdb_get(txn, self->dbi[DB_META], &k, &v) == 0 && v.mv_size == 8)
        c->schema = (uint32_t)s_get_be64(v.mv_data);
    MDB_val dk = {3, "df:"};
    if (mdb_get(txn, self->dbi[DB_STATS], &dk, &v) == 0 && v.mv_size == 4)
        c->df_docs = s_get_le32(v.mv_data);
    tlx_store__rend(self, rt);
    return 0;
}

/* ---- queries -------------------------------------------------------------- */

typedef struct {
    uint64_t *v;
    size_t n, cap;
} seqs_t;

static int s_seqs_push(seqs_t *s, uint64_t x)
{
    uint64_t *p = tlx_buf_grow(s->v, s->n, &s->cap, sizeof *p, 256);
    if (!p)
        return TLX_ENOMEM;
    s->v = p;
    s->v[s->n++] = x;
    return 0;
}

static int s_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* All seqs under keys in [lo, hi] (hi NULL: only lo itself), sorted, distinct. */
static int s_postings(tlx_store_t *self, MDB_txn *txn, int db, const char *lo, size_t lol, const char *hi,
                      size_t hil, seqs_t *out)
{
    MDB_cursor *cur;
    int rc = tlx_store__mdb(self, mdb_cursor_open(txn, self->dbi[db], &cur), "cursor");
    if (rc)
        return rc;
    MDB_val k = {lol, (void *)lo}, v;
    int op = hi ? MDB_SET_RANGE : MDB_SET_KEY, grc = 0, drc = 0;
    while (!rc && (grc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
        if (hi) {
            size_t m = k.mv_size < hil ? k.mv_size : hil;
            int c = memcmp(k.mv_data, hi, m);
            if (c > 0 || (c == 0 && k.mv_size > hil))
                break;
        }
        /* all dups of this key */
        int dop = MDB_GET_MULTIPLE;
        while (!rc && (drc = mdb_cursor_get(cur, &k, &v, dop)) == 0) {
            for (size_t i = 0; i + 8 <= v.mv_size && !rc; i += 8)
                rc = s_seqs_push(out, s_get_be64((uint8_t *)v.mv_data + i));
            dop = MDB_NEXT_MULTIPLE;
        }
        if (!rc && drc != MDB_NOTFOUND)
            rc = tlx_store__mdb(self, drc, "index");
        if (!hi)
            break;
        op = MDB_NEXT_NODUP;
    }
    if (!rc && grc != 0 && grc != MDB_NOTFOUND)
        rc = tlx_store__mdb(self, grc, "index");
    mdb_cursor_close(cur);
    if (!rc && hi && out->n) {
        qsort(out->v, out->n, sizeof *out->v, s_cmp_u64);
        size_t w = 1;
        for (size_t i = 1; i < out->n; i++)
            if (out->v[i] != out->v[w - 1])
                out->v[w++] = out->v[i];
        out->n = w;
    }
    return rc;
}

/* a := a AND b (both sorted). */
static void s_intersect(seqs_t *a, const seqs_t *b)
{
    size_t i = 0, j = 0, w = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i] < b->v[j])
            i++;
        else if (a->v[i] > b->v[j])
            j++;
        else {
            a->v[w++] = a->v[i];
            i++;
            j++;
        }
    }
    a->n = w;
}

int tlx_store_query(tlx_store_t *self, const tlx_query_t *q, tlx_feed_fn fn, void *ctx)
{
    const char *terms[3] = {q->entity, q->tag, q->source};
    const int dbs[3] = {DB_IDX_ENTITY, DB_IDX_TAG, DB_IDX_SOURCE};
    int have = (q->from || q->to);
    for (int i = 0; i < 3; i++)
        have |= terms[i] != NULL;
    if (!have)
        return TLX_EINVAL;

    seqs_t acc = {0}, cur = {0};
    int first = 1, rc = 0;
    MDB_txn *rt;
    if ((rc = tlx_store__rbegin(self, &rt)))
        return rc;
    MDB_txn *txn = s_rtxn(self, rt);
    for (int i = 0; i < 3 && !rc; i++) {
        if (!terms[i])
            continue;
        char key[TLX_INDEX_KEY_MAX];
        size_t kl = tlx_index_norm(terms[i], strlen(terms[i]), key);
        cur.n = 0;
        rc = kl ? s_postings(self, txn, dbs[i], key, kl, NULL, 0, &cur) : 0;
        if (first) {
            seqs_t t = acc;
            acc = cur;
            cur = t;
            first = 0;
        } else
            s_intersect(&acc, &cur);
    }
    if (!rc && (q->from || q->to)) {
        const char *lo = q->from ? q->from : "0000-00-00", *hi = q->to ? q->to : "9999-99-99";
        cur.n = 0;
        rc = s_postings(self, txn, DB_IDX_DAY, lo, strlen(lo), hi, strlen(hi), &cur);
        if (first) {
            seqs_t t = acc;
            acc = cur;
            cur = t;
        } else
            s_intersect(&acc, &cur);
    }
    tlx_store__rend(self, rt);
    free(cur.v);

    /* fetch in feed order (article seq order == commit order), 256 per txn */
    uint64_t done = 0;
    for (size_t i = 0; !rc && i < acc.n;) {
        if ((rc = tlx_store__rbegin(self, &rt)))
            break;
        txn = s_rtxn(self, rt);
        for (int b = 0; b < 256 && i < acc.n && !rc; b++, i++) {
            if (q->limit && done >= q->limit) {
                i = acc.n;
                break;
            }
            uint8_t key[8];
            s_be64(key, acc.v[i]);
            MDB_val k = {8, key}, v;
            int grc = mdb_get(txn, self->dbi[DB_ARTICLES], &k, &v);
            if (grc != 0) {
                char what[64];
                snprintf(what, sizeof what, "index: article %llu", (unsigned long long)acc.v[i]);
                rc = tlx_store__mdb(self, grc, what);
                if (rc == TLX_ENOTFOUND)
                    rc = TLX_ECORRUPT; /* articles are never deleted: an index names only stored ones */
                break;
            }
            done++;
            rc = fn(ctx, acc.v[i], acc.v[i], v.mv_data, v.mv_size);
        }
        tlx_store__rend(self, rt);
    }
    free(acc.v);
    return rc;
}

/* ---- cursors ---------------------------------------------------------------- */

int tlx_store_cursor_get(tlx_store_t *self, const char *group, uint64_t *feed_seq)
{
    *feed_seq = 0;
    size_t gl = strlen(group);
    if (gl == 0 || gl > 255)
        return TLX_EINVAL;
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_val k = {gl, (void *)group}, v;
    int grc = mdb_get(s_rtxn(self, rt), self->dbi[DB_CURSORS], &k, &v);
    if (grc == 0 && v.mv_size == 8)
        *feed_seq = s_get_be64(v.mv_data);
    else if (grc != 0 && grc != MDB_NOTFOUND)
        rc = tlx_store__mdb(self, grc, "cursors");
    tlx_store__rend(self, rt);
    return rc;
}

int tlx_store_cursor_set(tlx_store_t *self, const char *group, uint64_t feed_seq)
{
    size_t gl = strlen(group);
    if (gl == 0 || gl > 255 || self->opts.read_only || s_batch_of == self)
        return TLX_EINVAL;
    /* A txn of its own, not self->txn: telexd's publisher thread moves its
       cursor while the writer thread has a batch open on the same handle
       (LMDB serializes the two write txns). */
    pthread_rwlock_rdlock(&self->map_lock);
    MDB_txn *txn;
    int rc = mdb_txn_begin(self->env, NULL, 0, &txn);
    if (rc == MDB_MAP_RESIZED) {
        mdb_env_set_mapsize(self->env, 0);
        rc = mdb_txn_begin(self->env, NULL, 0, &txn);
    }
    if (rc == 0) {
        uint8_t b[8];
        s_be64(b, feed_seq);
        MDB_val k = {gl, (void *)group}, v = {8, b};
        rc = mdb_put(txn, self->dbi[DB_CURSORS], &k, &v, 0);
        rc = rc ? (mdb_txn_abort(txn), rc) : mdb_txn_commit(txn);
    }
    pthread_rwlock_unlock(&self->map_lock);
    return tlx_store__mdb(self, rc, "cursor put");
}
