//! Packets the host sends in answer to a packet it refused — a REJECT's TCP
//! reset or ICMP error, the forwarding code's ICMP time exceeded — and how
//! to recognise them when they show up in the capture.
//!
//! The kernel builds such an answer with the refused packet's entry
//! attached (`nf_ct_attach()` in `nf_send_reset()`, and in
//! `icmp_glue_bits()` / `icmpv6_getfrag()` for every ICMP error), so
//! conntrack never looks it up: it is RELATED in the other direction of
//! that entry even when the entry was never confirmed (the refused packet
//! was NEW and dropped), and it leaves through OUTPUT and POSTROUTING
//! whatever its source address (a reset sent by a router's FORWARD REJECT
//! carries the server's address). A refused packet without an entry
//! (INVALID, UNTRACKED) gets an answer without one, which conntrack then
//! tracks like any other packet.
//!
//! Answers are expected for a few packets only (the kernel sends at most
//! one per refused packet, often none: no reset for a reset, no ICMP error
//! for an ICMP error, rate limits), so the list is small and bounded: an
//! answer that never shows up is forgotten after [`CAPACITY`] newer ones.

use ctrack_core::hooks::{CtSnapshot, HookPacket};
use ctrack_core::tuple::{Addr, Family};
use std::collections::VecDeque;

/// Answers awaited at most.
pub const CAPACITY: usize = 16;

/// What the host answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    TcpReset,
    IcmpError,
}

/// The refused packet, as its answer will show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Refused {
    family: Family,
    src: Addr,
    dst: Addr,
    /// The IP header's protocol / next-header byte and the first four
    /// bytes after the fixed header (ports, or ICMP type, code and
    /// checksum): what an ICMP error quotes.
    quoted: (u8, [u8; 4]),
    /// TCP ports, for a reset.
    ports: Option<(u16, u16)>,
}

#[derive(Debug, Clone)]
struct Awaited {
    kind: Kind,
    refused: Refused,
    entry: CtSnapshot,
    why: String,
}

/// The answers the host will send.
#[derive(Debug, Clone, Default)]
pub struct Answers {
    awaited: VecDeque<Awaited>,
}

/// Addresses, protocol byte and the four bytes after the fixed header of an
/// IP packet (or of the one an ICMP error quotes).
fn header(family: Family, b: &[u8]) -> Option<(Addr, Addr, u8, [u8; 4])> {
    let four = |at: usize| -> [u8; 4] {
        let mut f = [0; 4];
        if let Some(s) = b.get(at..at + 4) {
            f.copy_from_slice(s);
        }
        f
    };
    match family {
        Family::Ipv4 => {
            if b.len() < 20 || b[0] >> 4 != 4 {
                return None;
            }
            let ihl = usize::from(b[0] & 0x0f) * 4;
            Some((
                Addr::v4([b[12], b[13], b[14], b[15]]),
                Addr::v4([b[16], b[17], b[18], b[19]]),
                b[9],
                four(ihl),
            ))
        }
        Family::Ipv6 => {
            if b.len() < 40 || b[0] >> 4 != 6 {
                return None;
            }
            let mut s = [0; 16];
            let mut d = [0; 16];
            s.copy_from_slice(&b[8..24]);
            d.copy_from_slice(&b[24..40]);
            Some((Addr::v6(s), Addr::v6(d), b[6], four(40)))
        }
    }
}

fn tcp_ports(pkt: &HookPacket<'_>) -> Option<(u16, u16, u8)> {
    let (off, proto) = pkt.l4?;
    if proto != 6 {
        return None;
    }
    let t = pkt.pkt.get(off..off + 14)?;
    Some((
        u16::from_be_bytes([t[0], t[1]]),
        u16::from_be_bytes([t[2], t[3]]),
        t[13],
    ))
}

