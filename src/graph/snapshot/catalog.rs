//! The catalog section: names, columns, files and load warnings, and the counts the other
//! sections are checked against.

use std::path::Path;

use super::{display, done};
use crate::graph::KnowledgeGraph;
use crate::load::Diagnostic;
use crate::model::bytes::{Malformed, Reader, Writer};
use crate::model::entity::{AttrDef, Catalog, SourceFile, Store};
use crate::model::value::ColumnType;

/// What the catalog counts: entities, relations, and the cells of each file.
pub(super) struct Counts {
    pub entities: usize,
    pub relations: usize,
    pub cells: Vec<usize>,
}

/// Writes the catalog section: the folder as spelled when loading (so that paths in messages
/// follow the spelling of a later command), names, columns, files and load warnings.
pub(super) fn write_catalog(kg: &KnowledgeGraph, dir: &Path, out: &mut Writer) {
    let catalog = &kg.catalog;
    out.str(&display(dir));
    out.strs(catalog.kinds.iter().map(String::as_str));
    out.strs(catalog.rel_types.iter().map(String::as_str));
    for attrs in [&catalog.entity_attrs, &catalog.relation_attrs] {
        out.len(attrs.len());
        for attr in attrs {
            out.str(&attr.name);
            out.str(&attr.column_type.to_string());
        }
    }
    out.len(catalog.files.len());
    for file in &catalog.files {
        out.str(&file.path);
        out.str(&file.relative);
        out.strs(file.columns.iter().map(String::as_str));
        out.len(file.store.get().cell_count());
    }
    out.len(kg.warnings.len());
    for warning in &kg.warnings {
        out.str(&warning.path);
        out.u64(warning.line.map_or(0, |line| line + 1));
        out.str(&warning.message);
    }
    out.len(kg.entity_count());
    out.len(kg.relation_count());
}

pub(super) fn read_catalog(
    mut input: Reader<'_>,
    dir: &Path,
) -> Result<(Catalog, Vec<Diagnostic>, Counts), Malformed> {
    let written = input.str()?.to_owned();
    let now = display(dir);
    // Paths start with the folder as the loading command spelled it; give them this one's.
    let respell = |path: &str| match path.strip_prefix(written.as_str()) {
        Some(rest) => format!("{now}{rest}"),
        None => path.to_owned(),
    };
    let mut catalog = Catalog {
        kinds: input.strs()?,
        rel_types: input.strs()?,
        ..Catalog::default()
    };
    if catalog.kinds.len() > usize::from(u16::MAX)
        || catalog.rel_types.len() > usize::from(u16::MAX)
    {
        return Err(Malformed("more kinds or types than ids"));
    }
    for attrs in [&mut catalog.entity_attrs, &mut catalog.relation_attrs] {
        let count = input.len(16)?;
        for _ in 0..count {
            let name = input.str()?.to_owned();
            let column_type = ColumnType::parse_suffix(input.str()?)
                .ok_or(Malformed("an unknown column type"))?;
            attrs.push(AttrDef { name, column_type });
        }
    }
    let files = input.len(32)?;
    if files < catalog.kinds.len() || files > usize::from(u16::MAX) {
        return Err(Malformed("fewer files than kinds"));
    }
    let mut cells = Vec::with_capacity(files);
    for _ in 0..files {
        catalog.files.push(SourceFile {
            path: respell(input.str()?),
            relative: input.str()?.to_owned(),
            store: Store::default(),
            columns: input.strs()?,
        });
        cells.push(usize::try_from(input.u64()?).map_err(|_| Malformed("a cell count too large"))?);
    }
    let count = input.len(24)?;
    let mut warnings = Vec::with_capacity(count);
    for _ in 0..count {
        let path = respell(input.str()?);
        let line = input.u64()?.checked_sub(1);
        warnings.push(Diagnostic {
            path,
            line,
            message: input.str()?.to_owned(),
        });
    }
    let too_many = |_| Malformed("more than 4 G entities or relations");
    let entities = usize::try_from(input.u64()?).map_err(too_many)?;
    let relations = usize::try_from(input.u64()?).map_err(too_many)?;
    if u32::try_from(entities).is_err() || u32::try_from(relations).is_err() {
        return Err(Malformed("more than 4 G entities or relations"));
    }
    done(&input)?;
    Ok((
        catalog,
        warnings,
        Counts {
            entities,
            relations,
            cells,
        },
    ))
}
