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

use crate::cypher::ast::{
    BinaryOp, Clause, Direction, ElementId, Expr, ExprKind, Literal, Match, NodePattern,
    PathPattern, Projection, Query, RelPattern, Selector, Var,
};
use crate::cypher::error::{CypherError, Span};
use crate::cypher::limits::{Limits, Meter};
use crate::cypher::plan::start::walk_order;
use crate::cypher::plan::{ClauseAt, Profile, Site, Stage};
use crate::cypher::value::{Comparison, PathValue, Value, int_to_float};
use crate::graph::KnowledgeGraph;
use crate::graph::adjacency::{Adjacency, StepLinks};
use crate::model::date::PartialDate;
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
    /// What the query's author should know: typos in names, Cartesian products, unbounded
    /// lengths ([`super::notice`]).
    pub notices: Vec<super::notice::Notice>,
    /// `EXPLAIN` and `PROFILE`: the plan (with measures for `PROFILE`).
    pub plan: Option<super::plan::Operator>,
    /// Whether rows may be missing because a cap cut the search: an unbounded `*` met a
    /// trail that went on past its 8 hops, or `allShortestPaths` found more paths than the
    /// 10,000 it keeps.
    pub truncated: bool,
}

/// The query engine over one graph.
pub struct Engine<'g> {
    kg: &'g KnowledgeGraph,
    adjacency: &'g Adjacency,
    params: BTreeMap<String, Value>,
    /// Set when a cap cut the search (see [`QueryResult::truncated`]).
    truncated: std::cell::Cell<bool>,
    /// The path engine's scratch arrays, made on the first shortest-path pattern and reused.
    search: std::cell::RefCell<Option<PathSearch<'g>>>,
    /// Time and rows spent against the query's [`Limits`].
    meter: Meter,
    /// `=~` patterns compiled so far, by their text.
    regexes: std::cell::RefCell<FxHashMap<String, regex::Regex>>,
    /// The column each variable occurrence ([`Var::id`]) was last found in: an expression is
    /// read against the same columns row after row, so a read checks one name instead of
    /// searching the row's.
    var_columns: std::cell::RefCell<Vec<std::cell::Cell<usize>>>,
    /// Pattern predicates' and comprehensions' layouts, by their first node's number.
    pattern_layouts: std::cell::RefCell<FxHashMap<ElementId, std::rc::Rc<PatternLayout>>>,
    /// The kinds each node pattern allows, by the pattern's number.
    kind_sets: std::cell::RefCell<FxHashMap<ElementId, Option<std::rc::Rc<[bool]>>>>,
    /// `PROFILE`: rows of each operator and time of each clause of the query itself (not of
    /// subqueries).
    profile: std::cell::RefCell<Option<Profile>>,
    /// Which part of a `UNION` and which clause runs, and how deep in subqueries, for the
    /// profile.
    part: std::cell::Cell<usize>,
    clause: std::cell::Cell<usize>,
    /// The `CALL` subquery running, by where it starts in the text (its operators are
    /// profiled too, summed over its runs).
    within: std::cell::Cell<Option<usize>>,
    depth: std::cell::Cell<usize>,
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
    rels: Steps<'q>,
    node_slots: Vec<Option<usize>>,
    rel_slots: Vec<Option<usize>>,
    /// The types each relationship allows, in matching order, as ids.
    rel_types: Vec<TypeSet>,
    path_slot: Option<usize>,
    reversed: bool,
}

/// The relation types a relationship pattern allows, resolved to the graph's type ids once
/// per pattern, so each relation is checked by its id rather than its type's name.
#[derive(Debug, Clone)]
enum TypeSet {
    /// No type given: every relation.
    Any,
    /// The allowed ids as bits, when every id is below 64 (a spreadsheet's worth of types).
    Bits(u64),
    /// The allowed ids, for graphs with more types.
    Table(std::rc::Rc<[bool]>),
}

