//! Kernel recordings (`packets.jsonl` from `kernel-replay`) and the
//! per-frame comparison with ctrack's verdicts.

use ctrack_core::Verdict;
use ctrack_core::helper::HelperRule;
use serde::Deserialize;
use std::fmt;
use std::path::Path;

/// One line of a kernel `packets.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct KernelFrame {
    pub i: u64,
    pub ctstate: Option<String>,
    pub ctdir: Option<String>,
    #[serde(default)]
    pub ctstatus: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub reason: Option<Vec<String>>,
    #[serde(default = "sent_default")]
    pub sent: bool,
    #[serde(default)]
    pub entry: Option<u32>,
    #[serde(default)]
    pub proto_state: Option<String>,
    /// The table events the frame caused (`NEW 3 ...`, `DESTROY 3`,
    /// `EXP_NEW ...`).
    #[serde(default)]
    pub events: Vec<String>,
    /// ACCEPT or DROP: whether the frame got past the bridge (recordings
    /// made with rulesets and later ones).
    #[serde(default)]
    pub verdict: Option<String>,
    /// Local-host recordings (ctlocal): the interface the frame was
    /// captured on and its number in that interface's capture.
    #[serde(default, rename = "if")]
    pub iface: Option<String>,
    #[serde(default)]
    pub if_frame: Option<u64>,
    /// The frame is a routed packet leaving again: the recording's number
    /// of the frame it came in as.
    #[serde(default)]
    pub forwarded_from: Option<u64>,
    /// The hooks whose logging points the packet reached
    /// (`PREROUTING>INPUT`).
    #[serde(default)]
    pub hooks: Option<String>,
}

fn sent_default() -> bool {
    true
}

/// The part of a verdict the kernel recordings hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observed {
    pub ctstate: Option<String>,
    pub ctdir: Option<String>,
    pub ctstatus: Vec<String>,
}

impl Observed {
    pub fn from_verdict(v: &Verdict) -> Observed {
        let mut ctstatus: Vec<String> = v.status.reported_names().map(String::from).collect();
        ctstatus.sort();
        Observed {
            ctstate: v.ctstate.map(|s| s.name().to_string()),
            ctdir: v.dir.map(|d| d.name().to_string()),
            ctstatus,
        }
    }

    pub fn from_kernel(k: &KernelFrame) -> Observed {
        let mut ctstatus = k.ctstatus.clone();
        ctstatus.sort();
        Observed {
            ctstate: k.ctstate.clone(),
            ctdir: k.ctdir.clone(),
            ctstatus,
        }
    }
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} [{}]",
            self.ctstate.as_deref().unwrap_or("null"),
            self.ctdir.as_deref().unwrap_or("-"),
            self.ctstatus.join(",")
        )
    }
}

/// A whole recording.
#[derive(Debug, Clone)]
pub struct Recording {
    pub frames: Vec<KernelFrame>,
}

impl Recording {
    pub fn load(path: &Path) -> Result<Recording, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Recording::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Recording, String> {
        let mut frames = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let f: KernelFrame =
                serde_json::from_str(line).map_err(|e| format!("line {}: {e}", n + 1))?;
            frames.push(f);
        }
        Ok(Recording { frames })
    }

    /// The kernel frames in the order of a capture with `count` frames: the
    /// original capture (every line) or kernel-replay's `replayed.pcap`
    /// (the lines without `"sent": false`).
    pub fn aligned(&self, count: usize) -> Result<Vec<&KernelFrame>, String> {
        if count == self.frames.len() {
            return Ok(self.frames.iter().collect());
        }
        let sent: Vec<&KernelFrame> = self.frames.iter().filter(|f| f.sent).collect();
        if count == sent.len() {
            return Ok(sent);
        }
        Err(format!(
            "the capture has {count} frames, the recording {} ({} sent)",
            self.frames.len(),
            sent.len()
        ))
    }
}

/// A frame where ctrack and the kernel disagree.
#[derive(Debug, Clone)]
pub struct Difference {
    /// Our frame number.
    pub frame: u64,
    /// The recording's frame number.
    pub kernel_frame: u64,
    pub ours: Observed,
    pub kernel: Observed,
    pub our_reason: Option<String>,
    pub kernel_note: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "frame {}: ctrack {}  kernel {}",
            self.frame, self.ours, self.kernel
        )?;
        if self.kernel_frame != self.frame {
            write!(f, " (kernel frame {})", self.kernel_frame)?;
        }
        if let Some(r) = &self.our_reason {
            write!(f, "\n    ctrack: {r}")?;
        }
        if let Some(n) = &self.kernel_note {
            write!(f, "\n    kernel: {n}")?;
        }
        Ok(())
    }
}

