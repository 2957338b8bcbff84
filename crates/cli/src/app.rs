//! Command-line definition and the subcommands.

use crate::expect::{self, Observed, Recording};
use crate::fragments::{Held, MAX_HELD, Reorder};
use crate::output::{self, FrameRecord, summary};
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use ctrack_capture::replay::{Replayer, ZoneBy};
use ctrack_capture::{CaptureError, CaptureReader};
use ctrack_core::helper::HelperRule;
use ctrack_core::hooks::{Hooks, NoHooks};
use ctrack_core::tuple::Family;
use ctrack_core::{Conntrack, Sysctls, Timestamp, validate};
use ctrack_rules::Pipeline;
use ctrack_rules::pipeline::{Iface, LocalNet};
use indicatif::{ProgressBar, ProgressStyle};
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(
    name = "ctrack",
    version,
    about = "Linux conntrack in user space: replay captures and see the kernel's verdict for every packet"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Replay a capture (pcap or pcapng) through conntrack, one line per frame.
    Replay(ReplayArgs),
    /// Explain one frame: the entry before and after, each check with its
    /// numbers, and why the frame got its verdict.
    Explain(ExplainArgs),
    /// List the conntrack knobs ctrack knows, with their values.
    Sysctls(SysctlArgs),
    /// Measure throughput and memory (replay from memory, SYN flood, lookups).
    Bench(crate::bench::BenchArgs),
    /// Read rulesets without a capture and lint them: shadowed and
    /// unreachable rules, DROP without an ESTABLISHED accept, INVALID not
    /// dropped, unused chains, NEW without SYN (--strict). Exit 1 on findings.
    CheckRules(crate::check_rules::CheckRulesArgs),
}

/// How frames are turned into tracker input, shared by replay and explain.
#[derive(Args, Debug, Clone)]
pub struct TrackArgs {
    #[command(flatten)]
    pub knobs: KnobArgs,
    /// Treat frames cut by the snaplen as the kernel treats a truncated packet
    /// (dropped before conntrack) instead of padding them with zeros.
    #[arg(long)]
    pub strict_length: bool,
    /// Accept IPv4 headers with a wrong checksum (captures with checksum
    /// offload carry 0) instead of dropping them as the kernel does.
    #[arg(long)]
    pub ignore_ip_checksum: bool,
    /// Cap every gap between frames at this many seconds (kernel-replay's --max-gap).
    #[arg(long, value_name = "SECONDS")]
    pub max_gap: Option<f64>,
    /// The kernel's tick rate (CONFIG_HZ) whose jiffies conntrack compares.
    #[arg(long, value_name = "HZ", default_value_t = ctrack_core::time::Jiffies::DEFAULT_HZ,
          value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub hz: u32,
    /// Track DCCP as nf_conntrack_proto_dccp.c did until Linux 6.15 (roles,
    /// the state table, nf_conntrack_dccp_* knobs; not kernel-verified)
    /// instead of with the generic tracker, as Linux 6.16 and later do.
    #[arg(long)]
    pub dccp_tracker: bool,
    /// Give new connections matching PROTO/PORT a helper, as
    /// `-p PROTO --dport PORT -j CT --helper NAME` does (repeatable; rules are
    /// tried in order). `standard` attaches every helper on its standard port
    /// (ftp tcp/21, tftp udp/69, ...), as kernel-replay does. Without it no
    /// connection has a helper, as in Linux since 6.0.
    #[arg(long, value_name = "NAME:PROTO/PORT[:ipv4|ipv6]|standard")]
    pub helper: Vec<String>,
    /// Track each frame in a conntrack zone: `vlan` (the outermost 802.1Q
    /// tag's id, 0 untagged) or `interface` (the pcapng interface number), as
    /// `-t raw -i IFACE -j CT --zone N` rules per VLAN or interface would.
    #[arg(long, value_name = "vlan|interface", value_parser = ["vlan", "interface"])]
    pub zone_by: Option<String>,
    /// An IPv4 ruleset in iptables-save format, evaluated around conntrack
    /// with the kernel's hook order (repeatable).
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// An IPv6 ruleset in ip6tables-save format (repeatable).
    #[arg(long, value_name = "FILE")]
    pub rules6: Vec<PathBuf>,
    /// An nftables ruleset in `nft list ruleset` format (repeatable).
    #[arg(long, value_name = "FILE")]
    pub nft: Vec<PathBuf>,
    /// An address or network of the filtering host itself (repeatable):
    /// packets from it take OUTPUT and POSTROUTING, packets to it PREROUTING
    /// and INPUT, others PREROUTING, FORWARD and POSTROUTING (the only path
    /// without --local or --iface: a bridge firewall).
    #[arg(long, value_name = "ADDR[/PREFIX]")]
    pub local: Vec<String>,
    /// An interface of the filtering host with its addresses (repeatable):
    /// each address is local (all of lo's prefix is), packets from its
    /// network come in on it and packets to it leave by it (`-i`, `-o`,
    /// iifname, oifname match those names); `default` puts the default
    /// route on it. A host with addresses routes: a forwarded packet whose
    /// TTL runs out is dropped before FORWARD.
    #[arg(long, value_name = "NAME=ADDR/PREFIX[,...][,default]")]
    pub iface: Vec<String>,
}

