/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_slot.c -- refcounted publish slot (see tlx_slot.h). */
#include "tlx_slot.h"

void tlx_ref_init(tlx_ref_t *ref, void (*free_fn)(tlx_ref_t *ref))
{
    atomic_init(&ref->refs, 1);
    ref->free_fn = free_fn;
}

void tlx_ref_retain(tlx_ref_t *ref)
{
    atomic_fetch_add(&ref->refs, 1);
}

void tlx_ref_release(tlx_ref_t *ref)
{
    if (ref && atomic_fetch_sub(&ref->refs, 1) == 1)
        ref->free_fn(ref);
}

void tlx_slot_init(tlx_slot_t *slot)
{
    pthread_mutex_init(&slot->lock, NULL);
    slot->cur = NULL;
}

void tlx_slot_fini(tlx_slot_t *slot)
{
    tlx_ref_release(slot->cur);
    slot->cur = NULL;
    pthread_mutex_destroy(&slot->lock);
}

tlx_ref_t *tlx_slot_acquire(tlx_slot_t *slot)
{
    pthread_mutex_lock(&slot->lock);
    tlx_ref_t *ref = slot->cur;
    if (ref)
        tlx_ref_retain(ref);
    pthread_mutex_unlock(&slot->lock);
    return ref;
}

void tlx_slot_publish(tlx_slot_t *slot, tlx_ref_t *ref)
{
    pthread_mutex_lock(&slot->lock);
    tlx_ref_t *old = slot->cur;
    slot->cur = ref;
    pthread_mutex_unlock(&slot->lock);
    tlx_ref_release(old);
}
