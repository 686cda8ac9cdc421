// SPDX-License-Identifier: GPL-2.0

//! KUnit tests of the netdev layer, what can be checked without a device
//! on the wire, and of driver logic that needs no device (the e1000's
//! adaptive interrupt rate). Loading the module runs the suites; results
//! go to the kernel log in KTAP form (tests/guest/test_kunit.sh reads
//! them).

use kernel::prelude::*;

#[path = "../../rust/netdev/mod.rs"]
mod netdev;

#[cfg(CONFIG_KUNIT = "y")]
#[path = "../../drivers/net/e1000/itr.rs"]
mod e1000_itr;

#[cfg(CONFIG_KUNIT = "y")]
mod napi_kunit;

#[cfg(CONFIG_KUNIT = "y")]
mod page_pool_kunit;

module! {
    type: NetdevKunit,
    name: "rnic_netdev_kunit",
    authors: ["rust-nic developers"],
    description: "KUnit tests of the rust-nic netdev layer",
    license: "GPL",
}

struct NetdevKunit;

impl kernel::Module for NetdevKunit {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Self)
    }
}

/// Private data of the unregistered devices the tests build.
#[cfg(CONFIG_KUNIT = "y")]
struct Probe {
    value: u32,
}

#[cfg(CONFIG_KUNIT = "y")]
#[vtable]
impl netdev::Operations for Probe {
    fn start_xmit(
        _dev: &netdev::Device<Self>,
        skb: netdev::SkBuff,
        _txq: &mut netdev::TxLock<'_, Self>,
    ) {
        skb.drop_reason(netdev::DropReason::DeviceNotReady);
    }
}

#[cfg(CONFIG_KUNIT = "y")]
fn probe_device(value: u32) -> Result<netdev::Builder<Probe>> {
    netdev::Builder::new(1, 1, pin_init::init!(Probe { value }))
}

#[kunit_tests(rnic_netdev)]
mod tests {
    use super::netdev::{
        skb_dma, Counter, DmaSegment, Features, MacAddress, PacketType, Rtnl, SkBuff, SkbQueue,
        ETH_ZLEN,
    };
    use super::*;
    use kernel::str::CString;

    #[test]
    fn mac_address_classes() {
        let unicast = MacAddress([0x02, 0, 0, 0, 0, 1]);
        assert!(unicast.is_valid_unicast());
        assert!(unicast.is_local());
        assert!(!unicast.is_multicast());
        let group = MacAddress([0x01, 0x00, 0x5e, 0, 0, 1]);
        assert!(group.is_multicast());
        assert!(!group.is_valid_unicast());
        assert!(MacAddress::BROADCAST.is_broadcast());
        assert!(MacAddress::BROADCAST.is_multicast());
        assert!(MacAddress::default().is_zero());
        assert!(!MacAddress::default().is_valid_unicast());
        assert_eq!(MacAddress::from_slice(&[1, 2, 3, 4, 5]), None);
        assert_eq!(
            MacAddress::from_slice(&[1, 2, 3, 4, 5, 6, 7]),
            Some(MacAddress([1, 2, 3, 4, 5, 6]))
        );
    }

    #[test]
    fn mac_address_display() -> Result {
        let text = CString::try_from_fmt(fmt!("{}", MacAddress([0x02, 0xab, 0, 0x10, 0xff, 9])))?;
        assert_eq!(text.to_bytes(), b"02:ab:00:10:ff:09");
        Ok(())
    }

    #[test]
    fn features_algebra() {
        let f = Features::SG | Features::RXCSUM;
        assert!(f.contains(Features::SG));
        assert!(!f.contains(Features::TSO));
        assert_eq!(f & Features::RXCSUM, Features::RXCSUM);
        assert_eq!(f ^ Features::SG, Features::RXCSUM);
        assert_ne!(Features::SG, Features::EMPTY);
    }

    #[test]
    fn counter_adds() {
        let c = Counter::new();
        c.inc();
        c.add(41);
        assert_eq!(c.get(), 42);
        c.add(u64::MAX);
        assert_eq!(c.get(), 41);
    }

