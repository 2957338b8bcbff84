//! Every way an nft ruleset can be refused, beyond the grammar cases in
//! the crate's unit tests: each case is a whole file, and the error must
//! name the file, line and column of the offending token exactly. Some
//! cases show that a check deeper in the evaluator is guarded by an earlier
//! one (the comment says which): the earlier message is the one a user sees.

use ctrack_rules::nft::Ruleset;

/// One rule in a chain of an inet table: the rule is on line 3, column 3.
fn c(rule: &str) -> String {
    format!("table inet t {{\n\tchain c {{\n\t\t{rule}\n\t}}\n}}\n")
}

/// Table items in an ip table, starting on line 2.
fn t(body: &str) -> String {
    format!("table ip t {{\n{body}\n}}\n")
}

/// A base chain jumping through a line of 20 regular chains.
fn deep_jumps() -> String {
    let mut s = String::from(
        "table ip t {\n\tchain b {\n\t\ttype filter hook input priority 0;\n\t\tjump c0\n\t}\n",
    );
    for i in 0..19 {
        s.push_str(&format!("\tchain c{i} {{\n\t\tjump c{}\n\t}}\n", i + 1));
    }
    s.push_str("\tchain c19 {\n\t}\n}\n");
    s
}

#[test]
fn errors_name_line_column_and_reason() {
    let cases: Vec<(String, &str)> = vec![
        // objects
        (
            t(
                "\tct helper h {\n\t\ttype \"ftp\" protocol tcp\n\t}\n\tct helper h {\n\t\ttype \"ftp\" protocol tcp\n\t}",
            ),
            "f:5:12: ct helper `h` is already declared",
        ),
        (
            t("\tct helper h {\n\t\tprotocol tcp\n\t}"),
            "f:3:3: expected `type` or `l3proto` in the ct helper, found `protocol`",
        ),
        (
            t("\tct helper h {\n\t\ttype \"ftp\" protocol sctp\n\t}"),
            "f:3:23: `protocol sctp`: a ct helper's protocol is tcp or udp",
        ),
        (
            t("\tct helper h {\n\t\ttype \"ftp\" protocol tcp\n\t\tl3proto ip6\n\t}"),
            "f:4:11: `l3proto ip6` does not fit an ip table",
        ),
        // sets
        (
            t("\tset s {\n\t\ttype ipv4_addr\n\t}\n\tset s {\n\t\ttype inet_service\n\t}"),
            "f:5:6: set `s` is redeclared with another type or flags",
        ),
        (
            t("\tset s {\n\t\tflags interval\n\t}"),
            "f:2:6: set `s` needs a `type` or `typeof`",
        ),
        (
            t("\tset s {\n\t\ttypeof ct helper\n\t}"),
            "f:2:6: sets of strings other than ifname are not supported",
        ),
        (
            t("\tset s {\n\t\ttype ct_helper\n\t}"),
            "f:3:8: `ct_helper` is not a supported set type (ipv4_addr, ipv6_addr, inet_service, inet_proto, ifname, mark, ct_state, ct_status, ct_dir, tcp_flag, icmp_type, icmpv6_type, nf_proto)",
        ),
        (
            t("\tset s {\n\t\ttype ipv4_addr . inet_service\n\t}"),
            "f:3:18: concatenated set types are not supported",
        ),
        (
            t("\tset s {\n\t\ttypeof ip saddr . tcp dport\n\t}"),
            "f:3:19: concatenated set types are not supported",
        ),
        (
            t("\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 1.2.3.4 timeout 1h }\n\t}"),
            "f:4:24: set element options are not supported",
        ),
        // chains
        (
            t(
                "\tchain c {\n\t\ttype filter hook input priority 0;\n\t\ttype filter hook input priority 0;\n\t}",
            ),
            "f:4:3: the chain's type and hook are given twice",
        ),
        (
            t("\tchain c {\n\t\ttype filter hook input priority 0; policy reject;\n\t}"),
            "f:3:38: `policy reject`: a chain policy is accept or drop",
        ),
        (
            t("\tchain c {\n\t\ttype foo hook input priority 0;\n\t}"),
            "f:3:8: `foo` is not a chain type (filter, route, nat)",
        ),
        (
            t("\tchain c {\n\t\ttype filter hook ingress device eth0 priority 0;\n\t}"),
            "f:3:28: `device` is not supported: only the IP hooks are",
        ),
        (
            t("\tchain c {\n\t\tflags offload;\n\t}"),
            "f:3:3: `flags` in a chain is not supported",
        ),
        (
            deep_jumps(),
            "f:52:8: jumps nest deeper than the kernel's 16 levels",
        ),
        // keys: a `ct` key of three words never reaches the key table (`ct a b` is refused by the parser)
        (
            c("ct original ip saddr 1.2.3.4"),
            "f:3:15: `ct ip`: unknown ct key",
        ),
        (c("ct a b c 1"), "f:3:6: `ct a`: unknown ct key"),
        (
            c("ct expiration 5"),
            "f:3:3: `ct expiration` is not supported",
        ),
        (
            c("ct original expiration 5"),
            "f:3:3: `ct original expiration` is not supported",
        ),
        (
            c("foo bar 1 accept"),
            "f:3:3: unknown statement or expression `foo`",
        ),
        // a match needs a key: a rule starting with a value is refused by the parser
        (c("1 == 1 accept"), "f:3:3: expected a statement, found `1`"),
        // values
        (
            c("iifname { \"a\" | \"b\" }"),
            "f:3:13: strings cannot be combined with `|`, `&`, `^`",
        ),
        (
            c("iifname & 1 == 2"),
            "f:3:13: `1` is not a network interface name (interface indexes are not supported: name the interface, `iif \"lo\"`)",
        ),
        // names cannot take `&`: the constant is refused first
        (
            c("iifname & \"x\" == 2"),
            "f:3:13: a network interface name is not a number",
        ),
        (
            c("iifname { \"a\"-\"b\" }"),
            "f:3:13: ranges of names are not supported",
        ),
        (
            c("iifname \"a\"-\"b\""),
            "f:3:11: ranges of names are not supported",
        ),
        (
            c("tcp dport { 30-20 }"),
            "f:3:15: Range has zero or negative size",
        ),
        (
            c("iifname \"eth0\"/8"),
            "f:3:11: a network interface name has no prefix notation",
        ),
        (
            c("meta mark & ct mark 1"),
            "f:3:13: two keys cannot be combined with `&`, `|`, `^` here",
        ),
        (c("iifname \"a\0b\""), "f:3:11: `a\\0b` contains a NUL byte"),
        (c("ip saddr ::1"), "f:3:12: `::1` is not an IPv4 address"),
        (
            c("ip saddr foo"),
            "f:3:12: `foo`: host names are not resolved; write an IPv4 address",
        ),
        (
            c("ip6 saddr foo"),
            "f:3:13: `foo`: host names are not resolved; write an IPv6 address",
        ),
        (
            c("ip6 saddr 1.2.3.4"),
            "f:3:13: `1.2.3.4` is not an IPv6 address",
        ),
        (
            c("tcp dport 1.2.3.4"),
            "f:3:13: `1.2.3.4` is not an internet network service",
        ),
        (
            c("tcp dport 70000"),
            "f:3:13: value `70000` exceeds the valid range 0-65535 of an internet network service",
        ),
        (
            c("tcp dport ssh-http"),
            "f:3:13: `ssh-http`: unknown service name",
        ),
        // relations
        (
            c("tcp dport 22 udp sport 53 accept"),
            "f:3:16: conflicting protocols specified: tcp vs. udp",
        ),
        (
            c("tcp dport < { 22, 23 }"),
            "f:3:13: only `==` and `!=` compare with a set",
        ),
        (
            c("tcp dport 22 / ssh"),
            "f:3:13: `value / mask` is for flags; `tcp dport` is an internet network service",
        ),
        (
            c("tcp flags & syn == syn / syn"),
            "f:3:3: `value / mask` cannot follow `&`, `|` or `^`",
        ),
        // a flag list holds flags only: ranges in it are refused by the parser
        (
            c("tcp flags syn,1-2"),
            "f:3:18: expected a statement, found `-`",
        ),
        (
            c("tcp flags { syn, fin-ack }"),
            "f:3:20: `fin-ack` is not a TCP flag (one of fin, syn, rst, psh, ack, urg, ecn, cwr, or a number)",
        ),
        (
            c("tcp flags < syn,ack"),
            "f:3:13: a flag list goes without an operator (any of them set), with `!` (none of them set) or with `==`/`!=` (exactly these)",
        ),
        (
            c("iifname < \"eth0\""),
            "f:3:13: names compare only with `==` and `!=`",
        ),
        (
            c("ip saddr & 255.0.0.0 10.0.0.0/8"),
            "f:3:24: a prefix cannot follow `&`, `|` or `^`",
        ),
        // statements
        (
            c("meta nfproto ipv4 reject with icmpv6 type admin-prohibited"),
            "f:3:21: `reject with icmpv6` cannot answer a packet of this rule (it matches the other IP version)",
        ),
        (
            c("ip saddr 1.2.3.4 reject with icmpv6 type admin-prohibited"),
            "f:3:20: `reject with icmpv6` cannot answer a packet of this rule (it matches the other IP version)",
        ),
        (
            c("reject with icmp"),
            "f:3:19: expected a value, found end of line",
        ),
        (
            c("reject with icmp (1|2)"),
            "f:3:21: expected a reject code",
        ),
        (
            c("reject with icmp 99"),
            "f:3:20: icmp code 99 is not one ctrack can report",
        ),
        (
            c("reject with icmpx 99"),
            "f:3:21: icmpx code 99 is not one ctrack can report",
        ),
        (
            c("meta mark set ct zone"),
            "f:3:17: setting a mark from `ct zone` is not supported",
        ),
        (
            c("meta mark & 1 set 2"),
            "f:3:3: `set` needs a key on its left (`meta mark set 1`)",
        ),
        (
            c("ct helper set 1"),
            "f:3:17: `ct helper set` takes the quoted name of a ct helper object",
        ),
        (
            c("ct zone set meta mark"),
            "f:3:15: `ct zone set` from a key is not supported",
        ),
        (
            c("ct state set established"),
            "f:3:3: `ct state set` is not supported",
        ),
        (
            c("tcp dport set 22"),
            "f:3:3: `tcp dport set` is not supported",
        ),
        (
            c("jump { accept }"),
            "f:3:8: anonymous chains (`jump { ... }`) are not supported",
        ),
        (
            c("counter name foo"),
            "f:3:11: named counters are not supported",
        ),
        (
            c("counter bytes 5"),
            "f:3:11: `counter bytes N` needs `packets N` first",
        ),
        (
            c(&format!("log prefix \"{}\"", "x".repeat(128))),
            "f:3:7: the log prefix is longer than 127 characters",
        ),
        // more grammar
        (
            t("\tct helper h {\n\t\tl3proto ip\n\t}"),
            "f:2:12: ct helper `h` needs `type \"NAME\" protocol tcp|udp`",
        ),
        (
            c("comment foo"),
            "f:3:11: expected a quoted comment, found `foo`",
        ),
        (
            c("accept comment \"x\" drop"),
            "f:3:22: expected the end of the rule after its comment, found `drop`",
        ),
        (
            t("\tchain c {\n\t} }"),
            "f:3:4: expected a newline or `;` after the block's closing `}`, found `}`",
        ),
        (
            t("\tchain c {\n\t\ttype filter hook input priority $x;\n\t}"),
            "f:3:35: variables (`$name`) are not supported",
        ),
        (
            t("\tchain c {\n\t\ttype filter hook input priority {;\n\t}"),
            "f:3:35: expected a priority (a number or raw, mangle, dstnat, filter, security, srcnat), found `{`",
        ),
        (
            c("tcp dport 22 {"),
            "f:3:16: anonymous chains and sets need a key before them",
        ),
        (
            c("tcp dport 22 accept ("),
            "f:3:23: expected a statement, found `(`",
        ),
        (
            c("tcp dport 22 icmp type echo-request"),
            "f:3:16: conflicting protocols specified: tcp vs. icmp",
        ),
        (
            c("meta l4proto udp tcp dport 22"),
            "f:3:20: conflicting protocols specified: udp vs. tcp",
        ),
        (
            c("tcp dport { }"),
            "f:3:13: an empty set `{ }` matches nothing; nft rejects it",
        ),
        (
            t("\tset s {\n\t\ttype ifname\n\t\telements = { \"a\"-\"b\" }\n\t}"),
            "f:4:16: ranges of names are not supported (use a wildcard \"eth*\")",
        ),
        (c("meta mark == }"), "f:3:16: expected a value, found `}`"),
        (c("== 1"), "f:3:3: expected a statement, found `==`"),
        (c("meta"), "f:3:7: expected a meta key, found end of line"),
        (c("ct"), "f:3:5: expected a ct key, found end of line"),
        // verdict maps
        (
            c("tcp dport == vmap { 22 : accept }"),
            "f:3:13: a verdict map takes no operator (`KEY vmap { ... }`)",
        ),
        (
            t("\tset s {\n\t\ttype inet_service\n\t}\n\tchain c {\n\t\ttcp dport vmap @s\n\t}"),
            "f:6:18: `@s` is a set: `vmap` needs a map",
        ),
        (
            t(
                "\tmap m {\n\t\ttype inet_service : verdict\n\t}\n\tchain c {\n\t\ttcp dport @m\n\t}",
            ),
            "f:6:13: `@m` is a map: write `vmap @m`",
        ),
        (
            c("tcp dport vmap @nope"),
            "f:3:18: there is no map `nope` in table inet t",
        ),
        (
            t(
                "\tmap m {\n\t\ttype ipv4_addr : verdict\n\t}\n\tchain c {\n\t\ttcp dport vmap @m\n\t}",
            ),
            "f:6:18: datatype mismatch: `tcp dport` is of type inet_service, map `m` has ipv4_addr keys",
        ),
        (
            c("tcp dport vmap { 22 : accept, 22 : drop }"),
            "f:3:33: this key is in the map twice",
        ),
        // Overlapping elements of an interval map, each position as nft
        // 1.0.6 reports it (the later one sorted by start; of two that
        // start together, the one written first).
        (
            c("ip saddr vmap { 10.0.0.0/8 : accept, 10.1.0.0/16 : drop }"),
            "f:3:40: conflicting intervals specified",
        ),
        (
            c("tcp dport vmap { 1-100 : accept, 50-200 : drop }"),
            "f:3:36: conflicting intervals specified",
        ),
        (
            c("tcp dport vmap { 10-20 : accept, 20-30 : accept }"),
            "f:3:36: conflicting intervals specified",
        ),
        (
            c("tcp dport vmap { 10-20 : accept, 15 : drop }"),
            "f:3:36: conflicting intervals specified",
        ),
        (
            c("tcp dport vmap { 15 : drop, 10-20 : accept }"),
            "f:3:20: conflicting intervals specified",
        ),
        (
            c("ip saddr vmap { 10.1.0.0/16 : drop, 10.0.0.0/8 : accept }"),
            "f:3:19: conflicting intervals specified",
        ),
        (
            c("tcp dport vmap { 10-30 : accept, 10-20 : drop }"),
            "f:3:20: conflicting intervals specified",
        ),
        (
            c("tcp dport vmap { 10-20 : accept, 10-30 : drop }"),
            "f:3:20: conflicting intervals specified",
        ),
        (
            c("tcp dport vmap { 40 : accept, 10-20 : drop, 15-50 : drop }"),
            "f:3:47: conflicting intervals specified",
        ),
        (
            c("tcp dport vmap { 5-8 : accept, 10-20 : drop, 1-50 : drop }"),
            "f:3:20: conflicting intervals specified",
        ),
        (
            c("ip6 saddr vmap { 2001:db8::/32 : accept, 2001:db8:1::/48 : drop }"),
            "f:3:44: conflicting intervals specified",
        ),
        (
            c("meta mark vmap { 1-10 : accept, 0x5 : drop }"),
            "f:3:35: conflicting intervals specified",
        ),
        (
            t(
                "\tset s {\n\t\ttype inet_service\n\t\tflags interval\n\t\telements = { 10-20, 15-30 }\n\t}",
            ),
            "f:5:23: conflicting intervals specified",
        ),
        (
            t(
                "\tmap m {\n\t\ttype inet_service : verdict\n\t\tflags interval\n\t\telements = { 10-20 : accept, 25 : drop, 20 : drop }\n\t}",
            ),
            "f:5:43: conflicting intervals specified",
        ),
        (
            t("\tmap m {\n\t\ttype inet_service : mark\n\t}"),
            "f:3:23: maps of `mark` are not supported: only verdict maps (`type KEY : verdict`)",
        ),
        (
            c("tcp dport vmap { 22 : jump nowhere }"),
            "f:3:30: `jump nowhere`: there is no chain `nowhere` in table inet t",
        ),
        (
            t("\tmap m {\n\t\ttype inet_service : verdict\n\t\telements = { 1-2 : accept }\n\t}"),
            "f:4:16: You must add 'flags interval' to your map declaration if you want to add prefix, range or wildcard elements",
        ),
        (
            t(
                "\tmap m {\n\t\ttype inet_service : verdict\n\t\telements = { 1 : accept, 1 : drop }\n\t}",
            ),
            "f:4:28: this key is in the map twice",
        ),
        // A map declared again merges (nft); a key it has already is the
        // kernel's EEXIST, at the element, as nft 1.0.6 reports it.
        (
            t(
                "\tmap m {\n\t\ttype inet_service : verdict\n\t\telements = { 22 : accept }\n\t}\n\tmap m {\n\t\ttype inet_service : verdict\n\t\telements = { 22 : drop, 80 : drop }\n\t}",
            ),
            "f:8:16: this key is in the map twice",
        ),
        (
            t(
                "\tmap m {\n\t\ttype inet_service : verdict\n\t}\n\tmap m {\n\t\ttype ipv4_addr : verdict\n\t}",
            ),
            "f:5:6: map `m` is redeclared with another type or flags",
        ),
        (
            t(
                "\tset m {\n\t\ttype inet_service\n\t}\n\tmap m {\n\t\ttype inet_service : verdict\n\t}",
            ),
            "f:5:6: map `m` is redeclared with another type or flags",
        ),
        (
            t("\tset s {\n\t\ttype inet_service : verdict\n\t}"),
            "f:3:21: `type KEY : DATA` declares a map: write `map NAME { ... }`",
        ),
        (
            c("tcp dport vmap { 22 : allow }"),
            "f:3:25: `allow` is not a verdict (accept, drop, continue, return, jump, goto): only verdict maps are supported",
        ),
        (
            c("tcp dport vmap { }"),
            "f:3:18: an empty map `{ }` matches nothing; nft rejects it",
        ),
        (
            c("tcp dport vmap { 22 accept }"),
            "f:3:23: expected `:`, found `accept`",
        ),
        (
            c("tcp dport { 22 : accept }"),
            "f:3:18: `key : value` elements belong in a map: `vmap { ... }` or a `map` block",
        ),
        (
            t("\tmap m {\n\t\ttype inet_service\n\t}"),
            "f:3:20: expected `:`, found end of line",
        ),
        (
            t("\tmap m {\n\t\tflags interval\n\t}"),
            "f:2:6: map `m` needs `type KEY : verdict` or `typeof KEY : verdict`",
        ),
        (
            t(
                "\tchain b {\n\t\ttype filter hook input priority 0;\n\t}\n\tchain c {\n\t\ttcp dport vmap { 22 : jump b }\n\t}",
            ),
            "f:6:30: `jump b`: a base chain cannot be the target of jump",
        ),
        (
            t(
                "\tchain b {\n\t\ttype filter hook input priority 0;\n\t\tjump a\n\t}\n\tchain a {\n\t\ttcp dport vmap { 1 : jump a }\n\t}",
            ),
            "f:7:29: this jump makes a loop (b -> a -> a): the kernel refuses it",
        ),
        (
            t(
                "\tmap m {\n\t\ttype inet_service : verdict\n\t\telements = { 1 : goto a }\n\t}\n\tchain b {\n\t\ttype filter hook input priority 0;\n\t\tjump a\n\t}\n\tchain a {\n\t\ttcp dport vmap @m\n\t}",
            ),
            "f:11:18: this jump makes a loop (b -> a -> a): the kernel refuses it",
        ),
        // names are bare words (nft: unexpected quoted string, expecting string)
        (
            "table ip \")\" {\n}\n".to_string(),
            "f:1:10: expected a table name, found \")\"",
        ),
        (
            t("\tchain \"my chain\" {\n\t}"),
            "f:2:8: expected a chain name, found \"my chain\"",
        ),
        (c("jump \"x\""), "f:3:8: expected a chain name, found \"x\""),
        // a transport protocol once known stays (an explicit `meta l4proto` does not replace it)
        (
            c("tcp dport 22 meta l4proto udp udp dport 53 accept"),
            "f:3:33: conflicting protocols specified: tcp vs. udp",
        ),
        (
            c("tcp dport != 22 meta l4proto icmp icmp type echo-request accept"),
            "f:3:37: conflicting protocols specified: tcp vs. icmp",
        ),
        (
            c("tcp dport { 30-20, 40 }"),
            "f:3:15: Range has zero or negative size",
        ),
        (
            c("counter packets x bytes 1"),
            "f:3:19: expected packet count, found `x`",
        ),
        (c("ip ttl foo"), "f:3:10: `foo` is not an integer"),
    ];
    let mut bad = Vec::new();
    for (text, want) in &cases {
        match Ruleset::parse(text, "f") {
            Ok(_) => bad.push(format!("{text:?}: accepted, want {want}")),
            Err(e) => {
                assert_eq!(e.file, "f");
                if e.to_string() != *want {
                    bad.push(format!("{text:?}:\n   want {want}\n   got  {e}"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
