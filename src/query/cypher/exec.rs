//! Runs a parsed query over the graph.
//!
//! Clauses run in order over a table of rows. `MATCH` binds patterns with Neo4j's semantics:
//! within one `MATCH` a relationship is bound at most once (trail semantics), parallel
//! relationships are distinct matches, undirected patterns return each relationship in its
//! stored direction. A pattern starts from its most selective end: a bound variable, an `id`
//! given in the pattern or as `WHERE v.id = ...`, else the entities of its label; it never
//! scans the graph when an end is bound, and stops early when a `LIMIT` allows it.
//! Shortest-path patterns run on the path engine of `ties path`.

use std::collections::BTreeMap;

use petgraph::graph::{EdgeIndex, NodeIndex};
use rustc_hash::FxHashMap;

use crate::graph::KnowledgeGraph;
use crate::model::date::PartialDate;
use crate::query::adjacency::{Adjacency, StepLinks};
use crate::query::cypher::ast::{
    BinaryOp, Clause, Direction, Expr, ExprKind, Literal, Match, NodePattern, PathPattern,
    Projection, Query, RelPattern, Selector,
};
use crate::query::cypher::error::{CypherError, Span};
use crate::query::cypher::limits::{Limits, Meter};
use crate::query::cypher::value::{Comparison, PathValue, Value, int_to_float};
use crate::query::filter::{Filter, FilterSpec};
use crate::query::path::{PathMode, PathQuery, PathSearch};

/// The hop limit applied to `*` without an upper bound (and said in a notice).
pub const DEFAULT_MAX_HOPS: usize = 8;

/// How many paths `allShortestPaths` returns at most per pair.
const ALL_SHORTEST_LIMIT: usize = 10_000;

/// The answer to a query.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    /// Column names, as `RETURN` names them.
    pub columns: Vec<String>,
    /// Rows, one value per column.
    pub rows: Vec<Vec<Value>>,
    /// Things the user should know (an unbounded `*` was capped).
    pub notices: Vec<String>,
}

/// The query engine over one graph.
pub struct Engine<'g> {
    kg: &'g KnowledgeGraph,
    adjacency: &'g Adjacency,
    params: BTreeMap<String, Value>,
    notices: std::cell::RefCell<Vec<String>>,
    /// The path engine's scratch arrays, made on the first shortest-path pattern and reused.
    search: std::cell::RefCell<Option<PathSearch<'g>>>,
    /// Time and rows spent against the query's [`Limits`].
    meter: Meter,
}

struct Table {
    names: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// A pattern ready to match: slots for its variables, maybe reversed to start at its bound end.
struct Plan<'q> {
    pattern: &'q PathPattern,
    /// Nodes in matching order (reversed when `reversed`).
    nodes: Vec<&'q NodePattern>,
    /// Relationships in matching order, with their direction as walked.
    rels: Vec<(&'q RelPattern, Direction)>,
    node_slots: Vec<Option<usize>>,
    rel_slots: Vec<Option<usize>>,
    path_slot: Option<usize>,
    reversed: bool,
}

/// The state while matching one `MATCH`.
struct State {
    row: Vec<Value>,
    /// Slots below this were bound by earlier clauses (a null there matches nothing).
    prebound: usize,
    used: Vec<EdgeIndex>,
    path_nodes: Vec<NodeIndex>,
    path_edges: Vec<EdgeIndex>,
}

impl State {
    /// Walks `edge` to `node`: the relationship is used and both join the path.
    fn enter(&mut self, edge: EdgeIndex, node: NodeIndex) {
        self.used.push(edge);
        self.path_nodes.push(node);
        self.path_edges.push(edge);
    }

    /// Takes back the last [`State::enter`].
    fn leave(&mut self) {
        self.used.pop();
        self.path_nodes.pop();
        self.path_edges.pop();
    }
}

type Rows = Vec<Vec<Value>>;

/// Where a variable-length expansion stands: pattern, step, and its bounds.
#[derive(Clone, Copy)]
struct Hops {
    index: usize,
    step: usize,
    min: usize,
    max: usize,
}

/// What every step of matching one `MATCH` shares.
struct Matching<'a, 'q> {
    /// The patterns of the clause, planned.
    plans: &'a [Plan<'q>],
    /// The variables of a row.
    names: &'a [String],
    /// The clause's `WHERE`, checked on each complete match.
    filter: Option<&'a Expr>,
    /// `WHERE v.id = ...` equalities that can start a pattern.
    anchors: &'a FxHashMap<String, Expr>,
    /// Stop after this many rows.
    budget: Option<usize>,
    /// The clause's patterns: where its limit errors point, whichever step hit the limit.
    span: Span,
}

/// Where the rows of a `MATCH` go.
enum Sink<'p> {
    /// A table for the next clause.
    Rows(Rows),
    /// The groups of the aggregating projection that follows.
    Groups(Grouping<'p>),
}

/// A sink and how many rows went into it, which `LIMIT` and `OPTIONAL MATCH` read.
struct Output<'p> {
    sink: Sink<'p>,
    produced: usize,
}

/// A projected row and the row it came from.
type RowPair = (Vec<Value>, Vec<Value>);

impl<'g> Engine<'g> {
    /// Returns an engine over `kg` with its search `adjacency` and the query parameters.
    #[must_use]
    pub fn new(
        kg: &'g KnowledgeGraph,
        adjacency: &'g Adjacency,
        params: BTreeMap<String, Value>,
    ) -> Self {
        Engine {
            kg,
            adjacency,
            params,
            notices: std::cell::RefCell::new(Vec::new()),
            search: std::cell::RefCell::new(None),
            meter: Meter::start(Limits::default()),
        }
    }

