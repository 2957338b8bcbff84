//! Every kernel recording under `tests/fixtures/kernel/` replayed through
//! ctrack and compared frame by frame (ctstate, ctdir, ctstatus; with a
//! ruleset also the verdict, and for local-host recordings the hooks) and
//! on the final table (`table.txt`, ignoring `use=`, timeouts ±1 s), the
//! table and expectation events, and the rules' counters.
//!
//! Recordings with rulesets (`meta.json` rulesets) run them through
//! `ctrack-rules`; local-host recordings (tool `ctlocal`) also describe the
//! host (its interfaces and addresses), may span several captures (merged
//! in the recording's order, each routed packet once), and leave out of the
//! table what never crossed a captured interface (loopback).
//!
//! Differences still expected are listed in
//! `tests/fixtures/kernel/known-differences.toml`. The test fails when a
//! frame (or table) not listed there differs, and when a listed one now
//! agrees, so the list can only shrink. It prints the agreement per fixture
//! and overall.
//!
//! `CTRACK_BLESS=shrink` rewrites the list without the entries that now
//! agree; `CTRACK_BLESS=grow` also adds the new differences, classified by
//! the issue expected to fix them (review the result before committing).
//! `CTRACK_FIXTURE=substring` runs only the matching fixtures.

use ctrack::expect::{self, Observed, Recording};
use ctrack_capture::CaptureReader;
use ctrack_capture::replay::Replayer;
use ctrack_core::{Conntrack, CtState, Family, Reason, Sysctls, Timestamp};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[path = "kernel_fixtures/counters.rs"]
mod counters;
#[path = "kernel_fixtures/local.rs"]
mod local;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/kernel")
}

#[derive(Debug, Deserialize)]
struct KnownFile {
    #[serde(default)]
    known: Vec<Known>,
}

#[derive(Debug, Clone, Deserialize)]
struct Known {
    fixture: String,
    #[serde(default)]
    issue: Option<u32>,
    reason: String,
    #[serde(default)]
    frames: String,
    #[serde(default)]
    table: bool,
    /// The difference is random by design (e.g. the victims of an early
    /// drop): the listed frames and table may agree or not.
    #[serde(default)]
    random: bool,
}

fn parse_frames(spec: &str) -> Result<BTreeSet<u64>, String> {
    let mut out = BTreeSet::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a, b),
            None => (part, part),
        };
        let a: u64 = a
            .trim()
            .parse()
            .map_err(|_| format!("bad frame range `{part}`"))?;
        let b: u64 = b
            .trim()
            .parse()
            .map_err(|_| format!("bad frame range `{part}`"))?;
        if a > b {
            return Err(format!("bad frame range `{part}`"));
        }
        out.extend(a..=b);
    }
    Ok(out)
}

fn format_frames(frames: &BTreeSet<u64>) -> String {
    let mut out = String::new();
    let mut it = frames.iter().copied().peekable();
    while let Some(a) = it.next() {
        let mut b = a;
        while it.peek() == Some(&(b + 1)) {
            b = it.next().unwrap_or(b);
        }
        if !out.is_empty() {
            out.push(',');
        }
        if a == b {
            let _ = write!(out, "{a}");
        } else {
            let _ = write!(out, "{a}-{b}");
        }
    }
    out
}

/// Why a frame is expected to differ, for `CTRACK_BLESS=grow`.
fn classify(
    ours: &ctrack_core::Verdict,
    kernel: &expect::KernelFrame,
    entry_proto: Option<u8>,
) -> (Option<u32>, &'static str) {
    let note = kernel.note.as_deref().unwrap_or("");
    if matches!(
        ours.reason,
        Some(Reason::FragmentQueued | Reason::FragmentDropped(_))
    ) || note.contains("fragment")
    {
        return (
            Some(8),
            "IP fragments are not reassembled yet (nf_defrag): no verdict on the completing fragment",
        );
    }
    if kernel.ctstatus.iter().any(|s| s == "EXPECTED") {
        return (
            Some(7),
            "conntrack helpers and expectations are not implemented yet: the expected connection is not RELATED/EXPECTED",
        );
    }
    let proto = ours.tuple.map(|t| t.proto).or(entry_proto);
    let proto = if ours.ctstate == Some(CtState::Related) {
        entry_proto.or(proto)
    } else {
        proto
    };
    match proto {
        Some(6) => (
            Some(4),
            "TCP is tracked without its state machine until the TCP tracker lands (no ASSURED, no INVALID, no TCP timeouts)",
        ),
        Some(132) => (
            Some(5),
            "SCTP is tracked without its state machine until the SCTP tracker lands",
        ),
        _ => (None, "UNCLASSIFIED: explain me"),
    }
}

