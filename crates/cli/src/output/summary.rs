//! A one-line, tcpdump-like description of a frame, from the wire views.

use core::fmt::{self, Display, Write};
use ctrack_core::wire::link::{Decoded, LinkError, Network};
use ctrack_core::wire::{gre, icmp, icmpv6, ip_proto, ipv4, ipv6, sctp, tcp, udp};
use std::net::{IpAddr, Ipv6Addr};

/// Describe a decoded frame; `out` is cleared first.
pub fn summarize(decoded: &Result<Decoded<'_>, LinkError>, out: &mut String) {
    out.clear();
    let d = match decoded {
        Ok(d) => d,
        Err(e) => {
            let _ = write!(out, "{e}");
            return;
        }
    };
    if d.vlan_count > 0 {
        out.push_str("vlan ");
        for (i, v) in d.vlans[..d.vlan_count].iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{v}");
        }
        out.push(' ');
    }
    match d.network {
        Network::Ipv4 => ipv4_summary(d.payload, out),
        Network::Ipv6 => ipv6_summary(d.payload, out),
        Network::Other(et) => {
            let name = match et {
                0x0806 => "ARP".to_string(),
                0x8035 => "RARP".to_string(),
                0x88cc => "LLDP".to_string(),
                0x888e => "EAPOL".to_string(),
                0x8863 | 0x8864 => "PPPoE".to_string(),
                0x8847 | 0x8848 => "MPLS".to_string(),
                e if e < 0x0600 => format!("802.3 length {e}"),
                e => format!("ethertype 0x{e:04x}"),
            };
            let _ = write!(out, "{name}, length {}", d.payload.len());
        }
    }
}

fn ipv4_summary(p: &[u8], out: &mut String) {
    let Ok(ip) = ipv4::Packet::new_checked(p) else {
        let _ = write!(out, "IP truncated-ip, length {}", p.len());
        return;
    };
    let src = Ip(IpAddr::V4(ip.src_addr()));
    let dst = Ip(IpAddr::V4(ip.dst_addr()));
    let end = usize::from(ip.total_len()).clamp(ip.header_len(), p.len());
    let l4 = &p[ip.header_len()..end];
    let l4_len = usize::from(ip.total_len()).saturating_sub(ip.header_len());
    if ip.frag_offset() != 0 {
        let _ = write!(
            out,
            "IP {src} > {dst}: ip-proto-{} (frag {}:{}@{}{})",
            ip.protocol(),
            ip.ident(),
            l4_len,
            ip.frag_offset(),
            if ip.more_frags() { "+" } else { "" }
        );
        return;
    }
    out.push_str("IP ");
    transport(ip.protocol(), src, dst, l4, l4_len, out);
    if ip.more_frags() {
        let _ = write!(out, " (frag {}:{}@0+)", ip.ident(), l4_len);
    }
}

fn ipv6_summary(p: &[u8], out: &mut String) {
    let Ok(ip) = ipv6::Packet::new_checked(p) else {
        let _ = write!(out, "IP6 truncated-ip6, length {}", p.len());
        return;
    };
    let src = Ip(IpAddr::V6(Ipv6Addr::from(ip.src_bytes())));
    let dst = Ip(IpAddr::V6(Ipv6Addr::from(ip.dst_bytes())));
    out.push_str("IP6 ");
    let total = (usize::from(ip.payload_len()) + ipv6::HEADER_LEN).min(p.len());
    match ipv6::skip_exthdr(&p[..total]) {
        Some(up) if up.frag_off & !0x7 == 0 && up.offset <= total => {
            let l4 = &p[up.offset..total];
            let l4_len =
                (usize::from(ip.payload_len()) + ipv6::HEADER_LEN).saturating_sub(up.offset);
            transport(up.protocol, src, dst, l4, l4_len, out);
            if up.frag_off & 1 != 0 {
                out.push_str(" (frag 0+)");
            }
        }
        Some(up) => {
            let _ = write!(
                out,
                "{src} > {dst}: frag @{}{}",
                up.frag_off & !7,
                if up.frag_off & 1 != 0 { "+" } else { "" }
            );
        }
        None => {
            let _ = write!(
                out,
                "{src} > {dst}: no next header, length {}",
                ip.payload_len()
            );
        }
    }
}

