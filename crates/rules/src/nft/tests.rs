//! Unit tests of the nft engine: parse errors (file:line:column), the
//! kernel's evaluation of each expression and statement, verdicts and
//! jumps, priorities, and the listing.

use super::Ruleset;
use crate::model::{
    BaseChainId, ChainFamily, ChainResult, Hook, Meta, PacketInfo, RejectWith, RuleSource,
};
use ctrack_core::CtState;
use ctrack_core::ctinfo::Direction;
use ctrack_core::hooks::CtSnapshot;
use ctrack_core::status::Status;
use ctrack_core::tuple::{Addr, Family, Tuple};

// ---------------------------------------------------------------------------
// Packets.

fn csum_ipv4(h: &mut [u8]) {
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

fn ipv4(proto: u8, src: [u8; 4], dst: [u8; 4], l4: &[u8]) -> Vec<u8> {
    let mut p = vec![0x45, 0, 0, 0, 0, 1, 0, 0, 64, proto, 0, 0];
    p.extend_from_slice(&src);
    p.extend_from_slice(&dst);
    let len = (20 + l4.len()) as u16;
    p[2..4].copy_from_slice(&len.to_be_bytes());
    csum_ipv4(&mut p[..20]);
    p.extend_from_slice(l4);
    p
}

fn frag_of(mut p: Vec<u8>, offset8: u16, more: bool) -> Vec<u8> {
    let v = offset8 | if more { 0x2000 } else { 0 };
    p[6..8].copy_from_slice(&v.to_be_bytes());
    csum_ipv4(&mut p[..20]);
    p
}

fn ipv6(nexthdr: u8, src: u128, dst: u128, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![0x60, 0, 0, 0];
    p.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    p.push(nexthdr);
    p.push(64);
    p.extend_from_slice(&src.to_be_bytes());
    p.extend_from_slice(&dst.to_be_bytes());
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

fn icmp(typ: u8) -> Vec<u8> {
    vec![typ, 0, 0, 0, 0, 1, 0, 1]
}

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;
const A: [u8; 4] = [192, 0, 2, 1];
const B: [u8; 4] = [198, 51, 100, 2];
const A6: u128 = 0x2001_0db8_0000_0000_0000_0000_0000_0001;
const B6: u128 = 0x2001_0db8_0001_0000_0000_0000_0000_0002;

fn info(family: Family, pkt: &[u8]) -> PacketInfo<'_> {
    PacketInfo {
        family,
        l3: pkt,
        l4: None,
        len: pkt.len(),
        iif: Some("eth0"),
        oif: Some("eth1"),
        hook: Hook::Forward,
        time: Default::default(),
    }
}

fn v4(pkt: &[u8]) -> PacketInfo<'_> {
    info(Family::Ipv4, pkt)
}

fn v6(pkt: &[u8]) -> PacketInfo<'_> {
    info(Family::Ipv6, pkt)
}

fn snap(state: CtState, dir: Option<Direction>, status: Status) -> CtSnapshot {
    CtSnapshot {
        state,
        dir,
        status,
        tuples: None,
        helper: None,
        master_helper: None,
        mark: 0,
        zone: ctrack_core::Zone::DEFAULT,
        proto_state: None,
    }
}

fn new_ct() -> CtSnapshot {
    let t = Tuple::new(Family::Ipv4, 6, Addr::v4(A), Addr::v4(B));
    CtSnapshot {
        tuples: Some([t, t.swapped_addrs()]),
        ..snap(CtState::New, Some(Direction::Original), Status::empty())
    }
}

fn est_reply() -> CtSnapshot {
    let mut s = new_ct();
    s.state = CtState::Established;
    s.dir = Some(Direction::Reply);
    s.status = Status::SEEN_REPLY | Status::CONFIRMED;
    s
}

fn invalid() -> CtSnapshot {
    snap(CtState::Invalid, None, Status::empty())
}

// ---------------------------------------------------------------------------
// Helpers to run rules.

fn rs(text: &str) -> Ruleset {
    match Ruleset::parse(text, "test.nft") {
        Ok(r) => r,
        Err(e) => panic!("{e}\n{text}"),
    }
}

fn parse_err(text: &str) -> (usize, usize, String) {
    match Ruleset::parse(text, "t.nft") {
        Ok(_) => panic!("parsed:\n{text}"),
        Err(e) => {
            assert_eq!(e.file, "t.nft");
            (e.line, e.column, e.message)
        }
    }
}

fn chain(r: &Ruleset, key: &str) -> BaseChainId {
    r.base_chains()
        .into_iter()
        .find(|c| c.key == key)
        .unwrap_or_else(|| panic!("no base chain {key}"))
}

/// A forward chain with one family's rules, and the verdict of one packet.
fn verdict(family: &str, rules: &str, pkt: &PacketInfo<'_>, ct: &CtSnapshot) -> ChainResult {
    let text = format!(
        "table {family} t {{\n\tchain c {{\n\t\ttype filter hook forward priority filter;\n{rules}\n\t}}\n}}\n"
    );
    let mut r = rs(&text);
    let id = chain(&r, &format!("{family} t c"));
    r.run(&id, pkt, ct, &mut Meta::default())
}

/// Whether the packet hits the rule (`... drop`) in a chain with policy
/// accept.
fn hits(family: &str, rule: &str, pkt: &PacketInfo<'_>, ct: &CtSnapshot) -> bool {
    matches!(
        verdict(family, &format!("{rule} drop"), pkt, ct),
        ChainResult::Drop { .. }
    )
}

fn rule_number(r: &ChainResult) -> Option<usize> {
    match r {
        ChainResult::Accept { by } => by.as_ref().and_then(|b| b.number),
        ChainResult::Drop { by } | ChainResult::Reject { by, .. } => by.number,
    }
}

// ---------------------------------------------------------------------------
// Parse errors: file, line, column and message.

