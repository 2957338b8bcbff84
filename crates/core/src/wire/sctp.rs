//! SCTP common header and chunk walk (RFC 9260).
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Source Port Number        |     Destination Port Number   |
//! |                      Verification Tag                         |
//! |                           Checksum                            |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | Chunk Type  | Chunk  Flags  |        Chunk Length             |
//! ```

use super::{Error, Field, Result, be16, be32};

mod field {
    use super::Field;
    pub const SRC_PORT: Field = 0..2;
    pub const DST_PORT: Field = 2..4;
    pub const VTAG: Field = 4..8;
    pub const CHECKSUM: Field = 8..12;
    pub const CHUNKS: usize = 12;
}

pub const HEADER_LEN: usize = field::CHUNKS;
pub const CHUNK_HEADER_LEN: usize = 4;

/// Chunk types (RFC 9260 section 3.2).
pub mod chunk {
    pub const DATA: u8 = 0;
    pub const INIT: u8 = 1;
    pub const INIT_ACK: u8 = 2;
    pub const SACK: u8 = 3;
    pub const HEARTBEAT: u8 = 4;
    pub const HEARTBEAT_ACK: u8 = 5;
    pub const ABORT: u8 = 6;
    pub const SHUTDOWN: u8 = 7;
    pub const SHUTDOWN_ACK: u8 = 8;
    pub const ERROR: u8 = 9;
    pub const COOKIE_ECHO: u8 = 10;
    pub const COOKIE_ACK: u8 = 11;
    pub const SHUTDOWN_COMPLETE: u8 = 14;
}

pub fn chunk_name(kind: u8) -> &'static str {
    match kind {
        chunk::DATA => "DATA",
        chunk::INIT => "INIT",
        chunk::INIT_ACK => "INIT ACK",
        chunk::SACK => "SACK",
        chunk::HEARTBEAT => "HEARTBEAT",
        chunk::HEARTBEAT_ACK => "HEARTBEAT ACK",
        chunk::ABORT => "ABORT",
        chunk::SHUTDOWN => "SHUTDOWN",
        chunk::SHUTDOWN_ACK => "SHUTDOWN ACK",
        chunk::ERROR => "ERROR",
        chunk::COOKIE_ECHO => "COOKIE ECHO",
        chunk::COOKIE_ACK => "COOKIE ACK",
        chunk::SHUTDOWN_COMPLETE => "SHUTDOWN COMPLETE",
        _ => "chunk",
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

    pub fn src_port(&self) -> u16 {
        be16(self.buffer.as_ref(), field::SRC_PORT.start)
    }

    pub fn dst_port(&self) -> u16 {
        be16(self.buffer.as_ref(), field::DST_PORT.start)
    }

    pub fn verification_tag(&self) -> u32 {
        be32(self.buffer.as_ref(), field::VTAG.start)
    }

    /// The CRC32c, as stored (little-endian on the wire, read as u32 BE here).
    pub fn checksum(&self) -> u32 {
        be32(self.buffer.as_ref(), field::CHECKSUM.start)
    }

    pub fn chunks(&self) -> Chunks<'_> {
        Chunks {
            rest: &self.buffer.as_ref()[field::CHUNKS..],
        }
    }
}

/// One chunk header and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk<'a> {
    pub kind: u8,
    pub flags: u8,
    /// The chunk length field (header included, padding excluded).
    pub length: u16,
    pub value: &'a [u8],
}

/// Iterator over chunks; stops at the first chunk whose header does not fit
/// or whose length is below 4 (the kernel's `for_each_sctp_chunk` rule), and
/// yields `Err` for it.
#[derive(Debug, Clone)]
pub struct Chunks<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Chunks<'a> {
    type Item = Result<Chunk<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        if self.rest.len() < CHUNK_HEADER_LEN {
            self.rest = &[];
            return Some(Err(Error::Truncated));
        }
        let length = be16(self.rest, 2);
        if usize::from(length) < CHUNK_HEADER_LEN {
            self.rest = &[];
            return Some(Err(Error::Malformed("chunk length below 4")));
        }
        let end = usize::from(length).min(self.rest.len());
        let chunk = Chunk {
            kind: self.rest[0],
            flags: self.rest[1],
            length,
            value: &self.rest[CHUNK_HEADER_LEN..end],
        };
        let padded = (usize::from(length) + 3) & !3;
        self.rest = self.rest.get(padded..).unwrap_or(&[]);
        Some(Ok(chunk))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_chunk() {
        let mut b = vec![0x80, 0x44, 0x00, 0x50, 0, 0, 0, 0, 1, 2, 3, 4];
        b.extend_from_slice(&[1, 0, 0, 20]);
        b.extend_from_slice(&[0; 16]);
        b.extend_from_slice(&[3, 0, 0, 6, 9, 9, 0, 0]);
        let p = Packet::new_checked(&b[..]).unwrap();
        assert_eq!(p.src_port(), 32836);
        assert_eq!(p.verification_tag(), 0);
        let c: Vec<_> = p.chunks().map(|c| c.unwrap().kind).collect();
        assert_eq!(c, vec![chunk::INIT, chunk::SACK]);
    }

    #[test]
    fn bad_chunk_length() {
        let b = [0, 1, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2];
        let p = Packet::new_checked(&b[..]).unwrap();
        assert!(p.chunks().next().unwrap().is_err());
    }
}
