//! Turning what a user typed (an id or a name) into one entity, or saying why not.
//!
//! An exact id wins; otherwise a case-insensitive exact name. A name shared by several
//! entities is an error that lists them, never a silent pick.

use crate::model::similar::edit_distance;
use petgraph::graph::NodeIndex;

use crate::graph::KnowledgeGraph;

/// One entity offered to the user in an error: id, kind and display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The entity id.
    pub id: String,
    /// The kind.
    pub kind: String,
    /// The display name.
    pub name: String,
}

/// Why a NODE argument does not name exactly one entity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// No id or name matches.
    #[error("no entity has the id or name `{text}`")]
    Unknown {
        /// What the user typed.
        text: String,
        /// Entities whose id or name contains the text, best first (at most five).
        suggestions: Vec<Candidate>,
    },
    /// Several entities have this name.
    #[error("`{text}` matches {} entities", .candidates.len())]
    Ambiguous {
        /// What the user typed.
        text: String,
        /// Every entity with that name, in entity order.
        candidates: Vec<Candidate>,
    },
}

impl KnowledgeGraph {
    /// Returns the entity with id `text`, or else the one whose name is `text` ignoring case.
    ///
    /// # Errors
    /// [`ResolveError::Unknown`] with suggestions, or [`ResolveError::Ambiguous`] listing
    /// every entity with that name.
    pub fn resolve(&self, text: &str) -> Result<NodeIndex, ResolveError> {
        if let Some(node) = self.node_by_id(text) {
            return Ok(node);
        }
        let wanted = text.to_lowercase();
        // A linear scan, once per argument: cheaper than a name index held for every command.
        let matches: Vec<NodeIndex> = self
            .node_indices()
            .filter(|&node| lowercase_eq(self.name(node), &wanted))
            .collect();
        match matches.as_slice() {
            [node] => Ok(*node),
            [] => Err(ResolveError::Unknown {
                text: text.to_owned(),
                suggestions: self.suggest(text, 5),
            }),
            _ => Err(ResolveError::Ambiguous {
                text: text.to_owned(),
                candidates: matches.iter().map(|&node| self.candidate(node)).collect(),
            }),
        }
    }

    /// Returns entities whose id or name contains `text` ignoring case, best `limit` first.
    ///
    /// Ranked exact match, then prefix, then substring; within a rank by id. Scans every
    /// entity once: O(n) in the number of entities.
    #[must_use]
    pub fn find(&self, text: &str, limit: usize) -> Vec<FindHit> {
        let wanted = text.to_lowercase();
        let mut hits: Vec<FindHit> = self
            .node_indices()
            .filter_map(|node| {
                let rank = [self.id(node), self.name(node)]
                    .into_iter()
                    .filter_map(|field| match_rank(&field.to_lowercase(), &wanted))
                    .min()?;
                Some(FindHit { node, rank })
            })
            .collect();
        hits.sort_by(|a, b| {
            a.rank
                .cmp(&b.rank)
                .then_with(|| self.id(a.node).cmp(self.id(b.node)))
        });
        hits.truncate(limit);
        hits
    }

    /// Returns up to `limit` entities the user may have meant by `text`: those whose id or
    /// name contains it, or else those within a few typing mistakes of it (`Isreal`).
    fn suggest(&self, text: &str, limit: usize) -> Vec<Candidate> {
        let found = self.find(text, limit);
        if !found.is_empty() {
            return found
                .into_iter()
                .map(|hit| self.candidate(hit.node))
                .collect();
        }
        let wanted: Vec<char> = text.to_lowercase().chars().collect();
        let allowed = (wanted.len() / 3).max(1);
        let mut near: Vec<(usize, NodeIndex)> = self
            .node_indices()
            .filter_map(|node| {
                [self.id(node), self.name(node)]
                    .into_iter()
                    .filter_map(|field| edit_distance(&wanted, field, allowed))
                    .min()
                    .map(|distance| (distance, node))
            })
            .collect();
        near.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| self.id(a.1).cmp(self.id(b.1))));
        near.into_iter()
            .take(limit)
            .map(|(_, node)| self.candidate(node))
            .collect()
    }

    /// Returns the id, kind and name of `node` for messages.
    #[must_use]
    pub fn candidate(&self, node: NodeIndex) -> Candidate {
        Candidate {
            id: self.id(node).to_owned(),
            kind: self.kind(node).to_owned(),
            name: self.name(node).to_owned(),
        }
    }
}

/// How well an entity matched a [`KnowledgeGraph::find`] text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchRank {
    /// The id or name equals the text.
    Exact,
    /// The id or name starts with the text.
    Prefix,
    /// The id or name contains the text.
    Substring,
}

/// One result of [`KnowledgeGraph::find`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FindHit {
    /// The entity.
    pub node: NodeIndex,
    /// How well it matched.
    pub rank: MatchRank,
}

fn match_rank(field: &str, wanted: &str) -> Option<MatchRank> {
    if field == wanted {
        Some(MatchRank::Exact)
    } else if field.starts_with(wanted) {
        Some(MatchRank::Prefix)
    } else if field.contains(wanted) {
        Some(MatchRank::Substring)
    } else {
        None
    }
}

/// Returns whether `text` lowercased equals `lowercase`, without allocating.
fn lowercase_eq(text: &str, lowercase: &str) -> bool {
    text.chars()
        .flat_map(char::to_lowercase)
        .eq(lowercase.chars())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_prefer_exact_then_prefix() {
        assert_eq!(match_rank("israel", "israel"), Some(MatchRank::Exact));
        assert_eq!(
            match_rank("israel-embassy", "israel"),
            Some(MatchRank::Prefix)
        );
        assert_eq!(
            match_rank("embassy of israel", "israel"),
            Some(MatchRank::Substring)
        );
        assert_eq!(match_rank("kazakhstan", "israel"), None);
        assert!(lowercase_eq("Shimon PERES", "shimon peres"));
        assert!(!lowercase_eq("Shimon", "shimon peres"));
    }

    #[test]
    fn typos_are_within_a_small_edit_distance() {
        // A swap of two neighbours is one mistake.
        let wanted: Vec<char> = "isreal".chars().collect();
        assert_eq!(edit_distance(&wanted, "Israel", 2), Some(1));
        assert_eq!(edit_distance(&wanted, "Ireland", 2), None);
        assert_eq!(edit_distance(&wanted, "kazakhstan", 2), None);
    }
}
