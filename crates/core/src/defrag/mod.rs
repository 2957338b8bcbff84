//! Defragmentation before conntrack, as `nf_defrag_ipv4` (`ip_defrag()`,
//! `net/ipv4/ip_fragment.c`) and `nf_defrag_ipv6` (`nf_ct_frag6_gather()`,
//! `net/ipv6/netfilter/nf_conntrack_reasm.c`) do it, sharing
//! `inet_frag_queue_insert()` (`net/ipv4/inet_fragment.c`).
//!
//! Fragments wait in queues keyed like the kernel's; a datagram is tracked
//! once, on the fragment that completes it. Queues die when their timer
//! runs out (`ipfrag_time`, `nf_conntrack_frag6_timeout`, counted from the
//! first fragment) or when a fragment proves the datagram corrupt. Memory is
//! accounted like the kernel's `frag_mem_limit`: a model of each fragment's
//! `skb->truesize` plus the queue's own size; above `*_high_thresh` new
//! fragments are refused. Every fragment's fate is reported
//! ([`FragmentFate`]) so a caller can say, for each frame, what became of it.

mod ipv4;
mod ipv6;

use crate::time::{Jiffies, Timestamp, secs};
use std::collections::HashMap;

/// Identifies a packet handed to the tracker (the caller's count).
pub type PacketId = u64;

/// What happened to a datagram's fragments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Reassembled; the datagram was tracked on packet `by`.
    Completed { by: PacketId },
    /// The reassembly timer ran out.
    Expired { after_secs: u32 },
    /// Packet `by` proved the datagram corrupt (overlap, inconsistent end,
    /// ECN mix, oversize...), and the queue was dropped.
    Discarded { by: PacketId, why: &'static str },
    /// Restarted: too many fragments from the same source in between
    /// (`ipfrag_max_dist`).
    TooFar { by: PacketId },
}

/// The fate of the queued fragments `packets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentFate {
    pub packets: Vec<PacketId>,
    pub fate: Fate,
}

/// What defragmentation did with one packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not a fragment, or a fragment the kernel lets through unreassembled.
    Pass,
    /// The fragment completed its datagram: track this packet instead. The
    /// other fragments it was made of are listed.
    Reassembled {
        packet: Vec<u8>,
        others: Vec<PacketId>,
    },
    /// Held until the datagram completes.
    Queued,
    /// Dropped (the datagram may live on, or not).
    Dropped(&'static str),
}

/// `IPFRAG_OK` / `IPFRAG_DUP` / `IPFRAG_OVERLAP`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Insert {
    Ok,
    Dup,
    Overlap,
}

/// One queued fragment: the packet it came in and the memory it is charged.
/// Its bytes are in its run.
#[derive(Debug, Clone)]
struct Frag {
    packet: PacketId,
    truesize: usize,
}

/// A run of adjacent fragments appended at the end (`frag_run_len`), with
/// their bytes. The run at offset 0 starts with the first fragment's
/// headers, so a datagram that arrived in order is handed over without a
/// further copy: every byte is copied once, when its fragment arrives.
#[derive(Debug, Clone)]
struct Run {
    start: usize,
    len: usize,
    data: Vec<u8>,
}

impl Run {
    fn new(start: usize, len: usize) -> Run {
        Run {
            start,
            len,
            data: Vec::new(),
        }
    }
}

/// `INET_FRAG_FIRST_IN` and `INET_FRAG_LAST_IN`.
const FIRST_IN: u8 = 1;
const LAST_IN: u8 = 2;

/// `struct inet_frag_queue` and its per-family extras.
#[derive(Debug, Clone)]
struct Queue {
    expires: Timestamp,
    frags: Vec<Frag>,
    runs: Vec<Run>,
    /// Index in `runs` of the run being appended to (`last_run_head`).
    last_run: Option<usize>,
    /// Index in `runs` of the run the last accepted fragment went into.
    placed: usize,
    /// Offset and length of `fragments_tail`.
    tail: Option<(usize, usize)>,
    /// `q.len`: the datagram's length as known so far.
    len: usize,
    /// `q.meat`: bytes received.
    meat: usize,
    flags: u8,
    ecn: u8,
    max_size: usize,
    max_df_size: usize,
    /// The first fragment's headers (IPv4 header; IPv6 header and the
    /// unfragmentable part, with the offset of the next-header byte that
    /// points at the fragment header).
    head: Option<Head>,
    /// `qp->rid` (IPv4, `ipfrag_max_dist`).
    rid: u32,
    /// Memory charged for this queue.
    mem: usize,
}

