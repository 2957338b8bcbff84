//! `in4_pton()` and `in6_pton()` (`net/core/utils.c`): the kernel's address
//! parsers, which helpers use on attacker-controlled text. Their quirks are
//! kept (an IPv6 word may have any number of leading zeros; the end of the
//! buffer acts as a delimiter; `:` ends an IPv4 address), because they
//! decide which commands the kernel accepts.

const XDIGIT: u32 = 0x0001_0000;
const DIGIT: u32 = 0x0002_0000;
const COLON_MASK: u32 = 0x0070_0000;
const COLON_1: u32 = 0x0010_0000;
const COLON_2: u32 = 0x0020_0000;
const COLON_1_2: u32 = 0x0040_0000;
const DOT: u32 = 0x0080_0000;
const DELIM: u32 = 0x1000_0000;
const NULL: u32 = 0x2000_0000;
const UNKNOWN: u32 = 0x4000_0000;

/// `xdigit2bin()`; `delim` `None` is the kernel's `-1` (no delimiter: any
/// other character ends the address).
fn classify(c: u8, delim: Option<u8>) -> u32 {
    if Some(c) == delim || c == 0 {
        return DELIM;
    }
    match c {
        b':' => COLON_MASK,
        b'.' => DOT,
        b'0'..=b'9' => u32::from(c - b'0') | XDIGIT | DIGIT,
        b'a'..=b'f' => u32::from(c - b'a' + 10) | XDIGIT,
        b'A'..=b'F' => u32::from(c - b'A' + 10) | XDIGIT,
        _ if delim.is_none() => DELIM,
        _ => UNKNOWN,
    }
}

/// The byte at `i`, or NUL past the end (the kernel reads `'\0'` once
/// `srclen` is used up).
fn at(src: &[u8], i: usize) -> u8 {
    src.get(i).copied().unwrap_or(0)
}

/// `in4_pton()`: the address and the offset where parsing stopped.
pub fn in4_pton(src: &[u8], delim: Option<u8>) -> Option<([u8; 4], usize)> {
    let mut out = [0u8; 4];
    let mut i = 0;
    let mut w: u32 = 0;
    let mut digits = false;
    let mut s = 0;
    loop {
        let c = classify(at(src, s), delim);
        if c & (DIGIT | DOT | DELIM | COLON_MASK) == 0 {
            return None;
        }
        if c & (DOT | DELIM | COLON_MASK) != 0 {
            if !digits {
                return None;
            }
            out[i] = w as u8;
            w = 0;
            digits = false;
            i += 1;
            if c & (DELIM | COLON_MASK) != 0 {
                if i != 4 {
                    return None;
                }
                break;
            }
        } else {
            w = w * 10 + (c & 0xff);
            digits = true;
            if w > 255 {
                return None;
            }
        }
        if i >= 4 {
            return None;
        }
        s += 1;
    }
    Some((out, s))
}

