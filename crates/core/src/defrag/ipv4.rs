//! IPv4: `ip_defrag()` → `ip_frag_queue()` / `ip_frag_reasm()`
//! (`net/ipv4/ip_fragment.c`), with the conntrack user's queues.

use super::{
    Defrag, FIRST_IN, Fate, Frag, Head, Insert, LAST_IN, Limits, Outcome, PacketId, QSIZE_V4,
    Queue, V4Key, truesize,
};
use crate::time::Timestamp;
use crate::wire::{checksum, ipv4};

/// `ip_is_fragment()`: MF set or a non-zero offset.
pub fn is_fragment(pkt: &[u8]) -> bool {
    pkt.len() >= ipv4::MIN_HEADER_LEN && ipv4::Packet::new_unchecked(pkt).is_fragment()
}

/// `ip4_frag_ecn()`: one bit per ECN codepoint.
fn frag_ecn(tos: u8) -> u8 {
    1 << (tos & 3)
}

/// `ip_frag_ecn_table[]`: 0xff drops the datagram, otherwise the bits to
/// OR into the TOS.
pub(super) fn ecn_table(bits: u8) -> u8 {
    const NOT_ECT: u8 = 1;
    const CE: u8 = 8;
    if bits & NOT_ECT != 0 && bits & !NOT_ECT != 0 {
        return 0xff;
    }
    if bits & CE != 0 && bits & !CE != 0 {
        return 3; // INET_ECN_CE
    }
    0
}

/// `net.ipv4.inet_peer_threshold`'s default: source records kept at most
/// before unused ones are reclaimed (the table stays bounded under a flood
/// of spoofed sources).
pub(super) const PEER_THRESHOLD: usize = 65536 + 128;

