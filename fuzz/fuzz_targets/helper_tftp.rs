//! Arbitrary datagrams to and from a TFTP server (udp/69) whose connection
//! has the `tftp` helper, through the public API. Nothing may panic; at
//! most one expectation may be pending (max_expected 1).
//!
//! Byte 0: datagram size (0: one datagram); each datagram's direction comes
//! from the low bit of its first byte.

#![no_main]

use ctrack_core::helper::HelperRule;
use ctrack_core::wire::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, Options, Sysctls, Timestamp};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fn datagram(client: bool, payload: &[u8]) -> Vec<u8> {
    let (s, d, sp, dp) = if client {
        ([192, 0, 2, 1], [198, 51, 100, 2], 40069u16, 69u16)
    } else {
        ([198, 51, 100, 2], [192, 0, 2, 1], 69, 40069)
    };
    let mut p = vec![0u8; 28];
    p[0] = 0x45;
    p[2..4].copy_from_slice(&((28 + payload.len()) as u16).to_be_bytes());
    p[8] = 64;
    p[9] = 17;
    p[12..16].copy_from_slice(&s);
    p[16..20].copy_from_slice(&d);
    let c = checksum::checksum(&p[..20]);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p[20..22].copy_from_slice(&sp.to_be_bytes());
    p[22..24].copy_from_slice(&dp.to_be_bytes());
    p[24..26].copy_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    p.extend_from_slice(payload);
    p
}

fuzz_target!(|data: &[u8]| {
    let Some((&size, payload)) = data.split_first() else {
        return;
    };
    let payload = &payload[..payload.len().min(60_000)];
    let sysctl = Sysctls {
        checksum: 0,
        ..Sysctls::default()
    };
    let mut ct = Conntrack::new(sysctl, Options::default());
    ct.set_helper_rules(vec![HelperRule::new("tftp", None, 17, 69).unwrap()]);
    let mut now = Timestamp::from_secs(1000);
    let step = if size == 0 {
        payload.len().max(1)
    } else {
        usize::from(size)
    };
    for chunk in payload.chunks(step) {
        now = now + Duration::from_millis(1);
        let p = datagram(chunk[0] & 1 == 0, chunk);
        let v = ct.process(now, Network::Ipv4, &p, p.len());
        assert!(v.ctstate.is_some());
        assert!(ct.expectations().count() <= 1, "tftp allows one expectation");
    }
});
