//! `ties.toml`: optional display label, colour and shape per kind and per relation type.
//!
//! ```toml
//! title = "Kazakhstan–Israel relations"   # names the data in picture titles
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
//!
//! [check]
//! allow = ["isolated"]  # kinds of `ties check` warning this data does not want to see
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::load::diag::Diagnostic;
use crate::model::style::{KindStyle, LINE_STYLES, RelTypeStyle, Rgb, SHAPES, Style};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    #[serde(default)]
    kinds: BTreeMap<String, RawKind>,
    #[serde(default)]
    types: BTreeMap<String, RawType>,
    #[serde(default)]
    check: RawCheck,
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawType {
    label: Option<String>,
    color: Option<String>,
    line: Option<String>,
}

/// Reads `ties.toml` at `path`; a missing file gives the default style.
///
/// Returns the style and its warnings.
///
/// # Errors
/// Returns every problem with the file: TOML syntax, unknown keys, bad colours or shapes.
pub fn load_style(path: &Path) -> Result<(Style, Vec<Diagnostic>), Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok((Style::default(), Vec::new()));
        }
        Err(err) => return Err(vec![Diagnostic::file(shown, format!("cannot read: {err}"))]),
    };
    parse_style(&shown, &text)
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
pub fn parse_style(path: &str, text: &str) -> Result<(Style, Vec<Diagnostic>), Vec<Diagnostic>> {
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
        style.kinds.insert(
            kind,
            KindStyle {
                label: raw.label,
                color,
                shape: raw.shape,
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
        style.rel_types.insert(
            rel_type,
            RelTypeStyle {
                label: raw.label,
                color,
                line: raw.line,
            },
        );
    }
    diags.extend(bad_names);
    if diags.is_empty() {
        Ok((style, Vec::new()))
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_parse() {
        let (style, _) = parse_style(
            "t.toml",
            "[kinds.people]\nlabel = \"Person\"\ncolor = \"#112233\"\nshape = \"ellipse\"\n\
             [types.visited]\nline = \"dashed\"\n",
        )
        .unwrap();
        assert_eq!(style.kind_label("people"), "Person");
        assert_eq!(style.kind_color("people", 0), Rgb(0x11, 0x22, 0x33));
        assert_eq!(style.rel_types["visited"].line.as_deref(), Some("dashed"));
    }

    #[test]
    fn bad_values_name_their_line() {
        let errs = parse_style(
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
        let errs = parse_style("t.toml", "[kinds.people]\ncolour = \"#112233\"\n").unwrap_err();
        assert!(
            errs[0]
                .to_string()
                .starts_with("t.toml:2: unknown field `colour`"),
            "{}",
            errs[0]
        );
    }
}
