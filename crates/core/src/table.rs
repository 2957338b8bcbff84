//! The connection table, laid out as `nf_conntrack_core.c` lays it out:
//! entries in a slab, and both tuples of every confirmed entry chained into
//! a hash table of `nf_conntrack_buckets` buckets (rounded up to a multiple
//! of 512, as `nf_ct_alloc_hashtable()` does), newest first.
//!
//! The bucket of a tuple comes from a hasher keyed randomly per process
//! (std's SipHash `RandomState`), as the kernel's comes from `siphash` keyed
//! at boot: no input can be crafted to collide, and, as in the kernel, which
//! entries share a bucket is random. Buckets matter where the kernel's
//! behaviour depends on them: `early_drop()` scans the new tuple's bucket
//! and the 7 after it.
//!
//! Expiry is lazy, as in the kernel: an expired entry stays (and counts
//! against `nf_conntrack_max`) until a lookup walks over it in its bucket
//! (`____nf_conntrack_find()` reaps every expired entry on its way), an
//! early-drop scan meets it, or a garbage-collector pass (`gc_worker()`,
//! modelled by [`Table::gc`]) reaps it.

use crate::conn::Conn;
use crate::ctinfo::Direction;
use crate::status::Status;
use crate::time::{Jiffies, Timestamp};
use crate::tuple::Tuple;
use crate::zone::Zone;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
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

/// Buckets `early_drop()` looks at (`NF_CT_EVICTION_RANGE`).
pub const EVICTION_RANGE: usize = 8;

/// `gc_worker()`'s constants.
const GC_SCAN_INTERVAL_MAX: Duration = Duration::from_secs(60);
const GC_SCAN_INTERVAL_MIN: Duration = Duration::from_secs(1);
const GC_SCAN_INTERVAL_CLAMP: Duration = Duration::from_secs(300);
const GC_SCAN_INITIAL_COUNT: i64 = 100;

/// No node (end of a chain).
const NONE: u32 = u32::MAX;

/// What is left of a removed entry that had a helper: enough for the
/// helper's `destroy()` and for removing its expectations.
#[derive(Debug, Clone)]
pub struct Gone {
    pub id: ConnId,
    pub seq: u32,
    pub tuples: [Tuple; 2],
    pub help: crate::helper::Help,
}

/// A tuple's place in its bucket's chain: node `2 * slot + direction`.
#[derive(Debug, Clone, Copy)]
struct Link {
    prev: u32,
    next: u32,
}

const UNLINKED: Link = Link {
    prev: NONE,
    next: NONE,
};

/// What a garbage-collector pass removed.
#[derive(Debug, Default)]
pub struct GcPass {
    pub expired: Vec<Conn>,
    /// Entries killed by the GC's early drop (table near full).
    pub dropped: Vec<Conn>,
}

#[derive(Debug)]
pub struct Table {
    slots: Vec<Option<Conn>>,
    links: Vec<[Link; 2]>,
    /// First node of each bucket (allocated at the first confirmation).
    heads: Vec<u32>,
    /// One bit per bucket, set while its chain is not empty: the garbage
    /// collector visits buckets in order as the kernel's does, but skips
    /// 64 empty ones per word (a pass over a mostly empty table of 262,144
    /// buckets is 4,096 words, not 262,144 heads).
    occupied: Vec<u64>,
    /// The GC's copy of the chain it is walking (reused: no allocation per
    /// bucket).
    gc_nodes: Vec<u32>,
    buckets: usize,
    hasher: RandomState,
    free: Vec<u32>,
    /// Entries in the slab, confirmed or not, expired or not yet reaped
    /// (`nf_conntrack_count`).
    count: usize,
    next_seq: u32,
    /// Expiry slack: half a jiffy.
    slack: Duration,
    jiffies: Jiffies,
    /// When the next garbage-collector pass runs.
    gc_next: Option<Timestamp>,
    /// A packet was refused: the next pass drops entries
    /// (`conntrack_gc_work.early_drop`).
    gc_early_drop: bool,
    /// Removed entries that had a helper, whose expectations must go too.
    gone_masters: Vec<Gone>,
    /// Entry numbers of the masters of removed GRE entries that had one
    /// (`destroy_gre_conntrack()` destroys the master's GRE keymap).
    gone_gre_masters: Vec<u32>,
}

