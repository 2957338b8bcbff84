//! The SIP helper through the tracker.

use crate::ctinfo::{CtState, Direction};
use crate::helper::HelperRule;
use crate::status::Status;
use crate::wire::checksum;
use crate::wire::ip_proto;
use crate::wire::link::Network;
use crate::{Conntrack, Options, Sysctls, Timestamp, Verdict};
use std::time::Duration;

const A: [u8; 4] = [192, 0, 2, 1];
const B: [u8; 4] = [198, 51, 100, 2];
const C: [u8; 4] = [203, 0, 113, 7];

fn udp4(s: [u8; 4], d: [u8; 4], sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut l4 = vec![0u8; 8];
    l4[0..2].copy_from_slice(&sport.to_be_bytes());
    l4[2..4].copy_from_slice(&dport.to_be_bytes());
    l4[4..6].copy_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    l4.extend_from_slice(payload);
    let acc = checksum::pseudo_v4(s, d, ip_proto::UDP, l4.len() as u32);
    let c = match checksum::fold(checksum::sum(acc, &l4)) {
        0 => 0xffff,
        c => c,
    };
    l4[6..8].copy_from_slice(&c.to_be_bytes());
    let mut p = vec![0u8; 20];
    p[0] = 0x45;
    p[2..4].copy_from_slice(&((20 + l4.len()) as u16).to_be_bytes());
    p[8] = 64;
    p[9] = ip_proto::UDP;
    p[12..16].copy_from_slice(&s);
    p[16..20].copy_from_slice(&d);
    let c = checksum::checksum(&p);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(&l4);
    p
}

fn udp6(s: [u8; 16], d: [u8; 16], sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut l4 = vec![0u8; 8];
    l4[0..2].copy_from_slice(&sport.to_be_bytes());
    l4[2..4].copy_from_slice(&dport.to_be_bytes());
    l4[4..6].copy_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    l4.extend_from_slice(payload);
    let acc = checksum::pseudo_v6(s, d, ip_proto::UDP, l4.len() as u32);
    let c = match checksum::fold(checksum::sum(acc, &l4)) {
        0 => 0xffff,
        c => c,
    };
    l4[6..8].copy_from_slice(&c.to_be_bytes());
    let mut p = vec![0u8; 40];
    p[0] = 0x60;
    p[4..6].copy_from_slice(&(l4.len() as u16).to_be_bytes());
    p[6] = ip_proto::UDP;
    p[7] = 64;
    p[8..24].copy_from_slice(&s);
    p[24..40].copy_from_slice(&d);
    p.extend_from_slice(&l4);
    p
}

fn sdp(addr: &str, port: u16) -> String {
    format!(
        "v=0\r\no=- 1 1 IN IP4 {addr}\r\ns=-\r\nc=IN IP4 {addr}\r\nt=0 0\r\nm=audio {port} RTP/AVP 0\r\n"
    )
}

fn msg(first: &str, headers: &[&str], body: &str) -> Vec<u8> {
    let mut s = format!("{first}\r\n");
    for h in headers {
        s.push_str(h);
        s.push_str("\r\n");
    }
    s.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.into_bytes()
}

struct T {
    ct: Conntrack,
    now: Timestamp,
}

impl T {
    fn new(sysctl: Sysctls) -> T {
        let mut ct = Conntrack::new(sysctl, Options::default());
        ct.set_helper_rules(vec![HelperRule::new("sip", None, 17, 5060).unwrap()]);
        T {
            ct,
            now: Timestamp::from_secs(1000),
        }
    }

    fn send(&mut self, p: &[u8]) -> Verdict {
        self.now = self.now + Duration::from_millis(10);
        let net = if p[0] >> 4 == 6 {
            Network::Ipv6
        } else {
            Network::Ipv4
        };
        self.ct.process(self.now, net, p, p.len())
    }

    /// A -> B on the signalling flow.
    fn a(&mut self, m: &[u8]) -> Verdict {
        self.send(&udp4(A, B, 5060, 5060, m))
    }

    fn b(&mut self, m: &[u8]) -> Verdict {
        self.send(&udp4(B, A, 5060, 5060, m))
    }

    fn expected(&self) -> Vec<String> {
        self.ct
            .expectations()
            .iter()
            .map(|e| e.proc_line(self.now))
            .collect()
    }
}

fn events(v: &Verdict) -> Vec<String> {
    v.expect_events.iter().map(|e| e.to_string()).collect()
}

