//! TCP: `nf_conntrack_proto_tcp.c` (Linux 6.x).
//!
//! The state machine is the kernel's table `tcp_conntracks[dir][index][state]`
//! with its IGNORE and INVALID outcomes and the special cases around it
//! (reopening from TIME_WAIT/CLOSE, simultaneous open, challenge ACKs, the
//! RST checks). Window tracking is `tcp_in_window()`: per-direction
//! `td_end`, `td_maxend`, `td_maxwin`, `td_maxack`, `td_scale` and flags,
//! the four sequence/ACK bounds, SACK, window scaling, `be_liberal`, and the
//! retransmission counter. Messages are the kernel's `nf_log` texts.

use super::{L4Proto, PacketCtx, PacketOutcome, TupleKind, ports_to_tuple};
use crate::conn::{Conn, ProtoState};
use crate::ctinfo::Direction;
use crate::reason::Reason;
use crate::status::Status;
use crate::sysctl::Sysctls;
use crate::trace::Trace;
use crate::tuple::{Family, Tuple};
use crate::wire::tcp::flags as tf;
use crate::wire::{checksum, header_at, ip_proto, tcp};
use core::fmt;

/// `enum tcp_conntrack`, with the kernel's numbering (SYN_SENT2 reuses the
/// obsolete LISTEN slot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum TcpState {
    #[default]
    None = 0,
    SynSent = 1,
    SynRecv = 2,
    Established = 3,
    FinWait = 4,
    CloseWait = 5,
    LastAck = 6,
    TimeWait = 7,
    Close = 8,
    SynSent2 = 9,
}

impl TcpState {
    /// `tcp_conntrack_names[]`.
    pub fn name(self) -> &'static str {
        match self {
            TcpState::None => "NONE",
            TcpState::SynSent => "SYN_SENT",
            TcpState::SynRecv => "SYN_RECV",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait => "FIN_WAIT",
            TcpState::CloseWait => "CLOSE_WAIT",
            TcpState::LastAck => "LAST_ACK",
            TcpState::TimeWait => "TIME_WAIT",
            TcpState::Close => "CLOSE",
            TcpState::SynSent2 => "SYN_SENT2",
        }
    }

    /// The state's timeout in seconds (`tn->timeouts[state]`; SYN_SENT2 has
    /// no knob and keeps the built-in 2 minutes).
    pub fn timeout(self, s: &Sysctls) -> u32 {
        match self {
            TcpState::None => 0,
            TcpState::SynSent => s.tcp_timeout_syn_sent,
            TcpState::SynRecv => s.tcp_timeout_syn_recv,
            TcpState::Established => s.tcp_timeout_established,
            TcpState::FinWait => s.tcp_timeout_fin_wait,
            TcpState::CloseWait => s.tcp_timeout_close_wait,
            TcpState::LastAck => s.tcp_timeout_last_ack,
            TcpState::TimeWait => s.tcp_timeout_time_wait,
            TcpState::Close => s.tcp_timeout_close,
            TcpState::SynSent2 => 120,
        }
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A cell of the state table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    To(TcpState),
    /// sIG: let the packet through without changing anything.
    Ignore,
    /// sIV.
    Invalid,
}

/// `enum tcp_bit_set`: which row of the table a segment uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    Syn = 0,
    SynAck = 1,
    Fin = 2,
    Ack = 3,
    Rst = 4,
    None = 5,
}

impl Index {
    pub fn name(self) -> &'static str {
        match self {
            Index::Syn => "SYN",
            Index::SynAck => "SYN/ACK",
            Index::Fin => "FIN",
            Index::Ack => "ACK",
            Index::Rst => "RST",
            Index::None => "no flags",
        }
    }

    /// `get_conntrack_index()`.
    pub fn of(flags: u8) -> Index {
        if flags & tf::RST != 0 {
            Index::Rst
        } else if flags & tf::SYN != 0 {
            if flags & tf::ACK != 0 {
                Index::SynAck
            } else {
                Index::Syn
            }
        } else if flags & tf::FIN != 0 {
            Index::Fin
        } else if flags & tf::ACK != 0 {
            Index::Ack
        } else {
            Index::None
        }
    }
}

use Next::{Ignore as IG, Invalid as IV};
const NO: Next = Next::To(TcpState::None);
const SS: Next = Next::To(TcpState::SynSent);
const SR: Next = Next::To(TcpState::SynRecv);
const ES: Next = Next::To(TcpState::Established);
const FW: Next = Next::To(TcpState::FinWait);
const CW: Next = Next::To(TcpState::CloseWait);
const LA: Next = Next::To(TcpState::LastAck);
const TW: Next = Next::To(TcpState::TimeWait);
const CL: Next = Next::To(TcpState::Close);
const S2: Next = Next::To(TcpState::SynSent2);

