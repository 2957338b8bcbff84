//! The FTP helper (`nf_conntrack_ftp.c`): `PORT` and `EPRT` from the
//! client, `227` (PASV) and `229` (EPSV) replies from the server, each
//! expecting a TCP data connection.
//!
//! As the kernel, it looks only at segments that start right after a line
//! end it has seen in that direction (`seq_aft_nl`, two remembered per
//! direction), so the first segment of each direction is never parsed and a
//! command must begin its segment. A command cut off by the end of the
//! segment makes it drop the segment ("partial matching"). An address in a
//! command other than the sender's own creates no expectation unless the
//! `loose` parameter is set.

use super::inet_pton::in6_pton;
use super::text::starts_with_ignore_case;
use super::{HelpCtx, HelpData, HelpVerdict, Helper};
use crate::ctinfo::CtInfo;
use crate::expect::{NewExpect, Policy};
use crate::sysctl::Sysctls;
use crate::tuple::{Addr, Family};
use crate::wire::ip_proto;

/// `NUM_SEQ_TO_REMEMBER`.
const REMEMBER: usize = 2;

/// `struct nf_ct_ftp_master`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FtpState {
    /// Sequence numbers just after a newline, per direction.
    seq_aft_nl: [[u32; REMEMBER]; 2],
    seq_aft_nl_num: [usize; 2],
}

/// What a command carries (`struct nf_conntrack_man`).
#[derive(Debug, Clone, Copy)]
struct Cmd {
    family: Family,
    addr: Addr,
    port: u16,
}

/// A number parser (`getnum`): bytes consumed, 0 when nothing matched.
type GetNum = fn(&[u8], &mut Cmd, u8) -> usize;

/// One entry of `search[dir]`.
struct Search {
    pattern: &'static [u8],
    /// The character to skip to before the numbers (0: none).
    skip: u8,
    term: u8,
    getnum: GetNum,
}

const SEARCH: [[Search; 2]; 2] = [
    [
        Search {
            pattern: b"PORT",
            skip: b' ',
            term: b'\r',
            getnum: try_rfc959,
        },
        Search {
            pattern: b"EPRT",
            skip: b' ',
            term: b'\r',
            getnum: try_eprt,
        },
    ],
    [
        Search {
            pattern: b"227 ",
            skip: 0,
            term: 0,
            getnum: try_rfc1123,
        },
        Search {
            pattern: b"229 ",
            skip: b'(',
            term: b')',
            getnum: try_epsv_response,
        },
    ],
];

/// `try_number()`: `n` decimal numbers separated by `sep` and ended by
/// `term` (0: any other character). Numbers wrap as the kernel's `u32`s do.
fn try_number(data: &[u8], out: &mut [u32], sep: u8, term: u8) -> usize {
    out.iter_mut().for_each(|x| *x = 0);
    let mut i = 0;
    for (len, &c) in data.iter().enumerate() {
        if i >= out.len() {
            break;
        }
        if c.is_ascii_digit() {
            out[i] = out[i].wrapping_mul(10).wrapping_add(u32::from(c - b'0'));
        } else if c == sep {
            i += 1;
        } else {
            // The terminator (or any character when none is required)
            // after the last number.
            if (c == term || term == 0) && i == out.len() - 1 {
                return len;
            }
            return 0;
        }
    }
    0
}

/// `try_rfc959()`: `h1,h2,h3,h4,p1,p2`.
fn try_rfc959(data: &[u8], cmd: &mut Cmd, term: u8) -> usize {
    let mut a = [0u32; 6];
    let len = try_number(data, &mut a, b',', term);
    if len == 0 {
        return 0;
    }
    let ip = (a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3];
    cmd.addr.0[..4].copy_from_slice(&ip.to_be_bytes());
    cmd.port = ((a[4] << 8) | a[5]) as u16;
    len
}

/// `try_rfc1123()`: the numbers start at the first digit (RFC 1123 4.1.2.6:
/// the 227 reply's parentheses are optional).
fn try_rfc1123(data: &[u8], cmd: &mut Cmd, _term: u8) -> usize {
    let Some(i) = data.iter().position(u8::is_ascii_digit) else {
        return 0;
    };
    try_rfc959(&data[i..], cmd, 0)
}

