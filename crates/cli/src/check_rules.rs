//! `ctrack check-rules`: read rulesets without a capture and review them
//! as a careful admin would (see [`ctrack_rules::lint`]).

use anyhow::{Context, Result};
use clap::Args;
use ctrack_core::tuple::Family;
use ctrack_rules::RuleSource;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CheckRulesArgs {
    /// Rulesets to check: iptables-save format (IPv4; `.v6` / `.rules6`
    /// files and files with `ip6tables-save` headers are IPv6), or nft
    /// (`.nft` files and text starting with `table` or `flush ruleset`).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// An IPv4 ruleset in iptables-save format (repeatable).
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// An IPv6 ruleset in ip6tables-save format (repeatable).
    #[arg(long, value_name = "FILE")]
    pub rules6: Vec<PathBuf>,
    /// An nftables ruleset in `nft list ruleset` format (repeatable).
    #[arg(long, value_name = "FILE")]
    pub nft: Vec<PathBuf>,
    /// Also flag rules that accept NEW TCP packets without requiring SYN
    /// (`--syn`, `--tcp-flags`, `tcp flags`).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Iptables(Family),
    Nft,
}

/// What a positional file holds.
fn guess(path: &Path, text: &str) -> Kind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    if name.ends_with(".nft") || first.starts_with("table ") || first.starts_with("flush ruleset") {
        Kind::Nft
    } else if name.ends_with(".v6")
        || name.ends_with(".rules6")
        || text
            .lines()
            .take(3)
            .any(|l| l.starts_with('#') && l.contains("ip6tables-save"))
    {
        Kind::Iptables(Family::Ipv6)
    } else {
        Kind::Iptables(Family::Ipv4)
    }
}

/// Exit status 0: no findings; 1: findings; an unreadable ruleset is an
/// error (status 2 from main).
pub fn run(a: CheckRulesArgs) -> Result<ExitCode> {
    let mut jobs: Vec<(PathBuf, Option<Kind>)> = Vec::new();
    jobs.extend(a.files.iter().map(|p| (p.clone(), None)));
    jobs.extend(
        a.rules
            .iter()
            .map(|p| (p.clone(), Some(Kind::Iptables(Family::Ipv4)))),
    );
    jobs.extend(
        a.rules6
            .iter()
            .map(|p| (p.clone(), Some(Kind::Iptables(Family::Ipv6)))),
    );
    jobs.extend(a.nft.iter().map(|p| (p.clone(), Some(Kind::Nft))));
    if jobs.is_empty() {
        anyhow::bail!("no ruleset given (FILE, --rules, --rules6 or --nft)");
    }
    let mut iptables = Vec::new();
    let mut nft = Vec::new();
    let mut out = io::stdout().lock();
    for (path, kind) in jobs {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let name = path.display().to_string();
        match kind.unwrap_or_else(|| guess(&path, &text)) {
            Kind::Iptables(family) => {
                let rs = ctrack_rules::iptables::Ruleset::parse(&text, &name, family)?;
                writeln!(
                    out,
                    "{name}: {} ruleset, tables {}, {} base chains",
                    match family {
                        Family::Ipv4 => "iptables",
                        Family::Ipv6 => "ip6tables",
                    },
                    rs.table_names().join(", "),
                    rs.base_chains().len()
                )?;
                iptables.push(rs);
            }
            Kind::Nft => {
                let rs = ctrack_rules::nft::Ruleset::parse(&text, &name)?;
                writeln!(
                    out,
                    "{name}: nft ruleset, {} base chains",
                    rs.base_chains().len()
                )?;
                nft.push(rs);
            }
        }
    }
    let refs: Vec<&ctrack_rules::iptables::Ruleset> = iptables.iter().collect();
    let mut lints = ctrack_rules::lint::lint(&refs, a.strict);
    let refs: Vec<&ctrack_rules::nft::Ruleset> = nft.iter().collect();
    lints.extend(ctrack_rules::lint::lint_nft(&refs, a.strict));
    for l in &lints {
        writeln!(out, "{l}")?;
    }
    writeln!(
        out,
        "{} finding{}",
        lints.len(),
        if lints.len() == 1 { "" } else { "s" }
    )?;
    Ok(if lints.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positional_files_are_recognised() {
        let p = Path::new;
        assert_eq!(guess(p("fw.nft"), ""), Kind::Nft);
        assert_eq!(guess(p("x"), "\n# c\ntable inet fw {\n}\n"), Kind::Nft);
        assert_eq!(guess(p("x"), "flush ruleset\n"), Kind::Nft);
        assert_eq!(guess(p("fw.v6"), "*filter\n"), Kind::Iptables(Family::Ipv6));
        assert_eq!(
            guess(p("x"), "# Generated by ip6tables-save v1.8.9\n*filter\n"),
            Kind::Iptables(Family::Ipv6)
        );
        assert_eq!(
            guess(p("x"), "# Generated by iptables-save v1.8.9\n*filter\n"),
            Kind::Iptables(Family::Ipv4)
        );
    }
}