impl TypeSet {
    fn of(types: &[String], names: &[String]) -> Self {
        if types.is_empty() {
            return TypeSet::Any;
        }
        let allowed = |name: &String| types.contains(name);
        if names.len() <= 64 {
            let bits = names
                .iter()
                .enumerate()
                .filter(|(_, name)| allowed(name))
                .fold(0u64, |bits, (id, _)| bits | (1 << id));
            TypeSet::Bits(bits)
        } else {
            TypeSet::Table(names.iter().map(allowed).collect())
        }
    }

    fn allows(&self, id: usize) -> bool {
        match self {
            TypeSet::Any => true,
            TypeSet::Bits(bits) => id < 64 && bits & (1 << id) != 0,
            TypeSet::Table(table) => table.get(id).copied().unwrap_or(false),
        }
    }
}

/// A pattern run from rows with columns `outer` (a pattern predicate or comprehension, an
/// `EXISTS`): its columns and what planning it from them found, without its references into
/// the syntax tree ([`PatternLayout::plan`] puts them back).
struct PatternLayout {
    outer: Vec<String>,
    /// `outer`, then the pattern's new variables.
    all: Vec<String>,
    reversed: bool,
    node_slots: Vec<Option<usize>>,
    rel_slots: Vec<Option<usize>>,
    rel_types: Vec<TypeSet>,
    path_slot: Option<usize>,
}

impl PatternLayout {
    fn plan<'q>(&self, pattern: &'q PathPattern) -> Plan<'q> {
        let (nodes, rels) = walk_order(pattern, self.reversed);
        Plan {
            pattern,
            nodes,
            rels,
            node_slots: self.node_slots.clone(),
            rel_slots: self.rel_slots.clone(),
            rel_types: self.rel_types.clone(),
            path_slot: self.path_slot,
            reversed: self.reversed,
        }
    }
}

