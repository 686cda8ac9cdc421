// SPDX-License-Identifier: GPL-2.0

//! The control case of the virtio layer: the correct use of what the other
//! virtio cases misuse compiles. It proves that their errors come from the
//! misuse, not from the fixture or the build.
//!
//! expect: success

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use core::pin::Pin;
use kernel::device::{Bound, Core};
use kernel::sync::aref::ARef;
use virtio::net;

#[vtable]
impl virtio::Driver for Fixture {
    type IdInfo = ();
    type Data<'bound> = ARef<virtio::Device>;

    const ID_TABLE: virtio::IdTable<()> = &ID_TABLE;
    const FEATURES: &'static [u32] = &[net::feature::MAC, net::feature::MTU];

    fn validate(dev: &mut virtio::Validation<'_, '_>) -> Result {
        if dev.sleepable(|ctx| dev.read_config(&net::MTU, ctx)).is_some_and(|mtu| mtu < 68) {
            dev.clear_feature(net::feature::MTU)?;
        }
        Ok(())
    }

    fn probe<'bound>(
        dev: &'bound virtio::Device<Core<'_>>,
        _id_info: &'bound (),
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let _mac: Option<[u8; 6]> = dev.sleepable(|ctx| dev.read_config(&net::MAC, ctx));
        dev.device_ready();
        Ok(ARef::from(dev))
    }

    fn remove<'bound>(dev: &'bound virtio::Device<Core<'_>>, _this: Pin<&Self::Data<'bound>>) {
        dev.reset();
    }

    fn config_changed(dev: &virtio::Device<Bound>, this: Pin<&Self::Data<'_>>, ctx: &netdev::Sleepable) {
        let _status = dev.read_config(&net::STATUS, ctx);
        let _speed: Option<u32> = dev.read_config(&net::SPEED, ctx);
        let _id = this.device_id();
    }
}