impl Default for Table {
    fn default() -> Self {
        Table::new(Jiffies::default(), 262_144)
    }
}

/// `nf_ct_alloc_hashtable()`'s rounding: a whole number of pages of
/// bucket heads.
pub fn effective_buckets(buckets: u32) -> usize {
    (buckets.max(1) as usize).div_ceil(512) * 512
}

impl Table {
    pub fn new(jiffies: Jiffies, buckets: u32) -> Table {
        Table {
            slack: jiffies.slack(),
            jiffies,
            slots: Vec::new(),
            links: Vec::new(),
            heads: Vec::new(),
            occupied: Vec::new(),
            gc_nodes: Vec::new(),
            buckets: effective_buckets(buckets),
            hasher: RandomState::new(),
            free: Vec::new(),
            count: 0,
            next_seq: 1,
            gc_next: None,
            gc_early_drop: false,
            gone_masters: Vec::new(),
            gone_gre_masters: Vec::new(),
        }
    }

    /// Entries allocated (confirmed or not, expired or not yet reaped).
    pub fn count(&self) -> usize {
        self.count
    }

    /// The number of buckets in use.
    pub fn buckets(&self) -> usize {
        self.buckets
    }

    pub fn get(&self, id: ConnId) -> Option<&Conn> {
        self.slots.get(id.index()).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, id: ConnId) -> Option<&mut Conn> {
        self.slots.get_mut(id.index()).and_then(Option::as_mut)
    }

    /// `hash_conntrack()`: the bucket of a tuple with a zone id (its
    /// direction's, [`Zone::id_for`]).
    pub fn bucket_of(&self, tuple: &Tuple, zone: u16) -> usize {
        // The tuple and zone in one write (`hash_conntrack_raw()` mixes the
        // zone into its seed).
        let mut key = [0; crate::tuple::KEY_LEN + 2];
        key[..crate::tuple::KEY_LEN].copy_from_slice(&tuple.key());
        key[crate::tuple::KEY_LEN..].copy_from_slice(&zone.to_ne_bytes());
        let mut hasher = self.hasher.build_hasher();
        hasher.write(&key);
        let h = hasher.finish() as u32;
        // reciprocal_scale()
        ((u64::from(h) * self.buckets as u64) >> 32) as usize
    }

    fn node_conn(&self, node: u32) -> (ConnId, Direction, &Conn) {
        let slot = node / 2;
        let dir = if node.is_multiple_of(2) {
            Direction::Original
        } else {
            Direction::Reply
        };
        let conn = self.slots[slot as usize]
            .as_ref()
            .expect("chained nodes belong to live slots");
        (ConnId(slot), dir, conn)
    }

    /// The nodes of a bucket, in chain order.
    /// The nodes of `bucket`'s chain, head first, into `out`.
    fn chain_into(&self, bucket: usize, out: &mut Vec<u32>) {
        out.clear();
        let mut n = self.heads.get(bucket).copied().unwrap_or(NONE);
        while n != NONE {
            out.push(n);
            n = self.links[(n / 2) as usize][(n % 2) as usize].next;
        }
    }

    /// The first bucket at or after `from` whose chain is not empty.
    fn next_occupied(&self, from: usize) -> Option<usize> {
        let mut w = from / 64;
        let mut bits = *self.occupied.get(w)? & (u64::MAX << (from % 64));
        loop {
            if bits != 0 {
                return Some(w * 64 + bits.trailing_zeros() as usize);
            }
            w += 1;
            bits = *self.occupied.get(w)?;
        }
    }

