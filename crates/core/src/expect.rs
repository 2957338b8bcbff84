//! Expectations, as `nf_conntrack_expect.c` keeps them: a helper that reads
//! a control connection announces a connection to come (an FTP data
//! connection, a TFTP reply from a new port, RTP media...), and the first
//! packet of a new connection matching it is RELATED, its entry EXPECTED,
//! with the control connection as its master.
//!
//! An expectation is a tuple whose destination is exact and whose source
//! address and source port may each be a wildcard (the kernel's tuple and
//! mask: helpers only ever use all-ones or all-zero source masks). Each
//! belongs to a master entry and to one of its helper's classes, whose
//! policy limits how many may be pending (`max_expected`, the oldest is
//! evicted) and for how long (`timeout`). The table holds at most
//! `nf_conntrack_expect_max`.

use crate::table::ConnId;
use crate::time::{Jiffies, Timestamp, secs};
use crate::tuple::{Addr, Family, KernelAddr};
use core::fmt::{self, Write};
use std::collections::HashMap;

/// `NF_CT_EXPECT_PERMANENT`: not removed when matched.
pub const PERMANENT: u8 = 1;
/// `NF_CT_EXPECT_INACTIVE`: not matched until activated.
pub const INACTIVE: u8 = 2;
/// `NF_CT_EXPECT_USERSPACE`: made through ctnetlink.
pub const USERSPACE: u8 = 4;

/// One class of a helper's expectations (`struct nf_conntrack_expect_policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// `max_expected`; 0 means no limit.
    pub max_expected: u32,
    /// Seconds an expectation waits.
    pub timeout: u32,
    /// Printed after the helper's name in /proc (`ftp`, `sip/signalling`).
    pub name: &'static str,
}

/// What a helper asks for (`nf_ct_expect_init()`'s arguments and flags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExpect {
    pub class: u8,
    pub family: Family,
    /// Source address; `None` matches any.
    pub src: Option<Addr>,
    pub dst: Addr,
    pub proto: u8,
    /// Source port (GRE: key); `None` matches any.
    pub sport: Option<u16>,
    pub dport: u16,
    pub flags: u8,
    /// Helper the expected connection gets (`exp->helper`).
    pub child_helper: Option<&'static str>,
    /// What the helper does when the expectation is matched (`expectfn`).
    pub on_match: OnMatch,
}

impl NewExpect {
    /// `nf_ct_expect_init()`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        class: u8,
        family: Family,
        src: Option<Addr>,
        dst: Addr,
        proto: u8,
        sport: Option<u16>,
        dport: u16,
    ) -> NewExpect {
        NewExpect {
            class,
            family,
            src,
            dst,
            proto,
            sport,
            dport,
            flags: 0,
            child_helper: None,
            on_match: OnMatch::Nothing,
        }
    }
}

/// `exp->expectfn`: what happens to the expected connection as it is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnMatch {
    Nothing,
    /// PPTP's `pptp_expectfn()`: the GRE entry gets the PPTP timeouts and
    /// the expectation for the other direction is removed.
    PptpGre,
}

/// An expectation in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub spec: NewExpect,
    pub master: ConnId,
    /// The master's entry number (for reports).
    pub master_seq: u32,
    /// The master's helper and the class's policy name.
    pub helper: &'static str,
    pub policy_name: &'static str,
    pub expires: Timestamp,
}

impl Expectation {
    /// `nf_ct_tuple_mask_cmp()`: does a packet tuple match?
    pub fn matches(
        &self,
        family: Family,
        proto: u8,
        src: Addr,
        dst: Addr,
        sport: u16,
        dport: u16,
    ) -> bool {
        let e = &self.spec;
        e.family == family
            && e.proto == proto
            && e.dst == dst
            && e.dport == dport
            && e.src.is_none_or(|a| a == src)
            && e.sport.is_none_or(|p| p == sport)
    }

    /// `expect_matches()`: the same tuple and mask.
    fn same(&self, b: &NewExpect) -> bool {
        let a = &self.spec;
        a.family == b.family
            && a.proto == b.proto
            && a.dst == b.dst
            && a.dport == b.dport
            && a.src == b.src
            && a.sport == b.sport
    }