    /// Bounds the queries this engine runs by `limits` (else [`Limits::default`]); the clock
    /// starts now.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.meter = Meter::start(limits);
        self
    }

    /// Runs `query`.
    ///
    /// # Errors
    /// Semantic errors (unknown variable, missing parameter, wrong argument type), with spans.
    pub fn run(&self, query: &Query) -> Result<QueryResult, CypherError> {
        let mut table = Table {
            names: Vec::new(),
            rows: vec![Vec::new()],
        };
        let mut columns = Vec::new();
        let mut i = 0;
        while i < query.clauses.len() {
            let next = query.clauses.get(i + 1);
            table = match (&query.clauses[i], next) {
                // A MATCH feeds an aggregating projection straight into its groups, so
                // `count(*)` over any number of matches holds no row.
                (Clause::Match(m), Some(Clause::With(p) | Clause::Return(p)))
                    if p.items.iter().any(|item| item.expr.has_aggregate()) =>
                {
                    i += 1;
                    self.run_match(table, m, None, Some(p))?
                }
                (Clause::Match(m), _) => self.run_match(table, m, self.row_budget(next)?, None)?,
                (Clause::Unwind { expr, alias }, _) => self.run_unwind(table, expr, alias)?,
                (Clause::With(p) | Clause::Return(p), _) => self.run_projection(table, p)?,
            };
            if let Clause::Return(_) = &query.clauses[i] {
                columns.clone_from(&table.names);
            }
            i += 1;
        }
        Ok(QueryResult {
            columns,
            rows: table.rows,
            notices: self.notices.take(),
        })
    }

    /// Returns how many rows a `MATCH` needs when the next clause only takes the first ones.
    fn row_budget(&self, next: Option<&Clause>) -> Result<Option<usize>, CypherError> {
        let Some(Clause::Return(p) | Clause::With(p)) = next else {
            return Ok(None);
        };
        let plain = !p.distinct
            && p.order.is_empty()
            && p.filter.is_none()
            && !p.items.iter().any(|i| i.expr.has_aggregate());
        match (&p.limit, plain) {
            (Some(limit), true) => {
                let skip = match &p.skip {
                    Some(skip) => self.count_expr(skip, "SKIP")?,
                    None => 0,
                };
                Ok(Some(skip + self.count_expr(limit, "LIMIT")?))
            }
            _ => Ok(None),
        }
    }

    fn count_expr(&self, expr: &Expr, what: &str) -> Result<usize, CypherError> {
        match self.eval(expr, &[], &[])? {
            Value::Int(n) if n >= 0 => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
            other => Err(CypherError::semantic(
                expr.span,
                format!(
                    "{what} takes a non-negative integer, not {}",
                    other.type_name()
                ),
            )),
        }
    }

    // ---- MATCH ----------------------------------------------------------------------------

    /// Runs a `MATCH`; with `aggregate_into`, also the aggregating projection that follows,
    /// fed row by row.
    fn run_match(
        &self,
        table: Table,
        clause: &Match,
        budget: Option<usize>,
        aggregate_into: Option<&Projection>,
    ) -> Result<Table, CypherError> {
        let mut names = table.names.clone();
        for pattern in &clause.patterns {
            for name in pattern_variables(pattern) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        let anchors = clause
            .filter
            .as_ref()
            .map(id_equalities)
            .unwrap_or_default();
        let plans: Vec<Plan<'_>> = clause
            .patterns
            .iter()
            .map(|p| Self::plan(p, &names, &table.names, &anchors))
            .collect::<Result<_, _>>()?;
        if let Some(filter) = &clause.filter {
            check_variables(filter, &names)?;
        }
        let span = clause
            .patterns
            .iter()
            .map(|p| p.span)
            .reduce(Span::to)
            .unwrap_or_default();
        let mut out = Output {
            sink: match aggregate_into {
                Some(projection) => Sink::Groups(Grouping::new(projection, &names)?),
                None => Sink::Rows(Vec::new()),
            },
            produced: 0,
        };
        for row in table.rows {
            let mut state = State {
                row: row
                    .iter()
                    .cloned()
                    .chain(std::iter::repeat_n(Value::Null, names.len() - row.len()))
                    .collect(),
                prebound: row.len(),
                used: Vec::new(),
                path_nodes: Vec::new(),
                path_edges: Vec::new(),
            };
            let before = out.produced;
            let remaining = budget.map(|b| b.saturating_sub(out.produced));
            self.match_pattern(
                &Matching {
                    plans: &plans,
                    names: &names,
                    filter: clause.filter.as_ref(),
                    anchors: &anchors,
                    budget: remaining,
                    span,
                },
                0,
                &mut state,
                &mut out,
            )?;
            if out.produced == before && clause.optional {
                let mut padded = row;
                padded.resize(names.len(), Value::Null);
                self.emit(&mut out, &names, padded, span)?;
            }
            if budget.is_some_and(|b| out.produced >= b) {
                break;
            }
        }
        match (out.sink, aggregate_into) {
            (Sink::Groups(grouping), Some(projection)) => {
                let (out_names, _) = projection_columns(&names, projection)?;
                let rows = self.finish_groups(grouping, &names)?;
                self.finish_projection(&names, projection, out_names, rows, true)
            }
            (Sink::Rows(mut rows), _) => {
                rows.truncate(budget.unwrap_or(usize::MAX));
                Ok(Table { names, rows })
            }
            (Sink::Groups(_), None) => unreachable!("groups are made only for a projection"),
        }
    }

    /// Puts one matched row where the clause's rows go, within the row budget.
    fn emit(
        &self,
        out: &mut Output<'_>,
        names: &[String],
        row: Vec<Value>,
        span: Span,
    ) -> Result<(), CypherError> {
        out.produced += 1;
        match &mut out.sink {
            Sink::Rows(rows) => {
                rows.push(row);
                self.meter
                    .hold(Limits::table_bytes(rows.len(), names.len()), span)
            }
            Sink::Groups(grouping) => grouping.add(self, names, row),
        }
    }

    fn plan<'q>(
        pattern: &'q PathPattern,
        names: &[String],
        bound: &[String],
        anchors: &FxHashMap<String, Expr>,
    ) -> Result<Plan<'q>, CypherError> {
        for (rel, _) in &pattern.steps {
            if let (Some(_), Some(variable)) = (rel.length, &rel.variable)
                && bound.contains(variable)
            {
                return Err(CypherError::semantic(
                    rel.span,
                    format!(
                        "`{variable}` is already bound; a variable-length relationship needs a new variable"
                    ),
                ));
            }
        }
        for node in std::iter::once(&pattern.start).chain(pattern.steps.iter().map(|(_, n)| n)) {
            for (_, expr) in &node.properties {
                check_variables(expr, names)?;
            }
        }
        let anchored = |node: &NodePattern| {
            node.properties.iter().any(|(k, _)| k == "id")
                || node
                    .variable
                    .as_ref()
                    .is_some_and(|v| bound.contains(v) || anchors.contains_key(v))
        };
        let last = pattern.steps.last().map(|(_, n)| n);
        let reversed =
            pattern.selector.is_none() && !anchored(&pattern.start) && last.is_some_and(anchored);
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
        let slot = |v: &Option<String>| v.as_ref().and_then(|v| names.iter().position(|n| n == v));
        Ok(Plan {
            pattern,
            node_slots: nodes.iter().map(|n| slot(&n.variable)).collect(),
            rel_slots: rels.iter().map(|(r, _)| slot(&r.variable)).collect(),
            path_slot: slot(&pattern.variable),
            nodes,
            rels,
            reversed,
        })
    }

    fn match_pattern(
        &self,
        m: &Matching<'_, '_>,
        index: usize,
        state: &mut State,
        out: &mut Output<'_>,
    ) -> Result<(), CypherError> {
        if m.budget.is_some_and(|b| out.produced >= b) {
            return Ok(());
        }
        let Some(plan) = m.plans.get(index) else {
            let keep = match m.filter {
                Some(filter) => truthy(&self.eval(filter, m.names, &state.row)?),
                None => true,
            };
            if keep {
                self.emit(out, m.names, state.row.clone(), m.span)?;
            }
            return Ok(());
        };
        if plan.pattern.selector.is_some() {
            return self.match_shortest(m, index, state, out);
        }
        let candidates =
            self.candidates(plan.nodes[0], plan.node_slots[0], state, m.names, m.anchors)?;
        for node in candidates {
            self.meter.tick(m.span)?;
            if !self.node_fits(plan.nodes[0], plan.node_slots[0], node, state, m.names)? {
                continue;
            }
            let saved = bind(&mut state.row, plan.node_slots[0], Value::Node(node));
            state.path_nodes.clear();
            state.path_edges.clear();
            state.path_nodes.push(node);
            self.match_step(m, index, 0, node, state, out)?;
            unbind(&mut state.row, plan.node_slots[0], saved);
            if m.budget.is_some_and(|b| out.produced >= b) {
                break;
            }
        }
        Ok(())
    }

    /// Returns the entities a pattern may start from, most selective source first.
    fn candidates(
        &self,
        node: &NodePattern,
        slot: Option<usize>,
        state: &State,
        names: &[String],
        anchors: &FxHashMap<String, Expr>,
    ) -> Result<Vec<NodeIndex>, CypherError> {
        if let Some(slot) = slot {
            match &state.row[slot] {
                Value::Node(n) => return Ok(vec![*n]),
                Value::Null if slot < state.prebound => return Ok(Vec::new()),
                Value::Null => {}
                other => {
                    return Err(CypherError::semantic(
                        node.span,
                        format!("variable is a {}, not a node", other.type_name()),
                    ));
                }
            }
        }
        let id_expr = node
            .properties
            .iter()
            .find(|(k, _)| k == "id")
            .map(|(_, e)| e)
            .or_else(|| node.variable.as_ref().and_then(|v| anchors.get(v)));
        if let Some(expr) = id_expr {
            // A WHERE anchor may use variables bound later; fall back to a scan then.
            if let Ok(value) = self.eval(expr, names, &state.row) {
                return Ok(match value {
                    Value::Str(id) => self.kg.node_by_id(&id).into_iter().collect(),
                    _ => Vec::new(),
                });
            }
        }
        let kinds = self.kinds_of(&node.labels);
        Ok(self
            .kg
            .graph
            .node_indices()
            .filter(|&n| {
                kinds
                    .as_ref()
                    .is_none_or(|k| k[usize::from(self.kg.entity(n).kind)])
            })
            .collect())
    }

    /// Returns which kinds a label disjunction allows (`None` = all): a kind name, its
    /// `ties.toml` label, or `Entity` (every entity, as in the exported databases).
    fn kinds_of(&self, labels: &[String]) -> Option<Vec<bool>> {
        if labels.is_empty() || labels.iter().any(|l| l == "Entity") {
            return None;
        }
        Some(
            self.kg
                .catalog
                .kinds
                .iter()
                .map(|kind| {
                    labels
                        .iter()
                        .any(|l| l == kind || self.kg.style.kind_label(kind) == l)
                })
                .collect(),
        )
    }

    fn node_fits(
        &self,
        pattern: &NodePattern,
        slot: Option<usize>,
        node: NodeIndex,
        state: &State,
        names: &[String],
    ) -> Result<bool, CypherError> {
        if let Some(slot) = slot {
            match &state.row[slot] {
                Value::Node(bound) if *bound != node => return Ok(false),
                // Bound by an earlier clause to null (OPTIONAL MATCH) or to a non-node.
                Value::Null if slot < state.prebound => return Ok(false),
                Value::Node(_) | Value::Null => {}
                _ => return Ok(false),
            }
        }
        if let Some(kinds) = self.kinds_of(&pattern.labels)
            && !kinds[usize::from(self.kg.entity(node).kind)]
        {
            return Ok(false);
        }
        for (key, expr) in &pattern.properties {
            let want = self.eval(expr, names, &state.row)?;
            if self.node_property(node, key).equals(&want) != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn rel_fits(
        &self,
        pattern: &RelPattern,
        edge: EdgeIndex,
        state: &State,
        names: &[String],
    ) -> Result<bool, CypherError> {
        if state.used.contains(&edge) {
            return Ok(false);
        }
        if !pattern.types.is_empty() && !pattern.types.iter().any(|t| t == self.kg.rel_type(edge)) {
            return Ok(false);
        }
        for (key, expr) in &pattern.properties {
            let want = self.eval(expr, names, &state.row)?;
            if self.rel_property(edge, key).equals(&want) != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn links(&self, node: NodeIndex, direction: Direction) -> StepLinks<'g> {
        let v = u32::try_from(node.index()).expect("petgraph indices are u32");
        self.adjacency.step(
            v,
            direction == Direction::Outgoing,
            direction == Direction::Incoming,
        )
    }

    fn match_step(
        &self,
        m: &Matching<'_, '_>,
        index: usize,
        step: usize,
        at: NodeIndex,
        state: &mut State,
        out: &mut Output<'_>,
    ) -> Result<(), CypherError> {
        let plan = &m.plans[index];
        if step == plan.rels.len() {
            let path = path_value(plan, state);
            let saved = bind(&mut state.row, plan.path_slot, path);
            let (nodes, edges) = (state.path_nodes.clone(), state.path_edges.clone());
            self.match_pattern(m, index + 1, state, out)?;
            state.path_nodes = nodes;
            state.path_edges = edges;
            unbind(&mut state.row, plan.path_slot, saved);
            return Ok(());
        }
        let (rel, direction) = plan.rels[step];
        let next_pattern = plan.nodes[step + 1];
        let next_slot = plan.node_slots[step + 1];
        if let Some((min, max)) = rel.length {
            let max = max.unwrap_or_else(|| {
                self.notice(format!(
                    "an unbounded `*` was capped at {DEFAULT_MAX_HOPS} hops; write `*..N` to choose"
                ));
                DEFAULT_MAX_HOPS
            });
            return self.expand(
                m,
                Hops {
                    index,
                    step,
                    min,
                    max,
                },
                at,
                state,
                out,
            );
        }
        for link in self.links(at, direction) {
            self.meter.tick(m.span)?;
            let edge = EdgeIndex::new(link.edge as usize);
            let next = NodeIndex::new(link.node as usize);
            if !self.rel_fits(rel, edge, state, m.names)? {
                continue;
            }
            if let Some(slot) = plan.rel_slots[step]
                && let Value::Rel(bound) = &state.row[slot]
                && *bound != edge
            {
                continue;
            }
            let saved_rel = bind(&mut state.row, plan.rel_slots[step], Value::Rel(edge));
            if self.node_fits(next_pattern, next_slot, next, state, m.names)? {
                let saved_node = bind(&mut state.row, next_slot, Value::Node(next));
                state.used.push(edge);
                state.path_nodes.push(next);
                state.path_edges.push(edge);
                self.match_step(m, index, step + 1, next, state, out)?;
                state.path_nodes.pop();
                state.path_edges.pop();
                state.used.pop();
                unbind(&mut state.row, next_slot, saved_node);
            }
            unbind(&mut state.row, plan.rel_slots[step], saved_rel);
            if m.budget.is_some_and(|b| out.produced >= b) {
                break;
            }
        }
        Ok(())
    }

    /// Variable-length expansion: every trail of `min..=max` relationships from `start`,
    /// depth first with an explicit stack, so a trail of any length costs heap, not stack.
    fn expand(
        &self,
        m: &Matching<'_, '_>,
        hops: Hops,
        start: NodeIndex,
        state: &mut State,
        out: &mut Output<'_>,
    ) -> Result<(), CypherError> {
        let plan = &m.plans[hops.index];
        let (rel, direction) = plan.rels[hops.step];
        let mut walked: Vec<EdgeIndex> = Vec::new();
        self.arrive(m, hops, start, &walked, state, out)?;
        // One iterator of links per node on the trail: `stack.len() == walked.len() + 1`.
        let mut stack = Vec::new();
        if hops.max > 0 {
            stack.push(self.links(start, direction));
        }
        while m.budget.is_none_or(|b| out.produced < b) {
            let Some(links) = stack.last_mut() else {
                break;
            };
            let Some(link) = links.next() else {
                stack.pop();
                if walked.pop().is_some() {
                    state.leave();
                }
                continue;
            };
            self.meter.tick(m.span)?;
            let edge = EdgeIndex::new(link.edge as usize);
            if !self.rel_fits(rel, edge, state, m.names)? {
                continue;
            }
            let next = NodeIndex::new(link.node as usize);
            walked.push(edge);
            state.enter(edge, next);
            self.arrive(m, hops, next, &walked, state, out)?;
            if walked.len() < hops.max {
                stack.push(self.links(next, direction));
            } else {
                walked.pop();
                state.leave();
            }
        }
        for _ in walked {
            state.leave();
        }
        Ok(())
    }

    /// A variable-length trail `walked` reached `at`: when it is long enough and `at` fits
    /// the next node, match the rest of the pattern from there.
    fn arrive(
        &self,
        m: &Matching<'_, '_>,
        hops: Hops,
        at: NodeIndex,
        walked: &[EdgeIndex],
        state: &mut State,
        out: &mut Output<'_>,
    ) -> Result<(), CypherError> {
        let Hops {
            index, step, min, ..
        } = hops;
        let plan = &m.plans[index];
        let (next_pattern, next_slot) = (plan.nodes[step + 1], plan.node_slots[step + 1]);
        if walked.len() < min || !self.node_fits(next_pattern, next_slot, at, state, m.names)? {
            return Ok(());
        }
        let mut list: Vec<Value> = walked.iter().map(|&e| Value::Rel(e)).collect();
        if plan.reversed {
            list.reverse();
        }
        let saved_rel = bind(&mut state.row, plan.rel_slots[step], Value::List(list));
        let saved_node = bind(&mut state.row, next_slot, Value::Node(at));
        self.match_step(m, index, step + 1, at, state, out)?;
        unbind(&mut state.row, next_slot, saved_node);
        unbind(&mut state.row, plan.rel_slots[step], saved_rel);
        Ok(())
    }

    /// `shortestPath`, `allShortestPaths`, `ANY SHORTEST`, `ALL SHORTEST`, `SHORTEST k`.
    fn match_shortest(
        &self,
        m: &Matching<'_, '_>,
        index: usize,
        state: &mut State,
        out: &mut Output<'_>,
    ) -> Result<(), CypherError> {
        let plan = &m.plans[index];
        let pattern = plan.pattern;
        let (rel, end) = &pattern.steps[0];
        let (start_slot, end_slot) = (plan.node_slots[0], plan.node_slots[1]);
        let known: Vec<String> = rel
            .types
            .iter()
            .filter(|t| self.kg.catalog.rel_types.contains(t))
            .cloned()
            .collect();
        if !rel.types.is_empty() && known.is_empty() {
            return Ok(());
        }
        let spec = FilterSpec {
            rel_types: known,
            directed: rel.direction != Direction::Either,
            ..FilterSpec::default()
        };
        let mode = match pattern
            .selector
            .expect("only called for selective patterns")
        {
            Selector::AnyShortest => PathMode::Shortest,
            Selector::AllShortest => PathMode::AllShortest {
                limit: ALL_SHORTEST_LIMIT,
            },
            Selector::Shortest(k) => PathMode::KShortest(k),
        };
        let (min, max) = rel.length.unwrap_or((1, None));
        let query = PathQuery {
            filter: Filter::new(self.kg, &spec)
                .map_err(|err| CypherError::semantic(rel.span, err.to_string()))?,
            max_hops: max,
            weighted: false,
            mode,
        };
        let starts = self.candidates(&pattern.start, start_slot, state, m.names, m.anchors)?;
        let ends = self.candidates(end, end_slot, state, m.names, m.anchors)?;
        for &a in &starts {
            if !self.node_fits(&pattern.start, start_slot, a, state, m.names)? {
                continue;
            }
            let saved_a = bind(&mut state.row, start_slot, Value::Node(a));
            for &b in &ends {
                self.meter.tick(m.span)?;
                if !self.node_fits(end, end_slot, b, state, m.names)? || (a == b && min > 0) {
                    continue;
                }
                let (from, to) = if rel.direction == Direction::Incoming {
                    (b, a)
                } else {
                    (a, b)
                };
                // The borrow ends before recursing: nested patterns may search again.
                let paths = self
                    .search
                    .borrow_mut()
                    .get_or_insert_with(|| PathSearch::new(self.kg, self.adjacency))
                    .search(from, to, &query)
                    .map_err(|err| CypherError::semantic(rel.span, err.to_string()))?;
                for path in paths {
                    let (mut nodes, mut edges) = (path.nodes, path.edges);
                    if rel.direction == Direction::Incoming {
                        nodes.reverse();
                        edges.reverse();
                    }
                    if edges.iter().any(|e| state.used.contains(e)) {
                        continue;
                    }
                    let saved_b = bind(&mut state.row, end_slot, Value::Node(b));
                    let saved_rel = bind(
                        &mut state.row,
                        plan.rel_slots[0],
                        Value::List(edges.iter().map(|&e| Value::Rel(e)).collect()),
                    );
                    let saved_path = bind(
                        &mut state.row,
                        plan.path_slot,
                        Value::Path(PathValue {
                            nodes,
                            edges: edges.clone(),
                        }),
                    );
                    state.used.extend(&edges);
                    self.match_pattern(m, index + 1, state, out)?;
                    state.used.truncate(state.used.len() - edges.len());
                    unbind(&mut state.row, plan.path_slot, saved_path);
                    unbind(&mut state.row, plan.rel_slots[0], saved_rel);
                    unbind(&mut state.row, end_slot, saved_b);
                }
            }
            unbind(&mut state.row, start_slot, saved_a);
        }
        Ok(())
    }

    fn notice(&self, text: String) {
        let mut notices = self.notices.borrow_mut();
        if !notices.contains(&text) {
            notices.push(text);
        }
    }

    // ---- UNWIND, WITH, RETURN -----------------------------------------------------------

    fn run_unwind(&self, table: Table, expr: &Expr, alias: &str) -> Result<Table, CypherError> {
        check_variables(expr, &table.names)?;
        let alias_slot = table.names.iter().position(|n| n == alias);
        let mut out_names = table.names.clone();
        if alias_slot.is_none() {
            out_names.push(alias.to_owned());
        }
        let mut rows = Vec::new();
        for row in table.rows {
            let items = match self.eval(expr, &table.names, &row)? {
                Value::Null => Vec::new(),
                Value::List(items) => items,
                single => vec![single],
            };
            for item in items {
                self.meter.tick(expr.span)?;
                // Exactly as wide as the output row: the memory budget counts it so.
                let mut next = Vec::with_capacity(out_names.len());
                next.extend(row.iter().cloned());
                match alias_slot {
                    Some(slot) => next[slot] = item,
                    None => next.push(item),
                }
                rows.push(next);
                self.meter
                    .hold(Limits::table_bytes(rows.len(), out_names.len()), expr.span)?;
            }
        }
        Ok(Table {
            names: out_names,
            rows,
        })
    }

    fn run_projection(&self, table: Table, projection: &Projection) -> Result<Table, CypherError> {
        let (names, star_slots) = projection_columns(&table.names, projection)?;
        let aggregating = projection.items.iter().any(|i| i.expr.has_aggregate());
        let rows = if aggregating {
            let mut grouping = Grouping::new(projection, &table.names)?;
            for row in table.rows {
                self.meter.tick(grouping.span)?;
                grouping.add(self, &table.names, row)?;
            }
            self.finish_groups(grouping, &table.names)?
        } else {
            let span = projection_span(projection);
            let mut rows = Vec::with_capacity(table.rows.len());
            for row in table.rows {
                self.meter.tick(span)?;
                let mut out: Vec<Value> = star_slots.iter().map(|&s| row[s].clone()).collect();
                for item in &projection.items {
                    out.push(self.eval(&item.expr, &table.names, &row)?);
                }
                rows.push((out, row));
            }
            rows
        };
        self.finish_projection(&table.names, projection, names, rows, aggregating)
    }

    /// The output rows of each group: its key columns and its finished aggregates.
    fn finish_groups(
        &self,
        grouping: Grouping<'_>,
        input_names: &[String],
    ) -> Result<Vec<RowPair>, CypherError> {
        let Grouping {
            projection,
            star_slots,
            calls,
            mut groups,
            ..
        } = grouping;
        if groups.is_empty()
            && star_slots.is_empty()
            && projection.items.iter().all(|i| i.expr.has_aggregate())
        {
            // Aggregates over no rows still give one row: `count(*)` is 0.
            groups.push(Group::new(Vec::new(), None, calls.len()));
        }
        let mut rows = Vec::with_capacity(groups.len());
        for group in groups {
            let results = calls
                .iter()
                .zip(group.accumulators)
                .map(|(call, accumulator)| accumulator.finish(call))
                .collect::<Result<Vec<_>, _>>()?;
            let mut keys = group.keys.into_iter();
            let mut out: Vec<Value> = star_slots
                .iter()
                .map(|_| keys.next().unwrap_or(Value::Null))
                .collect();
            for item in &projection.items {
                if item.expr.has_aggregate() {
                    out.push(self.eval_aggregated(
                        &item.expr,
                        input_names,
                        group.first.as_deref(),
                        (&calls, &results),
                    )?);
                } else {
                    out.push(keys.next().unwrap_or(Value::Null));
                }
            }
            rows.push((out, Vec::new()));
        }
        Ok(rows)
    }

    /// `DISTINCT`, `WHERE`, `ORDER BY`, `SKIP` and `LIMIT` of a projection over its rows.
    fn finish_projection(
        &self,
        input_names: &[String],
        projection: &Projection,
        names: Vec<String>,
        mut rows: Vec<RowPair>,
        aggregating: bool,
    ) -> Result<Table, CypherError> {
        if projection.distinct {
            let mut seen = std::collections::HashSet::new();
            rows.retain(|(out, _)| {
                seen.insert(out.iter().map(Value::key).collect::<Vec<_>>().join("\u{1}"))
            });
        }
        if let Some(filter) = &projection.filter {
            check_variables(filter, &names)?;
            let mut kept = Vec::with_capacity(rows.len());
            for (out, source) in rows {
                if truthy(&self.eval(filter, &names, &out)?) {
                    kept.push((out, source));
                }
            }
            rows = kept;
        }
        if !projection.order.is_empty() {
            // Sort keys see the returned columns first, then (without aggregation or
            // DISTINCT) the variables of the rows they came from.
            let wide = !aggregating && !projection.distinct;
            let scope: Vec<String> = if wide {
                names.iter().chain(input_names).cloned().collect()
            } else {
                names.clone()
            };
            // A sort key written like a returned item reads that column (the only way to sort
            // by an aggregate); resolved once here, not per row.
            let sort_columns: Vec<Option<usize>> = projection
                .order
                .iter()
                .map(|sort| {
                    let text = sort.expr.to_string();
                    projection
                        .items
                        .iter()
                        .find(|item| item.expr.to_string() == text)
                        .and_then(|item| names.iter().position(|n| *n == item.name))
                })
                .collect();
            for (sort, column) in projection.order.iter().zip(&sort_columns) {
                if column.is_some() {
                    continue;
                }
                if let Err(err) = check_variables(&sort.expr, &scope) {
                    let aggregated = if wide {
                        ""
                    } else {
                        " after aggregation or DISTINCT"
                    };
                    return Err(CypherError::semantic(
                        err.span,
                        format!(
                            "{}{aggregated}; ORDER BY can use the returned columns",
                            err.message
                        ),
                    ));
                }
            }
            let evaluates = sort_columns.iter().any(Option::is_none);
            let mut keyed: Vec<(Vec<Value>, RowPair)> = Vec::with_capacity(rows.len());
            for (out, source) in rows {
                let values: Vec<Value> = match (evaluates, wide) {
                    (false, _) => Vec::new(),
                    (true, true) => out.iter().chain(&source).cloned().collect(),
                    (true, false) => out.clone(),
                };
                let keys = projection
                    .order
                    .iter()
                    .zip(&sort_columns)
                    .map(|(sort, column)| match column {
                        Some(column) => Ok(out[*column].clone()),
                        None => self.eval(&sort.expr, &scope, &values),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                keyed.push((keys, (out, source)));
            }
            keyed.sort_by(|(a, _), (b, _)| {
                for ((x, y), sort) in a.iter().zip(b).zip(&projection.order) {
                    // Nulls sort last ascending, first descending (Neo4j).
                    let ordering = match (x.is_null(), y.is_null()) {
                        (true, true) => std::cmp::Ordering::Equal,
                        (true, false) => std::cmp::Ordering::Greater,
                        (false, true) => std::cmp::Ordering::Less,
                        (false, false) => x.order(y),
                    };
                    let ordering = if sort.descending {
                        ordering.reverse()
                    } else {
                        ordering
                    };
                    if ordering != std::cmp::Ordering::Equal {
                        return ordering;
                    }
                }
                std::cmp::Ordering::Equal
            });
            rows = keyed.into_iter().map(|(_, row)| row).collect();
        }
        let skip = match &projection.skip {
            Some(expr) => self.count_expr(expr, "SKIP")?,
            None => 0,
        };
        let limit = match &projection.limit {
            Some(expr) => Some(self.count_expr(expr, "LIMIT")?),
            None => None,
        };
        let rows: Vec<Vec<Value>> = rows
            .into_iter()
            .skip(skip)
            .take(limit.unwrap_or(usize::MAX))
            .map(|(out, _)| out)
            .collect();
        Ok(Table { names, rows })
    }

    /// Evaluates an item with aggregates for one group: each aggregate call reads its
    /// finished value, other parts the group's first row.
    fn eval_aggregated(
        &self,
        expr: &Expr,
        names: &[String],
        first: Option<&[Value]>,
        finished: (&[&Expr], &[Value]),
    ) -> Result<Value, CypherError> {
        let (calls, results) = finished;
        if let Some(at) = calls.iter().position(|call| std::ptr::eq(*call, expr)) {
            return Ok(results[at].clone());
        }
        if !expr.has_aggregate() {
            return match first {
                Some(row) => self.eval(expr, names, row),
                None => Ok(Value::Null),
            };
        }
        self.compose(expr, &mut |child| {
            self.eval_aggregated(child, names, first, finished)
        })
    }

    /// Evaluates a composite expression whose parts `child` evaluates: the one place that
    /// knows operators, lists, maps, function calls and property access, shared by
    /// [`Engine::eval`] (one row) and [`Engine::eval_group`] (a group, under aggregates).
    fn compose(
        &self,
        expr: &Expr,
        child: &mut dyn FnMut(&Expr) -> Result<Value, CypherError>,
    ) -> Result<Value, CypherError> {
        match &expr.kind {
            ExprKind::Property(inner, key) => Ok(self.property(&child(inner)?, key)),
            ExprKind::HasLabel(inner, labels) => Ok(match child(inner)? {
                Value::Node(node) => Value::Bool(
                    self.kinds_of(labels)
                        .is_none_or(|kinds| kinds[usize::from(self.kg.entity(node).kind)]),
                ),
                Value::Null => Value::Null,
                other => {
                    return Err(CypherError::semantic(
                        inner.span,
                        format!("a label test needs a node, not a {}", other.type_name()),
                    ));
                }
            }),
            ExprKind::List(items) => Ok(Value::List(
                items.iter().map(&mut *child).collect::<Result<_, _>>()?,
            )),
            ExprKind::Map(entries) => Ok(Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), child(v)?)))
                    .collect::<Result<_, CypherError>>()?,
            )),
            ExprKind::Call { name, args, .. } => {
                let values = args
                    .iter()
                    .map(&mut *child)
                    .collect::<Result<Vec<_>, _>>()?;
                let spans: Vec<Span> = args.iter().map(|a| a.span).collect();
                self.function(name, values, &spans, expr.span)
            }
            ExprKind::Not(inner) => Ok(not(&child(inner)?)),
            ExprKind::Negate(inner) => negate(child(inner)?, expr.span),
            ExprKind::IsNull(inner, negated) => {
                Ok(Value::Bool(child(inner)?.is_null() != *negated))
            }
            ExprKind::Binary(op, a, b) => {
                // AND/OR short-circuit only where the answer is already known.
                let left = child(a)?;
                match (op, &left) {
                    (BinaryOp::And, Value::Bool(false)) => return Ok(Value::Bool(false)),
                    (BinaryOp::Or, Value::Bool(true)) => return Ok(Value::Bool(true)),
                    _ => {}
                }
                let right = child(b)?;
                Self::binary(*op, left, right, expr.span)
            }
            ExprKind::Literal(_)
            | ExprKind::Param(_)
            | ExprKind::Variable(_)
            | ExprKind::CountStar
            | ExprKind::Pattern(_) => Err(CypherError::unsupported(
                expr.span,
                "this expression cannot contain an aggregate",
            )),
        }
    }

    // ---- expressions ----------------------------------------------------------------------

    /// Evaluates `expr` for one row whose variables are `names`.
    fn eval(&self, expr: &Expr, names: &[String], row: &[Value]) -> Result<Value, CypherError> {
        match &expr.kind {
            ExprKind::Literal(literal) => Ok(match literal {
                Literal::Null => Value::Null,
                Literal::Bool(b) => Value::Bool(*b),
                Literal::Int(i) => Value::Int(*i),
                Literal::Float(x) => Value::Float(*x),
                Literal::Str(s) => Value::Str(s.clone()),
            }),
            ExprKind::Param(name) => self.params.get(name).cloned().ok_or_else(|| {
                CypherError::semantic(
                    expr.span,
                    format!("missing parameter `${name}` (pass --param {name}=VALUE)"),
                )
            }),
            ExprKind::Variable(name) => match names.iter().position(|n| n == name) {
                Some(i) => Ok(row.get(i).cloned().unwrap_or(Value::Null)),
                None => Err(CypherError::semantic(
                    expr.span,
                    format!("unknown variable `{name}`"),
                )),
            },
            ExprKind::Call { name, .. }
                if crate::query::cypher::ast::AGGREGATES.contains(&name.as_str()) =>
            {
                Err(CypherError::semantic(
                    expr.span,
                    format!("{name}() is an aggregate: use it in WITH or RETURN"),
                ))
            }
            ExprKind::CountStar => Err(CypherError::semantic(
                expr.span,
                "count(*) is an aggregate: use it in WITH or RETURN",
            )),
            ExprKind::Pattern(pattern) => self.pattern_exists(pattern, names, row),
            _ => self.compose(expr, &mut |child| self.eval(child, names, row)),
        }
    }

    fn pattern_exists(
        &self,
        pattern: &PathPattern,
        names: &[String],
        row: &[Value],
    ) -> Result<Value, CypherError> {
        let mut all = names.to_vec();
        for name in pattern_variables(pattern) {
            if !all.contains(&name) {
                all.push(name);
            }
        }
        let plan = Self::plan(pattern, &all, names, &FxHashMap::default())?;
        let mut state = State {
            row: row
                .iter()
                .cloned()
                .chain(std::iter::repeat_n(Value::Null, all.len() - row.len()))
                .collect(),
            prebound: row.len(),
            used: Vec::new(),
            path_nodes: Vec::new(),
            path_edges: Vec::new(),
        };
        let mut found = Output {
            sink: Sink::Rows(Vec::new()),
            produced: 0,
        };
        self.match_pattern(
            &Matching {
                plans: &[plan],
                names: &all,
                filter: None,
                anchors: &FxHashMap::default(),
                budget: Some(1),
                span: pattern.span,
            },
            0,
            &mut state,
            &mut found,
        )?;
        Ok(Value::Bool(found.produced > 0))
    }

    /// Applies a binary operator with Cypher's null rules.
    fn binary(op: BinaryOp, a: Value, b: Value, span: Span) -> Result<Value, CypherError> {
        let null_if = |v: Option<bool>| v.map_or(Value::Null, Value::Bool);
        Ok(match op {
            BinaryOp::And => match (truth(&a), truth(&b)) {
                (Some(false), _) | (_, Some(false)) => Value::Bool(false),
                (Some(true), Some(true)) => Value::Bool(true),
                _ => Value::Null,
            },
            BinaryOp::Or => match (truth(&a), truth(&b)) {
                (Some(true), _) | (_, Some(true)) => Value::Bool(true),
                (Some(false), Some(false)) => Value::Bool(false),
                _ => Value::Null,
            },
            BinaryOp::Xor => match (truth(&a), truth(&b)) {
                (Some(x), Some(y)) => Value::Bool(x != y),
                _ => Value::Null,
            },
            BinaryOp::Eq => null_if(a.equals(&b)),
            BinaryOp::Ne => null_if(a.equals(&b).map(|e| !e)),
            BinaryOp::Lt => null_if(a.compare(&b, Comparison::Lt)),
            BinaryOp::Le => null_if(a.compare(&b, Comparison::Le)),
            BinaryOp::Gt => null_if(a.compare(&b, Comparison::Gt)),
            BinaryOp::Ge => null_if(a.compare(&b, Comparison::Ge)),
            BinaryOp::In => match b {
                Value::Null => Value::Null,
                Value::List(items) => {
                    let mut unknown = a.is_null() && !items.is_empty();
                    let mut found = false;
                    for item in &items {
                        match a.equals(item) {
                            Some(true) => found = true,
                            None => unknown = true,
                            Some(false) => {}
                        }
                    }
                    if found {
                        Value::Bool(true)
                    } else if unknown {
                        Value::Null
                    } else {
                        Value::Bool(false)
                    }
                }
                other => {
                    return Err(CypherError::semantic(
                        span,
                        format!("IN needs a list on its right, not a {}", other.type_name()),
                    ));
                }
            },
            BinaryOp::StartsWith | BinaryOp::EndsWith | BinaryOp::Contains | BinaryOp::Regex => {
                match (a, b) {
                    (Value::Str(s), Value::Str(t)) => Value::Bool(match op {
                        BinaryOp::StartsWith => s.starts_with(&t),
                        BinaryOp::EndsWith => s.ends_with(&t),
                        BinaryOp::Contains => s.contains(&t),
                        _ => regex::Regex::new(&format!("^(?:{t})$"))
                            .map_err(|err| {
                                CypherError::semantic(
                                    span,
                                    format!("invalid regular expression: {err}"),
                                )
                            })?
                            .is_match(&s),
                    }),
                    _ => Value::Null,
                }
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                arithmetic(op, a, b, span)?
            }
        })
    }

    /// Returns a property of a node, relationship or map (null when absent).
    fn property(&self, value: &Value, key: &str) -> Value {
        match value {
            Value::Node(node) => self.node_property(*node, key),
            Value::Rel(edge) => self.rel_property(*edge, key),
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k == key)
                .map_or(Value::Null, |(_, v)| v.clone()),
            Value::Date(date) => match key {
                "year" => Value::Int(i64::from(date.year())),
                "month" => date
                    .month()
                    .map_or(Value::Null, |m| Value::Int(i64::from(m))),
                "day" => date.day().map_or(Value::Null, |d| Value::Int(i64::from(d))),
                _ => Value::Null,
            },
            _ => Value::Null,
        }
    }

    /// Node properties as in the exports: `id`, `name`, then the attributes.
    fn node_properties(&self, node: NodeIndex) -> Vec<(String, Value)> {
        let mut props = vec![
            ("id".to_owned(), Value::Str(self.kg.id(node).to_owned())),
            ("name".to_owned(), Value::Str(self.kg.name(node).to_owned())),
        ];
        for (def, value) in self.kg.catalog.entity_attrs(self.kg.entity(node)) {
            props.push((def.name.clone(), Value::from_stored(value)));
        }
        props
    }

    fn node_property(&self, node: NodeIndex, key: &str) -> Value {
        match key {
            "id" => Value::Str(self.kg.id(node).to_owned()),
            "name" => Value::Str(self.kg.name(node).to_owned()),
            _ => self
                .kg
                .catalog
                .entity_attr(self.kg.entity(node), key)
                .map_or(Value::Null, Value::from_stored),
        }
    }

    /// Relationship properties as in the exports: `rid`, `start`, `end`, `start_from`,
    /// `end_to`, `weight`, then the attributes.
    fn rel_properties(&self, edge: EdgeIndex) -> Vec<(String, Value)> {
        let relation = self.kg.relation(edge);
        let mut props = vec![("rid".to_owned(), Value::Str(format!("e{}", edge.index())))];
        if let Some(start) = relation.start {
            props.push(("start".to_owned(), Value::Date(start)));
            props.push((
                "start_from".to_owned(),
                Value::Str(start.first_day().to_string()),
            ));
        }
        if let Some(end) = relation.end {
            props.push(("end".to_owned(), Value::Date(end)));
            props.push(("end_to".to_owned(), Value::Str(end.last_day().to_string())));
        }
        if let Some(weight) = relation.weight() {
            props.push(("weight".to_owned(), Value::Float(weight)));
        }
        for (def, value) in self.kg.catalog.relation_attrs(relation) {
            props.push((def.name.clone(), Value::from_stored(value)));
        }
        props
    }

    fn rel_property(&self, edge: EdgeIndex, key: &str) -> Value {
        let relation = self.kg.relation(edge);
        match key {
            "rid" => Value::Str(format!("e{}", edge.index())),
            "start" => relation.start.map_or(Value::Null, Value::Date),
            "end" => relation.end.map_or(Value::Null, Value::Date),
            "start_from" => relation
                .start
                .map_or(Value::Null, |d| Value::Str(d.first_day().to_string())),
            "end_to" => relation
                .end
                .map_or(Value::Null, |d| Value::Str(d.last_day().to_string())),
            "weight" => relation.weight().map_or(Value::Null, Value::Float),
            _ => self
                .kg
                .catalog
                .relation_attr(relation, key)
                .map_or(Value::Null, Value::from_stored),
        }
    }

    #[allow(clippy::too_many_lines)]
    fn function(
        &self,
        name: &str,
        args: Vec<Value>,
        spans: &[Span],
        span: Span,
    ) -> Result<Value, CypherError> {
        let arity = |n: usize| -> Result<(), CypherError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(CypherError::semantic(
                    span,
                    format!(
                        "{name}() takes {n} argument{}, not {}",
                        if n == 1 { "" } else { "s" },
                        args.len()
                    ),
                ))
            }
        };
        let wrong = |i: usize, want: &str, got: &Value| {
            CypherError::semantic(
                spans.get(i).copied().unwrap_or(span),
                format!("{name}() needs {want}, not a {}", got.type_name()),
            )
        };
        if name == "coalesce" {
            return Ok(args
                .into_iter()
                .find(|v| !v.is_null())
                .unwrap_or(Value::Null));
        }
        if name == "substring" {
            if !(2..=3).contains(&args.len()) {
                return Err(CypherError::semantic(
                    span,
                    "substring() takes 2 or 3 arguments",
                ));
            }
        } else if name == "split" {
            arity(2)?;
        } else {
            arity(1)?;
        }
        let mut args = args.into_iter();
        let first = args.next().unwrap_or(Value::Null);
        if first.is_null() {
            return Ok(Value::Null);
        }
        Ok(match name {
            "id" => match first {
                Value::Node(n) => Value::Int(i64::try_from(n.index()).unwrap_or(-1)),
                Value::Rel(e) => Value::Int(i64::try_from(e.index()).unwrap_or(-1)),
                other => return Err(wrong(0, "a node or relationship", &other)),
            },
            "labels" => match first {
                Value::Node(n) => Value::List(vec![
                    Value::Str("Entity".into()),
                    Value::Str(self.kg.kind(n).to_owned()),
                ]),
                other => return Err(wrong(0, "a node", &other)),
            },
            "type" => match first {
                Value::Rel(e) => Value::Str(self.kg.rel_type(e).to_owned()),
                other => return Err(wrong(0, "a relationship", &other)),
            },
            "properties" => match first {
                Value::Node(n) => Value::Map(self.node_properties(n)),
                Value::Rel(e) => Value::Map(self.rel_properties(e)),
                map @ Value::Map(_) => map,
                other => return Err(wrong(0, "a node, relationship or map", &other)),
            },
            "keys" => match first {
                Value::Node(n) => Value::List(
                    self.node_properties(n)
                        .into_iter()
                        .map(|(k, _)| Value::Str(k))
                        .collect(),
                ),
                Value::Rel(e) => Value::List(
                    self.rel_properties(e)
                        .into_iter()
                        .map(|(k, _)| Value::Str(k))
                        .collect(),
                ),
                Value::Map(entries) => {
                    Value::List(entries.into_iter().map(|(k, _)| Value::Str(k)).collect())
                }
                other => return Err(wrong(0, "a node, relationship or map", &other)),
            },
            "length" => match first {
                Value::Path(p) => Value::Int(i64::try_from(p.edges.len()).unwrap_or(i64::MAX)),
                other => {
                    return Err(wrong(
                        0,
                        "a path (use size() for strings and lists)",
                        &other,
                    ));
                }
            },
            "nodes" => match first {
                Value::Path(p) => Value::List(p.nodes.into_iter().map(Value::Node).collect()),
                other => return Err(wrong(0, "a path", &other)),
            },
            "relationships" => match first {
                Value::Path(p) => Value::List(p.edges.into_iter().map(Value::Rel).collect()),
                other => return Err(wrong(0, "a path", &other)),
            },
            "startnode" | "endnode" => match first {
                Value::Rel(e) => {
                    let (a, b) = self.kg.endpoints(e);
                    Value::Node(if name == "startnode" { a } else { b })
                }
                other => return Err(wrong(0, "a relationship", &other)),
            },
            "tostring" => match first {
                Value::Str(s) => Value::Str(s),
                Value::Int(i) => Value::Str(i.to_string()),
                Value::Float(x) => {
                    Value::Str(crate::query::cypher::value::FloatText(x).to_string())
                }
                Value::Bool(b) => Value::Str(b.to_string()),
                Value::Date(d) => Value::Str(d.to_string()),
                other => return Err(wrong(0, "a string, number, boolean or date", &other)),
            },
            "tointeger" => match first {
                Value::Int(i) => Value::Int(i),
                #[allow(clippy::cast_possible_truncation)]
                Value::Float(x) if x.is_finite() && x.abs() < 9.2e18 => {
                    Value::Int(x.trunc() as i64)
                }
                Value::Float(_) => Value::Null,
                Value::Bool(b) => Value::Int(i64::from(b)),
                Value::Str(s) => match s.trim().parse::<i64>() {
                    Ok(i) => Value::Int(i),
                    #[allow(clippy::cast_possible_truncation)]
                    Err(_) => s
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite() && x.abs() < 9.2e18)
                        .map_or(Value::Null, |x| Value::Int(x.trunc() as i64)),
                },
                other => return Err(wrong(0, "a string, number or boolean", &other)),
            },
            "tofloat" => match first {
                Value::Int(i) => Value::Float(int_to_float(i)),
                Value::Float(x) => Value::Float(x),
                Value::Str(s) => s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .map_or(Value::Null, Value::Float),
                other => return Err(wrong(0, "a string or number", &other)),
            },
            "size" => match first {
                Value::Str(s) => Value::Int(i64::try_from(s.chars().count()).unwrap_or(i64::MAX)),
                Value::List(items) => Value::Int(i64::try_from(items.len()).unwrap_or(i64::MAX)),
                other => return Err(wrong(0, "a string or list", &other)),
            },
            "head" | "last" => match first {
                Value::List(mut items) => {
                    if name == "head" {
                        items.into_iter().next().unwrap_or(Value::Null)
                    } else {
                        items.pop().unwrap_or(Value::Null)
                    }
                }
                other => return Err(wrong(0, "a list", &other)),
            },
            "tolower" | "toupper" | "trim" => match first {
                Value::Str(s) => Value::Str(match name {
                    "tolower" => s.to_lowercase(),
                    "toupper" => s.to_uppercase(),
                    _ => s.trim().to_owned(),
                }),
                other => return Err(wrong(0, "a string", &other)),
            },
            "substring" => {
                let Value::Str(s) = first else {
                    return Err(wrong(0, "a string", &first));
                };
                let start = match args.next() {
                    Some(Value::Int(i)) if i >= 0 => usize::try_from(i).unwrap_or(usize::MAX),
                    Some(other) => return Err(wrong(1, "a non-negative integer", &other)),
                    None => 0,
                };
                let length = match args.next() {
                    None => usize::MAX,
                    Some(Value::Int(i)) if i >= 0 => usize::try_from(i).unwrap_or(usize::MAX),
                    Some(other) => return Err(wrong(2, "a non-negative integer", &other)),
                };
                Value::Str(s.chars().skip(start).take(length).collect())
            }
            "split" => match (first, args.next().unwrap_or(Value::Null)) {
                (Value::Str(s), Value::Str(d)) if !d.is_empty() => Value::List(
                    s.split(d.as_str())
                        .map(|p| Value::Str(p.to_owned()))
                        .collect(),
                ),
                (Value::Str(s), Value::Str(_)) => {
                    Value::List(s.chars().map(|c| Value::Str(c.to_string())).collect())
                }
                (_, Value::Null) => Value::Null,
                (a, b) => {
                    return Err(wrong(
                        usize::from(matches!(a, Value::Str(_))),
                        "strings",
                        if matches!(a, Value::Str(_)) { &b } else { &a },
                    ));
                }
            },
            "abs" => match first {
                Value::Int(i) => Value::Int(
                    i.checked_abs()
                        .ok_or_else(|| CypherError::semantic(span, "integer overflow"))?,
                ),
                Value::Float(x) => Value::Float(x.abs()),
                other => return Err(wrong(0, "a number", &other)),
            },
            "date" => match first {
                Value::Str(s) => Value::Date(
                    PartialDate::parse(&s)
                        .map_err(|err| CypherError::semantic(spans[0], err.to_string()))?,
                ),
                Value::Date(d) => Value::Date(d),
                other => return Err(wrong(0, "a string such as '1992-08'", &other)),
            },
            other => {
                return Err(CypherError::unsupported(
                    span,
                    format!("function `{other}` is not supported"),
                ));
            }
        })
    }
}

