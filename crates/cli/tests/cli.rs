//! The `ctrack` binary, run as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn pcap(name: &str) -> PathBuf {
    repo().join("tests/pcaps").join(name)
}

fn fixture(group_name: &str) -> PathBuf {
    repo().join("tests/fixtures/kernel").join(group_name)
}

fn ctrack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ctrack"))
        .args(args)
        .output()
        .expect("ctrack runs")
}

fn ctrack_paths(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ctrack"));
    for a in args {
        c.arg(a);
    }
    c.output().expect("ctrack runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn kernel_lines(name: &str) -> usize {
    let p = fixture(&format!("corpus/{name}/packets.jsonl"));
    std::fs::read_to_string(p).expect("fixture").lines().count()
}

#[test]
fn every_shipped_capture_replays_one_line_per_frame() {
    let mut seen = 0;
    for entry in std::fs::read_dir(repo().join("tests/pcaps")).expect("tests/pcaps") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.ends_with(".pcap") || name.ends_with(".pcapng")) {
            continue;
        }
        let stem = name.trim_end_matches(".pcapng").trim_end_matches(".pcap");
        let o = ctrack_paths(&[&"replay", &path, &"--quiet"]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        assert!(stderr(&o).is_empty(), "{name}: {}", stderr(&o));
        assert_eq!(
            stdout(&o).lines().count(),
            kernel_lines(stem),
            "{name}: one line per frame"
        );
        seen += 1;
    }
    assert_eq!(seen, 40);
}

#[test]
fn text_lines_show_state_direction_and_reason() {
    let o = ctrack_paths(&[&"replay", &pcap("udp-dns-single-tuple-4min-zeek.pcap")]);
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("    1     0.000000 NEW         ORIGINAL #1 "),
        "{first}"
    );
    assert!(
        first.ends_with("IP 192.168.170.8.32795 > 192.168.170.20.53: UDP, length 28"),
        "{first}"
    );
    let third = out.lines().nth(2).unwrap();
    assert!(
        third.contains("ESTABLISHED ORIGINAL") && third.ends_with("[SEEN_REPLY,ASSURED]"),
        "{third}"
    );

    // Non-IP frames and INVALID packets say why.
    let o = ctrack_paths(&[
        &"replay",
        &pcap("tcp-scans-refused-fin-null-xmas-ndpi.pcap"),
    ]);
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.contains("ARP") && l.contains("-- not IP (ethertype 0x0806)")),
        "{out}"
    );
    let o = ctrack_paths(&[
        &"replay",
        &fixture("synthetic/icmp-error-quoting-echo/replayed.pcap"),
    ]);
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.contains("INVALID")
                && l.contains("-- icmp: can't create new conn with type 0")),
        "{out}"
    );
}

#[test]
fn jsonl_has_the_documented_fields() {
    let o = ctrack_paths(&[
        &"replay",
        &pcap("icmp-echo-5-pings-zeek.pcap"),
        &"--format",
        &"jsonl",
    ]);
    assert!(o.status.success());
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 10);
    let a = &lines[0];
    assert_eq!(a["i"], 1);
    assert_eq!(a["ctstate"], "NEW");
    assert_eq!(a["ctdir"], "ORIGINAL");
    assert_eq!(a["ctstatus"], serde_json::json!([]));
    assert_eq!(a["reason"], serde_json::Value::Null);
    assert_eq!(a["entry"], 1);
    assert_eq!(a["tuple"]["proto"], 1);
    assert_eq!(a["tuple"]["type"], 8);
    assert_eq!(a["tuple"]["id"], 1226);
    assert!(a["ts"].as_f64().unwrap() > 1e9);
    let b = &lines[1];
    assert_eq!(b["ctstate"], "ESTABLISHED");
    assert_eq!(b["ctdir"], "REPLY");
    assert_eq!(b["ctstatus"], serde_json::json!(["SEEN_REPLY"]));
    // ts keeps nanosecond digits
    let raw = stdout(&o);
    let ts = raw
        .split("\"ts\":")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    assert_eq!(ts.split('.').nth(1).unwrap().len(), 9, "{ts}");
}

