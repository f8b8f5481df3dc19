//! `CALL { ... }`: a subquery run for each row, its rows joined to the row (a row the subquery
//! answers nothing for is dropped, as a `MATCH` drops it).

use super::{CypherError, Engine, Limits, Rows, Table, Value};
use crate::cypher::ast::{CallSubquery, Sees};
use crate::cypher::plan::WHOLE_QUERY;

impl Engine<'_> {
    /// Runs `call` for each row of `table` (once when it imports nothing); what the subquery
    /// may return was checked by the semantic pass.
    pub(super) fn run_call(&self, table: Table, call: &CallSubquery) -> Result<Table, CypherError> {
        let once = if call.correlated() {
            None
        } else {
            Some(self.run_call_body(call, &[], &[])?)
        };
        let mut names = table.names.clone();
        names.extend(call.columns());
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
            let (inner_names, inner_row): (Vec<String>, Vec<Value>) = match call.sees(part) {
                Sees::Row => (names.to_vec(), row.to_vec()),
                Sees::Only(listed) => {
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
                    (listed.to_vec(), values)
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
            // Counted as the subquery's own `Union` (and `Distinct`), over the whole of it.
            self.at_clause((Some(call.span.start), 0, WHOLE_QUERY), || {
                self.union_rows(&mut rows, call.union_all);
            });
        }
        Ok(rows)
    }
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
