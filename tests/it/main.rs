//! The one integration test binary (one link step on a two-core CI).

// Test code favours short, readable fixtures over the pedantic lints that guard library code.
#![allow(
    clippy::needless_pass_by_value,
    clippy::format_push_string,
    clippy::type_complexity,
    clippy::cast_precision_loss,
    clippy::too_many_lines
)]

mod cli;
mod cmd;
mod cypher;
mod cypher_language;
mod explorer;
mod export;
mod ftm;
mod hardening;
mod help;
mod layering;
mod load;
mod path;
mod pictures;
mod plan;
mod readme;
mod serve;
mod snapshot;
mod sources;
mod support;
mod svg_geometry;
