//! What went wrong in a capture file, and where.

use core::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read.
    Io(String),
    /// Neither a pcap nor a pcapng header.
    NotACapture,
    /// The file ends inside a record or block.
    Truncated,
    /// A record or block that cannot be parsed.
    Corrupt(String),
    /// A record longer than ctrack accepts.
    TooLarge(usize),
    /// A pcapng packet names an interface no IDB described.
    UnknownInterface(u32),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Io(e) => write!(f, "read error: {e}"),
            ErrorKind::NotACapture => {
                f.write_str("not a pcap or pcapng file (unknown magic number)")
            }
            ErrorKind::Truncated => {
                f.write_str("file ends in the middle of a record (truncated capture)")
            }
            ErrorKind::Corrupt(what) => write!(f, "corrupt record: {what}"),
            ErrorKind::TooLarge(n) => {
                write!(f, "record of {n} bytes is larger than any real frame")
            }
            ErrorKind::UnknownInterface(i) => write!(
                f,
                "packet on interface {i}, which no Interface Description Block defines"
            ),
        }
    }
}

/// An error at a place in the file: `frame` is the number the next frame
/// would have had, `offset` the byte offset of the record that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("frame {frame}, byte offset {offset}: {kind}")]
pub struct CaptureError {
    pub frame: u64,
    pub offset: u64,
    pub kind: ErrorKind,
}
