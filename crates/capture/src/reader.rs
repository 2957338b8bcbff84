//! The frame reader over pcap-parser's streaming block readers.

use crate::error::{CaptureError, ErrorKind};
use ctrack_core::wire::link::LinkType;
use pcap_parser::pcapng::Block;
use pcap_parser::traits::{PcapNGPacketBlock, PcapReaderIterator};
use pcap_parser::{PcapBlockOwned, PcapError};
use std::io::Read;

/// Read buffer; grown up to [`MAX_RECORD`] for large records.
const INITIAL_BUFFER: usize = 1 << 20;
/// Largest record accepted: 16 MiB is far above any real frame (GRO
/// super-packets are below 256 KiB) and bounds memory on corrupt lengths.
const MAX_RECORD: usize = 16 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pcap,
    PcapNg,
}

/// One captured frame; `data` is valid until the next call to `next_frame`.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Frame number, from 1.
    pub number: u64,
    /// Capture timestamp, nanoseconds since the Unix epoch.
    pub ts_nanos: i64,
    pub link: LinkType,
    /// pcapng interface id (0 for classic pcap).
    pub interface: u32,
    /// Length on the wire (`orig_len`); `data.len()` is the captured length.
    pub wire_len: usize,
    pub data: &'a [u8],
    /// Byte offset of the record in the file.
    pub offset: u64,
}

#[derive(Debug, Clone, Copy)]
struct Interface {
    link: LinkType,
    /// Timestamp units per second.
    units: u64,
    /// Seconds added to every timestamp (`if_tsoffset`).
    offset_secs: i64,
}

/// A capture file, frame by frame.
pub struct CaptureReader {
    inner: Box<dyn PcapReaderIterator + Send>,
    format: Format,
    frames: u64,
    done: bool,
    blocks: Blocks,
}

/// What the non-packet blocks said, and the current frame's bytes.
#[derive(Default)]
struct Blocks {
    /// Classic pcap: the one link type and resolution.
    legacy: Option<Interface>,
    interfaces: Vec<Interface>,
    last_ts: i64,
    buf: Vec<u8>,
}

fn link_of(value: i32) -> LinkType {
    LinkType::from_linktype((value as u32) & 0xffff)
}