impl TrackArgs {
    /// The rulesets asked for, on their hooks; None without any.
    pub fn pipeline(&self) -> Result<Option<Pipeline>> {
        if self.rules.is_empty() && self.rules6.is_empty() && self.nft.is_empty() {
            if !self.local.is_empty() || !self.iface.is_empty() {
                bail!("--local and --iface need a ruleset (--rules, --rules6 or --nft)");
            }
            return Ok(None);
        }
        let read = |p: &PathBuf| {
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
        };
        let mut pl = Pipeline::new();
        for (files, family) in [(&self.rules, Family::Ipv4), (&self.rules6, Family::Ipv6)] {
            for p in files {
                let rs = ctrack_rules::iptables::Ruleset::parse(
                    &read(p)?,
                    &p.display().to_string(),
                    family,
                )?;
                pl.add(Box::new(rs));
            }
        }
        for p in &self.nft {
            let rs = ctrack_rules::nft::Ruleset::parse(&read(p)?, &p.display().to_string())?;
            pl.add(Box::new(rs));
        }
        for l in &self.local {
            pl.add_local(
                LocalNet::parse(l)
                    .map_err(anyhow::Error::msg)
                    .context("--local")?,
            );
        }
        for i in &self.iface {
            pl.add_iface(
                Iface::parse(i)
                    .map_err(anyhow::Error::msg)
                    .context("--iface")?,
            );
        }
        Ok(Some(pl))
    }

    /// The helper rules `--helper` asks for.
    pub fn helper_rules(&self) -> Result<Vec<HelperRule>> {
        let mut v = Vec::new();
        for h in &self.helper {
            if h == "standard" {
                v.extend(HelperRule::standard());
            } else {
                v.push(HelperRule::parse(h).with_context(|| format!("--helper {h}"))?);
            }
        }
        Ok(v)
    }

    /// A replayer over `capture` configured by these options.
    pub fn replayer(&self, capture: &Path) -> Result<Replayer> {
        let sysctl = self.knobs.sysctls()?;
        let options = ctrack_core::Options {
            validate: validate::Options {
                verify_ip_checksum: !self.ignore_ip_checksum,
            },
            strict_length: self.strict_length,
            jiffies: ctrack_core::time::Jiffies::new(self.hz),
            events: false,
            dccp_tracker: self.dccp_tracker,
        };
        let max_gap = match self.max_gap {
            Some(s) if !(s.is_finite() && s >= 0.0) => {
                bail!("--max-gap must be a non-negative number of seconds")
            }
            Some(s) => Some(Duration::from_secs_f64(s)),
            None => None,
        };
        let reader = open_capture(capture)?;
        let mut ct = Conntrack::new(sysctl, options);
        ct.set_helper_rules(self.helper_rules()?);
        let mut rp = Replayer::new(reader, ct, max_gap);
        rp.set_zone_by(match self.zone_by.as_deref() {
            Some("vlan") => ZoneBy::Vlan,
            Some("interface") => ZoneBy::Interface,
            _ => ZoneBy::None,
        });
        Ok(rp)
    }
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The capture file.
    pub capture: PathBuf,
    /// The frame to explain (numbered from 1).
    #[arg(value_parser = clap::value_parser!(u64).range(1..))]
    pub frame: u64,
    #[command(flatten)]
    pub track: TrackArgs,
}

