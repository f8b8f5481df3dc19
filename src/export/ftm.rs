//! FollowTheMoney out: the view as an FtM entity stream, one JSON object per line, as the
//! `followthemoney` tools, OpenSanctions' and Aleph's loaders read it.
//!
//! - Each entity gets the schema `ftm` names for its kind in `ties.toml`, else the schema
//!   named as the kind (`Person`), else `LegalEntity`.
//! - A relation whose type is an entity property of its start's schema (`addressEntity`,
//!   `holder`) and whose end fits that property becomes the property. Otherwise it becomes an
//!   entity of the edge schema `ftm` names for its type (or the edge schema named as the type)
//!   when both ends fit that schema's ends, else an `UnknownLink` from `subject` to `object`
//!   with the type as its `role`.
//! - Relations carrying an `id` are that FtM entity (several relations with one id, as an
//!   import makes of a payment with two payers, become one); others get a stable id from
//!   their ends, type, dates and place among their twins.
//! - `start`/`end` become `startDate`/`endDate` (an import's `date` stays `date`); a column
//!   named as a property of the schema becomes it; `source` becomes `sourceUrl` when it is a
//!   web address and `publisher` otherwise, `note` becomes `description`; every other column
//!   becomes a `column: value` line in `notes` (`summary` on edges), so nothing is lost.
//! - Ids FtM does not accept are rewritten ([`crate::model::ftm::entity_id`]): stable,
//!   injective, valid.

use std::collections::BTreeMap;
use std::io::{self, Write};

use hashbrown::HashMap;
use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::export::Warnings;
use crate::export::sink::{Chunk, Sink};
use crate::graph::KnowledgeGraph;
use crate::model::date::PartialDate;
use crate::model::ftm::{Model, Schema, entity_id, model};
use crate::model::value::ValueRef;
use crate::view::Subgraph;

/// The schema of entities whose kind names none.
const DEFAULT_SCHEMA: &str = "LegalEntity";

/// The edge schema of relations whose type names none that fits.
const FALLBACK_EDGE: &str = "UnknownLink";

/// One FtM entity being written: its schema and properties, values in order without repeats.
struct FtmEntity {
    id: String,
    schema: &'static str,
    properties: BTreeMap<&'static str, Vec<String>>,
}

impl FtmEntity {
    fn new(id: String, schema: &'static str) -> Self {
        FtmEntity {
            id,
            schema,
            properties: BTreeMap::new(),
        }
    }

    fn add(&mut self, property: &'static str, value: String) {
        if value.is_empty() {
            return;
        }
        let values = self.properties.entry(property).or_default();
        if !values.contains(&value) {
            values.push(value);
        }
    }

    fn write(&self, out: &mut Chunk) {
        let object = serde_json::json!({
            "id": self.id,
            "schema": self.schema,
            "properties": self.properties,
        });
        // Serializing a JSON value into a Vec cannot fail.
        let _ = serde_json::to_writer(out.vec(), &object);
        out.raw("\n");
    }
}