    #[test]
    fn builder_validates_settings() -> Result {
        let mut b = probe_device(7)?;
        assert_eq!(b.device().data().value, 7);
        assert!(b.set_mac_address(&MacAddress([0x01, 0, 0, 0, 0, 1])).is_err());
        assert!(b.set_mac_address(&MacAddress::default()).is_err());
        b.set_mac_address(&MacAddress([0x02, 1, 2, 3, 4, 5]))?;
        assert_eq!(b.device().mac_address(), MacAddress([0x02, 1, 2, 3, 4, 5]));
        assert!(b.set_mtu_range(100, 50).is_err());
        assert!(b.set_mtu_range(10, 1500).is_err());
        assert!(b.set_mtu_range(45, 1500).is_err());
        b.set_mtu_range(46, 9000)?;
        b.set_mtu_range(68, 9000)?;
        assert!(b.set_name(c"a-name-longer-than-ifnamsiz%d").is_err());
        b.set_name(c"probe%d")?;
        b.set_random_mac_address();
        assert!(b.device().mac_address().is_valid_unicast());
        assert!(b.device().mac_address().is_local());
        assert!(!b.device().is_running());
        Ok(())
    }

    #[test]
    fn skb_put_pad_pull() -> Result {
        let b = probe_device(0)?;
        let mut skb = SkBuff::alloc(b.device(), 128)?;
        assert!(skb.is_empty());
        assert!(skb.tailroom() >= 128);
        skb.put_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])?;
        assert_eq!(skb.len(), 10);
        assert_eq!(skb.data(), &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

        // Too much for the buffer: refused, nothing changes.
        let room = skb.tailroom() as usize;
        let mut big = KVec::new();
        big.extend_with(room + 1, 0xaa, GFP_KERNEL)?;
        assert!(skb.put_slice(&big).is_err());
        assert_eq!(skb.len(), 10);

        skb.pad_to(ETH_ZLEN)?;
        assert_eq!(skb.len(), ETH_ZLEN);
        assert!(skb.data()[10..].iter().all(|&b| b == 0));

        let mut four = [0u8; 4];
        skb.copy_bits(2, &mut four)?;
        assert_eq!(four, [3, 4, 5, 6]);
        assert!(skb.copy_bits(58, &mut four).is_err());

        skb.pull(4)?;
        assert_eq!(skb.len(), ETH_ZLEN - 4);
        assert_eq!(skb.data()[0], 5);
        assert!(skb.pull(ETH_ZLEN).is_err());
        Ok(())
    }

    #[test]
    fn skb_put_frame_copies() -> Result {
        let b = probe_device(0)?;
        let mut src = SkBuff::alloc(b.device(), 64)?;
        src.put_slice(b"a frame of some bytes")?;
        let mut dst = SkBuff::alloc(b.device(), 64)?;
        dst.put_frame(&src)?;
        assert_eq!(dst.data(), src.data());
        let mut small = SkBuff::alloc(b.device(), 8)?;
        let room = small.tailroom();
        let mut big = SkBuff::alloc(b.device(), room + 1)?;
        let mut fill = KVec::new();
        fill.extend_with(room as usize + 1, 1, GFP_KERNEL)?;
        big.put_slice(&fill)?;
        assert!(small.put_frame(&big).is_err());
        assert!(small.is_empty());
        Ok(())
    }

    #[test]
    fn eth_type_trans_classifies() -> Result {
        let mut b = probe_device(0)?;
        let own = MacAddress([0x02, 0, 0, 0, 0, 0x42]);
        b.set_mac_address(&own)?;
        let cases = [
            (own, PacketType::Host),
            (MacAddress::BROADCAST, PacketType::Broadcast),
            (MacAddress([0x01, 0x00, 0x5e, 0, 0, 1]), PacketType::Multicast),
            (MacAddress([0x02, 0, 0, 0, 0, 0x43]), PacketType::OtherHost),
        ];
        for (dst, expected) in cases {
            let mut skb = SkBuff::alloc(b.device(), 64)?;
            skb.put_slice(&dst.0)?;
            skb.put_slice(&[0x02, 0, 0, 0, 0, 1, 0x08, 0x00])?;
            skb.pad_to(ETH_ZLEN)?;
            assert_eq!(skb.eth_type_trans(b.device()), Ok(expected));
            assert_eq!(skb.pkt_type(), expected);
            // The Ethernet header was pulled.
            assert_eq!(skb.len(), ETH_ZLEN - super::netdev::ETH_HLEN);
        }
        // A runt is refused and left as it was.
        let mut runt = SkBuff::alloc(b.device(), 64)?;
        runt.put_slice(&own.0)?;
        runt.put_slice(&[0x02, 0, 0, 0])?;
        assert_eq!(runt.eth_type_trans(b.device()), Err(EINVAL));
        assert_eq!(runt.len(), 10);
        Ok(())
    }

    /// Collects what `skb_dma::chunks` gives as (address, length) pairs.
    fn cut(segments: &[DmaSegment], max: u32) -> KVec<(u64, u32)> {
        let mut out = KVec::new();
        for c in skb_dma::chunks(segments, max) {
            out.push((c.addr, c.len), GFP_KERNEL).unwrap();
        }
        out
    }

    #[test]
    fn dma_chunks_split_long_pieces() {
        let seg = |addr, len| DmaSegment { addr, len };
        // A header, a page fragment of exactly one chunk, a longer one.
        let frame = [seg(0x1000, 66), seg(0x20000, 4096), seg(0x40000, 9000)];
        assert_eq!(
            &cut(&frame, 4096)[..],
            &[
                (0x1000, 66),
                (0x20000, 4096),
                (0x40000, 4096),
                (0x41000, 4096),
                (0x42000, 808),
            ]
        );
        // Short pieces pass whole; empty ones give no chunk.
        assert_eq!(
            &cut(&[seg(8, 0), seg(16, 60), seg(32, 0)], 4096)[..],
            &[(16, 60)]
        );
        assert!(cut(&[], 4096).is_empty());
        assert!(cut(&frame, 0).is_empty());
        // A 64 KiB frame in 18 pieces stays within the e1000's worst case
        // (length over 4096 plus one a piece).
        let mut pieces = KVec::new();
        pieces.push(seg(0, 54), GFP_KERNEL).unwrap();
        for k in 0..17u64 {
            let len = if k < 16 { 3851 } else { 65536 - 54 - 16 * 3851 };
            pieces.push(seg(0x10_0000 * (k + 1), len), GFP_KERNEL).unwrap();
        }
        let total: u32 = pieces.iter().map(|p| p.len).sum();
        assert_eq!(total, 65536);
        let n = skb_dma::chunks(&pieces, 4096).count();
        assert!(n <= 65536 / 4096 + pieces.len());
        assert_eq!(n, 1 + 16 + 1);
    }

    #[test]
    fn skb_queue_fifo() -> Result {
        let b = probe_device(0)?;
        let q = KBox::pin_init(SkbQueue::new(), GFP_KERNEL)?;
        assert!(q.is_empty());
        for i in 1..=3u8 {
            let mut skb = SkBuff::alloc(b.device(), 8)?;
            skb.put_slice(&[i])?;
            q.push_back(skb);
        }
        assert_eq!(q.len(), 3);
        let first = q.pop_front().ok_or(EINVAL)?;
        assert_eq!(first.data(), &[1]);
        q.purge(super::netdev::DropReason::NotSpecified);
        assert!(q.is_empty());
        assert!(q.pop_front().is_none());
        Ok(())
    }

    /// A failed `Rtnl::try_lock` must leave the RTNL to its holder. The
    /// guard once came from an eager `then_some`, whose argument was
    /// dropped on failure and unlocked the holder's RTNL: a watchdog
    /// released the lock under `ip` and `rmmod`.
    #[test]
    fn rtnl_try_lock_fails_without_releasing_the_holder() {
        let held = Rtnl::lock();
        assert!(Rtnl::try_lock().is_none());
        assert!(Rtnl::is_locked());
        drop(held);
    }
}