/// Knob settings shared by every subcommand that tracks.
#[derive(Args, Debug, Clone)]
pub struct KnobArgs {
    /// Read knobs from a sysctl.conf-style file (`net.netfilter.nf_conntrack_x = v`).
    #[arg(long, value_name = "FILE")]
    pub sysctl: Vec<PathBuf>,
    /// Set one knob, NAME=VALUE (with or without `net.netfilter.`); repeatable, applied after --sysctl.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
}

impl KnobArgs {
    pub fn sysctls(&self) -> Result<Sysctls> {
        let mut s = Sysctls::default();
        for path in &self.sysctl {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            s.apply_conf(&text)
                .with_context(|| format!("{}", path.display()))?;
        }
        for a in &self.set {
            s.set_assignment(a).with_context(|| format!("--set {a}"))?;
        }
        Ok(s)
    }
}

#[derive(Args, Debug)]
pub struct SysctlArgs {
    #[command(flatten)]
    pub knobs: KnobArgs,
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// The capture file.
    pub capture: PathBuf,
    /// Output format for the per-frame lines.
    #[arg(long, value_enum, default_value = "text")]
    pub format: output::Format,
    #[command(flatten)]
    pub track: TrackArgs,
    /// Write the table after the last frame, in /proc/net/nf_conntrack format (`-` = stdout).
    #[arg(long, value_name = "FILE")]
    pub dump_table: Option<PathBuf>,
    /// Write the pending expectations after the last frame, in
    /// /proc/net/nf_conntrack_expect format (`-` = stdout).
    #[arg(long, value_name = "FILE")]
    pub dump_expect: Option<PathBuf>,
    /// After the last frame, print the counters as `conntrack -S` and
    /// /proc/net/stat/nf_conntrack show them, and a census of the table by
    /// protocol and state.
    #[arg(long)]
    pub stats: bool,
    /// The format of --dump-table and --dump-table-at: `proc`
    /// (/proc/net/nf_conntrack), `conntrack` (`conntrack -L`),
    /// `conntrack-extended` (`-o extended`), `conntrack-id` (`-o id`),
    /// `conntrack-extended-id`.
    #[arg(long, value_name = "FORMAT", default_value = "proc", value_parser = ["proc", "conntrack", "conntrack-extended", "conntrack-id", "conntrack-extended-id"])]
    pub table_format: String,
    /// Also dump the table (to --dump-table's destination, or stdout) at
    /// this time, in seconds since the first frame (repeatable): the
    /// entries alive at that moment.
    #[arg(long, value_name = "SECONDS")]
    pub dump_table_at: Vec<f64>,
    /// With rulesets: write every rule's packet and byte counters after the
    /// last frame, as `iptables -L -v -x -n --line-numbers` and `nft list
    /// ruleset` show them (`-` = stdout). Rules that never matched are named
    /// on stderr either way.
    #[arg(long, value_name = "FILE")]
    pub counters: Option<PathBuf>,
    /// Write table events as `conntrack -E -o timestamp,extended,id` prints
    /// them (`[NEW]`, `[UPDATE]`, `[DESTROY]` with the capture time; `-` =
    /// stdout).
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// Compare with a kernel recording (kernel-replay's packets.jsonl): print the
    /// differing frames and a summary instead of every frame; exit 1 on any difference.
    /// Without --helper, the helpers the recording's meta.json lists are attached.
    #[arg(long, value_name = "PACKETS_JSONL")]
    pub expect: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Replay(a) => replay(a),
        Command::Explain(a) => explain(a),
        Command::Bench(a) => {
            crate::bench::run(a)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::CheckRules(a) => crate::check_rules::run(a),
        Command::Sysctls(a) => {
            let s = a.knobs.sysctls()?;
            let mut out = io::stdout().lock();
            for k in ctrack_core::sysctl::KNOBS {
                writeln!(out, "{} = {}", k.full_name(), k.get(&s))?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn open_capture(path: &Path) -> Result<CaptureReader> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let reader = io::BufReader::with_capacity(1 << 16, file);
    CaptureReader::new(reader).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn progress(path: &Path, quiet: bool) -> Option<ProgressBar> {
    if quiet || !io::stderr().is_terminal() {
        return None;
    }
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} [{bar:40}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.enable_steady_tick(Duration::from_millis(200));
    Some(pb)
}

/// Write lines; false when the reader went away (broken pipe).
fn write_held(format: output::Format, out: &mut dyn Write, lines: Vec<Held>) -> Result<bool> {
    for h in lines {
        let rec = FrameRecord {
            number: h.number,
            ts_nanos: h.ts_nanos,
            rel_nanos: h.rel_nanos,
            clock_nanos: h.clock_nanos,
            verdict: &h.verdict,
            summary: &h.summary,
            note: h.note.as_deref(),
            rules: h.rules.as_ref(),
        };
        if let Err(e) = output::write_record(format, out, &rec) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return Ok(false);
            }
            return Err(e.into());
        }
    }
    Ok(true)
}

/// The table in the format --table-format names.
fn table_text(format: &str, ct: &Conntrack, at: Timestamp) -> String {
    match format {
        "conntrack" => ct.conntrack_list(at, false, false),
        "conntrack-extended" => ct.conntrack_list(at, true, false),
        "conntrack-id" => ct.conntrack_list(at, false, true),
        "conntrack-extended-id" => ct.conntrack_list(at, true, true),
        _ => ct.proc_table(at),
    }
}

/// A --dump-table-at dump: appended to --dump-table's file, else stdout.
fn write_dump(a: &ReplayArgs, out: &mut dyn Write, text: &str) -> Result<()> {
    match &a.dump_table {
        Some(p) if p.as_os_str() != "-" => {
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .with_context(|| format!("writing {}", p.display()))?;
            f.write_all(text.as_bytes())?;
        }
        _ => out.write_all(text.as_bytes())?,
    }
    Ok(())
}

fn replay(a: ReplayArgs) -> Result<ExitCode> {
    let recording = match &a.expect {
        Some(p) => Some(Recording::load(p).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let mut replayer = a.track.replayer(&a.capture)?;
    // A kernel-replay recording says which helpers it attached: compare
    // under the same ones, unless --helper says otherwise.
    if let Some(p) = &a.expect
        && a.track.helper.is_empty()
        && let Some(meta) = p
            .parent()
            .map(|d| d.join("meta.json"))
            .and_then(|m| std::fs::read_to_string(m).ok())
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    {
        let rules = expect::recording_helpers(&meta).map_err(anyhow::Error::msg)?;
        if !rules.is_empty() && !a.quiet {
            eprintln!(
                "ctrack: helpers as the recording's meta.json attached them: {}",
                rules
                    .iter()
                    .map(|r| r.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        replayer.conntrack_mut().set_helper_rules(rules);
    }
    let mut events: Option<Box<dyn Write>> = match &a.events {
        None => None,
        Some(p) if p.as_os_str() == "-" => Some(Box::new(io::stdout())),
        Some(p) => Some(Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("creating {}", p.display()))?,
        ))),
    };
    if events.is_some() {
        replayer.conntrack_mut().set_events(true);
    }

    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let pb = progress(&a.capture, a.quiet);
    let mut line = String::new();
    let mut first: Option<(i64, u64)> = None;
    let mut observed: Vec<(Observed, Option<String>)> = Vec::new();
    let mut failure: Option<CaptureError> = None;
    let mut reorder = Reorder::new(MAX_HELD);
    let mut dump_at: Vec<f64> = a.dump_table_at.clone();
    if dump_at.iter().any(|t| !(t.is_finite() && *t >= 0.0)) {
        bail!("--dump-table-at takes a non-negative number of seconds");
    }
    dump_at.sort_by(|x, y| y.total_cmp(x));
    let mut dumps: Vec<String> = Vec::new();
    let mut pipeline = a.track.pipeline()?;
    let mut no_hooks = NoHooks;
    let table_format = a.table_format.clone();
    if !dump_at.is_empty()
        && let Some(p) = a.dump_table.as_ref().filter(|p| p.as_os_str() != "-")
    {
        File::create(p).with_context(|| format!("creating {}", p.display()))?;
    }
    let mut clock_start: Option<Timestamp> = None;
    loop {
        let hooks: &mut dyn Hooks = match pipeline.as_mut() {
            Some(p) => p,
            None => &mut no_hooks,
        };
        let step = match replayer.step_hooked(
            |ct, now| {
                let start = *clock_start.get_or_insert(now);
                while let Some(&t) = dump_at.last() {
                    let at = start + Duration::from_secs_f64(t);
                    if at >= now {
                        break;
                    }
                    dump_at.pop();
                    dumps.push(format!(
                        "# table at {t} s\n{}",
                        table_text(&table_format, ct, at)
                    ));
                }
            },
            hooks,
        ) {
            Ok(Some(s)) => s,
            Ok(None) => break,
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        let (ts0, clock0) = *first.get_or_insert((step.frame.ts_nanos, step.now.as_nanos()));
        for d in dumps.drain(..) {
            write_dump(&a, &mut out, &d)?;
        }
        if let Some(w) = events.as_mut() {
            let ts = step.frame.ts_nanos;
            for e in &step.verdict.events {
                writeln!(
                    w,
                    "[{}.{:06}]\t{}",
                    ts.div_euclid(1_000_000_000),
                    ts.rem_euclid(1_000_000_000) / 1000,
                    e.line
                )?;
            }
        }
        if let Some(pb) = &pb
            && step.frame.number % 1024 == 0
        {
            pb.set_position(step.frame.offset);
        }
        if recording.is_some() {
            observed.push((
                Observed::from_verdict(&step.verdict),
                step.verdict.reason.as_ref().map(|r| r.to_string()),
            ));
            continue;
        }
        summary::summarize(&step.decoded, &mut line);
        reorder.push(Held {
            number: step.frame.number,
            ts_nanos: step.frame.ts_nanos,
            rel_nanos: step.frame.ts_nanos.saturating_sub(ts0),
            clock_nanos: step.now.as_nanos().saturating_sub(clock0),
            verdict: step.verdict,
            // A copy of exactly its size; `line` keeps its room for the next frame.
            summary: line.clone(),
            note: None,
            waiting: false,
            rules: pipeline.as_ref().map(|p| p.decision().clone()),
        });
        reorder.resolve(replayer.conntrack_mut().take_fragment_fates());
        if !write_held(a.format, &mut out, reorder.ready())? {
            return Ok(ExitCode::SUCCESS);
        }
    }
    if !write_held(a.format, &mut out, reorder.finish())? {
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(w) = events.as_mut() {
        w.flush()?;
    }
    if let Some(pb) = &pb {
        pb.finish_and_clear();
    }

    let now = replayer.clock().now();
    let start = clock_start.unwrap_or(now);
    while let Some(t) = dump_at.pop() {
        let at = start + Duration::from_secs_f64(t);
        let text = format!(
            "# table at {t} s\n{}",
            table_text(&a.table_format, replayer.conntrack(), at)
        );
        write_dump(&a, &mut out, &text)?;
    }
    if !a.dump_table_at.is_empty() && a.dump_table.is_some() {
        // With timed dumps, the final one is the last section, headed too.
        let end = (now - start).as_secs_f64();
        let text = format!(
            "# table at the end ({end:.6} s)\n{}",
            table_text(&a.table_format, replayer.conntrack(), now)
        );
        write_dump(&a, &mut out, &text)?;
    }
    let final_table = a.dump_table.as_ref().filter(|_| a.dump_table_at.is_empty());
    for (path, text) in [
        (
            &final_table.cloned(),
            final_table.map(|_| table_text(&a.table_format, replayer.conntrack(), now)),
        ),
        (
            &a.dump_expect,
            a.dump_expect
                .as_ref()
                .map(|_| replayer.conntrack().proc_expect(now)),
        ),
    ] {
        let (Some(path), Some(text)) = (path, text) else {
            continue;
        };
        if path.as_os_str() == "-" {
            out.write_all(text.as_bytes())?;
        } else {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
        }
    }

    if a.stats {
        out.write_all(replayer.conntrack().stats_report(now).as_bytes())?;
    }
    if let Some(p) = &pipeline {
        let mut text = String::new();
        for src in p.sources() {
            text.push_str(&src.counters_report());
            for r in src.unmatched() {
                eprintln!("ctrack: rule never matched: {r}");
            }
        }
        match &a.counters {
            Some(path) if path.as_os_str() != "-" => {
                std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
            }
            Some(_) => out.write_all(text.as_bytes())?,
            None => {}
        }
    }
    let mut code = ExitCode::SUCCESS;
    if let Some(rec) = &recording {
        let diffs = expect::compare(&observed, rec).map_err(anyhow::Error::msg)?;
        for d in &diffs {
            writeln!(out, "{d}")?;
        }
        let n = observed.len();
        writeln!(
            out,
            "expect: {}/{} frames agree with the kernel recording ({} differ)",
            n - diffs.len(),
            n,
            diffs.len()
        )?;
        if !diffs.is_empty() {
            code = ExitCode::from(1);
        }
    }
    out.flush()?;
    drop(out);
    if let Some(e) = failure {
        eprintln!("ctrack: {}: {e}", a.capture.display());
        return Ok(ExitCode::from(2));
    }
    Ok(code)
}

fn explain(a: ExplainArgs) -> Result<ExitCode> {
    let mut replayer = a.track.replayer(&a.capture)?;
    let mut pipeline = a.track.pipeline()?;
    let mut no_hooks = NoHooks;
    let mut first: Option<i64> = None;
    loop {
        let next = replayer.reader().frames_read() + 1;
        if next == a.frame {
            replayer.conntrack_mut().set_explain(true);
        }
        let hooks: &mut dyn Hooks = match pipeline.as_mut() {
            Some(p) => p,
            None => &mut no_hooks,
        };
        let step = match replayer.step_hooked(|_, _| {}, hooks) {
            Ok(Some(s)) => s,
            Ok(None) => bail!(
                "{}: the capture has {} frames, there is no frame {}",
                a.capture.display(),
                next - 1,
                a.frame
            ),
            Err(e) => bail!("{}: {e}", a.capture.display()),
        };
        let ts0 = *first.get_or_insert(step.frame.ts_nanos);
        if step.frame.number != a.frame {
            continue;
        }
        let mut line = String::new();
        summary::summarize(&step.decoded, &mut line);
        let v = step.verdict.clone();
        let rel = step.frame.ts_nanos.saturating_sub(ts0) as f64 / 1e9;
        let mut out = io::stdout().lock();
        writeln!(out, "frame {} at {rel:.6} s: {line}", a.frame)?;
        if v.padded > 0 {
            writeln!(
                out,
                "the capture cut the frame: {} zero bytes added",
                v.padded
            )?;
        }
        for l in replayer.conntrack_mut().take_explanation() {
            writeln!(out, "{l}")?;
        }
        let state = v
            .ctstate
            .map(|s| s.name())
            .unwrap_or("none (the packet never reached conntrack)");
        match v.dir {
            Some(d) => writeln!(out, "verdict: {state} {d}")?,
            None => writeln!(out, "verdict: {state}")?,
        }
        let flags: Vec<&str> = v.status.reported_names().collect();
        if !flags.is_empty() {
            writeln!(out, "status: {}", flags.join(","))?;
        }
        if let Some(r) = &v.reason {
            writeln!(out, "why: {r}")?;
            if let Some(k) = r.kernel_log() {
                writeln!(out, "kernel log: {k}")?;
            }
        }
        if let Some(p) = &pipeline {
            let d = p.decision();
            let hooks: Vec<&str> = d.path.iter().map(|h| h.chain_name()).collect();
            writeln!(out, "hooks: {}", hooks.join(" -> "))?;
            if d.iif.is_some() || d.oif.is_some() {
                writeln!(
                    out,
                    "interfaces: in {}, out {}",
                    d.iif.as_deref().unwrap_or("-"),
                    d.oif.as_deref().unwrap_or("-")
                )?;
            }
            if let Some(a) = &d.answer_to {
                writeln!(out, "answer: {a}")?;
            }
            for l in &d.logged {
                writeln!(out, "logged by {l}")?;
            }
            match &d.by {
                Some(r) => writeln!(out, "rules: {} by {r}", d.verdict)?,
                None => writeln!(
                    out,
                    "rules: {} (no rule matched; policies accept)",
                    d.verdict
                )?,
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
}
