//! Counts by kind and type, the date range, weakly connected components, degrees.

use petgraph::graph::NodeIndex;
use petgraph::unionfind::UnionFind;
use serde::Serialize;

use crate::graph::KnowledgeGraph;
use crate::model::date::PartialDate;

/// A summary of the whole graph.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Number of entities.
    pub entities: usize,
    /// Number of relations.
    pub relations: usize,
    /// Entities per kind, in kind order.
    pub kinds: Vec<Count>,
    /// Relations per type, in type order.
    pub rel_types: Vec<Count>,
    /// The earliest `start` of any relation.
    pub first_date: Option<String>,
    /// The latest `start` or `end` of any relation.
    pub last_date: Option<String>,
    /// Number of weakly connected components.
    pub components: usize,
    /// Entities in the largest weakly connected component.
    pub largest_component: usize,
    /// The entities with most relations (in + out), most first, ties by entity order.
    pub top_degree: Vec<DegreeEntry>,
    /// Number of entities without any relation.
    pub isolated_count: usize,
    /// The first isolated entities, in entity order.
    pub isolated: Vec<String>,
}

/// A name and how many.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Count {
    /// The kind or type.
    pub name: String,
    /// How many.
    pub count: usize,
}

/// One entity and its degree.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DegreeEntry {
    /// The entity id.
    pub id: String,
    /// The display name.
    pub name: String,
    /// Relations in plus relations out (a self-relation counts twice).
    pub degree: usize,
}

/// Returns the kind and type counts and the date range: what `check` prints.
#[must_use]
pub fn counts(
    kg: &KnowledgeGraph,
) -> (
    Vec<Count>,
    Vec<Count>,
    Option<PartialDate>,
    Option<PartialDate>,
) {
    let mut kinds = vec![0; kg.catalog.kinds.len()];
    for entity in kg.entities() {
        kinds[usize::from(entity.kind)] += 1;
    }
    let mut rel_types = vec![0; kg.catalog.rel_types.len()];
    let mut first: Option<PartialDate> = None;
    let mut last: Option<PartialDate> = None;
    for relation in kg.relations() {
        rel_types[usize::from(relation.rel_type)] += 1;
        if let Some(start) = relation.start
            && first.is_none_or(|f| start.first_day() < f.first_day())
        {
            first = Some(start);
        }
        for date in [relation.start, relation.end].into_iter().flatten() {
            if last.is_none_or(|l| date.last_day() > l.last_day()) {
                last = Some(date);
            }
        }
    }
    let named = |names: &[String], counts: Vec<usize>| {
        names
            .iter()
            .zip(counts)
            .map(|(name, count)| Count {
                name: name.clone(),
                count,
            })
            .collect()
    };
    (
        named(&kg.catalog.kinds, kinds),
        named(&kg.catalog.rel_types, rel_types),
        first,
        last,
    )
}

/// Returns the summary, with the `top` highest-degree entities and up to `top` isolated ones.
///
/// Complexity: O(n + m α(n)) for the components, O(n log n) for the degree ranking.
#[must_use]
pub fn stats(kg: &KnowledgeGraph, top: usize) -> Stats {
    let (kinds, rel_types, first, last) = counts(kg);
    let n = kg.entity_count();
    let mut components = UnionFind::<usize>::new(n);
    for &[from, to] in kg.ends() {
        components.union(from as usize, to as usize);
    }
    // Degree as `ties` means it everywhere: the relations an entity takes part in, a
    // self-loop once ([`KnowledgeGraph::degree`]).
    let degree: Vec<usize> = kg.node_indices().map(|node| kg.degree(node)).collect();
    let mut sizes = vec![0usize; n];
    for label in components.into_labeling() {
        sizes[label] += 1;
    }
    let mut ranked: Vec<usize> = (0..n).filter(|&i| degree[i] > 0).collect();
    ranked.sort_by(|&a, &b| degree[b].cmp(&degree[a]).then(a.cmp(&b)));
    let top_degree = ranked
        .iter()
        .take(top)
        .map(|&i| DegreeEntry {
            id: kg.id(NodeIndex::new(i)).to_owned(),
            name: kg.name(NodeIndex::new(i)).to_owned(),
            degree: degree[i],
        })
        .collect();
    let isolated: Vec<usize> = (0..n).filter(|&i| degree[i] == 0).collect();
    Stats {
        entities: n,
        relations: kg.relation_count(),
        kinds,
        rel_types,
        first_date: first.map(|d| d.to_string()),
        last_date: last.map(|d| d.to_string()),
        components: sizes.iter().filter(|&&s| s > 0).count(),
        largest_component: sizes.iter().copied().max().unwrap_or(0),
        top_degree,
        isolated_count: isolated.len(),
        isolated: isolated
            .iter()
            .take(top)
            .map(|&i| kg.id(NodeIndex::new(i)).to_owned())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degree_counts_relations_and_a_self_loop_once() {
        let kg = KnowledgeGraph::from_csv(
            &[("people", "id,name\na,A\nb,B\nc,C\n")],
            &[(
                "knows",
                "from,type,to\na,knows,b\na,knows,b\na,knows,a\nb,knows,c\n",
            )],
            None,
        )
        .unwrap();
        let summary = stats(&kg, 3);
        let ranked: Vec<(&str, usize)> = summary
            .top_degree
            .iter()
            .map(|entry| (entry.id.as_str(), entry.degree))
            .collect();
        // Two parallel relations count twice, the loop once: as `KnowledgeGraph::degree`.
        assert_eq!(ranked, [("a", 3), ("b", 3), ("c", 1)]);
        let a = kg.node_by_id("a").unwrap();
        assert_eq!(kg.degree(a), 3);
    }
}