/// Why a final table differs, for `CTRACK_BLESS=grow`: the issues whose
/// entries differ.
fn classify_table(lines: &[String], frames: &[FrameDiff]) -> (Option<u32>, String) {
    let mut parts: BTreeMap<u32, &str> = BTreeMap::new();
    for l in lines {
        if l.contains(" tcp ") {
            parts.insert(4, "TCP entries (state column, timeouts, ASSURED)");
        } else if l.contains(" sctp ") {
            parts.insert(5, "SCTP entries (state column, timeouts)");
        } else if frames.iter().any(|f| f.issue == Some(8)) {
            parts.insert(8, "entries of fragmented datagrams");
        } else if frames.iter().any(|f| f.issue == Some(7)) {
            parts.insert(7, "entries made or changed by helpers");
        } else {
            parts.insert(0, "UNCLASSIFIED: explain me");
        }
    }
    let issue = parts.keys().copied().find(|&i| i != 0);
    let text = parts
        .iter()
        .map(|(i, t)| {
            if *i == 0 {
                t.to_string()
            } else {
                format!("{t} (issue {i})")
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    (issue, format!("final table: {text}"))
}

struct FrameDiff {
    frame: u64,
    issue: Option<u32>,
    reason: &'static str,
    text: String,
}

struct Outcome {
    name: String,
    frames: usize,
    diffs: Vec<FrameDiff>,
    table: Vec<String>,
    error: Option<String>,
}

fn strict_length(meta: &serde_json::Value) -> bool {
    meta.pointer("/options/pad_truncated")
        .and_then(|v| v.as_bool())
        == Some(false)
}

/// The IPv4 reassembly settings the recording ran with (`meta.ipfrag`, not
/// part of sysctl.conf) and every `--set` of a knob we model; module
/// parameters and names we do not model are skipped.
fn apply_meta_sysctls(meta: &serde_json::Value, sysctl: &mut Sysctls) -> Result<(), String> {
    if let Some(ipfrag) = meta.get("ipfrag").and_then(|v| v.as_object()) {
        for (k, v) in ipfrag {
            let v = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            sysctl
                .set(&format!("net.ipv4.{k}"), &v)
                .map_err(|e| format!("meta.json ipfrag: {e}"))?;
        }
    }
    // Helper module parameters in force (ports and modules ctrack does not
    // have are not knobs).
    if let Some(params) = meta.get("module_params").and_then(|v| v.as_object()) {
        for (k, v) in params {
            let v = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            match sysctl.set(k, &v) {
                Ok(()) | Err(ctrack_core::sysctl::SysctlError::Unknown(_)) => {}
                Err(e) => return Err(format!("meta.json module_params {k}: {e}")),
            }
        }
    }
    let sets = meta.pointer("/options/set").and_then(|v| v.as_array());
    for a in sets.into_iter().flatten().filter_map(|v| v.as_str()) {
        match sysctl.set_assignment(a) {
            Ok(()) | Err(ctrack_core::sysctl::SysctlError::Unknown(_)) => {}
            Err(e) => return Err(format!("meta.json --set {a}: {e}")),
        }
    }
    Ok(())
}

/// The rulesets a recording ran with (`meta.json` rulesets), in a pipeline.
fn pipeline_of(
    dir: &Path,
    meta: &serde_json::Value,
) -> Result<Option<ctrack_rules::Pipeline>, String> {
    let Some(sets) = meta.get("rulesets").and_then(|v| v.as_array()) else {
        return Ok(None);
    };
    if sets.is_empty() {
        return Ok(None);
    }
    let mut pl = ctrack_rules::Pipeline::new();
    for r in sets {
        let kind = r.get("kind").and_then(|v| v.as_str()).unwrap_or("");
        let file = r.get("file").and_then(|v| v.as_str()).unwrap_or("");
        // The local-host harness keeps the ruleset as rules.v4/.v6/.nft.
        let mut path = dir.join(file);
        if !path.is_file() {
            let ext = match kind {
                "iptables" => "v4",
                "ip6tables" => "v6",
                _ => "nft",
            };
            path = dir.join(format!("rules.{ext}"));
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.display().to_string();
        match kind {
            "iptables" => pl.add(Box::new(
                ctrack_rules::iptables::Ruleset::parse(&text, &name, Family::Ipv4)
                    .map_err(|e| e.to_string())?,
            )),
            "ip6tables" => pl.add(Box::new(
                ctrack_rules::iptables::Ruleset::parse(&text, &name, Family::Ipv6)
                    .map_err(|e| e.to_string())?,
            )),
            "nft" => pl.add(Box::new(
                ctrack_rules::nft::Ruleset::parse(&text, &name).map_err(|e| e.to_string())?,
            )),
            other => return Err(format!("meta.json: unknown ruleset kind `{other}`")),
        }
    }
    if local::is_local(meta) {
        for i in local::interfaces(meta)? {
            pl.add_iface(i);
        }
    }
    Ok(Some(pl))
}

/// What kernel-replay's `verdict` would say for a frame: DROP when the
/// rules or conntrack dropped it before its log point in POSTROUTING
/// (a helper's drop comes after that point, so it is ACCEPT there), None
/// for a fragment that was queued (its fate is the datagram's).
fn harness_fate(v: &ctrack_core::Verdict, d: &ctrack_rules::Decision) -> Option<&'static str> {
    use ctrack_rules::pipeline::Verdict as Rv;
    if !matches!(d.verdict, Rv::Accept) {
        return Some("DROP");
    }
    match &v.reason {
        Some(Reason::FragmentQueued) => None,
        Some(Reason::NotIp { .. }) => None,
        Some(Reason::HelperDrop { .. }) | None => Some("ACCEPT"),
        Some(r) if r.before_conntrack() => Some("DROP"),
        Some(_) => Some("ACCEPT"),
    }
}

fn run_fixture(dir: &Path, name: &str) -> Outcome {
    let mut out = Outcome {
        name: name.to_string(),
        frames: 0,
        diffs: Vec::new(),
        table: Vec::new(),
        error: None,
    };
    let r = (|| -> Result<(), String> {
        let meta: serde_json::Value = std::fs::read_to_string(dir.join("meta.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(serde_json::Value::Null);
        let mut sysctl = Sysctls::default();
        let conf = std::fs::read_to_string(dir.join("sysctl.conf"))
            .map_err(|e| format!("sysctl.conf: {e}"))?;
        sysctl
            .apply_conf(&conf)
            .map_err(|e| format!("sysctl.conf: {e}"))?;
        apply_meta_sysctls(&meta, &mut sysctl)?;
        let options = ctrack_core::Options {
            strict_length: strict_length(&meta),
            ..Default::default()
        };
        let mut rec = Recording::load(&dir.join("packets.jsonl"))?;
        let is_local = local::is_local(&meta);
        let reader = match local::merged_capture(dir, &rec.frames)? {
            Some(bytes) => {
                rec.frames.retain(|f| f.forwarded_from.is_none());
                CaptureReader::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?
            }
            None => {
                let file = std::fs::File::open(dir.join("replayed.pcap"))
                    .map_err(|e| format!("replayed.pcap: {e}"))?;
                CaptureReader::new(std::io::BufReader::new(file)).map_err(|e| e.to_string())?
            }
        };
        let mut ct = Conntrack::new(sysctl, options);
        ct.set_helper_rules(expect::recording_helpers(&meta)?);
        ct.set_events(true);
        let mut rp = Replayer::new(reader, ct, None);
        let mut pipeline = pipeline_of(dir, &meta)?;
        let mut no_hooks = ctrack_core::hooks::NoHooks;
        let mut fates: Vec<Option<&'static str>> = Vec::new();
        let mut decisions: Vec<Option<ctrack_rules::Decision>> = Vec::new();
        let mut verdicts = Vec::new();
        let mut entry_proto: HashMap<u32, u8> = HashMap::new();
        let sent_frames: Vec<u64> = rec.frames.iter().filter(|f| f.sent).map(|f| f.i).collect();
        let mut events: Vec<expect::OurExpectEvent> = Vec::new();
        let mut ct_events: Vec<expect::OurEvent> = Vec::new();
        loop {
            let hooks: &mut dyn ctrack_core::hooks::Hooks = match pipeline.as_mut() {
                Some(p) => p,
                None => &mut no_hooks,
            };
            let Some(step) = rp
                .step_hooked(|_, _| {}, hooks)
                .map_err(|e| e.to_string())?
            else {
                break;
            };
            fates.push(
                pipeline
                    .as_ref()
                    .and_then(|p| harness_fate(&step.verdict, p.decision())),
            );
            decisions.push(pipeline.as_ref().map(|p| p.decision().clone()));
            // Frame numbers as the recording counts them (frames it did not
            // send are not in replayed.pcap).
            let frame = sent_frames
                .get(verdicts.len())
                .copied()
                .unwrap_or(verdicts.len() as u64 + 1);
            events.extend(step.verdict.expect_events.iter().map(|e| {
                let timer = matches!(e, ctrack_core::expect::ExpectEvent::Expired(_));
                (frame, e.to_string(), timer)
            }));
            ct_events.extend(
                step.verdict
                    .events
                    .iter()
                    .map(|e| (frame, e.short(), e.expired)),
            );
            if let (Some(CtState::New), Some(e), Some(t)) =
                (step.verdict.ctstate, step.verdict.entry, step.verdict.tuple)
            {
                entry_proto.insert(e, t.proto);
            }
            verdicts.push(step.verdict);
        }
        out.frames = verdicts.len();
        let kernel = rec.aligned(verdicts.len())?;
        for (n, (v, k)) in verdicts.iter().zip(kernel).enumerate() {
            let mut o = Observed::from_verdict(v);
            let decision = decisions.get(n).and_then(|d| d.as_ref());
            // kernel-replay logs the state after PREROUTING's chains: a
            // packet they dropped after conntrack shows none.
            if !is_local
                && k.ctstate.is_none()
                && v.dropped_by.is_some()
                && decision.is_some_and(|d| d.path.last() == Some(&ctrack_rules::Hook::Prerouting))
            {
                o = Observed::default();
            }
            let ko = Observed::from_kernel(k);
            let ours = fates.get(n).copied().flatten();
            if let (Some(ours), Some(theirs)) = (ours, k.verdict.as_deref())
                && o == ko
                && ours != theirs
            {
                out.diffs.push(FrameDiff {
                    frame: n as u64 + 1,
                    issue: Some(9),
                    reason: "the ruleset's verdict differs",
                    text: format!(
                        "frame {}: ctrack {ours}{}  kernel {theirs}",
                        n + 1,
                        v.dropped_by
                            .as_ref()
                            .map(|r| format!(" ({r})"))
                            .unwrap_or_default()
                    ),
                });
                continue;
            }
            if let (Some(d), Some(theirs)) = (decision, k.hooks.as_deref())
                && o == ko
                && local::logged_hooks(d) != theirs
            {
                out.diffs.push(FrameDiff {
                    frame: n as u64 + 1,
                    issue: Some(9),
                    reason: "the hook path differs",
                    text: format!(
                        "frame {}: ctrack {}  kernel {theirs}",
                        n + 1,
                        local::logged_hooks(d)
                    ),
                });
                continue;
            }
            if o != ko {
                let ep = v.entry.and_then(|e| entry_proto.get(&e).copied());
                let (issue, reason) = classify(v, k, ep);
                out.diffs.push(FrameDiff {
                    frame: n as u64 + 1,
                    issue,
                    reason,
                    text: format!(
                        "frame {}: ctrack {o}  kernel {ko}{}",
                        n + 1,
                        v.reason
                            .as_ref()
                            .map(|r| format!(" ({r})"))
                            .unwrap_or_default()
                    ),
                });
            }
        }
        // The rules' counters, unless the host had traffic no capture saw.
        let unseen = std::fs::read_to_string(dir.join("local-only.jsonl"))
            .is_ok_and(|t| !t.trim().is_empty());
        if let Some(p) = &pipeline
            && !unseen
        {
            let kinds = meta
                .get("rulesets")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .map(|r| r.get("kind").and_then(|k| k.as_str()).unwrap_or(""))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            for (kind, src) in kinds.iter().zip(p.sources()) {
                if let Some(d) = counters::compare(dir, kind, &src.saved()) {
                    out.table
                        .extend(d.into_iter().map(|d| format!("counters: {d}")));
                }
            }
        }
        if let Ok(mut table) = std::fs::read_to_string(dir.join("table.txt")) {
            if is_local {
                table = local::captured_table(&table, &local::interfaces(&meta)?);
            }
            let elapsed: f64 = std::fs::read_to_string(dir.join("table.elapsed"))
                .ok()
                .and_then(|t| t.trim().parse().ok())
                .unwrap_or(0.0);
            let at: Timestamp = rp.clock().now() + Duration::from_secs_f64(elapsed.max(0.0));
            let ours = rp.conntrack().proc_table(at);
            // Extend: the counters' differences are already there.
            out.table.extend(expect::compare_tables(&ours, &table, 1));
            if let Ok(kexp) = std::fs::read_to_string(dir.join("expect.txt")) {
                let ours = rp.conntrack().proc_expect(at);
                out.table.extend(
                    expect::compare_expectations(&ours, &kexp, 1)
                        .into_iter()
                        .map(|d| format!("expectations: {d}")),
                );
            }
        }
        {
            let kernel_events: Vec<(u64, String)> = rec
                .frames
                .iter()
                .flat_map(|f| {
                    f.events
                        .iter()
                        .filter(|e| !e.starts_with("EXP_"))
                        .map(move |e| (f.i, e.clone()))
                })
                .collect();
            let live: std::collections::HashSet<u32> = rp
                .conntrack()
                .entries(rp.clock().now())
                .iter()
                .map(|c| c.seq)
                .collect();
            out.table.extend(
                expect::compare_ct_events(&ct_events, &kernel_events, &live)
                    .into_iter()
                    .map(|d| format!("table events: {d}")),
            );
        }
        if let Ok(kev) = std::fs::read_to_string(dir.join("expect-events.txt")) {
            let kev = expect::read_expect_events(&kev);
            // An EXP_DESTROY in a frame whose events also destroy its
            // master is the GC reaping that (long expired) master.
            let gc_timed =
                |frame: u64, ev: &str| {
                    let master = ev.rsplit(' ').next().unwrap_or("");
                    ev.starts_with("EXP_DESTROY")
                        && rec.frames.iter().find(|f| f.i == frame).is_some_and(|f| {
                            f.events.iter().any(|e| *e == format!("DESTROY {master}"))
                        })
                };
            out.table.extend(
                expect::compare_expect_events(&events, &kev, gc_timed)
                    .into_iter()
                    .map(|d| format!("expectation events: {d}")),
            );
        }
        Ok(())
    })();
    out.error = r.err();
    out
}

fn discover(root: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.join("packets.jsonl").is_file() && p.join("replayed.pcap").is_file() {
                    let name = p
                        .strip_prefix(root)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .replace('\\', "/");
                    found.push((p.clone(), name));
                } else {
                    stack.push(p);
                }
            }
        }
    }
    found.sort_by(|a, b| a.1.cmp(&b.1));
    found
}

fn write_known(path: &Path, known: &[Known]) -> std::io::Result<()> {
    let mut s = String::from(
        "# Frames, and final tables, where ctrack still differs from the kernel's recording.\n\
         # crates/cli/tests/kernel_fixtures.rs fails when an unlisted frame differs and when a\n\
         # listed one agrees: this list only shrinks. `issue` is the issue expected to fix the\n\
         # entry; entries without one are differences no implementation can remove.\n",
    );
    let mut sorted = known.to_vec();
    sorted.sort_by(|a, b| (a.fixture.as_str(), a.issue).cmp(&(b.fixture.as_str(), b.issue)));
    for k in sorted {
        if k.frames.is_empty() && !k.table {
            continue;
        }
        let _ = write!(s, "\n[[known]]\nfixture = {:?}\n", k.fixture);
        if let Some(i) = k.issue {
            let _ = writeln!(s, "issue = {i}");
        }
        let _ = writeln!(s, "reason = {:?}", k.reason);
        if !k.frames.is_empty() {
            let _ = writeln!(s, "frames = {:?}", k.frames);
        }
        if k.random {
            let _ = writeln!(s, "random = true");
        }
        if k.table {
            let _ = writeln!(s, "table = true");
        }
    }
    std::fs::write(path, s)
}

fn main() -> ExitCode {
    let root = root();
    let known_path = root.join("known-differences.toml");
    let known: Vec<Known> = match std::fs::read_to_string(&known_path) {
        Ok(t) => match toml::from_str::<KnownFile>(&t) {
            Ok(k) => k.known,
            Err(e) => {
                eprintln!("{}: {e}", known_path.display());
                return ExitCode::FAILURE;
            }
        },
        Err(_) => Vec::new(),
    };
    let bless = std::env::var("CTRACK_BLESS").ok();
    let only = std::env::var("CTRACK_FIXTURE").ok();
    let fixtures: Vec<(PathBuf, String)> = discover(&root)
        .into_iter()
        .filter(|(_, n)| only.as_deref().is_none_or(|o| n.contains(o)))
        .collect();
    if fixtures.is_empty() {
        eprintln!("no kernel fixtures under {}", root.display());
        return ExitCode::FAILURE;
    }

    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(8);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((dir, name)) = fixtures.get(i) else {
                        break;
                    };
                    let o = run_fixture(dir, name);
                    results.lock().unwrap_or_else(|p| p.into_inner()).push(o);
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by(|a, b| a.name.cmp(&b.name));

    // What the list says, per fixture.
    let mut listed: BTreeMap<&str, (BTreeSet<u64>, bool, bool)> = BTreeMap::new();
    for k in &known {
        let e = listed.entry(k.fixture.as_str()).or_default();
        match parse_frames(&k.frames) {
            Ok(f) => e.0.extend(f),
            Err(err) => {
                eprintln!("{}: fixture {}: {err}", known_path.display(), k.fixture);
                return ExitCode::FAILURE;
            }
        }
        e.1 |= k.table;
        e.2 |= k.random;
    }

    let mut failures = Vec::new();
    let (mut agree, mut total) = (0usize, 0usize);
    let mut new_known: Vec<Known> = Vec::new();
    for r in &results {
        if let Some(e) = &r.error {
            failures.push(format!("{}: {e}", r.name));
            continue;
        }
        total += r.frames;
        agree += r.frames - r.diffs.len();
        let (list, table_listed, random) = listed.get(r.name.as_str()).cloned().unwrap_or_default();
        let differing: BTreeSet<u64> = r.diffs.iter().map(|d| d.frame).collect();
        let unlisted: Vec<&FrameDiff> = r
            .diffs
            .iter()
            .filter(|d| !list.contains(&d.frame))
            .collect();
        let fixed: Vec<u64> = list.difference(&differing).copied().collect();
        let table_differs = !r.table.is_empty();
        println!(
            "{:<62} {:>6}/{:<6} frames agree{}",
            r.name,
            r.frames - r.diffs.len(),
            r.frames,
            if table_differs { ", table differs" } else { "" }
        );
        for d in unlisted.iter().take(10) {
            failures.push(format!("{}: not in known-differences: {}", r.name, d.text));
        }
        if unlisted.len() > 10 {
            failures.push(format!(
                "{}: ... and {} more unlisted differing frames",
                r.name,
                unlisted.len() - 10
            ));
        }
        if !fixed.is_empty() && !random {
            failures.push(format!(
                "{}: frames {} now agree with the kernel: remove them from known-differences.toml",
                r.name,
                format_frames(&fixed.iter().copied().collect())
            ));
        }
        if table_differs && !table_listed {
            for t in r.table.iter().take(10) {
                failures.push(format!("{}: final table: {t}", r.name));
            }
        }
        if !table_differs && table_listed && !random {
            failures.push(format!(
                "{}: the final table now agrees: remove `table = true`",
                r.name
            ));
        }

        // The list as it should be now.
        for k in known.iter().filter(|k| k.fixture == r.name) {
            let frames: BTreeSet<u64> = parse_frames(&k.frames)
                .unwrap_or_default()
                .intersection(&differing)
                .copied()
                .collect();
            if k.random {
                new_known.push(k.clone());
                continue;
            }
            new_known.push(Known {
                frames: format_frames(&frames),
                table: k.table && table_differs,
                ..k.clone()
            });
        }
        if bless.as_deref() == Some("grow") {
            let mut by_class: BTreeMap<(Option<u32>, &str), BTreeSet<u64>> = BTreeMap::new();
            for d in &unlisted {
                by_class
                    .entry((d.issue, d.reason))
                    .or_default()
                    .insert(d.frame);
            }
            for ((issue, reason), frames) in by_class {
                new_known.push(Known {
                    fixture: r.name.clone(),
                    issue,
                    reason: reason.to_string(),
                    frames: format_frames(&frames),
                    table: false,
                    random: false,
                });
            }
            if table_differs && !table_listed {
                let (issue, reason) = classify_table(&r.table, &r.diffs);
                new_known.push(Known {
                    fixture: r.name.clone(),
                    issue,
                    reason,
                    frames: String::new(),
                    table: true,
                    random: false,
                });
            }
        }
    }
    println!(
        "kernel agreement: {agree}/{total} frames ({:.2}%) over {} fixtures",
        100.0 * agree as f64 / total.max(1) as f64,
        results.len()
    );
    if bless.is_some() && only.is_none() {
        if let Err(e) = write_known(&known_path, &new_known) {
            eprintln!("writing {}: {e}", known_path.display());
            return ExitCode::FAILURE;
        }
        println!("rewrote {}", known_path.display());
        return ExitCode::SUCCESS;
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        for f in &failures {
            eprintln!("FAIL {f}");
        }
        eprintln!("{} problems", failures.len());
        ExitCode::FAILURE
    }
}
