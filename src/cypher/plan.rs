//! `EXPLAIN` and `PROFILE`: the operators a query runs through, with the rows `ties` expects
//! each to produce, and for `PROFILE` the rows and time it measured, in the spirit of Neo4j's
//! plan output.
//!
//! The operators are read off the query clause by clause, in the order the executor runs
//! them (it runs clause after clause, each over the rows of the one before): a `MATCH` is a
//! scan (all entities, a kind's, or an id's) and an expand per relationship, a filter for
//! `WHERE`; a projection is aggregation, distinct, sort or top, skip, limit and projection.
//! Estimates come from the graph's counts: entities per kind, relations per type. `PROFILE`
//! measures each clause as a whole, so a clause's rows and time are shown on its last
//! operator.

use std::collections::HashMap;

use serde::Serialize;

use crate::cypher::ast::{
    Clause, Direction, Expr, ExprKind, Literal, Match, NodePattern, PathPattern, Projection, Query,
};
use crate::graph::KnowledgeGraph;

/// Whether a query runs, is explained, or runs profiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Run it.
    Run,
    /// `EXPLAIN`: the plan, nothing run.
    Explain,
    /// `PROFILE`: run it and measure each clause.
    Profile,
}

/// Reads a leading `EXPLAIN` or `PROFILE` (any case) and returns the mode and the text with
/// the keyword blanked out, so spans in it still point into the text as written.
#[must_use]
pub fn mode_of(source: &str) -> (Mode, std::borrow::Cow<'_, str>) {
    let trimmed = source.trim_start();
    let offset = source.len() - trimmed.len();
    for (keyword, mode) in [("EXPLAIN", Mode::Explain), ("PROFILE", Mode::Profile)] {
        let word = trimmed.get(..keyword.len());
        let after = trimmed[keyword.len().min(trimmed.len())..].chars().next();
        if word.is_some_and(|w| w.eq_ignore_ascii_case(keyword))
            && after.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        {
            let mut blanked = source.to_owned();
            blanked.replace_range(offset..offset + keyword.len(), &" ".repeat(keyword.len()));
            return (mode, std::borrow::Cow::Owned(blanked));
        }
    }
    (Mode::Run, std::borrow::Cow::Borrowed(source))
}

/// One operator of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operator {
    /// Neo4j's name for what it does (`NodeByLabelScan`, `Expand(All)`, `EagerAggregation`).
    pub operator: String,
    /// What it works on, as the query writes it.
    pub details: String,
    /// The rows `ties` expects it to produce.
    pub estimated_rows: f64,
    /// `PROFILE`: the rows it produced (the clause's, on its last operator).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// `PROFILE`: the milliseconds it took (the clause's, on its last operator).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<f64>,
    /// The operators it reads from (two for a Cartesian product or a union, else one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Operator>,
    /// Which part (of a `UNION`) and clause it comes from, for `PROFILE`.
    #[serde(skip)]
    clause: Option<(usize, usize)>,
}

/// What `PROFILE` measured of one clause.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClauseMeasure {
    /// The part of the query (0, then one per `UNION`).
    pub part: usize,
    /// The clause within the part.
    pub clause: usize,
    /// Rows after it.
    pub rows: u64,
    /// Its time; `None` for a `MATCH` that feeds an aggregate, whose time is the aggregate's.
    pub time_ms: Option<f64>,
}

/// Counts the estimates start from.
struct Counts {
    entities: f64,
    relations: f64,
    per_label: HashMap<String, f64>,
    per_type: HashMap<String, f64>,
}

impl Counts {
    fn of(kg: &KnowledgeGraph) -> Self {
        let mut per_kind = vec![0.0; kg.catalog.kinds.len()];
        for node in kg.node_indices() {
            per_kind[usize::from(kg.entity(node).kind)] += 1.0;
        }
        let mut per_label: HashMap<String, f64> = HashMap::new();
        for (kind, count) in kg.catalog.kinds.iter().zip(&per_kind) {
            *per_label.entry(kind.clone()).or_default() += count;
            let label = kg.style.kind_label(kind);
            if label != kind {
                *per_label.entry(label.to_owned()).or_default() += count;
            }
        }
        let mut per_type: HashMap<String, f64> = HashMap::new();
        for edge in kg.edge_indices() {
            *per_type.entry(kg.rel_type(edge).to_owned()).or_default() += 1.0;
        }
        #[allow(clippy::cast_precision_loss)]
        Counts {
            entities: kg.entity_count() as f64,
            relations: kg.relation_count() as f64,
            per_label,
            per_type,
        }
    }

