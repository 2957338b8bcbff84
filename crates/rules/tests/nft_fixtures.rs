//! nft rulesets against the real tools (see `tests/data/nft/README.md`):
//! the listing of every file in `data/nft/oracle/` must be what nftables
//! 1.0.6 lists after `nft -f` of it, and replaying the kernel recordings
//! `nft-stateful-http` and `nft-stateful-mixed` through the tracker with
//! their rulesets must leave the counters the 6.18 kernel had
//! (`counters.nft`, `nft list ruleset` after the replay).

use ctrack_core::helper::HelperRule;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, Sysctls, Timestamp};
use ctrack_rules::Pipeline;
use ctrack_rules::nft::Ruleset;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/nft")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn parse(text: &str, name: &str) -> Ruleset {
    Ruleset::parse(text, name).unwrap_or_else(|e| panic!("{e}"))
}

fn oracle_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data().join("oracle"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "nft"))
        .collect();
    v.sort();
    assert!(v.len() >= 15, "{v:?}");
    v
}

/// Our listing of each file is nft's, byte for byte.
#[test]
fn listings_are_what_nft_lists() {
    for p in oracle_files() {
        let want = read(&p.with_extension("expected"));
        let got = parse(&read(&p), &p.display().to_string()).listing();
        assert_eq!(got, want, "{}", p.display());
    }
}

/// nft's listing, read again, lists as nft lists it when it reads it
/// again (`.relisted`; not always the same text: `{ 10.0.0.0/8 }` becomes
/// `10.0.0.0/8`, `established | related` a flag list). Our own listing
/// reads back to itself.
#[test]
fn listings_round_trip() {
    let mut relisted = 0;
    for p in oracle_files() {
        let listed = read(&p.with_extension("expected"));
        let again = parse(&listed, "listing").listing();
        let want = p.with_extension("relisted");
        if want.exists() {
            assert_eq!(again, read(&want), "{}", p.display());
            relisted += 1;
        }
        let ours = parse(&again, "listing").listing();
        assert_eq!(ours, again, "{}", p.display());
    }
    assert!(relisted >= 15);
}

/// `nft list ruleset` output split by table: (header line, whole block).
fn tables(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with("table ") {
            out.push((line.trim_end().to_string(), String::new()));
        }
        if let Some(last) = out.last_mut() {
            last.1.push_str(line);
        }
    }
    out
}

/// The tables of a recording's ruleset this engine runs: all but the
/// iptables-nft raw tables (`xt target CT`, which ctrack replaces by
/// helper rules) and the bridge table.
fn supported(text: &str) -> String {
    tables(text)
        .into_iter()
        .filter(|(h, _)| {
            h != "table ip raw {" && h != "table ip6 raw {" && !h.starts_with("table bridge")
        })
        .map(|(_, b)| b)
        .collect()
}

/// `counter packets N bytes M` → `counter`: the ruleset before the replay.
fn zero_counters(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("counter packets ") {
        out.push_str(&rest[..i + "counter".len()]);
        let tail = &rest[i + "counter packets ".len()..];
        let j = tail.find(" bytes ").expect("bytes");
        let tail = &tail[j + " bytes ".len()..];
        let k = tail
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(tail.len());
        rest = &tail[k..];
    }
    out.push_str(rest);
    out
}

/// Every `counter packets N bytes M` of a listing, in order.
fn counters(text: &str) -> Vec<(u64, u64)> {
    let mut v = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("counter packets ") {
        let tail = &rest[i + "counter packets ".len()..];
        let mut it = tail.split_whitespace();
        let p = it.next().unwrap().parse().unwrap();
        assert_eq!(it.next(), Some("bytes"));
        let b = it.next().unwrap().parse().unwrap();
        v.push((p, b));
        rest = tail;
    }
    v
}

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    assert!(v.len() >= 4, "{v:?}");
    v
}

/// The kernel's `counters.nft` names what is not supported at its place;
/// without those tables it parses, and lists back as the kernel did except
/// for the rules iptables-nft wrote (nft lists `mark and 0xfffffff0` for
/// them, `meta mark & 0xfffffff0` for the same rule loaded by nft -f).
#[test]
fn kernel_counters_files() {
    for dir in fixtures() {
        let kernel = read(&dir.join("counters.nft"));
        let e = Ruleset::parse(&kernel, "counters.nft").unwrap_err();
        let (line, text) = kernel
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("xt target"))
            .unwrap();
        let col = text.chars().take_while(|c| *c != 'x').count() + 1;
        assert_eq!((e.line, e.column), (line + 1, col), "{e}");
        assert_eq!(e.message, "`xt` is not supported by this engine");
        let subset = supported(&kernel);
        let ours = parse(&subset, "subset").listing();
        assert_eq!(counters(&ours), counters(&subset), "{}", dir.display());
        for ((h1, ours), (h2, theirs)) in tables(&ours).into_iter().zip(tables(&subset)) {
            assert_eq!(h1, h2);
            if h1.starts_with("table inet") {
                assert_eq!(ours, theirs, "{}: {h1}", dir.display());
            } else {
                let theirs = theirs
                    .replace("set mark and", "set meta mark &")
                    .replace("set mark or 0x1", "set meta mark | 0x00000001")
                    .replace("set mark or 0x2", "set meta mark | 0x00000002")
                    .replace("set mark or 0x4", "set meta mark | 0x00000004")
                    .replace("set mark or 0x8", "set meta mark | 0x00000008");
                assert_eq!(ours, theirs, "{}: {h1}", dir.display());
            }
        }
        // The recorded user ruleset is the same file kernel-replay loaded.
        let rules = parse(&read(&dir.join("rules.nft")), "rules.nft").listing();
        let inet_fw = tables(&kernel)
            .into_iter()
            .find(|(h, _)| h == "table inet fw {")
            .unwrap()
            .1;
        assert_eq!(
            rules,
            zero_counters(&inet_fw).replace("counter", "counter packets 0 bytes 0")
        );
    }
}

