// SPDX-License-Identifier: GPL-2.0

//! The XDP callbacks of the operation table (`ndo_bpf`, `ndo_xdp_xmit`),
//! the builder's binding of the state to a NAPI instance, and the MTU
//! check while a program is attached.

use core::ffi::c_int;
use core::ptr::{null_mut, NonNull};
use core::sync::atomic::Ordering;

use kernel::prelude::*;

use super::super::bindings;
use super::super::builder::Builder;
use super::super::device::Device;
use super::super::napi::{Napi, Poll};
use super::super::ops::Operations;
use super::{Stat, Xdp};

type PoolOf = (
    *const (),
    unsafe fn(*const ()) -> Result<NonNull<bindings::page_pool>>,
);

impl<T: Poll> Builder<T> {
    /// Ties the XDP state that `xdp` picks from the private data (the one
    /// [`Operations::xdp`] returns) to the NAPI instance that receives,
    /// which `napi` picks: programs run in its polls, on pages of its pool
    /// (made at the first attach). Also declares native XDP to the core
    /// (`xdp_features`). Fails if either is not inside the private data,
    /// if the driver does not implement [`Operations::xdp`], or if the
    /// state is bound already.
    pub fn bind_xdp(&mut self, xdp: fn(&T) -> &Xdp, napi: fn(&T) -> &Napi<T>) -> Result {
        if !T::HAS_XDP {
            return Err(EINVAL);
        }
        let dev = self.device();
        let (xdp, napi) = (xdp(dev.data()), napi(dev.data()));
        if !dev.holds(napi) || !dev.holds(xdp) {
            return Err(EINVAL);
        }
        xdp.bind(napi)?;
        // SAFETY: The device is valid and not registered yet.
        unsafe { bindings::rnic_xdp_set_features(dev.as_raw()) };
        Ok(())
    }
}

impl Xdp {
    /// Refuses an MTU a program cannot take, while one is attached.
    pub(crate) fn check_mtu(&self, name: &impl kernel::fmt::Display, mtu: u32) -> Result {
        let limit = self.mtu_limit(self.frags.load(Ordering::Relaxed));
        if self.has_program() && mtu > limit {
            pr_warn!(
                "{}: MTU {} too large while an XDP program is attached (at most {})\n",
                name,
                mtu,
                limit
            );
            return Err(EINVAL);
        }
        Ok(())
    }

    /// Installs `prog` (null: detaches), taking over its reference, with
    /// the RTNL held (`XDP_SETUP_PROG`).
    fn setup(
        &self,
        dev: *mut bindings::net_device,
        mtu: u32,
        prog: *mut bindings::bpf_prog,
        extack: *mut bindings::netlink_ext_ack,
    ) -> Result {
        let fail = |msg: &'static CStr, err: Error| {
            // SAFETY: `extack` is the request's (or null); the message is
            // static.
            unsafe { bindings::rnic_extack_set_msg(extack, msg.as_char_ptr()) };
            Err(err)
        };
        // SAFETY: `prog`, if not null, is the request's valid program.
        let frags = !prog.is_null() && unsafe { bindings::rnic_bpf_prog_has_frags(prog) };
        if !prog.is_null() && mtu > self.mtu_limit(frags) {
            return fail(c"MTU too large for XDP on this device", EINVAL);
        }
        let pair = self.pool_of.load(Ordering::Acquire).cast::<PoolOf>();
        if pair.is_null() {
            return fail(
                c"XDP is not bound to a receive NAPI instance",
                super::super::code::eopnotsupp(),
            );
        }
        if !prog.is_null() && self.rxq.load(Ordering::Acquire).is_null() {
            // SAFETY: `bind` stored the pair; it lives as long as `self`.
            let (napi, pool_of) = unsafe { *pair };
            // SAFETY: `napi` is the `Napi<T>` `bind` recorded, in the same
            // private data as `self`, attached; process context (RTNL).
            let Ok(pool) = (unsafe { pool_of(napi) }) else {
                return fail(c"no page pool for XDP", ENOMEM);
            };
            // `dev` is the device being configured, `napi` its attached
            // instance, `pool` that instance's pool.
            // SAFETY: So the queue may be registered.
            let rxq = unsafe {
                bindings::rnic_xdp_rxq_register(
                    dev,
                    0,
                    self.napi.load(Ordering::Acquire),
                    pool.as_ptr(),
                )
            };
            if rxq.is_null() {
                return fail(c"could not register the XDP receive queue", ENOMEM);
            }
            self.rxq.store(rxq, Ordering::Release);
        }
        self.frags.store(frags, Ordering::Relaxed);
        let old = self.prog.swap(prog, Ordering::AcqRel);
        if !old.is_null() {
            // A poll may still run `old`: the BPF core frees it after an
            // RCU grace period, which that poll is inside.
            // SAFETY: The state owned this reference to `old`.
            unsafe { bindings::bpf_prog_put(old) };
        }
        if prog.is_null() {
            let rxq = self.rxq.swap(null_mut(), Ordering::AcqRel);
            if !rxq.is_null() {
                // Polls that saw the old program (and so this queue) end
                // before the queue goes.
                // SAFETY: Process context.
                unsafe { bindings::synchronize_net() };
                // SAFETY: Registered in `setup`, unregistered once.
                unsafe { bindings::rnic_xdp_rxq_unregister(rxq) };
            }
        }
        Ok(())
    }
}

impl<T: Operations> Device<T> {
    /// `ndo_bpf`: installs or removes a native program.
    pub(in super::super) extern "C" fn xdp_bpf(
        dev: *mut bindings::net_device,
        bpf: *mut bindings::netdev_bpf,
    ) -> c_int {
        // SAFETY: The core calls `ndo_bpf` on a registered device of this
        // layer, with the RTNL held.
        let netdev = unsafe { Device::<T>::from_raw(dev) };
        let (mut prog, mut extack) = (null_mut(), null_mut());
        // SAFETY: `bpf` is the core's valid request.
        if !unsafe { bindings::rnic_netdev_bpf_setup_prog(bpf, &mut prog, &mut extack) } {
            return EINVAL.to_errno();
        }
        match T::xdp(netdev).setup(dev, netdev.mtu(), prog, extack) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// `ndo_xdp_xmit`: sends frames another device redirected here, each
    /// as a socket buffer through `start_xmit`. Returns how many it took
    /// (the core frees the rest).
    pub(in super::super) extern "C" fn xdp_xmit(
        dev: *mut bindings::net_device,
        n: c_int,
        frames: *mut *mut bindings::xdp_frame,
        _flags: u32,
    ) -> c_int {
        // SAFETY: As in `xdp_bpf`; the core calls from softirq.
        let netdev = unsafe { Device::<T>::from_raw(dev) };
        let xdp = T::xdp(netdev);
        if !netdev.is_running() {
            return super::super::code::enetdown().to_errno();
        }
        let mut taken = 0;
        while taken < n {
            // `frames` holds `n` frames, given to this call.
            // SAFETY: So reading entry `taken` is sound.
            let frame = unsafe { bindings::rnic_xdp_frame_at(frames, taken) };
            // SAFETY: `frame` is a valid frame the core hands over.
            let skb = unsafe { bindings::rnic_xdp_frame_to_skb(frame, dev) };
            if skb.is_null() {
                break;
            }
            taken += 1;
            // SAFETY: `skb` is ours, for this device.
            let sent = unsafe { bindings::rnic_xdp_xmit_skb(skb, dev) };
            xdp.count(if sent { Stat::Xmit } else { Stat::XmitErrors });
        }
        taken
    }
}