/// `tcp_conntracks[dir][index][state]`, columns
/// NONE, SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK,
/// TIME_WAIT, CLOSE, SYN_SENT2.
#[rustfmt::skip]
const TABLE: [[[Next; 10]; 6]; 2] = [
    // ORIGINAL
    [
        /* syn    */ [SS, SS, IG, IG, IG, IG, IG, SS, SS, S2],
        /* synack */ [IV, IV, SR, IV, IV, IV, IV, IV, IV, SR],
        /* fin    */ [IV, IV, FW, FW, LA, LA, LA, TW, CL, IV],
        /* ack    */ [ES, IV, ES, ES, CW, CW, TW, TW, CL, IV],
        /* rst    */ [IV, CL, CL, CL, CL, CL, CL, CL, CL, CL],
        /* none   */ [IV, IV, IV, IV, IV, IV, IV, IV, IV, IV],
    ],
    // REPLY
    [
        /* syn    */ [IV, S2, IV, IV, IV, IV, IV, SS, IV, S2],
        /* synack */ [IV, SR, IG, IG, IG, IG, IG, IG, IG, SR],
        /* fin    */ [IV, IV, FW, FW, LA, LA, LA, TW, CL, IV],
        /* ack    */ [IV, IG, SR, ES, CW, CW, TW, TW, CL, IG],
        /* rst    */ [IV, CL, CL, CL, CL, CL, CL, CL, CL, CL],
        /* none   */ [IV, IV, IV, IV, IV, IV, IV, IV, IV, IV],
    ],
];

// Silence "unused" for NO: the NONE column target exists only in theory.
const _: Next = NO;

fn transition(dir: Direction, index: Index, state: TcpState) -> Next {
    TABLE[dir.index()][index as usize][state as usize]
}

/// Per-direction flags (`IP_CT_TCP_FLAG_*`).
pub mod flag {
    pub const WINDOW_SCALE: u8 = 0x01;
    pub const SACK_PERM: u8 = 0x02;
    pub const CLOSE_INIT: u8 = 0x04;
    pub const BE_LIBERAL: u8 = 0x08;
    pub const DATA_UNACKNOWLEDGED: u8 = 0x10;
    pub const MAXACK_SET: u8 = 0x20;
    /// In `last_flags` only.
    pub const EXP_CHALLENGE_ACK: u8 = 0x40;
    /// In `last_flags` only.
    pub const SIMULTANEOUS_OPEN: u8 = 0x80;
}

/// `struct ip_ct_tcp_state`: what is known of one direction's sender.
///
/// Packed to 2-byte alignment: the kernel's struct is 20 bytes, four of
/// them padding after the two `u8`s; 18 bytes here keep [`TcpConn`] at 56
/// and an entry within 128 (see `crate::conn`). Fields are read and written
/// by value (no references to them), which unaligned loads make free on
/// the machines we run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(C, packed(2))]
pub struct Seen {
    /// Highest seq + len seen.
    pub td_end: u32,
    /// Highest ack + window seen from the peer: the right edge.
    pub td_maxend: u32,
    /// Largest window seen.
    pub td_maxwin: u32,
    /// Highest ACK sent.
    pub td_maxack: u32,
    pub td_scale: u8,
    pub flags: u8,
}

/// `struct ip_ct_tcp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TcpConn {
    pub seen: [Seen; 2],
    pub state: TcpState,
    pub last_dir: u8,
    pub retrans: u8,
    pub last_index: u8,
    pub last_seq: u32,
    pub last_ack: u32,
    pub last_end: u32,
    pub last_win: u16,
    pub last_wscale: u8,
    pub last_flags: u8,
}

impl TcpConn {
    fn last_index(&self) -> u8 {
        self.last_index
    }
}

/// `before()` / `after()`: serial-number comparison.
fn before(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

fn after(a: u32, b: u32) -> bool {
    before(b, a)
}

const MAXACKWINCONST: u32 = 66000;

fn max_ack_window(sender: &Seen) -> u32 {
    sender.td_maxwin.max(MAXACKWINCONST)
}

/// `TCP_MAX_WSCALE`.
const MAX_WSCALE: u8 = 14;

/// What `tcp_in_window()` decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Ignore,
    Invalid,
    Accept,
}

/// The segment fields the tracker uses.
struct Segment<'a> {
    seq: u32,
    ack: u32,
    win: u16,
    flags: u8,
    doff: usize,
    /// The TCP options bytes.
    options: &'a [u8],
    /// `skb->len - dataoff`: the layer-4 length, padding included.
    l4len: usize,
}

impl Segment<'_> {
    /// `segment_seq_plus_len()`.
    fn end(&self) -> u32 {
        let data = self.l4len.saturating_sub(self.doff) as u32;
        self.seq
            .wrapping_add(data)
            .wrapping_add(u32::from(self.flags & tf::SYN != 0))
            .wrapping_add(u32::from(self.flags & tf::FIN != 0))
    }

    fn syn(&self) -> bool {
        self.flags & tf::SYN != 0
    }

    fn ack_flag(&self) -> bool {
        self.flags & tf::ACK != 0
    }

    fn rst(&self) -> bool {
        self.flags & tf::RST != 0
    }
}

/// `tcp_options()`: window scale and SACK-permitted from a SYN.
fn parse_options(opts: &[u8], state: &mut Seen) {
    if opts.is_empty() {
        return;
    }
    state.td_scale = 0;
    state.flags &= flag::BE_LIBERAL;
    let mut i = 0;
    let mut length = opts.len() as isize;
    while length > 0 {
        let opcode = opts[i];
        i += 1;
        match opcode {
            0 => return,
            1 => {
                length -= 1;
                continue;
            }
            _ => {
                if length < 2 {
                    return;
                }
                let opsize = opts[i] as isize;
                i += 1;
                if opsize < 2 || opsize > length {
                    return;
                }
                if opcode == 4 && opsize == 2 {
                    state.flags |= flag::SACK_PERM;
                } else if opcode == 3 && opsize == 3 {
                    state.td_scale = opts[i].min(MAX_WSCALE);
                    state.flags |= flag::WINDOW_SCALE;
                }
                i += (opsize - 2) as usize;
                length -= opsize;
            }
        }
    }
}

