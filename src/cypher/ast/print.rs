//! Printing the syntax tree back as Cypher: names and strings escaped so that the print
//! parses back to the same tree.

use std::fmt;

use super::{
    Clause, Direction, Expr, ExprKind, Imports, Literal, MapItem, NodePattern, PathPattern,
    Projection, Query, RelPattern, Selector,
};

/// Writes a name plain when it can be, else backtick-quoted.
fn name(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let mut chars = text.chars();
    let plain = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        f.write_str(text)
    } else {
        write!(f, "`{}`", text.replace('`', "``"))
    }
}

fn string(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("'")?;
    for c in text.chars() {
        match c {
            '\\' => f.write_str("\\\\")?,
            '\'' => f.write_str("\\'")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if c.is_control() => write!(f, "\\u{:04x}", u32::from(c))?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("'")
}

fn properties(f: &mut fmt::Formatter<'_>, props: &[(String, Expr)]) -> fmt::Result {
    if props.is_empty() {
        return Ok(());
    }
    f.write_str(" {")?;
    for (i, (key, value)) in props.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        name(f, key)?;
        write!(f, ": {value}")?;
    }
    f.write_str("}")
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Literal(Literal::Null) => f.write_str("null"),
            ExprKind::Literal(Literal::Bool(b)) => write!(f, "{b}"),
            ExprKind::Literal(Literal::Int(i)) => write!(f, "{i}"),
            ExprKind::Literal(Literal::Float(x)) => write!(f, "{x:?}"),
            ExprKind::Literal(Literal::Str(s)) => string(f, s),
            ExprKind::Param(p) => write!(f, "${p}"),
            ExprKind::Case {
                subject,
                arms,
                otherwise,
            } => {
                f.write_str("CASE")?;
                if let Some(subject) = subject {
                    write!(f, " {subject}")?;
                }
                for (when, then) in arms {
                    write!(f, " WHEN {when} THEN {then}")?;
                }
                if let Some(otherwise) = otherwise {
                    write!(f, " ELSE {otherwise}")?;
                }
                f.write_str(" END")
            }
            ExprKind::Comprehension {
                variable,
                list,
                filter,
                map,
            } => {
                f.write_str("[")?;
                name(f, &variable.name)?;
                write!(f, " IN {list}")?;
                if let Some(filter) = filter {
                    write!(f, " WHERE {filter}")?;
                }
                if let Some(map) = map {
                    write!(f, " | {map}")?;
                }
                f.write_str("]")
            }
            ExprKind::Quantified {
                quantifier,
                variable,
                list,
                condition,
            } => {
                write!(f, "{}(", quantifier.name())?;
                name(f, &variable.name)?;
                write!(f, " IN {list} WHERE {condition})")
            }
            ExprKind::Index(list, index) => write!(f, "({list})[{index}]"),
            ExprKind::PatternComprehension {
                pattern,
                filter,
                map,
            } => {
                write!(f, "[{pattern}")?;
                if let Some(filter) = filter {
                    write!(f, " WHERE {filter}")?;
                }
                write!(f, " | {map}]")
            }
            ExprKind::MapProjection(subject, items) => {
                write!(f, "{subject} {{")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match item {
                        MapItem::Property(key) => {
                            f.write_str(".")?;
                            name(f, key)?;
                        }
                        MapItem::AllProperties => f.write_str(".*")?,
                        MapItem::Entry(key, value) => {
                            name(f, key)?;
                            write!(f, ": {value}")?;
                        }
                        MapItem::Variable(v, _) => name(f, v)?,
                    }
                }
                f.write_str("}")
            }
            ExprKind::Reduce {
                accumulator,
                init,
                variable,
                list,
                step,
            } => {
                f.write_str("reduce(")?;
                name(f, &accumulator.name)?;
                write!(f, " = {init}, ")?;
                name(f, &variable.name)?;
                write!(f, " IN {list} | {step})")
            }
            ExprKind::Exists {
                pattern,
                filter,
                count,
            } => {
                let keyword = if *count { "COUNT" } else { "EXISTS" };
                write!(f, "{keyword} {{ MATCH {pattern}")?;
                if let Some(filter) = filter {
                    write!(f, " WHERE {filter}")?;
                }
                f.write_str(" }")
            }
            ExprKind::Subquery { clauses, count } => {
                let keyword = if *count { "COUNT" } else { "EXISTS" };
                write!(f, "{keyword} {{ ")?;
                write_clauses(f, clauses)?;
                f.write_str(" }")
            }
            ExprKind::Slice(list, from, to) => {
                write!(f, "({list})[")?;
                if let Some(from) = from {
                    write!(f, "{from}")?;
                }
                f.write_str("..")?;
                if let Some(to) = to {
                    write!(f, "{to}")?;
                }
                f.write_str("]")
            }
            ExprKind::Variable(v) => name(f, &v.name),
            ExprKind::Property(inner, key) => {
                write!(f, "{inner}.")?;
                name(f, key)
            }
            ExprKind::HasLabel(inner, labels) => {
                write!(f, "{inner}")?;
                for (i, label) in labels.iter().enumerate() {
                    f.write_str(if i == 0 { ":" } else { "|" })?;
                    name(f, label)?;
                }
                Ok(())
            }
            ExprKind::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            ExprKind::Map(entries) => {
                f.write_str("{")?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    name(f, key)?;
                    write!(f, ": {value}")?;
                }
                f.write_str("}")
            }
            ExprKind::Call {
                function,
                distinct,
                args,
            } => {
                write!(f, "{function}(")?;
                if *distinct {
                    f.write_str("DISTINCT ")?;
                }
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(")")
            }
            ExprKind::CountStar => f.write_str("count(*)"),
            ExprKind::Not(inner) => write!(f, "(NOT {inner})"),
            ExprKind::Negate(inner) => write!(f, "(-{inner})"),
            ExprKind::IsNull(inner, negated) => {
                write!(f, "({inner} IS {}NULL)", if *negated { "NOT " } else { "" })
            }
            ExprKind::Binary(op, a, b) => write!(f, "({a} {} {b})", op.symbol()),
            ExprKind::Pattern(pattern) => write!(f, "{pattern}"),
        }
    }
}

