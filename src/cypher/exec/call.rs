//! `CALL { ... }`: a subquery run for each row, its rows joined to the row (a row the subquery
//! answers nothing for is dropped, as a `MATCH` drops it).

use super::{Clause, CypherError, Engine, Limits, Rows, Stage, Table, Value};
use crate::cypher::ast::{CallSubquery, Imports};
use crate::cypher::plan::WHOLE_QUERY;

impl Engine<'_> {
    pub(super) fn run_call(&self, table: Table, call: &CallSubquery) -> Result<Table, CypherError> {
        let returned = returned_columns(call)?;
        if let Some(clash) = returned.iter().find(|name| table.names.contains(name)) {
            return Err(CypherError::semantic(
                call.span,
                format!(
                    "the `CALL` subquery returns `{clash}`, which is already bound; name it \
                     otherwise"
                ),
            )
            .with_code("VariableAlreadyBound"));
        }
        // A subquery that imports nothing answers the same for every row: run it once.
        let correlated = match &call.imports {
            Imports::Leading => call
                .parts
                .iter()
                .any(|part| matches!(part.first(), Some(Clause::With(_)))),
            Imports::Listed(names) => !names.is_empty(),
            Imports::All => true,
        };
        let once = if correlated {
            None
        } else {
            Some(self.run_call_body(call, &[], &[])?)
        };
        let mut names = table.names.clone();
        names.extend(returned);
        let mut rows = Vec::new();
        for row in table.rows {
            let answered;
            let answer = match &once {
                Some(answer) => answer,
                None => {
                    answered = self.run_call_body(call, &table.names, &row)?;
                    &answered
                }
            };
            for returned_row in answer {
                self.meter.tick(call.span)?;
                let mut joined = Vec::with_capacity(names.len());
                joined.extend(row.iter().cloned());
                joined.extend(returned_row.iter().cloned());
                rows.push(joined);
                self.meter
                    .hold(Limits::table_bytes(rows.len(), names.len()), call.span)?;
            }
        }
        Ok(Table { names, rows })
    }

    /// The rows the subquery returns for one row (`names`, `row`): its parts' rows, together.
    fn run_call_body(
        &self,
        call: &CallSubquery,
        names: &[String],
        row: &[Value],
    ) -> Result<Rows, CypherError> {
        let mut rows = Vec::new();
        for (index, part) in call.parts.iter().enumerate() {
            let (inner_names, inner_row): (Vec<String>, Vec<Value>) = match &call.imports {
                Imports::All => (names.to_vec(), row.to_vec()),
                Imports::Leading if matches!(part.first(), Some(Clause::With(_))) => {
                    (names.to_vec(), row.to_vec())
                }
                Imports::Leading => (Vec::new(), Vec::new()),
                Imports::Listed(listed) => {
                    let mut values = Vec::with_capacity(listed.len());
                    for name in listed {
                        let Some(at) = names.iter().position(|n| n == name) else {
                            return Err(CypherError::semantic(
                                call.span,
                                format!("the `CALL` subquery imports `{name}`, which is not bound"),
                            )
                            .with_code("UndefinedVariable"));
                        };
                        values.push(row[at].clone());
                    }
                    (listed.clone(), values)
                }
            };
            rows.extend(self.run_call_part(
                (call.span.start, index),
                part,
                &inner_names,
                &inner_row,
            )?);
        }
        if call.parts.len() > 1 {
            let outer = (self.within.get(), self.part.get(), self.clause.get());
            self.within.set(Some(call.span.start));
            self.part.set(0);
            self.clause.set(WHOLE_QUERY);
            self.count_rows(Stage::Union, rows.len());
            if !call.union_all {
                let mut seen = rustc_hash::FxHashSet::default();
                rows.retain(|row| {
                    seen.insert(row.iter().map(Value::group_key).collect::<Vec<_>>())
                });
                self.count_rows(Stage::Distinct, rows.len());
            }
            self.within.set(outer.0);
            self.part.set(outer.1);
            self.clause.set(outer.2);
        }
        Ok(rows)
    }
}

