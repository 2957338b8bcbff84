//! The tracker: `nf_conntrack_in()` and `__nf_conntrack_confirm()` of
//! `nf_conntrack_core.c`, plus the checks a packet passes before it (see
//! `validate`). Sans-I/O: bytes and a timestamp in, a [`Verdict`] out.
//!
//! A packet's path, as the kernel's PREROUTING hook takes it on a bridge:
//! 1. the IP header checks (`validate`); a failure means no ctstate;
//! 2. defragmentation (`defrag`: a fragment waits in its queue, with no
//!    ctstate, until its datagram is complete; the datagram goes on);
//! 3. `get_l4proto()`: find the layer-4 header;
//! 4. for ICMP/ICMPv6, the error check (RELATED, UNTRACKED or INVALID);
//! 5. `resolve_normal_ct()`: tuple, lookup (expired entries are reaped),
//!    or a new unconfirmed entry if the tuple can be inverted;
//! 6. the protocol tracker's packet step (which may make it INVALID);
//! 7. SEEN_REPLY on the first reply;
//! 8. confirmation: a new entry enters the table (every packet is accepted
//!    when no ruleset is given).

use crate::conn::Conn;
use crate::conntrack_tools::EventType;
use crate::ctinfo::{CtInfo, CtState, Direction};
use crate::defrag::{self, Defrag};
use crate::event::CtEvent;
use crate::expect::{ExpectEvent, Expectations};
use crate::helper::{DestroyCtx, Help, HelpCtx, HelpVerdict, HelperId, HelperRule};
use crate::hooks::{CtSnapshot, HookPacket, Hooks, NoHooks, Post, Pre};
use crate::proto::{self, ErrorCtx, ErrorOutcome, PacketCtx, PacketOutcome};
use crate::reason::Reason;
use crate::stats::Stats;
use crate::status::Status;
use crate::sysctl::Sysctls;
use crate::table::{ConnId, Table};
use crate::time::{Jiffies, Timestamp};
use crate::trace::Trace;
use crate::tuple::{Addr, Family, Tuple};
use crate::validate;
use crate::wire::link::Network;
use crate::wire::{header_at, ip_proto, ipv4, ipv6};
use crate::zone::Zone;

/// How conntrack classified one packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// None: the packet never got a conntrack verdict.
    pub ctstate: Option<CtState>,
    /// The packet's direction in its entry (NEW, ESTABLISHED, RELATED only).
    pub dir: Option<Direction>,
    /// The entry's status after the packet (empty without an entry).
    pub status: Status,
    /// Why the packet is INVALID, UNTRACKED or without a verdict; or a note
    /// on an accepted packet.
    pub reason: Option<Reason>,
    /// Number of the entry (from 1, in order of creation).
    pub entry: Option<u32>,
    /// The packet's own tuple, when it has one.
    pub tuple: Option<Tuple>,
    /// Protocol state of the entry after the packet (TCP/SCTP).
    pub proto_state: Option<&'static str>,
    /// Zero bytes added because the capture cut the packet short.
    pub padded: usize,
    /// This packet's number: the count of packets handed to the tracker.
    pub id: u64,
    /// For a fragment that completed its datagram: the other fragments'
    /// packet numbers.
    pub fragments: Vec<u64>,
    /// The entry number of the entry's master (an expected connection).
    pub master: Option<u32>,
    /// The helper the entry has.
    pub helper: Option<&'static str>,
    /// Expectations created and destroyed while this packet was handled
    /// (including timers that ran out just before it).
    pub expect_events: Vec<ExpectEvent>,
    /// Table events this packet caused, in order (with [`Options::events`]).
    pub events: Vec<CtEvent>,
    /// The filter rule that dropped the packet after conntrack classified
    /// it ([`Hooks`]); a NEW packet dropped so leaves no entry.
    pub dropped_by: Option<String>,
}

impl Verdict {
    /// A verdict for a packet conntrack never saw.
    pub fn without_conntrack(reason: Reason) -> Verdict {
        Verdict {
            ctstate: None,
            dir: None,
            status: Status::empty(),
            reason: Some(reason),
            entry: None,
            tuple: None,
            proto_state: None,
            padded: 0,
            id: 0,
            fragments: Vec::new(),
            master: None,
            helper: None,
            expect_events: Vec::new(),
            events: Vec::new(),
            dropped_by: None,
        }
    }

    fn invalid(reason: Reason, tuple: Option<Tuple>) -> Verdict {
        Verdict {
            ctstate: Some(CtState::Invalid),
            tuple,
            ..Verdict::without_conntrack(reason)
        }
    }

    fn with_reason(mut self, reason: Option<Reason>) -> Verdict {
        if reason.is_some() {
            self.reason = reason;
        }
        self
    }

    fn untracked(reason: Reason) -> Verdict {
        Verdict {
            ctstate: Some(CtState::Untracked),
            ..Verdict::without_conntrack(reason)
        }
    }
}

/// How the tracker treats captures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub validate: validate::Options,
    /// Treat a packet captured shorter than it was sent as the kernel treats
    /// a truncated skb (dropped before conntrack). Off (default), the
    /// missing bytes are taken to be zeros.
    pub strict_length: bool,
    /// The kernel's tick, for time comparisons (see [`Jiffies`]).
    pub jiffies: Jiffies,
    /// Track DCCP with the DCCP tracker of Linux 6.15 and before
    /// (`proto::dccp`, not kernel-verified). Off (default), DCCP is generic,
    /// as in Linux 6.16 and later.
    pub dccp_tracker: bool,
    /// Produce table events ([`Verdict::events`]), as the kernel does when
    /// a ctnetlink listener (`conntrack -E`) exists.
    pub events: bool,
}

/// The most bytes ctrack will pad a cut packet to (IPv4's maximum total
/// length and an IPv6 jumbogram's practical limit of GRO super-packets).
pub const MAX_PADDED_LEN: usize = 256 * 1024;

/// Reason `get_l4proto()` gave up.
pub type NoProto = &'static str;

