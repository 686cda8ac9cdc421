// SPDX-License-Identifier: GPL-2.0

//! The receive path: buffer sizing for the MTU, receive checksum offload,
//! receive ring cleaning (the C driver's `e1000_clean_rx_irq`), and the
//! NAPI poll that cleans both rings.

use core::sync::atomic::Ordering;

use kernel::io::register::WithBase;
use kernel::io::Io;
use kernel::prelude::*;

use crate::adapter::E1000;
use crate::hw::Hw;
use crate::itr;
use crate::netdev::napi::{PollContext, PollDone};
use crate::netdev::{self, Device, DropReason, PacketType, Poll, SkBuff, XdpVerdict};
use crate::regs::*;
use crate::ring::{self, RxRing};
use crate::ETH_FCS_LEN;

impl E1000 {
    /// Turns receive TCP/UDP checksum offload on or off: the device only
    /// reports, nothing needs a reset.
    pub(crate) fn program_rx_csum(&self, hw: &Hw<'_>) {
        let on = self.rx_csum.load(Ordering::Relaxed);
        hw.io().update(RXCSUM, |r| r.with_tuofl(on));
    }

    /// `rctl` with the bits of `rx-all` set or cleared, as C's
    /// `e1000_setup_rctl` has them: store bad frames and MAC control
    /// frames, every broadcast; no VLAN filter and no pause frame discard.
    /// (The VLAN filter comes back from [`E1000::vlan_filtering`] when
    /// `rx-all` goes off.)
    pub(crate) fn with_rx_all(&self, rctl: RCTL) -> RCTL {
        let on = self.rx_all.load(Ordering::Relaxed);
        let rctl = rctl.with_sbp(on).with_pmcf(on);
        if on {
            rctl.with_bam(true)
                .with_vfe(false)
                .with_dpf(false)
                .with_cfien(false)
        } else {
            rctl
        }
    }

    /// Receive buffer size for an MTU, and the receive control value that
    /// selects it.
    pub(crate) fn rx_buffer(mtu: u32) -> (usize, RCTL) {
        let frame = mtu + netdev::ETH_HLEN + ETH_FCS_LEN + netdev::VLAN_HLEN;
        let rctl = RCTL::zeroed();
        match frame {
            0..=2048 => (2048, rctl.with_const_bsize::<0>()),
            2049..=4096 => (4096, rctl.with_const_bsize::<3>().with_bsex(true)),
            4097..=8192 => (8192, rctl.with_const_bsize::<2>().with_bsex(true)),
            _ => (16384, rctl.with_const_bsize::<1>().with_bsex(true)),
        }
    }

    /// Receives up to `budget` frames; returns how many descriptors were
    /// processed, and the packets and bytes handed to the stack.
    fn clean_rx(
        &self,
        dev: &Device<Self>,
        ctx: &PollContext<'_, Self>,
        hw: &Hw<'_>,
    ) -> Result<(u32, itr::Work)> {
        let mut guard = self.rx.lock();
        let Some(rx) = &mut *guard else {
            return Ok((0, itr::Work::default()));
        };
        let mut done = 0;
        let mut work = itr::Work::default();
        let rx_all = self.rx_all.load(Ordering::Relaxed);
        let keep_fcs = self.rx_keep_fcs.load(Ordering::Relaxed);
        while done < ctx.budget() {
            let i = rx.next_to_clean;
            let status = kernel::dma_read!(rx.desc, [try: i].status);
            if status & ring::RXD_STAT_DD == 0 {
                break;
            }
            // The rest of the descriptor is read after its DD bit.
            kernel::sync::barrier::smp_rmb();
            let desc = kernel::dma_read!(rx.desc, [try: i]);
            let (len, errors) = (u32::from(desc.length), desc.errors);
            let last = status & ring::RXD_STAT_EOP != 0;
            if !last || rx.discarding || len > rx.bufs.size() as u32 {
                // A frame longer than a buffer (buffers are sized for the
                // MTU; a peer may send more): the device spread it over
                // several descriptors. Drop them all, up to the one marked
                // end-of-packet, counted once: the last piece alone must
                // not pass for a frame (CVE-2009-4536 in C).
                if !rx.discarding {
                    self.stats.rx_length_errors.inc();
                }
                rx.discarding = !last;
            } else if errors & ring::RXD_ERR_FRAME != 0 && !rx_all {
                self.stats.rx_frame_errors.inc();
            } else if len < netdev::ETH_HLEN + ETH_FCS_LEN {
                self.stats.rx_length_errors.inc();
            } else {
                if errors & ring::RXD_ERR_FRAME != 0 {
                    // `rx-all`: counted, and handed up all the same (C).
                    self.stats.rx_frame_errors.inc();
                }
                // The device leaves the frame check sequence in the buffer
                // (as C has it): trimmed here unless `rx-fcs` keeps it,
                // never counted.
                let wire = len - ETH_FCS_LEN;
                let copy = if keep_fcs { len } else { wire };
                match self.receive(dev, ctx, rx, i, &ring::RxDesc { status, ..desc }, copy) {
                    Ok(true) => {
                        work.packets += 1;
                        work.bytes += u64::from(wire);
                    }
                    Ok(false) => {}
                    // The buffer could not be copied out (a length the
                    // frame cannot take): drop the frame, keep the ring
                    // going rather than stop on this descriptor.
                    Err(_) => self.stats.rx_length_errors.inc(),
                }
            }
            kernel::dma_write!(rx.desc, [try: i].status, 0u8);
            kernel::dma_write!(rx.desc, [try: i].errors, 0u8);
            rx.next_to_clean = ring::next(i, rx.count);
            done += 1;
        }
        if done > 0 {
            // Give the processed buffers back, keeping one slot unused.
            let tail = ring::advance(rx.next_to_clean, rx.count - 1, rx.count) as u32;
            hw.io()
                .write(DT::of::<RxDescRing>(), DT::zeroed().with_tail(tail));
        }
        Ok((done, work))
    }