/// The `&'static` name of a property of `schema`, when it has one that entities carry.
fn property(model: &'static Model, schema: &str, name: &str) -> Option<&'static str> {
    model.schemata[schema]
        .properties
        .get_key_value(name)
        .filter(|(_, property)| !property.stub)
        .map(|(name, _)| name.as_str())
}

/// The schema of each kind, by kind id.
fn kind_schemata(kg: &KnowledgeGraph, model: &'static Model) -> Vec<&'static str> {
    kg.catalog
        .kinds
        .iter()
        .map(|kind| {
            let named = kg
                .style
                .kinds
                .get(kind)
                .and_then(|style| style.ftm.as_deref())
                .unwrap_or(kind);
            model
                .schemata
                .get_key_value(named)
                .filter(|(_, schema)| !schema.is_abstract)
                .map_or(DEFAULT_SCHEMA, |(name, _)| name.as_str())
        })
        .collect()
}

/// How a relation is written.
enum Shape {
    /// A property of its start entity.
    Reference(&'static str),
    /// An entity of an edge schema; `role` when it is the fallback, `UnknownLink`, whose
    /// `role` then says the type.
    Edge { schema: &'static str, role: bool },
}

/// Whether `schema` fits the range of `property` of `edge_schema`.
fn fits(model: &Model, edge_schema: &Schema, property: &str, schema: &str) -> bool {
    edge_schema
        .properties
        .get(property)
        .and_then(|property| property.range.as_deref())
        .is_none_or(|range| model.is_a(schema, range))
}

/// Chooses how the relations of one type between entities of two schemata are written.
fn shape(
    kg: &KnowledgeGraph,
    model: &'static Model,
    rel_type: &str,
    (from_schema, to_schema): (&'static str, &'static str),
    warnings: &mut Warnings,
) -> Shape {
    if let Some(name) = property(model, from_schema, rel_type) {
        let definition = &model.schemata[from_schema].properties[name];
        if definition.is_entity()
            && definition
                .range
                .as_deref()
                .is_none_or(|range| model.is_a(to_schema, range))
        {
            return Shape::Reference(name);
        }
    }
    let configured = kg
        .style
        .rel_types
        .get(rel_type)
        .and_then(|style| style.ftm.as_deref());
    let named = configured.unwrap_or(rel_type);
    if let Some((name, schema)) = model.schemata.get_key_value(named)
        && !schema.is_abstract
        && let Some(edge) = &schema.edge
    {
        if fits(model, schema, &edge.source, from_schema)
            && fits(model, schema, &edge.target, to_schema)
        {
            return Shape::Edge {
                schema: name.as_str(),
                role: false,
            };
        }
        if configured.is_some() {
            warnings.push(format!(
                "FtM: `{rel_type}` relations from a {from_schema} to a {to_schema} do not fit \
                 {name} (its {} and {} take other schemata); written as {FALLBACK_EDGE}",
                edge.source, edge.target
            ));
        }
    }
    Shape::Edge {
        schema: FALLBACK_EDGE,
        role: true,
    }
}

/// The text values of a cell: each item of an array, or the one value.
fn texts(value: ValueRef<'_>) -> Vec<String> {
    match value {
        ValueRef::List(list) => list.items().map(|item| item.to_string()).collect(),
        other => vec![other.to_string()],
    }
}

/// Puts a column that is not a property of the schema where FtM keeps such things.
fn put_other(entity: &mut FtmEntity, model: &'static Model, column: &str, value: ValueRef<'_>) {
    let has = |name: &str| property(model, entity.schema, name);
    let values = texts(value);
    match column {
        "source" => {
            for text in values {
                let is_url = text.starts_with("http://") || text.starts_with("https://");
                let target = if is_url { "sourceUrl" } else { "publisher" };
                if let Some(target) = has(target) {
                    entity.add(target, text);
                }
            }
        }
        "note" if has("description").is_some() => {
            for text in values {
                entity.add("description", text);
            }
        }
        _ => {
            if let Some(free) = has("notes").or_else(|| has("summary")) {
                entity.add(free, format!("{column}: {}", values.join("; ")));
            }
        }
    }
}

/// Adds the values of a column that is a property of the entity's schema.
fn put_property(
    entity: &mut FtmEntity,
    model: &'static Model,
    name: &'static str,
    value: ValueRef<'_>,
) {
    let is_entity = model.schemata[entity.schema].properties[name].is_entity();
    for text in texts(value) {
        let text = if is_entity {
            entity_id(&text).into_owned()
        } else {
            text
        };
        entity.add(name, text);
    }
}

/// The entity an FtM node is written as, references to others included.
fn node_entity(
    kg: &KnowledgeGraph,
    model: &'static Model,
    node: NodeIndex,
    schema: &'static str,
) -> FtmEntity {
    let record = kg.entity(node);
    let mut entity = FtmEntity::new(entity_id(kg.id(node)).into_owned(), schema);
    let definition = &model.schemata[schema];
    let mut names_column = false;
    let mut other_captions = Vec::new();
    for (def, value) in kg.catalog.entity_attrs(record) {
        if def.name == "names" && property(model, schema, "names").is_none() {
            if let Some(name) = property(model, schema, "name") {
                names_column = true;
                put_property(&mut entity, model, name, value);
            }
            continue;
        }
        match property(model, schema, &def.name) {
            Some(name) => {
                if definition.caption.iter().any(|caption| caption == name) {
                    other_captions.extend(texts(value));
                }
                put_property(&mut entity, model, name, value);
            }
            None => put_other(&mut entity, model, &def.name, value),
        }
    }
    // The label is the `name`, unless an import put it there from another caption property
    // (an address's `full`), or the entity has none.
    let label = kg.name(node);
    if !names_column
        && record.name.is_some()
        && !other_captions.iter().any(|caption| caption == label)
        && let Some(name) = property(model, schema, "name")
    {
        let names = entity.properties.remove(name).unwrap_or_default();
        entity.add(name, label.to_owned());
        for other in names {
            entity.add(name, other);
        }
    }
    entity
}

/// The dates of an imported `date` column, earliest and latest.
fn date_span(values: &[String]) -> (Option<PartialDate>, Option<PartialDate>) {
    let dates: Vec<PartialDate> = values
        .iter()
        .filter_map(|value| PartialDate::parse(value).ok())
        .collect();
    (
        dates.iter().copied().min_by_key(|date| date.first_day()),
        dates.iter().copied().max_by_key(|date| date.last_day()),
    )
}

/// Fills an edge entity from one relation.
fn fill_edge(
    entity: &mut FtmEntity,
    kg: &KnowledgeGraph,
    model: &'static Model,
    edge: EdgeIndex,
    role: Option<&str>,
) {
    let definition = &model.schemata[entity.schema];
    let ends = definition.edge.as_ref().expect("an edge schema");
    let (from, to) = kg.endpoints(edge);
    let relation = kg.relation(edge);
    let source = property(model, entity.schema, &ends.source).expect("edge ends are properties");
    let target = property(model, entity.schema, &ends.target).expect("edge ends are properties");
    entity.add(source, entity_id(kg.id(from)).into_owned());
    entity.add(target, entity_id(kg.id(to)).into_owned());
    if let Some(role) = role {
        entity.add("role", role.to_owned());
    }
    let mut dates = Vec::new();
    let (mut start_given, mut end_given) = (false, false);
    for (def, value) in kg.catalog.relation_attrs(relation) {
        match def.name.as_str() {
            "id" => continue,
            "date" => dates = texts(value),
            "startDate" => start_given = true,
            "endDate" => end_given = true,
            _ => {}
        }
        match property(model, entity.schema, &def.name) {
            Some(name) => put_property(entity, model, name, value),
            None => put_other(entity, model, &def.name, value),
        }
    }
    let (first, last) = date_span(&dates);
    if let Some(start) = relation.start
        && !start_given
        && first != Some(start)
        && let Some(name) = property(model, entity.schema, "startDate")
    {
        entity.add(name, start.to_string());
    }
    if let Some(end) = relation.end
        && !end_given
        && last != Some(end)
        && let Some(name) = property(model, entity.schema, "endDate")
    {
        entity.add(name, end.to_string());
    }
    if let Some(weight) = relation.weight()
        && let Some(free) = property(model, entity.schema, "summary")
    {
        entity.add(free, format!("weight: {weight}"));
    }
}

/// Writes `view` as an FtM entity stream.
///
/// # Errors
/// I/O errors from `out`.
pub fn write(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    out: &mut dyn Write,
    warnings: &mut Warnings,
) -> io::Result<()> {
    let model = model();
    let schemata = kind_schemata(kg, model);
    let schema_of = |node: NodeIndex| schemata[usize::from(kg.entity(node).kind)];
    let node_ids: hashbrown::HashSet<String> = view
        .nodes
        .iter()
        .map(|&node| entity_id(kg.id(node)).into_owned())
        .collect();

    let mut references: HashMap<NodeIndex, Vec<(&'static str, String)>> = HashMap::new();
    let mut edges: Vec<FtmEntity> = Vec::new();
    let mut edge_position: HashMap<String, usize> = HashMap::new();
    let mut twins: HashMap<String, usize> = HashMap::new();
    let mut shapes: HashMap<(u16, &'static str, &'static str), Shape> = HashMap::new();
    for &edge in &view.edges {
        let (from, to) = kg.endpoints(edge);
        let relation = kg.relation(edge);
        let rel_type = kg.rel_type(edge);
        let key = (relation.rel_type, schema_of(from), schema_of(to));
        let shape = shapes
            .entry(key)
            .or_insert_with(|| shape(kg, model, rel_type, (key.1, key.2), warnings));
        match *shape {
            Shape::Reference(name) => {
                references
                    .entry(from)
                    .or_default()
                    .push((name, entity_id(kg.id(to)).into_owned()));
            }
            Shape::Edge { schema, role } => {
                let given = kg
                    .catalog
                    .relation_attr(relation, "id")
                    .map(|id| entity_id(&id.to_string()).into_owned())
                    .filter(|id| {
                        let clash = node_ids.contains(id);
                        if clash {
                            warnings.push(format!(
                                "FtM: relation id `{id}` is also an entity's id; the relation \
                                 gets an id of its own"
                            ));
                        }
                        !clash
                    });
                let id = given.unwrap_or_else(|| {
                    let ends = format!(
                        "{}\u{1f}{rel_type}\u{1f}{}\u{1f}{}\u{1f}{}",
                        kg.id(from),
                        kg.id(to),
                        relation.start.map(|d| d.to_string()).unwrap_or_default(),
                        relation.end.map(|d| d.to_string()).unwrap_or_default(),
                    );
                    let twin = twins.entry(ends.clone()).or_default();
                    *twin += 1;
                    sha1_smol::Sha1::from(format!("ties\u{1f}{ends}\u{1f}{twin}"))
                        .digest()
                        .to_string()
                });
                let position = *edge_position.entry(id.clone()).or_insert_with(|| {
                    edges.push(FtmEntity::new(id, schema));
                    edges.len() - 1
                });
                fill_edge(
                    &mut edges[position],
                    kg,
                    model,
                    edge,
                    role.then_some(rel_type),
                );
            }
        }
    }

    let mut out = Sink::new(out);
    out.each(&view.nodes, |out, &node| {
        let mut entity = node_entity(kg, model, node, schema_of(node));
        if let Some(links) = references.get(&node) {
            for (name, id) in links {
                entity.add(name, id.clone());
            }
        }
        entity.write(out);
    })?;
    out.each(&edges, |out, entity| entity.write(out))?;
    out.finish()
}
