//! ICMPv6 (RFC 4443): the 8-byte header conntrack reads, and the message
//! types it treats specially (neighbour discovery, MLD, node information).

use super::{Error, Field, Result, be16};

mod field {
    use super::Field;
    pub const TYPE: usize = 0;
    pub const CODE: usize = 1;
    pub const CHECKSUM: Field = 2..4;
    pub const IDENT: Field = 4..6;
    pub const SEQ: Field = 6..8;
    pub const PAYLOAD: usize = 8;
}

pub const HEADER_LEN: usize = field::PAYLOAD;

/// ICMPv6 type numbers (`include/uapi/linux/icmpv6.h`, `net/ndisc.h`).
pub mod types {
    pub const DEST_UNREACH: u8 = 1;
    pub const PKT_TOOBIG: u8 = 2;
    pub const TIME_EXCEED: u8 = 3;
    pub const PARAMPROB: u8 = 4;
    pub const ECHO_REQUEST: u8 = 128;
    pub const ECHO_REPLY: u8 = 129;
    pub const MGM_QUERY: u8 = 130;
    pub const MGM_REPORT: u8 = 131;
    pub const MGM_REDUCTION: u8 = 132;
    pub const ROUTER_SOLICITATION: u8 = 133;
    pub const ROUTER_ADVERTISEMENT: u8 = 134;
    pub const NEIGHBOUR_SOLICITATION: u8 = 135;
    pub const NEIGHBOUR_ADVERTISEMENT: u8 = 136;
    pub const REDIRECT: u8 = 137;
    pub const NI_QUERY: u8 = 139;
    pub const NI_REPLY: u8 = 140;
    pub const MLD2_REPORT: u8 = 143;
    pub const MRDISC_ADV: u8 = 151;
    pub const MRDISC_SOL: u8 = 152;
}

/// Errors are the types below 128.
pub fn is_error(kind: u8) -> bool {
    kind < 128
}

pub fn type_name(kind: u8) -> &'static str {
    match kind {
        types::DEST_UNREACH => "destination unreachable",
        types::PKT_TOOBIG => "packet too big",
        types::TIME_EXCEED => "time exceeded in-transit",
        types::PARAMPROB => "parameter problem",
        types::ECHO_REQUEST => "echo request",
        types::ECHO_REPLY => "echo reply",
        types::MGM_QUERY => "multicast listener query",
        types::MGM_REPORT => "multicast listener report",
        types::MGM_REDUCTION => "multicast listener done",
        types::ROUTER_SOLICITATION => "router solicitation",
        types::ROUTER_ADVERTISEMENT => "router advertisement",
        types::NEIGHBOUR_SOLICITATION => "neighbor solicitation",
        types::NEIGHBOUR_ADVERTISEMENT => "neighbor advertisement",
        types::REDIRECT => "redirect",
        types::NI_QUERY => "node information query",
        types::NI_REPLY => "node information reply",
        types::MLD2_REPORT => "multicast listener report v2",
        types::MRDISC_ADV => "multicast router advertisement",
        types::MRDISC_SOL => "multicast router solicitation",
        _ => "type",
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    pub const fn new_unchecked(buffer: T) -> Self {
        Packet { buffer }
    }

    pub fn new_checked(buffer: T) -> Result<Self> {
        let p = Self::new_unchecked(buffer);
        if p.buffer.as_ref().len() < HEADER_LEN {
            return Err(Error::Truncated);
        }
        Ok(p)
    }

    pub fn msg_type(&self) -> u8 {
        self.buffer.as_ref()[field::TYPE]
    }

    pub fn msg_code(&self) -> u8 {
        self.buffer.as_ref()[field::CODE]
    }

    pub fn checksum(&self) -> u16 {
        be16(self.buffer.as_ref(), field::CHECKSUM.start)
    }

    pub fn ident(&self) -> u16 {
        be16(self.buffer.as_ref(), field::IDENT.start)
    }

    pub fn seq_number(&self) -> u16 {
        be16(self.buffer.as_ref(), field::SEQ.start)
    }

    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[field::PAYLOAD..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_request() {
        let b = [128, 0, 0, 0, 0x7b, 0x20, 0, 3];
        let p = Packet::new_checked(&b[..]).unwrap();
        assert_eq!(p.msg_type(), types::ECHO_REQUEST);
        assert_eq!(p.ident(), 31520);
        assert_eq!(p.seq_number(), 3);
        assert!(!is_error(p.msg_type()));
        assert!(is_error(types::PKT_TOOBIG));
        assert!(Packet::new_checked(&b[..4]).is_err());
    }
}
