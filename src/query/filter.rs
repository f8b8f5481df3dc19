//! Which relations and entities a search may use: types, kinds, excluded entities, time.
//!
//! One [`Filter`] serves `path`, `neighbors`, the views of `export`/`render` and the Cypher
//! engine, so that `--types`, `--kinds`, `--exclude`, `--as-of`, `--between` and `--directed`
//! mean the same everywhere.

use std::fmt;

use petgraph::graph::NodeIndex;

use crate::graph::KnowledgeGraph;
use crate::graph::resolve::ResolveError;
use crate::model::date::{DayRange, PartialDate};
use crate::model::entity::{Entity, Relation};
use crate::model::schema::Timings;

/// A time selection on relations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFilter {
    /// Relations in force at some point of this partial date (`--as-of 1992` keeps a relation
    /// that started in 1992-08): their span overlaps the date's days.
    AsOf(PartialDate),
    /// Relations whose span overlaps `first..=last` (either side open).
    Between(Option<PartialDate>, Option<PartialDate>),
}

impl TimeFilter {
    /// Returns the days this selection covers.
    #[must_use]
    pub fn days(self) -> DayRange {
        match self {
            TimeFilter::AsOf(date) => DayRange {
                first: Some(date.first_day()),
                last: Some(date.last_day()),
            },
            TimeFilter::Between(first, last) => DayRange {
                first: first.map(PartialDate::first_day),
                last: last.map(PartialDate::last_day),
            },
        }
    }

    /// Parses `FROM..TO`, either side may be empty (`1992..`, `..2000`).
    ///
    /// # Errors
    /// Returns a message naming the problem.
    pub fn parse_between(text: &str) -> Result<Self, String> {
        let (first, last) = text
            .split_once("..")
            .ok_or_else(|| format!("`{text}` is not a range (use FROM..TO, as in 1992..2000)"))?;
        let date = |part: &str| -> Result<Option<PartialDate>, String> {
            if part.is_empty() {
                Ok(None)
            } else {
                PartialDate::parse(part)
                    .map(Some)
                    .map_err(|err| err.to_string())
            }
        };
        let (first, last) = (date(first)?, date(last)?);
        if let (Some(a), Some(b)) = (first, last)
            && b.last_day() < a.first_day()
        {
            return Err(format!("`{text}` ends before it starts"));
        }
        Ok(TimeFilter::Between(first, last))
    }
}

impl fmt::Display for TimeFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeFilter::AsOf(date) => write!(f, "as of {date}"),
            TimeFilter::Between(first, last) => {
                let side = |d: &Option<PartialDate>| d.map(|d| d.to_string()).unwrap_or_default();
                write!(f, "between {}..{}", side(first), side(last))
            }
        }
    }
}

/// The filter as names, before they are checked against a graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterSpec {
    /// Only relations of these types (all when empty).
    pub rel_types: Vec<String>,
    /// Only entities of these kinds inside a path (all when empty); endpoints are exempt.
    pub kinds: Vec<String>,
    /// Never pass through these entities (ids or names).
    pub exclude: Vec<String>,
    /// Only relations in force at this time.
    pub time: Option<TimeFilter>,
    /// Follow relations only from `from` to `to`.
    pub directed: bool,
}

/// Why a [`FilterSpec`] does not fit the graph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FilterError {
    /// A `--types` name no relation has.
    #[error("unknown relation type `{name}` (known: {known})")]
    UnknownType {
        /// The name given.
        name: String,
        /// The types in the data, comma-separated.
        known: String,
    },
    /// A `--kinds` name no entity file has.
    #[error("unknown entity kind `{name}` (known: {known})")]
    UnknownKind {
        /// The name given.
        name: String,
        /// The kinds in the data, comma-separated.
        known: String,
    },
    /// An `--exclude` entry that is not one entity.
    #[error(transparent)]
    Exclude(#[from] ResolveError),
}

/// A filter resolved against one graph: cheap per-relation and per-entity checks.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    rel_types: Option<Vec<bool>>,
    kinds: Option<Vec<bool>>,
    exclude: Vec<NodeIndex>,
    time: Option<DayRange>,
    /// How each relation type lives in time (the graph's catalog's).
    timings: Timings,
    /// Follow relations only in their stored direction.
    pub directed: bool,
}

impl Filter {
    /// Resolves names in `spec` against `kg`.
    ///
    /// # Errors
    /// An unknown type or kind, or an `--exclude` that names no single entity.
    pub fn new(kg: &KnowledgeGraph, spec: &FilterSpec) -> Result<Self, FilterError> {
        let rel_types = if spec.rel_types.is_empty() {
            None
        } else {
            let mut allowed = vec![false; kg.catalog.rel_types.len()];
            for name in &spec.rel_types {
                let i = kg
                    .catalog
                    .rel_types
                    .iter()
                    .position(|t| t == name)
                    .ok_or_else(|| FilterError::UnknownType {
                        name: name.clone(),
                        known: kg.catalog.rel_types.join(", "),
                    })?;
                allowed[i] = true;
            }
            Some(allowed)
        };
        let kinds = if spec.kinds.is_empty() {
            None
        } else {
            let mut allowed = vec![false; kg.catalog.kinds.len()];
            for name in &spec.kinds {
                let i = kg
                    .catalog
                    .kinds
                    .iter()
                    .position(|k| k == name || kg.style.kind_label(k) == name)
                    .ok_or_else(|| FilterError::UnknownKind {
                        name: name.clone(),
                        known: kg.catalog.kinds.join(", "),
                    })?;
                allowed[i] = true;
            }
            Some(allowed)
        };
        let mut exclude = spec
            .exclude
            .iter()
            .map(|text| kg.resolve(text))
            .collect::<Result<Vec<_>, _>>()?;
        exclude.sort_unstable();
        exclude.dedup();
        Ok(Filter {
            rel_types,
            kinds,
            exclude,
            time: spec.time.map(TimeFilter::days),
            timings: kg.catalog.timings.clone(),
            directed: spec.directed,
        })
    }

