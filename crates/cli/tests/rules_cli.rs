//! The rulesets options as a user runs them: `replay --rules/--nft` with
//! the host model (`--local`, `--iface`), `--counters`, `explain`, and
//! `check-rules`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/kernel")
        .join(name)
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ctrack"));
    for a in args {
        c.arg(a);
    }
    c.output().expect("ctrack runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A file under the test target's scratch directory.
fn scratch(name: &str, text: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const HOST: [&str; 4] = [
    "--iface",
    "lo=127.0.0.1/8,198.51.100.1/32",
    "--iface",
    "fw0=192.0.2.1/24",
];

#[test]
fn a_host_firewall_rejects_and_its_answers_are_related() {
    let d = fixture("rules-local/local-input-v4");
    let o = run(&[
        &"replay",
        &d.join("replayed.pcap"),
        &"--rules",
        &d.join("rules.v4"),
        &HOST[0],
        &HOST[1],
        &HOST[2],
        &HOST[3],
        &"--sysctl",
        &d.join("sysctl.conf"),
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    let line = |n: usize| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(&n.to_string()))
            .unwrap_or_else(|| panic!("no frame {n}:\n{text}"))
            .to_string()
    };
    // The SYN to tcp/81 is rejected with a reset; the reset is the
    // rejected SYN's RELATED reply, through OUTPUT.
    assert!(line(33).contains("NEW") && line(33).contains("=> REJECT by filter INPUT rule 9"));
    assert!(line(34).contains("RELATED     REPLY"), "{}", line(34));
    assert!(line(34).contains("tcp-reset sent by filter INPUT rule 9"));
    // The ping to the address on lo is delivered locally.
    assert!(
        line(3).contains("=> ACCEPT by filter INPUT rule 4"),
        "{}",
        line(3)
    );
    // Rules that never matched are named on stderr.
    assert!(err(&o).contains("rule never matched: filter INPUT rule 1: -A INPUT -i lo -j ACCEPT"));
}

#[test]
fn jsonl_carries_the_hooks_interfaces_and_answers() {
    let d = fixture("rules-local/local-input-v4");
    let o = run(&[
        &"replay",
        &d.join("replayed.pcap"),
        &"--rules",
        &d.join("rules.v4"),
        &HOST[0],
        &HOST[1],
        &HOST[2],
        &HOST[3],
        &"--format",
        &"jsonl",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let lines: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let f1 = &lines[0];
    assert_eq!(f1["verdict"], "ACCEPT");
    assert_eq!(f1["hooks"], serde_json::json!(["PREROUTING", "INPUT"]));
    assert_eq!(f1["iif"], "fw0");
    let f2 = &lines[1];
    assert_eq!(f2["hooks"], serde_json::json!(["OUTPUT", "POSTROUTING"]));
    assert_eq!(f2["oif"], "fw0");
    let f33 = &lines[32];
    assert_eq!(f33["verdict"], "REJECT");
    // Dropped in INPUT: the hooks end there.
    assert_eq!(f33["hooks"], serde_json::json!(["PREROUTING", "INPUT"]));
    let f34 = &lines[33];
    assert_eq!(f34["ctstate"], "RELATED");
    assert!(f34["answer_to"].as_str().unwrap().contains("tcp-reset"));
}

#[test]
fn a_router_drops_an_expiring_ttl_before_forward() {
    let d = fixture("rules-local/local-routed-reject");
    let o = run(&[
        &"replay",
        &d.join("replayed.pcap"),
        &"--rules",
        &d.join("rules.v4"),
        &"--iface",
        &"fw0=192.0.2.1/24",
        &"--iface",
        &"fw1=203.0.113.1/24",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    let ttl = text
        .lines()
        .find(|l| l.contains("forwarding TTL exceeded"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(ttl.contains("=> DROP"), "{ttl}");
    // Its time exceeded is RELATED to the dropped ping.
    assert!(
        text.lines()
            .any(|l| l.contains("RELATED     REPLY")
                && l.contains("time exceeded sent by forwarding")),
        "{text}"
    );
}

#[test]
fn counters_print_like_iptables_and_nft() {
    let d = fixture("rules/rules-nft-forward");
    let o = run(&[
        &"replay",
        &d.join("replayed.pcap"),
        &"--nft",
        &d.join("rules_nft_forward.nft"),
        &"--counters",
        &"-",
        &"--format",
        &"jsonl",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("ct state established counter packets 11 bytes 485 accept"),
        "{text}"
    );
    let d = fixture("rules/rules-goto");
    let o = run(&[
        &"replay",
        &d.join("replayed.pcap"),
        &"--rules",
        &d.join("rules_goto.v4"),
        &"--counters",
        &"-",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("# iptables -t filter -L -v -x -n --line-numbers"),
        "{text}"
    );
    assert!(text.contains("Chain FORWARD (policy DROP"), "{text}");
}

#[test]
fn explain_names_the_hooks_interfaces_and_rule() {
    let d = fixture("rules-local/local-input-v4");
    let o = run(&[
        &"explain",
        &d.join("replayed.pcap"),
        &"34",
        &"--rules",
        &d.join("rules.v4"),
        &HOST[0],
        &HOST[1],
        &HOST[2],
        &HOST[3],
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("hooks: OUTPUT -> POSTROUTING"), "{text}");
    assert!(text.contains("interfaces: in -, out fw0"), "{text}");
    assert!(
        text.contains("answer: tcp-reset sent by filter INPUT rule 9"),
        "{text}"
    );
}

#[test]
fn bad_host_options_are_errors() {
    let d = fixture("rules-local/local-input-v4");
    for (opt, val, msg) in [
        ("--iface", "fw0", "expected NAME=ADDR/PREFIX"),
        ("--iface", "fw0=192.0.2.1/40", "prefix must be 0..=32"),
        ("--local", "nope", "not an address"),
    ] {
        let o = run(&[
            &"replay",
            &d.join("replayed.pcap"),
            &"--rules",
            &d.join("rules.v4"),
            &opt,
            &val,
        ]);
        assert_eq!(o.status.code(), Some(2), "{opt} {val}");
        assert!(err(&o).contains(msg), "{opt} {val}: {}", err(&o));
    }
    // The host model without a ruleset has nothing to do.
    let o = run(&[
        &"replay",
        &d.join("replayed.pcap"),
        &"--iface",
        &"fw0=192.0.2.1/24",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("need a ruleset"), "{}", err(&o));
}

#[test]
fn check_rules_reports_each_lint_with_its_line() {
    let f = scratch(
        "lints.v4",
        "*filter\n\
         :INPUT DROP [0:0]\n\
         :FORWARD ACCEPT [0:0]\n\
         :OUTPUT ACCEPT [0:0]\n\
         :UNUSED - [0:0]\n\
         -A INPUT -p tcp --dport 22 -j ACCEPT\n\
         -A INPUT -p tcp --dport 22 -s 10.0.0.1 -j ACCEPT\n\
         -A INPUT -j DROP\n\
         -A INPUT -p udp -j ACCEPT\n\
         COMMIT\n",
    );
    let o = run(&[&"check-rules", &"--strict", &f]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let text = out(&o);
    let name = f.display().to_string();
    for (line, kind) in [
        (5, "unused-chain"),
        (7, "shadowed"),
        (9, "unreachable"),
        (8, "no-established"),
        (6, "invalid-not-dropped"),
        (6, "new-without-syn"),
    ] {
        assert!(
            text.contains(&format!("{name}:{line}: {kind}: ")),
            "{kind} at line {line}:\n{text}"
        );
    }
    // Without --strict the SYN check is off.
    let o = run(&[&"check-rules", &f]);
    assert!(!out(&o).contains("new-without-syn"));
}

#[test]
fn check_rules_accepts_a_clean_ruleset_and_nft() {
    let f = scratch(
        "clean.v4",
        "*filter\n\
         :INPUT DROP [0:0]\n\
         :FORWARD DROP [0:0]\n\
         :OUTPUT ACCEPT [0:0]\n\
         -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n\
         -A INPUT -m conntrack --ctstate INVALID -j DROP\n\
         -A INPUT -p tcp --syn --dport 22 -m conntrack --ctstate NEW -j ACCEPT\n\
         COMMIT\n",
    );
    let o = run(&[&"check-rules", &"--strict", &f]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(out(&o).ends_with("0 findings\n"), "{}", out(&o));
    let n = scratch(
        "clean.nft",
        "table inet fw {\n\
         \tchain input {\n\
         \t\ttype filter hook input priority filter; policy drop;\n\
         \t\tct state established,related accept\n\
         \t\tct state invalid drop\n\
         \t\ttcp flags & (fin|syn|rst|ack) == syn tcp dport 22 ct state new accept\n\
         \t}\n\
         }\n",
    );
    let o = run(&[&"check-rules", &"--strict", &n]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).contains("nft ruleset, 1 base chains"),
        "{}",
        out(&o)
    );
    assert!(out(&o).ends_with("0 findings\n"), "{}", out(&o));
    // The local-host fixture accepts `iif "lo"` and replies before its
    // invalid drop: the nft lints say so, with the line.
    let n = fixture("rules-local/local-nft/rules.nft");
    let o = run(&[&"check-rules", &n]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains(
            "rules.nft:15: invalid-not-dropped: inet host input rule 1: iif \"lo\" accept:"
        ),
        "{text}"
    );
    assert!(
        text.contains("rules.nft:36: invalid-not-dropped: inet host output rule 1:"),
        "{text}"
    );
    assert!(text.ends_with("2 findings\n"), "{text}");
}

#[test]
fn check_rules_parse_errors_name_file_line_and_column() {
    let f = scratch(
        "broken.v4",
        "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate BOGUS -j ACCEPT\nCOMMIT\n",
    );
    let o = run(&[&"check-rules", &f]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains(&format!("{}:3:", f.display())), "{e}");
    let n = scratch(
        "broken.nft",
        "table inet t {\n\tchain c {\n\t\tct state bogus accept\n\t}\n}\n",
    );
    let o = run(&[&"check-rules", &n]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains(&format!("{}:3:", n.display())),
        "{}",
        err(&o)
    );
    let o = run(&[&"check-rules"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no ruleset given"));
}
