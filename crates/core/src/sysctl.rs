//! The `net.netfilter.nf_conntrack_*` knobs: one table, kernel names, Linux
//! 6.x defaults (read from a 6.18 kernel with `sysctl -a`), the kernel's
//! ranges, and a parser for sysctl.conf files.

use core::fmt;

/// One knob: its kernel name (after `net.netfilter.`), default and range.
pub struct Knob {
    pub name: &'static str,
    pub default: u32,
    pub min: u32,
    pub max: u32,
    pub doc: &'static str,
    get: fn(&Sysctls) -> u32,
    set: fn(&mut Sysctls, u32),
}

impl Knob {
    pub fn get(&self, s: &Sysctls) -> u32 {
        (self.get)(s)
    }
}

/// `proc_dointvec_jiffies` limit: seconds * HZ must fit an int.
const MAX_SECS: u32 = (i32::MAX as u32) / 250;
const BOOL: u32 = 1;
const INT_MAX: u32 = i32::MAX as u32;

macro_rules! knobs {
    ($( $field:ident : $name:literal = $default:expr, [$min:expr, $max:expr]; $doc:literal )*) => {
        /// Every conntrack knob; timeouts in seconds, switches as 0/1.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Sysctls {
            $( #[doc = $doc] pub $field: u32, )*
        }

        impl Default for Sysctls {
            fn default() -> Self {
                Sysctls { $( $field: $default, )* }
            }
        }

        /// The knobs in the order `sysctl -a` lists them.
        pub const KNOBS: &[Knob] = &[
            $( Knob {
                name: $name,
                default: $default,
                min: $min,
                max: $max,
                doc: $doc,
                get: |s: &Sysctls| s.$field,
                set: |s: &mut Sysctls, v: u32| s.$field = v,
            }, )*
        ];
    };
}

