//! The text parsers of `nf_conntrack_sip.c`: SIP headers (full and compact
//! names, continuation lines, comma-separated values, URI parameters) and
//! SDP lines, ported function by function so that they accept and refuse
//! what the kernel's do.
//!
//! The kernel walks `const char *` pointers up to a `limit`; here they are
//! offsets into the message, and every read goes through [`Text::b`],
//! which gives NUL past the end of the buffer: where the kernel reads one
//! byte beyond its limit (a colon looked for at the end of the data, a
//! `strncasecmp()` of "TCP" at the last two bytes), that byte is taken to
//! be NUL, which matches nothing. No function allocates; all of them are
//! linear in the message, and the loops that restart from an offset only
//! ever move forward.
//!
//! Character classes are the kernel's (`lib/ctype.c`): `isalpha()` is true
//! for the Latin-1 letters 0xC0-0xFF too (but for 0xD7 and 0xF7), and
//! `strncasecmp()` folds case; both matter for which lines are headers.
//!
//! Numbers are read by `sip_strtouint()` and ports by `sip_parse_port()`,
//! the bounded parsers that replaced `simple_strtoul()` in 2026 ("netfilter:
//! nf_conntrack_sip: don't use simple_strtoul", a fix for the stable
//! kernels): at most 11 digits and no value above `u32::MAX`, a port of 1 to
//! 5 digits in 1024-65535 that does not reach the end of the data. Where
//! a header name is followed by whitespace up to the end of the data, the
//! colon is looked for past it (the out-of-bounds read fixed in 2026): NUL
//! here, so the search ends, as with the fix.

use crate::helper::inet_pton::{in4_pton, in6_pton};
use crate::tuple::{Addr, Family};

/// `SIP_PORT`: the port of a URI without one.
pub const SIP_PORT: u16 = 5060;

/// `isalpha()` with the kernel's Latin-1 table.
pub fn is_alpha(c: u8) -> bool {
    c.is_ascii_alphabetic() || (c >= 0xc0 && c != 0xd7 && c != 0xf7)
}

/// How a header's value is measured (`sip_header.match_len`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchLen {
    /// `digits_len()`
    Digits,
    /// `skp_epaddr_len()`: an address after optional user info.
    SkpEpaddr,
    /// `epaddr_len()`: an address and an optional port.
    Epaddr,
    /// `media_len()`: the media type, a space and the port.
    Media,
    /// `sdp_addr_len()`
    SdpAddr,
}

/// `struct sip_header`: a SIP header (`name`, compact `cname`) or an SDP
/// line type (`name` only), the text searched for in its value, and how the
/// value is measured.
#[derive(Debug, Clone, Copy)]
pub struct Hdr {
    pub name: &'static [u8],
    pub cname: Option<&'static [u8]>,
    pub search: Option<&'static [u8]>,
    pub match_len: MatchLen,
}

pub const CSEQ: Hdr = Hdr {
    name: b"CSeq",
    cname: None,
    search: None,
    match_len: MatchLen::Digits,
};
pub const CONTACT: Hdr = Hdr {
    name: b"Contact",
    cname: Some(b"m"),
    search: Some(b"sip:"),
    match_len: MatchLen::SkpEpaddr,
};
pub const VIA_UDP: Hdr = Hdr {
    name: b"Via",
    cname: Some(b"v"),
    search: Some(b"UDP "),
    match_len: MatchLen::Epaddr,
};
pub const EXPIRES: Hdr = Hdr {
    name: b"Expires",
    cname: None,
    search: None,
    match_len: MatchLen::Digits,
};
/// `enum sdp_header_types` (but `SDP_HDR_OWNER`, which only NAT reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sdp {
    Unspec,
    Version,
    Connection,
    Media,
}

/// `ct_sdp_hdrs_v4[]` / `ct_sdp_hdrs_v6[]` (`SDP_HDR_UNSPEC` has none).
fn sdp_hdr(family: Family, t: Sdp) -> Option<Hdr> {
    let inet: &'static [u8] = match family {
        Family::Ipv4 => b"IN IP4 ",
        Family::Ipv6 => b"IN IP6 ",
    };
    let (name, search, match_len): (&'static [u8], _, _) = match t {
        Sdp::Unspec => return None,
        Sdp::Version => (b"v=", None, MatchLen::Digits),
        Sdp::Connection => (b"c=", Some(inet), MatchLen::SdpAddr),
        Sdp::Media => (b"m=", None, MatchLen::Media),
    };
    Some(Hdr {
        name,
        cname: None,
        search,
        match_len,
    })
}

