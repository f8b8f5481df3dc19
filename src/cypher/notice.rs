//! Notices: what a query that runs should still tell its author, under the names Neo4j gives
//! them, so that a typo does not read as "nothing found".
//!
//! - `UnknownLabelWarning`: a label that is no kind (nor a kind's `ties.toml` label, nor
//!   `Entity`); `UnknownRelationshipTypeWarning`: a relationship type the graph does not have;
//!   `UnknownPropertyKeyWarning`: a property read from a node or relationship that no entity
//!   or relation has. Each with the graph's nearest name as a "did you mean".
//! - `CartesianProductWarning`: patterns of one `MATCH` that share no variable, so every pair
//!   of their matches is a row.
//! - `UnboundedVariableLengthPattern`: a `*` without an upper bound (capped at run time).
//!
//! The check reads the syntax tree and the graph's names only; the answer does not change.

use std::collections::BTreeSet;

use crate::cypher::ast::{
    Clause, Expr, ExprKind, Literal, MapItem, NodePattern, PathPattern, Projection, Query,
    RelPattern,
};
use crate::cypher::error::Span;
use crate::cypher::exec::DEFAULT_MAX_HOPS;
use crate::graph::{ENTITY_PROPERTIES, KnowledgeGraph, RELATION_PROPERTIES};
use crate::model::similar::nearest_name;

/// One notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Neo4j's name for it (`UnknownLabelWarning`, ...).
    pub title: &'static str,
    /// What it says, lowercase, names in backticks.
    pub message: String,
    /// Where in the query, when it is about a place in it.
    pub span: Option<Span>,
    /// The 1-based line and column of `span` in the query text, once known.
    pub position: Option<(usize, usize)>,
}

impl Notice {
    /// A notice about `span`.
    #[must_use]
    pub fn at(title: &'static str, span: Span, message: String) -> Self {
        Notice {
            title,
            message,
            span: Some(span),
            position: None,
        }
    }

    /// Neo4j's severity: its performance notices inform, the names it does not know warn.
    #[must_use]
    pub fn severity(&self) -> &'static str {
        match self.title {
            "CartesianProductWarning" | "UnboundedVariableLengthPattern" => "INFORMATION",
            _ => "WARNING",
        }
    }

    /// Neo4j's full status code (`Neo.ClientNotification.Statement.UnknownLabelWarning`).
    #[must_use]
    pub fn code(&self) -> String {
        format!("Neo.ClientNotification.Statement.{}", self.title)
    }

    /// Fills in the line and column of the span in `source`.
    pub fn locate(&mut self, source: &str) {
        if let Some(span) = self.span {
            let start = span.start.min(source.len());
            let before = &source[..start];
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            self.position = Some((line, source[line_start..start].chars().count() + 1));
        }
    }
}

/// For a person: `warning[UnknownLabelWarning]: no entity kind ... (line 1, column 7)`.
impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = if self.severity() == "WARNING" {
            "warning"
        } else {
            "info"
        };
        write!(f, "{level}[{}]: {}", self.title, self.message)?;
        if let Some((line, column)) = self.position {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

/// For programs: Neo4j's code and title, the severity, the message and where.
impl serde::Serialize for Notice {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", &self.code())?;
        map.serialize_entry("title", self.title)?;
        map.serialize_entry("severity", self.severity())?;
        map.serialize_entry("message", &self.message)?;
        if let Some((line, column)) = self.position {
            map.serialize_entry("line", &line)?;
            map.serialize_entry("column", &column)?;
        }
        map.end()
    }
}

/// The names a query may use, read from the graph's catalog as they are asked for: a query
/// whose names are all known allocates nothing (the check runs before every query).
#[derive(Clone, Copy)]
struct Names<'g> {
    kg: &'g KnowledgeGraph,
}

impl<'g> Names<'g> {
    fn of(kg: &'g KnowledgeGraph) -> Self {
        Names { kg }
    }

