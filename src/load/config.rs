//! `ties.toml`: optional display label, colour and shape per kind and per relation type.
//!
//! ```toml
//! title = "Kazakhstan–Israel relations"   # names the data in picture titles
//! queries = "../queries"                    # the saved questions `ties build` answers, from
//!                                           # this folder (default: `queries` beside it)
//! encoding = "windows-1252"                 # the CSV files' encoding, when not UTF-8
//!
//! [kinds.people]
//! label = "Person"      # also usable as a Cypher label
//! color = "#1f77b4"     # #RRGGBB
//! shape = "ellipse"     # a Graphviz shape from model::style::SHAPES
//!
//! [types.visited]
//! label = "visited"
//! color = "#2ca02c"
//! line = "dashed"       # solid, dashed, dotted or bold
//! ftm = "UnknownLink"   # its FollowTheMoney edge schema (kinds take `ftm` too: "Person")
//!
//! [check]
//! allow = ["isolated"]  # kinds of `ties check` warning this data does not want to see
//!
//! [schema.kinds.people]
//! required = ["name"]              # cells every entity of the kind fills
//! lifetime = ["born", "died"]      # date columns bounding its relations (default: these two,
//!                                  # or founded/dissolved, when the file has them)
//!
//! [schema.types.visited]
//! from = ["people"]                # kinds a relation of the type may start at
//! to = ["countries", "cities"]     # ... and end at
//! required = ["start", "source"]   # cells every relation of the type fills
//! time = "event"                   # in force only on its dates; "state" (the default) runs
//!                                  # from start until end
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::load::diag::Diagnostic;
use crate::model::schema::{KindRule, Schema, Timing, TypeRule};
use crate::model::style::{KindStyle, LINE_STYLES, RelTypeStyle, Rgb, SHAPES, Style};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    queries: Option<String>,
    encoding: Option<String>,
    #[serde(default)]
    kinds: BTreeMap<String, RawKind>,
    #[serde(default)]
    types: BTreeMap<String, RawType>,
    #[serde(default)]
    check: RawCheck,
    #[serde(default)]
    schema: RawSchema,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    #[serde(default)]
    kinds: BTreeMap<String, RawKindRule>,
    #[serde(default)]
    types: BTreeMap<String, RawTypeRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKindRule {
    #[serde(default)]
    required: Vec<String>,
    lifetime: Option<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTypeRule {
    #[serde(default)]
    from: Vec<String>,
    #[serde(default)]
    to: Vec<String>,
    #[serde(default)]
    required: Vec<String>,
    time: Option<String>,
}

/// Everything `ties.toml` declares: how to draw the data and what it must satisfy.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Display styles and `[check]` settings.
    pub style: Style,
    /// The declared schema (empty without `[schema]`).
    pub schema: Schema,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    label: Option<String>,
    color: Option<String>,
    shape: Option<String>,
    ftm: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawType {
    label: Option<String>,
    color: Option<String>,
    line: Option<String>,
    ftm: Option<String>,
}

/// Reads `ties.toml` at `path`; a missing file gives the default style and no schema.
///
/// # Errors
/// Returns every problem with the file: TOML syntax, unknown keys, bad colours, shapes or
/// timings.
pub(crate) fn load_config(path: &Path) -> Result<Config, Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Config::default());
        }
        Err(err) => return Err(vec![Diagnostic::file(shown, format!("cannot read: {err}"))]),
    };
    parse_config(&shown, &text)
}

/// Returns `name` as a TOML key: bare when it is letters, digits, `_` and `-`, else quoted
/// (`"knows well"`), so that a table header written with it parses back to `name`.
#[must_use]
pub(crate) fn toml_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        name.to_owned()
    } else {
        toml::Value::String(name.to_owned()).to_string()
    }
}

fn line_of(text: &str, needle: &str) -> u64 {
    text.lines()
        .position(|line| line.contains(needle))
        .map_or(1, |i| i as u64 + 1)
}

