//! A fragment flood: first fragments of datagrams that never complete,
//! from spoofed sources, IPv4 and IPv6 mixed, through a tracker with the
//! kernel's default reassembly thresholds and with small ones. Reports the
//! time per fragment (criterion) and the peak heap the flood needed (a
//! counting allocator), against the configured thresholds.
//!
//! `cargo bench -p ctrack-core --bench fragment_flood`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ctrack_core::wire::checksum::checksum;
use ctrack_core::wire::link::Network;
use ctrack_core::{Conntrack, Options, Sysctls, Timestamp};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The system allocator, counting bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// `n` fragments: IPv4 and IPv6 first fragments (MF set, 1,200 bytes of
/// data) of distinct datagrams from distinct sources, 10 µs apart.
fn flood(n: u32) -> Vec<(Timestamp, Network, Vec<u8>)> {
    let data = vec![0x5au8; 1200];
    (0..n)
        .map(|i| {
            let t = Timestamp::from_secs(1) + Duration::from_micros(u64::from(i) * 10);
            let b = i.to_be_bytes();
            if i % 2 == 0 {
                let mut p = vec![0x45, 0, 0, 0, b[2], b[3], 0x20, 0, 64, 17, 0, 0];
                p[2..4].copy_from_slice(&((20 + data.len()) as u16).to_be_bytes());
                p.extend_from_slice(&[10, b[1], b[2], b[3]]);
                p.extend_from_slice(&[192, 0, 2, 1]);
                let c = checksum(&p);
                p[10..12].copy_from_slice(&c.to_be_bytes());
                p.extend_from_slice(&data);
                (t, Network::Ipv4, p)
            } else {
                let mut p = vec![0x60, 0, 0, 0];
                p.extend_from_slice(&((8 + data.len()) as u16).to_be_bytes());
                p.extend_from_slice(&[44, 64]);
                p.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0]);
                p.extend_from_slice(&b);
                p.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
                p.extend_from_slice(&[17, 0, 0, 1]);
                p.extend_from_slice(&b);
                p.extend_from_slice(&data);
                (t, Network::Ipv6, p)
            }
        })
        .collect()
}

fn tracker(thresh: Option<u32>) -> Conntrack {
    let mut s = Sysctls::default();
    if let Some(t) = thresh {
        s.ipfrag_high_thresh = t;
        s.ipfrag_low_thresh = t / 4 * 3;
        s.frag6_high_thresh = t;
        s.frag6_low_thresh = t / 4 * 3;
    }
    Conntrack::new(s, Options::default())
}

fn run(ct: &mut Conntrack, frames: &[(Timestamp, Network, Vec<u8>)]) -> usize {
    let mut queued = 0;
    for (t, net, p) in frames {
        let v = ct.process(*t, *net, p, p.len());
        queued += usize::from(v.reason == Some(ctrack_core::Reason::FragmentQueued));
        let _ = ct.take_fragment_fates();
    }
    queued
}

/// The flood once, outside criterion, measuring the heap it needed beyond
/// its input.
fn peak_report(frames: &[(Timestamp, Network, Vec<u8>)], thresh: Option<u32>) {
    let mut ct = tracker(thresh);
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let queued = run(&mut ct, frames);
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let (m4, m6) = ct.defrag().memory();
    let limit = thresh.unwrap_or(4 << 20) as usize;
    eprintln!(
        "fragment flood, {} fragments, high_thresh {} KiB per family: {} queued; \
         charged at the end {} + {} KiB; peak heap {} KiB = {:.2} x the two thresholds",
        frames.len(),
        limit >> 10,
        queued,
        m4 >> 10,
        m6 >> 10,
        peak >> 10,
        peak as f64 / (2 * limit) as f64
    );
    black_box(ct);
}

fn bench(c: &mut Criterion) {
    let frames = flood(200_000);
    peak_report(&frames, None);
    peak_report(&frames, Some(256 << 10));
    let mut g = c.benchmark_group("fragment_flood");
    g.throughput(Throughput::Elements(frames.len() as u64));
    g.sample_size(10);
    g.bench_function("default_thresholds", |b| {
        b.iter(|| {
            let mut ct = tracker(None);
            black_box(run(&mut ct, &frames))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
