//! The semantic pass between parsing and running: every variable is given a type where it is
//! bound, and queries that openCypher rejects before running are rejected here, with the
//! caret on the culprit, whatever the data (a query on an empty graph fails as one on a full
//! graph does):
//!
//! - a variable used as another type than it was bound as (`MATCH ()-[r]-() MATCH (r)`);
//! - a variable bound again where it must be new (a path variable, an `UNWIND` alias, the
//!   same relationship twice in one `MATCH`);
//! - a variable that is not in scope;
//! - aggregates where they cannot be (in `WHERE`, inside another aggregate), and items that
//!   mix an aggregate with a value that is not one of the grouping keys;
//! - a `WITH` item that is an expression without `AS`;
//! - a boolean operator given a literal that is not a boolean (`123 AND true`);
//! - a pattern used as a value rather than a condition (`RETURN (n)-->()`), a pattern
//!   predicate that would bind new variables, a node where a condition is read (`WHERE (n)`);
//! - a function given a variable of a kind it never takes (`type(n)` of a node);
//! - `rand()` inside an aggregate.

use crate::cypher::ast::{
    BinaryOp, CallSubquery, Clause, Expr, ExprKind, Function, Literal, Match, PathPattern,
    Projection, Query, Sees,
};
use crate::cypher::error::{CypherError, Span};

mod kinds;
use kinds::{conditions, property_targets};

/// What a variable holds, as far as the query's text tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Node,
    Relationship,
    /// A variable-length relationship: a list of relationships.
    Relationships,
    Path,
    /// A value that is surely no node, relationship or path: a literal, map, or the result
    /// of arithmetic or a comparison.
    Data,
    /// A list: no node or relationship, but a variable-length relationship may follow it
    /// (`WITH [n] AS users` cannot be matched as a node).
    List,
    /// Anything (an `UNWIND` item, a parameter, a function's result).
    Value,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Node => "a node",
            Kind::Relationship => "a relationship",
            Kind::Relationships => "a list of relationships",
            Kind::Path => "a path",
            Kind::Data => "a value that is not an entity",
            Kind::List => "a list",
            Kind::Value => "a value",
        }
    }
}

/// The variables in scope, in the order they were bound.
#[derive(Debug, Clone, Default)]
struct Scope {
    variables: Vec<(String, Kind)>,
}

impl Scope {
    fn get(&self, name: &str) -> Option<Kind> {
        self.variables
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, kind)| kind)
    }

    fn names(&self) -> Vec<String> {
        self.variables.iter().map(|(n, _)| n.clone()).collect()
    }

    fn bind(&mut self, name: &str, kind: Kind) {
        if self.get(name).is_none() {
            self.variables.push((name.to_owned(), kind));
        }
    }
}

/// Checks `query`; the first problem is the error.
///
/// # Errors
/// The problem, with its span.
pub fn check(query: &Query) -> Result<(), CypherError> {
    check_part(&query.clauses)?;
    for (_, clauses) in &query.unions {
        check_part(clauses)?;
    }
    Ok(())
}

fn check_part(clauses: &[Clause]) -> Result<(), CypherError> {
    check_clauses(clauses, Scope::default()).map(drop)
}

/// Checks clauses that start with the variables of `scope` in scope (none for a query, the
/// row's for a subquery); returns the variables after them (a `RETURN`'s columns).
fn check_clauses(clauses: &[Clause], mut scope: Scope) -> Result<Scope, CypherError> {
    for clause in clauses {
        match clause {
            Clause::Match(m) => check_match(m, &mut scope)?,
            Clause::Unwind { expr, alias } => {
                expression(expr, &scope.names())?;
                conditions(expr, false, &scope)?;
                if scope.get(alias).is_some() {
                    return Err(already_bound(alias, expr.span));
                }
                scope.bind(alias, Kind::Value);
            }
            Clause::With(p) => scope = check_projection(p, &scope, true)?,
            Clause::Return(p) => scope = check_projection(p, &scope, false)?,
            Clause::Call(call) => check_call(call, &mut scope)?,
        }
    }
    Ok(scope)
}

