//! The text format: frame number, relative time, ctstate, direction, entry,
//! a tcpdump-like summary, and the reason for anything not plainly tracked.
//!
//! ```text
//!     1     0.000000 NEW         ORIGINAL #1    IP 192.168.170.8.32795 > 192.168.170.20.53: UDP, length 34
//!     2     0.000373 ESTABLISHED REPLY    #1    IP 192.168.170.20.53 > 192.168.170.8.32795: UDP, length 50 [SEEN_REPLY]
//! ```
//! An expected connection's line names its master (`master #1`); a frame
//! that made or ended expectations lists them (`+expect(...)`,
//! `-expect(...)`).

use super::FrameRecord;
use ctrack_core::expect::ExpectEvent;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, r: &FrameRecord<'_>) -> io::Result<()> {
    let v = r.verdict;
    let state = v.ctstate.map(|s| s.name()).unwrap_or("-");
    let dir = v.dir.map(|d| d.name()).unwrap_or("-");
    let rel = r.rel_nanos as f64 / 1e9;
    write!(
        out,
        "{:>5} {:>12.6} {:<11} {:<8} ",
        r.number, rel, state, dir
    )?;
    match v.entry {
        // `#N` left-aligned in 5 columns.
        Some(e) => write!(out, "#{e:<4} ")?,
        None => out.write_all(b"-     ")?,
    }
    out.write_all(r.summary.as_bytes())?;
    for (i, name) in v.status.reported_names().enumerate() {
        out.write_all(if i == 0 { b" [" } else { b"," })?;
        out.write_all(name.as_bytes())?;
    }
    if v.status.reported_names().next().is_some() {
        out.write_all(b"]")?;
    }
    if let Some(m) = v.master {
        write!(out, " master #{m}")?;
    }
    if let Some(p) = v.proto_state {
        write!(out, " {p}")?;
    }
    for e in &v.expect_events {
        match e {
            ExpectEvent::New(x) => write!(out, " +expect({x})")?,
            ExpectEvent::Destroy(x) | ExpectEvent::Expired(x) => write!(out, " -expect({x})")?,
        }
    }
    if v.padded > 0 {
        write!(out, " (padded {} bytes)", v.padded)?;
    }
    if let Some(d) = r.rules {
        let fate = super::fate(r);
        let rules_accepted = matches!(d.verdict, ctrack_rules::pipeline::Verdict::Accept);
        match &d.by {
            // Conntrack (or a helper) dropped what the rules accepted.
            Some(rule) if rules_accepted && fate != "ACCEPT" => {
                write!(out, " => {fate} (the rules accepted it: {rule})")?
            }
            Some(rule) => write!(out, " => {fate} by {rule}")?,
            None => write!(out, " => {fate}")?,
        }
    }
    match (&v.reason, r.note) {
        (Some(reason), Some(note)) => write!(out, " -- {reason}; {note}")?,
        (Some(reason), None) => write!(out, " -- {reason}")?,
        (None, Some(note)) => write!(out, " ({note})")?,
        (None, None) => {}
    }
    writeln!(out)
}
