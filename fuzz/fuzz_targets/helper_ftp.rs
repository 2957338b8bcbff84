//! Arbitrary bytes as FTP control traffic (both directions, IPv4 or IPv6)
//! on an established connection that has the `ftp` helper, through the
//! public API. Nothing may panic; at most one expectation may be pending
//! (max_expected 1); a dropped segment is retransmitted as the sender
//! would, so later segments keep their sequence.
//!
//! Byte 0: bit 0 IPv6, bit 1 loose; byte 1: segment size (0: one segment);
//! each segment's direction comes from the low bit of its first byte.

#![no_main]

use ctrack_core::helper::HelperRule;
use ctrack_core::wire::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, Options, Sysctls, Timestamp};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

const TCP: u8 = 6;

fn addrs(v6: bool, client: bool) -> (Vec<u8>, Vec<u8>) {
    let (a, b): (Vec<u8>, Vec<u8>) = if v6 {
        (
            [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1].to_vec(),
            [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2].to_vec(),
        )
    } else {
        (vec![192, 0, 2, 1], vec![198, 51, 100, 2])
    };
    if client { (a, b) } else { (b, a) }
}

fn segment(v6: bool, client: bool, flags: u8, seq: u32, ack: u32, payload: &[u8]) -> Vec<u8> {
    let (s, d) = addrs(v6, client);
    let (sp, dp) = if client { (40021u16, 21u16) } else { (21, 40021) };
    let mut l4 = vec![0u8; 20];
    l4[0..2].copy_from_slice(&sp.to_be_bytes());
    l4[2..4].copy_from_slice(&dp.to_be_bytes());
    l4[4..8].copy_from_slice(&seq.to_be_bytes());
    l4[8..12].copy_from_slice(&ack.to_be_bytes());
    l4[12] = 5 << 4;
    l4[13] = flags;
    l4[14..16].copy_from_slice(&65535u16.to_be_bytes());
    l4.extend_from_slice(payload);
    if v6 {
        let mut p = vec![0x60, 0, 0, 0];
        p.extend_from_slice(&(l4.len() as u16).to_be_bytes());
        p.extend_from_slice(&[TCP, 64]);
        p.extend_from_slice(&s);
        p.extend_from_slice(&d);
        p.extend_from_slice(&l4);
        p
    } else {
        let mut p = vec![0u8; 20];
        p[0] = 0x45;
        p[2..4].copy_from_slice(&((20 + l4.len()) as u16).to_be_bytes());
        p[8] = 64;
        p[9] = TCP;
        p[12..16].copy_from_slice(&s);
        p[16..20].copy_from_slice(&d);
        let c = checksum::checksum(&p);
        p[10..12].copy_from_slice(&c.to_be_bytes());
        p.extend_from_slice(&l4);
        p
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (v6, loose) = (data[0] & 1 != 0, data[0] & 2 != 0);
    let payload = &data[2..data.len().min(60_000)];
    let sysctl = Sysctls {
        checksum: 0,
        ftp_loose: u32::from(loose),
        ..Sysctls::default()
    };
    let mut ct = Conntrack::new(sysctl, Options::default());
    ct.set_helper_rules(vec![HelperRule::new("ftp", None, TCP, 21).unwrap()]);
    let net = if v6 { Network::Ipv6 } else { Network::Ipv4 };
    let mut now = Timestamp::from_secs(1000);
    let mut send = |ct: &mut Conntrack, p: &[u8]| {
        now = now + Duration::from_millis(1);
        ct.process(now, net, p, p.len())
    };
    let (mut cseq, mut sseq) = (1000u32, 9000u32);
    send(&mut ct, &segment(v6, true, 0x02, cseq - 1, 0, b""));
    send(&mut ct, &segment(v6, false, 0x12, sseq - 1, cseq, b""));
    send(&mut ct, &segment(v6, true, 0x10, cseq, sseq, b""));
    // The first segment of each direction is never parsed.
    for (client, line) in [(false, &b"220 ready\r\n"[..]), (true, &b"USER a\r\n"[..])] {
        let (seq, ack) = if client { (cseq, sseq) } else { (sseq, cseq) };
        send(&mut ct, &segment(v6, client, 0x18, seq, ack, line));
        if client {
            cseq += line.len() as u32;
        } else {
            sseq += line.len() as u32;
        }
    }
    let step = match data[1] {
        0 => payload.len().max(1),
        n => usize::from(n),
    };
    for chunk in payload.chunks(step) {
        let client = chunk[0] & 1 == 0;
        let (seq, ack) = if client { (cseq, sseq) } else { (sseq, cseq) };
        let v = send(&mut ct, &segment(v6, client, 0x18, seq, ack, chunk));
        assert!(v.ctstate.is_some());
        if client {
            cseq = cseq.wrapping_add(chunk.len() as u32);
        } else {
            sseq = sseq.wrapping_add(chunk.len() as u32);
        }
        assert!(ct.expectations().count() <= 1, "ftp allows one expectation");
    }
});
