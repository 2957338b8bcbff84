//! The two ways iptables shows counters:
//!
//! - `iptables-save -c` ([`save_table`]): `*table`, `:CHAIN POLICY
//!   [packets:bytes]` for the built-in chains (in hook order, those the
//!   file never created as `ACCEPT [0:0]`) then the user chains (`-
//!   [0:0]`, sorted by name), every rule as `[packets:bytes] -A CHAIN
//!   ...` in the canonical form iptables-save prints (`-s -d -i -o -p -f`,
//!   then each match as `-m NAME` and its options in the extension's own
//!   order, then `-j`/`-g`), `COMMIT`.
//! - `iptables -L -v -x -n --line-numbers` ([`report`]), per table: a
//!   `Chain NAME (policy P N packets, M bytes)` or `Chain NAME (N
//!   references)` header, the column header, one line per rule, a blank
//!   line between chains; columns as `print_rule_details()` and
//!   `print_header()` of iptables 1.8.9 lay them out.

use super::targets;
use super::values::{self, addr_to_string, mask_suffix};
use super::{Rule, Ruleset, Table};
use ctrack_core::tuple::Family;

/// A rule without its counters, as iptables-save prints it: `-A CHAIN ...`.
pub(crate) fn rule_spec(t: &Table, chain: &str, r: &Rule, family: Family) -> String {
    let names: Vec<String> = t.chains.iter().map(|c| c.name.clone()).collect();
    let mut out = format!("-A {chain}");
    for (flag, spec) in [('s', &r.ip.src), ('d', &r.ip.dst)] {
        if let Some((net, inv)) = spec {
            if *inv {
                out.push_str(" !");
            }
            out.push_str(&format!(" -{flag} {}", values::net_to_save(net, family)));
        }
    }
    for (flag, spec) in [('i', &r.ip.iif), ('o', &r.ip.oif)] {
        if let Some((name, inv)) = spec {
            if *inv {
                out.push_str(" !");
            }
            out.push_str(&format!(" -{flag} {name}"));
        }
    }
    if let Some((p, inv)) = r.ip.proto {
        if inv {
            out.push_str(" !");
        }
        match values::protocol_name(p) {
            Some(name) if p != 0 => out.push_str(&format!(" -p {name}")),
            _ => out.push_str(&format!(" -p {p}")),
        }
    }
    if let Some(inv) = r.ip.frag {
        if inv {
            out.push_str(" !");
        }
        out.push_str(" -f");
    }
    for m in &r.matches {
        out.push_str(&format!(" -m {}", m.name()));
        m.save(&mut out, family);
    }
    targets::save(&r.target, &names, &mut out);
    out
}

/// One table in `iptables-save -c` form.
pub(crate) fn save_table(t: &Table, family: Family) -> String {
    let mut out = format!("*{}\n", t.kind.name());
    let order = t.listing_order();
    for &i in &order {
        let c = &t.chains[i];
        match c.builtin {
            Some(_) => out.push_str(&format!(
                ":{} {} [{}:{}]\n",
                c.name,
                c.policy.name(),
                c.policy_counters.packets,
                c.policy_counters.bytes
            )),
            None => out.push_str(&format!(":{} - [0:0]\n", c.name)),
        }
    }
    for &i in &order {
        let c = &t.chains[i];
        for r in &c.rules {
            out.push_str(&format!(
                "[{}:{}] {}\n",
                r.counters.packets,
                r.counters.bytes,
                rule_spec(t, &c.name, r, family)
            ));
        }
    }
    out.push_str("COMMIT\n");
    out
}

/// The `source`/`destination` column: address and mask suffix, `0.0.0.0/0`
/// or `::/0` for any.
fn addr_column(spec: &Option<(values::Net, bool)>, family: Family) -> (char, String) {
    match spec {
        None => (
            ' ',
            match family {
                Family::Ipv4 => "0.0.0.0/0".into(),
                Family::Ipv6 => "::/0".into(),
            },
        ),
        Some((n, inv)) => (
            if *inv { '!' } else { ' ' },
            format!(
                "{}{}",
                addr_to_string(&n.addr, family),
                mask_suffix(n, family)
            ),
        ),
    }
}

