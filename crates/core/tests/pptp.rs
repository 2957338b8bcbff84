//! The PPTP helper through the public API: a control connection on TCP 1723
//! announces a call, its GRE is RELATED/EXPECTED with the keymap's source
//! keys in its tuple (and in ICMP errors quoting it), and the call's end or
//! the control connection's end takes the GRE entry, the expectations and
//! the keymap away.

use ctrack_core::ctinfo::CtState;
use ctrack_core::helper::HelperRule;
use ctrack_core::helper::pptp::{self, msg};
use ctrack_core::wire::checksum::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, Direction, Options, Status, Sysctls, Timestamp, Verdict};
use std::time::Duration;

const PNS: [u8; 4] = [192, 0, 2, 1];
const PAC: [u8; 4] = [198, 51, 100, 2];
const ROUTER: [u8; 4] = [203, 0, 113, 9];
const PNS_PORT: u16 = 40000;

fn ipv4(src: [u8; 4], dst: [u8; 4], proto: u8, payload: &[u8]) -> Vec<u8> {
    let len = 20 + payload.len();
    let mut p = vec![
        0x45,
        0,
        (len >> 8) as u8,
        len as u8,
        0,
        1,
        0x40,
        0,
        64,
        proto,
        0,
        0,
    ];
    p.extend_from_slice(&src);
    p.extend_from_slice(&dst);
    let c = checksum(&p);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(payload);
    p
}

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;
const PSH: u8 = 0x08;
const RST: u8 = 0x04;

/// A TCP segment (checksums are not verified: nf_conntrack_checksum=0).
fn tcp(from_pns: bool, flags: u8, seq: u32, ack: u32, payload: &[u8]) -> Vec<u8> {
    let (src, dst, sport, dport) = if from_pns {
        (PNS, PAC, PNS_PORT, pptp::CONTROL_PORT)
    } else {
        (PAC, PNS, pptp::CONTROL_PORT, PNS_PORT)
    };
    let mut t = Vec::with_capacity(20 + payload.len());
    t.extend_from_slice(&sport.to_be_bytes());
    t.extend_from_slice(&dport.to_be_bytes());
    t.extend_from_slice(&seq.to_be_bytes());
    t.extend_from_slice(&ack.to_be_bytes());
    t.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    t.extend_from_slice(payload);
    ipv4(src, dst, 6, &t)
}

/// Enhanced GRE (version 1, K and S bits, PPP) carrying `call_id`.
fn gre_v1(src: [u8; 4], dst: [u8; 4], call_id: u16) -> Vec<u8> {
    let mut g = vec![0x30, 0x01, 0x88, 0x0b, 0, 4];
    g.extend_from_slice(&call_id.to_be_bytes());
    g.extend_from_slice(&1u32.to_be_bytes());
    g.extend_from_slice(&[0xff, 0x03, 0xc0, 0x21]);
    ipv4(src, dst, 47, &g)
}

/// A control message with `fields` at the start of a body of its size.
fn control(kind: u16, fields: &[u8]) -> Vec<u8> {
    let sizes = [
        0, 144, 144, 4, 4, 4, 8, 156, 20, 208, 12, 16, 4, 136, 28, 12,
    ];
    let len = 12 + sizes[usize::from(kind)];
    let mut m = Vec::with_capacity(len);
    m.extend_from_slice(&(len as u16).to_be_bytes());
    m.extend_from_slice(&pptp::PACKET_CONTROL.to_be_bytes());
    m.extend_from_slice(&pptp::MAGIC_COOKIE.to_be_bytes());
    m.extend_from_slice(&kind.to_be_bytes());
    m.extend_from_slice(&[0, 0]);
    let mut body = vec![0u8; len - 12];
    body[..fields.len()].copy_from_slice(fields);
    m.extend_from_slice(&body);
    m
}

fn ids(cid: u16, pcid: u16, result: u8) -> Vec<u8> {
    let mut v = cid.to_be_bytes().to_vec();
    v.extend_from_slice(&pcid.to_be_bytes());
    v.push(result);
    v
}

/// A tracker with the PPTP helper on TCP 1723 and a clock.
struct Net {
    ct: Conntrack,
    now: Timestamp,
    /// Next sequence numbers of the PNS and the PAC.
    seq: [u32; 2],
}

impl Net {
    fn new() -> Net {
        let mut s = Sysctls::default();
        s.set("nf_conntrack_checksum", "0").unwrap();
        let mut ct = Conntrack::new(s, Options::default());
        ct.set_helper_rules(vec![HelperRule::new("pptp", None, 6, 1723).unwrap()]);
        Net {
            ct,
            now: Timestamp::from_secs(1000),
            seq: [1000, 5000],
        }
    }

    fn send(&mut self, pkt: &[u8]) -> Verdict {
        self.now = self.now + Duration::from_millis(10);
        self.ct.process(self.now, Network::Ipv4, pkt, pkt.len())
    }

