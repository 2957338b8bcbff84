//! Running iptables rulesets: packets × rules → decisions and counters.

use ctrack_core::CtState;
use ctrack_core::ctinfo::Direction;
use ctrack_core::hooks::CtSnapshot;
use ctrack_core::status::Status;
use ctrack_core::tuple::{Addr, Family, Tuple};
use ctrack_rules::iptables::{Counters, Ruleset};
use ctrack_rules::{BaseChainId, ChainResult, Hook, Meta, PacketInfo, RejectWith, RuleSource};

// ---------------------------------------------------------------- packets

fn csum_fill_v4(h: &mut [u8]) {
    h[10] = 0;
    h[11] = 0;
    let mut s: u32 = 0;
    for c in h.chunks(2) {
        s += u32::from(u16::from_be_bytes([c[0], c[1]]));
    }
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    let c = !(s as u16);
    h[10..12].copy_from_slice(&c.to_be_bytes());
}

/// An IPv4 packet; `frag` is the raw flags/fragment-offset field.
fn v4(src: [u8; 4], dst: [u8; 4], proto: u8, frag: u16, ttl: u8, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![0u8; 20];
    p[0] = 0x45;
    let len = (20 + payload.len()) as u16;
    p[2..4].copy_from_slice(&len.to_be_bytes());
    p[6..8].copy_from_slice(&frag.to_be_bytes());
    p[8] = ttl;
    p[9] = proto;
    p[12..16].copy_from_slice(&src);
    p[16..20].copy_from_slice(&dst);
    csum_fill_v4(&mut p);
    p.extend_from_slice(payload);
    p
}

fn tcp(sport: u16, dport: u16, flags: u8) -> Vec<u8> {
    let mut t = vec![0u8; 20];
    t[0..2].copy_from_slice(&sport.to_be_bytes());
    t[2..4].copy_from_slice(&dport.to_be_bytes());
    t[12] = 5 << 4;
    t[13] = flags;
    t
}

fn udp(sport: u16, dport: u16) -> Vec<u8> {
    let mut u = vec![0u8; 8];
    u[0..2].copy_from_slice(&sport.to_be_bytes());
    u[2..4].copy_from_slice(&dport.to_be_bytes());
    u[4..6].copy_from_slice(&8u16.to_be_bytes());
    u
}

fn icmp(typ: u8, code: u8) -> Vec<u8> {
    vec![typ, code, 0, 0, 0, 1, 0, 1]
}

const A: [u8; 4] = [192, 0, 2, 1];
const B: [u8; 4] = [198, 51, 100, 2];
const SYN: u8 = 0x02;
const ACK: u8 = 0x10;

fn tcp4(dport: u16, flags: u8) -> Vec<u8> {
    v4(A, B, 6, 0, 64, &tcp(40000, dport, flags))
}

fn udp4(sport: u16, dport: u16) -> Vec<u8> {
    v4(A, B, 17, 0, 64, &udp(sport, dport))
}

fn v6(nexthdr: u8, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![0u8; 40];
    p[0] = 0x60;
    p[4..6].copy_from_slice(&(payload.len() as u16).to_be_bytes());
    p[6] = nexthdr;
    p[7] = 64;
    p[8..24].copy_from_slice(
        &"2001:db8::1"
            .parse::<std::net::Ipv6Addr>()
            .unwrap()
            .octets(),
    );
    p[24..40].copy_from_slice(
        &"2001:db8:1::2"
            .parse::<std::net::Ipv6Addr>()
            .unwrap()
            .octets(),
    );
    p.extend_from_slice(payload);
    p
}

// --------------------------------------------------------------- conntrack

