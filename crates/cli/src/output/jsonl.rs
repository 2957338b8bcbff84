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

use super::{FrameRecord, secs};
use ctrack_core::Tuple;
use ctrack_core::proto::{self, TupleKind};
use std::io::{self, Write};

fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn opt_string(s: Option<&str>) -> String {
    s.map(string).unwrap_or_else(|| "null".into())
}

fn tuple_json(t: &Tuple) -> String {
    let mut s = format!(
        "{{\"l3\":\"{}\",\"proto\":{},\"src\":\"{}\",\"dst\":\"{}\"",
        t.family.name(),
        t.proto,
        t.src_ip(),
        t.dst_ip()
    );
    match proto::find(t.family, t.proto).tuple_kind() {
        TupleKind::Ports => s.push_str(&format!(",\"sport\":{},\"dport\":{}", t.src_u, t.dst_u)),
        TupleKind::Icmp => s.push_str(&format!(
            ",\"type\":{},\"code\":{},\"id\":{}",
            t.icmp_type(),
            t.icmp_code(),
            t.icmp_id()
        )),
        TupleKind::GreKeys => {
            s.push_str(&format!(",\"srckey\":{},\"dstkey\":{}", t.src_u, t.dst_u))
        }
        TupleKind::AddressesOnly => {}
    }
    s.push('}');
    s
}

pub fn write(out: &mut dyn Write, r: &FrameRecord<'_>) -> io::Result<()> {
    let v = r.verdict;
    let status: Vec<String> = v.status.reported_names().map(string).collect();
    let reason = v.reason.as_ref().map(|r| r.to_string());
    let klog = v.reason.as_ref().and_then(|r| r.kernel_log());
    let events: Vec<String> = v
        .expect_events
        .iter()
        .map(|e| string(&e.to_string()))
        .collect();
    let ct_events: Vec<String> = v.events.iter().map(|e| string(&e.short())).collect();
    let rule = r
        .rules
        .and_then(|d| d.by.as_ref().map(|b| b.to_string()))
        .or_else(|| v.dropped_by.clone());
    let hooks = r
        .rules
        .map(|d| {
            let h: Vec<String> = d.path.iter().map(|h| string(h.chain_name())).collect();
            format!("[{}]", h.join(","))
        })
        .unwrap_or_else(|| "null".into());
    let iif = r.rules.and_then(|d| d.iif.as_deref());
    let oif = r.rules.and_then(|d| d.oif.as_deref());
    let answer_to = r.rules.and_then(|d| d.answer_to.as_deref());
    writeln!(
        out,
        "{{\"i\":{},\"ts\":{},\"t\":{},\"ctstate\":{},\"ctdir\":{},\"ctstatus\":[{}],\"reason\":{},\"kernel_log\":{},\"entry\":{},\"proto_state\":{},\"tuple\":{},\"padded\":{},\"note\":{},\"master\":{},\"helper\":{},\"events\":[{}],\"expect_events\":[{}],\"verdict\":{},\"rule\":{},\"hooks\":{},\"iif\":{},\"oif\":{},\"answer_to\":{},\"summary\":{}}}",
        r.number,
        secs(r.ts_nanos),
        secs(r.clock_nanos as i64),
        opt_string(v.ctstate.map(|s| s.name())),
        opt_string(v.dir.map(|d| d.name())),
        status.join(","),
        opt_string(reason.as_deref()),
        opt_string(klog.as_deref()),
        v.entry
            .map(|e| e.to_string())
            .unwrap_or_else(|| "null".into()),
        opt_string(v.proto_state),
        v.tuple
            .as_ref()
            .map(tuple_json)
            .unwrap_or_else(|| "null".into()),
        v.padded,
        opt_string(r.note),
        v.master
            .map(|e| e.to_string())
            .unwrap_or_else(|| "null".into()),
        opt_string(v.helper),
        ct_events.join(","),
        events.join(","),
        string(super::fate(r)),
        opt_string(rule.as_deref()),
        hooks,
        opt_string(iif),
        opt_string(oif),
        opt_string(answer_to),
        string(r.summary),
    )
}
