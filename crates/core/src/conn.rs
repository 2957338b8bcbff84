//! One connection-tracking entry, as `struct nf_conn`.

use crate::ctinfo::Direction;
use crate::status::Status;
use crate::time::Timestamp;
use crate::tuple::Tuple;

/// Per-protocol private state (`ct->proto`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtoState {
    /// Protocols with nothing to remember (generic, ICMP).
    None,
    /// `ct->proto.udp`: when the entry stops being "new" for the 2-second
    /// stream rule.
    Udp { stream_ts: Timestamp },
    /// `ct->proto.gre`: the timeouts this entry uses, in seconds (a helper
    /// such as PPTP may raise them).
    Gre { timeout: u32, stream_timeout: u32 },
    /// `ct->proto.tcp`: state and window tracking.
    Tcp(crate::proto::tcp::TcpConn),
    /// `ct->proto.sctp`: state and verification tags.
    Sctp(crate::proto::sctp::SctpConn),
    /// `ct->proto.dccp`: roles, state, handshake (DCCP tracker only).
    Dccp(crate::proto::dccp::DccpConn),
}

/// Packet and byte counters of one direction (`nf_conntrack_acct`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counter {
    pub packets: u64,
    pub bytes: u64,
}

/// What only some entries carry, behind one pointer (the kernel's
/// `ct->ext` area): counters with `nf_conntrack_acct=1`, the start time
/// with `nf_conntrack_timestamp=1`, a helper, a master. An entry without
/// any of them spends 8 bytes on this, not 64.
#[derive(Debug, Clone, Default)]
struct Ext {
    /// Packet and byte counters per direction (the acct extension).
    acct: Option<[Counter; 2]>,
    /// When the entry was created (the tstamp extension).
    start: Option<Timestamp>,
    /// The helper reading this connection and its state (`nfct_help()`).
    help: Option<Box<crate::helper::Help>>,
    /// The entry whose expectation this one matched (`ct->master`), with
    /// that entry's number.
    master: Option<(crate::table::ConnId, u32)>,
    /// The master's helper (what `-m helper` and nft `ct helper` match).
    master_helper: Option<crate::helper::HelperId>,
}

/// One entry, 128 bytes (`struct nf_conn` is about 300). Checked at
/// compile time below: the table's memory per entry is this plus 16 bytes
/// of chain links and the bucket heads.
#[derive(Debug, Clone)]
pub struct Conn {
    /// `tuplehash[IP_CT_DIR_ORIGINAL]`.
    orig: Tuple,
    /// The reply tuple's protocol words: without NAT the reply tuple is the
    /// original with its addresses swapped (`nf_ct_invert_tuple()`), so
    /// only these differ (ports swapped, an ICMP reply type, GRE keys).
    reply_u: [u16; 2],
    pub status: Status,
    pub zone: crate::zone::Zone,
    pub mark: u32,
    /// Entry number, counted from 1 in order of confirmation (0 before).
    /// 32 bits, as the kernel's conntrack ids: after 2^32 - 1 entries the
    /// count starts again at 1.
    pub seq: u32,
    /// When the entry dies unless refreshed (`ct->timeout`).
    pub expires: Timestamp,
    pub proto: ProtoState,
    ext: Option<Box<Ext>>,
}

const _: () = assert!(core::mem::size_of::<Conn>() <= 128);
const _: () = assert!(core::mem::size_of::<Option<Conn>>() <= 128);

impl Conn {
    pub fn new(orig: Tuple, reply: Tuple, now: Timestamp) -> Conn {
        debug_assert!(
            reply.family == orig.family
                && reply.proto == orig.proto
                && reply.src == orig.dst
                && reply.dst == orig.src,
            "a reply tuple is the original with its addresses swapped"
        );
        Conn {
            orig,
            reply_u: [reply.src_u, reply.dst_u],
            status: Status::empty(),
            zone: crate::zone::Zone::DEFAULT,
            mark: 0,
            seq: 0,
            expires: now,
            proto: ProtoState::None,
            ext: None,
        }
    }

    fn ext_mut(&mut self) -> &mut Ext {
        self.ext.get_or_insert_with(Box::default)
    }

    /// The helper reading this connection, if any.
    pub fn help(&self) -> Option<&crate::helper::Help> {
        self.ext.as_ref()?.help.as_deref()
    }

    pub fn help_mut(&mut self) -> Option<&mut crate::helper::Help> {
        self.ext.as_mut()?.help.as_deref_mut()
    }

