//! DCCP generic header (RFC 4340 section 5.1).
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Source Port          |           Dest Port           |
//! |  Data Offset  | CCVal | CsCov |           Checksum            |
//! |     |       |X|               |                               .
//! | Res | Type  |=|   Reserved    |  Sequence Number (high bits)  .
//! |     |       |1|               |                               .
//! .                  Sequence Number (low bits)                   |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use super::{Error, Field, Result, be16};

mod field {
    use super::Field;
    pub const SRC_PORT: Field = 0..2;
    pub const DST_PORT: Field = 2..4;
    pub const DATA_OFF: usize = 4;
    pub const CCVAL_CSCOV: usize = 5;
    pub const CHECKSUM: Field = 6..8;
    pub const TYPE_X: usize = 8;
}

/// The generic header with short (24-bit) sequence numbers.
pub const MIN_HEADER_LEN: usize = 12;

/// Packet types (RFC 4340 section 5.1).
pub mod types {
    pub const REQUEST: u8 = 0;
    pub const RESPONSE: u8 = 1;
    pub const DATA: u8 = 2;
    pub const ACK: u8 = 3;
    pub const DATAACK: u8 = 4;
    pub const CLOSEREQ: u8 = 5;
    pub const CLOSE: u8 = 6;
    pub const RESET: u8 = 7;
    pub const SYNC: u8 = 8;
    pub const SYNCACK: u8 = 9;
}

pub fn type_name(kind: u8) -> &'static str {
    match kind {
        types::REQUEST => "Request",
        types::RESPONSE => "Response",
        types::DATA => "Data",
        types::ACK => "Ack",
        types::DATAACK => "DataAck",
        types::CLOSEREQ => "CloseReq",
        types::CLOSE => "Close",
        types::RESET => "Reset",
        types::SYNC => "Sync",
        types::SYNCACK => "SyncAck",
        _ => "Invalid",
    }
}

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
        let b = p.buffer.as_ref();
        if b.len() < MIN_HEADER_LEN {
            return Err(Error::Truncated);
        }
        if p.extended_seq() && b.len() < 16 {
            return Err(Error::Truncated);
        }
        Ok(p)
    }

    pub fn src_port(&self) -> u16 {
        be16(self.buffer.as_ref(), field::SRC_PORT.start)
    }

    pub fn dst_port(&self) -> u16 {
        be16(self.buffer.as_ref(), field::DST_PORT.start)
    }

    /// Data offset in bytes.
    pub fn header_len(&self) -> usize {
        usize::from(self.buffer.as_ref()[field::DATA_OFF]) * 4
    }

    pub fn checksum_coverage(&self) -> u8 {
        self.buffer.as_ref()[field::CCVAL_CSCOV] & 0x0f
    }

    pub fn checksum(&self) -> u16 {
        be16(self.buffer.as_ref(), field::CHECKSUM.start)
    }

    pub fn packet_type(&self) -> u8 {
        (self.buffer.as_ref()[field::TYPE_X] >> 1) & 0x0f
    }

    /// X bit: 48-bit sequence numbers.
    pub fn extended_seq(&self) -> bool {
        self.buffer.as_ref()[field::TYPE_X] & 1 != 0
    }

    pub fn seq_number(&self) -> u64 {
        let b = self.buffer.as_ref();
        if self.extended_seq() {
            b[10..16].iter().fold(0u64, |a, &x| (a << 8) | u64::from(x))
        } else {
            b[9..12].iter().fold(0u64, |a, &x| (a << 8) | u64::from(x))
        }
    }

    /// `__dccp_basic_hdr_len()`: the generic header, 12 bytes, or 16 with
    /// the X bit.
    pub fn basic_header_len(&self) -> usize {
        if self.extended_seq() {
            MIN_HEADER_LEN + 4
        } else {
            MIN_HEADER_LEN
        }
    }

    /// The acknowledgement number as Linux reads it (`dccp_ack_seq()`):
    /// always the 48-bit layout of `struct dccp_hdr_ack_bits` (2 reserved
    /// bytes, 16 high bits, 32 low bits) right after the generic header,
    /// whatever the X bit says. `None` when the buffer ends before it.
    pub fn ack_number(&self) -> Option<u64> {
        let b = self.buffer.as_ref();
        let at = self.basic_header_len() + 2;
        let a = b.get(at..at + 6)?;
        Some(a.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
    }
}

/// `dccp_packet_hdr_len()`: bytes of the type-specific subheader after the
/// generic header (Request 4, Response and Reset 12, Data 0, the others
/// the 8-byte acknowledgement subheader). Types 10..15 count as Reset, as
/// in the kernel.
pub const fn subheader_len(kind: u8) -> usize {
    match kind {
        types::DATA => 0,
        types::DATAACK
        | types::ACK
        | types::SYNC
        | types::SYNCACK
        | types::CLOSE
        | types::CLOSEREQ => 8,
        types::REQUEST => 4,
        types::RESPONSE => 12,
        _ => 12,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_with_extended_seq() {
        let b = [
            0x13, 0x88, 0x00, 0x50, 5, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 42,
        ];
        let p = Packet::new_checked(&b[..]).unwrap();
        assert_eq!(p.packet_type(), types::REQUEST);
        assert!(p.extended_seq());
        assert_eq!(p.seq_number(), 42);
        assert_eq!(p.header_len(), 20);
        assert!(Packet::new_checked(&b[..13]).is_err());
        assert_eq!(p.basic_header_len(), 16);
        assert_eq!(p.ack_number(), None);
        assert_eq!(subheader_len(types::REQUEST), 4);
        assert_eq!(subheader_len(types::RESPONSE), 12);
        assert_eq!(subheader_len(types::DATA), 0);
        assert_eq!(subheader_len(types::SYNCACK), 8);
        assert_eq!(subheader_len(15), 12);
    }

    #[test]
    fn ack_number_reads_the_long_layout() {
        // Ack with short sequence numbers: the kernel still reads 8 bytes
        // of dccp_hdr_ack_bits after the 12-byte header.
        let mut b = [0u8; 20];
        b[4] = 5;
        b[8] = types::ACK << 1;
        b[14..20].copy_from_slice(&[0, 1, 0, 0, 0, 2]);
        let p = Packet::new_checked(&b[..]).unwrap();
        assert_eq!(p.basic_header_len(), 12);
        assert_eq!(p.ack_number(), Some((1 << 32) + 2));
    }
}
