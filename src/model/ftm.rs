//! The FollowTheMoney (FtM) model: its schemata, their properties and which of them are
//! edges, as `ties import ftm` and `ties export --format ftm` need them.
//!
//! The model is `ftm_model.json`, written by `scripts/ftm_model.py` from the `followthemoney`
//! package (version in the file; MIT licence in `LICENSE.followthemoney`), and embedded in
//! the binary so that neither command needs Python. Every schema lists all its properties,
//! inherited ones included, reverse (stub) ones marked.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Deserialize;

/// The model as `scripts/ftm_model.py` writes it.
const MODEL_JSON: &str = include_str!("ftm_model.json");

/// The longest entity id FtM accepts (`followthemoney.util.ENTITY_ID_LEN`).
pub const MAX_ID_LEN: usize = 200;

/// The FtM schemata by name.
#[derive(Debug, Deserialize)]
pub struct Model {
    /// The `followthemoney` version the model was taken from.
    pub version: String,
    /// Every schema, by name.
    pub schemata: BTreeMap<String, Schema>,
}

/// One schema (`Person`, `Ownership`, ...).
#[derive(Debug, Deserialize)]
pub struct Schema {
    /// The schemata it extends directly.
    pub extends: Vec<String>,
    /// Whether entities may not have it (`Thing`, `LegalEntity` may; `Interval` may not).
    #[serde(rename = "abstract")]
    pub is_abstract: bool,
    /// The properties that name an entity, in the order FtM tries them.
    pub caption: Vec<String>,
    /// The two properties that make an entity of the schema an edge, when it is one.
    pub edge: Option<Edge>,
    /// Every property, inherited ones included.
    pub properties: BTreeMap<String, Property>,
}

/// The ends of an edge schema: `Ownership` runs from `owner` to `asset`.
#[derive(Debug, Deserialize)]
pub struct Edge {
    /// The property holding the edge's start.
    pub source: String,
    /// The property holding the edge's end.
    pub target: String,
    /// Whether the edge has a direction (an `Associate` has none).
    pub directed: bool,
}

/// One property of a schema.
#[derive(Debug, Deserialize)]
pub struct Property {
    /// Its FtM type: `name`, `date`, `entity`, `country`, `number`, `string`, ...
    #[serde(rename = "type")]
    pub value_type: String,
    /// For an `entity` property, the schema its values must have.
    pub range: Option<String>,
    /// Whether it is a reverse property (`ownershipOwner` on a person), which entities do not
    /// carry but OpenSanctions' nested exports put adjacent entities under.
    #[serde(default)]
    pub stub: bool,
    /// For a reverse property, the property of the other schema it mirrors (`owner`).
    pub reverse: Option<String>,
}

impl Property {
    /// Whether its values are ids of other entities.
    #[must_use]
    pub fn is_entity(&self) -> bool {
        self.value_type == "entity"
    }
}

/// Returns the model, parsed on first use.
///
/// # Panics
/// Only if the embedded `ftm_model.json` is not the JSON `scripts/ftm_model.py` writes, which
/// a unit test rules out.
#[must_use]
pub fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| serde_json::from_str(MODEL_JSON).expect("ftm_model.json parses"))
}

impl Model {
    /// Returns the schema named `name`.
    #[must_use]
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemata.get(name)
    }

    /// Whether `schema` is `ancestor` or extends it, directly or not.
    #[must_use]
    pub fn is_a(&self, schema: &str, ancestor: &str) -> bool {
        if schema == ancestor {
            return true;
        }
        self.schema(schema).is_some_and(|found| {
            found
                .extends
                .iter()
                .any(|parent| self.is_a(parent, ancestor))
        })
    }

    /// The narrower of two schemata, when one extends the other: what fragments of one entity
    /// declared as `LegalEntity` in one place and `Person` in another are (FtM's
    /// `common_schema`).
    #[must_use]
    pub fn common<'a>(&self, left: &'a str, right: &'a str) -> Option<&'a str> {
        if self.is_a(left, right) {
            Some(left)
        } else if self.is_a(right, left) {
            Some(right)
        } else {
            None
        }
    }

    /// The schema named most like `name` (case ignored), for "did you mean" hints.
    #[must_use]
    pub fn closest(&self, name: &str) -> Option<&str> {
        self.schemata
            .keys()
            .find(|known| known.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }
}

