//! `/proc/net/nf_conntrack` lines, as `ct_seq_show()` in
//! `nf_conntrack_standalone.c` prints them:
//!
//! ```text
//! ipv4     2 udp      17 29 src=… dst=… sport=… dport=… [UNREPLIED] src=… dst=… sport=… dport=… mark=0 zone=0 use=2
//! ```
//! `%-8s %u %-8s %u %ld `, the tracker's part (TCP state, GRE timeouts), the
//! original tuple, `packets= bytes=` with accounting, `[UNREPLIED]`, the
//! reply tuple, accounting, `[ASSURED]`, `mark=`, `zone=`, `delta-time=`
//! with timestamps, `use=`. ctrack prints `use=2`, the value an idle entry
//! has; nothing else holds a reference.

use crate::conn::Conn;
use crate::ctinfo::Direction;
use crate::proto::{self, TupleKind};
use crate::status::Status;
use crate::time::Timestamp;
use crate::tuple::{KernelAddr, Tuple};
use core::fmt::Write;

/// Which optional fields the kernel would print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProcOptions {
    /// `nf_conntrack_acct=1`: counters after each tuple.
    pub acct: bool,
    /// `nf_conntrack_timestamp=1`: `delta-time=`.
    pub timestamp: bool,
}

/// `print_tuple()`, with its trailing space.
pub fn write_tuple(out: &mut String, t: &Tuple, kind: TupleKind) {
    let _ = write!(
        out,
        "src={} dst={} ",
        KernelAddr(t.family, t.src),
        KernelAddr(t.family, t.dst)
    );
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

/// One line (with its newline) for `conn` at time `now`.
pub fn write_line(out: &mut String, conn: &Conn, now: Timestamp, opts: ProcOptions) {
    let t = &conn.orig();
    let l4 = proto::for_conn(conn);
    let _ = write!(
        out,
        "{:<8} {} {:<8} {} {} ",
        t.family.name(),
        t.family.l3num(),
        l4.name(),
        t.proto,
        conn.remaining_secs(now)
    );
    let _ = l4.print_conntrack(conn, out);
    for dir in [Direction::Original, Direction::Reply] {
        write_tuple(out, &conn.tuple(dir), l4.tuple_kind());
        if let Some(z) = conn.zone.tuple_suffix(dir) {
            out.push_str(&z);
        }
        if opts.acct {
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
    let _ = write!(out, "mark={} ", conn.mark);
    if conn.zone.is_bidirectional() {
        let _ = write!(out, "zone={} ", conn.zone.id);
    }
    if opts.timestamp
        && let Some(start) = conn.start()
    {
        let _ = write!(out, "delta-time={} ", (now - start).as_secs());
    }
    out.push_str("use=2\n");
}
