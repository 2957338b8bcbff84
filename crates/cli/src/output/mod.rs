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
pub fn secs(ns: i64) -> String {
    let sign = if ns < 0 { "-" } else { "" };
    let a = ns.unsigned_abs();
    format!("{sign}{}.{:09}", a / 1_000_000_000, a % 1_000_000_000)
}
