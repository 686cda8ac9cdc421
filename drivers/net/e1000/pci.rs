// SPDX-License-Identifier: GPL-2.0

//! The PCI driver: probe (the C driver's `e1000_probe`) and the legacy
//! interrupt's handler.

use core::sync::atomic::Ordering;

use kernel::debugfs;
use kernel::device::Core;
use kernel::io::Io;
use kernel::irq::IrqReturn;
use kernel::pci;
use kernel::prelude::*;
use kernel::str::CString;

use crate::adapter::E1000;
use crate::hw::Hw;
use crate::netdev::{self, Builder, Device};
use crate::phy::LinkConfig;
use crate::regs::*;
use crate::{FIXED_OFFLOADS, MAX_MTU, MIN_MTU, OFFLOADS, PCI_TABLE, RX_DEBUG};

impl netdev::Intx for E1000 {
    /// The legacy interrupt, requested while the interface is up (and by
    /// the interrupt self-test, which only records the causes).
    fn interrupt(dev: &Device<Self>) -> IrqReturn {
        let e = dev.data();
        E1000::with_hw(dev, |hw| {
            // Reading the cause register acknowledges it; zero means the
            // shared line was raised by another device.
            let icr = hw.io().read(ICR);
            if icr.into_raw() == 0 {
                return IrqReturn::None;
            }
            if e.irq_test.load(Ordering::Acquire) {
                e.irq_test_seen.fetch_or(icr.into_raw(), Ordering::AcqRel);
                return IrqReturn::Handled;
            }
            if icr.lsc() {
                e.link_event.store(true, Ordering::Release);
            }
            // Masked until the poll has run.
            hw.io().write_reg(IMC::zeroed().with_causes(!0));
            e.napi.schedule();
            IrqReturn::Handled
        })
        .unwrap_or(IrqReturn::None)
    }
}

/// The PCI driver.
pub(crate) struct E1000Driver;

/// Per-device data of the PCI driver: the interface itself belongs to
/// devres (see `Builder::register_managed`).
pub(crate) struct E1000Pci;

impl pci::Driver for E1000Driver {
    type IdInfo = ();
    type Data<'bound> = E1000Pci;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: &'bound Self::IdInfo,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        probe(pdev).map(|()| E1000Pci)
    }
}

fn probe(pdev: &pci::Device<Core<'_>>) -> Result {
    pdev.enable_device_mem()?;
    pdev.set_master();
    // Plain PCI: the C driver uses 64-bit addressing on PCI-X only.
    netdev::dma::set_mask(pdev, 32)?;
    let bar = pdev
        .iomap_region_sized::<BAR0_SIZE>(0, c"rust_e1000")?
        .into_devres()?;

    let (mac, wol, link) = {
        let regs = bar.access(pdev.as_ref())?;
        let hw = Hw(regs);
        hw.reset()?;
        let words = hw.eeprom_read_all()?;
        if !Hw::eeprom_checksum_ok(&words) {
            dev_err!(pdev, "The EEPROM Checksum Is Not Valid\n");
            return Err(EIO);
        }
        let mac = Hw::eeprom_mac(&words);
        if !mac.is_valid_unicast() {
            dev_err!(pdev, "Invalid MAC Address\n");
            return Err(EIO);
        }
        let mut link = LinkConfig::new(words[crate::phy::EEPROM_INIT_CONTROL2]);
        if hw.setup_link(&mut link).is_err() {
            dev_err!(pdev, "Hardware Error\n");
        }
        hw.clear_vfta();
        hw.set_vlan_ethertype();
        hw.write_mta(&[0; MTA_REGS]);
        hw.set_rar(0, &mac);
        for i in 1..RAR_ENTRIES {
            hw.clear_rar(i);
        }
        (
            mac,
            crate::wol::from_eeprom(words[crate::wol::EEPROM_INIT_CONTROL3]),
            link,
        )
    };
    // As C: the EEPROM's setting, and the PCI device's wake-up flag with
    // it (refused, and ignored, on a device that cannot wake).
    let _ = netdev::wakeup::set_wakeup_in_probe(pdev.as_ref(), wol != 0);

    let debug_name = CString::try_from_fmt(fmt!("rust_e1000-{}", pdev.as_ref().name()))?;
    let debug_dir = debugfs::Dir::new(&debug_name);
    let mut builder = Builder::new(
        1,
        1,
        E1000::new(bar, wol, link, pdev.revision_id(), &debug_dir),
    )?;
    builder.set_mac_address(&mac)?;
    builder.set_mtu_range(MIN_MTU, MAX_MTU)?;
    builder.set_watchdog_timeout_ms(5000);
    builder.set_unicast_filtering();
    builder.set_supports_no_fcs();
    builder.set_features(OFFLOADS | RX_DEBUG, OFFLOADS | FIXED_OFFLOADS);
    builder.set_ethtool_ops();
    builder.set_queue_stats_ops();
    builder.add_napi(|e| &e.napi)?;
    builder.bind_xdp(|e| &e.xdp, |e| &e.napi)?;
    builder.add_task(|e| &e.task)?;
    builder.set_fail_alloc(|e| &e.fail_alloc)?;
    builder.device().carrier_off();
    builder.register_managed(pdev.as_ref())?;
    dev_info!(pdev, "(PCI:33MHz:32-bit) {}\n", mac);
    dev_info!(pdev, "Intel(R) PRO/1000 Network Connection\n");
    Ok(())
}
