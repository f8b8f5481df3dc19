//! A recursive-descent parser for the supported Cypher subset (grammar in `docs/cypher.md`).
//!
//! Cypher that the subset leaves out (writes, `CALL`, `UNION`, list comprehensions, `CASE`,
//! ...) is refused with a "not supported" error at the clause or expression, never skipped.

use crate::query::cypher::ast::{
    BinaryOp, Clause, Direction, Expr, ExprKind, Function, Literal, Match, NodePattern,
    PathPattern, Projection, ProjectionItem, Query, RelPattern, Selector, SortItem,
};
use crate::query::cypher::error::{CypherError, Span};
use crate::query::cypher::lexer::{Tok, Token, lex};

/// Clause keywords that `ties query` refuses: it only reads.
const UNSUPPORTED_CLAUSES: &[&str] = &[
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "CALL", "UNION", "FOREACH", "LOAD",
    "USE", "FINISH", "INSERT",
];

/// How deep an expression may nest: parentheses, lists, maps, calls, `NOT`, signs, and each
/// operator of a chain (`a OR b OR c` is a chain of two). Evaluation recurses once per level,
/// so the bound keeps every query within the stack that [`super::run`] gives it; a real query
/// nests a few dozen levels, a machine-written `OR` of thousands of terms still fits.
pub const MAX_NESTING: usize = 10_000;

/// Parses a query.
///
/// Parsing recurses once per level of nesting, up to [`MAX_NESTING`] levels: call it on a
/// thread with a large stack (as [`super::run`] does) for untrusted text.
///
/// # Errors
/// A [`CypherError`] with the span of the first problem.
pub fn parse(source: &str) -> Result<Query, CypherError> {
    let tokens = lex(source)?;
    let closing = closing_parens(&tokens);
    let mut parser = Parser {
        source,
        tokens,
        closing,
        at: 0,
        depth: 0,
    };
    parser.query()
}

/// For each `(` token, the index of the `)` that closes it (`usize::MAX` when none does).
fn closing_parens(tokens: &[Token]) -> Vec<usize> {
    let mut closing = vec![usize::MAX; tokens.len()];
    let mut open = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        match token.tok {
            Tok::Sym("(") => open.push(i),
            Tok::Sym(")") => {
                if let Some(start) = open.pop() {
                    closing[start] = i;
                }
            }
            _ => {}
        }
    }
    closing
}

