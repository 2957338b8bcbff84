//! Running a base chain on a packet as the kernel does: `nft_do_chain()`
//! (`net/netfilter/nf_tables_core.c`) for rules, verdicts and the jump
//! stack; `nft_set_pktinfo_ipv4/ipv6` for the transport header;
//! `nft_payload`, `nft_meta`, `nft_ct` (`nft_ct_get_eval`,
//! `nft_ct_set_eval`, `nft_ct_set_zone_eval`, `nft_notrack_eval`,
//! `nft_ct_helper_obj_eval`), `nft_cmp`, `nft_bitwise`, `nft_range`,
//! `nft_lookup`, `nft_counter`, `nft_log` and `nft_reject_inet`.

use super::ir::*;
use super::types::Val;
use crate::model::{ChainResult, Hook, Meta, PacketInfo, RejectWith, priority};
use ctrack_core::CtState;
use ctrack_core::ctinfo::Direction;
use ctrack_core::hooks::CtSnapshot;
use ctrack_core::status::Status;
use ctrack_core::tuple::Family as IpFamily;

/// What nft's `struct nft_pktinfo` knows of the packet.
pub(crate) struct PktView<'a> {
    /// The IP packet, cut to its IP length.
    l3: &'a [u8],
    nfproto: u8,
    /// NFT_PKTINFO_L4PROTO: (transport offset, protocol, fragment offset).
    l4: Option<(usize, u8, u16)>,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// `ipv6_ext_hdr()`.
fn ipv6_ext_hdr(n: u8) -> bool {
    matches!(n, 0 | 43 | 44 | 51 | 59 | 60)
}

/// `ipv6_find_hdr(skb, &thoff, -1, &fragoff, NULL)`.
fn ipv6_find_hdr(b: &[u8]) -> Option<(usize, u8, u16)> {
    let mut start = 40usize;
    let mut nexthdr = *b.get(6)?;
    let mut fragoff = 0u16;
    loop {
        if !ipv6_ext_hdr(nexthdr) || nexthdr == 59 {
            return Some((start, nexthdr, fragoff));
        }
        let hp_next = *b.get(start)?;
        let hp_len = *b.get(start + 1)?;
        let hdrlen = match nexthdr {
            44 => {
                let off = be16(b, start + 2)? & !0x7;
                if off != 0 {
                    // A later fragment: its next header is the upper
                    // protocol, unless it is another extension header.
                    if !ipv6_ext_hdr(hp_next) || hp_next == 59 {
                        fragoff = off;
                        return Some((start, hp_next, fragoff));
                    }
                    return None;
                }
                8
            }
            51 => (usize::from(hp_len) + 2) << 2,
            _ => (usize::from(hp_len) + 1) << 3,
        };
        nexthdr = hp_next;
        start += hdrlen;
    }
}

impl<'a> PktView<'a> {
    pub(crate) fn new(info: &PacketInfo<'a>) -> PktView<'a> {
        let b = info.l3;
        match info.family {
            IpFamily::Ipv4 => {
                let mut v = PktView {
                    l3: b,
                    nfproto: NFPROTO_IPV4,
                    l4: None,
                };
                if b.len() < 20 || b[0] >> 4 != 4 || b[0] & 15 < 5 {
                    return v;
                }
                let ihl = usize::from(b[0] & 15) * 4;
                let tot = usize::from(u16::from_be_bytes([b[2], b[3]]));
                if b.len() < tot || tot < ihl {
                    return v;
                }
                v.l3 = &b[..tot];
                let frag = u16::from_be_bytes([b[6], b[7]]) & 0x1fff;
                v.l4 = Some((ihl, b[9], frag));
                v
            }
            IpFamily::Ipv6 => {
                let mut v = PktView {
                    l3: b,
                    nfproto: NFPROTO_IPV6,
                    l4: None,
                };
                if b.len() < 40 || b[0] >> 4 != 6 {
                    return v;
                }
                let plen = usize::from(u16::from_be_bytes([b[4], b[5]]));
                if plen + 40 > b.len() {
                    return v;
                }
                v.l3 = &b[..plen + 40];
                v.l4 = ipv6_find_hdr(v.l3).filter(|(t, ..)| *t <= usize::from(u16::MAX));
                v
            }
        }
    }

    fn read(&self, at: usize, len: usize) -> Option<u128> {
        let s = self.l3.get(at..at.checked_add(len)?)?;
        Some(s.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b)))
    }

    /// `nft_payload_eval()`: transport fields need the transport header of
    /// a first (or only) fragment.
    fn payload(&self, f: PField) -> Option<u128> {
        let at = match f.base() {
            BASE_NETWORK => 0,
            _ => match self.l4 {
                Some((thoff, _, 0)) => thoff,
                _ => return None,
            },
        };
        self.read(at + f.offset(), f.len())
    }
}