/// Checks a `CALL` subquery's parts, each from the variables it imports, and binds what it
/// returns.
fn check_call(call: &CallSubquery, scope: &mut Scope) -> Result<(), CypherError> {
    let mut returned: Option<Scope> = None;
    let columns = call.columns();
    for part in &call.parts {
        let inner = match call.sees(part) {
            Sees::Row => scope.clone(),
            Sees::Only(names) => {
                let mut inner = Scope::default();
                for name in names {
                    let Some(kind) = scope.get(name) else {
                        return Err(CypherError::semantic(
                            call.span,
                            format!("the `CALL` subquery imports `{name}`, which is not bound"),
                        )
                        .with_code("UndefinedVariable"));
                    };
                    inner.bind(name, kind);
                }
                inner
            }
        };
        if let Some(Clause::Return(projection)) = part.last() {
            let span = projection
                .items
                .first()
                .map_or(call.span, |item| item.expr.span);
            if projection.star {
                return Err(CypherError::semantic(
                    span,
                    "a `CALL` subquery names the columns it returns: `RETURN *` is not \
                     supported there",
                ));
            }
            let names: Vec<String> = projection.items.iter().map(|i| i.name.clone()).collect();
            if names != columns {
                return Err(CypherError::semantic(
                    span,
                    format!(
                        "every part of a UNION returns the same columns: `{}`, not `{}`",
                        columns.join(", "),
                        names.join(", ")
                    ),
                )
                .with_code("DifferentColumnsInUnion"));
            }
        }
        let after = check_clauses(part, inner)?;
        returned.get_or_insert(after);
    }
    for (name, kind) in returned.map(|r| r.variables).unwrap_or_default() {
        if scope.get(&name).is_some() {
            return Err(already_bound(&name, call.span));
        }
        scope.bind(&name, kind);
    }
    Ok(())
}

fn already_bound(name: &str, span: Span) -> CypherError {
    CypherError::semantic(
        span,
        format!("variable `{name}` is already bound; give this one another name"),
    )
    .with_code("VariableAlreadyBound")
}

fn type_conflict(name: &str, was: Kind, now: Kind, span: Span) -> CypherError {
    CypherError::semantic(
        span,
        format!("variable `{name}` is {}, not {}", was.name(), now.name()),
    )
    .with_code("VariableTypeConflict")
}

fn check_match(m: &Match, scope: &mut Scope) -> Result<(), CypherError> {
    let mut relationships_here: Vec<&str> = Vec::new();
    for pattern in &m.patterns {
        bind_pattern(pattern, scope, &mut relationships_here)?;
    }
    let names = scope.names();
    for pattern in &m.patterns {
        pattern_properties(pattern, &names)?;
    }
    if let Some(filter) = &m.filter {
        no_aggregate(filter, "WHERE")?;
        expression(filter, &names)?;
        conditions(filter, true, scope)?;
        property_targets(filter, scope, &[])?;
    }
    Ok(())
}

/// Binds the variables of one pattern, checking each against what it was bound as.
fn bind_pattern<'q>(
    pattern: &'q PathPattern,
    scope: &mut Scope,
    relationships_here: &mut Vec<&'q str>,
) -> Result<(), CypherError> {
    if let Some(path) = &pattern.variable
        && scope.get(path).is_some()
    {
        return Err(already_bound(path, pattern.span));
    }
    let nodes = std::iter::once(&pattern.start).chain(pattern.steps.iter().map(|(_, n)| n));
    for node in nodes {
        if let Some(name) = &node.variable {
            match scope.get(name) {
                Some(Kind::Node | Kind::Value) | None => scope.bind(name, Kind::Node),
                Some(other) => return Err(type_conflict(name, other, Kind::Node, node.span)),
            }
        }
    }
    for (rel, _) in &pattern.steps {
        let Some(name) = &rel.variable else {
            continue;
        };
        let kind = if rel.length.is_some() {
            Kind::Relationships
        } else {
            Kind::Relationship
        };
        if relationships_here.contains(&name.as_str()) {
            return Err(CypherError::semantic(
                rel.span,
                format!("relationship variable `{name}` is used twice in one MATCH"),
            )
            .with_code("VariableAlreadyBound"));
        }
        relationships_here.push(name);
        match scope.get(name) {
            None => scope.bind(name, kind),
            // A relationship bound before and used as a variable-length one is refused when
            // the match runs, with its own message.
            Some(Kind::Relationship | Kind::Relationships | Kind::Value) => {}
            Some(Kind::List) if kind == Kind::Relationships => {}
            Some(was) => return Err(type_conflict(name, was, kind, rel.span)),
        }
    }
    if let Some(path) = &pattern.variable {
        // `p = (p)-->()`: the path cannot also be one of its own nodes or relationships.
        let inner = std::iter::once(&pattern.start.variable).chain(
            pattern
                .steps
                .iter()
                .flat_map(|(r, n)| [&r.variable, &n.variable]),
        );
        if inner.flatten().any(|name| name == path) {
            return Err(already_bound(path, pattern.span));
        }
        scope.bind(path, Kind::Path);
    }
    Ok(())
}

