// SPDX-License-Identifier: GPL-2.0

//! What rides on the control queue, as C virtio_net does it: the receive
//! mode (promiscuous, all-multicast, the unicast and multicast filter
//! tables, `VIRTIO_NET_F_CTRL_RX`), the station address
//! (`VIRTIO_NET_F_CTRL_MAC_ADDR`), the VLAN filter
//! (`VIRTIO_NET_F_CTRL_VLAN`) and the acknowledgement of an announcement
//! (`VIRTIO_NET_F_GUEST_ANNOUNCE`).
//!
//! Each command is sent from process context (the layers' [`Sleepable`]
//! proves it) and waited for. A command the device refuses is reported
//! with C's message; like C, the driver goes on (a refused VLAN or filter
//! table does not fail the request that caused it).

use core::pin::Pin;

use kernel::prelude::*;

use crate::iface::VirtnetIface;
use crate::netdev::{AddrList, Device, MacAddress, Sleepable};
use crate::virtio::net::{ctrl, feature};
use crate::virtio::{CtrlCmd, CtrlQueue, Device as VirtioDevice};

/// The control queue, if the device has one, and the commands the device
/// takes on it.
pub(crate) struct Ctrl {
    queue: Option<Pin<KBox<CtrlQueue>>>,
    /// `VIRTIO_NET_F_CTRL_RX`: receive modes and filter tables.
    rx: bool,
    /// `VIRTIO_NET_F_CTRL_MAC_ADDR`: the station address.
    mac_addr: bool,
}

impl Ctrl {
    /// The commands `dev` takes on `queue` (none without a queue).
    pub(crate) fn new(
        dev: &VirtioDevice<kernel::device::Bound>,
        queue: Option<Pin<KBox<CtrlQueue>>>,
    ) -> Self {
        let has = |bit| queue.is_some() && dev.has_feature(bit);
        Self {
            rx: has(feature::CTRL_RX),
            mac_addr: has(feature::CTRL_MAC_ADDR),
            queue,
        }
    }

    /// Sends command `cmd` of `class` with `data`; `false` if the device
    /// has no control queue or did not take it.
    fn send(&self, class: u8, cmd: u8, data: &[&[u8]], ctx: &Sleepable) -> Result<bool> {
        let Some(queue) = &self.queue else {
            return Ok(false);
        };
        Ok(queue.send(CtrlCmd::new(class, cmd, data)?, ctx).is_ok())
    }
}

/// One filter table of `MAC_TABLE_SET`: the count in the device's byte
/// order, then the addresses.
fn mac_table(queue: &CtrlQueue, addrs: &AddrList<'_>) -> Result<KVec<u8>> {
    let mut table = KVec::with_capacity(4 + 6 * addrs.len(), GFP_KERNEL)?;
    table.extend_from_slice(&[0; 4], GFP_KERNEL)?;
    let mut count = 0u32;
    for addr in addrs.iter() {
        table.extend_from_slice(&addr.0, GFP_KERNEL)?;
        count += 1;
    }
    table[..4].copy_from_slice(&queue.u32_bytes(count));
    Ok(table)
}

/// Programs the device's receive filter (C `virtnet_rx_mode_work`):
/// promiscuous and all-multicast modes from the interface flags, then the
/// unicast and multicast tables. Without `VIRTIO_NET_F_CTRL_RX` the device
/// receives everything and there is nothing to do. Only running out of
/// memory is an error (the core tries again later).
pub(crate) fn set_rx_mode(
    dev: &Device<VirtnetIface>,
    uc: &AddrList<'_>,
    mc: &AddrList<'_>,
    ctx: &Sleepable,
) -> Result {
    let this = &dev.data().ctrl;
    let Some(queue) = this.queue.as_deref().filter(|_| this.rx) else {
        return Ok(());
    };
    let onoff = |on: bool| if on { "en" } else { "dis" };
    let promisc = dev.is_promiscuous();
    if !this.send(ctrl::RX, ctrl::RX_PROMISC, &[&[u8::from(promisc)]], ctx)? {
        pr_warn!(
            "{}: Failed to {}able promisc mode.\n",
            dev.name(),
            onoff(promisc)
        );
    }
    let allmulti = dev.is_allmulti();
    if !this.send(ctrl::RX, ctrl::RX_ALLMULTI, &[&[u8::from(allmulti)]], ctx)? {
        pr_warn!(
            "{}: Failed to {}able allmulti mode.\n",
            dev.name(),
            onoff(allmulti)
        );
    }
    let unicast = mac_table(queue, uc)?;
    let multicast = mac_table(queue, mc)?;
    if !this.send(ctrl::MAC, ctrl::MAC_TABLE_SET, &[&unicast, &multicast], ctx)? {
        pr_warn!("{}: Failed to set MAC filter table.\n", dev.name());
    }
    Ok(())
}

/// Gives the device a new station address (C `virtnet_set_mac_address`):
/// through the control queue with `VIRTIO_NET_F_CTRL_MAC_ADDR`, refused
/// with `EINVAL` if the device does not take it; without the feature the
/// address changes in the interface only, as C does on a virtio 1.0
/// device.
pub(crate) fn set_mac_address(
    dev: &Device<VirtnetIface>,
    addr: &MacAddress,
    ctx: &Sleepable,
) -> Result {
    let this = &dev.data().ctrl;
    if this.mac_addr && !this.send(ctrl::MAC, ctrl::MAC_ADDR_SET, &[&addr.0], ctx)? {
        pr_warn!("{}: Failed to set mac address by vq command.\n", dev.name());
        return Err(EINVAL);
    }
    Ok(())
}

/// Adds (`add`) or removes VLAN `vid` from the device's filter (C
/// `virtnet_vlan_rx_add_vid`, `kill_vid`). A refusal is reported, not
/// returned, as C does.
pub(crate) fn vlan(dev: &Device<VirtnetIface>, add: bool, vid: u16, ctx: &Sleepable) -> Result {
    let this = &dev.data().ctrl;
    let Some(queue) = this.queue.as_deref() else {
        return Ok(());
    };
    let cmd = if add { ctrl::VLAN_ADD } else { ctrl::VLAN_DEL };
    if !this.send(ctrl::VLAN, cmd, &[&queue.u16_bytes(vid)], ctx)? {
        let what = if add { "add" } else { "kill" };
        pr_warn!("{}: Failed to {} VLAN ID {}.\n", dev.name(), what, vid);
    }
    Ok(())
}

/// Acknowledges the device's request for an announcement, once the peers
/// were told (C `virtnet_ack_link_announce`).
pub(crate) fn ack_announce(dev: &Device<VirtnetIface>, ctx: &Sleepable) {
    let this = &dev.data().ctrl;
    if !matches!(
        this.send(ctrl::ANNOUNCE, ctrl::ANNOUNCE_ACK, &[], ctx),
        Ok(true)
    ) {
        pr_warn!("{}: Failed to ack link announce.\n", dev.name());
    }
}

/// Tells the device the station address the interface got (a random one:
/// the device had none), as C does at probe; the probe fails if the
/// device refuses it.
pub(crate) fn tell_mac(dev: &Device<VirtnetIface>, ctx: &Sleepable) -> Result {
    let this = &dev.data().ctrl;
    let addr = dev.mac_address();
    if this.mac_addr && !this.send(ctrl::MAC, ctrl::MAC_ADDR_SET, &[&addr.0], ctx)? {
        pr_debug!("virtio_net: setting MAC address failed\n");
        return Err(EINVAL);
    }
    Ok(())
}
