//! The schema `ties.toml` may declare under `[schema]`: which kinds each relation type
//! connects, which cells must be filled, how each relation type lives in time, and which date
//! columns bound an entity's life. Without a declaration nothing is enforced and every relation
//! type is a [`Timing::State`].

use std::collections::BTreeMap;

use crate::model::date::{DayRange, PartialDate};
use crate::model::entity::{RelTypeId, Relation};

/// How relations of one type live in time. This is the one rule behind every time filter
/// (`--as-of`, `--between`, the explorer's slider, the GEXF timeline, `end_to` in exports and
/// Cypher, `path --chronological`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Timing {
    /// In force from `start` until `end`; a missing side is open, so an undated state is
    /// always in force (diplomatic relations, an office held).
    #[default]
    State,
    /// In force only within its own dates: from `start` to `end` when both are given, else the
    /// days of the one given (a visit in `2016-04` is in force during April 2016 only). An
    /// undated event cannot be placed in time and, like an undated state, is never filtered
    /// out.
    Event,
}

impl Timing {
    /// Both timings, in the order `ties schema` lists them.
    pub const ALL: [Timing; 2] = [Timing::State, Timing::Event];

    /// Returns the days a relation with these dates is in force.
    #[must_use]
    pub fn span(self, start: Option<PartialDate>, end: Option<PartialDate>) -> DayRange {
        match self {
            Timing::State => DayRange::of_span(start, end),
            Timing::Event => DayRange::of_span(start.or(end), end.or(start)),
        }
    }

    /// The name `ties.toml` uses: `state` or `event`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Timing::State => "state",
            Timing::Event => "event",
        }
    }

    /// Parses the name `ties.toml` uses.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Timing::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// How each relation type lives in time, by relation type id: what a time filter consults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timings(pub Vec<Timing>);

impl Timings {
    /// Returns how relations of `rel_type` live in time (a state when not declared).
    #[must_use]
    pub fn of(&self, rel_type: RelTypeId) -> Timing {
        self.0
            .get(usize::from(rel_type))
            .copied()
            .unwrap_or_default()
    }

    /// Returns the days `relation` is in force: what every time filter, every exported
    /// `end_to` and the GEXF timeline use.
    #[must_use]
    pub fn span(&self, relation: &Relation) -> DayRange {
        self.of(relation.rel_type)
            .span(relation.start, relation.end)
    }
}

/// What `[schema.types.<type>]` declares about one relation type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypeRule {
    /// Kinds a relation of this type may start at (any when empty).
    pub from: Vec<String>,
    /// Kinds a relation of this type may end at (any when empty).
    pub to: Vec<String>,
    /// Columns every relation of this type fills (`start`, `end`, `weight` or an attribute).
    pub required: Vec<String>,
    /// How the type lives in time.
    pub timing: Timing,
    /// The line of the declaration in `ties.toml`, for messages.
    pub line: u64,
}

/// What `[schema.kinds.<kind>]` declares about one entity kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KindRule {
    /// Columns every entity of this kind fills (`name` or an attribute).
    pub required: Vec<String>,
    /// The date columns where the entity's life begins and ends (`born`, `died`); relations
    /// dated wholly outside it are warned about.
    pub lifetime: Option<(String, String)>,
    /// The line of the declaration in `ties.toml`, for messages.
    pub line: u64,
}

/// The declared schema: empty when `ties.toml` has no `[schema]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// Rules per entity kind.
    pub kinds: BTreeMap<String, KindRule>,
    /// Rules per relation type.
    pub types: BTreeMap<String, TypeRule>,
}

impl Schema {
    /// Returns whether anything is declared.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty() && self.types.is_empty()
    }

    /// Returns how relations of `rel_type` live in time.
    #[must_use]
    pub fn timing(&self, rel_type: &str) -> Timing {
        self.types
            .get(rel_type)
            .map_or_else(Timing::default, |r| r.timing)
    }
}

/// The date columns that bound an entity's life when `ties.toml` does not name them.
pub(crate) const LIFETIME_COLUMNS: [(&str, &str); 2] = [("born", "died"), ("founded", "dissolved")];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Option<PartialDate> {
        PartialDate::parse(text).ok()
    }

    fn days(range: DayRange) -> (Option<String>, Option<String>) {
        (
            range.first.map(|d| d.to_string()),
            range.last.map(|d| d.to_string()),
        )
    }

    #[test]
    fn a_state_runs_until_its_end_and_an_event_only_over_its_dates() {
        let state = Timing::State.span(d("2016-04-12"), None);
        assert_eq!(days(state), (Some("2016-04-12".into()), None));
        let event = Timing::Event.span(d("2016-04-12"), None);
        assert_eq!(
            days(event),
            (Some("2016-04-12".into()), Some("2016-04-12".into()))
        );
        let month = Timing::Event.span(d("2016-04"), None);
        assert_eq!(
            days(month),
            (Some("2016-04-01".into()), Some("2016-04-30".into()))
        );
        let only_end = Timing::Event.span(None, d("1999"));
        assert_eq!(
            days(only_end),
            (Some("1999-01-01".into()), Some("1999-12-31".into()))
        );
        let trip = Timing::Event.span(d("2016-04-12"), d("2016-04-15"));
        assert_eq!(
            days(trip),
            days(Timing::State.span(d("2016-04-12"), d("2016-04-15")))
        );
        assert_eq!(
            Timing::Event.span(None, None),
            Timing::State.span(None, None)
        );
    }

    #[test]
    fn timings_round_trip_their_names() {
        for timing in Timing::ALL {
            assert_eq!(Timing::from_name(timing.name()), Some(timing));
        }
        assert_eq!(Timing::from_name("once"), None);
    }
}