impl CaptureReader {
    /// Open a capture; fails with `NotACapture` (offset 0) when the file is
    /// neither format.
    pub fn new<R: Read + Send + 'static>(mut reader: R) -> Result<Self, CaptureError> {
        let err = |kind| CaptureError {
            frame: 1,
            offset: 0,
            kind,
        };
        // Peek at the magic number so a damaged header is told apart from a
        // file that is no capture at all.
        let mut head = [0u8; 4];
        let mut got = 0;
        while got < head.len() {
            match reader.read(&mut head[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(err(ErrorKind::Io(e.to_string()))),
            }
        }
        let known = got == 4 && is_capture_magic(head);
        let reader = Prefixed {
            head,
            len: got,
            pos: 0,
            inner: reader,
        };
        let inner = match pcap_parser::create_reader(INITIAL_BUFFER, reader) {
            Ok(r) => r,
            Err(PcapError::ReadError) => return Err(err(ErrorKind::Io("read failed".into()))),
            Err(PcapError::Eof) | Err(PcapError::Incomplete(_)) | Err(PcapError::UnexpectedEof) => {
                return Err(err(if known || got < 4 {
                    ErrorKind::Truncated
                } else {
                    ErrorKind::NotACapture
                }));
            }
            Err(e) if known => {
                return Err(err(ErrorKind::Corrupt(format!(
                    "file header: {}",
                    describe(&e)
                ))));
            }
            Err(_) => return Err(err(ErrorKind::NotACapture)),
        };
        let format = if inner.data().starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]) {
            Format::PcapNg
        } else {
            Format::Pcap
        };
        Ok(CaptureReader {
            inner,
            format,
            frames: 0,
            done: false,
            blocks: Blocks::default(),
        })
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Frames delivered so far.
    pub fn frames_read(&self) -> u64 {
        self.frames
    }

    /// Link types of the interfaces seen so far.
    pub fn link_types(&self) -> Vec<LinkType> {
        match self.blocks.legacy {
            Some(i) => vec![i.link],
            None => self.blocks.interfaces.iter().map(|i| i.link).collect(),
        }
    }

    /// The next frame, `Ok(None)` at the end of the file. After an error the
    /// reader is finished.
    pub fn next_frame(&mut self) -> Result<Option<Frame<'_>>, CaptureError> {
        if self.done {
            return Ok(None);
        }
        loop {
            let offset = self.inner.consumed() as u64;
            let fail = |s: &mut Self, kind| {
                s.done = true;
                Err(CaptureError {
                    frame: s.frames + 1,
                    offset,
                    kind,
                })
            };
            let (len, meta) = match self.inner.next() {
                Ok((len, block)) => (len, self.blocks.take(block)),
                Err(PcapError::Eof) => {
                    self.done = true;
                    return Ok(None);
                }
                Err(PcapError::Incomplete(_)) => {
                    if let Err(e) = self.inner.refill() {
                        let kind = ErrorKind::Io(format!("{e:?}"));
                        return fail(self, kind);
                    }
                    // A refill that adds nothing at the end of the input.
                    if self.inner.reader_exhausted() && self.inner.data().is_empty() {
                        self.done = true;
                        return Ok(None);
                    }
                    continue;
                }
                Err(PcapError::BufferTooSmall) => {
                    let cap = self.inner.data().len().max(INITIAL_BUFFER);
                    if cap >= MAX_RECORD || !self.inner.grow(cap * 2) {
                        return fail(self, ErrorKind::TooLarge(cap));
                    }
                    if let Err(e) = self.inner.refill() {
                        let kind = ErrorKind::Io(format!("{e:?}"));
                        return fail(self, kind);
                    }
                    continue;
                }
                Err(PcapError::UnexpectedEof) => return fail(self, ErrorKind::Truncated),
                Err(PcapError::ReadError) => {
                    return fail(self, ErrorKind::Io("read failed".into()));
                }
                Err(PcapError::HeaderNotRecognized) => return fail(self, ErrorKind::NotACapture),
                Err(e) => {
                    let kind = ErrorKind::Corrupt(describe(&e));
                    return fail(self, kind);
                }
            };
            self.inner.consume(len);
            match meta {
                Ok(Some(m)) => {
                    self.frames += 1;
                    self.blocks.last_ts = m.ts_nanos;
                    return Ok(Some(Frame {
                        number: self.frames,
                        ts_nanos: m.ts_nanos,
                        link: m.link,
                        interface: m.interface,
                        wire_len: m.wire_len,
                        data: &self.blocks.buf,
                        offset,
                    }));
                }
                Ok(None) => continue,
                Err(kind) => return fail(self, kind),
            }
        }
    }
}

