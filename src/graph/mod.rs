//! The knowledge graph: a petgraph directed multigraph of entities and relations.
//!
//! Node `i` is the `i`-th entity in file order and edge `j` the `j`-th relation in file order,
//! so iterating indices is already the deterministic output order. Parallel relations (same
//! from, type and to) are separate edges. The graph is immutable once built.

pub mod resolve;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use crate::load::{Dataset, Diagnostic};
use crate::model::entity::{Catalog, Entity, Relation};
use crate::model::index::IdIndex;
use crate::model::schema::Schema;
use crate::model::style::Style;

/// The petgraph type under a [`KnowledgeGraph`].
pub type Graph = DiGraph<Entity, Relation, u32>;

/// Entities, relations and their names, ready to query.
#[derive(Debug)]
pub struct KnowledgeGraph {
    /// The graph; node and edge weights are entities and relations.
    pub graph: Graph,
    /// Names, attribute columns, source files.
    pub catalog: Catalog,
    /// Display styles.
    pub style: Style,
    /// The schema `ties.toml` declares (empty when none); the data satisfies it.
    pub schema: Schema,
    /// Load warnings, for the CLI to show.
    pub warnings: Vec<Diagnostic>,
    index: IdIndex,
}

impl KnowledgeGraph {
    /// Loads and validates the data dir at `dir` (`entities/`, `relations/`, `ties.toml`).
    ///
    /// # Errors
    /// Every problem in the data, each with its file and line.
    pub fn load(dir: &std::path::Path) -> Result<Self, crate::load::LoadError> {
        crate::load::load_dir(dir, &crate::load::NoProgress).map(Self::from_dataset)
    }

    /// Builds a graph from CSV text in memory: entity files as `(kind, text)`, relation files
    /// as `(name, text)`, and an optional `ties.toml`; no files needed.
    ///
    /// ```
    /// use ties::graph::KnowledgeGraph;
    ///
    /// let kg = KnowledgeGraph::from_csv(
    ///     &[("countries", "id,name\nkz,Kazakhstan\nil,Israel\n")],
    ///     &[("ties", "from,type,to,start\nkz,diplomatic_relations,il,1992-08\n")],
    ///     None,
    /// )?;
    /// assert_eq!(kg.entity_count(), 2);
    /// assert_eq!(kg.name(kg.node_by_id("kz").unwrap()), "Kazakhstan");
    /// # Ok::<(), ties::load::LoadError>(())
    /// ```
    ///
    /// # Errors
    /// Every problem in the text, each with its (named) file and line.
    pub fn from_csv(
        entities: &[(&str, &str)],
        relations: &[(&str, &str)],
        style: Option<&str>,
    ) -> Result<Self, crate::load::LoadError> {
        crate::load::load_texts(entities, relations, style).map(Self::from_dataset)
    }

    /// Builds the graph from a loaded data set, consuming it file by file to bound memory.
    #[must_use]
    pub fn from_dataset(dataset: Dataset) -> Self {
        let edge_count = dataset.relations.iter().map(Vec::len).sum();
        let mut graph = Graph::with_capacity(dataset.entities.len(), edge_count);
        for entity in dataset.entities {
            graph.add_node(entity);
        }
        for file in dataset.relations {
            for (from, to, relation) in file {
                graph.add_edge(
                    NodeIndex::new(from as usize),
                    NodeIndex::new(to as usize),
                    relation,
                );
            }
        }
        KnowledgeGraph {
            graph,
            catalog: dataset.catalog,
            style: dataset.style,
            schema: dataset.schema,
            warnings: dataset.warnings,
            index: dataset.index,
        }
    }

    /// Returns the node of the entity with this exact id.
    #[must_use]
    pub fn node_by_id(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).map(|p| NodeIndex::new(p as usize))
    }

    /// Returns the entity at `node`.
    #[must_use]
    pub fn entity(&self, node: NodeIndex) -> &Entity {
        &self.graph[node]
    }

    /// Returns the relation at `edge`.
    #[must_use]
    pub fn relation(&self, edge: EdgeIndex) -> &Relation {
        &self.graph[edge]
    }

    /// Returns the id of the entity at `node`.
    #[must_use]
    pub fn id(&self, node: NodeIndex) -> &str {
        self.catalog.entity_id(&self.graph[node])
    }

    /// Returns the display name of the entity at `node`.
    #[must_use]
    pub fn name(&self, node: NodeIndex) -> &str {
        self.catalog.entity_name(&self.graph[node])
    }

    /// Returns the kind name of the entity at `node`.
    #[must_use]
    pub fn kind(&self, node: NodeIndex) -> &str {
        self.catalog.kind_name(self.graph[node].kind)
    }

    /// Returns the type name of the relation at `edge`.
    #[must_use]
    pub fn rel_type(&self, edge: EdgeIndex) -> &str {
        self.catalog.rel_type_name(self.graph[edge].rel_type)
    }

    /// Returns the endpoints of `edge` in stored direction.
    #[must_use]
    pub fn endpoints(&self, edge: EdgeIndex) -> (NodeIndex, NodeIndex) {
        self.graph
            .edge_endpoints(edge)
            .expect("edge indices come from this graph")
    }

    /// Returns the number of entities.
    #[must_use]
    pub fn entity_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Returns the number of relations.
    #[must_use]
    pub fn relation_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Returns the relation's id in every output: `e<N>`, `N` its input position.
    #[must_use]
    pub fn relation_id(edge: EdgeIndex) -> RelationId {
        RelationId(edge)
    }

    /// Returns where a relation was stated: `path:line`.
    #[must_use]
    pub fn relation_origin(&self, edge: EdgeIndex) -> String {
        let origin = self.graph[edge].origin();
        format!("{}:{}", self.catalog.file_path(origin.file), origin.line)
    }

    /// Returns `path:line` of the relation at `edge` with the path inside the data folder
    /// (`relations/visits.csv:5`): what pages and exports show, never the machine's paths.
    #[must_use]
    pub fn relation_place(&self, edge: EdgeIndex) -> String {
        let origin = self.graph[edge].origin();
        format!(
            "{}:{}",
            self.catalog.relative_path(origin.file),
            origin.line
        )
    }
}

/// A relation's id as every output writes it, `e<N>` with `N` its input position (the one
/// place that spells it); formats without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelationId(pub EdgeIndex);

impl std::fmt::Display for RelationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "e{}", self.0.index())
    }
}

/// The properties every relationship has in the databases `ties` exports to (openCypher
/// script, neo4j-admin files) and in `ties query`, besides its attributes: a column of the same
/// name is renamed there.
pub const RELATION_PROPERTIES: [&str; 6] =
    ["rid", "start", "end", "start_from", "end_to", "weight"];

/// The properties every entity has there, besides its attributes.
pub const ENTITY_PROPERTIES: [&str; 2] = ["id", "name"];