/// Parses the text of a `ties.toml`; `path` is only used in messages.
///
/// # Errors
/// Returns every problem found.
pub(crate) fn parse_config(path: &str, text: &str) -> Result<Config, Vec<Diagnostic>> {
    let raw: RawConfig = toml::from_str(text).map_err(|err| {
        let line = err.span().map_or(1, |span| {
            text[..span.start].matches('\n').count() as u64 + 1
        });
        let message = err.message().trim_end().replace('\n', " ");
        vec![Diagnostic::line(path, line, message)]
    })?;
    let mut diags = Vec::new();
    let mut color = |value: Option<String>, owner: &str| {
        let value = value?;
        let parsed = Rgb::parse(&value);
        if parsed.is_none() {
            diags.push(Diagnostic::line(
                path,
                line_of(text, &value),
                format!("{owner}: colour `{value}` is not #RRGGBB"),
            ));
        }
        parsed
    };
    let mut style = Style {
        title: raw.title,
        queries: raw.queries,
        encoding: raw.encoding,
        check_allow: raw.check.allow,
        ..Style::default()
    };
    let mut bad_names = Vec::new();
    for (kind, raw) in raw.kinds {
        let color = color(raw.color, &format!("kind `{kind}`"));
        if let Some(shape) = &raw.shape
            && !SHAPES.contains(&shape.as_str())
        {
            bad_names.push(Diagnostic::line(
                path,
                line_of(text, shape),
                format!(
                    "kind `{kind}`: unknown shape `{shape}` (use one of {})",
                    SHAPES.join(", ")
                ),
            ));
        }
        if let Some(schema) = &raw.ftm
            && let Err(problem) = ftm_schema(schema, false)
        {
            bad_names.push(Diagnostic::line(
                path,
                line_of(text, schema),
                format!("kind `{kind}`: {problem}"),
            ));
        }
        style.kinds.insert(
            kind,
            KindStyle {
                label: raw.label,
                color,
                shape: raw.shape,
                ftm: raw.ftm,
            },
        );
    }
    for (rel_type, raw) in raw.types {
        let color = color(raw.color, &format!("type `{rel_type}`"));
        if let Some(line) = &raw.line
            && !LINE_STYLES.contains(&line.as_str())
        {
            bad_names.push(Diagnostic::line(
                path,
                line_of(text, line),
                format!(
                    "type `{rel_type}`: unknown line style `{line}` (use one of {})",
                    LINE_STYLES.join(", ")
                ),
            ));
        }
        if let Some(schema) = &raw.ftm
            && let Err(problem) = ftm_schema(schema, true)
        {
            bad_names.push(Diagnostic::line(
                path,
                line_of(text, schema),
                format!("type `{rel_type}`: {problem}"),
            ));
        }
        style.rel_types.insert(
            rel_type,
            RelTypeStyle {
                label: raw.label,
                color,
                line: raw.line,
                ftm: raw.ftm,
            },
        );
    }
    diags.extend(bad_names);
    let schema = schema(path, text, raw.schema, &mut diags);
    if diags.is_empty() {
        Ok(Config { style, schema })
    } else {
        Err(diags)
    }
}

/// Checks an `ftm` setting: a schema FtM has and lets entities have, an edge schema for a
/// relation type.
fn ftm_schema(name: &str, edge: bool) -> Result<(), String> {
    let model = crate::model::ftm::model();
    let Some(schema) = model.schema(name) else {
        let hint = model
            .closest(name)
            .map_or_else(String::new, |close| format!(" (did you mean `{close}`?)"));
        return Err(format!("`{name}` is not a FollowTheMoney schema{hint}"));
    };
    if schema.is_abstract {
        return Err(format!(
            "`{name}` is an abstract FollowTheMoney schema: no entity has it"
        ));
    }
    if edge && schema.edge.is_none() {
        let edges: Vec<&str> = model
            .schemata
            .iter()
            .filter(|(_, schema)| schema.edge.is_some() && !schema.is_abstract)
            .map(|(name, _)| name.as_str())
            .collect();
        return Err(format!(
            "`{name}` is not a FollowTheMoney edge schema (those are {})",
            edges.join(", ")
        ));
    }
    Ok(())
}

/// Returns the line of a table header such as `[schema.types.visited]`, or of the first line
/// naming it in a dotted key.
fn table_line(text: &str, section: &str, name: &str) -> u64 {
    let quoted = format!("{section}.\"{name}\"");
    let plain = format!("{section}.{name}");
    text.lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches('[').trim_end();
            let line = line.trim_end_matches(']');
            line == plain || line == quoted || line.starts_with(&format!("{plain}."))
        })
        .map_or(1, |i| i as u64 + 1)
}

