//! Warnings about data that loads but looks wrong: what `ties check` prints after its
//! summary. Each names the file and line it is about.

use std::collections::BTreeMap;

use petgraph::graph::{EdgeIndex, NodeIndex};
use rayon::prelude::*;

use crate::graph::KnowledgeGraph;
use crate::model::date::{Day, PartialDate};
use crate::model::similar::edit_distance;
use crate::model::value::ValueRef;

/// Years before this are taken for typing mistakes (`192` for `1992`).
pub const YEAR_FLOOR: u16 = 1000;

/// Names compared letter by letter for near duplicates only up to this many entities (the
/// comparison is quadratic within groups of similar length); above, only names that are equal
/// once normalised are reported.
pub const NEAR_NAME_LIMIT: usize = 100_000;

/// The kinds of warning, as `[check] allow` in `ties.toml` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// Several entities with the same name.
    SameName,
    /// Names that differ only in case, accents, punctuation, transliteration or one letter.
    SimilarName,
    /// The same relation row twice.
    DuplicateRelation,
    /// A relation from an entity to itself.
    SelfLoop,
    /// An entity with no relation.
    Isolated,
    /// A date after today, or before the year 1000.
    ImplausibleDate,
    /// A kind or relation type that is not an identifier (`knows well`).
    NotIdentifier,
}

impl WarningKind {
    /// Every kind, in the order `check` prints them.
    pub const ALL: [WarningKind; 7] = [
        WarningKind::SameName,
        WarningKind::SimilarName,
        WarningKind::DuplicateRelation,
        WarningKind::SelfLoop,
        WarningKind::Isolated,
        WarningKind::ImplausibleDate,
        WarningKind::NotIdentifier,
    ];

    /// The name in `[check] allow`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::SameName => "same-name",
            WarningKind::SimilarName => "similar-name",
            WarningKind::DuplicateRelation => "duplicate-relation",
            WarningKind::SelfLoop => "self-loop",
            WarningKind::Isolated => "isolated",
            WarningKind::ImplausibleDate => "implausible-date",
            WarningKind::NotIdentifier => "not-identifier",
        }
    }

    /// The heading `check` prints above the group.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            WarningKind::SameName => "same name on several entities",
            WarningKind::SimilarName => "names that look like the same name",
            WarningKind::DuplicateRelation => "relation rows given twice",
            WarningKind::SelfLoop => "relations from an entity to itself",
            WarningKind::Isolated => "entities without any relation",
            WarningKind::ImplausibleDate => "dates after today or before the year 1000",
            WarningKind::NotIdentifier => "kinds and relation types that are not identifiers",
        }
    }

    /// Returns the kind named `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        WarningKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
    }
}

/// One warning: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataWarning {
    /// What kind of problem.
    pub kind: WarningKind,
    /// `path:line` of the row it is about.
    pub origin: String,
    /// What looks wrong.
    pub message: String,
}