#[test]
fn error_positions_and_messages() {
    let cases: &[(&str, usize, usize, &str)] = &[
        (
            "table bridge b {\n}\n",
            1,
            7,
            "`bridge` tables are not supported",
        ),
        ("table arp a {\n}\n", 1, 7, "`arp` tables are not supported"),
        (
            "table netdev n {\n}\n",
            1,
            7,
            "`netdev` tables are not supported",
        ),
        ("table foo t {\n}\n", 1, 7, "`foo` is not a table family"),
        (
            "define x = 1\n",
            1,
            1,
            "`define` (variables) is not supported",
        ),
        ("include \"x\"\n", 1, 1, "`include` is not supported"),
        (
            "add rule ip t c accept\n",
            1,
            1,
            "`add` commands are not supported",
        ),
        ("tabel ip t {\n}\n", 1, 1, "expected `table`, found `tabel`"),
        (
            "table ip t {\n\tchain c {\n\t\ttcp dport 22 accept }\n}\n",
            3,
            23,
            "expected a newline or `;`, found `}`",
        ),
        (
            "table ip t {\n\tchain c {\n\t}\n} table ip u {\n}\n",
            4,
            3,
            "expected a newline or `;` after the table's closing `}`",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tfoo bar\n\t}\n}\n",
            3,
            3,
            "unknown statement or expression `foo`",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttcp dport 22 accept drop\n\t}\n}\n",
            3,
            23,
            "statement after the terminal statement `accept` has no effect",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttcp window 5 accept\n\t}\n}\n",
            3,
            3,
            "`tcp window` is not supported",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tmeta skuid 0 accept\n\t}\n}\n",
            3,
            3,
            "`meta skuid` is not supported",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tct state establishd accept\n\t}\n}\n",
            3,
            12,
            "`establishd` is not a conntrack state",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttcp dport 70000 accept\n\t}\n}\n",
            3,
            13,
            "exceeds the valid range 0-65535",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttcp dport nosuchservice accept\n\t}\n}\n",
            3,
            13,
            "unknown service name",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tip saddr 10.0.0.300 accept\n\t}\n}\n",
            3,
            12,
            "not a valid IPv4 address",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tip saddr example.com accept\n\t}\n}\n",
            3,
            12,
            "host names are not resolved",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tjump nowhere\n\t}\n}\n",
            3,
            8,
            "there is no chain `nowhere`",
        ),
        (
            "table ip t {\n\tchain b {\n\t\ttype filter hook input priority 0;\n\t}\n\tchain c {\n\t\tjump b\n\t}\n}\n",
            6,
            8,
            "a base chain cannot be the target of jump",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttype filter hook forward priority dstnat;\n\t}\n}\n",
            3,
            37,
            "`dstnat` is not a valid priority for the forward hook",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttype filter hook input priority mangle-5;\n\t}\n}\n",
            3,
            35,
            "`mangle-5` is not a valid priority",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttype nat hook prerouting priority dstnat;\n\t}\n}\n",
            3,
            8,
            "nat chains are not supported",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttype route hook input priority 0;\n\t}\n}\n",
            3,
            8,
            "`type route` chains exist only on the output hook",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttype filter hook ingress priority 0;\n\t}\n}\n",
            3,
            20,
            "the `ingress` hook is not supported",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy drop; policy accept;\n\t}\n}\n",
            3,
            51,
            "you cannot set chain policy twice",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tpolicy drop;\n\t}\n}\n",
            3,
            3,
            "a policy needs a base chain",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tmeta nfproto ipv4 accept\n\t}\n}\n",
            3,
            3,
            "meta nfproto is only useful in the inet family",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tip6 saddr ::1 accept\n\t}\n}\n",
            3,
            3,
            "conflicting protocols specified: ip vs. ip6",
        ),
        (
            "table inet t {\n\tchain c {\n\t\ttcp dport 22 udp dport 53 accept\n\t}\n}\n",
            3,
            16,
            "conflicting protocols specified: tcp vs. udp",
        ),
        (
            "table ip t {\n\tchain c {\n\t\treject with icmpx type admin-prohibited\n\t}\n}\n",
            3,
            26,
            "abstracted ICMP unreachable not supported",
        ),
        (
            "table ip t {\n\tchain c {\n\t\treject with icmp type frag-needed\n\t}\n}\n",
            3,
            25,
            "not a reject code ctrack can report",
        ),
        (
            "table inet t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.0/8 }\n\t}\n}\n",
            4,
            16,
            "You must add 'flags interval'",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tip saddr @nope accept\n\t}\n}\n",
            3,
            12,
            "there is no set `nope`",
        ),
        (
            "table ip t {\n\tset s {\n\t\ttype inet_service\n\t}\n\tchain c {\n\t\tip saddr @s accept\n\t}\n}\n",
            6,
            12,
            "datatype mismatch",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tct helper set \"ftp\"\n\t}\n}\n",
            3,
            17,
            "there is no `ct helper ftp` object",
        ),
        (
            "table ip t {\n\tct helper h {\n\t\ttype \"h323\" protocol tcp\n\t}\n}\n",
            3,
            8,
            "conntrack helper \"h323\" is not implemented",
        ),
        (
            "table ip6 t {\n\tct helper h {\n\t\ttype \"irc\" protocol tcp\n\t}\n}\n",
            3,
            8,
            "does not exist for this family",
        ),
        (
            "table ip t {\n\tct helper h {\n\t\ttype \"ftp\" protocol udp\n\t}\n}\n",
            3,
            23,
            "does not exist for protocol udp",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tct helper \"ftp\" accept\n\t}\n}\n",
            3,
            3,
            "the helper of the connection's master",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttcp dport 22,80 accept\n\t}\n}\n",
            3,
            16,
            "a comma-separated list is for flags",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttcp dport 80-22 accept\n\t}\n}\n",
            3,
            13,
            "Range has zero or negative size",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttcp dport ! 22 accept\n\t}\n}\n",
            3,
            13,
            "`!` is for flags",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tip saddr 10.0.0.0/33 accept\n\t}\n}\n",
            3,
            21,
            "the prefix length must be 0-32",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tiifname \"0123456789abcdef\" accept\n\t}\n}\n",
            3,
            11,
            "longer than the 15 characters",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttcp dport map { 22 : 1 }\n\t}\n}\n",
            3,
            13,
            "data maps (`map`) are not supported; verdict maps (`vmap`) are",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tqueue num 1\n\t}\n}\n",
            3,
            3,
            "`queue` is not supported",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttcp dport $ports accept\n\t}\n}\n",
            3,
            13,
            "variables (`$name`) are not supported",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tlog level loud\n\t}\n}\n",
            3,
            13,
            "`loud` is not a log level",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttcp dport 22 \"unterminated\n\t}\n}\n",
            3,
            16,
            "unterminated string",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttcp dport 22 ~ accept\n\t}\n}\n",
            3,
            16,
            "unexpected character `~`",
        ),
        (
            "table ip t {\n\tchain c {\n",
            3,
            1,
            "expected `}` closing the chain",
        ),
        (
            "table ip t {\n\tflowtable f {\n\t}\n}\n",
            2,
            2,
            "`flowtable` in a table is not supported",
        ),
        (
            "table ip t {\n\tchain a {\n\t\tjump b\n\t}\n\tchain b {\n\t\tjump a\n\t}\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\tjump a\n\t}\n}\n",
            6,
            8,
            "this jump makes a loop (c -> a -> b -> a)",
        ),
        (
            "table ip t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t}\n\tchain c {\n\t\ttype filter hook forward priority 0;\n\t}\n}\n",
            5,
            8,
            "redeclared on another hook or priority",
        ),
        (
            "table ip t {\n\tchain c {\n\t}\n\tchain c {\n\t\ttype filter hook forward priority 0;\n\t}\n}\n",
            4,
            8,
            "cannot become a base chain",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tct original state new accept\n\t}\n}\n",
            3,
            3,
            "`ct original state` is not supported",
        ),
        (
            "table ip t {\n\tchain c {\n\t\toifname \"\" accept\n\t}\n}\n",
            3,
            11,
            "Empty string is not allowed",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tmeta iif 1 accept\n\t}\n}\n",
            3,
            12,
            "interface indexes are not supported",
        ),
        (
            "table ip t {\n\tchain c {\n\t\tip saddr . tcp dport { 10.0.0.1 . 22 } accept\n\t}\n}\n",
            3,
            12,
            "concatenations (`a . b`) are not supported",
        ),
        (
            "table ip t {\n\tset s {\n\t\ttype ipv4_addr . inet_service\n\t}\n}\n",
            3,
            18,
            "concatenated set types are not supported",
        ),
        (
            "table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\ttimeout 1h\n\t}\n}\n",
            4,
            3,
            "`timeout` in a set is not supported",
        ),
    ];
    for (text, line, col, msg) in cases {
        let (l, c, m) = parse_err(text);
        assert!(
            m.contains(msg),
            "{text}\n  expected message containing {msg:?}, got {m:?}"
        );
        assert_eq!((l, c), (*line, *col), "{text}\n  message: {m}");
    }
}