    fn handshake(&mut self) {
        let [a, b] = self.seq;
        assert_eq!(
            self.send(&tcp(true, SYN, a, 0, &[])).ctstate,
            Some(CtState::New)
        );
        self.send(&tcp(false, SYN | ACK, b, a + 1, &[]));
        let v = self.send(&tcp(true, ACK, a + 1, b + 1, &[]));
        assert_eq!(v.ctstate, Some(CtState::Established));
        assert_eq!(v.helper, Some("pptp"));
        self.seq = [a + 1, b + 1];
    }

    /// A control message in its own segment.
    fn say(&mut self, from_pns: bool, m: &[u8]) -> Verdict {
        let (i, j) = if from_pns { (0, 1) } else { (1, 0) };
        let pkt = tcp(from_pns, PSH | ACK, self.seq[i], self.seq[j], m);
        self.seq[i] += m.len() as u32;
        let v = self.send(&pkt);
        assert_eq!(v.ctstate, Some(CtState::Established), "{v:?}");
        assert_eq!(v.reason, None, "the helper never drops");
        v
    }

    /// Session up and an outgoing call 0x1111 (PNS) / 0x2222 (PAC).
    fn call(&mut self) {
        self.handshake();
        self.say(true, &control(msg::START_SESSION_REQUEST, &[]));
        self.say(false, &control(msg::START_SESSION_REPLY, &[1, 0, 1]));
        self.say(true, &control(msg::OUT_CALL_REQUEST, &[0x11, 0x11]));
        assert!(self.ct.expectations().is_empty());
        let v = self.say(
            false,
            &control(msg::OUT_CALL_REPLY, &ids(0x2222, 0x1111, 1)),
        );
        let ev: Vec<String> = v.expect_events.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            ev,
            [
                "EXP_NEW gre 192.0.2.1:4369 > 198.51.100.2:8738 helper pptp master 1",
                "EXP_NEW gre 198.51.100.2:8738 > 192.0.2.1:4369 helper pptp master 1",
            ]
        );
    }
}

#[test]
fn gre_of_a_call_is_expected_with_the_keymaps_keys() {
    let mut n = Net::new();
    n.call();
    assert_eq!(
        n.ct.proc_expect(n.now),
        "300 l3proto = 2 proto=47 src=192.0.2.1 dst=198.51.100.2 srckey=0x1111 dstkey=0x2222 pptp\n\
         300 l3proto = 2 proto=47 src=198.51.100.2 dst=192.0.2.1 srckey=0x2222 dstkey=0x1111 pptp\n"
    );
    assert_eq!(n.ct.gre_keymap().len(), 2);

    // The PNS's GRE carries the PAC's call id; the keymap gives the rest.
    let v = n.send(&gre_v1(PNS, PAC, 0x2222));
    assert_eq!(v.ctstate, Some(CtState::Related));
    assert_eq!(v.dir, Some(Direction::Original));
    assert!(v.status.contains(Status::EXPECTED));
    assert_eq!(v.master, Some(1));
    let t = v.tuple.unwrap();
    assert_eq!((t.src_u, t.dst_u), (0x1111, 0x2222));
    // Both expectations went: the matched one and, by pptp_expectfn(),
    // the other direction's.
    let ev: Vec<String> = v.expect_events.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        ev,
        [
            "EXP_DESTROY gre 192.0.2.1:4369 > 198.51.100.2:8738 helper pptp master 1",
            "EXP_DESTROY gre 198.51.100.2:8738 > 192.0.2.1:4369 helper pptp master 1",
        ]
    );
    assert!(n.ct.expectations().is_empty());

    let v = n.send(&gre_v1(PAC, PNS, 0x1111));
    assert_eq!(v.ctstate, Some(CtState::Established));
    assert_eq!(v.dir, Some(Direction::Reply));
    assert_eq!(v.entry, Some(2));
    let v = n.send(&gre_v1(PNS, PAC, 0x2222));
    assert_eq!(v.dir, Some(Direction::Original));
    assert!(v.status.contains(Status::ASSURED));

    // GRE sysctl timeouts, not the helper's 10 min / 5 h (the first packet
    // of the unconfirmed entry set them).
    let table = n.ct.proc_table(n.now);
    let gre: Vec<&str> = table.lines().filter(|l| l.contains(" gre ")).collect();
    assert_eq!(
        gre,
        [
            "ipv4     2 gre      47 180 timeout=30, stream_timeout=180 src=192.0.2.1 \
          dst=198.51.100.2 srckey=0x1111 dstkey=0x2222 src=198.51.100.2 dst=192.0.2.1 \
          srckey=0x2222 dstkey=0x1111 [ASSURED] mark=0 zone=0 use=2"
        ],
        "{table}"
    );

    // An ICMP error quoting the PNS's GRE: the quote's tuple gets its
    // source key from the keymap too, so it is RELATED to entry 2.
    let quoted = gre_v1(PNS, PAC, 0x2222);
    let mut icmp = vec![3, 1, 0, 0, 0, 0, 0, 0];
    icmp.extend_from_slice(&quoted[..28]);
    let c = checksum(&icmp);
    icmp[2..4].copy_from_slice(&c.to_be_bytes());
    let v = n.send(&ipv4(ROUTER, PNS, 1, &icmp));
    assert_eq!(v.ctstate, Some(CtState::Related), "{v:?}");
    assert_eq!(v.entry, Some(2));

    // A GRE packet with another call id knows no keymap entry.
    let v = n.send(&gre_v1(PNS, PAC, 0x3333));
    assert_eq!(v.ctstate, Some(CtState::New));
    assert_eq!(v.tuple.unwrap().src_u, 0);

    // Call-Disconnect-Notify: the GRE entry is killed, the keymap emptied.
    n.say(true, &control(msg::CALL_CLEAR_REQUEST, &[0x11, 0x11]));
    assert_eq!(
        n.ct.gre_keymap().len(),
        2,
        "a clear request changes nothing"
    );
    n.say(false, &control(msg::CALL_DISCONNECT_NOTIFY, &[0x22, 0x22]));
    assert!(n.ct.gre_keymap().is_empty());
    assert!(!n.ct.proc_table(n.now).contains("srckey=0x1111"));
    let v = n.send(&gre_v1(PNS, PAC, 0x2222));
    assert_eq!(v.ctstate, Some(CtState::New));
    assert_eq!(v.tuple.unwrap().src_u, 0);
}

