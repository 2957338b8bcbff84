//! Linux "cooked" capture header, version 2 (LINKTYPE_LINUX_SLL2, 276).
//!
//! ```text
//!  0      2      4          8      10  11  12             20
//!  +------+------+----------+------+---+---+--------------+
//!  | proto| rsvd | ifindex  |hatype|pkt|hal| address (8)  |
//!  +------+------+----------+------+---+---+--------------+
//! ```

use super::{Error, Field, Result, be16, be32};

mod field {
    use super::Field;
    pub const PROTOCOL: Field = 0..2;
    pub const IFINDEX: Field = 4..8;
    pub const HATYPE: Field = 8..10;
    pub const PKTTYPE: usize = 10;
    pub const HALEN: usize = 11;
    pub const ADDR: Field = 12..20;
    pub const PAYLOAD: usize = 20;
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

    pub fn protocol(&self) -> u16 {
        be16(self.buffer.as_ref(), field::PROTOCOL.start)
    }

    pub fn interface_index(&self) -> u32 {
        be32(self.buffer.as_ref(), field::IFINDEX.start)
    }

    pub fn hardware_type(&self) -> u16 {
        be16(self.buffer.as_ref(), field::HATYPE.start)
    }

    pub fn packet_type(&self) -> u8 {
        self.buffer.as_ref()[field::PKTTYPE]
    }

    pub fn address(&self) -> &[u8] {
        let b = self.buffer.as_ref();
        let len = usize::from(b[field::HALEN]).min(8);
        &b[field::ADDR.start..field::ADDR.start + len]
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
        let mut b = vec![
            0x86, 0xdd, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 1, 2, 3, 4, 5, 6, 0, 0,
        ];
        b.push(0x60);
        let h = Header::new_checked(&b[..]).unwrap();
        assert_eq!(h.protocol(), 0x86dd);
        assert_eq!(h.interface_index(), 3);
        assert_eq!(h.hardware_type(), 1);
        assert_eq!(h.packet_type(), 4);
        assert_eq!(h.address(), &[1, 2, 3, 4, 5, 6]);
        assert_eq!(h.payload(), &[0x60]);
    }

    #[test]
    fn short() {
        assert!(Header::new_checked(&[0u8; 19][..]).is_err());
    }
}