knobs! {
    acct: "nf_conntrack_acct" = 0, [0, BOOL]; "Count packets and bytes per direction."
    buckets: "nf_conntrack_buckets" = 262144, [1, INT_MAX]; "Hash table size."
    checksum: "nf_conntrack_checksum" = 1, [0, BOOL]; "Verify layer-4 checksums of arriving packets."
    dccp_loose: "nf_conntrack_dccp_loose" = 1, [0, BOOL]; "DCCP: pick up connections already established (kernels before 6.16 only; applies only with --dccp-tracker, and with the 6.15 state table no packet but a Request can open an entry either way)."
    dccp_timeout_closereq: "nf_conntrack_dccp_timeout_closereq" = 64, [0, MAX_SECS]; "DCCP CLOSEREQ timeout (kernels before 6.16 only; applies only with --dccp-tracker)."
    dccp_timeout_closing: "nf_conntrack_dccp_timeout_closing" = 64, [0, MAX_SECS]; "DCCP CLOSING timeout (kernels before 6.16 only; applies only with --dccp-tracker)."
    dccp_timeout_open: "nf_conntrack_dccp_timeout_open" = 43200, [0, MAX_SECS]; "DCCP OPEN timeout (kernels before 6.16 only; applies only with --dccp-tracker)."
    dccp_timeout_partopen: "nf_conntrack_dccp_timeout_partopen" = 480, [0, MAX_SECS]; "DCCP PARTOPEN timeout (kernels before 6.16 only; applies only with --dccp-tracker)."
    dccp_timeout_request: "nf_conntrack_dccp_timeout_request" = 240, [0, MAX_SECS]; "DCCP REQUEST timeout (kernels before 6.16 only; applies only with --dccp-tracker)."
    dccp_timeout_respond: "nf_conntrack_dccp_timeout_respond" = 480, [0, MAX_SECS]; "DCCP RESPOND timeout (kernels before 6.16 only; applies only with --dccp-tracker)."
    dccp_timeout_timewait: "nf_conntrack_dccp_timeout_timewait" = 240, [0, MAX_SECS]; "DCCP TIMEWAIT timeout (kernels before 6.16 only; applies only with --dccp-tracker)."
    events: "nf_conntrack_events" = 2, [0, 2]; "Event delivery (0 off, 1 on, 2 when a listener exists)."
    expect_max: "nf_conntrack_expect_max" = 4096, [1, INT_MAX]; "Maximum number of expectations."
    frag6_high_thresh: "nf_conntrack_frag6_high_thresh" = 4194304, [0, INT_MAX]; "IPv6 reassembly memory limit."
    frag6_low_thresh: "nf_conntrack_frag6_low_thresh" = 3145728, [0, INT_MAX]; "IPv6 reassembly memory target after eviction."
    frag6_timeout: "nf_conntrack_frag6_timeout" = 60, [0, MAX_SECS]; "IPv6 reassembly timeout."
    generic_timeout: "nf_conntrack_generic_timeout" = 600, [0, MAX_SECS]; "Timeout of protocols without a tracker."
    gre_timeout: "nf_conntrack_gre_timeout" = 30, [0, MAX_SECS]; "GRE timeout until a reply is seen."
    gre_timeout_stream: "nf_conntrack_gre_timeout_stream" = 180, [0, MAX_SECS]; "GRE timeout once replied."
    icmp_timeout: "nf_conntrack_icmp_timeout" = 30, [0, MAX_SECS]; "ICMP query timeout."
    icmpv6_timeout: "nf_conntrack_icmpv6_timeout" = 30, [0, MAX_SECS]; "ICMPv6 query timeout."
    log_invalid: "nf_conntrack_log_invalid" = 0, [0, 255]; "Log invalid packets of this protocol (255: all)."
    max: "nf_conntrack_max" = 262144, [0, INT_MAX]; "Maximum number of entries (0: unlimited)."
    sctp_timeout_closed: "nf_conntrack_sctp_timeout_closed" = 10, [0, MAX_SECS]; "SCTP CLOSED timeout."
    sctp_timeout_cookie_echoed: "nf_conntrack_sctp_timeout_cookie_echoed" = 3, [0, MAX_SECS]; "SCTP COOKIE_ECHOED timeout."
    sctp_timeout_cookie_wait: "nf_conntrack_sctp_timeout_cookie_wait" = 3, [0, MAX_SECS]; "SCTP COOKIE_WAIT timeout."
    sctp_timeout_established: "nf_conntrack_sctp_timeout_established" = 210, [0, MAX_SECS]; "SCTP ESTABLISHED timeout."
    sctp_timeout_heartbeat_sent: "nf_conntrack_sctp_timeout_heartbeat_sent" = 30, [0, MAX_SECS]; "SCTP HEARTBEAT_SENT timeout."
    sctp_timeout_shutdown_ack_sent: "nf_conntrack_sctp_timeout_shutdown_ack_sent" = 3, [0, MAX_SECS]; "SCTP SHUTDOWN_ACK_SENT timeout."
    sctp_timeout_shutdown_recd: "nf_conntrack_sctp_timeout_shutdown_recd" = 3, [0, MAX_SECS]; "SCTP SHUTDOWN_RECD timeout."
    sctp_timeout_shutdown_sent: "nf_conntrack_sctp_timeout_shutdown_sent" = 3, [0, MAX_SECS]; "SCTP SHUTDOWN_SENT timeout."
    tcp_be_liberal: "nf_conntrack_tcp_be_liberal" = 0, [0, BOOL]; "Mark only out-of-window RSTs INVALID."
    tcp_ignore_invalid_rst: "nf_conntrack_tcp_ignore_invalid_rst" = 0, [0, BOOL]; "Do not mark out-of-window RSTs INVALID."
    tcp_loose: "nf_conntrack_tcp_loose" = 1, [0, BOOL]; "Pick up connections already established."
    tcp_max_retrans: "nf_conntrack_tcp_max_retrans" = 3, [0, 255]; "Retransmissions before timeout_max_retrans applies."
    tcp_timeout_close: "nf_conntrack_tcp_timeout_close" = 10, [0, MAX_SECS]; "TCP CLOSE timeout."
    tcp_timeout_close_wait: "nf_conntrack_tcp_timeout_close_wait" = 60, [0, MAX_SECS]; "TCP CLOSE_WAIT timeout."
    tcp_timeout_established: "nf_conntrack_tcp_timeout_established" = 432000, [0, MAX_SECS]; "TCP ESTABLISHED timeout."
    tcp_timeout_fin_wait: "nf_conntrack_tcp_timeout_fin_wait" = 120, [0, MAX_SECS]; "TCP FIN_WAIT timeout."
    tcp_timeout_last_ack: "nf_conntrack_tcp_timeout_last_ack" = 30, [0, MAX_SECS]; "TCP LAST_ACK timeout."
    tcp_timeout_max_retrans: "nf_conntrack_tcp_timeout_max_retrans" = 300, [0, MAX_SECS]; "TCP timeout after too many retransmissions."
    tcp_timeout_syn_recv: "nf_conntrack_tcp_timeout_syn_recv" = 60, [0, MAX_SECS]; "TCP SYN_RECV timeout."
    tcp_timeout_syn_sent: "nf_conntrack_tcp_timeout_syn_sent" = 120, [0, MAX_SECS]; "TCP SYN_SENT timeout."
    tcp_timeout_time_wait: "nf_conntrack_tcp_timeout_time_wait" = 120, [0, MAX_SECS]; "TCP TIME_WAIT timeout."
    tcp_timeout_unacknowledged: "nf_conntrack_tcp_timeout_unacknowledged" = 300, [0, MAX_SECS]; "TCP timeout while data is unacknowledged."
    timestamp: "nf_conntrack_timestamp" = 0, [0, BOOL]; "Record start and stop times."
    udp_timeout: "nf_conntrack_udp_timeout" = 30, [0, MAX_SECS]; "UDP timeout until the entry is a stream."
    udp_timeout_stream: "nf_conntrack_udp_timeout_stream" = 120, [0, MAX_SECS]; "UDP timeout for streams."
    ipfrag_high_thresh: "ipfrag_high_thresh" = 4194304, [0, INT_MAX]; "IPv4 reassembly memory limit (net.ipv4)."
    ipfrag_low_thresh: "ipfrag_low_thresh" = 3145728, [0, INT_MAX]; "IPv4 reassembly low threshold (net.ipv4; unused since 4.17)."
    ipfrag_max_dist: "ipfrag_max_dist" = 64, [0, INT_MAX]; "Fragments from one source between two of a datagram before it is restarted (net.ipv4)."
    ipfrag_time: "ipfrag_time" = 30, [0, MAX_SECS]; "IPv4 reassembly timeout (net.ipv4)."
    ftp_loose: "nf_conntrack_ftp.loose" = 0, [0, BOOL]; "FTP helper: expect data connections to addresses other than the sender's (module parameter)."
    irc_max_dcc_channels: "nf_conntrack_irc.max_dcc_channels" = 8, [1, 255]; "IRC helper: DCC expectations pending per connection (module parameter)."
    irc_dcc_timeout: "nf_conntrack_irc.dcc_timeout" = 300, [0, INT_MAX]; "IRC helper: seconds a DCC expectation waits (module parameter)."
    sip_timeout: "nf_conntrack_sip.sip_timeout" = 3600, [0, INT_MAX]; "SIP helper: timeout of a SIP signalling entry (module parameter)."
    sip_direct_signalling: "nf_conntrack_sip.sip_direct_signalling" = 1, [0, BOOL]; "SIP helper: expect signalling only from the registrar (module parameter)."
    sip_direct_media: "nf_conntrack_sip.sip_direct_media" = 1, [0, BOOL]; "SIP helper: expect media only from the signalling peer (module parameter)."
    sip_external_media: "nf_conntrack_sip.sip_external_media" = 0, [0, BOOL]; "SIP helper: expect media to addresses routed elsewhere (module parameter)."
}