/// Returns the warnings about `kg`, grouped by kind, each group in file order; dates are
/// compared with `today`.
#[must_use]
pub fn lint(kg: &KnowledgeGraph, today: Day) -> Vec<DataWarning> {
    let mut warnings = Vec::new();
    same_names(kg, &mut warnings);
    similar_names(kg, &mut warnings);
    duplicate_relations(kg, &mut warnings);
    for edge in kg.graph.edge_indices() {
        let (from, to) = kg.endpoints(edge);
        if from == to {
            warnings.push(DataWarning {
                kind: WarningKind::SelfLoop,
                origin: kg.relation_origin(edge),
                message: format!("`{}` {} itself", kg.id(from), kg.rel_type(edge)),
            });
        }
    }
    for node in kg.graph.node_indices() {
        if kg.graph.neighbors_undirected(node).next().is_none() {
            warnings.push(DataWarning {
                kind: WarningKind::Isolated,
                origin: entity_origin(kg, node),
                message: format!("`{}` has no relation", kg.id(node)),
            });
        }
    }
    implausible_dates(kg, today, &mut warnings);
    // Kinds at their file's header, types at their first row.
    let mut first_of_kind: Vec<Option<NodeIndex>> = vec![None; kg.catalog.kinds.len()];
    for node in kg.graph.node_indices() {
        first_of_kind[usize::from(kg.entity(node).kind)].get_or_insert(node);
    }
    let mut first_of_type: Vec<Option<EdgeIndex>> = vec![None; kg.catalog.rel_types.len()];
    for edge in kg.graph.edge_indices() {
        first_of_type[usize::from(kg.relation(edge).rel_type)].get_or_insert(edge);
    }
    let mut not_identifier = |what: &str, name: &str, origin: String| {
        if !is_identifier(name) {
            warnings.push(DataWarning {
                kind: WarningKind::NotIdentifier,
                origin,
                message: format!(
                    "{what} `{name}` is not an identifier (letters, digits and _), so Cypher needs it in backticks; `{}` would do",
                    as_identifier(name)
                ),
            });
        }
    };
    for (kind, first) in kg.catalog.kinds.iter().zip(&first_of_kind) {
        if let Some(node) = first {
            let file = kg.entity(*node).origin.file;
            not_identifier("kind", kind, format!("{}:1", kg.catalog.file_path(file)));
        }
    }
    for (rel_type, first) in kg.catalog.rel_types.iter().zip(&first_of_type) {
        if let Some(edge) = first {
            not_identifier("relation type", rel_type, kg.relation_origin(*edge));
        }
    }
    warnings.sort_by_key(|w| w.kind);
    warnings
}

fn entity_origin(kg: &KnowledgeGraph, node: NodeIndex) -> String {
    let origin = kg.entity(node).origin;
    format!("{}:{}", kg.catalog.file_path(origin.file), origin.line)
}

/// Entities that have a name of their own (not the id), by that name.
fn named(kg: &KnowledgeGraph) -> impl Iterator<Item = (NodeIndex, &str)> {
    kg.graph
        .node_indices()
        .filter(move |&node| kg.entity(node).name.is_some())
        .map(move |node| (node, kg.name(node)))
}

/// Returns the runs of entities whose `key` is equal, each run in entity order, runs in
/// order of their first entity. Keys are hashed and sorted (16 bytes an entity, not a map of
/// strings), then runs of equal hashes are checked key by key.
fn equal_runs<K: PartialEq + std::hash::Hash>(
    nodes: &[NodeIndex],
    key: impl Fn(NodeIndex) -> K + Sync,
) -> Vec<Vec<NodeIndex>> {
    use std::hash::BuildHasher;
    let fx = rustc_hash::FxBuildHasher;
    let mut hashed: Vec<(u64, NodeIndex)> = nodes
        .par_iter()
        .map(|&node| (fx.hash_one(key(node)), node))
        .collect();
    hashed.par_sort_unstable();
    let mut runs = Vec::new();
    for same_hash in hashed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
    {
        // Equal hashes, then equal keys (a collision splits a run).
        let mut left: Vec<NodeIndex> = same_hash.iter().map(|&(_, node)| node).collect();
        while let Some(&first) = left.first() {
            let first_key = key(first);
            let (equal, rest): (Vec<NodeIndex>, Vec<NodeIndex>) =
                left.iter().partition(|&&node| key(node) == first_key);
            if equal.len() > 1 {
                runs.push(equal);
            }
            left = rest;
        }
    }
    runs.sort();
    runs
}

fn same_names(kg: &KnowledgeGraph, warnings: &mut Vec<DataWarning>) {
    let nodes: Vec<NodeIndex> = named(kg).map(|(node, _)| node).collect();
    for group in equal_runs(&nodes, |node| kg.name(node).trim()) {
        let first = group[0];
        let others: Vec<String> = group[1..]
            .iter()
            .map(|&n| format!("`{}` ({})", kg.id(n), entity_origin(kg, n)))
            .collect();
        warnings.push(DataWarning {
            kind: WarningKind::SameName,
            origin: entity_origin(kg, first),
            message: format!(
                "`{}` (`{}`) is also the name of {}",
                kg.name(first),
                kg.id(first),
                others.join(", ")
            ),
        });
    }
}

