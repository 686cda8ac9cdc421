// SPDX-License-Identifier: GPL-2.0

//! The transmit path: `start_xmit` (the C driver's `e1000_xmit_frame`),
//! offload planning, descriptor writing, and transmit completion in the
//! poll (`e1000_clean_tx_irq`).

use kernel::io::register::WithBase;
use kernel::io::Io;
use kernel::prelude::*;
use kernel::sync::atomic::Relaxed;

use crate::adapter::E1000;
use crate::itr;
use crate::netdev::napi::PollContext;
use crate::netdev::offload;
use crate::netdev::skb_dma;
use crate::netdev::{self, Device, DmaSegment, DropReason, SkBuff, TxOffload};
use crate::regs::*;
use crate::ring::{self, TxProducer, TxSender, TxSkb};
use crate::{ETH_FCS_LEN, MAX_FRAME, TSO_MAX_LEN, TX_DESC_PER_FRAME, TX_WAKE_THRESHOLD};

impl E1000 {
    /// Sends a frame from the stack (`ndo_start_xmit`): queues it and,
    /// at the end of a batch, tells the device.
    pub(crate) fn xmit_frame(dev: &Device<Self>, skb: SkBuff) {
        let e = dev.data();
        let mut guard = e.tx.lock();
        let Some(tx) = &mut *guard else {
            e.stats.tx_dropped.inc();
            skb.drop_reason(DropReason::DeviceNotReady);
            return;
        };
        e.queue_frame(dev, skb, tx);
        // One tail write per batch of frames from the stack, as in C: the
        // last frame of a batch writes it even if it was itself dropped.
        if !dev.xmit_may_defer_kick() && e.inject_tx_hang.load(Relaxed) == 0 {
            // The MMIO write orders after the descriptor writes. Without
            // the device (it is going away) the descriptors go with the
            // ring.
            let _ = E1000::with_hw(dev, |hw| {
                let tail = DT::zeroed().with_tail(tx.ring.next_slot() as u32);
                hw.io().write(DT::of::<TxDescRing>(), tail)
            });
        }
    }

    /// Reclaims the descriptors of transmitted frames and restarts a
    /// stopped queue; returns the packets and bytes that left.
    pub(crate) fn clean_tx(
        &self,
        dev: &Device<Self>,
        ctx: &PollContext<'_, Self>,
    ) -> Result<itr::Work> {
        let mut guard = self.tx_done.lock();
        let Some(tx) = &mut *guard else {
            return Ok(itr::Work::default());
        };
        let (mut frames, mut len) = (0u32, 0u32);
        let (mut packets, mut bytes) = (0u64, 0u64);
        while let Some(entry) = tx.peek() {
            // Only a frame's last descriptor reports status.
            let status = kernel::dma_read!(tx.data().desc, [try: entry.last].status);
            if status & ring::TXD_STAT_DD == 0 {
                break;
            }
            let Some(frame) = tx.pop() else {
                break;
            };
            frames += 1;
            len += frame.len;
            packets += u64::from(frame.packets);
            bytes += frame.bytes;
            ctx.consume_skb(frame.skb.into_skb());
        }
        if frames == 0 {
            return Ok(itr::Work::default());
        }
        dev.completed_queue(frames, len);
        self.stats.tx_packets.add(packets);
        self.stats.tx_bytes.add(bytes);
        if dev.carrier_ok() && dev.wake_queue_if_room(tx.free() >= TX_WAKE_THRESHOLD) {
            self.stats.tx_restart_queue.inc();
        }
        Ok(itr::Work { packets, bytes })
    }

    /// Takes one frame from `start_xmit`: checks it, puts it on the ring
    /// (the hardware is told by the caller) and stops the queue when the
    /// ring is nearly full.
    fn queue_frame(&self, dev: &Device<Self>, mut skb: SkBuff, tx: &mut TxSender) {
        let too_big = if skb.is_gso() {
            skb.len() > TSO_MAX_LEN
        } else {
            skb.len() > MAX_FRAME - ETH_FCS_LEN
        };
        if too_big || skb.pad_to(netdev::ETH_ZLEN).is_err() {
            self.drop_frame(skb, DropReason::TooBig);
            return;
        }
        let Ok(plan) = TxPlan::new(&mut skb) else {
            self.drop_frame(skb, DropReason::NotSpecified);
            return;
        };
        let queued = if !skb.is_gso() && skb.len() <= ring::TX_COPYBREAK {
            self.copy_frame(dev, skb, &plan, tx)
        } else {
            self.map_frame(dev, skb, &plan, &tx.ring)
        };
        let Some((mut skb, span)) = queued else {
            return;
        };
        let len = skb.len();
        skb.tx_timestamp();
        let frame = ring::TxFrame {
            len,
            packets: plan.packets,
            bytes: plan.bytes,
            skb,
        };
        if let Err(frame) = tx.ring.push(span, frame) {
            // Cannot happen: the room was checked.
            self.drop_frame(frame.skb.into_skb(), DropReason::FullRing);
            return;
        }
        dev.sent_queue(len);
        // Stop while a largest frame might not fit; transmit completion
        // restarts the queue.
        if dev.maybe_stop_queue(|| tx.ring.free() > TX_DESC_PER_FRAME) {
            self.stats.tx_queue_stopped.inc();
        }
    }