impl Knob {
    /// The sysctl directory the knob lives in.
    pub fn prefix(&self) -> &'static str {
        if self.is_module_param() {
            ""
        } else if self.name.starts_with("ipfrag_") {
            "net.ipv4."
        } else {
            "net.netfilter."
        }
    }

    /// A helper module's parameter (`/sys/module/M/parameters/P`, written
    /// `M.P`) rather than a sysctl.
    pub fn is_module_param(&self) -> bool {
        self.name.contains('.')
    }

    /// The full sysctl name.
    pub fn full_name(&self) -> String {
        format!("{}{}", self.prefix(), self.name)
    }
}

/// A knob that cannot be set, or a sysctl.conf line that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SysctlError {
    #[error(
        "unknown knob `{0}` (ctrack knows the net.netfilter.nf_conntrack_* knobs; see `ctrack sysctls`)"
    )]
    Unknown(String),
    #[error("`{0}` is read-only")]
    ReadOnly(String),
    #[error("`{name}`: value `{value}` is not an integer")]
    NotANumber { name: String, value: String },
    #[error("`{name}`: {value} is outside {min}..={max}")]
    OutOfRange {
        name: String,
        value: i64,
        min: u32,
        max: u32,
    },
    #[error("line {line}: {source}")]
    Line {
        line: usize,
        #[source]
        source: Box<SysctlError>,
    },
    #[error("line {line}: expected `name = value`, found `{text}`")]
    Syntax { line: usize, text: String },
}

