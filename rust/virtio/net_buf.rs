// SPDX-License-Identifier: GPL-2.0

//! The buffers of a virtio network device's queues, as virtqueue tokens:
//! [`RxSkb`], a small receive buffer (C `add_recvbuf_small`), and
//! [`TxFrame`], a frame to send behind its virtio-net header.
//!
//! Both keep their own bookkeeping in the socket buffer's control block
//! (`skb->cb`), which belongs to the driver while it holds the buffer, so
//! that a token is one pointer, as the queue's cookie. A receive buffer is
//! the driver's alone and clears it when handed back; a frame to send may
//! share its buffer with copies of itself still in the queue, and leaves
//! its header there (see [`TxFrame`]).

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

/// Whether frames may carry their header in their headroom, contiguous
/// with the frame, in one entry (C `can_push`): the device must take a
/// header and data in the same descriptor, which `VIRTIO_F_VERSION_1`
/// promises (`ANY_LAYOUT` is implied).
pub fn may_push_header(dev: &Device<Bound>) -> bool {
    dev.is_version_1()
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

/// A frame to send behind its virtio-net header, which it writes into the
/// frame's headroom when it can (C `can_push`), else into its control
/// block, as C does.
///
/// A buffer may be sent again before the device is done with it (pktgen
/// sends one buffer many times, each time with a reference of its own):
/// then its copies share one control block and one headroom. Each copy
/// writes its header there, and none clears it, so a copy the device is
/// done with never changes what the device reads for another; where the
/// header is and how long it is, which size the descriptor, are the
/// frame's own and never read back from the shared buffer. Copies with
/// different headers would all go out with the latest one; a driver's
/// header depends only on the frame.
pub struct TxFrame {
    skb: SkBuff,
    /// The header's length; 0 for a frame the queue gave back (used, or
    /// refused by an add), which is not mapped again: a frame to retry is
    /// made anew from [`TxFrame::into_skb`].
    hdr_len: u8,
    /// Whether the header is in the headroom, right in front of the data.
    pushed: bool,
}

impl TxFrame {
    /// The largest header a frame can carry.
    pub const MAX_HDR: usize = CB_LEN - TX_HDR_AT;

    /// Puts `hdr` in front of `skb`: in its headroom when `push` (from
    /// [`may_push_header`]) and the headroom has the bytes, is aligned and
    /// is not shared with a clone (C `can_push`), so that a linear frame
    /// takes one entry; else in its control block, an entry of its own.
    /// Gives the frame back if it is empty or the header is empty or too
    /// long. A wrong `push` (a legacy device without `ANY_LAYOUT`) makes
    /// the device misread the header, and touches nothing outside the
    /// frame.
    pub fn new(skb: SkBuff, hdr: &[u8], push: bool) -> Result<Self, SkBuff> {
        let Ok(hdr_len) = u8::try_from(hdr.len()) else {
            return Err(skb);
        };
        if skb.is_empty() || hdr.is_empty() || hdr.len() > Self::MAX_HDR {
            return Err(skb);
        }
        // `skb` is a valid buffer we hold a reference to; the helper writes
        // into its headroom only if it has `hdr.len()` bytes there that no
        // clone shares, reading `hdr.len()` bytes of `hdr`.
        // SAFETY: So the write stays inside what this buffer owns.
        let pushed = push
            && unsafe {
                bindings::rnic_virtio_skb_push_hdr(
                    skb.as_raw(),
                    hdr.as_ptr().cast(),
                    u32::from(hdr_len),
                )
            };
        if !pushed {
            // The control block is the driver's while it holds the frame
            // (a copy of the same buffer writes it too, see above) and has
            // room for the header from `TX_HDR_AT` on (checked above).
            // SAFETY: So the write stays inside it.
            unsafe {
                core::ptr::copy_nonoverlapping(hdr.as_ptr(), cb(&skb).add(TX_HDR_AT), hdr.len());
            }
        }
        Ok(Self {
            skb,
            hdr_len,
            pushed,
        })
    }

    /// Length of the frame, without the header.
    pub fn len(&self) -> u32 {
        self.skb.len()
    }

    /// Whether the frame is empty (never: `new` refuses it).
    pub fn is_empty(&self) -> bool {
        self.skb.is_empty()
    }

    /// The frame, without its header. The header's bytes stay where they
    /// are: another copy of a shared buffer may still be in the queue,
    /// with its header there.
    pub fn into_skb(self) -> SkBuff {
        self.skb
    }
}

// SAFETY: The cookie is the buffer's own pointer (never null), owned by the
// cookie; `received` does nothing (the device writes nothing here).
unsafe impl Token for TxFrame {
    fn into_cookie(self) -> NonNull<c_void> {
        let skb = self.skb.into_raw();
        // SAFETY: A socket buffer's pointer is never null.
        unsafe { NonNull::new_unchecked(skb.cast()) }
    }

    unsafe fn from_cookie(cookie: NonNull<c_void>) -> Self {
        // SAFETY: The caller guarantees a cookie of `into_cookie`, which
        // gave up the reference.
        let skb = unsafe { SkBuff::from_raw(cookie.as_ptr().cast()) };
        Self {
            skb,
            hdr_len: 0,
            pushed: false,
        }
    }
}

// SAFETY: The entries cover the header (in the control block, or in the
// headroom right in front of the data, where `new` found the bytes the
// frame's own) and the frame's linear part and page fragments, all kept
// alive by the reference the token owns. The frame's bytes do not change
// while a reference is in the queue; the header's bytes may be written
// again by another copy of a shared buffer, with a header of the same
// length in the same place, and are never cleared (see `TxFrame`). Where
// the header is and its length are the frame's own, the length never 0
// (`new` refuses an empty header; a token the queue gave back has 0 and is
// refused here). At most `SgTable::LEN` entries: one for the header (or
// none, pushed), one for the linear part, one per fragment (checked below;
// a fragment list is refused), the end marked by `skb_to_sgvec`.
unsafe impl OutBuf for TxFrame {
    fn map_out(&self, sg: &mut SgTable) -> Result<u32> {
        if self.hdr_len == 0 {
            return Err(EINVAL);
        }
        let skb = self.skb.as_raw();
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
        let len = i32::try_from(self.skb.len()).map_err(|_| EMSGSIZE)?;
        let sg = sg.as_mut_ptr();
        let hdr_len = u32::from(self.hdr_len);
        // The table has `frags + 2` entries. A pushed header lies in the
        // `hdr_len` bytes in front of the data, and maps with the linear
        // part to one entry, the fragments to one each after it (the
        // helper does not move the data, which other holders see); else the header is `hdr_len` bytes of the control block
        // from `TX_HDR_AT` (within it, see `new`), and the `len`-byte
        // frame maps to at most `frags + 1` entries after it.
        // SAFETY: Sound for the reasons just given.
        let (mapped, before) = unsafe {
            bindings::sg_init_table(sg, (frags + 2) as u32);
            if self.pushed {
                (
                    bindings::rnic_virtio_skb_to_sgvec_pushed(skb, sg, hdr_len),
                    0,
                )
            } else {
                let hdr = cb(&self.skb).add(TX_HDR_AT);
                bindings::rnic_virtio_sg_set_buf(sg, hdr.cast(), hdr_len);
                (bindings::skb_to_sgvec(skb, sg.add(1), 0, len), 1)
            }
        };
        if mapped <= 0 {
            return Err(if mapped < 0 {
                Error::from_errno(mapped)
            } else {
                EINVAL
            });
        }
        Ok(mapped as u32 + before)
    }
}