#[derive(Debug, Clone)]
struct Head {
    /// Length of the headers in front of the fragmentable part (IPv4
    /// header; IPv6 header and unfragmentable part). The bytes themselves
    /// lead the run at offset 0.
    header_len: usize,
    /// IPv6: offset in `header` of the next-header field to rewrite.
    nexthdr_at: usize,
    /// IPv6: the fragment header's next header.
    nexthdr: u8,
}

impl Queue {
    fn new(expires: Timestamp, mem: usize) -> Queue {
        Queue {
            expires,
            frags: Vec::new(),
            runs: Vec::new(),
            last_run: None,
            placed: 0,
            tail: None,
            len: 0,
            meat: 0,
            flags: 0,
            ecn: 0,
            max_size: 0,
            max_df_size: 0,
            head: None,
            rid: 0,
            mem,
        }
    }

    fn packets(&self) -> Vec<PacketId> {
        let mut v: Vec<PacketId> = self.frags.iter().map(|f| f.packet).collect();
        v.sort_unstable();
        v
    }

    /// `inet_frag_queue_insert()`: where a fragment [offset, end) goes.
    fn insert(&mut self, offset: usize, end: usize) -> Insert {
        match self.tail {
            None => {
                self.runs.push(Run::new(offset, end - offset));
                self.placed = self.runs.len() - 1;
                self.last_run = Some(self.runs.len() - 1);
                self.tail = Some((offset, end - offset));
            }
            Some((toff, tlen)) if toff + tlen < end => {
                let last_end = toff + tlen;
                if offset < last_end {
                    return Insert::Overlap;
                }
                if offset == last_end
                    && let Some(r) = self.last_run
                {
                    self.runs[r].len += end - offset;
                    self.placed = r;
                } else {
                    self.runs.push(Run::new(offset, end - offset));
                    self.last_run = Some(self.runs.len() - 1);
                    self.placed = self.runs.len() - 1;
                }
                self.tail = Some((offset, end - offset));
            }
            Some(_) => {
                // The binary search over runs: a fragment inside one run is a
                // duplicate; any other intersection is an overlap.
                for r in &self.runs {
                    let rend = r.start + r.len;
                    if end <= r.start || offset >= rend {
                        continue;
                    }
                    if offset >= r.start && end <= rend {
                        return Insert::Dup;
                    }
                    return Insert::Overlap;
                }
                // A run of its own; the tail stays where it was.
                self.runs.push(Run::new(offset, end - offset));
                self.placed = self.runs.len() - 1;
            }
        }
        Insert::Ok
    }

    /// Keep an accepted fragment's bytes in the run `insert` put it in;
    /// the first fragment brings the headers (`header`) along.
    fn store(&mut self, header: &[u8], data: &[u8]) {
        let run = &mut self.runs[self.placed];
        if run.data.is_empty() {
            run.data.reserve_exact(header.len() + data.len());
            run.data.extend_from_slice(header);
        }
        run.data.extend_from_slice(data);
    }

    /// The datagram: headers and data in offset order. Only bytes that
    /// arrived out of order are copied again.
    fn assemble(mut self, total: usize) -> Vec<u8> {
        self.runs.sort_by_key(|r| r.start);
        let mut runs = self.runs.into_iter();
        let mut out = runs.next().map(|r| r.data).unwrap_or_default();
        out.reserve_exact(total.saturating_sub(out.len()));
        for r in runs {
            out.extend_from_slice(&r.data);
        }
        out
    }
}

/// `skb->truesize` of a frame received on a veth: the data buffer
/// (`SKB_DATA_ALIGN(headroom + len) + SKB_DATA_ALIGN(skb_shared_info)`,
/// rounded up to its kmalloc bucket) plus `struct sk_buff`.
pub fn truesize(frame_len: usize) -> usize {
    const HEADROOM: usize = 16;
    const SHINFO: usize = 320;
    const SKB: usize = 256;
    let data = (HEADROOM + frame_len).div_ceil(64) * 64 + SHINFO;
    let bucket = match data {
        0..=512 => 512,
        513..=1024 => 1024,
        1025..=2048 => 2048,
        2049..=4096 => 4096,
        n => n.next_power_of_two(),
    };
    bucket + SKB
}

/// `sizeof(struct ipq)` and `sizeof(struct frag_queue)` on x86_64.
const QSIZE_V4: usize = 200;
const QSIZE_V6: usize = 216;

/// The key of an IPv4 queue (`struct frag_v4_compare_key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct V4Key {
    saddr: [u8; 4],
    daddr: [u8; 4],
    id: u16,
    protocol: u8,
    zone: u16,
}

/// The key of an IPv6 queue (`struct frag_v6_compare_key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct V6Key {
    saddr: [u8; 16],
    daddr: [u8; 16],
    id: u32,
    zone: u16,
}