    /// `expect_clash()`: equal where both masks care.
    fn clashes(&self, b: &NewExpect) -> bool {
        let a = &self.spec;
        a.family == b.family
            && a.proto == b.proto
            && a.dst == b.dst
            && a.dport == b.dport
            && match (a.src, b.src) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            }
            && match (a.sport, b.sport) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            }
    }

    /// The line `/proc/net/nf_conntrack_expect` shows (`exp_seq_show()`),
    /// without its newline.
    pub fn proc_line(&self, now: Timestamp) -> String {
        let e = &self.spec;
        let mut s = String::new();
        let left = if self.expires > now {
            (self.expires - now).as_secs()
        } else {
            0
        };
        let _ = write!(
            s,
            "{left} l3proto = {} proto={} src={} dst={} ",
            e.family.l3num(),
            e.proto,
            KernelAddr(e.family, e.src.unwrap_or_default()),
            KernelAddr(e.family, e.dst)
        );
        match e.proto {
            6 | 17 | 33 | 132 | 136 => {
                let _ = write!(s, "sport={} dport={} ", e.sport.unwrap_or(0), e.dport);
            }
            47 => {
                let _ = write!(
                    s,
                    "srckey=0x{:x} dstkey=0x{:x} ",
                    e.sport.unwrap_or(0),
                    e.dport
                );
            }
            _ => {}
        }
        let mut delim = "";
        if e.flags & PERMANENT != 0 {
            s.push_str("PERMANENT");
            delim = ",";
        }
        if e.flags & INACTIVE != 0 {
            let _ = write!(s, "{delim}INACTIVE");
            delim = ",";
        }
        if e.flags & USERSPACE != 0 {
            let _ = write!(s, "{delim}USERSPACE");
        }
        let _ = write!(s, "{}{}", if e.flags != 0 { " " } else { "" }, self.helper);
        if !self.policy_name.is_empty() {
            let _ = write!(s, "/{}", self.policy_name);
        }
        s
    }
}

impl fmt::Display for Expectation {
    /// As kernel-replay's expect-events.txt names an expectation:
    /// `tcp 198.51.100.2:0 > 192.0.2.1:5001 helper ftp master 1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.spec;
        let name = crate::proto::find(e.family, e.proto).name();
        let src = e.src.unwrap_or_default().to_ip(e.family);
        let dst = e.dst.to_ip(e.family);
        let (sp, dp) = (e.sport.unwrap_or(0), e.dport);
        write!(f, "{name} {src}:{sp} > {dst}:{dp}")?;
        write!(f, " helper {} master {}", self.helper, self.master_seq)
    }
}

/// A change to the table, as ctnetlink reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpectEvent {
    New(Expectation),
    Destroy(Expectation),
    /// Removed because its timer ran out, at some moment since the previous
    /// packet (reported with the next one).
    Expired(Expectation),
}

impl fmt::Display for ExpectEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectEvent::New(e) => write!(f, "EXP_NEW {e}"),
            ExpectEvent::Destroy(e) | ExpectEvent::Expired(e) => write!(f, "EXP_DESTROY {e}"),
        }
    }
}

/// Why `nf_ct_expect_related()` refused an expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// `-EALREADY`: the same expectation exists for another master or class.
    Already,
    /// `-EBUSY`: it clashes with another master's expectation.
    Busy,
    /// `-EMFILE`: over the class's `max_expected` after eviction.
    TooMany,
    /// `-EMFILE`: `nf_conntrack_expect_max` reached.
    TableFull,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refused::Already => "the same expectation exists for another master",
            Refused::Busy => "it clashes with another connection's expectation",
            Refused::TooMany => "the helper's max_expected is reached",
            Refused::TableFull => "nf_conntrack_expect_max is reached",
        })
    }
}

/// Identifies an expectation in [`Expectations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExpectId(u64);

/// The destination an expectation waits on: the hash key (the kernel hashes
/// the destination only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct DstKey {
    family: Family,
    proto: u8,
    dst: Addr,
    dport: u16,
}

impl DstKey {
    fn of(e: &NewExpect) -> DstKey {
        DstKey {
            family: e.family,
            proto: e.proto,
            dst: e.dst,
            dport: e.dport,
        }
    }
}

/// Every pending expectation of one network namespace.
#[derive(Debug, Default)]
pub struct Expectations {
    all: HashMap<ExpectId, Expectation>,
    /// Per destination, newest first (`hlist_add_head`).
    by_dst: HashMap<DstKey, Vec<ExpectId>>,
    /// Per master, newest first (`master_help->expectations`).
    by_master: HashMap<ConnId, Vec<ExpectId>>,
    next: u64,
    next_expiry: Option<Timestamp>,
    events: Vec<ExpectEvent>,
    /// Expectations created and matched, for statistics.
    pub created: u64,
    pub matched: u64,
    pub deleted: u64,
}