impl Blocks {
    /// Record what a non-packet block says; copy a packet's bytes into
    /// `self.buf` and return its metadata.
    fn take(&mut self, block: PcapBlockOwned<'_>) -> Result<Option<FrameMeta>, ErrorKind> {
        match block {
            PcapBlockOwned::LegacyHeader(h) => {
                self.legacy = Some(Interface {
                    link: link_of(h.network.0),
                    units: if h.is_nanosecond_precision() {
                        1_000_000_000
                    } else {
                        1_000_000
                    },
                    offset_secs: 0,
                });
                Ok(None)
            }
            PcapBlockOwned::Legacy(b) => {
                let iface = self
                    .legacy
                    .ok_or_else(|| ErrorKind::Corrupt("record before the file header".into()))?;
                if b.caplen as usize > MAX_RECORD {
                    return Err(ErrorKind::TooLarge(b.caplen as usize));
                }
                self.buf.clear();
                self.buf.extend_from_slice(b.data);
                let ts = ts_nanos(u64::from(b.ts_sec), u64::from(b.ts_usec), iface.units, 0);
                Ok(Some(FrameMeta {
                    ts_nanos: ts,
                    link: iface.link,
                    interface: 0,
                    wire_len: (b.origlen as usize).max(b.data.len()),
                }))
            }
            PcapBlockOwned::NG(Block::SectionHeader(_)) => {
                self.interfaces.clear();
                Ok(None)
            }
            PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                let units = idb.ts_resolution().ok_or_else(|| {
                    ErrorKind::Corrupt(format!("if_tsresol {} is invalid", idb.if_tsresol))
                })?;
                self.interfaces.push(Interface {
                    link: link_of(idb.linktype.0),
                    units,
                    offset_secs: idb.ts_offset(),
                });
                Ok(None)
            }
            PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
                let iface = *self
                    .interfaces
                    .get(epb.if_id as usize)
                    .ok_or(ErrorKind::UnknownInterface(epb.if_id))?;
                let data = epb.packet_data();
                self.buf.clear();
                self.buf.extend_from_slice(data);
                let raw = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                let ts = ts_nanos(
                    raw / iface.units,
                    raw % iface.units,
                    iface.units,
                    iface.offset_secs,
                );
                Ok(Some(FrameMeta {
                    ts_nanos: ts,
                    link: iface.link,
                    interface: epb.if_id,
                    wire_len: (epb.origlen as usize).max(data.len()),
                }))
            }
            PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
                let iface = *self
                    .interfaces
                    .first()
                    .ok_or(ErrorKind::UnknownInterface(0))?;
                let data = spb.packet_data();
                self.buf.clear();
                self.buf.extend_from_slice(data);
                Ok(Some(FrameMeta {
                    ts_nanos: self.last_ts,
                    link: iface.link,
                    interface: 0,
                    wire_len: (spb.origlen as usize).max(data.len()),
                }))
            }
            PcapBlockOwned::NG(_) => Ok(None),
        }
    }
}

struct FrameMeta {
    ts_nanos: i64,
    link: LinkType,
    interface: u32,
    wire_len: usize,
}

/// Seconds and fraction (in `units` per second) to nanoseconds, saturating.
fn ts_nanos(secs: u64, frac: u64, units: u64, offset_secs: i64) -> i64 {
    let frac_ns = (u128::from(frac) * 1_000_000_000 / u128::from(units.max(1))) as i128;
    let total = (i128::from(secs) + i128::from(offset_secs)) * 1_000_000_000 + frac_ns;
    total.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// A reader that gives back the bytes peeked from it first, then continues
/// in the same `read` call (pcap-parser sizes its first parse from one read).
struct Prefixed<R> {
    head: [u8; 4],
    len: usize,
    pos: usize,
    inner: R,
}

impl<R: Read> Read for Prefixed<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        if self.pos < self.len {
            n = (self.len - self.pos).min(buf.len());
            buf[..n].copy_from_slice(&self.head[self.pos..self.pos + n]);
            self.pos += n;
        }
        if n < buf.len() {
            match self.inner.read(&mut buf[n..]) {
                Ok(m) => n += m,
                Err(e) if n == 0 => return Err(e),
                Err(_) => {}
            }
        }
        Ok(n)
    }
}

/// The magic numbers of classic pcap (µs, ns, modified; both byte orders)
/// and of a pcapng Section Header Block.
fn is_capture_magic(b: [u8; 4]) -> bool {
    let le = u32::from_le_bytes(b);
    matches!(
        le,
        0xa1b2_c3d4
            | 0xd4c3_b2a1
            | 0xa1b2_3c4d
            | 0x4d3c_b2a1
            | 0xa1b2_cd34
            | 0x34cd_b2a1
            | 0x0a0d_0d0a
    )
}

