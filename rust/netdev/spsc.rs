// SPDX-License-Identifier: GPL-2.0

//! A ring of slots with one producer and one consumer and no lock between
//! them: the bookkeeping of a transmit ring.
//!
//! A transmit ring has two users that run on different CPUs at once:
//! `start_xmit` fills descriptors, the NAPI poll reclaims the ones the
//! hardware is done with. C drivers let them share the ring without a
//! lock, through the ring indices and memory barriers; a lock between the
//! two makes the sender wait while the poll frees frames. [`new`] splits a
//! ring into a [`Producer`] and a [`Consumer`], each owned by one side (a
//! driver typically keeps each behind a lock of its own, which only its
//! side takes). The producer pushes a value for each entry, an entry
//! spanning one or more consecutive slots (a frame's descriptors); the
//! consumer sees entries in order and pops them. Both halves share the
//! ring's data `S` (the descriptor memory), which each side reaches
//! through a shared reference.
//!
//! The producer publishes an entry after writing it, so everything it wrote
//! before [`Producer::push`] (the descriptors included) is visible to the
//! consumer that sees the entry; the consumer releases the slots of an
//! entry after taking its value, so the producer reuses them only then.

use core::cell::{Cell, UnsafeCell};
use core::marker::PhantomData;
// Plain Rust atomics rather than `kernel::sync::atomic`: only Rust code
// touches these indices, and on the transmit path the kernel's atomics
// cost a call into a C helper for every access where these compile to
// plain loads and stores on x86.
use core::sync::atomic::{AtomicUsize, Ordering::Acquire, Ordering::Release};

use kernel::prelude::*;
use kernel::sync::Arc;

/// One slot: the value of the entry that starts here, and how many slots
/// that entry spans.
struct Slot<T> {
    value: UnsafeCell<Option<T>>,
    span: UnsafeCell<usize>,
}

/// The state both halves share.
///
/// # Invariants
///
/// - `head` (stored by the producer only) and `tail` (stored by the
///   consumer only) are below `slots.len()`, and `slots.len() >= 2`.
/// - The slots from `tail` up to `head` (in ring order) belong to the
///   consumer: they hold published entries, each with its value and span
///   at its first slot. The others belong to the producer and hold no
///   value.
/// - There is exactly one [`Producer`] and one [`Consumer`] per ring.
struct Shared<T, S> {
    slots: KVec<Slot<T>>,
    head: AtomicUsize,
    tail: AtomicUsize,
    data: S,
}

// SAFETY: The values move between the two halves, which may run on
// different CPUs: `T: Send`. The shared data is reached from both at once:
// `S: Send + Sync`.
unsafe impl<T: Send, S: Send + Sync> Send for Shared<T, S> {}
// SAFETY: Each slot is accessed by the half that owns it only (see the
// invariants), the ownership changing hands through the release and
// acquire operations on `head` and `tail`.
unsafe impl<T: Send, S: Send + Sync> Sync for Shared<T, S> {}

impl<T, S> Shared<T, S> {
    fn count(&self) -> usize {
        self.slots.len()
    }

    /// Slots in use between `tail` and `head`.
    fn used(&self, head: usize, tail: usize) -> usize {
        if head >= tail {
            head - tail
        } else {
            self.count() - (tail - head)
        }
    }

    /// Slots free for new entries: one always stays unused, so that a full
    /// ring is told apart from an empty one.
    fn free(&self, head: usize, tail: usize) -> usize {
        self.count() - 1 - self.used(head, tail)
    }

    /// The index `n` slots after `i`, for `i < count` and `n <= count`.
    fn advance(&self, i: usize, n: usize) -> usize {
        let j = i + n;
        if j >= self.count() {
            j - self.count()
        } else {
            j
        }
    }
}

/// Creates a ring of `count` slots (at least 2) sharing `data`, and
/// returns its two halves.
pub fn new<T: Send, S: Send + Sync>(
    count: usize,
    data: S,
) -> Result<(Producer<T, S>, Consumer<T, S>)> {
    if count < 2 {
        return Err(EINVAL);
    }
    let mut slots = KVec::with_capacity(count, GFP_KERNEL)?;
    for _ in 0..count {
        slots.push(
            Slot {
                value: UnsafeCell::new(None),
                span: UnsafeCell::new(0),
            },
            GFP_KERNEL,
        )?;
    }
    // INVARIANT: Both indices are 0 (no entry) and there are `count >= 2`
    // slots; the two halves are made here, once.
    let shared = Arc::new(
        Shared {
            slots,
            head: AtomicUsize::new(0),
            tail: AtomicUsize::new(0),
            data,
        },
        GFP_KERNEL,
    )?;
    Ok((
        Producer {
            ring: shared.clone(),
            head: 0,
        },
        Consumer {
            ring: shared,
            tail: 0,
            _not_sync: PhantomData,
        },
    ))
}