    /// Copies a short frame into the buffer of its data descriptor and
    /// writes its descriptors. Returns the frame and the descriptors it
    /// took, or `None` when it dropped (and counted) the frame.
    fn copy_frame(
        &self,
        dev: &Device<Self>,
        skb: SkBuff,
        plan: &TxPlan,
        tx: &mut TxSender,
    ) -> Option<(TxSkb, usize)> {
        let before = usize::from(plan.context.is_some());
        if tx.ring.free() < before + 1 {
            self.ring_full(dev, skb);
            return None;
        }
        // The data descriptor's slot is free: the device is done with its
        // buffer.
        let slot = ring::advance(tx.ring.next_slot(), before, tx.ring.count());
        let len = skb.len();
        let queued = tx.small.fill_from_skb(slot, &skb, 0, len).and_then(|()| {
            let addr = tx.small.dma_addr(slot).ok_or(EINVAL)?;
            let piece = DmaSegment { addr, len };
            Self::fill_tx(core::iter::once(piece), plan, &tx.ring)
        });
        match queued {
            Ok(span) => Some((TxSkb::Copied(skb), span)),
            Err(_) => {
                self.drop_frame(skb, DropReason::NotSpecified);
                None
            }
        }
    }

    /// Maps a frame for the device and writes its descriptors. Returns the
    /// frame and the descriptors it took, or `None` when it dropped (and
    /// counted) the frame.
    fn map_frame(
        &self,
        dev: &Device<Self>,
        skb: SkBuff,
        plan: &TxPlan,
        tx: &TxProducer,
    ) -> Option<(TxSkb, usize)> {
        let skb = dev
            .map_skb(skb)
            .map_err(|skb| self.drop_frame(skb, DropReason::NoMemory))
            .ok()?;
        let chunks = || skb_dma::chunks(skb.segments(), ring::TX_MAX_PER_DESC);
        if tx.free() < usize::from(plan.context.is_some()) + chunks().count() {
            self.ring_full(dev, skb.into_skb());
            return None;
        }
        match Self::fill_tx(chunks(), plan, tx) {
            Ok(span) => Some((TxSkb::Mapped(skb), span)),
            Err(_) => {
                self.drop_frame(skb.into_skb(), DropReason::NotSpecified);
                None
            }
        }
    }

    /// Drops a frame the ring lacks room for, and stops the queue. The
    /// queue stops while a largest frame still fits, so this means a bug;
    /// C answers `NETDEV_TX_BUSY` here, which the layer does not offer
    /// (see Documentation/netdev-layer.rst).
    fn ring_full(&self, dev: &Device<Self>, skb: SkBuff) {
        dev.stop_queue();
        self.stats.tx_busy.inc();
        self.drop_frame(skb, DropReason::FullRing);
    }

    /// Drops a frame that cannot be sent, and counts it.
    fn drop_frame(&self, skb: SkBuff, reason: DropReason) {
        self.stats.tx_dropped.inc();
        skb.drop_reason(reason);
    }

    /// Writes the descriptors of a frame from the ring's next slot on: a
    /// context descriptor if it asks for an offload, then one descriptor
    /// for each piece of data. Returns how many it used.
    fn fill_tx(
        pieces: impl Iterator<Item = DmaSegment>,
        plan: &TxPlan,
        tx: &TxProducer,
    ) -> Result<usize> {
        let (ring, count) = (tx.data(), tx.count());
        let mut i = tx.next_slot();
        let mut used = 0;
        if let Some(context) = &plan.context {
            let entry = context.as_ring_entry().ok_or(EINVAL)?;
            kernel::dma_write!(ring.desc, [try: i], entry);
            i = ring::next(i, count);
            used += 1;
        }
        let mut pieces = pieces.peekable();
        if pieces.peek().is_none() {
            return Err(EINVAL);
        }
        while let Some(piece) = pieces.next() {
            let mut cmd = plan.ifcs | plan.cmd;
            if pieces.peek().is_none() {
                cmd |= ring::TXD_CMD_EOP | ring::TXD_CMD_RS | ring::TXD_CMD_IDE;
            }
            if plan.vlan.is_some() {
                cmd |= ring::TXD_CMD_VLE;
            }
            let desc = ring::TxDesc {
                addr: piece.addr,
                length: u16::try_from(piece.len).map_err(|_| EINVAL)?,
                cso: plan.dtyp,
                cmd,
                css: plan.popts,
                special: plan.vlan.unwrap_or(0),
                ..ring::TxDesc::default()
            };
            kernel::dma_write!(ring.desc, [try: i], desc);
            i = ring::next(i, count);
            used += 1;
        }
        Ok(used)
    }
}

