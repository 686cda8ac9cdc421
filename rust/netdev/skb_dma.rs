// SPDX-License-Identifier: GPL-2.0

//! Socket buffers mapped for a device to read (streaming DMA).
//!
//! A frame to transmit stays where the stack put it: its linear part and
//! each page fragment get a streaming mapping toward the device for as
//! long as the frame sits on a ring (`dma_map_single` and
//! `skb_frag_dma_map` in C drivers). Dropping the mapped frame unmaps
//! every piece before the buffer itself is freed.

use kernel::device::{Bound, Device};
use kernel::dma::DmaAddress;
use kernel::prelude::*;
use kernel::sync::aref::ARef;

use super::bindings;
use super::skbuff::SkBuff;

/// Most pieces a frame can have: its linear part and every fragment.
pub const MAX_SEGMENTS: usize = bindings::RNIC_SKB_MAX_SEGMENTS as usize;

/// One piece of a mapped frame, contiguous in the device's address space.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DmaSegment {
    /// Bus address of the first byte.
    pub addr: DmaAddress,
    /// Length in bytes (never zero).
    pub len: u32,
}

/// Cuts pieces into chunks of at most `max` bytes, in order: the
/// descriptors a device that reads at most `max` bytes per descriptor
/// needs. `max` must not be zero (then no chunk comes out).
pub fn chunks(segments: &[DmaSegment], max: u32) -> Chunks<'_> {
    Chunks {
        segments,
        max,
        done: 0,
    }
}

/// Iterator of [`chunks`].
pub struct Chunks<'a> {
    segments: &'a [DmaSegment],
    max: u32,
    /// Bytes of the first piece already given out.
    done: u32,
}

impl Iterator for Chunks<'_> {
    type Item = DmaSegment;

    fn next(&mut self) -> Option<DmaSegment> {
        if self.max == 0 {
            return None;
        }
        loop {
            let (first, rest) = self.segments.split_first()?;
            if self.done >= first.len {
                (self.segments, self.done) = (rest, 0);
                continue;
            }
            let len = (first.len - self.done).min(self.max);
            let chunk = DmaSegment {
                addr: first.addr + DmaAddress::from(self.done),
                len,
            };
            self.done += len;
            return Some(chunk);
        }
    }
}

/// The mappings of one frame, undone when dropped.
///
/// A frame without fragments keeps its one mapping inline; one with
/// fragments keeps them all in a vector. Either way the type stays small,
/// since it moves through the slots of a transmit ring.
///
/// # Invariants
///
/// Every entry of `segments()` is a live mapping toward `dev`, the first
/// made by `dma_map_single` if `head` is set, all others by
/// `skb_frag_dma_map`.
struct Mappings {
    dev: ARef<Device>,
    one: Option<DmaSegment>,
    many: KVec<DmaSegment>,
    head: bool,
}

impl Mappings {
    fn raw_dev(&self) -> *mut bindings::device {
        // `kernel::device::Device` is a transparent wrapper of the C
        // structure.
        let dev: &Device = &self.dev;
        core::ptr::from_ref(dev).cast_mut().cast()
    }

    fn segments(&self) -> &[DmaSegment] {
        match &self.one {
            Some(one) => core::slice::from_ref(one),
            None => &self.many,
        }
    }
}

impl Drop for Mappings {
    fn drop(&mut self) {
        let dev = self.raw_dev();
        for (i, seg) in self.segments().iter().enumerate() {
            if i == 0 && self.head {
                // SAFETY: A live `dma_map_single` mapping (type invariant)
                // toward `dev`, kept alive by `self.dev`; unmapped once, here.
                unsafe { bindings::rnic_dma_unmap_single_to_device(dev, seg.addr, seg.len) };
            } else {
                // SAFETY: As above, a live fragment (page) mapping.
                unsafe { bindings::rnic_dma_unmap_page_to_device(dev, seg.addr, seg.len) };
            }
        }
    }
}

