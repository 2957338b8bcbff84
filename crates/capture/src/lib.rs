//! ctrack-capture: read capture files frame by frame.
//!
//! Classic pcap (microsecond and nanosecond magic, either byte order, the
//! "modified" variant) and pcapng (any number of sections and interfaces,
//! each with its own link type, `if_tsresol` and `if_tsoffset`). The block
//! parsing is pcap-parser's; this crate adds the interface bookkeeping,
//! timestamps in nanoseconds, frame numbering as tcpdump and Wireshark count
//! (from 1), and errors that name the frame and the byte offset where the
//! file went wrong, after every frame before it was delivered.

mod error;
mod reader;
pub mod replay;

pub use error::{CaptureError, ErrorKind};
pub use reader::{CaptureReader, Format, Frame};