/// What `ct_sip_get_header()` and its relatives return: 1 with the value's
/// offset and length, 0, or -1 with the offset the value started at (from
/// where a walk goes on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Found { off: usize, len: usize },
    None,
    Bad { off: usize },
}

/// `ct_sip_parse_header_uri()`'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uri {
    Found {
        /// The address's offset and the length of address and port.
        off: usize,
        len: usize,
        addr: Addr,
        port: u16,
    },
    None,
    Bad,
}

/// `ct_sip_parse_numerical_param()`'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Num {
    Found(u32),
    None,
    Bad,
}

/// One SIP message: the bytes from its start (`dptr`), of which the first
/// `datalen` (passed to each function, the kernel's `limit`) are the
/// message; bytes after it may be read where the kernel reads them.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    pub d: &'a [u8],
    /// The connection's family (`nf_ct_l3num(ct)`), which decides how
    /// addresses are read.
    pub family: Family,
}

impl<'a> Text<'a> {
    pub fn new(d: &'a [u8], family: Family) -> Text<'a> {
        Text { d, family }
    }

    /// The byte at `i`; NUL past the end.
    #[inline]
    pub fn b(&self, i: usize) -> u8 {
        self.d.get(i).copied().unwrap_or(0)
    }

    /// `strncasecmp(dptr + p, needle, len) == 0` (a NUL in the data ends
    /// the comparison, unequal).
    pub fn ieq(&self, p: usize, needle: &[u8]) -> bool {
        needle.iter().enumerate().all(|(k, &n)| {
            let c = self.b(p.saturating_add(k));
            c != 0 && c.eq_ignore_ascii_case(&n)
        })
    }

    /// `strncmp(dptr + p, needle, len) == 0`.
    pub fn eq(&self, p: usize, needle: &[u8]) -> bool {
        needle
            .iter()
            .enumerate()
            .all(|(k, &n)| self.b(p.saturating_add(k)) == n)
    }

    fn is_nl(&self, p: usize) -> bool {
        matches!(self.b(p), b'\r' | b'\n')
    }

    fn is_ws(&self, p: usize) -> bool {
        matches!(self.b(p), b' ' | b'\t')
    }

    /// `string_len()`: letters from `p`.
    pub fn string_len(&self, p: usize, limit: usize) -> usize {
        let mut q = p;
        while q < limit && is_alpha(self.b(q)) {
            q += 1;
        }
        q - p
    }

    /// `digits_len()`
    pub fn digits_len(&self, p: usize, limit: usize) -> usize {
        let mut q = p;
        while q < limit && self.b(q).is_ascii_digit() {
            q += 1;
        }
        q - p
    }

    /// `media_len()`: "audio 49170" (letters, one space, digits, which may
    /// be none).
    fn media_len(&self, p: usize, limit: usize) -> usize {
        let len = self.string_len(p, limit);
        let q = p + len;
        if q >= limit || self.b(q) != b' ' {
            return 0;
        }
        len + 1 + self.digits_len(q + 1, limit)
    }

    /// The buffer `in4_pton()`/`in6_pton()` get: `limit - cp` bytes.
    fn span(&self, cp: usize, limit: usize) -> &'a [u8] {
        let end = limit.min(self.d.len());
        &self.d[cp.min(end)..end]
    }

    /// `sip_parse_addr()`: an address at `cp` and the offset after it. An
    /// IPv6 address must be in brackets when `delim` (SIP URIs).
    pub fn sip_parse_addr(&self, cp: usize, limit: usize, delim: bool) -> Option<(Addr, usize)> {
        match self.family {
            Family::Ipv4 => {
                let (a, n) = in4_pton(self.span(cp, limit), None)?;
                Some((Addr::v4(a), cp + n))
            }
            Family::Ipv6 => {
                let mut cp = cp;
                if cp < limit && self.b(cp) == b'[' {
                    cp += 1;
                } else if delim {
                    return None;
                }
                let (a, n) = in6_pton(self.span(cp, limit), None)?;
                let mut end = cp + n;
                if end < limit && self.b(end) == b']' {
                    end += 1;
                } else if delim {
                    return None;
                }
                Some((Addr::v6(a), end))
            }
        }
    }