/// Compare our observations (in capture order) with a recording.
pub fn compare(
    ours: &[(Observed, Option<String>)],
    rec: &Recording,
) -> Result<Vec<Difference>, String> {
    let kernel = rec.aligned(ours.len())?;
    let mut diffs = Vec::new();
    for (n, ((o, reason), k)) in ours.iter().zip(kernel).enumerate() {
        let ko = Observed::from_kernel(k);
        if *o != ko {
            let mut note = k.note.clone();
            if let Some(r) = &k.reason {
                let r = r.join("; ");
                note = Some(match note {
                    Some(n) => format!("{n}; {r}"),
                    None => r,
                });
            }
            diffs.push(Difference {
                frame: n as u64 + 1,
                kernel_frame: k.i,
                ours: o.clone(),
                kernel: ko,
                our_reason: reason.clone(),
                kernel_note: note,
            });
        }
    }
    Ok(diffs)
}

/// A /proc/net/nf_conntrack line split into its timeout and the rest, with
/// `use=` dropped (reference counts are not comparable).
fn table_key(line: &str) -> Option<(String, i64)> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.len() < 6 {
        return None;
    }
    let timeout: i64 = fields[4].parse().ok()?;
    let rest: Vec<&str> = fields
        .iter()
        .enumerate()
        .filter(|(i, f)| *i != 4 && !f.starts_with("use="))
        .map(|(_, f)| *f)
        .collect();
    Some((rest.join(" "), timeout))
}

/// Compare two /proc/net/nf_conntrack dumps as sets of entries, ignoring
/// order and `use=`, allowing `slack` seconds on timeouts. Returns one line
/// per entry found in only one of them.
pub fn compare_tables(ours: &str, kernel: &str, slack: i64) -> Vec<String> {
    compare_sets(ours, kernel, slack, table_key)
}

/// An expectation line: its timeout (the first field) and the rest.
fn expect_key(line: &str) -> Option<(String, i64)> {
    let (t, rest) = line.trim().split_once(' ')?;
    Some((rest.to_string(), t.parse().ok()?))
}

/// Compare two /proc/net/nf_conntrack_expect dumps as sets, allowing
/// `slack` seconds on timeouts.
pub fn compare_expectations(ours: &str, kernel: &str, slack: i64) -> Vec<String> {
    compare_sets(ours, kernel, slack, expect_key)
}

fn compare_sets(
    ours: &str,
    kernel: &str,
    slack: i64,
    key: fn(&str) -> Option<(String, i64)>,
) -> Vec<String> {
    let mut mine: Vec<(String, i64)> = ours.lines().filter_map(key).collect();
    let mut diffs = Vec::new();
    for line in kernel.lines().filter(|l| !l.trim().is_empty()) {
        let Some((k, t)) = key(line) else {
            diffs.push(format!("kernel line not understood: {line}"));
            continue;
        };
        match mine
            .iter()
            .position(|(mk, ot)| *mk == k && (ot - t).abs() <= slack)
        {
            Some(i) => {
                mine.swap_remove(i);
            }
            None => match mine.iter().position(|(mk, _)| *mk == k) {
                Some(i) => {
                    let (_, ot) = mine.swap_remove(i);
                    diffs.push(format!("timeout {ot} instead of {t}: {line}"));
                }
                None => diffs.push(format!("only in the kernel's: {line}")),
            },
        }
    }
    for (k, t) in mine {
        diffs.push(format!("only in ctrack's (timeout {t}): {k}"));
    }
    diffs
}

/// kernel-replay's expect-events.txt: `frame N: EXP_NEW ...` lines, as
/// (frame, event text).
pub fn read_expect_events(text: &str) -> Vec<(u64, String)> {
    text.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("frame ")?;
            let (n, ev) = rest.split_once(": ")?;
            Some((n.trim().parse().ok()?, ev.trim().to_string()))
        })
        .collect()
}

