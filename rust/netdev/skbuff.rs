// SPDX-License-Identifier: GPL-2.0

//! Socket buffers (`struct sk_buff`) and queues of them.

use core::ptr::NonNull;

use kernel::dma::Coherent;
use kernel::error::to_result;
use kernel::prelude::*;
use kernel::types::Opaque;

use super::bindings;
use super::device::Device;

/// Why a frame was dropped, for `kfree_skb` tracing (`perf trace`,
/// `dropwatch`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum DropReason {
    /// No better reason.
    NotSpecified = bindings::skb_drop_reason_SKB_DROP_REASON_NOT_SPECIFIED,
    /// The device was not up (or its peer was not).
    DeviceNotReady = bindings::skb_drop_reason_SKB_DROP_REASON_DEV_READY,
    /// The ring or queue it was meant for was full.
    FullRing = bindings::skb_drop_reason_SKB_DROP_REASON_FULL_RING,
    /// Memory ran out.
    NoMemory = bindings::skb_drop_reason_SKB_DROP_REASON_NOMEM,
    /// Larger than the device accepts.
    TooBig = bindings::skb_drop_reason_SKB_DROP_REASON_PKT_TOO_BIG,
    /// Shorter than a valid frame.
    TooSmall = bindings::skb_drop_reason_SKB_DROP_REASON_PKT_TOO_SMALL,
    /// Addressed to another station and not accepted by the filters.
    OtherHost = bindings::skb_drop_reason_SKB_DROP_REASON_OTHERHOST,
}

/// The class of a received frame, as `eth_type_trans` sets it from the
/// destination address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PacketType {
    /// To this station's own address.
    Host,
    /// To the broadcast address.
    Broadcast,
    /// To a multicast address.
    Multicast,
    /// To someone else (seen in promiscuous mode).
    OtherHost,
    /// Any other value (outgoing, loopback...).
    Other(u8),
}

impl PacketType {
    fn from_raw(raw: u8) -> Self {
        match u32::from(raw) {
            bindings::PACKET_HOST => Self::Host,
            bindings::PACKET_BROADCAST => Self::Broadcast,
            bindings::PACKET_MULTICAST => Self::Multicast,
            bindings::PACKET_OTHERHOST => Self::OtherHost,
            _ => Self::Other(raw),
        }
    }
}

/// An owned reference to a socket buffer.
///
/// Dropping it frees the buffer with [`DropReason::NotSpecified`]; a driver
/// that delivered or transmitted the frame calls [`SkBuff::consume`]
/// instead, one that dropped it for a known reason [`SkBuff::drop_reason`].
///
/// # Invariants
///
/// The pointer is a valid `sk_buff` this object holds the only reference
/// to (its data may be shared with clones, which the operations that
/// write to it check): so `&mut self` may link the buffer into a queue,
/// move its data pointer or hand it up the stack. `start_xmit` gets one
/// even when the core's frame is shared (pktgen): the layer clones it.
pub struct SkBuff(NonNull<bindings::sk_buff>);

// SAFETY: A socket buffer reference may move between contexts and CPUs.
unsafe impl Send for SkBuff {}
// SAFETY: Shared access only reads the buffer.
unsafe impl Sync for SkBuff {}