fn pattern_properties(pattern: &PathPattern, names: &[String]) -> Result<(), CypherError> {
    let nodes = std::iter::once(&pattern.start).chain(pattern.steps.iter().map(|(_, n)| n));
    let node_maps = nodes.flat_map(|n| &n.properties);
    let rel_maps = pattern.steps.iter().flat_map(|(r, _)| &r.properties);
    for (_, value) in node_maps.chain(rel_maps) {
        no_aggregate(value, "a pattern's properties")?;
        expression(value, names)?;
    }
    Ok(())
}

/// Checks a projection against the scope before it; returns the scope after it.
fn check_projection(p: &Projection, scope: &Scope, is_with: bool) -> Result<Scope, CypherError> {
    let names = scope.names();
    if p.star && names.is_empty() && p.items.is_empty() {
        return Err(CypherError::semantic(
            Span::new(0, 0),
            "`*` projects every variable, and there is none here",
        )
        .with_code("NoVariablesInScope"));
    }
    let mut after = if p.star {
        scope.clone()
    } else {
        Scope::default()
    };
    // The grouping keys, recognised where they are written again by `Expr::same_as`.
    let grouping: Vec<&Expr> = p
        .items
        .iter()
        .filter(|item| !item.expr.has_aggregate())
        .map(|item| &item.expr)
        .collect();
    for item in &p.items {
        expression(&item.expr, &names)?;
        conditions(&item.expr, false, scope)?;
        property_targets(&item.expr, scope, &[])?;
        if is_with && !item.aliased && !matches!(item.expr.kind, ExprKind::Variable(_)) {
            return Err(CypherError::semantic(
                item.expr.span,
                "an expression in WITH needs a name: add `AS name`",
            )
            .with_code("NoExpressionAlias"));
        }
        if item.expr.has_aggregate() {
            unambiguous(&item.expr, &grouping, &[])?;
            no_aggregate_in_a_body(&item.expr)?;
        }
        let kind = match &item.expr.kind {
            ExprKind::Variable(v) => scope.get(&v.name).unwrap_or(Kind::Value),
            ExprKind::Literal(Literal::Null) => Kind::Value,
            ExprKind::List(_)
            | ExprKind::Comprehension { .. }
            | ExprKind::PatternComprehension { .. } => Kind::List,
            ExprKind::Literal(_)
            | ExprKind::Map(_)
            | ExprKind::MapProjection(..)
            | ExprKind::Quantified { .. }
            | ExprKind::Exists { .. }
            | ExprKind::Subquery { .. }
            | ExprKind::Not(_)
            | ExprKind::IsNull(..)
            | ExprKind::Binary(..) => Kind::Data,
            _ => Kind::Value,
        };
        after.bind(&item.name, kind);
    }
    let aggregating = p.items.iter().any(|item| item.expr.has_aggregate());
    // ORDER BY sees the new names, and (without aggregation or DISTINCT) the old ones.
    let mut sort_names = after.names();
    if !aggregating && !p.distinct {
        sort_names.extend(names.iter().cloned());
    }
    for sort in &p.order {
        // A sort key written as a returned item reads that item's column (`RETURN DISTINCT
        // n.x AS x ORDER BY n.x`, `RETURN n.x, count(*) ORDER BY count(*)`).
        if p.items.iter().any(|item| item.expr.same_as(&sort.expr)) {
            continue;
        }
        if !sort.expr.has_aggregate() {
            expression(&sort.expr, &sort_names)?;
            continue;
        }
        if !aggregating {
            return Err(CypherError::semantic(
                sort.expr.span,
                "ORDER BY cannot aggregate when the items do not: aggregate in WITH first",
            )
            .with_code("InvalidAggregation"));
        }
        sort_key(&sort.expr, &p.items, &sort_names)?;
    }
    for bound in [&p.skip, &p.limit].into_iter().flatten() {
        no_aggregate(bound, "SKIP and LIMIT")?;
        expression(bound, &[])?;
    }
    if let Some(filter) = &p.filter {
        no_aggregate(filter, "WHERE")?;
        // Like ORDER BY, a WITH's WHERE sees the variables before it unless it aggregates or
        // is DISTINCT (`WITH c WHERE r IS NULL`).
        let mut filter_scope = after.clone();
        if !aggregating && !p.distinct {
            for (name, kind) in &scope.variables {
                filter_scope.bind(name, *kind);
            }
        }
        expression(filter, &filter_scope.names())?;
        conditions(filter, true, &filter_scope)?;
    }
    Ok(after)
}