    fn label_rows(&self, labels: &[String]) -> f64 {
        if labels.is_empty() || labels.iter().any(|l| l == "Entity") {
            return self.entities;
        }
        labels
            .iter()
            .map(|l| self.per_label.get(l).copied().unwrap_or(0.0))
            .sum()
    }

    /// Relations per entity of the given types, in one direction.
    fn degree(&self, types: &[String]) -> f64 {
        let relations = if types.is_empty() {
            self.relations
        } else {
            types
                .iter()
                .map(|t| self.per_type.get(t).copied().unwrap_or(0.0))
                .sum()
        };
        relations / self.entities.max(1.0)
    }
}

fn op(operator: &str, details: String, estimated_rows: f64, clause: (usize, usize)) -> Operator {
    Operator {
        operator: operator.to_owned(),
        details,
        estimated_rows: estimated_rows.max(0.0),
        rows: None,
        time_ms: None,
        children: Vec::new(),
        clause: Some(clause),
    }
}

/// Stacks `next` on `below`: `next` reads from it.
fn on(mut next: Operator, below: Option<Operator>) -> Operator {
    next.children.extend(below);
    next
}

fn node_text(node: &NodePattern) -> String {
    let mut text = String::from("(");
    text.push_str(node.variable.as_deref().unwrap_or(""));
    for (i, label) in node.labels.iter().enumerate() {
        text.push(if i == 0 { ':' } else { '|' });
        text.push_str(label);
    }
    if !node.properties.is_empty() {
        // The values as written: an id seek says which id (`{id: 'kazakhstan'}`, `{id: $a}`).
        let entries: Vec<String> = node
            .properties
            .iter()
            .map(|(key, value)| format!("{key}: {value}"))
            .collect();
        text.push_str(" {");
        text.push_str(&entries.join(", "));
        text.push('}');
    }
    text.push(')');
    text
}

/// A literal `LIMIT` as a number, for the estimate.
#[allow(clippy::cast_precision_loss)]
fn literal_count(expr: Option<&Expr>) -> Option<f64> {
    match expr.map(|e| &e.kind) {
        Some(ExprKind::Literal(Literal::Int(n))) if *n >= 0 => Some(*n as f64),
        _ => None,
    }
}

struct Planner {
    counts: Counts,
    part: usize,
}

impl Planner {
    fn pattern(
        &self,
        pattern: &PathPattern,
        bound: &[String],
        clause: usize,
        rows_in: f64,
    ) -> Operator {
        let at = (self.part, clause);
        let start = &pattern.start;
        let start_bound = start.variable.as_ref().is_some_and(|v| bound.contains(v));
        let mut rows;
        let mut current = if start_bound {
            rows = rows_in;
            op("Argument", node_text(start), rows, at)
        } else if start.properties.iter().any(|(k, _)| k == "id") {
            rows = rows_in;
            op("NodeByIdSeek", node_text(start), rows, at)
        } else if start.labels.is_empty() {
            rows = rows_in * self.counts.entities;
            op("AllNodesScan", node_text(start), rows, at)
        } else {
            rows = rows_in * self.counts.label_rows(&start.labels);
            op("NodeByLabelScan", node_text(start), rows, at)
        };
        let mut left = start;
        for (rel, node) in &pattern.steps {
            let mut degree = self.counts.degree(&rel.types);
            if rel.direction == Direction::Either {
                degree *= 2.0;
            }
            let arrow = match rel.direction {
                Direction::Outgoing => ("-", "->"),
                Direction::Incoming => ("<-", "-"),
                Direction::Either => ("-", "-"),
            };
            let types = if rel.types.is_empty() {
                String::new()
            } else {
                format!(":{}", rel.types.join("|"))
            };
            let length = match rel.length {
                Some((min, Some(max))) => format!("*{min}..{max}"),
                Some((min, None)) => format!("*{min}.."),
                None => String::new(),
            };
            let details = format!(
                "{}{}[{}{types}{length}]{}{}",
                node_text(left),
                arrow.0,
                rel.variable.as_deref().unwrap_or(""),
                arrow.1,
                node_text(node)
            );
            let (name, factor) = match (pattern.selector, rel.length) {
                (Some(_), _) => ("ShortestPath", 1.0),
                (None, Some((min, max))) => {
                    let max = max.unwrap_or(super::exec::DEFAULT_MAX_HOPS).max(min.max(1));
                    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
                    let reach = (min.max(1)..=max)
                        .map(|k| degree.powi(k as i32))
                        .sum::<f64>();
                    ("VarLengthExpand(All)", reach)
                }
                (None, None) => ("Expand(All)", degree),
            };
            rows = (rows * factor).min(rows_in * self.counts.entities.max(1.0).powi(2));
            current = on(op(name, details, rows, at), Some(current));
            if !node.labels.is_empty() {
                rows *= self.counts.label_rows(&node.labels) / self.counts.entities.max(1.0);
                current = on(
                    op(
                        "Filter",
                        format!("{} has its label", node_text(node)),
                        rows,
                        at,
                    ),
                    Some(current),
                );
            }
            left = node;
        }
        current
    }