fn invite(cseq: u32, port: u16) -> Vec<u8> {
    msg(
        "INVITE sip:bob@198.51.100.2 SIP/2.0",
        &[
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1",
            "From: <sip:alice@192.0.2.1>;tag=1",
            "To: <sip:bob@198.51.100.2>",
            "Call-ID: c1@a",
            &format!("CSeq: {cseq} INVITE"),
            "Contact: <sip:alice@192.0.2.1:5060>",
            "Content-Type: application/sdp",
        ],
        &sdp("192.0.2.1", port),
    )
}

fn answer(status: &str, cseq: &str, body: &str) -> Vec<u8> {
    msg(
        &format!("SIP/2.0 {status}"),
        &[
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1",
            "Call-ID: c1@a",
            &format!("CSeq: {cseq}"),
        ],
        body,
    )
}

#[test]
fn invite_and_200_ok_make_rtp_related_and_bye_flushes() {
    let mut t = T::new(Sysctls::default());
    let v = t.a(&invite(1, 49170));
    assert_eq!(v.ctstate, Some(CtState::New));
    assert_eq!(v.helper, Some("sip"));
    assert_eq!(
        events(&v),
        [
            "EXP_NEW udp 198.51.100.2:0 > 192.0.2.1:49170 helper sip master 1",
            "EXP_NEW udp 198.51.100.2:0 > 192.0.2.1:49171 helper sip master 1"
        ]
    );
    // The helper sets sip_timeout, not the UDP timeout.
    assert_eq!(t.ct.entry(1, t.now).unwrap().remaining_secs(t.now), 3600);
    let v = t.b(&answer("200 OK", "1 INVITE", &sdp("198.51.100.2", 3456)));
    assert_eq!(v.ctstate, Some(CtState::Established));
    assert_eq!(v.dir, Some(Direction::Reply));
    assert_eq!(
        events(&v),
        [
            "EXP_NEW udp 192.0.2.1:0 > 198.51.100.2:3456 helper sip master 1",
            "EXP_NEW udp 192.0.2.1:0 > 198.51.100.2:3457 helper sip master 1"
        ]
    );
    assert_eq!(
        t.expected()[0],
        "179 l3proto = 2 proto=17 src=198.51.100.2 dst=192.0.2.1 sport=0 dport=49170 sip/audio"
    );
    // RTP from a third party is not related; from B it is.
    let v = t.send(&udp4(C, A, 3456, 49170, b"rtp"));
    assert_eq!(v.ctstate, Some(CtState::New));
    let v = t.send(&udp4(B, A, 3456, 49170, b"rtp"));
    assert_eq!(v.ctstate, Some(CtState::Related));
    assert_eq!(v.master, Some(1));
    assert!(v.status.contains(Status::EXPECTED));
    assert_eq!(v.helper, None, "media gets no helper");
    assert_eq!(
        events(&v),
        ["EXP_DESTROY udp 198.51.100.2:0 > 192.0.2.1:49170 helper sip master 1"]
    );
    let v = t.send(&udp4(A, B, 49170, 3456, b"rtp"));
    assert_eq!(
        (v.ctstate, v.dir),
        (Some(CtState::Established), Some(Direction::Reply))
    );
    // A's RTP to B's announced port, from any source port.
    let v = t.send(&udp4(A, B, 40000, 3456, b"rtp"));
    assert_eq!(v.ctstate, Some(CtState::Related));
    // BYE removes the media expectations left, newest first.
    let bye = msg(
        "BYE sip:bob@198.51.100.2 SIP/2.0",
        &["Call-ID: c1@a", "CSeq: 2 BYE"],
        "",
    );
    let v = t.a(&bye);
    assert_eq!(v.ctstate, Some(CtState::Established));
    assert_eq!(
        events(&v),
        [
            "EXP_DESTROY udp 192.0.2.1:0 > 198.51.100.2:3457 helper sip master 1",
            "EXP_DESTROY udp 198.51.100.2:0 > 192.0.2.1:49171 helper sip master 1"
        ]
    );
    assert!(t.ct.expectations().is_empty());
    let v = t.send(&udp4(B, A, 3457, 49171, b"rtcp"));
    assert_eq!(v.ctstate, Some(CtState::New));
}