#[test]
fn the_error_display_names_the_place() {
    let e = Ruleset::parse("table bridge x {\n}\n", "fw.nft").unwrap_err();
    assert_eq!(
        e.to_string(),
        "fw.nft:1:7: `bridge` tables are not supported: only ip, ip6 and inet tables see tracked IP packets"
    );
}

// ---------------------------------------------------------------------------
// ct expressions (nft_ct_get_eval).

#[test]
fn ct_state_is_a_bitmask_of_the_packet_state() {
    let p = ipv4(6, A, B, &tcp(1, 80, SYN));
    let p = v4(&p);
    let states = [
        (CtState::New, "new"),
        (CtState::Established, "established"),
        (CtState::Related, "related"),
        (CtState::Invalid, "invalid"),
        (CtState::Untracked, "untracked"),
    ];
    for (st, name) in states {
        let ct = snap(st, Some(Direction::Original), Status::empty());
        for (_, other) in states {
            assert_eq!(
                hits("inet", &format!("ct state {other}"), &p, &ct),
                name == other,
                "ct state {other} on {name}"
            );
            assert_eq!(
                hits("inet", &format!("ct state != {other}"), &p, &ct),
                name != other,
                "ct state != {other} on {name}"
            );
        }
    }
    let est = snap(
        CtState::Established,
        Some(Direction::Reply),
        Status::empty(),
    );
    let new = snap(CtState::New, Some(Direction::Original), Status::empty());
    assert!(hits("inet", "ct state established,related", &p, &est));
    assert!(!hits("inet", "ct state established,related", &p, &new));
    assert!(hits("inet", "ct state ! established,related", &p, &new));
    assert!(hits("inet", "ct state { new, untracked }", &p, &new));
    assert!(hits("inet", "ct state & new == new", &p, &new));
    assert!(hits("inet", "ct state & new == 0", &p, &est));
    assert!(hits("inet", "ct state == established", &p, &est));
    assert!(!hits("inet", "ct state == established,related", &p, &est));
}

#[test]
fn ct_keys_other_than_state_fail_without_an_entry() {
    let p = ipv4(17, A, B, &udp(1, 53));
    let p = v4(&p);
    for ct in [invalid(), snap(CtState::Untracked, None, Status::empty())] {
        for rule in [
            "ct direction original",
            "ct direction reply",
            "ct direction != original",
            "ct status != assured",
            "ct mark 0",
            "ct mark != 1",
            "ct zone 0",
            "ct protocol udp",
        ] {
            assert!(!hits("inet", rule, &p, &ct), "{rule} without an entry");
        }
    }
    assert!(hits("inet", "ct state invalid", &p, &invalid()));
}

#[test]
fn ct_direction_status_mark_zone_protocol() {
    let p = ipv4(6, B, A, &tcp(80, 1, SYN | ACK));
    let p = v4(&p);
    let mut ct = est_reply();
    ct.mark = 7;
    ct.zone = ctrack_core::Zone::both(3);
    assert!(hits("ip", "ct direction reply", &p, &ct));
    assert!(!hits("ip", "ct direction original", &p, &ct));
    assert!(hits("ip", "ct status seen-reply", &p, &ct));
    assert!(hits("ip", "ct status confirmed", &p, &ct));
    assert!(!hits("ip", "ct status assured", &p, &ct));
    assert!(hits("ip", "ct status != assured", &p, &ct));
    // `!=` compares the whole status word (`cmp neq`), not one flag: an
    // assured entry is still `!= assured`; `! assured` tests the flag.
    let mut assured = est_reply();
    assured.status.insert(Status::ASSURED);
    assert!(hits("ip", "ct status != assured", &p, &assured));
    assert!(!hits("ip", "ct status ! assured", &p, &assured));
    assert!(hits("ip", "ct status ! assured", &p, &ct));
    assert!(hits("ip", "ct status assured,seen-reply", &p, &ct));
    assert!(!hits("ip", "ct status expected", &p, &ct));
    assert!(hits("ip", "ct mark 7", &p, &ct));
    assert!(hits("ip", "ct mark and 0x3 == 3", &p, &ct));
    assert!(hits("ip", "ct mark { 1, 7 }", &p, &ct));
    assert!(hits("ip", "ct mark 5-9", &p, &ct));
    assert!(hits("ip", "ct zone 3", &p, &ct));
    assert!(hits("ip", "ct protocol tcp", &p, &ct));
    assert!(hits("ip", "ct original protocol tcp", &p, &ct));
    assert!(!hits("ip", "ct protocol udp", &p, &ct));
}

