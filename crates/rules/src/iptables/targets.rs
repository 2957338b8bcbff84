//! Targets: the verdicts (`ACCEPT`, `DROP`, `RETURN`, a jump or goto to a
//! user chain) and the extensions ctrack implements, as libxt_*.c parses,
//! saves and prints them and as the kernel runs them:
//!
//! | target | options | effect |
//! |---|---|---|
//! | `REJECT` | `--reject-with` (every name and alias iptables accepts, v4 and v6) | dropped, the answer recorded; filter table only, `tcp-reset` only with `-p tcp` (kernel checks) |
//! | `LOG` | `--log-level`, `--log-prefix`, `--log-tcp-sequence`, `--log-tcp-options`, `--log-ip-options`, `--log-uid`, `--log-macdecode` | non-terminal; the rule joins `Meta::logged` |
//! | `NFLOG` | `--nflog-group`, `--nflog-prefix`, `--nflog-range`, `--nflog-size`, `--nflog-threshold` | as LOG |
//! | `MARK` | `--set-xmark`, `--set-mark`, `--and-mark`, `--or-mark`, `--xor-mark` | `mark = (mark & ~mask) ^ value` |
//! | `CONNMARK` | `--set-xmark`, `--set-mark`, `--and/or/xor-mark`, `--save-mark`, `--restore-mark`, `--mask`, `--nfmask`, `--ctmask` | `xt_connmark.c`; no effect without an entry |
//! | `CT` | `--notrack`, `--helper`, `--zone` | raw table only; the first CT rule a packet meets wins (`xt_ct_target()`) |
//! | `NOTRACK` | | `CT --notrack` |
//!
//! NAT targets and every other extension are parse errors.

use super::TableKind;
use super::matches::OptDef;
use super::values::{self, save_string};
use crate::model::RejectWith;
use ctrack_core::tuple::Family;

/// A LOG target (`struct xt_log_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Log {
    pub level: u8,
    pub prefix: String,
    pub flags: u8,
}

/// An NFLOG target (`struct xt_nflog_info`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Nflog {
    pub group: u16,
    pub prefix: String,
    /// `--nflog-size` (copy length).
    pub size: Option<u32>,
    pub threshold: u16,
}

/// What CONNMARK does (`struct xt_connmark_tginfo2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConnmarkMode {
    Set,
    Save,
    Restore,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Connmark {
    pub mode: ConnmarkMode,
    pub ctmark: u32,
    pub ctmask: u32,
    pub nfmask: u32,
}

/// A CT target (`struct xt_ct_target_info_v1`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Ct {
    pub notrack: bool,
    pub helper: Option<String>,
    pub zone: u16,
    /// `--zone-orig` / `--zone-reply` (`XT_CT_ZONE_DIR_ORIG` / `_REPL`);
    /// neither: both directions.
    pub zone_orig: bool,
    pub zone_reply: bool,
}

impl Ct {
    /// The zone a new connection gets.
    pub fn zone(&self) -> ctrack_core::Zone {
        match (self.zone_orig, self.zone_reply) {
            (true, false) => ctrack_core::Zone::orig(self.zone),
            (false, true) => ctrack_core::Zone::reply(self.zone),
            _ => ctrack_core::Zone::both(self.zone),
        }
    }

    /// `--zone`, `--zone-orig` or `--zone-reply`, as iptables writes it.
    fn zone_option(&self) -> &'static str {
        match (self.zone_orig, self.zone_reply) {
            (true, false) => "zone-orig",
            (false, true) => "zone-reply",
            _ => "zone",
        }
    }
}

/// A rule's target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// No `-j`: the rule only counts.
    None,
    Accept,
    Drop,
    Return,
    /// Index of the chain in its table.
    Jump(usize),
    Goto(usize),
    Reject(RejectWith),
    Log(Log),
    Nflog(Nflog),
    Mark {
        mark: u32,
        mask: u32,
    },
    Connmark(Connmark),
    Ct(Ct),
    Notrack,
}