/// Frames of a classic pcap file with Ethernet link type: (time, frame).
fn pcap_frames(bytes: &[u8]) -> Vec<(Timestamp, Vec<u8>)> {
    let magic = u32::from_le_bytes(bytes[0..4].try_into().unwrap());
    let nanos = match magic {
        0xa1b2_c3d4 => false,
        0xa1b2_3c4d => true,
        m => panic!("not a little-endian pcap: {m:#x}"),
    };
    assert_eq!(u32::from_le_bytes(bytes[20..24].try_into().unwrap()), 1);
    let mut out = Vec::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let f = |o: usize| u32::from_le_bytes(bytes[at + o..at + o + 4].try_into().unwrap());
        let (sec, frac, caplen) = (f(0), f(4), f(8) as usize);
        let ns = u64::from(sec) * 1_000_000_000
            + if nanos {
                u64::from(frac)
            } else {
                u64::from(frac) * 1000
            };
        out.push((
            Timestamp::from_nanos(ns),
            bytes[at + 16..at + 16 + caplen].to_vec(),
        ));
        at += 16 + caplen;
    }
    out
}

/// Replay a recording through the tracker with its ruleset, as
/// kernel-replay does (bridged: PREROUTING, FORWARD, POSTROUTING; the
/// standard helpers), and compare the counters with the kernel's.
#[test]
fn replay_leaves_the_kernels_counters() {
    for dir in fixtures() {
        let kernel = read(&dir.join("counters.nft"));
        let subset = supported(&kernel);
        let before = zero_counters(&subset);
        let mut sysctl = Sysctls::default();
        sysctl.apply_conf(&read(&dir.join("sysctl.conf"))).unwrap();
        let mut ct = Conntrack::new(sysctl, ctrack_core::Options::default());
        ct.set_helper_rules(HelperRule::standard());
        let mut pipe = Pipeline::new();
        pipe.add(Box::new(parse(&before, "before")));
        // The capture is the kernel fixture's own (kept once, in the
        // repository's tests/fixtures/kernel/rules/).
        let name = dir.file_name().unwrap();
        let pcap = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/fixtures/kernel/rules")
                .join(name)
                .join("replayed.pcap"),
        )
        .unwrap();
        let frames = pcap_frames(&pcap);
        assert!(!frames.is_empty());
        for (ts, frame) in frames {
            let mut off = 14;
            let mut ethertype = u16::from_be_bytes([frame[12], frame[13]]);
            while ethertype == 0x8100 || ethertype == 0x88a8 {
                ethertype = u16::from_be_bytes([frame[off + 2], frame[off + 3]]);
                off += 4;
            }
            let network = match ethertype {
                0x0800 => Network::Ipv4,
                0x86dd => Network::Ipv6,
                other => Network::Other(other),
            };
            let data = &frame[off..];
            ct.process_hooked(ts, network, data, data.len(), &mut pipe);
        }
        let ours = pipe.sources()[0].counters_report();
        assert_eq!(
            counters(&ours),
            counters(&subset),
            "{}:\n{ours}",
            dir.display()
        );
        let fw = |t: &str| {
            tables(t)
                .into_iter()
                .find(|(h, _)| h == "table inet fw {")
                .unwrap()
                .1
        };
        assert_eq!(fw(&ours), fw(&kernel), "{}", dir.display());
    }
}

