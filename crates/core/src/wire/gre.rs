//! GRE headers: RFC 2784/2890 (version 0) and the enhanced GRE of PPTP
//! (RFC 2637, version 1), whose key field carries payload length and call id.
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
//! |    Checksum (optional, v0)    |       Reserved1 (optional)    |
//! |           Key (optional)  -- v1: Payload Length | Call ID     |
//! |                 Sequence Number (optional)                    |
//! |           Acknowledgment Number (optional, v1)                |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use super::{Error, Field, Result, be16, be32};

mod field {
    use super::Field;
    pub const FLAGS_VER: Field = 0..2;
    pub const PROTOCOL: Field = 2..4;
    pub const OPTIONAL: usize = 4;
}

pub const BASE_LEN: usize = field::OPTIONAL;

pub const FLAG_CSUM: u16 = 0x8000;
pub const FLAG_ROUTING: u16 = 0x4000;
pub const FLAG_KEY: u16 = 0x2000;
pub const FLAG_SEQ: u16 = 0x1000;
pub const FLAG_ACK: u16 = 0x0080;
pub const VERSION_MASK: u16 = 0x0007;

/// The PPP EtherType enhanced GRE carries (`GRE_PROTO_PPP`).
pub const PROTO_PPP: u16 = 0x880b;

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
        if p.buffer.as_ref().len() < BASE_LEN {
            return Err(Error::Truncated);
        }
        Ok(p)
    }

    pub fn flags(&self) -> u16 {
        be16(self.buffer.as_ref(), field::FLAGS_VER.start) & !VERSION_MASK
    }

    pub fn version(&self) -> u8 {
        (be16(self.buffer.as_ref(), field::FLAGS_VER.start) & VERSION_MASK) as u8
    }

    pub fn protocol(&self) -> u16 {
        be16(self.buffer.as_ref(), field::PROTOCOL.start)
    }

    /// Version 0: the key, when the K bit is set and it is present.
    pub fn key(&self) -> Option<u32> {
        if self.flags() & FLAG_KEY == 0 {
            return None;
        }
        let off = BASE_LEN + if self.flags() & FLAG_CSUM != 0 { 4 } else { 0 };
        let b = self.buffer.as_ref();
        (b.len() >= off + 4).then(|| be32(b, off))
    }

    /// Version 1 (PPTP): the call id, bytes 6..8 of the header.
    pub fn call_id(&self) -> Option<u16> {
        let b = self.buffer.as_ref();
        (b.len() >= 8).then(|| be16(b, 6))
    }

    /// Version 1: the payload-length half of the key field.
    pub fn pptp_payload_len(&self) -> Option<u16> {
        let b = self.buffer.as_ref();
        (b.len() >= 8).then(|| be16(b, 4))
    }
}

/// Length of the header a GRE packet announces, when its flags allow one.
pub fn header_len(flags: u16, version: u8) -> core::result::Result<usize, Error> {
    if flags & FLAG_ROUTING != 0 {
        return Err(Error::Malformed("GRE source routing"));
    }
    let mut n = BASE_LEN;
    if flags & FLAG_CSUM != 0 {
        n += 4;
    }
    if flags & FLAG_KEY != 0 {
        n += 4;
    }
    if flags & FLAG_SEQ != 0 {
        n += 4;
    }
    if version == 1 && flags & FLAG_ACK != 0 {
        n += 4;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v0_with_key() {
        let b = [0x20, 0x00, 0x08, 0x00, 0, 0, 0, 9];
        let p = Packet::new_checked(&b[..]).unwrap();
        assert_eq!(p.version(), 0);
        assert_eq!(p.key(), Some(9));
        assert_eq!(header_len(p.flags(), p.version()), Ok(8));
    }

    #[test]
    fn v1_pptp() {
        let b = [
            0x30, 0x81, 0x88, 0x0b, 0, 20, 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0,
        ];
        let p = Packet::new_checked(&b[..]).unwrap();
        assert_eq!(p.version(), 1);
        assert_eq!(p.protocol(), PROTO_PPP);
        assert_eq!(p.call_id(), Some(0x1234));
        assert_eq!(p.pptp_payload_len(), Some(20));
        assert_eq!(header_len(p.flags(), 1), Ok(16));
        assert!(Packet::new_checked(&b[..3]).is_err());
    }
}