    /// Whether a tuple is in the table (in `bucket`), expired or not.
    fn in_bucket(&self, bucket: usize, tuple: &Tuple, zone: Zone) -> bool {
        self.walk(bucket, tuple, zone).is_some()
    }

    /// The entry a tuple belongs to, expired or not.
    pub fn lookup_any(&self, tuple: &Tuple) -> Option<(ConnId, Direction)> {
        if self.heads.is_empty() {
            return None;
        }
        self.walk(self.bucket_of(tuple, 0), tuple, Zone::DEFAULT)
    }

    /// `nf_ct_key_equal()` along a chain: the tuple, with the zone id of
    /// the direction each node has on both sides.
    fn walk(&self, bucket: usize, tuple: &Tuple, zone: Zone) -> Option<(ConnId, Direction)> {
        let mut n = self.heads[bucket];
        while n != NONE {
            let (id, dir, conn) = self.node_conn(n);
            if conn.zone.id_for(dir) == zone.id_for(dir) && conn.has_tuple(dir, tuple) {
                return Some((id, dir));
            }
            n = self.links[(n / 2) as usize][(n % 2) as usize].next;
        }
        None
    }

    /// Look a tuple up without touching the table; expired entries are
    /// treated as absent.
    pub fn find(&self, tuple: &Tuple, now: Timestamp) -> Option<(ConnId, Direction)> {
        self.find_in(tuple, Zone::DEFAULT, now)
    }

    /// [`Table::find`] in conntrack zone `zone`.
    pub fn find_in(
        &self,
        tuple: &Tuple,
        zone: Zone,
        now: Timestamp,
    ) -> Option<(ConnId, Direction)> {
        if self.heads.is_empty() {
            return None;
        }
        let bucket = self.bucket_of(tuple, zone.id_for(Direction::Original));
        let (id, dir) = self.walk(bucket, tuple, zone)?;
        let conn = self.get(id)?;
        (!conn.is_expired(now, self.slack)).then_some((id, dir))
    }

    /// `____nf_conntrack_find()`: look a tuple up, removing the expired
    /// entries met in its bucket before it (returned, so the caller can
    /// report their end).
    pub fn find_reap(
        &mut self,
        tuple: &Tuple,
        now: Timestamp,
    ) -> (Option<(ConnId, Direction)>, Vec<Conn>) {
        self.find_reap_in(tuple, Zone::DEFAULT, now)
    }

