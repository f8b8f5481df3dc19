//! Path search: one shortest, all shortest, k shortest simple paths, by hops or by weight.
//!
//! # Semantics
//! - Relations are walked both ways unless [`Filter::directed`]; a path still lists each
//!   relation in its stored direction.
//! - Paths are *simple* (no entity twice) and identified by their relation sequence, so
//!   parallel relations give distinct paths. Cypher matches *trails* (no relation twice, but
//!   entities may repeat); for shortest paths the two agree, for `-k` they can differ.
//! - Among paths of equal length (or weight), the order is the lexicographic order of their
//!   relation indices (input order), so every answer is deterministic.
//! - Kind and exclusion filters apply to inner entities only; `from` and `to` are always
//!   allowed.
//!
//! # Algorithms
//! Unweighted searches run a layered bidirectional breadth-first search that expands the
//! smaller frontier, stops at the first layer where the two balls meet, and then rebuilds the
//! DAG of every shortest path from the two distance maps (so `--all` and the tie order come
//! for free). Weighted searches run Dijkstra (over `(entity, hops)` states when a hop limit
//! is set). `-k` runs Yen's algorithm on top of either. Scratch distance arrays are stamped
//! and reused across queries, so a query allocates only for what it visits.

use petgraph::graph::{EdgeIndex, NodeIndex};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::graph::KnowledgeGraph;
use crate::graph::adjacency::Adjacency;
use crate::query::filter::Filter;

mod bfs;
mod chrono;
mod weighted;

/// What to search for.
#[derive(Debug, Clone)]
pub struct PathQuery {
    /// Which relations and inner entities may be used, and the direction.
    pub filter: Filter,
    /// No path longer than this many relations.
    pub max_hops: Option<usize>,
    /// Minimise the total `weight` (missing = 1) instead of the number of relations.
    pub weighted: bool,
    /// One, all, or k paths.
    pub mode: PathMode,
}

/// How many paths to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathMode {
    /// The first shortest path in tie order.
    Shortest,
    /// Every shortest path, up to `limit`.
    AllShortest {
        /// Stop after this many paths.
        limit: usize,
    },
    /// The `k` shortest simple paths, in order.
    KShortest(usize),
    /// One shortest path whose relations were in force one after another
    /// (see the `chrono` module).
    Chronological,
}

/// A path: entities in order and the relations between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The entities, from `from` to `to`; one more than `edges`.
    pub nodes: Vec<NodeIndex>,
    /// The relations, in path order (each keeps its stored direction in the graph).
    pub edges: Vec<EdgeIndex>,
    /// The total weight, for weighted searches.
    pub weight: Option<f64>,
}

impl Path {
    /// Returns the number of relations.
    #[must_use]
    pub fn len(&self) -> usize {
        self.edges.len()
    }

    /// Returns whether the path has no relation (`from` = `to`).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }
}

/// Why a search could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// A weighted search met a negative weight.
    #[error("relation at {origin} has negative weight {weight}; weighted search needs weights ≥ 0")]
    NegativeWeight {
        /// `path:line` of the relation.
        origin: String,
        /// The weight.
        weight: f64,
    },
}

/// A search state: an entity and, for hop-limited weighted search, the hops used to reach it
/// (for breadth-first search, its distance from the start).
type State = (u32, u32);

/// The shortest paths between two entities, as a DAG over search states.
struct Dag {
    kind: DagKind,
    source: State,
    target: u32,
}

enum DagKind {
    /// Breadth-first: entities on a shortest path carry `(generation, position)` marks.
    Marked { generation: u32 },
    /// Dijkstra: the tight relations out of each state.
    Tight(FxHashMap<State, Vec<(u32, State)>>),
}

/// A depth-first enumeration frame: a state, the next choice, and the choices.
type Frame = (State, usize, Vec<(u32, State)>);

/// Reusable search state over one graph.
pub struct PathSearch<'g> {
    kg: &'g KnowledgeGraph,
    adjacency: &'g Adjacency,
    generation: u32,
    forward: Vec<(u32, u32)>,
    backward: Vec<(u32, u32)>,
    marks: Vec<(u32, u32)>,
}

