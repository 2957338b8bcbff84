//! Every way a ruleset can be refused: each case is a whole file, and the
//! error must name the file, line and column of the offending token with a
//! message like iptables' own (the kernel's refusals, which iptables
//! reports as `RULE_APPEND failed (...)`, say why in words).

use ctrack_core::tuple::Family;
use ctrack_rules::iptables::Ruleset;

const V4: Family = Family::Ipv4;
const V6: Family = Family::Ipv6;

/// (family, file, `file:line:column: message`)
const CASES: &[(Family, &str, &str)] = &[
    (
        V4,
        "*foo\nCOMMIT\n",
        "f:1:2: table name 'foo' invalid (tables are raw, mangle, filter, nat, security)",
    ),
    (V4, "*\nCOMMIT\n", "f:1:1: table name invalid"),
    (
        V4,
        "-A INPUT -j ACCEPT\n",
        "f:1:1: not inside a table: a `*TABLE` line must come first",
    ),
    (
        V4,
        "*filter\n-A INPUT -j ACCEPT\n",
        "f:3:1: COMMIT expected at line 3 (table filter began at line 1)",
    ),
    (
        V4,
        "*filter\n*raw\nCOMMIT\n",
        "f:2:1: COMMIT expected before a new table: table filter (line 1) is still open",
    ),
    (
        V4,
        "*filter\nCOMMIT \n",
        "f:2:1: Bad argument `COMMIT': COMMIT must be alone on its line",
    ),
    (
        V4,
        "*filter\n  # hi\nCOMMIT\n",
        "f:2:3: Bad argument `#': a comment must start at the beginning of its line",
    ),
    (
        V4,
        "*filter\n:INPUT RETURN [0:0]\nCOMMIT\n",
        "f:2:8: Bad policy name `RETURN' (a built-in chain's policy is ACCEPT or DROP)",
    ),
    (
        V4,
        "*filter\n:INPUT ACCEPT [x:0]\nCOMMIT\n",
        "f:2:15: invalid policy counters for chain 'INPUT'",
    ),
    (
        V4,
        "*filter\n:ACCEPT - [0:0]\nCOMMIT\n",
        "f:2:2: chain name may not clash with target name",
    ),
    (
        V4,
        "*filter\n:-x - [0:0]\nCOMMIT\n",
        "f:2:2: chain name not allowed to start with `-'",
    ),
    (
        V4,
        "*filter\n:abcdefghijabcdefghijabcdefghij - [0:0]\nCOMMIT\n",
        "f:2:2: chain name `abcdefghijabcdefghijabcdefghij' too long (must be under 29 chars)",
    ),
    (V4, "*filter\n:X\nCOMMIT\n", "f:2:3: policy invalid"),
    (V4, "*filter\n:\nCOMMIT\n", "f:2:1: chain name invalid"),
    (
        V4,
        "*filter\n[1:2 -A INPUT\nCOMMIT\n",
        "f:2:1: Bad line 2: need ] (a `[packets:bytes]` counters prefix is not closed)",
    ),
    (
        V4,
        "*filter\n[a:2] -A INPUT\nCOMMIT\n",
        "f:2:2: packet counter `a` is not a number",
    ),
    (
        V4,
        "*filter\n[1:2] -A INPUT -c 3 4\nCOMMIT\n",
        "f:2:16: multiple -c flags not allowed",
    ),
    (
        V4,
        "*filter\n-A INPUT -j ACCEPT # hi\nCOMMIT\n",
        "f:2:20: Bad argument `#'",
    ),
    (
        V4,
        "*filter\n-A NOPE -j ACCEPT\nCOMMIT\n",
        "f:2:4: No chain/target/match by that name: table filter has no chain `NOPE' (declare a user chain with `:NOPE - [0:0]' before its rules)",
    ),
    (
        V4,
        "*filter\n-A INPUT -j NOPE\nCOMMIT\n",
        "f:2:13: Chain 'NOPE' does not exist",
    ),
    (
        V4,
        "*filter\n-A INPUT -j X\n:X - [0:0]\nCOMMIT\n",
        "f:2:13: Chain 'X' does not exist",
    ),
    (
        V4,
        "*filter\n-A INPUT -j INPUT\nCOMMIT\n",
        "f:2:13: cannot jump to the built-in chain INPUT (the kernel refuses the rule: Operation not supported)",
    ),
    (
        V4,
        "*filter\n-A INPUT -p tcp -p udp\nCOMMIT\n",
        "f:2:17: multiple -p flags not allowed",
    ),
    (
        V4,
        "*filter\n-A INPUT -p foo\nCOMMIT\n",
        "f:2:13: unknown protocol \"foo\" specified",
    ),
    (
        V4,
        "*filter\n-A INPUT ! -p all\nCOMMIT\n",
        "f:2:15: rule would never match protocol",
    ),
    (
        V4,
        "*filter\n-A INPUT -m foo\nCOMMIT\n",
        "f:2:13: Couldn't load match `foo':No such file or directory",
    ),
    (
        V4,
        "*filter\n-A INPUT -m iprange --src-range 1.2.3.4-1.2.3.5\nCOMMIT\n",
        "f:2:13: match `iprange' is not supported by ctrack",
    ),
    (
        V4,
        "*filter\n-A INPUT -p tcp --dport 70000\nCOMMIT\n",
        "f:2:25: invalid port/service `70000' specified",
    ),
    (
        V4,
        "*filter\n-A INPUT --dport 22\nCOMMIT\n",
        "f:2:10: unknown option \"--dport\"",
    ),
    (
        V4,
        "*filter\n-A OUTPUT -i eth0\nCOMMIT\n",
        "f:2:11: Can't use -i with OUTPUT",
    ),
    (
        V4,
        "*filter\n-A INPUT -o eth0\nCOMMIT\n",
        "f:2:10: Can't use -o with INPUT",
    ),
    (
        V4,
        "*filter\n-A INPUT -j REJECT --reject-with tcp-reset\nCOMMIT\n",
        "f:2:13: REJECT --reject-with tcp-reset is only valid with -p tcp (the kernel refuses the rule: Invalid argument)",
    ),
    (
        V4,
        "*filter\n-A INPUT -j REJECT --reject-with bogus\nCOMMIT\n",
        "f:2:34: unknown reject type \"bogus\"",
    ),
    (
        V4,
        "*raw\n-A PREROUTING -j CT --helper ftp\nCOMMIT\n",
        "f:2:18: CT --helper ftp needs -p with the helper's protocol, not inverted (the kernel refuses the rule: No such file or directory)",
    ),
    (
        V4,
        "*raw\n-A PREROUTING -p tcp -j CT --helper nope\nCOMMIT\n",
        "f:2:25: the kernel has no helper `nope' for tcp over IPv4 (the kernel refuses the rule: No such file or directory)",
    ),
    (
        V4,
        "*raw\n-A PREROUTING -p tcp -j CT --helper amanda\nCOMMIT\n",
        "f:2:25: helper `amanda' is not supported by ctrack (it has: ftp, tftp, irc, pptp, sip)",
    ),
    (
        V4,
        "*raw\n-A PREROUTING -p tcp -j CT --helper sip\nCOMMIT\n",
        "f:2:25: ctrack's `sip' helper does not read tcp over IPv4",
    ),
    (
        V6,
        "*raw\n-A PREROUTING -p tcp -j CT --helper irc\nCOMMIT\n",
        "f:2:25: the kernel has no helper `irc' for tcp over IPv6 (the kernel refuses the rule: No such file or directory)",
    ),
    (
        V4,
        "*raw\n-A PREROUTING -j CT --timeout x\nCOMMIT\n",
        "f:2:31: CT --timeout is not supported by ctrack (only --notrack, --helper, --zone, --zone-orig and --zone-reply)",
    ),
    (
        V4,
        "*filter\n-A INPUT -j CT --notrack\nCOMMIT\n",
        "f:2:13: CT is only valid in the raw table, not in `filter' (the kernel refuses the rule: Invalid argument)",
    ),
    (
        V4,
        "*mangle\n-A PREROUTING -j NOTRACK\nCOMMIT\n",
        "f:2:18: NOTRACK is only valid in the raw table, not in `mangle' (the kernel refuses the rule: Invalid argument)",
    ),
    (
        V4,
        "*mangle\n-A INPUT -j REJECT\nCOMMIT\n",
        "f:2:13: REJECT is only valid in the filter table, not in `mangle' (the kernel refuses the rule: Invalid argument)",
    ),
    (
        V4,
        "*nat\n-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4\nCOMMIT\n",
        "f:2:25: target `DNAT' is not supported by ctrack (it does no address translation)",
    ),
    (
        V4,
        "*nat\n-A PREROUTING -j DROP\nCOMMIT\n",
        "f:2:18: The \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.",
    ),
    (
        V4,
        "*filter\n-A INPUT -m conntrack --ctstate FOO\nCOMMIT\n",
        "f:2:33: Bad ctstate \"FOO\"",
    ),
    (
        V4,
        "*filter\n-A INPUT -m conntrack ! --ctdir REPLY\nCOMMIT\n",
        "f:2:23: conntrack: option \"--ctdir\" cannot be inverted.",
    ),
    (
        V4,
        "*filter\n-A INPUT -m conntrack --ctexpire 1:2\nCOMMIT\n",
        "f:2:34: conntrack --ctexpire is not supported by ctrack (its conntrack snapshot carries no timeout)",
    ),
    (
        V4,
        "*filter\n-A INPUT -m conntrack\nCOMMIT\n",
        "f:2:13: conntrack: At least one option is required",
    ),
    (
        V4,
        "*filter\n-A INPUT -m state\nCOMMIT\n",
        "f:2:13: state: option \"--state\" must be specified",
    ),
    (
        V4,
        "*filter\n-A INPUT -s 1.2.3.4/33\nCOMMIT\n",
        "f:2:13: invalid mask `33' specified",
    ),
    (
        V4,
        "*filter\n-A INPUT ! -s 1.2.3.4,5.6.7.8\nCOMMIT\n",
        "f:2:15: ! not allowed with multiple source or destination IP addresses",
    ),
    (
        V4,
        "*filter\n-A INPUT ! -s 0.0.0.0/0\nCOMMIT\n",
        "f:2:15: `! ADDR/0' matches no packet (the kernel refuses the rule: Invalid argument)",
    ),
    (
        V4,
        "*filter\n-A INPUT -s foo.example\nCOMMIT\n",
        "f:2:13: host/network `foo.example' not found",
    ),
    (
        V4,
        "*filter\n-A INPUT -p tcp --tcp-flags SYN\nCOMMIT\n",
        "f:2:29: --tcp-flags requires two args.",
    ),
    (
        V4,
        "*filter\n-A INPUT !\nCOMMIT\n",
        "f:2:10: nothing appropriate following !",
    ),
    (
        V4,
        "*filter\n-A INPUT ! ! -p tcp\nCOMMIT\n",
        "f:2:12: multiple consecutive ! not allowed",
    ),
    (
        V4,
        "*filter\n-A INPUT ! -j ACCEPT\nCOMMIT\n",
        "f:2:10: cannot have ! before -j",
    ),
    (
        V4,
        "*filter\n-A INPUT -m limit --limit 0/s\nCOMMIT\n",
        "f:2:27: bad rate \"0/s\"'",
    ),
    (
        V4,
        "*filter\n-A INPUT -m limit ! --limit 1/s\nCOMMIT\n",
        "f:2:19: limit: option \"--limit\" cannot be inverted.",
    ),
    (
        V4,
        "*filter\n-A INPUT -j MARK\nCOMMIT\n",
        "f:2:13: MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required",
    ),
    (
        V4,
        "*filter\n-A INPUT -j MARK --set-mark 1 --or-mark 2\nCOMMIT\n",
        "f:2:41: MARK: option \"--set-mark\" cannot be used together with \"--or-mark\".",
    ),
    (
        V4,
        "*filter\n-A INPUT -j LOG --log-level 9\nCOMMIT\n",
        "f:2:29: log level \"9\" unknown",
    ),
    (
        V4,
        "*filter\n-I INPUT 5 -j ACCEPT\nCOMMIT\n",
        "f:2:4: Index of insertion too big.",
    ),
    (
        V4,
        "*filter\n-I INPUT 0 -j ACCEPT\nCOMMIT\n",
        "f:2:10: Invalid rule number `0'",
    ),
    (
        V4,
        "*filter\n-D INPUT -j ACCEPT\nCOMMIT\n",
        "f:2:1: -D is not supported by ctrack: a restore file's lines add rules (-A, -I), chains (-N, `:NAME - [0:0]`) and policies (-P, `:NAME POLICY [0:0]`)",
    ),
    (
        V4,
        "*filter\n-A INPUT -t nat\nCOMMIT\n",
        "f:2:10: The -t option cannot be used in iptables-restore.",
    ),
    (
        V4,
        "*filter\n-A INPUT -q\nCOMMIT\n",
        "f:2:10: unknown option \"-q\"",
    ),
    (
        V4,
        "*filter\n-A INPUT --bogus\nCOMMIT\n",
        "f:2:10: unknown option \"--bogus\"",
    ),
    (
        V4,
        "*filter\n-A INPUT -j ACCEPT -j DROP\nCOMMIT\n",
        "f:2:20: multiple -j flags not allowed",
    ),
    (
        V4,
        "*filter\n-A INPUT -j\nCOMMIT\n",
        "f:2:10: option \"-j\" requires an argument",
    ),
    (
        V4,
        "*filter\n-A INPUT -m comment --comment\nCOMMIT\n",
        "f:2:21: option \"--comment\" requires an argument",
    ),
    (
        V4,
        "*filter\n-A INPUT -c 1\nCOMMIT\n",
        "f:2:10: -c requires packet and byte counter",
    ),
    (
        V4,
        "*filter\n-A INPUT -c x 1\nCOMMIT\n",
        "f:2:13: -c packet counter not numeric",
    ),
    (
        V4,
        "*filter\n-A INPUT -m conntrack --ctst NEW\nCOMMIT\n",
        "f:2:23: unknown option \"--ctst\"",
    ),
    (
        V4,
        "*filter\n-A INPUT -m statistic --mode random --probability 0.5\nCOMMIT\n",
        "f:2:13: statistic --mode random is not supported by ctrack (it samples at random; --mode nth is)",
    ),
    (
        V4,
        "*filter\n-A INPUT -j CONNMARK --save-mark --left-shift-mark 2\nCOMMIT\n",
        "f:2:52: CONNMARK --left-shift-mark is not supported by ctrack",
    ),
    (
        V4,
        "*filter\n-A INPUT -i abcdefghijklmnop\nCOMMIT\n",
        "f:2:13: interface name `abcdefghijklmnop' must be shorter than IFNAMSIZ (15)",
    ),
    (
        V4,
        "*filter\n-A INPUT --jump=ACCEPT\nCOMMIT\n",
        "f:2:10: Chain '--jump=ACCEPT' does not exist",
    ),
    (
        V4,
        "*filter\n-A INPUT 1 -j ACCEPT\nCOMMIT\n",
        "f:2:10: Bad argument `1'",
    ),
    (
        V4,
        "*filter\n-A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\nCOMMIT\n",
        "f:2:39: too many ports specified",
    ),
    (
        V4,
        "*filter\n-A INPUT -m multiport --dports 80\nCOMMIT\n",
        "f:2:32: multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'",
    ),
    (
        V4,
        "*filter\n-A INPUT -p icmp --icmp-type echo\nCOMMIT\n",
        "f:2:30: Ambiguous ICMP type `echo': `echo-reply' or `echo-request'?",
    ),
    (
        V4,
        "*filter\n-A INPUT -m icmp --icmp-type 8\nCOMMIT\n",
        "f:2:13: the icmp match needs `-p icmp' (the kernel refuses the rule: Invalid argument)",
    ),
    (
        V4,
        "*filter\n-A INPUT -m tcp --dport 1\nCOMMIT\n",
        "f:2:13: TCP match requires '-p tcp'",
    ),
    (
        V4,
        "*filter\n-A INPUT -m mark --mark x\nCOMMIT\n",
        "f:2:25: mark: bad integer value for option \"--mark\", or out of range.",
    ),
    (
        V4,
        "*filter\n-A INPUT -m comment ! --comment x\nCOMMIT\n",
        "f:2:21: comment: option \"--comment\" cannot be inverted.",
    ),
    (
        V4,
        "*filter\n-A INPUT -m conntrack --ctstate NEW --ctstate NEW\nCOMMIT\n",
        "f:2:37: conntrack: option \"--ctstate\" can only be used once.",
    ),
    (
        V4,
        "*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -g A\nCOMMIT\n",
        "f:6:9: jump loop INPUT -> A -> B -> A (the kernel refuses the rule: Too many links)",
    ),
    (
        V4,
        "*filter\n:C1 - [0:0]\n:C2 - [0:0]\n:C3 - [0:0]\n:C4 - [0:0]\n:C5 - [0:0]\n:C6 - [0:0]\n:C7 - [0:0]\n:C8 - [0:0]\n:C9 - [0:0]\n:C10 - [0:0]\n:C11 - [0:0]\n:C12 - [0:0]\n:C13 - [0:0]\n:C14 - [0:0]\n:C15 - [0:0]\n:C16 - [0:0]\n-A INPUT -j C1\n-A C1 -j C2\n-A C2 -j C3\n-A C3 -j C4\n-A C4 -j C5\n-A C5 -j C6\n-A C6 -j C7\n-A C7 -j C8\n-A C8 -j C9\n-A C9 -j C10\n-A C10 -j C11\n-A C11 -j C12\n-A C12 -j C13\n-A C13 -j C14\n-A C14 -j C15\n-A C15 -j C16\nCOMMIT\n",
        "f:33:11: chain C16 is reached through 16 nested jumps (INPUT -> C1 -> C2 -> C3 -> C4 -> C5 -> C6 -> C7 -> C8 -> C9 -> C10 -> C11 -> C12 -> C13 -> C14 -> C15 -> C16); the kernel allows 15 (the kernel refuses the rule: Too many links)",
    ),
    (
        V6,
        "*filter\n-A INPUT -f\nCOMMIT\n",
        "f:2:10: `-f' is not supported in IPv6, use -m frag instead",
    ),
    (
        V6,
        "*filter\n-A INPUT -p icmp -m icmp --icmp-type 8\nCOMMIT\n",
        "f:2:21: Couldn't load match `icmp':No such file or directory",
    ),
    (
        V6,
        "*filter\n-A INPUT -m ttl --ttl-eq 3\nCOMMIT\n",
        "f:2:13: Couldn't load match `ttl':No such file or directory",
    ),
    (
        V6,
        "*filter\n-A INPUT -j REJECT --reject-with icmp-port-unreachable\nCOMMIT\n",
        "f:2:34: unknown reject type \"icmp-port-unreachable\"",
    ),
    (
        V6,
        "*filter\n-A INPUT -s 1.2.3.4\nCOMMIT\n",
        "f:2:13: host/network `1.2.3.4' not found",
    ),
    (
        V4,
        "*filter\n-N FOO\n-N FOO\nCOMMIT\n",
        "f:3:4: Chain already exists",
    ),
    (
        V4,
        "*filter\n-P INPUT DROP\n-P FOO DROP\nCOMMIT\n",
        "f:3:4: Bad built-in chain name",
    ),
    (
        V4,
        "*filter\n-P INPUT RETURN\nCOMMIT\n",
        "f:2:10: Bad policy name",
    ),
    (
        V4,
        "*filter\n-N FOO -p tcp\nCOMMIT\n",
        "f:2:8: Illegal option `-p' with this command",
    ),
    (
        V4,
        "*filter\n-N ACCEPT\nCOMMIT\n",
        "f:2:4: chain name may not clash with target name",
    ),
    (
        V4,
        "*filter\n-P INPUT\nCOMMIT\n",
        "f:2:1: -P requires a chain and a policy",
    ),
    (
        V4,
        "*filter\n-A INPUT -p tcp --sport 5:3\nCOMMIT\n",
        "f:2:25: invalid portrange (min > max)",
    ),
    (
        V4,
        "*filter\n-A INPUT -p udp --sport 1:2:3\nCOMMIT\n",
        "f:2:25: udp: Too many components for option \"--source-port\" (max: 2)",
    ),
    (
        V4,
        "*filter\n-A INPUT -p icmp --icmp-type 3/300\nCOMMIT\n",
        "f:2:30: Unknown ICMP code `3/300'",
    ),
    (
        V6,
        "*filter\n-A INPUT -p ipv6-icmp --icmpv6-type mld-listener-query\nCOMMIT\n",
        "f:2:37: Unknown ICMPv6 type `mld-listener-query'",
    ),
    (
        V4,
        "*filter\n-A INPUT -m conntrack --ctproto foo\nCOMMIT\n",
        "f:2:33: unknown protocol \"foo\" specified",
    ),
    (
        V4,
        "*filter\n-A INPUT -m conntrack --ctorigsrc 1.2.3.4/foo\nCOMMIT\n",
        "f:2:35: conntrack: bad value for option \"--ctorigsrc\", neither a valid network mask nor valid CIDR (0-32).",
    ),
    (
        V4,
        "*filter\n-A INPUT -m conntrack --ctstatus FOO\nCOMMIT\n",
        "f:2:34: Bad ctstatus \"FOO\"",
    ),
    (
        V4,
        "*filter\n-A INPUT -m state --state NEW,\nCOMMIT\n",
        "f:2:27: \"--state\" requires a list of states with no spaces, e.g. ESTABLISHED,RELATED",
    ),
    (
        V4,
        "*filter\n-A INPUT -m helper\nCOMMIT\n",
        "f:2:13: helper: option \"--helper\" must be specified",
    ),
    (
        V4,
        "*filter\n-A INPUT -m length --length 70000\nCOMMIT\n",
        "f:2:29: length: bad value for option \"--length\" near \"70000\", or out of range (0-65535).",
    ),
    (
        V4,
        "*filter\n-A INPUT -m ttl\nCOMMIT\n",
        "f:2:13: TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt",
    ),
    (
        V4,
        "*filter\n-A INPUT -m statistic --mode nth --every 3 --packet 3\nCOMMIT\n",
        "f:2:13: the --packet p must be 0 <= p <= n-1",
    ),
    (
        V4,
        "*filter\n-A INPUT -j NFLOG --nflog-group 70000\nCOMMIT\n",
        "f:2:33: NFLOG: bad value for option \"--nflog-group\", or out of range (0-65535).",
    ),
    (
        V4,
        "*filter\n-A INPUT -j LOG --log-prefix \"\"\nCOMMIT\n",
        "f:2:30: Argument must have a minimum length of 1 characters",
    ),
    (
        V4,
        "*filter\n-A INPUT -j CONNMARK\nCOMMIT\n",
        "f:2:13: CONNMARK target: No operation specified",
    ),
    (
        V4,
        "*raw\n-A PREROUTING -j CT --zone 70000\nCOMMIT\n",
        "f:2:28: Cannot parse 70000 as a zone ID",
    ),
    (
        V4,
        "*filter\n-A INPUT -i \"\"\nCOMMIT\n",
        "f:2:13: Empty interface is likely to be undesired",
    ),
    (
        V4,
        "*filter\n-A INPUT -p tcp -m tcp --tcp-flags FOO SYN\nCOMMIT\n",
        "f:2:36: Unknown TCP flag `FOO'",
    ),
    (
        V4,
        "*filter\n-A INPUT -p tcp --tcp-option 0\nCOMMIT\n",
        "f:2:30: Bad TCP option \"0\"",
    ),
    (
        V4,
        "*filter\n-A INPUT -p tcp --sport 1 --sport 2\nCOMMIT\n",
        "f:2:35: Only one `--source-port' allowed",
    ),
    (
        V4,
        "*filter\n-A INPUT -p tcp --tcp-option 1 --tcp-option 2\nCOMMIT\n",
        "f:2:45: Only one `--tcp-option' allowed",
    ),
    (
        V4,
        "*filter\n-A INPUT -m conntrack --ctstatus ASSURED,,SEEN_REPLY\nCOMMIT\n",
        "f:2:34: Bad ctstatus \",SEEN_REPLY\"",
    ),
    (
        V4,
        "*filter\n-A INPUT -m length --length 1:2:3\nCOMMIT\n",
        "f:2:29: length: Too many components for option \"--length\" (max: 2)",
    ),
    (
        V4,
        "*filter\n-A INPUT -m statistic --mode nth --probability 0.5 --every 2\nCOMMIT\n",
        "f:2:60: statistic: option \"--every\" cannot be used together with \"--probability\".",
    ),
    (
        V4,
        "*filter\n-A INPUT -m statistic --mode nth --every 2 --probability 0.5\nCOMMIT\n",
        "f:2:58: statistic: option \"--probability\" cannot be used together with \"--every\".",
    ),
    (
        V4,
        "*filter\n-N aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nCOMMIT\n",
        "f:2:4: chain name `aaaaaaaaaaaaaaaaaaaaaaaaaaaaa' too long (must be under 29 chars)",
    ),
    (
        V4,
        "*filter\n-N -x\nCOMMIT\n",
        "f:2:4: chain name not allowed to start with `-'",
    ),
    (
        V4,
        "*filter\n:!x - [0:0]\nCOMMIT\n",
        "f:2:2: chain name not allowed to start with `!'",
    ),
];

