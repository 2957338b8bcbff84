//! The checks an IP packet passes before the netfilter hooks see it:
//! `br_validate_ipv4()` / `br_validate_ipv6()` in
//! `net/bridge/br_netfilter_hooks.c` / `br_netfilter_ipv6.c`, which are
//! `ip_rcv_core()` / `ipv6_rcv()`'s checks. A packet failing them is dropped
//! and conntrack never sees it (no ctstate). A packet that passes is trimmed
//! to its IP length (Ethernet padding removed).

use crate::reason::Reason;
use crate::wire::{ip_proto, ipv4, ipv6};

/// Choices where a capture differs from what a kernel receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Verify the IPv4 header checksum as the kernel does (default). Off,
    /// captures with offloaded (zero) header checksums are accepted.
    pub verify_ip_checksum: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            verify_ip_checksum: true,
        }
    }
}

/// `br_validate_ipv4()`: the packet trimmed to its total length.
pub fn ipv4<'a>(pkt: &'a [u8], opts: &Options) -> Result<&'a [u8], Reason> {
    if pkt.len() < ipv4::MIN_HEADER_LEN {
        return Err(Reason::Ipv4Header("shorter than 20 bytes"));
    }
    let ver = pkt[0] >> 4;
    let ihl = usize::from(pkt[0] & 0x0f) * 4;
    if ihl < ipv4::MIN_HEADER_LEN {
        return Err(Reason::Ipv4Header("IHL below 5"));
    }
    if ver != 4 {
        return Err(Reason::Ipv4Header("version is not 4"));
    }
    if pkt.len() < ihl {
        return Err(Reason::Ipv4Header("header longer than the packet"));
    }
    let p = ipv4::Packet::new_unchecked(pkt);
    if opts.verify_ip_checksum && !p.verify_checksum() {
        return Err(Reason::Ipv4Checksum {
            found: p.checksum(),
            expected: p.compute_checksum(),
        });
    }
    let total = usize::from(p.total_len());
    if pkt.len() < total {
        return Err(Reason::Truncated {
            have: pkt.len(),
            need: total,
        });
    }
    if total < ihl {
        return Err(Reason::Ipv4Header("total length below header length"));
    }
    Ok(&pkt[..total])
}

const IPV6_TLV_PAD1: u8 = 0;
const IPV6_TLV_JUMBO: u8 = 0xc2;
const IPV6_MAXPLEN: u32 = 65535;

/// `nf_ip6_check_hbh_len()`: walk the hop-by-hop options; a jumbo payload
/// option replaces the payload length. `None` when the header is bad.
fn check_hbh_len(pkt: &[u8], payload_len: u32) -> Option<u32> {
    let base = ipv6::HEADER_LEN;
    let nh = pkt.get(base..base + 8)?;
    let hlen = (usize::from(nh[1]) + 1) << 3;
    pkt.get(base..base + hlen)?;
    let mut off = base + 2;
    let mut len = hlen as isize - 2;
    let mut plen = payload_len;
    while len > 0 {
        if pkt[off] == IPV6_TLV_PAD1 {
            off += 1;
            len -= 1;
            continue;
        }
        if len < 2 {
            return None;
        }
        let optlen = isize::from(pkt[off + 1]) + 2;
        if optlen > len {
            return None;
        }
        if pkt[off] == IPV6_TLV_JUMBO {
            if pkt[off + 1] != 4 || (off & 3) != 2 {
                return None;
            }
            let j = u32::from_be_bytes([pkt[off + 2], pkt[off + 3], pkt[off + 4], pkt[off + 5]]);
            if j <= IPV6_MAXPLEN || payload_len != 0 {
                return None;
            }
            if j as usize > pkt.len() - base {
                return None;
            }
            plen = j;
        }
        off += optlen as usize;
        len -= optlen;
    }
    (len == 0).then_some(plen)
}

