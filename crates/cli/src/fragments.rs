//! Holding back the lines of queued fragments until their datagram's fate
//! is known, so every frame's line can say what became of it (as
//! kernel-replay's notes do) while lines stay in frame order.

use ctrack_core::Verdict;
use ctrack_core::defrag::{Fate, FragmentFate};
use std::collections::{HashMap, VecDeque};

/// A frame's line, owned, waiting to be written.
#[derive(Debug, Clone)]
pub struct Held {
    pub number: u64,
    pub ts_nanos: i64,
    pub rel_nanos: i64,
    pub clock_nanos: u64,
    pub verdict: Verdict,
    pub summary: String,
    pub note: Option<String>,
    /// A queued fragment whose fate is not known yet.
    pub waiting: bool,
    /// What the rulesets did with it, when there are any.
    pub rules: Option<ctrack_rules::Decision>,
}

/// Lines in frame order, released once nothing before them waits.
pub struct Reorder {
    lines: VecDeque<Held>,
    /// Tracker packet number -> frame number.
    frame_of: HashMap<u64, u64>,
    /// Lines held at most; past it the oldest goes out with its fate unknown.
    max: usize,
    /// The last frame pushed, whose packet decides the fates reported
    /// right after it.
    last: (u64, u64),
}

/// Lines held back at most (bounding memory when a fragment waits long).
pub const MAX_HELD: usize = 1 << 16;

impl Reorder {
    pub fn new(max: usize) -> Reorder {
        Reorder {
            lines: VecDeque::new(),
            frame_of: HashMap::new(),
            max,
            last: (0, 0),
        }
    }

    fn frame(&self, packet: &u64) -> Option<u64> {
        if *packet == self.last.0 {
            return Some(self.last.1);
        }
        self.frame_of.get(packet).copied()
    }

    fn frames(&self, packets: &[u64]) -> Vec<u64> {
        packets
            .iter()
            .filter_map(|p| self.frame_of.get(p).copied())
            .collect()
    }

    /// Add the next frame's line.
    pub fn push(&mut self, mut h: Held) {
        self.last = (h.verdict.id, h.number);
        let queued = matches!(h.verdict.reason, Some(ctrack_core::Reason::FragmentQueued));
        if queued {
            self.frame_of.insert(h.verdict.id, h.number);
            h.waiting = true;
        }
        if !h.verdict.fragments.is_empty() {
            let f = self.frames(&h.verdict.fragments);
            h.note = Some(format!("completed the datagram of frames {}", join(&f)));
        }
        self.lines.push_back(h);
    }

    /// Apply what the tracker learnt about queued fragments.
    pub fn resolve(&mut self, fates: Vec<FragmentFate>) {
        for f in fates {
            let note = match &f.fate {
                Fate::Completed { by } => match self.frame(by) {
                    Some(n) => format!("datagram completed by frame {n}"),
                    None => "datagram completed".to_string(),
                },
                Fate::Expired { after_secs } => {
                    format!("datagram never completed (reassembly timed out after {after_secs} s)")
                }
                Fate::Discarded { by, why } => match self.frame(by) {
                    Some(n) => format!("datagram discarded at frame {n}: {why}"),
                    None => format!("datagram discarded: {why}"),
                },
                Fate::TooFar { by } => match self.frame(by) {
                    Some(n) => {
                        format!("dropped when frame {n} restarted the datagram (ipfrag_max_dist)")
                    }
                    None => "dropped when the datagram was restarted (ipfrag_max_dist)".to_string(),
                },
            };
            let front = self.lines.front().map(|h| h.number).unwrap_or(0);
            for p in &f.packets {
                if let Some(n) = self.frame_of.remove(p)
                    && n >= front
                    && let Some(h) = self.lines.get_mut((n - front) as usize)
                {
                    h.note = Some(note.clone());
                    h.waiting = false;
                }
            }
        }
    }

    /// Lines that can be written now, in order.
    pub fn ready(&mut self) -> Vec<Held> {
        let mut out = Vec::new();
        while let Some(front) = self.lines.front() {
            if front.waiting && self.lines.len() <= self.max {
                break;
            }
            let mut h = self.lines.pop_front().expect("front exists");
            if h.waiting {
                h.note = Some("fate unknown (too many lines held back)".into());
                self.frame_of.retain(|_, n| *n != h.number);
            }
            out.push(h);
        }
        out
    }

    /// Everything left, at the end of the capture.
    pub fn finish(&mut self) -> Vec<Held> {
        let mut out: Vec<Held> = self.lines.drain(..).collect();
        for h in &mut out {
            if h.waiting {
                h.note =
                    Some("datagram never completed (still queued when the capture ended)".into());
                h.waiting = false;
            }
        }
        self.frame_of.clear();
        out
    }
}

fn join(frames: &[u64]) -> String {
    let v: Vec<String> = frames.iter().map(u64::to_string).collect();
    v.join(", ")
}
