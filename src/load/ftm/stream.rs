//! Reading an FtM stream: one entity object per line (or a JSON array of them), entities
//! nested in properties taken out, fragments of one id merged.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;

use hashbrown::HashMap;
use serde_json::Value;

use super::ImportSummary;
use crate::load::diag::Diagnostic;
use crate::model::ftm::Model;

/// One entity after merging its fragments.
pub(super) struct Entity {
    pub id: String,
    pub schema: &'static str,
    /// Values per property, in the order first seen, without repeats.
    pub properties: BTreeMap<String, Vec<String>>,
    /// The line of its first fragment.
    pub line: u64,
}

impl Entity {
    pub fn values(&self, property: &str) -> &[String] {
        self.properties.get(property).map_or(&[], Vec::as_slice)
    }
}

/// Reading state: the entities so far and the problems found.
pub(super) struct Reader<'a> {
    pub shown: &'a str,
    pub model: &'static Model,
    pub entities: Vec<Entity>,
    pub by_id: HashMap<String, usize>,
    pub errors: Vec<Diagnostic>,
    /// Properties a schema does not have, with how often and the first line.
    pub unknown_properties: BTreeMap<(String, String), (usize, u64)>,
    pub fragments: usize,
}

/// Where a nested entity sits: in which entity, under which property.
struct Parent<'p> {
    id: &'p str,
    schema: &'static str,
    property: &'p str,
}

impl Reader<'_> {
    /// Reads one entity object (and the entities nested in it); returns its id.
    fn entity(&mut self, value: &Value, line: u64, parent: Option<&Parent<'_>>) -> Option<String> {
        let Some(object) = value.as_object() else {
            self.errors.push(Diagnostic::line(
                self.shown,
                line,
                "not an FtM entity: expected a JSON object with `id`, `schema` and `properties`",
            ));
            return None;
        };
        let id = match object.get("id") {
            Some(Value::String(id)) if !id.trim().is_empty() => id.trim().to_owned(),
            _ => {
                self.errors.push(Diagnostic::line(
                    self.shown,
                    line,
                    "an entity without an `id` (FtM entities need one)",
                ));
                return None;
            }
        };
        let schema = match object.get("schema").and_then(Value::as_str) {
            Some(name) => match self.model.schemata.get_key_value(name) {
                Some((known, _)) => known.as_str(),
                None => {
                    let hint = self
                        .model
                        .closest(name)
                        .map_or_else(String::new, |close| format!(" (did you mean `{close}`?)"));
                    self.errors.push(Diagnostic::line(
                        self.shown,
                        line,
                        format!("entity `{id}`: unknown FtM schema `{name}`{hint}"),
                    ));
                    return None;
                }
            },
            None => {
                self.errors.push(Diagnostic::line(
                    self.shown,
                    line,
                    format!("entity `{id}` has no `schema`"),
                ));
                return None;
            }
        };
        let definition = &self.model.schemata[schema];
        let mut properties: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let Some(parent) = parent {
            // Nested under a reverse property (`ownershipOwner`): the nested entity points back
            // at its parent through the property that reverse mirrors (`owner`).
            let parent_definition = &self.model.schemata[parent.schema];
            if let Some(reverse) = parent_definition
                .properties
                .get(parent.property)
                .filter(|property| property.stub)
                .and_then(|property| property.reverse.as_deref())
                && definition.properties.contains_key(reverse)
            {
                properties
                    .entry(reverse.to_owned())
                    .or_default()
                    .push(parent.id.to_owned());
            }
        }
        match object.get("properties") {
            None | Some(Value::Null) => {}
            Some(Value::Object(given)) => {
                for (name, values) in given {
                    let property = definition.properties.get(name.as_str());
                    let items: Vec<&Value> = match values {
                        Value::Array(items) => items.iter().collect(),
                        Value::Null => Vec::new(),
                        single => vec![single],
                    };
                    let here = Parent {
                        id: &id,
                        schema,
                        property: name,
                    };
                    for item in items {
                        let text = match item {
                            Value::String(text) => text.trim().to_owned(),
                            Value::Number(number) => number.to_string(),
                            Value::Bool(flag) => flag.to_string(),
                            Value::Object(_) => match self.entity(item, line, Some(&here)) {
                                Some(nested) => nested,
                                None => continue,
                            },
                            Value::Null | Value::Array(_) => continue,
                        };
                        match property {
                            Some(property) if !property.stub => {
                                if !text.is_empty() {
                                    properties.entry(name.clone()).or_default().push(text);
                                }
                            }
                            // A reverse property holds nested entities, linked above.
                            Some(_) => {}
                            None => {
                                let seen = self
                                    .unknown_properties
                                    .entry((schema.to_owned(), name.clone()))
                                    .or_insert((0, line));
                                seen.0 += 1;
                            }
                        }
                    }
                }
            }
            Some(_) => {
                self.errors.push(Diagnostic::line(
                    self.shown,
                    line,
                    format!("entity `{id}`: `properties` is not a JSON object"),
                ));
                return None;
            }
        }
        self.fragments += 1;
        self.merge(id.clone(), schema, properties, line);
        Some(id)
    }

    /// Adds a fragment, merging it into the entity with its id when there is one.
    fn merge(
        &mut self,
        id: String,
        schema: &'static str,
        properties: BTreeMap<String, Vec<String>>,
        line: u64,
    ) {
        if let Some(&position) = self.by_id.get(&id) {
            let entity = &mut self.entities[position];
            match self.model.common(entity.schema, schema) {
                Some(common) => entity.schema = common,
                None => {
                    self.errors.push(Diagnostic::line(
                        self.shown,
                        line,
                        format!(
                            "entity `{id}` is a `{schema}` here but a `{}` at line {}: one id, two \
                             schemata neither of which extends the other",
                            entity.schema, entity.line
                        ),
                    ));
                    return;
                }
            }
            for (name, values) in properties {
                let known = entity.properties.entry(name).or_default();
                for value in values {
                    if !known.contains(&value) {
                        known.push(value);
                    }
                }
            }
        } else {
            let mut properties = properties;
            for values in properties.values_mut() {
                let mut seen = BTreeSet::new();
                values.retain(|value| seen.insert(value.clone()));
            }
            self.by_id.insert(id.clone(), self.entities.len());
            self.entities.push(Entity {
                id,
                schema,
                properties,
                line,
            });
        }
    }
}