impl SkBuff {
    /// Takes over a reference to a socket buffer (the layers' own
    /// conversions, such as a virtqueue token's).
    ///
    /// # Safety
    ///
    /// `ptr` must be a valid `sk_buff` whose reference the caller gives up,
    /// and the only one.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::sk_buff) -> Self {
        // SAFETY: The caller guarantees `ptr` is valid, hence non-null.
        Self(unsafe { NonNull::new_unchecked(ptr) })
    }

    /// Gives up ownership, returning the reference to the caller.
    pub(crate) fn into_raw(self) -> *mut bindings::sk_buff {
        let ptr = self.0.as_ptr();
        core::mem::forget(self);
        ptr
    }

    /// The raw buffer, still owned by `self`, for the layers' own calls.
    pub(crate) fn as_raw(&self) -> *mut bindings::sk_buff {
        self.0.as_ptr()
    }

    /// Allocates a receive buffer for `dev` with room for `len` bytes, the
    /// IP header aligned (`netdev_alloc_skb_ip_align`). Usable in any
    /// context.
    pub fn alloc<T, S>(dev: &Device<T, S>, len: u32) -> Result<Self> {
        if dev.alloc_fails() {
            return Err(ENOMEM);
        }
        // SAFETY: `dev` is a valid device.
        let skb = unsafe { bindings::rnic_netdev_alloc_skb_ip_align(dev.as_raw(), len) };
        NonNull::new(skb).map(Self).ok_or(ENOMEM)
    }

    /// Length of the frame, linear part and fragments.
    pub fn len(&self) -> u32 {
        // SAFETY: `self` is valid (invariant); `len` is a plain field.
        unsafe { (*self.as_raw()).len }
    }

    /// Whether the frame is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Length of the linear part.
    pub fn headlen(&self) -> u32 {
        // SAFETY: `self` is valid (invariant).
        unsafe { bindings::rnic_skb_headlen(self.as_raw()) }
    }

    /// The linear part of the frame.
    pub fn data(&self) -> &[u8] {
        // SAFETY: `skb->data` points to `skb_headlen()` initialised bytes
        // that stay in place while we hold the reference.
        unsafe {
            let data = bindings::rnic_skb_data(self.as_raw());
            core::slice::from_raw_parts(data, self.headlen() as usize)
        }
    }

    /// Whether we may write to the buffer: it is linear and not shared with
    /// a clone.
    fn writable(&self) -> bool {
        // SAFETY: `self` is valid (invariant).
        !unsafe { bindings::rnic_skb_cloned(self.as_raw()) } && self.headlen() == self.len()
    }

    /// Free space after the data.
    pub fn tailroom(&self) -> u32 {
        // SAFETY: `self` is valid (invariant).
        let room = unsafe { bindings::rnic_skb_tailroom(self.as_raw()) };
        u32::try_from(room).unwrap_or(0)
    }

    /// Extends the data by `len` bytes and returns their address, after
    /// checking that the buffer is writable and has the room.
    pub(super) fn put_raw(&mut self, len: u32) -> Result<*mut u8> {
        if !self.writable() || self.tailroom() < len {
            return Err(EINVAL);
        }
        // SAFETY: `self` is valid, writable and has `len` bytes of tailroom,
        // so `skb_put` cannot hit its overflow check.
        Ok(unsafe { bindings::skb_put(self.as_raw(), len) }.cast::<u8>())
    }

    /// Appends `bytes` to the frame. Fails without change if the buffer is
    /// shared or too small.
    pub fn put_slice(&mut self, bytes: &[u8]) -> Result {
        let len = u32::try_from(bytes.len()).map_err(|_| EINVAL)?;
        let dst = self.put_raw(len)?;
        // SAFETY: `put_raw` made `len` bytes at `dst` part of the buffer.
        unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), dst, bytes.len()) };
        Ok(())
    }

    /// Appends the whole frame `src` (linear part and fragments) to this
    /// one. Fails without change if this buffer is shared or too small.
    pub fn put_frame(&mut self, src: &SkBuff) -> Result {
        let len = src.len();
        let dst = self.put_raw(len)?;
        let count = c_int::try_from(len).map_err(|_| EINVAL)?;
        // SAFETY: `src` is valid and holds `len` bytes; `dst` has room for
        // them (checked above).
        to_result(unsafe { bindings::skb_copy_bits(src.as_raw(), 0, dst.cast(), count) })
    }

    /// Removes `len` bytes from the start of the data (a header that was
    /// handled). Fails without change if the linear part is shorter.
    pub fn pull(&mut self, len: u32) -> Result {
        if len > self.headlen() {
            return Err(EINVAL);
        }
        // SAFETY: `self` is valid and its linear part holds `len` bytes.
        unsafe { bindings::skb_pull(self.as_raw(), len) };
        Ok(())
    }

    /// Copies `len` bytes of the frame (linear part and fragments) from
    /// byte `from` into a DMA buffer at byte `offset`, for a device to
    /// transmit. Fails if the range is outside the frame or the buffer.
    ///
    /// Only [`super::dma_buffers::DmaBuffers`] calls it, with the exclusive
    /// access that proves no other CPU touches that part of the buffer.
    pub(super) fn copy_to_dma(
        &self,
        from: u32,
        len: u32,
        buf: &Coherent<[u8]>,
        offset: usize,
    ) -> Result {
        if offset
            .checked_add(len as usize)
            .is_none_or(|end| end > buf.len())
        {
            return Err(EINVAL);
        }
        let from = c_int::try_from(from).map_err(|_| EINVAL)?;
        let count = c_int::try_from(len).map_err(|_| EINVAL)?;
        let dst = buf.as_mut_ptr().cast::<u8>().wrapping_add(offset);
        // `dst..dst + len` lies inside the allocation (checked above) and
        // no Rust reference to it exists.
        // SAFETY: So the write is sound; `skb_copy_bits` checks the source.
        to_result(unsafe { bindings::skb_copy_bits(self.as_raw(), from, dst.cast(), count) })
    }

    /// Appends `len` bytes that a device wrote into a DMA buffer at byte
    /// `offset`. Fails without change if the range is outside the buffer
    /// or this frame lacks the room.
    ///
    /// Only [`super::dma_buffers::DmaBuffers`] calls it, with the shared
    /// access that proves no CPU writes that part of the buffer meanwhile.
    pub(super) fn put_from_dma(&mut self, buf: &Coherent<[u8]>, offset: usize, len: u32) -> Result {
        if offset
            .checked_add(len as usize)
            .is_none_or(|end| end > buf.len())
        {
            return Err(EINVAL);
        }
        let dst = self.put_raw(len)?;
        let src = buf.as_ptr().cast::<u8>().wrapping_add(offset);
        // `src..src + len` lies inside the allocation (checked above), `dst`
        // has `len` bytes reserved by `put_raw`, and they do not overlap.
        // SAFETY: So the copy is sound; it makes no reference to DMA memory.
        unsafe { core::ptr::copy_nonoverlapping(src, dst, len as usize) };
        Ok(())
    }

    /// Copies `dst.len()` bytes from `offset` in the frame (linear part and
    /// fragments) into `dst`.
    pub fn copy_bits(&self, offset: u32, dst: &mut [u8]) -> Result {
        let offset = c_int::try_from(offset).map_err(|_| EINVAL)?;
        let len = c_int::try_from(dst.len()).map_err(|_| EINVAL)?;
        // SAFETY: `self` is valid; `skb_copy_bits` checks the range against
        // the frame and writes at most `len` bytes to `dst`.
        to_result(unsafe {
            bindings::skb_copy_bits(self.as_raw(), offset, dst.as_mut_ptr().cast(), len)
        })
    }

    /// Pads the frame with zeroes to at least `len` bytes (short Ethernet
    /// frames go out padded to 60). On failure the frame is unchanged.
    pub fn pad_to(&mut self, len: u32) -> Result {
        // SAFETY: `self` is valid; the helper keeps the buffer on failure
        // and reallocates a shared head before writing.
        to_result(unsafe { bindings::rnic_skb_put_padto(self.as_raw(), len) })
    }

    /// Sets the protocol from the Ethernet header, classifies the frame by
    /// its destination address and pulls the header (C `eth_type_trans`).
    /// Fails with `EINVAL`, leaving the frame as it was, when its linear
    /// part is shorter than an Ethernet header: the driver drops it.
    pub fn eth_type_trans<T, S>(&mut self, dev: &Device<T, S>) -> Result<PacketType> {
        // `eth_type_trans` reads the header from the linear part and pulls
        // it without checking (a short non-linear frame hits a BUG()).
        if self.headlen() < super::ETH_HLEN {
            return Err(EINVAL);
        }
        // SAFETY: `self` is a valid frame received on the valid `dev`, with
        // a whole Ethernet header in its linear part.
        let raw = unsafe { bindings::rnic_eth_type_trans(self.as_raw(), dev.as_raw()) };
        Ok(PacketType::from_raw(raw))
    }

    /// The frame's class, as set by [`SkBuff::eth_type_trans`].
    pub fn pkt_type(&self) -> PacketType {
        // SAFETY: `self` is valid (invariant).
        PacketType::from_raw(unsafe { bindings::rnic_skb_pkt_type(self.as_raw()) })
    }

    /// Takes the software transmit timestamp if the sending socket asked
    /// for one (`skb_tx_timestamp`). A driver calls it as late as it can
    /// before the hardware sends the frame; drivers that do say so with
    /// [`super::EthtoolOps::SOFTWARE_TX_TIMESTAMPS`].
    pub fn tx_timestamp(&mut self) {
        // SAFETY: We own the reference (invariant).
        unsafe { bindings::rnic_skb_tx_timestamp(self.as_raw()) }
    }

    /// Frees a frame that was handled successfully (transmitted).
    pub fn consume(self) {
        // SAFETY: We own the reference; usable in any context.
        unsafe { bindings::rnic_dev_consume_skb_any(self.into_raw()) }
    }

    /// Frees a dropped frame, recording why.
    pub fn drop_reason(self, reason: DropReason) {
        // SAFETY: We own the reference; usable in any context.
        unsafe { bindings::dev_kfree_skb_any_reason(self.into_raw(), reason as u32) }
    }
}

