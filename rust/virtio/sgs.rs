// SPDX-License-Identifier: GPL-2.0

//! Buffers with parts the device reads and parts it writes, in one go (C
//! `virtqueue_add_sgs`): [`SgsBuf`] and [`Virtqueue::add_sgs`]. The
//! control queue's commands are such buffers (header and data out, status
//! and reply in).

use kernel::alloc::Flags;
use kernel::prelude::*;

use super::bindings;
use super::virtqueue::{raw_gfp, SgTable, Token, Virtqueue};

/// A token whose buffer has parts the device reads, then parts it writes.
///
/// # Safety
///
/// `map_sgs` returns `(out, in)` and fills the first `out + in` entries of
/// the table, each as a list of its own of one entry with the end marked
/// (`sg_init_one`), at most [`SgTable::LEN`] in all: the first `out`
/// describe memory that the token owns and that nobody writes until the
/// token is taken back or dropped, the next `in` memory that the token
/// owns and that nothing else reads or writes until then. That memory is
/// heap memory the DMA API can map (not the stack, not `vmalloc`).
pub unsafe trait SgsBuf: Token {
    /// Describes the buffer in `sg`; returns how many entries the device
    /// reads and how many it writes.
    fn map_sgs(&mut self, sg: &mut SgTable) -> Result<(u32, u32)>;
}

impl<Tok: SgsBuf> Virtqueue<Tok> {
    /// Adds a buffer whose first parts the device reads and whose last
    /// parts it writes (C `virtqueue_add_sgs`). `gfp` as for
    /// [`Virtqueue::add_outbuf`]; on failure (`ENOSPC` when full) the
    /// token comes back.
    pub fn add_sgs(&mut self, mut tok: Tok, gfp: Flags) -> Result<(), (Error, Tok)> {
        let (out, inn) = match tok.map_sgs(self.sg_table()) {
            Ok(counts) => counts,
            Err(e) => return Err((e, tok)),
        };
        let total = out as usize + inn as usize;
        if total == 0 || total > SgTable::LEN {
            return Err((EINVAL, tok));
        }
        // One list per entry: the table's entries, in order.
        let first = self.sg_table().as_mut_ptr();
        let mut lists = [core::ptr::null_mut(); SgTable::LEN];
        for (i, list) in lists.iter_mut().take(total).enumerate() {
            *list = first.wrapping_add(i);
        }
        let cookie = tok.into_cookie();
        // The first `total` pointers are end-marked lists of the table
        // (`SgsBuf`), the first `out` for the device to read and the next
        // `inn` to write, describing memory the token owns; the handle is
        // the queue's only user here (`&mut self`).
        // SAFETY: Sound for the reasons just given; the core copies the
        // entries out.
        let ret = unsafe {
            bindings::virtqueue_add_sgs(
                self.raw(),
                lists.as_mut_ptr(),
                out,
                inn,
                cookie.as_ptr(),
                raw_gfp(gfp),
            )
        };
        if ret != 0 {
            // The queue did not take the buffer.
            // SAFETY: So the cookie is still ours, taken back once.
            return Err((Error::from_errno(ret), unsafe { Tok::from_cookie(cookie) }));
        }
        Ok(())
    }
}
