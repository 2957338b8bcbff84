//! Reading a capture allocates nothing per frame: each frame's bytes are
//! copied into one reused buffer, which grows only when a frame is larger
//! than any before. Checked for classic pcap and pcapng with a counting
//! allocator.

#[path = "../../core/tests/support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{Counting, allocs};

#[global_allocator]
static A: Counting = Counting;

/// Allocations while reading the frames after the first ten (which grow
/// the buffers), and how many frames that was.
fn reading_allocs(name: &str) -> (u64, u64) {
    let path = format!("{}/../../tests/pcaps/{name}", env!("CARGO_MANIFEST_DIR"));
    let file = std::fs::File::open(&path).expect(&path);
    let mut r = ctrack_capture::CaptureReader::new(std::io::BufReader::new(file)).expect(&path);
    for _ in 0..10 {
        r.next_frame().expect("frame");
    }
    let before = allocs();
    let mut frames = 0;
    while r.next_frame().expect("frame").is_some() {
        frames += 1;
    }
    (allocs() - before, frames)
}

#[test]
fn reading_frames_does_not_allocate() {
    for name in [
        "throughput-echo-500-conns-loopback-zeek.pcap",
        "irc-dcc-send-and-chat-zeek.pcapng",
    ] {
        let (n, frames) = reading_allocs(name);
        assert!(frames > 1000, "{name}: {frames} frames");
        // A few growths of the buffers for larger frames, never one a frame.
        assert!(
            n * 100 < frames,
            "{name}: {n} allocations over {frames} frames"
        );
    }
}