/// The columns a `CALL` subquery adds: the names its `RETURN` gives, the same in every part.
fn returned_columns(call: &CallSubquery) -> Result<Vec<String>, CypherError> {
    let mut columns: Option<Vec<String>> = None;
    for part in &call.parts {
        let Some(Clause::Return(projection)) = part.last() else {
            return Err(CypherError::semantic(
                call.span,
                "a `CALL` subquery ends with `RETURN`",
            ));
        };
        let span = projection
            .items
            .first()
            .map_or(call.span, |item| item.expr.span);
        if projection.star {
            return Err(CypherError::semantic(
                span,
                "a `CALL` subquery names the columns it returns: `RETURN *` is not supported \
                 there",
            ));
        }
        let names: Vec<String> = projection.items.iter().map(|i| i.name.clone()).collect();
        match &columns {
            Some(first) if *first != names => {
                return Err(CypherError::semantic(
                    span,
                    format!(
                        "every part of a UNION returns the same columns: `{}`, not `{}`",
                        first.join(", "),
                        names.join(", ")
                    ),
                )
                .with_code("DifferentColumnsInUnion"));
            }
            Some(_) => {}
            None => columns = Some(names),
        }
    }
    Ok(columns.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::cypher::limits::Limits;
    use crate::graph::KnowledgeGraph;

    /// Ann and Bob own Acme; Cy owns nothing.
    fn graph() -> KnowledgeGraph {
        KnowledgeGraph::from_csv(
            &[
                ("companies", "id,name\nacme,Acme\n"),
                ("people", "id,name\nann,Ann\nbob,Bob\ncy,Cy\n"),
            ],
            &[("r", "from,type,to\nann,owns,acme\nbob,owns,acme\n")],
            None,
        )
        .unwrap()
    }

    fn answer(query: &str) -> Result<Vec<String>, String> {
        let kg = graph();
        crate::cypher::run(
            &kg,
            kg.adjacency(),
            query,
            BTreeMap::new(),
            Limits::default(),
        )
        .map(|result| {
            result
                .rows
                .iter()
                .map(|row| {
                    let cells: Vec<String> = row.iter().map(|v| v.display(&kg)).collect();
                    cells.join(",")
                })
                .collect()
        })
        .map_err(|err| err.message)
    }

    #[test]
    fn each_row_joins_the_rows_its_subquery_returns() {
        assert_eq!(
            answer(
                "MATCH (p:people) CALL { WITH p MATCH (p)-[:owns]->(c) RETURN c.id AS c } \
                 RETURN p.id, c ORDER BY p.id"
            ),
            Ok(vec!["ann,acme".to_owned(), "bob,acme".to_owned()]),
            "Cy owns nothing and is dropped"
        );
        assert_eq!(
            answer(
                "MATCH (p:people) CALL (p) { OPTIONAL MATCH (p)-[:owns]->(c) RETURN c.id AS c } \
                 RETURN p.id, c ORDER BY p.id"
            ),
            Ok(vec![
                "ann,acme".to_owned(),
                "bob,acme".to_owned(),
                "cy,".to_owned()
            ])
        );
        assert_eq!(
            answer(
                "MATCH (c:companies) CALL (*) { MATCH (c)<-[:owns]-(p) RETURN p.id AS owner \
                 ORDER BY owner DESC LIMIT 1 } RETURN c.id, owner"
            ),
            Ok(vec!["acme,bob".to_owned()])
        );
    }

    #[test]
    fn a_subquery_that_imports_nothing_answers_every_row_alike() {
        assert_eq!(
            answer("UNWIND [1, 2] AS i CALL { MATCH (p:people) RETURN count(p) AS n } RETURN i, n"),
            Ok(vec!["1,3".to_owned(), "2,3".to_owned()])
        );
        assert_eq!(
            answer(
                "CALL { MATCH (c:companies) RETURN c.id AS id UNION MATCH (p)-[:owns]->(c) \
                 RETURN c.id AS id UNION ALL RETURN 'x' AS id } RETURN id"
            ),
            Err("`UNION` and `UNION ALL` cannot be mixed in one query".to_owned())
        );
        assert_eq!(
            answer(
                "CALL { MATCH (c:companies) RETURN c.id AS id UNION MATCH (p)-[:owns]->(c) \
                 RETURN c.id AS id } RETURN id"
            ),
            Ok(vec!["acme".to_owned()])
        );
        assert_eq!(
            answer(
                "CALL { MATCH (c:companies) RETURN c.id AS id UNION ALL MATCH (p)-[:owns]->(c) \
                 RETURN c.id AS id } RETURN count(*) AS n"
            ),
            Ok(vec!["3".to_owned()])
        );
    }

    #[test]
    fn a_subquery_is_refused_what_it_cannot_do() {
        let refused = |query: &str| answer(query).expect_err(query);
        assert!(
            refused("MATCH (p:people) CALL { WITH p RETURN p.id AS p } RETURN p")
                .contains("already bound")
        );
        assert!(
            refused("MATCH (p:people) CALL (q) { RETURN 1 AS one } RETURN one")
                .contains("imports `q`")
        );
        assert!(refused("MATCH (p:people) CALL { MATCH (p)-->(c) } RETURN p").contains("RETURN"));
        assert!(
            refused("CALL { RETURN 1 AS a UNION RETURN 2 AS b } RETURN a").contains("same columns")
        );
        assert!(refused("MATCH (p) CALL { WITH p RETURN * } RETURN p").contains("RETURN *"));
        assert!(refused("CALL db.labels() YIELD label RETURN label").contains("not supported"));
        // Without an importing WITH, the row's variables are not in the subquery: its `p` is
        // its own, and each of the three people gets both ownerships.
        assert_eq!(
            answer("MATCH (p:people) CALL { MATCH (p)-->(c) RETURN c } RETURN count(*) AS n"),
            Ok(vec!["6".to_owned()])
        );
    }
}