    /// Copies the first `len` bytes of frame `i`, completed as `desc` says,
    /// out of its buffer and hands them to the stack; `false` if the frame
    /// was lost for want of memory.
    fn receive(
        &self,
        dev: &Device<Self>,
        ctx: &PollContext<'_, Self>,
        rx: &RxRing,
        i: usize,
        desc: &ring::RxDesc,
        len: u32,
    ) -> Result<bool> {
        let mut skb = match ctx.run_xdp(&self.xdp, len, |at, page| rx.bufs.copy_out(i, at, page)) {
            Some(XdpVerdict::Pass(skb)) => skb,
            Some(XdpVerdict::Done) => {
                // The program's verdict was carried out (and counted).
                self.count_received(desc);
                return Ok(true);
            }
            None => {
                let Some(mut skb) = ctx.alloc_skb(len) else {
                    // The buffer stays in the ring; the frame is lost.
                    self.stats.rx_alloc_failed.inc();
                    return Ok(false);
                };
                rx.bufs.append_to_skb(i, &mut skb, len)?;
                skb
            }
        };
        self.rx_checksum(&mut skb, desc.status, desc.errors);
        let Ok(class) = skb.eth_type_trans(dev) else {
            // Shorter than an Ethernet header: the device reported a runt.
            self.stats.rx_length_errors.inc();
            skb.drop_reason(DropReason::TooSmall);
            return Ok(true);
        };
        if desc.status & ring::RXD_STAT_VP != 0 {
            skb.set_vlan_tag(desc.special & ring::RXD_SPECIAL_VLAN_ID);
        }
        if class == PacketType::Multicast {
            self.stats.rx_multicast.inc();
        }
        self.count_received(desc);
        ctx.gro_receive(skb);
        Ok(true)
    }

    /// Counts a frame the device received, its frame check sequence
    /// aside.
    fn count_received(&self, desc: &ring::RxDesc) {
        self.stats.rx_packets.inc();
        self.stats.rx_bytes.add(u64::from(
            u32::from(desc.length).saturating_sub(ETH_FCS_LEN),
        ));
    }

    /// Passes on the device's verdict on a received TCP/UDP checksum, as
    /// the C driver reads it (QEMU sets "ignore checksum indication").
    fn rx_checksum(&self, skb: &mut SkBuff, status: u8, errors: u8) {
        if !self.rx_csum.load(Ordering::Relaxed) || status & ring::RXD_STAT_IXSM != 0 {
            return;
        }
        if errors & ring::RXD_ERR_TCPE != 0 {
            // The stack checks it again and drops it if it is bad.
            self.stats.rx_csum_errors.inc();
        } else if status & ring::RXD_STAT_TCPCS != 0 {
            skb.set_checksum_verified();
            self.stats.rx_csum_good.inc();
        }
    }
}

/// The NAPI poll: a link change, transmit completion, then up to `budget`
/// received frames; interrupts are unmasked again when it completes.
impl Poll for E1000 {
    fn poll<'a>(dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a> {
        let e = dev.data();
        let Some(bar) = dev.bound_parent().and_then(|p| e.bar.access(p).ok()) else {
            // The device is going away: stop polling, interrupts stay off.
            return ctx.complete_done(0);
        };
        let hw = Hw(bar);
        if e.link_event.swap(false, Ordering::AcqRel) {
            e.update_link(dev, &hw);
        }
        let tx = e.clean_tx(dev, &ctx).unwrap_or_default();
        let (work, rx) = e.clean_rx(dev, &ctx, &hw).unwrap_or_default();
        let done = ctx.complete_done(work);
        e.adapt_itr(&hw, tx, rx, done.completed());
        if done.completed() {
            hw.irq_enable();
        }
        done
    }
}
