// SPDX-License-Identifier: GPL-2.0

//! The buffers of a virtio network device's queues, as virtqueue tokens:
//! [`RxSkb`], a small receive buffer (C `add_recvbuf_small`), and
//! [`TxFrame`], a frame to send behind its virtio-net header.
//!
//! Both keep their own bookkeeping in the socket buffer's control block
//! (`skb->cb`), which belongs to the driver while it holds the buffer, so
//! that a token is one pointer, as the queue's cookie. They clear it when
//! they hand the buffer back.

use core::ffi::c_void;
use core::ptr::NonNull;

use kernel::device::Bound;
use kernel::prelude::*;

use super::bindings;
use super::device::Device;
use super::virtqueue::{InBuf, OutBuf, SgTable, Token, UsedKey};
use crate::netdev::SkBuff;

/// Length of the control block (C `sizeof(skb->cb)`).
const CB_LEN: usize = bindings::RNIC_VIRTIO_SKB_CB_LEN as usize;
/// Where [`TxFrame`] keeps its header in the control block.
const TX_HDR_AT: usize = 8;

/// The length of the header in front of every frame, received or sent (C
/// `vi->hdr_len`): 12 bytes (`struct virtio_net_hdr_mrg_rxbuf`) on a
/// `VIRTIO_F_VERSION_1` device or with `VIRTIO_NET_F_MRG_RXBUF`, else 10
/// (`struct virtio_net_hdr`).
pub fn hdr_len(dev: &Device<Bound>) -> u32 {
    if dev.is_version_1() || dev.has_feature(super::net::feature::MRG_RXBUF) {
        bindings::RNIC_VIRTIO_NET_HDR_MRG_LEN
    } else {
        bindings::RNIC_VIRTIO_NET_HDR_LEN
    }
}

/// The control block of `skb`.
fn cb(skb: &SkBuff) -> *mut u8 {
    // SAFETY: `skb` is a valid buffer.
    unsafe { bindings::rnic_virtio_skb_cb(skb.as_raw()) }
}

/// A small receive buffer: a fresh, empty, linear socket buffer that no one
/// else holds, whose room the device writes a header and a frame into.
/// [`Token::received`] makes the written bytes (up to the room offered)
/// part of it; a returned buffer cannot be offered again (make a new one
/// from a new socket buffer).
pub struct RxSkb(SkBuff);

impl RxSkb {
    /// Offers `capacity` bytes of `skb`'s room to the device. Gives the
    /// buffer back if it is not empty, is shared or cloned, or has less
    /// room.
    pub fn new(skb: SkBuff, capacity: u32) -> Result<Self, SkBuff> {
        // SAFETY: `skb` is a valid buffer.
        let (shared, cloned) = unsafe {
            (
                bindings::rnic_virtio_skb_shared(skb.as_raw()),
                bindings::rnic_skb_cloned(skb.as_raw()),
            )
        };
        if !skb.is_empty() || shared || cloned || capacity == 0 || skb.tailroom() < capacity {
            return Err(skb);
        }
        // The control block is ours and has room for a `u32`.
        // SAFETY: So the unaligned write stays inside it.
        unsafe { cb(&skb).cast::<u32>().write_unaligned(capacity) };
        Ok(Self(skb))
    }

    fn capacity(&self) -> u32 {
        // SAFETY: `new` wrote it, and only this type touches it.
        unsafe { cb(&self.0).cast::<u32>().read_unaligned() }
    }

    /// The buffer: the header, then the frame, as long as the device
    /// wrote (within the room offered).
    pub fn into_skb(self) -> SkBuff {
        // SAFETY: As in `new`.
        unsafe { cb(&self.0).cast::<u32>().write_unaligned(0) };
        self.0
    }
}

// SAFETY: The cookie is the buffer's own pointer (never null), owned by the
// cookie; `received` adds at most the room offered, which `new` checked
// against the tailroom, and nothing changed the buffer since.
unsafe impl Token for RxSkb {
    fn into_cookie(self) -> NonNull<c_void> {
        let skb = self.0.into_raw();
        // SAFETY: A socket buffer's pointer is never null.
        unsafe { NonNull::new_unchecked(skb.cast()) }
    }

    unsafe fn from_cookie(cookie: NonNull<c_void>) -> Self {
        // SAFETY: The caller guarantees a cookie of `into_cookie`, which
        // gave up the reference.
        Self(unsafe { SkBuff::from_raw(cookie.as_ptr().cast()) })
    }

    fn received(&mut self, len: u32, _key: &UsedKey) {
        let len = len.min(self.capacity());
        // SAFETY: The buffer is linear and unshared with `len` bytes of
        // room at least (see above).
        unsafe { bindings::skb_put(self.0.as_raw(), len) };
        // The room is used: offered again, the buffer is refused.
        // SAFETY: As in `new`.
        unsafe { cb(&self.0).cast::<u32>().write_unaligned(0) };
    }
}