/// An ICMP or ICMPv6 error message: the packet it quotes.
fn icmp_error_quote<'a>(pkt: &HookPacket<'a>) -> Option<&'a [u8]> {
    let (off, proto) = pkt.l4?;
    let ty = *pkt.pkt.get(off)?;
    let error = match (pkt.family, proto) {
        (Family::Ipv4, 1) => matches!(ty, 3 | 4 | 5 | 11 | 12),
        (Family::Ipv6, 58) => ty < 128,
        _ => false,
    };
    if !error {
        return None;
    }
    pkt.pkt.get(off + 8..)
}

impl Answers {
    /// The host will answer `pkt` (whose entry, as the rules saw it, is
    /// `entry`) with `kind`. Nothing is attached when the packet has no
    /// entry, and no reset answers a reset.
    pub fn expect(&mut self, kind: Kind, pkt: &HookPacket<'_>, entry: &CtSnapshot, why: String) {
        if entry.dir.is_none() {
            return;
        }
        let Some((src, dst, proto, first)) = header(pkt.family, pkt.pkt) else {
            return;
        };
        let tcp = tcp_ports(pkt);
        if kind == Kind::TcpReset && tcp.is_none_or(|(_, _, flags)| flags & 0x04 != 0) {
            return;
        }
        if self.awaited.len() == CAPACITY {
            self.awaited.pop_front();
        }
        self.awaited.push_back(Awaited {
            kind,
            refused: Refused {
                family: pkt.family,
                src,
                dst,
                quoted: (proto, first),
                ports: tcp.map(|(s, d, _)| (s, d)),
            },
            entry: *entry,
            why,
        });
    }

    /// If `pkt` is an awaited answer: the refused packet's entry and what
    /// answered it (the answer is no longer awaited).
    pub fn take(&mut self, pkt: &HookPacket<'_>) -> Option<(CtSnapshot, String)> {
        if self.awaited.is_empty() {
            return None;
        }
        let (src, dst, _, _) = header(pkt.family, pkt.pkt)?;
        let reset = tcp_ports(pkt).filter(|(_, _, flags)| flags & 0x04 != 0);
        let quote = icmp_error_quote(pkt).and_then(|q| header(pkt.family, q));
        let i = self.awaited.iter().position(|a| {
            let r = &a.refused;
            if r.family != pkt.family {
                return false;
            }
            match a.kind {
                Kind::TcpReset => reset.is_some_and(|(sp, dp, _)| {
                    src == r.dst && dst == r.src && r.ports == Some((dp, sp))
                }),
                Kind::IcmpError => quote.is_some_and(|(qs, qd, qp, qf)| {
                    dst == r.src && qs == r.src && qd == r.dst && (qp, qf) == r.quoted
                }),
            }
        })?;
        let a = self.awaited.remove(i)?;
        Some((a.entry, a.why))
    }

    pub fn is_empty(&self) -> bool {
        self.awaited.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ctrack_core::CtState;
    use ctrack_core::ctinfo::Direction;
    use ctrack_core::status::Status;

    fn entry(dir: Option<Direction>) -> CtSnapshot {
        CtSnapshot {
            state: if dir.is_some() {
                CtState::New
            } else {
                CtState::Invalid
            },
            dir,
            status: Status::empty(),
            tuples: None,
            helper: None,
            master_helper: None,
            mark: 0,
            zone: ctrack_core::Zone::DEFAULT,
            proto_state: None,
        }
    }

    fn ipv4(src: [u8; 4], dst: [u8; 4], proto: u8, l4: &[u8]) -> Vec<u8> {
        let mut p = vec![0x45, 0, 0, 0, 0, 0, 0, 0, 64, proto, 0, 0];
        p.extend_from_slice(&src);
        p.extend_from_slice(&dst);
        let len = (20 + l4.len()) as u16;
        p[2..4].copy_from_slice(&len.to_be_bytes());
        p.extend_from_slice(l4);
        p
    }

    fn tcp(sport: u16, dport: u16, flags: u8) -> Vec<u8> {
        let mut t = vec![0; 20];
        t[0..2].copy_from_slice(&sport.to_be_bytes());
        t[2..4].copy_from_slice(&dport.to_be_bytes());
        t[12] = 0x50;
        t[13] = flags;
        t
    }

    fn hp(p: &[u8]) -> HookPacket<'_> {
        HookPacket {
            family: Family::Ipv4,
            pkt: p,
            l4: Some((20, p[9])),
            time: Default::default(),
        }
    }

