// SPDX-License-Identifier: GPL-2.0

//! Descriptor rings and their packet buffers.
//!
//! Transmit descriptors point into the frames themselves, mapped for the
//! device while they are on the ring (`netdev::MappedSkb`), except for
//! short frames: those are copied into a small coherent buffer that each
//! descriptor owns, a copy break (`Documentation/benchmark.rst`). Receive
//! descriptors each own a fixed buffer in coherent memory that frames
//! are copied out of into a fresh socket buffer, so a receive buffer
//! never leaves the ring: when no socket buffer can be allocated the
//! frame is dropped and counted, and the ring stays full.

use kernel::device::{Bound, Device};
use kernel::dma::{Coherent, DmaAddress};

use kernel::prelude::*;

use crate::netdev::{spsc, DmaBuffers, MappedSkb, SkBuff};

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

// The legacy layout above also carries the extended data descriptor that
// offloads use: `cso` holds the descriptor type (bits 20..23 of the
// length word), `cmd` the command with `TXD_CMD_DEXT`, `css` the packet
// options (`TXD_POPTS_*`).

/// End of packet.
pub(crate) const TXD_CMD_EOP: u8 = 0x01;
/// Insert the FCS.
pub(crate) const TXD_CMD_IFCS: u8 = 0x02;
/// Context: the IP header is IPv4 (its checksum is computed per segment).
pub(crate) const TXD_CMD_IP: u8 = 0x02;
/// Context: the transport is TCP (otherwise UDP).
pub(crate) const TXD_CMD_TCP: u8 = 0x01;
/// TCP segmentation enable.
pub(crate) const TXD_CMD_TSE: u8 = 0x04;
/// Report status (write back DD).
pub(crate) const TXD_CMD_RS: u8 = 0x08;
/// Extended descriptor (context or extended data).
pub(crate) const TXD_CMD_DEXT: u8 = 0x20;
/// Interrupt delay enable: the completion interrupt waits for the
/// transmit interrupt delay timers (TIDV, TADV), as in the C driver.
pub(crate) const TXD_CMD_IDE: u8 = 0x80;
/// Insert the 802.1Q tag in `special` (with `CTRL.VME`).
pub(crate) const TXD_CMD_VLE: u8 = 0x40;
/// Descriptor type of an extended data descriptor (in the `cso` byte).
pub(crate) const TXD_DTYP_DATA: u8 = 0x10;
/// Insert the IPv4 header checksum.
pub(crate) const TXD_POPTS_IXSM: u8 = 0x01;
/// Insert the TCP/UDP checksum.
pub(crate) const TXD_POPTS_TXSM: u8 = 0x02;
/// Descriptor done.
pub(crate) const TXD_STAT_DD: u8 = 0x01;

crate::netdev::dma::dma_struct! {
    /// Transmit context descriptor: how the data descriptors that follow
    /// are checksummed and segmented. It takes one slot of the ring.
    pub(crate) struct TxContextDesc {
        /// IP checksum start, offset (of the field) and end (0: to the end
        /// of the frame).
        pub(crate) ipcss: u8,
        pub(crate) ipcso: u8,
        pub(crate) ipcse: u16,
        /// TCP/UDP checksum start, offset and end.
        pub(crate) tucss: u8,
        pub(crate) tucso: u8,
        pub(crate) tucse: u16,
        /// Payload length for segmentation (bits 0..19) and command
        /// (bits 24..31).
        pub(crate) cmd_and_length: u32,
        pub(crate) status: u8,
        /// Header length for segmentation.
        pub(crate) hdr_len: u8,
        /// Maximum segment size.
        pub(crate) mss: u16,
    }
}

impl TxContextDesc {
    /// The same 16 bytes as a ring entry.
    pub(crate) fn as_ring_entry(&self) -> Option<TxDesc> {
        use kernel::transmute::{AsBytes, FromBytes};
        TxDesc::from_bytes_copy(self.as_bytes())
    }
}

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
/// The device did not check the transport checksum.
pub(crate) const RXD_STAT_IXSM: u8 = 0x04;
/// The frame had an 802.1Q tag, stripped into `special`.
pub(crate) const RXD_STAT_VP: u8 = 0x08;
/// The VLAN ID bits of `special` (C keeps these, not the priority).
pub(crate) const RXD_SPECIAL_VLAN_ID: u16 = 0x0FFF;
/// The TCP/UDP checksum was checked (and is good unless `RXD_ERR_TCPE`).
pub(crate) const RXD_STAT_TCPCS: u8 = 0x20;
/// TCP/UDP checksum error.
pub(crate) const RXD_ERR_TCPE: u8 = 0x20;
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