/// The output column names of a projection and, for `*`, the input slots it keeps.
fn projection_columns(
    input_names: &[String],
    projection: &Projection,
) -> Result<(Vec<String>, Vec<usize>), CypherError> {
    let mut names: Vec<String> = if projection.star {
        input_names
            .iter()
            .filter(|n| !n.starts_with("  "))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    for item in &projection.items {
        check_variables(&item.expr, input_names)?;
        if names.contains(&item.name) {
            return Err(CypherError::semantic(
                item.expr.span,
                format!("column `{}` appears twice; name one with AS", item.name),
            ));
        }
        names.push(item.name.clone());
    }
    let star_slots: Vec<usize> = if projection.star {
        names
            .iter()
            .filter_map(|n| input_names.iter().position(|t| t == n))
            .collect()
    } else {
        Vec::new()
    };
    Ok((names, star_slots))
}

/// Where a projection is, for messages about its rows.
fn projection_span(projection: &Projection) -> Span {
    projection
        .items
        .iter()
        .map(|item| item.expr.span)
        .reduce(Span::to)
        .unwrap_or_default()
}

/// Rows grouped by a projection's key as they arrive: each group keeps its key, its first
/// row and one accumulator per aggregate call, never its rows.
struct Grouping<'p> {
    projection: &'p Projection,
    star_slots: Vec<usize>,
    /// The aggregate calls of every item, in order.
    calls: Vec<&'p Expr>,
    groups: Vec<Group>,
    index: FxHashMap<String, usize>,
    /// Estimated bytes of the groups and the values their accumulators keep.
    held: usize,
    span: Span,
}

