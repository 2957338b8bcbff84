//! Arbitrary text as an iptables-save (IPv4 and IPv6) and an nft ruleset,
//! through the public API: parse; what parses is linted and listed with
//! its counters (from its second listing on, an nft listing lists the
//! same). Nothing may panic.
//!
//! Byte 0 picks the format (bit 0: nft), the rest is the file.

#![no_main]

use ctrack_core::tuple::Family;
use ctrack_rules::RuleSource;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    if which & 1 == 1 {
        let Ok(r) = ctrack_rules::nft::Ruleset::parse(&text, "fuzz.nft") else {
            return;
        };
        let _ = ctrack_rules::lint::lint_nft(&[&r], true);
        // As nft's, a listing need not read back (`ip6 daddr ::2 meta
        // nfproto ipv4 reject` lists as a rule nft refuses) nor list the
        // same (a set merged into one element reads back as a value), but
        // from the second listing on nothing changes.
        let reparse = |text: &str| ctrack_rules::nft::Ruleset::parse(text, "listing").ok();
        if let Some(l2) = reparse(&r.listing()).map(|r| r.listing())
            && let Some(l3) = reparse(&l2).map(|r| r.listing())
        {
            assert_eq!(l3, l2, "the second listing changed when listed again");
        }
        let _ = r.counters_report();
    } else {
        for family in [Family::Ipv4, Family::Ipv6] {
            let Ok(r) = ctrack_rules::iptables::Ruleset::parse(&text, "fuzz", family) else {
                continue;
            };
            let _ = ctrack_rules::lint::lint(&[&r], true);
            let _ = r.counters_report();
            let _ = r.saved();
        }
    }
});