/// `tcp_sack()`: the highest right edge of the SACK blocks, if above `sack`.
fn parse_sack(opts: &[u8], sack: &mut u32) {
    if opts.is_empty() {
        return;
    }
    // Fast path for the timestamp-only layout.
    if opts.len() == 12 && opts[..4] == [1, 1, 8, 10] {
        return;
    }
    let mut i = 0;
    let mut length = opts.len() as isize;
    while length > 0 {
        let opcode = opts[i];
        i += 1;
        match opcode {
            0 => return,
            1 => {
                length -= 1;
                continue;
            }
            _ => {
                if length < 2 {
                    return;
                }
                let opsize = opts[i] as isize;
                i += 1;
                if opsize < 2 || opsize > length {
                    return;
                }
                if opcode == 5 && opsize >= 10 && (opsize - 2) % 8 == 0 {
                    let mut k = 0;
                    while k < (opsize - 2) as usize {
                        let b = &opts[i + k + 4..i + k + 8];
                        let right = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
                        if after(right, *sack) {
                            *sack = right;
                        }
                        k += 8;
                    }
                    return;
                }
                i += (opsize - 2) as usize;
                length -= opsize;
            }
        }
    }
}

/// `tcp_init_sender()`.
fn init_sender(tcp: &mut TcpConn, dir: Direction, seg: &Segment<'_>, end: u32, win: u32) {
    let (s, r) = (dir.index(), dir.opposite().index());
    tcp.seen[s].td_end = end;
    tcp.seen[s].td_maxend = end;
    tcp.seen[s].td_maxwin = if win == 0 { 1 } else { win };
    parse_options(seg.options, &mut tcp.seen[s]);
    if dir == Direction::Reply
        && !(tcp.seen[s].flags & flag::WINDOW_SCALE != 0
            && tcp.seen[r].flags & flag::WINDOW_SCALE != 0)
    {
        tcp.seen[s].td_scale = 0;
        tcp.seen[r].td_scale = 0;
    }
}

fn log(msg: String) -> Reason {
    Reason::L4Text {
        proto: ip_proto::TCP,
        msg,
    }
}

/// The window check's verdict and its message.
struct Checked {
    action: Action,
    note: Option<Reason>,
}

/// `nf_tcp_log_invalid()`: with `be_liberal` (global or picked-up entry)
/// every window failure is accepted; otherwise the message is logged and
/// `ret` returned.
fn window_fail(sender: &Seen, liberal: bool, ret: Action, msg: String) -> Checked {
    if sender.flags & flag::BE_LIBERAL != 0 || liberal {
        // Accepted anyway: nf_conntrack_tcp_be_liberal, or an entry picked
        // up mid-stream (whose window scale is unknown).
        return Checked {
            action: Action::Accept,
            note: None,
        };
    }
    Checked {
        action: ret,
        note: Some(log(msg)),
    }
}

