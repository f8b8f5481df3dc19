//! Questions asked of a [`crate::graph::KnowledgeGraph`]: statistics, an entity's relations,
//! paths and neighbourhoods, checks of the data. Read-only Cypher is the next layer to the
//! right, built on these. Returns values; formatting is the CLI's business.

pub mod filter;
pub(crate) mod lint;
pub(crate) mod neighbors;
pub mod path;
pub(crate) mod schema;
pub(crate) mod show;
pub(crate) mod stats;