/// The listing listed twice more: (second, third listing), when the
/// listings read back. As nft's, a listing need not read back (`ip6 daddr
/// ::2 meta nfproto ipv4 reject` lists as `ip6 daddr ::2 reject with icmp
/// port-unreachable`, which nft refuses) nor list the same (a set whose
/// elements merged into one, `{ 10.0.0.0/7 }`, reads back as a plain
/// prefix), but from the second listing on nothing changes.
fn relisted(r: &Ruleset) -> Option<(String, String)> {
    let l1 = r.listing();
    let l2 = Ruleset::parse(&l1, "listing").ok()?.listing();
    let l3 = Ruleset::parse(&l2, "listing2").ok()?.listing();
    Some((l2, l3))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any text: an error or a ruleset, never a panic.
    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let _ = Ruleset::parse(&s, "fuzz.nft");
    }

    /// Words of the language in any order, with separators and braces.
    #[test]
    fn token_soup_never_panics(words in proptest::collection::vec(prop::sample::select(vec![
        "table", "inet", "ip", "ip6", "t", "chain", "c", "{", "}", ";", "\n", "type", "filter",
        "hook", "forward", "prerouting", "priority", "raw", "-", "+", "10", "policy", "drop",
        "accept", "ct", "state", "established,related", "new", "mark", "set", "meta", "l4proto",
        "tcp", "udp", "dport", "sport", "flags", "syn", "&", "(", ")", "|", "==", "!=", "!", "/",
        ",", "@", "s", "counter", "packets", "bytes", "1", "0x10", "10.0.0.0", "::1", "\"eth*\"",
        "iifname", "jump", "goto", "return", "reject", "with", "icmpx", "icmp", "port-unreachable",
        "set", "elements", "=", "interval", "ipv4_addr", "helper", "\"ftp\"", "protocol",
        "notrack", "zone", "log", "prefix", "level", "th", "icmpv6", "echo-request", "saddr",
        "daddr", "nexthdr", "ttl", "direction", "original", "status", "assured",
        "vmap", "map", ":", "verdict", "continue", "inet_service", "m", "@m", "22-80",
        "related", "invalid",
    ]), 0..60)) {
        let text = words.join(" ");
        if let Ok(r) = Ruleset::parse(&text, "soup.nft") {
            let _ = ctrack_rules::lint::lint_nft(&[&r], true);
            if let Some((l2, l3)) = relisted(&r) {
                prop_assert_eq!(l3, l2);
            }
        }
    }

    /// Real rulesets with a few characters deleted, replaced or inserted.
    #[test]
    fn mutated_rulesets_never_panic(
        which in 0usize..5,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(vec![
            ' ', '\n', ';', '{', '}', '-', '/', ',', '!', '&', '|', '0', '9', 'x', '.', ':', '"', '*', '@',
        ])), 1..6),
    ) {
        let base = [
            include_str!("data/nft/oracle/stmts.nft"),
            include_str!("data/nft/oracle/misc.nft"),
            include_str!("data/nft/oracle/flags.nft"),
            include_str!("data/nft/oracle/named.nft"),
            include_str!("../../../tests/scenarios/rules_nft_vmap.nft"),
        ][which];
        let mut chars: Vec<char> = base.chars().collect();
        for (at, kind, c) in edits {
            let i = at.index(chars.len().max(1));
            match kind {
                0 if !chars.is_empty() => {
                    chars.remove(i.min(chars.len() - 1));
                }
                1 if !chars.is_empty() => {
                    let j = i.min(chars.len() - 1);
                    chars[j] = c;
                }
                _ => chars.insert(i.min(chars.len()), c),
            }
        }
        let text: String = chars.into_iter().collect();
        if let Ok(r) = Ruleset::parse(&text, "mutated.nft") {
            let _ = ctrack_rules::lint::lint_nft(&[&r], true);
            if let Some((l2, l3)) = relisted(&r) {
                prop_assert_eq!(l3, l2);
            }
        }
    }
}

/// Two listings of nft 1.0.6 (taken on this machine) that do not read back
/// as they were written: an explicit `meta nfproto` contradicting the
/// payload is left out (and the listing is then refused), and anonymous
/// set elements merged into one interval list as a one-element set (which
/// reads back as a plain value).
#[test]
fn listings_that_do_not_round_trip_as_nft() {
    let r = parse(
        "table inet t {\n\tchain c {\n\t\tip6 daddr ::2 meta nfproto ipv4 reject\n\t}\n}\n",
        "a.nft",
    );
    let l = r.listing();
    assert_eq!(
        l,
        "table inet t {\n\tchain c {\n\t\tip6 daddr ::2 reject with icmp port-unreachable\n\t}\n}\n"
    );
    assert!(Ruleset::parse(&l, "listing").is_err());
    let r = parse(
        "table inet t {\n\tchain c {\n\t\tip saddr { 10.0.0.0/8, 11.0.0.0/8 } accept\n\t\ttcp dport { 1-5, 6-9 } accept\n\t}\n}\n",
        "b.nft",
    );
    let l = r.listing();
    assert_eq!(
        l,
        "table inet t {\n\tchain c {\n\t\tip saddr { 10.0.0.0/7 } accept\n\t\ttcp dport { 1-9 } accept\n\t}\n}\n"
    );
    assert_eq!(
        parse(&l, "listing").listing(),
        "table inet t {\n\tchain c {\n\t\tip saddr 10.0.0.0/7 accept\n\t\ttcp dport 1-9 accept\n\t}\n}\n"
    );
}
