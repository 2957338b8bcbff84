//! Explanations: the steps the tracker took for one packet, in words, with
//! the numbers it compared. Off by default; when off, nothing is formatted.

#[derive(Debug, Default, Clone)]
pub struct Trace {
    enabled: bool,
    lines: Vec<String>,
}

impl Trace {
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    pub fn set_enabled(&mut self, on: bool) {
        self.enabled = on;
    }

    /// Record a line; `f` runs only when explaining. The test is inlined
    /// into every caller and the formatting kept out of line, so a note
    /// costs a load and a branch when explaining is off.
    #[inline]
    pub fn note(&mut self, f: impl FnOnce() -> String) {
        if self.enabled {
            self.record(f);
        }
    }

    #[cold]
    #[inline(never)]
    fn record(&mut self, f: impl FnOnce() -> String) {
        self.lines.push(f());
    }

    pub fn take(&mut self) -> Vec<String> {
        std::mem::take(&mut self.lines)
    }
}
