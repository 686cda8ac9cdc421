// SPDX-License-Identifier: GPL-2.0

//! Fixed-size packet buffers in coherent DMA memory, and who may write them.
//!
//! A device reads transmit buffers and writes receive buffers while the
//! CPU fills or empties others. The CPU side goes through [`DmaBuffers`]
//! only, and never through a Rust reference into the memory: every access
//! is a raw copy into or out of a socket buffer. What a device does to a
//! buffer at the same time cannot break Rust's rules then, only give wrong
//! bytes, which the driver's ring discipline prevents.
//!
//! Between CPUs the rule is the usual one, enforced by the borrow checker:
//! writing into a buffer ([`DmaBuffers::fill_from_skb`]) takes
//! `&mut DmaBuffers`, so no other CPU can read or write any of the buffers
//! meanwhile; reading ([`DmaBuffers::append_to_skb`]) takes a shared
//! reference. A driver keeps the buffers with the side of the ring that
//! writes them: the sender's lock for transmit buffers, the poll's for
//! receive buffers. (`Coherent::as_slice` and friends are `unsafe` in the
//! kernel crate for the same reason; this is their safe, copying subset.)

use kernel::device::{Bound, Device};
use kernel::dma::{Coherent, DmaAddress};
use kernel::prelude::*;

use super::skbuff::SkBuff;

/// Largest coherent allocation for buffers: larger rings take several, so
/// that they need no large physically contiguous area.
const CHUNK_BYTES: usize = 64 * 1024;

/// `count` buffers of `size` bytes each, in coherent DMA memory.
pub struct DmaBuffers {
    chunks: KVec<Coherent<[u8]>>,
    count: usize,
    size: usize,
    per_chunk: usize,
}

impl DmaBuffers {
    /// Allocates `count` zeroed buffers of `size` bytes for `dev`. Process
    /// context (it may sleep).
    pub fn new(dev: &Device<Bound>, count: usize, size: usize) -> Result<Self> {
        if count == 0 || size == 0 {
            return Err(EINVAL);
        }
        let per_chunk = CHUNK_BYTES.checked_div(size).ok_or(EINVAL)?.max(1);
        let mut chunks = KVec::new();
        let mut left = count;
        while left > 0 {
            let n = left.min(per_chunk);
            let bytes = n.checked_mul(size).ok_or(EINVAL)?;
            chunks.push(Coherent::zeroed_slice(dev, bytes, GFP_KERNEL)?, GFP_KERNEL)?;
            left -= n;
        }
        Ok(Self {
            chunks,
            count,
            size,
            per_chunk,
        })
    }

    /// Number of buffers.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Size of each buffer in bytes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The chunk holding buffer `i` and the buffer's offset in it, if
    /// `i < count`.
    fn locate(&self, i: usize) -> Option<(&Coherent<[u8]>, usize)> {
        if i >= self.count {
            return None;
        }
        // Checked division: `per_chunk` is never zero, and an unchecked one
        // would put a panic path (which objtool cannot follow) in the hot path.
        let chunk = self.chunks.get(i.checked_div(self.per_chunk)?)?;
        Some((chunk, i.checked_rem(self.per_chunk)? * self.size))
    }

    /// Bus address of buffer `i`, for a descriptor.
    pub fn dma_addr(&self, i: usize) -> Option<DmaAddress> {
        let (chunk, offset) = self.locate(i)?;
        Some(chunk.dma_handle() + offset as DmaAddress)
    }

    /// Copies `len` bytes of `skb` (linear part and fragments), from byte
    /// `from` on, into the start of buffer `i`, for the device to read.
    /// Fails if `i` is out of range, `len` exceeds the buffer or the range
    /// is outside the frame. Any context.
    pub fn fill_from_skb(&mut self, i: usize, skb: &SkBuff, from: u32, len: u32) -> Result {
        if len as usize > self.size {
            return Err(EINVAL);
        }
        let (chunk, offset) = self.locate(i).ok_or(EINVAL)?;
        skb.copy_to_dma(from, len, chunk, offset)
    }

    /// Appends the first `len` bytes of buffer `i`, which the device wrote,
    /// to `skb`. Fails without change if `i` is out of range, `len` exceeds
    /// the buffer or the frame lacks the room. Any context.
    pub fn append_to_skb(&self, i: usize, skb: &mut SkBuff, len: u32) -> Result {
        if len as usize > self.size {
            return Err(EINVAL);
        }
        let (chunk, offset) = self.locate(i).ok_or(EINVAL)?;
        skb.put_from_dma(chunk, offset, len)
    }

    /// Copies `dst.len()` bytes of buffer `i`, which the device wrote,
    /// from byte `at` on, into `dst` (a page an XDP program will see).
    /// Fails without copying if `i` is out of range or the bytes are not
    /// all inside the buffer.
    pub fn copy_out(&self, i: usize, at: u32, dst: &mut [u8]) -> Result {
        let at = at as usize;
        if at.checked_add(dst.len()).is_none_or(|end| end > self.size) {
            return Err(EINVAL);
        }
        let (chunk, offset) = self.locate(i).ok_or(EINVAL)?;
        let src = chunk.as_ptr().cast::<u8>().wrapping_add(offset + at);
        // Buffer `i` spans `offset..offset + size` of the chunk, which no
        // Rust reference covers, `at + dst.len()` is within it, and `dst`
        // is not DMA memory.
        // SAFETY: So the copy is sound.
        unsafe { core::ptr::copy_nonoverlapping(src, dst.as_mut_ptr(), dst.len()) };
        Ok(())
    }
}
