//! The one integration test binary (one link step on a two-core CI).

mod cli;
mod layering;
mod load;
mod support;