/// `tcp_in_window()`.
fn in_window(
    tcp: &mut TcpConn,
    dir: Direction,
    index: Index,
    seg: &Segment<'_>,
    liberal: bool,
    trace: &mut Trace,
) -> Checked {
    let (si, ri) = (dir.index(), dir.opposite().index());
    let mut seq = seg.seq;
    let mut ack = seg.ack;
    let mut sack = ack;
    let win_raw = seg.win;
    let mut win = u32::from(win_raw);
    let mut end = seg.end();

    if tcp.seen[ri].flags & flag::SACK_PERM != 0 {
        parse_sack(seg.options, &mut sack);
    }

    if tcp.seen[si].td_maxwin == 0 {
        // Initialise the sender.
        if seg.syn() {
            init_sender(tcp, dir, seg, end, win);
            if !seg.ack_flag() {
                // Simultaneous open.
                return Checked {
                    action: Action::Accept,
                    note: None,
                };
            }
        } else {
            // Mid-connection: its history is lost to us.
            let sender = &mut tcp.seen[si];
            sender.td_end = end;
            let swin = win << sender.td_scale;
            sender.td_maxwin = if swin == 0 { 1 } else { swin };
            sender.td_maxend = end.wrapping_add(sender.td_maxwin);
            let receiver = &mut tcp.seen[ri];
            if receiver.td_maxwin == 0 {
                receiver.td_end = sack;
                receiver.td_maxend = sack;
            } else if sack == receiver.td_end.wrapping_add(1) {
                // Likely a reply to a keepalive.
                receiver.td_end = receiver.td_end.wrapping_add(1);
            }
        }
    } else if seg.syn()
        && after(end, tcp.seen[si].td_end)
        && matches!(tcp.state, TcpState::SynSent | TcpState::SynRecv)
    {
        // RFC 793: a reinitialised TCP uses higher sequence numbers.
        init_sender(tcp, dir, seg, end, win);
        if dir == Direction::Reply && !seg.ack_flag() {
            return Checked {
                action: Action::Accept,
                note: None,
            };
        }
    }

    if !seg.ack_flag() {
        // No ACK: pretend it was set and OK.
        ack = tcp.seen[ri].td_end;
        sack = ack;
    } else if seg.flags & (tf::ACK | tf::RST) == (tf::ACK | tf::RST) && ack == 0 {
        // Broken stacks set ACK in RST with a zero ack.
        ack = tcp.seen[ri].td_end;
        sack = ack;
    }

    if seg.rst() && seq == 0 && tcp.state == TcpState::SynSent {
        // RST answering a SYN.
        seq = tcp.seen[si].td_end;
        end = seq;
    }

    let sender = tcp.seen[si];
    let receiver = tcp.seen[ri];
    trace.note(|| {
        format!(
            "window check: seq={seq} end={end} ack={ack} sack={sack} win={win_raw}; sender {} td_end={} td_maxend={} td_maxwin={}; receiver td_end={} td_maxwin={}",
            dir, { sender.td_end }, { sender.td_maxend }, { sender.td_maxwin }, { receiver.td_end }, { receiver.td_maxwin }
        )
    });
    // The text is built only when someone reads the trace (no allocation
    // per packet otherwise).
    let bound = |trace: &mut Trace, what: &dyn Fn() -> String, ok: bool| {
        trace.note(|| format!("  {}: {}", what(), if ok { "ok" } else { "FAILS" }));
    };
    let seq_ok = before(seq, sender.td_maxend.wrapping_add(1));
    bound(
        trace,
        &|| {
            format!(
                "I.   seq {seq} <= sender.td_maxend {} (upper bound of data)",
                { sender.td_maxend }
            )
        },
        seq_ok,
    );
    if !seq_ok {
        let overshot = end.wrapping_sub(sender.td_maxend).wrapping_add(1);
        let ack_ok = after(
            sack,
            receiver
                .td_end
                .wrapping_sub(max_ack_window(&sender))
                .wrapping_sub(1),
        );
        let in_recv_win = receiver.td_maxwin != 0
            && after(
                end,
                sender
                    .td_end
                    .wrapping_sub(receiver.td_maxwin)
                    .wrapping_sub(1),
            );
        if in_recv_win
            && ack_ok
            && overshot <= receiver.td_maxwin
            && before(sack, receiver.td_end.wrapping_add(1))
        {
            // Work around TCPs that send more than the window allows: keep
            // td_end up to date so their ACK can be understood.
            tcp.seen[si].td_end = end;
            tcp.seen[si].flags |= flag::DATA_UNACKNOWLEDGED;
            return window_fail(
                &sender,
                liberal,
                Action::Ignore,
                format!("{overshot} bytes more than expected"),
            );
        }
        return window_fail(
            &sender,
            liberal,
            Action::Invalid,
            format!(
                "SEQ is over upper bound {} (over the window of the receiver)",
                sender.td_maxend.wrapping_add(1)
            ),
        );
    }
    let iii = before(sack, receiver.td_end.wrapping_add(1));
    bound(
        trace,
        &|| {
            format!(
                "III. sack {sack} <= receiver.td_end {} (upper bound of ACK)",
                { receiver.td_end }
            )
        },
        iii,
    );
    if !iii {
        return window_fail(
            &sender,
            liberal,
            Action::Invalid,
            format!(
                "ACK is over upper bound {} (ACKed data not seen yet)",
                receiver.td_end.wrapping_add(1)
            ),
        );
    }
    let in_recv_win = receiver.td_maxwin == 0
        || after(
            end,
            sender
                .td_end
                .wrapping_sub(receiver.td_maxwin)
                .wrapping_sub(1),
        );
    bound(
        trace,
        &|| {
            format!(
                "II.  end {end} >= sender.td_end - receiver.td_maxwin = {} (lower bound of data)",
                sender.td_end.wrapping_sub(receiver.td_maxwin)
            )
        },
        in_recv_win,
    );
    if !in_recv_win {
        return window_fail(
            &sender,
            liberal,
            Action::Ignore,
            format!(
                "SEQ is under lower bound {} (already ACKed data retransmitted)",
                sender
                    .td_end
                    .wrapping_sub(receiver.td_maxwin)
                    .wrapping_sub(1)
            ),
        );
    }
    let lower = receiver
        .td_end
        .wrapping_sub(max_ack_window(&sender))
        .wrapping_sub(1);
    bound(
        trace,
        &|| {
            format!(
                "IV.  sack {sack} >= receiver.td_end - MAXACKWINDOW {} = {} (lower bound of ACK)",
                max_ack_window(&sender),
                lower.wrapping_add(1)
            )
        },
        after(sack, lower),
    );
    if !after(sack, lower) {
        return window_fail(
            &sender,
            liberal,
            Action::Ignore,
            format!("ignored ACK under lower bound {lower} (possible overly delayed)"),
        );
    }

    // Window scaling (RFC 1323) applies to everything but SYNs.
    if !seg.syn() {
        win <<= tcp.seen[si].td_scale;
    }

    // Update the sender.
    let swin = win.wrapping_add(sack.wrapping_sub(ack));
    let s = &mut tcp.seen[si];
    if s.td_maxwin < swin {
        s.td_maxwin = swin;
    }
    if after(end, s.td_end) {
        s.td_end = end;
        s.flags |= flag::DATA_UNACKNOWLEDGED;
    }
    if seg.ack_flag() {
        if s.flags & flag::MAXACK_SET == 0 {
            s.td_maxack = ack;
            s.flags |= flag::MAXACK_SET;
        } else if after(ack, s.td_maxack) {
            s.td_maxack = ack;
        }
    }
    let sender_maxend = s.td_maxend;

    // Update the receiver.
    let r = &mut tcp.seen[ri];
    if r.td_maxwin != 0 && after(end, sender_maxend) {
        r.td_maxwin = r.td_maxwin.wrapping_add(end.wrapping_sub(sender_maxend));
    }
    if after(sack.wrapping_add(win), r.td_maxend.wrapping_sub(1)) {
        r.td_maxend = sack.wrapping_add(win);
        if win == 0 {
            r.td_maxend = r.td_maxend.wrapping_add(1);
        }
    }
    if ack == r.td_end {
        r.flags &= !flag::DATA_UNACKNOWLEDGED;
    }

    // Count retransmissions.
    if index == Index::Ack {
        let d = dir as u8;
        if tcp.last_dir == d
            && tcp.last_seq == seq
            && tcp.last_ack == ack
            && tcp.last_end == end
            && tcp.last_win == win_raw
        {
            tcp.retrans = tcp.retrans.saturating_add(1);
        } else {
            tcp.last_dir = d;
            tcp.last_seq = seq;
            tcp.last_ack = ack;
            tcp.last_end = end;
            tcp.last_win = win_raw;
            tcp.retrans = 0;
        }
    }
    Checked {
        action: Action::Accept,
        note: None,
    }
}

