//! IPv6: `nf_ct_frag6_gather()` → `nf_ct_frag6_queue()` /
//! `nf_ct_frag6_reasm()` (`net/ipv6/netfilter/nf_conntrack_reasm.c`).
//!
//! Unlike IPv4, most bad fragments are dropped without killing their queue,
//! a non-final fragment whose length is not a multiple of 8 kills the queue
//! but is itself let through unreassembled, and a first fragment that does
//! not hold the whole upper-layer header (RFC 8200 section 4.5) is let
//! through too (conntrack then finds no usable header).

use super::{
    Defrag, FIRST_IN, Fate, Frag, Head, Insert, LAST_IN, Limits, Outcome, PacketId, QSIZE_V6,
    Queue, V6Key, truesize,
};
use crate::time::Timestamp;
use crate::wire::{header_at, ip_proto, ipv6};

const IPV6_MAXPLEN: usize = 65535;
const FRAG_HDR_LEN: usize = 8;

/// `find_prev_fhdr()`: the offset of the first Fragment header and of the
/// next-header byte that names it, walking hop-by-hop, routing, AH and
/// destination-options headers.
fn find_prev_fhdr(pkt: &[u8]) -> Option<(usize, usize)> {
    let mut nexthdr = pkt[6];
    let mut prev_nhoff = 6;
    let mut start = ipv6::HEADER_LEN;
    let mut len = pkt.len() as isize - start as isize;
    while nexthdr != ip_proto::FRAGMENT {
        if !ipv6::is_ext_hdr(nexthdr) || nexthdr == ip_proto::NONE {
            return None;
        }
        if len < 2 {
            return None;
        }
        let h = header_at(pkt, start, 2)?;
        let hdrlen = if nexthdr == ip_proto::AH {
            (usize::from(h[1]) + 2) << 2
        } else {
            (usize::from(h[1]) + 1) << 3
        };
        prev_nhoff = start;
        nexthdr = h[0];
        len -= hdrlen as isize;
        start += hdrlen;
    }
    if len < 0 {
        return None;
    }
    Some((prev_nhoff, start))
}

/// `ipv6frag_thdr_truncated()`: a first fragment whose upper-layer header
/// is cut.
fn thdr_truncated(pkt: &[u8], fhoff: usize) -> bool {
    // ipv6_skip_exthdr() from the fragment header on.
    let mut nexthdr = ip_proto::FRAGMENT;
    let mut start = fhoff;
    let mut frag_off = 0u16;
    while ipv6::is_ext_hdr(nexthdr) {
        if nexthdr == ip_proto::NONE {
            return false;
        }
        let Some(h) = header_at(pkt, start, 2) else {
            return false;
        };
        let hdrlen = if nexthdr == ip_proto::FRAGMENT {
            let Some(fo) = header_at(pkt, start + 2, 2) else {
                return false;
            };
            frag_off = u16::from_be_bytes([fo[0], fo[1]]);
            if frag_off & !7 != 0 {
                break;
            }
            8
        } else if nexthdr == ip_proto::AH {
            (usize::from(h[1]) + 2) << 2
        } else {
            (usize::from(h[1]) + 1) << 3
        };
        nexthdr = h[0];
        start += hdrlen;
    }
    if frag_off & !7 != 0 {
        return false;
    }
    let need = match nexthdr {
        ip_proto::TCP => 20,
        ip_proto::UDP => 8,
        ip_proto::ICMPV6 => 8,
        _ => 1,
    };
    start + need > pkt.len()
}

/// `ip6_frag_ecn()`.
fn frag_ecn(pkt: &[u8]) -> u8 {
    let tc = ((u16::from(pkt[0]) << 8 | u16::from(pkt[1])) >> 4) as u8;
    1 << (tc & 3)
}

