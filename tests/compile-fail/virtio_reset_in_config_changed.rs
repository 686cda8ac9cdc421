// SPDX-License-Identifier: GPL-2.0

//! A reset from `config_changed`: it runs from a work item, outside the
//! bus callbacks, concurrently with whatever uses the device; C forbids
//! resetting a device from its callbacks or while it is being removed.
//! `config_changed` gets a `Device<Bound>`, which has no `reset`.
//!
//! expect: error[E0599]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use core::pin::Pin;
use kernel::device::{Bound, Core};

#[vtable]
impl virtio::Driver for Fixture {
    type IdInfo = ();
    type Data<'bound> = ();

    const ID_TABLE: virtio::IdTable<()> = &ID_TABLE;
    const FEATURES: &'static [u32] = &[];

    fn probe<'bound>(
        _dev: &'bound virtio::Device<Core<'_>>,
        _id_info: &'bound (),
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        Ok(())
    }

    fn config_changed(dev: &virtio::Device<Bound>, _this: Pin<&()>, _ctx: &netdev::Sleepable) {
        dev.reset();
    }
}