#[kunit_tests(rnic_e1000_itr)]
mod e1000_itr_tests {
    use super::e1000_itr::{interval, AdaptiveItr, Work, DEFAULT_ITR};

    const CONSERVATIVE: u32 = 3;
    const DYNAMIC: u32 = 1;

    /// What a poll of bulk TCP sends: 40 full-size segments.
    const BULK: Work = Work {
        packets: 40,
        bytes: 40 * 1514,
    };
    /// One ping each way.
    const PING: Work = Work {
        packets: 1,
        bytes: 98,
    };
    const NONE: Work = Work {
        packets: 0,
        bytes: 0,
    };

    /// Counts `tx` and `rx` for one poll that re-enables interrupts.
    fn poll(itr: &mut AdaptiveItr, setting: u32, tx: Work, rx: Work) -> Option<u32> {
        itr.add(tx, rx);
        itr.update(setting, true)
    }

    #[test]
    fn bulk_drops_at_once_and_small_frames_climb_back_in_quarters() {
        let mut itr = AdaptiveItr::default();
        assert_eq!(itr.rate_for(CONSERVATIVE), DEFAULT_ITR);
        // Lowest latency (held at low by this mode), then bulk.
        assert_eq!(poll(&mut itr, CONSERVATIVE, BULK, NONE), None);
        assert_eq!(poll(&mut itr, CONSERVATIVE, BULK, NONE), Some(4000));
        assert_eq!(itr.rate_for(CONSERVATIVE), 4000);
        // Bulk in one direction is enough.
        assert_eq!(poll(&mut itr, CONSERVATIVE, PING, BULK), None);
        for rate in [9000, 14000, 19000, 20000] {
            assert_eq!(poll(&mut itr, CONSERVATIVE, PING, PING), Some(rate));
        }
        assert_eq!(poll(&mut itr, CONSERVATIVE, PING, PING), None);
        assert_eq!(itr.rate_for(CONSERVATIVE), 20000);
    }

