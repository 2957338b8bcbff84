//! Tracking throughput: whole captures, decoded once, replayed through a
//! fresh tracker per iteration. Reports time per packet.
//!
//! `cargo bench -p ctrack-capture --bench track`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ctrack_capture::CaptureReader;
use ctrack_capture::replay::{OwnedFrame, decode_all};
use ctrack_core::{Conntrack, Options, Sysctls};
use std::hint::black_box;
use std::path::Path;

fn load(path: &Path) -> Vec<OwnedFrame> {
    let file = std::fs::File::open(path).expect("capture");
    let r = CaptureReader::new(std::io::BufReader::new(file)).expect("capture");
    decode_all(r).expect("frames")
}

fn replay(frames: &[OwnedFrame], sysctl: &Sysctls) -> usize {
    let mut ct = Conntrack::new(sysctl.clone(), Options::default());
    let mut tracked = 0;
    for f in frames {
        let v = ct.process(f.now, f.network, &f.data, f.wire);
        tracked += usize::from(v.ctstate.is_some());
    }
    tracked
}

fn bench(c: &mut Criterion) {
    let sysctl = Sysctls {
        checksum: 0,
        ..Default::default()
    };
    for (name, file) in [
        (
            "tcp_established_1mb_transfer",
            "tcp-wscale7-1MB-transfer-zeek.pcap",
        ),
        (
            "tcp_500_connections",
            "throughput-echo-500-conns-loopback-zeek.pcap",
        ),
        ("udp_dns", "udp-dns-single-tuple-4min-zeek.pcap"),
    ] {
        let frames = load(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/pcaps")
                .join(file),
        );
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Elements(frames.len() as u64));
        g.bench_function("replay", |b| {
            b.iter(|| black_box(replay(black_box(&frames), &sysctl)))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