struct Group {
    keys: Vec<Value>,
    /// The group's first row, for the parts of an aggregating item outside its aggregates.
    first: Option<Vec<Value>>,
    accumulators: Vec<Accumulator>,
}

impl Group {
    fn new(keys: Vec<Value>, first: Option<Vec<Value>>, calls: usize) -> Self {
        Group {
            keys,
            first,
            accumulators: (0..calls).map(|_| Accumulator::default()).collect(),
        }
    }
}

/// One aggregate call's state for one group.
#[derive(Default)]
struct Accumulator {
    /// Non-null values seen (rows, for `count(*)`).
    count: usize,
    /// The values, for every aggregate but `count`.
    values: Vec<Value>,
    /// Keys of the values seen, for `DISTINCT`.
    seen: Option<std::collections::HashSet<String>>,
}

impl Accumulator {
    fn finish(self, call: &Expr) -> Result<Value, CypherError> {
        match &call.kind {
            ExprKind::Call { name, .. } if name != "count" => {
                aggregate(name, self.values, call.span)
            }
            _ => Ok(Value::Int(i64::try_from(self.count).unwrap_or(i64::MAX))),
        }
    }
}

impl<'p> Grouping<'p> {
    fn new(projection: &'p Projection, input_names: &[String]) -> Result<Self, CypherError> {
        let (_, star_slots) = projection_columns(input_names, projection)?;
        let mut calls = Vec::new();
        for item in &projection.items {
            aggregate_calls(&item.expr, &mut calls)?;
        }
        Ok(Grouping {
            projection,
            star_slots,
            calls,
            groups: Vec::new(),
            index: FxHashMap::default(),
            held: 0,
            span: projection_span(projection),
        })
    }

