//! The `ctrack` command line: argument parsing, the replay driver's output
//! formats, and the comparison with kernel recordings. `main.rs` is a thin
//! shell around [`app::run`].

pub mod app;
pub mod bench;
pub mod check_rules;
pub mod expect;
pub mod fragments;
pub mod output;
