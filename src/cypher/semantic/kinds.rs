//! Checks that need what a variable holds ([`Kind`]): reads its kind can never answer, and
//! what may stand where a condition is read.

use super::{Kind, Scope};
use crate::cypher::ast::{BinaryOp, Expr, ExprKind, Function};
use crate::cypher::error::CypherError;

/// A read that a variable's kind can never answer is refused before running: a property of a
/// path or a list (`p.name` for `p = (a)-->(b)`), `type()` of anything but a relationship,
/// `length()` of a node or relationship, `size()` of a path, node or relationship.
/// `shadowed` are names a comprehension has rebound.
pub(super) fn property_targets(
    expr: &Expr,
    scope: &Scope,
    shadowed: &[String],
) -> Result<(), CypherError> {
    if let ExprKind::Call { function, args, .. } = &expr.kind
        && let [arg] = args.as_slice()
        && let ExprKind::Variable(v) = &arg.kind
        && !shadowed.contains(&v.name)
        && let Some(kind) = scope.get(&v.name)
    {
        let wrong = match function {
            Function::Type => matches!(
                kind,
                Kind::Node | Kind::Path | Kind::Relationships | Kind::List | Kind::Data
            ),
            Function::Length => matches!(kind, Kind::Node | Kind::Relationship),
            Function::Size => matches!(kind, Kind::Node | Kind::Relationship | Kind::Path),
            _ => false,
        };
        if wrong {
            return Err(CypherError::semantic(
                arg.span,
                format!(
                    "`{}()` cannot take `{}`: it is {}",
                    function.name(),
                    v.name,
                    kind.name()
                ),
            )
            .with_code("InvalidArgumentType"));
        }
    }
    if let ExprKind::Property(inner, key) = &expr.kind
        && let ExprKind::Variable(v) = &inner.kind
        && !shadowed.contains(&v.name)
        && let Some(kind @ (Kind::Path | Kind::Relationships | Kind::List)) = scope.get(&v.name)
    {
        return Err(CypherError::semantic(
            inner.span,
            format!(
                "`{}.{key}`: `{}` is {}, which has no properties",
                v.name,
                v.name,
                kind.name()
            ),
        )
        .with_code("InvalidArgumentType"));
    }
    // A subquery has no children here: its clauses are checked with their own scope.
    expr.try_for_each_child_in_scope(shadowed, |child, inner| {
        property_targets(child, scope, inner)
    })
}

/// A pattern is a predicate, so it may stand only where a condition is read: a `WHERE`, a
/// `CASE WHEN`, a comprehension's or quantifier's condition, and the operands of `AND`, `OR`,
/// `XOR` and `NOT` there. As a value (`RETURN (n)-->()`, `size(()--())`) it is refused, as
/// openCypher refuses it; a pattern comprehension or `COUNT { }` says what was meant. In a
/// condition, a node, relationship or path variable is refused too (`WHERE (n)`): it is no
/// boolean.
pub(super) fn conditions(expr: &Expr, condition: bool, scope: &Scope) -> Result<(), CypherError> {
    match &expr.kind {
        ExprKind::Pattern(_) if !condition => {
            return Err(CypherError::syntax(
                expr.span,
                "a pattern is a condition, not a value: use `[(a)-->(b) | b]` for the matches \
                 or `COUNT { (a)-->(b) }` for how many",
            )
            .with_code("UnexpectedSyntax"));
        }
        ExprKind::Pattern(_) => return Ok(()),
        ExprKind::Variable(v) if condition => {
            if let Some(kind @ (Kind::Node | Kind::Relationship | Kind::Path)) = scope.get(&v.name)
            {
                return Err(CypherError::semantic(
                    expr.span,
                    format!(
                        "`{}` is {}, not a boolean: a condition needs a boolean",
                        v.name,
                        kind.name()
                    ),
                )
                .with_code("InvalidArgumentType"));
            }
            return Ok(());
        }
        ExprKind::Binary(BinaryOp::And | BinaryOp::Or | BinaryOp::Xor, a, b) => {
            conditions(a, condition, scope)?;
            return conditions(b, condition, scope);
        }
        ExprKind::Not(inner) => return conditions(inner, condition, scope),
        ExprKind::Case {
            subject: None,
            arms,
            otherwise,
        } => {
            for (when, then) in arms {
                conditions(when, true, scope)?;
                conditions(then, false, scope)?;
            }
            return otherwise
                .as_deref()
                .map_or(Ok(()), |e| conditions(e, false, scope));
        }
        _ => {}
    }
    // The variables a comprehension binds are not in `scope`: an inner condition is checked
    // for its patterns only.
    let inner = Scope::default();
    match &expr.kind {
        ExprKind::Comprehension {
            list, filter, map, ..
        } => {
            conditions(list, false, scope)?;
            for (part, is_condition) in [(filter, true), (map, false)] {
                if let Some(part) = part {
                    conditions(part, is_condition, &inner)?;
                }
            }
            Ok(())
        }
        ExprKind::Quantified {
            list, condition, ..
        } => {
            conditions(list, false, scope)?;
            conditions(condition, true, &inner)
        }
        ExprKind::PatternComprehension { filter, map, .. } => {
            if let Some(filter) = filter {
                conditions(filter, true, &inner)?;
            }
            conditions(map, false, &inner)
        }
        ExprKind::Exists {
            filter: Some(filter),
            ..
        } => conditions(filter, true, &inner),
        _ => expr
            .children()
            .into_iter()
            .try_for_each(|child| conditions(child, false, scope)),
    }
}
