// SPDX-License-Identifier: GPL-2.0

//! ethtool operations: the [`EthtoolOps`] trait drivers implement and the
//! adapter that turns it into a C `struct ethtool_ops`.
//!
//! The values the operations exchange live in `ethtool/types.rs`, the
//! adapter and its C callbacks in `ethtool/adapter.rs` and below.

use kernel::error::VTABLE_DEFAULT_ERROR;
use kernel::prelude::*;

use super::context::Sleepable;
use super::device::Device;
use super::ops::Operations;

mod adapter;
mod link;
mod types;

pub(super) use adapter::Adapter;
pub use link::{Duplex, LinkMode, LinkRequest, LinkSettings, Mdix, Port};
pub use types::{Channels, Coalesce, DrvInfo, PauseParam, PauseStats, PhysId, RingParam, Wol};

/// ethtool operations of a device, implemented by its private data type
/// and installed with [`super::Builder::set_ethtool_ops`].
///
/// The core calls them in process context with the RTNL held. Operations
/// left out are reported as not supported, except `get_link`, which
/// defaults to the carrier state.
#[vtable]
pub trait EthtoolOps: Operations {
    /// Which [`Coalesce`] fields `set_coalesce` accepts (`Coalesce::RX_USECS`
    /// ...); the core refuses others.
    const SUPPORTED_COALESCE: u32 = 0;

    /// The driver calls [`super::SkBuff::tx_timestamp`] for every frame it
    /// sends: `ethtool -T` then reports software transmit timestamps.
    const SOFTWARE_TX_TIMESTAMPS: bool = false;

    /// The names of the statistics `get_stats` reports, in order (`ethtool
    /// -S`). Constants, because the core sizes its buffers from one
    /// answer and fills them in a later call.
    const STATS_NAMES: &'static [&'static str] = &[];

    /// Names of the self-tests `self_test` runs, in order (`ethtool -t`).
    const SELF_TEST_NAMES: &'static [&'static str] = &[];

    /// Size of the register dump `get_regs` fills, in 32-bit words
    /// (`ethtool -d`); a constant for the same reason as the names.
    const REGS_LEN: usize = 0;

    /// Fills in the driver identification.
    fn get_drvinfo(_dev: &Device<Self>, _info: &mut DrvInfo<'_>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Whether the link is up.
    fn get_link(_dev: &Device<Self>) -> bool {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The message level (`NETIF_MSG_*` bits).
    fn get_msglevel(_dev: &Device<Self>) -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Sets the message level.
    fn set_msglevel(_dev: &Device<Self>, _level: u32) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The ring sizes and their limits.
    fn get_ringparam(_dev: &Device<Self>) -> RingParam {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Resizes the rings; the core has already refused sizes above the
    /// maxima `get_ringparam` reports.
    fn set_ringparam(_dev: &Device<Self>, _ring: &RingParam) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Fills `data` (one slot per [`EthtoolOps::STATS_NAMES`] entry, zeroed)
    /// with the statistics.
    fn get_stats(_dev: &Device<Self>, _data: &mut [u64]) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Fills the register dump ([`EthtoolOps::REGS_LEN`] words, zeroed) and
    /// returns its layout version.
    fn get_regs(_dev: &Device<Self>, _regs: &mut [u32]) -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The interrupt coalescing parameters.
    fn get_coalesce(_dev: &Device<Self>) -> Result<Coalesce> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Sets the interrupt coalescing parameters.
    fn set_coalesce(_dev: &Device<Self>, _coalesce: &Coalesce) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The queue counts.
    fn get_channels(_dev: &Device<Self>) -> Channels {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Sets the queue counts; the core has already refused counts above
    /// the maxima.
    fn set_channels(_dev: &Device<Self>, _channels: &Channels) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Size of the EEPROM in bytes.
    fn eeprom_len(_dev: &Device<Self>) -> usize {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reads `buf.len()` EEPROM bytes from `offset` (inside `eeprom_len`)
    /// and returns the magic number identifying the device.
    fn get_eeprom(_dev: &Device<Self>, _offset: usize, _buf: &mut [u8]) -> Result<u32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes `bytes` into the EEPROM from byte `offset` (`ethtool -E`),
    /// `magic` being what the user gave (the driver refuses one that is not
    /// its device's). The range is inside `eeprom_len`; the core splits
    /// long writes into calls of a page at most. Only with `eeprom_len`.
    fn set_eeprom(_dev: &Device<Self>, _magic: u32, _offset: usize, _bytes: &[u8]) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The flow control settings.
    fn get_pauseparam(_dev: &Device<Self>) -> PauseParam {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Sets flow control (`ethtool -A`): whether it is negotiated, and
    /// the directions wanted. Only with `get_pauseparam`.
    fn set_pauseparam(_dev: &Device<Self>, _pause: &PauseParam) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The pause frame counters. Implement it with `get_pauseparam`: tools
    /// expect the statistics of a device that reports flow control.
    fn get_pause_stats(_dev: &Device<Self>) -> PauseStats {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The Wake-on-LAN modes supported and enabled.
    fn get_wol(_dev: &Device<Self>) -> Wol {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Enables the Wake-on-LAN modes `enabled` (`Wol::MAGIC`...), and only
    /// those; the core has refused modes `get_wol` does not list as
    /// supported. Process context (a `&Sleepable`: turning the bus device's
    /// wake-up on or off sleeps). Only with `get_wol`.
    fn set_wol(_dev: &Device<Self>, _enabled: u32, _ctx: &Sleepable) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// A step of identifying the device (`ethtool -p DEV [SECONDS]`). For
    /// [`PhysId::Active`] it returns how many times a second the core
    /// should blink the LEDs through [`PhysId::On`] and [`PhysId::Off`]
    /// (0: the device blinks by itself), for the others 0. Process context,
    /// RTNL held (the core lets go of it between steps); [`PhysId::Inactive`]
    /// follows an `Active` that succeeded, also when the user interrupts.
    fn set_phys_id(_dev: &Device<Self>, _state: PhysId) -> Result<u32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Restarts auto-negotiation (`ethtool -r`).
    fn nway_reset(_dev: &Device<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The link settings.
    fn get_link_settings(_dev: &Device<Self>) -> Result<LinkSettings> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Sets a physical link (`ethtool -s DEV speed N duplex D autoneg
    /// on|off advertise M mdix on|off|auto`): the request carries every
    /// setting, those the user left as `get_link_settings` reported them,
    /// unchecked (the driver refuses, with `EINVAL`, what its device
    /// cannot do). Only with `get_link_settings`; a driver that also has
    /// `set_virtual_link` gets this one.
    fn set_link_settings(_dev: &Device<Self>, _req: &LinkRequest) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Sets the speed and duplex a virtual device reports (`ethtool -s DEV
    /// speed N duplex D`; C `ethtool_virtdev_set_link_ksettings`). The
    /// adapter has refused with `EINVAL`, as C does, anything else (auto-
    /// negotiation, a port, link modes) and a speed or duplex ethtool does
    /// not define; `speed` is `None` for unknown.
    fn set_virtual_link(_dev: &Device<Self>, _speed: Option<u32>, _duplex: Duplex) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Runs the self-tests (`offline`: also those that interrupt traffic)
    /// and stores one result per [`EthtoolOps::SELF_TEST_NAMES`] entry in
    /// `results`: 0 for a pass (or a
    /// test not run), non-zero for a failure. Returns whether any failed.
    /// Called with the RTNL held.
    fn self_test(_dev: &Device<Self>, _offline: bool, _results: &mut [u64]) -> bool {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}