    fn matching(
        &self,
        m: &Match,
        below: Option<Operator>,
        bound: &mut Vec<String>,
        clause: usize,
        rows_in: f64,
    ) -> (Operator, f64) {
        let at = (self.part, clause);
        let mut rows = rows_in;
        let mut top: Option<Operator> = None;
        for pattern in &m.patterns {
            let connected = pattern.variables().iter().any(|v| bound.contains(v));
            top = Some(match top {
                // The first pattern runs once per row coming in.
                None => {
                    let this = self.pattern(pattern, bound, clause, rows_in);
                    rows = this.estimated_rows;
                    this
                }
                // A pattern sharing a variable runs once per row so far.
                Some(earlier) if connected => {
                    let this = self.pattern(pattern, bound, clause, rows);
                    rows = this.estimated_rows;
                    let mut apply = op("Apply", String::new(), rows, at);
                    apply.children = vec![earlier, this];
                    apply
                }
                // One sharing none pairs each of its matches with each row so far.
                Some(earlier) => {
                    let this = self.pattern(pattern, bound, clause, 1.0);
                    rows *= this.estimated_rows;
                    let mut product = op("CartesianProduct", String::new(), rows, at);
                    product.children = vec![earlier, this];
                    product
                }
            });
            bound.extend(pattern.variables());
        }
        // The clause's own patterns and WHERE run once per row coming in (the right-hand
        // side of an Apply over the clauses before); OPTIONAL keeps a row they do not match.
        let mut current = top.expect("a MATCH has a pattern");
        if let Some(filter) = &m.filter {
            rows *= 0.5;
            current = on(op("Filter", filter.to_string(), rows, at), Some(current));
        }
        if m.optional {
            rows = rows.max(rows_in);
            current = on(op("Optional", String::new(), rows, at), Some(current));
        }
        if let Some(below) = below {
            let mut apply = op("Apply", String::new(), rows, at);
            apply.children = vec![below, current];
            current = apply;
        }
        (current, rows)
    }

    fn projection(
        &self,
        p: &Projection,
        below: Operator,
        clause: usize,
        rows_in: f64,
        last: bool,
    ) -> (Operator, f64) {
        let at = (self.part, clause);
        let mut rows = rows_in;
        let mut current = below;
        let names: Vec<&str> = p.items.iter().map(|i| i.name.as_str()).collect();
        if p.items.iter().any(|i| i.expr.has_aggregate()) {
            let keys = p.items.iter().filter(|i| !i.expr.has_aggregate()).count();
            rows = if keys == 0 { 1.0 } else { rows.sqrt().max(1.0) };
            current = on(
                op("EagerAggregation", names.join(", "), rows, at),
                Some(current),
            );
        } else {
            current = on(op("Projection", names.join(", "), rows, at), Some(current));
        }
        if p.distinct {
            current = on(op("Distinct", String::new(), rows, at), Some(current));
        }
        if let Some(filter) = &p.filter {
            rows *= 0.5;
            current = on(op("Filter", filter.to_string(), rows, at), Some(current));
        }
        let limit = literal_count(p.limit.as_ref());
        if !p.order.is_empty() {
            let keys: Vec<String> = p
                .order
                .iter()
                .map(|k| format!("{}{}", k.expr, if k.descending { " DESC" } else { "" }))
                .collect();
            let mut details = keys.join(", ");
            let name = match (&p.limit, limit) {
                (Some(count), limit) => {
                    rows = rows.min(limit.unwrap_or(rows));
                    // The rows skipped are sorted too: Top keeps `SKIP + LIMIT` of them.
                    details = match &p.skip {
                        Some(skip) => format!("{details} LIMIT {skip} + {count}"),
                        None => format!("{details} LIMIT {count}"),
                    };
                    "Top"
                }
                (None, _) => "Sort",
            };
            current = on(op(name, details, rows, at), Some(current));
        }
        if let Some(skip) = &p.skip {
            current = on(op("Skip", skip.to_string(), rows, at), Some(current));
        }
        if let (Some(count), true) = (&p.limit, p.order.is_empty()) {
            if let Some(limit) = limit {
                rows = rows.min(limit);
            }
            current = on(op("Limit", count.to_string(), rows, at), Some(current));
        }
        if last {
            current = on(
                op("ProduceResults", names.join(", "), rows, at),
                Some(current),
            );
        }
        (current, rows)
    }

