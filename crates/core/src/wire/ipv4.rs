//! IPv4 header (RFC 791), options included.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |Version|  IHL  |Type of Service|          Total Length         |
//! |         Identification        |Flags|      Fragment Offset    |
//! |  Time to Live |    Protocol   |         Header Checksum       |
//! |                       Source Address                          |
//! |                    Destination Address                        |
//! |                    Options                    |    Padding    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use super::{Error, Field, Result, be16, checksum};
use std::net::Ipv4Addr;

mod field {
    use super::Field;
    pub const VER_IHL: usize = 0;
    pub const TOS: usize = 1;
    pub const LENGTH: Field = 2..4;
    pub const IDENT: Field = 4..6;
    pub const FLG_OFF: Field = 6..8;
    pub const TTL: usize = 8;
    pub const PROTOCOL: usize = 9;
    pub const CHECKSUM: Field = 10..12;
    pub const SRC: Field = 12..16;
    pub const DST: Field = 16..20;
    pub const OPTIONS: usize = 20;
}

pub const MIN_HEADER_LEN: usize = field::OPTIONS;

/// Fragment flags and the 13-bit offset field (in 8-byte units).
pub const FLAG_DF: u16 = 0x4000;
pub const FLAG_MF: u16 = 0x2000;
pub const OFFSET_MASK: u16 = 0x1fff;

/// A borrowed IPv4 packet. `new_checked` guarantees the buffer holds the
/// whole header (IHL words, at least 5); the total-length field is not
/// trusted by any accessor.
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
        let b = self.buffer.as_ref();
        if b.len() < MIN_HEADER_LEN {
            return Err(Error::Truncated);
        }
        let hl = usize::from(b[field::VER_IHL] & 0x0f) * 4;
        if hl < MIN_HEADER_LEN {
            return Err(Error::Malformed("IHL below 5"));
        }
        if b.len() < hl {
            return Err(Error::Truncated);
        }
        Ok(())
    }

    pub fn version(&self) -> u8 {
        self.buffer.as_ref()[field::VER_IHL] >> 4
    }

    /// Header length in bytes (IHL * 4).
    pub fn header_len(&self) -> usize {
        usize::from(self.buffer.as_ref()[field::VER_IHL] & 0x0f) * 4
    }

    pub fn tos(&self) -> u8 {
        self.buffer.as_ref()[field::TOS]
    }

    pub fn total_len(&self) -> u16 {
        be16(self.buffer.as_ref(), field::LENGTH.start)
    }

    pub fn ident(&self) -> u16 {
        be16(self.buffer.as_ref(), field::IDENT.start)
    }

    fn flags_offset(&self) -> u16 {
        be16(self.buffer.as_ref(), field::FLG_OFF.start)
    }

    pub fn dont_frag(&self) -> bool {
        self.flags_offset() & FLAG_DF != 0
    }

    pub fn more_frags(&self) -> bool {
        self.flags_offset() & FLAG_MF != 0
    }

    /// Fragment offset in bytes.
    pub fn frag_offset(&self) -> u32 {
        u32::from(self.flags_offset() & OFFSET_MASK) * 8
    }

    /// True for any fragment (first included): MF set or a non-zero offset.
    pub fn is_fragment(&self) -> bool {
        self.flags_offset() & (FLAG_MF | OFFSET_MASK) != 0
    }

    pub fn ttl(&self) -> u8 {
        self.buffer.as_ref()[field::TTL]
    }

    pub fn protocol(&self) -> u8 {
        self.buffer.as_ref()[field::PROTOCOL]
    }

    pub fn checksum(&self) -> u16 {
        be16(self.buffer.as_ref(), field::CHECKSUM.start)
    }

    pub fn src_addr(&self) -> Ipv4Addr {
        self.src_bytes().into()
    }

    pub fn dst_addr(&self) -> Ipv4Addr {
        self.dst_bytes().into()
    }

    pub fn src_bytes(&self) -> [u8; 4] {
        let b = &self.buffer.as_ref()[field::SRC];
        [b[0], b[1], b[2], b[3]]
    }

    pub fn dst_bytes(&self) -> [u8; 4] {
        let b = &self.buffer.as_ref()[field::DST];
        [b[0], b[1], b[2], b[3]]
    }

    /// `ip_fast_csum()`: the header checksums to zero.
    pub fn verify_checksum(&self) -> bool {
        checksum::checksum(&self.buffer.as_ref()[..self.header_len()]) == 0
    }

    /// The checksum the header should carry.
    pub fn compute_checksum(&self) -> u16 {
        let h = &self.buffer.as_ref()[..self.header_len()];
        let acc = checksum::sum(0, &h[..field::CHECKSUM.start]);
        checksum::fold(checksum::sum(acc, &h[field::CHECKSUM.end..]))
    }

    pub fn options(&self) -> Options<'_> {
        Options {
            rest: &self.buffer.as_ref()[field::OPTIONS..self.header_len()],
        }
    }

    /// Everything after the header, up to the end of the buffer.
    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[self.header_len()..]
    }
}