/// `get_port()`: digits up to `delim`; the offset after it, 0 on failure
/// (also for port 0). The port wraps as the kernel's `u16` does.
fn get_port(data: &[u8], start: usize, delim: u8, port: &mut u16) -> usize {
    let mut p: u16 = 0;
    for (i, &c) in data.iter().enumerate().skip(start) {
        if c == delim {
            if p == 0 {
                return 0;
            }
            *port = p;
            return i + 1;
        } else if c.is_ascii_digit() {
            p = p.wrapping_mul(10).wrapping_add(u16::from(c - b'0'));
        } else {
            return 0;
        }
    }
    0
}

/// `isdigit(delim) || delim < 33 || delim > 126` (a `char`, so bytes of
/// 128 and above are negative and below 33).
fn bad_delim(d: u8) -> bool {
    d.is_ascii_digit() || !(33..=126).contains(&d)
}

/// `try_eprt()`: `|1|132.235.1.2|6275|` or `|2|3ffe::1|6275|`.
fn try_eprt(data: &[u8], cmd: &mut Cmd, _term: u8) -> usize {
    if data.len() <= 3 {
        return 0;
    }
    let delim = data[0];
    if bad_delim(delim) || data[2] != delim {
        return 0;
    }
    let want = match cmd.family {
        Family::Ipv4 => b'1',
        Family::Ipv6 => b'2',
    };
    if data[1] != want {
        return 0;
    }
    let length = if data[1] == b'1' {
        let mut a = [0u32; 4];
        let len = try_number(&data[3..], &mut a, b'.', delim);
        if len != 0 {
            let ip = (a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3];
            cmd.addr.0[..4].copy_from_slice(&ip.to_be_bytes());
        }
        len
    } else {
        let src = &data[3..];
        let src = &src[..src.len().min(0xffff)];
        match in6_pton(src, Some(delim)) {
            Some((a, end)) => {
                cmd.addr = Addr(a);
                end
            }
            None => 0,
        }
    };
    if length == 0 {
        return 0;
    }
    get_port(data, 3 + length + 1, delim, &mut cmd.port)
}

/// `try_epsv_response()`: `|||6446|`.
fn try_epsv_response(data: &[u8], cmd: &mut Cmd, _term: u8) -> usize {
    if data.len() <= 3 {
        return 0;
    }
    let delim = data[0];
    if bad_delim(delim) || data[1] != delim || data[2] != delim {
        return 0;
    }
    get_port(data, 3, delim, &mut cmd.port)
}

/// `find_pattern()`'s three answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    No,
    Partial,
    Yes,
}

fn find_pattern(data: &[u8], s: &Search, cmd: &mut Cmd) -> Found {
    let plen = s.pattern.len();
    if data.len() <= plen {
        // A short segment that could be the start of the command.
        return if data.eq_ignore_ascii_case(&s.pattern[..data.len()]) {
            Found::Partial
        } else {
            Found::No
        };
    }
    if !starts_with_ignore_case(data, s.pattern) {
        return Found::No;
    }
    let mut i = plen;
    if s.skip != 0 {
        while data[i] != s.skip {
            if i == data.len() - 1 {
                return Found::Partial;
            }
            i += 1;
        }
        i += 1;
    }
    if (s.getnum)(&data[i..], cmd, s.term) == 0 {
        return Found::Partial;
    }
    Found::Yes
}

fn find_nl_seq(seq: u32, st: &FtpState, dir: usize) -> bool {
    st.seq_aft_nl[dir][..st.seq_aft_nl_num[dir]].contains(&seq)
}

/// `update_nl_seq()`: remember `nl_seq`, replacing the older of two only
/// by a later one.
fn update_nl_seq(nl_seq: u32, st: &mut FtpState, dir: usize) {
    let n = st.seq_aft_nl_num[dir];
    if st.seq_aft_nl[dir][..n].contains(&nl_seq) {
        return;
    }
    if n < REMEMBER {
        st.seq_aft_nl[dir][n] = nl_seq;
        st.seq_aft_nl_num[dir] += 1;
    } else {
        let [a, b] = st.seq_aft_nl[dir];
        let oldest = if (a.wrapping_sub(b) as i32) < 0 { 0 } else { 1 };
        if (nl_seq.wrapping_sub(st.seq_aft_nl[dir][oldest]) as i32) > 0 {
            st.seq_aft_nl[dir][oldest] = nl_seq;
        }
    }
}