/// A name reduced to what spelling variants share: lowercase, accents and punctuation
/// removed, `y` read as `i`, `ph` as `f`, doubled letters as one (Sergey and Sergei,
/// Müller and Muller, Phillip and Filip reduce alike).
#[must_use]
pub fn name_key(name: &str) -> String {
    let mut letters = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = strip_accent(c);
        if c.is_alphanumeric() {
            letters.push(if c == 'y' { 'i' } else { c });
        } else if c.is_whitespace() && !letters.ends_with(' ') && !letters.is_empty() {
            letters.push(' ');
        }
    }
    let letters = letters.trim_end().replace("ph", "f");
    let mut key = String::with_capacity(letters.len());
    for c in letters.chars() {
        if !key.ends_with(c) || !c.is_alphabetic() {
            key.push(c);
        }
    }
    key
}

/// The letter without its accent, for the Latin letters names use most.
fn strip_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

fn similar_names(kg: &KnowledgeGraph, warnings: &mut Vec<DataWarning>) {
    let nodes: Vec<NodeIndex> = named(kg)
        .filter(|&(_, name)| !name_key(name).is_empty())
        .map(|(node, _)| node)
        .collect();
    let mut pairs: Vec<(NodeIndex, NodeIndex)> = Vec::new();
    // Equal keys, different names (same names are the other warning).
    for group in equal_runs(&nodes, |node| name_key(kg.name(node))) {
        for (i, &a) in group.iter().enumerate() {
            if let Some(&b) = group[i + 1..]
                .iter()
                .find(|&&b| kg.name(b).trim() != kg.name(a).trim())
            {
                pairs.push((a, b));
            }
        }
    }
    // Keys one typing mistake apart, for names of 8 letters or more, compared within runs of
    // equal length (± 1); only on smaller data sets, where that stays quick.
    if kg.entity_count() <= NEAR_NAME_LIMIT {
        let mut by_key: BTreeMap<String, NodeIndex> = BTreeMap::new();
        for &node in &nodes {
            by_key.entry(name_key(kg.name(node))).or_insert(node);
        }
        let keys: Vec<(&String, NodeIndex)> = by_key.iter().map(|(k, &v)| (k, v)).collect();
        let mut by_length: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, (key, _)) in keys.iter().enumerate() {
            by_length.entry(key.chars().count()).or_default().push(i);
        }
        for (&length, members) in &by_length {
            if length < 8 || members.len() > 5_000 {
                continue;
            }
            for &i in members {
                let wanted: Vec<char> = keys[i].0.chars().collect();
                for other_length in [length, length + 1] {
                    for &j in by_length.get(&other_length).into_iter().flatten() {
                        if other_length == length && j <= i {
                            continue;
                        }
                        if edit_distance(&wanted, keys[j].0, 1).is_some() {
                            pairs.push((keys[i].1, keys[j].1));
                        }
                    }
                }
            }
        }
    }
    for pair in &mut pairs {
        if pair.1 < pair.0 {
            *pair = (pair.1, pair.0);
        }
    }
    pairs.sort();
    pairs.dedup();
    for (a, b) in pairs {
        warnings.push(DataWarning {
            kind: WarningKind::SimilarName,
            origin: entity_origin(kg, a),
            message: format!(
                "`{}` (`{}`) and `{}` (`{}`, {}) may be one entity",
                kg.name(a),
                kg.id(a),
                kg.name(b),
                kg.id(b),
                entity_origin(kg, b)
            ),
        });
    }
}

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

fn duplicate_relations(kg: &KnowledgeGraph, warnings: &mut Vec<DataWarning>) {
    use std::hash::BuildHasher;
    let fx = rustc_hash::FxBuildHasher;
    // 32-bit hashes sorted, then equal hashes compared row by row. In two passes, each
    // keeping the relations whose hash has one top bit: 4 bytes of hash and 4 of index for
    // half the relations at a time, 20 MB at 5M, so `check` stays within its memory.
    let mut repeats: Vec<(EdgeIndex, EdgeIndex)> = Vec::new();
    for half in [0u32, 1] {
        let mut hashed: Vec<(u32, u32)> = (0..kg.graph.edge_count())
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
        warnings.push(DataWarning {
            kind: WarningKind::DuplicateRelation,
            origin: kg.relation_origin(edge),
            message: format!(
                "`{}` {} `{}` repeats {} cell for cell",
                kg.id(from),
                kg.rel_type(edge),
                kg.id(to),
                kg.relation_origin(first)
            ),
        });
    }
}

