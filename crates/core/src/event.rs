//! Table events, as `nf_conntrack_ecache.c` caches them and ctnetlink
//! delivers them (`conntrack -E`): NEW when an entry is confirmed, UPDATE
//! after a packet that set SEEN_REPLY (`IPCT_REPLY`), ASSURED
//! (`IPCT_ASSURED`) or changed the protocol state (`IPCT_PROTOINFO`),
//! DESTROY when an entry leaves the table. A refresh of the timeout alone
//! is not an event, nor is anything an INVALID packet did.

use crate::conn::Conn;
use crate::conntrack_tools::{self, EventType};
use crate::status::Status;
use crate::time::Timestamp;

/// One event, with what kernel-replay and conntrack -E show of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtEvent {
    pub kind: EventType,
    /// The entry number.
    pub seq: u32,
    /// The entry's protocol state (TCP, SCTP, DCCP) at the event.
    pub proto_state: Option<&'static str>,
    /// Whole seconds left (None for DESTROY).
    pub timeout: Option<u64>,
    pub status: Status,
    /// A DESTROY whose moment follows the kernel's garbage collector, not
    /// the packets: the entry's timeout ran out, or the GC dropped it to
    /// make room.
    pub expired: bool,
    /// The `conntrack -E -o extended,id` line.
    pub line: String,
}

impl CtEvent {
    /// A DESTROY of an entry whose timeout ran out.
    pub fn expired(mut self, yes: bool) -> CtEvent {
        self.expired = yes && self.kind == EventType::Destroy;
        self
    }

    /// An event about `conn` at `now`; `protoinfo` when the protocol state
    /// changed (ctnetlink then sends it).
    pub fn new(
        kind: EventType,
        conn: &Conn,
        now: Timestamp,
        protoinfo: bool,
        acct: bool,
    ) -> CtEvent {
        let l4 = crate::proto::for_conn(conn);
        let mut line = conntrack_tools::event_line(kind, conn, now, acct);
        if kind == EventType::Update
            && !protoinfo
            && let Some(s) = l4.state_name(conn)
        {
            // Without IPCT_PROTOINFO the state is not in the message.
            line = line.replacen(&format!(" {s} src="), " src=", 1);
        }
        CtEvent {
            kind,
            seq: conn.seq,
            proto_state: l4.state_name(conn),
            timeout: (kind != EventType::Destroy).then(|| conn.remaining_secs(now)),
            status: conn.status,
            expired: false,
            line,
        }
    }

    /// kernel-replay's form: `NEW 1 SYN_SENT timeout 120`,
    /// `UPDATE 1 timeout 3 [SEEN_REPLY]`, `DESTROY 4`.
    pub fn short(&self) -> String {
        let mut s = format!("{} {}", self.kind.word(), self.seq);
        if self.kind == EventType::Destroy {
            return s;
        }
        if let Some(p) = self.proto_state {
            s.push(' ');
            s.push_str(p);
        }
        if let Some(t) = self.timeout {
            s.push_str(&format!(" timeout {t}"));
        }
        let flags: Vec<&str> = [
            (Status::SEEN_REPLY, "SEEN_REPLY"),
            (Status::ASSURED, "ASSURED"),
        ]
        .into_iter()
        .filter(|(b, _)| self.status.contains(*b))
        .map(|(_, n)| n)
        .collect();
        if !flags.is_empty() {
            s.push_str(&format!(" [{}]", flags.join(",")));
        }
        s
    }
}