pub struct Ftp;

impl Helper for Ftp {
    fn name(&self) -> &'static str {
        "ftp"
    }

    fn proto(&self) -> u8 {
        ip_proto::TCP
    }

    fn policies(&self, _sysctl: &Sysctls) -> Vec<Policy> {
        vec![Policy {
            max_expected: 1,
            timeout: 5 * 60,
            name: "",
        }]
    }

    fn new_data(&self) -> HelpData {
        HelpData::Ftp(FtpState::default())
    }

    fn help(&self, ctx: &mut HelpCtx<'_>) -> HelpVerdict {
        // Until there has been traffic both ways, don't look in packets.
        if !matches!(ctx.ctinfo, CtInfo::Established(_)) {
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
        let data = &pkt[dataoff..];
        let th_seq = u32::from_be_bytes([th[4], th[5], th[6], th[7]]);
        let dir = ctx.dir();
        let di = dir.index();
        let ends_in_nl = data.last() == Some(&b'\n');
        let seq = th_seq.wrapping_add(data.len() as u32);
        let loose = ctx.sysctl.ftp_loose != 0;
        let family = ctx.family;
        let own = ctx.tuple(dir).src;
        let peer_dst = ctx.tuple(dir.opposite()).dst;
        let expect_src = ctx.tuple(dir.opposite()).src;

        let Some(st) = ftp_state(ctx) else {
            return HelpVerdict::Accept;
        };
        if !find_nl_seq(th_seq, st, di) {
            if ends_in_nl {
                update_nl_seq(seq, st, di);
            }
            ctx.note(|| {
                format!("ftp: segment does not start after a line end seen in direction {dir}: not parsed")
            });
            return HelpVerdict::Accept;
        }

        let mut cmd = Cmd {
            family,
            addr: own,
            port: 0,
        };
        let mut found = Found::No;
        let mut which = &SEARCH[di][0];
        for s in &SEARCH[di] {
            which = s;
            found = find_pattern(data, s, &mut cmd);
            if found != Found::No {
                break;
            }
        }
        let pattern = String::from_utf8_lossy(which.pattern).into_owned();
        match found {
            Found::Partial => {
                return HelpVerdict::Drop(format!("partial matching of `{pattern}'"));
            }
            Found::No => {
                if ends_in_nl {
                    update_nl_seq(seq, st, di);
                }
                return HelpVerdict::Accept;
            }
            Found::Yes => {}
        }
        let mut verdict = HelpVerdict::Accept;
        let mut daddr = Some(peer_dst);
        if cmd.addr != own {
            // A different address: not recorded unless `loose`.
            ctx.note(|| {
                format!(
                    "ftp: {} names another address: not recorded",
                    pattern.trim()
                )
            });
            daddr = loose.then_some(cmd.addr);
        }
        if let Some(daddr) = daddr {
            let exp = NewExpect::new(
                0,
                cmd.family,
                Some(expect_src),
                daddr,
                ip_proto::TCP,
                None,
                cmd.port,
            );
            if ctx.expect_related(exp).is_err() {
                verdict = HelpVerdict::Drop("cannot add expectation".into());
            }
        }
        if ends_in_nl && let Some(st) = ftp_state(ctx) {
            update_nl_seq(seq, st, di);
        }
        verdict
    }
}

