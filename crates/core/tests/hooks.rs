//! A packet filter around the tracker: what conntrack does when rules drop,
//! NOTRACK or give a helper, as the kernel does.

use ctrack_core::hooks::{CtSnapshot, HookPacket, Hooks, Post, Pre};
use ctrack_core::wire::checksum::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, CtState, Options, Reason, Sysctls, Timestamp};
use std::time::Duration;

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
    let mut t = Vec::new();
    t.extend_from_slice(&sport.to_be_bytes());
    t.extend_from_slice(&dport.to_be_bytes());
    t.extend_from_slice(&seq.to_be_bytes());
    t.extend_from_slice(&ack.to_be_bytes());
    t.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    p.extend_from_slice(&t);
    p
}

/// Drops the first `n` packets after conntrack; NOTRACKs port 9; gives
/// port 21 the FTP helper by template.
struct Rules {
    drops_left: usize,
    seen: Vec<CtState>,
}

impl Hooks for Rules {
    fn before_conntrack(&mut self, p: &HookPacket<'_>) -> Pre {
        let (off, _) = p.l4.unwrap();
        let dport = u16::from_be_bytes([p.pkt[off + 2], p.pkt[off + 3]]);
        match dport {
            9 => Pre::NoTrack,
            21 => Pre::Template {
                helper: ctrack_core::helper::by_name("ftp"),
                zone: None,
            },
            _ => Pre::Continue,
        }
    }

    fn after_conntrack(&mut self, _: &HookPacket<'_>, ct: &CtSnapshot) -> Post {
        self.seen.push(ct.state);
        if self.drops_left > 0 {
            self.drops_left -= 1;
            return Post::Drop("filter FORWARD rule 1".into());
        }
        Post::Accept {
            ctmark: None,
            helper: None,
        }
    }
}

#[test]
fn a_new_packet_dropped_after_conntrack_leaves_no_entry() {
    let sysctl = Sysctls {
        checksum: 0,
        ..Default::default()
    };
    let mut ct = Conntrack::new(sysctl, Options::default());
    let mut rules = Rules {
        drops_left: 2,
        seen: Vec::new(),
    };
    let t0 = Timestamp::from_secs(10);
    let syn = tcp(40000, 80, 0x02, 1000, 0, false);
    for k in 0..3 {
        let now = t0 + Duration::from_secs(k);
        let v = ct.process_hooked(now, Network::Ipv4, &syn, syn.len(), &mut rules);
        assert_eq!(
            v.ctstate,
            Some(CtState::New),
            "retransmission {k} is NEW again"
        );
        if k < 2 {
            assert_eq!(v.dropped_by.as_deref(), Some("filter FORWARD rule 1"));
            assert!(ct.entries(now).is_empty(), "no entry after a dropped NEW");
            assert_eq!(v.entry, None);
        } else {
            assert_eq!(v.dropped_by, None);
            assert_eq!(ct.entries(now).len(), 1);
        }
    }
    assert_eq!(rules.seen, vec![CtState::New; 3]);

    // NOTRACK: UNTRACKED, no entry, the filter still sees it.
    let p = tcp(40001, 9, 0x02, 1, 0, false);
    let v = ct.process_hooked(t0, Network::Ipv4, &p, p.len(), &mut rules);
    assert_eq!(v.ctstate, Some(CtState::Untracked));
    assert_eq!(v.reason, Some(Reason::NoTrack));
    assert_eq!(rules.seen.last(), Some(&CtState::Untracked));

    // -j CT --helper ftp on port 21: the entry has the helper.
    let p = tcp(40002, 21, 0x02, 1, 0, false);
    let v = ct.process_hooked(t0, Network::Ipv4, &p, p.len(), &mut rules);
    assert_eq!(v.helper, Some("ftp"));
}

#[test]
fn invalid_packets_still_meet_the_filter() {
    let sysctl = Sysctls {
        checksum: 0,
        ..Default::default()
    };
    let mut ct = Conntrack::new(sysctl, Options::default());
    let mut rules = Rules {
        drops_left: 1,
        seen: Vec::new(),
    };
    // A SYN/ACK with no connection: INVALID; the filter drops it.
    let p = tcp(80, 40000, 0x12, 5, 6, true);
    let v = ct.process_hooked(
        Timestamp::from_secs(1),
        Network::Ipv4,
        &p,
        p.len(),
        &mut rules,
    );
    assert_eq!(v.ctstate, Some(CtState::Invalid));
    assert!(v.dropped_by.is_some());
    assert_eq!(rules.seen, vec![CtState::Invalid]);
}
