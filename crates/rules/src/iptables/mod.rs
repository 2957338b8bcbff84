//! `iptables-save` / `ip6tables-save` rulesets (to be written).
