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
    }
}