#[test]
fn mark_statements() {
    let p = ipv4(6, A, B, &tcp(1, 80, SYN));
    let p = v4(&p);
    let text = "table ip t {
	chain c {
		type filter hook forward priority 0;
		meta mark set 0xff
		meta mark set mark and 0xfffffff0
		meta mark set mark or 0x2
		ct mark set meta mark
		ct mark set ct mark | 0x100
		meta mark 0x102 counter
	}
}
";
    let mut r = rs(text);
    let id = chain(&r, "ip t c");
    let mut meta = Meta::default();
    let ct = new_ct();
    let res = r.run(&id, &p, &ct, &mut meta);
    assert_eq!(res, ChainResult::Accept { by: None });
    assert_eq!(meta.nfmark, 0xf2);
    assert_eq!(meta.ctmark, 0x1f2);
    assert!(meta.ctmark_changed);
    assert!(
        r.listing()
            .contains("meta mark 0x00000102 counter packets 0 bytes 0")
    );
    // Without an entry `ct mark set` does nothing.
    let mut meta = Meta::default();
    r.run(&id, &p, &invalid(), &mut meta);
    assert_eq!(meta.nfmark, 0xf2);
    assert!(!meta.ctmark_changed);
    // Setting the mark it already has is no change.
    let mut r = rs(
        "table ip t {\n\tchain c {\n\t\ttype filter hook forward priority 0;\n\t\tct mark set 5\n\t}\n}\n",
    );
    let id = chain(&r, "ip t c");
    let mut ct5 = new_ct();
    ct5.mark = 5;
    let mut meta = Meta::default();
    r.run(&id, &p, &ct5, &mut meta);
    assert!(!meta.ctmark_changed);
}

// ---------------------------------------------------------------------------
// meta expressions.

#[test]
fn meta_l4proto_nfproto_and_interfaces() {
    let t = ipv4(6, A, B, &tcp(1, 22, SYN));
    let t = v4(&t);
    let u6 = ipv6(17, A6, B6, &udp(1, 53));
    let u6 = v6(&u6);
    let ct = new_ct();
    assert!(hits("inet", "meta l4proto tcp", &t, &ct));
    assert!(hits("inet", "meta l4proto { tcp, udp }", &u6, &ct));
    assert!(hits("inet", "meta l4proto != udp", &t, &ct));
    assert!(hits("inet", "meta nfproto ipv4", &t, &ct));
    assert!(hits("inet", "meta nfproto ipv6", &u6, &ct));
    assert!(!hits("inet", "meta nfproto ipv6", &t, &ct));
    assert!(hits("inet", "iifname \"eth0\"", &t, &ct));
    assert!(hits("inet", "iif \"eth0\"", &t, &ct));
    assert!(!hits("inet", "oif \"eth0\"", &t, &ct));
    assert!(hits("inet", "meta iifname eth0", &t, &ct));
    assert!(hits("inet", "iifname \"eth*\"", &t, &ct));
    assert!(!hits("inet", "iifname \"eth\"", &t, &ct));
    assert!(hits("inet", "oifname { \"lo\", \"eth1\" }", &t, &ct));
    assert!(hits("inet", "oifname { \"lo\", \"et*\" }", &t, &ct));
    assert!(hits("inet", "oifname != \"eth0\"", &t, &ct));
    assert!(!hits("inet", "iifname != { \"eth*\" }", &t, &ct));
    // No device is the empty name.
    let mut nodev = t;
    nodev.iif = None;
    assert!(hits("inet", "iifname != \"eth0\"", &nodev, &ct));
    assert!(hits("inet", "iifname != \"eth*\"", &nodev, &ct));
}

// ---------------------------------------------------------------------------
// Payload.

#[test]
fn ip_and_ip6_addresses_and_protocols() {
    let p = ipv4(17, A, B, &udp(1, 53));
    let p = v4(&p);
    let q = ipv6(6, A6, B6, &tcp(1, 22, SYN));
    let q = v6(&q);
    let ct = new_ct();
    assert!(hits("ip", "ip saddr 192.0.2.1", &p, &ct));
    assert!(hits("ip", "ip saddr 192.0.2.0/24", &p, &ct));
    assert!(hits("ip", "ip saddr 192.0.2.77/24", &p, &ct));
    assert!(!hits("ip", "ip saddr != 192.0.2.0/24", &p, &ct));
    assert!(hits("ip", "ip daddr != 192.0.2.0/24", &p, &ct));
    assert!(hits(
        "ip",
        "ip daddr { 10.0.0.0/8, 198.51.100.0/24 }",
        &p,
        &ct
    ));
    assert!(hits("ip", "ip daddr 198.51.100.1-198.51.100.3", &p, &ct));
    assert!(!hits("ip", "ip daddr != { 198.51.100.2 }", &p, &ct));
    assert!(hits("ip", "ip protocol udp", &p, &ct));
    assert!(hits("ip", "ip ttl 64", &p, &ct));
    assert!(hits("ip6", "ip6 saddr 2001:db8::1", &q, &ct));
    assert!(hits("ip6", "ip6 daddr 2001:db8:1::/48", &q, &ct));
    assert!(hits("ip6", "ip6 nexthdr tcp", &q, &ct));
    assert!(hits("ip6", "ip6 hoplimit 64", &q, &ct));
    // In inet tables `ip` fields imply IPv4 and `ip6` fields IPv6.
    assert!(hits("inet", "ip saddr 192.0.2.1", &p, &ct));
    assert!(!hits("inet", "ip saddr 0.0.0.0/0", &q, &ct));
    assert!(!hits("inet", "ip6 saddr ::/0", &p, &ct));
    assert!(hits("inet", "ip6 saddr ::/0", &q, &ct));
}

#[test]
fn ipv6_extension_headers() {
    // hop-by-hop options (8 bytes) then TCP.
    let mut ext = vec![6u8, 0, 1, 4, 0, 0, 0, 0];
    ext.extend(tcp(1, 22, SYN));
    let p = ipv6(0, A6, B6, &ext);
    let p = v6(&p);
    let ct = new_ct();
    // meta l4proto and tcp fields walk the extension headers...
    assert!(hits("ip6", "meta l4proto tcp", &p, &ct));
    assert!(hits("ip6", "tcp dport 22", &p, &ct));
    // ...ip6 nexthdr is the fixed header's field.
    assert!(!hits("ip6", "ip6 nexthdr tcp", &p, &ct));
    assert!(hits("ip6", "ip6 nexthdr 0", &p, &ct));
    // A later fragment: its protocol is known, its transport header is not.
    let mut frag = vec![17u8, 0];
    frag.extend_from_slice(&(185u16 << 3).to_be_bytes());
    frag.extend_from_slice(&[0, 0, 0, 1]);
    frag.extend(udp(1, 53));
    let f = ipv6(44, A6, B6, &frag);
    let f = v6(&f);
    assert!(hits("ip6", "meta l4proto udp", &f, &ct));
    assert!(!hits("ip6", "udp dport 53", &f, &ct));
    assert!(!hits("ip6", "udp dport != 53", &f, &ct));
    assert!(!hits("ip6", "th dport 53", &f, &ct));
}

