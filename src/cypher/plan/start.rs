//! Where a pattern starts matching: the one decision the executor runs and `EXPLAIN` shows.
//!
//! A pattern is walked from the end that finds fewest entities: a node bound before it (by an
//! earlier clause or an earlier pattern of its `MATCH`), an `id` in the pattern, or an `id`
//! equality in the `WHERE` pushed down to the start; else the entities of its kinds, else all.
//! When only the last node is anchored so, the pattern is walked from there with every
//! direction turned; when neither end is, from the end with fewer entities (a property map
//! counted as keeping a hundredth of them). Shortest-path patterns are searched between their
//! two ends as written.

use rustc_hash::FxHashMap;

use crate::cypher::ast::{
    BinaryOp, Direction, Expr, ExprKind, NodePattern, PathPattern, RelPattern,
};

/// How the first node of a pattern, in walking order, is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Its variable was bound before the pattern runs: the node the row holds.
    Argument,
    /// `{id: ...}` in the pattern: the one entity with that id.
    IdSeek,
    /// `WHERE v.id = ...`: the one entity with that id, the condition pushed down.
    FilterSeek,
    /// The entities of the pattern's kinds.
    LabelScan,
    /// Every entity.
    AllNodes,
}

/// Where a pattern starts: which end, and how that node is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    /// Walked from its last node, every direction turned.
    pub reversed: bool,
    /// How the first node in walking order is found.
    pub source: Source,
}

/// How a node is found when a pattern starts from it.
fn source_of(node: &NodePattern, bound: &[String], anchors: &FxHashMap<String, Expr>) -> Source {
    let variable = node.variable.as_ref();
    if variable.is_some_and(|v| bound.contains(v)) {
        Source::Argument
    } else if node.properties.iter().any(|(key, _)| key == "id") {
        Source::IdSeek
    } else if variable.is_some_and(|v| anchors.contains_key(v)) {
        Source::FilterSeek
    } else if node.labels.is_empty() || node.labels.iter().any(|l| l == "Entity") {
        Source::AllNodes
    } else {
        Source::LabelScan
    }
}

/// The share of entities a node pattern's property map keeps, as the planner guesses it: a
/// hundredth with a map (`{name: 'x'}` picks few), all without.
#[must_use]
pub(crate) fn kept_by_properties(node: &NodePattern) -> f64 {
    if node.properties.is_empty() {
        1.0
    } else {
        0.01
    }
}

/// Where `pattern` starts, given the variables `bound` before it, the `WHERE` clause's id
/// equalities ([`id_equalities`]), and how many entities a node's kinds have (`size`: all
/// entities for a node without a kind).
#[must_use]
pub(crate) fn start_of(
    pattern: &PathPattern,
    bound: &[String],
    anchors: &FxHashMap<String, Expr>,
    size: &dyn Fn(&NodePattern) -> f64,
) -> Start {
    let anchored = |source: Source| {
        matches!(
            source,
            Source::Argument | Source::IdSeek | Source::FilterSeek
        )
    };
    let first = source_of(&pattern.start, bound, anchors);
    if pattern.selector.is_none()
        && !anchored(first)
        && let Some((_, last)) = pattern.steps.last()
    {
        let from_last = source_of(last, bound, anchors);
        let estimate = |node: &NodePattern| size(node) * kept_by_properties(node);
        if anchored(from_last) || estimate(last) < estimate(&pattern.start) {
            return Start {
                reversed: true,
                source: from_last,
            };
        }
    }
    Start {
        reversed: false,
        source: first,
    }
}

/// A pattern's nodes and relationships in walking order, each relationship with the direction
/// it is walked in: as written, or (`reversed`) from its last node with every arrow turned.
#[must_use]
pub(crate) fn walk_order(
    pattern: &PathPattern,
    reversed: bool,
) -> (Vec<&NodePattern>, Vec<(&RelPattern, Direction)>) {
    let mut nodes: Vec<&NodePattern> = std::iter::once(&pattern.start)
        .chain(pattern.steps.iter().map(|(_, n)| n))
        .collect();
    let mut rels: Vec<(&RelPattern, Direction)> = pattern
        .steps
        .iter()
        .map(|(r, _)| (r, r.direction))
        .collect();
    if reversed {
        nodes.reverse();
        rels.reverse();
        for (_, direction) in &mut rels {
            *direction = match *direction {
                Direction::Outgoing => Direction::Incoming,
                Direction::Incoming => Direction::Outgoing,
                Direction::Either => Direction::Either,
            };
        }
    }
    (nodes, rels)
}