    /// `sip_parse_port()`: an optional ":port" at `p`, 5060 without one.
    /// Refused: nothing at all left, no digits, more than five, a port
    /// outside 1024-65535 or one that runs to the end of the data.
    pub fn sip_parse_port(&self, p: usize, limit: usize) -> Option<(u16, usize)> {
        if p >= limit {
            return None;
        }
        if self.b(p) != b':' {
            return Some((SIP_PORT, p));
        }
        let mut q = p + 1;
        let mut v: u32 = 0;
        let mut len = 0;
        while q < limit && self.b(q).is_ascii_digit() {
            v = v * 10 + u32::from(self.b(q) - b'0');
            q += 1;
            len += 1;
            if len > 5 {
                return None;
            }
        }
        if len == 0 || q >= limit || !(1024..=65535).contains(&v) {
            return None;
        }
        Some((v as u16, q))
    }

    /// `epaddr_len()`: address and port (0 when either is refused).
    fn epaddr_len(&self, p: usize, limit: usize) -> usize {
        let Some((_, e)) = self.sip_parse_addr(p, limit, true) else {
            return 0;
        };
        match self.sip_parse_port(e, limit) {
            Some((_, e)) => e - p,
            None => 0,
        }
    }

    /// `skp_epaddr_len()`: skip "user@" if an '@' comes before the end of
    /// the line, counting the skipped bytes in `shift`.
    fn skp_epaddr_len(&self, p: usize, limit: usize, shift: &mut usize) -> usize {
        let saved = *shift;
        let mut q = p;
        while q < limit && !matches!(self.b(q), b'@' | b'\r' | b'\n') {
            *shift += 1;
            q += 1;
        }
        if q < limit && self.b(q) == b'@' {
            q += 1;
            *shift += 1;
        } else {
            q = p;
            *shift = saved;
        }
        self.epaddr_len(q, limit)
    }

    /// `sdp_parse_addr()`: an address without brackets.
    pub fn sdp_parse_addr(&self, cp: usize, limit: usize) -> Option<(Addr, usize)> {
        let src = self.span(cp, limit);
        match self.family {
            Family::Ipv4 => in4_pton(src, None).map(|(a, n)| (Addr::v4(a), cp + n)),
            Family::Ipv6 => in6_pton(src, None).map(|(a, n)| (Addr::v6(a), cp + n)),
        }
    }

    fn match_len(&self, m: MatchLen, p: usize, limit: usize, shift: &mut usize) -> usize {
        match m {
            MatchLen::Digits => self.digits_len(p, limit),
            MatchLen::SkpEpaddr => self.skp_epaddr_len(p, limit, shift),
            MatchLen::Epaddr => self.epaddr_len(p, limit),
            MatchLen::Media => self.media_len(p, limit),
            MatchLen::SdpAddr => match self.sdp_parse_addr(p, limit) {
                Some((_, e)) => e - p,
                None => 0,
            },
        }
    }

    /// `sip_follow_continuation()`: from a line end at `p`, the first byte
    /// after the whitespace that starts a continuation line; `None` when
    /// the next line is not one.
    pub fn follow_continuation(&self, p: usize, limit: usize) -> Option<usize> {
        let mut p = p + 1;
        if p >= limit {
            return None;
        }
        if self.b(p - 1) == b'\r' && self.b(p) == b'\n' {
            p += 1;
            if p >= limit {
                return None;
            }
        }
        if !self.is_ws(p) {
            return None;
        }
        while p < limit && self.is_ws(p) {
            p += 1;
        }
        Some(p)
    }

    /// `sip_skip_whitespace()`: spaces and tabs, and at most one line end
    /// that continues.
    pub fn skip_whitespace(&self, p: usize, limit: usize) -> Option<usize> {
        let mut p = p;
        while p < limit {
            if self.is_ws(p) {
                p += 1;
                continue;
            }
            if !self.is_nl(p) {
                break;
            }
            return self.follow_continuation(p, limit);
        }
        Some(p)
    }

