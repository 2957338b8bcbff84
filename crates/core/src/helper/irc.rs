//! The IRC helper (`nf_conntrack_irc.c`, Linux 6.x, with the 2022 fixes
//! "Tighten matching on DCC message" and "Fix forged IP logic"): a DCC
//! offer the client sends to the server (`PRIVMSG nick :\1DCC SEND file
//! 3221225985 5000 1234\1`) expects a TCP connection from anybody to the
//! client's address and the port it names.
//!
//! Only client -> server segments (ORIGINAL direction) of an established
//! connection are read, each on its own (no state is kept between
//! segments), and only their first 4,095 bytes (`MAX_SEARCH_SIZE`). After
//! leading blanks, CRs and LFs the segment must start with `PRIVMSG ` (any
//! case); the first ` :` after it must be followed by `\1DCC ` and one of
//! `SEND `, `CHAT `, `MOVE `, `TSEND `, `SCHAT ` (exact case), then a word,
//! a blank, the address as a decimal number (`simple_strtoul`: no sign,
//! stops at the first non-digit, wraps in 64 bits, then truncated to 32),
//! blanks and the port (truncated to 16 bits); a LF must follow somewhere.
//! A DCC naming an address other than the client's, or port 0, is "forged"
//! (the kernel only warns) and the search goes on; the first good DCC makes
//! the segment's one expectation. A refused expectation drops the segment.
//! IPv4 only.

use super::{HelpCtx, HelpVerdict, Helper};
use crate::ctinfo::{CtInfo, Direction};
use crate::expect::{NewExpect, Policy};
use crate::sysctl::Sysctls;
use crate::tuple::{Addr, Family};
use crate::wire::ip_proto;

/// `MAX_SEARCH_SIZE`: how much of a segment's payload is searched.
pub const MAX_SEARCH_SIZE: usize = 4095;

/// `MINMATCHLEN`.
const MINMATCHLEN: isize = 5;

/// `dccprotos[]`, in the kernel's order, with the names reports use.
const DCCPROTOS: [(&[u8], &str); 5] = [
    (b"SEND ", "SEND"),
    (b"CHAT ", "CHAT"),
    (b"MOVE ", "MOVE"),
    (b"TSEND ", "TSEND"),
    (b"SCHAT ", "SCHAT"),
];

/// A DCC command as `parse_dcc()` read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dcc {
    /// The DCC type (`SEND`, `CHAT`, `MOVE`, `TSEND`, `SCHAT`).
    pub kind: &'static str,
    /// The address, in host order.
    pub ip: u32,
    pub port: u16,
    /// Offsets in the payload of the address and of the byte after the
    /// port (`ad_beg_p`, `ad_end_p`: what NAT would rewrite).
    pub addr_start: usize,
    pub addr_end: usize,
}

impl Dcc {
    pub fn addr(&self) -> Addr {
        Addr::v4(self.ip.to_be_bytes())
    }
}

/// What a segment held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// The first DCC command the caller accepted.
    Found(Dcc),
    /// The segment does not start with `PRIVMSG ` (after blanks).
    NotPrivmsg,
    /// The first ` :` is not followed by `\1DCC `.
    NotDcc,
    /// No DCC command that could be read and was accepted.
    Nothing,
}

/// The payload as the kernel's pointers see it. Offsets are signed because
/// the kernel compares pointers such as `data_limit - 26` that lie before
/// a short buffer. Reading past the end of the payload (the kernel reads a
/// byte or a few past `data_limit`: the tail of the skb's buffer) gives 0,
/// which matches nothing the parser looks for.
struct Buf<'a>(&'a [u8]);

impl Buf<'_> {
    fn at(&self, i: isize) -> u8 {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.0.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// `memcmp(data + i, pat, len) == 0`.
    fn is(&self, i: isize, pat: &[u8]) -> bool {
        pat.iter()
            .enumerate()
            .all(|(k, &c)| self.at(i + k as isize) == c)
    }

    /// `strncasecmp(data + i, pat, len) == 0` (`pat` holds no NUL and only
    /// ASCII, which no other byte folds to).
    fn is_ignore_case(&self, i: isize, pat: &[u8]) -> bool {
        pat.iter()
            .enumerate()
            .all(|(k, &c)| self.at(i + k as isize).eq_ignore_ascii_case(&c))
    }

    /// `simple_strtoul(data + i, &end, 10)`: decimal digits only, wrapping
    /// as the kernel's `unsigned long long` accumulator does (the caller
    /// makes sure a LF ends the run, as the kernel does).
    fn strtoul(&self, mut i: isize) -> (u64, isize) {
        let mut r: u64 = 0;
        loop {
            let c = self.at(i);
            if !c.is_ascii_digit() {
                return (r, i);
            }
            r = r.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            i += 1;
        }
    }
}