    /// Adds one row to its group.
    fn add(
        &mut self,
        engine: &Engine<'_>,
        names: &[String],
        row: Vec<Value>,
    ) -> Result<(), CypherError> {
        let mut key_values: Vec<Value> = self.star_slots.iter().map(|&s| row[s].clone()).collect();
        for item in self
            .projection
            .items
            .iter()
            .filter(|i| !i.expr.has_aggregate())
        {
            key_values.push(engine.eval(&item.expr, names, &row)?);
        }
        let mut arguments = Vec::with_capacity(self.calls.len());
        for call in &self.calls {
            arguments.push(match &call.kind {
                ExprKind::Call { args, .. } => Some(engine.eval(&args[0], names, &row)?),
                _ => None,
            });
        }
        let key: String = key_values
            .iter()
            .map(Value::key)
            .collect::<Vec<_>>()
            .join("\u{1}");
        let at = if let Some(&at) = self.index.get(&key) {
            at
        } else {
            self.held += Limits::table_bytes(1, key_values.len() + row.len())
                + key.len()
                + self.calls.len() * std::mem::size_of::<Accumulator>();
            self.groups
                .push(Group::new(key_values, Some(row), self.calls.len()));
            self.index.insert(key, self.groups.len() - 1);
            self.groups.len() - 1
        };
        let group = &mut self.groups[at];
        for ((call, argument), accumulator) in self
            .calls
            .iter()
            .zip(arguments)
            .zip(&mut group.accumulators)
        {
            let Some(value) = argument else {
                accumulator.count += 1; // count(*)
                continue;
            };
            if value.is_null() {
                continue;
            }
            let ExprKind::Call { name, distinct, .. } = &call.kind else {
                continue;
            };
            if *distinct {
                let seen = accumulator.seen.get_or_insert_with(Default::default);
                let key = value.key();
                let bytes = key.len() + std::mem::size_of::<String>();
                if !seen.insert(key) {
                    continue;
                }
                self.held += bytes;
            }
            accumulator.count += 1;
            if name != "count" {
                accumulator.values.push(value);
                self.held += std::mem::size_of::<Value>();
            }
        }
        engine.meter.hold(self.held, self.span)
    }
}