/// Extra restrictions used inside Yen's algorithm.
#[derive(Default)]
struct Blocked {
    nodes: FxHashSet<u32>,
    edges: FxHashSet<u32>,
}

impl<'g> PathSearch<'g> {
    /// Returns a searcher over `kg` using its prebuilt `adjacency`.
    #[must_use]
    pub fn new(kg: &'g KnowledgeGraph, adjacency: &'g Adjacency) -> Self {
        let n = kg.entity_count();
        PathSearch {
            kg,
            adjacency,
            generation: 0,
            forward: vec![(0, 0); n],
            backward: vec![(0, 0); n],
            marks: vec![(0, 0); n],
        }
    }

    /// Finds paths from `from` to `to`.
    ///
    /// # Arguments
    /// `query` sets the filter, hop limit, weighting and how many paths.
    ///
    /// # Returns
    /// The paths in order (by length or weight, ties by relation order); empty when none.
    ///
    /// # Complexity
    /// Unweighted: O(b) where b is the number of links in the two search balls, usually far
    /// below the graph size. Weighted: O((n + m) log n) over the explored part. `-k`: k times
    /// the path length times one search.
    ///
    /// # Example
    /// ```
    /// use ties::graph::KnowledgeGraph;
    /// use ties::query::{filter::Filter, path::*};
    ///
    /// let kg = KnowledgeGraph::from_csv(
    ///     &[("countries", "id,name\nkz,Kazakhstan\nil,Israel\nus,United States\n")],
    ///     &[("ties", "from,type,to\nkz,trades_with,il\nus,recognised,il\n")],
    ///     None,
    /// )?;
    /// let mut search = PathSearch::new(&kg, kg.adjacency());
    /// let query = PathQuery { filter: Filter::everything(), max_hops: None, weighted: false,
    ///                         mode: PathMode::Shortest };
    /// let (a, b) = (kg.resolve("kz")?, kg.resolve("United States")?);
    /// let paths = search.search(a, b, &query)?;
    /// assert_eq!(paths[0].len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`PathError::NegativeWeight`] in a weighted search.
    pub fn search(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        query: &PathQuery,
    ) -> Result<Vec<Path>, PathError> {
        let (s, t) = (index(from), index(to));
        let hop_limit = query.max_hops.map(|h| u32::try_from(h).unwrap_or(u32::MAX));
        match query.mode {
            PathMode::Shortest => Ok(self
                .dag(s, t, query, &Blocked::default(), hop_limit)?
                .map_or_else(Vec::new, |dag| {
                    self.enumerate(&dag, query, &Blocked::default(), 1)
                })),
            PathMode::AllShortest { limit } => Ok(self
                .dag(s, t, query, &Blocked::default(), hop_limit)?
                .map_or_else(Vec::new, |dag| {
                    self.enumerate(&dag, query, &Blocked::default(), limit)
                })),
            PathMode::KShortest(k) => self.yen(s, t, query, k, hop_limit),
            PathMode::Chronological => Ok(self
                .chronological((from, to), &query.filter, query.max_hops)
                .into_iter()
                .collect()),
        }
    }

