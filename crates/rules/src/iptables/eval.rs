//! Running a base chain: the packet as `nft_set_pktinfo_ipv4()` /
//! `nft_set_pktinfo_ipv6()` see it (layer-4 protocol, transport offset,
//! fragment offset), rule by rule as `nft_do_chain()` walks iptables-nft's
//! chains: a rule's counter counts when all its matches match; a jump
//! pushes the return point, a goto does not; RETURN (or the end of a user
//! chain) pops it, and with nothing to pop the base chain's policy
//! decides.
//!
//! The `nat` table's chains are consulted as `nf_nat_inet_fn()` consults
//! them: only for a packet whose entry is new (NEW or RELATED) and not yet
//! confirmed, i.e. the first packet of a connection.

use super::matches::tracked;
use super::targets::{ConnmarkMode, Target};
use super::{Chain, IpSpec, Policy, Rule, Ruleset, TableKind};
use crate::model::{BaseChainId, ChainResult, Meta, PacketInfo, RuleRef};
use ctrack_core::CtState;
use ctrack_core::hooks::CtSnapshot;
use ctrack_core::status::Status;
use ctrack_core::tuple::Family;

/// What a match says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hit {
    Yes,
    No,
    /// The packet cannot be examined and is dropped at once
    /// (`par->hotdrop`).
    Hotdrop,
}

/// A packet's headers as the rules read them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct View<'a> {
    pub b: &'a [u8],
    pub family: Family,
    /// `meta l4proto` (0 when the headers could not be walked).
    pub l4proto: u8,
    /// `NFT_PKTINFO_L4PROTO`: the transport header was located.
    pub has_l4: bool,
    pub thoff: usize,
    /// Fragment offset: in 8-byte units for IPv4, bytes for IPv6.
    pub fragoff: u16,
    pub iif: &'a str,
    pub oif: &'a str,
    pub time: ctrack_core::time::Ticks,
}

fn ipv6_ext_hdr(n: u8) -> bool {
    matches!(n, 0 | 43 | 44 | 51 | 59 | 60)
}

/// `ipv6_find_hdr(skb, &thoff, -1, &fragoff, IP6_FH_F_AUTH)`: the upper
/// layer protocol and its offset, the fragment offset.
fn ipv6_find_hdr(b: &[u8]) -> Option<(u8, usize, u16)> {
    let mut start = 40usize;
    let mut nexthdr = *b.get(6)?;
    if b.len() < 40 {
        return None;
    }
    loop {
        if !ipv6_ext_hdr(nexthdr) || nexthdr == 59 {
            break;
        }
        let hp = b.get(start..start + 2)?;
        if nexthdr == 43 {
            b.get(start..start + 4)?;
        }
        let hdrlen = if nexthdr == 44 {
            let fo = b.get(start + 2..start + 4)?;
            let frag_off = u16::from_be_bytes([fo[0], fo[1]]) & !7;
            if frag_off != 0 {
                if !ipv6_ext_hdr(hp[0]) || hp[0] == 59 {
                    // *offset is left as the caller set it (0).
                    return Some((hp[0], 0, frag_off));
                }
                return None;
            }
            8
        } else if nexthdr == 51 {
            // IP6_FH_F_AUTH: stop at the AH header.
            break;
        } else {
            (usize::from(hp[1]) + 1) * 8
        };
        nexthdr = hp[0];
        start += hdrlen;
    }
    Some((nexthdr, start, 0))
}

impl<'a> View<'a> {
    pub fn new(pkt: &PacketInfo<'a>) -> View<'a> {
        let b = pkt.l3;
        let mut v = View {
            b,
            family: pkt.family,
            l4proto: 0,
            has_l4: false,
            thoff: 0,
            fragoff: 0,
            iif: pkt.iif.unwrap_or(""),
            oif: pkt.oif.unwrap_or(""),
            time: pkt.time,
        };
        match pkt.family {
            Family::Ipv4 => {
                if b.len() >= 20 {
                    v.l4proto = b[9];
                    v.thoff = usize::from(b[0] & 0x0f) * 4;
                    v.fragoff = u16::from_be_bytes([b[6], b[7]]) & 0x1fff;
                    v.has_l4 = true;
                }
            }
            Family::Ipv6 => {
                if let Some((p, off, frag)) = ipv6_find_hdr(b)
                    && off <= usize::from(u16::MAX)
                {
                    v.l4proto = p;
                    v.thoff = off;
                    v.fragoff = frag;
                    v.has_l4 = true;
                }
            }
        }
        v
    }

    /// `payload @nh,off,len`.
    pub fn nh(&self, off: usize, len: usize) -> Option<&'a [u8]> {
        self.b.get(off..off + len)
    }