/// Reads every line (or, for a file that is one JSON array, every item) of the stream.
pub(super) fn read_stream(
    reader: &mut Reader<'_>,
    mut input: impl BufRead,
    summary: &mut ImportSummary,
) -> Result<(), Vec<Diagnostic>> {
    let shown = reader.shown;
    let io_error =
        |err: std::io::Error| vec![Diagnostic::file(shown, format!("cannot read it: {err}"))];
    let starts_with_array = input.fill_buf().map_err(io_error)?.iter().find(|byte| {
        !byte.is_ascii_whitespace() && **byte != 0xef && **byte != 0xbb && **byte != 0xbf
    }) == Some(&b'[');
    if starts_with_array {
        let items: Vec<Value> = serde_json::from_reader(input).map_err(|err| {
            vec![Diagnostic::line(
                shown,
                err.line() as u64,
                format!("not JSON: {err}"),
            )]
        })?;
        for (position, item) in items.iter().enumerate() {
            summary.lines += 1;
            reader.entity(item, position as u64 + 1, None);
        }
        return Ok(());
    }
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line).map_err(io_error)? == 0 {
            break;
        }
        number += 1;
        let text = match std::str::from_utf8(&line) {
            Ok(text) => text.trim_start_matches('\u{feff}').trim(),
            Err(_) => {
                reader
                    .errors
                    .push(Diagnostic::line(shown, number, "not UTF-8 text"));
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        summary.lines += 1;
        match serde_json::from_str::<Value>(text) {
            Ok(value) => {
                reader.entity(&value, number, None);
            }
            Err(err) => reader.errors.push(Diagnostic::line(
                shown,
                number,
                format!("not JSON: {err} (an FtM stream has one entity object per line)"),
            )),
        }
    }
    Ok(())
}
