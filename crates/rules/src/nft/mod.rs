//! `nft list ruleset` rulesets (to be written).