/// Targets iptables has that ctrack does not implement.
const UNSUPPORTED: &[&str] = &[
    "AUDIT",
    "CHECKSUM",
    "CLASSIFY",
    "CLUSTERIP",
    "CONNSECMARK",
    "DNPT",
    "DSCP",
    "ECN",
    "HL",
    "HMARK",
    "IDLETIMER",
    "LED",
    "MIRROR",
    "NFQUEUE",
    "QUEUE",
    "RATEEST",
    "SECMARK",
    "SET",
    "SNPT",
    "SYNPROXY",
    "TCPMSS",
    "TCPOPTSTRIP",
    "TEE",
    "TOS",
    "TPROXY",
    "TRACE",
    "TTL",
    "ULOG",
];

const NAT: &[&str] = &["DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP"];

/// Every name `-j` resolves to a target rather than a chain.
pub(crate) fn is_target_name(s: &str) -> bool {
    matches!(
        s,
        "ACCEPT"
            | "DROP"
            | "RETURN"
            | "REJECT"
            | "LOG"
            | "NFLOG"
            | "MARK"
            | "CONNMARK"
            | "CT"
            | "NOTRACK"
    ) || UNSUPPORTED.contains(&s)
        || NAT.contains(&s)
}

/// A target extension being read.
#[derive(Debug, Clone)]
pub(crate) enum Ext {
    Reject(Option<RejectWith>),
    Log(Log),
    Nflog(Nflog),
    /// `(mark, mask)` once an action was given, and the action's name.
    Mark(Option<(u32, u32, &'static str)>),
    Connmark {
        mode: Option<(ConnmarkMode, &'static str)>,
        ctmark: u32,
        ctmask: u32,
        nfmask: u32,
    },
    Ct(Ct),
    Notrack,
}

const fn opt(name: &'static str, id: u8) -> OptDef {
    OptDef {
        name,
        arg: true,
        id,
        invert: false,
        once: true,
    }
}

const fn flag(name: &'static str, id: u8) -> OptDef {
    OptDef {
        name,
        arg: false,
        id,
        invert: false,
        once: true,
    }
}

const REJECT4: &[(&str, &str, RejectWith)] = &[
    (
        "icmp-net-unreachable",
        "net-unreach",
        RejectWith::IcmpNetUnreachable,
    ),
    (
        "icmp-host-unreachable",
        "host-unreach",
        RejectWith::IcmpHostUnreachable,
    ),
    (
        "icmp-proto-unreachable",
        "proto-unreach",
        RejectWith::IcmpProtoUnreachable,
    ),
    (
        "icmp-port-unreachable",
        "port-unreach",
        RejectWith::IcmpPortUnreachable,
    ),
    (
        "icmp-net-prohibited",
        "net-prohib",
        RejectWith::IcmpNetProhibited,
    ),
    (
        "icmp-host-prohibited",
        "host-prohib",
        RejectWith::IcmpHostProhibited,
    ),
    ("tcp-reset", "tcp-rst", RejectWith::TcpReset),
    (
        "icmp-admin-prohibited",
        "admin-prohib",
        RejectWith::IcmpAdminProhibited,
    ),
];

const REJECT6: &[(&str, &str, RejectWith)] = &[
    ("icmp6-no-route", "no-route", RejectWith::Icmp6NoRoute),
    (
        "icmp6-adm-prohibited",
        "adm-prohibited",
        RejectWith::Icmp6AdmProhibited,
    ),
    (
        "icmp6-addr-unreachable",
        "addr-unreach",
        RejectWith::Icmp6AddrUnreachable,
    ),
    (
        "icmp6-port-unreachable",
        "port-unreach",
        RejectWith::Icmp6PortUnreachable,
    ),
    (
        "icmp6-policy-fail",
        "policy-fail",
        RejectWith::Icmp6PolicyFail,
    ),
    (
        "icmp6-reject-route",
        "reject-route",
        RejectWith::Icmp6RejectRoute,
    ),
    ("tcp-reset", "tcp-reset", RejectWith::TcpReset),
];

fn prefix_ci(full: &str, s: &str) -> bool {
    full.len() >= s.len() && full[..s.len()].eq_ignore_ascii_case(s)
}

const LOG_LEVELS: &[(&str, u8)] = &[
    ("alert", 1),
    ("crit", 2),
    ("debug", 7),
    ("emerg", 0),
    ("error", 3),
    ("info", 6),
    ("notice", 5),
    ("panic", 0),
    ("warning", 4),
];

/// The helpers the 6.18 kernel has, with the protocols and families they
/// exist for (for telling "the kernel would refuse it" from "ctrack lacks
/// it").
const KERNEL_HELPERS: &[(&str, &[u8], bool)] = &[
    ("ftp", &[6], true),
    ("tftp", &[17], true),
    ("irc", &[6], false),
    ("pptp", &[6], false),
    ("sip", &[6, 17], true),
    ("amanda", &[6, 17], true),
    ("RAS", &[17], true),
    ("Q.931", &[6], true),
    ("netbios-ns", &[17], false),
    ("snmp", &[17], false),
    ("snmp_trap", &[17], false),
    ("sane", &[6], true),
];

impl Ext {
    /// The extension `-j NAME` loads.
    pub fn load(name: &str) -> Result<Option<Ext>, String> {
        Ok(Some(match name {
            "REJECT" => Ext::Reject(None),
            "LOG" => Ext::Log(Log {
                level: 4,
                prefix: String::new(),
                flags: 0,
            }),
            "NFLOG" => Ext::Nflog(Nflog::default()),
            "MARK" => Ext::Mark(None),
            "CONNMARK" => Ext::Connmark {
                mode: None,
                ctmark: 0,
                ctmask: u32::MAX,
                nfmask: u32::MAX,
            },
            "CT" => Ext::Ct(Ct::default()),
            "NOTRACK" => Ext::Notrack,
            n if NAT.contains(&n) => {
                return Err(format!(
                    "target `{n}' is not supported by ctrack (it does no address translation)"
                ));
            }
            n if UNSUPPORTED.contains(&n) => {
                return Err(format!("target `{n}' is not supported by ctrack"));
            }
            _ => return Ok(None),
        }))
    }

    pub fn options(&self) -> &'static [OptDef] {
        const REJECT: &[OptDef] = &[opt("reject-with", 0)];
        const LOG: &[OptDef] = &[
            opt("log-level", 0),
            opt("log-prefix", 1),
            flag("log-tcp-sequence", 2),
            flag("log-tcp-options", 3),
            flag("log-ip-options", 4),
            flag("log-uid", 5),
            flag("log-macdecode", 6),
        ];
        const NFLOG: &[OptDef] = &[
            opt("nflog-group", 0),
            opt("nflog-prefix", 1),
            opt("nflog-range", 2),
            opt("nflog-size", 3),
            opt("nflog-threshold", 4),
        ];
        const MARK: &[OptDef] = &[
            opt("set-xmark", 0),
            opt("set-mark", 1),
            opt("and-mark", 2),
            opt("or-mark", 3),
            opt("xor-mark", 4),
        ];
        const CONNMARK: &[OptDef] = &[
            opt("set-xmark", 0),
            flag("save-mark", 1),
            flag("restore-mark", 2),
            opt("and-mark", 3),
            opt("or-mark", 4),
            opt("xor-mark", 5),
            opt("set-mark", 6),
            opt("nfmask", 7),
            opt("ctmask", 8),
            opt("mask", 9),
            opt("left-shift-mark", 10),
            opt("right-shift-mark", 11),
        ];
        const CT: &[OptDef] = &[
            flag("notrack", 0),
            opt("helper", 1),
            opt("timeout", 2),
            opt("zone", 3),
            opt("zone-orig", 4),
            opt("zone-reply", 5),
            opt("ctevents", 6),
            opt("expevents", 7),
        ];
        match self {
            Ext::Reject(_) => REJECT,
            Ext::Log(_) => LOG,
            Ext::Nflog(_) => NFLOG,
            Ext::Mark(_) => MARK,
            Ext::Connmark { .. } => CONNMARK,
            Ext::Ct(_) => CT,
            Ext::Notrack => &[],
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Ext::Reject(_) => "REJECT",
            Ext::Log(_) => "LOG",
            Ext::Nflog(_) => "NFLOG",
            Ext::Mark(_) => "MARK",
            Ext::Connmark { .. } => "CONNMARK",
            Ext::Ct(_) => "CT",
            Ext::Notrack => "NOTRACK",
        }
    }

    pub fn parse(&mut self, def: &OptDef, arg: &str, family: Family) -> Result<(), String> {
        let ext = self.name();
        let uint = |max: u64| {
            values::strtoul(arg, 0, max).ok_or_else(|| {
                format!(
                    "{ext}: bad value for option \"--{}\", or out of range (0-{max}).",
                    def.name
                )
            })
        };
        let markmask = || {
            values::mark_mask(arg).ok_or_else(|| {
                format!(
                    "{ext}: bad integer value for option \"--{}\", or out of range.",
                    def.name
                )
            })
        };
        match self {
            Ext::Reject(w) => {
                let table = match family {
                    Family::Ipv4 => REJECT4,
                    Family::Ipv6 => REJECT6,
                };
                let found = table
                    .iter()
                    .find(|(n, a, _)| prefix_ci(n, arg) || prefix_ci(a, arg));
                match found {
                    Some((_, _, with)) => *w = Some(*with),
                    None => {
                        let old = family == Family::Ipv4
                            && (prefix_ci("echo-reply", arg) || prefix_ci("echoreply", arg));
                        return Err(format!(
                            "{}unknown reject type \"{arg}\"",
                            if old {
                                "--reject-with echo-reply no longer supported; "
                            } else {
                                ""
                            }
                        ));
                    }
                }
            }
            Ext::Log(l) => match def.id {
                0 => {
                    l.level = match values::strtoul(arg, 0, 7) {
                        Some(v) => v as u8,
                        None => LOG_LEVELS
                            .iter()
                            .find(|(n, _)| n.eq_ignore_ascii_case(arg))
                            .map(|(_, v)| *v)
                            .ok_or_else(|| format!("log level \"{arg}\" unknown"))?,
                    }
                }
                1 => {
                    if arg.is_empty() {
                        return Err("Argument must have a minimum length of 1 characters".into());
                    }
                    if arg.contains('\n') {
                        return Err("Newlines not allowed in --log-prefix".into());
                    }
                    l.prefix = truncate(arg, 29);
                }
                2 => l.flags |= 0x01,
                3 => l.flags |= 0x02,
                4 => l.flags |= 0x04,
                5 => l.flags |= 0x08,
                _ => l.flags |= 0x20,
            },
            Ext::Nflog(n) => match def.id {
                0 => n.group = uint(65535)? as u16,
                1 => {
                    if arg.is_empty() {
                        return Err("Argument must have a minimum length of 1 characters".into());
                    }
                    // libxt_NFLOG also refuses newlines; a line of a
                    // saved ruleset cannot hold one.
                    n.prefix = arg.to_string();
                }
                2 => {
                    uint(u64::from(u32::MAX))?;
                }
                3 => n.size = Some(uint(u64::from(u32::MAX))? as u32),
                _ => n.threshold = uint(65535)? as u16,
            },
            Ext::Mark(m) => {
                if let Some((_, _, prev)) = m {
                    return Err(format!(
                        "MARK: option \"--{prev}\" cannot be used together with \"--{}\".",
                        def.name
                    ));
                }
                let (mark, mask) = match def.id {
                    0 => markmask()?,
                    1 => {
                        let (v, mk) = markmask()?;
                        (v, v | mk)
                    }
                    2 => (0, !(uint(u64::from(u32::MAX))? as u32)),
                    3 => {
                        let v = uint(u64::from(u32::MAX))? as u32;
                        (v, v)
                    }
                    _ => (uint(u64::from(u32::MAX))? as u32, 0),
                };
                *m = Some((mark, mask, def.name));
            }
            Ext::Connmark {
                mode,
                ctmark,
                ctmask,
                nfmask,
            } => {
                if def.id <= 6
                    && let Some((_, prev)) = mode
                {
                    return Err(format!(
                        "CONNMARK: option \"--{prev}\" cannot be used together with \"--{}\".",
                        def.name
                    ));
                }
                let set = |mode: &mut Option<(ConnmarkMode, &'static str)>| {
                    *mode = Some((ConnmarkMode::Set, def.name));
                };
                match def.id {
                    0 => {
                        let (v, m) = markmask()?;
                        set(mode);
                        *ctmark = v;
                        *ctmask = m;
                    }
                    1 => *mode = Some((ConnmarkMode::Save, def.name)),
                    2 => *mode = Some((ConnmarkMode::Restore, def.name)),
                    3 => {
                        let v = uint(u64::from(u32::MAX))? as u32;
                        set(mode);
                        *ctmark = 0;
                        *ctmask = !v;
                    }
                    4 => {
                        let v = uint(u64::from(u32::MAX))? as u32;
                        set(mode);
                        *ctmark = v;
                        *ctmask = v;
                    }
                    5 => {
                        let v = uint(u64::from(u32::MAX))? as u32;
                        set(mode);
                        *ctmark = v;
                        *ctmask = 0;
                    }
                    6 => {
                        let (v, m) = markmask()?;
                        set(mode);
                        *ctmark = v;
                        *ctmask = v | m;
                    }
                    7 => *nfmask = uint(u64::from(u32::MAX))? as u32,
                    8 => *ctmask = uint(u64::from(u32::MAX))? as u32,
                    9 => {
                        let v = uint(u64::from(u32::MAX))? as u32;
                        *nfmask = v;
                        *ctmask = v;
                    }
                    _ => {
                        return Err(format!(
                            "CONNMARK --{} is not supported by ctrack",
                            def.name
                        ));
                    }
                }
            }
            Ext::Ct(c) => match def.id {
                0 => c.notrack = true,
                1 => c.helper = Some(truncate(arg, 15)),
                3..=5 => {
                    c.zone = values::strtoul(arg, 0, 65535)
                        .ok_or_else(|| format!("Cannot parse {arg} as a zone ID"))?
                        as u16;
                    c.zone_orig |= def.id == 4;
                    c.zone_reply |= def.id == 5;
                }
                _ => {
                    return Err(format!(
                        "CT --{} is not supported by ctrack (only --notrack, --helper, --zone, --zone-orig and --zone-reply)",
                        def.name
                    ));
                }
            },
            Ext::Notrack => {}
        }
        Ok(())
    }

    /// The target, once the rule is read; `proto` is the rule's `-p`.
    pub fn finish(
        self,
        table: TableKind,
        family: Family,
        proto: Option<(u8, bool)>,
    ) -> Result<Target, String> {
        let only_in = |name: &str, want: TableKind| {
            format!(
                "{name} is only valid in the {} table, not in `{}' (the kernel refuses the rule: \
                 Invalid argument)",
                want.name(),
                table.name()
            )
        };
        Ok(match self {
            Ext::Reject(w) => {
                if table != TableKind::Filter {
                    return Err(only_in("REJECT", TableKind::Filter));
                }
                let w = w.unwrap_or(match family {
                    Family::Ipv4 => RejectWith::IcmpPortUnreachable,
                    Family::Ipv6 => RejectWith::Icmp6PortUnreachable,
                });
                if w == RejectWith::TcpReset && proto != Some((6, false)) {
                    return Err(
                        "REJECT --reject-with tcp-reset is only valid with -p tcp (the kernel \
                         refuses the rule: Invalid argument)"
                            .into(),
                    );
                }
                Target::Reject(w)
            }
            Ext::Log(l) => Target::Log(l),
            Ext::Nflog(n) => Target::Nflog(n),
            Ext::Mark(None) => {
                return Err(
                    "MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required"
                        .into(),
                );
            }
            Ext::Mark(Some((mark, mask, _))) => Target::Mark { mark, mask },
            Ext::Connmark { mode: None, .. } => {
                return Err("CONNMARK target: No operation specified".into());
            }
            Ext::Connmark {
                mode: Some((mode, _)),
                ctmark,
                ctmask,
                nfmask,
            } => Target::Connmark(Connmark {
                mode,
                ctmark,
                ctmask,
                nfmask,
            }),
            Ext::Ct(c) => {
                if table != TableKind::Raw {
                    return Err(only_in("CT", TableKind::Raw));
                }
                if let Some(h) = &c.helper
                    && !c.notrack
                {
                    check_helper(h, family, proto)?;
                }
                Target::Ct(c)
            }
            Ext::Notrack => {
                if table != TableKind::Raw {
                    return Err(only_in("NOTRACK", TableKind::Raw));
                }
                Target::Notrack
            }
        })
    }
}

fn truncate(s: &str, max: usize) -> String {
    let mut s = s.to_string();
    while s.len() > max {
        s.pop();
    }
    s
}

/// `xt_ct_set_helper()`: the rule must name a layer-4 protocol, and the
/// helper must exist for it; then ctrack must have it.
fn check_helper(name: &str, family: Family, proto: Option<(u8, bool)>) -> Result<(), String> {
    let fam = match family {
        Family::Ipv4 => "IPv4",
        Family::Ipv6 => "IPv6",
    };
    let refuse = |why: String| {
        Err(format!(
            "{why} (the kernel refuses the rule: No such file or directory)"
        ))
    };
    let p = match proto {
        Some((p, false)) if p != 0 => p,
        _ => {
            return refuse(format!(
                "CT --helper {name} needs -p with the helper's protocol, not inverted"
            ));
        }
    };
    let pname = values::protocol_name(p).map_or_else(|| p.to_string(), str::to_string);
    let kernel = KERNEL_HELPERS.iter().any(|(n, protos, v6)| {
        *n == name && protos.contains(&p) && (family == Family::Ipv4 || *v6)
    });
    if !kernel {
        return refuse(format!(
            "the kernel has no helper `{name}' for {pname} over {fam}"
        ));
    }
    let Some(id) = ctrack_core::helper::by_name(name) else {
        return Err(format!(
            "helper `{name}' is not supported by ctrack (it has: {})",
            ctrack_core::helper::HELPERS
                .iter()
                .map(|h| h.name())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let h = id.get();
    if h.proto() != p || !h.supports(family) {
        return Err(format!(
            "ctrack's `{name}' helper does not read {pname} over {fam}"
        ));
    }
    Ok(())
}

/// `-j NAME` and the target's options, as iptables-save writes them.
pub(crate) fn save(t: &Target, chains: &[String], out: &mut String) {
    match t {
        Target::None => {}
        Target::Accept => out.push_str(" -j ACCEPT"),
        Target::Drop => out.push_str(" -j DROP"),
        Target::Return => out.push_str(" -j RETURN"),
        Target::Jump(i) => out.push_str(&format!(" -j {}", chains[*i])),
        Target::Goto(i) => out.push_str(&format!(" -g {}", chains[*i])),
        Target::Reject(w) => out.push_str(&format!(" -j REJECT --reject-with {w}")),
        Target::Log(l) => {
            out.push_str(" -j LOG");
            if !l.prefix.is_empty() {
                out.push_str(" --log-prefix");
                out.push_str(&save_string(&l.prefix));
            }
            if l.level != 4 {
                out.push_str(&format!(" --log-level {}", l.level));
            }
            for (bit, name) in [
                (0x01, "--log-tcp-sequence"),
                (0x02, "--log-tcp-options"),
                (0x04, "--log-ip-options"),
                (0x08, "--log-uid"),
                (0x20, "--log-macdecode"),
            ] {
                if l.flags & bit != 0 {
                    out.push(' ');
                    out.push_str(name);
                }
            }
        }
        Target::Nflog(n) => {
            out.push_str(" -j NFLOG");
            nflog_dump(n, "--", out);
        }
        Target::Mark { mark, mask } => {
            out.push_str(&format!(" -j MARK --set-xmark 0x{mark:x}/0x{mask:x}"));
        }
        Target::Connmark(c) => {
            out.push_str(" -j CONNMARK");
            match c.mode {
                ConnmarkMode::Set => {
                    out.push_str(&format!(" --set-xmark 0x{:x}/0x{:x}", c.ctmark, c.ctmask));
                }
                ConnmarkMode::Save => out.push_str(&format!(
                    " --save-mark --nfmask 0x{:x} --ctmask 0x{:x}",
                    c.nfmask, c.ctmask
                )),
                ConnmarkMode::Restore => out.push_str(&format!(
                    " --restore-mark --nfmask 0x{:x} --ctmask 0x{:x}",
                    c.nfmask, c.ctmask
                )),
            }
        }
        Target::Ct(c) => {
            out.push_str(" -j CT");
            if c.notrack {
                out.push_str(" --notrack");
            }
            if let Some(h) = &c.helper {
                out.push_str(&format!(" --helper {h}"));
            }
            if c.zone != 0 || c.zone_orig || c.zone_reply {
                out.push_str(&format!(" --{} {}", c.zone_option(), c.zone));
            }
        }
        Target::Notrack => out.push_str(" -j NOTRACK"),
    }
}

fn nflog_dump(n: &Nflog, prefix: &str, out: &mut String) {
    if !n.prefix.is_empty() {
        out.push_str(&format!(" {prefix}nflog-prefix"));
        out.push_str(&save_string(&n.prefix));
    }
    if n.group != 0 {
        out.push_str(&format!(" {prefix}nflog-group {}", n.group));
    }
    if let Some(s) = n.size {
        out.push_str(&format!(" {prefix}nflog-size {s}"));
    }
    if n.threshold != 0 {
        out.push_str(&format!(" {prefix}nflog-threshold {}", n.threshold));
    }
}

/// The target column of `iptables -L`.
pub(crate) fn list_name<'a>(t: &Target, chains: &'a [String]) -> &'a str {
    match t {
        Target::None => "",
        Target::Accept => "ACCEPT",
        Target::Drop => "DROP",
        Target::Return => "RETURN",
        Target::Jump(i) | Target::Goto(i) => &chains[*i],
        Target::Reject(_) => "REJECT",
        Target::Log(_) => "LOG",
        Target::Nflog(_) => "NFLOG",
        Target::Mark { .. } => "MARK",
        Target::Connmark(_) => "CONNMARK",
        Target::Ct(_) | Target::Notrack => "CT",
    }
}

/// What `iptables -L -n` prints for the target, after the matches.
pub(crate) fn print(t: &Target, out: &mut String) {
    match t {
        Target::Reject(w) => out.push_str(&format!(" reject-with {w}")),
        Target::Log(l) => {
            out.push_str(&format!(" LOG flags {} level {}", l.flags, l.level));
            if !l.prefix.is_empty() {
                out.push_str(&format!(" prefix \"{}\"", l.prefix));
            }
        }
        Target::Nflog(n) => nflog_dump(n, "", out),
        Target::Mark { mark, mask } => out.push_str(&mark_print("MARK", *mark, *mask)),
        Target::Connmark(c) => match c.mode {
            ConnmarkMode::Set => out.push_str(&mark_print("CONNMARK", c.ctmark, c.ctmask)),
            ConnmarkMode::Save => {
                if c.nfmask == u32::MAX && c.ctmask == u32::MAX {
                    out.push_str(" CONNMARK save");
                } else if c.nfmask == c.ctmask {
                    out.push_str(&format!(" CONNMARK save mask 0x{:x}", c.nfmask));
                } else {
                    out.push_str(&format!(
                        " CONNMARK save nfmask 0x{:x} ctmask ~0x{:x}",
                        c.nfmask, c.ctmask
                    ));
                }
            }
            ConnmarkMode::Restore => {
                if c.nfmask == u32::MAX && c.ctmask == u32::MAX {
                    out.push_str(" CONNMARK restore");
                } else if c.nfmask == c.ctmask {
                    out.push_str(&format!(" CONNMARK restore mask 0x{:x}", c.ctmask));
                } else {
                    out.push_str(&format!(
                        " CONNMARK restore ctmask 0x{:x} nfmask ~0x{:x}",
                        c.ctmask, c.nfmask
                    ));
                }
            }
        },
        Target::Ct(c) => {
            out.push_str(" CT");
            if c.notrack {
                out.push_str(" notrack");
            }
            if let Some(h) = &c.helper {
                out.push_str(&format!(" helper {h}"));
            }
            if c.zone != 0 || c.zone_orig || c.zone_reply {
                out.push_str(&format!(" {} {}", c.zone_option(), c.zone));
            }
        }
        Target::Notrack => out.push_str(" NOTRACK"),
        _ => {}
    }
}

/// `mark_tg_print()` / `connmark_tg_print()` for a set operation.
fn mark_print(name: &str, mark: u32, mask: u32) -> String {
    if mark == 0 {
        format!(" {name} and 0x{:x}", !mask)
    } else if mark == mask {
        format!(" {name} or 0x{mark:x}")
    } else if mask == 0 {
        format!(" {name} xor 0x{mark:x}")
    } else if mask == u32::MAX {
        format!(" {name} set 0x{mark:x}")
    } else {
        format!(" {name} xset 0x{mark:x}/0x{mask:x}")
    }
}