/// How one frame goes on the transmit ring.
struct TxPlan {
    /// Offload set-up, in a slot before the data.
    context: Option<ring::TxContextDesc>,
    /// Descriptor type, command bits and packet options of every data
    /// descriptor (zero for a legacy descriptor).
    dtyp: u8,
    cmd: u8,
    popts: u8,
    /// The 802.1Q tag to insert.
    vlan: Option<u16>,
    /// `TXD_CMD_IFCS` (append the frame check sequence), or 0 when the
    /// sender asked for none (`SO_NOFCS`, as C).
    ifcs: u8,
    /// Packets and bytes the frame becomes on the wire.
    packets: u32,
    bytes: u64,
}

impl TxPlan {
    /// Plans a frame: reads (and readies) its offloads. A checksum the
    /// descriptor fields cannot express is computed here instead.
    fn new(skb: &mut SkBuff) -> Result<Self> {
        let mut plan = TxPlan {
            context: None,
            dtyp: 0,
            cmd: 0,
            popts: 0,
            vlan: skb.vlan_tag(),
            ifcs: if skb.no_fcs() { 0 } else { ring::TXD_CMD_IFCS },
            packets: 1,
            bytes: u64::from(skb.len()),
        };
        let offload = match skb.prepare_tx_offload()? {
            TxOffload::None => return Ok(plan),
            offload => offload,
        };
        plan.dtyp = ring::TXD_DTYP_DATA;
        plan.cmd = ring::TXD_CMD_DEXT;
        match offload {
            TxOffload::Checksum(c) => {
                let (Ok(css), Ok(cso)) = (u8::try_from(c.start), u8::try_from(c.start + c.offset))
                else {
                    skb.checksum_in_software()?;
                    return Ok(TxPlan::legacy(plan));
                };
                let mut cmd = ring::TXD_CMD_DEXT;
                if c.l4_proto == offload::IPPROTO_TCP {
                    cmd |= ring::TXD_CMD_TCP;
                }
                plan.context = Some(ring::TxContextDesc {
                    tucss: css,
                    tucso: cso,
                    cmd_and_length: u32::from(cmd) << 24,
                    ..Default::default()
                });
                plan.popts = ring::TXD_POPTS_TXSM;
            }
            TxOffload::Tso(t) => {
                let byte = |v: u32| u8::try_from(v).map_err(|_| EINVAL);
                let payload = skb.len().checked_sub(t.headers).ok_or(EINVAL)?;
                let mut cmd = ring::TXD_CMD_DEXT | ring::TXD_CMD_TSE | ring::TXD_CMD_TCP;
                let mut context = ring::TxContextDesc {
                    ipcss: byte(t.network)?,
                    tucss: byte(t.transport)?,
                    tucso: byte(t.transport + TCP_CHECK_OFFSET)?,
                    hdr_len: byte(t.headers)?,
                    mss: t.mss,
                    ..Default::default()
                };
                plan.popts = ring::TXD_POPTS_TXSM;
                if !t.ipv6 {
                    cmd |= ring::TXD_CMD_IP;
                    context.ipcso = byte(t.network + IPV4_CHECK_OFFSET)?;
                    context.ipcse = u16::try_from(t.transport - 1).map_err(|_| EINVAL)?;
                    plan.popts |= ring::TXD_POPTS_IXSM;
                }
                context.cmd_and_length = (u32::from(cmd) << 24) | (payload & 0xF_FFFF);
                plan.context = Some(context);
                plan.cmd |= ring::TXD_CMD_TSE;
                plan.packets = u32::from(t.segs);
                plan.bytes = t.wire_bytes(skb.len());
            }
            TxOffload::None => {}
        }
        Ok(plan)
    }

    /// The plan without offloads.
    fn legacy(plan: Self) -> Self {
        TxPlan {
            context: None,
            dtyp: 0,
            cmd: 0,
            popts: 0,
            ..plan
        }
    }
}

/// Offsets of the checksum fields in the IPv4 and TCP headers.
const IPV4_CHECK_OFFSET: u32 = 10;
const TCP_CHECK_OFFSET: u32 = 16;
