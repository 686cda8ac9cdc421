// SPDX-License-Identifier: GPL-2.0

//! The watchdog (the C driver's `e1000_watchdog`) and link handling:
//! carrier changes and their log messages. A device task is its timer; the
//! run itself is the core's netdev work (`ndo_work`), which holds the RTNL.

use core::sync::atomic::Ordering;

use kernel::io::Io;
use kernel::prelude::*;

use crate::adapter::E1000;
use crate::hw::Hw;
use crate::netdev::{Device, Task};
use crate::regs::*;
use crate::{NETIF_MSG_LINK, WATCHDOG_MS};

/// Bit of the netdev work events ([`crate::netdev::Operations::work`]):
/// the watchdog's run.
pub(crate) const WORK_WATCHDOG: u32 = 1 << 0;

/// The watchdog's timer: it hands the run to the core's netdev work, which
/// takes the RTNL for it.
impl Task for E1000 {
    fn run_task(dev: &Device<Self>) {
        dev.schedule_work(WORK_WATCHDOG);
    }
}

impl E1000 {
    /// The watchdog, from the netdev work with the RTNL held: resets the
    /// device when asked, follows the link, folds the hardware counters in
    /// before they wrap, and flushes a transmit ring the lost link will
    /// never drain. Then it sets its timer again.
    pub(crate) fn watchdog(dev: &Device<Self>) {
        let e = dev.data();
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
            if dev.carrier_ok() {
                e.update_phy_errors(hw, e.gigabit.load(Ordering::Relaxed));
            }
        });
        e.resolve_flow_control(dev);
        let _ = E1000::with_hw(dev, |hw| e.hw_stats.lock().update(hw));
        let tx_pending = e.tx_done.lock().as_ref().is_some_and(|tx| !tx.is_empty());
        if !dev.carrier_ok() && tx_pending {
            e.reset_pending.store(true, Ordering::Release);
            e.task.schedule(0);
            return;
        }
        e.task.schedule(WATCHDOG_MS);
    }
}

impl E1000 {
    /// Logs a link that came up, as the C driver words it, with the flow
    /// control the watchdog resolved for it.
    pub(crate) fn report_link_up(&self, dev: &Device<Self>, hw: &Hw<'_>) {
        if !self.link_up_report.swap(false, Ordering::AcqRel)
            || self.msg_level.load(Ordering::Relaxed) & NETIF_MSG_LINK == 0
        {
            return;
        }
        let Some((speed, full)) = hw.link() else {
            return;
        };
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

    /// Follows a link change: the carrier (the watchdog logs it).
    pub(crate) fn update_link(&self, dev: &Device<Self>, hw: &Hw<'_>) {
        match hw.link() {
            Some((speed, _)) => {
                self.gigabit.store(speed == 1000, Ordering::Relaxed);
                if !dev.carrier_ok() {
                    dev.carrier_on();
                    // The watchdog resolves the new link's flow control
                    // now, and then reports the link with it, as C does.
                    self.link_changed.store(true, Ordering::Release);
                    self.link_up_report.store(true, Ordering::Release);
                    self.task.schedule(0);
                }
            }
            None => {
                self.gigabit.store(false, Ordering::Relaxed);
                if dev.carrier_ok() {
                    self.link_up_report.store(false, Ordering::Release);
                    if self.msg_level.load(Ordering::Relaxed) & NETIF_MSG_LINK != 0 {
                        pr_info!("{} NIC Link is Down\n", dev.name());
                    }
                    dev.carrier_off();
                    self.link_changed.store(true, Ordering::Release);
                }
            }
        }
    }
}
