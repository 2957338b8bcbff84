//! The GRE keymap of one network namespace (`nf_ct_gre_keymap_*` in
//! `nf_conntrack_proto_gre.c`).
//!
//! Enhanced GRE (version 1, PPTP) carries one key only: the call id of the
//! receiving peer. A tuple needs two, so the PPTP helper, when it expects a
//! call's GRE, adds a mapping per direction (`nf_ct_gre_keymap_add()`): the
//! tuple's addresses and destination key give its source key. A GRE v1
//! packet's tuple (`gre_pkt_to_tuple()`) takes its destination key from the
//! header and its source key from the first mapping that matches, 0 when
//! none does; the same holds for a GRE packet quoted in an ICMP error.
//!
//! Each mapping belongs to a master (the PPTP control connection, named here
//! by its entry number), which has at most one per direction
//! (`ct_pptp_info->keymap[dir]`). They go when the master goes
//! (`pptp_destroy_siblings()`), when the call is disconnected, and when any
//! GRE entry that the master expected goes (`destroy_gre_conntrack()`).
//!
//! The kernel keeps one list and walks it for every GRE v1 packet; this
//! keeps the same list order (oldest first wins) in a hash index, and the
//! tracker does not look at it at all while it is empty.

use crate::ctinfo::Direction;
use crate::tuple::{Addr, Family, Tuple};
use crate::wire::{gre, header_at, ip_proto};
use std::collections::HashMap;

/// What `gre_key_cmpfn()` compares: family, both addresses, protocol and
/// destination key (not the source key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    family: Family,
    proto: u8,
    src: Addr,
    dst: Addr,
    dst_key: u16,
}

impl Key {
    fn of(t: &Tuple) -> Key {
        Key {
            family: t.family,
            proto: t.proto,
            src: t.src,
            dst: t.dst,
            dst_key: t.dst_u,
        }
    }
}

/// One `struct nf_ct_gre_keymap`: the tuple it was made from and its place
/// in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mapping {
    tuple: Tuple,
    order: u64,
}

/// `nf_ct_gre_keymap_add()` refused: the master's slot for that direction
/// holds another mapping (`-EEXIST`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotTaken;

/// The keymap list of one namespace.
#[derive(Debug, Default)]
pub struct GreKeymap {
    /// Per master entry number: its mapping per direction.
    slots: HashMap<u32, [Option<Mapping>; 2]>,
    /// Per compared key: (list position, source key), oldest first.
    index: HashMap<Key, Vec<(u64, u16)>>,
    next: u64,
    /// Tuples `pptp_destroy_siblings()` asked to be killed (the entry) or
    /// unexpected (an expectation), in order, for the tracker to act on.
    siblings: Vec<Tuple>,
}

impl GreKeymap {
    /// No mapping at all: GRE tuples keep source key 0.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Number of mappings.
    pub fn len(&self) -> usize {
        self.index.values().map(Vec::len).sum()
    }

    /// `gre_keymap_lookup()`: the source key for a tuple, 0 if no mapping
    /// matches.
    pub fn lookup(&self, t: &Tuple) -> u16 {
        if self.index.is_empty() {
            return 0;
        }
        self.index
            .get(&Key::of(t))
            .and_then(|v| v.first())
            .map_or(0, |&(_, key)| key)
    }

    /// The mapping (an expectation's tuple) `owner` has for `dir`.
    pub fn mapping(&self, owner: u32, dir: Direction) -> Option<Tuple> {
        self.slots.get(&owner)?[dir.index()].map(|m| m.tuple)
    }

    /// `nf_ct_gre_keymap_add()`: give `owner` the mapping `t` (an
    /// expectation's tuple) for `dir`. A slot already holding a mapping
    /// that compares equal (a retransmitted call reply) is left as it is;
    /// one holding another is an error.
    pub fn add(&mut self, owner: u32, dir: Direction, t: &Tuple) -> Result<(), SlotTaken> {
        let slot = self.slots.entry(owner).or_default();
        if let Some(m) = &slot[dir.index()] {
            return if Key::of(&m.tuple) == Key::of(t) {
                Ok(())
            } else {
                Err(SlotTaken)
            };
        }
        self.next += 1;
        let order = self.next;
        slot[dir.index()] = Some(Mapping { tuple: *t, order });
        // list_add_tail(): after every older mapping.
        self.index
            .entry(Key::of(t))
            .or_default()
            .push((order, t.src_u));
        Ok(())
    }

    /// `nf_ct_gre_keymap_destroy()`: remove the mappings of `owner`.
    pub fn destroy(&mut self, owner: u32) {
        if self.slots.is_empty() {
            return;
        }
        let Some(slot) = self.slots.remove(&owner) else {
            return;
        };
        for m in slot.into_iter().flatten() {
            let key = Key::of(&m.tuple);
            if let Some(v) = self.index.get_mut(&key) {
                v.retain(|&(o, _)| o != m.order);
                if v.is_empty() {
                    self.index.remove(&key);
                }
            }
        }
    }

