// SPDX-License-Identifier: GPL-2.0

//! ethtool operations: the [`EthtoolOps`] trait drivers implement and the
//! adapter that turns it into a C `struct ethtool_ops`.

use core::marker::PhantomData;

use kernel::error::{from_result, VTABLE_DEFAULT_ERROR};
use kernel::prelude::*;

use super::bindings;
use super::device::Device;
use super::ops::Operations;

/// Driver identification for `ethtool -i`.
pub struct DrvInfo<'a>(&'a mut bindings::ethtool_drvinfo);

/// Copies `src` into a fixed C string field, truncating and terminating it.
fn copy_cstr(dst: &mut [u8], src: &str) {
    let n = src.len().min(dst.len().saturating_sub(1));
    dst[..n].copy_from_slice(&src.as_bytes()[..n]);
    dst[n..].fill(0);
}

impl DrvInfo<'_> {
    /// Sets the driver name (the module name, by convention).
    pub fn set_driver(&mut self, name: &str) {
        copy_cstr(&mut self.0.driver, name);
    }

    /// Sets the driver version; left empty, the core reports the kernel's.
    pub fn set_version(&mut self, version: &str) {
        copy_cstr(&mut self.0.version, version);
    }

    /// Sets the firmware version.
    pub fn set_fw_version(&mut self, version: &str) {
        copy_cstr(&mut self.0.fw_version, version);
    }

    /// Sets the bus address; left empty, the core fills in the parent
    /// device's name (the PCI address).
    pub fn set_bus_info(&mut self, bus: &str) {
        copy_cstr(&mut self.0.bus_info, bus);
    }
}

/// Ring sizes (`ethtool -g`/`-G`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RingParam {
    /// Largest RX ring the device supports.
    pub rx_max: u32,
    /// Largest TX ring the device supports.
    pub tx_max: u32,
    /// Current (or requested) RX ring size.
    pub rx: u32,
    /// Current (or requested) TX ring size.
    pub tx: u32,
}

/// Interrupt coalescing parameters (`ethtool -c`/`-C`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coalesce {
    /// Delay of an RX interrupt after a frame, in microseconds.
    pub rx_usecs: u32,
    /// Frames after which an RX interrupt fires.
    pub rx_max_frames: u32,
    /// Delay of a TX interrupt after a completion, in microseconds.
    pub tx_usecs: u32,
    /// Completions after which a TX interrupt fires.
    pub tx_max_frames: u32,
}

impl Coalesce {
    /// `rx_usecs` is supported.
    pub const RX_USECS: u32 = 1 << 0;
    /// `rx_max_frames` is supported.
    pub const RX_MAX_FRAMES: u32 = 1 << 1;
    /// `tx_usecs` is supported.
    pub const TX_USECS: u32 = 1 << 4;
    /// `tx_max_frames` is supported.
    pub const TX_MAX_FRAMES: u32 = 1 << 5;
}

/// Queue counts (`ethtool -l`/`-L`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Channels {
    /// Most combined (RX and TX) channels the device supports.
    pub max_combined: u32,
    /// Most RX-only channels.
    pub max_rx: u32,
    /// Most TX-only channels.
    pub max_tx: u32,
    /// Current (or requested) combined channels.
    pub combined: u32,
    /// Current (or requested) RX-only channels.
    pub rx: u32,
    /// Current (or requested) TX-only channels.
    pub tx: u32,
}

/// Flow control settings (`ethtool -a`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PauseParam {
    /// Pause is negotiated.
    pub autoneg: bool,
    /// Honours received pause frames.
    pub rx: bool,
    /// Sends pause frames.
    pub tx: bool,
}

/// Pause frame counters (`ethtool -I -a`, `ethtool -S --groups`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PauseStats {
    /// Pause frames sent.
    pub tx_pause_frames: u64,
    /// Pause frames received.
    pub rx_pause_frames: u64,
}

/// Duplex of a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duplex {
    /// Half duplex.
    Half,
    /// Full duplex.
    Full,
    /// Not known (no link).
    Unknown,
}

/// Physical port type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Port {
    /// Twisted pair.
    TwistedPair,
    /// Fibre.
    Fibre,
    /// Something else (virtual devices).
    Other,
}

