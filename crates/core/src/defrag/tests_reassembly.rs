//! Reassembly cases one at a time, on hand-built fragments.

use super::*;
use crate::wire::checksum::checksum;
use crate::wire::ipv4 as wire_ipv4;
use std::time::Duration;

fn limits() -> Limits {
    Limits {
        v4_high_thresh: 4 << 20,
        v4_timeout: 30,
        v4_max_dist: 64,
        v6_high_thresh: 4 << 20,
        v6_timeout: 60,
        jiffies: Jiffies::default(),
    }
}

/// An IPv4 fragment of datagram `id` from 192.0.2.1 carrying `data` at
/// byte `offset`, protocol 17.
fn v4(id: u16, offset: usize, more: bool, data: &[u8]) -> Vec<u8> {
    v4_from([192, 0, 2, 1], id, offset, more, data)
}

fn v4_from(src: [u8; 4], id: u16, offset: usize, more: bool, data: &[u8]) -> Vec<u8> {
    let mut p = vec![0u8; 20];
    p[0] = 0x45;
    let total = (20 + data.len()) as u16;
    p[2..4].copy_from_slice(&total.to_be_bytes());
    p[4..6].copy_from_slice(&id.to_be_bytes());
    let frag = ((offset / 8) as u16) | if more { 0x2000 } else { 0 };
    p[6..8].copy_from_slice(&frag.to_be_bytes());
    p[8] = 64;
    p[9] = 17;
    p[12..16].copy_from_slice(&src);
    p[16..20].copy_from_slice(&[198, 51, 100, 2]);
    let c = checksum(&p);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(data);
    p
}

fn at(ms: u64) -> Timestamp {
    Timestamp::ZERO + Duration::from_millis(ms)
}

fn feed(d: &mut Defrag, ms: u64, id: PacketId, pkt: &[u8], l: &Limits) -> Outcome {
    d.ipv4(at(ms), id, pkt, pkt.len() + 14, 0, l)
}

fn payload(n: usize) -> Vec<u8> {
    (0..n).map(|i| i as u8).collect()
}

#[test]
fn in_order_fragments_make_the_datagram_with_a_fresh_header() {
    let l = limits();
    let mut d = Defrag::default();
    let data = payload(24);
    assert_eq!(
        feed(&mut d, 0, 1, &v4(7, 0, true, &data[..16]), &l),
        Outcome::Queued
    );
    let Outcome::Reassembled { packet, others } =
        feed(&mut d, 1, 2, &v4(7, 16, false, &data[16..]), &l)
    else {
        panic!("the last fragment completes the datagram");
    };
    assert_eq!(others, vec![1]);
    let ip = wire_ipv4::Packet::new_checked(&packet[..]).expect("a valid header");
    assert_eq!(ip.total_len() as usize, 20 + 24);
    assert!(!ip.is_fragment(), "offset and MF are cleared");
    assert!(ip.verify_checksum(), "the header checksum is recomputed");
    assert_eq!(ip.payload(), &data[..]);
    assert_eq!(d.queues(), (0, 0));
    assert_eq!(d.memory(), (0, 0), "everything charged is given back");
    assert_eq!(
        d.take_fates(),
        vec![FragmentFate {
            packets: vec![1],
            fate: Fate::Completed { by: 2 }
        }]
    );
}

#[test]
fn out_of_order_fragments_reassemble_in_offset_order() {
    let l = limits();
    let mut d = Defrag::default();
    let data = payload(40);
    assert_eq!(
        feed(&mut d, 0, 1, &v4(9, 32, false, &data[32..]), &l),
        Outcome::Queued
    );
    assert_eq!(
        feed(&mut d, 0, 2, &v4(9, 0, true, &data[..16]), &l),
        Outcome::Queued
    );
    let Outcome::Reassembled { packet, mut others } =
        feed(&mut d, 0, 3, &v4(9, 16, true, &data[16..32]), &l)
    else {
        panic!("the middle fragment completes it");
    };
    others.sort();
    assert_eq!(others, vec![1, 2]);
    assert_eq!(&packet[20..], &data[..]);
}

#[test]
fn a_duplicate_is_dropped_and_the_datagram_lives_on() {
    let l = limits();
    let mut d = Defrag::default();
    let data = payload(24);
    let first = v4(3, 0, true, &data[..16]);
    assert_eq!(feed(&mut d, 0, 1, &first, &l), Outcome::Queued);
    assert_eq!(
        feed(&mut d, 1, 2, &first, &l),
        Outcome::Dropped("duplicate fragment")
    );
    assert!(matches!(
        feed(&mut d, 2, 3, &v4(3, 16, false, &data[16..]), &l),
        Outcome::Reassembled { .. }
    ));
}

