//! From a captured frame to the network-layer packet conntrack sees, for every
//! link type ctrack reads (tcpdump.org "LINK-LAYER HEADER TYPES").

use super::{Error, ethernet, ethertype, null, sll, sll2};
use core::fmt;

/// The link types ctrack decodes, by their LINKTYPE_ numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkType {
    /// LINKTYPE_NULL (0): BSD loopback, host byte order family.
    Null,
    /// LINKTYPE_ETHERNET (1, DLT_EN10MB).
    Ethernet,
    /// LINKTYPE_RAW (101; DLT_RAW is 12 or 14 on some BSDs): bare IP.
    Raw,
    /// LINKTYPE_LOOP (108): OpenBSD loopback, network byte order family.
    Loop,
    /// LINKTYPE_LINUX_SLL (113).
    LinuxSll,
    /// LINKTYPE_IPV4 (228).
    Ipv4,
    /// LINKTYPE_IPV6 (229).
    Ipv6,
    /// LINKTYPE_LINUX_SLL2 (276).
    LinuxSll2,
    /// Anything else: frames are reported, never tracked.
    Other(u32),
}

impl LinkType {
    pub fn from_linktype(value: u32) -> LinkType {
        match value {
            0 => LinkType::Null,
            1 => LinkType::Ethernet,
            12 | 14 | 101 => LinkType::Raw,
            108 => LinkType::Loop,
            113 => LinkType::LinuxSll,
            228 => LinkType::Ipv4,
            229 => LinkType::Ipv6,
            276 => LinkType::LinuxSll2,
            other => LinkType::Other(other),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            LinkType::Null => "NULL",
            LinkType::Ethernet => "EN10MB",
            LinkType::Raw => "RAW",
            LinkType::Loop => "LOOP",
            LinkType::LinuxSll => "LINUX_SLL",
            LinkType::Ipv4 => "IPV4",
            LinkType::Ipv6 => "IPV6",
            LinkType::LinuxSll2 => "LINUX_SLL2",
            LinkType::Other(_) => "unsupported",
        }
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkType::Other(n) => write!(f, "unsupported link type {n}"),
            other => f.write_str(other.name()),
        }
    }
}

/// What the network layer of a frame is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    Ipv4,
    Ipv6,
    /// Not IP: the EtherType (ARP, LLDP...), or for loopback captures the
    /// address family.
    Other(u16),
}

/// A frame with its link-layer header (and VLAN tags) removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoded<'a> {
    pub network: Network,
    /// The network-layer bytes, as captured (possibly cut by the snaplen).
    pub payload: &'a [u8],
    /// Bytes of link-layer header (and tags) in front of `payload`.
    pub link_len: usize,
    pub vlans: [u16; ethernet::MAX_TAGS],
    pub vlan_count: usize,
}

/// Why a frame has no network layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// The frame is shorter than its link-layer header.
    Runt { needed: usize, got: usize },
    /// A VLAN stack that cannot be walked.
    BadTags(Error),
    /// A link type ctrack does not decode.
    Unsupported(u32),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Runt { needed, got } => write!(
                f,
                "frame of {got} bytes is shorter than its {needed}-byte link-layer header"
            ),
            LinkError::BadTags(e) => write!(f, "VLAN tags: {e}"),
            LinkError::Unsupported(n) => write!(f, "link type {n} is not supported"),
        }
    }
}

fn by_ethertype(ethertype: u16) -> Network {
    match ethertype {
        ethertype::IPV4 => Network::Ipv4,
        ethertype::IPV6 => Network::Ipv6,
        other => Network::Other(other),
    }
}

fn by_version(payload: &[u8]) -> Network {
    match payload.first().map(|b| b >> 4) {
        Some(4) => Network::Ipv4,
        Some(6) => Network::Ipv6,
        _ => Network::Other(0),
    }
}

fn by_family(af: u32) -> Network {
    if null::family_is_ipv4(af) {
        Network::Ipv4
    } else if null::family_is_ipv6(af) {
        Network::Ipv6
    } else {
        Network::Other(af as u16)
    }
}

fn runt(needed: usize, frame: &[u8]) -> LinkError {
    LinkError::Runt {
        needed,
        got: frame.len(),
    }
}

