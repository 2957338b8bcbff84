//! Rule by rule against the real iptables 1.8.9 (nf_tables) on Linux 6.18:
//! `tests/data/iptables/corpus.txt` records, for each case of
//! `gen/cases.txt`, what `iptables-save -c` and `iptables -L -v -x -n
//! --line-numbers` printed, or the error `iptables-restore` gave.

use ctrack_core::tuple::Family;
use ctrack_rules::RuleSource;
use ctrack_rules::iptables::Ruleset;

struct Case {
    family: Family,
    table: String,
    rule: String,
    save: Vec<String>,
    list: Vec<String>,
    error: Option<String>,
}

fn corpus() -> Vec<Case> {
    let text = include_str!("data/iptables/corpus.txt");
    let mut out: Vec<Case> = Vec::new();
    for line in text.lines() {
        if let Some(c) = line.strip_prefix("=== ") {
            let mut w = c.splitn(3, ' ');
            let family = match w.next().unwrap() {
                "v4" => Family::Ipv4,
                _ => Family::Ipv6,
            };
            out.push(Case {
                family,
                table: w.next().unwrap().to_string(),
                rule: w.next().unwrap().to_string(),
                save: Vec::new(),
                list: Vec::new(),
                error: None,
            });
        } else if let Some(s) = line.strip_prefix("S ") {
            out.last_mut().unwrap().save.push(s.to_string());
        } else if let Some(s) = line.strip_prefix("L ") {
            out.last_mut().unwrap().list.push(s.to_string());
        } else if let Some(s) = line.strip_prefix("E ") {
            out.last_mut().unwrap().error = Some(s.to_string());
        }
    }
    out
}

/// The lines of chain `chain` in a `-L` report, after its column header.
fn chain_lines(report: &str, chain: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut header = false;
    for l in report.lines() {
        if l.starts_with("Chain ") {
            inside = l.starts_with(&format!("Chain {chain} "));
            header = inside;
            continue;
        }
        if inside {
            if header {
                header = false;
                continue;
            }
            if l.is_empty() || l.starts_with("# ") {
                inside = false;
                continue;
            }
            out.push(l.to_string());
        }
    }
    out
}

/// Errors whose text comes from the kernel (ctrack says why in its own
/// words) or from the C library.
fn kernel_message(e: &str) -> bool {
    [
        "RULE_APPEND failed",
        "line 3 failed",
        "getaddrinfo",
        "Warning:",
        "Error occurred at line: 4",
    ]
    .iter()
    .any(|k| e.contains(k))
}

#[test]
fn every_case_as_iptables_prints_it() {
    let cases = corpus();
    assert!(cases.len() > 500);
    let mut bad = Vec::new();
    for c in &cases {
        let text = format!("*{}\n:X - [0:0]\n{}\nCOMMIT\n", c.table, c.rule);
        let r = Ruleset::parse(&text, "case", c.family);
        let tag = format!("{:?} {} {}", c.family, c.table, c.rule);
        match (&c.error, r) {
            (Some(want), Err(e)) => {
                let main = want.rsplit(" | ").next().unwrap().trim_end_matches('.');
                let ours = e.message.contains("not supported by ctrack");
                if !kernel_message(want) && !ours && !e.message.contains(main.trim()) {
                    bad.push(format!(
                        "{tag}\n   want error: {want}\n   got  error: {}",
                        e.message
                    ));
                }
                if e.line != 3 {
                    bad.push(format!(
                        "{tag}\n   error on line {} (want 3): {}",
                        e.line, e.message
                    ));
                }
            }
            (Some(want), Ok(_)) => {
                bad.push(format!("{tag}\n   want error: {want}\n   got: accepted"))
            }
            // What iptables accepts and ctrack does not implement is an
            // error that says so.
            (None, Err(e)) if e.message.contains("ctrack") => {}
            (None, Err(e)) => bad.push(format!("{tag}\n   want: accepted\n   got error: {e}")),
            (None, Ok(rs)) => {
                let chain = c.rule.split_whitespace().nth(1).unwrap();
                let saved = rs.save_counters_table(&c.table).unwrap();
                let got: Vec<&str> = saved.lines().filter(|l| l.starts_with('[')).collect();
                if got != c.save {
                    bad.push(format!(
                        "{tag}\n   want save: {:?}\n   got  save: {got:?}",
                        c.save
                    ));
                }
                let listed = chain_lines(&rs.counters_report(), chain);
                if listed != c.list {
                    bad.push(format!(
                        "{tag}\n   want list: {:?}\n   got  list: {listed:?}",
                        c.list
                    ));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} cases differ:\n{}",
        bad.len(),
        cases.len(),
        bad.join("\n")
    );
}
