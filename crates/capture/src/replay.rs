//! Replay a capture through the tracker: the driver around the sans-I/O
//! core. It decodes each frame's link layer, keeps the replay clock, and
//! hands the network-layer bytes to [`Conntrack::process`].
//!
//! The clock is the one `kernel-replay` reproduces on a real kernel: frames
//! are taken in file order, time advances by the gap between consecutive
//! capture timestamps, a negative gap (time going backwards, as between the
//! interfaces of a merged pcapng) counts as zero, and `max_gap` optionally
//! caps every gap.

use crate::{CaptureError, CaptureReader, Frame};
use ctrack_core::hooks::{CtSnapshot, HookPacket, Hooks, NoHooks, Post, Pre};
use ctrack_core::wire::link::{self, Decoded, LinkError};
use ctrack_core::{Conntrack, Timestamp, Verdict};
use std::time::Duration;

/// A frame decoded into memory, its network-layer bytes owned, for
/// replaying a capture many times (benchmarks).
#[derive(Debug, Clone)]
pub struct OwnedFrame {
    pub now: Timestamp,
    pub network: ctrack_core::wire::link::Network,
    pub data: Vec<u8>,
    /// The length on the wire (without the link layer).
    pub wire: usize,
}

/// Every IP frame of the capture, decoded once, with the replay clock's
/// times; frames whose link layer does not decode are left out.
pub fn decode_all(mut reader: CaptureReader) -> Result<Vec<OwnedFrame>, CaptureError> {
    let mut clock = Clock::new(None);
    let mut out = Vec::new();
    while let Some(f) = reader.next_frame()? {
        let now = clock.advance(f.ts_nanos);
        if let Ok(d) = link::decode(f.link, f.data) {
            out.push(OwnedFrame {
                now,
                network: d.network,
                data: d.payload.to_vec(),
                wire: f.wire_len.saturating_sub(d.link_len),
            });
        }
    }
    Ok(out)
}

/// The replay clock.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    last_ts: Option<i64>,
    now: u64,
    max_gap: Option<Duration>,
}

impl Clock {
    pub fn new(max_gap: Option<Duration>) -> Clock {
        Clock {
            last_ts: None,
            now: 0,
            max_gap,
        }
    }

    /// The tracker time for a frame stamped `ts_nanos`. The first frame is
    /// at its own timestamp (clamped to the epoch).
    pub fn advance(&mut self, ts_nanos: i64) -> Timestamp {
        match self.last_ts {
            None => self.now = ts_nanos.max(0) as u64,
            Some(last) => {
                let mut gap = ts_nanos.saturating_sub(last).max(0) as u64;
                if let Some(m) = self.max_gap {
                    gap = gap.min(m.as_nanos().min(u128::from(u64::MAX)) as u64);
                }
                self.now = self.now.saturating_add(gap);
            }
        }
        self.last_ts = Some(ts_nanos);
        Timestamp::from_nanos(self.now)
    }

    /// Tracker time of the last frame.
    pub fn now(&self) -> Timestamp {
        Timestamp::from_nanos(self.now)
    }
}

/// One replayed frame.
pub struct Step<'a> {
    pub frame: Frame<'a>,
    /// Tracker time of the frame.
    pub now: Timestamp,
    pub decoded: Result<Decoded<'a>, LinkError>,
    pub verdict: Verdict,
}

pub struct Replayer {
    reader: CaptureReader,
    conntrack: Conntrack,
    clock: Clock,
    zone_by: ZoneBy,
}

/// How frames map to conntrack zones (`--zone-by`): what `-j CT --zone`
/// rules matching the VLAN or the input interface would do in the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ZoneBy {
    /// Every frame in zone 0.
    #[default]
    None,
    /// The outermost 802.1Q tag's VLAN id (0 untagged).
    Vlan,
    /// The pcapng interface number (0 for classic pcap).
    Interface,
}

/// Puts every packet in `zone` unless the inner hooks' CT template says
/// otherwise.
struct InZone<'a> {
    inner: &'a mut dyn Hooks,
    zone: u16,
}