/// `in6_pton()`: the address and the offset where parsing stopped.
pub fn in6_pton(src: &[u8], delim: Option<u8>) -> Option<([u8; 16], usize)> {
    let mut buf = [0u8; 16];
    let mut d = 0usize;
    let mut dc: Option<usize> = None;
    let mut tok: Option<usize> = None;
    let mut state = COLON_1_2 | XDIGIT | NULL;
    let mut w: u32 = 0;
    let mut s = 0usize;
    loop {
        let c = classify(at(src, s), delim);
        if c & state == 0 {
            return None;
        }
        if c & (DELIM | COLON_MASK) != 0 {
            // One 16-bit word is done.
            if state & NULL == 0 {
                if d + 2 > buf.len() {
                    return None;
                }
                buf[d] = (w >> 8) as u8;
                buf[d + 1] = w as u8;
                d += 2;
            }
            w = 0;
            if c & DELIM != 0 {
                break;
            }
            state = match state & COLON_MASK {
                COLON_2 => {
                    dc = Some(d);
                    let mut st = XDIGIT | DELIM;
                    if d >= buf.len() {
                        st |= NULL;
                    }
                    st
                }
                x if x == COLON_1 | COLON_1_2 => XDIGIT | COLON_2,
                COLON_1 => XDIGIT,
                COLON_1_2 => COLON_2,
                _ => 0,
            };
            tok = Some(s + 1);
        } else if c & DOT != 0 {
            let t = tok.unwrap_or(s);
            let (v4, end) = in4_pton(&src[t.min(src.len())..], delim)?;
            if d + 4 > buf.len() {
                return None;
            }
            buf[d..d + 4].copy_from_slice(&v4);
            d += 4;
            s = t + end;
            break;
        } else {
            w = (w << 4) | (c & 0xff);
            state = COLON_1 | DELIM;
            if w & 0xf000 == 0 {
                state |= XDIGIT;
            }
            if dc.is_none() && d + 2 < buf.len() {
                state |= COLON_1_2;
                state &= !DELIM;
            }
            if d + 2 >= buf.len() {
                state &= !(COLON_1 | COLON_1_2);
            }
        }
        if (dc.is_some() && d + 4 < buf.len()) || d + 4 == buf.len() {
            state |= DOT;
        }
        if d >= buf.len() {
            state &= !(XDIGIT | COLON_MASK);
        }
        s += 1;
    }
    let mut out = [0u8; 16];
    match dc {
        Some(dc) => {
            // The words after "::" go to the end, zeros in between.
            let tail = &buf[dc..d];
            out[..dc].copy_from_slice(&buf[..dc]);
            out[16 - tail.len()..].copy_from_slice(tail);
        }
        None => out = buf,
    }
    Some((out, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v6(s: &str, delim: Option<u8>) -> Option<(std::net::Ipv6Addr, usize)> {
        in6_pton(s.as_bytes(), delim).map(|(a, n)| (a.into(), n))
    }

    #[test]
    fn ipv4_as_the_kernel_reads_it() {
        assert_eq!(in4_pton(b"10.0.0.1|", Some(b'|')), Some(([10, 0, 0, 1], 8)));
        assert_eq!(
            in4_pton(b"10.0.0.1", Some(b'|')),
            Some(([10, 0, 0, 1], 8)),
            "end of data ends it"
        );
        assert_eq!(
            in4_pton(b"10.0.0.1:80", Some(b'|')),
            Some(([10, 0, 0, 1], 8)),
            "a colon ends it"
        );
        assert_eq!(in4_pton(b"10.0.0.256|", Some(b'|')), None);
        assert_eq!(in4_pton(b"10..0.1|", Some(b'|')), None);
        assert_eq!(in4_pton(b"10.0.1|", Some(b'|')), None);
        assert_eq!(in4_pton(b"1.2.3.4.5|", Some(b'|')), None);
        assert_eq!(
            in4_pton(b"010.000.0.1|", Some(b'|')),
            Some(([10, 0, 0, 1], 11))
        );
    }

    #[test]
    fn ipv6_as_the_kernel_reads_it() {
        let a = |s: &str| s.parse::<std::net::Ipv6Addr>().unwrap();
        assert_eq!(v6("2001:db8::1|", Some(b'|')), Some((a("2001:db8::1"), 11)));
        assert_eq!(v6("::1|", Some(b'|')), Some((a("::1"), 3)));
        assert_eq!(v6("::|", Some(b'|')), Some((a("::"), 2)));
        assert_eq!(
            v6("1:2:3:4:5:6:7:8|", Some(b'|')),
            Some((a("1:2:3:4:5:6:7:8"), 15))
        );
        assert_eq!(
            v6("::ffff:192.0.2.1|", Some(b'|')),
            Some((a("::ffff:192.0.2.1"), 16))
        );
        assert_eq!(
            v6("00002001:db8::1|", Some(b'|')),
            Some((a("2001:db8::1"), 15)),
            "leading zeros"
        );
        assert_eq!(v6("1::2::3|", Some(b'|')), None);
        assert_eq!(v6("1:2:3:4:5:6:7:8:9|", Some(b'|')), None);
        assert_eq!(v6("2001:db8::g|", Some(b'|')), None);
        assert_eq!(v6("12345::1|", Some(b'|')), None);
    }

    #[test]
    fn never_panics_on_any_prefix() {
        let s = b"1:2:3:4:5:6:7:1.2.3.4::ffff:1.2.3.4|9";
        for n in 0..=s.len() {
            let _ = in6_pton(&s[..n], Some(b'|'));
            let _ = in6_pton(&s[n..], None);
            let _ = in4_pton(&s[n..], Some(b'|'));
        }
    }
}