#[test]
fn errors_name_line_column_and_reason() {
    let mut bad = Vec::new();
    for (family, text, want) in CASES {
        match Ruleset::parse(text, "f", *family) {
            Ok(_) => bad.push(format!("{text:?}: accepted, want {want}")),
            Err(e) => {
                let got = e.to_string();
                if got != *want {
                    bad.push(format!("{text:?}:\n   want {want}\n   got  {got}"));
                }
                assert_eq!(e.file, "f");
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Over-long arguments: an address list longer than a host name may be,
/// and a word longer than iptables-restore's parameter buffer.
#[test]
fn long_arguments() {
    let text = format!("*filter\n-A INPUT -s {}\nCOMMIT\n", "1".repeat(300));
    let e = Ruleset::parse(&text, "f", V4).unwrap_err();
    assert_eq!(e.to_string(), "f:2:13: Hostname too long");
    let text = format!("*filter\n-A INPUT -s {}\nCOMMIT\n", "1".repeat(1024));
    let e = Ruleset::parse(&text, "f", V4).unwrap_err();
    assert_eq!(e.to_string(), "f:2:13: Parameter too long!");
    let text = format!("*filter\n-A INPUT -s {}\nCOMMIT\n", "1".repeat(255));
    let e = Ruleset::parse(&text, "f", V4).unwrap_err();
    assert_ne!(e.message, "Hostname too long");
}

#[test]
fn error_fields() {
    let e = Ruleset::parse(
        "*filter\n-A INPUT -p tcp --dport x\nCOMMIT\n",
        "rules.v4",
        V4,
    )
    .unwrap_err();
    assert_eq!((e.file.as_str(), e.line, e.column), ("rules.v4", 2, 25));
    assert_eq!(e.message, "invalid port/service `x' specified");
    assert_eq!(
        e.to_string(),
        "rules.v4:2:25: invalid port/service `x' specified"
    );
}

/// Columns count characters, quoted arguments start at their quote, and a
/// counters prefix shifts the line.
#[test]
fn columns() {
    let e = Ruleset::parse(
        "*filter\n[3:4] -A INPUT -m comment --comment \"é ü\" -m nope\nCOMMIT\n",
        "f",
        V4,
    )
    .unwrap_err();
    assert_eq!((e.line, e.column), (2, 46));
    let e = Ruleset::parse("*filter\n\t-A INPUT\t-j  NOPE\nCOMMIT\n", "f", V4).unwrap_err();
    assert_eq!((e.line, e.column), (2, 15));
}
