// SPDX-License-Identifier: GPL-2.0

//! The watchdog task (the C driver's `e1000_watchdog`) and link handling:
//! carrier changes and their log messages.

use core::sync::atomic::Ordering;

use kernel::io::Io;
use kernel::prelude::*;

use crate::adapter::E1000;
use crate::hw::Hw;
use crate::netdev::{Device, Rtnl, Task};
use crate::regs::*;
use crate::{NETIF_MSG_LINK, RTNL_RETRY_MS, WATCHDOG_MS};

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

impl E1000 {
    /// Follows a link change: carrier and log, as the C driver words it.
    pub(crate) fn update_link(&self, dev: &Device<Self>, hw: &Hw<'_>) {
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
}
