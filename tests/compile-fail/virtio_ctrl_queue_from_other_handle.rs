// SPDX-License-Identifier: GPL-2.0

//! A control queue made from the transmit queue's handle: commands would
//! travel through a queue whose other buffers are frames, and come back as
//! frames. Only the handle `find_vqs` made with `CtrlCmd` tokens will do.
//!
//! expect: error[E0308]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use virtio::{CtrlQueue, TxFrame, Virtqueue};

fn control_on_tx(tx: Virtqueue<TxFrame>) -> impl PinInit<CtrlQueue> {
    CtrlQueue::new(tx)
}