impl Defrag {
    /// One IPv4 fragment (`pkt` validated and trimmed; `frame_len` the
    /// frame's length for the memory model).
    pub fn ipv4(
        &mut self,
        now: Timestamp,
        id: PacketId,
        pkt: &[u8],
        frame_len: usize,
        zone: u16,
        limits: &Limits,
    ) -> Outcome {
        let ip = ipv4::Packet::new_unchecked(pkt);
        let key = V4Key {
            saddr: ip.src_bytes(),
            daddr: ip.dst_bytes(),
            id: ip.ident(),
            protocol: ip.protocol(),
            zone,
        };
        // A queue whose timer ran out is gone.
        if let Some(q) = self.v4.get(&key)
            && q.expires <= now + limits.jiffies.slack()
        {
            let q = self.v4.remove(&key).expect("present");
            self.mem_v4 = self.mem_v4.saturating_sub(q.mem);
            self.report(
                &q,
                Fate::Expired {
                    after_secs: limits.v4_timeout,
                },
            );
        }
        // inet_frag_find(): no queue at all above the high threshold.
        if limits.v4_high_thresh == 0 || self.mem_v4 > limits.v4_high_thresh {
            return Outcome::Dropped("reassembly memory over net.ipv4.ipfrag_high_thresh");
        }
        if !self.v4.contains_key(&key) {
            self.mem_v4 += QSIZE_V4;
            let expires = self.new_queue_expiry(now, limits.v4_timeout);
            self.v4.insert(key, Queue::new(expires, QSIZE_V4));
        }

        // ip_frag_too_far()
        if limits.v4_max_dist != 0 {
            let restart = now + crate::time::secs(limits.v4_timeout);
            if self.peers.len() >= PEER_THRESHOLD && !self.peers.contains_key(&key.saddr) {
                // inet_peer's garbage collection above inet_peer_threshold:
                // sources without a live queue are forgotten.
                let live: std::collections::HashSet<[u8; 4]> =
                    self.v4.keys().map(|k| k.saddr).collect();
                self.peers.retain(|s, _| live.contains(s));
            }
            let peer = self.peers.entry(key.saddr).or_insert(0);
            *peer = peer.wrapping_add(1);
            let end = *peer;
            let q = self.v4.get_mut(&key).expect("present");
            let start = q.rid;
            q.rid = end;
            if q.tail.is_some() && end.wrapping_sub(start) > limits.v4_max_dist {
                // ip_frag_reinit(): drop what was queued, restart the timer.
                let packets = q.packets();
                let freed: usize = q.frags.iter().map(|f| f.truesize).sum();
                let rid = q.rid;
                let mem = q.mem - freed;
                *q = Queue::new(restart, mem);
                q.rid = rid;
                self.mem_v4 = self.mem_v4.saturating_sub(freed);
                self.note_deadline(restart);
                if !packets.is_empty() {
                    self.fates.push(super::FragmentFate {
                        packets,
                        fate: Fate::TooFar { by: id },
                    });
                }
            }
        }

        let q = self.v4.get_mut(&key).expect("present");
        let ecn = frag_ecn(ip.tos());
        let offset = ip.frag_offset() as usize;
        let more = ip.more_frags();
        let ihl = ip.header_len();
        let mut end = offset + (pkt.len() - ihl);
        let discard = |this: &mut Defrag, why: &'static str| {
            if let Some(q) = this.v4.remove(&key) {
                this.mem_v4 = this.mem_v4.saturating_sub(q.mem);
                this.report(&q, Fate::Discarded { by: id, why });
            }
            Outcome::Dropped(why)
        };
        if !more {
            if end < q.len || (q.flags & LAST_IN != 0 && end != q.len) {
                return discard(self, "last fragment disagrees with the datagram's length");
            }
            q.flags |= LAST_IN;
            q.len = end;
        } else {
            end &= !7;
            if end > q.len {
                if q.flags & LAST_IN != 0 {
                    return discard(self, "fragment beyond the end of the datagram");
                }
                q.len = end;
            }
        }
        if end == offset {
            return discard(self, "empty fragment");
        }
        match q.insert(offset, end) {
            Insert::Ok => {}
            Insert::Dup => return Outcome::Dropped("duplicate fragment"),
            Insert::Overlap => return discard(self, "overlapping fragment"),
        }
        let ts = truesize(frame_len);
        let header = if offset == 0 { &pkt[..ihl] } else { &[][..] };
        q.store(header, &pkt[ihl..ihl + (end - offset)]);
        q.frags.push(Frag {
            packet: id,
            truesize: ts,
        });
        q.meat += end - offset;
        q.ecn |= ecn;
        q.mem += ts;
        self.mem_v4 += ts;
        if offset == 0 {
            q.flags |= FIRST_IN;
            q.head = Some(Head {
                header_len: ihl,
                nexthdr_at: 0,
                nexthdr: 0,
            });
        }
        let fragsize = (end - offset) + ihl;
        q.max_size = q.max_size.max(fragsize);
        if ip.dont_frag() {
            q.max_df_size = q.max_df_size.max(fragsize);
        }
        if q.flags != FIRST_IN | LAST_IN || q.meat != q.len {
            return Outcome::Queued;
        }

        // ip_frag_reasm()
        let q = self.v4.remove(&key).expect("present");
        self.mem_v4 = self.mem_v4.saturating_sub(q.mem);
        let others: Vec<PacketId> = q.packets().into_iter().filter(|&p| p != id).collect();
        let fail = |this: &mut Defrag, why: &'static str| {
            this.report(&q, Fate::Discarded { by: id, why });
            Outcome::Dropped(why)
        };
        let ecn = ecn_table(q.ecn);
        if ecn == 0xff {
            return fail(self, "fragments disagree on ECN");
        }
        let head = q.head.clone().expect("FIRST_IN has a head");
        let len = head.header_len + q.len;
        if len > 65535 {
            return fail(self, "reassembled datagram over 65535 bytes");
        }
        let (max_size, max_df_size) = (q.max_size, q.max_df_size);
        let mut packet = q.assemble(len);
        packet[2..4].copy_from_slice(&(len as u16).to_be_bytes());
        packet[1] |= ecn;
        let frag_off: u16 = if max_df_size == max_size {
            ipv4::FLAG_DF
        } else {
            0
        };
        packet[6..8].copy_from_slice(&frag_off.to_be_bytes());
        packet[10..12].copy_from_slice(&[0, 0]);
        let c = checksum::checksum(&packet[..head.header_len]);
        packet[10..12].copy_from_slice(&c.to_be_bytes());
        if !others.is_empty() {
            self.fates.push(super::FragmentFate {
                packets: others.clone(),
                fate: Fate::Completed { by: id },
            });
        }
        Outcome::Reassembled { packet, others }
    }
}
