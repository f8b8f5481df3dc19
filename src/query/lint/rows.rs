//! Relation rows given twice, cell for cell.

use petgraph::graph::{EdgeIndex, NodeIndex};
use rayon::prelude::*;

use super::{DataWarning, WarningKind};
use crate::graph::KnowledgeGraph;
use crate::model::date::PartialDate;
use crate::model::value::ValueRef;

/// What makes two relation rows the same, borrowed from the graph.
#[derive(PartialEq, Hash)]
struct RowKey<'g> {
    from: NodeIndex,
    to: NodeIndex,
    rel_type: u16,
    start: Option<PartialDate>,
    end: Option<PartialDate>,
    weight: Option<u64>,
    cells: Vec<(crate::model::store::AttrId, CellKey<'g>)>,
}

/// A cell, comparable and hashable (floats by their bits).
#[derive(PartialEq, Hash)]
enum CellKey<'g> {
    Text(&'g str),
    Int(i64),
    Float(u64),
    Bool(bool),
    Date(PartialDate),
}

fn row_key(kg: &KnowledgeGraph, edge: EdgeIndex) -> RowKey<'_> {
    let relation = kg.relation(edge);
    let (from, to) = kg.endpoints(edge);
    RowKey {
        from,
        to,
        rel_type: relation.rel_type,
        start: relation.start,
        end: relation.end,
        weight: relation.weight().map(f64::to_bits),
        cells: kg
            .catalog
            .relation_cells(relation)
            .map(|(attr, value)| {
                let cell = match value {
                    ValueRef::Str(text) => CellKey::Text(text),
                    ValueRef::List(list) => CellKey::Text(list.text),
                    ValueRef::Int(n) => CellKey::Int(n),
                    ValueRef::Float(x) => CellKey::Float(x.to_bits()),
                    ValueRef::Bool(b) => CellKey::Bool(b),
                    ValueRef::Date(d) => CellKey::Date(d),
                };
                (attr, cell)
            })
            .collect(),
    }
}

pub(super) fn duplicate_relations(kg: &KnowledgeGraph, warnings: &mut Vec<DataWarning>) {
    use std::hash::BuildHasher;
    let fx = rustc_hash::FxBuildHasher;
    // 32-bit hashes sorted, then equal hashes compared row by row. In two passes, each
    // keeping the relations whose hash has one top bit: 4 bytes of hash and 4 of index for
    // half the relations at a time, 20 MB at 5M, so `check` stays within its memory.
    let mut repeats: Vec<(EdgeIndex, EdgeIndex)> = Vec::new();
    for half in [0u32, 1] {
        let mut hashed: Vec<(u32, u32)> = (0..kg.relation_count())
            .into_par_iter()
            .filter_map(|i| {
                let hash = fx.hash_one(row_key(kg, EdgeIndex::new(i)));
                let short = u32::try_from(hash >> 32).expect("shifted to 32 bits");
                (short >> 31 == half)
                    .then(|| (short, u32::try_from(i).expect("fewer than 4 G relations")))
            })
            .collect();
        hashed.par_sort_unstable();
        for run in hashed
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1)
        {
            for (k, &(_, later)) in run.iter().enumerate().skip(1) {
                let later = EdgeIndex::new(later as usize);
                let key = row_key(kg, later);
                if let Some(&(_, first)) = run[..k]
                    .iter()
                    .find(|&&(_, earlier)| row_key(kg, EdgeIndex::new(earlier as usize)) == key)
                {
                    repeats.push((later, EdgeIndex::new(first as usize)));
                }
            }
        }
    }
    repeats.sort();
    for (edge, first) in repeats {
        let (from, to) = kg.endpoints(edge);
        let mut warning = DataWarning::about_relation(
            WarningKind::DuplicateRelation,
            kg,
            edge,
            format!(
                "`{}` {} `{}` repeats {} cell for cell",
                kg.id(from),
                kg.rel_type(edge),
                kg.id(to),
                kg.relation_origin(first)
            ),
        );
        warning.relations.push(first);
        warnings.push(warning);
    }
}
