//! IPv6 header (RFC 8200) and the extension-header walk.
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |Version| Traffic Class |           Flow Label                  |
//! |         Payload Length        |  Next Header  |   Hop Limit   |
//! |                     Source Address (16)                       |
//! |                  Destination Address (16)                     |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! [`skip_exthdr`] is `ipv6_skip_exthdr()`: it walks hop-by-hop, routing,
//! fragment, destination-options and AH headers to the upper-layer protocol
//! exactly as conntrack does (stopping at a non-first fragment, failing on
//! No Next Header).

use super::{Error, Field, Result, be16, be32, header_at, ip_proto};
use std::net::Ipv6Addr;

mod field {
    use super::Field;
    pub const VER_TC_FLOW: Field = 0..4;
    pub const LENGTH: Field = 4..6;
    pub const NXT_HDR: usize = 6;
    pub const HOP_LIMIT: usize = 7;
    pub const SRC: Field = 8..24;
    pub const DST: Field = 24..40;
    pub const PAYLOAD: usize = 40;
}

pub const HEADER_LEN: usize = field::PAYLOAD;

#[derive(Debug, Clone, Copy)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    pub const fn new_unchecked(buffer: T) -> Self {
        Packet { buffer }
    }

    pub fn new_checked(buffer: T) -> Result<Self> {
        let p = Self::new_unchecked(buffer);
        p.check_len()?;
        Ok(p)
    }

    pub fn check_len(&self) -> Result<()> {
        if self.buffer.as_ref().len() < HEADER_LEN {
            Err(Error::Truncated)
        } else {
            Ok(())
        }
    }

    pub fn version(&self) -> u8 {
        self.buffer.as_ref()[0] >> 4
    }

    pub fn traffic_class(&self) -> u8 {
        ((be32(self.buffer.as_ref(), field::VER_TC_FLOW.start) >> 20) & 0xff) as u8
    }

    pub fn flow_label(&self) -> u32 {
        be32(self.buffer.as_ref(), field::VER_TC_FLOW.start) & 0x000f_ffff
    }

    pub fn payload_len(&self) -> u16 {
        be16(self.buffer.as_ref(), field::LENGTH.start)
    }

    pub fn next_header(&self) -> u8 {
        self.buffer.as_ref()[field::NXT_HDR]
    }

    pub fn hop_limit(&self) -> u8 {
        self.buffer.as_ref()[field::HOP_LIMIT]
    }

    pub fn src_bytes(&self) -> [u8; 16] {
        let mut a = [0; 16];
        a.copy_from_slice(&self.buffer.as_ref()[field::SRC]);
        a
    }

    pub fn dst_bytes(&self) -> [u8; 16] {
        let mut a = [0; 16];
        a.copy_from_slice(&self.buffer.as_ref()[field::DST]);
        a
    }

    pub fn src_addr(&self) -> Ipv6Addr {
        self.src_bytes().into()
    }

    pub fn dst_addr(&self) -> Ipv6Addr {
        self.dst_bytes().into()
    }

    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[HEADER_LEN..]
    }
}

/// True for the headers `ipv6_ext_hdr()` treats as extension headers.
pub fn is_ext_hdr(nexthdr: u8) -> bool {
    matches!(
        nexthdr,
        ip_proto::HOPOPTS
            | ip_proto::ROUTING
            | ip_proto::FRAGMENT
            | ip_proto::AH
            | ip_proto::NONE
            | ip_proto::DSTOPTS
    )
}

/// Where the upper-layer header starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpperLayer {
    /// Offset of the upper-layer header from the start of the IPv6 header.
    pub offset: usize,
    /// The upper-layer protocol (or the header the walk stopped at).
    pub protocol: u8,
    /// The fragment-offset field (offset and M flag, host order) of the last
    /// fragment header met, 0 when there was none.
    pub frag_off: u16,
}

/// `ipv6_skip_exthdr()` over a whole IPv6 packet (`pkt` starts at the fixed
/// header). `None` when a header cannot be read or the chain ends in No Next
/// Header; the walk stops early at a fragment header with a non-zero offset.
pub fn skip_exthdr(pkt: &[u8]) -> Option<UpperLayer> {
    let mut nexthdr = *pkt.get(field::NXT_HDR)?;
    let mut start = HEADER_LEN;
    let mut frag_off = 0u16;
    while is_ext_hdr(nexthdr) {
        if nexthdr == ip_proto::NONE {
            return None;
        }
        let hp = header_at(pkt, start, 2)?;
        let hdrlen = if nexthdr == ip_proto::FRAGMENT {
            let fo = header_at(pkt, start + 2, 2)?;
            frag_off = u16::from_be_bytes([fo[0], fo[1]]);
            if frag_off & !0x7 != 0 {
                break;
            }
            8
        } else if nexthdr == ip_proto::AH {
            (usize::from(hp[1]) + 2) << 2
        } else {
            (usize::from(hp[1]) + 1) << 3
        };
        nexthdr = hp[0];
        start += hdrlen;
    }
    Some(UpperLayer {
        offset: start,
        protocol: nexthdr,
        frag_off,
    })
}

/// An IPv6 Fragment header (RFC 8200 section 4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FragmentHeader {
    pub next_header: u8,
    /// Offset of the fragment in bytes.
    pub offset: u32,
    pub more: bool,
    pub ident: u32,
}