#[test]
fn non_first_ipv4_fragments_have_no_transport_header() {
    let p = ipv4(6, A, B, &tcp(1, 80, SYN));
    let first = frag_of(p.clone(), 0, true);
    let later = frag_of(p, 100, false);
    let ct = new_ct();
    assert!(hits("ip", "tcp dport 80", &v4(&first), &ct));
    assert!(hits("ip", "meta l4proto tcp", &v4(&later), &ct));
    assert!(!hits("ip", "tcp dport 80", &v4(&later), &ct));
    assert!(!hits("ip", "tcp dport != 80", &v4(&later), &ct));
}

#[test]
fn ports_ranges_sets_and_truncated_headers() {
    let p = ipv4(6, A, B, &tcp(40000, 443, SYN));
    let p = v4(&p);
    let ct = new_ct();
    assert!(hits("inet", "tcp dport 443", &p, &ct));
    assert!(hits("inet", "tcp dport https", &p, &ct));
    assert!(hits("inet", "tcp dport { 22, 80, 443 }", &p, &ct));
    assert!(!hits("inet", "tcp dport != { 22, 80, 443 }", &p, &ct));
    assert!(hits("inet", "tcp sport 1024-65535", &p, &ct));
    assert!(!hits("inet", "tcp sport != 1024-65535", &p, &ct));
    assert!(hits("inet", "tcp dport > 442", &p, &ct));
    assert!(hits("inet", "tcp dport <= 443", &p, &ct));
    assert!(!hits("inet", "tcp dport < 443", &p, &ct));
    assert!(hits("inet", "th dport 443", &p, &ct));
    // `tcp dport` implies TCP.
    assert!(!hits("inet", "udp dport 443", &p, &ct));
    let u = ipv4(17, A, B, &udp(1, 443));
    assert!(!hits("inet", "tcp dport 443", &v4(&u), &ct));
    assert!(hits("inet", "th dport 443", &v4(&u), &ct));
    // A header cut short: the load fails, the rule does not match.
    let mut cut = ipv4(6, A, B, &tcp(1, 443, SYN)[..2]);
    assert!(!hits("inet", "tcp dport 443", &v4(&cut), &ct));
    assert!(!hits("inet", "tcp dport != 443", &v4(&cut), &ct));
    cut.truncate(10);
    assert!(!hits("inet", "meta l4proto tcp", &v4(&cut), &ct));
}

#[test]
fn tcp_flags() {
    let syn = ipv4(6, A, B, &tcp(1, 80, SYN));
    let synack = ipv4(6, B, A, &tcp(80, 1, SYN | ACK));
    let (syn, synack) = (v4(&syn), v4(&synack));
    let ct = new_ct();
    let strict = "tcp flags & (fin|syn|rst|ack) == syn";
    assert!(hits("ip", strict, &syn, &ct));
    assert!(!hits("ip", strict, &synack, &ct));
    assert!(hits("ip", "tcp flags syn / fin,syn,rst,ack", &syn, &ct));
    assert!(hits(
        "ip",
        "tcp flags != syn / fin,syn,rst,ack",
        &synack,
        &ct
    ));
    assert!(hits("ip", "tcp flags syn", &syn, &ct));
    assert!(hits("ip", "tcp flags syn", &synack, &ct));
    assert!(hits("ip", "tcp flags == syn", &syn, &ct));
    assert!(!hits("ip", "tcp flags == syn", &synack, &ct));
    assert!(hits("ip", "tcp flags syn,rst", &syn, &ct));
    assert!(hits("ip", "tcp flags ! ack", &syn, &ct));
    assert!(!hits("ip", "tcp flags ! ack", &synack, &ct));
    assert!(hits("ip", "tcp flags & (syn|ack) == syn|ack", &synack, &ct));
    assert!(hits("ip", "tcp flags { syn, syn | ack }", &synack, &ct));
}

#[test]
fn icmp_types() {
    let e = ipv4(1, A, B, &icmp(8));
    let e = v4(&e);
    let e6 = ipv6(58, A6, B6, &icmp(128));
    let e6 = v6(&e6);
    let ct = new_ct();
    assert!(hits("inet", "icmp type echo-request", &e, &ct));
    assert!(hits(
        "inet",
        "icmp type { echo-reply, echo-request }",
        &e,
        &ct
    ));
    assert!(!hits("inet", "icmp type echo-reply", &e, &ct));
    assert!(hits("inet", "icmpv6 type echo-request", &e6, &ct));
    // icmp in inet tables implies IPv4 (the same type byte in ICMPv6 is not
    // enough).
    let e6_8 = ipv6(58, A6, B6, &icmp(8));
    assert!(!hits("inet", "icmp type 8", &v6(&e6_8), &ct));
    assert!(hits("ip", "icmp type 8", &e, &ct));
}

// ---------------------------------------------------------------------------
// Verdicts, jumps, counters.

#[test]
fn verdicts_and_policy() {
    let p = ipv4(6, A, B, &tcp(1, 80, SYN));
    let p = v4(&p);
    let ct = new_ct();
    let r = verdict("ip", "tcp dport 80 accept\n\t\tdrop", &p, &ct);
    assert!(
        matches!(r, ChainResult::Accept { by: Some(ref b) } if b.number == Some(1) && &*b.text == "tcp dport 80 accept")
    );
    let r = verdict("ip", "tcp dport 81 accept\n\t\tdrop", &p, &ct);
    assert!(
        matches!(r, ChainResult::Drop { ref by } if by.number == Some(2) && &*by.chain == "ip t c")
    );
    // continue goes on with the next rule.
    let r = verdict("ip", "continue\n\t\tdrop", &p, &ct);
    assert_eq!(rule_number(&r), Some(2));
    // return in a base chain ends it with the policy.
    let r = verdict("ip", "return\n\t\tdrop", &p, &ct);
    assert_eq!(r, ChainResult::Accept { by: None });
    // An explicit policy is reported.
    let mut rs_ = rs(
        "table ip t {\n\tchain c {\n\t\ttype filter hook forward priority 0; policy drop;\n\t}\n}\n",
    );
    let id = chain(&rs_, "ip t c");
    let r = rs_.run(&id, &p, &ct, &mut Meta::default());
    assert!(
        matches!(r, ChainResult::Drop { ref by } if by.number.is_none() && &*by.text == "policy drop")
    );
    let mut rs_ = rs(
        "table ip t {\n\tchain c {\n\t\ttype filter hook forward priority 0; policy accept;\n\t}\n}\n",
    );
    let id = chain(&rs_, "ip t c");
    let r = rs_.run(&id, &p, &ct, &mut Meta::default());
    assert!(matches!(r, ChainResult::Accept { by: Some(ref b) } if &*b.text == "policy accept"));
}

