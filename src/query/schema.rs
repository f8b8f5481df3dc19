//! What the data holds, described: per kind its columns, types and fill rates; per relation
//! type the kinds it connects, how many relations are dated and over which years.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::graph::KnowledgeGraph;
use crate::model::date::PartialDate;
use crate::model::entity::RelTypeId;
use crate::model::schema::{KindRule, Schema, Timing, TypeRule};

/// A schema the data satisfies, as `ties schema --infer` prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct InferredSchema {
    /// The rules: per kind the columns every entity fills and its lifetime columns, per type
    /// the kinds it connects and the columns every relation fills. Timings are the declared
    /// ones (a state where none is declared).
    pub schema: Schema,
    /// Undeclared types whose relations each carry exactly one date, `start` or `end`: maybe
    /// events.
    pub maybe_events: BTreeSet<String>,
}

/// Infers a schema from the data: what it holds becomes the rule, so it always holds.
#[must_use]
pub fn infer(kg: &KnowledgeGraph) -> InferredSchema {
    let described = describe(kg);
    let full = |columns: &[ColumnFill], rows: usize| -> Vec<String> {
        columns
            .iter()
            .filter(|c| c.filled == rows && rows > 0)
            .map(|c| c.name.clone())
            .collect()
    };
    let mut schema = Schema::default();
    for kind in &described.kinds {
        let mut required = Vec::new();
        if kind.named == kind.entities && kind.entities > 0 {
            required.push("name".to_owned());
        }
        required.extend(full(&kind.columns, kind.entities));
        let lifetime = kg
            .schema
            .kinds
            .get(&kind.kind)
            .and_then(|r| r.lifetime.clone());
        if !required.is_empty() || lifetime.is_some() {
            schema.kinds.insert(
                kind.kind.clone(),
                KindRule {
                    required,
                    lifetime,
                    line: 0,
                },
            );
        }
    }
    let mut once_dated = vec![true; kg.catalog.rel_types.len()];
    let mut filled = vec![[0usize; 3]; kg.catalog.rel_types.len()];
    for edge in kg.edge_indices() {
        let relation = kg.relation(edge);
        let t = usize::from(relation.rel_type);
        once_dated[t] &= relation.start.is_some() != relation.end.is_some();
        for (i, present) in [
            relation.start.is_some(),
            relation.end.is_some(),
            relation.weight().is_some(),
        ]
        .into_iter()
        .enumerate()
        {
            filled[t][i] += usize::from(present);
        }
    }
    let mut maybe_events = BTreeSet::new();
    for (t, rel_type) in described.types.iter().enumerate() {
        let sides = |pick: fn(&Connection) -> &String| -> Vec<String> {
            let mut kinds: Vec<String> =
                rel_type.connects.iter().map(|c| pick(c).clone()).collect();
            kinds.sort();
            kinds.dedup();
            kinds
        };
        let mut required: Vec<String> = ["start", "end", "weight"]
            .into_iter()
            .zip(filled[t])
            .filter(|&(_, count)| count == rel_type.relations && count > 0)
            .map(|(name, _)| name.to_owned())
            .collect();
        required.extend(full(&rel_type.columns, rel_type.relations));
        let declared = kg.schema.types.get(&rel_type.rel_type);
        if declared.is_none() && once_dated[t] && rel_type.relations > 0 {
            maybe_events.insert(rel_type.rel_type.clone());
        }
        schema.types.insert(
            rel_type.rel_type.clone(),
            TypeRule {
                from: sides(|c| &c.from),
                to: sides(|c| &c.to),
                required,
                timing: declared.map_or_else(Timing::default, |rule| rule.timing),
                line: 0,
            },
        );
    }
    InferredSchema {
        schema,
        maybe_events,
    }
}

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
    /// Whether `ties.toml` declares the type under `[schema.types]`.
    pub declared: bool,
    /// How its relations live in time: `state` or `event` (`state` when not declared).
    pub time: &'static str,
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
    for node in kg.node_indices() {
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
    for edge in kg.edge_indices() {
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
                declared: kg.schema.types.contains_key(&kg.catalog.rel_types[t]),
                time: kg
                    .catalog
                    .timings
                    .of(RelTypeId::try_from(t).unwrap_or(u16::MAX))
                    .name(),
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