fn tuples(family: Family, proto: u8, sport: u16, dport: u16) -> [Tuple; 2] {
    let (s, d) = match family {
        Family::Ipv4 => (Addr::v4(A), Addr::v4(B)),
        Family::Ipv6 => (
            Addr::v6(
                "2001:db8::1"
                    .parse::<std::net::Ipv6Addr>()
                    .unwrap()
                    .octets(),
            ),
            Addr::v6(
                "2001:db8:1::2"
                    .parse::<std::net::Ipv6Addr>()
                    .unwrap()
                    .octets(),
            ),
        ),
    };
    let mut o = Tuple::new(family, proto, s, d);
    o.src_u = sport;
    o.dst_u = dport;
    let mut r = Tuple::new(family, proto, d, s);
    r.src_u = dport;
    r.dst_u = sport;
    [o, r]
}

fn ct(state: CtState, dir: Option<Direction>, status: Status) -> CtSnapshot {
    let tracked = !matches!(state, CtState::Invalid | CtState::Untracked);
    CtSnapshot {
        state,
        dir: if tracked { dir } else { None },
        status: if tracked { status } else { Status::empty() },
        tuples: tracked.then(|| tuples(Family::Ipv4, 6, 40000, 80)),
        helper: None,
        master_helper: None,
        mark: 0,
        zone: ctrack_core::Zone::DEFAULT,
        proto_state: None,
    }
}

fn new() -> CtSnapshot {
    ct(CtState::New, Some(Direction::Original), Status::empty())
}

fn est() -> CtSnapshot {
    let mut s = Status::empty();
    s.insert(Status::SEEN_REPLY);
    s.insert(Status::CONFIRMED);
    ct(CtState::Established, Some(Direction::Original), s)
}

fn est_reply() -> CtSnapshot {
    let mut s = Status::empty();
    s.insert(Status::SEEN_REPLY);
    s.insert(Status::CONFIRMED);
    ct(CtState::Established, Some(Direction::Reply), s)
}

fn invalid() -> CtSnapshot {
    ct(CtState::Invalid, None, Status::empty())
}

fn untracked() -> CtSnapshot {
    ct(CtState::Untracked, None, Status::empty())
}

// ------------------------------------------------------------------- runs

fn rs4(text: &str) -> Ruleset {
    Ruleset::parse(text, "test.v4", Family::Ipv4).unwrap_or_else(|e| panic!("{e}"))
}

fn chain_id(rs: &Ruleset, key: &str) -> BaseChainId {
    rs.base_chains()
        .into_iter()
        .find(|c| c.key == key)
        .unwrap_or_else(|| panic!("no base chain {key}"))
}

fn hook_of(key: &str) -> Hook {
    match key.split('/').nth(1).unwrap() {
        "PREROUTING" => Hook::Prerouting,
        "INPUT" => Hook::Input,
        "FORWARD" => Hook::Forward,
        "OUTPUT" => Hook::Output,
        _ => Hook::Postrouting,
    }
}

fn run_full(
    rs: &mut Ruleset,
    key: &str,
    family: Family,
    pkt: &[u8],
    ct: &CtSnapshot,
    meta: &mut Meta,
    (iif, oif): (Option<&str>, Option<&str>),
) -> ChainResult {
    let id = chain_id(rs, key);
    let info = PacketInfo {
        family,
        l3: pkt,
        l4: None,
        len: pkt.len(),
        iif,
        oif,
        hook: hook_of(key),
        time: Default::default(),
    };
    rs.run(&id, &info, ct, meta)
}

fn run(rs: &mut Ruleset, key: &str, pkt: &[u8], ct: &CtSnapshot) -> ChainResult {
    run_full(
        rs,
        key,
        Family::Ipv4,
        pkt,
        ct,
        &mut Meta::default(),
        (None, None),
    )
}

/// `A3` accepted by rule 3, `D0` dropped by the policy, `R2` rejected by
/// rule 2, `A-` accepted without a rule (a chain not consulted).
fn short(r: &ChainResult) -> String {
    let n = |by: &ctrack_rules::RuleRef| by.number.map_or("0".to_string(), |n| n.to_string());
    match r {
        ChainResult::Accept { by: Some(by) } => format!("A{}", n(by)),
        ChainResult::Accept { by: None } => "A-".into(),
        ChainResult::Drop { by } => format!("D{}", n(by)),
        ChainResult::Reject { by, .. } => format!("R{}", n(by)),
    }
}

