// SPDX-License-Identifier: GPL-2.0

//! KUnit tests of the layer's page pool: fragments move into frames and
//! back to their pool, refusals hand the fragment back, a frame holds
//! no more fragments than the core allows, and appended fragments join
//! the previous one or go to chained frames with their bytes in order.

use kernel::prelude::*;

use super::netdev::{self, PagePool, SkBuff};

#[kunit_tests(rnic_page_pool)]
mod tests {
    use super::*;

    #[test]
    fn fragments_go_into_frames_and_back() -> Result {
        let b = super::super::probe_device(0)?;
        let mut pool = PagePool::new(64, 2048)?;
        assert!(pool.alloc_frag(0).is_none());
        assert!(pool.alloc_frag(netdev::page_pool::MAX_FRAG + 1).is_none());
        let frag = pool.alloc_frag(1500).ok_or(ENOMEM)?;
        assert_eq!(frag.len(), 1500);
        // A plain pool maps nothing.
        assert!(frag.dma_addr().is_none());

        // The headers by copy, the rest as a fragment.
        let mut skb = SkBuff::alloc(b.device(), 128)?;
        skb.put_from_frag(&frag, 0, 14)?;
        assert!(skb.put_from_frag(&frag, 1490, 11).is_err());
        let mut head = [0u8; 14];
        skb.copy_bits(0, &mut head)?;

        // Too long: the fragment comes back unchanged.
        let frag = skb.add_pool_frag(frag, 1501).err().ok_or(EINVAL)?;
        assert_eq!(skb.len(), 14);
        let mut copy = SkBuff::alloc(b.device(), 1600)?;
        copy.put_from_frag(&frag, 0, 1500)?;
        assert!(skb.add_pool_frag(frag, 1500).is_ok());
        assert_eq!(skb.len(), 1514);
        assert_eq!(skb.headlen(), 14);

        // The frame reads the fragment's bytes where the copy has them.
        let (mut a, mut c) = ([0u8; 64], [0u8; 64]);
        skb.copy_bits(14 + 1000, &mut a)?;
        copy.copy_bits(1000, &mut c)?;
        assert_eq!(a, c);
        assert_eq!(head[..], copy.data()[..14]);
        drop(skb);
        drop(copy);
        drop(pool);
        Ok(())
    }

    #[test]
    fn a_frame_takes_no_more_fragments_than_the_core_allows() -> Result {
        let b = super::super::probe_device(0)?;
        let mut pool = PagePool::new(64, 256)?;
        let mut skb = SkBuff::alloc(b.device(), 64)?;
        let mut added = 0u32;
        loop {
            let frag = pool.alloc_frag(256).ok_or(ENOMEM)?;
            if skb.add_pool_frag(frag, 100).is_err() {
                break;
            }
            added += 1;
            // Some limit holds.
            assert!(added <= 64);
        }
        // MAX_SKB_FRAGS is at least 17.
        assert!(added >= 17);
        assert_eq!(skb.len(), added * 100);
        // The frame goes before its pool, the pool before its fragments
        // in flight would be fine too: the pool waits for them.
        let frag = pool.alloc_frag(64).ok_or(ENOMEM)?;
        drop(pool);
        drop(skb);
        drop(frag);
        Ok(())
    }

    #[test]
    fn appended_fragments_join_and_chain() -> Result {
        let b = super::super::probe_device(0)?;
        let mut pool = PagePool::new(64, netdev::page_pool::MAX_FRAG)?;
        let mut skb = SkBuff::alloc(b.device(), 64)?;
        let mut expected = KVec::new();

        // A range past the fragment: handed back, nothing added.
        let frag = pool.alloc(1024).ok_or(ENOMEM)?;
        assert!(frag.len() >= 1024);
        let len = frag.len();
        let frag = skb.append_pool_frag(frag, 1000, len).err().ok_or(EINVAL)?;
        assert!(skb.append_pool_frag(frag, 0, 0).is_err());
        assert_eq!(skb.len(), 0);

        // 48 ranges of 100 bytes, each at the start of its own fragment: no
        // two follow each other, so past the frame's fragment slots they
        // go to chained frames.
        for _ in 0..48 {
            let frag = pool.alloc(1024).ok_or(ENOMEM)?;
            let mut bytes = [0u8; 100];
            frag.read(0, &mut bytes)?;
            expected.extend_from_slice(&bytes, GFP_KERNEL)?;
            skb.append_pool_frag(frag, 0, 100).map_err(|_| ENOMEM)?;
        }
        assert_eq!(skb.len(), 4800);

        // Whole fragments that follow each other in a page join.
        for _ in 0..8 {
            let frag = pool.alloc(512).ok_or(ENOMEM)?;
            let len = frag.len();
            let mut bytes = KVec::from_elem(0u8, len as usize, GFP_KERNEL)?;
            frag.read(0, &mut bytes)?;
            expected.extend_from_slice(&bytes, GFP_KERNEL)?;
            skb.append_pool_frag(frag, 0, len).map_err(|_| ENOMEM)?;
        }
        assert_eq!(skb.len() as usize, expected.len());

        // The frame reads back every byte in order, across the chain.
        let mut all = KVec::from_elem(0u8, expected.len(), GFP_KERNEL)?;
        skb.copy_bits(0, &mut all)?;
        assert!(all[..] == expected[..]);
        drop(skb);
        drop(pool);
        Ok(())
    }
}