struct Parser<'s> {
    source: &'s str,
    tokens: Vec<Token>,
    /// [`closing_parens`] of `tokens`: tells a pattern predicate from a parenthesised
    /// expression by one look past the `)`, where trying both would take exponential time.
    closing: Vec<usize>,
    at: usize,
    /// Levels of nesting open at the cursor, bounded by [`MAX_NESTING`].
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at).map(|t| &t.tok)
    }

    fn peek_at(&self, offset: usize) -> Option<&Tok> {
        self.tokens.get(self.at + offset).map(|t| &t.tok)
    }

    /// The span of the current token, or an empty span at the end of the source.
    fn span(&self) -> Span {
        self.tokens
            .get(self.at)
            .map_or(Span::new(self.source.len(), self.source.len()), |t| t.span)
    }

    fn previous_end(&self) -> usize {
        self.at
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.span.end)
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(word)) if word.eq_ignore_ascii_case(keyword))
    }

    fn is_keyword_at(&self, offset: usize, keyword: &str) -> bool {
        matches!(self.peek_at(offset), Some(Tok::Ident(word)) if word.eq_ignore_ascii_case(keyword))
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        let found = self.is_keyword(keyword);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect_keyword(&mut self, keyword: &str, context: &str) -> Result<(), CypherError> {
        if self.eat_keyword(keyword) {
            Ok(())
        } else {
            Err(self.expected(&format!("`{keyword}` {context}")))
        }
    }

    fn is_sym(&self, symbol: &str) -> bool {
        matches!(self.peek(), Some(Tok::Sym(s)) if *s == symbol)
    }

    fn eat_sym(&mut self, symbol: &str) -> bool {
        let found = self.is_sym(symbol);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect_sym(&mut self, symbol: &str, context: &str) -> Result<Span, CypherError> {
        let span = self.span();
        if self.eat_sym(symbol) {
            Ok(span)
        } else {
            Err(self.expected(&format!("`{symbol}` {context}")))
        }
    }

    /// Opens a level of nesting; refuses the query past [`MAX_NESTING`].
    fn deeper(&mut self) -> Result<(), CypherError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(CypherError::syntax(
                self.span(),
                format!(
                    "the query nests more than {MAX_NESTING} levels deep here; \
                     pass long lists as a parameter (`n.id IN $ids`) instead of chaining operators"
                ),
            ));
        }
        Ok(())
    }

    fn expected(&self, what: &str) -> CypherError {
        let found = match self.tokens.get(self.at) {
            None => "the end of the query".to_owned(),
            Some(token) => format!("`{}`", &self.source[token.span.start..token.span.end]),
        };
        CypherError::syntax(self.span(), format!("expected {what}, found {found}"))
    }

    fn name(&mut self, what: &str) -> Result<String, CypherError> {
        match self.peek() {
            Some(Tok::Ident(word) | Tok::Quoted(word)) => {
                let word = word.clone();
                self.at += 1;
                Ok(word)
            }
            _ => Err(self.expected(what)),
        }
    }

    fn query(&mut self) -> Result<Query, CypherError> {
        let mut clauses = Vec::new();
        loop {
            if self.at >= self.tokens.len()
                || (self.is_sym(";") && self.at + 1 == self.tokens.len())
            {
                break;
            }
            if let Some(Clause::Return(_)) = clauses.last() {
                if self.is_keyword("UNION") {
                    return Err(CypherError::unsupported(
                        self.span(),
                        "`UNION` is not supported; run the queries one by one",
                    ));
                }
                return Err(self.expected("the end of the query after `RETURN`"));
            }
            clauses.push(self.clause()?);
        }
        match clauses.last() {
            Some(Clause::Return(_)) => Ok(Query { clauses }),
            None => Err(CypherError::syntax(
                Span::new(0, self.source.len()),
                "empty query: expected `MATCH`, `UNWIND`, `WITH` or `RETURN`",
            )),
            Some(_) => Err(CypherError::syntax(
                Span::new(self.source.len(), self.source.len()),
                "a query must end with `RETURN` (ties query only reads)",
            )),
        }
    }

    fn clause(&mut self) -> Result<Clause, CypherError> {
        let start = self.span();
        if self.eat_keyword("MATCH") {
            return Ok(Clause::Match(self.match_body(false)?));
        }
        if self.is_keyword("OPTIONAL") {
            self.at += 1;
            self.expect_keyword("MATCH", "after `OPTIONAL`")?;
            return Ok(Clause::Match(self.match_body(true)?));
        }
        if self.eat_keyword("UNWIND") {
            let expr = self.expr()?;
            self.expect_keyword("AS", "to name the items of `UNWIND`")?;
            let alias = self.name("a variable name after `AS`")?;
            return Ok(Clause::Unwind { expr, alias });
        }
        if self.eat_keyword("WITH") {
            return Ok(Clause::With(self.projection(true)?));
        }
        if self.eat_keyword("RETURN") {
            return Ok(Clause::Return(self.projection(false)?));
        }
        if let Some(Tok::Ident(word)) = self.peek()
            && let Some(keyword) = UNSUPPORTED_CLAUSES
                .iter()
                .find(|k| k.eq_ignore_ascii_case(word))
        {
            let what = if ["CALL", "UNION", "FOREACH", "LOAD", "USE", "FINISH"].contains(keyword) {
                format!("`{keyword}` is not supported by ties query")
            } else {
                format!(
                    "`{keyword}` is not supported: ties query only reads the graph (edit the CSV files instead)"
                )
            };
            return Err(CypherError::unsupported(start, what));
        }
        Err(self.expected("a clause (`MATCH`, `OPTIONAL MATCH`, `UNWIND`, `WITH` or `RETURN`)"))
    }

    fn match_body(&mut self, optional: bool) -> Result<Match, CypherError> {
        let depth = self.depth;
        let mut patterns = vec![self.path_pattern()?];
        while self.eat_sym(",") {
            self.deeper()?;
            patterns.push(self.path_pattern()?);
        }
        self.depth = depth;
        let filter = if self.eat_keyword("WHERE") {
            Some(self.expr()?)
        } else {
            None
        };
        if patterns.len() > 1
            && let Some(selective) = patterns
                .iter()
                .find(|p| p.selector.is_some() && !p.legacy_function)
        {
            return Err(CypherError::syntax(
                selective.span,
                "a `SHORTEST` path pattern must be the only pattern of its `MATCH`; put it in a `MATCH` of its own",
            ));
        }
        Ok(Match {
            optional,
            patterns,
            filter,
        })
    }

    fn path_pattern(&mut self) -> Result<PathPattern, CypherError> {
        let start_span = self.span();
        let variable = if matches!(self.peek(), Some(Tok::Ident(_) | Tok::Quoted(_)))
            && matches!(self.peek_at(1), Some(Tok::Sym("=")))
        {
            let name = self.name("a path variable")?;
            self.at += 1;
            Some(name)
        } else {
            None
        };
        let mut legacy_function = false;
        let selector = if self.is_keyword("shortestPath") || self.is_keyword("allShortestPaths") {
            let all = self.is_keyword("allShortestPaths");
            self.at += 1;
            self.expect_sym("(", "after the function name")?;
            legacy_function = true;
            Some(if all {
                Selector::AllShortest
            } else {
                Selector::AnyShortest
            })
        } else if self.is_keyword("ANY") && self.is_keyword_at(1, "SHORTEST") {
            self.at += 2;
            self.eat_path_word();
            Some(Selector::AnyShortest)
        } else if self.is_keyword("ALL") && self.is_keyword_at(1, "SHORTEST") {
            self.at += 2;
            self.eat_path_word();
            Some(Selector::AllShortest)
        } else if self.is_keyword("SHORTEST") {
            self.at += 1;
            let k = match self.peek() {
                Some(Tok::Int(k)) if *k > 0 => usize::try_from(*k).unwrap_or(usize::MAX),
                _ => return Err(self.expected("a positive number of paths after `SHORTEST`")),
            };
            self.at += 1;
            self.eat_path_word();
            if self.is_keyword("GROUP") || self.is_keyword("GROUPS") {
                return Err(CypherError::unsupported(
                    self.span(),
                    "`SHORTEST k GROUPS` is not supported; use `SHORTEST k` or `ALL SHORTEST`",
                ));
            }
            Some(Selector::Shortest(k))
        } else if self.is_keyword("ANY") {
            return Err(CypherError::unsupported(
                self.span(),
                "`ANY k` path selectors are not supported; use `ANY SHORTEST` or `SHORTEST k`",
            ));
        } else {
            if self.is_keyword("ALL") && matches!(self.peek_at(1), Some(Tok::Sym("("))) {
                // `ALL` without `SHORTEST` selects every path: the same as no selector.
                self.at += 1;
            }
            None
        };
        let start = self.node_pattern()?;
        let mut steps = Vec::new();
        while self.is_sym("-") || self.is_sym("<-") {
            // Matching recurses once per step of every pattern of a `MATCH`: callers put the
            // depth back after the clause or the pattern predicate.
            self.deeper()?;
            let rel = self.rel_pattern()?;
            let node = self.node_pattern()?;
            steps.push((rel, node));
        }
        if legacy_function {
            self.expect_sym(")", "to close the shortest-path function")?;
        }
        let span = start_span.to(Span::new(self.previous_end(), self.previous_end()));
        let pattern = PathPattern {
            variable,
            selector,
            legacy_function,
            start,
            steps,
            span,
        };
        if pattern.selector.is_some() {
            check_shortest(&pattern)?;
        }
        Ok(pattern)
    }

    fn eat_path_word(&mut self) {
        if self.is_keyword("PATH") || self.is_keyword("PATHS") {
            self.at += 1;
        }
    }

    fn node_pattern(&mut self) -> Result<NodePattern, CypherError> {
        let open = self.expect_sym("(", "to open a node pattern")?;
        let variable = match self.peek() {
            Some(Tok::Ident(_) | Tok::Quoted(_)) => Some(self.name("a variable")?),
            _ => None,
        };
        let labels = self.labels("a label")?;
        let properties = if self.is_sym("{") {
            self.map_entries()?
        } else {
            Vec::new()
        };
        let close = self.expect_sym(")", "to close the node pattern")?;
        Ok(NodePattern {
            variable,
            labels,
            properties,
            span: open.to(close),
        })
    }

    /// `:A|B` (or `:A|:B`); `:A:B` (all of them) is refused: an entity has one kind.
    fn labels(&mut self, what: &str) -> Result<Vec<String>, CypherError> {
        let mut labels = Vec::new();
        if self.eat_sym(":") {
            labels.push(self.name(what)?);
            loop {
                if self.eat_sym("|") {
                    self.eat_sym(":");
                    labels.push(self.name(what)?);
                } else if self.is_sym(":") && what == "a label" {
                    return Err(CypherError::unsupported(
                        self.span(),
                        "several labels at once (`:A:B`) are not supported: an entity has one kind besides `Entity`; use `:A|B` for either",
                    ));
                } else {
                    break;
                }
            }
        }
        Ok(labels)
    }

    fn rel_pattern(&mut self) -> Result<RelPattern, CypherError> {
        let start = self.span();
        let incoming = self.eat_sym("<-");
        if !incoming {
            self.expect_sym("-", "to start a relationship")?;
        }
        let mut variable = None;
        let mut types = Vec::new();
        let mut properties = Vec::new();
        let mut length = None;
        let mut outgoing = false;
        if self.eat_sym("[") {
            if matches!(self.peek(), Some(Tok::Ident(_) | Tok::Quoted(_))) {
                variable = Some(self.name("a variable")?);
            }
            types = self.labels("a relationship type")?;
            if self.eat_sym("*") {
                length = Some(self.length()?);
            }
            if self.is_sym("{") {
                properties = self.map_entries()?;
            }
            self.expect_sym("]", "to close the relationship pattern")?;
            if self.eat_sym("->") {
                outgoing = true;
            } else {
                self.expect_sym("-", "after the relationship pattern")?;
            }
        } else if self.eat_sym("->") {
            outgoing = true;
        } else {
            self.expect_sym(
                "-",
                "to continue the relationship (`--`, `-->` or `-[...]-`)",
            )?;
            if self.eat_sym(">") {
                outgoing = true;
            }
        }
        // GQL quantifiers after the relationship: `+` and `{m,n}`.
        if self.is_sym("+") || self.is_sym("{") {
            if length.is_some() {
                return Err(CypherError::syntax(
                    self.span(),
                    "a relationship takes either `*min..max` or a quantifier, not both",
                ));
            }
            length = Some(if self.eat_sym("+") {
                (1, None)
            } else {
                self.quantifier()?
            });
        }
        let direction = match (incoming, outgoing) {
            (true, false) => Direction::Incoming,
            (false, true) => Direction::Outgoing,
            _ => Direction::Either,
        };
        let span = start.to(Span::new(self.previous_end(), self.previous_end()));
        Ok(RelPattern {
            variable,
            types,
            properties,
            direction,
            length,
            span,
        })
    }

    fn int(&mut self, what: &str) -> Result<usize, CypherError> {
        match self.peek() {
            Some(Tok::Int(n)) if *n >= 0 => {
                let n = usize::try_from(*n).unwrap_or(usize::MAX);
                self.at += 1;
                Ok(n)
            }
            _ => Err(self.expected(what)),
        }
    }

    /// After `*`: nothing, `n`, `n..m`, `..m`, `n..`.
    fn length(&mut self) -> Result<(usize, Option<usize>), CypherError> {
        if self.eat_sym("..") {
            return Ok((1, Some(self.int("a maximum number of hops after `..`")?)));
        }
        if !matches!(self.peek(), Some(Tok::Int(_))) {
            return Ok((1, None));
        }
        let min = self.int("a number of hops")?;
        if self.eat_sym("..") {
            if matches!(self.peek(), Some(Tok::Int(_))) {
                let max = self.int("a maximum number of hops")?;
                if max < min {
                    return Err(CypherError::syntax(
                        self.span(),
                        format!("the hop range `{min}..{max}` is empty"),
                    ));
                }
                return Ok((min, Some(max)));
            }
            return Ok((min, None));
        }
        Ok((min, Some(min)))
    }

    /// `{m,n}`, `{m,}`, `{,n}`, `{n}`.
    fn quantifier(&mut self) -> Result<(usize, Option<usize>), CypherError> {
        self.expect_sym("{", "to open a quantifier")?;
        let min = if self.is_sym(",") {
            0
        } else {
            self.int("a number in the quantifier")?
        };
        let max = if self.eat_sym(",") {
            if self.is_sym("}") {
                None
            } else {
                Some(self.int("a maximum in the quantifier")?)
            }
        } else {
            Some(min)
        };
        self.expect_sym("}", "to close the quantifier")?;
        Ok((min, max))
    }

    fn map_entries(&mut self) -> Result<Vec<(String, Expr)>, CypherError> {
        self.expect_sym("{", "to open a map")?;
        let mut entries = Vec::new();
        if !self.eat_sym("}") {
            loop {
                let key = self.name("a property name")?;
                self.expect_sym(":", "after the property name")?;
                entries.push((key, self.expr()?));
                if self.eat_sym("}") {
                    break;
                }
                self.expect_sym(",", "or `}` in the map")?;
            }
        }
        Ok(entries)
    }

    fn projection(&mut self, is_with: bool) -> Result<Projection, CypherError> {
        let distinct = self.eat_keyword("DISTINCT");
        let mut star = false;
        let mut items = Vec::new();
        if self.eat_sym("*") {
            star = true;
            if self.eat_sym(",") {
                items.push(self.item()?);
            }
        } else {
            items.push(self.item()?);
        }
        while self.eat_sym(",") {
            items.push(self.item()?);
        }
        let mut filter = None;
        if is_with && self.eat_keyword("WHERE") {
            filter = Some(self.expr()?);
        }
        let mut order = Vec::new();
        if self.is_keyword("ORDER") {
            self.at += 1;
            self.expect_keyword("BY", "after `ORDER`")?;
            loop {
                let expr = self.expr()?;
                let descending = if self.eat_keyword("DESC") || self.eat_keyword("DESCENDING") {
                    true
                } else {
                    let _ = self.eat_keyword("ASC") || self.eat_keyword("ASCENDING");
                    false
                };
                order.push(SortItem { expr, descending });
                if !self.eat_sym(",") {
                    break;
                }
            }
        }
        let skip = if self.eat_keyword("SKIP") {
            Some(self.expr()?)
        } else {
            None
        };
        let limit = if self.eat_keyword("LIMIT") {
            Some(self.expr()?)
        } else {
            None
        };
        if is_with && filter.is_none() && self.eat_keyword("WHERE") {
            filter = Some(self.expr()?);
        }
        Ok(Projection {
            distinct,
            star,
            items,
            order,
            skip,
            limit,
            filter,
        })
    }

    fn item(&mut self) -> Result<ProjectionItem, CypherError> {
        let expr = self.expr()?;
        if self.eat_keyword("AS") {
            let name = self.name("a column name after `AS`")?;
            return Ok(ProjectionItem {
                expr,
                name,
                aliased: true,
            });
        }
        let name = self.source[expr.span.start..expr.span.end].to_owned();
        Ok(ProjectionItem {
            expr,
            name,
            aliased: false,
        })
    }

    // ---- expressions, loosest binding first --------------------------------------------

    fn expr(&mut self) -> Result<Expr, CypherError> {
        self.deeper()?;
        let expr = self.binary_level(0)?;
        self.depth -= 1;
        Ok(expr)
    }

    fn binary_level(&mut self, level: usize) -> Result<Expr, CypherError> {
        const LEVELS: [&[(&str, BinaryOp)]; 3] = [
            &[("OR", BinaryOp::Or)],
            &[("XOR", BinaryOp::Xor)],
            &[("AND", BinaryOp::And)],
        ];
        if level == LEVELS.len() {
            return self.not_expr();
        }
        let mut left = self.binary_level(level + 1)?;
        let mut wrapped = 0;
        'outer: loop {
            for (keyword, op) in LEVELS[level] {
                if self.eat_keyword(keyword) {
                    let right = self.binary_level(level + 1)?;
                    let span = left.span.to(right.span);
                    self.deeper()?;
                    wrapped += 1;
                    left = Expr {
                        kind: ExprKind::Binary(*op, Box::new(left), Box::new(right)),
                        span,
                    };
                    continue 'outer;
                }
            }
            self.depth -= wrapped;
            return Ok(left);
        }
    }

    fn not_expr(&mut self) -> Result<Expr, CypherError> {
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

    fn comparison(&mut self) -> Result<Expr, CypherError> {
        let mut left = self.predicate()?;
        let mut wrapped = 0;
        loop {
            let op = match self.peek() {
                Some(Tok::Sym("=")) => BinaryOp::Eq,
                Some(Tok::Sym("<>")) => BinaryOp::Ne,
                Some(Tok::Sym("<")) => BinaryOp::Lt,
                Some(Tok::Sym("<=")) => BinaryOp::Le,
                Some(Tok::Sym(">")) => BinaryOp::Gt,
                Some(Tok::Sym(">=")) => BinaryOp::Ge,
                _ => {
                    self.depth -= wrapped;
                    return Ok(left);
                }
            };
            self.at += 1;
            let right = self.predicate()?;
            let span = left.span.to(right.span);
            self.deeper()?;
            wrapped += 1;
            left = Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                span,
            };
        }
    }

    fn predicate(&mut self) -> Result<Expr, CypherError> {
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
            let span = left.span.to(right.span);
            self.deeper()?;
            wrapped += 1;
            left = Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                span,
            };
        }
    }

    fn additive(&mut self) -> Result<Expr, CypherError> {
        let mut left = self.multiplicative()?;
        let mut wrapped = 0;
        loop {
            let op = if self.is_sym("+") {
                BinaryOp::Add
            } else if self.is_sym("-") && !self.starts_relationship() {
                BinaryOp::Sub
            } else {
                self.depth -= wrapped;
                return Ok(left);
            };
            self.at += 1;
            let right = self.multiplicative()?;
            let span = left.span.to(right.span);
            self.deeper()?;
            wrapped += 1;
            left = Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                span,
            };
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, CypherError> {
        let mut left = self.unary()?;
        let mut wrapped = 0;
        loop {
            let op = match self.peek() {
                Some(Tok::Sym("*")) => BinaryOp::Mul,
                Some(Tok::Sym("/")) => BinaryOp::Div,
                Some(Tok::Sym("%")) => BinaryOp::Mod,
                Some(Tok::Sym("^")) => {
                    return Err(CypherError::unsupported(
                        self.span(),
                        "`^` is not supported",
                    ));
                }
                _ => {
                    self.depth -= wrapped;
                    return Ok(left);
                }
            };
            self.at += 1;
            let right = self.unary()?;
            let span = left.span.to(right.span);
            self.deeper()?;
            wrapped += 1;
            left = Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                span,
            };
        }
    }

    fn unary(&mut self) -> Result<Expr, CypherError> {
        let start = self.span();
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

    fn postfix(&mut self) -> Result<Expr, CypherError> {
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
            } else if self.is_sym("[") {
                return Err(CypherError::unsupported(
                    self.span(),
                    "indexing and slicing (`x[i]`) are not supported; use head(), last() or substring()",
                ));
            } else {
                self.depth -= wrapped;
                return Ok(expr);
            }
        }
    }

    /// Returns whether the tokens at the cursor continue a relationship (`-[`, `--`, `->`),
    /// which tells a pattern predicate from a subtraction.
    fn starts_relationship(&self) -> bool {
        let then_node = matches!(self.peek_at(2), Some(Tok::Sym("(" | ">")));
        match (self.peek(), self.peek_at(1)) {
            (Some(Tok::Sym("-" | "<-")), Some(Tok::Sym("[" | "->"))) => true,
            (Some(Tok::Sym("-" | "<-")), Some(Tok::Sym("-"))) => then_node,
            _ => false,
        }
    }

    fn atom(&mut self) -> Result<Expr, CypherError> {
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
                if matches!(self.peek(), Some(Tok::Ident(_))) && self.is_keyword_at(1, "IN") {
                    return Err(CypherError::unsupported(
                        span,
                        "list comprehensions (`[x IN list | ...]`) are not supported",
                    ));
                }
                let mut items = Vec::new();
                if !self.is_sym("]") {
                    loop {
                        items.push(self.expr()?);
                        if !self.eat_sym(",") {
                            break;
                        }
                    }
                }
                let close = self.expect_sym("]", "to close the list")?;
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
                    kind: ExprKind::Variable(name),
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
                    "CASE" | "EXISTS" | "COUNT"
                        if upper != "COUNT" || matches!(self.peek_at(1), Some(Tok::Sym("{"))) =>
                    {
                        return Err(CypherError::unsupported(
                            span,
                            format!("`{word}` expressions are not supported"),
                        ));
                    }
                    _ => {}
                }
                if matches!(self.peek_at(1), Some(Tok::Sym("("))) {
                    return self.call(&word, span);
                }
                self.at += 1;
                Ok(Expr {
                    kind: ExprKind::Variable(word),
                    span,
                })
            }
            Tok::Sym(_) => Err(self.expected("an expression")),
        }
    }

    fn call(&mut self, word: &str, span: Span) -> Result<Expr, CypherError> {
        let Some(function) = Function::from_name(word) else {
            let lower = word.to_ascii_lowercase();
            if ["any", "all", "none", "single", "reduce", "exists"].contains(&lower.as_str()) {
                return Err(CypherError::unsupported(
                    span,
                    format!("`{word}(...)` is not supported"),
                ));
            }
            return Err(CypherError::unsupported(
                span,
                format!("function `{word}` is not supported (see docs/cypher.md for the list)"),
            ));
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
        let mut args = Vec::new();
        if !self.is_sym(")") {
            loop {
                args.push(self.expr()?);
                if !self.eat_sym(",") {
                    break;
                }
            }
        }
        let close = self.expect_sym(")", "to close the function call")?;
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
            ));
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