fn schema(path: &str, text: &str, raw: RawSchema, diags: &mut Vec<Diagnostic>) -> Schema {
    let mut schema = Schema::default();
    for (kind, raw) in raw.kinds {
        let line = table_line(text, "schema.kinds", &kind);
        schema.kinds.insert(
            kind,
            KindRule {
                required: raw.required,
                lifetime: raw.lifetime,
                line,
            },
        );
    }
    for (rel_type, raw) in raw.types {
        let line = table_line(text, "schema.types", &rel_type);
        let timing = match raw.time.as_deref() {
            None => Timing::default(),
            Some(name) => Timing::from_name(name).unwrap_or_else(|| {
                diags.push(Diagnostic::line(
                    path,
                    line_of(text, &format!("\"{name}\"")),
                    format!(
                        "type `{rel_type}`: time `{name}` is neither `state` (from start until \
                         end) nor `event` (only on its dates)"
                    ),
                ));
                Timing::default()
            }),
        };
        schema.types.insert(
            rel_type,
            TypeRule {
                from: raw.from,
                to: raw.to,
                required: raw.required,
                timing,
                line,
            },
        );
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_parse() {
        let style = parse_config(
            "t.toml",
            "[kinds.people]\nlabel = \"Person\"\ncolor = \"#112233\"\nshape = \"ellipse\"\n\
             [types.visited]\nline = \"dashed\"\n",
        )
        .unwrap()
        .style;
        assert_eq!(style.kind_label("people"), "Person");
        assert_eq!(style.kind_color("people", 0), Rgb(0x11, 0x22, 0x33));
        assert_eq!(style.rel_types["visited"].line.as_deref(), Some("dashed"));
    }

    #[test]
    fn bad_values_name_their_line() {
        let errs = parse_config(
            "t.toml",
            "[kinds.people]\ncolor = \"red\"\nshape = \"blob\"\n",
        )
        .unwrap_err();
        let errs: Vec<_> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            errs[0],
            "t.toml:2: kind `people`: colour `red` is not #RRGGBB"
        );
        assert!(errs[1].starts_with("t.toml:3: kind `people`: unknown shape `blob`"));
        let errs = parse_config("t.toml", "[kinds.people]\ncolour = \"#112233\"\n").unwrap_err();
        assert!(
            errs[0]
                .to_string()
                .starts_with("t.toml:2: unknown field `colour`"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn a_schema_parses_with_the_lines_of_its_tables() {
        let config = parse_config(
            "t.toml",
            "[kinds.people]\ncolor = \"#112233\"\n\n[schema.kinds.people]\nrequired = [\"name\"]\n\
             lifetime = [\"born\", \"died\"]\n[schema.types.visited]\nfrom = [\"people\"]\n\
             time = \"event\"\n",
        )
        .unwrap();
        let people = &config.schema.kinds["people"];
        assert_eq!(people.line, 4);
        assert_eq!(people.required, ["name"]);
        assert_eq!(people.lifetime, Some(("born".into(), "died".into())));
        let visited = &config.schema.types["visited"];
        assert_eq!((visited.line, visited.timing), (7, Timing::Event));
        assert_eq!(visited.from, ["people"]);
        assert!(visited.to.is_empty());
    }

    #[test]
    fn an_unknown_timing_is_an_error_at_its_line() {
        let errs = parse_config("t.toml", "[schema.types.met]\ntime = \"once\"\n").unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "t.toml:2: type `met`: time `once` is neither `state` (from start until end) nor \
             `event` (only on its dates)"
        );
    }

    #[test]
    fn keys_are_quoted_only_when_toml_needs_it() {
        assert_eq!(toml_key("knows_well"), "knows_well");
        assert_eq!(toml_key("knows well"), "\"knows well\"");
        let name = "a.b \"c\"";
        let header = format!("[schema.types.{}]\ntime = \"event\"\n", toml_key(name));
        let config = parse_config("t.toml", &header).unwrap();
        assert!(config.schema.types.contains_key(name));
    }
}
