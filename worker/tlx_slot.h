/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_slot.h -- a refcounted object published in a slot: one thread makes a
    new version and publishes it, any number of threads acquire the current
    one, use it without a lock, and release it; a version is freed with its
    last reference, so a publish never waits for the readers of the old one.

    The object embeds a tlx_ref_t (anywhere; tlx_slot_acquire returns the
    tlx_ref_t, the caller converts it back with TLX_REF_CONTAINER).  Used by
    the snapshots the enrich threads read (tlx_dfsnap, tlx_boilsnap).

    Thread safety: acquire, publish and release may run concurrently from
    any threads; init and fini must not race with anything.
*/
#ifndef TLX_SLOT_H
#define TLX_SLOT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlx_ref tlx_ref_t;
struct tlx_ref {
    atomic_int refs;
    void (*free_fn)(tlx_ref_t *ref); /* frees the object embedding ref */
};

/*  The object of type `type` whose member `member` is the tlx_ref_t at p
    (NULL for NULL).  p is evaluated twice: pass a variable. */
#define TLX_REF_CONTAINER(p, type, member)                                                                   \
    ((p) ? (type *)(void *)((char *)(p)-offsetof(type, member)) : (type *)NULL)

typedef struct {
    pthread_mutex_t lock;
    tlx_ref_t *cur; /* may be NULL */
} tlx_slot_t;

/*  @brief  Starts a new object's count at one reference (the caller's).
    @param  free_fn called once, with the last release. */
void tlx_ref_init(tlx_ref_t *ref, void (*free_fn)(tlx_ref_t *ref));

/*  @brief  Takes one more reference. */
void tlx_ref_retain(tlx_ref_t *ref);

/*  @brief  Drops a reference; the last one calls free_fn.  NULL is fine. */
void tlx_ref_release(tlx_ref_t *ref);

/*  @brief  An empty slot. */
void tlx_slot_init(tlx_slot_t *slot);

/*  @brief  Drops the slot's reference to the current object and destroys the slot. */
void tlx_slot_fini(tlx_slot_t *slot);

/*  @brief  A reference to the current object (release it), or NULL when none is published. */
tlx_ref_t *tlx_slot_acquire(tlx_slot_t *slot);

/*  @brief  Makes ref current (NULL empties the slot), taking over the
            caller's reference; the previous object loses the slot's. */
void tlx_slot_publish(tlx_slot_t *slot, tlx_ref_t *ref);

#ifdef __cplusplus
}
#endif
#endif
