// SPDX-License-Identifier: GPL-2.0

//! The `net_device_ops` callbacks: the [`Operations`] trait drivers
//! implement, and the adapter that turns it into a C operation table.

use core::marker::PhantomData;

use kernel::error::{from_result, VTABLE_DEFAULT_ERROR};
use kernel::prelude::*;

use super::addr::{AddrList, AddrLists, MacAddress};
use super::bindings;
use super::context::Sleepable;
use super::device::Device;
use super::features::Features;
use super::mii::MiiRequest;
use super::skbuff::SkBuff;
use super::stats::LinkStats64;
use super::tx_lock::TxLock;
use super::xdp::Xdp;

/// The operations of an Ethernet device (C `struct net_device_ops`),
/// implemented by the driver's private data type.
///
/// The core calls `open`, `stop`, `set_mac_address`, `change_mtu`,
/// `set_features`, `set_rx_mode_async`, `mii_ioctl` and the VLAN filter callbacks with
/// the RTNL held, in process context (those that may need to sleep get a
/// [`Sleepable`] to prove it); `start_xmit` in softirq or process context
/// with the TX queue lock held; `set_rx_mode` with the address lists
/// locked and bottom halves off (it must not sleep); `get_stats64` from
/// any context, possibly concurrently with the data path (it must not
/// sleep either); `tx_timeout` from a timer.
///
/// Operations left out keep the core's default behaviour.
#[vtable]
pub trait Operations: Sized + Send + Sync {
    /// Brings the interface up: allocate rings, enable NAPI and interrupts,
    /// start the queue.
    fn open(_dev: &Device<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Takes the interface down, undoing `open`.
    fn stop(_dev: &Device<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Transmits one frame, or drops it (counting the drop). The frame is
    /// always taken: there is no "busy" answer (C `NETDEV_TX_BUSY`, which
    /// Documentation/networking/driver.rst calls a hard error). A driver
    /// stops the queue while the ring still has room for a frame of the
    /// largest size, so that a full ring cannot be reached.
    ///
    /// `txq` proves that the core holds the xmit lock of the frame's
    /// transmit queue: it opens what a [`super::TxLocked`] keeps for that
    /// queue (the ring the completion poll shares).
    fn start_xmit(dev: &Device<Self>, skb: SkBuff, txq: &mut TxLock<'_, Self>);

    /// Fills in the interface statistics.
    fn get_stats64(_dev: &Device<Self>, _stats: &mut LinkStats64) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Programs the receive filters from the interface flags (promiscuous,
    /// all-multicast) and its address lists.
    fn set_rx_mode(_dev: &Device<Self>, _addrs: &AddrLists<'_>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Programs the receive filters from process context, where the
    /// driver may sleep (C `ndo_set_rx_mode_async`, which the core prefers
    /// to `set_rx_mode` when both exist): the interface flags and
    /// snapshots of the unicast and multicast lists. The core runs it from
    /// its work item (or inline at the end of the request that changed the
    /// lists), with the RTNL held, only while the interface is up. An
    /// error asks the core to try again later (after 1, 2, 4 and 8
    /// seconds, then it gives up).
    fn set_rx_mode_async(
        _dev: &Device<Self>,
        _uc: &AddrList<'_>,
        _mc: &AddrList<'_>,
        _ctx: &Sleepable,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Programs a new station address into the hardware; the adapter has
    /// already refused group and all-zero addresses, and records the
    /// address in the device when this succeeds. Without it, the address
    /// may only change while the interface is down.
    fn set_mac_address(_dev: &Device<Self>, _addr: &MacAddress, _ctx: &Sleepable) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Adds VLAN `vid` of protocol `proto` (an EtherType, such as `0x8100`)
    /// to the hardware's filter (C `ndo_vlan_rx_add_vid`); called only for
    /// a device with `NETIF_F_HW_VLAN_CTAG_FILTER` (or the STAG one) among
    /// its features. An error undoes the VLAN's creation.
    fn vlan_rx_add_vid(_dev: &Device<Self>, _proto: u16, _vid: u16, _ctx: &Sleepable) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Removes VLAN `vid` of protocol `proto` from the hardware's filter
    /// (C `ndo_vlan_rx_kill_vid`).
    fn vlan_rx_kill_vid(_dev: &Device<Self>, _proto: u16, _vid: u16, _ctx: &Sleepable) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Prepares the hardware for a new MTU, already checked against the
    /// device's range; the adapter records it when this succeeds.
    fn change_mtu(_dev: &Device<Self>, _new_mtu: u32) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// A TX queue has been stopped for longer than the watchdog timeout.
    fn tx_timeout(_dev: &Device<Self>, _queue: u32) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Adjusts the features a user asked for to what the device can do
    /// together (C `ndo_fix_features`: the core offers the answer to
    /// `set_features`). RTNL held; it must not fail or sleep.
    fn fix_features(_dev: &Device<Self>, _wanted: Features) -> Features {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Applies a new set of features (`ethtool -K`); the core records them
    /// when this succeeds.
    fn set_features(_dev: &Device<Self>, _features: Features) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Answers a MII management ioctl (`mii-tool`; C `ndo_eth_ioctl`
    /// with `SIOCGMIIPHY`, `SIOCGMIIREG`, `SIOCSMIIREG`): the PHY's address,
    /// a register's value, or anything after a write. Process context, RTNL
    /// held; other ioctls are refused with `EOPNOTSUPP`.
    fn mii_ioctl(_dev: &Device<Self>, _req: MiiRequest, _ctx: &Sleepable) -> Result<u16> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Deferred work that [`Device::schedule_work`] asked for, `events`
    /// being the bits given there, accumulated (C `ndo_work`). The core
    /// runs it from its own work item in process context, with the RTNL
    /// held: this is where a driver reconfigures its device outside the
    /// operations above, without polling for the RTNL. It may sleep.
    fn work(_dev: &Device<Self>, _events: u32) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The device's native XDP state, bound with `Builder::bind_xdp`
    /// (see [`super::xdp`]): implementing it gives the device `ndo_bpf`
    /// and `ndo_xdp_xmit`. Any context; it only picks a field.
    fn xdp(_dev: &Device<Self>) -> &Xdp {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// Builds the C operation table of `T` and owns its callbacks.
pub(super) struct Adapter<T: Operations>(PhantomData<T>);

impl<T: Operations> Adapter<T> {
    const VTABLE: bindings::net_device_ops = bindings::net_device_ops {
        ndo_open: if T::HAS_OPEN { Some(Self::open) } else { None },
        ndo_stop: if T::HAS_STOP { Some(Self::stop) } else { None },
        ndo_start_xmit: Some(Self::start_xmit),
        ndo_get_stats64: if T::HAS_GET_STATS64 {
            Some(Self::get_stats64)
        } else {
            None
        },
        ndo_set_rx_mode: if T::HAS_SET_RX_MODE {
            Some(Self::set_rx_mode)
        } else {
            None
        },
        ndo_set_rx_mode_async: if T::HAS_SET_RX_MODE_ASYNC {
            Some(Self::set_rx_mode_async)
        } else {
            None
        },
        ndo_vlan_rx_add_vid: if T::HAS_VLAN_RX_ADD_VID {
            Some(Self::vlan_rx_add_vid)
        } else {
            None
        },
        ndo_vlan_rx_kill_vid: if T::HAS_VLAN_RX_KILL_VID {
            Some(Self::vlan_rx_kill_vid)
        } else {
            None
        },
        ndo_set_mac_address: if T::HAS_SET_MAC_ADDRESS {
            Some(Self::set_mac_address)
        } else {
            Some(bindings::eth_mac_addr)
        },
        ndo_validate_addr: Some(bindings::eth_validate_addr),
        ndo_change_mtu: if T::HAS_CHANGE_MTU {
            Some(Self::change_mtu)
        } else {
            None
        },
        ndo_tx_timeout: if T::HAS_TX_TIMEOUT {
            Some(Self::tx_timeout)
        } else {
            None
        },
        ndo_fix_features: if T::HAS_FIX_FEATURES {
            Some(Self::fix_features)
        } else {
            None
        },
        ndo_set_features: if T::HAS_SET_FEATURES {
            Some(Self::set_features)
        } else {
            None
        },
        ndo_work: if T::HAS_WORK { Some(Self::work) } else { None },
        ndo_bpf: if T::HAS_XDP {
            Some(Device::<T>::xdp_bpf)
        } else {
            None
        },
        ndo_xdp_xmit: if T::HAS_XDP {
            Some(Device::<T>::xdp_xmit)
        } else {
            None
        },
        ndo_eth_ioctl: if T::HAS_MII_IOCTL {
            Some(Self::eth_ioctl)
        } else {
            None
        },
        // SAFETY: The remaining members are optional callbacks, for which
        // all-zero means "not implemented".
        ..unsafe { core::mem::zeroed() }
    };

    /// The operation table, a `'static` constant.
    pub(super) fn build() -> &'static bindings::net_device_ops {
        &Self::VTABLE
    }

    /// # Safety
    ///
    /// `dev` must be a `net_device` built for `T` that stays valid for the
    /// callback's duration: the core guarantees this for every `ndo_*`.
    pub(super) unsafe fn dev<'a>(dev: *mut bindings::net_device) -> &'a Device<T> {
        // SAFETY: Guaranteed by the caller.
        unsafe { Device::from_raw(dev) }
    }

    extern "C" fn open(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: Called by the core on a device built for `T`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| T::open(dev).map(|()| 0))
    }

    extern "C" fn stop(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| T::stop(dev).map(|()| 0))
    }

    extern "C" fn start_xmit(
        skb: *mut bindings::sk_buff,
        dev: *mut bindings::net_device,
    ) -> bindings::netdev_tx_t {
        // SAFETY: As in `open`.
        let dev = unsafe { Self::dev(dev) };
        // The core hands over its reference to a valid `skb`, but not
        // always the only one: pktgen sends one buffer many times
        // (`IFF_TX_SKB_SHARING`, which Ethernet devices have). The helper
        // gives up that reference and returns one nobody else holds, a
        // clone if need be, or null (the frame freed and counted).
        // SAFETY: So the call is sound.
        let skb = unsafe { bindings::rnic_skb_unshare_for_xmit(skb, dev.as_raw()) };
        if skb.is_null() {
            return bindings::netdev_tx_NETDEV_TX_OK;
        }
        // A `SkBuff` is the only reference to its `sk_buff`, which the
        // driver may queue, pad or hand up the stack: so is `skb`.
        // SAFETY: So the conversion keeps the invariant.
        let skb = unsafe { SkBuff::from_raw(skb) };
        // SAFETY: The frame's queue is the one the core locked for it.
        let queue = u32::from(unsafe { bindings::rnic_skb_get_queue_mapping(skb.as_raw()) });
        // SAFETY: This is `ndo_start_xmit`; the proof lives in this frame.
        match unsafe { TxLock::held_by_core(dev, queue) } {
            Some(mut txq) => T::start_xmit(dev, skb, &mut txq),
            // The core always holds the lock (the layer never makes a
            // device lockless); without it no proof is made.
            None => {
                kernel::pr_warn_once!("rnic: start_xmit without the queue lock, frame dropped\n");
                skb.drop_reason(super::skbuff::DropReason::NotSpecified);
            }
        }
        bindings::netdev_tx_NETDEV_TX_OK
    }

    extern "C" fn get_stats64(
        dev: *mut bindings::net_device,
        stats: *mut bindings::rtnl_link_stats64,
    ) {
        // SAFETY: As in `open`.
        let dev = unsafe { Self::dev(dev) };
        // SAFETY: The core passes a valid, exclusively ours structure.
        let stats = unsafe { LinkStats64::from_raw(stats) };
        T::get_stats64(dev, stats);
    }

    extern "C" fn set_rx_mode(dev: *mut bindings::net_device) {
        // SAFETY: As in `open`; the core holds the address lock.
        let addrs = unsafe { AddrLists::new(dev) };
        // SAFETY: As in `open`.
        let dev = unsafe { Self::dev(dev) };
        T::set_rx_mode(dev, &addrs);
    }

    extern "C" fn set_rx_mode_async(
        dev: *mut bindings::net_device,
        uc: *mut bindings::netdev_hw_addr_list,
        mc: *mut bindings::netdev_hw_addr_list,
    ) -> c_int {
        // SAFETY: As in `open`.
        let netdev = unsafe { Self::dev(dev) };
        // The lists are the snapshots `netif_rx_mode_run` made for this
        // call; it changes them only after the call returns.
        // SAFETY: So they are valid and stable for the call.
        let (uc, mc) = unsafe { (AddrList::new(uc), AddrList::new(mc)) };
        // The core calls this from its work item or from the end of a
        // request (`netif_rx_mode_sync`), in process context with the RTNL
        // held and no spinlock (it calls `might_sleep()` first).
        // SAFETY: So the driver may sleep for the call.
        let ctx = unsafe { Sleepable::new() };
        from_result(|| T::set_rx_mode_async(netdev, &uc, &mc, &ctx).map(|()| 0))
    }

    extern "C" fn vlan_rx_add_vid(dev: *mut bindings::net_device, proto: u16, vid: u16) -> c_int {
        // SAFETY: As in `open`.
        let netdev = unsafe { Self::dev(dev) };
        // `vlan_vid_add` runs in process context with the RTNL held.
        // SAFETY: So the driver may sleep for the call.
        let ctx = unsafe { Sleepable::new() };
        from_result(|| T::vlan_rx_add_vid(netdev, u16::from_be(proto), vid, &ctx).map(|()| 0))
    }

    extern "C" fn vlan_rx_kill_vid(dev: *mut bindings::net_device, proto: u16, vid: u16) -> c_int {
        // SAFETY: As in `open`.
        let netdev = unsafe { Self::dev(dev) };
        // `vlan_vid_del` runs in process context with the RTNL held.
        // SAFETY: So the driver may sleep for the call.
        let ctx = unsafe { Sleepable::new() };
        from_result(|| T::vlan_rx_kill_vid(netdev, u16::from_be(proto), vid, &ctx).map(|()| 0))
    }

    extern "C" fn set_mac_address(dev: *mut bindings::net_device, addr: *mut c_void) -> c_int {
        // SAFETY: As in `open`.
        let netdev = unsafe { Self::dev(dev) };
        from_result(|| {
            // SAFETY: The core passes a valid `struct sockaddr` whose data
            // starts with the hardware address.
            let data = unsafe { (*addr.cast::<bindings::sockaddr>()).sa_data };
            let bytes: [u8; 6] = core::array::from_fn(|i| data[i]);
            let mac = MacAddress(bytes);
            if !mac.is_valid_unicast() {
                return Err(super::code::eaddrnotavail());
            }
            // The core calls this in process context, RTNL held.
            // SAFETY: So the driver may sleep for the call.
            let ctx = unsafe { Sleepable::new() };
            T::set_mac_address(netdev, &mac, &ctx)?;
            // SAFETY: `dev` is valid and the RTNL is held.
            unsafe { bindings::rnic_eth_hw_addr_set(dev, mac.0.as_ptr()) };
            Ok(0)
        })
    }

    extern "C" fn change_mtu(dev: *mut bindings::net_device, new_mtu: c_int) -> c_int {
        // SAFETY: As in `open`.
        let netdev = unsafe { Self::dev(dev) };
        from_result(|| {
            let mtu = u32::try_from(new_mtu).map_err(|_| EINVAL)?;
            if T::HAS_XDP {
                T::xdp(netdev).check_mtu(&netdev.name(), mtu)?;
            }
            T::change_mtu(netdev, mtu)?;
            // SAFETY: `dev` is valid and the RTNL is held; readers use
            // `READ_ONCE`.
            unsafe { core::ptr::write_volatile(&raw mut (*dev).mtu, mtu) };
            Ok(0)
        })
    }

    extern "C" fn tx_timeout(dev: *mut bindings::net_device, queue: c_uint) {
        // SAFETY: As in `open`.
        let dev = unsafe { Self::dev(dev) };
        T::tx_timeout(dev, queue);
    }

    extern "C" fn work(dev: *mut bindings::net_device, events: c_ulong) {
        // SAFETY: As in `open`: the core holds a reference for the call.
        let dev = unsafe { Self::dev(dev) };
        // Only the driver's own bits are scheduled (`schedule_work` takes
        // a `u32`).
        T::work(dev, u32::try_from(events).unwrap_or(u32::MAX));
    }
}