/// Remove the link-layer header of `frame`.
pub fn decode(link: LinkType, frame: &[u8]) -> Result<Decoded<'_>, LinkError> {
    fn plain<'a>(frame: &'a [u8], network: Network, skip: usize) -> Decoded<'a> {
        Decoded {
            network,
            link_len: skip,
            payload: &frame[skip..],
            vlans: [0; ethernet::MAX_TAGS],
            vlan_count: 0,
        }
    }
    fn tagged(frame: &[u8], ethertype: u16, skip: usize) -> Result<Decoded<'_>, LinkError> {
        let u = ethernet::strip_tags(ethertype, &frame[skip..]).map_err(LinkError::BadTags)?;
        Ok(Decoded {
            network: by_ethertype(u.ethertype),
            link_len: frame.len() - u.payload.len(),
            payload: u.payload,
            vlans: u.vlans,
            vlan_count: u.vlan_count,
        })
    }
    match link {
        LinkType::Ethernet => {
            let f = ethernet::Frame::new_checked(frame)
                .map_err(|_| runt(ethernet::HEADER_LEN, frame))?;
            tagged(frame, f.ethertype(), ethernet::HEADER_LEN)
        }
        LinkType::LinuxSll => {
            let h = sll::Header::new_checked(frame).map_err(|_| runt(sll::HEADER_LEN, frame))?;
            tagged(frame, h.protocol(), sll::HEADER_LEN)
        }
        LinkType::LinuxSll2 => {
            let h = sll2::Header::new_checked(frame).map_err(|_| runt(sll2::HEADER_LEN, frame))?;
            tagged(frame, h.protocol(), sll2::HEADER_LEN)
        }
        LinkType::Null | LinkType::Loop => {
            let h = null::Header::new_checked(frame).map_err(|_| runt(null::HEADER_LEN, frame))?;
            let af = if link == LinkType::Null {
                h.family_host_order()
            } else {
                h.family_network_order()
            };
            Ok(plain(frame, by_family(af), null::HEADER_LEN))
        }
        LinkType::Raw => Ok(plain(frame, by_version(frame), 0)),
        LinkType::Ipv4 => Ok(plain(frame, Network::Ipv4, 0)),
        LinkType::Ipv6 => Ok(plain(frame, Network::Ipv6, 0)),
        LinkType::Other(n) => Err(LinkError::Unsupported(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ethernet_with_vlan() {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x81, 0x00, 0x00, 0x0a, 0x86, 0xdd, 0x60, 0, 0, 0]);
        let d = decode(LinkType::Ethernet, &f).unwrap();
        assert_eq!(d.network, Network::Ipv6);
        assert_eq!(d.link_len, 18);
        assert_eq!(d.payload, &[0x60, 0, 0, 0]);
        assert_eq!(&d.vlans[..d.vlan_count], &[10]);
    }

    #[test]
    fn raw_by_version() {
        assert_eq!(
            decode(LinkType::Raw, &[0x45, 0]).unwrap().network,
            Network::Ipv4
        );
        assert_eq!(
            decode(LinkType::Raw, &[0x60, 0]).unwrap().network,
            Network::Ipv6
        );
        assert_eq!(
            decode(LinkType::Raw, &[]).unwrap().network,
            Network::Other(0)
        );
    }

    #[test]
    fn runts_and_unsupported() {
        assert_eq!(
            decode(LinkType::Ethernet, &[0; 5]),
            Err(LinkError::Runt { needed: 14, got: 5 })
        );
        assert_eq!(
            decode(LinkType::Other(147), &[0; 40]),
            Err(LinkError::Unsupported(147))
        );
        assert!(decode(LinkType::LinuxSll2, &[0; 19]).is_err());
    }

    #[test]
    fn arp_is_other() {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x06, 0, 1]);
        assert_eq!(
            decode(LinkType::Ethernet, &f).unwrap().network,
            Network::Other(0x0806)
        );
    }

    #[test]
    fn loopback_families() {
        let d = decode(LinkType::Null, &[24, 0, 0, 0, 0x60]).unwrap();
        assert_eq!(d.network, Network::Ipv6);
        let d = decode(LinkType::Loop, &[0, 0, 0, 2, 0x45]).unwrap();
        assert_eq!(d.network, Network::Ipv4);
    }
}
