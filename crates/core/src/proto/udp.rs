//! UDP and UDP-Lite: `nf_conntrack_proto_udp.c`.
//!
//! An entry is "unreplied" (`nf_conntrack_udp_timeout`, 30 s) until a reply
//! is seen. After that, a packet that arrives more than 2 s after the entry
//! was created (`ct->proto.udp.stream_ts`) switches it to the stream timeout
//! (`nf_conntrack_udp_timeout_stream`, 120 s) and sets ASSURED; earlier
//! packets keep the short timeout. UDP-Lite sets ASSURED and the stream
//! timeout on the first packet after the reply.

use super::{L4Proto, PacketCtx, PacketOutcome, TupleKind, ports_to_tuple};
use crate::conn::ProtoState;
use crate::reason::Reason;
use crate::status::Status;
use crate::tuple::{Family, Tuple};
use crate::wire::{checksum, header_at, ip_proto, udp};
use std::time::Duration;

pub struct Udp {
    pub lite: bool,
}

/// The stream rule's grace period (`2 * HZ`).
const STREAM_AFTER: Duration = Duration::from_secs(2);

fn proto(lite: bool) -> u8 {
    if lite {
        ip_proto::UDPLITE
    } else {
        ip_proto::UDP
    }
}

/// Pseudo-header plus `data` sum, as `nf_checksum()` /
/// `nf_checksum_partial()` compute it: the pseudo-header length is always
/// the whole layer-4 length (trailing bytes included) and the protocol is
/// IPPROTO_UDP for UDP-Lite too.
///
/// For IPv4 UDP-Lite the kernel also swaps the length and protocol
/// arguments of `csum_tcpudp_nofold()`, so the length is taken modulo 256
/// (`nf_ip_checksum_partial()`; seen on 6.18: an RFC 3828 checksum fails).
fn l4_checksum_ok(family: Family, pkt: &[u8], dataoff: usize, covered: usize, lite: bool) -> bool {
    let mut l4len = (pkt.len() - dataoff) as u32;
    if lite && family == Family::Ipv4 {
        l4len &= 0xff;
    }
    let acc = match family {
        Family::Ipv4 => {
            let mut s = [0; 4];
            let mut d = [0; 4];
            s.copy_from_slice(&pkt[12..16]);
            d.copy_from_slice(&pkt[16..20]);
            checksum::pseudo_v4(s, d, ip_proto::UDP, l4len)
        }
        Family::Ipv6 => {
            let mut s = [0; 16];
            let mut d = [0; 16];
            s.copy_from_slice(&pkt[8..24]);
            d.copy_from_slice(&pkt[24..40]);
            checksum::pseudo_v6(s, d, ip_proto::UDP, l4len)
        }
    };
    checksum::fold(checksum::sum(acc, &pkt[dataoff..dataoff + covered])) == 0
}

impl Udp {
    fn log(&self, msg: &'static str) -> Reason {
        Reason::L4 {
            proto: proto(self.lite),
            msg,
        }
    }

    /// `udp_error()`.
    fn udp_error(&self, ctx: &PacketCtx<'_>) -> Option<Reason> {
        let udplen = ctx.pkt.len() - ctx.dataoff;
        let Some(h) = header_at(ctx.pkt, ctx.dataoff, udp::HEADER_LEN) else {
            return Some(self.log("short packet"));
        };
        let hdr = udp::Packet::new_unchecked(h);
        let len = usize::from(hdr.length());
        if len > udplen || len < udp::HEADER_LEN {
            return Some(self.log("truncated/malformed packet"));
        }
        if hdr.checksum() == 0 {
            return None;
        }
        if ctx.sysctl.checksum != 0
            && !l4_checksum_ok(ctx.family, ctx.pkt, ctx.dataoff, udplen, false)
        {
            return Some(self.log("bad checksum"));
        }
        None
    }

    /// `udplite_error()`.
    fn udplite_error(&self, ctx: &PacketCtx<'_>) -> Option<Reason> {
        let udplen = ctx.pkt.len() - ctx.dataoff;
        let Some(h) = header_at(ctx.pkt, ctx.dataoff, udp::HEADER_LEN) else {
            return Some(self.log("short packet"));
        };
        let hdr = udp::Packet::new_unchecked(h);
        let mut cscov = usize::from(hdr.length());
        if cscov == 0 {
            cscov = udplen;
        } else if cscov < udp::HEADER_LEN || cscov > udplen {
            return Some(self.log("invalid checksum coverage"));
        }
        if hdr.checksum() == 0 {
            return Some(self.log("checksum missing"));
        }
        if ctx.sysctl.checksum != 0
            && !l4_checksum_ok(ctx.family, ctx.pkt, ctx.dataoff, cscov, true)
        {
            return Some(self.log("bad checksum"));
        }
        None
    }
}

impl L4Proto for Udp {
    fn tuple_kind(&self) -> TupleKind {
        TupleKind::Ports
    }

    fn name(&self) -> &'static str {
        if self.lite { "udplite" } else { "udp" }
    }

    fn pkt_to_tuple(&self, pkt: &[u8], dataoff: usize, tuple: &mut Tuple) -> bool {
        ports_to_tuple(pkt, dataoff, tuple)
    }

    fn packet(&self, ctx: &mut PacketCtx<'_>) -> PacketOutcome {
        let err = if self.lite {
            self.udplite_error(ctx)
        } else {
            self.udp_error(ctx)
        };
        if let Some(r) = err {
            return PacketOutcome::Invalid(r);
        }
        let s = ctx.sysctl;
        let status = ctx.conn.status;
        if !ctx.confirmed() {
            ctx.conn.proto = ProtoState::Udp {
                stream_ts: ctx.now + STREAM_AFTER,
            };
        }
        if !status.contains(Status::SEEN_REPLY) {
            ctx.refresh(s.udp_timeout);
            return PacketOutcome::Accept;
        }
        if self.lite {
            ctx.refresh(s.udp_timeout_stream);
            if !status.contains(Status::NAT_CLASH) {
                ctx.conn.status.insert(Status::ASSURED);
            }
            return PacketOutcome::Accept;
        }
        let stream_ts = match ctx.conn.proto {
            ProtoState::Udp { stream_ts } => stream_ts,
            // Set by the first packet: not reached.
            _ => ctx.now + STREAM_AFTER,
        };
        let mut extra = s.udp_timeout;
        let mut stream = false;
        if ctx.jiffies.after(ctx.now, stream_ts) {
            extra = s.udp_timeout_stream;
            stream = !status.contains(Status::ASSURED);
        }
        ctx.refresh(extra);
        if stream && !status.contains(Status::NAT_CLASH) {
            ctx.conn.status.insert(Status::ASSURED);
        }
        PacketOutcome::Accept
    }
}