    /// `ct_sip_header_search()`: `needle` (any case) in a header value and
    /// its continuation lines. As in the kernel, the first byte of a
    /// continuation line is skipped, and the search ends `needle.len()`
    /// bytes before `limit`.
    pub fn header_search(&self, p: usize, limit: usize, needle: &[u8]) -> Option<usize> {
        let lim = limit.checked_sub(needle.len())?;
        let mut p = p;
        while p < lim {
            if self.is_nl(p) {
                p = self.follow_continuation(p, lim)?;
                p += 1;
                continue;
            }
            if self.ieq(p, needle) {
                return Some(p);
            }
            p += 1;
        }
        None
    }

    /// `ct_sip_get_header()`: the first header `hdr` in a line that starts
    /// after `dataoff` (the message's first line is never one).
    pub fn get_header(&self, dataoff: usize, datalen: usize, hdr: &Hdr) -> Hit {
        let limit = datalen;
        let mut p = dataoff;
        while p < limit {
            // Find the beginning of a line.
            if !self.is_nl(p) {
                p += 1;
                continue;
            }
            p += 1;
            if p >= limit {
                break;
            }
            if self.b(p - 1) == b'\r' && self.b(p) == b'\n' {
                p += 1;
                if p >= limit {
                    break;
                }
            }
            // A continuation line.
            if self.is_ws(p) {
                p += 1;
                continue;
            }
            // The name; a compact one must not be followed by a letter.
            if limit - p >= hdr.name.len() && self.ieq(p, hdr.name) {
                p += hdr.name.len();
            } else if let Some(cn) = hdr.cname
                && limit - p > cn.len()
                && self.ieq(p, cn)
                && !is_alpha(self.b(p + cn.len()))
            {
                p += cn.len();
            } else {
                p += 1;
                continue;
            }
            // The colon, with whitespace around: without it the search
            // ends here.
            let Some(q) = self.skip_whitespace(p, limit) else {
                break;
            };
            p = q;
            if self.b(p) != b':' {
                break;
            }
            p += 1;
            if p >= limit {
                break;
            }
            let Some(q) = self.skip_whitespace(p, limit) else {
                break;
            };
            p = q;
            let off = p;
            if let Some(s) = hdr.search {
                let Some(q) = self.header_search(p, limit, s) else {
                    return Hit::Bad { off };
                };
                p = q + s.len();
            }
            let mut shift = 0;
            let len = self.match_len(hdr.match_len, p, limit, &mut shift);
            if len == 0 {
                return Hit::Bad { off };
            }
            return Hit::Found {
                off: p + shift,
                len,
            };
        }
        Hit::None
    }

    /// `ct_sip_next_header()`: the next value of a comma-separated list.
    fn next_header(&self, dataoff: usize, datalen: usize, hdr: &Hdr) -> Hit {
        let Some(p) = self.header_search(dataoff, datalen, b",") else {
            return Hit::None;
        };
        let search = hdr.search.unwrap_or(b"");
        let Some(p) = self.header_search(p, datalen, search) else {
            return Hit::None;
        };
        let p = p + search.len();
        let mut shift = 0;
        let len = self.match_len(hdr.match_len, p, datalen, &mut shift);
        if len == 0 {
            return Hit::Bad { off: p };
        }
        Hit::Found {
            off: p + shift,
            len,
        }
    }

    /// `ct_sip_walk_headers()`: the next parsable value of `hdr`, going on
    /// in the current comma-separated list when `in_header` says so.
    pub fn walk_headers(
        &self,
        dataoff: usize,
        datalen: usize,
        hdr: &Hdr,
        mut in_header: Option<&mut bool>,
    ) -> Hit {
        let mut dataoff = dataoff;
        if let Some(ih) = in_header.as_deref_mut()
            && *ih
        {
            loop {
                match self.next_header(dataoff, datalen, hdr) {
                    Hit::Found { off, len } => return Hit::Found { off, len },
                    Hit::None => break,
                    // Offsets only grow: `off` is past the comma found
                    // at or after `dataoff`.
                    Hit::Bad { off } if off > dataoff => dataoff = off,
                    Hit::Bad { .. } => break,
                }
            }
            *ih = false;
        }
        loop {
            match self.get_header(dataoff, datalen, hdr) {
                Hit::Found { off, len } => {
                    if let Some(ih) = in_header {
                        *ih = true;
                    }
                    return Hit::Found { off, len };
                }
                Hit::None => return Hit::None,
                // `off` is past a line start found after `dataoff`.
                Hit::Bad { off } if off > dataoff => dataoff = off,
                Hit::Bad { .. } => return Hit::None,
            }
        }
    }