/// The flag combinations `tcp_error()` accepts (PSH, ECE and CWR aside).
fn valid_flags(f: u8) -> bool {
    let f = f & !(tf::ECE | tf::CWR | tf::PSH);
    matches!(
        f,
        x if x == tf::SYN
            || x == tf::SYN | tf::URG
            || x == tf::SYN | tf::ACK
            || x == tf::RST
            || x == tf::RST | tf::ACK
            || x == tf::FIN | tf::ACK
            || x == tf::FIN | tf::ACK | tf::URG
            || x == tf::ACK
            || x == tf::ACK | tf::URG
    )
}

fn l4_checksum_ok(family: Family, pkt: &[u8], dataoff: usize) -> bool {
    let l4len = (pkt.len() - dataoff) as u32;
    let acc = match family {
        Family::Ipv4 => {
            let mut s = [0; 4];
            let mut d = [0; 4];
            s.copy_from_slice(&pkt[12..16]);
            d.copy_from_slice(&pkt[16..20]);
            checksum::pseudo_v4(s, d, ip_proto::TCP, l4len)
        }
        Family::Ipv6 => {
            let mut s = [0; 16];
            let mut d = [0; 16];
            s.copy_from_slice(&pkt[8..24]);
            d.copy_from_slice(&pkt[24..40]);
            checksum::pseudo_v6(s, d, ip_proto::TCP, l4len)
        }
    };
    checksum::fold(checksum::sum(acc, &pkt[dataoff..])) == 0
}

pub struct Tcp;

fn tcp_state(conn: &Conn) -> TcpConn {
    match conn.proto {
        ProtoState::Tcp(t) => t,
        _ => TcpConn::default(),
    }
}

/// `nf_conntrack_tcp_established()`.
fn established(conn: &Conn, t: &TcpConn) -> bool {
    t.state == TcpState::Established && conn.status.contains(Status::ASSURED)
}

/// `tcp_can_early_drop()`.
pub fn can_early_drop(conn: &Conn) -> bool {
    matches!(
        tcp_state(conn).state,
        TcpState::FinWait
            | TcpState::LastAck
            | TcpState::TimeWait
            | TcpState::Close
            | TcpState::CloseWait
    )
}

impl Tcp {
    /// `tcp_new()`: the first packet of an entry. None when it cannot open
    /// one (with the reason, if the kernel logs it).
    fn new_conn(ctx: &PacketCtx<'_>, seg: &Segment<'_>) -> Result<TcpConn, Reason> {
        let index = Index::of(seg.flags);
        let new_state = transition(Direction::Original, index, TcpState::None);
        let mut t = TcpConn::default();
        match new_state {
            Next::To(TcpState::SynSent) => {
                let s = &mut t.seen[0];
                s.td_end = seg.end();
                s.td_maxwin = u32::from(seg.win).max(1);
                s.td_maxend = s.td_end;
                parse_options(seg.options, s);
            }
            Next::To(_) => {
                if ctx.sysctl.tcp_loose == 0 {
                    return Err(Reason::TcpNoPickup);
                }
                let s = &mut t.seen[0];
                s.td_end = seg.end();
                s.td_maxwin = u32::from(seg.win).max(1);
                s.td_maxend = s.td_end.wrapping_add(s.td_maxwin);
                // Unknown window scale: assume SACK and check liberally.
                t.seen[0].flags = flag::SACK_PERM | flag::BE_LIBERAL;
                t.seen[1].flags = flag::SACK_PERM | flag::BE_LIBERAL;
            }
            _ => return Err(log("invalid new".into())),
        }
        t.last_index = Index::None as u8;
        Ok(t)
    }

    /// `nf_tcp_handle_invalid()`: an out-of-window FIN or RST answering one
    /// from the other side shortens an ASSURED entry's timeout.
    fn handle_invalid(
        ctx: &mut PacketCtx<'_>,
        t: &mut TcpConn,
        dir: Direction,
        index: Index,
    ) -> Option<Reason> {
        let status = ctx.conn.status;
        if !status.contains(Status::ASSURED) || status.contains(Status::FIXED_TIMEOUT) {
            return None;
        }
        if !matches!(index, Index::Rst | Index::Fin) {
            return None;
        }
        let li = t.last_index();
        if t.last_dir != dir as u8 && (li == Index::Fin as u8 || li == Index::Rst as u8) {
            let expires = ctx.conn.expires - ctx.now;
            if expires < std::time::Duration::from_secs(120) {
                return None;
            }
            let timeout = ctx.sysctl.tcp_timeout_unacknowledged;
            if expires > crate::time::secs(timeout) {
                ctx.conn.expires = ctx.now + crate::time::secs(timeout);
                return Some(log(format!(
                    "packet (index {}, dir {}) response for index {} lower timeout to {}",
                    index as u8, dir as u8, li, timeout
                )));
            }
        } else {
            t.last_index = index as u8;
            t.last_dir = dir as u8;
        }
        None
    }
}

