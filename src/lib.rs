//! `ties` turns CSV tables of who-is-connected-to-what into a knowledge graph that can be
//! checked, questioned and drawn.
//!
//! The layers only look left: [`model`] → [`load`] → [`graph`] → [`query`] → [`cypher`] →
//! [`view`] → [`analysis`] → [`layout`] → [`export`](mod@export) → [`render`] → [`serve`] → `cli` (`tests/it/layering.rs` checks
//! it). Only the command line talks to the terminal.
//!
//! As a library: load a graph ([`graph::KnowledgeGraph::load`] for a data dir,
//! [`graph::KnowledgeGraph::from_csv`] for text in memory), then ask it for paths or run a
//! Cypher query.
//!
//! ```
//! use std::collections::BTreeMap;
//!
//! use ties::cypher;
//! use ties::{Filter, FilterSpec, KnowledgeGraph, Limits, PathMode, PathQuery, PathSearch};
//!
//! let kg = KnowledgeGraph::from_csv(
//!     &[
//!         ("people", "id,name\nperes,Shimon Peres\nnazarbayev,Nursultan Nazarbayev\n"),
//!         ("countries", "id,name\nkz,Kazakhstan\nil,Israel\n"),
//!     ],
//!     &[(
//!         "ties",
//!         "from,type,to,start\nperes,visited,kz,2009\nkz,diplomatic_relations,il,1992-08\nnazarbayev,visited,il,1995\n",
//!     )],
//!     None,
//! )?;
//! let adjacency = kg.adjacency();
//!
//! // How is Peres connected to Nazarbayev?
//! let query = PathQuery {
//!     filter: Filter::new(&kg, &FilterSpec::default())?,
//!     max_hops: None,
//!     weighted: false,
//!     mode: PathMode::Shortest,
//! };
//! let (from, to) = (kg.resolve("Shimon Peres")?, kg.resolve("nazarbayev")?);
//! let paths = PathSearch::new(&kg, adjacency).search(from, to, &query)?;
//! let names: Vec<&str> = paths[0].nodes.iter().map(|&n| kg.name(n)).collect();
//! assert_eq!(names, ["Shimon Peres", "Kazakhstan", "Israel", "Nursultan Nazarbayev"]);
//!
//! // Since when do the two countries have relations?
//! let result = cypher::run(
//!     &kg,
//!     adjacency,
//!     "MATCH (:countries)-[r:diplomatic_relations]->(:countries) RETURN r.start AS since",
//!     BTreeMap::new(),
//!     Limits::default(),
//! )?;
//! assert_eq!(result.rows[0][0].display(&kg), "1992-08");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod analysis;
// The command line: public for `main.rs`, not an interface for library users.
#[doc(hidden)]
pub mod cli;
pub mod cypher;
pub mod export;
pub mod graph;
pub mod layout;
pub mod load;
pub mod model;
pub mod query;
pub mod render;
pub mod serve;
pub mod view;

// The entry points, for `use ties::{KnowledgeGraph, ...}`.
pub use cypher::{CypherError, Limits, QueryResult};
pub use export::{Format, export, export_to_path};
pub use graph::KnowledgeGraph;
pub use graph::adjacency::Adjacency;
pub use load::LoadError;
pub use query::filter::{Filter, FilterSpec};
pub use query::path::{PathMode, PathQuery, PathSearch};
