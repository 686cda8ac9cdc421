// SPDX-License-Identifier: GPL-2.0

//! The device made ready in `validate`, before the features are confirmed
//! to it (`FEATURES_OK`): the device would run with features it has not
//! accepted. `Validation` gives a `Device<Bound>`, which cannot do that.
//!
//! expect: error[E0599]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use kernel::device::Core;

#[vtable]
impl virtio::Driver for Fixture {
    type IdInfo = ();
    type Data<'bound> = ();

    const ID_TABLE: virtio::IdTable<()> = &ID_TABLE;
    const FEATURES: &'static [u32] = &[];

    fn validate(dev: &mut virtio::Validation<'_, '_>) -> Result {
        dev.device_ready();
        Ok(())
    }

    fn probe<'bound>(
        _dev: &'bound virtio::Device<Core<'_>>,
        _id_info: &'bound (),
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        Ok(())
    }
}