impl L4Proto for Tcp {
    fn tuple_kind(&self) -> TupleKind {
        TupleKind::Ports
    }

    fn name(&self) -> &'static str {
        "tcp"
    }

    /// `tcp_pkt_to_tuple()` needs 8 bytes in old kernels; 6.x takes the
    /// ports (4 bytes) like every port protocol.
    fn pkt_to_tuple(&self, pkt: &[u8], dataoff: usize, tuple: &mut Tuple) -> bool {
        ports_to_tuple(pkt, dataoff, tuple)
    }

    fn packet(&self, ctx: &mut PacketCtx<'_>) -> PacketOutcome {
        let Some(h) = header_at(ctx.pkt, ctx.dataoff, tcp::MIN_HEADER_LEN) else {
            return PacketOutcome::Invalid(Reason::NoTuple {
                proto: ip_proto::TCP,
            });
        };
        let th = tcp::Packet::new_unchecked(h);
        let l4len = ctx.pkt.len() - ctx.dataoff;
        let doff = th.header_len();

        // tcp_error()
        if doff < tcp::MIN_HEADER_LEN || l4len < doff {
            return PacketOutcome::Invalid(log("truncated packet".into()));
        }
        if ctx.sysctl.checksum != 0 && !l4_checksum_ok(ctx.family, ctx.pkt, ctx.dataoff) {
            return PacketOutcome::Invalid(log("bad checksum".into()));
        }
        if !valid_flags(th.flags()) {
            return PacketOutcome::Invalid(log("invalid tcp flag combination".into()));
        }
        let options = &ctx.pkt[ctx.dataoff + tcp::MIN_HEADER_LEN..ctx.dataoff + doff];
        let seg = Segment {
            seq: th.seq_number(),
            ack: th.ack_number(),
            win: th.window_len(),
            flags: th.flags(),
            doff,
            options,
            l4len,
        };

        if !ctx.confirmed() {
            match Tcp::new_conn(ctx, &seg) {
                Ok(t) => ctx.conn.proto = ProtoState::Tcp(t),
                Err(r) => return PacketOutcome::Invalid(r),
            }
        }
        let mut t = tcp_state(ctx.conn);
        let outcome = self.step(ctx, &mut t, &seg);
        ctx.conn.proto = ProtoState::Tcp(t);
        outcome
    }

    fn print_conntrack(&self, conn: &Conn, out: &mut dyn fmt::Write) -> fmt::Result {
        write!(out, "{} ", tcp_state(conn).state.name())
    }

    fn state_name(&self, conn: &Conn) -> Option<&'static str> {
        Some(tcp_state(conn).state.name())
    }

    fn describe(&self, conn: &Conn) -> Vec<String> {
        let t = tcp_state(conn);
        let mut out = Vec::new();
        for (i, name) in ["ORIGINAL", "REPLY"].iter().enumerate() {
            let s = &t.seen[i];
            out.push(format!(
                "{name:<8} td_end={} td_maxend={} td_maxwin={} td_maxack={} td_scale={} flags=[{}]",
                { s.td_end },
                { s.td_maxend },
                { s.td_maxwin },
                { s.td_maxack },
                s.td_scale,
                describe_flags(s.flags)
            ));
        }
        out.push(format!(
            "last: dir={} index={} seq={} ack={} end={} win={} retrans={}",
            t.last_dir, t.last_index, t.last_seq, t.last_ack, t.last_end, t.last_win, t.retrans
        ));
        out
    }
}