fn ftp_state<'a>(ctx: &'a mut HelpCtx<'_>) -> Option<&'a mut FtpState> {
    match ctx.conn.help_mut().map(|h| &mut h.data) {
        Some(HelpData::Ftp(s)) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd4() -> Cmd {
        Cmd {
            family: Family::Ipv4,
            addr: Addr::v4([192, 0, 2, 1]),
            port: 0,
        }
    }

    #[test]
    fn port_and_pasv_numbers() {
        let mut c = cmd4();
        assert_eq!(try_rfc959(b"192,0,2,1,19,137\r\n", &mut c, b'\r'), 16);
        assert_eq!((c.addr, c.port), (Addr::v4([192, 0, 2, 1]), 5001));
        assert_eq!(
            try_rfc959(b"192,0,2,1,19,137", &mut c, b'\r'),
            0,
            "no terminator"
        );
        assert_eq!(
            try_rfc959(b"192,0,2,1,19\r\n", &mut c, b'\r'),
            0,
            "five numbers"
        );
        assert_eq!(
            try_rfc959(b"192,0,2,1,19,137,1\r\n", &mut c, b'\r'),
            0,
            "seven"
        );
        // Out-of-range numbers wrap into their neighbours, as in the kernel.
        assert_eq!(try_rfc959(b"192,0,2,1,256,22\r", &mut c, b'\r'), 16);
        assert_eq!(c.port, 22);
        let mut c = cmd4();
        assert_eq!(
            try_rfc1123(
                b"Entering Passive Mode (198,51,100,2,39,16).\r\n",
                &mut c,
                0
            ),
            18
        );
        assert_eq!((c.addr, c.port), (Addr::v4([198, 51, 100, 2]), 10000));
        assert_eq!(
            try_rfc1123(b"Entering Passive Mode 198,51,100,2,39,16\r\n", &mut c, 0),
            18
        );
    }

    #[test]
    fn eprt_and_epsv() {
        let mut c = cmd4();
        assert_eq!(try_eprt(b"|1|198.51.100.2|6275|\r\n", &mut c, 0), 21);
        assert_eq!((c.addr, c.port), (Addr::v4([198, 51, 100, 2]), 6275));
        assert_eq!(
            try_eprt(b"|2|2001:db8::1|6275|\r\n", &mut c, 0),
            0,
            "wrong family"
        );
        let mut c6 = Cmd {
            family: Family::Ipv6,
            addr: Addr::default(),
            port: 0,
        };
        assert_eq!(try_eprt(b"|2|2001:db8::1|6275|\r\n", &mut c6, 0), 20);
        assert_eq!(
            c6.addr,
            Addr(
                "2001:db8::1"
                    .parse::<std::net::Ipv6Addr>()
                    .unwrap()
                    .octets()
            )
        );
        assert_eq!(try_eprt(b"1|1|1.2.3.4|5|", &mut c, 0), 0, "digit delimiter");
        assert_eq!(try_epsv_response(b"|||6446|)\r\n", &mut c, 0), 8);
        assert_eq!(c.port, 6446);
        assert_eq!(try_epsv_response(b"|||0|)", &mut c, 0), 0, "port 0");
        assert_eq!(try_epsv_response(b"||6446|", &mut c, 0), 0);
    }

    #[test]
    fn patterns_partial_and_case() {
        let mut c = cmd4();
        let port = &SEARCH[0][0];
        assert_eq!(
            find_pattern(b"PORT 192,0,2,1,19,137\r\n", port, &mut c),
            Found::Yes
        );
        assert_eq!(
            find_pattern(b"port 192,0,2,1,19,137\r\n", port, &mut c),
            Found::Yes
        );
        assert_eq!(find_pattern(b"POR", port, &mut c), Found::Partial);
        assert_eq!(
            find_pattern(b"PORT 192,0,2,1,19,1", port, &mut c),
            Found::Partial
        );
        assert_eq!(find_pattern(b"PORT", port, &mut c), Found::Partial);
        assert_eq!(
            find_pattern(b"PORTX", port, &mut c),
            Found::Partial,
            "no space at all"
        );
        assert_eq!(find_pattern(b"USER anonymous\r\n", port, &mut c), Found::No);
    }

    #[test]
    fn newline_bookkeeping_keeps_the_two_latest() {
        let mut st = FtpState::default();
        update_nl_seq(100, &mut st, 0);
        update_nl_seq(200, &mut st, 0);
        // The older of the two is replaced by anything after it.
        update_nl_seq(150, &mut st, 0);
        assert!(!find_nl_seq(100, &st, 0) && find_nl_seq(150, &st, 0) && find_nl_seq(200, &st, 0));
        // Something before both replaces nothing.
        update_nl_seq(50, &mut st, 0);
        assert!(!find_nl_seq(50, &st, 0));
        update_nl_seq(300, &mut st, 0);
        assert!(!find_nl_seq(150, &st, 0) && find_nl_seq(300, &st, 0));
        assert!(!find_nl_seq(300, &st, 1), "per direction");
    }
}