fn cnt(rs: &Ruleset, table: &str, chain: &str, rule: Option<usize>) -> (u64, u64) {
    let c: Counters = rs.counters(table, chain, rule).unwrap();
    (c.packets, c.bytes)
}

const STATEFUL: &str = include_str!("data/iptables/fixtures/stateful-conntrack-http/rules.v4");
const USER_CHAIN: &str =
    include_str!("data/iptables/fixtures/state-match-user-chain-http/rules.v4");

#[test]
fn stateful_forward_firewall() {
    let mut rs = rs4(STATEFUL);
    assert_eq!(
        rs.base_chains()
            .iter()
            .map(|c| (c.key.as_str(), c.priority))
            .collect::<Vec<_>>(),
        [
            ("filter/INPUT", 0),
            ("filter/FORWARD", 0),
            ("filter/OUTPUT", 0)
        ]
    );
    let cases: Vec<(Vec<u8>, CtSnapshot, &str)> = vec![
        (tcp4(80, SYN), new(), "A3"),
        (tcp4(80, ACK), est(), "A1"),
        (tcp4(80, ACK), est_reply(), "A1"),
        (tcp4(22, SYN), new(), "D0"),
        (tcp4(80, ACK), invalid(), "D2"),
        (udp4(5353, 53), new(), "A4"),
        (udp4(5353, 54), new(), "D0"),
        (udp4(5353, 53), untracked(), "D0"),
        (v4(A, B, 1, 0, 64, &icmp(8, 0)), new(), "D0"),
        (
            v4(A, B, 1, 0, 64, &icmp(3, 3)),
            ct(CtState::Related, Some(Direction::Reply), Status::empty()),
            "A1",
        ),
    ];
    let mut bytes = [0u64; 5];
    let mut packets = [0u64; 5];
    for (pkt, snap, want) in &cases {
        let r = run(&mut rs, "filter/FORWARD", pkt, snap);
        assert_eq!(short(&r), *want, "{snap:?}");
        let k: usize = want[1..].parse().unwrap();
        packets[k] += 1;
        bytes[k] += pkt.len() as u64;
    }
    for k in 1..5 {
        assert_eq!(
            cnt(&rs, "filter", "FORWARD", Some(k)),
            (packets[k], bytes[k]),
            "rule {k}"
        );
    }
    assert_eq!(cnt(&rs, "filter", "FORWARD", None), (packets[0], bytes[0]));
    assert_eq!(cnt(&rs, "filter", "INPUT", None), (0, 0));
    assert!(rs.unmatched().is_empty());
    let saved = rs.save_counters_table("filter").unwrap();
    assert!(saved.contains(&format!(":FORWARD DROP [{}:{}]", packets[0], bytes[0])));
    assert!(saved.contains(&format!(
        "[{}:{}] -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        packets[1], bytes[1]
    )));
}

#[test]
fn user_chain_falls_back_with_return() {
    let mut rs = rs4(USER_CHAIN);
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &tcp4(80, SYN), &new())),
        "A1"
    );
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &tcp4(443, SYN), &new())),
        "D0"
    );
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &udp4(1, 53), &new())),
        "A2"
    );
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &tcp4(443, ACK), &invalid())),
        "D2"
    );
    // The accepting rule is NEW_ALLOWED's.
    let r = run(&mut rs, "filter/FORWARD", &tcp4(80, SYN), &new());
    let ChainResult::Accept { by: Some(by) } = r else {
        panic!("{r:?}")
    };
    assert_eq!(&*by.chain, "filter NEW_ALLOWED");
    assert_eq!(
        &*by.text,
        "-A NEW_ALLOWED -p tcp -m tcp --dport 80 -j ACCEPT"
    );
    assert_eq!(cnt(&rs, "filter", "FORWARD", Some(3)).0, 4);
    assert_eq!(cnt(&rs, "filter", "NEW_ALLOWED", Some(1)).0, 2);
    assert_eq!(cnt(&rs, "filter", "NEW_ALLOWED", Some(3)).0, 1);
    assert_eq!(cnt(&rs, "filter", "FORWARD", None).0, 1);
    let unmatched: Vec<String> = rs.unmatched().iter().map(|r| r.to_string()).collect();
    assert_eq!(
        unmatched,
        ["filter FORWARD rule 1: -A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT"]
    );
}