    /// Attach a helper (`nf_ct_helper_ext_add()`).
    pub fn set_help(&mut self, help: crate::helper::Help) {
        self.ext_mut().help = Some(Box::new(help));
    }

    /// The entry this one was expected by, and that entry's number.
    pub fn master(&self) -> Option<(crate::table::ConnId, u32)> {
        self.ext.as_ref()?.master
    }

    /// The master's helper.
    pub fn master_helper(&self) -> Option<crate::helper::HelperId> {
        self.ext.as_ref()?.master_helper
    }

    /// Record the master (`ct->master`) and its helper.
    pub fn set_master(
        &mut self,
        master: (crate::table::ConnId, u32),
        helper: Option<crate::helper::HelperId>,
    ) {
        let e = self.ext_mut();
        e.master = Some(master);
        e.master_helper = helper;
    }

    /// Remember when the entry was created (`nf_conntrack_timestamp=1`).
    pub fn enable_timestamp(&mut self, now: Timestamp) {
        self.ext_mut().start = Some(now);
    }

    /// When the entry was created, if it keeps timestamps.
    pub fn start(&self) -> Option<Timestamp> {
        self.ext.as_ref()?.start
    }

    /// The tuple of direction `dir`.
    pub fn tuple(&self, dir: Direction) -> Tuple {
        match dir {
            Direction::Original => self.orig,
            Direction::Reply => {
                let mut t = self.orig.swapped_addrs();
                t.src_u = self.reply_u[0];
                t.dst_u = self.reply_u[1];
                t
            }
        }
    }

    /// Whether the tuple of direction `dir` is `t` (without building it).
    #[inline]
    pub fn has_tuple(&self, dir: Direction, t: &Tuple) -> bool {
        let o = &self.orig;
        match dir {
            Direction::Original => o == t,
            Direction::Reply => {
                t.src_u == self.reply_u[0]
                    && t.dst_u == self.reply_u[1]
                    && t.src == o.dst
                    && t.dst == o.src
                    && t.proto == o.proto
                    && t.family == o.family
            }
        }
    }

    /// The original tuple.
    pub fn orig(&self) -> &Tuple {
        &self.orig
    }

    /// Both tuples, original first.
    pub fn tuples(&self) -> [Tuple; 2] {
        [self.orig, self.tuple(Direction::Reply)]
    }

    /// Set the reply tuple's protocol words.
    pub fn set_reply_words(&mut self, src_u: u16, dst_u: u16) {
        self.reply_u = [src_u, dst_u];
    }

    /// Keep packet and byte counters from now on.
    pub fn enable_acct(&mut self) {
        self.ext_mut().acct.get_or_insert([Counter::default(); 2]);
    }

    /// The counters (zeros without accounting).
    pub fn counters(&self) -> [Counter; 2] {
        self.ext.as_ref().and_then(|e| e.acct).unwrap_or_default()
    }

    /// Count a packet of `bytes` in direction `dir` (`nf_ct_acct_update()`),
    /// if the entry keeps counters.
    pub fn account(&mut self, dir: Direction, bytes: u64) {
        if let Some(a) = self.ext.as_mut().and_then(|e| e.acct.as_mut()) {
            a[dir.index()].packets += 1;
            a[dir.index()].bytes += bytes;
        }
    }

    pub fn is_confirmed(&self) -> bool {
        self.status.contains(Status::CONFIRMED)
    }

    /// `nf_ct_is_expired()`: the timeout is at or before `now`, give or
    /// take `slack` (half a jiffy, see [`crate::time::Jiffies`]).
    pub fn is_expired(&self, now: Timestamp, slack: std::time::Duration) -> bool {
        self.expires <= now + slack
    }

    /// Whole seconds left, as /proc prints them (`nf_ct_expires() / HZ`).
    pub fn remaining_secs(&self, now: Timestamp) -> u64 {
        (self.expires - now).as_secs()
    }
}

#[cfg(test)]
mod size {
    #[test]
    fn print_sizes() {
        eprintln!(
            "Conn {} Tuple {} ProtoState {} TcpConn {} SctpConn {} Status {} Option<Conn> {}",
            std::mem::size_of::<super::Conn>(),
            std::mem::size_of::<crate::tuple::Tuple>(),
            std::mem::size_of::<super::ProtoState>(),
            std::mem::size_of::<crate::proto::tcp::TcpConn>(),
            std::mem::size_of::<crate::proto::sctp::SctpConn>(),
            std::mem::size_of::<crate::status::Status>(),
            std::mem::size_of::<Option<super::Conn>>(),
        );
    }
}
