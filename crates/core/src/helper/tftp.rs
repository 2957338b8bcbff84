//! The TFTP helper (`nf_conntrack_tftp.c`): a read or write request
//! expects the server's answer, which comes from a new port, back to the
//! client's port.
//!
//! The kernel looks only at the opcode, in any packet of the connection and
//! either direction; the expectation is built from the reply tuple (source
//! the server's address, destination the client's address and port, any
//! source port).

use super::{HelpCtx, HelpVerdict, Helper};
use crate::ctinfo::Direction;
use crate::expect::{NewExpect, Policy};
use crate::sysctl::Sysctls;
use crate::wire::ip_proto;

const OPCODE_READ: u16 = 1;
const OPCODE_WRITE: u16 = 2;

pub struct Tftp;

impl Helper for Tftp {
    fn name(&self) -> &'static str {
        "tftp"
    }

    fn proto(&self) -> u8 {
        ip_proto::UDP
    }

    fn policies(&self, _sysctl: &Sysctls) -> Vec<Policy> {
        vec![Policy {
            max_expected: 1,
            timeout: 5 * 60,
            name: "",
        }]
    }

    fn help(&self, ctx: &mut HelpCtx<'_>) -> HelpVerdict {
        // `struct tftphdr` after the UDP header.
        let at = ctx.protoff + 8;
        let Some(op) = ctx.pkt.get(at..at + 2) else {
            return HelpVerdict::Accept;
        };
        let opcode = u16::from_be_bytes([op[0], op[1]]);
        if opcode != OPCODE_READ && opcode != OPCODE_WRITE {
            return HelpVerdict::Accept;
        }
        let t = ctx.tuple(Direction::Reply);
        let exp = NewExpect::new(
            0,
            t.family,
            Some(t.src),
            t.dst,
            ip_proto::UDP,
            None,
            t.dst_u,
        );
        ctx.note(|| {
            let kind = if opcode == OPCODE_READ {
                "read"
            } else {
                "write"
            };
            format!("tftp: {kind} request")
        });
        match ctx.expect_related(exp) {
            Ok(()) => HelpVerdict::Accept,
            Err(_) => HelpVerdict::Drop("cannot add expectation".into()),
        }
    }
}
