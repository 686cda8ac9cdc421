// SPDX-License-Identifier: GPL-2.0

//! Virtio network driver, for QEMU's `-device virtio-net-pci`, written
//! against the safe virtio layer in `rust/virtio`.
//!
//! It binds the virtio network devices the C `virtio_net` driver binds
//! (same ID table, so udev loads it the same way), negotiates the features
//! it lists, reads the MAC address, the link status and the MTU from the
//! configuration space, finds the receive and transmit queues, and
//! registers an interface (`iface`) with that address and the link as its
//! carrier, which follows link changes. Receive uses mergeable buffers
//! from a page pool with `VIRTIO_NET_F_MRG_RXBUF`, small ones without
//! (`rx`, `rx_mergeable`, `rx_small`); transmit completes from its own
//! NAPI poll (`tx`). With a control queue, the receive filter, the station
//! address, the VLAN filter and announcements go through it (`ctrl`). See
//! Documentation/virtio-net.rst.

#![deny(unsafe_code)]

// The virtio and netdev layers, compiled into this module, are the one
// place allowed to use unchecked code, behind safe functions; the driver
// has none.
#[allow(unsafe_code)]
#[path = "../../../rust/netdev/mod.rs"]
mod netdev;
#[allow(unsafe_code)]
#[path = "../../../rust/virtio/mod.rs"]
mod virtio;

mod ctrl;
mod ethtool;
mod iface;
mod qstats;
mod ring;
mod rx;
mod rx_mergeable;
mod rx_small;
mod tx;

use core::pin::Pin;
use core::sync::atomic::{AtomicBool, Ordering};

use kernel::debugfs;
use kernel::device::{Bound, Core};
use kernel::prelude::*;
use kernel::revocable::Revocable;
use kernel::str::CString;
use kernel::sync::aref::ARef;

use ctrl::Ctrl;
use ethtool::DeviceLink;
use iface::VirtnetIface;
use netdev::{page_pool::MAX_FRAG, Builder, Features, MacAddress, Registration, Rtnl, Sleepable};
use rx::RxVq;
use rx_mergeable::Mergeable;
use virtio::{net, CtrlCmd, CtrlQueue, RxFrag, RxSkb, Token, TxFrame, Virtqueue};

/// The features this driver handles, which the core intersects with the
/// device's. `VIRTIO_NET_F_CTRL_GUEST_OFFLOADS` changes nothing while no
/// receive offload is negotiated (C lists it too: it then offers no
/// `GRO_HW`).
const FEATURES: [u32; 12] = [
    virtio::feature::VERSION_1,
    net::feature::MAC,
    net::feature::MRG_RXBUF,
    net::feature::STATUS,
    net::feature::MTU,
    net::feature::SPEED_DUPLEX,
    net::feature::CTRL_VQ,
    net::feature::CTRL_RX,
    net::feature::CTRL_VLAN,
    net::feature::GUEST_ANNOUNCE,
    net::feature::CTRL_MAC_ADDR,
    net::feature::CTRL_GUEST_OFFLOADS,
];

/// The features that need the control queue, by name, which C refuses to
/// bind a device with if it lacks the queue (`virtnet_validate_features`;
/// of C's list, those this driver negotiates).
const NEED_CTRL_VQ: [(u32, &str); 4] = [
    (net::feature::CTRL_RX, "VIRTIO_NET_F_CTRL_RX"),
    (net::feature::CTRL_VLAN, "VIRTIO_NET_F_CTRL_VLAN"),
    (net::feature::GUEST_ANNOUNCE, "VIRTIO_NET_F_GUEST_ANNOUNCE"),
    (net::feature::CTRL_MAC_ADDR, "VIRTIO_NET_F_CTRL_MAC_ADDR"),
];

/// The virtio driver.
struct VirtioNetDriver;

/// Per-device data.
#[pin_data]
struct VirtioNet {
    /// The link as last seen, to log changes only.
    link_up: AtomicBool,
    /// The interface, unregistered in `remove` (before the layer resets
    /// the device, as C does), by revoking it.
    #[pin]
    iface: Revocable<Registration<VirtnetIface>>,
}

