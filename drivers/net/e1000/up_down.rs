// SPDX-License-Identifier: GPL-2.0

//! Bringing the hardware up and down (the C driver's `e1000_up`,
//! `e1000_down` and `e1000_reinit_locked`): ring allocation, transmit
//! and receive unit set-up, the interrupt and NAPI, and the MAC reset.

use core::sync::atomic::Ordering;

use kernel::io::Io;
use kernel::prelude::*;
use kernel::sync::atomic::Relaxed;

use crate::adapter::E1000;
use crate::netdev::{self, Device};
use crate::regs::*;
use crate::ring::{self, RxRing, TxConsumer, TxRing, TxSender};
use crate::WATCHDOG_MS;

impl E1000 {
    /// Brings the hardware up for `mtu`: rings, registers, interrupt,
    /// NAPI, queue. Undone by `down`, also on failure.
    pub(crate) fn up(dev: &Device<Self>, mtu: u32) -> Result {
        let rings = Self::alloc_rings(dev, mtu)?;
        Self::up_with(dev, mtu, rings)
    }

    /// Allocates the rings for the configured sizes and `mtu`.
    fn alloc_rings(dev: &Device<Self>, mtu: u32) -> Result<Rings> {
        let e = dev.data();
        let parent = dev.bound_parent().ok_or(ENODEV)?;
        // Failure injection (debugfs `fail_alloc`) reaches the rings too.
        dev.check_alloc()?;
        let (tx, tx_done) = TxRing::new(parent, e.tx_ring_size.load(Ordering::Relaxed) as usize)?;
        let rx = RxRing::new(
            parent,
            e.rx_ring_size.load(Ordering::Relaxed) as usize,
            Self::rx_buffer(mtu).0,
        )?;
        Ok(Rings { tx, tx_done, rx })
    }

    /// `up`, with rings already allocated.
    fn up_with(dev: &Device<Self>, mtu: u32, rings: Rings) -> Result {
        let e = dev.data();
        let Rings { tx, tx_done, rx } = rings;
        let rctl_size = Self::rx_buffer(mtu).1;

        // The link was set up by the reset that came before (probe or
        // `down`), as in C.
        let configured = E1000::with_hw(dev, |hw| {
            hw.set_rar(0, &dev.mac_address());

            // Transmit unit.
            hw.program_ring::<TxDescRing>(
                tx.ring.data().dma_handle(),
                tx.ring.count() * core::mem::size_of::<ring::TxDesc>(),
                0,
            );
            hw.io().write_reg(
                TIPG::zeroed()
                    .with_const_ipgt::<TIPG_IPGT_COPPER>()
                    .with_const_ipgr1::<TIPG_IPGR1_DEFAULT>()
                    .with_const_ipgr2::<TIPG_IPGR2_DEFAULT>(),
            );
            hw.io().write_reg(TIDV::zeroed().with_const_delay::<8>());
            hw.io().write_reg(TADV::zeroed().with_const_delay::<32>());
            hw.io().write_reg(
                TCTL::zeroed()
                    .with_en(true)
                    .with_psp(true)
                    .with_const_ct::<TCTL_CT_DEFAULT>()
                    .with_const_cold::<TCTL_COLD>()
                    .with_rtlc(true),
            );

            // Receive unit: every buffer but one goes to the hardware.
            hw.io().write_reg(RCTL::zeroed());
            hw.io().write_reg(RDTR::zeroed());
            hw.io().write_reg(RADV::zeroed().with_const_delay::<8>());
            e.program_itr(hw);
            hw.program_ring::<RxDescRing>(
                rx.dma_handle(),
                rx.count * core::mem::size_of::<ring::RxDesc>(),
                rx.count - 1,
            );
            e.program_rx_csum(hw);
            // Descriptor threshold half the ring, multicast offset 0: zero.
            // The frame check sequence stays with the frame (no `SECRC`),
            // as C has it, for `rx-fcs`; the poll trims it.
            hw.io().write_reg(
                e.with_rx_all(
                    rctl_size
                        .with_en(true)
                        .with_bam(true)
                        .with_lpe(mtu > netdev::ETH_DATA_LEN),
                ),
            );
            Self::restore_vlans(dev, hw);
            hw.flush();
        });
        configured.ok_or(ENODEV)?;
        *e.tx.lock() = Some(tx);
        *e.tx_done.lock() = Some(tx_done);
        *e.rx.lock() = Some(rx);

        let result = (|| {
            let irq = dev.request_intx()?;
            e.napi.set_irq(irq);
            // Netlink and busy polling see which instance serves queue 0.
            e.napi.enable_for_queue(0)
        })();
        if let Err(err) = result {
            Self::down(dev);
            return Err(err);
        }

        dev.start_queue();
        // Look at the link now: the interrupt below runs the poll.
        e.link_event.store(true, Ordering::Release);
        E1000::with_hw(dev, |hw| {
            hw.irq_enable();
            hw.io().write_reg(ICS::zeroed().with_causes(ICR_LSC));
        });
        e.task.schedule(WATCHDOG_MS);
        Ok(())
    }

    /// Takes the hardware down: stops the queue, NAPI and the interrupt,
    /// resets the MAC and frees the rings.
    pub(crate) fn down(dev: &Device<Self>) {
        let e = dev.data();
        dev.stop_queue();
        E1000::with_hw(dev, |hw| {
            hw.io().update(RCTL, |r| r.with_en(false));
            hw.io().update(TCTL, |r| r.with_en(false));
            hw.irq_disable();
        });
        e.napi.disable();
        // Frees the interrupt, waiting for a running handler.
        dev.free_intx();
        Self::restore_after_reset(dev);
        // The device no longer touches the rings.
        e.inject_tx_hang.store(0, Relaxed);
        *e.tx.lock() = None;
        *e.tx_done.lock() = None;
        *e.rx.lock() = None;
        dev.reset_queue();
        dev.carrier_off();
    }

    /// Resets the MAC and programs what must survive a reset: the link set-up
    /// and the station address.
    pub(crate) fn restore_after_reset(dev: &Device<Self>) {
        let mut link = dev.data().link.lock();
        E1000::with_hw(dev, |hw| {
            if hw.reset().is_err() {
                pr_err!("{}: MAC reset timed out\n", dev.name());
            }
            if hw.setup_link(&mut link).is_err() {
                pr_err!("{}: Hardware Error\n", dev.name());
            }
            hw.set_vlan_ethertype();
            hw.set_rar(0, &dev.mac_address());
        });
    }

    /// Takes a running interface down and up again to apply new ring
    /// sizes or a new MTU (process context, RTNL held).
    /// The new rings are allocated first: when memory is short the
    /// interface keeps running as it was (C allocates them before freeing
    /// the old ones too).
    pub(crate) fn reinit(dev: &Device<Self>, mtu: u32) -> Result {
        if !dev.is_running() {
            return Ok(());
        }
        let rings = Self::alloc_rings(dev, mtu)?;
        Self::down(dev);
        Self::up_with(dev, mtu, rings)
    }
}

/// The rings of a running interface, allocated before it is (re)started.
struct Rings {
    tx: TxSender,
    tx_done: TxConsumer,
    rx: RxRing,
}