    #[test]
    fn only_the_dynamic_mode_reaches_lowest_latency() {
        let mut conservative = AdaptiveItr::default();
        let mut dynamic = AdaptiveItr::default();
        for _ in 0..8 {
            poll(&mut conservative, CONSERVATIVE, PING, PING);
            poll(&mut dynamic, DYNAMIC, PING, PING);
        }
        assert_eq!(conservative.rate_for(CONSERVATIVE), 20000);
        assert_eq!(dynamic.rate_for(DYNAMIC), 70000);
    }

    #[test]
    fn work_adds_up_until_interrupts_are_re_enabled() {
        let mut itr = AdaptiveItr::default();
        poll(&mut itr, CONSERVATIVE, BULK, NONE);
        // Two polls of a small share each: together they are bulk.
        let half = Work {
            packets: 4,
            bytes: 4 * 1514,
        };
        itr.add(half, NONE);
        itr.add(half, NONE);
        assert_eq!(itr.update(CONSERVATIVE, true), Some(4000));
        // And the count starts again after the update.
        assert_eq!(poll(&mut itr, CONSERVATIVE, PING, NONE), Some(9000));
    }

    #[test]
    fn fixed_settings_and_slow_links_do_not_adapt() {
        let mut itr = AdaptiveItr::default();
        for setting in [0, 4, 10000] {
            assert!(!AdaptiveItr::adapts(setting));
            assert_eq!(poll(&mut itr, setting, BULK, BULK), None);
        }
        assert_eq!(itr.rate_for(0), 0);
        assert_eq!(itr.rate_for(4), DEFAULT_ITR);
        assert_eq!(itr.rate_for(10000), 10000);
        itr.add(PING, PING);
        assert_eq!(itr.update(CONSERVATIVE, false), Some(4000));
    }

    #[test]
    fn register_interval_in_256_ns_units() {
        assert_eq!(interval(20000), 195);
        assert_eq!(interval(4000), 976);
        assert_eq!(interval(10000), 390);
        assert_eq!(interval(0), 0);
    }
}