/// The knob a name means, accepting `net.netfilter.nf_conntrack_x`,
/// `net/netfilter/nf_conntrack_x`, `nf_conntrack_x` and `net.nf_conntrack_max`.
pub fn find(name: &str) -> Result<&'static Knob, SysctlError> {
    let trimmed = name.trim();
    // /sys/module/M/parameters/P is the parameter M.P.
    if let Some(rest) = trimmed.strip_prefix("/sys/module/")
        && let Some((m, p)) = rest.split_once("/parameters/")
    {
        return find(&format!("{m}.{p}"));
    }
    let n = trimmed.replace('/', ".");
    let short = n
        .strip_prefix("net.netfilter.")
        .or_else(|| {
            n.strip_prefix("net.ipv4.")
                .filter(|s| s.starts_with("ipfrag_"))
        })
        .or_else(|| n.strip_prefix("net.").filter(|s| *s == "nf_conntrack_max"))
        .unwrap_or(&n);
    if short == "nf_conntrack_count" {
        return Err(SysctlError::ReadOnly(name.trim().to_string()));
    }
    KNOBS
        .iter()
        .find(|k| k.name == short)
        .ok_or_else(|| SysctlError::Unknown(name.trim().to_string()))
}

impl Sysctls {
    /// Set a knob by name from its textual value.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), SysctlError> {
        let knob = find(name)?;
        // Boolean module parameters read Y/N as the kernel's param_set_bool.
        let value = match value.trim() {
            "Y" | "y" if knob.is_module_param() && knob.max == BOOL => "1",
            "N" | "n" if knob.is_module_param() && knob.max == BOOL => "0",
            v => v,
        };
        let v: i64 = value.trim().parse().map_err(|_| SysctlError::NotANumber {
            name: knob.name.to_string(),
            value: value.trim().to_string(),
        })?;
        if v < i64::from(knob.min) || v > i64::from(knob.max) {
            return Err(SysctlError::OutOfRange {
                name: knob.name.to_string(),
                value: v,
                min: knob.min,
                max: knob.max,
            });
        }
        (knob.set)(self, v as u32);
        Ok(())
    }

    /// `NAME=VALUE`, as `--set` takes it.
    pub fn set_assignment(&mut self, assignment: &str) -> Result<(), SysctlError> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| SysctlError::Syntax {
                line: 1,
                text: assignment.to_string(),
            })?;
        self.set(name, value)
    }

    /// Apply a sysctl.conf text: `name = value` lines, `#` and `;` comments,
    /// blank lines. A leading `-` (ignore failures, as sysctl(8) does) makes
    /// an unknown name silently skipped; every other error names its line.
    pub fn apply_conf(&mut self, text: &str) -> Result<(), SysctlError> {
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') || l.starts_with(';') {
                continue;
            }
            let (tolerant, l) = match l.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, l),
            };
            let Some((name, value)) = l.split_once('=') else {
                return Err(SysctlError::Syntax {
                    line,
                    text: raw.to_string(),
                });
            };
            match self.set(name, value) {
                Ok(()) => {}
                Err(SysctlError::Unknown(_)) if tolerant => {}
                Err(e) => {
                    return Err(SysctlError::Line {
                        line,
                        source: Box::new(e),
                    });
                }
            }
        }
        Ok(())
    }

    /// Every knob with its value, as `sysctl -a` prints them.
    pub fn to_conf(&self) -> String {
        let mut out = String::new();
        for k in KNOBS {
            out.push_str(&format!("{} = {}\n", k.full_name(), k.get(self)));
        }
        out
    }
}