/// Checks a sort key that aggregates, after an aggregating projection: it may combine
/// returned aggregates, returned variables and property reads (`me.age + count(you.age)` after
/// `RETURN me.age AS age, count(you.age) AS cnt`), aliases, constants and parameters. An
/// aggregate the projection does not return, or a longer returned expression, is ambiguous.
fn sort_key(
    expr: &Expr,
    items: &[crate::cypher::ast::ProjectionItem],
    names: &[String],
) -> Result<(), CypherError> {
    if let Some(item) = items.iter().find(|item| item.expr.same_as(expr)) {
        let text = expr.to_string();
        if expr.is_simple_read() || expr.is_aggregate_call() {
            return Ok(());
        }
        return Err(CypherError::semantic(
            expr.span,
            format!(
                "`{text}` is returned, but only variables, property reads and aggregates can \
                 be reused next to an aggregate in ORDER BY; sort by `{}` instead",
                item.name
            ),
        )
        .with_code("AmbiguousAggregationExpression"));
    }
    match &expr.kind {
        ExprKind::CountStar | ExprKind::Call { .. } if expr.is_aggregate_call() => {
            Err(CypherError::semantic(
                expr.span,
                "ORDER BY can only sort by an aggregate that is returned: add it as an item",
            )
            .with_code("InvalidAggregation"))
        }
        ExprKind::Variable(v) if !names.contains(&v.name) => Err(CypherError::semantic(
            expr.span,
            format!("unknown variable `{}`", v.name),
        )
        .with_code("UndefinedVariable")),
        _ => expr.try_for_each_child_in_scope(names, |child, inner| sort_key(child, items, inner)),
    }
}

/// An aggregating item may only read, outside its aggregates, values that are grouping keys
/// of the same projection (`RETURN n.x, n.x + count(*)`), constants and parameters, and the
/// variables a comprehension, quantifier or `reduce` inside binds (`locals`).
fn unambiguous(expr: &Expr, grouping: &[&Expr], locals: &[String]) -> Result<(), CypherError> {
    if grouping.iter().any(|key| key.same_as(expr)) {
        // openCypher reuses only a variable or a property read next to an aggregate, not a
        // longer grouping expression.
        if expr.is_simple_read() {
            return Ok(());
        }
        return Err(CypherError::semantic(
            expr.span,
            format!(
                "`{expr}` is a grouping key, but only variables and property reads can be \
                 reused next to an aggregate; name it in a WITH first"
            ),
        )
        .with_code("AmbiguousAggregationExpression"));
    }
    match &expr.kind {
        ExprKind::CountStar => Ok(()),
        ExprKind::Call { function, .. } if function.is_aggregate() => Ok(()),
        ExprKind::Variable(v) if locals.contains(&v.name) => Ok(()),
        ExprKind::Variable(v) => Err(CypherError::semantic(
            expr.span,
            format!(
                "`{}` is read outside the aggregate but is not one of the grouping keys; \
                 return it as an item of its own",
                v.name
            ),
        )
        .with_code("AmbiguousAggregationExpression")),
        // The variables a comprehension, quantifier or reduce binds are its own.
        _ => expr.try_for_each_child_in_scope(locals, |child, inner| {
            unambiguous(child, grouping, inner)
        }),
    }
}

