//! A recursive-descent parser for the supported Cypher subset (grammar in `docs/cypher.md`).
//!
//! Cypher that the subset leaves out (writes, procedure `CALL`s, `FOREACH`, `LOAD CSV`, ...)
//! is refused with a "not supported" error at the clause or expression, never skipped;
//! `UNION`, `CALL { }` subqueries, pattern comprehensions, `reduce`, `EXISTS`/`COUNT`
//! subqueries and a leading `EXPLAIN`/`PROFILE` (read off in `plan/`) are supported.

use crate::cypher::ast::{
    CallSubquery, Clause, ElementId, Imports, Match, Projection, ProjectionItem, Query, SortItem,
    Var, VarId,
};
use crate::cypher::error::{CypherError, Span};
use crate::cypher::lexer::{Tok, Token, lex};

mod expr;
mod forms;
mod pattern;

/// Clause keywords that `ties query` refuses: it only reads.
const UNSUPPORTED_CLAUSES: &[&str] = &[
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "CALL", "FOREACH", "LOAD", "USE",
    "FINISH", "INSERT",
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
        elements: 0,
        variables: 0,
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
    /// Node and relationship patterns numbered so far ([`ElementId`]).
    elements: ElementId,
    /// Variable occurrences numbered so far ([`VarId`]).
    variables: VarId,
}