impl fmt::Display for Sysctls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_conf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_linux_6() {
        let s = Sysctls::default();
        assert_eq!(s.udp_timeout, 30);
        assert_eq!(s.udp_timeout_stream, 120);
        assert_eq!(s.generic_timeout, 600);
        assert_eq!(s.tcp_timeout_established, 432000);
        assert_eq!(s.checksum, 1);
        assert_eq!(s.tcp_loose, 1);
        assert!(find("nf_conntrack_ftp.loose").is_ok_and(Knob::is_module_param));
        assert!(find("/sys/module/nf_conntrack_sip/parameters/sip_direct_media").is_ok());
    }

    #[test]
    fn names_with_and_without_prefix() {
        let mut s = Sysctls::default();
        s.set("net.netfilter.nf_conntrack_udp_timeout", "2")
            .unwrap();
        s.set("nf_conntrack_icmp_timeout", " 5 ").unwrap();
        s.set("net/netfilter/nf_conntrack_checksum", "0").unwrap();
        s.set("net.nf_conntrack_max", "10").unwrap();
        s.set("net.ipv4.ipfrag_time", "2").unwrap();
        assert_eq!(s.ipfrag_time, 2);
        assert_eq!(
            (s.udp_timeout, s.icmp_timeout, s.checksum, s.max),
            (2, 5, 0, 10)
        );
    }

    #[test]
    fn errors_name_the_problem() {
        let mut s = Sysctls::default();
        assert!(matches!(
            s.set("nf_conntrack_bogus", "1"),
            Err(SysctlError::Unknown(_))
        ));
        assert!(matches!(
            s.set("nf_conntrack_count", "1"),
            Err(SysctlError::ReadOnly(_))
        ));
        assert!(matches!(
            s.set("nf_conntrack_checksum", "2"),
            Err(SysctlError::OutOfRange { .. })
        ));
        assert!(matches!(
            s.set("nf_conntrack_udp_timeout", "-1"),
            Err(SysctlError::OutOfRange { .. })
        ));
        assert!(matches!(
            s.set("nf_conntrack_udp_timeout", "x"),
            Err(SysctlError::NotANumber { .. })
        ));
        assert!(s.set_assignment("nf_conntrack_udp_timeout").is_err());
    }

    #[test]
    fn conf_file() {
        let mut s = Sysctls::default();
        let text = "# comment\n\n; other comment\nnet.netfilter.nf_conntrack_udp_timeout = 7\n-net.netfilter.nf_conntrack_unknown = 1\nnf_conntrack_acct=1\n";
        s.apply_conf(text).unwrap();
        assert_eq!((s.udp_timeout, s.acct), (7, 1));
        let err = s
            .apply_conf("nf_conntrack_acct = 1\nnonsense\n")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2: expected `name = value`, found `nonsense`"
        );
        let err = s.apply_conf("\nnf_conntrack_nope = 1").unwrap_err();
        assert!(err.to_string().starts_with("line 2: unknown knob"));
    }

    #[test]
    fn round_trip() {
        let mut s = Sysctls::default();
        s.set("nf_conntrack_generic_timeout", "1").unwrap();
        let mut t = Sysctls::default();
        t.apply_conf(&s.to_conf()).unwrap();
        assert_eq!(s, t);
    }
}
