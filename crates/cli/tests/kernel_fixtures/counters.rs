//! The per-rule counters after the replay against the kernel's
//! (`iptables-save -c`, `ip6tables-save -c`, `nft list ruleset` taken at
//! the end of the recording), table by table for the tables the
//! recording's ruleset has.

use std::path::Path;

/// The kernel's counters file of a ruleset kind, if recorded
/// (`counters/counters.v4` in kernel-replay's layout, `counters.v4` in the
/// local-host harness' and the older one).
fn kernel_file(dir: &Path, kind: &str) -> Option<String> {
    let ext = match kind {
        "iptables" => "v4",
        "ip6tables" => "v6",
        _ => "nft",
    };
    let name = format!("counters.{ext}");
    [dir.join("counters").join(&name), dir.join(&name)]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
}

/// `*table` ... `COMMIT` sections of iptables-save output, by table name,
/// without comments and without the chains and rules recording
/// instrumentation added (kernel-replay's `KTR_*`).
fn iptables_sections(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.contains("KTR_") {
            continue;
        }
        if let Some(t) = line.strip_prefix('*') {
            out.push((t.trim().to_string(), Vec::new()));
        } else if let Some((_, lines)) = out.last_mut() {
            lines.push(line.to_string());
        }
    }
    out
}

/// `table FAMILY NAME { ... }` blocks of an nft listing, by header.
fn nft_tables(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("table ") {
            out.push((line.trim_end().to_string(), Vec::new()));
            inside = true;
        } else if inside {
            if line == "}" {
                inside = false;
            } else if let Some((_, lines)) = out.last_mut()
                && !line.trim().is_empty()
            {
                lines.push(line.trim_end().to_string());
            }
        }
    }
    out
}

/// Differences between our counters (`ours`, a source's
/// [`ctrack_rules::RuleSource::saved`]) and the kernel's for ruleset kind
/// `kind`; None when the recording has no counters file.
pub fn compare(dir: &Path, kind: &str, ours: &str) -> Option<Vec<String>> {
    let kernel = kernel_file(dir, kind)?;
    let (mine, theirs) = if kind == "nft" {
        (nft_tables(ours), nft_tables(&kernel))
    } else {
        (iptables_sections(ours), iptables_sections(&kernel))
    };
    let mut diffs = Vec::new();
    for (name, lines) in &mine {
        let Some((_, k)) = theirs.iter().find(|(n, _)| n == name) else {
            diffs.push(format!("{kind} {name}: not in the kernel's counters"));
            continue;
        };
        // Lines the kernel has beyond ours are its harness' own (helper CT
        // rules kernel-replay puts in raw); every one of ours must be there.
        let mut at = 0;
        for l in lines {
            match k[at..].iter().position(|x| x == l) {
                Some(p) => at += p + 1,
                None => diffs.push(format!(
                    "{kind} {name}: ctrack `{l}`, kernel {}",
                    closest(k, l)
                        .map(|c| format!("`{c}`"))
                        .unwrap_or_else(|| "has no such rule".into())
                )),
            }
        }
    }
    Some(diffs)
}

/// The kernel's line for the same rule (the text after the counters).
fn closest<'a>(kernel: &'a [String], ours: &str) -> Option<&'a str> {
    let want = without_counts(ours);
    kernel
        .iter()
        .map(String::as_str)
        .find(|k| without_counts(k) == want)
}

fn without_counts(l: &str) -> &str {
    let l = l.trim_start();
    if l.starts_with('[') {
        l.split_once("] ").map_or(l, |(_, r)| r)
    } else if let Some(i) = l.find("counter packets") {
        &l[..i]
    } else if l.starts_with(':') {
        l.split_once(" [").map_or(l, |(a, _)| a)
    } else {
        l
    }
}
