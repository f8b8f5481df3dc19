//! Walking an expression: its children, the variables it binds for some of them, and the
//! scope checks and aggregate searches built on that one walk.

use super::{Expr, ExprKind, MapItem};

impl Expr {
    /// Returns the expressions directly inside this one, in the order they are written
    /// (pattern predicates' property maps excluded: they are read with the pattern).
    #[must_use]
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Literal(_)
            | ExprKind::Param(_)
            | ExprKind::Variable(_)
            | ExprKind::CountStar
            | ExprKind::Pattern(_)
            // A subquery's expressions are its own: their aggregates and scopes are checked
            // and run with its clauses.
            | ExprKind::Subquery { .. } => Vec::new(),
            ExprKind::Property(inner, _)
            | ExprKind::HasLabel(inner, _)
            | ExprKind::Not(inner)
            | ExprKind::Negate(inner)
            | ExprKind::IsNull(inner, _) => vec![inner],
            ExprKind::List(items) | ExprKind::Call { args: items, .. } => items.iter().collect(),
            ExprKind::Map(entries) => entries.iter().map(|(_, e)| e).collect(),
            ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => vec![a, b],
            ExprKind::Case {
                subject,
                arms,
                otherwise,
            } => subject
                .iter()
                .map(|e| &**e)
                .chain(arms.iter().flat_map(|(when, then)| [when, then]))
                .chain(otherwise.iter().map(|e| &**e))
                .collect(),
            ExprKind::Comprehension {
                list, filter, map, ..
            } => std::iter::once(&**list)
                .chain(filter.iter().map(|e| &**e))
                .chain(map.iter().map(|e| &**e))
                .collect(),
            ExprKind::Quantified {
                list, condition, ..
            } => vec![list, condition],
            ExprKind::Slice(list, from, to) => std::iter::once(&**list)
                .chain(from.iter().map(|e| &**e))
                .chain(to.iter().map(|e| &**e))
                .collect(),
            ExprKind::PatternComprehension { filter, map, .. } => filter
                .iter()
                .map(|e| &**e)
                .chain(std::iter::once(&**map))
                .collect(),
            ExprKind::Exists { filter, .. } => filter.iter().map(|e| &**e).collect(),
            ExprKind::Reduce {
                init, list, step, ..
            } => vec![init, list, step],
            ExprKind::MapProjection(subject, items) => std::iter::once(&**subject)
                .chain(items.iter().filter_map(|item| match item {
                    MapItem::Entry(_, value) | MapItem::Variable(_, value) => Some(value),
                    MapItem::Property(_) | MapItem::AllProperties => None,
                }))
                .collect(),
        }
    }

    /// [`Expr::children`], mutable, in the same order.
    pub fn children_mut(&mut self) -> Vec<&mut Expr> {
        match &mut self.kind {
            ExprKind::Literal(_)
            | ExprKind::Param(_)
            | ExprKind::Variable(_)
            | ExprKind::CountStar
            | ExprKind::Pattern(_)
            | ExprKind::Subquery { .. } => Vec::new(),
            ExprKind::Property(inner, _)
            | ExprKind::HasLabel(inner, _)
            | ExprKind::Not(inner)
            | ExprKind::Negate(inner)
            | ExprKind::IsNull(inner, _) => vec![inner],
            ExprKind::List(items) | ExprKind::Call { args: items, .. } => {
                items.iter_mut().collect()
            }
            ExprKind::Map(entries) => entries.iter_mut().map(|(_, e)| e).collect(),
            ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => vec![a, b],
            ExprKind::Case {
                subject,
                arms,
                otherwise,
            } => subject
                .iter_mut()
                .map(|e| &mut **e)
                .chain(arms.iter_mut().flat_map(|(when, then)| [when, then]))
                .chain(otherwise.iter_mut().map(|e| &mut **e))
                .collect(),
            ExprKind::Comprehension {
                list, filter, map, ..
            } => std::iter::once(&mut **list)
                .chain(filter.iter_mut().map(|e| &mut **e))
                .chain(map.iter_mut().map(|e| &mut **e))
                .collect(),
            ExprKind::Quantified {
                list, condition, ..
            } => vec![list, condition],
            ExprKind::Slice(list, from, to) => std::iter::once(&mut **list)
                .chain(from.iter_mut().map(|e| &mut **e))
                .chain(to.iter_mut().map(|e| &mut **e))
                .collect(),
            ExprKind::PatternComprehension { filter, map, .. } => filter
                .iter_mut()
                .map(|e| &mut **e)
                .chain(std::iter::once(&mut **map))
                .collect(),
            ExprKind::Exists { filter, .. } => filter.iter_mut().map(|e| &mut **e).collect(),
            ExprKind::Reduce {
                init, list, step, ..
            } => vec![init, list, step],
            ExprKind::MapProjection(subject, items) => std::iter::once(&mut **subject)
                .chain(items.iter_mut().filter_map(|item| match item {
                    MapItem::Entry(_, value) | MapItem::Variable(_, value) => Some(value),
                    MapItem::Property(_) | MapItem::AllProperties => None,
                }))
                .collect(),
        }
    }

    /// Returns a copy of this expression with each part `replace` gives a replacement for
    /// replaced (outside in, in the order [`Expr::children`] lists parts; a replaced part is
    /// not looked into).
    #[must_use]
    pub fn rewritten(&self, replace: &mut impl FnMut(&Expr) -> Option<Expr>) -> Expr {
        fn walk(expr: &mut Expr, replace: &mut impl FnMut(&Expr) -> Option<Expr>) {
            if let Some(replacement) = replace(expr) {
                *expr = replacement;
                return;
            }
            for child in expr.children_mut() {
                walk(child, replace);
            }
        }
        let mut copy = self.clone();
        walk(&mut copy, replace);
        copy
    }

    /// Returns the variables this expression binds for its inner parts, and how many of its
    /// [`Expr::children`] come first and are read outside them: a comprehension's or
    /// quantifier's variable (after the list), `reduce`'s two (after the start and the list),
    /// a pattern comprehension's or `EXISTS`'s pattern variables (for all its parts).
    #[must_use]
    pub fn inner_scope(&self) -> Option<(usize, Vec<String>)> {
        match &self.kind {
            ExprKind::Comprehension { variable, .. } | ExprKind::Quantified { variable, .. } => {
                Some((1, vec![variable.name.clone()]))
            }
            ExprKind::Reduce {
                accumulator,
                variable,
                ..
            } => Some((2, vec![accumulator.name.clone(), variable.name.clone()])),
            ExprKind::PatternComprehension { pattern, .. } | ExprKind::Exists { pattern, .. } => {
                Some((0, pattern.variables()))
            }
            _ => None,
        }
    }

    /// Calls `visit` on each child with the names in scope there: `names`, plus the variables
    /// this expression binds for the children that read them (a comprehension's filter and
    /// map, a quantifier's condition, `reduce`'s step); the one walk the scope checks share.
    ///
    /// # Errors
    /// The first error `visit` returns.
    pub fn try_for_each_child_in_scope<E>(
        &self,
        names: &[String],
        mut visit: impl FnMut(&Expr, &[String]) -> Result<(), E>,
    ) -> Result<(), E> {
        match self.inner_scope() {
            // The first parts are read outside the new variables' scope; the rest inside it.
            Some((outside, new)) => {
                let mut inner = names.to_vec();
                inner.extend(new);
                for (i, child) in self.children().into_iter().enumerate() {
                    visit(child, if i < outside { names } else { &inner })?;
                }
                Ok(())
            }
            None => self
                .children()
                .into_iter()
                .try_for_each(|child| visit(child, names)),
        }
    }

    /// Returns whether the expression is a variable or a property read of one (`n`, `n.age`):
    /// the grouping keys openCypher lets an aggregating expression reuse.
    #[must_use]
    pub fn is_simple_read(&self) -> bool {
        match &self.kind {
            ExprKind::Variable(_) => true,
            ExprKind::Property(inner, _) => matches!(inner.kind, ExprKind::Variable(_)),
            _ => false,
        }
    }

    /// Returns whether the expression is itself an aggregate call (`count(*)`, `sum(x)`).
    #[must_use]
    pub fn is_aggregate_call(&self) -> bool {
        match &self.kind {
            ExprKind::CountStar => true,
            ExprKind::Call { function, .. } => function.is_aggregate(),
            _ => false,
        }
    }

    /// Returns whether the expression contains an aggregate call.
    #[must_use]
    pub fn has_aggregate(&self) -> bool {
        match &self.kind {
            ExprKind::CountStar => true,
            ExprKind::Call { function, .. } if function.is_aggregate() => true,
            _ => self.children().into_iter().any(Expr::has_aggregate),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cypher::ast::{Clause, Expr, ExprKind};
    use crate::cypher::parser::parse;

    fn items(query: &str) -> Vec<Expr> {
        let query = parse(query).unwrap();
        let Some(Clause::Return(projection)) = query.clauses.last() else {
            panic!("a query ending in RETURN");
        };
        projection.items.iter().map(|i| i.expr.clone()).collect()
    }

    /// Every form with parts, so that `children_mut` is checked against `children` on each.
    const EVERY_FORM: &str = "WITH 1 AS n, [1] AS l, {a: 1} AS m RETURN n.x, n:A, NOT true, -n, \
         n IS NULL, [n, 2], size(l), {k: n}, n + 1, l[0], l[0..1], \
         CASE n WHEN 1 THEN 2 ELSE 3 END, [x IN l WHERE x > 0 | x * 2], all(x IN l WHERE x > 0), \
         [(a)-->(b) WHERE a.x = 1 | b.y], EXISTS { (a)-->(b) WHERE a.x = n }, \
         reduce(s = 0, x IN l | s + x), m {.a, k: n, n}";

    #[test]
    fn children_mut_lists_the_parts_children_lists_in_its_order() {
        fn check(expr: &mut Expr) {
            let shared: Vec<String> = expr.children().iter().map(ToString::to_string).collect();
            let mutable: Vec<String> = expr
                .children_mut()
                .iter()
                .map(ToString::to_string)
                .collect();
            assert_eq!(shared, mutable, "{expr}");
            for child in expr.children_mut() {
                check(child);
            }
        }
        let mut all = items(EVERY_FORM);
        assert!(all.iter().all(|e| !e.children().is_empty()));
        for expr in &mut all {
            check(expr);
        }
    }

    #[test]
    fn rewritten_replaces_the_outermost_match_and_leaves_the_original() {
        let expr = &items("WITH {a: 1} AS n RETURN size([n.a, [n.a]]) AS x")[0];
        let seven = |part: &Expr| Expr {
            kind: ExprKind::Literal(crate::cypher::ast::Literal::Int(7)),
            span: part.span,
        };
        let mut looked_at = Vec::new();
        let copy = expr.rewritten(&mut |part| {
            looked_at.push(part.to_string());
            // A list holding `n.a` is replaced whole: the `n.a` inside it is never looked at.
            let text = part.to_string();
            (text == "n.a" || text == "[n.a]").then(|| seven(part))
        });
        assert_eq!(copy.to_string(), "size([7, 7])");
        assert_eq!(expr.to_string(), "size([n.a, [n.a]])");
        assert_eq!(
            looked_at,
            ["size([n.a, [n.a]])", "[n.a, [n.a]]", "n.a", "[n.a]"]
        );
    }
}
