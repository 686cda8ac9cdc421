// SPDX-License-Identifier: GPL-2.0

//! A device's virtqueues as a whole: [`Device::find_vqs`], the callback
//! every queue gets, and the teardown the layer owns.
//!
//! `find_vqs` stores a [`VqState`] as the device's driver pointer
//! (`vdev->priv`, the C drivers' place for theirs, which the adapter
//! clears before probe: a C driver bound before leaves its own there):
//! one [`Slot`] per queue,
//! with the NAPI instance its callback schedules and the function that
//! drops a token of its type. Handles ([`Virtqueue`]) and NAPI bindings
//! ([`super::VqNapi`]) count as users of the state ([`QueueRef`]).
//!
//! The teardown is in [`super::teardown`].

use core::ffi::c_void;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};

use kernel::device::Core;
use kernel::prelude::*;
use kernel::sync::aref::ARef;

use super::bindings;
use super::device::Device;
use super::virtqueue::{SgTable, Token, Virtqueue};

/// What a queue's callback does: schedule the NAPI instance bound to the
/// queue. It lives in that instance's [`super::VqNapi`], which recovers
/// itself from the pointer.
pub struct Binding {
    /// Schedules the instance (C `napi_schedule_prep`,
    /// `virtqueue_disable_cb`, `__napi_schedule`); any context.
    pub(super) schedule: unsafe fn(*const Binding, *mut bindings::virtqueue),
    /// The instance's `napi_struct`.
    pub(super) napi: unsafe fn(*const Binding) -> *mut bindings::napi_struct,
}

/// The layer's record of one queue.
pub struct Slot {
    pub(super) vq: AtomicPtr<bindings::virtqueue>,
    /// The binding of the NAPI instance the callback schedules; null if
    /// none. Cleared (and callbacks waited for) before the binding dies.
    pub(super) binding: AtomicPtr<Binding>,
    /// Drops a token of the queue's type, given its cookie.
    pub(super) drop_token: unsafe fn(NonNull<c_void>),
}

/// The queues of a device, from `find_vqs` to the teardown.
pub struct VqState {
    vdev: ARef<Device>,
    /// Handles and bindings alive ([`QueueRef`]s).
    pub(super) users: AtomicUsize,
    /// Set when the device was reset: it uses none of the queues' buffers
    /// any more, and raises no callback.
    pub(super) reset: AtomicBool,
    pub(super) slots: KVec<Slot>,
}

/// A counted reference to one queue of a [`VqState`]: the state and the
/// queue stay until the last one is dropped.
pub struct QueueRef {
    state: NonNull<VqState>,
    index: usize,
}

// SAFETY: The state is shared through atomics; the raw queue pointer is
// only used by the holders, under their own serialisation.
unsafe impl Send for QueueRef {}
// SAFETY: As above.
unsafe impl Sync for QueueRef {}

impl QueueRef {
    /// A new reference to queue `index` of `state`.
    ///
    /// # Safety
    ///
    /// `state` is a live state (found and not torn down) with that queue.
    unsafe fn new(state: NonNull<VqState>, index: usize) -> Self {
        // SAFETY: The caller guarantees a live state; the teardown frees it
        // only once no user is left, and this is one from now on.
        unsafe { state.as_ref() }
            .users
            .fetch_add(1, Ordering::Relaxed);
        Self { state, index }
    }

    /// The state the queue belongs to.
    pub(super) fn state(&self) -> &VqState {
        // SAFETY: The state lives while a user does (see `QueueRef::new`).
        unsafe { self.state.as_ref() }
    }

    /// The layer's record of the queue.
    pub(super) fn slot(&self) -> &Slot {
        &self.state().slots[self.index]
    }

    /// The C queue, valid while `self` is.
    pub(super) fn vq(&self) -> *mut bindings::virtqueue {
        self.slot().vq.load(Ordering::Relaxed)
    }

    /// The device the queue belongs to.
    pub(super) fn vdev(&self) -> *mut bindings::virtio_device {
        self.state().vdev.as_raw()
    }

    /// Whether the device was reset since the queues were found.
    pub(super) fn is_reset(&self) -> bool {
        self.state().reset.load(Ordering::Acquire)
    }

    /// Another reference to the same queue.
    pub(super) fn another(&self) -> Self {
        // SAFETY: `self` keeps the state alive.
        unsafe { Self::new(self.state, self.index) }
    }
}

