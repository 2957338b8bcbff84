//! Counters, as `struct ip_conntrack_stat` (`/proc/net/stat/nf_conntrack`,
//! `conntrack -S`).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Lookups that found an entry.
    pub found: u64,
    /// Packets conntrack could not classify (INVALID), ICMP errors aside.
    pub invalid: u64,
    /// Entries confirmed into the table.
    pub insert: u64,
    /// Confirmations refused because a tuple was taken.
    pub insert_failed: u64,
    /// Packets dropped by conntrack (table full, trackers' drops).
    pub drop: u64,
    /// Entries evicted to make room.
    pub early_drop: u64,
    /// ICMP/ICMPv6 packets the error check refused.
    pub error: u64,
    /// Expected connections that arrived.
    pub expect_new: u64,
    /// Expectations created.
    pub expect_create: u64,
    /// Expectations removed.
    pub expect_delete: u64,
    /// Lookups restarted (never happens in a single-threaded table).
    pub search_restart: u64,
    /// Entries removed because they expired.
    pub expired: u64,
}