const JUMPS: &str = "*filter
:FORWARD DROP [0:0]
:A - [0:0]
:B - [0:0]
:C - [0:0]
-A FORWARD -p udp --dport 1 -j A
-A FORWARD -p udp --dport 2 -g A
-A FORWARD -p udp --dport 3 -j C
-A FORWARD -p udp --dport 4 -j RETURN
-A FORWARD -j ACCEPT
-A A -p udp --sport 7 -j ACCEPT
-A A -g B
-A B -p udp --sport 8 -j DROP
-A C -j RETURN
-A C -j DROP
COMMIT
";

#[test]
fn jump_goto_return() {
    let mut rs = rs4(JUMPS);
    let go = |rs: &mut Ruleset, sport, dport| {
        let r = run(rs, "filter/FORWARD", &udp4(sport, dport), &new());
        match &r {
            ChainResult::Accept { by: Some(b) } | ChainResult::Drop { by: b } => {
                format!("{} {}", b.chain, short(&r))
            }
            _ => short(&r),
        }
    };
    // jump A, goto B, B ends: back after the jump.
    assert_eq!(go(&mut rs, 9, 1), "filter FORWARD A5");
    // goto A, goto B, B ends: nothing to return to, the policy.
    assert_eq!(go(&mut rs, 9, 2), "filter FORWARD D0");
    assert_eq!(go(&mut rs, 7, 2), "filter A A1");
    assert_eq!(go(&mut rs, 8, 1), "filter B D1");
    // RETURN from C: back after the jump.
    assert_eq!(go(&mut rs, 9, 3), "filter FORWARD A5");
    // RETURN from the base chain: the policy.
    assert_eq!(go(&mut rs, 9, 4), "filter FORWARD D0");
    assert_eq!(cnt(&rs, "filter", "C", Some(1)).0, 1);
    assert_eq!(cnt(&rs, "filter", "C", Some(2)).0, 0);
    assert_eq!(cnt(&rs, "filter", "A", Some(2)).0, 3);
    assert_eq!(cnt(&rs, "filter", "B", Some(1)).0, 1);
    assert_eq!(cnt(&rs, "filter", "FORWARD", None).0, 2);
    let list = rs.counters_report();
    assert!(list.contains("Chain A (2 references)"), "{list}");
    assert!(list.contains("Chain B (1 references)"), "{list}");
}

