// SPDX-License-Identifier: GPL-2.0

//! ethtool string-set sizes that depend on the device's state: the core
//! sizes its buffer from one answer and fills it in a later call. The
//! names are constants of the implementation, not a callback.
//!
//! expect: error[E0407]

#![deny(unsafe_code)]

include!("fixture.rs");

use netdev::{Device, EthtoolOps};

fixture_operations!();

#[vtable]
impl EthtoolOps for Fixture {
    fn stats_names(_dev: &Device<Self>) -> &'static [&'static str] {
        &["rx_packets"]
    }
}