    /// `payload @th,off,len`: only with a located transport header and not
    /// in a non-first fragment.
    pub fn th(&self, off: usize, len: usize) -> Option<&'a [u8]> {
        if !self.has_l4 || self.fragoff != 0 {
            return None;
        }
        self.b.get(self.thoff + off..self.thoff + off + len)
    }

    /// `skb_header_pointer(skb, par->thoff, len)` for a compat match.
    pub fn th_xt(&self, len: usize) -> Option<&'a [u8]> {
        self.b.get(self.thoff..self.thoff + len)
    }
}

/// `iifname` / `oifname`: `NAME+` is a prefix.
fn iface_hit(pat: &str, name: &str) -> bool {
    match pat.strip_suffix('+') {
        Some(prefix) => name.starts_with(prefix),
        None => pat == name,
    }
}

/// The `-p -s -d -i -o -f` part of a rule.
fn ip_hit(ip: &IpSpec, v: &View<'_>) -> bool {
    if let Some((name, inv)) = &ip.iif
        && iface_hit(name, v.iif) == *inv
    {
        return false;
    }
    if let Some((name, inv)) = &ip.oif
        && iface_hit(name, v.oif) == *inv
    {
        return false;
    }
    if let Some((p, inv)) = ip.proto
        && (v.l4proto == p) == inv
    {
        return false;
    }
    let (soff, doff, n) = match v.family {
        Family::Ipv4 => (12, 16, 4),
        Family::Ipv6 => (8, 24, 16),
    };
    for (spec, off) in [(&ip.src, soff), (&ip.dst, doff)] {
        if let Some((net, inv)) = spec {
            let Some(a) = v.nh(off, n) else {
                return false;
            };
            let mut addr = [0u8; 16];
            addr[..n].copy_from_slice(a);
            if net.contains(&addr) == *inv {
                return false;
            }
        }
    }
    if let Some(inv) = ip.frag {
        let Some(f) = v.nh(6, 2) else {
            return false;
        };
        let frag = u16::from_be_bytes([f[0], f[1]]) & 0x1fff != 0;
        if frag == inv {
            return false;
        }
    }
    true
}

fn rule_hit(r: &Rule, v: &View<'_>, ct: &CtSnapshot, meta: &Meta) -> Hit {
    if !ip_hit(&r.ip, v) {
        return Hit::No;
    }
    for m in &r.matches {
        match m.eval(v, ct, meta) {
            Hit::Yes => {}
            other => return other,
        }
    }
    Hit::Yes
}

/// Whether the nat table's chains see the packet.
fn nat_consulted(ct: &CtSnapshot) -> bool {
    tracked(ct)
        && matches!(ct.state, CtState::New | CtState::Related)
        && !ct.status.contains(Status::CONFIRMED)
}

/// Run base chain `id` of `rs`.
pub(crate) fn run(
    rs: &mut Ruleset,
    id: &BaseChainId,
    pkt: &PacketInfo<'_>,
    ct: &CtSnapshot,
    meta: &mut Meta,
) -> ChainResult {
    // The return stack of user-chain jumps, kept between packets: a jump
    // allocates nothing once the stack has grown to the ruleset's depth.
    let mut stack = std::mem::take(&mut rs.jump_stack);
    stack.clear();
    let r = run_with(rs, id, pkt, ct, meta, &mut stack);
    rs.jump_stack = stack;
    r
}

