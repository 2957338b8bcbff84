//! Arbitrary bytes as PPTP control payloads, both ways, on two established
//! control connections that have the `pptp` helper, mixed with GRE v1
//! packets (which the keymap keys), ICMP errors quoting them, the passing
//! of time and resets, through the public API. Nothing may panic; the helper
//! never drops a packet; each control connection holds at most two
//! expectations (`max_expected`) and two keymap entries; once the control
//! connections are gone so are the expectations and the keymap.
//!
//! The input is a list of records, each `op` then its bytes:
//! - `op & 3`: 0 control from the PNS, 1 control from the PAC, 2 GRE from
//!   the PNS, 3 GRE from the PAC;
//! - `op & 4`: on the second control connection (its own PNS port);
//! - control: `len` (one byte) then `len` bytes; with `op & 8` they are
//!   wrapped in a valid packet header and control header (the first byte
//!   is the message type, modulo 17), so the state machine is reached
//!   quickly; without it they are the raw TCP payload;
//! - GRE: two bytes of call id; `op & 8` makes it GRE version 0;
//! - `op & 16`: an ICMP error quoting the record's packet is sent after it;
//! - `op & 32`: 31 seconds pass first (GRE entries and expectations age);
//! - `op & 64`: the control connection is reset afterwards (its entry then
//!   lives 10 s more).

#![no_main]

use ctrack_core::helper::HelperRule;
use ctrack_core::reason::Reason;
use ctrack_core::wire::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, Options, Sysctls, Timestamp, Verdict};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

const PNS: [u8; 4] = [192, 0, 2, 1];
const PAC: [u8; 4] = [198, 51, 100, 2];
const ROUTER: [u8; 4] = [203, 0, 113, 9];
const TCP: u8 = 6;
const GRE: u8 = 47;
const PORTS: [u16; 2] = [40723, 40724];

fn ipv4(src: [u8; 4], dst: [u8; 4], proto: u8, l4: &[u8]) -> Vec<u8> {
    let mut p = vec![0u8; 20];
    p[0] = 0x45;
    p[2..4].copy_from_slice(&((20 + l4.len()) as u16).to_be_bytes());
    p[8] = 64;
    p[9] = proto;
    p[12..16].copy_from_slice(&src);
    p[16..20].copy_from_slice(&dst);
    let c = checksum::checksum(&p);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(l4);
    p
}