    const CLI: [u8; 4] = [192, 0, 2, 10];
    const SRV: [u8; 4] = [203, 0, 113, 10];
    const FW: [u8; 4] = [192, 0, 2, 1];

    #[test]
    fn a_reset_answers_the_syn_it_refused() {
        let mut a = Answers::default();
        let syn = ipv4(CLI, SRV, 6, &tcp(40000, 25, 0x02));
        a.expect(
            Kind::TcpReset,
            &hp(&syn),
            &entry(Some(Direction::Original)),
            "REJECT".into(),
        );
        // Another connection's reset is not it.
        let other = ipv4(SRV, CLI, 6, &tcp(25, 40001, 0x14));
        assert!(a.take(&hp(&other)).is_none());
        let rst = ipv4(SRV, CLI, 6, &tcp(25, 40000, 0x14));
        let (e, why) = a.take(&hp(&rst)).unwrap();
        assert_eq!((e.dir, why.as_str()), (Some(Direction::Original), "REJECT"));
        // Taken once.
        assert!(a.take(&hp(&rst)).is_none());
    }

    #[test]
    fn an_icmp_error_answers_the_packet_it_quotes() {
        let mut a = Answers::default();
        let udp = ipv4(CLI, SRV, 17, &[0x9c, 0x40, 0, 9, 0, 8, 0, 0]);
        a.expect(
            Kind::IcmpError,
            &hp(&udp),
            &entry(Some(Direction::Original)),
            "REJECT".into(),
        );
        // The quote as the router forwarded it: TTL one lower.
        let mut quoted = udp.clone();
        quoted[8] -= 1;
        let mut icmp = vec![3, 3, 0, 0, 0, 0, 0, 0];
        icmp.extend_from_slice(&quoted[..28]);
        // An echo reply is no error.
        let mut echo = icmp.clone();
        echo[0] = 0;
        assert!(a.take(&hp(&ipv4(FW, CLI, 1, &echo))).is_none());
        assert!(a.take(&hp(&ipv4(FW, CLI, 1, &icmp))).is_some());
    }

    #[test]
    fn no_answer_is_attached_without_an_entry_or_to_a_reset() {
        let mut a = Answers::default();
        let syn = ipv4(CLI, SRV, 6, &tcp(40000, 25, 0x02));
        a.expect(Kind::TcpReset, &hp(&syn), &entry(None), "REJECT".into());
        let rst = ipv4(CLI, SRV, 6, &tcp(40000, 25, 0x04));
        a.expect(
            Kind::TcpReset,
            &hp(&rst),
            &entry(Some(Direction::Original)),
            "REJECT".into(),
        );
        assert!(a.is_empty());
    }

    #[test]
    fn the_list_is_bounded() {
        let mut a = Answers::default();
        for port in 0..100u16 {
            let syn = ipv4(CLI, SRV, 6, &tcp(port, 25, 0x02));
            a.expect(
                Kind::TcpReset,
                &hp(&syn),
                &entry(Some(Direction::Original)),
                "x".into(),
            );
        }
        assert_eq!(a.awaited.len(), CAPACITY);
        let oldest = ipv4(SRV, CLI, 6, &tcp(25, 0, 0x14));
        assert!(a.take(&hp(&oldest)).is_none());
        let newest = ipv4(SRV, CLI, 6, &tcp(25, 99, 0x14));
        assert!(a.take(&hp(&newest)).is_some());
    }
}
