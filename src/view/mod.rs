//! Views: the part of the graph an export or a picture shows.
//!
//! A view is the whole graph, or the graph filtered by kinds, types and time, or the
//! neighbourhood of one entity, or the union of the paths of a path query. Every exporter and
//! renderer takes a [`Subgraph`], so `export`, `render`, `build` and `path --format dot|svg`
//! select with the same flags and mean the same thing.

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::cypher::Value;
use crate::graph::KnowledgeGraph;
use crate::graph::adjacency::Adjacency;
use crate::query::filter::Filter;
use crate::query::neighbors::neighbors;
use crate::query::path::Path;

/// Entities and relations selected for output, each list in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Subgraph {
    /// The entities, in entity order.
    pub nodes: Vec<NodeIndex>,
    /// The relations, in relation order; both endpoints of each are in `nodes`.
    pub edges: Vec<EdgeIndex>,
    /// A one-line description (`whole graph`, `around Kazakhstan, depth 2, as of 1995`).
    pub title: String,
    /// Values computed on this view for its entities (network metrics), which exports
    /// write as typed attributes after the data's own. Empty unless asked for.
    pub computed: Computed,
}

/// Columns of values computed for the entities of a view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Computed {
    /// The columns, in output order.
    pub columns: Vec<ComputedColumn>,
}

/// One computed column: its name and a value for every entity of the view.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputedColumn {
    /// The attribute name exports use.
    pub name: String,
    /// The values, by entity.
    pub values: ComputedValues,
}

/// The values of a computed column, indexed by `NodeIndex::index()` (entities outside the
/// view have a value nobody reads).
#[derive(Debug, Clone, PartialEq)]
pub enum ComputedValues {
    /// Whole numbers: counts, labels.
    Int(Vec<i64>),
    /// Scores.
    Float(Vec<f64>),
}

impl ComputedColumn {
    /// Returns the column's type, as a data column would declare it.
    #[must_use]
    pub fn column_type(&self) -> crate::model::value::ColumnType {
        use crate::model::value::{ColumnType, ScalarType};
        match self.values {
            ComputedValues::Int(_) => ColumnType::scalar(ScalarType::Int),
            ComputedValues::Float(_) => ColumnType::scalar(ScalarType::Float),
        }
    }

    /// Returns the value of `node`.
    #[must_use]
    pub fn value(&self, node: NodeIndex) -> crate::model::value::ValueRef<'static> {
        use crate::model::value::ValueRef;
        match &self.values {
            ComputedValues::Int(values) => ValueRef::Int(values[node.index()]),
            ComputedValues::Float(values) => ValueRef::Float(values[node.index()]),
        }
    }
}

/// How to select a view.
#[derive(Debug, Clone, Default)]
pub struct ViewSpec {
    /// Relations by type and time, entities by kind and exclusion.
    pub filter: Filter,
    /// Only what lies within `depth` relations of this entity.
    pub around: Option<(NodeIndex, usize)>,
    /// A description of the filter for titles, such as `as of 1995`.
    pub description: String,
}

impl Subgraph {
    /// Returns every entity and relation.
    #[must_use]
    pub fn whole(kg: &KnowledgeGraph) -> Self {
        Subgraph {
            computed: Computed::default(),
            nodes: kg.node_indices().collect(),
            edges: kg.edge_indices().collect(),
            title: "whole graph".to_owned(),
        }
    }

