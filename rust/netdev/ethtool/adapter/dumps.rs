// SPDX-License-Identifier: GPL-2.0

//! The ethtool callbacks that fill buffers the core sized beforehand:
//! string sets, statistics, self-tests, register and EEPROM dumps.

use kernel::error::from_result;
use kernel::prelude::*;

use super::super::super::device::Device;
use super::super::types::copy_cstr;
use super::super::EthtoolOps;
use super::{Adapter, KDev};

impl<T: EthtoolOps> Adapter<T> {
    /// Whether `T` has any string set for `get_sset_count`.
    pub(super) const HAS_STRING_SETS: bool =
        !T::STATS_NAMES.is_empty() || !T::SELF_TEST_NAMES.is_empty();

    /// The register dump's size in words: `T::REGS_LEN`, or none if that
    /// many bytes do not fit the core's `int`.
    pub(super) const REGS_WORDS: usize = if T::REGS_LEN <= c_int::MAX as usize / 4 {
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

    pub(super) extern "C" fn get_sset_count(_dev: *mut KDev, set: c_int) -> c_int {
        match u32::try_from(set).ok().and_then(Self::string_set) {
            Some(names) => c_int::try_from(names.len()).unwrap_or(0),
            None => super::super::super::code::eopnotsupp().to_errno(),
        }
    }

    pub(super) extern "C" fn get_strings(_dev: *mut KDev, set: u32, buf: *mut u8) {
        let Some(names) = Self::string_set(set) else {
            return;
        };
        const LEN: usize = kernel::bindings::ETH_GSTRING_LEN as usize;
        // The core sized `buf` from `get_sset_count`, which answered with
        // the length of the same constant list.
        // SAFETY: So `buf` has one `ETH_GSTRING_LEN` slot per name.
        let buf = unsafe { core::slice::from_raw_parts_mut(buf, names.len() * LEN) };
        for (slot, name) in buf.chunks_exact_mut(LEN).zip(names) {
            copy_cstr(slot, name);
        }
    }

    pub(super) extern "C" fn get_ethtool_stats(
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

    pub(super) extern "C" fn self_test(
        dev: *mut KDev,
        test: *mut kernel::bindings::ethtool_test,
        data: *mut u64,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        let n = T::SELF_TEST_NAMES.len();
        // The core sized `data` from `get_sset_count(ETH_SS_TEST)`, the
        // length of this constant list.
        // SAFETY: So `data` holds `n` words; the request is valid and ours.
        let (test, data) = unsafe { (&mut *test, core::slice::from_raw_parts_mut(data, n)) };
        data.fill(0);
        let offline = test.flags & kernel::bindings::ethtool_test_flags_ETH_TEST_FL_OFFLINE != 0;
        if T::self_test(dev, offline, data) {
            test.flags |= kernel::bindings::ethtool_test_flags_ETH_TEST_FL_FAILED;
        }
    }

    pub(super) extern "C" fn get_regs_len(_dev: *mut KDev) -> c_int {
        // `REGS_WORDS` is at most `c_int::MAX / 4`.
        c_int::try_from(Self::REGS_WORDS * 4).unwrap_or(0)
    }

    pub(super) extern "C" fn get_regs(
        dev: *mut KDev,
        regs: *mut kernel::bindings::ethtool_regs,
        buf: *mut c_void,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        // The core allocated `get_regs_len()` bytes, zeroed, at `buf`
        // (aligned: from `vzalloc`), which is `REGS_WORDS` words.
        // SAFETY: So the slice covers exactly that allocation.
        let data = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u32>(), Self::REGS_WORDS) };
        let version = T::get_regs(dev, data);
        // SAFETY: The core passes a valid structure.
        unsafe { (*regs).version = version };
    }

    pub(super) extern "C" fn get_eeprom_len(dev: *mut KDev) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        c_int::try_from(T::eeprom_len(unsafe { Self::dev(dev) })).unwrap_or(0)
    }

    pub(super) extern "C" fn get_eeprom(
        dev: *mut KDev,
        ee: *mut kernel::bindings::ethtool_eeprom,
        data: *mut u8,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| {
            // SAFETY: The core passes a valid, exclusively ours structure.
            let ee = unsafe { &mut *ee };
            let (offset, len) = Self::eeprom_range(dev, ee)?;
            // SAFETY: The core allocated `len` bytes at `data`.
            let buf = unsafe { core::slice::from_raw_parts_mut(data, len) };
            ee.magic = T::get_eeprom(dev, offset, buf)?;
            Ok(0)
        })
    }

    /// The byte range a request covers, inside `eeprom_len` (the core
    /// checks it too; the driver relies on it).
    fn eeprom_range(
        dev: &Device<T>,
        ee: &kernel::bindings::ethtool_eeprom,
    ) -> Result<(usize, usize)> {
        let (offset, len) = (ee.offset as usize, ee.len as usize);
        match offset.checked_add(len) {
            Some(end) if end <= T::eeprom_len(dev) => Ok((offset, len)),
            _ => Err(EINVAL),
        }
    }

    pub(super) extern "C" fn set_eeprom(
        dev: *mut KDev,
        ee: *mut kernel::bindings::ethtool_eeprom,
        data: *mut u8,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| {
            // SAFETY: The core passes a valid structure.
            let ee = unsafe { &*ee };
            let (offset, len) = Self::eeprom_range(dev, ee)?;
            // The core copied `len` bytes from the user to `data` and does
            // not touch them during the call.
            // SAFETY: So they may be read as a slice for the call.
            let bytes = unsafe { core::slice::from_raw_parts(data, len) };
            T::set_eeprom(dev, ee.magic, offset, bytes).map(|()| 0)
        })
    }
}