    /// Returns a filter that lets everything through, undirected.
    #[must_use]
    pub fn everything() -> Self {
        Filter::default()
    }

    /// Returns whether the filter restricts relations at all (a fast path skips the checks).
    #[must_use]
    pub fn filters_relations(&self) -> bool {
        self.rel_types.is_some() || self.time.is_some()
    }

    /// Returns whether the filter restricts inner entities at all.
    #[must_use]
    pub fn filters_entities(&self) -> bool {
        self.kinds.is_some() || !self.exclude.is_empty()
    }

    /// Returns whether a search may use `relation`.
    #[must_use]
    pub fn allows_relation(&self, relation: &Relation) -> bool {
        if let Some(allowed) = &self.rel_types
            && !allowed[usize::from(relation.rel_type)]
        {
            return false;
        }
        match self.time {
            Some(days) => self.timings.span(relation).overlaps(days),
            None => true,
        }
    }

    /// Returns whether a path may pass through `entity` at `node` (endpoints are not asked).
    #[must_use]
    pub fn allows_inner(&self, node: NodeIndex, entity: &Entity) -> bool {
        if let Some(allowed) = &self.kinds
            && !allowed[usize::from(entity.kind)]
        {
            return false;
        }
        self.exclude.binary_search(&node).is_err()
    }

    /// Returns whether an entity belongs to a view (kind and exclusion, endpoints included).
    #[must_use]
    pub fn allows_entity(&self, node: NodeIndex, entity: &Entity) -> bool {
        self.allows_inner(node, entity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entity::Origin;
    use crate::model::schema::Timing;
    use crate::model::store::CellSpan;

    fn d(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    fn relation(start: Option<&str>, end: Option<&str>) -> Relation {
        Relation::new(
            0,
            Origin { file: 0, line: 2 },
            start.map(d),
            end.map(d),
            None,
            CellSpan::default(),
        )
    }

    fn time_filter(time: TimeFilter) -> Filter {
        Filter {
            time: Some(time.days()),
            ..Filter::default()
        }
    }

    #[test]
    fn as_of_compares_partial_dates_as_intervals() {
        let as_of_1992 = time_filter(TimeFilter::AsOf(d("1992")));
        assert!(as_of_1992.allows_relation(&relation(Some("1992-08"), None)));
        assert!(
            as_of_1992.allows_relation(&relation(None, None)),
            "undated counts as always"
        );
        assert!(as_of_1992.allows_relation(&relation(Some("1990"), Some("1992-01"))));
        assert!(!as_of_1992.allows_relation(&relation(Some("1993"), None)));
        assert!(!as_of_1992.allows_relation(&relation(None, Some("1991-12-31"))));
        let as_of_day = time_filter(TimeFilter::AsOf(d("1992-07-31")));
        assert!(!as_of_day.allows_relation(&relation(Some("1992-08"), None)));
    }

    #[test]
    fn an_event_is_in_force_on_its_dates_only() {
        let mut as_of_2017 = time_filter(TimeFilter::AsOf(d("2017")));
        let met = relation(Some("2016-04-12"), None);
        assert!(as_of_2017.allows_relation(&met), "a state runs on");
        as_of_2017.timings = Timings(vec![Timing::Event]);
        assert!(!as_of_2017.allows_relation(&met), "an event does not");
        assert!(as_of_2017.allows_relation(&relation(Some("2017-03"), None)));
        assert!(as_of_2017.allows_relation(&relation(None, None)));
    }

    #[test]
    fn between_keeps_overlapping_spans() {
        let range = TimeFilter::parse_between("2000..2010").unwrap();
        let f = time_filter(range);
        assert!(f.allows_relation(&relation(Some("1995"), Some("2000-01"))));
        assert!(f.allows_relation(&relation(Some("2010-12-31"), None)));
        assert!(!f.allows_relation(&relation(Some("2011"), None)));
        assert!(!f.allows_relation(&relation(None, Some("1999"))));
        let open = time_filter(TimeFilter::parse_between("..1999").unwrap());
        assert!(open.allows_relation(&relation(Some("1995"), None)));
        assert!(!open.allows_relation(&relation(Some("2000"), None)));
        assert!(TimeFilter::parse_between("2000").is_err());
        assert!(TimeFilter::parse_between("2010..2000").is_err());
        assert!(TimeFilter::parse_between("2000..20x").is_err());
    }
}
