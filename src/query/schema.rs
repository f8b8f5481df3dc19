//! What the data holds, described: per kind its columns, types and fill rates; per relation
//! type the kinds it connects, how many relations are dated and over which years.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::graph::KnowledgeGraph;
use crate::model::date::PartialDate;

/// The data's shape, as `ties schema` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataSchema {
    /// Entity kinds, in file order.
    pub kinds: Vec<KindSchema>,
    /// Relation types, in order of first appearance.
    pub types: Vec<TypeSchema>,
}

/// One kind of entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindSchema {
    /// The kind (its file's name).
    pub kind: String,
    /// How many entities.
    pub entities: usize,
    /// How many have a `name` of their own.
    pub named: usize,
    /// The attribute columns its entities fill, in column order.
    pub columns: Vec<ColumnFill>,
}

/// One attribute column and how full it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnFill {
    /// The column name.
    pub name: String,
    /// Its declared type (`string`, `int`, `date[]`, ...).
    #[serde(rename = "type")]
    pub column_type: String,
    /// Rows with a value.
    pub filled: usize,
    /// `filled` over the rows of the kind or type, from 0 to 1.
    pub fill_rate: f64,
}

/// One relation type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeSchema {
    /// The type.
    #[serde(rename = "type")]
    pub rel_type: String,
    /// How many relations.
    pub relations: usize,
    /// The kinds it connects, `from` to `to`, most frequent first.
    pub connects: Vec<Connection>,
    /// Relations with a `start` or an `end`.
    pub dated: usize,
    /// The earliest date given, as written.
    pub first: Option<String>,
    /// The latest date given, as written.
    pub last: Option<String>,
    /// Relations with a `weight`.
    pub weighted: usize,
    /// The attribute columns its relations fill, in column order.
    pub columns: Vec<ColumnFill>,
}

/// A pair of kinds a relation type connects, and how often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Connection {
    /// The kind of the `from` entities.
    pub from: String,
    /// The kind of the `to` entities.
    pub to: String,
    /// How many relations.
    pub count: usize,
}

fn fills(
    kg: &KnowledgeGraph,
    counts: &BTreeMap<u16, usize>,
    relation: bool,
    rows: usize,
) -> Vec<ColumnFill> {
    let defs = if relation {
        &kg.catalog.relation_attrs
    } else {
        &kg.catalog.entity_attrs
    };
    counts
        .iter()
        .map(|(&attr, &filled)| {
            let def = &defs[usize::from(attr)];
            #[allow(clippy::cast_precision_loss)]
            let fill_rate = filled as f64 / rows.max(1) as f64;
            ColumnFill {
                name: def.name.clone(),
                column_type: def.column_type.to_string(),
                filled,
                fill_rate,
            }
        })
        .collect()
}

/// Describes the data.
#[must_use]
pub fn describe(kg: &KnowledgeGraph) -> DataSchema {
    let kind_count = kg.catalog.kinds.len();
    let mut entities = vec![0usize; kind_count];
    let mut named = vec![0usize; kind_count];
    let mut entity_cells: Vec<BTreeMap<u16, usize>> = vec![BTreeMap::new(); kind_count];
    for node in kg.graph.node_indices() {
        let entity = kg.entity(node);
        let kind = usize::from(entity.kind);
        entities[kind] += 1;
        named[kind] += usize::from(entity.name.is_some());
        for (attr, _) in kg.catalog.entity_cells(entity) {
            *entity_cells[kind].entry(attr).or_default() += 1;
        }
    }
    let kinds = (0..kind_count)
        .map(|k| KindSchema {
            kind: kg.catalog.kinds[k].clone(),
            entities: entities[k],
            named: named[k],
            columns: fills(kg, &entity_cells[k], false, entities[k]),
        })
        .collect();

    let type_count = kg.catalog.rel_types.len();
    let mut relations = vec![0usize; type_count];
    let mut dated = vec![0usize; type_count];
    let mut weighted = vec![0usize; type_count];
    let mut span: Vec<Option<(PartialDate, PartialDate)>> = vec![None; type_count];
    let mut pairs: Vec<BTreeMap<(u16, u16), usize>> = vec![BTreeMap::new(); type_count];
    let mut relation_cells: Vec<BTreeMap<u16, usize>> = vec![BTreeMap::new(); type_count];
    for edge in kg.graph.edge_indices() {
        let relation = kg.relation(edge);
        let t = usize::from(relation.rel_type);
        let (from, to) = kg.endpoints(edge);
        relations[t] += 1;
        *pairs[t]
            .entry((kg.entity(from).kind, kg.entity(to).kind))
            .or_default() += 1;
        if relation.start.is_some() || relation.end.is_some() {
            dated[t] += 1;
        }
        weighted[t] += usize::from(relation.weight().is_some());
        for date in [relation.start, relation.end].into_iter().flatten() {
            span[t] = Some(match span[t] {
                None => (date, date),
                Some((first, last)) => (
                    if date.first_day() < first.first_day() {
                        date
                    } else {
                        first
                    },
                    if date.last_day() > last.last_day() {
                        date
                    } else {
                        last
                    },
                ),
            });
        }
        for (attr, _) in kg.catalog.relation_cells(relation) {
            *relation_cells[t].entry(attr).or_default() += 1;
        }
    }
    let types = (0..type_count)
        .map(|t| {
            let mut connects: Vec<Connection> = pairs[t]
                .iter()
                .map(|(&(from, to), &count)| Connection {
                    from: kg.catalog.kind_name(from).to_owned(),
                    to: kg.catalog.kind_name(to).to_owned(),
                    count,
                })
                .collect();
            connects.sort_by_key(|c| std::cmp::Reverse(c.count));
            TypeSchema {
                rel_type: kg.catalog.rel_types[t].clone(),
                relations: relations[t],
                connects,
                dated: dated[t],
                first: span[t].map(|(first, _)| first.to_string()),
                last: span[t].map(|(_, last)| last.to_string()),
                weighted: weighted[t],
                columns: fills(kg, &relation_cells[t], true, relations[t]),
            }
        })
        .collect();
    DataSchema { kinds, types }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_types_and_fill_rates_are_counted() {
        let kg = KnowledgeGraph::from_csv(
            &[
                ("people", "id,name,born:int\nada,Ada,1815\nbob,,\n"),
                ("cities", "id\nlondon\n"),
            ],
            &[(
                "r",
                "from,type,to,start,note\nada,lived_in,london,1830,x\nbob,lived_in,london,,\nada,knows,bob,1840,\n",
            )],
            None,
        )
        .unwrap();
        let schema = describe(&kg);
        let people = schema.kinds.iter().find(|k| k.kind == "people").unwrap();
        assert_eq!((people.entities, people.named), (2, 1));
        assert_eq!(people.columns[0].name, "born");
        assert!((people.columns[0].fill_rate - 0.5).abs() < 1e-12);
        let lived = schema
            .types
            .iter()
            .find(|t| t.rel_type == "lived_in")
            .unwrap();
        assert_eq!(
            lived.connects,
            [Connection {
                from: "people".into(),
                to: "cities".into(),
                count: 2
            }]
        );
        assert_eq!((lived.dated, lived.first.as_deref()), (1, Some("1830")));
        assert_eq!(lived.columns[0].filled, 1);
    }
}