impl Drop for SkBuff {
    fn drop(&mut self) {
        // SAFETY: We own the reference (invariant).
        unsafe {
            bindings::dev_kfree_skb_any_reason(self.as_raw(), DropReason::NotSpecified as u32)
        }
    }
}

/// A queue of socket buffers with its own lock (C `struct sk_buff_head`),
/// usable from any context.
#[pin_data(PinnedDrop)]
pub struct SkbQueue {
    #[pin]
    head: Opaque<bindings::sk_buff_head>,
}

// SAFETY: Every access goes through the queue's own spinlock.
unsafe impl Send for SkbQueue {}
// SAFETY: As above.
unsafe impl Sync for SkbQueue {}

impl SkbQueue {
    /// An empty queue.
    pub fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            // SAFETY: `skb_queue_head_init` initialises the list and lock.
            head <- Opaque::ffi_init(|p| unsafe { bindings::rnic_skb_queue_head_init(p) }),
        })
    }

    /// Adds a frame at the tail.
    pub fn push_back(&self, skb: SkBuff) {
        // SAFETY: The queue is initialised; it takes over the reference.
        unsafe { bindings::skb_queue_tail(self.head.get(), skb.into_raw()) }
    }

    /// Removes the frame at the head.
    pub fn pop_front(&self) -> Option<SkBuff> {
        // SAFETY: The queue is initialised.
        let skb = unsafe { bindings::skb_dequeue(self.head.get()) };
        // SAFETY: A dequeued frame's reference is ours.
        NonNull::new(skb).map(|_| unsafe { SkBuff::from_raw(skb) })
    }

    /// Number of queued frames (a snapshot, taken without the lock).
    pub fn len(&self) -> u32 {
        // SAFETY: The queue is initialised; the length is read once.
        unsafe { bindings::rnic_skb_queue_len(self.head.get()) }
    }

    /// Whether the queue is empty (a snapshot).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Frees every queued frame. Usable from any context, as the queue is:
    /// each frame goes through `dev_kfree_skb_any` (C's
    /// `skb_queue_purge_reason` frees with `kfree_skb`, which runs socket
    /// destructors and must not run in hard IRQ context).
    pub fn purge(&self, reason: DropReason) {
        while let Some(skb) = self.pop_front() {
            skb.drop_reason(reason);
        }
    }
}

#[pinned_drop]
impl PinnedDrop for SkbQueue {
    fn drop(self: Pin<&mut Self>) {
        self.purge(DropReason::DeviceNotReady);
    }
}
