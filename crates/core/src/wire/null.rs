//! BSD loopback encapsulation: LINKTYPE_NULL (0), a 4-byte address family in
//! the byte order of the capturing host, and LINKTYPE_LOOP (108), the same in
//! network byte order.

use super::{Error, Result};

pub const HEADER_LEN: usize = 4;

/// The address-family values that mean IPv4 and IPv6 on the systems that
/// write these captures (Linux and the BSDs disagree on AF_INET6).
pub fn family_is_ipv4(af: u32) -> bool {
    af == 2
}

pub fn family_is_ipv6(af: u32) -> bool {
    matches!(af, 10 | 24 | 28 | 30)
}

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
        if h.buffer.as_ref().len() < HEADER_LEN {
            return Err(Error::Truncated);
        }
        Ok(h)
    }

    /// The address family for LINKTYPE_NULL: the writer's byte order is
    /// unknown, so a value that only makes sense byte-swapped is swapped
    /// (families are small numbers; the swapped form has zero low bytes).
    pub fn family_host_order(&self) -> u32 {
        let b = self.buffer.as_ref();
        let le = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if le & 0xffff == 0 {
            le.swap_bytes()
        } else {
            le
        }
    }

    /// The address family for LINKTYPE_LOOP (always big-endian).
    pub fn family_network_order(&self) -> u32 {
        let b = self.buffer.as_ref();
        u32::from_be_bytes([b[0], b[1], b[2], b[3]])
    }

    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[HEADER_LEN..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_byte_orders() {
        let le = Header::new_checked(&[2u8, 0, 0, 0, 0x45][..]).unwrap();
        assert_eq!(le.family_host_order(), 2);
        let be = Header::new_checked(&[0u8, 0, 0, 30, 0x60][..]).unwrap();
        assert_eq!(be.family_host_order(), 30);
        assert_eq!(be.family_network_order(), 30);
        assert!(family_is_ipv6(30));
        assert_eq!(be.payload(), &[0x60]);
    }
}