#[test]
fn an_overlap_kills_the_whole_datagram() {
    let l = limits();
    let mut d = Defrag::default();
    let data = payload(48);
    assert_eq!(
        feed(&mut d, 0, 1, &v4(4, 0, true, &data[..24]), &l),
        Outcome::Queued
    );
    let Outcome::Dropped(why) = feed(&mut d, 1, 2, &v4(4, 16, false, &data[16..]), &l) else {
        panic!("an overlapping fragment is dropped");
    };
    assert!(why.contains("overlap"), "{why}");
    assert_eq!(d.queues(), (0, 0), "the queue went with it");
    assert_eq!(
        d.take_fates(),
        vec![FragmentFate {
            packets: vec![1],
            fate: Fate::Discarded { by: 2, why }
        }]
    );
}

#[test]
fn an_incomplete_datagram_expires_after_ipfrag_time() {
    let l = limits();
    let mut d = Defrag::default();
    assert_eq!(
        feed(&mut d, 0, 1, &v4(5, 0, true, &payload(16)), &l),
        Outcome::Queued
    );
    d.expire(at(29_000), &l);
    assert!(d.take_fates().is_empty(), "not yet");
    d.expire(at(30_000), &l);
    assert_eq!(
        d.take_fates(),
        vec![FragmentFate {
            packets: vec![1],
            fate: Fate::Expired { after_secs: 30 }
        }]
    );
    assert_eq!(d.memory(), (0, 0));
    // A late last fragment starts a new queue and waits again.
    assert_eq!(
        feed(&mut d, 30_001, 2, &v4(5, 16, false, &payload(8)), &l),
        Outcome::Queued
    );
}

#[test]
fn above_the_high_threshold_new_fragments_are_refused() {
    let l = Limits {
        v4_high_thresh: 2000,
        ..limits()
    };
    let mut d = Defrag::default();
    let mut refused = 0;
    for id in 0..10u16 {
        match feed(&mut d, 0, u64::from(id), &v4(id, 0, true, &payload(16)), &l) {
            Outcome::Queued => {}
            Outcome::Dropped(why) => {
                assert!(why.contains("ipfrag_high_thresh"), "{why}");
                refused += 1;
            }
            o => panic!("unexpected {o:?}"),
        }
    }
    assert!(refused > 0 && refused < 10, "{refused} refused");
    assert!(d.memory().0 <= 2000 + truesize(50) + QSIZE_V4);
}

#[test]
fn ipfrag_max_dist_restarts_a_datagram_left_behind() {
    let l = Limits {
        v4_max_dist: 4,
        ..limits()
    };
    let mut d = Defrag::default();
    let data = payload(24);
    assert_eq!(
        feed(&mut d, 0, 1, &v4(1, 0, true, &data[..16]), &l),
        Outcome::Queued
    );
    // Five fragments of other datagrams from the same source.
    for n in 0..5u16 {
        assert_eq!(
            feed(
                &mut d,
                1,
                10 + u64::from(n),
                &v4(100 + n, 0, true, &data[..16]),
                &l
            ),
            Outcome::Queued
        );
    }
    // The first datagram's last fragment finds its queue restarted.
    assert_eq!(
        feed(&mut d, 2, 20, &v4(1, 16, false, &data[16..]), &l),
        Outcome::Queued
    );
    let fates = d.take_fates();
    assert!(
        fates.contains(&FragmentFate {
            packets: vec![1],
            fate: Fate::TooFar { by: 20 }
        }),
        "{fates:?}"
    );
    // Another source's fragments do not count against it.
    let mut d = Defrag::default();
    assert_eq!(
        feed(&mut d, 0, 1, &v4(1, 0, true, &data[..16]), &l),
        Outcome::Queued
    );
    for n in 0..5u8 {
        let other = v4_from([192, 0, 2, 10 + n], 1, 0, true, &data[..16]);
        assert_eq!(
            feed(&mut d, 1, 10 + u64::from(n), &other, &l),
            Outcome::Queued
        );
    }
    assert!(matches!(
        feed(&mut d, 2, 20, &v4(1, 16, false, &data[16..]), &l),
        Outcome::Reassembled { .. }
    ));
}

#[test]
fn source_records_stay_bounded_under_a_spoofed_flood() {
    let l = Limits {
        v4_high_thresh: 64 << 10,
        ..limits()
    };
    let mut d = Defrag::default();
    for n in 0..(ipv4::PEER_THRESHOLD as u32 + 1000) {
        let src = n.to_be_bytes();
        let f = v4_from([10, src[1], src[2], src[3]], 1, 0, true, &payload(16));
        let _ = feed(&mut d, 0, u64::from(n), &f, &l);
    }
    assert!(d.peers.len() <= ipv4::PEER_THRESHOLD, "{}", d.peers.len());
}
