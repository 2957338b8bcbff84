//! The established path does not allocate: once a connection is in the
//! table, its packets are looked up, checked and counted without touching
//! the heap (issue 6's memory goal). A counting allocator watches this
//! thread while ESTABLISHED TCP, UDP and ICMP packets go through.

use ctrack_core::ctinfo::CtState;
use ctrack_core::time::Timestamp;
use ctrack_core::wire::checksum::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, Options, Sysctls};
use std::time::Duration;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{Counting, allocs};

#[global_allocator]
static A: Counting = Counting;

fn ipv4(proto: u8, src: [u8; 4], dst: [u8; 4], l4: &[u8]) -> Vec<u8> {
    let len = (20 + l4.len()) as u16;
    let mut p = vec![0x45, 0];
    p.extend_from_slice(&len.to_be_bytes());
    p.extend_from_slice(&[0, 0, 0x40, 0, 64, proto, 0, 0]);
    p.extend_from_slice(&src);
    p.extend_from_slice(&dst);
    let c = checksum(&p);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(l4);
    p
}

const A_: [u8; 4] = [10, 0, 0, 1];
const B_: [u8; 4] = [10, 0, 0, 2];

fn tcp(fwd: bool, flags: u8, seq: u32, ack: u32, payload: usize) -> Vec<u8> {
    let (s, d, sp, dp) = if fwd {
        (A_, B_, 40000u16, 80u16)
    } else {
        (B_, A_, 80, 40000)
    };
    let mut h = Vec::new();
    h.extend_from_slice(&sp.to_be_bytes());
    h.extend_from_slice(&dp.to_be_bytes());
    h.extend_from_slice(&seq.to_be_bytes());
    h.extend_from_slice(&ack.to_be_bytes());
    h.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    h.resize(20 + payload, 0x61);
    ipv4(6, s, d, &h)
}

fn udp(fwd: bool) -> Vec<u8> {
    let (s, d, sp, dp) = if fwd {
        (A_, B_, 5353u16, 53u16)
    } else {
        (B_, A_, 53, 5353)
    };
    let mut h = Vec::new();
    h.extend_from_slice(&sp.to_be_bytes());
    h.extend_from_slice(&dp.to_be_bytes());
    h.extend_from_slice(&[0, 16, 0, 0]);
    h.extend_from_slice(&[0; 8]);
    ipv4(17, s, d, &h)
}

fn icmp_echo(fwd: bool) -> Vec<u8> {
    let (s, d, kind) = if fwd { (A_, B_, 8) } else { (B_, A_, 0) };
    let mut h = vec![kind, 0, 0, 0, 0x12, 0x34, 0, 1];
    h.extend_from_slice(&[0; 8]);
    let c = checksum(&h);
    h[2..4].copy_from_slice(&c.to_be_bytes());
    ipv4(1, s, d, &h)
}

#[test]
fn established_packets_do_not_allocate() {
    let mut ct = Conntrack::new(
        Sysctls {
            checksum: 0,
            ..Sysctls::default()
        },
        Options::default(),
    );
    let mut t = Timestamp::from_secs(1);
    let mut send = |ct: &mut Conntrack, p: &[u8]| {
        t = t + Duration::from_millis(1);
        ct.process(t, Network::Ipv4, p, p.len())
    };
    // Handshake, then the packets to watch are built before watching.
    let (syn, ack, data) = (0x02, 0x10, 0x18);
    let (c0, s0) = (1000u32, 5000u32);
    send(&mut ct, &tcp(true, syn, c0, 0, 0));
    send(&mut ct, &tcp(false, syn | ack, s0, c0 + 1, 0));
    send(&mut ct, &tcp(true, ack, c0 + 1, s0 + 1, 0));
    send(&mut ct, &udp(true));
    send(&mut ct, &udp(false));
    send(&mut ct, &icmp_echo(true));
    let mut watched = Vec::new();
    let (mut cs, mut ss) = (c0 + 1, s0 + 1);
    for i in 0..500 {
        watched.push(tcp(true, data, cs, ss, 100));
        cs += 100;
        watched.push(tcp(false, data, ss, cs, 200));
        ss += 200;
        watched.push(udp(i % 2 == 0));
    }
    watched.push(icmp_echo(false));

    let mut states = Vec::with_capacity(watched.len());
    let before = allocs();
    for p in &watched {
        states.push(send(&mut ct, p).ctstate);
    }
    let during = allocs() - before;

    assert!(
        states.iter().all(|s| *s == Some(CtState::Established)),
        "every watched packet is ESTABLISHED: {:?}",
        states.iter().find(|s| **s != Some(CtState::Established))
    );
    assert_eq!(during, 0, "allocations on the established path");
}
