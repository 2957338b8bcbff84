//! Arbitrary bytes as SIP datagrams on a udp/5060 flow with the `sip`
//! helper, in both directions, through the public API. Nothing may panic,
//! no packet may go without a verdict, and no entry may have more
//! expectations pending than its class allows (signalling 1, audio 4,
//! video 4, image 2).
//!
//! The first byte chooses the family (bit 0: IPv6), turns
//! `sip_direct_media` (bit 1) and `sip_direct_signalling` (bit 2) off, and
//! says which messages go from the server back to the client (bits 3-7,
//! then alternating). The rest is cut into messages at each "\0\xff".
//! After each message, a datagram is sent to what every pending expectation
//! (up to four) waits for, carrying the next message, so expected media and
//! expected signalling connections (which get the sip helper themselves)
//! are reached too.

#![no_main]

use ctrack_core::helper::HelperRule;
use ctrack_core::tuple::Addr;
use ctrack_core::wire::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, Family, Options, Sysctls, Timestamp};
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;
use std::time::Duration;

const UDP: u8 = 17;
const A4: [u8; 4] = [192, 0, 2, 1];
const B4: [u8; 4] = [198, 51, 100, 2];
const A6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const B6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

fn udp(family: Family, s: [u8; 16], d: [u8; 16], sp: u16, dp: u16, payload: &[u8]) -> Vec<u8> {
    let mut l4 = vec![0u8; 8];
    l4[0..2].copy_from_slice(&sp.to_be_bytes());
    l4[2..4].copy_from_slice(&dp.to_be_bytes());
    l4[4..6].copy_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    l4.extend_from_slice(payload);
    let acc = match family {
        Family::Ipv4 => checksum::pseudo_v4(
            s[..4].try_into().unwrap(),
            d[..4].try_into().unwrap(),
            UDP,
            l4.len() as u32,
        ),
        Family::Ipv6 => checksum::pseudo_v6(s, d, UDP, l4.len() as u32),
    };
    let c = match checksum::fold(checksum::sum(acc, &l4)) {
        0 => 0xffff,
        c => c,
    };
    l4[6..8].copy_from_slice(&c.to_be_bytes());
    let mut p = match family {
        Family::Ipv4 => {
            let mut p = vec![0u8; 20];
            p[0] = 0x45;
            p[2..4].copy_from_slice(&((20 + l4.len()) as u16).to_be_bytes());
            p[8] = 64;
            p[9] = UDP;
            p[12..16].copy_from_slice(&s[..4]);
            p[16..20].copy_from_slice(&d[..4]);
            let c = checksum::checksum(&p);
            p[10..12].copy_from_slice(&c.to_be_bytes());
            p
        }
        Family::Ipv6 => {
            let mut p = vec![0u8; 40];
            p[0] = 0x60;
            p[4..6].copy_from_slice(&(l4.len() as u16).to_be_bytes());
            p[6] = UDP;
            p[7] = 64;
            p[8..24].copy_from_slice(&s);
            p[24..40].copy_from_slice(&d);
            p
        }
    };
    p.extend_from_slice(&l4);
    p
}

fn wide(a: [u8; 4]) -> [u8; 16] {
    let mut w = [0u8; 16];
    w[..4].copy_from_slice(&a);
    w
}

fn split<'a>(mut data: &'a [u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    while let Some(i) = data.windows(2).position(|w| w == b"\0\xff") {
        out.push(&data[..i]);
        data = &data[i + 2..];
    }
    out.push(data);
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else {
        return;
    };
    let family = if ctl & 1 != 0 {
        Family::Ipv6
    } else {
        Family::Ipv4
    };
    let (a, b) = match family {
        Family::Ipv4 => (wide(A4), wide(B4)),
        Family::Ipv6 => (A6, B6),
    };
    let net = match family {
        Family::Ipv4 => Network::Ipv4,
        Family::Ipv6 => Network::Ipv6,
    };
    let mut sysctl = Sysctls::default();
    sysctl.sip_direct_media = u32::from(ctl & 2 == 0);
    sysctl.sip_direct_signalling = u32::from(ctl & 4 == 0);
    let mut ct = Conntrack::new(sysctl, Options::default());
    ct.set_helper_rules(vec![HelperRule::new("sip", None, UDP, 5060).unwrap()]);
    let mut now = Timestamp::from_secs(1000);
    let mut send = |ct: &mut Conntrack, p: &[u8]| {
        now = now + Duration::from_millis(7);
        let v = ct.process(now, net, p, p.len());
        assert!(v.ctstate.is_some() || v.reason.is_some());
        v
    };
    // An IP packet holds at most 65,535 bytes.
    let msgs: Vec<&[u8]> = split(rest)
        .into_iter()
        .map(|m| &m[..m.len().min(65_535 - 48)])
        .take(16)
        .collect();
    for (k, m) in msgs.iter().enumerate() {
        let reply = if k < 5 {
            ctl >> (3 + k) & 1 != 0
        } else {
            k % 2 == 1
        };
        let p = if reply {
            udp(family, b, a, 5060, 5060, m)
        } else {
            udp(family, a, b, 5060, 5060, m)
        };
        send(&mut ct, &p);
        // What the pending expectations wait for, with the next message.
        let next = msgs.get(k + 1).copied().unwrap_or(b"");
        let targets: Vec<_> = ct
            .expectations()
            .iter()
            .filter(|e| e.spec.proto == UDP)
            .take(4)
            .map(|e| (e.spec.src.unwrap_or(Addr(a)), e.spec.dst, e.spec.dport))
            .collect();
        for (i, (src, dst, dport)) in targets.into_iter().enumerate() {
            let p = udp(family, src.0, dst.0, 20_000 + i as u16, dport, next);
            send(&mut ct, &p);
        }
        let mut per: HashMap<(u32, u8), u32> = HashMap::new();
        for e in ct.expectations().iter() {
            *per.entry((e.master_seq, e.spec.class)).or_default() += 1;
        }
        for ((_, class), n) in per {
            let max = [1, 4, 4, 2].get(usize::from(class)).copied().unwrap_or(0);
            assert!(n <= max, "class {class}: {n} pending");
        }
    }
});
