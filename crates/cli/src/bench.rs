//! `ctrack bench`: throughput and memory of the tracker, measured in one
//! process run (criterion benches cover the per-packet paths in detail).
//!
//! - `replay CAPTURE`: the capture decoded into memory first, then replayed
//!   through a fresh tracker (parse excluded), and replayed from the file
//!   (parse included).
//! - `flood`: a synthesized SYN flood from distinct sources into a table of
//!   `nf_conntrack_max` entries: insert rate, what early drop did, peak RSS.
//! - `lookup`: ESTABLISHED packets on random flows of a table of N entries.
//!
//! Peak memory is the process's high-water mark (`VmHWM` in
//! /proc/self/status), minus what it was before the table was built.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use ctrack_capture::replay::Replayer;
use ctrack_core::wire::checksum::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, CtState, Options, Sysctls, Timestamp};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub what: BenchKind,
}

#[derive(Subcommand, Debug)]
pub enum BenchKind {
    /// Replay a capture from memory and from the file.
    Replay {
        capture: PathBuf,
        /// Replays to time (the best is reported).
        #[arg(long, default_value_t = 5)]
        rounds: u32,
    },
    /// A SYN flood of distinct flows into a bounded table.
    Flood {
        /// SYNs to send.
        #[arg(long, default_value_t = 10_000_000)]
        flows: u64,
        /// nf_conntrack_max.
        #[arg(long, default_value_t = 1_048_576)]
        max: u32,
        /// nf_conntrack_buckets (default: the kernel's default for this max,
        /// max / 4 rounded to a power of two... here: as given).
        #[arg(long, default_value_t = 262_144)]
        buckets: u32,
    },
    /// ESTABLISHED packets on random flows of a table of N entries.
    Lookup {
        #[arg(long, default_value_t = 1_000_000)]
        entries: u64,
        /// Packets to time.
        #[arg(long, default_value_t = 5_000_000)]
        packets: u64,
        #[arg(long, default_value_t = 1_048_576)]
        buckets: u32,
    },
}

/// The process's peak resident set (`VmHWM`), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Current resident set (`VmRSS`), in KiB.
fn rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// An IPv4 TCP segment (20-byte header, no options).
fn tcp4(
    src: [u8; 4],
    dst: [u8; 4],
    sport: u16,
    dport: u16,
    flags: u8,
    seq: u32,
    ack: u32,
) -> Vec<u8> {
    let mut p = vec![0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0];
    p.extend_from_slice(&src);
    p.extend_from_slice(&dst);
    let c = checksum(&p);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(&sport.to_be_bytes());
    p.extend_from_slice(&dport.to_be_bytes());
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&ack.to_be_bytes());
    p.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    p
}

/// An IPv4 UDP datagram with 8 bytes of payload.
fn udp4(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16) -> Vec<u8> {
    let mut p = vec![0x45, 0, 0, 36, 0, 0, 0x40, 0, 64, 17, 0, 0];
    p.extend_from_slice(&src);
    p.extend_from_slice(&dst);
    let c = checksum(&p);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(&sport.to_be_bytes());
    p.extend_from_slice(&dport.to_be_bytes());
    p.extend_from_slice(&[0, 16, 0, 0]);
    p.extend_from_slice(&[0; 8]);
    p
}

/// Flow `i`'s client address and port: distinct for 2^32 flows.
fn client(i: u64) -> ([u8; 4], u16) {
    let a = (i >> 14) as u32;
    let b = a.to_be_bytes();
    ([10, b[1], b[2], b[3]], 1024 + (i & 0x3fff) as u16)
}

fn tracker(max: u32, buckets: u32) -> Conntrack {
    let s = Sysctls {
        max,
        buckets,
        checksum: 0,
        ..Sysctls::default()
    };
    Conntrack::new(s, Options::default())
}

/// One line of results on stdout.
fn report(line: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    writeln!(std::io::stdout().lock(), "{line}")
}

/// Run a benchmark. A reader that goes away (`| head -1`) ends it quietly,
/// as it ends `replay`.
pub fn run(a: BenchArgs) -> Result<()> {
    let r = match a.what {
        BenchKind::Replay { capture, rounds } => replay(capture, rounds),
        BenchKind::Flood {
            flows,
            max,
            buckets,
        } => flood(flows, max, buckets),
        BenchKind::Lookup {
            entries,
            packets,
            buckets,
        } => lookup(entries, packets, buckets),
    };
    match r {
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        r => r,
    }
}

fn replay(capture: PathBuf, rounds: u32) -> Result<()> {
    // Decode once.
    let file = std::fs::File::open(&capture).with_context(|| format!("{}", capture.display()))?;
    let reader = ctrack_capture::CaptureReader::new(std::io::BufReader::new(file))?;
    let frames = ctrack_capture::replay::decode_all(reader)?;
    if frames.is_empty() {
        bail!("{}: no IP frames", capture.display());
    }
    let n = frames.len() as f64;
    let mut best = Duration::MAX;
    for _ in 0..rounds.max(1) {
        let mut ct = tracker(262_144, 262_144);
        let t = Instant::now();
        for f in &frames {
            black_box(ct.process(f.now, f.network, &f.data, f.wire));
        }
        best = best.min(t.elapsed());
    }
    report(&format!(
        "replay from memory: {} frames, best of {rounds}: {:.1} ns/packet, {:.2} Mpackets/s",
        frames.len(),
        best.as_nanos() as f64 / n,
        n / best.as_secs_f64() / 1e6
    ))?;
    let mut best = Duration::MAX;
    for _ in 0..rounds.max(1) {
        let file = std::fs::File::open(&capture)?;
        let reader = ctrack_capture::CaptureReader::new(std::io::BufReader::new(file))?;
        let mut rp = Replayer::new(reader, tracker(262_144, 262_144), None);
        let t = Instant::now();
        while let Some(s) = rp.step()? {
            black_box(&s.verdict);
        }
        best = best.min(t.elapsed());
    }
    report(&format!(
        "replay from the file (parse included): {:.1} ns/packet, {:.2} Mpackets/s",
        best.as_nanos() as f64 / n,
        n / best.as_secs_f64() / 1e6
    ))?;
    Ok(())
}

