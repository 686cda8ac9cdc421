// SPDX-License-Identifier: GPL-2.0

//! The control queue of a virtio network device: commands ([`CtrlCmd`])
//! and the queue that sends them one at a time and waits for each answer
//! ([`CtrlQueue`], C `virtnet_send_command_reply`).
//!
//! A command is a buffer of its own, on the heap (`kmalloc`, which the
//! DMA API maps, never the stack): the header (class and command) and the
//! command's data, which the device reads, then the status byte and an
//! optional reply, which it writes. It travels through the queue as a
//! token ([`super::Token`]) of the queue's one type, so it comes back as
//! itself, and only once the device is done with it (or, if the device
//! breaks before answering, after its reset, from the layer's teardown):
//! nothing frees a command while the device may still write its status.
//!
//! Sending sleeps (a mutex, C's `cvq_lock`, and `cond_resched` while the
//! device works), so it asks for a [`Sleepable`]. The queue has no
//! callback: like C, the sender polls for the answer, which a device
//! gives at once (the notification traps into the hypervisor).

use core::ffi::c_void;
use core::ptr::NonNull;

use kernel::prelude::*;
use kernel::sync::Mutex;

use super::bindings;
use super::sgs::SgsBuf;
use super::virtqueue::{SgTable, Token, UsedKey, Virtqueue};
use crate::netdev::Sleepable;

/// Parts of data a command may have (C's largest, `MAC_TABLE_SET`, has
/// two: the unicast and the multicast table).
pub const MAX_SEGMENTS: usize = 2;

/// Entries a command takes at most: the header, the parts of its data,
/// the status and the reply.
const MAX_ENTRIES: usize = MAX_SEGMENTS + 3;

/// What a command is made of; boxed, so its address does not change
/// while the device has it.
struct CmdBuf {
    /// Class and command (C `struct virtio_net_ctrl_hdr`).
    hdr: [u8; 2],
    /// The device's answer (`VIRTIO_NET_OK`, `VIRTIO_NET_ERR`); anything
    /// else until the device writes it.
    status: u8,
    /// The data, all parts one after the other.
    data: KVec<u8>,
    /// The length of each part (0: none).
    segments: [usize; MAX_SEGMENTS],
    /// Room for the reply, after the status.
    reply: KVec<u8>,
    /// Bytes the device wrote: the status, then the reply.
    written: u32,
}

/// A command for the control queue. Build it with [`CtrlCmd::new`], send
/// it with [`CtrlQueue::send`].
pub struct CtrlCmd(KBox<CmdBuf>);

impl CtrlCmd {
    /// Command `cmd` of class `class` (`net::ctrl`), with the parts of
    /// `data` as its data, in order (at most [`MAX_SEGMENTS`]; empty parts
    /// are left out). Multi-byte values in the data are in the device's
    /// byte order ([`CtrlQueue::u16_bytes`], [`CtrlQueue::u32_bytes`]).
    pub fn new(class: u8, cmd: u8, data: &[&[u8]]) -> Result<Self> {
        if data.len() > MAX_SEGMENTS {
            return Err(EINVAL);
        }
        let total = data.iter().map(|part| part.len()).sum();
        let mut buf = KVec::with_capacity(total, GFP_KERNEL)?;
        let mut segments = [0; MAX_SEGMENTS];
        for (part, len) in data.iter().zip(segments.iter_mut()) {
            buf.extend_from_slice(part, GFP_KERNEL)?;
            *len = part.len();
        }
        Ok(Self(KBox::new(
            CmdBuf {
                hdr: [class, cmd],
                status: !(bindings::VIRTIO_NET_OK as u8),
                data: buf,
                segments,
                reply: KVec::new(),
                written: 0,
            },
            GFP_KERNEL,
        )?))
    }

    /// Asks for a reply of up to `len` bytes, which the device writes after
    /// the status ([`CtrlReply::data`]).
    pub fn with_reply(mut self, len: usize) -> Result<Self> {
        self.0.reply = KVec::from_elem(0, len, GFP_KERNEL)?;
        Ok(self)
    }
}

// SAFETY: The cookie is the box's pointer (never null), which gives up the
// box until `from_cookie` takes it back; `received` only records `len`.
unsafe impl Token for CtrlCmd {
    fn into_cookie(self) -> NonNull<c_void> {
        // SAFETY: A box's pointer is never null.
        unsafe { NonNull::new_unchecked(KBox::into_raw(self.0).cast()) }
    }

    unsafe fn from_cookie(cookie: NonNull<c_void>) -> Self {
        // SAFETY: The caller guarantees a cookie of `into_cookie`.
        Self(unsafe { KBox::from_raw(cookie.as_ptr().cast()) })
    }

    fn received(&mut self, len: u32, _key: &UsedKey) {
        self.0.written = len;
    }

    const CALLBACK: bool = false;
}