/// `br_validate_ipv6()`: the packet trimmed to 40 + payload length.
pub fn ipv6(pkt: &[u8]) -> Result<&[u8], Reason> {
    if pkt.len() < ipv6::HEADER_LEN {
        return Err(Reason::Ipv6Header("shorter than 40 bytes"));
    }
    let p = ipv6::Packet::new_unchecked(pkt);
    if p.version() != 6 {
        return Err(Reason::Ipv6Header("version is not 6"));
    }
    let mut plen = u32::from(p.payload_len());
    if p.next_header() == ip_proto::HOPOPTS {
        plen = check_hbh_len(pkt, plen).ok_or(Reason::Ipv6Header("bad hop-by-hop options"))?;
    }
    let total = plen as usize + ipv6::HEADER_LEN;
    if total > pkt.len() {
        return Err(Reason::Truncated {
            have: pkt.len(),
            need: total,
        });
    }
    Ok(&pkt[..total])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::checksum;

    fn v4(total: u16, extra: usize) -> Vec<u8> {
        let mut p = vec![
            0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        p[2..4].copy_from_slice(&total.to_be_bytes());
        let c = checksum::checksum(&p);
        p[10..12].copy_from_slice(&c.to_be_bytes());
        p.resize(20 + extra, 0xee);
        p
    }

    #[test]
    fn trims_padding() {
        let p = v4(28, 18);
        assert_eq!(ipv4(&p, &Options::default()).unwrap().len(), 28);
    }

    #[test]
    fn ipv4_drops() {
        let o = Options::default();
        assert!(matches!(
            ipv4(&v4(40, 8), &o),
            Err(Reason::Truncated { have: 28, need: 40 })
        ));
        let mut p = v4(28, 8);
        p[10] ^= 1;
        assert!(matches!(ipv4(&p, &o), Err(Reason::Ipv4Checksum { .. })));
        assert!(
            ipv4(
                &p,
                &Options {
                    verify_ip_checksum: false
                }
            )
            .is_ok()
        );
        let mut p = v4(28, 8);
        p[0] = 0x65;
        assert_eq!(ipv4(&p, &o), Err(Reason::Ipv4Header("version is not 4")));
        p[0] = 0x44;
        assert_eq!(ipv4(&p, &o), Err(Reason::Ipv4Header("IHL below 5")));
        let mut p = v4(12, 8);
        p[10..12].copy_from_slice(&[0, 0]);
        let c = checksum::checksum(&p[..20]);
        p[10..12].copy_from_slice(&c.to_be_bytes());
        assert_eq!(
            ipv4(&p, &o),
            Err(Reason::Ipv4Header("total length below header length"))
        );
        assert!(ipv4(&[0x45; 10], &o).is_err());
    }

    fn v6(plen: u16, next: u8, body: &[u8]) -> Vec<u8> {
        let mut p = vec![0x60, 0, 0, 0];
        p.extend_from_slice(&plen.to_be_bytes());
        p.extend_from_slice(&[next, 64]);
        p.extend_from_slice(&[0; 32]);
        p.extend_from_slice(body);
        p
    }

    #[test]
    fn ipv6_checks() {
        assert_eq!(ipv6(&v6(8, 17, &[0; 12])).unwrap().len(), 48);
        assert!(matches!(
            ipv6(&v6(20, 17, &[0; 8])),
            Err(Reason::Truncated { .. })
        ));
        let mut p = v6(8, 17, &[0; 8]);
        p[0] = 0x40;
        assert_eq!(ipv6(&p), Err(Reason::Ipv6Header("version is not 6")));
        // hop-by-hop with PadN only is fine
        assert!(
            ipv6(&v6(
                16,
                0,
                &[17, 0, 1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
            ))
            .is_ok()
        );
        // an option running past the header is not
        assert!(
            ipv6(&v6(
                16,
                0,
                &[17, 0, 1, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
            ))
            .is_err()
        );
    }
}
