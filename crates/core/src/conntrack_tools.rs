//! Entries as conntrack-tools 1.4.7 prints them: `conntrack -L` listings and
//! `conntrack -E` events (its `snprintf_default` format over ctnetlink's
//! attributes), which differ from `/proc/net/nf_conntrack` ([`crate::procfs`]):
//! no layer-3 columns unless `-o extended`, IPv6 addresses compressed, no
//! GRE timeout text, `zone=` only when not 0, `use=1`.
//!
//! Events carry only what ctnetlink sends with them: `mark=` only when set,
//! no `use=`, the helper's name, and for a DESTROY the seconds left only if
//! the entry was deleted before its timeout ran out.

use crate::conn::Conn;
use crate::ctinfo::Direction;
use crate::proto::{self, TupleKind};
use crate::status::Status;
use crate::time::Timestamp;
use crate::tuple::Tuple;
use core::fmt::Write;

/// `conntrack -L -o ...` switches, and the knobs that add fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListOptions {
    /// `-o extended`: the `ipv4     2 ` columns.
    pub extended: bool,
    /// `-o id`: ` id=N` at the end (ctrack's id is the entry number).
    pub id: bool,
    /// `nf_conntrack_acct=1`: `packets= bytes=` after each tuple.
    pub acct: bool,
    /// `nf_conntrack_timestamp=1`: `delta-time=`.
    pub timestamp: bool,
}

/// A tuple as conntrack-tools prints it, with its trailing space.
pub fn write_tuple(out: &mut String, t: &Tuple, kind: TupleKind) {
    let _ = write!(out, "src={} dst={} ", t.src_ip(), t.dst_ip());
    let _ = match kind {
        TupleKind::Ports => write!(out, "sport={} dport={} ", t.src_u, t.dst_u),
        TupleKind::Icmp => write!(
            out,
            "type={} code={} id={} ",
            t.icmp_type(),
            t.icmp_code(),
            t.icmp_id()
        ),
        TupleKind::GreKeys => write!(out, "srckey=0x{:x} dstkey=0x{:x} ", t.src_u, t.dst_u),
        TupleKind::AddressesOnly => Ok(()),
    };
}

fn head(out: &mut String, conn: &Conn, extended: bool) {
    let t = &conn.orig();
    let l4 = proto::for_conn(conn);
    if extended {
        let _ = write!(out, "{:<8} {} ", t.family.name(), t.family.l3num());
    }
    let _ = write!(out, "{:<8} {} ", l4.name(), t.proto);
}

fn tuples(out: &mut String, conn: &Conn, acct: bool) {
    let kind = proto::for_conn(conn).tuple_kind();
    for dir in [Direction::Original, Direction::Reply] {
        write_tuple(out, &conn.tuple(dir), kind);
        if conn.zone.id != 0
            && let Some(z) = conn.zone.tuple_suffix(dir)
        {
            out.push_str(&z);
        }
        if acct {
            let c = conn.counters()[dir.index()];
            let _ = write!(out, "packets={} bytes={} ", c.packets, c.bytes);
        }
        if dir == Direction::Original && !conn.status.contains(Status::SEEN_REPLY) {
            out.push_str("[UNREPLIED] ");
        }
    }
    if conn.status.contains(Status::ASSURED) {
        out.push_str("[ASSURED] ");
    }
}

fn state(out: &mut String, conn: &Conn) {
    if let Some(s) = proto::for_conn(conn).state_name(conn) {
        let _ = write!(out, "{s} ");
    }
}

/// One `conntrack -L` line (without newline).
pub fn list_line(conn: &Conn, now: Timestamp, o: ListOptions) -> String {
    let mut s = String::new();
    head(&mut s, conn, o.extended);
    let _ = write!(s, "{} ", conn.remaining_secs(now));
    state(&mut s, conn);
    tuples(&mut s, conn, o.acct);
    let _ = write!(s, "mark={} ", conn.mark);
    if conn.zone.is_bidirectional() && conn.zone.id != 0 {
        let _ = write!(s, "zone={} ", conn.zone.id);
    }
    if o.timestamp
        && let Some(start) = conn.start()
    {
        let _ = write!(s, "delta-time={} ", (now - start).as_secs());
    }
    s.push_str("use=1");
    if o.id {
        let _ = write!(s, " id={}", conn.seq);
    }
    s
}

/// The three event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    New,
    Update,
    Destroy,
}

impl EventType {
    /// `conntrack -E`'s right-aligned tag.
    pub fn tag(self) -> &'static str {
        match self {
            EventType::New => "    [NEW]",
            EventType::Update => " [UPDATE]",
            EventType::Destroy => "[DESTROY]",
        }
    }

    /// kernel-replay's word for it.
    pub fn word(self) -> &'static str {
        match self {
            EventType::New => "NEW",
            EventType::Update => "UPDATE",
            EventType::Destroy => "DESTROY",
        }
    }
}