fn run_with(
    rs: &mut Ruleset,
    id: &BaseChainId,
    pkt: &PacketInfo<'_>,
    ct: &CtSnapshot,
    meta: &mut Meta,
    stack: &mut Vec<(usize, usize)>,
) -> ChainResult {
    let Some((ti, ci)) = id.key.split_once('/').and_then(|(t, c)| {
        let ti = rs.tables.iter().position(|x| x.kind.name() == t)?;
        let ci = rs.tables[ti].chain_index(c)?;
        Some((ti, ci))
    }) else {
        return ChainResult::Accept { by: None };
    };
    if rs.tables[ti].kind == TableKind::Nat && !nat_consulted(ct) {
        return ChainResult::Accept { by: None };
    }
    let view = View::new(pkt);
    // A CT rule acts only on a packet that has no conntrack template yet.
    let mut ct_set = meta.notrack || meta.ct_helper.is_some() || meta.ct_zone.is_some();
    let (mut chain, mut i) = (ci, 0usize);
    let policy = |rs: &mut Ruleset| -> ChainResult {
        let c: &mut Chain = &mut rs.tables[ti].chains[ci];
        c.policy_counters.add(pkt.len);
        let c = &rs.tables[ti].chains[ci];
        let by = c.policy_ref();
        match c.policy {
            Policy::Accept => ChainResult::Accept { by: Some(by) },
            Policy::Drop => ChainResult::Drop { by },
        }
    };
    loop {
        if i >= rs.tables[ti].chains[chain].rules.len() {
            match stack.pop() {
                Some((c, j)) => {
                    chain = c;
                    i = j;
                    continue;
                }
                None => return policy(rs),
            }
        }
        let hit = rule_hit(&rs.tables[ti].chains[chain].rules[i], &view, ct, meta);
        let rref = move |rs: &Ruleset| -> RuleRef { rs.tables[ti].chains[chain].rule_ref(i) };
        match hit {
            Hit::No => {
                i += 1;
                continue;
            }
            Hit::Hotdrop => return ChainResult::Drop { by: rref(rs) },
            Hit::Yes => {}
        }
        rs.tables[ti].chains[chain].rules[i].counters.add(pkt.len);
        let target = rs.tables[ti].chains[chain].rules[i].target.clone();
        match target {
            Target::None => {}
            Target::Accept => return ChainResult::Accept { by: Some(rref(rs)) },
            Target::Drop => return ChainResult::Drop { by: rref(rs) },
            Target::Reject(with) => {
                return ChainResult::Reject { by: rref(rs), with };
            }
            Target::Return => match stack.pop() {
                Some((c, j)) => {
                    chain = c;
                    i = j;
                    continue;
                }
                None => return policy(rs),
            },
            Target::Jump(c) => {
                stack.push((chain, i + 1));
                chain = c;
                i = 0;
                continue;
            }
            Target::Goto(c) => {
                chain = c;
                i = 0;
                continue;
            }
            Target::Log(_) | Target::Nflog(_) => meta.logged.push(rref(rs)),
            Target::Mark { mark, mask } => meta.nfmark = (meta.nfmark & !mask) ^ mark,
            Target::Connmark(c) => {
                if tracked(ct) {
                    match c.mode {
                        ConnmarkMode::Set => set_ctmark(meta, (meta.ctmark & !c.ctmask) ^ c.ctmark),
                        ConnmarkMode::Save => {
                            set_ctmark(meta, (meta.ctmark & !c.ctmask) ^ (meta.nfmark & c.nfmask))
                        }
                        ConnmarkMode::Restore => {
                            meta.nfmark = (meta.nfmark & !c.nfmask) ^ (meta.ctmark & c.ctmask);
                        }
                    }
                }
            }
            Target::Ct(c) => {
                if !ct_set {
                    ct_set = true;
                    if c.notrack {
                        meta.notrack = true;
                    } else {
                        meta.ct_helper = c.helper.clone();
                        meta.ct_zone = (c.zone != 0).then(|| c.zone());
                    }
                }
            }
            Target::Notrack => {
                if !ct_set {
                    ct_set = true;
                    meta.notrack = true;
                }
            }
        }
        i += 1;
    }
}

fn set_ctmark(meta: &mut Meta, new: u32) {
    if new != meta.ctmark {
        meta.ctmark = new;
        meta.ctmark_changed = true;
    }
}
