//! The planner: a query's operators in the order the executor runs them, with the rows
//! expected of each from the graph's counts (entities per kind, relations per type).

use super::counts::Counts;
use super::start::{Source, id_equalities, kept_by_properties, start_of, walk_order};
use super::{Operator, Site, Stage};
use crate::cypher::ast::{
    CallSubquery, Clause, Direction, Expr, ExprKind, Literal, Match, NodePattern, PathPattern,
    Projection, Query, Sees,
};
use crate::graph::KnowledgeGraph;

fn op(
    operator: &str,
    details: String,
    estimated_rows: f64,
    site: impl Into<Option<Site>>,
) -> Operator {
    Operator {
        operator: operator.to_owned(),
        details,
        estimated_rows: estimated_rows.max(0.0),
        rows: None,
        time_ms: None,
        children: Vec::new(),
        site: site.into(),
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

struct Planner<'g> {
    counts: Counts<'g>,
    part: usize,
    /// The `CALL` subquery being planned, by where it starts: it produces no results of its
    /// own, and its operators' sites say which subquery they are in.
    within: Option<usize>,
}

impl Planner<'_> {
    fn site(&self, clause: usize, stage: Stage) -> Site {
        Site {
            within: self.within,
            part: self.part,
            clause,
            stage,
        }
    }

    /// Pattern `index` of a `MATCH`, walked as the executor walks it, once per row in.
    #[allow(clippy::too_many_arguments)]
    fn pattern(
        &self,
        pattern: &PathPattern,
        index: usize,
        bound: &[String],
        anchors: &rustc_hash::FxHashMap<String, Expr>,
        clause: usize,
        rows_in: f64,
    ) -> Operator {
        let size = |node: &NodePattern| self.counts.label_rows(&node.labels);
        let start = start_of(pattern, bound, anchors, &size);
        let (nodes, rels) = walk_order(pattern, start.reversed);
        let first = nodes[0];
        let at = self.site(clause, Stage::Start(index));
        let mut rows;
        let mut current = match start.source {
            Source::Argument => {
                rows = rows_in;
                op("Argument", node_text(first), rows, at)
            }
            Source::IdSeek => {
                rows = rows_in;
                op("NodeByIdSeek", node_text(first), rows, at)
            }
            Source::FilterSeek => {
                rows = rows_in;
                let variable = first.variable.as_deref().unwrap_or_default();
                let value = anchors.get(variable).map(ToString::to_string);
                let details = format!(
                    "{} WHERE {variable}.id = {}",
                    node_text(first),
                    value.unwrap_or_default()
                );
                op("NodeByIdSeek", details, rows, at)
            }
            Source::AllNodes => {
                rows = rows_in * self.counts.entities * kept_by_properties(first);
                op("AllNodesScan", node_text(first), rows, at)
            }
            Source::LabelScan => {
                rows = rows_in * self.counts.label_rows(&first.labels) * kept_by_properties(first);
                op("NodeByLabelScan", node_text(first), rows, at)
            }
        };
        // Variables bound when each node is reached: an expand to one of them only checks
        // that the relationship leads there (Neo4j's `Expand(Into)`).
        let mut known: Vec<&str> = bound.iter().map(String::as_str).collect();
        known.extend(first.variable.as_deref());
        let mut left = first;
        for (step, ((rel, direction), node)) in rels.iter().zip(&nodes[1..]).enumerate() {
            let mut degree = self.counts.degree(&rel.types);
            if *direction == Direction::Either {
                degree *= 2.0;
            }
            let arrow = match direction {
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
            let into = node.variable.as_deref().is_some_and(|v| known.contains(&v));
            let (name, factor) = match (pattern.selector, rel.length, into) {
                (Some(_), _, _) => ("ShortestPath", 1.0),
                (None, Some((min, max)), into) => {
                    let max = max
                        .unwrap_or(crate::cypher::exec::DEFAULT_MAX_HOPS)
                        .max(min.max(1));
                    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
                    let reach = (min.max(1)..=max)
                        .map(|k| degree.powi(k as i32))
                        .sum::<f64>();
                    let name = if into {
                        "VarLengthExpand(Into)"
                    } else {
                        "VarLengthExpand(All)"
                    };
                    (name, reach)
                }
                (None, None, true) => ("Expand(Into)", degree / self.counts.entities.max(1.0)),
                (None, None, false) => ("Expand(All)", degree),
            };
            // The far node's kinds and properties are checked after the expand; a shortest
            // path checks them before it searches.
            let checked = pattern.selector.is_none()
                && !into
                && (!node.labels.is_empty() || !node.properties.is_empty());
            rows = (rows * factor).min(rows_in * self.counts.entities.max(1.0).powi(2));
            let stage = if checked {
                Stage::Walked(index, step)
            } else {
                Stage::Reached(index, step)
            };
            current = on(
                op(name, details, rows, self.site(clause, stage)),
                Some(current),
            );
            if checked {
                rows *= self.counts.label_rows(&node.labels) / self.counts.entities.max(1.0)
                    * kept_by_properties(node);
                current = on(
                    op(
                        "Filter",
                        format!(
                            "{} has its {}",
                            node_text(node),
                            match (node.labels.is_empty(), node.properties.is_empty()) {
                                (false, true) => "label",
                                (true, false) => "properties",
                                _ => "label and properties",
                            }
                        ),
                        rows,
                        self.site(clause, Stage::Reached(index, step)),
                    ),
                    Some(current),
                );
            }
            known.extend(node.variable.as_deref());
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
        let anchors = m.filter.as_ref().map(id_equalities).unwrap_or_default();
        let mut rows = rows_in;
        let mut top: Option<Operator> = None;
        for (index, pattern) in m.patterns.iter().enumerate() {
            let connected = pattern.variables().iter().any(|v| bound.contains(v));
            let joined = self.site(clause, Stage::Joined(index));
            top = Some(match top {
                // The first pattern runs once per row coming in.
                None => {
                    let this = self.pattern(pattern, index, bound, &anchors, clause, rows_in);
                    rows = this.estimated_rows;
                    this
                }
                // A pattern sharing a variable runs once per row so far.
                Some(earlier) if connected => {
                    let this = self.pattern(pattern, index, bound, &anchors, clause, rows);
                    rows = this.estimated_rows;
                    let mut apply = op("Apply", String::new(), rows, joined);
                    apply.children = vec![earlier, this];
                    apply
                }
                // One sharing none pairs each of its matches with each row so far.
                Some(earlier) => {
                    let this = self.pattern(pattern, index, bound, &anchors, clause, 1.0);
                    rows *= this.estimated_rows;
                    let mut product = op("CartesianProduct", String::new(), rows, joined);
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
            current = on(
                op(
                    "Filter",
                    filter.to_string(),
                    rows,
                    self.site(clause, Stage::Where),
                ),
                Some(current),
            );
        }
        let out = self.site(clause, Stage::Out);
        if m.optional {
            rows = rows.max(rows_in);
            current = on(op("Optional", String::new(), rows, out), Some(current));
        }
        if let Some(below) = below {
            let mut apply = op("Apply", String::new(), rows, out);
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
        let at = |stage| self.site(clause, stage);
        let mut rows = rows_in;
        let mut current = below;
        let names: Vec<&str> = p.items.iter().map(|i| i.name.as_str()).collect();
        if p.items.iter().any(|i| i.expr.has_aggregate()) {
            let keys = p.items.iter().filter(|i| !i.expr.has_aggregate()).count();
            rows = if keys == 0 { 1.0 } else { rows.sqrt().max(1.0) };
            current = on(
                op(
                    "EagerAggregation",
                    names.join(", "),
                    rows,
                    at(Stage::Projected),
                ),
                Some(current),
            );
        } else {
            current = on(
                op("Projection", names.join(", "), rows, at(Stage::Projected)),
                Some(current),
            );
        }
        if p.distinct {
            current = on(
                op("Distinct", String::new(), rows, at(Stage::Distinct)),
                Some(current),
            );
        }
        if let Some(filter) = &p.filter {
            rows *= 0.5;
            current = on(
                op("Filter", filter.to_string(), rows, at(Stage::Filter)),
                Some(current),
            );
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
            current = on(op(name, details, rows, at(Stage::Sorted)), Some(current));
        }
        if let Some(skip) = &p.skip {
            current = on(
                op("Skip", skip.to_string(), rows, at(Stage::Skipped)),
                Some(current),
            );
        }
        if let (Some(count), true) = (&p.limit, p.order.is_empty()) {
            if let Some(limit) = limit {
                rows = rows.min(limit);
            }
            current = on(
                op("Limit", count.to_string(), rows, at(Stage::Out)),
                Some(current),
            );
        }
        if last && self.within.is_none() {
            current = on(
                op("ProduceResults", names.join(", "), rows, at(Stage::Out)),
                Some(current),
            );
        }
        (current, rows)
    }

    fn part(&mut self, clauses: &[Clause], bound: Vec<String>) -> Operator {
        let mut bound = bound;
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
                        op("Unwind", alias.clone(), rows, self.site(i, Stage::Out)),
                        current.take(),
                    ));
                    bound.push(alias.clone());
                }
                Clause::Call(call) => {
                    let (next, out) = self.call(call, current.take(), &mut bound, i, rows);
                    current = Some(next);
                    rows = out;
                }
                Clause::With(p) | Clause::Return(p) => {
                    let below = current
                        .take()
                        .unwrap_or_else(|| op("Argument", String::new(), 1.0, None));
                    let (next, out) = self.projection(p, below, i, rows, last);
                    current = Some(next);
                    rows = out;
                    bound = p.items.iter().map(|item| item.name.clone()).collect();
                    if p.star {
                        // `WITH *` keeps every variable, and the items add to them.
                        bound.extend(names_before(clauses, i));
                    }
                }
            }
        }
        current.unwrap_or_else(|| op("Argument", String::new(), 1.0, None))
    }
}

impl Planner<'_> {
    /// A `CALL` subquery: an `Apply` whose right-hand side is the subquery, once per row.
    fn call(
        &mut self,
        call: &CallSubquery,
        below: Option<Operator>,
        bound: &mut Vec<String>,
        clause: usize,
        rows_in: f64,
    ) -> (Operator, f64) {
        let (outer_within, outer_part) = (self.within, self.part);
        let outer_site = self.site(clause, Stage::Out);
        self.within = Some(call.span.start);
        let mut parts: Vec<Operator> = call
            .parts
            .iter()
            .enumerate()
            .map(|(index, part)| {
                self.part = index;
                let imported = match call.sees(part) {
                    Sees::Row => bound.clone(),
                    Sees::Only(names) => names.to_vec(),
                };
                self.part(part, imported)
            })
            .collect();
        (self.within, self.part) = (outer_within, outer_part);
        let per_row: f64 = parts.iter().map(|p| p.estimated_rows).sum();
        let whole = |stage| Site {
            within: Some(call.span.start),
            part: 0,
            clause: super::WHOLE_QUERY,
            stage,
        };
        let subquery = if parts.len() == 1 {
            parts.remove(0)
        } else {
            let mut union = op("Union", String::new(), per_row, whole(Stage::Union));
            union.children = parts;
            if call.union_all {
                union
            } else {
                let distinct = op("Distinct", String::new(), per_row, whole(Stage::Distinct));
                on(distinct, Some(union))
            }
        };
        let rows = rows_in * per_row;
        let below = below.unwrap_or_else(|| op("Argument", String::new(), 1.0, None));
        let mut apply = op("Apply", String::new(), rows, outer_site);
        apply.children = vec![below, subquery];
        bound.extend(call.columns());
        (apply, rows)
    }
}