/// The largest MTU without `VIRTIO_NET_F_MTU` (C's `MAX_MTU`).
const MAX_MTU: u32 = 65535;

/// Whether the link is up: from the status field with
/// `VIRTIO_NET_F_STATUS`, else always (as C assumes).
fn link_up(dev: &virtio::Device<Bound>, ctx: &Sleepable) -> bool {
    dev.read_config(&net::STATUS, ctx)
        .is_none_or(|status| status & net::status::LINK_UP != 0)
}

crate::virtio_device_table!(
    ID_TABLE,
    MODULE_ID_TABLE,
    <VirtioNetDriver as virtio::Driver>::IdInfo,
    [(virtio::DeviceId::new(net::ID), ())]
);

#[vtable]
impl virtio::Driver for VirtioNetDriver {
    type IdInfo = ();
    type Data<'bound> = VirtioNet;

    const ID_TABLE: virtio::IdTable<Self::IdInfo> = &ID_TABLE;
    const FEATURES: &'static [u32] = &FEATURES;

    fn validate(dev: &mut virtio::Validation<'_, '_>) -> Result {
        if !dev.has_feature(net::feature::CTRL_VQ) {
            if let Some((_, name)) = NEED_CTRL_VQ.iter().find(|(bit, _)| dev.has_feature(*bit)) {
                dev_err!(
                    dev.as_ref(),
                    "device advertises feature {} but not VIRTIO_NET_F_CTRL_VQ",
                    name
                );
                return Err(EINVAL);
            }
        }
        // An MTU below IPv4's minimum is ignored, as C does: the device is
        // driven as one without `VIRTIO_NET_F_MTU`.
        let mtu = dev.sleepable(|ctx| dev.read_config(&net::MTU, ctx));
        if mtu.is_some_and(|mtu| u32::from(mtu) < netdev::ETH_MIN_MTU) {
            dev.clear_feature(net::feature::MTU)?;
        }
        Ok(())
    }