/// One IPv4 option (RFC 791 section 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpOption<'a> {
    EndOfList,
    Nop,
    /// Any other option: its type and data (after type and length).
    Other {
        kind: u8,
        data: &'a [u8],
    },
    /// An option whose length runs past the header.
    Malformed {
        kind: u8,
    },
}

/// Iterator over the options of a header.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Options<'a> {
    type Item = IpOption<'a>;

    fn next(&mut self) -> Option<IpOption<'a>> {
        let (&kind, after) = self.rest.split_first()?;
        match kind {
            0 => {
                self.rest = &[];
                Some(IpOption::EndOfList)
            }
            1 => {
                self.rest = after;
                Some(IpOption::Nop)
            }
            _ => {
                let len = after.first().map(|&l| usize::from(l));
                match len {
                    Some(len) if len >= 2 && len <= self.rest.len() => {
                        let data = &self.rest[2..len];
                        self.rest = &self.rest[len..];
                        Some(IpOption::Other { kind, data })
                    }
                    _ => {
                        self.rest = &[];
                        Some(IpOption::Malformed { kind })
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Vec<u8> {
        vec![
            0x46, 0x00, 0x00, 0x20, 0x12, 0x34, 0x20, 0x01, 0x40, 0x11, 0x00, 0x00, 192, 0, 2, 1,
            198, 51, 100, 2, // options: NOP, router alert (4 bytes)... padded to 4
            0x94, 0x04, 0x00, 0x00, // payload
            1, 2, 3, 4, 5, 6, 7, 8,
        ]
    }

    #[test]
    fn fields() {
        let mut b = header();
        let p = Packet::new_checked(&b[..]).unwrap();
        assert_eq!(p.version(), 4);
        assert_eq!(p.header_len(), 24);
        assert_eq!(p.total_len(), 32);
        assert_eq!(p.ident(), 0x1234);
        assert!(p.more_frags());
        assert!(!p.dont_frag());
        assert_eq!(p.frag_offset(), 8);
        assert!(p.is_fragment());
        assert_eq!(p.ttl(), 64);
        assert_eq!(p.protocol(), 17);
        assert_eq!(p.src_addr(), Ipv4Addr::new(192, 0, 2, 1));
        assert_eq!(p.dst_addr(), Ipv4Addr::new(198, 51, 100, 2));
        assert_eq!(p.payload().len(), 8);
        let opts: Vec<_> = p.options().collect();
        assert_eq!(
            opts,
            vec![IpOption::Other {
                kind: 0x94,
                data: &[0, 0]
            }]
        );
        let c = p.compute_checksum();
        b[10..12].copy_from_slice(&c.to_be_bytes());
        assert!(Packet::new_checked(&b[..]).unwrap().verify_checksum());
    }

    #[test]
    fn rejects_short_and_bad_ihl() {
        assert_eq!(
            Packet::new_checked(&[0x45u8; 19][..]).unwrap_err(),
            Error::Truncated
        );
        let mut b = header();
        b[0] = 0x44;
        assert!(matches!(
            Packet::new_checked(&b[..]),
            Err(Error::Malformed(_))
        ));
        b[0] = 0x4f; // 60-byte header in a 32-byte buffer
        assert_eq!(Packet::new_checked(&b[..]).unwrap_err(), Error::Truncated);
    }

    #[test]
    fn malformed_option_stops() {
        let mut b = header();
        b[20..24].copy_from_slice(&[0x01, 0x07, 0x09, 0x00]);
        let p = Packet::new_checked(&b[..]).unwrap();
        let opts: Vec<_> = p.options().collect();
        assert_eq!(opts, vec![IpOption::Nop, IpOption::Malformed { kind: 7 }]);
    }
}
