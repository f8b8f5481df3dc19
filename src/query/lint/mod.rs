//! Warnings about data that loads but looks wrong: what `ties check` prints after its
//! summary. Each names the file and line it is about.

mod dates;
mod names;
mod rows;

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::graph::KnowledgeGraph;
use crate::load::config::toml_key;
use crate::model::date::Day;

/// Years before this are taken for typing mistakes (`192` for `1992`).
pub const YEAR_FLOOR: u16 = 1000;

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
    /// A relation dated wholly outside the life of an entity it joins.
    OutsideLifetime,
    /// A relation type the schema in `ties.toml` does not declare, when it declares some.
    UndeclaredType,
}

impl WarningKind {
    /// Every kind, in the order `check` prints them.
    pub const ALL: [WarningKind; 9] = [
        WarningKind::SameName,
        WarningKind::SimilarName,
        WarningKind::DuplicateRelation,
        WarningKind::SelfLoop,
        WarningKind::Isolated,
        WarningKind::ImplausibleDate,
        WarningKind::NotIdentifier,
        WarningKind::OutsideLifetime,
        WarningKind::UndeclaredType,
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
            WarningKind::OutsideLifetime => "outside-lifetime",
            WarningKind::UndeclaredType => "undeclared-type",
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
            WarningKind::OutsideLifetime => "relations dated outside an entity's lifetime",
            WarningKind::UndeclaredType => "relation types the schema does not declare",
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
    /// The entities it is about, the one at `origin` first (every one, where the message
    /// names only the first few).
    pub entities: Vec<NodeIndex>,
    /// The relations it is about, the one at `origin` first.
    pub relations: Vec<EdgeIndex>,
}

impl DataWarning {
    /// Returns a warning about the entity at `node`, at its row.
    pub(crate) fn about_entity(
        kind: WarningKind,
        kg: &KnowledgeGraph,
        node: NodeIndex,
        message: String,
    ) -> Self {
        DataWarning {
            kind,
            origin: entity_origin(kg, node),
            message,
            entities: vec![node],
            relations: Vec::new(),
        }
    }

    /// Returns a warning about the relation at `edge` (and its ends), at its row.
    pub(crate) fn about_relation(
        kind: WarningKind,
        kg: &KnowledgeGraph,
        edge: EdgeIndex,
        message: String,
    ) -> Self {
        let (from, to) = kg.endpoints(edge);
        let mut entities = vec![from, to];
        entities.dedup();
        DataWarning {
            kind,
            origin: kg.relation_origin(edge),
            message,
            entities,
            relations: vec![edge],
        }
    }
}

/// Returns the warnings about `kg`, grouped by kind, each group in file order; dates are
/// compared with `today`.
#[must_use]
pub fn lint(kg: &KnowledgeGraph, today: Day) -> Vec<DataWarning> {
    let mut warnings = Vec::new();
    names::names(kg, &mut warnings);
    rows::duplicate_relations(kg, &mut warnings);
    for edge in kg.edge_indices() {
        let (from, to) = kg.endpoints(edge);
        if from == to {
            warnings.push(DataWarning::about_relation(
                WarningKind::SelfLoop,
                kg,
                edge,
                format!("`{}` {} itself", kg.id(from), kg.rel_type(edge)),
            ));
        }
    }
    for node in kg.node_indices() {
        if kg.degree(node) == 0 {
            warnings.push(DataWarning::about_entity(
                WarningKind::Isolated,
                kg,
                node,
                format!("`{}` has no relation", kg.id(node)),
            ));
        }
    }
    dates::implausible_dates(kg, today, &mut warnings);
    dates::outside_lifetimes(kg, &mut warnings);
    // Kinds at their file's header, types at their first row.
    let mut first_of_kind: Vec<Option<NodeIndex>> = vec![None; kg.catalog.kinds.len()];
    for node in kg.node_indices() {
        first_of_kind[usize::from(kg.entity(node).kind)].get_or_insert(node);
    }
    let mut first_of_type: Vec<Option<EdgeIndex>> = vec![None; kg.catalog.rel_types.len()];
    for edge in kg.edge_indices() {
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
                entities: Vec::new(),
                relations: Vec::new(),
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
    if !kg.schema.types.is_empty() {
        for (rel_type, first) in kg.catalog.rel_types.iter().zip(&first_of_type) {
            if let Some(edge) = first
                && !kg.schema.types.contains_key(rel_type)
            {
                warnings.push(DataWarning::about_relation(
                    WarningKind::UndeclaredType,
                    kg,
                    *edge,
                    format!(
                        "relation type `{rel_type}` has no [schema.types.{}] in ties.toml",
                        toml_key(rel_type)
                    ),
                ));
            }
        }
    }
    warnings.sort_by_key(|w| w.kind);
    warnings
}

pub(super) fn entity_origin(kg: &KnowledgeGraph, node: NodeIndex) -> String {
    let origin = kg.entity(node).origin;
    format!("{}:{}", kg.catalog.file_path(origin.file), origin.line)
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
    fn every_warning_names_its_row() {
        let kg = KnowledgeGraph::from_csv(
            &[(
                "people",
                "id,name,born:date,died:date\nmh1,Mark Hale,1950,1985\nmh2,Mark Hale,,\nsv1,Sergei Volkov,,\nsv2,Sergey Volkov,2031,\nalone,Nobody Here,,\nab,Alexandra Bergstrom,,\nac,Alexandra Bergstrem,,\n",
            )],
            &[(
                "knows",
                "from,type,to,start\nmh1,knows well,mh2,1990\nmh1,knows well,mh2,1990\nsv1,knows well,sv1,\nsv2,knows well,mh1,\nab,knows well,ac,\nab,met,ac,1980\n",
            )],
            Some("[schema.types.met]\ntime = \"event\"\n"),
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
                at(WarningKind::OutsideLifetime, "relations/knows.csv:2"),
                at(WarningKind::OutsideLifetime, "relations/knows.csv:3"),
                at(WarningKind::UndeclaredType, "relations/knows.csv:2"),
            ]
        );
    }
}