#[test]
fn dump_table_matches_the_kernel_line() {
    let o = ctrack_paths(&[
        &"replay",
        &pcap("udp-dns-single-tuple-4min-zeek.pcap"),
        &"--dump-table",
        &"-",
        &"-q",
    ]);
    let out = stdout(&o);
    let table = out.lines().last().unwrap();
    let kernel =
        std::fs::read_to_string(fixture("corpus/udp-dns-single-tuple-4min-zeek/table.txt"))
            .unwrap();
    assert_eq!(table, kernel.trim_end());

    let dir = tempdir();
    let file = dir.join("table.txt");
    let o = ctrack_paths(&[
        &"replay",
        &pcap("icmp-echo-5-pings-zeek.pcap"),
        &"--dump-table",
        &file,
        &"-q",
    ]);
    assert!(o.status.success());
    let t = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        t,
        "ipv4     2 icmp     1 30 src=172.16.133.2 dst=172.217.11.78 type=8 code=0 id=1226 src=172.217.11.78 dst=172.16.133.2 type=0 code=0 id=1226 mark=0 zone=0 use=2\n"
    );
}

#[test]
fn expect_passes_on_agreement_and_fails_on_difference() {
    let dir = fixture("corpus/udp-dns-single-tuple-4min-zeek");
    // The original capture and kernel-replay's replayed.pcap both align.
    for cap in [
        pcap("udp-dns-single-tuple-4min-zeek.pcap"),
        dir.join("replayed.pcap"),
    ] {
        let o = ctrack_paths(&[
            &"replay",
            &cap,
            &"--sysctl",
            &dir.join("sysctl.conf"),
            &"--expect",
            &dir.join("packets.jsonl"),
        ]);
        assert!(o.status.success(), "{}", stdout(&o));
        assert_eq!(
            stdout(&o).trim(),
            "expect: 22/22 frames agree with the kernel recording (0 differ)"
        );
    }
    // A timeout too short to carry the entry over the 71 s gap: differences, exit 1.
    let o = ctrack_paths(&[
        &"replay",
        &dir.join("replayed.pcap"),
        &"--set",
        &"nf_conntrack_udp_timeout_stream=60",
        &"--expect",
        &dir.join("packets.jsonl"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(
            "frame 7: ctrack NEW ORIGINAL []  kernel ESTABLISHED ORIGINAL [ASSURED,SEEN_REPLY]"
        ),
        "{out}"
    );
    assert!(out.trim_end().ends_with("differ)"));
}

#[test]
fn knob_errors_name_the_knob_and_line() {
    let cap = pcap("icmp-echo-5-pings-zeek.pcap");
    let o = ctrack_paths(&[&"replay", &cap, &"--set", &"nf_conntrack_bogus=1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown knob `nf_conntrack_bogus`"),
        "{}",
        stderr(&o)
    );
    let o = ctrack_paths(&[&"replay", &cap, &"--set", &"nf_conntrack_checksum=7"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("outside 0..=1"), "{}", stderr(&o));
    let dir = tempdir();
    let conf = dir.join("bad.conf");
    std::fs::write(&conf, "# fine\nnet.netfilter.nf_conntrack_udp_timeout = 5\nnet.netfilter.nf_conntrack_udp_timeout = soon\n").unwrap();
    let o = ctrack_paths(&[&"replay", &cap, &"--sysctl", &conf]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 3: `nf_conntrack_udp_timeout`: value `soon` is not an integer"),
        "{}",
        stderr(&o)
    );
    let o = ctrack(&["sysctls", "--set", "nf_conntrack_udp_timeout=7"]);
    assert!(stdout(&o).contains("net.netfilter.nf_conntrack_udp_timeout = 7\n"));
    assert_eq!(stdout(&o).lines().count(), ctrack_core::sysctl::KNOBS.len());
    assert!(stdout(&o).contains("nf_conntrack_ftp.loose = 0\n"));
}

#[test]
fn cut_captures_give_the_frames_before_the_cut_then_an_error() {
    let dir = tempdir();
    for name in [
        "tftp-rrq-suricata.pcap",
        "pcapng-2-interfaces-ns-and-us-zeek.pcapng",
    ] {
        let bytes = std::fs::read(pcap(name)).unwrap();
        let whole = stdout(&ctrack_paths(&[&"replay", &pcap(name), &"-q"]));
        let whole: Vec<&str> = whole.lines().collect();
        // Cut at a spread of offsets, including inside the first records.
        let step = (bytes.len() / 37).max(1);
        for cut in (30..bytes.len()).step_by(step).chain([bytes.len() - 1]) {
            let p = dir.join(format!("cut-{cut}-{name}"));
            std::fs::write(&p, &bytes[..cut]).unwrap();
            let o = ctrack_paths(&[&"replay", &p, &"-q"]);
            let lines = stdout(&o);
            let lines: Vec<&str> = lines.lines().collect();
            assert!(lines.len() < whole.len(), "{name} cut at {cut}");
            assert_eq!(
                &whole[..lines.len()],
                &lines[..],
                "{name} cut at {cut}: the frames before the cut are unchanged"
            );
            let err = stderr(&o);
            if o.status.code() == Some(2) {
                let want = format!("frame {}, byte offset ", lines.len() + 1);
                assert!(err.contains(&want), "{name} cut at {cut}: {err}");
                assert!(
                    err.contains("truncated") || err.contains("corrupt"),
                    "{err}"
                );
            } else {
                // A cut exactly between records is a shorter, valid capture.
                assert!(
                    o.status.success() && err.is_empty(),
                    "{name} cut at {cut}: {err}"
                );
            }
        }
    }
}

#[test]
fn garbage_files_are_errors_not_panics() {
    let dir = tempdir();
    let p = dir.join("garbage.pcap");
    std::fs::write(&p, b"this is not a capture file, really not").unwrap();
    let o = ctrack_paths(&[&"replay", &p]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a pcap or pcapng file"),
        "{}",
        stderr(&o)
    );
    let o = ctrack_paths(&[&"replay", &dir.join("missing.pcap")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.pcap"), "{}", stderr(&o));
}

#[test]
fn strict_length_drops_snaplen_cut_frames_as_the_kernel_does() {
    let cap = pcap("tcp-wscale7-1MB-transfer-zeek.pcap");
    let padded = stdout(&ctrack_paths(&[&"replay", &cap, &"-q"]));
    assert!(padded.lines().any(|l| l.contains("(padded 1418 bytes)")));
    let strict = stdout(&ctrack_paths(&[&"replay", &cap, &"-q", &"--strict-length"]));
    let dropped = strict
        .lines()
        .filter(|l| l.contains("-- dropped before conntrack: truncated IP packet ("))
        .count();
    assert_eq!(dropped, 691, "the kernel drops the 691 cut frames");
}

/// A fresh directory under the target dir (no temp-file crate needed).
fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn explain_shows_the_failed_window_bound_with_its_numbers() {
    let d = fixture("synthetic/tcp-window-strict");
    let o = ctrack_paths(&[
        &"explain",
        &d.join("replayed.pcap"),
        &"6",
        &"--sysctl",
        &d.join("sysctl.conf"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("frame 6 at "), "{out}");
    assert!(
        out.contains("found in direction ORIGINAL; before the packet:"),
        "{out}"
    );
    assert!(
        out.contains("ORIGINAL td_end=2001 td_maxend=10193 td_maxwin=4096"),
        "{out}"
    );
    assert!(
        out.contains(
            "state table: ACK segment in direction ORIGINAL, state ESTABLISHED -> ESTABLISHED"
        ),
        "{out}"
    );
    assert!(
        out.contains("I.   seq 102001 <= sender.td_maxend 10193 (upper bound of data): FAILS"),
        "{out}"
    );
    assert!(out.contains("verdict: INVALID\n"), "{out}");
    assert!(out.contains("kernel log: nf_ct_proto_6: SEQ is over upper bound 10194 (over the window of the receiver)"), "{out}");

    // A frame that is accepted shows the entry after the packet too.
    let o = ctrack_paths(&[
        &"explain",
        &d.join("replayed.pcap"),
        &"1",
        &"--sysctl",
        &d.join("sysctl.conf"),
    ]);
    let out = stdout(&o);
    assert!(out.contains("no entry: a new one is made"), "{out}");
    assert!(out.contains("confirmed; after the packet:"), "{out}");
    assert!(out.contains("SYN_SENT src=192.0.2.1"), "{out}");

    // Every frame of a fixture can be explained.
    let cap = fixture("corpus/tcp-http-get-full-session-zeek/replayed.pcap");
    for n in 1..=14 {
        let o = ctrack_paths(&[&"explain", &cap, &n.to_string()]);
        assert!(o.status.success(), "frame {n}: {}", stderr(&o));
        assert!(stdout(&o).contains("verdict: "));
    }
    let o = ctrack_paths(&[&"explain", &cap, &"15"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("there is no frame 15"));
}

#[test]
fn queued_fragments_say_what_became_of_their_datagram() {
    let dir = fixture("synthetic/ipv4-fragments");
    let o = ctrack_paths(&[
        &"replay",
        &dir.join("replayed.pcap"),
        &"--sysctl",
        &dir.join("sysctl.conf"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 17, "one line per frame, in frame order");
    for (n, l) in lines.iter().enumerate() {
        assert!(
            l.trim_start().starts_with(&format!("{} ", n + 1)),
            "line {n}: {l}"
        );
    }
    assert!(
        lines[0].ends_with("-- fragment queued for reassembly; datagram completed by frame 3"),
        "{}",
        lines[0]
    );
    assert!(
        lines[2].contains("NEW         ORIGINAL #1")
            && lines[2].ends_with("(completed the datagram of frames 1, 2)"),
        "{}",
        lines[2]
    );
    assert!(
        lines[6].contains("datagram discarded at frame 8: overlapping fragment"),
        "{}",
        lines[6]
    );
    assert!(lines[12].ends_with("-- fragment dropped by reassembly: duplicate fragment"));
    assert!(lines[8].contains("still queued when the capture ended"));

    let o = ctrack_paths(&[&"replay", &dir.join("replayed.pcap"), &"--format", &"jsonl"]);
    let first: serde_json::Value =
        serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(first["ctstate"], serde_json::Value::Null);
    assert_eq!(first["reason"], "fragment queued for reassembly");
    assert_eq!(first["note"], "datagram completed by frame 3");
}

#[test]
fn ipv6_fragments_the_kernel_passes_unreassembled_get_its_verdicts() {
    let dir = fixture("raw-nflog/frag-v6-passthrough");
    let want = std::fs::read_to_string(dir.join("ctstates.txt")).unwrap();
    let want: Vec<&str> = want
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect();
    let o = ctrack_paths(&[
        &"replay",
        &dir.join("input.pcap"),
        &"--set",
        &"nf_conntrack_checksum=0",
        &"--format",
        &"jsonl",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["ctstate"].as_str().unwrap_or("-").to_string()
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn helpers_make_data_connections_related_and_dump_expect_matches_the_kernel() {
    let dir = fixture("synthetic/ftp-port-expectation");
    let args = |extra: &[&str]| {
        let mut v: Vec<std::ffi::OsString> = vec![
            "replay".into(),
            dir.join("replayed.pcap").into(),
            "--sysctl".into(),
            dir.join("sysctl.conf").into(),
        ];
        v.extend(extra.iter().map(|s| s.into()));
        v
    };
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ctrack"))
            .args(args(extra))
            .output()
            .unwrap()
    };
    // Without helpers (the kernel's default since 6.0) the data connection is NEW.
    let out = stdout(&run(&[]));
    let l12 = out.lines().nth(11).unwrap();
    assert!(l12.contains("NEW         ORIGINAL #2"), "{l12}");
    // With the FTP helper on port 21 it is RELATED, EXPECTED, with its master.
    let out = stdout(&run(&["--helper", "ftp:tcp/21"]));
    let l9 = out.lines().nth(8).unwrap();
    assert!(
        l9.ends_with("+expect(tcp 198.51.100.2:0 > 192.0.2.1:5001 helper ftp master 1)"),
        "{l9}"
    );
    let l12 = out.lines().nth(11).unwrap();
    assert!(
        l12.contains("RELATED     ORIGINAL #2") && l12.contains("[EXPECTED] master #1"),
        "{l12}"
    );
    // The split PORT is dropped by the helper, with the kernel's log line.
    let o = run(&["--helper", "standard", "--format", "jsonl"]);
    let l22: serde_json::Value = serde_json::from_str(stdout(&o).lines().nth(21).unwrap()).unwrap();
    assert_eq!(
        l22["kernel_log"],
        "nf_ct_ftp: dropping packet: partial matching of `PORT'"
    );

    // --dump-expect prints /proc/net/nf_conntrack_expect as the kernel did.
    let d = fixture("corpus/ftp-epsv-control-only-no-data-suricata");
    let o = ctrack_paths(&[
        &"replay",
        &d.join("replayed.pcap"),
        &"--sysctl",
        &d.join("sysctl.conf"),
        &"--helper",
        &"standard",
        &"--dump-expect",
        &"-",
        &"-q",
    ]);
    let kernel = std::fs::read_to_string(d.join("expect.txt")).unwrap();
    assert_eq!(stdout(&o).lines().last().unwrap(), kernel.trim_end());

    // Bad rules are errors naming the option.
    for (bad, msg) in [
        ("ftp:udp/21", "reads tcp, not udp"),
        ("nope:tcp/1", "unknown helper `nope`"),
        ("ftp", "expected NAME:PROTO/PORT"),
    ] {
        let o = run(&["--helper", bad]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(msg), "{bad}: {}", stderr(&o));
    }
}

#[test]
fn dccp_tracker_is_opt_in_and_tracks_as_linux_6_15_did() {
    let dir = fixture("ctrack/generic-protocols");
    let (cap, conf) = (dir.join("replayed.pcap"), dir.join("sysctl.conf"));
    // Default: DCCP is generic, as the 6.18 kernel the recording comes from.
    let o = ctrack_paths(&[
        &"replay",
        &cap,
        &"--sysctl",
        &conf,
        &"-q",
        &"--format",
        &"jsonl",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<String> = stdout(&o).lines().map(String::from).collect();
    assert!(lines[15].contains("\"ctstate\":\"NEW\""), "{}", lines[15]);
    assert!(lines[15].contains("\"proto_state\":null"), "{}", lines[15]);
    assert!(
        lines[17].contains("\"ctstate\":\"ESTABLISHED\""),
        "{}",
        lines[17]
    );
    // With --dccp-tracker: the Request opens a port-tuple entry in REQUEST,
    // the 20-byte Response is too short for its subheader (INVALID, the
    // kernel logs nothing), the Request on other ports is a new entry.
    let o = ctrack_paths(&[
        &"replay",
        &cap,
        &"--sysctl",
        &conf,
        &"-q",
        &"--dccp-tracker",
        &"--dump-table",
        &"-",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[15].contains("NEW") && lines[15].ends_with("REQUEST"),
        "{}",
        lines[15]
    );
    assert!(lines[16].contains("INVALID"), "{}", lines[16]);
    assert!(
        lines[17].contains("NEW") && lines[17].contains("#9"),
        "{}",
        lines[17]
    );
    assert!(
        out.contains(
            "ipv4     2 dccp     33 237 REQUEST src=192.0.2.1 dst=198.51.100.2 sport=48002 dport=7702 [UNREPLIED] src=198.51.100.2 dst=192.0.2.1 sport=7702 dport=48002 mark=0 zone=0 use=2\n"
        ),
        "{out}"
    );
    // Its knobs are listed, and its timeouts settable.
    let o = ctrack(&["sysctls", "--set", "nf_conntrack_dccp_timeout_request=30"]);
    assert!(stdout(&o).contains("net.netfilter.nf_conntrack_dccp_timeout_request = 30\n"));
    assert!(stdout(&o).contains("net.netfilter.nf_conntrack_dccp_timeout_open = 43200\n"));
    let o = ctrack_paths(&[
        &"explain",
        &cap,
        &"16",
        &"--sysctl",
        &conf,
        &"--dccp-tracker",
        &"--set",
        &"nf_conntrack_dccp_timeout_request=30",
    ]);
    let out = stdout(&o);
    assert!(
        out.contains(
            "state table: Request from the client (direction ORIGINAL), state NONE -> REQUEST"
        ),
        "{out}"
    );
    assert!(out.contains("dccp     33 30 REQUEST"), "{out}");
}

/// An event line without what differs between runs: the timestamp, the
/// kernel's random id, and the seconds left (±1 from rounding).
fn event_key(line: &str) -> (String, Option<i64>) {
    let body = line.split_once('\t').map(|x| x.1).unwrap_or(line);
    let mut words: Vec<&str> = body
        .split_whitespace()
        .filter(|w| !w.starts_with("id="))
        .collect();
    // "[NEW] ipv4 2 tcp 6 120 ...": the timeout follows the protocol number.
    let timeout = words.get(5).and_then(|w| w.parse::<i64>().ok());
    if timeout.is_some() {
        words.remove(5);
    }
    (words.join(" "), timeout)
}

#[test]
fn events_follow_conntrack_e_as_the_kernel_delivered_them() {
    for (name, helpers) in [
        ("ctrack/tcp-handshake-close-client-first", false),
        ("synthetic/ftp-port-expectation", true),
        ("ctrack/sctp-assoc-v4", false),
        ("ctrack/udp-assured-two-seconds", false),
    ] {
        let dir = fixture(name);
        let path = tempdir().join(format!("{}.events", name.replace('/', "-")));
        let mut args: Vec<std::ffi::OsString> = vec![
            "replay".into(),
            dir.join("replayed.pcap").into(),
            "--sysctl".into(),
            dir.join("sysctl.conf").into(),
            "-q".into(),
            "--events".into(),
            path.clone().into(),
        ];
        if helpers {
            args.extend(["--helper".into(), "standard".into()]);
        }
        let o = Command::new(env!("CARGO_BIN_EXE_ctrack"))
            .args(&args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let ours: Vec<_> = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(event_key)
            .collect();
        let kernel: Vec<_> = std::fs::read_to_string(dir.join("events.txt"))
            .unwrap()
            .lines()
            .map(event_key)
            // Expiry DESTROYs come when the kernel's GC runs: not compared.
            .filter(|(l, _)| !l.starts_with("[DESTROY]") || ours.iter().any(|(o, _)| o == l))
            .collect();
        let ours: Vec<_> = ours
            .into_iter()
            .filter(|(l, _)| !l.starts_with("[DESTROY]") || kernel.iter().any(|(k, _)| k == l))
            .collect();
        assert_eq!(ours.len(), kernel.len(), "{name}: {ours:#?}\n{kernel:#?}");
        for (o, k) in ours.iter().zip(&kernel) {
            assert_eq!(o.0, k.0, "{name}");
            match (o.1, k.1) {
                (Some(a), Some(b)) => {
                    assert!((a - b).abs() <= 1, "{name}: {} vs {}: {}", a, b, o.0)
                }
                (a, b) => assert_eq!(a, b, "{name}: {}", o.0),
            }
        }
    }
}

#[test]
fn bench_flood_keeps_the_table_bounded() {
    let o = ctrack(&[
        "bench",
        "flood",
        "--flows",
        "3000",
        "--max",
        "1000",
        "--buckets",
        "512",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("NEW 3000, refused 0"), "{out}");
    // Early drop kills every unassured entry of a bucket: the table ends at
    // most at max.
    let n: usize = out
        .split("table at the end ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap();
    assert!(n <= 1000 && n > 900, "{out}");
}

#[test]
fn zone_by_vlan_puts_tagged_traffic_in_its_zone() {
    let o = ctrack_paths(&[
        &"replay",
        &pcap("vlan77-http-ecn-ndpi.pcap"),
        &"--set",
        &"nf_conntrack_checksum=0",
        &"--zone-by",
        &"vlan",
        &"--dump-table",
        &"-",
        &"-q",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let table = out.lines().last().unwrap();
    assert!(table.contains(" zone=77 "), "{table}");
    // Every frame still finds the one entry.
    assert!(!out.contains(" NEW ") || out.matches(" NEW ").count() == 1);
}

#[test]
fn explain_works_on_frames_of_every_fixture() {
    let root = repo().join("tests/fixtures/kernel");
    let mut dirs = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.join("replayed.pcap").is_file() && p.join("packets.jsonl").is_file() {
                dirs.push(p);
            } else if p.is_dir() {
                stack.push(p);
            }
        }
    }
    assert!(dirs.len() > 100);
    for d in dirs {
        let n = std::fs::read_to_string(d.join("packets.jsonl"))
            .unwrap()
            .lines()
            .filter(|l| !l.contains("\"sent\": false"))
            // Local-host recordings of a router: replayed.pcap is fw0's.
            .filter(|l| !l.contains("\"if\": \"") || l.contains("\"if\": \"fw0\""))
            .count();
        // The first frame, one in the middle and the last.
        for frame in [1, n.div_ceil(2).max(1), n] {
            let o = ctrack_paths(&[
                &"explain",
                &d.join("replayed.pcap"),
                &frame.to_string(),
                &"--sysctl",
                &d.join("sysctl.conf"),
                &"--helper",
                &"standard",
            ]);
            assert!(
                o.status.success(),
                "{} frame {frame}: {}",
                d.display(),
                stderr(&o)
            );
            let out = stdout(&o);
            assert!(
                out.starts_with(&format!("frame {frame} at ")),
                "{}: {out}",
                d.display()
            );
            assert!(
                out.contains("verdict: "),
                "{} frame {frame}: {out}",
                d.display()
            );
        }
    }
}

/// `--expect` compares under the helpers the recording's meta.json says
/// kernel-replay attached (here FTP: the data connection is RELATED);
/// `--helper` given overrides them.
#[test]
fn expect_attaches_the_recordings_helpers() {
    let dir = fixture("synthetic/ftp-port-expectation");
    let cap = dir.join("replayed.pcap");
    let sysctl = dir.join("sysctl.conf");
    let packets = dir.join("packets.jsonl");
    let o = ctrack_paths(&[&"replay", &cap, &"--sysctl", &sysctl, &"--expect", &packets]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert_eq!(
        stdout(&o).trim(),
        "expect: 32/32 frames agree with the kernel recording (0 differ)"
    );
    let err = stderr(&o);
    assert!(
        err.contains("helpers as the recording's meta.json attached them: ftp:tcp/21:ipv4"),
        "{err}"
    );
    // No helper on port 21: the data connection is NEW, not RELATED.
    let o = ctrack_paths(&[
        &"replay",
        &cap,
        &"--sysctl",
        &sysctl,
        &"--helper",
        &"tftp:udp/69",
        &"--expect",
        &packets,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("kernel RELATED ORIGINAL [EXPECTED]"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly() {
    let capture = pcap("throughput-echo-500-conns-loopback-zeek.pcap");
    let capture = capture.to_str().expect("utf-8 path");
    let runs: [&[&str]; 2] = [
        &["replay", capture],
        &["bench", "lookup", "--entries", "1000", "--packets", "1000"],
    ];
    for args in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ctrack"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("ctrack runs");
        // `| head -0`: the reader is gone before the first line.
        drop(child.stdout.take());
        let o = child.wait_with_output().expect("ctrack ends");
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).is_empty(), "{args:?}: {}", stderr(&o));
    }
}