/// Lists the aggregate calls in `expr`, outside in, checking each takes one plain argument.
fn aggregate_calls<'q>(expr: &'q Expr, calls: &mut Vec<&'q Expr>) -> Result<(), CypherError> {
    match &expr.kind {
        ExprKind::CountStar => calls.push(expr),
        ExprKind::Call { name, args, .. }
            if crate::query::cypher::ast::AGGREGATES.contains(&name.as_str()) =>
        {
            let [arg] = args.as_slice() else {
                return Err(CypherError::semantic(
                    expr.span,
                    format!("{name}() takes one argument"),
                ));
            };
            if arg.has_aggregate() {
                return Err(CypherError::semantic(
                    arg.span,
                    "aggregates cannot be nested",
                ));
            }
            calls.push(expr);
        }
        ExprKind::Call { args: items, .. } | ExprKind::List(items) => {
            for item in items {
                aggregate_calls(item, calls)?;
            }
        }
        ExprKind::Map(entries) => {
            for (_, value) in entries {
                aggregate_calls(value, calls)?;
            }
        }
        ExprKind::Property(inner, _)
        | ExprKind::HasLabel(inner, _)
        | ExprKind::Not(inner)
        | ExprKind::Negate(inner)
        | ExprKind::IsNull(inner, _) => aggregate_calls(inner, calls)?,
        ExprKind::Binary(_, a, b) => {
            aggregate_calls(a, calls)?;
            aggregate_calls(b, calls)?;
        }
        ExprKind::Literal(_)
        | ExprKind::Param(_)
        | ExprKind::Variable(_)
        | ExprKind::Pattern(_) => {}
    }
    Ok(())
}

