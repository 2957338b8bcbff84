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

#[derive(Debug, Clone)]
pub struct Conn {
    /// `tuplehash[IP_CT_DIR_ORIGINAL]`.
    orig: Tuple,
    /// The reply tuple's protocol words: without NAT the reply tuple is the
    /// original with its addresses swapped (`nf_ct_invert_tuple()`), so
    /// only these differ (ports swapped, an ICMP reply type, GRE keys).
    reply_u: [u16; 2],
    pub status: Status,
    /// When the entry dies unless refreshed (`ct->timeout`).
    pub expires: Timestamp,
    pub proto: ProtoState,
    /// Entry number, counted from 1 in order of confirmation (0 before).
    pub seq: u64,
    pub mark: u32,
    pub zone: crate::zone::Zone,
    /// Packet and byte counters per direction, with `nf_conntrack_acct=1`
    /// when the entry was made (the kernel's acct extension).
    acct: Option<Box<[Counter; 2]>>,
    /// When the entry was created.
    pub start: Timestamp,
    /// The helper reading this connection and its state (`nfct_help()`).
    pub help: Option<Box<crate::helper::Help>>,
    /// The entry whose expectation this one matched (`ct->master`), with
    /// that entry's number.
    pub master: Option<(crate::table::ConnId, u64)>,
    /// The master's helper (what `-m helper` and nft `ct helper` match).
    pub master_helper: Option<crate::helper::HelperId>,
}

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
            expires: now,
            proto: ProtoState::None,
            seq: 0,
            mark: 0,
            zone: crate::zone::Zone::DEFAULT,
            acct: None,
            start: now,
            help: None,
            master: None,
            master_helper: None,
        }
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
        self.acct
            .get_or_insert_with(|| Box::new([Counter::default(); 2]));
    }

    /// The counters (zeros without accounting).
    pub fn counters(&self) -> [Counter; 2] {
        self.acct.as_deref().copied().unwrap_or_default()
    }

    /// Count a packet of `bytes` in direction `dir` (`nf_ct_acct_update()`),
    /// if the entry keeps counters.
    pub fn account(&mut self, dir: Direction, bytes: u64) {
        if let Some(a) = self.acct.as_deref_mut() {
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