#[test]
fn one_call_per_control_connection() {
    let mut n = Net::new();
    n.call();
    // A second call while the first one's keymap is in place: its
    // expectations evict the first call's (max_expected 2), then the
    // keymap refuses it and they are withdrawn, reply first.
    n.say(true, &control(msg::OUT_CALL_REQUEST, &[0x11, 0x12]));
    let v = n.say(
        false,
        &control(msg::OUT_CALL_REPLY, &ids(0x2223, 0x1112, 1)),
    );
    let ev: Vec<String> = v.expect_events.iter().map(|e| e.to_string()).collect();
    let m = " helper pptp master 1";
    assert_eq!(
        ev,
        [
            format!("EXP_DESTROY gre 192.0.2.1:4369 > 198.51.100.2:8738{m}"),
            format!("EXP_NEW gre 192.0.2.1:4370 > 198.51.100.2:8739{m}"),
            format!("EXP_DESTROY gre 198.51.100.2:8738 > 192.0.2.1:4369{m}"),
            format!("EXP_NEW gre 198.51.100.2:8739 > 192.0.2.1:4370{m}"),
            format!("EXP_DESTROY gre 198.51.100.2:8739 > 192.0.2.1:4370{m}"),
            format!("EXP_DESTROY gre 192.0.2.1:4370 > 198.51.100.2:8739{m}"),
        ]
    );
    assert!(n.ct.expectations().is_empty());
    // The first call's keymap entries stay.
    assert_eq!(n.ct.gre_keymap().len(), 2);
    let v = n.send(&gre_v1(PNS, PAC, 0x2222));
    assert_eq!(v.ctstate, Some(CtState::New), "its expectation was evicted");
    assert_eq!(v.tuple.unwrap().src_u, 0x1111);
}

#[test]
fn the_control_connections_end_takes_expectations_and_keymap() {
    let mut n = Net::new();
    n.call();
    assert_eq!(n.ct.expectations().count(), 2);
    let [a, b] = n.seq;
    let v = n.send(&tcp(true, RST | ACK, a, b, &[]));
    assert_eq!(v.ctstate, Some(CtState::Established));
    assert_eq!(v.proto_state, Some("CLOSE"));
    assert_eq!(n.ct.expectations().count(), 2, "until the entry goes");
    n.now = n.now + Duration::from_secs(11);
    n.ct.expire(n.now);
    assert!(n.ct.entries(n.now).is_empty());
    assert!(n.ct.expectations().is_empty());
    assert!(n.ct.gre_keymap().is_empty());
    let v = n.send(&gre_v1(PNS, PAC, 0x2222));
    assert_eq!(v.ctstate, Some(CtState::New));
    assert_eq!(v.tuple.unwrap().src_u, 0);
}

#[test]
fn the_gre_entrys_end_takes_the_keymap() {
    let mut n = Net::new();
    n.call();
    n.send(&gre_v1(PNS, PAC, 0x2222));
    assert_eq!(n.ct.gre_keymap().len(), 2);
    // Unreplied, the GRE entry lives 30 s; the control connection lives on.
    n.now = n.now + Duration::from_secs(31);
    n.ct.expire(n.now);
    assert!(n.ct.gre_keymap().is_empty(), "destroy_gre_conntrack()");
    let v = n.send(&gre_v1(PNS, PAC, 0x2222));
    assert_eq!(v.ctstate, Some(CtState::New));
    assert_eq!(v.tuple.unwrap().src_u, 0);
}

#[test]
fn ipv6_has_no_pptp_helper() {
    assert!(HelperRule::new("pptp", Some(ctrack_core::Family::Ipv6), 6, 1723).is_err());
    assert!(HelperRule::new("pptp", Some(ctrack_core::Family::Ipv4), 6, 1723).is_ok());
    assert!(HelperRule::new("pptp", None, 17, 1723).is_err());
}