/// Refuses an aggregate where it would run once per item of a comprehension, quantifier,
/// `reduce`, pattern comprehension or `EXISTS` (`[y IN l | count(*)]`); an aggregated list
/// they read is fine (`all(ok IN collect(x) WHERE ok)`).
fn no_aggregate_in_a_body(expr: &Expr) -> Result<(), CypherError> {
    let children = expr.children();
    let body_from = match expr.inner_scope() {
        Some((outside, _)) => outside,
        None => children.len(),
    };
    for (at, child) in children.into_iter().enumerate() {
        if at >= body_from && child.has_aggregate() {
            return Err(CypherError::unsupported(
                child.span,
                "an aggregate inside the body of a comprehension, quantifier, reduce or EXISTS \
                 is not supported; aggregate in WITH first",
            ));
        }
        no_aggregate_in_a_body(child)?;
    }
    Ok(())
}

fn no_aggregate(expr: &Expr, place: &str) -> Result<(), CypherError> {
    if expr.has_aggregate() {
        return Err(CypherError::semantic(
            expr.span,
            format!("aggregates are not allowed in {place}; aggregate in WITH first"),
        )
        .with_code("InvalidAggregation"));
    }
    Ok(())
}

/// Checks the variables an expression reads, nested aggregates and boolean operands.
fn expression(expr: &Expr, names: &[String]) -> Result<(), CypherError> {
    match &expr.kind {
        ExprKind::Variable(v) if !names.contains(&v.name) => {
            return Err(
                CypherError::semantic(expr.span, format!("unknown variable `{}`", v.name))
                    .with_code("UndefinedVariable"),
            );
        }
        ExprKind::Call { function, args, .. } if function.is_aggregate() => {
            if let Some(inner) = args.iter().find(|a| a.has_aggregate()) {
                return Err(
                    CypherError::semantic(inner.span, "aggregates cannot be nested")
                        .with_code("NestedAggregation"),
                );
            }
            if let Some(random) = args.iter().find_map(random_call) {
                return Err(CypherError::semantic(
                    random.span,
                    "an aggregate cannot take `rand()`: its answer would change from run to run",
                )
                .with_code("NonConstantExpression"));
            }
        }
        ExprKind::Binary(BinaryOp::And | BinaryOp::Or | BinaryOp::Xor, a, b) => {
            for side in [a, b] {
                not_boolean_literal(side)?;
            }
        }
        ExprKind::Not(inner) => not_boolean_literal(inner)?,
        // A pattern predicate only tests variables bound before it; one that would bind new
        // ones is written `EXISTS { pattern }`.
        ExprKind::Pattern(pattern) => {
            let nodes = std::iter::once(&pattern.start).chain(pattern.steps.iter().map(|(_, n)| n));
            let variables = nodes
                .map(|n| (&n.variable, n.span))
                .chain(pattern.steps.iter().map(|(r, _)| (&r.variable, r.span)));
            for (name, span) in variables {
                if let Some(name) = name
                    && !names.contains(name)
                {
                    return Err(CypherError::semantic(
                        span,
                        format!(
                            "unknown variable `{name}`: a pattern predicate cannot bind new \
                             variables; write `EXISTS {{ pattern }}` to match new ones"
                        ),
                    )
                    .with_code("UndefinedVariable"));
                }
            }
            return pattern_properties(pattern, names);
        }
        // A subquery sees the row's variables (their types are not tracked into it).
        ExprKind::Subquery { clauses, .. } => {
            let mut inner = Scope::default();
            for name in names {
                inner.bind(name, Kind::Value);
            }
            return check_clauses(clauses, inner).map(drop);
        }
        _ => {}
    }
    expr.try_for_each_child_in_scope(names, expression)
}

/// The first `rand()` call in `expr`, if any.
fn random_call(expr: &Expr) -> Option<&Expr> {
    if let ExprKind::Call {
        function: Function::Rand,
        ..
    } = expr.kind
    {
        return Some(expr);
    }
    expr.children().into_iter().find_map(random_call)
}

