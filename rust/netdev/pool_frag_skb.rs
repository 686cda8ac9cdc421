// SPDX-License-Identifier: GPL-2.0

//! Page-pool fragments into frames: a fragment moved into a frame as one
//! of its page fragments (which returns it to its pool when freed,
//! `skb_mark_for_recycle`), appended to the frame's data, or copied into
//! its linear part.

use kernel::prelude::*;

use super::bindings;
use super::page_pool::PoolFrag;
use super::skbuff::SkBuff;

impl SkBuff {
    /// Adds the first `len` bytes of `frag` to the frame as its next page
    /// fragment; the frame returns it to its pool when freed. On failure
    /// (`len` larger than the fragment, a shared frame, no fragment slot
    /// left) the fragment is handed back unchanged.
    pub fn add_pool_frag(&mut self, frag: PoolFrag, len: u32) -> Result<(), PoolFrag> {
        // SAFETY: `self` is a valid frame.
        let cloned = unsafe { bindings::rnic_skb_cloned(self.as_raw()) };
        if len == 0 || len > frag.len || cloned {
            return Err(frag);
        }
        frag.sync_for_cpu(len);
        // The frame is valid and not shared; `frag` owns one reference to
        // its page, which the frame takes over on success (so `frag` is
        // forgotten then), `offset + len` being within the page.
        // SAFETY: So the frame may hold the fragment.
        let ret = unsafe {
            bindings::rnic_skb_add_pool_frag(
                self.as_raw(),
                frag.page.as_ptr(),
                frag.offset,
                len,
                frag.len,
            )
        };
        if ret != 0 {
            return Err(frag);
        }
        core::mem::forget(frag);
        Ok(())
    }

    /// Appends `len` bytes of `frag` from byte `offset` to the frame's
    /// data as page fragments (as C `virtio_net`'s receive path does with
    /// `skb_add_rx_frag` and `skb_mark_for_recycle`): joined to the last
    /// fragment if they follow it in the same page (`frag` then goes back
    /// to its pool, the frame holding the page already), else as a new
    /// fragment, of this frame or, once its fragment slots are full, of
    /// an empty frame chained to its fragment list. The frame's length
    /// and truesize count them (`frag`'s whole length as truesize). On
    /// failure (the range outside the fragment, a shared or cloned frame
    /// in the chain, no memory for a chained frame) the fragment is
    /// handed back unchanged.
    pub fn append_pool_frag(
        &mut self,
        frag: PoolFrag,
        offset: u32,
        len: u32,
    ) -> Result<(), PoolFrag> {
        let Some(end) = offset.checked_add(len) else {
            return Err(frag);
        };
        if len == 0 || end > frag.len {
            return Err(frag);
        }
        frag.sync_for_cpu(end);
        // The frame is valid; the helper checks that every frame of its
        // chain is unshared and uncloned before it changes anything;
        // `frag` owns one reference to its page, and `offset + len` is
        // within the fragment, so within the page (invariant).
        // SAFETY: So the frame may hold those bytes.
        let ret = unsafe {
            bindings::rnic_skb_append_pool_frag(
                self.as_raw(),
                frag.page.as_ptr(),
                frag.offset + offset,
                len,
                frag.len,
            )
        };
        match ret {
            // The frame took the reference.
            0 => core::mem::forget(frag),
            // Joined to a fragment the frame holds: ours goes back.
            1 => drop(frag),
            _ => return Err(frag),
        }
        Ok(())
    }

    /// Appends `len` bytes of `frag` from byte `offset` to the linear
    /// part (the headers `eth_type_trans` needs). Fails without change if
    /// the range is outside the fragment or the frame lacks the room.
    pub fn put_from_frag(&mut self, frag: &PoolFrag, offset: u32, len: u32) -> Result {
        let end = offset.checked_add(len).ok_or(EINVAL)?;
        if end > frag.len {
            return Err(EINVAL);
        }
        frag.sync_for_cpu(end);
        let dst = self.put_raw(len)?;
        let src = frag.as_ptr().wrapping_add(offset as usize);
        // `src..src + len` lies within the fragment (checked above), which
        // no Rust reference covers, and `dst` has `len` bytes reserved by
        // `put_raw`, in another buffer.
        // SAFETY: So the copy is sound.
        unsafe { core::ptr::copy_nonoverlapping(src, dst, len as usize) };
        Ok(())
    }
}
