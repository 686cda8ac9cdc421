// SPDX-License-Identifier: GPL-2.0

//! The control case of the control queue: the correct use of what the
//! other `virtio_ctrl_*` cases misuse compiles. The control queue's handle
//! from `find_vqs`, commands sent from the callbacks that may sleep (the
//! asynchronous receive mode, the VLAN filter, the address, probe,
//! `config_changed`), with the proof each of them lends.
//!
//! expect: success

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use core::pin::Pin;
use kernel::device::{Bound, Core};
use kernel::revocable::Revocable;
use kernel::sync::aref::ARef;
use netdev::{
    AddrList, Builder, Device, MacAddress, Registration, Rtnl, SkBuff, Sleepable, TxLock,
};
use virtio::{net, CtrlCmd, CtrlQueue, RxSkb, TxFrame};

/// The interface's private data: the control queue only.
#[pin_data]
struct Iface {
    #[pin]
    ctrl: CtrlQueue,
}

fn flag(queue: &CtrlQueue, cmd: u8, on: bool, ctx: &Sleepable) -> Result {
    queue.send(CtrlCmd::new(net::ctrl::RX, cmd, &[&[u8::from(on)]])?, ctx)?;
    Ok(())
}

#[vtable]
impl netdev::Operations for Iface {
    fn start_xmit(_dev: &Device<Self>, skb: SkBuff, _txq: &mut TxLock<'_, Self>) {
        skb.consume();
    }

    fn set_rx_mode_async(
        dev: &Device<Self>,
        uc: &AddrList<'_>,
        mc: &AddrList<'_>,
        ctx: &Sleepable,
    ) -> Result {
        let queue = &dev.data().ctrl;
        flag(queue, net::ctrl::RX_PROMISC, dev.is_promiscuous(), ctx)?;
        let mut table = KVec::new();
        for list in [uc, mc] {
            table.extend_from_slice(&queue.u32_bytes(list.len() as u32), GFP_KERNEL)?;
            for addr in list.iter() {
                table.extend_from_slice(&addr.0, GFP_KERNEL)?;
            }
        }
        let cmd = CtrlCmd::new(net::ctrl::MAC, net::ctrl::MAC_TABLE_SET, &[&table])?;
        queue.send(cmd, ctx)?;
        Ok(())
    }

    fn set_mac_address(dev: &Device<Self>, addr: &MacAddress, ctx: &Sleepable) -> Result {
        let cmd = CtrlCmd::new(net::ctrl::MAC, net::ctrl::MAC_ADDR_SET, &[&addr.0])?;
        dev.data().ctrl.send(cmd, ctx)?;
        Ok(())
    }

    fn vlan_rx_add_vid(dev: &Device<Self>, _proto: u16, vid: u16, ctx: &Sleepable) -> Result {
        let queue = &dev.data().ctrl;
        let cmd = CtrlCmd::new(
            net::ctrl::VLAN,
            net::ctrl::VLAN_ADD,
            &[&queue.u16_bytes(vid)],
        )?;
        let reply = queue.send(cmd.with_reply(0)?, ctx)?;
        let _data: &[u8] = reply.data();
        Ok(())
    }
}

#[pin_data]
struct Data {
    #[pin]
    iface: Revocable<Registration<Iface>>,
}

/// The control queue from `find_vqs`, the interface around it, and a
/// command from probe.
fn register(dev: &virtio::Device<Core<'_>>) -> Result<Registration<Iface>> {
    let (_rx, _tx, cvq) =
        dev.find_vqs::<(RxSkb, TxFrame, CtrlCmd)>([c"input.0", c"output.0", c"control"])?;
    let builder = Builder::new(1, 1, pin_init!(Iface { ctrl <- CtrlQueue::new(cvq) }))?;
    dev.device_ready();
    let reg = builder.register()?;
    dev.sleepable(|ctx| {
        flag(
            &reg.device().data().ctrl,
            net::ctrl::RX_ALLMULTI,
            false,
            ctx,
        )
    })?;
    Ok(reg)
}

#[vtable]
impl virtio::Driver for Fixture {
    type IdInfo = ();
    type Data<'bound> = Data;

    const ID_TABLE: virtio::IdTable<()> = &ID_TABLE;
    const FEATURES: &'static [u32] = &[net::feature::CTRL_VQ, net::feature::CTRL_RX];

    fn probe<'bound>(
        dev: &'bound virtio::Device<Core<'_>>,
        _id_info: &'bound (),
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let reg = register(dev);
        try_pin_init!(Data { iface <- Revocable::new(reg?) }? Error)
    }

    fn remove<'bound>(_dev: &'bound virtio::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        this.iface.revoke();
    }

    fn config_changed(_dev: &virtio::Device<Bound>, this: Pin<&Data>, ctx: &Sleepable) {
        let Some(iface) = this.iface.try_access().map(|reg| ARef::from(reg.device())) else {
            return;
        };
        iface.notify_peers(&Rtnl::lock());
        let cmd = CtrlCmd::new(net::ctrl::ANNOUNCE, net::ctrl::ANNOUNCE_ACK, &[]);
        if let Ok(cmd) = cmd {
            let _ = iface.data().ctrl.send(cmd, ctx);
        }
    }
}
