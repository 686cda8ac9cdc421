// SPDX-License-Identifier: GPL-2.0

//! The RTNL guard handed to another task, which would then release a lock it
//! does not hold.
//!
//! expect: error[E0277]

#![deny(unsafe_code)]

include!("fixture.rs");

use netdev::Rtnl;

/// What moving a value to another task (a work item, a thread) requires.
fn send_to_another_task<T: Send>(_value: T) {}

fn rtnl_elsewhere() {
    send_to_another_task(Rtnl::lock());
}
