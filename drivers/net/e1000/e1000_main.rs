// SPDX-License-Identifier: GPL-2.0

//! Intel PRO/1000 (82540EM) network driver, as QEMU's `-device e1000`
//! emulates it, written against the safe netdev layer in `rust/netdev`.

#![deny(unsafe_code)]

use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use kernel::debugfs;
use kernel::device::{Bound, Core};
use kernel::devres::Devres;
use kernel::io::Io;
use kernel::irq::{self, IrqReturn};
use kernel::pci;
use kernel::prelude::*;
use kernel::str::CString;
use kernel::sync::aref::ARef;
use kernel::sync::atomic::{Atomic, Relaxed};
use kernel::sync::{new_mutex, Mutex};

// The netdev layer, compiled into this module, is the one place allowed
// to use unchecked code, behind safe functions; the driver has none.
#[allow(unsafe_code)]
#[path = "../../../rust/netdev/mod.rs"]
mod netdev;

mod ethtool;
mod hw;
mod itr;
// The register map is kept whole, as in the data sheet.
#[allow(dead_code)]
mod regs;
mod ring;
mod selftest;

use hw::{Bar0, Hw};
use itr::AdaptiveItr;
use netdev::napi::PollContext;
use netdev::offload;
use netdev::skb_dma;
use netdev::{
    AddrLists, Builder, Counter, Device, DeviceTask, DmaSegment, DropReason, Features, LinkStats64,
    MacAddress, MappedSkb, Napi, Operations, PacketType, Poll, QueueStatsOps, Rtnl, RxQueueStats,
    SkBuff, SpinLockBh, Task, TxOffload, TxOutcome, TxQueueStats,
};
use regs::*;
use ring::{RxRing, TxConsumer, TxProducer, TxRing, TxSkb};

/// Name of the driver, as `ethtool -i` reports it.
pub(crate) const DRIVER_NAME: &str = "rust_e1000";

/// Ring sizes: the C driver's defaults and limits for the 82540.
pub(crate) const RING_DEFAULT: u32 = 256;
pub(crate) const RING_MIN: u32 = 48;
pub(crate) const RING_MAX: u32 = 4096;
pub(crate) const RING_MULTIPLE: u32 = 8;

/// Largest frame the MAC handles (the C driver's `MAX_JUMBO_FRAME_SIZE`)
/// and the MTU range it allows.
const MAX_FRAME: u32 = 0x3F00;
const ETH_FCS_LEN: u32 = 4;
const MAX_MTU: u32 = MAX_FRAME - netdev::ETH_HLEN - ETH_FCS_LEN;

/// Largest frame the stack hands over for segmentation (its default
/// `tso_max_size`).
const TSO_MAX_LEN: u32 = 65536;

/// Transmit descriptors one frame may need, and the free count at which a
/// stopped queue restarts. Each piece of a frame (its linear part, each
/// fragment) takes its length over `TX_MAX_PER_DESC` descriptors, rounded
/// up, so all of them at most the whole length over it plus one each; and
/// a context descriptor comes first.
const TX_DESC_PER_FRAME: usize =
    (TSO_MAX_LEN / ring::TX_MAX_PER_DESC) as usize + skb_dma::MAX_SEGMENTS + 1;
const TX_WAKE_THRESHOLD: usize = TX_DESC_PER_FRAME + 1;

/// Offloads the device has, all on by default as in the C driver (which
/// also has VLAN offloads).
const OFFLOADS: Features =
    Features(Features::SG.0 | Features::HW_CSUM.0 | Features::TSO.0 | Features::RXCSUM.0);

/// How often the watchdog looks at the link and the counters, and how
/// soon it tries again when the RTNL is busy.
const WATCHDOG_MS: u32 = 2000;
const RTNL_RETRY_MS: u32 = 20;

/// Default `NETIF_MSG_*` level: driver, probe, link.
const DEFAULT_MSG_LEVEL: u32 = 0x7;
const NETIF_MSG_LINK: u32 = 0x4;

kernel::pci_device_table!(
    PCI_TABLE,
    MODULE_PCI_TABLE,
    <E1000Driver as pci::Driver>::IdInfo,
    [(pci::DeviceId::from_id(pci::Vendor::INTEL, 0x100e), ())]
);

kernel::module_pci_driver! {
    type: E1000Driver,
    name: "rust_e1000",
    authors: ["rust-nic developers"],
    description: "Intel(R) PRO/1000 (82540EM) network driver in Rust",
    license: "GPL",
}

/// Software counters. Receive counters are written by the NAPI poll,
/// `tx_packets`/`tx_bytes` by transmit completion (also the poll), the
/// other transmit counters by `start_xmit`: one writer each.
#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) rx_packets: Counter,
    pub(crate) rx_bytes: Counter,
    pub(crate) rx_multicast: Counter,
    pub(crate) rx_alloc_failed: Counter,
    pub(crate) rx_length_errors: Counter,
    pub(crate) rx_frame_errors: Counter,
    pub(crate) tx_packets: Counter,
    pub(crate) tx_bytes: Counter,
    pub(crate) tx_dropped: Counter,
    pub(crate) tx_busy: Counter,
    pub(crate) tx_restart_queue: Counter,
    pub(crate) tx_queue_stopped: Counter,
    pub(crate) tx_timeout: Counter,
    pub(crate) rx_csum_good: Counter,
    pub(crate) rx_csum_errors: Counter,
}