impl Drop for QueueRef {
    fn drop(&mut self) {
        // Release: what this user did happens before the teardown that sees
        // the count drop.
        self.state().users.fetch_sub(1, Ordering::Release);
    }
}

mod private {
    pub trait Sealed {}
}

/// The queues a driver asks [`Device::find_vqs`] for: a tuple of token
/// types, one per queue, in the device's queue order (for virtio-net:
/// receive, transmit, then control, [`super::CtrlCmd`]). Implemented for tuples of one to
/// four [`Token`] types; sealed, so the type of each queue's tokens is the
/// one its handle was made with.
pub trait QueueSet: private::Sealed {
    /// The handles, one per queue: `(Virtqueue<A>, Virtqueue<B>...)`.
    type Queues;
    /// The queues' names, one per queue (`'static`: the core keeps them).
    type Names: AsRef<[&'static CStr]>;
    /// Drops a token of each queue's type, in order.
    const DROPPERS: &'static [unsafe fn(NonNull<c_void>)];
    /// Whether each queue gets the layer's callback ([`Token::CALLBACK`]).
    const CALLBACKS: &'static [bool];
    /// Whether each queue carries a context per buffer ([`Token::CTX`]).
    const CTXS: &'static [bool];
    /// Makes the handles, in order, from `make`.
    #[doc(hidden)]
    fn handles(make: &mut HandleMaker) -> Self::Queues;
}

/// Hands out the handles of freshly found queues, in order.
#[doc(hidden)]
pub struct HandleMaker {
    state: NonNull<VqState>,
    next: usize,
    sgs: KVec<SgTable>,
}

impl HandleMaker {
    /// The handle of the next queue, whose tokens are `Tok`s.
    #[doc(hidden)]
    pub fn next<Tok: Token>(&mut self) -> Virtqueue<Tok> {
        let index = self.next;
        self.next += 1;
        // `find_vqs` made one table per queue, and `handles` takes one
        // handle per queue.
        let sg = self.sgs.remove(0).unwrap_or_else(|_| unreachable!());
        // SAFETY: The state was just found with this queue.
        Virtqueue::new(unsafe { QueueRef::new(self.state, index) }, sg)
    }
}

/// Drops the token behind `cookie`.
///
/// # Safety
///
/// `cookie` comes from `Tok::into_cookie` and was not taken back.
unsafe fn drop_token<Tok: Token>(cookie: NonNull<c_void>) {
    // SAFETY: Guaranteed by the caller.
    drop(unsafe { Tok::from_cookie(cookie) });
}

macro_rules! queue_set {
    ($n:literal; $($t:ident),+) => {
        impl<$($t: Token),+> private::Sealed for ($($t,)+) {}

        impl<$($t: Token),+> QueueSet for ($($t,)+) {
            type Queues = ($(Virtqueue<$t>,)+);
            type Names = [&'static CStr; $n];
            const DROPPERS: &'static [unsafe fn(NonNull<c_void>)] = &[$(drop_token::<$t>),+];
            const CALLBACKS: &'static [bool] = &[$($t::CALLBACK),+];
            const CTXS: &'static [bool] = &[$($t::CTX),+];

            fn handles(make: &mut HandleMaker) -> Self::Queues {
                ($(make.next::<$t>(),)+)
            }
        }
    };
}

queue_set!(1; A);
queue_set!(2; A, B);
queue_set!(3; A, B, C);
queue_set!(4; A, B, C, D);

impl Device<Core<'_>> {
    /// Creates the device's virtqueues (C `virtio_find_vqs`), one per
    /// token type of `Q`, named `names`, and returns their handles. Each
    /// queue's callback schedules the NAPI instance bound to it
    /// ([`super::VqNapi`]). This also requests the device's interrupts,
    /// configuration changes included. Once per binding (`EBUSY` after).
    ///
    /// The layer tears the queues down after `remove` (see the module
    /// documentation); the device must be made ready
    /// ([`Device::device_ready`]) before the queues are kicked.
    pub fn find_vqs<Q: QueueSet>(&self, names: Q::Names) -> Result<Q::Queues> {
        let vdev = self.as_raw();
        let names = names.as_ref();
        let n = names.len();
        // SAFETY: `vdev` is valid; in probe (`Core`) nothing else sets it.
        if !unsafe { bindings::rnic_virtio_get_priv(vdev) }.is_null() {
            return Err(EBUSY);
        }
        let mut slots = KVec::with_capacity(n, GFP_KERNEL)?;
        let mut sgs = KVec::with_capacity(n, GFP_KERNEL)?;
        let mut infos = KVec::with_capacity(n, GFP_KERNEL)?;
        let mut vqs = KVec::with_capacity(n, GFP_KERNEL)?;
        let queues = names.iter().zip(Q::DROPPERS).zip(Q::CALLBACKS).zip(Q::CTXS);
        for (((name, drop_token), callback), ctx) in queues {
            slots.push(
                Slot {
                    vq: AtomicPtr::new(core::ptr::null_mut()),
                    binding: AtomicPtr::new(core::ptr::null_mut()),
                    drop_token: *drop_token,
                },
                GFP_KERNEL,
            )?;
            sgs.push(SgTable::new()?, GFP_KERNEL)?;
            infos.push(
                bindings::virtqueue_info {
                    name: name.as_char_ptr(),
                    callback: if *callback { Some(vq_callback) } else { None },
                    ctx: *ctx,
                },
                GFP_KERNEL,
            )?;
            vqs.push(core::ptr::null_mut(), GFP_KERNEL)?;
        }
        let state = KBox::new(
            VqState {
                vdev: ARef::from(&**self),
                users: AtomicUsize::new(0),
                reset: AtomicBool::new(false),
                slots,
            },
            GFP_KERNEL,
        )?;
        let count = u32::try_from(n).map_err(|_| EINVAL)?;
        let state = KBox::into_raw(state);
        // The callbacks find the state through the driver pointer; they may
        // run as soon as the queues exist. The names are `'static` and each
        // array has `n` entries.
        // SAFETY: So the calls are sound; in probe (`Core`), once.
        let ret = unsafe {
            bindings::rnic_virtio_set_priv(vdev, state.cast());
            bindings::rnic_virtio_find_vqs(
                vdev,
                count,
                vqs.as_mut_ptr(),
                infos.as_mut_ptr(),
                core::ptr::null_mut(),
            )
        };
        if ret != 0 {
            // No queue exists, so no callback can run.
            // SAFETY: `state` came from `KBox::into_raw` above.
            unsafe {
                bindings::rnic_virtio_set_priv(vdev, core::ptr::null_mut());
                drop(KBox::from_raw(state));
            }
            return Err(Error::from_errno(ret));
        }
        // SAFETY: `state` is live, and stays so until the teardown.
        let state = unsafe { NonNull::new_unchecked(state) };
        // SAFETY: As above; the slots are not resized after this.
        for (slot, vq) in unsafe { state.as_ref() }.slots.iter().zip(vqs.iter()) {
            slot.vq.store(*vq, Ordering::Release);
        }
        Ok(Q::handles(&mut HandleMaker {
            state,
            next: 0,
            sgs,
        }))
    }
}

/// The callback of every queue (C `vq->callback`), in hard IRQ context:
/// schedules the NAPI instance bound to the queue, with the queue's
/// callbacks off until its poll completes; with no instance bound, turns
/// the callbacks off (binding one schedules a poll that turns them on).
/// It never touches a buffer.
extern "C" fn vq_callback(vq: *mut bindings::virtqueue) {
    // The core calls this with a queue of a device whose driver pointer
    // `find_vqs` set before making the queues, and clears only after
    // `del_vqs` (which frees the interrupts, waiting for their handlers).
    // SAFETY: So `vq` and its device are valid, and so is the state.
    let (state, index) = unsafe {
        let state = bindings::rnic_virtio_get_priv((*vq).vdev).cast::<VqState>();
        (state.as_ref(), (*vq).index as usize)
    };
    let Some(state) = state else { return };
    let slot = state
        .slots
        .get(index)
        .filter(|slot| slot.vq.load(Ordering::Acquire) == vq)
        .or_else(|| {
            state
                .slots
                .iter()
                .find(|slot| slot.vq.load(Ordering::Acquire) == vq)
        });
    let Some(slot) = slot else { return };
    let binding = slot.binding.load(Ordering::Acquire);
    if binding.is_null() {
        // SAFETY: `vq` is valid; this call need not be serialised.
        unsafe { bindings::virtqueue_disable_cb(vq) };
        return;
    }
    // A binding is cleared, and callbacks waited for, before it dies.
    // SAFETY: So it is live, and its function matches it.
    unsafe { ((*binding).schedule)(binding, vq) };
}
