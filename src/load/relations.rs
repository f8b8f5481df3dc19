//! Relation files: `from`, `type`, `to` (required), `start`, `end`, `weight`, attributes.

use rustc_hash::FxHashMap;

use super::{
    AttrColumn, AttrColumns, Body, Diagnostic, Progress, Source, cell, column_label, open_csv,
    push_attrs, read_rows,
};
use crate::load::header::{check_fixed_type, parse_header, require};
use crate::model::date::PartialDate;
use crate::model::entity::{Origin, Relation};
use crate::model::index::IdIndex;
use crate::model::store::RecordStore;
use crate::model::value::{ColumnType, ScalarType, parse_float};

/// How to read the body of one relation file, decided from its header.
pub(super) struct RelationPlan {
    path: String,
    source: Source,
    from: usize,
    rel_type: usize,
    to: usize,
    start: Option<usize>,
    end: Option<usize>,
    weight: Option<usize>,
    attrs: Vec<AttrColumn>,
    width: usize,
    columns: Vec<String>,
}

/// A relation file's rows; `rel_type` ids index `rel_types`, local to the file.
pub(super) struct ParsedRelations {
    pub path: String,
    pub columns: Vec<String>,
    pub store: RecordStore,
    pub rows: Vec<(u32, u32, Relation)>,
    pub rel_types: Vec<String>,
    pub diags: Vec<Diagnostic>,
    /// Endpoint ids and types written with spaces around them, read trimmed: how many of
    /// each, and the first (line, text).
    pub spaced: [(usize, Option<(u64, String)>); 2],
}

const FIXED: [(&str, ColumnType); 6] = [
    ("from", ColumnType::STRING),
    ("type", ColumnType::STRING),
    ("to", ColumnType::STRING),
    ("start", ColumnType::scalar(ScalarType::Date)),
    ("end", ColumnType::scalar(ScalarType::Date)),
    ("weight", ColumnType::scalar(ScalarType::Float)),
];

impl ParsedRelations {
    /// Stands in for a file whose header had problems, so file ids stay aligned.
    pub(super) fn unread(path: String) -> Self {
        ParsedRelations {
            path,
            columns: Vec::new(),
            store: RecordStore::new(),
            rows: Vec::new(),
            rel_types: Vec::new(),
            diags: Vec::new(),
            spaced: [(0, None), (0, None)],
        }
    }
}

/// Reads the header of a relation file; `None` when it has problems (reported in `diags`).
pub(super) fn plan(
    path: String,
    source: Source,
    attrs: &mut AttrColumns,
    diags: &mut Vec<Diagnostic>,
) -> Option<RelationPlan> {
    let before = diags.len();
    let (_, header) = open_csv(&path, &source, diags)?;
    let columns = parse_header(&path, &header, diags);
    let from = require(&path, &columns, "from", diags);
    let rel_type = require(&path, &columns, "type", diags);
    let to = require(&path, &columns, "to", diags);
    let find = |name: &str| columns.iter().position(|c| c.name == name);
    let mut attr_columns = Vec::new();
    for (position, column) in columns.iter().enumerate() {
        if let Some((_, fixed)) = FIXED.iter().find(|(name, _)| *name == column.name) {
            check_fixed_type(&path, column, *fixed, diags);
            continue;
        }
        if column.name.is_empty() {
            continue;
        }
        let attr = attrs.intern(&column.name, column.column_type, &path, diags);
        attr_columns.push(AttrColumn {
            position,
            attr,
            name: column.name.clone(),
            column_type: column.column_type,
            label: column_label(&column.name, position, &source),
        });
    }
    if diags.len() > before {
        return None;
    }
    Some(RelationPlan {
        start: find("start"),
        end: find("end"),
        weight: find("weight"),
        path,
        source,
        from: from?,
        rel_type: rel_type?,
        to: to?,
        attrs: attr_columns,
        width: columns.len(),
        columns: columns.into_iter().map(|c| c.name).collect(),
    })
}

/// Interns relation type names within one file; the previous row's type is checked first,
/// because files usually hold one type or long runs of one.
#[derive(Default)]
struct LocalTypes {
    names: Vec<String>,
    ids: FxHashMap<String, u16>,
    last: Option<u16>,
}

impl LocalTypes {
    fn intern(&mut self, name: &str) -> Result<u16, String> {
        if let Some(last) = self.last
            && self.names[usize::from(last)] == name
        {
            return Ok(last);
        }
        let id = match self.ids.get(name) {
            Some(&id) => id,
            None => {
                let id = u16::try_from(self.names.len())
                    .map_err(|_| "more than 65535 relation types".to_owned())?;
                self.names.push(name.to_owned());
                self.ids.insert(name.to_owned(), id);
                id
            }
        };
        self.last = Some(id);
        Ok(id)
    }
}

