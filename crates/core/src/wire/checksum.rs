//! The Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-headers, as
//! `ip_fast_csum()`, `csum_tcpudp_magic()` and `csum_ipv6_magic()` compute them.

/// One's-complement sum of `data` added to `acc` (not folded).
pub fn sum(mut acc: u64, data: &[u8]) -> u64 {
    let mut chunks = data.chunks_exact(2);
    for c in &mut chunks {
        acc += u64::from(u16::from_be_bytes([c[0], c[1]]));
    }
    if let [last] = chunks.remainder() {
        acc += u64::from(u16::from_be_bytes([*last, 0]));
    }
    acc
}

/// Fold a 64-bit accumulator to 16 bits and complement it.
pub fn fold(mut acc: u64) -> u16 {
    while acc >> 16 != 0 {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}

/// Checksum of a buffer; 0 when a buffer that contains its own checksum field
/// is correct.
pub fn checksum(data: &[u8]) -> u16 {
    fold(sum(0, data))
}

/// Pseudo-header sum for IPv4 (`src`, `dst`, protocol, upper-layer length).
pub fn pseudo_v4(src: [u8; 4], dst: [u8; 4], proto: u8, len: u32) -> u64 {
    let mut acc = sum(0, &src);
    acc = sum(acc, &dst);
    acc + u64::from(proto) + u64::from(len)
}

/// Pseudo-header sum for IPv6 (RFC 8200 section 8.1).
pub fn pseudo_v6(src: [u8; 16], dst: [u8; 16], proto: u8, len: u32) -> u64 {
    let mut acc = sum(0, &src);
    acc = sum(acc, &dst);
    acc + u64::from(len >> 16) + u64::from(len & 0xffff) + u64::from(proto)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1071_example() {
        // RFC 1071 section 3 example: 0001 f203 f4f5 f6f7 sums to ddf2.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(checksum(&data), !0xddf2);
    }

    #[test]
    fn odd_length_pads_with_zero() {
        assert_eq!(checksum(&[0xab]), !0xab00);
    }

    #[test]
    fn valid_ipv4_header_sums_to_zero() {
        let hdr = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
            0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
        ];
        assert_eq!(checksum(&hdr), 0);
    }
}