impl Parser<'_> {
    /// The next pattern element's number.
    fn element(&mut self) -> ElementId {
        self.elements += 1;
        self.elements - 1
    }

    /// The variable `name`, numbered as the next occurrence.
    fn var(&mut self, name: String) -> Var {
        self.variables += 1;
        Var::new(name, self.variables - 1)
    }

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
        let clauses = self.single_query()?;
        let mut unions: Vec<(bool, Vec<Clause>)> = Vec::new();
        while self.is_keyword("UNION") {
            let at = self.span();
            self.at += 1;
            let all = self.eat_keyword("ALL");
            if unions.first().is_some_and(|(first, _)| *first != all) {
                return Err(CypherError::syntax(
                    at,
                    "`UNION` and `UNION ALL` cannot be mixed in one query",
                )
                .with_code("InvalidClauseComposition"));
            }
            unions.push((all, self.single_query()?));
        }
        if !self.at_end() {
            return Err(self.expected("the end of the query after `RETURN`"));
        }
        Ok(Query {
            clauses,
            unions,
            variables: self.variables,
        })
    }

    fn at_end(&self) -> bool {
        self.at >= self.tokens.len() || (self.is_sym(";") && self.at + 1 == self.tokens.len())
    }

    /// The clauses up to and including `RETURN`.
    fn single_query(&mut self) -> Result<Vec<Clause>, CypherError> {
        let mut clauses = Vec::new();
        while !self.at_end() && !matches!(clauses.last(), Some(Clause::Return(_))) {
            if self.is_keyword("UNION") {
                break;
            }
            clauses.push(self.clause()?);
        }
        match clauses.last() {
            Some(Clause::Return(_)) => Ok(clauses),
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
        // `CALL {` or `CALL (`: a subquery; `CALL name(...)`, a procedure, is refused below.
        if self.is_keyword("CALL") && matches!(self.peek_at(1), Some(Tok::Sym("{" | "("))) {
            self.at += 1;
            return Ok(Clause::Call(self.call_subquery(start)?));
        }
        if let Some(Tok::Ident(word)) = self.peek()
            && let Some(keyword) = UNSUPPORTED_CLAUSES
                .iter()
                .find(|k| k.eq_ignore_ascii_case(word))
        {
            let what = if *keyword == "CALL" {
                "a procedure `CALL` is not supported by ties query (`CALL { ... }` subqueries are)"
                    .to_owned()
            } else if ["FOREACH", "LOAD", "USE", "FINISH"].contains(keyword) {
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

    /// `CALL [(imports)] { ... }`, the cursor after `CALL`.
    fn call_subquery(&mut self, start: Span) -> Result<CallSubquery, CypherError> {
        let imports = if self.eat_sym("(") {
            if self.eat_sym("*") {
                self.expect_sym(")", "after `CALL (*`")?;
                Imports::All
            } else {
                let mut names = Vec::new();
                while !self.eat_sym(")") {
                    if !names.is_empty() {
                        self.expect_sym(",", "between the variables a `CALL` imports")?;
                    }
                    names.push(self.name("a variable the subquery imports")?);
                }
                Imports::Listed(names)
            }
        } else {
            Imports::Leading
        };
        self.expect_sym("{", "to open the `CALL` subquery")?;
        self.deeper()?;
        let mut parts = Vec::new();
        let mut union_all = None;
        loop {
            let mut clauses = Vec::new();
            while !self.is_sym("}") && !self.is_keyword("UNION") && !self.at_end() {
                if matches!(clauses.last(), Some(Clause::Return(_))) {
                    return Err(self.expected("`}` or `UNION` after the subquery's `RETURN`"));
                }
                clauses.push(self.clause()?);
            }
            if !matches!(clauses.last(), Some(Clause::Return(_))) {
                return Err(CypherError::syntax(
                    self.span(),
                    "a `CALL` subquery ends with `RETURN` here (ties query only reads)",
                ));
            }
            parts.push(clauses);
            if !self.is_keyword("UNION") {
                break;
            }
            let at = self.span();
            self.at += 1;
            let all = self.eat_keyword("ALL");
            if union_all.is_some_and(|first| first != all) {
                return Err(CypherError::syntax(
                    at,
                    "`UNION` and `UNION ALL` cannot be mixed in one query",
                )
                .with_code("InvalidClauseComposition"));
            }
            union_all = Some(all);
        }
        let close = self.expect_sym("}", "to close the `CALL` subquery")?;
        self.depth -= 1;
        Ok(CallSubquery {
            imports,
            parts,
            union_all: union_all.unwrap_or(false),
            span: start.to(close),
        })
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cypher::error::ErrorKind;

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
            round_trip("MATCH (a)-[*..]-(b) RETURN b"),
            "MATCH (a)-[*1..]-(b)\nRETURN b"
        );
        // An empty range is a pattern that matches nothing, not an error (openCypher).
        assert_eq!(
            round_trip("MATCH (a)-[*3..1]-(b) RETURN b"),
            "MATCH (a)-[*3..1]-(b)\nRETURN b"
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
        assert_eq!(
            round_trip("RETURN -2 ^ 2 ^ 3 * 4 AS p, a < b = c <> d AS chain"),
            "RETURN ((((-2) ^ 2) ^ 3) * 4) AS p, (((a < b) AND (b = c)) AND (c <> d)) AS chain"
        );
        round_trip(
            "RETURN CASE x WHEN 1 THEN 'a' ELSE 'b' END, CASE WHEN y THEN 1 END, \
             [v IN list WHERE v > 1 | v * 2], [v IN list], all(v IN list WHERE v), \
             single(`w x` IN [1] WHERE true), list[0], list[1..], list[..-1], list[a..b] \
             UNION ALL RETURN 1, 2, 3, 4, 5, 6, 7, 8, 9, 10",
        );
        round_trip(
            "MATCH (a) WHERE EXISTS { MATCH (a)-[:t]->(b) WHERE b.x > 1 } \
             RETURN [p = (a)-->(c:k) WHERE c.y IS NULL | length(p)] AS l",
        );
        round_trip("RETURN reduce(s = 0, x IN [1, 2] | s + x), COUNT { MATCH (a)-->(b) } AS n");
    }

    #[test]
    fn unsupported_cypher_is_refused_where_it_is() {
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
            "RETURN 1 AS a UNION RETURN 2 AS a UNION ALL RETURN 3 AS a",
            ErrorKind::Syntax,
            "`UNION` and `UNION ALL` cannot be mixed in one query",
            (1, 35),
        );
        error(
            "CALL db.labels()",
            ErrorKind::NotSupported,
            "a procedure `CALL` is not supported by ties query (`CALL { ... }` subqueries are)",
            (1, 1),
        );
        error(
            "RETURN exists(1)",
            ErrorKind::NotSupported,
            "`exists(...)` is not supported: write `x IS NOT NULL`, or `EXISTS { pattern }` for a pattern",
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
