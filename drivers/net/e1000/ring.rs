// SPDX-License-Identifier: GPL-2.0

//! Descriptor rings and their packet buffers.
//!
//! 7.2's Rust DMA API has coherent allocations but no streaming mappings,
//! so every descriptor owns a fixed buffer in coherent memory: transmit
//! copies the frame in, receive copies it out into a fresh socket buffer.
//! A receive buffer therefore never leaves the ring: when no socket buffer
//! can be allocated the frame is dropped and counted, and the ring stays
//! full.

use kernel::device::{Bound, Device};
use kernel::dma::{Coherent, DmaAddress};
use kernel::prelude::*;

crate::netdev::dma::dma_struct! {
    /// Legacy transmit descriptor.
    pub(crate) struct TxDesc {
        pub(crate) addr: u64,
        pub(crate) length: u16,
        pub(crate) cso: u8,
        pub(crate) cmd: u8,
        pub(crate) status: u8,
        pub(crate) css: u8,
        pub(crate) special: u16,
    }
}

/// End of packet.
pub(crate) const TXD_CMD_EOP: u8 = 0x01;
/// Insert the FCS.
pub(crate) const TXD_CMD_IFCS: u8 = 0x02;
/// Report status (write back DD).
pub(crate) const TXD_CMD_RS: u8 = 0x08;
/// Descriptor done.
pub(crate) const TXD_STAT_DD: u8 = 0x01;

crate::netdev::dma::dma_struct! {
    /// Receive descriptor.
    pub(crate) struct RxDesc {
        pub(crate) addr: u64,
        pub(crate) length: u16,
        pub(crate) csum: u16,
        pub(crate) status: u8,
        pub(crate) errors: u8,
        pub(crate) special: u16,
    }
}

/// Descriptor done.
pub(crate) const RXD_STAT_DD: u8 = 0x01;
/// End of packet.
pub(crate) const RXD_STAT_EOP: u8 = 0x02;
/// Receive errors the frame must be dropped for: CRC, symbol, sequence,
/// carrier extension, RX data error.
pub(crate) const RXD_ERR_FRAME: u8 = 0x01 | 0x02 | 0x04 | 0x10 | 0x80;

/// The index after `i` in a ring of `count` entries.
#[inline]
pub(crate) fn next(i: usize, count: usize) -> usize {
    if i + 1 >= count {
        0
    } else {
        i + 1
    }
}

/// The index `n` entries after `i` in a ring of `count` entries, for
/// `i < count` and `n <= count`.
#[inline]
pub(crate) fn advance(i: usize, n: usize, count: usize) -> usize {
    let j = i.wrapping_add(n);
    if j >= count {
        j.wrapping_sub(count)
    } else {
        j
    }
}

/// Fixed-size packet buffers in coherent DMA memory, allocated in chunks
/// of up to 64 KiB so that large rings need no large contiguous area.
pub(crate) struct Buffers {
    chunks: KVec<Coherent<[u8]>>,
    size: usize,
    per_chunk: usize,
}

impl Buffers {
    fn new(dev: &Device<Bound>, count: usize, size: usize) -> Result<Self> {
        let per_chunk = (64 * 1024usize).checked_div(size).ok_or(EINVAL)?.max(1);
        let mut chunks = KVec::new();
        let mut left = count;
        while left > 0 {
            let n = left.min(per_chunk);
            chunks.push(
                Coherent::zeroed_slice(dev, n * size, GFP_KERNEL)?,
                GFP_KERNEL,
            )?;
            left -= n;
        }
        Ok(Self {
            chunks,
            size,
            per_chunk,
        })
    }

    /// The chunk holding buffer `i` and the buffer's offset in it.
    pub(crate) fn get(&self, i: usize) -> Option<(&Coherent<[u8]>, usize)> {
        let chunk = self.chunks.get(i.checked_div(self.per_chunk)?)?;
        Some((chunk, i.checked_rem(self.per_chunk)? * self.size))
    }

    /// Bus address of buffer `i`.
    pub(crate) fn dma_addr(&self, i: usize) -> Option<DmaAddress> {
        let (chunk, offset) = self.get(i)?;
        Some(chunk.dma_handle() + offset as DmaAddress)
    }

    /// Size of each buffer.
    pub(crate) fn size(&self) -> usize {
        self.size
    }
}

/// The transmit ring. Used under the driver's TX lock.
pub(crate) struct TxRing {
    pub(crate) desc: Coherent<[TxDesc]>,
    pub(crate) bufs: Buffers,
    pub(crate) count: usize,
    /// Next descriptor to fill.
    pub(crate) next_to_use: usize,
    /// Oldest descriptor not yet reclaimed.
    pub(crate) next_to_clean: usize,
}

/// Size of a transmit buffer; longer frames span several descriptors.
pub(crate) const TX_BUF_SIZE: usize = 2048;

impl TxRing {
    pub(crate) fn new(dev: &Device<Bound>, count: usize) -> Result<Self> {
        if count < 2 {
            return Err(EINVAL);
        }
        let desc = Coherent::<TxDesc>::zeroed_slice(dev, count, GFP_KERNEL)?;
        let bufs = Buffers::new(dev, count, TX_BUF_SIZE)?;
        for i in 0..count {
            let addr = bufs.dma_addr(i).ok_or(EINVAL)?;
            kernel::dma_write!(desc, [try: i].addr, addr);
        }
        Ok(Self {
            desc,
            bufs,
            count,
            next_to_use: 0,
            next_to_clean: 0,
        })
    }

    /// Descriptors free for new frames (one always stays unused so that a
    /// full ring is told apart from an empty one).
    pub(crate) fn free(&self) -> usize {
        let used = if self.next_to_use >= self.next_to_clean {
            self.next_to_use - self.next_to_clean
        } else {
            self.count - (self.next_to_clean - self.next_to_use)
        };
        self.count.saturating_sub(used + 1)
    }

    /// Bus address of the descriptor array.
    pub(crate) fn dma_handle(&self) -> DmaAddress {
        self.desc.dma_handle()
    }
}

/// The receive ring. Used by the NAPI poll (and by open/stop).
pub(crate) struct RxRing {
    pub(crate) desc: Coherent<[RxDesc]>,
    pub(crate) bufs: Buffers,
    pub(crate) count: usize,
    /// Next descriptor the hardware will complete.
    pub(crate) next_to_clean: usize,
}

impl RxRing {
    pub(crate) fn new(dev: &Device<Bound>, count: usize, buf_size: usize) -> Result<Self> {
        if count < 2 || buf_size == 0 {
            return Err(EINVAL);
        }
        let desc = Coherent::<RxDesc>::zeroed_slice(dev, count, GFP_KERNEL)?;
        let bufs = Buffers::new(dev, count, buf_size)?;
        for i in 0..count {
            let addr = bufs.dma_addr(i).ok_or(EINVAL)?;
            kernel::dma_write!(desc, [try: i].addr, addr);
        }
        Ok(Self {
            desc,
            bufs,
            count,
            next_to_clean: 0,
        })
    }

    /// Bus address of the descriptor array.
    pub(crate) fn dma_handle(&self) -> DmaAddress {
        self.desc.dma_handle()
    }
}