/// An address as tcpdump prints it. IPv4 is written by hand from a stack
/// buffer: the standard formatter goes through four padded integers, and a
/// replay prints two addresses per frame.
#[derive(Clone, Copy)]
pub(super) struct Ip(pub(super) IpAddr);

impl Display for Ip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(a) => {
                let mut buf = [0u8; 15];
                let mut n = 0;
                for (i, o) in a.octets().into_iter().enumerate() {
                    if i > 0 {
                        buf[n] = b'.';
                        n += 1;
                    }
                    if o >= 100 {
                        buf[n] = b'0' + o / 100;
                        n += 1;
                    }
                    if o >= 10 {
                        buf[n] = b'0' + o / 10 % 10;
                        n += 1;
                    }
                    buf[n] = b'0' + o % 10;
                    n += 1;
                }
                f.write_str(core::str::from_utf8(&buf[..n]).map_err(|_| fmt::Error)?)
            }
            IpAddr::V6(a) => Display::fmt(&a, f),
        }
    }
}

/// `address.port`, tcpdump's endpoint.
struct Endpoint(Ip, u16);

impl Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)?;
        f.write_str(".")?;
        Display::fmt(&self.1, f)
    }
}

fn endpoint(a: Ip, port: u16) -> Endpoint {
    Endpoint(a, port)
}

/// TCP flags as tcpdump's letters (`S.`), `none` without any.
struct TcpFlags(u8);

impl Display for TcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 8];
        let mut n = 0;
        for (bit, c) in TCP_FLAG_LETTERS {
            if self.0 & bit != 0 {
                buf[n] = c;
                n += 1;
            }
        }
        if n == 0 {
            return f.write_str("none");
        }
        f.write_str(core::str::from_utf8(&buf[..n]).map_err(|_| fmt::Error)?)
    }
}

const TCP_FLAG_LETTERS: [(u8, u8); 8] = [
    (tcp::flags::SYN, b'S'),
    (tcp::flags::FIN, b'F'),
    (tcp::flags::RST, b'R'),
    (tcp::flags::PSH, b'P'),
    (tcp::flags::URG, b'U'),
    (tcp::flags::ECE, b'E'),
    (tcp::flags::CWR, b'W'),
    (tcp::flags::ACK, b'.'),
];

#[cfg(test)]
fn tcp_flags(f: u8) -> String {
    TcpFlags(f).to_string()
}