/// `get_l4proto()` for a packet starting at its IP header: offset and
/// number of the layer-4 protocol.
pub fn get_l4proto(family: Family, pkt: &[u8]) -> Result<(usize, u8), NoProto> {
    match family {
        Family::Ipv4 => {
            let h = header_at(pkt, 0, ipv4::MIN_HEADER_LEN).ok_or("IPv4 header too short")?;
            let p = ipv4::Packet::new_unchecked(h);
            if p.frag_offset() != 0 {
                return Err("a non-first IPv4 fragment");
            }
            let dataoff = usize::from(h[0] & 0x0f) * 4;
            if dataoff > pkt.len() {
                return Err("IPv4 header longer than the packet");
            }
            // ihl 0..4 is not refused here (a quoted header is never
            // validated): the transport header is then read from inside
            // the IP header, as the kernel reads it.
            Ok((dataoff, p.protocol()))
        }
        Family::Ipv6 => {
            let up = ipv6::skip_exthdr(pkt)
                .ok_or("IPv6 extension headers unreadable or No Next Header")?;
            if up.frag_off & !0x7 != 0 {
                return Err("a non-first IPv6 fragment");
            }
            Ok((up.offset, up.protocol))
        }
    }
}

/// `nf_ct_get_tuple()`'s address part.
pub fn base_tuple(family: Family, pkt: &[u8], proto: u8) -> Option<Tuple> {
    let (src, dst) = match family {
        Family::Ipv4 => {
            let a = header_at(pkt, 12, 8)?;
            (
                Addr::v4([a[0], a[1], a[2], a[3]]),
                Addr::v4([a[4], a[5], a[6], a[7]]),
            )
        }
        Family::Ipv6 => {
            let a = header_at(pkt, 8, 32)?;
            let mut s = [0; 16];
            let mut d = [0; 16];
            s.copy_from_slice(&a[..16]);
            d.copy_from_slice(&a[16..]);
            (Addr::v6(s), Addr::v6(d))
        }
    };
    Some(Tuple::new(family, proto, src, dst))
}

/// What `-j CT` in the raw table gave the packet (`tmpl`).
#[derive(Debug, Clone, Copy, Default)]
struct Template {
    helper: Option<HelperId>,
    zone: Zone,
}

/// The hooks after conntrack, as the tracker calls them.
type After<'a> = dyn FnMut(&HookPacket<'_>, &CtSnapshot) -> Post + 'a;

/// Connection tracking for one network namespace.
#[derive(Debug)]
pub struct Conntrack {
    sysctl: Sysctls,
    options: Options,
    table: Table,
    stats: Stats,
    scratch: Vec<u8>,
    reaped: Vec<Conn>,
    trace: Trace,
    defrag: Defrag,
    next_id: u64,
    expect: Expectations,
    helper_rules: Vec<HelperRule>,
    /// The PPTP helper's GRE keymap (`nf_ct_gre_keymap_*`).
    gre_keymap: crate::gre_keymap::GreKeymap,
    events: Vec<CtEvent>,
    /// The time of the packet being handled.
    now: Timestamp,
}

impl Conntrack {
    pub fn new(sysctl: Sysctls, options: Options) -> Conntrack {
        let buckets = sysctl.buckets;
        Conntrack {
            sysctl,
            options,
            table: Table::new(options.jiffies, buckets),
            stats: Stats::default(),
            scratch: Vec::new(),
            reaped: Vec::new(),
            trace: Trace::default(),
            defrag: Defrag::default(),
            next_id: 0,
            expect: Expectations::default(),
            helper_rules: Vec::new(),
            gre_keymap: Default::default(),
            events: Vec::new(),
            now: Timestamp::ZERO,
        }
    }

    /// Produce table events from now on (a `conntrack -E` listener).
    pub fn set_events(&mut self, on: bool) {
        self.options.events = on;
    }

    /// The rules that give new connections a helper (`-j CT --helper`),
    /// tried in order.
    pub fn set_helper_rules(&mut self, rules: Vec<HelperRule>) {
        self.helper_rules = rules;
    }

    pub fn helper_rules(&self) -> &[HelperRule] {
        &self.helper_rules
    }

    /// The pending expectations.
    pub fn expectations(&self) -> &Expectations {
        &self.expect
    }

    /// `/proc/net/nf_conntrack_expect` at `now`.
    pub fn proc_expect(&self, now: Timestamp) -> String {
        self.expect.proc_table(now)
    }

    /// An entry left the table: report it.
    fn reap(&mut self, c: Conn) {
        if self.options.events && c.is_confirmed() {
            let acct = self.sysctl.acct != 0;
            let expired = c.is_expired(self.now, self.options.jiffies.slack());
            self.events
                .push(CtEvent::new(EventType::Destroy, &c, self.now, false, acct).expired(expired));
        }
        self.reaped.push(c);
    }

    /// The garbage collector's pass, when one is due (see [`Table::gc`]).
    fn run_gc(&mut self, now: Timestamp) {
        let max = self.sysctl.max as usize;
        let pass = self.table.gc(now, max, |c| {
            !c.status.contains(Status::ASSURED) || proto::can_early_drop(c)
        });
        if pass.expired.is_empty() && pass.dropped.is_empty() {
            return;
        }
        self.trace.note(|| {
            format!(
                "garbage collector: {} expired entries reaped, {} dropped to make room",
                pass.expired.len(),
                pass.dropped.len()
            )
        });
        self.stats.expired += pass.expired.len() as u64;
        let before = self.reaped.len();
        self.reaped.extend(pass.expired);
        self.report_reaped(before);
        let acct = self.sysctl.acct != 0;
        for c in pass.dropped {
            if self.options.events && c.is_confirmed() {
                // Its moment is the GC's, like an expiry's.
                self.events.push(
                    CtEvent::new(EventType::Destroy, &c, self.now, false, acct).expired(true),
                );
            }
            self.reaped.push(c);
        }
        self.settle();
    }