impl Tcp {
    /// `nf_conntrack_tcp_packet()` after `tcp_error()` and `tcp_new()`.
    fn step(&self, ctx: &mut PacketCtx<'_>, t: &mut TcpConn, seg: &Segment<'_>) -> PacketOutcome {
        let s = ctx.sysctl;
        let mut old_state = t.state;
        let dir = ctx.ctinfo.direction();
        let d = dir as u8;
        let index = Index::of(seg.flags);
        let mut next = transition(dir, index, old_state);
        ctx.trace.note(|| {
            let to = match next {
                Next::To(st) => st.name().to_string(),
                Next::Ignore => "IGNORE".into(),
                Next::Invalid => "INVALID".into(),
            };
            format!(
                "state table: {} segment in direction {dir}, state {old_state} -> {to}",
                index.name()
            )
        });
        let liberal = s.tcp_be_liberal != 0;
        let mut skip_window = false;

        // The SYN cases share the IGNORE handling.
        let mut ignore = matches!(next, Next::Ignore);
        if next == Next::To(TcpState::SynSent) && old_state >= TcpState::TimeWait {
            // Reopening from TIME_WAIT or CLOSE.
            let closing = (t.seen[dir.index()].flags | t.seen[dir.opposite().index()].flags)
                & flag::CLOSE_INIT
                != 0;
            if closing || (t.last_dir == d && t.last_index == Index::Rst as u8) {
                return PacketOutcome::Repeat;
            }
            ignore = true;
        }
        if ignore {
            if index == Index::SynAck
                && t.last_index == Index::Syn as u8
                && t.last_dir != d
                && seg.ack == t.last_end
            {
                // This SYN/ACK answers a SYN we ignored: the endpoints are in
                // sync and we are not; resync from what we noted.
                old_state = TcpState::SynSent;
                next = Next::To(TcpState::SynRecv);
                let ld = usize::from(t.last_dir & 1);
                t.seen[ld].td_end = t.last_end;
                t.seen[ld].td_maxend = t.last_end;
                t.seen[ld].td_maxwin = if t.last_win == 0 {
                    1
                } else {
                    u32::from(t.last_win)
                };
                t.seen[ld].td_scale = t.last_wscale;
                t.last_flags &= !flag::EXP_CHALLENGE_ACK;
                t.seen[ld].flags = t.last_flags;
                let me = &mut t.seen[dir.index()];
                me.td_end = 0;
                me.td_maxend = 0;
                me.td_maxwin = 0;
                me.td_maxack = 0;
                me.td_scale = 0;
                me.flags &= flag::BE_LIBERAL;
            } else {
                t.last_index = index as u8;
                t.last_dir = d;
                t.last_seq = seg.seq;
                t.last_end = seg.end();
                t.last_win = seg.win;
                if index == Index::Syn && dir == Direction::Original {
                    let mut seen = Seen::default();
                    t.last_flags = 0;
                    t.last_wscale = 0;
                    parse_options(seg.options, &mut seen);
                    if seen.flags & flag::WINDOW_SCALE != 0 {
                        t.last_flags |= flag::WINDOW_SCALE;
                        t.last_wscale = seen.td_scale;
                    }
                    if seen.flags & flag::SACK_PERM != 0 {
                        t.last_flags |= flag::SACK_PERM;
                    }
                    if old_state == TcpState::LastAck {
                        t.last_flags |= flag::EXP_CHALLENGE_ACK;
                    }
                }
                if old_state == TcpState::SynSent && index == Index::Ack && dir == Direction::Reply
                {
                    // A possible challenge ACK answering the SYN.
                    t.last_ack = seg.ack;
                }
                return PacketOutcome::AcceptNoted(log(format!(
                    "packet (index {}) in dir {} ignored, state {}",
                    index as u8, d, old_state
                )));
            }
        }

        let new_state = match next {
            Next::To(st) => st,
            Next::Ignore => unreachable!("handled above"),
            Next::Invalid => {
                return PacketOutcome::Invalid(log(format!(
                    "packet (index {}) in dir {} invalid, state {}",
                    index as u8, d, old_state
                )));
            }
        };
        let mut new_state = new_state;
        match new_state {
            // RFC 5961 challenge ACK answering a spurious SYN in LAST_ACK.
            TcpState::TimeWait
                if old_state == TcpState::LastAck
                    && index == Index::Ack
                    && t.last_dir != d
                    && t.last_index == Index::Syn as u8
                    && t.last_flags & flag::EXP_CHALLENGE_ACK != 0 =>
            {
                t.last_flags &= !flag::EXP_CHALLENGE_ACK;
                return PacketOutcome::AcceptNoted(log("challenge-ack ignored".into()));
            }
            TcpState::SynSent2 => t.last_flags |= flag::SIMULTANEOUS_OPEN,
            TcpState::SynRecv
                if dir == Direction::Reply
                    && index == Index::Ack
                    && t.last_flags & flag::SIMULTANEOUS_OPEN != 0 =>
            {
                new_state = TcpState::Established;
            }
            TcpState::Close if index == Index::Rst => {
                let other = dir.opposite().index();
                if can_early_drop(ctx.conn) {
                    skip_window = true;
                } else {
                    let mut keep_going = true;
                    if t.seen[other].flags & flag::MAXACK_SET != 0
                        && t.last_index != Index::Syn as u8
                    {
                        let seq = seg.seq;
                        let est = established(ctx.conn, t);
                        if seq == 0 && !est {
                            keep_going = false;
                        } else {
                            if before(seq, t.seen[other].td_maxack) && s.tcp_ignore_invalid_rst == 0
                            {
                                return PacketOutcome::Invalid(log("invalid rst".into()));
                            }
                            if !est || seq == t.seen[other].td_maxack {
                                keep_going = false;
                            } else if t.last_index == Index::Ack as u8
                                && t.last_dir == d
                                && seq == t.last_end
                            {
                                // A RST at the end of a train of segments.
                                keep_going = false;
                            } else {
                                // Inexact: keep the state, allow a challenge ACK.
                                new_state = old_state;
                            }
                        }
                    }
                    if keep_going {
                        let status = ctx.conn.status;
                        if ((status.contains(Status::SEEN_REPLY)
                            && t.last_index == Index::Syn as u8)
                            || (!status.contains(Status::ASSURED)
                                && t.last_index == Index::Ack as u8))
                            && seg.ack == t.last_end
                        {
                            // RST answering a SYN or ACK we let through.
                            skip_window = true;
                        } else if old_state == TcpState::SynSent
                            && t.last_index == Index::Ack as u8
                            && t.last_dir == Direction::Reply as u8
                            && seg.seq == t.last_ack
                        {
                            // RST answering a challenge ACK we let through.
                            skip_window = true;
                        }
                    } else {
                        // `break` out of the switch: window check follows.
                    }
                }
            }
            _ => {}
        }

        let mut note = None;
        if !skip_window {
            let c = in_window(t, dir, index, seg, liberal, ctx.trace);
            match c.action {
                Action::Ignore => {
                    return match c.note {
                        Some(n) => PacketOutcome::AcceptNoted(n),
                        None => PacketOutcome::Accept,
                    };
                }
                Action::Invalid => {
                    // The kernel may also log that it lowered the timeout;
                    // the window message is the one reported.
                    let _lowered = Tcp::handle_invalid(ctx, t, dir, index);
                    return PacketOutcome::Invalid(
                        c.note.unwrap_or_else(|| log("out of window".into())),
                    );
                }
                Action::Accept => note = c.note,
            }
        }

        // In window from here on.
        t.last_index = index as u8;
        t.last_dir = d;
        t.state = new_state;
        if old_state != new_state {
            ctx.protoinfo = true;
        }
        if old_state != new_state && new_state == TcpState::FinWait {
            t.seen[dir.index()].flags |= flag::CLOSE_INIT;
        }

        let unack = s.tcp_timeout_unacknowledged;
        let retrans_t = s.tcp_timeout_max_retrans;
        let state_t = new_state.timeout(s);
        let mut timeout = if u32::from(t.retrans) >= s.tcp_max_retrans && state_t > retrans_t {
            retrans_t
        } else if index == Index::Rst {
            s.tcp_timeout_close
        } else if (t.seen[0].flags | t.seen[1].flags) & flag::DATA_UNACKNOWLEDGED != 0
            && state_t > unack
        {
            unack
        } else if t.last_win == 0 && state_t > retrans_t {
            retrans_t
        } else {
            state_t
        };

        let status = ctx.conn.status;
        if !status.contains(Status::SEEN_REPLY) {
            if seg.rst() {
                // Only a RST came back: no connection, delete the entry now.
                ctx.account();
                return PacketOutcome::Kill(note);
            }
            if index == Index::Syn && old_state == TcpState::SynSent {
                // A SYN retransmission does not renew the timeout.
                return match note {
                    Some(n) => PacketOutcome::AcceptNoted(n),
                    None => PacketOutcome::Accept,
                };
            }
            if new_state == TcpState::Established && timeout > unack {
                // Picked up mid-connection: no long ESTABLISHED timeout.
                timeout = unack;
            }
        } else if !status.contains(Status::ASSURED)
            && matches!(old_state, TcpState::SynRecv | TcpState::Established)
            && new_state == TcpState::Established
        {
            ctx.conn.status.insert(Status::ASSURED);
        }
        ctx.trace
            .note(|| format!("state {new_state}, timeout {timeout} s"));
        ctx.refresh(timeout);
        match note {
            Some(n) => PacketOutcome::AcceptNoted(n),
            None => PacketOutcome::Accept,
        }
    }
}

