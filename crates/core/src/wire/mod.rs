//! Zero-copy views of the headers conntrack reads, modelled on smoltcp's `wire`.
//!
//! Every header has a `Packet<T: AsRef<[u8]>>` view that borrows the buffer.
//! `Packet::new_checked` validates lengths once (`Packet::check_len`); after
//! that no accessor can panic, whatever the bytes say. Field offsets live in one
//! `mod field` per header so the layout reads like the RFC's diagram.
//!
//! The views say nothing about policy: what the kernel does with a short or
//! odd header is decided in `validate` (before conntrack) and in the protocol
//! trackers (`proto`).

pub mod checksum;
pub mod dccp;
pub mod ethernet;
pub mod gre;
pub mod icmp;
pub mod icmpv6;
pub mod ipv4;
pub mod ipv6;
pub mod link;
pub mod null;
pub mod sctp;
pub mod sll;
pub mod sll2;
pub mod tcp;
pub mod udp;

use core::fmt;

/// Why a view could not be built over a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// The buffer is shorter than the header (or than a length field claims).
    Truncated,
    /// A field has a value the header cannot have (named).
    Malformed(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Truncated => f.write_str("truncated header"),
            Error::Malformed(what) => write!(f, "malformed header: {what}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = core::result::Result<T, Error>;

/// A byte range inside a header.
pub(crate) type Field = core::ops::Range<usize>;

#[inline]
pub(crate) fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

#[inline]
pub(crate) fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// `skb_header_pointer()`: `len` bytes at `off`, or `None` when the packet
/// does not hold them.
#[inline]
pub fn header_at(buf: &[u8], off: usize, len: usize) -> Option<&[u8]> {
    let end = off.checked_add(len)?;
    buf.get(off..end)
}

/// IP protocol numbers conntrack distinguishes (IANA "Assigned Internet
/// Protocol Numbers").
pub mod ip_proto {
    pub const HOPOPTS: u8 = 0;
    pub const ICMP: u8 = 1;
    pub const TCP: u8 = 6;
    pub const UDP: u8 = 17;
    pub const DCCP: u8 = 33;
    pub const ROUTING: u8 = 43;
    pub const FRAGMENT: u8 = 44;
    pub const GRE: u8 = 47;
    pub const ESP: u8 = 50;
    pub const AH: u8 = 51;
    pub const ICMPV6: u8 = 58;
    pub const NONE: u8 = 59;
    pub const DSTOPTS: u8 = 60;
    pub const SCTP: u8 = 132;
    pub const UDPLITE: u8 = 136;
}

/// EtherType values the link decoders recognise.
pub mod ethertype {
    pub const IPV4: u16 = 0x0800;
    pub const ARP: u16 = 0x0806;
    pub const VLAN: u16 = 0x8100;
    pub const IPV6: u16 = 0x86dd;
    pub const QINQ: u16 = 0x88a8;
    /// Pre-standard QinQ outer tag still seen in the wild.
    pub const QINQ_OLD: u16 = 0x9100;
}