/// Link settings (`ethtool DEV`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkSettings {
    /// Speed in Mb/s, `None` when unknown.
    pub speed: Option<u32>,
    /// Duplex.
    pub duplex: Duplex,
    /// Whether auto-negotiation is on.
    pub autoneg: bool,
    /// Port type.
    pub port: Port,
}

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

    /// The flow control settings.
    fn get_pauseparam(_dev: &Device<Self>) -> PauseParam {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The pause frame counters. Implement it with `get_pauseparam`: tools
    /// expect the statistics of a device that reports flow control.
    fn get_pause_stats(_dev: &Device<Self>) -> PauseStats {
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

    /// Runs the self-tests (`offline`: also those that interrupt traffic)
    /// and stores one result per [`EthtoolOps::SELF_TEST_NAMES`] entry in
    /// `results`: 0 for a pass (or a
    /// test not run), non-zero for a failure. Returns whether any failed.
    /// Called with the RTNL held.
    fn self_test(_dev: &Device<Self>, _offline: bool, _results: &mut [u64]) -> bool {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// Builds the C `ethtool_ops` of `T` and owns its callbacks.
pub(super) struct Adapter<T: EthtoolOps>(PhantomData<T>);

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
        get_pauseparam: if T::HAS_GET_PAUSEPARAM {
            Some(Self::get_pauseparam)
        } else {
            None
        },
        get_pause_stats: if T::HAS_GET_PAUSE_STATS {
            Some(Self::get_pause_stats)
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
        // SAFETY: The remaining members are optional callbacks and flags,
        // for which all-zero means "not supported".
        ..unsafe { core::mem::zeroed() }
    };

    /// The operation table, a `'static` constant.
    pub(super) fn build() -> &'static kernel::bindings::ethtool_ops {
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

    extern "C" fn get_ringparam(
        dev: *mut KDev,
        ring: *mut kernel::bindings::ethtool_ringparam,
        _kring: *mut kernel::bindings::kernel_ethtool_ringparam,
        _extack: *mut kernel::bindings::netlink_ext_ack,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let r = T::get_ringparam(unsafe { Self::dev(dev) });
        // SAFETY: The core passes a valid, exclusively ours structure.
        let ring = unsafe { &mut *ring };
        ring.rx_max_pending = r.rx_max;
        ring.tx_max_pending = r.tx_max;
        ring.rx_pending = r.rx;
        ring.tx_pending = r.tx;
    }

    extern "C" fn set_ringparam(
        dev: *mut KDev,
        ring: *mut kernel::bindings::ethtool_ringparam,
        _kring: *mut kernel::bindings::kernel_ethtool_ringparam,
        _extack: *mut kernel::bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        // SAFETY: The core passes a valid structure.
        let ring = unsafe { &*ring };
        let req = RingParam {
            rx_max: ring.rx_max_pending,
            tx_max: ring.tx_max_pending,
            rx: ring.rx_pending,
            tx: ring.tx_pending,
        };
        from_result(|| T::set_ringparam(dev, &req).map(|()| 0))
    }

    /// Whether `T` has any string set for `get_sset_count`.
    const HAS_STRING_SETS: bool = !T::STATS_NAMES.is_empty() || !T::SELF_TEST_NAMES.is_empty();

    /// The register dump's size in words: `T::REGS_LEN`, or none if that
    /// many bytes do not fit the core's `int`.
    const REGS_WORDS: usize = if T::REGS_LEN <= c_int::MAX as usize / 4 {
        T::REGS_LEN
    } else {
        0
    };

    /// The names of string set `set`, if `T` has it. They are constants,
    /// so the count the core sized its buffer from still holds when it
    /// asks for the strings or the values.
    fn string_set(set: u32) -> Option<&'static [&'static str]> {
        let names = match set {
            kernel::bindings::ethtool_stringset_ETH_SS_STATS if T::HAS_GET_STATS => T::STATS_NAMES,
            kernel::bindings::ethtool_stringset_ETH_SS_TEST if T::HAS_SELF_TEST => {
                T::SELF_TEST_NAMES
            }
            _ => &[],
        };
        (!names.is_empty()).then_some(names)
    }

    extern "C" fn get_sset_count(_dev: *mut KDev, set: c_int) -> c_int {
        match u32::try_from(set).ok().and_then(Self::string_set) {
            Some(names) => c_int::try_from(names.len()).unwrap_or(0),
            None => super::code::eopnotsupp().to_errno(),
        }
    }

    extern "C" fn get_strings(_dev: *mut KDev, set: u32, buf: *mut u8) {
        let Some(names) = Self::string_set(set) else {
            return;
        };
        const LEN: usize = kernel::bindings::ETH_GSTRING_LEN as usize;
        // SAFETY: The core sized `buf` from `get_sset_count`, which
        // answered with the length of the same constant list: one
        // `ETH_GSTRING_LEN` slot per name.
        let buf = unsafe { core::slice::from_raw_parts_mut(buf, names.len() * LEN) };
        for (slot, name) in buf.chunks_exact_mut(LEN).zip(names) {
            copy_cstr(slot, name);
        }
    }

    extern "C" fn get_ethtool_stats(
        dev: *mut KDev,
        _stats: *mut kernel::bindings::ethtool_stats,
        data: *mut u64,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        let n = T::STATS_NAMES.len();
        // SAFETY: The core sized `data` from `get_sset_count(ETH_SS_STATS)`,
        // which is the length of this constant list.
        let data = unsafe { core::slice::from_raw_parts_mut(data, n) };
        data.fill(0);
        T::get_stats(dev, data);
    }

    extern "C" fn self_test(
        dev: *mut KDev,
        test: *mut kernel::bindings::ethtool_test,
        data: *mut u64,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        let n = T::SELF_TEST_NAMES.len();
        // SAFETY: The core passes a valid request, ours for the call, and
        // sized `data` from `get_sset_count(ETH_SS_TEST)`, which is the
        // length of this constant list.
        let (test, data) = unsafe { (&mut *test, core::slice::from_raw_parts_mut(data, n)) };
        data.fill(0);
        let offline = test.flags & kernel::bindings::ethtool_test_flags_ETH_TEST_FL_OFFLINE != 0;
        if T::self_test(dev, offline, data) {
            test.flags |= kernel::bindings::ethtool_test_flags_ETH_TEST_FL_FAILED;
        }
    }

    extern "C" fn get_regs_len(_dev: *mut KDev) -> c_int {
        // `REGS_WORDS` is at most `c_int::MAX / 4`.
        c_int::try_from(Self::REGS_WORDS * 4).unwrap_or(0)
    }

    extern "C" fn get_regs(
        dev: *mut KDev,
        regs: *mut kernel::bindings::ethtool_regs,
        buf: *mut c_void,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        // SAFETY: The core allocated `get_regs_len()` bytes, zeroed, at
        // `buf` (suitably aligned: it comes from `vzalloc`): that is
        // `REGS_WORDS` words, a constant.
        let data = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u32>(), Self::REGS_WORDS) };
        let version = T::get_regs(dev, data);
        // SAFETY: The core passes a valid structure.
        unsafe { (*regs).version = version };
    }

    extern "C" fn get_coalesce(
        dev: *mut KDev,
        ec: *mut kernel::bindings::ethtool_coalesce,
        _kec: *mut kernel::bindings::kernel_ethtool_coalesce,
        _extack: *mut kernel::bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| {
            let c = T::get_coalesce(dev)?;
            // SAFETY: The core passes a valid, exclusively ours structure.
            let ec = unsafe { &mut *ec };
            ec.rx_coalesce_usecs = c.rx_usecs;
            ec.rx_max_coalesced_frames = c.rx_max_frames;
            ec.tx_coalesce_usecs = c.tx_usecs;
            ec.tx_max_coalesced_frames = c.tx_max_frames;
            Ok(0)
        })
    }

    extern "C" fn set_coalesce(
        dev: *mut KDev,
        ec: *mut kernel::bindings::ethtool_coalesce,
        _kec: *mut kernel::bindings::kernel_ethtool_coalesce,
        _extack: *mut kernel::bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        // SAFETY: The core passes a valid structure.
        let ec = unsafe { &*ec };
        let c = Coalesce {
            rx_usecs: ec.rx_coalesce_usecs,
            rx_max_frames: ec.rx_max_coalesced_frames,
            tx_usecs: ec.tx_coalesce_usecs,
            tx_max_frames: ec.tx_max_coalesced_frames,
        };
        from_result(|| T::set_coalesce(dev, &c).map(|()| 0))
    }

    extern "C" fn get_channels(dev: *mut KDev, ch: *mut kernel::bindings::ethtool_channels) {
        // SAFETY: As in `get_drvinfo`.
        let c = T::get_channels(unsafe { Self::dev(dev) });
        // SAFETY: The core passes a valid, exclusively ours structure.
        let ch = unsafe { &mut *ch };
        ch.max_combined = c.max_combined;
        ch.max_rx = c.max_rx;
        ch.max_tx = c.max_tx;
        ch.combined_count = c.combined;
        ch.rx_count = c.rx;
        ch.tx_count = c.tx;
    }

    extern "C" fn set_channels(
        dev: *mut KDev,
        ch: *mut kernel::bindings::ethtool_channels,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        // SAFETY: The core passes a valid structure.
        let ch = unsafe { &*ch };
        let req = Channels {
            max_combined: ch.max_combined,
            max_rx: ch.max_rx,
            max_tx: ch.max_tx,
            combined: ch.combined_count,
            rx: ch.rx_count,
            tx: ch.tx_count,
        };
        if ch.other_count != 0 {
            return EINVAL.to_errno();
        }
        from_result(|| T::set_channels(dev, &req).map(|()| 0))
    }

    extern "C" fn get_eeprom_len(dev: *mut KDev) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        c_int::try_from(T::eeprom_len(unsafe { Self::dev(dev) })).unwrap_or(0)
    }

    extern "C" fn get_eeprom(
        dev: *mut KDev,
        ee: *mut kernel::bindings::ethtool_eeprom,
        data: *mut u8,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| {
            // SAFETY: The core passes a valid, exclusively ours structure.
            let ee = unsafe { &mut *ee };
            let (offset, len) = (ee.offset as usize, ee.len as usize);
            if offset
                .checked_add(len)
                .is_none_or(|end| end > T::eeprom_len(dev))
            {
                return Err(EINVAL);
            }
            // SAFETY: The core allocated `len` bytes at `data`.
            let buf = unsafe { core::slice::from_raw_parts_mut(data, len) };
            ee.magic = T::get_eeprom(dev, offset, buf)?;
            Ok(0)
        })
    }

    extern "C" fn get_pauseparam(dev: *mut KDev, pp: *mut kernel::bindings::ethtool_pauseparam) {
        // SAFETY: As in `get_drvinfo`.
        let p = T::get_pauseparam(unsafe { Self::dev(dev) });
        // SAFETY: The core passes a valid, exclusively ours structure.
        let pp = unsafe { &mut *pp };
        pp.autoneg = u32::from(p.autoneg);
        pp.rx_pause = u32::from(p.rx);
        pp.tx_pause = u32::from(p.tx);
    }

    extern "C" fn get_pause_stats(dev: *mut KDev, ps: *mut kernel::bindings::ethtool_pause_stats) {
        // SAFETY: As in `get_drvinfo`.
        let p = T::get_pause_stats(unsafe { Self::dev(dev) });
        // SAFETY: The core passes a valid, exclusively ours structure
        // (counters preset to "not reported").
        let stats = unsafe { &mut (*ps).__bindgen_anon_1.__bindgen_anon_1 };
        stats.tx_pause_frames = p.tx_pause_frames;
        stats.rx_pause_frames = p.rx_pause_frames;
    }

    extern "C" fn nway_reset(dev: *mut KDev) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| T::nway_reset(dev).map(|()| 0))
    }

    extern "C" fn get_link_ksettings(
        dev: *mut KDev,
        ks: *mut kernel::bindings::ethtool_link_ksettings,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| {
            let s = T::get_link_settings(dev)?;
            // SAFETY: The core passes a valid, zeroed structure.
            let base = unsafe { &mut (*ks).base };
            base.speed = s.speed.unwrap_or(u32::MAX);
            base.duplex = match s.duplex {
                Duplex::Half => kernel::bindings::DUPLEX_HALF,
                Duplex::Full => kernel::bindings::DUPLEX_FULL,
                Duplex::Unknown => kernel::bindings::DUPLEX_UNKNOWN,
            } as u8;
            base.port = match s.port {
                Port::TwistedPair => kernel::bindings::PORT_TP,
                Port::Fibre => kernel::bindings::PORT_FIBRE,
                Port::Other => kernel::bindings::PORT_OTHER,
            } as u8;
            base.autoneg = u8::from(s.autoneg);
            Ok(0)
        })
    }
}
