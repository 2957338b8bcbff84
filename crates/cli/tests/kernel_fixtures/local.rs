//! Recordings of the local-host harness (`tests/scenarios/localhost/`,
//! `meta.json` tool `ctlocal`): a firewall host with its own addresses and
//! interfaces, captured on each interface, with the hooks each packet
//! reached.

use ctrack::expect::KernelFrame;
use ctrack_capture::CaptureReader;
use ctrack_core::wire::link::LinkType;
use ctrack_rules::Decision;
use ctrack_rules::model::Hook;
use ctrack_rules::pipeline::Iface;
use std::collections::BTreeMap;
use std::path::Path;

pub fn is_local(meta: &serde_json::Value) -> bool {
    meta.get("tool").and_then(|t| t.as_str()) == Some("ctlocal")
}

/// The firewall host's interfaces, from `topology.firewall_local_addresses`
/// (`192.0.2.1/24 dev fw0`).
pub fn interfaces(meta: &serde_json::Value) -> Result<Vec<Iface>, String> {
    let mut by_dev: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let list = meta
        .pointer("/topology/firewall_local_addresses")
        .and_then(|v| v.as_array())
        .ok_or("meta.json: no topology.firewall_local_addresses")?;
    for a in list {
        let a = a.as_str().unwrap_or("");
        let mut w = a.split_whitespace();
        match (w.next(), w.next(), w.next()) {
            (Some(net), Some("dev"), Some(dev)) => by_dev
                .entry(dev.to_string())
                .or_default()
                .push(net.to_string()),
            _ => {
                return Err(format!(
                    "meta.json: local address `{a}` is not `ADDR/PREFIX dev NAME`"
                ));
            }
        }
    }
    by_dev
        .into_iter()
        .map(|(dev, nets)| Iface::parse(&format!("{dev}={}", nets.join(","))))
        .collect()
}

/// The capture of interface `iface`: `replayed-IFACE.pcap`, or
/// `replayed.pcap` for the first interface.
fn capture_of(dir: &Path, iface: &str) -> std::path::PathBuf {
    let own = dir.join(format!("replayed-{iface}.pcap"));
    if own.is_file() {
        own
    } else {
        dir.join("replayed.pcap")
    }
}

/// Every frame of a capture: (timestamp, bytes, length on the wire).
fn frames(path: &Path) -> Result<Vec<(i64, Vec<u8>, usize)>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut r = CaptureReader::new(std::io::BufReader::new(file)).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    while let Some(f) = r.next_frame().map_err(|e| e.to_string())? {
        if f.link != LinkType::Ethernet {
            return Err(format!(
                "{}: frame {} is not Ethernet",
                path.display(),
                f.number
            ));
        }
        out.push((f.ts_nanos, f.data.to_vec(), f.wire_len));
    }
    Ok(out)
}

/// A recording captured on several interfaces, as one capture of the
/// packets in the recording's (the kernel's) order, each packet once: the
/// copy a router forwards is the same packet, not a new one. None when the
/// recording is a single capture without forwarded copies.
pub fn merged_capture(dir: &Path, kernel: &[KernelFrame]) -> Result<Option<Vec<u8>>, String> {
    if kernel.iter().all(|f| f.forwarded_from.is_none()) {
        return Ok(None);
    }
    let mut captures: BTreeMap<String, Vec<(i64, Vec<u8>, usize)>> = BTreeMap::new();
    // Classic pcap, nanosecond timestamps, Ethernet.
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_3c4du32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&262_144u32.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    for f in kernel.iter().filter(|f| f.forwarded_from.is_none()) {
        let (Some(iface), Some(n)) = (f.iface.as_deref(), f.if_frame) else {
            return Err(format!("packets.jsonl frame {}: no `if`/`if_frame`", f.i));
        };
        if !captures.contains_key(iface) {
            captures.insert(iface.to_string(), frames(&capture_of(dir, iface))?);
        }
        let (ts, data, wire) = captures[iface]
            .get(n.saturating_sub(1) as usize)
            .ok_or_else(|| format!("packets.jsonl frame {}: no frame {n} on {iface}", f.i))?;
        out.extend_from_slice(&(ts.div_euclid(1_000_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&(ts.rem_euclid(1_000_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(*wire as u32).to_le_bytes());
        out.extend_from_slice(data);
    }
    Ok(Some(out))
}

/// The hooks as the harness logs them: PREROUTING and OUTPUT when the
/// packet reaches them (priority -450), INPUT, FORWARD and POSTROUTING when
/// it passed their filter chains (priority 400); so a packet dropped in
/// INPUT shows `PREROUTING` alone.
pub fn logged_hooks(d: &Decision) -> String {
    let dropped = !matches!(d.verdict, ctrack_rules::pipeline::Verdict::Accept);
    let n = d.path.len();
    d.path
        .iter()
        .enumerate()
        .filter(|(k, h)| !(dropped && *k + 1 == n && !matches!(h, Hook::Prerouting | Hook::Output)))
        .map(|(_, h)| h.chain_name())
        .collect::<Vec<_>>()
        .join(">")
}

/// The kernel's table without the entries of traffic that never left the
/// host (both original addresses its own: loopback), which no interface
/// captured; `local-only.jsonl` lists those packets.
pub fn captured_table(table: &str, ifaces: &[Iface]) -> String {
    let mut host = ctrack_rules::pipeline::Host::default();
    for i in ifaces {
        host.add_iface(i.clone());
    }
    let addr = |line: &str, key: &str| -> Option<(ctrack_core::Family, ctrack_core::tuple::Addr)> {
        let v = line.split_whitespace().find_map(|w| w.strip_prefix(key))?;
        match v.parse::<std::net::IpAddr>().ok()? {
            std::net::IpAddr::V4(a) => Some((
                ctrack_core::Family::Ipv4,
                ctrack_core::tuple::Addr::v4(a.octets()),
            )),
            std::net::IpAddr::V6(a) => Some((
                ctrack_core::Family::Ipv6,
                ctrack_core::tuple::Addr::v6(a.octets()),
            )),
        }
    };
    table
        .lines()
        .filter(|l| {
            let (Some((f, s)), Some((_, d))) = (addr(l, "src="), addr(l, "dst=")) else {
                return true;
            };
            !(host.is_local(f, &s) && host.is_local(f, &d))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}
