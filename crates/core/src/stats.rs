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

impl Stats {
    /// `conntrack -S`'s line (one CPU). `found` and `insert` are printed as
    /// 0 because Linux 6.x no longer counts them on the packet path (a
    /// kernel with traffic shows `found=0 insert=0`); ctrack's own counts
    /// are in [`Stats::found`] and [`Stats::insert`].
    pub fn conntrack_s(&self) -> String {
        format!(
            "cpu=0   \tfound=0 invalid={} insert=0 insert_failed={} drop={} early_drop={} error={} search_restart={} clash_resolve=0 chaintoolong=0 ",
            self.invalid,
            self.insert_failed,
            self.drop,
            self.early_drop,
            self.error,
            self.search_restart
        )
    }

    /// `/proc/net/stat/nf_conntrack`: its header and one line of 8-digit
    /// hex fields, `entries` being the table's count; expectation counters
    /// as given.
    pub fn proc_stat(
        &self,
        entries: usize,
        expect_new: u64,
        expect_create: u64,
        expect_delete: u64,
    ) -> String {
        let f = [
            entries as u64,
            0,
            0,
            0,
            self.invalid,
            0,
            0,
            0,
            0,
            self.insert_failed,
            self.drop,
            self.early_drop,
            self.error,
        ];
        let mut s = String::from(
            "entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart\n",
        );
        let hex: Vec<String> = f.iter().map(|v| format!("{:08x}", *v as u32)).collect();
        s.push_str(&hex.join(" ").replacen(' ', "  ", 1));
        s.push_str(&format!(
            "  {:08x} {:08x} {:08x} {:08x}\n",
            expect_new as u32,
            expect_create as u32,
            expect_delete as u32,
            self.search_restart as u32
        ));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_match_the_kernel_transcripts() {
        let s = Stats {
            invalid: 1,
            ..Stats::default()
        };
        assert_eq!(
            s.conntrack_s(),
            "cpu=0   \tfound=0 invalid=1 insert=0 insert_failed=0 drop=0 early_drop=0 error=0 search_restart=0 clash_resolve=0 chaintoolong=0 "
        );
        assert_eq!(
            s.proc_stat(9, 0, 0, 0).lines().nth(1).unwrap(),
            "00000009  00000000 00000000 00000000 00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000  00000000 00000000 00000000 00000000"
        );
    }
}