// The entries describe the header, each non-empty part of the data (read
// by the device), the status and the reply's room if any (written by it):
// all inside the box or its vectors, `kmalloc` memory the token owns, which
// no one touches while the device has the token (`send` holds it only
// through the queue). At most MAX_ENTRIES entries, within the table.
// SAFETY: So the requirements of `SgsBuf` hold.
unsafe impl SgsBuf for CtrlCmd {
    fn map_sgs(&mut self, sg: &mut SgTable) -> Result<(u32, u32)> {
        const { assert!(MAX_ENTRIES <= SgTable::LEN) };
        let buf = &mut *self.0;
        let first = sg.as_mut_ptr();
        let mut n = 0usize;
        let mut at = 0;
        // `first` is the table's; every pointer is to the bytes of a part
        // of the command, with its length.
        // SAFETY: Sound for the reasons just given.
        unsafe {
            init_one(first, &mut n, buf.hdr.as_mut_ptr(), buf.hdr.len())?;
            for &len in buf.segments.iter().filter(|&&len| len > 0) {
                init_one(first, &mut n, buf.data[at..at + len].as_mut_ptr(), len)?;
                at += len;
            }
        }
        let out = n as u32;
        // SAFETY: As above.
        unsafe {
            init_one(first, &mut n, &raw mut buf.status, 1)?;
            if !buf.reply.is_empty() {
                init_one(first, &mut n, buf.reply.as_mut_ptr(), buf.reply.len())?;
            }
        }
        Ok((out, n as u32 - out))
    }
}

/// Makes entry `*n` of the table at `first` a list of its own for the
/// `len` bytes at `ptr`, and counts it; refuses more than `MAX_ENTRIES`.
///
/// # Safety
///
/// `first` is the first entry of an [`SgTable`]; `ptr` points to `len`
/// valid bytes.
unsafe fn init_one(
    first: *mut bindings::scatterlist,
    n: &mut usize,
    ptr: *mut u8,
    len: usize,
) -> Result {
    let len = u32::try_from(len).map_err(|_| EINVAL)?;
    if *n >= MAX_ENTRIES {
        return Err(EINVAL);
    }
    // Entry `*n` is inside the table (checked above; the table has at least
    // MAX_ENTRIES entries, see `map_sgs`); `ptr` points to `len` bytes
    // (the caller's guarantee).
    // SAFETY: Sound for the reasons just given.
    unsafe { bindings::sg_init_one(first.add(*n), ptr.cast(), len) };
    *n += 1;
    Ok(())
}

/// A command the device accepted, with its reply.
pub struct CtrlReply(CtrlCmd);

impl CtrlReply {
    /// The reply the device wrote (up to the room asked for with
    /// [`CtrlCmd::with_reply`]).
    pub fn data(&self) -> &[u8] {
        let buf = &self.0 .0;
        let len = (buf.written as usize)
            .saturating_sub(1)
            .min(buf.reply.len());
        &buf.reply[..len]
    }
}

/// The control queue: sends one command at a time and waits for the
/// device's answer. Made from the handle of the queue `find_vqs` gave for
/// the control queue (the last one, with `CtrlCmd` as its token type).
#[pin_data]
pub struct CtrlQueue {
    /// C `cvq_lock`: one command in the queue at a time.
    #[pin]
    vq: Mutex<Virtqueue<CtrlCmd>>,
    /// The device's byte order is little-endian.
    little_endian: bool,
}

impl CtrlQueue {
    /// The control queue of handle `vq`.
    pub fn new(vq: Virtqueue<CtrlCmd>) -> impl PinInit<Self> {
        // The device lives while a handle of its queues does.
        // SAFETY: So `vdev` is valid.
        let little_endian = unsafe { bindings::rnic_virtio_is_little_endian(vq.queue().vdev()) };
        pin_init!(Self {
            vq <- kernel::new_mutex!(vq, "rust_virtio_ctrl"),
            little_endian,
        })
    }

    /// `v` in the device's byte order (C `cpu_to_virtio16`).
    pub fn u16_bytes(&self, v: u16) -> [u8; 2] {
        if self.little_endian {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        }
    }

    /// `v` in the device's byte order (C `cpu_to_virtio32`).
    pub fn u32_bytes(&self, v: u32) -> [u8; 4] {
        if self.little_endian {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        }
    }

    /// Sends `cmd` and waits for the device's answer, as C
    /// `virtnet_send_command_reply` does: one command at a time (a mutex),
    /// polling the queue, with `cond_resched` between polls. Errors: the
    /// queue's refusal (`ENOSPC`, `ENOMEM`: the command is dropped, the
    /// device never saw it), `EIO` if the device broke or answered
    /// anything but `VIRTIO_NET_OK`. A command the device never answered
    /// stays in the queue, to be freed after the device's reset.
    pub fn send(&self, cmd: CtrlCmd, _ctx: &Sleepable) -> Result<CtrlReply> {
        kernel::task::might_sleep();
        let mut vq = self.vq.lock();
        vq.add_sgs(cmd, GFP_KERNEL).map_err(|(e, _cmd)| e)?;
        if !vq.kick() {
            return Err(EIO);
        }
        let cmd = loop {
            if let Some((cmd, _len)) = vq.get_buf() {
                break cmd;
            }
            if vq.is_broken() {
                return Err(EIO);
            }
            // SAFETY: Process context (the caller's proof), holding only a
            // mutex: rescheduling is allowed.
            unsafe { bindings::rnic_virtio_cond_resched() };
            kernel::processor::cpu_relax();
        };
        drop(vq);
        if cmd.0.status != bindings::VIRTIO_NET_OK as u8 {
            return Err(EIO);
        }
        Ok(CtrlReply(cmd))
    }
}