impl FragmentHeader {
    pub const LEN: usize = 8;

    pub fn parse(b: &[u8]) -> Result<FragmentHeader> {
        let b = b.get(..Self::LEN).ok_or(Error::Truncated)?;
        let fo = be16(b, 2);
        Ok(FragmentHeader {
            next_header: b[0],
            offset: u32::from(fo & !0x7),
            more: fo & 1 != 0,
            ident: be32(b, 4),
        })
    }
}

/// One extension header met on the way to the upper layer, for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtHeader {
    pub kind: u8,
    pub offset: usize,
    pub len: usize,
}

/// The extension headers of a packet, in order (at most `N`), for display
/// and for finding a Fragment header; same rules as [`skip_exthdr`].
pub fn ext_headers<const N: usize>(pkt: &[u8]) -> ([Option<ExtHeader>; N], usize) {
    let mut out = [None; N];
    let mut n = 0;
    let Some(&first) = pkt.get(field::NXT_HDR) else {
        return (out, 0);
    };
    let mut nexthdr = first;
    let mut start = HEADER_LEN;
    while is_ext_hdr(nexthdr) && nexthdr != ip_proto::NONE && n < N {
        let Some(hp) = header_at(pkt, start, 2) else {
            break;
        };
        let len = match nexthdr {
            ip_proto::FRAGMENT => FragmentHeader::LEN,
            ip_proto::AH => (usize::from(hp[1]) + 2) << 2,
            _ => (usize::from(hp[1]) + 1) << 3,
        };
        out[n] = Some(ExtHeader {
            kind: nexthdr,
            offset: start,
            len,
        });
        n += 1;
        if nexthdr == ip_proto::FRAGMENT {
            let off = header_at(pkt, start + 2, 2).map(|b| be16(b, 0) & !0x7);
            if off != Some(0) {
                break;
            }
        }
        nexthdr = hp[0];
        start += len;
    }
    (out, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkt(next: u8, ext: &[u8], upper: &[u8]) -> Vec<u8> {
        let mut p = vec![0x60, 0, 0, 0];
        let plen = (ext.len() + upper.len()) as u16;
        p.extend_from_slice(&plen.to_be_bytes());
        p.push(next);
        p.push(64);
        p.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        p.extend_from_slice(&[0; 11]);
        p.push(1);
        p.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        p.extend_from_slice(&[0; 11]);
        p.push(2);
        p.extend_from_slice(ext);
        p.extend_from_slice(upper);
        p
    }

    #[test]
    fn fixed_header() {
        let p = pkt(17, &[], &[0; 8]);
        let v = Packet::new_checked(&p[..]).unwrap();
        assert_eq!(v.version(), 6);
        assert_eq!(v.payload_len(), 8);
        assert_eq!(v.next_header(), 17);
        assert_eq!(v.hop_limit(), 64);
        assert_eq!(v.src_addr(), "2001:db8::1".parse::<Ipv6Addr>().unwrap());
        assert_eq!(v.dst_addr(), "2001:db8::2".parse::<Ipv6Addr>().unwrap());
    }

    #[test]
    fn walks_hop_by_hop_dest_and_ah() {
        // HBH (8 bytes) -> DSTOPTS (16 bytes) -> AH (len 4 => 24 bytes) -> UDP
        let mut ext = vec![60, 0, 1, 4, 0, 0, 0, 0];
        ext.extend_from_slice(&[51, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        ext.extend_from_slice(&[17, 4, 0, 0]);
        ext.extend_from_slice(&[0; 20]);
        let p = pkt(0, &ext, &[0; 8]);
        let up = skip_exthdr(&p).unwrap();
        assert_eq!(up.protocol, 17);
        assert_eq!(up.offset, 40 + 8 + 16 + 24);
        let (hs, n) = ext_headers::<8>(&p);
        assert_eq!(n, 3);
        assert_eq!(hs[2].unwrap().kind, 51);
    }

    #[test]
    fn no_next_header_fails() {
        let p = pkt(59, &[], &[]);
        assert_eq!(skip_exthdr(&p), None);
    }

    #[test]
    fn stops_at_non_first_fragment() {
        let frag = [17, 0, 0x05, 0xa9, 0, 0, 0, 7]; // offset 1448, M=1
        let p = pkt(44, &frag, &[0; 8]);
        let up = skip_exthdr(&p).unwrap();
        assert_eq!(up.protocol, 44);
        assert_eq!(up.offset, 40);
        assert_eq!(up.frag_off, 0x05a9);
        let f = FragmentHeader::parse(&frag).unwrap();
        assert_eq!((f.offset, f.more, f.ident), (1448, true, 7));
    }

    #[test]
    fn first_fragment_is_walked_through() {
        let frag = [17, 0, 0x00, 0x01, 0, 0, 0, 7];
        let p = pkt(44, &frag, &[0; 8]);
        let up = skip_exthdr(&p).unwrap();
        assert_eq!((up.protocol, up.offset, up.frag_off), (17, 48, 1));
    }

    #[test]
    fn truncated_chain() {
        let p = pkt(0, &[], &[]);
        assert_eq!(skip_exthdr(&p), None);
    }
}