    fn next_generation(&mut self) -> u32 {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.forward.fill((0, 0));
            self.backward.fill((0, 0));
            self.marks.fill((0, 0));
            self.generation = 1;
        }
        self.generation
    }

    fn edge_allowed(&self, query: &PathQuery, blocked: &Blocked, edge: u32) -> bool {
        edge_allowed(self.kg, query, blocked, edge)
    }

    /// Returns whether a walk may enter `node` on its way between the endpoints.
    fn can_enter(
        &self,
        query: &PathQuery,
        blocked: &Blocked,
        node: u32,
        endpoints: (u32, u32),
    ) -> bool {
        if node == endpoints.0 || node == endpoints.1 {
            return true;
        }
        if !blocked.nodes.is_empty() && blocked.nodes.contains(&node) {
            return false;
        }
        let node = NodeIndex::new(node as usize);
        !query.filter.filters_entities() || query.filter.allows_inner(node, self.kg.entity(node))
    }

    fn weight_of(&self, edge: u32) -> Result<f64, PathError> {
        let relation = self.kg.relation(EdgeIndex::new(edge as usize));
        let weight = relation.weight().unwrap_or(1.0);
        if weight < 0.0 {
            return Err(PathError::NegativeWeight {
                origin: self.kg.relation_origin(EdgeIndex::new(edge as usize)),
                weight,
            });
        }
        Ok(weight)
    }

    fn dag(
        &mut self,
        s: u32,
        t: u32,
        query: &PathQuery,
        blocked: &Blocked,
        hop_limit: Option<u32>,
    ) -> Result<Option<Dag>, PathError> {
        if s == t {
            return Ok(Some(Dag {
                kind: DagKind::Tight(FxHashMap::default()),
                source: (s, 0),
                target: t,
            }));
        }
        if query.weighted {
            self.dijkstra_dag(s, t, query, blocked, hop_limit)
        } else {
            Ok(self.bfs_dag(s, t, query, blocked, hop_limit))
        }
    }

    /// Returns the relations from `state` to the next state on a shortest path, in edge order.
    fn successors(
        &self,
        dag: &Dag,
        query: &PathQuery,
        blocked: &Blocked,
        state: State,
    ) -> Vec<(u32, State)> {
        let mut next: Vec<(u32, State)> = match &dag.kind {
            DagKind::Tight(succ) => succ.get(&state).cloned().unwrap_or_default(),
            DagKind::Marked { generation } => {
                let (v, position) = state;
                self.adjacency
                    .forward(v, query.filter.directed)
                    .filter(|link| {
                        self.marks[link.node as usize] == (*generation, position + 1)
                            && self.edge_allowed(query, blocked, link.edge)
                    })
                    .map(|link| (link.edge, (link.node, position + 1)))
                    .collect()
            }
        };
        next.sort_unstable();
        next.dedup();
        next
    }

    /// Lists up to `limit` simple paths through the DAG in relation order.
    fn enumerate(
        &self,
        dag: &Dag,
        query: &PathQuery,
        blocked: &Blocked,
        limit: usize,
    ) -> Vec<Path> {
        let weighted = query.weighted;
        let mut paths = Vec::new();
        let mut nodes = vec![dag.source.0];
        let mut edges: Vec<u32> = Vec::new();
        let mut on_path: FxHashSet<u32> = FxHashSet::default();
        on_path.insert(dag.source.0);
        // An explicit stack of (state, next choice) keeps deep paths off the call stack.
        if dag.source.0 == dag.target {
            return vec![self.make_path(&nodes, &edges, weighted)];
        }
        let mut stack: Vec<Frame> = vec![(
            dag.source,
            0,
            self.successors(dag, query, blocked, dag.source),
        )];
        while let Some((state, choice, options)) = stack.pop() {
            if choice >= options.len() {
                // Backtrack.
                if stack.is_empty() {
                    break;
                }
                on_path.remove(&nodes.pop().expect("a node per stack entry"));
                edges.pop();
                continue;
            }
            let (edge, next) = options[choice];
            stack.push((state, choice + 1, options));
            if on_path.contains(&next.0) {
                continue;
            }
            nodes.push(next.0);
            edges.push(edge);
            if next.0 == dag.target {
                paths.push(self.make_path(&nodes, &edges, weighted));
                nodes.pop();
                edges.pop();
                if paths.len() >= limit {
                    break;
                }
                continue;
            }
            on_path.insert(next.0);
            let options = self.successors(dag, query, blocked, next);
            stack.push((next, 0, options));
        }
        paths
    }

    fn make_path(&self, nodes: &[u32], edges: &[u32], weighted: bool) -> Path {
        let weight = weighted.then(|| {
            edges
                .iter()
                .map(|&e| {
                    self.kg
                        .relation(EdgeIndex::new(e as usize))
                        .weight()
                        .unwrap_or(1.0)
                })
                .sum()
        });
        Path {
            nodes: nodes.iter().map(|&v| NodeIndex::new(v as usize)).collect(),
            edges: edges.iter().map(|&e| EdgeIndex::new(e as usize)).collect(),
            weight,
        }
    }

    fn first_path(
        &mut self,
        s: u32,
        t: u32,
        query: &PathQuery,
        blocked: &Blocked,
        hop_limit: Option<u32>,
    ) -> Result<Option<Path>, PathError> {
        Ok(self
            .dag(s, t, query, blocked, hop_limit)?
            .and_then(|dag| self.enumerate(&dag, query, blocked, 1).pop()))
    }

    /// Yen's algorithm: each next path deviates from an earlier one at some spur entity.
    fn yen(
        &mut self,
        s: u32,
        t: u32,
        query: &PathQuery,
        k: usize,
        hop_limit: Option<u32>,
    ) -> Result<Vec<Path>, PathError> {
        let mut accepted: Vec<Path> = Vec::new();
        if k == 0 {
            return Ok(accepted);
        }
        let Some(first) = self.first_path(s, t, query, &Blocked::default(), hop_limit)? else {
            return Ok(accepted);
        };
        accepted.push(first);
        let mut candidates: Vec<(f64, Path)> = Vec::new();
        while accepted.len() < k {
            let previous = accepted.last().expect("at least one accepted").clone();
            for i in 0..previous.edges.len() {
                let spur = index(previous.nodes[i]);
                let root_edges = &previous.edges[..i];
                let mut blocked = Blocked::default();
                for path in &accepted {
                    if path.edges.len() > i && path.edges[..i] == *root_edges {
                        blocked.edges.insert(index_edge(path.edges[i]));
                    }
                }
                blocked
                    .nodes
                    .extend(previous.nodes[..i].iter().map(|&v| index(v)));
                let spur_limit = match hop_limit {
                    Some(limit) => match limit.checked_sub(u32::try_from(i).unwrap_or(u32::MAX)) {
                        Some(rest) if rest > 0 => Some(rest),
                        _ => continue,
                    },
                    None => None,
                };
                let Some(spur_path) = self.first_path(spur, t, query, &blocked, spur_limit)? else {
                    continue;
                };
                let mut nodes = previous.nodes[..i].to_vec();
                nodes.extend(&spur_path.nodes);
                let mut edges = root_edges.to_vec();
                edges.extend(&spur_path.edges);
                let raw_nodes: Vec<u32> = nodes.iter().map(|&v| index(v)).collect();
                let raw_edges: Vec<u32> = edges.iter().map(|&e| index_edge(e)).collect();
                let path = self.make_path(&raw_nodes, &raw_edges, query.weighted);
                if accepted.iter().any(|p| p.edges == path.edges)
                    || candidates.iter().any(|(_, p)| p.edges == path.edges)
                {
                    continue;
                }
                let cost = path.weight.unwrap_or_else(|| {
                    f64::from(u32::try_from(path.edges.len()).unwrap_or(u32::MAX))
                });
                candidates.push((cost, path));
            }
            let Some(best) = (0..candidates.len()).min_by(|&a, &b| {
                let (ca, pa) = &candidates[a];
                let (cb, pb) = &candidates[b];
                ca.total_cmp(cb).then_with(|| pa.edges.cmp(&pb.edges))
            }) else {
                break;
            };
            accepted.push(candidates.swap_remove(best).1);
        }
        Ok(accepted)
    }
}

/// Returns whether a search may use `edge`: not blocked by Yen's algorithm, and allowed by the
/// filter.
fn edge_allowed(kg: &KnowledgeGraph, query: &PathQuery, blocked: &Blocked, edge: u32) -> bool {
    if !blocked.edges.is_empty() && blocked.edges.contains(&edge) {
        return false;
    }
    !query.filter.filters_relations()
        || query
            .filter
            .allows_relation(kg.relation(EdgeIndex::new(edge as usize)))
}

fn index(node: NodeIndex) -> u32 {
    u32::try_from(node.index()).expect("petgraph indices are u32")
}

fn index_edge(edge: EdgeIndex) -> u32 {
    u32::try_from(edge.index()).expect("petgraph indices are u32")
}

/// Equal costs may differ in the last bits when summed along different routes.
fn tolerance(cost: f64) -> f64 {
    1e-9 * cost.abs().max(1.0)
}