    /// `ct_sip_parse_header_uri()`: the address and port of the next value
    /// of `hdr` from `*dataoff` (0 without), which is moved past them.
    pub fn parse_header_uri(
        &self,
        dataoff: Option<&mut usize>,
        datalen: usize,
        hdr: &Hdr,
        in_header: Option<&mut bool>,
    ) -> Uri {
        let start = dataoff.as_deref().copied().unwrap_or(0);
        let (off, len) = match self.walk_headers(start, datalen, hdr, in_header) {
            Hit::Found { off, len } => (off, len),
            _ => return Uri::None,
        };
        let Some((addr, c)) = self.sip_parse_addr(off, datalen, true) else {
            return Uri::Bad;
        };
        let Some((port, c)) = self.sip_parse_port(c, datalen) else {
            return Uri::Bad;
        };
        if let Some(d) = dataoff {
            *d = c;
        }
        Uri::Found {
            off,
            len,
            addr,
            port,
        }
    }

    /// The part of the header value from `dataoff` to the next comma (or
    /// `datalen`).
    fn param_limit(&self, dataoff: usize, datalen: usize) -> usize {
        self.header_search(dataoff, datalen, b",")
            .unwrap_or(datalen)
    }

    /// `ct_sip_parse_param()`: the value of `name` ("transport=") up to the
    /// next ';'.
    pub fn parse_param(
        &self,
        dataoff: usize,
        datalen: usize,
        name: &[u8],
    ) -> Option<(usize, usize)> {
        let limit = self.param_limit(dataoff, datalen);
        let start = self.header_search(dataoff, limit, name)? + name.len();
        let end = self.header_search(start, limit, b";").unwrap_or(limit);
        Some((start, end.saturating_sub(start)))
    }

    /// `ct_sip_parse_numerical_param()` ("expires="): -1 when no number
    /// follows the name.
    pub fn numerical_param(&self, dataoff: usize, datalen: usize, name: &[u8]) -> Num {
        let limit = self.param_limit(dataoff, datalen);
        let Some(s) = self.header_search(dataoff, limit, name) else {
            return Num::None;
        };
        let start = s + name.len();
        let (v, end) = self.strtouint(start, limit.saturating_sub(start));
        if end == start {
            Num::Bad
        } else {
            Num::Found(v)
        }
    }

    /// `ct_sip_parse_transport()`: the protocol a "transport=" parameter
    /// names, `None` when it is neither TCP nor UDP or not the
    /// connection's own (`ct_proto`).
    pub fn parse_transport(&self, dataoff: usize, datalen: usize, ct_proto: u8) -> Option<u8> {
        let Some((off, _)) = self.parse_param(dataoff, datalen, b"transport=") else {
            return Some(ct_proto);
        };
        let proto = if self.ieq(off, b"TCP") {
            crate::wire::ip_proto::TCP
        } else if self.ieq(off, b"UDP") {
            crate::wire::ip_proto::UDP
        } else {
            return None;
        };
        (proto == ct_proto).then_some(proto)
    }

    /// `sip_strtouint()`: decimal digits at `cp`, reading at most `len`
    /// bytes; the value and the offset after it, or `(0, cp)` when there
    /// are more than 11 digits or the value exceeds `u32::MAX`.
    pub fn strtouint(&self, cp: usize, len: usize) -> (u32, usize) {
        let mut left = len.min(11);
        let mut olen = len;
        let mut s = cp;
        let mut v: u64 = 0;
        while olen > 0 && self.b(s).is_ascii_digit() {
            if left == 0 {
                return (0, cp);
            }
            v = v * 10 + u64::from(self.b(s) - b'0');
            if v > u64::from(u32::MAX) {
                return (0, cp);
            }
            s += 1;
            left -= 1;
            olen -= 1;
        }
        (v as u32, s)
    }

    /// `ct_sdp_header_search()`: `needle` (exact case) before the end of
    /// the line.
    fn sdp_header_search(&self, p: usize, limit: usize, needle: &[u8]) -> Option<usize> {
        let lim = limit.checked_sub(needle.len())?;
        let mut p = p;
        while p < lim {
            if self.is_nl(p) {
                break;
            }
            if self.eq(p, needle) {
                return Some(p);
            }
            p += 1;
        }
        None
    }