fn flood(flows: u64, max: u32, buckets: u32) -> Result<()> {
    let base = rss_kib().unwrap_or(0);
    let mut ct = tracker(max, buckets);
    let server = [192, 0, 2, 80];
    let t0 = Timestamp::from_secs(1);
    let mut new = 0u64;
    let mut refused = 0u64;
    let start = Instant::now();
    let mut pkt = tcp4([0; 4], server, 0, 80, 0x02, 1, 0);
    for i in 0..flows {
        let (src, sport) = client(i);
        pkt[12..16].copy_from_slice(&src);
        pkt[10..12].copy_from_slice(&[0, 0]);
        let c = checksum(&pkt[..20]);
        pkt[10..12].copy_from_slice(&c.to_be_bytes());
        pkt[20..22].copy_from_slice(&sport.to_be_bytes());
        // 1 µs apart: nothing expires (SYN_SENT lives 120 s).
        let now = t0 + Duration::from_micros(i);
        let v = ct.process(now, Network::Ipv4, &pkt, pkt.len());
        match v.ctstate {
            Some(CtState::New) => new += 1,
            _ => refused += 1,
        }
    }
    let el = start.elapsed();
    let stats = *ct.stats();
    let peak = peak_rss_kib().unwrap_or(0);
    let count = ct.table().count();
    report(&format!(
        "SYN flood: {flows} SYNs of distinct flows, nf_conntrack_max {max}, {} buckets",
        ct.table().buckets()
    ))?;
    report(&format!(
        "  {:.1} ns/packet ({:.2} Mpackets/s); NEW {new}, refused {refused}; early_drop evicted {}; table at the end {count} entries",
        el.as_nanos() as f64 / flows as f64,
        flows as f64 / el.as_secs_f64() / 1e6,
        stats.early_drop
    ))?;
    report(&format!(
        "  peak RSS {} MiB ({} MiB over the process before the table); {:.0} bytes per entry; size_of::<Conn>() = {}",
        peak / 1024,
        peak.saturating_sub(base) / 1024,
        (peak.saturating_sub(base) * 1024) as f64 / count.max(1) as f64,
        std::mem::size_of::<ctrack_core::Conn>()
    ))?;
    if count > max as usize {
        bail!("the table holds {count} entries, more than nf_conntrack_max {max}");
    }
    Ok(())
}

fn lookup(entries: u64, packets: u64, buckets: u32) -> Result<()> {
    let base = rss_kib().unwrap_or(0);
    let mut ct = tracker(0, buckets);
    let server = [192, 0, 2, 53];
    let t0 = Timestamp::from_secs(1);
    let build = Instant::now();
    for i in 0..entries {
        let (src, sport) = client(i);
        let q = udp4(src, server, sport, 53);
        ct.process(t0, Network::Ipv4, &q, q.len());
        let r = udp4(server, src, 53, sport);
        ct.process(t0, Network::Ipv4, &r, r.len());
    }
    let built = build.elapsed();
    let after_build = peak_rss_kib().unwrap_or(0);
    // Random existing flows (a fixed LCG: deterministic).
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut pkt = udp4([0; 4], server, 0, 53);
    let now = t0 + Duration::from_secs(1);
    let start = Instant::now();
    let mut est = 0u64;
    for _ in 0..packets {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let i = (x >> 11) % entries;
        let (src, sport) = client(i);
        pkt[12..16].copy_from_slice(&src);
        pkt[10..12].copy_from_slice(&[0, 0]);
        let c = checksum(&pkt[..20]);
        pkt[10..12].copy_from_slice(&c.to_be_bytes());
        pkt[20..22].copy_from_slice(&sport.to_be_bytes());
        let v = ct.process(now, Network::Ipv4, &pkt, pkt.len());
        est += u64::from(v.ctstate == Some(CtState::Established));
    }
    let el = start.elapsed();
    if est != packets {
        bail!("{} of {packets} lookups missed their flow", packets - est);
    }
    report(&format!(
        "lookup: {entries} entries in {} buckets (built in {:.2} s, {:.0} ns per flow of 2 packets)",
        ct.table().buckets(),
        built.as_secs_f64(),
        built.as_nanos() as f64 / entries as f64
    ))?;
    report(&format!(
        "  {:.1} ns/packet on random ESTABLISHED flows ({:.2} Mpackets/s); peak RSS {} MiB, {:.0} bytes per entry",
        el.as_nanos() as f64 / packets as f64,
        packets as f64 / el.as_secs_f64() / 1e6,
        after_build / 1024,
        (after_build.saturating_sub(base) * 1024) as f64 / entries as f64
    ))?;
    Ok(())
}
