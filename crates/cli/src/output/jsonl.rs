//! The jsonl format: one object per frame.
//!
//! ```json
//! {"i":1,"ts":1102274184.317453000,"t":0.000000000,"ctstate":"NEW","ctdir":"ORIGINAL","ctstatus":[],"reason":null,"kernel_log":null,"entry":1,"proto_state":null,"tuple":{"l3":"ipv4","proto":17,"src":"192.168.170.8","dst":"192.168.170.20","sport":32795,"dport":53},"padded":0,"note":null,"summary":"IP ..."}
//! ```
//! `note` says what became of a fragment's datagram, as kernel-replay's
//! notes do. `master` is the entry number of an expected connection's
//! master, `helper` the entry's helper, `events` the table events (with
//! `--events`: `NEW 1 SYN_SENT timeout 120`), `expect_events` the expectations
//! created and destroyed meanwhile, as kernel-replay's expect-events.txt
//! writes them. `verdict` is the frame's fate (ACCEPT, DROP, REJECT); with
//! rulesets, `rule` is the rule that decided, `hooks` the hooks the frame
//! went through (up to the one that dropped it), `iif`/`oif` its
//! interfaces when the host model knows them, and `answer_to` what refused
//! the packet this one answers (a REJECT's reset or ICMP error). `ts` is the
//! capture timestamp and `t` the tracker clock since the first frame, both in seconds with nanosecond digits; `ctstate`/`ctdir`/`ctstatus`
//! use the names of the kernel fixtures' packets.jsonl.

use super::{FrameRecord, Secs};
use ctrack_core::Tuple;
use ctrack_core::proto::{self, TupleKind};
use std::io::{self, Write};

/// A JSON string, escaped straight into `out`.
fn string(out: &mut dyn Write, s: &str) -> io::Result<()> {
    serde_json::to_writer(&mut *out, s).map_err(io::Error::other)
}

fn opt_string(out: &mut dyn Write, s: Option<&str>) -> io::Result<()> {
    match s {
        Some(s) => string(out, s),
        None => out.write_all(b"null"),
    }
}

/// A JSON array of strings.
fn strings<S: AsRef<str>>(
    out: &mut dyn Write,
    items: impl IntoIterator<Item = S>,
) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, s) in items.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        string(out, s.as_ref())?;
    }
    out.write_all(b"]")
}

fn opt_number(out: &mut dyn Write, n: Option<u32>) -> io::Result<()> {
    match n {
        Some(n) => write!(out, "{n}"),
        None => out.write_all(b"null"),
    }
}

fn tuple_json(out: &mut dyn Write, t: &Tuple) -> io::Result<()> {
    write!(
        out,
        "{{\"l3\":\"{}\",\"proto\":{},\"src\":\"{}\",\"dst\":\"{}\"",
        t.family.name(),
        t.proto,
        super::summary::Ip(t.src_ip()),
        super::summary::Ip(t.dst_ip())
    )?;
    match proto::find(t.family, t.proto).tuple_kind() {
        TupleKind::Ports => write!(out, ",\"sport\":{},\"dport\":{}", t.src_u, t.dst_u)?,
        TupleKind::Icmp => write!(
            out,
            ",\"type\":{},\"code\":{},\"id\":{}",
            t.icmp_type(),
            t.icmp_code(),
            t.icmp_id()
        )?,
        TupleKind::GreKeys => write!(out, ",\"srckey\":{},\"dstkey\":{}", t.src_u, t.dst_u)?,
        TupleKind::AddressesOnly => {}
    }
    out.write_all(b"}")
}

/// One frame's object, written field by field (nothing is built in
/// memory but the texts of a reason, rule or event when there is one).
pub fn write(out: &mut dyn Write, r: &FrameRecord<'_>) -> io::Result<()> {
    let v = r.verdict;
    write!(
        out,
        "{{\"i\":{},\"ts\":{},\"t\":{},\"ctstate\":",
        r.number,
        Secs(r.ts_nanos),
        Secs(r.clock_nanos as i64)
    )?;
    opt_string(out, v.ctstate.map(|s| s.name()))?;
    out.write_all(b",\"ctdir\":")?;
    opt_string(out, v.dir.map(|d| d.name()))?;
    out.write_all(b",\"ctstatus\":")?;
    strings(out, v.status.reported_names())?;
    out.write_all(b",\"reason\":")?;
    opt_string(out, v.reason.as_ref().map(|r| r.to_string()).as_deref())?;
    out.write_all(b",\"kernel_log\":")?;
    opt_string(
        out,
        v.reason.as_ref().and_then(|r| r.kernel_log()).as_deref(),
    )?;
    out.write_all(b",\"entry\":")?;
    opt_number(out, v.entry)?;
    out.write_all(b",\"proto_state\":")?;
    opt_string(out, v.proto_state)?;
    out.write_all(b",\"tuple\":")?;
    match &v.tuple {
        Some(t) => tuple_json(out, t)?,
        None => out.write_all(b"null")?,
    }
    write!(out, ",\"padded\":{},\"note\":", v.padded)?;
    opt_string(out, r.note)?;
    out.write_all(b",\"master\":")?;
    opt_number(out, v.master)?;
    out.write_all(b",\"helper\":")?;
    opt_string(out, v.helper)?;
    out.write_all(b",\"events\":")?;
    strings(out, v.events.iter().map(|e| e.short()))?;
    out.write_all(b",\"expect_events\":")?;
    strings(out, v.expect_events.iter().map(|e| e.to_string()))?;
    out.write_all(b",\"verdict\":")?;
    string(out, super::fate(r))?;
    out.write_all(b",\"rule\":")?;
    let rule = r
        .rules
        .and_then(|d| d.by.as_ref().map(|b| b.to_string()))
        .or_else(|| v.dropped_by.clone());
    opt_string(out, rule.as_deref())?;
    out.write_all(b",\"hooks\":")?;
    match r.rules {
        Some(d) => strings(out, d.path.iter().map(|h| h.chain_name()))?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b",\"iif\":")?;
    opt_string(out, r.rules.and_then(|d| d.iif.as_deref()))?;
    out.write_all(b",\"oif\":")?;
    opt_string(out, r.rules.and_then(|d| d.oif.as_deref()))?;
    out.write_all(b",\"answer_to\":")?;
    opt_string(out, r.rules.and_then(|d| d.answer_to.as_deref()))?;
    out.write_all(b",\"summary\":")?;
    string(out, r.summary)?;
    out.write_all(b"}\n")
}
