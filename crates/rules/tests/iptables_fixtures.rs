//! The kernel recordings' rule files and counter dumps (`iptables-save -c`
//! output of iptables 1.8.9 after the replay, kernel-replay's own
//! instrumentation chains included), copied from the shared oracle
//! fixtures into `tests/data/iptables/fixtures/`.

use ctrack_core::tuple::Family;
use ctrack_rules::iptables::{Ruleset, table_section};
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/iptables/fixtures")
}

fn files(name: &str) -> Vec<(PathBuf, Family)> {
    let mut out = Vec::new();
    for d in std::fs::read_dir(data()).unwrap() {
        let d = d.unwrap().path();
        for (ext, fam) in [("v4", Family::Ipv4), ("v6", Family::Ipv6)] {
            let p = d.join(format!("{name}.{ext}"));
            if p.exists() {
                out.push((p, fam));
            }
        }
    }
    out.sort();
    out
}

/// Every counters file parses, and prints back exactly, table by table:
/// the canonical form and counters of iptables-save -c.
#[test]
fn counters_files_round_trip() {
    let all = files("counters");
    assert!(all.len() >= 40, "{all:?}");
    for (path, fam) in all {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let rs = Ruleset::parse(&text, &name, fam).unwrap_or_else(|e| panic!("{e}"));
        let tables = rs.table_names();
        assert!(!tables.is_empty());
        for t in tables {
            let want = table_section(&text, t).unwrap();
            let got = rs.save_counters_table(t).unwrap();
            assert_eq!(got, want, "{name}: table {t}");
        }
    }
}

/// Every rules file parses, and prints as iptables-save prints the same
/// rules (the `filter` table of the counters file, counters set to zero).
#[test]
fn rules_files_print_as_iptables_save() {
    let all = files("rules");
    assert!(all.len() >= 20, "{all:?}");
    for (path, fam) in all {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let rs = Ruleset::parse(&text, &name, fam).unwrap_or_else(|e| panic!("{e}"));
        let counters = path.with_file_name(format!(
            "counters.{}",
            path.extension().unwrap().to_str().unwrap()
        ));
        let kernel = std::fs::read_to_string(counters).unwrap();
        // kernel-replay adds its own rules to mangle and raw; filter is the
        // rules file's alone.
        let Some(ours) = rs.save_counters_table("filter") else {
            continue;
        };
        let want = table_section(&kernel, "filter").unwrap();
        let zeroed: String = want
            .lines()
            .map(|l| {
                if let Some(rest) = l.strip_prefix('[') {
                    format!("[0:0]{}", &rest[rest.find(']').unwrap() + 1..])
                } else if l.starts_with(':') {
                    let i = l.rfind('[').unwrap();
                    format!("{}[0:0]", &l[..i])
                } else {
                    l.to_string()
                }
            })
            .map(|l| l + "\n")
            .collect();
        assert_eq!(ours, zeroed, "{name}");
    }
}

/// The counters files loaded (as `iptables-restore -c` loads them) and
/// listed: exactly what `iptables -t TABLE -L -v -x -n --line-numbers`
/// printed for each table on the real iptables (`list.v4`/`list.v6`).
/// (`ip6tables-restore -c` of iptables 1.8.9 loads the policy counters but
/// not the rules' — a bug of its own — so for IPv6 the rules' counters are
/// zeroed before the comparison.)
#[test]
fn counters_report_is_iptables_list() {
    for (path, fam) in files("counters") {
        let mut text = std::fs::read_to_string(&path).unwrap();
        if fam == Family::Ipv6 {
            text = text
                .lines()
                .map(|l| match l.strip_prefix('[') {
                    Some(rest) => format!("[0:0]{}\n", &rest[rest.find(']').unwrap() + 1..]),
                    None => format!("{l}\n"),
                })
                .collect();
        }
        let rs = Ruleset::parse(&text, "counters", fam).unwrap();
        let list = path.with_file_name(format!(
            "list.{}",
            path.extension().unwrap().to_str().unwrap()
        ));
        let want = std::fs::read_to_string(list).unwrap();
        assert_eq!(
            ctrack_rules::RuleSource::counters_report(&rs),
            want,
            "{}",
            path.display()
        );
    }
}
