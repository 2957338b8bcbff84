//! Property tests: arbitrary bytes into every wire view, the IP checks and
//! the tracker. Nothing may panic, and memory stays bounded whatever the
//! input: the table never exceeds `nf_conntrack_max`, padding never exceeds
//! `MAX_PADDED_LEN`.

use ctrack_core::time::Timestamp;
use ctrack_core::tracker::MAX_PADDED_LEN;
use ctrack_core::wire::link::{self, LinkType, Network};
use ctrack_core::wire::{
    checksum, dccp, ethernet, gre, icmp, icmpv6, ipv4, ipv6, null, sctp, sll, sll2, tcp, udp,
};
use ctrack_core::{Conntrack, Options, Sysctls, defrag, validate};
use proptest::prelude::*;
use std::time::Duration;

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

/// Touch every accessor of every view that accepts the buffer.
fn exercise_views(b: &[u8]) {
    if let Ok(f) = ethernet::Frame::new_checked(b) {
        let _ = (f.dst_addr(), f.src_addr(), f.ethertype(), f.payload().len());
        let _ = f.payload_after_tags();
    }
    if let Ok(h) = sll::Header::new_checked(b) {
        let _ = (
            h.packet_type(),
            h.hardware_type(),
            h.address(),
            h.protocol(),
            h.payload(),
        );
    }
    if let Ok(h) = sll2::Header::new_checked(b) {
        let _ = (
            h.protocol(),
            h.interface_index(),
            h.hardware_type(),
            h.packet_type(),
            h.address(),
            h.payload(),
        );
    }
    if let Ok(h) = null::Header::new_checked(b) {
        let _ = (h.family_host_order(), h.family_network_order(), h.payload());
    }
    if let Ok(p) = ipv4::Packet::new_checked(b) {
        let _ = (
            p.version(),
            p.header_len(),
            p.tos(),
            p.total_len(),
            p.ident(),
            p.dont_frag(),
        );
        let _ = (
            p.more_frags(),
            p.frag_offset(),
            p.is_fragment(),
            p.ttl(),
            p.protocol(),
            p.checksum(),
        );
        let _ = (
            p.src_addr(),
            p.dst_addr(),
            p.verify_checksum(),
            p.compute_checksum(),
            p.payload(),
        );
        for o in p.options() {
            let _ = o;
        }
    }
    if let Ok(p) = ipv6::Packet::new_checked(b) {
        let _ = (
            p.version(),
            p.traffic_class(),
            p.flow_label(),
            p.payload_len(),
            p.next_header(),
        );
        let _ = (p.hop_limit(), p.src_addr(), p.dst_addr(), p.payload());
    }
    let _ = ipv6::skip_exthdr(b);
    let _ = ipv6::ext_headers::<8>(b);
    let _ = ipv6::FragmentHeader::parse(b);
    if let Ok(p) = tcp::Packet::new_checked(b) {
        let _ = (
            p.src_port(),
            p.dst_port(),
            p.seq_number(),
            p.ack_number(),
            p.header_len(),
            p.flags(),
        );
        let _ = (p.window_len(), p.checksum(), p.urgent_at(), p.payload());
        for o in p.options() {
            let _ = o;
        }
    }
    for o in tcp::Options::new(b) {
        let _ = o;
    }
    if let Ok(p) = udp::Packet::new_checked(b) {
        let _ = (
            p.src_port(),
            p.dst_port(),
            p.length(),
            p.checksum(),
            p.payload(),
        );
    }
    if let Ok(p) = icmp::Packet::new_checked(b) {
        let _ = (
            p.msg_type(),
            p.msg_code(),
            p.checksum(),
            p.ident(),
            p.seq_number(),
            p.payload(),
        );
    }
    if let Ok(p) = icmpv6::Packet::new_checked(b) {
        let _ = (
            p.msg_type(),
            p.msg_code(),
            p.checksum(),
            p.ident(),
            p.seq_number(),
            p.payload(),
        );
    }
    if let Ok(p) = sctp::Packet::new_checked(b) {
        let _ = (
            p.src_port(),
            p.dst_port(),
            p.verification_tag(),
            p.checksum(),
        );
        for c in p.chunks().take(1000) {
            let _ = c;
        }
    }
    if let Ok(p) = dccp::Packet::new_checked(b) {
        let _ = (
            p.src_port(),
            p.dst_port(),
            p.header_len(),
            p.checksum_coverage(),
            p.checksum(),
        );
        let _ = (p.packet_type(), p.extended_seq(), p.seq_number());
    }
    if let Ok(p) = gre::Packet::new_checked(b) {
        let _ = (
            p.flags(),
            p.version(),
            p.protocol(),
            p.key(),
            p.call_id(),
            p.pptp_payload_len(),
        );
        let _ = gre::header_len(p.flags(), p.version());
    }
    let _ = checksum::checksum(b);
    for lt in [0u32, 1, 12, 101, 108, 113, 228, 229, 276, 147] {
        let _ = link::decode(LinkType::from_linktype(lt), b);
    }
    let _ = validate::ipv4(b, &validate::Options::default());
    let _ = validate::ipv6(b);
}

