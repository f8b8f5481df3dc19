//! Patterns: `(a:Kind {k: v})-[r:TYPE*1..3]->(b)`, path variables and shortest-path forms.

use super::Parser;
use crate::cypher::ast::{Direction, Expr, NodePattern, PathPattern, RelPattern, Selector};
use crate::cypher::error::{CypherError, Span};
use crate::cypher::lexer::Tok;

impl Parser<'_> {
    pub(super) fn path_pattern(&mut self) -> Result<PathPattern, CypherError> {
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

    pub(super) fn eat_path_word(&mut self) {
        if self.is_keyword("PATH") || self.is_keyword("PATHS") {
            self.at += 1;
        }
    }

    pub(super) fn node_pattern(&mut self) -> Result<NodePattern, CypherError> {
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
            element: self.element(),
            variable,
            labels,
            properties,
            span: open.to(close),
        })
    }

    /// `:A|B` (or `:A|:B`); `:A:B` (all of them) is refused: an entity has one kind.
    pub(super) fn labels(&mut self, what: &str) -> Result<Vec<String>, CypherError> {
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

    pub(super) fn rel_pattern(&mut self) -> Result<RelPattern, CypherError> {
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
            element: self.element(),
            variable,
            types,
            properties,
            direction,
            length,
            span,
        })
    }

    pub(super) fn int(&mut self, what: &str) -> Result<usize, CypherError> {
        match self.peek() {
            Some(Tok::Int(n)) if *n >= 0 => {
                let n = usize::try_from(*n).unwrap_or(usize::MAX);
                self.at += 1;
                Ok(n)
            }
            _ => Err(self.expected(what)),
        }
    }

    /// After `*`: nothing, `n`, `n..m`, `..m`, `n..`, `..`. A range whose maximum is below its
    /// minimum (`2..1`) is valid and matches nothing, as openCypher has it.
    pub(super) fn length(&mut self) -> Result<(usize, Option<usize>), CypherError> {
        let min = if matches!(self.peek(), Some(Tok::Int(_))) {
            self.int("a number of hops")?
        } else if self.is_sym("..") {
            1
        } else {
            return Ok((1, None));
        };
        if !self.eat_sym("..") {
            return Ok((min, Some(min)));
        }
        if matches!(self.peek(), Some(Tok::Int(_))) {
            return Ok((min, Some(self.int("a maximum number of hops")?)));
        }
        Ok((min, None))
    }

    /// `{m,n}`, `{m,}`, `{,n}`, `{n}`.
    pub(super) fn quantifier(&mut self) -> Result<(usize, Option<usize>), CypherError> {
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

    pub(super) fn map_entries(&mut self) -> Result<Vec<(String, Expr)>, CypherError> {
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
}

/// The rules a shortest-path pattern must follow, as in Neo4j.
pub(super) fn check_shortest(pattern: &PathPattern) -> Result<(), CypherError> {
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
