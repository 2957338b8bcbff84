//! The connection tuple, as `struct nf_conntrack_tuple`: addresses, layer-3
//! and layer-4 protocol, and the two 16-bit protocol words (`src.u`, `dst.u`)
//! whose meaning depends on the protocol.
//!
//! | protocol          | `src_u`        | `dst_u`                |
//! |-------------------|----------------|------------------------|
//! | TCP, UDP, UDPLite, SCTP, DCCP | source port | destination port |
//! | ICMP, ICMPv6      | identifier     | type << 8 \| code      |
//! | GRE               | source key     | destination key        |
//! | anything else     | 0              | 0                      |

use crate::wire::ip_proto;
use core::fmt;
use core::hash::{Hash, Hasher};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Layer-3 family, with the kernel's `l3num` (AF_INET / AF_INET6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    Ipv4,
    Ipv6,
}

impl Family {
    pub fn l3num(self) -> u8 {
        match self {
            Family::Ipv4 => 2,
            Family::Ipv6 => 10,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::Ipv4 => "ipv4",
            Family::Ipv6 => "ipv6",
        }
    }
}

/// An address of either family; IPv4 addresses occupy the first 4 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Addr(pub [u8; 16]);

impl Addr {
    pub fn v4(a: [u8; 4]) -> Addr {
        let mut b = [0; 16];
        b[..4].copy_from_slice(&a);
        Addr(b)
    }

    pub fn v6(a: [u8; 16]) -> Addr {
        Addr(a)
    }

    pub fn to_ip(self, family: Family) -> IpAddr {
        match family {
            Family::Ipv4 => IpAddr::V4(Ipv4Addr::new(self.0[0], self.0[1], self.0[2], self.0[3])),
            Family::Ipv6 => IpAddr::V6(Ipv6Addr::from(self.0)),
        }
    }
}

/// `struct nf_conntrack_tuple` without the direction bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tuple {
    pub family: Family,
    pub proto: u8,
    pub src: Addr,
    pub dst: Addr,
    pub src_u: u16,
    pub dst_u: u16,
}

/// Bytes in [`Tuple::key`].
pub const KEY_LEN: usize = 38;

/// One write of the whole tuple, as the kernel hashes its tuple's bytes
/// (`hash_conntrack_raw()`): a keyed hash costs a fraction of what it does
/// fed field by field.
impl Hash for Tuple {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write(&self.key());
    }
}

impl Tuple {
    /// Every field, in a fixed order: equal tuples have equal keys and
    /// different tuples different ones.
    #[inline]
    pub fn key(&self) -> [u8; KEY_LEN] {
        let mut k = [0; KEY_LEN];
        k[0] = self.family as u8;
        k[1] = self.proto;
        k[2..18].copy_from_slice(&self.src.0);
        k[18..34].copy_from_slice(&self.dst.0);
        k[34..36].copy_from_slice(&self.src_u.to_ne_bytes());
        k[36..38].copy_from_slice(&self.dst_u.to_ne_bytes());
        k
    }

    pub fn new(family: Family, proto: u8, src: Addr, dst: Addr) -> Tuple {
        Tuple {
            family,
            proto,
            src,
            dst,
            src_u: 0,
            dst_u: 0,
        }
    }

    pub fn src_ip(&self) -> IpAddr {
        self.src.to_ip(self.family)
    }

    pub fn dst_ip(&self) -> IpAddr {
        self.dst.to_ip(self.family)
    }

    /// Addresses swapped; protocol words as the caller sets them.
    pub fn swapped_addrs(&self) -> Tuple {
        Tuple {
            src: self.dst,
            dst: self.src,
            src_u: 0,
            dst_u: 0,
            ..*self
        }
    }

    pub fn icmp_type(&self) -> u8 {
        (self.dst_u >> 8) as u8
    }

    pub fn icmp_code(&self) -> u8 {
        self.dst_u as u8
    }

    pub fn icmp_id(&self) -> u16 {
        self.src_u
    }