/// What the packet carries as `skb->_nfct`.
#[derive(Clone, Copy)]
enum SkbCt<'a> {
    /// A tracked connection.
    Conn(&'a CtSnapshot),
    /// A template from `ct zone set` (or an iptables `CT` target) before
    /// conntrack: `nf_ct_get()` returns it, ctinfo IP_CT_NEW.
    Template(u16),
    Untracked,
    /// No conntrack: before it, or INVALID after it.
    None,
}

/// Whether a base chain runs before conntrack (priority -200 on the hooks
/// conntrack sits on).
pub(crate) fn before_conntrack(hook: Hook, prio: i32) -> bool {
    matches!(hook, Hook::Prerouting | Hook::Output) && prio < priority::CONNTRACK
}

fn skb_ct<'a>(ct: &'a CtSnapshot, meta: &Meta, pre: bool) -> SkbCt<'a> {
    if pre {
        if let Some(z) = meta.ct_zone {
            return SkbCt::Template(z.id);
        }
        if meta.ct_helper.is_some() {
            return SkbCt::Template(0);
        }
        if meta.notrack {
            return SkbCt::Untracked;
        }
        return SkbCt::None;
    }
    match ct.state {
        CtState::New | CtState::Established | CtState::Related => SkbCt::Conn(ct),
        CtState::Untracked => SkbCt::Untracked,
        CtState::Invalid => SkbCt::None,
    }
}

/// A loaded register.
pub(crate) enum Reg {
    Num(u128),
    Name(Vec<u8>),
}

fn ifname(n: Option<&str>) -> Vec<u8> {
    // A missing device reads as the empty name (`nft_meta_store_ifname`).
    let mut v: Vec<u8> = n.unwrap_or("").bytes().take(16).collect();
    if let Some(z) = v.iter().position(|b| *b == 0) {
        v.truncate(z);
    }
    v
}

/// The per-packet environment of one base chain run.
pub(crate) struct Env<'p, 'a> {
    pub pkt: &'p PktView<'a>,
    pub info: &'p PacketInfo<'a>,
    pub ct: &'p CtSnapshot,
    /// The chain runs before conntrack.
    pub pre: bool,
}

impl Env<'_, '_> {
    fn skb(&self, meta: &Meta) -> SkbCt<'_> {
        skb_ct(self.ct, meta, self.pre)
    }

    fn ctmark(&self, meta: &Meta) -> u32 {
        if meta.ctmark_changed {
            meta.ctmark
        } else {
            self.ct.mark
        }
    }

    /// Load a key; None is NFT_BREAK (the rule stops, not matching).
    fn load(&self, key: Key, meta: &Meta) -> Option<Reg> {
        let n = |v: u128| Some(Reg::Num(v));
        match key {
            Key::Meta(MetaKey::L4proto) => self.pkt.l4.and_then(|(_, p, _)| n(u128::from(p))),
            Key::Meta(MetaKey::Nfproto) => n(u128::from(self.pkt.nfproto)),
            Key::Meta(MetaKey::Mark) => n(u128::from(meta.nfmark)),
            Key::Meta(MetaKey::Iifname | MetaKey::Iif) => Some(Reg::Name(ifname(self.info.iif))),
            Key::Meta(MetaKey::Oifname | MetaKey::Oif) => Some(Reg::Name(ifname(self.info.oif))),
            Key::Ct(k) => {
                let skb = self.skb(meta);
                if k == CtKey::State {
                    return n(match skb {
                        SkbCt::Conn(c) => match c.state {
                            CtState::New => 8,
                            CtState::Established => 2,
                            CtState::Related => 4,
                            CtState::Invalid => 1,
                            CtState::Untracked => 64,
                        },
                        SkbCt::Template(_) => 8,
                        SkbCt::Untracked => 64,
                        SkbCt::None => 1,
                    });
                }
                match skb {
                    SkbCt::Conn(c) => match k {
                        CtKey::Direction => n(match c.dir {
                            Some(Direction::Reply) => 1,
                            _ => 0,
                        }),
                        CtKey::Status => n(u128::from(c.status.bits())),
                        CtKey::Mark => n(u128::from(self.ctmark(meta))),
                        CtKey::Zone => n(u128::from(c.zone.id)),
                        CtKey::Protocol => c.tuples.map(|t| Reg::Num(u128::from(t[0].proto))),
                        // The master's helper: not in the snapshot (rejected
                        // when the ruleset is read).
                        CtKey::Helper => None,
                        CtKey::State => unreachable!(),
                    },
                    SkbCt::Template(z) => match k {
                        CtKey::Direction => n(0),
                        CtKey::Status => {
                            n(u128::from((Status::TEMPLATE | Status::CONFIRMED).bits()))
                        }
                        CtKey::Mark => n(0),
                        CtKey::Zone => n(u128::from(z)),
                        CtKey::Protocol => n(0),
                        _ => None,
                    },
                    SkbCt::Untracked | SkbCt::None => None,
                }
            }
            Key::Payload(f) => self.pkt.payload(f).map(Reg::Num),
        }
    }
}

