// SPDX-License-Identifier: GPL-2.0

//! The driver's state, the private data of the `net_device` (the C
//! driver's `struct e1000_adapter`): its constructor, register access and
//! the interrupt throttling setting.

use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use kernel::debugfs;
use kernel::devres::Devres;
use kernel::io::Io;
use kernel::prelude::*;
use kernel::sync::atomic::Atomic;
use kernel::sync::Mutex;

use crate::hw::{Bar0, Hw};
use crate::itr::{self, AdaptiveItr};
use crate::netdev::{Device, DeviceTask, FailAlloc, Napi, SpinLockBh, Xdp};
use crate::phy::LinkConfig;
use crate::regs::*;
use crate::ring::{RxRing, TxConsumer, TxSender};
use crate::stats::{HwStats, Stats};
use crate::vlan::VlanTable;
use crate::{DEFAULT_MSG_LEVEL, RING_DEFAULT};

/// Bytes of a received frame beyond its MTU that an XDP program sees:
/// the Ethernet header, a VLAN tag, and the frame check sequence
/// (`rx-fcs`).
const XDP_OVERHEAD: u32 = crate::netdev::ETH_HLEN + crate::netdev::VLAN_HLEN + crate::ETH_FCS_LEN;

/// The driver's state: the private data of the `net_device`.
#[pin_data]
pub(crate) struct E1000 {
    /// BAR 0, revoked when the PCI device unbinds (after the interface
    /// was unregistered).
    pub(crate) bar: Devres<Bar0>,
    #[pin]
    pub(crate) napi: Napi<E1000>,
    /// Native XDP: programs run in `napi`'s poll (`rx`).
    pub(crate) xdp: Xdp,
    /// The transmit ring's sending side, taken by `start_xmit` only (and
    /// by open and stop)...
    #[pin]
    pub(crate) tx: SpinLockBh<Option<TxSender>>,
    /// ...and its completion side, taken by the poll: the two run on
    /// different CPUs without waiting for each other.
    #[pin]
    pub(crate) tx_done: SpinLockBh<Option<TxConsumer>>,
    #[pin]
    pub(crate) rx: SpinLockBh<Option<RxRing>>,
    /// The interrupt self-test owns the handler: it records the causes
    /// in `irq_test_seen` and schedules nothing.
    pub(crate) irq_test: AtomicBool,
    pub(crate) irq_test_seen: AtomicU32,
    /// A link status change waits for the poll.
    pub(crate) link_event: AtomicBool,
    /// The carrier changed since the watchdog last resolved flow control.
    pub(crate) link_changed: AtomicBool,
    /// The carrier came on and the watchdog has yet to log it.
    pub(crate) link_up_report: AtomicBool,
    /// Receive checksum offload on (`ethtool -K rx`).
    pub(crate) rx_csum: AtomicBool,
    /// Frames with errors handed up too (`ethtool -K rx-all`).
    pub(crate) rx_all: AtomicBool,
    /// The frame check sequence handed up with each frame (`-K rx-fcs`).
    pub(crate) rx_keep_fcs: AtomicBool,
    /// The watchdog, which also resets the device after a transmit
    /// timeout.
    #[pin]
    pub(crate) task: DeviceTask<E1000>,
    /// A transmit timeout asked the watchdog for a reset.
    pub(crate) reset_pending: AtomicBool,
    /// Fault injection for tests, `inject_tx_hang` in debugfs: while
    /// non-zero, new frames are queued but the device is not told, as if
    /// its transmit unit hung; a reset clears it.
    #[pin]
    pub(crate) inject_tx_hang: debugfs::File<Atomic<u32>>,
    /// Allocation failure injection for tests, `fail_alloc` in debugfs
    /// (see `netdev::FailAlloc`).
    #[pin]
    pub(crate) fail_alloc: debugfs::File<FailAlloc>,
    pub(crate) tx_ring_size: AtomicU32,
    pub(crate) rx_ring_size: AtomicU32,
    /// `ethtool -C rx-usecs` as the C driver keeps it (see `itr`).
    pub(crate) itr_setting: AtomicU32,
    /// The rate the adaptive settings picked, updated by the poll.
    #[pin]
    pub(crate) itr: SpinLockBh<AdaptiveItr>,
    /// The link is up at 1000 Mbit/s: the adaptive settings only adapt
    /// then, and hold 4000 interrupts/s otherwise, as in C.
    pub(crate) gigabit: AtomicBool,
    pub(crate) msg_level: AtomicU32,
    /// Wake-on-LAN filter bits (C `adapter->wol`, see `wol`).
    pub(crate) wol: AtomicU32,
    /// The link settings (`ethtool -s`, `-A`, the MII ioctls; see `phy`).
    #[pin]
    pub(crate) link: Mutex<LinkConfig>,
    /// The VLANs registered on the interface (see `vlan`)...
    #[pin]
    pub(crate) vlans: Mutex<VlanTable>,
    /// ...and whether there is one, for `set_rx_mode`, which cannot sleep.
    pub(crate) vlans_in_use: AtomicU32,
    /// The LED values of `ethtool -p` (see `led`).
    pub(crate) leds: crate::led::Leds,
    pub(crate) stats: Stats,
    /// The PHY's idle and receive errors, as the watchdog adds them up
    /// (reported in the `ethtool -d` dump, see `regs_dump`).
    pub(crate) phy_idle_errors: AtomicU32,
    pub(crate) phy_receive_errors: AtomicU32,
    /// The PCI revision, in the dump's version.
    pub(crate) revision: u8,
    #[pin]
    pub(crate) hw_stats: SpinLockBh<HwStats>,
}