impl Hooks for InZone<'_> {
    fn before_conntrack(&mut self, pkt: &HookPacket<'_>) -> Pre {
        match self.inner.before_conntrack(pkt) {
            Pre::Continue => Pre::Template {
                helper: None,
                zone: Some(ctrack_core::Zone::both(self.zone)),
            },
            Pre::Template { helper, zone } => Pre::Template {
                helper,
                zone: zone.or(Some(ctrack_core::Zone::both(self.zone))),
            },
            other => other,
        }
    }

    fn after_conntrack(&mut self, pkt: &HookPacket<'_>, ct: &CtSnapshot) -> Post {
        self.inner.after_conntrack(pkt, ct)
    }
}

impl Replayer {
    pub fn new(reader: CaptureReader, conntrack: Conntrack, max_gap: Option<Duration>) -> Replayer {
        Replayer {
            reader,
            conntrack,
            clock: Clock::new(max_gap),
            zone_by: ZoneBy::None,
        }
    }

    pub fn conntrack(&self) -> &Conntrack {
        &self.conntrack
    }

    pub fn conntrack_mut(&mut self) -> &mut Conntrack {
        &mut self.conntrack
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn reader(&self) -> &CaptureReader {
        &self.reader
    }

    /// Replay the next frame.
    pub fn step(&mut self) -> Result<Option<Step<'_>>, CaptureError> {
        self.step_with(|_, _| {})
    }

    /// Replay the next frame, first letting `before` look at the tracker as
    /// it is just before that frame, given the frame's time.
    pub fn step_with(
        &mut self,
        before: impl FnOnce(&Conntrack, Timestamp),
    ) -> Result<Option<Step<'_>>, CaptureError> {
        self.step_hooked(before, &mut NoHooks)
    }

    /// Which conntrack zone each frame is tracked in.
    pub fn set_zone_by(&mut self, z: ZoneBy) {
        self.zone_by = z;
    }

    /// [`Replayer::step_with`] with a packet filter around conntrack.
    pub fn step_hooked(
        &mut self,
        before: impl FnOnce(&Conntrack, Timestamp),
        hooks: &mut dyn Hooks,
    ) -> Result<Option<Step<'_>>, CaptureError> {
        let Some(frame) = self.reader.next_frame()? else {
            return Ok(None);
        };
        let now = self.clock.advance(frame.ts_nanos);
        before(&self.conntrack, now);
        let decoded = link::decode(frame.link, frame.data);
        let verdict = match &decoded {
            Ok(d) => {
                let wire = frame.wire_len.saturating_sub(d.link_len);
                let zone = match self.zone_by {
                    ZoneBy::None => None,
                    ZoneBy::Vlan => Some(if d.vlan_count > 0 { d.vlans[0] } else { 0 }),
                    ZoneBy::Interface => Some(frame.interface.min(u32::from(u16::MAX)) as u16),
                };
                match zone {
                    None => self
                        .conntrack
                        .process_hooked(now, d.network, d.payload, wire, hooks),
                    Some(zone) => {
                        let mut z = InZone { inner: hooks, zone };
                        self.conntrack
                            .process_hooked(now, d.network, d.payload, wire, &mut z)
                    }
                }
            }
            Err(e) => Verdict::without_conntrack(ctrack_core::Reason::Link(*e)),
        };
        Ok(Some(Step {
            frame,
            now,
            decoded,
            verdict,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_ignores_backwards_gaps_and_caps() {
        let mut c = Clock::new(Some(Duration::from_secs(5)));
        assert_eq!(c.advance(100_000_000_000).as_nanos(), 100_000_000_000);
        assert_eq!(c.advance(101_000_000_000).as_nanos(), 101_000_000_000);
        // backwards: no time passes
        assert_eq!(c.advance(50_000_000_000).as_nanos(), 101_000_000_000);
        assert_eq!(c.advance(51_000_000_000).as_nanos(), 102_000_000_000);
        // a 100 s gap counts as 5 s
        assert_eq!(c.advance(151_000_000_000).as_nanos(), 107_000_000_000);
    }
}