#[test]
fn fragments_have_no_ports() {
    let mut rs = rs4("*filter
:FORWARD ACCEPT [0:0]
-A FORWARD -p tcp --dport 80 -j DROP
-A FORWARD -f -j REJECT
-A FORWARD -p tcp -j DROP
COMMIT
");
    // A first fragment (MF set, offset 0) has its ports.
    let first = v4(A, B, 6, 0x2000, 64, &tcp(1, 80, SYN));
    assert_eq!(short(&run(&mut rs, "filter/FORWARD", &first, &new())), "D1");
    // A later fragment does not: -f matches it.
    let later = v4(A, B, 6, 0x0003, 64, &tcp(1, 80, SYN));
    let r = run(&mut rs, "filter/FORWARD", &later, &new());
    assert_eq!(short(&r), "R2");
    assert!(matches!(
        r,
        ChainResult::Reject {
            with: RejectWith::IcmpPortUnreachable,
            ..
        }
    ));
    let mut rs = rs4("*filter
:FORWARD ACCEPT [0:0]
-A FORWARD -p tcp --dport 80 -j DROP
-A FORWARD -p tcp -j REJECT --reject-with tcp-reset
COMMIT
");
    let r = run(&mut rs, "filter/FORWARD", &later, &new());
    assert!(
        matches!(
            r,
            ChainResult::Reject {
                with: RejectWith::TcpReset,
                ..
            }
        ),
        "{r:?}"
    );
}

#[test]
fn truncated_headers() {
    let mut rs = rs4("*filter
:FORWARD ACCEPT [0:0]
-A FORWARD -p tcp --dport 80 -j DROP
-A FORWARD -p icmp --icmp-type any -j DROP
-A FORWARD -p udp -m multiport --dports 53 -j DROP
-A FORWARD -j ACCEPT
COMMIT
");
    // TCP ports are payload expressions in iptables-nft: an unreadable
    // header is no match.
    let short_tcp = v4(A, B, 6, 0, 64, &[0, 1]);
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &short_tcp, &new())),
        "A4"
    );
    // The icmp and multiport matches are xtables matches: an unreadable
    // header drops the packet (hotdrop), the rule's counter unchanged.
    let short_icmp = v4(A, B, 1, 0, 64, &[8, 0, 0, 0]);
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &short_icmp, &new())),
        "D2"
    );
    let short_udp = v4(A, B, 17, 0, 64, &[0, 53]);
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &short_udp, &new())),
        "D3"
    );
    assert_eq!(cnt(&rs, "filter", "FORWARD", Some(2)), (0, 0));
    assert_eq!(cnt(&rs, "filter", "FORWARD", Some(3)), (0, 0));
}

#[test]
fn ipv6_extension_headers() {
    let text = "*filter
:FORWARD DROP [0:0]
-A FORWARD -p tcp --dport 80 -j ACCEPT
-A FORWARD -p udp -j REJECT
-A FORWARD -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT
COMMIT
";
    let mut rs = Ruleset::parse(text, "t.v6", Family::Ipv6).unwrap();
    let mut go = |pkt: Vec<u8>| {
        short(&run_full(
            &mut rs,
            "filter/FORWARD",
            Family::Ipv6,
            &pkt,
            &new(),
            &mut Meta::default(),
            (None, None),
        ))
    };
    assert_eq!(go(v6(6, &tcp(1, 80, SYN))), "A1");
    // Hop-by-hop options (8 bytes), then TCP.
    let mut hbh = vec![6, 0, 1, 4, 0, 0, 0, 0];
    hbh.extend(tcp(1, 80, SYN));
    assert_eq!(go(v6(0, &hbh)), "A1");
    // A fragment header at offset 0: the TCP header follows it.
    let mut frag = vec![6, 0, 0, 1, 0, 0, 0, 9];
    frag.extend(tcp(1, 80, SYN));
    assert_eq!(go(v6(44, &frag)), "A1");
    // A later fragment: TCP, without ports.
    let mut later = vec![17, 0, 0, 0x10, 0, 0, 0, 9];
    later.extend(udp(1, 2));
    assert_eq!(go(v6(44, &later)), "R2");
    assert_eq!(go(v6(58, &[128, 0, 0, 0, 0, 1, 0, 1])), "A3");
    assert_eq!(go(v6(58, &[129, 0, 0, 0, 0, 1, 0, 1])), "D0");
}