impl fmt::Display for NodePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        if let Some(v) = &self.variable {
            name(f, v)?;
        }
        for (i, label) in self.labels.iter().enumerate() {
            f.write_str(if i == 0 { ":" } else { "|" })?;
            name(f, label)?;
        }
        properties(f, &self.properties)?;
        f.write_str(")")
    }
}

impl fmt::Display for RelPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.direction == Direction::Incoming {
            "<-["
        } else {
            "-["
        })?;
        if let Some(v) = &self.variable {
            name(f, v)?;
        }
        for (i, rel_type) in self.types.iter().enumerate() {
            f.write_str(if i == 0 { ":" } else { "|" })?;
            name(f, rel_type)?;
        }
        if let Some((min, max)) = self.length {
            match max {
                Some(max) => write!(f, "*{min}..{max}")?,
                None => write!(f, "*{min}..")?,
            }
        }
        properties(f, &self.properties)?;
        f.write_str(if self.direction == Direction::Outgoing {
            "]->"
        } else {
            "]-"
        })
    }
}

impl fmt::Display for PathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = &self.variable {
            name(f, v)?;
            f.write_str(" = ")?;
        }
        let close = match (self.selector, self.legacy_function) {
            (Some(Selector::AnyShortest), true) => {
                f.write_str("shortestPath(")?;
                true
            }
            (Some(Selector::AllShortest), true) => {
                f.write_str("allShortestPaths(")?;
                true
            }
            (Some(Selector::AnyShortest), false) => {
                f.write_str("ANY SHORTEST ")?;
                false
            }
            (Some(Selector::AllShortest), false) => {
                f.write_str("ALL SHORTEST ")?;
                false
            }
            (Some(Selector::Shortest(k)), _) => {
                write!(f, "SHORTEST {k} ")?;
                false
            }
            (None, _) => false,
        };
        write!(f, "{}", self.start)?;
        for (rel, node) in &self.steps {
            write!(f, "{rel}{node}")?;
        }
        if close {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for Projection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.distinct {
            f.write_str("DISTINCT ")?;
        }
        let mut first = true;
        if self.star {
            f.write_str("*")?;
            first = false;
        }
        for item in &self.items {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            write!(f, "{}", item.expr)?;
            if item.aliased {
                f.write_str(" AS ")?;
                name(f, &item.name)?;
            }
        }
        if let Some(filter) = &self.filter {
            write!(f, " WHERE {filter}")?;
        }
        if !self.order.is_empty() {
            f.write_str(" ORDER BY ")?;
            for (i, item) in self.order.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(
                    f,
                    "{}{}",
                    item.expr,
                    if item.descending { " DESC" } else { "" }
                )?;
            }
        }
        if let Some(skip) = &self.skip {
            write!(f, " SKIP {skip}")?;
        }
        if let Some(limit) = &self.limit {
            write!(f, " LIMIT {limit}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_clauses(f, &self.clauses)?;
        for (all, clauses) in &self.unions {
            f.write_str(if *all { "\nUNION ALL\n" } else { "\nUNION\n" })?;
            write_clauses(f, clauses)?;
        }
        Ok(())
    }
}

fn write_clauses(f: &mut fmt::Formatter<'_>, clauses: &[Clause]) -> fmt::Result {
    for (i, clause) in clauses.iter().enumerate() {
        if i > 0 {
            f.write_str("\n")?;
        }
        match clause {
            Clause::Match(m) => {
                f.write_str(if m.optional {
                    "OPTIONAL MATCH "
                } else {
                    "MATCH "
                })?;
                for (j, pattern) in m.patterns.iter().enumerate() {
                    if j > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{pattern}")?;
                }
                if let Some(filter) = &m.filter {
                    write!(f, " WHERE {filter}")?;
                }
            }
            Clause::Unwind { expr, alias } => {
                write!(f, "UNWIND {expr} AS ")?;
                name(f, alias)?;
            }
            Clause::With(p) => write!(f, "WITH {p}")?,
            Clause::Return(p) => write!(f, "RETURN {p}")?,
            Clause::Call(call) => {
                f.write_str("CALL ")?;
                match &call.imports {
                    Imports::Leading => {}
                    Imports::All => f.write_str("(*) ")?,
                    Imports::Listed(names) => {
                        f.write_str("(")?;
                        for (j, variable) in names.iter().enumerate() {
                            if j > 0 {
                                f.write_str(", ")?;
                            }
                            name(f, variable)?;
                        }
                        f.write_str(") ")?;
                    }
                }
                f.write_str("{ ")?;
                for (j, part) in call.parts.iter().enumerate() {
                    if j > 0 {
                        f.write_str(if call.union_all {
                            " UNION ALL "
                        } else {
                            " UNION "
                        })?;
                    }
                    write_clauses(f, part)?;
                }
                f.write_str(" }")?;
            }
        }
    }
    Ok(())
}