/// What the transmit ring keeps of a frame until the hardware is done
/// with it: the frame itself, mapped for the device, freed at completion
/// (`napi_consume_skb` hands it back to the CPU that allocated it, in
/// batches, where the next allocation takes it from the per-CPU cache:
/// `Documentation/benchmark.rst`).
pub(crate) struct TxFrame {
    /// Bytes given to byte queue limits.
    pub(crate) len: u32,
    /// Packets and bytes on the wire (segments, headers repeated).
    pub(crate) packets: u32,
    pub(crate) bytes: u64,
    /// The frame, unmapped (if it was mapped) and freed on completion.
    pub(crate) skb: TxSkb,
}

/// A frame on the transmit ring, in one of the two ways it gets there.
// It lives in place in the ring's slots, which are as large as the larger
// variant whatever the type says; boxing would cost an allocation a frame.
#[allow(clippy::large_enum_variant)]
pub(crate) enum TxSkb {
    /// Copied into the ring's buffer of its data descriptor.
    Copied(SkBuff),
    /// Read by the device where it lies.
    Mapped(MappedSkb),
}

impl TxSkb {
    /// Length of the frame.
    pub(crate) fn len(&self) -> u32 {
        match self {
            TxSkb::Copied(skb) => skb.len(),
            TxSkb::Mapped(mapped) => mapped.len(),
        }
    }

    /// Records the software transmit timestamp (`skb_tx_timestamp`).
    pub(crate) fn tx_timestamp(&mut self) {
        match self {
            TxSkb::Copied(skb) => skb.tx_timestamp(),
            TxSkb::Mapped(mapped) => mapped.tx_timestamp(),
        }
    }

    /// Ends the mappings, if any, and gives the frame back.
    pub(crate) fn into_skb(self) -> SkBuff {
        match self {
            TxSkb::Copied(skb) => skb,
            TxSkb::Mapped(mapped) => mapped.into_skb(),
        }
    }
}

/// The transmit descriptors, written by the sending side and read by the
/// completion side.
pub(crate) struct TxRing {
    pub(crate) desc: Coherent<[TxDesc]>,
}

/// The sending side of the transmit ring and the buffers short frames are
/// copied into, one for each descriptor. Only the sender writes those
/// buffers, so it owns them (`DmaBuffers` wants exclusive access to write).
pub(crate) struct TxSender {
    pub(crate) ring: TxProducer,
    pub(crate) small: DmaBuffers,
}

/// The sending side of the transmit ring (`start_xmit`).
pub(crate) type TxProducer = spsc::Producer<TxFrame, TxRing>;
/// The completion side of the transmit ring (the poll).
pub(crate) type TxConsumer = spsc::Consumer<TxFrame, TxRing>;

/// Most bytes one transmit descriptor carries, as the C driver has it
/// (`E1000_MAX_DATA_PER_TXD`); longer pieces of a frame take several.
pub(crate) const TX_MAX_PER_DESC: u32 = 4096;

/// Frames up to this length (without segmentation offload) are copied
/// into the descriptor's own buffer instead of being mapped.
pub(crate) const TX_COPYBREAK: u32 = 256;

impl TxRing {
    /// Allocates a transmit ring of `count` descriptors and splits it into
    /// its sending and completion sides.
    pub(crate) fn new(dev: &Device<Bound>, count: usize) -> Result<(TxSender, TxConsumer)> {
        if count < 2 {
            return Err(EINVAL);
        }
        let desc = Coherent::<TxDesc>::zeroed_slice(dev, count, GFP_KERNEL)?;
        let small = DmaBuffers::new(dev, count, TX_COPYBREAK as usize)?;
        let (ring, done) = spsc::new(count, TxRing { desc })?;
        Ok((TxSender { ring, small }, done))
    }

    /// Bus address of the descriptor array.
    pub(crate) fn dma_handle(&self) -> DmaAddress {
        self.desc.dma_handle()
    }
}

/// The receive ring. Used by the NAPI poll (and by open/stop).
pub(crate) struct RxRing {
    pub(crate) desc: Coherent<[RxDesc]>,
    pub(crate) bufs: DmaBuffers,
    pub(crate) count: usize,
    /// Next descriptor the hardware will complete.
    pub(crate) next_to_clean: usize,
    /// A frame longer than one buffer is being skipped: its descriptors up
    /// to the one marked end-of-packet are dropped (C's `discarding`).
    pub(crate) discarding: bool,
}

impl RxRing {
    pub(crate) fn new(dev: &Device<Bound>, count: usize, buf_size: usize) -> Result<Self> {
        if count < 2 || buf_size == 0 {
            return Err(EINVAL);
        }
        let desc = Coherent::<RxDesc>::zeroed_slice(dev, count, GFP_KERNEL)?;
        let bufs = DmaBuffers::new(dev, count, buf_size)?;
        for i in 0..count {
            let addr = bufs.dma_addr(i).ok_or(EINVAL)?;
            kernel::dma_write!(desc, [try: i].addr, addr);
        }
        Ok(Self {
            desc,
            bufs,
            count,
            next_to_clean: 0,
            discarding: false,
        })
    }

    /// Bus address of the descriptor array.
    pub(crate) fn dma_handle(&self) -> DmaAddress {
        self.desc.dma_handle()
    }
}