    /// DESTROY events for entries the GC put in `reaped[from..]`.
    fn report_reaped(&mut self, from: usize) {
        if !self.options.events {
            return;
        }
        let acct = self.sysctl.acct != 0;
        for c in &self.reaped[from..] {
            if c.is_confirmed() {
                self.events
                    .push(CtEvent::new(EventType::Destroy, c, self.now, false, acct).expired(true));
            }
        }
    }

    /// Expectations of entries that just left the table go with them
    /// (`nf_ct_remove_expectations()`); done before any slot is reused.
    fn settle(&mut self) {
        loop {
            // destroy_gre_conntrack(): a GRE entry's master loses its keymap.
            for seq in self.table.take_gone_gre_masters() {
                self.gre_keymap.destroy(seq);
            }
            let gone = self.table.take_gone_masters();
            if gone.is_empty() {
                return;
            }
            let mut kill = Vec::new();
            for g in gone {
                // nf_ct_delete_from_lists(): the helper's destroy() first,
                // then clean_from_lists() removes the expectations.
                let helper = g.help.helper.get();
                let mut ctx = DestroyCtx {
                    gone: &g,
                    expect: &mut self.expect,
                    kill: &mut kill,
                    gre_keymap: &mut self.gre_keymap,
                };
                helper.destroy(&mut ctx);
                self.expect.remove_master(g.id);
            }
            // Entries a helper's destroy() deletes with its master.
            for t in kill {
                if let Some((id, _)) = self.table.lookup_any(&t)
                    && let Some(c) = self.table.remove(id)
                {
                    self.reap(c);
                }
            }
            if self.gre_keymap.has_siblings() {
                self.destroy_siblings(self.now);
            }
        }
    }

    /// `destroy_sibling_or_exp()` for each tuple the PPTP helper named: the
    /// entry it finds is killed, or else the expectation the tuple matches
    /// is removed.
    fn destroy_siblings(&mut self, now: Timestamp) {
        for t in self.gre_keymap.take_siblings() {
            let (found, dead) = self.table.find_reap(&t, now);
            self.stats.expired += dead.len() as u64;
            for d in dead {
                self.reap(d);
            }
            if let Some((id, _)) = found {
                self.trace
                    .note(|| format!("pptp: the call's GRE entry {t} is killed"));
                if let Some(c) = self.table.remove(id) {
                    self.reap(c);
                }
            } else if let Some(e) = self.expect.unexpect(&t) {
                self.trace
                    .note(|| format!("pptp: the call's expectation {e} is removed"));
            }
        }
    }

    /// The GRE keymap the PPTP helper keeps.
    pub fn gre_keymap(&self) -> &crate::gre_keymap::GreKeymap {
        &self.gre_keymap
    }

    fn defrag_limits(&self) -> defrag::Limits {
        defrag::Limits {
            v4_high_thresh: self.sysctl.ipfrag_high_thresh as usize,
            v4_timeout: self.sysctl.ipfrag_time,
            v4_max_dist: self.sysctl.ipfrag_max_dist,
            v6_high_thresh: self.sysctl.frag6_high_thresh as usize,
            v6_timeout: self.sysctl.frag6_timeout,
            jiffies: self.options.jiffies,
        }
    }

    /// What became of queued fragments since the last call.
    pub fn take_fragment_fates(&mut self) -> Vec<defrag::FragmentFate> {
        self.defrag.take_fates()
    }

    pub fn defrag(&self) -> &Defrag {
        &self.defrag
    }

    /// Explain the next packets step by step (see [`Conntrack::take_explanation`]).
    pub fn set_explain(&mut self, on: bool) {
        self.trace.set_enabled(on);
    }

    /// The explanation recorded since the last call.
    pub fn take_explanation(&mut self) -> Vec<String> {
        self.trace.take()
    }

    /// An entry as /proc shows it, then its tracker's private state.
    fn describe_entry(&self, c: &Conn, now: Timestamp) -> Vec<String> {
        let mut line = String::new();
        crate::procfs::write_line(&mut line, c, now, self.proc_options());
        let mut out = vec![format!("entry #{}: {}", c.seq, line.trim_end())];
        let l4 = proto::for_conn(c);
        out.extend(l4.describe(c).into_iter().map(|l| format!("  {l}")));
        out
    }

    fn proc_options(&self) -> crate::procfs::ProcOptions {
        crate::procfs::ProcOptions {
            acct: self.sysctl.acct != 0,
            timestamp: self.sysctl.timestamp != 0,
        }
    }

