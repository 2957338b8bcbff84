//! Ethernet II frames (IEEE 802.3) and 802.1Q / 802.1ad VLAN tags.
//!
//! Linux conntrack never sees VLAN tags: the bridge or the VLAN device pops
//! them before the IP hooks, and conntrack zones are the only way a VLAN can
//! separate flows. [`Frame::payload_after_tags`] therefore walks any stack of
//! tags (QinQ included) and reports the VLAN ids it removed.

use super::{Error, Field, Result, be16, ethertype};

mod field {
    use super::Field;
    pub const DST: Field = 0..6;
    pub const SRC: Field = 6..12;
    pub const ETHERTYPE: Field = 12..14;
    pub const PAYLOAD: usize = 14;
    /// An 802.1Q tag: TCI (PCP, DEI, VID) then the inner EtherType.
    pub const TAG_LEN: usize = 4;
}

pub const HEADER_LEN: usize = field::PAYLOAD;

/// The most VLAN tags we pop; deeper stacks are reported as malformed rather
/// than walked without bound.
pub const MAX_TAGS: usize = 4;

/// A borrowed Ethernet frame.
#[derive(Debug, Clone, Copy)]
pub struct Frame<T: AsRef<[u8]>> {
    buffer: T,
}

/// The network-layer content of a frame after its VLAN tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Untagged<'a> {
    pub ethertype: u16,
    pub payload: &'a [u8],
    /// VLAN ids, outermost first; the first `vlan_count` are meaningful.
    pub vlans: [u16; MAX_TAGS],
    pub vlan_count: usize,
}

impl<T: AsRef<[u8]>> Frame<T> {
    pub const fn new_unchecked(buffer: T) -> Self {
        Frame { buffer }
    }

    pub fn new_checked(buffer: T) -> Result<Self> {
        let f = Self::new_unchecked(buffer);
        f.check_len()?;
        Ok(f)
    }

    pub fn check_len(&self) -> Result<()> {
        if self.buffer.as_ref().len() < HEADER_LEN {
            Err(Error::Truncated)
        } else {
            Ok(())
        }
    }

    pub fn dst_addr(&self) -> [u8; 6] {
        let b = &self.buffer.as_ref()[field::DST];
        [b[0], b[1], b[2], b[3], b[4], b[5]]
    }

    pub fn src_addr(&self) -> [u8; 6] {
        let b = &self.buffer.as_ref()[field::SRC];
        [b[0], b[1], b[2], b[3], b[4], b[5]]
    }

    /// The outer EtherType (or 802.3 length when below 0x0600).
    pub fn ethertype(&self) -> u16 {
        be16(self.buffer.as_ref(), field::ETHERTYPE.start)
    }

    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[field::PAYLOAD..]
    }

    /// Pop every VLAN tag (802.1Q 0x8100, 802.1ad 0x88a8, legacy 0x9100).
    pub fn payload_after_tags(&self) -> Result<Untagged<'_>> {
        strip_tags(self.ethertype(), self.payload())
    }
}

/// Pop the VLAN tags at the start of `payload`, whose EtherType is
/// `ethertype` (also used for cooked captures, which can carry tags too).
pub fn strip_tags(mut ethertype: u16, mut payload: &[u8]) -> Result<Untagged<'_>> {
    let mut vlans = [0u16; MAX_TAGS];
    let mut vlan_count = 0;
    while is_tag(ethertype) {
        if vlan_count == MAX_TAGS {
            return Err(Error::Malformed("more than 4 stacked VLAN tags"));
        }
        if payload.len() < field::TAG_LEN {
            return Err(Error::Truncated);
        }
        vlans[vlan_count] = be16(payload, 0) & 0x0fff;
        vlan_count += 1;
        ethertype = be16(payload, 2);
        payload = &payload[field::TAG_LEN..];
    }
    Ok(Untagged {
        ethertype,
        payload,
        vlans,
        vlan_count,
    })
}

fn is_tag(ethertype: u16) -> bool {
    matches!(
        ethertype,
        ethertype::VLAN | ethertype::QINQ | ethertype::QINQ_OLD
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(tags: &[(u16, u16)], inner: u16) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
        for &(tpid, vid) in tags {
            f.extend_from_slice(&tpid.to_be_bytes());
            f.extend_from_slice(&vid.to_be_bytes());
        }
        f.extend_from_slice(&inner.to_be_bytes());
        f.extend_from_slice(&[0x45, 0, 0, 20]);
        f
    }

    #[test]
    fn untagged() {
        let f = frame(&[], ethertype::IPV4);
        let fr = Frame::new_checked(&f[..]).unwrap();
        let u = fr.payload_after_tags().unwrap();
        assert_eq!(u.ethertype, ethertype::IPV4);
        assert_eq!(u.vlan_count, 0);
        assert_eq!(u.payload, &[0x45, 0, 0, 20]);
    }

    #[test]
    fn qinq_is_stripped() {
        // The first two bytes after the TPID hold the TCI; the EtherType that
        // follows the last tag is the real one.
        let mut f = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
        f.extend_from_slice(&[0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x20, 0xc8, 0x08, 0x00]);
        f.extend_from_slice(&[0x45, 0, 0, 20]);
        let fr = Frame::new_checked(&f[..]).unwrap();
        let u = fr.payload_after_tags().unwrap();
        assert_eq!(u.ethertype, ethertype::IPV4);
        assert_eq!(&u.vlans[..u.vlan_count], &[100, 200]);
    }

    #[test]
    fn truncated_tag() {
        let f = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x81, 0x00, 0x00];
        let fr = Frame::new_checked(&f[..]).unwrap();
        assert_eq!(fr.payload_after_tags(), Err(Error::Truncated));
    }

    #[test]
    fn too_short() {
        assert!(Frame::new_checked(&[0u8; 13][..]).is_err());
    }

    #[test]
    fn tag_helper_matches_frame_builder() {
        let f = frame(&[(0x8100, 7)], ethertype::IPV6);
        let fr = Frame::new_checked(&f[..]).unwrap();
        let u = fr.payload_after_tags().unwrap();
        assert_eq!(u.ethertype, ethertype::IPV6);
        assert_eq!(&u.vlans[..u.vlan_count], &[7]);
    }
}
