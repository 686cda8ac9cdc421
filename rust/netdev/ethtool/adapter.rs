// SPDX-License-Identifier: GPL-2.0

//! The adapter that turns [`EthtoolOps`] into a C `struct ethtool_ops`:
//! the operation table and the callbacks for identification, link state,
//! time stamping and message level. Those that fill buffers the core
//! sized are in `adapter/dumps.rs`, those that translate settings in
//! `adapter/settings.rs` and the link settings in `adapter/link.rs`.

use core::marker::PhantomData;

use kernel::prelude::*;

use super::super::bindings;
use super::super::device::Device;
use super::types::DrvInfo;
use super::EthtoolOps;

mod dumps;
mod link;
mod settings;

/// Builds the C `ethtool_ops` of `T` and owns its callbacks.
pub(in super::super) struct Adapter<T: EthtoolOps>(PhantomData<T>);

/// The kernel's `net_device` as ethtool callbacks receive it (its bindings
/// declare the type opaque).
type KDev = kernel::bindings::net_device;

impl<T: EthtoolOps> Adapter<T> {
    const VTABLE: kernel::bindings::ethtool_ops = kernel::bindings::ethtool_ops {
        supported_coalesce_params: T::SUPPORTED_COALESCE,
        get_drvinfo: if T::HAS_GET_DRVINFO {
            Some(Self::get_drvinfo)
        } else {
            None
        },
        get_link: Some(Self::get_link),
        get_ts_info: if T::SOFTWARE_TX_TIMESTAMPS {
            Some(Self::get_ts_info)
        } else {
            None
        },
        get_msglevel: if T::HAS_GET_MSGLEVEL {
            Some(Self::get_msglevel)
        } else {
            None
        },
        set_msglevel: if T::HAS_SET_MSGLEVEL {
            Some(Self::set_msglevel)
        } else {
            None
        },
        get_ringparam: if T::HAS_GET_RINGPARAM {
            Some(Self::get_ringparam)
        } else {
            None
        },
        set_ringparam: if T::HAS_SET_RINGPARAM {
            Some(Self::set_ringparam)
        } else {
            None
        },
        get_sset_count: if Self::HAS_STRING_SETS {
            Some(Self::get_sset_count)
        } else {
            None
        },
        get_strings: if Self::HAS_STRING_SETS {
            Some(Self::get_strings)
        } else {
            None
        },
        get_ethtool_stats: if T::HAS_GET_STATS && !T::STATS_NAMES.is_empty() {
            Some(Self::get_ethtool_stats)
        } else {
            None
        },
        get_regs_len: if T::HAS_GET_REGS && Self::REGS_WORDS != 0 {
            Some(Self::get_regs_len)
        } else {
            None
        },
        get_regs: if T::HAS_GET_REGS && Self::REGS_WORDS != 0 {
            Some(Self::get_regs)
        } else {
            None
        },
        get_coalesce: if T::HAS_GET_COALESCE {
            Some(Self::get_coalesce)
        } else {
            None
        },
        set_coalesce: if T::HAS_SET_COALESCE {
            Some(Self::set_coalesce)
        } else {
            None
        },
        get_channels: if T::HAS_GET_CHANNELS {
            Some(Self::get_channels)
        } else {
            None
        },
        set_channels: if T::HAS_SET_CHANNELS {
            Some(Self::set_channels)
        } else {
            None
        },
        get_eeprom_len: if T::HAS_EEPROM_LEN {
            Some(Self::get_eeprom_len)
        } else {
            None
        },
        get_eeprom: if T::HAS_GET_EEPROM {
            Some(Self::get_eeprom)
        } else {
            None
        },
        set_eeprom: if T::HAS_EEPROM_LEN && T::HAS_SET_EEPROM {
            Some(Self::set_eeprom)
        } else {
            None
        },
        get_pauseparam: if T::HAS_GET_PAUSEPARAM {
            Some(Self::get_pauseparam)
        } else {
            None
        },
        set_pauseparam: if T::HAS_GET_PAUSEPARAM && T::HAS_SET_PAUSEPARAM {
            Some(Self::set_pauseparam)
        } else {
            None
        },
        get_pause_stats: if T::HAS_GET_PAUSE_STATS {
            Some(Self::get_pause_stats)
        } else {
            None
        },
        get_wol: if T::HAS_GET_WOL {
            Some(Self::get_wol)
        } else {
            None
        },
        set_wol: if T::HAS_GET_WOL && T::HAS_SET_WOL {
            Some(Self::set_wol)
        } else {
            None
        },
        set_phys_id: if T::HAS_SET_PHYS_ID {
            Some(Self::set_phys_id)
        } else {
            None
        },
        nway_reset: if T::HAS_NWAY_RESET {
            Some(Self::nway_reset)
        } else {
            None
        },
        self_test: if T::HAS_SELF_TEST {
            Some(Self::self_test)
        } else {
            None
        },
        get_link_ksettings: if T::HAS_GET_LINK_SETTINGS {
            Some(Self::get_link_ksettings)
        } else {
            None
        },
        // A physical link's settings when the driver has both.
        set_link_ksettings: if T::HAS_GET_LINK_SETTINGS && T::HAS_SET_LINK_SETTINGS {
            Some(Self::set_link_ksettings)
        } else if T::HAS_SET_VIRTUAL_LINK {
            Some(Self::set_virtual_link_ksettings)
        } else {
            None
        },
        // SAFETY: The remaining members are optional callbacks and flags,
        // for which all-zero means "not supported".
        ..unsafe { core::mem::zeroed() }
    };

    /// The operation table, a `'static` constant.
    pub(in super::super) fn build() -> &'static kernel::bindings::ethtool_ops {
        &Self::VTABLE
    }

    /// # Safety
    ///
    /// `dev` must be a device built for `T`, valid for the callback.
    unsafe fn dev<'a>(dev: *mut KDev) -> &'a Device<T> {
        // SAFETY: Guaranteed by the caller; only the pointer type differs.
        unsafe { Device::from_raw(dev.cast()) }
    }

    extern "C" fn get_drvinfo(dev: *mut KDev, info: *mut kernel::bindings::ethtool_drvinfo) {
        // SAFETY: The core calls us on a device built for `T`.
        let dev = unsafe { Self::dev(dev) };
        // SAFETY: The core passes a valid, exclusively ours structure.
        let mut info = DrvInfo(unsafe { &mut *info });
        T::get_drvinfo(dev, &mut info);
    }

    extern "C" fn get_link(dev: *mut KDev) -> u32 {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        let up = if T::HAS_GET_LINK {
            T::get_link(dev)
        } else {
            dev.carrier_ok()
        };
        u32::from(up)
    }

    extern "C" fn get_ts_info(
        dev: *mut KDev,
        info: *mut kernel::bindings::kernel_ethtool_ts_info,
    ) -> c_int {
        // SAFETY: The core passes a valid device and a valid `info` to fill;
        // the generic callback reports software time stamps and no clock.
        unsafe { bindings::ethtool_op_get_ts_info(dev.cast(), info.cast()) }
    }

    extern "C" fn get_msglevel(dev: *mut KDev) -> u32 {
        // SAFETY: As in `get_drvinfo`.
        T::get_msglevel(unsafe { Self::dev(dev) })
    }

    extern "C" fn set_msglevel(dev: *mut KDev, level: u32) {
        // SAFETY: As in `get_drvinfo`.
        T::set_msglevel(unsafe { Self::dev(dev) }, level)
    }
}