    pub fn sysctls(&self) -> &Sysctls {
        &self.sysctl
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    pub fn table(&self) -> &Table {
        &self.table
    }

    /// Entries removed since the last call (expired or evicted).
    /// The entries that left the table while the last packet was handled
    /// (expired, killed, evicted); cleared when the next packet comes.
    pub fn take_reaped(&mut self) -> Vec<Conn> {
        std::mem::take(&mut self.reaped)
    }

    /// Live entries at `now`, by entry number.
    pub fn entries(&self, now: Timestamp) -> Vec<&Conn> {
        self.table.live(now).into_iter().map(|(_, c)| c).collect()
    }

    /// `conntrack -L` (with `-o extended` / `-o id` as `opts` say) at
    /// `now`; the knobs decide the counters and `delta-time=`.
    pub fn conntrack_list(&self, now: Timestamp, extended: bool, id: bool) -> String {
        let opts = crate::conntrack_tools::ListOptions {
            extended,
            id,
            acct: self.sysctl.acct != 0,
            timestamp: self.sysctl.timestamp != 0,
        };
        let mut out = String::new();
        for c in self.entries(now) {
            out.push_str(&crate::conntrack_tools::list_line(c, now, opts));
            out.push('\n');
        }
        out
    }

    /// `conntrack -S`, `/proc/net/stat/nf_conntrack` and a census of the
    /// live entries by protocol and state, at `now`.
    pub fn stats_report(&self, now: Timestamp) -> String {
        let mut s = String::from("# conntrack -S\n");
        s.push_str(&self.stats.conntrack_s());
        s.push_str("\n# /proc/net/stat/nf_conntrack\n");
        s.push_str(&self.stats.proc_stat(
            self.table.count(),
            self.expect.matched,
            self.expect.created,
            self.expect.deleted,
        ));
        let mut census: std::collections::BTreeMap<(String, String), usize> = Default::default();
        let entries = self.entries(now);
        for c in &entries {
            let l4 = proto::for_conn(c);
            let state = l4.state_name(c).unwrap_or("-").to_string();
            *census.entry((l4.name().to_string(), state)).or_default() += 1;
        }
        s.push_str(&format!(
            "# live entries: {} ({} assured), expectations: {}\n",
            entries.len(),
            entries
                .iter()
                .filter(|c| c.status.contains(Status::ASSURED))
                .count(),
            self.expect.count()
        ));
        for ((p, st), n) in census {
            s.push_str(&format!("{p:<8} {st:<18} {n}\n"));
        }
        s
    }

    /// `/proc/net/nf_conntrack` at `now`.
    pub fn proc_table(&self, now: Timestamp) -> String {
        let opts = self.proc_options();
        let mut out = String::new();
        for c in self.entries(now) {
            crate::procfs::write_line(&mut out, c, now, opts);
        }
        out
    }

    /// Remove every entry expired at `now` (the garbage collector's effect).
    pub fn expire(&mut self, now: Timestamp) {
        self.now = self.now.max(now);
        let before = self.reaped.len();
        self.table.reap_all(now, &mut self.reaped);
        self.stats.expired += (self.reaped.len() - before) as u64;
        self.report_reaped(before);
        self.settle();
        self.expect.expire(now, self.options.jiffies);
    }

    /// One packet arriving at `now`: `data` is the network-layer packet as
    /// captured, `wire_len` its length on the wire (larger when the capture
    /// cut it).
    pub fn process(
        &mut self,
        now: Timestamp,
        network: Network,
        data: &[u8],
        wire_len: usize,
    ) -> Verdict {
        self.process_hooked(now, network, data, wire_len, &mut NoHooks)
    }

    /// [`Conntrack::process`] with a packet filter around conntrack: `hooks`
    /// decide before conntrack (raw) and after it, before helpers and
    /// confirmation (see [`crate::hooks`]).
    pub fn process_hooked(
        &mut self,
        now: Timestamp,
        network: Network,
        data: &[u8],
        wire_len: usize,
        hooks: &mut dyn Hooks,
    ) -> Verdict {
        self.next_id += 1;
        let id = self.next_id;
        let family = match network {
            Network::Ipv4 => Family::Ipv4,
            Network::Ipv6 => Family::Ipv6,
            Network::Other(ethertype) => {
                return Verdict {
                    id,
                    ..Verdict::without_conntrack(Reason::NotIp { ethertype })
                };
            }
        };
        if self.defrag.pending() {
            let limits = self.defrag_limits();
            self.defrag.expire(now, &limits);
        }
        self.now = now;
        // Only this packet's removals are kept (see take_reaped).
        self.reaped.clear();
        self.run_gc(now);
        self.expect.expire(now, self.options.jiffies);

        let mut scratch = std::mem::take(&mut self.scratch);
        let mut padded = 0;
        let data = if !self.options.strict_length && data.len() < wire_len {
            let target = wire_len.min(MAX_PADDED_LEN).max(data.len());
            scratch.clear();
            scratch.extend_from_slice(data);
            scratch.resize(target, 0);
            padded = target - data.len();
            &scratch[..]
        } else {
            data
        };
        let mut v = self.ip_in(now, id, family, data, hooks);
        v.padded = padded;
        v.id = id;
        if !self.expect.is_empty() || self.expect.created > 0 {
            v.expect_events = self.expect.take_events();
        }
        if self.options.events {
            v.events = std::mem::take(&mut self.events);
        }
        self.scratch = scratch;
        v
    }

    fn ip_in(
        &mut self,
        now: Timestamp,
        id: u64,
        family: Family,
        data: &[u8],
        hooks: &mut dyn Hooks,
    ) -> Verdict {
        let pkt = match family {
            Family::Ipv4 => validate::ipv4(data, &self.options.validate),
            Family::Ipv6 => validate::ipv6(data),
        };
        let pkt = match pkt {
            Ok(p) => p,
            Err(r) => return Verdict::without_conntrack(r),
        };
        // nf_defrag_ipv4 / nf_defrag_ipv6, at priority -400.
        let frame_len = data.len() + crate::wire::ethernet::HEADER_LEN;
        let outcome = match family {
            Family::Ipv4 if defrag::ipv4_is_fragment(pkt) => {
                let limits = self.defrag_limits();
                self.defrag.ipv4(now, id, pkt, frame_len, 0, &limits)
            }
            Family::Ipv6 if crate::wire::ipv6::is_ext_hdr(pkt[6]) => {
                let limits = self.defrag_limits();
                self.defrag.ipv6(now, id, pkt, frame_len, 0, &limits)
            }
            _ => defrag::Outcome::Pass,
        };
        match outcome {
            defrag::Outcome::Pass => self.after_defrag(now, family, pkt, hooks),
            defrag::Outcome::Queued => Verdict::without_conntrack(Reason::FragmentQueued),
            defrag::Outcome::Dropped(why) => {
                Verdict::without_conntrack(Reason::FragmentDropped(why))
            }
            defrag::Outcome::Reassembled { packet, others } => {
                self.trace.note(|| {
                    format!(
                        "reassembled a {}-byte datagram from packets {others:?} and this one",
                        packet.len()
                    )
                });
                let mut v = self.after_defrag(now, family, &packet, hooks);
                v.fragments = others;
                v
            }
        }
    }

    fn after_defrag(
        &mut self,
        now: Timestamp,
        family: Family,
        pkt: &[u8],
        hooks: &mut dyn Hooks,
    ) -> Verdict {
        // raw PREROUTING / OUTPUT (priority -300).
        let tmpl = if hooks.active() {
            let hp = HookPacket {
                family,
                pkt,
                l4: get_l4proto(family, pkt).ok(),
                time: self.options.jiffies.at(now),
            };
            match hooks.before_conntrack(&hp) {
                Pre::Continue => Template::default(),
                Pre::Drop(why) => {
                    self.trace
                        .note(|| format!("dropped before conntrack: {why}"));
                    return Verdict::without_conntrack(Reason::HookDrop(why));
                }
                Pre::NoTrack => {
                    self.trace
                        .note(|| "NOTRACK: conntrack leaves the packet alone".into());
                    let v = Verdict::untracked(Reason::NoTrack);
                    return self.filtered(v, &hp, Some(&mut |p, c| hooks.after_conntrack(p, c)));
                }
                Pre::Template { helper, zone } => Template {
                    helper,
                    zone: zone.unwrap_or_default(),
                },
                Pre::Attached { answered, why } => {
                    return self.attached(&hp, answered, why, hooks);
                }
            }
        } else {
            Template::default()
        };
        // br_nf_forward_ip() validates the (now trimmed) packet again; an
        // IPv6 hop-by-hop header that the payload length cut off fails there,
        // after conntrack saw the packet and before it was confirmed.
        if family == Family::Ipv6 && validate::ipv6(pkt).is_err() {
            let why = "IPv6 hop-by-hop header beyond the payload length";
            let v = self.track(
                now,
                family,
                pkt,
                tmpl,
                Some(&mut |_, _| Post::Drop(format!("bridge FORWARD: {why}"))),
            );
            return Verdict {
                tuple: v.tuple,
                ..Verdict::without_conntrack(Reason::ForwardDrop(why))
            };
        }
        if !hooks.active() {
            return self.track(now, family, pkt, tmpl, None);
        }
        self.track(
            now,
            family,
            pkt,
            tmpl,
            Some(&mut |p, c| hooks.after_conntrack(p, c)),
        )
    }

    /// `nf_conntrack_in()` plus confirmation, for a packet that passed the
    /// IP checks and is not a fragment.
    pub fn conntrack_in(&mut self, now: Timestamp, family: Family, pkt: &[u8]) -> Verdict {
        self.track(now, family, pkt, Template::default(), None)
    }

    /// A packet carrying the entry of the packet it answers
    /// (`nf_ct_attach()`): RELATED in the other direction, untouched by
    /// conntrack; the hooks after conntrack still see (and may drop) it.
    fn attached(
        &mut self,
        hp: &HookPacket<'_>,
        answered: CtSnapshot,
        why: String,
        hooks: &mut dyn Hooks,
    ) -> Verdict {
        let dir = match answered.dir {
            Some(Direction::Reply) => Direction::Original,
            _ => Direction::Reply,
        };
        let mut snap = CtSnapshot {
            state: CtState::Related,
            dir: Some(dir),
            ..answered
        };
        // A confirmed entry as it is now; an unconfirmed one (the answered
        // packet was dropped) exists only on that packet and this one.
        let confirmed = answered.tuples.and_then(|t| {
            self.table
                .find_in(&t[0], answered.zone, self.now)
                .filter(|(_, d)| *d == Direction::Original)
                .map(|(id, _)| id)
        });
        let mut v = Verdict::without_conntrack(Reason::Attached(why));
        if let Some(id) = confirmed {
            let fresh = self.snapshot(id, CtInfo::Related(dir));
            snap.status = fresh.status;
            snap.mark = fresh.mark;
            let c = self.table.get(id).expect("entry");
            v.entry = Some(c.seq);
            v.helper = snap.helper;
        }
        v.ctstate = Some(CtState::Related);
        v.dir = Some(dir);
        v.status = snap.status;
        v.tuple = answered.tuples.map(|t| t[dir as usize]);
        if let Post::Drop(why) = hooks.after_conntrack(hp, &snap) {
            self.trace
                .note(|| format!("dropped after conntrack: {why}"));
            v.dropped_by = Some(why);
        }
        v
    }

    /// The hooks after conntrack for a packet conntrack gave no entry
    /// (INVALID, UNTRACKED): they may still drop it.
    fn filtered(
        &mut self,
        mut v: Verdict,
        hp: &HookPacket<'_>,
        after: Option<&mut After<'_>>,
    ) -> Verdict {
        let (Some(state), Some(after)) = (v.ctstate, after) else {
            return v;
        };
        let snap = CtSnapshot {
            state,
            dir: None,
            status: Status::empty(),
            tuples: None,
            helper: None,
            master_helper: None,
            mark: 0,
            zone: Zone::DEFAULT,
            proto_state: None,
        };
        if let Post::Drop(why) = after(hp, &snap) {
            self.trace
                .note(|| format!("dropped after conntrack: {why}"));
            v.dropped_by = Some(why);
        }
        v
    }

    /// `nf_conntrack_in()`, the hooks after it (`after`), the helper and
    /// confirmation.
    fn track(
        &mut self,
        now: Timestamp,
        family: Family,
        pkt: &[u8],
        tmpl: Template,
        mut after: Option<&mut After<'_>>,
    ) -> Verdict {
        let l4res = get_l4proto(family, pkt);
        let hp = HookPacket {
            family,
            pkt,
            l4: l4res.ok(),
            time: self.options.jiffies.at(now),
        };
        let (dataoff, protonum) = match l4res {
            Ok(x) => x,
            Err(why) => {
                self.stats.invalid += 1;
                let v = Verdict::invalid(Reason::NoL4Proto(why), None);
                return self.filtered(v, &hp, after.take());
            }
        };
        let l4 = proto::find_with(family, protonum, self.options.dccp_tracker);
        self.trace.note(|| {
            format!(
                "layer 4: protocol {protonum} ({}) at offset {dataoff}",
                l4.name()
            )
        });

        if protonum == ip_proto::ICMP || protonum == ip_proto::ICMPV6 {
            let ectx = ErrorCtx {
                family,
                pkt,
                dataoff,
                sysctl: &self.sysctl,
                table: &self.table,
                now,
                dccp_tracker: self.options.dccp_tracker,
                gre_keymap: &self.gre_keymap,
                zone: tmpl.zone,
            };
            match l4.error(&ectx) {
                ErrorOutcome::Continue => {}
                ErrorOutcome::Untracked(r) => {
                    return self.filtered(Verdict::untracked(r), &hp, after.take());
                }
                ErrorOutcome::Invalid(r) => {
                    self.stats.error += 1;
                    return self.filtered(Verdict::invalid(r, None), &hp, after.take());
                }
                ErrorOutcome::Related { id, dir } => {
                    let decision = after.as_mut().map(|a| {
                        let snap = self.snapshot(id, CtInfo::Related(dir));
                        a(&hp, &snap)
                    });
                    let filtered = match decision {
                        None => None,
                        Some(Post::Drop(why)) => Some(why),
                        Some(Post::Accept { ctmark, .. }) => {
                            if let (Some(m), Some(c)) = (ctmark, self.table.get_mut(id)) {
                                c.mark = m;
                            }
                            None
                        }
                    };
                    // nf_confirm() gives the helper every packet but
                    // IP_CT_RELATED_REPLY ones.
                    let dropped = if dir == Direction::Original && filtered.is_none() {
                        self.run_helper(now, family, pkt, dataoff, id, CtInfo::Related(dir))
                    } else {
                        None
                    };
                    let conn = self.table.get(id).expect("found entries exist");
                    let tuple = base_tuple(family, pkt, protonum).map(|mut t| {
                        l4.pkt_to_tuple(pkt, dataoff, &mut t);
                        t
                    });
                    return Verdict {
                        ctstate: Some(CtState::Related),
                        dir: Some(dir),
                        status: conn.status,
                        reason: None,
                        entry: Some(conn.seq),
                        tuple,
                        proto_state: l4.state_name(conn),
                        dropped_by: filtered,
                        ..Verdict::without_conntrack(Reason::FragmentQueued)
                    }
                    .with_reason(dropped);
                }
            }
        }

        let Some(mut tuple) = base_tuple(family, pkt, protonum) else {
            self.stats.invalid += 1;
            let v = Verdict::invalid(Reason::NoL4Proto("addresses unreadable"), None);
            return self.filtered(v, &hp, after.take());
        };
        if !l4.pkt_to_tuple(pkt, dataoff, &mut tuple) {
            self.stats.invalid += 1;
            let v = Verdict::invalid(Reason::NoTuple { proto: protonum }, None);
            return self.filtered(v, &hp, after.take());
        }
        if protonum == ip_proto::GRE && !self.gre_keymap.is_empty() {
            // gre_pkt_to_tuple(): the source key from the keymap.
            self.gre_keymap.fix_up_tuple(pkt, dataoff, &mut tuple);
        }
        self.trace.note(|| format!("tuple: {tuple}"));

        let mut repeats = 0;
        let mut before: (Status, Option<&'static str>);
        let mut protoinfo;
        let (id, ctinfo, created, outcome) = loop {
            let (found, dead) = self.table.find_reap_in(&tuple, tmpl.zone, now);
            if !dead.is_empty() {
                self.stats.expired += dead.len() as u64;
                for d in dead {
                    self.reap(d);
                }
                self.settle();
            }
            let (id, ctinfo, created) = match found {
                Some((id, dir)) => {
                    self.stats.found += 1;
                    if self.trace.enabled() {
                        let lines = self
                            .table
                            .get(id)
                            .map(|c| self.describe_entry(c, now))
                            .unwrap_or_default();
                        self.trace
                            .note(|| format!("found in direction {dir}; before the packet:"));
                        for l in lines {
                            self.trace.note(|| format!("  {l}"));
                        }
                    }
                    let status = self.table.get(id).map(|c| c.status).unwrap_or_default();
                    let ctinfo = if dir == Direction::Reply {
                        CtInfo::Established(Direction::Reply)
                    } else if status.contains(Status::SEEN_REPLY) {
                        CtInfo::Established(Direction::Original)
                    } else if status.contains(Status::EXPECTED) {
                        CtInfo::Related(Direction::Original)
                    } else {
                        CtInfo::New
                    };
                    (id, ctinfo, false)
                }
                None => {
                    let mut inverse = tuple.swapped_addrs();
                    if !l4.invert(&tuple, &mut inverse) {
                        self.stats.invalid += 1;
                        let v = Verdict::invalid(
                            Reason::NoInverse {
                                proto: protonum,
                                kind: tuple.icmp_type(),
                            },
                            Some(tuple),
                        );
                        return self.filtered(v, &hp, after.take());
                    }
                    if !self.make_room(&tuple, tmpl.zone) {
                        self.stats.drop += 1;
                        return Verdict {
                            tuple: Some(tuple),
                            ..Verdict::without_conntrack(Reason::TableFull)
                        };
                    }
                    self.trace
                        .note(|| format!("no entry: a new one is made, reply tuple {inverse}"));
                    let conn = self.init_conntrack(tuple, inverse, now, tmpl);
                    let expected = conn.status.contains(Status::EXPECTED);
                    let id = self.table.alloc(conn);
                    let ctinfo = if expected {
                        CtInfo::Related(Direction::Original)
                    } else {
                        CtInfo::New
                    };
                    (id, ctinfo, true)
                }
            };
            let conn = self.table.get_mut(id).expect("entry just found or made");
            before = (conn.status, l4.state_name(conn));
            let mut pctx = PacketCtx {
                conn,
                ctinfo,
                family,
                pkt,
                dataoff,
                now,
                sysctl: &self.sysctl,
                jiffies: self.options.jiffies,
                trace: &mut self.trace,
                protoinfo: false,
            };
            let outcome = l4.packet(&mut pctx);
            protoinfo = pctx.protoinfo;
            if outcome == PacketOutcome::Repeat && repeats == 0 {
                // The old entry dies; the packet is looked up again.
                self.trace.note(|| {
                    "the old entry is deleted and the packet looked up again (-NF_REPEAT)".into()
                });
                repeats += 1;
                if let Some(c) = self.table.remove(id) {
                    self.reap(c);
                }
                self.settle();
                continue;
            }
            break (id, ctinfo, created, outcome);
        };
        let (reason, kill) = match outcome {
            PacketOutcome::Accept => (None, false),
            PacketOutcome::AcceptNoted(r) => (Some(r), false),
            PacketOutcome::Kill(r) => (r, true),
            PacketOutcome::Invalid(r) => {
                self.reject(id, created, false);
                return self.filtered(Verdict::invalid(r, Some(tuple)), &hp, after.take());
            }
            PacketOutcome::Drop(r) => {
                self.reject(id, created, true);
                return Verdict::invalid(r, Some(tuple));
            }
            PacketOutcome::Repeat => {
                self.reject(id, created, true);
                return Verdict::invalid(Reason::NoL4Proto("reopened twice"), Some(tuple));
            }
        };
        let conn = self.table.get_mut(id).expect("accepted entry");
        if ctinfo == CtInfo::Established(Direction::Reply) {
            conn.status.insert(Status::SEEN_REPLY);
        }
        // The hooks after conntrack (mangle, filter... in their order).
        let decision = after.as_mut().map(|a| {
            let snap = self.snapshot(id, ctinfo);
            a(&hp, &snap)
        });
        match decision.unwrap_or(Post::Accept {
            ctmark: None,
            helper: None,
        }) {
            Post::Drop(why) => {
                self.trace
                    .note(|| format!("dropped after conntrack: {why}"));
                let conn = self.table.get(id).expect("entry");
                let v = Verdict {
                    ctstate: Some(ctinfo.state()),
                    dir: Some(ctinfo.direction()),
                    status: conn.status,
                    reason,
                    entry: (conn.seq != 0).then_some(conn.seq),
                    tuple: Some(tuple),
                    proto_state: l4.state_name(conn),
                    master: conn.master().map(|(_, s)| s),
                    helper: conn.help().map(|h| h.helper.get().name()),
                    dropped_by: Some(why),
                    ..Verdict::without_conntrack(Reason::FragmentQueued)
                };
                if created {
                    // Never confirmed: the entry is freed.
                    self.table.remove(id);
                    self.settle();
                    self.trace
                        .note(|| "the new entry is freed: nothing enters the table".into());
                }
                return v;
            }
            Post::Accept { ctmark, helper } => {
                if let Some(c) = self.table.get_mut(id) {
                    if let Some(m) = ctmark {
                        c.mark = m;
                    }
                    // nft_ct_helper_obj_eval(): an unconfirmed entry without
                    // a helper takes it (not an expected one).
                    if let Some(h) = helper
                        && created
                        && c.help().is_none()
                        && c.master().is_none()
                        && h.get().proto() == c.orig().proto
                        && h.get().supports(c.orig().family)
                    {
                        c.set_help(Help::new(h));
                    }
                }
            }
        }
        if let Some(why) = self.run_helper(now, family, pkt, dataoff, id, ctinfo) {
            // NF_DROP from the helper: a new entry is never confirmed (no
            // conntrack counter moves: the drop is the helper's).
            let conn = self.table.get(id).expect("entry");
            let v = Verdict {
                ctstate: Some(ctinfo.state()),
                dir: Some(ctinfo.direction()),
                status: conn.status,
                entry: (conn.seq != 0).then_some(conn.seq),
                tuple: Some(tuple),
                proto_state: l4.state_name(conn),
                master: conn.master().map(|(_, s)| s),
                helper: conn.help().map(|h| h.helper.get().name()),
                ..Verdict::without_conntrack(why)
            };
            if created {
                self.table.remove(id);
                self.settle();
                self.trace
                    .note(|| "the new entry is freed: nothing enters the table".into());
            }
            return v;
        }
        if created {
            if self.table.confirm(id) {
                self.stats.insert += 1;
                if let Some(c) = self.table.get(id)
                    && c.help().is_some()
                {
                    self.expect.confirm_master(id, c.seq);
                }
            } else {
                self.table.remove(id);
                self.settle();
                self.stats.insert_failed += 1;
                self.stats.drop += 1;
                return Verdict {
                    tuple: Some(tuple),
                    ..Verdict::without_conntrack(Reason::ConfirmClash)
                };
            }
        }
        let conn = self.table.get(id).expect("confirmed entry");
        let verdict = Verdict {
            ctstate: Some(ctinfo.state()),
            dir: Some(ctinfo.direction()),
            status: conn.status,
            reason,
            entry: Some(conn.seq),
            tuple: Some(tuple),
            proto_state: l4.state_name(conn),
            master: conn.master().map(|(_, s)| s),
            helper: conn.help().map(|h| h.helper.get().name()),
            ..Verdict::without_conntrack(Reason::FragmentQueued)
        };
        if self.options.events && !kill {
            let acct = self.sysctl.acct != 0;
            let state = l4.state_name(conn);
            if created {
                self.events
                    .push(CtEvent::new(EventType::New, conn, now, true, acct));
            } else {
                let changed = [Status::SEEN_REPLY, Status::ASSURED]
                    .into_iter()
                    .any(|b| conn.status.contains(b) != before.0.contains(b));
                let protoinfo = protoinfo || state != before.1;
                if changed || protoinfo {
                    self.events
                        .push(CtEvent::new(EventType::Update, conn, now, protoinfo, acct));
                }
            }
        }
        if self.trace.enabled() {
            let lines = self.describe_entry(conn, now);
            self.trace.note(|| {
                if created {
                    "confirmed; after the packet:".into()
                } else {
                    "after the packet:".into()
                }
            });
            for l in lines {
                self.trace.note(|| format!("  {l}"));
            }
        }
        if kill && let Some(c) = self.table.remove(id) {
            self.trace.note(|| {
                "the entry is deleted at once (nf_ct_kill_acct: a RST was the only answer)".into()
            });
            self.reap(c);
            self.settle();
        }
        verdict
    }

    /// What the `conntrack` match sees of entry `id` for a packet `ctinfo`.
    fn snapshot(&self, id: ConnId, ctinfo: CtInfo) -> CtSnapshot {
        let c = self.table.get(id).expect("entry");
        CtSnapshot {
            state: ctinfo.state(),
            dir: Some(ctinfo.direction()),
            status: c.status,
            tuples: Some(c.tuples()),
            helper: c.help().map(|h| h.helper.get().name()),
            master_helper: c.master_helper().map(|h| h.get().name()),
            mark: c.mark,
            zone: c.zone,
            proto_state: proto::for_conn(c).state_name(c),
        }
    }

    /// `init_conntrack()`'s choices for a new entry: an expectation it
    /// matches makes it EXPECTED with that master (and no rule helper);
    /// otherwise the first helper rule it matches gives it a helper.
    fn init_conntrack(
        &mut self,
        tuple: Tuple,
        inverse: Tuple,
        now: Timestamp,
        tmpl: Template,
    ) -> Conn {
        let mut conn = Conn::new(tuple, inverse, now);
        conn.zone = tmpl.zone;
        if self.sysctl.acct != 0 {
            conn.enable_acct();
        }
        if self.sysctl.timestamp != 0 {
            conn.enable_timestamp(now);
        }
        if !self.expect.is_empty() {
            let table = &self.table;
            let slack = self.options.jiffies.slack();
            if let Some(exp) = self.expect.find(&tuple, |m| {
                table
                    .get(m)
                    .is_some_and(|c| c.is_confirmed() && !c.is_expired(now, slack))
            }) {
                self.trace.note(|| {
                    format!(
                        "expected: it matches an expectation of entry #{} ({}), so it is RELATED",
                        exp.master_seq, exp.helper
                    )
                });
                conn.status.insert(Status::EXPECTED);
                conn.set_master(
                    (exp.master, exp.master_seq),
                    crate::helper::by_name(exp.helper),
                );
                if let Some(m) = self.table.get(exp.master) {
                    conn.mark = m.mark;
                }
                if let Some(h) = exp.spec.child_helper.and_then(crate::helper::by_name) {
                    conn.set_help(Help::new(h));
                }
                if exp.spec.on_match == crate::expect::OnMatch::PptpGre {
                    crate::helper::pptp::expectfn(&mut conn, &exp, &mut self.expect);
                }
                return conn;
            }
        }
        if let Some(h) = tmpl
            .helper
            .filter(|h| h.get().supports(tuple.family) && h.get().proto() == tuple.proto)
        {
            self.trace.note(|| {
                format!(
                    "the CT template gives the entry the {} helper",
                    h.get().name()
                )
            });
            conn.set_help(Help::new(h));
        } else if let Some(rule) = self.helper_rules.iter().find(|r| r.matches(&tuple)) {
            let h = rule.helper;
            self.trace.note(|| {
                format!(
                    "helper rule {rule} gives the entry the {} helper",
                    h.get().name()
                )
            });
            conn.set_help(Help::new(h));
        }
        conn
    }

    /// The entry's helper, as `nf_confirm()` calls it. Some(reason) when it
    /// drops the packet.
    fn run_helper(
        &mut self,
        now: Timestamp,
        family: Family,
        pkt: &[u8],
        protoff: usize,
        id: ConnId,
        ctinfo: CtInfo,
    ) -> Option<Reason> {
        let conn = self.table.get_mut(id)?;
        let helper = conn.help()?.helper.get();
        let mut ctx = HelpCtx {
            now,
            family,
            pkt,
            protoff,
            ctinfo,
            id,
            conn,
            expect: &mut self.expect,
            sysctl: &self.sysctl,
            trace: &mut self.trace,
            gre_keymap: &mut self.gre_keymap,
        };
        let verdict = helper.help(&mut ctx);
        if self.gre_keymap.has_siblings() {
            self.destroy_siblings(now);
            self.settle();
        }
        match verdict {
            HelpVerdict::Accept => None,
            HelpVerdict::Drop(msg) => {
                self.trace
                    .note(|| format!("the {} helper drops the packet: {msg}", helper.name()));
                Some(Reason::HelperDrop {
                    helper: helper.name(),
                    msg,
                })
            }
        }
    }

    /// An INVALID packet: a new entry is freed, counters move.
    fn reject(&mut self, id: ConnId, created: bool, dropped: bool) {
        if created {
            self.table.remove(id);
            self.settle();
            self.trace
                .note(|| "the new entry is freed: nothing enters the table".into());
        } else {
            self.trace
                .note(|| "the entry is left as it was (but for what the tracker noted)".into());
        }
        self.stats.invalid += 1;
        if dropped {
            self.stats.drop += 1;
        }
    }

    /// `__nf_conntrack_alloc()`'s limit: with `nf_conntrack_max` entries,
    /// one entry that is not ASSURED must be evicted (`early_drop()`), or
    /// the new packet is refused.
    fn make_room(&mut self, tuple: &Tuple, zone: Zone) -> bool {
        let max = self.sysctl.max as usize;
        if max == 0 || self.table.count() < max {
            return true;
        }
        let (killed, expired) = self.table.early_drop(tuple, zone, self.now);
        self.stats.expired += expired.len() as u64;
        for c in expired {
            self.reap(c);
        }
        let n = killed.len();
        self.trace.note(|| {
            if n > 0 {
                format!("table full: early drop kills {n} entries that are not ASSURED in the new tuple's buckets")
            } else {
                "table full: no entry in the new tuple's buckets may be dropped".into()
            }
        });
        for c in killed {
            self.reap(c);
        }
        self.settle();
        self.stats.early_drop += n as u64;
        if n == 0 {
            self.table.note_refused();
        }
        n > 0
    }

    /// The entry a verdict names, if it is still in the table.
    pub fn entry(&self, seq: u32, now: Timestamp) -> Option<&Conn> {
        self.entries(now).into_iter().find(|c| c.seq == seq)
    }

    /// Look up the entry a tuple belongs to (either direction).
    pub fn lookup(&self, tuple: &Tuple, now: Timestamp) -> Option<(&Conn, Direction)> {
        let (id, dir): (ConnId, Direction) = self.table.find(tuple, now)?;
        Some((self.table.get(id)?, dir))
    }
}
