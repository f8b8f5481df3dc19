//! Entity files: `id` (required, unique across all files), `name` (optional), attributes.

use super::{
    AttrColumn, AttrColumns, Body, Diagnostic, Progress, Source, cell, column_label, open_csv,
    push_attrs, read_rows,
};
use crate::load::header::{check_fixed_type, parse_header, require};
use crate::model::entity::{Entity, KindId, Origin};
use crate::model::store::RecordStore;
use crate::model::value::ColumnType;

/// How to read the body of one entity file, decided from its header.
pub(super) struct EntityPlan {
    path: String,
    source: Source,
    kind: KindId,
    id: usize,
    name: Option<usize>,
    attrs: Vec<AttrColumn>,
    width: usize,
    columns: Vec<String>,
}

/// An entity file's rows, with `origin.file` still to be set by the caller.
pub(super) struct ParsedEntities {
    pub path: String,
    pub columns: Vec<String>,
    pub store: RecordStore,
    pub rows: Vec<Entity>,
    /// The rows with a problem whose id could be read: indexed all the same, so that their
    /// relations are not reported again as pointing at an unknown entity.
    pub broken: Vec<Entity>,
    pub diags: Vec<Diagnostic>,
    /// Whether every row was read (not so when the file stopped being UTF-8 half-way).
    pub complete: bool,
    /// Ids written with spaces around them, read trimmed: how many, and the first.
    pub spaced_ids: (usize, Option<(u64, String)>),
}

impl ParsedEntities {
    /// Stands in for a file whose header had problems, so file ids stay aligned.
    pub(super) fn unread(path: String) -> Self {
        ParsedEntities {
            path,
            columns: Vec::new(),
            store: RecordStore::new(),
            rows: Vec::new(),
            broken: Vec::new(),
            diags: Vec::new(),
            complete: false,
            spaced_ids: (0, None),
        }
    }
}

/// Reads the header of an entity file; `None` when it has problems (reported in `diags`).
pub(super) fn plan(
    path: String,
    source: Source,
    kind: KindId,
    attrs: &mut AttrColumns,
    diags: &mut Vec<Diagnostic>,
) -> Option<EntityPlan> {
    let before = diags.len();
    let (_, header) = open_csv(&path, &source, diags)?;
    let columns = parse_header(&path, &header, diags);
    let id = require(&path, &columns, "id", diags);
    let name = columns.iter().position(|c| c.name == "name");
    let mut attr_columns = Vec::new();
    for (position, column) in columns.iter().enumerate() {
        if column.name == "id" || column.name == "name" {
            check_fixed_type(&path, column, ColumnType::STRING, diags);
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
    Some(EntityPlan {
        path,
        source,
        kind,
        id: id?,
        name,
        attrs: attr_columns,
        width: columns.len(),
        columns: columns.into_iter().map(|c| c.name).collect(),
    })
}

/// Reads every row of an entity file; problems go to the result's `diags`.
pub(super) fn parse(plan: EntityPlan, progress: &dyn Progress) -> ParsedEntities {
    let mut diags = Vec::new();
    let mut store = RecordStore::new();
    let mut rows = Vec::new();
    let mut broken = Vec::new();
    let mut problems = Vec::new();
    let mut spaced_ids = (0, None);
    let body = Body {
        path: &plan.path,
        source: &plan.source,
        width: plan.width,
    };
    let complete = read_rows(
        &body,
        progress,
        (&mut rows, &mut store),
        &mut diags,
        |record, line, rows, store, diags| {
            problems.clear();
            let cells_begun = store.begin_cells();
            let id = match cell(record, plan.id, "id") {
                Ok(id) if id.trim().is_empty() => Err("empty id".to_owned()),
                Ok(id) => {
                    // contract: an id with spaces around it is read trimmed, with a warning
                    // (a spreadsheet's stray space would otherwise make `us ` another `us`).
                    let trimmed = id.trim();
                    if trimmed.len() != id.len() {
                        spaced_ids.0 += 1;
                        if spaced_ids.1.is_none() {
                            spaced_ids.1 = Some((line, id.to_owned()));
                        }
                    }
                    store.push_text(trimmed).map_err(|full| full.to_string())
                }
                Err(problem) => Err(problem),
            };
            let name = match plan.name.map(|i| cell(record, i, "name")) {
                None | Some(Ok("")) => Ok(None),
                Some(Ok(name)) => store
                    .push_text(name)
                    .map(Some)
                    .map_err(|full| full.to_string()),
                Some(Err(problem)) => Err(problem),
            };
            let begun = match cells_begun {
                Ok(begun) => begun,
                Err(full) => {
                    diags.push(Diagnostic::line(&plan.path, line, full.to_string()));
                    return false;
                }
            };
            push_attrs(record, &plan.attrs, store, &mut problems);
            let attrs = store.end_cells(begun);
            let origin = Origin {
                file: 0,
                line: u32::try_from(line).unwrap_or(u32::MAX),
            };
            match (id, name, attrs) {
                (Ok(id), Ok(name), Ok(attrs)) if problems.is_empty() => rows.push(Entity {
                    id,
                    name,
                    kind: plan.kind,
                    attrs,
                    origin,
                }),
                (id, name, attrs) => {
                    // contract: no cascades. The row's id is still known, so its relations
                    // are checked against it and only the real problem is reported.
                    if let Ok(id) = id {
                        broken.push(Entity {
                            id,
                            name: None,
                            kind: plan.kind,
                            attrs: crate::model::store::CellSpan::default(),
                            origin,
                        });
                    }
                    let mut all: Vec<String> =
                        [id.err(), name.err(), attrs.err().map(|e| e.to_string())]
                            .into_iter()
                            .flatten()
                            .collect();
                    all.append(&mut problems);
                    for problem in all {
                        diags.push(Diagnostic::line(&plan.path, line, problem));
                    }
                }
            }
            true
        },
    );
    ParsedEntities {
        path: plan.path,
        columns: plan.columns,
        store,
        rows,
        broken,
        diags,
        complete,
        spaced_ids,
    }
}
