//! A ruleset on the established path does not allocate either: the
//! classic stateful firewall, as iptables and as nft, accepting
//! ESTABLISHED packets through its first rule. A counting allocator
//! watches this thread.

use ctrack_core::tuple::Family;
use ctrack_core::wire::checksum::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, CtState, Options, Sysctls, Timestamp};
use ctrack_rules::Pipeline;
use std::time::Duration;

#[path = "../../core/tests/support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{Counting, allocs};

#[global_allocator]
static A: Counting = Counting;

fn tcp(rev: bool, flags: u8, seq: u32, ack: u32, payload: usize) -> Vec<u8> {
    let (a, b, sp, dp) = if rev {
        ([198, 51, 100, 2], [192, 0, 2, 1], 80u16, 40001u16)
    } else {
        ([192, 0, 2, 1], [198, 51, 100, 2], 40001, 80)
    };
    let len = (40 + payload) as u16;
    let mut p = vec![0x45, 0];
    p.extend_from_slice(&len.to_be_bytes());
    p.extend_from_slice(&[0, 1, 0x40, 0, 64, 6, 0, 0]);
    p.extend_from_slice(&a);
    p.extend_from_slice(&b);
    let c = checksum(&p);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(&sp.to_be_bytes());
    p.extend_from_slice(&dp.to_be_bytes());
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&ack.to_be_bytes());
    p.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    p.resize(40 + payload, 0x61);
    p
}

/// Handshake, then 1,000 data segments: the allocations those make.
fn established_allocs(mut pipe: Pipeline) -> u64 {
    let mut ct = Conntrack::new(
        Sysctls {
            checksum: 0,
            ..Sysctls::default()
        },
        Options::default(),
    );
    let mut t = Timestamp::from_secs(1);
    let mut send = |ct: &mut Conntrack, pipe: &mut Pipeline, p: &[u8]| {
        t = t + Duration::from_millis(1);
        let v = ct.process_hooked(t, Network::Ipv4, p, p.len(), pipe);
        (v.ctstate, v.dropped_by.is_some())
    };
    let (c0, s0) = (1000u32, 5000u32);
    send(&mut ct, &mut pipe, &tcp(false, 0x02, c0, 0, 0));
    send(&mut ct, &mut pipe, &tcp(true, 0x12, s0, c0 + 1, 0));
    send(&mut ct, &mut pipe, &tcp(false, 0x10, c0 + 1, s0 + 1, 0));
    let (mut cs, mut ss) = (c0 + 1, s0 + 1);
    let mut watched = Vec::new();
    for _ in 0..500 {
        watched.push(tcp(false, 0x18, cs, ss, 100));
        cs += 100;
        watched.push(tcp(true, 0x18, ss, cs, 200));
        ss += 200;
    }
    let mut seen = Vec::with_capacity(watched.len());
    let before = allocs();
    for p in &watched {
        seen.push(send(&mut ct, &mut pipe, p));
    }
    let during = allocs() - before;
    assert!(
        seen.iter()
            .all(|s| *s == (Some(CtState::Established), false)),
        "every watched packet is ESTABLISHED and accepted"
    );
    during
}

#[test]
fn iptables_on_the_established_path_does_not_allocate() {
    let rules = include_str!("data/iptables/fixtures/stateful-conntrack-http/rules.v4");
    let mut pipe = Pipeline::new();
    pipe.add(Box::new(
        ctrack_rules::iptables::Ruleset::parse(rules, "rules.v4", Family::Ipv4).unwrap(),
    ));
    assert_eq!(established_allocs(pipe), 0);
}

#[test]
fn nft_on_the_established_path_does_not_allocate() {
    let rules = include_str!("data/nft/fixtures/nft-stateful-http/rules.nft");
    let mut pipe = Pipeline::new();
    pipe.add(Box::new(
        ctrack_rules::nft::Ruleset::parse(rules, "rules.nft").unwrap(),
    ));
    assert_eq!(established_allocs(pipe), 0);
}

/// Established packets that are accepted inside a user chain: the jump
/// and the return stack must not allocate either.
#[test]
fn jumps_on_the_established_path_do_not_allocate() {
    let v4 = "*filter\n:FORWARD DROP [0:0]\n:CHECK - [0:0]\n:STATE - [0:0]\n\
              -A FORWARD -p tcp -j CHECK\n\
              -A CHECK -j STATE\n\
              -A CHECK -p tcp -m tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT\n\
              -A STATE -m conntrack --ctstate ESTABLISHED -j ACCEPT\n\
              COMMIT\n";
    let mut pipe = Pipeline::new();
    pipe.add(Box::new(
        ctrack_rules::iptables::Ruleset::parse(v4, "jumps.v4", Family::Ipv4).unwrap(),
    ));
    assert_eq!(established_allocs(pipe), 0, "iptables");
    let nft = "table inet fw {\n\
               chain state {\nct state established accept\n}\n\
               chain check {\njump state\ntcp dport 80 ct state new accept\n}\n\
               chain forward {\ntype filter hook forward priority filter; policy drop;\n\
               meta l4proto tcp jump check\n}\n}\n";
    let mut pipe = Pipeline::new();
    pipe.add(Box::new(
        ctrack_rules::nft::Ruleset::parse(nft, "jumps.nft").unwrap(),
    ));
    assert_eq!(established_allocs(pipe), 0, "nft");
}