/// A TCP segment (layer-4 checksums are off).
fn segment(conn: usize, from_pns: bool, flags: u8, seq: u32, ack: u32, payload: &[u8]) -> Vec<u8> {
    let (s, d, sp, dp) = if from_pns {
        (PNS, PAC, PORTS[conn], 1723)
    } else {
        (PAC, PNS, 1723, PORTS[conn])
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
    ipv4(s, d, TCP, &l4)
}

fn gre(from_pns: bool, v0: bool, call_id: [u8; 2]) -> Vec<u8> {
    let (s, d) = if from_pns { (PNS, PAC) } else { (PAC, PNS) };
    let ver = if v0 { 0 } else { 1 };
    let mut l4 = vec![
        0x30, ver, 0x88, 0x0b, 0, 4, call_id[0], call_id[1], 0, 0, 0, 1,
    ];
    l4.extend_from_slice(&[0xff, 0x03, 0xc0, 0x21]);
    ipv4(s, d, GRE, &l4)
}

/// ICMP host unreachable to the quoted packet's sender.
fn icmp_error(quoted: &[u8]) -> Vec<u8> {
    let mut l4 = vec![3, 1, 0, 0, 0, 0, 0, 0];
    l4.extend_from_slice(&quoted[..quoted.len().min(28)]);
    let c = checksum::checksum(&l4);
    l4[2..4].copy_from_slice(&c.to_be_bytes());
    ipv4(
        ROUTER,
        [quoted[12], quoted[13], quoted[14], quoted[15]],
        1,
        &l4,
    )
}

struct Net {
    ct: Conntrack,
    now: Timestamp,
    /// Next sequence number of PNS and PAC, per control connection.
    seq: [[u32; 2]; 2],
}

impl Net {
    fn send(&mut self, p: &[u8]) -> Verdict {
        self.now = self.now + Duration::from_millis(1);
        let v = self.ct.process(self.now, Network::Ipv4, p, p.len());
        assert!(
            !matches!(v.reason, Some(Reason::HelperDrop { .. })),
            "the PPTP helper never drops: {v:?}"
        );
        v
    }

    fn open(&mut self, conn: usize) {
        let [a, b] = [1000 + 100_000 * conn as u32, 9000];
        self.send(&segment(conn, true, 0x02, a - 1, 0, b""));
        self.send(&segment(conn, false, 0x12, b - 1, a, b""));
        self.send(&segment(conn, true, 0x10, a, b, b""));
        self.seq[conn] = [a, b];
    }

    fn control(&mut self, conn: usize, from_pns: bool, payload: &[u8]) -> Vec<u8> {
        let (i, j) = if from_pns { (0, 1) } else { (1, 0) };
        let s = self.seq[conn];
        let p = segment(conn, from_pns, 0x18, s[i], s[j], payload);
        self.seq[conn][i] = s[i].wrapping_add(payload.len() as u32);
        self.send(&p);
        p
    }

    fn check(&self) {
        let n = self.ct.entries(self.now).len();
        assert!(
            self.ct.expectations().count() <= 4,
            "max_expected 2 per master"
        );
        assert!(
            self.ct.gre_keymap().len() <= 4,
            "two keymap slots per master"
        );
        assert!(n <= 1_000, "{n} entries");
    }
}

fuzz_target!(|data: &[u8]| {
    let mut s = Sysctls::default();
    s.set("nf_conntrack_checksum", "0").unwrap();
    s.set("nf_conntrack_tcp_be_liberal", "1").unwrap();
    let mut net = Net {
        ct: Conntrack::new(s, Options::default()),
        now: Timestamp::from_secs(1000),
        seq: [[0; 2]; 2],
    };
    net.ct
        .set_helper_rules(vec![HelperRule::new("pptp", None, TCP, 1723).unwrap()]);
    net.open(0);
    net.open(1);
    let mut rest = data;
    let mut records = 0;
    while let Some((&op, r)) = rest.split_first() {
        rest = r;
        records += 1;
        if records > 256 {
            break;
        }
        let conn = usize::from(op & 4 != 0);
        if op & 32 != 0 {
            net.now = net.now + Duration::from_secs(31);
        }
        let sent = match op & 3 {
            kind @ (0 | 1) => {
                let Some((&len, r)) = rest.split_first() else {
                    break;
                };
                let take = usize::from(len).min(r.len());
                let (body, r) = r.split_at(take);
                rest = r;
                let payload = if op & 8 != 0 {
                    let (kind, body) = body.split_first().map_or((0, &[][..]), |(k, b)| (*k, b));
                    let mut m = Vec::with_capacity(12 + body.len());
                    m.extend_from_slice(&((12 + body.len()) as u16).to_be_bytes());
                    m.extend_from_slice(&[0, 1, 0x1a, 0x2b, 0x3c, 0x4d, 0, kind % 17, 0, 0]);
                    m.extend_from_slice(body);
                    m
                } else {
                    body.to_vec()
                };
                net.control(conn, kind == 0, &payload)
            }
            kind => {
                let (id, r) = if rest.len() >= 2 {
                    rest.split_at(2)
                } else {
                    (&[0u8, 0][..], &[][..])
                };
                rest = r;
                let p = gre(kind == 2, op & 8 != 0, [id[0], id[1]]);
                net.send(&p);
                p
            }
        };
        if op & 16 != 0 {
            net.send(&icmp_error(&sent));
        }
        if op & 64 != 0 {
            let [a, b] = net.seq[conn];
            net.send(&segment(conn, true, 0x14, a, b, b""));
        }
        net.check();
    }
    // Long after: every entry has timed out, and with the control
    // connections their expectations and keymap entries are gone.
    net.now = net.now + Duration::from_secs(10 * 86_400);
    net.ct.expire(net.now);
    assert!(net.ct.entries(net.now).is_empty());
    assert!(net.ct.expectations().is_empty());
    assert!(net.ct.gre_keymap().is_empty());
});