/// Hardware counters, accumulated from the clear-on-read registers.
#[derive(Default, Clone, Copy)]
pub(crate) struct HwStats {
    pub(crate) crcerrs: u64,
    pub(crate) algnerrc: u64,
    pub(crate) rxerrc: u64,
    pub(crate) mpc: u64,
    pub(crate) colc: u64,
    pub(crate) rlec: u64,
    pub(crate) ruc: u64,
    pub(crate) roc: u64,
    pub(crate) rnbc: u64,
    pub(crate) xonrxc: u64,
    pub(crate) xontxc: u64,
    pub(crate) xoffrxc: u64,
    pub(crate) xofftxc: u64,
    pub(crate) gprc: u64,
    pub(crate) gptc: u64,
    pub(crate) bprc: u64,
    pub(crate) mprc: u64,
    pub(crate) bptc: u64,
    pub(crate) mptc: u64,
    pub(crate) tpr: u64,
    pub(crate) tpt: u64,
    pub(crate) tsctc: u64,
    pub(crate) tsctfc: u64,
}

impl HwStats {
    fn update(&mut self, hw: &Hw<'_>) {
        let add = |field: &mut u64, reg| *field += u64::from(hw.read(reg));
        add(&mut self.crcerrs, CRCERRS);
        add(&mut self.algnerrc, ALGNERRC);
        add(&mut self.rxerrc, RXERRC);
        add(&mut self.mpc, MPC);
        add(&mut self.colc, COLC);
        add(&mut self.rlec, RLEC);
        add(&mut self.ruc, RUC);
        add(&mut self.roc, ROC);
        add(&mut self.rnbc, RNBC);
        add(&mut self.xonrxc, XONRXC);
        add(&mut self.xontxc, XONTXC);
        add(&mut self.xoffrxc, XOFFRXC);
        add(&mut self.xofftxc, XOFFTXC);
        add(&mut self.gprc, GPRC);
        add(&mut self.gptc, GPTC);
        add(&mut self.bprc, BPRC);
        add(&mut self.mprc, MPRC);
        add(&mut self.bptc, BPTC);
        add(&mut self.mptc, MPTC);
        add(&mut self.tpr, TPR);
        add(&mut self.tpt, TPT);
        add(&mut self.tsctc, TSCTC);
        add(&mut self.tsctfc, TSCTFC);
    }
}

/// The driver's state: the private data of the `net_device`.
#[pin_data]
pub(crate) struct E1000 {
    /// BAR 0, revoked when the PCI device unbinds (after the interface
    /// was unregistered).
    bar: Devres<Bar0>,
    #[pin]
    napi: Napi<E1000>,
    /// The transmit ring's sending side, taken by `start_xmit` only (and
    /// by open and stop)...
    #[pin]
    tx: SpinLockBh<Option<TxProducer>>,
    /// ...and its completion side, taken by the poll: the two run on
    /// different CPUs without waiting for each other.
    #[pin]
    tx_done: SpinLockBh<Option<TxConsumer>>,
    #[pin]
    rx: SpinLockBh<Option<RxRing>>,
    /// The interrupt handler, registered while the interface is up.
    #[pin]
    irq: Mutex<Option<Pin<KBox<irq::Registration<IrqHandler>>>>>,
    /// A link status change waits for the poll.
    link_event: AtomicBool,
    /// Receive checksum offload on (`ethtool -K rx`).
    rx_csum: AtomicBool,
    /// The watchdog, which also resets the device after a transmit
    /// timeout.
    #[pin]
    task: DeviceTask<E1000>,
    /// A transmit timeout asked the watchdog for a reset.
    reset_pending: AtomicBool,
    /// Fault injection for tests, `inject_tx_hang` in debugfs: while
    /// non-zero, new frames are queued but the device is not told, as if
    /// its transmit unit hung; a reset clears it.
    #[pin]
    inject_tx_hang: debugfs::File<Atomic<u32>>,
    pub(crate) tx_ring_size: AtomicU32,
    pub(crate) rx_ring_size: AtomicU32,
    /// `ethtool -C rx-usecs` as the C driver keeps it (see `itr`).
    pub(crate) itr_setting: AtomicU32,
    /// The rate the adaptive settings picked, updated by the poll.
    #[pin]
    itr: SpinLockBh<AdaptiveItr>,
    /// The link is up at 1000 Mbit/s: the adaptive settings only adapt
    /// then, and hold 4000 interrupts/s otherwise, as in C.
    gigabit: AtomicBool,
    pub(crate) msg_level: AtomicU32,
    pub(crate) stats: Stats,
    #[pin]
    pub(crate) hw_stats: SpinLockBh<HwStats>,
}

