//! TCP header (RFC 9293) and its options.
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Source Port          |       Destination Port        |
//! |                        Sequence Number                        |
//! |                    Acknowledgment Number                      |
//! |  Data |       |C|E|U|A|P|R|S|F|                               |
//! | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
//! |           Checksum            |         Urgent Pointer        |
//! |                           [Options]                           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use super::{Error, Field, Result, be16, be32};

mod field {
    use super::Field;
    pub const SRC_PORT: Field = 0..2;
    pub const DST_PORT: Field = 2..4;
    pub const SEQ: Field = 4..8;
    pub const ACK: Field = 8..12;
    pub const DATA_OFF: usize = 12;
    pub const FLAGS: usize = 13;
    pub const WINDOW: Field = 14..16;
    pub const CHECKSUM: Field = 16..18;
    pub const URGENT: Field = 18..20;
    pub const OPTIONS: usize = 20;
}

pub const MIN_HEADER_LEN: usize = field::OPTIONS;

/// The flag bits of byte 13.
pub mod flags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
    pub const URG: u8 = 0x20;
    pub const ECE: u8 = 0x40;
    pub const CWR: u8 = 0x80;
}

/// A borrowed TCP header. `new_checked` guarantees the fixed 20 bytes and the
/// options the data offset announces are present.
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
        let hl = self.header_len();
        if hl < MIN_HEADER_LEN {
            return Err(Error::Malformed("data offset below 5"));
        }
        if b.len() < hl {
            return Err(Error::Truncated);
        }
        Ok(())
    }

    pub fn src_port(&self) -> u16 {
        be16(self.buffer.as_ref(), field::SRC_PORT.start)
    }

    pub fn dst_port(&self) -> u16 {
        be16(self.buffer.as_ref(), field::DST_PORT.start)
    }

    pub fn seq_number(&self) -> u32 {
        be32(self.buffer.as_ref(), field::SEQ.start)
    }

    pub fn ack_number(&self) -> u32 {
        be32(self.buffer.as_ref(), field::ACK.start)
    }

    /// Header length in bytes (data offset * 4).
    pub fn header_len(&self) -> usize {
        usize::from(self.buffer.as_ref()[field::DATA_OFF] >> 4) * 4
    }

    /// The eight flag bits (CWR..FIN).
    pub fn flags(&self) -> u8 {
        self.buffer.as_ref()[field::FLAGS]
    }

    pub fn window_len(&self) -> u16 {
        be16(self.buffer.as_ref(), field::WINDOW.start)
    }

    pub fn checksum(&self) -> u16 {
        be16(self.buffer.as_ref(), field::CHECKSUM.start)
    }

    pub fn urgent_at(&self) -> u16 {
        be16(self.buffer.as_ref(), field::URGENT.start)
    }

    pub fn options(&self) -> Options<'_> {
        Options {
            rest: &self.buffer.as_ref()[field::OPTIONS..self.header_len()],
        }
    }

    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[self.header_len()..]
    }
}

/// One TCP option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcpOption<'a> {
    EndOfList,
    Nop,
    MaxSegmentSize(u16),
    WindowScale(u8),
    SackPermitted,
    /// SACK blocks as (left, right) edges; up to 4 fit in 40 bytes.
    Sack([Option<(u32, u32)>; 4]),
    Timestamps {
        value: u32,
        echo: u32,
    },
    Unknown {
        kind: u8,
        data: &'a [u8],
    },
    /// An option whose length is impossible; parsing stops after it.
    Malformed {
        kind: u8,
    },
}

#[derive(Debug, Clone)]
pub struct Options<'a> {
    rest: &'a [u8],
}

impl<'a> Options<'a> {
    pub fn new(rest: &'a [u8]) -> Self {
        Options { rest }
    }
}

impl<'a> Iterator for Options<'a> {
    type Item = TcpOption<'a>;

    fn next(&mut self) -> Option<TcpOption<'a>> {
        let (&kind, after) = self.rest.split_first()?;
        match kind {
            0 => {
                self.rest = &[];
                return Some(TcpOption::EndOfList);
            }
            1 => {
                self.rest = after;
                return Some(TcpOption::Nop);
            }
            _ => {}
        }
        let len = match after.first() {
            Some(&l) if l >= 2 && usize::from(l) <= self.rest.len() => usize::from(l),
            _ => {
                self.rest = &[];
                return Some(TcpOption::Malformed { kind });
            }
        };
        let data = &self.rest[2..len];
        self.rest = &self.rest[len..];
        Some(match (kind, data.len()) {
            (2, 2) => TcpOption::MaxSegmentSize(be16(data, 0)),
            (3, 1) => TcpOption::WindowScale(data[0]),
            (4, 0) => TcpOption::SackPermitted,
            (5, n) if n % 8 == 0 && n > 0 => {
                let mut blocks = [None; 4];
                for (i, c) in data.chunks_exact(8).take(4).enumerate() {
                    blocks[i] = Some((be32(c, 0), be32(c, 4)));
                }
                TcpOption::Sack(blocks)
            }
            (8, 8) => TcpOption::Timestamps {
                value: be32(data, 0),
                echo: be32(data, 4),
            },
            (2..=5 | 8, _) => TcpOption::Malformed { kind },
            _ => TcpOption::Unknown { kind, data },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYN: [u8; 40] = [
        0xa0, 0x6c, 0x00, 0x50, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0, 0xa0, 0x02, 0xfa, 0xf0, 0, 0,
        0, 0, 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
    ];

    #[test]
    fn syn_fields_and_options() {
        let p = Packet::new_checked(&SYN[..]).unwrap();
        assert_eq!(p.src_port(), 41068);
        assert_eq!(p.dst_port(), 80);
        assert_eq!(p.seq_number(), 0x12345678);
        assert_eq!(p.header_len(), 40);
        assert_eq!(p.flags(), flags::SYN);
        assert_eq!(p.window_len(), 64240);
        let o: Vec<_> = p.options().collect();
        assert_eq!(
            o,
            vec![
                TcpOption::MaxSegmentSize(1460),
                TcpOption::SackPermitted,
                TcpOption::Timestamps { value: 1, echo: 0 },
                TcpOption::Nop,
                TcpOption::WindowScale(7),
            ]
        );
        assert!(p.payload().is_empty());
    }

    #[test]
    fn data_offset_checks() {
        let mut b = SYN;
        b[12] = 0x40;
        assert!(matches!(
            Packet::new_checked(&b[..]),
            Err(Error::Malformed(_))
        ));
        b[12] = 0xf0;
        assert_eq!(Packet::new_checked(&b[..]).unwrap_err(), Error::Truncated);
        assert_eq!(Packet::new_checked(&b[..19]).unwrap_err(), Error::Truncated);
    }

    #[test]
    fn sack_and_malformed() {
        let raw = [5, 10, 0, 0, 0, 1, 0, 0, 0, 9, 3, 9, 1];
        let o: Vec<_> = Options::new(&raw).collect();
        assert_eq!(
            o,
            vec![
                TcpOption::Sack([Some((1, 9)), None, None, None]),
                TcpOption::Malformed { kind: 3 },
            ]
        );
    }
}