/// The variables in scope before clause `at` (for `WITH *`).
fn names_before(clauses: &[Clause], at: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for clause in &clauses[..at] {
        match clause {
            Clause::Match(m) => {
                for pattern in &m.patterns {
                    names.extend(pattern.variables());
                }
            }
            Clause::Unwind { alias, .. } => names.push(alias.clone()),
            Clause::Call(call) => names.extend(call.columns()),
            Clause::With(p) | Clause::Return(p) => {
                if !p.star {
                    names.clear();
                }
                names.extend(p.items.iter().map(|item| item.name.clone()));
            }
        }
    }
    names
}

/// The plan of `query` over `kg`, with estimates.
#[must_use]
pub fn explain(kg: &KnowledgeGraph, query: &Query) -> Operator {
    let mut planner = Planner {
        counts: Counts::of(kg),
        part: 0,
        within: None,
    };
    let first = planner.part(&query.clauses, Vec::new());
    if query.unions.is_empty() {
        return first;
    }
    let mut parts = vec![first];
    for (i, (_, clauses)) in query.unions.iter().enumerate() {
        planner.part = i + 1;
        parts.push(planner.part(clauses, Vec::new()));
    }
    let rows = parts.iter().map(|p| p.estimated_rows).sum();
    let all = query.unions.iter().all(|(all, _)| *all);
    let whole = |stage| Site {
        within: None,
        part: 0,
        clause: super::WHOLE_QUERY,
        stage,
    };
    let mut union = op("Union", String::new(), rows, whole(Stage::Union));
    union.children = parts;
    if !all {
        union = on(
            op("Distinct", String::new(), rows, whole(Stage::Distinct)),
            Some(union),
        );
    }
    union
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cypher::parser::parse;
    use crate::cypher::plan::rows;

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

    /// The profiled plan of `query` as rows: operator, details, rows counted.
    fn profiled(query: &str) -> Vec<(String, String, Option<u64>)> {
        let kg = graph();
        let result = crate::cypher::run(
            &kg,
            kg.adjacency(),
            &format!("PROFILE {query}"),
            std::collections::BTreeMap::new(),
            crate::cypher::limits::Limits::default(),
        )
        .unwrap();
        let plan = result.plan.unwrap();
        rows(&plan)
            .into_iter()
            .map(|(name, op)| (name, op.details.clone(), op.rows))
            .collect()
    }

    fn row(name: &str, details: &str, rows: u64) -> (String, String, Option<u64>) {
        (name.to_owned(), details.to_owned(), Some(rows))
    }

    #[test]
    fn profile_counts_the_rows_of_every_operator() {
        assert_eq!(
            profiled(
                "MATCH (p:people)-[:owns]->(c) RETURN c.name AS name, count(p) AS n \
                 ORDER BY n DESC LIMIT 1"
            ),
            [
                row("ProduceResults", "name, n", 1),
                row("Top", "n DESC LIMIT 1", 1),
                row("EagerAggregation", "name, n", 2),
                row("Expand(All)", "(p:people)-[:owns]->(c)", 3),
                row("NodeByLabelScan", "(p:people)", 4),
            ]
        );
        let found = profiled(
            "MATCH (a:people) RETURN a.name AS n UNION MATCH (b:companies) RETURN b.name AS n \
             UNION MATCH (c:companies) RETURN c.name AS n",
        );
        assert_eq!(found[0], row("Distinct", "", 6));
        assert_eq!(found[1], row("Union", "", 8));
        assert!(found.iter().all(|(_, _, rows)| rows.is_some()), "{found:?}");
    }

    #[test]
    fn the_plan_starts_where_the_executor_starts() {
        // From the id at the far end, walked backwards.
        assert_eq!(
            profiled("MATCH (p)-[:owns]->(c {id: 'c1'}) RETURN p.id AS id"),
            [
                row("ProduceResults", "id", 2),
                row("Projection", "id", 2),
                row("Expand(All)", "(c {id: 'c1'})<-[:owns]-(p)", 2),
                row("NodeByIdSeek", "(c {id: 'c1'})", 1),
            ]
        );
        // An id equality in WHERE is pushed down to the start.
        let found = profiled("MATCH (p:people)-[:owns]->(c) WHERE c.id = 'c2' RETURN p.id AS id");
        assert_eq!(
            found[2..],
            [
                row("Filter", "(c.id = 'c2')", 1),
                row("Filter", "(p:people) has its label", 1),
                row("Expand(All)", "(c)<-[:owns]-(p:people)", 1),
                row("NodeByIdSeek", "(c) WHERE c.id = 'c2'", 1),
            ]
        );
        // A relationship between two bound nodes is an Expand(Into); a far node's label is a
        // filter after its expand, counted apart.
        let found = profiled(
            "MATCH (a {id: 'p4'})-[:knows]->(b) MATCH (a)-[r]->(b:people) \
             MATCH (b)-[:owns]->(c:companies) RETURN r",
        );
        assert!(
            found.contains(&row("+Expand(Into)", "(a)-[r]->(b:people)", 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&row("+Filter", "(c:companies) has its label", 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&row("+Expand(All)", "(b)-[:owns]->(c:companies)", 1)),
            "{found:?}"
        );
    }

    #[test]
    fn a_call_subquery_is_the_right_hand_side_of_an_apply_profiled_over_its_runs() {
        assert_eq!(
            profiled(
                "MATCH (p:people) CALL (p) { MATCH (p)-[:owns]->(c) RETURN c.id AS c } \
                 RETURN p.id AS p, c"
            ),
            [
                row("ProduceResults", "p, c", 3),
                row("Projection", "p, c", 3),
                row("Apply", "", 3),
                row("+Projection", "c", 3),
                row("+Expand(All)", "(p)-[:owns]->(c)", 3),
                row("+Argument", "(p)", 4),
                row("NodeByLabelScan", "(p:people)", 4),
            ]
        );
        let found = profiled(
            "CALL { MATCH (c:companies) RETURN c.id AS id UNION MATCH (p:people) RETURN p.id AS id } \
             RETURN id",
        );
        assert!(found.contains(&row("+Distinct", "", 6)), "{found:?}");
        assert!(found.contains(&row("+Union", "", 6)), "{found:?}");
        assert_eq!(
            found
                .iter()
                .filter(|(name, ..)| name.contains("ProduceResults"))
                .count(),
            1
        );
    }
}
