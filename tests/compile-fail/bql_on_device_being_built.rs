// SPDX-License-Identifier: GPL-2.0

//! Byte queue limits on a device still being built: its queues have no
//! scheduler until registration, and a completion that restarts the queue
//! dereferences it. Only a registered device has them.
//!
//! expect: error[E0599]

#![deny(unsafe_code)]

include!("fixture.rs");

use netdev::Builder;

fixture_operations!();

/// Accounts a frame before the device is registered.
#[allow(dead_code)]
fn account(builder: &Builder<Fixture>) {
    builder.device().sent_queue(100);
    builder.device().completed_queue(1, 100);
}