impl E1000 {
    /// The private data of an interface on BAR 0, waking on `wol` (filter
    /// bits), its link set up as `link`, of PCI revision `revision`, with its
    /// fault injection file in `debug_dir`.
    pub(crate) fn new<'a>(
        bar: Devres<Bar0>,
        wol: u32,
        link: LinkConfig,
        revision: u8,
        debug_dir: &'a debugfs::Dir,
    ) -> impl PinInit<Self, Error> + 'a {
        try_pin_init!(Self {
            bar,
            napi <- Napi::new(),
            xdp: Xdp::new(XDP_OVERHEAD),
            tx <- crate::new_spinlock_bh!(None, "rust_e1000_tx"),
            tx_done <- crate::new_spinlock_bh!(None, "rust_e1000_tx_done"),
            rx <- crate::new_spinlock_bh!(None, "rust_e1000_rx"),
            irq_test: AtomicBool::new(false),
            irq_test_seen: AtomicU32::new(0),
            link_event: AtomicBool::new(false),
            link_changed: AtomicBool::new(false),
            link_up_report: AtomicBool::new(false),
            rx_csum: AtomicBool::new(true),
            rx_all: AtomicBool::new(false),
            rx_keep_fcs: AtomicBool::new(false),
            task <- DeviceTask::new(),
            reset_pending: AtomicBool::new(false),
            inject_tx_hang <- debug_dir.read_write_file(c"inject_tx_hang", Atomic::new(0u32)),
            fail_alloc <- debug_dir.read_write_file(c"fail_alloc", FailAlloc::new()),
            tx_ring_size: AtomicU32::new(RING_DEFAULT),
            rx_ring_size: AtomicU32::new(RING_DEFAULT),
            itr_setting: AtomicU32::new(3),
            itr <- crate::new_spinlock_bh!(AdaptiveItr::default(), "rust_e1000_itr"),
            gigabit: AtomicBool::new(false),
            msg_level: AtomicU32::new(DEFAULT_MSG_LEVEL),
            wol: AtomicU32::new(wol),
            link <- kernel::new_mutex!(link, "rust_e1000_link"),
            vlans <- kernel::new_mutex!(VlanTable::default(), "rust_e1000_vlans"),
            vlans_in_use: AtomicU32::new(0),
            leds: crate::led::Leds::default(),
            stats: Stats::default(),
            phy_idle_errors: AtomicU32::new(0),
            phy_receive_errors: AtomicU32::new(0),
            revision,
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
        hw.io()
            .write_reg(ITR::zeroed().with_interval(itr::interval(rate)));
    }

    /// Changes the `rx-usecs` setting (the caller then programs the
    /// register); an adaptive one starts again from the default rate.
    pub(crate) fn set_itr_setting(&self, setting: u32) {
        self.itr_setting.store(setting, Ordering::Relaxed);
        *self.itr.lock() = AdaptiveItr::default();
    }

    /// Counts a poll's work and, when it re-enables interrupts, lets an
    /// adaptive setting pick the next rate.
    pub(crate) fn adapt_itr(&self, hw: &Hw<'_>, tx: itr::Work, rx: itr::Work, complete: bool) {
        let setting = self.itr_setting.load(Ordering::Relaxed);
        if !AdaptiveItr::adapts(setting) {
            return;
        }
        let mut itr = self.itr.lock();
        itr.add(tx, rx);
        if complete {
            if let Some(rate) = itr.update(setting, self.gigabit.load(Ordering::Relaxed)) {
                hw.io()
                    .write_reg(ITR::zeroed().with_interval(itr::interval(rate)));
            }
        }
    }
}