fn cmp(op: Op, a: u128, b: u128) -> bool {
    match op {
        Op::Eq => a == b,
        Op::Neq => a != b,
        Op::Lt => a < b,
        Op::Gt => a > b,
        Op::Lte => a <= b,
        Op::Gte => a >= b,
    }
}

fn name_matches(name: &[u8], v: &Val) -> bool {
    match v {
        Val::Str { bytes, wildcard } => {
            if *wildcard {
                name.starts_with(bytes)
            } else {
                name == bytes.as_slice()
            }
        }
        Val::Num(_) => false,
    }
}

fn set_contains(set: &SetDef, reg: &Reg) -> bool {
    set_find(set, reg).is_some()
}

/// The element of the set the value is in.
fn set_find(set: &SetDef, reg: &Reg) -> Option<usize> {
    set.elems.iter().position(|e| match (e, reg) {
        (Elem::One(Val::Num(x)), Reg::Num(v)) => x == v,
        (Elem::Range(a, b), Reg::Num(v)) => a <= v && v <= b,
        (Elem::One(s @ Val::Str { .. }), Reg::Name(n)) => name_matches(n, s),
        _ => false,
    })
}

/// `nft_bitwise`: `(reg & mask) ^ xor` on a number.
fn masked(reg: Reg, bitwise: Option<Bitwise>) -> Reg {
    match (bitwise, reg) {
        (Some((mask, xor)), Reg::Num(v)) => Reg::Num((v & mask) ^ xor),
        (_, reg) => reg,
    }
}

/// The verdict a verdict map gives the packet (`None`: no element, the
/// rule stops).
fn vmap_verdict(
    key: Key,
    bitwise: Option<Bitwise>,
    map: &SetRef,
    sets: &[SetDef],
    env: &Env<'_, '_>,
    meta: &Meta,
) -> Option<Verdict> {
    let reg = masked(env.load(key, meta)?, bitwise);
    let set = match map {
        SetRef::Anon(s) => s.as_ref(),
        SetRef::Named(i) => &sets[*i],
    };
    let i = set_find(set, &reg)?;
    set.map.as_ref()?.get(i).copied()
}

fn eval_match(m: &Match, sets: &[SetDef], env: &Env<'_, '_>, meta: &Meta) -> bool {
    match env.load(m.key, meta) {
        Some(reg) => match_value(m, sets, reg),
        None => false,
    }
}

/// Whether the match holds for a key that loaded `reg` (before the
/// match's own bitwise step).
pub(crate) fn match_value(m: &Match, sets: &[SetDef], reg: Reg) -> bool {
    let reg = masked(reg, m.bitwise);
    match (&m.rhs, &reg) {
        (Rhs::Val(Val::Num(c)), Reg::Num(v)) => cmp(m.op, *v, *c),
        (Rhs::Val(s @ Val::Str { .. }), Reg::Name(n)) => {
            let hit = name_matches(n, s);
            if m.op == Op::Neq { !hit } else { hit }
        }
        (Rhs::Range(a, b), Reg::Num(v)) => {
            let hit = a <= v && v <= b;
            if m.op == Op::Neq { !hit } else { hit }
        }
        (Rhs::Set(r), _) => {
            let set = match r {
                SetRef::Anon(s) => s.as_ref(),
                SetRef::Named(i) => &sets[*i],
            };
            let hit = set_contains(set, &reg);
            if m.op == Op::Neq { !hit } else { hit }
        }
        _ => false,
    }
}

