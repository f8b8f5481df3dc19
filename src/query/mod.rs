//! Questions asked of a [`crate::graph::KnowledgeGraph`]: statistics, an entity's relations,
//! paths and neighbourhoods. Returns values; formatting is the CLI's business.

pub mod adjacency;
pub mod chrono;
pub mod cypher;
pub mod filter;
pub mod lint;
pub mod neighbors;
pub mod path;
pub mod schema;
pub mod show;
pub mod stats;