/// Reads every row of a relation file; problems go to the result's `diags`. Unknown endpoints
/// are reported only when `check_endpoints` (every entity file could be read).
pub(super) fn parse(
    plan: RelationPlan,
    index: &IdIndex,
    check_endpoints: bool,
    progress: &dyn Progress,
) -> ParsedRelations {
    let mut diags = Vec::new();
    let mut store = RecordStore::new();
    let mut rows = Vec::new();
    let mut types = LocalTypes::default();
    let mut problems: Vec<String> = Vec::new();
    // contract: ids and types with spaces around them are read trimmed, with a warning.
    let mut spaced: [(usize, Option<(u64, String)>); 2] = [(0, None), (0, None)];
    let body = Body {
        path: &plan.path,
        source: &plan.source,
        width: plan.width,
    };
    read_rows(
        &body,
        progress,
        (&mut rows, &mut store),
        &mut diags,
        |record, line, rows, store, diags| {
            problems.clear();
            let mut trimmed = |text: &str, which: usize| -> String {
                let bare = text.trim();
                if bare.len() != text.len() {
                    spaced[which].0 += 1;
                    if spaced[which].1.is_none() {
                        spaced[which].1 = Some((line, text.to_owned()));
                    }
                }
                bare.to_owned()
            };
            let from_cell = cell(record, plan.from, "from").map(|id| trimmed(id, 0));
            let type_cell = cell(record, plan.rel_type, "type").map(|t| trimmed(t, 1));
            let to_cell = cell(record, plan.to, "to").map(|id| trimmed(id, 0));
            let endpoint =
                |text: Result<String, String>, name: &str, problems: &mut Vec<String>| {
                    match text {
                        Ok(id) if id.is_empty() => problems.push(format!("empty `{name}`")),
                        Ok(id) => match index.get(&id) {
                            Some(pos) => return Some(pos),
                            None if check_endpoints => {
                                problems.push(format!("column `{name}`: unknown entity `{id}`"));
                            }
                            // The row is dropped all the same: the load fails on the header
                            // problem of an entity file, whose ids would all look unknown.
                            None => {}
                        },
                        Err(problem) => problems.push(problem),
                    }
                    None
                };
            let from = endpoint(from_cell, "from", &mut problems);
            let rel_type = match type_cell {
                Ok(name) if name.is_empty() => {
                    problems.push("empty `type`".to_owned());
                    None
                }
                Ok(name) => types.intern(&name).map_err(|p| problems.push(p)).ok(),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            };
            let to = endpoint(to_cell, "to", &mut problems);
            let mut date = |column: Option<usize>, name: &str| -> Option<PartialDate> {
                let text = match cell(record, column?, name) {
                    Ok(text) => text,
                    Err(problem) => {
                        problems.push(problem);
                        return None;
                    }
                };
                if text.is_empty() {
                    return None;
                }
                PartialDate::parse(text)
                    .map_err(|err| problems.push(format!("column `{name}`: {err}")))
                    .ok()
            };
            let start = date(plan.start, "start");
            let end = date(plan.end, "end");
            if let (Some(start), Some(end)) = (start, end)
                && end.last_day() < start.first_day()
            {
                problems.push(format!("ends (`{end}`) before it starts (`{start}`)"));
            }
            let weight = match plan.weight.map(|i| cell(record, i, "weight")) {
                None | Some(Ok("")) => None,
                Some(Ok(text)) => parse_float(text)
                    .map_err(|err| problems.push(format!("column `weight`: {err}")))
                    .ok(),
                Some(Err(problem)) => {
                    problems.push(problem);
                    None
                }
            };
            let begun = match store.begin_cells() {
                Ok(begun) => begun,
                Err(full) => {
                    diags.push(Diagnostic::line(&plan.path, line, full.to_string()));
                    return false;
                }
            };
            push_attrs(record, &plan.attrs, store, &mut problems);
            match (from, rel_type, to, store.end_cells(begun)) {
                (Some(from), Some(rel_type), Some(to), Ok(attrs)) if problems.is_empty() => {
                    let origin = Origin {
                        file: 0,
                        line: u32::try_from(line).unwrap_or(u32::MAX),
                    };
                    let relation = Relation::new(rel_type, origin, start, end, weight, attrs);
                    rows.push((from, to, relation));
                }
                (.., attrs) => {
                    if let Err(full) = attrs {
                        problems.push(full.to_string());
                    }
                    for problem in problems.drain(..) {
                        diags.push(Diagnostic::line(&plan.path, line, problem));
                    }
                }
            }
            true
        },
    );
    ParsedRelations {
        path: plan.path,
        columns: plan.columns,
        store,
        rows,
        rel_types: types.names,
        diags,
        spaced,
    }
}
