//! An iptables ruleset on the tracker's hooks, through the pipeline: the
//! fixture's stateful forward firewall on a TCP handshake.

use ctrack_core::tuple::Family;
use ctrack_core::wire::checksum::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, CtState, Options, Sysctls, Timestamp};
use ctrack_rules::Pipeline;
use ctrack_rules::iptables::Ruleset;

fn tcp(sport: u16, dport: u16, flags: u8, seq: u32, ack: u32, rev: bool) -> Vec<u8> {
    let (a, b) = if rev {
        ([198, 51, 100, 2], [192, 0, 2, 1])
    } else {
        ([192, 0, 2, 1], [198, 51, 100, 2])
    };
    let mut p = vec![0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0];
    p.extend_from_slice(&a);
    p.extend_from_slice(&b);
    let c = checksum(&p);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(&sport.to_be_bytes());
    p.extend_from_slice(&dport.to_be_bytes());
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&ack.to_be_bytes());
    p.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    p
}

#[test]
fn stateful_firewall_on_the_hooks() {
    let rules = include_str!("data/iptables/fixtures/stateful-conntrack-http/rules.v4");
    let mut pipe = Pipeline::new();
    pipe.add(Box::new(
        Ruleset::parse(rules, "rules.v4", Family::Ipv4).unwrap(),
    ));
    let sysctl = Sysctls {
        checksum: 0,
        ..Sysctls::default()
    };
    let mut ct = Conntrack::new(sysctl, Options::default());
    let t = Timestamp::from_secs(1);
    // A SYN to port 22: NEW, dropped by the FORWARD policy, no entry.
    let syn22 = tcp(40000, 22, 0x02, 1000, 0, false);
    let v = ct.process_hooked(t, Network::Ipv4, &syn22, syn22.len(), &mut pipe);
    assert_eq!(v.ctstate, Some(CtState::New));
    assert_eq!(v.dropped_by.as_deref(), Some("filter FORWARD policy DROP"));
    assert!(ct.entries(t).is_empty());
    // A handshake to port 80: NEW accepted by rule 3, the reply by rule 1.
    let syn = tcp(40001, 80, 0x02, 1000, 0, false);
    let v = ct.process_hooked(t, Network::Ipv4, &syn, syn.len(), &mut pipe);
    assert_eq!((v.ctstate, v.dropped_by), (Some(CtState::New), None));
    let synack = tcp(80, 40001, 0x12, 5000, 1001, true);
    let v = ct.process_hooked(t, Network::Ipv4, &synack, synack.len(), &mut pipe);
    assert_eq!(
        (v.ctstate, v.dropped_by),
        (Some(CtState::Established), None)
    );
    let report = pipe.sources()[0].counters_report();
    assert!(
        report.contains("Chain FORWARD (policy DROP 1 packets, 40 bytes)"),
        "{report}"
    );
    assert!(report.contains("\n1           1       40 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate RELATED,ESTABLISHED\n"), "{report}");
    assert!(report.contains("\n3           1       40 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:80 ctstate NEW\n"), "{report}");
}