impl Expectations {
    pub fn count(&self) -> usize {
        self.all.len()
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Events since the last call.
    pub fn take_events(&mut self) -> Vec<ExpectEvent> {
        std::mem::take(&mut self.events)
    }

    /// Every expectation, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Expectation> {
        let mut ids: Vec<&ExpectId> = self.all.keys().collect();
        ids.sort();
        ids.into_iter().map(|id| &self.all[id])
    }

    /// `/proc/net/nf_conntrack_expect` at `now`.
    pub fn proc_table(&self, now: Timestamp) -> String {
        let mut s = String::new();
        for e in self.iter() {
            s.push_str(&e.proc_line(now));
            s.push('\n');
        }
        s
    }

    /// How many expectations of `class` `master` has pending
    /// (`master_help->expecting[class]`).
    pub fn expecting(&self, master: ConnId, class: u8) -> usize {
        self.by_master
            .get(&master)
            .map(|v| {
                v.iter()
                    .filter(|id| self.all[id].spec.class == class)
                    .count()
            })
            .unwrap_or(0)
    }

    /// The expectations of `master`, newest first.
    pub fn of_master(&self, master: ConnId) -> Vec<&Expectation> {
        self.by_master
            .get(&master)
            .map(|v| v.iter().map(|id| &self.all[id]).collect())
            .unwrap_or_default()
    }

    fn unlink(&mut self, id: ExpectId) -> Option<Expectation> {
        let e = self.all.remove(&id)?;
        let key = DstKey::of(&e.spec);
        if let Some(v) = self.by_dst.get_mut(&key) {
            v.retain(|x| *x != id);
            if v.is_empty() {
                self.by_dst.remove(&key);
            }
        }
        if let Some(v) = self.by_master.get_mut(&e.master) {
            v.retain(|x| *x != id);
            if v.is_empty() {
                self.by_master.remove(&e.master);
            }
        }
        self.events.push(ExpectEvent::Destroy(e.clone()));
        self.deleted += 1;
        Some(e)
    }

    /// `nf_ct_expect_related()`: add an expectation for `master` (entry
    /// number `master_seq`, helper `helper` with `policies`), unless the
    /// kernel would refuse it. `skip_master` is `NF_CT_EXP_F_SKIP_MASTER`.
    #[allow(clippy::too_many_arguments)]
    pub fn related(
        &mut self,
        spec: NewExpect,
        master: ConnId,
        master_seq: u32,
        helper: &'static str,
        policies: &[Policy],
        now: Timestamp,
        expect_max: u32,
        skip_master: bool,
    ) -> Result<(), Refused> {
        let key = DstKey::of(&spec);
        let bucket: Vec<ExpectId> = self.by_dst.get(&key).cloned().unwrap_or_default();
        for id in bucket {
            let i = &self.all[&id];
            if (skip_master || i.master == master) && i.same(&spec) {
                if i.spec.class != spec.class || i.master != master {
                    return Err(Refused::Already);
                }
                self.unlink(id);
                break;
            } else if i.clashes(&spec) {
                return Err(Refused::Busy);
            }
        }
        let policy = policies
            .get(usize::from(spec.class))
            .copied()
            .unwrap_or(Policy {
                max_expected: 0,
                timeout: 0,
                name: "",
            });
        if policy.max_expected != 0 {
            let max = policy.max_expected as usize;
            if self.expecting(master, spec.class) >= max {
                // evict_oldest_expect(): the last of this class in the
                // master's list.
                let oldest = self.by_master.get(&master).and_then(|v| {
                    v.iter()
                        .rev()
                        .find(|id| self.all[id].spec.class == spec.class)
                        .copied()
                });
                if let Some(id) = oldest {
                    self.unlink(id);
                }
                if self.expecting(master, spec.class) >= max {
                    return Err(Refused::TooMany);
                }
            }
        }
        if self.all.len() >= expect_max as usize {
            return Err(Refused::TableFull);
        }
        self.next += 1;
        let id = ExpectId(self.next);
        let expires = now + secs(policy.timeout);
        let e = Expectation {
            spec,
            master,
            master_seq,
            helper,
            policy_name: policy.name,
            expires,
        };
        self.by_dst.entry(key).or_default().insert(0, id);
        self.by_master.entry(master).or_default().insert(0, id);
        self.events.push(ExpectEvent::New(e.clone()));
        self.all.insert(id, e);
        self.created += 1;
        self.next_expiry = Some(self.next_expiry.map_or(expires, |t| t.min(expires)));
        Ok(())
    }