/// The rules a shortest-path pattern must follow, as in Neo4j.
fn check_shortest(pattern: &PathPattern) -> Result<(), CypherError> {
    if pattern.steps.len() != 1 {
        return Err(CypherError::syntax(
            pattern.span,
            "a shortest-path pattern takes exactly one relationship: (a)-[*]-(b)",
        ));
    }
    let rel = &pattern.steps[0].0;
    if !rel.properties.is_empty() {
        return Err(CypherError::unsupported(
            rel.span,
            "property maps inside a shortest-path relationship are not supported; filter with WHERE",
        ));
    }
    if let Some((min, _)) = rel.length
        && min > 1
    {
        return Err(CypherError::syntax(
            rel.span,
            "a shortest path's length starts at 0 or 1",
        ));
    }
    if pattern.legacy_function && rel.length.is_none() {
        return Err(CypherError::syntax(
            rel.span,
            "shortestPath needs a variable-length relationship, such as -[*..10]-",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::cypher::error::ErrorKind;

    /// Parses, prints, parses the print and prints again: the two prints must agree.
    #[track_caller]
    fn round_trip(source: &str) -> String {
        let printed = parse(source)
            .unwrap_or_else(|e| panic!("{}", e.render(source, "q")))
            .to_string();
        let again = parse(&printed)
            .unwrap_or_else(|e| panic!("{}", e.render(&printed, "printed")))
            .to_string();
        assert_eq!(printed, again);
        printed
    }

    #[track_caller]
    fn error(source: &str, kind: ErrorKind, message: &str, line_col: (usize, usize)) {
        let err = parse(source).unwrap_err();
        assert_eq!(err.message, message, "{}", err.render(source, "q"));
        assert_eq!(err.kind, kind);
        assert_eq!(err.line_col(source), line_col);
    }

    #[test]
    fn patterns_print_and_parse_back() {
        assert_eq!(
            round_trip("MATCH (a:people {id: 'x'})-[r:visited|met]->(b) RETURN a, b"),
            "MATCH (a:people {id: 'x'})-[r:visited|met]->(b)\nRETURN a, b"
        );
        assert_eq!(
            round_trip("MATCH (a)<--(b)--(c)-->(d) RETURN *"),
            "MATCH (a)<-[]-(b)-[]-(c)-[]->(d)\nRETURN *"
        );
        assert_eq!(
            round_trip("MATCH p=(a)-[*]-(b) RETURN p"),
            "MATCH p = (a)-[*1..]-(b)\nRETURN p"
        );
        assert_eq!(
            round_trip("MATCH (a)-[*2]->(b) RETURN b"),
            "MATCH (a)-[*2..2]->(b)\nRETURN b"
        );
        assert_eq!(
            round_trip("MATCH (a)-[:T*..3]-(b) RETURN b"),
            "MATCH (a)-[:T*1..3]-(b)\nRETURN b"
        );
        assert_eq!(
            round_trip("MATCH (a)-[:T]->{1,4}(b) RETURN b"),
            "MATCH (a)-[:T*1..4]->(b)\nRETURN b"
        );
        assert_eq!(
            round_trip("MATCH p = shortestPath((a)-[*..5]-(b)) RETURN p"),
            "MATCH p = shortestPath((a)-[*1..5]-(b))\nRETURN p"
        );
        assert_eq!(
            round_trip("MATCH p = ALL SHORTEST (a)-[:T]-+(b) RETURN p"),
            "MATCH p = ALL SHORTEST (a)-[:T*1..]-(b)\nRETURN p"
        );
        round_trip("MATCH p = SHORTEST 3 PATHS (a)-[*]-(b) RETURN length(p)");
        round_trip(
            "OPTIONAL MATCH (a:`head of state`)-[r]-(b) WHERE a.x = 1 RETURN a.`odd key` AS `a b`",
        );
    }

    #[test]
    fn expressions_keep_precedence() {
        assert_eq!(
            round_trip("RETURN 1 + 2 * 3 - -4 AS x, NOT a OR b AND c XOR d"),
            "RETURN ((1 + (2 * 3)) - (-4)) AS x, ((NOT a) OR ((b AND c) XOR d))"
        );
        assert_eq!(
            round_trip(
                "MATCH (n) WHERE n.name STARTS WITH 'A' AND n.x IN [1, 2.5, null] AND n.y IS NOT NULL AND n:people|countries RETURN n"
            ),
            "MATCH (n) WHERE ((((n.name STARTS WITH 'A') AND (n.x IN [1, 2.5, null])) AND (n.y IS NOT NULL)) AND n:people|countries)\nRETURN n"
        );
        round_trip(
            "MATCH (a) WHERE (a)-[:visited]->(:countries) AND a.name =~ '(?i)sh.*' RETURN count(DISTINCT a), collect(a.name)",
        );
        round_trip(
            "UNWIND [1, 2] AS x WITH x, {a: 'it\\'s', b: $p} AS m WHERE x > 1 RETURN x, m ORDER BY x DESC SKIP 1 LIMIT 2",
        );
        round_trip("RETURN 'a\\'b\\n' AS s, (1 - 2) AS d, toLower('X')");
    }

    #[test]
    fn unsupported_cypher_is_refused_where_it_is() {
        error(
            "RETURN 2 ^ 3",
            ErrorKind::NotSupported,
            "`^` is not supported",
            (1, 10),
        );
        error(
            "MATCH (n)\nDETACH DELETE n",
            ErrorKind::NotSupported,
            "`DETACH` is not supported: ties query only reads the graph (edit the CSV files instead)",
            (2, 1),
        );
        error(
            "CREATE (n)",
            ErrorKind::NotSupported,
            "`CREATE` is not supported: ties query only reads the graph (edit the CSV files instead)",
            (1, 1),
        );
        error(
            "MATCH (n) RETURN n UNION RETURN 1",
            ErrorKind::NotSupported,
            "`UNION` is not supported; run the queries one by one",
            (1, 20),
        );
        error(
            "CALL db.labels()",
            ErrorKind::NotSupported,
            "`CALL` is not supported by ties query",
            (1, 1),
        );
        error(
            "RETURN [x IN [1] | x]",
            ErrorKind::NotSupported,
            "list comprehensions (`[x IN list | ...]`) are not supported",
            (1, 8),
        );
        error(
            "RETURN CASE WHEN 1 THEN 2 END",
            ErrorKind::NotSupported,
            "`CASE` expressions are not supported",
            (1, 8),
        );
        error(
            "RETURN foo(1)",
            ErrorKind::NotSupported,
            "function `foo` is not supported (see docs/cypher.md for the list)",
            (1, 8),
        );
        error(
            "MATCH (n:a:b) RETURN n",
            ErrorKind::NotSupported,
            "several labels at once (`:A:B`) are not supported: an entity has one kind besides `Entity`; use `:A|B` for either",
            (1, 11),
        );
    }

    #[test]
    fn syntax_errors_say_what_was_expected() {
        error(
            "MATCH (p:people -[:MEMBER_OF]->(m)\nRETURN p",
            ErrorKind::Syntax,
            "expected `)` to close the node pattern, found `-`",
            (1, 17),
        );
        error(
            "MATCH (n)",
            ErrorKind::Syntax,
            "a query must end with `RETURN` (ties query only reads)",
            (1, 10),
        );
        error(
            "MATCH (n) RETURN n LIMIT",
            ErrorKind::Syntax,
            "expected an expression, found the end of the query",
            (1, 25),
        );
        error(
            "MATCH (a)-[*3..1]-(b) RETURN a",
            ErrorKind::Syntax,
            "the hop range `3..1` is empty",
            (1, 17),
        );
        error(
            "MATCH p = shortestPath((a)-[*2..5]-(b)) RETURN p",
            ErrorKind::Syntax,
            "a shortest path's length starts at 0 or 1",
            (1, 27),
        );
        error(
            "MATCH p = shortestPath((a)-[]-(b)-[]-(c)) RETURN p",
            ErrorKind::Syntax,
            "a shortest-path pattern takes exactly one relationship: (a)-[*]-(b)",
            (1, 7),
        );
        error(
            "MATCH (a) RETURN a RETURN a",
            ErrorKind::Syntax,
            "expected the end of the query after `RETURN`, found `RETURN`",
            (1, 20),
        );
        error(
            "",
            ErrorKind::Syntax,
            "empty query: expected `MATCH`, `UNWIND`, `WITH` or `RETURN`",
            (1, 1),
        );
    }
}