fn set_value(v: &SetVal, env: &Env<'_, '_>, meta: &Meta) -> Option<u32> {
    match v {
        SetVal::Const(c) => Some(*c),
        SetVal::Load { key, bitwise } => match env.load(*key, meta)? {
            Reg::Num(n) => {
                let n = match bitwise {
                    Some((m, x)) => (n & m) ^ x,
                    None => n,
                };
                Some(n as u32)
            }
            Reg::Name(_) => None,
        },
    }
}

/// How one rule ended.
enum Outcome {
    /// An expression did not match (NFT_BREAK) or the rule had no verdict.
    Next,
    Verdict(Verdict),
    Reject(RejectKind),
}

pub(crate) fn reject_with(kind: RejectKind, nfproto: u8) -> RejectWith {
    let v6 = nfproto == NFPROTO_IPV6;
    match kind {
        RejectKind::TcpReset => RejectWith::TcpReset,
        RejectKind::Icmp { v6: false, code } => match code {
            0 => RejectWith::IcmpNetUnreachable,
            1 => RejectWith::IcmpHostUnreachable,
            2 => RejectWith::IcmpProtoUnreachable,
            9 => RejectWith::IcmpNetProhibited,
            10 => RejectWith::IcmpHostProhibited,
            13 => RejectWith::IcmpAdminProhibited,
            _ => RejectWith::IcmpPortUnreachable,
        },
        RejectKind::Icmp { v6: true, code } => match code {
            0 => RejectWith::Icmp6NoRoute,
            1 => RejectWith::Icmp6AdmProhibited,
            3 => RejectWith::Icmp6AddrUnreachable,
            5 => RejectWith::Icmp6PolicyFail,
            6 => RejectWith::Icmp6RejectRoute,
            _ => RejectWith::Icmp6PortUnreachable,
        },
        RejectKind::Icmpx(code) => match (v6, code) {
            (false, 0) => RejectWith::IcmpNetUnreachable,
            (false, 2) => RejectWith::IcmpHostUnreachable,
            (false, 3) => RejectWith::IcmpAdminProhibited,
            (false, _) => RejectWith::IcmpPortUnreachable,
            (true, 0) => RejectWith::Icmp6NoRoute,
            (true, 2) => RejectWith::Icmp6AddrUnreachable,
            (true, 3) => RejectWith::Icmp6AdmProhibited,
            (true, _) => RejectWith::Icmp6PortUnreachable,
        },
    }
}

fn run_rule(
    rule: &mut Rule,
    sets: &[SetDef],
    helpers: &[HelperObj],
    env: &Env<'_, '_>,
    meta: &mut Meta,
) -> Outcome {
    for s in rule.stmts.iter_mut() {
        match s {
            Stmt::Match(m) => {
                if !eval_match(m, sets, env, meta) {
                    return Outcome::Next;
                }
            }
            Stmt::Merged { neq, parts } => {
                let mut differ = false;
                for (f, v) in parts.iter() {
                    match env.pkt.payload(*f) {
                        Some(x) => differ |= x != *v,
                        None => return Outcome::Next,
                    }
                }
                if differ != *neq {
                    return Outcome::Next;
                }
            }
            Stmt::Vmap { key, bitwise, map } => {
                match vmap_verdict(*key, *bitwise, map, sets, env, meta) {
                    None => return Outcome::Next,
                    Some(Verdict::Continue) => {}
                    Some(v) => {
                        rule.hits += 1;
                        return Outcome::Verdict(v);
                    }
                }
            }
            Stmt::Counter { packets, bytes } => {
                *packets += 1;
                *bytes += env.info.len as u64;
            }
            Stmt::Log(_) => meta.logged.push(rule.rref.clone()),
            Stmt::MetaMarkSet(v) => match set_value(v, env, meta) {
                Some(n) => meta.nfmark = n,
                None => return Outcome::Next,
            },
            Stmt::CtMarkSet(v) => {
                let Some(n) = set_value(v, env, meta) else {
                    return Outcome::Next;
                };
                if let SkbCt::Conn(_) = env.skb(meta)
                    && env.ctmark(meta) != n
                {
                    meta.ctmark = n;
                    meta.ctmark_changed = true;
                }
            }
            Stmt::CtZoneSet(z) => match env.skb(meta) {
                SkbCt::Conn(_) | SkbCt::Template(_) => {}
                SkbCt::Untracked | SkbCt::None => {
                    if env.pre {
                        meta.ct_zone = Some(ctrack_core::Zone::both(*z));
                        meta.notrack = false;
                    }
                }
            },
            Stmt::Notrack => {
                if let SkbCt::None = env.skb(meta) {
                    meta.notrack = true;
                }
            }
            Stmt::CtHelperSet(i) => {
                let h = &helpers[*i];
                if let SkbCt::Conn(c) = env.skb(meta) {
                    let proto = c.tuples.map(|t| t[0].proto);
                    let family_ok = if env.pkt.nfproto == NFPROTO_IPV6 {
                        h.v6
                    } else {
                        h.v4
                    };
                    if !c.status.contains(Status::CONFIRMED)
                        && !c.status.contains(Status::HELPER)
                        && c.helper.is_none()
                        && meta.ct_helper.is_none()
                        && proto == Some(h.l4proto)
                        && family_ok
                    {
                        meta.ct_helper = Some(h.helper.clone());
                    }
                }
            }
            Stmt::Reject(k) => {
                rule.hits += 1;
                return Outcome::Reject(*k);
            }
            Stmt::Verdict(v) => {
                rule.hits += 1;
                return Outcome::Verdict(*v);
            }
        }
    }
    rule.hits += 1;
    Outcome::Next
}

