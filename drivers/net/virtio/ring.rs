// SPDX-License-Identifier: GPL-2.0

//! Ring sizes (`ethtool -g`/`-G`), as C virtio_net: the maxima are the
//! device's, a resize goes through `virtqueue_resize` (which needs
//! `VIRTIO_F_RING_RESET`), transmit first, then receive, each with its
//! queue paused: the NAPI instance disabled, the handle taken out of its
//! lock for the time of the resize (which sleeps), then put back.
//!
//! The buffers the device had not used are dropped with the old ring; the
//! receive queue is filled again, and the transmit queue's byte queue
//! limits forget the dropped frames (C `netdev_tx_reset_queue`).

use kernel::prelude::*;

use crate::iface::VirtnetIface;
use crate::netdev::{Device, QueueKind, RingParam};

/// Current and largest sizes of the two queues (C
/// `virtnet_get_ringparam`).
pub(crate) fn sizes(dev: &Device<VirtnetIface>) -> RingParam {
    let data = dev.data();
    let mut ring = RingParam::default();
    if let Some(vq) = &data.rx.lock().vq {
        ring.rx = vq.size();
        ring.rx_max = vq.size_max();
    }
    if let Ok(mut lock) = dev.lock_tx_queue(0) {
        if let Ok(Some(vq)) = data.tx.get(&mut lock).map(|tx| tx.vq.as_ref()) {
            ring.tx = vq.size();
            ring.tx_max = vq.size_max();
        }
    }
    ring
}

/// Resizes the queues to `rx` and `tx` entries (C
/// `virtnet_set_ringparam`; the core has refused sizes above the maxima).
/// A transmit ring must be larger than what one frame may take; a size
/// that is not a power of two fails in the allocation (`ENOMEM`), as in C.
pub(crate) fn resize(dev: &Device<VirtnetIface>, rx: u32, tx: u32) -> Result {
    let now = sizes(dev);
    if tx != now.tx {
        resize_tx(dev, tx)?;
    }
    if rx != now.rx {
        resize_rx(dev, rx)?;
    }
    Ok(())
}

fn resize_tx(dev: &Device<VirtnetIface>, num: u32) -> Result {
    if num <= crate::tx::ROOM {
        pr_err!(
            "{}: tx size ({}) cannot be smaller than {}\n",
            dev.name(),
            num,
            crate::tx::ROOM
        );
        return Err(EINVAL);
    }
    let data = dev.data();
    data.tx_napi.disable();
    // Under the xmit lock: no `start_xmit` is running, and none comes
    // once the queue is stopped (netpoll checks that too).
    {
        let _lock = dev.lock_tx_queue(0)?;
        dev.stop_queue();
        data.stats.tx_stops.inc();
    }
    crate::tx::drain(dev)?;
    let taken = {
        let mut lock = dev.lock_tx_queue(0)?;
        data.tx.get(&mut lock)?.vq.take()
    };
    let mut vq = taken.ok_or(EBUSY)?;
    let res = data.tx_napi.resize(&mut vq, num);
    if let Err(e) = res {
        pr_err!(
            "{}: resize tx fail: tx queue index: 0 err: {}\n",
            dev.name(),
            e.to_errno()
        );
    }
    // The frames in flight went with the old ring, uncompleted.
    dev.reset_queue();
    let mut lock = dev.lock_tx_queue(0)?;
    data.tx.get(&mut lock)?.vq = Some(vq);
    if dev.is_running() {
        dev.wake_queue();
        data.stats.tx_wakes.inc();
        drop(lock);
        data.tx_napi.enable_for(0, QueueKind::Tx)?;
    }
    res
}

fn resize_rx(dev: &Device<VirtnetIface>, num: u32) -> Result {
    let data = dev.data();
    data.rx_napi.disable();
    let mut vq = data.rx.lock().vq.take().ok_or(EBUSY)?;
    let res = vq.resize(&data.rx_napi, num);
    if let Err(e) = res {
        pr_err!(
            "{}: resize rx fail: rx queue index: 0 err: {}\n",
            dev.name(),
            e.to_errno()
        );
    }
    data.rx.lock().vq = Some(vq);
    // The poll that enabling schedules fills the new ring.
    if dev.is_running() {
        data.rx_napi.enable_for(0, QueueKind::Rx)?;
    }
    res
}
