//! `ties` turns CSV tables of who-is-connected-to-what into a knowledge graph that can be
//! checked, questioned and drawn.
//!
//! The layers only look left: [`model`] → [`load`] → [`graph`] → [`query`] → [`view`] →
//! [`export`] → [`render`] → [`cli`] (`tests/it/layering.rs` checks it). Only [`cli`] talks
//! to the terminal.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cli;
pub mod export;
pub mod graph;
pub mod load;
pub mod model;
pub mod query;
pub mod render;
pub mod view;