/// The kernel's jump stack depth (`NFT_JUMP_STACK_SIZE`).
const JUMP_STACK: usize = 16;

/// Where to go back to after each jump, on the Rust stack as the kernel
/// keeps it on its own (`struct nft_jumpstack jumpstack[NFT_JUMP_STACK_SIZE]`).
struct JumpStack {
    frames: [(usize, usize); JUMP_STACK],
    len: usize,
}

impl JumpStack {
    fn new() -> JumpStack {
        JumpStack {
            frames: [(0, 0); JUMP_STACK],
            len: 0,
        }
    }

    /// False when full.
    fn push(&mut self, frame: (usize, usize)) -> bool {
        let Some(slot) = self.frames.get_mut(self.len) else {
            return false;
        };
        *slot = frame;
        self.len += 1;
        true
    }

    fn pop(&mut self) -> Option<(usize, usize)> {
        self.len = self.len.checked_sub(1)?;
        Some(self.frames[self.len])
    }
}

/// `nft_do_chain()` from base chain `base`.
pub(crate) fn run_base_chain(
    table: &mut Table,
    base: usize,
    env: &Env<'_, '_>,
    meta: &mut Meta,
) -> ChainResult {
    let Table {
        sets,
        helpers,
        chains,
        ..
    } = table;
    let mut stack = JumpStack::new();
    let (mut chain, mut ri) = (base, 0usize);
    loop {
        if ri >= chains[chain].rules.len() {
            match stack.pop() {
                Some((c, r)) => {
                    (chain, ri) = (c, r);
                    continue;
                }
                None => break,
            }
        }
        let rule = &mut chains[chain].rules[ri];
        match run_rule(rule, sets, helpers, env, meta) {
            Outcome::Next | Outcome::Verdict(Verdict::Continue) => ri += 1,
            Outcome::Verdict(Verdict::Accept) => {
                return ChainResult::Accept {
                    by: Some(rule.rref.clone()),
                };
            }
            Outcome::Verdict(Verdict::Drop) => {
                return ChainResult::Drop {
                    by: rule.rref.clone(),
                };
            }
            Outcome::Reject(k) => {
                return ChainResult::Reject {
                    by: rule.rref.clone(),
                    with: reject_with(k, env.pkt.nfproto),
                };
            }
            Outcome::Verdict(Verdict::Return) => match stack.pop() {
                Some((c, r)) => (chain, ri) = (c, r),
                None => break,
            },
            Outcome::Verdict(Verdict::Jump(t)) => {
                if !stack.push((chain, ri + 1)) {
                    // WARN_ON_ONCE in the kernel; the ruleset checks make it
                    // unreachable.
                    return ChainResult::Drop {
                        by: rule.rref.clone(),
                    };
                }
                (chain, ri) = (t, 0);
            }
            Outcome::Verdict(Verdict::Goto(t)) => (chain, ri) = (t, 0),
        }
    }
    let b = chains[base].base.as_ref().expect("a base chain");
    let policy = chains[base].policy_ref.clone();
    if b.policy_drop {
        ChainResult::Drop { by: policy }
    } else if b.policy_written {
        ChainResult::Accept { by: Some(policy) }
    } else {
        ChainResult::Accept { by: None }
    }
}