    /// `ct_sip_get_sdp_header()`: the first line of type `ty` after
    /// `dataoff`, stopping at a line of type `term`.
    pub fn get_sdp_header(&self, dataoff: usize, datalen: usize, ty: Sdp, term: Sdp) -> Hit {
        let Some(hdr) = sdp_hdr(self.family, ty) else {
            return Hit::None;
        };
        let thdr = sdp_hdr(self.family, term);
        let limit = datalen;
        let mut p = dataoff;
        while p < limit {
            if !self.is_nl(p) {
                p += 1;
                continue;
            }
            p += 1;
            if p >= limit {
                break;
            }
            if self.b(p - 1) == b'\r' && self.b(p) == b'\n' {
                p += 1;
                if p >= limit {
                    break;
                }
            }
            if let Some(t) = thdr
                && limit - p >= t.name.len()
                && self.ieq(p, t.name)
            {
                break;
            } else if limit - p >= hdr.name.len() && self.ieq(p, hdr.name) {
                p += hdr.name.len();
            } else {
                p += 1;
                continue;
            }
            let off = p;
            if let Some(s) = hdr.search {
                let Some(q) = self.sdp_header_search(p, limit, s) else {
                    return Hit::Bad { off };
                };
                p = q + s.len();
            }
            let mut shift = 0;
            let len = self.match_len(hdr.match_len, p, limit, &mut shift);
            if len == 0 {
                return Hit::Bad { off };
            }
            return Hit::Found {
                off: p + shift,
                len,
            };
        }
        Hit::None
    }

    /// `ct_sip_parse_sdp_addr()`: the address of the first line of type
    /// `ty` (c=) before one of type `term` (m=). `Err(())` is the kernel's
    /// -1 (a line without a parsable address).
    pub fn parse_sdp_addr(
        &self,
        dataoff: usize,
        datalen: usize,
        ty: Sdp,
        term: Sdp,
    ) -> Result<Option<Addr>, ()> {
        match self.get_sdp_header(dataoff, datalen, ty, term) {
            Hit::Found { off, len } => match self.sdp_parse_addr(off, off + len) {
                Some((a, _)) => Ok(Some(a)),
                None => Err(()),
            },
            Hit::None => Ok(None),
            Hit::Bad { .. } => Err(()),
        }
    }
}

/// `sdp_media_types[]`: the media a SIP session can expect, with their
/// expectation classes.
pub const MEDIA_TYPES: [(&[u8], u8); 3] = [(b"audio ", 1), (b"video ", 2), (b"image ", 3)];