/// An IPv4 header with a correct checksum in front of `l4`.
fn ipv4_packet(proto: u8, src: [u8; 4], dst: [u8; 4], frag: u16, l4: &[u8]) -> Vec<u8> {
    let total = (20 + l4.len()).min(65535) as u16;
    let mut p = vec![0x45, 0, 0, 0, 0, 1, 0, 0, 64, proto, 0, 0];
    p[2..4].copy_from_slice(&total.to_be_bytes());
    p[6..8].copy_from_slice(&frag.to_be_bytes());
    p.extend_from_slice(&src);
    p.extend_from_slice(&dst);
    let c = checksum::checksum(&p);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(l4);
    p
}

fn ipv6_packet(next: u8, src: u8, dst: u8, rest: &[u8]) -> Vec<u8> {
    let mut p = vec![0x60, 0, 0, 0];
    p.extend_from_slice(&(rest.len().min(65535) as u16).to_be_bytes());
    p.extend_from_slice(&[next, 64]);
    p.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    p.extend_from_slice(&[0; 11]);
    p.push(src);
    p.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    p.extend_from_slice(&[0; 11]);
    p.push(dst);
    p.extend_from_slice(rest);
    p
}

/// Plausible packets, so the random bytes reach the trackers' insides.
fn packet() -> impl Strategy<Value = (Network, Vec<u8>)> {
    let proto = prop_oneof![
        Just(1u8),
        Just(6),
        Just(17),
        Just(33),
        Just(47),
        Just(50),
        Just(51),
        Just(58),
        Just(132),
        Just(136),
        any::<u8>()
    ];
    let v6_next = prop_oneof![
        Just(0u8),
        Just(43),
        Just(44),
        Just(51),
        Just(58),
        Just(59),
        Just(60),
        Just(17),
        Just(6),
        any::<u8>()
    ];
    prop_oneof![
        (
            proto,
            0u8..4,
            0u8..4,
            prop_oneof![Just(0u16), any::<u16>()],
            bytes(96)
        )
            .prop_map(|(p, s, d, f, l4)| {
                (
                    Network::Ipv4,
                    ipv4_packet(p, [10, 0, 0, s], [10, 0, 0, d], f, &l4),
                )
            }),
        (v6_next, 0u8..4, 0u8..4, bytes(128))
            .prop_map(|(n, s, d, rest)| (Network::Ipv6, ipv6_packet(n, s, d, &rest))),
        // ICMP errors quoting plausible packets
        (0u8..20, any::<u8>(), 0u8..4, bytes(40)).prop_map(|(t, c, s, inner_l4)| {
            let inner = ipv4_packet(17, [10, 0, 0, s], [10, 0, 0, 1], 0, &inner_l4);
            let mut l4 = vec![t, c, 0, 0, 0, 0, 0, 0];
            l4.extend_from_slice(&inner);
            (
                Network::Ipv4,
                ipv4_packet(1, [10, 0, 0, 9], [10, 0, 0, s], 0, &l4),
            )
        }),
        bytes(200).prop_map(|b| (Network::Ipv4, b)),
        bytes(200).prop_map(|b| (Network::Ipv6, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn wire_views_never_panic(b in bytes(256)) {
        exercise_views(&b);
    }

    #[test]
    fn tracker_never_panics_and_stays_bounded(
        pkts in proptest::collection::vec((packet(), 0u64..3_000_000_000, any::<usize>(), any::<bool>()), 1..80),
        checksum in any::<bool>(),
        strict in any::<bool>(),
    ) {
        let mut sysctl = Sysctls {
            max: 16,
            ..Default::default()
        };
        sysctl.checksum = u32::from(checksum);
        sysctl.udp_timeout = 1;
        let options = Options { strict_length: strict, ..Options::default() };
        let mut ct = Conntrack::new(sysctl, options);
        let mut now = Timestamp::from_secs(1_000);
        for ((net, data), gap, wire, cut) in pkts {
            now = now + Duration::from_nanos(gap);
            let data = if cut && data.len() > 1 { &data[..data.len() / 2] } else { &data[..] };
            let v = ct.process(now, net, data, wire % (1 << 24));
            prop_assert!(v.padded <= MAX_PADDED_LEN);
            prop_assert!(ct.table().count() <= 16);
            if v.ctstate.is_some() && v.ctstate != Some(ctrack_core::CtState::Invalid) && v.ctstate != Some(ctrack_core::CtState::Untracked) {
                prop_assert!(v.entry.is_some());
            }
            let _ = ct.proc_table(now);
        }
        ct.expire(now + Duration::from_secs(100_000));
        prop_assert_eq!(ct.entries(now + Duration::from_secs(100_000)).len(), 0);
    }
}

fn frag_limits(thresh: usize) -> defrag::Limits {
    defrag::Limits {
        v4_high_thresh: thresh,
        v4_timeout: 30,
        v4_max_dist: 64,
        v6_high_thresh: thresh,
        v6_timeout: 60,
        jiffies: Default::default(),
    }
}

/// An IPv6 fragment: fixed header, fragment header, data.
fn ipv6_fragment(id: u32, offset: usize, more: bool, data: &[u8]) -> Vec<u8> {
    let mut fh = vec![17u8, 0];
    let off = ((offset / 8) as u16) << 3 | u16::from(more);
    fh.extend_from_slice(&off.to_be_bytes());
    fh.extend_from_slice(&id.to_be_bytes());
    fh.extend_from_slice(data);
    ipv6_packet(44, 1, 2, &fh)
}

/// Cut points (multiples of 8) splitting `len` bytes into fragments.
fn pieces(len: usize, cuts: &[usize]) -> Vec<(usize, usize)> {
    let mut at: Vec<usize> = cuts
        .iter()
        .map(|c| (c % len) / 8 * 8)
        .filter(|c| *c > 0)
        .collect();
    at.push(0);
    at.push(len);
    at.sort();
    at.dedup();
    at.windows(2).map(|w| (w[0], w[1])).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any split of a datagram, in any order, reassembles to exactly it, on
    /// the last fragment to arrive, for both families.
    #[test]
    fn any_split_in_any_order_reassembles_exactly(
        len in 8usize..3000,
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
        order in any::<u64>(),
        v6 in any::<bool>(),
    ) {
        let data: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
        let mut parts = pieces(len, &cuts);
        // A deterministic shuffle from `order`.
        let mut seed = order | 1;
        for i in (1..parts.len()).rev() {
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
            parts.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let n = parts.len();
        let l = frag_limits(4 << 20);
        let mut d = defrag::Defrag::default();
        let now = Timestamp::from_secs(1);
        for (k, (s, e)) in parts.into_iter().enumerate() {
            let more = e != len;
            let out = if v6 {
                let p = ipv6_fragment(5, s, more, &data[s..e]);
                d.ipv6(now, k as u64, &p, p.len() + 14, 0, &l)
            } else {
                let total = 20 + e - s;
                let frag = (s / 8) as u16 | if more { 0x2000 } else { 0 };
                let mut p = ipv4_packet(17, [10, 0, 0, 1], [10, 0, 0, 2], frag, &data[s..e]);
                p[2..4].copy_from_slice(&(total as u16).to_be_bytes());
                d.ipv4(now, k as u64, &p, p.len() + 14, 0, &l)
            };
            if k + 1 < n {
                prop_assert_eq!(out, defrag::Outcome::Queued);
            } else {
                let defrag::Outcome::Reassembled { packet, others } = out else {
                    return Err(TestCaseError::fail(format!("last fragment gave {out:?}")));
                };
                prop_assert_eq!(others.len(), n - 1);
                let hdr = if v6 { 40 } else { 20 };
                prop_assert_eq!(&packet[hdr..], &data[..]);
            }
        }
        prop_assert_eq!(d.memory(), (0, 0));
    }

    /// Random fragments of a few datagrams: nothing panics, memory never
    /// goes much past the high threshold, and expiry frees everything.
    #[test]
    fn arbitrary_fragments_stay_within_the_memory_limit(
        frags in proptest::collection::vec(
            (any::<bool>(), 0u16..4, 0usize..400, 0usize..600, any::<bool>(), 0u64..2_000_000_000),
            1..120),
        thresh in 0usize..20_000,
    ) {
        let l = frag_limits(thresh);
        let mut d = defrag::Defrag::default();
        let mut now = Timestamp::from_secs(1);
        for (k, (v6, id, off8, len, more, gap)) in frags.into_iter().enumerate() {
            now = now + Duration::from_nanos(gap);
            d.expire(now, &l);
            let data = vec![0xabu8; len];
            let off = off8 * 8;
            let out = if v6 {
                let p = ipv6_fragment(u32::from(id), off, more, &data);
                d.ipv6(now, k as u64, &p, p.len() + 14, 0, &l)
            } else {
                let frag = (off8 as u16 & 0x1fff) | if more { 0x2000 } else { 0 };
                let p = ipv4_packet(17, [10, 0, 0, 1], [10, 0, 0, 2], frag, &data);
                d.ipv4(now, k as u64, &p, p.len() + 14, 0, &l)
            };
            let _ = out;
            let (m4, m6) = d.memory();
            // One fragment and one queue may be admitted while under the limit.
            let slack = defrag::truesize(700) + 256;
            prop_assert!(m4 <= thresh + slack, "v4 memory {} over {}", m4, thresh);
            prop_assert!(m6 <= thresh + slack, "v6 memory {} over {}", m6, thresh);
        }
        d.expire(now + Duration::from_secs(120), &l);
        prop_assert_eq!(d.memory(), (0, 0));
        prop_assert_eq!(d.queues(), (0, 0));
    }
}