fn describe_flags(f: u8) -> String {
    let mut v = Vec::new();
    for (b, n) in [
        (flag::WINDOW_SCALE, "WINDOW_SCALE"),
        (flag::SACK_PERM, "SACK_PERM"),
        (flag::CLOSE_INIT, "CLOSE_INIT"),
        (flag::BE_LIBERAL, "BE_LIBERAL"),
        (flag::DATA_UNACKNOWLEDGED, "DATA_UNACKNOWLEDGED"),
        (flag::MAXACK_SET, "MAXACK_SET"),
    ] {
        if f & b != 0 {
            v.push(n);
        }
    }
    v.join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_of_flags() {
        assert_eq!(Index::of(tf::SYN), Index::Syn);
        assert_eq!(Index::of(tf::SYN | tf::ACK), Index::SynAck);
        assert_eq!(Index::of(tf::FIN | tf::ACK), Index::Fin);
        assert_eq!(Index::of(tf::RST | tf::ACK), Index::Rst);
        assert_eq!(Index::of(tf::ACK | tf::PSH), Index::Ack);
        assert_eq!(Index::of(0), Index::None);
    }

    #[test]
    fn flag_table() {
        assert!(valid_flags(tf::SYN | tf::ECE | tf::CWR));
        assert!(valid_flags(tf::ACK | tf::PSH));
        assert!(!valid_flags(tf::SYN | tf::FIN));
        assert!(!valid_flags(tf::SYN | tf::RST));
        assert!(!valid_flags(tf::FIN));
        assert!(!valid_flags(0));
        assert!(!valid_flags(tf::FIN | tf::PSH | tf::URG));
    }

    #[test]
    fn serial_numbers() {
        assert!(before(1, 2));
        assert!(before(0xffff_fff0, 5));
        assert!(after(5, 0xffff_fff0));
        assert!(!before(7, 7));
    }

    #[test]
    fn options() {
        let mut s = Seen::default();
        parse_options(
            &[
                2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 15,
            ],
            &mut s,
        );
        assert_eq!(s.td_scale, 14);
        assert_eq!(s.flags, flag::WINDOW_SCALE | flag::SACK_PERM);
        let mut sack = 100;
        parse_sack(&[1, 1, 5, 10, 0, 0, 0, 50, 0, 0, 0, 200], &mut sack);
        assert_eq!(sack, 200);
        let mut s = Seen::default();
        parse_options(&[3, 9], &mut s);
        assert_eq!(s.flags, 0);
    }
}
