//! Per-frame output formats. One [`FrameRecord`] per frame; each format is
//! a writer of records.

pub mod jsonl;
pub mod summary;
pub mod text;

use ctrack_core::Verdict;
use std::io::{self, Write};

/// What is reported for one frame.
pub struct FrameRecord<'a> {
    /// Frame number, from 1.
    pub number: u64,
    /// Capture timestamp, ns since the epoch.
    pub ts_nanos: i64,
    /// Capture time relative to the first frame, ns (may be negative).
    pub rel_nanos: i64,
    /// Tracker time relative to the first frame, ns.
    pub clock_nanos: u64,
    pub verdict: &'a Verdict,
    pub summary: &'a str,
    /// What became of the frame later (a fragment's datagram), or how it
    /// relates to other frames.
    pub note: Option<&'a str>,
    /// What the rulesets did with the frame, when there are any.
    pub rules: Option<&'a ctrack_rules::Decision>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One aligned line per frame, for people.
    Text,
    /// One JSON object per line, for programs.
    Jsonl,
}

pub fn write_record(format: Format, out: &mut dyn Write, r: &FrameRecord<'_>) -> io::Result<()> {
    match format {
        Format::Text => text::write(out, r),
        Format::Jsonl => jsonl::write(out, r),
    }
}

/// Seconds with nine decimals, from signed nanoseconds.
pub struct Secs(pub i64);

impl core::fmt::Display for Secs {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:09}", a / 1_000_000_000, a % 1_000_000_000)
    }
}

/// The frame's fate: `ACCEPT`, `DROP` or `REJECT` (what a bridge or router
/// running this conntrack and these rules would do with it).
pub fn fate(r: &FrameRecord<'_>) -> &'static str {
    use ctrack_core::Reason;
    use ctrack_rules::pipeline::Verdict as RuleVerdict;
    if let Some(d) = r.rules {
        match d.verdict {
            RuleVerdict::Drop => return "DROP",
            RuleVerdict::Reject(_) => return "REJECT",
            RuleVerdict::Accept => {}
        }
    }
    let v = r.verdict;
    if v.dropped_by.is_some() {
        return "DROP";
    }
    match &v.reason {
        Some(Reason::NotIp { .. } | Reason::NoTrack) | None => "ACCEPT",
        Some(Reason::FragmentQueued) => {
            if r.note.is_some_and(|n| n.contains("completed by")) {
                "ACCEPT"
            } else {
                "DROP"
            }
        }
        Some(reason) if reason.before_conntrack() => "DROP",
        Some(Reason::HelperDrop { .. }) => "DROP",
        Some(_) => "ACCEPT",
    }
}