    fn probe<'bound>(
        dev: &'bound virtio::Device<Core<'_>>,
        _id_info: &'bound Self::IdInfo,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let kdev = dev.as_ref();
        // Configuration reads may sleep: `probe` may.
        let (mac, status, mtu, up, link) = dev.sleepable(|ctx| {
            (
                dev.read_config(&net::MAC, ctx).map(MacAddress),
                dev.read_config(&net::STATUS, ctx),
                dev.read_config(&net::MTU, ctx),
                link_up(dev, ctx),
                DeviceLink::read(dev, ctx),
            )
        });
        match &mac {
            Some(mac) => dev_info!(kdev, "MAC address {}\n", mac),
            None => dev_info!(kdev, "no MAC address from the device\n"),
        }
        match status {
            Some(status) => dev_info!(kdev, "status {:#06x}\n", status),
            None => dev_info!(kdev, "no link status from the device\n"),
        }
        match mtu {
            Some(mtu) => dev_info!(kdev, "MTU {}\n", mtu),
            None => dev_info!(kdev, "no MTU from the device\n"),
        }
        dev_info!(
            kdev,
            "virtio {} device, link {}\n",
            if dev.is_version_1() { "1.0" } else { "legacy" },
            if up { "up" } else { "down" }
        );
        // With `VIRTIO_NET_F_MTU` (`validate` dropped one below the
        // minimum) the interface starts at the device's MTU, its maximum.
        let max_mtu = mtu.map_or(MAX_MTU, u32::from);
        let hdr_len = virtio::net_buf::hdr_len(dev);
        let iface = find_queues(dev).and_then(|(rx, tx, ctrl)| {
            let mrg = match &rx {
                RxVq::Mergeable(vq) => Some(Mergeable::new(
                    vq.size(),
                    max_mtu,
                    hdr_len,
                    dev.is_version_1(),
                )),
                RxVq::Small(_) => None,
            };
            let debug_name = CString::try_from_fmt(fmt!("rust_virtio_net-{}", kdev.name()))?;
            let debug_dir = debugfs::Dir::new(&debug_name);
            let push = virtio::net_buf::may_push_header(dev);
            let info = (hdr_len, push, dev.bus_name());
            let data = VirtnetIface::new(rx, mrg, tx, ctrl, info, &debug_dir);
            register(dev, data, mac, max_mtu, up.then_some(link))
        });
        try_pin_init!(VirtioNet {
            link_up: AtomicBool::new(up),
            iface <- Revocable::new(iface?),
        }? Error)
    }

    fn remove<'bound>(dev: &'bound virtio::Device<Core<'_>>, this: Pin<&VirtioNet>) {
        // Unregisters the interface and drops its data, queue handles
        // included: nothing uses the queues after this, and the layer
        // resets the device, then reclaims the buffers and deletes the
        // queues.
        this.iface.revoke();
        dev_info!(dev.as_ref(), "removed\n");
    }

    fn config_changed(dev: &virtio::Device<Bound>, this: Pin<&VirtioNet>, ctx: &netdev::Sleepable) {
        let status = dev.read_config(&net::STATUS, ctx).unwrap_or(0);
        if status & net::status::ANNOUNCE != 0 {
            announce(this, ctx);
        }
        let up = link_up(dev, ctx);
        let was_up = this.link_up.swap(up, Ordering::Relaxed);
        // Read before the interface is looked at: the access below holds
        // an RCU read-side section, where a configuration read (which may
        // sleep) must not run.
        let settings = (up && !was_up).then(|| DeviceLink::read(dev, ctx));
        if let Some(iface) = this.iface.try_access() {
            if up {
                if let Some(settings) = settings {
                    iface.device().data().link.update(settings);
                }
                iface.device().carrier_on();
            } else {
                iface.device().carrier_off();
            }
        }
        if up != was_up {
            dev_info!(dev.as_ref(), "link {}\n", if up { "up" } else { "down" });
        }
    }
}

/// Finds the queues: receive (queue 0; mergeable buffers with
/// `VIRTIO_NET_F_MRG_RXBUF`, else small ones) and transmit (1), named as C
/// names them, then the control queue (the last one) if the device has
/// one.
fn find_queues(dev: &virtio::Device<Core<'_>>) -> Result<(RxVq, Virtqueue<TxFrame>, Ctrl)> {
    if dev.has_feature(net::feature::MRG_RXBUF) {
        let (rx, tx, ctrl) = find_queues_of::<RxFrag>(dev)?;
        Ok((RxVq::Mergeable(rx), tx, ctrl))
    } else {
        let (rx, tx, ctrl) = find_queues_of::<RxSkb>(dev)?;
        Ok((RxVq::Small(rx), tx, ctrl))
    }
}

/// [`find_queues`] with receive buffers of type `R`.
fn find_queues_of<R: Token>(
    dev: &virtio::Device<Core<'_>>,
) -> Result<(Virtqueue<R>, Virtqueue<TxFrame>, Ctrl)> {
    if !dev.has_feature(net::feature::CTRL_VQ) {
        let (rx, tx) = dev.find_vqs::<(R, TxFrame)>([c"input.0", c"output.0"])?;
        return Ok((rx, tx, Ctrl::new(dev, None)));
    }
    let (rx, tx, cvq) =
        dev.find_vqs::<(R, TxFrame, CtrlCmd)>([c"input.0", c"output.0", c"control"])?;
    let queue = KBox::pin_init(CtrlQueue::new(cvq), GFP_KERNEL)?;
    Ok((rx, tx, Ctrl::new(dev, Some(queue))))
}