    /// `nf_ct_find_expectation()`: the expectation a new connection's tuple
    /// matches, if its master is confirmed and alive (`master_ok`); it is
    /// removed unless PERMANENT.
    pub fn find(
        &mut self,
        t: &crate::tuple::Tuple,
        master_ok: impl Fn(ConnId) -> bool,
    ) -> Option<Expectation> {
        let key = DstKey {
            family: t.family,
            proto: t.proto,
            dst: t.dst,
            dport: t.dst_u,
        };
        let bucket = self.by_dst.get(&key)?;
        let id = *bucket.iter().find(|id| {
            let e = &self.all[id];
            e.spec.flags & INACTIVE == 0
                && e.matches(t.family, t.proto, t.src, t.dst, t.src_u, t.dst_u)
        })?;
        let e = &self.all[&id];
        if !master_ok(e.master) {
            return None;
        }
        self.matched += 1;
        if e.spec.flags & PERMANENT != 0 {
            return Some(e.clone());
        }
        self.unlink(id)
    }

    /// `nf_ct_expect_find_get()` and `nf_ct_unexpect_related()`: remove the
    /// expectation that `t` would match, if any.
    pub fn unexpect(&mut self, t: &crate::tuple::Tuple) -> Option<Expectation> {
        let key = DstKey {
            family: t.family,
            proto: t.proto,
            dst: t.dst,
            dport: t.dst_u,
        };
        let id =
            *self.by_dst.get(&key)?.iter().find(|id| {
                self.all[id].matches(t.family, t.proto, t.src, t.dst, t.src_u, t.dst_u)
            })?;
        self.unlink(id)
    }

    /// Remove expectations of `master` chosen by `pick` (a helper removing
    /// what it no longer expects, `nf_ct_remove_expectations()` when
    /// `pick` takes all).
    pub fn remove_where(&mut self, master: ConnId, pick: impl Fn(&Expectation) -> bool) -> usize {
        let ids: Vec<ExpectId> = self
            .by_master
            .get(&master)
            .map(|v| v.iter().filter(|id| pick(&self.all[id])).copied().collect())
            .unwrap_or_default();
        let n = ids.len();
        for id in ids {
            self.unlink(id);
        }
        n
    }

    /// `mod_timer_pending()` on the newest of `master`'s expectations that
    /// `pick` chooses (SIP's `refresh_signalling_expectation()`): its timer
    /// restarts to run out at `expires` and the `clear` flags are removed
    /// (`NF_CT_EXPECT_INACTIVE`), with no event. Whether one was found.
    pub fn retime_first(
        &mut self,
        master: ConnId,
        pick: impl Fn(&Expectation) -> bool,
        expires: Timestamp,
        clear: u8,
    ) -> bool {
        let Some(id) = self
            .by_master
            .get(&master)
            .and_then(|v| v.iter().find(|id| pick(&self.all[id])).copied())
        else {
            return false;
        };
        if let Some(e) = self.all.get_mut(&id) {
            e.expires = expires;
            e.spec.flags &= !clear;
        }
        self.next_expiry = Some(self.next_expiry.map_or(expires, |t| t.min(expires)));
        true
    }

    /// The master is gone: so are its expectations.
    pub fn remove_master(&mut self, master: ConnId) {
        if self.by_master.contains_key(&master) {
            self.remove_where(master, |_| true);
        }
    }

    /// The master of `master`'s expectations was just confirmed and got its
    /// entry number.
    pub fn confirm_master(&mut self, master: ConnId, seq: u32) {
        let Some(ids) = self.by_master.get(&master) else {
            return;
        };
        for id in ids {
            if let Some(e) = self.all.get_mut(id) {
                e.master_seq = seq;
            }
        }
        for ev in &mut self.events {
            let (ExpectEvent::New(e) | ExpectEvent::Destroy(e) | ExpectEvent::Expired(e)) = ev;
            if e.master == master && e.master_seq == 0 {
                e.master_seq = seq;
            }
        }
    }

    /// Whether a timer may have run out by `now`.
    pub fn pending_expiry(&self, now: Timestamp, jiffies: Jiffies) -> bool {
        matches!(self.next_expiry, Some(t) if t <= now + jiffies.slack())
    }