/// ctrack's expectation event: frame, text, and whether its timer ran out
/// (it may have fired before the previous frame was handled).
pub type OurExpectEvent = (u64, String, bool);

/// Compare expectation events frame by frame (each frame's as a multiset).
/// A kernel event for which `gc_timed` is true (an expectation destroyed
/// because the garbage collector reaped its expired master, at a moment
/// set by the kernel's GC schedule rather than by the capture) also
/// matches the same event of ctrack's at any frame; an expectation
/// whose timer ran out between two frames is reported by ctrack with the
/// later one and by kernel-replay with the earlier one, so ctrack's
/// timer events also match the kernel's at an earlier frame.
pub fn compare_expect_events(
    ours: &[OurExpectEvent],
    kernel: &[(u64, String)],
    gc_timed: impl Fn(u64, &str) -> bool,
) -> Vec<String> {
    let mut mine: Vec<Option<&OurExpectEvent>> = ours.iter().map(Some).collect();
    let mut left: Vec<&(u64, String)> = Vec::new();
    for k in kernel {
        match mine
            .iter()
            .position(|m| m.is_some_and(|(f, e, _)| *f == k.0 && *e == k.1))
        {
            Some(i) => mine[i] = None,
            None => left.push(k),
        }
    }
    let mut diffs = Vec::new();
    for k in left {
        let gc = gc_timed(k.0, &k.1);
        let early = mine.iter().position(|m| {
            m.is_some_and(|(f, e, timer)| *e == k.1 && (gc || (*timer && *f >= k.0)))
        });
        match early {
            Some(i) => mine[i] = None,
            None => diffs.push(format!("frame {}: only the kernel: {}", k.0, k.1)),
        }
    }
    for (f, e, _) in mine.into_iter().flatten() {
        diffs.push(format!("frame {f}: only ctrack: {e}"));
    }
    diffs.sort();
    diffs
}

/// One table event in kernel-replay's short form, split for comparison:
/// the text without its timeout, and the timeout.
fn split_event(e: &str) -> (String, Option<i64>) {
    let mut words: Vec<&str> = e.split_whitespace().collect();
    let mut timeout = None;
    if let Some(i) = words.iter().position(|w| *w == "timeout")
        && i + 1 < words.len()
    {
        timeout = words[i + 1].parse().ok();
        words.drain(i..i + 2);
    }
    // The local-host harness also writes the helper and the EXPECTED bit,
    // which kernel-replay's events (and ctrack's short form) leave out.
    if let Some(i) = words.iter().position(|w| *w == "helper")
        && i + 1 < words.len()
    {
        words.drain(i..i + 2);
    }
    let mut out: Vec<String> = Vec::new();
    for w in words {
        if let Some(list) = w.strip_prefix('[').and_then(|w| w.strip_suffix(']')) {
            let kept: Vec<&str> = list.split(',').filter(|f| *f != "EXPECTED").collect();
            if !kept.is_empty() {
                out.push(format!("[{}]", kept.join(",")));
            }
        } else {
            out.push(w.to_string());
        }
    }
    (out.join(" "), timeout)
}

/// ctrack's table event: frame, short form, and whether it is a DESTROY of
/// an entry whose timeout ran out.
pub type OurEvent = (u64, String, bool);

/// Compare table events (NEW/UPDATE/DESTROY) frame by frame, timeouts
/// within ±1 s. DESTROYs of expired entries happen when the kernel's garbage
/// collector gets to them: ctrack's may come at any frame, and either side
/// may lack one as long as the entry is gone from ctrack's table
/// (`live_at_end` holds the entry numbers still in it).
pub fn compare_ct_events(
    ours: &[OurEvent],
    kernel: &[(u64, String)],
    live_at_end: &std::collections::HashSet<u32>,
) -> Vec<String> {
    let key = |e: &str| split_event(e);
    let mut mine: Vec<Option<&OurEvent>> = ours.iter().map(Some).collect();
    let mut diffs = Vec::new();
    for (kf, ke) in kernel {
        let (kt, kto) = key(ke);
        let exact = mine.iter().position(|m| {
            m.is_some_and(|(f, e, _)| {
                let (t, to) = key(e);
                *f == *kf
                    && t == kt
                    && match (to, kto) {
                        (Some(a), Some(b)) => (a - b).abs() <= 1,
                        (a, b) => a == b,
                    }
            })
        });
        if let Some(i) = exact {
            mine[i] = None;
            continue;
        }
        if ke.starts_with("DESTROY") {
            if let Some(i) = mine
                .iter()
                .position(|m| m.is_some_and(|(_, e, expired)| *expired && *e == *ke))
            {
                mine[i] = None;
                continue;
            }
            let seq: u32 = ke
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            if !live_at_end.contains(&seq) {
                // Expired in ctrack too; not reaped by the end of the capture.
                continue;
            }
        }
        diffs.push(format!("frame {kf}: only the kernel: {ke}"));
    }
    for (f, e, expired) in mine.into_iter().flatten() {
        if !*expired {
            diffs.push(format!("frame {f}: only ctrack: {e}"));
        }
    }
    diffs
}