/// Returns `v -> expr` for each top-level `WHERE v.id = expr` conjunct whose value is a
/// literal or a parameter: equalities a pattern can start from.
#[must_use]
pub(crate) fn id_equalities(filter: &Expr) -> FxHashMap<String, Expr> {
    let mut found = FxHashMap::default();
    let mut stack = vec![filter];
    while let Some(expr) = stack.pop() {
        match &expr.kind {
            ExprKind::Binary(BinaryOp::And, a, b) => {
                stack.push(a);
                stack.push(b);
            }
            ExprKind::Binary(BinaryOp::Eq, a, b) => {
                for (side, other) in [(a, b), (b, a)] {
                    if let ExprKind::Property(inner, key) = &side.kind
                        && key == "id"
                        && let ExprKind::Variable(v) = &inner.kind
                        && matches!(other.kind, ExprKind::Literal(_) | ExprKind::Param(_))
                    {
                        found.insert(v.name.clone(), (**other).clone());
                    }
                }
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cypher::ast::{Clause, Query};
    use crate::cypher::parser::parse;

    fn first_match(text: &str) -> Query {
        parse(text).unwrap()
    }

    fn start(text: &str, bound: &[&str]) -> Start {
        let query = first_match(text);
        let Clause::Match(m) = &query.clauses[0] else {
            panic!("a MATCH first");
        };
        let anchors = m.filter.as_ref().map(id_equalities).unwrap_or_default();
        let bound: Vec<String> = bound.iter().map(|&b| b.to_owned()).collect();
        // Ten entities of each kind, a hundred in all.
        let size = |node: &NodePattern| if node.labels.is_empty() { 100.0 } else { 10.0 };
        start_of(&m.patterns[0], &bound, &anchors, &size)
    }

    #[test]
    fn a_pattern_starts_from_its_most_selective_end() {
        let forward = |source| Start {
            reversed: false,
            source,
        };
        let backward = |source| Start {
            reversed: true,
            source,
        };
        assert_eq!(
            start("MATCH (a)-->(b) RETURN a", &[]),
            forward(Source::AllNodes)
        );
        assert_eq!(
            start("MATCH (a:p)-->(b) RETURN a", &[]),
            forward(Source::LabelScan)
        );
        assert_eq!(
            start("MATCH (a:Entity)-->(b) RETURN a", &[]),
            forward(Source::AllNodes)
        );
        assert_eq!(
            start("MATCH (a:p)-->(b {id: 'x'}) RETURN a", &[]),
            backward(Source::IdSeek)
        );
        assert_eq!(
            start("MATCH (a:p)-->(b) WHERE b.id = $id RETURN a", &[]),
            backward(Source::FilterSeek)
        );
        assert_eq!(
            start("MATCH (a)-->(b) RETURN a", &["b"]),
            backward(Source::Argument)
        );
        // Bound beats an id; the written start wins a tie.
        assert_eq!(
            start("MATCH (a {id: 'x'})-->(b) RETURN a", &["a"]),
            forward(Source::Argument)
        );
        assert_eq!(
            start("MATCH (a {id: 'x'})-->(b {id: 'y'}) RETURN a", &[]),
            forward(Source::IdSeek)
        );
        // Neither end anchored: the end with fewer entities, a property map counting.
        assert_eq!(
            start("MATCH (a)-->(b:p) RETURN a", &[]),
            backward(Source::LabelScan)
        );
        assert_eq!(
            start("MATCH (a:p)-->(b:q) RETURN a", &[]),
            forward(Source::LabelScan)
        );
        assert_eq!(
            start("MATCH (a {name: 'x'})-->(b:p) RETURN a", &[]),
            forward(Source::AllNodes)
        );
        assert_eq!(
            start("MATCH (a:p)-->(b:q {name: 'x'}) RETURN a", &[]),
            backward(Source::LabelScan)
        );
        // A shortest path is searched between its ends as written.
        assert_eq!(
            start(
                "MATCH p = shortestPath((a)-[*]-(b {id: 'y'})) RETURN p",
                &[]
            ),
            forward(Source::AllNodes)
        );
    }

    #[test]
    fn only_id_equalities_with_a_known_value_are_pushed_down() {
        let query = first_match(
            "MATCH (a)-->(b) WHERE a.id = 'x' AND b.id = a.name AND $p = b.id OR a.id = 'z' \
             RETURN a",
        );
        let Clause::Match(m) = &query.clauses[0] else {
            panic!("a MATCH first");
        };
        // The top-level OR hides every conjunct under it.
        assert!(id_equalities(m.filter.as_ref().unwrap()).is_empty());
        let query = first_match("MATCH (a)-->(b) WHERE a.id = 'x' AND b.id = a.name RETURN a");
        let Clause::Match(m) = &query.clauses[0] else {
            panic!("a MATCH first");
        };
        let found = id_equalities(m.filter.as_ref().unwrap());
        assert_eq!(found.keys().collect::<Vec<_>>(), ["a"]);
    }
}