/// A pattern's relationships in matching order, each with the direction it is walked in.
type Steps<'q> = Vec<(&'q RelPattern, Direction)>;

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
    /// Whether `max` is the cap on an unbounded `*`, not the query's own bound.
    capped: bool,
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
    /// `PROFILE`'s row counts, when it counts this clause.
    counts: Option<&'a matching::RowCounts>,
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
            truncated: std::cell::Cell::new(false),
            search: std::cell::RefCell::new(None),
            meter: Meter::start(Limits::default()),
            regexes: std::cell::RefCell::new(FxHashMap::default()),
            var_columns: std::cell::RefCell::new(Vec::new()),
            pattern_layouts: std::cell::RefCell::new(FxHashMap::default()),
            kind_sets: std::cell::RefCell::new(FxHashMap::default()),
            profile: std::cell::RefCell::new(None),
            part: std::cell::Cell::new(0),
            clause: std::cell::Cell::new(0),
            within: std::cell::Cell::new(None),
            depth: std::cell::Cell::new(0),
        }
    }

    /// Counts the rows of each operator and times each clause the queries run (`PROFILE`);
    /// [`Engine::profile`] gives them.
    #[must_use]
    pub fn profiled(self) -> Self {
        *self.profile.borrow_mut() = Some(Profile::default());
        self
    }

    /// What `PROFILE` measured of the queries run.
    pub fn profile(&self) -> Profile {
        self.profile.borrow().clone().unwrap_or_default()
    }

    /// Whether `PROFILE` counts what runs now: the query's own clauses, not a subquery's.
    fn profiling(&self) -> bool {
        self.depth.get() == 0 && self.profile.borrow().is_some()
    }

    /// Records for `PROFILE` the rows the current clause's `stage` produced.
    fn count_rows(&self, stage: Stage, rows: usize) {
        if self.depth.get() == 0
            && let Some(profile) = self.profile.borrow_mut().as_mut()
        {
            let site = Site {
                within: self.within.get(),
                part: self.part.get(),
                clause: self.clause.get(),
                stage,
            };
            profile.rows.push((site, rows as u64));
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
        // Keyed by the numbers of the query's patterns: another query reuses them.
        self.kind_sets.borrow_mut().clear();
        self.pattern_layouts.borrow_mut().clear();
        *self.var_columns.borrow_mut() =
            vec![std::cell::Cell::new(usize::MAX); query.variables as usize];
        self.part.set(0);
        let (columns, mut rows) = self.run_part(&query.clauses)?;
        for (part, (_, clauses)) in query.unions.iter().enumerate() {
            self.part.set(part + 1);
            let (other, more) = self.run_part(clauses)?;
            if other != columns {
                let span = clauses.last().map_or(Span::new(0, 0), clause_span);
                return Err(CypherError::semantic(
                    span,
                    format!(
                        "every part of a UNION returns the same columns: `{}`, not `{}`",
                        columns.join(", "),
                        other.join(", ")
                    ),
                )
                .with_code("DifferentColumnsInUnion"));
            }
            rows.extend(more);
        }
        if let Some((all, _)) = query.unions.first() {
            let whole = (None, 0, crate::cypher::plan::WHOLE_QUERY);
            self.at_clause(whole, || self.union_rows(&mut rows, *all));
        }
        Ok(QueryResult {
            columns,
            rows,
            notices: Vec::new(),
            plan: None,
            truncated: self.truncated.take(),
        })
    }

    /// Runs the clauses of one part of a query: its columns and rows.
    fn run_part(&self, clauses: &[Clause]) -> Result<(Vec<String>, Rows), CypherError> {
        let table = Table {
            names: Vec::new(),
            rows: vec![Vec::new()],
        };
        self.run_clauses(table, clauses)
    }

    /// Runs part `part` of the `CALL` subquery starting at `within` from one row (`names`,
    /// `row`): the rows it returns. Its clauses are profiled as the subquery's.
    pub(super) fn run_call_part(
        &self,
        (within, part): (usize, usize),
        clauses: &[Clause],
        names: &[String],
        row: &[Value],
    ) -> Result<Rows, CypherError> {
        let table = Table {
            names: names.to_vec(),
            rows: vec![row.to_vec()],
        };
        // The clause number is run_clauses' to set.
        let result = self.at_clause((Some(within), part, 0), || self.run_clauses(table, clauses));
        Ok(result?.1)
    }

    /// The rows of a `UNION`'s parts together: counted, and without duplicates unless
    /// `UNION ALL`.
    fn union_rows(&self, rows: &mut Rows, all: bool) {
        self.count_rows(Stage::Union, rows.len());
        if !all {
            let mut seen = rustc_hash::FxHashSet::default();
            rows.retain(|row| seen.insert(row.iter().map(Value::group_key).collect::<Vec<_>>()));
            self.count_rows(Stage::Distinct, rows.len());
        }
    }

    /// Runs `work` with the profile's position (`within`, part, clause) at `at`, then puts
    /// back the position before.
    fn at_clause<T>(&self, at: ClauseAt, work: impl FnOnce() -> T) -> T {
        let before = (self.within.get(), self.part.get(), self.clause.get());
        self.within.set(at.0);
        self.part.set(at.1);
        self.clause.set(at.2);
        let done = work();
        self.within.set(before.0);
        self.part.set(before.1);
        self.clause.set(before.2);
        done
    }

    /// Runs a subquery's clauses from one row of the query around it: the rows it returns.
    pub(super) fn run_subquery(
        &self,
        clauses: &[Clause],
        names: &[String],
        row: &[Value],
    ) -> Result<Rows, CypherError> {
        let table = Table {
            names: names.to_vec(),
            rows: vec![row.to_vec()],
        };
        self.depth.set(self.depth.get() + 1);
        let result = self.run_clauses(table, clauses);
        self.depth.set(self.depth.get() - 1);
        Ok(result?.1)
    }

    /// Runs `clauses` over the rows of `table`.
    fn run_clauses(
        &self,
        mut table: Table,
        clauses: &[Clause],
    ) -> Result<(Vec<String>, Rows), CypherError> {
        let mut columns = Vec::new();
        let mut i = 0;
        let measuring = self.profiling();
        while i < clauses.len() {
            let began = measuring.then(std::time::Instant::now);
            self.clause.set(i);
            let next = clauses.get(i + 1);
            table = match (&clauses[i], next) {
                // A MATCH feeds an aggregating projection straight into its groups, so
                // `count(*)` over any number of matches holds no row.
                (Clause::Match(m), Some(Clause::With(p) | Clause::Return(p)))
                    if p.items.iter().any(|item| item.expr.has_aggregate()) =>
                {
                    let grouped = self.run_match(table, m, None, Some(p))?;
                    i += 1;
                    grouped
                }
                (Clause::Match(m), _) => self.run_match(table, m, self.row_budget(next)?, None)?,
                (Clause::Unwind { expr, alias }, _) => self.run_unwind(table, expr, alias)?,
                (Clause::With(p) | Clause::Return(p), _) => self.run_projection(table, p)?,
                (Clause::Call(call), _) => {
                    let joined = self.run_call(table, call)?;
                    self.count_rows(Stage::Out, joined.rows.len());
                    joined
                }
            };
            if let Clause::Return(_) = &clauses[i] {
                columns.clone_from(&table.names);
            }
            if let Some(began) = began
                && let Some(profile) = self.profile.borrow_mut().as_mut()
            {
                let ms = began.elapsed().as_secs_f64() * 1000.0;
                profile
                    .times
                    .push(((self.within.get(), self.part.get(), i), ms));
            }
            i += 1;
        }
        Ok((columns, table.rows))
    }

    /// Returns the column of `var` in `names`, the columns of the rows it is read from.
    pub(super) fn column_of(&self, var: &Var, names: &[String]) -> Option<usize> {
        let columns = self.var_columns.borrow();
        let remembered = columns.get(var.id as usize);
        if let Some(column) = remembered
            && names.get(column.get()) == Some(&var.name)
        {
            return Some(column.get());
        }
        let found = names.iter().position(|n| *n == var.name)?;
        if let Some(column) = remembered {
            column.set(found);
        }
        Some(found)
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
            Value::Int(n) => Err(CypherError::semantic(
                expr.span,
                format!("{what} takes a non-negative integer, not {n}"),
            )
            .with_code("NegativeIntegerArgument")),
            other => Err(CypherError::semantic(
                expr.span,
                format!(
                    "{what} takes a non-negative integer, not {}",
                    other.described_type()
                ),
            )
            .with_code("InvalidArgumentType")),
        }
    }
}