#[test]
fn interfaces() {
    let mut rs = rs4("*filter
:FORWARD ACCEPT [0:0]
-A FORWARD -i eth+ -o wlan0 -j DROP
-A FORWARD ! -i lo -j REJECT
COMMIT
");
    let p = udp4(1, 2);
    let mut go = |i, o| {
        short(&run_full(
            &mut rs,
            "filter/FORWARD",
            Family::Ipv4,
            &p,
            &new(),
            &mut Meta::default(),
            (i, o),
        ))
    };
    assert_eq!(go(Some("eth3"), Some("wlan0")), "D1");
    assert_eq!(go(Some("eth3"), Some("wlan1")), "R2");
    assert_eq!(go(Some("lo"), Some("wlan1")), "A0");
    // An unknown interface is the empty name.
    assert_eq!(go(None, None), "R2");
}

#[test]
fn conntrack_match_details() {
    let mut rs = rs4("*filter
:FORWARD ACCEPT [0:0]
-A FORWARD -m conntrack --ctstatus SEEN_REPLY --ctdir REPLY -j DROP
-A FORWARD -m conntrack --ctproto tcp --ctorigdstport 80 --ctreplsrc 198.51.100.0/24 -j REJECT
-A FORWARD -m conntrack ! --ctstatus ASSURED -j LOG
-A FORWARD -m state --state UNTRACKED -j DROP
-A FORWARD -m conntrack ! --ctstate NEW,ESTABLISHED -j DROP
COMMIT
");
    let p = tcp4(80, ACK);
    let mut meta = Meta::default();
    // ESTABLISHED reply with SEEN_REPLY: rule 1.
    let r = run_full(
        &mut rs,
        "filter/FORWARD",
        Family::Ipv4,
        &p,
        &est_reply(),
        &mut meta,
        (None, None),
    );
    assert_eq!(short(&r), "D1");
    // ESTABLISHED original: tuple conditions of rule 2.
    assert_eq!(short(&run(&mut rs, "filter/FORWARD", &p, &est())), "R2");
    // NEW (no ASSURED): LOG (non-terminal), then on to the policy.
    let mut meta = Meta::default();
    let snap = ct(CtState::New, Some(Direction::Original), Status::empty());
    let mut s2 = snap;
    s2.tuples = Some(tuples(Family::Ipv4, 17, 1, 2));
    let r = run_full(
        &mut rs,
        "filter/FORWARD",
        Family::Ipv4,
        &p,
        &s2,
        &mut meta,
        (None, None),
    );
    assert_eq!(short(&r), "A0");
    assert_eq!(meta.logged.len(), 1);
    assert_eq!(meta.logged[0].number, Some(3));
    // UNTRACKED: ctstatus never matches without an entry; state UNTRACKED does.
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &p, &untracked())),
        "D4"
    );
    // INVALID: `! --ctstate NEW,ESTABLISHED` matches.
    assert_eq!(short(&run(&mut rs, "filter/FORWARD", &p, &invalid())), "D5");
    assert_eq!(cnt(&rs, "filter", "FORWARD", Some(3)).0, 1);
}

