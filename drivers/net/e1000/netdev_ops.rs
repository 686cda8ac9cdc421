// SPDX-License-Identifier: GPL-2.0

//! The `net_device_ops` of the interface: open and stop, transmit and
//! statistics (which `tx` and `stats` implement), receive filters (station
//! and secondary addresses, multicast table, promiscuous modes), MTU,
//! transmit timeout and features, and the MII ioctls (in `link`).

use core::sync::atomic::Ordering;

use kernel::io::Io;
use kernel::prelude::*;

use crate::adapter::E1000;
use crate::hw;
use crate::netdev::{
    AddrLists, Device, Features, LinkStats64, MacAddress, MiiRequest, Operations, SkBuff,
    Sleepable, TxLock, Xdp,
};
use crate::regs::*;
use crate::NETIF_MSG_LINK;

#[vtable]
impl Operations for E1000 {
    fn open(dev: &Device<Self>) -> Result {
        Self::up(dev, dev.mtu())
    }

    fn stop(dev: &Device<Self>) -> Result {
        // The watchdog's timer never waits for the RTNL, which we hold; a
        // run it already handed to the core's work finds the device down.
        dev.data().task.cancel_sync();
        Self::down(dev);
        Ok(())
    }

    fn mii_ioctl(dev: &Device<Self>, req: MiiRequest, _ctx: &Sleepable) -> Result<u16> {
        crate::link::mii_ioctl(dev, req)
    }

    fn start_xmit(dev: &Device<Self>, skb: SkBuff, _txq: &mut TxLock<'_, Self>) {
        Self::xmit_frame(dev, skb)
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut LinkStats64) {
        Self::fill_link_stats(dev, stats);
    }

    fn set_rx_mode(dev: &Device<Self>, addrs: &AddrLists<'_>) {
        E1000::with_hw(dev, |hw| {
            // Receive address 0 is the station address; the other 14
            // take the secondary unicast addresses if they all fit
            // (otherwise: unicast promiscuous), then multicast addresses;
            // the rest of the multicast addresses go to the hash table.
            let use_uc = addrs.unicast_count() < RAR_ENTRIES;
            let promisc = dev.is_promiscuous();
            let vlan_filter = dev.data().vlan_filtering(promisc);
            hw.io().update(RCTL, |r| {
                r.with_upe(promisc || !use_uc)
                    .with_mpe(promisc || dev.is_allmulti())
                    .with_vfe(vlan_filter)
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

    fn set_mac_address(
        dev: &Device<Self>,
        addr: &MacAddress,
        _ctx: &crate::netdev::Sleepable,
    ) -> Result {
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

    fn work(dev: &Device<Self>, events: u32) {
        if events & crate::watchdog::WORK_WATCHDOG != 0 {
            Self::watchdog(dev);
        }
    }

    fn vlan_rx_add_vid(dev: &Device<Self>, _proto: u16, vid: u16, _ctx: &Sleepable) -> Result {
        Self::add_vlan(dev, vid)
    }

    fn vlan_rx_kill_vid(dev: &Device<Self>, _proto: u16, vid: u16, _ctx: &Sleepable) -> Result {
        Self::kill_vlan(dev, vid)
    }

    fn xdp(dev: &Device<Self>) -> &Xdp {
        &dev.data().xdp
    }

    fn fix_features(_dev: &Device<Self>, wanted: Features) -> Features {
        crate::vlan::fix_features(wanted)
    }

    fn set_features(dev: &Device<Self>, features: Features) -> Result {
        // Transmit offloads only change what the stack hands over; the
        // receive checksum, the VLAN mode and `rx-all` are register bits,
        // `rx-fcs` is the poll's: no reset for any (C resets for the
        // checksum and `rx-all`: Documentation/e1000.rst).
        if features.contains(Features::HW_VLAN_CTAG_RX)
            != dev.features().contains(Features::HW_VLAN_CTAG_RX)
        {
            Self::apply_vlan_features(dev, features);
        }
        let e = dev.data();
        e.rx_csum
            .store(features.contains(Features::RXCSUM), Ordering::Relaxed);
        e.rx_keep_fcs
            .store(features.contains(Features::RXFCS), Ordering::Relaxed);
        let rx_all = features.contains(Features::RXALL);
        let rx_all_changed = e.rx_all.swap(rx_all, Ordering::Relaxed) != rx_all;
        E1000::with_hw(dev, |hw| {
            e.program_rx_csum(hw);
            if rx_all_changed {
                let filter = e.vlan_filtering(dev.is_promiscuous());
                hw.io().update(RCTL, |r| e.with_rx_all(r).with_vfe(filter));
            }
        });
        Ok(())
    }
}
