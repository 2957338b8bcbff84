//! Time as the tracker sees it: a point on the caller's clock, in nanoseconds.
//!
//! The core never reads a clock. Every call carries the `Timestamp` of the
//! packet (or of the moment asked about), so replaying a capture is
//! deterministic. The kernel counts in jiffies (4 ms at HZ=250); ctrack keeps
//! nanoseconds and compares exactly.

use core::fmt;
use core::ops::{Add, Sub};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(u64);

impl Timestamp {
    pub const ZERO: Timestamp = Timestamp(0);

    pub const fn from_nanos(ns: u64) -> Self {
        Timestamp(ns)
    }

    pub const fn from_secs(s: u64) -> Self {
        Timestamp(s.saturating_mul(1_000_000_000))
    }

    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e9
    }

    /// Time from `earlier` to `self`, zero when `earlier` is later.
    pub fn saturating_since(self, earlier: Timestamp) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for Timestamp {
    type Output = Timestamp;

    fn add(self, d: Duration) -> Timestamp {
        let ns = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        Timestamp(self.0.saturating_add(ns))
    }
}

impl Sub<Timestamp> for Timestamp {
    type Output = Duration;

    fn sub(self, other: Timestamp) -> Duration {
        self.saturating_since(other)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{:09}",
            self.0 / 1_000_000_000,
            self.0 % 1_000_000_000
        )
    }
}

/// The kernel's clock ticks (`HZ` per second) and ctrack's reading of it.
///
/// Conntrack compares jiffies, so a deadline falls on a tick, and whether a
/// packet a few milliseconds from it is before or after depends on where the
/// capture's timestamps fall between ticks — unknowable from a capture. ctrack
/// decides as the kernel does on average over that phase: an event more than
/// half a tick past a deadline is after it (`time_after()`), and an entry
/// whose timeout is less than half a tick away has expired
/// (`nf_ct_is_expired()` compares elapsed ticks, which run up to one ahead of
/// elapsed time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jiffies {
    hz: u32,
}

impl Jiffies {
    /// HZ=250, the tick of Debian's and most distributions' kernels (and of
    /// the kernel the fixtures were recorded on).
    pub const DEFAULT_HZ: u32 = 250;

    pub fn new(hz: u32) -> Jiffies {
        Jiffies { hz: hz.max(1) }
    }

    pub fn hz(self) -> u32 {
        self.hz
    }

    pub fn tick(self) -> Duration {
        Duration::from_nanos(1_000_000_000 / u64::from(self.hz))
    }

    /// Half a tick: the slack of every jiffies comparison.
    pub fn slack(self) -> Duration {
        self.tick() / 2
    }

    /// `time_after(now, deadline)` in jiffies.
    pub fn after(self, now: Timestamp, deadline: Timestamp) -> bool {
        now > deadline + self.slack()
    }
}

/// A packet's time as the kernel's timers count it: the jiffies counter
/// and the tick rate. What rate limits (`-m limit`) run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ticks {
    pub jiffies: u64,
    pub hz: u32,
}

impl Jiffies {
    /// The jiffies counter at `now` (counted from the tracker's time 0).
    pub fn at(self, now: Timestamp) -> Ticks {
        Ticks {
            jiffies: (u128::from(now.as_nanos()) * u128::from(self.hz) / 1_000_000_000) as u64,
            hz: self.hz,
        }
    }
}

impl Default for Jiffies {
    fn default() -> Self {
        Jiffies::new(Jiffies::DEFAULT_HZ)
    }
}

/// Seconds as the sysctl knobs give them.
pub fn secs(s: u32) -> Duration {
    Duration::from_secs(u64::from(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        let t = Timestamp::from_secs(10);
        assert_eq!(
            t + Duration::from_millis(1500),
            Timestamp::from_nanos(11_500_000_000)
        );
        assert_eq!(Timestamp::ZERO - t, Duration::ZERO);
        assert_eq!(t - Timestamp::from_secs(4), Duration::from_secs(6));
        assert_eq!(
            Timestamp::from_nanos(u64::MAX) + Duration::from_secs(1),
            Timestamp::from_nanos(u64::MAX)
        );
        assert_eq!(t.to_string(), "10.000000000");
    }

    #[test]
    fn jiffies_midpoint() {
        let j = Jiffies::default();
        assert_eq!(j.tick(), Duration::from_millis(4));
        let d = Timestamp::from_secs(2);
        assert!(!j.after(d + Duration::from_micros(1900), d));
        assert!(j.after(d + Duration::from_micros(2100), d));
        assert_eq!(Jiffies::new(1000).slack(), Duration::from_micros(500));
    }
}