impl Defrag {
    /// One IPv6 packet that may carry a Fragment header.
    pub fn ipv6(
        &mut self,
        now: Timestamp,
        id: PacketId,
        pkt: &[u8],
        frame_len: usize,
        zone: u16,
        limits: &Limits,
    ) -> Outcome {
        let payload_len = usize::from(u16::from_be_bytes([pkt[4], pkt[5]]));
        if payload_len == 0 {
            return Outcome::Pass;
        }
        let Some((nhoff, fhoff)) = find_prev_fhdr(pkt) else {
            return Outcome::Pass;
        };
        if thdr_truncated(pkt, fhoff) {
            return Outcome::Pass;
        }
        let Some(fh) = header_at(pkt, fhoff, FRAG_HDR_LEN) else {
            return Outcome::Dropped("fragment header cut off");
        };
        let fhdr = ipv6::FragmentHeader::parse(fh).expect("8 bytes");
        let mut saddr = [0; 16];
        let mut daddr = [0; 16];
        saddr.copy_from_slice(&pkt[8..24]);
        daddr.copy_from_slice(&pkt[24..40]);
        let key = V6Key {
            saddr,
            daddr,
            id: fhdr.ident,
            zone,
        };
        if let Some(q) = self.v6.get(&key)
            && q.expires <= now + limits.jiffies.slack()
        {
            let q = self.v6.remove(&key).expect("present");
            self.mem_v6 = self.mem_v6.saturating_sub(q.mem);
            self.report(
                &q,
                Fate::Expired {
                    after_secs: limits.v6_timeout,
                },
            );
        }
        if limits.v6_high_thresh == 0 || self.mem_v6 > limits.v6_high_thresh {
            return Outcome::Dropped("reassembly memory over nf_conntrack_frag6_high_thresh");
        }
        if !self.v6.contains_key(&key) {
            self.mem_v6 += QSIZE_V6;
            let expires = self.new_queue_expiry(now, limits.v6_timeout);
            self.v6.insert(key, Queue::new(expires, QSIZE_V6));
        }
        let kill = |this: &mut Defrag, why: &'static str| {
            if let Some(q) = this.v6.remove(&key) {
                this.mem_v6 = this.mem_v6.saturating_sub(q.mem);
                this.report(&q, Fate::Discarded { by: id, why });
            }
        };

        // nf_ct_frag6_queue()
        let q = self.v6.get_mut(&key).expect("present");
        let offset = fhdr.offset as usize;
        let data_at = fhoff + FRAG_HDR_LEN;
        let Some(flen) = (payload_len + ipv6::HEADER_LEN).checked_sub(data_at) else {
            return Outcome::Dropped("fragment header beyond the payload");
        };
        let end = offset + flen;
        if end > IPV6_MAXPLEN {
            return Outcome::Dropped("fragment offset too large");
        }
        let ecn = frag_ecn(pkt);
        if !fhdr.more {
            if end < q.len || (q.flags & LAST_IN != 0 && end != q.len) {
                return Outcome::Dropped("last fragment disagrees with the datagram's length");
            }
            q.flags |= LAST_IN;
            q.len = end;
        } else {
            if end & 7 != 0 {
                // RFC 8200: parameter problem; the queue dies and this
                // packet goes on unreassembled.
                kill(self, "fragment length not a multiple of 8");
                return Outcome::Pass;
            }
            if end > q.len {
                if q.flags & LAST_IN != 0 {
                    return Outcome::Dropped("fragment beyond the end of the datagram");
                }
                q.len = end;
            }
        }
        if end == offset {
            return Outcome::Dropped("empty fragment");
        }
        match q.insert(offset, end) {
            Insert::Ok => {}
            Insert::Dup => return Outcome::Dropped("duplicate fragment"),
            Insert::Overlap => {
                kill(self, "overlapping fragment");
                return Outcome::Dropped("overlapping fragment");
            }
        }
        let ts = truesize(frame_len);
        let header = if offset == 0 { &pkt[..fhoff] } else { &[][..] };
        q.store(header, &pkt[data_at..data_at + (end - offset)]);
        q.frags.push(Frag {
            packet: id,
            truesize: ts,
        });
        q.meat += end - offset;
        q.ecn |= ecn;
        q.max_size = q.max_size.max(payload_len);
        q.mem += ts;
        self.mem_v6 += ts;
        if offset == 0 {
            q.flags |= FIRST_IN;
            q.head = Some(Head {
                header_len: fhoff,
                nexthdr_at: nhoff,
                nexthdr: fhdr.next_header,
            });
        }
        if q.flags != FIRST_IN | LAST_IN || q.meat != q.len {
            return Outcome::Queued;
        }

        // nf_ct_frag6_reasm()
        let q = self.v6.remove(&key).expect("present");
        self.mem_v6 = self.mem_v6.saturating_sub(q.mem);
        let others: Vec<PacketId> = q.packets().into_iter().filter(|&p| p != id).collect();
        let ecn = super::ipv4::ecn_table(q.ecn);
        let head = q.head.clone().expect("FIRST_IN has a head");
        let new_plen = head.header_len - ipv6::HEADER_LEN + q.len;
        if ecn == 0xff || new_plen > IPV6_MAXPLEN {
            let why = if ecn == 0xff {
                "fragments disagree on ECN"
            } else {
                "reassembled payload over 65535 bytes"
            };
            self.report(&q, Fate::Discarded { by: id, why });
            return Outcome::Dropped(why);
        }
        let total = head.header_len + q.len;
        let mut packet = q.assemble(total);
        packet[head.nexthdr_at] = head.nexthdr;
        packet[4..6].copy_from_slice(&(new_plen as u16).to_be_bytes());
        // ipv6_change_dsfield(hdr, 0xff, ecn): OR the ECN bits in.
        packet[1] |= ecn << 4;
        if !others.is_empty() {
            self.fates.push(super::FragmentFate {
                packets: others.clone(),
                fate: Fate::Completed { by: id },
            });
        }
        Outcome::Reassembled { packet, others }
    }
}