fn aggregate(name: &str, values: Vec<Value>, span: Span) -> Result<Value, CypherError> {
    Ok(match name {
        "count" => Value::Int(i64::try_from(values.len()).unwrap_or(i64::MAX)),
        "collect" => Value::List(values),
        "sum" | "avg" => {
            if values.is_empty() {
                return Ok(if name == "sum" {
                    Value::Int(0)
                } else {
                    Value::Null
                });
            }
            let mut total = Value::Int(0);
            for value in &values {
                if !matches!(value, Value::Int(_) | Value::Float(_)) {
                    return Err(CypherError::semantic(
                        span,
                        format!("{name}() needs numbers, not a {}", value.type_name()),
                    ));
                }
                total = arithmetic(BinaryOp::Add, total, value.clone(), span)?;
            }
            if name == "sum" {
                total
            } else {
                let count = int_to_float(i64::try_from(values.len()).unwrap_or(i64::MAX));
                Value::Float(total.as_float().unwrap_or(0.0) / count)
            }
        }
        "min" | "max" => {
            let mut best: Option<Value> = None;
            for value in values {
                let better = match &best {
                    None => true,
                    Some(current) => {
                        let ordering = value.order(current);
                        if name == "min" {
                            ordering.is_lt()
                        } else {
                            ordering.is_gt()
                        }
                    }
                };
                if better {
                    best = Some(value);
                }
            }
            best.unwrap_or(Value::Null)
        }
        other => {
            return Err(CypherError::unsupported(
                span,
                format!("aggregate `{other}` is not supported"),
            ));
        }
    })
}

fn arithmetic(op: BinaryOp, a: Value, b: Value, span: Span) -> Result<Value, CypherError> {
    let overflow = || CypherError::semantic(span, "integer overflow");
    Ok(match (a, b) {
        (Value::Null, _) | (_, Value::Null) => Value::Null,
        (Value::Int(x), Value::Int(y)) => Value::Int(match op {
            BinaryOp::Add => x.checked_add(y).ok_or_else(overflow)?,
            BinaryOp::Sub => x.checked_sub(y).ok_or_else(overflow)?,
            BinaryOp::Mul => x.checked_mul(y).ok_or_else(overflow)?,
            BinaryOp::Div => {
                if y == 0 {
                    return Err(CypherError::semantic(span, "division by zero"));
                }
                x.checked_div(y).ok_or_else(overflow)?
            }
            _ => {
                if y == 0 {
                    return Err(CypherError::semantic(span, "division by zero"));
                }
                x.checked_rem(y).ok_or_else(overflow)?
            }
        }),
        (x @ (Value::Int(_) | Value::Float(_)), y @ (Value::Int(_) | Value::Float(_))) => {
            let (x, y) = (x.as_float().unwrap_or(0.0), y.as_float().unwrap_or(0.0));
            Value::Float(match op {
                BinaryOp::Add => x + y,
                BinaryOp::Sub => x - y,
                BinaryOp::Mul => x * y,
                BinaryOp::Div => x / y,
                _ => x % y,
            })
        }
        (Value::Str(x), Value::Str(y)) if op == BinaryOp::Add => Value::Str(x + &y),
        (Value::Str(x), y @ (Value::Int(_) | Value::Float(_))) if op == BinaryOp::Add => {
            Value::Str(format!("{x}{}", number_text(&y)))
        }
        (x @ (Value::Int(_) | Value::Float(_)), Value::Str(y)) if op == BinaryOp::Add => {
            Value::Str(format!("{}{y}", number_text(&x)))
        }
        (Value::List(mut x), Value::List(y)) if op == BinaryOp::Add => {
            x.extend(y);
            Value::List(x)
        }
        (Value::List(mut x), y) if op == BinaryOp::Add => {
            x.push(y);
            Value::List(x)
        }
        (x, y) => {
            return Err(CypherError::semantic(
                span,
                format!(
                    "cannot apply `{}` to a {} and a {}",
                    op.symbol(),
                    x.type_name(),
                    y.type_name()
                ),
            ));
        }
    })
}

