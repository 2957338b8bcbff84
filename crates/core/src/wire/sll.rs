//! Linux "cooked" capture header, version 1 (LINKTYPE_LINUX_SLL, 113).
//!
//! ```text
//!  0      2      4      6              14     16
//!  +------+------+------+--------------+------+
//!  |pkttyp|hatype| halen| address (8)  | proto|
//!  +------+------+------+--------------+------+
//! ```
//! `proto` is an EtherType for the packet types conntrack cares about.

use super::{Error, Field, Result, be16};

mod field {
    use super::Field;
    pub const PKTTYPE: Field = 0..2;
    pub const HATYPE: Field = 2..4;
    pub const HALEN: Field = 4..6;
    pub const ADDR: Field = 6..14;
    pub const PROTOCOL: Field = 14..16;
    pub const PAYLOAD: usize = 16;
}

pub const HEADER_LEN: usize = field::PAYLOAD;

#[derive(Debug, Clone, Copy)]
pub struct Header<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Header<T> {
    pub const fn new_unchecked(buffer: T) -> Self {
        Header { buffer }
    }

    pub fn new_checked(buffer: T) -> Result<Self> {
        let h = Self::new_unchecked(buffer);
        h.check_len()?;
        Ok(h)
    }

    pub fn check_len(&self) -> Result<()> {
        if self.buffer.as_ref().len() < HEADER_LEN {
            Err(Error::Truncated)
        } else {
            Ok(())
        }
    }

    /// 0 to us, 1 broadcast, 2 multicast, 3 to someone else, 4 sent by us.
    pub fn packet_type(&self) -> u16 {
        be16(self.buffer.as_ref(), field::PKTTYPE.start)
    }

    pub fn hardware_type(&self) -> u16 {
        be16(self.buffer.as_ref(), field::HATYPE.start)
    }

    pub fn address(&self) -> &[u8] {
        let b = self.buffer.as_ref();
        let len = usize::from(be16(b, field::HALEN.start)).min(8);
        &b[field::ADDR.start..field::ADDR.start + len]
    }

    pub fn protocol(&self) -> u16 {
        be16(self.buffer.as_ref(), field::PROTOCOL.start)
    }

    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[field::PAYLOAD..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fields() {
        let mut b = vec![0, 4, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00];
        b.extend_from_slice(&[0x45]);
        let h = Header::new_checked(&b[..]).unwrap();
        assert_eq!(h.packet_type(), 4);
        assert_eq!(h.hardware_type(), 1);
        assert_eq!(h.address(), &[1, 2, 3, 4, 5, 6]);
        assert_eq!(h.protocol(), 0x0800);
        assert_eq!(h.payload(), &[0x45]);
    }

    #[test]
    fn oversized_halen_is_clamped() {
        let b = [0, 0, 0, 1, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 0x86, 0xdd];
        let h = Header::new_checked(&b[..]).unwrap();
        assert_eq!(h.address().len(), 8);
    }

    #[test]
    fn short() {
        assert!(Header::new_checked(&[0u8; 15][..]).is_err());
    }
}