/// Whether `id` is an entity id FtM accepts as it is: ASCII letters and digits with `.` and `-`
/// inside, at most [`MAX_ID_LEN`] characters (`followthemoney.types.entity`).
#[must_use]
pub fn is_valid_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    let inner = |b: &u8| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'-';
    !bytes.is_empty()
        && bytes.len() <= MAX_ID_LEN
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes.iter().all(inner)
}

/// The prefix of every id [`entity_id`] has to rewrite. Valid ids that happen to start with it
/// are rewritten too, which keeps the mapping injective.
const REWRITTEN: &str = "t--";

/// Returns the FtM id of a `ties` id: the id itself when FtM accepts it, else a rewriting of it
/// that FtM accepts.
///
/// The rewriting is stable and injective: `t--`, then every ASCII letter and digit as it is
/// and every other byte as `-` and two hex digits; past 200 characters, the first 150 and the
/// SHA-1 of the whole id. Ids FtM accepts that start with `t--` are rewritten too, so no
/// rewritten id is also some other id left as it is.
#[must_use]
pub fn entity_id(id: &str) -> Cow<'_, str> {
    if is_valid_id(id) && !id.starts_with(REWRITTEN) {
        return Cow::Borrowed(id);
    }
    let mut out = String::from(REWRITTEN);
    if id.is_empty() {
        // `ties` ids are never empty; this keeps the function total. No other id encodes to
        // `0`: the id `0` is valid and stays as it is.
        out.push('0');
    }
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "-{byte:02x}");
        }
    }
    if out.len() > MAX_ID_LEN {
        let digest = sha1_smol::Sha1::from(id.as_bytes()).digest().to_string();
        // Every byte of `out` is ASCII, so any cut is at a character boundary.
        out.truncate(150);
        out.push('-');
        out.push_str(&digest);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_parses_and_knows_its_edges() {
        let model = model();
        assert!(model.schemata.len() > 60, "{}", model.schemata.len());
        let ownership = model.schema("Ownership").unwrap();
        let edge = ownership.edge.as_ref().unwrap();
        assert_eq!(
            (edge.source.as_str(), edge.target.as_str()),
            ("owner", "asset")
        );
        assert!(ownership.properties["startDate"].value_type == "date");
        assert!(model.schema("Person").unwrap().edge.is_none());
        assert!(model.is_a("Person", "LegalEntity") && model.is_a("Company", "Asset"));
        assert!(!model.is_a("Person", "Company"));
        assert_eq!(model.common("LegalEntity", "Person"), Some("Person"));
        assert_eq!(model.common("Person", "Vessel"), None);
        assert_eq!(model.closest("person"), Some("Person"));
    }

    #[test]
    fn ids_ftm_accepts_stay_as_they_are() {
        for id in ["kz", "person-123", "Q7747", "NK-2a9f", "a1b2.c3d4", "x"] {
            assert!(is_valid_id(id), "{id}");
            assert_eq!(entity_id(id), id);
        }
    }

    #[test]
    fn other_ids_are_rewritten_into_valid_distinct_ones() {
        let ids = [
            "us ",
            "us_",
            "us-5f",
            "t--us-5f",
            "t--us",
            "ministry/foreign",
            "Назарбаев",
            "-lead",
            "trail.",
            "",
            "t--",
        ];
        let mapped: Vec<String> = ids.iter().map(|id| entity_id(id).into_owned()).collect();
        for (id, out) in ids.iter().zip(&mapped) {
            assert!(is_valid_id(out), "{id:?} -> {out:?}");
        }
        let distinct: std::collections::HashSet<&String> = mapped.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "{mapped:?}");
        assert_eq!(entity_id("us_"), "t--us-5f");
        assert_ne!(entity_id("t--us-5f"), "t--us-5f");
    }

    #[test]
    fn long_ids_are_cut_and_hashed_within_200_characters() {
        let long = "é".repeat(300);
        let other = format!("{}x", "é".repeat(300));
        let (a, b) = (entity_id(&long), entity_id(&other));
        assert!(a.len() <= MAX_ID_LEN && is_valid_id(&a), "{a}");
        assert_ne!(a, b);
        assert_eq!(a, entity_id(&long), "stable");
        let valid_but_long = "a".repeat(201);
        assert!(is_valid_id(&entity_id(&valid_but_long)));
    }
}