/// `parse_dcc()`: from just after the DCC type, skip the first word, then
/// read the address and the port. `end` is `data_limit` (one past the
/// searched bytes, the kernel's `data_end`, which it also reads).
fn parse_dcc(b: &Buf<'_>, mut data: isize, end: isize, kind: &'static str) -> Option<Dcc> {
    // At least 12 bytes after the blank: "AAAAAAAA P\1\n".
    loop {
        let c = b.at(data);
        data += 1;
        if c == b' ' {
            break;
        }
        if data > end - 12 {
            return None;
        }
    }
    // A LF within the packet (up to and including `data_end`), since
    // simple_strtoul() reads up to the first byte that is not a digit.
    let mut tmp = data;
    while tmp <= end {
        if b.at(tmp) == b'\n' {
            break;
        }
        tmp += 1;
    }
    if tmp > end || b.at(tmp) != b'\n' {
        return None;
    }
    let addr_start = data;
    let (ip, after) = b.strtoul(data);
    data = after;
    // Blanks between the address and the port.
    while b.at(data) == b' ' {
        if data >= end {
            return None;
        }
        data += 1;
    }
    let (port, after) = b.strtoul(data);
    Some(Dcc {
        kind,
        ip: ip as u32,
        port: port as u16,
        addr_start: addr_start as usize,
        addr_end: after as usize,
    })
}

/// The search `help()` makes in one client -> server segment's `payload`
/// (all of it: only the first [`MAX_SEARCH_SIZE`] bytes are searched).
/// `accept` sees each DCC command read, in order, and says whether it is
/// good (not forged); the first good one is returned and ends the search.
pub fn find_dcc(payload: &[u8], mut accept: impl FnMut(&Dcc) -> bool) -> Scan {
    let b = Buf(payload);
    let limit = payload.len().min(MAX_SEARCH_SIZE) as isize;
    let mut data: isize = 0;

    // Skip any whitespace.
    while data < limit - 10 && matches!(b.at(data), b' ' | b'\r' | b'\n') {
        data += 1;
    }
    // strlen("PRIVMSG x ") = 10
    if data < limit - 10 {
        if !b.is_ignore_case(data, b"PRIVMSG ") {
            return Scan::NotPrivmsg;
        }
        data += 8;
    }
    // strlen(" :\1DCC SENT t AAAAAAAA P\1\n") = 26
    while data < limit - (21 + MINMATCHLEN) {
        // The first " :", the start of the message...
        if !b.is(data, b" :") {
            data += 1;
            continue;
        }
        data += 2;
        // ...and only there the DCC command.
        if !b.is(data, b"\x01DCC ") {
            return Scan::NotDcc;
        }
        data += 5;
        for (proto, kind) in DCCPROTOS {
            if !b.is(data, proto) {
                continue;
            }
            // As in the kernel, the types after this one are compared
            // after it.
            data += proto.len() as isize;
            let Some(dcc) = parse_dcc(&b, data, limit, kind) else {
                continue;
            };
            if accept(&dcc) {
                return Scan::Found(dcc);
            }
        }
    }
    Scan::Nothing
}

pub struct Irc;