fn transport(proto: u8, src: Ip, dst: Ip, l4: &[u8], l4_len: usize, out: &mut String) {
    match proto {
        ip_proto::TCP => match tcp::Packet::new_checked(l4) {
            Ok(t) => {
                let _ = write!(
                    out,
                    "{} > {}: Flags [{}], seq {}",
                    endpoint(src, t.src_port()),
                    endpoint(dst, t.dst_port()),
                    TcpFlags(t.flags()),
                    t.seq_number()
                );
                if t.flags() & tcp::flags::ACK != 0 {
                    let _ = write!(out, ", ack {}", t.ack_number());
                }
                let _ = write!(
                    out,
                    ", win {}, length {}",
                    t.window_len(),
                    l4_len.saturating_sub(t.header_len())
                );
            }
            Err(_) => {
                let _ = write!(
                    out,
                    "{src} > {dst}: tcp (truncated header, {} bytes)",
                    l4.len()
                );
            }
        },
        ip_proto::UDP | ip_proto::UDPLITE => {
            let name = if proto == ip_proto::UDP {
                "UDP"
            } else {
                "UDP-Lite"
            };
            match udp::Packet::new_checked(l4) {
                Ok(u) => {
                    let _ = write!(
                        out,
                        "{} > {}: {name}, length {}",
                        endpoint(src, u.src_port()),
                        endpoint(dst, u.dst_port()),
                        usize::from(u.length()).saturating_sub(udp::HEADER_LEN)
                    );
                }
                Err(_) => {
                    let _ = write!(
                        out,
                        "{src} > {dst}: {name} (truncated header, {} bytes)",
                        l4.len()
                    );
                }
            }
        }
        ip_proto::ICMP => match icmp::Packet::new_checked(l4) {
            Ok(i) => {
                let kind = i.msg_type();
                let _ = write!(out, "{src} > {dst}: ICMP {}", icmp::type_name(kind));
                if icmp::type_name(kind) == "type" {
                    let _ = write!(out, " {kind}");
                }
                if icmp::is_error(kind) {
                    let _ = write!(out, " (code {})", i.msg_code());
                    quoted(i.payload(), false, out);
                } else {
                    let _ = write!(out, ", id {}, seq {}", i.ident(), i.seq_number());
                }
                let _ = write!(out, ", length {l4_len}");
            }
            Err(_) => {
                let _ = write!(
                    out,
                    "{src} > {dst}: ICMP (truncated header, {} bytes)",
                    l4.len()
                );
            }
        },
        ip_proto::ICMPV6 => match icmpv6::Packet::new_checked(l4) {
            Ok(i) => {
                let kind = i.msg_type();
                let _ = write!(out, "{src} > {dst}: ICMP6, {}", icmpv6::type_name(kind));
                if icmpv6::type_name(kind) == "type" {
                    let _ = write!(out, " {kind}");
                }
                if icmpv6::is_error(kind) {
                    let _ = write!(out, " (code {})", i.msg_code());
                    quoted(i.payload(), true, out);
                } else if matches!(kind, 128 | 129 | 139 | 140) {
                    let _ = write!(out, ", id {}, seq {}", i.ident(), i.seq_number());
                }
                let _ = write!(out, ", length {l4_len}");
            }
            Err(_) => {
                let _ = write!(
                    out,
                    "{src} > {dst}: ICMP6 (truncated header, {} bytes)",
                    l4.len()
                );
            }
        },
        ip_proto::GRE => match gre::Packet::new_checked(l4) {
            Ok(g) => {
                let _ = write!(
                    out,
                    "{src} > {dst}: GREv{}, proto 0x{:04x}",
                    g.version(),
                    g.protocol()
                );
                if g.version() == 1 {
                    if let Some(c) = g.call_id() {
                        let _ = write!(out, ", call {c}");
                    }
                } else if let Some(k) = g.key() {
                    let _ = write!(out, ", key=0x{k:x}");
                }
                let _ = write!(out, ", length {l4_len}");
            }
            Err(_) => {
                let _ = write!(out, "{src} > {dst}: GRE (truncated header)");
            }
        },
        ip_proto::SCTP => match sctp::Packet::new_checked(l4) {
            Ok(s) => {
                let _ = write!(
                    out,
                    "{} > {}: sctp",
                    endpoint(src, s.src_port()),
                    endpoint(dst, s.dst_port())
                );
                for (n, c) in s.chunks().take(4).enumerate() {
                    match c {
                        Ok(c) => {
                            let _ = write!(out, " ({}) [{}]", n + 1, sctp::chunk_name(c.kind));
                        }
                        Err(_) => out.push_str(" [bad chunk]"),
                    }
                }
            }
            Err(_) => {
                let _ = write!(out, "{src} > {dst}: sctp (truncated header)");
            }
        },
        other => {
            let name = match other {
                ip_proto::ESP => "ESP".to_string(),
                ip_proto::AH => "AH".to_string(),
                ip_proto::DCCP => "DCCP".to_string(),
                n => format!("ip-proto-{n}"),
            };
            let _ = write!(out, "{src} > {dst}: {name} {l4_len}");
        }
    }
}