impl E1000 {
    fn new<'a>(bar: Devres<Bar0>, debug_dir: &'a debugfs::Dir) -> impl PinInit<Self, Error> + 'a {
        try_pin_init!(Self {
            bar,
            napi <- Napi::new(),
            tx <- crate::new_spinlock_bh!(None, "rust_e1000_tx"),
            tx_done <- crate::new_spinlock_bh!(None, "rust_e1000_tx_done"),
            rx <- crate::new_spinlock_bh!(None, "rust_e1000_rx"),
            irq <- new_mutex!(None, "rust_e1000_irq"),
            link_event: AtomicBool::new(false),
            rx_csum: AtomicBool::new(true),
            task <- DeviceTask::new(),
            reset_pending: AtomicBool::new(false),
            inject_tx_hang <- debug_dir.read_write_file(c"inject_tx_hang", Atomic::new(0u32)),
            tx_ring_size: AtomicU32::new(RING_DEFAULT),
            rx_ring_size: AtomicU32::new(RING_DEFAULT),
            itr_setting: AtomicU32::new(3),
            itr <- crate::new_spinlock_bh!(AdaptiveItr::default(), "rust_e1000_itr"),
            gigabit: AtomicBool::new(false),
            msg_level: AtomicU32::new(DEFAULT_MSG_LEVEL),
            stats: Stats::default(),
            hw_stats <- crate::new_spinlock_bh!(HwStats::default(), "rust_e1000_hw_stats"),
        })
    }

    /// Runs `f` with register access. The interface is registered with
    /// devres, so its PCI parent is bound and the BAR mapped whenever a
    /// callback runs; `None` would mean the device is going away.
    pub(crate) fn with_hw<R>(dev: &Device<Self>, f: impl FnOnce(&Hw<'_>) -> R) -> Option<R> {
        let parent = dev.bound_parent()?;
        let bar = dev.data().bar.access(parent).ok()?;
        Some(f(&Hw(bar)))
    }

    /// Programs the interrupt throttling register for the current
    /// `rx-usecs` setting.
    pub(crate) fn program_itr(&self, hw: &Hw<'_>) {
        let rate = self
            .itr
            .lock()
            .rate_for(self.itr_setting.load(Ordering::Relaxed));
        hw.write(ITR, itr::interval(rate));
    }

    /// Changes the `rx-usecs` setting (the caller then programs the
    /// register); an adaptive one starts again from the default rate.
    pub(crate) fn set_itr_setting(&self, setting: u32) {
        self.itr_setting.store(setting, Ordering::Relaxed);
        *self.itr.lock() = AdaptiveItr::default();
    }

    /// Counts a poll's work and, when it re-enables interrupts, lets an
    /// adaptive setting pick the next rate.
    fn adapt_itr(&self, hw: &Hw<'_>, tx: itr::Work, rx: itr::Work, complete: bool) {
        let setting = self.itr_setting.load(Ordering::Relaxed);
        if !AdaptiveItr::adapts(setting) {
            return;
        }
        let mut itr = self.itr.lock();
        itr.add(tx, rx);
        if complete {
            if let Some(rate) = itr.update(setting, self.gigabit.load(Ordering::Relaxed)) {
                hw.write(ITR, itr::interval(rate));
            }
        }
    }

    /// Turns receive TCP/UDP checksum offload on or off: the device only
    /// reports, nothing needs a reset.
    fn program_rx_csum(&self, hw: &Hw<'_>) {
        let on = self.rx_csum.load(Ordering::Relaxed);
        hw.io().update(RXCSUM, |r| r.with_tuofl(on));
    }

    /// Receive buffer size for an MTU, and the receive control value that
    /// selects it.
    fn rx_buffer(mtu: u32) -> (usize, RCTL) {
        let frame = mtu + netdev::ETH_HLEN + ETH_FCS_LEN + netdev::VLAN_HLEN;
        let rctl = RCTL::zeroed();
        match frame {
            0..=2048 => (2048, rctl.with_const_bsize::<0>()),
            2049..=4096 => (4096, rctl.with_const_bsize::<3>().with_bsex(true)),
            4097..=8192 => (8192, rctl.with_const_bsize::<2>().with_bsex(true)),
            _ => (16384, rctl.with_const_bsize::<1>().with_bsex(true)),
        }
    }

    /// Brings the hardware up for `mtu`: rings, registers, interrupt,
    /// NAPI, queue. Undone by `down`, also on failure.
    fn up(dev: &Device<Self>, mtu: u32) -> Result {
        let e = dev.data();
        let parent = dev.bound_parent().ok_or(ENODEV)?;
        let pdev: &pci::Device<Bound> = parent.try_into()?;
        let (buf_size, rctl_size) = Self::rx_buffer(mtu);
        let (tx, tx_done) = TxRing::new(parent, e.tx_ring_size.load(Ordering::Relaxed) as usize)?;
        let rx = RxRing::new(
            parent,
            e.rx_ring_size.load(Ordering::Relaxed) as usize,
            buf_size,
        )?;

        let configured = E1000::with_hw(dev, |hw| {
            hw.setup_link();
            hw.set_rar(0, &dev.mac_address());

            // Transmit unit.
            hw.program_ring(
                TDBAL,
                tx.data().dma_handle(),
                tx.count() * core::mem::size_of::<ring::TxDesc>(),
                0,
            );
            hw.write(TIPG, TIPG_DEFAULT);
            hw.write(TIDV, 8);
            hw.write(TADV, 32);
            hw.io().write_reg(
                TCTL::zeroed()
                    .with_en(true)
                    .with_psp(true)
                    .with_const_ct::<TCTL_CT_DEFAULT>()
                    .with_const_cold::<TCTL_COLD_FULL_DUPLEX>()
                    .with_rtlc(true),
            );

            // Receive unit: every buffer but one goes to the hardware.
            hw.io().write_reg(RCTL::zeroed());
            hw.write(RDTR, 0);
            hw.write(RADV, 8);
            e.program_itr(hw);
            hw.program_ring(
                RDBAL,
                rx.dma_handle(),
                rx.count * core::mem::size_of::<ring::RxDesc>(),
                rx.count - 1,
            );
            e.program_rx_csum(hw);
            // Descriptor threshold half the ring, multicast offset 0: zero.
            hw.io().write_reg(
                rctl_size
                    .with_en(true)
                    .with_bam(true)
                    .with_secrc(true)
                    .with_lpe(mtu > netdev::ETH_DATA_LEN),
            );
            hw.flush();
        });
        configured.ok_or(ENODEV)?;
        *e.tx.lock() = Some(tx);
        *e.tx_done.lock() = Some(tx_done);
        *e.rx.lock() = Some(rx);

        let result = (|| {
            let (registration, irq) =
                request_intx(pdev, c"rust_e1000", IrqHandler { dev: dev.into() })?;
            *e.irq.lock() = Some(registration);
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
            hw.write(ICS, ICR_LSC);
        });
        e.task.schedule(WATCHDOG_MS);
        Ok(())
    }

    /// Takes the hardware down: stops the queue, NAPI and the interrupt,
    /// resets the MAC and frees the rings.
    fn down(dev: &Device<Self>) {
        let e = dev.data();
        dev.stop_queue();
        E1000::with_hw(dev, |hw| {
            hw.io().update(RCTL, |r| r.with_en(false));
            hw.io().update(TCTL, |r| r.with_en(false));
            hw.irq_disable();
        });
        e.napi.disable();
        // Frees the interrupt, waiting for a running handler.
        *e.irq.lock() = None;
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
    fn restore_after_reset(dev: &Device<Self>) {
        E1000::with_hw(dev, |hw| {
            if hw.reset().is_err() {
                pr_err!("{}: MAC reset timed out\n", dev.name());
            }
            hw.setup_link();
            hw.set_rar(0, &dev.mac_address());
        });
    }

    /// Takes a running interface down and up again to apply new ring
    /// sizes or a new MTU (process context, RTNL held).
    pub(crate) fn reinit(dev: &Device<Self>, mtu: u32) -> Result {
        if !dev.is_running() {
            return Ok(());
        }
        Self::down(dev);
        Self::up(dev, mtu)
    }

    /// Follows a link change: carrier and log, as the C driver words it.
    fn update_link(&self, dev: &Device<Self>, hw: &Hw<'_>) {
        match hw.link() {
            Some((speed, full)) => {
                self.gigabit.store(speed == 1000, Ordering::Relaxed);
                if !dev.carrier_ok() {
                    if self.msg_level.load(Ordering::Relaxed) & NETIF_MSG_LINK != 0 {
                        let ctrl = hw.io().read(CTRL);
                        let flow = match (ctrl.rfce(), ctrl.tfce()) {
                            (true, true) => "RX/TX",
                            (true, false) => "RX",
                            (false, true) => "TX",
                            (false, false) => "None",
                        };
                        pr_info!(
                            "{} NIC Link is Up {} Mbps {}, Flow Control: {}\n",
                            dev.name(),
                            speed,
                            if full { "Full Duplex" } else { "Half Duplex" },
                            flow
                        );
                    }
                    dev.carrier_on();
                }
            }
            None => {
                self.gigabit.store(false, Ordering::Relaxed);
                if dev.carrier_ok() {
                    if self.msg_level.load(Ordering::Relaxed) & NETIF_MSG_LINK != 0 {
                        pr_info!("{} NIC Link is Down\n", dev.name());
                    }
                    dev.carrier_off();
                }
            }
        }
    }

    /// Reclaims the descriptors of transmitted frames and restarts a
    /// stopped queue; returns the packets and bytes that left.
    fn clean_tx(&self, dev: &Device<Self>, ctx: &PollContext<'_, Self>) -> Result<itr::Work> {
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
            if status & ring::RXD_STAT_EOP == 0 || len > rx.bufs.size() as u32 {
                // Longer than a buffer: cannot happen with buffers sized
                // for the MTU, unless the peer sends oversize frames.
                self.stats.rx_length_errors.inc();
            } else if errors & ring::RXD_ERR_FRAME != 0 {
                self.stats.rx_frame_errors.inc();
            } else if len < netdev::ETH_HLEN {
                self.stats.rx_length_errors.inc();
            } else if self.receive(dev, ctx, rx, i, &ring::RxDesc { status, ..desc })? {
                work.packets += 1;
                work.bytes += u64::from(len);
            }
            kernel::dma_write!(rx.desc, [try: i].status, 0u8);
            kernel::dma_write!(rx.desc, [try: i].errors, 0u8);
            rx.next_to_clean = ring::next(i, rx.count);
            done += 1;
        }
        if done > 0 {
            // Give the processed buffers back, keeping one slot unused.
            hw.write(
                RDT,
                ring::advance(rx.next_to_clean, rx.count - 1, rx.count) as u32,
            );
        }
        Ok((done, work))
    }

    /// Copies frame `i`, completed as `desc` says, out of its buffer and
    /// hands it to the stack; `false` if it was lost for want of memory.
    fn receive(
        &self,
        dev: &Device<Self>,
        ctx: &PollContext<'_, Self>,
        rx: &RxRing,
        i: usize,
        desc: &ring::RxDesc,
    ) -> Result<bool> {
        let len = u32::from(desc.length);
        let Some(mut skb) = ctx.alloc_skb(len) else {
            // The buffer stays in the ring; the frame is lost.
            self.stats.rx_alloc_failed.inc();
            return Ok(false);
        };
        let (buf, offset) = rx.bufs.get(i).ok_or(EINVAL)?;
        skb.put_from_dma(buf, offset, len)?;
        self.rx_checksum(&mut skb, desc.status, desc.errors);
        let Ok(class) = skb.eth_type_trans(dev) else {
            // Shorter than an Ethernet header: the device reported a runt.
            self.stats.rx_length_errors.inc();
            skb.drop_reason(DropReason::TooSmall);
            return Ok(true);
        };
        if class == PacketType::Multicast {
            self.stats.rx_multicast.inc();
        }
        self.stats.rx_packets.inc();
        self.stats.rx_bytes.add(u64::from(len));
        ctx.gro_receive(skb);
        Ok(true)
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

    /// Takes one frame from `start_xmit`: checks it, puts it on the ring
    /// (the hardware is told by the caller) and stops the queue when the
    /// ring is nearly full.
    fn queue_frame(&self, dev: &Device<Self>, mut skb: SkBuff, tx: &mut TxProducer) -> TxOutcome {
        let too_big = if skb.is_gso() {
            skb.len() > TSO_MAX_LEN
        } else {
            skb.len() > MAX_FRAME - ETH_FCS_LEN
        };
        if too_big || skb.pad_to(netdev::ETH_ZLEN).is_err() {
            return self.drop_frame(skb, DropReason::TooBig);
        }
        let Ok(plan) = TxPlan::new(&mut skb) else {
            return self.drop_frame(skb, DropReason::NotSpecified);
        };
        let queued = if !skb.is_gso() && skb.len() <= ring::TX_COPYBREAK {
            self.copy_frame(dev, skb, &plan, tx)
        } else {
            self.map_frame(dev, skb, &plan, tx)
        };
        let (mut skb, span) = match queued {
            Ok(queued) => queued,
            Err(outcome) => return outcome,
        };
        let len = skb.len();
        skb.tx_timestamp();
        let frame = ring::TxFrame {
            len,
            packets: plan.packets,
            bytes: plan.bytes,
            skb,
        };
        if let Err(frame) = tx.push(span, frame) {
            // Cannot happen: the room was checked.
            return self.drop_frame(frame.skb.into_skb(), DropReason::FullRing);
        }
        dev.sent_queue(len);
        // Stop while a largest frame might not fit; transmit completion
        // restarts the queue.
        if dev.maybe_stop_queue(|| tx.free() > TX_DESC_PER_FRAME) {
            self.stats.tx_queue_stopped.inc();
        }
        TxOutcome::Sent
    }

    /// Copies a short frame into the buffer of its data descriptor and
    /// writes its descriptors. Returns the frame and the descriptors it
    /// took, or what `start_xmit` answers.
    fn copy_frame(
        &self,
        dev: &Device<Self>,
        skb: SkBuff,
        plan: &TxPlan,
        tx: &TxProducer,
    ) -> Result<(TxSkb, usize), TxOutcome> {
        let before = usize::from(plan.context.is_some());
        if tx.free() < before + 1 {
            return Err(self.ring_full(dev, skb));
        }
        let slot = ring::advance(tx.next_slot(), before, tx.count());
        let small = &tx.data().small;
        let (Some((buf, offset)), Some(addr)) = (small.get(slot), small.dma_addr(slot)) else {
            return Err(self.drop_frame(skb, DropReason::NotSpecified));
        };
        let len = skb.len();
        let piece = DmaSegment { addr, len };
        match skb
            .copy_to_dma(0, len, buf, offset)
            .and_then(|()| Self::fill_tx(core::iter::once(piece), plan, tx))
        {
            Ok(span) => Ok((TxSkb::Copied(skb), span)),
            Err(_) => Err(self.drop_frame(skb, DropReason::NotSpecified)),
        }
    }

    /// Maps a frame for the device and writes its descriptors. Returns the
    /// frame and the descriptors it took, or what `start_xmit` answers.
    fn map_frame(
        &self,
        dev: &Device<Self>,
        skb: SkBuff,
        plan: &TxPlan,
        tx: &TxProducer,
    ) -> Result<(TxSkb, usize), TxOutcome> {
        let Some(parent) = dev.bound_parent() else {
            return Err(self.drop_frame(skb, DropReason::DeviceNotReady));
        };
        let skb = MappedSkb::new(parent, skb)
            .map_err(|skb| self.drop_frame(skb, DropReason::NoMemory))?;
        let chunks = || skb_dma::chunks(skb.segments(), ring::TX_MAX_PER_DESC);
        if tx.free() < usize::from(plan.context.is_some()) + chunks().count() {
            return Err(self.ring_full(dev, skb.into_skb()));
        }
        match Self::fill_tx(chunks(), plan, tx) {
            Ok(span) => Ok((TxSkb::Mapped(skb), span)),
            Err(_) => Err(self.drop_frame(skb.into_skb(), DropReason::NotSpecified)),
        }
    }

    /// Hands a frame back to the stack when the ring lacks room for it.
    /// The queue should have been stopped before this.
    fn ring_full(&self, dev: &Device<Self>, skb: SkBuff) -> TxOutcome {
        dev.stop_queue();
        self.stats.tx_busy.inc();
        TxOutcome::Busy(skb)
    }

    /// Drops a frame that cannot be sent, and counts it.
    fn drop_frame(&self, skb: SkBuff, reason: DropReason) -> TxOutcome {
        self.stats.tx_dropped.inc();
        skb.drop_reason(reason);
        TxOutcome::Sent
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
            let mut cmd = ring::TXD_CMD_IFCS | plan.cmd;
            if pieces.peek().is_none() {
                cmd |= ring::TXD_CMD_EOP | ring::TXD_CMD_RS | ring::TXD_CMD_IDE;
            }
            let desc = ring::TxDesc {
                addr: piece.addr,
                length: u16::try_from(piece.len).map_err(|_| EINVAL)?,
                cso: plan.dtyp,
                cmd,
                css: plan.popts,
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

#[vtable]
impl Operations for E1000 {
    fn open(dev: &Device<Self>) -> Result {
        Self::up(dev, dev.mtu())
    }

    fn stop(dev: &Device<Self>) -> Result {
        // The watchdog never waits for the RTNL, which we hold.
        dev.data().task.cancel_sync();
        Self::down(dev);
        Ok(())
    }

    fn start_xmit(dev: &Device<Self>, skb: SkBuff) -> TxOutcome {
        let e = dev.data();
        let mut guard = e.tx.lock();
        let Some(tx) = &mut *guard else {
            e.stats.tx_dropped.inc();
            skb.drop_reason(DropReason::DeviceNotReady);
            return TxOutcome::Sent;
        };
        let outcome = e.queue_frame(dev, skb, tx);
        // One tail write per batch of frames from the stack, as in C: the
        // last frame of a batch writes it even if it was itself dropped.
        if !dev.xmit_may_defer_kick() && e.inject_tx_hang.load(Relaxed) == 0 {
            // The MMIO write orders after the descriptor writes. Without
            // the device (it is going away) the descriptors go with the
            // ring.
            let _ = E1000::with_hw(dev, |hw| hw.write(TDT, tx.next_slot() as u32));
        }
        outcome
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut LinkStats64) {
        let e = dev.data();
        let hw = {
            let mut acc = e.hw_stats.lock();
            let mut copy = *acc;
            if E1000::with_hw(dev, |hw| acc.update(hw)).is_some() {
                copy = *acc;
            }
            copy
        };
        let s = &e.stats;
        let length_errors = s.rx_length_errors.get() + hw.rlec + hw.ruc + hw.roc;
        let crc = hw.crcerrs;
        let frame = s.rx_frame_errors.get() + hw.algnerrc;
        stats
            .rx_packets(s.rx_packets.get())
            .rx_bytes(s.rx_bytes.get())
            .multicast(s.rx_multicast.get())
            .rx_dropped(s.rx_alloc_failed.get())
            .rx_length_errors(length_errors)
            .rx_crc_errors(crc)
            .rx_frame_errors(frame)
            .rx_missed_errors(hw.mpc)
            .rx_errors(length_errors + crc + frame + hw.rxerrc)
            .tx_packets(s.tx_packets.get())
            .tx_bytes(s.tx_bytes.get())
            .tx_dropped(s.tx_dropped.get())
            .collisions(hw.colc);
    }

    fn set_rx_mode(dev: &Device<Self>, addrs: &AddrLists<'_>) {
        E1000::with_hw(dev, |hw| {
            // Receive address 0 is the station address; the other 14
            // take the secondary unicast addresses if they all fit
            // (otherwise: unicast promiscuous), then multicast addresses;
            // the rest of the multicast addresses go to the hash table.
            let use_uc = addrs.unicast_count() < RAR_ENTRIES;
            let promisc = dev.is_promiscuous();
            hw.io().update(RCTL, |r| {
                r.with_upe(promisc || !use_uc)
                    .with_mpe(promisc || dev.is_allmulti())
            });

            let mut next = 1;
            if use_uc {
                for addr in addrs.unicast() {
                    hw.set_rar(next, &addr);
                    next += 1;
                }
            }
            let mut mta = [0u32; MTA_REGS];
            for addr in addrs.multicast() {
                if next < RAR_ENTRIES {
                    hw.set_rar(next, &addr);
                    next += 1;
                } else {
                    let (reg, bit) = hw::mta_hash(&addr);
                    mta[reg] |= 1 << bit;
                }
            }
            for i in next..RAR_ENTRIES {
                hw.clear_rar(i);
            }
            hw.write_mta(&mta);
        });
    }

    fn set_mac_address(dev: &Device<Self>, addr: &MacAddress) -> Result {
        E1000::with_hw(dev, |hw| hw.set_rar(0, addr)).ok_or(ENODEV)
    }

    fn change_mtu(dev: &Device<Self>, new_mtu: u32) -> Result {
        if dev.data().msg_level.load(Ordering::Relaxed) & NETIF_MSG_LINK != 0 {
            pr_info!(
                "{}: changing MTU from {} to {}\n",
                dev.name(),
                dev.mtu(),
                new_mtu
            );
        }
        Self::reinit(dev, new_mtu)
    }

    fn tx_timeout(dev: &Device<Self>, _queue: u32) {
        // The core logged the timeout; a reset needs process context.
        let e = dev.data();
        e.stats.tx_timeout.inc();
        e.reset_pending.store(true, Ordering::Release);
        e.task.schedule(0);
    }

    fn set_features(dev: &Device<Self>, features: Features) -> Result {
        // Transmit offloads only change what the stack hands over; the
        // receive checksum is a register bit: no reset either way.
        let e = dev.data();
        e.rx_csum
            .store(features.contains(Features::RXCSUM), Ordering::Relaxed);
        E1000::with_hw(dev, |hw| e.program_rx_csum(hw));
        Ok(())
    }
}

/// The watchdog: resets the device when asked, follows the link, folds the
/// hardware counters in before they wrap, and flushes a transmit ring the
/// lost link will never drain.
impl Task for E1000 {
    fn run_task(dev: &Device<Self>) {
        let e = dev.data();
        let Some(_rtnl) = Rtnl::try_lock() else {
            e.task.schedule(RTNL_RETRY_MS);
            return;
        };
        if !dev.is_running() {
            return;
        }
        if e.reset_pending.swap(false, Ordering::AcqRel) {
            pr_err!("{}: Reset adapter\n", dev.name());
            if let Err(err) = Self::reinit(dev, dev.mtu()) {
                pr_err!("{}: reset failed: {:?}\n", dev.name(), err);
                return;
            }
        }
        let _ = E1000::with_hw(dev, |hw| {
            e.update_link(dev, hw);
            e.hw_stats.lock().update(hw);
        });
        let tx_pending = e.tx_done.lock().as_ref().is_some_and(|tx| !tx.is_empty());
        if !dev.carrier_ok() && tx_pending {
            e.reset_pending.store(true, Ordering::Release);
            e.task.schedule(0);
            return;
        }
        e.task.schedule(WATCHDOG_MS);
    }
}

/// One queue pair whose counters live as long as the device: queue 0 holds
/// everything, the base adds nothing.
#[vtable]
impl QueueStatsOps for E1000 {
    fn rx_queue_stats(dev: &Device<Self>, _queue: u32, stats: &mut RxQueueStats<'_>) {
        let s = &dev.data().stats;
        stats
            .packets(s.rx_packets.get())
            .bytes(s.rx_bytes.get())
            .alloc_fail(s.rx_alloc_failed.get())
            .csum_unnecessary(s.rx_csum_good.get())
            .csum_bad(s.rx_csum_errors.get());
    }

    fn tx_queue_stats(dev: &Device<Self>, _queue: u32, stats: &mut TxQueueStats<'_>) {
        let s = &dev.data().stats;
        stats
            .packets(s.tx_packets.get())
            .bytes(s.tx_bytes.get())
            .stop(s.tx_queue_stopped.get())
            .wake(s.tx_restart_queue.get());
    }

    fn base_stats(_dev: &Device<Self>, rx: &mut RxQueueStats<'_>, tx: &mut TxQueueStats<'_>) {
        rx.packets(0)
            .bytes(0)
            .alloc_fail(0)
            .csum_unnecessary(0)
            .csum_bad(0);
        tx.packets(0).bytes(0).stop(0).wake(0);
    }
}

impl Poll for E1000 {
    fn poll(dev: &Device<Self>, ctx: &mut PollContext<'_, Self>) -> u32 {
        let e = dev.data();
        let Some(bar) = dev.bound_parent().and_then(|p| e.bar.access(p).ok()) else {
            return 0;
        };
        let hw = Hw(bar);
        if e.link_event.swap(false, Ordering::AcqRel) {
            e.update_link(dev, &hw);
        }
        let tx = e.clean_tx(dev, ctx).unwrap_or_default();
        let (done, rx) = e.clean_rx(dev, ctx, &hw).unwrap_or_default();
        let complete = ctx.complete_done(done);
        e.adapt_itr(&hw, tx, rx, complete);
        if complete {
            hw.irq_enable();
        }
        done
    }
}

/// Requests the device's shared legacy interrupt for `handler`; returns
/// the registration and the interrupt number.
fn request_intx<H: irq::Handler + 'static>(
    pdev: &pci::Device<Bound>,
    name: &'static CStr,
    handler: H,
) -> Result<(Pin<KBox<irq::Registration<H>>>, u32)> {
    let vector = *pdev
        .alloc_irq_vectors(1, 1, pci::IrqTypes::default().with(pci::IrqType::Intx))?
        .start();
    let registration = KBox::pin_init(
        pdev.request_irq(vector, irq::Flags::SHARED, name, Ok::<_, Error>(handler)),
        GFP_KERNEL,
    )?;
    let request: irq::IrqRequest<'_> = vector.try_into()?;
    Ok((registration, request.irq()))
}

/// The interrupt handler, registered while the interface is up.
struct IrqHandler {
    dev: ARef<Device<E1000>>,
}

impl irq::Handler for IrqHandler {
    fn handle(&self, pdev: &kernel::device::Device<Bound>) -> IrqReturn {
        let e = self.dev.data();
        let Ok(bar) = e.bar.access(pdev) else {
            return IrqReturn::None;
        };
        let hw = Hw(bar);
        // Reading the cause register acknowledges it; zero means the
        // shared line was raised by another device.
        let icr = hw.read(ICR);
        if icr == 0 {
            return IrqReturn::None;
        }
        if icr & ICR_LSC != 0 {
            e.link_event.store(true, Ordering::Release);
        }
        // Masked until the poll has run.
        hw.write(IMC, !0);
        e.napi.schedule();
        IrqReturn::Handled
    }
}

/// The PCI driver.
struct E1000Driver;

/// Per-device data of the PCI driver: the interface itself belongs to
/// devres (see `Builder::register_managed`).
struct E1000Pci;

impl pci::Driver for E1000Driver {
    type IdInfo = ();
    type Data<'bound> = E1000Pci;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: &'bound Self::IdInfo,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        probe(pdev).map(|()| E1000Pci)
    }
}

fn probe(pdev: &pci::Device<Core<'_>>) -> Result {
    pdev.enable_device_mem()?;
    pdev.set_master();
    // Plain PCI: the C driver uses 64-bit addressing on PCI-X only.
    netdev::dma::set_mask(pdev, 32)?;
    let bar = pdev
        .iomap_region_sized::<BAR0_SIZE>(0, c"rust_e1000")?
        .into_devres()?;

    let mac = {
        let regs = bar.access(pdev.as_ref())?;
        let hw = Hw(regs);
        hw.reset()?;
        let words = hw.eeprom_read_all()?;
        if !Hw::eeprom_checksum_ok(&words) {
            dev_err!(pdev, "The EEPROM Checksum Is Not Valid\n");
            return Err(EIO);
        }
        let mac = Hw::eeprom_mac(&words);
        if !mac.is_valid_unicast() {
            dev_err!(pdev, "Invalid MAC Address\n");
            return Err(EIO);
        }
        hw.setup_link();
        hw.clear_vfta();
        hw.write_mta(&[0; MTA_REGS]);
        hw.set_rar(0, &mac);
        for i in 1..RAR_ENTRIES {
            hw.clear_rar(i);
        }
        mac
    };

    let debug_name = CString::try_from_fmt(fmt!("rust_e1000-{}", pdev.as_ref().name()))?;
    let debug_dir = debugfs::Dir::new(&debug_name);
    let mut builder = Builder::new(1, 1, E1000::new(bar, &debug_dir))?;
    builder.set_mac_address(&mac)?;
    builder.set_mtu_range(netdev::ETH_MIN_MTU, MAX_MTU)?;
    builder.set_watchdog_timeout_ms(5000);
    builder.set_unicast_filtering();
    builder.set_features(OFFLOADS, OFFLOADS);
    builder.set_ethtool_ops();
    builder.set_queue_stats_ops();
    builder.add_napi(|e| &e.napi);
    builder.add_task(|e| &e.task);
    builder.device().carrier_off();
    builder.register_managed(pdev.as_ref())?;
    dev_info!(pdev, "(PCI:33MHz:32-bit) {}\n", mac);
    dev_info!(pdev, "Intel(R) PRO/1000 Network Connection\n");
    Ok(())
}