#[test]
fn rejects() {
    let t = ipv4(6, A, B, &tcp(1, 80, SYN));
    let u = ipv4(17, A, B, &udp(1, 53));
    let t6 = ipv6(6, A6, B6, &tcp(1, 80, SYN));
    let ct = new_ct();
    let with = |fam: &str, rule: &str, p: &PacketInfo<'_>| match verdict(fam, rule, p, &ct) {
        ChainResult::Reject { with, .. } => Some(with),
        _ => None,
    };
    assert_eq!(
        with("ip", "reject", &v4(&t)),
        Some(RejectWith::IcmpPortUnreachable)
    );
    assert_eq!(
        with("ip6", "reject", &v6(&t6)),
        Some(RejectWith::Icmp6PortUnreachable)
    );
    assert_eq!(
        with("inet", "reject", &v4(&t)),
        Some(RejectWith::IcmpPortUnreachable)
    );
    assert_eq!(
        with("inet", "reject", &v6(&t6)),
        Some(RejectWith::Icmp6PortUnreachable)
    );
    assert_eq!(
        with("ip", "reject with tcp reset", &v4(&t)),
        Some(RejectWith::TcpReset)
    );
    // `reject with tcp reset` implies TCP: a UDP packet goes on.
    assert_eq!(with("ip", "reject with tcp reset", &v4(&u)), None);
    assert_eq!(
        with("ip", "reject with icmp type host-prohibited", &v4(&t)),
        Some(RejectWith::IcmpHostProhibited)
    );
    assert_eq!(
        with("inet", "reject with icmpx type admin-prohibited", &v4(&t)),
        Some(RejectWith::IcmpAdminProhibited)
    );
    assert_eq!(
        with("inet", "reject with icmpx type admin-prohibited", &v6(&t6)),
        Some(RejectWith::Icmp6AdmProhibited)
    );
    assert_eq!(
        with("inet", "reject with icmpx type no-route", &v6(&t6)),
        Some(RejectWith::Icmp6NoRoute)
    );
    // `reject with icmp` in inet implies IPv4.
    assert_eq!(
        with("inet", "reject with icmp type net-unreachable", &v6(&t6)),
        None
    );
    assert_eq!(
        with("inet", "reject with icmpv6 type addr-unreachable", &v6(&t6)),
        Some(RejectWith::Icmp6AddrUnreachable)
    );
    assert_eq!(
        with("ip6", "reject with icmpv6 type policy-fail", &v6(&t6)),
        Some(RejectWith::Icmp6PolicyFail)
    );
    assert_eq!(
        with("ip6", "reject with icmpv6 type reject-route", &v6(&t6)),
        Some(RejectWith::Icmp6RejectRoute)
    );
}

const JUMPS: &str = "table inet t {
	chain base {
		type filter hook forward priority filter; policy drop;
		counter jump a
		tcp dport 1 accept
		tcp dport 2 goto b
		tcp dport 3 jump b
		tcp dport 3 accept
		tcp dport 4 jump c
	}

	chain a {
		tcp dport 10 drop
		counter
	}

	chain b {
		tcp dport 2 counter return
		tcp dport 3 counter
	}

	chain c {
		goto b
	}
}
";

#[test]
fn jump_goto_return() {
    let mut r = rs(JUMPS);
    let id = chain(&r, "inet t base");
    let ct = new_ct();
    let mut run = |port: u16| {
        let p = ipv4(6, A, B, &tcp(9, port, SYN));
        r.run(&id, &v4(&p), &ct, &mut Meta::default())
    };
    // jump a, falls off a, back to base rule 2.
    let res = run(1);
    assert!(
        matches!(res, ChainResult::Accept { by: Some(ref b) } if &*b.chain == "inet t base" && b.number == Some(2))
    );
    // a drops.
    let res = run(10);
    assert!(
        matches!(res, ChainResult::Drop { ref by } if &*by.chain == "inet t a" && by.number == Some(1))
    );
    // goto b, return from b: back to where base would go after a jump? No:
    // goto does not push, so return ends the base chain with its policy.
    let res = run(2);
    assert!(matches!(res, ChainResult::Drop { ref by } if by.number.is_none()));
    // jump b, falls off b, back to base rule 5 (accept).
    let res = run(3);
    assert!(matches!(res, ChainResult::Accept { by: Some(ref b) } if b.number == Some(5)));
    // jump c, goto b: falling off b returns to base after the jump to c.
    let res = run(4);
    assert!(matches!(res, ChainResult::Drop { ref by } if by.number.is_none()));
    let l = r.listing();
    assert!(
        l.contains("\t\tcounter packets 5 bytes 200 jump a\n"),
        "{l}"
    );
    assert!(
        l.contains("\tchain a {\n\t\ttcp dport 10 drop\n\t\tcounter packets 4 bytes 160\n"),
        "{l}"
    );
    assert!(
        l.contains("tcp dport 2 counter packets 1 bytes 40 return"),
        "{l}"
    );
    let unmatched: Vec<String> = r.unmatched().iter().map(|u| u.to_string()).collect();
    assert_eq!(unmatched, Vec::<String>::new(), "{unmatched:?}");
}