/// The flow an ICMP error quotes, in brackets.
fn quoted(inner: &[u8], v6: bool, out: &mut String) {
    let mut s = String::new();
    if v6 {
        ipv6_summary(inner, &mut s);
    } else if let Ok(ip) = ipv4::Packet::new_checked(inner) {
        let src = Ip(IpAddr::V4(ip.src_addr()));
        let dst = Ip(IpAddr::V4(ip.dst_addr()));
        let l4 = ip.payload();
        match ip.protocol() {
            ip_proto::TCP | ip_proto::UDP | ip_proto::SCTP | ip_proto::UDPLITE if l4.len() >= 4 => {
                let sp = u16::from_be_bytes([l4[0], l4[1]]);
                let dp = u16::from_be_bytes([l4[2], l4[3]]);
                let name = match ip.protocol() {
                    ip_proto::TCP => "tcp",
                    ip_proto::UDP => "udp",
                    ip_proto::SCTP => "sctp",
                    _ => "udplite",
                };
                let _ = write!(s, "{name} {} > {}", endpoint(src, sp), endpoint(dst, dp));
            }
            p => {
                let _ = write!(s, "proto {p} {src} > {dst}");
            }
        }
    } else {
        s.push_str("unreadable quote");
    }
    let _ = write!(
        out,
        " [quoting {}]",
        s.trim_start_matches("IP6 ").trim_start_matches("IP ")
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use ctrack_core::wire::link::{self, LinkType};

    fn ipv4_udp() -> Vec<u8> {
        let mut p = vec![
            0x45, 0, 0, 30, 0, 1, 0, 0, 64, 17, 0, 0, 192, 168, 170, 8, 192, 168, 170, 20,
        ];
        p.extend_from_slice(&[0x80, 0x1b, 0, 53, 0, 10, 0, 0, 1, 2]);
        p
    }

    #[test]
    fn udp_line() {
        let p = ipv4_udp();
        let mut s = String::new();
        summarize(&link::decode(LinkType::Raw, &p), &mut s);
        assert_eq!(
            s,
            "IP 192.168.170.8.32795 > 192.168.170.20.53: UDP, length 2"
        );
    }

    #[test]
    fn addresses_print_as_the_standard_formatter_prints_them() {
        let octets = [0u8, 1, 9, 10, 11, 99, 100, 101, 199, 200, 249, 250, 255];
        for &a in &octets {
            for &b in &octets {
                let v4 = std::net::Ipv4Addr::new(a, b, b, a);
                assert_eq!(Ip(IpAddr::V4(v4)).to_string(), v4.to_string());
            }
        }
        let v6: Ipv6Addr = "3ffe:507::1".parse().unwrap();
        assert_eq!(Ip(IpAddr::V6(v6)).to_string(), "3ffe:507::1");
        let e = Endpoint(Ip(IpAddr::V4([192, 0, 2, 1].into())), 65535);
        assert_eq!(e.to_string(), "192.0.2.1.65535");
    }

    #[test]
    fn tcp_flag_letters() {
        assert_eq!(tcp_flags(tcp::flags::SYN | tcp::flags::ACK), "S.");
        assert_eq!(tcp_flags(0), "none");
        assert_eq!(
            tcp_flags(tcp::flags::FIN | tcp::flags::PSH | tcp::flags::URG),
            "FPU"
        );
    }

    #[test]
    fn garbage_is_described_not_panicked_on() {
        let mut s = String::new();
        for n in 0..64 {
            let junk: Vec<u8> = (0..n).map(|i| (i * 37 + 5) as u8).collect();
            summarize(&link::decode(LinkType::Raw, &junk), &mut s);
            summarize(&link::decode(LinkType::Ethernet, &junk), &mut s);
        }
    }
}