    /// Every label: the kinds, the labels `ties.toml` gives them, and `Entity`.
    fn labels(self) -> impl Iterator<Item = &'g str> + Clone {
        let kg = self.kg;
        kg.catalog
            .kinds
            .iter()
            .map(String::as_str)
            .chain(
                kg.catalog
                    .kinds
                    .iter()
                    .map(|kind| kg.style.kind_label(kind)),
            )
            .chain(std::iter::once("Entity"))
    }

    fn has_label(self, label: &str) -> bool {
        self.labels().any(|known| known == label)
    }

    /// The kind a `ties.toml` label names, when it is not the kind's own name.
    fn kind_of_label(self, label: &str) -> Option<&'g str> {
        let kg = self.kg;
        kg.catalog
            .kinds
            .iter()
            .find(|kind| kg.style.kind_label(kind) == label && kind.as_str() != label)
            .map(String::as_str)
    }

    fn types(self) -> impl Iterator<Item = &'g str> + Clone {
        self.kg.catalog.rel_types.iter().map(String::as_str)
    }

    fn has_type(self, rel_type: &str) -> bool {
        self.types().any(|known| known == rel_type)
    }

    fn keys(self) -> impl Iterator<Item = &'g str> + Clone {
        let catalog = &self.kg.catalog;
        ENTITY_PROPERTIES
            .into_iter()
            .chain(RELATION_PROPERTIES)
            .chain(catalog.entity_attrs.iter().map(|def| def.name.as_str()))
            .chain(catalog.relation_attrs.iter().map(|def| def.name.as_str()))
    }

    fn has_key(self, key: &str) -> bool {
        self.keys().any(|known| known == key)
    }
}

/// Walks a query and gathers its notices.
struct Checker<'g> {
    names: Names<'g>,
    /// Variables bound to nodes or relationships by a pattern: their properties are checked.
    elements: BTreeSet<String>,
    /// Variables bound by earlier clauses: a relationship list bound before is followed, not
    /// expanded, so its `*` needs no bound.
    bound: BTreeSet<String>,
    notices: Vec<Notice>,
}

/// The notices `query` earns on `kg`.
#[must_use]
pub fn check(kg: &KnowledgeGraph, query: &Query) -> Vec<Notice> {
    let mut checker = Checker {
        names: Names::of(kg),
        elements: BTreeSet::new(),
        bound: BTreeSet::new(),
        notices: Vec::new(),
    };
    let parts = std::iter::once(&query.clauses).chain(query.unions.iter().map(|(_, c)| c));
    for clauses in parts {
        checker.clauses(clauses);
    }
    checker.notices
}

fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let exact_case = known
        .clone()
        .into_iter()
        .find(|k| k.eq_ignore_ascii_case(name));
    exact_case
        .or_else(|| nearest_name(name, known))
        .map_or_else(String::new, |near| format!("; did you mean `{near}`?"))
}

