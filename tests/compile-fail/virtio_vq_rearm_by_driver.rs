// SPDX-License-Identifier: GPL-2.0

//! A driver turning its queue's callbacks off by itself, outside the NAPI
//! completion protocol: nothing would turn them on again, and the queue's
//! interrupts would be lost. Only the layer's completion can make the key
//! the re-arming methods ask for.
//!
//! expect: error[E0423]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use netdev::napi::{Rearm, RearmKey};
use virtio::{RxSkb, Virtqueue};

fn quiet(rx: &mut Virtqueue<RxSkb>) {
    rx.disable(&RearmKey(()));
}