#[test]
fn malformed_messages_are_dropped_with_the_kernels_words() {
    let mut t = T::new(Sysctls::default());
    let opts = msg("OPTIONS sip:b SIP/2.0", &["Call-ID: x"], "");
    assert_eq!(t.a(&opts).ctstate, Some(CtState::New));
    let drop = |v: &Verdict| v.reason.as_ref().and_then(|r| r.kernel_log());
    let v = t.a(&msg("INVITE sip:b SIP/2.0", &["Call-ID: x"], ""));
    assert_eq!(
        drop(&v).as_deref(),
        Some("nf_ct_sip: dropping packet: cannot parse cseq")
    );
    let mut bad_port = invite(3, 80);
    let v = t.a(&bad_port);
    assert_eq!(
        drop(&v).as_deref(),
        Some("nf_ct_sip: dropping packet: wrong port 80")
    );
    bad_port = invite(3, 0);
    assert_eq!(drop(&t.a(&bad_port)), None, "port 0: an inactive stream");
    let v = t.b(&answer("abc OK", "1 INVITE", ""));
    assert_eq!(
        drop(&v).as_deref(),
        Some("nf_ct_sip: dropping packet: cannot get code")
    );
    let no_c = "v=0\r\nm=audio 4000 RTP/AVP 0\r\n";
    let v = t.a(&msg("INVITE sip:b SIP/2.0", &["CSeq: 4 INVITE"], no_c));
    assert_eq!(
        drop(&v).as_deref(),
        Some("nf_ct_sip: dropping packet: cannot parse SDP message")
    );
    // Shorter than "SIP/2.0 200": not parsed.
    assert_eq!(drop(&t.b(b"SIP/2.0 20")), None);
    assert!(t.ct.expectations().is_empty());
}

#[test]
fn a_failed_invite_answer_removes_the_media_expectations() {
    let mut t = T::new(Sysctls::default());
    t.a(&invite(5, 49170));
    assert_eq!(t.ct.expectations().count(), 2);
    // Another CSeq: nothing happens.
    let v = t.b(&answer("486 Busy Here", "4 INVITE", ""));
    assert!(v.expect_events.is_empty());
    let v = t.b(&answer("486 Busy Here", "5 INVITE", ""));
    assert_eq!(v.expect_events.len(), 2);
    assert!(t.ct.expectations().is_empty());
}

#[test]
fn register_and_its_answer_expect_incoming_calls() {
    let mut t = T::new(Sysctls::default());
    let reg = |cseq: u32, contact: &str| {
        msg(
            "REGISTER sip:198.51.100.2 SIP/2.0",
            &[
                &format!("CSeq: {cseq} REGISTER"),
                &format!("Contact: {contact}"),
                "Expires: 3600",
            ],
            "",
        )
    };
    let v = t.a(&reg(1, "<sip:alice@192.0.2.1:5062>"));
    assert_eq!(
        events(&v),
        ["EXP_NEW udp 198.51.100.2:0 > 192.0.2.1:5062 helper sip master 1"]
    );
    assert_eq!(
        t.expected(),
        [
            "180 l3proto = 2 proto=17 src=198.51.100.2 dst=192.0.2.1 sport=0 dport=5062 PERMANENT,INACTIVE sip/signalling"
        ]
    );
    // Inactive: no call comes in yet.
    let v = t.send(&udp4(B, A, 5070, 5062, b"INVITE"));
    assert_eq!(v.ctstate, Some(CtState::New));
    // The registrar's 200 OK activates it for the Contact's expiry.
    let ok = answer("200 OK", "1 REGISTER", "");
    let mut ok = String::from_utf8(ok).unwrap();
    ok = ok.replace(
        "CSeq: 1 REGISTER\r\n",
        "CSeq: 1 REGISTER\r\nContact: <sip:alice@192.0.2.1:5062>;expires=60\r\n",
    );
    let v = t.b(ok.as_bytes());
    assert!(v.expect_events.is_empty(), "no event");
    assert_eq!(
        t.expected(),
        [
            "60 l3proto = 2 proto=17 src=198.51.100.2 dst=192.0.2.1 sport=0 dport=5062 PERMANENT sip/signalling"
        ]
    );
    // Permanent: each call from the registrar is related, with the sip
    // helper.
    for sport in [5071, 5072] {
        let v = t.send(&udp4(B, A, sport, 5062, b"INVITE"));
        assert_eq!(v.ctstate, Some(CtState::Related));
        assert_eq!(v.helper, Some("sip"));
    }
    let v = t.send(&udp4(C, A, 5073, 5062, b"INVITE"));
    assert_eq!(v.ctstate, Some(CtState::New), "only from the registrar");
    // A non-2xx answer to the last REGISTER removes it.
    let v = t.a(&reg(2, "<sip:alice@192.0.2.1:5062>"));
    assert_eq!(v.expect_events.len(), 2, "replaced: destroy and new");
    let v = t.b(&answer("403 Forbidden", "2 REGISTER", ""));
    assert_eq!(v.expect_events.len(), 1);
    assert!(t.ct.expectations().is_empty());
    // Third-party registrations and "expires=abc".
    assert!(t.a(&reg(3, "<sip:x@203.0.113.7>")).expect_events.is_empty());
    let v = t.a(&reg(4, "<sip:alice@192.0.2.1:5062>;expires=abc"));
    assert_eq!(
        v.reason.and_then(|r| r.kernel_log()).as_deref(),
        Some("nf_ct_sip: dropping packet: cannot parse expires")
    );
}