    /// [`Table::find_reap`] in conntrack zone `zone`.
    pub fn find_reap_in(
        &mut self,
        tuple: &Tuple,
        zone: Zone,
        now: Timestamp,
    ) -> (Option<(ConnId, Direction)>, Vec<Conn>) {
        let mut dead = Vec::new();
        if self.heads.is_empty() {
            return (None, dead);
        }
        let bucket = self.bucket_of(tuple, zone.id_for(Direction::Original));
        'walk: loop {
            let mut n = self.heads[bucket];
            while n != NONE {
                let (id, dir, conn) = self.node_conn(n);
                if conn.is_expired(now, self.slack) {
                    if let Some(c) = self.remove(id) {
                        dead.push(c);
                    }
                    // The chain changed (both of its nodes may be here).
                    continue 'walk;
                }
                if conn.zone.id_for(dir) == zone.id_for(dir) && conn.has_tuple(dir, tuple) {
                    return (Some((id, dir)), dead);
                }
                n = self.links[(n / 2) as usize][(n % 2) as usize].next;
            }
            return (None, dead);
        }
    }

    /// Add an entry that is not yet confirmed (not findable).
    pub fn alloc(&mut self, conn: Conn) -> ConnId {
        self.count += 1;
        if let Some(i) = self.free.pop() {
            self.slots[i as usize] = Some(conn);
            self.links[i as usize] = [UNLINKED; 2];
            ConnId(i)
        } else {
            self.slots.push(Some(conn));
            self.links.push([UNLINKED; 2]);
            ConnId((self.slots.len() - 1) as u32)
        }
    }

    fn link(&mut self, node: u32, bucket: usize) {
        let head = self.heads[bucket];
        self.links[(node / 2) as usize][(node % 2) as usize] = Link {
            prev: NONE,
            next: head,
        };
        if head != NONE {
            self.links[(head / 2) as usize][(head % 2) as usize].prev = node;
        }
        self.heads[bucket] = node;
        self.occupied[bucket / 64] |= 1 << (bucket % 64);
    }

    fn unlink(&mut self, node: u32, bucket: usize) {
        let Link { prev, next } = self.links[(node / 2) as usize][(node % 2) as usize];
        if prev == NONE {
            if self.heads.get(bucket) == Some(&node) {
                self.heads[bucket] = next;
                if next == NONE {
                    self.occupied[bucket / 64] &= !(1 << (bucket % 64));
                }
            }
        } else {
            self.links[(prev / 2) as usize][(prev % 2) as usize].next = next;
        }
        if next != NONE {
            self.links[(next / 2) as usize][(next % 2) as usize].prev = prev;
        }
        self.links[(node / 2) as usize][(node % 2) as usize] = UNLINKED;
    }

    /// `__nf_conntrack_confirm()`: make the entry findable by both tuples
    /// and give it its entry number. False (and the entry is left
    /// unconfirmed) if either tuple is taken.
    pub fn confirm(&mut self, id: ConnId) -> bool {
        let Some(conn) = self.slots.get(id.index()).and_then(Option::as_ref) else {
            return false;
        };
        let [orig, reply] = conn.tuples();
        let zone = conn.zone;
        if self.heads.is_empty() {
            self.heads = vec![NONE; self.buckets];
            self.occupied = vec![0; self.buckets.div_ceil(64)];
        }
        let (bo, br) = (
            self.bucket_of(&orig, zone.id_for(Direction::Original)),
            self.bucket_of(&reply, zone.id_for(Direction::Reply)),
        );
        if self.in_bucket(bo, &orig, zone) || self.in_bucket(br, &reply, zone) {
            return false;
        }
        self.link(id.0 * 2, bo);
        self.link(id.0 * 2 + 1, br);
        let seq = self.next_seq;
        // 0 means "not confirmed": the count wraps from u32::MAX to 1.
        self.next_seq = self.next_seq.checked_add(1).unwrap_or(1);
        if let Some(c) = self.get_mut(id) {
            c.seq = seq;
            c.status.insert(Status::CONFIRMED);
        }
        true
    }

    /// Remove an entry (confirmed or not), returning it.
    pub fn remove(&mut self, id: ConnId) -> Option<Conn> {
        let conn = self.slots.get_mut(id.index())?.take()?;
        if conn.is_confirmed() && !self.heads.is_empty() {
            let (bo, br) = (
                self.bucket_of(conn.orig(), conn.zone.id_for(Direction::Original)),
                self.bucket_of(
                    &conn.tuple(Direction::Reply),
                    conn.zone.id_for(Direction::Reply),
                ),
            );
            self.unlink(id.0 * 2, bo);
            self.unlink(id.0 * 2 + 1, br);
        }
        self.free.push(id.0);
        self.count -= 1;
        if let Some(help) = conn.help() {
            self.gone_masters.push(Gone {
                id,
                seq: conn.seq,
                tuples: conn.tuples(),
                help: help.clone(),
            });
        }
        if let Some((_, master_seq)) = conn.master()
            && conn.orig().proto == crate::wire::ip_proto::GRE
        {
            self.gone_gre_masters.push(master_seq);
        }
        Some(conn)
    }

    /// Entries with a helper removed since the last call (their slots may
    /// be reused by the next allocation: take them before it).
    pub fn take_gone_masters(&mut self) -> Vec<Gone> {
        std::mem::take(&mut self.gone_masters)
    }

    /// Masters (entry numbers) of GRE entries removed since the last call.
    pub fn take_gone_gre_masters(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.gone_gre_masters)
    }

    /// `early_drop()`: for a new entry whose original tuple is `tuple`, look
    /// at its bucket and the `EVICTION_RANGE - 1` after it; in the first
    /// bucket holding entries that are not ASSURED, kill them all
    /// (`early_drop_list()`). Expired entries met on the way are reaped
    /// but do not count. Returns (killed, reaped).
    pub fn early_drop(
        &mut self,
        tuple: &Tuple,
        zone: Zone,
        now: Timestamp,
    ) -> (Vec<Conn>, Vec<Conn>) {
        let mut killed = Vec::new();
        let mut expired = Vec::new();
        if self.heads.is_empty() {
            return (killed, expired);
        }
        let start = self.bucket_of(tuple, zone.id_for(Direction::Original));
        for i in 0..EVICTION_RANGE {
            let bucket = (start + i) % self.buckets;
            // Walk the chain; after a removal start again from its head (the
            // removed entry's other node may have been the next one).
            'walk: loop {
                let mut n = self.heads[bucket];
                while n != NONE {
                    let (id, _, conn) = self.node_conn(n);
                    if conn.is_expired(now, self.slack) {
                        if let Some(c) = self.remove(id) {
                            expired.push(c);
                        }
                        continue 'walk;
                    }
                    if !conn.status.contains(Status::ASSURED) && conn.is_confirmed() {
                        if let Some(c) = self.remove(id) {
                            killed.push(c);
                        }
                        continue 'walk;
                    }
                    n = self.links[(n / 2) as usize][(n % 2) as usize].next;
                }
                break;
            }
            if !killed.is_empty() {
                break;
            }
        }
        (killed, expired)
    }

    /// A packet was refused for want of room: the next GC pass drops
    /// entries.
    pub fn note_refused(&mut self) {
        self.gc_early_drop = true;
    }

    /// The garbage collector (`gc_worker()`), run when its time has come:
    /// reap every expired entry; if a packet was refused since the last
    /// pass and `max` is at least 100, kill entries `can_early_drop` allows
    /// (not ASSURED, or in a closing state) while the table holds 95 % of
    /// `max` or more; then schedule the next pass from the remaining
    /// entries' timeouts, as the kernel does (between 1 and 60 s). The
    /// first pass comes 60 s after the first packet (the kernel's worker
    /// runs on its own schedule; its phase is not in the capture).
    pub fn gc(
        &mut self,
        now: Timestamp,
        max: usize,
        can_early_drop: impl Fn(&Conn) -> bool,
    ) -> GcPass {
        let mut pass = GcPass::default();
        let next = *self.gc_next.get_or_insert(now + GC_SCAN_INTERVAL_MAX);
        if now < next {
            return pass;
        }
        let hz = i64::from(self.jiffies.hz());
        let j = |d: Duration| (d.as_nanos() as i64 * hz) / 1_000_000_000;
        let max95 = if self.gc_early_drop {
            max / 100 * 95
        } else {
            0
        };
        let mut next_run = j(GC_SCAN_INTERVAL_MAX);
        let mut count = GC_SCAN_INITIAL_COUNT;
        let mut nodes = std::mem::take(&mut self.gc_nodes);
        let mut from = 0;
        while let Some(bucket) = self.next_occupied(from) {
            from = bucket + 1;
            self.chain_into(bucket, &mut nodes);
            for &n in &nodes {
                let slot = (n / 2) as usize;
                let Some(conn) = self.slots[slot].as_ref() else {
                    continue;
                };
                if conn.is_expired(now, self.slack) {
                    if let Some(c) = self.remove(ConnId(slot as u32)) {
                        pass.expired.push(c);
                    }
                    continue;
                }
                let left = (conn.expires - now).clamp(GC_SCAN_INTERVAL_MIN, GC_SCAN_INTERVAL_CLAMP);
                count += 1;
                next_run += (j(left) - next_run) / count;
                if max95 == 0 || self.count < max95 || !conn.is_confirmed() {
                    continue;
                }
                if can_early_drop(conn)
                    && let Some(c) = self.remove(ConnId(slot as u32))
                {
                    pass.dropped.push(c);
                }
            }
        }
        self.gc_nodes = nodes;
        let next_run = next_run.clamp(j(GC_SCAN_INTERVAL_MIN), j(GC_SCAN_INTERVAL_MAX));
        self.gc_next = Some(now + Duration::from_nanos((next_run * 1_000_000_000 / hz) as u64));
        self.gc_early_drop = false;
        pass
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
        // Oldest first, also after the numbers wrapped.
        let next = self.next_seq;
        v.sort_by_key(|(_, c)| c.seq.wrapping_sub(next));
        v
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
        let reply = t.get(id).unwrap().tuple(Direction::Reply);
        assert_eq!(t.find(&reply, now), Some((id, Direction::Reply)));
        let later = now + Duration::from_secs(30);
        assert_eq!(t.find(&tuple(1000), later), None, "expiry is inclusive");
        let (hit, dead) = t.find_reap(&tuple(1000), later);
        assert!(hit.is_none());
        assert_eq!(dead[0].seq, 1);
        assert_eq!(t.count(), 0);
    }

    /// Every bucket's bit says whether its chain has nodes, and
    /// `next_occupied` finds exactly the non-empty buckets in order.
    fn assert_occupancy(t: &Table) {
        let nonempty: Vec<usize> = (0..t.heads.len()).filter(|&b| t.heads[b] != NONE).collect();
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(b) = t.next_occupied(from) {
            found.push(b);
            from = b + 1;
        }
        assert_eq!(found, nonempty);
    }

    #[test]
    fn the_occupancy_bits_follow_the_chains() {
        // 512 buckets (the minimum) and 2,000 entries: chains of several
        // nodes, and buckets emptied by removals from any place in them.
        let mut t = Table::new(Jiffies::default(), 1);
        let now = Timestamp::from_secs(1);
        let ids: Vec<ConnId> = (0..2000)
            .map(|i| {
                let id = t.alloc(conn(i, now));
                assert!(t.confirm(id));
                id
            })
            .collect();
        assert_occupancy(&t);
        for (k, id) in ids.iter().enumerate() {
            if k % 3 != 0 {
                t.remove(*id);
            }
        }
        assert_occupancy(&t);
        for id in ids.iter().step_by(3) {
            t.remove(*id);
        }
        assert_occupancy(&t);
        assert_eq!(t.next_occupied(0), None, "an empty table has no chains");
        // Entries expire and the GC finds them through the bits.
        for i in 0..100 {
            let id = t.alloc(conn(i, now));
            assert!(t.confirm(id));
        }
        assert!(
            t.gc(now, 0, |_| false).expired.is_empty(),
            "the first call schedules"
        );
        let pass = t.gc(now + Duration::from_secs(3600), 0, |_| false);
        assert_eq!(pass.expired.len(), 100);
        assert_occupancy(&t);
        assert_eq!(t.count(), 0);
    }

    #[test]
    fn entry_numbers_wrap_past_zero_and_keep_their_order() {
        let mut t = Table::default();
        let now = Timestamp::from_secs(1);
        t.next_seq = u32::MAX - 1;
        let ids: Vec<ConnId> = (0..4)
            .map(|i| {
                let id = t.alloc(conn(100 + i, now));
                assert!(t.confirm(id));
                id
            })
            .collect();
        let seqs: Vec<u32> = ids.iter().map(|&id| t.get(id).unwrap().seq).collect();
        assert_eq!(seqs, [u32::MAX - 1, u32::MAX, 1, 2], "0 means unconfirmed");
        let live: Vec<ConnId> = t.live(now).into_iter().map(|(id, _)| id).collect();
        assert_eq!(live, ids, "oldest first across the wrap");
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
    fn expired_entries_count_until_a_lookup_or_the_gc_reaps_them() {
        let mut t = Table::default();
        let now = Timestamp::from_secs(1);
        assert!(
            t.gc(now, 0, |_| true).expired.is_empty(),
            "schedules the first pass"
        );
        for p in 0..50 {
            let id = t.alloc(conn(p, now));
            t.confirm(id);
        }
        let later = now + Duration::from_secs(31);
        assert_eq!(t.count(), 50, "dead entries still count");
        assert!(t.live(later).is_empty());
        let (hit, dead) = t.find_reap(&tuple(7), later);
        assert!(hit.is_none());
        assert!(dead.iter().any(|c| *c.orig() == tuple(7)));
        assert!(t.gc(later, 0, |_| true).expired.is_empty(), "not yet time");
        let pass = t.gc(now + Duration::from_secs(60), 0, |_| true);
        assert_eq!(pass.expired.len() + dead.len(), 50);
        assert_eq!(t.count(), 0);
        // slots are reused
        let id = t.alloc(conn(1, later));
        assert!(id.index() < 50);
    }

    #[test]
    fn early_drop_kills_the_unassured_of_one_bucket_only() {
        // 512 buckets, 300 entries: most buckets of the range hold some.
        let mut t = Table::new(Jiffies::default(), 1);
        assert_eq!(t.buckets(), 512);
        let now = Timestamp::from_secs(1);
        for p in 0..300 {
            let mut c = conn(p, now);
            if p % 2 == 0 {
                c.status.insert(Status::ASSURED);
            }
            let id = t.alloc(c);
            assert!(t.confirm(id));
        }
        let (killed, expired) = t.early_drop(&tuple(9999), Zone::DEFAULT, now);
        assert!(expired.is_empty());
        assert!(
            !killed.is_empty(),
            "some bucket of 8 holds an unassured entry"
        );
        assert!(killed.iter().all(|c| !c.status.contains(Status::ASSURED)));
        let b = |c: &Conn| {
            [
                t.bucket_of(c.orig(), 0),
                t.bucket_of(&c.tuple(Direction::Reply), 0),
            ]
        };
        let buckets: Vec<[usize; 2]> = killed.iter().map(b).collect();
        let common = buckets[0]
            .iter()
            .any(|x| buckets.iter().all(|bs| bs.contains(x)));
        assert!(common, "all victims share the first bucket that had any");
        assert_eq!(t.count(), 300 - killed.len());
        // Only ASSURED entries: nothing may go.
        let mut t = Table::new(Jiffies::default(), 512);
        for p in 0..300 {
            let mut c = conn(p, now);
            c.status.insert(Status::ASSURED);
            let id = t.alloc(c);
            t.confirm(id);
        }
        assert!(t.early_drop(&tuple(9999), Zone::DEFAULT, now).0.is_empty());
    }

    #[test]
    fn gc_early_drop_stops_below_95_percent() {
        let mut t = Table::new(Jiffies::default(), 512);
        let now = Timestamp::from_secs(1);
        t.gc(now, 100, |_| true);
        for p in 0..100 {
            let mut c = conn(p, now);
            c.expires = now + Duration::from_secs(300);
            let id = t.alloc(c);
            t.confirm(id);
        }
        t.note_refused();
        let pass = t.gc(now + Duration::from_secs(60), 100, |c| {
            !c.status.contains(Status::ASSURED)
        });
        assert!(pass.expired.is_empty());
        assert_eq!(t.count(), 94, "kills while count >= 95");
        assert_eq!(pass.dropped.len(), 6);
        // No refusal since: the next pass drops nothing.
        let pass = t.gc(now + Duration::from_secs(61), 100, |_| true);
        assert!(pass.dropped.is_empty());
    }
}