fn describe(e: &PcapError<&[u8]>) -> String {
    match e {
        PcapError::NomError(_, k) => format!("{k:?}"),
        PcapError::OwnedNomError(_, k) => format!("{k:?}"),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn pcap_header(be: bool, nanos: bool, link: u32) -> Vec<u8> {
        let magic: u32 = if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
        let mut h = Vec::new();
        let put32 = |h: &mut Vec<u8>, v: u32| {
            h.extend_from_slice(&if be { v.to_be_bytes() } else { v.to_le_bytes() })
        };
        put32(&mut h, magic);
        let (maj, min) = (2u16, 4u16);
        h.extend_from_slice(&if be {
            maj.to_be_bytes()
        } else {
            maj.to_le_bytes()
        });
        h.extend_from_slice(&if be {
            min.to_be_bytes()
        } else {
            min.to_le_bytes()
        });
        put32(&mut h, 0);
        put32(&mut h, 0);
        put32(&mut h, 65535);
        put32(&mut h, link);
        h
    }

    fn record(be: bool, sec: u32, frac: u32, data: &[u8], orig: u32) -> Vec<u8> {
        let mut r = Vec::new();
        for v in [sec, frac, data.len() as u32, orig] {
            r.extend_from_slice(&if be { v.to_be_bytes() } else { v.to_le_bytes() });
        }
        r.extend_from_slice(data);
        r
    }

    /// Frames as (number, timestamp, captured length, wire length).
    type Frames = Vec<(u64, i64, usize, usize)>;

    fn read_all(bytes: Vec<u8>) -> (Frames, Option<CaptureError>) {
        let mut r = CaptureReader::new(Cursor::new(bytes)).unwrap();
        let mut out = Vec::new();
        loop {
            match r.next_frame() {
                Ok(Some(f)) => out.push((f.number, f.ts_nanos, f.data.len(), f.wire_len)),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    #[test]
    fn classic_both_orders_and_resolutions() {
        for be in [false, true] {
            for nanos in [false, true] {
                let mut f = pcap_header(be, nanos, 1);
                f.extend(record(be, 10, 5, &[1, 2, 3], 60));
                f.extend(record(be, 11, 0, &[4; 14], 14));
                let (frames, err) = read_all(f);
                assert!(err.is_none());
                let unit = if nanos { 1 } else { 1000 };
                assert_eq!(
                    frames,
                    vec![
                        (1, 10_000_000_000 + 5 * unit, 3, 60),
                        (2, 11_000_000_000, 14, 14)
                    ]
                );
            }
        }
    }

    #[test]
    fn truncated_record_reports_frame_and_offset() {
        let mut f = pcap_header(false, false, 1);
        f.extend(record(false, 1, 0, &[0; 20], 20));
        let second = f.len();
        f.extend(record(false, 2, 0, &[0; 40], 40));
        f.truncate(second + 30);
        let (frames, err) = read_all(f);
        assert_eq!(frames.len(), 1);
        let e = err.unwrap();
        assert_eq!(
            (e.frame, e.offset, e.kind.clone()),
            (2, second as u64, ErrorKind::Truncated)
        );
        assert_eq!(
            e.to_string(),
            format!(
                "frame 2, byte offset {second}: file ends in the middle of a record (truncated capture)"
            )
        );
    }

    #[test]
    fn not_a_capture() {
        let r = CaptureReader::new(Cursor::new(
            b"hello, this is not a capture file at all".to_vec(),
        ));
        assert_eq!(r.err().unwrap().kind, ErrorKind::NotACapture);
        let r = CaptureReader::new(Cursor::new(Vec::new()));
        assert!(r.is_err());
    }

    #[test]
    fn huge_caplen_is_an_error_not_an_allocation() {
        let mut f = pcap_header(false, false, 1);
        let mut rec = record(false, 1, 0, &[], 0);
        rec[8..12].copy_from_slice(&0x7fff_fff0u32.to_le_bytes());
        f.extend(rec);
        f.extend([0u8; 64]);
        let (frames, err) = read_all(f);
        assert!(frames.is_empty());
        assert!(err.is_some());
    }

    fn ng_block(kind: u32, body: &[u8]) -> Vec<u8> {
        let len = 12 + body.len().div_ceil(4) * 4;
        let mut b = Vec::new();
        b.extend_from_slice(&kind.to_le_bytes());
        b.extend_from_slice(&(len as u32).to_le_bytes());
        b.extend_from_slice(body);
        b.resize(len - 4, 0);
        b.extend_from_slice(&(len as u32).to_le_bytes());
        b
    }

    fn shb() -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
        body.extend_from_slice(&1u16.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        body.extend_from_slice(&(-1i64).to_le_bytes());
        ng_block(0x0a0d_0d0a, &body)
    }

    fn idb(link: u16, tsresol: Option<u8>) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&link.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        body.extend_from_slice(&0u32.to_le_bytes());
        if let Some(r) = tsresol {
            body.extend_from_slice(&9u16.to_le_bytes());
            body.extend_from_slice(&1u16.to_le_bytes());
            body.extend_from_slice(&[r, 0, 0, 0]);
            body.extend_from_slice(&[0, 0, 0, 0]);
        }
        ng_block(1, &body)
    }

    fn epb(iface: u32, ts: u64, data: &[u8]) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&iface.to_le_bytes());
        body.extend_from_slice(&((ts >> 32) as u32).to_le_bytes());
        body.extend_from_slice(&(ts as u32).to_le_bytes());
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        ng_block(6, &body)
    }

    #[test]
    fn pcapng_interfaces_with_their_own_resolution() {
        let mut f = shb();
        f.extend(idb(1, None)); // microseconds
        f.extend(idb(113, Some(9))); // nanoseconds, LINUX_SLL
        f.extend(epb(0, 1_500_000, &[1; 20]));
        f.extend(epb(1, 2_000_000_007, &[2; 21]));
        let mut r = CaptureReader::new(Cursor::new(f)).unwrap();
        assert_eq!(r.format(), Format::PcapNg);
        let a = r.next_frame().unwrap().unwrap();
        assert_eq!(
            (a.number, a.ts_nanos, a.link, a.data.len()),
            (1, 1_500_000_000, LinkType::Ethernet, 20)
        );
        let b = r.next_frame().unwrap().unwrap();
        assert_eq!(
            (b.number, b.ts_nanos, b.link, b.interface),
            (2, 2_000_000_007, LinkType::LinuxSll, 1)
        );
        assert!(r.next_frame().unwrap().is_none());
        assert_eq!(r.link_types(), vec![LinkType::Ethernet, LinkType::LinuxSll]);
    }

    #[test]
    fn pcapng_unknown_interface() {
        let mut f = shb();
        f.extend(idb(1, None));
        f.extend(epb(3, 0, &[0; 4]));
        let (frames, err) = read_all(f);
        assert!(frames.is_empty());
        assert_eq!(err.unwrap().kind, ErrorKind::UnknownInterface(3));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            if let Ok(mut r) = CaptureReader::new(Cursor::new(data)) {
                for _ in 0..4096 {
                    match r.next_frame() {
                        Ok(Some(_)) => {}
                        _ => break,
                    }
                }
            }
        }

        #[test]
        fn any_cut_gives_a_prefix_then_an_error_or_end(cut in 24usize..200) {
            let mut f = pcap_header(false, false, 1);
            for i in 0..5u8 {
                f.extend(record(false, u32::from(i), 0, &[i; 20], 20));
            }
            f.truncate(cut.min(f.len()));
            let (frames, err) = read_all(f.clone());
            let whole = (f.len() - 24) / 36;
            proptest::prop_assert_eq!(frames.len(), whole);
            proptest::prop_assert_eq!(err.is_some(), !(f.len() - 24).is_multiple_of(36));
        }
    }
}