// SAFETY: The buffer is ours alone (not shared or cloned, checked by `new`),
// and the one entry covers `capacity` bytes of room, checked again here (a
// buffer the device returned has its room used, and capacity 0).
unsafe impl InBuf for RxSkb {
    fn map_in(&mut self, sg: &mut SgTable) -> Result<u32> {
        let capacity = self.capacity();
        if capacity == 0 || !self.0.is_empty() || self.0.tailroom() < capacity {
            return Err(EINVAL);
        }
        // SAFETY: `sg` has room for an entry; the tail pointer and the
        // capacity describe the buffer's room.
        unsafe {
            let tail = bindings::rnic_virtio_skb_tail(self.0.as_raw());
            bindings::sg_init_one(sg.as_mut_ptr(), tail.cast(), capacity);
        }
        Ok(1)
    }
}

/// A frame to send behind its virtio-net header, which it keeps in the
/// frame's control block while the device reads both.
pub struct TxFrame(SkBuff);

impl TxFrame {
    /// The largest header a frame can carry.
    pub const MAX_HDR: usize = CB_LEN - TX_HDR_AT;

    /// Puts `hdr` in front of `skb`. Gives the frame back if it is empty
    /// or the header too long.
    pub fn new(skb: SkBuff, hdr: &[u8]) -> Result<Self, SkBuff> {
        if skb.is_empty() || hdr.is_empty() || hdr.len() > Self::MAX_HDR {
            return Err(skb);
        }
        let cb = cb(&skb);
        // The control block is the driver's while it holds the frame, and
        // has room for the length and the header (checked above).
        // SAFETY: So both writes stay inside it.
        unsafe {
            cb.write(hdr.len() as u8);
            core::ptr::copy_nonoverlapping(hdr.as_ptr(), cb.add(TX_HDR_AT), hdr.len());
        }
        Ok(Self(skb))
    }

    /// Length of the frame, without the header.
    pub fn len(&self) -> u32 {
        self.0.len()
    }

    /// Whether the frame is empty (never: `new` refuses it).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The frame, without its header.
    pub fn into_skb(self) -> SkBuff {
        let cb = cb(&self.0);
        // SAFETY: As in `new`.
        unsafe { cb.write_bytes(0, CB_LEN) };
        self.0
    }
}

// SAFETY: The cookie is the buffer's own pointer (never null), owned by the
// cookie; `received` does nothing (the device writes nothing here).
unsafe impl Token for TxFrame {
    fn into_cookie(self) -> NonNull<c_void> {
        let skb = self.0.into_raw();
        // SAFETY: A socket buffer's pointer is never null.
        unsafe { NonNull::new_unchecked(skb.cast()) }
    }

    unsafe fn from_cookie(cookie: NonNull<c_void>) -> Self {
        // SAFETY: The caller guarantees a cookie of `into_cookie`, which
        // gave up the reference.
        Self(unsafe { SkBuff::from_raw(cookie.as_ptr().cast()) })
    }
}

// SAFETY: The entries cover the header in the control block and the frame's
// linear part and page fragments, all kept by the socket buffer the token
// owns, which no one changes while the driver holds it. At most
// `SgTable::LEN` entries: one for the header, one for the linear part, one
// per fragment (checked below; a fragment list is refused), the end marked
// by `skb_to_sgvec`.
unsafe impl OutBuf for TxFrame {
    fn map_out(&self, sg: &mut SgTable) -> Result<u32> {
        let skb = self.0.as_raw();
        // SAFETY: `skb` is a valid buffer.
        let (frags, frag_list) = unsafe {
            (
                bindings::rnic_skb_nr_frags(skb) as usize,
                bindings::rnic_virtio_skb_has_frag_list(skb),
            )
        };
        if frag_list || frags + 2 > SgTable::LEN {
            return Err(EMSGSIZE);
        }
        let len = i32::try_from(self.0.len()).map_err(|_| EMSGSIZE)?;
        let sg = sg.as_mut_ptr();
        let cb = cb(&self.0);
        // The table has `frags + 2` entries; the header is the control
        // block's, of the length `new` recorded there; the frame is `len`
        // bytes long and maps to at most `frags + 1` entries.
        // SAFETY: Sound for the reasons just given.
        let mapped = unsafe {
            bindings::sg_init_table(sg, (frags + 2) as u32);
            bindings::rnic_virtio_sg_set_buf(sg, cb.add(TX_HDR_AT).cast(), u32::from(cb.read()));
            bindings::skb_to_sgvec(skb, sg.add(1), 0, len)
        };
        if mapped <= 0 {
            return Err(if mapped < 0 {
                Error::from_errno(mapped)
            } else {
                EINVAL
            });
        }
        Ok(mapped as u32 + 1)
    }
}
