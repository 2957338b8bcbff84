//! ICMP for IPv4 (RFC 792): the 8-byte header conntrack reads.
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Type      |     Code      |          Checksum             |
//! |     Identifier (queries)      |    Sequence Number (queries)  |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//! For errors the second word is unused (or MTU / pointer) and the payload
//! quotes the offending datagram's IP header and at least 8 bytes after it.

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

/// ICMP type numbers (`include/uapi/linux/icmp.h`).
pub mod types {
    pub const ECHO_REPLY: u8 = 0;
    pub const DEST_UNREACH: u8 = 3;
    pub const SOURCE_QUENCH: u8 = 4;
    pub const REDIRECT: u8 = 5;
    pub const ECHO: u8 = 8;
    pub const ROUTER_ADVERT: u8 = 9;
    pub const ROUTER_SOLICIT: u8 = 10;
    pub const TIME_EXCEEDED: u8 = 11;
    pub const PARAMETER_PROB: u8 = 12;
    pub const TIMESTAMP: u8 = 13;
    pub const TIMESTAMP_REPLY: u8 = 14;
    pub const INFO_REQUEST: u8 = 15;
    pub const INFO_REPLY: u8 = 16;
    pub const ADDRESS: u8 = 17;
    pub const ADDRESS_REPLY: u8 = 18;
    /// `NR_ICMP_TYPES`: the highest type Linux knows.
    pub const NR_ICMP_TYPES: u8 = 18;
}

/// `icmp_is_err()`: the types that carry a quoted datagram.
pub fn is_error(kind: u8) -> bool {
    matches!(
        kind,
        types::DEST_UNREACH
            | types::SOURCE_QUENCH
            | types::REDIRECT
            | types::TIME_EXCEEDED
            | types::PARAMETER_PROB
    )
}

/// A short name for display (tcpdump's words where it has them).
pub fn type_name(kind: u8) -> &'static str {
    match kind {
        types::ECHO_REPLY => "echo reply",
        types::DEST_UNREACH => "unreachable",
        types::SOURCE_QUENCH => "source quench",
        types::REDIRECT => "redirect",
        types::ECHO => "echo request",
        types::ROUTER_ADVERT => "router advertisement",
        types::ROUTER_SOLICIT => "router solicitation",
        types::TIME_EXCEEDED => "time exceeded",
        types::PARAMETER_PROB => "parameter problem",
        types::TIMESTAMP => "time stamp query",
        types::TIMESTAMP_REPLY => "time stamp reply",
        types::INFO_REQUEST => "information request",
        types::INFO_REPLY => "information reply",
        types::ADDRESS => "address mask request",
        types::ADDRESS_REPLY => "address mask reply",
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
    fn echo() {
        let b = [8, 0, 0xf7, 0xfd, 0x04, 0xca, 0, 1, 0xaa];
        let p = Packet::new_checked(&b[..]).unwrap();
        assert_eq!((p.msg_type(), p.msg_code()), (types::ECHO, 0));
        assert_eq!(p.ident(), 1226);
        assert_eq!(p.seq_number(), 1);
        assert_eq!(p.payload(), &[0xaa]);
        assert!(!is_error(p.msg_type()));
        assert!(is_error(types::TIME_EXCEEDED));
        assert!(Packet::new_checked(&b[..7]).is_err());
    }
}