/// `sdp_media_type()`: the class and length of the media type a media
/// line's value starts with.
pub fn sdp_media_type(t: &Text<'_>, off: usize, len: usize) -> Option<(u8, usize)> {
    MEDIA_TYPES
        .iter()
        .find(|(name, _)| len >= name.len() && t.eq(off, name))
        .map(|&(name, class)| (class, name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(s: &[u8]) -> Text<'_> {
        Text::new(s, Family::Ipv4)
    }

    fn found(h: Hit) -> (usize, usize) {
        match h {
            Hit::Found { off, len } => (off, len),
            other => panic!("not found: {other:?}"),
        }
    }

    #[test]
    fn character_classes_are_the_kernels() {
        assert!(is_alpha(b'a') && is_alpha(b'Z') && is_alpha(0xc0) && is_alpha(0xff));
        assert!(!is_alpha(0xd7) && !is_alpha(0xf7) && !is_alpha(0xa0) && !is_alpha(b'1'));
    }

    #[test]
    fn headers_full_compact_and_continued() {
        let m = b"INVITE sip:b@x SIP/2.0\r\ncseq:  42 INVITE\r\nm: <sip:a@192.0.2.1:5062>\r\n";
        let t = v4(m);
        let (off, len) = found(t.get_header(0, m.len(), &CSEQ));
        assert_eq!((&m[off..off + len], len), (&b"42"[..], 2));
        let (off, len) = found(t.get_header(0, m.len(), &CONTACT));
        assert_eq!(&m[off..off + len], b"192.0.2.1:5062", "user info skipped");
        // Whitespace and a continuation line before the colon.
        let m = b"X\r\nCSeq \r\n\t : 7 ACK\r\n";
        let (off, _) = found(v4(m).get_header(0, m.len(), &CSEQ));
        assert_eq!(m[off], b'7');
        // The first line is never a header; a compact name followed by a
        // letter is another header.
        let m = b"CSeq: 1\r\nmax: 1\r\n";
        assert_eq!(v4(m).get_header(0, m.len(), &CSEQ), Hit::None);
        assert_eq!(v4(m).get_header(0, m.len(), &CONTACT), Hit::None);
        // A line that starts with the name but has no colon ends the search.
        let m = b"X\r\nCSeqX: 1\r\nCSeq: 2\r\n";
        assert_eq!(v4(m).get_header(0, m.len(), &CSEQ), Hit::None);
        // No digits: -1.
        let m = b"X\r\nCSeq: abc\r\n";
        assert_eq!(v4(m).get_header(0, m.len(), &CSEQ), Hit::Bad { off: 9 });
    }

    #[test]
    fn contacts_walked_one_by_one() {
        let m = b"SIP/2.0 200 OK\r\nContact: <sip:a@192.0.2.1:5062>;expires=60, <sip:b@192.0.2.9>\r\nContact: <sip:[::1]>\r\nm: <sip:c@192.0.2.3:6000>\r\nContact: <sip:d@192.0.2.4:99999>\r\n";
        let t = v4(m);
        let mut coff = 0;
        let mut inh = false;
        let mut got = Vec::new();
        loop {
            match t.parse_header_uri(Some(&mut coff), m.len(), &CONTACT, Some(&mut inh)) {
                Uri::Found { addr, port, .. } => got.push((addr, port)),
                Uri::None => break,
                Uri::Bad => {
                    got.push((Addr::default(), 0));
                    break;
                }
            }
        }
        assert_eq!(
            got,
            [
                (Addr::v4([192, 0, 2, 1]), 5062),
                (Addr::v4([192, 0, 2, 9]), 5060),
                (Addr::v4([192, 0, 2, 3]), 6000),
            ],
            "a value epaddr_len refuses ([::1] on IPv4, port 99999) skips the header"
        );
    }

    #[test]
    fn ports_and_numbers() {
        let t = v4(b":5062>:80>:65536>:005060>:5060");
        assert_eq!(t.sip_parse_port(0, 30), Some((5062, 5)));
        assert_eq!(t.sip_parse_port(6, 30), None, "below 1024");
        assert_eq!(t.sip_parse_port(10, 30), None, "above 65535");
        assert_eq!(t.sip_parse_port(17, 30), None, "six digits");
        assert_eq!(t.sip_parse_port(25, 30), None, "runs to the end");
        assert_eq!(t.sip_parse_port(5, 30), Some((5060, 5)), "no port");
        assert_eq!(t.sip_parse_port(30, 30), None, "nothing left");
        let t = v4(b"4294967295x4294967296 000000000001 0x10");
        assert_eq!(t.strtouint(0, 40), (u32::MAX, 10));
        assert_eq!(t.strtouint(11, 29), (0, 11), "overflow");
        assert_eq!(t.strtouint(22, 18), (0, 22), "12 digits");
        assert_eq!(t.strtouint(35, 5), (0, 36), "base 10: 0x10 is 0");
        assert_eq!(t.strtouint(22, 3), (0, 25), "bounded by len");
    }

    #[test]
    fn uri_parameters() {
        let m = b"X\r\nContact: <sip:a@192.0.2.1:5062;transport=UDP>;expires=0x20;q=1, <sip:b@1.2.3.4>;expires=5\r\n";
        let t = v4(m);
        let Uri::Found { off, len, .. } = t.parse_header_uri(None, m.len(), &CONTACT, None) else {
            panic!()
        };
        let end = off + len;
        assert_eq!(t.parse_transport(end, m.len(), 17), Some(17));
        assert_eq!(t.parse_transport(end, m.len(), 6), None);
        assert_eq!(t.numerical_param(end, m.len(), b"expires="), Num::Found(0));
        let m = b"X\r\nm: <sip:a@192.0.2.1>;expires=abc\r\n";
        let t = v4(m);
        let Uri::Found { off, len, .. } = t.parse_header_uri(None, m.len(), &CONTACT, None) else {
            panic!()
        };
        assert_eq!(t.numerical_param(off + len, m.len(), b"expires="), Num::Bad);
        assert_eq!(t.numerical_param(off + len, m.len(), b"foo="), Num::None);
        assert_eq!(t.parse_transport(off + len, m.len(), 17), Some(17));
    }

    #[test]
    fn sdp_lines() {
        let m = b"INVITE x SIP/2.0\r\n\r\nv=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 49170 RTP/AVP 0\r\nc=IN IP4 192.0.2.5\r\nm=video 0 RTP/AVP 31\nm=application 5000 x\r\n";
        let t = v4(m);
        let (sdpoff, _) = found(t.get_sdp_header(0, m.len(), Sdp::Version, Sdp::Unspec));
        assert_eq!(m[sdpoff], b'0');
        assert_eq!(
            t.parse_sdp_addr(sdpoff, m.len(), Sdp::Connection, Sdp::Media),
            Ok(Some(Addr::v4([192, 0, 2, 1])))
        );
        let (mo, ml) = found(t.get_sdp_header(sdpoff, m.len(), Sdp::Media, Sdp::Unspec));
        assert_eq!(&m[mo..mo + ml], b"audio 49170");
        assert_eq!(sdp_media_type(&t, mo, ml), Some((1, 6)));
        assert_eq!(
            t.parse_sdp_addr(mo, m.len(), Sdp::Connection, Sdp::Media),
            Ok(Some(Addr::v4([192, 0, 2, 5])))
        );
        let (mo, ml) = found(t.get_sdp_header(mo + ml, m.len(), Sdp::Media, Sdp::Unspec));
        assert_eq!(&m[mo..mo + ml], b"video 0");
        let (mo, ml) = found(t.get_sdp_header(mo + ml, m.len(), Sdp::Media, Sdp::Unspec));
        assert_eq!(sdp_media_type(&t, mo, ml), None);
        // An IPv6 connection line on an IPv4 flow is -1.
        let m = b"X\r\nv=0\r\nc=IN IP6 2001:db8::1\r\n";
        assert_eq!(
            v4(m).parse_sdp_addr(0, m.len(), Sdp::Connection, Sdp::Media),
            Err(())
        );
        let t = Text::new(m, Family::Ipv6);
        assert_eq!(
            t.parse_sdp_addr(0, m.len(), Sdp::Connection, Sdp::Media),
            Ok(Some(Addr(
                "2001:db8::1"
                    .parse::<std::net::Ipv6Addr>()
                    .unwrap()
                    .octets()
            )))
        );
    }

    #[test]
    fn ipv6_uris_need_brackets() {
        let m = b"X\r\nContact: <sip:a@[2001:db8::1]:5062>\r\nContact: <sip:2001:db8::1>\r\n";
        let t = Text::new(m, Family::Ipv6);
        let mut coff = 0;
        let mut inh = false;
        let Uri::Found { addr, port, .. } =
            t.parse_header_uri(Some(&mut coff), m.len(), &CONTACT, Some(&mut inh))
        else {
            panic!()
        };
        assert_eq!(port, 5062);
        assert_eq!(addr.0[..2], [0x20, 0x01]);
        assert_eq!(
            t.parse_header_uri(Some(&mut coff), m.len(), &CONTACT, Some(&mut inh)),
            Uri::None,
            "not bracketed: epaddr_len is 0, the header is skipped"
        );
    }

    #[test]
    fn every_prefix_of_a_message_is_safe() {
        let m: &[u8] = b"REGISTER sip:r SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060\r\nCall-ID: a@b\r\nCSeq: 1 REGISTER\r\nContact: <sip:a@192.0.2.1:5062>;expires=60,\r\n <sip:b@192.0.2.1>\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\nv=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 x\r\n";
        for fam in [Family::Ipv4, Family::Ipv6] {
            for n in 0..=m.len() {
                for d in [&m[..n], &m[n..]] {
                    let t = Text::new(d, fam);
                    for h in [CSEQ, CONTACT, VIA_UDP, EXPIRES] {
                        let _ = t.get_header(0, d.len(), &h);
                        let mut c = 0;
                        let mut i = false;
                        for _ in 0..4 {
                            let _ = t.parse_header_uri(Some(&mut c), d.len(), &h, Some(&mut i));
                        }
                    }
                    let _ = t.numerical_param(0, d.len(), b"expires=");
                    let _ = t.parse_transport(0, d.len(), 17);
                    for ty in [Sdp::Version, Sdp::Connection, Sdp::Media] {
                        let _ = t.get_sdp_header(0, d.len(), ty, Sdp::Media);
                    }
                }
            }
        }
    }
}