    /// Let every expectation whose timer ran out by `now` go.
    pub fn expire(&mut self, now: Timestamp, jiffies: Jiffies) {
        if !self.pending_expiry(now, jiffies) {
            return;
        }
        let limit = now + jiffies.slack();
        let mut dead: Vec<(Timestamp, ExpectId)> = self
            .all
            .iter()
            .filter(|(_, e)| e.expires <= limit)
            .map(|(id, e)| (e.expires, *id))
            .collect();
        dead.sort();
        for (_, id) in dead {
            if let Some(e) = self.unlink(id)
                && let Some(ev) = self.events.last_mut()
            {
                *ev = ExpectEvent::Expired(e);
            }
        }
        self.next_expiry = self.all.values().map(|e| e.expires).min();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tuple::Tuple;

    const FTP: &[Policy] = &[Policy {
        max_expected: 1,
        timeout: 300,
        name: "",
    }];

    fn data_expect(port: u16) -> NewExpect {
        NewExpect::new(
            0,
            Family::Ipv4,
            Some(Addr::v4([198, 51, 100, 2])),
            Addr::v4([192, 0, 2, 1]),
            6,
            None,
            port,
        )
    }

    fn data_tuple(sport: u16, dport: u16) -> Tuple {
        let mut t = Tuple::new(
            Family::Ipv4,
            6,
            Addr::v4([198, 51, 100, 2]),
            Addr::v4([192, 0, 2, 1]),
        );
        t.src_u = sport;
        t.dst_u = dport;
        t
    }

    fn related(
        x: &mut Expectations,
        e: NewExpect,
        master: u32,
        now: Timestamp,
    ) -> Result<(), Refused> {
        x.related(
            e,
            ConnId::from_index(master),
            1,
            "ftp",
            FTP,
            now,
            4096,
            false,
        )
    }

    #[test]
    fn a_match_consumes_the_expectation() {
        let mut x = Expectations::default();
        let now = Timestamp::from_secs(10);
        related(&mut x, data_expect(5001), 0, now).unwrap();
        assert!(
            x.find(&data_tuple(20, 5002), |_| true).is_none(),
            "other port"
        );
        let e = x
            .find(&data_tuple(20, 5001), |_| true)
            .expect("any source port");
        assert_eq!(e.master, ConnId::from_index(0));
        assert!(
            x.find(&data_tuple(20, 5001), |_| true).is_none(),
            "consumed"
        );
        let ev: Vec<String> = x.take_events().iter().map(|e| e.to_string()).collect();
        assert_eq!(
            ev,
            [
                "EXP_NEW tcp 198.51.100.2:0 > 192.0.2.1:5001 helper ftp master 1",
                "EXP_DESTROY tcp 198.51.100.2:0 > 192.0.2.1:5001 helper ftp master 1"
            ]
        );
    }

    #[test]
    fn max_expected_evicts_the_oldest_and_clashes_are_refused() {
        let mut x = Expectations::default();
        let now = Timestamp::from_secs(10);
        related(&mut x, data_expect(5001), 0, now).unwrap();
        related(&mut x, data_expect(5002), 0, now).unwrap();
        assert_eq!(x.count(), 1);
        assert_eq!(x.iter().next().unwrap().spec.dport, 5002);
        assert_eq!(
            related(&mut x, data_expect(5002), 1, now),
            Err(Refused::Busy),
            "another master expecting the same"
        );
        // The same again from the same master: replaced, timer restarted.
        related(&mut x, data_expect(5002), 0, now + secs(100)).unwrap();
        assert_eq!(x.iter().next().unwrap().expires, now + secs(400));
    }

    #[test]
    fn timers_and_masters_end_expectations() {
        let mut x = Expectations::default();
        let j = Jiffies::default();
        let now = Timestamp::from_secs(10);
        related(&mut x, data_expect(5001), 0, now).unwrap();
        x.expire(now + secs(299), j);
        assert_eq!(x.count(), 1);
        assert_eq!(
            x.proc_line(now + secs(1)),
            "299 l3proto = 2 proto=6 src=198.51.100.2 dst=192.0.2.1 sport=0 dport=5001 ftp"
        );
        x.expire(now + secs(300), j);
        assert_eq!(x.count(), 0);
        related(&mut x, data_expect(5003), 2, now).unwrap();
        x.remove_master(ConnId::from_index(2));
        assert!(x.is_empty());
    }

    impl Expectations {
        fn proc_line(&self, now: Timestamp) -> String {
            self.iter().next().unwrap().proc_line(now)
        }
    }
}