impl Checker<'_> {
    /// The hint for an unknown label: the nearest label, named by its kind when it is a
    /// `ties.toml` label (`countries`, label `Country`).
    fn label_hint(&self, label: &str) -> String {
        let known = self.names.labels();
        let exact_case = known.clone().find(|k| k.eq_ignore_ascii_case(label));
        match exact_case.or_else(|| nearest_name(label, known)) {
            Some(near) => match self.names.kind_of_label(near) {
                Some(kind) => format!("; did you mean `{kind}` (its label `{near}`)?"),
                None => format!("; did you mean `{near}`?"),
            },
            None => String::new(),
        }
    }

    fn push(&mut self, notice: Notice) {
        if !self.notices.contains(&notice) {
            self.notices.push(notice);
        }
    }

    fn clauses(&mut self, clauses: &[Clause]) {
        let mut bound = std::mem::take(&mut self.bound);
        for clause in clauses {
            self.bound.clone_from(&bound);
            match clause {
                Clause::Match(m) => {
                    for pattern in &m.patterns {
                        self.pattern(pattern);
                    }
                    self.cartesian(&m.patterns, &bound);
                    for pattern in &m.patterns {
                        bound.extend(pattern.variables());
                    }
                    if let Some(filter) = &m.filter {
                        self.expr(filter);
                    }
                }
                Clause::Unwind { expr, alias } => {
                    self.expr(expr);
                    bound.insert(alias.clone());
                }
                Clause::With(projection) | Clause::Return(projection) => {
                    self.projection(projection);
                    // `WITH n AS m`: `m` is the element `n` was; a name given to anything
                    // else is no element (`WITH n.name AS n`).
                    let carried: Vec<(String, bool)> = projection
                        .items
                        .iter()
                        .map(|item| {
                            let element = matches!(&item.expr.kind,
                                ExprKind::Variable(v) if self.elements.contains(v.name.as_str()));
                            (item.name.clone(), element)
                        })
                        .collect();
                    for (name, element) in carried {
                        if element {
                            self.elements.insert(name.clone());
                        } else {
                            self.elements.remove(&name);
                        }
                        bound.insert(name);
                    }
                }
                Clause::Call(call) => {
                    // Each part is checked as a query of its own, from the row's variables.
                    let elements = self.elements.clone();
                    for part in &call.parts {
                        self.bound.clone_from(&bound);
                        self.elements.clone_from(&elements);
                        self.clauses(part);
                    }
                    self.elements = elements;
                    for name in call.columns() {
                        self.elements.remove(&name);
                        bound.insert(name);
                    }
                }
            }
        }
        self.bound = bound;
    }

    fn projection(&mut self, projection: &Projection) {
        for item in &projection.items {
            self.expr(&item.expr);
        }
        for sort in &projection.order {
            self.expr(&sort.expr);
        }
        for expr in [&projection.skip, &projection.limit, &projection.filter]
            .into_iter()
            .flatten()
        {
            self.expr(expr);
        }
    }

    fn pattern(&mut self, pattern: &PathPattern) {
        self.node(&pattern.start);
        for (rel, node) in &pattern.steps {
            self.rel(rel);
            self.node(node);
            let follows_a_list = rel
                .variable
                .as_ref()
                .is_some_and(|v| self.bound.contains(v));
            if matches!(rel.length, Some((_, None)))
                && pattern.selector.is_none()
                && !follows_a_list
            {
                self.push(Notice::at(
                    "UnboundedVariableLengthPattern",
                    rel.span,
                    format!(
                        "an unbounded `*` is capped at {DEFAULT_MAX_HOPS} hops; write `*..N` to choose"
                    ),
                ));
            }
        }
    }

    fn node(&mut self, node: &NodePattern) {
        if let Some(variable) = &node.variable {
            self.elements.insert(variable.clone());
        }
        for label in &node.labels {
            if !self.names.has_label(label) {
                let hint = self.label_hint(label);
                self.push(Notice::at(
                    "UnknownLabelWarning",
                    node.span,
                    format!("no entity kind `{label}`{hint}"),
                ));
            }
        }
        for (key, value) in &node.properties {
            self.key(key, node.span);
            self.expr(value);
        }
    }

    fn rel(&mut self, rel: &RelPattern) {
        if let Some(variable) = &rel.variable {
            self.elements.insert(variable.clone());
        }
        for rel_type in &rel.types {
            if !self.names.has_type(rel_type) {
                let hint = did_you_mean(rel_type, self.names.types());
                self.push(Notice::at(
                    "UnknownRelationshipTypeWarning",
                    rel.span,
                    format!("no relation type `{rel_type}`{hint}"),
                ));
            }
        }
        for (key, value) in &rel.properties {
            self.key(key, rel.span);
            self.expr(value);
        }
    }

    fn key(&mut self, key: &str, span: Span) {
        if !self.names.has_key(key) {
            let hint = did_you_mean(key, self.names.keys());
            self.push(Notice::at(
                "UnknownPropertyKeyWarning",
                span,
                format!("no entity or relation has a property `{key}`{hint}"),
            ));
        }
    }

    /// Patterns of one `MATCH` that share no variable, with each other or with what earlier
    /// clauses bound.
    fn cartesian(&mut self, patterns: &[PathPattern], bound: &BTreeSet<String>) {
        if patterns.len() < 2 {
            return;
        }
        // Connected groups of patterns, by shared variables; a bound variable anchors.
        let variables: Vec<Vec<String>> = patterns.iter().map(PathPattern::variables).collect();
        let mut group: Vec<usize> = (0..patterns.len()).collect();
        for i in 0..patterns.len() {
            for j in 0..i {
                if variables[i].iter().any(|v| variables[j].contains(v)) {
                    let (from, to) = (group[i], group[j]);
                    for g in &mut group {
                        if *g == from {
                            *g = to;
                        }
                    }
                }
            }
        }
        let loose: BTreeSet<usize> = (0..patterns.len())
            .filter(|&i| !variables[i].iter().any(|v| bound.contains(v)))
            .map(|i| group[i])
            .collect();
        let groups: BTreeSet<usize> = group.iter().copied().collect();
        if groups.len() > 1 && !loose.is_empty() {
            let span = patterns
                .iter()
                .map(|p| p.span)
                .reduce(Span::to)
                .unwrap_or_default();
            self.push(Notice::at(
                "CartesianProductWarning",
                span,
                "these patterns share no variable: every match of one is paired with every \
                 match of the other (connect them, or match them in separate clauses)"
                    .to_owned(),
            ));
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Property(subject, key) => {
                if let ExprKind::Variable(name) = &subject.kind
                    && self.elements.contains(name.name.as_str())
                {
                    self.key(key, expr.span);
                }
            }
            // `n['nmae']`: a key written out is a property read like `n.nmae`.
            ExprKind::Index(subject, index) => {
                if let ExprKind::Variable(name) = &subject.kind
                    && self.elements.contains(name.name.as_str())
                    && let ExprKind::Literal(Literal::Str(key)) = &index.kind
                {
                    self.key(key, expr.span);
                }
            }
            ExprKind::HasLabel(_, labels) => {
                for label in labels {
                    if !self.names.has_label(label) {
                        let hint = self.label_hint(label);
                        self.push(Notice::at(
                            "UnknownLabelWarning",
                            expr.span,
                            format!("no entity kind `{label}`{hint}"),
                        ));
                    }
                }
            }
            ExprKind::Pattern(pattern) => self.pattern(pattern),
            ExprKind::PatternComprehension { pattern, .. } | ExprKind::Exists { pattern, .. } => {
                self.pattern(pattern);
            }
            ExprKind::Subquery { clauses, .. } => self.clauses(clauses),
            ExprKind::MapProjection(subject, items) => {
                if let ExprKind::Variable(name) = &subject.kind
                    && self.elements.contains(name.name.as_str())
                {
                    for item in items {
                        if let MapItem::Property(key) = item {
                            self.key(key, expr.span);
                        }
                    }
                }
            }
            _ => {}
        }
        for child in expr.children() {
            self.expr(child);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cypher::parser::parse;

    fn graph() -> KnowledgeGraph {
        KnowledgeGraph::from_csv(
            &[
                ("companies", "id,name,founded:date\nc1,Acme,1999\n"),
                ("people", "id,name\np1,Ann\n"),
            ],
            &[("r", "from,type,to,share\np1,owns,c1,0.5\n")],
            None,
        )
        .unwrap()
    }

    fn titles(query: &str) -> Vec<String> {
        check(&graph(), &parse(query).unwrap())
            .into_iter()
            .map(|n| format!("{}: {}", n.title, n.message))
            .collect()
    }

    #[test]
    fn typos_in_labels_types_and_keys_are_named_with_the_nearest_name() {
        assert_eq!(
            titles("MATCH (c:companys)<-[:own]-(p) RETURN c.nmae, p.name"),
            [
                "UnknownLabelWarning: no entity kind `companys`; did you mean `companies`?",
                "UnknownRelationshipTypeWarning: no relation type `own`; did you mean `owns`?",
                "UnknownPropertyKeyWarning: no entity or relation has a property `nmae`; did you mean `name`?",
            ]
        );
        assert_eq!(
            titles("MATCH (c:Companies) RETURN c"),
            ["UnknownLabelWarning: no entity kind `Companies`; did you mean `companies`?"]
        );
        // Inside a CALL subquery too.
        assert_eq!(
            titles("MATCH (p:people) CALL { WITH p MATCH (p)-[:own]->(c) RETURN c } RETURN c"),
            ["UnknownRelationshipTypeWarning: no relation type `own`; did you mean `owns`?"]
        );
        // Labels written singular from Neo4j habit find the plural kinds.
        assert_eq!(
            titles("MATCH (c:Company)<-[:OWN]-(p:Person) RETURN c"),
            [
                "UnknownLabelWarning: no entity kind `Company`; did you mean `companies`?",
                "UnknownRelationshipTypeWarning: no relation type `OWN`; did you mean `owns`?",
                "UnknownLabelWarning: no entity kind `Person`; did you mean `people`?",
            ]
        );
        // An element renamed by WITH, and a key written as a subscript.
        let renamed = "UnknownPropertyKeyWarning: no entity or relation has a property `nmae`; did you mean `name`?";
        assert_eq!(
            titles("MATCH (c:companies) WITH c AS x RETURN x.nmae"),
            [renamed]
        );
        assert_eq!(titles("MATCH (c:companies) RETURN c['nmae']"), [renamed]);
        // A name given to something else is no element.
        assert!(titles("MATCH (c:companies) WITH {nmae: 1} AS c RETURN c.nmae").is_empty());
    }

    #[test]
    fn what_the_graph_has_earns_nothing() {
        assert!(titles("MATCH (c:companies)<-[r:owns]-(p:Entity) WHERE r.share > 0 RETURN c.founded, r.start").is_empty());
        // A map's keys are not the graph's.
        assert!(titles("WITH {nmae: 1} AS m RETURN m.nmae").is_empty());
    }

    #[test]
    fn unconnected_patterns_and_unbounded_lengths_are_noticed() {
        let found = titles("MATCH (a:people), (b:companies) RETURN a, b");
        assert!(found[0].starts_with("CartesianProductWarning"), "{found:?}");
        assert!(titles("MATCH (a:people) MATCH (a)-->(b), (a)-->(c) RETURN b, c").is_empty());
        let found = titles("MATCH (a)-[*]->(b) RETURN b");
        assert!(
            found[0].starts_with("UnboundedVariableLengthPattern"),
            "{found:?}"
        );
    }
}