fn not_boolean_literal(expr: &Expr) -> Result<(), CypherError> {
    let what = match &expr.kind {
        ExprKind::Literal(Literal::Int(_)) => "an integer",
        ExprKind::Literal(Literal::Float(_)) => "a float",
        ExprKind::Literal(Literal::Str(_)) => "a string",
        ExprKind::List(_) => "a list",
        ExprKind::Map(_) => "a map",
        _ => return Ok(()),
    };
    Err(CypherError::semantic(
        expr.span,
        format!("a boolean operator needs a boolean, not {what}"),
    )
    .with_code("InvalidArgumentType"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cypher::parser::parse;

    #[track_caller]
    fn refused(query: &str, message: &str) {
        let parsed = parse(query).unwrap();
        let err = check(&parsed).unwrap_err();
        assert_eq!(err.message, message, "{query}");
    }

    #[test]
    fn order_by_sorts_by_an_aggregate_only_when_it_is_returned() {
        refused(
            "MATCH (n) RETURN n ORDER BY count(*)",
            "ORDER BY cannot aggregate when the items do not: aggregate in WITH first",
        );
        refused(
            "MATCH (n) RETURN n.x AS x, count(*) ORDER BY max(x)",
            "ORDER BY can only sort by an aggregate that is returned: add it as an item",
        );
        accepted("MATCH (n) RETURN n.x, count(*) AS c ORDER BY count(*) DESC");
    }

    #[track_caller]
    fn accepted(query: &str) {
        let parsed = parse(query).unwrap();
        assert_eq!(check(&parsed), Ok(()), "{query}");
    }

    #[test]
    fn a_variable_keeps_its_type() {
        refused(
            "MATCH ()-[r]-() MATCH (r) RETURN r",
            "variable `r` is a relationship, not a node",
        );
        refused(
            "MATCH (n) MATCH ()-[n]-() RETURN n",
            "variable `n` is a node, not a relationship",
        );
        refused(
            "MATCH p = ()-[]-() MATCH (p) RETURN p",
            "variable `p` is a path, not a node",
        );
        refused(
            "MATCH (n) WITH [n] AS users MATCH (users)-->(m) RETURN m",
            "variable `users` is a list, not a node",
        );
        refused(
            "WITH 1 + 1 AS x MATCH ()-[x]-() RETURN x",
            "variable `x` is a value that is not an entity, not a relationship",
        );
        refused(
            "MATCH p = (a)-->(b), p = (c)-->(d) RETURN p",
            "variable `p` is already bound; give this one another name",
        );
        accepted("MATCH (a)-[r]->(b) MATCH (a)-[r]->(c) RETURN c");
        accepted("MATCH (a) WITH a AS b MATCH (b)-->(c) RETURN c");
        accepted("UNWIND [1] AS x MATCH (x) RETURN x");
    }

    #[test]
    fn what_must_be_new_is_not_bound_again() {
        refused(
            "MATCH (p)-[]-() MATCH p = ()-[]-() RETURN p",
            "variable `p` is already bound; give this one another name",
        );
        refused(
            "WITH 1 AS x UNWIND [2] AS x RETURN x",
            "variable `x` is already bound; give this one another name",
        );
        refused(
            "MATCH (a)-[r]->(b)-[r]->(c) RETURN a",
            "relationship variable `r` is used twice in one MATCH",
        );
    }

    #[test]
    fn variables_must_be_in_scope() {
        refused("MATCH (a) RETURN b", "unknown variable `b`");
        refused("MATCH (a) WITH a.x AS x RETURN a", "unknown variable `a`");
        refused("RETURN [x IN [1] | y]", "unknown variable `y`");
        accepted("MATCH (a) RETURN a.x AS x ORDER BY a.y");
        accepted("RETURN [x IN [1] WHERE x > 0 | x + 1] AS l, all(y IN [1] WHERE y = 1) AS q");
        accepted("MATCH (a), (b) WHERE (a)-->(b) AND NOT (b)-->() RETURN a");
        refused(
            "MATCH (a) WHERE (a)-->(b) RETURN a",
            "unknown variable `b`: a pattern predicate cannot bind new variables; write \
             `EXISTS { pattern }` to match new ones",
        );
        accepted("MATCH (a) WHERE EXISTS { (a)-[r]->(b) } RETURN a");
    }

    #[test]
    fn patterns_are_conditions_not_values() {
        let value = "a pattern is a condition, not a value: use `[(a)-->(b) | b]` for the \
                     matches or `COUNT { (a)-->(b) }` for how many";
        refused("MATCH (n) RETURN (n)-->()", value);
        refused("MATCH (n) WITH (n)-->() AS x RETURN x", value);
        refused("MATCH (n) RETURN size((n)-->())", value);
        refused("MATCH (n) UNWIND [1, (n)-->()] AS x RETURN x", value);
        accepted("MATCH (n) WHERE NOT ((n)-->() OR (n)<--()) RETURN n");
        accepted("MATCH (n) RETURN CASE WHEN (n)-->() THEN 1 ELSE 0 END AS c");
        accepted(
            "MATCH (n) RETURN [m IN [n] WHERE (m)-->()] AS l, any(m IN [n] WHERE (m)-->()) AS q",
        );
        accepted("MATCH (n) WITH n WHERE (n)-->() RETURN n");
        refused(
            "MATCH (n) WHERE (n) RETURN n",
            "`n` is a node, not a boolean: a condition needs a boolean",
        );
        refused(
            "MATCH (n)-[r]->() WITH r WHERE NOT r RETURN r",
            "`r` is a relationship, not a boolean: a condition needs a boolean",
        );
        // A comprehension's variable hides the node of the same name.
        accepted("MATCH (n) RETURN [n IN [true] WHERE n] AS l");
    }

    #[test]
    fn functions_refuse_kinds_they_never_take() {
        refused(
            "MATCH (r) RETURN type(r)",
            "`type()` cannot take `r`: it is a node",
        );
        refused(
            "MATCH (n) RETURN length(n)",
            "`length()` cannot take `n`: it is a node",
        );
        refused(
            "MATCH ()-[r]->() RETURN length(r)",
            "`length()` cannot take `r`: it is a relationship",
        );
        refused(
            "MATCH p = (a)-->() RETURN size(p)",
            "`size()` cannot take `p`: it is a path",
        );
        accepted("MATCH p = ()-[r]->() RETURN type(r), length(p), size(nodes(p))");
        accepted("MATCH (n) RETURN [r IN [1] | size([r])] AS l");
    }

    #[test]
    fn rand_is_no_aggregate_argument() {
        refused(
            "RETURN count(rand())",
            "an aggregate cannot take `rand()`: its answer would change from run to run",
        );
        refused(
            "UNWIND [1] AS x RETURN sum(x + rand())",
            "an aggregate cannot take `rand()`: its answer would change from run to run",
        );
        accepted("RETURN rand() < 1 AS r, count(*) AS c");
    }

    #[test]
    fn a_path_is_none_of_its_own_parts() {
        for query in [
            "MATCH p = (p)-->() RETURN p",
            "MATCH p = ()-[p*]->() RETURN p",
        ] {
            refused(
                query,
                "variable `p` is already bound; give this one another name",
            );
        }
    }

    #[test]
    fn aggregates_stay_where_they_belong() {
        refused(
            "MATCH (a) WHERE count(a) > 1 RETURN a",
            "aggregates are not allowed in WHERE; aggregate in WITH first",
        );
        refused("RETURN count(count(*))", "aggregates cannot be nested");
        refused(
            "MATCH (me)-->(you) RETURN me.age + count(you.age)",
            "`me` is read outside the aggregate but is not one of the grouping keys; return it as an item of its own",
        );
        accepted("MATCH (me)-->(you) RETURN me.age, me.age + count(you.age)");
        accepted("MATCH (me)-->(you) RETURN me, count(you) * 2 + 1, $p + count(*)");
        accepted("MATCH (a) RETURN count(a) > 0");
    }

    #[test]
    fn with_names_its_expressions_and_booleans_are_booleans() {
        refused(
            "WITH 1 + 2 RETURN 1",
            "an expression in WITH needs a name: add `AS name`",
        );
        accepted("MATCH (a) WITH a RETURN a");
        refused(
            "RETURN 123 AND true",
            "a boolean operator needs a boolean, not an integer",
        );
        refused(
            "RETURN NOT 'x'",
            "a boolean operator needs a boolean, not a string",
        );
        accepted("RETURN null AND true, $p OR false");
    }
}