/// One `conntrack -E -o extended,id` line (without the `[timestamp]\t`
/// prefix `-o timestamp` adds, and without newline).
pub fn event_line(kind: EventType, conn: &Conn, now: Timestamp, acct: bool) -> String {
    let mut s = String::new();
    s.push_str(kind.tag());
    s.push(' ');
    head(&mut s, conn, true);
    let left = if conn.expires > now {
        conn.remaining_secs(now)
    } else {
        0
    };
    if kind != EventType::Destroy || left > 0 {
        let _ = write!(s, "{left} ");
    }
    state(&mut s, conn);
    tuples(&mut s, conn, acct && kind == EventType::Destroy);
    if conn.mark != 0 {
        let _ = write!(s, "mark={} ", conn.mark);
    }
    if conn.zone.is_bidirectional() && conn.zone.id != 0 {
        let _ = write!(s, "zone={} ", conn.zone.id);
    }
    if kind != EventType::Destroy
        && let Some(h) = conn.help()
    {
        let _ = write!(s, "helper={} ", h.helper.get().name());
    }
    let _ = write!(s, "id={}", conn.seq);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::ProtoState;
    use crate::tuple::{Addr, Family};
    use std::time::Duration;

    fn conn(
        family: Family,
        proto: u8,
        a: Addr,
        b: Addr,
        ports: (u16, u16),
        left: u64,
    ) -> (Conn, Timestamp) {
        let now = Timestamp::from_secs(1000);
        let mut o = Tuple::new(family, proto, a, b);
        o.src_u = ports.0;
        o.dst_u = ports.1;
        let mut r = o.swapped_addrs();
        r.src_u = ports.1;
        r.dst_u = ports.0;
        let mut c = Conn::new(o, r, now);
        c.expires = now + Duration::from_millis(left * 1000 + 500);
        c.status.insert(Status::CONFIRMED);
        (c, now)
    }

    fn v6(s: &str) -> Addr {
        Addr(s.parse::<std::net::Ipv6Addr>().unwrap().octets())
    }

    /// Lines from tests/fixtures/kernel/ctrack/formats (conntrack-tools
    /// 1.4.7 on Linux 6.18).
    #[test]
    fn list_lines_match_conntrack_tools() {
        let (mut c, now) = conn(
            Family::Ipv4,
            17,
            Addr::v4([192, 0, 2, 1]),
            Addr::v4([192, 0, 2, 2]),
            (40001, 9001),
            119,
        );
        c.status.insert(Status::SEEN_REPLY);
        c.status.insert(Status::ASSURED);
        assert_eq!(
            list_line(&c, now, ListOptions::default()),
            "udp      17 119 src=192.0.2.1 dst=192.0.2.2 sport=40001 dport=9001 src=192.0.2.2 dst=192.0.2.1 sport=9001 dport=40001 [ASSURED] mark=0 use=1"
        );
        let (mut c, now) = conn(
            Family::Ipv6,
            17,
            v6("2001:db8::1"),
            v6("2001:db8::2"),
            (47204, 9001),
            27,
        );
        c.status.insert(Status::SEEN_REPLY);
        assert_eq!(
            list_line(&c, now, ListOptions::default()),
            "udp      17 27 src=2001:db8::1 dst=2001:db8::2 sport=47204 dport=9001 src=2001:db8::2 dst=2001:db8::1 sport=9001 dport=47204 mark=0 use=1"
        );
        let (mut c, now) = conn(
            Family::Ipv4,
            47,
            Addr::v4([192, 0, 2, 1]),
            Addr::v4([192, 0, 2, 2]),
            (0, 0),
            27,
        );
        c.proto = ProtoState::Gre {
            timeout: 30,
            stream_timeout: 180,
        };
        assert_eq!(
            list_line(&c, now, ListOptions::default()),
            "gre      47 27 src=192.0.2.1 dst=192.0.2.2 srckey=0x0 dstkey=0x0 [UNREPLIED] src=192.0.2.2 dst=192.0.2.1 srckey=0x0 dstkey=0x0 mark=0 use=1"
        );
        let (c, now) = conn(
            Family::Ipv4,
            253,
            Addr::v4([192, 0, 2, 1]),
            Addr::v4([192, 0, 2, 2]),
            (0, 0),
            597,
        );
        let ext = ListOptions {
            extended: true,
            id: true,
            ..ListOptions::default()
        };
        assert_eq!(
            list_line(&c, now, ext),
            "ipv4     2 unknown  253 597 src=192.0.2.1 dst=192.0.2.2 [UNREPLIED] src=192.0.2.2 dst=192.0.2.1 mark=0 use=1 id=0"
        );
    }

    #[test]
    fn event_lines_match_conntrack_e() {
        let (mut c, now) = conn(
            Family::Ipv4,
            1,
            Addr::v4([192, 0, 2, 1]),
            Addr::v4([198, 51, 100, 2]),
            (257, 8 << 8),
            30,
        );
        c.set_reply_words(257, 0);
        c.seq = 7;
        assert_eq!(
            event_line(EventType::New, &c, now, false),
            "    [NEW] ipv4     2 icmp     1 30 src=192.0.2.1 dst=198.51.100.2 type=8 code=0 id=257 [UNREPLIED] src=198.51.100.2 dst=192.0.2.1 type=0 code=0 id=257 id=7"
        );
        // A DESTROY of an expired entry has no timeout.
        let later = now + Duration::from_secs(40);
        c.status.insert(Status::SEEN_REPLY);
        assert_eq!(
            event_line(EventType::Destroy, &c, later, false),
            "[DESTROY] ipv4     2 icmp     1 src=192.0.2.1 dst=198.51.100.2 type=8 code=0 id=257 src=198.51.100.2 dst=192.0.2.1 type=0 code=0 id=257 id=7"
        );
    }
}
