// SPDX-License-Identifier: GPL-2.0

//! The statistics registers: a block of 32-bit counters, each cleared when
//! read, and the names of those the driver reads.

use kernel::io::register;

/// Number of statistics registers.
pub(crate) const STATS_REGS: usize = 64;

// Each counter is cleared when read. The 64-bit octet counters (GORC,
// GOTC) stay pairs of 32-bit registers, the low halves named here: a `u64`
// register would be one 64-bit access, which 32-bit kernels lack and the
// 82540 does not document.
register! {
    /// The statistics block, counters of 32 bits.
    pub(crate) STATS(u32)[STATS_REGS] @ 0x4000 {
        /// Events since the last read.
        31:0 count => u32;
    }

    /// CRC error count.
    pub(crate) CRCERRS(u32) => STATS[0] {
        /// Frames received with a bad CRC.
        31:0 count => u32;
    }

    /// Alignment error count.
    pub(crate) ALGNERRC(u32) => STATS[1] {
        /// Frames received that are not a whole number of bytes long.
        31:0 count => u32;
    }

    /// Receive error count.
    pub(crate) RXERRC(u32) => STATS[3] {
        /// Frames received while the PHY signalled a receive error.
        31:0 count => u32;
    }

    /// Missed packets count.
    pub(crate) MPC(u32) => STATS[4] {
        /// Frames lost for want of room in the receive FIFO.
        31:0 count => u32;
    }

    /// Collision count.
    pub(crate) COLC(u32) => STATS[10] {
        /// Collisions while transmitting.
        31:0 count => u32;
    }

    /// Receive length error count.
    pub(crate) RLEC(u32) => STATS[16] {
        /// Frames received too short or too long.
        31:0 count => u32;
    }

    /// XON received count.
    pub(crate) XONRXC(u32) => STATS[18] {
        /// XON pause frames received.
        31:0 count => u32;
    }

    /// XON transmitted count.
    pub(crate) XONTXC(u32) => STATS[19] {
        /// XON pause frames sent.
        31:0 count => u32;
    }

    /// XOFF received count.
    pub(crate) XOFFRXC(u32) => STATS[20] {
        /// XOFF pause frames received.
        31:0 count => u32;
    }

    /// XOFF transmitted count.
    pub(crate) XOFFTXC(u32) => STATS[21] {
        /// XOFF pause frames sent.
        31:0 count => u32;
    }

    /// Good packets received count.
    pub(crate) GPRC(u32) => STATS[29] {
        /// Good frames received.
        31:0 count => u32;
    }

    /// Broadcast packets received count.
    pub(crate) BPRC(u32) => STATS[30] {
        /// Good broadcast frames received.
        31:0 count => u32;
    }

    /// Multicast packets received count.
    pub(crate) MPRC(u32) => STATS[31] {
        /// Good multicast frames received.
        31:0 count => u32;
    }

    /// Good packets transmitted count.
    pub(crate) GPTC(u32) => STATS[32] {
        /// Good frames sent.
        31:0 count => u32;
    }

    /// Good octets received count, low half.
    pub(crate) GORCL(u32) => STATS[34] {
        /// Bits 31:0 of the octets of good frames received.
        31:0 count => u32;
    }

    /// Good octets transmitted count, low half.
    pub(crate) GOTCL(u32) => STATS[36] {
        /// Bits 31:0 of the octets of good frames sent.
        31:0 count => u32;
    }

    /// Receive no buffers count.
    pub(crate) RNBC(u32) => STATS[40] {
        /// Frames that arrived with no free receive descriptor (they wait
        /// in the FIFO).
        31:0 count => u32;
    }

    /// Receive undersize count.
    pub(crate) RUC(u32) => STATS[41] {
        /// Frames received shorter than 64 bytes, with a good CRC.
        31:0 count => u32;
    }

    /// Receive oversize count.
    pub(crate) ROC(u32) => STATS[43] {
        /// Frames received longer than the maximum, with a good CRC.
        31:0 count => u32;
    }

    /// Total packets received.
    pub(crate) TPR(u32) => STATS[52] {
        /// Frames received, of any length, bad ones included.
        31:0 count => u32;
    }

    /// Total packets transmitted.
    pub(crate) TPT(u32) => STATS[53] {
        /// Frames sent, of any length.
        31:0 count => u32;
    }

    /// Multicast packets transmitted count.
    pub(crate) MPTC(u32) => STATS[60] {
        /// Multicast frames sent.
        31:0 count => u32;
    }

    /// Broadcast packets transmitted count.
    pub(crate) BPTC(u32) => STATS[61] {
        /// Broadcast frames sent.
        31:0 count => u32;
    }

    /// TCP segmentation context transmitted count.
    pub(crate) TSCTC(u32) => STATS[62] {
        /// TCP segmentation contexts sent.
        31:0 count => u32;
    }

    /// TCP segmentation context transmit fail count.
    pub(crate) TSCTFC(u32) => STATS[63] {
        /// TCP segmentation contexts whose data was not all sent.
        31:0 count => u32;
    }
}