impl Helper for Irc {
    fn name(&self) -> &'static str {
        "irc"
    }

    fn proto(&self) -> u8 {
        ip_proto::TCP
    }

    fn supports(&self, family: Family) -> bool {
        family == Family::Ipv4
    }

    fn policies(&self, sysctl: &Sysctls) -> Vec<Policy> {
        vec![Policy {
            max_expected: sysctl.irc_max_dcc_channels,
            timeout: sysctl.irc_dcc_timeout,
            name: "",
        }]
    }

    fn help(&self, ctx: &mut HelpCtx<'_>) -> HelpVerdict {
        // Only what the client sends, once there has been traffic both ways.
        if ctx.ctinfo != CtInfo::Established(Direction::Original) {
            return HelpVerdict::Accept;
        }
        let pkt = ctx.pkt;
        let Some(th) = pkt.get(ctx.protoff..ctx.protoff + 20) else {
            return HelpVerdict::Accept;
        };
        let dataoff = ctx.protoff + usize::from(th[12] >> 4) * 4;
        if dataoff >= pkt.len() {
            return HelpVerdict::Accept;
        }
        let payload = &pkt[dataoff..];
        // The address may be the client's own or (behind NAT) the one the
        // server sees.
        let orig = ctx.tuple(Direction::Original);
        let reply = ctx.tuple(Direction::Reply);
        let scan = find_dcc(payload, |d| {
            let own = d.addr() == orig.src || d.addr() == reply.dst;
            let good = own && d.port != 0;
            if !good {
                ctx.note(|| {
                    format!(
                        "irc: forged DCC command from {}: {}:{} (no expectation; the kernel warns \"Forged DCC command\")",
                        orig.src.to_ip(Family::Ipv4),
                        d.addr().to_ip(Family::Ipv4),
                        d.port
                    )
                });
            }
            good
        });
        let dcc = match scan {
            Scan::Found(d) => d,
            Scan::NotPrivmsg => {
                ctx.note(|| "irc: the segment does not start with PRIVMSG: not parsed".into());
                return HelpVerdict::Accept;
            }
            Scan::NotDcc => {
                ctx.note(|| "irc: the message is not a DCC command".into());
                return HelpVerdict::Accept;
            }
            Scan::Nothing => return HelpVerdict::Accept,
        };
        ctx.note(|| {
            format!(
                "irc: DCC {} {}:{}",
                dcc.kind,
                dcc.addr().to_ip(Family::Ipv4),
                dcc.port
            )
        });
        let exp = NewExpect::new(
            0,
            reply.family,
            None,
            reply.dst,
            ip_proto::TCP,
            None,
            dcc.port,
        );
        match ctx.expect_related(exp) {
            Ok(()) => HelpVerdict::Accept,
            Err(_) => HelpVerdict::Drop("cannot add expectation".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctinfo::CtState;
    use crate::helper::HelperRule;
    use crate::status::Status;
    use crate::wire::checksum;
    use crate::wire::link::Network;
    use crate::{Conntrack, Options, Timestamp, Verdict};
    use std::time::Duration;

    /// 192.0.2.1 as the decimal number DCC uses.
    const A_NUM: u32 = 3_221_225_985;
    const A: [u8; 4] = [192, 0, 2, 1];
    const B: [u8; 4] = [198, 51, 100, 2];
    const C: [u8; 4] = [203, 0, 113, 7];

    fn scan_for(payload: &[u8], own: u32) -> Scan {
        find_dcc(payload, |d| d.ip == own && d.port != 0)
    }

    fn found(payload: &[u8]) -> Option<(u32, u16, &'static str)> {
        match scan_for(payload, A_NUM) {
            Scan::Found(d) => Some((d.ip, d.port, d.kind)),
            _ => None,
        }
    }

    fn dcc(kind: &str, addr: &str, port: &str) -> Vec<u8> {
        format!("PRIVMSG bob :\x01DCC {kind} file.txt {addr} {port} 1234\x01\r\n").into_bytes()
    }

    #[test]
    fn send_chat_and_the_other_types() {
        let p = dcc("SEND", "3221225985", "5000");
        let Scan::Found(d) = scan_for(&p, A_NUM) else {
            panic!()
        };
        assert_eq!((d.ip, d.port, d.kind), (A_NUM, 5000, "SEND"));
        assert_eq!(&p[d.addr_start..d.addr_end], b"3221225985 5000");
        let chat = b"PRIVMSG bob :\x01DCC CHAT chat 3221225985 5001\x01\r\n";
        assert_eq!(found(chat), Some((A_NUM, 5001, "CHAT")));
        for (kind, port) in [("MOVE", 5007), ("TSEND", 5008), ("SCHAT", 5009)] {
            let p = dcc(kind, "3221225985", &port.to_string());
            assert_eq!(found(&p), Some((A_NUM, port, kind)), "{kind}");
        }
        // PRIVMSG in any case, DCC and its type exactly.
        assert!(found(b"privmsg bob :\x01DCC SEND f 3221225985 5005 1\x01\r\n").is_some());
        assert_eq!(
            found(b"PRIVMSG bob :\x01dcc send f 3221225985 5006 1\x01\r\n"),
            None
        );
        assert_eq!(found(&dcc("RESUME", "3221225985", "5000")), None);
        // Leading blanks, CRs and LFs are skipped; anything else is not.
        assert!(found(b" \r\nPRIVMSG bob :\x01DCC SEND f 3221225985 5012 1\x01\r\n").is_some());
        assert_eq!(
            scan_for(
                b"PING :x\r\nPRIVMSG bob :\x01DCC SEND f 3221225985 5011 1\x01\r\n",
                A_NUM
            ),
            Scan::NotPrivmsg
        );
        assert_eq!(
            scan_for(
                b"NOTICE bob :\x01DCC SEND f 3221225985 5004 1\x01\r\n",
                A_NUM
            ),
            Scan::NotPrivmsg
        );
        // Only the first " :" is tried.
        assert_eq!(
            scan_for(
                b"PRIVMSG bob :hello :\x01DCC SEND f 3221225985 5010 1\x01\r\n",
                A_NUM
            ),
            Scan::NotDcc
        );
    }

    #[test]
    fn forged_addresses_and_ports() {
        // Another address: forged (the scan goes on and finds nothing).
        assert_eq!(
            scan_for(&dcc("SEND", "3325256706", "5000"), A_NUM),
            Scan::Nothing
        );
        // Dotted: reads 192, then the port is read from ".0.2.1": 0.
        let mut seen = Vec::new();
        find_dcc(&dcc("SEND", "192.0.2.1", "5000"), |d| {
            seen.push((d.ip, d.port));
            false
        });
        assert_eq!(seen, [(192, 0)]);
        // Port 0 is forged even from the right address.
        assert_eq!(found(&dcc("SEND", "3221225985", "0")), None);
        assert_eq!(found(&dcc("SEND", "3221225985", "-1")), None);
        assert_eq!(found(&dcc("SEND", "0xC0000201", "5000")), None);
        // A blank in the file name: the address is read from the rest.
        assert_eq!(
            found(b"PRIVMSG bob :\x01DCC SEND my file.txt 3221225985 5006 1\x01\r\n"),
            None
        );
    }

    #[test]
    fn huge_numbers_wrap() {
        // 2^32 + A and 2^64 + A: truncated to 32 bits, wrapping in 64.
        assert_eq!(
            found(&dcc("SEND", "7516193281", "5001")),
            Some((A_NUM, 5001, "SEND"))
        );
        assert_eq!(
            found(&dcc("SEND", "18446744076930777601", "5002")),
            Some((A_NUM, 5002, "SEND"))
        );
        assert_eq!(found(&dcc("SEND", "3221225985", "65536")), None);
        assert_eq!(
            found(&dcc("SEND", "3221225985", "70539")),
            Some((A_NUM, 5003, "SEND"))
        );
        assert_eq!(
            found(&dcc("SEND", "3221225985", "5004x")),
            Some((A_NUM, 5004, "SEND"))
        );
        assert_eq!(
            found(b"PRIVMSG bob :\x01DCC SEND f 3221225985    5007 1\x01\r\n"),
            Some((A_NUM, 5007, "SEND"))
        );
        // A thousand digits.
        let mut p = b"PRIVMSG bob :\x01DCC SEND f ".to_vec();
        p.extend(std::iter::repeat_n(b'9', 1000));
        p.extend_from_slice(b" 5000 1\x01\r\n");
        let mut seen = None;
        find_dcc(&p, |d| {
            seen = Some(d.port);
            false
        });
        assert_eq!(seen, Some(5000));
    }

    #[test]
    fn missing_parts_and_split_commands() {
        // No LF anywhere.
        assert_eq!(
            found(b"PRIVMSG bob :\x01DCC SEND f 3221225985 5008 1\x01"),
            None
        );
        // Missing \1.
        assert_eq!(
            scan_for(b"PRIVMSG bob :DCC SEND f 3221225985 5000 1\r\n", A_NUM),
            Scan::NotDcc
        );
        // A command cut over two segments is in neither.
        let whole = b"PRIVMSG bob :\x01DCC SEND f 3221225985 5009 1\x01\r\n";
        for cut in 1..whole.len() {
            assert_eq!(found(&whole[..cut]), None, "first {cut} bytes");
            assert_eq!(found(&whole[cut..]), None, "from {cut}");
        }
        assert!(found(whole).is_some());
        // Too short for the minimum ("...:\1DCC SEND t AAAAAAAA P\1\n").
        assert_eq!(found(b"PRIVMSG b :\x01DCC SEND f 1 2\n"), None);
        assert_eq!(found(b""), None);
        assert_eq!(found(b"\n"), None);
    }

    #[test]
    fn only_the_first_good_dcc_of_a_segment() {
        let two = b"PRIVMSG bob :\x01DCC SEND f 3221225985 5013 1\x01 :\x01DCC SEND g 3221225985 5014 1\x01\r\n";
        assert_eq!(found(two), Some((A_NUM, 5013, "SEND")));
        // A forged first one: the next " :" is tried.
        let forged_first =
            b"PRIVMSG bob :\x01DCC SEND f 1 5013 1\x01 :\x01DCC SEND g 3221225985 5014 1\x01\r\n";
        assert_eq!(found(forged_first), Some((A_NUM, 5014, "SEND")));
    }

    #[test]
    fn only_the_first_4095_bytes_are_searched() {
        // "PRIVMSG ", filler, then the message with its LF at `lf`.
        let tail = b" bob :\x01DCC SEND f 3221225985 5000 1\x01\r\n";
        let with_lf_at = |lf: usize| {
            let mut p = b"PRIVMSG ".to_vec();
            p.resize(lf + 1 - tail.len(), b'x');
            p.extend_from_slice(tail);
            assert_eq!(p[lf], b'\n');
            p
        };
        assert!(found(&with_lf_at(MAX_SEARCH_SIZE - 1)).is_some());
        // The kernel also reads the byte at data_limit.
        assert!(found(&with_lf_at(MAX_SEARCH_SIZE)).is_some());
        assert_eq!(found(&with_lf_at(MAX_SEARCH_SIZE + 1)), None);
        // The " :" must start before data_limit - 26, data_limit being
        // 4095 bytes in however long a segment.
        let short = b" :\x01DCC SEND t 12345678 9\x01\n";
        assert_eq!(short.len(), 26);
        let at = |p: usize| {
            let mut v = b"PRIVMSG ".to_vec();
            v.resize(p, b'x');
            v.extend_from_slice(short);
            v.resize(5000, b'y');
            find_dcc(&v, |_| true)
        };
        assert!(
            matches!(at(MAX_SEARCH_SIZE - 27), Scan::Found(d) if d.ip == 12345678 && d.port == 9)
        );
        assert_eq!(at(MAX_SEARCH_SIZE - 26), Scan::Nothing);
    }

    #[test]
    fn bytes_past_the_end_read_nothing() {
        // The type list goes on after a type that matched and did not
        // parse, so "SEND CHAT MOVE " makes TSEND and SCHAT compared at the
        // end of the buffer and past it.
        for n in 0..64 {
            for head in [
                &b"PRIVMSG b :\x01DCC SEND CHAT MOVE "[..],
                b"PRIVMSG b :\x01DCC SEND CHAT MOVE TSEND ",
                b"PRIVMSG b :\x01DCC SEND ",
            ] {
                let mut p = head.to_vec();
                p.resize(p.len() + n, b' ');
                assert_eq!(scan_for(&p, A_NUM), Scan::Nothing);
                p.push(b'\n');
                let _ = scan_for(&p, A_NUM);
            }
        }
    }

    // Through the tracker.

    fn tcp(
        from_a: bool,
        sport: u16,
        dport: u16,
        flags: u8,
        seq: u32,
        ack: u32,
        payload: &[u8],
    ) -> Vec<u8> {
        tcp_between(
            if from_a { (A, B) } else { (B, A) },
            sport,
            dport,
            flags,
            seq,
            ack,
            payload,
        )
    }

    fn tcp_between(
        (s, d): ([u8; 4], [u8; 4]),
        sport: u16,
        dport: u16,
        flags: u8,
        seq: u32,
        ack: u32,
        payload: &[u8],
    ) -> Vec<u8> {
        let mut l4 = vec![0u8; 20];
        l4[0..2].copy_from_slice(&sport.to_be_bytes());
        l4[2..4].copy_from_slice(&dport.to_be_bytes());
        l4[4..8].copy_from_slice(&seq.to_be_bytes());
        l4[8..12].copy_from_slice(&ack.to_be_bytes());
        l4[12] = 5 << 4;
        l4[13] = flags;
        l4[14..16].copy_from_slice(&65535u16.to_be_bytes());
        l4.extend_from_slice(payload);
        let acc = checksum::pseudo_v4(s, d, ip_proto::TCP, l4.len() as u32);
        let c = checksum::fold(checksum::sum(acc, &l4));
        l4[16..18].copy_from_slice(&c.to_be_bytes());
        let mut p = vec![0u8; 20];
        p[0] = 0x45;
        p[2..4].copy_from_slice(&((20 + l4.len()) as u16).to_be_bytes());
        p[8] = 64;
        p[9] = ip_proto::TCP;
        p[12..16].copy_from_slice(&s);
        p[16..20].copy_from_slice(&d);
        let c = checksum::checksum(&p);
        p[10..12].copy_from_slice(&c.to_be_bytes());
        p.extend_from_slice(&l4);
        p
    }

    const SYN: u8 = 0x02;
    const ACK: u8 = 0x10;
    const PSH_ACK: u8 = 0x18;

    struct T {
        ct: Conntrack,
        now: Timestamp,
        seq_a: u32,
        seq_b: u32,
    }

    impl T {
        fn send(&mut self, p: &[u8]) -> Verdict {
            self.now = self.now + Duration::from_millis(10);
            self.ct.process(self.now, Network::Ipv4, p, p.len())
        }

        /// A client -> server segment on the IRC connection.
        fn client(&mut self, payload: &[u8]) -> Verdict {
            let p = tcp(true, 40667, 6667, PSH_ACK, self.seq_a, self.seq_b, payload);
            let v = self.send(&p);
            if v.ctstate == Some(CtState::Established) {
                self.seq_a = self.seq_a.wrapping_add(payload.len() as u32);
            }
            v
        }

        fn new_with(sysctl: Sysctls) -> T {
            let mut ct = Conntrack::new(sysctl, Options::default());
            ct.set_helper_rules(vec![HelperRule::new("irc", None, 6, 6667).unwrap()]);
            let mut t = T {
                ct,
                now: Timestamp::from_secs(1000),
                seq_a: 1000,
                seq_b: 9000,
            };
            let v = t.send(&tcp(true, 40667, 6667, SYN, 999, 0, b""));
            assert_eq!(v.ctstate, Some(CtState::New));
            assert_eq!(v.helper, Some("irc"));
            t.send(&tcp(false, 6667, 40667, SYN | ACK, 8999, 1000, b""));
            let v = t.send(&tcp(true, 40667, 6667, ACK, 1000, 9000, b""));
            assert_eq!(v.ctstate, Some(CtState::Established));
            t
        }

        fn new() -> T {
            T::new_with(Sysctls::default())
        }

        fn dcc_send(&mut self, port: u16) -> Verdict {
            let p = format!("PRIVMSG bob :\x01DCC SEND f {A_NUM} {port} 1\x01\r\n");
            self.client(p.as_bytes())
        }

        fn expected_ports(&self) -> Vec<u16> {
            let mut v: Vec<u16> = self
                .ct
                .expectations()
                .iter()
                .map(|e| e.spec.dport)
                .collect();
            v.sort();
            v
        }
    }

    #[test]
    fn a_dcc_send_makes_the_connection_related() {
        let mut t = T::new();
        let v = t.dcc_send(5000);
        assert_eq!(v.ctstate, Some(CtState::Established));
        let ev: Vec<String> = v.expect_events.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            ev,
            ["EXP_NEW tcp 0.0.0.0:0 > 192.0.2.1:5000 helper irc master 1"]
        );
        assert_eq!(
            t.ct.expectations().proc_table(t.now),
            "300 l3proto = 2 proto=6 src=0.0.0.0 dst=192.0.2.1 sport=0 dport=5000 irc\n"
        );
        // From anybody, any port.
        let v = t.send(&tcp_between((C, A), 40001, 5000, SYN, 1, 0, b""));
        assert_eq!(v.ctstate, Some(CtState::Related));
        assert_eq!(v.master, Some(1));
        assert!(v.status.contains(Status::EXPECTED));
        let ev: Vec<String> = v.expect_events.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            ev,
            ["EXP_DESTROY tcp 0.0.0.0:0 > 192.0.2.1:5000 helper irc master 1"]
        );
        let v = t.send(&tcp_between((A, C), 5000, 40001, SYN | ACK, 77, 2, b""));
        assert_eq!(v.ctstate, Some(CtState::Established));
        assert_eq!(v.dir, Some(Direction::Reply));
        assert_eq!(v.master, Some(1));
        // An unannounced port is a plain new connection.
        let v = t.send(&tcp_between((C, A), 40003, 5002, SYN, 1, 0, b""));
        assert_eq!(v.ctstate, Some(CtState::New));
        assert!(!v.status.contains(Status::EXPECTED));
    }

    #[test]
    fn server_to_client_and_forged_dccs_expect_nothing() {
        let mut t = T::new();
        let p = format!(":bob!b@h PRIVMSG alice :\x01DCC SEND f {A_NUM} 5003 1\x01\r\n");
        let v = t.send(&tcp(
            false,
            6667,
            40667,
            PSH_ACK,
            t.seq_b,
            t.seq_a,
            p.as_bytes(),
        ));
        assert_eq!(v.ctstate, Some(CtState::Established));
        assert!(t.ct.expectations().is_empty());
        let forged = b"PRIVMSG bob :\x01DCC SEND f 3325256706 5000 1\x01\r\n";
        let v = t.client(forged);
        assert_eq!(v.ctstate, Some(CtState::Established));
        assert!(v.reason.is_none(), "{v:?}");
        assert!(t.ct.expectations().is_empty());
    }

    #[test]
    fn max_dcc_channels_evicts_the_oldest() {
        let mut t = T::new();
        for port in 6001..=6008 {
            t.dcc_send(port);
        }
        assert_eq!(t.expected_ports(), (6001..=6008).collect::<Vec<_>>());
        let v = t.dcc_send(6009);
        let ev: Vec<String> = v.expect_events.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            ev,
            [
                "EXP_DESTROY tcp 0.0.0.0:0 > 192.0.2.1:6001 helper irc master 1",
                "EXP_NEW tcp 0.0.0.0:0 > 192.0.2.1:6009 helper irc master 1"
            ]
        );
        // The module parameter.
        let mut s = Sysctls::default();
        s.set("nf_conntrack_irc.max_dcc_channels", "2").unwrap();
        s.set("nf_conntrack_irc.dcc_timeout", "60").unwrap();
        let mut t = T::new_with(s);
        for port in 7001..=7003 {
            t.dcc_send(port);
        }
        assert_eq!(t.expected_ports(), [7002, 7003]);
        for e in t.ct.expectations().iter() {
            let left = e.expires - t.now;
            assert!(left <= Duration::from_secs(60) && left > Duration::from_secs(59));
        }
    }

    #[test]
    fn a_refused_expectation_drops_the_segment() {
        let mut t = T::new();
        t.dcc_send(6004);
        // A second IRC connection from A (to C) asks for the same port.
        let s = (A, C);
        t.send(&tcp_between(s, 40670, 6667, SYN, 99, 0, b""));
        t.send(&tcp_between((C, A), 6667, 40670, SYN | ACK, 499, 100, b""));
        t.send(&tcp_between(s, 40670, 6667, ACK, 100, 500, b""));
        let p = format!("PRIVMSG bob :\x01DCC SEND f {A_NUM} 6004 1\x01\r\n");
        let v = t.send(&tcp_between(
            s,
            40670,
            6667,
            PSH_ACK,
            100,
            500,
            p.as_bytes(),
        ));
        assert_eq!(
            v.reason.as_ref().and_then(|r| r.kernel_log()).as_deref(),
            Some("nf_ct_irc: dropping packet: cannot add expectation")
        );
        assert_eq!(t.expected_ports(), [6004]);
    }

    #[test]
    fn ipv4_only() {
        assert!(HelperRule::new("irc", Some(Family::Ipv6), 6, 6667).is_err());
        let r = HelperRule::new("irc", None, 6, 6667).unwrap();
        assert!(r.helper.get().supports(Family::Ipv4));
        assert!(!r.helper.get().supports(Family::Ipv6));
        assert!(HelperRule::new("irc", None, 17, 6667).is_err());
    }
}
