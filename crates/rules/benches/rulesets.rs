//! What a ruleset costs per packet: a capture of 700 mixed flows (7,133
//! frames), decoded once, replayed through a fresh tracker per iteration,
//! with no ruleset, with the classic stateful iptables ruleset (IPv4 and
//! IPv6), and with its nft equivalent (one inet table).
//!
//! `cargo bench -p ctrack-rules --bench rulesets`

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ctrack_capture::CaptureReader;
use ctrack_capture::replay::{OwnedFrame, decode_all};
use ctrack_core::hooks::{Hooks, NoHooks};
use ctrack_core::tuple::Family;
use ctrack_core::{Conntrack, Options, Sysctls};
use ctrack_rules::Pipeline;
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/kernel/rules")
        .join(rel)
}

fn load(path: &Path) -> Vec<OwnedFrame> {
    let file = std::fs::File::open(path).expect("capture");
    let r = CaptureReader::new(std::io::BufReader::new(file)).expect("capture");
    decode_all(r).expect("frames")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(fixture(rel)).expect("ruleset")
}

fn iptables() -> Pipeline {
    let mut p = Pipeline::new();
    for (file, family) in [("rules.v4", Family::Ipv4), ("rules.v6", Family::Ipv6)] {
        let text = read(&format!("stateful-conntrack-emix/{file}"));
        let rs = ctrack_rules::iptables::Ruleset::parse(&text, file, family).expect("parses");
        p.add(Box::new(rs));
    }
    p
}

fn nft() -> Pipeline {
    let mut p = Pipeline::new();
    let text = read("nft-stateful-mixed/rules.nft");
    p.add(Box::new(
        ctrack_rules::nft::Ruleset::parse(&text, "rules.nft").expect("parses"),
    ));
    p
}

fn replay(frames: &[OwnedFrame], sysctl: &Sysctls, hooks: &mut dyn Hooks) -> usize {
    let mut ct = Conntrack::new(sysctl.clone(), Options::default());
    let mut tracked = 0;
    for f in frames {
        let v = ct.process_hooked(f.now, f.network, &f.data, f.wire, hooks);
        tracked += usize::from(v.ctstate.is_some());
    }
    tracked
}

fn bench(c: &mut Criterion) {
    let sysctl = Sysctls {
        checksum: 0,
        ..Default::default()
    };
    let frames = load(&fixture("stateful-conntrack-emix/replayed.pcap"));
    let mut g = c.benchmark_group("emix_700_flows");
    g.throughput(Throughput::Elements(frames.len() as u64));
    g.bench_function("no_rules", |b| {
        b.iter(|| black_box(replay(black_box(&frames), &sysctl, &mut NoHooks)))
    });
    // A fresh ruleset per iteration (its counters start at zero), built
    // outside the timing.
    g.bench_function("iptables", |b| {
        b.iter_batched(
            iptables,
            |mut p| black_box(replay(black_box(&frames), &sysctl, &mut p)),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("nft", |b| {
        b.iter_batched(
            nft,
            |mut p| black_box(replay(black_box(&frames), &sysctl, &mut p)),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