fn iface_column(spec: &Option<(String, bool)>) -> String {
    match spec {
        None => "*".into(),
        Some((name, inv)) => format!("{}{name}", if *inv { "!" } else { "" }),
    }
}

const HEADER: &str = "num      pkts      bytes target     prot opt in     out     source               destination         ";

/// One table as `iptables -t TABLE -L -v -x -n --line-numbers` prints it.
pub(crate) fn list_table(t: &Table, family: Family) -> String {
    let names: Vec<String> = t.chains.iter().map(|c| c.name.clone()).collect();
    let mut chunks = Vec::new();
    for &i in &t.listing_order() {
        let c = &t.chains[i];
        let mut s = match c.builtin {
            Some(_) => format!(
                "Chain {} (policy {} {} packets, {} bytes)\n",
                c.name,
                c.policy.name(),
                c.policy_counters.packets,
                c.policy_counters.bytes
            ),
            None => format!("Chain {} ({} references)\n", c.name, t.references(i)),
        };
        s.push_str(HEADER);
        s.push('\n');
        for (n, r) in c.rules.iter().enumerate() {
            let mut l = format!(
                "{:<4} {:>8} {:>8} {:<9} ",
                n + 1,
                r.counters.packets,
                r.counters.bytes,
                targets::list_name(&r.target, &names)
            );
            let (proto, pinv) = r.ip.proto.unwrap_or((0, false));
            l.push(if pinv { '!' } else { ' ' });
            l.push_str(&format!("{proto:<5}"));
            let frag = r.ip.frag;
            l.push(if frag == Some(true) { '!' } else { '-' });
            l.push(if frag.is_some() { 'f' } else { '-' });
            l.push(' ');
            l.push_str(&format!(" {:<6} ", iface_column(&r.ip.iif)));
            l.push_str(&format!("{:<6} ", iface_column(&r.ip.oif)));
            let (si, s_) = addr_column(&r.ip.src, family);
            let (di, d_) = addr_column(&r.ip.dst, family);
            l.push(si);
            l.push_str(&format!("{s_:<19} "));
            l.push(di);
            l.push_str(&format!("{d_:<19} "));
            if matches!(r.target, super::Target::Goto(_)) {
                l.push_str("[goto] ");
            }
            for m in &r.matches {
                m.print(&mut l, family);
            }
            targets::print(&r.target, &mut l);
            s.push_str(&l);
            s.push('\n');
        }
        chunks.push(s);
    }
    chunks.join("\n")
}

/// `counters_report()`: every table of the ruleset in file order, each
/// headed by a `# iptables -t TABLE -L -v -x -n --line-numbers` line and
/// followed by exactly what that command prints.
pub(crate) fn report(rs: &Ruleset) -> String {
    let tool = match rs.family {
        Family::Ipv4 => "iptables",
        Family::Ipv6 => "ip6tables",
    };
    rs.tables
        .iter()
        .map(|t| {
            format!(
                "# {tool} -t {} -L -v -x -n --line-numbers\n{}",
                t.kind.name(),
                list_table(t, rs.family)
            )
        })
        .collect()
}

/// The `*TABLE` ... `COMMIT` section of `iptables-save` output `text`
/// (such as a kernel recording's `counters.v4`), without comment lines: the
/// form [`Ruleset::save_counters_table`] prints, for comparing counters.
pub fn table_section(text: &str, table: &str) -> Option<String> {
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        if !inside {
            if line.strip_prefix('*').map(str::trim) == Some(table) {
                inside = true;
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line == "COMMIT" {
            return Some(out);
        }
    }
    None
}
