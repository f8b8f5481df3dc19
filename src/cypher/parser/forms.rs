//! The compound forms inside expressions: `CASE`, list and pattern comprehensions,
//! quantifiers, `EXISTS { }` / `COUNT { }` (a pattern or a whole subquery), `reduce` and map
//! projections.

use super::Parser;
use crate::cypher::ast::{Clause, Expr, ExprKind, MapItem, Quantifier};
use crate::cypher::error::{CypherError, Span};
use crate::cypher::lexer::Tok;

impl Parser<'_> {
    /// `CASE [subject] WHEN a THEN b ... [ELSE c] END`, the cursor on `CASE`.
    pub(super) fn case(&mut self, start: Span) -> Result<Expr, CypherError> {
        self.at += 1;
        self.deeper()?;
        let subject = if self.is_keyword("WHEN") {
            None
        } else {
            Some(Box::new(self.expr()?))
        };
        let mut arms = Vec::new();
        while self.eat_keyword("WHEN") {
            let when = self.expr()?;
            self.expect_keyword("THEN", "after the `WHEN` condition")?;
            arms.push((when, self.expr()?));
        }
        if arms.is_empty() {
            return Err(self.expected("`WHEN` in `CASE`"));
        }
        let otherwise = if self.eat_keyword("ELSE") {
            Some(Box::new(self.expr()?))
        } else {
            None
        };
        let end = self.span();
        self.expect_keyword("END", "to close `CASE`")?;
        self.depth -= 1;
        Ok(Expr {
            kind: ExprKind::Case {
                subject,
                arms,
                otherwise,
            },
            span: start.to(end),
        })
    }

    /// `[x IN list WHERE condition | result]`, the cursor after `[`.
    pub(super) fn comprehension(&mut self, start: Span) -> Result<Expr, CypherError> {
        self.deeper()?;
        let variable = self.name("a variable")?;
        let variable = self.var(variable);
        self.expect_keyword("IN", "after the variable")?;
        let list = Box::new(self.expr()?);
        let filter = if self.eat_keyword("WHERE") {
            Some(Box::new(self.expr()?))
        } else {
            None
        };
        let map = if self.eat_sym("|") {
            Some(Box::new(self.expr()?))
        } else {
            None
        };
        let close = self.expect_sym("]", "to close the list comprehension")?;
        self.depth -= 1;
        Ok(Expr {
            kind: ExprKind::Comprehension {
                variable,
                list,
                filter,
                map,
            },
            span: start.to(close),
        })
    }

    /// `all(x IN list WHERE condition)` and the others, the cursor on the name.
    pub(super) fn quantified(
        &mut self,
        quantifier: Quantifier,
        start: Span,
    ) -> Result<Expr, CypherError> {
        self.at += 1;
        self.expect_sym("(", "after the quantifier")?;
        self.deeper()?;
        let variable = self.name("a variable")?;
        let variable = self.var(variable);
        self.expect_keyword("IN", "after the variable")?;
        let list = Box::new(self.expr()?);
        self.expect_keyword(
            "WHERE",
            &format!("in `{}(x IN list WHERE condition)`", quantifier.name()),
        )?;
        let condition = Box::new(self.expr()?);
        let close = self.expect_sym(")", "to close the quantifier")?;
        self.depth -= 1;
        Ok(Expr {
            kind: ExprKind::Quantified {
                quantifier,
                variable,
                list,
                condition,
            },
            span: start.to(close),
        })
    }

    /// Whether the tokens at the cursor start a path pattern: `p = (`, or a node followed by a
    /// relationship.
    pub(super) fn starts_pattern(&self) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(_) | Tok::Quoted(_)))
            && matches!(self.peek_at(1), Some(Tok::Sym("=")))
            && matches!(self.peek_at(2), Some(Tok::Sym("(")))
        {
            return true;
        }
        if !self.is_sym("(") {
            return false;
        }
        let close = self.closing[self.at];
        close != usize::MAX && self.starts_relationship_at(close + 1 - self.at)
    }

    /// `[pattern WHERE condition | result]`, the cursor after `[`.
    pub(super) fn pattern_comprehension(&mut self, start: Span) -> Result<Expr, CypherError> {
        self.deeper()?;
        let depth = self.depth;
        let pattern = Box::new(self.path_pattern()?);
        self.depth = depth;
        let filter = if self.eat_keyword("WHERE") {
            Some(Box::new(self.expr()?))
        } else {
            None
        };
        self.expect_sym(
            "|",
            "and the value for each match in a pattern comprehension",
        )?;
        let map = Box::new(self.expr()?);
        let close = self.expect_sym("]", "to close the pattern comprehension")?;
        self.depth -= 1;
        Ok(Expr {
            kind: ExprKind::PatternComprehension {
                pattern,
                filter,
                map,
            },
            span: start.to(close),
        })
    }

    /// `EXISTS { [MATCH] pattern [WHERE condition] }` (or `COUNT { ... }`), the cursor on the
    /// keyword; anything more in the braces (several patterns, `WITH`, `RETURN`, ...) is a
    /// whole subquery.
    pub(super) fn exists(&mut self, start: Span, count: bool) -> Result<Expr, CypherError> {
        // The token after `EXISTS {`.
        let body = self.at + 2;
        if !self.starts_a_clause(body) {
            return self.exists_pattern(start, count);
        }
        // `MATCH pattern [WHERE ...] }` is the short form; anything longer a whole query.
        let depth = self.depth;
        self.exists_pattern(start, count).or_else(|_| {
            self.at = body;
            self.depth = depth;
            self.subquery(start, count)
        })
    }

    /// Whether the token at `index` opens a clause.
    pub(super) fn starts_a_clause(&self, index: usize) -> bool {
        matches!(self.tokens.get(index).map(|t| &t.tok), Some(Tok::Ident(word))
            if ["MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL", "CREATE", "MERGE",
                "SET", "DELETE", "DETACH", "REMOVE", "FOREACH"]
                .iter()
                .any(|k| word.eq_ignore_ascii_case(k)))
    }

    /// The clauses of `EXISTS { ... }` or `COUNT { ... }`, the cursor after `{`.
    pub(super) fn subquery(&mut self, start: Span, count: bool) -> Result<Expr, CypherError> {
        self.deeper()?;
        let mut clauses = Vec::new();
        while !self.is_sym("}") && !self.at_end() {
            if matches!(clauses.last(), Some(Clause::Return(_))) {
                return Err(self.expected("`}` after the subquery's `RETURN`"));
            }
            clauses.push(self.clause()?);
        }
        let close = self.expect_sym("}", "to close the subquery")?;
        self.depth -= 1;
        Ok(Expr {
            kind: ExprKind::Subquery { clauses, count },
            span: start.to(close),
        })
    }

    /// `EXISTS { [MATCH] pattern [WHERE condition] }`, the cursor on the keyword.
    pub(super) fn exists_pattern(&mut self, start: Span, count: bool) -> Result<Expr, CypherError> {
        self.at += 2;
        self.deeper()?;
        self.eat_keyword("MATCH");
        let depth = self.depth;
        let pattern = Box::new(self.path_pattern()?);
        self.depth = depth;
        if self.is_sym(",") {
            return Err(CypherError::unsupported(
                self.span(),
                "`EXISTS { }` without `MATCH` takes one pattern; write `EXISTS { MATCH a, b }` for several",
            ));
        }
        let filter = if self.eat_keyword("WHERE") {
            Some(Box::new(self.expr()?))
        } else {
            None
        };
        if self.is_keyword("RETURN") || self.is_keyword("WITH") || self.is_keyword("MATCH") {
            return Err(CypherError::unsupported(
                self.span(),
                "`EXISTS { }` with more than a pattern and `WHERE` is not supported",
            ));
        }
        let close = self.expect_sym("}", "to close `EXISTS {`")?;
        self.depth -= 1;
        Ok(Expr {
            kind: ExprKind::Exists {
                pattern,
                filter,
                count,
            },
            span: start.to(close),
        })
    }

    /// `reduce(total = init, x IN list | step)`, the cursor on `reduce`.
    pub(super) fn reduce(&mut self, start: Span) -> Result<Expr, CypherError> {
        self.at += 2;
        self.deeper()?;
        let accumulator = self.name("the running value's name")?;
        let accumulator = self.var(accumulator);
        self.expect_sym("=", "after the running value's name in `reduce`")?;
        let init = Box::new(self.expr()?);
        self.expect_sym(",", "after the running value's start in `reduce`")?;
        let variable = self.name("a variable")?;
        let variable = self.var(variable);
        self.expect_keyword("IN", "after the variable")?;
        let list = Box::new(self.expr()?);
        self.expect_sym("|", "before the step of `reduce`")?;
        let step = Box::new(self.expr()?);
        let close = self.expect_sym(")", "to close `reduce`")?;
        self.depth -= 1;
        Ok(Expr {
            kind: ExprKind::Reduce {
                accumulator,
                init,
                variable,
                list,
                step,
            },
            span: start.to(close),
        })
    }

    /// `{.key, .*, key: expr, variable}` after a variable, the cursor on `{`.
    pub(super) fn map_projection(&mut self) -> Result<Vec<MapItem>, CypherError> {
        self.at += 1;
        let mut items = Vec::new();
        while !self.eat_sym("}") {
            if !items.is_empty() {
                self.expect_sym(",", "or `}` in the map projection")?;
            }
            if self.eat_sym(".") {
                if self.eat_sym("*") {
                    items.push(MapItem::AllProperties);
                } else {
                    items.push(MapItem::Property(self.name("a property name after `.`")?));
                }
            } else if matches!(self.peek_at(1), Some(Tok::Sym(":"))) {
                let key = self.name("a key")?;
                self.at += 1;
                items.push(MapItem::Entry(key, self.expr()?));
            } else {
                let span = self.span();
                let name = self.name("`.key`, `key: value` or a variable")?;
                let variable = Expr {
                    kind: ExprKind::Variable(self.var(name.clone())),
                    span,
                };
                items.push(MapItem::Variable(name, variable));
            }
        }
        Ok(items)
    }
}
