// SPDX-License-Identifier: GPL-2.0

//! The control case of the virtqueue part: the correct use of what the
//! other `virtio_vq_*` cases misuse compiles. Queues found in probe, each
//! kept behind the lock of the contexts that share it (the transmit queue
//! behind the netdev queue's xmit lock, in a `TxLocked`), a NAPI instance
//! bound to each, receive and transmit through typed tokens, polls ending
//! through the layer's re-arming completion.
//!
//! expect: success

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use core::pin::Pin;
use kernel::device::Core;
use netdev::napi::{PollContext, PollDone};
use netdev::{
    Builder, Device, DropReason, Poll, QueueKind, Registration, SkBuff, SpinLockBh, TxLock,
    TxLocked,
};
use virtio::{RxSkb, TxFrame, Virtqueue, VqNapi};

/// The interface's private data.
#[pin_data]
struct Iface {
    #[pin]
    rx_napi: VqNapi<Self>,
    #[pin]
    tx_napi: VqNapi<Self>,
    #[pin]
    rx: SpinLockBh<Virtqueue<RxSkb>>,
    tx: TxLocked<Virtqueue<TxFrame>>,
}

impl Iface {
    fn new(rx: Virtqueue<RxSkb>, tx: Virtqueue<TxFrame>) -> impl PinInit<Self> {
        let rx_napi = VqNapi::new(&rx);
        let tx_napi = VqNapi::new(&tx);
        pin_init!(Self {
            rx_napi <- rx_napi,
            tx_napi <- tx_napi,
            rx <- SpinLockBh::new(rx, c"rx", kernel::static_lock_class!()),
            tx: TxLocked::new(0, tx),
        })
    }
}

#[vtable]
impl netdev::Operations for Iface {
    fn open(dev: &Device<Self>) -> Result {
        let mut rx = dev.data().rx.lock();
        while let Ok(skb) = SkBuff::alloc(dev, 1530) {
            let Ok(buf) = RxSkb::new(skb, 1530) else {
                break;
            };
            if let Err((_, buf)) = rx.add_inbuf(buf, GFP_ATOMIC) {
                buf.into_skb().drop_reason(DropReason::NoMemory);
                break;
            }
        }
        rx.kick();
        drop(rx);
        dev.data().rx_napi.enable_for(0, QueueKind::Rx)?;
        dev.data().tx_napi.enable()?;
        Ok(())
    }

    fn start_xmit(dev: &Device<Self>, skb: SkBuff, txq: &mut TxLock<'_, Self>) {
        let Ok(tx) = dev.data().tx.get(txq) else {
            skb.drop_reason(DropReason::NotSpecified);
            return;
        };
        match TxFrame::new(skb, &[0; 12], true) {
            Ok(frame) => match tx.add_outbuf(frame, GFP_ATOMIC) {
                Ok(()) => {
                    tx.kick();
                }
                Err((_, frame)) => frame.into_skb().drop_reason(DropReason::FullRing),
            },
            Err(skb) => skb.drop_reason(DropReason::TooSmall),
        }
    }
}

impl Poll for Iface {
    fn poll<'a>(dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a> {
        if ctx.is(dev.data().tx_napi.napi()) {
            let Ok(mut lock) = dev.lock_tx_queue(0) else {
                return ctx.poll_again();
            };
            let Ok(tx) = dev.data().tx.get(&mut lock) else {
                return ctx.poll_again();
            };
            while let Some((frame, _len)) = tx.get_buf() {
                ctx.consume_skb(frame.into_skb());
            }
            return ctx.complete_done_rearm(0, tx);
        }
        let mut rx = dev.data().rx.lock();
        let mut work = 0;
        while work < ctx.budget() {
            let Some((buf, _len)) = rx.get_buf() else {
                break;
            };
            let mut skb = buf.into_skb();
            work += 1;
            if skb.pull(12).is_ok() && skb.eth_type_trans(dev).is_ok() {
                ctx.gro_receive(skb);
            }
        }
        ctx.complete_done_rearm(work, &mut *rx)
    }
}

#[vtable]
impl virtio::Driver for Fixture {
    type IdInfo = ();
    type Data<'bound> = Registration<Iface>;

    const ID_TABLE: virtio::IdTable<()> = &ID_TABLE;
    const FEATURES: &'static [u32] = &[];

    fn probe<'bound>(
        dev: &'bound virtio::Device<Core<'_>>,
        _id_info: &'bound (),
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let (rx, tx) = dev.find_vqs::<(RxSkb, TxFrame)>([c"input.0", c"output.0"])?;
        let mut builder = Builder::new(1, 1, Iface::new(rx, tx))?;
        builder.add_napi(|iface| iface.rx_napi.napi())?;
        builder.add_napi(|iface| iface.tx_napi.napi())?;
        dev.device_ready();
        builder.register()
    }

    fn remove<'bound>(_dev: &'bound virtio::Device<Core<'_>>, _this: Pin<&Self::Data<'bound>>) {}
}