/// Where a clause's message points: its projection's first item, else the start.
fn clause_span(clause: &Clause) -> Span {
    match clause {
        Clause::Return(p) | Clause::With(p) => {
            p.items.first().map_or(Span::new(0, 0), |i| i.expr.span)
        }
        Clause::Unwind { expr, .. } => expr.span,
        Clause::Match(m) => m.patterns.first().map_or(Span::new(0, 0), |p| p.span),
        Clause::Call(call) => call.span,
    }
}

mod aggregate;
mod call;
mod eval;
mod functions;
mod matching;
mod operators;
mod paths;
mod project;
pub(crate) mod properties;
mod scalar;

use aggregate::Grouping;
use eval::truthy;
use matching::check_variables;
use project::projection_columns;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cypher::parser::parse;

    /// a → b → c, a → c, and a parallel pair b ⇉ c.
    fn graph() -> KnowledgeGraph {
        KnowledgeGraph::from_csv(
            &[("n", "id,x:int\na,1\nb,2\nc,\n")],
            &[("r", "from,type,to\na,t,b\nb,t,c\na,u,c\nb,t,c\n")],
            None,
        )
        .unwrap()
    }

    #[test]
    fn a_variable_finds_its_column_and_checks_it_next_time() {
        let kg = graph();
        let engine = Engine::new(&kg, kg.adjacency(), BTreeMap::new());
        // `b` in RETURN is the query's one variable occurrence (patterns name, not read).
        let query = parse("MATCH (a)-->(b) RETURN b").unwrap();
        assert_eq!(query.variables, 1);
        engine.run(&query).unwrap();
        let var = Var::new("b".to_owned(), 0);
        let names = ["a".to_owned(), "b".to_owned()];
        assert_eq!(engine.column_of(&var, &names), Some(1));
        assert_eq!(engine.var_columns.borrow()[0].get(), 1);
        assert_eq!(engine.column_of(&var, &names), Some(1));
        // Read against other columns, it searches again.
        assert_eq!(engine.column_of(&var, &["b".to_owned()]), Some(0));
        assert_eq!(engine.column_of(&var, &["c".to_owned()]), None);
        // An occurrence the query does not have is searched for every time.
        let stranger = Var::new("a".to_owned(), 99);
        assert_eq!(engine.column_of(&stranger, &names), Some(0));
    }

    #[test]
    fn a_pattern_predicate_is_planned_once_for_all_its_rows() {
        let kg = graph();
        let engine = Engine::new(&kg, kg.adjacency(), BTreeMap::new());
        let query = parse(
            "MATCH (a) WHERE (a)-[:t]->() RETURN a.id AS id, [(a)-->(b) | b.id] AS out ORDER BY id",
        )
        .unwrap();
        let result = engine.run(&query).unwrap();
        let ids: Vec<String> = result.rows.iter().map(|r| format!("{:?}", r[0])).collect();
        assert_eq!(ids.len(), 2, "{ids:?}");
        // Three rows went through the predicate, two through the comprehension: one layout
        // each, by the number of the pattern's first node.
        assert_eq!(engine.pattern_layouts.borrow().len(), 2);
        // Read from other columns, a pattern is planned again for them.
        let layout = engine.pattern_layout(
            match &query.clauses[0] {
                Clause::Match(m) => match &m.filter.as_ref().unwrap().kind {
                    ExprKind::Pattern(pattern) => pattern,
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            },
            &["x".to_owned(), "a".to_owned()],
        );
        assert_eq!(layout.unwrap().all, ["x", "a"]);
    }

    fn rows(kg: &KnowledgeGraph, text: &str) -> Vec<String> {
        let adjacency = kg.adjacency();
        let query = parse(text).unwrap();
        let result = Engine::new(kg, adjacency, BTreeMap::new())
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
        let kg = graph();
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
        let kg = graph();
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
        let kg = graph();
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
        let kg = graph();
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
        let kg = graph();
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
    fn relationships_have_the_properties_the_exports_reserve() {
        let kg = graph();
        let adjacency = kg.adjacency();
        let engine = Engine::new(&kg, adjacency, BTreeMap::new());
        let edge = kg.edge_indices().next().unwrap();
        let names: Vec<String> = engine
            .rel_properties(edge)
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| crate::graph::RELATION_PROPERTIES.contains(&name.as_str()))
            .collect();
        for name in crate::graph::RELATION_PROPERTIES {
            let value = engine.rel_property(edge, name);
            assert_eq!(
                names.iter().any(|n| n == name),
                !value.is_null(),
                "`{name}` is listed and read alike"
            );
        }
        assert!(names.contains(&"rid".to_owned()));
    }

    #[test]
    fn an_answer_is_truncated_only_when_the_cap_cut_a_trail() {
        let ids: Vec<String> = (0..=10).map(|i| format!("n{i}")).collect();
        let entities = format!("id\n{}\n", ids.join("\n"));
        let relations: String = std::iter::once("from,type,to\n".to_owned())
            .chain(ids.windows(2).map(|w| format!("{},next,{}\n", w[0], w[1])))
            .collect();
        let kg = KnowledgeGraph::from_csv(
            &[("entities/n.csv", &entities)],
            &[("relations/next.csv", &relations)],
            None,
        )
        .unwrap();
        let adjacency = kg.adjacency();
        let run = |text: &str| {
            Engine::new(&kg, adjacency, BTreeMap::new())
                .run(&parse(text).unwrap())
                .unwrap()
        };
        // A chain of 10 relations: from n0 the cap of 8 cuts; from n2 (8 to go) it does not.
        let cut = run("MATCH ({id: 'n0'})-[*]->(b) RETURN count(b) AS n");
        assert!(cut.truncated);
        assert_eq!(cut.rows, [[Value::Int(8)]]);
        let whole = run("MATCH ({id: 'n2'})-[*]->(b) RETURN count(b) AS n");
        assert!(!whole.truncated);
        assert_eq!(whole.rows, [[Value::Int(8)]]);
        assert!(!run("MATCH ({id: 'n0'})-[*..20]->(b) RETURN b").truncated);
    }

    #[test]
    fn a_regular_expression_is_compiled_once_per_query() {
        let kg = graph();
        let adjacency = kg.adjacency();
        let engine = Engine::new(&kg, adjacency, BTreeMap::new());
        let query = parse("MATCH (n) WHERE n.id =~ '[ab]' RETURN n.id").unwrap();
        let result = engine.run(&query).unwrap();
        assert_eq!(result.rows.len(), 2);
        assert_eq!(engine.regexes.borrow().len(), 1);
    }

    #[test]
    fn aggregates_over_no_rows_give_one_row() {
        let kg = graph();
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
        let kg = graph();
        let mut reached = rows(&kg, "MATCH (x {id: 'a'})-[*0..1]->(y) RETURN y.id");
        reached.sort();
        assert_eq!(reached, ["a", "b", "c"]);
    }

    #[test]
    fn order_by_with_a_limit_keeps_what_sorting_everything_would() {
        let kg = graph();
        // Ties everywhere: rows equal under `x % 3` keep the order they came in.
        let all = rows(
            &kg,
            "UNWIND [5, 3, 9, 0, 7, 2, 8, 6, 1, 4] AS x RETURN x ORDER BY x % 3 DESC",
        );
        for limit in 0..=11 {
            for skip in 0..=3 {
                let top = rows(
                    &kg,
                    &format!(
                        "UNWIND [5, 3, 9, 0, 7, 2, 8, 6, 1, 4] AS x RETURN x \
                         ORDER BY x % 3 DESC SKIP {skip} LIMIT {limit}"
                    ),
                );
                let expected: Vec<String> = all.iter().skip(skip).take(limit).cloned().collect();
                assert_eq!(top, expected, "SKIP {skip} LIMIT {limit}");
            }
        }
        assert_eq!(all[..5], ["5", "2", "8", "7", "1"]);
    }

    #[test]
    fn a_type_set_allows_the_ids_of_the_types_it_names() {
        let names = |count: usize| -> Vec<String> { (0..count).map(|i| format!("t{i}")).collect() };
        let wanted = ["t3".to_owned(), "t70".to_owned(), "nowhere".to_owned()];
        let few = TypeSet::of(&wanted, &names(10));
        assert!(matches!(few, TypeSet::Bits(_)));
        let allowed: Vec<usize> = (0..80).filter(|&id| few.allows(id)).collect();
        assert_eq!(allowed, [3]);
        let many = TypeSet::of(&wanted, &names(100));
        assert!(matches!(many, TypeSet::Table(_)));
        let allowed: Vec<usize> = (0..120).filter(|&id| many.allows(id)).collect();
        assert_eq!(allowed, [3, 70]);
        let any = TypeSet::of(&[], &names(3));
        assert!((0..200).all(|id| any.allows(id)));
    }
}