/// The helpers kernel-replay attached (`meta.json` helper_rules, unless
/// recorded with --no-helpers). Helpers ctrack does not have are left out.
pub fn recording_helpers(meta: &serde_json::Value) -> Result<Vec<HelperRule>, String> {
    if meta.pointer("/options/helpers").and_then(|v| v.as_bool()) == Some(false) {
        return Ok(Vec::new());
    }
    let mut rules = Vec::new();
    for r in meta
        .get("helper_rules")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        let name = r.get("helper").and_then(|v| v.as_str()).unwrap_or("");
        let family = match r.get("family").and_then(|v| v.as_str()) {
            Some("ipv6") => Some(ctrack_core::Family::Ipv6),
            _ => Some(ctrack_core::Family::Ipv4),
        };
        let proto = match r.get("proto").and_then(|v| v.as_str()) {
            Some("tcp") => 6,
            Some("udp") => 17,
            _ => continue,
        };
        let Some(port) = r.get("dport").and_then(|v| v.as_u64()) else {
            continue;
        };
        match HelperRule::new(name, family, proto, port as u16) {
            Ok(rule) => rules.push(rule),
            Err(ctrack_core::helper::RuleError::Unknown(..)) => {}
            Err(e) => return Err(format!("meta.json helper rule: {e}")),
        }
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REC: &str = r#"{"i": 1, "ctstate": "NEW", "ctdir": "ORIGINAL", "ctstatus": [], "note": null}
{"i": 2, "ctstate": null, "ctdir": null, "ctstatus": [], "note": "runt", "sent": false}
{"i": 3, "ctstate": "ESTABLISHED", "ctdir": "REPLY", "ctstatus": ["ASSURED", "SEEN_REPLY"], "note": null}
"#;

    fn obs(s: Option<&str>, d: Option<&str>, st: &[&str]) -> (Observed, Option<String>) {
        let mut ctstatus: Vec<String> = st.iter().map(|s| s.to_string()).collect();
        ctstatus.sort();
        (
            Observed {
                ctstate: s.map(String::from),
                ctdir: d.map(String::from),
                ctstatus,
            },
            None,
        )
    }

    #[test]
    fn aligns_replayed_and_original_captures() {
        let rec = Recording::parse(REC).unwrap();
        assert_eq!(rec.aligned(3).unwrap().len(), 3);
        let two = rec.aligned(2).unwrap();
        assert_eq!(two[1].i, 3);
        assert!(rec.aligned(5).is_err());
    }

    #[test]
    fn status_order_does_not_matter() {
        let rec = Recording::parse(REC).unwrap();
        let ours = vec![
            obs(Some("NEW"), Some("ORIGINAL"), &[]),
            obs(
                Some("ESTABLISHED"),
                Some("REPLY"),
                &["SEEN_REPLY", "ASSURED"],
            ),
        ];
        assert!(compare(&ours, &rec).unwrap().is_empty());
        let wrong = vec![
            obs(Some("NEW"), Some("ORIGINAL"), &[]),
            obs(Some("INVALID"), None, &[]),
        ];
        let d = compare(&wrong, &rec).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].frame, d[0].kernel_frame), (2, 3));
        assert!(d[0].to_string().starts_with(
            "frame 2: ctrack INVALID - []  kernel ESTABLISHED REPLY [ASSURED,SEEN_REPLY]"
        ));
    }

    #[test]
    fn bad_lines_are_named() {
        let e = Recording::parse("{\"i\": 1}\nnot json\n").unwrap_err();
        assert!(e.starts_with("line 1:") || e.starts_with("line 2:"), "{e}");
    }
}
