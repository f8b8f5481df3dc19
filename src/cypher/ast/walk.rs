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

    /// Whether `other` is the same expression written again: the same forms, names and values,
    /// wherever each is written (spans and occurrence numbers aside). How a sort key or an
    /// item next to an aggregate is recognised as a grouping key.
    #[must_use]
    pub fn same_as(&self, other: &Expr) -> bool {
        if !self.same_head(other) {
            return false;
        }
        let (mine, theirs) = (self.children(), other.children());
        mine.len() == theirs.len() && mine.iter().zip(&theirs).all(|(a, b)| a.same_as(b))
    }

    /// Whether two expressions agree on everything but their children ([`Expr::children`]).
    fn same_head(&self, other: &Expr) -> bool {
        use ExprKind as K;
        // A pattern is compared as written (its patterns' numbers aside): it has no children.
        let same_text =
            |a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| a.to_string() == b.to_string();
        match (&self.kind, &other.kind) {
            (K::Literal(a), K::Literal(b)) => a == b,
            (K::Param(a), K::Param(b)) | (K::Property(_, a), K::Property(_, b)) => a == b,
            (K::Variable(a), K::Variable(b)) => a.name == b.name,
            (K::HasLabel(_, a), K::HasLabel(_, b)) => a == b,
            (K::List(_), K::List(_))
            | (K::CountStar, K::CountStar)
            | (K::Not(_), K::Not(_))
            | (K::Negate(_), K::Negate(_))
            | (K::Index(..), K::Index(..)) => true,
            (K::Map(a), K::Map(b)) => a.iter().map(|(k, _)| k).eq(b.iter().map(|(k, _)| k)),
            (
                K::Call {
                    function: f,
                    distinct: d,
                    ..
                },
                K::Call {
                    function: g,
                    distinct: e,
                    ..
                },
            ) => f == g && d == e,
            (K::IsNull(_, a), K::IsNull(_, b)) => a == b,
            (K::Binary(a, ..), K::Binary(b, ..)) => a == b,
            (K::Pattern(a), K::Pattern(b)) => same_text(a, b),
            (
                K::Case {
                    subject,
                    arms,
                    otherwise,
                },
                K::Case {
                    subject: their_subject,
                    arms: their_arms,
                    otherwise: their_otherwise,
                },
            ) => {
                subject.is_some() == their_subject.is_some()
                    && arms.len() == their_arms.len()
                    && otherwise.is_some() == their_otherwise.is_some()
            }
            (
                K::Comprehension {
                    variable,
                    filter,
                    map,
                    ..
                },
                K::Comprehension {
                    variable: their_variable,
                    filter: their_filter,
                    map: their_map,
                    ..
                },
            ) => {
                variable.name == their_variable.name
                    && filter.is_some() == their_filter.is_some()
                    && map.is_some() == their_map.is_some()
            }
            (
                K::Quantified {
                    quantifier: q,
                    variable: v,
                    ..
                },
                K::Quantified {
                    quantifier: r,
                    variable: w,
                    ..
                },
            ) => q == r && v.name == w.name,
            (K::Slice(_, a, b), K::Slice(_, c, d)) => {
                a.is_some() == c.is_some() && b.is_some() == d.is_some()
            }
            (
                K::PatternComprehension {
                    pattern: a,
                    filter: f,
                    ..
                },
                K::PatternComprehension {
                    pattern: b,
                    filter: g,
                    ..
                },
            ) => same_text(a, b) && f.is_some() == g.is_some(),
            (
                K::Exists {
                    pattern,
                    filter,
                    count,
                },
                K::Exists {
                    pattern: their_pattern,
                    filter: their_filter,
                    count: their_count,
                },
            ) => {
                same_text(pattern, their_pattern)
                    && filter.is_some() == their_filter.is_some()
                    && count == their_count
            }
            // A subquery's clauses are not its children: compared as written.
            (K::Subquery { .. }, K::Subquery { .. }) => same_text(self, other),
            (K::MapProjection(_, a), K::MapProjection(_, b)) => {
                a.len() == b.len()
                    && a.iter().zip(b).all(|(x, y)| match (x, y) {
                        (MapItem::Property(x), MapItem::Property(y))
                        | (MapItem::Entry(x, _), MapItem::Entry(y, _))
                        | (MapItem::Variable(x, _), MapItem::Variable(y, _)) => x == y,
                        (MapItem::AllProperties, MapItem::AllProperties) => true,
                        _ => false,
                    })
            }
            (
                K::Reduce {
                    accumulator: a,
                    variable: v,
                    ..
                },
                K::Reduce {
                    accumulator: b,
                    variable: w,
                    ..
                },
            ) => a.name == b.name && v.name == w.name,
            _ => false,
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

    #[test]
    fn the_same_expression_written_twice_is_the_same_and_nothing_else_is() {
        let forms = [
            "n.x",
            "n.y",
            "n",
            "m",
            "1",
            "1.0",
            "'1'",
            "$a",
            "$b",
            "n.x + 1",
            "1 + n.x",
            "n.x - 1",
            "count(n)",
            "count(DISTINCT n)",
            "count(*)",
            "sum(n.x)",
            "[n.x, 1]",
            "[1, n.x]",
            "{a: n.x}",
            "{b: n.x}",
            "n:L",
            "n:M",
            "n.x IS NULL",
            "n.x IS NOT NULL",
            "NOT n.x",
            "-n.x",
            "l[0]",
            "l[0..1]",
            "l[..1]",
            "CASE n.x WHEN 1 THEN 2 END",
            "CASE WHEN n.x THEN 2 END",
            "CASE n.x WHEN 1 THEN 2 ELSE 3 END",
            "[x IN l | x]",
            "[y IN l | y]",
            "[x IN l WHERE x > 1]",
            "all(x IN l WHERE x)",
            "any(x IN l WHERE x)",
            "reduce(s = 0, x IN l | s + x)",
            "[(n)-->(m) | m.x]",
            "[(n)<--(m) | m.x]",
            "EXISTS { (n)-->() }",
            "COUNT { (n)-->() }",
            "n {.x, .*}",
            "n {.y, .*}",
        ];
        // Each form parsed twice, at different places, so spans and numbers differ.
        let list = forms.join(", ");
        let first = items(&format!("WITH 1 AS n, 2 AS m, [1] AS l RETURN {list}"));
        let second = items(&format!("WITH 1 AS n, 2 AS m, [1] AS l RETURN 0, {list}"));
        for (i, a) in first.iter().enumerate() {
            for (j, b) in second[1..].iter().enumerate() {
                assert_eq!(
                    a.same_as(b),
                    i == j,
                    "`{}` against `{}`",
                    forms[i],
                    forms[j]
                );
            }
        }
    }
}
