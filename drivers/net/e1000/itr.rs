// SPDX-License-Identifier: GPL-2.0

//! Interrupt throttling (the ITR register) and its adaptive modes.
//!
//! `ethtool -C rx-usecs` keeps the C driver's encoding: 0 turns throttling
//! off, 1 ("dynamic") and 3 ("dynamic conservative", the default) pick a
//! rate after every poll from the traffic the poll saw, 4 ("simplified")
//! is a fixed default here, and anything else is a fixed rate in
//! interrupts per second. The adaptive classes, thresholds and rates are
//! the C driver's, so that both drivers space interrupts alike: QEMU
//! honours the register (with a floor of 128 us between interrupts).

/// Default interrupt rate, per second, and the rate an adaptive mode
/// starts from (the C driver's).
pub(crate) const DEFAULT_ITR: u32 = 20000;

/// The `rx-usecs` settings that adapt.
const DYNAMIC: u32 = 1;
const CONSERVATIVE: u32 = 3;

/// Rate below gigabit, where the C driver stops adapting.
const SLOW_LINK_ITR: u32 = 4000;

/// How the traffic of one direction looked over the last interrupt
/// interval, from lowest latency to highest throughput.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Latency {
    /// Few small frames: interrupt soon (70000 per second).
    Lowest,
    /// Mixed traffic (20000 per second).
    Low,
    /// Large frames in bulk: batch them (4000 per second).
    Bulk,
}

impl Latency {
    /// Interrupts per second for the class.
    const fn rate(self) -> u32 {
        match self {
            Latency::Lowest => 70000,
            Latency::Low => 20000,
            Latency::Bulk => 4000,
        }
    }

    /// The class after an interval that moved `work`.
    fn next(self, work: Work) -> Self {
        let Work { packets, bytes } = work;
        if packets == 0 {
            return self;
        }
        let average = bytes / packets;
        match self {
            Latency::Lowest if average > 8000 => Latency::Bulk,
            Latency::Lowest if packets < 5 && bytes > 512 => Latency::Low,
            Latency::Low if bytes > 10000 => {
                if average > 1200 || packets < 10 {
                    Latency::Bulk
                } else if packets > 35 {
                    Latency::Lowest
                } else {
                    self
                }
            }
            Latency::Low if average > 2000 => Latency::Bulk,
            Latency::Low if packets <= 2 && bytes < 512 => Latency::Lowest,
            Latency::Bulk if bytes > 25000 && packets > 35 => Latency::Low,
            Latency::Bulk if bytes < 6000 => Latency::Low,
            _ => self,
        }
    }
}

/// Frames and bytes one direction moved.
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct Work {
    pub(crate) packets: u64,
    pub(crate) bytes: u64,
}

impl Work {
    fn add(&mut self, other: Work) {
        self.packets += other.packets;
        self.bytes += other.bytes;
    }
}

/// The adaptive state, updated by the NAPI poll.
pub(crate) struct AdaptiveItr {
    tx: Latency,
    rx: Latency,
    /// Work since the interrupts were last re-enabled.
    tx_work: Work,
    rx_work: Work,
    /// The rate in the register.
    rate: u32,
}

impl Default for AdaptiveItr {
    fn default() -> Self {
        Self {
            tx: Latency::Lowest,
            rx: Latency::Lowest,
            tx_work: Work::default(),
            rx_work: Work::default(),
            rate: DEFAULT_ITR,
        }
    }
}

impl AdaptiveItr {
    /// Whether an `rx-usecs` setting adapts.
    pub(crate) fn adapts(setting: u32) -> bool {
        setting == DYNAMIC || setting == CONSERVATIVE
    }

    /// Interrupts per second to program for `setting`, 0 for none.
    pub(crate) fn rate_for(&self, setting: u32) -> u32 {
        match setting {
            0 => 0,
            s if Self::adapts(s) => self.rate,
            1..=4 => DEFAULT_ITR,
            rate => rate,
        }
    }

    /// Counts the work of one poll.
    pub(crate) fn add(&mut self, tx: Work, rx: Work) {
        self.tx_work.add(tx);
        self.rx_work.add(rx);
    }

    /// Called when the poll re-enables interrupts: classifies the work
    /// since the last time and returns the new rate if the register must
    /// change.
    pub(crate) fn update(&mut self, setting: u32, gigabit: bool) -> Option<u32> {
        let (tx, rx) = (
            core::mem::take(&mut self.tx_work),
            core::mem::take(&mut self.rx_work),
        );
        if !Self::adapts(setting) {
            return None;
        }
        let target = if gigabit {
            // The conservative mode never asks for the lowest latency.
            let floor = |class| {
                if setting == CONSERVATIVE && class == Latency::Lowest {
                    Latency::Low
                } else {
                    class
                }
            };
            self.tx = floor(self.tx.next(tx));
            self.rx = floor(self.rx.next(rx));
            self.tx.max(self.rx).rate()
        } else {
            SLOW_LINK_ITR
        };
        if target == self.rate {
            return None;
        }
        // Towards more interrupts in steps of a quarter of the target, so
        // that bulk traffic is not left at once.
        self.rate = if target > self.rate {
            (self.rate + target / 4).min(target)
        } else {
            target
        };
        Some(self.rate)
    }
}

/// The ITR register value for `rate` interrupts per second: the interval
/// in 256 ns units, 0 for no throttling.
pub(crate) fn interval(rate: u32) -> u32 {
    1_000_000_000u32
        .checked_div(rate.saturating_mul(256))
        .unwrap_or(0)
}
