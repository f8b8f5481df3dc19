//! Expressions, loosest binding first: OR, XOR, AND, NOT, comparisons, predicates, `+ -`,
//! `* / %`, unary signs, property access and atoms.

use super::Parser;
use crate::cypher::ast::{BinaryOp, Expr, ExprKind, Function, Literal, Quantifier};
use crate::cypher::error::{CypherError, Span};
use crate::cypher::lexer::Tok;

impl Parser<'_> {
    // ---- expressions, loosest binding first --------------------------------------------

    pub(super) fn expr(&mut self) -> Result<Expr, CypherError> {
        self.deeper()?;
        let expr = self.binary_level(0)?;
        self.depth -= 1;
        Ok(expr)
    }

    pub(super) fn binary_level(&mut self, level: usize) -> Result<Expr, CypherError> {
        const LEVELS: [&[(&str, BinaryOp)]; 3] = [
            &[("OR", BinaryOp::Or)],
            &[("XOR", BinaryOp::Xor)],
            &[("AND", BinaryOp::And)],
        ];
        if level == LEVELS.len() {
            return self.not_expr();
        }
        self.left_chain(&mut |p| p.binary_level(level + 1), &mut |p| {
            LEVELS[level]
                .iter()
                .find(|(keyword, _)| p.eat_keyword(keyword))
                .map(|&(_, op)| op)
        })
    }

    /// `operand (op operand)*`, grouped to the left: the one loop of every binary level.
    /// `operator` consumes the operator it finds; each one opens a level of nesting, all
    /// closed when the chain ends.
    fn left_chain(
        &mut self,
        operand: &mut dyn FnMut(&mut Self) -> Result<Expr, CypherError>,
        operator: &mut dyn FnMut(&mut Self) -> Option<BinaryOp>,
    ) -> Result<Expr, CypherError> {
        let mut left = operand(self)?;
        let mut wrapped = 0;
        while let Some(op) = operator(self) {
            let right = operand(self)?;
            left = self.binary(op, left, right)?;
            wrapped += 1;
        }
        self.depth -= wrapped;
        Ok(left)
    }

    /// `expr {"," expr}` (or nothing) and then `close`: a list's items, a call's arguments.
    /// Returns the expressions and where `close` is.
    fn expressions_until(
        &mut self,
        close: &str,
        context: &str,
    ) -> Result<(Vec<Expr>, Span), CypherError> {
        let mut items = Vec::new();
        if !self.is_sym(close) {
            loop {
                items.push(self.expr()?);
                if !self.eat_sym(",") {
                    break;
                }
            }
        }
        let close = self.expect_sym(close, context)?;
        Ok((items, close))
    }

    /// `left op right`, one level deeper (the caller counts it in its `wrapped`).
    fn binary(&mut self, op: BinaryOp, left: Expr, right: Expr) -> Result<Expr, CypherError> {
        self.deeper()?;
        let span = left.span.to(right.span);
        Ok(Expr {
            kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
            span,
        })
    }

    pub(super) fn not_expr(&mut self) -> Result<Expr, CypherError> {
        let start = self.span();
        if self.eat_keyword("NOT") {
            self.deeper()?;
            let inner = self.not_expr()?;
            self.depth -= 1;
            let span = start.to(inner.span);
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                span,
            });
        }
        self.comparison()
    }

    /// `a < b`, and chains: `a < b = c` means `a < b AND b = c`, as in openCypher.
    pub(super) fn comparison(&mut self) -> Result<Expr, CypherError> {
        let first = self.predicate()?;
        let mut operands = vec![first];
        let mut ops = Vec::new();
        loop {
            let op = match self.peek() {
                Some(Tok::Sym("=")) => BinaryOp::Eq,
                Some(Tok::Sym("<>")) => BinaryOp::Ne,
                Some(Tok::Sym("<")) => BinaryOp::Lt,
                Some(Tok::Sym("<=")) => BinaryOp::Le,
                Some(Tok::Sym(">")) => BinaryOp::Gt,
                Some(Tok::Sym(">=")) => BinaryOp::Ge,
                _ => break,
            };
            self.at += 1;
            self.deeper()?;
            ops.push(op);
            operands.push(self.predicate()?);
        }
        self.depth -= ops.len();
        if ops.is_empty() {
            return Ok(operands.pop().expect("one operand"));
        }
        let comparisons: Vec<Expr> = ops
            .iter()
            .enumerate()
            .map(|(i, op)| {
                let (left, right) = (operands[i].clone(), operands[i + 1].clone());
                let span = left.span.to(right.span);
                Expr {
                    kind: ExprKind::Binary(*op, Box::new(left), Box::new(right)),
                    span,
                }
            })
            .collect();
        let mut chained = comparisons.into_iter();
        let mut expr = chained.next().expect("one comparison");
        for next in chained {
            let span = expr.span.to(next.span);
            expr = Expr {
                kind: ExprKind::Binary(BinaryOp::And, Box::new(expr), Box::new(next)),
                span,
            };
        }
        Ok(expr)
    }

    pub(super) fn predicate(&mut self) -> Result<Expr, CypherError> {
        let mut left = self.additive()?;
        let mut wrapped = 0;
        loop {
            let op = if self.is_keyword("STARTS") && self.is_keyword_at(1, "WITH") {
                self.at += 2;
                BinaryOp::StartsWith
            } else if self.is_keyword("ENDS") && self.is_keyword_at(1, "WITH") {
                self.at += 2;
                BinaryOp::EndsWith
            } else if self.eat_keyword("CONTAINS") {
                BinaryOp::Contains
            } else if self.eat_keyword("IN") {
                BinaryOp::In
            } else if self.eat_sym("=~") {
                BinaryOp::Regex
            } else if self.is_keyword("IS") {
                self.at += 1;
                let negated = self.eat_keyword("NOT");
                let end = self.span();
                self.expect_keyword(
                    "NULL",
                    "after `IS` (only `IS NULL` and `IS NOT NULL` are supported)",
                )?;
                let span = left.span.to(end);
                self.deeper()?;
                wrapped += 1;
                left = Expr {
                    kind: ExprKind::IsNull(Box::new(left), negated),
                    span,
                };
                continue;
            } else if self.is_sym(":") {
                let labels = self.labels("a label")?;
                let span = left
                    .span
                    .to(Span::new(self.previous_end(), self.previous_end()));
                self.deeper()?;
                wrapped += 1;
                left = Expr {
                    kind: ExprKind::HasLabel(Box::new(left), labels),
                    span,
                };
                continue;
            } else {
                self.depth -= wrapped;
                return Ok(left);
            };
            let right = self.additive()?;
            left = self.binary(op, left, right)?;
            wrapped += 1;
        }
    }

    pub(super) fn additive(&mut self) -> Result<Expr, CypherError> {
        self.left_chain(&mut Self::multiplicative, &mut |p| {
            let op = if p.is_sym("+") {
                BinaryOp::Add
            } else if p.is_sym("-") && !p.starts_relationship() {
                BinaryOp::Sub
            } else {
                return None;
            };
            p.at += 1;
            Some(op)
        })
    }

    pub(super) fn multiplicative(&mut self) -> Result<Expr, CypherError> {
        self.left_chain(&mut Self::power, &mut |p| {
            let op = match p.peek() {
                Some(Tok::Sym("*")) => BinaryOp::Mul,
                Some(Tok::Sym("/")) => BinaryOp::Div,
                Some(Tok::Sym("%")) => BinaryOp::Mod,
                _ => return None,
            };
            p.at += 1;
            Some(op)
        })
    }

    /// `a ^ b`, left to right, binding tighter than `*` and looser than a sign (as in
    /// openCypher's grammar, so `-2 ^ 2` is `4.0`).
    pub(super) fn power(&mut self) -> Result<Expr, CypherError> {
        self.left_chain(&mut Self::unary, &mut |p| {
            p.eat_sym("^").then_some(BinaryOp::Pow)
        })
    }

    pub(super) fn unary(&mut self) -> Result<Expr, CypherError> {
        let start = self.span();
        if self.is_sym("-") && matches!(self.peek_at(1), Some(Tok::MinIntMagnitude)) {
            self.at += 2;
            let span = start.to(Span::new(self.previous_end(), self.previous_end()));
            return Ok(Expr {
                kind: ExprKind::Literal(Literal::Int(i64::MIN)),
                span,
            });
        }
        if self.eat_sym("-") {
            self.deeper()?;
            let inner = self.unary()?;
            self.depth -= 1;
            let span = start.to(inner.span);
            return Ok(Expr {
                kind: ExprKind::Negate(Box::new(inner)),
                span,
            });
        }
        if self.eat_sym("+") {
            self.deeper()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(inner);
        }
        self.postfix()
    }

    pub(super) fn postfix(&mut self) -> Result<Expr, CypherError> {
        let mut expr = self.atom()?;
        let mut wrapped = 0;
        loop {
            if self.eat_sym(".") {
                let key = self.name("a property name after `.`")?;
                let span = expr
                    .span
                    .to(Span::new(self.previous_end(), self.previous_end()));
                self.deeper()?;
                wrapped += 1;
                expr = Expr {
                    kind: ExprKind::Property(Box::new(expr), key),
                    span,
                };
            } else if self.is_sym("{") && matches!(expr.kind, ExprKind::Variable(_)) {
                let items = self.map_projection()?;
                let span = expr
                    .span
                    .to(Span::new(self.previous_end(), self.previous_end()));
                self.deeper()?;
                wrapped += 1;
                expr = Expr {
                    kind: ExprKind::MapProjection(Box::new(expr), items),
                    span,
                };
            } else if self.eat_sym("[") {
                let from = if self.is_sym("..") {
                    None
                } else {
                    Some(Box::new(self.expr()?))
                };
                let kind = if self.eat_sym("..") {
                    let to = if self.is_sym("]") {
                        None
                    } else {
                        Some(Box::new(self.expr()?))
                    };
                    ExprKind::Slice(Box::new(expr), from, to)
                } else {
                    let index = from.ok_or_else(|| self.expected("an index or `..`"))?;
                    ExprKind::Index(Box::new(expr), index)
                };
                let close = self.expect_sym("]", "to close the index")?;
                let span = match &kind {
                    ExprKind::Slice(list, ..) | ExprKind::Index(list, _) => list.span.to(close),
                    _ => close,
                };
                self.deeper()?;
                wrapped += 1;
                expr = Expr { kind, span };
            } else {
                self.depth -= wrapped;
                return Ok(expr);
            }
        }
    }

    /// Returns whether the tokens at the cursor continue a relationship (`-[`, `--`, `->`),
    /// which tells a pattern predicate from a subtraction.
    pub(super) fn starts_relationship(&self) -> bool {
        self.starts_relationship_at(0)
    }

    /// Whether the tokens `offset` after the cursor continue a relationship.
    pub(super) fn starts_relationship_at(&self, offset: usize) -> bool {
        let then_node = matches!(self.peek_at(offset + 2), Some(Tok::Sym("(" | ">")));
        match (self.peek_at(offset), self.peek_at(offset + 1)) {
            (Some(Tok::Sym("-" | "<-")), Some(Tok::Sym("[" | "->"))) => true,
            (Some(Tok::Sym("-" | "<-")), Some(Tok::Sym("-"))) => then_node,
            _ => false,
        }
    }

    pub(super) fn atom(&mut self) -> Result<Expr, CypherError> {
        let span = self.span();
        let Some(tok) = self.peek().cloned() else {
            return Err(self.expected("an expression"));
        };
        let literal = |kind| {
            Ok(Expr {
                kind: ExprKind::Literal(kind),
                span,
            })
        };
        match tok {
            Tok::Int(n) => {
                self.at += 1;
                literal(Literal::Int(n))
            }
            Tok::MinIntMagnitude => Err(CypherError::syntax(
                span,
                "`9223372036854775808` does not fit a 64-bit integer",
            )
            .with_code("IntegerOverflow")),
            Tok::Float(x) => {
                self.at += 1;
                literal(Literal::Float(x))
            }
            Tok::Str(s) => {
                self.at += 1;
                literal(Literal::Str(s))
            }
            Tok::Param(p) => {
                self.at += 1;
                Ok(Expr {
                    kind: ExprKind::Param(p),
                    span,
                })
            }
            Tok::Sym("(") => {
                // A pattern predicate, `(a)-[:T]->(b)`, or a parenthesised expression: the
                // tokens after the matching `)` tell which.
                let saved = self.at;
                let close = self.closing[self.at];
                self.at = close;
                let is_pattern = close != usize::MAX && {
                    self.at += 1;
                    self.starts_relationship()
                };
                self.at = saved;
                if is_pattern {
                    let depth = self.depth;
                    let pattern = self.path_pattern()?;
                    self.depth = depth;
                    let span = pattern.span;
                    return Ok(Expr {
                        kind: ExprKind::Pattern(Box::new(pattern)),
                        span,
                    });
                }
                self.at = saved + 1;
                let inner = self.expr()?;
                let close = self.expect_sym(")", "to close the parenthesis")?;
                Ok(Expr {
                    kind: inner.kind,
                    span: span.to(close),
                })
            }
            Tok::Sym("[") => {
                self.at += 1;
                if matches!(self.peek(), Some(Tok::Ident(_) | Tok::Quoted(_)))
                    && self.is_keyword_at(1, "IN")
                {
                    return self.comprehension(span);
                }
                if self.starts_pattern() {
                    return self.pattern_comprehension(span);
                }
                let (items, close) = self.expressions_until("]", "to close the list")?;
                Ok(Expr {
                    kind: ExprKind::List(items),
                    span: span.to(close),
                })
            }
            Tok::Sym("{") => {
                let entries = self.map_entries()?;
                Ok(Expr {
                    kind: ExprKind::Map(entries),
                    span: span.to(Span::new(self.previous_end(), self.previous_end())),
                })
            }
            Tok::Quoted(name) => {
                self.at += 1;
                Ok(Expr {
                    kind: ExprKind::Variable(self.var(name)),
                    span,
                })
            }
            Tok::Ident(word) => {
                let upper = word.to_ascii_uppercase();
                match upper.as_str() {
                    "NULL" => {
                        self.at += 1;
                        return literal(Literal::Null);
                    }
                    "TRUE" => {
                        self.at += 1;
                        return literal(Literal::Bool(true));
                    }
                    "FALSE" => {
                        self.at += 1;
                        return literal(Literal::Bool(false));
                    }
                    "CASE" => return self.case(span),
                    "EXISTS" | "COUNT" if matches!(self.peek_at(1), Some(Tok::Sym("{"))) => {
                        return self.exists(span, upper == "COUNT");
                    }
                    "EXISTS" => {
                        return Err(CypherError::unsupported(
                            span,
                            format!(
                                "`{word}(...)` is not supported: write `x IS NOT NULL`, or \
                                 `EXISTS {{ pattern }}` for a pattern"
                            ),
                        ));
                    }
                    _ => {}
                }
                if matches!(self.peek_at(1), Some(Tok::Sym("("))) {
                    return self.call(&word, span);
                }
                // `date.truncate(...)`, `duration.between(...)`, `apoc.x.y(...)`: namespaced
                // functions, none of which the subset has.
                let mut dotted = word.clone();
                let mut next = 1;
                while matches!(self.peek_at(next), Some(Tok::Sym(".")))
                    && let Some(Tok::Ident(member)) = self.peek_at(next + 1)
                {
                    dotted.push('.');
                    dotted.push_str(member);
                    next += 2;
                }
                if next > 1 && matches!(self.peek_at(next), Some(Tok::Sym("("))) {
                    if Function::from_name(&dotted).is_some() {
                        // The call reads the name as one token and `(`: skip the dots.
                        self.at += next - 1;
                        return self.call(&dotted, span);
                    }
                    return Err(CypherError::unsupported(
                        span,
                        format!(
                            "function `{dotted}` is not supported (see docs/cypher.md for the list)"
                        ),
                    )
                    .with_code("UnknownFunction"));
                }
                self.at += 1;
                Ok(Expr {
                    kind: ExprKind::Variable(self.var(word)),
                    span,
                })
            }
            Tok::Sym(_) => Err(self.expected("an expression")),
        }
    }

    pub(super) fn call(&mut self, word: &str, span: Span) -> Result<Expr, CypherError> {
        if let Some(quantifier) = Quantifier::ALL
            .into_iter()
            .find(|q| q.name().eq_ignore_ascii_case(word))
        {
            return self.quantified(quantifier, span);
        }
        let Some(function) = Function::from_name(word) else {
            let lower = word.to_ascii_lowercase();
            if lower == "reduce" {
                return self.reduce(span);
            }
            if lower == "exists" {
                return Err(CypherError::unsupported(
                    span,
                    format!("`{word}(...)` is not supported"),
                ));
            }
            return Err(CypherError::unsupported(
                span,
                format!("function `{word}` is not supported (see docs/cypher.md for the list)"),
            )
            .with_code("UnknownFunction"));
        };
        self.at += 2;
        if function == Function::Count && self.eat_sym("*") {
            let close = self.expect_sym(")", "after `count(*`")?;
            return Ok(Expr {
                kind: ExprKind::CountStar,
                span: span.to(close),
            });
        }
        let distinct = self.eat_keyword("DISTINCT");
        if distinct && !function.is_aggregate() {
            return Err(CypherError::syntax(
                span,
                format!("`DISTINCT` only goes inside an aggregate, not `{word}`"),
            ));
        }
        let (args, close) = self.expressions_until(")", "to close the function call")?;
        let span = span.to(close);
        let (min, max) = function.arity();
        if !(min..=max).contains(&args.len()) {
            let wanted = match (min, max) {
                (1, 1) => "1 argument".to_owned(),
                (min, max) if min == max => format!("{min} arguments"),
                (min, max) if max == min + 1 => format!("{min} or {max} arguments"),
                (min, _) => format!("at least {min} argument{}", if min == 1 { "" } else { "s" }),
            };
            return Err(CypherError::semantic(
                span,
                format!("{function}() takes {wanted}, not {}", args.len()),
            )
            .with_code("InvalidNumberOfArguments"));
        }
        Ok(Expr {
            kind: ExprKind::Call {
                function,
                distinct,
                args,
            },
            span,
        })
    }
}