#[test]
fn counters_count_where_they_stand() {
    let text = "table ip t {
	chain c {
		type filter hook forward priority filter; policy accept;
		counter tcp dport 80 counter
		tcp dport 22 counter tcp sport 1024 counter
		log prefix \"seen \" tcp dport 80 counter packets 10 bytes 1000
	}
}
";
    let mut r = rs(text);
    let id = chain(&r, "ip t c");
    let ct = new_ct();
    for (sport, dport) in [(1, 80), (1024, 22), (5, 81)] {
        let p = ipv4(6, A, B, &tcp(sport, dport, SYN));
        let mut meta = Meta::default();
        r.run(&id, &v4(&p), &ct, &mut meta);
        assert_eq!(meta.logged.len(), 1);
        assert_eq!(meta.logged[0].number, Some(3));
    }
    let l = r.listing();
    // 3 packets of 40 bytes; dport 80 once.
    assert!(
        l.contains("\t\tcounter packets 3 bytes 120 tcp dport 80 counter packets 1 bytes 40\n"),
        "{l}"
    );
    // nft 1.0.6 merges `tcp dport 22` into `tcp sport 1024` across the
    // counter: the first counter counts every TCP packet.
    assert!(l.contains("\t\tmeta l4proto tcp counter packets 3 bytes 120 tcp sport 1024 tcp dport 22 counter packets 1 bytes 40\n"), "{l}");
    // Counters start from the values written.
    assert!(
        l.contains("log prefix \"seen \" tcp dport 80 counter packets 11 bytes 1040\n"),
        "{l}"
    );
    let unmatched = r.unmatched();
    assert!(unmatched.is_empty(), "{unmatched:?}");
    let rules = r.rule_hits();
    assert_eq!(
        rules.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        vec![1, 1, 1]
    );
}

#[test]
fn unmatched_lists_rules_no_packet_matched() {
    let mut r = rs("table ip t {
	chain c {
		type filter hook forward priority filter; policy accept;
		tcp dport 80 counter accept
		tcp dport 81 accept
		counter
	}
}
");
    let id = chain(&r, "ip t c");
    let p = ipv4(6, A, B, &tcp(1, 80, SYN));
    r.run(&id, &v4(&p), &new_ct(), &mut Meta::default());
    let u: Vec<String> = r.unmatched().iter().map(|u| u.to_string()).collect();
    assert_eq!(
        u,
        [
            "ip t c rule 2: tcp dport 81 accept",
            "ip t c rule 3: counter"
        ]
    );
}

// ---------------------------------------------------------------------------
// Before conntrack: notrack, ct zone set, templates.

const RAW: &str = "table inet fw {
	chain raw {
		type filter hook prerouting priority raw; policy accept;
		udp dport 5353 notrack
		udp dport 6201 ct zone set 5
		udp dport 6201 notrack
		udp dport 6202 notrack
		udp dport 6202 ct zone set 5
		udp dport 6300 notrack
		udp dport 6300 ct state untracked ct mark set 1 meta mark set 9
		udp dport 6301 ct zone set 7
		udp dport 6301 ct state new ct direction original ct zone 7 meta mark set 8
		udp dport 6302 ct state invalid meta mark set 4
	}
}
";

#[test]
fn raw_chains_see_no_entry() {
    let mut r = rs(RAW);
    let id = chain(&r, "inet fw raw");
    assert_eq!(id.priority, -300);
    let go = |r: &mut Ruleset, port: u16| {
        let p = ipv4(17, A, B, &udp(1, port));
        let mut meta = Meta::default();
        let mut info = v4(&p);
        info.hook = Hook::Prerouting;
        r.run(&id, &info, &invalid(), &mut meta);
        meta
    };
    let m = go(&mut r, 5353);
    assert!(m.notrack && m.ct_zone.is_none());
    // A zone template is a conntrack: notrack after it does nothing.
    let m = go(&mut r, 6201);
    assert!(!m.notrack && m.ct_zone == Some(ctrack_core::Zone::both(5)));
    // An untracked packet gets the template after all.
    let m = go(&mut r, 6202);
    assert!(!m.notrack && m.ct_zone == Some(ctrack_core::Zone::both(5)));
    let m = go(&mut r, 6300);
    assert!(m.notrack && m.nfmark == 9 && !m.ctmark_changed);
    let m = go(&mut r, 6301);
    assert_eq!((m.ct_zone, m.nfmark), (Some(ctrack_core::Zone::both(7)), 8));
    let m = go(&mut r, 6302);
    assert_eq!(m.nfmark, 4);
}

#[test]
fn notrack_after_conntrack_does_nothing() {
    let mut r = rs(
        "table ip t {\n\tchain c {\n\t\ttype filter hook forward priority 0;\n\t\tnotrack\n\t\tct zone set 3\n\t}\n}\n",
    );
    let id = chain(&r, "ip t c");
    let p = ipv4(17, A, B, &udp(1, 53));
    let mut meta = Meta::default();
    r.run(&id, &v4(&p), &new_ct(), &mut meta);
    assert!(!meta.notrack && meta.ct_zone.is_none());
}

#[test]
fn ct_helper_set_needs_an_unconfirmed_entry_of_its_protocol() {
    let text = "table inet fw {
	ct helper ftp-std {
		type \"ftp\" protocol tcp
	}

	ct helper irc-std {
		type \"irc\" protocol tcp
	}

	chain pre {
		type filter hook prerouting priority filter; policy accept;
		tcp dport 21 ct helper set \"ftp-std\"
		tcp dport 6667 ct helper set \"irc-std\"
	}

	chain raw {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 21 ct helper set \"ftp-std\"
	}
}
";
    let mut r = rs(text);
    let pre = chain(&r, "inet fw pre");
    let raw = chain(&r, "inet fw raw");
    let p = ipv4(6, A, B, &tcp(1, 21, SYN));
    let mut info = v4(&p);
    info.hook = Hook::Prerouting;
    let mut meta = Meta::default();
    r.run(&pre, &info, &new_ct(), &mut meta);
    assert_eq!(meta.ct_helper.as_deref(), Some("ftp"));
    // Confirmed: too late.
    let mut meta = Meta::default();
    r.run(&pre, &info, &est_reply(), &mut meta);
    assert_eq!(meta.ct_helper, None);
    // Before conntrack there is no entry to attach it to.
    let mut meta = Meta::default();
    r.run(&raw, &info, &invalid(), &mut meta);
    assert_eq!(meta.ct_helper, None);
    // A UDP entry does not get a TCP helper.
    let mut udp_ct = new_ct();
    if let Some(t) = udp_ct.tuples.as_mut() {
        t[0].proto = 17;
    }
    let mut meta = Meta::default();
    r.run(&pre, &info, &udp_ct, &mut meta);
    assert_eq!(meta.ct_helper, None);
    // IRC exists for IPv4 only: the object says so and IPv6 gets nothing.
    assert!(
        r.listing().contains(
            "\tct helper irc-std {\n\t\ttype \"irc\" protocol tcp\n\t\tl3proto ip\n\t}\n"
        )
    );
    assert!(
        r.listing().contains(
            "\tct helper ftp-std {\n\t\ttype \"ftp\" protocol tcp\n\t\tl3proto inet\n\t}\n"
        )
    );
    let q = ipv6(6, A6, B6, &tcp(1, 6667, SYN));
    let mut info6 = v6(&q);
    info6.hook = Hook::Prerouting;
    let mut meta = Meta::default();
    r.run(&pre, &info6, &new_ct(), &mut meta);
    assert_eq!(meta.ct_helper, None);
}