    /// The keymap part of `gre_pkt_to_tuple()`: for a GRE version 1 packet
    /// of PPP whose header holds the call id, the source key comes from the
    /// keymap. `tuple` is the packet's tuple as the GRE tracker made it
    /// (destination key = call id).
    pub fn fix_up_tuple(&self, pkt: &[u8], dataoff: usize, tuple: &mut Tuple) {
        if tuple.proto != ip_proto::GRE || self.index.is_empty() {
            return;
        }
        let Some(h) = header_at(pkt, dataoff, 8) else {
            return;
        };
        let g = gre::Packet::new_unchecked(h);
        if g.version() != 1 || g.protocol() != gre::PROTO_PPP {
            return;
        }
        tuple.src_u = self.lookup(tuple);
    }

    /// `destroy_sibling_or_exp()`, for the tracker to carry out: the entry
    /// with tuple `t` is killed, or else the expectation `t` matches is
    /// removed.
    pub fn destroy_sibling_or_exp(&mut self, t: Tuple) {
        self.siblings.push(t);
    }

    /// Whether [`GreKeymap::destroy_sibling_or_exp`] left work.
    pub fn has_siblings(&self) -> bool {
        !self.siblings.is_empty()
    }

    /// The tuples [`GreKeymap::destroy_sibling_or_exp`] was given, in order.
    pub fn take_siblings(&mut self) -> Vec<Tuple> {
        std::mem::take(&mut self.siblings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(src: [u8; 4], dst: [u8; 4], src_key: u16, dst_key: u16) -> Tuple {
        let mut t = Tuple::new(Family::Ipv4, ip_proto::GRE, Addr::v4(src), Addr::v4(dst));
        t.src_u = src_key;
        t.dst_u = dst_key;
        t
    }

    const A: [u8; 4] = [192, 0, 2, 1];
    const B: [u8; 4] = [198, 51, 100, 2];

    #[test]
    fn lookup_by_addresses_and_destination_key() {
        let mut k = GreKeymap::default();
        assert!(k.is_empty());
        k.add(1, Direction::Original, &t(A, B, 0x1111, 0x2222))
            .unwrap();
        k.add(1, Direction::Reply, &t(B, A, 0x2222, 0x1111))
            .unwrap();
        assert_eq!(k.len(), 2);
        assert_eq!(k.lookup(&t(A, B, 0, 0x2222)), 0x1111);
        assert_eq!(k.lookup(&t(B, A, 0, 0x1111)), 0x2222);
        assert_eq!(k.lookup(&t(A, B, 0, 0x1111)), 0, "other key");
        assert_eq!(k.lookup(&t(B, B, 0, 0x2222)), 0, "other address");
        let mut v6 = t(A, B, 0, 0x2222);
        v6.family = Family::Ipv6;
        assert_eq!(k.lookup(&v6), 0, "other family");
        k.destroy(1);
        assert!(k.is_empty());
        assert_eq!(k.lookup(&t(A, B, 0, 0x2222)), 0);
    }

    #[test]
    fn one_slot_per_direction_and_retransmissions() {
        let mut k = GreKeymap::default();
        k.add(1, Direction::Original, &t(A, B, 0x1111, 0x2222))
            .unwrap();
        // The same addresses and destination key: a retransmission, even
        // with another source key (which is not compared); the first stays.
        k.add(1, Direction::Original, &t(A, B, 0x9999, 0x2222))
            .unwrap();
        assert_eq!(k.lookup(&t(A, B, 0, 0x2222)), 0x1111);
        assert_eq!(
            k.add(1, Direction::Original, &t(A, B, 0x1111, 0x2223)),
            Err(SlotTaken)
        );
        assert_eq!(k.len(), 1);
    }

    #[test]
    fn the_oldest_matching_mapping_wins() {
        let mut k = GreKeymap::default();
        k.add(1, Direction::Original, &t(A, B, 0x1111, 0x2222))
            .unwrap();
        k.add(2, Direction::Original, &t(A, B, 0x3333, 0x2222))
            .unwrap();
        assert_eq!(k.lookup(&t(A, B, 0, 0x2222)), 0x1111);
        k.destroy(1);
        assert_eq!(k.lookup(&t(A, B, 0, 0x2222)), 0x3333);
        k.destroy(1);
        k.destroy(7);
        assert_eq!(k.len(), 1);
    }

    #[test]
    fn only_gre_v1_ppp_packets_are_looked_up() {
        let mut k = GreKeymap::default();
        k.add(1, Direction::Original, &t(A, B, 0x1111, 0x2222))
            .unwrap();
        // GRE v1, K bit, protocol PPP, payload length 0, call id 0x2222.
        let v1 = [0x20, 0x01, 0x88, 0x0b, 0, 0, 0x22, 0x22];
        let mut tu = t(A, B, 0, 0x2222);
        k.fix_up_tuple(&v1, 0, &mut tu);
        assert_eq!(tu.src_u, 0x1111);
        for bad in [
            &[0x20, 0x00, 0x88, 0x0b, 0, 0, 0x22, 0x22][..],
            &[0x20, 0x01, 0x08, 0x00, 0, 0, 0x22, 0x22][..],
            &v1[..6],
        ] {
            let mut tu = t(A, B, 0, 0x2222);
            k.fix_up_tuple(bad, 0, &mut tu);
            assert_eq!(tu.src_u, 0, "{bad:x?}");
        }
    }
}