    fn part(&mut self, clauses: &[Clause]) -> Operator {
        let mut bound: Vec<String> = Vec::new();
        let mut rows = 1.0;
        let mut current: Option<Operator> = None;
        for (i, clause) in clauses.iter().enumerate() {
            let last = i + 1 == clauses.len();
            match clause {
                Clause::Match(m) => {
                    let (next, out) = self.matching(m, current.take(), &mut bound, i, rows);
                    current = Some(next);
                    rows = out;
                }
                Clause::Unwind { expr, alias } => {
                    // A list written out has its length; anything else is guessed at ten.
                    rows *= match &expr.kind {
                        #[allow(clippy::cast_precision_loss)]
                        ExprKind::List(items) => items.len() as f64,
                        _ => 10.0,
                    };
                    current = Some(on(
                        op("Unwind", alias.clone(), rows, (self.part, i)),
                        current.take(),
                    ));
                    bound.push(alias.clone());
                }
                Clause::With(p) | Clause::Return(p) => {
                    let below = current
                        .take()
                        .unwrap_or_else(|| op("Argument", String::new(), 1.0, (self.part, i)));
                    let (next, out) = self.projection(p, below, i, rows, last);
                    current = Some(next);
                    rows = out;
                    bound = p.items.iter().map(|item| item.name.clone()).collect();
                }
            }
        }
        current.unwrap_or_else(|| op("Argument", String::new(), 1.0, (self.part, 0)))
    }
}

/// The plan of `query` over `kg`, with estimates.
#[must_use]
pub fn explain(kg: &KnowledgeGraph, query: &Query) -> Operator {
    let mut planner = Planner {
        counts: Counts::of(kg),
        part: 0,
    };
    let first = planner.part(&query.clauses);
    if query.unions.is_empty() {
        return first;
    }
    let mut parts = vec![first];
    for (i, (_, clauses)) in query.unions.iter().enumerate() {
        planner.part = i + 1;
        parts.push(planner.part(clauses));
    }
    let rows = parts.iter().map(|p| p.estimated_rows).sum();
    let all = query.unions.iter().all(|(all, _)| *all);
    let mut union = Operator {
        operator: "Union".to_owned(),
        details: String::new(),
        estimated_rows: rows,
        rows: None,
        time_ms: None,
        children: parts,
        clause: None,
    };
    if !all {
        union = on(
            Operator {
                operator: "Distinct".to_owned(),
                details: String::new(),
                estimated_rows: rows,
                rows: None,
                time_ms: None,
                children: Vec::new(),
                clause: None,
            },
            Some(union),
        );
    }
    union
}

/// Puts `PROFILE`'s measures on the plan: each clause's rows and time on its last operator
/// (the one nearest the top).
pub fn attach(plan: &mut Operator, measures: &[ClauseMeasure]) {
    fn walk(operator: &mut Operator, measures: &[ClauseMeasure], seen: &mut Vec<(usize, usize)>) {
        if let Some(at) = operator.clause
            && !seen.contains(&at)
        {
            seen.push(at);
            if let Some(m) = measures.iter().find(|m| (m.part, m.clause) == at) {
                operator.rows = Some(m.rows);
                operator.time_ms = m.time_ms;
            }
        }
        for child in &mut operator.children {
            walk(child, measures, seen);
        }
    }
    walk(plan, measures, &mut Vec::new());
}