#[test]
fn without_direct_media_any_source_and_address() {
    let s = Sysctls {
        sip_direct_media: 0,
        ..Default::default()
    };
    let mut t = T::new(s);
    let body = sdp("203.0.113.7", 30000);
    let v = t.a(&msg("INVITE sip:b SIP/2.0", &["CSeq: 1 INVITE"], &body));
    assert_eq!(
        events(&v),
        [
            "EXP_NEW udp 0.0.0.0:0 > 203.0.113.7:30000 helper sip master 1",
            "EXP_NEW udp 0.0.0.0:0 > 203.0.113.7:30001 helper sip master 1"
        ]
    );
    // With it (the default) the address must be the sender's.
    let mut t = T::new(Sysctls::default());
    let v = t.a(&msg("INVITE sip:b SIP/2.0", &["CSeq: 1 INVITE"], &body));
    assert!(v.expect_events.is_empty());
}

#[test]
fn ipv6_sdp() {
    let a6: [u8; 16] = "2001:db8::1"
        .parse::<std::net::Ipv6Addr>()
        .unwrap()
        .octets();
    let b6: [u8; 16] = "2001:db8:1::2"
        .parse::<std::net::Ipv6Addr>()
        .unwrap()
        .octets();
    let mut t = T::new(Sysctls::default());
    let body = "v=0\r\nc=IN IP6 2001:DB8:0::1\r\nm=audio 49170 RTP/AVP 0\r\n";
    let v = t.send(&udp6(
        a6,
        b6,
        5060,
        5060,
        &msg("INVITE sip:b SIP/2.0", &["CSeq: 1 INVITE"], body),
    ));
    assert_eq!(
        events(&v),
        [
            "EXP_NEW udp 2001:db8:1::2:0 > 2001:db8::1:49170 helper sip master 1",
            "EXP_NEW udp 2001:db8:1::2:0 > 2001:db8::1:49171 helper sip master 1"
        ]
    );
    let v = t.send(&udp6(b6, a6, 7000, 49170, b"rtp"));
    assert_eq!(v.ctstate, Some(CtState::Related));
    // An IPv4 c= line on an IPv6 flow cannot be parsed.
    let body = "v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 49172 RTP/AVP 0\r\n";
    let v = t.send(&udp6(
        a6,
        b6,
        5060,
        5060,
        &msg("INVITE sip:b SIP/2.0", &["CSeq: 2 INVITE"], body),
    ));
    assert_eq!(
        v.reason.and_then(|r| r.kernel_log()).as_deref(),
        Some("nf_ct_sip: dropping packet: cannot parse SDP message")
    );
}

#[test]
fn the_same_media_from_another_call_leg_is_not_expected_twice() {
    let s = Sysctls {
        sip_direct_media: 0,
        ..Default::default()
    };
    let mut t = T::new(s);
    let body = sdp("203.0.113.7", 30000);
    t.a(&msg("INVITE sip:b SIP/2.0", &["CSeq: 1 INVITE"], &body));
    // A second signalling flow (another source port) with the same SDP.
    let v = t.send(&udp4(
        A,
        B,
        5062,
        5060,
        &msg("INVITE sip:b SIP/2.0", &["CSeq: 1 INVITE"], &body),
    ));
    assert_eq!(v.ctstate, Some(CtState::New));
    assert!(v.expect_events.is_empty());
    assert_eq!(t.ct.expectations().count(), 2);
}

#[test]
fn arbitrary_payloads_never_panic() {
    let mut t = T::new(Sysctls::default());
    let base = invite(1, 49170);
    for n in 0..base.len() {
        t.a(&base[..n]);
        let mut v = base.clone();
        v[n] = v[n].wrapping_add(0x80);
        t.a(&v);
        t.b(&v[n..]);
    }
}