// ---------------------------------------------------------------------------
// Base chains: family, hook, priority.

#[test]
fn base_chain_ids() {
    let r = rs("table ip a {
	chain c1 {
		type filter hook prerouting priority raw - 10;
	}
	chain c2 {
		type filter hook forward priority filter + 5; policy drop;
	}
	chain c3 {
		type filter hook postrouting priority srcnat;
	}
	chain c4 {
		type route hook output priority mangle;
	}
	chain r {
	}
}
table ip6 b {
	chain c {
		type filter hook input priority -450;
	}
}
table inet c {
	chain c {
		type filter hook prerouting priority dstnat + 1;
	}
}
");
    let ids: Vec<(ChainFamily, Hook, i32, String)> = r
        .base_chains()
        .into_iter()
        .map(|c| (c.family, c.hook, c.priority, c.key))
        .collect();
    assert_eq!(
        ids,
        vec![
            (
                ChainFamily::Ipv4,
                Hook::Prerouting,
                -310,
                "ip a c1".to_string()
            ),
            (ChainFamily::Ipv4, Hook::Forward, 5, "ip a c2".to_string()),
            (
                ChainFamily::Ipv4,
                Hook::Postrouting,
                100,
                "ip a c3".to_string()
            ),
            (ChainFamily::Ipv4, Hook::Output, -150, "ip a c4".to_string()),
            (ChainFamily::Ipv6, Hook::Input, -450, "ip6 b c".to_string()),
            (
                ChainFamily::Inet,
                Hook::Prerouting,
                -99,
                "inet c c".to_string()
            ),
        ]
    );
    let l = r.listing();
    assert!(l.contains("type filter hook prerouting priority raw - 10; policy accept;"));
    assert!(l.contains("type filter hook forward priority filter + 5; policy drop;"));
    assert!(l.contains("type filter hook prerouting priority dstnat + 1; policy accept;"));
    assert!(l.contains("type route hook output priority mangle; policy accept;"));
}

// ---------------------------------------------------------------------------
// Syntax details.

#[test]
fn syntax_nft_accepts() {
    // `table NAME` is an ip table; blocks merge; `;` and newlines separate;
    // comments; line continuation; `flush ruleset`.
    let r = rs(
        "table ip old {\n}\nflush ruleset\n# comment\ntable t { chain c { type filter hook input priority 0; policy drop; tcp dport 22 accept; }; }\ntable ip t {\n\tchain c {\n\t\ttcp dport \\\n 23 accept # trailing\n\t}\n\tchain d {\n\t\tcounter comment \"hi\"\n\t}\n}\n",
    );
    assert_eq!(
        r.listing_stateless(),
        "table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 22 accept\n\t\ttcp dport 23 accept\n\t}\n\n\tchain d {\n\t\tcounter comment \"hi\"\n\t}\n}\n"
    );
}

#[test]
fn listing_round_trips() {
    let text = "table inet fw {
	ct helper ftp-std {
		type \"ftp\" protocol tcp
	}
	set lan {
		type ipv4_addr
		flags interval
		elements = { 192.168.0.0/16, 10.0.0.0/8, 172.16.0.1-172.16.0.9 }
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related counter accept
		ct state invalid counter drop
		iifname \"lan*\" ip saddr @lan tcp dport { 22, 80, 443 } ct state new counter accept
		tcp flags & (fin|syn|rst|ack) != syn ct state new drop
		meta l4proto { icmp, ipv6-icmp } accept
		ip6 saddr fe80::/10 udp dport 546 accept
		tcp dport 21 ct helper set \"ftp-std\"
		meta mark set ct mark and 0xff
		reject with icmpx type admin-prohibited
	}
}
";
    let r = rs(text);
    let once = r.listing();
    let again = rs(&once).listing();
    assert_eq!(once, again);
}

#[test]
fn a_later_elements_line_replaces_the_earlier_one() {
    // nft 1.0.6 keeps only the last `elements =` of a declaration.
    let r = Ruleset::parse(
        "table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\t\
         elements = { 10.0.0.0/8 }\n\t\telements = { 192.168.0.0/16 }\n\t}\n}\n",
        "f",
    )
    .unwrap();
    assert_eq!(
        r.listing(),
        "table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\t\
         elements = { 192.168.0.0/16 }\n\t}\n}\n"
    );
    // Overlap is judged within the last line only (nft accepts this).
    Ruleset::parse(
        "table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\t\
         elements = { 10.0.0.0/8 }\n\t\telements = { 10.2.0.0/16 }\n\t}\n}\n",
        "f",
    )
    .unwrap();
}

#[test]
fn adjacent_intervals_of_a_vmap_are_not_in_conflict() {
    for (port, number) in [(20, Some(1)), (21, Some(1)), (31, None)] {
        let p = ipv4(6, [10, 0, 0, 1], [10, 0, 0, 2], &tcp(1000, port, 0x02));
        let r = verdict(
            "inet",
            "\t\ttcp dport vmap { 10-20 : accept, 21-30 : drop }",
            &v4(&p),
            &new_ct(),
        );
        let dropped = matches!(r, ChainResult::Drop { .. });
        assert_eq!(
            (dropped, rule_number(&r)),
            (port == 21, number),
            "port {port}"
        );
    }
}

#[test]
fn a_map_declared_twice_holds_both_declarations_elements() {
    // Listing as nft 1.0.6 printed it for the same file.
    let text = "table ip t {\n\tmap m {\n\t\ttype inet_service : verdict\n\t\telements = { 22 : accept }\n\t}\n\
                \tchain c {\n\t\ttype filter hook input priority 0;\n\t\ttcp dport vmap @m\n\t}\n\
                \tmap m {\n\t\ttype inet_service : verdict\n\t\telements = { 80 : drop, 23 : jump c2 }\n\t}\n\
                \tchain c2 {\n\t}\n}\n";
    let r = rs(text);
    assert_eq!(
        r.listing(),
        "table ip t {\n\tmap m {\n\t\ttype inet_service : verdict\n\t\t\
         elements = { 22 : accept, 23 : jump c2, 80 : drop }\n\t}\n\n\
         \tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n\t\t\
         tcp dport vmap @m\n\t}\n\n\tchain c2 {\n\t}\n}\n"
    );
}