/// The plan as rows of a table, top operator first, children indented.
#[must_use]
pub fn rows(plan: &Operator) -> Vec<(String, &Operator)> {
    fn walk<'p>(op: &'p Operator, depth: usize, out: &mut Vec<(String, &'p Operator)>) {
        let branch = if depth == 0 {
            String::new()
        } else {
            format!("{}+", "| ".repeat(depth - 1))
        };
        out.push((format!("{branch}{}", op.operator), op));
        // The first child (the left-hand side) continues the line; the others branch off it
        // and are printed above it, as Neo4j prints an Apply's or a Union's right-hand side.
        for (i, child) in op.children.iter().enumerate().rev() {
            walk(child, if i == 0 { depth } else { depth + 1 }, out);
        }
    }
    let mut out = Vec::new();
    walk(plan, 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cypher::parser::parse;

    fn graph() -> KnowledgeGraph {
        KnowledgeGraph::from_csv(
            &[
                ("companies", "id,name\nc1,Acme\nc2,Beta\n"),
                ("people", "id,name\np1,Ann\np2,Bob\np3,Cy\np4,Di\n"),
            ],
            &[(
                "r",
                "from,type,to\np1,owns,c1\np2,owns,c1\np3,owns,c2\np4,knows,p1\n",
            )],
            None,
        )
        .unwrap()
    }

    fn operators(query: &str) -> Vec<String> {
        let plan = explain(&graph(), &parse(query).unwrap());
        rows(&plan)
            .into_iter()
            .map(|(name, op)| format!("{name} {:.1}", op.estimated_rows))
            .collect()
    }

    #[test]
    fn a_query_is_explained_operator_by_operator_with_estimates() {
        assert_eq!(
            operators(
                "MATCH (p:people)-[:owns]->(c) RETURN c.name, count(p) AS n ORDER BY n DESC LIMIT 1"
            ),
            [
                "ProduceResults 1.0",
                "Top 1.0",
                "EagerAggregation 1.4",
                "Expand(All) 2.0",
                "NodeByLabelScan 4.0",
            ]
        );
    }

    #[test]
    fn explain_and_profile_are_read_off_the_front_keeping_spans() {
        let (mode, text) = mode_of("  explain MATCH (n) RETURN n");
        assert_eq!(mode, Mode::Explain);
        assert_eq!(text, "          MATCH (n) RETURN n");
        assert_eq!(mode_of("PROFILE\nRETURN 1").0, Mode::Profile);
        assert_eq!(mode_of("RETURN 1 AS explain").0, Mode::Run);
        assert_eq!(mode_of("EXPLAINED").0, Mode::Run);
    }

    #[test]
    fn unconnected_patterns_are_a_cartesian_product_and_unions_a_union() {
        let found = operators("MATCH (a:people), (b:companies) RETURN a, b");
        assert!(
            found.iter().any(|o| o.starts_with("CartesianProduct 8.0")),
            "{found:?}"
        );
        let found = operators(
            "MATCH (a:people) RETURN a.name AS n UNION MATCH (b:companies) RETURN b.name AS n",
        );
        assert!(found[0].starts_with("Distinct"), "{found:?}");
        assert!(found[1].contains("Union"), "{found:?}");
    }

    #[test]
    fn an_optional_match_is_the_right_hand_side_of_an_apply_printed_above_its_left() {
        let names: Vec<String> = operators(
            "MATCH (a:people) OPTIONAL MATCH (a)-[:owns]->(c) WHERE c.name <> 'x' RETURN a, c",
        )
        .into_iter()
        .map(|row| row.split(' ').next().unwrap_or_default().to_owned())
        .collect();
        assert_eq!(
            names,
            [
                "ProduceResults",
                "Projection",
                "Apply",
                "+Optional",
                "+Filter",
                "+Expand(All)",
                "+Argument",
                "NodeByLabelScan",
            ]
        );
        let names: Vec<String> = operators(
            "MATCH (a:people) RETURN a.name AS n UNION MATCH (b:companies) RETURN b.name AS n",
        )
        .into_iter()
        .map(|row| row.split(' ').next().unwrap_or_default().to_owned())
        .collect();
        // The second part is the branch; the first continues the line at the bottom.
        assert_eq!(names[4], "+NodeByLabelScan", "{names:?}");
        assert_eq!(names.last().map(String::as_str), Some("NodeByLabelScan"));
    }

    #[test]
    fn a_seek_shows_its_id_and_an_unwound_list_its_length() {
        let plan = explain(
            &graph(),
            &parse("UNWIND ['p1', 'p2', 'p3'] AS i MATCH (p {id: i}) RETURN p").unwrap(),
        );
        let found: Vec<(String, String, f64)> = rows(&plan)
            .into_iter()
            .map(|(name, op)| (name, op.details.clone(), op.estimated_rows))
            .collect();
        assert!(
            found.contains(&("+NodeByIdSeek".to_owned(), "(p {id: i})".to_owned(), 3.0)),
            "{found:?}"
        );
        assert!(
            found.contains(&("Unwind".to_owned(), "i".to_owned(), 3.0)),
            "{found:?}"
        );
    }
}