/// A frame mapped for a device to read, piece by piece.
///
/// The frame cannot be changed while mapped: the device reads it where it
/// lies. [`MappedSkb::into_skb`] ends the mappings and hands the buffer
/// back; dropping it ends them and frees the buffer.
pub struct MappedSkb {
    // Dropped first: the pieces are unmapped before the buffer is freed.
    map: Mappings,
    skb: SkBuff,
}

impl MappedSkb {
    /// Maps `skb` for `dev` to read. If a piece cannot be mapped, those
    /// already mapped are unmapped and the frame is handed back.
    pub fn new(dev: &Device<Bound>, skb: SkBuff) -> Result<Self, SkBuff> {
        let dev: &Device = dev;
        let mut map = Mappings {
            dev: dev.into(),
            one: None,
            many: KVec::new(),
            head: false,
        };
        let (raw_dev, raw_skb) = (map.raw_dev(), skb.as_raw());
        // SAFETY: `skb` is a valid buffer.
        let frags = unsafe { bindings::rnic_skb_nr_frags(raw_skb) };
        if frags > 0 && map.many.reserve(frags as usize + 1, GFP_ATOMIC).is_err() {
            return Err(skb);
        }
        let headlen = skb.headlen();
        if headlen > 0 {
            let mut addr = 0;
            // SAFETY: `dev` is bound, so it may map; `skb` is a valid
            // buffer whose linear part is `headlen` bytes of kernel memory.
            if unsafe { bindings::rnic_skb_map_head(raw_dev, raw_skb, &mut addr) } != 0 {
                return Err(skb);
            }
            let seg = DmaSegment { addr, len: headlen };
            if frags == 0 {
                map.one = Some(seg);
            } else if map.many.push(seg, GFP_ATOMIC).is_err() {
                // Cannot happen: the room was reserved above.
                // SAFETY: The mapping just made, toward `dev`.
                unsafe { bindings::rnic_dma_unmap_single_to_device(raw_dev, addr, headlen) };
                return Err(skb);
            }
            map.head = true;
        }
        for i in 0..frags {
            let (mut addr, mut len) = (0, 0);
            // SAFETY: As above; `i` is below the frame's fragment count.
            if unsafe { bindings::rnic_skb_map_frag(raw_dev, raw_skb, i, &mut addr, &mut len) } != 0
            {
                return Err(skb);
            }
            let kept = len > 0 && map.many.push(DmaSegment { addr, len }, GFP_ATOMIC).is_ok();
            if !kept {
                // Empty (nothing for the device to read), or no room (cannot
                // happen, it was reserved): undo this mapping here.
                // SAFETY: The mapping just made, toward `dev`.
                unsafe { bindings::rnic_dma_unmap_page_to_device(raw_dev, addr, len) };
                if len > 0 {
                    return Err(skb);
                }
            }
        }
        Ok(Self { map, skb })
    }

    /// The mapped pieces, in frame order.
    pub fn segments(&self) -> &[DmaSegment] {
        self.map.segments()
    }

    /// The frame.
    pub fn skb(&self) -> &SkBuff {
        &self.skb
    }

    /// Length of the frame.
    pub fn len(&self) -> u32 {
        self.skb.len()
    }

    /// Whether the frame is empty (never, for a frame to transmit).
    pub fn is_empty(&self) -> bool {
        self.skb.is_empty()
    }

    /// Records the software transmit timestamp, as the frame goes to the
    /// device (`skb_tx_timestamp`): it touches no data the device reads.
    pub fn tx_timestamp(&mut self) {
        self.skb.tx_timestamp();
    }

    /// Ends the mappings and gives the frame back.
    pub fn into_skb(self) -> SkBuff {
        let Self { map, skb } = self;
        drop(map);
        skb
    }
}

impl<T> super::Device<T> {
    /// Maps `skb` for this device's bound parent to read ([`MappedSkb::new`]),
    /// subject to allocation failure injection. Hands the frame back if the
    /// device has no bound parent or the mapping fails.
    pub fn map_skb(&self, skb: SkBuff) -> Result<MappedSkb, SkBuff> {
        let Some(parent) = self.bound_parent() else {
            return Err(skb);
        };
        if self.alloc_fails() {
            return Err(skb);
        }
        MappedSkb::new(parent, skb)
    }
}
