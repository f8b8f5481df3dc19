//! The knowledge graph: a directed multigraph of entities and relations in flat arrays.
//!
//! Node `i` is the `i`-th entity in file order and edge `j` the `j`-th relation in file order,
//! so iterating indices is already the deterministic output order. Parallel relations (same
//! from, type and to) are separate edges. The graph is immutable once built.
//!
//! Entities, relations and their endpoints are plain arrays with an adjacency array (CSR)
//! beside them, indexed by petgraph's [`NodeIndex`] and [`EdgeIndex`]. petgraph's own `Graph`
//! links every edge into two lists, which cost a cache miss per edge to build (a second on 5M
//! relations) and could not be saved and opened again as arrays can (see [`snapshot`]).

pub mod adjacency;
pub(crate) mod column;
pub(crate) mod ids;
pub mod resolve;
pub mod snapshot;

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::graph::adjacency::{Adjacency, Link};
use crate::graph::column::Column;
use crate::graph::ids::Ids;
use crate::load::{Dataset, Diagnostic};
use crate::model::entity::{Catalog, Entity, Relation};
use crate::model::schema::Schema;
use crate::model::style::Style;

/// Entities, relations and their names, ready to query.
#[derive(Debug)]
pub struct KnowledgeGraph {
    entities: Vec<Entity>,
    relations: Column<Relation>,
    /// Each relation's `[from, to]`, in stored direction.
    ends: Column<[u32; 2]>,
    adjacency: Adjacency,
    /// Names, attribute columns, source files.
    pub catalog: Catalog,
    /// Display styles.
    pub style: Style,
    /// The schema `ties.toml` declares (empty when none); the data satisfies it.
    pub schema: Schema,
    /// Load warnings, for the CLI to show.
    pub warnings: Vec<Diagnostic>,
    index: Ids,
    /// The snapshot the graph was opened from, which still holds the parts read on first use.
    opened_from: Option<std::sync::Arc<snapshot::Source>>,
    /// The entities of each kind, by kind number, in input order: made on first use.
    by_kind: std::sync::OnceLock<Vec<Vec<u32>>>,
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
        let mut relations = Vec::with_capacity(edge_count);
        let mut ends = Vec::with_capacity(edge_count);
        for file in dataset.relations {
            for (from, to, relation) in file {
                ends.push([from, to]);
                relations.push(relation);
            }
        }
        let adjacency = Adjacency::new(dataset.entities.len(), &ends);
        KnowledgeGraph {
            entities: dataset.entities,
            relations: Column::Whole(relations),
            ends: Column::Whole(ends),
            adjacency,
            catalog: dataset.catalog,
            style: dataset.style,
            schema: dataset.schema,
            warnings: dataset.warnings,
            index: Ids::Table(dataset.index),
            opened_from: None,
            by_kind: std::sync::OnceLock::new(),
        }
    }

    /// Returns why a part of the snapshot read on first use was refused (then the graph holds
    /// nothing in its place, and an answer that used it must not be given), or `None`.
    #[must_use]
    pub fn snapshot_damage(&self) -> Option<String> {
        self.opened_from.as_ref().and_then(|source| source.damage())
    }

    /// Reads every part of the snapshot still unread, as a server does before it answers.
    pub fn read_deferred(&self) {
        for file in &self.catalog.files {
            file.store.get();
        }
        self.relations.chunks().for_each(drop);
        self.ends.chunks().for_each(drop);
    }

    /// Returns the adjacency arrays that searches walk.
    #[must_use]
    pub fn adjacency(&self) -> &Adjacency {
        &self.adjacency
    }

    /// Returns every entity's node, in input order.
    pub fn node_indices(&self) -> impl ExactSizeIterator<Item = NodeIndex> + use<> {
        (0..self.entities.len()).map(NodeIndex::new)
    }

    /// Returns every relation's edge, in input order.
    pub fn edge_indices(&self) -> impl ExactSizeIterator<Item = EdgeIndex> + use<> {
        (0..self.relations.len()).map(EdgeIndex::new)
    }

    /// Returns every entity, in input order (node `i` is the `i`-th).
    #[must_use]
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Returns every relation, in input order (edge `j` is the `j`-th).
    pub fn relations(&self) -> impl Iterator<Item = &Relation> {
        self.relations.iter()
    }

    /// Returns every relation's `[from, to]` node positions, in input order.
    pub fn ends(&self) -> impl Iterator<Item = &[u32; 2]> {
        self.ends.iter()
    }

    /// Returns the relations of `node` in `direction` (`Outgoing`: it is the `from`), in input
    /// order, each with the node at its other end; a self-loop is listed both ways.
    pub fn edges_directed(
        &self,
        node: NodeIndex,
        direction: Direction,
    ) -> impl ExactSizeIterator<Item = (EdgeIndex, NodeIndex)> + '_ {
        let node = u32::try_from(node.index()).expect("node indices are u32");
        let links = match direction {
            Direction::Outgoing => self.adjacency.outgoing(node),
            Direction::Incoming => self.adjacency.incoming(node),
        };
        links.iter().map(|&Link { node, edge }| {
            (EdgeIndex::new(edge as usize), NodeIndex::new(node as usize))
        })
    }

    /// Returns the number of relations `node` takes part in, each counted once (a self-loop
    /// too): its degree in `ties stats` and the explorer.
    #[must_use]
    pub fn degree(&self, node: NodeIndex) -> usize {
        let at = u32::try_from(node.index()).expect("node indices are u32");
        let loops = self
            .adjacency
            .outgoing(at)
            .iter()
            .filter(|link| link.node == at)
            .count();
        self.adjacency.degree(at) - loops
    }

    /// Returns the node of the entity with this exact id.
    #[must_use]
    pub fn node_by_id(&self, id: &str) -> Option<NodeIndex> {
        let position = match &self.index {
            Ids::Table(table) => table.get(id),
            Ids::Hashed(hashed) => hashed.find(id, |p| self.id(NodeIndex::new(p as usize)) == id),
        };
        position.map(|p| NodeIndex::new(p as usize))
    }

    /// Returns the entity at `node`.
    #[must_use]
    pub fn entity(&self, node: NodeIndex) -> &Entity {
        &self.entities[node.index()]
    }

    /// Returns the relation at `edge`.
    #[must_use]
    pub fn relation(&self, edge: EdgeIndex) -> &Relation {
        self.relations.get(edge.index())
    }

    /// Returns the id of the entity at `node`.
    #[must_use]
    pub fn id(&self, node: NodeIndex) -> &str {
        self.catalog.entity_id(self.entity(node))
    }

    /// Returns the display name of the entity at `node`.
    #[must_use]
    pub fn name(&self, node: NodeIndex) -> &str {
        self.catalog.entity_name(self.entity(node))
    }

    /// Returns the kind name of the entity at `node`.
    #[must_use]
    pub fn kind(&self, node: NodeIndex) -> &str {
        self.catalog.kind_name(self.entity(node).kind)
    }

    /// Returns the entities of kind number `kind`, in input order (none for a kind the
    /// graph does not have). The lists are made on first use, in one pass.
    #[must_use]
    pub fn entities_of_kind(&self, kind: usize) -> &[u32] {
        let by_kind = self.by_kind.get_or_init(|| {
            let mut by_kind = vec![Vec::new(); self.catalog.kinds.len()];
            for (index, entity) in self.entities.iter().enumerate() {
                let index = u32::try_from(index).expect("petgraph indices are u32");
                by_kind[usize::from(entity.kind)].push(index);
            }
            by_kind
        });
        by_kind.get(kind).map_or(&[], Vec::as_slice)
    }

    /// Returns which kinds a label disjunction allows, by kind number (`None`: all): a kind
    /// name, its `ties.toml` label, or `Entity` (every entity, as in the exported databases).
    #[must_use]
    pub fn kinds_labelled(&self, labels: &[String]) -> Option<Vec<bool>> {
        if labels.is_empty() || labels.iter().any(|l| l == "Entity") {
            return None;
        }
        let allowed = |kind: &String| {
            labels
                .iter()
                .any(|l| l == kind || self.style.kind_label(kind) == l)
        };
        Some(self.catalog.kinds.iter().map(allowed).collect())
    }

    /// Returns how many entities are of the kinds `kinds` allows ([`Self::kinds_labelled`];
    /// `None`: all).
    #[must_use]
    pub fn entities_in(&self, kinds: Option<&[bool]>) -> usize {
        match kinds {
            None => self.entity_count(),
            Some(kinds) => (0..kinds.len())
                .filter(|&kind| kinds[kind])
                .map(|kind| self.entities_of_kind(kind).len())
                .sum(),
        }
    }

    /// Returns the type name of the relation at `edge`.
    #[must_use]
    pub fn rel_type(&self, edge: EdgeIndex) -> &str {
        self.catalog.rel_type_name(self.relation(edge).rel_type)
    }

    /// Returns the endpoints of `edge` in stored direction.
    #[must_use]
    pub fn endpoints(&self, edge: EdgeIndex) -> (NodeIndex, NodeIndex) {
        let [from, to] = *self.ends.get(edge.index());
        (NodeIndex::new(from as usize), NodeIndex::new(to as usize))
    }

    /// Returns the number of entities.
    #[must_use]
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// Returns the number of relations.
    #[must_use]
    pub fn relation_count(&self) -> usize {
        self.relations.len()
    }

    /// Returns the relation's id in every output: `e<N>`, `N` its input position.
    #[must_use]
    pub fn relation_id(edge: EdgeIndex) -> RelationId {
        RelationId(edge)
    }

    /// Returns where a relation was stated: `path:line`.
    #[must_use]
    pub fn relation_origin(&self, edge: EdgeIndex) -> String {
        let origin = self.relation(edge).origin();
        format!("{}:{}", self.catalog.file_path(origin.file), origin.line)
    }

    /// Returns `path:line` of the relation at `edge` with the path inside the data folder
    /// (`relations/visits.csv:5`): what pages and exports show, never the machine's paths.
    #[must_use]
    pub fn relation_place(&self, edge: EdgeIndex) -> String {
        let origin = self.relation(edge).origin();
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
