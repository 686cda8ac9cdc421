// SPDX-License-Identifier: GPL-2.0

// What every compile-fail case shares, included by its crate root: the
// netdev layer as drivers include it, an empty module, and a device type
// for the case to implement the layer's traits on. The case itself names
// the misuse and the error rustc must give for it.

#[allow(unsafe_code)]
#[path = "../../rust/netdev/mod.rs"]
mod netdev;

use kernel::prelude::*;

module! {
    type: CompileFail,
    name: "rnic_compile_fail",
    authors: ["rust-nic developers"],
    description: "A misuse of the netdev layer that must not compile",
    license: "GPL",
}

struct CompileFail;

impl kernel::Module for CompileFail {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Self)
    }
}

/// The device type of the case.
struct Fixture;

/// Implements `Operations` for [`Fixture`] the plain way: transmit drops
/// every frame. For the cases whose misuse lies elsewhere.
macro_rules! fixture_operations {
    () => {
        #[vtable]
        impl netdev::Operations for Fixture {
            fn start_xmit(
                _dev: &netdev::Device<Self>,
                skb: netdev::SkBuff,
                _txq: &mut netdev::TxLock<'_, Self>,
            ) {
                skb.drop_reason(netdev::DropReason::NotSpecified);
            }
        }
    };
}
