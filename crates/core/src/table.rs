//! The connection table: entries in a slab, both tuples of every confirmed
//! entry in one hash index, as the kernel hashes `tuplehash[0]` and `[1]`.
//!
//! The index uses a hasher keyed randomly per process (std's SipHash
//! `RandomState`), like the kernel's `siphash` with `nf_conntrack_hash_rnd`:
//! no input can be crafted to collide. Nothing observable depends on hash
//! order: dumps are sorted by entry number.
//!
//! Expiry is lazy, as in `____nf_conntrack_find()`: an expired entry met by a
//! lookup is removed. A sweep that visits a few slots per packet plays the
//! garbage collector's part, so memory never holds dead entries for long.

use crate::conn::Conn;
use crate::ctinfo::Direction;
use crate::time::{Jiffies, Timestamp};
use crate::tuple::Tuple;
use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::time::Duration;

/// Index of an entry in the slab; valid until the entry is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConnId(u32);

impl ConnId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub fn from_index(i: u32) -> ConnId {
        ConnId(i)
    }
}

/// Slots visited by the sweep per packet.
const SWEEP_PER_PACKET: usize = 4;

/// What is left of a removed entry that had a helper: enough for the
/// helper's `destroy()` and for removing its expectations.
#[derive(Debug, Clone)]
pub struct Gone {
    pub id: ConnId,
    pub seq: u64,
    pub tuples: [Tuple; 2],
    pub help: Box<crate::helper::Help>,
}

#[derive(Debug)]
pub struct Table {
    slots: Vec<Option<Conn>>,
    free: Vec<u32>,
    index: HashMap<Tuple, (ConnId, Direction), RandomState>,
    /// Entries in the slab, confirmed or not (`nf_conntrack_count`).
    count: usize,
    next_seq: u64,
    sweep_at: usize,
    /// Expiry slack: half a jiffy.
    slack: Duration,
    /// Removed entries that had a helper, whose expectations must go too.
    gone_masters: Vec<Gone>,
}

impl Default for Table {
    fn default() -> Self {
        Table::new(Jiffies::default())
    }
}

impl Table {
    pub fn new(jiffies: Jiffies) -> Table {
        Table {
            slack: jiffies.slack(),
            slots: Vec::new(),
            free: Vec::new(),
            index: HashMap::with_hasher(RandomState::new()),
            count: 0,
            next_seq: 1,
            sweep_at: 0,
            gone_masters: Vec::new(),
        }
    }

    /// Entries allocated (confirmed or not, expired or not yet reaped).
    pub fn count(&self) -> usize {
        self.count
    }

    pub fn get(&self, id: ConnId) -> Option<&Conn> {
        self.slots.get(id.index()).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, id: ConnId) -> Option<&mut Conn> {
        self.slots.get_mut(id.index()).and_then(Option::as_mut)
    }

    /// The entry a tuple belongs to, expired or not.
    pub fn index_get(&self, tuple: &Tuple) -> Option<&(ConnId, Direction)> {
        self.index.get(tuple)
    }

    /// Look a tuple up without touching the table; expired entries are
    /// treated as absent.
    pub fn find(&self, tuple: &Tuple, now: Timestamp) -> Option<(ConnId, Direction)> {
        let &(id, dir) = self.index.get(tuple)?;
        let conn = self.get(id)?;
        (!conn.is_expired(now, self.slack)).then_some((id, dir))
    }

    /// Look a tuple up, removing the entry if it has expired. Returns the
    /// removed entry too, so the caller can report its end.
    pub fn find_reap(
        &mut self,
        tuple: &Tuple,
        now: Timestamp,
    ) -> (Option<(ConnId, Direction)>, Option<Conn>) {
        let Some(&(id, dir)) = self.index.get(tuple) else {
            return (None, None);
        };
        match self.get(id) {
            Some(c) if c.is_expired(now, self.slack) => (None, self.remove(id)),
            Some(_) => (Some((id, dir)), None),
            None => (None, None),
        }
    }

    /// Add an entry that is not yet confirmed (not findable).
    pub fn alloc(&mut self, conn: Conn) -> ConnId {
        self.count += 1;
        if let Some(i) = self.free.pop() {
            self.slots[i as usize] = Some(conn);
            ConnId(i)
        } else {
            self.slots.push(Some(conn));
            ConnId((self.slots.len() - 1) as u32)
        }
    }

    /// `__nf_conntrack_confirm()`: make the entry findable by both tuples
    /// and give it its entry number. False (and the entry is left
    /// unconfirmed) if either tuple is taken.
    pub fn confirm(&mut self, id: ConnId) -> bool {
        let Some(conn) = self.slots.get(id.index()).and_then(Option::as_ref) else {
            return false;
        };
        let [orig, reply] = conn.tuples;
        if self.index.contains_key(&orig) || self.index.contains_key(&reply) {
            return false;
        }
        self.index.insert(orig, (id, Direction::Original));
        self.index.insert(reply, (id, Direction::Reply));
        let seq = self.next_seq;
        self.next_seq += 1;
        if let Some(c) = self.get_mut(id) {
            c.seq = seq;
            c.status.insert(crate::status::Status::CONFIRMED);
        }
        true
    }