/// Announces the interface to its peers on the device's request (after a
/// migration), then acknowledges the request (C does both in its
/// configuration work). The interface is reached through a counted
/// reference: the revocable's guard is an RCU read-side section, where
/// neither the RTNL nor a control command may wait.
fn announce(this: Pin<&VirtioNet>, ctx: &netdev::Sleepable) {
    let Some(iface) = this.iface.try_access().map(|reg| ARef::from(reg.device())) else {
        return;
    };
    {
        let rtnl = Rtnl::lock();
        iface.notify_peers(&rtnl);
    }
    ctrl::ack_announce(&iface, ctx);
}

/// Registers the interface with its private data `data`: the device's
/// address (a random one if it has none, as C does), its MTU limit, the
/// link as carrier, the two NAPI instances and the refill task. The device
/// is made ready first, as C does before `register_netdev`.
///
/// With `VIRTIO_NET_F_MTU` the device's MTU is both the largest MTU and
/// the one the interface starts at, as in C `virtnet_probe`.
fn register(
    dev: &virtio::Device<Core<'_>>,
    data: impl PinInit<VirtnetIface, Error>,
    mac: Option<MacAddress>,
    max_mtu: u32,
    link: Option<DeviceLink>,
) -> Result<Registration<VirtnetIface>> {
    let mut builder = Builder::new(1, 1, data)?;
    builder.set_parent(dev.as_ref());
    builder.add_napi(|data| data.rx_napi.napi())?;
    builder.add_tx_napi(|data| data.tx_napi.napi())?;
    // Mergeable buffers come from a page pool of the ring's size that
    // belongs to the receive instance, as C's (`pp_params.napi`).
    let data = builder.device().data();
    let mergeable_ring = data.rx.lock().mergeable_ring();
    if let Some(ring) = mergeable_ring {
        data.rx_napi.napi().create_page_pool(ring, MAX_FRAG)?;
    }
    builder.add_task(|data| &data.refill)?;
    builder.set_fail_alloc(|data| &data.fail_alloc)?;
    builder.set_ethtool_ops();
    builder.set_queue_stats_ops();
    // The device filters secondary unicast addresses (with
    // `VIRTIO_NET_F_CTRL_RX`; without it, it receives everything), as C
    // declares whatever the features.
    builder.set_unicast_filtering();
    // Room for the header in front of each frame sent (C sets as much).
    builder.set_needed_headroom(virtio::net_buf::hdr_len(dev) as u16);
    // As C: receive checksumming claimed (the device hands over checked
    // frames only, without `VIRTIO_NET_F_GUEST_CSUM`), and VLAN filtering
    // when the control queue takes VLAN commands; nothing to toggle.
    let mut active = Features::HIGHDMA | Features::RXCSUM;
    if dev.has_feature(net::feature::CTRL_VQ) && dev.has_feature(net::feature::CTRL_VLAN) {
        active = active | Features::HW_VLAN_CTAG_FILTER;
    }
    builder.set_features(Features::EMPTY, active);
    let random = !matches!(mac, Some(mac) if mac.is_valid_unicast());
    match mac {
        Some(mac) if !random => builder.set_mac_address(&mac)?,
        _ => builder.set_random_mac_address(),
    }
    builder.set_mtu_range(netdev::ETH_MIN_MTU, max_mtu)?;
    if dev.has_feature(net::feature::MTU) {
        builder.set_mtu(max_mtu)?;
    }
    // Off until registered, then on if the link is: the change reaches
    // link watch, which makes the operational state "up" (a carrier that
    // was never off leaves it "unknown").
    builder.device().carrier_off();
    dev.device_ready();
    let iface = builder.register()?;
    // A random address: tell the device, if it takes addresses (C does,
    // and fails the probe if the device refuses).
    if random && !dev.has_feature(net::feature::MAC) {
        dev.sleepable(|ctx| ctrl::tell_mac(iface.device(), ctx))?;
    }
    if let Some(link) = link {
        iface.device().data().link.update(link);
        iface.device().carrier_on();
    }
    Ok(iface)
}

crate::module_virtio_driver! {
    type: VirtioNetDriver,
    name: "rust_virtio_net",
    authors: ["rust-nic developers"],
    description: "Virtio network driver in Rust",
    license: "GPL",
}
