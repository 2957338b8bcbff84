//! Arbitrary bytes as the payload of an IRC client -> server segment on an
//! established connection that has the `irc` helper, through the public
//! API. Nothing may panic, and at most `max_dcc_channels` expectations may
//! be pending for the connection.
//!
//! The first byte chooses how the rest is cut into consecutive segments
//! (0: one segment), so commands split over segments and several DCCs per
//! connection are reached too.

#![no_main]

use ctrack_core::helper::HelperRule;
use ctrack_core::wire::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, Options, Sysctls, Timestamp};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

const A: [u8; 4] = [192, 0, 2, 1];
const B: [u8; 4] = [198, 51, 100, 2];
const TCP: u8 = 6;

fn segment(from_a: bool, flags: u8, seq: u32, ack: u32, payload: &[u8]) -> Vec<u8> {
    let (s, d, sp, dp) = if from_a {
        (A, B, 40667u16, 6667u16)
    } else {
        (B, A, 6667, 40667)
    };
    let mut l4 = vec![0u8; 20];
    l4[0..2].copy_from_slice(&sp.to_be_bytes());
    l4[2..4].copy_from_slice(&dp.to_be_bytes());
    l4[4..8].copy_from_slice(&seq.to_be_bytes());
    l4[8..12].copy_from_slice(&ack.to_be_bytes());
    l4[12] = 5 << 4;
    l4[13] = flags;
    l4[14..16].copy_from_slice(&65535u16.to_be_bytes());
    l4.extend_from_slice(payload);
    let acc = checksum::pseudo_v4(s, d, TCP, l4.len() as u32);
    let c = checksum::fold(checksum::sum(acc, &l4));
    l4[16..18].copy_from_slice(&c.to_be_bytes());
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

fuzz_target!(|data: &[u8]| {
    let Some((&cut, payload)) = data.split_first() else {
        return;
    };
    // An IPv4 packet holds at most 65,535 bytes.
    let payload = &payload[..payload.len().min(65_535 - 40)];
    let mut ct = Conntrack::new(Sysctls::default(), Options::default());
    ct.set_helper_rules(vec![HelperRule::new("irc", None, TCP, 6667).unwrap()]);
    let mut now = Timestamp::from_secs(1000);
    let mut send = |ct: &mut Conntrack, p: &[u8]| {
        now = now + Duration::from_millis(1);
        ct.process(now, Network::Ipv4, p, p.len())
    };
    send(&mut ct, &segment(true, 0x02, 999, 0, b""));
    send(&mut ct, &segment(false, 0x12, 8999, 1000, b""));
    send(&mut ct, &segment(true, 0x10, 1000, 9000, b""));
    let mut seq = 1000u32;
    let step = if cut == 0 {
        payload.len().max(1)
    } else {
        usize::from(cut)
    };
    for chunk in payload.chunks(step) {
        let v = send(&mut ct, &segment(true, 0x18, seq, 9000, chunk));
        seq = seq.wrapping_add(chunk.len() as u32);
        assert!(v.ctstate.is_some());
    }
    assert!(ct.expectations().count() <= 8);
});