fn number_text(value: &Value) -> String {
    match value {
        Value::Int(i) => i.to_string(),
        Value::Float(x) => crate::query::cypher::value::FloatText(*x).to_string(),
        _ => String::new(),
    }
}

fn negate(value: Value, span: Span) -> Result<Value, CypherError> {
    match value {
        Value::Null => Ok(Value::Null),
        Value::Int(i) => i
            .checked_neg()
            .map(Value::Int)
            .ok_or_else(|| CypherError::semantic(span, "integer overflow")),
        Value::Float(x) => Ok(Value::Float(-x)),
        other => Err(CypherError::semantic(
            span,
            format!("cannot negate a {}", other.type_name()),
        )),
    }
}

fn truth(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

fn not(value: &Value) -> Value {
    truth(value).map_or(Value::Null, |b| Value::Bool(!b))
}

fn truthy(value: &Value) -> bool {
    truth(value) == Some(true)
}

/// Returns the path walked so far, in the pattern's written order.
fn path_value(plan: &Plan<'_>, state: &State) -> Value {
    let mut nodes = state.path_nodes.clone();
    let mut edges = state.path_edges.clone();
    if plan.reversed {
        nodes.reverse();
        edges.reverse();
    }
    Value::Path(PathValue { nodes, edges })
}

fn bind(row: &mut [Value], slot: Option<usize>, value: Value) -> Option<Value> {
    slot.map(|s| std::mem::replace(&mut row[s], value))
}

fn unbind(row: &mut [Value], slot: Option<usize>, saved: Option<Value>) {
    if let (Some(slot), Some(saved)) = (slot, saved) {
        row[slot] = saved;
    }
}

/// Returns the variables a pattern names, in order.
fn pattern_variables(pattern: &PathPattern) -> Vec<String> {
    let mut names = Vec::new();
    let mut add = |v: &Option<String>| {
        if let Some(v) = v
            && !names.contains(v)
        {
            names.push(v.clone());
        }
    };
    add(&pattern.variable);
    add(&pattern.start.variable);
    for (rel, node) in &pattern.steps {
        add(&rel.variable);
        add(&node.variable);
    }
    names
}

/// Returns `v -> expr` for each top-level `WHERE v.id = expr` conjunct.
fn id_equalities(filter: &Expr) -> FxHashMap<String, Expr> {
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
                        found.insert(v.clone(), (**other).clone());
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Reports the first variable `expr` uses that `names` lacks (pattern predicates may
/// introduce their own).
fn check_variables(expr: &Expr, names: &[String]) -> Result<(), CypherError> {
    match &expr.kind {
        ExprKind::Variable(v) if !names.contains(v) => Err(CypherError::semantic(
            expr.span,
            format!("unknown variable `{v}`"),
        )),
        ExprKind::Property(inner, _)
        | ExprKind::HasLabel(inner, _)
        | ExprKind::Not(inner)
        | ExprKind::Negate(inner)
        | ExprKind::IsNull(inner, _) => check_variables(inner, names),
        ExprKind::List(items) | ExprKind::Call { args: items, .. } => {
            items.iter().try_for_each(|i| check_variables(i, names))
        }
        ExprKind::Map(entries) => entries
            .iter()
            .try_for_each(|(_, e)| check_variables(e, names)),
        ExprKind::Binary(_, a, b) => {
            check_variables(a, names)?;
            check_variables(b, names)
        }
        ExprKind::Pattern(pattern) => {
            let mut all = names.to_vec();
            all.extend(pattern_variables(pattern));
            for node in std::iter::once(&pattern.start).chain(pattern.steps.iter().map(|(_, n)| n))
            {
                for (_, e) in &node.properties {
                    check_variables(e, &all)?;
                }
            }
            Ok(())
        }
        ExprKind::Variable(_) | ExprKind::Literal(_) | ExprKind::Param(_) | ExprKind::CountStar => {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::cypher::parser::parse;

    /// a → b → c, a → c, and a parallel pair b ⇉ c.
    fn graph() -> (tempfile::TempDir, KnowledgeGraph) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("entities")).unwrap();
        std::fs::create_dir_all(dir.path().join("relations")).unwrap();
        std::fs::write(
            dir.path().join("entities/n.csv"),
            "id,x:int\na,1\nb,2\nc,\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("relations/r.csv"),
            "from,type,to\na,t,b\nb,t,c\na,u,c\nb,t,c\n",
        )
        .unwrap();
        let dataset = crate::load::load_dir(dir.path(), &crate::load::NoProgress).unwrap();
        (dir, KnowledgeGraph::from_dataset(dataset))
    }

    fn rows(kg: &KnowledgeGraph, text: &str) -> Vec<String> {
        let adjacency = Adjacency::new(kg);
        let query = parse(text).unwrap();
        let result = Engine::new(kg, &adjacency, BTreeMap::new())
            .run(&query)
            .unwrap();
        result
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|v| v.display(kg))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect()
    }

    #[test]
    fn a_relationship_binds_once_per_match_but_again_in_the_next() {
        let (_dir, kg) = graph();
        assert!(
            rows(
                &kg,
                "MATCH (x {id: 'a'})-[r1:t]-(y)-[r2:t]-(z {id: 'a'}) RETURN r1"
            )
            .is_empty()
        );
        assert_eq!(
            rows(
                &kg,
                "MATCH (x {id: 'a'})-[r1:t]-(y) MATCH (y)-[r2:t]-(z {id: 'a'}) RETURN z.id"
            ),
            ["a"]
        );
    }

    #[test]
    fn anchoring_at_either_end_gives_the_same_rows() {
        let (_dir, kg) = graph();
        let mut forward = rows(
            &kg,
            "MATCH (x)-[r:t]->(y) WHERE y.id = 'c' RETURN x.id, r.rid",
        );
        let mut anchored = rows(&kg, "MATCH (x)-[r:t]->(y {id: 'c'}) RETURN x.id, r.rid");
        forward.sort();
        anchored.sort();
        assert_eq!(forward, ["b,e1", "b,e3"]);
        assert_eq!(forward, anchored);
    }

    #[test]
    fn limit_stops_matching_early_without_changing_the_first_rows() {
        let (_dir, kg) = graph();
        let all = rows(&kg, "MATCH (x)-[r]->(y) RETURN r.rid");
        let first = rows(&kg, "MATCH (x)-[r]->(y) RETURN r.rid LIMIT 2");
        assert_eq!(first, all[..2]);
        assert_eq!(
            rows(&kg, "MATCH (x)-[r]->(y) RETURN r.rid SKIP 3 LIMIT 5"),
            all[3..]
        );
    }

    #[test]
    fn a_null_from_optional_match_matches_nothing_later() {
        let (_dir, kg) = graph();
        assert_eq!(
            rows(
                &kg,
                "MATCH (x {id: 'c'}) OPTIONAL MATCH (x)-[:t]->(y) RETURN x.id, y"
            ),
            ["c,"]
        );
        assert!(
            rows(
                &kg,
                "MATCH (x {id: 'c'}) OPTIONAL MATCH (x)-[:t]->(y) MATCH (y)-->(z) RETURN z"
            )
            .is_empty()
        );
    }

    #[test]
    fn distinct_and_grouping_tell_apart_what_equality_tells_apart() {
        let (_dir, kg) = graph();
        assert_eq!(
            rows(
                &kg,
                "UNWIND [9007199254740992, 9007199254740993, 1, 1.0] AS x RETURN DISTINCT x"
            ),
            ["9007199254740992", "9007199254740993", "1"]
        );
        assert_eq!(
            rows(
                &kg,
                "UNWIND [9007199254740993, 9007199254740993, 2, 2.0] AS x RETURN x, count(*) AS n"
            ),
            ["9007199254740993,2", "2,2"]
        );
    }

    #[test]
    fn aggregates_over_no_rows_give_one_row() {
        let (_dir, kg) = graph();
        assert_eq!(
            rows(
                &kg,
                "MATCH (x {id: 'zz'}) RETURN count(*), collect(x), sum(x.x), max(x.x)"
            ),
            ["0,[],0,"]
        );
        assert_eq!(
            rows(&kg, "MATCH (x) RETURN avg(x.x), min(x.x), count(x.x)"),
            ["1.5,1,2"]
        );
    }

    #[test]
    fn variable_length_zero_includes_the_start() {
        let (_dir, kg) = graph();
        let mut reached = rows(&kg, "MATCH (x {id: 'a'})-[*0..1]->(y) RETURN y.id");
        reached.sort();
        assert_eq!(reached, ["a", "b", "c"]);
    }
}