fn implausible(date: PartialDate, today: Day) -> Option<&'static str> {
    if date.first_day() > today {
        Some("is after today")
    } else if date.year() < YEAR_FLOOR {
        Some("is before the year 1000")
    } else {
        None
    }
}

fn implausible_dates(kg: &KnowledgeGraph, today: Day, warnings: &mut Vec<DataWarning>) {
    for node in kg.graph.node_indices() {
        for (def, value) in kg.catalog.entity_attrs(kg.entity(node)) {
            let dates: Vec<PartialDate> = match value {
                ValueRef::Date(date) => vec![date],
                ValueRef::List(list) => list
                    .items()
                    .filter_map(|item| match item {
                        ValueRef::Date(date) => Some(date),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for date in dates {
                if let Some(why) = implausible(date, today) {
                    warnings.push(DataWarning {
                        kind: WarningKind::ImplausibleDate,
                        origin: entity_origin(kg, node),
                        message: format!("`{}`: {} `{date}` {why}", kg.id(node), def.name),
                    });
                }
            }
        }
    }
    for edge in kg.graph.edge_indices() {
        let relation = kg.relation(edge);
        for (column, date) in [("start", relation.start), ("end", relation.end)] {
            if let Some(date) = date
                && let Some(why) = implausible(date, today)
            {
                warnings.push(DataWarning {
                    kind: WarningKind::ImplausibleDate,
                    origin: kg.relation_origin(edge),
                    message: format!("{column} `{date}` {why}"),
                });
            }
        }
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

fn as_identifier(name: &str) -> String {
    let mut out: String = name
        .trim()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_share_a_key() {
        assert_eq!(name_key("Sergei Volkov"), name_key("Sergey  Volkov"));
        assert_eq!(name_key("Müller, Anna"), name_key("Muller Anna"));
        assert_eq!(name_key("Phillip"), name_key("Filip"));
        assert_ne!(name_key("Mark Hale"), name_key("Mark Hall"));
    }

    #[test]
    fn every_warning_names_its_row() {
        let kg = KnowledgeGraph::from_csv(
            &[(
                "people",
                "id,name,born:date\nmh1,Mark Hale,1950\nmh2,Mark Hale,\nsv1,Sergei Volkov,\nsv2,Sergey Volkov,2031\nalone,Nobody Here,\nab,Alexandra Bergstrom,\nac,Alexandra Bergstrem,\n",
            )],
            &[(
                "knows",
                "from,type,to,start\nmh1,knows well,mh2,1990\nmh1,knows well,mh2,1990\nsv1,knows well,sv1,\nsv2,knows well,mh1,\nab,knows well,ac,\n",
            )],
            None,
        )
        .unwrap();
        let today = Day::new(2026, 11, 29);
        let found: Vec<(WarningKind, String)> = lint(&kg, today)
            .into_iter()
            .map(|w| (w.kind, w.origin))
            .collect();
        let at = |kind, origin: &str| (kind, origin.to_owned());
        assert_eq!(
            found,
            [
                at(WarningKind::SameName, "entities/people.csv:2"),
                at(WarningKind::SimilarName, "entities/people.csv:4"),
                at(WarningKind::SimilarName, "entities/people.csv:7"),
                at(WarningKind::DuplicateRelation, "relations/knows.csv:3"),
                at(WarningKind::SelfLoop, "relations/knows.csv:4"),
                at(WarningKind::Isolated, "entities/people.csv:6"),
                at(WarningKind::ImplausibleDate, "entities/people.csv:5"),
                at(WarningKind::NotIdentifier, "relations/knows.csv:2"),
            ]
        );
    }
}