    /// Remove an entry (confirmed or not), returning it.
    pub fn remove(&mut self, id: ConnId) -> Option<Conn> {
        let conn = self.slots.get_mut(id.index())?.take()?;
        if conn.is_confirmed() {
            for t in &conn.tuples {
                if self.index.get(t).map(|(i, _)| *i) == Some(id) {
                    self.index.remove(t);
                }
            }
        }
        self.free.push(id.0);
        self.count -= 1;
        if let Some(help) = &conn.help {
            self.gone_masters.push(Gone {
                id,
                seq: conn.seq,
                tuples: conn.tuples,
                help: help.clone(),
            });
        }
        Some(conn)
    }

    /// Entries with a helper removed since the last call (their slots may
    /// be reused by the next allocation: take them before it).
    pub fn take_gone_masters(&mut self) -> Vec<Gone> {
        std::mem::take(&mut self.gone_masters)
    }

    /// Visit the next few slots and remove expired confirmed entries.
    pub fn sweep(&mut self, now: Timestamp, out: &mut Vec<Conn>) {
        if self.slots.is_empty() {
            return;
        }
        for _ in 0..SWEEP_PER_PACKET.min(self.slots.len()) {
            self.sweep_at = (self.sweep_at + 1) % self.slots.len();
            let i = self.sweep_at;
            let dead = matches!(&self.slots[i], Some(c) if c.is_confirmed() && c.is_expired(now, self.slack));
            if dead && let Some(c) = self.remove(ConnId(i as u32)) {
                out.push(c);
            }
        }
    }

    /// Remove every expired entry.
    pub fn reap_all(&mut self, now: Timestamp, out: &mut Vec<Conn>) {
        for i in 0..self.slots.len() {
            let dead = matches!(&self.slots[i], Some(c) if c.is_confirmed() && c.is_expired(now, self.slack));
            if dead && let Some(c) = self.remove(ConnId(i as u32)) {
                out.push(c);
            }
        }
    }

    /// Live confirmed entries, by entry number.
    pub fn live(&self, now: Timestamp) -> Vec<(ConnId, &Conn)> {
        let mut v: Vec<_> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|c| (ConnId(i as u32), c)))
            .filter(|(_, c)| c.is_confirmed() && !c.is_expired(now, self.slack))
            .collect();
        v.sort_by_key(|(_, c)| c.seq);
        v
    }

    /// Some entry that is not ASSURED, searched from a position derived
    /// from `hint`, looking at no more than `budget` entries: the victim of
    /// `early_drop()`.
    pub fn early_drop_candidate(&self, hint: u64, budget: usize) -> Option<ConnId> {
        let n = self.slots.len();
        if n == 0 {
            return None;
        }
        let start = (hint % n as u64) as usize;
        let mut seen = 0;
        for k in 0..n {
            let i = (start + k) % n;
            if let Some(c) = &self.slots[i] {
                if !c.is_confirmed() {
                    continue;
                }
                if !c.status.contains(crate::status::Status::ASSURED) {
                    return Some(ConnId(i as u32));
                }
                seen += 1;
                if seen >= budget {
                    break;
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tuple::{Addr, Family};

    fn tuple(sport: u16) -> Tuple {
        let mut t = Tuple::new(
            Family::Ipv4,
            17,
            Addr::v4([10, 0, 0, 1]),
            Addr::v4([10, 0, 0, 2]),
        );
        t.src_u = sport;
        t.dst_u = 53;
        t
    }

    fn conn(sport: u16, now: Timestamp) -> Conn {
        let o = tuple(sport);
        let mut r = o.swapped_addrs();
        r.src_u = o.dst_u;
        r.dst_u = o.src_u;
        let mut c = Conn::new(o, r, now);
        c.expires = now + Duration::from_secs(30);
        c
    }

    #[test]
    fn confirm_find_expire() {
        let mut t = Table::default();
        let now = Timestamp::from_secs(100);
        let id = t.alloc(conn(1000, now));
        assert_eq!(
            t.find(&tuple(1000), now),
            None,
            "unconfirmed entries are not findable"
        );
        assert!(t.confirm(id));
        assert_eq!(t.get(id).unwrap().seq, 1);
        assert_eq!(t.find(&tuple(1000), now), Some((id, Direction::Original)));
        let reply = t.get(id).unwrap().tuples[1];
        assert_eq!(t.find(&reply, now), Some((id, Direction::Reply)));
        let later = now + Duration::from_secs(30);
        assert_eq!(t.find(&tuple(1000), later), None, "expiry is inclusive");
        let (hit, dead) = t.find_reap(&tuple(1000), later);
        assert!(hit.is_none());
        assert_eq!(dead.unwrap().seq, 1);
        assert_eq!(t.count(), 0);
    }

    #[test]
    fn duplicate_tuples_do_not_confirm() {
        let mut t = Table::default();
        let now = Timestamp::from_secs(1);
        let a = t.alloc(conn(7, now));
        let b = t.alloc(conn(7, now));
        assert!(t.confirm(a));
        assert!(!t.confirm(b));
        t.remove(b);
        assert_eq!(t.find(&tuple(7), now), Some((a, Direction::Original)));
    }

    #[test]
    fn sweep_reaps_everything_eventually() {
        let mut t = Table::default();
        let now = Timestamp::from_secs(1);
        for p in 0..50 {
            let id = t.alloc(conn(p, now));
            t.confirm(id);
        }
        let later = now + Duration::from_secs(60);
        let mut dead = Vec::new();
        for _ in 0..20 {
            t.sweep(later, &mut dead);
        }
        assert_eq!(dead.len(), 50);
        assert_eq!(t.count(), 0);
        assert!(t.live(later).is_empty());
        // slots are reused
        let id = t.alloc(conn(1, later));
        assert!(id.index() < 50);
    }
}