/// The half that adds entries (a transmit path).
///
/// # Invariants
///
/// `head` equals `ring.head`.
pub struct Producer<T, S> {
    ring: Arc<Shared<T, S>>,
    /// Our copy of `ring.head`, which only we store.
    head: usize,
}

impl<T, S> Producer<T, S> {
    /// The data both halves share.
    pub fn data(&self) -> &S {
        &self.ring.data
    }

    /// Number of slots.
    pub fn count(&self) -> usize {
        self.ring.count()
    }

    /// The slot the next entry starts at.
    pub fn next_slot(&self) -> usize {
        self.head
    }

    /// Slots free for new entries, as far as the consumer has released
    /// them (it may release more at any time).
    pub fn free(&self) -> usize {
        // Pairs with the consumer's release: the slots it gave back are
        // no longer read.
        let tail = self.ring.tail.load(Acquire);
        self.ring.free(self.head, tail)
    }

    /// Publishes an entry of `span` slots from [`Producer::next_slot`] on,
    /// carrying `value`; what the caller wrote before (its descriptors)
    /// becomes visible to the consumer with it. Fails, giving the value
    /// back, if `span` is 0 or more than [`Producer::free`].
    pub fn push(&mut self, span: usize, value: T) -> Result<(), T> {
        if span == 0 || span > self.free() {
            return Err(value);
        }
        let head = self.head;
        let Some(slot) = self.ring.slots.get(head) else {
            return Err(value);
        };
        // `head` and the `span - 1` slots after it are free, hence ours
        // (type invariant); the consumer does not look at them before the
        // release below.
        // SAFETY: So no one else accesses the slot; we are the only producer.
        unsafe {
            *slot.value.get() = Some(value);
            *slot.span.get() = span;
        }
        let next = self.ring.advance(head, span);
        // INVARIANT: The entry's slots now belong to the consumer, its
        // value and span in place at its first slot.
        self.ring.head.store(next, Release);
        // INVARIANT: Our copy follows.
        self.head = next;
        Ok(())
    }
}

/// An entry as the consumer sees it before popping it.
pub struct Entry<'a, T> {
    /// The entry's first slot.
    pub first: usize,
    /// The entry's last slot.
    pub last: usize,
    /// The value it carries.
    pub value: &'a T,
}

/// The half that reclaims entries in order (a transmit completion).
///
/// # Invariants
///
/// `tail` equals `ring.tail`.
pub struct Consumer<T, S> {
    ring: Arc<Shared<T, S>>,
    /// Our copy of `ring.tail`, which only we store.
    tail: usize,
    /// Not `Sync`: [`Consumer::peek`] lends `&T` through `&self`, which
    /// two CPUs sharing a `&Consumer` would hold at once, while `T` need
    /// only be `Send`. (A lock around the consumer shares it safely.)
    _not_sync: PhantomData<Cell<()>>,
}

impl<T, S> Consumer<T, S> {
    /// The data both halves share.
    pub fn data(&self) -> &S {
        &self.ring.data
    }

    /// Number of slots.
    pub fn count(&self) -> usize {
        self.ring.count()
    }

    /// Whether no entry is in the ring.
    pub fn is_empty(&self) -> bool {
        self.tail == self.ring.head.load(Acquire)
    }

    /// Slots free for new entries, as far as the producer has filled them
    /// (it may fill more at any time).
    pub fn free(&self) -> usize {
        self.ring.free(self.ring.head.load(Acquire), self.tail)
    }

    /// The oldest entry, if any.
    pub fn peek(&self) -> Option<Entry<'_, T>> {
        let tail = self.tail;
        // Pairs with the producer's release: the entry is written.
        if tail == self.ring.head.load(Acquire) {
            return None;
        }
        let slot = self.ring.slots.get(tail)?;
        // `tail` starts a published entry, the consumer's (type invariant);
        // the producer does not write it until we release it, which takes
        // `&mut self`, so not while the reference lives.
        // SAFETY: So the slot is only read, and only by us.
        let (value, span) = unsafe { ((*slot.value.get()).as_ref()?, *slot.span.get()) };
        Some(Entry {
            first: tail,
            last: self.ring.advance(tail, span.saturating_sub(1)),
            value,
        })
    }

    /// Takes the oldest entry's value and gives its slots back to the
    /// producer.
    pub fn pop(&mut self) -> Option<T> {
        let tail = self.tail;
        if tail == self.ring.head.load(Acquire) {
            return None;
        }
        let slot = self.ring.slots.get(tail)?;
        // SAFETY: As in `peek`; we are the only consumer and hold `&mut`.
        let (value, span) = unsafe { ((*slot.value.get()).take()?, *slot.span.get()) };
        let next = self.ring.advance(tail, span);
        // INVARIANT: The entry's slots go back to the producer, the value
        // taken out.
        self.ring.tail.store(next, Release);
        // INVARIANT: Our copy follows.
        self.tail = next;
        Some(value)
    }
}