    pub fn set_icmp(&mut self, kind: u8, code: u8, id: u16) {
        self.src_u = id;
        self.dst_u = (u16::from(kind) << 8) | u16::from(code);
    }

    pub fn is_icmp(&self) -> bool {
        matches!(self.proto, ip_proto::ICMP | ip_proto::ICMPV6)
    }
}

/// `%pI4` / `%pI6`: dotted quad, or eight zero-padded groups of four hex
/// digits (the kernel never compresses IPv6 addresses in /proc).
pub struct KernelAddr(pub Family, pub Addr);

impl fmt::Display for KernelAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.1.0;
        match self.0 {
            Family::Ipv4 => write!(f, "{}.{}.{}.{}", b[0], b[1], b[2], b[3]),
            Family::Ipv6 => {
                for i in 0..8 {
                    if i > 0 {
                        f.write_str(":")?;
                    }
                    write!(f, "{:02x}{:02x}", b[2 * i], b[2 * i + 1])?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Tuple {
    /// The /proc form of the tuple (`print_tuple()`), without the trailing
    /// space.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        let kind = crate::proto::find(self.family, self.proto).tuple_kind();
        crate::procfs::write_tuple(&mut s, self, kind);
        f.write_str(s.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_forms() {
        let mut t = Tuple::new(
            Family::Ipv4,
            ip_proto::UDP,
            Addr::v4([192, 168, 170, 8]),
            Addr::v4([192, 168, 170, 20]),
        );
        t.src_u = 32795;
        t.dst_u = 53;
        assert_eq!(
            t.to_string(),
            "src=192.168.170.8 dst=192.168.170.20 sport=32795 dport=53"
        );
        let mut i = Tuple::new(
            Family::Ipv6,
            ip_proto::ICMPV6,
            Addr::v6(
                "3ffe:507:0:1:200:86ff:fe05:80da"
                    .parse::<Ipv6Addr>()
                    .unwrap()
                    .octets(),
            ),
            Addr::v6("3ffe:507::1".parse::<Ipv6Addr>().unwrap().octets()),
        );
        i.set_icmp(128, 0, 31520);
        assert_eq!(
            i.to_string(),
            "src=3ffe:0507:0000:0001:0200:86ff:fe05:80da dst=3ffe:0507:0000:0000:0000:0000:0000:0001 type=128 code=0 id=31520"
        );
        let g = Tuple::new(
            Family::Ipv4,
            47,
            Addr::v4([1, 2, 3, 4]),
            Addr::v4([5, 6, 7, 8]),
        );
        assert_eq!(
            g.to_string(),
            "src=1.2.3.4 dst=5.6.7.8 srckey=0x0 dstkey=0x0"
        );
        let e = Tuple::new(
            Family::Ipv4,
            50,
            Addr::v4([1, 2, 3, 4]),
            Addr::v4([5, 6, 7, 8]),
        );
        assert_eq!(e.to_string(), "src=1.2.3.4 dst=5.6.7.8");
    }

    #[test]
    fn every_field_is_in_the_key() {
        let base = Tuple {
            family: Family::Ipv4,
            proto: 6,
            src: Addr::v4([10, 0, 0, 1]),
            dst: Addr::v4([10, 0, 0, 2]),
            src_u: 1000,
            dst_u: 80,
        };
        let mut changed = vec![
            Tuple {
                family: Family::Ipv6,
                ..base
            },
            Tuple { proto: 17, ..base },
            Tuple {
                src: Addr::v4([10, 0, 0, 3]),
                ..base
            },
            Tuple {
                dst: Addr::v4([10, 0, 0, 3]),
                ..base
            },
            Tuple {
                src_u: 1001,
                ..base
            },
            Tuple { dst_u: 81, ..base },
        ];
        // Swapping the words or the addresses is another tuple too.
        changed.push(Tuple {
            src_u: 80,
            dst_u: 1000,
            ..base
        });
        changed.push(base.swapped_addrs());
        for t in &changed {
            assert_ne!(t.key(), base.key(), "{t}");
        }
        assert_eq!(base.key(), { base }.key());
    }
}
