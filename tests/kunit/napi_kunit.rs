// SPDX-License-Identifier: GPL-2.0

//! KUnit tests of the layer's runtime guards around NAPI: an instance
//! outside the private data is refused, and enabling from atomic context
//! is refused rather than sleeping there.

use kernel::prelude::*;
use kernel::sync::{new_spinlock, SpinLock};

use super::netdev;

/// Private data with one NAPI instance inside it and one in a box of its
/// own, which can outlive the `net_device`.
#[pin_data]
struct TwoNapis {
    #[pin]
    inside: netdev::Napi<TwoNapis>,
    boxed: Pin<KBox<netdev::Napi<TwoNapis>>>,
    #[pin]
    lock: SpinLock<()>,
}

#[vtable]
impl netdev::Operations for TwoNapis {
    fn start_xmit(
        _dev: &netdev::Device<Self>,
        skb: netdev::SkBuff,
        _txq: &mut netdev::TxLock<'_, Self>,
    ) {
        skb.drop_reason(netdev::DropReason::DeviceNotReady);
    }
}

impl netdev::Poll for TwoNapis {
    fn poll<'a>(
        _dev: &netdev::Device<Self>,
        ctx: netdev::PollContext<'a, Self>,
    ) -> netdev::PollDone<'a> {
        ctx.complete_done(0)
    }
}

fn two_napis() -> Result<netdev::Builder<TwoNapis>> {
    let boxed = KBox::pin_init(netdev::Napi::new(), GFP_KERNEL)?;
    netdev::Builder::new(
        1,
        1,
        pin_init::pin_init!(TwoNapis {
            inside <- netdev::Napi::new(),
            boxed,
            lock <- new_spinlock!(()),
        }),
    )
}

#[kunit_tests(rnic_napi_guards)]
mod tests {
    use super::*;

    /// The layer disables every instance before the private data goes; one
    /// outside it could be freed first, or outlive the device.
    #[test]
    fn add_napi_refuses_an_instance_outside_the_private_data() -> Result {
        let mut builder = two_napis()?;
        assert_eq!(builder.add_napi(|d| &d.boxed), Err(EINVAL));
        assert_eq!(builder.add_napi(|d| &d.inside), Ok(()));
        Ok(())
    }

    /// `napi_disable` sleeps and binding a queue takes a mutex: under a
    /// spinlock the layer refuses instead (and warns once).
    #[test]
    fn napi_queue_binding_refused_in_atomic_context() -> Result {
        let mut builder = two_napis()?;
        builder.add_napi(|d| &d.inside)?;
        let data = builder.device().data();
        {
            let _atomic = data.lock.lock();
            assert_eq!(data.inside.enable_for_queue(0), Err(EINVAL));
        }
        assert_eq!(data.inside.enable_for_queue(0), Ok(()));
        assert_eq!(data.inside.enable_for_queue(1), Err(EINVAL));
        Ok(())
    }
}