/// Both families' reassembly state for one network namespace.
#[derive(Debug, Default)]
pub struct Defrag {
    v4: HashMap<V4Key, Queue>,
    v6: HashMap<V6Key, Queue>,
    mem_v4: usize,
    mem_v6: usize,
    /// `inet_peer->rid`: fragments seen per IPv4 source.
    peers: HashMap<[u8; 4], u32>,
    fates: Vec<FragmentFate>,
    /// The earliest queue deadline, so expiry costs nothing between them.
    next_expiry: Option<Timestamp>,
}

/// The knobs defragmentation reads.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub v4_high_thresh: usize,
    pub v4_timeout: u32,
    pub v4_max_dist: u32,
    pub v6_high_thresh: usize,
    pub v6_timeout: u32,
    pub jiffies: Jiffies,
}

impl Defrag {
    /// Fates decided since the last call.
    pub fn take_fates(&mut self) -> Vec<FragmentFate> {
        std::mem::take(&mut self.fates)
    }

    /// Memory charged to reassembly, per family (bytes).
    pub fn memory(&self) -> (usize, usize) {
        (self.mem_v4, self.mem_v6)
    }

    /// Queues alive, per family.
    pub fn queues(&self) -> (usize, usize) {
        (self.v4.len(), self.v6.len())
    }

    /// Whether any queue is alive (so [`Defrag::expire`] has work to do).
    pub fn pending(&self) -> bool {
        self.next_expiry.is_some()
    }

    /// Let every queue whose timer ran out by `now` die.
    pub fn expire(&mut self, now: Timestamp, limits: &Limits) {
        let slack = limits.jiffies.slack();
        match self.next_expiry {
            Some(t) if t <= now + slack => {}
            _ => return,
        }
        let dead: Vec<V4Key> = self
            .v4
            .iter()
            .filter(|(_, q)| q.expires <= now + slack)
            .map(|(k, _)| *k)
            .collect();
        for k in dead {
            if let Some(q) = self.v4.remove(&k) {
                self.mem_v4 = self.mem_v4.saturating_sub(q.mem);
                self.report(
                    &q,
                    Fate::Expired {
                        after_secs: limits.v4_timeout,
                    },
                );
            }
        }
        let dead: Vec<V6Key> = self
            .v6
            .iter()
            .filter(|(_, q)| q.expires <= now + slack)
            .map(|(k, _)| *k)
            .collect();
        for k in dead {
            if let Some(q) = self.v6.remove(&k) {
                self.mem_v6 = self.mem_v6.saturating_sub(q.mem);
                self.report(
                    &q,
                    Fate::Expired {
                        after_secs: limits.v6_timeout,
                    },
                );
            }
        }
        if self.v4.is_empty() {
            self.peers.clear();
        }
        self.next_expiry = self
            .v4
            .values()
            .chain(self.v6.values())
            .map(|q| q.expires)
            .min();
    }

    fn note_deadline(&mut self, t: Timestamp) {
        self.next_expiry = Some(self.next_expiry.map_or(t, |n| n.min(t)));
    }

    fn report(&mut self, q: &Queue, fate: Fate) {
        let packets = q.packets();
        if !packets.is_empty() {
            self.fates.push(FragmentFate { packets, fate });
        }
    }

    fn new_queue_expiry(&mut self, now: Timestamp, timeout: u32) -> Timestamp {
        let t = now + secs(timeout);
        self.note_deadline(t);
        t
    }
}

pub use ipv4::is_fragment as ipv4_is_fragment;

#[cfg(test)]
mod tests_reassembly;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_dups_and_overlaps() {
        let mut q = Queue::new(Timestamp::ZERO, 0);
        assert_eq!(q.insert(0, 8), Insert::Ok);
        assert_eq!(q.insert(8, 16), Insert::Ok, "appended to the run");
        assert_eq!(q.runs.len(), 1);
        assert_eq!(q.insert(0, 8), Insert::Dup, "inside the run");
        assert_eq!(q.insert(8, 16), Insert::Dup, "the tail again");
        assert_eq!(
            q.insert(12, 24),
            Insert::Overlap,
            "goes past the tail but starts inside it"
        );
        assert_eq!(q.insert(32, 40), Insert::Ok, "a gap: a new run");
        assert_eq!(q.runs.len(), 2);
        assert_eq!(
            q.insert(24, 32),
            Insert::Ok,
            "in the middle: a run of its own"
        );
        assert_eq!(q.runs.len(), 3);
        assert_eq!(q.insert(20, 28), Insert::Overlap);
        assert_eq!(q.insert(16, 24), Insert::Ok);
    }

    #[test]
    fn truesize_model() {
        assert_eq!(truesize(60), 768);
        assert_eq!(truesize(1514), 2304);
    }
}