    /// Returns the view `spec` selects.
    ///
    /// Entities must pass the kind and exclusion filters; relations must pass the type and time
    /// filters and join two selected entities. When the filter restricts relations (types or
    /// time), entities left without any relation are dropped: they would only be isolated by
    /// the filter. `--directed` matters only with `around`.
    #[must_use]
    pub fn select(kg: &KnowledgeGraph, adjacency: &Adjacency, spec: &ViewSpec) -> Self {
        let filter = &spec.filter;
        let mut keep = vec![false; kg.entity_count()];
        let mut title = match spec.around {
            Some((center, depth)) => {
                keep[center.index()] = true;
                for neighbor in neighbors(kg, adjacency, center, depth, filter) {
                    keep[neighbor.node.index()] = true;
                }
                format!("around {}, depth {depth}", kg.name(center))
            }
            None => {
                for node in kg.node_indices() {
                    keep[node.index()] = filter.allows_entity(node, kg.entity(node));
                }
                "whole graph".to_owned()
            }
        };
        let edges: Vec<EdgeIndex> = kg
            .edge_indices()
            .filter(|&edge| {
                let (a, b) = kg.endpoints(edge);
                keep[a.index()] && keep[b.index()] && filter.allows_relation(kg.relation(edge))
            })
            .collect();
        if filter.filters_relations() && spec.around.is_none() {
            let mut linked = vec![false; kg.entity_count()];
            for &edge in &edges {
                let (a, b) = kg.endpoints(edge);
                linked[a.index()] = true;
                linked[b.index()] = true;
            }
            keep = linked;
        }
        if !spec.description.is_empty() {
            title.push_str(", ");
            title.push_str(&spec.description);
        }
        Subgraph {
            computed: Computed::default(),
            nodes: kg
                .node_indices()
                .filter(|node| keep[node.index()])
                .collect(),
            edges,
            title,
        }
    }

    /// Returns the union of the entities and relations of `paths`.
    #[must_use]
    pub fn from_paths(kg: &KnowledgeGraph, paths: &[Path], title: String) -> Self {
        let mut nodes: Vec<NodeIndex> =
            paths.iter().flat_map(|p| p.nodes.iter().copied()).collect();
        let mut edges: Vec<EdgeIndex> =
            paths.iter().flat_map(|p| p.edges.iter().copied()).collect();
        nodes.sort_unstable();
        nodes.dedup();
        edges.sort_unstable();
        edges.dedup();
        debug_assert!(edges.iter().all(|&e| {
            let (a, b) = kg.endpoints(e);
            nodes.binary_search(&a).is_ok() && nodes.binary_search(&b).is_ok()
        }));
        Subgraph {
            computed: Computed::default(),
            nodes,
            edges,
            title,
        }
    }

    /// Returns the entities and relations that query results mention (nodes, relationships,
    /// paths, also inside lists and maps), with the endpoints of each relationship; `None`
    /// when the results hold no graph element.
    #[must_use]
    pub fn from_values<'a>(
        kg: &KnowledgeGraph,
        values: impl Iterator<Item = &'a Value>,
        title: String,
    ) -> Option<Self> {
        fn walk(
            kg: &KnowledgeGraph,
            value: &Value,
            nodes: &mut Vec<NodeIndex>,
            edges: &mut Vec<EdgeIndex>,
        ) {
            match value {
                Value::Node(node) => nodes.push(*node),
                Value::Rel(edge) => {
                    let (a, b) = kg.endpoints(*edge);
                    nodes.extend([a, b]);
                    edges.push(*edge);
                }
                Value::Path(path) => {
                    nodes.extend(&path.nodes);
                    edges.extend(&path.edges);
                }
                Value::List(items) => items.iter().for_each(|v| walk(kg, v, nodes, edges)),
                Value::Map(entries) => entries.iter().for_each(|(_, v)| walk(kg, v, nodes, edges)),
                Value::Null
                | Value::Bool(_)
                | Value::Int(_)
                | Value::Float(_)
                | Value::Str(_)
                | Value::Duration(_)
                | Value::Time(_)
                | Value::DateTime(_)
                | Value::Date(_) => {}
            }
        }
        let (mut nodes, mut edges) = (Vec::new(), Vec::new());
        for value in values {
            walk(kg, value, &mut nodes, &mut edges);
        }
        if nodes.is_empty() {
            return None;
        }
        nodes.sort_unstable();
        nodes.dedup();
        edges.sort_unstable();
        edges.dedup();
        Some(Subgraph {
            computed: Computed::default(),
            nodes,
            edges,
            title,
        })
    }

    /// Returns whether any selected relation has a start or end date.
    #[must_use]
    pub fn has_dates(&self, kg: &KnowledgeGraph) -> bool {
        self.edges.iter().any(|&e| {
            let relation = kg.relation(e);
            relation.start.is_some() || relation.end.is_some()
        })
    }
}