#[test]
fn marks_and_connmarks() {
    let mut rs = rs4("*mangle
:PREROUTING ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
-A PREROUTING -j CONNMARK --restore-mark --nfmask 0xff00 --ctmask 0xff00
-A PREROUTING -m mark ! --mark 0x0/0xff00 -j RETURN
-A PREROUTING -p tcp --dport 22 -j MARK --set-xmark 0x100/0xff00
-A PREROUTING -j CONNMARK --save-mark --nfmask 0xff00 --ctmask 0xff00
-A FORWARD -m connmark --mark 0x100/0xff00 -j MARK --or-mark 0x1
-A FORWARD -j MARK --xor-mark 0x10000
COMMIT
");
    let p = tcp4(22, SYN);
    let mut meta = Meta::default();
    let r = run_full(
        &mut rs,
        "mangle/PREROUTING",
        Family::Ipv4,
        &p,
        &new(),
        &mut meta,
        (None, None),
    );
    assert_eq!(short(&r), "A0");
    assert_eq!(meta.nfmark, 0x100);
    assert_eq!((meta.ctmark, meta.ctmark_changed), (0x100, true));
    let r = run_full(
        &mut rs,
        "mangle/FORWARD",
        Family::Ipv4,
        &p,
        &new(),
        &mut meta,
        (None, None),
    );
    assert_eq!(short(&r), "A0");
    assert_eq!(meta.nfmark, 0x10101);
    // The next packet: the entry carries the mark; restore, then RETURN.
    let mut meta = Meta {
        ctmark: 0x100,
        ..Meta::default()
    };
    let r = run_full(
        &mut rs,
        "mangle/PREROUTING",
        Family::Ipv4,
        &p,
        &est(),
        &mut meta,
        (None, None),
    );
    assert_eq!(short(&r), "A0");
    assert_eq!((meta.nfmark, meta.ctmark_changed), (0x100, false));
    assert_eq!(cnt(&rs, "mangle", "PREROUTING", Some(2)).0, 1);
    // Without an entry (INVALID) CONNMARK does nothing and connmark never
    // matches.
    let mut meta = Meta {
        ctmark: 0x100,
        ..Meta::default()
    };
    run_full(
        &mut rs,
        "mangle/PREROUTING",
        Family::Ipv4,
        &p,
        &invalid(),
        &mut meta,
        (None, None),
    );
    assert_eq!(
        (meta.nfmark, meta.ctmark, meta.ctmark_changed),
        (0x100, 0x100, false)
    );
    run_full(
        &mut rs,
        "mangle/FORWARD",
        Family::Ipv4,
        &p,
        &invalid(),
        &mut meta,
        (None, None),
    );
    assert_eq!(meta.nfmark, 0x10100);
}

#[test]
fn raw_table_ct_targets() {
    let mut rs = rs4("*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -p udp --dport 53 -j NOTRACK
-A PREROUTING -p tcp --dport 21 -j CT --helper ftp
-A PREROUTING -p tcp -j CT --zone 7
-A PREROUTING -p udp -j CT --helper tftp
COMMIT
");
    assert_eq!(
        rs.base_chains()
            .iter()
            .map(|c| (c.key.as_str(), c.priority))
            .collect::<Vec<_>>(),
        [("raw/PREROUTING", -300), ("raw/OUTPUT", -300)]
    );
    let before = ct(CtState::Invalid, None, Status::empty());
    let mut meta = Meta::default();
    run_full(
        &mut rs,
        "raw/PREROUTING",
        Family::Ipv4,
        &udp4(1, 53),
        &before,
        &mut meta,
        (None, None),
    );
    assert!(meta.notrack && meta.ct_helper.is_none());
    // The first CT rule wins: a later one is counted but does nothing.
    let mut meta = Meta::default();
    run_full(
        &mut rs,
        "raw/PREROUTING",
        Family::Ipv4,
        &tcp4(21, SYN),
        &before,
        &mut meta,
        (None, None),
    );
    assert_eq!(
        (meta.ct_helper.as_deref(), meta.ct_zone),
        (Some("ftp"), None)
    );
    assert_eq!(cnt(&rs, "raw", "PREROUTING", Some(3)).0, 1);
    let mut meta = Meta::default();
    run_full(
        &mut rs,
        "raw/PREROUTING",
        Family::Ipv4,
        &tcp4(25, SYN),
        &before,
        &mut meta,
        (None, None),
    );
    assert_eq!(
        (meta.ct_helper.as_deref(), meta.ct_zone, meta.notrack),
        (None, Some(ctrack_core::Zone::both(7)), false)
    );
}

#[test]
fn nat_chains_see_only_first_packets() {
    let mut rs = rs4("*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -j LOG
COMMIT
");
    assert_eq!(
        rs.base_chains()
            .iter()
            .map(|c| (c.key.as_str(), c.priority))
            .collect::<Vec<_>>(),
        [("nat/PREROUTING", -100), ("nat/POSTROUTING", 100)]
    );
    assert_eq!(
        short(&run(&mut rs, "nat/PREROUTING", &tcp4(80, SYN), &new())),
        "A0"
    );
    assert_eq!(
        short(&run(&mut rs, "nat/PREROUTING", &tcp4(80, ACK), &est())),
        "A-"
    );
    assert_eq!(
        short(&run(&mut rs, "nat/PREROUTING", &tcp4(80, ACK), &invalid())),
        "A-"
    );
    let mut confirmed = Status::empty();
    confirmed.insert(Status::CONFIRMED);
    let retrans = ct(CtState::New, Some(Direction::Original), confirmed);
    assert_eq!(
        short(&run(&mut rs, "nat/PREROUTING", &tcp4(80, SYN), &retrans)),
        "A-"
    );
    assert_eq!(cnt(&rs, "nat", "PREROUTING", Some(1)).0, 1);
    assert_eq!(cnt(&rs, "nat", "PREROUTING", None).0, 1);
}

#[test]
fn ttl_length_and_nth() {
    let mut rs = rs4("*filter
:FORWARD ACCEPT [0:0]
-A FORWARD -m ttl --ttl-eq 33 -j DROP
-A FORWARD -m length --length 40 -j REJECT
-A FORWARD -p udp -m statistic --mode nth --every 3 --packet 2 -j DROP
COMMIT
");
    assert_eq!(
        short(&run(
            &mut rs,
            "filter/FORWARD",
            &v4(A, B, 17, 0, 33, &udp(1, 2)),
            &new()
        )),
        "D1"
    );
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &tcp4(1, SYN), &new())),
        "R2"
    );
    let seq: Vec<String> = (0..7)
        .map(|_| short(&run(&mut rs, "filter/FORWARD", &udp4(1, 2), &new())))
        .collect();
    assert_eq!(seq, ["A0", "A0", "D3", "A0", "A0", "D3", "A0"]);
}

#[test]
fn policy_counters_and_report() {
    let mut rs = rs4(STATEFUL);
    for _ in 0..3 {
        run(&mut rs, "filter/FORWARD", &tcp4(22, SYN), &new());
    }
    run(&mut rs, "filter/FORWARD", &tcp4(80, SYN), &new());
    let report = rs.counters_report();
    let want = "# iptables -t filter -L -v -x -n --line-numbers
Chain INPUT (policy ACCEPT 0 packets, 0 bytes)
num      pkts      bytes target     prot opt in     out     source               destination         

Chain FORWARD (policy DROP 3 packets, 120 bytes)
num      pkts      bytes target     prot opt in     out     source               destination         
1           0        0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate RELATED,ESTABLISHED
2           0        0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID
3           1       40 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:80 ctstate NEW
4           0        0 ACCEPT     17   --  *      *       0.0.0.0/0            0.0.0.0/0            udp dpt:53 ctstate NEW

Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)
num      pkts      bytes target     prot opt in     out     source               destination         
";
    assert_eq!(report, want);
    let mut rs2 = rs.clone();
    rs2.zero_counters();
    assert_eq!(cnt(&rs2, "filter", "FORWARD", None), (0, 0));
    assert_eq!(rs2.unmatched().len(), 4);
}

#[test]
fn helper_match_is_the_masters() {
    let mut rs = rs4("*filter
:FORWARD ACCEPT [0:0]
-A FORWARD -m helper --helper ftp -j ACCEPT
-A FORWARD -m helper ! --helper sip -j DROP
COMMIT
");
    let mut expected = Status::empty();
    expected.insert(Status::EXPECTED);
    let mut data = ct(CtState::Related, Some(Direction::Original), expected);
    data.master_helper = Some("ftp");
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &tcp4(20, SYN), &data)),
        "A1"
    );
    data.master_helper = Some("sip");
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &udp4(1, 2), &data)),
        "A0"
    );
    // No master: only the inverted match matches.
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &tcp4(20, SYN), &new())),
        "D2"
    );
    assert_eq!(
        short(&run(&mut rs, "filter/FORWARD", &tcp4(20, SYN), &invalid())),
        "D2"
    );
}
